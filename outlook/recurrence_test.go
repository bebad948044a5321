package outlook_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

func TestRecurrenceBuilders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		r    *outlook.PatternedRecurrence
		json string
	}{
		{outlook.NewRecurrence(outlook.DailyPattern(2), outlook.NumberedRange("2017-01-02", 10, "")),
			`{"Pattern":{"Type":"Daily","Interval":2},"Range":{"Type":"Numbered","StartDate":"2017-01-02","NumberOfOccurrences":10}}`},
		{outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Monday, outlook.Wednesday), outlook.EndDateRange("2017-01-02", "2017-06-26", "Pacific Standard Time")),
			`{"Pattern":{"Type":"Weekly","Interval":1,"DaysOfWeek":["Monday","Wednesday"],"FirstDayOfWeek":"Sunday"},"Range":{"Type":"EndDate","StartDate":"2017-01-02","EndDate":"2017-06-26","RecurrenceTimeZone":"Pacific Standard Time"}}`},
		{outlook.NewRecurrence(outlook.AbsoluteMonthlyPattern(1, 15), outlook.NoEndRange("2017-01-15", "UTC")),
			`{"Pattern":{"Type":"AbsoluteMonthly","Interval":1,"DayOfMonth":15},"Range":{"Type":"NoEnd","StartDate":"2017-01-15","RecurrenceTimeZone":"UTC"}}`},
		{outlook.NewRecurrence(outlook.RelativeMonthlyPattern(1, outlook.WeekSecond, outlook.Tuesday), outlook.NumberedRange("2017-01-10", 6, "")),
			`{"Pattern":{"Type":"RelativeMonthly","Interval":1,"DaysOfWeek":["Tuesday"],"Index":"Second"},"Range":{"Type":"Numbered","StartDate":"2017-01-10","NumberOfOccurrences":6}}`},
		{outlook.NewRecurrence(outlook.AbsoluteYearlyPattern(1, time.July, 22), outlook.NoEndRange("2017-07-22", "")),
			`{"Pattern":{"Type":"AbsoluteYearly","Interval":1,"Month":7,"DayOfMonth":22},"Range":{"Type":"NoEnd","StartDate":"2017-07-22"}}`},
		{outlook.NewRecurrence(outlook.RelativeYearlyPattern(1, time.November, outlook.WeekFourth, outlook.Thursday), outlook.NoEndRange("2017-11-23", "")),
			`{"Pattern":{"Type":"RelativeYearly","Interval":1,"Month":11,"DaysOfWeek":["Thursday"],"Index":"Fourth"},"Range":{"Type":"NoEnd","StartDate":"2017-11-23"}}`},
	}
	for _, c := range cases {
		require.NoError(t, c.r.Validate(), c.json)
		b, err := json.Marshal(c.r)
		require.NoError(t, err)
		assert.JSONEq(t, c.json, string(b))
		var back outlook.PatternedRecurrence
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, *c.r, back)
	}
}

func TestRecurrenceValidate(t *testing.T) {
	t.Parallel()
	rng := outlook.NoEndRange("2017-01-02", "")
	bad := map[string]*outlook.PatternedRecurrence{
		"no Pattern":            {Range: &rng},
		"no Range":              {Pattern: &outlook.RecurrencePattern{Type: outlook.RecurrenceDaily, Interval: 1}},
		"Interval 0":            outlook.NewRecurrence(outlook.DailyPattern(0), rng),
		"needs DaysOfWeek":      outlook.NewRecurrence(outlook.WeeklyPattern(1), rng),
		"not a day of the week": outlook.NewRecurrence(outlook.WeeklyPattern(1, "Funday"), rng),
		"DayOfMonth 32":         outlook.NewRecurrence(outlook.AbsoluteMonthlyPattern(1, 32), rng),
		"Month 13":              outlook.NewRecurrence(outlook.AbsoluteYearlyPattern(1, 13, 1), rng),
		"Index":                 outlook.NewRecurrence(outlook.RelativeMonthlyPattern(1, "Fifth", outlook.Monday), rng),
		"unknown recurrence":    outlook.NewRecurrence(outlook.RecurrencePattern{Type: "Hourly", Interval: 1}, rng),
		"no Type":               outlook.NewRecurrence(outlook.RecurrencePattern{Interval: 1}, rng),
		"StartDate":             outlook.NewRecurrence(outlook.DailyPattern(1), outlook.NoEndRange("02/01/2017", "")),
		"before StartDate":      outlook.NewRecurrence(outlook.DailyPattern(1), outlook.EndDateRange("2017-01-02", "2017-01-01", "")),
		"EndDate":               outlook.NewRecurrence(outlook.DailyPattern(1), outlook.EndDateRange("2017-01-02", "", "")),
		"NumberOfOccurrences":   outlook.NewRecurrence(outlook.DailyPattern(1), outlook.NumberedRange("2017-01-02", 0, "")),
		"unknown time zone":     outlook.NewRecurrence(outlook.DailyPattern(1), outlook.NoEndRange("2017-01-02", "Moon Time")),
		"range type":            outlook.NewRecurrence(outlook.DailyPattern(1), outlook.RecurrenceRange{Type: "Forever", StartDate: "2017-01-02"}),
	}
	for want, r := range bad {
		err := r.Validate()
		if assert.Error(t, err, want) {
			assert.Contains(t, err.Error(), want)
		}
	}
	var none *outlook.PatternedRecurrence
	assert.NoError(t, none.Validate())

	d, ok := outlook.ParseDayOfWeek("friday")
	assert.True(t, ok)
	assert.Equal(t, time.Friday, d)
	assert.Equal(t, outlook.Sunday, outlook.DayOf(time.Sunday))
	wd, ok := outlook.Saturday.Weekday()
	assert.True(t, ok)
	assert.Equal(t, time.Saturday, wd)
}
