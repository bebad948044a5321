package servicecomms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// This file holds the one codec every model uses: "known fields + keep the
// rest". A model is a struct whose typed fields carry `json:"Name"` tags
// (plus an optional `alias:"Other,Names"` tag for the other shapes the
// service has used for the same member), an Extra map for members it has no
// field for, and an embedded wireState that remembers what was received.
//
// Decoding is lenient: an unknown member goes to Extra, and so does a known
// member whose value has an unexpected type (the typed field stays zero), so
// a change on the service side never breaks decoding.
//
// Encoding reproduces what was received: members in their original order and
// under their original names, each known member's bytes verbatim unless the
// field was changed since, unknown members from Extra; fields that were not
// received are added when non-zero, new Extra members at the end.

// wireState is embedded in every model. It remembers the JSON object the
// model was decoded from so MarshalJSON can reproduce it.
type wireState struct {
	wire *wireObject
}

func (w *wireState) state() *wireState { return w }

// wireObject is what a model was decoded from. It is never modified after
// decoding, so copies of a model may share it.
type wireObject struct {
	members []wireMember
	// scalar is set when the model was read from a bare JSON value rather
	// than an object (a Feature given as a FeatureNames string).
	scalar json.RawMessage
}

type wireMember struct {
	name  string
	raw   json.RawMessage
	field int    // index into modelInfo.fields; -1 for a member kept in Extra
	canon []byte // the field's encoding right after decoding
}

// model is implemented by pointers to the structs of this package.
type model[T any] interface {
	*T
	state() *wireState
}

type fieldSpec struct {
	index int    // struct field index
	name  string // canonical member name
}

type modelInfo struct {
	fields []fieldSpec
	extra  int            // index of the Extra field
	exact  map[string]int // member name or alias → fields index
	folded []foldEntry    // for case-insensitive matches
}

type foldEntry struct {
	name string
	idx  int
}

var modelInfos sync.Map // reflect.Type → *modelInfo

var rawMapType = reflect.TypeFor[map[string]json.RawMessage]()

func infoFor(t reflect.Type) *modelInfo {
	if mi, ok := modelInfos.Load(t); ok {
		return mi.(*modelInfo)
	}
	mi := &modelInfo{extra: -1, exact: map[string]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Name == "Extra" && f.Type == rawMapType {
			mi.extra = i
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		idx := len(mi.fields)
		mi.fields = append(mi.fields, fieldSpec{index: i, name: name})
		names := []string{name}
		if a := f.Tag.Get("alias"); a != "" {
			names = append(names, strings.Split(a, ",")...)
		}
		for _, n := range names {
			mi.exact[n] = idx
			mi.folded = append(mi.folded, foldEntry{name: n, idx: idx})
		}
	}
	if mi.extra < 0 {
		panic(fmt.Sprintf("servicecomms: model %s has no Extra field", t))
	}
	actual, _ := modelInfos.LoadOrStore(t, mi)
	return actual.(*modelInfo)
}

func (mi *modelInfo) lookup(name string) int {
	if i, ok := mi.exact[name]; ok {
		return i
	}
	for _, e := range mi.folded {
		if strings.EqualFold(e.name, name) {
			return e.idx
		}
	}
	return -1
}

type rawMember struct {
	name string
	raw  json.RawMessage
}

// readMembers splits a JSON object into its members, in order.
func readMembers(data []byte) ([]rawMember, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("want a JSON object, got %s", jsonKind(data))
	}
	var out []rawMember
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		out = append(out, rawMember{name: name, raw: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

func jsonKind(data []byte) string {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// decodeModel decodes the JSON object data into *p (see the file comment).
func decodeModel[T any, P model[T]](data []byte, p P) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	members, err := readMembers(data)
	if err != nil {
		return fmt.Errorf("servicecomms: decoding %s: %w", reflect.TypeFor[T]().Name(), err)
	}
	var zero T
	*p = zero
	_, decodeOnly := any(p).(interface{ decodeOnly() })
	mi := infoFor(reflect.TypeFor[T]())
	rv := reflect.ValueOf(p).Elem()
	obj := &wireObject{members: make([]wireMember, 0, len(members))}
	var extra map[string]json.RawMessage
	seen := make(map[string]int, len(members))
	for _, m := range members {
		wm := wireMember{name: m.name, raw: m.raw, field: mi.lookup(m.name)}
		if wm.field >= 0 {
			fv := rv.Field(mi.fields[wm.field].index)
			if err := json.Unmarshal(m.raw, fv.Addr().Interface()); err != nil {
				// Unexpected type for a known member: keep it as received
				// in Extra rather than failing the whole response.
				fv.SetZero()
				wm.field = -1
			} else if decodeOnly {
				// Never encoded again: no need to remember its form.
			} else if wm.canon, err = json.Marshal(fv.Interface()); err != nil {
				return fmt.Errorf("servicecomms: re-encoding %s.%s: %w", reflect.TypeFor[T]().Name(), m.name, err)
			}
		}
		if wm.field < 0 {
			if extra == nil {
				extra = make(map[string]json.RawMessage)
			}
			extra[m.name] = m.raw
		}
		if i, dup := seen[m.name]; dup { // a repeated member: the last one wins
			obj.members[i] = wm
			continue
		}
		seen[m.name] = len(obj.members)
		obj.members = append(obj.members, wm)
	}
	rv.Field(mi.extra).Set(reflect.ValueOf(extra))
	if !decodeOnly {
		p.state().wire = obj
	}
	return nil
}

// encodeModel encodes *p (see the file comment).
func encodeModel[T any, P model[T]](p P) ([]byte, error) {
	mi := infoFor(reflect.TypeFor[T]())
	rv := reflect.ValueOf(p).Elem()
	extra, _ := rv.Field(mi.extra).Interface().(map[string]json.RawMessage)
	var buf bytes.Buffer
	buf.WriteByte('{')
	emitted := map[string]bool{}
	write := func(name string, value []byte) error {
		if len(value) == 0 {
			value = []byte("null")
		}
		emitted[name] = true
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		n, err := json.Marshal(name)
		if err != nil {
			return err
		}
		buf.Write(n)
		buf.WriteByte(':')
		buf.Write(value)
		return nil
	}
	encodeField := func(i int) ([]byte, error) {
		b, err := json.Marshal(rv.Field(mi.fields[i].index).Interface())
		if err != nil {
			return nil, fmt.Errorf("servicecomms: encoding %s.%s: %w", reflect.TypeFor[T]().Name(), mi.fields[i].name, err)
		}
		return b, nil
	}
	done := make([]bool, len(mi.fields))
	doneExtra := map[string]bool{}
	if obj := p.state().wire; obj != nil {
		for _, m := range obj.members {
			if m.field >= 0 {
				cur, err := encodeField(m.field)
				if err != nil {
					return nil, err
				}
				if bytes.Equal(cur, m.canon) {
					cur = m.raw // unchanged: exactly as received
				}
				if err := write(m.name, cur); err != nil {
					return nil, err
				}
				done[m.field] = true
				continue
			}
			if v, ok := extra[m.name]; ok && !doneExtra[m.name] {
				if err := write(m.name, v); err != nil {
					return nil, err
				}
				doneExtra[m.name] = true
			}
		}
	}
	for i, f := range mi.fields {
		if done[i] || emitted[f.name] || rv.Field(f.index).IsZero() {
			continue
		}
		b, err := encodeField(i)
		if err != nil {
			return nil, err
		}
		if err := write(f.name, b); err != nil {
			return nil, err
		}
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !doneExtra[k] && !emitted[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := write(k, extra[k]); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
