package office365test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/office365test/internal/healthstore"
)

const scMCEnum = "Microsoft.Office365ServiceComms.ExposedContracts.MessageType"

// scFixed is a fixed clock for the tenant tests.
var scFixed = time.Date(2020, 9, 19, 13, 15, 36, 684776900, time.UTC)

func newSCTenant(t *testing.T, opts ...TenantOption) (*Server, *Tenant) {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	tenant := NewTenant(opts...)
	tenant.Register(srv)
	return srv, tenant
}

type scResp struct {
	status int
	header http.Header
	body   []byte
}

func scGet(t *testing.T, srv *Server, path, rawQuery string, hdr ...string) scResp {
	t.Helper()
	u := srv.URL() + path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return scResp{resp.StatusCode, resp.Header, b}
}

// scValue returns the decoded "value" array of a 200 response.
func scValue(t *testing.T, r scResp) []map[string]json.RawMessage {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var env struct{ Value []map[string]json.RawMessage }
	require.NoError(t, json.Unmarshal(r.body, &env))
	return env.Value
}

func scStr(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var s string
	require.NoError(t, json.Unmarshal(raw, &s), string(raw))
	return s
}

const scRoot = "/api/v1.0/contoso.com/ServiceComms"

// scAllMessages pages through Messages with the given filter.
func scAllMessages(t *testing.T, srv *Server, filter string) []map[string]json.RawMessage {
	t.Helper()
	var all []map[string]json.RawMessage
	for skip := 0; ; skip += 100 {
		q := "$top=100&$skip=" + itoa(skip)
		if filter != "" {
			q = "$filter=" + url.QueryEscape(filter) + "&" + q
		}
		page := scValue(t, scGet(t, srv, scRoot+"/Messages", q))
		all = append(all, page...)
		if len(page) < 100 {
			return all
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestTenantServicesAndShapes(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t)
	svcs := scValue(t, scGet(t, srv, scRoot+"/Services", ""))
	require.GreaterOrEqual(t, len(svcs), 10)
	assert.Len(t, tenant.Workloads(), len(svcs))
	for _, s := range svcs {
		var feats []struct{ Name, DisplayName string }
		require.NoError(t, json.Unmarshal(s["Features"], &feats))
		require.NotEmpty(t, feats, scStr(t, s["Id"]))
		assert.NotEmpty(t, feats[0].Name)
		assert.NotEmpty(t, feats[0].DisplayName)
		assert.NotContains(t, s, "FeatureNames")
	}
	assert.Equal(t, "microsoftteams", scStr(t, svcs[1]["Id"]), "workload ids keep the live service's mixed casing")

	tenant.SetShape(TenantDocumentedShape)
	svcs = scValue(t, scGet(t, srv, scRoot+"/Services", ""))
	var names []string
	require.NoError(t, json.Unmarshal(svcs[0]["FeatureNames"], &names))
	assert.Contains(t, names, "E-Mail and calendar access")
	assert.NotContains(t, svcs[0], "Features")

	cur := scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", ""))
	assert.Contains(t, cur[0], "StatusDate")
	assert.Contains(t, cur[0], "FeatureGroupStatusCollection")
	assert.NotContains(t, cur[0], "StatusDisplayName")
	var fg []map[string]string
	require.NoError(t, json.Unmarshal(cur[0]["FeatureGroupStatusCollection"], &fg))
	assert.ElementsMatch(t, []string{"Feature", "FeatureGroupDisplayName", "FeatureStatus"}, keys(fg[0]))

	msgs := scValue(t, scGet(t, srv, scRoot+"/Messages", "$top=1"))
	assert.ElementsMatch(t, []string{"Id", "Name", "Title", "StartTime", "EndTime", "Status", "Messages", "LastUpdatedTime",
		"Workload", "WorkloadDisplayName", "Feature", "FeatureDisplayName", "MessageType"}, keys(msgs[0]))
	assert.Equal(t, "null", string(msgs[0]["Title"]))
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestTenantLiveStatusShape(t *testing.T) {
	t.Parallel()
	srv, _ := newSCTenant(t, WithTenantClock(func() time.Time { return scFixed }))
	cur := scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", ""))
	require.Len(t, cur, 14)
	assert.ElementsMatch(t, []string{"FeatureStatus", "Id", "IncidentIds", "Status", "StatusDisplayName", "StatusTime",
		"Workload", "WorkloadDisplayName"}, keys(cur[0]))
	assert.Equal(t, "2020-09-18T13:15:36.6847769Z", scStr(t, cur[0]["StatusTime"]), "24 hours ago, seven fractional digits")
	var fs []map[string]string
	require.NoError(t, json.Unmarshal(cur[0]["FeatureStatus"], &fs))
	assert.ElementsMatch(t, []string{"FeatureDisplayName", "FeatureName", "FeatureServiceStatus", "FeatureServiceStatusDisplayName"}, keys(fs[0]))

	statuses := map[string]bool{}
	for _, w := range cur {
		s := scStr(t, w["Status"])
		statuses[s] = true
		assert.Equal(t, healthstore.StatusDisplay[s], scStr(t, w["StatusDisplayName"]))
		var ids []string
		require.NoError(t, json.Unmarshal(w["IncidentIds"], &ids))
		if s == "ServiceOperational" {
			assert.Empty(t, ids)
		} else {
			assert.NotEmpty(t, ids, "%s %s", scStr(t, w["Id"]), s)
		}
	}
	for _, s := range []string{"Investigating", "ServiceDegradation", "ServiceInterruption", "RestoringService",
		"ExtendedRecovery", "InvestigationSuspended"} {
		assert.True(t, statuses[s], "a workload is in %s at the epoch", s)
	}
}

func TestTenantMessagesVolumeAndLiveFields(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t)
	all := scAllMessages(t, srv, "")
	require.GreaterOrEqual(t, len(all), 150, "enough messages in the default window to need paging")
	assert.Equal(t, len(tenant.MessageIDs()), len(all))

	ids := map[string]bool{}
	openStatuses := map[string]bool{}
	types := map[string]int{}
	var prevStart time.Time
	timeRE := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$`)
	for i, m := range all {
		id := scStr(t, m["Id"])
		assert.False(t, ids[id], "duplicate %s", id)
		ids[id] = true
		typ := scStr(t, m["MessageType"])
		types[typ]++
		for _, k := range []string{"AffectedWorkloadDisplayNames", "AffectedWorkloadNames", "Status", "Workload",
			"WorkloadDisplayName", "ActionType", "AdditionalDetails", "AffectedTenantCount", "AffectedUserCount",
			"Classification", "EndTime", "Feature", "FeatureDisplayName", "UserFunctionalImpact", "Id",
			"ImpactDescription", "LastUpdatedTime", "MessageType", "Messages", "PostIncidentDocumentUrl", "Severity",
			"StartTime", "TenantParams", "Title"} {
			assert.Contains(t, m, k, "%s lacks %s", id, k)
		}
		start, err := time.Parse(time.RFC3339, scStr(t, m["StartTime"]))
		require.NoError(t, err)
		if i > 0 {
			assert.False(t, start.After(prevStart), "newest first")
		}
		prevStart = start
		assert.Regexp(t, timeRE, scStr(t, m["LastUpdatedTime"]))
		var entries []struct{ PublishedTime, MessageText string }
		require.NoError(t, json.Unmarshal(m["Messages"], &entries))
		require.NotEmpty(t, entries)
		for _, e := range entries {
			assert.Regexp(t, timeRE, e.PublishedTime)
			assert.NotEmpty(t, e.MessageText)
		}
		if typ == "MessageCenter" {
			for _, k := range []string{"ActionRequiredByDate", "AnnouncementId", "AppliesTo", "BlogLink", "Category",
				"ExternalLink", "FeatureName", "FlightName", "HelpLink", "IsDismissed", "IsMajorChange", "IsRead",
				"MessageTagNames", "Milestone", "MilestoneDate", "PreviewDuration"} {
				assert.Contains(t, m, k, "%s lacks %s", id, k)
			}
			assert.Equal(t, `""`, string(m["Status"]))
			assert.True(t, strings.HasPrefix(id, "MC"))
			continue
		}
		assert.NotContains(t, m, "Category", "incidents carry no Message Center fields")
		if typ == "Incident" && string(m["EndTime"]) == "null" {
			openStatuses[scStr(t, m["Status"])] = true
		}
	}
	assert.Positive(t, types["Incident"])
	assert.Positive(t, types["MessageCenter"])
	assert.Positive(t, types["PlannedMaintenance"])
	assert.GreaterOrEqual(t, len(openStatuses), 5, "open incidents in several statuses: %v", openStatuses)
}

func TestTenantFilters(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t)
	now := tenant.Now()
	all := scAllMessages(t, srv, "")
	count := func(pred func(m map[string]json.RawMessage) bool) int {
		n := 0
		for _, m := range all {
			if pred(m) {
				n++
			}
		}
		return n
	}
	mc := scAllMessages(t, srv, "MessageType eq "+scMCEnum+"'MessageCenter'")
	assert.Len(t, mc, count(func(m map[string]json.RawMessage) bool { return scStr(t, m["MessageType"]) == "MessageCenter" }))
	assert.NotEmpty(t, mc)
	notMC := scAllMessages(t, srv, "MessageType ne "+scMCEnum+"'MessageCenter'")
	assert.Len(t, notMC, len(all)-len(mc))

	ex := scAllMessages(t, srv, "Workload eq 'exchange'")
	assert.Len(t, ex, count(func(m map[string]json.RawMessage) bool { return string(m["Workload"]) == `"Exchange"` }),
		"workload ids compare case-insensitively")
	assert.NotEmpty(t, ex)

	id := scStr(t, all[7]["Id"])
	one := scAllMessages(t, srv, "Id eq '"+id+"'")
	require.Len(t, one, 1)
	assert.Equal(t, id, scStr(t, one[0]["Id"]))

	since := now.Add(-36 * time.Hour).Format(time.RFC3339)
	recent := scAllMessages(t, srv, "StartTime ge "+since+" and Workload eq 'SharePoint'")
	for _, m := range recent {
		assert.GreaterOrEqual(t, scStr(t, m["StartTime"]), since)
		assert.Equal(t, "SharePoint", scStr(t, m["Workload"]))
	}
	wide := scAllMessages(t, srv, "StartTime ge "+now.Add(-9*24*time.Hour).Format(time.RFC3339))
	assert.Greater(t, len(wide), len(all), "an explicit StartTime replaces the default window")

	until := now.Add(-2 * 24 * time.Hour).Format(time.RFC3339)
	ended := scAllMessages(t, srv, "EndTime le "+until+" and MessageType eq "+scMCEnum+"'Incident'")
	assert.NotEmpty(t, ended)
	for _, m := range ended {
		assert.NotEqual(t, "null", string(m["EndTime"]), "null EndTime never matches")
		assert.LessOrEqual(t, scStr(t, m["EndTime"]), until)
	}
	withOffset := scAllMessages(t, srv, "EndTime le "+now.Add(-2*24*time.Hour).In(time.FixedZone("", 3600)).Format(time.RFC3339Nano))
	assert.GreaterOrEqual(t, len(withOffset), len(ended))

	cur := scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", "$filter="+url.PathEscape("Workload eq 'Planner'")))
	require.Len(t, cur, 1)
	assert.Equal(t, "Planner", scStr(t, cur[0]["Id"]))

	hist := scValue(t, scGet(t, srv, scRoot+"/HistoricalStatus", "$filter="+url.PathEscape("Workload eq 'Planner' and StatusTime ge "+
		now.Add(-2*24*time.Hour).Format(time.RFC3339))))
	require.Len(t, hist, 2)
	assert.Contains(t, scStr(t, hist[0]["StatusTime"]), "T00:00:00Z")
	assert.Greater(t, scStr(t, hist[0]["StatusTime"]), scStr(t, hist[1]["StatusTime"]), "newest day first")
	hist = scValue(t, scGet(t, srv, scRoot+"/HistoricalStatus", ""))
	assert.Len(t, hist, 14*7)
	longer := scValue(t, scGet(t, srv, scRoot+"/HistoricalStatus", "$filter="+url.PathEscape("StatusTime ge "+
		now.Add(-20*24*time.Hour).Format(time.RFC3339))))
	assert.Len(t, longer, 14*20)
}

func TestTenantRejectsWhatTheServiceWouldIgnore(t *testing.T) {
	t.Parallel()
	srv, _ := newSCTenant(t)
	bad := map[string]string{
		"plain string enum":   "MessageType eq 'MessageCenter'",
		"unquoted string":     "Workload eq Exchange",
		"property case":       "workload eq 'Exchange'",
		"quoted datetime":     "StartTime ge '2020-01-01T00:00:00Z'",
		"date without time":   "StartTime ge 2020-01-01",
		"no zone":             "StartTime ge 2020-01-01T00:00:00",
		"or":                  "Workload eq 'Exchange' or Id eq 'X'",
		"parentheses":         "(Workload eq 'Exchange')",
		"dangling and":        "Workload eq 'Exchange' and",
		"unterminated":        "Id eq 'EX1",
		"unknown property":    "Foo eq 'x'",
		"other enum type":     "MessageType eq Microsoft.Other.MessageType'MessageCenter'",
		"unknown enum member": "MessageType eq " + scMCEnum + "'Bogus'",
		"not filterable here": "StatusTime ge 2020-01-01T00:00:00Z",
		"ordering on string":  "Workload gt 'A'",
		"unknown operator":    "StartTime after 2020-01-01T00:00:00Z",
		"empty":               "",
		"space-decoded plus":  "StartTime ge 2020-01-01T00:00:00+02:00",
	}
	for name, f := range bad {
		q := "$filter=" + strings.ReplaceAll(url.PathEscape(f), "+", "+") // a literal + decodes to a space
		r := scGet(t, srv, scRoot+"/Messages", q)
		assert.Equal(t, http.StatusBadRequest, r.status, "%s: %s", name, r.body)
		assert.Contains(t, string(r.body), "InvalidFilter", name)
	}
	r := scGet(t, srv, scRoot+"/Messages", "$filter="+url.PathEscape("MessageType eq 'MessageCenter'"))
	assert.Contains(t, string(r.body), "silently ignores", "the message explains the real service's behaviour")

	for name, q := range map[string]string{
		"orderby":           "$orderby=StartTime",
		"openapi parameter": "Workload=Exchange",
		"count":             "$count=true",
		"top not a number":  "$top=abc",
		"negative skip":     "$skip=-1",
		"repeated":          "$top=1&$top=2",
		"empty select":      "$select=Id,,Title",
		"unknown select":    "$select=Id,Nope",
	} {
		r := scGet(t, srv, scRoot+"/Messages", q)
		assert.Equal(t, http.StatusBadRequest, r.status, "%s: %s", name, r.body)
	}
	for _, q := range []string{"$filter=" + url.PathEscape("Workload eq 'Exchange'"), "$top=5"} {
		r := scGet(t, srv, scRoot+"/Services", q)
		assert.Equal(t, http.StatusBadRequest, r.status, "Services accepts only $select: %s", q)
	}
	r = scGet(t, srv, scRoot+"/CurrentStatus", "$filter="+url.PathEscape("StatusTime ge 2020-01-01T00:00:00Z"))
	assert.Equal(t, http.StatusBadRequest, r.status)
}

func TestTenantTopSkipSelect(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t)
	ids := tenant.MessageIDs()
	page := scValue(t, scGet(t, srv, scRoot+"/Messages", "$top=500"))
	assert.Len(t, page, 100, "$top is capped at 100")
	page = scValue(t, scGet(t, srv, scRoot+"/Messages", ""))
	assert.Len(t, page, 100, "default page size 100")
	page = scValue(t, scGet(t, srv, scRoot+"/Messages", "$top=3&$skip=5"))
	require.Len(t, page, 3)
	assert.Equal(t, ids[5], scStr(t, page[0]["Id"]))
	page = scValue(t, scGet(t, srv, scRoot+"/Messages", "$skip=100000"))
	assert.Empty(t, page)
	assert.Contains(t, string(scGet(t, srv, scRoot+"/Messages", "$skip=100000").body), `"value":[]`)

	page = scValue(t, scGet(t, srv, scRoot+"/Messages", "$select=id,Title&$top=2"))
	require.Len(t, page, 2)
	assert.ElementsMatch(t, []string{"Id", "Title"}, keys(page[0]), "names match case-insensitively and keep the service's case")
	svcs := scValue(t, scGet(t, srv, scRoot+"/Services", "$select=DisplayName"))
	assert.Equal(t, []string{"DisplayName"}, keys(svcs[0]))
}

func TestTenantClockAndAdvance(t *testing.T) {
	t.Parallel()
	clock := scFixed
	srv, tenant := newSCTenant(t)
	srv.SetClock(func() time.Time { return clock })
	assert.Equal(t, scFixed, tenant.Now(), "a registered tenant follows the server clock")
	assert.Equal(t, scFixed.Truncate(time.Second), tenant.Epoch())

	status := func() map[string]string {
		out := map[string]string{}
		for _, w := range scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", "")) {
			out[scStr(t, w["Id"])] = scStr(t, w["Status"])
		}
		return out
	}
	open := map[string]bool{}
	for _, m := range scAllMessages(t, srv, "MessageType eq "+scMCEnum+"'Incident'") {
		if string(m["EndTime"]) == "null" {
			open[scStr(t, m["Id"])] = true
		}
	}
	require.GreaterOrEqual(t, len(open), 6)
	before, idsBefore := status(), tenant.MessageIDs()

	tenant.Advance(3 * time.Hour)
	assert.Equal(t, scFixed.Add(3*time.Hour), tenant.Now())
	after, idsAfter := status(), tenant.MessageIDs()
	assert.NotEqual(t, before, after, "statuses change as incidents open and resolve")
	newIDs := 0
	for _, id := range idsAfter {
		if !contains(idsBefore, id) {
			newIDs++
		}
	}
	assert.GreaterOrEqual(t, newIDs, 3, "new messages appear")
	resolved := 0
	for _, m := range scAllMessages(t, srv, "MessageType eq "+scMCEnum+"'Incident'") {
		if open[scStr(t, m["Id"])] && string(m["EndTime"]) != "null" {
			assert.Equal(t, "Service restored", scStr(t, m["Status"]))
			assert.Contains(t, string(m["Messages"]), "This is the final update for the event.")
			resolved++
		}
	}
	assert.GreaterOrEqual(t, resolved, 4, "the incidents open at the epoch resolve within hours")

	// Moving the server clock moves the tenant too.
	clock = clock.Add(24 * time.Hour)
	assert.Equal(t, scFixed.Add(27*time.Hour), tenant.Now())
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestTenantIsDeterministic(t *testing.T) {
	t.Parallel()
	body := func(opts ...TenantOption) string {
		srv, _ := newSCTenant(t, append(opts, WithTenantClock(func() time.Time { return scFixed }))...)
		return string(scGet(t, srv, scRoot+"/Messages", "$top=100&$skip=50").body)
	}
	a, b := body(), body()
	assert.True(t, a == b, "same seed, same clock: same data")
	assert.False(t, a == body(WithTenantSeed(2)), "another seed: other data")
	assert.True(t, a == body(WithTenantEpoch(scFixed.Truncate(time.Second))), "the epoch defaults to the clock, to the second")
}

func TestTenantRoutingAndOptions(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t, WithTenantNames("contoso.com", "72f988bf-86f1-41af-91ab-2d7cd011db47"))
	r := scGet(t, srv, "/API/V1.0/CONTOSO.com/servicecomms/messages", "$top=1")
	assert.Equal(t, http.StatusOK, r.status, "paths are case-insensitive")
	assert.NotEmpty(t, r.header.Get("X-Activity-Id"))
	r = scGet(t, srv, "/api/v1.0/72f988bf-86f1-41af-91ab-2d7cd011db47/ServiceComms/Services", "")
	assert.Equal(t, http.StatusOK, r.status)
	r = scGet(t, srv, "/api/v1.0/fabrikam.com/ServiceComms/Services", "")
	assert.Equal(t, http.StatusForbidden, r.status)
	assert.Contains(t, string(r.body), "TenantMismatch")
	for _, p := range []string{"/api/v1.0/contoso.com/ServiceComms/Nope", "/api/v1.0/contoso.com/Other/Services",
		"/api/v1.0/contoso.com/ServiceComms", "/api/v1.0/contoso.com/ServiceComms/Messages/EX1"} {
		assert.Equal(t, http.StatusNotFound, scGet(t, srv, p, "").status, p)
	}

	req, _ := http.NewRequest(http.MethodPost, srv.URL()+scRoot+"/Messages", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer t")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	r = scGet(t, srv, scRoot+"/Services", "", "Accept", "application/json;odata.metadata=minimal")
	assert.Contains(t, string(r.body), `"@odata.context":"https://`)
	r = scGet(t, srv, scRoot+"/Services", "")
	assert.NotContains(t, string(r.body), "@odata.context")

	// The server's bearer check and faults apply to the tenant's routes.
	req, _ = http.NewRequest(http.MethodGet, srv.URL()+scRoot+"/Services", nil)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	srv.FailNext(1, "/ServiceComms/", http.StatusServiceUnavailable, "2")
	r = scGet(t, srv, scRoot+"/Services", "")
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "2", r.header.Get("Retry-After"))
	assert.Equal(t, http.StatusOK, scGet(t, srv, scRoot+"/Services", "").status)

	tenant.SetRetired(true)
	r = scGet(t, srv, scRoot+"/CurrentStatus", "")
	assert.Equal(t, http.StatusInternalServerError, r.status)
	assert.Equal(t, RetiredServiceCommsMessage, string(r.body))
	assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/plain"))
	tenant.SetRetired(false)
	assert.Equal(t, http.StatusOK, scGet(t, srv, scRoot+"/CurrentStatus", "").status)

	srv2, _ := newSCTenant(t, WithRetiredServiceComms())
	assert.Equal(t, http.StatusInternalServerError, scGet(t, srv2, scRoot+"/Messages", "").status)
}

func TestTenantLeavesOtherV1PathsToOtherFakes(t *testing.T) {
	t.Parallel()
	srv, _ := newSCTenant(t)
	srv.Mount("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"served": "other"})
	}))
	r := scGet(t, srv, "/api/v1.0/me/messages", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"served":"other"}`, string(r.body))
	r = scGet(t, srv, "/api/v1.0/contoso.com/servicecomms/Bogus", "")
	assert.Equal(t, http.StatusNotFound, r.status, "a ServiceComms-shaped path is the tenant's")
	assert.Len(t, scValue(t, scGet(t, srv, scRoot+"/Services", "")), 14)
}

func TestTenantScripting(t *testing.T) {
	t.Parallel()
	srv, tenant := newSCTenant(t, WithoutGeneratedMessages(), WithTenantClock(func() time.Time { return scFixed }))
	assert.Empty(t, tenant.MessageIDs())
	for _, w := range scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", "")) {
		assert.Equal(t, "ServiceOperational", scStr(t, w["Status"]))
	}
	now := tenant.Now()
	require.NoError(t, tenant.AddIncident(HealthIncident{ID: "EX1", Workload: "exchange", Feature: "delivery",
		Updates: []HealthUpdate{{At: now.Add(-time.Hour), Status: "ServiceInterruption"}, {At: now.Add(time.Hour), Status: "ServiceRestored"}}}))
	require.NoError(t, tenant.AddMessageCenterPost(MessageCenterPost{ID: "MC1", Title: "Hello", Published: now.Add(-time.Minute),
		Updates: []HealthUpdate{{At: now.Add(time.Hour)}}, Tags: []string{"New feature"}, MajorChange: true}))

	cur := scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", "$filter="+url.PathEscape("Workload eq 'Exchange'")))
	assert.Equal(t, "ServiceInterruption", scStr(t, cur[0]["Status"]))
	assert.JSONEq(t, `["EX1"]`, string(cur[0]["IncidentIds"]))
	assert.Contains(t, string(cur[0]["FeatureStatus"]), `"FeatureName":"delivery","FeatureServiceStatus":"ServiceInterruption"`)
	msgs := scAllMessages(t, srv, "")
	require.Len(t, msgs, 2)
	assert.Equal(t, "null", string(msgs[1]["EndTime"]))

	tenant.Advance(2 * time.Hour)
	cur = scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", "$filter="+url.PathEscape("Workload eq 'Exchange'")))
	assert.Equal(t, "ServiceRestored", scStr(t, cur[0]["Status"]), "resolved within the last 24 hours")
	msgs = scAllMessages(t, srv, "Id eq 'MC1'")
	assert.Equal(t, "(Updated) Hello", scStr(t, msgs[0]["Title"]))
	assert.JSONEq(t, `["New feature","Updated message"]`, string(msgs[0]["MessageTagNames"]))
	tenant.Advance(24 * time.Hour)
	cur = scValue(t, scGet(t, srv, scRoot+"/CurrentStatus", "$filter="+url.PathEscape("Workload eq 'Exchange'")))
	assert.Equal(t, "ServiceOperational", scStr(t, cur[0]["Status"]))

	for _, bad := range []HealthIncident{
		{ID: "", Workload: "Exchange", Updates: []HealthUpdate{{At: now, Status: "Investigating"}}},
		{ID: "EX1", Workload: "Exchange", Updates: []HealthUpdate{{At: now, Status: "Investigating"}}},
		{ID: "EX2", Workload: "Nope", Updates: []HealthUpdate{{At: now, Status: "Investigating"}}},
		{ID: "EX3", Workload: "Exchange", Feature: "nope", Updates: []HealthUpdate{{At: now, Status: "Investigating"}}},
		{ID: "EX4", Workload: "Exchange"},
		{ID: "EX5", Workload: "Exchange", Updates: []HealthUpdate{{At: now, Status: "Broken"}}},
		{ID: "EX6", Workload: "Exchange", Updates: []HealthUpdate{{At: now, Status: "Investigating"}, {At: now.Add(-time.Hour), Status: "Investigating"}}},
		{ID: "EX7", Workload: "Exchange", MessageType: "MessageCenter", Updates: []HealthUpdate{{At: now, Status: "Investigating"}}},
	} {
		assert.Error(t, tenant.AddIncident(bad), bad.ID)
	}
	for _, bad := range []MessageCenterPost{{ID: "MC1", Published: now}, {ID: "MC2"}, {ID: "MC3", Published: now, Workload: "Nope"},
		{ID: "MC4", Published: now, Updates: []HealthUpdate{{At: now.Add(-time.Hour)}}}} {
		assert.Error(t, tenant.AddMessageCenterPost(bad), bad.ID)
	}
}
