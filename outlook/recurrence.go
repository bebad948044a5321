package outlook

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Builders for PatternedRecurrence, the recurrence of events and tasks. A
// recurrence is a pattern (how often) and a range (from when, until when):
//
//	// Every other Monday and Wednesday at the event's start time, from
//	// 2 January 2017 until 26 June 2017, in Pacific time.
//	r := outlook.NewRecurrence(
//		outlook.WeeklyPattern(2, outlook.Monday, outlook.Wednesday),
//		outlook.EndDateRange("2017-01-02", "2017-06-26", "Pacific Standard Time"))
//
// The event's Start and End give the time of day and duration of each
// occurrence; the range's StartDate must be the date of the first
// occurrence (the service rejects a Start outside the pattern).

// NewRecurrence returns a PatternedRecurrence of p and r.
func NewRecurrence(p RecurrencePattern, r RecurrenceRange) *PatternedRecurrence {
	return &PatternedRecurrence{Pattern: &p, Range: &r}
}

// DailyPattern repeats every interval days.
func DailyPattern(interval int) RecurrencePattern {
	return RecurrencePattern{Type: RecurrenceDaily, Interval: int32(interval)}
}

// WeeklyPattern repeats on the given days every interval weeks. Weeks start
// on Sunday (set FirstDayOfWeek to change it; it matters when interval > 1).
func WeeklyPattern(interval int, days ...DayOfWeek) RecurrencePattern {
	return RecurrencePattern{Type: RecurrenceWeekly, Interval: int32(interval), DaysOfWeek: days, FirstDayOfWeek: Sunday}
}

// AbsoluteMonthlyPattern repeats on a day of the month (1–31) every
// interval months; in shorter months Outlook uses the last day.
func AbsoluteMonthlyPattern(interval, dayOfMonth int) RecurrencePattern {
	return RecurrencePattern{Type: RecurrenceAbsoluteMonthly, Interval: int32(interval), DayOfMonth: int32(dayOfMonth)}
}

// RelativeMonthlyPattern repeats on the index-th given weekday of the month
// (e.g. the second Tuesday, the last Friday) every interval months. With
// several days it is the index-th of any of them ("first weekday" with
// Monday…Friday).
func RelativeMonthlyPattern(interval int, index WeekIndex, days ...DayOfWeek) RecurrencePattern {
	return RecurrencePattern{Type: RecurrenceRelativeMonthly, Interval: int32(interval), Index: index, DaysOfWeek: days}
}

// AbsoluteYearlyPattern repeats every interval years on a date (month 1–12,
// day 1–31).
func AbsoluteYearlyPattern(interval int, month time.Month, dayOfMonth int) RecurrencePattern {
	return RecurrencePattern{Type: RecurrenceAbsoluteYearly, Interval: int32(interval), Month: int32(month), DayOfMonth: int32(dayOfMonth)}
}

// RelativeYearlyPattern repeats every interval years on the index-th given
// weekday of a month (e.g. the fourth Thursday of November).
func RelativeYearlyPattern(interval int, month time.Month, index WeekIndex, days ...DayOfWeek) RecurrencePattern {
	return RecurrencePattern{Type: RecurrenceRelativeYearly, Interval: int32(interval), Month: int32(month), Index: index, DaysOfWeek: days}
}

// EndDateRange is a range from startDate to endDate inclusive ("YYYY-MM-DD"
// dates, see FormatDate), interpreted in timeZone ("" for the event's zone).
func EndDateRange(startDate, endDate, timeZone string) RecurrenceRange {
	return RecurrenceRange{Type: RecurrenceRangeEndDate, StartDate: startDate, EndDate: endDate, RecurrenceTimeZone: timeZone}
}

// NoEndRange is a range from startDate with no end.
func NoEndRange(startDate, timeZone string) RecurrenceRange {
	return RecurrenceRange{Type: RecurrenceRangeNoEnd, StartDate: startDate, RecurrenceTimeZone: timeZone}
}

// NumberedRange is a range of n occurrences from startDate.
func NumberedRange(startDate string, n int, timeZone string) RecurrenceRange {
	return RecurrenceRange{Type: RecurrenceRangeNumbered, StartDate: startDate, NumberOfOccurrences: int32(n), RecurrenceTimeZone: timeZone}
}

// Validate checks r the way the service does before accepting it: a known
// pattern type with the properties it needs (Interval ≥ 1, DaysOfWeek for
// weekly and relative patterns, DayOfMonth 1–31, Month 1–12, Index for
// relative patterns), valid day names, and a range with a valid StartDate, an
// EndDate not before it (EndDate ranges) or a positive NumberOfOccurrences
// (numbered ranges), and a known RecurrenceTimeZone if one is given.
func (r *PatternedRecurrence) Validate() error {
	if r == nil {
		return nil
	}
	if r.Pattern == nil {
		return errors.New("outlook: recurrence has no Pattern")
	}
	if r.Range == nil {
		return errors.New("outlook: recurrence has no Range")
	}
	if err := r.Pattern.Validate(); err != nil {
		return err
	}
	return r.Range.Validate()
}

// Validate checks the pattern (see PatternedRecurrence.Validate).
func (p *RecurrencePattern) Validate() error {
	if p.Interval < 1 {
		return fmt.Errorf("outlook: recurrence pattern %s: Interval %d must be at least 1", p.Type, p.Interval)
	}
	for _, d := range p.DaysOfWeek {
		if _, ok := ParseDayOfWeek(string(d)); !ok {
			return fmt.Errorf("outlook: recurrence pattern %s: %q is not a day of the week", p.Type, d)
		}
	}
	if p.FirstDayOfWeek != "" {
		if _, ok := ParseDayOfWeek(string(p.FirstDayOfWeek)); !ok {
			return fmt.Errorf("outlook: recurrence pattern %s: FirstDayOfWeek %q is not a day of the week", p.Type, p.FirstDayOfWeek)
		}
	}
	needDays := func() error {
		if len(p.DaysOfWeek) == 0 {
			return fmt.Errorf("outlook: recurrence pattern %s needs DaysOfWeek", p.Type)
		}
		return nil
	}
	needDay := func() error {
		if p.DayOfMonth < 1 || p.DayOfMonth > 31 {
			return fmt.Errorf("outlook: recurrence pattern %s: DayOfMonth %d is not 1–31", p.Type, p.DayOfMonth)
		}
		return nil
	}
	needMonth := func() error {
		if p.Month < 1 || p.Month > 12 {
			return fmt.Errorf("outlook: recurrence pattern %s: Month %d is not 1–12", p.Type, p.Month)
		}
		return nil
	}
	needIndex := func() error {
		if _, ok := weekIndexNumber(p.Index); !ok && p.Index != "" {
			return fmt.Errorf("outlook: recurrence pattern %s: Index %q is not First…Last", p.Type, p.Index)
		}
		return nil
	}
	switch {
	case strings.EqualFold(string(p.Type), string(RecurrenceDaily)):
		return nil
	case strings.EqualFold(string(p.Type), string(RecurrenceWeekly)):
		return needDays()
	case strings.EqualFold(string(p.Type), string(RecurrenceAbsoluteMonthly)):
		return needDay()
	case strings.EqualFold(string(p.Type), string(RecurrenceRelativeMonthly)):
		return errors.Join(needDays(), needIndex())
	case strings.EqualFold(string(p.Type), string(RecurrenceAbsoluteYearly)):
		return errors.Join(needMonth(), needDay())
	case strings.EqualFold(string(p.Type), string(RecurrenceRelativeYearly)):
		return errors.Join(needMonth(), needDays(), needIndex())
	case p.Type == "":
		return errors.New("outlook: recurrence pattern has no Type")
	}
	return fmt.Errorf("outlook: unknown recurrence pattern type %q", p.Type)
}

// Validate checks the range (see PatternedRecurrence.Validate).
func (r *RecurrenceRange) Validate() error {
	start, err := ParseDate(r.StartDate, nil)
	if err != nil {
		return fmt.Errorf("outlook: recurrence range StartDate: %w", err)
	}
	if r.RecurrenceTimeZone != "" {
		if _, err := LoadLocation(r.RecurrenceTimeZone); err != nil {
			return fmt.Errorf("outlook: recurrence range: %w", err)
		}
	}
	switch {
	case strings.EqualFold(string(r.Type), string(RecurrenceRangeEndDate)):
		end, err := ParseDate(r.EndDate, nil)
		if err != nil {
			return fmt.Errorf("outlook: recurrence range EndDate: %w", err)
		}
		if end.Before(start) {
			return fmt.Errorf("outlook: recurrence range EndDate %s is before StartDate %s", r.EndDate, r.StartDate)
		}
	case strings.EqualFold(string(r.Type), string(RecurrenceRangeNumbered)):
		if r.NumberOfOccurrences < 1 {
			return fmt.Errorf("outlook: numbered recurrence range: NumberOfOccurrences %d must be at least 1", r.NumberOfOccurrences)
		}
	case strings.EqualFold(string(r.Type), string(RecurrenceRangeNoEnd)):
	case r.Type == "":
		return errors.New("outlook: recurrence range has no Type")
	default:
		return fmt.Errorf("outlook: unknown recurrence range type %q", r.Type)
	}
	return nil
}

// ParseDayOfWeek returns the time.Weekday of a DayOfWeek name (any case).
func ParseDayOfWeek(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) {
			return d, true
		}
	}
	return 0, false
}

// DayOf returns the DayOfWeek of a time.Weekday.
func DayOf(d time.Weekday) DayOfWeek { return DayOfWeek(d.String()) }

// Weekday returns the time.Weekday of d, and whether d is a valid day name.
func (d DayOfWeek) Weekday() (time.Weekday, bool) { return ParseDayOfWeek(string(d)) }

// weekIndexNumber maps First…Fourth to 1…4 and Last to -1.
func weekIndexNumber(i WeekIndex) (int, bool) {
	switch {
	case strings.EqualFold(string(i), string(WeekFirst)):
		return 1, true
	case strings.EqualFold(string(i), string(WeekSecond)):
		return 2, true
	case strings.EqualFold(string(i), string(WeekThird)):
		return 3, true
	case strings.EqualFold(string(i), string(WeekFourth)):
		return 4, true
	case strings.EqualFold(string(i), string(WeekLast)):
		return -1, true
	}
	return 0, false
}
