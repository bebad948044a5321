package graphmail

import (
	"strings"
)

// The one table of how the store's vocabulary (the Outlook REST names the
// mailbox keeps its documents in) is spelt on Microsoft Graph v1.0. Property
// names change case (ReceivedDateTime ↔ receivedDateTime); the entries below
// are what differs beyond that.

// vocabulary is the spelling of one kind of resource: the base one for mail,
// calendar and contacts, and To Do's for tasks and task lists.
type vocabulary struct {
	// renameOut renames store properties for Graph; renameIn is its
	// inverse, keyed by lower-case Graph name.
	renameOut, renameIn map[string]string
	// drop lists store properties Graph v1.0 does not have.
	drop map[string]bool
	// types renames @odata.type names (store → Graph, without namespace).
	types map[string]string
}

// typeDrops are properties a Graph v1.0 type does not have although the
// store keeps them (by the Graph type name).
var typeDrops = map[string]map[string]bool{
	"referenceAttachment": {"SourceUrl": true, "ProviderType": true, "ThumbnailUrl": true, "PreviewUrl": true,
		"Permission": true, "IsFolder": true},
	"taskFileAttachment": {"ContentId": true, "ContentLocation": true, "IsInline": true},
}

var baseVocabulary = newVocabulary(
	map[string]string{
		"MobilePhone1": "mobilePhone", // contact
		"PropertyId":   "id",          // extended properties (only inside their lists on the way in)
	},
	[]string{
		// mailFolder
		"WellKnownName",
		// message (beta-only on the retired API)
		"Mentions", "MentionsPreview", "UnsubscribeData", "UnsubscribeEnabled",
		// contact
		"Gender", "Phones", "PostalAddresses", "Websites", "WeddingAnniversary",
	},
	map[string]string{"GeoCoordinates": "outlookGeoCoordinates"},
)

// todoVocabulary is To Do's: an Outlook task is a todoTask, a task folder a
// todoTaskList.
var todoVocabulary = func() *vocabulary {
	v := newVocabulary(
		map[string]string{"Subject": "title"}, // task
		[]string{"ParentFolderId", "Owner", "AssignedTo", "Sensitivity", "ChangeKey", "ParentGroupKey",
			"IsDefaultFolder", "SingleValueExtendedProperties", "MultiValueExtendedProperties", "StatusDescription"},
		map[string]string{"Task": "todoTask", "TaskFolder": "todoTaskList", "FileAttachment": "taskFileAttachment"},
	)
	// A task list's displayName is its folder's Name (todoToGraph renames
	// it on the way out: attachments have a Name of their own).
	v.renameIn["displayname"] = "Name"
	return v
}()

func newVocabulary(rename map[string]string, drop []string, types map[string]string) *vocabulary {
	v := &vocabulary{renameOut: rename, renameIn: map[string]string{}, drop: map[string]bool{}, types: types}
	for k, g := range rename {
		v.renameIn[strings.ToLower(g)] = k
	}
	for _, d := range drop {
		v.drop[d] = true
	}
	return v
}

// enumProperties are the properties whose string values are enumeration
// members: PascalCase in the store, camelCase on Graph.
var enumProperties = map[string]bool{
	"Importance": true, "Sensitivity": true, "ShowAs": true, "Type": true, "Response": true, "Status": true,
	"FlagStatus": true, "InferenceClassification": true, "ClassifyAs": true, "DaysOfWeek": true,
	"FirstDayOfWeek": true, "Index": true, "Color": true, "MeetingMessageType": true, "MeetingRequestType": true,
	"ExternalAudience": true, "LocationType": true, "UniqueIdType": true, "OnlineMeetingProvider": true,
	"DelegateMeetingMessageDeliveryOptions": true, "OrganizerAvailability": true, "Availability": true,
	"EmptySuggestionsReason": true, "ActivityDomain": true, "MarkImportance": true, "SensitivityContains": true,
	"MessageActionFlag": true, "WellknownListName": true, "RecipientScope": true, "ScopeType": true,
	"ContentType": true, // body content type only; see enumValueToGraph
}

// lowerFirst is the camelCase of a PascalCase name.
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// upperFirst is the PascalCase of a camelCase name.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// enumValueToGraph spells an enumeration member the Graph way: "High" →
// "high", "HTML" → "html", "SingleInstance" → "singleInstance".
func enumValueToGraph(key, s string) string {
	if key == "ContentType" && !strings.EqualFold(s, "html") && !strings.EqualFold(s, "text") {
		return s // an attachment's MIME type
	}
	if strings.Contains(s, ",") { // flags: "Created, Updated"
		parts := strings.Split(s, ",")
		for i, p := range parts {
			parts[i] = enumValueToGraph(key, strings.TrimSpace(p))
		}
		return strings.Join(parts, ",")
	}
	if s == strings.ToUpper(s) {
		return strings.ToLower(s)
	}
	return lowerFirst(s)
}

// enumValueFromGraph spells a Graph enumeration member the store's way.
func enumValueFromGraph(key, s string) string {
	if key == "ContentType" {
		switch strings.ToLower(s) {
		case "html":
			return "HTML"
		case "text":
			return "Text"
		}
		return s
	}
	if strings.Contains(s, ",") {
		parts := strings.Split(s, ",")
		for i, p := range parts {
			parts[i] = upperFirst(strings.TrimSpace(p))
		}
		return strings.Join(parts, ", ")
	}
	return upperFirst(s)
}

const (
	storeNS = "Microsoft.OutlookServices."
	graphNS = "microsoft.graph."
)

// typeToGraph renames an @odata.type value: "#Microsoft.OutlookServices.
// FileAttachment" → "#microsoft.graph.fileAttachment".
func (v *vocabulary) typeToGraph(t string) string {
	hash := strings.HasPrefix(t, "#")
	name := strings.TrimPrefix(t, "#")
	if len(name) < len(storeNS) || !strings.EqualFold(name[:len(storeNS)], storeNS) {
		return t
	}
	name = name[len(storeNS):]
	if g, ok := v.types[name]; ok {
		name = g
	} else if g, ok := baseVocabulary.types[name]; ok {
		name = g
	} else {
		name = lowerFirst(name)
	}
	if hash {
		return "#" + graphNS + name
	}
	return graphNS + name
}

// typeFromGraph renames a Graph @odata.type value to the store's.
func (v *vocabulary) typeFromGraph(t string) string {
	hash := strings.HasPrefix(t, "#")
	name := strings.TrimPrefix(t, "#")
	if len(name) < len(graphNS) || !strings.EqualFold(name[:len(graphNS)], graphNS) {
		return t
	}
	name = name[len(graphNS):]
	found := false
	for _, tab := range []map[string]string{v.types, baseVocabulary.types} {
		for s, g := range tab {
			if strings.EqualFold(g, name) {
				name, found = s, true
				break
			}
		}
		if found {
			break
		}
	}
	if !found {
		name = upperFirst(name)
	}
	if hash {
		return "#" + storeNS + name
	}
	return storeNS + name
}

// Open extension ids carry their type name.
const (
	storeExtPrefix = "Microsoft.OutlookServices.OpenTypeExtension."
	graphExtPrefix = "microsoft.graph.openTypeExtension."
)

// replaceFold replaces every case-insensitive occurrence of old in s.
func replaceFold(s, old, repl string) string {
	lower, lold := strings.ToLower(s), strings.ToLower(old)
	if !strings.Contains(lower, lold) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lold)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

// extIDToStore and extIDToGraph convert an open extension id.
func extIDToStore(s string) string { return replaceFold(s, graphExtPrefix, storeExtPrefix) }
func extIDToGraph(s string) string { return replaceFold(s, storeExtPrefix, graphExtPrefix) }
