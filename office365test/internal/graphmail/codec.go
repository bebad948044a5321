package graphmail

import (
	"strings"
)

// toGraph rewrites a store document (decoded JSON) in Graph's spelling, in
// place where it can, and returns it.
func (v *vocabulary) toGraph(x any) any {
	switch t := x.(type) {
	case map[string]any:
		return v.mapToGraph(t)
	case []any:
		for i, e := range t {
			t[i] = v.toGraph(e)
		}
		return t
	}
	return x
}

func isOpenExtension(m map[string]any) bool {
	t, _ := m["@odata.type"].(string)
	return strings.HasSuffix(strings.ToLower(t), "opentypeextension")
}

func (v *vocabulary) mapToGraph(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	ext := isOpenExtension(m)
	for k, val := range m {
		switch {
		case k == "@odata.type":
			if s, ok := val.(string); ok {
				val = v.typeToGraph(s)
			}
			out[k] = val
			continue
		case strings.HasPrefix(k, "@"):
			out[k] = val
			continue
		case v.drop[k]:
			continue
		}
		if ext && k != "Id" && k != "ExtensionName" {
			out[k] = val // an extension's own properties are the caller's names
			continue
		}
		name, ok := v.renameOut[k]
		if !ok {
			name, ok = baseVocabulary.renameOut[k]
		}
		if !ok {
			name = lowerFirst(k)
		}
		switch s := val.(type) {
		case string:
			switch {
			case enumProperties[k]:
				val = enumValueToGraph(k, s)
			case k == "Id" && ext:
				val = extIDToGraph(s)
			}
		case []any:
			if enumProperties[k] {
				for i, e := range s {
					if es, ok := e.(string); ok {
						s[i] = enumValueToGraph(k, es)
					}
				}
				val = s
			} else {
				val = v.toGraph(s)
			}
		default:
			val = v.toGraph(val)
		}
		out[name] = val
	}
	if _, photo := m["@odata.mediaContentType"]; photo {
		if id, ok := out["id"].(string); ok {
			out["id"] = strings.ToLower(id) // "240x240"
		}
	}
	if ck, ok := m["ChangeKey"].(string); ok && ck != "" {
		if _, has := m["@odata.etag"]; !has {
			out["@odata.etag"] = `W/"` + ck + `"`
		}
	}
	return out
}

// fromGraph rewrites a Graph request document in the store's spelling.
func (v *vocabulary) fromGraph(x any) any { return v.fromGraphIn(x, "") }

// fromGraphIn converts x, the value of the property parent (store name).
func (v *vocabulary) fromGraphIn(x any, parent string) any {
	switch t := x.(type) {
	case map[string]any:
		return v.mapFromGraph(t, parent)
	case []any:
		for i, e := range t {
			t[i] = v.fromGraphIn(e, parent)
		}
		return t
	}
	return x
}

func (v *vocabulary) mapFromGraph(m map[string]any, parent string) map[string]any {
	out := make(map[string]any, len(m))
	ext := isOpenExtension(m) || parent == "Extensions"
	extProp := strings.HasSuffix(parent, "ValueExtendedProperties")
	for k, val := range m {
		switch {
		case k == "@odata.type":
			if s, ok := val.(string); ok {
				val = v.typeFromGraph(s)
			}
			out[k] = val
			continue
		case strings.HasPrefix(k, "@"):
			out[k] = val
			continue
		}
		if ext && !strings.EqualFold(k, "id") && !strings.EqualFold(k, "extensionName") {
			out[k] = val
			continue
		}
		var name string
		switch {
		case extProp && strings.EqualFold(k, "id"):
			name = "PropertyId"
		case v.renameIn[strings.ToLower(k)] != "" && !strings.EqualFold(k, "id"):
			name = v.renameIn[strings.ToLower(k)]
		case baseVocabulary.renameIn[strings.ToLower(k)] != "" && !strings.EqualFold(k, "id"):
			name = baseVocabulary.renameIn[strings.ToLower(k)]
		default:
			name = upperFirst(k)
		}
		switch s := val.(type) {
		case string:
			switch {
			case enumProperties[name]:
				val = enumValueFromGraph(name, s)
			case name == "Id" && ext:
				val = extIDToStore(s)
			}
		case []any:
			if enumProperties[name] {
				for i, e := range s {
					if es, ok := e.(string); ok {
						s[i] = enumValueFromGraph(name, es)
					}
				}
				val = s
			} else {
				val = v.fromGraphIn(s, name)
			}
		default:
			val = v.fromGraphIn(val, name)
		}
		out[name] = val
	}
	return out
}

// Query expressions ($select, $filter, $orderby, $expand) name properties;
// the store compares names case-insensitively, so only renamed ones change.

// queryFromGraph rewrites the identifiers of a query option's expression.
func (v *vocabulary) queryFromGraph(option, expr string) string {
	var b strings.Builder
	extExpand := 0 // depth inside singleValueExtendedProperties( … )
	depth := 0
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '\'':
			j := i + 1
			for j < len(expr) {
				if expr[j] == '\'' {
					if j+1 < len(expr) && expr[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j < len(expr) {
				j++
			}
			b.WriteString(extIDToStore(expr[i:j]))
			i = j
		case isIdentStart(c):
			j := i
			for j < len(expr) && isIdentPart(expr[j]) {
				j++
			}
			word := expr[i:j]
			prevSlash := i > 0 && expr[i-1] == '/'
			switch {
			case strings.EqualFold(word, "id") && (extExpand > 0 && depth >= extExpand || prevSlash && strings.Contains(strings.ToLower(expr), "extendedproperties")):
				word = "PropertyId"
			case v.renameIn[strings.ToLower(word)] != "" && !strings.EqualFold(word, "id"):
				word = v.renameIn[strings.ToLower(word)]
			case baseVocabulary.renameIn[strings.ToLower(word)] != "" && !strings.EqualFold(word, "id"):
				word = baseVocabulary.renameIn[strings.ToLower(word)]
			}
			if option == "$expand" && strings.HasSuffix(strings.ToLower(expr[i:j]), "valueextendedproperties") && j < len(expr) && expr[j] == '(' {
				extExpand = depth + 1
			}
			b.WriteString(word)
			i = j
		case c == '(':
			depth++
			b.WriteByte(c)
			i++
		case c == ')':
			if depth == extExpand {
				extExpand = 0
			}
			depth--
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || c >= '0' && c <= '9' }
