package office365test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones for Prefer: outlook.timezone on any machine
)

// This file holds the response shaping shared by the mailbox handlers:
// paging, $select, Prefer handling and time-zone conversion. Other Outlook
// fakes (events, contacts, tasks) use the same helpers.

// listConfig describes a collection for queryRecords.
type listConfig struct {
	// filterable validates $filter and $orderby paths (nil: all allowed).
	filterable func(path []string) error
	// defaultOrder is applied when $orderby is absent.
	defaultOrder []OrderClause
	// searchable enables $search with this matcher.
	search func(r *Record, terms []searchTerm) bool
	// searchOrder is the order of $search results.
	searchOrder []OrderClause
	// maxTop bounds $top.
	maxTop int
	// oldestFirst breaks ordering ties by creation order (folders) instead
	// of newest first (items).
	oldestFirst bool
}

// queryRecords applies $search/$filter/$orderby/$top/$skip (and Prefer
// odata.maxpagesize) to recs. It returns the page, the total number of
// matches, the next link ("" on the last page), and an error reply.
func queryRecords(rq *MailboxRequest, recs []*Record, cfg listConfig) (page []*Record, total int, next string, rep *Reply) {
	search := rq.Query("$search")
	if search != "" {
		if cfg.search == nil {
			return nil, 0, "", ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The query parameter 'Search' is not supported for this resource.")
		}
		if rq.HasQuery("$orderby") {
			return nil, 0, "", ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The query parameter 'OrderBy' is invalid.")
		}
		if rq.HasQuery("$filter") {
			return nil, 0, "", ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The query parameter 'Filter' is invalid.")
		}
	}
	f, err := ParseFilter(rq.Query("$filter"), &FilterOptions{Filterable: cfg.filterable})
	if err != nil {
		return nil, 0, "", filterErrorReply(err)
	}
	order, err := ParseOrderBy(rq.Query("$orderby"), cfg.filterable)
	if err != nil {
		return nil, 0, "", filterErrorReply(err)
	}
	var matched []*Record
	terms := parseSearch(search)
	for _, r := range recs {
		if search != "" {
			if cfg.search(r, terms) {
				matched = append(matched, r)
			}
			continue
		}
		if f.Match(r.Doc) {
			matched = append(matched, r)
		}
	}
	switch {
	case search != "":
		order = cfg.searchOrder
	case len(order) == 0:
		order = cfg.defaultOrder
	}
	sortRecords(matched, order, cfg.oldestFirst)
	if search != "" && len(matched) > 250 {
		matched = matched[:250]
	}
	maxTop := cfg.maxTop
	if maxTop == 0 {
		maxTop = 1000
	}
	top, skip := 10, 0
	if v := rq.Query("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxTop {
			return nil, 0, "", ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The value of the query parameter '$top' is invalid.")
		}
		top = n
	} else if ps, ok := rq.Prefer()["odata.maxpagesize"]; ok {
		if n, err := strconv.Atoi(ps); err == nil && n > 0 {
			top = min(n, maxTop)
		}
	}
	if v := rq.Query("$skip"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, 0, "", ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The value of the query parameter '$skip' is invalid.")
		}
		skip = n
	}
	total = len(matched)
	start := min(skip, total)
	end := min(start+top, total)
	page = matched[start:end]
	if end < total && top > 0 {
		next = rq.link([]string{"$skip"}, "$skip="+strconv.Itoa(end))
	}
	return page, total, next, nil
}

func filterErrorReply(err error) *Reply {
	if fe, ok := err.(*FilterError); ok {
		return ErrorReply(http.StatusBadRequest, fe.Code, fe.Message)
	}
	return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQueryFilter", err.Error())
}

// sortRecords sorts by the clauses, ties broken by newest creation first.
func sortRecords(recs []*Record, order []OrderClause, oldestFirst bool) {
	// Each record's order values are looked up once, not once per
	// comparison: a list sorts every record of the folder per page.
	type keyed struct {
		rec  *Record
		keys []any
	}
	items := make([]keyed, len(recs))
	keys := make([]any, len(recs)*len(order))
	for i, rec := range recs {
		k := keys[i*len(order) : (i+1)*len(order) : (i+1)*len(order)]
		for j, c := range order {
			k[j] = PathValue(rec.Doc, c.Path)
		}
		items[i] = keyed{rec, k}
	}
	// A clause whose values are all date-times (or null) is compared as
	// times: parse them once here rather than in every comparison.
	for j := range order {
		if times, ok := parseTimeKeys(keys, j, len(order)); ok {
			for i, t := range times {
				if keys[i*len(order)+j] != nil {
					keys[i*len(order)+j] = t
				}
			}
		}
	}
	slices.SortStableFunc(items, func(a, b keyed) int {
		for j, c := range order {
			r, ok := CompareValues(a.keys[j], b.keys[j])
			if !ok || r == 0 {
				continue
			}
			if c.Desc {
				return -r
			}
			return r
		}
		c := 0
		switch {
		case a.rec.Order > b.rec.Order:
			c = -1
		case a.rec.Order < b.rec.Order:
			c = 1
		}
		if oldestFirst {
			c = -c
		}
		return c
	})
	for i, it := range items {
		recs[i] = it.rec
	}
}

// parseTimeKeys parses the values of clause j in keys (stride n) as
// CompareValues would compare two date-time strings; ok is false unless
// every non-null value is one.
func parseTimeKeys(keys []any, j, n int) (times []time.Time, ok bool) {
	times = make([]time.Time, len(keys)/max(n, 1))
	for i := range times {
		switch v := keys[i*n+j].(type) {
		case nil:
		case string:
			t, ok := parseFilterTime(v)
			if !ok || !reDateTime.MatchString(v) {
				return nil, false
			}
			times[i] = t
		default:
			return nil, false
		}
	}
	return times, true
}

// link returns the request URL with the query options named in drop
// removed and add appended (an already encoded "name=value").
func (rq *MailboxRequest) link(drop []string, add ...string) string {
	var parts []string
	for _, p := range strings.Split(rq.R.URL.RawQuery, "&") {
		if p == "" {
			continue
		}
		name, _, _ := strings.Cut(p, "=")
		if dn, err := url.QueryUnescape(name); err == nil {
			name = dn
		}
		if slices.ContainsFunc(drop, func(d string) bool { return strings.EqualFold(d, name) }) {
			continue
		}
		parts = append(parts, p)
	}
	parts = append(parts, add...)
	scheme := "http"
	if rq.R.TLS != nil {
		scheme = "https"
	}
	out := scheme + "://" + rq.R.Host + rq.R.URL.EscapedPath()
	if len(parts) > 0 {
		out += "?" + strings.Join(parts, "&")
	}
	return out
}

// selectList returns the $select properties (nil for all).
func (rq *MailboxRequest) selectList() []string { return SplitList(rq.Query("$select")) }

// expands reports whether $expand names prop (case-insensitive; options in
// parentheses ignored; a qualified "Type/Prop" matches on its last segment).
func (rq *MailboxRequest) expands(prop string) bool {
	for _, e := range SplitList(rq.Query("$expand")) {
		name, _, _ := strings.Cut(e, "(")
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		if strings.EqualFold(strings.TrimSpace(name), prop) {
			return true
		}
	}
	return false
}

// shape applies the read preferences (time zone, body format, unsafe HTML)
// to a rendered document in place; appliedPrefs reports them in
// Preference-Applied.
func (rq *MailboxRequest) shape(doc Entity) {
	prefs := rq.Prefer()
	if tz := prefs["outlook.timezone"]; tz != "" && loadZone(tz) != nil {
		convertDTTZ(doc, tz)
	}
	textBodies := strings.EqualFold(prefs["outlook.body-content-type"], "text")
	_, unsafe := prefs["outlook.allow-unsafe-html"]
	for _, key := range []string{"Body", "UniqueBody"} {
		b, ok := doc[key].(map[string]any)
		if !ok {
			continue
		}
		ct, _ := b["ContentType"].(string)
		content, _ := b["Content"].(string)
		switch {
		case textBodies && strings.EqualFold(ct, "HTML"):
			doc[key] = map[string]any{"ContentType": "Text", "Content": htmlToText(content)}
		case strings.EqualFold(ct, "HTML") && !unsafe:
			doc[key] = map[string]any{"ContentType": "HTML", "Content": stripScripts(content)}
		}
	}
}

// appliedHeader renders Preference-Applied.
func appliedHeader(applied map[string]string) http.Header {
	if len(applied) == 0 {
		return nil
	}
	var vals []string
	for _, v := range applied {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	return http.Header{"Preference-Applied": {strings.Join(vals, ", ")}}
}

var (
	reScript = regexp.MustCompile(`(?is)<script\b.*?</script\s*>`)
	reStyle  = regexp.MustCompile(`(?is)<style\b.*?</style\s*>`)
	reBreak  = regexp.MustCompile(`(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</tr\s*>|<hr\s*/?>`)
	reTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	reSpaces = regexp.MustCompile(`[ \t]+`)
	reBlank  = regexp.MustCompile(`\n{3,}`)
)

func stripScripts(s string) string { return reScript.ReplaceAllString(s, "") }

// htmlToText renders an HTML body as plain text.
func htmlToText(s string) string {
	s = reScript.ReplaceAllString(s, "")
	s = reStyle.ReplaceAllString(s, "")
	s = reBreak.ReplaceAllString(s, "\n")
	s = reTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = reSpaces.ReplaceAllString(s, " ")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(reBlank.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

const dttzLayout = "2006-01-02T15:04:05.0000000"

// searchTerm is one $search term: prop is "" for free text.
type searchTerm struct{ prop, value string }

func parseSearch(s string) []searchTerm {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	s = strings.ReplaceAll(s, `\"`, `"`)
	var out []searchTerm
	for _, f := range splitOutsideQuotes(s, ' ') {
		f = strings.TrimSpace(f)
		if f == "" || f == "AND" {
			continue
		}
		t := searchTerm{value: f}
		if p, v, ok := strings.Cut(f, ":"); ok && !strings.Contains(p, "@") {
			t = searchTerm{prop: strings.ToLower(p), value: v}
		}
		t.value = strings.ToLower(strings.Trim(t.value, `"`))
		out = append(out, t)
	}
	return out
}
