package outlook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// LocationConstraint is where a meeting may take place (complex type
// LocationConstraint).
type LocationConstraint struct {
	// IsRequired: the meeting needs a location.
	IsRequired *bool `json:"IsRequired,omitempty"`
	// SuggestLocation asks the service to suggest locations.
	SuggestLocation *bool `json:"SuggestLocation,omitempty"`
	// Locations are the candidate places.
	Locations []LocationConstraintItem `json:"Locations,omitempty"`
}

// LocationConstraintItem is a candidate place (complex type
// LocationConstraintItem, a Location plus ResolveAvailability).
type LocationConstraintItem struct {
	Location
	// ResolveAvailability asks the service to check that the place (a
	// resource mailbox in LocationEmailAddress) is free.
	ResolveAvailability *bool `json:"ResolveAvailability,omitempty"`
}

// TimeConstraint bounds the search (complex type TimeConstraint).
type TimeConstraint struct {
	// ActivityDomain is the kind of time to use: Work (working hours, the
	// default), Personal, Unrestricted or Unknown.
	ActivityDomain ActivityDomain `json:"ActivityDomain,omitempty"`
	// Timeslots are the windows to search (JSON "Timeslots").
	Timeslots []TimeSlot `json:"Timeslots,omitempty"`
}

// TimeSlot is a time range (complex type TimeSlot).
type TimeSlot struct {
	Start DateTimeTimeZone `json:"Start"`
	End   DateTimeTimeZone `json:"End"`
}

// MeetingTimeSuggestionsResult is the answer of FindMeetingTimes.
type MeetingTimeSuggestionsResult struct {
	// MeetingTimeSuggestions are the suggestions, best first.
	MeetingTimeSuggestions []MeetingTimeSuggestion `json:"MeetingTimeSuggestions"`
	// EmptySuggestionsReason says why there are none (one of the
	// EmptySuggestions… constants), "" when there are suggestions.
	EmptySuggestionsReason string `json:"EmptySuggestionsReason,omitempty"`
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
}

// AttendeeAvailability is an attendee's availability in a suggested slot.
type AttendeeAvailability struct {
	Attendee     AttendeeBase   `json:"Attendee"`
	Availability FreeBusyStatus `json:"Availability,omitempty"`
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
	out := new(MeetingTimeSuggestionsResult)
	if _, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: "findmeetingtimes", json: req, idempotent: true, kind: kindWrite}, out); err != nil {
		return nil, err
	}
	return out, nil
}
