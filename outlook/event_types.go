package outlook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/office365-go/office365/internal/jsonx"
)

// Event is a calendar event (entity Event): a single appointment or
// meeting, the master of a recurring series, or an occurrence or exception
// of one (Type tells which).
//
// Every property is optional: a zero value is not sent when the Event is the
// body of a create call, and means "not returned" in a response (use $select
// to choose what comes back). Use EventUpdate to change an event. Start and
// End come back in UTC unless the mailbox or call sets Prefer.TimeZone.
type Event struct {
	// ODataType is "@odata.type"; set on events inside item attachments.
	ODataType string `json:"@odata.type,omitempty"`
	// ODataID and ODataETag are the "@odata.id" and "@odata.etag"
	// annotations (read only).
	ODataID   string `json:"@odata.id,omitempty"`
	ODataETag string `json:"@odata.etag,omitempty"`

	ID                   string     `json:"Id,omitempty"`
	CreatedDateTime      *time.Time `json:"CreatedDateTime,omitempty"`
	LastModifiedDateTime *time.Time `json:"LastModifiedDateTime,omitempty"`
	ChangeKey            string     `json:"ChangeKey,omitempty"`
	Categories           []string   `json:"Categories,omitempty"`

	// Subject is the event's title.
	Subject string `json:"Subject,omitempty"`
	// Body is the description; BodyPreview its first 255 characters (read
	// only).
	Body        *ItemBody `json:"Body,omitempty"`
	BodyPreview string    `json:"BodyPreview,omitempty"`
	// Start and End are the event's times. For an all-day event (IsAllDay)
	// both are midnight and End is the day after the last day.
	Start    *DateTimeTimeZone `json:"Start,omitempty"`
	End      *DateTimeTimeZone `json:"End,omitempty"`
	IsAllDay *bool             `json:"IsAllDay,omitempty"`
	// OriginalStartTimeZone and OriginalEndTimeZone are the zones the event
	// was created in (read only).
	OriginalStartTimeZone string `json:"OriginalStartTimeZone,omitempty"`
	OriginalEndTimeZone   string `json:"OriginalEndTimeZone,omitempty"`
	// OriginalStart is, for an exception, the start of the occurrence it
	// replaced (read only).
	OriginalStart *time.Time `json:"OriginalStart,omitempty"`

	// Location is the main place; Locations lists every place (late v2.0).
	Location  *Location  `json:"Location,omitempty"`
	Locations []Location `json:"Locations,omitempty"`

	Attendees []Attendee `json:"Attendees,omitempty"`
	Organizer *Recipient `json:"Organizer,omitempty"`
	// IsOrganizer reports whether the mailbox owner organises the event.
	IsOrganizer *bool `json:"IsOrganizer,omitempty"`
	// ResponseRequested asks attendees to respond (default true).
	ResponseRequested *bool `json:"ResponseRequested,omitempty"`
	// ResponseStatus is the mailbox owner's response (read only).
	ResponseStatus *ResponseStatus `json:"ResponseStatus,omitempty"`
	IsCancelled    *bool           `json:"IsCancelled,omitempty"`

	// Recurrence is the pattern of a series master (nil otherwise).
	Recurrence *PatternedRecurrence `json:"Recurrence,omitempty"`
	// Type says whether the event is a single instance, a series master, an
	// occurrence or an exception.
	Type EventType `json:"Type,omitempty"`
	// SeriesMasterID is the master's id for occurrences and exceptions.
	SeriesMasterID string `json:"SeriesMasterId,omitempty"`
	// ICalUID is the iCalendar UID shared by every copy of a meeting (JSON
	// "iCalUId").
	ICalUID string `json:"iCalUId,omitempty"`

	IsReminderOn               *bool          `json:"IsReminderOn,omitempty"`
	ReminderMinutesBeforeStart *int32         `json:"ReminderMinutesBeforeStart,omitempty"`
	Importance                 Importance     `json:"Importance,omitempty"`
	Sensitivity                Sensitivity    `json:"Sensitivity,omitempty"`
	ShowAs                     FreeBusyStatus `json:"ShowAs,omitempty"`
	OnlineMeetingURL           string         `json:"OnlineMeetingUrl,omitempty"`
	WebLink                    string         `json:"WebLink,omitempty"`

	HasAttachments *bool `json:"HasAttachments,omitempty"`
	// Attachments is only present with $expand=Attachments.
	Attachments Attachments `json:"Attachments,omitempty"`
	// Calendar is only present with $expand=Calendar.
	Calendar *Calendar `json:"Calendar,omitempty"`
	// Instances is only present with $expand=Instances (use
	// EventsService.Instances instead).
	Instances []Event `json:"Instances,omitempty"`
	// Extensions holds open extensions ($expand=Extensions).
	Extensions                    []json.RawMessage                   `json:"Extensions,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the properties the service sent that Event has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type eventFields Event

// UnmarshalJSON decodes the Event, keeping unknown properties in Extra.
func (e *Event) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*eventFields)(e), &e.Extra, &e.null)
}

// MarshalJSON encodes the Event and the properties in Extra.
func (e Event) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*eventFields)(&e), e.Extra, &e.null)
}

// StartTime returns Start as a time.Time (see DateTimeTimeZone.Time).
func (e *Event) StartTime() (time.Time, error) {
	if e.Start == nil {
		return time.Time{}, errors.New("outlook: event has no Start")
	}
	return e.Start.Time()
}

// EndTime returns End as a time.Time.
func (e *Event) EndTime() (time.Time, error) {
	if e.End == nil {
		return time.Time{}, errors.New("outlook: event has no End")
	}
	return e.End.Time()
}

// Attendee returns the attendee with the given address (compared
// case-insensitively), or nil.
func (e *Event) Attendee(address string) *Attendee {
	for i := range e.Attendees {
		if strings.EqualFold(e.Attendees[i].EmailAddress.Address, address) {
			return &e.Attendees[i]
		}
	}
	return nil
}

// AttendeeBase is an attendee without a response (complex type
// AttendeeBase): FindMeetingTimes' attendees.
type AttendeeBase struct {
	EmailAddress EmailAddress `json:"EmailAddress"`
	Type         AttendeeType `json:"Type,omitempty"`
	// Extra holds the properties the service sent that AttendeeBase has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type attendeeBaseFields AttendeeBase

// UnmarshalJSON decodes the AttendeeBase, keeping unknown properties in Extra.
func (a *AttendeeBase) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*attendeeBaseFields)(a), &a.Extra, &a.null)
}

// MarshalJSON encodes the AttendeeBase and the properties in Extra.
func (a AttendeeBase) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*attendeeBaseFields)(&a), a.Extra, &a.null)
}

// Attendee is an event attendee and their response (complex type Attendee).
type Attendee struct {
	EmailAddress EmailAddress `json:"EmailAddress"`
	Type         AttendeeType `json:"Type,omitempty"`
	// Status is the attendee's response (read only).
	Status *ResponseStatus `json:"Status,omitempty"`
	// Extra holds the properties the service sent that Attendee has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type attendeeFields Attendee

// UnmarshalJSON decodes the Attendee, keeping unknown properties in Extra.
func (a *Attendee) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*attendeeFields)(a), &a.Extra, &a.null)
}

// MarshalJSON encodes the Attendee and the properties in Extra.
func (a Attendee) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*attendeeFields)(&a), a.Extra, &a.null)
}

// RequiredAttendee returns a required attendee.
func RequiredAttendee(address, name string) Attendee {
	return Attendee{EmailAddress: EmailAddress{Address: address, Name: name}, Type: AttendeeRequired}
}

// OptionalAttendee returns an optional attendee.
func OptionalAttendee(address, name string) Attendee {
	return Attendee{EmailAddress: EmailAddress{Address: address, Name: name}, Type: AttendeeOptional}
}

// ResourceAttendee returns a resource (a room or equipment) attendee.
func ResourceAttendee(address, name string) Attendee {
	return Attendee{EmailAddress: EmailAddress{Address: address, Name: name}, Type: AttendeeResource}
}

// ResponseStatus is a response to a meeting and when it was given (complex
// type ResponseStatus). The service sends Time 0001-01-01T00:00:00Z when
// there was no response; HasResponded reports it.
type ResponseStatus struct {
	Response ResponseType `json:"Response,omitempty"`
	Time     *time.Time   `json:"Time,omitempty"`
	// Extra holds the properties the service sent that ResponseStatus has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type responseStatusFields ResponseStatus

// UnmarshalJSON decodes the ResponseStatus, keeping unknown properties in Extra.
func (r *ResponseStatus) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*responseStatusFields)(r), &r.Extra, &r.null)
}

// MarshalJSON encodes the ResponseStatus and the properties in Extra.
func (r ResponseStatus) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*responseStatusFields)(&r), r.Extra, &r.null)
}

// HasResponded reports whether the response is an actual answer (accepted,
// tentatively accepted or declined).
func (r *ResponseStatus) HasResponded() bool {
	if r == nil {
		return false
	}
	switch r.Response {
	case ResponseAccepted, ResponseTentativelyAccepted, ResponseDeclined:
		return true
	}
	return false
}

// EventUpdate is the body of PATCH {root}/events/{id}: only the fields that
// are set (Set or Null) are sent. An organizer's update sends meeting
// updates to the attendees.
type EventUpdate struct {
	Attendees                     Optional[[]Attendee]                          `json:"Attendees,omitzero"`
	Body                          Optional[ItemBody]                            `json:"Body,omitzero"`
	Categories                    Optional[[]string]                            `json:"Categories,omitzero"`
	End                           Optional[DateTimeTimeZone]                    `json:"End,omitzero"`
	Importance                    Optional[Importance]                          `json:"Importance,omitzero"`
	IsAllDay                      Optional[bool]                                `json:"IsAllDay,omitzero"`
	IsCancelled                   Optional[bool]                                `json:"IsCancelled,omitzero"`
	IsReminderOn                  Optional[bool]                                `json:"IsReminderOn,omitzero"`
	Location                      Optional[Location]                            `json:"Location,omitzero"`
	Locations                     Optional[[]Location]                          `json:"Locations,omitzero"`
	OnlineMeetingURL              Optional[string]                              `json:"OnlineMeetingUrl,omitzero"`
	Organizer                     Optional[Recipient]                           `json:"Organizer,omitzero"`
	Recurrence                    Optional[PatternedRecurrence]                 `json:"Recurrence,omitzero"`
	ReminderMinutesBeforeStart    Optional[int32]                               `json:"ReminderMinutesBeforeStart,omitzero"`
	ResponseRequested             Optional[bool]                                `json:"ResponseRequested,omitzero"`
	Sensitivity                   Optional[Sensitivity]                         `json:"Sensitivity,omitzero"`
	ShowAs                        Optional[FreeBusyStatus]                      `json:"ShowAs,omitzero"`
	Start                         Optional[DateTimeTimeZone]                    `json:"Start,omitzero"`
	Subject                       Optional[string]                              `json:"Subject,omitzero"`
	SingleValueExtendedProperties Optional[[]SingleValueLegacyExtendedProperty] `json:"SingleValueExtendedProperties,omitzero"`
	MultiValueExtendedProperties  Optional[[]MultiValueLegacyExtendedProperty]  `json:"MultiValueExtendedProperties,omitzero"`
}

// Calendar is a calendar (entity Calendar).
type Calendar struct {
	ODataID string `json:"@odata.id,omitempty"`

	ID        string        `json:"Id,omitempty"`
	Name      string        `json:"Name,omitempty"`
	ChangeKey string        `json:"ChangeKey,omitempty"`
	Color     CalendarColor `json:"Color,omitempty"`
	// CanEdit, CanShare, CanViewPrivateItems and Owner describe the
	// mailbox owner's rights on a (shared) calendar (read only).
	CanEdit             *bool         `json:"CanEdit,omitempty"`
	CanShare            *bool         `json:"CanShare,omitempty"`
	CanViewPrivateItems *bool         `json:"CanViewPrivateItems,omitempty"`
	Owner               *EmailAddress `json:"Owner,omitempty"`
	// IsDefaultCalendar is a beta property.
	IsDefaultCalendar             *bool                               `json:"IsDefaultCalendar,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the properties the service sent that Calendar has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type calendarFields Calendar

// UnmarshalJSON decodes the Calendar, keeping unknown properties in Extra.
func (c *Calendar) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*calendarFields)(c), &c.Extra, &c.null)
}

// MarshalJSON encodes the Calendar and the properties in Extra.
func (c Calendar) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*calendarFields)(&c), c.Extra, &c.null)
}

// CalendarUpdate is the body of PATCH {root}/calendars/{id}.
type CalendarUpdate struct {
	Name                          Optional[string]                              `json:"Name,omitzero"`
	Color                         Optional[CalendarColor]                       `json:"Color,omitzero"`
	SingleValueExtendedProperties Optional[[]SingleValueLegacyExtendedProperty] `json:"SingleValueExtendedProperties,omitzero"`
	MultiValueExtendedProperties  Optional[[]MultiValueLegacyExtendedProperty]  `json:"MultiValueExtendedProperties,omitzero"`
}

// CalendarGroup is a group of calendars (entity CalendarGroup).
type CalendarGroup struct {
	ODataID string `json:"@odata.id,omitempty"`

	ID        string `json:"Id,omitempty"`
	Name      string `json:"Name,omitempty"`
	ChangeKey string `json:"ChangeKey,omitempty"`
	// ClassID identifies the group's class (a GUID, read only).
	ClassID string `json:"ClassId,omitempty"`
	// Extra holds the properties the service sent that CalendarGroup has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type calendarGroupFields CalendarGroup

// UnmarshalJSON decodes the CalendarGroup, keeping unknown properties in Extra.
func (c *CalendarGroup) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*calendarGroupFields)(c), &c.Extra, &c.null)
}

// MarshalJSON encodes the CalendarGroup and the properties in Extra.
func (c CalendarGroup) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*calendarGroupFields)(&c), c.Extra, &c.null)
}

// NewEventItemAttachment returns an ItemAttachment carrying ev (its
// "@odata.type" is set to ODataTypeEvent).
func NewEventItemAttachment(name string, ev *Event) (*ItemAttachment, error) {
	if ev == nil {
		return nil, errors.New("outlook: NewEventItemAttachment: nil event")
	}
	e := *ev
	if e.ODataType == "" {
		e.ODataType = ODataTypeEvent
	}
	return newItemAttachment(name, "event", e)
}

// Event decodes the attached item as an Event. It fails when the item was
// not returned (use $expand=Item) or is not an event.
func (a *ItemAttachment) Event() (*Event, error) {
	return attachedItem[Event](a, "an", "event", isODataType(ODataTypeEvent))
}

// DecodeEvent decodes the event of a meeting message (present when the
// message was read with $expand=Event).
func (m *EventMessage) DecodeEvent() (*Event, error) {
	if m == nil || len(m.Event) == 0 || bytes.Equal(m.Event, []byte("null")) {
		return nil, errors.New("outlook: the meeting message carries no event (read it with $expand=Event)")
	}
	var e Event
	if err := json.Unmarshal(m.Event, &e); err != nil {
		return nil, fmt.Errorf("outlook: decoding the meeting message's event: %w", err)
	}
	return &e, nil
}
