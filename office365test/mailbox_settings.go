package office365test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// registerMail installs every Mail route.
func (m *Mailbox) registerMail() {
	m.registerFolders()
	m.registerMessages()
	m.registerSend()
	m.registerRules()
	m.registerFocused()
	m.registerSettings()
	m.Handle("GET", "", func(rq *MailboxRequest) *Reply {
		u := rq.User
		local, _, _ := strings.Cut(u.UPN, "@")
		oid, _, _ := strings.Cut(u.ID, "@")
		return JSONReply(http.StatusOK, Entity{
			"@odata.context": rq.base + "/$metadata#" + rq.ctxRef, "@odata.id": rq.base + "/" + rq.userRef,
			"Id": u.ID, "EmailAddress": u.UPN, "DisplayName": u.DisplayName, "Alias": local, "MailboxGuid": oid,
		})
	})
}

var (
	predicateProps = set("Categories", "SubjectContains", "BodyContains", "BodyOrSubjectContains", "SenderContains",
		"RecipientContains", "HeaderContains", "MessageActionFlag", "Importance", "Sensitivity", "FromAddresses",
		"SentToAddresses", "SentToMe", "SentOnlyToMe", "SentCcMe", "SentToOrCcMe", "NotSentToMe", "HasAttachments",
		"IsApprovalRequest", "IsAutomaticForward", "IsAutomaticReply", "IsEncrypted", "IsMeetingRequest",
		"IsMeetingResponse", "IsNonDeliveryReport", "IsPermissionControlled", "IsReadReceipt", "IsSigned", "IsVoicemail",
		"WithinSizeRange")
	actionProps = set("MoveToFolder", "CopyToFolder", "Delete", "PermanentDelete", "MarkAsRead", "MarkImportance",
		"ForwardTo", "ForwardAsAttachmentTo", "RedirectTo", "AssignCategories", "StopProcessingRules")
)

// validateRule checks a rule body (create or patch) and returns the
// properties to store.
func validateRule(rq *MailboxRequest, body map[string]any, create bool) (Entity, *Reply) {
	out := Entity{}
	for k, v := range body {
		if strings.HasPrefix(k, "@") {
			continue
		}
		switch k {
		case "DisplayName":
			if s, ok := v.(string); !ok || s == "" {
				return nil, invalidValue(k)
			}
		case "Sequence":
			f, ok := asNumber(v)
			if !ok || f < 1 || f != float64(int32(f)) {
				return nil, invalidValue(k)
			}
		case "IsEnabled":
			if _, ok := v.(bool); !ok {
				return nil, invalidValue(k)
			}
		case "Conditions", "Exceptions":
			p, ok := v.(map[string]any)
			if !ok && v != nil {
				return nil, invalidValue(k)
			}
			for pk := range p {
				if !predicateProps[pk] {
					return nil, unknownProperty(pk, "MessageRulePredicates")
				}
			}
		case "Actions":
			a, ok := v.(map[string]any)
			if !ok {
				return nil, invalidValue(k)
			}
			for ak, av := range a {
				if !actionProps[ak] {
					return nil, unknownProperty(ak, "MessageRuleActions")
				}
				if (ak == "MoveToFolder" || ak == "CopyToFolder") && av != nil && rq.User.folderLocked(fmtString(av)) == nil {
					return nil, ErrorReply(http.StatusBadRequest, "ErrorFolderNotFound", "The folder '"+fmtString(av)+"' of action "+ak+" does not exist.")
				}
			}
		case "Id", "HasError", "IsReadOnly":
			continue
		default:
			return nil, unknownProperty(k, "MessageRule")
		}
		out[k] = v
	}
	if create {
		if out["DisplayName"] == nil || out["Sequence"] == nil || out["Actions"] == nil {
			return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRuleParameter", "DisplayName, Sequence and Actions are required.")
		}
	}
	return out, nil
}

func (m *Mailbox) registerRules() {
	inbox := func(h func(rq *MailboxRequest) *Reply) MailboxHandler {
		return func(rq *MailboxRequest) *Reply {
			f := rq.User.folderLocked(rq.Param("fid"))
			if f == nil {
				return notFound()
			}
			if f.ID != rq.User.su.WellKnown["inbox"] {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "Message rules are only supported on the Inbox.")
			}
			return h(rq)
		}
	}
	render := func(rq *MailboxRequest, r *Record) Entity {
		doc := deepCopy(r.Doc).(Entity)
		doc["@odata.id"] = rq.EntityURL("MailFolders('Inbox')/MessageRules", r.ID)
		return SelectProperties(doc, rq.selectList(), "Id")
	}
	withRule := func(h recordHandler) MailboxHandler { return inbox(withRecord("rid", ofType(EntityMessageRule), h)) }
	m.Handle("GET", "MailFolders/{fid}/MessageRules", inbox(func(rq *MailboxRequest) *Reply {
		rules := rq.User.recordsLocked(EntityMessageRule, "")
		slices.SortStableFunc(rules, func(a, b *Record) int { return int(num(a.Doc["Sequence"]) - num(b.Doc["Sequence"])) })
		val := make([]any, 0, len(rules))
		for _, r := range rules {
			val = append(val, render(rq, r))
		}
		return collectionReply(rq, "MailFolders('Inbox')/MessageRules", val, len(val), "", nil)
	}))
	m.Handle("POST", "MailFolders/{fid}/MessageRules", inbox(func(rq *MailboxRequest) *Reply {
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		doc, rep := validateRule(rq, body, true)
		if rep != nil {
			return rep
		}
		if _, ok := doc["IsEnabled"]; !ok {
			doc["IsEnabled"] = true
		}
		doc["HasError"], doc["IsReadOnly"] = false, false
		for _, k := range []string{"Conditions", "Exceptions"} {
			if _, ok := doc[k]; !ok {
				doc[k] = nil
			}
		}
		delete(doc, "Id")
		r := rq.User.insertLocked(EntityMessageRule, "", doc)
		return entityReply(rq, http.StatusCreated, "MailFolders('Inbox')/MessageRules/$entity", render(rq, r))
	}))
	m.Handle("GET", "MailFolders/{fid}/MessageRules/{rid}", withRule(func(rq *MailboxRequest, r *Record) *Reply {
		return entityReply(rq, http.StatusOK, "MailFolders('Inbox')/MessageRules/$entity", render(rq, r))
	}))
	m.Handle("PATCH", "MailFolders/{fid}/MessageRules/{rid}", withRule(func(rq *MailboxRequest, r *Record) *Reply {
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		doc, rep := validateRule(rq, body, false)
		if rep != nil {
			return rep
		}
		prev := deepCopy(r.Doc).(Entity)
		for k, v := range doc {
			r.Doc[k] = v
		}
		rq.User.touchLocked(r, prev)
		return entityReply(rq, http.StatusOK, "MailFolders('Inbox')/MessageRules/$entity", render(rq, r))
	}))
	m.Handle("DELETE", "MailFolders/{fid}/MessageRules/{rid}", withRule(func(rq *MailboxRequest, r *Record) *Reply {
		rq.User.removeLocked(r)
		return EmptyReply(http.StatusNoContent)
	}))
}

// maxOverrides is the service's limit of Focused Inbox overrides per mailbox.
const maxOverrides = 1000

func (m *Mailbox) registerFocused() {
	render := func(rq *MailboxRequest, r *Record) Entity {
		doc := deepCopy(r.Doc).(Entity)
		doc["@odata.id"] = rq.base + "/" + rq.userRef + "/InferenceClassificationOverrides('" + r.ID + "')"
		return doc
	}
	const ctx = "InferenceClassification/Overrides"
	m.Handle("GET", "InferenceClassification/Overrides", func(rq *MailboxRequest) *Reply {
		var val []any
		for _, r := range rq.User.recordsLocked(EntityInferenceRule, "") {
			val = append(val, render(rq, r))
		}
		return collectionReply(rq, ctx, val, len(val), "", nil)
	})
	m.Handle("POST", "InferenceClassification/Overrides", func(rq *MailboxRequest) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		var classify, addr, name string
		for k, v := range body {
			switch k {
			case "ClassifyAs":
				s, ok := canonicalEnum(v, "Focused", "Other")
				if !ok {
					return invalidValue(k)
				}
				classify = s
			case "SenderEmailAddress":
				ea := asMap(v)
				addr, name = fmtString(ea["Address"]), fmtString(ea["Name"])
				if !strings.Contains(addr, "@") {
					return invalidValue(k)
				}
			default:
				if !strings.HasPrefix(k, "@") {
					return unknownProperty(k, "InferenceClassificationOverride")
				}
			}
		}
		if classify == "" || addr == "" {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "ClassifyAs and SenderEmailAddress are required.")
		}
		existing := u.recordsLocked(EntityInferenceRule, "")
		for _, r := range existing {
			if strings.EqualFold(fmtString(PathValue(r.Doc, []string{"SenderEmailAddress", "Address"})), addr) {
				prev := deepCopy(r.Doc).(Entity)
				r.Doc["ClassifyAs"] = classify
				if name != "" {
					r.Doc["SenderEmailAddress"] = map[string]any{"Name": name, "Address": addr}
				}
				u.touchLocked(r, prev)
				return entityReply(rq, http.StatusCreated, ctx+"/$entity", render(rq, r))
			}
		}
		if len(existing) >= maxOverrides {
			return ErrorReply(http.StatusBadRequest, "ErrorQuotaExceeded", "A mailbox can have at most 1000 Focused Inbox overrides.")
		}
		if name == "" {
			name = addr
		}
		r := u.insertLocked(EntityInferenceRule, "", Entity{"ClassifyAs": classify, "SenderEmailAddress": map[string]any{"Name": name, "Address": addr}})
		return entityReply(rq, http.StatusCreated, ctx+"/$entity", render(rq, r))
	})
	withOverride := func(h recordHandler) MailboxHandler { return withRecord("id", ofType(EntityInferenceRule), h) }
	m.Handle("PATCH", "InferenceClassification/Overrides/{id}", withOverride(func(rq *MailboxRequest, r *Record) *Reply {
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		prev := deepCopy(r.Doc).(Entity)
		for k, v := range body {
			switch k {
			case "ClassifyAs":
				s, ok := canonicalEnum(v, "Focused", "Other")
				if !ok {
					return invalidValue(k)
				}
				r.Doc[k] = s
			case "SenderEmailAddress":
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertySet", "SenderEmailAddress cannot be changed; delete the override and create a new one.")
			default:
				if !strings.HasPrefix(k, "@") {
					return unknownProperty(k, "InferenceClassificationOverride")
				}
			}
		}
		rq.User.touchLocked(r, prev)
		return entityReply(rq, http.StatusOK, ctx+"/$entity", render(rq, r))
	}))
	m.Handle("DELETE", "InferenceClassification/Overrides/{id}", withOverride(func(rq *MailboxRequest, r *Record) *Reply {
		rq.User.removeLocked(r)
		return EmptyReply(http.StatusNoContent)
	}))
}

func defaultSettings() Entity {
	return Entity{
		"AutomaticRepliesSetting": map[string]any{
			"Status": "Disabled", "ExternalAudience": "All",
			"ScheduledStartDateTime": map[string]any{"DateTime": "2016-03-14T07:00:00.0000000", "TimeZone": "UTC"},
			"ScheduledEndDateTime":   map[string]any{"DateTime": "2016-03-28T07:00:00.0000000", "TimeZone": "UTC"},
			"InternalReplyMessage":   "", "ExternalReplyMessage": "",
		},
		"ArchiveFolder": nil,
		"TimeZone":      "UTC",
		"Language":      map[string]any{"Locale": "en-US", "DisplayName": "English (United States)"},
		"WorkingHours": map[string]any{
			"DaysOfWeek": []any{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"},
			"StartTime":  "08:00:00.0000000", "EndTime": "17:00:00.0000000",
			"TimeZone": map[string]any{"Name": "UTC"},
		},
	}
}

var reLocale = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z]{2,4})?$`)

var supportedLanguages = []map[string]any{
	{"Locale": "en-US", "DisplayName": "English (United States)"},
	{"Locale": "en-GB", "DisplayName": "English (United Kingdom)"},
	{"Locale": "de-DE", "DisplayName": "Deutsch (Deutschland)"},
	{"Locale": "fr-FR", "DisplayName": "français (France)"},
	{"Locale": "es-ES", "DisplayName": "español (España, alfabetización internacional)"},
	{"Locale": "ja-JP", "DisplayName": "日本語 (日本)"},
}

// supportedZones is what SupportedTimeZones lists: Windows ids with their
// display names (the IANA aliases come from windowsZones).
var supportedZones = []struct{ windows, display string }{
	{"UTC", "(UTC) Coordinated Universal Time"},
	{"Pacific Standard Time", "(UTC-08:00) Pacific Time (US & Canada)"},
	{"Mountain Standard Time", "(UTC-07:00) Mountain Time (US & Canada)"},
	{"Central Standard Time", "(UTC-06:00) Central Time (US & Canada)"},
	{"Eastern Standard Time", "(UTC-05:00) Eastern Time (US & Canada)"},
	{"GMT Standard Time", "(UTC+00:00) Dublin, Edinburgh, Lisbon, London"},
	{"W. Europe Standard Time", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"},
	{"India Standard Time", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"},
	{"Tokyo Standard Time", "(UTC+09:00) Osaka, Sapporo, Tokyo"},
	{"AUS Eastern Standard Time", "(UTC+10:00) Canberra, Melbourne, Sydney"},
}

func (m *Mailbox) registerSettings() {
	m.Handle("GET", "MailboxSettings", func(rq *MailboxRequest) *Reply {
		doc := deepCopy(rq.User.su.Settings).(Entity)
		rq.shape(doc)
		return entityReply(rq, http.StatusOK, "MailboxSettings", SelectProperties(doc, rq.selectList()))
	})
	m.Handle("GET", "MailboxSettings/{name}", func(rq *MailboxRequest) *Reply {
		for k, v := range rq.User.su.Settings {
			if !strings.EqualFold(k, rq.Param("name")) {
				continue
			}
			ctx := "MailboxSettings/" + k
			switch x := deepCopy(v).(type) {
			case map[string]any:
				rq.shape(x)
				return entityReply(rq, http.StatusOK, ctx, x)
			default:
				return entityReply(rq, http.StatusOK, ctx, Entity{"value": x})
			}
		}
		return ErrorReply(http.StatusNotFound, "ErrorInvalidUrl", "Resource not found for the segment '"+rq.Param("name")+"'.")
	})
	m.Handle("PATCH", "MailboxSettings", func(rq *MailboxRequest) *Reply {
		u := rq.User
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		next := deepCopy(u.su.Settings).(Entity)
		for k, v := range body {
			switch k {
			case "AutomaticRepliesSetting":
				patch, ok := v.(map[string]any)
				if !ok {
					return invalidValue(k)
				}
				cur := asMap(next[k])
				for pk, pv := range patch {
					switch pk {
					case "Status":
						s, ok := canonicalEnum(pv, "Disabled", "AlwaysEnabled", "Scheduled")
						if !ok {
							return invalidValue(pk)
						}
						pv = s
					case "ExternalAudience":
						s, ok := canonicalEnum(pv, "None", "ContactsOnly", "All")
						if !ok {
							return invalidValue(pk)
						}
						pv = s
					case "ScheduledStartDateTime", "ScheduledEndDateTime":
						if _, _, ok, _ := parseDTTZ(pv); !isDTTZ(pv) || !ok {
							return invalidValue(pk)
						}
					case "InternalReplyMessage", "ExternalReplyMessage":
						if _, ok := pv.(string); !ok {
							return invalidValue(pk)
						}
					default:
						if !strings.HasPrefix(pk, "@") {
							return unknownProperty(pk, "AutomaticRepliesSetting")
						}
						continue
					}
					cur[pk] = pv
				}
				if cur["Status"] == "Scheduled" {
					s, _ := asTime(localUTC(asMap(cur["ScheduledStartDateTime"])))
					e, _ := asTime(localUTC(asMap(cur["ScheduledEndDateTime"])))
					if !e.After(s) {
						return ErrorReply(http.StatusBadRequest, "ErrorInvalidScheduledOofDuration", "The scheduled end time must be after the start time.")
					}
				}
			case "TimeZone":
				s, ok := v.(string)
				if !ok || loadZone(s) == nil {
					return ErrorReply(http.StatusBadRequest, "ErrorTimeZone", "The time zone '"+s+"' is not supported.")
				}
				next[k] = s
			case "Language":
				l := asMap(v)
				loc := fmtString(l["Locale"])
				if !reLocale.MatchString(loc) {
					return invalidValue("Locale")
				}
				display := fmtString(l["DisplayName"])
				for _, sl := range supportedLanguages {
					if strings.EqualFold(fmtString(sl["Locale"]), loc) && display == "" {
						display = fmtString(sl["DisplayName"])
					}
				}
				next[k] = map[string]any{"Locale": loc, "DisplayName": display}
			case "WorkingHours":
				if _, ok := v.(map[string]any); !ok {
					return invalidValue(k)
				}
				cur := asMap(next[k])
				for wk, wv := range v.(map[string]any) {
					cur[wk] = wv
				}
			case "ArchiveFolder":
				if v != nil && u.folderLocked(fmtString(v)) == nil {
					return ErrorReply(http.StatusBadRequest, "ErrorFolderNotFound", "The archive folder does not exist.")
				}
				next[k] = v
			default:
				if !strings.HasPrefix(k, "@") {
					return unknownProperty(k, "MailboxSettings")
				}
			}
		}
		u.su.Settings = next
		doc := deepCopy(next).(Entity)
		rq.shape(doc)
		return entityReply(rq, http.StatusOK, "MailboxSettings", doc)
	})

	m.HandleBeta("POST", "GetMailTips", func(rq *MailboxRequest) *Reply {
		body, rep := decodeObject(rq)
		if rep != nil {
			return rep
		}
		var addrs []string
		for _, a := range asList(body["EmailAddresses"]) {
			s, ok := a.(string)
			if !ok {
				return invalidValue("EmailAddresses")
			}
			addrs = append(addrs, s)
		}
		if len(addrs) == 0 {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "EmailAddresses is required.")
		}
		known := []string{"automaticReplies", "mailboxFullStatus", "customMailTip", "externalMemberCount", "totalMemberCount",
			"maxMessageSize", "deliveryRestriction", "moderationStatus", "recipientScope", "recipientSuggestions"}
		want := map[string]bool{}
		for _, o := range strings.Split(fmtString(body["MailTipsOptions"]), ",") {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			c, ok := canonicalEnum(o, known...)
			if !ok {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "Unknown MailTipsOptions value '"+o+"'.")
			}
			want[c] = true
		}
		var val []any
		for _, a := range addrs {
			target := rq.Mailbox.userLocked(strings.ToLower(a))
			tip := Entity{"EmailAddress": map[string]any{"Name": "", "Address": a}}
			if want["automaticReplies"] {
				ar := map[string]any{"Message": ""}
				if target != nil {
					s := asMap(target.su.Settings["AutomaticRepliesSetting"])
					if st := fmtString(s["Status"]); st == "AlwaysEnabled" || st == "Scheduled" {
						ar["Message"] = s["InternalReplyMessage"]
						if st == "Scheduled" {
							ar["ScheduledStartTime"], ar["ScheduledEndTime"] = s["ScheduledStartDateTime"], s["ScheduledEndDateTime"]
						}
					}
				}
				tip["AutomaticReplies"] = ar
			}
			if want["mailboxFullStatus"] {
				tip["MailboxFull"] = false
			}
			if want["customMailTip"] {
				tip["CustomMailTip"] = ""
			}
			if want["externalMemberCount"] {
				tip["ExternalMemberCount"] = 0
			}
			if want["totalMemberCount"] {
				tip["TotalMemberCount"] = 1
			}
			if want["maxMessageSize"] {
				tip["MaxMessageSize"] = 37748736
			}
			if want["deliveryRestriction"] {
				tip["DeliveryRestricted"] = false
			}
			if want["moderationStatus"] {
				tip["IsModerated"] = false
			}
			if want["recipientScope"] {
				if target != nil {
					tip["RecipientScope"] = "Internal"
				} else {
					tip["RecipientScope"] = "External"
				}
			}
			if want["recipientSuggestions"] {
				tip["RecipientSuggestions"] = []any{}
			}
			if target != nil {
				tip["EmailAddress"] = map[string]any{"Name": target.DisplayName, "Address": a}
			}
			val = append(val, tip)
		}
		return JSONReply(http.StatusOK, Entity{"@odata.context": rq.base + "/$metadata#Collection(Microsoft.OutlookServices.MailTips)", "value": val})
	})
	m.HandleBeta("GET", "SupportedLanguages", func(rq *MailboxRequest) *Reply {
		var val []any
		for _, l := range supportedLanguages {
			val = append(val, l)
		}
		return JSONReply(http.StatusOK, Entity{"@odata.context": rq.base + "/$metadata#Collection(Microsoft.OutlookServices.LocaleInfo)", "value": val})
	})
	zones := func(rq *MailboxRequest, iana bool) *Reply {
		var val []any
		for _, z := range supportedZones {
			alias := z.windows
			if iana {
				alias = ianaZone(z.windows)
			}
			val = append(val, map[string]any{"Alias": alias, "DisplayName": z.display})
		}
		return JSONReply(http.StatusOK, Entity{"@odata.context": rq.base + "/$metadata#Collection(Microsoft.OutlookServices.TimeZoneInformation)", "value": val})
	}
	m.HandleBeta("GET", "SupportedTimeZones", func(rq *MailboxRequest) *Reply { return zones(rq, false) })
	m.HandleBeta("GET", "SupportedTimeZones/{args}", func(rq *MailboxRequest) *Reply {
		args := rq.Param("args")
		switch {
		case strings.EqualFold(args, "(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'Iana')"):
			return zones(rq, true)
		case strings.EqualFold(args, "(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'Windows')"):
			return zones(rq, false)
		}
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "Invalid TimeZoneStandard parameter "+args+".")
	})
}

// localUTC converts a DateTimeTimeZone document to a time (UTC), nil when
// it is malformed or its zone unknown.
func localUTC(d map[string]any) any {
	t, _, ok, _ := parseDTTZ(d)
	if !ok {
		return nil
	}
	return t
}
