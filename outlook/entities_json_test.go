package outlook_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

// The property lists of entities.md (the Outlook v2.0 reference), copied
// here: every Go type must marshal exactly these PascalCase names when fully
// populated. Navigation collections that are only reachable by their own
// path (MailFolder.Messages, Calendar.Events …) are not part of the types
// and are left out.
var (
	refItem    = []string{"Id", "CreatedDateTime", "LastModifiedDateTime", "ChangeKey", "Categories"}
	refExtProp = []string{"SingleValueExtendedProperties", "MultiValueExtendedProperties"}
	refMessage = concat(refItem, refExtProp, []string{"Attachments", "BccRecipients", "Body", "BodyPreview", "CcRecipients",
		"ConversationId", "ConversationIndex", "Extensions", "Flag", "From", "HasAttachments", "Importance",
		"InferenceClassification", "InternetMessageHeaders", "InternetMessageId", "IsDeliveryReceiptRequested", "IsDraft",
		"IsRead", "IsReadReceiptRequested", "ParentFolderId", "ReceivedDateTime", "ReplyTo", "Sender", "SentDateTime",
		"Subject", "ToRecipients", "UniqueBody", "WebLink", "UnsubscribeData", "UnsubscribeEnabled", "Mentions", "MentionsPreview"})
	refEventMessage = concat(refMessage, []string{"Event", "MeetingMessageType", "StartDateTime", "EndDateTime", "Location",
		"Type", "Recurrence", "IsOutOfDate", "IsAllDay",
		// EventMessageRequest (beta)
		"PreviousStartDateTime", "PreviousEndDateTime", "PreviousLocation"})
	refEvent = concat(refItem, refExtProp, []string{"Attachments", "Attendees", "Body", "BodyPreview", "Calendar", "End",
		"Extensions", "HasAttachments", "iCalUId", "Importance", "Instances", "IsAllDay", "IsCancelled", "IsOrganizer",
		"IsReminderOn", "Location", "Locations", "OnlineMeetingUrl", "Organizer", "OriginalEndTimeZone", "OriginalStart",
		"OriginalStartTimeZone", "Recurrence", "ReminderMinutesBeforeStart", "ResponseRequested", "ResponseStatus",
		"Sensitivity", "SeriesMasterId", "ShowAs", "Start", "Subject", "Type", "WebLink"})
	refContact = concat(refItem, refExtProp, []string{"AssistantName", "Birthday", "BusinessAddress", "BusinessHomePage",
		"BusinessPhones", "Children", "CompanyName", "Department", "DisplayName", "EmailAddresses", "Extensions", "FileAs",
		"Generation", "GivenName", "HomeAddress", "HomePhones", "ImAddresses", "Initials", "JobTitle", "Manager",
		"MiddleName", "MobilePhone1", "NickName", "OfficeLocation", "OtherAddress", "ParentFolderId", "PersonalNotes",
		"Profession", "SpouseName", "Surname", "Title", "YomiCompanyName", "YomiGivenName", "YomiSurname",
		// beta-only
		"Flag", "Gender", "Phones", "PostalAddresses", "Websites", "WeddingAnniversary"})
	refTask = concat(refItem, refExtProp, []string{"AssignedTo", "Attachments", "Body", "CompletedDateTime", "DueDateTime",
		"HasAttachments", "Importance", "IsReminderOn", "Owner", "ParentFolderId", "Recurrence", "ReminderDateTime",
		"Sensitivity", "StartDateTime", "Status", "Subject"})
	refMailFolder = concat(refExtProp, []string{"Id", "ChildFolderCount", "ChildFolders", "DisplayName", "ParentFolderId",
		"TotalItemCount", "UnreadItemCount", "WellKnownName"})
	refAttachment       = []string{"Id", "ContentType", "IsInline", "LastModifiedDateTime", "Name", "Size"}
	refFileAttachment   = concat(refAttachment, []string{"ContentBytes", "ContentId", "ContentLocation"})
	refItemAttachment   = concat(refAttachment, []string{"Item"})
	refReferenceAttach  = concat(refAttachment, []string{"SourceUrl", "ProviderType", "ThumbnailUrl", "PreviewUrl", "Permission", "IsFolder"})
	refMessageRule      = []string{"Id", "DisplayName", "Sequence", "Conditions", "Actions", "Exceptions", "IsEnabled", "HasError", "IsReadOnly"}
	refRulePredicates   = []string{"Categories", "SubjectContains", "BodyContains", "BodyOrSubjectContains", "SenderContains", "RecipientContains", "HeaderContains", "MessageActionFlag", "Importance", "Sensitivity", "FromAddresses", "SentToAddresses", "SentToMe", "SentOnlyToMe", "SentCcMe", "SentToOrCcMe", "NotSentToMe", "HasAttachments", "IsApprovalRequest", "IsAutomaticForward", "IsAutomaticReply", "IsEncrypted", "IsMeetingRequest", "IsMeetingResponse", "IsNonDeliveryReport", "IsPermissionControlled", "IsReadReceipt", "IsSigned", "IsVoicemail", "WithinSizeRange"}
	refRuleActions      = []string{"MoveToFolder", "CopyToFolder", "Delete", "PermanentDelete", "MarkAsRead", "MarkImportance", "ForwardTo", "ForwardAsAttachmentTo", "RedirectTo", "AssignCategories", "StopProcessingRules"}
	refMailboxSettings  = []string{"AutomaticRepliesSetting", "ArchiveFolder", "TimeZone", "Language", "WorkingHours", "DateFormat", "TimeFormat"}
	refAutomaticReplies = []string{"Status", "ExternalAudience", "ScheduledStartDateTime", "ScheduledEndDateTime", "InternalReplyMessage", "ExternalReplyMessage"}
	refPushSubscription = []string{"Id", "Resource", "ChangeType", "NotificationURL", "SubscriptionExpirationDateTime", "ClientState"}
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// fill sets every exported, serialised field of v to a non-zero value,
// recursively, so that marshalling shows every property name.
func fill(v reflect.Value, depth int) {
	rawType := reflect.TypeFor[json.RawMessage]()
	timeType := reflect.TypeFor[time.Time]()
	attType := reflect.TypeFor[outlook.Attachment]()
	switch {
	case v.Type() == rawType:
		v.SetBytes([]byte(`{"@odata.type":"#Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.Example.X"}`))
		return
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(2017, 1, 2, 3, 4, 5, 0, time.UTC)))
		return
	case v.Type() == attType:
		v.Set(reflect.ValueOf(outlook.Attachment(&outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "x"}})))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 6 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			fill(v.Field(i), depth+1)
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Slice:
		if depth > 6 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	}
}

// keysOf marshals v and returns its property names without the @odata
// annotations.
func keysOf(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	var keys []string
	for k := range m {
		if !strings.HasPrefix(k, "@odata.") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func populated[T any]() *T {
	v := new(T)
	fill(reflect.ValueOf(v).Elem(), 0)
	return v
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// TestEntityPropertyNamesMatchReference marshals a fully populated value of
// each main entity and compares its property names with the reference's
// list, both ways: a typo in a JSON tag shows as one name missing and one
// extra. It then decodes the JSON back and checks nothing is lost.
func TestEntityPropertyNamesMatchReference(t *testing.T) {
	t.Parallel()
	eventMessage := populated[outlook.Message]()
	eventMessage.EventMessage = populated[outlook.EventMessage]()
	cases := []struct {
		name  string
		value any
		back  func() any // a fresh value to decode into
		want  []string
	}{
		{"Message", populated[outlook.Message](), func() any { return new(outlook.Message) }, refMessage},
		{"EventMessage", eventMessage, func() any { return new(outlook.Message) }, refEventMessage},
		{"Event", populated[outlook.Event](), func() any { return new(outlook.Event) }, refEvent},
		{"Contact", populated[outlook.Contact](), func() any { return new(outlook.Contact) }, refContact},
		{"Task", populated[outlook.Task](), func() any { return new(outlook.Task) }, refTask},
		{"MailFolder", populated[outlook.MailFolder](), func() any { return new(outlook.MailFolder) }, refMailFolder},
		{"FileAttachment", populated[outlook.FileAttachment](), func() any { return new(outlook.FileAttachment) }, refFileAttachment},
		{"ItemAttachment", populated[outlook.ItemAttachment](), func() any { return new(outlook.ItemAttachment) }, refItemAttachment},
		{"ReferenceAttachment", populated[outlook.ReferenceAttachment](), func() any { return new(outlook.ReferenceAttachment) }, refReferenceAttach},
		{"MessageRule", populated[outlook.MessageRule](), func() any { return new(outlook.MessageRule) }, refMessageRule},
		{"MessageRulePredicates", populated[outlook.MessageRulePredicates](), func() any { return new(outlook.MessageRulePredicates) }, refRulePredicates},
		{"MessageRuleActions", populated[outlook.MessageRuleActions](), func() any { return new(outlook.MessageRuleActions) }, refRuleActions},
		{"MailboxSettings", populated[outlook.MailboxSettings](), func() any { return new(outlook.MailboxSettings) }, refMailboxSettings},
		{"AutomaticRepliesSetting", populated[outlook.AutomaticRepliesSetting](), func() any { return new(outlook.AutomaticRepliesSetting) }, refAutomaticReplies},
		{"PushSubscription", populated[outlook.PushSubscription](), func() any { return new(outlook.PushSubscription) }, refPushSubscription},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := keysOf(t, tc.value)
			assert.Equal(t, sorted(tc.want), got)
			// Decoding and re-encoding keeps every property.
			b, err := json.Marshal(tc.value)
			require.NoError(t, err)
			back := tc.back()
			require.NoError(t, json.Unmarshal(b, back))
			assert.Equal(t, got, keysOf(t, back), "properties lost in a decode/encode round trip")
		})
	}
}

// TestAttachmentKindsDecodeByODataType checks the three attachment kinds
// marshal their "@odata.type" and decode back to the same kind.
func TestAttachmentKindsDecodeByODataType(t *testing.T) {
	t.Parallel()
	for _, a := range []outlook.Attachment{populated[outlook.FileAttachment](), populated[outlook.ItemAttachment](), populated[outlook.ReferenceAttachment]()} {
		b, err := json.Marshal(a)
		require.NoError(t, err)
		back, err := outlook.DecodeAttachment(b)
		require.NoError(t, err)
		assert.IsType(t, a, back)
		assert.Equal(t, a.AttachmentODataType(), back.AttachmentODataType())
		assert.Equal(t, "#Microsoft.OutlookServices."+reflect.TypeOf(a).Elem().Name(), a.AttachmentODataType())
	}
}
