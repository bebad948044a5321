package office365test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The CRUD shapes the Mail, Calendar, Contacts and Tasks fakes share:
// resolving the record a path names, answering a collection read,
// creating and updating named containers (calendars, groups, folders),
// rendering items, and attachments of messages and events.

// recordHandler handles a request about one resolved record.
type recordHandler = func(rq *MailboxRequest, r *Record) *Reply

// withRecord resolves the path parameter param with find and calls h with
// the record; it answers 404 ErrorItemNotFound when find returns nil.
func withRecord(param string, find func(u *MailboxUser, id string) *Record, h recordHandler) MailboxHandler {
	return func(rq *MailboxRequest) *Reply {
		r := find(rq.User, rq.Param(param))
		if r == nil {
			return notFound()
		}
		return h(rq, r)
	}
}

// ofType finds a record of one entity type by id.
func ofType(typ EntityType) func(u *MailboxUser, id string) *Record {
	return func(u *MailboxUser, id string) *Record { return u.recordOf(typ, id) }
}

// filterableExcept allows $filter and $orderby on every property but the
// ones in deny.
func filterableExcept(deny map[string]bool) func(p []string) error {
	return func(p []string) error {
		if deny[p[0]] {
			return fmt.Errorf("The property '%s' does not support filtering.", p[0])
		}
		return nil
	}
}

// defaultRecordLocked returns the user's default container of typ: the
// one whose property prop is want (after creating the PIM defaults).
func (u *MailboxUser) defaultRecordLocked(typ EntityType, prop string, want any) *Record {
	u.pimDefaultsLocked()
	for _, r := range u.recordsLocked(typ, "") {
		if r.Doc[prop] == want {
			return r
		}
	}
	return nil
}

// insertItemLocked stores a new message or event with copies of its
// attachments (each with a new id) and its WebLink, which needs the id.
func (u *MailboxUser) insertItemLocked(typ EntityType, folderID string, doc Entity, atts []Entity, webLink func(id string) string) *Record {
	r := u.insertLocked(typ, folderID, doc)
	for _, a := range atts {
		a = deepCopy(a).(Entity)
		a["Id"] = u.m.st.NewIDLocked("attachment")
		r.Attachments = append(r.Attachments, a)
	}
	u.setHasAttachments(r)
	r.Doc["WebLink"] = webLink(r.ID)
	// The emitted Created change must show the final document.
	u.m.st.RefreshPendingLocked(r)
	return r
}

// listReply answers a collection read of recs: the OData query options
// that cfg allows, then every record of the page rendered with render.
func listReply(rq *MailboxRequest, recs []*Record, cfg listConfig, render func(*MailboxRequest, *Record) Entity, ctx string) *Reply {
	page, total, next, rep := queryRecords(rq, recs, cfg)
	if rep != nil {
		return rep
	}
	val := make([]any, 0, len(page))
	for _, r := range page {
		val = append(val, render(rq, r))
	}
	return collectionReply(rq, ctx, val, total, next, nil)
}

// decodeWith reads the JSON object body and validates it with validate.
func decodeWith(rq *MailboxRequest, validate func(*MailboxRequest, map[string]any) (Entity, *Reply)) (Entity, *Reply) {
	body, rep := decodeObject(rq)
	if rep != nil {
		return nil, rep
	}
	return validate(rq, body)
}

// namedKind describes a named container entity (calendar, calendar group,
// contact folder, task folder, task group): how its bodies are validated.
type namedKind struct {
	typ       string // entity type, for error messages ("Calendar")
	nameProp  string // "Name" or "DisplayName"
	changeKey bool   // the entity has a ChangeKey, renewed on update
	// ignored are properties a body may carry that are dropped unread.
	ignored []string
	// extra validates the other writable properties (nil: none).
	extra func(k string, v any) (any, *Reply)
}

// decode reads and validates the body of a create (required: the name
// must be given) or an update of a named container.
func (k namedKind) decode(rq *MailboxRequest, required bool) (Entity, *Reply) {
	body, rep := decodeObject(rq)
	if rep != nil {
		return nil, rep
	}
	for _, p := range k.ignored {
		delete(body, p)
	}
	return k.validate(body, required)
}

// validate checks a body with the string property nameProp (non-empty;
// required on create) and optional others; it returns the properties to
// set. Id and ChangeKey are ignored; extended properties are kept for the
// Extensibility fake.
func (kind namedKind) validate(body map[string]any, required bool) (Entity, *Reply) {
	out := Entity{}
	for k, v := range body {
		if strings.HasPrefix(k, "@") {
			continue
		}
		switch {
		case k == kind.nameProp:
			s, ok := v.(string)
			if !ok || strings.TrimSpace(s) == "" {
				return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The "+kind.nameProp+" must be a non-empty string.")
			}
			out[k] = s
		case k == "Id" || k == "ChangeKey":
		case k == "SingleValueExtendedProperties" || k == "MultiValueExtendedProperties":
			if _, ok := v.([]any); !ok && v != nil {
				return nil, invalidValue(k)
			}
			out[k] = v
		default:
			if kind.extra == nil {
				return nil, unknownProperty(k, kind.typ)
			}
			x, rep := kind.extra(k, v)
			if rep != nil {
				return nil, rep
			}
			out[k] = x
		}
	}
	if _, ok := out[kind.nameProp]; required && !ok {
		return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The "+kind.nameProp+" is required.")
	}
	return out, nil
}

// nameTakenLocked reports whether one of siblings already has name (any
// case).
func (k namedKind) nameTakenLocked(siblings []*Record, name any) bool {
	return slices.ContainsFunc(siblings, func(r *Record) bool {
		return strings.EqualFold(fmt.Sprint(r.Doc[k.nameProp]), fmt.Sprint(name))
	})
}

// patchLocked applies a PATCH to r: the body is validated, guard (when
// given) may refuse the validated properties, then they are stored and the
// change recorded. It returns nil on success.
func (k namedKind) patchLocked(rq *MailboxRequest, r *Record, guard func(props Entity) *Reply) *Reply {
	props, rep := k.decode(rq, false)
	if rep != nil {
		return rep
	}
	if guard != nil {
		if rep := guard(props); rep != nil {
			return rep
		}
	}
	u := rq.User
	prev := deepCopy(r.Doc).(Entity)
	for p, v := range props {
		r.Doc[p] = v
	}
	if k.changeKey {
		r.Doc["ChangeKey"] = u.m.st.NewChangeKeyLocked()
	}
	u.touchLocked(r, prev)
	return nil
}

// itemDoc copies an item's document for a response without the properties
// returned only when asked for (onRequest: unless selected or expanded)
// or only on beta (betaOnly: unless the request is on beta), with its
// @odata.id (in collection coll) and @odata.etag.
func (rq *MailboxRequest) itemDoc(r *Record, coll string, onRequest, betaOnly map[string]bool) Entity {
	doc := deepCopy(r.Doc).(Entity)
	sel := rq.selectList()
	selected := func(p string) bool {
		return slices.ContainsFunc(sel, func(s string) bool { return strings.EqualFold(s, p) })
	}
	for k := range doc {
		if rq.Version != "beta" && betaOnly[k] || onRequest[k] && !selected(k) && !rq.expands(k) {
			delete(doc, k)
		}
	}
	doc["@odata.id"] = rq.EntityURL(coll, r.ID)
	doc["@odata.etag"] = `W/"` + fmt.Sprint(r.Doc["ChangeKey"]) + `"`
	return doc
}

// expandAttachments adds the item's attachments to doc when $expand asks
// for them (ctxName is the item's entity set, "Messages" or "Events") and
// returns the properties that $select must keep.
func (rq *MailboxRequest) expandAttachments(doc Entity, r *Record, ctxName string) []string {
	if !rq.expands("Attachments") {
		return nil
	}
	atts := []any{}
	for _, a := range r.Attachments {
		atts = append(atts, renderAttachment(rq, a, false))
	}
	doc["Attachments"] = atts
	doc["Attachments@odata.context"] = rq.Context(ctxName + "('" + r.ID + "')/Attachments")
	return []string{"Attachments", "Attachments@odata.context"}
}

// attachmentHandler handles a request about attachment i of item r.
type attachmentHandler = func(rq *MailboxRequest, r *Record, i int) *Reply

// registerAttachments adds the attachment routes of an item collection
// (coll "messages" or "events", entity set ctxName): list, $count, add, get
// and delete. read resolves the item for reads, write the item that
// stores a change (an occurrence's exception). It returns the wrapper that
// resolves {aid} on a read, for more routes.
func (m *Mailbox) registerAttachments(coll, ctxName string, read, write func(recordHandler) MailboxHandler) func(attachmentHandler) MailboxHandler {
	withAttachment := func(resolve func(recordHandler) MailboxHandler, h attachmentHandler) MailboxHandler {
		return resolve(func(rq *MailboxRequest, r *Record) *Reply {
			i := slices.IndexFunc(r.Attachments, func(a Entity) bool { return a["Id"] == rq.Param("aid") })
			if i < 0 {
				return notFound()
			}
			return h(rq, r, i)
		})
	}
	entityCtx := func(r *Record) string { return ctxName + "('" + r.ID + "')/Attachments" }
	m.Handle("GET", coll+"/{id}/attachments", read(func(rq *MailboxRequest, r *Record) *Reply {
		val := make([]any, 0, len(r.Attachments))
		for _, a := range r.Attachments {
			val = append(val, renderAttachment(rq, a, rq.expands("Item")))
		}
		return collectionReply(rq, entityCtx(r), val, len(val), "", nil)
	}))
	m.Handle("GET", coll+"/{id}/attachments/$count", read(func(rq *MailboxRequest, r *Record) *Reply {
		return &Reply{Status: http.StatusOK, Raw: []byte(fmt.Sprint(len(r.Attachments))), ContentType: "text/plain;charset=utf-8"}
	}))
	m.Handle("POST", coll+"/{id}/attachments", write(func(rq *MailboxRequest, r *Record) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		a, rep := validateAttachment(body, u.m.clock())
		if rep != nil {
			return rep
		}
		a["Id"] = u.m.st.NewIDLocked("attachment")
		prev := deepCopy(r.Doc).(Entity)
		r.Attachments = append(r.Attachments, a)
		u.setHasAttachments(r)
		u.touchLocked(r, prev)
		return entityReply(rq, http.StatusCreated, entityCtx(r)+"/$entity", renderAttachment(rq, a, true))
	}))
	m.Handle("GET", coll+"/{id}/attachments/{aid}", withAttachment(read, func(rq *MailboxRequest, r *Record, i int) *Reply {
		return entityReply(rq, http.StatusOK, entityCtx(r)+"/$entity", renderAttachment(rq, r.Attachments[i], rq.expands("Item")))
	}))
	m.Handle("DELETE", coll+"/{id}/attachments/{aid}", withAttachment(write, func(rq *MailboxRequest, r *Record, i int) *Reply {
		prev := deepCopy(r.Doc).(Entity)
		r.Attachments = slices.Delete(r.Attachments, i, i+1)
		rq.User.setHasAttachments(r)
		rq.User.touchLocked(r, prev)
		return EmptyReply(http.StatusNoContent)
	}))
	return func(h attachmentHandler) MailboxHandler { return withAttachment(read, h) }
}
