package servicecomms

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// wireLayout formats times the way the service writes them: UTC "Z" or an
// offset, and up to seven fractional digits (.NET ticks), trailing zeros
// trimmed.
const wireLayout = "2006-01-02T15:04:05.9999999Z07:00"

// Time is a DateTimeOffset as the Service Communications API sends it. It
// embeds time.Time, so t.Before, t.Format, t.IsZero … work directly.
//
// The service writes anything from no to seven fractional digits
// ("2020-09-18T13:15:36.6847769Z", "2020-08-14T17:41:03.37Z"), usually with
// "Z" and sometimes without a zone (read as UTC). A decoded Time remembers
// the exact text it was read from and MarshalJSON writes that text back
// unchanged, as long as the instant and offset were not modified; otherwise,
// and for a Time built with NewTime, it writes the service's layout (at
// most seven fractional digits). The zero Time marshals as null.
type Time struct {
	time.Time
	raw string // the JSON token as received, "" when constructed
}

// NewTime wraps t.
func NewTime(t time.Time) Time { return Time{Time: t} }

// ParseTime parses a timestamp in any of the forms the service uses: RFC
// 3339 with 0 to 9 (or more, truncated) fractional digits, "Z" or a numeric
// offset; the same without a zone (UTC); or a bare date. The result marshals
// back to exactly s.
func ParseTime(s string) (Time, error) {
	t, err := parseWireTime(s)
	if err != nil {
		return Time{}, err
	}
	raw, _ := json.Marshal(s)
	return Time{Time: t, raw: string(raw)}, nil
}

var errEmptyTime = errors.New("empty timestamp")

func parseWireTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errEmptyTime
	}
	u := strings.ToUpper(s) // only the T and Z separators are letters
	layouts := []string{
		time.RFC3339, // also accepts any number of fractional digits
		"2006-01-02T15:04:05Z0700",
		"2006-01-02T15:04:05", // no zone: UTC
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02",
	}
	var firstErr error
	for _, l := range layouts {
		t, err := time.Parse(l, u)
		if err == nil {
			return t, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, fmt.Errorf("servicecomms: invalid timestamp %q: %w", s, firstErr)
}

// Raw returns the text the Time was decoded from (without JSON quotes), or
// "" for a Time that was not decoded.
func (t Time) Raw() string {
	if t.raw == "" {
		return ""
	}
	var s string
	if json.Unmarshal([]byte(t.raw), &s) != nil {
		return ""
	}
	return s
}

// UnmarshalJSON reads a JSON string timestamp. null and "" give the zero
// Time (and marshal back as received).
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("servicecomms: timestamp must be a JSON string, got %.40s", b)
	}
	if strings.TrimSpace(s) == "" {
		*t = Time{raw: string(b)}
		return nil
	}
	v, err := parseWireTime(s)
	if err != nil {
		return err
	}
	*t = Time{Time: v, raw: string(b)}
	return nil
}

// MarshalJSON writes the received text when the value is unchanged, else
// the service's layout; the zero Time is null.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.raw != "" && t.unchanged() {
		return []byte(t.raw), nil
	}
	if t.Time.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.Time.Format(wireLayout) + `"`), nil
}

// unchanged reports whether t still holds what raw says.
func (t Time) unchanged() bool {
	var s string
	if json.Unmarshal([]byte(t.raw), &s) != nil {
		return false
	}
	if strings.TrimSpace(s) == "" {
		return t.Time.IsZero()
	}
	v, err := parseWireTime(s)
	if err != nil || !v.Equal(t.Time) {
		return false
	}
	_, o1 := v.Zone()
	_, o2 := t.Time.Zone()
	return o1 == o2
}

// formatFilterTime renders t as an OData DateTimeOffset literal for $filter
// (UTC, at most seven fractional digits: the service's precision).
func formatFilterTime(t time.Time) string {
	return t.UTC().Truncate(100 * time.Nanosecond).Format(wireLayout)
}
