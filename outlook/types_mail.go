package outlook

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/office365-go/office365/internal/jsonx"
)

// Message is an e-mail message (entity Message), or a meeting message
// (EventMessage) when ODataType is ODataTypeEventMessage: then the
// EventMessage field holds the properties EventMessage adds.
//
// Every property is optional: a zero value is not sent when the Message is
// the body of a create call, and means "not returned" in a response (use
// $select to choose what comes back). Use MessageUpdate to change a message.
type Message struct {
	// ODataType is "@odata.type"; set on meeting messages and on messages
	// inside item attachments.
	ODataType string `json:"@odata.type,omitempty"`
	// ODataID and ODataETag are the entity's "@odata.id" and "@odata.etag"
	// annotations (read only).
	ODataID   string `json:"@odata.id,omitempty"`
	ODataETag string `json:"@odata.etag,omitempty"`

	ID                   string     `json:"Id,omitempty"`
	CreatedDateTime      *time.Time `json:"CreatedDateTime,omitempty"`
	LastModifiedDateTime *time.Time `json:"LastModifiedDateTime,omitempty"`
	ChangeKey            string     `json:"ChangeKey,omitempty"`
	Categories           []string   `json:"Categories,omitempty"`
	// Attachments is filled on reads only when expanded
	// (Expand: []string{"Attachments"}); HasAttachments tells whether there
	// are any. On create and SendMail it carries inline attachments.
	Attachments                   Attachments                         `json:"Attachments,omitempty"`
	BccRecipients                 []Recipient                         `json:"BccRecipients,omitempty"`
	Body                          *ItemBody                           `json:"Body,omitempty"`
	BodyPreview                   string                              `json:"BodyPreview,omitempty"`
	CcRecipients                  []Recipient                         `json:"CcRecipients,omitempty"`
	ConversationID                string                              `json:"ConversationId,omitempty"`
	ConversationIndex             []byte                              `json:"ConversationIndex,omitempty"` // beta
	Extensions                    []json.RawMessage                   `json:"Extensions,omitempty"`
	Flag                          *FollowupFlag                       `json:"Flag,omitempty"`
	From                          *Recipient                          `json:"From,omitempty"`
	HasAttachments                *bool                               `json:"HasAttachments,omitempty"`
	Importance                    Importance                          `json:"Importance,omitempty"`
	InferenceClassification       InferenceClassificationType         `json:"InferenceClassification,omitempty"`
	InternetMessageHeaders        []InternetMessageHeader             `json:"InternetMessageHeaders,omitempty"`
	InternetMessageID             string                              `json:"InternetMessageId,omitempty"`
	IsDeliveryReceiptRequested    *bool                               `json:"IsDeliveryReceiptRequested,omitempty"`
	IsDraft                       *bool                               `json:"IsDraft,omitempty"`
	IsRead                        *bool                               `json:"IsRead,omitempty"`
	IsReadReceiptRequested        *bool                               `json:"IsReadReceiptRequested,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	ParentFolderID                string                              `json:"ParentFolderId,omitempty"`
	ReceivedDateTime              *time.Time                          `json:"ReceivedDateTime,omitempty"`
	ReplyTo                       []Recipient                         `json:"ReplyTo,omitempty"`
	Sender                        *Recipient                          `json:"Sender,omitempty"`
	SentDateTime                  *time.Time                          `json:"SentDateTime,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	Subject                       string                              `json:"Subject,omitempty"`
	ToRecipients                  []Recipient                         `json:"ToRecipients,omitempty"`
	UniqueBody                    *ItemBody                           `json:"UniqueBody,omitempty"`
	WebLink                       string                              `json:"WebLink,omitempty"`
	// UnsubscribeData and UnsubscribeEnabled are beta-only properties (the
	// List-Unsubscribe mailto data).
	UnsubscribeData    []string `json:"UnsubscribeData,omitempty"`
	UnsubscribeEnabled *bool    `json:"UnsubscribeEnabled,omitempty"`
	// Mentions and MentionsPreview are beta-only (API version beta): set
	// Mentions when creating a message on the beta endpoint; $expand=Mentions
	// returns them.
	Mentions        []Mention        `json:"Mentions,omitempty"`
	MentionsPreview *MentionsPreview `json:"MentionsPreview,omitempty"`

	// EventMessage holds the properties of a meeting message; nil for an
	// ordinary message. On the wire they are properties of the message
	// itself.
	EventMessage *EventMessage `json:"-"`

	// Extra holds the properties the service sent that Message (and
	// EventMessage) has no field for (names and raw JSON values, as
	// received); they are marshalled back. Clear it to send only the typed
	// fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

// IsEventMessage reports whether m is a meeting message (request, response
// or cancellation).
func (m *Message) IsEventMessage() bool {
	return m.EventMessage != nil || m.ODataType == ODataTypeEventMessage || m.ODataType == ODataTypeEventMessageRequest
}

// EventMessage holds what entity EventMessage (base Message) adds: the
// meeting message type and the associated event. The properties marked beta
// come from the beta schema (2016 reference).
type EventMessage struct {
	// MeetingMessageType is the kind of meeting message.
	MeetingMessageType MeetingMessageType `json:"MeetingMessageType,omitempty"`
	// Event is the associated calendar event (navigation property; only
	// present with $expand=Event). Decode it into the Calendar package's
	// Event type.
	Event json.RawMessage `json:"Event,omitempty"`
	// Beta properties.
	StartDateTime *DateTimeTimeZone    `json:"StartDateTime,omitempty"`
	EndDateTime   *DateTimeTimeZone    `json:"EndDateTime,omitempty"`
	Location      *Location            `json:"Location,omitempty"`
	Type          EventType            `json:"Type,omitempty"`
	Recurrence    *PatternedRecurrence `json:"Recurrence,omitempty"`
	IsOutOfDate   *bool                `json:"IsOutOfDate,omitempty"`
	IsAllDay      *bool                `json:"IsAllDay,omitempty"`
	// EventMessageRequest (beta) properties.
	PreviousStartDateTime *DateTimeTimeZone `json:"PreviousStartDateTime,omitempty"`
	PreviousEndDateTime   *DateTimeTimeZone `json:"PreviousEndDateTime,omitempty"`
	PreviousLocation      *Location         `json:"PreviousLocation,omitempty"`
}

func (e *EventMessage) isZero() bool {
	return e.MeetingMessageType == "" && len(e.Event) == 0 && e.StartDateTime == nil && e.EndDateTime == nil &&
		e.Location == nil && e.Type == "" && e.Recurrence == nil && e.IsOutOfDate == nil && e.IsAllDay == nil &&
		e.PreviousStartDateTime == nil && e.PreviousEndDateTime == nil && e.PreviousLocation == nil
}

type messageFields Message

// eventMessageWire is a meeting message on the wire: the EventMessage
// properties are properties of the message itself.
type eventMessageWire struct {
	*messageFields
	*EventMessage
}

// MarshalJSON writes the message with the EventMessage properties (if any)
// as properties of the message, and the properties in Extra.
func (m Message) MarshalJSON() ([]byte, error) {
	if m.EventMessage == nil {
		return jsonx.Marshal((*messageFields)(&m), m.Extra, &m.null)
	}
	return jsonx.Marshal(&eventMessageWire{(*messageFields)(&m), m.EventMessage}, m.Extra, &m.null)
}

// UnmarshalJSON reads a Message or an EventMessage, keeping unknown
// properties in Extra.
func (m *Message) UnmarshalJSON(b []byte) error {
	*m = Message{}
	em := new(EventMessage)
	if err := jsonx.Unmarshal(b, &eventMessageWire{(*messageFields)(m), em}, &m.Extra, &m.null); err != nil {
		return err
	}
	if !em.isZero() || m.ODataType == ODataTypeEventMessage || m.ODataType == ODataTypeEventMessageRequest {
		m.EventMessage = em
	}
	return nil
}

// InternetMessageHeader is one RFC 5322 header of a message (select
// InternetMessageHeaders to get them).
type InternetMessageHeader struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
	// Extra holds the properties the service sent that InternetMessageHeader has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type internetMessageHeaderFields InternetMessageHeader

// UnmarshalJSON decodes the InternetMessageHeader, keeping unknown properties in Extra.
func (i *InternetMessageHeader) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*internetMessageHeaderFields)(i), &i.Extra, &i.null)
}

// MarshalJSON encodes the InternetMessageHeader and the properties in Extra.
func (i InternetMessageHeader) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*internetMessageHeaderFields)(&i), i.Extra, &i.null)
}

// FollowupFlag is a message's follow-up flag.
type FollowupFlag struct {
	CompletedDateTime *DateTimeTimeZone  `json:"CompletedDateTime,omitempty"`
	DueDateTime       *DateTimeTimeZone  `json:"DueDateTime,omitempty"`
	StartDateTime     *DateTimeTimeZone  `json:"StartDateTime,omitempty"`
	FlagStatus        FollowupFlagStatus `json:"FlagStatus,omitempty"`
	// Extra holds the properties the service sent that FollowupFlag has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type followupFlagFields FollowupFlag

// UnmarshalJSON decodes the FollowupFlag, keeping unknown properties in Extra.
func (f *FollowupFlag) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*followupFlagFields)(f), &f.Extra, &f.null)
}

// MarshalJSON encodes the FollowupFlag and the properties in Extra.
func (f FollowupFlag) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*followupFlagFields)(&f), f.Extra, &f.null)
}

// Mention is an @-mention in a message (beta only).
type Mention struct {
	ID                    string        `json:"Id,omitempty"`
	Application           string        `json:"Application,omitempty"`
	ClientReference       string        `json:"ClientReference,omitempty"`
	CreatedBy             *EmailAddress `json:"CreatedBy,omitempty"`
	CreatedDateTime       *time.Time    `json:"CreatedDateTime,omitempty"`
	DeepLink              string        `json:"DeepLink,omitempty"`
	Mentioned             *EmailAddress `json:"Mentioned,omitempty"`
	MentionText           string        `json:"MentionText,omitempty"`
	ServerCreatedDateTime *time.Time    `json:"ServerCreatedDateTime,omitempty"`
	// Extra holds the properties the service sent that Mention has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type mentionFields Mention

// UnmarshalJSON decodes the Mention, keeping unknown properties in Extra.
func (m *Mention) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*mentionFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the Mention and the properties in Extra.
func (m Mention) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*mentionFields)(&m), m.Extra, &m.null)
}

// MentionsPreview says whether the signed-in user is mentioned (beta only).
type MentionsPreview struct {
	IsMentioned bool `json:"IsMentioned"`
	// Extra holds the properties the service sent that MentionsPreview has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type mentionsPreviewFields MentionsPreview

// UnmarshalJSON decodes the MentionsPreview, keeping unknown properties in Extra.
func (m *MentionsPreview) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*mentionsPreviewFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MentionsPreview and the properties in Extra.
func (m MentionsPreview) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*mentionsPreviewFields)(&m), m.Extra, &m.null)
}

// MessageUpdate is the body of PATCH {root}/messages/{id}: only the fields
// that are set (Set or Null) are sent. The writable properties of Message
// are listed; an EventMessage accepts only From, Sender, the recipient
// lists, ReplyTo, the receipt flags, IsRead, Subject, Body, Importance and
// Categories.
type MessageUpdate struct {
	BccRecipients                 Optional[[]Recipient]                         `json:"BccRecipients,omitzero"`
	Body                          Optional[ItemBody]                            `json:"Body,omitzero"`
	Categories                    Optional[[]string]                            `json:"Categories,omitzero"`
	CcRecipients                  Optional[[]Recipient]                         `json:"CcRecipients,omitzero"`
	Flag                          Optional[FollowupFlag]                        `json:"Flag,omitzero"`
	From                          Optional[Recipient]                           `json:"From,omitzero"`
	Importance                    Optional[Importance]                          `json:"Importance,omitzero"`
	InferenceClassification       Optional[InferenceClassificationType]         `json:"InferenceClassification,omitzero"`
	IsDeliveryReceiptRequested    Optional[bool]                                `json:"IsDeliveryReceiptRequested,omitzero"`
	IsRead                        Optional[bool]                                `json:"IsRead,omitzero"`
	IsReadReceiptRequested        Optional[bool]                                `json:"IsReadReceiptRequested,omitzero"`
	ReplyTo                       Optional[[]Recipient]                         `json:"ReplyTo,omitzero"`
	Sender                        Optional[Recipient]                           `json:"Sender,omitzero"`
	Subject                       Optional[string]                              `json:"Subject,omitzero"`
	ToRecipients                  Optional[[]Recipient]                         `json:"ToRecipients,omitzero"`
	SingleValueExtendedProperties Optional[[]SingleValueLegacyExtendedProperty] `json:"SingleValueExtendedProperties,omitzero"`
	MultiValueExtendedProperties  Optional[[]MultiValueLegacyExtendedProperty]  `json:"MultiValueExtendedProperties,omitzero"`
}

// MailFolder is a mail folder (entity MailFolder; "Folder" in v1.0).
type MailFolder struct {
	ODataID   string `json:"@odata.id,omitempty"`
	ODataETag string `json:"@odata.etag,omitempty"`

	ID               string `json:"Id,omitempty"`
	DisplayName      string `json:"DisplayName,omitempty"`
	ParentFolderID   string `json:"ParentFolderId,omitempty"`
	ChildFolderCount *int32 `json:"ChildFolderCount,omitempty"`
	TotalItemCount   *int32 `json:"TotalItemCount,omitempty"`
	UnreadItemCount  *int32 `json:"UnreadItemCount,omitempty"`
	// WellKnownName is beta only ("inbox", "drafts", "sentitems",
	// "deleteditems", "junkemail", "outbox", "clutter").
	WellKnownName string `json:"WellKnownName,omitempty"`
	// ChildFolders is only present with $expand=ChildFolders.
	ChildFolders                  []MailFolder                        `json:"ChildFolders,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the properties the service sent that MailFolder has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type mailFolderFields MailFolder

// UnmarshalJSON decodes the MailFolder, keeping unknown properties in Extra.
func (m *MailFolder) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*mailFolderFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MailFolder and the properties in Extra.
func (m MailFolder) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*mailFolderFields)(&m), m.Extra, &m.null)
}

// MessageRule is an Inbox rule (entity MessageRule).
type MessageRule struct {
	ODataID string `json:"@odata.id,omitempty"`

	ID          string                 `json:"Id,omitempty"`
	DisplayName string                 `json:"DisplayName,omitempty"`
	Sequence    *int32                 `json:"Sequence,omitempty"`
	Conditions  *MessageRulePredicates `json:"Conditions,omitempty"`
	Actions     *MessageRuleActions    `json:"Actions,omitempty"`
	Exceptions  *MessageRulePredicates `json:"Exceptions,omitempty"`
	IsEnabled   *bool                  `json:"IsEnabled,omitempty"`
	HasError    *bool                  `json:"HasError,omitempty"`   // read only
	IsReadOnly  *bool                  `json:"IsReadOnly,omitempty"` // read only
	// Extra holds the properties the service sent that MessageRule has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type messageRuleFields MessageRule

// UnmarshalJSON decodes the MessageRule, keeping unknown properties in Extra.
func (m *MessageRule) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*messageRuleFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MessageRule and the properties in Extra.
func (m MessageRule) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*messageRuleFields)(&m), m.Extra, &m.null)
}

// MessageRulePredicates are the conditions (or exceptions) of a rule; all
// set predicates must hold.
type MessageRulePredicates struct {
	Categories             []string          `json:"Categories,omitempty"`
	SubjectContains        []string          `json:"SubjectContains,omitempty"`
	BodyContains           []string          `json:"BodyContains,omitempty"`
	BodyOrSubjectContains  []string          `json:"BodyOrSubjectContains,omitempty"`
	SenderContains         []string          `json:"SenderContains,omitempty"`
	RecipientContains      []string          `json:"RecipientContains,omitempty"`
	HeaderContains         []string          `json:"HeaderContains,omitempty"`
	MessageActionFlag      MessageActionFlag `json:"MessageActionFlag,omitempty"`
	Importance             Importance        `json:"Importance,omitempty"`
	Sensitivity            Sensitivity       `json:"Sensitivity,omitempty"`
	FromAddresses          []Recipient       `json:"FromAddresses,omitempty"`
	SentToAddresses        []Recipient       `json:"SentToAddresses,omitempty"`
	SentToMe               *bool             `json:"SentToMe,omitempty"`
	SentOnlyToMe           *bool             `json:"SentOnlyToMe,omitempty"`
	SentCcMe               *bool             `json:"SentCcMe,omitempty"`
	SentToOrCcMe           *bool             `json:"SentToOrCcMe,omitempty"`
	NotSentToMe            *bool             `json:"NotSentToMe,omitempty"`
	HasAttachments         *bool             `json:"HasAttachments,omitempty"`
	IsApprovalRequest      *bool             `json:"IsApprovalRequest,omitempty"`
	IsAutomaticForward     *bool             `json:"IsAutomaticForward,omitempty"`
	IsAutomaticReply       *bool             `json:"IsAutomaticReply,omitempty"`
	IsEncrypted            *bool             `json:"IsEncrypted,omitempty"`
	IsMeetingRequest       *bool             `json:"IsMeetingRequest,omitempty"`
	IsMeetingResponse      *bool             `json:"IsMeetingResponse,omitempty"`
	IsNonDeliveryReport    *bool             `json:"IsNonDeliveryReport,omitempty"`
	IsPermissionControlled *bool             `json:"IsPermissionControlled,omitempty"`
	IsReadReceipt          *bool             `json:"IsReadReceipt,omitempty"`
	IsSigned               *bool             `json:"IsSigned,omitempty"`
	IsVoicemail            *bool             `json:"IsVoicemail,omitempty"`
	WithinSizeRange        *SizeRange        `json:"WithinSizeRange,omitempty"`
	// Extra holds the properties the service sent that MessageRulePredicates has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type messageRulePredicatesFields MessageRulePredicates

// UnmarshalJSON decodes the MessageRulePredicates, keeping unknown properties in Extra.
func (m *MessageRulePredicates) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*messageRulePredicatesFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MessageRulePredicates and the properties in Extra.
func (m MessageRulePredicates) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*messageRulePredicatesFields)(&m), m.Extra, &m.null)
}

// SizeRange bounds a message size in kilobytes.
type SizeRange struct {
	MinimumSize int32 `json:"MinimumSize"`
	MaximumSize int32 `json:"MaximumSize"`
	// Extra holds the properties the service sent that SizeRange has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type sizeRangeFields SizeRange

// UnmarshalJSON decodes the SizeRange, keeping unknown properties in Extra.
func (s *SizeRange) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*sizeRangeFields)(s), &s.Extra, &s.null)
}

// MarshalJSON encodes the SizeRange and the properties in Extra.
func (s SizeRange) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*sizeRangeFields)(&s), s.Extra, &s.null)
}

// MessageRuleActions are what a rule does.
type MessageRuleActions struct {
	MoveToFolder          string      `json:"MoveToFolder,omitempty"`
	CopyToFolder          string      `json:"CopyToFolder,omitempty"`
	Delete                *bool       `json:"Delete,omitempty"`
	PermanentDelete       *bool       `json:"PermanentDelete,omitempty"`
	MarkAsRead            *bool       `json:"MarkAsRead,omitempty"`
	MarkImportance        Importance  `json:"MarkImportance,omitempty"`
	ForwardTo             []Recipient `json:"ForwardTo,omitempty"`
	ForwardAsAttachmentTo []Recipient `json:"ForwardAsAttachmentTo,omitempty"`
	RedirectTo            []Recipient `json:"RedirectTo,omitempty"`
	AssignCategories      []string    `json:"AssignCategories,omitempty"`
	StopProcessingRules   *bool       `json:"StopProcessingRules,omitempty"`
	// Extra holds the properties the service sent that MessageRuleActions has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type messageRuleActionsFields MessageRuleActions

// UnmarshalJSON decodes the MessageRuleActions, keeping unknown properties in Extra.
func (m *MessageRuleActions) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*messageRuleActionsFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MessageRuleActions and the properties in Extra.
func (m MessageRuleActions) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*messageRuleActionsFields)(&m), m.Extra, &m.null)
}

// MessageRuleUpdate is the body of PATCH …/MessageRules/{id}.
type MessageRuleUpdate struct {
	DisplayName Optional[string]                `json:"DisplayName,omitzero"`
	Sequence    Optional[int32]                 `json:"Sequence,omitzero"`
	Conditions  Optional[MessageRulePredicates] `json:"Conditions,omitzero"`
	Actions     Optional[MessageRuleActions]    `json:"Actions,omitzero"`
	Exceptions  Optional[MessageRulePredicates] `json:"Exceptions,omitzero"`
	IsEnabled   Optional[bool]                  `json:"IsEnabled,omitzero"`
}

// InferenceClassificationOverride makes every future message from a sender
// land in Focused or Other (Focused Inbox).
type InferenceClassificationOverride struct {
	ODataID string `json:"@odata.id,omitempty"`

	ID                 string                      `json:"Id,omitempty"`
	ClassifyAs         InferenceClassificationType `json:"ClassifyAs,omitempty"`
	SenderEmailAddress *EmailAddress               `json:"SenderEmailAddress,omitempty"`
	// Extra holds the properties the service sent that InferenceClassificationOverride has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type inferenceClassificationOverrideFields InferenceClassificationOverride

// UnmarshalJSON decodes the InferenceClassificationOverride, keeping unknown properties in Extra.
func (i *InferenceClassificationOverride) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*inferenceClassificationOverrideFields)(i), &i.Extra, &i.null)
}

// MarshalJSON encodes the InferenceClassificationOverride and the properties in Extra.
func (i InferenceClassificationOverride) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*inferenceClassificationOverrideFields)(&i), i.Extra, &i.null)
}

// MailboxSettings are the user's mailbox settings (GET {root}/MailboxSettings).
type MailboxSettings struct {
	AutomaticRepliesSetting *AutomaticRepliesSetting `json:"AutomaticRepliesSetting,omitempty"`
	ArchiveFolder           string                   `json:"ArchiveFolder,omitempty"`
	TimeZone                string                   `json:"TimeZone,omitempty"`
	Language                *LocaleInfo              `json:"Language,omitempty"`
	WorkingHours            *WorkingHours            `json:"WorkingHours,omitempty"`
	// DateFormat and TimeFormat are documented for Microsoft Graph; the
	// Outlook v2.0 API may leave them empty.
	DateFormat string `json:"DateFormat,omitempty"`
	TimeFormat string `json:"TimeFormat,omitempty"`
	// Extra holds the properties the service sent that MailboxSettings has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type mailboxSettingsFields MailboxSettings

// UnmarshalJSON decodes the MailboxSettings, keeping unknown properties in Extra.
func (m *MailboxSettings) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*mailboxSettingsFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MailboxSettings and the properties in Extra.
func (m MailboxSettings) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*mailboxSettingsFields)(&m), m.Extra, &m.null)
}

// MailboxSettingsUpdate is the body of PATCH {root}/MailboxSettings: only
// set fields are sent. AutomaticRepliesSetting may itself be partial (its
// fields are omitted when empty).
type MailboxSettingsUpdate struct {
	AutomaticRepliesSetting Optional[AutomaticRepliesSetting] `json:"AutomaticRepliesSetting,omitzero"`
	ArchiveFolder           Optional[string]                  `json:"ArchiveFolder,omitzero"`
	TimeZone                Optional[string]                  `json:"TimeZone,omitzero"`
	Language                Optional[LocaleInfo]              `json:"Language,omitzero"`
	WorkingHours            Optional[WorkingHours]            `json:"WorkingHours,omitzero"`
}

// AutomaticRepliesSetting configures automatic (out-of-office) replies.
type AutomaticRepliesSetting struct {
	Status                 AutomaticRepliesStatus `json:"Status,omitempty"`
	ExternalAudience       ExternalAudienceScope  `json:"ExternalAudience,omitempty"`
	ScheduledStartDateTime *DateTimeTimeZone      `json:"ScheduledStartDateTime,omitempty"`
	ScheduledEndDateTime   *DateTimeTimeZone      `json:"ScheduledEndDateTime,omitempty"`
	InternalReplyMessage   string                 `json:"InternalReplyMessage,omitempty"`
	ExternalReplyMessage   string                 `json:"ExternalReplyMessage,omitempty"`
	// Extra holds the properties the service sent that AutomaticRepliesSetting has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type automaticRepliesSettingFields AutomaticRepliesSetting

// UnmarshalJSON decodes the AutomaticRepliesSetting, keeping unknown properties in Extra.
func (a *AutomaticRepliesSetting) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*automaticRepliesSettingFields)(a), &a.Extra, &a.null)
}

// MarshalJSON encodes the AutomaticRepliesSetting and the properties in Extra.
func (a AutomaticRepliesSetting) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*automaticRepliesSettingFields)(&a), a.Extra, &a.null)
}

// WorkingHours are the user's working days and hours. StartTime and EndTime
// are TimeOfDay values ("08:00:00.0000000").
type WorkingHours struct {
	DaysOfWeek []DayOfWeek   `json:"DaysOfWeek,omitempty"`
	StartTime  string        `json:"StartTime,omitempty"`
	EndTime    string        `json:"EndTime,omitempty"`
	TimeZone   *TimeZoneBase `json:"TimeZone,omitempty"`
	// Extra holds the properties the service sent that WorkingHours has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type workingHoursFields WorkingHours

// UnmarshalJSON decodes the WorkingHours, keeping unknown properties in Extra.
func (w *WorkingHours) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*workingHoursFields)(w), &w.Extra, &w.null)
}

// MarshalJSON encodes the WorkingHours and the properties in Extra.
func (w WorkingHours) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*workingHoursFields)(&w), w.Extra, &w.null)
}

// TimeZoneBase names a time zone; when ODataType is ODataTypeCustomTimeZone
// the CustomTimeZone properties (Bias, StandardOffset, DaylightOffset)
// describe it.
type TimeZoneBase struct {
	ODataType      string                  `json:"@odata.type,omitempty"`
	Name           string                  `json:"Name,omitempty"`
	Bias           *int32                  `json:"Bias,omitempty"`
	StandardOffset *StandardTimeZoneOffset `json:"StandardOffset,omitempty"`
	DaylightOffset *DaylightTimeZoneOffset `json:"DaylightOffset,omitempty"`
	// Extra holds the properties the service sent that TimeZoneBase has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type timeZoneBaseFields TimeZoneBase

// UnmarshalJSON decodes the TimeZoneBase, keeping unknown properties in Extra.
func (t *TimeZoneBase) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*timeZoneBaseFields)(t), &t.Extra, &t.null)
}

// MarshalJSON encodes the TimeZoneBase and the properties in Extra.
func (t TimeZoneBase) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*timeZoneBaseFields)(&t), t.Extra, &t.null)
}

// StandardTimeZoneOffset is when standard time starts in a custom zone.
type StandardTimeZoneOffset struct {
	Time          string    `json:"Time,omitempty"`
	DayOccurrence int32     `json:"DayOccurrence,omitempty"`
	DayOfWeek     DayOfWeek `json:"DayOfWeek,omitempty"`
	Month         int32     `json:"Month,omitempty"`
	Year          int32     `json:"Year,omitempty"`
	// Extra holds the properties the service sent that StandardTimeZoneOffset has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type standardTimeZoneOffsetFields StandardTimeZoneOffset

// UnmarshalJSON decodes the StandardTimeZoneOffset, keeping unknown properties in Extra.
func (s *StandardTimeZoneOffset) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*standardTimeZoneOffsetFields)(s), &s.Extra, &s.null)
}

// MarshalJSON encodes the StandardTimeZoneOffset and the properties in Extra.
func (s StandardTimeZoneOffset) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*standardTimeZoneOffsetFields)(&s), s.Extra, &s.null)
}

// DaylightTimeZoneOffset is when daylight saving time starts in a custom
// zone, and its bias.
type DaylightTimeZoneOffset struct {
	StandardTimeZoneOffset
	DaylightBias int32 `json:"DaylightBias,omitempty"`
}

// daylightTimeZoneOffsetFields is DaylightTimeZoneOffset without the JSON
// methods its embedded StandardTimeZoneOffset would lend it.
type daylightTimeZoneOffsetFields struct {
	standardTimeZoneOffsetFields
	DaylightBias int32 `json:"DaylightBias,omitempty"`
}

// UnmarshalJSON decodes the offset, keeping unknown properties in Extra.
func (d *DaylightTimeZoneOffset) UnmarshalJSON(b []byte) error {
	var w daylightTimeZoneOffsetFields
	if err := jsonx.Unmarshal(b, &w, &w.Extra, &w.null); err != nil {
		return err
	}
	*d = DaylightTimeZoneOffset{StandardTimeZoneOffset(w.standardTimeZoneOffsetFields), w.DaylightBias}
	return nil
}

// MarshalJSON encodes the offset and the properties in Extra.
func (d DaylightTimeZoneOffset) MarshalJSON() ([]byte, error) {
	w := daylightTimeZoneOffsetFields{standardTimeZoneOffsetFields(d.StandardTimeZoneOffset), d.DaylightBias}
	return jsonx.Marshal(&w, w.Extra, &w.null)
}

// TimeZoneInformation is one entry of SupportedTimeZones (beta).
type TimeZoneInformation struct {
	Alias       string `json:"Alias"`
	DisplayName string `json:"DisplayName"`
	// Extra holds the properties the service sent that TimeZoneInformation has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type timeZoneInformationFields TimeZoneInformation

// UnmarshalJSON decodes the TimeZoneInformation, keeping unknown properties in Extra.
func (t *TimeZoneInformation) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*timeZoneInformationFields)(t), &t.Extra, &t.null)
}

// MarshalJSON encodes the TimeZoneInformation and the properties in Extra.
func (t TimeZoneInformation) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*timeZoneInformationFields)(&t), t.Extra, &t.null)
}

// MailTips is the MailTips result for one recipient (beta).
type MailTips struct {
	EmailAddress         *EmailAddress             `json:"EmailAddress,omitempty"`
	AutomaticReplies     *AutomaticRepliesMailTips `json:"AutomaticReplies,omitempty"`
	MailboxFull          *bool                     `json:"MailboxFull,omitempty"`
	CustomMailTip        string                    `json:"CustomMailTip,omitempty"`
	ExternalMemberCount  *int32                    `json:"ExternalMemberCount,omitempty"`
	TotalMemberCount     *int32                    `json:"TotalMemberCount,omitempty"`
	DeliveryRestricted   *bool                     `json:"DeliveryRestricted,omitempty"`
	IsModerated          *bool                     `json:"IsModerated,omitempty"`
	RecipientScope       RecipientScopeType        `json:"RecipientScope,omitempty"`
	RecipientSuggestions []Recipient               `json:"RecipientSuggestions,omitempty"`
	MaxMessageSize       *int32                    `json:"MaxMessageSize,omitempty"`
	Error                *MailTipsError            `json:"Error,omitempty"`
	// Extra holds the properties the service sent that MailTips has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type mailTipsFields MailTips

// UnmarshalJSON decodes the MailTips, keeping unknown properties in Extra.
func (m *MailTips) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*mailTipsFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MailTips and the properties in Extra.
func (m MailTips) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*mailTipsFields)(&m), m.Extra, &m.null)
}

// AutomaticRepliesMailTips is a recipient's automatic reply as a MailTip.
type AutomaticRepliesMailTips struct {
	Message            string            `json:"Message,omitempty"`
	MessageLanguage    *LocaleInfo       `json:"MessageLanguage,omitempty"`
	ScheduledStartTime *DateTimeTimeZone `json:"ScheduledStartTime,omitempty"`
	ScheduledEndTime   *DateTimeTimeZone `json:"ScheduledEndTime,omitempty"`
	// Extra holds the properties the service sent that AutomaticRepliesMailTips has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type automaticRepliesMailTipsFields AutomaticRepliesMailTips

// UnmarshalJSON decodes the AutomaticRepliesMailTips, keeping unknown properties in Extra.
func (a *AutomaticRepliesMailTips) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*automaticRepliesMailTipsFields)(a), &a.Extra, &a.null)
}

// MarshalJSON encodes the AutomaticRepliesMailTips and the properties in Extra.
func (a AutomaticRepliesMailTips) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*automaticRepliesMailTipsFields)(&a), a.Extra, &a.null)
}

// MailTipsError is why MailTips for a recipient could not be computed.
type MailTipsError struct {
	Message string `json:"Message,omitempty"`
	Code    string `json:"Code,omitempty"`
	// Extra holds the properties the service sent that MailTipsError has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type mailTipsErrorFields MailTipsError

// UnmarshalJSON decodes the MailTipsError, keeping unknown properties in Extra.
func (m *MailTipsError) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*mailTipsErrorFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MailTipsError and the properties in Extra.
func (m MailTipsError) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*mailTipsErrorFields)(&m), m.Extra, &m.null)
}

// ErrNotFileAttachment is returned when a file operation addresses an item
// or reference attachment.
var ErrNotFileAttachment = errors.New("outlook: attachment is not a FileAttachment")
