package outlook

import (
	"fmt"
	"strings"
	"sync"
	"time"

	// The zone database is embedded so that Windows and IANA zone names
	// resolve on every platform (Windows and minimal containers ship no
	// zoneinfo). It adds about 450 KB to binaries that import this package.
	_ "time/tzdata"
)

// Time-zone names. The Outlook REST API accepts, in DateTimeTimeZone.TimeZone
// and in Prefer: outlook.timezone, any Windows time-zone id ("Pacific
// Standard Time"), a documented list of IANA names ("America/Los_Angeles")
// and "UTC". Responses use the name the request used, or the Windows id the
// item was created with (OriginalStartTimeZone).
//
// The table below maps every Windows id of the Windows registry to the IANA
// zone CLDR (windowsZones.xml, territory "001") gives for it, and maps the
// IANA names the service documents, the older spellings it accepted
// (Asia/Calcutta, Europe/Kiev …) and the main cities of the world back to
// their Windows id.

// zoneMapping is one Windows zone, its canonical IANA zone, and further
// IANA names that map back to it.
type zoneMapping struct {
	windows string
	iana    string
	others  []string
}

var windowsZones = []zoneMapping{
	{"Dateline Standard Time", "Etc/GMT+12", nil},
	{"UTC-11", "Etc/GMT+11", []string{"Pacific/Pago_Pago", "Pacific/Niue", "Pacific/Midway"}},
	{"Aleutian Standard Time", "America/Adak", nil},
	{"Hawaiian Standard Time", "Pacific/Honolulu", []string{"Pacific/Rarotonga", "Pacific/Tahiti", "US/Hawaii"}},
	{"Marquesas Standard Time", "Pacific/Marquesas", nil},
	{"Alaskan Standard Time", "America/Anchorage", []string{"America/Juneau", "America/Nome", "America/Sitka", "America/Yakutat", "US/Alaska"}},
	{"UTC-09", "Etc/GMT+9", []string{"Pacific/Gambier"}},
	{"Pacific Standard Time (Mexico)", "America/Tijuana", []string{"America/Santa_Isabel", "America/Ensenada"}},
	{"UTC-08", "Etc/GMT+8", []string{"Pacific/Pitcairn"}},
	{"Pacific Standard Time", "America/Los_Angeles", []string{"America/Vancouver", "PST8PDT", "US/Pacific"}},
	{"US Mountain Standard Time", "America/Phoenix", []string{"America/Creston", "America/Dawson_Creek", "America/Fort_Nelson", "America/Hermosillo", "US/Arizona", "MST"}},
	{"Mountain Standard Time (Mexico)", "America/Mazatlan", []string{"America/Chihuahua"}},
	{"Mountain Standard Time", "America/Denver", []string{"America/Edmonton", "America/Boise", "America/Cambridge_Bay", "America/Inuvik", "America/Ciudad_Juarez", "MST7MDT", "US/Mountain"}},
	{"Yukon Standard Time", "America/Whitehorse", []string{"America/Dawson"}},
	{"Central America Standard Time", "America/Guatemala", []string{"America/Belize", "America/Costa_Rica", "America/El_Salvador", "America/Managua", "America/Tegucigalpa", "Pacific/Galapagos"}},
	{"Central Standard Time", "America/Chicago", []string{"America/Winnipeg", "America/Matamoros", "America/Menominee", "America/Indiana/Knox", "America/Indiana/Tell_City", "America/North_Dakota/Center", "America/Rankin_Inlet", "America/Resolute", "CST6CDT", "US/Central"}},
	{"Easter Island Standard Time", "Pacific/Easter", nil},
	{"Central Standard Time (Mexico)", "America/Mexico_City", []string{"America/Monterrey", "America/Merida", "America/Bahia_Banderas"}},
	{"Canada Central Standard Time", "America/Regina", []string{"America/Swift_Current"}},
	{"SA Pacific Standard Time", "America/Bogota", []string{"America/Lima", "America/Panama", "America/Guayaquil", "America/Jamaica", "America/Cayman", "America/Rio_Branco", "America/Eirunepe", "America/Coral_Harbour", "America/Atikokan"}},
	{"Eastern Standard Time (Mexico)", "America/Cancun", nil},
	{"Eastern Standard Time", "America/New_York", []string{"America/Toronto", "America/Detroit", "America/Nassau", "America/Iqaluit", "America/Kentucky/Louisville", "America/Louisville", "America/Montreal", "EST5EDT", "US/Eastern"}},
	{"Haiti Standard Time", "America/Port-au-Prince", nil},
	{"Cuba Standard Time", "America/Havana", nil},
	{"US Eastern Standard Time", "America/Indiana/Indianapolis", []string{"America/Indianapolis", "America/Indiana/Marengo", "America/Indiana/Vevay", "US/East-Indiana"}},
	{"Turks And Caicos Standard Time", "America/Grand_Turk", nil},
	{"Paraguay Standard Time", "America/Asuncion", nil},
	{"Atlantic Standard Time", "America/Halifax", []string{"Atlantic/Bermuda", "America/Glace_Bay", "America/Goose_Bay", "America/Moncton", "America/Thule", "Canada/Atlantic"}},
	{"Venezuela Standard Time", "America/Caracas", nil},
	{"Central Brazilian Standard Time", "America/Cuiaba", []string{"America/Campo_Grande"}},
	{"SA Western Standard Time", "America/La_Paz", []string{"America/Puerto_Rico", "America/Santo_Domingo", "America/Barbados", "America/Martinique", "America/Port_of_Spain", "America/Manaus", "America/Guyana", "America/Curacao", "America/Boa_Vista", "America/Porto_Velho"}},
	{"Pacific SA Standard Time", "America/Santiago", nil},
	{"Newfoundland Standard Time", "America/St_Johns", []string{"Canada/Newfoundland"}},
	{"Tocantins Standard Time", "America/Araguaina", nil},
	{"E. South America Standard Time", "America/Sao_Paulo", []string{"Brazil/East"}},
	{"SA Eastern Standard Time", "America/Cayenne", []string{"America/Fortaleza", "America/Belem", "America/Maceio", "America/Recife", "America/Santarem", "America/Paramaribo", "Atlantic/Stanley", "Antarctica/Rothera"}},
	{"Argentina Standard Time", "America/Argentina/Buenos_Aires", []string{"America/Buenos_Aires", "America/Argentina/Cordoba", "America/Cordoba", "America/Argentina/Mendoza", "America/Argentina/Salta"}},
	{"Greenland Standard Time", "America/Nuuk", []string{"America/Godthab"}},
	{"Montevideo Standard Time", "America/Montevideo", nil},
	{"Magallanes Standard Time", "America/Punta_Arenas", nil},
	{"Saint Pierre Standard Time", "America/Miquelon", nil},
	{"Bahia Standard Time", "America/Bahia", nil},
	{"UTC-02", "Etc/GMT+2", []string{"America/Noronha", "Atlantic/South_Georgia"}},
	{"Azores Standard Time", "Atlantic/Azores", []string{"America/Scoresbysund"}},
	{"Cape Verde Standard Time", "Atlantic/Cape_Verde", []string{"Etc/GMT+1"}},
	{"UTC", "Etc/UTC", []string{"UTC", "Etc/GMT", "GMT", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"}},
	{"GMT Standard Time", "Europe/London", []string{"Europe/Dublin", "Europe/Lisbon", "Atlantic/Canary", "Atlantic/Faroe", "Atlantic/Madeira", "Europe/Guernsey", "Europe/Isle_of_Man", "Europe/Jersey", "GB", "Eire", "Portugal"}},
	{"Greenwich Standard Time", "Atlantic/Reykjavik", []string{"Africa/Abidjan", "Africa/Accra", "Africa/Dakar", "Africa/Bamako", "Africa/Conakry", "Africa/Freetown", "Africa/Monrovia", "Africa/Ouagadougou", "Atlantic/St_Helena", "Iceland"}},
	{"Sao Tome Standard Time", "Africa/Sao_Tome", nil},
	{"Morocco Standard Time", "Africa/Casablanca", []string{"Africa/El_Aaiun"}},
	{"W. Europe Standard Time", "Europe/Berlin", []string{"Europe/Amsterdam", "Europe/Rome", "Europe/Vienna", "Europe/Zurich", "Europe/Stockholm", "Europe/Oslo", "Europe/Luxembourg", "Europe/Monaco", "Europe/Malta", "Europe/Andorra", "Europe/Gibraltar", "Europe/San_Marino", "Europe/Vatican", "Europe/Vaduz", "Arctic/Longyearbyen"}},
	{"Central Europe Standard Time", "Europe/Budapest", []string{"Europe/Prague", "Europe/Belgrade", "Europe/Bratislava", "Europe/Ljubljana", "Europe/Podgorica", "Europe/Tirane"}},
	{"Romance Standard Time", "Europe/Paris", []string{"Europe/Brussels", "Europe/Copenhagen", "Europe/Madrid", "Africa/Ceuta"}},
	{"Central European Standard Time", "Europe/Warsaw", []string{"Europe/Sarajevo", "Europe/Skopje", "Europe/Zagreb", "Poland"}},
	{"W. Central Africa Standard Time", "Africa/Lagos", []string{"Africa/Algiers", "Africa/Tunis", "Africa/Kinshasa", "Africa/Luanda", "Africa/Douala", "Africa/Ndjamena", "Africa/Niamey", "Africa/Porto-Novo", "Etc/GMT-1"}},
	{"Jordan Standard Time", "Asia/Amman", nil},
	{"GTB Standard Time", "Europe/Bucharest", []string{"Europe/Athens", "Asia/Nicosia", "Asia/Famagusta", "Europe/Nicosia"}},
	{"Middle East Standard Time", "Asia/Beirut", nil},
	{"Egypt Standard Time", "Africa/Cairo", []string{"Egypt"}},
	{"E. Europe Standard Time", "Europe/Chisinau", nil},
	{"Syria Standard Time", "Asia/Damascus", nil},
	{"West Bank Standard Time", "Asia/Hebron", []string{"Asia/Gaza"}},
	{"South Africa Standard Time", "Africa/Johannesburg", []string{"Africa/Maputo", "Africa/Harare", "Africa/Lusaka", "Africa/Lubumbashi", "Africa/Blantyre", "Africa/Gaborone", "Africa/Kigali", "Africa/Bujumbura", "Africa/Maseru", "Africa/Mbabane", "Etc/GMT-2"}},
	{"FLE Standard Time", "Europe/Kyiv", []string{"Europe/Kiev", "Europe/Helsinki", "Europe/Riga", "Europe/Sofia", "Europe/Tallinn", "Europe/Vilnius", "Europe/Mariehamn", "Europe/Uzhgorod", "Europe/Zaporozhye"}},
	{"Israel Standard Time", "Asia/Jerusalem", []string{"Asia/Tel_Aviv", "Israel"}},
	{"South Sudan Standard Time", "Africa/Juba", nil},
	{"Kaliningrad Standard Time", "Europe/Kaliningrad", nil},
	{"Sudan Standard Time", "Africa/Khartoum", nil},
	{"Libya Standard Time", "Africa/Tripoli", []string{"Libya"}},
	{"Namibia Standard Time", "Africa/Windhoek", nil},
	{"Arabic Standard Time", "Asia/Baghdad", nil},
	{"Turkey Standard Time", "Europe/Istanbul", []string{"Asia/Istanbul", "Turkey"}},
	{"Arab Standard Time", "Asia/Riyadh", []string{"Asia/Kuwait", "Asia/Qatar", "Asia/Bahrain", "Asia/Aden"}},
	{"Belarus Standard Time", "Europe/Minsk", nil},
	{"Russian Standard Time", "Europe/Moscow", []string{"Europe/Simferopol", "Europe/Kirov", "W-SU"}},
	{"E. Africa Standard Time", "Africa/Nairobi", []string{"Africa/Addis_Ababa", "Africa/Dar_es_Salaam", "Africa/Kampala", "Africa/Mogadishu", "Africa/Djibouti", "Africa/Asmara", "Indian/Antananarivo", "Indian/Comoro", "Indian/Mayotte", "Etc/GMT-3"}},
	{"Volgograd Standard Time", "Europe/Volgograd", nil},
	{"Iran Standard Time", "Asia/Tehran", []string{"Iran"}},
	{"Arabian Standard Time", "Asia/Dubai", []string{"Asia/Muscat", "Etc/GMT-4"}},
	{"Astrakhan Standard Time", "Europe/Astrakhan", []string{"Europe/Ulyanovsk"}},
	{"Azerbaijan Standard Time", "Asia/Baku", nil},
	{"Russia Time Zone 3", "Europe/Samara", nil},
	{"Mauritius Standard Time", "Indian/Mauritius", []string{"Indian/Reunion", "Indian/Mahe"}},
	{"Saratov Standard Time", "Europe/Saratov", nil},
	{"Georgian Standard Time", "Asia/Tbilisi", nil},
	{"Caucasus Standard Time", "Asia/Yerevan", nil},
	{"Afghanistan Standard Time", "Asia/Kabul", nil},
	{"West Asia Standard Time", "Asia/Tashkent", []string{"Asia/Toshkent", "Asia/Samarkand", "Asia/Dushanbe", "Asia/Ashgabat", "Asia/Aqtau", "Asia/Aqtobe", "Asia/Atyrau", "Asia/Oral", "Indian/Maldives", "Etc/GMT-5"}},
	{"Ekaterinburg Standard Time", "Asia/Yekaterinburg", nil},
	{"Pakistan Standard Time", "Asia/Karachi", nil},
	{"Qyzylorda Standard Time", "Asia/Qyzylorda", nil},
	{"India Standard Time", "Asia/Kolkata", []string{"Asia/Calcutta"}},
	{"Sri Lanka Standard Time", "Asia/Colombo", nil},
	{"Nepal Standard Time", "Asia/Kathmandu", []string{"Asia/Katmandu"}},
	{"Central Asia Standard Time", "Asia/Almaty", []string{"Asia/Astana", "Asia/Bishkek", "Asia/Qostanay", "Asia/Urumqi", "Etc/GMT-6"}},
	{"Bangladesh Standard Time", "Asia/Dhaka", []string{"Asia/Thimphu"}},
	{"Omsk Standard Time", "Asia/Omsk", nil},
	{"Myanmar Standard Time", "Asia/Yangon", []string{"Asia/Rangoon", "Asia/Yangon (Rangoon)", "Indian/Cocos"}},
	{"SE Asia Standard Time", "Asia/Bangkok", []string{"Asia/Jakarta", "Asia/Ho_Chi_Minh", "Asia/Saigon", "Asia/Phnom_Penh", "Asia/Vientiane", "Asia/Pontianak", "Indian/Christmas", "Etc/GMT-7"}},
	{"Altai Standard Time", "Asia/Barnaul", nil},
	{"W. Mongolia Standard Time", "Asia/Hovd", nil},
	{"North Asia Standard Time", "Asia/Krasnoyarsk", []string{"Asia/Novokuznetsk"}},
	{"N. Central Asia Standard Time", "Asia/Novosibirsk", nil},
	{"Tomsk Standard Time", "Asia/Tomsk", nil},
	{"China Standard Time", "Asia/Shanghai", []string{"Asia/Hong_Kong", "Asia/Macau", "Asia/Chongqing", "Asia/Harbin", "PRC", "Hongkong"}},
	{"North Asia East Standard Time", "Asia/Irkutsk", nil},
	{"Singapore Standard Time", "Asia/Singapore", []string{"Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Brunei", "Asia/Makassar", "Asia/Kuching", "Singapore", "Etc/GMT-8"}},
	{"W. Australia Standard Time", "Australia/Perth", nil},
	{"Taipei Standard Time", "Asia/Taipei", []string{"ROC"}},
	{"Ulaanbaatar Standard Time", "Asia/Ulaanbaatar", []string{"Asia/Ulan_Bator", "Asia/Choibalsan"}},
	{"Aus Central W. Standard Time", "Australia/Eucla", nil},
	{"Transbaikal Standard Time", "Asia/Chita", nil},
	{"Tokyo Standard Time", "Asia/Tokyo", []string{"Asia/Jayapura", "Pacific/Palau", "Asia/Dili", "Japan", "Etc/GMT-9"}},
	{"North Korea Standard Time", "Asia/Pyongyang", nil},
	{"Korea Standard Time", "Asia/Seoul", []string{"ROK"}},
	{"Yakutsk Standard Time", "Asia/Yakutsk", []string{"Asia/Khandyga"}},
	{"Cen. Australia Standard Time", "Australia/Adelaide", []string{"Australia/Broken_Hill", "Australia/South"}},
	{"AUS Central Standard Time", "Australia/Darwin", []string{"Australia/North"}},
	{"E. Australia Standard Time", "Australia/Brisbane", []string{"Australia/Lindeman", "Australia/Queensland"}},
	{"AUS Eastern Standard Time", "Australia/Sydney", []string{"Australia/Melbourne", "Australia/Canberra", "Australia/ACT", "Australia/NSW", "Australia/Victoria"}},
	{"West Pacific Standard Time", "Pacific/Port_Moresby", []string{"Pacific/Guam", "Pacific/Saipan", "Pacific/Chuuk", "Etc/GMT-10"}},
	{"Tasmania Standard Time", "Australia/Hobart", []string{"Australia/Tasmania"}},
	{"Vladivostok Standard Time", "Asia/Vladivostok", []string{"Asia/Ust-Nera"}},
	{"Lord Howe Standard Time", "Australia/Lord_Howe", nil},
	{"Bougainville Standard Time", "Pacific/Bougainville", nil},
	{"Russia Time Zone 10", "Asia/Srednekolymsk", nil},
	{"Magadan Standard Time", "Asia/Magadan", nil},
	{"Norfolk Standard Time", "Pacific/Norfolk", nil},
	{"Sakhalin Standard Time", "Asia/Sakhalin", nil},
	{"Central Pacific Standard Time", "Pacific/Guadalcanal", []string{"Pacific/Noumea", "Pacific/Efate", "Pacific/Pohnpei", "Pacific/Kosrae", "Etc/GMT-11"}},
	{"Russia Time Zone 11", "Asia/Kamchatka", []string{"Asia/Anadyr"}},
	{"New Zealand Standard Time", "Pacific/Auckland", []string{"Antarctica/McMurdo", "NZ"}},
	{"UTC+12", "Etc/GMT-12", []string{"Pacific/Tarawa", "Pacific/Majuro", "Pacific/Kwajalein", "Pacific/Funafuti", "Pacific/Nauru", "Pacific/Wake", "Pacific/Wallis"}},
	{"Fiji Standard Time", "Pacific/Fiji", nil},
	{"Chatham Islands Standard Time", "Pacific/Chatham", []string{"NZ-CHAT"}},
	{"UTC+13", "Etc/GMT-13", []string{"Pacific/Fakaofo", "Pacific/Kanton", "Pacific/Enderbury"}},
	{"Tonga Standard Time", "Pacific/Tongatapu", nil},
	{"Samoa Standard Time", "Pacific/Apia", nil},
	{"Line Islands Standard Time", "Pacific/Kiritimati", []string{"Etc/GMT-14"}},
	// Obsolete Windows ids still found on old items.
	{"Mid-Atlantic Standard Time", "Etc/GMT+2", nil},
	{"Kamchatka Standard Time", "Asia/Kamchatka", nil},
}

var (
	zoneOnce    sync.Once
	winToIANA   map[string]string // lower-case Windows id → IANA
	winCanon    map[string]string // lower-case Windows id → Windows id as spelled
	ianaToWin   map[string]string // lower-case IANA name → Windows id
	ianaCanon   map[string]string // lower-case IANA name → IANA name as spelled
	loadedZones sync.Map          // name as given → *time.Location
)

func zoneTables() {
	zoneOnce.Do(func() {
		winToIANA = make(map[string]string, len(windowsZones))
		winCanon = make(map[string]string, len(windowsZones))
		ianaToWin = make(map[string]string, 4*len(windowsZones))
		ianaCanon = make(map[string]string, 4*len(windowsZones))
		for _, z := range windowsZones {
			k := strings.ToLower(z.windows)
			if _, dup := winToIANA[k]; !dup {
				winToIANA[k] = z.iana
				winCanon[k] = z.windows
			}
			for _, n := range append([]string{z.iana}, z.others...) {
				k := strings.ToLower(n)
				if _, dup := ianaToWin[k]; !dup { // the first (current) Windows id wins
					ianaToWin[k] = z.windows
					ianaCanon[k] = n
				}
			}
		}
	})
}

// WindowsToIANA returns the IANA zone for a Windows time-zone id ("Pacific
// Standard Time" → "America/Los_Angeles"), compared case-insensitively, and
// whether the id is known.
func WindowsToIANA(windows string) (string, bool) {
	zoneTables()
	iana, ok := winToIANA[strings.ToLower(strings.TrimSpace(windows))]
	return iana, ok
}

// IANAToWindows returns the Windows time-zone id for an IANA zone name
// ("Europe/Paris" → "Romance Standard Time"), compared case-insensitively,
// and whether the name is known. Besides the canonical zone of every Windows
// id it knows the IANA names the Outlook service documents (including older
// spellings such as "Asia/Calcutta" and "Europe/Kiev") and the zones of the
// world's major cities.
func IANAToWindows(iana string) (string, bool) {
	zoneTables()
	w, ok := ianaToWin[strings.ToLower(strings.TrimSpace(iana))]
	return w, ok
}

// WindowsZoneNames returns every Windows time-zone id the package knows, in
// the order of their UTC offsets (as Windows lists them).
func WindowsZoneNames() []string {
	out := make([]string, 0, len(windowsZones))
	seen := map[string]bool{}
	for _, z := range windowsZones {
		if !seen[z.windows] {
			seen[z.windows] = true
			out = append(out, z.windows)
		}
	}
	return out
}

// LoadLocation returns the *time.Location for a zone name as the Outlook
// service uses it: a Windows id ("W. Europe Standard Time"), an IANA name
// ("Europe/Berlin", including the older spellings the service accepts) or
// "UTC". Names are compared case-insensitively. The zone database is
// embedded in the package (time/tzdata), so this works without zoneinfo
// files on the host. Locations are cached.
func LoadLocation(name string) (*time.Location, error) {
	if v, ok := loadedZones.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := loadLocation(name)
	if err != nil {
		return nil, err
	}
	loadedZones.Store(name, loc)
	return loc, nil
}

func loadLocation(name string) (*time.Location, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return nil, fmt.Errorf("outlook: empty time-zone name")
	}
	if strings.EqualFold(n, "UTC") || strings.EqualFold(n, "Etc/UTC") || strings.EqualFold(n, "GMT") || strings.EqualFold(n, "Etc/GMT") {
		return time.UTC, nil
	}
	zoneTables()
	if iana, ok := winToIANA[strings.ToLower(n)]; ok {
		loc, err := time.LoadLocation(iana)
		if err != nil {
			return nil, fmt.Errorf("outlook: time zone %q (%s): %w", name, iana, err)
		}
		return loc, nil
	}
	if canon, ok := ianaCanon[strings.ToLower(n)]; ok {
		if loc, err := time.LoadLocation(canon); err == nil {
			return loc, nil
		}
		// A documented alias missing from the zone database (e.g.
		// "Asia/Toshkent"): use the Windows zone's canonical IANA zone.
		if loc, err := time.LoadLocation(winToIANA[strings.ToLower(ianaToWin[strings.ToLower(n)])]); err == nil {
			return loc, nil
		}
	}
	if strings.EqualFold(n, "Local") {
		return nil, fmt.Errorf("outlook: time zone %q is not a zone name the service accepts", name)
	}
	loc, err := time.LoadLocation(n)
	if err != nil {
		return nil, fmt.Errorf("outlook: unknown time zone %q (want a Windows id such as \"Pacific Standard Time\", an IANA name or \"UTC\")", name)
	}
	return loc, nil
}

// ZoneName returns the name to send to the service for loc: "UTC" for UTC,
// the Windows id when the location's IANA name maps to one, else the IANA
// name itself. time.Local and fixed zones without a name cannot be sent;
// ZoneName returns "" for them.
func ZoneName(loc *time.Location) string {
	if loc == nil || loc == time.UTC {
		return "UTC"
	}
	name := loc.String()
	if name == "UTC" {
		return "UTC"
	}
	if w, ok := IANAToWindows(name); ok {
		return w
	}
	if loc == time.Local || name == "Local" || !strings.Contains(name, "/") {
		return ""
	}
	return name
}
