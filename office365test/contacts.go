package office365test

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Contacts: contacts in the default "Contacts" folder (GET {root}/contacts)
// or any contact folder, the folder hierarchy under the default folder, the
// contact photo (see photo.go) and contact sync per folder.

var (
	contactStrings = set("AssistantName", "BusinessHomePage", "CompanyName", "Department", "DisplayName", "FileAs",
		"Generation", "GivenName", "Initials", "JobTitle", "Manager", "MiddleName", "MobilePhone1", "NickName",
		"OfficeLocation", "PersonalNotes", "Profession", "SpouseName", "Surname", "Title", "YomiCompanyName",
		"YomiGivenName", "YomiSurname")
	contactStringLists = set("BusinessPhones", "Categories", "Children", "HomePhones", "ImAddresses")
	contactAddresses   = set("BusinessAddress", "HomeAddress", "OtherAddress")
	contactReadOnly    = set("Id", "CreatedDateTime", "LastModifiedDateTime", "ChangeKey", "ParentFolderId", "Photo")
	contactBetaOnly    = set("Flag", "Gender", "Phones", "PostalAddresses", "Websites", "WeddingAnniversary")
	contactOnRequest   = set("SingleValueExtendedProperties", "MultiValueExtendedProperties", "Extensions")
	contactNoFilter    = set("BusinessPhones", "Categories", "ChangeKey", "HomePhones", "ImAddresses", "ParentFolderId",
		"Title", "YomiCompanyName", "YomiGivenName", "YomiSurname")
	addressProps = set("Type", "PostOfficeBox", "Street", "City", "State", "CountryOrRegion", "PostalCode")
)

var contactFilterable = filterableExcept(contactNoFilter)

var (
	contactFolderFilterable = withExtFilter(nameFilterable("DisplayName", "Id", "ParentFolderId"))
	contactFolderKind       = namedKind{typ: "ContactFolder", nameProp: "DisplayName", ignored: []string{"ParentFolderId"}}
)

// contactsRootID is the parent of the default contact folder (the root of
// the mailbox's folder tree).
func (u *MailboxUser) contactsRootID() string { return u.su.WellKnown["msgfolderroot"] }

func (u *MailboxUser) defaultContactFolderLocked() *Record {
	return u.defaultRecordLocked(EntityContactFolder, "WellKnownName", "contacts")
}

// contactFolderLocked resolves a contact folder id (or "contacts").
func (u *MailboxUser) contactFolderLocked(id string) *Record {
	if strings.EqualFold(id, "contacts") {
		return u.defaultContactFolderLocked()
	}
	return u.recordOf(EntityContactFolder, id)
}

func isAddress(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for k, x := range m {
		if _, isStr := x.(string); !addressProps[k] || (!isStr && x != nil) {
			return false
		}
	}
	return true
}

func stringList(v any) bool {
	list, ok := v.([]any)
	return ok && !slices.ContainsFunc(list, func(e any) bool { _, s := e.(string); return !s })
}

// validateContact checks a create or update body.
func validateContact(rq *MailboxRequest, body map[string]any) (Entity, *Reply) {
	out := Entity{}
	for k, v := range body {
		switch {
		case strings.HasPrefix(k, "@"), contactReadOnly[k]:
			continue
		case contactBetaOnly[k] && rq.Version != "beta":
			return nil, unknownProperty(k, "Contact")
		}
		var ok bool
		switch {
		case v == nil:
			out[k] = nil
			continue
		case contactStrings[k]:
			_, ok = v.(string)
		case contactStringLists[k]:
			ok = stringList(v)
		case contactAddresses[k]:
			ok = isAddress(v)
		case k == "Birthday":
			s, _ := v.(string)
			var t time.Time
			t, ok = parseFilterTime(s)
			if ok {
				v = fmtTime(t)
			}
		case k == "EmailAddresses":
			var list []any
			list, ok = v.([]any)
			for i, e := range list {
				ea, isMap := e.(map[string]any)
				addr, _ := ea["Address"].(string)
				if !isMap || !strings.Contains(addr, "@") {
					ok = false
					break
				}
				name, _ := ea["Name"].(string)
				if name == "" {
					name = addr
				}
				list[i] = map[string]any{"Name": name, "Address": addr}
			}
		case k == "SingleValueExtendedProperties" || k == "MultiValueExtendedProperties" || k == "Extensions":
			_, ok = v.([]any)
		case k == "Flag":
			_, ok = v.(map[string]any)
		case k == "Gender" || k == "WeddingAnniversary":
			_, ok = v.(string)
		case k == "Phones" || k == "Websites" || k == "PostalAddresses":
			_, ok = v.([]any)
		default:
			return nil, unknownProperty(k, "Contact")
		}
		if !ok {
			return nil, invalidValue(k)
		}
		out[k] = v
	}
	return out, nil
}

func (u *MailboxUser) newContactDoc(props Entity) Entity {
	doc := Entity{
		"EmailAddresses": []any{}, "BusinessPhones": []any{}, "HomePhones": []any{}, "ImAddresses": []any{},
		"Children": []any{}, "Categories": []any{}, "HomeAddress": map[string]any{}, "BusinessAddress": map[string]any{},
		"OtherAddress": map[string]any{}, "Birthday": nil,
	}
	for k := range contactStrings {
		doc[k] = nil
	}
	for k, v := range props {
		doc[k] = v
	}
	finishContactDoc(doc)
	return doc
}

// finishContactDoc derives DisplayName and FileAs when they are empty.
func finishContactDoc(doc Entity) {
	name := func(keys ...string) string {
		var parts []string
		for _, k := range keys {
			if s, _ := doc[k].(string); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	if s, _ := doc["DisplayName"].(string); s == "" {
		doc["DisplayName"] = name("GivenName", "MiddleName", "Surname")
	}
	if s, _ := doc["FileAs"].(string); s == "" {
		doc["FileAs"] = name("Surname", "GivenName")
	}
	for _, k := range []string{"HomeAddress", "BusinessAddress", "OtherAddress"} {
		if doc[k] == nil {
			doc[k] = map[string]any{}
		}
	}
	for k := range contactStringLists {
		if doc[k] == nil {
			doc[k] = []any{}
		}
	}
	if doc["EmailAddresses"] == nil {
		doc["EmailAddresses"] = []any{}
	}
}

func (u *MailboxUser) renderContact(rq *MailboxRequest, r *Record) Entity {
	doc := rq.itemDoc(r, "Contacts", contactOnRequest, contactBetaOnly)
	doc["ParentFolderId"] = r.FolderID
	return SelectProperties(doc, rq.selectList(), "Id")
}

func (u *MailboxUser) renderContactFolder(rq *MailboxRequest, r *Record) Entity {
	doc := deepCopy(r.Doc).(Entity)
	if rq.Version != "beta" {
		delete(doc, "WellKnownName")
	}
	doc["@odata.id"] = rq.EntityURL("ContactFolders", r.ID)
	if rq.expands("ChildFolders") {
		kids := []any{}
		for _, c := range u.recordsLocked(EntityContactFolder, r.ID) {
			kids = append(kids, u.renderContactFolder(rq, c))
		}
		doc["ChildFolders"] = kids
		return SelectProperties(doc, rq.selectList(), "Id", "ChildFolders")
	}
	return SelectProperties(doc, rq.selectList(), "Id")
}

func (u *MailboxUser) listContactsLocked(rq *MailboxRequest, f *Record, ctx string) *Reply {
	if rq.isSync() {
		if rep := syncOptionsReply(rq, "synchronization", "$filter", "$orderby", "$search", "$top"); rep != nil {
			return rep
		}
		return u.syncRound(rq, "c:"+f.ID, u.recordsLocked(EntityContact, f.ID),
			func(t tombstone) bool { return t.Type == EntityContact && t.FolderID == f.ID },
			nil, func(r *Record) Entity { return u.renderContact(rq, r) }, ctx, ctx)
	}
	return listReply(rq, u.recordsLocked(EntityContact, f.ID), listConfig{
		filterable: contactFilterable, defaultOrder: []OrderClause{{Path: []string{"DisplayName"}}}, oldestFirst: true,
	}, u.renderContact, ctx)
}

// deleteContactFolderLocked deletes a folder with its contacts and
// subfolders.
func (u *MailboxUser) deleteContactFolderLocked(f *Record) {
	for _, c := range u.recordsLocked(EntityContactFolder, f.ID) {
		u.deleteContactFolderLocked(c)
	}
	for _, c := range u.recordsLocked(EntityContact, f.ID) {
		u.deleteContactLocked(c)
	}
	u.removeLocked(f)
}

func (u *MailboxUser) deleteContactLocked(c *Record) {
	if p := u.recordOf(entityContactPhoto, contactPhotoID(c.ID)); p != nil {
		u.removeLocked(p)
	}
	u.removeLocked(c)
}

func (m *Mailbox) registerContacts() {
	withFolder := func(h recordHandler) MailboxHandler {
		return pim(withRecord("fid", (*MailboxUser).contactFolderLocked, h))
	}
	withContact := func(h recordHandler) MailboxHandler { return pim(withRecord("id", ofType(EntityContact), h)) }
	create := func(rq *MailboxRequest, f *Record) *Reply {
		u := rq.User
		props, rep := decodeWith(rq, validateContact)
		if rep != nil {
			return rep
		}
		if s, _ := props["GivenName"].(string); strings.TrimSpace(s) == "" {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The GivenName of a contact is required.")
		}
		r := u.insertLocked(EntityContact, f.ID, u.newContactDoc(props))
		return entityReply(rq, http.StatusCreated, "Contacts/$entity", u.renderContact(rq, r))
	}
	defaultFolder := func(h func(rq *MailboxRequest, f *Record) *Reply) MailboxHandler {
		return pim(func(rq *MailboxRequest) *Reply { return h(rq, rq.User.defaultContactFolderLocked()) })
	}

	m.Handle("GET", "contacts", defaultFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return rq.User.listContactsLocked(rq, f, "Contacts")
	}))
	m.Handle("GET", "contacts/$count", defaultFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return countReply(rq, rq.User.recordsLocked(EntityContact, f.ID), contactFilterable)
	}))
	m.Handle("POST", "contacts", defaultFolder(create))
	m.Handle("GET", "contactfolders/{fid}/contacts", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return rq.User.listContactsLocked(rq, f, "ContactFolders('"+f.ID+"')/Contacts")
	}))
	m.Handle("GET", "contactfolders/{fid}/contacts/$count", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return countReply(rq, rq.User.recordsLocked(EntityContact, f.ID), contactFilterable)
	}))
	m.Handle("POST", "contactfolders/{fid}/contacts", withFolder(create))
	m.Handle("GET", "contacts/{id}", withContact(func(rq *MailboxRequest, c *Record) *Reply {
		return entityReply(rq, http.StatusOK, "Contacts/$entity", rq.User.renderContact(rq, c))
	}))
	m.Handle("GET", "contactfolders/{fid}/contacts/{id}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		c := rq.User.recordOf(EntityContact, rq.Param("id"))
		if c == nil || c.FolderID != f.ID {
			return notFound()
		}
		return entityReply(rq, http.StatusOK, "Contacts/$entity", rq.User.renderContact(rq, c))
	}))
	m.Handle("PATCH", "contacts/{id}", withContact(func(rq *MailboxRequest, c *Record) *Reply {
		u := rq.User
		props, rep := decodeWith(rq, validateContact)
		if rep != nil {
			return rep
		}
		prev := deepCopy(c.Doc).(Entity)
		for k, v := range props {
			c.Doc[k] = v
		}
		finishContactDoc(c.Doc)
		u.touchLocked(c, prev)
		return entityReply(rq, http.StatusOK, "Contacts/$entity", u.renderContact(rq, c))
	}))
	m.Handle("DELETE", "contacts/{id}", withContact(func(rq *MailboxRequest, c *Record) *Reply {
		rq.User.deleteContactLocked(c)
		return EmptyReply(http.StatusNoContent)
	}))

	// Folders.
	listFolders := func(rq *MailboxRequest, parent *Record, ctx string) *Reply {
		u := rq.User
		return listReply(rq, u.recordsLocked(EntityContactFolder, parent.ID), listConfig{filterable: contactFolderFilterable, oldestFirst: true}, u.renderContactFolder, ctx)
	}
	createFolder := func(rq *MailboxRequest, parent *Record) *Reply {
		u := rq.User
		props, rep := contactFolderKind.decode(rq, true)
		if rep != nil {
			return rep
		}
		if contactFolderKind.nameTakenLocked(u.recordsLocked(EntityContactFolder, parent.ID), props["DisplayName"]) {
			return ErrorReply(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
		}
		props["ParentFolderId"] = parent.ID
		r := u.insertLocked(EntityContactFolder, parent.ID, props)
		return entityReply(rq, http.StatusCreated, "ContactFolders/$entity", u.renderContactFolder(rq, r))
	}
	m.Handle("GET", "contactfolders", defaultFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return listFolders(rq, f, "ContactFolders")
	}))
	m.Handle("GET", "contactfolders/$count", defaultFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return countReply(rq, rq.User.recordsLocked(EntityContactFolder, f.ID), contactFolderFilterable)
	}))
	m.Handle("POST", "contactfolders", defaultFolder(createFolder))
	m.Handle("GET", "contactfolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return entityReply(rq, http.StatusOK, "ContactFolders/$entity", rq.User.renderContactFolder(rq, f))
	}))
	m.Handle("GET", "contactfolders/{fid}/childfolders", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return listFolders(rq, f, "ContactFolders('"+f.ID+"')/ChildFolders")
	}))
	m.Handle("POST", "contactfolders/{fid}/childfolders", withFolder(createFolder))
	m.Handle("PATCH", "contactfolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		rep := contactFolderKind.patchLocked(rq, f, func(props Entity) *Reply {
			if _, ok := props["DisplayName"]; ok && f.Doc["WellKnownName"] == "contacts" {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The default contact folder cannot be renamed.")
			}
			return nil
		})
		if rep != nil {
			return rep
		}
		return entityReply(rq, http.StatusOK, "ContactFolders/$entity", rq.User.renderContactFolder(rq, f))
	}))
	m.Handle("DELETE", "contactfolders/{fid}", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		if f.Doc["WellKnownName"] == "contacts" {
			return ErrorReply(http.StatusBadRequest, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.")
		}
		rq.User.deleteContactFolderLocked(f)
		return EmptyReply(http.StatusNoContent)
	}))
}
