package streaming_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

const benchServerEnv = "STREAMING_BENCH_SERVER"

// TestHelperStreamingServer is not a test: BenchmarkIdleListenerMemory runs
// the test binary again with benchServerEnv set to serve the fake from
// another process, so that the server's memory stays out of the figures.
// It prints the server's URL and serves until its stdin closes.
func TestHelperStreamingServer(t *testing.T) {
	if os.Getenv(benchServerEnv) != "1" {
		t.Skip("helper process of BenchmarkIdleListenerMemory")
	}
	srv := office365test.NewServer()
	defer srv.Close()
	office365test.NewStreaming().Register(srv)
	fmt.Println(srv.URL())
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// BenchmarkIdleListenerMemory measures what one idle listening connection
// costs the client: 1,000 Listeners, one subscription each, each with its
// GetNotifications connection open on loopback and receiving only
// keep-alives. Reported: heap plus goroutine stacks in use, per
// connection, after a GC (the server runs in a child process).
//
//	go test -run '^$' -bench BenchmarkIdleListenerMemory -benchtime 1x ./streaming/
func BenchmarkIdleListenerMemory(b *testing.B) {
	const conns = 1000
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStreamingServer$")
	cmd.Env = append(os.Environ(), benchServerEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
	}()
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("helper server: %v", err)
	}
	url = strings.TrimSpace(url)

	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	defer tr.CloseIdleConnections()
	client, err := streaming.New(auth.StaticToken("bench"), office365.WithBaseURL(url), office365.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	subs := make([]*streaming.Subscription, conns)
	for i := range subs {
		if subs[i], err = client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox)); err != nil {
			b.Fatal(err)
		}
	}

	for range b.N {
		tr.CloseIdleConnections()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		listeners := make([]*streaming.Listener, conns)
		for i, sub := range subs {
			l, err := client.Listen(ctx, []*streaming.Subscription{sub}, nil)
			if err != nil {
				b.Fatal(err)
			}
			listeners[i] = l
		}
		for _, l := range listeners {
			ev, err := l.Next(ctx)
			if err != nil || ev.Kind != streaming.EventConnected {
				b.Fatalf("first event: %v %v", ev.Kind, err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap := float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / conns
		stack := float64(int64(after.StackInuse)-int64(before.StackInuse)) / conns
		b.ReportMetric(heap, "heap-B/conn")
		b.ReportMetric(stack, "stack-B/conn")
		b.ReportMetric(heap+stack, "B/conn")
		b.ReportMetric(float64(runtime.NumGoroutine())/conns, "goroutines/conn")
		for _, l := range listeners {
			_ = l.Close()
		}
	}
}
