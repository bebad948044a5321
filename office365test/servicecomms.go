package office365test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Tenant is a fake Office 365 Service Communications tenant: the four
// endpoints under /api/v1.0/{tenant}/ServiceComms/ (Services, CurrentStatus,
// HistoricalStatus, Messages) over realistic data that evolves with time.
//
//	srv := office365test.NewServer()
//	defer srv.Close()
//	tenant := office365test.NewTenant()
//	tenant.Register(srv)
//	client, _ := servicecomms.New("contoso.com", auth.StaticToken("t"), office365.WithBaseURL(srv.URL()))
//
// # Data
//
// Fourteen workloads with their features, and a deterministic timeline
// (WithTenantSeed) around the tenant's epoch: about 170 incidents and
// advisories over the nine days before it (most resolved, some with
// post-incident reports), six incidents open at the epoch (Investigating,
// ServiceDegradation, ServiceInterruption, RestoringService,
// ExtendedRecovery, InvestigationSuspended), planned maintenance, about 50
// Message Center posts with the live service's extra fields, and for three
// days after the epoch a new incident every 15–45 minutes, a new post every
// one to two and a half hours, updates, resolutions and post updates. More
// than 150 messages fall in the default seven-day window, so paging is
// exercised. Workload and feature statuses are derived from the incidents,
// as the service derives them.
//
// # Clock
//
// The data is a function of the tenant's clock: the Server's clock once
// registered (see Server.SetClock), otherwise time.Now, or WithTenantClock;
// plus whatever Advance added. The epoch is the clock's time (to the second)
// when the data is first needed, unless WithTenantEpoch fixes it. Advance
// moves the tenant forward so incidents open, change and resolve; messages
// become visible as their updates are published.
//
// # Wire behaviour
//
// Responses use the live service's shapes by default (Features objects,
// StatusTime with seven fractional digits, StatusDisplayName, FeatureStatus,
// the extra Message members); WithDocumentedShape switches to the API
// reference's shapes (FeatureNames, StatusDate, FeatureGroupStatusCollection,
// a short Message). $filter, $select, $top and $skip are implemented; see
// the filter rules on Messages below. $top above 100 is capped at 100, as
// the reference documents (default and maximum 100). Messages are ordered
// by StartTime, newest first; without a StartTime or Id comparison only
// messages that started in the last seven days are returned (the service's
// default window). Unknown tenants are accepted unless WithTenantNames
// restricts them (others get 403). WithRetiredServiceComms (or SetRetired)
// answers every call as the retired service did: HTTP 500 with a text body
// "Please use MSGraph to access this resource …".
//
// Filters: the fake parses exactly what the service understands —
// comparisons joined by "and" on Workload and Id (quoted strings, compared
// case-insensitively), StatusTime, StartTime and EndTime (unquoted
// DateTimeOffset literals; a null EndTime matches nothing) and MessageType
// (only as the enum literal
// Microsoft.Office365ServiceComms.ExposedContracts.MessageType'MessageCenter').
// The real service silently ignored a filter it could not parse, and any
// unknown query option, and returned unfiltered data; the fake answers 400
// so client bugs surface.
//
// The Server's fault injection applies to the tenant's routes like any
// other. A Tenant is safe for concurrent use.
type Tenant struct {
	mu         sync.Mutex
	seed       uint64
	clock      func() time.Time
	clockFixed bool
	offset     time.Duration
	epoch      time.Time
	epochFixed bool
	shape      TenantShape
	names      []string
	retired    bool
	messages   bool
	window     time.Duration
	data       *scData
}

// TenantShape selects the JSON shapes a Tenant answers with.
type TenantShape int

const (
	// TenantLiveShape is what the live service sent (the default).
	TenantLiveShape TenantShape = iota
	// TenantDocumentedShape is what the API reference documents.
	TenantDocumentedShape
)

// TenantOption configures a Tenant.
type TenantOption func(*Tenant)

// WithTenantSeed changes the seed of the generated timeline (default 1).
func WithTenantSeed(seed uint64) TenantOption { return func(t *Tenant) { t.seed = seed } }

// WithTenantEpoch fixes the time the generated timeline is centred on
// (default: the clock's time when the data is first needed).
func WithTenantEpoch(epoch time.Time) TenantOption {
	return func(t *Tenant) { t.epoch, t.epochFixed = epoch.UTC(), true }
}

// WithTenantClock gives the tenant its own clock instead of the Server's.
func WithTenantClock(now func() time.Time) TenantOption {
	return func(t *Tenant) {
		if now != nil {
			t.clock, t.clockFixed = now, true
		}
	}
}

// WithDocumentedShape answers with the API reference's shapes instead of
// the live service's.
func WithDocumentedShape() TenantOption { return func(t *Tenant) { t.shape = TenantDocumentedShape } }

// WithTenantNames accepts only the given tenant identifiers (domains or
// ids, compared case-insensitively); other tenants get 403.
func WithTenantNames(names ...string) TenantOption {
	return func(t *Tenant) { t.names = append(t.names, names...) }
}

// WithRetiredServiceComms makes the tenant answer like the retired service:
// HTTP 500 with "Please use MSGraph to access this resource …".
func WithRetiredServiceComms() TenantOption { return func(t *Tenant) { t.retired = true } }

// WithoutGeneratedMessages starts the tenant with its workloads but no
// messages (every workload operational), for tests that script their own
// with AddIncident and AddMessageCenterPost.
func WithoutGeneratedMessages() TenantOption { return func(t *Tenant) { t.messages = false } }

// RetiredServiceCommsMessage is the text the retired service answered with.
const RetiredServiceCommsMessage = "Please use MSGraph to access this resource https://docs.microsoft.com/en-us/graph/api/resources/service-communications-api-overview?view=graph-rest-1.0&preserve-view=true"

// NewTenant returns a fake tenant. Mount it with Register (or serve it from
// any mux: it is an http.Handler for paths /api/v1.0/{tenant}/ServiceComms/…).
func NewTenant(opts ...TenantOption) *Tenant {
	t := &Tenant{seed: 1, clock: time.Now, messages: true, window: 7 * 24 * time.Hour}
	for _, o := range opts {
		if o != nil {
			o(t)
		}
	}
	return t
}

// Register mounts the tenant on s for /api/v1.0/{tenant}/ServiceComms/…
// and, unless WithTenantClock was given, makes it follow s's clock. Other
// requests under /api/v1.0/ (such as Outlook REST v1.0 calls) go to
// whichever other fake is mounted for them.
func (t *Tenant) Register(s *Server) {
	t.mu.Lock()
	if !t.clockFixed {
		t.clock = s.Now
	}
	t.mu.Unlock()
	s.MountIf("/api/v1.0/", func(r *http.Request) bool {
		segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
		return len(segs) >= 4 && strings.EqualFold(segs[3], "ServiceComms")
	}, t)
}

// Now returns the tenant's current time: its clock plus what Advance added.
func (t *Tenant) Now() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.nowLocked()
}

func (t *Tenant) nowLocked() time.Time { return t.clock().Add(t.offset).UTC() }

// Advance moves the tenant's time forward by d: incidents open, change and
// resolve and posts appear as scripted for the new time.
func (t *Tenant) Advance(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ensureLocked()
	t.offset += d
}

// Epoch returns the time the generated timeline is centred on.
func (t *Tenant) Epoch() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ensureLocked()
	return t.epoch
}

// SetRetired switches the retired-service answer on or off.
func (t *Tenant) SetRetired(retired bool) {
	t.mu.Lock()
	t.retired = retired
	t.mu.Unlock()
}

// SetShape switches between the live and the documented shapes.
func (t *Tenant) SetShape(shape TenantShape) {
	t.mu.Lock()
	t.shape = shape
	t.mu.Unlock()
}

// Workloads returns the ids of the tenant's workloads.
func (t *Tenant) Workloads() []string {
	out := make([]string, len(scCatalog))
	for i, w := range scCatalog {
		out[i] = w.ID
	}
	return out
}

// MessageIDs returns the ids of the messages the Messages endpoint returns
// now without a filter (the default window), newest first.
func (t *Tenant) MessageIDs() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.ensureLocked()
	var ids []string
	for _, m := range t.messagesLocked(now, nil, false) {
		ids = append(ids, m.id)
	}
	return ids
}

func (t *Tenant) ensureLocked() time.Time {
	now := t.nowLocked()
	if t.data == nil {
		if !t.epochFixed {
			t.epoch = now.Truncate(time.Second)
		}
		t.data = scGenerate(t.seed, t.epoch, t.messages)
	}
	return now
}

// HealthIncident scripts an incident (or advisory, or planned maintenance)
// for AddIncident. Times are absolute; compare with Tenant.Now.
type HealthIncident struct {
	// ID is the message id, e.g. "EX123456" (required, unique).
	ID string
	// Workload and Feature name a workload of the tenant and one of its
	// features (Feature defaults to the first).
	Workload, Feature string
	// Title and ImpactDescription describe the issue.
	Title, ImpactDescription string
	// Classification defaults to "Incident"; Severity to "Sev2";
	// MessageType to "Incident" (or "PlannedMaintenance").
	Classification, Severity, MessageType string
	// Start is when the issue began (default: the first update's time).
	Start time.Time
	// Updates are the published updates, oldest first (at least one).
	// Status is an enum name such as "ServiceDegradation"; a resolving
	// status (ServiceRestored, FalsePositive) ends the incident.
	Updates []HealthUpdate
	// End is when the impact ended (default: the resolving update's time).
	End time.Time
}

// HealthUpdate is one published update of a scripted message.
type HealthUpdate struct {
	At     time.Time
	Status string
	Text   string
}

// AddIncident adds a scripted incident. It appears once its first update's
// time has come.
func (t *Tenant) AddIncident(inc HealthIncident) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ensureLocked()
	if inc.ID == "" || t.data.byID[strings.ToLower(inc.ID)] != nil {
		return fmt.Errorf("office365test: AddIncident: missing or duplicate id %q", inc.ID)
	}
	w := scFindWorkload(inc.Workload)
	if w == nil {
		return fmt.Errorf("office365test: AddIncident: unknown workload %q", inc.Workload)
	}
	f := &w.Features[0]
	if inc.Feature != "" {
		if f = w.feature(inc.Feature); f == nil {
			return fmt.Errorf("office365test: AddIncident: workload %s has no feature %q", w.ID, inc.Feature)
		}
	}
	if len(inc.Updates) == 0 {
		return errors.New("office365test: AddIncident: at least one update is required")
	}
	typ := cmpOr(inc.MessageType, "Incident")
	if typ != "Incident" && typ != "PlannedMaintenance" {
		return fmt.Errorf("office365test: AddIncident: MessageType %q (want Incident or PlannedMaintenance)", typ)
	}
	m := &scMessage{
		id: inc.ID, typ: typ, workload: w.ID, feature: f.Name,
		title:    cmpOr(inc.Title, "Users may be unable to use "+f.Display),
		impact:   cmpOr(inc.ImpactDescription, "Users may be unable to use "+f.Display+"."),
		class:    cmpOr(inc.Classification, "Incident"),
		severity: cmpOr(inc.Severity, "Sev2"),
		start:    inc.Start.UTC(), end: inc.End.UTC(), users: -1,
		details: [][2]string{{"NotifyInApp", "True"}},
	}
	for i, u := range inc.Updates {
		if _, ok := scStatusDisplay[u.Status]; !ok {
			return fmt.Errorf("office365test: AddIncident: unknown status %q", u.Status)
		}
		if i > 0 && u.At.Before(inc.Updates[i-1].At) {
			return errors.New("office365test: AddIncident: updates must be in time order")
		}
		text := u.Text
		if text == "" {
			text = fmt.Sprintf("Title: %s\n\nUser Impact: %s\n\nCurrent status: %s", m.title, m.impact, scStatusDisplay[u.Status])
		}
		m.updates = append(m.updates, scUpdate{at: u.At.UTC(), updated: u.At.UTC(), status: u.Status, text: text})
	}
	if m.start.IsZero() {
		m.start = m.updates[0].at
	}
	t.data.add(m)
	return nil
}

// MessageCenterPost scripts a Message Center post for AddMessageCenterPost.
type MessageCenterPost struct {
	// ID is the post id, e.g. "MC123456" (required, unique).
	ID string
	// Title and Text are the post's title and body.
	Title, Text string
	// Workload is the workload id the post is about ("" for none).
	Workload string
	// Category defaults to "Stay Informed"; Severity to "Normal".
	Category, Severity string
	// Published is when the post appears.
	Published time.Time
	// Updates are later revisions (their Status is ignored). Each adds a
	// Messages entry and marks the title "(Updated)".
	Updates []HealthUpdate
	// Tags are the MessageTagNames.
	Tags []string
	// ActionRequiredBy is the action deadline, if any.
	ActionRequiredBy time.Time
	// MajorChange sets IsMajorChange.
	MajorChange bool
}

// AddMessageCenterPost adds a scripted Message Center post.
func (t *Tenant) AddMessageCenterPost(p MessageCenterPost) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ensureLocked()
	if p.ID == "" || t.data.byID[strings.ToLower(p.ID)] != nil {
		return fmt.Errorf("office365test: AddMessageCenterPost: missing or duplicate id %q", p.ID)
	}
	if p.Workload != "" && scFindWorkload(p.Workload) == nil {
		return fmt.Errorf("office365test: AddMessageCenterPost: unknown workload %q", p.Workload)
	}
	if p.Published.IsZero() {
		return errors.New("office365test: AddMessageCenterPost: Published is required")
	}
	m := &scMessage{
		id: p.ID, typ: "MessageCenter", workload: p.Workload, title: cmpOr(p.Title, "Message Center post "+p.ID),
		class: "Advisory", severity: cmpOr(p.Severity, "Normal"), start: p.Published.UTC(),
		end: p.Published.UTC().Add(60 * 24 * time.Hour), users: -1,
		post: &scPost{category: cmpOr(p.Category, "Stay Informed"), tags: slices.Clone(p.Tags), major: p.MajorChange,
			actionRequiredBy: p.ActionRequiredBy.UTC()},
	}
	m.updates = []scUpdate{{at: p.Published.UTC(), updated: p.Published.UTC(), text: cmpOr(p.Text, m.title)}}
	for _, u := range p.Updates {
		if u.At.Before(m.updates[len(m.updates)-1].at) {
			return errors.New("office365test: AddMessageCenterPost: updates must be in time order")
		}
		m.updates = append(m.updates, scUpdate{at: u.At.UTC(), updated: u.At.UTC(), text: cmpOr(u.Text, m.title)})
	}
	t.data.add(m)
	return nil
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// ServeHTTP serves /api/v1.0/{tenant}/ServiceComms/{operation}.
func (t *Tenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(segs) != 5 || !strings.EqualFold(segs[0], "api") || !strings.EqualFold(segs[1], "v1.0") ||
		!strings.EqualFold(segs[3], "ServiceComms") {
		WriteError(w, http.StatusNotFound, "ResourceNotFound", "No Service Communications resource at "+r.URL.Path+
			" (want /api/v1.0/{tenant}/ServiceComms/{Services|CurrentStatus|HistoricalStatus|Messages}).")
		return
	}
	tenant, err := url.PathUnescape(segs[2])
	if err != nil || tenant == "" {
		WriteError(w, http.StatusBadRequest, "InvalidTenant", "Malformed tenant identifier in the URL.")
		return
	}
	op := strings.ToLower(segs[4])
	switch op {
	case "services", "currentstatus", "historicalstatus", "messages":
	default:
		WriteError(w, http.StatusNotFound, "ResourceNotFound", "Unknown Service Communications operation "+segs[4]+".")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		WriteError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The Service Communications API only supports GET.")
		return
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	w.Header().Set("X-Activity-Id", uuid.NewString())
	if len(t.names) > 0 && !slices.ContainsFunc(t.names, func(n string) bool { return strings.EqualFold(n, tenant) }) {
		WriteError(w, http.StatusForbidden, "TenantMismatch",
			fmt.Sprintf("The tenant %q in the URL does not match the tenant of the access token.", tenant))
		return
	}
	if t.retired {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(RetiredServiceCommsMessage))
		return
	}
	now := t.ensureLocked()

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
		WriteError(w, http.StatusBadRequest, he.code, he.msg)
		return
	}

	var objs []scObject
	switch op {
	case "services":
		objs = t.servicesLocked()
	case "currentstatus":
		objs = t.currentLocked(now, q.filter)
	case "historicalstatus":
		objs = t.historicalLocked(now, q.filter)
	case "messages":
		msgs := t.messagesLocked(now, q.filter, q.hasFilter)
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
			sel, err := o.project(q.selects)
			if err != nil {
				WriteError(w, http.StatusBadRequest, "InvalidSelect", err.Error())
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
	WriteJSON(w, http.StatusOK, body)
}

// scObject is a JSON object that keeps its member order.
type scObject []scMember

type scMember struct {
	key   string
	value any
}

// MarshalJSON writes the members in order.
func (o scObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o scObject) project(sel []string) (scObject, error) {
	var out scObject
	for _, s := range sel {
		i := slices.IndexFunc(o, func(m scMember) bool { return strings.EqualFold(m.key, s) })
		if i < 0 {
			return nil, fmt.Errorf("could not find a property named %q in $select", s)
		}
		out = append(out, o[i])
	}
	return out, nil
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

func (t *Tenant) servicesLocked() []scObject {
	var out []scObject
	for _, w := range scCatalog {
		if t.shape == TenantDocumentedShape {
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

// scStatusOver computes a workload (or feature) status over a period from
// the incidents touching it: the worst status of those open at the end of
// the period, ServiceRestored (or FalsePositive) for those resolved during
// it, ServiceOperational otherwise.
func scStatusOver(msgs []*scMessage, from, to time.Time) (string, []string) {
	status, ids := "ServiceOperational", []string(nil)
	for _, m := range msgs {
		if m.typ != "Incident" || !m.visible(to) || !m.start.Before(to) {
			continue
		}
		s := m.statusAt(to)
		if at, rs, ok := m.resolvedAt(to); ok {
			if at.Before(from) {
				continue
			}
			s = rs
			if rs == "PostIncidentReportPublished" {
				s = "ServiceRestored"
			}
		}
		ids = append(ids, m.id)
		if scStatusRank[s] > scStatusRank[status] {
			status = s
		}
	}
	return status, ids
}

func (t *Tenant) workloadMessages(id string) []*scMessage {
	var out []*scMessage
	for _, m := range t.data.messages {
		if m.workload == id {
			out = append(out, m)
		}
	}
	return out
}

func (t *Tenant) statusObject(w *scWorkload, msgs []*scMessage, from, to time.Time, statusTime time.Time, layout string) scObject {
	status, ids := scStatusOver(msgs, from, to)
	if ids == nil {
		ids = []string{}
	}
	var feats []scObject
	for _, f := range w.Features {
		var fm []*scMessage
		for _, m := range msgs {
			if m.feature == f.Name {
				fm = append(fm, m)
			}
		}
		fs, _ := scStatusOver(fm, from, to)
		if t.shape == TenantDocumentedShape {
			feats = append(feats, scObject{{"Feature", f.Name}, {"FeatureGroupDisplayName", f.Display}, {"FeatureStatus", fs}})
		} else {
			feats = append(feats, scObject{{"FeatureDisplayName", f.Display}, {"FeatureName", f.Name},
				{"FeatureServiceStatus", fs}, {"FeatureServiceStatusDisplayName", scStatusDisplay[fs]}})
		}
	}
	st := statusTime.UTC().Format(layout)
	if t.shape == TenantDocumentedShape {
		return scObject{{"Id", w.ID}, {"Workload", w.ID}, {"StatusDate", statusTime.UTC().Format(scSeconds)},
			{"WorkloadDisplayName", w.Name}, {"Status", status}, {"IncidentIds", ids}, {"FeatureGroupStatusCollection", feats}}
	}
	return scObject{{"FeatureStatus", feats}, {"Id", w.ID}, {"IncidentIds", ids}, {"Status", status},
		{"StatusDisplayName", scStatusDisplay[status]}, {"StatusTime", st}, {"Workload", w.ID}, {"WorkloadDisplayName", w.Name}}
}

func (t *Tenant) currentLocked(now time.Time, filter []scCmp) []scObject {
	var out []scObject
	from := now.Add(-24 * time.Hour)
	for i := range scCatalog {
		w := &scCatalog[i]
		if !scMatch(filter, map[string]any{"Workload": w.ID}) {
			continue
		}
		out = append(out, t.statusObject(w, t.workloadMessages(w.ID), from, now, from.Truncate(100*time.Nanosecond), scTicks))
	}
	return out
}

func (t *Tenant) historicalLocked(now time.Time, filter []scCmp) []scObject {
	hasTime := slices.ContainsFunc(filter, func(c scCmp) bool { return c.field == "StatusTime" })
	lower := now.Add(-7 * 24 * time.Hour)
	if hasTime {
		lower = now.Add(-30 * 24 * time.Hour) // how far back the fake keeps history
	}
	today := now.Truncate(24 * time.Hour)
	var out []scObject
	for i := range scCatalog {
		w := &scCatalog[i]
		msgs := t.workloadMessages(w.ID)
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
func (t *Tenant) messagesLocked(now time.Time, filter []scCmp, hasFilter bool) []*scMessage {
	window := !slices.ContainsFunc(filter, func(c scCmp) bool { return c.field == "StartTime" || c.field == "Id" })
	var out []*scMessage
	for _, m := range t.data.messages {
		if !m.visible(now) {
			continue
		}
		if window && m.start.Before(now.Add(-t.window)) {
			continue
		}
		if hasFilter {
			vals := map[string]any{"Workload": m.workload, "Id": m.id, "MessageType": m.typ, "StartTime": m.start, "EndTime": nil}
			if m.workload == "" {
				vals["Workload"] = nil
			}
			if end, ok := m.endAt(now); ok {
				vals["EndTime"] = end
			}
			if !scMatch(filter, vals) {
				continue
			}
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b *scMessage) int {
		if c := b.start.Compare(a.start); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

func (t *Tenant) messageObject(m *scMessage, now time.Time) scObject {
	ups := m.visibleUpdates(now)
	last := ups[len(ups)-1]
	entries := make([]scObject, len(ups))
	for i, u := range ups {
		entries[i] = scObject{{"MessageText", u.text}, {"PublishedTime", u.at.UTC().Format(scMillis)}}
	}
	end, hasEnd := m.endAt(now)
	status := scStatusDisplay[last.status] // "" for posts
	var wl *scWorkload
	if m.workload != "" {
		wl = scFindWorkload(m.workload)
	}
	wlID, wlName, featName := any(nil), any(nil), any(nil)
	var featID any
	if wl != nil {
		wlID, wlName = wl.ID, wl.Name
		if f := wl.feature(m.feature); f != nil && m.post == nil {
			featID, featName = f.Name, f.Display
		}
	}
	title := m.titleAt(now)
	if t.shape == TenantDocumentedShape {
		return scObject{{"Id", m.id}, {"Name", m.id}, {"Title", nil}, {"StartTime", m.start.UTC().Format(scSeconds)},
			{"EndTime", scNullTime(end, hasEnd, scSeconds)}, {"Status", status}, {"Messages", entries},
			{"LastUpdatedTime", last.updated.UTC().Format(scMillis)}, {"Workload", wlID}, {"WorkloadDisplayName", wlName},
			{"Feature", featID}, {"FeatureDisplayName", featName}, {"MessageType", m.typ}}
	}
	affected, affectedNames := []string{}, []string{}
	for _, id := range m.affected {
		if a := scFindWorkload(id); a != nil {
			affected, affectedNames = append(affected, a.ID), append(affectedNames, a.Name)
		}
	}
	details := make([]scObject, len(m.details))
	for i, d := range m.details {
		details[i] = scObject{{"Name", d[0]}, {"Value", d[1]}}
	}
	var users any
	if m.users >= 0 {
		users = m.users
	}
	var pir any
	if m.pirURL != "" && m.statusAt(now) == "PostIncidentReportPublished" {
		pir = m.pirURL
	}
	o := scObject{
		{"AffectedWorkloadDisplayNames", affectedNames}, {"AffectedWorkloadNames", affected},
		{"Status", status}, {"Workload", wlID}, {"WorkloadDisplayName", wlName},
		{"ActionType", scNullString(m.actionType)}, {"AdditionalDetails", details},
		{"AffectedTenantCount", m.tenants}, {"AffectedUserCount", users}, {"Classification", m.class},
		{"EndTime", scNullTime(end, hasEnd, scSeconds)}, {"Feature", featID}, {"FeatureDisplayName", featName},
		{"UserFunctionalImpact", m.userImpact}, {"Id", m.id}, {"ImpactDescription", m.impact},
		{"LastUpdatedTime", last.updated.UTC().Format(scMillis)}, {"MessageType", m.typ}, {"Messages", entries},
		{"PostIncidentDocumentUrl", pir}, {"Severity", m.severity}, {"StartTime", m.start.UTC().Format(scSeconds)},
		{"TenantParams", []any{}}, {"Title", title},
	}
	if p := m.post; p != nil {
		tags := p.tags
		if len(ups) > 1 {
			tags = append(slices.Clone(tags), "Updated message")
		}
		if tags == nil {
			tags = []string{}
		}
		o = append(o,
			scMember{"ActionRequiredByDate", scNullTime(p.actionRequiredBy, true, scSeconds)},
			scMember{"AnnouncementId", p.announcementID}, scMember{"AppliesTo", scNullString(p.appliesTo)},
			scMember{"BlogLink", scNullString(p.blog)}, scMember{"Category", p.category},
			scMember{"ExternalLink", scNullString(p.external)}, scMember{"FeatureName", scNullString(p.featureName)},
			scMember{"FlightName", scNullString(p.flight)}, scMember{"HelpLink", scNullString(p.help)},
			scMember{"IsDismissed", false}, scMember{"IsMajorChange", p.major}, scMember{"IsRead", false},
			scMember{"MessageTagNames", tags}, scMember{"Milestone", scNullString(p.milestone)},
			scMember{"MilestoneDate", scNullTime(p.milestoneDate, true, scSeconds)},
			scMember{"PreviewDuration", scNullString(p.preview)},
		)
	}
	return o
}
