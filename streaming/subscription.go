package streaming

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ODataTypeStreamingSubscription is the @odata.type of a streaming
// subscription, sent when subscribing and echoed by the service.
const ODataTypeStreamingSubscription = "#Microsoft.OutlookServices.StreamingSubscription"

// Subscription is a streaming subscription: the service's answer to
// POST {beta}/me/subscriptions, plus the listening state the client keeps.
//
// A Subscription marshals to JSON in the service's shape ("Id", "Resource",
// "ChangeType" as a comma list) with "LastSequenceNumber" added when it is
// not zero, and unmarshals from the same shape, so it can be persisted and
// handed to [Client.Listen] again after a restart.
//
// A subscription of a WithGraph client is a Microsoft Graph delta query:
// its ID is made up by the client, its Resource is the delta URL, and it
// also holds (unexported, persisted in JSON as "GraphDelta") where the
// query stands and the items it knows. Persist the values
// [Listener.Subscriptions] returns to resume without repeats or losses.
type Subscription struct {
	// ID identifies the subscription in GetNotifications and in every
	// notification's SubscriptionID.
	ID string
	// Resource is the resource URL the subscription watches, as the service
	// echoed it (with any $filter and $select). The listener subscribes to
	// it again when the subscription expires; a Subscription without a
	// Resource cannot be renewed that way.
	Resource string
	// ChangeTypes are the change types the service reports. The service adds
	// ChangeMissed to those requested.
	ChangeTypes []ChangeType
	// ODataID is the subscription's "@odata.id", if the service sent one.
	ODataID string
	// LastSequenceNumber is the SequenceNumber of the last notification of
	// this subscription handed to the caller; 0 for a new subscription.
	// Gap detection starts from it, so set it when resuming a persisted
	// subscription ([Listener.Subscriptions] reports the current value).
	LastSequenceNumber int64

	// graph is where a subscription of a WithGraph client stands in its
	// delta query (an immutable snapshot); nil for the Outlook API.
	graph *graphState
}

// subscriptionWire is the JSON shape of a Subscription.
type subscriptionWire struct {
	ODataType          string `json:"@odata.type,omitempty"`
	ODataID            string `json:"@odata.id,omitempty"`
	ID                 string `json:"Id"`
	Resource           string `json:"Resource"`
	ChangeType         string `json:"ChangeType"`
	LastSequenceNumber int64  `json:"LastSequenceNumber,omitempty"`
	// GraphDelta is the delta position of a WithGraph subscription.
	GraphDelta *graphStateWire `json:"GraphDelta,omitempty"`
}

// MarshalJSON encodes s in the service's shape plus LastSequenceNumber.
func (s Subscription) MarshalJSON() ([]byte, error) {
	return json.Marshal(subscriptionWire{
		ODataType: ODataTypeStreamingSubscription, ODataID: s.ODataID, ID: s.ID, Resource: s.Resource,
		ChangeType: FormatChangeTypes(s.ChangeTypes), LastSequenceNumber: s.LastSequenceNumber,
		GraphDelta: s.graph.wire(),
	})
}

// UnmarshalJSON decodes the service's answer to a subscribe request (or
// what MarshalJSON wrote).
func (s *Subscription) UnmarshalJSON(b []byte) error {
	var w subscriptionWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	g, err := w.GraphDelta.state()
	if err != nil {
		return err
	}
	*s = Subscription{ID: w.ID, Resource: w.Resource, ChangeTypes: ParseChangeTypes(w.ChangeType),
		ODataID: w.ODataID, LastSequenceNumber: w.LastSequenceNumber, graph: g}
	return nil
}

// requested returns the change types to ask for when subscribing to s's
// resource again: those the service reports, minus the ones it adds itself.
func (s *Subscription) requested() []ChangeType {
	var out []ChangeType
	for _, c := range s.ChangeTypes {
		if c != ChangeMissed && c != ChangeAcknowledgment {
			out = append(out, c)
		}
	}
	return out
}

// ParseChangeTypes splits a ChangeType list as the service sends it
// ("Created, Updated, Deleted, Missed", or without spaces) into its values,
// normalising the case of the known ones.
func ParseChangeTypes(s string) []ChangeType {
	var out []ChangeType
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		out = append(out, canonicalChangeType(part))
	}
	return out
}

// FormatChangeTypes joins change types the way the service documentation
// writes them in a subscribe request: "Created,Updated,Deleted".
func FormatChangeTypes(cs []ChangeType) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ",")
}

func canonicalChangeType(s string) ChangeType {
	for _, c := range []ChangeType{ChangeCreated, ChangeUpdated, ChangeDeleted, ChangeMissed, ChangeAcknowledgment} {
		if strings.EqualFold(s, string(c)) {
			return c
		}
	}
	return ChangeType(s)
}

// DefaultChangeTypes are subscribed to when Subscribe is given none.
var DefaultChangeTypes = []ChangeType{ChangeCreated, ChangeUpdated, ChangeDeleted}

// checkChangeTypes validates the change types of a subscribe request and
// returns them deduplicated in a canonical order.
func checkChangeTypes(cs []ChangeType) ([]ChangeType, error) {
	if len(cs) == 0 {
		return DefaultChangeTypes, nil
	}
	var seen [3]bool
	for _, c := range cs {
		switch canonicalChangeType(string(c)) {
		case ChangeCreated:
			seen[0] = true
		case ChangeUpdated:
			seen[1] = true
		case ChangeDeleted:
			seen[2] = true
		default:
			return nil, fmt.Errorf("streaming: cannot subscribe to change type %q (want Created, Updated or Deleted; the service adds Missed itself)", c)
		}
	}
	var out []ChangeType
	for i, c := range DefaultChangeTypes {
		if seen[i] {
			out = append(out, c)
		}
	}
	return out, nil
}
