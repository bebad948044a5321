// Package graphhealth is the fake's front end for Microsoft Graph's service
// communications API, /v1.0/admin/serviceAnnouncement/{healthOverviews,
// issues, messages}, over the same healthstore.Store that the retired API's
// front end (commsv1) serves: the two dialects show one tenant.
//
// Shapes follow real Graph payloads: camelCase members in Graph's order,
// @odata.context, enum values in camelCase (serviceDegradation,
// postIncidentReviewPublished, incident, stayInformed), issue posts with
// HTML descriptions, Message Center bodies as itemBody, Graph error bodies
// with innerError (date, request-id, client-request-id), and pages of 100
// (or $top, or Prefer: odata.maxpagesize) linked by an @odata.nextLink that
// carries $skip. Planned maintenance, which Graph documents no place for, is
// not listed.
package graphhealth

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/office365-go/office365/office365test/internal/fakejson"
	"github.com/office365-go/office365/office365test/internal/grapherr"
	"github.com/office365-go/office365/office365test/internal/healthstore"
	"github.com/office365-go/office365/office365test/internal/odataq"
)

// Prefix is the path prefix the front end serves.
const Prefix = "/v1.0/admin/serviceAnnouncement/"

// Frontend serves Graph's serviceAnnouncement over a store. It is safe for
// concurrent use.
type Frontend struct {
	store *healthstore.Store
}

// New returns a front end over store.
func New(store *healthstore.Store) *Frontend { return &Frontend{store: store} }

// Handles reports whether r is a serviceAnnouncement request.
func Handles(r *http.Request) bool {
	p := strings.ToLower(r.URL.EscapedPath())
	return strings.HasPrefix(p, strings.ToLower(Prefix)) || p == strings.ToLower(strings.TrimSuffix(Prefix, "/"))
}

// graphStatus maps the store's status names to serviceHealthStatus.
var graphStatus = map[string]string{
	"ServiceOperational":          "serviceOperational",
	"Investigating":               "investigating",
	"ServiceDegradation":          "serviceDegradation",
	"ServiceInterruption":         "serviceInterruption",
	"RestoringService":            "restoringService",
	"ExtendedRecovery":            "extendedRecovery",
	"InvestigationSuspended":      "investigationSuspended",
	"ServiceRestored":             "serviceRestored",
	"FalsePositive":               "falsePositive",
	"PostIncidentReportPublished": "postIncidentReviewPublished",
	"InformationAvailable":        "serviceOperational",
}

// graphCategory maps Message Center categories to serviceUpdateCategory.
var graphCategory = map[string]string{
	"Stay Informed":         "stayInformed",
	"Plan For Change":       "planForChange",
	"Prevent Or Fix Issues": "preventOrFixIssue",
}

// Time layouts Graph writes.
const (
	seconds = "2006-01-02T15:04:05Z"
	millis  = "2006-01-02T15:04:05.999Z"
)

var issueProps = map[string]kind{
	"id": kString, "title": kString, "service": kString, "feature": kString, "featureGroup": kString,
	"classification": kString, "status": kString, "origin": kString, "isResolved": kBool,
	"startDateTime": kTime, "endDateTime": kTime, "lastModifiedDateTime": kTime,
}

var messageProps = map[string]kind{
	"id": kString, "title": kString, "category": kString, "severity": kString, "isMajorChange": kBool,
	"hasAttachments": kBool, "startDateTime": kTime, "endDateTime": kTime, "lastModifiedDateTime": kTime,
	"actionRequiredByDateTime": kTime, "services": kCollection, "tags": kCollection,
}

var healthProps = map[string]kind{"id": kString, "service": kString, "status": kString}

// ServeHTTP serves /v1.0/admin/serviceAnnouncement/….
func (f *Frontend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := r.URL.EscapedPath()[min(len(Prefix), len(r.URL.EscapedPath())):]
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	if !Handles(r) || len(segs) == 0 || segs[0] == "" || len(segs) > 2 {
		writeError(w, r, http.StatusNotFound, "BadRequest", "Resource not found for the segment '"+r.URL.Path+"'.")
		return
	}
	coll := strings.ToLower(segs[0])
	var props map[string]kind
	switch coll {
	case "healthoverviews":
		props = healthProps
	case "issues":
		props = issueProps
	case "messages":
		props = messageProps
	default:
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+segs[0]+"'.")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
		return
	}
	q, err := parseQuery(r.URL.RawQuery, props, coll == "healthoverviews", len(segs) == 2)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	snap := f.store.Snapshot()
	base := requestBase(r)
	ctxBase := base + "/v1.0/$metadata#admin/serviceAnnouncement/" + map[string]string{
		"healthoverviews": "healthOverviews", "issues": "issues", "messages": "messages"}[coll]

	// Records are cheap and filtered first; objects are built only for
	// what is returned.
	var recs []record
	var build []func() fakejson.Object
	switch coll {
	case "healthoverviews":
		var byWorkload map[string][]*healthstore.Message
		if q.expandIssues {
			byWorkload = map[string][]*healthstore.Message{}
			for _, m := range sorted(snap) {
				if m.Type == "Incident" {
					byWorkload[m.Workload] = append(byWorkload[m.Workload], m)
				}
			}
		}
		for i := range healthstore.Catalog {
			wl := &healthstore.Catalog[i]
			rec := healthRecord(snap, wl)
			recs = append(recs, rec)
			build = append(build, func() fakejson.Object { return healthObject(rec, byWorkload[wl.ID], q.expandIssues, ctxBase, snap.Now) })
		}
	case "issues", "messages":
		typ := map[string]string{"issues": "Incident", "messages": "MessageCenter"}[coll]
		for _, m := range sorted(snap) {
			if m.Type != typ {
				continue
			}
			if typ == "Incident" {
				recs = append(recs, issueRecord(m, snap.Now))
				build = append(build, func() fakejson.Object { return issueObject(m, snap.Now) })
			} else {
				recs = append(recs, messageRecord(m, snap.Now))
				build = append(build, func() fakejson.Object { return messageObject(m, snap.Now) })
			}
		}
	}

	if len(segs) == 2 {
		key, err := url.PathUnescape(segs[1])
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "BadRequest", "Malformed key segment.")
			return
		}
		key = strings.Trim(strings.TrimSuffix(strings.TrimPrefix(key, "("), ")"), "'")
		for i, rec := range recs {
			// healthOverviews are keyed by the service's display name.
			k := rec["id"]
			if coll == "healthoverviews" {
				k = rec["service"]
			}
			if s, _ := k.(string); strings.EqualFold(s, key) {
				o, err := project(build[i](), q.selects)
				if err != nil {
					writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
					return
				}
				out := append(fakejson.Object{{Key: "@odata.context", Value: ctxBase + "/$entity"}}, o...)
				fakejson.WriteJSON(w, http.StatusOK, out)
				return
			}
		}
		writeError(w, r, http.StatusNotFound, "NotFound", fmt.Sprintf("The requested %s '%s' was not found.", strings.TrimSuffix(segs[0], "s"), key))
		return
	}

	var matched []func() fakejson.Object
	for i, rec := range recs {
		if q.filter == nil || match(q.filter, rec) {
			matched = append(matched, build[i])
		}
	}
	size := 100
	if n := preferMaxPageSize(r.Header); n > 0 {
		size = min(n, 1000)
	}
	if q.hasTop {
		size = min(q.top, 1000)
	}
	start := min(q.skip, len(matched))
	end := min(start+size, len(matched))
	total := len(matched)
	page := []fakejson.Object{}
	for _, b := range matched[start:end] {
		o, err := project(b(), q.selects)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
			return
		}
		page = append(page, o)
	}
	body := fakejson.Object{{Key: "@odata.context", Value: ctxBase}, {Key: "value", Value: page}}
	if end < total && size > 0 {
		next := base + r.URL.EscapedPath() + "?" + withSkip(r.URL.RawQuery, end)
		body = slices.Insert(body, 1, fakejson.Member{Key: "@odata.nextLink", Value: next})
	}
	fakejson.WriteJSON(w, http.StatusOK, body)
}

// sorted returns the messages visible now, newest start first.
func sorted(snap healthstore.Snapshot) []*healthstore.Message {
	var out []*healthstore.Message
	for _, m := range snap.Messages {
		if m.Visible(snap.Now) {
			out = append(out, m)
		}
	}
	healthstore.SortNewestFirst(out)
	return out
}

func healthRecord(snap healthstore.Snapshot, wl *healthstore.Workload) record {
	status, _ := healthstore.StatusOver(snap.WorkloadMessages(wl.ID), snap.Now.Add(-24*time.Hour), snap.Now)
	return record{"id": wl.ID, "service": wl.Name, "status": graphStatus[status]}
}

func healthObject(rec record, issues []*healthstore.Message, expand bool, ctxBase string, now time.Time) fakejson.Object {
	o := fakejson.Object{{Key: "service", Value: rec["service"]}, {Key: "status", Value: rec["status"]}, {Key: "id", Value: rec["id"]}}
	if expand {
		list := make([]fakejson.Object, 0, len(issues))
		for _, m := range issues {
			list = append(list, issueObject(m, now))
		}
		name, _ := rec["service"].(string)
		o = append(o, fakejson.Member{Key: "issues@odata.context", Value: ctxBase + "('" + url.PathEscape(name) + "')/issues"},
			fakejson.Member{Key: "issues", Value: list})
	}
	return o
}

func timeOrNil(t time.Time, ok bool, layout string) any {
	if !ok || t.IsZero() {
		return nil
	}
	return t.UTC().Format(layout)
}

// htmlText renders the store's plain text as the HTML Graph sends.
func htmlText(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>")
}

func issueData(m *healthstore.Message, now time.Time, full bool) (fakejson.Object, record) {
	ups := m.VisibleUpdates(now)
	end, hasEnd := m.EndAt(now)
	_, _, resolved := m.ResolvedAt(now)
	wl := healthstore.FindWorkload(m.Workload)
	service, feature := "", ""
	if wl != nil {
		service = wl.Name
		if f := wl.Feature(m.Feature); f != nil {
			feature = f.Display
		}
	}
	status := graphStatus[m.StatusAt(now)]
	lastMod := m.LastModified(now)
	rec := record{"id": m.ID, "title": m.TitleAt(now), "service": service, "feature": feature, "featuregroup": feature,
		"classification": strings.ToLower(m.Class), "status": status, "origin": "microsoft", "isresolved": resolved,
		"startdatetime": m.Start, "enddatetime": nil, "lastmodifieddatetime": lastMod}
	if hasEnd {
		rec["enddatetime"] = end
	}
	if !full {
		return nil, rec
	}
	posts := make([]fakejson.Object, len(ups))
	for i, u := range ups {
		posts[i] = fakejson.Object{{Key: "createdDateTime", Value: u.At.UTC().Format(millis)}, {Key: "postType", Value: "regular"},
			{Key: "description", Value: fakejson.Object{{Key: "contentType", Value: "html"}, {Key: "content", Value: htmlText(u.Text)}}}}
	}
	details := make([]fakejson.Object, len(m.Details))
	for i, d := range m.Details {
		details[i] = fakejson.Object{{Key: "name", Value: d[0]}, {Key: "value", Value: d[1]}}
	}
	o := fakejson.Object{
		{Key: "startDateTime", Value: m.Start.UTC().Format(seconds)},
		{Key: "endDateTime", Value: timeOrNil(end, hasEnd, seconds)},
		{Key: "lastModifiedDateTime", Value: lastMod.UTC().Format(millis)},
		{Key: "title", Value: m.TitleAt(now)},
		{Key: "id", Value: m.ID},
		{Key: "impactDescription", Value: m.Impact},
		{Key: "classification", Value: strings.ToLower(m.Class)},
		{Key: "origin", Value: "microsoft"},
		{Key: "status", Value: status},
		{Key: "service", Value: service},
		{Key: "feature", Value: feature},
		{Key: "featureGroup", Value: feature},
		{Key: "isResolved", Value: resolved},
		{Key: "details", Value: details},
		{Key: "posts", Value: posts},
	}
	return o, rec
}

func messageData(m *healthstore.Message, now time.Time, full bool) (fakejson.Object, record) {
	ups := m.VisibleUpdates(now)
	p := m.Post
	var services []string
	if wl := healthstore.FindWorkload(m.Workload); wl != nil {
		services = append(services, wl.Name)
	}
	for _, id := range m.Affected {
		if a := healthstore.FindWorkload(id); a != nil && !slices.Contains(services, a.Name) {
			services = append(services, a.Name)
		}
	}
	if services == nil {
		services = []string{}
	}
	tags := slices.Clone(p.Tags)
	if len(ups) > 1 {
		tags = append(tags, "Updated message")
	}
	if tags == nil {
		tags = []string{}
	}
	details := []fakejson.Object{}
	for _, d := range [][2]string{{"ExternalLink", p.External}, {"BlogLink", p.Blog}, {"HelpLink", p.Help}} {
		if d[1] != "" {
			details = append(details, fakejson.Object{{Key: "name", Value: d[0]}, {Key: "value", Value: d[1]}})
		}
	}
	category := graphCategory[p.Category]
	if category == "" {
		category = "unknownFutureValue"
	}
	severity := strings.ToLower(m.Severity)
	lastMod := m.LastModified(now)
	rec := record{"id": m.ID, "title": m.TitleAt(now), "category": category, "severity": severity,
		"ismajorchange": p.Major, "hasattachments": false, "startdatetime": m.Start, "enddatetime": nil,
		"lastmodifieddatetime": lastMod, "actionrequiredbydatetime": nil, "services": services, "tags": tags}
	if !m.End.IsZero() {
		rec["enddatetime"] = m.End
	}
	if !p.ActionRequiredBy.IsZero() {
		rec["actionrequiredbydatetime"] = p.ActionRequiredBy
	}
	if !full {
		return nil, rec
	}
	o := fakejson.Object{
		{Key: "startDateTime", Value: m.Start.UTC().Format(seconds)},
		{Key: "endDateTime", Value: timeOrNil(m.End, true, seconds)},
		{Key: "lastModifiedDateTime", Value: lastMod.UTC().Format(millis)},
		{Key: "title", Value: m.TitleAt(now)},
		{Key: "id", Value: m.ID},
		{Key: "category", Value: category},
		{Key: "severity", Value: severity},
		{Key: "tags", Value: tags},
		{Key: "isMajorChange", Value: p.Major},
		{Key: "actionRequiredByDateTime", Value: timeOrNil(p.ActionRequiredBy, true, seconds)},
		{Key: "services", Value: services},
		{Key: "hasAttachments", Value: false},
		{Key: "viewPoint", Value: nil},
		{Key: "details", Value: details},
		{Key: "body", Value: fakejson.Object{{Key: "contentType", Value: "html"}, {Key: "content", Value: htmlText(ups[len(ups)-1].Text)}}},
	}
	return o, rec
}

func issueObject(m *healthstore.Message, now time.Time) fakejson.Object {
	o, _ := issueData(m, now, true)
	return o
}

func issueRecord(m *healthstore.Message, now time.Time) record {
	_, r := issueData(m, now, false)
	return r
}

func messageObject(m *healthstore.Message, now time.Time) fakejson.Object {
	o, _ := messageData(m, now, true)
	return o
}

func messageRecord(m *healthstore.Message, now time.Time) record {
	_, r := messageData(m, now, false)
	return r
}

func project(o fakejson.Object, sel []string) (fakejson.Object, error) {
	if len(sel) == 0 {
		return o, nil
	}
	return o.Project(sel)
}

// query is a parsed query string.
type query struct {
	filter       []cmp
	selects      []string
	top, skip    int
	hasTop       bool
	expandIssues bool
}

func parseQuery(raw string, props map[string]kind, health, single bool) (*query, error) {
	q := &query{}
	seen := map[string]bool{}
	params, err := odataq.Params(raw)
	if err != nil {
		return nil, err
	}
	for _, p := range params {
		key, val := p.Key, p.Value
		name := strings.ToLower(key)
		if !strings.HasPrefix(name, "$") {
			continue // Graph ignores parameters that are not query options
		}
		if seen[name] {
			return nil, fmt.Errorf("query option '%s' was specified more than once", key)
		}
		seen[name] = true
		switch {
		case name == "$filter" && !single:
			if q.filter, err = parseFilter(val, props); err != nil {
				return nil, fmt.Errorf("Invalid filter clause: %v", err)
			}
		case name == "$select":
			for _, s := range strings.Split(val, ",") {
				s = strings.TrimSpace(s)
				if _, ok := lookup(props, s); !ok && !(health && strings.EqualFold(s, "issues")) {
					return nil, fmt.Errorf("Could not find a property named '%s' on type 'microsoft.graph.serviceAnnouncementBase'.", s)
				}
				q.selects = append(q.selects, s)
			}
		case (name == "$top" || name == "$skip") && !single:
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("Invalid value '%s' for query option %s.", val, key)
			}
			if name == "$top" {
				q.top, q.hasTop = n, true
			} else {
				q.skip = n
			}
		case name == "$expand" && health:
			if !strings.EqualFold(strings.TrimSpace(val), "issues") {
				return nil, fmt.Errorf("Could not find a navigation property named '%s'.", val)
			}
			q.expandIssues = true
		default:
			return nil, fmt.Errorf("Query option '%s' is not allowed here.", key)
		}
	}
	return q, nil
}

// withSkip returns raw with $skip set to n.
func withSkip(raw string, n int) string {
	var parts []string
	for _, part := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(part, "=")
		if part == "" || strings.EqualFold(k, "$skip") || strings.EqualFold(k, "%24skip") {
			continue
		}
		parts = append(parts, part)
	}
	return strings.Join(append(parts, "$skip="+strconv.Itoa(n)), "&")
}

func preferMaxPageSize(h http.Header) int {
	for _, v := range h.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(k, "odata.maxpagesize") {
				if n, err := strconv.Atoi(strings.Trim(val, `"`)); err == nil && n > 0 {
					return n
				}
			}
		}
	}
	return 0
}

// requestBase is scheme://host of the request, for links.
func requestBase(r *http.Request) string {
	scheme := r.URL.Scheme
	if scheme == "" {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return scheme + "://" + host
}

// writeError writes a Graph error body with its innerError.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	grapherr.Write(w, r, time.Now(), grapherr.Generic, status, code, message)
}
