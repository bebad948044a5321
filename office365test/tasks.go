package office365test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"
)

// Tasks: task groups (the default "My Tasks"), task folders (the default
// "Tasks", also addressable by that name) and tasks, with the service's
// date rules: StartDateTime and DueDateTime are dates (midnight in the zone
// given; the time part is ignored), setting only StartDateTime sets
// DueDateTime to the same day, nulling DueDateTime nulls StartDateTime;
// Status Completed sets CompletedDateTime. Completing a recurring task
// creates a completed copy and moves the task to its next occurrence.

var (
	taskWritable = set("Body", "Categories", "CompletedDateTime", "DueDateTime", "Importance", "IsReminderOn",
		"Recurrence", "ReminderDateTime", "Sensitivity", "StartDateTime", "Status", "Subject",
		"SingleValueExtendedProperties", "MultiValueExtendedProperties")
	taskReadOnly = set("AssignedTo", "ChangeKey", "CreatedDateTime", "HasAttachments", "Id", "LastModifiedDateTime",
		"Owner", "ParentFolderId", "Attachments")
	taskNoFilter = set("Body", "ChangeKey", "IsReminderOn", "ParentFolderId", "Recurrence", "ReminderDateTime",
		"SingleValueExtendedProperties", "MultiValueExtendedProperties")
	taskOnRequest = set("SingleValueExtendedProperties", "MultiValueExtendedProperties")
)

var taskFilterable = filterableExcept(taskNoFilter)

var (
	taskFolderFilterable = nameFilterable("Name", "IsDefaultFolder", "Id")
	taskGroupFilterable  = nameFilterable("Name", "IsDefaultGroup", "Id", "GroupKey")
	taskFolderKind       = namedKind{typ: "TaskFolder", nameProp: "Name", changeKey: true}
	taskGroupKind        = namedKind{typ: "TaskGroup", nameProp: "Name", changeKey: true}
)

func (u *MailboxUser) defaultTaskGroupLocked() *Record {
	return u.defaultRecordLocked(EntityTaskGroup, "IsDefaultGroup", true)
}

func (u *MailboxUser) defaultTaskFolderLocked() *Record {
	return u.defaultRecordLocked(EntityTaskFolder, "IsDefaultFolder", true)
}

// taskFolderLocked resolves a task folder id or "Tasks".
func (u *MailboxUser) taskFolderLocked(id string) *Record {
	if strings.EqualFold(id, "Tasks") {
		return u.defaultTaskFolderLocked()
	}
	return u.recordOf(EntityTaskFolder, id)
}

// taskDate reads a task date: midnight (of the given wall-clock date) in the
// value's zone, as a UTC instant.
func taskDate(v any) (time.Time, *Reply) {
	t, zone, ok, zoneOK := parseDTTZ(v)
	if !zoneOK {
		return time.Time{}, ErrorReply(http.StatusBadRequest, "TimeZoneNotSupportedException",
			"A valid TimeZone value must be specified. The following TimeZone value is not supported: '"+zone+"'.")
	}
	if !ok {
		return time.Time{}, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The task date is not valid.")
	}
	loc := loadZone(zone)
	l := t.In(loc)
	return wallClock(time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC), loc).UTC(), nil
}

// validateTask checks a body and returns the properties to store (dates
// as UTC DateTimeTimeZone, nulls as nil).
func validateTask(rq *MailboxRequest, body map[string]any) (Entity, *Reply) {
	out := Entity{}
	for k, v := range body {
		switch {
		case strings.HasPrefix(k, "@"), taskReadOnly[k]:
			continue
		case !taskWritable[k]:
			return nil, unknownProperty(k, "Task")
		}
		if v == nil {
			if k == "Subject" || k == "Status" || k == "Importance" {
				return nil, invalidValue(k)
			}
			out[k] = nil
			continue
		}
		switch k {
		case "Subject":
			if _, ok := v.(string); !ok {
				return nil, invalidValue(k)
			}
		case "Body":
			b, ok := normalizeBody(v)
			if !ok {
				return nil, invalidValue(k)
			}
			if b["ContentType"] == "Text" {
				b = map[string]any{"ContentType": "HTML", "Content": html.EscapeString(fmt.Sprint(b["Content"]))}
			}
			v = b
		case "StartDateTime", "DueDateTime", "CompletedDateTime":
			t, rep := taskDate(v)
			if rep != nil {
				return nil, rep
			}
			v = dttz(t, "UTC")
		case "ReminderDateTime":
			t, _, ok, zoneOK := parseDTTZ(v)
			if !zoneOK || !ok {
				return nil, invalidValue(k)
			}
			v = dttz(t, "UTC")
		case "Importance":
			s, ok := canonicalEnum(v, "Low", "Normal", "High")
			if !ok {
				return nil, invalidValue(k)
			}
			v = s
		case "Sensitivity":
			s, ok := canonicalEnum(v, "Normal", "Personal", "Private", "Confidential")
			if !ok {
				return nil, invalidValue(k)
			}
			v = s
		case "Status":
			s, ok := canonicalEnum(v, "NotStarted", "InProgress", "Completed", "WaitingOnOthers", "Deferred")
			if !ok {
				return nil, invalidValue(k)
			}
			v = s
		case "IsReminderOn":
			if _, ok := v.(bool); !ok {
				return nil, invalidValue(k)
			}
		case "Categories":
			if !stringList(v) {
				return nil, invalidValue(k)
			}
		case "Recurrence":
			r, err := parseRecurrence(v)
			if err != nil {
				return nil, ErrorReply(http.StatusBadRequest, "ErrorPropertyValidationFailure", err.Error())
			}
			v = canonicalRecurrence(r, "UTC")
		case "SingleValueExtendedProperties", "MultiValueExtendedProperties":
			if _, ok := v.([]any); !ok {
				return nil, invalidValue(k)
			}
		}
		out[k] = v
	}
	return out, nil
}

// applyTaskRules applies props to doc with the date and status rules.
func (u *MailboxUser) applyTaskRules(doc, props Entity) *Reply {
	_, setStart := props["StartDateTime"]
	_, setDue := props["DueDateTime"]
	for k, v := range props {
		doc[k] = v
	}
	if setStart && !setDue && props["StartDateTime"] != nil && doc["DueDateTime"] == nil {
		doc["DueDateTime"] = deepCopy(props["StartDateTime"])
	}
	if setDue && props["DueDateTime"] == nil {
		doc["StartDateTime"] = nil
	}
	if doc["StartDateTime"] != nil && doc["DueDateTime"] != nil {
		s, _, _, _ := parseDTTZ(doc["StartDateTime"])
		d, _, _, _ := parseDTTZ(doc["DueDateTime"])
		if s.After(d) {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The StartDateTime of a task cannot be after its DueDateTime.")
		}
	}
	if st, ok := props["Status"]; ok {
		if st == "Completed" && doc["CompletedDateTime"] == nil {
			now := u.m.clock()
			doc["CompletedDateTime"] = dttz(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), "UTC")
		}
		if st != "Completed" {
			doc["CompletedDateTime"] = nil
		}
	} else if props["CompletedDateTime"] != nil {
		doc["Status"] = "Completed"
	}
	if doc["Recurrence"] != nil && doc["DueDateTime"] == nil {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "A recurring task needs a DueDateTime.")
	}
	return nil
}

func (u *MailboxUser) newTaskDoc() Entity {
	return Entity{
		"Subject": "", "Body": map[string]any{"ContentType": "HTML", "Content": ""}, "Importance": "Normal",
		"Sensitivity": "Normal", "Status": "NotStarted", "IsReminderOn": false, "Categories": []any{},
		"StartDateTime": nil, "DueDateTime": nil, "CompletedDateTime": nil, "ReminderDateTime": nil, "Recurrence": nil,
		"Owner": u.DisplayName, "AssignedTo": nil, "HasAttachments": false,
	}
}

// offsetTime renders a UTC timestamp with the offset of zone (Task
// CreatedDateTime and LastModifiedDateTime honour Prefer:
// outlook.timezone).
func offsetTime(v any, zone string) any {
	s, ok := v.(string)
	loc := loadZone(zone)
	if !ok || loc == nil || loc == time.UTC {
		return v
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return v
	}
	return t.In(loc).Format("2006-01-02T15:04:05.0000000Z07:00")
}

func (u *MailboxUser) renderTask(rq *MailboxRequest, r *Record) Entity {
	doc := rq.itemDoc(r, "Tasks", taskOnRequest, nil)
	doc["ParentFolderId"] = r.FolderID
	zone := rq.responseZone()
	convertDTTZ(doc, zone)
	doc["CreatedDateTime"] = offsetTime(doc["CreatedDateTime"], zone)
	doc["LastModifiedDateTime"] = offsetTime(doc["LastModifiedDateTime"], zone)
	rq.shape(doc)
	return SelectProperties(doc, rq.selectList(), "Id")
}

func (u *MailboxUser) renderTaskFolder(rq *MailboxRequest, r *Record) Entity {
	doc := deepCopy(r.Doc).(Entity)
	doc["@odata.id"] = rq.EntityURL("TaskFolders", r.ID)
	return SelectProperties(doc, rq.selectList(), "Id")
}

func (u *MailboxUser) renderTaskGroup(rq *MailboxRequest, r *Record) Entity {
	doc := deepCopy(r.Doc).(Entity)
	doc["@odata.id"] = rq.EntityURL("TaskGroups", r.ID)
	return SelectProperties(doc, rq.selectList(), "Id")
}

// completeTaskLocked completes a task: a recurring task moves to its next
// occurrence and a completed copy is created. It returns the affected
// tasks (the completed one first).
func (u *MailboxUser) completeTaskLocked(r *Record) []*Record {
	now := u.m.clock()
	today := dttz(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), "UTC")
	complete := func(doc Entity) {
		doc["Status"] = "Completed"
		doc["CompletedDateTime"] = today
	}
	if r.Doc["Recurrence"] == nil || r.Doc["Status"] == "Completed" {
		prev := deepCopy(r.Doc).(Entity)
		complete(r.Doc)
		u.touchLocked(r, prev)
		return []*Record{r}
	}
	rec, err := parseRecurrence(r.Doc["Recurrence"])
	due, _, _, _ := parseDTTZ(r.Doc["DueDateTime"])
	loc := time.UTC
	if err == nil && loadZone(rec.zone) != nil {
		loc = loadZone(rec.zone)
	}
	ld := due.In(loc)
	day := time.Date(ld.Year(), ld.Month(), ld.Day(), 0, 0, 0, 0, time.UTC)
	next, ok := time.Time{}, false
	if err == nil {
		next, ok = rec.next(day)
	}
	done := deepCopy(r.Doc).(Entity)
	delete(done, "Id")
	delete(done, "CreatedDateTime")
	done["Recurrence"] = nil
	complete(done)
	if !ok {
		prev := deepCopy(r.Doc).(Entity)
		complete(r.Doc)
		r.Doc["Recurrence"] = nil
		u.touchLocked(r, prev)
		return []*Record{r}
	}
	c := u.insertLocked(EntityTask, r.FolderID, done)
	prev := deepCopy(r.Doc).(Entity)
	shift := wallClock(next, loc).UTC().Sub(due)
	r.Doc["DueDateTime"] = dttz(due.Add(shift), "UTC")
	if s, _, ok, _ := parseDTTZ(r.Doc["StartDateTime"]); ok {
		r.Doc["StartDateTime"] = dttz(s.Add(shift), "UTC")
	}
	u.touchLocked(r, prev)
	return []*Record{c, r}
}

func (u *MailboxUser) deleteTaskFolderLocked(f *Record) {
	for _, t := range u.recordsLocked(EntityTask, f.ID) {
		u.removeLocked(t)
	}
	u.removeLocked(f)
}

func (m *Mailbox) registerTasks() {
	withTask := func(h recordHandler) MailboxHandler { return pim(withRecord("id", ofType(EntityTask), h)) }
	withFolder := func(h recordHandler) MailboxHandler {
		return pim(withRecord("fid", (*MailboxUser).taskFolderLocked, h))
	}
	withGroup := func(h recordHandler) MailboxHandler { return pim(withRecord("gid", ofType(EntityTaskGroup), h)) }
	listTasks := func(rq *MailboxRequest, recs []*Record, folderID, ctx string) *Reply {
		u := rq.User
		if rq.isSync() {
			if rep := syncOptionsReply(rq, "synchronization", "$filter", "$orderby", "$search", "$top"); rep != nil {
				return rep
			}
			return u.syncRound(rq, "t:"+folderID, recs,
				func(t tombstone) bool { return t.Type == EntityTask && (folderID == "" || t.FolderID == folderID) },
				nil, func(r *Record) Entity { return u.renderTask(rq, r) }, ctx, ctx)
		}
		return listReply(rq, recs, listConfig{filterable: taskFilterable}, u.renderTask, ctx)
	}
	createTask := func(rq *MailboxRequest, f *Record) *Reply {
		u := rq.User
		props, rep := decodeWith(rq, validateTask)
		if rep != nil {
			return rep
		}
		if s, _ := props["Subject"].(string); strings.TrimSpace(s) == "" {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The Subject of a task is required.")
		}
		doc := u.newTaskDoc()
		if rep := u.applyTaskRules(doc, props); rep != nil {
			return rep
		}
		r := u.insertLocked(EntityTask, f.ID, doc)
		return entityReply(rq, http.StatusCreated, "Tasks/$entity", u.renderTask(rq, r))
	}

	m.Handle("GET", "tasks", pim(func(rq *MailboxRequest) *Reply {
		return listTasks(rq, rq.User.recordsLocked(EntityTask, ""), "", "Tasks")
	}))
	m.Handle("POST", "tasks", pim(func(rq *MailboxRequest) *Reply { return createTask(rq, rq.User.defaultTaskFolderLocked()) }))
	m.Handle("GET", "taskfolders/{fid}/tasks", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return listTasks(rq, rq.User.recordsLocked(EntityTask, f.ID), f.ID, "TaskFolders('"+f.ID+"')/Tasks")
	}))
	m.Handle("POST", "taskfolders/{fid}/tasks", withFolder(createTask))
	m.Handle("GET", "tasks/{id}", withTask(func(rq *MailboxRequest, t *Record) *Reply {
		return entityReply(rq, http.StatusOK, "Tasks/$entity", rq.User.renderTask(rq, t))
	}))
	m.Handle("PATCH", "tasks/{id}", withTask(func(rq *MailboxRequest, t *Record) *Reply {
		u := rq.User
		props, rep := decodeWith(rq, validateTask)
		if rep != nil {
			return rep
		}
		merged := deepCopy(t.Doc).(Entity)
		if rep := u.applyTaskRules(merged, props); rep != nil {
			return rep
		}
		prev := t.Doc
		t.Doc = merged
		u.touchLocked(t, prev)
		return entityReply(rq, http.StatusOK, "Tasks/$entity", u.renderTask(rq, t))
	}))
	m.Handle("DELETE", "tasks/{id}", withTask(func(rq *MailboxRequest, t *Record) *Reply {
		rq.User.removeLocked(t)
		return EmptyReply(http.StatusNoContent)
	}))
	m.Handle("POST", "tasks/{id}/complete", withTask(func(rq *MailboxRequest, t *Record) *Reply {
		u := rq.User
		var val []any
		for _, r := range u.completeTaskLocked(t) {
			val = append(val, u.renderTask(rq, r))
		}
		return collectionReply(rq, "Tasks", val, len(val), "", nil)
	}))

	// Attachments: the same routes and shapes as message and event
	// attachments (the service model's Task.Attachments).
	m.registerAttachments("tasks", "Tasks", withTask, withTask)

	// Folders.
	listFolders := func(rq *MailboxRequest, groupID string, ctx string) *Reply {
		u := rq.User
		if rq.isSync() {
			if rep := syncOptionsReply(rq, "synchronization", "$filter", "$orderby", "$search", "$top"); rep != nil {
				return rep
			}
			return u.syncRound(rq, "tf:"+groupID, u.recordsLocked(EntityTaskFolder, groupID),
				func(t tombstone) bool { return t.Type == EntityTaskFolder && t.FolderID == groupID },
				nil, func(r *Record) Entity { return u.renderTaskFolder(rq, r) }, ctx, ctx)
		}
		return listReply(rq, u.recordsLocked(EntityTaskFolder, groupID), listConfig{filterable: taskFolderFilterable, oldestFirst: true}, u.renderTaskFolder, ctx)
	}
	createFolder := func(rq *MailboxRequest, g *Record) *Reply {
		u := rq.User
		props, rep := taskFolderKind.decode(rq, true)
		if rep != nil {
			return rep
		}
		props["IsDefaultFolder"] = false
		props["ParentGroupKey"] = g.Doc["GroupKey"]
		props["ChangeKey"] = u.m.st.NewChangeKeyLocked()
		r := u.insertLocked(EntityTaskFolder, g.ID, props)
		return entityReply(rq, http.StatusCreated, "TaskFolders/$entity", u.renderTaskFolder(rq, r))
	}
	m.Handle("GET", "taskfolders", pim(func(rq *MailboxRequest) *Reply {
		return listFolders(rq, rq.User.defaultTaskGroupLocked().ID, "TaskFolders")
	}))
	m.Handle("POST", "taskfolders", pim(func(rq *MailboxRequest) *Reply { return createFolder(rq, rq.User.defaultTaskGroupLocked()) }))
	m.Handle("GET", "taskgroups/{gid}/taskfolders", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		return listFolders(rq, g.ID, "TaskGroups('"+g.ID+"')/TaskFolders")
	}))
	m.Handle("POST", "taskgroups/{gid}/taskfolders", withGroup(createFolder))
	m.Handle("GET", "taskfolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return entityReply(rq, http.StatusOK, "TaskFolders/$entity", rq.User.renderTaskFolder(rq, f))
	}))
	m.Handle("PATCH", "taskfolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		rep := taskFolderKind.patchLocked(rq, f, func(props Entity) *Reply {
			if _, ok := props["Name"]; ok && f.Doc["IsDefaultFolder"] == true {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The default task folder cannot be renamed.")
			}
			return nil
		})
		if rep != nil {
			return rep
		}
		return entityReply(rq, http.StatusOK, "TaskFolders/$entity", rq.User.renderTaskFolder(rq, f))
	}))
	m.Handle("DELETE", "taskfolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		if f.Doc["IsDefaultFolder"] == true {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The default task folder cannot be deleted.")
		}
		rq.User.deleteTaskFolderLocked(f)
		return EmptyReply(http.StatusNoContent)
	}))

	// Groups.
	m.Handle("GET", "taskgroups", pim(func(rq *MailboxRequest) *Reply {
		u := rq.User
		return listReply(rq, u.recordsLocked(EntityTaskGroup, ""), listConfig{filterable: taskGroupFilterable, oldestFirst: true}, u.renderTaskGroup, "TaskGroups")
	}))
	m.Handle("POST", "taskgroups", pim(func(rq *MailboxRequest) *Reply {
		u := rq.User
		props, rep := taskGroupKind.decode(rq, true)
		if rep != nil {
			return rep
		}
		props["IsDefaultGroup"] = false
		props["GroupKey"] = guidFrom("taskgroup:" + u.m.st.NewIDLocked("tg"))
		props["ChangeKey"] = u.m.st.NewChangeKeyLocked()
		r := u.insertLocked(EntityTaskGroup, "", props)
		return entityReply(rq, http.StatusCreated, "TaskGroups/$entity", u.renderTaskGroup(rq, r))
	}))
	m.Handle("GET", "taskgroups/{gid}", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		return entityReply(rq, http.StatusOK, "TaskGroups/$entity", rq.User.renderTaskGroup(rq, g))
	}))
	m.Handle("PATCH", "taskgroups/{gid}", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		if rep := taskGroupKind.patchLocked(rq, g, nil); rep != nil {
			return rep
		}
		return entityReply(rq, http.StatusOK, "TaskGroups/$entity", rq.User.renderTaskGroup(rq, g))
	}))
	m.Handle("DELETE", "taskgroups/{gid}", withGroup(func(rq *MailboxRequest, g *Record) *Reply {
		u := rq.User
		if g.Doc["IsDefaultGroup"] == true {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The default task group cannot be deleted.")
		}
		for _, f := range u.recordsLocked(EntityTaskFolder, g.ID) {
			u.deleteTaskFolderLocked(f)
		}
		u.removeLocked(g)
		return EmptyReply(http.StatusNoContent)
	}))
}
