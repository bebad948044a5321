package servicecomms_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

const publicRoot = "https://manage.office.com/api/v1.0/contoso.com/ServiceComms"

// fixture reads a file of testdata/servicecomms at the module root.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "servicecomms", name))
	require.NoError(t, err)
	return b
}

// fixtureItems returns the raw elements of a fixture's "value" array.
func fixtureItems(t testing.TB, name string) []json.RawMessage {
	t.Helper()
	var env struct{ Value []json.RawMessage }
	require.NoError(t, json.Unmarshal(fixture(t, name), &env))
	return env.Value
}

// mockClient returns a client whose requests go to a fresh httpmock
// transport, with retries off unless opts say otherwise.
func mockClient(t testing.TB, opts ...office365.Option) (*servicecomms.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]office365.Option{
		office365.WithHTTPClient(&http.Client{Transport: mt}),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1}),
	}, opts...)
	c, err := servicecomms.New("contoso.com", auth.StaticToken("test-token"), all...)
	require.NoError(t, err)
	return c, mt
}

// queryRecorder answers every request with body and records the raw
// queries it saw.
type queryRecorder struct {
	mu      sync.Mutex
	queries []string
	paths   []string
}

func (q *queryRecorder) responder(status int, body []byte) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		q.mu.Lock()
		q.queries = append(q.queries, r.URL.RawQuery)
		q.paths = append(q.paths, r.URL.EscapedPath())
		q.mu.Unlock()
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func (q *queryRecorder) all() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.queries)
}

// dialect is one of the two APIs a client speaks. Behaviour tests run once
// per dialect from the dialects table; the few facts that differ between the
// two are methods here, not branches copied through the tests.
type dialect struct {
	name  string
	graph bool
}

// dialects lists the retired Service Communications API and Microsoft
// Graph (office365.WithGraph).
var dialects = []dialect{{name: "ServiceComms"}, {name: "Graph", graph: true}}

// forDialects runs f as a parallel subtest per dialect.
func forDialects(t *testing.T, f func(t *testing.T, d dialect)) {
	t.Helper()
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			f(t, d)
		})
	}
}

// options returns the client options that select the dialect.
func (d dialect) options(opts ...office365.Option) []office365.Option {
	if d.graph {
		return append([]office365.Option{office365.WithGraph()}, opts...)
	}
	return opts
}

// isCurrentStatus reports whether a request is the dialect's CurrentStatus
// call.
func (d dialect) isCurrentStatus(path, rawQuery string) bool {
	if d.graph {
		return strings.HasSuffix(path, "/admin/serviceAnnouncement/healthOverviews") && strings.Contains(rawQuery, "$expand=issues")
	}
	return strings.HasSuffix(path, "/CurrentStatus")
}

// currentStatusPath is a path fragment of the CurrentStatus call, for the
// fake's fault injection.
func (d dialect) currentStatusPath() string {
	if d.graph {
		return "/admin/serviceAnnouncement/healthOverviews"
	}
	return "/ServiceComms/CurrentStatus"
}

// messagesPath is a path fragment of the Messages calls.
func (d dialect) messagesPath() string {
	if d.graph {
		return "/admin/serviceAnnouncement/issues"
	}
	return "/ServiceComms/Messages"
}

// isMessages reports whether a request lists messages.
func (d dialect) isMessages(path string) bool {
	if d.graph {
		return strings.HasSuffix(path, "/admin/serviceAnnouncement/issues") || strings.HasSuffix(path, "/admin/serviceAnnouncement/messages")
	}
	return strings.HasSuffix(path, "/Messages")
}

// collections is how many collections one Messages call lists: Messages,
// or Graph's issues and messages.
func (d dialect) collections() int {
	if d.graph {
		return 2
	}
	return 1
}

// startTimeFilter is how a StartTime bound starts in the encoded query.
func (d dialect) startTimeFilter() string {
	if d.graph {
		return "startDateTime%20ge%20"
	}
	return "StartTime%20ge%20"
}

// windowed reports whether Messages without a StartTime is limited to the
// last seven days (the retired service's default; Graph has no window).
func (d dialect) windowed() bool { return !d.graph }

// featureID is what Message.Feature holds for a feature of the fake tenant:
// its id on the retired API, its display name on Graph (which has no ids).
func (d dialect) featureID(id, display string) string {
	if d.graph {
		return display
	}
	return id
}

// fakeClient starts a Server with a Tenant and returns a client for it in
// dialect d.
func fakeClient(t testing.TB, d dialect, topts []office365test.TenantOption, opts ...office365.Option) (*servicecomms.Client, *office365test.Server, *office365test.Tenant) {
	t.Helper()
	srv := office365test.NewServer()
	t.Cleanup(srv.Close)
	tenant := office365test.NewTenant(topts...)
	tenant.Register(srv)
	all := append([]office365.Option{office365.WithBaseURL(srv.URL())}, d.options(opts...)...)
	c, err := servicecomms.New("contoso.onmicrosoft.com", auth.StaticToken("test-token"), all...)
	require.NoError(t, err)
	return c, srv, tenant
}

// handlerTransport serves requests in-process from a handler, without a
// network, so that tests can run inside a synctest bubble.
type handlerTransport struct {
	h http.Handler

	mu   sync.Mutex
	log  []loggedRequest
	next func(r *http.Request) *http.Response // optional override, nil: serve
}

type loggedRequest struct {
	path, query string
	at          time.Time
}

func (ht *handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ht.mu.Lock()
	ht.log = append(ht.log, loggedRequest{path: r.URL.Path, query: r.URL.RawQuery, at: time.Now()})
	next := ht.next
	ht.mu.Unlock()
	if next != nil {
		if resp := next(r); resp != nil {
			resp.Request = r
			return resp, nil
		}
	}
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func (ht *handlerTransport) requests() []loggedRequest {
	ht.mu.Lock()
	defer ht.mu.Unlock()
	return slices.Clone(ht.log)
}

// inProcessClient returns a client in dialect d talking to tenant through
// handlerTransport.
func inProcessClient(t testing.TB, d dialect, tenant *office365test.Tenant, opts ...office365.Option) (*servicecomms.Client, *handlerTransport) {
	t.Helper()
	ht := &handlerTransport{h: tenant}
	all := append([]office365.Option{
		office365.WithBaseURL("https://servicecomms.fake.test"),
		office365.WithHTTPClient(&http.Client{Transport: ht}),
	}, d.options(opts...)...)
	c, err := servicecomms.New("contoso.com", auth.StaticToken("test-token"), all...)
	require.NoError(t, err)
	return c, ht
}

// scopeRecorder is a credential that records the scopes it was asked for.
type scopeRecorder struct {
	mu     sync.Mutex
	scopes [][]string
}

func (s *scopeRecorder) Token(_ context.Context, scopes []string) (*oauth2.Token, error) {
	s.mu.Lock()
	s.scopes = append(s.scopes, slices.Clone(scopes))
	s.mu.Unlock()
	return &oauth2.Token{AccessToken: "tok", TokenType: "Bearer"}, nil
}

func ptr[T any](v T) *T { return &v }

// throttledCode is the code of a 429 the fake answers without one of its
// own: the retired API's ApplicationThrottled, Graph's generic
// TooManyRequests.
func (d dialect) throttledCode() string {
	if d.graph {
		return "TooManyRequests"
	}
	return "ApplicationThrottled"
}
