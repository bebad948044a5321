package office365test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FindMeetingTimes over the fake's free/busy: every user of the fake has a
// calendar (events with ShowAs Busy, Oof and WorkingElsewhere make them
// busy, Tentative tentative); addresses outside the fake are Unknown.
// Candidates are the slots of MeetingDuration (default 30 minutes) on the
// half hour inside the time slots (default: the next two days), within the
// organizer's working hours (MailboxSettings.WorkingHours) when the
// ActivityDomain is Work (the default). A slot's Confidence is the mean of
// the attendees' chances (Free 100, Tentative or Unknown 50, otherwise 0);
// slots below MinimumAttendeePercentage (default 50), and slots where the
// organizer is not free (unless IsOrganizerOptional), are dropped. Rooms
// named in LocationConstraint with ResolveAvailability are checked the same
// way; with IsRequired a slot needs a free one. Best confidence first, then
// earliest; at most MaxCandidates (default 20).

var reISODuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

func parseISODuration(s string) (time.Duration, bool) {
	mm := reISODuration.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if mm == nil || s == "P" || strings.HasSuffix(strings.ToUpper(s), "T") {
		return 0, false
	}
	var d time.Duration
	units := []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second}
	for i, u := range units {
		if mm[i+1] == "" {
			continue
		}
		f, err := strconv.ParseFloat(mm[i+1], 64)
		if err != nil {
			return 0, false
		}
		d += time.Duration(f * float64(u))
	}
	return d, true
}

// busySpan is one event of a user's free/busy.
type busySpan struct {
	start, end time.Time
	showAs     string
}

// freeBusyLocked returns the user's events overlapping [from, to).
func (u *MailboxUser) freeBusyLocked(from, to time.Time) []busySpan {
	u.pimDefaultsLocked()
	var out []busySpan
	for _, cal := range u.recordsLocked(EntityCalendar, "") {
		for _, ev := range u.viewLocked(cal.ID, from, to) {
			if ev.Doc["IsCancelled"] == true {
				continue
			}
			s, e := eventSpan(ev.Doc)
			show, _ := ev.Doc["ShowAs"].(string)
			out = append(out, busySpan{s, e, show})
		}
	}
	return out
}

// availability is the free/busy status over [s, e).
func availability(spans []busySpan, s, e time.Time) string {
	rank := map[string]int{"Free": 0, "Unknown": 0, "Tentative": 1, "WorkingElsewhere": 2, "Busy": 3, "Oof": 4}
	best := "Free"
	for _, b := range spans {
		if overlaps(b.start, b.end, s, e) && b.start.Before(e) && rank[b.showAs] > rank[best] {
			best = b.showAs
		}
	}
	return best
}

func chance(status string) float64 {
	switch status {
	case "Free":
		return 100
	case "Tentative", "Unknown":
		return 50
	}
	return 0
}

// workingHours returns the user's working days, hours and zone.
func (u *MailboxUser) workingHours() (days []time.Weekday, start, end time.Duration, loc *time.Location) {
	wh := asMap(u.su.Settings["WorkingHours"])
	for _, d := range asList(wh["DaysOfWeek"]) {
		if wd, ok := parseWeekday(d); ok {
			days = append(days, wd)
		}
	}
	tod := func(v any, def time.Duration) time.Duration {
		s, _ := v.(string)
		t, err := time.Parse("15:04:05.9999999", s)
		if err != nil {
			return def
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	start, end = tod(wh["StartTime"], 8*time.Hour), tod(wh["EndTime"], 17*time.Hour)
	zone, _ := asMap(wh["TimeZone"])["Name"].(string)
	if zone == "" {
		zone, _ = u.su.Settings["TimeZone"].(string)
	}
	if loc = loadZone(zone); loc == nil {
		loc = time.UTC
	}
	if len(days) == 0 {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	return days, start, end, loc
}

type meetingParty struct {
	attendee map[string]any // AttendeeBase as rendered
	user     *MailboxUser   // nil outside the fake
	spans    []busySpan
}

func (m *Mailbox) registerFindMeetingTimes() {
	m.Handle("POST", "findmeetingtimes", pim(func(rq *MailboxRequest) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		bad := func(name string) *Reply {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "The value of the parameter '"+name+"' is invalid.")
		}
		dur, maxCand, minPct := 30*time.Minute, 20, 50.0
		orgOptional, reasons := false, false
		var attendees []any
		var locCons map[string]any
		var timeCons map[string]any
		for k, v := range body {
			switch k {
			case "Attendees":
				list, ok := v.([]any)
				if !ok && v != nil {
					return bad(k)
				}
				attendees = list
			case "LocationConstraint":
				lc, ok := v.(map[string]any)
				if !ok && v != nil {
					return bad(k)
				}
				locCons = lc
			case "TimeConstraint":
				tc, ok := v.(map[string]any)
				if !ok && v != nil {
					return bad(k)
				}
				timeCons = tc
			case "MeetingDuration":
				s, _ := v.(string)
				d, ok := parseISODuration(s)
				if !ok || d <= 0 {
					return bad(k)
				}
				dur = d
			case "MaxCandidates":
				n, ok := v.(float64)
				if !ok || n < 0 || n != float64(int(n)) {
					return bad(k)
				}
				maxCand = int(n)
			case "IsOrganizerOptional", "ReturnSuggestionReasons":
				b, ok := v.(bool)
				if !ok {
					return bad(k)
				}
				if k == "IsOrganizerOptional" {
					orgOptional = b
				} else {
					reasons = b
				}
			case "MinimumAttendeePercentage":
				n, ok := v.(float64)
				if !ok || n < 0 || n > 100 {
					return bad(k)
				}
				minPct = n
			default:
				return ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The parameter '"+k+"' in the request payload is not a valid parameter for the operation.")
			}
		}

		// Time slots.
		type slot struct{ start, end time.Time }
		var slots []slot
		domain := "Work"
		if timeCons != nil {
			if d, ok := timeCons["ActivityDomain"]; ok && d != nil {
				s, ok := canonicalEnum(d, "Unknown", "Work", "Personal", "Unrestricted")
				if !ok {
					return bad("ActivityDomain")
				}
				domain = s
			}
			for _, ts := range asList(timeCons["Timeslots"]) {
				s, _, ok1, z1 := parseDTTZ(asMap(ts)["Start"])
				e, _, ok2, z2 := parseDTTZ(asMap(ts)["End"])
				if !z1 || !z2 {
					return ErrorReply(http.StatusBadRequest, "TimeZoneNotSupportedException", "A valid TimeZone value must be specified.")
				}
				if !ok1 || !ok2 || !e.After(s) {
					return bad("Timeslots")
				}
				slots = append(slots, slot{s, e})
			}
		}
		if len(slots) == 0 {
			now := u.m.clock()
			slots = []slot{{now, now.Add(48 * time.Hour)}}
		}
		from, to := slots[0].start, slots[0].end
		for _, s := range slots {
			from, to = minTime(from, s.start), maxTime(to, s.end)
		}

		// Parties.
		var parties []meetingParty
		for _, a := range attendees {
			am := asMap(a)
			r, ok := rq.Mailbox.normalizeRecipient(map[string]any{"EmailAddress": am["EmailAddress"]})
			if !ok {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one attendee is not valid.")
			}
			typ := "Required"
			if t, ok := canonicalEnum(am["Type"], "Required", "Optional", "Resource"); ok {
				typ = t
			}
			p := meetingParty{attendee: map[string]any{"Type": typ, "EmailAddress": r["EmailAddress"]}}
			if x := rq.Mailbox.userLocked(strings.ToLower(recipientAddress(r))); x != nil {
				p.user, p.spans = x, x.freeBusyLocked(from, to)
			}
			parties = append(parties, p)
		}
		orgSpans := u.freeBusyLocked(from, to)

		// Locations.
		var locations []map[string]any
		locRequired := false
		if locCons != nil {
			locRequired, _ = locCons["IsRequired"].(bool)
			for _, l := range asList(locCons["Locations"]) {
				lm, ok := normalizeLocation(l)
				if !ok {
					return bad("Locations")
				}
				locations = append(locations, lm)
			}
		}

		days, whStart, whEnd, whLoc := u.workingHours()
		inWorkingHours := func(s, e time.Time) bool {
			ls, le := s.In(whLoc), e.In(whLoc)
			if !slices.Contains(days, ls.Weekday()) || ls.YearDay() != le.Add(-time.Nanosecond).YearDay() {
				return false
			}
			day := time.Date(ls.Year(), ls.Month(), ls.Day(), 0, 0, 0, 0, whLoc)
			return !ls.Before(day.Add(whStart)) && !le.After(day.Add(whEnd))
		}

		type suggestion struct {
			start, end time.Time
			confidence float64
			doc        Entity
		}
		var found []suggestion
		rejected := map[string]int{}
		zone := rq.responseZone()
		for _, sl := range slots {
			first := sl.start.Truncate(30 * time.Minute)
			if first.Before(sl.start) {
				first = first.Add(30 * time.Minute)
			}
			for s := first; !s.Add(dur).After(sl.end); s = s.Add(30 * time.Minute) {
				e := s.Add(dur)
				if domain == "Work" && !inWorkingHours(s, e) {
					continue
				}
				orgStatus := availability(orgSpans, s, e)
				if orgStatus != "Free" && !orgOptional {
					rejected["OrganizerUnavailable"]++
					continue
				}
				total, unknown := 0.0, false
				var avail []any
				for _, p := range parties {
					status := "Unknown"
					if p.user != nil {
						status = availability(p.spans, s, e)
					} else {
						unknown = true
					}
					total += chance(status)
					avail = append(avail, map[string]any{"Attendee": p.attendee, "Availability": status})
				}
				conf := 100.0
				if len(parties) > 0 {
					conf = total / float64(len(parties))
				}
				if conf < minPct {
					if unknown {
						rejected["AttendeesUnavailableOrUnknown"]++
					} else {
						rejected["AttendeesUnavailable"]++
					}
					continue
				}
				var locs []any
				for _, l := range locations {
					addr, _ := l["LocationEmailAddress"].(string)
					if resolve, _ := l["ResolveAvailability"].(bool); resolve && addr != "" {
						if room := rq.Mailbox.userLocked(strings.ToLower(addr)); room != nil && availability(room.freeBusyLocked(s, e), s, e) != "Free" {
							continue
						}
					}
					out := deepCopy(l).(map[string]any)
					delete(out, "ResolveAvailability")
					locs = append(locs, out)
				}
				if locRequired && len(locations) > 0 && len(locs) == 0 {
					rejected["LocationsUnavailable"]++
					continue
				}
				if locs == nil {
					locs = []any{}
				}
				if avail == nil {
					avail = []any{}
				}
				doc := Entity{
					"Confidence": conf, "OrganizerAvailability": orgStatus, "AttendeeAvailability": avail, "Locations": locs,
					"MeetingTimeSlot": map[string]any{"Start": dttz(s, zone), "End": dttz(e, zone)},
				}
				if reasons {
					if conf == 100 {
						doc["SuggestionReason"] = "Suggested because it is one of the nearest times when all attendees are available."
					} else {
						doc["SuggestionReason"] = fmt.Sprintf("Suggested because %.0f%% of the attendees are likely to be available.", conf)
					}
				}
				found = append(found, suggestion{s, e, conf, doc})
			}
		}
		slices.SortStableFunc(found, func(a, b suggestion) int {
			if a.confidence != b.confidence {
				if a.confidence > b.confidence {
					return -1
				}
				return 1
			}
			return a.start.Compare(b.start)
		})
		if len(found) > maxCand {
			found = found[:maxCand]
		}
		val := make([]any, 0, len(found))
		for i, f := range found {
			f.doc["Order"] = i
			val = append(val, f.doc)
		}
		reason := ""
		if len(val) == 0 {
			reason = "Unknown"
			best := 0
			for _, r := range []string{"OrganizerUnavailable", "AttendeesUnavailable", "AttendeesUnavailableOrUnknown", "LocationsUnavailable"} {
				if rejected[r] > best {
					reason, best = r, rejected[r]
				}
			}
		}
		return &Reply{Status: http.StatusOK, Header: rq.appliedPrefs(), JSON: Entity{
			"@odata.context":         rq.ServiceRoot() + "/$metadata#Microsoft.OutlookServices.MeetingTimeSuggestionsResult",
			"MeetingTimeSuggestions": val, "EmptySuggestionsReason": reason,
		}}
	}))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
