package office365test

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newEchoServer(t *testing.T, opts ...ServerOption) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	s.Mount("/api/v2.0/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"path": r.URL.Path, "data": strings.Repeat("x", 100)})
	}))
	return s
}

func get(t *testing.T, s *Server, path, token string) (*http.Response, string, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// A fresh connection per request: net/http silently retries an
	// idempotent request whose reused connection dropped, hiding the fault.
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func TestServerRoutingAuthAndLog(t *testing.T) {
	s := newEchoServer(t, WithTokenValidator(func(tok string) bool { return tok == "good" }))
	resp, body, err := get(t, s, "/API/V2.0/me", "good")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, `"path":"/API/V2.0/me"`)

	resp, body, err = get(t, s, "/api/v2.0/me", "bad")
	require.NoError(t, err)
	assert.Equal(t, 401, resp.StatusCode)
	assert.Contains(t, body, "InvalidAuthenticationToken")

	resp, _, err = get(t, s, "/nothing", "good")
	require.NoError(t, err)
	assert.Equal(t, 404, resp.StatusCode)

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "Bearer <redacted>", reqs[0].Header.Get("Authorization"))
	last, ok := s.LastRequest()
	require.True(t, ok)
	assert.Equal(t, "/nothing", last.Path)
	s.ResetRequests()
	assert.Empty(t, s.Requests())
}

func TestFaults(t *testing.T) {
	s := newEchoServer(t)
	f := s.FailNext(2, "/me", http.StatusTooManyRequests, "3")
	for range 2 {
		resp, body, err := get(t, s, "/api/v2.0/me", "t")
		require.NoError(t, err)
		assert.Equal(t, 429, resp.StatusCode)
		assert.Equal(t, "3", resp.Header.Get("Retry-After"))
		assert.Contains(t, body, "ApplicationThrottled")
	}
	assert.Equal(t, 2, f.Hits())
	resp, _, err := get(t, s, "/api/v2.0/me", "t")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode, "fault used up")

	s.InjectFault(&Fault{HTML: true, Times: 1})
	resp, body, err := get(t, s, "/api/v2.0/me", "t")
	require.NoError(t, err)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Contains(t, body, "<title>502 Bad Gateway</title>")

	s.UnauthorizedOnce()
	resp, _, err = get(t, s, "/api/v2.0/me", "t")
	require.NoError(t, err)
	assert.Equal(t, 401, resp.StatusCode)

	s.InjectFault(&Fault{DropAfterBytes: 10, Times: 1})
	_, body, err = get(t, s, "/api/v2.0/me", "t")
	require.Error(t, err, "connection dropped mid-body")
	assert.LessOrEqual(t, len(body), 10)

	var handled atomic.Bool
	s.Mount("/api/v2.0/me/sendmail", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Store(true)
		w.WriteHeader(http.StatusAccepted)
	}))
	s.InjectFault(&Fault{DropAfterHandler: true, Method: http.MethodGet, Times: 1})
	_, _, err = get(t, s, "/api/v2.0/me/sendmail", "t")
	require.Error(t, err)
	assert.True(t, handled.Load(), "the request was processed before the connection dropped")

	lat := s.InjectFault(&Fault{Latency: 50 * time.Millisecond, Match: func(r *http.Request) bool { return r.URL.Query().Has("slow") }})
	start := time.Now()
	resp, _, err = get(t, s, "/api/v2.0/me?slow", "t")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	s.RemoveFault(lat)

	s.InjectFault(&Fault{Stall: 30 * time.Millisecond, Times: 1})
	_, _, err = get(t, s, "/api/v2.0/me", "t")
	require.Error(t, err, "a stall ends with a dropped connection")
	s.InjectFault(&Fault{Status: 503})
	s.ClearFaults()
	resp, _, err = get(t, s, "/api/v2.0/me", "t")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
}

func TestClock(t *testing.T) {
	fixed := time.Date(2020, 9, 18, 13, 15, 36, 0, time.UTC)
	s := NewServer(WithClock(func() time.Time { return fixed }))
	defer s.Close()
	assert.Equal(t, fixed, s.Now())
	s.SetClock(func() time.Time { return fixed.Add(time.Hour) })
	assert.Equal(t, fixed.Add(time.Hour), s.Now())
}
