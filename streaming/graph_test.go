package streaming_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

// graphEnv is a Graph delta service reached in memory from a WithGraph
// client, inside a synctest bubble.
type graphEnv struct {
	srv    *office365test.Server
	g      *graphDelta
	client *streaming.Client
}

func inGraphBubble(t *testing.T, seed uint64, pageSize int, f func(t *testing.T, e *graphEnv)) {
	t.Helper()
	srv := office365test.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		e := &graphEnv{srv: srv, g: newGraphDelta(srv, seed, pageSize)}
		var err error
		e.client, err = streaming.New(&countingCred{}, office365.WithGraph(), office365.WithBaseURL(srv.URL()),
			office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		f(t, e)
	})
}

const inbox = "mailFolders/inbox/messages"

func TestGraphSubscribeWire(t *testing.T) {
	srv := office365test.NewServer()
	defer srv.Close()
	g := newGraphDelta(srv, 1, 2)
	for range 3 {
		g.Change(inbox, "", "Created")
	}
	c, err := streaming.New(auth.StaticToken("t"), office365.WithGraph(), office365.WithBaseURL(srv.URL()),
		office365.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	sub, err := c.Subscribe(context.Background(), streaming.FolderMessages(streaming.Inbox).Select("Subject", "From"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(sub.ID, "graph-"), sub.ID)
	assert.Equal(t, srv.URL()+"/v1.0/me/mailFolders/inbox/messages/delta?%24select=id%2Csubject%2Cfrom%2ClastModifiedDateTime", sub.Resource)
	assert.Equal(t, streaming.DefaultChangeTypes, sub.ChangeTypes)
	reqs := srv.Requests()
	require.Len(t, reqs, 2, "the first round is read, page by page")
	assert.Equal(t, "/v1.0/me/mailFolders/inbox/messages/delta", reqs[0].Path)
	assert.Equal(t, "Bearer <redacted>", reqs[0].Header.Get("Authorization"))
	assert.Empty(t, reqs[0].Header.Get("X-AnchorMailbox"))
	assert.Contains(t, reqs[1].RawQuery, "skiptoken")

	// The subscription carries its position through JSON.
	b, err := json.Marshal(sub)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"GraphDelta":{"DeltaLink":"`+srv.URL()+`/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=`)
	var back streaming.Subscription
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))

	for _, tc := range []struct {
		r    streaming.Resource
		opts []office365.Option
		want string
	}{
		{streaming.Contacts(), nil, "/v1.0/me/contacts/delta?%24select=id%2ClastModifiedDateTime"},
		{streaming.FolderContacts("f/1"), nil, "/v1.0/me/contactFolders/f%2F1/contacts/delta?%24select=id%2ClastModifiedDateTime"},
		{streaming.FolderTasks("L1"), nil, "/v1.0/me/todo/lists/L1/tasks/delta?%24select=id%2ClastModifiedDateTime"},
		{streaming.FolderMessages("AAMk=="), []office365.Option{streaming.WithUser("ada@contoso.com")},
			"/v1.0/users/ada@contoso.com/mailFolders/AAMk==/messages/delta?%24select=id%2ClastModifiedDateTime"},
		{streaming.FolderMessages("SentItems").Filter("receivedDateTime ge 2026-01-01T00:00:00Z"), nil,
			"/v1.0/me/mailFolders/sentitems/messages/delta?%24filter=receivedDateTime%20ge%202026-01-01T00%3A00%3A00Z&%24select=id%2ClastModifiedDateTime"},
		{streaming.Messages().Filter("receivedDateTime ge 2026-01-01T00:00:00Z"), nil, "/v1.0/me/mailFolders/delta"},
		{streaming.Tasks(), nil, "/v1.0/me/todo/lists/delta"},
		{streaming.ResourceURL("me/mailFolders/archive/messages/delta?$select=subject"), nil,
			"/v1.0/me/mailFolders/archive/messages/delta?$select=subject"},
	} {
		c, err := streaming.New(auth.StaticToken("t"), append([]office365.Option{office365.WithGraph(), office365.WithBaseURL(srv.URL())}, tc.opts...)...)
		require.NoError(t, err)
		u, err := c.ResourceURL(tc.r)
		require.NoError(t, err)
		assert.Equal(t, srv.URL()+tc.want, u)
	}

	u, err := c.ResourceURL(streaming.Events().Select("Subject"))
	require.NoError(t, err)
	pu, err := url.Parse(u)
	require.NoError(t, err)
	assert.Equal(t, "/v1.0/me/calendarView/delta", pu.Path)
	start, err := time.Parse(time.RFC3339, pu.Query().Get("startDateTime"))
	require.NoError(t, err)
	end, err := time.Parse(time.RFC3339, pu.Query().Get("endDateTime"))
	require.NoError(t, err)
	assert.Equal(t, streaming.GraphEventsWindowPast+streaming.GraphEventsWindowFuture, end.Sub(start))
	assert.Empty(t, pu.Query().Get("$select"), "calendarView delta takes no $select")

	for _, r := range []streaming.Resource{streaming.CalendarEvents("c1"), streaming.Tasks().Filter("x eq 1"),
		streaming.Contacts().Filter("x eq 1"), streaming.ResourceURL("me/messages")} {
		_, err := c.Subscribe(context.Background(), r)
		require.Error(t, err, "%v", r)
	}
	_, err = c.Subscribe(context.Background(), streaming.FolderMessages("nope"), streaming.ChangeMissed)
	require.Error(t, err)
}

// graphNote is what a test checks of a Graph-mode notification.
type graphNote struct {
	Change streaming.ChangeType
	ID     string
	Seq    int64
}

func notes(evs []streaming.Event) []graphNote {
	var out []graphNote
	for _, ev := range ofKind(evs, streaming.EventNotification) {
		var d struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(ev.Notification.ResourceData, &d)
		out = append(out, graphNote{ev.Notification.ChangeType, d.ID, ev.Notification.SequenceNumber})
	}
	return out
}

func TestGraphListenReportsChanges(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 2, 2, func(t *testing.T, e *graphEnv) {
		old := e.g.Change(inbox, "", "Created")
		e.g.Change("contacts", "", "Created")
		ctx := context.Background()
		rich, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox).Select("Subject"))
		require.NoError(t, err)
		plain, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
		require.NoError(t, err)
		deletes, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox), streaming.ChangeDeleted)
		require.NoError(t, err)
		contacts, err := e.client.Subscribe(ctx, streaming.Contacts())
		require.NoError(t, err)

		// Changes between Subscribe and Listen are reported.
		a := e.g.Change(inbox, "", "Created")
		l, err := e.client.Listen(ctx, []*streaming.Subscription{rich, plain, deletes, contacts},
			&streaming.ListenOptions{PollInterval: 2 * time.Second})
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(time.Second)
		e.g.Change(inbox, old, "Updated")
		e.g.Change(inbox, a, "Updated")
		e.g.Change(inbox, a, "Updated") // two updates between polls: one notification
		settle(3 * time.Second)
		e.g.Change(inbox, old, "Deleted")
		b := e.g.Change(inbox, "", "Created")
		e.g.Change(inbox, b, "Deleted") // created and deleted between polls: nothing to tell
		settle(3 * time.Second)

		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		by := map[string][]streaming.Event{}
		for _, ev := range ofKind(evs, streaming.EventNotification) {
			by[ev.Notification.SubscriptionID] = append(by[ev.Notification.SubscriptionID], ev)
		}
		want := []graphNote{{streaming.ChangeCreated, a, 1}, {streaming.ChangeUpdated, a, 2}, {streaming.ChangeUpdated, old, 3},
			{streaming.ChangeDeleted, old, 4}}
		for _, sub := range []*streaming.Subscription{rich, plain} {
			got := notes(by[sub.ID])
			// Within a page the order is Graph's (here by id).
			require.Len(t, got, 4)
			assert.ElementsMatch(t, []string{a, old}, []string{got[1].ID, got[2].ID})
			got[1].ID, got[2].ID = a, old
			assert.Equal(t, want, got)
		}
		assert.Equal(t, []graphNote{{streaming.ChangeDeleted, old, 1}}, notes(by[deletes.ID]))
		assert.Empty(t, by[contacts.ID])

		n := by[rich.ID][0].Notification
		assert.Equal(t, e.srv.URL()+"/v1.0/me/mailFolders/inbox/messages/"+a, n.Resource)
		assert.Equal(t, streaming.ODataTypeNotification, n.ODataType)
		assert.JSONEq(t, `{"@odata.type":"#microsoft.graph.message","@odata.id":"`+n.Resource+`","@odata.etag":"W/\"`+a+`-0\"","id":"`+a+`","subject":"`+a+` v0"}`,
			string(n.ResourceData), "rich: the selected properties only")
		m, err := n.Message()
		require.NoError(t, err)
		assert.Equal(t, a+" v0", m.Subject)
		assert.JSONEq(t, `{"@odata.type":"#microsoft.graph.message","@odata.id":"`+n.Resource+`","@odata.etag":"W/\"`+a+`-0\"","id":"`+a+`"}`,
			string(by[plain.ID][0].Notification.ResourceData), "plain: identity only")
		del := by[rich.ID][3].Notification
		assert.JSONEq(t, `{"@odata.type":"#microsoft.graph.message","@odata.id":"`+del.Resource+`","id":"`+old+`"}`, string(del.ResourceData))

		assert.Len(t, ofKind(evs, streaming.EventConnected), 3, "one per delta query: plain and deletes share one")
		assert.Empty(t, ofKind(evs, streaming.EventGap))
		subs := l.Subscriptions()
		assert.Equal(t, []int64{4, 4, 1, 0}, []int64{subs[0].LastSequenceNumber, subs[1].LastSequenceNumber,
			subs[2].LastSequenceNumber, subs[3].LastSequenceNumber})
	})
}

func TestGraphSharedRequestsAndConcurrency(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 3, 10, func(t *testing.T, e *graphEnv) {
		ctx := context.Background()
		var subs []*streaming.Subscription
		for range 20 { // one resource: one request per round
			s, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
			require.NoError(t, err)
			subs = append(subs, s)
		}
		for i := range 12 { // twelve resources, slow answers
			s, err := e.client.Subscribe(ctx, streaming.FolderMessages("f"+string(rune('a'+i))))
			require.NoError(t, err)
			subs = append(subs, s)
		}
		var inFlight, peak atomic.Int64
		e.srv.InjectFault(&office365test.Fault{Match: func(*http.Request) bool {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(100 * time.Millisecond)
			inFlight.Add(-1)
			return false
		}})
		before := e.g.Requests()
		l, err := e.client.Listen(ctx, subs, &streaming.ListenOptions{PollInterval: 10 * time.Second})
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(55 * time.Second) // rounds at 0, ~10, ~20, ~30, ~40, ~50 s
		_, err = c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		assert.Equal(t, 13*6, e.g.Requests()-before, "one request per delta query and round")
		assert.Equal(t, int64(streaming.GraphMaxConcurrentRequests), peak.Load())
	})
}

func TestGraphResyncReportsGapAndRecovers(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 4, 3, func(t *testing.T, e *graphEnv) {
		var ids []string
		for range 5 {
			ids = append(ids, e.g.Change(inbox, "", "Created"))
		}
		ctx := context.Background()
		sub, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
		require.NoError(t, err)
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, &streaming.ListenOptions{PollInterval: time.Second})
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(1500 * time.Millisecond)
		e.g.Invalidate()
		e.g.Change(inbox, ids[0], "Updated")
		e.g.Change(inbox, ids[1], "Deleted")
		n := e.g.Change(inbox, "", "Created")
		settle(2 * time.Second)
		e.g.Change(inbox, n, "Updated")
		settle(2 * time.Second)
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		gaps := ofKind(evs, streaming.EventGap)
		require.Len(t, gaps, 1)
		g := gaps[0].Gap
		assert.Equal(t, streaming.GapResync, g.Reason)
		assert.Equal(t, sub.ID, g.SubscriptionID)
		assert.Equal(t, int64(1), g.FromSeq)
		assert.True(t, g.Open())
		require.Error(t, g.Err)
		got := notes(evs)
		require.Len(t, got, 3)
		assert.ElementsMatch(t, []graphNote{{streaming.ChangeUpdated, ids[0], 1}, {streaming.ChangeCreated, n, 2}},
			[]graphNote{{got[0].Change, got[0].ID, 1}, {got[1].Change, got[1].ID, 2}}, "the fresh round reports what changed, not what stayed")
		assert.Equal(t, graphNote{streaming.ChangeUpdated, n, 3}, got[2])
		assert.Equal(t, int64(1), l.Stats().Gaps)
	})
}

func TestGraphRestartResumesFromSavedState(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 5, 2, func(t *testing.T, e *graphEnv) {
		ctx := context.Background()
		sub, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
		require.NoError(t, err)
		var ids []string
		for range 7 {
			ids = append(ids, e.g.Change(inbox, "", "Created"))
		}
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		// Take three of the seven (spread over four pages), then stop.
		got, saved := stopAfter(t, l, 3)

		e.g.Change(inbox, ids[0], "Updated")
		l2, err := e.client.Listen(ctx, saved, nil)
		require.NoError(t, err)
		c := collect(l2)
		defer c.stop()
		settle(streaming.DefaultPollInterval + time.Second) // the rest of the round, then the next
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		all := notes(append(got, evs...))
		var created []string
		for i, n := range all {
			assert.Equal(t, int64(i+1), n.Seq)
			if n.Change == streaming.ChangeCreated {
				created = append(created, n.ID)
			}
		}
		assert.ElementsMatch(t, ids, created, "each creation exactly once across the restart")
		assert.Equal(t, graphNote{streaming.ChangeUpdated, ids[0], 8}, all[len(all)-1])
		assert.Empty(t, ofKind(evs, streaming.EventGap))
	})
}

func TestGraphThrottlingHonoursRetryAfter(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 6, 5, func(t *testing.T, e *graphEnv) {
		ctx := context.Background()
		a, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
		require.NoError(t, err)
		b, err := e.client.Subscribe(ctx, streaming.Contacts())
		require.NoError(t, err)
		e.srv.InjectFault(&office365test.Fault{PathContains: "inbox", Times: 1, Status: http.StatusTooManyRequests, RetryAfter: "42"})
		e.srv.ResetRequests()
		start := time.Now()
		l, err := e.client.Listen(ctx, []*streaming.Subscription{a, b}, &streaming.ListenOptions{PollInterval: time.Second})
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(30 * time.Second)
		reqs := e.srv.Requests()
		// Both were polled at once; the 429 holds back every request of the mailbox.
		require.Len(t, reqs, 2)
		settle(15 * time.Second)
		reqs = e.srv.Requests()
		require.Greater(t, len(reqs), 2)
		assert.GreaterOrEqual(t, reqs[2].Time.Sub(start), 42*time.Second)
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		d := ofKind(evs, streaming.EventDisconnected)
		require.Len(t, d, 1)
		assert.Equal(t, 42*time.Second, d[0].Connection.RetryIn)
		assert.True(t, office365.IsThrottled(d[0].Connection.Err))
	})
}

func TestGraphListenerStopsOnPersistentErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 7, 5, func(t *testing.T, e *graphEnv) {
		ctx := context.Background()
		sub, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
		require.NoError(t, err)
		e.srv.InjectFault(&office365test.Fault{PathContains: "delta", Status: http.StatusForbidden})
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		defer l.Close()
		for {
			_, err := l.Next(ctx)
			if err != nil {
				assert.True(t, office365.IsForbidden(err), "%v", err)
				break
			}
		}
	})
}

func TestGraphListenRejectsTheOtherDialect(t *testing.T) {
	srv := office365test.NewServer()
	defer srv.Close()
	newGraphDelta(srv, 1, 5)
	g, err := streaming.New(auth.StaticToken("t"), office365.WithGraph(), office365.WithBaseURL(srv.URL()),
		office365.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	o, err := streaming.New(auth.StaticToken("t"), office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	ctx := context.Background()
	gsub, err := g.Subscribe(ctx, streaming.Contacts())
	require.NoError(t, err)
	_, err = o.Listen(ctx, []*streaming.Subscription{gsub}, nil)
	require.ErrorContains(t, err, "WithGraph")
	_, err = g.Listen(ctx, []*streaming.Subscription{{ID: "AAQk=", Resource: "https://outlook.office.com/api/beta/me/messages"}}, nil)
	require.ErrorContains(t, err, "not a Microsoft Graph delta query")
	_, err = g.Listen(ctx, []*streaming.Subscription{gsub}, &streaming.ListenOptions{PollInterval: -time.Second})
	require.Error(t, err)

}

func TestGraphSubscriptionWithoutPositionStartsSilently(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 8, 2, func(t *testing.T, e *graphEnv) {
		for range 3 {
			e.g.Change("contacts", "", "Created")
		}
		ctx := context.Background()
		u, err := e.client.ResourceURL(streaming.Contacts())
		require.NoError(t, err)
		// Written by hand, or persisted before it had a position.
		l, err := e.client.Listen(ctx, []*streaming.Subscription{{ID: "mine", Resource: u}}, &streaming.ListenOptions{PollInterval: time.Second})
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(1500 * time.Millisecond)
		id := e.g.Change("contacts", "", "Created")
		settle(time.Second)
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		assert.Equal(t, []graphNote{{streaming.ChangeCreated, id, 1}}, notes(evs), "what existed is not reported")
		b, err := json.Marshal(l.Subscriptions()[0])
		require.NoError(t, err)
		assert.Contains(t, string(b), `"LastSequenceNumber":1,"GraphDelta":{"DeltaLink":"`)
	})
}

func TestGraphPollNow(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 9, 5, func(t *testing.T, e *graphEnv) {
		ctx := context.Background()
		sub, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
		require.NoError(t, err)
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, &streaming.ListenOptions{PollInterval: time.Hour})
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(time.Minute)
		id := e.g.Change(inbox, "", "Created")
		settle(time.Minute)
		assert.Empty(t, notes(c.events()), "not before the next round")
		start := time.Now()
		l.PollNow()
		l.PollNow() // coalesced
		synctest.Wait()
		assert.Equal(t, []graphNote{{streaming.ChangeCreated, id, 1}}, notes(c.events()))
		assert.Equal(t, start, time.Now(), "at once")
		before := e.g.Requests()
		l.PollNow()
		synctest.Wait()
		assert.Equal(t, before, e.g.Requests(), "not sooner than the request budget allows")
		settle(streaming.GraphRequestSpacing)
		assert.Equal(t, before+1, e.g.Requests())
		_, err = c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		l.PollNow() // after Close: nothing
	})
}

func TestGraphSubscriptionsAtDifferentPositionsShareOneQuery(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphBubble(t, 10, 2, func(t *testing.T, e *graphEnv) {
		ctx := context.Background()
		old := e.g.Change(inbox, "", "Created")
		a, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox))
		require.NoError(t, err)
		x := e.g.Change(inbox, "", "Created")
		e.g.Change(inbox, old, "Updated")
		time.Sleep(time.Second)
		b, err := e.client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox)) // knows x and old's update
		require.NoError(t, err)
		e.g.Change(inbox, old, "Deleted")
		before := e.g.Requests()
		l, err := e.client.Listen(ctx, []*streaming.Subscription{b, a}, &streaming.ListenOptions{PollInterval: time.Minute})
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		settle(time.Second)
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		assert.Equal(t, 1, e.g.Requests()-before, "one round from a's (older) position serves both")
		by := map[string][]graphNote{}
		for _, ev := range ofKind(evs, streaming.EventNotification) {
			by[ev.Notification.SubscriptionID] = append(by[ev.Notification.SubscriptionID], notes([]streaming.Event{ev})...)
		}
		require.Len(t, by[a.ID], 2)
		assert.Equal(t, []int64{1, 2}, []int64{by[a.ID][0].Seq, by[a.ID][1].Seq})
		by[a.ID][0].Seq, by[a.ID][1].Seq = 0, 0
		assert.ElementsMatch(t, []graphNote{{streaming.ChangeCreated, x, 0}, {streaming.ChangeDeleted, old, 0}}, by[a.ID],
			"a (older) is told of x and of old's deletion; old's update is folded into its deletion")
		assert.Equal(t, []graphNote{{streaming.ChangeDeleted, old, 1}}, by[b.ID], "b already knew x and old's update")
	})
}
