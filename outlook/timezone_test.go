package outlook_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

// documentedIANA is the IANA list of entities.md §12 (both the modern and
// the older spellings), which the service accepts in DateTimeTimeZone and
// Prefer: outlook.timezone.
var documentedIANA = strings.Fields(`Etc/GMT+12 Etc/GMT+11 Pacific/Honolulu America/Anchorage America/Santa_Isabel
America/Los_Angeles America/Phoenix America/Chihuahua America/Denver America/Guatemala America/Chicago
America/Mexico_City America/Regina America/Bogota America/New_York America/Indiana/Indianapolis America/Caracas
America/Asuncion America/Halifax America/Cuiaba America/La_Paz America/Santiago America/St_Johns America/Sao_Paulo
America/Argentina/Buenos_Aires America/Cayenne America/Godthab America/Montevideo America/Bahia Etc/GMT+2
Atlantic/Azores Atlantic/Cape_Verde Africa/Casablanca Etc/GMT Europe/London Atlantic/Reykjavik Europe/Berlin
Europe/Budapest Europe/Paris Europe/Warsaw Africa/Lagos Africa/Windhoek Europe/Bucharest Asia/Beirut Africa/Cairo
Asia/Damascus Africa/Johannesburg Europe/Kyiv Europe/Kiev Europe/Istanbul Asia/Jerusalem Asia/Amman Asia/Baghdad
Europe/Kaliningrad Asia/Riyadh Africa/Nairobi Asia/Tehran Asia/Dubai Asia/Baku Europe/Moscow Indian/Mauritius
Asia/Tbilisi Asia/Yerevan Asia/Kabul Asia/Karachi Asia/Toshkent Asia/Tashkent Asia/Kolkata Asia/Calcutta Asia/Colombo
Asia/Kathmandu Asia/Astana Asia/Almaty Asia/Dhaka Asia/Yekaterinburg Asia/Yangon Asia/Bangkok Asia/Novosibirsk
Asia/Shanghai Asia/Krasnoyarsk Asia/Singapore Australia/Perth Asia/Taipei Asia/Ulaanbaatar Asia/Irkutsk Asia/Tokyo
Asia/Seoul Australia/Adelaide Australia/Darwin Australia/Brisbane Australia/Sydney Pacific/Port_Moresby
Australia/Hobart Asia/Yakutsk Pacific/Guadalcanal Asia/Vladivostok Pacific/Auckland Etc/GMT-12 Pacific/Fiji
Asia/Magadan Pacific/Tongatapu Pacific/Apia Pacific/Kiritimati`)

func TestWindowsZonesLoadAndRoundTrip(t *testing.T) {
	t.Parallel()
	names := outlook.WindowsZoneNames()
	require.Greater(t, len(names), 130, "the table covers every Windows zone")
	obsolete := map[string]string{"Mid-Atlantic Standard Time": "UTC-02", "Kamchatka Standard Time": "Russia Time Zone 11"}
	for _, w := range names {
		iana, ok := outlook.WindowsToIANA(w)
		require.True(t, ok, w)
		loc, err := outlook.LoadLocation(w)
		require.NoError(t, err, w)
		assert.NotNil(t, loc)
		back, ok := outlook.IANAToWindows(iana)
		require.True(t, ok, "%s → %s has no way back", w, iana)
		want := w
		if o, isObsolete := obsolete[w]; isObsolete {
			want = o
		}
		assert.Equal(t, want, back, "%s → %s → %s", w, iana, back)
	}
}

func TestDocumentedIANANames(t *testing.T) {
	t.Parallel()
	for _, name := range documentedIANA {
		w, ok := outlook.IANAToWindows(name)
		assert.True(t, ok, "no Windows zone for %s", name)
		loc, err := outlook.LoadLocation(name)
		if assert.NoError(t, err, name) {
			// The IANA zone and its Windows zone agree on the offset now
			// and half a year from now.
			wloc, err := outlook.LoadLocation(w)
			require.NoError(t, err)
			for _, at := range []time.Time{time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2024, 7, 15, 12, 0, 0, 0, time.UTC)} {
				_, o1 := at.In(loc).Zone()
				_, o2 := at.In(wloc).Zone()
				if name == "America/Chihuahua" || name == "America/Santa_Isabel" || name == "Asia/Almaty" || name == "Asia/Astana" || name == "America/Godthab" {
					continue // zones whose rules changed after Windows grouped them
				}
				assert.Equal(t, o1, o2, "%s vs %s at %s", name, w, at)
			}
		}
	}
}

func TestZoneLookups(t *testing.T) {
	t.Parallel()
	iana, ok := outlook.WindowsToIANA("pacific standard time")
	assert.True(t, ok)
	assert.Equal(t, "America/Los_Angeles", iana)
	w, ok := outlook.IANAToWindows("europe/paris")
	assert.True(t, ok)
	assert.Equal(t, "Romance Standard Time", w)
	for in, want := range map[string]string{
		"America/Toronto":  "Eastern Standard Time",
		"Asia/Hong_Kong":   "China Standard Time",
		"Europe/Madrid":    "Romance Standard Time",
		"Europe/Amsterdam": "W. Europe Standard Time",
		"Asia/Calcutta":    "India Standard Time",
		"Etc/UTC":          "UTC",
		"UTC":              "UTC",
	} {
		got, ok := outlook.IANAToWindows(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	_, ok = outlook.WindowsToIANA("Martian Standard Time")
	assert.False(t, ok)

	for _, bad := range []string{"", "Mars/Olympus", "Local", "Martian Standard Time"} {
		_, err := outlook.LoadLocation(bad)
		assert.Error(t, err, bad)
	}
	loc, err := outlook.LoadLocation("utc")
	require.NoError(t, err)
	assert.Equal(t, time.UTC, loc)
	// Documented alias missing from the zone database.
	loc, err = outlook.LoadLocation("Asia/Toshkent")
	require.NoError(t, err)
	assert.Equal(t, "Asia/Tashkent", loc.String())

	la, _ := time.LoadLocation("America/Los_Angeles")
	assert.Equal(t, "Pacific Standard Time", outlook.ZoneName(la))
	assert.Equal(t, "UTC", outlook.ZoneName(time.UTC))
	assert.Equal(t, "", outlook.ZoneName(time.FixedZone("", 3600)))
	nuuk, _ := time.LoadLocation("America/Nuuk")
	assert.Equal(t, "Greenland Standard Time", outlook.ZoneName(nuuk))
}
