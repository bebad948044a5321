package outlook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook"
)

// Exact wire-format tests of the Calendar, Contacts, Tasks and Photo APIs:
// each case runs one call against an httpmock transport and checks the
// method, escaped path, raw query, headers and JSON body of every request.

const pimBase = "https://outlook.example/base"

// pimReq is one expected request and the canned answer to it.
type pimReq struct {
	method string
	path   string // escaped path after pimBase, e.g. "/api/v2.0/me/events"
	query  string // exact raw query ("" = none)
	body   string // expected JSON body ("" = no body); "raw:…" compares bytes
	// header lists expected headers; a value "" asserts absence.
	header map[string]string
	status int
	resp   string
	rhdr   map[string]string // response headers
}

type pimCase struct {
	name string
	mb   func(c *outlook.Client) *outlook.Mailbox // default: Me()
	call func(ctx context.Context, mb *outlook.Mailbox) (any, error)
	reqs []pimReq
	// check inspects the result.
	check func(t *testing.T, got any)
	// wantErr, when set, is a substring of the expected error.
	wantErr string
}

// pimClient is btClient with the service at pimBase.
func pimClient(t *testing.T, opts ...office365.Option) (*outlook.Client, *httpmock.MockTransport) {
	t.Helper()
	return btClient(t, append([]office365.Option{office365.WithBaseURL(pimBase)}, opts...)...)
}

func runPIM(t *testing.T, cases []pimCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := pimClient(t)
			n := 0
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				if !assert.Less(t, n, len(tc.reqs), "unexpected request %s %s", r.Method, r.URL) {
					return httpmock.NewStringResponse(500, "unexpected"), nil
				}
				want := tc.reqs[n]
				n++
				checkPIMRequest(t, r, want)
				status := want.status
				if status == 0 {
					status = 200
				}
				body, raw := strings.CutPrefix(want.resp, "\x00")
				resp := httpmock.NewStringResponse(status, body)
				if body != "" && !raw {
					resp.Header.Set("Content-Type", "application/json;odata.metadata=minimal")
				}
				for k, v := range want.rhdr {
					resp.Header.Set(k, v)
				}
				return resp, nil
			})
			mb := c.Me()
			if tc.mb != nil {
				mb = tc.mb(c)
			}
			got, err := tc.call(context.Background(), mb)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, len(tc.reqs), n, "number of requests")
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func checkPIMRequest(t *testing.T, r *http.Request, want pimReq) {
	t.Helper()
	assert.Equal(t, want.method, r.Method)
	assert.Equal(t, "/base"+want.path, r.URL.EscapedPath())
	assert.Equal(t, want.query, r.URL.RawQuery)
	assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
	if _, ok := want.header["Accept"]; !ok {
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
	}
	for k, v := range want.header {
		if v == "" {
			assert.Empty(t, r.Header.Values(k), "header %s", k)
			continue
		}
		assert.Equal(t, v, strings.Join(r.Header.Values(k), ", "), "header %s", k)
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	switch {
	case want.body == "":
		assert.Empty(t, body, "request body")
	case strings.HasPrefix(want.body, "raw:"):
		assert.Equal(t, want.body[4:], string(body))
	default:
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.JSONEq(t, want.body, string(body))
	}
}

// collect drains an iterator.
func collect[T any](seq func(func(*T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, *v)
	}
	return out, nil
}

func dt(s, tz string) *outlook.DateTimeTimeZone {
	return &outlook.DateTimeTimeZone{DateTime: s, TimeZone: tz}
}

const (
	calID   = "AAMkAGI2TG93AAA/cal+1="
	calEsc  = "AAMkAGI2TG93AAA%2Fcal+1="
	evID    = "AAMkAGI2THVSAAA/ev+1="
	evEsc   = "AAMkAGI2THVSAAA%2Fev+1="
	grpID   = "AAMkAGI2TGuLAAA="
	eventJS = `{"Id":"` + evID + `","Subject":"Sync","Start":{"DateTime":"2017-01-02T17:00:00.0000000","TimeZone":"UTC"},` +
		`"End":{"DateTime":"2017-01-02T17:30:00.0000000","TimeZone":"UTC"},"ShowAs":"Busy","Type":"SeriesMaster",` +
		`"iCalUId":"040000008200E00074C5B7101A82E008","ResponseStatus":{"Response":"Organizer","Time":"0001-01-01T00:00:00Z"},` +
		`"Attendees":[{"EmailAddress":{"Address":"a@contoso.com","Name":"A"},"Type":"Required","Status":{"Response":"None","Time":"0001-01-01T00:00:00Z"}}]}`
)

// appendixEvent is the event of the reference's Appendix A.
func appendixEvent() *outlook.Event {
	return &outlook.Event{
		Subject:   "Sync",
		Body:      outlook.HTMLBody("Agenda..."),
		Start:     dt("2017-01-02T09:00:00", "Pacific Standard Time"),
		End:       dt("2017-01-02T09:30:00", "Pacific Standard Time"),
		Location:  &outlook.Location{DisplayName: "Room 1"},
		Attendees: []outlook.Attendee{outlook.RequiredAttendee("a@contoso.com", "A")},
		Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Monday),
			outlook.EndDateRange("2017-01-02", "2017-06-26", "Pacific Standard Time")),
		IsReminderOn:               outlook.Ptr(true),
		ReminderMinutesBeforeStart: outlook.Ptr[int32](15),
	}
}

const appendixEventJSON = `{
  "Subject": "Sync",
  "Body": {"ContentType": "HTML", "Content": "Agenda..."},
  "Start": {"DateTime": "2017-01-02T09:00:00", "TimeZone": "Pacific Standard Time"},
  "End":   {"DateTime": "2017-01-02T09:30:00", "TimeZone": "Pacific Standard Time"},
  "Location": {"DisplayName": "Room 1"},
  "Attendees": [{"EmailAddress": {"Address": "a@contoso.com", "Name": "A"}, "Type": "Required"}],
  "Recurrence": {
    "Pattern": {"Type": "Weekly", "Interval": 1, "DaysOfWeek": ["Monday"], "FirstDayOfWeek": "Sunday"},
    "Range": {"Type": "EndDate", "StartDate": "2017-01-02", "EndDate": "2017-06-26", "RecurrenceTimeZone": "Pacific Standard Time"}
  },
  "IsReminderOn": true,
  "ReminderMinutesBeforeStart": 15
}`

var (
	winStart = time.Date(2017, 1, 1, 8, 0, 0, 0, time.UTC)
	winEnd   = time.Date(2017, 1, 8, 8, 0, 0, 0, time.UTC)
	winQuery = "startDateTime=2017-01-01T08:00:00Z&endDateTime=2017-01-08T08:00:00Z"
)

func TestCalendarWire(t *testing.T) {
	t.Parallel()
	pst := outlook.Prefer{TimeZone: "Pacific Standard Time"}
	runPIM(t, []pimCase{
		{
			name: "get default calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Calendar().Get(ctx, nil) },
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/calendar", header: map[string]string{"Prefer": ""},
				resp: `{"Id":"` + calID + `","Name":"Calendar","Color":"Auto","CanEdit":true,"Owner":{"Name":"Me","Address":"me@contoso.com"}}`}},
			check: func(t *testing.T, got any) {
				c := got.(*outlook.Calendar)
				assert.Equal(t, calID, c.ID)
				assert.Equal(t, outlook.CalendarColorAuto, c.Color)
				assert.Equal(t, "me@contoso.com", c.Owner.Address)
				assert.True(t, *c.CanEdit)
			},
		},
		{
			name: "get calendar by id with select",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().In(calID).Get(ctx, &outlook.GetOptions{Select: []string{"Name", "Color"}})
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/calendars/" + calEsc, query: "$select=Name,Color", resp: `{"Id":"x","Name":"N"}`}},
		},
		{
			name: "get group calendar for a user",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.User("adele@contoso.com") },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().InGroup(grpID, calID).Get(ctx, nil)
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/users/adele@contoso.com/calendargroups/" + grpID + "/calendars/" + calEsc,
				header: map[string]string{"X-AnchorMailbox": "adele@contoso.com"}, resp: `{"Id":"x"}`}},
		},
		{
			name: "list calendars paged",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().Calendars().List(ctx, &outlook.ListOptions{Top: 1, Prefer: outlook.Prefer{MaxPageSize: 1}}))
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/calendars", query: "$top=1", header: map[string]string{"Prefer": "odata.maxpagesize=1"},
					resp: `{"value":[{"Id":"1","Name":"Calendar"}],"@odata.nextLink":"` + pimBase + `/api/v2.0/me/calendars?$top=1&$skip=1"}`},
				{method: "GET", path: "/api/v2.0/me/calendars", query: "$top=1&$skip=1", header: map[string]string{"Prefer": "odata.maxpagesize=1"},
					resp: `{"value":[{"Id":"2","Name":"Birthdays"}]}`},
			},
			check: func(t *testing.T, got any) {
				cs := got.([]outlook.Calendar)
				require.Len(t, cs, 2)
				assert.Equal(t, "Birthdays", cs[1].Name)
			},
		},
		{
			name: "create calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Calendars().Create(ctx, &outlook.Calendar{Name: "Social", Color: outlook.CalendarColorLightTeal})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/calendars", body: `{"Name":"Social","Color":"LightTeal"}`,
				status: 201, resp: `{"Id":"c2","Name":"Social","Color":"LightTeal"}`}},
		},
		{
			name: "create calendar with an extended property",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Calendars().Create(ctx, &outlook.Calendar{Name: "Tagged", SingleValueExtendedProperties: []outlook.SingleValueLegacyExtendedProperty{
					{PropertyID: "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color", Value: "Green"}}})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/calendars",
				body:   `{"Name":"Tagged","SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}]}`,
				status: 201, resp: `{"Id":"c3","Name":"Tagged"}`}},
		},
		{
			name: "create calendar in group",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Groups().Calendars(grpID).Create(ctx, &outlook.Calendar{Name: "Team"})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/calendargroups/" + grpID + "/calendars", body: `{"Name":"Team"}`,
				status: 201, resp: `{"Id":"c3","Name":"Team"}`}},
		},
		{
			name: "list calendars in group",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().Groups().Calendars(grpID).List(ctx, nil))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/calendargroups/" + grpID + "/calendars", resp: `{"value":[]}`}},
		},
		{
			name: "update calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Calendars().Update(ctx, calID, &outlook.CalendarUpdate{Name: outlook.Set("Renamed"), Color: outlook.Set(outlook.CalendarColorLightRed)})
			},
			reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/calendars/" + calEsc, body: `{"Name":"Renamed","Color":"LightRed"}`, resp: `{"Id":"x","Name":"Renamed"}`}},
		},
		{
			name: "delete calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Calendar().Calendars().Delete(ctx, calID)
			},
			reqs: []pimReq{{method: "DELETE", path: "/api/v2.0/me/calendars/" + calEsc, status: 204}},
		},
		{
			name: "count calendars",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Calendars().Count(ctx, "")
			},
			reqs:  []pimReq{{method: "GET", path: "/api/v2.0/me/calendars/$count", resp: "\x00" + "3"}},
			check: func(t *testing.T, got any) { assert.Equal(t, int64(3), got) },
		},
		{
			name: "calendar groups crud",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				g := mb.Calendar().Groups()
				if _, err := collect(g.List(ctx, nil)); err != nil {
					return nil, err
				}
				if _, err := g.Get(ctx, grpID, nil); err != nil {
					return nil, err
				}
				if _, err := g.Create(ctx, "Projects"); err != nil {
					return nil, err
				}
				if _, err := g.Update(ctx, grpID, &outlook.CalendarGroupUpdate{Name: outlook.Set("P2")}); err != nil {
					return nil, err
				}
				return nil, g.Delete(ctx, grpID)
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/calendargroups", resp: `{"value":[{"Id":"g","Name":"My Calendars","ClassId":"0006f0b7-0000-0000-c000-000000000046"}]}`},
				{method: "GET", path: "/api/v2.0/me/calendargroups/" + grpID, resp: `{"Id":"g"}`},
				{method: "POST", path: "/api/v2.0/me/calendargroups", body: `{"Name":"Projects"}`, status: 201, resp: `{"Id":"g2","Name":"Projects"}`},
				{method: "PATCH", path: "/api/v2.0/me/calendargroups/" + grpID, body: `{"Name":"P2"}`, resp: `{"Id":"g","Name":"P2"}`},
				{method: "DELETE", path: "/api/v2.0/me/calendargroups/" + grpID, status: 204},
			},
		},
		{
			name: "list events default calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().Events().List(ctx, &outlook.ListOptions{
					Select: []string{"Subject", "Start"}, Filter: "Start/DateTime ge '2017-01-01T08:00'", OrderBy: []string{"Start/DateTime"}, Top: 10,
					Prefer: pst,
				}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/events",
				query:  "$filter=Start/DateTime%20ge%20'2017-01-01T08:00'&$select=Subject,Start&$orderby=Start/DateTime&$top=10",
				header: map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time"`}, resp: `{"value":[` + eventJS + `]}`}},
			check: func(t *testing.T, got any) {
				evs := got.([]outlook.Event)
				require.Len(t, evs, 1)
				e := evs[0]
				assert.Equal(t, "040000008200E00074C5B7101A82E008", e.ICalUID)
				assert.Equal(t, outlook.EventSeriesMaster, e.Type)
				assert.Equal(t, outlook.FreeBusyBusy, e.ShowAs)
				assert.False(t, e.ResponseStatus.HasResponded())
				assert.True(t, e.ResponseStatus.Time.IsZero())
				require.NotNil(t, e.Attendee("A@CONTOSO.COM"))
				st, err := e.StartTime()
				require.NoError(t, err)
				assert.Equal(t, time.Date(2017, 1, 2, 17, 0, 0, 0, time.UTC), st)
			},
		},
		{
			name: "list events of a calendar and of a group calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if _, err := collect(mb.Calendar().In(calID).Events().List(ctx, nil)); err != nil {
					return nil, err
				}
				return collect(mb.Calendar().InGroup(grpID, calID).Events().List(ctx, nil))
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/calendars/" + calEsc + "/events", resp: `{"value":[]}`},
				{method: "GET", path: "/api/v2.0/me/calendargroups/" + grpID + "/calendars/" + calEsc + "/events", resp: `{"value":[]}`},
			},
		},
		{
			name: "create event (Appendix A)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Events().Create(ctx, appendixEvent())
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/events", body: appendixEventJSON, status: 201, resp: eventJS,
				header: map[string]string{"Prefer": ""}}},
			check: func(t *testing.T, got any) { assert.Equal(t, evID, got.(*outlook.Event).ID) },
		},
		{
			name: "create event in a group calendar with time zone preference",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.Me().WithPrefer(pst) },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().InGroup(grpID, calID).Events().Create(ctx, &outlook.Event{
					Subject: "x", Start: dt("2017-01-02T09:00:00", "UTC"), End: dt("2017-01-02T10:00:00", "UTC"), IsAllDay: outlook.Ptr(false)})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/calendargroups/" + grpID + "/calendars/" + calEsc + "/events",
				header: map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time"`},
				body:   `{"Subject":"x","Start":{"DateTime":"2017-01-02T09:00:00","TimeZone":"UTC"},"End":{"DateTime":"2017-01-02T10:00:00","TimeZone":"UTC"},"IsAllDay":false}`,
				status: 201, resp: eventJS}},
		},
		{
			name: "get event with expand",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().In(calID).Events().Get(ctx, evID, &outlook.GetOptions{Expand: []string{"Attachments"}})
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/events/" + evEsc, query: "$expand=Attachments",
				resp: `{"Id":"e","HasAttachments":true,"Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a1","Name":"agenda.txt","ContentBytes":"aGk="}]}`}},
			check: func(t *testing.T, got any) {
				e := got.(*outlook.Event)
				require.Len(t, e.Attachments, 1)
				fa, ok := e.Attachments[0].(*outlook.FileAttachment)
				require.True(t, ok)
				assert.Equal(t, "hi", string(fa.ContentBytes))
			},
		},
		{
			name: "update event",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Events().Update(ctx, evID, &outlook.EventUpdate{
					Subject:    outlook.Set("Moved"),
					Start:      outlook.Set(outlook.DateTimeTimeZone{DateTime: "2017-01-03T09:00:00", TimeZone: "Pacific Standard Time"}),
					Location:   outlook.Null[outlook.Location](),
					ShowAs:     outlook.Set(outlook.FreeBusyTentative),
					Recurrence: outlook.Null[outlook.PatternedRecurrence](),
				})
			},
			reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/events/" + evEsc,
				body: `{"Subject":"Moved","Start":{"DateTime":"2017-01-03T09:00:00","TimeZone":"Pacific Standard Time"},"Location":null,"ShowAs":"Tentative","Recurrence":null}`,
				resp: eventJS}},
		},
		{
			name: "delete event",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Calendar().Events().Delete(ctx, evID)
			},
			reqs: []pimReq{{method: "DELETE", path: "/api/v2.0/me/events/" + evEsc, status: 204}},
		},
		{
			name: "count events with filter",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Events().Count(ctx, "Importance eq 'High'")
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/events/$count", query: "$filter=Importance%20eq%20'High'", resp: "\x00" + "7"}},
		},
		{
			name: "instances",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().Events().Instances(ctx, evID, winStart, winEnd, &outlook.ListOptions{Select: []string{"Start", "End"}}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/events/" + evEsc + "/instances", query: winQuery + "&$select=Start,End",
				resp: `{"value":[{"Id":"o1","Type":"Occurrence","SeriesMasterId":"` + evID + `"}]}`}},
			check: func(t *testing.T, got any) {
				assert.Equal(t, evID, got.([]outlook.Event)[0].SeriesMasterID)
			},
		},
		{
			name: "accept decline tentativelyaccept",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				ev := mb.Calendar().Events()
				if err := ev.Accept(ctx, evID, "See you", true); err != nil {
					return nil, err
				}
				if err := ev.TentativelyAccept(ctx, evID, "", false); err != nil {
					return nil, err
				}
				return nil, ev.Decline(ctx, evID, "Sorry", true)
			},
			reqs: []pimReq{
				{method: "POST", path: "/api/v2.0/me/events/" + evEsc + "/accept", body: `{"Comment":"See you","SendResponse":true}`, status: 202},
				{method: "POST", path: "/api/v2.0/me/events/" + evEsc + "/tentativelyaccept", body: `{"SendResponse":false}`, status: 202},
				{method: "POST", path: "/api/v2.0/me/events/" + evEsc + "/decline", body: `{"Comment":"Sorry","SendResponse":true}`, status: 202},
			},
		},
		{
			name: "cancel is beta",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Calendar().Events().Cancel(ctx, evID, "Called off")
			},
			reqs: []pimReq{{method: "POST", path: "/api/beta/me/events/" + evEsc + "/Cancel", body: `{"Comment":"Called off"}`, status: 202}},
		},
		{
			name: "snooze and dismiss reminder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				ev := mb.Calendar().Events()
				if err := ev.SnoozeReminder(ctx, evID, outlook.DateTimeTimeZone{DateTime: "2017-01-02T08:55:00", TimeZone: "Pacific Standard Time"}); err != nil {
					return nil, err
				}
				return nil, ev.DismissReminder(ctx, evID)
			},
			reqs: []pimReq{
				{method: "POST", path: "/api/v2.0/me/events/" + evEsc + "/SnoozeReminder",
					body: `{"NewReminderTime":{"DateTime":"2017-01-02T08:55:00","TimeZone":"Pacific Standard Time"}}`, status: 200},
				{method: "POST", path: "/api/v2.0/me/events/" + evEsc + "/DismissReminder", status: 200},
			},
		},
		{
			name: "reminder view",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.Me().WithPrefer(pst) },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().Reminders(ctx, winStart, winEnd))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/ReminderView(StartDateTime='2017-01-01T08:00:00.0000000',EndDateTime='2017-01-08T08:00:00.0000000')",
				header: map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time"`},
				resp: `{"value":[{"EventId":"` + evID + `","EventSubject":"Sync","EventStartTime":{"DateTime":"2017-01-02T09:00:00.0000000","TimeZone":"Pacific Standard Time"},` +
					`"ReminderFireTime":{"DateTime":"2017-01-02T08:45:00.0000000","TimeZone":"Pacific Standard Time"},"EventLocation":{"DisplayName":"Room 1"},"ChangeKey":"ck"}]}`}},
			check: func(t *testing.T, got any) {
				rs := got.([]outlook.Reminder)
				require.Len(t, rs, 1)
				assert.Equal(t, "Room 1", rs[0].EventLocation.DisplayName)
				fire, err := rs[0].ReminderFireTime.Time()
				require.NoError(t, err)
				assert.Equal(t, time.Date(2017, 1, 2, 16, 45, 0, 0, time.UTC), fire.UTC())
			},
		},
		{
			name: "calendar view follows next links",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.Me().WithPrefer(pst) },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().View(ctx, winStart.In(time.FixedZone("X", 3600)), winEnd, &outlook.ListOptions{Select: []string{"Subject"}, Top: 1}))
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/calendarview", query: winQuery + "&$select=Subject&$top=1",
					header: map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time"`},
					resp:   `{"value":[{"Id":"1"}],"@odata.nextLink":"` + pimBase + `/api/v2.0/me/calendarview?` + winQuery + `&$select=Subject&$top=1&$skip=1"}`},
				{method: "GET", path: "/api/v2.0/me/calendarview", query: winQuery + "&$select=Subject&$top=1&$skip=1",
					header: map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time"`}, resp: `{"value":[{"Id":"2"}]}`},
			},
			check: func(t *testing.T, got any) { assert.Len(t, got.([]outlook.Event), 2) },
		},
		{
			name: "calendar view of a given calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().In(calID).View(ctx, winStart, winEnd, nil))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/calendars/" + calEsc + "/calendarview", query: winQuery, resp: `{"value":[]}`}},
		},
		{
			name: "calendar view needs a window",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().View(ctx, winEnd, winStart, nil))
			},
			wantErr: "ends",
		},
		{
			name: "event attachments",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				att := mb.Calendar().Events().Attachments(evID)
				if _, err := att.Add(ctx, &outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "a.txt", ContentType: "text/plain"}, ContentBytes: []byte("hi")}); err != nil {
					return nil, err
				}
				if _, err := collect2(att.List(ctx, nil)); err != nil {
					return nil, err
				}
				return nil, att.Delete(ctx, "att1")
			},
			reqs: []pimReq{
				{method: "POST", path: "/api/v2.0/me/events/" + evEsc + "/attachments",
					body:   `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"a.txt","ContentType":"text/plain","ContentBytes":"aGk="}`,
					status: 201, resp: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"att1","Name":"a.txt"}`},
				{method: "GET", path: "/api/v2.0/me/events/" + evEsc + "/attachments", resp: `{"value":[{"@odata.type":"#Microsoft.OutlookServices.ItemAttachment","Id":"att2","Name":"m"}]}`},
				{method: "DELETE", path: "/api/v2.0/me/events/" + evEsc + "/attachments/att1", status: 204},
			},
		},
		{
			name: "find meeting times (Appendix A)",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.Me().WithPrefer(pst) },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().FindMeetingTimes(ctx, &outlook.FindMeetingTimesRequest{
					Attendees: []outlook.AttendeeBase{{Type: outlook.AttendeeRequired, EmailAddress: outlook.EmailAddress{Address: "a@contoso.com"}}},
					TimeConstraint: &outlook.TimeConstraint{ActivityDomain: outlook.ActivityWork, Timeslots: []outlook.TimeSlot{{
						Start: *dt("2017-04-17T09:00:00", "Pacific Standard Time"), End: *dt("2017-04-19T17:00:00", "Pacific Standard Time")}}},
					LocationConstraint: &outlook.LocationConstraint{IsRequired: outlook.Ptr(false), SuggestLocation: outlook.Ptr(false),
						Locations: []outlook.LocationConstraintItem{{Location: outlook.Location{DisplayName: "Conf room"}, ResolveAvailability: outlook.Ptr(false)}}},
					MeetingDuration:           outlook.Duration(time.Hour),
					MaxCandidates:             outlook.Ptr[int32](5),
					IsOrganizerOptional:       outlook.Ptr(false),
					ReturnSuggestionReasons:   outlook.Ptr(true),
					MinimumAttendeePercentage: outlook.Ptr(100.0),
				})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/findmeetingtimes",
				header: map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time"`},
				body: `{
  "Attendees": [{"Type": "Required", "EmailAddress": {"Address": "a@contoso.com"}}],
  "TimeConstraint": {"ActivityDomain": "Work", "Timeslots": [{
     "Start": {"DateTime": "2017-04-17T09:00:00", "TimeZone": "Pacific Standard Time"},
     "End":   {"DateTime": "2017-04-19T17:00:00", "TimeZone": "Pacific Standard Time"}}]},
  "LocationConstraint": {"IsRequired": false, "SuggestLocation": false, "Locations": [{"DisplayName": "Conf room", "ResolveAvailability": false}]},
  "MeetingDuration": "PT1H",
  "MaxCandidates": 5,
  "IsOrganizerOptional": false,
  "ReturnSuggestionReasons": true,
  "MinimumAttendeePercentage": 100
}`,
				resp: `{"MeetingTimeSuggestions":[{"Confidence":100,"OrganizerAvailability":"Free","SuggestionReason":"Suggested because it is one of the nearest times when all attendees are available.",` +
					`"MeetingTimeSlot":{"Start":{"DateTime":"2017-04-17T09:00:00.0000000","TimeZone":"Pacific Standard Time"},"End":{"DateTime":"2017-04-17T10:00:00.0000000","TimeZone":"Pacific Standard Time"}},` +
					`"AttendeeAvailability":[{"Attendee":{"Type":"Required","EmailAddress":{"Address":"a@contoso.com"}},"Availability":"Free"}],"Locations":[{"DisplayName":"Conf room"}]}],"EmptySuggestionsReason":""}`}},
			check: func(t *testing.T, got any) {
				r := got.(*outlook.MeetingTimeSuggestionsResult)
				require.Len(t, r.MeetingTimeSuggestions, 1)
				s := r.MeetingTimeSuggestions[0]
				assert.Equal(t, outlook.Double(100), *s.Confidence)
				assert.Equal(t, outlook.FreeBusyFree, s.AttendeeAvailability[0].Availability)
				start, err := s.MeetingTimeSlot.Start.Time()
				require.NoError(t, err)
				assert.Equal(t, time.Date(2017, 4, 17, 16, 0, 0, 0, time.UTC), start.UTC())
			},
		},
		{
			name: "find meeting times with an empty request",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().FindMeetingTimes(ctx, &outlook.FindMeetingTimesRequest{})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/findmeetingtimes", body: `{}`,
				resp: `{"MeetingTimeSuggestions":[],"EmptySuggestionsReason":"OrganizerUnavailable"}`}},
			check: func(t *testing.T, got any) {
				assert.Equal(t, outlook.EmptySuggestionsOrganizerUnavailable, got.(*outlook.MeetingTimeSuggestionsResult).EmptySuggestionsReason)
			},
		},
	})
}

func collect2(seq func(func(outlook.Attachment, error) bool)) ([]outlook.Attachment, error) {
	var out []outlook.Attachment
	for a, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, a)
	}
	return out, nil
}

func TestCalendarViewDeltaWire(t *testing.T) {
	t.Parallel()
	c, mt := pimClient(t)
	deltaLink := pimBase + "/api/v2.0/me/calendarview?" + winQuery + "&$deltatoken=D1"
	skipLink := pimBase + "/api/v2.0/me/calendarview?" + winQuery + "&$skiptoken=S1"
	var seen []string
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.URL.RawQuery)
		assert.Equal(t, "/base/api/v2.0/me/calendarview", r.URL.EscapedPath())
		assert.Equal(t, []string{"odata.track-changes", "odata.maxpagesize=2"}, r.Header.Values("Prefer"))
		var body string
		switch r.URL.RawQuery {
		case winQuery:
			body = `{"value":[` + eventJS + `,{"Id":"occ1","Type":"Occurrence","SeriesMasterId":"` + evID + `","Start":{"DateTime":"2017-01-02T17:00:00.0000000","TimeZone":"UTC"}}],"@odata.nextLink":"` + skipLink + `"}`
		case winQuery + "&$skiptoken=S1":
			body = `{"value":[{"@odata.context":"x/$deletedEntity","Id":"gone","reason":"deleted"}],"@odata.deltaLink":"` + deltaLink + `"}`
		case winQuery + "&$deltatoken=D1":
			body = `{"value":[],"@odata.deltaLink":"` + deltaLink + `"}`
		default:
			t.Errorf("unexpected query %q", r.URL.RawQuery)
		}
		return httpmock.NewStringResponse(200, body), nil
	})
	ctx := context.Background()
	var state outlook.DeltaState
	opts := &outlook.DeltaOptions{MaxPageSize: 2}
	var changes []outlook.DeltaChange[outlook.Event]
	for page, err := range c.Me().Calendar().ViewDelta(ctx, winStart, winEnd, &state, opts) {
		require.NoError(t, err)
		changes = append(changes, page.Changes...)
	}
	require.Len(t, changes, 3)
	assert.Equal(t, evID, changes[0].Item.ID)
	assert.Equal(t, outlook.EventOccurrence, changes[1].Item.Type)
	assert.True(t, changes[2].Removed)
	assert.Equal(t, "gone", changes[2].ID)
	assert.True(t, state.RoundComplete)
	assert.Equal(t, deltaLink, state.Link)

	// The state survives persistence and resumes with the delta link.
	text, err := state.MarshalText()
	require.NoError(t, err)
	var restored outlook.DeltaState
	require.NoError(t, restored.UnmarshalText(text))
	for page, err := range c.Me().Calendar().ViewDelta(ctx, winStart, winEnd, &restored, opts) {
		require.NoError(t, err)
		assert.Empty(t, page.Changes)
	}
	assert.Equal(t, []string{winQuery, winQuery + "&$skiptoken=S1", winQuery + "&$deltatoken=D1"}, seen)

	// A state saved for another window is refused before any request.
	for _, err := range c.Me().Calendar().ViewDelta(ctx, winStart, winEnd.Add(time.Hour), &restored, opts) {
		require.Error(t, err)
		assert.Contains(t, err.Error(), "belongs to")
	}
	// Calendar view sync takes no query options.
	for _, err := range c.Me().Calendar().ViewDelta(ctx, winStart, winEnd, nil, &outlook.DeltaOptions{Select: []string{"Subject"}}) {
		require.Error(t, err)
	}
	assert.Len(t, seen, 3)
}

func TestCalendarInputErrors(t *testing.T) {
	t.Parallel()
	c, mt := pimClient(t)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("no request expected, got %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(500, ""), nil
	})
	ctx := context.Background()
	cal := c.Me().Calendar()
	_, err := cal.Events().Get(ctx, "", nil)
	assert.ErrorContains(t, err, "empty event id")
	_, err = cal.Events().Create(ctx, nil)
	assert.Error(t, err)
	_, err = cal.Events().Create(ctx, &outlook.Event{Subject: "no times"})
	assert.ErrorContains(t, err, "Start and End")
	_, err = cal.Events().Create(ctx, &outlook.Event{Start: dt("2017-01-02T10:00:00", "UTC"), End: dt("2017-01-02T09:00:00", "UTC")})
	assert.ErrorContains(t, err, "ends before")
	_, err = cal.Events().Create(ctx, &outlook.Event{Start: dt("2017-01-02T10:00:00", "Mars/Olympus"), End: dt("2017-01-02T11:00:00", "UTC")})
	assert.ErrorContains(t, err, "unknown time zone")
	bad := appendixEvent()
	bad.Recurrence.Pattern.DaysOfWeek = nil
	_, err = cal.Events().Create(ctx, bad)
	assert.ErrorContains(t, err, "needs DaysOfWeek")
	_, err = cal.In("").Get(ctx, nil)
	assert.Error(t, err)
	_, err = collect(cal.InGroup("g", "").Events().List(ctx, nil))
	assert.Error(t, err)
	_, err = cal.Calendars().Create(ctx, &outlook.Calendar{})
	assert.ErrorContains(t, err, "Name")
	_, err = cal.Groups().Create(ctx, " ")
	assert.Error(t, err)
	err = cal.Events().SnoozeReminder(ctx, evID, outlook.DateTimeTimeZone{DateTime: "soon", TimeZone: "UTC"})
	assert.ErrorContains(t, err, "invalid DateTime")
	_, err = cal.FindMeetingTimes(ctx, nil)
	assert.Error(t, err)
	_, err = cal.FindMeetingTimes(ctx, &outlook.FindMeetingTimesRequest{MinimumAttendeePercentage: outlook.Ptr(120.0)})
	assert.ErrorContains(t, err, "0–100")
	_, err = cal.FindMeetingTimes(ctx, &outlook.FindMeetingTimesRequest{TimeConstraint: &outlook.TimeConstraint{Timeslots: []outlook.TimeSlot{
		{Start: *dt("2017-01-02T10:00:00", "UTC"), End: *dt("2017-01-02T09:00:00", "UTC")}}}})
	assert.ErrorContains(t, err, "ends before")
	_, err = collect(cal.Reminders(ctx, time.Time{}, winEnd))
	assert.Error(t, err)
	_, err = collect(cal.Events().Instances(ctx, evID, winEnd, winStart, nil))
	assert.Error(t, err)
}

func TestEventJSONRoundTrip(t *testing.T) {
	t.Parallel()
	var e outlook.Event
	require.NoError(t, json.Unmarshal([]byte(eventJS), &e))
	out, err := json.Marshal(e)
	require.NoError(t, err)
	assert.JSONEq(t, eventJS, string(out))

	att, err := outlook.NewEventItemAttachment("invite", &e)
	require.NoError(t, err)
	assert.Equal(t, outlook.ODataTypeEvent, att.ItemODataType())
	back, err := att.Event()
	require.NoError(t, err)
	assert.Equal(t, e.ID, back.ID)
	_, err = att.Message()
	assert.Error(t, err)

	var msg outlook.Message
	require.NoError(t, json.Unmarshal([]byte(`{"@odata.type":"#Microsoft.OutlookServices.EventMessage","MeetingMessageType":"MeetingRequest","Event":`+eventJS+`}`), &msg))
	ev, err := msg.EventMessage.DecodeEvent()
	require.NoError(t, err)
	assert.Equal(t, "Sync", ev.Subject)
	var plain outlook.EventMessage
	_, err = plain.DecodeEvent()
	assert.Error(t, err)
}

func TestListPagesWire(t *testing.T) {
	t.Parallel()
	pageCheck := func(t *testing.T, got any) {
		v := pageCount(got)
		require.NotNil(t, v)
		assert.Equal(t, int64(5), *v)
	}
	runPIM(t, []pimCase{
		{
			name: "events of a calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				for p, err := range mb.Calendar().In(calID).Events().ListPages(ctx, &outlook.ListOptions{Count: true, Top: 1}) {
					return p, err
				}
				return nil, nil
			},
			reqs:  []pimReq{{method: "GET", path: "/api/v2.0/me/calendars/" + calEsc + "/events", query: "$top=1&$count=true", resp: `{"value":[{"Id":"1"}],"@odata.count":5,"@odata.nextLink":"x"}`}},
			check: pageCheck,
		},
		{
			name: "create an event in a calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().In(calID).Events().Create(ctx, &outlook.Event{Start: dt("2017-01-02T09:00:00", "UTC"), End: dt("2017-01-02T09:00:00", "UTC")})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/calendars/" + calEsc + "/events", status: 201,
				body: `{"Start":{"DateTime":"2017-01-02T09:00:00","TimeZone":"UTC"},"End":{"DateTime":"2017-01-02T09:00:00","TimeZone":"UTC"}}`, resp: `{"Id":"e"}`}},
		},
		{
			name: "calendars",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				for p, err := range mb.Calendar().Calendars().ListPages(ctx, &outlook.ListOptions{Count: true}) {
					return p, err
				}
				return nil, nil
			},
			reqs:  []pimReq{{method: "GET", path: "/api/v2.0/me/calendars", query: "$count=true", resp: `{"value":[],"@odata.count":5}`}},
			check: pageCheck,
		},
		{
			name: "calendar view pages",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				for p, err := range mb.Calendar().ViewPages(ctx, winStart, winEnd, &outlook.ListOptions{Count: true}) {
					return p, err
				}
				return nil, nil
			},
			reqs:  []pimReq{{method: "GET", path: "/api/v2.0/me/calendarview", query: winQuery + "&$count=true", resp: `{"value":[],"@odata.count":5}`}},
			check: pageCheck,
		},
		{
			name: "contacts of a folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				for p, err := range mb.Contacts().InFolder(cfID).ListPages(ctx, &outlook.ListOptions{Count: true}) {
					return p, err
				}
				return nil, nil
			},
			reqs:  []pimReq{{method: "GET", path: "/api/v2.0/me/contactfolders/" + cfEsc + "/contacts", query: "$count=true", resp: `{"value":[],"@odata.count":5}`}},
			check: pageCheck,
		},
		{
			name: "tasks",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				for p, err := range mb.Tasks().ListPages(ctx, &outlook.ListOptions{Count: true}) {
					return p, err
				}
				return nil, nil
			},
			reqs:  []pimReq{{method: "GET", path: "/api/v2.0/me/tasks", query: "$count=true", resp: `{"value":[],"@odata.count":5}`}},
			check: pageCheck,
		},
	})
}

// pageCount returns the Count of the pages these tests use.
func pageCount(v any) *int64 {
	switch p := v.(type) {
	case *outlook.Page[outlook.Event]:
		return p.Count
	case *outlook.Page[outlook.Calendar]:
		return p.Count
	case *outlook.Page[outlook.Contact]:
		return p.Count
	case *outlook.Page[outlook.Task]:
		return p.Count
	}
	return nil
}
