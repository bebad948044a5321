package outlook

// Extended properties: MAPI properties of messages, events, contacts and
// folders that the entity types do not expose, addressed by a PropertyId
// string. Values travel as strings; PropertyValue lists the Go types they
// convert from and to. extprop_item.go reads and writes them on one item.

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/office365-go/office365"
)

// PropertyType is the MAPI type named at the start of a PropertyId, such as
// "String" or "IntegerArray". Types ending in "Array" are multi-value types:
// their properties are MultiValueLegacyExtendedProperty values.
type PropertyType string

// The MAPI property types the service accepts in a PropertyId.
const (
	PropertyTypeApplicationTime PropertyType = "ApplicationTime"
	PropertyTypeBinary          PropertyType = "Binary"
	PropertyTypeBoolean         PropertyType = "Boolean"
	PropertyTypeCLSID           PropertyType = "CLSID"
	PropertyTypeCurrency        PropertyType = "Currency"
	PropertyTypeDouble          PropertyType = "Double"
	PropertyTypeError           PropertyType = "Error"
	PropertyTypeFloat           PropertyType = "Float"
	PropertyTypeInteger         PropertyType = "Integer" // 32-bit (PT_LONG)
	PropertyTypeLong            PropertyType = "Long"    // 64-bit (PT_I8)
	PropertyTypeNull            PropertyType = "Null"
	PropertyTypeObject          PropertyType = "Object"
	PropertyTypeShort           PropertyType = "Short" // 16-bit
	PropertyTypeSystemTime      PropertyType = "SystemTime"
	PropertyTypeString          PropertyType = "String"

	PropertyTypeApplicationTimeArray PropertyType = "ApplicationTimeArray"
	PropertyTypeBinaryArray          PropertyType = "BinaryArray"
	PropertyTypeCLSIDArray           PropertyType = "CLSIDArray"
	PropertyTypeCurrencyArray        PropertyType = "CurrencyArray"
	PropertyTypeDoubleArray          PropertyType = "DoubleArray"
	PropertyTypeFloatArray           PropertyType = "FloatArray"
	PropertyTypeIntegerArray         PropertyType = "IntegerArray"
	PropertyTypeLongArray            PropertyType = "LongArray"
	PropertyTypeObjectArray          PropertyType = "ObjectArray"
	PropertyTypeShortArray           PropertyType = "ShortArray"
	PropertyTypeSystemTimeArray      PropertyType = "SystemTimeArray"
	PropertyTypeStringArray          PropertyType = "StringArray"
)

var propertyTypes = func() map[string]PropertyType {
	m := map[string]PropertyType{}
	for _, t := range []PropertyType{
		PropertyTypeApplicationTime, PropertyTypeBinary, PropertyTypeBoolean, PropertyTypeCLSID,
		PropertyTypeCurrency, PropertyTypeDouble, PropertyTypeError, PropertyTypeFloat, PropertyTypeInteger,
		PropertyTypeLong, PropertyTypeNull, PropertyTypeObject, PropertyTypeShort, PropertyTypeSystemTime,
		PropertyTypeString, PropertyTypeApplicationTimeArray, PropertyTypeBinaryArray, PropertyTypeCLSIDArray,
		PropertyTypeCurrencyArray, PropertyTypeDoubleArray, PropertyTypeFloatArray, PropertyTypeIntegerArray,
		PropertyTypeLongArray, PropertyTypeObjectArray, PropertyTypeShortArray, PropertyTypeSystemTimeArray,
		PropertyTypeStringArray,
	} {
		m[strings.ToLower(string(t))] = t
	}
	return m
}()

// canonical returns the reference spelling of t and whether t is known
// (compared case-insensitively).
func (t PropertyType) canonical() (PropertyType, bool) {
	c, ok := propertyTypes[strings.ToLower(string(t))]
	return c, ok
}

// Valid reports whether t is one of the MAPI types the service accepts.
func (t PropertyType) Valid() bool { _, ok := t.canonical(); return ok }

// IsMultiValue reports whether t is an Array type.
func (t PropertyType) IsMultiValue() bool {
	c, ok := t.canonical()
	return ok && strings.HasSuffix(string(c), "Array")
}

// Element returns the single-value type of an Array type (StringArray →
// String); other types are returned unchanged.
func (t PropertyType) Element() PropertyType {
	c, ok := t.canonical()
	if !ok {
		return t
	}
	return PropertyType(strings.TrimSuffix(string(c), "Array"))
}

// Array returns the Array type of a single-value type (String →
// StringArray), or "" when the type has no Array form (Boolean, Error,
// Null).
func (t PropertyType) Array() PropertyType {
	if t.IsMultiValue() {
		c, _ := t.canonical()
		return c
	}
	a, ok := PropertyType(string(t) + "Array").canonical()
	if !ok {
		return ""
	}
	return a
}

// Well-known MAPI property sets (the GUID of the "{type} {guid} Name …" and
// "{type} {guid} Id …" forms).
const (
	// PropertySetPublicStrings is PS_PUBLIC_STRINGS, the set for custom
	// named properties that other applications may see.
	PropertySetPublicStrings = "00020329-0000-0000-C000-000000000046"
	// PropertySetInternetHeaders is PS_INTERNET_HEADERS: named properties
	// mapped to Internet message headers.
	PropertySetInternetHeaders = "00020386-0000-0000-C000-000000000046"
	// PropertySetCommon is PSETID_Common.
	PropertySetCommon = "00062008-0000-0000-C000-000000000046"
	// PropertySetAddress is PSETID_Address (contact properties).
	PropertySetAddress = "00062004-0000-0000-C000-000000000046"
	// PropertySetAppointment is PSETID_Appointment (event properties).
	PropertySetAppointment = "00062002-0000-0000-C000-000000000046"
	// PropertySetTask is PSETID_Task.
	PropertySetTask = "00062003-0000-0000-C000-000000000046"
)

// PropertyIDForm is how a PropertyId names its property.
type PropertyIDForm uint8

// The three PropertyId forms. Once a form is chosen for a property, always
// address it with the same form.
const (
	// PropertyByName is "{type} {guid} Name {name}": a named property in a
	// property set.
	PropertyByName PropertyIDForm = iota + 1
	// PropertyByNumber is "{type} {guid} Id 0x{id}": a numeric named
	// property (a LID) in a property set.
	PropertyByNumber
	// PropertyByTag is "{type} 0x{tag}": a MAPI tagged property, by its
	// 16-bit property identifier.
	PropertyByTag
)

// String returns "Name", "Id" or "Tag".
func (f PropertyIDForm) String() string {
	switch f {
	case PropertyByName:
		return "Name"
	case PropertyByNumber:
		return "Id"
	case PropertyByTag:
		return "Tag"
	}
	return "PropertyIDForm(" + strconv.Itoa(int(f)) + ")"
}

// maxPropertyNameLen caps the name of a named property.
const maxPropertyNameLen = 255

// PropertyID identifies an extended property: the PropertyId of
// SingleValueLegacyExtendedProperty and MultiValueLegacyExtendedProperty.
// Build one with NamedProperty, NumberedProperty or TaggedProperty, or
// parse one with ParsePropertyID; String formats it for the wire.
type PropertyID struct {
	// Type is the MAPI type (String, Integer, …, StringArray, …).
	Type PropertyType
	// Form says which of the other fields name the property.
	Form PropertyIDForm
	// SetID is the property set GUID of the Name and Id forms, without
	// braces, as given (e.g. PropertySetPublicStrings).
	SetID string
	// Name is the name of the Name form.
	Name string
	// Number is the numeric id (LID) of the Id form.
	Number uint32
	// Tag is the 16-bit property identifier of the tag form (0x0E07 for
	// PR_MESSAGE_FLAGS).
	Tag uint16
}

// NamedProperty returns the PropertyId "{t} {setID} Name {name}", e.g.
// NamedProperty(PropertyTypeString, "66f5a359-4659-4830-9070-00047ec6ac6e",
// "Color").String() = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name
// Color". setID may carry braces. Invalid arguments are reported when the
// id is used (Validate).
func NamedProperty(t PropertyType, setID, name string) PropertyID {
	return PropertyID{Type: t, Form: PropertyByName, SetID: trimBraces(setID), Name: name}
}

// NumberedProperty returns the PropertyId "{t} {setID} Id 0x{id}", e.g.
// "Integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Id 0x8012".
func NumberedProperty(t PropertyType, setID string, id uint32) PropertyID {
	return PropertyID{Type: t, Form: PropertyByNumber, SetID: trimBraces(setID), Number: id}
}

// TaggedProperty returns the PropertyId "{t} 0x{tag}", e.g.
// TaggedProperty(PropertyTypeInteger, 0x0E07) = "Integer 0x0E07".
func TaggedProperty(t PropertyType, tag uint16) PropertyID {
	return PropertyID{Type: t, Form: PropertyByTag, Tag: tag}
}

func trimBraces(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' {
		return s[1 : len(s)-1]
	}
	return s
}

// Validate reports whether the id is well formed: a known type, a GUID
// property set for the Name and Id forms, a name without control
// characters.
func (p PropertyID) Validate() error {
	if !p.Type.Valid() {
		return fmt.Errorf("outlook: PropertyID: unknown MAPI property type %q", p.Type)
	}
	switch p.Form {
	case PropertyByName, PropertyByNumber:
		if _, err := uuid.Parse(p.SetID); err != nil || len(p.SetID) != 36 {
			return fmt.Errorf("outlook: PropertyID: property set %q is not a GUID", p.SetID)
		}
		if p.Form == PropertyByNumber {
			return nil
		}
		if p.Name == "" {
			return errors.New("outlook: PropertyID: empty property name")
		}
		if len(p.Name) > maxPropertyNameLen {
			return fmt.Errorf("outlook: PropertyID: property name longer than %d bytes", maxPropertyNameLen)
		}
		if !utf8.ValidString(p.Name) || strings.IndexFunc(p.Name, unicode.IsControl) >= 0 {
			return fmt.Errorf("outlook: PropertyID: property name %q holds control characters or invalid UTF-8", p.Name)
		}
		if strings.TrimSpace(p.Name) != p.Name {
			return fmt.Errorf("outlook: PropertyID: property name %q has leading or trailing spaces", p.Name)
		}
	case PropertyByTag:
	default:
		return fmt.Errorf("outlook: PropertyID: unknown form %d", p.Form)
	}
	return nil
}

// String formats the id as the service expects it. The type is written in
// its reference spelling, numbers as 0x and at least four upper-case hex
// digits ("0x0E07", "0x8012"), the GUID in braces as given.
func (p PropertyID) String() string {
	t := p.Type
	if c, ok := t.canonical(); ok {
		t = c
	}
	switch p.Form {
	case PropertyByName:
		return string(t) + " {" + p.SetID + "} Name " + p.Name
	case PropertyByNumber:
		return fmt.Sprintf("%s {%s} Id 0x%04X", t, p.SetID, p.Number)
	case PropertyByTag:
		return fmt.Sprintf("%s 0x%04X", t, p.Tag)
	}
	return string(t)
}

// ParsePropertyID parses a PropertyId in any of its three forms:
//
//	String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color
//	Integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Id 0x8012
//	Integer 0x0E07
//
// The type and the Name/Id keywords are matched case-insensitively (the
// type is canonicalised); the Id number may be hex (0x…) or decimal; the
// name is everything after "Name ", spaces included.
func ParsePropertyID(s string) (PropertyID, error) {
	bad := func(why string) (PropertyID, error) {
		return PropertyID{}, fmt.Errorf("outlook: ParsePropertyID(%q): %s", s, why)
	}
	typ, rest, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return bad("want \"{type} {guid} Name {name}\", \"{type} {guid} Id {id}\" or \"{type} 0x{tag}\"")
	}
	t, known := PropertyType(typ).canonical()
	if !known {
		return bad(fmt.Sprintf("unknown MAPI property type %q", typ))
	}
	rest = strings.TrimLeft(rest, " ")
	var p PropertyID
	if strings.HasPrefix(rest, "{") {
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return bad("unterminated property set GUID")
		}
		setID := rest[1:end]
		kw, val, ok := strings.Cut(strings.TrimLeft(rest[end+1:], " "), " ")
		if !ok {
			return bad("want Name or Id after the property set")
		}
		switch {
		case strings.EqualFold(kw, "Name"):
			p = PropertyID{Type: t, Form: PropertyByName, SetID: setID, Name: val}
		case strings.EqualFold(kw, "Id"):
			n, err := parsePropNumber(strings.TrimSpace(val), 32)
			if err != nil {
				return bad("Id: " + err.Error())
			}
			p = PropertyID{Type: t, Form: PropertyByNumber, SetID: setID, Number: uint32(n)}
		default:
			return bad(fmt.Sprintf("want Name or Id after the property set, not %q", kw))
		}
	} else {
		if !strings.HasPrefix(rest, "0x") && !strings.HasPrefix(rest, "0X") {
			return bad("a tag must be written 0x followed by hex digits")
		}
		n, err := parsePropNumber(strings.TrimSpace(rest), 16)
		if err != nil {
			return bad("tag: " + err.Error())
		}
		p = PropertyID{Type: t, Form: PropertyByTag, Tag: uint16(n)}
	}
	if err := p.Validate(); err != nil {
		return bad(strings.TrimPrefix(err.Error(), "outlook: PropertyID: "))
	}
	return p, nil
}

func parsePropNumber(s string, bits int) (uint64, error) {
	if s == "" {
		return 0, errors.New("missing number")
	}
	var n uint64
	var err error
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		if len(s) == 2 {
			return 0, errors.New("missing hex digits")
		}
		n, err = strconv.ParseUint(s[2:], 16, bits)
	} else {
		n, err = strconv.ParseUint(s, 10, bits)
	}
	if err != nil {
		return 0, fmt.Errorf("%q is not a %d-bit number", s, bits)
	}
	return n, nil
}

// MarshalText formats a valid id (String); an invalid one is an error.
func (p PropertyID) MarshalText() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return []byte(p.String()), nil
}

// UnmarshalText parses text with ParsePropertyID.
func (p *PropertyID) UnmarshalText(b []byte) error {
	q, err := ParsePropertyID(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// Equal reports whether p and q name the same property the way the service
// compares PropertyId strings: the same form and number, with type, GUID and
// name compared case-insensitively.
func (p PropertyID) Equal(q PropertyID) bool {
	return strings.EqualFold(p.String(), q.String())
}

// matches reports whether the wire string s names p.
func (p PropertyID) matches(s string) bool {
	if strings.EqualFold(s, p.String()) {
		return true
	}
	q, err := ParsePropertyID(s)
	return err == nil && p.Equal(q)
}

// PropertyValue is the set of Go types extended property values convert
// from and to. Values travel as strings; which Go types suit which MAPI
// type:
//
//	String                      string
//	Integer, Short, Long,       any integer type (range-checked)
//	Currency
//	Boolean                     bool ("true"/"false")
//	Double, Float               float32, float64
//	SystemTime, ApplicationTime time.Time (ISO 8601, UTC)
//	Binary                      []byte (base64)
//	CLSID                       uuid.UUID
//
// A string is accepted for every type as the value's wire text; for the
// types above it must parse as such a value.
type PropertyValue interface {
	~string | ~bool | ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 |
		~float32 | ~float64 | time.Time | []byte | uuid.UUID
}

// NewSingleValue returns the extended property id = v, with v formatted for
// id's type. id must be a single-value type.
//
//	p, err := outlook.NewSingleValue(outlook.NamedProperty(outlook.PropertyTypeInteger, set, "Score"), 42)
//	msg.SingleValueExtendedProperties = append(msg.SingleValueExtendedProperties, p)
func NewSingleValue[T PropertyValue](id PropertyID, v T) (SingleValueLegacyExtendedProperty, error) {
	if err := id.Validate(); err != nil {
		return SingleValueLegacyExtendedProperty{}, err
	}
	if id.Type.IsMultiValue() {
		return SingleValueLegacyExtendedProperty{}, fmt.Errorf("outlook: %s is a multi-value property; use NewMultiValue", id)
	}
	s, err := FormatPropertyValue(id.Type, v)
	if err != nil {
		return SingleValueLegacyExtendedProperty{}, err
	}
	return SingleValueLegacyExtendedProperty{PropertyID: id.String(), Value: s}, nil
}

// NewMultiValue returns the multi-value extended property id = vs. id must
// be an Array type; each value is formatted for its element type.
func NewMultiValue[T PropertyValue](id PropertyID, vs ...T) (MultiValueLegacyExtendedProperty, error) {
	if err := id.Validate(); err != nil {
		return MultiValueLegacyExtendedProperty{}, err
	}
	if !id.Type.IsMultiValue() {
		return MultiValueLegacyExtendedProperty{}, fmt.Errorf("outlook: %s is a single-value property; use NewSingleValue", id)
	}
	out := MultiValueLegacyExtendedProperty{PropertyID: id.String(), Value: make([]string, 0, len(vs))}
	for i, v := range vs {
		s, err := FormatPropertyValue(id.Type.Element(), v)
		if err != nil {
			return MultiValueLegacyExtendedProperty{}, fmt.Errorf("value %d: %w", i, err)
		}
		out.Value = append(out.Value, s)
	}
	return out, nil
}

// FindSingleValue returns the value of property id among props (as
// returned by $expand=SingleValueExtendedProperties(…)).
func FindSingleValue(props []SingleValueLegacyExtendedProperty, id PropertyID) (string, bool) {
	for _, p := range props {
		if id.matches(p.PropertyID) {
			return p.Value, true
		}
	}
	return "", false
}

// FindMultiValue returns the values of multi-value property id among props.
func FindMultiValue(props []MultiValueLegacyExtendedProperty, id PropertyID) ([]string, bool) {
	for _, p := range props {
		if id.matches(p.PropertyID) {
			return p.Value, true
		}
	}
	return nil, false
}

// SingleValueOf finds property id among props and converts its value to T.
// ok is false (and err nil) when the property is absent.
//
//	score, ok, err := outlook.SingleValueOf[int32](msg.SingleValueExtendedProperties, scoreID)
func SingleValueOf[T PropertyValue](props []SingleValueLegacyExtendedProperty, id PropertyID) (v T, ok bool, err error) {
	s, ok := FindSingleValue(props, id)
	if !ok {
		return v, false, nil
	}
	v, err = ParsePropertyValue[T](id.Type, s)
	return v, true, err
}

// MultiValueOf finds multi-value property id among props and converts its
// values to T.
func MultiValueOf[T PropertyValue](props []MultiValueLegacyExtendedProperty, id PropertyID) ([]T, bool, error) {
	ss, ok := FindMultiValue(props, id)
	if !ok {
		return nil, false, nil
	}
	out := make([]T, 0, len(ss))
	for i, s := range ss {
		v, err := ParsePropertyValue[T](id.Type.Element(), s)
		if err != nil {
			return nil, true, fmt.Errorf("value %d: %w", i, err)
		}
		out = append(out, v)
	}
	return out, true, nil
}

// systemTimeLayout formats SystemTime values (UTC, seconds, no fraction
// when zero).
const systemTimeLayout = time.RFC3339Nano

// FormatPropertyValue formats v as the wire string of a value of MAPI type
// t (a single-value type; use t.Element() for Array types). See
// PropertyValue for the conversions.
func FormatPropertyValue[T PropertyValue](t PropertyType, v T) (string, error) {
	ct, ok := t.canonical()
	if !ok {
		return "", fmt.Errorf("outlook: unknown MAPI property type %q", t)
	}
	if ct.IsMultiValue() {
		return "", fmt.Errorf("outlook: %s is an Array type; format its elements with %s", ct, ct.Element())
	}
	mismatch := func() (string, error) {
		return "", fmt.Errorf("outlook: a %T cannot be a %s property value", v, ct)
	}
	switch x := any(v).(type) {
	case time.Time:
		if ct != PropertyTypeSystemTime && ct != PropertyTypeApplicationTime {
			return mismatch()
		}
		return x.UTC().Format(systemTimeLayout), nil
	case []byte:
		if ct != PropertyTypeBinary {
			return mismatch()
		}
		return base64.StdEncoding.EncodeToString(x), nil
	case uuid.UUID:
		if ct != PropertyTypeCLSID {
			return mismatch()
		}
		return x.String(), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		s := rv.String()
		if err := checkPropertyText(ct, s); err != nil {
			return "", err
		}
		return s, nil
	case reflect.Bool:
		if ct != PropertyTypeBoolean {
			return mismatch()
		}
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return formatPropertyInt(ct, rv.Int(), mismatch)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return formatPropertyInt(ct, int64(rv.Uint()), mismatch)
	case reflect.Float32, reflect.Float64:
		if ct != PropertyTypeDouble && ct != PropertyTypeFloat {
			return mismatch()
		}
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("outlook: %v is not a valid %s property value", f, ct)
		}
		bits := 64
		if ct == PropertyTypeFloat {
			bits = 32
		}
		return strconv.FormatFloat(f, 'g', -1, bits), nil
	}
	return mismatch()
}

func formatPropertyInt(t PropertyType, n int64, mismatch func() (string, error)) (string, error) {
	var lo, hi int64
	switch t {
	case PropertyTypeShort:
		lo, hi = math.MinInt16, math.MaxInt16
	case PropertyTypeInteger:
		lo, hi = math.MinInt32, math.MaxInt32
	case PropertyTypeLong, PropertyTypeCurrency:
		lo, hi = math.MinInt64, math.MaxInt64
	default:
		return mismatch()
	}
	if n < lo || n > hi {
		return "", fmt.Errorf("outlook: %d is out of range for a %s property", n, t)
	}
	return strconv.FormatInt(n, 10), nil
}

// checkPropertyText validates the wire text s of a value of type t.
func checkPropertyText(t PropertyType, s string) error {
	var err error
	switch t {
	case PropertyTypeShort:
		_, err = strconv.ParseInt(s, 10, 16)
	case PropertyTypeInteger:
		_, err = strconv.ParseInt(s, 10, 32)
	case PropertyTypeLong, PropertyTypeCurrency:
		_, err = strconv.ParseInt(s, 10, 64)
	case PropertyTypeDouble, PropertyTypeFloat:
		_, err = strconv.ParseFloat(s, 64)
	case PropertyTypeBoolean:
		_, err = parsePropBool(s)
	case PropertyTypeSystemTime, PropertyTypeApplicationTime:
		_, err = parsePropTime(s)
	case PropertyTypeBinary:
		_, err = base64.StdEncoding.DecodeString(s)
	case PropertyTypeCLSID:
		_, err = uuid.Parse(trimBraces(s))
	}
	if err != nil {
		return fmt.Errorf("outlook: %q is not a valid %s property value", s, t)
	}
	return nil
}

func parsePropBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q", s)
}

func parsePropTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	// The service may omit the offset; such values are UTC.
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date-time %q", s)
}

// ParsePropertyValue converts the wire string s of a value of MAPI type t
// (a single-value type) to T. See PropertyValue for the conversions; T =
// string returns s as is.
func ParsePropertyValue[T PropertyValue](t PropertyType, s string) (T, error) {
	var out T
	ct, ok := t.canonical()
	if !ok {
		return out, fmt.Errorf("outlook: unknown MAPI property type %q", t)
	}
	ct = ct.Element()
	fail := func(err error) (T, error) {
		var zero T
		return zero, fmt.Errorf("outlook: %s property value %q as %T: %w", ct, s, zero, err)
	}
	switch p := any(&out).(type) {
	case *time.Time:
		if ct != PropertyTypeSystemTime && ct != PropertyTypeApplicationTime {
			return fail(errors.New("not a time property"))
		}
		v, err := parsePropTime(s)
		if err != nil {
			return fail(err)
		}
		*p = v
		return out, nil
	case *[]byte:
		if ct != PropertyTypeBinary {
			return fail(errors.New("not a Binary property"))
		}
		v, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
		if err != nil {
			return fail(err)
		}
		*p = v
		return out, nil
	case *uuid.UUID:
		if ct != PropertyTypeCLSID {
			return fail(errors.New("not a CLSID property"))
		}
		v, err := uuid.Parse(trimBraces(s))
		if err != nil {
			return fail(err)
		}
		*p = v
		return out, nil
	}
	rv := reflect.ValueOf(&out).Elem()
	switch rv.Kind() {
	case reflect.String:
		rv.SetString(s)
	case reflect.Bool:
		if ct != PropertyTypeBoolean {
			return fail(errors.New("not a Boolean property"))
		}
		b, err := parsePropBool(s)
		if err != nil {
			return fail(err)
		}
		rv.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		switch ct {
		case PropertyTypeShort, PropertyTypeInteger, PropertyTypeLong, PropertyTypeCurrency:
		default:
			return fail(errors.New("not an integer property"))
		}
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, rv.Type().Bits())
		if err != nil {
			return fail(err)
		}
		rv.SetInt(n)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		switch ct {
		case PropertyTypeShort, PropertyTypeInteger, PropertyTypeLong, PropertyTypeCurrency:
		default:
			return fail(errors.New("not an integer property"))
		}
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, rv.Type().Bits())
		if err != nil {
			return fail(err)
		}
		rv.SetUint(n)
	case reflect.Float32, reflect.Float64:
		if ct != PropertyTypeDouble && ct != PropertyTypeFloat {
			return fail(errors.New("not a Double or Float property"))
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), rv.Type().Bits())
		if err != nil {
			return fail(err)
		}
		rv.SetFloat(f)
	default:
		return fail(errors.New("unsupported Go type"))
	}
	return out, nil
}

// ExpandSingleValueProperties returns the $expand clause that reads the
// named single-value properties with an item, for GetOptions.Expand or
// ListOptions.Expand:
//
//	SingleValueExtendedProperties($filter=PropertyId eq '…' or PropertyId eq '…')
//
// (The service returns only properties that are named: there is no way to
// read all of an item's extended properties.)
func ExpandSingleValueProperties(ids ...PropertyID) string {
	return "SingleValueExtendedProperties(" + propertyIDFilter(ids) + ")"
}

// ExpandMultiValueProperties is ExpandSingleValueProperties for
// multi-value properties (MultiValueExtendedProperties).
func ExpandMultiValueProperties(ids ...PropertyID) string {
	return "MultiValueExtendedProperties(" + propertyIDFilter(ids) + ")"
}

func propertyIDFilter(ids []PropertyID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "PropertyId eq " + office365.QuoteString(id.String())
	}
	return "$filter=" + strings.Join(parts, " or ")
}

// SingleValuePropertyFilter returns the $filter that selects items whose
// single-value property id equals v, for ListOptions.Filter:
//
//	SingleValueExtendedProperties/Any(ep: ep/PropertyId eq '…' and ep/Value eq '…')
//
// Multi-value properties cannot be filtered on.
func SingleValuePropertyFilter[T PropertyValue](id PropertyID, v T) (string, error) {
	p, err := NewSingleValue(id, v)
	if err != nil {
		return "", err
	}
	return "SingleValueExtendedProperties/Any(ep: ep/PropertyId eq " + office365.QuoteString(p.PropertyID) +
		" and ep/Value eq " + office365.QuoteString(p.Value) + ")", nil
}
