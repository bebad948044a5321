package office365test

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// This file is a small OData v4 $filter parser and evaluator over JSON
// documents (map[string]any as decoded by encoding/json, PascalCase keys).
// The Outlook mailbox fake uses it for messages and folders; the Calendar,
// Contacts and Tasks fakes reuse it the same way:
//
//	f, err := ParseFilter(r.URL.Query().Get("$filter"), &FilterOptions{Filterable: messageFilterable})
//	if err != nil { /* *FilterError: answer 400 with err.Code */ }
//	if f.Match(doc) { … }
//
// Supported: eq ne gt ge lt le, and or not, parentheses; string literals
// ('O''Neil'), numbers, true/false/null, unquoted date-times
// (2014-09-01T00:00:00Z) and dates (2014-09-01), enum literals
// (Namespace.Type'Value', compared as their string), nested paths
// (From/EmailAddress/Address), bare boolean properties (IsRead), and the
// lambdas any/all over collections (Categories/any(c: c eq 'Red'),
// SingleValueExtendedProperties/Any(ep: ep/PropertyId eq '…' and ep/Value eq '…')).
// String comparison is case-insensitive, as in the Outlook service. A string
// property compared with a date-time literal is compared as a time.
// contains/startswith/endswith are rejected with ErrorInvalidUrlQueryFilter,
// as Outlook v2.0 does, unless FilterOptions.Functions allows them.

// FilterError is a $filter the service would reject; Code is the service
// error code (ErrorInvalidUrlQueryFilter, ErrorInvalidProperty).
type FilterError struct {
	Code    string
	Message string
}

// Error returns "code: message".
func (e *FilterError) Error() string { return e.Code + ": " + e.Message }

// FilterOptions tunes ParseFilter. A nil *FilterOptions means defaults.
type FilterOptions struct {
	// Filterable, when set, is asked about every property path (outside
	// lambda variables); a non-nil error rejects the filter with
	// ErrorInvalidProperty.
	Filterable func(path []string) error
	// Functions allows contains, startswith and endswith (Graph-style).
	Functions bool
}

// Filter is a parsed $filter expression. It is immutable and safe for
// concurrent use.
type Filter struct {
	root fnode
	src  string
}

// String returns the source expression.
func (f *Filter) String() string { return f.src }

// Match reports whether doc satisfies the filter. A nil Filter matches
// everything.
func (f *Filter) Match(doc map[string]any) bool {
	if f == nil {
		return true
	}
	return truthy(f.root.eval(&fenv{doc: doc}))
}

// ParseFilter parses an OData $filter expression. An empty expression
// yields a nil *Filter, which matches everything.
func ParseFilter(expr string, opts *FilterOptions) (*Filter, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	if opts == nil {
		opts = &FilterOptions{}
	}
	toks, err := lexFilter(expr)
	if err != nil {
		return nil, err
	}
	p := &fparser{toks: toks, opts: opts}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, filterSyntax("unexpected %q", p.peek().text)
	}
	return &Filter{root: n, src: expr}, nil
}

func filterSyntax(format string, args ...any) *FilterError {
	return &FilterError{Code: "ErrorInvalidUrlQueryFilter", Message: "Invalid filter clause: " + fmt.Sprintf(format, args...)}
}

// ---- lexer

type tkind int

const (
	tEOF tkind = iota
	tIdent
	tString
	tNumber
	tTime
	tLParen
	tRParen
	tSlash
	tColon
	tComma
)

type ftoken struct {
	kind tkind
	text string
	val  any
}

var (
	reDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$`)
	reDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func lexFilter(s string) ([]ftoken, error) {
	var out []ftoken
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, ftoken{kind: tLParen, text: "("})
			i++
		case c == ')':
			out = append(out, ftoken{kind: tRParen, text: ")"})
			i++
		case c == '/':
			out = append(out, ftoken{kind: tSlash, text: "/"})
			i++
		case c == ':':
			out = append(out, ftoken{kind: tColon, text: ":"})
			i++
		case c == ',':
			out = append(out, ftoken{kind: tComma, text: ","})
			i++
		case c == '\'':
			str, n, err := lexString(s[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, ftoken{kind: tString, text: s[i : i+n], val: str})
			i += n
		case c >= '0' && c <= '9' || (c == '-' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9'):
			j := i + 1
			for j < len(s) && strings.IndexByte("0123456789.-+:TZeE", s[j]) >= 0 {
				j++
			}
			text := s[i:j]
			i = j
			switch {
			case reDateTime.MatchString(text) || reDate.MatchString(text):
				t, ok := parseFilterTime(text)
				if !ok {
					return nil, filterSyntax("invalid date-time %q", text)
				}
				out = append(out, ftoken{kind: tTime, text: text, val: t})
			default:
				f, err := strconv.ParseFloat(text, 64)
				if err != nil {
					return nil, filterSyntax("invalid number %q", text)
				}
				out = append(out, ftoken{kind: tNumber, text: text, val: f})
			}
		case c == '_' || c == '$' || c == '@' || unicode.IsLetter(rune(c)):
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == '.' || s[j] == '@' || s[j] == '$' ||
				unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j]))) {
				j++
			}
			text := s[i:j]
			i = j
			if i < len(s) && s[i] == '\'' && strings.Contains(text, ".") {
				// Enum literal Namespace.Type'Member'.
				str, n, err := lexString(s[i:])
				if err != nil {
					return nil, err
				}
				i += n
				out = append(out, ftoken{kind: tString, text: text + "'" + str + "'", val: str})
				continue
			}
			out = append(out, ftoken{kind: tIdent, text: text})
		default:
			return nil, filterSyntax("unexpected character %q", string(c))
		}
	}
	return append(out, ftoken{kind: tEOF}), nil
}

// lexString reads a single-quoted literal at the start of s (” escapes a
// quote) and returns its value and length.
func lexString(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), i + 1, nil
		}
		b.WriteByte(s[i])
	}
	return "", 0, filterSyntax("unterminated string literal")
}

func parseFilterTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ---- parser

type fparser struct {
	toks []ftoken
	pos  int
	opts *FilterOptions
	vars []string // lambda variables in scope
}

func (p *fparser) peek() ftoken { return p.toks[p.pos] }
func (p *fparser) next() ftoken { t := p.toks[p.pos]; p.pos++; return t }

func (p *fparser) isKeyword(word string) bool {
	t := p.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, word)
}

func (p *fparser) parseOr() (fnode, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("or") {
		p.next()
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &flogic{or: true, l: left, r: right}
	}
	return left, nil
}

func (p *fparser) parseAnd() (fnode, error) {
	left, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("and") {
		p.next()
		right, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		left = &flogic{l: left, r: right}
	}
	return left, nil
}

func (p *fparser) parseNot() (fnode, error) {
	if p.isKeyword("not") {
		p.next()
		n, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &fnot{n: n}, nil
	}
	return p.parseCmp()
}

var cmpOps = map[string]bool{"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true}

func (p *fparser) parseCmp() (fnode, error) {
	left, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tIdent && cmpOps[strings.ToLower(t.text)] {
		p.next()
		right, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		return &fcmp{op: strings.ToLower(t.text), l: left, r: right}, nil
	}
	return left, nil
}

func (p *fparser) parsePrimary() (fnode, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.next().kind != tRParen {
			return nil, filterSyntax("missing ')'")
		}
		return n, nil
	case tString, tNumber, tTime:
		return &flit{v: t.val}, nil
	case tIdent:
		switch strings.ToLower(t.text) {
		case "true":
			return &flit{v: true}, nil
		case "false":
			return &flit{v: false}, nil
		case "null":
			return &flit{v: nil}, nil
		}
		if p.peek().kind == tLParen {
			return p.parseFunc(t.text)
		}
		return p.parsePath(t.text)
	}
	if t.kind == tEOF {
		return nil, filterSyntax("unexpected end of expression")
	}
	return nil, filterSyntax("unexpected %q", t.text)
}

func (p *fparser) parseFunc(name string) (fnode, error) {
	lname := strings.ToLower(name)
	switch lname {
	case "contains", "startswith", "endswith", "substringof":
		if !p.opts.Functions || lname == "substringof" {
			return nil, &FilterError{Code: "ErrorInvalidUrlQueryFilter",
				Message: "'contains' and 'startswith' are not supported for filtering. Use Search instead."}
		}
	default:
		return nil, &FilterError{Code: "ErrorInvalidUrlQueryFilter", Message: fmt.Sprintf("The function '%s' is not supported.", name)}
	}
	p.next() // (
	a, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.next().kind != tComma {
		return nil, filterSyntax("%s needs two arguments", name)
	}
	b, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.next().kind != tRParen {
		return nil, filterSyntax("missing ')' after %s", name)
	}
	return &ffunc{name: lname, a: a, b: b}, nil
}

func (p *fparser) parsePath(first string) (fnode, error) {
	path := []string{first}
	for p.peek().kind == tSlash {
		p.next()
		t := p.next()
		if t.kind != tIdent {
			return nil, filterSyntax("bad property path after %q", strings.Join(path, "/"))
		}
		if (strings.EqualFold(t.text, "any") || strings.EqualFold(t.text, "all")) && p.peek().kind == tLParen {
			coll, err := p.pathNode(path)
			if err != nil {
				return nil, err
			}
			return p.parseLambda(coll, strings.ToLower(t.text))
		}
		path = append(path, t.text)
	}
	return p.pathNode(path)
}

func (p *fparser) pathNode(path []string) (*fpath, error) {
	for i := len(p.vars) - 1; i >= 0; i-- {
		if path[0] == p.vars[i] {
			return &fpath{varName: path[0], path: path[1:]}, nil
		}
	}
	if p.opts.Filterable != nil {
		if err := p.opts.Filterable(path); err != nil {
			return nil, &FilterError{Code: "ErrorInvalidProperty", Message: err.Error()}
		}
	}
	return &fpath{path: path}, nil
}

func (p *fparser) parseLambda(coll *fpath, kind string) (fnode, error) {
	p.next() // (
	if p.peek().kind == tRParen && kind == "any" {
		p.next()
		return &flambda{coll: coll, kind: kind}, nil
	}
	v := p.next()
	if v.kind != tIdent || p.next().kind != tColon {
		return nil, filterSyntax("bad lambda: want %s(x: …)", kind)
	}
	p.vars = append(p.vars, v.text)
	body, err := p.parseOr()
	p.vars = p.vars[:len(p.vars)-1]
	if err != nil {
		return nil, err
	}
	if p.next().kind != tRParen {
		return nil, filterSyntax("missing ')' after lambda")
	}
	return &flambda{coll: coll, kind: kind, varName: v.text, body: body}, nil
}

// ---- evaluation

type fenv struct {
	doc    map[string]any
	vars   map[string]any
	parent *fenv
}

func (e *fenv) lookup(name string) (any, bool) {
	for x := e; x != nil; x = x.parent {
		if v, ok := x.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

type fnode interface{ eval(*fenv) any }

type flit struct{ v any }

func (n *flit) eval(*fenv) any { return n.v }

type fpath struct {
	varName string
	path    []string
}

func (n *fpath) eval(e *fenv) any {
	var cur any = e.doc
	if n.varName != "" {
		cur, _ = e.lookup(n.varName)
	}
	for _, name := range n.path {
		cur = Property(cur, name)
	}
	return cur
}

// Property returns the property name of v when v is a JSON object: the
// exact key, else a case-insensitive match; nil otherwise.
func Property(v any, name string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if x, ok := m[name]; ok {
		return x
	}
	for k, x := range m {
		if strings.EqualFold(k, name) {
			return x
		}
	}
	return nil
}

type flogic struct {
	or   bool
	l, r fnode
}

func (n *flogic) eval(e *fenv) any {
	if n.or {
		return truthy(n.l.eval(e)) || truthy(n.r.eval(e))
	}
	return truthy(n.l.eval(e)) && truthy(n.r.eval(e))
}

type fnot struct{ n fnode }

func (n *fnot) eval(e *fenv) any { return !truthy(n.n.eval(e)) }

type fcmp struct {
	op   string
	l, r fnode
}

func (n *fcmp) eval(e *fenv) any {
	a, b := n.l.eval(e), n.r.eval(e)
	c, ok := CompareValues(a, b)
	switch n.op {
	case "eq":
		return ok && c == 0
	case "ne":
		return !ok || c != 0
	}
	if !ok || a == nil || b == nil {
		return false
	}
	switch n.op {
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return false
}

type ffunc struct {
	name string
	a, b fnode
}

func (n *ffunc) eval(e *fenv) any {
	a, ok1 := n.a.eval(e).(string)
	b, ok2 := n.b.eval(e).(string)
	if !ok1 || !ok2 {
		return false
	}
	a, b = strings.ToLower(a), strings.ToLower(b)
	switch n.name {
	case "contains":
		return strings.Contains(a, b)
	case "startswith":
		return strings.HasPrefix(a, b)
	case "endswith":
		return strings.HasSuffix(a, b)
	}
	return false
}

type flambda struct {
	coll    *fpath
	kind    string
	varName string
	body    fnode
}

func (n *flambda) eval(e *fenv) any {
	items, _ := n.coll.eval(e).([]any)
	if n.body == nil {
		return len(items) > 0
	}
	for _, it := range items {
		ok := truthy(n.body.eval(&fenv{doc: e.doc, vars: map[string]any{n.varName: it}, parent: e}))
		if n.kind == "any" && ok {
			return true
		}
		if n.kind == "all" && !ok {
			return false
		}
	}
	return n.kind == "all"
}

func truthy(v any) bool {
	b, ok := v.(bool)
	return ok && b
}

// CompareValues orders two JSON values the way the filter and $orderby do:
// numbers numerically, booleans false < true, times chronologically (a
// string is read as a time when the other side is one, or when both parse
// as RFC 3339 date-times), other strings case-insensitively. null equals
// only null and sorts first. ok is false when the values cannot be
// compared (different kinds).
func CompareValues(a, b any) (c int, ok bool) {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0, true
		case a == nil:
			return -1, true
		default:
			return 1, true
		}
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := asTime(b)
		if !ok {
			return 0, false
		}
		return ta.Compare(tb), true
	}
	if tb, ok := b.(time.Time); ok {
		ta, ok := asTime(a)
		if !ok {
			return 0, false
		}
		return ta.Compare(tb), true
	}
	if fa, ok := asNumber(a); ok {
		fb, ok := asNumber(b)
		if !ok {
			return 0, false
		}
		switch {
		case fa < fb:
			return -1, true
		case fa > fb:
			return 1, true
		}
		return 0, true
	}
	switch x := a.(type) {
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		if reDateTime.MatchString(x) && reDateTime.MatchString(y) {
			tx, ok1 := parseFilterTime(x)
			ty, ok2 := parseFilterTime(y)
			if ok1 && ok2 {
				return tx.Compare(ty), true
			}
		}
		return strings.Compare(strings.ToLower(x), strings.ToLower(y)), true
	}
	return 0, false
}

func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		return parseFilterTime(x)
	}
	return time.Time{}, false
}

func asNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x)
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}
