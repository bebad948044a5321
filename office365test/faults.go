package office365test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault describes a failure the server injects into matching requests. A
// fault with several effects applies them in this order: Latency, then one
// of Stall, Status, HTML, DropAfterBytes or DropAfterHandler.
type Fault struct {
	// Method, when set, must equal the request method.
	Method string
	// PathContains, when set, must occur in the request path
	// (case-insensitively).
	PathContains string
	// Match, when set, must return true for the request.
	Match func(*http.Request) bool
	// Times is how many requests the fault applies to; 0 means every one.
	Times int

	// Latency delays the response.
	Latency time.Duration
	// Stall holds the request open without answering until the client
	// gives up or the stall ends (0 with Stalled: until the client leaves).
	Stall   time.Duration
	Stalled bool
	// Status answers with this status and an OData error body (Code and
	// Message, defaulted from the status).
	Status  int
	Code    string
	Message string
	// RetryAfter is sent as the Retry-After header with Status.
	RetryAfter string
	// HTML answers with an HTML error page (as a proxy or gateway would)
	// with Status (default 502).
	HTML bool
	// DropAfterBytes lets the real handler run and closes the connection
	// after that many response bytes (headers excluded) were written.
	DropAfterBytes int
	// DropAfterHandler lets the real handler run to completion (the request
	// is processed) and then drops the connection without any response.
	DropAfterHandler bool

	mu   sync.Mutex
	hits int
}

// Hits returns how many requests the fault applied to.
func (f *Fault) Hits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits
}

// InjectFault arms f and returns it (to read Hits or pass to RemoveFault).
func (s *Server) InjectFault(f *Fault) *Fault {
	s.mu.Lock()
	s.faults = append(s.faults, f)
	s.mu.Unlock()
	return f
}

// RemoveFault disarms f.
func (s *Server) RemoveFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := slices.Index(s.faults, f); i >= 0 {
		s.faults = slices.Delete(slices.Clone(s.faults), i, i+1)
	}
}

// ClearFaults disarms every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// FailNext answers the next n requests whose path contains pathContains with
// status (and Retry-After when retryAfter is non-empty).
func (s *Server) FailNext(n int, pathContains string, status int, retryAfter string) *Fault {
	return s.InjectFault(&Fault{PathContains: pathContains, Times: n, Status: status, RetryAfter: retryAfter})
}

// UnauthorizedOnce answers the next request with 401, as when a token was
// revoked or expired early.
func (s *Server) UnauthorizedOnce() *Fault {
	return s.InjectFault(&Fault{Times: 1, Status: http.StatusUnauthorized, Code: "InvalidAuthenticationToken",
		Message: "Access token has expired or is not yet valid."})
}

func (s *Server) matchFault(r *http.Request) *Fault {
	s.mu.Lock()
	faults := slices.Clone(s.faults)
	s.mu.Unlock()
	for _, f := range faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if f.PathContains != "" && !strings.Contains(strings.ToLower(r.URL.Path), strings.ToLower(f.PathContains)) {
			continue
		}
		// Match is the caller's code: it runs without the server's lock, so
		// it may use the server (Requests, Now, …) without deadlocking.
		if f.Match != nil && !f.Match(r) {
			continue
		}
		// Claim one of the fault's applications; another request may have
		// used up its last one (or the fault was removed) meanwhile.
		s.mu.Lock()
		i := slices.Index(s.faults, f)
		if i < 0 {
			s.mu.Unlock()
			continue
		}
		f.mu.Lock()
		f.hits++
		done := f.Times > 0 && f.hits >= f.Times
		f.mu.Unlock()
		if done {
			s.faults = slices.Delete(slices.Clone(s.faults), i, i+1)
		}
		s.mu.Unlock()
		return f
	}
	return nil
}

// apply performs the fault. It returns true when the response is complete
// (the real handler must not run).
func (f *Fault) apply(w http.ResponseWriter, r *http.Request, s *Server) bool {
	if f.Latency > 0 {
		select {
		case <-time.After(f.Latency):
		case <-r.Context().Done():
			return true
		}
	}
	switch {
	case f.Stalled || f.Stall > 0:
		var after <-chan time.Time
		if f.Stall > 0 {
			after = time.After(f.Stall)
		}
		select {
		case <-after:
		case <-r.Context().Done():
		}
		panic(http.ErrAbortHandler)
	case f.HTML:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>" + strconv.Itoa(status) + " " + http.StatusText(status) +
			"</title></head><body><h1>" + http.StatusText(status) + "</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>\n"))
		return true
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		code, msg := f.Code, f.Message
		if code == "" {
			code = defaultCode(f.Status)
		}
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		WriteError(w, f.Status, code, msg)
		return true
	case f.DropAfterBytes > 0:
		s.serveAuthorized(&droppingWriter{ResponseWriter: w, left: f.DropAfterBytes}, r)
		panic(http.ErrAbortHandler)
	case f.DropAfterHandler:
		s.serveAuthorized(&discardWriter{header: make(http.Header)}, r)
		panic(http.ErrAbortHandler)
	}
	return false
}

// serveAuthorized runs the normal auth check and route for r on w.
func (s *Server) serveAuthorized(w http.ResponseWriter, r *http.Request) {
	m := s.route(r)
	if (m == nil || !m.preauthorized) && !s.authorized(r) {
		WriteError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.")
		return
	}
	if m != nil {
		m.h.ServeHTTP(w, r)
		return
	}
	WriteError(w, http.StatusNotFound, "ErrorInvalidUrl", "No API is mounted at "+r.URL.Path+".")
}

func defaultCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "ApplicationThrottled"
	case http.StatusServiceUnavailable:
		return "ErrorServerBusy"
	case http.StatusUnauthorized:
		return "InvalidAuthenticationToken"
	case http.StatusForbidden:
		return "ErrorAccessDenied"
	case http.StatusNotFound:
		return "ErrorItemNotFound"
	}
	return "ErrorInternalServerError"
}

// droppingWriter passes through the first left bytes of the body, flushes
// them, and then aborts the connection.
type droppingWriter struct {
	http.ResponseWriter
	left int
}

func (d *droppingWriter) Write(p []byte) (int, error) {
	if len(p) >= d.left {
		n, _ := d.ResponseWriter.Write(p[:d.left])
		d.left = 0
		if f, ok := d.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		_ = n
		panic(http.ErrAbortHandler)
	}
	d.left -= len(p)
	return d.ResponseWriter.Write(p)
}

func (d *droppingWriter) Flush() {
	if f, ok := d.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (d *droppingWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }

// discardWriter swallows a response.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Flush()                      {}
