package graphwire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync/atomic"
)

// Direction says which way a body is translated.
type Direction uint8

// Directions.
const (
	// ToGraph translates a v2.0-spelled request body into Graph's spelling.
	ToGraph Direction = iota
	// FromGraph translates a Graph response body into the v2.0 spelling the
	// models are tagged with.
	FromGraph
)

// Shape says what the top level of a body is, for the one place where the
// translation depends on context the JSON does not carry: the custom
// properties of open extensions, which are the caller's own names and are
// never translated.
type Shape uint8

// Shapes.
const (
	// Entity is an entity, an entity collection ({"value": […]}) or an
	// action's parameters. Open extensions inside it (under "Extensions")
	// are recognised by their property name.
	Entity Shape = iota
	// Extension is an open extension or a collection of them.
	Extension
	// TodoTask is an Outlook task served as a Microsoft To Do todoTask (or
	// a collection of them): Subject is "title" there.
	TodoTask
	// TodoList is an Outlook task folder served as a To Do todoTaskList
	// (or a collection of them): Name is "displayName", and
	// IsDefaultFolder is read from "wellknownListName" ("defaultList").
	TodoList
)

// topRenames are the property renames of the top-level entities of a
// shape (the body itself, or the items of its "value" collection), keyed by
// the lower-cased v2.0 name, and topRenamesBack the reverse, keyed by the
// lower-cased Graph name.
var (
	topRenames = map[Shape]map[string]string{
		TodoTask: {"subject": "title"},
		TodoList: {"name": "displayName"},
	}
	topRenamesBack = map[Shape]map[string]string{
		TodoTask: {"title": "Subject"},
		TodoList: {"displayname": "Name"},
	}
)

// defaultListName is the wellknownListName of the built-in To Do list
// ("Tasks").
const defaultListName = "defaultList"

// maxDepth bounds nesting (encoding/json allows 10,000; Outlook entities
// nest a few levels).
const maxDepth = 1000

// errTruncated reports input that ends inside a value.
var errTruncated = errors.New("graphwire: truncated JSON")

// Rewrite translates the JSON document src in direction dir and appends
// the result to dst. Property names are translated (camelCase ↔
// PascalCase, plus the renames of the tables), as are "@odata.type"
// values, open extension ids and the members of enumeration-valued
// properties; everything else — other string values, numbers, the custom
// properties of open extensions and the values of extended properties — is
// copied byte for byte. Insignificant white space is dropped. Rewrite
// rejects every src that json.Valid rejects (it accepts invalid UTF-8 in
// strings, as encoding/json does), so its output is valid JSON.
func Rewrite(dst, src []byte, dir Direction, shape Shape) ([]byte, error) {
	r := rewriter{src: src, out: dst, dir: dir, shape: shape}
	root := frame{root: true, top: true, ext: shape == Extension}
	if err := r.value(root); err != nil {
		return nil, err
	}
	r.ws()
	if r.pos != len(r.src) {
		return nil, fmt.Errorf("graphwire: unexpected data after JSON value at offset %d", r.pos)
	}
	return r.out, nil
}

type rewriter struct {
	src   []byte
	pos   int
	out   []byte
	dir   Direction
	shape Shape
	depth int
}

// keyKind says what the value of a property is, as far as the
// translation cares.
type keyKind uint8

const (
	kindOther     keyKind = iota
	kindODataType         // "@odata.type": a type name
	kindID                // "id": maybe an open extension id
	kindEnum              // an enumeration member (enumProps)
)

// frame is the context of one value.
type frame struct {
	kind    keyKind
	root    bool // the document's top level
	top     bool // a top-level entity: the document or an item of its "value"
	ext     bool // objects here are open extensions
	extProp bool // objects here are extended properties
	opaque  bool // copy verbatim
}

func (r *rewriter) ws() {
	for r.pos < len(r.src) {
		switch r.src[r.pos] {
		case ' ', '\t', '\r', '\n':
			r.pos++
		default:
			return
		}
	}
}

func (r *rewriter) value(f frame) error {
	r.ws()
	if r.pos >= len(r.src) {
		return errTruncated
	}
	switch r.src[r.pos] {
	case '{':
		return r.object(f)
	case '[':
		return r.array(f)
	case '"':
		s, err := r.str()
		if err != nil {
			return err
		}
		r.writeString(s, f)
		return nil
	default:
		start := r.pos
		for r.pos < len(r.src) {
			c := r.src[r.pos]
			if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				break
			}
			r.pos++
		}
		if tok := r.src[start:r.pos]; !isLiteral(tok) && !isNumber(tok) {
			if len(tok) == 0 {
				return fmt.Errorf("graphwire: unexpected %q at offset %d", r.src[start], start)
			}
			return fmt.Errorf("graphwire: invalid value at offset %d", start)
		}
		r.out = append(r.out, r.src[start:r.pos]...)
		return nil
	}
}

// isLiteral reports whether tok is true, false or null.
func isLiteral(tok []byte) bool {
	switch string(tok) {
	case "true", "false", "null":
		return true
	}
	return false
}

// isNumber reports whether tok is a JSON number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isNumber(tok []byte) bool {
	i := 0
	if i < len(tok) && tok[i] == '-' {
		i++
	}
	switch {
	case i < len(tok) && tok[i] == '0':
		i++
	case i < len(tok) && tok[i] >= '1' && tok[i] <= '9':
		i = digits(tok, i)
	default:
		return false
	}
	if i < len(tok) && tok[i] == '.' {
		if j := digits(tok, i+1); j > i+1 {
			i = j
		} else {
			return false
		}
	}
	if i < len(tok) && (tok[i] == 'e' || tok[i] == 'E') {
		i++
		if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
			i++
		}
		if j := digits(tok, i); j > i {
			i = j
		} else {
			return false
		}
	}
	return i == len(tok)
}

// digits returns the index after the run of decimal digits at tok[i:].
func digits(tok []byte, i int) int {
	for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
		i++
	}
	return i
}

// str reads a string token and returns its raw contents (escapes intact).
// It rejects what json.Valid rejects in a string: control characters and
// malformed escapes (invalid UTF-8 is accepted and copied, as encoding/json
// accepts it).
func (r *rewriter) str() ([]byte, error) {
	start := r.pos + 1
	// Find the first quote with the (vectorised) IndexByte, then walk the
	// backslashes before it, checking each escape; when an escape covers
	// that quote (\"), look for the next one. Most strings have no
	// backslash: one search for each character settles them.
	q := bytes.IndexByte(r.src[start:], '"')
	if q < 0 {
		return nil, errTruncated
	}
	q += start
	for i := start; ; {
		b := bytes.IndexByte(r.src[i:q], '\\')
		if b < 0 {
			if hasControl(r.src[start:q]) {
				return nil, fmt.Errorf("graphwire: control character in string at offset %d", start)
			}
			r.pos = q + 1
			return r.src[start:q], nil
		}
		i += b
		if i+1 >= len(r.src) {
			return nil, errTruncated
		}
		switch r.src[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+6 > len(r.src) {
				return nil, errTruncated
			}
			for _, c := range r.src[i+2 : i+6] {
				if !isHex(c) {
					return nil, fmt.Errorf("graphwire: invalid escape in string at offset %d", i)
				}
			}
			i += 6
		default:
			return nil, fmt.Errorf("graphwire: invalid escape in string at offset %d", i)
		}
		if i > q {
			next := bytes.IndexByte(r.src[i:], '"')
			if next < 0 {
				return nil, errTruncated
			}
			q = i + next
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// hasControl reports whether b holds a byte below 0x20, eight bytes at a
// time: x - 0x20… borrows into a byte's high bit exactly when some byte is
// below 0x20 and the byte's own high bit was clear.
func hasControl(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		if (x-0x20*ones)&^x&highs != 0 {
			return true
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

func (r *rewriter) enter() error {
	r.depth++
	if r.depth > maxDepth {
		return fmt.Errorf("graphwire: JSON nested deeper than %d", maxDepth)
	}
	return nil
}

func (r *rewriter) array(f frame) error {
	if err := r.enter(); err != nil {
		return err
	}
	defer func() { r.depth-- }()
	r.pos++
	r.out = append(r.out, '[')
	elem := f
	elem.root = false
	for first := true; ; first = false {
		r.ws()
		if r.pos >= len(r.src) {
			return errTruncated
		}
		if r.src[r.pos] == ']' {
			r.pos++
			r.out = append(r.out, ']')
			return nil
		}
		if !first {
			if r.src[r.pos] != ',' {
				return fmt.Errorf("graphwire: expected ',' at offset %d", r.pos)
			}
			r.pos++
			r.out = append(r.out, ',')
		}
		if err := r.value(elem); err != nil {
			return err
		}
	}
}

func (r *rewriter) object(f frame) error {
	if err := r.enter(); err != nil {
		return err
	}
	defer func() { r.depth-- }()
	r.pos++
	r.out = append(r.out, '{')
	for first := true; ; first = false {
		r.ws()
		if r.pos >= len(r.src) {
			return errTruncated
		}
		if r.src[r.pos] == '}' {
			r.pos++
			r.out = append(r.out, '}')
			return nil
		}
		if !first {
			if r.src[r.pos] != ',' {
				return fmt.Errorf("graphwire: expected ',' at offset %d", r.pos)
			}
			r.pos++
			r.out = append(r.out, ',')
			r.ws()
		}
		if r.pos >= len(r.src) || r.src[r.pos] != '"' {
			return fmt.Errorf("graphwire: expected a property name at offset %d", r.pos)
		}
		raw, err := r.str()
		if err != nil {
			return err
		}
		r.ws()
		if r.pos >= len(r.src) || r.src[r.pos] != ':' {
			return fmt.Errorf("graphwire: expected ':' at offset %d", r.pos)
		}
		r.pos++
		if f.top && r.dir == FromGraph && r.shape == TodoList && bytes.EqualFold(raw, []byte("wellknownListName")) {
			if err := r.wellKnownList(); err != nil {
				return err
			}
			continue
		}
		child := r.member(raw, f)
		r.out = append(r.out, ':')
		if err := r.value(child); err != nil {
			return err
		}
	}
}

// member writes the translated name of property raw of an object in frame
// f (quoted) and returns the frame of its value. The common path allocates
// nothing: names are compared through a lower-cased copy on the stack and
// written with their first letter's case changed.
func (r *rewriter) member(raw []byte, f frame) frame {
	if f.opaque || f.ext || f.extProp || f.root || !memoize || len(raw) > maxMemoNameLen {
		return r.translateMember(raw, f)
	}
	// Elsewhere the translation depends only on the name, the direction,
	// the shape and whether the object is a top-level entity: remember it.
	top := 0
	if f.top {
		top = 1
	}
	memo := &memberMemos[r.dir][r.shape][top]
	if m := memo.Load(); m != nil {
		if e, ok := (*m)[string(raw)]; ok {
			r.out = append(r.out, e.out...)
			return e.child
		}
	}
	start := len(r.out)
	child := r.translateMember(raw, f)
	memo.add(string(raw), memberOut{out: string(r.out[start:]), child: child})
	return child
}

// memberOut is a translated property name (quoted) and its value's frame.
type memberOut struct {
	out   string
	child frame
}

// memberMemo remembers translated property names. Reads take no lock: the
// map is replaced, never changed, when a name is added. It holds at most
// maxMemoNames names of at most maxMemoNameLen bytes, so names a server
// makes up cannot grow it.
type memberMemo struct {
	m atomic.Pointer[map[string]memberOut]
}

// Bounds of a memo: names are property names (the longest Outlook names
// are under 40 bytes); longer ones, which only a made-up body has, are
// translated each time, so a memo holds at most 512 × 64 bytes of names.
const (
	maxMemoNames   = 512
	maxMemoNameLen = 64
)

// memberMemos are the memos per direction, shape and top-level flag.
var memberMemos [2][4][2]memberMemo

// memoize turns the memos on; tests compare with it off.
var memoize = true

func (mm *memberMemo) Load() *map[string]memberOut { return mm.m.Load() }

func (mm *memberMemo) add(name string, e memberOut) {
	old := mm.m.Load()
	n := 0
	if old != nil {
		n = len(*old)
	}
	if n >= maxMemoNames {
		return
	}
	next := make(map[string]memberOut, n+1)
	if old != nil {
		maps.Copy(next, *old)
	}
	next[name] = e
	mm.m.CompareAndSwap(old, &next) // a lost race only loses this entry
}

// translateMember is member without the memo.
func (r *rewriter) translateMember(raw []byte, f frame) frame {
	if f.opaque || len(raw) == 0 || bytes.IndexByte(raw, '\\') >= 0 {
		r.quoted(raw)
		return frame{opaque: true}
	}
	if raw[0] == '@' {
		r.quoted(raw)
		if bytes.EqualFold(raw, []byte("@odata.type")) {
			return frame{kind: kindODataType}
		}
		return frame{}
	}
	var buf [64]byte
	lower := append(buf[:0], raw...)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	base, annot := lower, []byte(nil)
	if at := bytes.IndexByte(lower, '@'); at >= 0 {
		base, annot = lower[:at], raw[at:]
	}
	switch {
	case f.ext:
		// An open extension: only its own properties are translated.
		switch string(lower) {
		case "id":
			r.cased(raw)
			return frame{kind: kindID}
		case "extensionname":
			r.cased(raw)
			return frame{}
		case "value":
			if f.root {
				// The envelope of a collection of extensions.
				r.quoted(raw)
				return frame{ext: true}
			}
		}
		r.quoted(raw)
		return frame{opaque: true}
	case f.extProp:
		switch {
		case r.dir == ToGraph && string(lower) == "propertyid":
			r.quotedString("id")
			return frame{}
		case r.dir == FromGraph && string(lower) == "id":
			r.quotedString("PropertyId")
			return frame{}
		case string(lower) == "value":
			r.cased(raw)
			return frame{opaque: true}
		}
	}
	if f.root && string(lower) == "value" {
		// The collection envelope: the same in both dialects; its items
		// are top-level entities.
		r.quoted(raw)
		return frame{top: true}
	}
	renames := renamedProps
	if r.dir == FromGraph {
		renames = renamedPropsBack
	}
	name, ok := renames[string(base)]
	if f.top && !ok {
		if r.dir == ToGraph {
			name, ok = topRenames[r.shape][string(base)]
		} else {
			name, ok = topRenamesBack[r.shape][string(base)]
		}
	}
	if ok {
		r.out = append(r.out, '"')
		r.out = append(r.out, name...)
		r.out = append(r.out, annot...)
		r.out = append(r.out, '"')
	} else {
		r.cased(raw)
	}
	var child frame
	switch string(lower) {
	case "id":
		child.kind = kindID
	case "extensions":
		child.ext = true
	case "singlevalueextendedproperties", "multivalueextendedproperties":
		child.extProp = true
	default:
		if enumProps[string(lower)] {
			child.kind = kindEnum
		}
	}
	return child
}

// quoted writes a property name as it is.
func (r *rewriter) quoted(raw []byte) {
	r.out = append(r.out, '"')
	r.out = append(r.out, raw...)
	r.out = append(r.out, '"')
}

func (r *rewriter) quotedString(name string) {
	r.out = append(r.out, '"')
	r.out = append(r.out, name...)
	r.out = append(r.out, '"')
}

// cased writes a property name in the direction's case: the first letter
// lower-cased for Graph (a name in capitals only, all of it), upper-cased
// for v2.0. An annotation suffix ("@odata.type") is kept as it is.
func (r *rewriter) cased(raw []byte) {
	start := len(r.out)
	r.out = append(r.out, '"')
	r.out = append(r.out, raw...)
	r.out = append(r.out, '"')
	name := r.out[start+1 : len(r.out)-1]
	if at := bytes.IndexByte(name, '@'); at >= 0 {
		name = name[:at]
	}
	if len(name) == 0 {
		return
	}
	if r.dir == FromGraph {
		if c := name[0]; c >= 'a' && c <= 'z' {
			name[0] = c - 'a' + 'A'
		}
		return
	}
	if c := name[0]; c < 'A' || c > 'Z' {
		return
	}
	if len(name) > 1 && isUpperWordBytes(name) {
		for i, c := range name {
			name[i] = c + 'a' - 'A'
		}
		return
	}
	name[0] += 'a' - 'A'
}

func isUpperWordBytes(b []byte) bool {
	for _, c := range b {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// wellKnownList translates a todoTaskList's "wellknownListName" into the
// v2.0 IsDefaultFolder flag; the reader is at the property's value.
func (r *rewriter) wellKnownList() error {
	r.ws()
	isDefault := false
	if r.pos < len(r.src) && r.src[r.pos] == '"' {
		s, err := r.str()
		if err != nil {
			return err
		}
		isDefault = strings.EqualFold(string(s), defaultListName)
	} else {
		start := len(r.out)
		if err := r.value(frame{opaque: true}); err != nil {
			return err
		}
		r.out = r.out[:start]
	}
	if isDefault {
		r.out = append(r.out, `"IsDefaultFolder":true`...)
	} else {
		r.out = append(r.out, `"IsDefaultFolder":false`...)
	}
	return nil
}

// writeString writes the string token whose raw contents are s, translated
// when frame f says its value is a type name, an extension id or an
// enumeration member.
func (r *rewriter) writeString(s []byte, f frame) {
	if f.opaque || f.kind == kindOther || bytes.IndexByte(s, '\\') >= 0 {
		r.quoted(s)
		return
	}
	switch f.kind {
	case kindODataType:
		out := string(s)
		if r.dir == ToGraph {
			out = TypeToGraph(out)
			if r.shape == TodoTask && out == "#"+graphNS+"fileAttachment" {
				out = "#" + graphNS + "taskFileAttachment" // To Do's file attachment
			}
		} else {
			out = TypeFromGraph(out)
		}
		r.quotedString(out)
	case kindID:
		if len(s) <= len(graphExtID) || (s[0] != 'm' && s[0] != 'M') {
			r.quoted(s) // an ordinary id
			return
		}
		if r.dir == ToGraph {
			r.quotedString(ExtensionIDToGraph(string(s)))
		} else {
			r.quotedString(ExtensionIDFromGraph(string(s)))
		}
	case kindEnum:
		r.enum(s)
	}
}

// enum writes an enumeration member (or a comma-separated list of them)
// in the direction's spelling; other values are written as they are.
func (r *rewriter) enum(s []byte) {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			// Not a single member: lists (rare) take the general path.
			out := string(s)
			if r.dir == ToGraph {
				out, _ = EnumToGraph(out)
			} else {
				out, _ = EnumFromGraph(out)
			}
			r.quotedString(out)
			return
		}
	}
	if len(s) == 0 {
		r.quoted(s)
		return
	}
	if r.dir == FromGraph {
		var buf [32]byte
		lower := append(buf[:0], s...)
		for i, c := range lower {
			if c >= 'A' && c <= 'Z' {
				lower[i] = c + 'a' - 'A'
			}
		}
		if a, ok := enumAcronyms[string(lower)]; ok {
			r.quotedString(a)
			return
		}
	}
	r.cased(s)
}
