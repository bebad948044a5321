package graphmail

import (
	"encoding/json"
	"regexp"
	"strings"
)

// toGraph returns a store document (JSON-shaped Go values) in Graph's
// spelling. It never modifies x, which may belong to the store.
func (v *vocabulary) toGraph(x any) any {
	switch t := x.(type) {
	case nil, string, bool, float64, int, int64, uint64, json.Number:
		return x
	case map[string]any:
		return v.mapToGraph(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = v.toGraph(e)
		}
		return out
	case []map[string]any, []string:
		return v.toGraph(plainList(t))
	}
	// Other Go values: as JSON would see them.
	b, err := json.Marshal(x)
	if err != nil {
		return x
	}
	var y any
	if json.Unmarshal(b, &y) != nil {
		return x
	}
	return v.toGraph(y)
}

func isOpenExtension(m map[string]any) bool {
	t, _ := m["@odata.type"].(string)
	return strings.HasSuffix(strings.ToLower(t), "opentypeextension")
}

func (v *vocabulary) mapToGraph(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	ext := isOpenExtension(m)
	var typeDrop map[string]bool
	if t, ok := m["@odata.type"].(string); ok {
		typeDrop = typeDrops[strings.TrimPrefix(strings.TrimPrefix(v.typeToGraph(t), "#"), graphNS)]
	}
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
		case v.drop[k], typeDrop[k]:
			continue
		}
		if ext && k != "Id" && k != "ExtensionName" {
			out[k] = val // an extension's own properties are the caller's names
			continue
		}
		val = plainList(val)
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
				list := make([]any, len(s))
				for i, e := range s {
					list[i] = e
					if es, ok := e.(string); ok {
						list[i] = enumValueToGraph(k, es)
					}
				}
				val = list
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

// Query expressions ($select, $filter, $orderby, $expand) name properties
// in Graph's spelling; queryFromGraph writes them in the store's (renamed
// ones by the table, the rest PascalCase), leaving keywords, functions,
// lambda variables, option names and literals alone.

// queryKeywords are the lower-case words of OData expressions.
var queryKeywords = map[string]bool{
	"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true, "and": true, "or": true, "not": true,
	"has": true, "in": true, "add": true, "sub": true, "mul": true, "div": true, "mod": true,
	"true": true, "false": true, "null": true, "asc": true, "desc": true, "any": true, "all": true,
}

var reLambda = regexp.MustCompile(`(?i)\b(?:any|all)\(\s*([A-Za-z_]\w*)\s*:`)

// queryFromGraph rewrites the identifiers of a query option's expression.
func (v *vocabulary) queryFromGraph(option, expr string) string {
	vars := map[string]bool{}
	for _, m := range reLambda.FindAllStringSubmatch(expr, -1) {
		vars[m[1]] = true
	}
	lowerExpr := strings.ToLower(expr)
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
			prev := byte(0)
			if i > 0 {
				prev = expr[i-1]
			}
			call := j < len(expr) && expr[j] == '('
			lw := strings.ToLower(word)
			switch {
			case prev == '$' || prev >= '0' && prev <= '9' || vars[word] || queryKeywords[lw] && prev != '/':
				// an option name, part of a literal, a lambda variable or a keyword
			case call && (option == "$filter" || option == "$orderby"):
				// a function
			case lw == "id" && (extExpand > 0 && depth >= extExpand || prev == '/' && strings.Contains(lowerExpr, "extendedproperties")):
				word = "PropertyId"
			case v.renameIn[lw] != "" && lw != "id":
				word = v.renameIn[lw]
			case baseVocabulary.renameIn[lw] != "" && lw != "id":
				word = baseVocabulary.renameIn[lw]
			default:
				word = upperFirst(word)
			}
			if option == "$expand" && strings.HasSuffix(lw, "valueextendedproperties") && call {
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

// plainList returns typed lists as []any (a copy), other values as they are.
func plainList(x any) any {
	switch t := x.(type) {
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	case []map[string]any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	}
	return x
}
