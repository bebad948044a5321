package graphwire

import (
	"net/url"
	"strings"

	"github.com/office365-go/office365"
)

// Path translates a path relative to a mailbox (or to the service root),
// with or without a query string: known segment names take Graph's
// spelling ("MailFolders/inbox/MessageRules" →
// "mailFolders/inbox/messageRules"), key forms keep their key
// ("messages('id')" → "messages('id')"), function parameters are
// camelCased and ids are left alone. Open extension ids inside keys are
// translated.
func Path(rel string) string {
	p, q, hasQuery := strings.Cut(rel, "?")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = segment(s)
	}
	p = strings.Join(segs, "/")
	if hasQuery {
		return p + "?" + Query(q)
	}
	return p
}

// segment translates one path segment: "Name", "Name('key')" or
// "Name(Param='v',…)".
func segment(s string) string {
	name, args, hasArgs := strings.Cut(s, "(")
	g, ok := segments[strings.ToLower(name)]
	if !ok {
		// An id (or a well-known folder name), or an unknown segment: left
		// as it is.
		return s
	}
	if !hasArgs {
		return g
	}
	args = strings.TrimSuffix(args, ")")
	if strings.HasPrefix(args, "'") {
		// A key: only an open extension id inside it changes.
		return g + "(" + replaceExtIDs(args) + ")"
	}
	// Function parameters: Name=value pairs.
	parts := strings.Split(args, ",")
	for i, kv := range parts {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			if p, ok := functionParams[strings.ToLower(k)]; ok {
				k = p
			} else {
				k = lowerFirst(k)
			}
			parts[i] = k + "=" + nsToGraph(v)
		}
	}
	return strings.TrimSuffix(g, "()") + "(" + strings.Join(parts, ",") + ")"
}

// functionParams are the function parameters Graph's documentation spells
// in PascalCase, keyed by their lower-cased name; the others are
// camelCased.
var functionParams = map[string]string{"timezonestandard": "TimeZoneStandard"}

// nsToGraph translates the type of a qualified enum literal of a function
// parameter: Microsoft.OutlookServices.TimeZoneStandard'Iana' →
// microsoft.graph.timeZoneStandard'Iana' (the member as Graph's
// documentation writes it).
func nsToGraph(v string) string {
	typ, lit, ok := strings.Cut(v, "'")
	if !ok || !strings.HasPrefix(typ, outlookNS) {
		return v
	}
	return TypeToGraph(typ) + "'" + lit
}

func replaceExtIDs(s string) string {
	return strings.ReplaceAll(s, outlookExtID, graphExtID)
}

// Query translates an encoded query string: the property names inside
// $select, $filter, $orderby and $expand are camelCased (with the renames
// of the tables, and open extension ids in literals translated), and the
// names of function parameters (StartDateTime → startDateTime) too. Other
// options ($search, $top, $skiptoken …) are copied unchanged. The order of
// the options is kept.
func Query(q string) string {
	if q == "" {
		return q
	}
	opts := strings.Split(q, "&")
	for i, o := range opts {
		name, val, ok := strings.Cut(o, "=")
		switch strings.ToLower(name) {
		case "$select", "$filter", "$orderby", "$expand":
			dec, err := url.PathUnescape(val)
			if err != nil {
				continue // not ours to fix: sent as given
			}
			opts[i] = name + "=" + office365.EscapeQueryValue(Expression(dec))
		default:
			if ok && !strings.HasPrefix(name, "$") {
				opts[i] = lowerFirst(name) + "=" + val
			}
		}
	}
	return strings.Join(opts, "&")
}

// Expression camelCases the property names of an OData expression
// ($filter, $select, $orderby or $expand): identifiers that start with a
// capital letter outside string literals, "PropertyId" becoming "id".
// Literals keep their contents, except open extension ids.
func Expression(e string) string {
	var b strings.Builder
	b.Grow(len(e))
	for i := 0; i < len(e); {
		c := e[i]
		switch {
		case c == '\'':
			j := i + 1
			for j < len(e) {
				if e[j] == '\'' {
					if j+1 < len(e) && e[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(e))
			b.WriteString(replaceExtIDs(e[i:end]))
			i = end
		case isIdentStart(c):
			j := i
			for j < len(e) && isIdentPart(e[j]) {
				j++
			}
			word := e[i:j]
			if c >= 'A' && c <= 'Z' && (i == 0 || e[i-1] != '.') {
				if strings.HasPrefix(e[j:], ".") && strings.HasPrefix(e[i:], outlookNS) {
					// A qualified type name (a cast): translate it whole.
					k := j
					for k < len(e) && (isIdentPart(e[k]) || e[k] == '.') {
						k++
					}
					b.WriteString(TypeToGraph(e[i:k]))
					i = k
					continue
				}
				word = PropertyToGraph(word)
			}
			b.WriteString(word)
			i = j
		case c >= '0' && c <= '9':
			// A number, date or time literal (2016-01-01T00:00:00Z).
			j := i
			for j < len(e) && (isIdentPart(e[j]) || e[j] == '-' || e[j] == ':' || e[j] == '.' || e[j] == '+') {
				j++
			}
			b.WriteString(e[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || c == '@'
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}
