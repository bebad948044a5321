// Package graphwire translates the Outlook REST v2.0 wire spelling used by
// the outlook package's models and paths into Microsoft Graph v1.0's, and
// back: JSON property names (PascalCase ↔ camelCase), the few renamed
// properties, "@odata.type" values (#Microsoft.OutlookServices.X ↔
// #microsoft.graph.x), enumeration members, URL path segments and the
// property names inside $select, $filter, $orderby and $expand.
//
// Every spelling difference between the two dialects lives in the tables of
// this file; the JSON rewriter (json.go) and the URL rewriter (url.go) only
// apply them. The rewriter works on the token stream, without reflection,
// so the models keep their v2.0 tags and decode either dialect.
package graphwire

import "strings"

// Namespaces of "@odata.type" values and open-extension ids.
const (
	outlookNS      = "Microsoft.OutlookServices."
	graphNS        = "microsoft.graph."
	outlookExtID   = "Microsoft.OutlookServices.OpenTypeExtension."
	graphExtID     = "microsoft.graph.openTypeExtension."
	graphExtIDFold = "microsoft.graph.opentypeextension."
)

// renamedProps maps v2.0 property names (lower-cased) whose Graph name is
// not just the camelCase form to the Graph name [outlook-to-graph §3].
var renamedProps = map[string]string{
	"mobilephone1": "mobilePhone", // contact
	"propertyid":   "id",          // single/multi-value extended property
}

// renamedPropsBack is renamedProps in the other direction, keyed by the
// lower-cased Graph name; the "id" of an extended property is handled by
// context (see json.go).
var renamedPropsBack = map[string]string{
	"mobilephone": "MobilePhone1",
}

// renamedTypes maps v2.0 type names to Graph type names where Graph renamed
// the type, not only its case.
var renamedTypes = map[string]string{
	"GeoCoordinates": "outlookGeoCoordinates",
}

// renamedTypesBack is renamedTypes keyed by the lower-cased Graph name.
var renamedTypesBack = map[string]string{
	"outlookgeocoordinates": "GeoCoordinates",
	"taskfileattachment":    "FileAttachment", // To Do's file attachment
}

// enumProps are the (lower-cased) properties whose values are enumeration
// members: PascalCase on v2.0, camelCase on Graph. A value is translated
// only when it looks like a member name (letters, or a comma-separated list
// of them for flag enumerations), so free text and MIME types under the
// same names (an attachment's ContentType) are never touched.
var enumProps = map[string]bool{
	"activitydomain": true, "availability": true, "classifyas": true,
	"color": true, "contenttype": true, "dayofweek": true, "daysofweek": true, "externalaudience": true,
	"firstdayofweek": true, "flagstatus": true, "importance": true, "index": true,
	"inferenceclassification": true, "locationtype": true, "markimportance": true,
	"meetingmessagetype": true, "meetingrequesttype": true, "messageactionflag": true,
	"organizeravailability": true, "permission": true, "providertype": true, "recipientscope": true,
	"response": true, "sensitivity": true, "showas": true, "status": true, "type": true,
	"uniqueidtype": true, "mailtipsoptions": true, "wellknownlistname": true, "emptysuggestionsreason": true,
}

// enumAcronyms are enumeration members written in capitals on v2.0, keyed
// by their lower-cased (Graph) spelling.
var enumAcronyms = map[string]string{"html": "HTML", "fyi": "FYI"}

// segments maps lower-cased v2.0 path segments (resource, navigation,
// action and function names) to Graph's spelling. Segments not listed
// (ids, well-known folder names) are left as they are.
var segments = map[string]string{}

func init() {
	for _, s := range []string{
		"me", "users", "messages", "mailFolders", "childFolders", "messageRules", "attachments",
		"inferenceClassification", "overrides", "mailboxSettings", "automaticRepliesSetting", "language",
		"timeZone", "workingHours", "calendar", "calendars", "calendarGroups", "events", "calendarView",
		"instances", "contacts", "contactFolders", "photo", "photos", "$value", "$count", "$batch", "extensions",
		"send", "reply", "replyAll", "forward", "createReply", "createReplyAll", "createForward", "move",
		"copy", "accept", "decline", "tentativelyAccept", "cancel", "dismissReminder", "snoozeReminder",
		"reminderView", "findMeetingTimes", "getMailTips", "sendMail", "delta", "subscriptions",
		"permanentDelete", "unsubscribe", "mentions", "createUploadSession", "translateExchangeIds",
		"masterCategories", "outlook", "todo", "lists", "tasks", "reauthorize",
	} {
		segments[strings.ToLower(s)] = s
	}
	// v2.0 names whose Graph equivalent lives elsewhere.
	segments["supportedlanguages"] = "outlook/supportedLanguages"
	segments["supportedtimezones"] = "outlook/supportedTimeZones"
}

// lowerFirst returns the camelCase form of a PascalCase name: "IsRead" →
// "isRead", "ICalUId" → "iCalUId"; a name in capitals only ("HTML")
// becomes lower case.
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	if isUpperWord(s) && len(s) > 1 {
		return strings.ToLower(s)
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// upperFirst returns the PascalCase form of a camelCase name.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func isUpperWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// PropertyToGraph returns the Graph name of a v2.0 property.
func PropertyToGraph(name string) string {
	base, annot, _ := strings.Cut(name, "@")
	if r, ok := renamedProps[strings.ToLower(base)]; ok {
		base = r
	} else {
		base = lowerFirst(base)
	}
	if annot != "" || strings.HasSuffix(name, "@") {
		return base + "@" + annot
	}
	return base
}

// PropertyFromGraph returns the v2.0 name of a Graph property.
func PropertyFromGraph(name string) string {
	base, annot, found := strings.Cut(name, "@")
	if r, ok := renamedPropsBack[strings.ToLower(base)]; ok {
		base = r
	} else {
		base = upperFirst(base)
	}
	if found {
		return base + "@" + annot
	}
	return base
}

// TypeToGraph translates an "@odata.type" value or a qualified type name:
// "#Microsoft.OutlookServices.FileAttachment" →
// "#microsoft.graph.fileAttachment". Other values (EDM types such as
// "#Int32") are returned unchanged.
func TypeToGraph(t string) string {
	hash := strings.HasPrefix(t, "#")
	name, ok := strings.CutPrefix(strings.TrimPrefix(t, "#"), outlookNS)
	if !ok {
		return t
	}
	if r, ok := renamedTypes[name]; ok {
		name = r
	} else {
		name = lowerFirst(name)
	}
	if hash {
		return "#" + graphNS + name
	}
	return graphNS + name
}

// TypeFromGraph translates a Graph "@odata.type" value back:
// "#microsoft.graph.fileAttachment" (or "#Microsoft.Graph.Message", as
// notifications spell it) → "#Microsoft.OutlookServices.FileAttachment".
func TypeFromGraph(t string) string {
	hash := strings.HasPrefix(t, "#")
	rest := strings.TrimPrefix(t, "#")
	if len(rest) <= len(graphNS) || !strings.EqualFold(rest[:len(graphNS)], graphNS) {
		return t
	}
	name := rest[len(graphNS):]
	if r, ok := renamedTypesBack[strings.ToLower(name)]; ok {
		name = r
	} else {
		name = upperFirst(name)
	}
	if hash {
		return "#" + outlookNS + name
	}
	return outlookNS + name
}

// ExtensionIDToGraph translates an open extension id:
// "Microsoft.OutlookServices.OpenTypeExtension.{name}" →
// "microsoft.graph.openTypeExtension.{name}". Other values are returned
// unchanged.
func ExtensionIDToGraph(id string) string {
	if name, ok := strings.CutPrefix(id, outlookExtID); ok {
		return graphExtID + name
	}
	return id
}

// ExtensionIDFromGraph is ExtensionIDToGraph in the other direction.
func ExtensionIDFromGraph(id string) string {
	if len(id) > len(graphExtID) && strings.EqualFold(id[:len(graphExtID)], graphExtIDFold) {
		return outlookExtID + id[len(graphExtID):]
	}
	return id
}

// EnumToGraph translates an enumeration member (or a comma-separated list
// of members) to camelCase: "SingleInstance" → "singleInstance", "HTML" →
// "html". ok is false when v does not look like member names.
func EnumToGraph(v string) (out string, ok bool) {
	return mapEnum(v, lowerFirst)
}

// EnumFromGraph translates a Graph enumeration member (or list) back to
// the v2.0 spelling: "singleInstance" → "SingleInstance", "html" → "HTML".
func EnumFromGraph(v string) (out string, ok bool) {
	return mapEnum(v, func(s string) string {
		if a, ok := enumAcronyms[strings.ToLower(s)]; ok {
			return a
		}
		return upperFirst(s)
	})
}

func mapEnum(v string, f func(string) string) (string, bool) {
	if v == "" {
		return v, false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ',' || c == ' ') {
			return v, false
		}
	}
	if !strings.Contains(v, ",") {
		return f(v), true
	}
	parts := strings.Split(v, ",")
	for i, p := range parts {
		lead := len(p) - len(strings.TrimLeft(p, " "))
		parts[i] = p[:lead] + f(strings.TrimSpace(p))
	}
	return strings.Join(parts, ","), true
}
