package outlook

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateTimeLayout is the layout of DateTimeTimeZone.DateTime as the service
// writes it (seven fractional digits, no offset).
const DateTimeLayout = "2006-01-02T15:04:05.0000000"

// DateLayout is the layout of Date values such as RecurrenceRange.StartDate.
const DateLayout = "2006-01-02"

// NewDateTimeTimeZone returns t as a DateTimeTimeZone in the named zone (a
// Windows id, an IANA name or "UTC"): the wall clock of t in that zone and
// the zone name as given.
//
//	d, _ := outlook.NewDateTimeTimeZone(t, "Pacific Standard Time")
//	// {"DateTime":"2017-01-02T09:00:00.0000000","TimeZone":"Pacific Standard Time"}
func NewDateTimeTimeZone(t time.Time, zone string) (DateTimeTimeZone, error) {
	loc, err := LoadLocation(zone)
	if err != nil {
		return DateTimeTimeZone{}, err
	}
	return DateTimeTimeZone{DateTime: t.In(loc).Format(DateTimeLayout), TimeZone: strings.TrimSpace(zone)}, nil
}

// DateTimeTimeZoneOf returns t as a DateTimeTimeZone in t's own location:
// "UTC" for UTC, the Windows id when the location maps to one, else its IANA
// name. Times in time.Local (or an unnamed fixed zone) are converted to UTC,
// since their zone has no name the service knows.
func DateTimeTimeZoneOf(t time.Time) DateTimeTimeZone {
	zone := ZoneName(t.Location())
	if zone == "" {
		return UTCDateTime(t)
	}
	return DateTimeTimeZone{DateTime: t.Format(DateTimeLayout), TimeZone: zone}
}

// UTCDateTime returns t as a DateTimeTimeZone in UTC.
func UTCDateTime(t time.Time) DateTimeTimeZone {
	return DateTimeTimeZone{DateTime: t.UTC().Format(DateTimeLayout), TimeZone: "UTC"}
}

// LocalDateTime returns the wall-clock date and time given in the named zone,
// e.g. LocalDateTime(2017, time.January, 2, 9, 0, "Pacific Standard Time").
func LocalDateTime(year int, month time.Month, day, hour, minute int, zone string) (DateTimeTimeZone, error) {
	loc, err := LoadLocation(zone)
	if err != nil {
		return DateTimeTimeZone{}, err
	}
	return NewDateTimeTimeZone(wallClock(time.Date(year, month, day, hour, minute, 0, 0, time.UTC), loc), zone)
}

// IsZero reports whether both fields are empty.
func (d DateTimeTimeZone) IsZero() bool { return d.DateTime == "" && d.TimeZone == "" }

// String formats d as "2017-01-02T09:00:00 (Pacific Standard Time)".
func (d DateTimeTimeZone) String() string {
	if d.TimeZone == "" {
		return d.DateTime
	}
	return d.DateTime + " (" + d.TimeZone + ")"
}

// Location loads d's time zone (see LoadLocation). An empty TimeZone means
// UTC, as the service assumes.
func (d DateTimeTimeZone) Location() (*time.Location, error) {
	if strings.TrimSpace(d.TimeZone) == "" {
		return time.UTC, nil
	}
	return LoadLocation(d.TimeZone)
}

// Time returns the instant d names. The wall clock is read in d's zone; a
// wall clock that does not exist there (skipped by a daylight-saving change)
// is moved forward by the length of the gap, and an ambiguous one (repeated
// when clocks go back) is the first of the two instants.
func (d DateTimeTimeZone) Time() (time.Time, error) {
	loc, err := d.Location()
	if err != nil {
		return time.Time{}, err
	}
	t, err := ParseLocalDateTime(d.DateTime, loc)
	if err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// In returns the same instant as a DateTimeTimeZone in another zone.
func (d DateTimeTimeZone) In(zone string) (DateTimeTimeZone, error) {
	t, err := d.Time()
	if err != nil {
		return DateTimeTimeZone{}, err
	}
	return NewDateTimeTimeZone(t, zone)
}

// Validate checks that DateTime parses and TimeZone is a known zone.
func (d DateTimeTimeZone) Validate() error {
	_, err := d.Time()
	return err
}

// ParseLocalDateTime parses a DateTimeTimeZone.DateTime value
// ("2016-05-04T21:00:00.0000000", "2016-05-04T21:00:00", "2016-05-04T21:00"
// or "2016-05-04") as a wall clock in loc. A trailing "Z" or offset, which
// some clients send, is accepted and honoured.
func ParseLocalDateTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("outlook: empty DateTime")
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return wallClock(t, loc), nil
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("outlook: invalid DateTime %q (want YYYY-MM-DDTHH:MM:SS[.fffffff])", s)
}

// wallClock returns the instant at which clocks in loc show the wall clock
// of naive (whose fields are read as is). An ambiguous wall clock (repeated
// when clocks go back) gives the first of its two instants; one that does
// not exist (skipped when clocks go forward) is read with the offset in
// force before the change, which moves it forward by the length of the gap.
func wallClock(naive time.Time, loc *time.Location) time.Time {
	if loc == time.UTC {
		return naive
	}
	_, before := naive.Add(-24 * time.Hour).In(loc).Zone()
	_, after := naive.Add(24 * time.Hour).In(loc).Zone()
	for _, off := range []int{before, after} {
		t := naive.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWallClock(t, naive) {
			return t
		}
	}
	return naive.Add(-time.Duration(before) * time.Second).In(loc)
}

func sameWallClock(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() &&
		a.Second() == b.Second() && a.Nanosecond() == b.Nanosecond()
}

// FormatDate formats t's calendar date as "YYYY-MM-DD" (the Date type of
// RecurrenceRange.StartDate and EndDate).
func FormatDate(t time.Time) string { return t.Format(DateLayout) }

// ParseDate parses a "YYYY-MM-DD" Date (a longer date-time is cut to its
// date) as midnight in loc (UTC when nil).
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if len(s) > len(DateLayout) && s[len(DateLayout)] == 'T' {
		s = s[:len(DateLayout)]
	}
	t, err := time.ParseInLocation(DateLayout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("outlook: invalid Date %q (want YYYY-MM-DD)", s)
	}
	return t, nil
}

// Duration is an EDM Duration, written as an ISO-8601 duration such as
// "PT1H30M" (FindMeetingTimes' MeetingDuration). Decoding accepts days
// ("P1DT2H"), weeks ("P2W") and fractional seconds; years and months are
// rejected because their length is not fixed.
type Duration time.Duration

// String formats d as an ISO-8601 duration ("PT30M", "P1DT2H", "PT0S").
func (d Duration) String() string {
	v := time.Duration(d)
	if v == 0 {
		return "PT0S"
	}
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	b.WriteByte('P')
	if days := v / (24 * time.Hour); days > 0 {
		b.WriteString(strconv.FormatInt(int64(days), 10))
		b.WriteByte('D')
		v -= days * 24 * time.Hour
	}
	if v == 0 {
		return b.String()
	}
	b.WriteByte('T')
	if h := v / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10))
		b.WriteByte('H')
		v -= h * time.Hour
	}
	if m := v / time.Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10))
		b.WriteByte('M')
		v -= m * time.Minute
	}
	if v > 0 {
		s := strconv.FormatFloat(v.Seconds(), 'f', -1, 64)
		b.WriteString(s)
		b.WriteByte('S')
	}
	return b.String()
}

// ParseDuration parses an ISO-8601 duration ("PT1H", "P1DT30M", "PT1.5S",
// "-PT15M", "P1W").
func ParseDuration(s string) (Duration, error) {
	orig := s
	bad := func() (Duration, error) {
		return 0, fmt.Errorf("outlook: invalid ISO-8601 duration %q", orig)
	}
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if len(s) < 2 || (s[0] != 'P' && s[0] != 'p') {
		return bad()
	}
	s = s[1:]
	var total float64
	inTime := false
	seen := false
	for s != "" {
		if s[0] == 'T' || s[0] == 't' {
			if inTime {
				return bad()
			}
			inTime = true
			s = s[1:]
			if s == "" {
				return bad()
			}
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 || i == len(s) {
			return bad()
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil {
			return bad()
		}
		unit := s[i] | 0x20 // lower case
		s = s[i+1:]
		var mult float64
		switch {
		case !inTime && unit == 'w':
			mult = float64(7 * 24 * time.Hour)
		case !inTime && unit == 'd':
			mult = float64(24 * time.Hour)
		case inTime && unit == 'h':
			mult = float64(time.Hour)
		case inTime && unit == 'm':
			mult = float64(time.Minute)
		case inTime && unit == 's':
			mult = float64(time.Second)
		default: // years and months have no fixed length
			return bad()
		}
		total += n * mult
		seen = true
	}
	if !seen || total > float64(1<<63-1) {
		return bad()
	}
	if neg {
		total = -total
	}
	return Duration(time.Duration(total)), nil
}

// MarshalJSON writes the ISO-8601 form as a JSON string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads an ISO-8601 duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("outlook: Duration: %w", err)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
