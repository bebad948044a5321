package office365test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStartMountsEveryAPI checks that one fake answers all three services.
func TestStartMountsEveryAPI(t *testing.T) {
	f := Start(nil)
	defer f.Close()
	for path, want := range map[string]string{
		"/api/v1.0/contoso.onmicrosoft.com/ServiceComms/Services": `"DisplayName"`,
		"/api/v2.0/me/mailfolders/inbox/messages?$top=1":          `"Subject"`,
		"/api/v1.0/me/messages?$top=1":                            `"Subject"`,
	} {
		req, _ := http.NewRequest(http.MethodGet, f.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := f.Client().Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Contains(t, string(body), want, path)
	}
	req, _ := http.NewRequest(http.MethodPost, f.URL()+"/api/beta/me/subscriptions", strings.NewReader(
		`{"@odata.type":"#Microsoft.OutlookServices.StreamingSubscription","Resource":"https://outlook.office.com/api/beta/me/messages","ChangeType":"Created"}`))
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
}
