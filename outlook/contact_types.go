package outlook

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/office365-go/office365/internal/jsonx"
)

// Contact is a personal contact (entity Contact).
//
// Every property is optional: a zero value is not sent when the Contact is
// the body of a create call (GivenName is required there), and means "not
// returned" in a response. Use ContactUpdate to change a contact.
type Contact struct {
	// ODataType is "@odata.type"; set on contacts inside item attachments.
	ODataType string `json:"@odata.type,omitempty"`
	ODataID   string `json:"@odata.id,omitempty"`
	ODataETag string `json:"@odata.etag,omitempty"`

	ID                   string     `json:"Id,omitempty"`
	CreatedDateTime      *time.Time `json:"CreatedDateTime,omitempty"`
	LastModifiedDateTime *time.Time `json:"LastModifiedDateTime,omitempty"`
	ChangeKey            string     `json:"ChangeKey,omitempty"`
	Categories           []string   `json:"Categories,omitempty"`
	ParentFolderID       string     `json:"ParentFolderId,omitempty"`

	DisplayName string `json:"DisplayName,omitempty"`
	GivenName   string `json:"GivenName,omitempty"`
	MiddleName  string `json:"MiddleName,omitempty"`
	Surname     string `json:"Surname,omitempty"`
	NickName    string `json:"NickName,omitempty"`
	Initials    string `json:"Initials,omitempty"`
	Title       string `json:"Title,omitempty"`
	Generation  string `json:"Generation,omitempty"`
	FileAs      string `json:"FileAs,omitempty"`

	YomiGivenName   string `json:"YomiGivenName,omitempty"`
	YomiSurname     string `json:"YomiSurname,omitempty"`
	YomiCompanyName string `json:"YomiCompanyName,omitempty"`

	EmailAddresses []EmailAddress `json:"EmailAddresses,omitempty"`
	ImAddresses    []string       `json:"ImAddresses,omitempty"`
	BusinessPhones []string       `json:"BusinessPhones,omitempty"`
	HomePhones     []string       `json:"HomePhones,omitempty"`
	MobilePhone1   string         `json:"MobilePhone1,omitempty"`

	HomeAddress     *PhysicalAddress `json:"HomeAddress,omitempty"`
	BusinessAddress *PhysicalAddress `json:"BusinessAddress,omitempty"`
	OtherAddress    *PhysicalAddress `json:"OtherAddress,omitempty"`

	CompanyName      string `json:"CompanyName,omitempty"`
	Department       string `json:"Department,omitempty"`
	JobTitle         string `json:"JobTitle,omitempty"`
	Profession       string `json:"Profession,omitempty"`
	OfficeLocation   string `json:"OfficeLocation,omitempty"`
	Manager          string `json:"Manager,omitempty"`
	AssistantName    string `json:"AssistantName,omitempty"`
	BusinessHomePage string `json:"BusinessHomePage,omitempty"`

	Birthday      *time.Time `json:"Birthday,omitempty"`
	SpouseName    string     `json:"SpouseName,omitempty"`
	Children      []string   `json:"Children,omitempty"`
	PersonalNotes string     `json:"PersonalNotes,omitempty"`

	// Beta-only properties.
	Flag               *FollowupFlag     `json:"Flag,omitempty"`
	Gender             string            `json:"Gender,omitempty"`
	Phones             []Phone           `json:"Phones,omitempty"`
	PostalAddresses    []PhysicalAddress `json:"PostalAddresses,omitempty"`
	Websites           []Website         `json:"Websites,omitempty"`
	WeddingAnniversary string            `json:"WeddingAnniversary,omitempty"` // Date "YYYY-MM-DD"

	// Extensions holds open extensions ($expand=Extensions).
	Extensions                    []json.RawMessage                   `json:"Extensions,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the properties the service sent that Contact has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type contactFields Contact

// UnmarshalJSON decodes the Contact, keeping unknown properties in Extra.
func (c *Contact) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*contactFields)(c), &c.Extra, &c.null)
}

// MarshalJSON encodes the Contact and the properties in Extra.
func (c Contact) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*contactFields)(&c), c.Extra, &c.null)
}

// Phone is a phone number (beta).
type Phone struct {
	Type     PhoneType `json:"Type,omitempty"`
	Number   string    `json:"Number,omitempty"`
	Region   string    `json:"Region,omitempty"`
	Language string    `json:"Language,omitempty"`
	// Extra holds the properties the service sent that Phone has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type phoneFields Phone

// UnmarshalJSON decodes the Phone, keeping unknown properties in Extra.
func (p *Phone) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*phoneFields)(p), &p.Extra, &p.null)
}

// MarshalJSON encodes the Phone and the properties in Extra.
func (p Phone) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*phoneFields)(&p), p.Extra, &p.null)
}

// Website is a web site (beta).
type Website struct {
	Type        WebsiteType `json:"Type,omitempty"`
	Address     string      `json:"Address,omitempty"`
	DisplayName string      `json:"DisplayName,omitempty"`
	// Extra holds the properties the service sent that Website has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type websiteFields Website

// UnmarshalJSON decodes the Website, keeping unknown properties in Extra.
func (w *Website) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*websiteFields)(w), &w.Extra, &w.null)
}

// MarshalJSON encodes the Website and the properties in Extra.
func (w Website) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*websiteFields)(&w), w.Extra, &w.null)
}

// ContactUpdate is the body of PATCH {root}/contacts/{id}: only the fields
// that are set (Set or Null) are sent.
type ContactUpdate struct {
	AssistantName                 Optional[string]                              `json:"AssistantName,omitzero"`
	Birthday                      Optional[time.Time]                           `json:"Birthday,omitzero"`
	BusinessAddress               Optional[PhysicalAddress]                     `json:"BusinessAddress,omitzero"`
	BusinessHomePage              Optional[string]                              `json:"BusinessHomePage,omitzero"`
	BusinessPhones                Optional[[]string]                            `json:"BusinessPhones,omitzero"`
	Categories                    Optional[[]string]                            `json:"Categories,omitzero"`
	Children                      Optional[[]string]                            `json:"Children,omitzero"`
	CompanyName                   Optional[string]                              `json:"CompanyName,omitzero"`
	Department                    Optional[string]                              `json:"Department,omitzero"`
	DisplayName                   Optional[string]                              `json:"DisplayName,omitzero"`
	EmailAddresses                Optional[[]EmailAddress]                      `json:"EmailAddresses,omitzero"`
	FileAs                        Optional[string]                              `json:"FileAs,omitzero"`
	Generation                    Optional[string]                              `json:"Generation,omitzero"`
	GivenName                     Optional[string]                              `json:"GivenName,omitzero"`
	HomeAddress                   Optional[PhysicalAddress]                     `json:"HomeAddress,omitzero"`
	HomePhones                    Optional[[]string]                            `json:"HomePhones,omitzero"`
	ImAddresses                   Optional[[]string]                            `json:"ImAddresses,omitzero"`
	Initials                      Optional[string]                              `json:"Initials,omitzero"`
	JobTitle                      Optional[string]                              `json:"JobTitle,omitzero"`
	Manager                       Optional[string]                              `json:"Manager,omitzero"`
	MiddleName                    Optional[string]                              `json:"MiddleName,omitzero"`
	MobilePhone1                  Optional[string]                              `json:"MobilePhone1,omitzero"`
	NickName                      Optional[string]                              `json:"NickName,omitzero"`
	OfficeLocation                Optional[string]                              `json:"OfficeLocation,omitzero"`
	OtherAddress                  Optional[PhysicalAddress]                     `json:"OtherAddress,omitzero"`
	PersonalNotes                 Optional[string]                              `json:"PersonalNotes,omitzero"`
	Profession                    Optional[string]                              `json:"Profession,omitzero"`
	SpouseName                    Optional[string]                              `json:"SpouseName,omitzero"`
	Surname                       Optional[string]                              `json:"Surname,omitzero"`
	Title                         Optional[string]                              `json:"Title,omitzero"`
	YomiCompanyName               Optional[string]                              `json:"YomiCompanyName,omitzero"`
	YomiGivenName                 Optional[string]                              `json:"YomiGivenName,omitzero"`
	YomiSurname                   Optional[string]                              `json:"YomiSurname,omitzero"`
	SingleValueExtendedProperties Optional[[]SingleValueLegacyExtendedProperty] `json:"SingleValueExtendedProperties,omitzero"`
	MultiValueExtendedProperties  Optional[[]MultiValueLegacyExtendedProperty]  `json:"MultiValueExtendedProperties,omitzero"`
}

// ContactFolder is a contact folder (entity ContactFolder).
type ContactFolder struct {
	ODataID string `json:"@odata.id,omitempty"`

	ID             string `json:"Id,omitempty"`
	DisplayName    string `json:"DisplayName,omitempty"`
	ParentFolderID string `json:"ParentFolderId,omitempty"`
	// WellKnownName is beta only ("contacts" for the default folder).
	WellKnownName string `json:"WellKnownName,omitempty"`
	// ChildFolders is only present with $expand=ChildFolders.
	ChildFolders                  []ContactFolder                     `json:"ChildFolders,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the properties the service sent that ContactFolder has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type contactFolderFields ContactFolder

// UnmarshalJSON decodes the ContactFolder, keeping unknown properties in Extra.
func (c *ContactFolder) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*contactFolderFields)(c), &c.Extra, &c.null)
}

// MarshalJSON encodes the ContactFolder and the properties in Extra.
func (c ContactFolder) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*contactFolderFields)(&c), c.Extra, &c.null)
}

// ContactFolderUpdate is the body of PATCH {root}/contactfolders/{id}.
type ContactFolderUpdate struct {
	DisplayName                   Optional[string]                              `json:"DisplayName,omitzero"`
	SingleValueExtendedProperties Optional[[]SingleValueLegacyExtendedProperty] `json:"SingleValueExtendedProperties,omitzero"`
	MultiValueExtendedProperties  Optional[[]MultiValueLegacyExtendedProperty]  `json:"MultiValueExtendedProperties,omitzero"`
}

// NewContactItemAttachment returns an ItemAttachment carrying c (its
// "@odata.type" is set to ODataTypeContact).
func NewContactItemAttachment(name string, c *Contact) (*ItemAttachment, error) {
	if c == nil {
		return nil, errors.New("outlook: NewContactItemAttachment: nil contact")
	}
	cp := *c
	if cp.ODataType == "" {
		cp.ODataType = ODataTypeContact
	}
	return newItemAttachment(name, "contact", cp)
}

// Contact decodes the attached item as a Contact. It fails when the item was
// not returned (use $expand=Item) or is not a contact.
func (a *ItemAttachment) Contact() (*Contact, error) {
	return attachedItem[Contact](a, "a", "contact", isODataType(ODataTypeContact))
}
