package outlook_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

func TestDateTimeTimeZoneAcrossDST(t *testing.T) {
	t.Parallel()
	// A weekly 09:00 Pacific meeting around the 12 March 2017 switch to
	// daylight time: the wall clock stays 09:00, UTC moves from 17:00 to
	// 16:00.
	for _, zone := range []string{"Pacific Standard Time", "America/Los_Angeles"} {
		before := outlook.DateTimeTimeZone{DateTime: "2017-03-06T09:00:00.0000000", TimeZone: zone}
		after := outlook.DateTimeTimeZone{DateTime: "2017-03-13T09:00:00.0000000", TimeZone: zone}
		tb, err := before.Time()
		require.NoError(t, err)
		ta, err := after.Time()
		require.NoError(t, err)
		assert.Equal(t, time.Date(2017, 3, 6, 17, 0, 0, 0, time.UTC), tb.UTC(), zone)
		assert.Equal(t, time.Date(2017, 3, 13, 16, 0, 0, 0, time.UTC), ta.UTC(), zone)
		assert.Equal(t, 7*24*time.Hour-time.Hour, ta.Sub(tb))

		// And back: the UTC instants render as 09:00 in the zone.
		for _, tt := range []time.Time{tb.UTC(), ta.UTC()} {
			d, err := outlook.NewDateTimeTimeZone(tt, zone)
			require.NoError(t, err)
			assert.Equal(t, "09:00:00.0000000", d.DateTime[11:])
			assert.Equal(t, zone, d.TimeZone)
		}
		u, err := after.In("UTC")
		require.NoError(t, err)
		assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-03-13T16:00:00.0000000", TimeZone: "UTC"}, u)
	}

	// In Europe the switch is on 26 March 2017: a 09:00 Paris meeting is
	// 08:00Z before it and 07:00Z after; seen from Pacific time it moves
	// from 00:00 to 01:00 across the American switch and back to 00:00.
	paris := []string{"2017-03-06T09:00:00", "2017-03-13T09:00:00", "2017-03-27T09:00:00"}
	wantPacific := []string{"2017-03-06T00:00:00.0000000", "2017-03-13T01:00:00.0000000", "2017-03-27T00:00:00.0000000"}
	for i, s := range paris {
		d := outlook.DateTimeTimeZone{DateTime: s, TimeZone: "Romance Standard Time"}
		p, err := d.In("Pacific Standard Time")
		require.NoError(t, err)
		assert.Equal(t, wantPacific[i], p.DateTime)
	}

	// A wall clock inside the spring-forward gap moves forward.
	gap := outlook.DateTimeTimeZone{DateTime: "2017-03-12T02:30:00", TimeZone: "Pacific Standard Time"}
	tg, err := gap.Time()
	require.NoError(t, err)
	assert.Equal(t, time.Date(2017, 3, 12, 10, 30, 0, 0, time.UTC), tg.UTC())
	// An ambiguous one (01:30 on 5 November 2017) is the first instant.
	amb := outlook.DateTimeTimeZone{DateTime: "2017-11-05T01:30:00", TimeZone: "Pacific Standard Time"}
	ta, err := amb.Time()
	require.NoError(t, err)
	assert.Equal(t, time.Date(2017, 11, 5, 8, 30, 0, 0, time.UTC), ta.UTC())
}

func TestDateTimeTimeZoneHelpers(t *testing.T) {
	t.Parallel()
	ld, err := outlook.LocalDateTime(2017, time.January, 2, 9, 0, "Pacific Standard Time")
	require.NoError(t, err)
	assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-01-02T09:00:00.0000000", TimeZone: "Pacific Standard Time"}, ld)
	assert.Equal(t, "2017-01-02T09:00:00.0000000 (Pacific Standard Time)", ld.String())
	assert.False(t, ld.IsZero())
	assert.True(t, outlook.DateTimeTimeZone{}.IsZero())

	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	at := time.Date(2017, 1, 2, 9, 0, 0, 0, tokyo)
	assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-01-02T09:00:00.0000000", TimeZone: "Tokyo Standard Time"}, outlook.DateTimeTimeZoneOf(at))
	assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-01-02T00:00:00.0000000", TimeZone: "UTC"}, outlook.DateTimeTimeZoneOf(at.In(time.FixedZone("", 3600))))
	assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-01-02T00:00:00.0000000", TimeZone: "UTC"}, outlook.UTCDateTime(at))

	// No zone means UTC, as the service assumes.
	d := outlook.DateTimeTimeZone{DateTime: "2017-01-02T09:00:00"}
	tt, err := d.Time()
	require.NoError(t, err)
	assert.Equal(t, time.Date(2017, 1, 2, 9, 0, 0, 0, time.UTC), tt)

	for s, want := range map[string]time.Time{
		"2016-05-04T21:00:00.0000000": time.Date(2016, 5, 4, 21, 0, 0, 0, time.UTC),
		"2016-05-04T21:00:00.1234567": time.Date(2016, 5, 4, 21, 0, 0, 123456700, time.UTC),
		"2016-05-04T21:00:00":         time.Date(2016, 5, 4, 21, 0, 0, 0, time.UTC),
		"2016-05-04T21:00":            time.Date(2016, 5, 4, 21, 0, 0, 0, time.UTC),
		"2016-05-04":                  time.Date(2016, 5, 4, 0, 0, 0, 0, time.UTC),
		"2016-05-04T21:00:00Z":        time.Date(2016, 5, 4, 21, 0, 0, 0, time.UTC),
		"2016-05-04T21:00:00-07:00":   time.Date(2016, 5, 5, 4, 0, 0, 0, time.UTC),
	} {
		got, err := outlook.ParseLocalDateTime(s, time.UTC)
		require.NoError(t, err, s)
		assert.True(t, want.Equal(got), "%s: %s", s, got)
	}
	for _, bad := range []string{"", "tomorrow", "2016-13-01T00:00:00", "2016-05-04 21:00"} {
		_, err := outlook.ParseLocalDateTime(bad, nil)
		assert.Error(t, err, bad)
	}
	_, err = outlook.DateTimeTimeZone{DateTime: "2016-05-04T21:00:00", TimeZone: "Nowhere"}.Time()
	assert.Error(t, err)
	_, err = outlook.NewDateTimeTimeZone(time.Now(), "Nowhere")
	assert.Error(t, err)

	day, err := outlook.ParseDate("2017-06-26T00:00:00Z", nil)
	require.NoError(t, err)
	assert.Equal(t, "2017-06-26", outlook.FormatDate(day))
	_, err = outlook.ParseDate("26/06/2017", nil)
	assert.Error(t, err)
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for d, s := range map[time.Duration]string{
		0:                               "PT0S",
		30 * time.Minute:                "PT30M",
		time.Hour:                       "PT1H",
		2*time.Hour + 30*time.Minute:    "PT2H30M",
		26 * time.Hour:                  "P1DT2H",
		48 * time.Hour:                  "P2D",
		1500 * time.Millisecond:         "PT1.5S",
		-15 * time.Minute:               "-PT15M",
		time.Hour + time.Second + 1e8:   "PT1H1.1S",
		7*24*time.Hour + 90*time.Minute: "P7DT1H30M",
	} {
		assert.Equal(t, s, outlook.Duration(d).String())
		back, err := outlook.ParseDuration(s)
		require.NoError(t, err, s)
		assert.Equal(t, outlook.Duration(d), back, s)
	}
	for s, want := range map[string]time.Duration{
		"P1W":     7 * 24 * time.Hour,
		"pt1h":    time.Hour,
		"PT0.5H":  30 * time.Minute,
		"P0D":     0,
		"PT1,5M":  90 * time.Second,
		"+PT10S":  10 * time.Second,
		"P1DT30M": 24*time.Hour + 30*time.Minute,
	} {
		got, err := outlook.ParseDuration(s)
		require.NoError(t, err, s)
		assert.Equal(t, outlook.Duration(want), got, s)
	}
	for _, bad := range []string{"", "P", "PT", "1H", "P1M", "P1Y", "PT1D", "P1H", "PTXM", "PT1H2", "P1DTT1H"} {
		_, err := outlook.ParseDuration(bad)
		assert.Error(t, err, bad)
	}
	var v struct {
		D outlook.Duration `json:"D"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"D":"PT45M"}`), &v))
	assert.Equal(t, outlook.Duration(45*time.Minute), v.D)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"D":"PT45M"}`, string(b))
	assert.Error(t, json.Unmarshal([]byte(`{"D":30}`), &v))
}
