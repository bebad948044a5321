package streaming

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// ChangeType is the kind of change a notification reports. The service sends
// one of the ChangeType constants; any other value is kept as sent.
type ChangeType string

// The change types the streaming service sends in Notification.ChangeType.
const (
	// ChangeCreated reports a new item in the subscribed resource.
	ChangeCreated ChangeType = "Created"
	// ChangeUpdated reports a modified item.
	ChangeUpdated ChangeType = "Updated"
	// ChangeDeleted reports a removed item.
	ChangeDeleted ChangeType = "Deleted"
	// ChangeMissed reports that the service could not deliver one or more
	// notifications: the client has lost changes and should resynchronise.
	ChangeMissed ChangeType = "Missed"
	// ChangeAcknowledgment is sent by the service to acknowledge a subscription.
	ChangeAcknowledgment ChangeType = "Acknowledgment"
)

// OData types of the two kinds of objects in a GetNotifications stream.
const (
	// ODataTypeNotification is the @odata.type of a change notification.
	ODataTypeNotification = "#Microsoft.OutlookServices.Notification"
	// ODataTypeKeepAlive is the @odata.type of a keep-alive notification.
	ODataTypeKeepAlive = "#Microsoft.OutlookServices.KeepAliveNotification"
)

// ErrNoResourceData is returned by [Notification.DecodeResourceData] and
// [ResourceDataAs] when the notification carries no ResourceData (keep-alives,
// or a notification whose ResourceData was absent or null).
var ErrNoResourceData = errors.New("streaming: notification has no ResourceData")

// Notification is one object of a GetNotifications stream: a change
// notification or a keep-alive (see [Notification.IsKeepAlive]).
//
// A *Notification returned by [Decoder.Next] belongs to the Decoder and is
// only valid until the next call to Next; see [Decoder.Next] for the exact
// rules and [Notification.Clone] for an owned copy.
//
// The JSON tags match the wire names, so encoding/json decodes the wire format
// into a Notification the same way the Decoder does, and encodes a Notification
// back into it (omitting absent fields).
type Notification struct {
	// ODataType is the "@odata.type" of the object: ODataTypeNotification or
	// ODataTypeKeepAlive.
	ODataType string `json:"@odata.type,omitempty"`
	// ID is "Id", which the service sends as null; nil when null or absent.
	ID *string `json:"Id,omitempty"`
	// SubscriptionID identifies the subscription this notification belongs to;
	// one connection can carry several subscriptions.
	SubscriptionID string `json:"SubscriptionId,omitempty"`
	// SubscriptionExpirationDateTime is when the subscription expires unless
	// renewed; the service renews it while a connection listens.
	SubscriptionExpirationDateTime time.Time `json:"SubscriptionExpirationDateTime,omitzero"`
	// SequenceNumber counts the notifications of a subscription. A gap, or a
	// ChangeMissed notification, means changes were lost.
	SequenceNumber int64 `json:"SequenceNumber,omitzero"`
	// ChangeType is the kind of change.
	ChangeType ChangeType `json:"ChangeType,omitempty"`
	// Resource is the URL of the changed item.
	Resource string `json:"Resource,omitempty"`
	// ResourceData is the changed entity exactly as sent: "@odata.type",
	// "@odata.id", "@odata.etag", "Id", plus the properties a rich
	// subscription selected. Decode it with [Notification.DecodeResourceData]
	// or [ResourceDataAs]. Nil when absent or null.
	ResourceData json.RawMessage `json:"ResourceData,omitempty"`
	// Status is set on keep-alives. The documentation says "OK" but the
	// service sends "Ok": use [Notification.StatusOK] to test it.
	Status string `json:"Status,omitempty"`
}

// IsKeepAlive reports whether n is a keep-alive rather than a change
// notification: its @odata.type ends in "KeepAliveNotification", or it has a
// Status and no SubscriptionId.
func (n *Notification) IsKeepAlive() bool {
	const suffix = "KeepAliveNotification"
	if len(n.ODataType) >= len(suffix) && strings.EqualFold(n.ODataType[len(n.ODataType)-len(suffix):], suffix) {
		return true
	}
	return n.Status != "" && n.SubscriptionID == ""
}

// StatusOK reports whether the keep-alive status is "OK", compared
// case-insensitively because the service sends "Ok".
func (n *Notification) StatusOK() bool {
	return strings.EqualFold(n.Status, "OK")
}

// Clone returns a deep copy of n that stays valid after the Decoder that
// produced n moves on. Clone of nil is nil.
func (n *Notification) Clone() *Notification {
	if n == nil {
		return nil
	}
	c := *n
	if n.ID != nil {
		id := *n.ID
		c.ID = &id
	}
	if n.ResourceData != nil {
		c.ResourceData = json.RawMessage(bytes.Clone(n.ResourceData))
	}
	return &c
}

// DecodeResourceData unmarshals ResourceData into v with encoding/json. It
// returns ErrNoResourceData when the notification has none.
func (n *Notification) DecodeResourceData(v any) error {
	if len(n.ResourceData) == 0 {
		return ErrNoResourceData
	}
	return json.Unmarshal(n.ResourceData, v)
}

// ResourceDataAs decodes the notification's ResourceData into a new T with
// encoding/json, for example a message type holding the properties a rich
// subscription selected. It returns ErrNoResourceData when there is none.
func ResourceDataAs[T any](n *Notification) (T, error) {
	var v T
	err := n.DecodeResourceData(&v)
	return v, err
}
