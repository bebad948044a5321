package office365test

import (
	"fmt"
	"strings"
	"time"
)

// Recurrence of events and tasks: validation of PatternedRecurrence
// documents and expansion into occurrences. Occurrences keep their wall
// clock in the recurrence's time zone (a weekly 09:00 Pacific meeting stays
// at 09:00 across daylight-saving changes, so its UTC time moves), as the
// service does.

// recurrence is a parsed PatternedRecurrence.
type recurrence struct {
	kind       string // Daily, Weekly, AbsoluteMonthly, RelativeMonthly, AbsoluteYearly, RelativeYearly
	interval   int
	month      time.Month
	dayOfMonth int
	days       []time.Weekday
	firstDay   time.Weekday
	index      int // 1…4, -1 for Last
	rangeType  string
	start, end time.Time // dates as UTC midnights; end zero unless EndDate
	count      int
	zone       string // recurrence time zone ("" = the event's)
}

var weekIndexes = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}

// parseRecurrence validates a PatternedRecurrence document. The error text
// is the service's message.
func parseRecurrence(v any) (*recurrence, error) {
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("The recurrence is not an object.")
	}
	pat, ok1 := doc["Pattern"].(map[string]any)
	rng, ok2 := doc["Range"].(map[string]any)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("A recurrence needs a Pattern and a Range.")
	}
	r := &recurrence{interval: 1, index: 1}
	for k := range doc {
		if k != "Pattern" && k != "Range" && k != "RecurrenceTimeZone" {
			return nil, fmt.Errorf("The property '%s' does not exist on type 'Microsoft.OutlookServices.PatternedRecurrence'.", k)
		}
	}
	kind, ok := canonicalEnum(pat["Type"], "Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly", "AbsoluteYearly", "RelativeYearly")
	if !ok {
		return nil, fmt.Errorf("The recurrence pattern type '%v' is invalid.", pat["Type"])
	}
	r.kind = kind
	num := func(key string) (int, bool) {
		switch x := pat[key].(type) {
		case nil:
			return 0, true
		case float64:
			if x != float64(int(x)) {
				return 0, false
			}
			return int(x), true
		case int:
			return x, true
		}
		return 0, false
	}
	for k, x := range pat {
		switch k {
		case "Type":
		case "Interval", "Month", "DayOfMonth":
			if _, ok := num(k); !ok {
				return nil, fmt.Errorf("The value of the property '%s' is invalid.", k)
			}
		case "DaysOfWeek":
			list, ok := x.([]any)
			if !ok && x != nil {
				return nil, fmt.Errorf("The value of the property 'DaysOfWeek' is invalid.")
			}
			for _, e := range list {
				d, ok := parseWeekday(e)
				if !ok {
					return nil, fmt.Errorf("'%v' is not a valid day of the week.", e)
				}
				r.days = append(r.days, d)
			}
		case "FirstDayOfWeek":
			if x != nil {
				d, ok := parseWeekday(x)
				if !ok {
					return nil, fmt.Errorf("'%v' is not a valid day of the week.", x)
				}
				r.firstDay = d
			}
		case "Index":
			if x != nil {
				s, _ := x.(string)
				i, ok := weekIndexes[strings.ToLower(s)]
				if !ok {
					return nil, fmt.Errorf("'%v' is not a valid week index.", x)
				}
				r.index = i
			}
		default:
			return nil, fmt.Errorf("The property '%s' does not exist on type 'Microsoft.OutlookServices.RecurrencePattern'.", k)
		}
	}
	interval, _ := num("Interval")
	month, _ := num("Month")
	day, _ := num("DayOfMonth")
	if interval < 1 {
		return nil, fmt.Errorf("The recurrence Interval must be at least 1.")
	}
	r.interval, r.month, r.dayOfMonth = interval, time.Month(month), day
	needDays := r.kind == "Weekly" || r.kind == "RelativeMonthly" || r.kind == "RelativeYearly"
	if needDays && len(r.days) == 0 {
		return nil, fmt.Errorf("A %s recurrence needs DaysOfWeek.", r.kind)
	}
	if (r.kind == "AbsoluteMonthly" || r.kind == "AbsoluteYearly") && (day < 1 || day > 31) {
		return nil, fmt.Errorf("DayOfMonth must be between 1 and 31.")
	}
	if (r.kind == "AbsoluteYearly" || r.kind == "RelativeYearly") && (month < 1 || month > 12) {
		return nil, fmt.Errorf("Month must be between 1 and 12.")
	}

	rt, ok := canonicalEnum(rng["Type"], "EndDate", "NoEnd", "Numbered")
	if !ok {
		return nil, fmt.Errorf("The recurrence range type '%v' is invalid.", rng["Type"])
	}
	r.rangeType = rt
	for k := range rng {
		switch k {
		case "Type", "StartDate", "EndDate", "RecurrenceTimeZone", "NumberOfOccurrences":
		default:
			return nil, fmt.Errorf("The property '%s' does not exist on type 'Microsoft.OutlookServices.RecurrenceRange'.", k)
		}
	}
	date := func(key string) (time.Time, bool) {
		s, _ := rng[key].(string)
		if len(s) > 10 && s[10] == 'T' {
			s = s[:10]
		}
		d, err := time.Parse("2006-01-02", s)
		return d, err == nil
	}
	if r.start, ok = date("StartDate"); !ok {
		return nil, fmt.Errorf("The recurrence range StartDate is invalid.")
	}
	switch rt {
	case "EndDate":
		if r.end, ok = date("EndDate"); !ok {
			return nil, fmt.Errorf("The recurrence range EndDate is invalid.")
		}
		if r.end.Before(r.start) {
			return nil, fmt.Errorf("The recurrence range EndDate is before its StartDate.")
		}
	case "Numbered":
		n, _ := rng["NumberOfOccurrences"].(float64)
		if n < 1 || n != float64(int(n)) {
			return nil, fmt.Errorf("NumberOfOccurrences must be a positive integer.")
		}
		r.count = int(n)
	}
	if z, _ := rng["RecurrenceTimeZone"].(string); z != "" {
		if loadZone(z) == nil {
			return nil, fmt.Errorf("The time zone '%s' is not supported.", z)
		}
		r.zone = z
	}
	return r, nil
}

func parseWeekday(v any) (time.Weekday, bool) {
	s, _ := v.(string)
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) {
			return d, true
		}
	}
	return 0, false
}

// maxRecurrenceSteps bounds an expansion (about 270 years of daily
// occurrences).
const maxRecurrenceSteps = 100000

// dates calls yield with each occurrence date of the recurrence, in order,
// from the range start until the range ends, until is passed, or yield
// returns false.
func (r *recurrence) dates(until time.Time, yield func(day time.Time) bool) {
	n, steps := 0, 0
	stop := false
	emit := func(d time.Time) bool {
		steps++
		if steps > maxRecurrenceSteps || d.After(until) || (!r.end.IsZero() && d.After(r.end)) {
			stop = true
			return false
		}
		if d.Before(r.start) {
			return true
		}
		n++
		if r.count > 0 && n > r.count {
			stop = true
			return false
		}
		if !yield(d) {
			stop = true
			return false
		}
		return true
	}
	monthStart := time.Date(r.start.Year(), r.start.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch r.kind {
	case "Daily":
		for d := r.start; !stop; d = d.AddDate(0, 0, r.interval) {
			emit(d)
		}
	case "Weekly":
		back := (int(r.start.Weekday()) - int(r.firstDay) + 7) % 7
		for w := r.start.AddDate(0, 0, -back); !stop; w = w.AddDate(0, 0, 7*r.interval) {
			for i := 0; i < 7 && !stop; i++ {
				if d := w.AddDate(0, 0, i); hasWeekday(r.days, d.Weekday()) {
					emit(d)
				} else {
					steps++
					if steps > maxRecurrenceSteps || d.After(until) {
						stop = true
					}
				}
			}
		}
	case "AbsoluteMonthly", "RelativeMonthly":
		for m := monthStart; !stop; m = m.AddDate(0, r.interval, 0) {
			emit(r.dayIn(m))
		}
	case "AbsoluteYearly", "RelativeYearly":
		y := time.Date(r.start.Year(), r.month, 1, 0, 0, 0, 0, time.UTC)
		if y.AddDate(0, 1, -1).Before(r.start) {
			y = y.AddDate(1, 0, 0)
		}
		for ; !stop; y = y.AddDate(r.interval, 0, 0) {
			emit(r.dayIn(y))
		}
	}
}

// dayIn returns the pattern's day in the month starting at m: the
// DayOfMonth (the last day when the month is shorter, as Outlook does), or
// the index-th (or last) day that is one of DaysOfWeek.
func (r *recurrence) dayIn(m time.Time) time.Time {
	last := m.AddDate(0, 1, -1)
	if strings.HasPrefix(r.kind, "Absolute") {
		return m.AddDate(0, 0, min(r.dayOfMonth, last.Day())-1)
	}
	if r.index == -1 {
		for d := last; ; d = d.AddDate(0, 0, -1) {
			if hasWeekday(r.days, d.Weekday()) {
				return d
			}
		}
	}
	seen := 0
	var lastMatch time.Time
	for d := m; !d.After(last); d = d.AddDate(0, 0, 1) {
		if hasWeekday(r.days, d.Weekday()) {
			seen++
			lastMatch = d
			if seen == r.index {
				return d
			}
		}
	}
	return lastMatch
}

func hasWeekday(days []time.Weekday, d time.Weekday) bool {
	for _, x := range days {
		if x == d {
			return true
		}
	}
	return false
}

// occurrence is one expanded instance of a series.
type occurrence struct {
	Start, End time.Time // UTC
}

// expand returns the occurrences of a series whose first instance runs
// from start to end (UTC instants), whose wall clock is kept in zone, that
// overlap [from, to) (an instant occurrence at from counts).
func (r *recurrence) expand(start, end time.Time, zone string, from, to time.Time) []occurrence {
	if r.zone != "" {
		zone = r.zone
	}
	loc := loadZone(zone)
	if loc == nil {
		loc = time.UTC
	}
	ws, we := naiveOf(start.In(loc)), naiveOf(end.In(loc))
	wallDur := we.Sub(ws)
	tod := ws.Sub(time.Date(ws.Year(), ws.Month(), ws.Day(), 0, 0, 0, 0, time.UTC))
	until := naiveOf(to.In(loc)).AddDate(0, 0, 1)
	var out []occurrence
	r.dates(until, func(day time.Time) bool {
		s := wallClock(day.Add(tod), loc).UTC()
		e := wallClock(day.Add(tod).Add(wallDur), loc).UTC()
		overlaps := s.Before(to) && (e.After(from) || (e.Equal(s) && !s.Before(from)))
		if overlaps {
			out = append(out, occurrence{Start: s, End: e})
		}
		return true
	})
	return out
}

// next returns the first occurrence date strictly after day, and whether
// there is one (task recurrence).
func (r *recurrence) next(day time.Time) (time.Time, bool) {
	var found time.Time
	r.dates(day.AddDate(30, 0, 0), func(d time.Time) bool {
		if d.After(day) {
			found = d
			return false
		}
		return true
	})
	return found, !found.IsZero()
}
