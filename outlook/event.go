package outlook

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"time"
)

// EventsService is an event collection: the default calendar
// ({root}/events), a given calendar ({root}/calendars/{calendar_id}/events)
// or a group's calendar
// ({root}/calendargroups/{group_id}/calendars/{calendar_id}/events). List,
// ListPages, Count and Create use the collection; the operations on one
// event address {root}/events/{event_id} whatever the scope, as the service
// documents them.
type EventsService struct {
	mb   *Mailbox
	coll string
	err  error
}

func eventItem(id string) string { return "events/" + seg(id) }

// List iterates the single events and series masters of the collection
// (not the occurrences: use CalendarService.View or Instances): GET
// {root}/events or GET {root}/calendars/{calendar_id}/events.
func (s *EventsService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*Event, error] {
	if s.err != nil {
		return errSeq[*Event](s.err)
	}
	return listEntities[Event](ctx, s.mb, s.coll, opts)
}

// ListPages is List page by page.
func (s *EventsService) ListPages(ctx context.Context, opts *ListOptions) iter.Seq2[*Page[Event], error] {
	if s.err != nil {
		return errSeq[*Page[Event]](s.err)
	}
	return listPages[Event](ctx, s.mb, s.coll, opts)
}

// Count returns the number of events: GET {root}/events/$count.
func (s *EventsService) Count(ctx context.Context, filter string) (int64, error) {
	if s.err != nil {
		return 0, s.err
	}
	return countEntities(ctx, s.mb, s.coll, filter)
}

// Get reads an event: GET {root}/events/{event_id}. opts.Expand may name
// Attachments, Calendar or Instances.
func (s *EventsService) Get(ctx context.Context, id string, opts *GetOptions) (*Event, error) {
	if err := needID("event", id); err != nil {
		return nil, err
	}
	return getEntity[Event](ctx, s.mb, eventItem(id), opts)
}

// Create creates an event: POST {root}/events (or the scoped collection),
// 201 with the event. The service sends invitations to the attendees. Start
// and End are required; a recurrence is checked with Validate first. Not
// retried once sent, so a meeting is never created twice.
func (s *EventsService) Create(ctx context.Context, ev *Event) (*Event, error) {
	if s.err != nil {
		return nil, s.err
	}
	if err := validateNewEvent(ev); err != nil {
		return nil, err
	}
	return createEntity[Event](ctx, s.mb, s.coll, ev)
}

func validateNewEvent(ev *Event) error {
	if ev == nil {
		return errors.New("outlook: nil event")
	}
	if ev.Start == nil || ev.End == nil {
		return errors.New("outlook: an event needs Start and End")
	}
	start, err := ev.Start.Time()
	if err != nil {
		return err
	}
	end, err := ev.End.Time()
	if err != nil {
		return err
	}
	if end.Before(start) {
		return errors.New("outlook: the event ends before it starts")
	}
	return ev.Recurrence.Validate()
}

// Update changes the set fields of u: PATCH {root}/events/{event_id} (200,
// the full event). An organizer's update sends meeting updates.
func (s *EventsService) Update(ctx context.Context, id string, u *EventUpdate) (*Event, error) {
	if err := needID("event", id); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errors.New("outlook: nil event update")
	}
	if r, ok := u.Recurrence.Get(); ok {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	return updateEntity[Event](ctx, s.mb, eventItem(id), u)
}

// Delete deletes an event: DELETE {root}/events/{event_id} (204). When the
// organizer deletes a meeting, the service sends a cancellation; deleting
// a series master deletes the series.
func (s *EventsService) Delete(ctx context.Context, id string) error {
	if err := needID("event", id); err != nil {
		return err
	}
	return deleteEntity(ctx, s.mb, eventItem(id))
}

// Instances iterates the occurrences and exceptions of a series between
// start and end: GET
// {root}/events/{event_id}/instances?startDateTime={start}&endDateTime={end}
// (window in UTC).
func (s *EventsService) Instances(ctx context.Context, seriesMasterID string, start, end time.Time, opts *ListOptions) iter.Seq2[*Event, error] {
	if err := needID("event", seriesMasterID); err != nil {
		return errSeq[*Event](err)
	}
	q, err := windowQuery(start, end)
	if err != nil {
		return errSeq[*Event](err)
	}
	return flattenPages(listPagesCall[Event](ctx, s.mb, &call{method: http.MethodGet, rel: eventItem(seriesMasterID) + "/instances", query: q, kind: kindCollection, prefer: opts.prefer()}, opts))
}

// eventResponse is the body of accept, decline and tentativelyaccept.
type eventResponse struct {
	Comment      string `json:"Comment,omitempty"`
	SendResponse bool   `json:"SendResponse"`
}

// Accept accepts a meeting: POST {root}/events/{event_id}/accept with
// {"Comment": comment, "SendResponse": sendResponse} (202). With
// sendResponse false the organizer gets no reply mail. Not retried once
// sent.
func (s *EventsService) Accept(ctx context.Context, id, comment string, sendResponse bool) error {
	return s.respond(ctx, id, "accept", comment, sendResponse)
}

// TentativelyAccept tentatively accepts a meeting: POST
// {root}/events/{event_id}/tentativelyaccept (202).
func (s *EventsService) TentativelyAccept(ctx context.Context, id, comment string, sendResponse bool) error {
	return s.respond(ctx, id, "tentativelyaccept", comment, sendResponse)
}

// Decline declines a meeting: POST {root}/events/{event_id}/decline (202).
func (s *EventsService) Decline(ctx context.Context, id, comment string, sendResponse bool) error {
	return s.respond(ctx, id, "decline", comment, sendResponse)
}

func (s *EventsService) respond(ctx context.Context, id, action, comment string, send bool) error {
	if err := needID("event", id); err != nil {
		return err
	}
	return postAction(ctx, s.mb, eventItem(id)+"/"+action, eventResponse{Comment: comment, SendResponse: send})
}

// Cancel cancels a meeting the mailbox organises and sends the attendees a
// cancellation with comment (beta only): POST {beta}/events/{event_id}/Cancel
// (202).
func (s *EventsService) Cancel(ctx context.Context, id, comment string) error {
	if err := needID("event", id); err != nil {
		return err
	}
	_, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: eventItem(id) + "/Cancel", json: struct {
		Comment string `json:"Comment,omitempty"`
	}{comment}, kind: kindWrite, beta: true}, nil)
	return err
}

// SnoozeReminder postpones the event's reminder to newReminderTime: POST
// {root}/events/{event_id}/SnoozeReminder with {"NewReminderTime": …} (any
// 2xx). Repeating it is harmless, so it is retried.
func (s *EventsService) SnoozeReminder(ctx context.Context, id string, newReminderTime DateTimeTimeZone) error {
	if err := needID("event", id); err != nil {
		return err
	}
	if err := newReminderTime.Validate(); err != nil {
		return err
	}
	_, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: eventItem(id) + "/SnoozeReminder", json: struct {
		NewReminderTime DateTimeTimeZone `json:"NewReminderTime"`
	}{newReminderTime}, idempotent: true, kind: kindWrite}, nil)
	return err
}

// DismissReminder dismisses the event's reminder: POST
// {root}/events/{event_id}/DismissReminder, no body (any 2xx). Retried.
func (s *EventsService) DismissReminder(ctx context.Context, id string) error {
	if err := needID("event", id); err != nil {
		return err
	}
	_, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: eventItem(id) + "/DismissReminder", idempotent: true, kind: kindWrite}, nil)
	return err
}

// Attachments returns the attachments of an event
// ({root}/events/{event_id}/attachments): the Mail API's AttachmentsService
// over the event (file, item and reference attachments, same shapes).
func (s *EventsService) Attachments(eventID string) *AttachmentsService {
	return &AttachmentsService{mb: s.mb, parent: eventItem(eventID), parentID: eventID}
}
