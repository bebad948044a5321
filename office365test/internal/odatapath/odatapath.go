// Package odatapath splits the paths of OData requests into segments for
// the fake's front ends: it unescapes each segment and takes apart the key
// form name('key') and the function form name(args).
package odatapath

import (
	"net/url"
	"regexp"
	"strings"
)

var (
	reKeySeg  = regexp.MustCompile(`^([^()]+)\('((?:[^']|'')*)'\)$`)
	reFuncSeg = regexp.MustCompile(`^([^()]+)(\(.*\))$`)
)

// Segments turns the escaped path escaped into unescaped segments, split at
// every "/", with key forms name('key') split into name and key (a doubled
// quote in the key standing for one) and function forms name(args) into
// name and (args). Empty segments are dropped; a segment that is not
// validly escaped is an error.
func Segments(escaped string) ([]string, error) {
	return segments(strings.Split(strings.Trim(escaped, "/"), "/"))
}

// QuotedSegments is Segments splitting only at the slashes outside quoted
// keys, so that messages('A/B') stays one segment (and yields the key A/B).
func QuotedSegments(escaped string) ([]string, error) {
	return segments(splitOutsideQuotes(strings.Trim(escaped, "/")))
}

func segments(raws []string) ([]string, error) {
	var out []string
	for _, raw := range raws {
		if raw == "" {
			continue
		}
		s, err := url.PathUnescape(raw)
		if err != nil {
			return nil, err
		}
		if mm := reKeySeg.FindStringSubmatch(s); mm != nil {
			out = append(out, mm[1], strings.ReplaceAll(mm[2], "''", "'"))
			continue
		}
		if mm := reFuncSeg.FindStringSubmatch(s); mm != nil {
			out = append(out, mm[1], mm[2])
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

// splitOutsideQuotes splits p at the slashes outside single quotes.
func splitOutsideQuotes(p string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\'':
			quoted = !quoted
		case '/':
			if !quoted {
				out = append(out, p[start:i])
				start = i + 1
			}
		}
	}
	return append(out, p[start:])
}
