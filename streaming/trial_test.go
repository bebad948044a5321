package streaming_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

// TestFaultTrials runs randomized fault schedules against the fake and
// checks the listener's promise: every notification the service emitted is
// delivered exactly once or covered by a reported gap, the listener
// recovers from everything thrown at it, and no goroutine outlives it.
//
// Each trial runs in a synctest bubble over an in-memory transport, so its
// ten or so virtual minutes of keep-alives, stalls, backoffs and
// Retry-After waits take milliseconds.
func TestFaultTrials(t *testing.T) {
	defer goleak.VerifyNone(t)
	trials := 120
	if testing.Short() {
		trials = 30
	}
	faults := map[string]int{}
	for seed := range uint64(trials) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			for k, v := range runTrial(t, seed) {
				faults[k] += v
			}
		})
	}
	t.Logf("faults injected over %d trials: %v", trials, faults)
	for _, kind := range []string{"drop-at-byte", "drop", "stall", "stall-headers", "expire", "401", "429-retry-after",
		"429", "5xx", "end", "404", "subscribe-5xx"} {
		assert.Positive(t, faults[kind], "fault %s never injected", kind)
	}
}

// runTrial runs one schedule and returns the faults it injected.
func runTrial(t *testing.T, seed uint64) map[string]int {
	injected := map[string]int{}
	srv := office365test.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
		fake := office365test.NewStreaming(
			office365test.StreamingLifetime(time.Duration(5+rng.IntN(10))*time.Minute),
			office365test.StreamingBufferSize(3+rng.IntN(20)),
			office365test.StreamingMaxConnectionTime(time.Duration(1+rng.IntN(4))*time.Minute),
		)
		fake.Register(srv)
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(&countingCred{}, office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)

		resources := []streaming.Resource{streaming.Messages(), streaming.FolderMessages(streaming.Inbox),
			streaming.Events().Select("Subject"), streaming.Contacts(), streaming.Tasks()}
		var subs []*streaming.Subscription
		for i := range 1 + rng.IntN(6) {
			sub, err := client.Subscribe(context.Background(), resources[i%len(resources)])
			require.NoError(t, err)
			subs = append(subs, sub)
		}
		opts := &streaming.ListenOptions{
			KeepAliveInterval:             time.Duration(5+rng.IntN(16)) * time.Second,
			ConnectionTimeout:             time.Duration(1+rng.IntN(5)) * time.Minute,
			MaxSubscriptionsPerConnection: 1 + rng.IntN(3),
			MinBackoff:                    time.Second,
			MaxBackoff:                    time.Duration(5+rng.IntN(30)) * time.Second,
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		l, err := client.Listen(ctx, subs, opts)
		require.NoError(t, err)
		c := collect(l)

		gn := "getnotifications"
		var auth *office365test.Fault
		for range 30 + rng.IntN(30) {
			time.Sleep(time.Duration(rng.IntN(20_000)) * time.Millisecond)
			live := fake.Subscriptions()
			switch p := rng.IntN(100); {
			case p < 45:
				if len(live) == 0 {
					continue
				}
				for range 1 + rng.IntN(4) {
					_, err := fake.Inject(live[rng.IntN(len(live))].ID, office365test.StreamInjection{ChangeType: []string{"Created", "Updated", "Deleted"}[rng.IntN(3)]})
					require.NoError(t, err)
				}
			case p < 50:
				injected["drop-at-byte"]++
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, DropAfterBytes: 1 + rng.IntN(700)})
				fake.DropConnections()
			case p < 56:
				injected["drop"]++
				fake.DropConnections()
			case p < 61:
				injected["stall"]++
				fake.StallConnections()
			case p < 64:
				injected["stall-headers"]++
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, Stalled: true})
				fake.DropConnections()
			case p < 69:
				if len(live) == 0 {
					continue
				}
				injected["expire"]++
				fake.Expire(live[rng.IntN(len(live))].ID)
			case p < 73:
				if auth != nil && auth.Hits() < auth.Times {
					continue // never more than MaxAuthFailures in a row
				}
				injected["401"]++
				auth = srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1 + rng.IntN(2), Status: http.StatusUnauthorized})
				fake.DropConnections()
			case p < 77:
				injected["429-retry-after"]++
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1 + rng.IntN(3), Status: http.StatusTooManyRequests,
					RetryAfter: strconv.Itoa(1 + rng.IntN(120))})
				fake.DropConnections()
			case p < 80:
				injected["429"]++
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1 + rng.IntN(3), Status: http.StatusTooManyRequests})
				fake.DropConnections()
			case p < 86:
				injected["5xx"]++
				f := &office365test.Fault{PathContains: gn, Times: 1 + rng.IntN(3)}
				switch rng.IntN(4) {
				case 0:
					f.Status = http.StatusInternalServerError
				case 1:
					f.HTML = true
				case 2:
					f.Status = http.StatusServiceUnavailable
				default:
					f.Status = http.StatusGatewayTimeout
				}
				srv.InjectFault(f)
				fake.DropConnections()
			case p < 91:
				injected["end"]++
				fake.EndConnections()
			case p < 94:
				// A 404 that names no subscription: the whole connection
				// is subscribed again.
				injected["404"]++
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, Status: http.StatusNotFound})
				fake.DropConnections()
			default:
				if len(live) == 0 {
					continue
				}
				injected["subscribe-5xx"]++
				srv.InjectFault(&office365test.Fault{PathContains: "subscriptions", Method: http.MethodPost, Times: 1 + rng.IntN(2),
					Status: []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[rng.IntN(3)]})
				fake.Expire(live[rng.IntN(len(live))].ID)
			}
		}

		// Quiet period: the listener must find its way back on its own.
		srv.ClearFaults()
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		// By now the caller must know of every loss, without waiting for a
		// later notification to reveal a jump.
		checkCoverage(t, fake.Notifications(), c.events())
		current := l.Subscriptions()
		for _, s := range current {
			_, err := fake.Inject(s.ID, office365test.StreamInjection{ChangeType: "Updated"})
			require.NoError(t, err, "subscription %s is live in the fake", s.ID)
		}
		time.Sleep(time.Second)
		synctest.Wait()

		cancel()
		evs, err := c.stop()
		require.ErrorIs(t, err, context.Canceled, "the listener never gave up")

		// Recovered: each current subscription got its final notification.
		last := map[string]int64{}
		for _, ev := range evs {
			if ev.Kind == streaming.EventNotification {
				last[ev.Notification.SubscriptionID] = ev.Notification.SequenceNumber
			}
		}
		for _, s := range current {
			var final int64
			for _, n := range fake.Notifications() {
				if n.SubscriptionID == s.ID {
					final = n.SequenceNumber
				}
			}
			assert.Equal(t, final, last[s.ID], "final notification of %s delivered", s.ID)
		}
		checkCoverage(t, fake.Notifications(), evs)
	})
	return injected
}

// checkCoverage asserts that every emitted notification was delivered
// exactly once or lies in a reported gap. An open gap covers from its
// FromSeq up to the next notification delivered for its subscription.
func checkCoverage(t *testing.T, emitted []office365test.StreamNotification, evs []streaming.Event) {
	t.Helper()
	type key struct {
		sub string
		seq int64
	}
	type span struct{ from, to int64 }
	delivered := map[key]int{}
	covered := map[string][]span{}
	open := map[string][]int{} // indexes into covered[sub] of open gaps
	deliver := func(n *streaming.Notification) {
		delivered[key{n.SubscriptionID, n.SequenceNumber}]++
		for _, i := range open[n.SubscriptionID] {
			covered[n.SubscriptionID][i].to = n.SequenceNumber - 1
		}
		delete(open, n.SubscriptionID)
	}
	for _, ev := range evs {
		switch ev.Kind {
		case streaming.EventNotification:
			deliver(ev.Notification)
		case streaming.EventGap:
			g := ev.Gap
			if ev.Notification != nil {
				deliver(ev.Notification)
			}
			if g.Open() {
				covered[g.SubscriptionID] = append(covered[g.SubscriptionID], span{g.FromSeq, math.MaxInt64})
				open[g.SubscriptionID] = append(open[g.SubscriptionID], len(covered[g.SubscriptionID])-1)
			} else {
				covered[g.SubscriptionID] = append(covered[g.SubscriptionID], span{g.FromSeq, g.ToSeq})
			}
		}
	}
	var problems []string
	for _, n := range emitted {
		k := key{n.SubscriptionID, n.SequenceNumber}
		switch d := delivered[k]; {
		case d > 1:
			problems = append(problems, fmt.Sprintf("%s #%d delivered %d times", n.SubscriptionID[:8], n.SequenceNumber, d))
		case d == 0:
			ok := false
			for _, s := range covered[n.SubscriptionID] {
				if n.SequenceNumber >= s.from && n.SequenceNumber <= s.to {
					ok = true
				}
			}
			if !ok {
				problems = append(problems, fmt.Sprintf("%s #%d (%s) lost silently", n.SubscriptionID[:8], n.SequenceNumber, n.ChangeType))
			}
		}
	}
	if len(problems) > 0 {
		t.Errorf("%d of %d notifications mishandled: %v", len(problems), len(emitted), problems)
		var lines []string
		for _, ev := range evs {
			switch ev.Kind {
			case streaming.EventNotification:
				lines = append(lines, fmt.Sprintf("N %s #%d", ev.Notification.SubscriptionID[:8], ev.Notification.SequenceNumber))
			case streaming.EventGap:
				lines = append(lines, "G "+ev.Gap.String())
			case streaming.EventResubscribed:
				lines = append(lines, fmt.Sprintf("R %s → %s", ev.Resubscribed.Old.ID[:8], ev.Resubscribed.New.ID[:8]))
			case streaming.EventDisconnected:
				lines = append(lines, fmt.Sprintf("D %v retry %s: %v", ev.Connection.SubscriptionIDs, ev.Connection.RetryIn, ev.Connection.Err))
			default:
				lines = append(lines, fmt.Sprintf("C %v", ev.Connection.SubscriptionIDs))
			}
		}
		t.Logf("events: %v", lines)
	}
}
