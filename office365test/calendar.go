package office365test

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The Calendar, Contacts, Tasks and User Photo fakes. They keep their
// entities in the Mailbox store (Records of the Event, Calendar,
// CalendarGroup, Contact, ContactFolder, Task, TaskFolder and TaskGroup
// types, plus the internal types below), so every change reaches the change
// feed (Subscribe) like mail does.
//
// Each user gets, on first use, the default calendar group "My Calendars"
// with the default calendar "Calendar", the default contact folder
// "Contacts", the default task group "My Tasks" and the default task folder
// "Tasks".
//
// Events are stored with Start and End in UTC (the zone they were given in
// is kept in OriginalStartTimeZone / OriginalEndTimeZone, as Exchange does)
// and rendered in the zone of Prefer: outlook.timezone, or UTC. A recurring
// series is stored once (its master); occurrences are expanded on the fly
// in the recurrence time zone, so their wall clock stays put across
// daylight-saving changes. An occurrence that is updated becomes a stored
// exception with the occurrence's id; a deleted occurrence leaves a
// cancellation record.
//
// Meetings: when an organizer in the fake creates an event with attendees
// who are users of the fake, each attendee gets a copy in their default
// calendar and a meeting request in their Inbox. Accepting, tentatively
// accepting or declining a copy updates the attendee's status on the
// organizer's event (and sends the organizer a response message unless
// SendResponse is false); updates and cancellations by the organizer reach
// the copies.

// Internal record types of the PIM fakes (not entities of the API).
const (
	entityEventCancellation EntityType = "EventCancellation"
	entityReminderState     EntityType = "ReminderState"
	entityUserPhoto         EntityType = "UserPhoto"
	entityContactPhoto      EntityType = "ContactPhoto"
)

// Well-known GUIDs of the default calendar group and task group.
const (
	calendarGroupClassID = "0006f0b7-0000-0000-c000-000000000046"
)

func init() { mailboxExtensions = append(mailboxExtensions, (*Mailbox).registerPIM) }

// registerPIM installs the Calendar, Contacts, Tasks and User Photo routes.
// Registering twice is harmless (routes are replaced by pattern).
func (m *Mailbox) registerPIM() {
	m.registerCalendars()
	m.registerEvents()
	m.registerCalendarView()
	m.registerReminders()
	m.registerFindMeetingTimes()
	m.registerContacts()
	m.registerTasks()
	m.registerPhotos()
}

// pim wraps a handler so that the user's default PIM folders exist.
func pim(h MailboxHandler) MailboxHandler {
	return func(rq *MailboxRequest) *Reply {
		rq.User.pimDefaultsLocked()
		return h(rq)
	}
}

// pimDefaultsLocked creates the user's default calendar group, calendar,
// contact folder, task group and task folder if missing.
func (u *MailboxUser) pimDefaultsLocked() {
	has := map[EntityType]bool{}
	for _, r := range u.su.Items {
		switch r.Type {
		case EntityCalendarGroup, EntityContactFolder, EntityTaskGroup:
			has[r.Type] = true
		}
	}
	if !has[EntityCalendarGroup] {
		g := u.insertLocked(EntityCalendarGroup, "", Entity{"Name": "My Calendars", "ClassId": calendarGroupClassID,
			"ChangeKey": u.m.st.NewChangeKeyLocked()})
		u.insertLocked(EntityCalendar, g.ID, u.newCalendarDoc("Calendar", "Auto", true))
	}
	if !has[EntityContactFolder] {
		u.insertLocked(EntityContactFolder, "", Entity{"DisplayName": "Contacts", "ParentFolderId": u.contactsRootID(), "WellKnownName": "contacts"})
	}
	if !has[EntityTaskGroup] {
		key := guidFrom("taskgroup:" + u.ID)
		g := u.insertLocked(EntityTaskGroup, "", Entity{"Name": "My Tasks", "GroupKey": key, "IsDefaultGroup": true,
			"ChangeKey": u.m.st.NewChangeKeyLocked()})
		u.insertLocked(EntityTaskFolder, g.ID, Entity{"Name": "Tasks", "IsDefaultFolder": true, "ParentGroupKey": key,
			"ChangeKey": u.m.st.NewChangeKeyLocked()})
	}
}

// guidFrom derives a stable GUID from s.
func guidFrom(s string) string {
	h := sha256.Sum256([]byte(s))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func (u *MailboxUser) newCalendarDoc(name, color string, isDefault bool) Entity {
	return Entity{
		"Name": name, "Color": color, "ChangeKey": u.m.st.NewChangeKeyLocked(), "CanShare": true, "CanViewPrivateItems": true,
		"CanEdit": true, "Owner": map[string]any{"Name": u.DisplayName, "Address": u.UPN}, "IsDefaultCalendar": isDefault,
	}
}

// ---------------------------------------------------------------- lookups

func (u *MailboxUser) recordOf(typ EntityType, id string) *Record {
	if r := u.su.Items[id]; r != nil && r.Type == typ {
		return r
	}
	return nil
}

func (u *MailboxUser) defaultCalendarLocked() *Record {
	return u.defaultRecordLocked(EntityCalendar, "IsDefaultCalendar", true)
}

func (u *MailboxUser) defaultCalendarGroupLocked() *Record {
	if c := u.defaultCalendarLocked(); c != nil {
		return u.recordOf(EntityCalendarGroup, c.FolderID)
	}
	return nil
}

// calendarsOfGroupLocked returns the calendars of a group.
func (u *MailboxUser) calendarsOfGroupLocked(groupID string) []*Record {
	return u.recordsLocked(EntityCalendar, groupID)
}

// ---------------------------------------------------------------- rendering

func (u *MailboxUser) renderCalendar(rq *MailboxRequest, r *Record) Entity {
	doc := deepCopy(r.Doc).(Entity)
	if rq.Version != "beta" {
		delete(doc, "IsDefaultCalendar")
	}
	doc["@odata.id"] = rq.EntityURL("Calendars", r.ID)
	return SelectProperties(doc, rq.selectList(), "Id")
}

func (u *MailboxUser) renderCalendarGroup(rq *MailboxRequest, r *Record) Entity {
	doc := deepCopy(r.Doc).(Entity)
	doc["@odata.id"] = rq.EntityURL("CalendarGroups", r.ID)
	return SelectProperties(doc, rq.selectList(), "Id")
}

// nameFilterable allows $filter and $orderby on the named properties (any
// case) only.
func nameFilterable(allowed ...string) func(p []string) error {
	ok := set(allowed...)
	return func(p []string) error {
		for k := range ok {
			if strings.EqualFold(k, p[0]) {
				return nil
			}
		}
		return fmt.Errorf("The property '%s' does not support filtering.", p[0])
	}
}

// withExtFilter also allows the extensibility collections (extended
// properties, extensions), as on every entity that carries them.
func withExtFilter(f func(p []string) error) func(p []string) error {
	return func(p []string) error {
		if extFilterable(p[0]) {
			return nil
		}
		return f(p)
	}
}

var (
	calendarFilterable      = withExtFilter(nameFilterable("Name", "Color", "Id", "IsDefaultCalendar", "CanEdit", "CanShare"))
	calendarGroupFilterable = nameFilterable("Name", "ClassId", "Id")
)

func (u *MailboxUser) listCalendarsLocked(rq *MailboxRequest, recs []*Record, ctx string) *Reply {
	return listReply(rq, recs, listConfig{filterable: calendarFilterable, oldestFirst: true}, u.renderCalendar, ctx)
}

// allCalendarsLocked returns every calendar of the user, default first.
func (u *MailboxUser) allCalendarsLocked() []*Record {
	recs := u.recordsLocked(EntityCalendar, "")
	slices.SortStableFunc(recs, func(a, b *Record) int {
		da, db := a.Doc["IsDefaultCalendar"] == true, b.Doc["IsDefaultCalendar"] == true
		switch {
		case da && !db:
			return -1
		case db && !da:
			return 1
		}
		return 0
	})
	return recs
}

// calendarExtra validates the writable properties of a calendar besides
// its Name.
func calendarExtra(k string, v any) (any, *Reply) {
	switch k {
	case "Color":
		s, ok := canonicalEnum(v, "LightBlue", "LightGreen", "LightOrange", "LightGray", "LightYellow", "LightTeal",
			"LightPink", "LightBrown", "LightRed", "MaxColor", "Auto")
		if !ok {
			return nil, invalidValue(k)
		}
		return s, nil
	case "CanEdit", "CanShare", "CanViewPrivateItems", "Owner", "IsDefaultCalendar":
		return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertySet", "The property '"+k+"' is read-only.")
	}
	return nil, unknownProperty(k, "Calendar")
}

var (
	calendarKind      = namedKind{typ: "Calendar", nameProp: "Name", changeKey: true, extra: calendarExtra}
	calendarGroupKind = namedKind{typ: "CalendarGroup", nameProp: "Name", changeKey: true}
)

func (m *Mailbox) registerCalendars() {
	withCal := func(h recordHandler) MailboxHandler { return pim(withRecord("cid", ofType(EntityCalendar), h)) }
	withGroup := func(h recordHandler) MailboxHandler { return pim(withRecord("gid", ofType(EntityCalendarGroup), h)) }
	withGroupCal := func(h func(rq *MailboxRequest, c *Record) *Reply) MailboxHandler {
		return withGroup(func(rq *MailboxRequest, g *Record) *Reply {
			c := rq.User.recordOf(EntityCalendar, rq.Param("cid"))
			if c == nil || c.FolderID != g.ID {
				return notFound()
			}
			return h(rq, c)
		})
	}
	createCal := func(rq *MailboxRequest, groupID string) *Reply {
		u := rq.User
		props, rep := calendarKind.decode(rq, true)
		if rep != nil {
			return rep
		}
		if calendarKind.nameTakenLocked(u.recordsLocked(EntityCalendar, ""), props["Name"]) {
			return ErrorReply(http.StatusConflict, "ErrorFolderExists", "A calendar with the same name already exists.")
		}
		doc := u.newCalendarDoc(props["Name"].(string), "Auto", false)
		for k, v := range props {
			doc[k] = v
		}
		r := u.insertLocked(EntityCalendar, groupID, doc)
		return entityReply(rq, http.StatusCreated, "Calendars/$entity", u.renderCalendar(rq, r))
	}

	m.Handle("GET", "calendar", pim(func(rq *MailboxRequest) *Reply {
		return entityReply(rq, http.StatusOK, "Calendars/$entity", rq.User.renderCalendar(rq, rq.User.defaultCalendarLocked()))
	}))
	m.Handle("GET", "calendars", pim(func(rq *MailboxRequest) *Reply {
		return rq.User.listCalendarsLocked(rq, rq.User.allCalendarsLocked(), "Calendars")
	}))
	m.Handle("GET", "calendars/$count", pim(func(rq *MailboxRequest) *Reply {
		return countReply(rq, rq.User.allCalendarsLocked(), calendarFilterable)
	}))
	m.Handle("POST", "calendars", pim(func(rq *MailboxRequest) *Reply {
		return createCal(rq, rq.User.defaultCalendarGroupLocked().ID)
	}))
	m.Handle("GET", "calendars/{cid}", withCal(func(rq *MailboxRequest, c *Record) *Reply {
		return entityReply(rq, http.StatusOK, "Calendars/$entity", rq.User.renderCalendar(rq, c))
	}))
	m.Handle("PATCH", "calendars/{cid}", withCal(func(rq *MailboxRequest, c *Record) *Reply {
		if rep := calendarKind.patchLocked(rq, c, nil); rep != nil {
			return rep
		}
		return entityReply(rq, http.StatusOK, "Calendars/$entity", rq.User.renderCalendar(rq, c))
	}))
	m.Handle("DELETE", "calendars/{cid}", withCal(func(rq *MailboxRequest, c *Record) *Reply {
		u := rq.User
		if c.Doc["IsDefaultCalendar"] == true {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The default calendar cannot be deleted.")
		}
		for _, e := range u.recordsLocked(EntityEvent, c.ID) {
			u.deleteEventLocked(e, "")
		}
		u.removeLocked(c)
		return EmptyReply(http.StatusNoContent)
	}))

	m.Handle("GET", "calendargroups", pim(func(rq *MailboxRequest) *Reply {
		u := rq.User
		return listReply(rq, u.recordsLocked(EntityCalendarGroup, ""), listConfig{filterable: calendarGroupFilterable, oldestFirst: true}, u.renderCalendarGroup, "CalendarGroups")
	}))
	m.Handle("GET", "calendargroups/$count", pim(func(rq *MailboxRequest) *Reply {
		return countReply(rq, rq.User.recordsLocked(EntityCalendarGroup, ""), calendarGroupFilterable)
	}))
	m.Handle("POST", "calendargroups", pim(func(rq *MailboxRequest) *Reply {
		u := rq.User
		props, rep := calendarGroupKind.decode(rq, true)
		if rep != nil {
			return rep
		}
		if calendarGroupKind.nameTakenLocked(u.recordsLocked(EntityCalendarGroup, ""), props["Name"]) {
			return ErrorReply(http.StatusConflict, "ErrorFolderExists", "A calendar group with the same name already exists.")
		}
		props["ClassId"] = guidFrom("calendargroup:" + u.m.st.NewIDLocked("cg"))
		props["ChangeKey"] = u.m.st.NewChangeKeyLocked()
		r := u.insertLocked(EntityCalendarGroup, "", props)
		return entityReply(rq, http.StatusCreated, "CalendarGroups/$entity", u.renderCalendarGroup(rq, r))
	}))
	m.Handle("GET", "calendargroups/{gid}", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		return entityReply(rq, http.StatusOK, "CalendarGroups/$entity", rq.User.renderCalendarGroup(rq, g))
	}))
	m.Handle("PATCH", "calendargroups/{gid}", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		if rep := calendarGroupKind.patchLocked(rq, g, nil); rep != nil {
			return rep
		}
		return entityReply(rq, http.StatusOK, "CalendarGroups/$entity", rq.User.renderCalendarGroup(rq, g))
	}))
	m.Handle("DELETE", "calendargroups/{gid}", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		u := rq.User
		if d := u.defaultCalendarGroupLocked(); d != nil && d.ID == g.ID {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The default calendar group cannot be deleted.")
		}
		if len(u.calendarsOfGroupLocked(g.ID)) > 0 {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "A calendar group that contains calendars cannot be deleted.")
		}
		u.removeLocked(g)
		return EmptyReply(http.StatusNoContent)
	}))
	m.Handle("GET", "calendargroups/{gid}/calendars", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		return rq.User.listCalendarsLocked(rq, rq.User.calendarsOfGroupLocked(g.ID), "CalendarGroups('"+g.ID+"')/Calendars")
	}))
	m.Handle("POST", "calendargroups/{gid}/calendars", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		return createCal(rq, g.ID)
	}))
	m.Handle("GET", "calendargroups/{gid}/calendars/{cid}", withGroupCal(func(rq *MailboxRequest, c *Record) *Reply {
		return entityReply(rq, http.StatusOK, "Calendars/$entity", rq.User.renderCalendar(rq, c))
	}))
}
