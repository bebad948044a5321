package servicecomms_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/servicecomms"
)

// Wire tests of the Microsoft Graph dialect: the exact requests, and
// decoding of payloads shaped like real Graph responses
// (testdata/servicecomms/graph-*.json) with nothing lost.

const graphRoot = "https://graph.microsoft.com/v1.0"

// graphRecorder answers Graph requests from fixtures by path and records
// what it was sent.
type graphRecorder struct {
	mu       sync.Mutex
	requests []*http.Request
	routes   map[string]func(r *http.Request) (int, []byte)
}

func (g *graphRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	g.requests = append(g.requests, r)
	route := g.routes[r.URL.Path]
	g.mu.Unlock()
	status, body := http.StatusNotFound, []byte(`{"error":{"code":"BadRequest","message":"Resource not found for the segment."}}`)
	if route != nil {
		status, body = route(r)
	}
	resp := httpmock.NewBytesResponse(status, body)
	resp.Header.Set("Content-Type", "application/json;odata.metadata=minimal")
	resp.Request = r
	return resp, nil
}

// sent returns "path?query" of every request.
func (g *graphRecorder) sent() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, r := range g.requests {
		s := r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			s += "?" + r.URL.RawQuery
		}
		out = append(out, strings.TrimPrefix(s, "/v1.0/admin/serviceAnnouncement"))
	}
	return out
}

func (g *graphRecorder) reset() {
	g.mu.Lock()
	g.requests = nil
	g.mu.Unlock()
}

func serve(body []byte) func(*http.Request) (int, []byte) {
	return func(*http.Request) (int, []byte) { return http.StatusOK, body }
}

// graphMock returns a Graph client whose requests go to a recorder serving
// the fixtures.
func graphMock(t *testing.T, opts ...office365.Option) (*servicecomms.Client, *graphRecorder) {
	t.Helper()
	issues := fixture(t, "graph-issues.json")
	var page map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(issues, &page))
	delete(page, "@odata.nextLink")
	onePage, err := json.Marshal(page)
	require.NoError(t, err)
	g := &graphRecorder{routes: map[string]func(*http.Request) (int, []byte){
		"/v1.0/admin/serviceAnnouncement/healthOverviews": func(r *http.Request) (int, []byte) {
			if r.URL.Query().Get("$expand") == "issues" {
				return http.StatusOK, fixture(t, "graph-healthoverviews-issues.json")
			}
			return http.StatusOK, fixture(t, "graph-healthoverviews.json")
		},
		"/v1.0/admin/serviceAnnouncement/issues": func(r *http.Request) (int, []byte) {
			switch {
			case r.URL.Query().Get("$skip") == "2":
				return http.StatusOK, fixture(t, "graph-issues-page2.json")
			case r.URL.RawQuery == "$top=100":
				return http.StatusOK, issues
			}
			return http.StatusOK, onePage // the other queries get the first page alone
		},
		"/v1.0/admin/serviceAnnouncement/messages":          serve(fixture(t, "graph-messages.json")),
		"/v1.0/admin/serviceAnnouncement/messages/MC001337": serve(fixture(t, "graph-message.json")),
	}}
	all := append([]office365.Option{
		office365.WithGraph(),
		office365.WithHTTPClient(&http.Client{Transport: g}),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1}),
	}, opts...)
	c, err := servicecomms.New("contoso.com", auth.StaticToken("test-token"), all...)
	require.NoError(t, err)
	return c, g
}

func TestGraphRootAndScopesPerCloud(t *testing.T) {
	t.Parallel()
	for _, cloud := range office365.Clouds() {
		t.Run(cloud.Name, func(t *testing.T) {
			t.Parallel()
			rec := &scopeRecorder{}
			g := &graphRecorder{routes: map[string]func(*http.Request) (int, []byte){
				"/v1.0/admin/serviceAnnouncement/healthOverviews": serve([]byte(`{"value":[]}`)),
			}}
			c, err := servicecomms.New("contoso.com", rec, office365.WithCloud(cloud), office365.WithGraph(),
				office365.WithHTTPClient(&http.Client{Transport: g}))
			require.NoError(t, err)
			assert.True(t, c.IsGraph())
			assert.Equal(t, cloud.GraphHost+"/v1.0", c.Root())
			assert.Equal(t, []string{cloud.GraphHost + "/.default"}, c.Scopes())
			_, err = c.Services(context.Background())
			require.NoError(t, err)
			require.Len(t, g.requests, 1)
			assert.Equal(t, cloud.GraphHost+"/v1.0/admin/serviceAnnouncement/healthOverviews", g.requests[0].URL.String())
			assert.Equal(t, [][]string{{cloud.GraphHost + "/.default"}}, rec.scopes)
			h := g.requests[0].Header
			assert.Equal(t, "Bearer tok", h.Get("Authorization"))
			assert.NotEmpty(t, h.Get("client-request-id"))
			assert.Equal(t, "true", h.Get("return-client-request-id"))
			assert.Contains(t, h.Get("User-Agent"), "office365-go")
		})
	}
	// A base URL moves requests to {base}/v1.0, not the token audience.
	c, err := servicecomms.New("contoso.com", auth.StaticToken("t"), office365.WithCloud(office365.CloudGCCHigh),
		office365.WithGraph(), office365.WithBaseURL("http://127.0.0.1:8080/"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080/v1.0", c.Root())
	assert.Equal(t, []string{"https://graph.microsoft.us/.default"}, c.Scopes())
}

func TestGraphExactRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, g := graphMock(t)
	drain := func(o *servicecomms.MessageOptions) {
		t.Helper()
		for _, err := range c.Messages(ctx, o) {
			require.NoError(t, err)
		}
	}

	_, err := c.Services(ctx)
	require.NoError(t, err)
	_, err = c.CurrentStatus(ctx, &servicecomms.StatusOptions{Workload: "Exchange"})
	require.NoError(t, err)
	_, err = c.HistoricalStatus(ctx, &servicecomms.StatusOptions{Workload: "Exchange", StatusTime: time.Now().Add(-72 * time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"/healthOverviews",
		"/healthOverviews?$expand=issues",
		"/healthOverviews",
		"/issues?$filter=service%20eq%20'Exchange%20Online'",
	}, g.sent())

	g.reset()
	drain(nil)
	assert.Equal(t, []string{"/issues?$top=100", "/issues?$top=2&$skip=2", "/messages?$top=100"}, g.sent(),
		"the catalog is remembered; @odata.nextLink is followed verbatim")

	start := time.Date(2021, 11, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2021, 12, 1, 12, 30, 0, 123456789, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		opts *servicecomms.MessageOptions
		want []string
	}{
		{&servicecomms.MessageOptions{Workload: "Exchange"}, []string{
			"/issues?$filter=service%20eq%20'Exchange%20Online'&$top=100",
			"/messages?$filter=services/any(s:s%20eq%20'Exchange%20Online')&$top=100"}},
		{&servicecomms.MessageOptions{StartTime: start, EndTime: end, MessageType: servicecomms.MessageTypeIncident, PageSize: 25}, []string{
			"/issues?$filter=startDateTime%20ge%202021-11-01T00:00:00Z%20and%20endDateTime%20le%202021-12-01T11:30:00.1234567Z&$top=25"}},
		{&servicecomms.MessageOptions{ID: "MC001337", MessageType: servicecomms.MessageTypeMessageCenter}, []string{
			"/messages?$filter=id%20eq%20'MC001337'&$top=100"}},
		{&servicecomms.MessageOptions{ID: "O'Brien", MessageType: servicecomms.MessageTypeMessageCenter}, []string{
			"/messages?$filter=id%20eq%20'O''Brien'&$top=100"}},
		{&servicecomms.MessageOptions{Select: []string{"Id", "Status", "Title", "Workload"}, MessageType: servicecomms.MessageTypeIncident}, []string{
			"/issues?$select=id,status,title,service&$top=100"}},
		{&servicecomms.MessageOptions{Select: []string{"Id", "Category", "Messages"}, MessageType: servicecomms.MessageTypeMessageCenter}, []string{
			"/messages?$select=id,category,body,lastModifiedDateTime&$top=100"}},
		{&servicecomms.MessageOptions{Workload: "NoSuchService"}, []string{"/healthOverviews"}},
	} {
		g.reset()
		drain(tc.opts)
		assert.Equal(t, tc.want, g.sent(), "%+v", tc.opts)
	}

	// Graph has no planned-maintenance collection: a clear error, nothing sent.
	g.reset()
	for _, err := range c.Messages(ctx, &servicecomms.MessageOptions{MessageType: servicecomms.MessageTypePlannedMaintenance}) {
		assert.ErrorContains(t, err, "PlannedMaintenance has no Microsoft Graph counterpart")
	}
	assert.Empty(t, g.sent())

	// Message looks a post up by key, an issue first in /issues.
	m, err := c.Message(ctx, "MC001337")
	require.NoError(t, err)
	assert.Equal(t, "MC001337", m.ID)
	_, err = c.Message(ctx, "EX1/x")
	assert.True(t, office365.IsNotFound(err))
	assert.Equal(t, []string{"/messages/MC001337", "/issues/EX1%2Fx", "/messages/EX1%2Fx"}, g.sent())
}

func TestGraphPayloadsDecodeWithNothingLost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _ := graphMock(t)

	svcs, err := c.Services(ctx)
	require.NoError(t, err)
	require.Len(t, svcs, 7)
	assert.Equal(t, "Exchange", svcs[0].ID)
	assert.Equal(t, "Exchange Online", svcs[0].DisplayName)
	assert.Empty(t, svcs[0].Features, "Graph has no feature catalogue")

	var msgs []*servicecomms.Message
	for m, err := range c.Messages(ctx, nil) {
		require.NoError(t, err)
		msgs = append(msgs, m)
	}
	require.Len(t, msgs, 5)
	byID := map[string]*servicecomms.Message{}
	for _, m := range msgs {
		byID[m.ID] = m
	}

	// Every member of each Graph object lands in a typed field or in Extra.
	cr := byID["CR275975"]
	require.NotNil(t, cr)
	assert.Equal(t, servicecomms.MessageTypeIncident, cr.MessageType)
	assert.Equal(t, "Custom connector added to a DLP policy via PowerShell may be removed if policy is edited in Power Platform admin center.", cr.TitleText())
	assert.Equal(t, "2021-08-02T14:36:00Z", cr.StartTime.Raw())
	require.NotNil(t, cr.EndTime)
	assert.Equal(t, "2021-08-06T20:25:00Z", cr.EndTime.Raw())
	assert.Equal(t, "2021-08-06T20:28:36.537Z", cr.LastUpdatedTime.Raw())
	assert.Equal(t, cr.TitleText(), cr.ImpactDescription)
	assert.Equal(t, servicecomms.ClassificationAdvisory, cr.Classification)
	assert.Equal(t, "microsoft", cr.Origin)
	assert.Equal(t, servicecomms.Status("Service restored"), cr.Status)
	assert.Equal(t, "serviceRestored", cr.GraphStatus)
	assert.Equal(t, "DynamicsCRM", cr.Workload, "the workload id comes from healthOverviews")
	assert.Equal(t, "Dynamics 365 Apps", cr.WorkloadDisplayName)
	assert.Equal(t, "Other", cr.Feature)
	assert.Equal(t, "Other", cr.FeatureDisplayName)
	assert.Equal(t, "Other", cr.FeatureGroup)
	require.NotNil(t, cr.Resolved)
	assert.True(t, *cr.Resolved)
	assert.True(t, cr.IsResolved())
	assert.Empty(t, cr.AdditionalDetails)
	require.Len(t, cr.Messages, 2)
	assert.Equal(t, "2021-08-06T17:49:34.54Z", cr.Messages[0].PublishedTime.Raw())
	assert.Equal(t, "regular", cr.Messages[0].PostType)
	assert.Equal(t, "html", cr.Messages[0].ContentType)
	assert.Contains(t, cr.Messages[1].MessageText, `<a href="https://docs.microsoft.com/en-us/power-platform/admin/dlp-custom-connector-parity">`)
	assert.Equal(t, map[string]json.RawMessage{"highImpact": json.RawMessage("null")}, cr.Extra, "a beta member is kept")

	fm := byID["FM298724"]
	assert.Equal(t, servicecomms.StatusPostIncidentReportPublished, fm.Status.Canonical(), "postIncidentReviewPublished maps to the renamed v1 status")
	assert.Equal(t, "postIncidentReviewPublished", fm.GraphStatus)
	assert.Equal(t, "Forms", fm.Workload)
	assert.Equal(t, "Outage", fm.Feature)
	assert.Equal(t, "Service", fm.FeatureGroup)

	it := byID["IT301122"]
	assert.Nil(t, it.EndTime, "open: endDateTime null")
	assert.False(t, it.IsResolved())
	assert.Equal(t, servicecomms.StatusVerifyingService, it.Status.Canonical())
	assert.Equal(t, "thirdParty", it.Origin)
	assert.Equal(t, "quick", it.Messages[0].PostType)
	require.Len(t, it.AdditionalDetails, 1)
	assert.Equal(t, "NotifyInApp", it.AdditionalDetails[0].Name)
	assert.Equal(t, "True", it.AdditionalDetails[0].Value)

	mc := byID["MC296504"]
	assert.Equal(t, servicecomms.MessageTypeMessageCenter, mc.MessageType)
	assert.True(t, mc.IsMessageCenter())
	assert.Equal(t, "Stay Informed", mc.Category)
	assert.Equal(t, servicecomms.SeverityHigh, mc.Severity)
	assert.Equal(t, []string{"Updated message", "New feature", "User impact"}, mc.MessageTagNames)
	assert.True(t, mc.IsMajorChange)
	assert.Nil(t, mc.ActionRequiredByDate)
	assert.Equal(t, []string{"Microsoft Teams", "SharePoint Online"}, mc.Services)
	assert.Equal(t, "Microsoft Teams", mc.Workload, "a service missing from healthOverviews keeps its name")
	assert.Equal(t, []string{"Microsoft Teams", "SharePoint Online"}, mc.AffectedWorkloadDisplayNames)
	assert.True(t, mc.HasAttachments)
	assert.True(t, mc.IsRead, "from the delegated viewPoint")
	assert.Equal(t, "https://learn.microsoft.com/microsoftteams/meeting-recap", mc.HelpLink)
	require.Len(t, mc.AdditionalDetails, 2)
	assert.Equal(t, "Summary", mc.AdditionalDetails[0].Name)
	require.Len(t, mc.Messages, 1)
	assert.Equal(t, "<p>Updated November 29, 2021: We have updated the rollout timeline below.</p>", mc.Messages[0].MessageText)
	assert.Equal(t, mc.LastUpdatedTime.Time, mc.Messages[0].PublishedTime.Time)
	assert.Equal(t, []string{"expiryDateTime", "viewPoint"}, keysOf(mc.Extra))
	assert.JSONEq(t, `{"isRead":true,"isArchived":false,"isFavorited":true}`, string(mc.Extra["viewPoint"]))

	old := byID["MC295001"]
	assert.Equal(t, "Prevent Or Fix Issues", old.Category)
	assert.Equal(t, servicecomms.SeverityCritical, old.Severity)
	assert.Empty(t, old.Workload)
	require.NotNil(t, old.ActionRequiredByDate)
	assert.Equal(t, "2022-01-15T00:00:00Z", old.ActionRequiredByDate.Raw())
	assert.Empty(t, old.Extra)

	// A single entity: @odata.context is an annotation, not a member.
	m, err := c.Message(ctx, "MC001337")
	require.NoError(t, err)
	assert.Equal(t, "Plan For Change", m.Category)
	assert.Equal(t, "Lync", m.Workload)
	assert.Equal(t, "Skype for Business", m.WorkloadDisplayName)
	assert.Equal(t, "https://docs.microsoft.com/microsoftteams/skype-for-business-online-retirement", m.ExternalLink)
	assert.Contains(t, m.BlogLink, "techcommunity.microsoft.com")
	assert.Equal(t, []string{"User impact", "Admin impact"}, m.MessageTagNames)
	assert.Equal(t, "2021-07-31T07:00:00Z", m.ActionRequiredByDate.Raw())
	assert.Equal(t, map[string]json.RawMessage{"expiryDateTime": json.RawMessage("null")}, m.Extra)

	// The converted model marshals and reads back to the same fields.
	b, err := json.Marshal(mc)
	require.NoError(t, err)
	var back servicecomms.Message
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, mc.Services, back.Services)
	assert.Equal(t, mc.Category, back.Category)
	assert.Equal(t, mc.Messages[0].ContentType, back.Messages[0].ContentType)
	assert.JSONEq(t, string(mc.Extra["viewPoint"]), string(back.Extra["viewPoint"]))

	// healthOverviews?$expand=issues: statuses mapped, PascalCase doc-sample
	// values accepted, the features of recent issues listed.
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(time.Date(2020, 11, 20, 18, 0, 0, 0, time.UTC)))
		c, _ := graphMock(t)
		cur, err := c.CurrentStatus(context.Background(), nil)
		require.NoError(t, err)
		require.Len(t, cur, 2)
		ex := cur[0]
		assert.Equal(t, "Exchange", ex.ID)
		assert.Equal(t, servicecomms.StatusServiceOperational, ex.Status)
		assert.Equal(t, "serviceOperational", ex.GraphStatus)
		assert.Equal(t, "2020-11-19T18:00:00Z", ex.StatusTime.Format(time.RFC3339), "24 hours ago")
		assert.Equal(t, []string{"EX226574", "EX226600"}, ex.IncidentIDs, "open, or ended in the last 24 hours")
		require.Len(t, ex.Features, 2)
		assert.Equal(t, "Management and Provisioning", ex.Features[0].Name)
		assert.Equal(t, servicecomms.StatusServiceRestored, ex.Features[0].Status, "PascalCase ServiceRestored")
		assert.Equal(t, servicecomms.StatusServiceDegradation, ex.Features[1].Status)
		assert.Empty(t, ex.Extra, "issues@odata.context is an annotation")
		assert.Empty(t, cur[1].IncidentIDs)
		assert.Empty(t, cur[1].Features)
	})
}

func keysOf(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestGraphErrorBodies(t *testing.T) {
	t.Parallel()
	c, g := graphMock(t)
	body := fixture(t, "graph-error-notfound.json")
	g.routes["/v1.0/admin/serviceAnnouncement/messages/MC404"] = func(*http.Request) (int, []byte) { return http.StatusNotFound, body }
	g.routes["/v1.0/admin/serviceAnnouncement/issues/MC404"] = func(*http.Request) (int, []byte) { return http.StatusNotFound, body }
	_, err := c.Message(context.Background(), "MC404")
	require.Error(t, err)
	assert.True(t, office365.IsNotFound(err))
	var apiErr *office365.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "UnknownError", apiErr.Code)
	assert.Equal(t, "b2307a39-e878-458b-bc90-03bc578531d6", apiErr.RequestID, "from innerError")
	assert.Equal(t, time.Date(2022, 1, 22, 15, 1, 15, 0, time.UTC), apiErr.Date)
	assert.Contains(t, apiErr.URL, "/admin/serviceAnnouncement/messages/MC404")
	assert.False(t, errors.Is(err, servicecomms.ErrRetired))

	g.routes["/v1.0/admin/serviceAnnouncement/healthOverviews"] = func(*http.Request) (int, []byte) {
		return http.StatusForbidden, []byte(`{"error":{"code":"UnknownError","message":"","innerError":{"date":"2022-01-22T15:01:15","request-id":"r1","client-request-id":"c1"}}}`)
	}
	_, err = c.Services(context.Background())
	assert.True(t, office365.IsForbidden(err))
	assert.NotContains(t, err.Error(), "test-token")
}

// Graph has no HistoricalStatus: the client builds one entry per workload
// and day from the issues active that day.
func TestGraphHistoricalStatusIsSynthesized(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(12 * time.Hour) // now: 2000-01-01T12:00:00Z
		issues := `{"value":[
		 {"id":"EX1","service":"Exchange Online","status":"serviceRestored","isResolved":true,"classification":"incident",
		  "featureGroup":"E-Mail timely delivery","startDateTime":"1999-12-28T10:00:00Z","endDateTime":"1999-12-29T02:00:00Z",
		  "lastModifiedDateTime":"1999-12-29T03:00:00Z","posts":[]},
		 {"id":"EX2","service":"Exchange Online","status":"serviceDegradation","isResolved":false,"classification":"incident",
		  "featureGroup":"Sign-in","startDateTime":"1999-12-31T08:00:00Z","endDateTime":null,
		  "lastModifiedDateTime":"2000-01-01T09:00:00Z","posts":[]},
		 {"id":"EX3","service":"Exchange Online","status":"falsePositive","isResolved":true,"classification":"advisory",
		  "featureGroup":"Sign-in","startDateTime":"1999-12-31T09:00:00Z","endDateTime":"1999-12-31T10:00:00Z",
		  "lastModifiedDateTime":"1999-12-31T10:00:00Z","posts":[]},
		 {"id":"EX4","service":"Exchange Online","status":"postIncidentReviewPublished","isResolved":true,"classification":"incident",
		  "featureGroup":"Sign-in","startDateTime":"1999-12-20T09:00:00Z","endDateTime":null,
		  "lastModifiedDateTime":"1999-12-26T10:00:00Z","posts":[]},
		 {"id":"FM1","service":"Microsoft Forms","status":"serviceInterruption","isResolved":false,"classification":"incident",
		  "startDateTime":"1999-12-30T00:00:00Z","endDateTime":null,"lastModifiedDateTime":"1999-12-30T01:00:00Z","posts":[]}
		]}`
		c, g := graphMock(t)
		g.routes["/v1.0/admin/serviceAnnouncement/issues"] = serve([]byte(issues))
		days, err := c.HistoricalStatus(context.Background(), nil)
		require.NoError(t, err)
		require.Len(t, days, 7*7, "seven workloads, seven days")
		type day struct {
			date   string
			status servicecomms.Status
			ids    []string
		}
		var ex []day
		for _, d := range days[:7] {
			assert.Equal(t, "Exchange", d.Workload)
			assert.Equal(t, "Exchange Online", d.WorkloadDisplayName)
			ex = append(ex, day{d.StatusTime.Format("2006-01-02"), d.Status, d.IncidentIDs})
		}
		assert.Equal(t, []day{
			{"2000-01-01", servicecomms.StatusServiceDegradation, []string{"EX2"}},
			{"1999-12-31", servicecomms.StatusServiceDegradation, []string{"EX2", "EX3"}},
			{"1999-12-30", servicecomms.StatusServiceOperational, []string{}},
			{"1999-12-29", servicecomms.StatusServiceRestored, []string{"EX1"}},
			{"1999-12-28", servicecomms.StatusServiceRestored, []string{"EX1"}},
			{"1999-12-27", servicecomms.StatusServiceOperational, []string{}},
			{"1999-12-26", servicecomms.StatusServiceRestored, []string{"EX4"}}, // resolved without an end: its last change ends it
		}, ex)
		assert.Empty(t, days[2].Features)
		require.Len(t, days[1].Features, 1)
		assert.Equal(t, "Sign-in", days[1].Features[0].Name)
		assert.Equal(t, servicecomms.StatusServiceDegradation, days[1].Features[0].Status, "the worst of EX2 and EX3")
		forms := days[3*7 : 4*7]
		assert.Equal(t, "Forms", forms[0].Workload)
		assert.Equal(t, servicecomms.StatusServiceInterruption, forms[2].Status)
		assert.Equal(t, servicecomms.StatusServiceOperational, forms[3].Status)

		g.reset()
		days, err = c.HistoricalStatus(context.Background(), &servicecomms.StatusOptions{
			Workload: "Forms", StatusTime: time.Date(1999, 12, 30, 0, 0, 0, 0, time.UTC), Select: []string{"StatusTime", "Status"}})
		require.NoError(t, err)
		require.Len(t, days, 3)
		assert.Empty(t, days[0].Workload, "trimmed to the selection")
		b, err := json.Marshal(days[2])
		require.NoError(t, err)
		assert.JSONEq(t, `{"Status":"ServiceInterruption","StatusTime":"1999-12-30T00:00:00Z"}`, string(b))
		assert.Equal(t, []string{"/healthOverviews", "/issues?$filter=service%20eq%20'Microsoft%20Forms'"}, g.sent())
	})
}
