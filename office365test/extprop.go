package office365test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Extensibility adds extended properties (SingleValueExtendedProperties and
// MultiValueExtendedProperties) and open extensions (Extensions) to the
// entities of a Mailbox fake:
//
//   - Creating a message, event, contact, mail folder, calendar or contact
//     folder with extended properties stores them; a PATCH of the item
//     creates or updates them (merged by PropertyId, which is validated in
//     all three forms, with values checked against the MAPI type).
//   - Reads return them only when asked for with
//     $expand=SingleValueExtendedProperties($filter=PropertyId eq '…' or …)
//     (or MultiValueExtendedProperties); an $expand without the filter
//     answers 400, as the service cannot return all of them.
//   - $filter=SingleValueExtendedProperties/Any(ep: ep/PropertyId eq '…' and
//     ep/Value eq '…') selects items by a property's value (PropertyIds and
//     values compare case-insensitively); filtering on multi-value
//     properties answers 400.
//   - Open extensions on messages, events and contacts: created with the
//     item ("Extensions": […]) or with POST {item}/extensions, read with GET
//     {item}/extensions('{name or id}') or
//     $expand=Extensions($filter=Id eq '…'), merged with PATCH, removed
//     with DELETE; $filter=Extensions/any(f:f/Id eq '…') finds items.
//
// NewMailbox installs it on every Mailbox as a middleware of the request
// dispatch, so it covers every route — Mail, Calendar, Contacts, Tasks, and
// routes added later with Mailbox.Handle — whatever the order in which they
// were registered. Register installs it on a Mailbox again (harmlessly).
type Extensibility struct{}

func init() {
	mailboxExtensions = append(mailboxExtensions, func(m *Mailbox) { NewExtensibility().Register(m) })
}

// NewExtensibility returns the extended-property and open-extension fake.
func NewExtensibility() *Extensibility { return &Extensibility{} }

// extensibilityKey identifies the Extensibility middleware of a Mailbox.
type extensibilityKey struct{}

// Register adds the extension routes and installs the middleware that
// handles extended properties and extensions on every route; registering
// again changes nothing.
func (x *Extensibility) Register(m *Mailbox) {
	x.registerExtensionRoutes(m)
	m.use(extensibilityKey{}, x.wrap)
}

const (
	keySingle     = "SingleValueExtendedProperties"
	keyMulti      = "MultiValueExtendedProperties"
	keyExtensions = "Extensions"
)

// extFilterable reports whether name is one of the extensibility
// collections that every entity carrying them can be filtered on with a
// lambda ($filter=SingleValueExtendedProperties/Any(…), Extensions/any(…));
// the Extensibility fake refuses the multi-value form with its own error.
func extFilterable(name string) bool {
	return strings.EqualFold(name, keySingle) || strings.EqualFold(name, keyMulti) || strings.EqualFold(name, keyExtensions)
}

// extCollections maps the collection segment of a create or update path to
// the entity types it holds and whether they take open extensions.
var extCollections = map[string]struct {
	types      []EntityType
	extensions bool
}{
	"messages":       {[]EntityType{EntityMessage}, true},
	"events":         {[]EntityType{EntityEvent}, true},
	"contacts":       {[]EntityType{EntityContact}, true},
	"mailfolders":    {[]EntityType{EntityMailFolder}, false},
	"calendars":      {[]EntityType{EntityCalendar}, false},
	"contactfolders": {[]EntityType{EntityContactFolder}, false},
	"childfolders":   {[]EntityType{EntityMailFolder, EntityContactFolder}, false},
}

var extTypes = map[EntityType]bool{
	EntityMessage: true, EntityEvent: true, EntityContact: true,
	EntityMailFolder: true, EntityCalendar: true, EntityContactFolder: true,
}

var extensionTypes = map[EntityType]bool{EntityMessage: true, EntityEvent: true, EntityContact: true}

// extWrite is what a create or update request asks for.
type extWrite struct {
	single, multi []any // validated property objects, nil when absent
	exts          []any // normalized extensions (create only)
	has           bool
}

// wrap returns next with extended properties and extensions handled.
func (x *Extensibility) wrap(next MailboxHandler) MailboxHandler {
	return func(rq *MailboxRequest) *Reply {
		expand, rep := parseExtExpand(rq)
		if rep != nil {
			return rep
		}
		if f := rq.Query("$filter"); f != "" && strings.Contains(strings.ToLower(f), strings.ToLower(keyMulti)) {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQueryFilter", "Multi-value extended properties cannot be used in $filter.")
		}
		var w extWrite
		var target *Record
		method := strings.ToUpper(rq.R.Method)
		if (method == http.MethodPost || method == http.MethodPatch) && len(rq.Segments) > 0 {
			coll := rq.Segments[len(rq.Segments)-1]
			if method == http.MethodPatch && len(rq.Segments) >= 2 {
				coll = rq.Segments[len(rq.Segments)-2]
			}
			if info, ok := extCollections[strings.ToLower(coll)]; ok {
				if method == http.MethodPatch {
					target = rq.User.extTargetLocked(rq.Segments, info.types)
				}
				if w, rep = x.takeWrite(rq, info.extensions, method == http.MethodPost); rep != nil {
					return rep
				}
			}
		}
		rep = next(rq)
		if rep == nil {
			return rep
		}
		if w.has && rep.Status >= 200 && rep.Status < 300 {
			x.applyWrite(rq, rep, w, target)
		}
		x.shapeReply(rq, rep, expand)
		return rep
	}
}

// extTargetLocked finds the entity a PATCH path addresses.
func (u *MailboxUser) extTargetLocked(segs []string, types []EntityType) *Record {
	id := segs[len(segs)-1]
	if r := u.su.Items[id]; r != nil {
		for _, t := range types {
			if r.Type == t {
				return r
			}
		}
	}
	for _, t := range types {
		if t == EntityMailFolder {
			return u.folderLocked(id)
		}
	}
	return nil
}

// takeWrite removes the extended properties and extensions from the body
// of a create or update, validating them.
func (x *Extensibility) takeWrite(rq *MailboxRequest, extensions, create bool) (extWrite, *Reply) {
	var w extWrite
	if len(strings.TrimSpace(string(rq.Body))) == 0 {
		return w, nil
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(rq.Body, &body); err != nil || body == nil {
		return w, nil // the entity handler answers the malformed body
	}
	changed := false
	for k, raw := range body {
		var v any
		switch {
		case strings.EqualFold(k, keySingle), strings.EqualFold(k, keyMulti),
			strings.EqualFold(k, keyExtensions) && extensions:
			dec := json.NewDecoder(strings.NewReader(string(raw)))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				return w, invalidValue(k)
			}
			v = normalizeNumbers(v)
		default:
			continue
		}
		var rep *Reply
		switch {
		case strings.EqualFold(k, keySingle):
			w.single, rep = validateExtProps(v, false)
		case strings.EqualFold(k, keyMulti):
			w.multi, rep = validateExtProps(v, true)
		default:
			if !create {
				return w, ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "Use the extensions navigation property to change open extensions.")
			}
			w.exts, rep = normalizeExtensions(v)
		}
		if rep != nil {
			return w, rep
		}
		w.has = true
		delete(body, k)
		changed = true
	}
	if changed {
		b, err := json.Marshal(body)
		if err != nil {
			return w, ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The request body cannot be read.")
		}
		rq.Body = b
	}
	return w, nil
}

// applyWrite stores what takeWrite removed on the created or updated
// entity.
func (x *Extensibility) applyWrite(rq *MailboxRequest, rep *Reply, w extWrite, target *Record) {
	r := target
	if r == nil {
		doc, ok := rep.JSON.(map[string]any)
		if !ok {
			return
		}
		id, _ := doc["Id"].(string)
		r = rq.User.su.Items[id]
	}
	if r == nil || !extTypes[r.Type] {
		return
	}
	if w.single != nil {
		r.Doc[keySingle] = mergeExtProps(r.Doc[keySingle], w.single)
	}
	if w.multi != nil {
		r.Doc[keyMulti] = mergeExtProps(r.Doc[keyMulti], w.multi)
	}
	if w.exts != nil && extensionTypes[r.Type] {
		r.Doc[keyExtensions] = w.exts
	}
}

// mergeExtProps updates old with the properties of upd (matched by
// PropertyId) and appends the new ones.
func mergeExtProps(old any, upd []any) []any {
	out, _ := deepCopy(old).([]any)
	for _, p := range upd {
		pm := p.(map[string]any)
		id := canonicalPropertyID(pm["PropertyId"].(string))
		replaced := false
		for i, o := range out {
			om, _ := o.(map[string]any)
			if s, _ := om["PropertyId"].(string); canonicalPropertyID(s) == id {
				out[i] = pm
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, pm)
		}
	}
	return out
}

// extExpand holds the $expand options of the three navigation properties.
type extExpand struct {
	single, multi, exts *Filter
	hasSingle, hasMulti bool
	hasExts             bool
}

// parseExtExpand reads the $expand entries for extended properties and
// extensions, with their $filter options.
func parseExtExpand(rq *MailboxRequest) (extExpand, *Reply) {
	var e extExpand
	for _, item := range SplitList(rq.Query("$expand")) {
		name, opts, _ := strings.Cut(item, "(")
		name = strings.TrimSpace(name)
		var filter string
		if opts != "" {
			opts = strings.TrimSuffix(strings.TrimSpace(opts), ")")
			for _, o := range strings.Split(opts, ";") {
				k, v, _ := strings.Cut(o, "=")
				if strings.EqualFold(strings.TrimSpace(k), "$filter") {
					filter = v
				}
			}
		}
		var f *Filter
		if filter != "" {
			var err error
			if f, err = ParseFilter(filter, nil); err != nil {
				return e, filterErrorReply(err)
			}
		}
		switch {
		case strings.EqualFold(name, keySingle), strings.EqualFold(name, keyMulti):
			if f == nil {
				return e, ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery",
					"Expanding "+name+" requires a $filter on PropertyId: extended properties must be named.")
			}
			if strings.EqualFold(name, keySingle) {
				e.single, e.hasSingle = f, true
			} else {
				e.multi, e.hasMulti = f, true
			}
		case strings.EqualFold(name, keyExtensions):
			e.exts, e.hasExts = f, true
		}
	}
	return e, nil
}

// shapeReply sets the three navigation properties of every entity in the
// reply from the store, as $expand asks, and removes them otherwise.
func (x *Extensibility) shapeReply(rq *MailboxRequest, rep *Reply, e extExpand) {
	var docs []map[string]any
	switch v := rep.JSON.(type) {
	case map[string]any:
		if list, ok := v["value"].([]any); ok {
			for _, it := range list {
				if d, ok := it.(map[string]any); ok {
					docs = append(docs, d)
				}
			}
		} else if list, ok := v["value"].([]Entity); ok {
			docs = append(docs, list...)
		} else {
			docs = append(docs, v)
		}
	}
	for _, d := range docs {
		id, _ := d["Id"].(string)
		r := rq.User.su.Items[id]
		if r == nil || !extTypes[r.Type] {
			continue
		}
		set := func(key string, want bool, f *Filter, match func(*Filter, map[string]any) bool) {
			delete(d, key)
			if !want {
				return
			}
			list, _ := r.Doc[key].([]any)
			var out []any
			for _, it := range list {
				m, ok := it.(map[string]any)
				if ok && (f == nil || match(f, m)) {
					out = append(out, deepCopy(m))
				}
			}
			if len(out) > 0 {
				d[key] = out
			} else if key == keyExtensions {
				d[key] = []any{}
			}
		}
		plain := func(f *Filter, m map[string]any) bool { return f.Match(m) }
		set(keySingle, e.hasSingle, e.single, plain)
		set(keyMulti, e.hasMulti, e.multi, plain)
		if extensionTypes[r.Type] {
			set(keyExtensions, e.hasExts, e.exts, matchExtension)
		}
	}
}

// matchExtension evaluates an extension filter ("Id eq '…'") accepting the
// full Id or the bare ExtensionName.
func matchExtension(f *Filter, ext map[string]any) bool {
	if f.Match(ext) {
		return true
	}
	alt := deepCopy(ext).(map[string]any)
	alt["Id"] = ext["ExtensionName"]
	return f.Match(alt)
}

// ---------------------------------------------------------------- PropertyId

var mapiTypes = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{"ApplicationTime", "Binary", "Boolean", "CLSID", "Currency", "Double", "Error", "Float",
		"Integer", "Long", "Null", "Object", "Short", "SystemTime", "String"} {
		m[strings.ToLower(t)] = t
	}
	for _, t := range []string{"ApplicationTime", "Binary", "CLSID", "Currency", "Double", "Float", "Integer", "Long",
		"Object", "Short", "SystemTime", "String"} {
		m[strings.ToLower(t)+"array"] = t + "Array"
	}
	return m
}()

var (
	rePropGUID = regexp.MustCompile(`^(?i)\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$`)
	rePropHex  = regexp.MustCompile(`^(?i)0x[0-9a-f]{1,8}$`)
)

// parsePropertyID checks a PropertyId in the forms "{type} {guid} Name
// {name}", "{type} {guid} Id {id}" and "{type} 0x{tag}" and returns its
// MAPI type and canonical form (type spelled canonically, GUID and hex
// upper-case, numbers as 0x%04X).
func parsePropertyID(s string) (typ, canonical string, ok bool) {
	fields := strings.SplitN(strings.TrimSpace(s), " ", 4)
	if len(fields) < 2 {
		return "", "", false
	}
	typ, ok = mapiTypes[strings.ToLower(fields[0])]
	if !ok {
		return "", "", false
	}
	num := func(v string, bits int) (uint64, bool) {
		var n uint64
		var err error
		if rePropHex.MatchString(v) {
			n, err = strconv.ParseUint(v[2:], 16, bits)
		} else {
			n, err = strconv.ParseUint(v, 10, bits)
		}
		return n, err == nil
	}
	switch {
	case len(fields) == 2 && rePropHex.MatchString(fields[1]):
		n, ok := num(fields[1], 16)
		if !ok {
			return "", "", false
		}
		return typ, fmt.Sprintf("%s 0x%04X", typ, n), true
	case len(fields) == 4 && rePropGUID.MatchString(fields[1]):
		guid := strings.ToUpper(fields[1])
		switch strings.ToLower(fields[2]) {
		case "name":
			name := fields[3]
			if name == "" || strings.TrimSpace(name) != name || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				return "", "", false
			}
			return typ, typ + " " + guid + " Name " + name, true
		case "id":
			n, ok := num(fields[3], 32)
			if !ok {
				return "", "", false
			}
			return typ, fmt.Sprintf("%s %s Id 0x%04X", typ, guid, n), true
		}
	}
	return "", "", false
}

// canonicalPropertyID compares PropertyIds case-insensitively in their
// canonical form (the service treats the spellings alike).
func canonicalPropertyID(s string) string {
	if _, c, ok := parsePropertyID(s); ok {
		return strings.ToLower(c)
	}
	return strings.ToLower(s)
}

// checkPropertyValue reports whether s is a valid value of MAPI type t.
func checkPropertyValue(t, s string) bool {
	var err error
	switch t {
	case "Short":
		_, err = strconv.ParseInt(s, 10, 16)
	case "Integer":
		_, err = strconv.ParseInt(s, 10, 32)
	case "Long", "Currency":
		_, err = strconv.ParseInt(s, 10, 64)
	case "Double", "Float":
		_, err = strconv.ParseFloat(s, 64)
	case "Boolean":
		switch strings.ToLower(s) {
		case "true", "false":
		default:
			return false
		}
	case "SystemTime", "ApplicationTime":
		_, err = time.Parse(time.RFC3339Nano, s)
		if err != nil {
			_, err = time.Parse("2006-01-02T15:04:05", s)
		}
	case "Binary":
		_, err = base64.StdEncoding.DecodeString(s)
	case "CLSID":
		if !rePropGUID.MatchString(s) && !rePropGUID.MatchString("{"+s+"}") {
			return false
		}
	}
	return err == nil
}

func invalidExtProp(msg string) *Reply {
	return ErrorReply(http.StatusBadRequest, "ErrorInvalidExtendedProperty", msg)
}

// validateExtProps checks a SingleValueExtendedProperties (multi false) or
// MultiValueExtendedProperties list and returns its entries as
// {"PropertyId", "Value"} objects.
func validateExtProps(v any, multi bool) ([]any, *Reply) {
	key := keySingle
	if multi {
		key = keyMulti
	}
	list, ok := v.([]any)
	if !ok {
		return nil, invalidValue(key)
	}
	out := make([]any, 0, len(list))
	seen := map[string]bool{}
	for _, it := range list {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, invalidValue(key)
		}
		for k := range m {
			if k != "PropertyId" && k != "Value" && !strings.HasPrefix(k, "@") {
				return nil, unknownProperty(k, map[bool]string{false: "SingleValueLegacyExtendedProperty", true: "MultiValueLegacyExtendedProperty"}[multi])
			}
		}
		id, _ := m["PropertyId"].(string)
		typ, canon, ok := parsePropertyID(id)
		if !ok {
			return nil, invalidExtProp("The PropertyId '" + id + "' is not valid.")
		}
		if strings.HasSuffix(typ, "Array") != multi {
			if multi {
				return nil, invalidExtProp("The property '" + id + "' is single-valued; use SingleValueExtendedProperties.")
			}
			return nil, invalidExtProp("The property '" + id + "' is multi-valued; use MultiValueExtendedProperties.")
		}
		if seen[strings.ToLower(canon)] {
			return nil, invalidExtProp("The property '" + id + "' is given twice.")
		}
		seen[strings.ToLower(canon)] = true
		elem := strings.TrimSuffix(typ, "Array")
		if multi {
			vals, ok := m["Value"].([]any)
			if !ok {
				return nil, invalidExtProp("The value of '" + id + "' must be an array of strings.")
			}
			for _, e := range vals {
				s, ok := e.(string)
				if !ok || !checkPropertyValue(elem, s) {
					return nil, invalidExtProp("A value of '" + id + "' is not a valid " + elem + ".")
				}
			}
			out = append(out, map[string]any{"PropertyId": id, "Value": deepCopy(vals)})
			continue
		}
		s, ok := m["Value"].(string)
		if !ok || !checkPropertyValue(elem, s) {
			return nil, invalidExtProp("The value of '" + id + "' is not a valid " + elem + " (values are strings).")
		}
		out = append(out, map[string]any{"PropertyId": id, "Value": s})
	}
	return out, nil
}
