package office365test

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// SentMessage records one message that left a mailbox of the fake (sendmail,
// send, reply, reply all, forward, unsubscribe), whether or not its
// recipients are users of the fake.
type SentMessage struct {
	From              string
	To, Cc, Bcc       []string
	Subject           string
	InternetMessageID string
	Attachments       int
	Time              time.Time
}

// Sent returns every message sent through the fake, oldest first.
func (m *Mailbox) Sent() []SentMessage {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sent)
}

func addresses(list any) []string {
	var out []string
	for _, e := range asList(list) {
		if a := recipientAddress(e); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// sendLocked sends doc (a complete message document) from u: a copy in Sent
// Items when saveCopy, delivery to every recipient that is a user of the
// fake, and an entry in Sent.
func (u *MailboxUser) sendLocked(doc Entity, atts []Entity, saveCopy bool) {
	m := u.m
	now := fmtTime(m.clock())
	self := recipientMap(u.UPN, u.DisplayName)
	if doc["From"] == nil {
		doc["From"] = self
	}
	if doc["Sender"] == nil {
		doc["Sender"] = doc["From"]
	}
	doc["SentDateTime"], doc["ReceivedDateTime"] = now, now
	doc["IsDraft"] = false
	delete(doc, "Id")
	delete(doc, "CreatedDateTime")
	finishMessageDoc(doc)
	if saveCopy {
		c := deepCopy(doc).(Entity)
		c["IsRead"] = true
		u.insertMessageLocked(u.su.WellKnown["sentitems"], c, atts)
	}
	to, cc, bcc := addresses(doc["ToRecipients"]), addresses(doc["CcRecipients"]), addresses(doc["BccRecipients"])
	m.sent = append(m.sent, SentMessage{From: recipientAddress(doc["From"]), To: to, Cc: cc, Bcc: bcc,
		Subject: fmtString(doc["Subject"]), InternetMessageID: fmtString(doc["InternetMessageId"]), Attachments: len(atts), Time: m.clock()})
	seen := map[string]bool{}
	for _, addr := range slices.Concat(to, cc, bcc) {
		key := strings.ToLower(addr)
		if seen[key] {
			continue
		}
		seen[key] = true
		if target := m.userLocked(key); target != nil && target.su.RESTCode == "" {
			target.deliverLocked(doc, atts)
		}
	}
}

func fmtString(v any) string { s, _ := v.(string); return s }

// deliverLocked puts an incoming message in the Inbox (or wherever the
// Inbox rules say).
func (u *MailboxUser) deliverLocked(sent Entity, atts []Entity) {
	doc := deepCopy(sent).(Entity)
	doc["BccRecipients"] = []any{}
	doc["IsRead"] = false
	doc["IsDraft"] = false
	doc["Categories"] = []any{}
	doc["Flag"] = map[string]any{"FlagStatus": "NotFlagged"}
	doc["InferenceClassification"] = "Focused"
	from := strings.ToLower(recipientAddress(doc["From"]))
	for _, o := range u.recordsLocked(EntityInferenceRule, "") {
		if strings.EqualFold(fmtString(PathValue(o.Doc, []string{"SenderEmailAddress", "Address"})), from) {
			doc["InferenceClassification"] = o.Doc["ClassifyAs"]
		}
	}
	mentioned := false
	for _, mn := range asList(doc["Mentions"]) {
		if strings.EqualFold(fmtString(PathValue(asMap(mn), []string{"Mentioned", "Address"})), u.UPN) {
			mentioned = true
		}
	}
	doc["MentionsPreview"] = map[string]any{"IsMentioned": mentioned}

	folder := u.su.WellKnown["inbox"]
	var copies []string
	rules := u.recordsLocked(EntityMessageRule, "")
	slices.SortStableFunc(rules, func(a, b *Record) int { return int(num(a.Doc["Sequence"]) - num(b.Doc["Sequence"])) })
	for _, r := range rules {
		if enabled, _ := r.Doc["IsEnabled"].(bool); !enabled {
			continue
		}
		if !u.predicatesMatch(asMap(r.Doc["Conditions"]), doc, atts, true) || u.predicatesMatch(asMap(r.Doc["Exceptions"]), doc, atts, false) {
			continue
		}
		act := asMap(r.Doc["Actions"])
		if b, _ := act["MarkAsRead"].(bool); b {
			doc["IsRead"] = true
		}
		if imp, ok := act["MarkImportance"].(string); ok && imp != "" {
			doc["Importance"] = imp
		}
		for _, c := range asList(act["AssignCategories"]) {
			doc["Categories"] = append(asList(doc["Categories"]), c)
		}
		if f := u.folderLocked(fmtString(act["MoveToFolder"])); f != nil {
			folder = f.ID
		}
		if f := u.folderLocked(fmtString(act["CopyToFolder"])); f != nil {
			copies = append(copies, f.ID)
		}
		if b, _ := act["Delete"].(bool); b {
			folder = u.su.WellKnown["deleteditems"]
		}
		if b, _ := act["PermanentDelete"].(bool); b {
			folder = ""
		}
		if b, _ := act["StopProcessingRules"].(bool); b {
			break
		}
	}
	for _, c := range copies {
		u.insertMessageLocked(c, deepCopy(doc).(Entity), atts)
	}
	if folder != "" {
		u.insertMessageLocked(folder, doc, atts)
	}
}

func num(v any) float64 { f, _ := asNumber(v); return f }

// predicatesMatch evaluates MessageRulePredicates; every set predicate must
// hold. Predicates the fake cannot evaluate (IsSigned, Sensitivity, …)
// never match. empty is the result for no predicates.
func (u *MailboxUser) predicatesMatch(p map[string]any, doc Entity, atts []Entity, empty bool) bool {
	if len(p) == 0 {
		return empty
	}
	lower := func(v any) string { return strings.ToLower(fmtString(v)) }
	body := asMap(doc["Body"])
	bodyText := lower(body["Content"])
	subject := lower(doc["Subject"])
	from := strings.ToLower(recipientAddress(doc["From"]) + " " + fmtString(PathValue(asMap(doc["From"]), []string{"EmailAddress", "Name"})))
	to, cc := addresses(doc["ToRecipients"]), addresses(doc["CcRecipients"])
	has := func(list []string, addr string) bool {
		return slices.ContainsFunc(list, func(a string) bool { return strings.EqualFold(a, addr) })
	}
	anyContains := func(v any, hay ...string) bool {
		for _, w := range asList(v) {
			for _, h := range hay {
				if strings.Contains(h, lower(w)) {
					return true
				}
			}
		}
		return false
	}
	for k, v := range p {
		if v == nil {
			continue
		}
		var ok bool
		switch k {
		case "SubjectContains":
			ok = anyContains(v, subject)
		case "BodyContains":
			ok = anyContains(v, bodyText)
		case "BodyOrSubjectContains":
			ok = anyContains(v, subject, bodyText)
		case "SenderContains":
			ok = anyContains(v, from)
		case "RecipientContains":
			ok = anyContains(v, strings.ToLower(strings.Join(slices.Concat(to, cc), " ")))
		case "FromAddresses":
			for _, a := range addresses(v) {
				ok = ok || strings.EqualFold(a, recipientAddress(doc["From"]))
			}
		case "SentToAddresses":
			for _, a := range addresses(v) {
				ok = ok || has(to, a)
			}
		case "SentToMe":
			ok = has(to, u.UPN) == (v == true)
		case "SentCcMe":
			ok = has(cc, u.UPN) == (v == true)
		case "SentToOrCcMe":
			ok = (has(to, u.UPN) || has(cc, u.UPN)) == (v == true)
		case "SentOnlyToMe":
			ok = (len(to) == 1 && has(to, u.UPN) && len(cc) == 0) == (v == true)
		case "NotSentToMe":
			ok = !has(to, u.UPN) == (v == true)
		case "HasAttachments":
			n := 0
			for _, a := range atts {
				if inline, _ := a["IsInline"].(bool); !inline {
					n++
				}
			}
			ok = (n > 0) == (v == true)
		case "Importance":
			ok = strings.EqualFold(fmtString(doc["Importance"]), fmtString(v))
		case "Categories":
			for _, c := range asList(v) {
				ok = ok || slices.ContainsFunc(asList(doc["Categories"]), func(x any) bool { return strings.EqualFold(fmtString(x), fmtString(c)) })
			}
		case "IsMeetingRequest":
			ok = (doc["@odata.type"] == odataEventMessage) == (v == true)
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
	return true
}

// responseDoc builds a reply, reply-all or forward of orig.
func (u *MailboxUser) responseDoc(orig *Record, kind, comment string, to []any) (Entity, []Entity) {
	o := orig.Doc
	doc := u.newMessageDoc(nil)
	prefix := "RE: "
	var atts []Entity
	switch kind {
	case "reply", "replyall":
		recips := asList(o["ReplyTo"])
		if len(recips) == 0 && o["From"] != nil {
			recips = []any{deepCopy(o["From"])}
		}
		var cc []any
		if kind == "replyall" {
			for _, r := range asList(o["ToRecipients"]) {
				if !strings.EqualFold(recipientAddress(r), u.UPN) && !slices.ContainsFunc(recips, func(x any) bool {
					return strings.EqualFold(recipientAddress(x), recipientAddress(r))
				}) {
					recips = append(recips, deepCopy(r))
				}
			}
			for _, r := range asList(o["CcRecipients"]) {
				if !strings.EqualFold(recipientAddress(r), u.UPN) {
					cc = append(cc, deepCopy(r))
				}
			}
		}
		doc["ToRecipients"] = recips
		if cc != nil {
			doc["CcRecipients"] = cc
		}
	case "forward":
		prefix = "FW: "
		if to != nil {
			doc["ToRecipients"] = to
		}
		atts = orig.Attachments
	}
	subject := fmtString(o["Subject"])
	if !strings.HasPrefix(strings.ToUpper(subject), strings.TrimSpace(prefix)) {
		subject = prefix + subject
	}
	doc["Subject"] = subject
	doc["Body"] = quoteOriginal(comment, o)
	doc["ConversationId"] = o["ConversationId"]
	finishMessageDoc(doc)
	return doc, atts
}

// decodeComment reads {"Comment", "ToRecipients"} action parameters.
func decodeComment(rq *MailboxRequest, allowRecipients bool) (string, []any, *Reply) {
	body, rep := decodeObject(rq)
	if rep != nil {
		return "", nil, rep
	}
	var to []any
	for k, v := range body {
		switch {
		case k == "Comment":
			if _, ok := v.(string); !ok && v != nil {
				return "", nil, invalidValue(k)
			}
		case k == "ToRecipients" && allowRecipients:
			list, ok := rq.Mailbox.normalizeRecipients(v)
			if !ok {
				return "", nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid.")
			}
			to = list
		default:
			return "", nil, unknownProperty(k, "action parameters")
		}
	}
	return fmtString(body["Comment"]), to, nil
}

func (m *Mailbox) registerSend() {
	withMessage := func(h recordHandler) MailboxHandler { return withRecord("id", (*MailboxUser).messageLocked, h) }
	m.Handle("POST", "sendmail", func(rq *MailboxRequest) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		save := true
		var msgBody map[string]any
		for k, v := range body {
			switch k {
			case "Message":
				msgBody, _ = v.(map[string]any)
				if msgBody == nil {
					return invalidValue(k)
				}
			case "SaveToSentItems":
				switch x := v.(type) {
				case bool:
					save = x
				case string: // the documented sample sends "false"
					save = !strings.EqualFold(x, "false")
				default:
					return invalidValue(k)
				}
			default:
				return unknownProperty(k, "action parameters")
			}
		}
		if msgBody == nil {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The Message parameter is required.")
		}
		props, atts, rep := validateMessage(rq, msgBody, false)
		if rep != nil {
			return rep
		}
		doc := u.newMessageDoc(props)
		if len(asList(doc["ToRecipients"]))+len(asList(doc["CcRecipients"]))+len(asList(doc["BccRecipients"])) == 0 {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient is missing.")
		}
		u.sendLocked(doc, atts, save)
		return EmptyReply(http.StatusAccepted)
	})
	m.Handle("POST", "messages/{id}/send", withMessage(func(rq *MailboxRequest, r *Record) *Reply {
		u := rq.User
		if d, _ := r.Doc["IsDraft"].(bool); !d {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidOperation", "Only draft messages can be sent.")
		}
		if len(addresses(r.Doc["ToRecipients"]))+len(addresses(r.Doc["CcRecipients"]))+len(addresses(r.Doc["BccRecipients"])) == 0 {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient is missing.")
		}
		doc, atts := deepCopy(r.Doc).(Entity), r.Attachments
		u.removeLocked(r)
		u.sendLocked(doc, atts, true)
		return EmptyReply(http.StatusAccepted)
	}))
	for _, kind := range []string{"reply", "replyall", "forward"} {
		m.Handle("POST", "messages/{id}/"+kind, withMessage(func(rq *MailboxRequest, r *Record) *Reply {
			comment, to, rep := decodeComment(rq, kind == "forward")
			if rep != nil {
				return rep
			}
			if kind == "forward" && len(to) == 0 {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient is missing.")
			}
			doc, atts := rq.User.responseDoc(r, kind, comment, to)
			if len(asList(doc["ToRecipients"])) == 0 {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidRecipients", "The original message has no sender to reply to.")
			}
			rq.User.sendLocked(doc, atts, true)
			return EmptyReply(http.StatusAccepted)
		}))
		m.Handle("POST", "messages/{id}/create"+kind, withMessage(func(rq *MailboxRequest, r *Record) *Reply {
			comment, to, rep := decodeComment(rq, kind == "forward")
			if rep != nil {
				return rep
			}
			u := rq.User
			doc, atts := u.responseDoc(r, kind, comment, to)
			nr := u.insertMessageLocked(u.su.WellKnown["drafts"], doc, atts)
			return entityReply(rq, http.StatusCreated, "Messages/$entity", u.renderMessage(rq, nr))
		}))
	}
	m.HandleBeta("POST", "messages/{id}/unsubscribe", withMessage(func(rq *MailboxRequest, r *Record) *Reply {
		u := rq.User
		if en, _ := r.Doc["UnsubscribeEnabled"].(bool); !en {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidOperation", "The message does not support unsubscribing.")
		}
		var to []string
		for _, d := range asList(r.Doc["UnsubscribeData"]) {
			s := fmtString(d)
			if after, ok := strings.CutPrefix(strings.ToLower(s), "<mailto:"); ok {
				to = append(to, strings.TrimSuffix(strings.SplitN(after, "?", 2)[0], ">"))
			}
		}
		u.m.sent = append(u.m.sent, SentMessage{From: u.UPN, To: to, Subject: "Unsubscribe", Time: u.m.clock()})
		nr := u.copyMessageLocked(r, u.su.WellKnown["deleteditems"])
		_ = nr
		u.removeLocked(r)
		return EmptyReply(http.StatusAccepted)
	}))
}
