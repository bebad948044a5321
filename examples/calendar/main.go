// Command calendar shows the Outlook Calendar API: it prints the next seven
// days as an agenda (recurring meetings expanded, in the mailbox's time
// zone), finds a free hour for a meeting with FindMeetingTimes and creates
// it, and accepts the invitation from the attendee's mailbox, after which
// the organizer sees the acceptance.
//
// It reads app-only credentials from the environment:
//
//	O365_TENANT_ID      tenant id or domain (contoso.onmicrosoft.com)
//	O365_CLIENT_ID      application (client) id of an app registration with
//	                    the Office 365 Exchange Online application permission
//	                    Calendars.ReadWrite
//	O365_CLIENT_SECRET  a client secret of that app
//	O365_MAILBOX        the organizer's mailbox (UPN or SMTP address); app-only
//	                    tokens address users/{upn}, never "me"
//	O365_ATTENDEE       optional: a second mailbox to invite; the example
//	                    accepts the invitation from it. Without it the
//	                    meeting is created without attendees.
//	O365_CLOUD          optional: public (default), gcc, gcc-high, dod or china
//
// With a real account the example creates a real meeting (and sends a real
// invitation when O365_ATTENDEE is set); it deletes the meeting at the end
// unless -keep is given.
//
// When none of the first four is set it starts the in-process fake from
// office365test, puts a few events in the sample mailbox, and says so on
// stderr, so
//
//	go run ./examples/calendar
//
// works on a fresh clone without any account.
//
// With -graph (or O365_API=graph) the same calls are served by Microsoft Graph
// v1.0 (office365.WithGraph): the app then needs the Microsoft Graph
// permission Calendars.ReadWrite (and MailboxSettings.Read) instead, and the
// fake answers through its Graph front end.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/outlook"
)

func main() {
	days := flag.Int("days", 7, "how many days the agenda covers")
	keep := flag.Bool("keep", false, "keep the meeting the example creates")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()
	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "calendar:", err)
		os.Exit(2)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	env, err := connect(ctx, graph)
	if err != nil {
		fmt.Fprintln(os.Stderr, "calendar:", err)
		os.Exit(1)
	}
	defer env.close()
	if err := run(ctx, env, *days, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "calendar:", err)
		if outlook.IsMailboxNotEnabled(err) {
			fmt.Fprintln(os.Stderr, "calendar: this mailbox is not enabled for the Outlook REST API")
		}
		env.close()
		os.Exit(1)
	}
}

type environment struct {
	organizer *outlook.Mailbox
	attendee  *outlook.Mailbox // nil: no attendee
	close     func()
}

func run(ctx context.Context, env environment, days int, keep bool) error {
	// Show times in the organizer's own time zone.
	zone, err := env.organizer.Mail().Settings().TimeZone(ctx)
	if err != nil || zone == "" {
		zone = "UTC"
	}
	loc, err := outlook.LoadLocation(zone)
	if err != nil {
		zone, loc = "UTC", time.UTC
	}
	org := env.organizer.WithPrefer(outlook.Prefer{TimeZone: zone})

	// 1. The agenda.
	now := time.Now().In(loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, days)
	fmt.Printf("Agenda of %s, %s – %s (%s)\n", env.organizer.Name(), from.Format("Mon 02 Jan"), to.AddDate(0, 0, -1).Format("Mon 02 Jan"), zone)
	if err := printAgenda(ctx, org.Calendar(), from, to); err != nil {
		return err
	}

	// 2. Find a free hour tomorrow in working hours and create a meeting.
	tomorrow := from.AddDate(0, 0, 1)
	req := &outlook.FindMeetingTimesRequest{
		TimeConstraint: &outlook.TimeConstraint{ActivityDomain: outlook.ActivityWork, Timeslots: []outlook.TimeSlot{{
			Start: outlook.DateTimeTimeZoneOf(tomorrow.Add(8 * time.Hour)),
			End:   outlook.DateTimeTimeZoneOf(tomorrow.Add(18 * time.Hour)),
		}}},
		MeetingDuration: outlook.Duration(time.Hour),
		MaxCandidates:   outlook.Ptr[int32](3),
	}
	var attendees []outlook.Attendee
	if env.attendee != nil {
		req.Attendees = []outlook.AttendeeBase{{Type: outlook.AttendeeRequired, EmailAddress: outlook.EmailAddress{Address: env.attendee.Name()}}}
		attendees = []outlook.Attendee{outlook.RequiredAttendee(env.attendee.Name(), "")}
	}
	start, end := tomorrow.Add(10*time.Hour), tomorrow.Add(11*time.Hour)
	res, err := org.Calendar().FindMeetingTimes(ctx, req)
	switch {
	case err != nil:
		fmt.Printf("\nFindMeetingTimes failed (%v); using 10:00 tomorrow\n", err)
	case len(res.MeetingTimeSuggestions) == 0:
		fmt.Printf("\nNo free hour found tomorrow (%s); using 10:00\n", res.EmptySuggestionsReason)
	default:
		best := res.MeetingTimeSuggestions[0].MeetingTimeSlot
		if s, err := best.Start.Time(); err == nil {
			start = s
		}
		if e, err := best.End.Time(); err == nil {
			end = e
		}
		fmt.Printf("\nFindMeetingTimes suggests %d slot(s); taking the first\n", len(res.MeetingTimeSuggestions))
	}
	meeting, err := org.Calendar().Events().Create(ctx, &outlook.Event{
		Subject:   "office365-go example: project sync",
		Body:      outlook.HTMLBody("<p>Created by the <b>office365-go</b> calendar example.</p>"),
		Start:     ptr(outlook.DateTimeTimeZoneOf(start.In(loc))),
		End:       ptr(outlook.DateTimeTimeZoneOf(end.In(loc))),
		Location:  &outlook.Location{DisplayName: "Room 42"},
		Attendees: attendees,
	})
	if err != nil {
		return fmt.Errorf("creating the meeting: %w", err)
	}
	fmt.Printf("Created %q, %s\n", meeting.Subject, span(meeting, loc))
	if !keep {
		defer func() {
			if err := org.Calendar().Events().Delete(context.WithoutCancel(ctx), meeting.ID); err == nil {
				fmt.Println("Deleted the meeting again (use -keep to keep it)")
			}
		}()
	}
	if env.attendee == nil {
		return nil
	}

	// 3. The attendee finds the invitation in their calendar and accepts it.
	copyID, err := waitForInvitation(ctx, env.attendee.Calendar().Events(), meeting.ICalUID)
	if err != nil {
		return err
	}
	if err := env.attendee.Calendar().Events().Accept(ctx, copyID, "Looking forward to it", true); err != nil {
		return fmt.Errorf("accepting: %w", err)
	}
	fmt.Printf("%s accepted the invitation\n", env.attendee.Name())

	// 4. The organizer sees the response.
	for delay := 500 * time.Millisecond; ; delay = min(2*delay, 5*time.Second) {
		ev, err := org.Calendar().Events().Get(ctx, meeting.ID, &outlook.GetOptions{Select: []string{"Attendees"}})
		if err != nil {
			return fmt.Errorf("reading the meeting: %w", err)
		}
		if a := ev.Attendee(env.attendee.Name()); a != nil && a.Status.HasResponded() {
			fmt.Printf("The organizer sees: %s %s at %s\n", a.EmailAddress.Address, a.Status.Response, a.Status.Time.In(loc).Format("15:04:05"))
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the response did not reach the organizer in time")
		case <-time.After(delay):
		}
	}
}

func printAgenda(ctx context.Context, cal *outlook.CalendarService, from, to time.Time) error {
	opts := &outlook.ListOptions{
		Select:  []string{"Subject", "Start", "End", "Location", "IsAllDay", "Type", "ShowAs"},
		OrderBy: []string{"Start/DateTime"},
		Top:     50,
	}
	day := ""
	n := 0
	for ev, err := range cal.View(ctx, from, to, opts) {
		if err != nil {
			return fmt.Errorf("reading the calendar view: %w", err)
		}
		n++
		s, err := ev.StartTime()
		if err != nil {
			return err
		}
		if d := s.In(from.Location()).Format("Mon 02 Jan"); d != day {
			day = d
			fmt.Printf("\n  %s\n", d)
		}
		where := ""
		if ev.Location != nil && ev.Location.DisplayName != "" {
			where = " @ " + ev.Location.DisplayName
		}
		mark := " "
		if ev.Type == outlook.EventOccurrence || ev.Type == outlook.EventException {
			mark = "↻"
		}
		fmt.Printf("    %s %s %s%s\n", span(ev, from.Location()), mark, ev.Subject, where)
	}
	if n == 0 {
		fmt.Println("\n  (nothing scheduled)")
	}
	return nil
}

func span(ev *outlook.Event, loc *time.Location) string {
	if ev.IsAllDay != nil && *ev.IsAllDay {
		return "all day    "
	}
	s, err1 := ev.StartTime()
	e, err2 := ev.EndTime()
	if err1 != nil || err2 != nil {
		return "?"
	}
	return s.In(loc).Format("15:04") + "–" + e.In(loc).Format("15:04")
}

func waitForInvitation(ctx context.Context, events *outlook.EventsService, uid string) (string, error) {
	opts := &outlook.ListOptions{Filter: "iCalUId eq " + office365.QuoteString(uid), Select: []string{"Subject"}}
	for delay := 500 * time.Millisecond; ; delay = min(2*delay, 5*time.Second) {
		for ev, err := range events.List(ctx, opts) {
			if err != nil {
				return "", fmt.Errorf("looking for the invitation: %w", err)
			}
			return ev.ID, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("the invitation did not arrive in time")
		case <-time.After(delay):
		}
	}
}

func ptr[T any](v T) *T { return &v }

// connect returns the mailboxes to use: real ones described by the
// environment (O365_ATTENDEE, optional, is invited and accepts), or the
// fake's sample users.
func connect(ctx context.Context, graph bool) (environment, error) {
	ex, err := exampleenv.Load("calendar", true, nil)
	if err != nil {
		return environment{}, err
	}
	c, err := outlook.New(ex.Credential, ex.ClientOptions("calendar", graph)...)
	if err != nil {
		ex.Close()
		return environment{}, err
	}
	env := environment{organizer: c.User(ex.Mailbox), close: ex.Close}
	if !ex.IsFake() {
		if a := os.Getenv("O365_ATTENDEE"); a != "" {
			env.attendee = c.User(a)
		}
		return env, nil
	}
	users := ex.Fake.Mailbox.Users()
	env.organizer, env.attendee = c.User(users[0].UPN), c.User(users[1].UPN)
	fmt.Fprintf(os.Stderr, "calendar: %s organizes, %s attends\n\n", users[0].UPN, users[1].UPN)
	if err := seed(ctx, env.organizer); err != nil {
		ex.Close()
		return environment{}, fmt.Errorf("seeding the fake: %w", err)
	}
	return env, nil
}

// seed puts a week of events into the fake organizer's calendar: a daily
// stand-up, a weekly one-to-one and a few single events.
func seed(ctx context.Context, mb *outlook.Mailbox) error {
	zone, err := mb.Mail().Settings().TimeZone(ctx)
	if err != nil {
		return err
	}
	loc, err := outlook.LoadLocation(zone)
	if err != nil {
		return err
	}
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	at := func(day, hour, minute int) *outlook.DateTimeTimeZone {
		return ptr(outlook.DateTimeTimeZoneOf(today.AddDate(0, 0, day).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)))
	}
	events := []*outlook.Event{
		{Subject: "Stand-up", Start: at(0, 9, 0), End: at(0, 9, 15), Location: &outlook.Location{DisplayName: "Teams"},
			Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Monday, outlook.Tuesday, outlook.Wednesday, outlook.Thursday, outlook.Friday),
				outlook.NoEndRange(today.Format(outlook.DateLayout), zone))},
		{Subject: "1:1 with Megan", Start: at(2, 14, 0), End: at(2, 14, 30),
			Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.DayOf(today.AddDate(0, 0, 2).Weekday())),
				outlook.NumberedRange(today.AddDate(0, 0, 2).Format(outlook.DateLayout), 10, zone))},
		{Subject: "Q3 budget review", Start: at(1, 13, 0), End: at(1, 14, 0), Location: &outlook.Location{DisplayName: "Room 12"}},
		{Subject: "Dentist", Start: at(3, 8, 0), End: at(3, 8, 45), ShowAs: outlook.FreeBusyOof},
		{Subject: "Company offsite", IsAllDay: outlook.Ptr(true), Start: at(5, 0, 0), End: at(6, 0, 0)},
	}
	for _, ev := range events {
		if _, err := mb.Calendar().Events().Create(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}
