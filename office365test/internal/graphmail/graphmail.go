// Package graphmail is the Microsoft Graph v1.0 front end of the fake
// mailbox. It serves /v1.0/{me | users/{id | userPrincipalName}}/… (mail,
// calendar, contacts, photos, extended properties, open extensions,
// mailbox settings and Microsoft To Do), /v1.0/$batch (JSON batching) and
// /v1.0/subscriptions (change notifications) over the same mailbox as the
// Outlook REST front end, so a change made through one dialect is visible
// through the other.
//
// The mailbox's operations speak the store's vocabulary (the Outlook
// property names its documents are kept in). This front end translates
// Graph's paths, query options, property names, enumeration members and
// @odata.type names to that vocabulary with one table (names.go) and one
// codec (codec.go), and adds what only Graph has: delta functions with
// 410 syncStateNotFound, To Do lists and tasks, JSON batching,
// subscriptions with lifecycle notifications, and Graph's error bodies
// (written, and the store's codes translated, by grapherr).
package graphmail

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/office365-go/office365/office365test/internal/grapherr"
	"github.com/office365-go/office365/office365test/internal/odatapath"
)

// User is a mailbox user as the front end needs it.
type User struct {
	// UPN is the user principal name; ID the Graph id (object id) and
	// StoreID the store's "{object id}@{tenant id}".
	UPN, ID, StoreID string
	DisplayName      string
}

// Change is one mutation of the mailbox, as the change feed reports it.
type Change struct {
	// User is the UPN of the mailbox, UserID its store id.
	User, UserID string
	// Type is the store's entity type ("Message", "Event", "Contact" …).
	Type string
	ID   string
	// FolderID is the folder the entity is (or, deleted, was) in.
	FolderID string
	// Kind is "Created", "Updated" or "Deleted".
	Kind string
	// ETag is the entity's change key after the change ("" if none).
	ETag string
	// Source is the store's own change value, for Store.Watch.
	Source any
}

// Answer is the mailbox's answer to one operation.
type Answer struct {
	Status int
	Header http.Header
	// JSON is a JSON body as JSON-shaped Go values (maps, slices, scalars),
	// which the front end must not modify; nil for other bodies (Body).
	JSON any
	Body []byte
}

// Store is what the front end needs from the mailbox.
type Store interface {
	// Serve runs one of the mailbox's operations, addressed and spelt in
	// the store's vocabulary: /api/{version}/{me | users/{key}}/….
	Serve(r *http.Request) Answer
	// Subscribe calls fn for every change, in order; the returned function
	// unsubscribes.
	Subscribe(fn func(Change)) (unsubscribe func())
	// User resolves a user key (UPN, SMTP address, object id or store id);
	// for "me", the bearer token decides.
	User(key, token string) (User, bool)
	// FolderID resolves a user's folder id or well-known name ("" if none).
	FolderID(user, key string) string
	// Watch compiles a subscription's $filter (in the store's vocabulary)
	// into the rule that says how a change is seen through it: entering the
	// filter is a creation, leaving it a deletion.
	Watch(filter string) (func(Change) (kind string, ok bool), error)
}

// Options configures a FrontEnd.
type Options struct {
	// Dispatch runs one request through the whole server (request log,
	// faults, authorization, routing): $batch sends each item through it.
	Dispatch http.Handler
	// Now is the clock (default time.Now).
	Now func() time.Time
	// TenantID is reported in notifications.
	TenantID string
	// Client sends validation requests and notifications (default: a
	// client with a 10 s timeout).
	Client *http.Client
	// ValidationTimeout bounds the validation handshake (default 10 s).
	ValidationTimeout time.Duration
	// Retries and RetryDelay govern notification delivery: a POST that
	// fails or answers 429 or 5xx is retried Retries times (default 3,
	// 50 ms apart) before the notifications count as missed.
	Retries    int
	RetryDelay time.Duration
	// AllowAnyHost lets notification URLs use plain http on any host
	// (otherwise https, or http on loopback only).
	AllowAnyHost bool
}

// FrontEnd is the Graph v1.0 front end. It is an http.Handler for paths
// under /v1.0/ and is safe for concurrent use.
type FrontEnd struct {
	store   Store
	opts    Options
	subs    *subscriptions
	uploads uploads // attachment upload sessions
}

// New returns a front end over store.
func New(store Store, opts Options) *FrontEnd {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.ValidationTimeout <= 0 {
		opts.ValidationTimeout = 10 * time.Second
	}
	if opts.Retries <= 0 {
		opts.Retries = 3
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = 50 * time.Millisecond
	}
	f := &FrontEnd{store: store, opts: opts}
	f.subs = newSubscriptions(f)
	return f
}

// Handles reports whether r is for this front end: /v1.0/me…, /v1.0/users…,
// /v1.0/$batch and /v1.0/subscriptions….
func Handles(r *http.Request) bool {
	segs := strings.SplitN(strings.Trim(r.URL.Path, "/"), "/", 3)
	if len(segs) < 2 || !strings.EqualFold(segs[0], "v1.0") {
		return false
	}
	first := strings.ToLower(segs[1])
	if i := strings.IndexByte(first, '('); i >= 0 {
		first = first[:i]
	}
	switch first {
	case "me", "users", "$batch", "subscriptions":
		return true
	}
	return false
}

// ServeHTTP serves one Graph request.
func (f *FrontEnd) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs, err := odatapath.QuotedSegments(r.URL.EscapedPath())
	if err != nil || len(segs) < 2 || !strings.EqualFold(segs[0], "v1.0") {
		f.writeError(w, r, http.StatusBadRequest, "BadRequest", "The URL is malformed.")
		return
	}
	switch strings.ToLower(segs[1]) {
	case "$batch":
		f.serveBatch(w, r)
	case "subscriptions":
		f.subs.serve(w, r, segs[2:])
	case "me", "users":
		f.serveMailbox(w, r, segs[1:])
	default:
		f.writeError(w, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+segs[1]+"'.")
	}
}

// ---------------------------------------------------------------- errors

// writeError writes Graph's error, through grapherr's table.
func (f *FrontEnd) writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	grapherr.Write(w, r, f.opts.Now(), grapherr.Outlook, status, code, message)
}

// errorBody is Graph's error body for an answer that is not a response of
// its own (a JSON batch item).
func (f *FrontEnd) errorBody(r *http.Request, code, message string) any {
	return grapherr.BodyFor(r, f.opts.Now(), code, message)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ---------------------------------------------------------------- paths

// joinSegments escapes segments into a path, gluing function arguments
// back onto their name.
func joinSegments(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if strings.HasPrefix(s, "(") && i > 0 {
			b.WriteString(s)
			continue
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

func eq(a, b string) bool { return strings.EqualFold(a, b) }

// ---------------------------------------------------------------- exchange

// call runs a request on the store.
func (f *FrontEnd) call(r *http.Request, method, path string, query url.Values, header http.Header, body []byte) Answer {
	u := &url.URL{Path: mustUnescape(path), RawPath: path, RawQuery: query.Encode()}
	req := httptest.NewRequestWithContext(r.Context(), method, u.String(), bytes.NewReader(body))
	req.Host = r.Host
	req.TLS = r.TLS
	req.Header = header
	if body == nil {
		req.Body = http.NoBody
	}
	ans := f.store.Serve(req)
	if ans.Header == nil {
		ans.Header = http.Header{}
	}
	return ans
}

func mustUnescape(p string) string {
	if s, err := url.PathUnescape(p); err == nil {
		return s
	}
	return p
}

// readBody reads a request body (the server has already capped it).
func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(r.Body)
	return b
}
