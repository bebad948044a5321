package office365test_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/office365test"
)

// TestGraphErrorsEverywhere: every way a /v1.0 request can fail — the
// server's token check and routing, injected faults and throttling, the
// mailbox store's 404s and 400s, the serviceAnnouncement front end, a JSON
// batch item — answers with Graph's error body (code, message, innerError
// with date, request-id and client-request-id), the request-id header that
// matches it, the caller's client-request-id echoed, and Graph's codes.
func TestGraphErrorsEverywhere(t *testing.T) {
	t.Parallel()
	const crid = "c0ffee00-0000-4000-8000-0000000000e1"
	cases := []struct {
		name    string
		method  string
		path    string
		body    string
		noToken bool
		fault   *office365test.Fault
		status  int
		code    string
		message string
		header  map[string]string // response headers that must be present
	}{
		{name: "no token", method: "GET", path: "/v1.0/me/messages", noToken: true,
			status: 401, code: "InvalidAuthenticationToken", message: "Access token is empty or invalid.",
			header: map[string]string{"WWW-Authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`}},
		{name: "token revoked (fault)", method: "GET", path: "/v1.0/me/mailFolders",
			fault:  &office365test.Fault{Times: 1, Status: 401, Code: "InvalidAuthenticationToken", Message: "Access token has expired or is not yet valid."},
			status: 401, code: "InvalidAuthenticationToken", message: "Access token has expired or is not yet valid.",
			header: map[string]string{"WWW-Authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`}},
		{name: "mail throttled, default code", method: "GET", path: "/v1.0/me/messages",
			fault:  &office365test.Fault{PathContains: "/messages", Times: 1, Status: 429, RetryAfter: "7"},
			status: 429, code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit.",
			header: map[string]string{"Retry-After": "7"}},
		{name: "serviceAnnouncement throttled, default code", method: "GET", path: "/v1.0/admin/serviceAnnouncement/issues",
			fault:  &office365test.Fault{PathContains: "/issues", Times: 1, Status: 429, RetryAfter: "2"},
			status: 429, code: "TooManyRequests", header: map[string]string{"Retry-After": "2"}},
		{name: "mail server busy", method: "GET", path: "/v1.0/me/contacts",
			fault:  &office365test.Fault{PathContains: "/contacts", Times: 1, Status: 503, RetryAfter: "1"},
			status: 503, code: "ErrorServerBusy", header: map[string]string{"Retry-After": "1"}},
		{name: "serviceAnnouncement unavailable", method: "GET", path: "/v1.0/admin/serviceAnnouncement/healthOverviews",
			fault:  &office365test.Fault{PathContains: "/healthOverviews", Times: 1, Status: 503},
			status: 503, code: "serviceNotAvailable"},
		{name: "fault with its own code", method: "GET", path: "/v1.0/me/events",
			fault:  &office365test.Fault{PathContains: "/events", Times: 1, Status: 429, Code: "activityLimitReached", Message: "The request has been throttled"},
			status: 429, code: "activityLimitReached", message: "The request has been throttled"},
		{name: "no front end", method: "GET", path: "/v1.0/sites/root",
			status: 400, code: "BadRequest"},
		{name: "unknown mailbox segment", method: "GET", path: "/v1.0/me/noSuchThing",
			status: 400, code: "BadRequest"},
		{name: "missing message", method: "GET", path: "/v1.0/me/messages/AAMkNope",
			status: 404, code: "ErrorItemNotFound"},
		{name: "missing user", method: "GET", path: "/v1.0/users/nobody@contoso.com/messages",
			status: 404, code: "ErrorInvalidUser"},
		{name: "malformed body", method: "POST", path: "/v1.0/me/messages", body: `{"subject":`,
			status: 400, code: "RequestBodyRead"},
		{name: "unsupported method", method: "DELETE", path: "/v1.0/me/mailboxSettings",
			status: 405, code: "BadRequest", message: "Specified HTTP method is not allowed for the request target."},
		{name: "missing issue", method: "GET", path: "/v1.0/admin/serviceAnnouncement/issues/EX000000",
			status: 404, code: "NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newGraphFake(t)
			if tc.fault != nil {
				f.InjectFault(tc.fault)
			}
			st, body, h := sendRaw(t, tc.method, f.URL()+tc.path, tc.body, func(h http.Header) {
				h.Set("client-request-id", crid)
				if tc.noToken {
					h.Del("Authorization")
				}
			})
			require.Equal(t, tc.status, st, "%v", body)
			code, inner := graphErr(t, body)
			assert.Equal(t, tc.code, code)
			msg, _ := body["error"].(map[string]any)["message"].(string)
			if tc.message != "" {
				assert.Equal(t, tc.message, msg)
			} else {
				assert.NotEmpty(t, msg)
			}
			assert.Equal(t, crid, inner["client-request-id"])
			assert.Equal(t, crid, h.Get("client-request-id"))
			require.NotEmpty(t, h.Get("request-id"))
			assert.Equal(t, h.Get("request-id"), inner["request-id"], "the header and the body name one request")
			assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`, inner["date"])
			assert.Contains(t, h.Get("Content-Type"), "application/json")
			for k, v := range tc.header {
				assert.Equal(t, v, h.Get(k), k)
			}
			if tc.status != 401 {
				assert.Empty(t, h.Get("WWW-Authenticate"))
			}
		})
	}
}

// TestGraphErrorsBodyOrderAndIDs pins the raw body's member order, as the
// service writes it, and the request ids when the caller sends none.
func TestGraphErrorsBodyOrderAndIDs(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	req, err := http.NewRequest("GET", f.URL()+"/v1.0/me/messages/AAMkNope", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	id := resp.Header.Get("request-id")
	require.NotEmpty(t, id)
	assert.Equal(t, id, resp.Header.Get("client-request-id"), "without one from the caller, client-request-id is the request-id")
	s := string(raw)
	assert.True(t, strings.HasPrefix(s, `{"error":{"code":"ErrorItemNotFound","message":"`), s)
	assert.Contains(t, s, `"innerError":{"date":"`)
	assert.Contains(t, s, `"request-id":"`+id+`","client-request-id":"`+id+`"}}}`)

	// Successful Graph responses carry the ids too.
	st, _, h := f.do(t, "GET", "/v1.0/me/mailFolders", "", "client-request-id", "abc")
	require.Equal(t, http.StatusOK, st)
	assert.NotEmpty(t, h.Get("request-id"))
	assert.Equal(t, "abc", h.Get("client-request-id"))
}

// TestRetiredAPIErrorsUnchanged: the retired APIs keep their own error
// bodies — no innerError, no Graph headers — for the same failures.
func TestRetiredAPIErrorsUnchanged(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	exact := func(t *testing.T, path string, fault *office365test.Fault, noToken bool, status int, want string) http.Header {
		t.Helper()
		if fault != nil {
			f.InjectFault(fault)
		}
		req, err := http.NewRequest("GET", f.URL()+path, nil)
		require.NoError(t, err)
		if !noToken {
			req.Header.Set("Authorization", "Bearer tok")
		}
		req.Header.Set("client-request-id", "abc")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, status, resp.StatusCode)
		assert.JSONEq(t, want, string(raw))
		assert.Empty(t, resp.Header.Get("request-id"))
		return resp.Header
	}
	h := exact(t, "/api/v2.0/me/messages", nil, true, 401,
		`{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty or invalid."}}`)
	assert.Equal(t, `Bearer realm="office365test", error="invalid_token"`, h.Get("WWW-Authenticate"))
	h = exact(t, "/api/v2.0/me/messages", &office365test.Fault{PathContains: "/api/v2.0/me/messages", Times: 1, Status: 429, RetryAfter: "3"}, false, 429,
		`{"error":{"code":"ApplicationThrottled","message":"Too Many Requests"}}`)
	assert.Equal(t, "3", h.Get("Retry-After"))
	exact(t, "/api/v2.0/me/contacts", &office365test.Fault{PathContains: "/api/v2.0/me/contacts", Times: 1, Status: 503}, false, 503,
		`{"error":{"code":"ErrorServerBusy","message":"Service Unavailable"}}`)
	exact(t, "/nothing/here", nil, false, 404, `{"error":{"code":"ErrorInvalidUrl","message":"No API is mounted at /nothing/here."}}`)
	exact(t, "/api/v2.0/me/noSuchThing", nil, false, 404,
		`{"error":{"code":"ErrorInvalidUrl","message":"Resource not found for the segment 'noSuchThing'."}}`)
}

// TestGraphBatchItemErrors: a fault hitting one request of a JSON batch
// answers that item with Graph's error body and Retry-After, the others
// run.
func TestGraphBatchItemErrors(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	f.InjectFault(&office365test.Fault{PathContains: "/contacts", Times: 1, Status: 429, RetryAfter: "4"})
	st, body, _ := f.do(t, "POST", "/v1.0/$batch", `{"requests":[
		{"id":"1","method":"GET","url":"/me/contacts"},
		{"id":"2","method":"GET","url":"/me/mailFolders/inbox"},
		{"id":"3","method":"GET","url":"/me/messages/AAMkNope"}]}`, "client-request-id", "outer-id")
	require.Equal(t, http.StatusOK, st, body)
	res := map[string]map[string]any{}
	for _, r := range body["responses"].([]any) {
		m := r.(map[string]any)
		res[m["id"].(string)] = m
	}
	assert.EqualValues(t, 429, res["1"]["status"])
	assert.Equal(t, "4", res["1"]["headers"].(map[string]any)["Retry-After"])
	code, inner := graphErr(t, res["1"]["body"].(map[string]any))
	assert.Equal(t, "ApplicationThrottled", code)
	assert.Equal(t, "outer-id", inner["client-request-id"])
	assert.NotEmpty(t, inner["request-id"])
	assert.EqualValues(t, 200, res["2"]["status"])
	assert.EqualValues(t, 404, res["3"]["status"])
	code, _ = graphErr(t, res["3"]["body"].(map[string]any))
	assert.Equal(t, "ErrorItemNotFound", code)
}

// TestGraphOutlookUserFunctions: /outlook/supportedLanguages and
// /outlook/supportedTimeZones (Windows or IANA aliases) answer Graph's
// localeInfo and timeZoneInformation collections from the data the
// retired API's beta SupportedLanguages and SupportedTimeZones serve.
func TestGraphOutlookUserFunctions(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	graphList := func(path string) []map[string]any {
		body := f.get(t, path)
		for k := range body {
			assert.True(t, k == "value" || k == "@odata.context", "member %q", k)
		}
		return values(body)
	}
	langs := f.get(t, "/v1.0/me/outlook/supportedLanguages")
	assert.True(t, strings.HasSuffix(langs["@odata.context"].(string), "/v1.0/$metadata#Collection(microsoft.graph.localeInfo)"), langs["@odata.context"])
	v2 := f.get(t, "/api/beta/me/SupportedLanguages")
	require.Len(t, values(langs), len(values(v2)))
	for i, l := range values(langs) {
		assert.Equal(t, map[string]any{"locale": values(v2)[i]["Locale"], "displayName": values(v2)[i]["DisplayName"]}, l)
	}
	assert.Equal(t, values(langs), graphList("/v1.0/users/alex.wilber@contoso.com/outlook/supportedLanguages"))

	zones := f.get(t, "/v1.0/me/outlook/supportedTimeZones")
	assert.True(t, strings.HasSuffix(zones["@odata.context"].(string), "/v1.0/$metadata#Collection(microsoft.graph.timeZoneInformation)"), zones["@odata.context"])
	windows := values(zones)
	require.NotEmpty(t, windows)
	assert.Equal(t, map[string]any{"alias": "UTC", "displayName": "(UTC) Coordinated Universal Time"}, windows[0])
	assert.Equal(t, windows, graphList("/v1.0/me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Windows')"))
	iana := graphList("/v1.0/me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')")
	require.Len(t, iana, len(windows))
	for i, z := range iana {
		assert.Equal(t, windows[i]["displayName"], z["displayName"])
		assert.NotContains(t, z["alias"], " Standard Time")
	}
	assert.Contains(t, iana, map[string]any{"alias": "America/Los_Angeles", "displayName": "(UTC-08:00) Pacific Time (US & Canada)"})
	assert.Equal(t, iana, graphList("/v1.0/me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'iana')"))

	st, body, _ := f.do(t, "GET", "/v1.0/me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Martian')", "")
	assert.Equal(t, http.StatusBadRequest, st)
	graphErr(t, body)
	st, body, _ = f.do(t, "GET", "/v1.0/me/outlook/masterColours", "")
	assert.Equal(t, http.StatusBadRequest, st)
	code, _ := graphErr(t, body)
	assert.Equal(t, "BadRequest", code)
	st, body, _ = f.do(t, "POST", "/v1.0/me/outlook/supportedLanguages", `{}`)
	assert.Equal(t, http.StatusMethodNotAllowed, st)
	graphErr(t, body)
}
