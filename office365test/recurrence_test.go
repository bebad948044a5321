package office365test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustRecurrence(t *testing.T, js string) *recurrence {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(js), &v))
	r, err := parseRecurrence(v)
	require.NoError(t, err)
	return r
}

func utc(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
}

func starts(occ []occurrence) []time.Time {
	out := make([]time.Time, len(occ))
	for i, o := range occ {
		out[i] = o.Start
	}
	return out
}

func TestRecurrenceWeeklyAcrossDST(t *testing.T) {
	t.Parallel()
	// Monday 09:00–09:30 Pacific from 27 February 2017; clocks go forward
	// on 12 March: the wall clock stays 09:00, UTC moves from 17:00 to 16:00.
	r := mustRecurrence(t, `{"Pattern":{"Type":"Weekly","Interval":1,"DaysOfWeek":["Monday"],"FirstDayOfWeek":"Sunday"},
		"Range":{"Type":"NoEnd","StartDate":"2017-02-27","RecurrenceTimeZone":"Pacific Standard Time"}}`)
	occ := r.expand(utc(2017, 2, 27, 17, 0), utc(2017, 2, 27, 17, 30), "Pacific Standard Time", utc(2017, 2, 26, 0, 0), utc(2017, 3, 21, 0, 0))
	assert.Equal(t, []time.Time{utc(2017, 2, 27, 17, 0), utc(2017, 3, 6, 17, 0), utc(2017, 3, 13, 16, 0), utc(2017, 3, 20, 16, 0)}, starts(occ))
	for _, o := range occ {
		assert.Equal(t, 30*time.Minute, o.End.Sub(o.Start))
	}
	// And in November (clocks go back on 5 November) the other way.
	occ = r.expand(utc(2017, 2, 27, 17, 0), utc(2017, 2, 27, 17, 30), "", utc(2017, 10, 30, 0, 0), utc(2017, 11, 7, 0, 0))
	assert.Equal(t, []time.Time{utc(2017, 10, 30, 16, 0), utc(2017, 11, 6, 17, 0)}, starts(occ))
	// The event's zone is used when the range has none.
	r.zone = ""
	occ = r.expand(utc(2017, 2, 27, 8, 0), utc(2017, 2, 27, 9, 0), "W. Europe Standard Time", utc(2017, 3, 20, 0, 0), utc(2017, 4, 1, 0, 0))
	assert.Equal(t, []time.Time{utc(2017, 3, 20, 8, 0), utc(2017, 3, 27, 7, 0)}, starts(occ))
}

func TestRecurrencePatterns(t *testing.T) {
	t.Parallel()
	start, end := utc(2017, 1, 1, 10, 0), utc(2017, 1, 1, 11, 0)
	cases := []struct {
		name     string
		js       string
		from, to time.Time
		want     []time.Time
	}{
		{"daily every 2 days, numbered", `{"Pattern":{"Type":"Daily","Interval":2},"Range":{"Type":"Numbered","StartDate":"2017-01-01","NumberOfOccurrences":3}}`,
			utc(2016, 12, 1, 0, 0), utc(2017, 2, 1, 0, 0), []time.Time{utc(2017, 1, 1, 10, 0), utc(2017, 1, 3, 10, 0), utc(2017, 1, 5, 10, 0)}},
		{"daily window in the middle", `{"Pattern":{"Type":"Daily","Interval":1},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
			utc(2017, 6, 10, 10, 30), utc(2017, 6, 11, 10, 0), []time.Time{utc(2017, 6, 10, 10, 0)}},
		{"weekly Mon/Wed every other week from Sunday weeks", `{"Pattern":{"Type":"Weekly","Interval":2,"DaysOfWeek":["Monday","Wednesday"],"FirstDayOfWeek":"Sunday"},"Range":{"Type":"EndDate","StartDate":"2017-01-01","EndDate":"2017-01-25"}}`,
			utc(2016, 12, 1, 0, 0), utc(2017, 3, 1, 0, 0), []time.Time{utc(2017, 1, 2, 10, 0), utc(2017, 1, 4, 10, 0), utc(2017, 1, 16, 10, 0), utc(2017, 1, 18, 10, 0)}},
		{"absolute monthly on the 31st clamps", `{"Pattern":{"Type":"AbsoluteMonthly","Interval":1,"DayOfMonth":31},"Range":{"Type":"Numbered","StartDate":"2017-01-01","NumberOfOccurrences":4}}`,
			utc(2016, 12, 1, 0, 0), utc(2018, 1, 1, 0, 0), []time.Time{utc(2017, 1, 31, 10, 0), utc(2017, 2, 28, 10, 0), utc(2017, 3, 31, 10, 0), utc(2017, 4, 30, 10, 0)}},
		{"relative monthly second Tuesday every 2 months", `{"Pattern":{"Type":"RelativeMonthly","Interval":2,"DaysOfWeek":["Tuesday"],"Index":"Second"},"Range":{"Type":"Numbered","StartDate":"2017-01-01","NumberOfOccurrences":3}}`,
			utc(2016, 12, 1, 0, 0), utc(2018, 1, 1, 0, 0), []time.Time{utc(2017, 1, 10, 10, 0), utc(2017, 3, 14, 10, 0), utc(2017, 5, 9, 10, 0)}},
		{"relative monthly last Friday", `{"Pattern":{"Type":"RelativeMonthly","Interval":1,"DaysOfWeek":["Friday"],"Index":"Last"},"Range":{"Type":"EndDate","StartDate":"2017-01-01","EndDate":"2017-03-31"}}`,
			utc(2016, 12, 1, 0, 0), utc(2018, 1, 1, 0, 0), []time.Time{utc(2017, 1, 27, 10, 0), utc(2017, 2, 24, 10, 0), utc(2017, 3, 31, 10, 0)}},
		{"relative monthly first weekday", `{"Pattern":{"Type":"RelativeMonthly","Interval":1,"DaysOfWeek":["Monday","Tuesday","Wednesday","Thursday","Friday"],"Index":"First"},"Range":{"Type":"Numbered","StartDate":"2017-01-01","NumberOfOccurrences":2}}`,
			utc(2016, 12, 1, 0, 0), utc(2018, 1, 1, 0, 0), []time.Time{utc(2017, 1, 2, 10, 0), utc(2017, 2, 1, 10, 0)}},
		{"absolute yearly on 29 February", `{"Pattern":{"Type":"AbsoluteYearly","Interval":1,"Month":2,"DayOfMonth":29},"Range":{"Type":"Numbered","StartDate":"2016-01-01","NumberOfOccurrences":3}}`,
			utc(2015, 12, 1, 0, 0), utc(2020, 1, 1, 0, 0), []time.Time{utc(2016, 2, 29, 10, 0), utc(2017, 2, 28, 10, 0), utc(2018, 2, 28, 10, 0)}},
		{"relative yearly fourth Thursday of November", `{"Pattern":{"Type":"RelativeYearly","Interval":1,"Month":11,"DaysOfWeek":["Thursday"],"Index":"Fourth"},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
			utc(2017, 1, 1, 0, 0), utc(2019, 1, 1, 0, 0), []time.Time{utc(2017, 11, 23, 10, 0), utc(2018, 11, 22, 10, 0)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustRecurrence(t, c.js)
			assert.Equal(t, c.want, starts(r.expand(start, end, "UTC", c.from, c.to)))
		})
	}
}

func TestRecurrenceNextAndErrors(t *testing.T) {
	t.Parallel()
	r := mustRecurrence(t, `{"Pattern":{"Type":"Weekly","Interval":1,"DaysOfWeek":["Saturday"]},"Range":{"Type":"Numbered","StartDate":"2016-05-07","NumberOfOccurrences":2}}`)
	next, ok := r.next(utc(2016, 5, 7, 0, 0))
	assert.True(t, ok)
	assert.Equal(t, utc(2016, 5, 14, 0, 0), next)
	_, ok = r.next(utc(2016, 5, 14, 0, 0))
	assert.False(t, ok, "a numbered range ends")

	for _, bad := range []string{
		`"weekly"`,
		`{"Pattern":{"Type":"Hourly","Interval":1},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"Daily","Interval":0},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"Weekly","Interval":1},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"Weekly","Interval":1,"DaysOfWeek":["Funday"]},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"AbsoluteMonthly","Interval":1,"DayOfMonth":0},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"AbsoluteYearly","Interval":1,"DayOfMonth":1,"Month":13},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"RelativeMonthly","Interval":1,"DaysOfWeek":["Monday"],"Index":"Fifth"},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"Daily","Interval":1},"Range":{"Type":"EndDate","StartDate":"2017-01-02","EndDate":"2017-01-01"}}`,
		`{"Pattern":{"Type":"Daily","Interval":1},"Range":{"Type":"Numbered","StartDate":"2017-01-02","NumberOfOccurrences":0}}`,
		`{"Pattern":{"Type":"Daily","Interval":1},"Range":{"Type":"NoEnd","StartDate":"tomorrow"}}`,
		`{"Pattern":{"Type":"Daily","Interval":1},"Range":{"Type":"NoEnd","StartDate":"2017-01-01","RecurrenceTimeZone":"Moon"}}`,
		`{"Pattern":{"Type":"Daily","Interval":1,"Color":"red"},"Range":{"Type":"NoEnd","StartDate":"2017-01-01"}}`,
	} {
		var v any
		require.NoError(t, json.Unmarshal([]byte(bad), &v))
		_, err := parseRecurrence(v)
		assert.Error(t, err, bad)
	}
}

func TestPIMZones(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Pacific Standard Time", "pacific standard time", "America/Los_Angeles", "UTC", "Asia/Calcutta",
		"Asia/Toshkent", "Europe/Kiev", "Tokyo Standard Time", "Etc/GMT+12"} {
		assert.NotNil(t, loadZone(name), name)
	}
	assert.Nil(t, loadZone("Nowhere Standard Time"))
	assert.Nil(t, loadZone(""))
	ts, zone, ok, zoneOK := parseDTTZ(map[string]any{"DateTime": "2017-03-12T02:30:00", "TimeZone": "Pacific Standard Time"})
	assert.True(t, ok && zoneOK)
	assert.Equal(t, "Pacific Standard Time", zone)
	assert.Equal(t, utc(2017, 3, 12, 10, 30), ts, "a wall clock in the spring gap moves forward")
	_, _, _, zoneOK = parseDTTZ(map[string]any{"DateTime": "2017-03-12T02:30:00", "TimeZone": "Mars"})
	assert.False(t, zoneOK)
	assert.Equal(t, map[string]any{"DateTime": "2017-03-13T09:00:00.0000000", "TimeZone": "Pacific Standard Time"},
		dttz(utc(2017, 3, 13, 16, 0), "Pacific Standard Time"))
}
