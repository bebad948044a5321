package office365test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Reminders: the reminder view lists the reminders of the events (and
// occurrences) in a window that have IsReminderOn and were not dismissed;
// a reminder fires ReminderMinutesBeforeStart before the event, or when it
// was snoozed to. Snooze and dismiss state is kept per event id (an
// occurrence has its own) in internal records.

var reReminderArgs = regexp.MustCompile(`(?i)^\(\s*StartDateTime\s*=\s*'([^']*)'\s*,\s*EndDateTime\s*=\s*'([^']*)'\s*\)$`)

func parseReminderTime(s string) (time.Time, bool) {
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

func reminderStateID(eventID string) string { return "reminder:" + eventID }

// reminderState returns the snooze time (zero if none) and whether the
// reminder was dismissed.
func (u *MailboxUser) reminderState(eventID string) (time.Time, bool) {
	st := u.recordOf(entityReminderState, reminderStateID(eventID))
	if st == nil {
		return time.Time{}, false
	}
	var snoozed time.Time
	if s, ok := st.Doc["SnoozedUntil"].(string); ok {
		snoozed, _ = time.Parse(time.RFC3339, s)
	}
	return snoozed, st.Doc["Dismissed"] == true
}

func (u *MailboxUser) setReminderStateLocked(ev *Record, doc Entity) {
	id := reminderStateID(ev.ID)
	doc["EventId"] = ev.ID
	if st := u.recordOf(entityReminderState, id); st != nil {
		prev := deepCopy(st.Doc).(Entity)
		for k, v := range doc {
			st.Doc[k] = v
		}
		u.touchLocked(st, prev)
		return
	}
	doc["Id"] = id
	u.insertLocked(entityReminderState, ev.FolderID, doc)
}

func (m *Mailbox) registerReminders() {
	m.Handle("GET", "ReminderView/{args}", pim(func(rq *MailboxRequest) *Reply {
		u := rq.User
		mm := reReminderArgs.FindStringSubmatch(rq.Param("args"))
		var from, to time.Time
		ok := mm != nil
		if ok {
			var ok1, ok2 bool
			from, ok1 = parseReminderTime(mm[1])
			to, ok2 = parseReminderTime(mm[2])
			ok = ok1 && ok2 && to.After(from)
		}
		if !ok {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "ReminderView needs StartDateTime and EndDateTime, the end after the start.")
		}
		zone := rq.responseZone()
		type entry struct {
			fire time.Time
			doc  Entity
		}
		var list []entry
		for _, cal := range u.recordsLocked(EntityCalendar, "") {
			for _, ev := range u.viewLocked(cal.ID, from, to) {
				if ev.Doc["IsReminderOn"] != true || ev.Doc["IsCancelled"] == true {
					continue
				}
				snoozed, dismissed := u.reminderState(ev.ID)
				if dismissed {
					continue
				}
				s, e := eventSpan(ev.Doc)
				mins, _ := ev.Doc["ReminderMinutesBeforeStart"].(float64)
				fire := s.Add(-time.Duration(mins) * time.Minute)
				if !snoozed.IsZero() {
					fire = snoozed
				}
				loc := asMap(deepCopy(ev.Doc["Location"]))
				list = append(list, entry{fire, Entity{
					"EventId": ev.ID, "EventStartTime": dttz(s, zone), "EventEndTime": dttz(e, zone),
					"ChangeKey": ev.Doc["ChangeKey"], "EventSubject": ev.Doc["Subject"], "EventLocation": loc,
					"EventWebLink": ev.Doc["WebLink"], "ReminderFireTime": dttz(fire, zone),
				}})
			}
		}
		slices.SortStableFunc(list, func(a, b entry) int { return a.fire.Compare(b.fire) })
		val := make([]any, 0, len(list))
		for _, e := range list {
			val = append(val, e.doc)
		}
		return collectionReply(rq, "Collection(Microsoft.OutlookServices.Reminder)", val, len(val), "", nil)
	}))

	event := func(u *MailboxUser, id string) *Record { ev, _ := u.eventLocked(id); return ev }
	withEvent := func(h recordHandler) MailboxHandler { return pim(withRecord("id", event, h)) }
	m.Handle("POST", "events/{id}/SnoozeReminder", withEvent(func(rq *MailboxRequest, ev *Record) *Reply {
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		for k := range body {
			if k != "NewReminderTime" {
				return ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The parameter '"+k+"' in the request payload is not a valid parameter for the operation.")
			}
		}
		t, zone, ok, zoneOK := parseDTTZ(body["NewReminderTime"])
		switch {
		case !zoneOK:
			return ErrorReply(http.StatusBadRequest, "TimeZoneNotSupportedException",
				"A valid TimeZone value must be specified. The following TimeZone value is not supported: '"+zone+"'.")
		case !ok:
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "NewReminderTime must be a DateTimeTimeZone.")
		}
		rq.User.setReminderStateLocked(ev, Entity{"SnoozedUntil": fmtTime(t), "Dismissed": false})
		return EmptyReply(http.StatusOK)
	}))
	m.Handle("POST", "events/{id}/DismissReminder", withEvent(func(rq *MailboxRequest, ev *Record) *Reply {
		if len(strings.TrimSpace(string(rq.Body))) > 0 {
			if _, rep := decodeObject(rq); rep != nil {
				return rep
			}
		}
		rq.User.setReminderStateLocked(ev, Entity{"Dismissed": true})
		return EmptyReply(http.StatusOK)
	}))
}
