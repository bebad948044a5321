package office365test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const graphSA = "/v1.0/admin/serviceAnnouncement"

// graphPage decodes a Graph collection page.
type graphPage struct {
	Context  string                       `json:"@odata.context"`
	NextLink string                       `json:"@odata.nextLink"`
	Value    []map[string]json.RawMessage `json:"value"`
}

func graphGet(t *testing.T, srv *Server, path, rawQuery string, hdr ...string) graphPage {
	t.Helper()
	r := scGet(t, srv, path, rawQuery, hdr...)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var p graphPage
	require.NoError(t, json.Unmarshal(r.body, &p))
	return p
}

// graphAll follows next links from path?rawQuery.
func graphAll(t *testing.T, srv *Server, path, rawQuery string) (items []map[string]json.RawMessage, pages int) {
	t.Helper()
	p := graphGet(t, srv, path, rawQuery)
	for {
		items, pages = append(items, p.Value...), pages+1
		if p.NextLink == "" {
			return items, pages
		}
		u, err := url.Parse(p.NextLink)
		require.NoError(t, err)
		assert.Equal(t, srv.URL(), u.Scheme+"://"+u.Host, "next links point at the server")
		p = graphGet(t, srv, u.Path, u.RawQuery)
	}
}

func TestTenantGraphShapes(t *testing.T) {
	t.Parallel()
	srv, _ := newSCTenant(t, WithTenantClock(func() time.Time { return scFixed }))

	hr := scGet(t, srv, graphSA+"/healthOverviews", "")
	require.Equal(t, http.StatusOK, hr.status)
	assert.True(t, strings.HasPrefix(string(hr.body), `{"@odata.context":"`+srv.URL()+`/v1.0/$metadata#admin/serviceAnnouncement/healthOverviews","value":[{"service":"Exchange Online","status":"`), string(hr.body)[:200])
	h := graphGet(t, srv, graphSA+"/healthOverviews", "")
	require.Len(t, h.Value, 14)
	assert.ElementsMatch(t, []string{"service", "status", "id"}, keys(h.Value[0]))
	statuses := map[string]bool{}
	for _, s := range h.Value {
		statuses[scStr(t, s["status"])] = true
	}
	for s := range statuses {
		assert.Contains(t, []string{"serviceOperational", "investigating", "serviceDegradation", "serviceInterruption",
			"restoringService", "extendedRecovery", "investigationSuspended", "serviceRestored", "falsePositive"}, s)
	}
	assert.GreaterOrEqual(t, len(statuses), 4, "Graph's camelCase values, several of them")

	ex := graphGet(t, srv, graphSA+"/healthOverviews", "$expand=issues")
	require.Len(t, ex.Value, 14)
	assert.Contains(t, string(ex.Value[0]["issues@odata.context"]), "/healthOverviews('Exchange%20Online')/issues")
	var issues []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(ex.Value[0]["issues"], &issues))
	require.NotEmpty(t, issues)
	assert.Equal(t, []string{"startDateTime", "endDateTime", "lastModifiedDateTime", "title", "id", "impactDescription",
		"classification", "origin", "status", "service", "feature", "featureGroup", "isResolved", "details", "posts"},
		orderedKeys(t, ex.Value[0]["issues"]), "members in Graph's order")
	assert.Equal(t, "Exchange Online", scStr(t, issues[0]["service"]))
	var posts []struct {
		CreatedDateTime string `json:"createdDateTime"`
		PostType        string `json:"postType"`
		Description     struct{ ContentType, Content string }
	}
	require.NoError(t, json.Unmarshal(issues[0]["posts"], &posts))
	require.NotEmpty(t, posts)
	assert.Equal(t, "regular", posts[0].PostType)
	assert.Equal(t, "html", posts[0].Description.ContentType)
	assert.Contains(t, posts[0].Description.Content, "<br><br>")

	one := scGet(t, srv, graphSA+"/healthOverviews/"+url.PathEscape("Microsoft Teams"), "$expand=issues")
	require.Equal(t, http.StatusOK, one.status, string(one.body))
	var teams map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(one.body, &teams))
	assert.Equal(t, "microsoftteams", scStr(t, teams["id"]), "keyed by the display name")
	assert.Contains(t, scStr(t, teams["@odata.context"]), "healthOverviews/$entity")

	msgs, _ := graphAll(t, srv, graphSA+"/messages", "")
	require.NotEmpty(t, msgs)
	assert.Equal(t, []string{"startDateTime", "endDateTime", "lastModifiedDateTime", "title", "id", "category", "severity",
		"tags", "isMajorChange", "actionRequiredByDateTime", "services", "hasAttachments", "viewPoint", "details", "body"},
		orderedKeys(t, rawValue(t, scGet(t, srv, graphSA+"/messages", "$top=1"))))
	for _, m := range msgs {
		assert.Contains(t, []string{"stayInformed", "planForChange", "preventOrFixIssue"}, scStr(t, m["category"]))
		assert.Contains(t, []string{"normal", "high"}, scStr(t, m["severity"]))
		assert.True(t, strings.HasPrefix(scStr(t, m["id"]), "MC"))
		assert.Equal(t, "null", string(m["viewPoint"]), "application permissions see no viewPoint")
	}
}

// orderedKeys returns the member names of the first object of a JSON array,
// in order.
func orderedKeys(t *testing.T, arr json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(arr)))
	_, err := dec.Token() // [
	require.NoError(t, err)
	_, err = dec.Token() // {
	require.NoError(t, err)
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		out = append(out, tok.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return out
}

// rawValue returns the "value" array of a response as sent.
func rawValue(t *testing.T, r scResp) json.RawMessage {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var env struct{ Value json.RawMessage }
	require.NoError(t, json.Unmarshal(r.body, &env))
	return env.Value
}

func TestTenantGraphPagingFiltersAndErrors(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t)
	now := tenant.Now()

	all, pages := graphAll(t, srv, graphSA+"/issues", "")
	assert.Greater(t, len(all), 150, "every published issue: Graph has no seven-day window")
	assert.Equal(t, (len(all)+99)/100, pages, "pages of 100")
	first := graphGet(t, srv, graphSA+"/issues", "")
	assert.Equal(t, srv.URL()+graphSA+"/issues?$skip=100", first.NextLink)
	assert.Equal(t, srv.URL()+"/v1.0/$metadata#admin/serviceAnnouncement/issues", first.Context)
	small := graphGet(t, srv, graphSA+"/issues", "$filter=isResolved%20eq%20false&$top=2")
	assert.Equal(t, srv.URL()+graphSA+"/issues?$filter=isResolved%20eq%20false&$top=2&$skip=2", small.NextLink,
		"the next link repeats the query")
	pref := graphGet(t, srv, graphSA+"/issues", "", "Prefer", "odata.maxpagesize=30")
	assert.Len(t, pref.Value, 30)

	count := func(pred func(m map[string]json.RawMessage) bool) int {
		n := 0
		for _, m := range all {
			if pred(m) {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		filter string
		pred   func(m map[string]json.RawMessage) bool
	}{
		{"service eq 'Exchange Online'", func(m map[string]json.RawMessage) bool { return scStr(t, m["service"]) == "Exchange Online" }},
		{"isResolved eq false", func(m map[string]json.RawMessage) bool { return string(m["isResolved"]) == "false" }},
		{"classification eq 'advisory' and isResolved eq true", func(m map[string]json.RawMessage) bool {
			return scStr(t, m["classification"]) == "advisory" && string(m["isResolved"]) == "true"
		}},
		{"startDateTime ge " + now.Add(-48*time.Hour).UTC().Format(time.RFC3339), func(m map[string]json.RawMessage) bool {
			st, _ := time.Parse(time.RFC3339, scStr(t, m["startDateTime"]))
			return !st.Before(now.Add(-48 * time.Hour).Truncate(time.Second))
		}},
		{"endDateTime le " + now.Add(-24*time.Hour).UTC().Format(time.RFC3339), func(m map[string]json.RawMessage) bool {
			if string(m["endDateTime"]) == "null" {
				return false
			}
			end, _ := time.Parse(time.RFC3339, scStr(t, m["endDateTime"]))
			return !end.After(now.Add(-24 * time.Hour).Truncate(time.Second))
		}},
	} {
		got, _ := graphAll(t, srv, graphSA+"/issues", "$filter="+url.PathEscape(tc.filter))
		assert.Len(t, got, count(tc.pred), tc.filter)
		assert.NotEmpty(t, got, tc.filter)
	}
	posts, _ := graphAll(t, srv, graphSA+"/messages", "")
	exPosts, _ := graphAll(t, srv, graphSA+"/messages", "$filter="+url.PathEscape("services/any(s:s eq 'Exchange Online')"))
	assert.NotEmpty(t, exPosts)
	assert.Less(t, len(exPosts), len(posts))
	for _, p := range exPosts {
		assert.Contains(t, string(p["services"]), `"Exchange Online"`)
	}
	sel := graphGet(t, srv, graphSA+"/issues", "$select=id,status&$top=1")
	assert.ElementsMatch(t, []string{"id", "status"}, keys(sel.Value[0]))

	id := scStr(t, all[0]["id"])
	r := scGet(t, srv, graphSA+"/issues/"+id, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, string(r.body), `"@odata.context":"`+srv.URL()+`/v1.0/$metadata#admin/serviceAnnouncement/issues/$entity"`)

	for _, tc := range []struct {
		path, query string
		status      int
	}{
		{graphSA + "/issues/XX1", "", http.StatusNotFound},
		{graphSA + "/issues", "$filter=" + url.PathEscape("Workload eq 'Exchange'"), http.StatusBadRequest},
		{graphSA + "/issues", "$filter=" + url.PathEscape("service eq Exchange"), http.StatusBadRequest},
		{graphSA + "/issues", "$filter=" + url.PathEscape("startDateTime ge '2020-01-01'"), http.StatusBadRequest},
		{graphSA + "/issues", "$filter=" + url.PathEscape("service eq 'a' or service eq 'b'"), http.StatusBadRequest},
		{graphSA + "/issues", "$orderby=startDateTime", http.StatusBadRequest},
		{graphSA + "/messages", "$filter=" + url.PathEscape("services/all(s:s eq 'x')"), http.StatusBadRequest},
		{graphSA + "/nothing", "", http.StatusBadRequest},
	} {
		r := scGet(t, srv, tc.path, tc.query, "client-request-id", "c-1")
		require.Equal(t, tc.status, r.status, "%s?%s: %s", tc.path, tc.query, r.body)
		var e struct {
			Error struct {
				Code       string
				Message    string
				InnerError map[string]string `json:"innerError"`
			}
		}
		require.NoError(t, json.Unmarshal(r.body, &e))
		assert.NotEmpty(t, e.Error.Code)
		assert.NotEmpty(t, e.Error.Message)
		assert.NotEmpty(t, e.Error.InnerError["request-id"])
		assert.Equal(t, "c-1", e.Error.InnerError["client-request-id"])
		assert.NotEmpty(t, e.Error.InnerError["date"])
	}
}

// One tenant state, two dialects: a scripted incident and post, and their
// changes as the clock moves, show in both.
func TestTenantOneStateTwoDialects(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t, WithoutGeneratedMessages(), WithRetiredServiceComms())
	tenant.SetRetired(false)
	now := tenant.Now()
	require.NoError(t, tenant.AddIncident(HealthIncident{ID: "EX900", Workload: "Exchange", Feature: "delivery",
		Updates: []HealthUpdate{{At: now.Add(-time.Hour), Status: "ServiceDegradation"},
			{At: now.Add(time.Hour), Status: "PostIncidentReportPublished"}}}))
	require.NoError(t, tenant.AddMessageCenterPost(MessageCenterPost{ID: "MC900", Workload: "microsoftteams",
		Category: "Plan For Change", Published: now.Add(-time.Hour), Tags: []string{"Admin impact"}}))

	v1 := scAllMessages(t, srv, "")
	require.Len(t, v1, 2)
	issue := graphGet(t, srv, graphSA+"/issues", "").Value
	require.Len(t, issue, 1)
	assert.Equal(t, "EX900", scStr(t, issue[0]["id"]))
	assert.Equal(t, "serviceDegradation", scStr(t, issue[0]["status"]))
	assert.Equal(t, "E-Mail timely delivery", scStr(t, issue[0]["featureGroup"]))
	assert.Equal(t, "false", string(issue[0]["isResolved"]))
	r := scGet(t, srv, graphSA+"/messages/MC900", "")
	require.Equal(t, http.StatusOK, r.status)
	var mc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.body, &mc))
	assert.Equal(t, "planForChange", scStr(t, mc["category"]))
	assert.JSONEq(t, `["Microsoft Teams"]`, string(mc["services"]))
	assert.JSONEq(t, `["Admin impact"]`, string(mc["tags"]))

	h := graphGet(t, srv, graphSA+"/healthOverviews", "$filter="+url.PathEscape("id eq 'Exchange'"))
	require.Len(t, h.Value, 1)
	assert.Equal(t, "serviceDegradation", scStr(t, h.Value[0]["status"]))

	tenant.Advance(2 * time.Hour)
	issue = graphGet(t, srv, graphSA+"/issues", "").Value
	assert.Equal(t, "postIncidentReviewPublished", scStr(t, issue[0]["status"]), "Graph's name for the v1 status")
	assert.Equal(t, "true", string(issue[0]["isResolved"]))
	assert.NotEqual(t, "null", string(issue[0]["endDateTime"]))
	v1 = scAllMessages(t, srv, "MessageType eq "+scMCEnum+"'Incident'")
	require.Len(t, v1, 1)
	assert.Equal(t, "Post-incident report published", scStr(t, v1[0]["Status"]))

	// The retired API's switches leave Graph alone.
	tenant.SetRetired(true)
	assert.Equal(t, http.StatusInternalServerError, scGet(t, srv, scRoot+"/Messages", "").status)
	assert.Len(t, graphGet(t, srv, graphSA+"/issues", "").Value, 1)
}
