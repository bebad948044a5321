package outlook_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

const colorSet = "66f5a359-4659-4830-9070-00047ec6ac6e"

func TestPropertyIDFormatAndParseEveryForm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		id    outlook.PropertyID
		wire  string
		alias []string // other spellings that parse to the same id
	}{
		{"name form", outlook.NamedProperty(outlook.PropertyTypeString, colorSet, "Color"),
			"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color",
			[]string{"string {66f5a359-4659-4830-9070-00047ec6ac6e} name Color", "  String  {66f5a359-4659-4830-9070-00047ec6ac6e}  Name Color"}},
		{"name form, upper-case GUID", outlook.NamedProperty(outlook.PropertyTypeString, "{8ECCC264-6880-4EBE-992F-8888D2EEAA1D}", "TestProperty"),
			"String {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Name TestProperty", nil},
		{"name with spaces", outlook.NamedProperty(outlook.PropertyTypeBoolean, outlook.PropertySetPublicStrings, "Is Archived"),
			"Boolean {00020329-0000-0000-C000-000000000046} Name Is Archived", nil},
		{"internet header", outlook.NamedProperty(outlook.PropertyTypeString, outlook.PropertySetInternetHeaders, "x-contoso-id"),
			"String {00020386-0000-0000-C000-000000000046} Name x-contoso-id", nil},
		{"id form", outlook.NumberedProperty(outlook.PropertyTypeInteger, "8ECCC264-6880-4EBE-992F-8888D2EEAA1D", 0x8012),
			"Integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Id 0x8012",
			[]string{"Integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Id 32786", "Integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} ID 0x8012", "integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Id 0X8012"}},
		{"id form, small id padded", outlook.NumberedProperty(outlook.PropertyTypeSystemTime, outlook.PropertySetCommon, 0x85A0),
			"SystemTime {00062008-0000-0000-C000-000000000046} Id 0x85A0", nil},
		{"id form, 32-bit id", outlook.NumberedProperty(outlook.PropertyTypeLong, outlook.PropertySetTask, 0x12345678),
			"Long {00062003-0000-0000-C000-000000000046} Id 0x12345678", nil},
		{"tag form", outlook.TaggedProperty(outlook.PropertyTypeInteger, 0x0E07), "Integer 0x0E07",
			[]string{"Integer 0x0e07", "INTEGER 0X0E07", "Integer 0xE07"}},
		{"tag form, string", outlook.TaggedProperty(outlook.PropertyTypeString, 0x007D), "String 0x007D", nil},
		{"multi-value name form", outlook.NamedProperty(outlook.PropertyTypeStringArray, colorSet, "Palette"),
			"StringArray {66f5a359-4659-4830-9070-00047ec6ac6e} Name Palette", []string{"stringarray {66f5a359-4659-4830-9070-00047ec6ac6e} Name Palette"}},
		{"multi-value id form", outlook.NumberedProperty(outlook.PropertyTypeIntegerArray, colorSet, 0x8013),
			"IntegerArray {66f5a359-4659-4830-9070-00047ec6ac6e} Id 0x8013", nil},
		{"multi-value tag form", outlook.TaggedProperty(outlook.PropertyTypeBinaryArray, 0x8001), "BinaryArray 0x8001", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, tc.id.Validate())
			assert.Equal(t, tc.wire, tc.id.String())
			parsed, err := outlook.ParsePropertyID(tc.wire)
			require.NoError(t, err)
			assert.Equal(t, tc.id, parsed)
			assert.Equal(t, tc.wire, parsed.String(), "round trip")
			for _, a := range tc.alias {
				p, err := outlook.ParsePropertyID(a)
				require.NoError(t, err, a)
				assert.True(t, p.Equal(tc.id), "%q equals %q", a, tc.wire)
			}
			text, err := tc.id.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.wire, string(text))
			var back outlook.PropertyID
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, tc.id, back)
			b, err := json.Marshal(map[string]outlook.PropertyID{"p": tc.id})
			require.NoError(t, err)
			assert.JSONEq(t, `{"p":`+mustJSON(t, tc.wire)+`}`, string(b))
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestParsePropertyIDErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"",
		"String",
		"Strng 0x0E07",
		"Integer 0E07",
		"Integer 0x",
		"Integer 0x1FFFF", // tag is 16 bits
		"Integer 0xZZ",
		"String {66f5a359-4659-4830-9070-00047ec6ac6e}",
		"String {66f5a359-4659-4830-9070-00047ec6ac6e Name Color",
		"String {not-a-guid} Name Color",
		"String {66f5a359465948309070-00047ec6ac6e0000} Name Color",
		"String {66f5a359-4659-4830-9070-00047ec6ac6e} Tag Color",
		"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name ",
		"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name a\x00b",
		"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name a\nb",
		"Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Id 0x100000000",
		"Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Id -1",
		"Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Id twelve",
	} {
		_, err := outlook.ParsePropertyID(s)
		assert.Error(t, err, "%q", s)
	}
	assert.Error(t, outlook.PropertyID{}.Validate())
	assert.Error(t, outlook.NamedProperty("Text", colorSet, "x").Validate())
	assert.Error(t, outlook.NamedProperty(outlook.PropertyTypeString, colorSet, "").Validate())
	assert.Error(t, outlook.NamedProperty(outlook.PropertyTypeString, colorSet, " padded ").Validate())
	_, err := outlook.PropertyID{Type: outlook.PropertyTypeString}.MarshalText()
	assert.Error(t, err)
}

func TestPropertyTypes(t *testing.T) {
	t.Parallel()
	singles := []outlook.PropertyType{
		outlook.PropertyTypeApplicationTime, outlook.PropertyTypeBinary, outlook.PropertyTypeBoolean, outlook.PropertyTypeCLSID,
		outlook.PropertyTypeCurrency, outlook.PropertyTypeDouble, outlook.PropertyTypeError, outlook.PropertyTypeFloat,
		outlook.PropertyTypeInteger, outlook.PropertyTypeLong, outlook.PropertyTypeNull, outlook.PropertyTypeObject,
		outlook.PropertyTypeShort, outlook.PropertyTypeSystemTime, outlook.PropertyTypeString,
	}
	arrays := map[outlook.PropertyType]outlook.PropertyType{
		outlook.PropertyTypeApplicationTime: outlook.PropertyTypeApplicationTimeArray, outlook.PropertyTypeBinary: outlook.PropertyTypeBinaryArray,
		outlook.PropertyTypeCLSID: outlook.PropertyTypeCLSIDArray, outlook.PropertyTypeCurrency: outlook.PropertyTypeCurrencyArray,
		outlook.PropertyTypeDouble: outlook.PropertyTypeDoubleArray, outlook.PropertyTypeFloat: outlook.PropertyTypeFloatArray,
		outlook.PropertyTypeInteger: outlook.PropertyTypeIntegerArray, outlook.PropertyTypeLong: outlook.PropertyTypeLongArray,
		outlook.PropertyTypeObject: outlook.PropertyTypeObjectArray, outlook.PropertyTypeShort: outlook.PropertyTypeShortArray,
		outlook.PropertyTypeSystemTime: outlook.PropertyTypeSystemTimeArray, outlook.PropertyTypeString: outlook.PropertyTypeStringArray,
	}
	for _, s := range singles {
		assert.True(t, s.Valid(), s)
		assert.False(t, s.IsMultiValue(), s)
		assert.Equal(t, s, s.Element())
		a := s.Array()
		assert.Equal(t, arrays[s], a, s)
		if a != "" {
			assert.True(t, a.IsMultiValue())
			assert.Equal(t, s, a.Element())
			assert.Equal(t, a, a.Array())
		}
	}
	assert.False(t, outlook.PropertyType("BooleanArray").Valid())
	assert.False(t, outlook.PropertyType("Text").IsMultiValue())
}

func TestExtendedPropertyValues(t *testing.T) {
	t.Parallel()
	str := outlook.NamedProperty(outlook.PropertyTypeString, colorSet, "Color")
	integer := outlook.NamedProperty(outlook.PropertyTypeInteger, colorSet, "Count")
	short := outlook.TaggedProperty(outlook.PropertyTypeShort, 0x8001)
	long := outlook.TaggedProperty(outlook.PropertyTypeLong, 0x8002)
	boolean := outlook.NamedProperty(outlook.PropertyTypeBoolean, colorSet, "Flag")
	when := outlook.NumberedProperty(outlook.PropertyTypeSystemTime, outlook.PropertySetCommon, 0x8516)
	bin := outlook.TaggedProperty(outlook.PropertyTypeBinary, 0x0FFF)
	dbl := outlook.TaggedProperty(outlook.PropertyTypeDouble, 0x8003)
	clsid := outlook.TaggedProperty(outlook.PropertyTypeCLSID, 0x8004)
	tags := outlook.NamedProperty(outlook.PropertyTypeStringArray, colorSet, "Palette")
	nums := outlook.NamedProperty(outlook.PropertyTypeIntegerArray, colorSet, "Numbers")

	type color string
	p, err := outlook.NewSingleValue(str, color("Green"))
	require.NoError(t, err)
	assert.Equal(t, outlook.SingleValueLegacyExtendedProperty{PropertyID: "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color", Value: "Green"}, p)

	ts := time.Date(2016, 12, 31, 23, 0, 0, 0, time.FixedZone("x", 3600))
	u := uuid.MustParse("8eccc264-6880-4ebe-992f-8888d2eeaa1d")
	cases := []struct {
		id   outlook.PropertyID
		make func() (outlook.SingleValueLegacyExtendedProperty, error)
		want string
	}{
		{integer, func() (outlook.SingleValueLegacyExtendedProperty, error) {
			return outlook.NewSingleValue(integer, int32(103))
		}, "103"},
		{integer, func() (outlook.SingleValueLegacyExtendedProperty, error) {
			return outlook.NewSingleValue(integer, "-7")
		}, "-7"},
		{short, func() (outlook.SingleValueLegacyExtendedProperty, error) { return outlook.NewSingleValue(short, 12) }, "12"},
		{long, func() (outlook.SingleValueLegacyExtendedProperty, error) {
			return outlook.NewSingleValue(long, int64(math.MaxInt64))
		}, "9223372036854775807"},
		{boolean, func() (outlook.SingleValueLegacyExtendedProperty, error) {
			return outlook.NewSingleValue(boolean, true)
		}, "true"},
		{when, func() (outlook.SingleValueLegacyExtendedProperty, error) { return outlook.NewSingleValue(when, ts) }, "2016-12-31T22:00:00Z"},
		{bin, func() (outlook.SingleValueLegacyExtendedProperty, error) {
			return outlook.NewSingleValue(bin, []byte{0, 1, 2, 0xff})
		}, "AAEC/w=="},
		{dbl, func() (outlook.SingleValueLegacyExtendedProperty, error) { return outlook.NewSingleValue(dbl, 2.5) }, "2.5"},
		{clsid, func() (outlook.SingleValueLegacyExtendedProperty, error) { return outlook.NewSingleValue(clsid, u) }, u.String()},
	}
	for _, c := range cases {
		p, err := c.make()
		require.NoError(t, err, c.id.String())
		assert.Equal(t, c.id.String(), p.PropertyID)
		assert.Equal(t, c.want, p.Value, c.id.String())
	}
	props := []outlook.SingleValueLegacyExtendedProperty{
		{PropertyID: "integer {66F5A359-4659-4830-9070-00047EC6AC6E} name Count", Value: "103"}, // the service may change the case
		{PropertyID: when.String(), Value: "2016-12-31T22:00:00Z"},
		{PropertyID: bin.String(), Value: "AAEC/w=="},
		{PropertyID: boolean.String(), Value: "True"},
		{PropertyID: clsid.String(), Value: "{" + u.String() + "}"},
	}
	n, ok, err := outlook.SingleValueOf[int32](props, integer)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, int32(103), n)
	tv, ok, err := outlook.SingleValueOf[time.Time](props, when)
	require.NoError(t, err)
	assert.True(t, ok && tv.Equal(ts))
	bv, _, err := outlook.SingleValueOf[[]byte](props, bin)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 1, 2, 0xff}, bv)
	flag, _, err := outlook.SingleValueOf[bool](props, boolean)
	require.NoError(t, err)
	assert.True(t, flag)
	uv, _, err := outlook.SingleValueOf[uuid.UUID](props, clsid)
	require.NoError(t, err)
	assert.Equal(t, u, uv)
	_, ok, err = outlook.SingleValueOf[string](props, str)
	require.NoError(t, err)
	assert.False(t, ok, "absent")
	_, _, err = outlook.SingleValueOf[bool](props, integer)
	assert.Error(t, err, "an Integer is not a bool")
	_, _, err = outlook.SingleValueOf[int8](props, outlook.TaggedProperty(outlook.PropertyTypeInteger, 1))
	require.NoError(t, err, "absent is not an error")

	mv, err := outlook.NewMultiValue(tags, "red", "green")
	require.NoError(t, err)
	assert.Equal(t, outlook.MultiValueLegacyExtendedProperty{PropertyID: tags.String(), Value: []string{"red", "green"}}, mv)
	mn, err := outlook.NewMultiValue(nums, 1, 2, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "2", "3"}, mn.Value)
	got, ok, err := outlook.MultiValueOf[int](([]outlook.MultiValueLegacyExtendedProperty{mn, mv}), nums)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, []int{1, 2, 3}, got)
	_, _, err = outlook.MultiValueOf[int]([]outlook.MultiValueLegacyExtendedProperty{{PropertyID: nums.String(), Value: []string{"1", "x"}}}, nums)
	assert.ErrorContains(t, err, "value 1")

	// Type mismatches and bad text are errors, never panics.
	for name, f := range map[string]func() error{
		"bool for Integer":    func() error { _, err := outlook.NewSingleValue(integer, true); return err },
		"int overflow":        func() error { _, err := outlook.NewSingleValue(short, 40000); return err },
		"int32 overflow":      func() error { _, err := outlook.NewSingleValue(integer, int64(math.MaxInt32)+1); return err },
		"text for Integer":    func() error { _, err := outlook.NewSingleValue(integer, "ten"); return err },
		"text for Boolean":    func() error { _, err := outlook.NewSingleValue(boolean, "yes"); return err },
		"text for SystemTime": func() error { _, err := outlook.NewSingleValue(when, "yesterday"); return err },
		"text for Binary":     func() error { _, err := outlook.NewSingleValue(bin, "!!"); return err },
		"NaN":                 func() error { _, err := outlook.NewSingleValue(dbl, math.NaN()); return err },
		"time for String":     func() error { _, err := outlook.NewSingleValue(str, ts); return err },
		"single on array":     func() error { _, err := outlook.NewSingleValue(tags, "x"); return err },
		"multi on single":     func() error { _, err := outlook.NewMultiValue(str, "x"); return err },
		"invalid id":          func() error { _, err := outlook.NewSingleValue(outlook.PropertyID{}, "x"); return err },
		"format array type":   func() error { _, err := outlook.FormatPropertyValue(outlook.PropertyTypeStringArray, "x"); return err },
		"format unknown type": func() error { _, err := outlook.FormatPropertyValue("Text", "x"); return err },
		"parse unknown type":  func() error { _, err := outlook.ParsePropertyValue[string]("Text", "x"); return err },
		"parse float as int": func() error {
			_, err := outlook.ParsePropertyValue[float64](outlook.PropertyTypeInteger, "1")
			return err
		},
		"parse uint negative": func() error {
			_, err := outlook.ParsePropertyValue[uint16](outlook.PropertyTypeInteger, "-1")
			return err
		},
		"multi value bad element": func() error { _, err := outlook.NewMultiValue(nums, "1", "x"); return err },
	} {
		assert.Error(t, f(), name)
	}
}

func TestExtendedPropertyQueries(t *testing.T) {
	t.Parallel()
	color := outlook.NamedProperty(outlook.PropertyTypeString, colorSet, "Color")
	count := outlook.TaggedProperty(outlook.PropertyTypeInteger, 0x0E07)
	tags := outlook.NamedProperty(outlook.PropertyTypeStringArray, colorSet, "Palette")

	assert.Equal(t, "SingleValueExtendedProperties($filter=PropertyId eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color')",
		outlook.ExpandSingleValueProperties(color))
	assert.Equal(t, "SingleValueExtendedProperties($filter=PropertyId eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color' or PropertyId eq 'Integer 0x0E07')",
		outlook.ExpandSingleValueProperties(color, count))
	assert.Equal(t, "MultiValueExtendedProperties($filter=PropertyId eq 'StringArray {66f5a359-4659-4830-9070-00047ec6ac6e} Name Palette')",
		outlook.ExpandMultiValueProperties(tags))
	f, err := outlook.SingleValuePropertyFilter(color, "O'Neil green")
	require.NoError(t, err)
	assert.Equal(t, "SingleValueExtendedProperties/Any(ep: ep/PropertyId eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color' and ep/Value eq 'O''Neil green')", f)
	f, err = outlook.SingleValuePropertyFilter(count, 3)
	require.NoError(t, err)
	assert.Equal(t, "SingleValueExtendedProperties/Any(ep: ep/PropertyId eq 'Integer 0x0E07' and ep/Value eq '3')", f)
	_, err = outlook.SingleValuePropertyFilter(tags, "x")
	assert.Error(t, err, "multi-value properties cannot be filtered on")
}
