package office365test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Raw HTTP tests of the Calendar, Contacts, Tasks and Photo fakes: status
// codes, error bodies and response shapes, without the client.

func pimHTTP(t *testing.T) (*Server, *Mailbox, func(method, path, body string, hdr ...string) (int, map[string]any, http.Header)) {
	t.Helper()
	now := time.Date(2017, 3, 1, 17, 0, 0, 0, time.UTC)
	srv := NewServer(WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	mb := NewMailbox(WithSampleData(), WithMailboxClock(func() time.Time { return now }))
	mb.Register(srv)
	do := func(method, path, body string, hdr ...string) (int, map[string]any, http.Header) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer t")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Add(hdr[i], hdr[i+1])
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		var out map[string]any
		if len(b) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			require.NoError(t, json.Unmarshal(b, &out), string(b))
		}
		return resp.StatusCode, out, resp.Header
	}
	return srv, mb, do
}

func errCode(body map[string]any) string {
	code, _ := asMap(body["error"])["code"].(string)
	return code
}

func TestPIMFakeHTTPErrors(t *testing.T) {
	t.Parallel()
	_, _, do := pimHTTP(t)
	const ev = `{"Subject":"x","Start":{"DateTime":"2017-03-02T10:00:00","TimeZone":"Pacific Standard Time"},"End":{"DateTime":"2017-03-02T11:00:00","TimeZone":"Pacific Standard Time"}}`
	cases := []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"POST", "/api/v2.0/me/events", `{"Subject":`, 400, "RequestBodyRead"},
		{"POST", "/api/v2.0/me/events", `{"Subject":"x","Colour":"red"}`, 400, "RequestBodyRead"},
		{"POST", "/api/v2.0/me/events", `{"Subject":"x"}`, 400, "ErrorInvalidRequest"},
		{"POST", "/api/v2.0/me/events", `{"Start":{"DateTime":"2017-03-02T10:00:00","TimeZone":"Mars"},"End":{"DateTime":"2017-03-02T11:00:00","TimeZone":"UTC"}}`, 400, "TimeZoneNotSupportedException"},
		{"POST", "/api/v2.0/me/events", strings.Replace(ev, `"Subject":"x"`, `"ShowAs":"Sleeping"`, 1), 400, "ErrorInvalidPropertyValue"},
		{"POST", "/api/v2.0/me/events", strings.Replace(ev, `"Subject":"x"`, `"Recurrence":{"Pattern":{"Type":"Weekly","Interval":1},"Range":{"Type":"NoEnd","StartDate":"2017-03-02"}}`, 1), 400, "ErrorPropertyValidationFailure"},
		{"GET", "/api/v2.0/me/calendarview", "", 400, "ErrorInvalidParameter"},
		{"GET", "/api/v2.0/me/calendarview?startDateTime=2017-03-02T00:00:00Z&endDateTime=2017-03-01T00:00:00Z", "", 400, "ErrorInvalidParameter"},
		{"GET", "/api/v2.0/me/calendarview?startDateTime=2017-03-02T00:00:00Z&endDateTime=2017-03-03T00:00:00Z&$filter=Body%20eq%20'x'", "", 400, "ErrorInvalidProperty"},
		{"GET", "/api/v2.0/me/events('nope')", "", 404, "ErrorItemNotFound"},
		{"PUT", "/api/v2.0/me/events", "", 405, "ErrorInvalidRequest"},
		{"POST", "/api/v2.0/me/events/nope/cancel", `{}`, 404, "ErrorInvalidUrl"}, // beta only
		{"GET", "/api/v2.0/me/ReminderView(StartDateTime='x',EndDateTime='y')", "", 400, "ErrorInvalidParameter"},
		{"POST", "/api/v2.0/me/findmeetingtimes", `{"MeetingDuration":"an hour"}`, 400, "ErrorInvalidParameter"},
		{"POST", "/api/v2.0/me/findmeetingtimes", `{"Bogus":1}`, 400, "RequestBodyRead"},
		{"POST", "/api/v2.0/me/contacts", `{"Surname":"x"}`, 400, "ErrorInvalidPropertyValue"},
		{"POST", "/api/v2.0/me/contacts", `{"GivenName":"x","EmailAddresses":[{"Address":"nope"}]}`, 400, "ErrorInvalidPropertyValue"},
		{"GET", "/api/v2.0/me/contacts?$search=x", "", 400, "ErrorInvalidUrlQuery"},
		{"GET", "/api/v2.0/me/contacts?$filter=Categories/any(c:c%20eq%20'x')", "", 400, "ErrorInvalidProperty"},
		{"POST", "/api/v2.0/me/tasks", `{"Status":"NotStarted"}`, 400, "ErrorInvalidPropertyValue"},
		{"POST", "/api/v2.0/me/tasks", `{"Subject":"x","Status":"Sleeping"}`, 400, "ErrorInvalidPropertyValue"},
		{"DELETE", "/api/v2.0/me/taskfolders('Tasks')", "", 400, "ErrorInvalidRequest"},
		{"GET", "/api/v2.0/me/photo/$value", "", 404, "ErrorItemNotFound"},
		{"PUT", "/api/v2.0/me/photo/$value", "GIF89a", 400, "ErrorInvalidRequest"},
		{"GET", "/api/v2.0/me/photos", "", 404, "ErrorInvalidUrl"}, // beta only
		{"GET", "/api/v2.0/me/calendars('nope')/events", "", 404, "ErrorItemNotFound"},
	}
	for _, c := range cases {
		status, body, _ := do(c.method, c.path, c.body)
		assert.Equal(t, c.status, status, "%s %s", c.method, c.path)
		assert.Equal(t, c.code, errCode(body), "%s %s: %v", c.method, c.path, body)
	}
}

func TestPIMFakeHTTPShapes(t *testing.T) {
	t.Parallel()
	srv, mb, do := pimHTTP(t)
	status, ev, hdr := do("POST", "/api/v2.0/me/events?$select=Subject,Start", `{"Subject":"Lunch","Start":{"DateTime":"2017-03-02T12:00:00","TimeZone":"Pacific Standard Time"},"End":{"DateTime":"2017-03-02T13:00:00","TimeZone":"Pacific Standard Time"}}`,
		"Prefer", `outlook.timezone="Pacific Standard Time"`)
	require.Equal(t, http.StatusCreated, status)
	assert.Contains(t, hdr.Get("Preference-Applied"), `outlook.timezone="Pacific Standard Time"`)
	assert.Equal(t, map[string]any{"DateTime": "2017-03-02T12:00:00.0000000", "TimeZone": "Pacific Standard Time"}, ev["Start"])
	assert.NotContains(t, ev, "End", "$select trims POST responses")
	assert.Contains(t, ev["@odata.context"], "/$metadata#Me/Events/$entity")
	assert.Contains(t, ev["@odata.id"], "/Users('")
	assert.Contains(t, ev["@odata.etag"], `W/"`)
	id := ev["Id"].(string)

	// The key form addresses the same event.
	status, got, _ := do("GET", "/api/v2.0/me/events('"+url.PathEscape(id)+"')", "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "Lunch", got["Subject"])
	assert.Equal(t, "Pacific Standard Time", got["OriginalStartTimeZone"])

	// Calendar view sync rejects query options and marks the preference.
	status, body, _ := do("GET", "/api/v2.0/me/calendarview?startDateTime=2017-03-01T00:00:00Z&endDateTime=2017-03-08T00:00:00Z&$select=Subject", "", "Prefer", "odata.track-changes")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "ErrorInvalidUrlQuery", errCode(body))
	status, body, hdr = do("GET", "/api/v2.0/me/calendarview?startDateTime=2017-03-01T00:00:00Z&endDateTime=2017-03-08T00:00:00Z", "", "Prefer", "odata.track-changes")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, hdr.Get("Preference-Applied"), "odata.track-changes")
	assert.Contains(t, body["@odata.deltaLink"], "startDateTime=2017-03-01T00:00:00Z&endDateTime=2017-03-08T00:00:00Z&$deltatoken=")
	assert.Len(t, body["value"], 1)
	status, body, _ = do("GET", "/api/v2.0/me/calendarview?startDateTime=2017-03-01T00:00:00Z&endDateTime=2017-03-08T00:00:00Z&$deltatoken=garbage", "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "ErrorInvalidSyncStateData", errCode(body))

	// $count is a bare number.
	req, err := http.NewRequest("GET", srv.URL()+"/api/v2.0/me/events/$count", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	n, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "1", string(n))

	u := mb.User("adele.vance@contoso.com")
	require.NotNil(t, u)
	assert.Len(t, u.Records(EntityEvent, ""), 1)

	// Default folders exist once touched, and the store shows them.
	status, _, _ = do("GET", "/api/v2.0/me/taskgroups", "")
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, u.Records(EntityTaskGroup, ""), 1)
	assert.Len(t, u.Records(EntityTaskFolder, ""), 1)
	assert.Len(t, u.Records(EntityCalendar, ""), 1)
	assert.Len(t, u.Records(EntityContactFolder, ""), 1)
}
