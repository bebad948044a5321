package office365test

import (
	"net/http"
	"time"

	"github.com/office365-go/office365/office365test/internal/commsv1"
	"github.com/office365-go/office365/office365test/internal/graphhealth"
	"github.com/office365-go/office365/office365test/internal/healthstore"
)

// Tenant is a fake Microsoft 365 tenant's service health, served in two
// dialects from one state: the retired Office 365 Service Communications
// API (the four endpoints under /api/v1.0/{tenant}/ServiceComms/: Services,
// CurrentStatus, HistoricalStatus, Messages) and Microsoft Graph's
// /v1.0/admin/serviceAnnouncement/ (healthOverviews, issues, messages), over
// realistic data that evolves with time. An incident scripted with
// AddIncident, or opened as the clock moves, shows in both.
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
// # Microsoft Graph
//
// The same tenant answers GET /v1.0/admin/serviceAnnouncement/healthOverviews
// (with $expand=issues, and /healthOverviews/{service display name}),
// /issues, /issues/{id}, /messages and /messages/{id} in Graph's shapes:
// camelCase members, @odata.context, Graph enum values
// (postIncidentReviewPublished, stayInformed …), issue posts with HTML
// descriptions, Message Center bodies, details, Graph error bodies with
// innerError, and pages of 100 (or $top, or Prefer: odata.maxpagesize)
// linked by @odata.nextLink with $skip. $filter accepts comparisons joined
// by "and" on the entities' properties and services/any(s:s eq '…'); other
// filters get 400. Graph has no default window: every published issue and
// post is listed. Planned maintenance, which Graph documents no place for,
// is not; WithDocumentedShape, WithTenantNames and WithRetiredServiceComms
// concern the retired API only.
//
// The Server's fault injection applies to the tenant's routes like any
// other. A Tenant is safe for concurrent use.
type Tenant struct {
	store *healthstore.Store
	v1    *commsv1.Frontend
	graph *graphhealth.Frontend

	opts    healthstore.Options
	shape   TenantShape
	names   []string
	retired bool
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
func WithTenantSeed(seed uint64) TenantOption { return func(t *Tenant) { t.opts.Seed = seed } }

// WithTenantEpoch fixes the time the generated timeline is centred on
// (default: the clock's time when the data is first needed).
func WithTenantEpoch(epoch time.Time) TenantOption {
	return func(t *Tenant) { t.opts.Epoch = epoch.UTC() }
}

// WithTenantClock gives the tenant its own clock instead of the Server's.
func WithTenantClock(now func() time.Time) TenantOption {
	return func(t *Tenant) {
		if now != nil {
			t.opts.Clock = now
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
func WithoutGeneratedMessages() TenantOption {
	return func(t *Tenant) { t.opts.WithoutMessages = true }
}

// RetiredServiceCommsMessage is the text the retired service answered with.
const RetiredServiceCommsMessage = commsv1.RetiredMessage

// NewTenant returns a fake tenant. Mount it with Register (or serve it from
// any mux: it is an http.Handler for /api/v1.0/{tenant}/ServiceComms/… and
// /v1.0/admin/serviceAnnouncement/…).
func NewTenant(opts ...TenantOption) *Tenant {
	t := &Tenant{}
	for _, o := range opts {
		if o != nil {
			o(t)
		}
	}
	t.store = healthstore.New(t.opts)
	t.v1 = commsv1.New(t.store)
	t.v1.SetDocumentedShape(t.shape == TenantDocumentedShape)
	t.v1.SetRetired(t.retired)
	t.v1.AcceptTenants(t.names...)
	t.graph = graphhealth.New(t.store)
	return t
}

// Register mounts the tenant on s, for /api/v1.0/{tenant}/ServiceComms/…
// and /v1.0/admin/serviceAnnouncement/…, and, unless WithTenantClock was
// given, makes it follow s's clock. Other requests under /api/v1.0/ and
// /v1.0/ go to whichever other fake is mounted for them.
func (t *Tenant) Register(s *Server) {
	t.store.SetClock(s.Now)
	s.MountIf("/api/v1.0/", commsv1.Handles, t.v1)
	s.MountIf(graphhealth.Prefix, graphhealth.Handles, t.graph) // ahead of any other /v1.0/ fake
}

// ServeHTTP serves both dialects: /api/v1.0/{tenant}/ServiceComms/{operation}
// and /v1.0/admin/serviceAnnouncement/….
func (t *Tenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if graphhealth.Handles(r) {
		t.graph.ServeHTTP(w, r)
		return
	}
	t.v1.ServeHTTP(w, r)
}

// Now returns the tenant's current time: its clock plus what Advance added.
func (t *Tenant) Now() time.Time { return t.store.Now() }

// Advance moves the tenant's time forward by d: incidents open, change and
// resolve and posts appear as scripted for the new time.
func (t *Tenant) Advance(d time.Duration) { t.store.Advance(d) }

// Epoch returns the time the generated timeline is centred on.
func (t *Tenant) Epoch() time.Time { return t.store.Epoch() }

// SetRetired switches the retired-service answer of the Service
// Communications API on or off (Microsoft Graph keeps answering).
func (t *Tenant) SetRetired(retired bool) { t.v1.SetRetired(retired) }

// SetShape switches the Service Communications API between the live and
// the documented shapes.
func (t *Tenant) SetShape(shape TenantShape) { t.v1.SetDocumentedShape(shape == TenantDocumentedShape) }

// Workloads returns the ids of the tenant's workloads.
func (t *Tenant) Workloads() []string {
	out := make([]string, len(healthstore.Catalog))
	for i, w := range healthstore.Catalog {
		out[i] = w.ID
	}
	return out
}

// MessageIDs returns the ids of the messages the Service Communications
// Messages endpoint returns now without a filter (the default window),
// newest first.
func (t *Tenant) MessageIDs() []string { return t.v1.MessageIDs() }

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
	return t.store.AddIncident(healthstore.Incident{
		ID: inc.ID, Workload: inc.Workload, Feature: inc.Feature, Title: inc.Title,
		ImpactDescription: inc.ImpactDescription, Classification: inc.Classification, Severity: inc.Severity,
		MessageType: inc.MessageType, Start: inc.Start, End: inc.End, Updates: steps(inc.Updates),
	})
}

func steps(us []HealthUpdate) []healthstore.Step {
	out := make([]healthstore.Step, len(us))
	for i, u := range us {
		out[i] = healthstore.Step{At: u.At, Status: u.Status, Text: u.Text}
	}
	return out
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
	return t.store.AddPost(healthstore.NewPost{
		ID: p.ID, Title: p.Title, Text: p.Text, Workload: p.Workload, Category: p.Category, Severity: p.Severity,
		Published: p.Published, ActionRequiredBy: p.ActionRequiredBy, Updates: steps(p.Updates), Tags: p.Tags,
		MajorChange: p.MajorChange,
	})
}
