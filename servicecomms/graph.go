package servicecomms

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
)

// graphRoot is where the service communications API lives under the Graph
// root.
const graphRoot = "/admin/serviceAnnouncement"

// graphBackend speaks Microsoft Graph's service communications API.
type graphBackend struct {
	p   *transport.Pipeline
	now func() time.Time

	mu  sync.Mutex
	cat *serviceCatalog // the last healthOverviews seen
}

func newGraphBackend(p *transport.Pipeline, now func() time.Time) *graphBackend {
	return &graphBackend{p: p, now: now}
}

// serviceCatalog maps between workload ids and Graph's service display
// names, which issues and posts use as their only reference to a service.
type serviceCatalog struct {
	services []graphHealth
}

// id returns the workload id of a service display name, or the name itself
// when Graph did not list the service.
func (c *serviceCatalog) id(service string) string {
	for _, s := range c.services {
		if strings.EqualFold(s.Service, service) {
			return s.ID
		}
	}
	return service
}

// name returns the display name of a workload id.
func (c *serviceCatalog) name(id string) (string, bool) {
	for _, s := range c.services {
		if strings.EqualFold(s.ID, id) {
			return s.Service, true
		}
	}
	return "", false
}

// healthOverviews lists the services, with their issues when expand is set,
// and remembers the catalog.
func (b *graphBackend) healthOverviews(ctx context.Context, expand bool) ([]graphHealth, error) {
	req := transport.Request{Path: graphRoot + "/healthOverviews"}
	if expand {
		req.Query = "$expand=issues"
	}
	out, err := odata.Collection[graphHealth](ctx, b.p, req)
	if err != nil {
		return nil, err
	}
	cat := &serviceCatalog{services: make([]graphHealth, len(out))}
	for i, s := range out {
		cat.services[i] = graphHealth{ID: s.ID, Service: s.Service}
	}
	b.mu.Lock()
	b.cat = cat
	b.mu.Unlock()
	return out, nil
}

// catalog returns the remembered service catalog, fetching it first when
// there is none yet (or refresh is set).
func (b *graphBackend) catalog(ctx context.Context, refresh bool) (*serviceCatalog, error) {
	b.mu.Lock()
	cat := b.cat
	b.mu.Unlock()
	if cat != nil && !refresh {
		return cat, nil
	}
	if _, err := b.healthOverviews(ctx, false); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cat, nil
}

// serviceName returns the display name of workload, refreshing the catalog
// once when it does not know it.
func (b *graphBackend) serviceName(ctx context.Context, workload string) (string, bool, error) {
	for _, refresh := range []bool{false, true} {
		cat, err := b.catalog(ctx, refresh)
		if err != nil {
			return "", false, err
		}
		if name, ok := cat.name(workload); ok {
			return name, true, nil
		}
	}
	return "", false, nil
}

func (b *graphBackend) services(ctx context.Context) ([]Service, error) {
	hs, err := b.healthOverviews(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make([]Service, len(hs))
	for i, h := range hs {
		out[i] = Service{ID: h.ID, DisplayName: h.Service, Extra: keepExtra(nil, h.Extra)}
	}
	return out, nil
}

func (b *graphBackend) currentStatus(ctx context.Context, o StatusOptions) ([]WorkloadStatus, error) {
	hs, err := b.healthOverviews(ctx, true)
	if err != nil {
		return nil, err
	}
	cat := &serviceCatalog{services: hs}
	now := b.now().UTC()
	since := now.Add(-24 * time.Hour)
	var out []WorkloadStatus
	for _, h := range hs {
		if o.Workload != "" && !strings.EqualFold(o.Workload, h.ID) {
			continue
		}
		ws := WorkloadStatus{
			ID: h.ID, Workload: h.ID, WorkloadDisplayName: h.Service,
			Status: Status(fromGraph(vocabStatus, h.Status)), GraphStatus: h.Status,
			StatusTime: NewTime(since.Truncate(time.Second)), IncidentIDs: []string{},
			Extra: keepExtra(nil, h.Extra),
		}
		var recent []*Message
		for i := range h.Issues {
			is := &h.Issues[i]
			if !activeBetween(is, since, now) {
				continue
			}
			ws.IncidentIDs = append(ws.IncidentIDs, is.ID)
			recent = append(recent, is.message(cat))
		}
		ws.Features = featureStatuses(recent)
		project(&ws, o.Select)
		out = append(out, ws)
	}
	return out, nil
}

// activeBetween reports whether an issue overlaps [from, to): it started
// before to and is open, or ended (or, resolved without an end, last
// changed) at or after from.
func activeBetween(is *graphIssue, from, to time.Time) bool {
	if !is.StartDateTime.IsZero() && !is.StartDateTime.Before(to) {
		return false
	}
	end := time.Time{}
	if is.EndDateTime != nil {
		end = is.EndDateTime.Time
	}
	if end.IsZero() && is.IsResolved != nil && *is.IsResolved {
		end = is.LastModifiedDateTime.Time
	}
	return end.IsZero() || !end.Before(from)
}

// featureStatuses gives each feature named by the issues the worst status
// among them, in order of first appearance.
func featureStatuses(issues []*Message) []FeatureStatus {
	var out []FeatureStatus
	for _, m := range issues {
		name := cmpOr(m.FeatureGroup, m.Feature)
		if name == "" {
			continue
		}
		st := dayStatus(m)
		i := slices.IndexFunc(out, func(f FeatureStatus) bool { return f.Name == name })
		if i < 0 {
			out = append(out, FeatureStatus{Name: name, DisplayName: name, Status: st})
			continue
		}
		if worse(st, out[i].Status) {
			out[i].Status = st
		}
	}
	return out
}

// dayStatus is the status an issue contributes to a workload's status: its
// current one, with a published post-incident review counted as
// ServiceRestored (as the retired API did).
func dayStatus(m *Message) Status {
	s := m.Status.Canonical()
	if s == StatusPostIncidentReportPublished {
		return StatusServiceRestored
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// historicalStatus synthesizes one WorkloadStatus per workload and day
// (see "Historical status on Microsoft Graph" in the package
// documentation).
func (b *graphBackend) historicalStatus(ctx context.Context, o StatusOptions) ([]WorkloadStatus, error) {
	hs, err := b.healthOverviews(ctx, false)
	if err != nil {
		return nil, err
	}
	cat := &serviceCatalog{services: hs}
	var f filter
	if o.Workload != "" {
		name, ok := cat.name(o.Workload)
		if !ok {
			return nil, nil
		}
		f.eq("service", name)
	}
	q := office365.Query{Filter: f.String()}.Encode()
	var issues []*graphIssue
	for is, err := range odata.Items[*graphIssue](ctx, b.p, transport.Request{Path: graphRoot + "/issues", Query: q}) {
		if err != nil {
			return nil, err
		}
		if is != nil {
			issues = append(issues, is)
		}
	}
	now := b.now().UTC()
	lower := now.Add(-7 * 24 * time.Hour)
	if !o.StatusTime.IsZero() {
		lower = o.StatusTime.UTC()
	}
	today := now.Truncate(24 * time.Hour)
	var out []WorkloadStatus
	for _, h := range hs {
		if o.Workload != "" && !strings.EqualFold(o.Workload, h.ID) {
			continue
		}
		var mine []*graphIssue
		for _, is := range issues {
			if strings.EqualFold(is.Service, h.Service) {
				mine = append(mine, is)
			}
		}
		for day := today; !day.Before(lower); day = day.Add(-24 * time.Hour) {
			ws := WorkloadStatus{
				ID: h.ID, Workload: h.ID, WorkloadDisplayName: h.Service,
				Status: StatusServiceOperational, StatusTime: NewTime(day), IncidentIDs: []string{},
			}
			var active []*Message
			for _, is := range mine {
				if !activeBetween(is, day, day.Add(24*time.Hour)) {
					continue
				}
				m := is.message(cat)
				active = append(active, m)
				ws.IncidentIDs = append(ws.IncidentIDs, is.ID)
				if st := dayStatus(m); worse(st, ws.Status) {
					ws.Status = st
				}
			}
			ws.Features = featureStatuses(active)
			project(&ws, o.Select)
			out = append(out, ws)
		}
	}
	return out, nil
}

// graphSelect maps the public models' member names to Graph's, per
// collection. Names without a Graph counterpart are left out of $select
// (their fields stay zero).
var graphSelect = map[string]struct{ issues, messages []string }{
	"id":                           {[]string{"id"}, []string{"id"}},
	"name":                         {[]string{"id"}, []string{"id"}},
	"title":                        {[]string{"title"}, []string{"title"}},
	"classification":               {[]string{"classification"}, nil},
	"status":                       {[]string{"status"}, nil},
	"graphstatus":                  {[]string{"status"}, nil},
	"isresolved":                   {[]string{"isResolved"}, nil},
	"starttime":                    {[]string{"startDateTime"}, []string{"startDateTime"}},
	"endtime":                      {[]string{"endDateTime"}, []string{"endDateTime"}},
	"lastupdatedtime":              {[]string{"lastModifiedDateTime"}, []string{"lastModifiedDateTime"}},
	"workload":                     {[]string{"service"}, []string{"services"}},
	"workloaddisplayname":          {[]string{"service"}, []string{"services"}},
	"affectedworkloadnames":        {nil, []string{"services"}},
	"affectedworkloaddisplaynames": {nil, []string{"services"}},
	"services":                     {nil, []string{"services"}},
	"feature":                      {[]string{"feature"}, nil},
	"featuredisplayname":           {[]string{"feature"}, nil},
	"featuregroup":                 {[]string{"featureGroup"}, nil},
	"origin":                       {[]string{"origin"}, nil},
	"messages":                     {[]string{"posts"}, []string{"body", "lastModifiedDateTime"}},
	"impactdescription":            {[]string{"impactDescription"}, nil},
	"additionaldetails":            {[]string{"details"}, []string{"details"}},
	"bloglink":                     {nil, []string{"details"}},
	"externallink":                 {nil, []string{"details"}},
	"helplink":                     {nil, []string{"details"}},
	"severity":                     {nil, []string{"severity"}},
	"category":                     {nil, []string{"category"}},
	"ismajorchange":                {nil, []string{"isMajorChange"}},
	"actionrequiredbydate":         {nil, []string{"actionRequiredByDateTime"}},
	"messagetagnames":              {nil, []string{"tags"}},
	"hasattachments":               {nil, []string{"hasAttachments"}},
	"isread":                       {nil, []string{"viewPoint"}},
}

// graphSelectFor returns the $select of a collection for sel (nil: all).
func graphSelectFor(sel []string, issues bool) []string {
	if len(sel) == 0 {
		return nil
	}
	out := []string{"id"}
	for _, s := range sel {
		e := graphSelect[strings.ToLower(s)]
		names := e.messages
		if issues {
			names = e.issues
		}
		for _, n := range names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// errNoPlannedMaintenance rejects a MessageType Graph has no collection for.
var errNoPlannedMaintenance = errors.New("servicecomms: MessageType PlannedMaintenance has no Microsoft Graph counterpart " +
	"(Graph lists planned maintenance, if at all, among the issues: use MessageTypeIncident)")

func (b *graphBackend) messages(ctx context.Context, o MessageOptions, size int) iter.Seq2[*Message, error] {
	return func(yield func(*Message, error) bool) {
		issues, posts := true, true
		switch {
		case o.MessageType == "":
		case strings.EqualFold(string(o.MessageType), string(MessageTypeIncident)):
			posts = false
		case strings.EqualFold(string(o.MessageType), string(MessageTypeMessageCenter)):
			issues = false
		case strings.EqualFold(string(o.MessageType), string(MessageTypePlannedMaintenance)):
			yield(nil, errNoPlannedMaintenance)
			return
		default:
			yield(nil, fmt.Errorf("servicecomms: MessageType %q has no Microsoft Graph counterpart (want %s or %s)",
				o.MessageType, MessageTypeIncident, MessageTypeMessageCenter))
			return
		}
		cat, err := b.catalog(ctx, false)
		if err != nil {
			yield(nil, err)
			return
		}
		service := ""
		if o.Workload != "" {
			name, ok, err := b.serviceName(ctx, o.Workload)
			if err != nil {
				yield(nil, err)
				return
			}
			if !ok {
				return // no such workload: nothing matches
			}
			service = name
			cat, _ = b.catalog(ctx, false)
		}
		if issues {
			q := o.graphQuery(size, true, service)
			for is, err := range odata.Items[*graphIssue](ctx, b.p, transport.Request{Path: graphRoot + "/issues", Query: q}) {
				if err != nil {
					yield(nil, err)
					return
				}
				if is == nil {
					continue
				}
				m := is.message(cat)
				project(m, o.Select)
				if !yield(m, nil) {
					return
				}
			}
		}
		if posts {
			q := o.graphQuery(size, false, service)
			for gm, err := range odata.Items[*graphMessage](ctx, b.p, transport.Request{Path: graphRoot + "/messages", Query: q}) {
				if err != nil {
					yield(nil, err)
					return
				}
				if gm == nil {
					continue
				}
				m := gm.message(cat)
				project(m, o.Select)
				if !yield(m, nil) {
					return
				}
			}
		}
	}
}

// graphQuery is the query of /issues (issues) or /messages for o.
func (o MessageOptions) graphQuery(size int, issues bool, service string) string {
	var f filter
	if service != "" {
		if issues {
			f.eq("service", service)
		} else {
			f = append(f, "services/any(s:s eq "+office365.QuoteString(service)+")")
		}
	}
	if !o.StartTime.IsZero() {
		f.cmpTime("startDateTime", "ge", o.StartTime)
	}
	if !o.EndTime.IsZero() {
		f.cmpTime("endDateTime", "le", o.EndTime)
	}
	if o.ID != "" {
		f.eq("id", o.ID)
	}
	return odata.JoinQuery(office365.Query{Filter: f.String(), Select: graphSelectFor(o.Select, issues)}.Encode(),
		"$top="+strconv.Itoa(size))
}

func (b *graphBackend) message(ctx context.Context, id string) (*Message, error) {
	cat, err := b.catalog(ctx, false)
	if err != nil {
		return nil, err
	}
	issueFirst := !strings.HasPrefix(strings.ToUpper(id), "MC")
	var firstErr error
	for _, issue := range []bool{issueFirst, !issueFirst} {
		var m *Message
		if issue {
			var is graphIssue
			err = b.p.DoJSON(ctx, &transport.Request{Path: graphRoot + "/issues/" + transport.EscapeSegment(id)}, &is)
			m = is.message(cat)
		} else {
			var gm graphMessage
			err = b.p.DoJSON(ctx, &transport.Request{Path: graphRoot + "/messages/" + transport.EscapeSegment(id)}, &gm)
			m = gm.message(cat)
		}
		if err == nil {
			return m, nil
		}
		if office365.StatusCode(err) != http.StatusNotFound {
			return nil, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}
