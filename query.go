package office365

import (
	"strconv"
	"strings"
)

// Query holds OData system query options. The zero value adds nothing. Encode
// renders them the way the Microsoft 365 services expect: option names keep
// their literal "$", spaces become %20 (never "+"), single quotes and commas
// stay readable, and every other reserved character is percent-encoded.
type Query struct {
	// Select lists the properties to return ($select).
	Select []string
	// Filter is an OData boolean expression ($filter), for example
	// "ReceivedDateTime ge 2016-01-01T00:00:00Z". Quote string literals with
	// QuoteString.
	Filter string
	// OrderBy lists sort clauses ($orderby), e.g. "ReceivedDateTime desc".
	OrderBy []string
	// Expand lists navigation properties to expand ($expand).
	Expand []string
	// Search is a search expression ($search); Encode wraps it in double
	// quotes as the services require.
	Search string
	// Top is the page size ($top); zero leaves it to the service.
	Top int
	// Skip is how many items to skip ($skip).
	Skip int
	// Count asks for @odata.count in the response ($count=true).
	Count bool
}

// IsZero reports whether q sets no option.
func (q Query) IsZero() bool {
	return len(q.Select) == 0 && q.Filter == "" && len(q.OrderBy) == 0 && len(q.Expand) == 0 &&
		q.Search == "" && q.Top == 0 && q.Skip == 0 && !q.Count
}

// Encode returns the encoded query string without a leading "?", options in
// a fixed order: $search, $filter, $select, $expand, $orderby, $top, $skip,
// $count.
func (q Query) Encode() string {
	var b strings.Builder
	add := func(name, value string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(EscapeQueryValue(value))
	}
	if q.Search != "" {
		s := q.Search
		if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
			s = `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
		}
		add("$search", s)
	}
	if q.Filter != "" {
		add("$filter", q.Filter)
	}
	if len(q.Select) > 0 {
		add("$select", strings.Join(q.Select, ","))
	}
	if len(q.Expand) > 0 {
		add("$expand", strings.Join(q.Expand, ","))
	}
	if len(q.OrderBy) > 0 {
		add("$orderby", strings.Join(q.OrderBy, ","))
	}
	if q.Top > 0 {
		add("$top", strconv.Itoa(q.Top))
	}
	if q.Skip > 0 {
		add("$skip", strconv.Itoa(q.Skip))
	}
	if q.Count {
		add("$count", "true")
	}
	return b.String()
}

// EscapeQueryValue percent-encodes s for use as an OData query option value.
// Unreserved characters and the OData-significant ' ( ) , : / $ @ * ! = are
// kept (so nested options such as "Attachments($filter=…)" stay readable); a
// space becomes %20, and "+", "&", ";", "#", "%", '"' and every non-ASCII byte
// are percent-encoded.
func EscapeQueryValue(s string) string {
	const hex = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !keepInQuery(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	buf := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keepInQuery(c) {
			buf = append(buf, c)
			continue
		}
		buf = append(buf, '%', hex[c>>4], hex[c&15])
	}
	return string(buf)
}

func keepInQuery(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', '\'', '(', ')', ',', ':', '/', '$', '@', '*', '!', '=':
		return true
	}
	return false
}

// QuoteString renders s as an OData string literal: wrapped in single
// quotes, with embedded single quotes doubled ("O'Neil" → 'O”Neil').
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
