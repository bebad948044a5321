package outlook

// Push notifications (webhooks): subscriptions that make the service POST
// notifications to an HTTPS endpoint of the application. The endpoint is
// served by Receiver (receiver.go).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/office365-go/office365/internal/jsonx"
)

// OData types of push notifications.
const (
	ODataTypePushSubscription = "#Microsoft.OutlookServices.PushSubscription"
	ODataTypeNotification     = "#Microsoft.OutlookServices.Notification"
)

// MaxPushSubscriptionLifetime is the longest a push subscription lives
// (and its default lifetime): the service clamps later expiry times to 3
// days from the request. Renew subscriptions before they expire.
const MaxPushSubscriptionLifetime = 3 * 24 * time.Hour

// MaxClientStateLen is the longest ClientState the service accepts.
const MaxClientStateLen = 255

// JoinChangeTypes renders change types as a subscription's ChangeType, e.g.
// "Created, Updated, Deleted".
func JoinChangeTypes(types ...ChangeType) ChangeType {
	parts := make([]string, 0, len(types))
	for _, t := range types {
		if t = ChangeType(strings.TrimSpace(string(t))); t != "" {
			parts = append(parts, string(t))
		}
	}
	return ChangeType(strings.Join(parts, ", "))
}

// SplitChangeTypes splits a subscription's comma-separated ChangeType
// ("Created, Updated, Deleted, Missed") into single values.
func SplitChangeTypes(t ChangeType) []ChangeType {
	var out []ChangeType
	for _, p := range strings.Split(string(t), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, ChangeType(p))
		}
	}
	return out
}

// PushSubscription is a webhook subscription (entity PushSubscription).
type PushSubscription struct {
	// ODataType is "#Microsoft.OutlookServices.PushSubscription" (filled in
	// by Create when empty).
	ODataType string `json:"@odata.type,omitempty"`
	ODataID   string `json:"@odata.id,omitempty"`
	// ID is the subscription id (read only).
	ID string `json:"Id,omitempty"`
	// Resource is the absolute URL of the watched collection, e.g.
	// mb.URL("MailFolders('inbox')/messages"), mb.URL("events"); it may
	// carry "?$filter=…" to narrow it.
	Resource string `json:"Resource,omitempty"`
	// NotificationURL is the HTTPS endpoint notifications are POSTed to
	// (served by a Receiver). The service validates it while Create runs.
	NotificationURL string `json:"NotificationURL,omitempty"`
	// ChangeType lists the changes to report (JoinChangeTypes(ChangeCreated,
	// ChangeUpdated, ChangeDeleted)); the service adds Missed.
	ChangeType ChangeType `json:"ChangeType,omitempty"`
	// SubscriptionExpirationDateTime is when the subscription ends (at most
	// 3 days ahead; default 3 days).
	SubscriptionExpirationDateTime *time.Time `json:"SubscriptionExpirationDateTime,omitempty"`
	// ClientState is a secret (at most 255 characters) the service sends
	// back in the ClientState header of every notification; the Receiver
	// rejects notifications without it. The service does not return it when
	// the subscription is read.
	ClientState string `json:"ClientState,omitempty"`
	// LifecycleNotificationURL (Graph only, set at creation) is the HTTPS
	// endpoint Graph sends lifecycle events to (reauthorizationRequired,
	// subscriptionRemoved, missed), which a Receiver reports as
	// notifications of ChangeReauthorizationRequired,
	// ChangeSubscriptionRemoved and ChangeMissed. Setting it on a v2.0
	// client is an error.
	LifecycleNotificationURL string `json:"-"`
	// Extra holds the properties the service sent that PushSubscription has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type pushSubscriptionFields PushSubscription

// UnmarshalJSON decodes the PushSubscription, keeping unknown properties in Extra.
func (s *PushSubscription) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*pushSubscriptionFields)(s), &s.Extra, &s.null)
}

// MarshalJSON encodes the PushSubscription and the properties in Extra.
func (s PushSubscription) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*pushSubscriptionFields)(&s), s.Extra, &s.null)
}

// ChangeTypes returns the subscription's change types one by one.
func (s *PushSubscription) ChangeTypes() []ChangeType { return SplitChangeTypes(s.ChangeType) }

// ExpiresAt returns the expiry time (zero when unknown).
func (s *PushSubscription) ExpiresAt() time.Time {
	if s.SubscriptionExpirationDateTime == nil {
		return time.Time{}
	}
	return *s.SubscriptionExpirationDateTime
}

// validate checks the subscription; on Graph (graph) the resource may be
// relative and a lifecycle URL may be given.
func (s *PushSubscription) validate(graph bool) error {
	ru, err := url.Parse(s.Resource)
	if !graph && (s.Resource == "" || err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "") {
		return fmt.Errorf("outlook: PushSubscription.Resource %q must be the absolute URL of a collection (see Mailbox.URL)", s.Resource)
	}
	if err := checkNotificationURL("NotificationURL", s.NotificationURL); err != nil {
		return err
	}
	switch {
	case s.LifecycleNotificationURL != "" && !graph:
		return errors.New("outlook: PushSubscription.LifecycleNotificationURL is a Microsoft Graph feature (office365.WithGraph)")
	case s.LifecycleNotificationURL != "":
		if err := checkNotificationURL("LifecycleNotificationURL", s.LifecycleNotificationURL); err != nil {
			return err
		}
	}
	types := s.ChangeTypes()
	if len(types) == 0 {
		return errors.New("outlook: PushSubscription.ChangeType is empty (want e.g. \"Created, Updated, Deleted\")")
	}
	if _, err := canonicalChangeTypes(types); err != nil {
		return err
	}
	if len(s.ClientState) > MaxClientStateLen {
		return fmt.Errorf("outlook: PushSubscription.ClientState is longer than %d characters", MaxClientStateLen)
	}
	if strings.ContainsAny(s.ClientState, "\r\n") {
		return errors.New("outlook: PushSubscription.ClientState holds a line break")
	}
	return nil
}

// canonicalChangeTypes returns the subscription's change types as the
// service spells them (matched case-insensitively).
func canonicalChangeTypes(types []ChangeType) (ChangeType, error) {
	out := make([]ChangeType, len(types))
	for i, t := range types {
		var err error
		if out[i], err = canonicalEnum("PushSubscription.ChangeType: change type", t,
			ChangeCreated, ChangeUpdated, ChangeDeleted, ChangeMissed, ChangeAcknowledgment); err != nil {
			return "", err
		}
	}
	return JoinChangeTypes(out...), nil
}

func checkNotificationURL(field, u string) error {
	nu, err := url.Parse(u)
	if u == "" || err != nil || (nu.Scheme != "https" && nu.Scheme != "http") || nu.Host == "" {
		return fmt.Errorf("outlook: PushSubscription.%s %q must be an absolute https URL", field, u)
	}
	if nu.Fragment != "" {
		return fmt.Errorf("outlook: PushSubscription.%s must not have a fragment", field)
	}
	return nil
}

// Subscriptions returns the push subscription API of the mailbox
// ({root}/subscriptions).
//
// On Graph (office365.WithGraph) subscriptions live at the version root
// ({root}/subscriptions, shared by every mailbox of the application):
// Resource may be the absolute URL of mb.URL or a path relative to the
// version root ("me/messages", "users/{id}/mailFolders('inbox')/messages")
// and comes back absolute; ChangeType is limited to Created, Updated and
// Deleted (missed notifications arrive as lifecycle events, see
// LifecycleNotificationURL); the expiry is required by Graph, so Create
// sends the longest lifetime of the resource when none is given
// (MaxGraphSubscriptionLifetime, or MaxGraphTodoSubscriptionLifetime for To
// Do tasks) and refuses a later one; ClientState is limited to
// MaxGraphClientStateLen characters and comes back in each notification's
// body. The validation handshake carries no ClientState header: the
// Receiver needs AllowValidationWithoutClientState.
func (mb *Mailbox) Subscriptions() *PushSubscriptionsService {
	return &PushSubscriptionsService{mb: mb, set: entitySet[PushSubscription]{mb: mb, path: "subscriptions", what: "subscription"}}
}

// PushSubscriptionsService creates, renews and deletes push subscriptions.
type PushSubscriptionsService struct {
	mb  *Mailbox
	set entitySet[PushSubscription]
}

// Create subscribes: POST {root}/subscriptions with the PushSubscription
// (201, the subscription with its Id, expiry and ChangeType including
// Missed). While the call runs the service validates NotificationURL: it
// POSTs "?validationtoken=…" there and expects the token back within 5
// seconds, so the Receiver must already be serving. Not retried once sent.
func (s *PushSubscriptionsService) Create(ctx context.Context, sub *PushSubscription) (*PushSubscription, error) {
	if sub == nil {
		return nil, errors.New("outlook: nil PushSubscription")
	}
	if err := sub.validate(s.mb.c.graph); err != nil {
		return nil, err
	}
	if s.mb.c.graph {
		return s.graphCreate(ctx, sub)
	}
	body := *sub
	body.ChangeType, _ = canonicalChangeTypes(sub.ChangeTypes()) // validated above
	body.ID, body.ODataID = "", ""
	if body.ODataType == "" {
		body.ODataType = ODataTypePushSubscription
	}
	if body.SubscriptionExpirationDateTime != nil {
		t := body.SubscriptionExpirationDateTime.UTC()
		body.SubscriptionExpirationDateTime = &t
	}
	return s.set.create(ctx, &body)
}

// Get reads a subscription: GET {root}/subscriptions/{id}. ClientState is
// not returned.
func (s *PushSubscriptionsService) Get(ctx context.Context, id string) (*PushSubscription, error) {
	if s.mb.c.graph {
		if err := needID("subscription", id); err != nil {
			return nil, err
		}
		return s.graphCall(ctx, &call{method: http.MethodGet, rel: "subscriptions/" + seg(id)})
	}
	return s.set.get(ctx, id, nil)
}

// Renew extends a subscription: PATCH {root}/subscriptions/{id} with
// {"@odata.type": "#Microsoft.OutlookServices.PushSubscription",
// "SubscriptionExpirationDateTime": expiry} (200, the subscription). A zero
// expiry sends no time, which extends the subscription to the maximum (3
// days).
func (s *PushSubscriptionsService) Renew(ctx context.Context, id string, expiry time.Time) (*PushSubscription, error) {
	if s.mb.c.graph {
		if err := needID("subscription", id); err != nil {
			return nil, err
		}
		return s.graphRenew(ctx, id, expiry)
	}
	body := struct {
		ODataType string     `json:"@odata.type"`
		Expiry    *time.Time `json:"SubscriptionExpirationDateTime,omitempty"`
	}{ODataType: ODataTypePushSubscription}
	if !expiry.IsZero() {
		t := expiry.UTC()
		body.Expiry = &t
	}
	return s.set.update(ctx, id, body)
}

// Delete ends a subscription: DELETE {root}/subscriptions/{id} (204).
func (s *PushSubscriptionsService) Delete(ctx context.Context, id string) error {
	if s.mb.c.graph {
		if err := needID("subscription", id); err != nil {
			return err
		}
		_, err := s.graphCall(ctx, &call{method: http.MethodDelete, rel: "subscriptions/" + seg(id)})
		return err
	}
	return s.set.delete(ctx, id)
}

// Notification is one push notification (entity Notification) as POSTed
// to the Receiver. Graph's change notifications and lifecycle events
// decode into the same type: their camelCase change types become Created,
// Updated, Deleted, and a lifecycle event becomes ChangeMissed,
// ChangeSubscriptionRemoved or ChangeReauthorizationRequired (without
// Resource); Graph sends no SequenceNumber (0) and a Resource relative to
// the version root ("users/{id}/messages/{id}"). The v2.0 shape:
//
//	{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,
//	 "SubscriptionId":"…","SubscriptionExpirationDateTime":"2015-11-20T23:16:31.36Z",
//	 "SequenceNumber":8,"ChangeType":"Created",
//	 "Resource":"https://outlook.office.com/api/v2.0/Users('…')/Messages('AAMk…')",
//	 "ResourceData":{"@odata.type":"#Microsoft.OutlookServices.Message","@odata.id":"…","@odata.etag":"W/\"…\"","Id":"AAMk…"}}
type Notification struct {
	// ODataType is "#Microsoft.OutlookServices.Notification".
	ODataType string `json:"@odata.type,omitempty"`
	// ID is "Id", always null in practice.
	ID *string `json:"Id"`
	// SubscriptionID names the subscription; use it to tell subscriptions
	// apart on one endpoint.
	SubscriptionID string `json:"SubscriptionId"`
	// SubscriptionExpirationDateTime is the subscription's current expiry.
	SubscriptionExpirationDateTime time.Time `json:"SubscriptionExpirationDateTime"`
	// SequenceNumber increments per subscription: a gap means notifications
	// were lost.
	SequenceNumber int64 `json:"SequenceNumber"`
	// ChangeType is Created, Updated, Deleted or Missed (then resynchronise:
	// Resource and ResourceData are absent).
	ChangeType ChangeType `json:"ChangeType"`
	// Resource is the URL of the changed item.
	Resource string `json:"Resource,omitempty"`
	// ResourceData is the changed item's identity as sent ("@odata.type",
	// "@odata.id", "@odata.etag", "Id"); Graph's is translated to these
	// names and types ("#Microsoft.Graph.Message" →
	// "#Microsoft.OutlookServices.Message").
	ResourceData json.RawMessage `json:"ResourceData,omitempty"`
	// TenantID is the tenant of the subscription (Graph only).
	TenantID string `json:"TenantId,omitempty"`
	// Extra holds the properties the service sent that Notification has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type notificationFields Notification

// UnmarshalJSON decodes the Notification, keeping unknown properties in Extra.
func (n *Notification) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*notificationFields)(n), &n.Extra, &n.null)
}

// MarshalJSON encodes the Notification and the properties in Extra.
func (n Notification) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*notificationFields)(&n), n.Extra, &n.null)
}

// ResourceID returns the Id in ResourceData ("" when absent).
func (n *Notification) ResourceID() string {
	var v struct {
		ID string `json:"Id"`
	}
	if len(n.ResourceData) == 0 || json.Unmarshal(n.ResourceData, &v) != nil {
		return ""
	}
	return v.ID
}

// ResourceType returns the "@odata.type" of ResourceData, e.g.
// "#Microsoft.OutlookServices.Message" ("" when absent).
func (n *Notification) ResourceType() string {
	var v struct {
		T string `json:"@odata.type"`
	}
	if len(n.ResourceData) == 0 || json.Unmarshal(n.ResourceData, &v) != nil {
		return ""
	}
	return v.T
}
