package graphwire

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
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
// copied byte for byte. Insignificant white space is dropped. src must be
// valid JSON (a response already checked, or the output of json.Marshal).
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

// frame is the context of one value.
type frame struct {
	key     string // lower-cased v2.0 name of the property holding the value
	root    bool   // the document's top level
	top     bool   // a top-level entity: the document or an item of its "value"
	ext     bool   // objects here are open extensions
	extProp bool   // objects here are extended properties
	opaque  bool   // copy verbatim
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
		if r.pos == start {
			return fmt.Errorf("graphwire: unexpected %q at offset %d", r.src[start], start)
		}
		r.out = append(r.out, r.src[start:r.pos]...)
		return nil
	}
}

// str reads a string token and returns its raw contents (escapes intact).
func (r *rewriter) str() ([]byte, error) {
	start := r.pos + 1
	i := start
	for {
		j := bytes.IndexAny(r.src[i:], `"\`)
		if j < 0 {
			return nil, errTruncated
		}
		i += j
		if r.src[i] == '\\' {
			i += 2
			if i > len(r.src) {
				return nil, errTruncated
			}
			continue
		}
		r.pos = i + 1
		return r.src[start:i], nil
	}
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
		if f.top && r.dir == FromGraph && r.shape == TodoList && strings.EqualFold(string(raw), "wellknownListName") {
			if err := r.wellKnownList(); err != nil {
				return err
			}
			continue
		}
		name, child := r.member(string(raw), f)
		r.out = append(r.out, '"')
		r.out = append(r.out, name...)
		r.out = append(r.out, '"', ':')
		if err := r.value(child); err != nil {
			return err
		}
	}
}

// member returns the translated name of property key of an object in
// frame f, and the frame of its value.
func (r *rewriter) member(key string, f frame) (string, frame) {
	if f.opaque || strings.IndexByte(key, '\\') >= 0 {
		return key, frame{opaque: true}
	}
	if strings.HasPrefix(key, "@") {
		return key, frame{key: strings.ToLower(key)}
	}
	lk := strings.ToLower(key)
	switch {
	case f.ext:
		// An open extension: only its own properties are translated.
		switch lk {
		case "id", "extensionname":
			return r.caseOf(key), frame{key: lk}
		case "value":
			if f.root {
				// The envelope of a collection of extensions.
				return key, frame{key: lk, ext: true}
			}
		}
		return key, frame{opaque: true}
	case f.extProp:
		switch {
		case r.dir == ToGraph && lk == "propertyid":
			return "id", frame{key: "propertyid"}
		case r.dir == FromGraph && lk == "id":
			return "PropertyId", frame{key: "propertyid"}
		case lk == "value":
			return r.caseOf(key), frame{opaque: true}
		}
	}
	var name, v2 string
	renamed, ok := "", false
	if f.top {
		if r.dir == ToGraph {
			renamed, ok = topRenames[r.shape][lk]
		} else {
			renamed, ok = topRenamesBack[r.shape][lk]
		}
	}
	switch {
	case f.root && lk == "value":
		// The collection envelope: the same in both dialects; its items
		// are top-level entities.
		return key, frame{key: lk, top: true}
	case ok:
		name, v2 = renamed, strings.ToLower(renamed)
		if r.dir == ToGraph {
			v2 = lk
		}
	case r.dir == ToGraph:
		name, v2 = PropertyToGraph(key), lk
	default:
		name = PropertyFromGraph(key)
		v2 = strings.ToLower(name)
	}
	child := frame{key: v2}
	switch v2 {
	case "extensions":
		child.ext = true
	case "singlevalueextendedproperties", "multivalueextendedproperties":
		child.extProp = true
	}
	return name, child
}

func (r *rewriter) caseOf(key string) string {
	if r.dir == ToGraph {
		return lowerFirst(key)
	}
	return upperFirst(key)
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
	out := string(s)
	if !f.opaque && bytes.IndexByte(s, '\\') < 0 {
		switch {
		case f.key == "@odata.type":
			if r.dir == ToGraph {
				out = TypeToGraph(out)
				if r.shape == TodoTask && out == "#"+graphNS+"fileAttachment" {
					out = "#" + graphNS + "taskFileAttachment" // To Do's file attachment
				}
			} else {
				out = TypeFromGraph(out)
			}
		case f.key == "id":
			if r.dir == ToGraph {
				out = ExtensionIDToGraph(out)
			} else {
				out = ExtensionIDFromGraph(out)
			}
		case enumProps[f.key]:
			if r.dir == ToGraph {
				out, _ = EnumToGraph(out)
			} else {
				out, _ = EnumFromGraph(out)
			}
		}
	}
	r.out = append(r.out, '"')
	r.out = append(r.out, out...)
	r.out = append(r.out, '"')
}
