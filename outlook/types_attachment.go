package outlook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"path/filepath"
	"strings"
	"time"

	"github.com/office365-go/office365/internal/jsonx"
)

// Attachment is one attachment of a message or event: a *FileAttachment,
// *ItemAttachment or *ReferenceAttachment, told apart on the wire by
// "@odata.type" (which marshalling always sets). An attachment of a kind
// this package does not know decodes as *UnknownAttachment. Use a type
// switch:
//
//	switch a := att.(type) {
//	case *outlook.FileAttachment:
//		os.WriteFile(a.Name, a.ContentBytes, 0o600)
//	case *outlook.ItemAttachment:
//		msg, err := a.Message()
//	}
type Attachment interface {
	// Common returns the properties every attachment has.
	Common() *AttachmentBase
	// AttachmentODataType returns the "@odata.type" of the attachment.
	AttachmentODataType() string
}

// AttachmentBase holds the properties of entity Attachment shared by every
// kind.
type AttachmentBase struct {
	ID                   string     `json:"Id,omitempty"`
	Name                 string     `json:"Name,omitempty"`
	ContentType          string     `json:"ContentType,omitempty"`
	IsInline             bool       `json:"IsInline,omitempty"`
	LastModifiedDateTime *time.Time `json:"LastModifiedDateTime,omitempty"`
	Size                 int64      `json:"Size,omitempty"` // bytes; read only

	// Extra holds the properties (and annotations such as "@odata.id") the
	// service sent that the attachment type has no field for (names and raw
	// JSON values, as received); they are marshalled back. Clear it to send
	// only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

// Common returns b.
func (b *AttachmentBase) Common() *AttachmentBase { return b }

// FileAttachment is a file (#Microsoft.OutlookServices.FileAttachment).
// ContentBytes is base64 on the wire; encoding/json converts it.
type FileAttachment struct {
	AttachmentBase
	ContentBytes    []byte `json:"ContentBytes,omitempty"`
	ContentID       string `json:"ContentId,omitempty"`
	ContentLocation string `json:"ContentLocation,omitempty"`
}

// NewFileAttachment returns a file attachment named name holding content,
// with its ContentType guessed from the name's extension (mime.TypeByExtension,
// falling back to application/octet-stream). Use it in Message.Attachments
// when sending, or with the attachments service's Create. For large files,
// prefer the attachments service's streaming AddFile.
func NewFileAttachment(name string, content []byte) *FileAttachment {
	ct := mime.TypeByExtension(filepath.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return &FileAttachment{AttachmentBase: AttachmentBase{Name: name, ContentType: ct}, ContentBytes: content}
}

// AttachmentODataType returns ODataTypeFileAttachment.
func (*FileAttachment) AttachmentODataType() string { return ODataTypeFileAttachment }

type fileAttachmentFields FileAttachment

// fileAttachmentWire is a FileAttachment on the wire: its "@odata.type" and its properties.
type fileAttachmentWire struct {
	ODataType string `json:"@odata.type"`
	*fileAttachmentFields
}

// UnmarshalJSON decodes the attachment, keeping unknown properties in Extra.
func (a *FileAttachment) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, &fileAttachmentWire{"", (*fileAttachmentFields)(a)}, &a.Extra, &a.null)
}

// MarshalJSON writes the attachment with its "@odata.type" and the
// properties in Extra.
func (a FileAttachment) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal(&fileAttachmentWire{ODataTypeFileAttachment, (*fileAttachmentFields)(&a)}, a.Extra, &a.null)
}

// ItemAttachment is an attached Outlook item — a message, event or contact
// (#Microsoft.OutlookServices.ItemAttachment). Item keeps the item's JSON
// (with its own "@odata.type"); it is only returned with $expand=Item.
type ItemAttachment struct {
	AttachmentBase
	Item json.RawMessage `json:"Item,omitempty"`
}

// AttachmentODataType returns ODataTypeItemAttachment.
func (*ItemAttachment) AttachmentODataType() string { return ODataTypeItemAttachment }

type itemAttachmentFields ItemAttachment

// itemAttachmentWire is a ItemAttachment on the wire: its "@odata.type" and its properties.
type itemAttachmentWire struct {
	ODataType string `json:"@odata.type"`
	*itemAttachmentFields
}

// UnmarshalJSON decodes the attachment, keeping unknown properties in Extra.
func (a *ItemAttachment) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, &itemAttachmentWire{"", (*itemAttachmentFields)(a)}, &a.Extra, &a.null)
}

// MarshalJSON writes the attachment with its "@odata.type" and the
// properties in Extra.
func (a ItemAttachment) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal(&itemAttachmentWire{ODataTypeItemAttachment, (*itemAttachmentFields)(&a)}, a.Extra, &a.null)
}

// NewMessageItemAttachment returns an ItemAttachment carrying msg (its
// "@odata.type" is set to ODataTypeMessage).
func NewMessageItemAttachment(name string, msg *Message) (*ItemAttachment, error) {
	if msg == nil {
		return nil, fmt.Errorf("outlook: NewMessageItemAttachment: nil message")
	}
	m := *msg
	if m.ODataType == "" {
		m.ODataType = ODataTypeMessage
	}
	return newItemAttachment(name, "message", m)
}

// newItemAttachment returns an ItemAttachment carrying item, a Message,
// Event or Contact whose ODataType is set (what names it in errors).
func newItemAttachment(name, what string, item any) (*ItemAttachment, error) {
	raw, err := json.Marshal(item)
	if err != nil {
		return nil, fmt.Errorf("outlook: encoding attached %s: %w", what, err)
	}
	return &ItemAttachment{AttachmentBase: AttachmentBase{Name: name}, Item: raw}, nil
}

// attachedItem decodes the attached item as a T. It fails when the item
// was not returned or its "@odata.type" (when present) is not one that
// isType accepts; article and what name T in errors ("a", "message").
func attachedItem[T any](a *ItemAttachment, article, what string, isType func(odataType string) bool) (*T, error) {
	if len(a.Item) == 0 || bytes.Equal(a.Item, []byte("null")) {
		return nil, fmt.Errorf("outlook: item attachment %q carries no item (request it with $expand=Item)", a.Name)
	}
	if t := a.ItemODataType(); t != "" && !isType(t) {
		return nil, fmt.Errorf("outlook: item attachment %q holds a %s, not %s %s", a.Name, t, article, what)
	}
	v := new(T)
	if err := json.Unmarshal(a.Item, v); err != nil {
		return nil, fmt.Errorf("outlook: decoding attached %s: %w", what, err)
	}
	return v, nil
}

// isODataType returns a predicate matching the "@odata.type" want in any
// case, with or without its leading '#'.
func isODataType(want string) func(string) bool {
	return func(t string) bool { return normalizeODataType(t) == normalizeODataType(want) }
}

// ItemODataType returns the "@odata.type" of the attached item, or "" when
// Item was not returned.
func (a *ItemAttachment) ItemODataType() string {
	var v struct {
		T string `json:"@odata.type"`
	}
	if len(a.Item) == 0 || json.Unmarshal(a.Item, &v) != nil {
		return ""
	}
	return v.T
}

// Message decodes the attached item as a Message. It fails when the item
// was not returned (use $expand=Item) or is not a message.
func (a *ItemAttachment) Message() (*Message, error) {
	return attachedItem[Message](a, "a", "message", func(t string) bool {
		return t == ODataTypeMessage || t == ODataTypeEventMessage || t == ODataTypeEventMessageRequest
	})
}

// ReferenceAttachment is a link to a file or folder in cloud storage
// (#Microsoft.OutlookServices.ReferenceAttachment; documented in the beta
// reference, present in the v2.0 model).
type ReferenceAttachment struct {
	AttachmentBase
	SourceURL    string                        `json:"SourceUrl,omitempty"`
	ProviderType ReferenceAttachmentProvider   `json:"ProviderType,omitempty"`
	ThumbnailURL string                        `json:"ThumbnailUrl,omitempty"`
	PreviewURL   string                        `json:"PreviewUrl,omitempty"`
	Permission   ReferenceAttachmentPermission `json:"Permission,omitempty"`
	IsFolder     *bool                         `json:"IsFolder,omitempty"`
}

// AttachmentODataType returns ODataTypeReferenceAttachment.
func (*ReferenceAttachment) AttachmentODataType() string { return ODataTypeReferenceAttachment }

type referenceAttachmentFields ReferenceAttachment

// referenceAttachmentWire is a ReferenceAttachment on the wire: its "@odata.type" and its properties.
type referenceAttachmentWire struct {
	ODataType string `json:"@odata.type"`
	*referenceAttachmentFields
}

// UnmarshalJSON decodes the attachment, keeping unknown properties in Extra.
func (a *ReferenceAttachment) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, &referenceAttachmentWire{"", (*referenceAttachmentFields)(a)}, &a.Extra, &a.null)
}

// MarshalJSON writes the attachment with its "@odata.type" and the
// properties in Extra.
func (a ReferenceAttachment) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal(&referenceAttachmentWire{ODataTypeReferenceAttachment, (*referenceAttachmentFields)(&a)}, a.Extra, &a.null)
}

// UnknownAttachment is an attachment whose "@odata.type" this package does
// not know. Raw holds it as received; marshalling writes Raw back.
type UnknownAttachment struct {
	AttachmentBase
	ODataType string
	Raw       json.RawMessage
}

// AttachmentODataType returns the type the service sent.
func (a *UnknownAttachment) AttachmentODataType() string { return a.ODataType }

// MarshalJSON writes Raw.
func (a UnknownAttachment) MarshalJSON() ([]byte, error) {
	if len(a.Raw) == 0 {
		return []byte("null"), nil
	}
	return a.Raw, nil
}

// DecodeAttachment decodes one attachment by its "@odata.type". The type
// name is compared case-insensitively and with or without the leading "#".
func DecodeAttachment(raw []byte) (Attachment, error) {
	var head struct {
		ODataType string `json:"@odata.type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("outlook: decoding attachment: %w", err)
	}
	var a Attachment
	switch normalizeODataType(head.ODataType) {
	case strings.ToLower(ODataTypeFileAttachment):
		a = new(FileAttachment)
	case strings.ToLower(ODataTypeItemAttachment):
		a = new(ItemAttachment)
	case strings.ToLower(ODataTypeReferenceAttachment):
		a = new(ReferenceAttachment)
	default:
		u := &UnknownAttachment{ODataType: head.ODataType, Raw: append(json.RawMessage(nil), raw...)}
		if err := json.Unmarshal(raw, &u.AttachmentBase); err != nil {
			return nil, fmt.Errorf("outlook: decoding attachment: %w", err)
		}
		return u, nil
	}
	if err := json.Unmarshal(raw, a); err != nil {
		return nil, fmt.Errorf("outlook: decoding %s: %w", head.ODataType, err)
	}
	return a, nil
}

func normalizeODataType(t string) string {
	t = strings.ToLower(t)
	if t != "" && t[0] != '#' {
		t = "#" + t
	}
	return t
}

// Attachments is a list of attachments that decodes each element by its
// "@odata.type" (Message.Attachments).
type Attachments []Attachment

// UnmarshalJSON decodes every attachment by its type.
func (as *Attachments) UnmarshalJSON(b []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return err
	}
	out := make(Attachments, 0, len(raws))
	for _, r := range raws {
		a, err := DecodeAttachment(r)
		if err != nil {
			return err
		}
		out = append(out, a)
	}
	*as = out
	return nil
}
