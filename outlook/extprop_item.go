package outlook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/jsonx"
)

// ItemRef addresses one item or folder that can carry extended properties
// (messages, events, contacts, mail folders, calendars, contact folders)
// or open extensions (messages, events, contacts). Build it with
// MessageRef, EventRef, ContactRef, MailFolderRef, CalendarRef,
// ContactFolderRef, TaskRef or TaskFolderRef.
type ItemRef struct {
	collection string // "messages", "events" …
	id         string
}

// MessageRef addresses {root}/messages/{id}.
func MessageRef(id string) ItemRef { return ItemRef{"messages", id} }

// EventRef addresses {root}/events/{id}.
func EventRef(id string) ItemRef { return ItemRef{"events", id} }

// ContactRef addresses {root}/contacts/{id}.
func ContactRef(id string) ItemRef { return ItemRef{"contacts", id} }

// MailFolderRef addresses {root}/MailFolders/{id} (an id or a well-known
// name such as FolderInbox).
func MailFolderRef(id string) ItemRef { return ItemRef{"MailFolders", id} }

// CalendarRef addresses {root}/calendars/{id}.
func CalendarRef(id string) ItemRef { return ItemRef{"calendars", id} }

// ContactFolderRef addresses {root}/contactfolders/{id}.
func ContactFolderRef(id string) ItemRef { return ItemRef{"contactfolders", id} }

// TaskRef addresses {root}/tasks/{id}. Extended properties on tasks follow
// the service's data model but are not documented for v2.0; open
// extensions are not supported on tasks.
func TaskRef(id string) ItemRef { return ItemRef{"tasks", id} }

// TaskFolderRef addresses {root}/taskfolders/{id}; extended properties
// only (from the service's data model, not documented for v2.0).
func TaskFolderRef(id string) ItemRef { return ItemRef{"taskfolders", id} }

// ID returns the item's id.
func (r ItemRef) ID() string { return r.id }

// Collection returns the entity set the item is addressed in ("messages",
// "events", …).
func (r ItemRef) Collection() string { return r.collection }

// String returns the item's path relative to the mailbox, e.g.
// "messages/AAMkAG…".
func (r ItemRef) String() string { return r.collection + "/" + seg(r.id) }

func (r ItemRef) check() error {
	if r.collection == "" {
		return errors.New("outlook: zero ItemRef (use MessageRef, EventRef, …)")
	}
	if r.id == "" {
		return fmt.Errorf("outlook: empty %s id", strings.TrimSuffix(strings.ToLower(r.collection), "s"))
	}
	return nil
}

// supportsExtensions reports whether open extensions exist on the item's
// type (messages, events and contacts).
func (r ItemRef) supportsExtensions() bool {
	switch r.collection {
	case "messages", "events", "contacts":
		return true
	}
	return false
}

// ExtendedProperties returns the extended-property API of one item or
// folder. Creating an item with extended properties needs no special call:
// set SingleValueExtendedProperties / MultiValueExtendedProperties on the
// Message, Event, Contact or folder given to Create (or on its Update
// type).
func (mb *Mailbox) ExtendedProperties(item ItemRef) *ExtendedPropertiesService {
	return &ExtendedPropertiesService{mb: mb, item: item}
}

// ExtendedPropertiesService reads and writes the extended properties of
// one item or folder.
type ExtendedPropertiesService struct {
	mb   *Mailbox
	item ItemRef
}

// ExtendedProperties are the extended properties read back from an item.
type ExtendedProperties struct {
	// ID is the item's Id.
	ID     string                              `json:"Id"`
	Single []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	Multi  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the other properties and annotations the service sent
	// ("@odata.id", "@odata.etag" …), as received; they are marshalled back.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type extendedPropertiesFields ExtendedProperties

// UnmarshalJSON decodes the properties, keeping unknown members in Extra.
func (p *ExtendedProperties) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*extendedPropertiesFields)(p), &p.Extra, &p.null)
}

// MarshalJSON encodes the properties and the members in Extra.
func (p ExtendedProperties) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*extendedPropertiesFields)(&p), p.Extra, &p.null)
}

// Set creates or updates extended properties on the item: PATCH
// {root}/{collection}/{id} with {"SingleValueExtendedProperties": […],
// "MultiValueExtendedProperties": […]} (200; the service answers the entity
// without the properties, which Set discards). Build the values with
// NewSingleValue and NewMultiValue.
func (s *ExtendedPropertiesService) Set(ctx context.Context, single []SingleValueLegacyExtendedProperty, multi []MultiValueLegacyExtendedProperty) error {
	if err := s.item.check(); err != nil {
		return err
	}
	if len(single)+len(multi) == 0 {
		return errors.New("outlook: ExtendedProperties.Set: no properties")
	}
	for _, p := range single {
		if err := checkWirePropertyID(p.PropertyID, false); err != nil {
			return err
		}
	}
	for _, p := range multi {
		if err := checkWirePropertyID(p.PropertyID, true); err != nil {
			return err
		}
	}
	body := struct {
		Single []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
		Multi  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	}{single, multi}
	_, err := s.mb.doJSON(ctx, &call{method: http.MethodPatch, rel: s.item.String(), query: "$select=Id", json: body,
		idempotent: true, kind: kindWrite}, nil)
	return err
}

// checkWirePropertyID validates a PropertyId string about to be sent.
func checkWirePropertyID(s string, multi bool) error {
	id, err := ParsePropertyID(s)
	if err != nil {
		return err
	}
	if id.Type.IsMultiValue() != multi {
		if multi {
			return fmt.Errorf("outlook: %q is a single-value property in MultiValueExtendedProperties", s)
		}
		return fmt.Errorf("outlook: %q is a multi-value property in SingleValueExtendedProperties", s)
	}
	return nil
}

// Get reads the named extended properties of the item: GET
// {root}/{collection}/{id}?$select=Id&$expand=SingleValueExtendedProperties($filter=PropertyId
// eq '…' or …),MultiValueExtendedProperties($filter=…). Single- and
// multi-value ids may be mixed; properties the item does not have are
// absent from the result. (The service cannot list all of an item's
// extended properties: they must be named.)
func (s *ExtendedPropertiesService) Get(ctx context.Context, ids ...PropertyID) (*ExtendedProperties, error) {
	if err := s.item.check(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errors.New("outlook: ExtendedProperties.Get: no property ids")
	}
	var single, multi []PropertyID
	for _, id := range ids {
		if err := id.Validate(); err != nil {
			return nil, err
		}
		if id.Type.IsMultiValue() {
			multi = append(multi, id)
		} else {
			single = append(single, id)
		}
	}
	var expand []string
	if len(single) > 0 {
		expand = append(expand, ExpandSingleValueProperties(single...))
	}
	if len(multi) > 0 {
		expand = append(expand, ExpandMultiValueProperties(multi...))
	}
	q := office365.Query{Select: []string{"Id"}, Expand: expand}.Encode()
	out := new(ExtendedProperties)
	if _, err := s.mb.doJSON(ctx, &call{method: http.MethodGet, rel: s.item.String(), query: q, kind: kindRead}, out); err != nil {
		return nil, err
	}
	return out, nil
}
