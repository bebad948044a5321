package outlook

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/office365-go/office365/internal/jsonx"
)

// OData type names (the "@odata.type" annotation) of the entities this
// package sends or tells apart.
const (
	ODataTypeMessage             = "#Microsoft.OutlookServices.Message"
	ODataTypeEventMessage        = "#Microsoft.OutlookServices.EventMessage"
	ODataTypeEventMessageRequest = "#Microsoft.OutlookServices.EventMessageRequest"
	ODataTypeEvent               = "#Microsoft.OutlookServices.Event"
	ODataTypeContact             = "#Microsoft.OutlookServices.Contact"
	ODataTypeFileAttachment      = "#Microsoft.OutlookServices.FileAttachment"
	ODataTypeItemAttachment      = "#Microsoft.OutlookServices.ItemAttachment"
	ODataTypeReferenceAttachment = "#Microsoft.OutlookServices.ReferenceAttachment"
	ODataTypeCustomTimeZone      = "#Microsoft.OutlookServices.CustomTimeZone"
)

// EmailAddress is a name and SMTP address (complex type EmailAddress).
type EmailAddress struct {
	Name    string `json:"Name,omitempty"`
	Address string `json:"Address,omitempty"`
	// Extra holds the properties the service sent that EmailAddress has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type emailAddressFields EmailAddress

// UnmarshalJSON decodes the EmailAddress, keeping unknown properties in Extra.
func (e *EmailAddress) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*emailAddressFields)(e), &e.Extra, &e.null)
}

// MarshalJSON encodes the EmailAddress and the properties in Extra.
func (e EmailAddress) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*emailAddressFields)(&e), e.Extra, &e.null)
}

// String formats the address as "Name <address>" (or just the address).
func (e EmailAddress) String() string {
	if e.Name == "" || e.Name == e.Address {
		return e.Address
	}
	return e.Name + " <" + e.Address + ">"
}

// Recipient is a message recipient, sender or rule address (complex type
// Recipient).
type Recipient struct {
	EmailAddress EmailAddress `json:"EmailAddress"`
	// Extra holds the properties the service sent that Recipient has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type recipientFields Recipient

// UnmarshalJSON decodes the Recipient, keeping unknown properties in Extra.
func (r *Recipient) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*recipientFields)(r), &r.Extra, &r.null)
}

// MarshalJSON encodes the Recipient and the properties in Extra.
func (r Recipient) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*recipientFields)(&r), r.Extra, &r.null)
}

// NewRecipient returns a Recipient for address with an optional display
// name.
func NewRecipient(address, name string) Recipient {
	return Recipient{EmailAddress: EmailAddress{Address: address, Name: name}}
}

// Recipients builds Recipients from bare addresses.
func Recipients(addresses ...string) []Recipient {
	out := make([]Recipient, len(addresses))
	for i, a := range addresses {
		out[i] = Recipient{EmailAddress: EmailAddress{Address: a}}
	}
	return out
}

// ItemBody is the body of a message, event or other item.
type ItemBody struct {
	ContentType BodyType `json:"ContentType,omitempty"`
	Content     string   `json:"Content"`
	// Extra holds the properties the service sent that ItemBody has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type itemBodyFields ItemBody

// UnmarshalJSON decodes the ItemBody, keeping unknown properties in Extra.
func (i *ItemBody) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*itemBodyFields)(i), &i.Extra, &i.null)
}

// MarshalJSON encodes the ItemBody and the properties in Extra.
func (i ItemBody) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*itemBodyFields)(&i), i.Extra, &i.null)
}

// TextBody returns a plain-text ItemBody.
func TextBody(s string) *ItemBody { return &ItemBody{ContentType: BodyTypeText, Content: s} }

// HTMLBody returns an HTML ItemBody.
func HTMLBody(s string) *ItemBody { return &ItemBody{ContentType: BodyTypeHTML, Content: s} }

// DateTimeTimeZone is a local date and time with the name of its time zone
// (complex type DateTimeTimeZone): DateTime is "YYYY-MM-DDTHH:MM:SS[.fffffff]"
// without an offset; TimeZone is a Windows zone name, a supported IANA name
// or "UTC". Responses use UTC unless the Prefer outlook.timezone option
// (Prefer.TimeZone) names another zone.
type DateTimeTimeZone struct {
	DateTime string `json:"DateTime"`
	TimeZone string `json:"TimeZone"`
	// Extra holds the properties the service sent that DateTimeTimeZone has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type dateTimeTimeZoneFields DateTimeTimeZone

// UnmarshalJSON decodes the DateTimeTimeZone, keeping unknown properties in Extra.
func (d *DateTimeTimeZone) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*dateTimeTimeZoneFields)(d), &d.Extra, &d.null)
}

// MarshalJSON encodes the DateTimeTimeZone and the properties in Extra.
func (d DateTimeTimeZone) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*dateTimeTimeZoneFields)(&d), d.Extra, &d.null)
}

// Location is the place of an event (complex type Location).
type Location struct {
	DisplayName          string               `json:"DisplayName,omitempty"`
	Address              *PhysicalAddress     `json:"Address,omitempty"`
	Coordinates          *GeoCoordinates      `json:"Coordinates,omitempty"`
	LocationEmailAddress string               `json:"LocationEmailAddress,omitempty"`
	LocationURI          string               `json:"LocationUri,omitempty"`
	LocationType         LocationType         `json:"LocationType,omitempty"`
	UniqueID             string               `json:"UniqueId,omitempty"`
	UniqueIDType         LocationUniqueIDType `json:"UniqueIdType,omitempty"`
	// Extra holds the properties the service sent that Location has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type locationFields Location

// UnmarshalJSON decodes the Location, keeping unknown properties in Extra.
func (l *Location) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*locationFields)(l), &l.Extra, &l.null)
}

// MarshalJSON encodes the Location and the properties in Extra.
func (l Location) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*locationFields)(&l), l.Extra, &l.null)
}

// PhysicalAddress is a postal address.
type PhysicalAddress struct {
	Type            PhysicalAddressType `json:"Type,omitempty"`
	PostOfficeBox   string              `json:"PostOfficeBox,omitempty"`
	Street          string              `json:"Street,omitempty"`
	City            string              `json:"City,omitempty"`
	State           string              `json:"State,omitempty"`
	CountryOrRegion string              `json:"CountryOrRegion,omitempty"`
	PostalCode      string              `json:"PostalCode,omitempty"`
	// Extra holds the properties the service sent that PhysicalAddress has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type physicalAddressFields PhysicalAddress

// UnmarshalJSON decodes the PhysicalAddress, keeping unknown properties in Extra.
func (p *PhysicalAddress) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*physicalAddressFields)(p), &p.Extra, &p.null)
}

// MarshalJSON encodes the PhysicalAddress and the properties in Extra.
func (p PhysicalAddress) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*physicalAddressFields)(&p), p.Extra, &p.null)
}

// GeoCoordinates is a geographic position. The service may send "NaN" for
// unknown values, which Double accepts.
type GeoCoordinates struct {
	Altitude         *Double `json:"Altitude,omitempty"`
	Latitude         *Double `json:"Latitude,omitempty"`
	Longitude        *Double `json:"Longitude,omitempty"`
	Accuracy         *Double `json:"Accuracy,omitempty"`
	AltitudeAccuracy *Double `json:"AltitudeAccuracy,omitempty"`
	// Extra holds the properties the service sent that GeoCoordinates has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type geoCoordinatesFields GeoCoordinates

// UnmarshalJSON decodes the GeoCoordinates, keeping unknown properties in Extra.
func (g *GeoCoordinates) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*geoCoordinatesFields)(g), &g.Extra, &g.null)
}

// MarshalJSON encodes the GeoCoordinates and the properties in Extra.
func (g GeoCoordinates) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*geoCoordinatesFields)(&g), g.Extra, &g.null)
}

// Double is an EDM Double, which the service may serialise as a number or
// as the strings "NaN", "INF" and "-INF".
type Double float64

// MarshalJSON writes a number, or "NaN"/"INF"/"-INF" as strings.
func (d Double) MarshalJSON() ([]byte, error) {
	f := float64(d)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"INF"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-INF"`), nil
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads a number or one of the special strings.
func (d *Double) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*d = Double(math.NaN())
		case "INF", "Infinity":
			*d = Double(math.Inf(1))
		case "-INF", "-Infinity":
			*d = Double(math.Inf(-1))
		default:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("outlook: invalid Double %q", s)
			}
			*d = Double(f)
		}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*d = Double(f)
	return nil
}

// PatternedRecurrence is the recurrence of an event or task.
type PatternedRecurrence struct {
	Pattern *RecurrencePattern `json:"Pattern,omitempty"`
	Range   *RecurrenceRange   `json:"Range,omitempty"`
	// Extra holds the properties the service sent that PatternedRecurrence has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type patternedRecurrenceFields PatternedRecurrence

// UnmarshalJSON decodes the PatternedRecurrence, keeping unknown properties in Extra.
func (r *PatternedRecurrence) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*patternedRecurrenceFields)(r), &r.Extra, &r.null)
}

// MarshalJSON encodes the PatternedRecurrence and the properties in Extra.
func (r PatternedRecurrence) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*patternedRecurrenceFields)(&r), r.Extra, &r.null)
}

// RecurrencePattern says how often something repeats.
type RecurrencePattern struct {
	Type           RecurrencePatternType `json:"Type,omitempty"`
	Interval       int32                 `json:"Interval,omitempty"`
	Month          int32                 `json:"Month,omitempty"`
	DayOfMonth     int32                 `json:"DayOfMonth,omitempty"`
	DaysOfWeek     []DayOfWeek           `json:"DaysOfWeek,omitempty"`
	FirstDayOfWeek DayOfWeek             `json:"FirstDayOfWeek,omitempty"`
	Index          WeekIndex             `json:"Index,omitempty"`
	// Extra holds the properties the service sent that RecurrencePattern has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type recurrencePatternFields RecurrencePattern

// UnmarshalJSON decodes the RecurrencePattern, keeping unknown properties in Extra.
func (p *RecurrencePattern) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*recurrencePatternFields)(p), &p.Extra, &p.null)
}

// MarshalJSON encodes the RecurrencePattern and the properties in Extra.
func (p RecurrencePattern) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*recurrencePatternFields)(&p), p.Extra, &p.null)
}

// RecurrenceRange says when a recurrence starts and ends. Dates are
// "YYYY-MM-DD".
type RecurrenceRange struct {
	Type                RecurrenceRangeType `json:"Type,omitempty"`
	StartDate           string              `json:"StartDate,omitempty"`
	EndDate             string              `json:"EndDate,omitempty"`
	RecurrenceTimeZone  string              `json:"RecurrenceTimeZone,omitempty"`
	NumberOfOccurrences int32               `json:"NumberOfOccurrences,omitempty"`
	// Extra holds the properties the service sent that RecurrenceRange has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type recurrenceRangeFields RecurrenceRange

// UnmarshalJSON decodes the RecurrenceRange, keeping unknown properties in Extra.
func (r *RecurrenceRange) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*recurrenceRangeFields)(r), &r.Extra, &r.null)
}

// MarshalJSON encodes the RecurrenceRange and the properties in Extra.
func (r RecurrenceRange) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*recurrenceRangeFields)(&r), r.Extra, &r.null)
}

// LocaleInfo is a language and country (e.g. Locale "en-US", DisplayName
// "English (United States)").
type LocaleInfo struct {
	Locale      string `json:"Locale,omitempty"`
	DisplayName string `json:"DisplayName,omitempty"`
	// Extra holds the properties the service sent that LocaleInfo has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type localeInfoFields LocaleInfo

// UnmarshalJSON decodes the LocaleInfo, keeping unknown properties in Extra.
func (l *LocaleInfo) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*localeInfoFields)(l), &l.Extra, &l.null)
}

// MarshalJSON encodes the LocaleInfo and the properties in Extra.
func (l LocaleInfo) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*localeInfoFields)(&l), l.Extra, &l.null)
}

// SingleValueLegacyExtendedProperty is a MAPI property with one value
// (always sent as a string). PropertyID forms are described in the
// reference, e.g. "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color".
type SingleValueLegacyExtendedProperty struct {
	PropertyID string `json:"PropertyId"`
	Value      string `json:"Value"`
	// Extra holds the properties the service sent that SingleValueLegacyExtendedProperty has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type singleValueLegacyExtendedPropertyFields SingleValueLegacyExtendedProperty

// UnmarshalJSON decodes the SingleValueLegacyExtendedProperty, keeping unknown properties in Extra.
func (s *SingleValueLegacyExtendedProperty) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*singleValueLegacyExtendedPropertyFields)(s), &s.Extra, &s.null)
}

// MarshalJSON encodes the SingleValueLegacyExtendedProperty and the properties in Extra.
func (s SingleValueLegacyExtendedProperty) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*singleValueLegacyExtendedPropertyFields)(&s), s.Extra, &s.null)
}

// MultiValueLegacyExtendedProperty is a MAPI property with several values.
type MultiValueLegacyExtendedProperty struct {
	PropertyID string   `json:"PropertyId"`
	Value      []string `json:"Value"`
	// Extra holds the properties the service sent that MultiValueLegacyExtendedProperty has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type multiValueLegacyExtendedPropertyFields MultiValueLegacyExtendedProperty

// UnmarshalJSON decodes the MultiValueLegacyExtendedProperty, keeping unknown properties in Extra.
func (m *MultiValueLegacyExtendedProperty) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*multiValueLegacyExtendedPropertyFields)(m), &m.Extra, &m.null)
}

// MarshalJSON encodes the MultiValueLegacyExtendedProperty and the properties in Extra.
func (m MultiValueLegacyExtendedProperty) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*multiValueLegacyExtendedPropertyFields)(&m), m.Extra, &m.null)
}
