// Package commsv1 is the fake's front end for the retired Office 365 Service
// Communications API: /api/v1.0/{tenant}/ServiceComms/{Services,
// CurrentStatus, HistoricalStatus, Messages} over a healthstore.Store, in the
// live service's shapes or the API reference's.
package commsv1

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/office365-go/office365/office365test/internal/fakejson"
	"github.com/office365-go/office365/office365test/internal/healthstore"
)

// RetiredMessage is the text the retired service answered with.
const RetiredMessage = "Please use MSGraph to access this resource https://docs.microsoft.com/en-us/graph/api/resources/service-communications-api-overview?view=graph-rest-1.0&preserve-view=true"

// Frontend serves the Service Communications API over a store. It is safe
// for concurrent use.
type Frontend struct {
	store *healthstore.Store

	mu         sync.Mutex
	documented bool
	names      []string
	retired    bool
	window     time.Duration
}

// New returns a front end over store answering in the live shapes.
func New(store *healthstore.Store) *Frontend {
	return &Frontend{store: store, window: 7 * 24 * time.Hour}
}

// SetDocumentedShape switches between the API reference's shapes (true) and
// the live service's (false).
func (t *Frontend) SetDocumentedShape(documented bool) {
	t.mu.Lock()
	t.documented = documented
	t.mu.Unlock()
}

// SetRetired switches the retired-service answer on or off.
func (t *Frontend) SetRetired(retired bool) {
	t.mu.Lock()
	t.retired = retired
	t.mu.Unlock()
}

// AcceptTenants restricts the tenant identifiers accepted in the URL (none:
// any); others get 403.
func (t *Frontend) AcceptTenants(names ...string) {
	t.mu.Lock()
	t.names = append(t.names, names...)
	t.mu.Unlock()
}

// Handles reports whether r is a Service Communications request
// (/api/v1.0/{tenant}/ServiceComms/…).
func Handles(r *http.Request) bool {
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	return len(segs) >= 4 && strings.EqualFold(segs[0], "api") && strings.EqualFold(segs[3], "ServiceComms")
}

// MessageIDs returns the ids of the messages the Messages endpoint returns
// now without a filter (the default window), newest first.
func (t *Frontend) MessageIDs() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	snap := t.store.Snapshot()
	var ids []string
	for _, m := range t.messagesLocked(snap, nil, false) {
		ids = append(ids, m.ID)
	}
	return ids
}

// ServeHTTP serves /api/v1.0/{tenant}/ServiceComms/{operation}.
func (t *Frontend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(segs) != 5 || !strings.EqualFold(segs[0], "api") || !strings.EqualFold(segs[1], "v1.0") ||
		!strings.EqualFold(segs[3], "ServiceComms") {
		fakejson.WriteError(w, http.StatusNotFound, "ResourceNotFound", "No Service Communications resource at "+r.URL.Path+
			" (want /api/v1.0/{tenant}/ServiceComms/{Services|CurrentStatus|HistoricalStatus|Messages}).")
		return
	}
	tenant, err := url.PathUnescape(segs[2])
	if err != nil || tenant == "" {
		fakejson.WriteError(w, http.StatusBadRequest, "InvalidTenant", "Malformed tenant identifier in the URL.")
		return
	}
	op := strings.ToLower(segs[4])
	switch op {
	case "services", "currentstatus", "historicalstatus", "messages":
	default:
		fakejson.WriteError(w, http.StatusNotFound, "ResourceNotFound", "Unknown Service Communications operation "+segs[4]+".")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		fakejson.WriteError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The Service Communications API only supports GET.")
		return
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	w.Header().Set("X-Activity-Id", uuid.NewString())
	if len(t.names) > 0 && !slices.ContainsFunc(t.names, func(n string) bool { return strings.EqualFold(n, tenant) }) {
		fakejson.WriteError(w, http.StatusForbidden, "TenantMismatch",
			fmt.Sprintf("The tenant %q in the URL does not match the tenant of the access token.", tenant))
		return
	}
	if t.retired {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(RetiredMessage))
		return
	}
	snap := t.store.Snapshot()
	now := snap.Now

	var (
		allowed    []string
		filterable []string
	)
	switch op {
	case "services":
		allowed = []string{"$select"}
	case "currentstatus":
		allowed, filterable = []string{"$filter", "$select"}, []string{"Workload"}
	case "historicalstatus":
		allowed, filterable = []string{"$filter", "$select"}, []string{"Workload", "StatusTime"}
	case "messages":
		allowed, filterable = []string{"$filter", "$select", "$top", "$skip"}, []string{"Workload", "StartTime", "EndTime", "MessageType", "Id"}
	}
	q, err := scParseQuery(r.URL.RawQuery, allowed, filterable)
	if err != nil {
		var he *scHTTPError
		errors.As(err, &he)
		fakejson.WriteError(w, http.StatusBadRequest, he.code, he.msg)
		return
	}

	var objs []scObject
	switch op {
	case "services":
		objs = t.servicesLocked()
	case "currentstatus":
		objs = t.currentLocked(snap, q.filter)
	case "historicalstatus":
		objs = t.historicalLocked(snap, q.filter)
	case "messages":
		msgs := t.messagesLocked(snap, q.filter, q.hasFilter)
		top := 100
		if q.hasTop {
			top = min(q.top, 100)
		}
		start := min(q.skip, len(msgs))
		end := min(start+top, len(msgs))
		for _, m := range msgs[start:end] {
			objs = append(objs, t.messageObject(m, now))
		}
	}
	if len(q.selects) > 0 {
		for i, o := range objs {
			sel, err := o.Project(q.selects)
			if err != nil {
				fakejson.WriteError(w, http.StatusBadRequest, "InvalidSelect", err.Error())
				return
			}
			objs[i] = sel
		}
	}
	body := map[string]any{"value": objs}
	if objs == nil {
		body["value"] = []scObject{}
	}
	if accept := strings.ToLower(r.Header.Get("Accept")); strings.Contains(accept, "odata.metadata=minimal") ||
		strings.Contains(accept, "odata.metadata=full") {
		// The live service pointed the context at an internal host.
		body["@odata.context"] = "https://prod.servicecomms.internal.office.net/api/v1.0/" + url.PathEscape(tenant) +
			"/ServiceComms/$metadata#" + map[string]string{"services": "Services", "currentstatus": "CurrentStatus",
			"historicalstatus": "HistoricalStatus", "messages": "Messages"}[op]
	}
	fakejson.WriteJSON(w, http.StatusOK, body)
}

// JSON time formats of the service.
const (
	scSeconds = "2006-01-02T15:04:05Z07:00"
	scMillis  = "2006-01-02T15:04:05.999Z07:00"
	scTicks   = "2006-01-02T15:04:05.0000000Z07:00"
)

func scNullTime(t time.Time, ok bool, layout string) any {
	if !ok || t.IsZero() {
		return nil
	}
	return t.UTC().Format(layout)
}

func scNullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (t *Frontend) servicesLocked() []scObject {
	var out []scObject
	for _, w := range healthstore.Catalog {
		if t.documented {
			names := make([]string, len(w.Features))
			for i, f := range w.Features {
				names[i] = f.Display
			}
			out = append(out, scObject{{"Id", w.ID}, {"DisplayName", w.Name}, {"FeatureNames", names}})
			continue
		}
		feats := make([]scObject, len(w.Features))
		for i, f := range w.Features {
			feats[i] = scObject{{"DisplayName", f.Display}, {"Name", f.Name}}
		}
		out = append(out, scObject{{"Id", w.ID}, {"DisplayName", w.Name}, {"Features", feats}})
	}
	return out
}

func (t *Frontend) statusObject(w *healthstore.Workload, msgs []*healthstore.Message, from, to time.Time, statusTime time.Time, layout string) scObject {
	status, ids := healthstore.StatusOver(msgs, from, to)
	if ids == nil {
		ids = []string{}
	}
	var feats []scObject
	for _, f := range w.Features {
		var fm []*healthstore.Message
		for _, m := range msgs {
			if m.Feature == f.Name {
				fm = append(fm, m)
			}
		}
		fs, _ := healthstore.StatusOver(fm, from, to)
		if t.documented {
			feats = append(feats, scObject{{"Feature", f.Name}, {"FeatureGroupDisplayName", f.Display}, {"FeatureStatus", fs}})
		} else {
			feats = append(feats, scObject{{"FeatureDisplayName", f.Display}, {"FeatureName", f.Name},
				{"FeatureServiceStatus", fs}, {"FeatureServiceStatusDisplayName", healthstore.StatusDisplay[fs]}})
		}
	}
	st := statusTime.UTC().Format(layout)
	if t.documented {
		return scObject{{"Id", w.ID}, {"Workload", w.ID}, {"StatusDate", statusTime.UTC().Format(scSeconds)},
			{"WorkloadDisplayName", w.Name}, {"Status", status}, {"IncidentIds", ids}, {"FeatureGroupStatusCollection", feats}}
	}
	return scObject{{"FeatureStatus", feats}, {"Id", w.ID}, {"IncidentIds", ids}, {"Status", status},
		{"StatusDisplayName", healthstore.StatusDisplay[status]}, {"StatusTime", st}, {"Workload", w.ID}, {"WorkloadDisplayName", w.Name}}
}

func (t *Frontend) currentLocked(snap healthstore.Snapshot, filter []scCmp) []scObject {
	now := snap.Now
	var out []scObject
	from := now.Add(-24 * time.Hour)
	for i := range healthstore.Catalog {
		w := &healthstore.Catalog[i]
		if !scMatch(filter, map[string]any{"Workload": w.ID}) {
			continue
		}
		out = append(out, t.statusObject(w, snap.WorkloadMessages(w.ID), from, now, from.Truncate(100*time.Nanosecond), scTicks))
	}
	return out
}

func (t *Frontend) historicalLocked(snap healthstore.Snapshot, filter []scCmp) []scObject {
	now := snap.Now
	hasTime := slices.ContainsFunc(filter, func(c scCmp) bool { return c.field == "StatusTime" })
	lower := now.Add(-7 * 24 * time.Hour)
	if hasTime {
		lower = now.Add(-30 * 24 * time.Hour) // how far back the fake keeps history
	}
	today := now.Truncate(24 * time.Hour)
	var out []scObject
	for i := range healthstore.Catalog {
		w := &healthstore.Catalog[i]
		msgs := snap.WorkloadMessages(w.ID)
		for day := today; !day.Before(lower); day = day.Add(-24 * time.Hour) {
			if !scMatch(filter, map[string]any{"Workload": w.ID, "StatusTime": day}) {
				continue
			}
			to := day.Add(24 * time.Hour)
			if to.After(now) {
				to = now
			}
			out = append(out, t.statusObject(w, msgs, day, to, day, scSeconds))
		}
	}
	return out
}

// messagesLocked returns the messages visible at now that match filter,
// newest start first.
func (t *Frontend) messagesLocked(snap healthstore.Snapshot, filter []scCmp, hasFilter bool) []*healthstore.Message {
	now := snap.Now
	window := !slices.ContainsFunc(filter, func(c scCmp) bool { return c.field == "StartTime" || c.field == "Id" })
	var out []*healthstore.Message
	for _, m := range snap.Messages {
		if !m.Visible(now) {
			continue
		}
		if window && m.Start.Before(now.Add(-t.window)) {
			continue
		}
		if hasFilter {
			vals := map[string]any{"Workload": m.Workload, "Id": m.ID, "MessageType": m.Type, "StartTime": m.Start, "EndTime": nil}
			if m.Workload == "" {
				vals["Workload"] = nil
			}
			if end, ok := m.EndAt(now); ok {
				vals["EndTime"] = end
			}
			if !scMatch(filter, vals) {
				continue
			}
		}
		out = append(out, m)
	}
	healthstore.SortNewestFirst(out)
	return out
}

func (t *Frontend) messageObject(m *healthstore.Message, now time.Time) scObject {
	ups := m.VisibleUpdates(now)
	last := ups[len(ups)-1]
	entries := make([]scObject, len(ups))
	for i, u := range ups {
		entries[i] = scObject{{"MessageText", u.Text}, {"PublishedTime", u.At.UTC().Format(scMillis)}}
	}
	end, hasEnd := m.EndAt(now)
	status := healthstore.StatusDisplay[last.Status] // "" for posts
	var wl *healthstore.Workload
	if m.Workload != "" {
		wl = healthstore.FindWorkload(m.Workload)
	}
	wlID, wlName, featName := any(nil), any(nil), any(nil)
	var featID any
	if wl != nil {
		wlID, wlName = wl.ID, wl.Name
		if f := wl.Feature(m.Feature); f != nil && m.Post == nil {
			featID, featName = f.Name, f.Display
		}
	}
	title := m.TitleAt(now)
	if t.documented {
		return scObject{{"Id", m.ID}, {"Name", m.ID}, {"Title", nil}, {"StartTime", m.Start.UTC().Format(scSeconds)},
			{"EndTime", scNullTime(end, hasEnd, scSeconds)}, {"Status", status}, {"Messages", entries},
			{"LastUpdatedTime", last.Updated.UTC().Format(scMillis)}, {"Workload", wlID}, {"WorkloadDisplayName", wlName},
			{"Feature", featID}, {"FeatureDisplayName", featName}, {"MessageType", m.Type}}
	}
	affected, affectedNames := []string{}, []string{}
	for _, id := range m.Affected {
		if a := healthstore.FindWorkload(id); a != nil {
			affected, affectedNames = append(affected, a.ID), append(affectedNames, a.Name)
		}
	}
	details := make([]scObject, len(m.Details))
	for i, d := range m.Details {
		details[i] = scObject{{"Name", d[0]}, {"Value", d[1]}}
	}
	var users any
	if m.Users >= 0 {
		users = m.Users
	}
	var pir any
	if m.PIRURL != "" && m.StatusAt(now) == "PostIncidentReportPublished" {
		pir = m.PIRURL
	}
	o := scObject{
		{"AffectedWorkloadDisplayNames", affectedNames}, {"AffectedWorkloadNames", affected},
		{"Status", status}, {"Workload", wlID}, {"WorkloadDisplayName", wlName},
		{"ActionType", scNullString(m.ActionType)}, {"AdditionalDetails", details},
		{"AffectedTenantCount", m.Tenants}, {"AffectedUserCount", users}, {"Classification", m.Class},
		{"EndTime", scNullTime(end, hasEnd, scSeconds)}, {"Feature", featID}, {"FeatureDisplayName", featName},
		{"UserFunctionalImpact", m.UserImpact}, {"Id", m.ID}, {"ImpactDescription", m.Impact},
		{"LastUpdatedTime", last.Updated.UTC().Format(scMillis)}, {"MessageType", m.Type}, {"Messages", entries},
		{"PostIncidentDocumentUrl", pir}, {"Severity", m.Severity}, {"StartTime", m.Start.UTC().Format(scSeconds)},
		{"TenantParams", []any{}}, {"Title", title},
	}
	if p := m.Post; p != nil {
		tags := p.Tags
		if len(ups) > 1 {
			tags = append(slices.Clone(tags), "Updated message")
		}
		if tags == nil {
			tags = []string{}
		}
		o = append(o,
			scMember{"ActionRequiredByDate", scNullTime(p.ActionRequiredBy, true, scSeconds)},
			scMember{"AnnouncementId", p.AnnouncementID}, scMember{"AppliesTo", scNullString(p.AppliesTo)},
			scMember{"BlogLink", scNullString(p.Blog)}, scMember{"Category", p.Category},
			scMember{"ExternalLink", scNullString(p.External)}, scMember{"FeatureName", scNullString(p.FeatureName)},
			scMember{"FlightName", scNullString(p.Flight)}, scMember{"HelpLink", scNullString(p.Help)},
			scMember{"IsDismissed", false}, scMember{"IsMajorChange", p.Major}, scMember{"IsRead", false},
			scMember{"MessageTagNames", tags}, scMember{"Milestone", scNullString(p.Milestone)},
			scMember{"MilestoneDate", scNullTime(p.MilestoneDate, true, scSeconds)},
			scMember{"PreviewDuration", scNullString(p.Preview)},
		)
	}
	return o
}

// scObject is a JSON object that keeps its member order.
type scObject []scMember

type scMember struct {
	key   string
	value any
}

func (o scObject) ordered() fakejson.Object {
	out := make(fakejson.Object, len(o))
	for i, m := range o {
		out[i] = fakejson.Member{Key: m.key, Value: m.value}
	}
	return out
}

// MarshalJSON writes the members in order.
func (o scObject) MarshalJSON() ([]byte, error) { return o.ordered().MarshalJSON() }

// Project returns the members named in sel (case-insensitively).
func (o scObject) Project(sel []string) (scObject, error) {
	if _, err := o.ordered().Project(sel); err != nil {
		return nil, err
	}
	var out scObject
	for _, s := range sel {
		for _, m := range o {
			if strings.EqualFold(m.key, s) {
				out = append(out, m)
				break
			}
		}
	}
	return out, nil
}
