package office365test

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	eventWritable = set("Attendees", "Body", "Categories", "End", "Importance", "IsAllDay", "IsCancelled", "IsReminderOn",
		"Location", "Locations", "OnlineMeetingUrl", "Organizer", "Recurrence", "ReminderMinutesBeforeStart",
		"ResponseRequested", "Sensitivity", "ShowAs", "Start", "Subject", "SingleValueExtendedProperties",
		"MultiValueExtendedProperties", "Extensions", "Attachments")
	eventReadOnly = set("Id", "CreatedDateTime", "LastModifiedDateTime", "ChangeKey", "BodyPreview", "HasAttachments",
		"iCalUId", "IsOrganizer", "OriginalStartTimeZone", "OriginalEndTimeZone", "OriginalStart", "ResponseStatus",
		"WebLink", "Calendar", "Instances", "Type", "SeriesMasterId")
	eventOnRequest = set("SingleValueExtendedProperties", "MultiValueExtendedProperties", "Extensions", "Attachments",
		"Calendar", "Instances")
	eventNoFilter = set("Attendees", "Body", "BodyPreview", "Categories", "ChangeKey", "Recurrence",
		"ReminderMinutesBeforeStart", "SeriesMasterId", "WebLink", "Attachments", "Calendar", "Instances", "Locations",
		"OnlineMeetingUrl")
	locationProps = set("DisplayName", "Address", "Coordinates", "LocationEmailAddress", "LocationUri", "LocationType",
		"UniqueId", "UniqueIdType")
)

const noResponseTime = "0001-01-01T00:00:00Z"

var eventFilterable = filterableExcept(eventNoFilter)

// ---------------------------------------------------------------- occurrences

const occurrencePrefix = "AAMkOcc"

// occurrenceID is the id of the occurrence of master starting at start
// (UTC). Occurrences are not stored; the id encodes the series and the
// original start, so it stays valid while the series exists.
func occurrenceID(masterID string, start time.Time) string {
	return occurrencePrefix + base64.StdEncoding.EncodeToString([]byte(masterID+"|"+start.UTC().Format("20060102T150405Z")))
}

func parseOccurrenceID(id string) (masterID string, start time.Time, ok bool) {
	rest, found := strings.CutPrefix(id, occurrencePrefix)
	if !found {
		return "", time.Time{}, false
	}
	b, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return "", time.Time{}, false
	}
	i := strings.LastIndexByte(string(b), '|')
	if i < 0 {
		return "", time.Time{}, false
	}
	t, err := time.Parse("20060102T150405Z", string(b[i+1:]))
	if err != nil {
		return "", time.Time{}, false
	}
	return string(b[:i]), t, true
}

// eventSpan returns the stored start and end of an event.
func eventSpan(doc Entity) (time.Time, time.Time) {
	s, _, _, _ := parseDTTZ(doc["Start"])
	e, _, _, _ := parseDTTZ(doc["End"])
	return s, e
}

func overlaps(s, e, from, to time.Time) bool {
	if e.Equal(s) {
		return !s.Before(from) && s.Before(to)
	}
	return s.Before(to) && e.After(from)
}

// seriesOf parses a master's recurrence.
func seriesOf(master *Record) *recurrence {
	r, err := parseRecurrence(master.Doc["Recurrence"])
	if err != nil {
		return nil
	}
	return r
}

// excludedStarts returns the original starts (UTC, fmtTime) of a series'
// exceptions and cancelled occurrences.
func (u *MailboxUser) excludedStarts(masterID string) map[string]bool {
	out := map[string]bool{}
	for _, r := range u.su.Items {
		if (r.Type == EntityEvent || r.Type == entityEventCancellation) && r.Doc["SeriesMasterId"] == masterID {
			if s, ok := r.Doc["OriginalStart"].(string); ok {
				out[s] = true
			}
		}
	}
	return out
}

// occurrencesLocked returns the occurrences of a series that overlap
// [from, to), as synthetic records (not stored), without those replaced by
// exceptions or cancelled.
func (u *MailboxUser) occurrencesLocked(master *Record, from, to time.Time) []*Record {
	rec := seriesOf(master)
	if rec == nil {
		return nil
	}
	s, e := eventSpan(master.Doc)
	zone, _ := master.Doc["OriginalStartTimeZone"].(string)
	excluded := u.excludedStarts(master.ID)
	var out []*Record
	for _, o := range rec.expand(s, e, zone, from, to) {
		if excluded[fmtTime(o.Start)] {
			continue
		}
		out = append(out, u.occurrenceRecord(master, o))
	}
	return out
}

func (u *MailboxUser) occurrenceRecord(master *Record, o occurrence) *Record {
	id := occurrenceID(master.ID, o.Start)
	doc := deepCopy(master.Doc).(Entity)
	doc["Id"] = id
	doc["Type"] = "Occurrence"
	doc["SeriesMasterId"] = master.ID
	doc["Recurrence"] = nil
	doc["Start"] = dttz(o.Start, "UTC")
	doc["End"] = dttz(o.End, "UTC")
	doc["OriginalStart"] = fmtTime(o.Start)
	return &Record{Type: EntityEvent, ID: id, FolderID: master.FolderID, Doc: doc, Attachments: master.Attachments,
		Seq: master.Seq, Order: master.Order}
}

// eventLocked resolves an event id: a stored event (single, master or
// exception) or an occurrence of a series (synthetic, with its master).
func (u *MailboxUser) eventLocked(id string) (ev, master *Record) {
	if r := u.recordOf(EntityEvent, id); r != nil {
		return r, nil
	}
	mid, start, ok := parseOccurrenceID(id)
	if !ok {
		return nil, nil
	}
	m := u.recordOf(EntityEvent, mid)
	if m == nil || m.Doc["Type"] != "SeriesMaster" {
		return nil, nil
	}
	for _, o := range u.occurrencesLocked(m, start, start.Add(time.Second)) {
		if o.ID == id {
			return o, m
		}
	}
	return nil, nil
}

// materializeLocked turns an occurrence into a stored exception with the
// occurrence's id and returns it.
func (u *MailboxUser) materializeLocked(occ, master *Record) *Record {
	doc := deepCopy(occ.Doc).(Entity)
	doc["Type"] = "Exception"
	delete(doc, "CreatedDateTime")
	r := u.insertLocked(EntityEvent, master.FolderID, doc)
	for _, a := range master.Attachments {
		r.Attachments = append(r.Attachments, deepCopy(a).(Entity))
	}
	prev := deepCopy(master.Doc).(Entity)
	u.touchLocked(master, prev)
	return r
}

// viewLocked returns the events of calendar cal overlapping [from, to):
// single events, exceptions and expanded occurrences.
func (u *MailboxUser) viewLocked(calID string, from, to time.Time) []*Record {
	var out []*Record
	for _, r := range u.recordsLocked(EntityEvent, calID) {
		if r.Doc["Type"] == "SeriesMaster" {
			out = append(out, u.occurrencesLocked(r, from, to)...)
			continue
		}
		if s, e := eventSpan(r.Doc); overlaps(s, e, from, to) {
			out = append(out, r)
		}
	}
	return out
}

// ---------------------------------------------------------------- validation

// validateEvent checks a create or update body; it returns the properties
// to store (Start and End in UTC with OriginalStartTimeZone /
// OriginalEndTimeZone; null values as nil) and the attachments.
func validateEvent(rq *MailboxRequest, body map[string]any, existing Entity) (Entity, []Entity, *Reply) {
	out := Entity{}
	var atts []Entity
	for k, v := range body {
		if strings.HasPrefix(k, "@") {
			continue
		}
		switch {
		case eventWritable[k]:
		case eventReadOnly[k]:
			continue
		default:
			return nil, nil, unknownProperty(k, "Event")
		}
		if v == nil {
			switch k {
			case "Start", "End":
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The event "+k+" cannot be null.")
			case "Attachments":
				continue
			}
			out[k] = nil
			continue
		}
		switch k {
		case "Subject", "OnlineMeetingUrl":
			if _, ok := v.(string); !ok {
				return nil, nil, invalidValue(k)
			}
		case "Body":
			b, ok := normalizeBody(v)
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = b
		case "Start", "End":
			t, zone, ok, zoneOK := parseDTTZ(v)
			if !zoneOK {
				return nil, nil, ErrorReply(http.StatusBadRequest, "TimeZoneNotSupportedException",
					"A valid TimeZone value must be specified. The following TimeZone value is not supported: '"+zone+"'.")
			}
			if !ok {
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The "+k+" DateTime is not valid.")
			}
			out["Original"+k+"TimeZone"] = zone
			v = dttz(t, "UTC")
		case "Importance":
			s, ok := canonicalEnum(v, "Low", "Normal", "High")
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = s
		case "Sensitivity":
			s, ok := canonicalEnum(v, "Normal", "Personal", "Private", "Confidential")
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = s
		case "ShowAs":
			s, ok := canonicalEnum(v, "Free", "Tentative", "Busy", "Oof", "WorkingElsewhere", "Unknown")
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = s
		case "IsAllDay", "IsCancelled", "IsReminderOn", "ResponseRequested":
			if _, ok := v.(bool); !ok {
				return nil, nil, invalidValue(k)
			}
		case "ReminderMinutesBeforeStart":
			n, ok := v.(float64)
			if !ok || n < 0 || n != float64(int64(n)) {
				return nil, nil, invalidValue(k)
			}
		case "Location":
			l, ok := normalizeLocation(v)
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = l
		case "Locations":
			list, ok := v.([]any)
			if !ok {
				return nil, nil, invalidValue(k)
			}
			for i, e := range list {
				l, ok := normalizeLocation(e)
				if !ok {
					return nil, nil, invalidValue(k)
				}
				list[i] = l
			}
		case "Organizer":
			r, ok := rq.Mailbox.normalizeRecipient(v)
			if !ok {
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "The Organizer is not valid.")
			}
			v = r
		case "Attendees":
			list, ok := rq.Mailbox.normalizeAttendees(v, existing)
			if !ok {
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one attendee is not valid.")
			}
			v = list
		case "Recurrence":
			r, err := parseRecurrence(v)
			if err != nil {
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorPropertyValidationFailure", err.Error())
			}
			v = r
		case "Categories":
			list, ok := v.([]any)
			if !ok || slices.ContainsFunc(list, func(e any) bool { _, s := e.(string); return !s }) {
				return nil, nil, invalidValue(k)
			}
		case "SingleValueExtendedProperties", "MultiValueExtendedProperties", "Extensions":
			if _, ok := v.([]any); !ok {
				return nil, nil, invalidValue(k)
			}
		case "Attachments":
			if existing != nil {
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertySet", "Attachments cannot be updated; add or delete them.")
			}
			list, rep := validateAttachments(v, rq.Mailbox.clock())
			if rep != nil {
				return nil, nil, rep
			}
			atts = append(atts, list...)
			continue
		}
		out[k] = v
	}
	return out, atts, nil
}

// normalizeLocation checks a Location object.
func normalizeLocation(v any) (map[string]any, bool) {
	l, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	for k := range l {
		if !locationProps[k] && k != "ResolveAvailability" {
			return nil, false
		}
	}
	out := deepCopy(l).(map[string]any)
	if _, ok := out["DisplayName"]; !ok {
		out["DisplayName"] = ""
	}
	return out, true
}

// normalizeAttendees checks attendees and sets their Status: kept from
// existing (same address) or "None".
func (m *Mailbox) normalizeAttendees(v any, existing Entity) ([]any, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	prior := map[string]any{}
	for _, a := range asList(existing["Attendees"]) {
		prior[strings.ToLower(recipientAddress(a))] = asMap(a)["Status"]
	}
	out := make([]any, 0, len(list))
	seen := map[string]bool{}
	for _, e := range list {
		a, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		typ := "Required"
		for k, x := range a {
			switch k {
			case "EmailAddress", "Status":
			case "Type":
				if x != nil {
					s, ok := canonicalEnum(x, "Required", "Optional", "Resource")
					if !ok {
						return nil, false
					}
					typ = s
				}
			default:
				return nil, false
			}
		}
		r, ok := m.normalizeRecipient(map[string]any{"EmailAddress": a["EmailAddress"]})
		if !ok {
			return nil, false
		}
		addr := strings.ToLower(recipientAddress(r))
		if seen[addr] {
			continue
		}
		seen[addr] = true
		status := prior[addr]
		if status == nil {
			status = map[string]any{"Response": "None", "Time": noResponseTime}
		}
		out = append(out, map[string]any{"EmailAddress": r["EmailAddress"], "Type": typ, "Status": deepCopy(status)})
	}
	return out, true
}

// canonicalRecurrence renders a parsed recurrence with every property, as
// the service returns it.
func canonicalRecurrence(r *recurrence, defaultZone string) map[string]any {
	days := make([]any, 0, len(r.days))
	for _, d := range r.days {
		days = append(days, d.String())
	}
	index := "First"
	for name, i := range weekIndexes {
		if i == r.index {
			index = strings.ToUpper(name[:1]) + name[1:]
		}
	}
	end := "0001-01-01"
	if !r.end.IsZero() {
		end = r.end.Format("2006-01-02")
	}
	zone := r.zone
	if zone == "" {
		zone = defaultZone
	}
	return map[string]any{
		"Pattern": map[string]any{"Type": r.kind, "Interval": float64(r.interval), "Month": float64(r.month),
			"DayOfMonth": float64(r.dayOfMonth), "DaysOfWeek": days, "FirstDayOfWeek": r.firstDay.String(), "Index": index},
		"Range": map[string]any{"Type": r.rangeType, "StartDate": r.start.Format("2006-01-02"), "EndDate": end,
			"RecurrenceTimeZone": zone, "NumberOfOccurrences": float64(r.count)},
	}
}

// finishEventDoc checks the merged document and derives computed
// properties. It answers an error for an invalid combination.
func finishEventDoc(doc Entity) *Reply {
	s, e := eventSpan(doc)
	if s.IsZero() || e.IsZero() {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "An event needs a Start and an End.")
	}
	if e.Before(s) {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The end of the event is before its start.")
	}
	if doc["IsAllDay"] == true {
		zone, _ := doc["OriginalStartTimeZone"].(string)
		loc := loadZone(zone)
		if loc == nil {
			loc = time.UTC
		}
		ls, le := s.In(loc), e.In(loc)
		if ls.Hour() != 0 || ls.Minute() != 0 || ls.Second() != 0 || le.Hour() != 0 || le.Minute() != 0 || le.Second() != 0 || !e.After(s) {
			return ErrorReply(http.StatusBadRequest, "ErrorPropertyValidationFailure",
				"The start and end of an all-day event must be midnight, and it must last at least one day.")
		}
	}
	if r, ok := doc["Recurrence"].(*recurrence); ok {
		zone, _ := doc["OriginalStartTimeZone"].(string)
		doc["Recurrence"] = canonicalRecurrence(r, zone)
	}
	switch {
	case doc["Type"] == "Exception" || doc["Type"] == "Occurrence":
	case doc["Recurrence"] != nil:
		doc["Type"] = "SeriesMaster"
	default:
		doc["Type"] = "SingleInstance"
	}
	body := asMap(doc["Body"])
	content, _ := body["Content"].(string)
	if body["ContentType"] == "HTML" {
		content = htmlToText(content)
	}
	content = strings.Join(strings.Fields(content), " ")
	if utf8.RuneCountInString(content) > 255 {
		content = string([]rune(content)[:255])
	}
	doc["BodyPreview"] = content
	return nil
}

// newEventDoc fills the defaults of a new event organised by u.
func (u *MailboxUser) newEventDoc(props Entity) Entity {
	uid := u.m.st.NewIDLocked("ical")
	doc := Entity{
		"Subject": "", "Body": map[string]any{"ContentType": "Text", "Content": ""}, "Importance": "Normal",
		"Sensitivity": "Normal", "ShowAs": "Busy", "IsAllDay": false, "IsCancelled": false, "IsOrganizer": true,
		"IsReminderOn": true, "ReminderMinutesBeforeStart": float64(15), "ResponseRequested": true,
		"ResponseStatus": map[string]any{"Response": "Organizer", "Time": noResponseTime},
		"Organizer":      recipientMap(u.UPN, u.DisplayName), "Attendees": []any{}, "Categories": []any{},
		"Location": map[string]any{"DisplayName": ""}, "Locations": []any{}, "Recurrence": nil, "SeriesMasterId": nil,
		"OnlineMeetingUrl": nil, "HasAttachments": false,
		"iCalUId": "040000008200E00074C5B7101A82E008" + strings.ToUpper(hex.EncodeToString([]byte(uid))[:48]),
	}
	for k, v := range props {
		if v == nil && k != "Recurrence" {
			continue
		}
		doc[k] = v
	}
	return doc
}

// insertEventLocked stores an event with attachments in calendar calID.
func (u *MailboxUser) insertEventLocked(calID string, doc Entity, atts []Entity) *Record {
	return u.insertItemLocked(EntityEvent, calID, doc, atts, func(id string) string {
		return "https://outlook.office365.com/owa/?itemid=" + strings.ReplaceAll(id, "/", "%2F") + "&exvsurl=1&path=/calendar/item"
	})
}

// ---------------------------------------------------------------- rendering

// renderEvent shapes a stored or synthetic event for a response: Start and
// End in the response zone, navigation properties only when expanded.
func (u *MailboxUser) renderEvent(rq *MailboxRequest, r *Record) Entity {
	doc := rq.itemDoc(r, "Events", eventOnRequest, nil)
	zone := rq.responseZone()
	for _, k := range []string{"Start", "End"} {
		if t, _, ok, _ := parseDTTZ(doc[k]); ok {
			doc[k] = dttz(t, zone)
		}
	}
	always := append([]string{"Id"}, rq.expandAttachments(doc, r, "Events")...)
	if rq.expands("Calendar") {
		if c := u.recordOf(EntityCalendar, r.FolderID); c != nil {
			doc["Calendar"] = u.renderCalendar(&MailboxRequest{R: rq.R, Version: rq.Version, base: rq.base, userRef: rq.userRef, ctxRef: rq.ctxRef, query: map[string]string{}}, c)
			always = append(always, "Calendar")
		}
	}
	rq.shape(doc)
	return SelectProperties(doc, rq.selectList(), always...)
}

func (u *MailboxUser) listEventsLocked(rq *MailboxRequest, recs []*Record, ctx string) *Reply {
	return listReply(rq, recs, listConfig{
		filterable:   eventFilterable,
		defaultOrder: []OrderClause{{Path: []string{"Start", "DateTime"}}},
		oldestFirst:  true,
	}, u.renderEvent, ctx)
}

// ---------------------------------------------------------------- scope

// eventsInScopeLocked returns the events of the calendar a route
// addresses, as the events collection lists them: single events and series
// masters (exceptions come with their series).
func eventsInScopeLocked(rq *MailboxRequest) ([]*Record, *Reply) {
	cal, rep := calendarScopeLocked(rq)
	if rep != nil {
		return nil, rep
	}
	var recs []*Record
	for _, r := range rq.User.recordsLocked(EntityEvent, cal.ID) {
		if r.Doc["Type"] != "Exception" {
			recs = append(recs, r)
		}
	}
	return recs, nil
}

// calendarScopeLocked resolves the calendar a route addresses: {cid}
// (inside group {gid} when given) or the default calendar.
func calendarScopeLocked(rq *MailboxRequest) (*Record, *Reply) {
	u := rq.User
	cid := rq.Param("cid")
	if cid == "" {
		return u.defaultCalendarLocked(), nil
	}
	c := u.recordOf(EntityCalendar, cid)
	if c == nil {
		return nil, notFound()
	}
	if gid := rq.Param("gid"); gid != "" && c.FolderID != gid {
		return nil, notFound()
	}
	return c, nil
}

// calendarScopes are the route prefixes of a calendar's collections.
var calendarScopes = []string{"", "calendar/", "calendars/{cid}/", "calendargroups/{gid}/calendars/{cid}/"}

// parseWindow reads startDateTime and endDateTime.
func parseWindow(rq *MailboxRequest) (time.Time, time.Time, *Reply) {
	parse := func(name string) (time.Time, bool) {
		s := strings.TrimSpace(rq.Query(name))
		if s == "" {
			return time.Time{}, false
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC(), true
		}
		for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	from, ok1 := parse("startDateTime")
	to, ok2 := parse("endDateTime")
	if !ok1 || !ok2 {
		return time.Time{}, time.Time{}, ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter",
			"This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
	}
	if !to.After(from) {
		return time.Time{}, time.Time{}, ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "The EndDateTime must be after the StartDateTime.")
	}
	return from, to, nil
}

// ---------------------------------------------------------------- meetings

// meetingCopiesLocked returns, for each attendee of ev who is a user of the
// fake (other than the organizer), that user and their copy of the event
// (nil when they have none).
func (u *MailboxUser) meetingCopiesLocked(ev *Record) map[*MailboxUser]*Record {
	out := map[*MailboxUser]*Record{}
	uid, _ := ev.Doc["iCalUId"].(string)
	orig, _ := ev.Doc["OriginalStart"].(string)
	for _, a := range asList(ev.Doc["Attendees"]) {
		att := u.m.userLocked(strings.ToLower(recipientAddress(a)))
		if att == nil || att == u {
			continue
		}
		out[att] = att.findMeetingLocked(uid, orig)
	}
	return out
}

// findMeetingLocked finds the user's copy of a meeting by iCalUId (and the
// original start of an exception).
func (u *MailboxUser) findMeetingLocked(uid, originalStart string) *Record {
	for _, r := range u.recordsLocked(EntityEvent, "") {
		if r.Doc["iCalUId"] != uid {
			continue
		}
		os, _ := r.Doc["OriginalStart"].(string)
		if originalStart == "" && r.Doc["Type"] != "Exception" || originalStart != "" && os == originalStart {
			return r
		}
	}
	return nil
}

// inviteLocked gives attendee att a copy of the organizer's event in their
// default calendar and a meeting request in their Inbox.
func (u *MailboxUser) inviteLocked(att *MailboxUser, ev *Record) *Record {
	cal := att.defaultCalendarLocked()
	doc := deepCopy(ev.Doc).(Entity)
	delete(doc, "Id")
	delete(doc, "CreatedDateTime")
	doc["IsOrganizer"] = false
	doc["ResponseStatus"] = map[string]any{"Response": "None", "Time": noResponseTime}
	doc["ShowAs"] = "Tentative"
	doc["Categories"] = []any{}
	if doc["Type"] == "Exception" {
		if m := att.findMeetingLocked(fmt.Sprint(ev.Doc["iCalUId"]), ""); m != nil {
			doc["SeriesMasterId"] = m.ID
		}
	}
	c := att.insertEventLocked(cal.ID, doc, ev.Attachments)
	u.meetingMessageLocked(att, "MeetingRequest", fmt.Sprint(ev.Doc["Subject"]), "", c)
	return c
}

// meetingMessageLocked delivers a meeting message from u to `to`.
func (u *MailboxUser) meetingMessageLocked(to *MailboxUser, kind, subject, comment string, ev *Record) {
	inbox := to.su.WellKnown["inbox"]
	if inbox == "" {
		return
	}
	now := fmtTime(u.m.clock())
	props := Entity{
		"@odata.type": odataEventMessage, "MeetingMessageType": kind, "Subject": subject,
		"Body": map[string]any{"ContentType": "Text", "Content": comment}, "IsRead": false, "IsDraft": false,
		"From": recipientMap(u.UPN, u.DisplayName), "Sender": recipientMap(u.UPN, u.DisplayName),
		"ToRecipients": []any{recipientMap(to.UPN, to.DisplayName)}, "ReceivedDateTime": now, "SentDateTime": now,
	}
	if ev != nil {
		snap := deepCopy(ev.Doc).(Entity)
		snap["@odata.type"] = "#Microsoft.OutlookServices.Event"
		props["Event"] = snap
	}
	to.insertMessageLocked(inbox, to.newMessageDoc(props), nil)
}

// meetingProps are the properties an organizer's update carries to the
// attendees' copies.
var meetingProps = []string{"Subject", "Body", "BodyPreview", "Start", "End", "OriginalStartTimeZone", "OriginalEndTimeZone",
	"Location", "Locations", "IsAllDay", "Recurrence", "Type", "Importance", "Sensitivity", "OnlineMeetingUrl", "Attendees",
	"IsCancelled", "ResponseRequested"}

// propagateLocked carries the organizer's event to the attendees: copies
// are updated (responses reset when the time changed), new attendees are
// invited, removed ones get the event cancelled.
func (u *MailboxUser) propagateLocked(ev *Record, before Entity, timeChanged bool) {
	if ev.Doc["IsOrganizer"] != true {
		return
	}
	copies := u.meetingCopiesLocked(ev)
	for att, c := range copies {
		if c == nil {
			u.inviteLocked(att, ev)
			continue
		}
		prev := deepCopy(c.Doc).(Entity)
		for _, k := range meetingProps {
			c.Doc[k] = deepCopy(ev.Doc[k])
		}
		if timeChanged {
			c.Doc["ResponseStatus"] = map[string]any{"Response": "None", "Time": noResponseTime}
			c.Doc["ShowAs"] = "Tentative"
		}
		att.touchLocked(c, prev)
		if timeChanged {
			u.meetingMessageLocked(att, "MeetingRequest", fmt.Sprint(ev.Doc["Subject"]), "", c)
		}
	}
	if before == nil {
		return
	}
	// Attendees removed by this update.
	removed := &Record{Doc: Entity{"Attendees": before["Attendees"], "iCalUId": ev.Doc["iCalUId"], "OriginalStart": ev.Doc["OriginalStart"]}}
	for att, c := range u.meetingCopiesLocked(removed) {
		if _, still := copies[att]; still || c == nil {
			continue
		}
		prev := deepCopy(c.Doc).(Entity)
		c.Doc["IsCancelled"] = true
		att.touchLocked(c, prev)
		u.meetingMessageLocked(att, "MeetingCancelled", "Canceled: "+fmt.Sprint(ev.Doc["Subject"]), "", c)
	}
}

// cancelCopiesLocked marks the attendees' copies cancelled and sends them a
// cancellation.
func (u *MailboxUser) cancelCopiesLocked(ev *Record, comment string) {
	if ev.Doc["IsOrganizer"] != true {
		return
	}
	for att, c := range u.meetingCopiesLocked(ev) {
		if c == nil {
			continue
		}
		prev := deepCopy(c.Doc).(Entity)
		c.Doc["IsCancelled"] = true
		att.touchLocked(c, prev)
		u.meetingMessageLocked(att, "MeetingCancelled", "Canceled: "+fmt.Sprint(ev.Doc["Subject"]), comment, c)
	}
}

// deleteEventLocked deletes a stored event; a series master takes its
// exceptions and cancellations with it. The organizer's deletion cancels
// the attendees' copies.
func (u *MailboxUser) deleteEventLocked(r *Record, comment string) {
	u.cancelCopiesLocked(r, comment)
	if r.Doc["Type"] == "SeriesMaster" {
		for _, x := range u.su.Items {
			if (x.Type == EntityEvent || x.Type == entityEventCancellation) && x.Doc["SeriesMasterId"] == r.ID {
				u.removeLocked(x)
			}
		}
	}
	if st := u.su.Items["reminder:"+r.ID]; st != nil {
		u.removeLocked(st)
	}
	u.removeLocked(r)
}

// deleteOneLocked deletes a stored event; an exception leaves a
// cancellation so that its occurrence does not come back.
func (u *MailboxUser) deleteOneLocked(ev *Record) {
	if ev.Doc["Type"] == "Exception" {
		mid, _ := ev.Doc["SeriesMasterId"].(string)
		if m := u.recordOf(EntityEvent, mid); m != nil {
			u.cancelCopiesLocked(ev, "")
			u.removeLocked(ev)
			u.insertLocked(entityEventCancellation, m.FolderID, Entity{"SeriesMasterId": m.ID, "OriginalStart": ev.Doc["OriginalStart"]})
			u.touchLocked(m, deepCopy(m.Doc).(Entity))
			return
		}
	}
	u.deleteEventLocked(ev, "")
}

// respondLocked records the mailbox owner's response to a meeting and
// reports it to the organizer.
// respondLocked answers a meeting request; proposed, when not nil, is the
// attendee's proposed new time ({Start, End}), shown on the organizer's
// attendee entry.
func (u *MailboxUser) respondLocked(ev *Record, response, comment string, send bool, proposed map[string]any) *Reply {
	if ev.Doc["IsOrganizer"] == true {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest",
			"Your request can't be completed. You can't respond to this meeting because you're the meeting organizer.")
	}
	now := fmtTime(u.m.clock())
	prev := deepCopy(ev.Doc).(Entity)
	ev.Doc["ResponseStatus"] = map[string]any{"Response": response, "Time": now}
	switch response {
	case "Accepted":
		ev.Doc["ShowAs"] = "Busy"
	case "TentativelyAccepted":
		ev.Doc["ShowAs"] = "Tentative"
	}
	uid, _ := ev.Doc["iCalUId"].(string)
	orig, _ := ev.Doc["OriginalStart"].(string)
	subject := fmt.Sprint(ev.Doc["Subject"])
	if response == "Declined" {
		u.deleteOneLocked(ev)
	} else {
		u.touchLocked(ev, prev)
	}
	org := u.m.userLocked(recipientAddress(ev.Doc["Organizer"]))
	if org == nil || org == u {
		return nil
	}
	oe := org.findMeetingLocked(uid, orig)
	if oe == nil && orig != "" {
		// The organizer's occurrence is not an exception yet.
		if master := org.findMeetingLocked(uid, ""); master != nil {
			if t, err := time.Parse(time.RFC3339, orig); err == nil {
				if occ, m := org.eventLocked(occurrenceID(master.ID, t)); occ != nil {
					oe = org.materializeLocked(occ, m)
				}
			}
		}
	}
	if oe != nil {
		oprev := deepCopy(oe.Doc).(Entity)
		for _, a := range asList(oe.Doc["Attendees"]) {
			if strings.EqualFold(recipientAddress(a), u.UPN) {
				asMap(a)["Status"] = map[string]any{"Response": response, "Time": now}
				if proposed != nil {
					asMap(a)["ProposedNewTime"] = proposed
				} else {
					delete(asMap(a), "ProposedNewTime")
				}
			}
		}
		org.touchLocked(oe, oprev)
	}
	if send {
		kinds := map[string][2]string{
			"Accepted":            {"MeetingAccepted", "Accepted: "},
			"TentativelyAccepted": {"MeetingTenativelyAccepted", "Tentative: "},
			"Declined":            {"MeetingDeclined", "Declined: "},
		}
		k := kinds[response]
		u.meetingMessageLocked(org, k[0], k[1]+subject, comment, oe)
	}
	return nil
}

// ---------------------------------------------------------------- routes

func (m *Mailbox) registerEvents() {
	withEvent := func(h func(rq *MailboxRequest, ev, master *Record) *Reply) MailboxHandler {
		return pim(func(rq *MailboxRequest) *Reply {
			ev, master := rq.User.eventLocked(rq.Param("id"))
			if ev == nil {
				return notFound()
			}
			return h(rq, ev, master)
		})
	}
	// stored turns an occurrence into an exception before a change.
	stored := func(u *MailboxUser, ev, master *Record) *Record {
		if master != nil {
			return u.materializeLocked(ev, master)
		}
		return ev
	}

	for _, scope := range calendarScopes {
		m.Handle("GET", scope+"events", pim(func(rq *MailboxRequest) *Reply {
			recs, rep := eventsInScopeLocked(rq)
			if rep != nil {
				return rep
			}
			return rq.User.listEventsLocked(rq, recs, "Events")
		}))
		m.Handle("GET", scope+"events/$count", pim(func(rq *MailboxRequest) *Reply {
			recs, rep := eventsInScopeLocked(rq)
			if rep != nil {
				return rep
			}
			return countReply(rq, recs, eventFilterable)
		}))
		m.Handle("POST", scope+"events", pim(func(rq *MailboxRequest) *Reply {
			u := rq.User
			cal, rep := calendarScopeLocked(rq)
			if rep != nil {
				return rep
			}
			body, rep := decodeObject(rq)
			if rep != nil {
				return rep
			}
			props, atts, rep := validateEvent(rq, body, nil)
			if rep != nil {
				return rep
			}
			doc := u.newEventDoc(props)
			if rep := finishEventDoc(doc); rep != nil {
				return rep
			}
			r := u.insertEventLocked(cal.ID, doc, atts)
			for att := range u.meetingCopiesLocked(r) {
				u.inviteLocked(att, r)
			}
			return entityReply(rq, http.StatusCreated, "Events/$entity", u.renderEvent(rq, r))
		}))
	}

	m.Handle("GET", "events/{id}", withEvent(func(rq *MailboxRequest, ev, _ *Record) *Reply {
		return entityReply(rq, http.StatusOK, "Events/$entity", rq.User.renderEvent(rq, ev))
	}))
	m.Handle("PATCH", "events/{id}", withEvent(func(rq *MailboxRequest, ev, master *Record) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		props, _, rep := validateEvent(rq, body, ev.Doc)
		if rep != nil {
			return rep
		}
		if _, ok := props["Recurrence"]; ok && (ev.Doc["Type"] == "Exception" || ev.Doc["Type"] == "Occurrence") {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The recurrence of an occurrence or exception cannot be set.")
		}
		merged := deepCopy(ev.Doc).(Entity)
		for k, v := range props {
			switch {
			case v == nil && (k == "Categories" || k == "Attendees" || k == "Locations"):
				merged[k] = []any{}
			case v == nil && k == "Subject":
				merged[k] = ""
			default:
				merged[k] = v
			}
		}
		if master != nil {
			merged["Type"] = "Exception"
		}
		if rep := finishEventDoc(merged); rep != nil {
			return rep
		}
		r := stored(u, ev, master)
		before := deepCopy(r.Doc).(Entity)
		bs, be := eventSpan(before)
		for k := range props {
			r.Doc[k] = merged[k]
		}
		for _, k := range []string{"Recurrence", "Type", "BodyPreview", "OriginalStartTimeZone", "OriginalEndTimeZone"} {
			r.Doc[k] = merged[k]
		}
		if before["Type"] == "SeriesMaster" && r.Doc["Type"] != "SeriesMaster" {
			for _, x := range u.su.Items {
				if (x.Type == EntityEvent || x.Type == entityEventCancellation) && x.Doc["SeriesMasterId"] == r.ID {
					u.removeLocked(x)
				}
			}
		}
		s, e := eventSpan(r.Doc)
		_, recurChanged := props["Recurrence"]
		timeChanged := !s.Equal(bs) || !e.Equal(be) || recurChanged
		if timeChanged && r.Doc["IsOrganizer"] == true {
			for _, a := range asList(r.Doc["Attendees"]) {
				asMap(a)["Status"] = map[string]any{"Response": "None", "Time": noResponseTime}
			}
		}
		u.touchLocked(r, before)
		if slices.ContainsFunc(meetingProps, func(k string) bool { _, ok := props[k]; return ok }) {
			u.propagateLocked(r, before, timeChanged)
		}
		return entityReply(rq, http.StatusOK, "Events/$entity", u.renderEvent(rq, r))
	}))
	m.Handle("DELETE", "events/{id}", withEvent(func(rq *MailboxRequest, ev, master *Record) *Reply {
		u := rq.User
		if master != nil {
			u.cancelOccurrenceLocked(ev, master)
			return EmptyReply(http.StatusNoContent)
		}
		u.deleteOneLocked(ev)
		return EmptyReply(http.StatusNoContent)
	}))

	respond := func(response string) MailboxHandler {
		return withEvent(func(rq *MailboxRequest, ev, master *Record) *Reply {
			u := rq.User
			body, rep := decodeObject(rq)
			if rep != nil {
				return rep
			}
			comment, send := "", true
			var proposed map[string]any
			for k, v := range body {
				switch k {
				case "ProposedNewTime":
					if response == "Accepted" {
						return ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The parameter '"+k+"' in the request payload is not a valid parameter for the operation.")
					}
					if v == nil {
						continue
					}
					slot := asMap(v)
					if slot == nil || !isDTTZ(slot["Start"]) || !isDTTZ(slot["End"]) {
						return invalidValue(k)
					}
					proposed = map[string]any{"Start": slot["Start"], "End": slot["End"]}
				case "Comment":
					s, ok := v.(string)
					if !ok && v != nil {
						return invalidValue(k)
					}
					comment = s
				case "SendResponse":
					b, ok := v.(bool)
					if !ok && v != nil {
						return invalidValue(k)
					}
					if v != nil {
						send = b
					}
				default:
					return ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The parameter '"+k+"' in the request payload is not a valid parameter for the operation.")
				}
			}
			if ev.Doc["IsOrganizer"] == true {
				return u.respondLocked(ev, response, comment, send, proposed)
			}
			if rep := u.respondLocked(stored(u, ev, master), response, comment, send, proposed); rep != nil {
				return rep
			}
			return EmptyReply(http.StatusAccepted)
		})
	}
	m.Handle("POST", "events/{id}/accept", respond("Accepted"))
	m.Handle("POST", "events/{id}/tentativelyaccept", respond("TentativelyAccepted"))
	m.Handle("POST", "events/{id}/decline", respond("Declined"))
	m.HandleBeta("POST", "events/{id}/cancel", withEvent(func(rq *MailboxRequest, ev, master *Record) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		comment := ""
		for k, v := range body {
			if k != "Comment" {
				return ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The parameter '"+k+"' in the request payload is not a valid parameter for the operation.")
			}
			s, ok := v.(string)
			if !ok && v != nil {
				return invalidValue(k)
			}
			comment = s
		}
		if ev.Doc["IsOrganizer"] != true {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. You need to be an organizer to cancel a meeting.")
		}
		if master != nil {
			u.cancelCopiesLocked(ev, comment)
			u.cancelOccurrenceLocked(ev, master)
			return EmptyReply(http.StatusAccepted)
		}
		u.deleteEventLocked(ev, comment)
		return EmptyReply(http.StatusAccepted)
	}))

	m.Handle("GET", "events/{id}/instances", withEvent(func(rq *MailboxRequest, ev, _ *Record) *Reply {
		u := rq.User
		if ev.Doc["Type"] != "SeriesMaster" {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The event is not the master of a recurring series.")
		}
		from, to, rep := parseWindow(rq)
		if rep != nil {
			return rep
		}
		recs := u.occurrencesLocked(ev, from, to)
		for _, r := range u.recordsLocked(EntityEvent, ev.FolderID) {
			if r.Doc["SeriesMasterId"] == ev.ID {
				if s, e := eventSpan(r.Doc); overlaps(s, e, from, to) {
					recs = append(recs, r)
				}
			}
		}
		return u.listEventsLocked(rq, recs, "Events('"+ev.ID+"')/Instances")
	}))

	// Attachments: reads see an occurrence as it is, changes are stored
	// on its exception.
	m.registerAttachments("events", "Events",
		func(h recordHandler) MailboxHandler {
			return withEvent(func(rq *MailboxRequest, ev, _ *Record) *Reply { return h(rq, ev) })
		},
		func(h recordHandler) MailboxHandler {
			return withEvent(func(rq *MailboxRequest, ev, master *Record) *Reply { return h(rq, stored(rq.User, ev, master)) })
		})
}

// cancelOccurrenceLocked removes one occurrence from its series.
func (u *MailboxUser) cancelOccurrenceLocked(occ, master *Record) {
	u.insertLocked(entityEventCancellation, master.FolderID, Entity{"SeriesMasterId": master.ID, "OriginalStart": occ.Doc["OriginalStart"]})
	u.touchLocked(master, deepCopy(master.Doc).(Entity))
	if master.Doc["IsOrganizer"] == true {
		for att, c := range u.meetingCopiesLocked(master) {
			if c == nil {
				continue
			}
			t, err := time.Parse(time.RFC3339, fmt.Sprint(occ.Doc["OriginalStart"]))
			if err != nil {
				continue
			}
			if ao, am := att.eventLocked(occurrenceID(c.ID, t)); ao != nil {
				att.insertLocked(entityEventCancellation, am.FolderID, Entity{"SeriesMasterId": am.ID, "OriginalStart": ao.Doc["OriginalStart"]})
				att.touchLocked(am, deepCopy(am.Doc).(Entity))
			}
		}
	}
}

func (m *Mailbox) registerCalendarView() {
	for _, scope := range calendarScopes {
		m.Handle("GET", scope+"calendarview", pim(func(rq *MailboxRequest) *Reply {
			u := rq.User
			cal, rep := calendarScopeLocked(rq)
			if rep != nil {
				return rep
			}
			from, to, rep := parseWindow(rq)
			if rep != nil {
				return rep
			}
			if rq.isSync() {
				return u.viewDeltaLocked(rq, cal, from, to)
			}
			return u.listEventsLocked(rq, u.viewLocked(cal.ID, from, to), "CalendarView")
		}))
	}
}
