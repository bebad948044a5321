package office365_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
)

func TestQueryEncode(t *testing.T) {
	cases := []struct {
		q    office365.Query
		want string
	}{
		{office365.Query{}, ""},
		{office365.Query{Filter: "Workload eq 'Exchange'"}, "$filter=Workload%20eq%20'Exchange'"},
		{office365.Query{Select: []string{"Subject", "From"}, Top: 10, Skip: 20}, "$select=Subject,From&$top=10&$skip=20"},
		{office365.Query{Search: "subject:pizza"}, `$search=%22subject:pizza%22`},
		{office365.Query{Search: `"already quoted"`}, `$search=%22already%20quoted%22`},
		{office365.Query{OrderBy: []string{"ReceivedDateTime desc"}, Count: true}, "$orderby=ReceivedDateTime%20desc&$count=true"},
		{office365.Query{Filter: "From/EmailAddress/Address eq 'a+b@contoso.com'"}, "$filter=From/EmailAddress/Address%20eq%20'a%2Bb@contoso.com'"},
		{office365.Query{Expand: []string{"SingleValueExtendedProperties($filter=PropertyId eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color')"}},
			"$expand=SingleValueExtendedProperties($filter=PropertyId%20eq%20'String%20%7B66f5a359-4659-4830-9070-00047ec6ac6e%7D%20Name%20Color')"},
		{office365.Query{Filter: "Subject eq 'a&b=c#d%e'"}, "$filter=Subject%20eq%20'a%26b=c%23d%25e'"},
		{office365.Query{Filter: "Subject eq 'café'"}, "$filter=Subject%20eq%20'caf%C3%A9'"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.q.Encode())
	}
	assert.True(t, office365.Query{}.IsZero())
	assert.False(t, office365.Query{Count: true}.IsZero())
}

func TestQuoteString(t *testing.T) {
	assert.Equal(t, "'O''Neil'", office365.QuoteString("O'Neil"))
	assert.Equal(t, "''", office365.QuoteString(""))
}

func TestOptionsValidation(t *testing.T) {
	bad := map[string]office365.Option{
		"nil client":        office365.WithHTTPClient(nil),
		"relative base":     office365.WithBaseURL("/api"),
		"http remote base":  office365.WithBaseURL("http://outlook.office.com"),
		"base with query":   office365.WithBaseURL("https://x.example/?a=b"),
		"base with user":    office365.WithBaseURL("https://u:p@x.example/"),
		"ftp base":          office365.WithBaseURL("ftp://x.example/"),
		"nil logger":        office365.WithLogger(nil),
		"empty ua":          office365.WithUserAgent(" "),
		"ua newline":        office365.WithUserAgent("a\r\nX-Evil: 1"),
		"negative delay":    office365.WithRetry(office365.RetryOptions{BaseDelay: -1}),
		"base > max":        office365.WithRetry(office365.RetryOptions{BaseDelay: 2, MaxDelay: 1}),
		"owned header":      office365.WithHeader("authorization", "x"),
		"header newline":    office365.WithHeader("X-A", "1\n2"),
		"zero size":         office365.WithMaxResponseSize(0),
		"invalid cloud":     office365.WithCloud(office365.Cloud{Name: "x"}),
		"http cloud remote": office365.WithCloud(office365.Cloud{Name: "x", LoginAuthority: "http://login.example", ManageHost: "https://m", OutlookHost: "https://o"}),
	}
	for name, opt := range bad {
		_, err := office365.NewConfig(opt)
		assert.Error(t, err, name)
	}
	cfg, err := office365.NewConfig(
		office365.WithBaseURL("http://127.0.0.1:8080/"),
		office365.WithCloud(office365.CloudGCCHigh),
		office365.WithLogger(slog.Default()),
		office365.WithHeader("x-custom", "1"),
		nil,
	)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080", cfg.BaseURL)
	assert.Equal(t, "http://127.0.0.1:8080/api/v2.0", cfg.ServiceRoot(cfg.Cloud.OutlookHost, "/api/v2.0"))
	assert.Equal(t, "1", cfg.Header.Get("X-Custom"))
	assert.Equal(t, office365.DefaultMaxRetries, cfg.Retry.Normalized().MaxRetries)

	cfg, err = office365.NewConfig(office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	require.NoError(t, err)
	assert.Zero(t, cfg.Retry.Normalized().MaxRetries, "negative disables retries")
	assert.Equal(t, "https://manage.office.com/api/v1.0", cfg.ServiceRoot(cfg.Cloud.ManageHost, "/api/v1.0"))
	assert.NotNil(t, cfg.HTTPClient)

	type key struct{}
	cfg.SetValue(key{}, 42)
	assert.Equal(t, 42, cfg.Value(key{}))
	assert.Nil(t, cfg.Value("other"))
}

func TestClouds(t *testing.T) {
	for _, c := range office365.Clouds() {
		require.NoError(t, c.Validate(), c.Name)
		got, err := office365.CloudByName(c.Name)
		require.NoError(t, err)
		assert.Equal(t, c, got)
	}
	assert.Equal(t, "https://login.microsoftonline.us", office365.CloudGCCHigh.LoginAuthority)
	assert.Equal(t, "https://manage.office365.us", office365.CloudGCCHigh.ManageHost)
	assert.Equal(t, "https://manage.protection.apps.mil", office365.CloudDoD.ManageHost)
	assert.Equal(t, "https://login.chinacloudapi.cn", office365.CloudChina.LoginAuthority)
	assert.Equal(t, "https://partner.outlook.cn", office365.CloudChina.OutlookHost)
	_, err := office365.CloudByName("mars")
	assert.Error(t, err)
	custom := office365.Cloud{Name: "lab", LoginAuthority: "https://login.lab.example", ManageHost: "https://manage.lab.example", OutlookHost: "http://localhost:9000"}
	assert.NoError(t, custom.Validate())
}

func TestErrorPredicates(t *testing.T) {
	wrap := func(e *office365.Error) error { return fmt.Errorf("listing: %w", e) }
	assert.True(t, office365.IsNotFound(wrap(&office365.Error{StatusCode: 404})))
	assert.True(t, office365.IsNotFound(wrap(&office365.Error{StatusCode: 400, Code: "ErrorItemNotFound"})))
	assert.True(t, office365.IsThrottled(wrap(&office365.Error{StatusCode: 429})))
	assert.True(t, office365.IsThrottled(wrap(&office365.Error{StatusCode: 503, Code: "ErrorServerBusy"})))
	assert.True(t, office365.IsThrottled(wrap(&office365.Error{StatusCode: 503, Message: "Exceeded MailboxConcurrency limit"})))
	assert.False(t, office365.IsThrottled(wrap(&office365.Error{StatusCode: 500})))
	assert.True(t, office365.IsUnauthorized(wrap(&office365.Error{StatusCode: 401})))
	assert.True(t, office365.IsForbidden(wrap(&office365.Error{StatusCode: 403})))
	assert.True(t, office365.IsForbidden(wrap(&office365.Error{StatusCode: 400, Code: "ErrorAccessDenied"})))
	assert.False(t, office365.IsNotFound(errors.New("plain")))
	assert.Equal(t, 0, office365.StatusCode(nil))
	assert.True(t, office365.HasCode(wrap(&office365.Error{Code: "MailboxNotEnabledForRESTAPI"}), "mailboxnotenabledforrestapi"))
}

func TestErrorString(t *testing.T) {
	e := &office365.Error{StatusCode: http.StatusTooManyRequests, Code: "ApplicationThrottled", Message: "slow down",
		RetryAfter: 5e9, RequestID: "r1", Method: "GET", URL: "https://outlook.office.com/api/v2.0/me/messages"}
	assert.Equal(t, "office365: GET https://outlook.office.com/api/v2.0/me/messages: 429 Too Many Requests: ApplicationThrottled: slow down (retry after 5s) [request-id r1]", e.Error())
	e = &office365.Error{StatusCode: 500, ClientRequestID: "c1"}
	assert.Equal(t, "office365: 500 Internal Server Error [client-request-id c1]", e.Error())
}

func TestWithGraphRootsAndScopes(t *testing.T) {
	cases := map[string]struct {
		cloud     office365.Cloud
		root, def string
	}{
		"public":   {office365.CloudPublic, "https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/.default"},
		"gcc":      {office365.CloudGCC, "https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/.default"},
		"gcc-high": {office365.CloudGCCHigh, "https://graph.microsoft.us/v1.0", "https://graph.microsoft.us/.default"},
		"dod":      {office365.CloudDoD, "https://dod-graph.microsoft.us/v1.0", "https://dod-graph.microsoft.us/.default"},
		"china":    {office365.CloudChina, "https://microsoftgraph.chinacloudapi.cn/v1.0", "https://microsoftgraph.chinacloudapi.cn/.default"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg, err := office365.NewConfig(office365.WithCloud(tc.cloud), office365.WithGraph())
			require.NoError(t, err)
			assert.True(t, cfg.Graph)
			assert.Equal(t, tc.root, cfg.GraphRoot())
			assert.Equal(t, tc.def, cfg.GraphScope(".default"))
		})
	}

	cfg, err := office365.NewConfig(office365.WithGraph(), office365.WithBaseURL("http://127.0.0.1:8080/"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080/v1.0", cfg.GraphRoot())

	cfg, err = office365.NewConfig()
	require.NoError(t, err)
	assert.False(t, cfg.Graph, "without WithGraph nothing changes")

	// A custom cloud without a Graph host is valid, but not for Graph.
	lab := office365.Cloud{Name: "lab", LoginAuthority: "https://login.lab.example", ManageHost: "https://manage.lab.example", OutlookHost: "https://outlook.lab.example"}
	_, err = office365.NewConfig(office365.WithCloud(lab))
	require.NoError(t, err)
	_, err = office365.NewConfig(office365.WithCloud(lab), office365.WithGraph())
	require.ErrorContains(t, err, "no GraphHost")
	lab.GraphHost = "http://graph.lab.example"
	require.ErrorContains(t, office365.WithCloud(lab)(&office365.Config{}), "GraphHost")
}
