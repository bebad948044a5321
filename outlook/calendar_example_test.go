package outlook_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook"
)

// Create a weekly meeting, list it in a calendar view across the switch to
// daylight time, and accept it from the attendee's mailbox.
func Example_calendar() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	pacific := outlook.Prefer{TimeZone: "Pacific Standard Time"}
	adele := client.User("adele.vance@contoso.com").WithPrefer(pacific).Calendar()
	alex := client.User("alex.wilber@contoso.com").Calendar()

	start, _ := outlook.LocalDateTime(2017, time.March, 6, 9, 0, "Pacific Standard Time")
	end, _ := outlook.LocalDateTime(2017, time.March, 6, 9, 30, "Pacific Standard Time")
	meeting, err := adele.Events().Create(ctx, &outlook.Event{
		Subject:   "Weekly sync",
		Start:     &start,
		End:       &end,
		Attendees: []outlook.Attendee{outlook.RequiredAttendee("alex.wilber@contoso.com", "")},
		Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Monday),
			outlook.NumberedRange("2017-03-06", 3, "Pacific Standard Time")),
	})
	if err != nil {
		log.Fatal(err)
	}

	from := time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC)
	for ev, err := range adele.View(ctx, from, from.AddDate(0, 1, 0), nil) {
		if err != nil {
			log.Fatal(err)
		}
		at, _ := ev.StartTime()
		fmt.Printf("%s %s (%s)\n", ev.Start.DateTime[:16], ev.Subject, at.UTC().Format("15:04Z"))
	}

	// Alex accepts the whole series from his own mailbox.
	for ev, err := range alex.Events().List(ctx, &outlook.ListOptions{Filter: "iCalUId eq " + office365.QuoteString(meeting.ICalUID)}) {
		if err != nil {
			log.Fatal(err)
		}
		if err := alex.Events().Accept(ctx, ev.ID, "Sure", true); err != nil {
			log.Fatal(err)
		}
	}
	ev, err := adele.Events().Get(ctx, meeting.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Alex:", ev.Attendee("alex.wilber@contoso.com").Status.Response)
	// Output:
	// 2017-03-06T09:00 Weekly sync (17:00Z)
	// 2017-03-13T09:00 Weekly sync (16:00Z)
	// 2017-03-20T09:00 Weekly sync (16:00Z)
	// Alex: Accepted
}

// Find an hour when Adele and Alex are both free.
func ExampleCalendarService_FindMeetingTimes() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	pacific := outlook.Prefer{TimeZone: "Pacific Standard Time"}
	// Alex is busy on Thursday morning.
	busyFrom, _ := outlook.LocalDateTime(2017, time.March, 2, 9, 0, "Pacific Standard Time")
	busyTo, _ := outlook.LocalDateTime(2017, time.March, 2, 12, 0, "Pacific Standard Time")
	if _, err := client.User("alex.wilber@contoso.com").Calendar().Events().Create(ctx, &outlook.Event{
		Subject: "Workshop", Start: &busyFrom, End: &busyTo}); err != nil {
		log.Fatal(err)
	}

	from, _ := outlook.LocalDateTime(2017, time.March, 2, 8, 0, "Pacific Standard Time")
	to, _ := outlook.LocalDateTime(2017, time.March, 2, 14, 0, "Pacific Standard Time")
	res, err := client.User("adele.vance@contoso.com").WithPrefer(pacific).Calendar().FindMeetingTimes(ctx, &outlook.FindMeetingTimesRequest{
		Attendees:       []outlook.AttendeeBase{{Type: outlook.AttendeeRequired, EmailAddress: outlook.EmailAddress{Address: "alex.wilber@contoso.com"}}},
		TimeConstraint:  &outlook.TimeConstraint{Timeslots: []outlook.TimeSlot{{Start: from, End: to}}},
		MeetingDuration: outlook.Duration(time.Hour),
		MaxCandidates:   outlook.Ptr[int32](3),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.MeetingTimeSuggestions {
		fmt.Printf("%s–%s %s (%.0f%%)\n", s.MeetingTimeSlot.Start.DateTime[11:16], s.MeetingTimeSlot.End.DateTime[11:16],
			s.AttendeeAvailability[0].Availability, float64(*s.Confidence))
	}
	// Output:
	// 08:00–09:00 Free (100%)
	// 12:00–13:00 Free (100%)
	// 12:30–13:30 Free (100%)
}

// Convert between time.Time and DateTimeTimeZone with Windows or IANA
// zone names.
func ExampleNewDateTimeTimeZone() {
	t := time.Date(2017, 3, 13, 16, 0, 0, 0, time.UTC)
	d, _ := outlook.NewDateTimeTimeZone(t, "Pacific Standard Time")
	fmt.Println(d.DateTime, d.TimeZone)

	berlin, _ := d.In("Europe/Berlin")
	fmt.Println(berlin.DateTime, berlin.TimeZone)

	back, _ := berlin.Time()
	fmt.Println(back.UTC())

	iana, _ := outlook.WindowsToIANA("W. Europe Standard Time")
	win, _ := outlook.IANAToWindows("Asia/Kolkata")
	fmt.Println(iana, "/", win)
	// Output:
	// 2017-03-13T09:00:00.0000000 Pacific Standard Time
	// 2017-03-13T17:00:00.0000000 Europe/Berlin
	// 2017-03-13 16:00:00 +0000 UTC
	// Europe/Berlin / India Standard Time
}

// Complete a recurring task: it moves on to its next occurrence and a
// completed copy remains.
func ExampleTasksService_Complete() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	tasks := client.User("adele.vance@contoso.com").WithPrefer(outlook.Prefer{TimeZone: "Eastern Standard Time"}).Tasks()
	due := outlook.DateTimeTimeZone{DateTime: "2017-03-04T00:00:00", TimeZone: "Eastern Standard Time"}
	task, err := tasks.Create(ctx, &outlook.Task{
		Subject:     "Water the plants",
		DueDateTime: &due,
		Recurrence:  outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Saturday), outlook.NoEndRange("2017-03-04", "Eastern Standard Time")),
	})
	if err != nil {
		log.Fatal(err)
	}
	done, err := tasks.Complete(ctx, task.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range done {
		fmt.Println(t.Status, t.DueDateTime.DateTime[:10], t.Recurrence != nil)
	}
	// Output:
	// Completed 2017-03-04 false
	// NotStarted 2017-03-11 true
}
