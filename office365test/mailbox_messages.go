package office365test

import (
	"encoding/base64"
	"fmt"
	"html"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Message properties: writable ones, read-only ones (ignored on input),
// beta-only ones, and those returned only when selected or expanded.
var (
	messageWritable = set("BccRecipients", "Body", "Categories", "CcRecipients", "Flag", "From", "Importance",
		"InferenceClassification", "IsDeliveryReceiptRequested", "IsRead", "IsReadReceiptRequested", "ReplyTo", "Sender",
		"Subject", "ToRecipients", "SingleValueExtendedProperties", "MultiValueExtendedProperties", "Extensions",
		"InternetMessageHeaders", "Attachments")
	messageReadOnly = set("Id", "CreatedDateTime", "LastModifiedDateTime", "ChangeKey", "BodyPreview", "ConversationId",
		"ConversationIndex", "HasAttachments", "InternetMessageId", "IsDraft", "ParentFolderId", "ReceivedDateTime",
		"SentDateTime", "UniqueBody", "WebLink", "UnsubscribeData", "UnsubscribeEnabled", "MentionsPreview", "Event",
		"MeetingMessageType")
	messageBetaOnly   = set("Mentions", "MentionsPreview", "UnsubscribeData", "UnsubscribeEnabled", "ConversationIndex")
	messageOnRequest  = set("UniqueBody", "InternetMessageHeaders", "SingleValueExtendedProperties", "MultiValueExtendedProperties", "Extensions", "Mentions", "Attachments", "Event")
	messageNoFilter   = set("ChangeKey", "Body", "BodyPreview", "UniqueBody", "ToRecipients", "CcRecipients", "BccRecipients", "ReplyTo", "WebLink", "Attachments", "InternetMessageHeaders", "ConversationIndex")
	eventMessagePatch = set("From", "Sender", "ToRecipients", "CcRecipients", "BccRecipients", "ReplyTo", "IsDeliveryReceiptRequested",
		"IsReadReceiptRequested", "IsDraft", "IsRead", "Subject", "Body", "Importance", "Categories")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

const (
	odataEventMessage = "#Microsoft.OutlookServices.EventMessage"
	odataFile         = "#Microsoft.OutlookServices.FileAttachment"
	odataItem         = "#Microsoft.OutlookServices.ItemAttachment"
	odataReference    = "#Microsoft.OutlookServices.ReferenceAttachment"
)

var messageFilterable = filterableExcept(messageNoFilter)

// validateMessage checks a create or update body and returns the
// properties to store (null values as nil) and the attachments.
func validateMessage(rq *MailboxRequest, body map[string]any, patch bool) (Entity, []Entity, *Reply) {
	out := Entity{}
	var atts []Entity
	for k, v := range body {
		if strings.HasPrefix(k, "@") {
			if k == "@odata.type" {
				if t, _ := v.(string); strings.EqualFold(strings.TrimPrefix(t, "#"), strings.TrimPrefix(odataEventMessage, "#")) && !patch {
					return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "An EventMessage cannot be created.")
				}
			}
			continue
		}
		switch {
		case messageWritable[k], k == "Mentions" && rq.Version == "beta":
		case messageReadOnly[k] && (!messageBetaOnly[k] || rq.Version == "beta"):
			continue
		default:
			return nil, nil, unknownProperty(k, "Message")
		}
		if v == nil {
			if k == "Attachments" {
				continue
			}
			out[k] = nil
			continue
		}
		switch k {
		case "Subject":
			if _, ok := v.(string); !ok {
				return nil, nil, invalidValue(k)
			}
		case "Body":
			b, ok := normalizeBody(v)
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = b
		case "Importance":
			s, ok := canonicalEnum(v, "Low", "Normal", "High")
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = s
		case "InferenceClassification":
			s, ok := canonicalEnum(v, "Focused", "Other")
			if !ok {
				return nil, nil, invalidValue(k)
			}
			v = s
		case "IsRead", "IsDeliveryReceiptRequested", "IsReadReceiptRequested":
			if _, ok := v.(bool); !ok {
				return nil, nil, invalidValue(k)
			}
		case "ToRecipients", "CcRecipients", "BccRecipients", "ReplyTo":
			list, ok := rq.Mailbox.normalizeRecipients(v)
			if !ok {
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient in '"+k+"' is not valid.")
			}
			v = list
		case "From", "Sender":
			r, ok := rq.Mailbox.normalizeRecipient(v)
			if !ok {
				return nil, nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "The '"+k+"' recipient is not valid.")
			}
			v = r
		case "Categories":
			list, ok := v.([]any)
			if !ok || slices.ContainsFunc(list, func(e any) bool { _, s := e.(string); return !s }) {
				return nil, nil, invalidValue(k)
			}
		case "Flag":
			f, ok := v.(map[string]any)
			if !ok {
				return nil, nil, invalidValue(k)
			}
			for fk, fv := range f {
				switch fk {
				case "FlagStatus":
					s, ok := canonicalEnum(fv, "NotFlagged", "Complete", "Flagged")
					if !ok {
						return nil, nil, invalidValue("FlagStatus")
					}
					f[fk] = s
				case "StartDateTime", "DueDateTime", "CompletedDateTime":
					if fv != nil && !isDTTZ(fv) {
						return nil, nil, invalidValue(fk)
					}
				default:
					return nil, nil, unknownProperty(fk, "FollowupFlag")
				}
			}
		case "Attachments":
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

func isDTTZ(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok1 := m["DateTime"].(string)
	_, ok2 := m["TimeZone"].(string)
	return ok1 && ok2
}

func normalizeBody(v any) (map[string]any, bool) {
	b, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	out := map[string]any{"ContentType": "Text", "Content": ""}
	for k, x := range b {
		switch k {
		case "ContentType":
			s, ok := canonicalEnum(x, "Text", "HTML")
			if !ok {
				return nil, false
			}
			out[k] = s
		case "Content":
			s, ok := x.(string)
			if !ok && x != nil {
				return nil, false
			}
			out[k] = s
		default:
			return nil, false
		}
	}
	return out, true
}

func (m *Mailbox) normalizeRecipients(v any) ([]any, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		r, ok := m.normalizeRecipient(e)
		if !ok {
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}

// normalizeRecipient checks {"EmailAddress":{"Address","Name"}} and fills
// the name in as the service does.
func (m *Mailbox) normalizeRecipient(v any) (map[string]any, bool) {
	r, ok := v.(map[string]any)
	if !ok || len(r) != 1 {
		return nil, false
	}
	ea, ok := r["EmailAddress"].(map[string]any)
	if !ok {
		return nil, false
	}
	addr, _ := ea["Address"].(string)
	if !strings.Contains(addr, "@") || strings.ContainsAny(addr, " <>") {
		return nil, false
	}
	name, _ := ea["Name"].(string)
	for k := range ea {
		if k != "Address" && k != "Name" {
			return nil, false
		}
	}
	if name == "" {
		name = addr
		if u := m.userLocked(strings.ToLower(addr)); u != nil {
			name = u.DisplayName
		}
	}
	return map[string]any{"EmailAddress": map[string]any{"Name": name, "Address": addr}}, true
}

func recipientMap(address, name string) map[string]any {
	return map[string]any{"EmailAddress": map[string]any{"Name": name, "Address": address}}
}

func recipientAddress(v any) string {
	s, _ := PathValue(asMap(v), []string{"EmailAddress", "Address"}).(string)
	return s
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func asList(v any) []any { l, _ := v.([]any); return l }

// validateAttachments checks the Attachments of an item being created.
func validateAttachments(v any, now time.Time) ([]Entity, *Reply) {
	list, ok := v.([]any)
	if !ok {
		return nil, invalidValue("Attachments")
	}
	out := make([]Entity, 0, len(list))
	for _, e := range list {
		a, rep := validateAttachment(e, now)
		if rep != nil {
			return nil, rep
		}
		out = append(out, a)
	}
	return out, nil
}

// validateAttachment checks an attachment to add and fills in the
// server-side properties.
func validateAttachment(v any, now time.Time) (Entity, *Reply) {
	a, ok := v.(map[string]any)
	if !ok {
		return nil, ErrorReply(http.StatusBadRequest, "RequestBodyRead", "An attachment must be a JSON object.")
	}
	typ, _ := a["@odata.type"].(string)
	typ = "#" + strings.TrimPrefix(typ, "#")
	var allowed map[string]bool
	switch strings.ToLower(typ) {
	case strings.ToLower(odataFile):
		typ, allowed = odataFile, set("ContentBytes", "ContentId", "ContentLocation")
	case strings.ToLower(odataItem):
		typ, allowed = odataItem, set("Item")
	case strings.ToLower(odataReference):
		typ, allowed = odataReference, set("SourceUrl", "ProviderType", "ThumbnailUrl", "PreviewUrl", "Permission", "IsFolder")
	default:
		return nil, ErrorReply(http.StatusBadRequest, "RequestBodyRead",
			"An attachment needs \"@odata.type\" FileAttachment, ItemAttachment or ReferenceAttachment; the abstract type Attachment cannot be created.")
	}
	out := Entity{"@odata.type": typ, "IsInline": false, "LastModifiedDateTime": fmtTime(now)}
	for k, x := range a {
		switch {
		case strings.HasPrefix(k, "@"):
			continue
		case k == "Name" || k == "ContentType":
			s, ok := x.(string)
			if !ok && x != nil {
				return nil, invalidValue(k)
			}
			out[k] = s
		case k == "IsInline":
			b, ok := x.(bool)
			if !ok {
				return nil, invalidValue(k)
			}
			out[k] = b
		case k == "Id" || k == "Size" || k == "LastModifiedDateTime":
		case allowed[k]:
			out[k] = x
		default:
			return nil, unknownProperty(k, strings.TrimPrefix(typ, "#Microsoft.OutlookServices."))
		}
	}
	name, _ := out["Name"].(string)
	if name == "" {
		return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The attachment Name is required.")
	}
	switch typ {
	case odataFile:
		s, _ := out["ContentBytes"].(string)
		data, err := base64.StdEncoding.DecodeString(s)
		if err != nil || out["ContentBytes"] == nil {
			return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "ContentBytes must be base64-encoded content.")
		}
		out["Size"] = len(data)
		if ct, _ := out["ContentType"].(string); ct == "" {
			ct = mime.TypeByExtension(path.Ext(name))
			if ct == "" {
				ct = "application/octet-stream"
			}
			out["ContentType"] = ct
		}
		if _, ok := out["ContentId"]; !ok {
			out["ContentId"] = nil
		}
		if _, ok := out["ContentLocation"]; !ok {
			out["ContentLocation"] = nil
		}
	case odataItem:
		item, ok := out["Item"].(map[string]any)
		if !ok {
			return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "An ItemAttachment needs an Item.")
		}
		if t, _ := item["@odata.type"].(string); t == "" {
			return nil, ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The attached Item needs \"@odata.type\".")
		}
		out["ContentType"] = "message/rfc822"
		out["Size"] = len(fmt.Sprint(item))
	case odataReference:
		if s, _ := out["SourceUrl"].(string); s == "" {
			return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "A ReferenceAttachment needs SourceUrl.")
		}
		if _, ok := out["ProviderType"]; !ok {
			out["ProviderType"] = "Other"
		}
		if _, ok := out["Permission"]; !ok {
			out["Permission"] = "Other"
		}
		if _, ok := out["IsFolder"]; !ok {
			out["IsFolder"] = false
		}
		out["Size"] = 0
	}
	return out, nil
}

// newMessageDoc fills the defaults of a new message.
func (u *MailboxUser) newMessageDoc(props Entity) Entity {
	now := fmtTime(u.m.clock())
	doc := Entity{
		"Subject": "", "Body": map[string]any{"ContentType": "Text", "Content": ""}, "Importance": "Normal",
		"IsRead": true, "IsDraft": true, "InferenceClassification": "Focused", "ToRecipients": []any{},
		"CcRecipients": []any{}, "BccRecipients": []any{}, "ReplyTo": []any{}, "Categories": []any{},
		"Flag": map[string]any{"FlagStatus": "NotFlagged"}, "IsDeliveryReceiptRequested": false,
		"IsReadReceiptRequested": false, "HasAttachments": false, "ReceivedDateTime": now, "SentDateTime": now,
		"ConversationId": u.m.st.NewIDLocked("conversation"), "From": nil, "Sender": nil,
		"InternetMessageId": "<" + strings.ToLower(strings.Trim(u.m.st.NewIDLocked("imid")[:20], "/+=")) + "@" + domainOf(u.UPN) + ">",
	}
	for k, v := range props {
		if v == nil && k != "From" && k != "Sender" {
			continue
		}
		doc[k] = v
	}
	finishMessageDoc(doc)
	return doc
}

// finishMessageDoc recomputes derived properties.
func finishMessageDoc(doc Entity) {
	body := asMap(doc["Body"])
	content, _ := body["Content"].(string)
	if ct, _ := body["ContentType"].(string); ct == "HTML" {
		content = htmlToText(content)
	}
	content = strings.Join(strings.Fields(content), " ")
	if utf8.RuneCountInString(content) > 255 {
		content = string([]rune(content)[:255])
	}
	doc["BodyPreview"] = content
	if body != nil {
		doc["UniqueBody"] = deepCopy(body)
	}
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "contoso.com"
}

func (u *MailboxUser) setHasAttachments(r *Record) {
	has := false
	for _, a := range r.Attachments {
		if inline, _ := a["IsInline"].(bool); !inline {
			has = true
		}
	}
	r.Doc["HasAttachments"] = has
}

// insertMessageLocked stores a message with attachments in folderID.
func (u *MailboxUser) insertMessageLocked(folderID string, doc Entity, atts []Entity) *Record {
	doc["ParentFolderId"] = folderID
	if _, ok := doc["WebLink"]; !ok {
		doc["WebLink"] = ""
	}
	return u.insertItemLocked(EntityMessage, folderID, doc, atts, func(id string) string {
		return "https://outlook.office365.com/owa/?ItemID=" + strings.ReplaceAll(id, "/", "%2F") + "&exvsurl=1&viewmodel=ReadMessageItem"
	})
}

// copyMessageLocked copies a message (new id) into folderID.
func (u *MailboxUser) copyMessageLocked(r *Record, folderID string) *Record {
	doc := deepCopy(r.Doc).(Entity)
	delete(doc, "Id")
	delete(doc, "CreatedDateTime")
	return u.insertMessageLocked(folderID, doc, r.Attachments)
}

// renderMessage shapes a stored message for a response.
func (u *MailboxUser) renderMessage(rq *MailboxRequest, r *Record) Entity {
	doc := rq.itemDoc(r, "Messages", messageOnRequest, messageBetaOnly)
	doc["ParentFolderId"] = r.FolderID
	if rq.Version == "beta" {
		if _, ok := doc["MentionsPreview"]; !ok {
			doc["MentionsPreview"] = nil
		}
	}
	always := append([]string{"Id"}, rq.expandAttachments(doc, r, "Messages")...)
	if rq.expands("Mentions") && rq.Version == "beta" {
		if _, ok := doc["Mentions"]; !ok {
			doc["Mentions"] = []any{}
		}
		always = append(always, "Mentions")
	}
	rq.shape(doc)
	return SelectProperties(doc, rq.selectList(), always...)
}

func renderAttachment(rq *MailboxRequest, a Entity, withItem bool) Entity {
	doc := deepCopy(a).(Entity)
	if doc["@odata.type"] == odataItem && !withItem {
		delete(doc, "Item")
	}
	return SelectProperties(doc, rq.selectList(), "Id")
}

func (u *MailboxUser) messageLocked(id string) *Record {
	if r := u.su.Items[id]; r != nil && r.Type == EntityMessage {
		return r
	}
	return nil
}

func notFound() *Reply {
	return ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

// mailboxWideLocked returns the messages of every folder except Deleted
// Items and Clutter, as GET {root}/messages does.
func (u *MailboxUser) mailboxWideLocked() []*Record {
	deleted := u.su.WellKnown["deleteditems"]
	var out []*Record
	for _, r := range u.su.Items {
		if r.Type == EntityMessage && r.FolderID != deleted && !u.isDescendantLocked(r.FolderID, deleted) {
			out = append(out, r)
		}
	}
	return out
}

func (u *MailboxUser) listMessagesLocked(rq *MailboxRequest, recs []*Record, ctx string) *Reply {
	return listReply(rq, recs, listConfig{
		filterable:   messageFilterable,
		defaultOrder: []OrderClause{{Path: []string{"ReceivedDateTime"}, Desc: true}},
		search:       searchMessage,
		searchOrder:  []OrderClause{{Path: []string{"SentDateTime"}, Desc: true}},
	}, u.renderMessage, ctx)
}

// searchMessage implements $search: every term must match; free terms look
// at subject, body and sender; "subject:", "body:", "from:", "to:", "cc:",
// "bcc:", "participants:", "category:", "attachment:" and
// "hasattachment:"/"has:attachment" narrow to one property.
func searchMessage(r *Record, terms []searchTerm) bool {
	doc := r.Doc
	text := func(v any) string { s, _ := v.(string); return strings.ToLower(s) }
	body := asMap(doc["Body"])
	bodyText := text(body["Content"])
	if body["ContentType"] == "HTML" {
		bodyText = strings.ToLower(htmlToText(bodyText))
	}
	recips := func(keys ...string) string {
		var b strings.Builder
		for _, k := range keys {
			for _, e := range asList(doc[k]) {
				ea := asMap(asMap(e)["EmailAddress"])
				b.WriteString(text(ea["Address"]) + " " + text(ea["Name"]) + " ")
			}
		}
		return b.String()
	}
	from := func() string {
		ea := asMap(asMap(doc["From"])["EmailAddress"])
		return text(ea["Address"]) + " " + text(ea["Name"])
	}
	for _, t := range terms {
		var hay string
		switch t.prop {
		case "":
			hay = text(doc["Subject"]) + " " + bodyText + " " + from()
		case "subject":
			hay = text(doc["Subject"])
		case "body", "content":
			hay = bodyText
		case "from", "sender":
			hay = from()
		case "to":
			hay = recips("ToRecipients")
		case "cc":
			hay = recips("CcRecipients")
		case "bcc":
			hay = recips("BccRecipients")
		case "participants":
			hay = recips("ToRecipients", "CcRecipients", "BccRecipients")
		case "category":
			for _, c := range asList(doc["Categories"]) {
				hay += text(c) + " "
			}
		case "attachment":
			for _, a := range r.Attachments {
				hay += text(a["Name"]) + " "
			}
		case "has", "hasattachment", "hasattachments":
			want := t.value == "attachment" || t.value == "attachments" || t.value == "true"
			if has, _ := doc["HasAttachments"].(bool); has != want {
				return false
			}
			continue
		default:
			hay = text(doc["Subject"]) + " " + bodyText
		}
		if !strings.Contains(hay, t.value) {
			return false
		}
	}
	return true
}

func (m *Mailbox) registerMessages() {
	withMessage := func(h recordHandler) MailboxHandler { return withRecord("id", (*MailboxUser).messageLocked, h) }
	withFolder := func(h recordHandler) MailboxHandler { return withRecord("fid", (*MailboxUser).folderLocked, h) }
	create := func(rq *MailboxRequest, folderID string) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		props, atts, rep := validateMessage(rq, body, false)
		if rep != nil {
			return rep
		}
		r := u.insertMessageLocked(folderID, u.newMessageDoc(props), atts)
		return entityReply(rq, http.StatusCreated, "Messages/$entity", u.renderMessage(rq, r))
	}

	m.Handle("GET", "messages", func(rq *MailboxRequest) *Reply {
		return rq.User.listMessagesLocked(rq, rq.User.mailboxWideLocked(), "Messages")
	})
	m.Handle("GET", "messages/$count", func(rq *MailboxRequest) *Reply {
		return countReply(rq, rq.User.mailboxWideLocked(), messageFilterable)
	})
	m.Handle("POST", "messages", func(rq *MailboxRequest) *Reply { return create(rq, rq.User.su.WellKnown["drafts"]) })
	m.Handle("GET", "MailFolders/{fid}/messages", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		if rq.isSync() {
			return rq.User.messageDeltaLocked(rq, f)
		}
		return rq.User.listMessagesLocked(rq, rq.User.recordsLocked(EntityMessage, f.ID), "MailFolders('"+f.ID+"')/Messages")
	}))
	m.Handle("GET", "MailFolders/{fid}/messages/$count", withFolder(func(rq *MailboxRequest, f *Record) *Reply {
		return countReply(rq, rq.User.recordsLocked(EntityMessage, f.ID), messageFilterable)
	}))
	m.Handle("POST", "MailFolders/{fid}/messages", withFolder(func(rq *MailboxRequest, f *Record) *Reply { return create(rq, f.ID) }))
	m.Handle("GET", "messages/{id}", withMessage(func(rq *MailboxRequest, r *Record) *Reply {
		return entityReply(rq, http.StatusOK, "Messages/$entity", rq.User.renderMessage(rq, r))
	}))
	m.Handle("PATCH", "messages/{id}", withMessage(func(rq *MailboxRequest, r *Record) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		props, _, rep := validateMessage(rq, body, true)
		if rep != nil {
			return rep
		}
		if _, ok := body["Attachments"]; ok {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertySet", "Attachments cannot be updated; add or delete them.")
		}
		if r.Doc["@odata.type"] == odataEventMessage {
			for k := range props {
				if !eventMessagePatch[k] {
					return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertySet", "The property '"+k+"' cannot be updated on an EventMessage.")
				}
			}
		}
		prev := deepCopy(r.Doc).(Entity)
		for k, v := range props {
			if v == nil {
				switch k {
				case "Subject":
					r.Doc[k] = ""
				case "Flag":
					r.Doc[k] = map[string]any{"FlagStatus": "NotFlagged"}
				case "Categories", "ToRecipients", "CcRecipients", "BccRecipients", "ReplyTo":
					r.Doc[k] = []any{}
				default:
					r.Doc[k] = nil
				}
				continue
			}
			r.Doc[k] = v
		}
		finishMessageDoc(r.Doc)
		u.touchLocked(r, prev)
		return entityReply(rq, http.StatusOK, "Messages/$entity", u.renderMessage(rq, r))
	}))
	m.Handle("DELETE", "messages/{id}", withMessage(func(rq *MailboxRequest, r *Record) *Reply {
		rq.User.removeLocked(r)
		return EmptyReply(http.StatusNoContent)
	}))
	moveCopy := func(copyIt bool) MailboxHandler {
		return withMessage(func(rq *MailboxRequest, r *Record) *Reply {
			u := rq.User
			dest, rep := rq.destination()
			if rep != nil {
				return rep
			}
			nr := u.copyMessageLocked(r, dest.ID)
			if !copyIt {
				nr.Doc["CreatedDateTime"] = r.Doc["CreatedDateTime"]
				u.removeLocked(r)
			}
			return entityReply(rq, http.StatusCreated, "Messages/$entity", u.renderMessage(rq, nr))
		})
	}
	m.Handle("POST", "messages/{id}/move", moveCopy(false))
	m.Handle("POST", "messages/{id}/copy", moveCopy(true))
	m.Handle("GET", "messages/{id}/$value", withMessage(func(rq *MailboxRequest, r *Record) *Reply {
		return &Reply{Status: http.StatusOK, Raw: renderMIME(r), ContentType: "message/rfc822"}
	}))

	// Attachments.
	withAttachment := m.registerAttachments("messages", "Messages", withMessage, withMessage)
	m.Handle("GET", "messages/{id}/attachments/{aid}/$value", withAttachment(func(rq *MailboxRequest, r *Record, i int) *Reply {
		a := r.Attachments[i]
		if a["@odata.type"] != odataFile {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "Only file attachments have raw content.")
		}
		data, _ := base64.StdEncoding.DecodeString(a["ContentBytes"].(string))
		ct, _ := a["ContentType"].(string)
		return &Reply{Status: http.StatusOK, Raw: data, ContentType: ct}
	}))
}

// renderMIME renders a message as RFC 822 text (multipart when it has file
// attachments).
func renderMIME(r *Record) []byte {
	doc := r.Doc
	var b strings.Builder
	addrs := func(key string) string {
		var parts []string
		for _, e := range asList(doc[key]) {
			ea := asMap(asMap(e)["EmailAddress"])
			parts = append(parts, fmt.Sprintf("%s <%s>", mime.QEncoding.Encode("utf-8", fmt.Sprint(ea["Name"])), ea["Address"]))
		}
		return strings.Join(parts, ", ")
	}
	if f := asMap(asMap(doc["From"])["EmailAddress"]); f != nil {
		fmt.Fprintf(&b, "From: %s <%s>\r\n", mime.QEncoding.Encode("utf-8", fmt.Sprint(f["Name"])), f["Address"])
	}
	if s := addrs("ToRecipients"); s != "" {
		fmt.Fprintf(&b, "To: %s\r\n", s)
	}
	if s := addrs("CcRecipients"); s != "" {
		fmt.Fprintf(&b, "Cc: %s\r\n", s)
	}
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", fmt.Sprint(doc["Subject"])))
	if t, err := time.Parse(time.RFC3339, fmt.Sprint(doc["SentDateTime"])); err == nil {
		fmt.Fprintf(&b, "Date: %s\r\n", t.Format(time.RFC1123Z))
	}
	fmt.Fprintf(&b, "Message-ID: %s\r\nMIME-Version: 1.0\r\n", doc["InternetMessageId"])
	body := asMap(doc["Body"])
	ctype := "text/plain"
	if body["ContentType"] == "HTML" {
		ctype = "text/html"
	}
	content, _ := body["Content"].(string)
	var files []Entity
	for _, a := range r.Attachments {
		if a["@odata.type"] == odataFile {
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		fmt.Fprintf(&b, "Content-Type: %s; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", ctype, content)
		return []byte(b.String())
	}
	const boundary = "_office365test_boundary_"
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", boundary, ctype, content)
	for _, a := range files {
		data := a["ContentBytes"].(string)
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
			boundary, a["ContentType"], a["Name"], a["Name"])
		for len(data) > 76 {
			b.WriteString(data[:76] + "\r\n")
			data = data[76:]
		}
		b.WriteString(data + "\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return []byte(b.String())
}

// quoteOriginal renders the original message under a reply or forward.
func quoteOriginal(comment string, orig Entity) map[string]any {
	from := asMap(asMap(orig["From"])["EmailAddress"])
	body := asMap(orig["Body"])
	content, _ := body["Content"].(string)
	if body["ContentType"] != "HTML" {
		content = "<pre>" + html.EscapeString(content) + "</pre>"
	}
	return map[string]any{"ContentType": "HTML", "Content": "<html><body><div>" + html.EscapeString(comment) +
		"</div><hr><div><b>From:</b> " + html.EscapeString(fmt.Sprint(from["Name"])) + "<br><b>Sent:</b> " +
		html.EscapeString(fmt.Sprint(orig["SentDateTime"])) + "<br><b>Subject:</b> " + html.EscapeString(fmt.Sprint(orig["Subject"])) +
		"</div>" + content + "</body></html>"}
}
