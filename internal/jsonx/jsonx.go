// Package jsonx decodes JSON objects into Go structs and encodes them back
// without losing the members a struct has no field for.
//
// A model keeps such members in an Extra map and gets two short methods
// that call Unmarshal and Marshal with a defined copy of itself (the copy
// has no methods, so encoding/json does the known fields without recursing
// into the model's own methods):
//
//	type Recipient struct {
//		EmailAddress EmailAddress              `json:"EmailAddress"`
//		Extra        map[string]json.RawMessage `json:"-"`
//		null         bool
//	}
//
//	type recipientFields Recipient
//
//	func (r *Recipient) UnmarshalJSON(b []byte) error {
//		return jsonx.Unmarshal(b, (*recipientFields)(r), &r.Extra, &r.null)
//	}
//
//	func (r Recipient) MarshalJSON() ([]byte, error) {
//		return jsonx.Marshal((*recipientFields)(&r), r.Extra, &r.null)
//	}
//
// Which member names are known is read from the struct's json tags (and
// the fields of embedded structs, as encoding/json does), computed once per
// type. A member is known when its name equals a known name exactly or,
// as encoding/json matches names, case-insensitively. Nothing is assumed
// about the casing of names beyond the tags.
//
// The null flag remembers that the value was the JSON literal null (an
// element of a collection, typically): such a value marshals back to null
// as long as it is still the zero value.
package jsonx

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// fieldSet holds the member names a struct type decodes into.
type fieldSet struct {
	exact map[string]int // name → index into names
	names []string
	// flat reports that every field is a direct field Unmarshal decodes
	// itself (see fieldKind); fields[i] and kinds[i] are then the struct
	// field index and kind of names[i].
	flat   bool
	fields []int
	kinds  []fieldKind
	// direct reports that Unmarshal may decode the fields one by one even
	// though the type is not flat: every name belongs to one field
	// (paths[i] is its index sequence, through embedded structs) and no
	// field uses the ",string" option. embeds are the index sequences of
	// the embedded struct pointers on those paths, which must be non-nil.
	direct bool
	paths  [][]int
	embeds [][]int
}

// fieldKind says how Unmarshal decodes a field without encoding/json.
type fieldKind uint8

const (
	kindOther            fieldKind = iota // through encoding/json
	kindString                            // a string kind without JSON or text methods
	kindBool                              // a bool kind without JSON or text methods
	kindUnmarshaler                       // a struct whose pointer is a json.Unmarshaler
	kindPtrUnmarshaler                    // a pointer to such a struct
	kindPtrBool                           // a pointer to a kindBool type
	kindSliceString                       // a slice of a kindString type
	kindSliceUnmarshaler                  // a slice of a kindUnmarshaler type
)

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// kindOf returns how a field of type t is decoded.
func kindOf(t reflect.Type) fieldKind {
	switch k := kindOfValue(t); {
	case k != kindOther:
		return k
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Implements(unmarshalerType):
		return kindPtrUnmarshaler
	}
	return kindOther
}

// directKind is kindOf plus the kinds Unmarshal decodes itself only on
// its member-by-member path (flat types have none of them).
func directKind(t reflect.Type) fieldKind {
	switch k := kindOf(t); {
	case k != kindOther:
		return k
	case t.Kind() == reflect.Pointer && t.Name() == "" && kindOfValue(t.Elem()) == kindBool:
		return kindPtrBool
	case t.Kind() == reflect.Slice && t.Name() == "" && !hasMethods(t):
		switch kindOfValue(t.Elem()) {
		case kindString:
			return kindSliceString
		case kindUnmarshaler:
			return kindSliceUnmarshaler
		}
	}
	return kindOther
}

// hasMethods reports whether encoding/json would decode a value of type t
// through its own methods.
func hasMethods(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerType)
}

// kindOfValue is kindOf for the kinds a value (not a pointer) can have.
func kindOfValue(t reflect.Type) fieldKind {
	switch {
	case t.Kind() == reflect.String && !hasMethods(t):
		return kindString
	case t.Kind() == reflect.Bool && !hasMethods(t):
		return kindBool
	case t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(unmarshalerType):
		return kindUnmarshaler
	}
	return kindOther
}

// has reports whether the member name (raw JSON string contents without
// escapes) is a known one.
func (fs *fieldSet) has(name []byte) bool { return fs.lookup(name) >= 0 }

// lookup returns the index into names of the member name, matched as
// encoding/json matches names, or -1.
func (fs *fieldSet) lookup(name []byte) int {
	if i, ok := fs.exact[string(name)]; ok { // no allocation
		return i
	}
	for i, n := range fs.names {
		if len(n) == len(name) && bytes.EqualFold([]byte(n), name) {
			return i
		}
	}
	// encoding/json folds a few non-ASCII letters onto ASCII ones
	// (the Kelvin sign, the long s), changing the length.
	if !isASCII(name) {
		s := string(name)
		for i, n := range fs.names {
			if strings.EqualFold(n, s) {
				return i
			}
		}
	}
	return -1
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

var fieldSets sync.Map // reflect.Type → *fieldSet

// fieldsOf returns the known member names of struct type t.
func fieldsOf(t reflect.Type) *fieldSet {
	if fs, ok := fieldSets.Load(t); ok {
		return fs.(*fieldSet)
	}
	fs := &fieldSet{exact: map[string]int{}, flat: true, direct: true}
	collect(t, fs, map[reflect.Type]bool{})
	actual, _ := fieldSets.LoadOrStore(t, fs)
	return actual.(*fieldSet)
}

// collect adds the member names of struct type t, descending into
// embedded structs the way encoding/json promotes their fields.
func collect(t reflect.Type, fs *fieldSet, visiting map[reflect.Type]bool) {
	collectAt(t, fs, nil, visiting)
}

// collectAt is collect for the struct type t found at index sequence
// prefix.
func collectAt(t reflect.Type, fs *fieldSet, prefix []int, visiting map[reflect.Type]bool) {
	if visiting[t] {
		fs.direct = false
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				fs.flat = false
				path := append(slices.Clip(prefix), i)
				if f.Type.Kind() == reflect.Pointer {
					fs.embeds = append(fs.embeds, path)
				}
				collectAt(ft, fs, path, visiting)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		kind := kindOf(f.Type)
		if f.Anonymous || kind == kindOther || strings.Contains(opts, "string") {
			fs.flat = false
		}
		if f.Anonymous || strings.Contains(opts, "string") {
			fs.direct = false
		}
		if _, dup := fs.exact[name]; dup {
			// encoding/json's rules for the same name at several
			// depths are left to encoding/json.
			fs.direct = false
			continue
		}
		fs.exact[name] = len(fs.names)
		fs.names = append(fs.names, name)
		fs.fields = append(fs.fields, i)
		fs.kinds = append(fs.kinds, directKind(f.Type))
		fs.paths = append(fs.paths, append(slices.Clip(prefix), i))
	}
}

// isNull reports whether data is the JSON literal null.
func isNull(data []byte) bool {
	return string(bytes.TrimSpace(data)) == "null"
}

// Unmarshal decodes the JSON object data into v, a pointer to a struct
// type without JSON methods of its own, and stores the members v has no
// field for in *extra (nil when there are none), as received. When data is
// null, v and *extra are left alone and *null is set.
func Unmarshal[T any](data []byte, v *T, extra *map[string]json.RawMessage, null *bool) error {
	if isNull(data) {
		*null = true
		return nil
	}
	fs := fieldsOf(reflect.TypeFor[T]())
	var rv reflect.Value
	if fs.flat || fs.direct && embedsSet(reflect.ValueOf(v).Elem(), fs.embeds) {
		// Decode member by member: strings, booleans and models here,
		// other fields through encoding/json one value at a time. This
		// skips encoding/json's pass over the whole object, which would
		// validate and scan it (and every nested model) again. As
		// json.Unmarshaler documents, data is a valid JSON value
		// (encoding/json checked it); the scan below still stops with an
		// error, never a panic, on anything else.
		rv = reflect.ValueOf(v).Elem()
	} else if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	*null = false
	*extra = nil
	sc := memberScanner{data: data}
	for {
		name, escaped, value, ok := sc.next()
		if !ok {
			return sc.err
		}
		if escaped || !utf8.Valid(name) {
			// As encoding/json reads names: escapes decoded, invalid
			// UTF-8 replaced (so "\xff" and "\xa1" are one name).
			var s string
			if err := json.Unmarshal(name, &s); err != nil {
				return err
			}
			name = []byte(s)
		} else {
			name = name[1 : len(name)-1]
		}
		if i := fs.lookup(name); i >= 0 {
			if rv.IsValid() {
				if err := setPath(rv, fs.paths[i], fs.kinds[i], value); err != nil {
					// Let encoding/json decode (and report) it as it would.
					*extra = nil
					return json.Unmarshal(data, v)
				}
			}
			continue
		}
		if *extra == nil {
			*extra = make(map[string]json.RawMessage)
		}
		(*extra)[string(name)] = bytes.Clone(value)
	}
}

var errKind = errors.New("jsonx: unexpected kind of value")

// embedsSet reports whether the embedded struct pointers at paths in the
// struct value rv are all non-nil.
func embedsSet(rv reflect.Value, paths [][]int) bool {
	for _, p := range paths {
		f := rv
		for _, i := range p {
			if f.Kind() == reflect.Pointer {
				f = f.Elem()
			}
			f = f.Field(i)
		}
		if f.IsNil() {
			return false
		}
	}
	return true
}

// setPath stores the JSON value raw in the field of struct value rv at
// index sequence path (through non-nil embedded pointers) as encoding/json
// would.
func setPath(rv reflect.Value, path []int, kind fieldKind, raw []byte) error {
	f := rv
	for _, i := range path {
		if f.Kind() == reflect.Pointer {
			f = f.Elem()
		}
		f = f.Field(i)
	}
	if !f.CanSet() {
		return errKind
	}
	if kind == kindOther {
		return json.Unmarshal(raw, f.Addr().Interface())
	}
	return setField(f, kind, raw)
}

// setField stores the JSON value raw in f as encoding/json would.
func setField(f reflect.Value, kind fieldKind, raw []byte) error {
	switch kind {
	case kindString:
		return setString(f, raw)
	case kindBool:
		switch string(raw) {
		case "null":
		case "true":
			f.SetBool(true)
		case "false":
			f.SetBool(false)
		default:
			return errKind
		}
		return nil
	case kindUnmarshaler:
		// encoding/json hands null to a struct's UnmarshalJSON too.
		return f.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw)
	case kindPtrUnmarshaler:
		if string(raw) == "null" {
			f.SetZero()
			return nil
		}
		if f.IsNil() {
			f.Set(reflect.New(f.Type().Elem()))
		}
		return f.Interface().(json.Unmarshaler).UnmarshalJSON(raw)
	case kindPtrBool:
		var b bool
		switch string(raw) {
		case "null":
			f.SetZero()
			return nil
		case "true":
			b = true
		case "false":
		default:
			return errKind
		}
		if f.IsNil() {
			f.Set(reflect.New(f.Type().Elem()))
		}
		f.Elem().SetBool(b)
		return nil
	case kindSliceString, kindSliceUnmarshaler:
		return setSlice(f, kind, raw)
	}
	return errKind
}

// setSlice stores the JSON array (or null) raw in the nil slice f, whose
// elements are of kind kindString or kindUnmarshaler (per kind), as
// encoding/json would.
func setSlice(f reflect.Value, kind fieldKind, raw []byte) error {
	if string(raw) == "null" {
		f.SetZero()
		return nil
	}
	if !f.IsNil() || len(raw) == 0 || raw[0] != '[' {
		return errKind // encoding/json reuses a slice's elements: let it
	}
	elem := kindString
	if kind == kindSliceUnmarshaler {
		elem = kindUnmarshaler
	}
	s := reflect.MakeSlice(f.Type(), 0, 0)
	var err error
	if eerr := Elements(raw, func(v []byte) bool {
		s = reflect.Append(s, reflect.Zero(f.Type().Elem()))
		err = setField(s.Index(s.Len()-1), elem, v)
		return err == nil
	}); err == nil {
		err = eerr
	}
	if err != nil {
		return err
	}
	f.Set(s)
	return nil
}

// setString stores the JSON value raw, a string or null (which leaves f
// alone, as encoding/json does), in the string-kind field f.
func setString(f reflect.Value, raw []byte) error {
	switch {
	case string(raw) == "null":
		return nil
	case len(raw) < 2 || raw[0] != '"':
		return errKind
	}
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		f.SetString(string(body))
		return nil
	}
	s, ok := unquote(body) // escapes, or invalid UTF-8 that encoding/json replaces
	if !ok {
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
	}
	f.SetString(s)
	return nil
}

// plainASCII marks the bytes a JSON string holds as they are: ASCII other
// than control characters, the quote and the backslash.
var plainASCII = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// unquote decodes the contents of a JSON string (without its quotes) as
// encoding/json does: escapes decoded, invalid UTF-8 and lone surrogates
// replaced by U+FFFD. ok is false for contents that are not valid JSON
// (a bad escape, a control character, an unescaped quote).
func unquote(b []byte) (s string, ok bool) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		// Copy a run of plain ASCII at once.
		j := i
		for j < len(b) && plainASCII[b[j]] {
			j++
		}
		out = append(out, b[i:j]...)
		if i = j; i >= len(b) {
			break
		}
		c := b[i]
		switch {
		case c == '\\':
			if i+1 >= len(b) {
				return "", false
			}
			switch b[i+1] {
			case '"', '\\', '/':
				out = append(out, b[i+1])
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(b, i+2)
				if !ok {
					return "", false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(b, i+2); ok && b[i] == '\\' && b[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							out = utf8.AppendRune(out, dec)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
				continue
			default:
				return "", false
			}
			i += 2
		case c == '"' || c < ' ':
			return "", false
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, b[i:i+size]...)
			}
			i += size
		}
	}
	return string(out), true
}

// hex4 decodes the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// Marshal encodes v, a pointer to a struct type without JSON methods of
// its own, followed by the members of extra (sorted by name) whose names
// v has no field for. It writes null when *null is set and v is otherwise
// the zero value; it may clear *null, so pass a copy's flag.
func Marshal[T any](v *T, extra map[string]json.RawMessage, null *bool) ([]byte, error) {
	if *null {
		*null = false
		if reflect.ValueOf(v).Elem().IsZero() && len(extra) == 0 {
			return []byte("null"), nil
		}
	}
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, fmt.Errorf("jsonx: %s does not encode as a JSON object", reflect.TypeFor[T]())
	}
	fs := fieldsOf(reflect.TypeFor[T]())
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !fs.has([]byte(k)) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	b = b[:len(b)-1]
	for _, k := range keys {
		raw := extra[k]
		if len(raw) == 0 {
			raw = json.RawMessage("null")
		} else if !json.Valid(raw) {
			return nil, fmt.Errorf("jsonx: extra member %q is not valid JSON", k)
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b = append(b, kb...)
		b = append(b, ':')
		b = append(b, raw...)
	}
	return append(b, '}'), nil
}

var errSyntax = errors.New("jsonx: malformed JSON object")

// memberScanner walks the members of a JSON object, which must be valid
// JSON (anything else ends the walk with errSyntax).
type memberScanner struct {
	data    []byte
	i       int
	started bool
	err     error
}

// next returns the next member: its name with the quotes (escaped reports
// a backslash in it) and its raw value. ok is false at the end of the
// object or on an error (then err is set).
func (s *memberScanner) next() (name []byte, escaped bool, value []byte, ok bool) {
	data, i := s.data, s.i
	if !s.started {
		s.started = true
		i = skipSpace(data, 0)
		if i >= len(data) || data[i] != '{' {
			return s.fail()
		}
		if i = skipSpace(data, i+1); i < len(data) && data[i] == '}' {
			return nil, false, nil, false
		}
	} else {
		i = skipSpace(data, i)
		if i >= len(data) {
			return s.fail()
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return nil, false, nil, false
		default:
			return s.fail()
		}
	}
	if i >= len(data) || data[i] != '"' {
		return s.fail()
	}
	end, ok := skipString(data, i)
	if !ok {
		return s.fail()
	}
	name = data[i:end]
	escaped = bytes.IndexByte(name, '\\') >= 0
	i = skipSpace(data, end)
	if i >= len(data) || data[i] != ':' {
		return s.fail()
	}
	i = skipSpace(data, i+1)
	vend, ok := skipValue(data, i)
	if !ok {
		return s.fail()
	}
	s.i = vend
	return name, escaped, data[i:vend], true
}

func (s *memberScanner) fail() ([]byte, bool, []byte, bool) {
	s.err = errSyntax
	return nil, false, nil, false
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string starting at data[i] (a
// quote).
func skipString(data []byte, i int) (end int, ok bool) {
	start := i + 1
	for i = start; ; {
		// IndexByte is vectorised; a quote preceded by an odd number of
		// backslashes is escaped.
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return 0, false
		}
		q := i + j
		n := 0
		for k := q - 1; k >= start && data[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, true
		}
		i = q + 1
	}
}

// skipValue returns the index after the value starting at data[i].
func skipValue(data []byte, i int) (int, bool) {
	if i >= len(data) {
		return 0, false
	}
	switch data[i] {
	case '"':
		end, ok := skipString(data, i)
		return end, ok
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				end, ok := skipString(data, i)
				if !ok {
					return 0, false
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return 0, false
	default: // number, true, false, null
		j := i
		for j < len(data) {
			switch data[j] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return j, j > i
			}
			j++
		}
		return j, j > i
	}
}

// Members calls fn with the name (raw, quotes included; escaped reports a
// backslash in it) and raw value of each member of the JSON object data,
// in order, until fn returns false. data should be valid JSON (it is not
// validated here); anything that is not an object ends the walk with an
// error, never a panic.
func Members(data []byte, fn func(name []byte, escaped bool, value []byte) bool) error {
	sc := memberScanner{data: data}
	for {
		name, escaped, value, ok := sc.next()
		if !ok {
			return sc.err
		}
		if !fn(name, escaped, value) {
			return nil
		}
	}
}

// Elements calls fn with the raw value of each element of the JSON array
// data, in order, until fn returns false. Like Members, it does not
// validate data, and stops with an error on anything that is not an
// array.
func Elements(data []byte, fn func(value []byte) bool) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return errSyntax
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return nil
	}
	for {
		end, ok := skipValue(data, i)
		if !ok {
			return errSyntax
		}
		if !fn(data[i:end]) {
			return nil
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return errSyntax
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return nil
		default:
			return errSyntax
		}
	}
}
