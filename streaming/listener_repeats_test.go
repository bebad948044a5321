package streaming_test

import (
	"context"
	"strings"
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

// wireNoteETag is wireNote(seq, "Created") whose ResourceData carries etag,
// as the service re-sends a notification after a reconnection once the
// item changed again.
func wireNoteETag(seq int, etag string) string {
	return strings.Replace(wireNote(seq, "Created"), `"ResourceData":{`, `"ResourceData":{"@odata.etag":"W/\"`+etag+`\"",`, 1)
}

// TestResentNotificationsWithNewContentAreDropped: after a dropped
// connection the service re-sends #2 and #3 with a newer etag: they were
// delivered, so they are dropped, and the resume point never goes back.
// Resuming later from the saved point drops what was delivered before.
func TestResentNotificationsWithNewContentAreDropped(t *testing.T) {
	defer goleak.VerifyNone(t)
	const pre = `{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[`
	srv := office365test.NewServer()
	defer srv.Close()
	srv.Mount("/api/beta/me/getnotifications", scriptedService(
		pre+wireNoteETag(1, "a")+","+wireNoteETag(2, "a")+","+wireNoteETag(3, "a")+",<html>oops",
		pre+wireNoteETag(2, "b")+","+wireNoteETag(3, "b")+","+wireNoteETag(4, "b")+"]}",
		pre+wireNoteETag(3, "c")+","+wireNoteETag(4, "c")+","+wireNoteETag(5, "c"),
	))
	synctest.Test(t, func(t *testing.T) {
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(auth.StaticToken("t"), office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		l, err := client.Listen(context.Background(), []*streaming.Subscription{{ID: "S1", Resource: "me/messages"}},
			&streaming.ListenOptions{KeepAliveInterval: time.Second, IdleTimeout: time.Hour})
		require.NoError(t, err)
		defer l.Close()
		var evs []streaming.Event
		var resume []int64
		for len(seqsOf(evs)) < 4 {
			ev, err := l.Next(context.Background())
			require.NoError(t, err)
			evs = append(evs, ev)
			resume = append(resume, l.Subscriptions()[0].LastSequenceNumber)
		}
		assert.Equal(t, []int64{1, 2, 3, 4}, seqsOf(evs), "each once")
		assert.Equal(t, int64(2), l.Stats().Duplicates)
		for i := 1; i < len(resume); i++ {
			assert.GreaterOrEqual(t, resume[i], resume[i-1], "the resume point never moves backwards: %v", resume)
		}
		for _, g := range ofKind(evs, streaming.EventGap) {
			assert.NotEqual(t, streaming.GapReset, g.Gap.Reason, "a re-sent notification is no numbering restart")
		}
		saved := l.Subscriptions()
		require.NoError(t, l.Close())
		assert.Equal(t, int64(4), saved[0].LastSequenceNumber)

		// A new listener resuming after #4: the service re-sends #3 and #4.
		l2, err := client.Listen(context.Background(), persisted(t, saved), nil)
		require.NoError(t, err)
		c2 := collect(l2)
		settle(time.Second)
		evs, _ = c2.stop()
		assert.Equal(t, []int64{5}, seqsOf(evs))
		assert.Empty(t, ofKind(evs, streaming.EventGap))
		assert.Equal(t, int64(2), l2.Stats().Duplicates)
		assert.Equal(t, int64(5), l2.Subscriptions()[0].LastSequenceNumber)
	})
}
