package office365test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/office365-go/office365/office365test/internal/grapherr"
	"github.com/office365-go/office365/office365test/internal/graphmail"
)

// Server is an in-process fake of the Microsoft 365 services, built on
// httptest. Each API registers its routes under its own path prefix with
// Mount; the server adds what they share: bearer-token checks, a request log
// for assertions, and fault injection.
//
// Point a client at it with office365.WithBaseURL(s.URL()). The server speaks
// plain HTTP on loopback, which the clients accept for loopback hosts only.
// A Server is safe for concurrent use.
type Server struct {
	srv *httptest.Server

	mu      sync.Mutex
	mounts  []mount
	log     []RecordedRequest
	faults  []*Fault
	tokenOK func(string) bool
	now     func() time.Time
	logCap  int // most requests kept
	logMax  int // most body bytes kept
	logSize int // body bytes in log
	bodyMax int // largest request body accepted
}

type mount struct {
	prefix string
	match  func(*http.Request) bool
	h      http.Handler
	// preauthorized: the requests carry their own credential (an upload
	// session's URL token), which h checks; no bearer token is required.
	preauthorized bool
}

// RecordedRequest is one request as the server received it. The
// Authorization header is kept only as "Bearer <redacted>" so logs of the
// fake never hold a token.
type RecordedRequest struct {
	Method   string
	Path     string // unescaped path
	RawPath  string // escaped path as sent (empty if identical to Path)
	RawQuery string
	Header   http.Header
	Body     []byte
	Time     time.Time
}

// JSON decodes the recorded body into v.
func (r RecordedRequest) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// EscapedPath returns the path as it was sent on the wire.
func (r RecordedRequest) EscapedPath() string {
	if r.RawPath != "" {
		return r.RawPath
	}
	return r.Path
}

// ServerOption configures a Server.
type ServerOption func(*Server)

// WithTokenValidator makes the server accept only bearer tokens for which
// valid returns true (for example Entra.ValidToken). By default any
// non-empty bearer token is accepted.
func WithTokenValidator(valid func(token string) bool) ServerOption {
	return func(s *Server) { s.tokenOK = valid }
}

// WithClock gives the server a clock (for data that evolves with time).
func WithClock(now func() time.Time) ServerOption {
	return func(s *Server) { s.now = now }
}

// NewServer starts a fake server with no APIs mounted. API fakes (the
// ServiceComms tenant, the Outlook mailbox, streaming) mount themselves on
// it; most callers use Start, which mounts them all.
func NewServer(opts ...ServerOption) *Server {
	s := &Server{now: time.Now, logCap: 10000, logMax: 64 << 20, bodyMax: maxRequestBody}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL returns the server's base URL, for office365.WithBaseURL.
func (s *Server) URL() string { return s.srv.URL }

// Client returns an *http.Client that reaches the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down, closing open (streaming) connections.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Now returns the server clock's current time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	now := s.now
	s.mu.Unlock()
	return now()
}

// SetClock replaces the server clock.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Mount routes every request whose path starts with prefix (compared
// case-insensitively, as the services compare resource names) to h. The
// longest matching prefix wins.
func (s *Server) Mount(prefix string, h http.Handler) { s.MountIf(prefix, nil, h) }

// MountIf is Mount for APIs that share a prefix with others: a request under
// prefix goes to h only if match (when non-nil) accepts it; otherwise the
// next matching mount is tried.
func (s *Server) MountIf(prefix string, match func(*http.Request) bool, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addMount(mount{prefix: prefix, match: match, h: h})
}

// mountPreauthorized is MountIf for URLs that carry their own credential
// (checked by h), such as Graph's pre-authenticated upload URLs: their
// requests need no bearer token.
func (s *Server) mountPreauthorized(prefix string, match func(*http.Request) bool, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addMount(mount{prefix: prefix, match: match, h: h, preauthorized: true})
}

// addMount adds m to the routes; s.mu is held.
func (s *Server) addMount(m mount) {
	// Copy on write: route iterates a snapshot without holding the lock.
	ms := append(slices.Clone(s.mounts), m)
	slices.SortStableFunc(ms, func(a, b mount) int { return len(b.prefix) - len(a.prefix) })
	s.mounts = ms
}

// Requests returns a copy of the request log, oldest first. The log keeps
// the most recent 10,000 requests and at most 64 MiB of their bodies (each
// body is cut at 1 MiB); older entries are dropped.
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// LastRequest returns the most recent request, if any.
func (s *Server) LastRequest() (RecordedRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) == 0 {
		return RecordedRequest{}, false
	}
	return s.log[len(s.log)-1], true
}

// ResetRequests clears the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.log, s.logSize = nil, 0
	s.mu.Unlock()
}

// maxLoggedBody caps how much of a request body the log keeps.
const maxLoggedBody = 1 << 20

// maxRequestBody is the largest request body the server accepts.
const maxRequestBody = 64 << 20

// ServeInProcess runs r through the server's handler chain — request log,
// faults, authorization check, routing — without a network round trip, as
// the $batch fake does for each operation and PipeTransport for every
// request. A fault that drops or stalls the
// connection panics with http.ErrAbortHandler, as it would in a real
// handler.
func (s *Server) ServeInProcess(w http.ResponseWriter, r *http.Request) { s.serveHTTP(w, r) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Body != nil {
		s.mu.Lock()
		limit := s.bodyMax
		s.mu.Unlock()
		b, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
		if err != nil {
			if grapherr.IsGraph(r) {
				s.writeError(w, r, http.StatusBadRequest, "RequestBodyRead", "Cannot read the request body: "+err.Error())
				return
			}
			http.Error(w, "reading body: "+err.Error(), http.StatusBadRequest)
			return
		}
		if len(b) > limit {
			// Handing the API fake a silently truncated body would make it
			// answer about data the client never sent.
			s.record(r, b)
			s.writeError(w, r, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is too large.")
			return
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	s.record(r, body)
	if grapherr.IsGraph(r) {
		// Every Graph response carries its request ids, errors or not.
		grapherr.Stamp(w, r)
	}

	if f := s.matchFault(r); f != nil {
		if f.apply(w, r, s) {
			return
		}
	}
	s.serveAuthorized(w, r)
}

// serveAuthorized runs the authorization check (which a preauthorized
// mount, such as an upload URL, skips) and routes r.
func (s *Server) serveAuthorized(w http.ResponseWriter, r *http.Request) {
	m := s.route(r)
	if (m == nil || !m.preauthorized) && !s.authorized(r) {
		if !grapherr.IsGraph(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="office365test", error="invalid_token"`)
		}
		s.writeError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.")
		return
	}
	if m == nil {
		s.writeError(w, r, http.StatusNotFound, "ErrorInvalidUrl", "No API is mounted at "+r.URL.Path+".")
		return
	}
	m.h.ServeHTTP(w, r)
}

// writeError answers r with an error in r's dialect: for Microsoft Graph
// (/v1.0/…) Graph's body, headers and codes, translated by grapherr's
// table; otherwise the retired APIs' OData error. An empty code or message
// takes the status's default.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	if grapherr.IsGraph(r) {
		area := grapherr.Generic
		if graphmail.Handles(r) {
			area = grapherr.Outlook
		}
		grapherr.Write(w, r, s.Now(), area, status, code, message)
		return
	}
	if code == "" {
		code = defaultCode(status)
	}
	if message == "" {
		message = http.StatusText(status)
	}
	WriteError(w, status, code, message)
}

func (s *Server) record(r *http.Request, body []byte) {
	h := r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "Bearer <redacted>")
	}
	if len(body) > maxLoggedBody {
		// A copy: a sub-slice would keep the whole large body alive.
		body = bytes.Clone(body[:maxLoggedBody])
	}
	rec := RecordedRequest{
		Method: r.Method, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery,
		Header: h, Body: body, Time: time.Now(),
	}
	s.mu.Lock()
	// Bound the log by count and by body bytes: a long-running fake (a
	// soak test, an example left running) must not grow without limit.
	// The oldest half goes at once so trimming stays cheap.
	if len(s.log) >= s.logCap || s.logSize+len(rec.Body) > s.logMax {
		drop, freed := 0, 0
		for _, old := range s.log {
			if drop >= len(s.log)/2 && s.logSize-freed+len(rec.Body) <= s.logMax {
				break
			}
			drop++
			freed += len(old.Body)
		}
		s.log = slices.Delete(s.log, 0, drop) // clears the tail: old bodies can be collected
		s.logSize -= freed
	}
	s.log = append(s.log, rec)
	s.logSize += len(rec.Body)
	s.mu.Unlock()
}

func (s *Server) authorized(r *http.Request) bool {
	const prefix = "Bearer "
	a := r.Header.Get("Authorization")
	if len(a) <= len(prefix) || !strings.EqualFold(a[:len(prefix)], prefix) {
		return false
	}
	s.mu.Lock()
	valid := s.tokenOK
	s.mu.Unlock()
	return valid == nil || valid(a[len(prefix):])
}

// route returns the mount that serves r (nil if none).
func (s *Server) route(r *http.Request) *mount {
	s.mu.Lock()
	mounts := s.mounts
	s.mu.Unlock()
	lower := strings.ToLower(r.URL.Path)
	for i := range mounts {
		m := &mounts[i]
		if strings.HasPrefix(lower, strings.ToLower(m.prefix)) && (m.match == nil || m.match(r)) {
			return m
		}
	}
	return nil
}

// WriteJSON writes v as a JSON response with the OData content type.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

// WriteError writes an OData error body: {"error":{"code":…,"message":…}}.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	WriteJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}
