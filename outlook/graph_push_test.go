package outlook_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
)

// Graph's change notifications and lifecycle events (payloads from the
// Graph webhook documentation) arrive typed through the same Receiver.
func TestReceiverGraphPayloads(t *testing.T) {
	t.Parallel()
	note, err := os.ReadFile("testdata/graph/notification.json")
	require.NoError(t, err)
	life, err := os.ReadFile("testdata/graph/lifecycle.json")
	require.NoError(t, err)

	r := newReceiver(t, outlook.ReceiverOptions{AllowValidationWithoutClientState: true})
	// Graph's handshake: ?validationToken=…, no ClientState header.
	w := post(r, "validationToken=Validation%3A%20Testing%20client%20application%20reachability", "", "text/plain; charset=utf-8", "")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "Validation: Testing client application reachability", w.Body.String())

	w = post(r, "", "", "application/json", string(note))
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	n := <-r.Notifications()
	assert.Equal(t, outlook.ChangeCreated, n.ChangeType)
	assert.Equal(t, "7f105c7d-2dc5-4530-97cd-4e7ae6534c07", n.SubscriptionID)
	assert.Equal(t, "84bd8158-6d4d-4958-8b9f-9d6445542f95", n.TenantID)
	assert.Equal(t, time.Date(2016, 3, 19, 22, 11, 9, 952e6, time.UTC), n.SubscriptionExpirationDateTime)
	assert.True(t, strings.HasPrefix(n.Resource, "users/ddfcd489"))
	assert.Equal(t, outlook.ODataTypeMessage, n.ResourceType())
	assert.True(t, strings.HasPrefix(n.ResourceID(), "AAMkADk0MGFk"))
	require.NotNil(t, n.ID)
	assert.Equal(t, "lsgTZMr9KwAAA", *n.ID)

	w = post(r, "", "", "application/json", string(life))
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	for _, want := range []outlook.ChangeType{outlook.ChangeReauthorizationRequired, outlook.ChangeSubscriptionRemoved, outlook.ChangeMissed} {
		n := <-r.Notifications()
		assert.Equal(t, want, n.ChangeType)
		assert.Empty(t, n.Resource)
	}

	// Without the header, every notification must carry the secret.
	forged := strings.ReplaceAll(string(note), "s3cr3t-client-state", "guess")
	assert.Equal(t, http.StatusForbidden, post(r, "", "", "application/json", forged).Code)
	missing := strings.ReplaceAll(string(note), `"clientState":"s3cr3t-client-state",`, "")
	assert.Equal(t, http.StatusForbidden, post(r, "", "", "application/json", missing).Code)
	assert.Equal(t, int64(2), r.Stats().Unauthorized)
}

func TestGraphSubscriptionsWire(t *testing.T) {
	t.Parallel()
	exp := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	subJSON := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity","id":"7f105c7d","resource":"me/mailFolders('Inbox')/messages",
	"applicationId":"24d3b144","changeType":"created,updated","clientState":"s3cr3t","notificationUrl":"https://hook.example/notify",
	"lifecycleNotificationUrl":"https://hook.example/life","expirationDateTime":"2026-12-03T10:00:00Z","creatorId":"8ee44408","latestSupportedTlsVersion":"v1_2"}`
	check := func(t *testing.T, got any) {
		s := got.(*outlook.PushSubscription)
		assert.Equal(t, "7f105c7d", s.ID)
		assert.Equal(t, "https://graph.microsoft.com/v1.0/me/mailFolders('Inbox')/messages", s.Resource)
		assert.Equal(t, []outlook.ChangeType{outlook.ChangeCreated, outlook.ChangeUpdated}, s.ChangeTypes())
		assert.Equal(t, "https://hook.example/notify", s.NotificationURL)
		assert.Equal(t, "https://hook.example/life", s.LifecycleNotificationURL)
		assert.Equal(t, exp, s.ExpiresAt())
	}
	runGraphWire(t, []graphCase{
		{name: "create with absolute resource", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Subscriptions().Create(ctx, &outlook.PushSubscription{
					Resource: mb.URL("MailFolders('Inbox')/messages"), NotificationURL: "https://hook.example/notify",
					LifecycleNotificationURL: "https://hook.example/life", ClientState: "s3cr3t",
					ChangeType: outlook.JoinChangeTypes(outlook.ChangeCreated, outlook.ChangeUpdated), SubscriptionExpirationDateTime: &exp,
				})
			},
			reqs: []graphReq{{method: "POST", path: "/v1.0/subscriptions", status: 201, resp: subJSON,
				body: `{"resource":"me/mailFolders('Inbox')/messages","changeType":"created,updated","notificationUrl":"https://hook.example/notify",
				"lifecycleNotificationUrl":"https://hook.example/life","expirationDateTime":"2026-12-03T10:00:00Z","clientState":"s3cr3t"}`}},
			check: check},
		{name: "renew and delete",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				s, err := mb.Subscriptions().Renew(ctx, "7f105c7d", exp)
				if err != nil {
					return nil, err
				}
				return s, mb.Subscriptions().Delete(ctx, "7f105c7d")
			},
			reqs: []graphReq{
				{method: "PATCH", path: "/v1.0/subscriptions/7f105c7d", body: `{"expirationDateTime":"2026-12-03T10:00:00Z"}`, resp: subJSON},
				{method: "DELETE", path: "/v1.0/subscriptions/7f105c7d", status: 204},
			},
			check: check},
		{name: "expiry beyond the limit", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				far := time.Now().Add(8 * 24 * time.Hour)
				return mb.Subscriptions().Create(ctx, &outlook.PushSubscription{Resource: "me/events", NotificationURL: "https://hook.example/n",
					ChangeType: outlook.ChangeCreated, SubscriptionExpirationDateTime: &far})
			},
			wantErr: "beyond Graph's"},
		{name: "missed is a lifecycle event on Graph", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Subscriptions().Create(ctx, &outlook.PushSubscription{Resource: "me/events", NotificationURL: "https://hook.example/n",
					ChangeType: outlook.JoinChangeTypes(outlook.ChangeCreated, outlook.ChangeMissed)})
			},
			wantErr: "lifecycle events"},
		{name: "resource of another host", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Subscriptions().Create(ctx, &outlook.PushSubscription{Resource: "https://outlook.office.com/api/v2.0/me/events",
					NotificationURL: "https://hook.example/n", ChangeType: outlook.ChangeCreated})
			},
			wantErr: "not under the service root"},
	})
}

func TestLifecycleURLIsGraphOnly(t *testing.T) {
	t.Parallel()
	c, err := outlook.New(auth.StaticToken("t"))
	require.NoError(t, err)
	_, err = c.Me().Subscriptions().Create(context.Background(), &outlook.PushSubscription{Resource: c.Me().URL("events"),
		NotificationURL: "https://hook.example/n", ChangeType: outlook.ChangeCreated, LifecycleNotificationURL: "https://hook.example/l"})
	assert.ErrorContains(t, err, "Microsoft Graph feature")
}
