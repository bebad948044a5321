package outlook_test

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// Behavioural tests of the Calendar API against the office365test fake.

const (
	pimAdele = "adele.vance@contoso.com" // "me" in the sample data
	pimAlex  = "alex.wilber@contoso.com"
	pimMegan = "megan.bowen@contoso.com"
)

// pimNow is the fake's clock: Wednesday 1 March 2017, 09:00 Pacific.
var pimNow = time.Date(2017, 3, 1, 17, 0, 0, 0, time.UTC)

func pimFake(t *testing.T, d dialect) (*office365test.Server, *office365test.Mailbox, *outlook.Client) {
	t.Helper()
	clock := func() time.Time { return pimNow }
	srv := office365test.NewServer(office365test.WithClock(clock))
	t.Cleanup(srv.Close)
	fake := office365test.NewMailbox(office365test.WithSampleData(), office365test.WithMailboxClock(clock))
	fake.Register(srv)
	d.serve(srv, fake)
	c, err := outlook.New(auth.StaticToken("tok"), d.options(office365.WithBaseURL(srv.URL()),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))...)
	require.NoError(t, err)
	return srv, fake, c
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		require.NoError(t, err)
		return v
	}
}

func all[T any](t *testing.T, seq func(func(*T, error) bool)) []T {
	t.Helper()
	out, err := collect(seq)
	require.NoError(t, err)
	return out
}

func pst(t *testing.T, s string) *outlook.DateTimeTimeZone {
	t.Helper()
	return dt(s, "Pacific Standard Time")
}

func TestCalendarFakeCalendarsAndGroups(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		cal := c.Me().Calendar()

		def := must[*outlook.Calendar](t)(cal.Get(ctx, nil))
		assert.Equal(t, "Calendar", def.Name)
		assert.Equal(t, pimAdele, def.Owner.Address)
		assert.Nil(t, def.IsDefaultCalendar, "IsDefaultCalendar is beta only")

		social := must[*outlook.Calendar](t)(cal.Calendars().Create(ctx, &outlook.Calendar{Name: "Social", Color: outlook.CalendarColorLightTeal}))
		assert.Equal(t, outlook.CalendarColorLightTeal, social.Color)
		_, err := cal.Calendars().Create(ctx, &outlook.Calendar{Name: "social"})
		assert.Equal(t, http.StatusConflict, office365.StatusCode(err))

		names := func(cs []outlook.Calendar) []string {
			var out []string
			for _, x := range cs {
				out = append(out, x.Name)
			}
			return out
		}
		assert.Equal(t, []string{"Calendar", "Social"}, names(all(t, cal.Calendars().List(ctx, nil))))
		assert.Equal(t, int64(2), must[int64](t)(cal.Calendars().Count(ctx, "")))

		up := must[*outlook.Calendar](t)(cal.Calendars().Update(ctx, social.ID, &outlook.CalendarUpdate{Name: outlook.Set("Friends"), Color: outlook.Set(outlook.CalendarColorLightRed)}))
		assert.Equal(t, "Friends", up.Name)
		assert.Equal(t, outlook.CalendarColorLightRed, up.Color)
		assert.NotEqual(t, social.ChangeKey, up.ChangeKey)
		_, err = cal.Calendars().Update(ctx, social.ID, &outlook.CalendarUpdate{Color: outlook.Set[outlook.CalendarColor]("Plaid")})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		groups := all(t, cal.Groups().List(ctx, nil))
		require.Len(t, groups, 1)
		assert.Equal(t, "My Calendars", groups[0].Name)
		proj := must[*outlook.CalendarGroup](t)(cal.Groups().Create(ctx, "Projects"))
		falcon := must[*outlook.Calendar](t)(cal.Groups().Calendars(proj.ID).Create(ctx, &outlook.Calendar{Name: "Falcon"}))
		assert.Equal(t, []string{"Falcon"}, names(all(t, cal.Groups().Calendars(proj.ID).List(ctx, nil))))
		got := must[*outlook.Calendar](t)(cal.InGroup(proj.ID, falcon.ID).Get(ctx, nil))
		assert.Equal(t, falcon.ID, got.ID)
		_, err = cal.InGroup(groups[0].ID, falcon.ID).Get(ctx, nil)
		assert.True(t, office365.IsNotFound(err), "a calendar is only found in its own group")

		renamed := must[*outlook.CalendarGroup](t)(cal.Groups().Update(ctx, proj.ID, &outlook.CalendarGroupUpdate{Name: outlook.Set("Programs")}))
		assert.Equal(t, "Programs", renamed.Name)
		err = cal.Groups().Delete(ctx, proj.ID)
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "a group with calendars cannot be deleted")
		err = cal.Groups().Delete(ctx, groups[0].ID)
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "the default group cannot be deleted")

		// Deleting a calendar deletes its events.
		ev := must[*outlook.Event](t)(cal.In(falcon.ID).Events().Create(ctx, &outlook.Event{Subject: "Kickoff",
			Start: pst(t, "2017-03-02T10:00:00"), End: pst(t, "2017-03-02T11:00:00")}))
		require.NoError(t, cal.Calendars().Delete(ctx, falcon.ID))
		_, err = cal.Events().Get(ctx, ev.ID, nil)
		assert.True(t, office365.IsNotFound(err))
		require.NoError(t, cal.Groups().Delete(ctx, proj.ID))
		err = cal.Calendars().Delete(ctx, def.ID)
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "the default calendar cannot be deleted")
	})
}

func TestCalendarFakeEventsCRUD(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		events := c.Me().Calendar().Events()

		ev := must[*outlook.Event](t)(events.Create(ctx, &outlook.Event{
			Subject: "Design review", Body: outlook.HTMLBody("<p>Agenda: <b>API</b></p>"),
			Start: pst(t, "2017-03-02T14:00:00"), End: pst(t, "2017-03-02T15:30:00"),
			Location: &outlook.Location{DisplayName: "Room 1"}, Importance: outlook.ImportanceHigh,
			Categories: []string{"Falcon"},
		}))
		assert.Equal(t, outlook.EventSingleInstance, ev.Type)
		assert.Equal(t, "Pacific Standard Time", ev.OriginalStartTimeZone)
		assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-03-02T22:00:00.0000000", TimeZone: "UTC"}, *ev.Start, "UTC by default")
		assert.Equal(t, "Agenda: API", ev.BodyPreview)
		assert.True(t, *ev.IsOrganizer)
		assert.Equal(t, outlook.ResponseOrganizer, ev.ResponseStatus.Response)
		assert.NotEmpty(t, ev.ICalUID)
		assert.Equal(t, pimAdele, ev.Organizer.EmailAddress.Address)
		assert.Equal(t, outlook.FreeBusyBusy, ev.ShowAs)
		assert.NotEmpty(t, ev.ChangeKey)

		// Read in Pacific time.
		got := must[*outlook.Event](t)(events.Get(ctx, ev.ID, &outlook.GetOptions{Prefer: outlook.Prefer{TimeZone: "Pacific Standard Time"}}))
		assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-03-02T14:00:00.0000000", TimeZone: "Pacific Standard Time"}, *got.Start)
		tokyo := must[*outlook.Event](t)(c.Me().WithPrefer(outlook.Prefer{TimeZone: "Asia/Tokyo"}).Calendar().Events().Get(ctx, ev.ID, nil))
		assert.Equal(t, "2017-03-03T07:00:00.0000000", tokyo.Start.DateTime)
		st, err := tokyo.StartTime()
		require.NoError(t, err)
		assert.Equal(t, time.Date(2017, 3, 2, 22, 0, 0, 0, time.UTC), st.UTC())

		// Update.
		up := must[*outlook.Event](t)(events.Update(ctx, ev.ID, &outlook.EventUpdate{
			Subject: outlook.Set("Design review (moved)"),
			Start:   outlook.Set(*pst(t, "2017-03-03T09:00:00")),
			End:     outlook.Set(*pst(t, "2017-03-03T10:00:00")),
			ShowAs:  outlook.Set(outlook.FreeBusyTentative),
			Body:    outlook.Null[outlook.ItemBody](),
		}))
		assert.Equal(t, "Design review (moved)", up.Subject)
		assert.Equal(t, "2017-03-03T17:00:00.0000000", up.Start.DateTime)
		assert.Equal(t, outlook.FreeBusyTentative, up.ShowAs)
		assert.NotEqual(t, ev.ChangeKey, up.ChangeKey)
		_, err = events.Update(ctx, ev.ID, &outlook.EventUpdate{End: outlook.Set(*pst(t, "2017-03-03T08:00:00"))})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "end before start")

		// List, filter, order, select, count.
		must[*outlook.Event](t)(events.Create(ctx, &outlook.Event{Subject: "Standup", Start: pst(t, "2017-03-02T09:00:00"), End: pst(t, "2017-03-02T09:15:00")}))
		list := all(t, events.List(ctx, &outlook.ListOptions{OrderBy: []string{"Start/DateTime"}, Select: []string{"Subject"}}))
		require.Len(t, list, 2)
		assert.Equal(t, "Standup", list[0].Subject)
		assert.Nil(t, list[0].Start, "$select leaves Start out")
		high := all(t, events.List(ctx, &outlook.ListOptions{Filter: "Importance eq 'High'"}))
		require.Len(t, high, 1)
		assert.Equal(t, ev.ID, high[0].ID)
		assert.Equal(t, int64(2), must[int64](t)(events.Count(ctx, "")))
		_, err = collect(events.List(ctx, &outlook.ListOptions{Filter: "Attendees eq 'x'"}))
		assert.True(t, office365.HasCode(err, "ErrorInvalidProperty"))

		// Bad input the service rejects.
		_, err = events.Create(ctx, &outlook.Event{Start: dt("2017-03-02T09:00:00", "Mars Standard Time"), End: dt("2017-03-02T10:00:00", "UTC")})
		require.Error(t, err, "the client checks zones too")
		_, err = events.Create(ctx, &outlook.Event{Subject: "All day", IsAllDay: outlook.Ptr(true), Start: pst(t, "2017-03-02T09:00:00"), End: pst(t, "2017-03-03T09:00:00")})
		assert.True(t, office365.HasCode(err, "ErrorPropertyValidationFailure"))
		allDay := must[*outlook.Event](t)(events.Create(ctx, &outlook.Event{Subject: "Offsite", IsAllDay: outlook.Ptr(true), Start: pst(t, "2017-03-06T00:00:00"), End: pst(t, "2017-03-07T00:00:00")}))
		assert.True(t, *allDay.IsAllDay)

		// Delete.
		require.NoError(t, events.Delete(ctx, ev.ID))
		_, err = events.Get(ctx, ev.ID, nil)
		assert.True(t, office365.IsNotFound(err))
		assert.True(t, office365.HasCode(err, outlook.CodeItemNotFound))
	})
}

// TestCalendarFakeRecurrenceAcrossDST is the acceptance test of recurrence
// expansion: a weekly 09:00 Pacific meeting across the March 2017 switch to
// daylight time stays at 09:00 local while its UTC time moves by an hour.
func TestCalendarFakeRecurrenceAcrossDST(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		cal := c.Me().Calendar()
		master := must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{
			Subject: "Weekly sync", Start: pst(t, "2017-02-27T09:00:00"), End: pst(t, "2017-02-27T09:30:00"),
			Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Monday), outlook.NoEndRange("2017-02-27", "Pacific Standard Time")),
		}))
		assert.Equal(t, outlook.EventSeriesMaster, master.Type)
		require.NotNil(t, master.Recurrence)
		assert.Equal(t, "Pacific Standard Time", master.Recurrence.Range.RecurrenceTimeZone)

		from := time.Date(2017, 2, 26, 0, 0, 0, 0, time.UTC)
		to := time.Date(2017, 3, 21, 0, 0, 0, 0, time.UTC)
		view := all(t, cal.View(ctx, from, to, nil))
		var utcStarts []string
		for _, e := range view {
			assert.Equal(t, outlook.EventOccurrence, e.Type)
			assert.Equal(t, master.ID, e.SeriesMasterID)
			assert.Equal(t, "Weekly sync", e.Subject)
			utcStarts = append(utcStarts, e.Start.DateTime)
		}
		assert.Equal(t, []string{"2017-02-27T17:00:00.0000000", "2017-03-06T17:00:00.0000000",
			"2017-03-13T16:00:00.0000000", "2017-03-20T16:00:00.0000000"}, utcStarts)

		paged := all(t, cal.View(ctx, from, to, &outlook.ListOptions{Top: 1}))
		require.Len(t, paged, 4, "the view pages with $top and next links")
		assert.Equal(t, view[3].ID, paged[3].ID)

		local := all(t, c.Me().WithPrefer(outlook.Prefer{TimeZone: "Pacific Standard Time"}).Calendar().View(ctx, from, to, nil))
		require.Len(t, local, 4)
		for _, e := range local {
			assert.Equal(t, "09:00:00.0000000", e.Start.DateTime[11:], e.Start.DateTime)
			assert.Equal(t, "09:30:00.0000000", e.End.DateTime[11:])
			s, err := e.StartTime()
			require.NoError(t, err)
			en, err := e.EndTime()
			require.NoError(t, err)
			assert.Equal(t, 30*time.Minute, en.Sub(s))
		}

		// Instances give the same occurrences; the series master is not one.
		inst := all(t, cal.Events().Instances(ctx, master.ID, from, to, nil))
		require.Len(t, inst, 4)
		assert.Equal(t, view[2].ID, inst[2].ID)
		// The series master is listed once by Events().List.
		assert.Len(t, all(t, cal.Events().List(ctx, nil)), 1)

		// An occurrence is addressable; updating it makes an exception,
		// deleting another cancels it.
		occ := must[*outlook.Event](t)(cal.Events().Get(ctx, view[1].ID, nil))
		assert.Equal(t, outlook.EventOccurrence, occ.Type)
		moved := must[*outlook.Event](t)(cal.Events().Update(ctx, view[1].ID, &outlook.EventUpdate{
			Subject: outlook.Set("Weekly sync (moved)"), Start: outlook.Set(*pst(t, "2017-03-07T11:00:00")), End: outlook.Set(*pst(t, "2017-03-07T11:30:00")),
		}))
		assert.Equal(t, outlook.EventException, moved.Type)
		assert.Equal(t, view[1].ID, moved.ID)
		assert.Equal(t, master.ID, moved.SeriesMasterID)
		require.NoError(t, cal.Events().Delete(ctx, view[2].ID))
		view = all(t, cal.View(ctx, from, to, &outlook.ListOptions{OrderBy: []string{"Start/DateTime"}}))
		var subjects []string
		for _, e := range view {
			subjects = append(subjects, e.Start.DateTime[:10]+" "+e.Subject)
		}
		assert.Equal(t, []string{"2017-02-27 Weekly sync", "2017-03-07 Weekly sync (moved)", "2017-03-20 Weekly sync"}, subjects)
		_, err := cal.Events().Get(ctx, inst[2].ID, nil)
		assert.True(t, office365.IsNotFound(err), "a cancelled occurrence is gone")

		// Monthly and yearly series expand too.
		must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{
			Subject: "Board", Start: pst(t, "2017-01-10T13:00:00"), End: pst(t, "2017-01-10T15:00:00"),
			Recurrence: outlook.NewRecurrence(outlook.RelativeMonthlyPattern(1, outlook.WeekSecond, outlook.Tuesday), outlook.NumberedRange("2017-01-10", 12, "")),
		}))
		must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{
			Subject: "Rent", Start: pst(t, "2017-01-31T08:00:00"), End: pst(t, "2017-01-31T08:15:00"),
			Recurrence: outlook.NewRecurrence(outlook.AbsoluteMonthlyPattern(1, 31), outlook.EndDateRange("2017-01-31", "2017-12-31", "")),
		}))
		march := all(t, c.Me().WithPrefer(outlook.Prefer{TimeZone: "Pacific Standard Time"}).Calendar().View(ctx,
			time.Date(2017, 3, 1, 8, 0, 0, 0, time.UTC), time.Date(2017, 5, 1, 7, 0, 0, 0, time.UTC),
			&outlook.ListOptions{Filter: "Subject eq 'Board' or Subject eq 'Rent'", OrderBy: []string{"Start/DateTime"}}))
		var got []string
		for _, e := range march {
			got = append(got, e.Start.DateTime[:16]+" "+e.Subject)
		}
		assert.Equal(t, []string{"2017-03-14T13:00 Board", "2017-03-31T08:00 Rent", "2017-04-11T13:00 Board", "2017-04-30T08:00 Rent"}, got)
	})
}

func TestCalendarFakeMeetingResponses(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, fake, c := pimFake(t, dia)
		ctx := context.Background()
		var mu sync.Mutex
		var changes []office365test.Change
		unsub := fake.Subscribe(func(ch office365test.Change) {
			mu.Lock()
			changes = append(changes, ch)
			mu.Unlock()
		})
		defer unsub()

		me := c.Me().Calendar().Events()
		meeting := must[*outlook.Event](t)(me.Create(ctx, &outlook.Event{
			Subject: "Falcon planning", Start: pst(t, "2017-03-02T10:00:00"), End: pst(t, "2017-03-02T11:00:00"),
			Attendees: []outlook.Attendee{outlook.RequiredAttendee(pimAlex, ""), outlook.OptionalAttendee(pimMegan, "Megan"),
				outlook.RequiredAttendee("partner@fabrikam.com", "Partner")},
		}))
		require.Len(t, meeting.Attendees, 3)
		assert.Equal(t, "Alex Wilber", meeting.Attendees[0].EmailAddress.Name, "names of users are filled in")
		assert.Equal(t, outlook.ResponseNone, meeting.Attendees[0].Status.Response)

		// Each attendee in the fake got a copy and a meeting request.
		alexCal := c.User(pimAlex).Calendar().Events()
		copies := all(t, alexCal.List(ctx, &outlook.ListOptions{Filter: "Subject eq 'Falcon planning'"}))
		require.Len(t, copies, 1)
		cp := copies[0]
		assert.False(t, *cp.IsOrganizer)
		assert.Equal(t, meeting.ICalUID, cp.ICalUID)
		assert.Equal(t, outlook.ResponseNone, cp.ResponseStatus.Response)
		assert.Equal(t, pimAdele, cp.Organizer.EmailAddress.Address)
		req := all(t, c.User(pimAlex).Mail().Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{
			Filter: "Subject eq 'Falcon planning'", Expand: []string{"Event"}}))
		require.Len(t, req, 1)
		require.True(t, req[0].IsEventMessage())
		assert.Equal(t, outlook.MeetingRequest, req[0].EventMessage.MeetingMessageType)
		inv, err := req[0].EventMessage.DecodeEvent()
		require.NoError(t, err)
		assert.Equal(t, cp.ID, inv.ID, "the request links the attendee's event")

		// Alex accepts from his mailbox: his copy and Adele's event change.
		require.NoError(t, alexCal.Accept(ctx, inv.ID, "See you there", true))
		cp = *must[*outlook.Event](t)(alexCal.Get(ctx, cp.ID, nil))
		assert.Equal(t, outlook.ResponseAccepted, cp.ResponseStatus.Response)
		assert.True(t, cp.ResponseStatus.HasResponded())
		assert.Equal(t, pimNow, cp.ResponseStatus.Time.UTC())
		assert.Equal(t, outlook.FreeBusyBusy, cp.ShowAs)
		org := must[*outlook.Event](t)(me.Get(ctx, meeting.ID, nil))
		assert.Equal(t, outlook.ResponseAccepted, org.Attendee(pimAlex).Status.Response)
		assert.Equal(t, outlook.ResponseNone, org.Attendee(pimMegan).Status.Response)
		replies := all(t, c.Me().Mail().Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{Filter: "Subject eq 'Accepted: Falcon planning'"}))
		require.Len(t, replies, 1)
		assert.Equal(t, outlook.MeetingAccepted, replies[0].EventMessage.MeetingMessageType)
		assert.Equal(t, "See you there", replies[0].BodyPreview)

		// Megan tentatively accepts without sending a response.
		megCal := c.User(pimMegan).Calendar().Events()
		megCopy := all(t, megCal.List(ctx, nil))
		require.Len(t, megCopy, 1)
		require.NoError(t, megCal.TentativelyAccept(ctx, megCopy[0].ID, "", false))
		org = must[*outlook.Event](t)(me.Get(ctx, meeting.ID, nil))
		assert.Equal(t, outlook.ResponseTentativelyAccepted, org.Attendee(pimMegan).Status.Response)
		assert.Empty(t, all(t, c.Me().Mail().Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{Filter: "Subject eq 'Tentative: Falcon planning'"})))

		// The organizer cannot respond to their own meeting.
		err = me.Accept(ctx, meeting.ID, "", true)
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		// The organizer's update reaches the copies and resets the responses
		// when the time changes.
		must[*outlook.Event](t)(me.Update(ctx, meeting.ID, &outlook.EventUpdate{Start: outlook.Set(*pst(t, "2017-03-02T13:00:00")), End: outlook.Set(*pst(t, "2017-03-02T14:00:00"))}))
		cp = *must[*outlook.Event](t)(alexCal.Get(ctx, cp.ID, nil))
		assert.Equal(t, "2017-03-02T21:00:00.0000000", cp.Start.DateTime)
		assert.Equal(t, outlook.ResponseNone, cp.ResponseStatus.Response)
		org = must[*outlook.Event](t)(me.Get(ctx, meeting.ID, nil))
		assert.Equal(t, outlook.ResponseNone, org.Attendee(pimAlex).Status.Response)

		// Alex declines: his copy goes away, Adele sees the decline.
		require.NoError(t, alexCal.Decline(ctx, cp.ID, "Conflict", true))
		_, err = alexCal.Get(ctx, cp.ID, nil)
		assert.True(t, office365.IsNotFound(err))
		org = must[*outlook.Event](t)(me.Get(ctx, meeting.ID, nil))
		assert.Equal(t, outlook.ResponseDeclined, org.Attendee(pimAlex).Status.Response)

		// Cancelling (beta) cancels Megan's copy.
		require.NoError(t, me.Cancel(ctx, meeting.ID, "Called off"))
		_, err = me.Get(ctx, meeting.ID, nil)
		assert.True(t, office365.IsNotFound(err))
		mc := must[*outlook.Event](t)(megCal.Get(ctx, megCopy[0].ID, nil))
		assert.True(t, *mc.IsCancelled)
		err = megCal.Cancel(ctx, megCopy[0].ID, "")
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "only the organizer cancels")

		// The change feed saw the events change in every mailbox.
		mu.Lock()
		defer mu.Unlock()
		saw := func(user string, kind office365test.ChangeKind) bool {
			return slices.ContainsFunc(changes, func(ch office365test.Change) bool {
				return ch.User == user && ch.EntityType == office365test.EntityEvent && ch.Kind == kind
			})
		}
		assert.True(t, saw(pimAdele, office365test.ChangeCreated))
		assert.True(t, saw(pimAdele, office365test.ChangeUpdated))
		assert.True(t, saw(pimAdele, office365test.ChangeDeleted))
		assert.True(t, saw(pimAlex, office365test.ChangeCreated))
		assert.True(t, saw(pimAlex, office365test.ChangeDeleted))
		assert.True(t, saw(pimMegan, office365test.ChangeUpdated))
	})
}

func TestCalendarFakeRecurringMeetingOccurrenceResponse(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		me := c.Me().Calendar()
		master := must[*outlook.Event](t)(me.Events().Create(ctx, &outlook.Event{
			Subject: "1:1", Start: pst(t, "2017-03-06T15:00:00"), End: pst(t, "2017-03-06T15:30:00"),
			Attendees:  []outlook.Attendee{outlook.RequiredAttendee(pimAlex, "")},
			Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Monday), outlook.NumberedRange("2017-03-06", 4, "")),
		}))
		from, to := time.Date(2017, 3, 5, 0, 0, 0, 0, time.UTC), time.Date(2017, 4, 5, 0, 0, 0, 0, time.UTC)
		alexView := all(t, c.User(pimAlex).Calendar().View(ctx, from, to, nil))
		require.Len(t, alexView, 4)
		// Alex declines the second occurrence only.
		require.NoError(t, c.User(pimAlex).Calendar().Events().Decline(ctx, alexView[1].ID, "", true))
		assert.Len(t, all(t, c.User(pimAlex).Calendar().View(ctx, from, to, nil)), 3)
		orgView := all(t, me.View(ctx, from, to, nil))
		require.Len(t, orgView, 4)
		assert.Equal(t, outlook.EventException, orgView[1].Type)
		assert.Equal(t, outlook.ResponseDeclined, orgView[1].Attendee(pimAlex).Status.Response)
		assert.Equal(t, outlook.ResponseNone, orgView[0].Attendee(pimAlex).Status.Response)
		assert.Equal(t, master.ID, orgView[1].SeriesMasterID)
	})
}

func TestCalendarFakeViewDelta(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		cal := c.Me().Calendar()
		from, to := time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2017, 3, 15, 0, 0, 0, 0, time.UTC)
		var ids []string
		for i := range 3 {
			e := must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{Subject: "e" + string(rune('0'+i)),
				Start: pst(t, "2017-03-0"+string(rune('2'+i))+"T10:00:00"), End: pst(t, "2017-03-0"+string(rune('2'+i))+"T11:00:00")}))
			ids = append(ids, e.ID)
		}
		series := must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{Subject: "daily",
			Start: pst(t, "2017-03-10T08:00:00"), End: pst(t, "2017-03-10T08:15:00"),
			Recurrence: outlook.NewRecurrence(outlook.DailyPattern(1), outlook.NumberedRange("2017-03-10", 3, ""))}))
		must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{Subject: "outside",
			Start: pst(t, "2017-04-10T08:00:00"), End: pst(t, "2017-04-10T08:15:00")}))

		// Initial round in pages of 2.
		var state outlook.DeltaState
		opts := &outlook.DeltaOptions{MaxPageSize: 2}
		var got []outlook.DeltaChange[outlook.Event]
		pages := 0
		for p, err := range cal.ViewDelta(ctx, from, to, &state, opts) {
			require.NoError(t, err)
			pages++
			got = append(got, p.Changes...)
		}
		assert.Equal(t, 2, pages)
		var subjects []string
		occurrences := 0
		for _, ch := range got {
			require.False(t, ch.Removed)
			if ch.Item.Type == outlook.EventOccurrence {
				occurrences++
				assert.Equal(t, series.ID, ch.Item.SeriesMasterID)
				assert.NotNil(t, ch.Item.Start)
				assert.Empty(t, ch.Item.Subject, "occurrences come abbreviated")
				continue
			}
			subjects = append(subjects, ch.Item.Subject)
		}
		assert.Equal(t, []string{"e0", "e1", "e2", "daily"}, subjects)
		assert.Equal(t, 3, occurrences)
		assert.True(t, state.RoundComplete)

		// Persist, change things, resume: only the changes come.
		text, err := state.MarshalText()
		require.NoError(t, err)
		require.NoError(t, cal.Events().Delete(ctx, ids[0]))
		must[*outlook.Event](t)(cal.Events().Update(ctx, ids[1], &outlook.EventUpdate{Subject: outlook.Set("e1 renamed")}))
		must[*outlook.Event](t)(cal.Events().Update(ctx, ids[2], &outlook.EventUpdate{Start: outlook.Set(*pst(t, "2017-03-20T10:00:00")), End: outlook.Set(*pst(t, "2017-03-20T11:00:00"))}))
		added := must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{Subject: "new", Start: pst(t, "2017-03-13T10:00:00"), End: pst(t, "2017-03-13T11:00:00")}))
		var resumed outlook.DeltaState
		require.NoError(t, resumed.UnmarshalText(text))
		got = nil
		for p, err := range cal.ViewDelta(ctx, from, to, &resumed, nil) {
			require.NoError(t, err)
			got = append(got, p.Changes...)
		}
		require.Len(t, got, 4)
		assert.True(t, got[0].Removed)
		assert.Equal(t, ids[0], got[0].ID)
		assert.Equal(t, "e1 renamed", got[1].Item.Subject)
		assert.True(t, got[2].Removed, "an event moved out of the window is removed from it")
		assert.Equal(t, ids[2], got[2].ID)
		assert.Equal(t, added.ID, got[3].Item.ID)

		// Nothing more.
		got = nil
		for p, err := range cal.ViewDelta(ctx, from, to, &resumed, nil) {
			require.NoError(t, err)
			got = append(got, p.Changes...)
		}
		assert.Empty(t, got)
	})
}

func TestCalendarFakeRemindersAndAttachments(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		cal := c.Me().WithPrefer(outlook.Prefer{TimeZone: "Pacific Standard Time"}).Calendar()
		ev := must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{Subject: "Dentist",
			Start: pst(t, "2017-03-02T10:00:00"), End: pst(t, "2017-03-02T11:00:00"), ReminderMinutesBeforeStart: outlook.Ptr[int32](30)}))
		must[*outlook.Event](t)(cal.Events().Create(ctx, &outlook.Event{Subject: "Quiet", IsReminderOn: outlook.Ptr(false),
			Start: pst(t, "2017-03-02T12:00:00"), End: pst(t, "2017-03-02T13:00:00")}))
		from, to := pimNow, pimNow.Add(48*time.Hour)

		rems := all(t, cal.Reminders(ctx, from, to))
		require.Len(t, rems, 1)
		assert.Equal(t, ev.ID, rems[0].EventID)
		assert.Equal(t, "2017-03-02T09:30:00.0000000", rems[0].ReminderFireTime.DateTime)
		assert.Equal(t, "Pacific Standard Time", rems[0].ReminderFireTime.TimeZone)

		require.NoError(t, cal.Events().SnoozeReminder(ctx, ev.ID, *pst(t, "2017-03-02T09:50:00")))
		rems = all(t, cal.Reminders(ctx, from, to))
		require.Len(t, rems, 1)
		assert.Equal(t, "2017-03-02T09:50:00.0000000", rems[0].ReminderFireTime.DateTime)
		require.NoError(t, cal.Events().DismissReminder(ctx, ev.ID))
		assert.Empty(t, all(t, cal.Reminders(ctx, from, to)))
		err := cal.Events().DismissReminder(ctx, "nope")
		assert.True(t, office365.IsNotFound(err))

		// Attachments of an event, through the Mail engineer's service.
		atts := cal.Events().Attachments(ev.ID)
		added, err := atts.Add(ctx, &outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "x-ray.txt"}, ContentBytes: []byte("bones")})
		require.NoError(t, err)
		list, err := collect2(atts.List(ctx, nil))
		require.NoError(t, err)
		require.Len(t, list, 1)
		withAtt := must[*outlook.Event](t)(cal.Events().Get(ctx, ev.ID, &outlook.GetOptions{Expand: []string{"Attachments"}}))
		assert.True(t, *withAtt.HasAttachments)
		require.Len(t, withAtt.Attachments, 1)
		assert.Equal(t, "bones", string(withAtt.Attachments[0].(*outlook.FileAttachment).ContentBytes))
		require.NoError(t, atts.Delete(ctx, added.Common().ID))
		withAtt = must[*outlook.Event](t)(cal.Events().Get(ctx, ev.ID, nil))
		assert.False(t, *withAtt.HasAttachments)
	})
}

func TestCalendarFakeFindMeetingTimes(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		// Alex is busy Thursday 2 March 09:00–11:00 and tentative 11:00–12:00 Pacific.
		alex := c.User(pimAlex).Calendar().Events()
		must[*outlook.Event](t)(alex.Create(ctx, &outlook.Event{Subject: "Busy", Start: pst(t, "2017-03-02T09:00:00"), End: pst(t, "2017-03-02T11:00:00")}))
		must[*outlook.Event](t)(alex.Create(ctx, &outlook.Event{Subject: "Maybe", ShowAs: outlook.FreeBusyTentative, Start: pst(t, "2017-03-02T11:00:00"), End: pst(t, "2017-03-02T12:00:00")}))
		// Adele (the organizer) is busy 12:00–13:00.
		must[*outlook.Event](t)(c.Me().Calendar().Events().Create(ctx, &outlook.Event{Subject: "Lunch", Start: pst(t, "2017-03-02T12:00:00"), End: pst(t, "2017-03-02T13:00:00")}))

		fmt := c.Me().WithPrefer(outlook.Prefer{TimeZone: "Pacific Standard Time"}).Calendar()
		req := &outlook.FindMeetingTimesRequest{
			Attendees: []outlook.AttendeeBase{{Type: outlook.AttendeeRequired, EmailAddress: outlook.EmailAddress{Address: pimAlex}}},
			TimeConstraint: &outlook.TimeConstraint{ActivityDomain: outlook.ActivityWork, Timeslots: []outlook.TimeSlot{{
				Start: *pst(t, "2017-03-02T08:00:00"), End: *pst(t, "2017-03-02T14:00:00")}}},
			MeetingDuration:         outlook.Duration(time.Hour),
			ReturnSuggestionReasons: outlook.Ptr(true),
		}
		res := must[*outlook.MeetingTimeSuggestionsResult](t)(fmt.FindMeetingTimes(ctx, req))
		assert.Empty(t, res.EmptySuggestionsReason)
		var slots []string
		for _, s := range res.MeetingTimeSuggestions {
			slots = append(slots, s.MeetingTimeSlot.Start.DateTime[11:16]+" "+string(s.AttendeeAvailability[0].Availability))
			assert.Equal(t, outlook.FreeBusyFree, s.OrganizerAvailability)
			assert.NotEmpty(t, s.SuggestionReason)
		}
		// 08:00 free (before Alex's meeting would overlap? 08:00–09:00 is free);
		// 11:00–12:00 tentative (50%); 13:00–14:00 free; Adele's lunch and
		// Alex's busy morning are excluded.
		assert.Equal(t, []string{"08:00 Free", "13:00 Free", "11:00 Tentative"}, slots)
		assert.Equal(t, outlook.Double(100), *res.MeetingTimeSuggestions[0].Confidence)
		assert.Equal(t, outlook.Double(50), *res.MeetingTimeSuggestions[2].Confidence)

		// Everyone busy: an empty result with its reason.
		req.TimeConstraint.Timeslots = []outlook.TimeSlot{{Start: *pst(t, "2017-03-02T09:00:00"), End: *pst(t, "2017-03-02T11:00:00")}}
		res = must[*outlook.MeetingTimeSuggestionsResult](t)(fmt.FindMeetingTimes(ctx, req))
		assert.Empty(t, res.MeetingTimeSuggestions)
		assert.Equal(t, outlook.EmptySuggestionsAttendeesUnavailable, res.EmptySuggestionsReason)

		// An attendee outside the fake is Unknown (50%); requiring 100% leaves nothing.
		req.Attendees = []outlook.AttendeeBase{{EmailAddress: outlook.EmailAddress{Address: "partner@fabrikam.com"}}}
		req.TimeConstraint.Timeslots = []outlook.TimeSlot{{Start: *pst(t, "2017-03-02T13:00:00"), End: *pst(t, "2017-03-02T14:00:00")}}
		res = must[*outlook.MeetingTimeSuggestionsResult](t)(fmt.FindMeetingTimes(ctx, req))
		require.Len(t, res.MeetingTimeSuggestions, 1)
		assert.Equal(t, outlook.FreeBusyUnknown, res.MeetingTimeSuggestions[0].AttendeeAvailability[0].Availability)
		req.MinimumAttendeePercentage = outlook.Ptr(100.0)
		res = must[*outlook.MeetingTimeSuggestionsResult](t)(fmt.FindMeetingTimes(ctx, req))
		assert.Equal(t, outlook.EmptySuggestionsAttendeesUnavailableOrUnknown, res.EmptySuggestionsReason)

		// Outside working hours with the Work domain: nothing; Unrestricted: yes.
		req.MinimumAttendeePercentage = nil
		req.TimeConstraint.Timeslots = []outlook.TimeSlot{{Start: *pst(t, "2017-03-02T20:00:00"), End: *pst(t, "2017-03-02T21:00:00")}}
		res = must[*outlook.MeetingTimeSuggestionsResult](t)(fmt.FindMeetingTimes(ctx, req))
		assert.Empty(t, res.MeetingTimeSuggestions)
		req.TimeConstraint.ActivityDomain = outlook.ActivityUnrestricted
		res = must[*outlook.MeetingTimeSuggestionsResult](t)(fmt.FindMeetingTimes(ctx, req))
		assert.Len(t, res.MeetingTimeSuggestions, 1)
	})
}

func TestCalendarFakeErrors(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		srv, _, c := pimFake(t, dia)
		ctx := context.Background()
		cal := c.Me().Calendar()
		_, err := cal.Events().Get(ctx, "AAMkNope", nil)
		assert.True(t, office365.IsNotFound(err))
		_, err = cal.In("AAMkNope").Get(ctx, nil)
		assert.True(t, office365.IsNotFound(err))
		_, err = collect(cal.Events().Instances(ctx, "AAMkNope", pimNow, pimNow.Add(time.Hour), nil))
		assert.True(t, office365.IsNotFound(err))
		// Server-side checks behind the client's: an unknown zone in Prefer is
		// ignored, an unknown attendee address format is rejected.
		_, err = cal.Events().Create(ctx, &outlook.Event{Start: pst(t, "2017-03-02T10:00:00"), End: pst(t, "2017-03-02T11:00:00"),
			Attendees: []outlook.Attendee{outlook.RequiredAttendee("not an address", "")}})
		assert.True(t, office365.HasCode(err, "ErrorInvalidRecipients"))
		// A transient failure surfaces as an *office365.Error with the code.
		srv.FailNext(1, "/calendarview", http.StatusServiceUnavailable, "")
		_, err = collect(cal.View(ctx, pimNow, pimNow.Add(time.Hour), nil))
		assert.Equal(t, http.StatusServiceUnavailable, office365.StatusCode(err))
	})
}
