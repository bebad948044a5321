package outlook

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/office365-go/office365/internal/jsonx"
)

// Reminder is one entry of the reminder view (complex type Reminder).
type Reminder struct {
	EventID          string            `json:"EventId,omitempty"`
	EventStartTime   *DateTimeTimeZone `json:"EventStartTime,omitempty"`
	EventEndTime     *DateTimeTimeZone `json:"EventEndTime,omitempty"`
	ChangeKey        string            `json:"ChangeKey,omitempty"`
	EventSubject     string            `json:"EventSubject,omitempty"`
	EventLocation    *Location         `json:"EventLocation,omitempty"`
	EventWebLink     string            `json:"EventWebLink,omitempty"`
	ReminderFireTime *DateTimeTimeZone `json:"ReminderFireTime,omitempty"`
	// Extra holds the properties the service sent that Reminder has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type reminderFields Reminder

// UnmarshalJSON decodes the Reminder, keeping unknown properties in Extra.
func (r *Reminder) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*reminderFields)(r), &r.Extra, &r.null)
}

// MarshalJSON encodes the Reminder and the properties in Extra.
func (r Reminder) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*reminderFields)(&r), r.Extra, &r.null)
}

// Reminders iterates the reminders due between start and end: GET
// {root}/ReminderView(StartDateTime='{start}',EndDateTime='{end}') (times
// sent in UTC). Times in the result use Prefer.TimeZone (UTC by default).
func (s *CalendarService) Reminders(ctx context.Context, start, end time.Time) iter.Seq2[*Reminder, error] {
	if _, err := windowQuery(start, end); err != nil {
		return errSeq[*Reminder](err)
	}
	rel := "ReminderView(StartDateTime='" + start.UTC().Format(DateTimeLayout) + "',EndDateTime='" + end.UTC().Format(DateTimeLayout) + "')"
	return listEntities[Reminder](ctx, s.mb, rel, nil)
}
