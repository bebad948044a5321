package streaming_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

// BenchmarkGraphIdle measures what 1,000 idle Graph-mode subscriptions
// cost: delta requests per minute (at the default poll
// interval of 5 s, stretched to 60 s for 1,000 folders by the request
// budget) and heap per subscription (the listener's state, the known items
// included: 20 per folder here). "distinct" watches 1,000 folders,
// "shared" 1,000 subscriptions on 10 folders, which share requests.
// It runs for a minute of wall time per case.
//
//	go test ./streaming -run '^$' -bench GraphIdle -benchtime 1x
func BenchmarkGraphIdle(b *testing.B) {
	for _, tc := range []struct {
		name    string
		folders int
	}{{"distinct", 1000}, {"shared", 10}} {
		b.Run(tc.name, func(b *testing.B) {
			const subs, items = 1000, 20
			const interval = streaming.DefaultPollInterval
			const window = time.Minute
			for b.Loop() {
				srv := office365test.NewServer()
				g := newGraphDelta(srv, 1, 100)
				for f := range tc.folders {
					for range items {
						g.Change(fmt.Sprintf("mailFolders/f%d/messages", f), "", "Created")
					}
				}
				client, err := streaming.New(auth.StaticToken("t"), office365.WithGraph(), office365.WithBaseURL(srv.URL()),
					office365.WithHTTPClient(srv.Client()))
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				var ss []*streaming.Subscription
				for i := range subs {
					s, err := client.Subscribe(ctx, streaming.FolderMessages(fmt.Sprintf("f%d", i%tc.folders)))
					if err != nil {
						b.Fatal(err)
					}
					ss = append(ss, s)
				}
				// Persisted and loaded again, as a service restarting
				// would: the subscriptions hold no shared state.
				raw := make([]streaming.Subscription, len(ss))
				for i, s := range ss {
					raw[i] = *s
				}
				blob, err := json.Marshal(raw)
				if err != nil {
					b.Fatal(err)
				}
				ss = nil
				if err := json.Unmarshal(blob, &ss); err != nil {
					b.Fatal(err)
				}
				srv.ResetRequests() // the fake's request log is not the listener's
				heapBefore, g0 := heapNow(), runtime.NumGoroutine()
				l, err := client.Listen(ctx, ss, &streaming.ListenOptions{PollInterval: interval})
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					for {
						if _, err := l.Next(ctx); err != nil {
							return
						}
					}
				}()
				time.Sleep(interval + interval/2) // the first rounds
				start, n0 := time.Now(), g.Requests()
				time.Sleep(window)
				n := g.Requests() - n0
				elapsed := time.Since(start)
				srv.ResetRequests()
				heapIdle, g1 := heapNow(), runtime.NumGoroutine()
				runtime.KeepAlive(ss)
				_ = l.Close()
				srv.Close()
				b.ReportMetric(float64(n)/elapsed.Minutes(), "req/min")
				b.ReportMetric(float64(heapIdle-heapBefore)/subs, "B/sub")
				b.ReportMetric(float64(g1-g0), "goroutines")
			}
		})
	}
}

func heapNow() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkGraphLatency measures the time from a change in the mailbox to
// its notification, at several poll intervals, with changes made at random
// moments: expect about half the interval on average, the whole interval
// at worst, plus a request.
//
//	go test ./streaming -run '^$' -bench GraphLatency -benchtime 40x
func BenchmarkGraphLatency(b *testing.B) {
	for _, interval := range []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, time.Second, streaming.DefaultPollInterval} {
		b.Run(interval.String(), func(b *testing.B) {
			srv := office365test.NewServer()
			defer srv.Close()
			g := newGraphDelta(srv, 1, 100)
			client, err := streaming.New(auth.StaticToken("t"), office365.WithGraph(), office365.WithBaseURL(srv.URL()),
				office365.WithHTTPClient(srv.Client()))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			sub, err := client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
			if err != nil {
				b.Fatal(err)
			}
			l, err := client.Listen(ctx, []*streaming.Subscription{sub}, &streaming.ListenOptions{PollInterval: interval})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			var lat []time.Duration
			for b.Loop() {
				time.Sleep(rand.N(interval))
				t0 := time.Now()
				g.Change(inbox, "", "Created")
				for {
					ev, err := l.Next(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if ev.Kind == streaming.EventNotification {
						break
					}
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			var sum time.Duration
			for _, d := range lat {
				sum += d
			}
			b.ReportMetric(float64(sum.Milliseconds())/float64(len(lat)), "ms-mean")
			b.ReportMetric(float64(lat[len(lat)*95/100].Milliseconds()), "ms-p95")
			b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "ms-max")
		})
	}
}
