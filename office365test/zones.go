package office365test

import (
	"strings"
	"sync"
	"time"
)

// Time zones of the mailbox fake (mail, calendar, contacts, tasks,
// mailbox settings): the one Windows ↔ IANA table of the package. The
// service accepts any Windows zone id, a documented list of IANA names (with
// older spellings such as Asia/Calcutta) and "UTC"; loadZone resolves all of
// them. (The fake does not import the client package: it models the service
// independently of the code it tests.)

// windowsZones maps Windows zone ids (lower case) to IANA zones (CLDR
// windowsZones.xml, territory 001). UTC maps to Etc/GMT, the IANA alias the
// service lists for it (SupportedTimeZones).
var windowsZones = map[string]string{
	"dateline standard time": "Etc/GMT+12", "utc-11": "Etc/GMT+11", "aleutian standard time": "America/Adak",
	"hawaiian standard time": "Pacific/Honolulu", "marquesas standard time": "Pacific/Marquesas",
	"alaskan standard time": "America/Anchorage", "utc-09": "Etc/GMT+9", "pacific standard time (mexico)": "America/Tijuana",
	"utc-08": "Etc/GMT+8", "pacific standard time": "America/Los_Angeles", "us mountain standard time": "America/Phoenix",
	"mountain standard time (mexico)": "America/Mazatlan", "mountain standard time": "America/Denver",
	"yukon standard time": "America/Whitehorse", "central america standard time": "America/Guatemala",
	"central standard time": "America/Chicago", "easter island standard time": "Pacific/Easter",
	"central standard time (mexico)": "America/Mexico_City", "canada central standard time": "America/Regina",
	"sa pacific standard time": "America/Bogota", "eastern standard time (mexico)": "America/Cancun",
	"eastern standard time": "America/New_York", "haiti standard time": "America/Port-au-Prince",
	"cuba standard time": "America/Havana", "us eastern standard time": "America/Indiana/Indianapolis",
	"turks and caicos standard time": "America/Grand_Turk", "paraguay standard time": "America/Asuncion",
	"atlantic standard time": "America/Halifax", "venezuela standard time": "America/Caracas",
	"central brazilian standard time": "America/Cuiaba", "sa western standard time": "America/La_Paz",
	"pacific sa standard time": "America/Santiago", "newfoundland standard time": "America/St_Johns",
	"tocantins standard time": "America/Araguaina", "e. south america standard time": "America/Sao_Paulo",
	"sa eastern standard time": "America/Cayenne", "argentina standard time": "America/Argentina/Buenos_Aires",
	"greenland standard time": "America/Nuuk", "montevideo standard time": "America/Montevideo",
	"magallanes standard time": "America/Punta_Arenas", "saint pierre standard time": "America/Miquelon",
	"bahia standard time": "America/Bahia", "utc-02": "Etc/GMT+2", "mid-atlantic standard time": "Etc/GMT+2",
	"azores standard time": "Atlantic/Azores", "cape verde standard time": "Atlantic/Cape_Verde", "utc": "Etc/GMT",
	"gmt standard time": "Europe/London", "greenwich standard time": "Atlantic/Reykjavik",
	"sao tome standard time": "Africa/Sao_Tome", "morocco standard time": "Africa/Casablanca",
	"w. europe standard time": "Europe/Berlin", "central europe standard time": "Europe/Budapest",
	"romance standard time": "Europe/Paris", "central european standard time": "Europe/Warsaw",
	"w. central africa standard time": "Africa/Lagos", "jordan standard time": "Asia/Amman",
	"gtb standard time": "Europe/Bucharest", "middle east standard time": "Asia/Beirut",
	"egypt standard time": "Africa/Cairo", "e. europe standard time": "Europe/Chisinau",
	"syria standard time": "Asia/Damascus", "west bank standard time": "Asia/Hebron",
	"south africa standard time": "Africa/Johannesburg", "fle standard time": "Europe/Kyiv",
	"israel standard time": "Asia/Jerusalem", "south sudan standard time": "Africa/Juba",
	"kaliningrad standard time": "Europe/Kaliningrad", "sudan standard time": "Africa/Khartoum",
	"libya standard time": "Africa/Tripoli", "namibia standard time": "Africa/Windhoek",
	"arabic standard time": "Asia/Baghdad", "turkey standard time": "Europe/Istanbul",
	"arab standard time": "Asia/Riyadh", "belarus standard time": "Europe/Minsk",
	"russian standard time": "Europe/Moscow", "e. africa standard time": "Africa/Nairobi",
	"volgograd standard time": "Europe/Volgograd", "iran standard time": "Asia/Tehran",
	"arabian standard time": "Asia/Dubai", "astrakhan standard time": "Europe/Astrakhan",
	"azerbaijan standard time": "Asia/Baku", "russia time zone 3": "Europe/Samara",
	"mauritius standard time": "Indian/Mauritius", "saratov standard time": "Europe/Saratov",
	"georgian standard time": "Asia/Tbilisi", "caucasus standard time": "Asia/Yerevan",
	"afghanistan standard time": "Asia/Kabul", "west asia standard time": "Asia/Tashkent",
	"ekaterinburg standard time": "Asia/Yekaterinburg", "pakistan standard time": "Asia/Karachi",
	"qyzylorda standard time": "Asia/Qyzylorda", "india standard time": "Asia/Kolkata",
	"sri lanka standard time": "Asia/Colombo", "nepal standard time": "Asia/Kathmandu",
	"central asia standard time": "Asia/Almaty", "bangladesh standard time": "Asia/Dhaka",
	"omsk standard time": "Asia/Omsk", "myanmar standard time": "Asia/Yangon",
	"se asia standard time": "Asia/Bangkok", "altai standard time": "Asia/Barnaul",
	"w. mongolia standard time": "Asia/Hovd", "north asia standard time": "Asia/Krasnoyarsk",
	"n. central asia standard time": "Asia/Novosibirsk", "tomsk standard time": "Asia/Tomsk",
	"china standard time": "Asia/Shanghai", "north asia east standard time": "Asia/Irkutsk",
	"singapore standard time": "Asia/Singapore", "w. australia standard time": "Australia/Perth",
	"taipei standard time": "Asia/Taipei", "ulaanbaatar standard time": "Asia/Ulaanbaatar",
	"aus central w. standard time": "Australia/Eucla", "transbaikal standard time": "Asia/Chita",
	"tokyo standard time": "Asia/Tokyo", "north korea standard time": "Asia/Pyongyang",
	"korea standard time": "Asia/Seoul", "yakutsk standard time": "Asia/Yakutsk",
	"cen. australia standard time": "Australia/Adelaide", "aus central standard time": "Australia/Darwin",
	"e. australia standard time": "Australia/Brisbane", "aus eastern standard time": "Australia/Sydney",
	"west pacific standard time": "Pacific/Port_Moresby", "tasmania standard time": "Australia/Hobart",
	"vladivostok standard time": "Asia/Vladivostok", "lord howe standard time": "Australia/Lord_Howe",
	"bougainville standard time": "Pacific/Bougainville", "russia time zone 10": "Asia/Srednekolymsk",
	"magadan standard time": "Asia/Magadan", "norfolk standard time": "Pacific/Norfolk",
	"sakhalin standard time": "Asia/Sakhalin", "central pacific standard time": "Pacific/Guadalcanal",
	"russia time zone 11": "Asia/Kamchatka", "kamchatka standard time": "Asia/Kamchatka",
	"new zealand standard time": "Pacific/Auckland", "utc+12": "Etc/GMT-12", "fiji standard time": "Pacific/Fiji",
	"chatham islands standard time": "Pacific/Chatham", "utc+13": "Etc/GMT-13", "tonga standard time": "Pacific/Tongatapu",
	"samoa standard time": "Pacific/Apia", "line islands standard time": "Pacific/Kiritimati",
}

// zoneAliases are documented IANA spellings the zone database lacks.
var zoneAliases = map[string]string{
	"asia/toshkent": "Asia/Tashkent", "asia/astana": "Asia/Almaty", "asia/yangon (rangoon)": "Asia/Yangon",
}

var zoneCache sync.Map // name → *time.Location

// loadZone resolves a Windows id, IANA name or "UTC" (any case for Windows
// ids); nil when unknown or empty.
func loadZone(name string) *time.Location {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	if v, ok := zoneCache.Load(name); ok {
		return v.(*time.Location)
	}
	lower := strings.ToLower(name)
	var loc *time.Location
	switch {
	case lower == "utc" || lower == "etc/utc" || lower == "etc/gmt" || lower == "gmt":
		loc = time.UTC
	case windowsZones[lower] != "":
		loc, _ = time.LoadLocation(windowsZones[lower])
	case zoneAliases[lower] != "":
		loc, _ = time.LoadLocation(zoneAliases[lower])
	case strings.Contains(name, "/"):
		loc, _ = time.LoadLocation(name)
	}
	if loc == nil {
		return nil
	}
	zoneCache.Store(name, loc)
	return loc
}

// ianaZone returns the IANA name of a Windows zone id ("" when unknown).
func ianaZone(windows string) string { return windowsZones[strings.ToLower(windows)] }

// wallClock returns the instant at which clocks in loc show the wall
// clock of naive (fields read as is). An ambiguous wall clock gives the
// first instant; a skipped one is read with the offset before the change
// (moving it forward by the gap), as the service does.
func wallClock(naive time.Time, loc *time.Location) time.Time {
	if loc == time.UTC {
		return naive.UTC()
	}
	_, before := naive.Add(-24 * time.Hour).In(loc).Zone()
	_, after := naive.Add(24 * time.Hour).In(loc).Zone()
	for _, off := range []int{before, after} {
		t := naive.Add(-time.Duration(off) * time.Second).In(loc)
		if naiveOf(t).Equal(naive) {
			return t
		}
	}
	return naive.Add(-time.Duration(before) * time.Second).In(loc)
}

// naiveOf returns t's wall clock as a UTC time (its fields unchanged).
func naiveOf(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// parseDTTZ reads a DateTimeTimeZone object as an instant. ok is false for
// a malformed value or an unknown zone (zoneOK reports which).
func parseDTTZ(v any) (t time.Time, zone string, ok, zoneOK bool) {
	m, isMap := v.(map[string]any)
	if !isMap {
		return time.Time{}, "", false, true
	}
	dt, _ := m["DateTime"].(string)
	zone, _ = m["TimeZone"].(string)
	if zone == "" {
		zone = "UTC"
	}
	loc := loadZone(zone)
	if loc == nil {
		return time.Time{}, zone, false, false
	}
	dt = strings.TrimSpace(dt)
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04", "2006-01-02"} {
		if naive, err := time.Parse(layout, dt); err == nil {
			return wallClock(naive, loc).UTC(), zone, true, true
		}
	}
	if at, err := time.Parse(time.RFC3339Nano, dt); err == nil {
		return at.UTC(), zone, true, true
	}
	return time.Time{}, zone, false, true
}

// dttz renders an instant as a DateTimeTimeZone in zone (UTC when the zone
// is unknown).
func dttz(t time.Time, zone string) map[string]any {
	loc := loadZone(zone)
	if loc == nil {
		loc, zone = time.UTC, "UTC"
	}
	return map[string]any{"DateTime": t.In(loc).Format(dttzLayout), "TimeZone": zone}
}

// responseZone is the zone responses use: Prefer outlook.timezone when
// known, else UTC.
func (rq *MailboxRequest) responseZone() string {
	if tz := rq.Prefer()["outlook.timezone"]; tz != "" && loadZone(tz) != nil {
		return tz
	}
	return "UTC"
}

// convertDTTZ rewrites every DateTimeTimeZone object inside v to zone.
func convertDTTZ(v any, zone string) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["DateTime"].(string); ok && len(x) == 2 {
			if _, ok := x["TimeZone"]; ok {
				if t, _, ok, _ := parseDTTZ(x); ok {
					out := dttz(t, zone)
					x["DateTime"], x["TimeZone"] = out["DateTime"], out["TimeZone"]
				}
				return
			}
		}
		for _, e := range x {
			convertDTTZ(e, zone)
		}
	case []any:
		for _, e := range x {
			convertDTTZ(e, zone)
		}
	}
}
