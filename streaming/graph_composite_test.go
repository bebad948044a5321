package streaming_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
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

// mailEnv is office365test's Graph front end over a mailbox, reached in
// memory from a WithGraph client inside a synctest bubble.
type mailEnv struct {
	srv    *office365test.Server
	u      *office365test.MailboxUser
	http   *http.Client
	client *streaming.Client
}

func inGraphMailBubble(t *testing.T, f func(t *testing.T, e *mailEnv)) {
	t.Helper()
	srv := office365test.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		mb := office365test.NewMailbox()
		mb.Register(srv)
		gm := office365test.NewGraphMail(srv, mb)
		gm.Register(srv)
		defer gm.Close()
		e := &mailEnv{srv: srv, u: mb.AddUser("ada@contoso.com", "Ada")}
		mb.SetMe(e.u.UPN)
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		e.http = pt.Client()
		var err error
		e.client, err = streaming.New(&countingCred{}, office365.WithGraph(), office365.WithBaseURL(srv.URL()),
			office365.WithHTTPClient(e.http))
		require.NoError(t, err)
		f(t, e)
	})
}

// deleteFolder deletes a mail folder (with its child folders and
// messages) through the Graph front end.
func (e *mailEnv) deleteFolder(t *testing.T, id string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, e.srv.URL()+"/v1.0/me/mailFolders/"+url.PathEscape(id), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := e.http.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func (e *mailEnv) message(t *testing.T, folder, subject string) string {
	t.Helper()
	return e.u.Insert(office365test.EntityMessage, folder, office365test.Entity{"Subject": subject})
}

// pollRound lets a listener run one poll interval and more.
func pollRound() { settle(streaming.DefaultPollInterval + time.Second) }

func TestGraphMailboxWideMessages(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphMailBubble(t, func(t *testing.T, e *mailEnv) {
		ctx := context.Background()
		projects, err := e.u.CreateFolder("", "Projects")
		require.NoError(t, err)
		old := e.message(t, projects, "before")
		e.message(t, e.u.FolderID("inbox"), "before too")

		sub, err := e.client.Subscribe(ctx, streaming.Messages().Select("Subject"))
		require.NoError(t, err)
		assert.Equal(t, e.srv.URL()+"/v1.0/me/mailFolders/delta", sub.Resource)
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		pollRound()

		// Changes in existing folders, and in a folder (nested) that
		// appears after Subscribe.
		a := e.message(t, e.u.FolderID("inbox"), "a")
		b := e.message(t, projects, "b")
		nested, err := e.u.CreateFolder(projects, "Nested")
		require.NoError(t, err)
		n1 := e.message(t, nested, "n1")
		pollRound()
		pollRound()
		e.u.Update(old, func(doc office365test.Entity) { doc["Subject"] = "changed" })
		n2 := e.message(t, nested, "n2")
		pollRound()

		evs := c.events()
		require.Empty(t, ofKind(evs, streaming.EventGap))
		got := map[string][]streaming.ChangeType{}
		for i, ev := range ofKind(evs, streaming.EventNotification) {
			n := ev.Notification
			assert.Equal(t, int64(i+1), n.SequenceNumber, "one sequence across the folders")
			assert.Equal(t, sub.ID, n.SubscriptionID)
			m, err := n.Message()
			require.NoError(t, err)
			got[m.ID] = append(got[m.ID], n.ChangeType)
			if m.ID == n1 {
				assert.Equal(t, "n1", m.Subject)
				assert.Contains(t, n.Resource, "/mailFolders/"+escaped(nested)+"/messages/")
			}
		}
		assert.Equal(t, map[string][]streaming.ChangeType{
			a: {streaming.ChangeCreated}, b: {streaming.ChangeCreated}, n1: {streaming.ChangeCreated},
			old: {streaming.ChangeUpdated}, n2: {streaming.ChangeCreated},
		}, got)

		// A removed folder is dropped with a gap: its messages' deletions
		// are not reported one by one.
		e.deleteFolder(t, nested)
		c2 := e.message(t, projects, "c")
		pollRound()
		pollRound()
		evs, err = c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		gaps := ofKind(evs, streaming.EventGap)
		require.Len(t, gaps, 1)
		g := gaps[0].Gap
		assert.Equal(t, streaming.GapContainerRemoved, g.Reason)
		assert.Equal(t, sub.ID, g.SubscriptionID)
		assert.Contains(t, g.Resource, "/mailFolders/"+escaped(nested)+"/messages/delta")
		assert.True(t, g.Open())
		all := notes(evs)
		assert.Equal(t, graphNote{streaming.ChangeCreated, c2, 6}, all[len(all)-1], "other folders go on")

		// The removed folder is no longer part of the saved state.
		b2, err := json.Marshal(l.Subscriptions()[0])
		require.NoError(t, err)
		assert.NotContains(t, string(b2), nested)
		assert.Contains(t, string(b2), projects)
	})
}

// escaped is a store id as a path segment of a Graph URL.
func escaped(id string) string { return strings.ReplaceAll(id, "/", "%2F") }

// call sends a JSON request to the Graph front end and decodes the
// answer's id.
func (e *mailEnv) call(t *testing.T, method, path, body string) string {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL()+"/v1.0/me/"+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Less(t, resp.StatusCode, 300, "%s %s", method, path)
	var d struct {
		ID string `json:"id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&d)
	return d.ID
}

func TestGraphMailboxWideRestartsFromSavedState(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphMailBubble(t, func(t *testing.T, e *mailEnv) {
		ctx := context.Background()
		inboxID := e.u.FolderID("inbox")
		projects, err := e.u.CreateFolder("", "Projects")
		require.NoError(t, err)
		doomed, err := e.u.CreateFolder("", "Doomed")
		require.NoError(t, err)
		kept := e.message(t, doomed, "kept")
		sub, err := e.client.Subscribe(ctx, streaming.Messages())
		require.NoError(t, err)

		var created []string
		for i := range 6 {
			created = append(created, e.message(t, []string{inboxID, projects}[i%2], "m"))
		}
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		// Take three of the six (from two folders), then stop.
		got, saved := stopAfter(t, l, 3)
		b, err := json.Marshal(saved[0])
		require.NoError(t, err)
		assert.Contains(t, string(b), `"Each":"`+e.srv.URL()+`/v1.0/me/mailFolders/{id}/messages/delta?`)

		// While nobody listens: a folder appears, another goes.
		fresh, err := e.u.CreateFolder(projects, "Fresh")
		require.NoError(t, err)
		created = append(created, e.message(t, fresh, "f"))
		e.deleteFolder(t, doomed)

		l2, err := e.client.Listen(ctx, saved, nil)
		require.NoError(t, err)
		c := collect(l2)
		pollRound()
		pollRound()
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		all := notes(append(got, evs...))
		var ids []string
		for i, n := range all {
			assert.Equal(t, int64(i+1), n.Seq)
			assert.Equal(t, streaming.ChangeCreated, n.Change)
			ids = append(ids, n.ID)
		}
		assert.ElementsMatch(t, created, ids, "each creation exactly once across the restart")
		assert.NotContains(t, ids, kept)
		gaps := ofKind(evs, streaming.EventGap)
		require.Len(t, gaps, 1)
		assert.Equal(t, streaming.GapContainerRemoved, gaps[0].Gap.Reason)
		assert.Contains(t, gaps[0].Gap.Resource, escaped(doomed))
	})
}

func TestGraphTasksOfEveryList(t *testing.T) {
	defer goleak.VerifyNone(t)
	inGraphMailBubble(t, func(t *testing.T, e *mailEnv) {
		ctx := context.Background()
		errands := e.call(t, http.MethodPost, "todo/lists", `{"displayName":"Errands"}`)
		require.NotEmpty(t, errands)
		old := e.call(t, http.MethodPost, "todo/lists/"+url.PathEscape(errands)+"/tasks", `{"title":"old"}`)
		sub, err := e.client.Subscribe(ctx, streaming.Tasks().Select("Title"))
		require.NoError(t, err)
		assert.Equal(t, e.srv.URL()+"/v1.0/me/todo/lists/delta", sub.Resource)
		l, err := e.client.Listen(ctx, []*streaming.Subscription{sub}, nil)
		require.NoError(t, err)
		c := collect(l)
		defer c.stop()
		pollRound()

		home := e.call(t, http.MethodPost, "todo/lists", `{"displayName":"Home"}`)
		t1 := e.call(t, http.MethodPost, "todo/lists/"+url.PathEscape(home)+"/tasks", `{"title":"t1"}`)
		e.call(t, http.MethodPatch, "todo/lists/"+url.PathEscape(errands)+"/tasks/"+url.PathEscape(old), `{"title":"renamed"}`)
		pollRound()
		pollRound()
		evs, err := c.stop()
		require.ErrorIs(t, err, streaming.ErrClosed)
		assert.ElementsMatch(t, []graphNote{{streaming.ChangeCreated, t1, 0}, {streaming.ChangeUpdated, old, 0}},
			withoutSeq(notes(evs)))
		assert.Equal(t, []int64{1, 2}, seqsOf(evs))
		for _, ev := range ofKind(evs, streaming.EventNotification) {
			var d struct{ Title string }
			require.NoError(t, json.Unmarshal(ev.Notification.ResourceData, &d))
			assert.NotEmpty(t, d.Title)
			assert.Contains(t, ev.Notification.Resource, "/todo/lists/")
		}
	})
}

func withoutSeq(ns []graphNote) []graphNote {
	for i := range ns {
		ns[i].Seq = 0
	}
	return ns
}
