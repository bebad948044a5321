package office365test

import (
	"fmt"
	"net/http"
	"strings"
)

// Well-known folders created in every mailbox: name usable as an id,
// display name, beta WellKnownName.
var wellKnownFolders = []struct{ name, display, wk string }{
	{"Inbox", "Inbox", "inbox"},
	{"Drafts", "Drafts", "drafts"},
	{"SentItems", "Sent Items", "sentitems"},
	{"DeletedItems", "Deleted Items", "deleteditems"},
	{"Outbox", "Outbox", "outbox"},
	{"JunkEmail", "Junk Email", "junkemail"},
	{"Archive", "Archive", "archive"},
	{"ConversationHistory", "Conversation History", "conversationhistory"},
}

func (u *MailboxUser) createDefaultFolders() {
	root := u.insertLocked(EntityMailFolder, "", Entity{"DisplayName": "Top of Information Store", "ParentFolderId": ""})
	u.su.WellKnown["msgfolderroot"] = root.ID
	u.su.WellKnown["root"] = root.ID
	for _, f := range wellKnownFolders {
		r := u.insertLocked(EntityMailFolder, root.ID, Entity{"DisplayName": f.display, "ParentFolderId": root.ID, "WellKnownName": f.wk})
		u.su.WellKnown[strings.ToLower(f.name)] = r.ID
	}
}

// folderLocked resolves a folder id or well-known name.
func (u *MailboxUser) folderLocked(key string) *Record {
	if r := u.su.Items[key]; r != nil && r.Type == EntityMailFolder {
		return r
	}
	if id, ok := u.su.WellKnown[strings.ToLower(key)]; ok {
		return u.su.Items[id]
	}
	return nil
}

// FolderID resolves a folder id or well-known name ("Inbox") to its id.
func (u *MailboxUser) FolderID(key string) string {
	u.m.mu.Lock()
	defer u.m.mu.Unlock()
	if f := u.folderLocked(key); f != nil {
		return f.ID
	}
	return ""
}

// CreateFolder creates a mail folder under parent (an id or well-known name;
// "" for the top level) and returns its id.
func (u *MailboxUser) CreateFolder(parent, displayName string) (string, error) {
	u.m.mu.Lock()
	if parent == "" {
		parent = "msgfolderroot"
	}
	p := u.folderLocked(parent)
	if p == nil {
		u.m.mu.Unlock()
		return "", fmt.Errorf("office365test: no folder %q", parent)
	}
	r := u.insertLocked(EntityMailFolder, p.ID, Entity{"DisplayName": displayName, "ParentFolderId": p.ID})
	u.m.mu.Unlock()
	u.m.flush()
	return r.ID, nil
}

func (u *MailboxUser) isDistinguished(id string) bool {
	for _, v := range u.su.WellKnown {
		if v == id {
			return true
		}
	}
	return false
}

func (u *MailboxUser) childFoldersLocked(parentID string) []*Record {
	return u.recordsLocked(EntityMailFolder, parentID)
}

// isDescendantLocked reports whether id is ancestor or below it.
func (u *MailboxUser) isDescendantLocked(id, ancestor string) bool {
	for cur := u.su.Items[id]; cur != nil; cur = u.su.Items[cur.FolderID] {
		if cur.ID == ancestor {
			return true
		}
		if cur.FolderID == "" {
			break
		}
	}
	return false
}

func (u *MailboxUser) renderFolder(rq *MailboxRequest, r *Record) Entity {
	doc := deepCopy(r.Doc).(Entity)
	total, unread := 0, 0
	for _, m := range u.su.Items {
		if m.Type == EntityMessage && m.FolderID == r.ID {
			total++
			if b, _ := m.Doc["IsRead"].(bool); !b {
				unread++
			}
		}
	}
	doc["ChildFolderCount"] = len(u.childFoldersLocked(r.ID))
	doc["TotalItemCount"] = total
	doc["UnreadItemCount"] = unread
	doc["ParentFolderId"] = r.FolderID
	if rq.Version != "beta" {
		delete(doc, "WellKnownName")
	} else if _, ok := doc["WellKnownName"]; !ok {
		doc["WellKnownName"] = nil
	}
	if rq.expands("ChildFolders") {
		var kids []any
		for _, c := range u.childFoldersLocked(r.ID) {
			kids = append(kids, u.renderFolder(&MailboxRequest{Version: rq.Version, base: rq.base, userRef: rq.userRef, ctxRef: rq.ctxRef, R: rq.R, query: map[string]string{}}, c))
		}
		if kids == nil {
			kids = []any{}
		}
		doc["ChildFolders"] = kids
	}
	doc["@odata.id"] = rq.EntityURL("MailFolders", r.ID)
	always := []string{"Id"}
	if rq.expands("ChildFolders") {
		always = append(always, "ChildFolders")
	}
	return SelectProperties(doc, rq.selectList(), always...)
}

var folderProps = map[string]bool{"DisplayName": true, "ChildFolderCount": true, "TotalItemCount": true,
	"UnreadItemCount": true, "ParentFolderId": true, "Id": true, "WellKnownName": true}

func folderFilterable(path []string) error {
	if !folderProps[path[0]] && !extFilterable(path[0]) {
		return fmt.Errorf("The property '%s' does not support filtering.", path[0])
	}
	return nil
}

func (m *Mailbox) registerFolders() {
	list := func(rq *MailboxRequest, parentID string) *Reply {
		u := rq.User
		ctx := "MailFolders"
		if parentID != u.su.WellKnown["msgfolderroot"] {
			ctx = "MailFolders('" + parentID + "')/ChildFolders"
		}
		return listReply(rq, u.childFoldersLocked(parentID), listConfig{filterable: folderFilterable, oldestFirst: true}, u.renderFolder, ctx)
	}
	create := func(rq *MailboxRequest, parentID string) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		doc := Entity{}
		for k, v := range body {
			switch k {
			case "DisplayName":
				s, ok := v.(string)
				if !ok || strings.TrimSpace(s) == "" {
					return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "DisplayName must be a non-empty string.")
				}
				doc[k] = s
			case "SingleValueExtendedProperties", "MultiValueExtendedProperties":
				doc[k] = v
			default:
				if strings.HasPrefix(k, "@odata") {
					continue
				}
				return unknownProperty(k, "MailFolder")
			}
		}
		if doc["DisplayName"] == nil {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "DisplayName is required.")
		}
		if u.siblingNamedLocked(parentID, doc["DisplayName"].(string), "") != nil {
			return ErrorReply(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
		}
		doc["ParentFolderId"] = parentID
		r := u.insertLocked(EntityMailFolder, parentID, doc)
		return entityReply(rq, http.StatusCreated, "MailFolders/$entity", u.renderFolder(rq, r))
	}
	withFolder := func(h recordHandler) MailboxHandler { return withRecord("fid", (*MailboxUser).folderLocked, h) }

	m.Handle("GET", "MailFolders", func(rq *MailboxRequest) *Reply {
		if rq.isSync() {
			return rq.User.folderDeltaLocked(rq)
		}
		return list(rq, rq.User.su.WellKnown["msgfolderroot"])
	})
	m.Handle("POST", "MailFolders", func(rq *MailboxRequest) *Reply { return create(rq, rq.User.su.WellKnown["msgfolderroot"]) })
	m.Handle("GET", "MailFolders/$count", func(rq *MailboxRequest) *Reply {
		return countReply(rq, rq.User.childFoldersLocked(rq.User.su.WellKnown["msgfolderroot"]), folderFilterable)
	})
	m.Handle("GET", "MailFolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return entityReply(rq, http.StatusOK, "MailFolders/$entity", rq.User.renderFolder(rq, f))
	}))
	m.Handle("GET", "MailFolders/{fid}/childfolders", withFolder(func(rq *MailboxRequest, f *Record) *Reply { return list(rq, f.ID) }))
	m.Handle("GET", "MailFolders/{fid}/childfolders/$count", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return countReply(rq, rq.User.childFoldersLocked(f.ID), folderFilterable)
	}))
	m.Handle("POST", "MailFolders/{fid}/childfolders", withFolder(func(rq *MailboxRequest, f *Record) *Reply { return create(rq, f.ID) }))
	m.Handle("PATCH", "MailFolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		prev := deepCopy(f.Doc).(Entity)
		for k, v := range body {
			switch k {
			case "DisplayName":
				s, ok := v.(string)
				if !ok || strings.TrimSpace(s) == "" {
					return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "DisplayName must be a non-empty string.")
				}
				if u.isDistinguished(f.ID) {
					return ErrorReply(http.StatusBadRequest, "ErrorCannotRenameDistinguishedFolder", "Distinguished folders cannot be renamed.")
				}
				if u.siblingNamedLocked(f.FolderID, s, f.ID) != nil {
					return ErrorReply(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
				}
			case "SingleValueExtendedProperties", "MultiValueExtendedProperties":
			default:
				if strings.HasPrefix(k, "@odata") {
					continue
				}
				if folderProps[k] {
					return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertySet", "The property '"+k+"' is read-only.")
				}
				return unknownProperty(k, "MailFolder")
			}
		}
		for k, v := range body {
			if !strings.HasPrefix(k, "@odata") {
				f.Doc[k] = v
			}
		}
		u.touchLocked(f, prev)
		return entityReply(rq, http.StatusOK, "MailFolders/$entity", u.renderFolder(rq, f))
	}))
	m.Handle("DELETE", "MailFolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		u := rq.User
		if u.isDistinguished(f.ID) {
			return ErrorReply(http.StatusBadRequest, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.")
		}
		u.deleteFolderLocked(f)
		return EmptyReply(http.StatusNoContent)
	}))
	moveCopy := func(copyIt bool) MailboxHandler {
		return withFolder(func(rq *MailboxRequest, f *Record) *Reply {
			u := rq.User
			dest, rep := rq.destination()
			if rep != nil {
				return rep
			}
			if u.isDistinguished(f.ID) && !copyIt {
				return ErrorReply(http.StatusBadRequest, "ErrorMoveDistinguishedFolder", "Distinguished folders cannot be moved.")
			}
			if u.isDescendantLocked(dest.ID, f.ID) {
				return ErrorReply(http.StatusBadRequest, "ErrorMoveCopyFailed", "Cannot move or copy a folder into itself or one of its subfolders.")
			}
			name, _ := f.Doc["DisplayName"].(string)
			if u.siblingNamedLocked(dest.ID, name, f.ID) != nil {
				return ErrorReply(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
			}
			if copyIt {
				nf := u.copyFolderLocked(f, dest.ID)
				return entityReply(rq, http.StatusCreated, "MailFolders/$entity", u.renderFolder(rq, nf))
			}
			prev := deepCopy(f.Doc).(Entity)
			f.FolderID = dest.ID
			f.Doc["ParentFolderId"] = dest.ID
			u.touchLocked(f, prev)
			return entityReply(rq, http.StatusCreated, "MailFolders/$entity", u.renderFolder(rq, f))
		})
	}
	m.Handle("POST", "MailFolders/{fid}/move", moveCopy(false))
	m.Handle("POST", "MailFolders/{fid}/copy", moveCopy(true))
}

func (u *MailboxUser) siblingNamedLocked(parentID, name, except string) *Record {
	for _, r := range u.childFoldersLocked(parentID) {
		if n, _ := r.Doc["DisplayName"].(string); strings.EqualFold(n, name) && r.ID != except {
			return r
		}
	}
	return nil
}

func (u *MailboxUser) deleteFolderLocked(f *Record) {
	for _, c := range u.childFoldersLocked(f.ID) {
		u.deleteFolderLocked(c)
	}
	for _, r := range u.su.Items {
		if r.Type != EntityMailFolder && r.FolderID == f.ID {
			u.removeLocked(r)
		}
	}
	u.removeLocked(f)
}

func (u *MailboxUser) copyFolderLocked(f *Record, parentID string) *Record {
	doc := deepCopy(f.Doc).(Entity)
	delete(doc, "Id")
	delete(doc, "WellKnownName")
	doc["ParentFolderId"] = parentID
	nf := u.insertLocked(EntityMailFolder, parentID, doc)
	for _, r := range u.recordsLocked(EntityMessage, f.ID) {
		u.copyMessageLocked(r, nf.ID)
	}
	for _, c := range u.childFoldersLocked(f.ID) {
		u.copyFolderLocked(c, nf.ID)
	}
	return nf
}

// destination decodes {"DestinationId": …} and resolves the folder.
func (rq *MailboxRequest) destination() (*Record, *Reply) {
	body, rep := decodeObject(rq)
	if rep != nil {
		return nil, rep
	}
	for k := range body {
		if k != "DestinationId" {
			return nil, unknownProperty(k, "action parameters")
		}
	}
	id, _ := body["DestinationId"].(string)
	if id == "" {
		return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidIdMalformed", "DestinationId is required.")
	}
	f := rq.User.folderLocked(id)
	if f == nil {
		return nil, ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The destination folder was not found in the store.")
	}
	return f, nil
}
