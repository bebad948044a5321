package office365test

import (
	"slices"
	"strings"
)

// OrderClause is one $orderby clause: a property path and a direction.
type OrderClause struct {
	Path []string
	Desc bool
}

// ParseOrderBy parses an OData $orderby value ("ReceivedDateTime desc,
// Subject"). check, when non-nil, validates each path.
func ParseOrderBy(s string, check func(path []string) error) ([]OrderClause, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []OrderClause
	for _, part := range strings.Split(s, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 || len(fields) > 2 {
			return nil, &FilterError{Code: "ErrorInvalidUrlQuery", Message: "The query parameter 'OrderBy' is invalid."}
		}
		c := OrderClause{Path: strings.Split(fields[0], "/")}
		if len(fields) == 2 {
			switch strings.ToLower(fields[1]) {
			case "asc":
			case "desc":
				c.Desc = true
			default:
				return nil, &FilterError{Code: "ErrorInvalidUrlQuery", Message: "The query parameter 'OrderBy' is invalid."}
			}
		}
		if check != nil {
			if err := check(c.Path); err != nil {
				return nil, &FilterError{Code: "ErrorInvalidProperty", Message: err.Error()}
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// SortDocuments sorts docs by the clauses (stable: equal documents keep
// their order). Values compare with CompareValues; incomparable values keep
// their order.
func SortDocuments(docs []map[string]any, clauses []OrderClause) {
	if len(clauses) == 0 {
		return
	}
	slices.SortStableFunc(docs, func(a, b map[string]any) int {
		for _, c := range clauses {
			va, vb := PathValue(a, c.Path), PathValue(b, c.Path)
			r, ok := CompareValues(va, vb)
			if !ok || r == 0 {
				continue
			}
			if c.Desc {
				return -r
			}
			return r
		}
		return 0
	})
}

// PathValue follows a property path (case-insensitive keys) through nested
// objects.
func PathValue(doc map[string]any, path []string) any {
	var cur any = doc
	for _, p := range path {
		cur = Property(cur, p)
	}
	return cur
}

// SelectProperties returns a shallow copy of doc with only the named
// top-level properties (matched case-insensitively), the properties in
// always (e.g. "Id") and every OData annotation ("@odata.*"). An empty
// selection returns doc itself.
func SelectProperties(doc map[string]any, sel []string, always ...string) map[string]any {
	if len(sel) == 0 {
		return doc
	}
	want := map[string]bool{}
	for _, s := range append(sel, always...) {
		want[strings.ToLower(strings.TrimSpace(s))] = true
	}
	out := make(map[string]any, len(want)+2)
	for k, v := range doc {
		if strings.HasPrefix(k, "@") || want[strings.ToLower(k)] {
			out[k] = v
		}
	}
	return out
}

// SplitList splits a comma-separated query option value ($select,
// $expand), trimming spaces and dropping empty entries. Commas inside
// parentheses (an $expand with options) do not split.
func SplitList(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		if p := strings.TrimSpace(s[start:i]); p != "" {
			out = append(out, p)
		}
		start = i + 1
	}
	return out
}
