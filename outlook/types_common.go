package outlook

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
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
}

// GeoCoordinates is a geographic position. The service may send "NaN" for
// unknown values, which Double accepts.
type GeoCoordinates struct {
	Altitude         *Double `json:"Altitude,omitempty"`
	Latitude         *Double `json:"Latitude,omitempty"`
	Longitude        *Double `json:"Longitude,omitempty"`
	Accuracy         *Double `json:"Accuracy,omitempty"`
	AltitudeAccuracy *Double `json:"AltitudeAccuracy,omitempty"`
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
}

// RecurrenceRange says when a recurrence starts and ends. Dates are
// "YYYY-MM-DD".
type RecurrenceRange struct {
	Type                RecurrenceRangeType `json:"Type,omitempty"`
	StartDate           string              `json:"StartDate,omitempty"`
	EndDate             string              `json:"EndDate,omitempty"`
	RecurrenceTimeZone  string              `json:"RecurrenceTimeZone,omitempty"`
	NumberOfOccurrences int32               `json:"NumberOfOccurrences,omitempty"`
}

// LocaleInfo is a language and country (e.g. Locale "en-US", DisplayName
// "English (United States)").
type LocaleInfo struct {
	Locale      string `json:"Locale,omitempty"`
	DisplayName string `json:"DisplayName,omitempty"`
}

// SingleValueLegacyExtendedProperty is a MAPI property with one value
// (always sent as a string). PropertyID forms are described in the
// reference, e.g. "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color".
type SingleValueLegacyExtendedProperty struct {
	PropertyID string `json:"PropertyId"`
	Value      string `json:"Value"`
}

// MultiValueLegacyExtendedProperty is a MAPI property with several values.
type MultiValueLegacyExtendedProperty struct {
	PropertyID string   `json:"PropertyId"`
	Value      []string `json:"Value"`
}
