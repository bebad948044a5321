package outlook

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Calendar returns the Calendar API of the mailbox, scoped to the default
// calendar: events, calendar view, delta sync, reminders, FindMeetingTimes,
// and the management of calendars and calendar groups. Use In or InGroup to
// work in another calendar.
//
// Scopes: Calendars.Read, Calendars.ReadWrite.
func (mb *Mailbox) Calendar() *CalendarService { return &CalendarService{mb: mb} }

// CalendarService is the Calendar API of one mailbox, scoped to one
// calendar: the default calendar ({root}/calendar, {root}/events,
// {root}/calendarview), a given calendar ({root}/calendars/{id}/…, see In)
// or a calendar of a group ({root}/calendargroups/{group_id}/calendars/{id}/…,
// see InGroup). Calendars, Groups, Reminders and FindMeetingTimes are
// mailbox-wide whatever the scope. It is cheap and immutable.
type CalendarService struct {
	mb   *Mailbox
	base string // "" (default calendar), "calendars/{id}" or "calendargroups/{gid}/calendars/{id}"
	err  error
}

// In returns the service scoped to a given calendar:
// {root}/calendars/{calendar_id}.
func (s *CalendarService) In(calendarID string) *CalendarService {
	cp := &CalendarService{mb: s.mb, base: "calendars/" + seg(calendarID)}
	if err := needID("calendar", calendarID); err != nil {
		cp.err = err
	}
	return cp
}

// InGroup returns the service scoped to a calendar of a calendar group:
// {root}/calendargroups/{group_id}/calendars/{calendar_id}.
func (s *CalendarService) InGroup(groupID, calendarID string) *CalendarService {
	cp := &CalendarService{mb: s.mb, base: "calendargroups/" + seg(groupID) + "/calendars/" + seg(calendarID)}
	cp.err = errors.Join(needID("calendar group", groupID), needID("calendar", calendarID))
	return cp
}

// rel returns the path of sub under the scoped calendar ("events",
// "calendarview").
func (s *CalendarService) rel(sub string) string {
	if s.base == "" {
		return sub
	}
	return s.base + "/" + sub
}

// Get reads the scoped calendar: GET {root}/calendar (the default calendar),
// GET {root}/calendars/{calendar_id} or GET
// {root}/calendargroups/{group_id}/calendars/{calendar_id}.
func (s *CalendarService) Get(ctx context.Context, opts *GetOptions) (*Calendar, error) {
	if s.err != nil {
		return nil, s.err
	}
	p := s.base
	if p == "" {
		p = "calendar"
	}
	return getEntity[Calendar](ctx, s.mb, p, opts)
}

// Events returns the events of the scoped calendar: {root}/events (default
// calendar), {root}/calendars/{calendar_id}/events or
// {root}/calendargroups/{group_id}/calendars/{calendar_id}/events.
func (s *CalendarService) Events() *EventsService {
	return &EventsService{mb: s.mb, coll: s.rel("events"), err: s.err}
}

// Calendars returns the calendars of the mailbox ({root}/calendars).
func (s *CalendarService) Calendars() *CalendarsService {
	return &CalendarsService{mb: s.mb, coll: "calendars"}
}

// Groups returns the calendar groups of the mailbox ({root}/calendargroups).
func (s *CalendarService) Groups() *CalendarGroupsService {
	return &CalendarGroupsService{mb: s.mb, set: entitySet[CalendarGroup]{mb: s.mb, path: "calendargroups", what: "calendar group"}}
}

// windowQuery renders startDateTime/endDateTime (UTC, second precision).
func windowQuery(start, end time.Time) (string, error) {
	if start.IsZero() || end.IsZero() {
		return "", errors.New("outlook: a calendar view needs both a start and an end time")
	}
	if !end.After(start) {
		return "", fmt.Errorf("outlook: calendar view window ends (%s) before it starts (%s)", end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	return "startDateTime=" + viewTime(start) + "&endDateTime=" + viewTime(end), nil
}

func viewTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

// View iterates the calendar view of the scoped calendar between start and
// end: every single event, occurrence and exception that overlaps the
// window, recurring series expanded. GET
// {root}/calendarview?startDateTime={start}&endDateTime={end} (or
// {root}/calendars/{calendar_id}/calendarview…), with opts' $select,
// $filter, $orderby (e.g. "Start/DateTime"), $top and page size. The window
// is sent in UTC.
func (s *CalendarService) View(ctx context.Context, start, end time.Time, opts *ListOptions) iter.Seq2[*Event, error] {
	return flattenPages(s.ViewPages(ctx, start, end, opts))
}

// ViewPages is View page by page (each page's NextLink resumes the view).
func (s *CalendarService) ViewPages(ctx context.Context, start, end time.Time, opts *ListOptions) iter.Seq2[*Page[Event], error] {
	if s.err != nil {
		return errSeq[*Page[Event]](s.err)
	}
	q, err := windowQuery(start, end)
	if err != nil {
		return errSeq[*Page[Event]](err)
	}
	return listPagesCall[Event](ctx, s.mb, &call{method: http.MethodGet, rel: s.rel("calendarview"), query: q, kind: kindCollection, prefer: opts.prefer()}, opts)
}

// ViewDelta runs one sync round over the calendar view of the scoped
// calendar between start and end: GET
// {root}/calendarview?startDateTime={start}&endDateTime={end} with Prefer:
// odata.track-changes, then the $skiptoken pages, until a $deltatoken link.
// Start with a zero DeltaState, or pass the persisted one to get only the
// changes since (the window is part of the state: a state saved for another
// window is refused). state, if non-nil, is advanced as pages are yielded;
// persist DeltaPage.State after processing each page.
//
// Calendar-view sync accepts no $select, $filter, $orderby, $top or $skip:
// opts may only set MaxPageSize. Series masters and exceptions come whole;
// occurrences come abbreviated (Id, Type, SeriesMasterId, Start, End);
// deleted events come with Removed set.
func (s *CalendarService) ViewDelta(ctx context.Context, start, end time.Time, state *DeltaState, opts *DeltaOptions) iter.Seq2[*DeltaPage[Event], error] {
	if s.err != nil {
		return errSeq[*DeltaPage[Event]](s.err)
	}
	if opts != nil && (len(opts.Select) > 0 || opts.Filter != "" || len(opts.OrderBy) > 0 || len(opts.Expand) > 0) {
		return errSeq[*DeltaPage[Event]](errors.New("outlook: calendar view sync supports no $select, $filter, $orderby or $expand (only MaxPageSize)"))
	}
	q, err := windowQuery(start, end)
	if err != nil {
		return errSeq[*DeltaPage[Event]](err)
	}
	// The window is part of the resource: the service keeps it in its
	// next and delta links, and a state of another window must not be
	// resumed here.
	return deltaPages[Event](ctx, s.mb, s.rel("calendarview")+"?"+q, state, opts)
}

// CalendarsService manages calendars: {root}/calendars, or the calendars of
// a group ({root}/calendargroups/{group_id}/calendars, see
// CalendarGroupsService.Calendars). Get, Update and Delete address
// {root}/calendars/{calendar_id} whatever the scope.
type CalendarsService struct {
	mb   *Mailbox
	coll string
	err  error
}

func calendarItem(id string) string { return "calendars/" + seg(id) }

// List iterates the calendars: GET {root}/calendars or GET
// {root}/calendargroups/{group_id}/calendars.
func (s *CalendarsService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*Calendar, error] {
	if s.err != nil {
		return errSeq[*Calendar](s.err)
	}
	return listEntities[Calendar](ctx, s.mb, s.coll, opts)
}

// ListPages is List page by page.
func (s *CalendarsService) ListPages(ctx context.Context, opts *ListOptions) iter.Seq2[*Page[Calendar], error] {
	if s.err != nil {
		return errSeq[*Page[Calendar]](s.err)
	}
	return listPages[Calendar](ctx, s.mb, s.coll, opts)
}

// Count returns the number of calendars: GET {root}/calendars/$count.
func (s *CalendarsService) Count(ctx context.Context, filter string) (int64, error) {
	if s.err != nil {
		return 0, s.err
	}
	return countEntities(ctx, s.mb, s.coll, filter)
}

// Get reads a calendar: GET {root}/calendars/{calendar_id}.
func (s *CalendarsService) Get(ctx context.Context, id string, opts *GetOptions) (*Calendar, error) {
	if err := needID("calendar", id); err != nil {
		return nil, err
	}
	return getEntity[Calendar](ctx, s.mb, calendarItem(id), opts)
}

// Create creates a calendar: POST {root}/calendars (or
// {root}/calendargroups/{group_id}/calendars) with {"Name": …} (and Color
// and extended properties when set), 201.
func (s *CalendarsService) Create(ctx context.Context, c *Calendar) (*Calendar, error) {
	if s.err != nil {
		return nil, s.err
	}
	if c == nil || strings.TrimSpace(c.Name) == "" {
		return nil, errors.New("outlook: a calendar needs a Name")
	}
	return createEntity[Calendar](ctx, s.mb, s.coll, struct {
		Name                          string                              `json:"Name"`
		Color                         CalendarColor                       `json:"Color,omitempty"`
		SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
		MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	}{c.Name, c.Color, c.SingleValueExtendedProperties, c.MultiValueExtendedProperties})
}

// Update changes a calendar's set fields: PATCH {root}/calendars/{calendar_id}
// (200).
func (s *CalendarsService) Update(ctx context.Context, id string, u *CalendarUpdate) (*Calendar, error) {
	if err := needID("calendar", id); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errors.New("outlook: nil calendar update")
	}
	return updateEntity[Calendar](ctx, s.mb, calendarItem(id), u)
}

// Delete deletes a calendar and its events: DELETE
// {root}/calendars/{calendar_id} (204). The default calendar cannot be
// deleted.
func (s *CalendarsService) Delete(ctx context.Context, id string) error {
	if err := needID("calendar", id); err != nil {
		return err
	}
	return deleteEntity(ctx, s.mb, calendarItem(id))
}

// CalendarGroupUpdate is the body of PATCH {root}/calendargroups/{id}.
type CalendarGroupUpdate struct {
	Name Optional[string] `json:"Name,omitzero"`
}

// CalendarGroupsService manages calendar groups ({root}/calendargroups).
// Outlook.com has only the default group, which cannot be deleted.
type CalendarGroupsService struct {
	mb  *Mailbox
	set entitySet[CalendarGroup]
}

// List iterates the calendar groups: GET {root}/calendargroups.
func (s *CalendarGroupsService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*CalendarGroup, error] {
	return s.set.list(ctx, opts)
}

// Get reads a calendar group: GET {root}/calendargroups/{calendar_group_id}.
func (s *CalendarGroupsService) Get(ctx context.Context, id string, opts *GetOptions) (*CalendarGroup, error) {
	return s.set.get(ctx, id, opts)
}

// Create creates a calendar group: POST {root}/calendargroups with
// {"Name": …} (201).
func (s *CalendarGroupsService) Create(ctx context.Context, name string) (*CalendarGroup, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("outlook: a calendar group needs a Name")
	}
	return s.set.create(ctx, struct {
		Name string `json:"Name"`
	}{name})
}

// Update renames a calendar group: PATCH
// {root}/calendargroups/{calendar_group_id} (200).
func (s *CalendarGroupsService) Update(ctx context.Context, id string, u *CalendarGroupUpdate) (*CalendarGroup, error) {
	if u == nil {
		return nil, errors.New("outlook: nil calendar group update")
	}
	return s.set.update(ctx, id, u)
}

// Delete deletes a calendar group: DELETE
// {root}/calendargroups/{calendar_group_id} (204).
func (s *CalendarGroupsService) Delete(ctx context.Context, id string) error {
	return s.set.delete(ctx, id)
}

// Calendars returns the calendars of a group:
// {root}/calendargroups/{calendar_group_id}/calendars (List, Create; Get,
// Update and Delete address {root}/calendars/{calendar_id}).
func (s *CalendarGroupsService) Calendars(groupID string) *CalendarsService {
	return &CalendarsService{mb: s.mb, coll: "calendargroups/" + seg(groupID) + "/calendars", err: needID("calendar group", groupID)}
}
