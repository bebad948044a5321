// Package odataq holds the pieces of OData query parsing that the fake's
// front ends share: splitting a query string into its options, lexing the
// literals of a $filter expression and evaluating a comparison operator.
// Each front end keeps its own grammar and error wording on top of them,
// as the services it emulates differ there.
package odataq

import (
	"fmt"
	"net/url"
	"strings"
)

// Param is one decoded name=value pair of a query string.
type Param struct {
	// Key is the decoded name, Value the decoded value ("" when the pair
	// has no "="); RawKey is the name as it was sent.
	Key, Value, RawKey string
}

// Params decodes the pairs of the raw (still escaped) query string raw, in
// order, skipping empty pairs. A pair whose name or value is not validly
// escaped is an error that names it.
func Params(raw string) ([]Param, error) {
	var out []Param
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("malformed query parameter %q", k)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("malformed value of %s", key)
		}
		out = append(out, Param{Key: key, Value: val, RawKey: k})
	}
	return out, nil
}

// QuotedString reads the OData string literal that starts with the quote at
// s[i] (a doubled quote inside it stands for one quote) and returns its value
// and the index just after its closing quote.
func QuotedString(s string, i int) (value string, next int, err error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		if s[j] != '\'' {
			b.WriteByte(s[j])
			continue
		}
		if j+1 < len(s) && s[j+1] == '\'' {
			b.WriteByte('\'')
			j++
			continue
		}
		return b.String(), j + 1, nil
	}
	return "", 0, fmt.Errorf("unterminated string literal at position %d", i)
}

// LiteralEnd returns the index just after the unquoted literal (a number or
// a DateTimeOffset such as 2021-01-01T00:00:00Z) that starts at s[i].
func LiteralEnd(s string, i int) int {
	for i < len(s) && strings.IndexByte("0123456789-:.TZ+", s[i]) >= 0 {
		i++
	}
	return i
}

// Holds reports whether the comparison operator op (eq, ne, gt, ge, lt or
// le, in lower case) holds for a value that compares to the literal as d
// does to 0 (negative: less, zero: equal, positive: greater). An unknown
// operator never holds.
func Holds(op string, d int) bool {
	switch op {
	case "eq":
		return d == 0
	case "ne":
		return d != 0
	case "gt":
		return d > 0
	case "ge":
		return d >= 0
	case "lt":
		return d < 0
	case "le":
		return d <= 0
	}
	return false
}
