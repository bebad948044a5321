package servicecomms_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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

// fakeClient starts a Server with a Tenant and returns a client for it.
func fakeClient(t testing.TB, topts []office365test.TenantOption, opts ...office365.Option) (*servicecomms.Client, *office365test.Server, *office365test.Tenant) {
	t.Helper()
	srv := office365test.NewServer()
	t.Cleanup(srv.Close)
	tenant := office365test.NewTenant(topts...)
	tenant.Register(srv)
	all := append([]office365.Option{office365.WithBaseURL(srv.URL())}, opts...)
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

// inProcessClient returns a client talking to tenant through
// handlerTransport.
func inProcessClient(t testing.TB, tenant *office365test.Tenant, opts ...office365.Option) (*servicecomms.Client, *handlerTransport) {
	t.Helper()
	ht := &handlerTransport{h: tenant}
	all := append([]office365.Option{
		office365.WithBaseURL("https://servicecomms.fake.test"),
		office365.WithHTTPClient(&http.Client{Transport: ht}),
	}, opts...)
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
