package outlook

// Data (open) extensions: named bags of custom properties stored on
// messages, events and contacts.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// OData type of open extensions. The service answers with the "#" form;
// the documentation's request bodies use the form without "#", which is
// what this package sends.
const (
	ODataTypeOpenTypeExtension        = "#Microsoft.OutlookServices.OpenTypeExtension"
	odataTypeOpenTypeExtensionRequest = "Microsoft.OutlookServices.OpenTypeExtension"
	extensionIDPrefix                 = "Microsoft.OutlookServices.OpenTypeExtension."
	maxExtensionNameLen               = 255
)

// Extension is an open extension (OpenTypeExtension): an ExtensionName and
// custom properties. Fields holds the custom properties as JSON, including
// their type annotations ("Score@odata.type": "#Int32"); use Set, Get and
// Decode for typed access.
//
//	ext, _ := outlook.NewExtension("Com.Contoso.Referral", Referral{CompanyName: "Wingtip", DealValue: 500050})
//	…
//	var r Referral
//	err := ext.Decode(&r)
type Extension struct {
	// ODataType is "@odata.type" as received.
	ODataType string
	// ODataID is "@odata.id" as received.
	ODataID string
	// ID is "Microsoft.OutlookServices.OpenTypeExtension.{ExtensionName}"
	// (read only).
	ID string
	// ExtensionName is the extension's unique name; reverse DNS is
	// recommended ("Com.Contoso.Referral").
	ExtensionName string
	// Fields are the custom properties and their "@odata.type" annotations.
	Fields map[string]json.RawMessage
	// Extra holds the other annotations of the extension itself (such as
	// "@odata.context" or "@odata.etag"), as received; they are marshalled
	// back.
	Extra map[string]json.RawMessage
}

// NewExtension returns an extension named name whose custom properties are
// fields: a struct (its JSON fields) or a map, or nil for none. Values
// must be primitives or arrays of primitives.
func NewExtension(name string, fields any) (*Extension, error) {
	if err := checkExtensionName(name); err != nil {
		return nil, err
	}
	e := &Extension{ExtensionName: name}
	if fields == nil {
		return e, nil
	}
	m, err := toFieldMap(fields)
	if err != nil {
		return nil, err
	}
	e.Fields = m
	return e, nil
}

// toFieldMap marshals v (a struct or map) into custom properties.
func toFieldMap(v any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("outlook: extension fields: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, fmt.Errorf("outlook: extension fields must encode as a JSON object, not %s", excerptOf(b))
	}
	for k := range m {
		if err := checkFieldName(k); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func checkExtensionName(name string) error {
	switch {
	case name == "":
		return errors.New("outlook: empty extension name")
	case len(name) > maxExtensionNameLen:
		return fmt.Errorf("outlook: extension name longer than %d bytes", maxExtensionNameLen)
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) || r == '/' }) >= 0:
		return fmt.Errorf("outlook: extension name %q holds spaces, '/' or control characters", name)
	}
	return nil
}

// reservedField reports whether k is a property of the extension itself
// rather than a custom property.
func reservedField(k string) bool {
	switch {
	case strings.EqualFold(k, "Id"), strings.EqualFold(k, "ExtensionName"):
		return true
	case strings.HasPrefix(k, "@"): // @odata.type, @odata.id, @odata.context …
		return true
	}
	return false
}

// isTypeOrIDAnnotation reports whether k is "@odata.type" or "@odata.id",
// which Extension has fields for.
func isTypeOrIDAnnotation(k string) bool {
	return strings.EqualFold(k, "@odata.type") || strings.EqualFold(k, "@odata.id")
}

func checkFieldName(k string) error {
	if k == "" || reservedField(k) {
		return fmt.Errorf("outlook: %q cannot be the name of a custom extension property", k)
	}
	return nil
}

// ExtensionID returns the Id of the extension named name:
// "Microsoft.OutlookServices.OpenTypeExtension.{name}".
func ExtensionID(name string) string {
	if strings.HasPrefix(name, extensionIDPrefix) {
		return name
	}
	return extensionIDPrefix + name
}

// Set sets custom property key to v (any JSON-encodable primitive or slice
// of primitives).
func (e *Extension) Set(key string, v any) error {
	if err := checkFieldName(key); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("outlook: extension property %q: %w", key, err)
	}
	if e.Fields == nil {
		e.Fields = map[string]json.RawMessage{}
	}
	e.Fields[key] = b
	return nil
}

// SetTyped sets custom property key to v with its EDM type annotation,
// e.g. SetTyped("DealValue", 500050, "#Int64") sends "DealValue": 500050,
// "DealValue@odata.type": "#Int64".
func (e *Extension) SetTyped(key string, v any, odataType string) error {
	if strings.Contains(key, "@") {
		return fmt.Errorf("outlook: %q cannot be the name of a custom extension property", key)
	}
	if odataType == "" {
		return errors.New("outlook: SetTyped: empty type")
	}
	if err := e.Set(key, v); err != nil {
		return err
	}
	return e.Set(key+"@odata.type", odataType)
}

// Get decodes custom property key into out. ok is false when the
// extension has no such property.
func (e *Extension) Get(key string, out any) (ok bool, err error) {
	raw, ok := e.Fields[key]
	if !ok {
		for k, v := range e.Fields {
			if strings.EqualFold(k, key) {
				raw, ok = v, true
				break
			}
		}
	}
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return true, fmt.Errorf("outlook: extension property %q: %w", key, err)
	}
	return true, nil
}

// Decode decodes the custom properties into out, a pointer to a struct
// (matched by JSON field names) or a map.
func (e *Extension) Decode(out any) error {
	b, err := json.Marshal(e.Fields)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("outlook: decoding extension %q: %w", e.ExtensionName, err)
	}
	return nil
}

// MarshalJSON writes the extension as the service expects it:
// "@odata.type", "ExtensionName" and the custom properties (sorted).
func (e Extension) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	typ := e.ODataType
	if typ == "" {
		typ = odataTypeOpenTypeExtensionRequest
	}
	writeMember(&b, "@odata.type", typ)
	if e.ODataID != "" {
		writeMember(&b, "@odata.id", e.ODataID)
	}
	if e.ID != "" {
		writeMember(&b, "Id", e.ID)
	}
	if e.ExtensionName != "" {
		writeMember(&b, "ExtensionName", e.ExtensionName)
	}
	annotations := make([]string, 0, len(e.Extra))
	for k := range e.Extra {
		if strings.HasPrefix(k, "@") && !isTypeOrIDAnnotation(k) {
			annotations = append(annotations, k)
		}
	}
	slices.Sort(annotations)
	for _, k := range annotations {
		v := e.Extra[k]
		if !json.Valid(v) {
			return nil, fmt.Errorf("outlook: extension annotation %q is not valid JSON", k)
		}
		writeMember(&b, k, v)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		if reservedField(k) {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := e.Fields[k]
		if !json.Valid(v) {
			return nil, fmt.Errorf("outlook: extension property %q is not valid JSON", k)
		}
		writeMember(&b, k, v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeMember(b *bytes.Buffer, k string, v any) {
	if b.Len() > 1 {
		b.WriteByte(',')
	}
	kb, _ := json.Marshal(k)
	b.Write(kb)
	b.WriteByte(':')
	switch x := v.(type) {
	case json.RawMessage:
		b.Write(x)
	default:
		vb, _ := json.Marshal(x)
		b.Write(vb)
	}
}

// UnmarshalJSON reads an extension; every property that is not Id,
// ExtensionName or a top-level annotation goes to Fields, and the
// annotations other than "@odata.type" and "@odata.id" go to Extra.
func (e *Extension) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	if m == nil {
		return errors.New("outlook: extension is not a JSON object")
	}
	*e = Extension{}
	str := func(k string) (string, error) {
		raw, ok := m[k]
		if !ok || string(raw) == "null" {
			return "", nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("outlook: extension %s: %w", k, err)
		}
		return s, nil
	}
	var err error
	if e.ODataType, err = str("@odata.type"); err != nil {
		return err
	}
	if e.ODataID, err = str("@odata.id"); err != nil {
		return err
	}
	if e.ID, err = str("Id"); err != nil {
		return err
	}
	if e.ExtensionName, err = str("ExtensionName"); err != nil {
		return err
	}
	for k, v := range m {
		if strings.HasPrefix(k, "@") && !isTypeOrIDAnnotation(k) {
			if e.Extra == nil {
				e.Extra = map[string]json.RawMessage{}
			}
			e.Extra[k] = v
			continue
		}
		if reservedField(k) {
			continue
		}
		if e.Fields == nil {
			e.Fields = map[string]json.RawMessage{}
		}
		e.Fields[k] = v
	}
	return nil
}

// Name returns ExtensionName, or the name part of ID when only the id is
// known.
func (e *Extension) Name() string {
	if e.ExtensionName != "" {
		return e.ExtensionName
	}
	return strings.TrimPrefix(e.ID, extensionIDPrefix)
}

// DecodeExtensions decodes the Extensions of an item (Message.Extensions,
// Event.Extensions, Contact.Extensions).
func DecodeExtensions(raw []json.RawMessage) ([]*Extension, error) {
	out := make([]*Extension, 0, len(raw))
	for i, r := range raw {
		e := new(Extension)
		if err := json.Unmarshal(r, e); err != nil {
			return nil, fmt.Errorf("outlook: extension %d: %w", i, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// FindExtension returns the extension named name (ExtensionName or Id,
// compared case-insensitively) among an item's Extensions.
func FindExtension(raw []json.RawMessage, name string) (*Extension, bool, error) {
	exts, err := DecodeExtensions(raw)
	if err != nil {
		return nil, false, err
	}
	for _, e := range exts {
		if strings.EqualFold(e.Name(), name) || strings.EqualFold(e.ID, name) || strings.EqualFold(ExtensionID(e.Name()), ExtensionID(name)) {
			return e, true, nil
		}
	}
	return nil, false, nil
}

// RawExtensions encodes extensions for the Extensions field of an item
// created with them (POST {root}/messages with "Extensions": […]).
func RawExtensions(exts ...*Extension) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, 0, len(exts))
	for _, e := range exts {
		if e == nil {
			return nil, errors.New("outlook: nil extension")
		}
		if err := checkExtensionName(e.ExtensionName); err != nil {
			return nil, err
		}
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// ExpandExtension returns the $expand clause that returns an item with
// the extension named name: Extensions($filter=Id eq
// 'Microsoft.OutlookServices.OpenTypeExtension.{name}').
func ExpandExtension(name string) string {
	return "Extensions($filter=Id eq " + office365.QuoteString(ExtensionID(name)) + ")"
}

// HasExtensionFilter returns the $filter that selects items having the
// extension named name: Extensions/any(f:f/Id eq '…').
func HasExtensionFilter(name string) string {
	return "Extensions/any(f:f/Id eq " + office365.QuoteString(ExtensionID(name)) + ")"
}

// Extensions returns the open-extension API of a message, event or
// contact.
func (mb *Mailbox) Extensions(item ItemRef) *ExtensionsService {
	return &ExtensionsService{mb: mb, item: item}
}

// ExtensionsService manages the open extensions of one message, event or
// contact ({root}/{collection}/{id}/extensions).
type ExtensionsService struct {
	mb   *Mailbox
	item ItemRef
}

func (s *ExtensionsService) check() error {
	if err := s.item.check(); err != nil {
		return err
	}
	if !s.item.supportsExtensions() {
		return fmt.Errorf("outlook: open extensions exist on messages, events and contacts, not %s", s.item.collection)
	}
	return nil
}

func (s *ExtensionsService) path(name string) string {
	return s.item.String() + "/" + keyed("extensions", name)
}

// Create adds an extension to the item: POST
// {root}/{collection}/{id}/extensions with {"@odata.type":
// "Microsoft.OutlookServices.OpenTypeExtension", "ExtensionName": …,
// custom properties} (201, the extension with its Id). Not retried once
// sent.
func (s *ExtensionsService) Create(ctx context.Context, ext *Extension) (*Extension, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if ext == nil {
		return nil, errors.New("outlook: nil extension")
	}
	if err := checkExtensionName(ext.ExtensionName); err != nil {
		return nil, err
	}
	body := *ext
	body.ID, body.ODataID, body.ODataType = "", "", ""
	return s.do(ctx, &call{method: http.MethodPost, rel: s.item.String() + "/extensions", json: body, kind: kindWrite})
}

// Get reads an extension by name (ExtensionName or full Id): GET
// {root}/{collection}/{id}/extensions('{name}').
func (s *ExtensionsService) Get(ctx context.Context, name string) (*Extension, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := checkExtensionName(name); err != nil {
		return nil, err
	}
	return s.do(ctx, &call{method: http.MethodGet, rel: s.path(name), kind: kindRead})
}

// Update merges custom properties into an extension: PATCH
// {root}/{collection}/{id}/extensions('{name}') with the properties of
// fields (a struct or map) — properties not named keep their values (200,
// the updated extension).
func (s *ExtensionsService) Update(ctx context.Context, name string, fields any) (*Extension, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := checkExtensionName(name); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, errors.New("outlook: Extensions.Update: nil fields")
	}
	m, err := toFieldMap(fields)
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, errors.New("outlook: Extensions.Update: no properties")
	}
	return s.do(ctx, &call{method: http.MethodPatch, rel: s.path(name), json: Extension{Fields: m}, idempotent: true, kind: kindWrite})
}

// do sends c, whose bodies are an open extension, and decodes the answer.
func (s *ExtensionsService) do(ctx context.Context, c *call) (*Extension, error) {
	c.shape = graphwire.Extension
	out := new(Extension)
	if _, err := s.mb.doJSON(ctx, c, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes an extension: DELETE
// {root}/{collection}/{id}/extensions('{name}') (204).
func (s *ExtensionsService) Delete(ctx context.Context, name string) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := checkExtensionName(name); err != nil {
		return err
	}
	return deleteEntity(ctx, s.mb, s.path(name))
}
