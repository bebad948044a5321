package outlook

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// Receiver defaults.
const (
	DefaultReceiverQueueSize     = 1024
	DefaultReceiverMaxBodyBytes  = 1 << 20
	DefaultMaxValidationTokenLen = 1024
	DefaultReceiverRetryAfter    = 10 * time.Second
)

// ReceiverOptions configure a Receiver.
type ReceiverOptions struct {
	// ClientState is the secret given as PushSubscription.ClientState
	// (required). Notifications whose ClientState header does not match it
	// (or one of PreviousClientStates) are rejected with 403.
	ClientState string
	// PreviousClientStates are also accepted, for rotating the secret
	// while older subscriptions still run.
	PreviousClientStates []string
	// AllowValidationWithoutClientState accepts validation requests that
	// carry no ClientState header. By default a validation request must
	// carry the ClientState too (the service sends it when the subscription
	// has one), so nobody else can subscribe the endpoint to their own
	// mailbox.
	AllowValidationWithoutClientState bool
	// QueueSize is how many notifications wait for the application
	// (default DefaultReceiverQueueSize).
	QueueSize int
	// MaxBodyBytes caps a notification request body (default 1 MiB);
	// larger bodies are answered 413.
	MaxBodyBytes int64
	// MaxValidationTokenLen caps the validation token (default 1024 bytes).
	MaxValidationTokenLen int
	// RetryAfter is sent with 503 when the queue is full (default 10 s).
	RetryAfter time.Duration
	// Logger receives a Warn record per rejected request (never tokens,
	// secrets or bodies). Default: discard.
	Logger *slog.Logger
}

// ReceiverStats counts what a Receiver did.
type ReceiverStats struct {
	// Validations is the number of validation requests answered 200.
	Validations int64
	// Delivered is the number of notifications queued for the application.
	Delivered int64
	// Unauthorized counts requests rejected for a missing or wrong
	// ClientState (403).
	Unauthorized int64
	// Rejected counts other refused requests: bad method, malformed or
	// oversized bodies, invalid validation tokens (4xx).
	Rejected int64
	// Overloaded counts requests answered 503 because the queue was full
	// (the service retries them later).
	Overloaded int64
}

// Receiver is the http.Handler of a push notification endpoint (the
// PushSubscription.NotificationURL). It
//
//   - answers the validation request (POST ?validationtoken=…) at once with
//     200, Content-Type "text/plain; charset=utf-8", X-Content-Type-Options
//     nosniff and the token verbatim, after checking the token (at most
//     MaxValidationTokenLen bytes, valid UTF-8, no control characters) and
//     the ClientState header;
//   - checks the ClientState header of every notification request against
//     the configured secret in constant time (403 on mismatch) or, when the
//     request has none (Graph), the clientState of every notification in
//     the body;
//   - reads at most MaxBodyBytes (413 beyond), parses the {"value":[…]}
//     array (400 on anything malformed: the whole request is refused, never
//     half-delivered);
//   - queues the notifications for the application and answers 202
//     Accepted without waiting for them to be processed.
//
// When the queue cannot take all the notifications of a request, the
// request is answered 503 Service Unavailable with Retry-After and nothing
// of it is queued, so the service delivers it again later: notifications
// are never dropped silently. (A request with more notifications than the
// whole queue can never fit and is answered 413.) Receive with
// Notifications; a slow consumer only causes 503s.
//
// Serve it over HTTPS behind an http.Server with read and write timeouts.
// A Receiver is safe for concurrent use and never panics on any input.
type Receiver struct {
	states     [][sha256.Size]byte
	allowNoCS  bool
	maxBody    int64
	maxToken   int
	retryAfter string
	log        *slog.Logger

	mu     sync.Mutex
	ch     chan Notification
	closed bool

	validations, delivered, unauthorized, rejected, overloaded atomic.Int64
}

// NewReceiver returns a Receiver. ClientState is required.
func NewReceiver(opts ReceiverOptions) (*Receiver, error) {
	if opts.ClientState == "" {
		return nil, errors.New("outlook: NewReceiver: ClientState is required")
	}
	r := &Receiver{allowNoCS: opts.AllowValidationWithoutClientState, log: opts.Logger}
	for _, s := range append([]string{opts.ClientState}, opts.PreviousClientStates...) {
		if s == "" {
			return nil, errors.New("outlook: NewReceiver: empty client state")
		}
		if len(s) > MaxClientStateLen {
			return nil, fmt.Errorf("outlook: NewReceiver: client state longer than %d characters", MaxClientStateLen)
		}
		r.states = append(r.states, sha256.Sum256([]byte(s)))
	}
	if opts.QueueSize < 0 || opts.MaxBodyBytes < 0 || opts.MaxValidationTokenLen < 0 || opts.RetryAfter < 0 {
		return nil, errors.New("outlook: NewReceiver: negative limit")
	}
	q := opts.QueueSize
	if q == 0 {
		q = DefaultReceiverQueueSize
	}
	r.ch = make(chan Notification, q)
	r.maxBody = opts.MaxBodyBytes
	if r.maxBody == 0 {
		r.maxBody = DefaultReceiverMaxBodyBytes
	}
	r.maxToken = opts.MaxValidationTokenLen
	if r.maxToken == 0 {
		r.maxToken = DefaultMaxValidationTokenLen
	}
	ra := opts.RetryAfter
	if ra == 0 {
		ra = DefaultReceiverRetryAfter
	}
	r.retryAfter = strconv.Itoa(max(1, int((ra+time.Second-1)/time.Second)))
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	return r, nil
}

// Notifications returns the queue of received notifications, in arrival
// order. It is closed by Close.
func (r *Receiver) Notifications() <-chan Notification { return r.ch }

// Close stops accepting notifications (later requests are answered 503)
// and closes the Notifications channel once the notifications already
// queued have been received.
func (r *Receiver) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.closed = true
		close(r.ch)
	}
}

// Stats returns the receiver's counters.
func (r *Receiver) Stats() ReceiverStats {
	return ReceiverStats{
		Validations: r.validations.Load(), Delivered: r.delivered.Load(), Unauthorized: r.unauthorized.Load(),
		Rejected: r.rejected.Load(), Overloaded: r.overloaded.Load(),
	}
}

// clientStateOK compares the presented ClientState with every configured
// one in constant time (hashing first hides the lengths).
func (r *Receiver) clientStateOK(values []string) bool {
	if len(values) != 1 {
		return false
	}
	got := sha256.Sum256([]byte(values[0]))
	ok := 0
	for i := range r.states {
		ok |= subtle.ConstantTimeCompare(got[:], r.states[i][:])
	}
	return ok == 1
}

// plain writes a short text response with the safe headers.
func plain(w http.ResponseWriter, status int, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'")
	h.Set("Content-Length", strconv.Itoa(len(text)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

func (r *Receiver) reject(w http.ResponseWriter, req *http.Request, status int, why string) {
	if status == http.StatusForbidden {
		r.unauthorized.Add(1)
	} else {
		r.rejected.Add(1)
	}
	r.log.LogAttrs(req.Context(), slog.LevelWarn, "outlook: push receiver rejected a request",
		slog.Int("status", status), slog.String("reason", why), slog.String("remote", req.RemoteAddr))
	plain(w, status, http.StatusText(status)+": "+why+"\n")
}

// ServeHTTP handles validation and notification requests.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		r.reject(w, req, http.StatusMethodNotAllowed, "only POST is accepted")
		return
	}
	q, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		r.reject(w, req, http.StatusBadRequest, "malformed query string")
		return
	}
	var tokens []string
	for k, vs := range q {
		if strings.EqualFold(k, "validationtoken") {
			tokens = append(tokens, vs...)
		}
	}
	if len(tokens) > 0 {
		r.validate(w, req, tokens)
		return
	}
	r.receive(w, req)
}

// validate answers the subscription validation handshake.
func (r *Receiver) validate(w http.ResponseWriter, req *http.Request, tokens []string) {
	if len(tokens) != 1 {
		r.reject(w, req, http.StatusBadRequest, "more than one validation token")
		return
	}
	cs := req.Header.Values("ClientState")
	if !(len(cs) == 0 && r.allowNoCS) && !r.clientStateOK(cs) {
		r.reject(w, req, http.StatusForbidden, "missing or wrong ClientState")
		return
	}
	tok := tokens[0]
	switch {
	case tok == "":
		r.reject(w, req, http.StatusBadRequest, "empty validation token")
		return
	case len(tok) > r.maxToken:
		r.reject(w, req, http.StatusBadRequest, "validation token too long")
		return
	case !utf8.ValidString(tok):
		r.reject(w, req, http.StatusBadRequest, "validation token is not valid UTF-8")
		return
	case strings.IndexFunc(tok, unicode.IsControl) >= 0:
		r.reject(w, req, http.StatusBadRequest, "validation token holds control characters")
		return
	}
	r.validations.Add(1)
	plain(w, http.StatusOK, tok)
}

// lifecycleEvents maps Graph's lifecycle events to change types.
var lifecycleEvents = map[string]ChangeType{
	"missed":                  ChangeMissed,
	"subscriptionremoved":     ChangeSubscriptionRemoved,
	"reauthorizationrequired": ChangeReauthorizationRequired,
}

// receive handles a notification request. The ClientState comes in a
// header (v2.0) or in every notification of the body (Graph).
func (r *Receiver) receive(w http.ResponseWriter, req *http.Request) {
	hdr := req.Header.Values("ClientState")
	if len(hdr) > 0 && !r.clientStateOK(hdr) {
		r.reject(w, req, http.StatusForbidden, "missing or wrong ClientState")
		return
	}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			r.reject(w, req, http.StatusUnsupportedMediaType, "the body must be application/json")
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, r.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			r.reject(w, req, http.StatusRequestEntityTooLarge, "body exceeds "+strconv.FormatInt(r.maxBody, 10)+" bytes")
			return
		}
		r.reject(w, req, http.StatusBadRequest, "reading the body failed")
		return
	}
	ns, status, why := r.parse(body, len(hdr) == 0)
	if why != "" {
		r.reject(w, req, status, why)
		return
	}
	if len(ns) > cap(r.ch) {
		r.reject(w, req, http.StatusRequestEntityTooLarge, "more notifications than the queue holds")
		return
	}
	r.mu.Lock()
	switch {
	case r.closed:
		r.mu.Unlock()
		r.overloaded.Add(1)
		w.Header().Set("Retry-After", r.retryAfter)
		plain(w, http.StatusServiceUnavailable, "receiver closed\n")
		return
	case cap(r.ch)-len(r.ch) < len(ns):
		r.mu.Unlock()
		r.overloaded.Add(1)
		r.log.LogAttrs(req.Context(), slog.LevelWarn, "outlook: push receiver queue full; answering 503 so the service retries",
			slog.Int("notifications", len(ns)), slog.Int("queued", len(r.ch)))
		w.Header().Set("Retry-After", r.retryAfter)
		plain(w, http.StatusServiceUnavailable, "queue full, retry later\n")
		return
	}
	// Only senders hold mu and there is room for all: these sends do not
	// block.
	for _, n := range ns {
		r.ch <- n
	}
	r.mu.Unlock()
	r.delivered.Add(int64(len(ns)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusAccepted)
}

// parse decodes {"value":[…]}; why is non-empty (and status the answer)
// when the body is refused. With bodyState every notification must carry
// the ClientState (the request had no ClientState header).
func (r *Receiver) parse(body []byte, bodyState bool) (ns []Notification, status int, why string) {
	bad := func(format string, args ...any) ([]Notification, int, string) {
		return nil, http.StatusBadRequest, fmt.Sprintf(format, args...)
	}
	var env struct {
		Value *[]json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return bad("the body is not a JSON object with a value array")
	}
	if env.Value == nil {
		return bad("the body has no value array")
	}
	ns = make([]Notification, 0, len(*env.Value))
	for i, raw := range *env.Value {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '{' {
			return bad("notification %d is not an object", i)
		}
		var n Notification
		if err := json.Unmarshal(raw, &n); err != nil {
			return bad("notification %d is malformed", i)
		}
		states, err := takeStrings(n.Extra, "ClientState")
		if err != nil {
			return bad("notification %d is malformed", i)
		}
		lifecycle, err := takeStrings(n.Extra, "lifecycleEvent")
		if err != nil || len(lifecycle) > 1 {
			return bad("notification %d is malformed", i)
		}
		if n.ODataType != "" && !strings.EqualFold(n.ODataType, ODataTypeNotification) {
			return bad("notification %d has an unexpected @odata.type", i)
		}
		if len(lifecycle) == 1 && n.ChangeType == "" {
			t, ok := lifecycleEvents[strings.ToLower(lifecycle[0])]
			if !ok {
				t = ChangeType(lifecycle[0]) // a newer event: passed on as it is
			}
			n.ChangeType = t
		} else if t, ok := graphwire.EnumFromGraph(string(n.ChangeType)); ok {
			n.ChangeType = ChangeType(t) // Graph's "created" → Created
		}
		if n.SubscriptionID == "" || n.ChangeType == "" {
			return bad("notification %d lacks SubscriptionId or ChangeType", i)
		}
		if bodyState && len(states) == 0 {
			return nil, http.StatusForbidden, fmt.Sprintf("notification %d has a missing or wrong ClientState", i)
		}
		for _, st := range states {
			if !r.clientStateOK([]string{st}) {
				return nil, http.StatusForbidden, fmt.Sprintf("notification %d has a missing or wrong ClientState", i)
			}
		}
		if len(n.ResourceData) > 0 && bytes.Contains(raw, []byte(`"subscriptionId"`)) {
			// Graph's resource data: the v2.0 names and types.
			rd, err := graphwire.Rewrite(nil, n.ResourceData, graphwire.FromGraph, graphwire.Entity)
			if err != nil {
				return bad("notification %d has malformed resource data", i)
			}
			n.ResourceData = rd
		}
		if len(n.Extra) == 0 {
			n.Extra = nil
		}
		ns = append(ns, n)
	}
	return ns, 0, ""
}

// takeStrings removes the member name (in every spelling) from extra and
// returns its string values, nulls left out. The receiver takes the
// ClientState Graph puts in a notification's body this way, so the secret
// is not handed on, and Graph's lifecycleEvent, which becomes the
// notification's ChangeType.
func takeStrings(extra map[string]json.RawMessage, name string) ([]string, error) {
	var states []string
	for k, raw := range extra {
		if !strings.EqualFold(k, name) {
			continue
		}
		delete(extra, k)
		var s *string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		if s != nil {
			states = append(states, *s)
		}
	}
	return states, nil
}
