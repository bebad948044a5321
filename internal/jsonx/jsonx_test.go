package jsonx

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Name  string                     `json:"Name,omitempty"`
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type innerFields inner

func (i *inner) UnmarshalJSON(b []byte) error {
	return Unmarshal(b, (*innerFields)(i), &i.Extra, &i.null)
}

func (i inner) MarshalJSON() ([]byte, error) {
	return Marshal((*innerFields)(&i), i.Extra, &i.null)
}

type base struct {
	ID string `json:"Id,omitempty"`
}

type outer struct {
	base
	ODataID string                     `json:"@odata.id,omitempty"`
	Subject string                     `json:"Subject,omitempty"`
	From    *inner                     `json:"From,omitempty"`
	To      []inner                    `json:"To,omitempty"`
	Skipped string                     `json:"-"`
	Plain   int                        // no tag: the field name
	Extra   map[string]json.RawMessage `json:"-"`
	null    bool
}

type outerFields outer

func (o *outer) UnmarshalJSON(b []byte) error {
	return Unmarshal(b, (*outerFields)(o), &o.Extra, &o.null)
}

func (o outer) MarshalJSON() ([]byte, error) {
	return Marshal((*outerFields)(&o), o.Extra, &o.null)
}

func TestUnmarshalKeepsUnknownMembers(t *testing.T) {
	t.Parallel()
	in := `{ "@odata.context" : "ctx", "@odata.id":"x", "Id":"1", "subject":"case-insensitive",
		"Skipped":"unknown: the field is json:\"-\"", "Plain":3,
		"New":{"a":[1,{"b":"}]\"{["}],"c":null}, "Fl\u0061g":true, "Odd\"Name":-1.5e3,
		"From":{"Name":"A","@odata.type":"#X"}, "To":[null,{"Name":"B"},{"Other":false}]}`
	var o outer
	require.NoError(t, json.Unmarshal([]byte(in), &o))
	assert.Equal(t, "1", o.ID)
	assert.Equal(t, "x", o.ODataID)
	assert.Equal(t, "case-insensitive", o.Subject)
	assert.Equal(t, 3, o.Plain)
	assert.Empty(t, o.Skipped)
	assert.Equal(t, map[string]json.RawMessage{
		"@odata.context": json.RawMessage(`"ctx"`),
		"Skipped":        json.RawMessage(`"unknown: the field is json:\"-\""`),
		"New":            json.RawMessage(`{"a":[1,{"b":"}]\"{["}],"c":null}`),
		"Flag":           json.RawMessage(`true`),
		`Odd"Name`:       json.RawMessage(`-1.5e3`),
	}, o.Extra)
	assert.Equal(t, map[string]json.RawMessage{"@odata.type": json.RawMessage(`"#X"`)}, o.From.Extra)
	require.Len(t, o.To, 3)
	assert.True(t, o.To[0].null)
	assert.Nil(t, o.To[1].Extra)
	assert.Equal(t, map[string]json.RawMessage{"Other": json.RawMessage(`false`)}, o.To[2].Extra)

	out, err := json.Marshal(o)
	require.NoError(t, err)
	assert.JSONEq(t, `{"@odata.context":"ctx","@odata.id":"x","Id":"1","Subject":"case-insensitive",
		"Skipped":"unknown: the field is json:\"-\"","Plain":3,
		"New":{"a":[1,{"b":"}]\"{["}],"c":null},"Flag":true,"Odd\"Name":-1.5e3,
		"From":{"Name":"A","@odata.type":"#X"},"To":[null,{"Name":"B"},{"Other":false}]}`, string(out))
}

func TestUnmarshalCopiesValues(t *testing.T) {
	t.Parallel()
	buf := []byte(`{"New":"value"}`)
	var o outer
	require.NoError(t, json.Unmarshal(buf, &o))
	copy(buf, `{"New":"XXXXX"}`)
	assert.Equal(t, `"value"`, string(o.Extra["New"]), "Extra must not alias the input")
}

func TestUnmarshalReplacesExtra(t *testing.T) {
	t.Parallel()
	var o outer
	require.NoError(t, json.Unmarshal([]byte(`{"A":1}`), &o))
	require.NoError(t, json.Unmarshal([]byte(`{"Subject":"s"}`), &o))
	assert.Nil(t, o.Extra, "members of an earlier decode do not linger")
}

func TestUnmarshalErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`[1]`, `"s"`, `{"Subject":1}`, `{"A":}`, `{`, `{"From":[]}`} {
		var o outer
		assert.Error(t, json.Unmarshal([]byte(in), &o), in)
	}
	// Direct calls with data encoding/json did not validate first.
	var o outer
	assert.Error(t, o.UnmarshalJSON([]byte(`{"A":1`)))
	assert.Error(t, o.UnmarshalJSON([]byte(``)))
}

func TestNullStaysNullUntilSet(t *testing.T) {
	t.Parallel()
	var list []inner
	require.NoError(t, json.Unmarshal([]byte(`[null,{"Name":"x"}]`), &list))
	out, err := json.Marshal(list)
	require.NoError(t, err)
	assert.JSONEq(t, `[null,{"Name":"x"}]`, string(out))

	list[0].Name = "now set"
	out, err = json.Marshal(list)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"Name":"now set"},{"Name":"x"}]`, string(out))
	assert.True(t, list[0].null, "marshalling does not change the value")

	var zero inner
	out, err = json.Marshal(zero)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(out), "a value never decoded from null is an object")
}

func TestMarshalExtra(t *testing.T) {
	t.Parallel()
	o := outer{Subject: "s", Extra: map[string]json.RawMessage{
		"Zeta": json.RawMessage(`1`), "Alpha": json.RawMessage(`[true]`), "Nil": nil,
		"subject": json.RawMessage(`"typed fields win"`), "<tag>": json.RawMessage(`"x"`),
	}}
	out, err := json.Marshal(o)
	require.NoError(t, err)
	assert.Equal(t, `{"Subject":"s","Plain":0,"\u003ctag\u003e":"x","Alpha":[true],"Nil":null,"Zeta":1}`, string(out))

	empty := inner{Extra: map[string]json.RawMessage{"Only": json.RawMessage(`{}`)}}
	out, err = json.Marshal(empty)
	require.NoError(t, err)
	assert.Equal(t, `{"Only":{}}`, string(out))

	bad := inner{Extra: map[string]json.RawMessage{"Bad": json.RawMessage(`{`)}}
	_, err = bad.MarshalJSON()
	assert.ErrorContains(t, err, `"Bad" is not valid JSON`)
}

func TestFieldSetFolding(t *testing.T) {
	t.Parallel()
	fs := &fieldSet{exact: map[string]int{}}
	collect(reflect.TypeFor[outerFields](), fs, map[reflect.Type]bool{})
	for _, n := range []string{"Id", "id", "ID", "@odata.id", "@ODATA.ID", "Subject", "Plain", "From", "To"} {
		assert.True(t, fs.has([]byte(n)), n)
	}
	for _, n := range []string{"Extra", "null", "Skipped", "base", "Subjects", ""} {
		assert.False(t, fs.has([]byte(n)), n)
	}
	// encoding/json folds the Kelvin sign onto k; so does the field set.
	fsK := &fieldSet{exact: map[string]int{"Kind": 0}, names: []string{"Kind"}}
	assert.True(t, fsK.has([]byte("\u212aind")))
}

// FuzzRoundTrip checks that any JSON object survives a decode and encode:
// the same members with the same values (typed fields normalised by their
// types aside).
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{`{}`, `{"A":1}`, `{"Subject":"x","New":[null,{"b":"\""}]}`, `{"To":[null,{"N":1}],"From":{"x":{}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var want map[string]any
		if json.Unmarshal(in, &want) != nil || want == nil {
			return
		}
		var o outer
		if json.Unmarshal(in, &o) != nil {
			return // a known member of the wrong type: an error, not a loss
		}
		out, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("output is not an object: %s", out)
		}
		fs := fieldsOf(reflect.TypeFor[outerFields]())
		for k, v := range want {
			if fs.has([]byte(k)) {
				continue // typed: normalised by the field's type
			}
			gv, ok := got[k]
			if !ok {
				t.Fatalf("member %q lost: in %s out %s", k, in, out)
			}
			wb, _ := json.Marshal(v)
			gb, _ := json.Marshal(gv)
			if string(wb) != string(gb) {
				t.Fatalf("member %q changed: %s → %s", k, wb, gb)
			}
		}
	})
}

type enum string

// upper has a method encoding/json must use.
type upper string

func (u *upper) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*u = upper(strings.ToUpper(s))
	return nil
}

// flat has only fields Unmarshal decodes without encoding/json.
type flat struct {
	A     string                     `json:"A,omitempty"`
	B     enum                       `json:"b"`
	C     string                     // no tag
	D     bool                       `json:"D"`
	E     inner                      `json:"E"`
	F     *inner                     `json:"F"`
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type flatFields flat

func (f *flat) UnmarshalJSON(b []byte) error {
	return Unmarshal(b, (*flatFields)(f), &f.Extra, &f.null)
}

// flatPlain is flat as encoding/json alone decodes it.
type flatPlain struct {
	A string `json:"A,omitempty"`
	B enum   `json:"b"`
	C string
	D bool       `json:"D"`
	E innerPlain `json:"E"`
	F *innerPlain
}

type innerPlain struct {
	Name string `json:"Name,omitempty"`
}

// withMethod has a field with its own UnmarshalJSON: not decoded here.
type withMethod struct {
	U upper `json:"U"`
}

func TestFieldKinds(t *testing.T) {
	t.Parallel()
	assert.False(t, fieldsOf(reflect.TypeFor[withMethod]()).flat, "a string type with methods goes through them")
	for typ, want := range map[reflect.Type]fieldKind{
		reflect.TypeFor[string]():     kindString,
		reflect.TypeFor[enum]():       kindString,
		reflect.TypeFor[upper]():      kindOther,
		reflect.TypeFor[bool]():       kindBool,
		reflect.TypeFor[*bool]():      kindOther,
		reflect.TypeFor[inner]():      kindUnmarshaler,
		reflect.TypeFor[*inner]():     kindPtrUnmarshaler,
		reflect.TypeFor[[]inner]():    kindOther,
		reflect.TypeFor[int]():        kindOther,
		reflect.TypeFor[innerPlain](): kindOther,
	} {
		assert.Equal(t, want, kindOf(typ), typ.String())
	}
}

func TestFlatDecoding(t *testing.T) {
	t.Parallel()
	require.True(t, fieldsOf(reflect.TypeFor[flatFields]()).flat)
	require.False(t, fieldsOf(reflect.TypeFor[outerFields]()).flat)
	var f flat
	require.NoError(t, json.Unmarshal([]byte("{\"a\":\"x\\u00e9\\n\",\"B\":\"e\",\"C\":null,\"c\":\"\xff\",\"G\":[1],\"d\":true,\"E\":{\"Name\":\"e\",\"X\":2},\"F\":{\"Name\":\"f\"}}"), &f))
	assert.Equal(t, "x\u00e9\n", f.A)
	assert.Equal(t, enum("e"), f.B)
	assert.Equal(t, "\ufffd", f.C, "invalid UTF-8 is replaced, as encoding/json does")
	assert.Equal(t, map[string]json.RawMessage{"G": json.RawMessage(`[1]`)}, f.Extra)
	assert.True(t, f.D)
	assert.Equal(t, "e", f.E.Name)
	assert.Equal(t, map[string]json.RawMessage{"X": json.RawMessage(`2`)}, f.E.Extra)
	require.NotNil(t, f.F)
	assert.Equal(t, "f", f.F.Name)
	require.NoError(t, json.Unmarshal([]byte(`{"F":null}`), &f))
	assert.Nil(t, f.F, "null clears a pointer, as encoding/json does")

	var bad flat
	err := json.Unmarshal([]byte(`{"A":1}`), &bad)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr, "the error encoding/json gives")
	assert.Error(t, bad.UnmarshalJSON([]byte(`{"A":"x"`)))
}

// FuzzFlatMatchesEncodingJSON checks that the string-only fast path
// decodes exactly what encoding/json decodes, and fails when it fails.
func FuzzFlatMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{`{"A":"x","b":"y","C":"z","D":true,"E":{"Name":"e"},"F":{"Name":"f","X":1}}`, `{"E":null,"F":null,"D":null}`, `{"E":1}`, `{"D":"true"}`, `{"a":"\u00e9","B":null}`, `{"A":1}`, `{"A":"x","A":"y"}`, `null`, `[]`, `{"X":{"A":1}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var want flatPlain
		wantErr := json.Unmarshal(in, &want)
		var got flat
		gotErr := json.Unmarshal(in, &got)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("%s: encoding/json: %v, jsonx: %v", in, wantErr, gotErr)
		}
		if wantErr == nil && (want.A != got.A || want.B != got.B || want.C != got.C || want.D != got.D ||
			want.E.Name != got.E.Name || (want.F == nil) != (got.F == nil) || (want.F != nil && want.F.Name != got.F.Name)) {
			t.Fatalf("%s: encoding/json %+v, jsonx %+v", in, want, got)
		}
	})
}

// FuzzDirectCall feeds arbitrary bytes to UnmarshalJSON called directly
// (encoding/json would have rejected invalid ones first): never a panic.
func FuzzDirectCall(f *testing.F) {
	for _, s := range []string{`{"A":"x"`, `{"E":{"Name":}`, `{"A":"\`, `{`, `{"F":{"Name":"x"},"D":tru}`, `{"A":"x"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var fl flat
		_ = fl.UnmarshalJSON(in)
		var o outer
		_ = o.UnmarshalJSON(in)
	})
}
