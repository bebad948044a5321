package servicecomms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

// The tests in this file run against the fake tenant in both dialects (see
// dialects in helpers_test.go): one tenant state, served by the retired API
// and by Microsoft Graph, must give the same typed answers.

func TestRetiredTenant(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		c, srv, _ := fakeClient(t, d, []office365test.TenantOption{office365test.WithRetiredServiceComms()},
			office365.WithRetry(office365.RetryOptions{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
		statuses, err := c.CurrentStatus(context.Background(), nil)
		if d.graph {
			require.NoError(t, err, "a tenant whose retired API is gone still answers on Graph")
			assert.Len(t, statuses, 14)
			return
		}
		require.ErrorIs(t, err, servicecomms.ErrRetired)
		assert.Len(t, srv.Requests(), 2, "a 500 on GET is retried once before giving up")
	})
}

func TestThrottledThenSuccess(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		c, srv, _ := fakeClient(t, d, nil)
		srv.FailNext(1, d.currentStatusPath(), http.StatusTooManyRequests, "0.05")
		start := time.Now()
		statuses, err := c.CurrentStatus(context.Background(), nil)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond, "Retry-After was honoured")
		assert.Len(t, statuses, 14)
		reqs := srv.Requests()
		require.Len(t, reqs, 2)
		assert.Empty(t, reqs[0].Header.Get("Retry-Attempt"))
		assert.Equal(t, "1", reqs[1].Header.Get("Retry-Attempt"))
		assert.Equal(t, reqs[0].Header.Get("client-request-id"), reqs[1].Header.Get("client-request-id"))

		// With retries off the caller sees the throttling error and its delay.
		c2, srv2, _ := fakeClient(t, d, nil, office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
		srv2.FailNext(1, d.messagesPath(), http.StatusTooManyRequests, "7")
		n := 0
		for _, err := range c2.Messages(context.Background(), nil) {
			n++
			require.Error(t, err)
			assert.True(t, office365.IsThrottled(err))
			var apiErr *office365.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 7*time.Second, apiErr.RetryAfter)
			assert.Equal(t, d.throttledCode(), apiErr.Code, "the fake's default code of the dialect")
			if d.graph {
				assert.NotEmpty(t, apiErr.RequestID, "from Graph's request-id header and innerError")
				assert.False(t, apiErr.Date.IsZero(), "from Graph's innerError")
			}
		}
		assert.Equal(t, 1, n)
	})
}

// graphIDs lists the ids of a Graph collection of the fake, in its order.
func graphIDs(t *testing.T, srv *office365test.Server, collection string) []string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/v1.0/admin/serviceAnnouncement/"+collection+"?$top=1000&$select=id", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var page struct{ Value []struct{ ID string } }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	var ids []string
	for _, v := range page.Value {
		ids = append(ids, v.ID)
	}
	return ids
}

// pageQueries is the queries of paging a collection of n items by size: the
// retired API asks until a page comes back short, Graph follows its next
// links, which carry $skip.
func pageQueries(d dialect, prefix string, n, size int) []string {
	q := []string{prefix + fmt.Sprintf("$top=%d", size)}
	for skip := size; skip < n || (!d.graph && skip == n); skip += size {
		q = append(q, prefix+fmt.Sprintf("$top=%d&$skip=%d", size, skip))
	}
	return q
}

func TestPagingAcrossTheFakeTenant(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		c, srv, tenant := fakeClient(t, d, nil)
		want := tenant.MessageIDs()
		var wantQ []string
		if d.graph {
			issues, posts := graphIDs(t, srv, "issues"), graphIDs(t, srv, "messages")
			want = append(issues, posts...)
			wantQ = append([]string{""}, pageQueries(d, "", len(issues), 100)...) // the service catalog first
			wantQ = append(wantQ, pageQueries(d, "", len(posts), 100)...)
			srv.ResetRequests()
		} else {
			wantQ = pageQueries(d, "", len(want), 100)
		}
		require.GreaterOrEqual(t, len(want), 150)

		var got []string
		for m, err := range c.Messages(context.Background(), nil) {
			require.NoError(t, err)
			got = append(got, m.ID)
		}
		assert.Equal(t, want, got)
		var queries []string
		for _, r := range srv.Requests() {
			queries = append(queries, r.RawQuery)
		}
		assert.Equal(t, wantQ, queries)

		// Smaller pages of incidents only: the filter (the collection on
		// Graph) is repeated on every page.
		srv.ResetRequests()
		got = got[:0]
		for m, err := range c.Messages(context.Background(), &servicecomms.MessageOptions{MessageType: servicecomms.MessageTypeIncident, PageSize: 40}) {
			require.NoError(t, err)
			assert.Equal(t, servicecomms.MessageTypeIncident, m.MessageType)
			got = append(got, m.ID)
		}
		require.Greater(t, len(got), 80)
		prefix := "$filter=MessageType%20eq%20Microsoft.Office365ServiceComms.ExposedContracts.MessageType'Incident'&"
		if d.graph {
			prefix = ""
		}
		queries = queries[:0]
		for _, r := range srv.Requests() {
			if d.graph {
				assert.True(t, strings.HasSuffix(r.Path, "/admin/serviceAnnouncement/issues"), r.Path)
			}
			queries = append(queries, r.RawQuery)
		}
		assert.Equal(t, pageQueries(d, prefix, len(got), 40), queries)

		// Stopping early sends no more requests.
		srv.ResetRequests()
		n := 0
		for _, err := range c.Messages(context.Background(), nil) {
			require.NoError(t, err)
			if n++; n == 3 {
				break
			}
		}
		assert.Len(t, srv.Requests(), 1)
	})
}

// Filters against the fake, which rejects any filter the service would not
// understand: success proves the syntax, the results prove the meaning.
func TestFiltersAgainstTheFake(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		c, _, tenant := fakeClient(t, d, nil)
		collect := func(o *servicecomms.MessageOptions) []*servicecomms.Message {
			var out []*servicecomms.Message
			for m, err := range c.Messages(ctx, o) {
				require.NoError(t, err)
				out = append(out, m)
			}
			return out
		}
		all := collect(nil)
		count := func(pred func(m *servicecomms.Message) bool) int {
			n := 0
			for _, m := range all {
				if pred(m) {
					n++
				}
			}
			return n
		}

		mc := collect(&servicecomms.MessageOptions{MessageType: servicecomms.MessageTypeMessageCenter})
		assert.NotEmpty(t, mc)
		assert.Len(t, mc, count(func(m *servicecomms.Message) bool { return m.IsMessageCenter() }))
		for _, m := range mc {
			assert.True(t, m.IsMessageCenter())
		}

		ex := collect(&servicecomms.MessageOptions{Workload: "Exchange"})
		assert.Len(t, ex, count(func(m *servicecomms.Message) bool { return m.Workload == "Exchange" }))
		assert.NotEmpty(t, ex)

		teamsIncidents := collect(&servicecomms.MessageOptions{Workload: "microsoftteams", MessageType: servicecomms.MessageTypeIncident})
		assert.Len(t, teamsIncidents, count(func(m *servicecomms.Message) bool {
			return m.Workload == "microsoftteams" && m.MessageType == servicecomms.MessageTypeIncident
		}))
		assert.NotEmpty(t, teamsIncidents)

		now := tenant.Now()
		since := now.Add(-48 * time.Hour)
		recent := collect(&servicecomms.MessageOptions{StartTime: since})
		assert.Len(t, recent, count(func(m *servicecomms.Message) bool { return !m.StartTime.Before(since) }))
		older := collect(&servicecomms.MessageOptions{StartTime: now.Add(-8 * 24 * time.Hour)})
		if d.windowed() {
			assert.Greater(t, len(older), len(all), "an explicit StartTime replaces the 7-day default window")
		} else {
			assert.Less(t, len(older), len(all), "Graph has no default window")
		}

		until := now.Add(-24 * time.Hour)
		ended := collect(&servicecomms.MessageOptions{EndTime: until, MessageType: servicecomms.MessageTypeIncident})
		assert.NotEmpty(t, ended)
		for _, m := range ended {
			require.NotNil(t, m.EndTime, "open incidents never match an EndTime bound")
			assert.False(t, m.EndTime.After(until))
		}

		one := collect(&servicecomms.MessageOptions{ID: all[10].ID})
		require.Len(t, one, 1)
		assert.Equal(t, all[10].ID, one[0].ID)

		for _, i := range []int{20, len(all) - 1} { // an incident and a Message Center post
			m, err := c.Message(ctx, all[i].ID)
			require.NoError(t, err)
			assert.Equal(t, all[i].ID, m.ID)
			assert.Equal(t, all[i].MessageType, m.MessageType)
		}
		_, err := c.Message(ctx, "XX000000")
		assert.True(t, office365.IsNotFound(err))

		sel := collect(&servicecomms.MessageOptions{Workload: "Exchange", Select: []string{"Id", "Status", "Title"}})
		require.Len(t, sel, len(ex))
		assert.NotEmpty(t, sel[0].ID)
		assert.NotNil(t, sel[0].Title)
		assert.Empty(t, sel[0].Messages)
		assert.Empty(t, sel[0].Extra)
		out, err := json.Marshal(sel[0])
		require.NoError(t, err)
		var members map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(out, &members))
		assert.Len(t, members, 3, "%s", out)

		cur, err := c.CurrentStatus(ctx, &servicecomms.StatusOptions{Workload: "SharePoint"})
		require.NoError(t, err)
		require.Len(t, cur, 1)
		assert.Equal(t, "SharePoint", cur[0].Workload)
		if !d.graph { // Graph has no feature catalogue
			assert.NotEmpty(t, cur[0].Features)
		}

		hist, err := c.HistoricalStatus(ctx, &servicecomms.StatusOptions{Workload: "Exchange"})
		require.NoError(t, err)
		assert.Len(t, hist, 7, "seven days by default")
		hist, err = c.HistoricalStatus(ctx, &servicecomms.StatusOptions{Workload: "Exchange", StatusTime: now.Add(-3 * 24 * time.Hour)})
		require.NoError(t, err)
		assert.Len(t, hist, 3)
		for _, h := range hist {
			assert.Equal(t, "Exchange", h.Workload)
			assert.False(t, h.StatusTime.Before(now.Add(-3*24*time.Hour)))
		}
		hist, err = c.HistoricalStatus(ctx, &servicecomms.StatusOptions{Select: []string{"Id", "StatusTime"}})
		require.NoError(t, err)
		assert.Len(t, hist, 14*7)
		assert.Empty(t, hist[0].Workload)
		assert.False(t, hist[0].StatusTime.IsZero())
	})
}

func TestShapesFromTheFake(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		c, _, tenant := fakeClient(t, d, nil)
		check := func(shape string) {
			svcs, err := c.Services(ctx)
			require.NoError(t, err, shape)
			require.Len(t, svcs, 14)
			for _, s := range svcs {
				assert.NotEmpty(t, s.DisplayName)
				if !d.graph {
					assert.NotEmpty(t, s.Features, "%s %s", shape, s.ID)
					assert.NotEmpty(t, s.Features[0].DisplayName)
				}
				assert.Empty(t, s.Extra)
			}
			cur, err := c.CurrentStatus(ctx, nil)
			require.NoError(t, err)
			open := 0
			for _, s := range cur {
				assert.False(t, s.StatusTime.IsZero(), shape)
				if !d.graph {
					assert.NotEmpty(t, s.Features, shape)
				}
				assert.True(t, s.Status.IsKnown(), "%s: %q", shape, s.Status)
				assert.NotEmpty(t, s.DisplayStatus())
				assert.Empty(t, s.Extra)
				if !s.Status.IsNormal() && s.Status != servicecomms.StatusServiceRestored {
					open++
					assert.NotEmpty(t, s.IncidentIDs)
					assert.NotEmpty(t, s.Features, "the features of the open incidents")
				}
			}
			assert.GreaterOrEqual(t, open, 5, "%s: incidents open in several statuses", shape)
			for m, err := range c.Messages(ctx, nil) {
				require.NoError(t, err)
				require.NotEmpty(t, m.ID)
				assert.False(t, m.StartTime.IsZero())
				assert.False(t, m.LastUpdatedTime.IsZero())
				assert.NotEmpty(t, m.Messages)
				assert.NotEmpty(t, m.Workload+m.WorkloadDisplayName+strings.Join(m.Services, "")+string(m.MessageType))
				assert.Empty(t, m.Extra, "%s: %s has members the model does not know: %v", shape, m.ID, m.Extra)
				if d.graph {
					assert.Equal(t, "html", m.Messages[0].ContentType)
					if !m.IsMessageCenter() {
						assert.NotEmpty(t, m.GraphStatus)
						assert.True(t, m.Status.IsKnown(), m.Status)
						require.NotNil(t, m.Resolved)
						assert.Equal(t, "microsoft", m.Origin)
					}
				}
			}
		}
		check("live")
		if d.graph {
			cur, err := c.CurrentStatus(ctx, nil)
			require.NoError(t, err)
			assert.NotEmpty(t, cur[0].GraphStatus)
			return
		}
		cur, err := c.CurrentStatus(ctx, nil)
		require.NoError(t, err)
		assert.Len(t, cur[0].StatusTime.Raw(), len("2020-09-18T13:15:36.6847769Z"), "seven fractional digits")
		assert.NotEmpty(t, cur[0].StatusDisplayName)

		tenant.SetShape(office365test.TenantDocumentedShape)
		check("documented")
		cur, err = c.CurrentStatus(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, cur[0].StatusDisplayName, "not in the documented shape")
		var m *servicecomms.Message
		for v, err := range c.Messages(ctx, nil) {
			require.NoError(t, err)
			m = v
			break
		}
		assert.Nil(t, m.Title)
		assert.Equal(t, m.ID, m.Name)
	})
}

func TestMessageCenterFieldsFromTheFake(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		c, _, _ := fakeClient(t, d, nil)
		var posts []*servicecomms.Message
		for m, err := range c.Messages(context.Background(), &servicecomms.MessageOptions{MessageType: servicecomms.MessageTypeMessageCenter}) {
			require.NoError(t, err)
			posts = append(posts, m)
		}
		require.GreaterOrEqual(t, len(posts), 20)
		var withDeadline, major, noWorkload, withTags int
		for _, p := range posts {
			assert.Contains(t, []string{"Stay Informed", "Plan For Change", "Prevent Or Fix Issues"}, p.Category)
			assert.Contains(t, []servicecomms.Severity{servicecomms.SeverityNormal, servicecomms.SeverityHigh}, p.Severity)
			assert.Equal(t, servicecomms.Status(""), p.Status)
			assert.NotEmpty(t, p.TitleText())
			assert.NotEmpty(t, p.ExternalLink)
			require.NotNil(t, p.EndTime, "posts expire")
			if p.ActionRequiredByDate != nil {
				withDeadline++
			}
			if p.IsMajorChange {
				major++
			}
			if p.Workload == "" {
				noWorkload++
			} else if d.graph {
				assert.Equal(t, p.WorkloadDisplayName, p.Services[0])
			}
			if len(p.MessageTagNames) > 0 {
				withTags++
			}
		}
		assert.Positive(t, withDeadline)
		assert.Positive(t, major)
		assert.Positive(t, noWorkload)
		assert.Equal(t, len(posts), withTags)
		assert.True(t, strings.HasPrefix(posts[0].ID, "MC"))
	})
}

// One tenant, a client per dialect: the typed results agree field by field
// where both APIs carry the field.
func TestBothDialectsAgree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fixed := time.Now() // one moment for both clients: nothing changes between their calls
	v1, srv, tenant := fakeClient(t, dialects[0], []office365test.TenantOption{office365test.WithTenantClock(func() time.Time { return fixed })})
	graph, err := servicecomms.New("contoso.onmicrosoft.com", auth.StaticToken("t"), office365.WithBaseURL(srv.URL()), office365.WithGraph())
	require.NoError(t, err)

	since := tenant.Now().Add(-7 * 24 * time.Hour)
	list := func(c *servicecomms.Client, typ servicecomms.MessageType) []*servicecomms.Message {
		var out []*servicecomms.Message
		for m, err := range c.Messages(ctx, &servicecomms.MessageOptions{MessageType: typ, StartTime: since}) {
			require.NoError(t, err)
			out = append(out, m)
		}
		return out
	}
	for _, typ := range []servicecomms.MessageType{servicecomms.MessageTypeIncident, servicecomms.MessageTypeMessageCenter} {
		a, b := list(v1, typ), list(graph, typ)
		require.Equal(t, len(a), len(b), typ)
		require.NotEmpty(t, a)
		for i := range a {
			x, y := a[i], b[i]
			require.Equal(t, x.ID, y.ID)
			assert.Equal(t, x.TitleText(), y.TitleText(), x.ID)
			assert.Equal(t, x.MessageType, y.MessageType, x.ID)
			assert.Equal(t, x.Status, y.Status, x.ID)
			assert.Equal(t, x.IsResolved(), y.IsResolved(), x.ID)
			assert.True(t, x.StartTime.Equal(y.StartTime.Time), x.ID)
			assert.True(t, x.LastUpdatedTime.Equal(y.LastUpdatedTime.Time), x.ID)
			assert.Equal(t, x.EndTime == nil, y.EndTime == nil, x.ID)
			if x.EndTime != nil {
				assert.True(t, x.EndTime.Equal(y.EndTime.Time), x.ID)
			}
			assert.Equal(t, x.Workload, y.Workload, x.ID)
			assert.Equal(t, x.WorkloadDisplayName, y.WorkloadDisplayName, x.ID)
			assert.Equal(t, x.FeatureDisplayName, y.FeatureDisplayName, x.ID)
			if typ == servicecomms.MessageTypeIncident {
				assert.Equal(t, x.Classification, y.Classification, x.ID)
				assert.Equal(t, x.ImpactDescription, y.ImpactDescription, x.ID)
				assert.Equal(t, x.AdditionalDetails[0].Value, y.AdditionalDetails[0].Value, x.ID)
				require.Equal(t, len(x.Messages), len(y.Messages), x.ID)
				for j := range x.Messages {
					assert.True(t, x.Messages[j].PublishedTime.Equal(y.Messages[j].PublishedTime.Time), x.ID)
					assert.Equal(t, x.Messages[j].Text(), y.Messages[j].Text(), x.ID)
				}
				continue
			}
			assert.Equal(t, x.Category, y.Category, x.ID)
			assert.Equal(t, x.Severity, y.Severity, x.ID)
			assert.Equal(t, x.IsMajorChange, y.IsMajorChange, x.ID)
			assert.Equal(t, x.MessageTagNames, y.MessageTagNames, x.ID)
			assert.Equal(t, x.ExternalLink, y.ExternalLink, x.ID)
			assert.Equal(t, x.BlogLink, y.BlogLink, x.ID)
			assert.Equal(t, x.ActionRequiredByDate == nil, y.ActionRequiredByDate == nil, x.ID)
			assert.Equal(t, x.Latest().Text(), y.Latest().Text(), "%s: Graph's body is the latest text", x.ID)
		}
	}

	a, err := v1.CurrentStatus(ctx, nil)
	require.NoError(t, err)
	b, err := graph.CurrentStatus(ctx, nil)
	require.NoError(t, err)
	require.Len(t, b, len(a))
	for i := range a {
		assert.Equal(t, a[i].Workload, b[i].Workload)
		assert.Equal(t, a[i].WorkloadDisplayName, b[i].WorkloadDisplayName)
		assert.Equal(t, a[i].Status, b[i].Status, a[i].Workload)
		assert.Equal(t, a[i].DisplayStatus(), b[i].DisplayStatus(), a[i].Workload)
	}
}
