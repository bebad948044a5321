package graphhealth

import (
	"fmt"
	"strings"
	"time"

	"github.com/office365-go/office365/office365test/internal/odataq"
)

// The fake understands the $filter expressions clients of
// /admin/serviceAnnouncement use: comparisons (eq ne gt ge lt le) joined by
// "and", on string, enum, Boolean and DateTimeOffset properties, and the
// lambda services/any(s:s eq 'Exchange Online') on Message Center posts.
// Anything else is answered 400 BadRequest, as Graph does for a filter it
// cannot apply.

// kind is the type of a filterable property.
type kind int

const (
	kString kind = iota
	kBool
	kTime
	kCollection // a collection of strings, only inside any()
)

// cmp is one comparison. For a lambda, field names the collection and the
// comparison applies to its elements (any).
type cmp struct {
	field  string
	op     string
	str    string
	b      bool
	t      time.Time
	lambda bool
}

// record is what a filter is evaluated against: property values by lower
// case name (string, bool, time.Time, []string, or nil for null).
type record map[string]any

func parseFilter(expr string, props map[string]kind) ([]cmp, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty $filter")
	}
	var out []cmp
	for i := 0; ; {
		c, n, err := parseCmp(toks[i:], props)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		i += n
		if i == len(toks) {
			return out, nil
		}
		if toks[i].kind != tIdent || !strings.EqualFold(toks[i].text, "and") {
			return nil, fmt.Errorf("syntax error at position %d: expected 'and' (the fake supports comparisons joined by 'and')", toks[i].pos)
		}
		i++
		if i == len(toks) {
			return nil, fmt.Errorf("syntax error: the filter ends after 'and'")
		}
	}
}

func parseCmp(toks []tok, props map[string]kind) (cmp, int, error) {
	if len(toks) == 0 || toks[0].kind != tIdent {
		return cmp{}, 0, fmt.Errorf("expected a property name")
	}
	name := toks[0].text
	// services/any(s:s eq 'Exchange Online')
	if coll, fn, ok := strings.Cut(name, "/"); ok {
		k, known := lookup(props, coll)
		if !known || k != kCollection || !strings.EqualFold(fn, "any") {
			return cmp{}, 0, fmt.Errorf("could not find a property named '%s' on this type", name)
		}
		// any ( v : v eq 'x' )
		if len(toks) < 8 || toks[1].text != "(" || toks[2].kind != tIdent || toks[3].text != ":" ||
			toks[4].kind != tIdent || toks[4].text != toks[2].text || toks[5].kind != tIdent ||
			toks[6].kind != tString || toks[7].text != ")" {
			return cmp{}, 0, fmt.Errorf("malformed lambda on %s (want %s/any(s:s eq 'value'))", coll, coll)
		}
		op := strings.ToLower(toks[5].text)
		if op != "eq" && op != "ne" {
			return cmp{}, 0, fmt.Errorf("operator %q is not supported inside any()", op)
		}
		return cmp{field: strings.ToLower(coll), op: op, str: toks[6].value, lambda: true}, 8, nil
	}
	k, known := lookup(props, name)
	if !known || k == kCollection {
		return cmp{}, 0, fmt.Errorf("could not find a property named '%s' on type 'microsoft.graph.serviceAnnouncementBase'", name)
	}
	if len(toks) < 3 || toks[1].kind != tIdent {
		return cmp{}, 0, fmt.Errorf("incomplete comparison on %s (want <property> <operator> <value>)", name)
	}
	op := strings.ToLower(toks[1].text)
	switch op {
	case "eq", "ne", "gt", "ge", "lt", "le":
	default:
		return cmp{}, 0, fmt.Errorf("unknown operator %q", toks[1].text)
	}
	c := cmp{field: strings.ToLower(name), op: op}
	v := toks[2]
	switch k {
	case kString:
		if v.kind != tString {
			return cmp{}, 0, fmt.Errorf("%s must be compared with a quoted string, as in %s eq 'value'", name, name)
		}
		c.str = v.value
	case kBool:
		if v.kind != tIdent || (v.text != "true" && v.text != "false") || (op != "eq" && op != "ne") {
			return cmp{}, 0, fmt.Errorf("%s must be compared with true or false using eq or ne", name)
		}
		c.b = v.text == "true"
	case kTime:
		if v.kind != tLiteral {
			return cmp{}, 0, fmt.Errorf("%s must be compared with an unquoted DateTimeOffset, as in %s ge 2021-01-01T00:00:00Z", name, name)
		}
		t, err := time.Parse(time.RFC3339Nano, v.text)
		if err != nil {
			return cmp{}, 0, fmt.Errorf("invalid DateTimeOffset %q (a '+' must be sent as %%2B)", v.text)
		}
		c.t = t
	}
	return c, 3, nil
}

func lookup(props map[string]kind, name string) (kind, bool) {
	for p, k := range props {
		if strings.EqualFold(p, name) {
			return k, true
		}
	}
	return 0, false
}

func match(cmps []cmp, rec record) bool {
	for _, c := range cmps {
		if !matchOne(c, rec[c.field]) {
			return false
		}
	}
	return true
}

func matchOne(c cmp, v any) bool {
	if c.lambda {
		list, _ := v.([]string)
		for _, s := range list {
			if strings.EqualFold(s, c.str) == (c.op == "eq") {
				return true
			}
		}
		return false
	}
	var d int
	switch v := v.(type) {
	case string:
		d = strings.Compare(strings.ToLower(v), strings.ToLower(c.str))
	case bool:
		d = 1
		if v == c.b {
			d = 0
		}
	case time.Time:
		d = v.Compare(c.t)
	default: // null: only ne holds
		return c.op == "ne"
	}
	return odataq.Holds(c.op, d)
}

type tokKind int

const (
	tIdent tokKind = iota
	tString
	tLiteral
	tPunct
)

type tok struct {
	kind  tokKind
	text  string
	value string
	pos   int
}

func lex(s string) ([]tok, error) {
	var toks []tok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '(' || c == ')' || c == ':':
			toks = append(toks, tok{kind: tPunct, text: string(c), pos: i})
			i++
		case c == '\'':
			v, next, err := odataq.QuotedString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, tok{kind: tString, value: v, pos: i})
			i = next
		case '0' <= c && c <= '9':
			j := odataq.LiteralEnd(s, i)
			toks = append(toks, tok{kind: tLiteral, text: s[i:j], pos: i})
			i = j
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '/' || 'a' <= s[j] && s[j] <= 'z' || 'A' <= s[j] && s[j] <= 'Z' || '0' <= s[j] && s[j] <= '9') {
				j++
			}
			toks = append(toks, tok{kind: tIdent, text: s[i:j], pos: i})
			i = j
		default:
			return nil, fmt.Errorf("syntax error: unexpected character %q at position %d", c, i)
		}
	}
	return toks, nil
}
