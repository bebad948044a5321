package office365test

import (
	"net/http"
	"strings"
	"unicode"
)

// Open extensions of the Extensibility fake.

const (
	odataOpenTypeExtension = "#Microsoft.OutlookServices.OpenTypeExtension"
	extensionIDPrefix      = "Microsoft.OutlookServices.OpenTypeExtension."
)

// normalizeExtension validates an extension body and returns it as stored:
// "@odata.type", "Id", "ExtensionName" and the custom properties.
func normalizeExtension(v any) (Entity, *Reply) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalidValue("Extensions")
	}
	if t, ok := m["@odata.type"].(string); ok && !strings.EqualFold(strings.TrimPrefix(t, "#"), strings.TrimPrefix(odataOpenTypeExtension, "#")) {
		return nil, ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "Only Microsoft.OutlookServices.OpenTypeExtension extensions are supported.")
	}
	name, _ := m["ExtensionName"].(string)
	if rep := checkExtensionName(name); rep != nil {
		return nil, rep
	}
	out := Entity{"@odata.type": odataOpenTypeExtension, "Id": extensionIDPrefix + name, "ExtensionName": name}
	for k, val := range m {
		switch {
		case k == "@odata.type", k == "ExtensionName", k == "Id":
			continue
		case strings.HasPrefix(k, "@"):
			continue
		}
		if rep := checkCustomValue(k, val); rep != nil {
			return nil, rep
		}
		out[k] = deepCopy(val)
	}
	return out, nil
}

func checkExtensionName(name string) *Reply {
	switch {
	case name == "":
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "ExtensionName is required.")
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' || r == '\'' }):
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "ExtensionName '"+name+"' is not valid.")
	case strings.HasPrefix(strings.ToLower(name), "microsoft."), strings.HasPrefix(strings.ToLower(name), "com.microsoft."):
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "ExtensionName must not use a Microsoft domain.")
	}
	return nil
}

// checkCustomValue accepts primitives and arrays of primitives (and the
// string type annotations "Prop@odata.type").
func checkCustomValue(k string, v any) *Reply {
	prim := func(x any) bool {
		switch x.(type) {
		case nil, string, float64, bool:
			return true
		}
		return false
	}
	if prim(v) {
		return nil
	}
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if !prim(e) {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "Open extension property '"+k+"' must hold primitives.")
			}
		}
		return nil
	}
	return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "Open extension property '"+k+"' must be a primitive or an array of primitives.")
}

// normalizeExtensions validates the Extensions of an item being created.
func normalizeExtensions(v any) ([]any, *Reply) {
	list, ok := v.([]any)
	if !ok {
		return nil, invalidValue("Extensions")
	}
	out := make([]any, 0, len(list))
	seen := map[string]bool{}
	for _, e := range list {
		ext, rep := normalizeExtension(e)
		if rep != nil {
			return nil, rep
		}
		key := strings.ToLower(ext["ExtensionName"].(string))
		if seen[key] {
			return nil, ErrorReply(http.StatusConflict, "ErrorItemAlreadyExists", "The extension '"+ext["ExtensionName"].(string)+"' is given twice.")
		}
		seen[key] = true
		out = append(out, ext)
	}
	return out, nil
}

// findExtension returns the index of the extension named name (its
// ExtensionName or full Id, case-insensitively) in list, or -1.
func findExtension(list []any, name string) int {
	for i, e := range list {
		m, _ := e.(map[string]any)
		n, _ := m["ExtensionName"].(string)
		id, _ := m["Id"].(string)
		if strings.EqualFold(n, name) || strings.EqualFold(id, name) {
			return i
		}
	}
	return -1
}

// registerExtensionRoutes adds {item}/extensions for messages, events and
// contacts.
func (x *Extensibility) registerExtensionRoutes(m *Mailbox) {
	for coll, typ := range map[string]EntityType{"messages": EntityMessage, "events": EntityEvent, "contacts": EntityContact} {
		ctxName := strings.ToUpper(coll[:1]) + coll[1:]
		withItem := func(h recordHandler) MailboxHandler { return withRecord("id", ofType(typ), h) }
		render := func(rq *MailboxRequest, r *Record, ext any, entity bool) Entity {
			doc := deepCopy(ext).(map[string]any)
			id, _ := doc["Id"].(string)
			doc["@odata.id"] = rq.EntityURL(ctxName, r.ID) + "/Extensions('" + id + "')"
			if entity {
				doc["@odata.context"] = rq.Context(ctxName + "('" + r.ID + "')/Extensions/$entity")
			}
			return doc
		}
		m.Handle(http.MethodGet, coll+"/{id}/extensions", withItem(func(rq *MailboxRequest, r *Record) *Reply {
			list, _ := r.Doc[keyExtensions].([]any)
			out := []any{}
			for _, e := range list {
				out = append(out, render(rq, r, e, false))
			}
			return JSONReply(http.StatusOK, Entity{"@odata.context": rq.Context(ctxName + "('" + r.ID + "')/Extensions"), "value": out})
		}))
		m.Handle(http.MethodPost, coll+"/{id}/extensions", withItem(func(rq *MailboxRequest, r *Record) *Reply {
			body, rep := decodeObject(rq)
			if rep != nil {
				return rep
			}
			ext, rep := normalizeExtension(body)
			if rep != nil {
				return rep
			}
			list, _ := r.Doc[keyExtensions].([]any)
			if findExtension(list, ext["ExtensionName"].(string)) >= 0 {
				return ErrorReply(http.StatusConflict, "ErrorItemAlreadyExists", "An extension named '"+ext["ExtensionName"].(string)+"' already exists on the item.")
			}
			prev := deepCopy(r.Doc).(Entity)
			r.Doc[keyExtensions] = append(deepCopy(list).([]any), ext)
			rq.User.touchLocked(r, prev)
			return JSONReply(http.StatusCreated, render(rq, r, ext, true))
		}))
		withExt := func(h func(rq *MailboxRequest, r *Record, list []any, i int) *Reply) MailboxHandler {
			return withItem(func(rq *MailboxRequest, r *Record) *Reply {
				list, _ := r.Doc[keyExtensions].([]any)
				i := findExtension(list, rq.Param("name"))
				if i < 0 {
					return ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The extension '"+rq.Param("name")+"' was not found on the item.")
				}
				return h(rq, r, list, i)
			})
		}
		m.Handle(http.MethodGet, coll+"/{id}/extensions/{name}", withExt(func(rq *MailboxRequest, r *Record, list []any, i int) *Reply {
			return JSONReply(http.StatusOK, render(rq, r, list[i], true))
		}))
		m.Handle(http.MethodPatch, coll+"/{id}/extensions/{name}", withExt(func(rq *MailboxRequest, r *Record, list []any, i int) *Reply {
			body, rep := decodeObject(rq)
			if rep != nil {
				return rep
			}
			ext := deepCopy(list[i]).(map[string]any)
			for k, v := range body {
				switch {
				case k == "@odata.type":
					continue
				case k == "Id", k == "ExtensionName":
					if s, _ := v.(string); !strings.EqualFold(s, ext[k].(string)) {
						return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The property '"+k+"' of an extension cannot be changed.")
					}
					continue
				case strings.HasPrefix(k, "@"):
					continue
				}
				if rep := checkCustomValue(k, v); rep != nil {
					return rep
				}
				ext[k] = v
			}
			prev := deepCopy(r.Doc).(Entity)
			nl := deepCopy(list).([]any)
			nl[i] = ext
			r.Doc[keyExtensions] = nl
			rq.User.touchLocked(r, prev)
			return JSONReply(http.StatusOK, render(rq, r, ext, true))
		}))
		m.Handle(http.MethodDelete, coll+"/{id}/extensions/{name}", withExt(func(rq *MailboxRequest, r *Record, list []any, i int) *Reply {
			prev := deepCopy(r.Doc).(Entity)
			nl := append(deepCopy(list[:i]).([]any), deepCopy(list[i+1:]).([]any)...)
			r.Doc[keyExtensions] = nl
			rq.User.touchLocked(r, prev)
			return EmptyReply(http.StatusNoContent)
		}))
	}
}
