package outlook_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// extrasFake starts the fake with the sample mailboxes plus the $batch,
// extensibility and push fakes.
func extrasFake(t *testing.T, d dialect, pushOpts ...office365test.PushOption) (*office365test.Server, *office365test.Mailbox, pushFake, *outlook.Client) {
	t.Helper()
	srv := office365test.NewServer()
	t.Cleanup(srv.Close)
	mb := office365test.NewMailbox(office365test.WithSampleData())
	mb.Register(srv)
	office365test.NewExtensibility().Register(mb)
	office365test.NewBatch(srv).Register(mb)
	push := office365test.NewPush(pushOpts...)
	push.Register(mb)
	t.Cleanup(push.Close)
	pf := pushFake{v2: push}
	if g := d.serve(srv, mb, office365test.GraphRetry(50, 2*time.Millisecond)); g != nil {
		t.Cleanup(g.Close)
		pf.graph = g
	}
	c, err := outlook.New(auth.StaticToken("tok"), d.options(office365.WithBaseURL(srv.URL()),
		office365.WithRetry(office365.RetryOptions{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))...)
	require.NoError(t, err)
	return srv, mb, pf, c
}

func inboxIDs(t *testing.T, mb *outlook.Mailbox, n int) []string {
	t.Helper()
	var ids []string
	for m, err := range mb.Mail().Messages().InFolder(outlook.FolderInbox).List(context.Background(), &outlook.ListOptions{Select: []string{"Id"}, Top: n}) {
		require.NoError(t, err)
		if ids = append(ids, m.ID); len(ids) == n {
			break
		}
	}
	require.Len(t, ids, n)
	return ids
}

func TestBatchAgainstTheFake(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		srv, fake, _, c := extrasFake(t, dia)
		ctx := context.Background()
		mb := c.User(adele)
		ids := inboxIDs(t, mb, 3)

		srv.ResetRequests()
		b := mb.NewBatch(nil)
		get := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
			return mb.Mail().Messages().Get(ctx, ids[0], &outlook.GetOptions{Select: []string{"Subject", "IsRead"}})
		})
		upd := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
			return mb.Mail().Messages().Update(ctx, ids[1], &outlook.MessageUpdate{Categories: outlook.Set([]string{"Batched"})})
		})
		missing := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
			return mb.Mail().Messages().Get(ctx, "AAMkDoesNotExist=", nil)
		})
		del := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
			return mb.Mail().Messages().Delete(ctx, ids[2])
		})
		sent := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
			return mb.Mail().SendMail(ctx, &outlook.Message{Subject: "Sent in a batch", Body: outlook.TextBody("hi"),
				ToRecipients: outlook.Recipients(megan)}, true)
		})
		folders := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Page[outlook.MailFolder], error) {
			return outlook.FirstPage(mb.Mail().Folders().ListPages(ctx, &outlook.ListOptions{Top: 2}))
		})
		require.NoError(t, b.Send(ctx))
		reqs := srv.Requests()

		m, err := get.Result()
		require.NoError(t, err)
		assert.NotEmpty(t, m.Subject)
		assert.Equal(t, 200, get.StatusCode())
		u, err := upd.Result()
		require.NoError(t, err)
		assert.Equal(t, []string{"Batched"}, u.Categories)
		_, err = missing.Result()
		assert.True(t, office365.IsNotFound(err), "%v", err)
		require.NoError(t, del.Err())
		require.NoError(t, sent.Err())
		assert.Equal(t, http.StatusAccepted, sent.StatusCode())
		page, err := folders.Result()
		require.NoError(t, err)
		assert.Len(t, page.Value, 2)
		assert.NotEmpty(t, page.NextLink)

		_, err = mb.Mail().Messages().Get(ctx, ids[2], nil)
		assert.True(t, office365.IsNotFound(err), "deleted by the batch")
		found := false
		for _, s := range fake.Sent() {
			found = found || s.Subject == "Sent in a batch"
		}
		assert.True(t, found)
		// One request on the wire for the batch, then its operations in process.
		require.NotEmpty(t, reqs)
		batchPath := "/api/v2.0/users/" + adele + "/$batch"
		if dia.graph {
			batchPath = "/v1.0/$batch" // JSON batching at the version root
		}
		assert.Equal(t, batchPath, reqs[0].Path)
		assert.Len(t, reqs, 7)
	})
}

func TestBatchSplitAndFailingPartAgainstTheFake(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		srv, _, _, c := extrasFake(t, dia)
		ctx := context.Background()
		mb := c.User(adele)
		ids := inboxIDs(t, mb, 5)
		srv.InjectFault(&office365test.Fault{Method: "GET", PathContains: ids[3], Status: 503, RetryAfter: "3"})

		srv.ResetRequests()
		b := mb.NewBatch(nil)
		var results []*outlook.BatchResult[*outlook.Message]
		for i := range 25 {
			id := ids[i%len(ids)]
			results = append(results, outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
				return mb.Mail().Messages().Get(ctx, id, &outlook.GetOptions{Select: []string{"Subject"}})
			}))
		}
		require.NoError(t, b.Send(ctx))
		batches := 0
		for _, r := range srv.Requests() {
			if strings.HasSuffix(r.Path, "/$batch") {
				batches++
			}
		}
		assert.Equal(t, 2, batches)
		for i, r := range results {
			m, err := r.Result()
			if ids[i%len(ids)] == ids[3] {
				require.Error(t, err, i)
				assert.True(t, office365.IsThrottled(err) || office365.StatusCode(err) == 503, "%v", err)
				var oe *office365.Error
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, 3*time.Second, oe.RetryAfter)
				continue
			}
			require.NoError(t, err, i)
			assert.NotEmpty(t, m.Subject, fmt.Sprint(i))
		}
	})
}
