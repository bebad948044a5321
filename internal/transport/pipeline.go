package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
)

// Version is the SDK version reported in the User-Agent.
const Version = "0.1.0"

// sdkProduct is the SDK's User-Agent product token.
var sdkProduct = "office365-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"

// Pipeline sends Requests for one service client. It is safe for concurrent
// use.
type Pipeline struct {
	root       string
	rootURL    *url.URL
	client     *http.Client
	cred       auth.Credential
	scopes     []string
	retry      office365.RetryOptions
	log        *slog.Logger
	userAgent  string
	header     http.Header
	maxBody    int64
	newID      func() string
	sleep      func(ctx context.Context, d time.Duration) error
	jitterFunc func() float64
}

// New returns a pipeline that resolves relative paths against root and
// authenticates with cred for scopes. A nil cred sends no Authorization
// header (for endpoints that need none).
func New(cfg *office365.Config, root string, cred auth.Credential, scopes ...string) (*Pipeline, error) {
	if cfg == nil {
		var err error
		if cfg, err = office365.NewConfig(); err != nil {
			return nil, err
		}
	}
	u, err := url.Parse(root)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("office365: invalid service root %q", root)
	}
	if cred != nil && !secureForToken(u) {
		return nil, fmt.Errorf("office365: refusing to send tokens to %q over plain http (only loopback hosts may use http)", root)
	}
	ua := sdkProduct
	if cfg.UserAgent != "" {
		ua = cfg.UserAgent + " " + sdkProduct
	}
	hc := *cfg.HTTPClient // shallow copy: the caller's client is never modified
	hc.CheckRedirect = stripAuthOnCrossHostRedirect(cfg.HTTPClient.CheckRedirect)
	return &Pipeline{
		root:       strings.TrimRight(root, "/"),
		rootURL:    u,
		client:     &hc,
		cred:       cred,
		scopes:     append([]string(nil), scopes...),
		retry:      cfg.Retry.Normalized(),
		log:        cfg.Logger,
		userAgent:  ua,
		header:     cfg.Header.Clone(),
		maxBody:    cfg.MaxResponseBytes,
		newID:      uuid.NewString,
		sleep:      sleepCtx,
		jitterFunc: rand.Float64,
	}, nil
}

// Anonymous returns a pipeline like p that sends no Authorization header,
// for pre-authenticated URLs (an upload session's uploadUrl carries its own
// token). It shares p's HTTP client, retries, logging and error handling;
// absolute URLs on any host are allowed, since no token of p's goes with
// them.
func (p *Pipeline) Anonymous() *Pipeline {
	cp := *p
	cp.cred, cp.scopes = nil, nil
	return &cp
}

// Root returns the service root relative paths are joined to.
func (p *Pipeline) Root() string { return p.root }

// Scopes returns the scopes tokens are requested for.
func (p *Pipeline) Scopes() []string { return append([]string(nil), p.scopes...) }

// Credential returns the pipeline's credential.
func (p *Pipeline) Credential() auth.Credential { return p.cred }

// HTTPClient returns the client requests are sent with (a copy of the
// configured one with the redirect policy installed).
func (p *Pipeline) HTTPClient() *http.Client { return p.client }

// Logger returns the pipeline's logger.
func (p *Pipeline) Logger() *slog.Logger { return p.log }

// Request describes one logical call.
type Request struct {
	// Method is the HTTP method (default GET).
	Method string
	// Path is joined to the pipeline root unless it is an absolute URL (such
	// as an @odata.nextLink), which is used verbatim. Segments must already
	// be escaped (see EscapeSegment).
	Path string
	// Query is an encoded query string appended to Path (see office365.Query).
	Query string
	// Header holds per-call headers (X-AnchorMailbox, Prefer, Content-Type …).
	Header http.Header
	// Body is the request body. The unread contents of a *bytes.Reader,
	// *strings.Reader or *bytes.Buffer are copied without consuming the
	// caller's reader, and can be re-sent on retry; any other io.Reader is
	// read once (a retry that would need it again fails with the original
	// error instead).
	Body io.Reader
	// JSON, when non-nil, is marshalled as the body with Content-Type
	// application/json. Body and JSON are mutually exclusive.
	JSON any
	// Idempotent marks a POST (or PATCH) that is safe to repeat, such as a
	// read-only action. GET, HEAD, OPTIONS, PUT and DELETE always are.
	Idempotent bool
	// Scopes overrides the pipeline's token scopes for this call.
	Scopes []string
	// NoRetry disables retries for this call (the 401 refresh still happens).
	NoRetry bool
	// NotIdempotent marks a request whose method is idempotent (a PUT) but
	// whose repetition is not known to be harmless, such as the last range
	// of an upload session, which creates the attachment: it is treated as
	// a POST (retried only when the service cannot have processed it, and
	// its errors then match office365.ErrMaybeProcessed).
	NotIdempotent bool
}

func (r *Request) method() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

func (r *Request) idempotent() bool {
	if r.NotIdempotent {
		return false
	}
	switch r.method() {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return r.Idempotent
}

// URL resolves the request's URL against the pipeline root.
func (p *Pipeline) URL(r *Request) (string, error) {
	u, _, err := p.resolve(r)
	return u, err
}

// resolve is URL returning the parsed form too.
func (p *Pipeline) resolve(r *Request) (string, *url.URL, error) {
	u := r.Path
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		if u != "" && !strings.HasPrefix(u, "/") {
			u = "/" + u
		}
		u = p.root + u
	}
	if r.Query != "" {
		if strings.Contains(u, "?") {
			u += "&" + r.Query
		} else {
			u += "?" + r.Query
		}
	}
	parsed, err := url.Parse(u)
	if err != nil {
		// The *url.Error quotes the whole URL, which may carry a token
		// (a nextLink with access_token=…): scrub it.
		return "", nil, fmt.Errorf("office365: invalid request URL: %w", scrubURLError(err))
	}
	return u, parsed, nil
}

// Do sends the request through the pipeline and returns a successful (2xx)
// response whose body the caller must close. Any other outcome is an error:
// *office365.Error for an unsuccessful status, ctx.Err() after cancellation,
// or a wrapped transport error.
func (p *Pipeline) Do(ctx context.Context, r *Request) (*http.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	target, tu, err := p.resolve(r)
	if err != nil {
		return nil, err
	}
	if p.cred != nil && !secureForToken(tu) {
		return nil, fmt.Errorf("office365: refusing to send a token to %s over plain http", RedactURL(target))
	}
	if p.cred != nil && !p.sameHost(tu) {
		// An absolute URL (an @odata.nextLink, a stored deltaLink) that
		// leads to another host would receive this client's token. The
		// services always link to their own host, so refuse.
		return nil, fmt.Errorf("office365: refusing to send a token to %s: not the service host %s",
			RedactURL(target), p.rootURL.Host)
	}
	if err := checkOwnedHeaders(r.Header); err != nil {
		return nil, err
	}
	body, err := newReplayableBody(r)
	if err != nil {
		return nil, err
	}
	method := r.method()
	idempotent := r.idempotent()
	scopes := r.Scopes
	if scopes == nil {
		scopes = p.scopes
	}
	call := &callState{clientRequestID: p.newID()}
	maxRetries := p.retry.MaxRetries
	if r.NoRetry {
		maxRetries = 0
	}
	redacted := lazyRedacted(target)
	refreshed := false
	for attempt := 0; ; attempt++ {
		resp, wrote, err := p.try(ctx, r, method, target, idempotent, body, scopes, call, attempt, refreshed)
		if ctxErr := ctx.Err(); ctxErr != nil {
			closeBody(resp)
			if !idempotent && wrote {
				// The request reached the service before the caller gave
				// up: say so, while errors.Is(err, ctx.Err()) still holds.
				return nil, &requestError{method: method, url: redacted(), err: ctxErr, maybeProcessed: true}
			}
			return nil, ctxErr
		}
		if err != nil {
			var terr *tokenError
			if errors.As(err, &terr) {
				return nil, terr.err
			}
			retryable := (idempotent || !wrote) && body.rewindable()
			if !retryable || attempt >= maxRetries {
				return nil, &requestError{method: method, url: redacted(), err: err, maybeProcessed: !idempotent && wrote}
			}
			delay := p.backoff(attempt)
			p.log.LogAttrs(ctx, slog.LevelWarn, "office365: retrying after connection error",
				slog.String("method", method), slog.String("url", redacted()), slog.Int("attempt", attempt+1),
				slog.Duration("delay", delay), slog.String("error", redactError(err)))
			if err := p.sleep(ctx, delay); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return resp, nil
		}
		if resp.StatusCode == http.StatusUnauthorized && !refreshed && p.cred != nil && body.rewindable() &&
			p.canRefresh(ctx, scopes, call) {
			refreshed = true
			drainAndClose(resp)
			attempt-- // a token refresh is not a retry
			continue
		}
		notProcessed := serviceDidNotProcess(resp)
		apiErr := p.decodeError(resp, method, redacted(), call.sentToken)
		apiErr.ClientRequestID = firstNonEmpty(apiErr.ClientRequestID, call.clientRequestID)
		apiErr.MaybeProcessed = !idempotent && mayHaveProcessed(resp.StatusCode, notProcessed)
		if attempt >= maxRetries || !shouldRetry(resp.StatusCode, idempotent, notProcessed) || !body.rewindable() {
			return nil, apiErr
		}
		delay := p.backoff(attempt)
		if apiErr.RetryAfter > 0 {
			if apiErr.RetryAfter > p.retry.MaxDelay {
				p.log.LogAttrs(ctx, slog.LevelWarn, "office365: server asked to wait longer than the retry cap; giving up",
					slog.String("method", method), slog.String("url", apiErr.URL), slog.Int("status", resp.StatusCode),
					slog.Duration("retry_after", apiErr.RetryAfter))
				return nil, apiErr
			}
			delay = apiErr.RetryAfter
		}
		p.log.LogAttrs(ctx, slog.LevelWarn, "office365: retrying",
			slog.String("method", method), slog.String("url", apiErr.URL), slog.Int("status", resp.StatusCode),
			slog.String("code", apiErr.Code), slog.Int("attempt", attempt+1), slog.Duration("delay", delay))
		if err := p.sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// requestError is a failure to get an answer for a request (a connection
// error, a timeout, a cancellation after the request was sent). Its text
// names the request once: the *url.Error it wraps is described by its
// cause only, since it would repeat the method and URL. With
// maybeProcessed it also matches office365.ErrMaybeProcessed.
type requestError struct {
	method, url    string
	err            error
	maybeProcessed bool
}

func (e *requestError) Error() string {
	cause := e.err
	var ue *url.Error
	if errors.As(cause, &ue) && ue.Err != nil {
		cause = ue.Err
	}
	msg := "office365: " + e.method + " " + e.url + ": " + cause.Error()
	if e.maybeProcessed {
		msg += " (the request may have been processed)"
	}
	return msg
}

// Unwrap returns the cause and, when the request may have been processed,
// office365.ErrMaybeProcessed.
func (e *requestError) Unwrap() []error {
	if e.maybeProcessed {
		return []error{e.err, office365.ErrMaybeProcessed}
	}
	return []error{e.err}
}

// Timeout reports whether the cause was a timeout (as net.Error does).
func (e *requestError) Timeout() bool {
	var te interface{ Timeout() bool }
	return errors.Is(e.err, context.DeadlineExceeded) || errors.As(e.err, &te) && te.Timeout()
}

// lazyRedacted computes the redacted form of u once, when first needed.
func lazyRedacted(u string) func() string {
	var r string
	return func() string {
		if r == "" {
			r = RedactURL(u)
		}
		return r
	}
}

type callState struct {
	clientRequestID string
	// sentToken is the access token of the last try, kept to tell whether
	// a credential that cannot refresh has anything new to offer after a 401.
	sentToken string
	// nextToken, when set, is the token the next try sends.
	nextToken *oauth2.Token
}

// canRefresh reports whether a 401 is worth one more try: always for an
// auth.Refresher; for other credentials only when Token now returns a token
// other than the one just rejected (re-sending the same token would only be
// rejected again).
func (p *Pipeline) canRefresh(ctx context.Context, scopes []string, call *callState) bool {
	if _, ok := p.cred.(auth.Refresher); ok {
		return true
	}
	tok, err := p.cred.Token(ctx, scopes)
	if err != nil || tok == nil || tok.AccessToken == "" || tok.AccessToken == call.sentToken {
		return false
	}
	call.nextToken = tok // the next try sends it without asking again
	return true
}

// sameHost reports whether u is on the pipeline root's host (scheme, host
// name and port compared case-insensitively).
func (p *Pipeline) sameHost(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, p.rootURL.Scheme) && strings.EqualFold(u.Hostname(), p.rootURL.Hostname()) &&
		portOf(u) == portOf(p.rootURL)
}

// portOf returns u's port, defaulted from the scheme.
func portOf(u *url.URL) string {
	if port := u.Port(); port != "" {
		return port
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// ownedHeaders are set by the pipeline on every try; neither the client's
// extra headers nor a call's headers may replace them.
var ownedHeaders = []string{"Authorization", "User-Agent", "Client-Request-Id", "Return-Client-Request-Id", "Retry-Attempt"}

func checkOwnedHeaders(h http.Header) error {
	for k := range h {
		for _, o := range ownedHeaders {
			if strings.EqualFold(k, o) {
				return fmt.Errorf("office365: the %s header is set by the client and cannot be given per request", o)
			}
		}
	}
	return nil
}

// nonIdempotentKey marks the context of a non-idempotent request's tries.
type nonIdempotentKey struct{}

// nonIdempotent reports whether resp answers a non-idempotent request sent
// by a Pipeline.
func nonIdempotent(resp *http.Response) bool {
	return resp != nil && resp.Request != nil && resp.Request.Context().Value(nonIdempotentKey{}) != nil
}

// tokenError marks a failure to obtain a token; it is never retried here
// (credentials retry on their own).
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }

// try performs one attempt. wrote reports whether any part of the request
// reached the connection.
func (p *Pipeline) try(ctx context.Context, r *Request, method, target string, idempotent bool, body *replayableBody,
	scopes []string, call *callState, attempt int, forceRefresh bool) (*http.Response, bool, error) {
	rdr, err := body.reader()
	if err != nil {
		return nil, false, err
	}
	// Whether the request reached the wire only matters for requests that
	// must not be repeated. The transport writes from its own goroutine:
	// record progress atomically.
	var wrote atomic.Bool
	tctx := ctx
	if !idempotent {
		// ReadBody learns from the request's context that a lost success
		// body leaves the request possibly processed.
		tctx = context.WithValue(ctx, nonIdempotentKey{}, true)
		tctx = httptrace.WithClientTrace(tctx, &httptrace.ClientTrace{
			WroteHeaderField: func(string, []string) { wrote.Store(true) },
			WroteHeaders:     func() { wrote.Store(true) },
			WroteRequest:     func(httptrace.WroteRequestInfo) { wrote.Store(true) },
		})
	}
	req, err := http.NewRequestWithContext(tctx, method, target, rdr)
	if err != nil {
		return nil, false, err
	}
	if body.size >= 0 {
		req.ContentLength = body.size
	}
	if body.rewindable() {
		req.GetBody = func() (io.ReadCloser, error) {
			rc, err := body.reader()
			if err != nil {
				return nil, err
			}
			return io.NopCloser(rc), nil
		}
	}
	h := req.Header
	h.Set("User-Agent", p.userAgent)
	h.Set("Accept", "application/json")
	h.Set("client-request-id", call.clientRequestID)
	h.Set("return-client-request-id", "true")
	if attempt > 0 {
		h.Set("Retry-Attempt", strconv.Itoa(attempt))
	}
	if body.contentType != "" {
		h.Set("Content-Type", body.contentType)
	}
	for k, vs := range p.header {
		h[k] = append([]string(nil), vs...)
	}
	for k, vs := range r.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if p.cred != nil {
		tok := call.nextToken
		call.nextToken = nil
		if tok == nil {
			if tok, err = p.token(ctx, scopes, forceRefresh); err != nil {
				return nil, false, &tokenError{err: err}
			}
		}
		h.Set("Authorization", "Bearer "+tok.AccessToken)
		call.sentToken = tok.AccessToken
	}
	debug := p.log.Enabled(ctx, slog.LevelDebug)
	var start time.Time
	if debug {
		start = time.Now()
	}
	resp, err := p.client.Do(req)
	if err != nil {
		err = scrubURLError(err, call.sentToken)
		if debug {
			p.log.LogAttrs(ctx, slog.LevelDebug, "office365: request failed",
				slog.String("method", method), slog.String("url", RedactURL(target)), slog.Int("attempt", attempt),
				slog.Duration("elapsed", time.Since(start)), slog.String("error", err.Error()))
		}
		return nil, wrote.Load(), err
	}
	if debug {
		p.log.LogAttrs(ctx, slog.LevelDebug, "office365: request",
			slog.String("method", method), slog.String("url", RedactURL(target)), slog.Int("status", resp.StatusCode),
			slog.Int("attempt", attempt), slog.Duration("elapsed", time.Since(start)),
			slog.String("request_id", ScrubText(resp.Header.Get("request-id"), call.sentToken)))
	}
	return resp, true, nil
}

func (p *Pipeline) token(ctx context.Context, scopes []string, force bool) (*oauth2.Token, error) {
	var (
		tok *oauth2.Token
		err error
	)
	if rf, ok := p.cred.(auth.Refresher); force && ok {
		tok, err = rf.Refresh(ctx, scopes)
	} else {
		tok, err = p.cred.Token(ctx, scopes)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// Token endpoints answer in JSON that may echo what the client
		// sent (client_secret, assertion): scrub it from the text.
		return nil, fmt.Errorf("office365: acquiring token: %w", scrubErr(err))
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, auth.ErrNoToken
	}
	return tok, nil
}

// serviceDidNotProcess reports whether resp says the service did not
// process the request: a 429, or a 503 with Retry-After (or
// retry-after-ms).
func serviceDidNotProcess(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusServiceUnavailable:
		h := resp.Header
		return h.Get("Retry-After") != "" || h.Get("retry-after-ms") != "" || h.Get("x-ms-retry-after-ms") != ""
	}
	return false
}

// mayHaveProcessed reports whether an error status leaves open whether the
// service acted on the request: a 408 or a 5xx, unless the service said it
// did not process it.
func mayHaveProcessed(status int, notProcessed bool) bool {
	return !notProcessed && (status == http.StatusRequestTimeout || status >= 500)
}

// shouldRetry implements the retry matrix: a request the service said it
// did not process (429, 503 with Retry-After) is retried whatever its
// method; 408, 500, 502, 503 and 504 only when it is idempotent.
func shouldRetry(status int, idempotent, notProcessed bool) bool {
	if notProcessed {
		return true
	}
	switch status {
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// backoff returns the exponential delay with ±20% jitter for the given
// attempt (0-based), capped at MaxDelay.
func (p *Pipeline) backoff(attempt int) time.Duration {
	d := p.retry.BaseDelay
	for i := 0; i < attempt && d < p.retry.MaxDelay; i++ {
		d *= 2
	}
	d = time.Duration(float64(d) * (0.8 + 0.4*p.jitterFunc()))
	return min(d, p.retry.MaxDelay)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// secureForToken reports whether a bearer token may be sent to u.
func secureForToken(u *url.URL) bool {
	return u.Scheme == "https" || (u.Scheme == "http" && office365.IsLoopbackHost(u.Hostname()))
}

// stripAuthOnCrossHostRedirect wraps next so that Authorization never follows
// a redirect to another host (net/http would keep it for subdomains).
func stripAuthOnCrossHostRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
			req.Header.Del("Authorization")
		}
		if !secureForToken(req.URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// replayableBody produces a fresh reader per try when it can.
type replayableBody struct {
	data        []byte
	stream      io.Reader
	used        bool
	size        int64
	contentType string
}

func newReplayableBody(r *Request) (*replayableBody, error) {
	b := &replayableBody{}
	if r.JSON != nil && r.Body != nil {
		return nil, errors.New("office365: request has both Body and JSON")
	}
	if r.JSON != nil {
		data, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, fmt.Errorf("office365: encoding request body: %w", err)
		}
		b.data, b.size, b.contentType = data, int64(len(data)), "application/json"
		return b, nil
	}
	// The caller's reader is left as it is: the unread remainder of a
	// *bytes.Reader, *strings.Reader or *bytes.Buffer is copied (without
	// moving its read position) so that the call can be repeated, and a
	// retry re-sends the same bytes. nil, or a typed nil pointer, is an
	// empty body; any other reader is streamed once, its length unknown.
	switch body := r.Body.(type) {
	case nil:
	case *bytes.Reader:
		if body != nil {
			b.setData(unread(body))
		}
	case *strings.Reader:
		if body != nil {
			b.setData(unread(body))
		}
	case *bytes.Buffer:
		if body != nil {
			b.setData(bytes.Clone(body.Bytes()))
		}
	default:
		b.stream, b.size = body, -1
	}
	return b, nil
}

// setData records the bytes of an in-memory body.
func (b *replayableBody) setData(data []byte) {
	b.data, b.size = data, int64(len(data))
}

// unread copies the unread remainder of a *bytes.Reader or *strings.Reader
// without moving its read position.
func unread(r interface {
	io.ReaderAt
	Len() int
	Size() int64
}) []byte {
	data := make([]byte, r.Len())
	_, _ = r.ReadAt(data, r.Size()-int64(len(data)))
	return data
}

func (b *replayableBody) rewindable() bool { return b.stream == nil || !b.used }

func (b *replayableBody) reader() (io.Reader, error) {
	if b.stream != nil {
		if b.used {
			return nil, errors.New("office365: request body cannot be sent again")
		}
		b.used = true
		return b.stream, nil
	}
	if b.size == 0 && b.data == nil {
		return http.NoBody, nil
	}
	return bytes.NewReader(b.data), nil
}

func closeBody(resp *http.Response) {
	if resp != nil {
		resp.Body.Close()
	}
}

// drainAndClose discards a bounded amount of an unwanted body so the
// connection can be reused, then closes it.
func drainAndClose(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
