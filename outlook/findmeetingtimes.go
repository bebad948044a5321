package outlook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/office365-go/office365/internal/jsonx"
)

// FindMeetingTimesRequest is the body of POST {root}/findmeetingtimes.
// Every field is optional; the zero request asks for 30-minute slots in the
// organizer's working hours over the next two working days.
type FindMeetingTimesRequest struct {
	// Attendees are the people (and resources) who should attend.
	Attendees []AttendeeBase `json:"Attendees,omitempty"`
	// LocationConstraint asks for (or requires) a meeting place.
	LocationConstraint *LocationConstraint `json:"LocationConstraint,omitempty"`
	// TimeConstraint bounds when the meeting can happen.
	TimeConstraint *TimeConstraint `json:"TimeConstraint,omitempty"`
	// MeetingDuration is the meeting length (default PT30M).
	MeetingDuration Duration `json:"MeetingDuration,omitzero"`
	// MaxCandidates caps the number of suggestions.
	MaxCandidates *int32 `json:"MaxCandidates,omitempty"`
	// IsOrganizerOptional: the organizer need not be free (default false).
	IsOrganizerOptional *bool `json:"IsOrganizerOptional,omitempty"`
	// ReturnSuggestionReasons fills MeetingTimeSuggestion.SuggestionReason.
	ReturnSuggestionReasons *bool `json:"ReturnSuggestionReasons,omitempty"`
	// MinimumAttendeePercentage is the lowest confidence (0–100, default
	// 50) of a suggestion.
	MinimumAttendeePercentage *float64 `json:"MinimumAttendeePercentage,omitempty"`
}

// Validate checks the request's ranges and time slots.
func (r *FindMeetingTimesRequest) Validate() error {
	if r.MeetingDuration < 0 {
		return fmt.Errorf("outlook: FindMeetingTimes: negative MeetingDuration %s", r.MeetingDuration)
	}
	if r.MaxCandidates != nil && *r.MaxCandidates < 0 {
		return fmt.Errorf("outlook: FindMeetingTimes: negative MaxCandidates %d", *r.MaxCandidates)
	}
	if p := r.MinimumAttendeePercentage; p != nil && (*p < 0 || *p > 100) {
		return fmt.Errorf("outlook: FindMeetingTimes: MinimumAttendeePercentage %v is not 0–100", *p)
	}
	for i, a := range r.Attendees {
		if a.EmailAddress.Address == "" {
			return fmt.Errorf("outlook: FindMeetingTimes: attendee %d has no address", i)
		}
	}
	if r.TimeConstraint != nil {
		if d := r.TimeConstraint.ActivityDomain; d != "" {
			if _, err := canonicalActivityDomain(d); err != nil {
				return err
			}
		}
		for i, s := range r.TimeConstraint.Timeslots {
			start, err := s.Start.Time()
			if err != nil {
				return fmt.Errorf("outlook: FindMeetingTimes: time slot %d: %w", i, err)
			}
			end, err := s.End.Time()
			if err != nil {
				return fmt.Errorf("outlook: FindMeetingTimes: time slot %d: %w", i, err)
			}
			if !end.After(start) {
				return fmt.Errorf("outlook: FindMeetingTimes: time slot %d ends before it starts", i)
			}
		}
	}
	return nil
}

// canonicalActivityDomain checks an ActivityDomain (in any case).
func canonicalActivityDomain(d ActivityDomain) (ActivityDomain, error) {
	return canonicalEnum("FindMeetingTimes: ActivityDomain", d, ActivityWork, ActivityPersonal, ActivityUnrestricted, ActivityUnknown)
}

// LocationConstraint is where a meeting may take place (complex type
// LocationConstraint).
type LocationConstraint struct {
	// IsRequired: the meeting needs a location.
	IsRequired *bool `json:"IsRequired,omitempty"`
	// SuggestLocation asks the service to suggest locations.
	SuggestLocation *bool `json:"SuggestLocation,omitempty"`
	// Locations are the candidate places.
	Locations []LocationConstraintItem `json:"Locations,omitempty"`
	// Extra holds the properties the service sent that LocationConstraint has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type locationConstraintFields LocationConstraint

// UnmarshalJSON decodes the LocationConstraint, keeping unknown properties in Extra.
func (l *LocationConstraint) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*locationConstraintFields)(l), &l.Extra, &l.null)
}

// MarshalJSON encodes the LocationConstraint and the properties in Extra.
func (l LocationConstraint) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*locationConstraintFields)(&l), l.Extra, &l.null)
}

// LocationConstraintItem is a candidate place (complex type
// LocationConstraintItem, a Location plus ResolveAvailability).
type LocationConstraintItem struct {
	Location
	// ResolveAvailability asks the service to check that the place (a
	// resource mailbox in LocationEmailAddress) is free.
	ResolveAvailability *bool `json:"ResolveAvailability,omitempty"`
}

// locationConstraintItemFields is LocationConstraintItem without the JSON
// methods its embedded Location would lend it.
type locationConstraintItemFields struct {
	locationFields
	ResolveAvailability *bool `json:"ResolveAvailability,omitempty"`
}

// UnmarshalJSON decodes the item, keeping unknown properties in Extra.
func (l *LocationConstraintItem) UnmarshalJSON(b []byte) error {
	var w locationConstraintItemFields
	if err := jsonx.Unmarshal(b, &w, &w.Extra, &w.null); err != nil {
		return err
	}
	*l = LocationConstraintItem{Location(w.locationFields), w.ResolveAvailability}
	return nil
}

// MarshalJSON encodes the item and the properties in Extra.
func (l LocationConstraintItem) MarshalJSON() ([]byte, error) {
	w := locationConstraintItemFields{locationFields(l.Location), l.ResolveAvailability}
	return jsonx.Marshal(&w, w.Extra, &w.null)
}

// TimeConstraint bounds the search (complex type TimeConstraint).
type TimeConstraint struct {
	// ActivityDomain is the kind of time to use: Work (working hours, the
	// default), Personal, Unrestricted or Unknown.
	ActivityDomain ActivityDomain `json:"ActivityDomain,omitempty"`
	// Timeslots are the windows to search (JSON "Timeslots").
	Timeslots []TimeSlot `json:"Timeslots,omitempty"`
	// Extra holds the properties the service sent that TimeConstraint has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type timeConstraintFields TimeConstraint

// UnmarshalJSON decodes the TimeConstraint, keeping unknown properties in Extra.
func (t *TimeConstraint) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*timeConstraintFields)(t), &t.Extra, &t.null)
}

// MarshalJSON encodes the TimeConstraint and the properties in Extra.
func (t TimeConstraint) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*timeConstraintFields)(&t), t.Extra, &t.null)
}

// TimeSlot is a time range (complex type TimeSlot).
type TimeSlot struct {
	Start DateTimeTimeZone `json:"Start"`
	End   DateTimeTimeZone `json:"End"`
	// Extra holds the properties the service sent that TimeSlot has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type timeSlotFields TimeSlot

// UnmarshalJSON decodes the TimeSlot, keeping unknown properties in Extra.
func (t *TimeSlot) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*timeSlotFields)(t), &t.Extra, &t.null)
}

// MarshalJSON encodes the TimeSlot and the properties in Extra.
func (t TimeSlot) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*timeSlotFields)(&t), t.Extra, &t.null)
}

// MeetingTimeSuggestionsResult is the answer of FindMeetingTimes.
type MeetingTimeSuggestionsResult struct {
	// MeetingTimeSuggestions are the suggestions, best first.
	MeetingTimeSuggestions []MeetingTimeSuggestion `json:"MeetingTimeSuggestions"`
	// EmptySuggestionsReason says why there are none (one of the
	// EmptySuggestions… constants), "" when there are suggestions.
	EmptySuggestionsReason string `json:"EmptySuggestionsReason,omitempty"`
	// Extra holds the properties the service sent that MeetingTimeSuggestionsResult has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type meetingTimeSuggestionsResultFields MeetingTimeSuggestionsResult

// UnmarshalJSON decodes the MeetingTimeSuggestionsResult, keeping unknown properties in Extra.
func (m *MeetingTimeSuggestionsResult) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*meetingTimeSuggestionsResultFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MeetingTimeSuggestionsResult and the properties in Extra.
func (m MeetingTimeSuggestionsResult) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*meetingTimeSuggestionsResultFields)(&m), m.Extra, &m.null)
}

// EmptySuggestionsReason values.
const (
	EmptySuggestionsAttendeesUnavailable          = "AttendeesUnavailable"
	EmptySuggestionsAttendeesUnavailableOrUnknown = "AttendeesUnavailableOrUnknown"
	EmptySuggestionsLocationsUnavailable          = "LocationsUnavailable"
	EmptySuggestionsOrganizerUnavailable          = "OrganizerUnavailable"
	EmptySuggestionsUnknown                       = "Unknown"
)

// MeetingTimeSuggestion is one suggested slot (complex type
// MeetingTimeSuggestion).
type MeetingTimeSuggestion struct {
	MeetingTimeSlot *TimeSlot `json:"MeetingTimeSlot,omitempty"`
	// Confidence (0–100) that every attendee can attend.
	Confidence            *Double                `json:"Confidence,omitempty"`
	OrganizerAvailability FreeBusyStatus         `json:"OrganizerAvailability,omitempty"`
	AttendeeAvailability  []AttendeeAvailability `json:"AttendeeAvailability,omitempty"`
	Locations             []Location             `json:"Locations,omitempty"`
	// SuggestionReason explains the suggestion (ReturnSuggestionReasons).
	SuggestionReason string `json:"SuggestionReason,omitempty"`
	// Order is the suggestion's rank (documented for Microsoft Graph; the
	// Outlook v2.0 API may omit it).
	Order *int32 `json:"Order,omitempty"`
	// Extra holds the properties the service sent that MeetingTimeSuggestion has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type meetingTimeSuggestionFields MeetingTimeSuggestion

// UnmarshalJSON decodes the MeetingTimeSuggestion, keeping unknown properties in Extra.
func (m *MeetingTimeSuggestion) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*meetingTimeSuggestionFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MeetingTimeSuggestion and the properties in Extra.
func (m MeetingTimeSuggestion) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*meetingTimeSuggestionFields)(&m), m.Extra, &m.null)
}

// AttendeeAvailability is an attendee's availability in a suggested slot.
type AttendeeAvailability struct {
	Attendee     AttendeeBase   `json:"Attendee"`
	Availability FreeBusyStatus `json:"Availability,omitempty"`
	// Extra holds the properties the service sent that AttendeeAvailability has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type attendeeAvailabilityFields AttendeeAvailability

// UnmarshalJSON decodes the AttendeeAvailability, keeping unknown properties in Extra.
func (a *AttendeeAvailability) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*attendeeAvailabilityFields)(a), &a.Extra, &a.null)
}

// MarshalJSON encodes the AttendeeAvailability and the properties in Extra.
func (a AttendeeAvailability) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*attendeeAvailabilityFields)(&a), a.Extra, &a.null)
}

// FindMeetingTimes suggests meeting times (and places) from the attendees'
// free/busy: POST {root}/findmeetingtimes (200). Slots come back in UTC
// unless Prefer.TimeZone is set. Office 365 mailboxes only, not
// Outlook.com. The call only reads, so it is retried like a GET.
func (s *CalendarService) FindMeetingTimes(ctx context.Context, req *FindMeetingTimesRequest) (*MeetingTimeSuggestionsResult, error) {
	if req == nil {
		return nil, errors.New("outlook: FindMeetingTimes: nil request")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if tc := req.TimeConstraint; tc != nil && tc.ActivityDomain != "" {
		canon := *req
		c := *tc
		c.ActivityDomain, _ = canonicalActivityDomain(tc.ActivityDomain) // validated above
		canon.TimeConstraint = &c
		req = &canon
	}
	out := new(MeetingTimeSuggestionsResult)
	if _, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: "findmeetingtimes", json: req, idempotent: true, kind: kindWrite}, out); err != nil {
		return nil, err
	}
	return out, nil
}
