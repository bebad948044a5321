package outlook_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// receive waits for n notifications.
func receive(t *testing.T, r *outlook.Receiver, n int) []outlook.Notification {
	t.Helper()
	var out []outlook.Notification
	timeout := time.After(10 * time.Second)
	for len(out) < n {
		select {
		case note, ok := <-r.Notifications():
			require.True(t, ok, "channel closed")
			out = append(out, note)
		case <-timeout:
			t.Fatalf("received %d of %d notifications", len(out), n)
		}
	}
	return out
}

// The receiver and the fake together: the subscription is validated
// through the receiver, mail arriving produces notifications, renewal and
// deletion work.
func TestPushEndToEnd(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		// One notification per request, so that a receiver queue of one can
		// take each (a request with more notifications than the queue holds is
		// refused with 413).
		_, _, push, c := extrasFake(t, dia, office365test.PushRetry(50, 2*time.Millisecond), office365test.PushMaxBatch(1))
		ctx := context.Background()
		// Graph's validation request carries no ClientState (each
		// notification does).
		// The v2.0 fake sends one notification per request, so a queue of
		// one overflows and the fake must retry; Graph's may send several
		// in one request, which a queue of one could never take (413).
		queue := 1
		if dia.graph {
			queue = 16
		}
		rcv, err := outlook.NewReceiver(outlook.ReceiverOptions{ClientState: "s3cr3t", QueueSize: queue, AllowValidationWithoutClientState: dia.graph})
		require.NoError(t, err)
		hook := httptest.NewServer(rcv)
		t.Cleanup(hook.Close)

		mb := c.User(adele)
		sub, err := mb.Subscriptions().Create(ctx, &outlook.PushSubscription{
			Resource:        mb.URL("MailFolders('Inbox')/messages"),
			NotificationURL: hook.URL + "/outlook/notify",
			ChangeType:      outlook.JoinChangeTypes(outlook.ChangeCreated, outlook.ChangeUpdated),
			ClientState:     "s3cr3t",
		})
		require.NoError(t, err)
		assert.NotEmpty(t, sub.ID)
		if !dia.graph { // Graph reports missed notifications as lifecycle events
			assert.Contains(t, sub.ChangeTypes(), outlook.ChangeMissed)
		}
		assert.Equal(t, int64(1), rcv.Stats().Validations)

		// Three messages arrive while nobody reads the queue (it holds one):
		// the receiver answers 503, the fake retries, nothing is lost.
		for i := range 3 {
			require.NoError(t, c.User(megan).Mail().SendMail(ctx, &outlook.Message{Subject: "push " + string(rune('A'+i)),
				Body: outlook.TextBody("x"), ToRecipients: outlook.Recipients(adele)}, false))
		}
		if !dia.graph {
			require.Eventually(t, func() bool { return rcv.Stats().Overloaded > 0 }, 10*time.Second, time.Millisecond,
				"the fake hits the full queue")
		}
		notes := receive(t, rcv, 3)
		var got []string
		for i, n := range notes {
			assert.Equal(t, sub.ID, n.SubscriptionID)
			assert.Equal(t, outlook.ChangeCreated, n.ChangeType)
			if !dia.graph { // Graph numbers nothing
				assert.Equal(t, int64(i+1), n.SequenceNumber, "in order, no gaps")
			}
			msg, err := mb.Mail().Messages().Get(ctx, n.ResourceID(), &outlook.GetOptions{Select: []string{"Subject"}})
			require.NoError(t, err)
			got = append(got, msg.Subject)
		}
		assert.Equal(t, []string{"push A", "push B", "push C"}, got)

		// Marking one read is an update.
		_, err = mb.Mail().Messages().Update(ctx, notes[0].ResourceID(), &outlook.MessageUpdate{IsRead: outlook.Set(true)})
		require.NoError(t, err)
		n := receive(t, rcv, 1)[0]
		assert.Equal(t, outlook.ChangeUpdated, n.ChangeType)
		if !dia.graph {
			assert.Equal(t, int64(4), n.SequenceNumber)
		}

		renewed, err := mb.Subscriptions().Renew(ctx, sub.ID, time.Time{})
		require.NoError(t, err)
		assert.True(t, renewed.ExpiresAt().After(time.Now().Add(71*time.Hour)))
		got2, err := mb.Subscriptions().Get(ctx, sub.ID)
		require.NoError(t, err)
		if !dia.graph {
			assert.Empty(t, got2.ClientState, "never returned")
		}
		require.NoError(t, mb.Subscriptions().Delete(ctx, sub.ID))
		_, err = mb.Subscriptions().Get(ctx, sub.ID)
		assert.True(t, office365.IsNotFound(err))
		assert.Zero(t, push.live())
	})
}

// A receiver configured with another ClientState refuses the validation,
// so the subscription is not created.
func TestPushValidationRefused(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, push, c := extrasFake(t, dia)
		rcv, err := outlook.NewReceiver(outlook.ReceiverOptions{ClientState: "expected"})
		require.NoError(t, err)
		hook := httptest.NewServer(rcv)
		t.Cleanup(hook.Close)
		mb := c.User(adele)
		_, err = mb.Subscriptions().Create(context.Background(), &outlook.PushSubscription{
			Resource: mb.URL("messages"), NotificationURL: hook.URL, ChangeType: outlook.ChangeCreated, ClientState: "other",
		})
		var oe *office365.Error
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, 400, oe.StatusCode)
		assert.True(t, strings.Contains(oe.Message, "validation"), oe.Message)
		assert.Equal(t, int64(1), rcv.Stats().Unauthorized)
		assert.Zero(t, push.live())
	})
}
