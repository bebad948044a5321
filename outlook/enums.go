package outlook

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The enumerations of the Outlook REST API (namespace
// Microsoft.OutlookServices). On the wire each is the member name as a
// PascalCase string; the Go types are strings so values the package does not
// know yet still round-trip. Compare with strings.EqualFold when a value may
// come from an older service version that used another case.

// Importance is the importance of a message, event or task.
type Importance string

// Importance values.
const (
	ImportanceLow    Importance = "Low"
	ImportanceNormal Importance = "Normal"
	ImportanceHigh   Importance = "High"
)

// Sensitivity is the sensitivity of an item.
type Sensitivity string

// Sensitivity values.
const (
	SensitivityNormal       Sensitivity = "Normal"
	SensitivityPersonal     Sensitivity = "Personal"
	SensitivityPrivate      Sensitivity = "Private"
	SensitivityConfidential Sensitivity = "Confidential"
)

// BodyType is the format of an ItemBody: "Text" or "HTML". Decoding
// normalises the lower-case spellings some beta responses use.
type BodyType string

// BodyType values.
const (
	BodyTypeText BodyType = "Text"
	BodyTypeHTML BodyType = "HTML"
)

// UnmarshalJSON accepts any case of the two known values.
func (b *BodyType) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	switch {
	case strings.EqualFold(s, string(BodyTypeText)):
		*b = BodyTypeText
	case strings.EqualFold(s, string(BodyTypeHTML)):
		*b = BodyTypeHTML
	default:
		*b = BodyType(s)
	}
	return nil
}

// canonicalEnum returns the member of known that v names, compared
// case-insensitively, so a request carries the service's literal; what
// names the input in the error for any other value.
func canonicalEnum[T ~string](what string, v T, known ...T) (T, error) {
	for _, k := range known {
		if strings.EqualFold(string(v), string(k)) {
			return k, nil
		}
	}
	names := make([]string, len(known))
	for i, k := range known {
		names[i] = strconv.Quote(string(k))
	}
	return "", fmt.Errorf("outlook: %s %q is not one of %s", what, v, strings.Join(names, ", "))
}

// InferenceClassificationType is the Focused Inbox classification.
type InferenceClassificationType string

// InferenceClassificationType values.
const (
	InferenceFocused InferenceClassificationType = "Focused"
	InferenceOther   InferenceClassificationType = "Other"
)

// FollowupFlagStatus is the state of a follow-up flag.
type FollowupFlagStatus string

// FollowupFlagStatus values.
const (
	FlagNotFlagged FollowupFlagStatus = "NotFlagged"
	FlagComplete   FollowupFlagStatus = "Complete"
	FlagFlagged    FollowupFlagStatus = "Flagged"
)

// MeetingMessageType is the kind of an EventMessage.
type MeetingMessageType string

// MeetingMessageType values. MeetingTenativelyAccepted keeps the spelling of
// the service metadata.
const (
	MeetingMessageNone        MeetingMessageType = "None"
	MeetingRequest            MeetingMessageType = "MeetingRequest"
	MeetingCancelled          MeetingMessageType = "MeetingCancelled"
	MeetingAccepted           MeetingMessageType = "MeetingAccepted"
	MeetingTenativelyAccepted MeetingMessageType = "MeetingTenativelyAccepted"
	MeetingDeclined           MeetingMessageType = "MeetingDeclined"
)

// FreeBusyStatus is an event's ShowAs value.
type FreeBusyStatus string

// FreeBusyStatus values.
const (
	FreeBusyFree             FreeBusyStatus = "Free"
	FreeBusyTentative        FreeBusyStatus = "Tentative"
	FreeBusyBusy             FreeBusyStatus = "Busy"
	FreeBusyOof              FreeBusyStatus = "Oof"
	FreeBusyWorkingElsewhere FreeBusyStatus = "WorkingElsewhere"
	FreeBusyUnknown          FreeBusyStatus = "Unknown"
)

// EventType is the kind of an event.
type EventType string

// EventType values.
const (
	EventSingleInstance EventType = "SingleInstance"
	EventOccurrence     EventType = "Occurrence"
	EventException      EventType = "Exception"
	EventSeriesMaster   EventType = "SeriesMaster"
)

// AttendeeType is the kind of an attendee.
type AttendeeType string

// AttendeeType values.
const (
	AttendeeRequired AttendeeType = "Required"
	AttendeeOptional AttendeeType = "Optional"
	AttendeeResource AttendeeType = "Resource"
)

// ResponseType is an attendee's response to a meeting.
type ResponseType string

// ResponseType values.
const (
	ResponseNone                ResponseType = "None"
	ResponseOrganizer           ResponseType = "Organizer"
	ResponseTentativelyAccepted ResponseType = "TentativelyAccepted"
	ResponseAccepted            ResponseType = "Accepted"
	ResponseDeclined            ResponseType = "Declined"
	ResponseNotResponded        ResponseType = "NotResponded"
)

// RecurrencePatternType is the kind of a recurrence pattern.
type RecurrencePatternType string

// RecurrencePatternType values.
const (
	RecurrenceDaily           RecurrencePatternType = "Daily"
	RecurrenceWeekly          RecurrencePatternType = "Weekly"
	RecurrenceAbsoluteMonthly RecurrencePatternType = "AbsoluteMonthly"
	RecurrenceRelativeMonthly RecurrencePatternType = "RelativeMonthly"
	RecurrenceAbsoluteYearly  RecurrencePatternType = "AbsoluteYearly"
	RecurrenceRelativeYearly  RecurrencePatternType = "RelativeYearly"
)

// RecurrenceRangeType is how a recurrence ends.
type RecurrenceRangeType string

// RecurrenceRangeType values.
const (
	RecurrenceRangeEndDate  RecurrenceRangeType = "EndDate"
	RecurrenceRangeNoEnd    RecurrenceRangeType = "NoEnd"
	RecurrenceRangeNumbered RecurrenceRangeType = "Numbered"
)

// WeekIndex is the week of a month in a relative recurrence.
type WeekIndex string

// WeekIndex values.
const (
	WeekFirst  WeekIndex = "First"
	WeekSecond WeekIndex = "Second"
	WeekThird  WeekIndex = "Third"
	WeekFourth WeekIndex = "Fourth"
	WeekLast   WeekIndex = "Last"
)

// DayOfWeek is a day of the week.
type DayOfWeek string

// DayOfWeek values.
const (
	Sunday    DayOfWeek = "Sunday"
	Monday    DayOfWeek = "Monday"
	Tuesday   DayOfWeek = "Tuesday"
	Wednesday DayOfWeek = "Wednesday"
	Thursday  DayOfWeek = "Thursday"
	Friday    DayOfWeek = "Friday"
	Saturday  DayOfWeek = "Saturday"
)

// CalendarColor is the color of a calendar.
type CalendarColor string

// CalendarColor values.
const (
	CalendarColorLightBlue   CalendarColor = "LightBlue"
	CalendarColorLightGreen  CalendarColor = "LightGreen"
	CalendarColorLightOrange CalendarColor = "LightOrange"
	CalendarColorLightGray   CalendarColor = "LightGray"
	CalendarColorLightYellow CalendarColor = "LightYellow"
	CalendarColorLightTeal   CalendarColor = "LightTeal"
	CalendarColorLightPink   CalendarColor = "LightPink"
	CalendarColorLightBrown  CalendarColor = "LightBrown"
	CalendarColorLightRed    CalendarColor = "LightRed"
	CalendarColorMaxColor    CalendarColor = "MaxColor"
	CalendarColorAuto        CalendarColor = "Auto"
)

// CategoryColor is the color of an Outlook category: "Preset0" …
// "Preset24" or "None".
type CategoryColor string

// CategoryColorNone is the absence of a color; the presets are "Preset0" to
// "Preset24".
const CategoryColorNone CategoryColor = "None"

// TaskStatus is the state of a task.
type TaskStatus string

// TaskStatus values.
const (
	TaskNotStarted      TaskStatus = "NotStarted"
	TaskInProgress      TaskStatus = "InProgress"
	TaskCompleted       TaskStatus = "Completed"
	TaskWaitingOnOthers TaskStatus = "WaitingOnOthers"
	TaskDeferred        TaskStatus = "Deferred"
)

// ChangeType is a notification change type. Subscriptions carry a
// comma-separated combination such as "Created, Updated, Deleted".
type ChangeType string

// ChangeType values.
const (
	ChangeCreated             ChangeType = "Created"
	ChangeUpdated             ChangeType = "Updated"
	ChangeDeleted             ChangeType = "Deleted"
	ChangeAcknowledgment      ChangeType = "Acknowledgment" // deprecated
	ChangeMissed              ChangeType = "Missed"
	ChangeSubscriptionRemoved ChangeType = "SubscriptionRemoved"
	// ChangeReauthorizationRequired is Graph's lifecycle event asking to
	// renew (or reauthorize) the subscription before delivery pauses.
	ChangeReauthorizationRequired ChangeType = "ReauthorizationRequired"
)

// AutomaticRepliesStatus says whether automatic replies are on.
type AutomaticRepliesStatus string

// AutomaticRepliesStatus values.
const (
	AutomaticRepliesDisabled      AutomaticRepliesStatus = "Disabled"
	AutomaticRepliesAlwaysEnabled AutomaticRepliesStatus = "AlwaysEnabled"
	AutomaticRepliesScheduled     AutomaticRepliesStatus = "Scheduled"
)

// ExternalAudienceScope says who outside the organisation gets automatic
// replies.
type ExternalAudienceScope string

// ExternalAudienceScope values.
const (
	ExternalAudienceNone         ExternalAudienceScope = "None"
	ExternalAudienceContactsOnly ExternalAudienceScope = "ContactsOnly"
	ExternalAudienceAll          ExternalAudienceScope = "All"
)

// ReferenceAttachmentProvider is where a reference attachment lives.
type ReferenceAttachmentProvider string

// ReferenceAttachmentProvider values.
const (
	ProviderOther            ReferenceAttachmentProvider = "Other"
	ProviderOneDriveBusiness ReferenceAttachmentProvider = "OneDriveBusiness"
	ProviderOneDriveConsumer ReferenceAttachmentProvider = "OneDriveConsumer"
	ProviderDropbox          ReferenceAttachmentProvider = "Dropbox"
)

// ReferenceAttachmentPermission is the access a reference attachment grants.
type ReferenceAttachmentPermission string

// ReferenceAttachmentPermission values.
const (
	PermissionOther            ReferenceAttachmentPermission = "Other"
	PermissionView             ReferenceAttachmentPermission = "View"
	PermissionEdit             ReferenceAttachmentPermission = "Edit"
	PermissionAnonymousView    ReferenceAttachmentPermission = "AnonymousView"
	PermissionAnonymousEdit    ReferenceAttachmentPermission = "AnonymousEdit"
	PermissionOrganizationView ReferenceAttachmentPermission = "OrganizationView"
	PermissionOrganizationEdit ReferenceAttachmentPermission = "OrganizationEdit"
)

// ActivityDomain is the kind of time FindMeetingTimes looks for.
type ActivityDomain string

// ActivityDomain values.
const (
	ActivityUnknown      ActivityDomain = "Unknown"
	ActivityWork         ActivityDomain = "Work"
	ActivityPersonal     ActivityDomain = "Personal"
	ActivityUnrestricted ActivityDomain = "Unrestricted"
)

// PhysicalAddressType is the kind of a postal address.
type PhysicalAddressType string

// PhysicalAddressType values.
const (
	AddressUnknown  PhysicalAddressType = "Unknown"
	AddressHome     PhysicalAddressType = "Home"
	AddressBusiness PhysicalAddressType = "Business"
	AddressOther    PhysicalAddressType = "Other"
)

// LocationType is the kind of a location.
type LocationType string

// LocationType values.
const (
	LocationDefault         LocationType = "Default"
	LocationConferenceRoom  LocationType = "ConferenceRoom"
	LocationHomeAddress     LocationType = "HomeAddress"
	LocationBusinessAddress LocationType = "BusinessAddress"
	LocationGeoCoordinates  LocationType = "GeoCoordinates"
	LocationStreetAddress   LocationType = "StreetAddress"
	LocationHotel           LocationType = "Hotel"
	LocationRestaurant      LocationType = "Restaurant"
	LocationLocalBusiness   LocationType = "LocalBusiness"
	LocationPostalAddress   LocationType = "PostalAddress"
)

// LocationUniqueIDType is the source of a location's UniqueId.
type LocationUniqueIDType string

// LocationUniqueIDType values.
const (
	LocationIDUnknown       LocationUniqueIDType = "Unknown"
	LocationIDLocationStore LocationUniqueIDType = "LocationStore"
	LocationIDDirectory     LocationUniqueIDType = "Directory"
	LocationIDPrivate       LocationUniqueIDType = "Private"
	LocationIDBing          LocationUniqueIDType = "Bing"
)

// MailTipsType is one MailTips flag. The request's MailTipsOptions is a
// comma-separated list of them (see JoinMailTipsTypes); note the camelCase
// spelling the service expects there.
type MailTipsType string

// MailTipsType values.
const (
	MailTipsAutomaticReplies     MailTipsType = "automaticReplies"
	MailTipsMailboxFullStatus    MailTipsType = "mailboxFullStatus"
	MailTipsCustomMailTip        MailTipsType = "customMailTip"
	MailTipsExternalMemberCount  MailTipsType = "externalMemberCount"
	MailTipsTotalMemberCount     MailTipsType = "totalMemberCount"
	MailTipsMaxMessageSize       MailTipsType = "maxMessageSize"
	MailTipsDeliveryRestriction  MailTipsType = "deliveryRestriction"
	MailTipsModerationStatus     MailTipsType = "moderationStatus"
	MailTipsRecipientScope       MailTipsType = "recipientScope"
	MailTipsRecipientSuggestions MailTipsType = "recipientSuggestions"
)

// AllMailTipsTypes lists every MailTips flag.
var AllMailTipsTypes = []MailTipsType{
	MailTipsAutomaticReplies, MailTipsMailboxFullStatus, MailTipsCustomMailTip, MailTipsExternalMemberCount,
	MailTipsTotalMemberCount, MailTipsMaxMessageSize, MailTipsDeliveryRestriction, MailTipsModerationStatus,
	MailTipsRecipientScope, MailTipsRecipientSuggestions,
}

// JoinMailTipsTypes renders flags as the comma-separated MailTipsOptions
// string ("automaticReplies, mailboxFullStatus").
func JoinMailTipsTypes(types ...MailTipsType) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = string(t)
	}
	return strings.Join(parts, ", ")
}

// RecipientScopeType is a (flags) recipient scope: "None", "Internal",
// "External", "ExternalPartner", "ExternalNonPartner", or several joined
// with ", ".
type RecipientScopeType string

// RecipientScopeType values.
const (
	RecipientScopeNone               RecipientScopeType = "None"
	RecipientScopeInternal           RecipientScopeType = "Internal"
	RecipientScopeExternal           RecipientScopeType = "External"
	RecipientScopeExternalPartner    RecipientScopeType = "ExternalPartner"
	RecipientScopeExternalNonPartner RecipientScopeType = "ExternalNonPartner"
)

// TimeZoneStandard selects the naming of SupportedTimeZones (beta).
type TimeZoneStandard string

// TimeZoneStandard values.
const (
	TimeZoneStandardWindows TimeZoneStandard = "Windows"
	TimeZoneStandardIana    TimeZoneStandard = "Iana"
)

// MessageActionFlag is the follow-up action of a message rule predicate.
type MessageActionFlag string

// MessageActionFlag values.
const (
	ActionFlagAny                 MessageActionFlag = "Any"
	ActionFlagCall                MessageActionFlag = "Call"
	ActionFlagDoNotForward        MessageActionFlag = "DoNotForward"
	ActionFlagFollowUp            MessageActionFlag = "FollowUp"
	ActionFlagFYI                 MessageActionFlag = "FYI"
	ActionFlagForward             MessageActionFlag = "Forward"
	ActionFlagNoResponseNecessary MessageActionFlag = "NoResponseNecessary"
	ActionFlagRead                MessageActionFlag = "Read"
	ActionFlagReply               MessageActionFlag = "Reply"
	ActionFlagReplyToAll          MessageActionFlag = "ReplyToAll"
	ActionFlagReview              MessageActionFlag = "Review"
)

// PhoneType is the kind of a phone number (beta).
type PhoneType string

// PhoneType values.
const (
	PhoneHome        PhoneType = "Home"
	PhoneBusiness    PhoneType = "Business"
	PhoneMobile      PhoneType = "Mobile"
	PhoneOther       PhoneType = "Other"
	PhoneAssistant   PhoneType = "Assistant"
	PhoneHomeFax     PhoneType = "HomeFax"
	PhoneBusinessFax PhoneType = "BusinessFax"
	PhoneOtherFax    PhoneType = "OtherFax"
	PhonePager       PhoneType = "Pager"
	PhoneRadio       PhoneType = "Radio"
)

// WebsiteType is the kind of a website (beta).
type WebsiteType string

// WebsiteType values.
const (
	WebsiteOther   WebsiteType = "Other"
	WebsiteHome    WebsiteType = "Home"
	WebsiteWork    WebsiteType = "Work"
	WebsiteBlog    WebsiteType = "Blog"
	WebsiteProfile WebsiteType = "Profile"
)

// SelectionLikelihoodInfo is a People API hint.
type SelectionLikelihoodInfo string

// SelectionLikelihoodInfo values.
const (
	SelectionLikelihoodNotSpecified SelectionLikelihoodInfo = "NotSpecified"
	SelectionLikelihoodHigh         SelectionLikelihoodInfo = "High"
)

// GroupAccessType is the visibility of a group.
type GroupAccessType string

// GroupAccessType values.
const (
	GroupAccessNone    GroupAccessType = "None"
	GroupAccessPrivate GroupAccessType = "Private"
	GroupAccessSecret  GroupAccessType = "Secret"
	GroupAccessPublic  GroupAccessType = "Public"
)
