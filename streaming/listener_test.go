package streaming_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

func TestListenDeliversNotificationsAndConsumesKeepAlives(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.FolderMessages(streaming.Inbox))
		// Queued before anyone listens: delivered on the first connection.
		_, err := e.fake.Inject(sub.ID, office365test.StreamInjection{ChangeType: "Created"})
		require.NoError(t, err)

		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		c := collect(l)
		settle(time.Minute) // four keep-alives at the default 15 s
		_, err = e.fake.Inject(sub.ID, office365test.StreamInjection{ChangeType: "Updated"}, office365test.StreamInjection{ChangeType: "Deleted"})
		require.NoError(t, err)
		settle(time.Second)

		evs, err := c.stop()
		assert.ErrorIs(t, err, streaming.ErrClosed)
		require.Equal(t, []streaming.EventKind{streaming.EventConnected, streaming.EventNotification,
			streaming.EventNotification, streaming.EventNotification}, kinds(evs))
		assert.Equal(t, []string{sub.ID}, evs[0].Connection.SubscriptionIDs)
		for i, want := range []streaming.ChangeType{streaming.ChangeCreated, streaming.ChangeUpdated, streaming.ChangeDeleted} {
			n := evs[i+1].Notification
			assert.Equal(t, want, n.ChangeType)
			assert.Equal(t, int64(i+1), n.SequenceNumber)
			assert.Equal(t, sub.ID, n.SubscriptionID)
			assert.Contains(t, n.Resource, "/api/beta/Users('me')/Messages('")
			assert.Contains(t, string(n.ResourceData), `"@odata.type":"#Microsoft.OutlookServices.Message"`)
		}
		assert.Equal(t, int64(3), l.Subscriptions()[0].LastSequenceNumber)
		assert.Equal(t, int64(1), l.Stats().Connections)

		// The wire request.
		var gn office365test.RecordedRequest
		for _, r := range e.srv.Requests() {
			if strings.HasSuffix(r.Path, "/GetNotifications") {
				gn = r
			}
		}
		assert.Equal(t, "/api/beta/me/GetNotifications", gn.Path)
		assert.JSONEq(t, fmt.Sprintf(`{"ConnectionTimeoutInMinutes":30,"KeepAliveNotificationIntervalInSeconds":15,"SubscriptionIds":[%q]}`, sub.ID), string(gn.Body))
	})
}

func TestListenSplitsSubscriptionsOverConnections(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		var subs []*streaming.Subscription
		for range 45 {
			subs = append(subs, e.subscribe(t, streaming.Messages()))
		}
		l, err := e.client.Listen(context.Background(), subs, nil)
		require.NoError(t, err)
		c := collect(l)
		settle(time.Second)
		assert.Equal(t, 3, e.fake.Connections(), "20 + 20 + 5")
		for _, s := range subs {
			_, err := e.fake.Inject(s.ID, office365test.StreamInjection{})
			require.NoError(t, err)
		}
		settle(time.Second)
		evs, _ := c.stop()
		conns := ofKind(evs, streaming.EventConnected)
		require.Len(t, conns, 3)
		sizes := map[int]int{}
		for _, ev := range conns {
			sizes[len(ev.Connection.SubscriptionIDs)]++
		}
		assert.Equal(t, map[int]int{20: 2, 5: 1}, sizes)
		assert.Len(t, ofKind(evs, streaming.EventNotification), 45)
		assert.Empty(t, ofKind(evs, streaming.EventGap))
	})
}

func TestRoutineReconnectionLosesNothingAndReportsNoGap(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, []office365test.StreamingOption{office365test.StreamingMaxConnectionTime(time.Minute)}, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		c := collect(l)
		for range 5 {
			settle(50 * time.Second)
			_, err := e.fake.Inject(sub.ID, office365test.StreamInjection{})
			require.NoError(t, err)
		}
		settle(time.Second)
		evs, _ := c.stop()
		assert.Len(t, ofKind(evs, streaming.EventNotification), 5)
		assert.GreaterOrEqual(t, len(ofKind(evs, streaming.EventConnected)), 4, "the service ends each connection after a minute")
		assert.Empty(t, ofKind(evs, streaming.EventGap))
		assert.Empty(t, ofKind(evs, streaming.EventDisconnected))
		assert.Equal(t, l.Stats().Connections, e.cred.n.Load()-1, "a token per connection (and one for Subscribe)")
	})
}

func TestConnectionsEndingAtOnceAreNotHammered(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, []office365test.StreamingOption{office365test.StreamingMaxConnectionTime(100 * time.Millisecond)}, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub},
			&streaming.ListenOptions{MinBackoff: time.Second, MaxBackoff: 8 * time.Second})
		require.NoError(t, err)
		c := collect(l)
		_, err = e.fake.Inject(sub.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(30 * time.Second)
		evs, _ := c.stop()
		assert.Len(t, ofKind(evs, streaming.EventNotification), 1)
		assert.Empty(t, ofKind(evs, streaming.EventGap), "a clean end loses nothing")
		dis := ofKind(evs, streaming.EventDisconnected)
		require.GreaterOrEqual(t, len(dis), 4)
		assert.LessOrEqual(t, len(dis), 8, "backing off, not reconnecting in a loop")
		assert.ErrorContains(t, dis[0].Connection.Err, "ended the connection after only 100ms")
		assert.Equal(t, 8*time.Second, dis[len(dis)-1].Connection.RetryIn.Round(8*time.Second), "capped")
	})
}

func TestDroppedConnectionReportsGapAndRecovers(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, &streaming.ListenOptions{MinBackoff: 2 * time.Second})
		require.NoError(t, err)
		c := collect(l)
		settle(time.Second)
		_, err = e.fake.Inject(sub.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(time.Second)

		e.fake.DropConnections()
		synctest.Wait()
		// Queued while nobody listens; delivered after the reconnection.
		_, err = e.fake.Inject(sub.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(5 * time.Second)
		evs, _ := c.stop()

		require.Equal(t, []streaming.EventKind{
			streaming.EventConnected, streaming.EventNotification,
			streaming.EventDisconnected, streaming.EventConnected, streaming.EventGap, streaming.EventNotification,
		}, kinds(evs))
		d := evs[2].Connection
		assert.ErrorIs(t, d.Err, io.ErrUnexpectedEOF)
		assert.Equal(t, 2*time.Second, d.RetryIn, "the first wait is MinBackoff, never less")
		assert.Equal(t, 1, d.Attempt)
		gap := evs[4].Gap
		assert.Equal(t, streaming.GapReconnect, gap.Reason)
		assert.Equal(t, sub.ID, gap.SubscriptionID)
		assert.Equal(t, sub.Resource, gap.Resource)
		assert.Equal(t, int64(2), gap.FromSeq)
		assert.True(t, gap.Open())
		assert.Equal(t, int64(2), evs[5].Notification.SequenceNumber)
	})
}

func TestWatchdogReplacesStalledConnection(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		opts := &streaming.ListenOptions{KeepAliveInterval: 10 * time.Second, MinBackoff: time.Second, MaxBackoff: time.Second}
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, opts)
		require.NoError(t, err)
		c := collect(l)
		settle(25 * time.Second) // keep-alives at 10 s and 20 s
		e.fake.StallConnections()
		// A notification swallowed by the half-open connection.
		_, err = e.fake.Inject(sub.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(24 * time.Second) // 49 s: 29 s since the last byte
		require.Len(t, ofKind(c.events(), streaming.EventDisconnected), 0, "the watchdog waits 3 keep-alive intervals")
		settle(2 * time.Second) // 51 s
		evs := c.events()
		dis := ofKind(evs, streaming.EventDisconnected)
		require.Len(t, dis, 1)
		assert.ErrorIs(t, dis[0].Connection.Err, streaming.ErrStalled)
		assert.Equal(t, 1, strings.Count(dis[0].Connection.Err.Error(), "streaming:"), "one package prefix: %v", dis[0].Connection.Err)
		_, err = e.fake.Inject(sub.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(time.Second)
		evs, _ = c.stop()
		gaps := ofKind(evs, streaming.EventGap)
		require.Len(t, gaps, 1)
		assert.Equal(t, streaming.GapReconnect, gaps[0].Gap.Reason)
		assert.True(t, gaps[0].Gap.Contains(1), "the swallowed notification is covered")
		ns := ofKind(evs, streaming.EventNotification)
		require.Len(t, ns, 1)
		assert.Equal(t, int64(2), ns[0].Notification.SequenceNumber)
	})
}

func TestWatchdogCoversTheResponseHeaders(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Stalled: true})
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub},
			&streaming.ListenOptions{KeepAliveInterval: 5 * time.Second, MinBackoff: time.Second, MaxBackoff: time.Second})
		require.NoError(t, err)
		c := collect(l)
		settle(16 * time.Second)
		evs, _ := c.stop()
		require.Equal(t, []streaming.EventKind{streaming.EventDisconnected, streaming.EventConnected}, kinds(evs))
		assert.ErrorIs(t, evs[0].Connection.Err, streaming.ErrStalled)
	})
}

func TestSlowConsumerDoesNotTripTheWatchdog(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, &streaming.ListenOptions{KeepAliveInterval: 5 * time.Second})
		require.NoError(t, err)
		defer l.Close()
		ev, err := l.Next(context.Background())
		require.NoError(t, err)
		require.Equal(t, streaming.EventConnected, ev.Kind)
		_, err = e.fake.Inject(sub.ID, office365test.StreamInjection{}, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(10 * time.Minute) // nobody calls Next
		for i := range 2 {
			ev, err = l.Next(context.Background())
			require.NoError(t, err)
			require.Equal(t, streaming.EventNotification, ev.Kind, "event %d", i)
		}
		assert.Zero(t, l.Stats().Disconnects)
	})
}

func TestExpiredSubscriptionIsReplaced(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, []office365test.StreamingOption{office365test.StreamingLifetime(10 * time.Minute)}, func(t *testing.T, e *env) {
		keep := e.subscribe(t, streaming.Events())
		gone := e.subscribe(t, streaming.FolderMessages(streaming.Inbox).Select("Subject"))
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{keep, gone}, nil)
		require.NoError(t, err)
		c := collect(l)
		settle(time.Second)
		_, err = e.fake.Inject(gone.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(time.Second)
		require.True(t, e.fake.Expire(gone.ID))
		settle(5 * time.Second)

		subs := l.Subscriptions()
		require.Len(t, subs, 2)
		assert.Equal(t, keep.ID, subs[0].ID)
		renewed := subs[1]
		assert.NotEqual(t, gone.ID, renewed.ID)
		assert.Equal(t, gone.Resource, renewed.Resource)
		assert.Zero(t, renewed.LastSequenceNumber)
		_, err = e.fake.Inject(renewed.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(time.Second)
		evs, _ := c.stop()

		rs := ofKind(evs, streaming.EventResubscribed)
		require.Len(t, rs, 1)
		assert.Equal(t, gone.ID, rs[0].Resubscribed.Old.ID)
		assert.Equal(t, int64(1), rs[0].Resubscribed.Old.LastSequenceNumber)
		assert.Equal(t, renewed.ID, rs[0].Resubscribed.New.ID)
		assert.Equal(t, http.StatusNotFound, office365.StatusCode(rs[0].Resubscribed.Err))
		var expired, reconnect int
		for _, ev := range ofKind(evs, streaming.EventGap) {
			switch ev.Gap.Reason {
			case streaming.GapExpired:
				expired++
				assert.Equal(t, gone.ID, ev.Gap.SubscriptionID)
				assert.Equal(t, int64(2), ev.Gap.FromSeq)
			case streaming.GapReconnect:
				reconnect++
				assert.Equal(t, keep.ID, ev.Gap.SubscriptionID, "the other subscription of the dropped connection")
			}
		}
		assert.Equal(t, 1, expired)
		assert.Equal(t, 1, reconnect)
		ns := ofKind(evs, streaming.EventNotification)
		require.Len(t, ns, 2)
		assert.Equal(t, renewed.ID, ns[1].Notification.SubscriptionID)
		assert.Equal(t, int64(1), ns[1].Notification.SequenceNumber, "a new subscription counts from 1")
		assert.Equal(t, int64(1), l.Stats().Resubscriptions)
	})
}

func TestSubscriptionExpiresAfterItsLifetimeWithoutConnection(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, []office365test.StreamingOption{office365test.StreamingLifetime(30 * time.Minute)}, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		// A long outage: every attempt is throttled for 31 minutes.
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusTooManyRequests, RetryAfter: "1860"})
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		c := collect(l)
		settle(32 * time.Minute)
		evs, _ := c.stop()
		require.Equal(t, []streaming.EventKind{streaming.EventDisconnected, streaming.EventResubscribed, streaming.EventGap,
			streaming.EventConnected}, kinds(evs))
		assert.Equal(t, 31*time.Minute, evs[0].Connection.RetryIn, "Retry-After is honoured beyond MaxBackoff")
		assert.True(t, office365.IsThrottled(evs[0].Connection.Err))
		assert.Equal(t, streaming.GapExpired, evs[2].Gap.Reason)
		assert.Equal(t, int64(1), evs[2].Gap.FromSeq)
	})
}

func TestOverflowBecomesMissedGap(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, []office365test.StreamingOption{office365test.StreamingBufferSize(3)}, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		seqs, err := e.fake.Inject(sub.ID, make([]office365test.StreamInjection, 5)...)
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 2, 3, 4, 5}, seqs, "the 4th overflows: 1–3 are replaced by Missed #4, then #5 queues")
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		c := collect(l)
		settle(time.Second)
		evs, _ := c.stop()
		require.Equal(t, []streaming.EventKind{streaming.EventConnected, streaming.EventGap, streaming.EventNotification}, kinds(evs))
		g := evs[1]
		assert.Equal(t, streaming.GapMissed, g.Gap.Reason)
		assert.Equal(t, int64(1), g.Gap.FromSeq)
		assert.Equal(t, int64(4), g.Gap.ToSeq)
		require.NotNil(t, g.Notification)
		assert.Equal(t, streaming.ChangeMissed, g.Notification.ChangeType)
		assert.Equal(t, int64(5), evs[2].Notification.SequenceNumber)
		assert.Equal(t, int64(5), l.Subscriptions()[0].LastSequenceNumber)
	})
}

func TestThrottlingAndServerErrorsBackOff(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusServiceUnavailable, RetryAfter: "7"})
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusTooManyRequests})
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, HTML: true})
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusInternalServerError})
		opts := &streaming.ListenOptions{MinBackoff: 4 * time.Second, MaxBackoff: 10 * time.Second}
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, opts)
		require.NoError(t, err)
		c := collect(l)
		settle(time.Minute)
		evs, err := c.stop()
		assert.ErrorIs(t, err, streaming.ErrClosed)
		require.Equal(t, []streaming.EventKind{streaming.EventDisconnected, streaming.EventDisconnected, streaming.EventDisconnected,
			streaming.EventDisconnected, streaming.EventConnected}, kinds(evs))
		assert.Equal(t, 7*time.Second, evs[0].Connection.RetryIn, "Retry-After")
		// Exponential with equal jitter: [d/2, d) for d = 4 s, 8 s, 10 s (capped).
		for i, d := range []time.Duration{8 * time.Second, 10 * time.Second, 10 * time.Second} {
			got := evs[i+1].Connection.RetryIn
			assert.GreaterOrEqual(t, got, d/2, "attempt %d", i+2)
			assert.Less(t, got, d, "attempt %d", i+2)
		}
		assert.Equal(t, http.StatusBadGateway, office365.StatusCode(evs[2].Connection.Err))
		assert.Equal(t, 4, evs[4].Connection.Attempt)
		assert.Empty(t, ofKind(evs, streaming.EventGap), "no connection was lost: nothing to report")
	})
}

func TestUnauthorized(t *testing.T) {
	defer goleak.VerifyNone(t)
	t.Run("the pipeline's token refresh absorbs one 401", func(t *testing.T) {
		inBubble(t, nil, func(t *testing.T, e *env) {
			sub := e.subscribe(t, streaming.Messages())
			e.srv.UnauthorizedOnce()
			l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
			require.NoError(t, err)
			c := collect(l)
			settle(time.Second)
			evs, _ := c.stop()
			assert.Equal(t, []streaming.EventKind{streaming.EventConnected}, kinds(evs))
			assert.Equal(t, int64(3), e.cred.n.Load(), "subscribe, rejected try, fresh token")
		})
	})
	t.Run("a few 401 in a row are retried", func(t *testing.T) {
		inBubble(t, nil, func(t *testing.T, e *env) {
			sub := e.subscribe(t, streaming.Messages())
			e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 4, Status: http.StatusUnauthorized})
			l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
			require.NoError(t, err)
			c := collect(l)
			settle(time.Minute)
			evs, _ := c.stop()
			assert.Equal(t, []streaming.EventKind{streaming.EventDisconnected, streaming.EventDisconnected, streaming.EventConnected}, kinds(evs))
		})
	})
	t.Run("a persistent 401 ends listening", func(t *testing.T) {
		inBubble(t, nil, func(t *testing.T, e *env) {
			sub := e.subscribe(t, streaming.Messages())
			e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Status: http.StatusUnauthorized})
			l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
			require.NoError(t, err)
			defer l.Close()
			var evs []streaming.Event
			for {
				ev, err := l.Next(context.Background())
				if err != nil {
					assert.True(t, office365.IsUnauthorized(err), "%v", err)
					assert.ErrorContains(t, err, "3 times in a row")
					break
				}
				evs = append(evs, ev)
			}
			assert.Equal(t, []streaming.EventKind{streaming.EventDisconnected, streaming.EventDisconnected}, kinds(evs))
			_, err = l.Next(context.Background())
			assert.True(t, office365.IsUnauthorized(err), "the error stays")
		})
	})
}

func TestForbiddenEndsListening(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Status: http.StatusForbidden})
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		var got error
		for ev, err := range l.All(context.Background()) {
			if err != nil {
				got = err
				continue
			}
			t.Errorf("unexpected event %v", ev.Kind)
		}
		assert.True(t, office365.IsForbidden(got), "%v", got)
		require.NoError(t, l.Close())
	})
}

func TestCancellationStopsPromptly(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		ctx, cancel := context.WithCancel(context.Background())
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		ev, err := l.Next(context.Background())
		require.NoError(t, err)
		require.Equal(t, streaming.EventConnected, ev.Kind)

		// Next's own context bounds only the wait.
		short, cancelShort := context.WithTimeout(context.Background(), time.Second)
		_, err = l.Next(short)
		cancelShort()
		assert.ErrorIs(t, err, context.DeadlineExceeded)

		start := time.Now()
		cancel()
		_, err = l.Next(context.Background())
		assert.ErrorIs(t, err, context.Canceled)
		require.NoError(t, l.Close())
		assert.Zero(t, time.Since(start), "no timer is waited for")
		synctest.Wait()
		assert.Zero(t, e.fake.Connections())
	})
}

func TestCloseDuringBackoffAndTwice(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Status: http.StatusBadGateway})
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		ev, err := l.Next(context.Background())
		require.NoError(t, err)
		require.Equal(t, streaming.EventDisconnected, ev.Kind)
		require.NoError(t, l.Close())
		require.NoError(t, l.Close())
		_, err = l.Next(context.Background())
		assert.ErrorIs(t, err, streaming.ErrClosed)
	})
}

func TestListenValidation(t *testing.T) {
	t.Parallel()
	c, err := streaming.New(auth.StaticToken("t"))
	require.NoError(t, err)
	ctx := context.Background()
	sub := &streaming.Subscription{ID: "a"}
	for name, tc := range map[string]struct {
		subs []*streaming.Subscription
		opts *streaming.ListenOptions
	}{
		"no subscriptions":   {},
		"nil subscription":   {subs: []*streaming.Subscription{nil}},
		"no id":              {subs: []*streaming.Subscription{{}}},
		"duplicate":          {subs: []*streaming.Subscription{sub, sub}},
		"negative sequence":  {subs: []*streaming.Subscription{{ID: "x", LastSequenceNumber: -1}}},
		"fractional seconds": {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{KeepAliveInterval: 1500 * time.Millisecond}},
		"timeout too long":   {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{ConnectionTimeout: 3 * time.Hour}},
		"timeout seconds":    {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{ConnectionTimeout: 90 * time.Second}},
		"idle below keep":    {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{IdleTimeout: 10 * time.Second}},
		"backoff inverted":   {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{MinBackoff: time.Minute, MaxBackoff: time.Second}},
		"negative per conn":  {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{MaxSubscriptionsPerConnection: -1}},
		"negative auth":      {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{MaxAuthFailures: -1}},
		"negative obj limit": {subs: []*streaming.Subscription{sub}, opts: &streaming.ListenOptions{MaxObjectSize: -1}},
	} {
		l, err := c.Listen(ctx, tc.subs, tc.opts)
		assert.Error(t, err, name)
		assert.Nil(t, l, name)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Listen(cancelled, []*streaming.Subscription{sub}, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestEventKindString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "notification", streaming.EventNotification.String())
	assert.Equal(t, "gap", streaming.EventGap.String())
	assert.Equal(t, "resubscribed", streaming.EventResubscribed.String())
	assert.Equal(t, "connected", streaming.EventConnected.String())
	assert.Equal(t, "disconnected", streaming.EventDisconnected.String())
	assert.Equal(t, "EventKind(99)", streaming.EventKind(99).String())
}

// scriptedService answers GetNotifications with one scripted body per
// connection (the last one repeats), holding the connection open after it
// unless the body ends with "]}".
func scriptedService(bodies ...string) http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := min(int(n.Add(1))-1, len(bodies)-1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, bodies[i])
		http.NewResponseController(w).Flush()
		if !strings.HasSuffix(bodies[i], "]}") {
			<-r.Context().Done()
		}
	})
}

func wireNote(seq int, change string) string {
	return fmt.Sprintf(`{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"S1",`+
		`"SubscriptionExpirationDateTime":"2016-09-09T18:36:42.3454926Z","SequenceNumber":%d,"ChangeType":%q,`+
		`"Resource":"https://outlook.office.com/api/beta/Users('u')/Messages('m%d')","ResourceData":{"Id":"m%d"}}`, seq, change, seq, seq)
}

func TestRepeatsAreDroppedAndGarbageIsADrop(t *testing.T) {
	defer goleak.VerifyNone(t)
	const pre = `{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[`
	const ka = `{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"}`
	srv := office365test.NewServer()
	defer srv.Close()
	srv.Mount("/api/beta/me/getnotifications", scriptedService(
		pre+wireNote(1, "Created")+","+wireNote(1, "Created")+","+ka+","+wireNote(2, "Updated")+"]}",
		pre+wireNote(2, "Updated")+","+wireNote(3, "Deleted")+",<html>oops",
		pre+ka+","+wireNote(3, "Deleted")+","+wireNote(4, "Created"),
	))
	synctest.Test(t, func(t *testing.T) {
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(auth.StaticToken("t"), office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		l, err := client.Listen(context.Background(), []*streaming.Subscription{{ID: "S1", Resource: "me/messages"}},
			&streaming.ListenOptions{KeepAliveInterval: time.Second, IdleTimeout: time.Hour})
		require.NoError(t, err)
		c := collect(l)
		settle(10 * time.Second)
		evs, _ := c.stop()

		var seqs []int64
		for _, ev := range ofKind(evs, streaming.EventNotification) {
			seqs = append(seqs, ev.Notification.SequenceNumber)
		}
		assert.Equal(t, []int64{1, 2, 3, 4}, seqs, "each once")
		assert.Equal(t, int64(3), l.Stats().Duplicates, "#1 on the same connection, #2 and #3 on the next ones")
		dis := ofKind(evs, streaming.EventDisconnected)
		require.Len(t, dis, 2)
		assert.ErrorContains(t, dis[0].Connection.Err, "ended the connection after only 0s")
		var syntax *streaming.SyntaxError
		assert.ErrorAs(t, dis[1].Connection.Err, &syntax, "a garbled stream is a dropped connection")
		gaps := ofKind(evs, streaming.EventGap)
		require.Len(t, gaps, 1)
		assert.Equal(t, streaming.GapReconnect, gaps[0].Gap.Reason)
		assert.Equal(t, int64(4), gaps[0].Gap.FromSeq)
		assert.Equal(t, int64(4), l.Subscriptions()[0].LastSequenceNumber)
	})
}

// failingCred lends one token (for subscribing) and then fails, as a
// credential whose secret was revoked does.
type failingCred struct{ n atomic.Int64 }

func (c *failingCred) Token(ctx context.Context, _ []string) (*oauth2.Token, error) {
	if c.n.Add(1) == 1 {
		return &oauth2.Token{AccessToken: "tok", TokenType: "Bearer"}, nil
	}
	return nil, errors.New("AADSTS7000222: the provided client secret keys are expired")
}

func TestCredentialFailureEndsListening(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		cred := &failingCred{}
		client, err := streaming.New(cred, office365.WithBaseURL(e.srv.URL()), office365.WithHTTPClient(e.pt.Client()))
		require.NoError(t, err)
		sub, err := client.Subscribe(context.Background(), streaming.Messages())
		require.NoError(t, err)
		l, err := client.Listen(context.Background(), []*streaming.Subscription{sub}, &streaming.ListenOptions{MaxAuthFailures: 2})
		require.NoError(t, err)
		defer l.Close()
		done := make(chan error, 1)
		var evs []streaming.Event
		go func() {
			for {
				ev, err := l.Next(context.Background())
				if err != nil {
					done <- err
					return
				}
				evs = append(evs, ev)
			}
		}()
		settle(time.Hour)
		select {
		case err := <-done:
			assert.ErrorContains(t, err, "AADSTS7000222")
			assert.ErrorContains(t, err, "2 attempts in a row")
		default:
			t.Fatal("a credential that keeps failing is retried for ever")
		}
		assert.Equal(t, []streaming.EventKind{streaming.EventDisconnected}, kinds(evs))
	})
}

func TestSlowTokenDoesNotTripTheWatchdog(t *testing.T) {
	defer goleak.VerifyNone(t)
	// Each token after the first takes longer than the idle timeout (45 s
	// by default): waiting for the credential is not a stalled connection.
	listen := func(t *testing.T, e *env, cred auth.Credential, opts *streaming.ListenOptions) (*streaming.Subscription, *collector) {
		client, err := streaming.New(cred, office365.WithBaseURL(e.srv.URL()), office365.WithHTTPClient(e.pt.Client()))
		require.NoError(t, err)
		sub, err := client.Subscribe(context.Background(), streaming.Messages())
		require.NoError(t, err)
		l, err := client.Listen(context.Background(), []*streaming.Subscription{sub}, opts)
		require.NoError(t, err)
		return sub, collect(l)
	}
	t.Run("the token of a new connection", func(t *testing.T) {
		inBubble(t, nil, func(t *testing.T, e *env) {
			cred := &slowCred{delay: 100 * time.Second}
			sub, c := listen(t, e, cred, nil)
			defer c.stop()
			settle(99 * time.Second)
			assert.Empty(t, c.events(), "still waiting for the token")
			settle(2 * time.Second)
			require.Equal(t, []streaming.EventKind{streaming.EventConnected}, kinds(c.events()))
			_, err := e.fake.Inject(sub.ID, office365test.StreamInjection{})
			require.NoError(t, err)
			settle(time.Minute)
			evs, err := c.stop()
			assert.ErrorIs(t, err, streaming.ErrClosed)
			assert.Equal(t, []streaming.EventKind{streaming.EventConnected, streaming.EventNotification}, kinds(evs))
			assert.Zero(t, c.l.Stats().Disconnects)
			assert.Equal(t, int64(2), cred.n.Load(), "subscribe, connect")
		})
	})
	t.Run("the refreshed token after a 401", func(t *testing.T) {
		inBubble(t, nil, func(t *testing.T, e *env) {
			e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Status: http.StatusUnauthorized})
			cred := &slowRefresher{slowCred{delay: 100 * time.Second}}
			_, c := listen(t, e, cred, nil)
			defer c.stop()
			settle(5 * time.Minute)
			evs, _ := c.stop()
			assert.Equal(t, []streaming.EventKind{streaming.EventConnected}, kinds(evs))
			assert.Zero(t, c.l.Stats().Disconnects)
			assert.Equal(t, int64(3), cred.n.Load(), "subscribe, rejected try, refresh")
		})
	})
	t.Run("a stall after a slow token is still caught", func(t *testing.T) {
		inBubble(t, nil, func(t *testing.T, e *env) {
			e.srv.InjectFault(&office365test.Fault{PathContains: "getnotifications", Times: 1, Stalled: true})
			// Idle timeout 15 s; the token takes 60 s: the stall is
			// detected 15 s after the request went out, at 75 s.
			_, c := listen(t, e, &slowCred{delay: time.Minute}, &streaming.ListenOptions{KeepAliveInterval: 5 * time.Second, MaxBackoff: time.Second})
			defer c.stop()
			settle(74 * time.Second)
			assert.Empty(t, c.events())
			settle(2 * time.Second)
			dis := ofKind(c.events(), streaming.EventDisconnected)
			require.Len(t, dis, 1)
			assert.ErrorIs(t, dis[0].Connection.Err, streaming.ErrStalled)
			settle(2 * time.Minute)
			evs, _ := c.stop()
			assert.Equal(t, []streaming.EventKind{streaming.EventDisconnected, streaming.EventConnected}, kinds(evs))
		})
	})
}

func TestResumeAfterResubscription(t *testing.T) {
	defer goleak.VerifyNone(t)
	inBubble(t, nil, func(t *testing.T, e *env) {
		sub := e.subscribe(t, streaming.Messages())
		_, err := e.fake.Inject(sub.ID, make([]office365test.StreamInjection, 5)...)
		require.NoError(t, err)
		l, err := e.client.Listen(context.Background(), []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(time.Second)
		require.Equal(t, int64(5), l.Subscriptions()[0].LastSequenceNumber)

		require.True(t, e.fake.Expire(sub.ID))
		settle(5 * time.Second)
		subs := l.Subscriptions()
		require.Len(t, subs, 1)
		renewed := subs[0]
		require.NotEqual(t, sub.ID, renewed.ID)
		assert.Zero(t, renewed.LastSequenceNumber, "the old subscription's number is not carried over")
		seqs, err := e.fake.Inject(renewed.ID, office365test.StreamInjection{}, office365test.StreamInjection{})
		require.NoError(t, err)
		require.Equal(t, []int64{1, 2}, seqs, "the new subscription counts from 1")
		settle(time.Second)
		saved := l.Subscriptions()
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		require.Len(t, saved, 1)
		assert.Equal(t, renewed.ID, saved[0].ID)
		assert.Equal(t, int64(2), saved[0].LastSequenceNumber)
		assert.Equal(t, []int64{1, 2, 3, 4, 5, 1, 2}, seqsOf(evs))
		gaps := ofKind(evs, streaming.EventGap)
		require.Len(t, gaps, 1)
		assert.Equal(t, streaming.GapExpired, gaps[0].Gap.Reason)
		assert.Equal(t, sub.ID, gaps[0].Gap.SubscriptionID)

		// Queued while nobody listens, then resumed from the saved state.
		synctest.Wait()
		require.Zero(t, e.fake.Connections(), "the fake saw the connection end")
		_, err = e.fake.Inject(renewed.ID, make([]office365test.StreamInjection, 3)...)
		require.NoError(t, err)
		l2, err := e.client.Listen(context.Background(), persisted(t, saved), nil)
		require.NoError(t, err)
		c2 := collect(l2)
		defer c2.stop()
		settle(time.Second)
		_, err = e.fake.Inject(renewed.ID, office365test.StreamInjection{})
		require.NoError(t, err)
		settle(time.Second)
		evs, err = c2.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		assert.Equal(t, []streaming.EventKind{streaming.EventConnected, streaming.EventNotification, streaming.EventNotification,
			streaming.EventNotification, streaming.EventNotification}, kinds(evs), "no gap")
		assert.Equal(t, []int64{3, 4, 5, 6}, seqsOf(evs))
		assert.Zero(t, l2.Stats().Duplicates)
		assert.Equal(t, int64(6), l2.Subscriptions()[0].LastSequenceNumber)
	})
}

func TestResumeAfterNumberingRestart(t *testing.T) {
	defer goleak.VerifyNone(t)
	const pre = `{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[`
	srv := office365test.NewServer()
	defer srv.Close()
	// The service's numbering restarts at 1 for the same subscription
	// (GapReset); after resuming, #4 of the new numbering never arrives.
	srv.Mount("/api/beta/me/getnotifications", scriptedService(
		pre+wireNote(1, "Created")+","+wireNote(2, "Created")+","+wireNote(3, "Created")+","+wireNote(4, "Created")+","+
			wireNote(5, "Created")+","+wireNote(1, "Deleted")+","+wireNote(2, "Deleted"),
		pre+wireNote(3, "Deleted")+","+wireNote(5, "Deleted"),
	))
	synctest.Test(t, func(t *testing.T) {
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(auth.StaticToken("t"), office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		l, err := client.Listen(context.Background(), []*streaming.Subscription{{ID: "S1", Resource: "me/messages"}}, nil)
		require.NoError(t, err)
		defer l.Close()
		var evs []streaming.Event
		for len(seqsOf(evs)) < 7 {
			ev, err := l.Next(context.Background())
			require.NoError(t, err)
			evs = append(evs, ev)
			if ev.Kind == streaming.EventGap {
				assert.Zero(t, l.Subscriptions()[0].LastSequenceNumber,
					"once the reset is reported, resume before the first notification of the new numbering")
			}
		}
		saved := l.Subscriptions()
		require.NoError(t, l.Close())
		assert.Equal(t, []int64{1, 2, 3, 4, 5, 1, 2}, seqsOf(evs))
		gaps := ofKind(evs, streaming.EventGap)
		require.Len(t, gaps, 1)
		assert.Equal(t, streaming.GapReset, gaps[0].Gap.Reason)
		require.Len(t, saved, 1)
		assert.Equal(t, int64(2), saved[0].LastSequenceNumber, "the restarted numbering, not the highest number ever seen")

		l2, err := client.Listen(context.Background(), persisted(t, saved), nil)
		require.NoError(t, err)
		c2 := collect(l2)
		defer c2.stop()
		settle(time.Second)
		evs, _ = c2.stop()
		require.Equal(t, []streaming.EventKind{streaming.EventConnected, streaming.EventNotification, streaming.EventGap,
			streaming.EventNotification}, kinds(evs), "#3 delivered, the jump over #4 reported, #5 delivered")
		assert.Equal(t, []int64{3, 5}, seqsOf(evs))
		g := evs[2].Gap
		assert.Equal(t, streaming.GapSequence, g.Reason)
		assert.Equal(t, [2]int64{4, 4}, [2]int64{g.FromSeq, g.ToSeq})
		assert.Equal(t, int64(5), l2.Subscriptions()[0].LastSequenceNumber)
	})
}

// wireNoteFor is a notification of subscription sub whose content (change
// type, resource, data) depends only on seq.
func wireNoteFor(sub string, seq int) string {
	return strings.Replace(wireNote(seq, "Created"), `"SubscriptionId":"S1"`, fmt.Sprintf(`"SubscriptionId":%q`, sub), 1)
}

func TestNewSubscriptionsNotificationIsNotTakenForARepeat(t *testing.T) {
	defer goleak.VerifyNone(t)
	const pre = `{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[`
	srv := office365test.NewServer()
	defer srv.Close()
	var s1Connections atomic.Int64
	srv.Mount("/api/beta/me/getnotifications", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ SubscriptionIds []string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.SubscriptionIds) != 1 {
			office365test.WriteError(w, http.StatusBadRequest, "ErrorInvalidRequest", "bad request")
			return
		}
		var body string
		switch id := req.SubscriptionIds[0]; {
		case id == "S1" && s1Connections.Add(1) == 1:
			body = pre + wireNoteFor("S1", 1) + "]}" // then the subscription expires
		case id == "S1":
			office365test.WriteError(w, http.StatusNotFound, "ErrorItemNotFound", "The subscription S1 has expired.")
			return
		default:
			// The renewed subscription's #1 has the same content as the
			// expired one's #1: a new notification all the same.
			body = pre + wireNoteFor(id, 1) + "," + wireNoteFor(id, 1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}))
	srv.Mount("/api/beta/me/subscriptions", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		office365test.WriteJSON(w, http.StatusCreated, map[string]any{
			"@odata.type": streaming.ODataTypeStreamingSubscription, "Id": "S2",
			"Resource": "https://outlook.office.com/api/beta/me/messages", "ChangeType": "Created, Missed",
		})
	}))
	synctest.Test(t, func(t *testing.T) {
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(auth.StaticToken("t"), office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		l, err := client.Listen(context.Background(), []*streaming.Subscription{{ID: "S1",
			Resource: "https://outlook.office.com/api/beta/me/messages", ChangeTypes: []streaming.ChangeType{streaming.ChangeCreated}}}, nil)
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(10 * time.Second)
		evs, _ := c.stop()
		ns := ofKind(evs, streaming.EventNotification)

		require.Len(t, ns, 2, "%v", kinds(evs))
		assert.Equal(t, "S1", ns[0].Notification.SubscriptionID)
		assert.Equal(t, "S2", ns[1].Notification.SubscriptionID)
		assert.Equal(t, int64(1), ns[1].Notification.SequenceNumber)
		assert.Equal(t, int64(1), l.Stats().Duplicates, "only the true repeat of S2 #1 is dropped")
		assert.Equal(t, int64(1), l.Stats().Resubscriptions)
		assert.Equal(t, "S2", l.Subscriptions()[0].ID)
		assert.Equal(t, int64(1), l.Subscriptions()[0].LastSequenceNumber)
	})
}
