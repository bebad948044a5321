package office365test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Mail, calendar, tasks and mailbox settings share one zone table: a
// Windows zone outside the common few (Nepal, UTC+05:45) is converted to
// and reported in Preference-Applied by every handler, and accepted as a
// mailbox time zone; an unknown zone is neither applied nor reported.
func TestZonesSharedByEveryHandler(t *testing.T) {
	t.Parallel()
	_, _, do := pimHTTP(t)
	const nepal = `outlook.timezone="Nepal Standard Time"`
	flag := `{"FlagStatus":"Flagged","StartDateTime":{"DateTime":"2017-03-02T12:00:00","TimeZone":"UTC"},"DueDateTime":{"DateTime":"2017-03-03T12:00:00","TimeZone":"UTC"}}`
	status, msg, _ := do("POST", "/api/v2.0/me/messages", `{"Subject":"Flagged","Flag":`+flag+`}`)
	require.Equal(t, http.StatusCreated, status, msg)
	msgPath := "/api/v2.0/me/messages/" + url.PathEscape(msg["Id"].(string))

	status, msg, hdr := do("GET", msgPath, "", "Prefer", nepal)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, nepal, hdr.Get("Preference-Applied"))
	assert.Equal(t, map[string]any{"DateTime": "2017-03-02T17:45:00.0000000", "TimeZone": "Nepal Standard Time"},
		asMap(msg["Flag"])["StartDateTime"])

	status, ev, hdr := do("POST", "/api/v2.0/me/events", `{"Subject":"Call","Start":{"DateTime":"2017-03-02T12:00:00","TimeZone":"UTC"},"End":{"DateTime":"2017-03-02T13:00:00","TimeZone":"UTC"}}`,
		"Prefer", nepal)
	require.Equal(t, http.StatusCreated, status, ev)
	assert.Equal(t, nepal, hdr.Get("Preference-Applied"))
	assert.Equal(t, map[string]any{"DateTime": "2017-03-02T17:45:00.0000000", "TimeZone": "Nepal Standard Time"}, ev["Start"])

	status, task, hdr := do("POST", "/api/v2.0/me/tasks", `{"Subject":"Pay","DueDateTime":{"DateTime":"2017-03-04T00:00:00","TimeZone":"UTC"}}`,
		"Prefer", nepal)
	require.Equal(t, http.StatusCreated, status, task)
	assert.Equal(t, nepal, hdr.Get("Preference-Applied"))
	assert.Equal(t, "Nepal Standard Time", asMap(task["DueDateTime"])["TimeZone"])

	status, body, _ := do("PATCH", "/api/v2.0/me/MailboxSettings", `{"TimeZone":"Nepal Standard Time"}`)
	require.Equal(t, http.StatusOK, status, body)
	status, body, _ = do("PATCH", "/api/v2.0/me/MailboxSettings", `{"TimeZone":"Mars Standard Time"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "ErrorTimeZone", errCode(body))

	status, msg, hdr = do("GET", msgPath, "", "Prefer", `outlook.timezone="Mars Standard Time"`)
	require.Equal(t, http.StatusOK, status)
	assert.Empty(t, hdr.Get("Preference-Applied"))
	assert.Equal(t, "UTC", asMap(asMap(msg["Flag"])["StartDateTime"])["TimeZone"])
}

// SupportedTimeZones takes its IANA aliases from the same table.
func TestSupportedTimeZonesFromZoneTable(t *testing.T) {
	t.Parallel()
	_, _, do := pimHTTP(t)
	status, body, _ := do("GET", "/api/beta/me/SupportedTimeZones(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'Iana')", "")
	require.Equal(t, http.StatusOK, status, body)
	aliases := map[string]bool{}
	for _, z := range body["value"].([]any) {
		aliases[asMap(z)["Alias"].(string)] = true
	}
	for _, want := range []string{"Etc/GMT", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"} {
		assert.True(t, aliases[want], want)
	}
	for _, z := range supportedZones {
		assert.NotNil(t, loadZone(z.windows), z.windows)
		assert.NotNil(t, loadZone(ianaZone(z.windows)), z.windows)
	}
}
