package commsv1

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/office365-go/office365/office365test/internal/odataq"
)

// The fake parses exactly the $filter expressions the Service Communications
// API understands: comparisons joined by "and", on Workload and Id (string
// literals), StatusTime, StartTime and EndTime (unquoted DateTimeOffset
// literals) and MessageType (the qualified enum literal). The real service
// silently ignored anything else and answered as if there were no filter;
// the fake answers 400 instead, so that a client building a wrong filter
// fails its tests rather than quietly getting everything.

const scMessageTypeEnum = "Microsoft.Office365ServiceComms.ExposedContracts.MessageType"

var scMessageTypes = []string{"Incident", "PlannedMaintenance", "MessageCenter"}

// scFieldKind is the literal type a filterable property takes.
type scFieldKind int

const (
	scString scFieldKind = iota
	scDateTime
	scEnum
)

var scFilterFields = map[string]scFieldKind{
	"Workload": scString, "Id": scString,
	"StatusTime": scDateTime, "StartTime": scDateTime, "EndTime": scDateTime,
	"MessageType": scEnum,
}

// scCmp is one comparison of a parsed filter.
type scCmp struct {
	field string
	op    string
	str   string    // string and enum literals
	t     time.Time // DateTimeOffset literals
}

type scTokKind int

const (
	scTokIdent scTokKind = iota
	scTokString
	scTokEnum
	scTokLiteral
)

type scTok struct {
	kind  scTokKind
	text  string // identifier, literal text, enum type name
	value string // string literal value, enum member
	pos   int
}

func scLex(s string) ([]scTok, error) {
	var toks []scTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '\'':
			v, next, err := odataq.QuotedString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, scTok{kind: scTokString, value: v, pos: i})
			i = next
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '.' || 'a' <= s[j] && s[j] <= 'z' || 'A' <= s[j] && s[j] <= 'Z' || '0' <= s[j] && s[j] <= '9') {
				j++
			}
			if j < len(s) && s[j] == '\'' {
				v, next, err := odataq.QuotedString(s, j)
				if err != nil {
					return nil, err
				}
				toks = append(toks, scTok{kind: scTokEnum, text: s[i:j], value: v, pos: i})
				i = next
				continue
			}
			toks = append(toks, scTok{kind: scTokIdent, text: s[i:j], pos: i})
			i = j
		case '0' <= c && c <= '9' || c == '-':
			j := odataq.LiteralEnd(s, i)
			toks = append(toks, scTok{kind: scTokLiteral, text: s[i:j], pos: i})
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q at position %d (the service supports only comparisons joined by 'and')", c, i)
		}
	}
	return toks, nil
}

// scParseFilter parses expr; allowed lists the properties the endpoint can
// filter on.
func scParseFilter(expr string, allowed []string) ([]scCmp, error) {
	toks, err := scLex(expr)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty $filter")
	}
	var out []scCmp
	for i := 0; ; {
		if i+3 > len(toks) {
			return nil, fmt.Errorf("incomplete comparison at the end of the filter (want <property> <operator> <value>)")
		}
		f, op, v := toks[i], toks[i+1], toks[i+2]
		if f.kind != scTokIdent {
			return nil, fmt.Errorf("expected a property name at position %d", f.pos)
		}
		kind, known := scFilterFields[f.text]
		if !known || !slices.Contains(allowed, f.text) {
			for _, a := range allowed {
				if strings.EqualFold(a, f.text) {
					return nil, fmt.Errorf("unknown property %q (property names are case-sensitive: %q)", f.text, a)
				}
			}
			return nil, fmt.Errorf("cannot filter on %q here (filterable: %s)", f.text, strings.Join(allowed, ", "))
		}
		if op.kind != scTokIdent {
			return nil, fmt.Errorf("expected an operator after %s", f.text)
		}
		c := scCmp{field: f.text, op: op.text}
		switch kind {
		case scString:
			if op.text != "eq" && op.text != "ne" {
				return nil, fmt.Errorf("operator %q is not supported on %s (use eq or ne)", op.text, f.text)
			}
			if v.kind != scTokString {
				return nil, fmt.Errorf("%s must be compared with a quoted string literal, as in %s eq 'value'", f.text, f.text)
			}
			c.str = v.value
		case scDateTime:
			switch op.text {
			case "eq", "ne", "gt", "ge", "lt", "le":
			default:
				return nil, fmt.Errorf("unknown operator %q", op.text)
			}
			if v.kind != scTokLiteral {
				return nil, fmt.Errorf("%s must be compared with an unquoted DateTimeOffset literal, as in %s ge 2020-09-01T00:00:00Z", f.text, f.text)
			}
			t, err := time.Parse(time.RFC3339Nano, v.text)
			if err != nil {
				return nil, fmt.Errorf("invalid DateTimeOffset literal %q (want RFC 3339 with Z or an offset; a '+' must be sent as %%2B)", v.text)
			}
			c.t = t
		case scEnum:
			if op.text != "eq" && op.text != "ne" {
				return nil, fmt.Errorf("operator %q is not supported on %s (use eq or ne)", op.text, f.text)
			}
			if v.kind != scTokEnum || v.text != scMessageTypeEnum {
				return nil, fmt.Errorf("MessageType must be compared with the enum literal %s'MessageCenter' "+
					"(the real service silently ignores a plain string comparison)", scMessageTypeEnum)
			}
			if !slices.Contains(scMessageTypes, v.value) {
				return nil, fmt.Errorf("unknown MessageType %q (want %s)", v.value, strings.Join(scMessageTypes, ", "))
			}
			c.str = v.value
		}
		out = append(out, c)
		i += 3
		if i == len(toks) {
			return out, nil
		}
		if toks[i].kind != scTokIdent || toks[i].text != "and" {
			return nil, fmt.Errorf("expected 'and' at position %d (only 'and' is supported)", toks[i].pos)
		}
		i++
	}
}

// scMatch evaluates the comparisons against a record's values (string,
// time.Time, or nil for null).
func scMatch(cmps []scCmp, values map[string]any) bool {
	for _, c := range cmps {
		switch v := values[c.field].(type) {
		case string:
			d := 1
			if strings.EqualFold(v, c.str) {
				d = 0
			}
			if !odataq.Holds(c.op, d) {
				return false
			}
		case time.Time:
			if !odataq.Holds(c.op, v.Compare(c.t)) {
				return false
			}
		default: // null: only "ne" holds
			if c.op != "ne" {
				return false
			}
		}
	}
	return true
}

// scQuery is a parsed query string.
type scQuery struct {
	filter    []scCmp
	hasFilter bool
	selects   []string
	top       int
	hasTop    bool
	skip      int
}

// scHTTPError is a 400 the handler reports.
type scHTTPError struct {
	code, msg string
}

func (e *scHTTPError) Error() string { return e.msg }

// scParseQuery reads the query options an endpoint accepts. Unknown
// options, repeated options and plain parameters (such as Workload=Exchange,
// which the OpenAPI description suggests and the service ignores) are
// rejected.
func scParseQuery(raw string, allowedOpts, filterable []string) (*scQuery, error) {
	q := &scQuery{}
	seen := map[string]bool{}
	if raw == "" {
		return q, nil
	}
	params, err := odataq.Params(raw)
	if err != nil {
		return nil, &scHTTPError{"InvalidQuery", err.Error()}
	}
	for _, p := range params {
		key, val := p.Key, p.Value
		name := strings.ToLower(key)
		if !slices.Contains(allowedOpts, name) {
			return nil, &scHTTPError{"InvalidQuery", fmt.Sprintf("query option %q is not supported here (supported: %s); "+
				"the real service silently ignores it, which hides client bugs", key, strings.Join(allowedOpts, ", "))}
		}
		if seen[name] {
			return nil, &scHTTPError{"InvalidQuery", fmt.Sprintf("query option %s is repeated", key)}
		}
		seen[name] = true
		switch name {
		case "$filter":
			cmps, err := scParseFilter(val, filterable)
			if err != nil {
				return nil, &scHTTPError{"InvalidFilter", "invalid $filter " + strconv.Quote(val) + ": " + err.Error() +
					" (the real service ignores a filter it cannot parse and returns unfiltered results)"}
			}
			q.filter, q.hasFilter = cmps, true
		case "$select":
			for _, s := range strings.Split(val, ",") {
				s = strings.TrimSpace(s)
				if s == "" {
					return nil, &scHTTPError{"InvalidSelect", "empty property in $select"}
				}
				q.selects = append(q.selects, s)
			}
		case "$top", "$skip":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return nil, &scHTTPError{"InvalidQuery", fmt.Sprintf("%s must be a non-negative integer, got %q", key, val)}
			}
			if name == "$top" {
				q.top, q.hasTop = n, true
			} else {
				q.skip = n
			}
		}
	}
	return q, nil
}
