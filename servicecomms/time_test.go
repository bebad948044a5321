package servicecomms_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/servicecomms"
)

func TestTimeParsesEveryWireForm(t *testing.T) {
	t.Parallel()
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2020-08-12T00:15:00Z", utc(2020, 8, 12, 0, 15, 0, 0)},
		{"2020-08-14T17:41:03.3Z", utc(2020, 8, 14, 17, 41, 3, 300000000)},
		{"2020-08-14T17:41:03.37Z", utc(2020, 8, 14, 17, 41, 3, 370000000)},
		{"2020-08-11T22:15:18.187Z", utc(2020, 8, 11, 22, 15, 18, 187000000)},
		{"2015-04-06T21:17:34.0071Z", utc(2015, 4, 6, 21, 17, 34, 7100000)},
		{"2020-09-18T13:15:36.68477Z", utc(2020, 9, 18, 13, 15, 36, 684770000)},
		{"2020-09-18T13:15:36.684776Z", utc(2020, 9, 18, 13, 15, 36, 684776000)},
		{"2020-09-18T13:15:36.6847769Z", utc(2020, 9, 18, 13, 15, 36, 684776900)},
		{"2020-09-18T13:15:36.68477691Z", utc(2020, 9, 18, 13, 15, 36, 684776910)},
		{"2020-09-18T13:15:36.684776912Z", utc(2020, 9, 18, 13, 15, 36, 684776912)},
		{"2020-09-18T13:15:36.6847769123Z", utc(2020, 9, 18, 13, 15, 36, 684776912)}, // beyond ns: truncated
		{"2020-09-18T13:15:36.6847769", utc(2020, 9, 18, 13, 15, 36, 684776900)},     // no zone: UTC
		{"2020-09-18T13:15:36", utc(2020, 9, 18, 13, 15, 36, 0)},
		{"2020-09-18T15:15:36.6847769+02:00", utc(2020, 9, 18, 13, 15, 36, 684776900)},
		{"2020-09-18T08:15:36-05:00", utc(2020, 9, 18, 13, 15, 36, 0)},
		{"2020-09-18t13:15:36z", utc(2020, 9, 18, 13, 15, 36, 0)},
		{"2020-09-28", utc(2020, 9, 28, 0, 0, 0, 0)},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			raw, _ := json.Marshal(c.in)
			var got servicecomms.Time
			require.NoError(t, json.Unmarshal(raw, &got))
			assert.True(t, got.Equal(c.want), "got %s want %s", got.Time, c.want)
			assert.Equal(t, c.in, got.Raw())
			out, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, string(raw), string(out), "marshals back exactly as received")

			p, err := servicecomms.ParseTime(c.in)
			require.NoError(t, err)
			assert.True(t, p.Equal(c.want))
			out, err = json.Marshal(p)
			require.NoError(t, err)
			assert.Equal(t, string(raw), string(out))
		})
	}
}

func TestTimeKeepsOffsetAndFormatsChanges(t *testing.T) {
	t.Parallel()
	var tm servicecomms.Time
	require.NoError(t, json.Unmarshal([]byte(`"2020-09-18T15:15:36.6847769+02:00"`), &tm))
	_, off := tm.Zone()
	assert.Equal(t, 7200, off)

	// Same instant in another zone is a change: written in the new zone.
	tm.Time = tm.UTC()
	b, _ := json.Marshal(tm)
	assert.Equal(t, `"2020-09-18T13:15:36.6847769Z"`, string(b))

	tm.Time = tm.Add(time.Second)
	b, _ = json.Marshal(tm)
	assert.Equal(t, `"2020-09-18T13:15:37.6847769Z"`, string(b))

	// Constructed values use the service layout, at most 7 digits.
	b, _ = json.Marshal(servicecomms.NewTime(time.Date(2021, 1, 2, 3, 4, 5, 123456789, time.UTC)))
	assert.Equal(t, `"2021-01-02T03:04:05.1234567Z"`, string(b))
	b, _ = json.Marshal(servicecomms.NewTime(time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC)))
	assert.Equal(t, `"2021-01-02T03:04:05Z"`, string(b))
}

func TestTimeNullEmptyAndInvalid(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`null`, `""`, `" "`} {
		var tm servicecomms.Time
		require.NoError(t, json.Unmarshal([]byte(in), &tm), in)
		assert.True(t, tm.IsZero(), in)
		out, err := json.Marshal(tm)
		require.NoError(t, err)
		if in == "null" {
			assert.Equal(t, "null", string(out))
		} else {
			assert.Equal(t, in, string(out), "an empty string stays an empty string")
		}
	}
	b, _ := json.Marshal(servicecomms.Time{})
	assert.Equal(t, "null", string(b))

	for _, in := range []string{`"yesterday"`, `"2020-13-01T00:00:00Z"`, `12345`, `"2020-09-18T13:15:36+2"`} {
		var tm servicecomms.Time
		assert.Error(t, json.Unmarshal([]byte(in), &tm), in)
	}
	_, err := servicecomms.ParseTime("")
	assert.Error(t, err)
}
