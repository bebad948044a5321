package streaming_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

// TestReconnectBackoffNeverBelowMinBackoff: neither the jitter of the first
// attempts nor a short Retry-After makes a reconnection come sooner than
// MinBackoff.
func TestReconnectBackoffNeverBelowMinBackoff(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusInternalServerError})
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusServiceUnavailable, RetryAfter: "1"})
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 4, Status: http.StatusBadGateway})
		const minB = 4 * time.Second
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub},
			&streaming.ListenOptions{MinBackoff: minB, MaxBackoff: 6 * time.Second})
		require.NoError(t, err)
		c := collect(l)
		settle(2 * time.Minute)
		evs, _ := c.stop()
		dis := ofKind(evs, streaming.EventDisconnected)
		require.Len(t, dis, 6, "%v", kinds(evs))
		for i, ev := range dis {
			assert.GreaterOrEqual(t, ev.Connection.RetryIn, minB, "attempt %d: %v", i+1, ev.Connection.Err)
			assert.LessOrEqual(t, ev.Connection.RetryIn, 6*time.Second, "attempt %d", i+1)
		}
		assert.Equal(t, minB, dis[0].Connection.RetryIn, "the first wait is MinBackoff")
		assert.Equal(t, minB, dis[1].Connection.RetryIn, "Retry-After: 1 is raised to MinBackoff")
		assert.Equal(t, streaming.EventConnected, evs[len(evs)-1].Kind)
	})
}

// TestMaxAuthFailuresCountsOnlyConsecutiveRejections: 401s separated by
// other failures are not "in a row"; listening goes on.
func TestMaxAuthFailuresCountsOnlyConsecutiveRejections(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		for range 3 {
			// Two 401s make one rejected attempt: the pipeline retries a 401
			// once with a fresh token.
			e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 2, Status: http.StatusUnauthorized})
			e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusBadGateway})
		}
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, &streaming.ListenOptions{MaxAuthFailures: 2})
		require.NoError(t, err)
		c := collect(l)
		settle(5 * time.Minute)
		evs, err := c.stop()
		assert.ErrorIs(t, err, streaming.ErrClosed, "listening went on")
		require.Len(t, ofKind(evs, streaming.EventDisconnected), 6, "%v", kinds(evs))
		assert.Equal(t, streaming.EventConnected, evs[len(evs)-1].Kind)
	})
}

// TestAllEndsOnCancellationWithCtxErr: cancelling the context of All, or
// the one given to Listen, yields ctx.Err() once and ends the sequence
// (the same contract as servicecomms.Watcher.Events).
func TestAllEndsOnCancellationWithCtxErr(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, which := range []string{"All", "Listen"} {
		t.Run(which, func(t *testing.T) {
			inBubble(t, nil, func(t *testing.T, e *env) {
				sub := e.subscribe(t, streaming.Messages())
				listenCtx, cancelListen := context.WithCancel(context.Background())
				defer cancelListen()
				l, err := e.client.Listen(listenCtx, []*streaming.Subscription{sub}, nil)
				require.NoError(t, err)
				defer l.Close()
				allCtx, cancelAll := context.WithCancel(context.Background())
				defer cancelAll()
				cancel := cancelAll
				if which == "Listen" {
					cancel = cancelListen
				}
				var errs []error
				events := 0
				for ev, err := range l.All(allCtx) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					require.Empty(t, errs, "nothing after the error")
					events++
					if ev.Kind == streaming.EventConnected {
						cancel()
					}
				}
				assert.Equal(t, 1, events)
				require.Len(t, errs, 1)
				assert.Equal(t, context.Canceled, errs[0])
			})
		})
	}
}
