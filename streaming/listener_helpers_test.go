package streaming_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

// countingCred hands out a new token on every call, so tests can tell
// whether each connection got its own.
type countingCred struct{ n atomic.Int64 }

func (c *countingCred) Token(ctx context.Context, _ []string) (*oauth2.Token, error) {
	n := c.n.Add(1)
	return &oauth2.Token{AccessToken: "tok-" + strconv.FormatInt(n, 10), TokenType: "Bearer"}, ctx.Err()
}

// env is a fake streaming service reached in memory from a client.
type env struct {
	srv    *office365test.Server
	fake   *office365test.Streaming
	pt     *office365test.PipeTransport
	client *streaming.Client
	cred   *countingCred
}

// inBubble runs f in a synctest bubble against a fresh fake. The Server is
// created outside the bubble (its listener does real network I/O); the
// client reaches it over an in-memory PipeTransport, so timers of minutes
// cost nothing.
func inBubble(t *testing.T, fakeOpts []office365test.StreamingOption, f func(t *testing.T, e *env)) {
	t.Helper()
	srv := office365test.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		fake := office365test.NewStreaming(fakeOpts...)
		fake.Register(srv)
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		e := &env{srv: srv, fake: fake, pt: pt, cred: &countingCred{}}
		var err error
		e.client, err = streaming.New(e.cred, office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		f(t, e)
	})
}

func (e *env) subscribe(t *testing.T, r streaming.Resource) *streaming.Subscription {
	t.Helper()
	sub, err := e.client.Subscribe(context.Background(), r)
	require.NoError(t, err)
	return sub
}

// collector receives a listener's events in the background.
type collector struct {
	l    *streaming.Listener
	mu   sync.Mutex
	evs  []streaming.Event
	err  error
	done chan struct{}
}

func collect(l *streaming.Listener) *collector {
	c := &collector{l: l, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			ev, err := l.Next(context.Background())
			c.mu.Lock()
			if err != nil {
				c.err = err
				c.mu.Unlock()
				return
			}
			c.evs = append(c.evs, ev)
			c.mu.Unlock()
		}
	}()
	return c
}

// stop closes the listener and returns everything collected and the error
// that ended Next. It may be called again (deferred, so that a failed
// require does not leave the listener running in the bubble).
func (c *collector) stop() ([]streaming.Event, error) {
	_ = c.l.Close()
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evs, c.err
}

func (c *collector) events() []streaming.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]streaming.Event(nil), c.evs...)
}

func kinds(evs []streaming.Event) []streaming.EventKind {
	out := make([]streaming.EventKind, len(evs))
	for i, ev := range evs {
		out[i] = ev.Kind
	}
	return out
}

func ofKind(evs []streaming.Event, k streaming.EventKind) []streaming.Event {
	var out []streaming.Event
	for _, ev := range evs {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

// settle lets the bubble run until every goroutine is blocked, then
// advances the clock by d.
func settle(d time.Duration) {
	synctest.Wait()
	time.Sleep(d)
	synctest.Wait()
}

// slowCred lends its first token (for subscribing) at once and every
// later one after delay, as a credential that has to reach a slow
// identity provider does.
type slowCred struct {
	delay time.Duration
	n     atomic.Int64
}

func (c *slowCred) Token(ctx context.Context, _ []string) (*oauth2.Token, error) {
	n := c.n.Add(1)
	if n > 1 {
		select {
		case <-time.After(c.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &oauth2.Token{AccessToken: "tok-" + strconv.FormatInt(n, 10), TokenType: "Bearer"}, nil
}

// slowRefresher is a slowCred that the pipeline asks for a Refresh (as
// slow as Token) after a 401.
type slowRefresher struct{ slowCred }

func (c *slowRefresher) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.Token(ctx, scopes)
}

// seqsOf returns the sequence numbers of the notifications among evs.
func seqsOf(evs []streaming.Event) []int64 {
	var out []int64
	for _, ev := range ofKind(evs, streaming.EventNotification) {
		out = append(out, ev.Notification.SequenceNumber)
	}
	return out
}

// stopAfter reads l's events until n notifications have come, closes l,
// and returns the events read and l's subscriptions as a caller would have
// saved them (see persisted); the first has seen sequence number n.
func stopAfter(t *testing.T, l *streaming.Listener, n int) ([]streaming.Event, []*streaming.Subscription) {
	t.Helper()
	var got []streaming.Event
	for len(ofKind(got, streaming.EventNotification)) < n {
		ev, err := l.Next(context.Background())
		require.NoError(t, err)
		got = append(got, ev)
	}
	require.NoError(t, l.Close())
	saved := persisted(t, l.Subscriptions())
	require.Equal(t, int64(n), saved[0].LastSequenceNumber)
	return got, saved
}

// persisted round-trips subs through JSON, as a caller saving them between
// runs would, and returns what to hand to Listen.
func persisted(t *testing.T, subs []streaming.Subscription) []*streaming.Subscription {
	t.Helper()
	b, err := json.Marshal(subs)
	require.NoError(t, err)
	var out []*streaming.Subscription
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}
