package office365test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Cassette is a recorded sequence of HTTP interactions, stored as indented
// JSON so that fixtures under testdata/ diff well:
//
//	{"interactions": [{"request": {"method", "url", "headers", "body"},
//	                   "response": {"status", "headers", "body"}}]}
//
// Headers map canonical names to a string (one value) or an array of
// strings (several values); they are written sorted by name.
// Bodies that are JSON objects or arrays are embedded as JSON; other text is
// a JSON string; binary (non-UTF-8) bodies are base64 in a JSON string with
// "bodyEncoding": "base64". Recorder writes cassettes and Replayer replays
// them; the types are exported for tests that build or inspect fixtures.
type Cassette struct {
	Interactions []Interaction `json:"interactions"`
}

// Interaction is one request and the response it received.
type Interaction struct {
	Request  CassetteRequest  `json:"request"`
	Response CassetteResponse `json:"response"`
}

// CassetteRequest is the recorded form of a request. Use BodyBytes and
// SetBody rather than Body and BodyEncoding directly.
type CassetteRequest struct {
	Method       string          `json:"method"`
	URL          string          `json:"url"`
	Headers      http.Header     `json:"headers,omitempty"`
	Body         json.RawMessage `json:"body,omitempty"`
	BodyEncoding string          `json:"bodyEncoding,omitempty"`
}

// CassetteResponse is the recorded form of a response. Use BodyBytes and
// SetBody rather than Body and BodyEncoding directly.
type CassetteResponse struct {
	Status       int             `json:"status"`
	Headers      http.Header     `json:"headers,omitempty"`
	Body         json.RawMessage `json:"body,omitempty"`
	BodyEncoding string          `json:"bodyEncoding,omitempty"`
}

// headerValues is how a header's values are stored: a single value as a
// JSON string, several as an array of strings.
type headerValues []string

func (v headerValues) MarshalJSON() ([]byte, error) {
	if len(v) == 1 {
		return marshalString(v[0]), nil
	}
	return marshalNoEscape([]string(v))
}

func (v *headerValues) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = headerValues{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return errors.New("a header value must be a string or an array of strings")
	}
	*v = ss
	return nil
}

func toWireHeader(h http.Header) map[string]headerValues {
	if len(h) == 0 {
		return nil
	}
	m := make(map[string]headerValues, len(h))
	for k, v := range h {
		m[k] = v
	}
	return m
}

func fromWireHeader(m map[string]headerValues) http.Header {
	if len(m) == 0 {
		return nil
	}
	h := make(http.Header, len(m))
	for k, v := range m {
		h[http.CanonicalHeaderKey(k)] = append(h[http.CanonicalHeaderKey(k)], v...)
	}
	return h
}

type requestWire struct {
	Method       string                  `json:"method"`
	URL          string                  `json:"url"`
	Headers      map[string]headerValues `json:"headers,omitempty"`
	Body         json.RawMessage         `json:"body,omitempty"`
	BodyEncoding string                  `json:"bodyEncoding,omitempty"`
}

type responseWire struct {
	Status       int                     `json:"status"`
	Headers      map[string]headerValues `json:"headers,omitempty"`
	Body         json.RawMessage         `json:"body,omitempty"`
	BodyEncoding string                  `json:"bodyEncoding,omitempty"`
}

// MarshalJSON writes the request in cassette form; a header with one value
// is written as a string, one with several as an array.
func (r CassetteRequest) MarshalJSON() ([]byte, error) {
	return marshalNoEscape(requestWire{r.Method, r.URL, toWireHeader(r.Headers), r.Body, r.BodyEncoding})
}

// UnmarshalJSON reads the request from cassette form.
func (r *CassetteRequest) UnmarshalJSON(b []byte) error {
	var w requestWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = CassetteRequest{w.Method, w.URL, fromWireHeader(w.Headers), w.Body, w.BodyEncoding}
	return nil
}

// MarshalJSON writes the response in cassette form; a header with one value
// is written as a string, one with several as an array.
func (r CassetteResponse) MarshalJSON() ([]byte, error) {
	return marshalNoEscape(responseWire{r.Status, toWireHeader(r.Headers), r.Body, r.BodyEncoding})
}

// UnmarshalJSON reads the response from cassette form.
func (r *CassetteResponse) UnmarshalJSON(b []byte) error {
	var w responseWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = CassetteResponse{w.Status, fromWireHeader(w.Headers), w.Body, w.BodyEncoding}
	return nil
}

// bodyEncodingBase64 marks a body stored as base64 text.
const bodyEncodingBase64 = "base64"

// BodyBytes returns the request body as it is replayed (embedded JSON in
// compact form).
func (r CassetteRequest) BodyBytes() ([]byte, error) { return decodeBody(r.Body, r.BodyEncoding) }

// SetBody stores b as the request body in the cassette's body format.
func (r *CassetteRequest) SetBody(b []byte) { r.Body, r.BodyEncoding = encodeBody(b) }

// BodyBytes returns the response body as it is replayed (embedded JSON in
// compact form).
func (r CassetteResponse) BodyBytes() ([]byte, error) { return decodeBody(r.Body, r.BodyEncoding) }

// SetBody stores b as the response body in the cassette's body format.
func (r *CassetteResponse) SetBody(b []byte) { r.Body, r.BodyEncoding = encodeBody(b) }

// encodeBody chooses the stored form of a body: embedded JSON for a JSON
// object or array, a JSON string for other UTF-8 text, base64 otherwise.
func encodeBody(b []byte) (json.RawMessage, string) {
	if len(b) == 0 {
		return nil, ""
	}
	if !utf8.Valid(b) {
		return marshalString(base64.StdEncoding.EncodeToString(b)), bodyEncodingBase64
	}
	if t := bytes.TrimSpace(b); len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, t); err == nil {
			return buf.Bytes(), ""
		}
	}
	return marshalString(string(b)), ""
}

// marshalString encodes s as a JSON string without HTML escaping.
func marshalString(s string) json.RawMessage {
	b, _ := marshalNoEscape(s) // a string always encodes
	return b
}

// marshalNoEscape is json.Marshal without HTML escaping.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func decodeBody(raw json.RawMessage, encoding string) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch encoding {
	case "":
		if raw[0] == '"' {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, fmt.Errorf("body: %w", err)
			}
			return []byte(s), nil
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, fmt.Errorf("body: %w", err)
		}
		return buf.Bytes(), nil
	case bodyEncodingBase64:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("base64 body must be a JSON string: %w", err)
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("base64 body: %w", err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("unsupported bodyEncoding %q (want %q or none)", encoding, bodyEncodingBase64)
	}
}

// LoadCassette reads and validates the cassette at path: every interaction
// needs a method, a parseable URL, a status between 100 and 599 and
// decodable bodies. Errors name the file and the interaction.
func LoadCassette(path string) (*Cassette, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("office365test: loading cassette: %w", err)
	}
	var c Cassette
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("office365test: cassette %s: %w", path, err)
	}
	for i, in := range c.Interactions {
		if err := in.validate(); err != nil {
			return nil, fmt.Errorf("office365test: cassette %s: interaction %d: %w", path, i, err)
		}
	}
	return &c, nil
}

func (in Interaction) validate() error {
	if in.Request.Method == "" {
		return errors.New("request has no method")
	}
	if _, err := url.Parse(in.Request.URL); err != nil || in.Request.URL == "" {
		return fmt.Errorf("request URL %q is not a valid URL", in.Request.URL)
	}
	if in.Response.Status < 100 || in.Response.Status > 599 {
		return fmt.Errorf("response status %d is not an HTTP status", in.Response.Status)
	}
	if _, err := in.Request.BodyBytes(); err != nil {
		return fmt.Errorf("request %w", err)
	}
	if _, err := in.Response.BodyBytes(); err != nil {
		return fmt.Errorf("response %w", err)
	}
	return nil
}

// Save writes the cassette to path as indented JSON (keys of header maps
// sorted, no HTML escaping), creating the directory if needed. The file is
// written to a temporary file in the same directory and renamed into place,
// so a reader never sees a partial cassette. Save writes what it is given:
// cassettes built by a Recorder are already scrubbed.
func (c *Cassette) Save(path string) (err error) {
	if c == nil {
		return errors.New("office365test: saving a nil cassette")
	}
	out := Cassette{Interactions: c.Interactions}
	if out.Interactions == nil {
		out.Interactions = []Interaction{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("office365test: encoding cassette: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("office365test: saving cassette: %w", err)
	}
	f, err := os.CreateTemp(dir, ".cassette-*.tmp")
	if err != nil {
		return fmt.Errorf("office365test: saving cassette: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("office365test: saving cassette: %w", err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("office365test: saving cassette: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("office365test: saving cassette: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("office365test: saving cassette: %w", err)
	}
	return nil
}

func (in Interaction) clone() Interaction {
	in.Request.Headers = in.Request.Headers.Clone()
	in.Request.Body = slices.Clone(in.Request.Body)
	in.Response.Headers = in.Response.Headers.Clone()
	in.Response.Body = slices.Clone(in.Response.Body)
	return in
}

// RecordOption configures a Recorder.
type RecordOption func(*recordConfig)

type recordConfig struct {
	emails     bool
	headers    []string
	jsonFields []string
}

// ScrubEmails replaces every e-mail address (in URLs, headers and bodies)
// with a pseudonym such as user1@example.com. The same address (compared
// case-insensitively) gets the same pseudonym throughout a cassette. Strings
// without a domain (alice, alice@contoso) and OData annotations
// (Attachments@odata.navigationLink) are left alone.
func ScrubEmails() RecordOption {
	return func(c *recordConfig) { c.emails = true }
}

// ScrubHeaders redacts the values of the named headers (compared
// case-insensitively) in addition to the ones always redacted:
// Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, Api-Key
// and Ocp-Apim-Subscription-Key.
func ScrubHeaders(names ...string) RecordOption {
	return func(c *recordConfig) { c.headers = append(c.headers, names...) }
}

// ScrubJSONFields redacts the values of the named JSON object members, at
// any depth, in addition to the ones always redacted (access_token,
// refresh_token, id_token, client_secret, client_assertion, code_verifier,
// device_code, password, ClientState). Names are compared ignoring case,
// '_' and '-', so "access_token" also covers "AccessToken".
func ScrubJSONFields(names ...string) RecordOption {
	return func(c *recordConfig) { c.jsonFields = append(c.jsonFields, names...) }
}

// Recorder is an http.RoundTripper that forwards requests to another
// RoundTripper and records each exchange, scrubbed, for Save to write as a
// cassette. It is meant for producing fixtures against the real service or
// the fake:
//
//	rec := office365test.NewRecorder("testdata/outlook/list-messages.json", nil)
//	opt := office365.WithHTTPClient(&http.Client{Transport: rec})
//	// … build a client with opt, make calls …
//	err := rec.Save()
//
// and replaying it with NewReplayer in the same way.
//
// Scrubbing is not optional: the Authorization, Proxy-Authorization, Cookie
// and Set-Cookie headers, secret query parameters (access_token, code,
// client_secret, client_assertion, refresh_token, sig, …), secret form
// fields, secret JSON members (access_token, refresh_token, id_token,
// client_secret, password, ClientState, …) and bearer tokens or JWTs
// anywhere in text are replaced by Redacted before anything is stored.
// $skiptoken, $deltatoken and validationtoken are kept: they are not secrets
// and replays need them. Secrets are found whatever their encoding: inside
// JSON strings (\u002B, \/, \u0026 escapes), HTML-escaped query strings
// (&amp;code=), URL fragments (#access_token=), headers such as Location
// (also with a callback URL percent-encoded inside another URL), UTF-16
// text, and the printable runs of non-UTF-8 (binary) bodies, which are
// otherwise stored byte for byte. E-mail addresses are replaced only with
// ScrubEmails. Gzip-encoded response bodies are recorded decompressed so
// that they can be scrubbed.
//
// The caller receives the real, unscrubbed response, with a body that reads
// the same bytes. Because the whole body is read before RoundTrip returns,
// a Recorder does not suit long-lived streaming responses.
//
// A Recorder is safe for concurrent use; interactions are recorded in the
// order their responses complete.
type Recorder struct {
	path  string
	next  http.RoundTripper
	scrub *scrubber

	mu           sync.Mutex
	interactions []Interaction
}

// NewRecorder returns a Recorder that forwards to next (http.DefaultTransport
// when nil) and whose Save writes to path.
func NewRecorder(path string, next http.RoundTripper, opts ...RecordOption) *Recorder {
	var cfg recordConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &Recorder{path: path, next: next, scrub: newScrubber(cfg.emails, cfg.headers, cfg.jsonFields)}
}

// RoundTrip implements http.RoundTripper: it sends req through the wrapped
// RoundTripper, reads the whole response body, records the scrubbed
// exchange and returns the response with an equivalent body. A transport
// error, or a failure while reading the response body, is returned as is
// (the latter through the returned body, after the bytes that did arrive)
// and nothing is recorded.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, errors.New("office365test: Recorder: request or request URL is nil")
	}
	var reqBody []byte
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("office365test: recording %s %s: reading request body: %w", req.Method, r.scrub.url(req.URL), err)
		}
		reqBody = b
		out = req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(b))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		out.ContentLength = int64(len(b))
	}
	resp, err := r.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	respBody, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if readErr != nil {
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	r.record(req, reqBody, resp, respBody)
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func (r *Recorder) record(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	respHeader := resp.Header
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		if zr, err := gzip.NewReader(bytes.NewReader(respBody)); err == nil {
			if plain, err := io.ReadAll(zr); err == nil {
				respBody = plain
				respHeader = resp.Header.Clone()
				respHeader.Del("Content-Encoding")
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var in Interaction
	in.Request.Method = req.Method
	in.Request.URL = r.scrub.url(req.URL)
	in.Request.Headers = r.scrub.header(req.Header)
	in.Request.SetBody(r.scrub.body(reqBody, req.Header))
	in.Response.Status = resp.StatusCode
	in.Response.Headers = r.scrub.header(respHeader)
	in.Response.SetBody(r.scrub.body(respBody, respHeader))
	r.interactions = append(r.interactions, in)
}

// Interactions returns a copy of the scrubbed interactions recorded so far.
func (r *Recorder) Interactions() []Interaction {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Interaction, len(r.interactions))
	for i, in := range r.interactions {
		out[i] = in.clone()
	}
	return out
}

// Save writes the interactions recorded so far, scrubbed, to the
// Recorder's path (see Cassette.Save). It may be called more than once;
// each call rewrites the whole file.
func (r *Recorder) Save() error {
	c := &Cassette{Interactions: r.Interactions()}
	return c.Save(r.path)
}

// ReplayOption configures a Replayer.
type ReplayOption func(*replayConfig)

type replayConfig struct {
	anyOrder  bool
	matchBody bool
}

// AnyOrder lets a request match any unused interaction (the first in
// cassette order that matches) instead of only the next one. Use it for
// code that sends requests concurrently.
func AnyOrder() ReplayOption {
	return func(c *replayConfig) { c.anyOrder = true }
}

// MatchBody also requires the request body to match: JSON bodies are
// compared semantically (member order and whitespace ignored), form bodies
// as unordered fields, other bodies byte for byte. Recorded Redacted values
// match anything.
func MatchBody() ReplayOption {
	return func(c *replayConfig) { c.matchBody = true }
}

// ErrNoMatch is wrapped by the error a Replayer returns for a request that
// matches no recorded interaction.
var ErrNoMatch = errors.New("office365test: no recorded interaction matches the request")

// Replayer is an http.RoundTripper that answers requests from a cassette
// without touching the network. A request matches an interaction when the
// method, the URL path and the query agree:
//
//   - the scheme and host are ignored, so fixtures recorded against the real
//     service replay against any base URL (the fake server's, or a dummy);
//   - the path is compared segment by segment, each unescaped (an escaped
//     %2F is not a separator), case-sensitively;
//   - request headers are not compared;
//   - query parameters are compared regardless of their order, after the
//     incoming request has been scrubbed like a recording; a recorded value
//     of Redacted matches any value;
//   - e-mail pseudonyms written by ScrubEmails (user1@example.com) match any
//     address, provided each pseudonym stands for the same address
//     throughout the replay;
//   - with MatchBody, the body must match too.
//
// By default interactions are replayed in order: a request must match the
// next unused interaction. With AnyOrder it may match any unused one. Each
// interaction is used once. A request that matches nothing gets an error
// wrapping ErrNoMatch that names the request and the closest candidates.
//
// The response carries the recorded status, headers and body (JSON bodies
// in compact form), a Content-Length for the body, and the request.
// Responses are as recorded: they hold the pseudonyms and Redacted values,
// not the caller's addresses or secrets.
//
// A Replayer is safe for concurrent use.
type Replayer struct {
	path      string
	cfg       replayConfig
	scrub     *scrubber
	entries   []replayEntry
	mu        sync.Mutex
	used      []bool
	emailBind emailBinding
}

// replayEntry is an interaction with its matching key precomputed.
type replayEntry struct {
	in       Interaction
	key      requestKey
	respBody []byte
}

// requestKey is the part of a request that matching looks at.
type requestKey struct {
	method   string
	path     []string // unescaped segments
	query    map[string][]string
	body     []byte
	bodyForm bool
	display  string // method and scrubbed path?query, for messages
}

// NewReplayer loads the cassette at path (see LoadCassette) and returns a
// Replayer for it.
func NewReplayer(path string, opts ...ReplayOption) (*Replayer, error) {
	c, err := LoadCassette(path)
	if err != nil {
		return nil, err
	}
	r := &Replayer{path: path, scrub: newScrubber(false, nil, nil), emailBind: newEmailBinding()}
	for _, o := range opts {
		if o != nil {
			o(&r.cfg)
		}
	}
	for i, in := range c.Interactions {
		u, err := url.Parse(in.Request.URL)
		if err != nil {
			return nil, fmt.Errorf("office365test: cassette %s: interaction %d: %w", path, i, err)
		}
		reqBody, _ := in.Request.BodyBytes() // validated by LoadCassette
		respBody, _ := in.Response.BodyBytes()
		key := newRequestKey(in.Request.Method, u, reqBody, in.Request.Headers)
		r.entries = append(r.entries, replayEntry{in: in, key: key, respBody: respBody})
	}
	r.used = make([]bool, len(r.entries))
	return r, nil
}

func newRequestKey(method string, u *url.URL, body []byte, h http.Header) requestKey {
	k := requestKey{method: strings.ToUpper(method), body: body, query: map[string][]string{}}
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if d, err := url.PathUnescape(seg); err == nil {
			seg = d
		}
		k.path = append(k.path, seg)
	}
	if u.RawQuery != "" {
		for _, p := range strings.Split(u.RawQuery, "&") {
			name, v, _ := strings.Cut(p, "=")
			if d, err := url.QueryUnescape(name); err == nil {
				name = d
			}
			if d, err := url.QueryUnescape(v); err == nil {
				v = d
			}
			k.query[name] = append(k.query[name], v)
		}
	}
	k.bodyForm = mediaType(h.Get("Content-Type")) == "application/x-www-form-urlencoded"
	k.display = k.method + " " + u.EscapedPath()
	if u.RawQuery != "" {
		k.display += "?" + u.RawQuery
	}
	return k
}

// RoundTrip implements http.RoundTripper: it answers req with the matching
// recorded response, or returns an error wrapping ErrNoMatch. It reads and
// closes the request body.
func (r *Replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, errors.New("office365test: Replayer: request or request URL is nil")
	}
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("office365test: replaying %s: reading request body: %w", req.Method, err)
		}
		body = b
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	// Scrub the incoming request exactly as a recording would be scrubbed,
	// so that recorded redactions compare equal.
	u, err := url.Parse(r.scrub.url(req.URL))
	if err != nil {
		u = req.URL
	}
	key := newRequestKey(req.Method, u, r.scrub.body(body, req.Header), req.Header)

	r.mu.Lock()
	defer r.mu.Unlock()
	next := slices.Index(r.used, false)
	if next < 0 {
		return nil, fmt.Errorf("%w: %s (cassette %s): all %d recorded interactions have been used",
			ErrNoMatch, key.display, r.path, len(r.entries))
	}
	candidates := []int{next}
	if r.cfg.anyOrder {
		candidates = candidates[:0]
		for i, used := range r.used {
			if !used {
				candidates = append(candidates, i)
			}
		}
	}
	for _, i := range candidates {
		b := r.emailBind.clone()
		if r.entries[i].key.matches(key, r.cfg.matchBody, b) == "" {
			r.used[i] = true
			r.emailBind = b
			return r.entries[i].response(req), nil
		}
	}
	return nil, r.mismatch(key, next)
}

// response builds the replayed response for req.
func (e *replayEntry) response(req *http.Request) *http.Response {
	st := e.in.Response.Status
	h := e.in.Response.Headers.Clone()
	if h == nil {
		h = http.Header{}
	}
	resp := &http.Response{
		Status:     strconv.Itoa(st) + " " + http.StatusText(st),
		StatusCode: st,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Request:    req,
	}
	if len(e.respBody) == 0 {
		resp.Body = http.NoBody
	} else {
		resp.Body = io.NopCloser(bytes.NewReader(e.respBody))
	}
	resp.ContentLength = int64(len(e.respBody))
	if req.Method != http.MethodHead {
		h.Set("Content-Length", strconv.Itoa(len(e.respBody)))
	}
	return resp
}

// mismatch builds the error for a request that matched nothing.
func (r *Replayer) mismatch(key requestKey, next int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (cassette %s, %d of %d interactions unused)", key.display, r.path, countFalse(r.used), len(r.entries))
	if !r.cfg.anyOrder {
		e := r.entries[next]
		fmt.Fprintf(&b, "; the next interaction is #%d %s (%s differs)", next, e.key.display, e.key.matches(key, r.cfg.matchBody, r.emailBind.clone()))
		for i := next + 1; i < len(r.entries); i++ {
			if !r.used[i] && r.entries[i].key.matches(key, r.cfg.matchBody, r.emailBind.clone()) == "" {
				fmt.Fprintf(&b, "; interaction #%d matches but is out of order (replay with AnyOrder to allow that)", i)
				break
			}
		}
		return fmt.Errorf("%w: %s", ErrNoMatch, b.String())
	}
	type cand struct {
		i, score int
		diff     string
	}
	var cands []cand
	for i, e := range r.entries {
		if r.used[i] {
			continue
		}
		diff := e.key.matches(key, r.cfg.matchBody, r.emailBind.clone())
		cands = append(cands, cand{i, e.key.similarity(key), diff})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return b.score - a.score })
	b.WriteString("; closest unused:")
	for j, c := range cands[:min(3, len(cands))] {
		if j > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " #%d %s (%s differs)", c.i, r.entries[c.i].key.display, c.diff)
	}
	return fmt.Errorf("%w: %s", ErrNoMatch, b.String())
}

func countFalse(v []bool) int {
	n := 0
	for _, b := range v {
		if !b {
			n++
		}
	}
	return n
}

// matches compares the recorded key k with an incoming key. It returns ""
// when they match, otherwise the first part that differs ("method", "path",
// "query" or "body"). Pseudonym bindings made while comparing go into b.
func (k requestKey) matches(in requestKey, matchBody bool, b emailBinding) string {
	if k.method != in.method {
		return "method"
	}
	if len(k.path) != len(in.path) {
		return "path"
	}
	for i := range k.path {
		if !b.matchText(k.path[i], in.path[i]) {
			return "path"
		}
	}
	if !matchQuery(k.query, in.query, b) {
		return "query"
	}
	if matchBody && !matchBodies(k, in, b) {
		return "body"
	}
	return ""
}

// similarity scores how close an incoming key is to k, for error messages.
func (k requestKey) similarity(in requestKey) int {
	score := 0
	if k.method == in.method {
		score += 4
	}
	for i := range min(len(k.path), len(in.path)) {
		if k.path[i] != in.path[i] {
			break
		}
		score += 2
	}
	if len(k.path) == len(in.path) {
		score++
	}
	for name, vs := range k.query {
		if slices.Equal(vs, in.query[name]) {
			score++
		}
	}
	return score
}

func matchQuery(rec, in map[string][]string, b emailBinding) bool {
	if len(rec) != len(in) {
		return false
	}
	for name, rv := range rec {
		iv, ok := in[name]
		if !ok || len(iv) != len(rv) {
			return false
		}
		for i := range rv {
			if !b.matchText(rv[i], iv[i]) {
				return false
			}
		}
	}
	return true
}

func matchBodies(rec, in requestKey, b emailBinding) bool {
	if len(bytes.TrimSpace(rec.body)) == 0 && len(bytes.TrimSpace(in.body)) == 0 {
		return true
	}
	if json.Valid(rec.body) && json.Valid(in.body) {
		rv, err1 := decodeJSONNumbers(rec.body)
		iv, err2 := decodeJSONNumbers(in.body)
		return err1 == nil && err2 == nil && matchJSON(rv, iv, b)
	}
	if rec.bodyForm || in.bodyForm {
		rq, err1 := url.ParseQuery(string(rec.body))
		iq, err2 := url.ParseQuery(string(in.body))
		return err1 == nil && err2 == nil && matchQuery(rq, iq, b)
	}
	return b.matchText(string(rec.body), string(in.body))
}

func decodeJSONNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// matchJSON compares decoded JSON values; a recorded Redacted string
// matches any value and strings are compared with pseudonym bindings.
func matchJSON(rec, in any, b emailBinding) bool {
	if s, ok := rec.(string); ok && s == Redacted {
		return true
	}
	switch r := rec.(type) {
	case map[string]any:
		i, ok := in.(map[string]any)
		if !ok || len(i) != len(r) {
			return false
		}
		for k, rv := range r {
			iv, ok := i[k]
			if !ok || !matchJSON(rv, iv, b) {
				return false
			}
		}
		return true
	case []any:
		i, ok := in.([]any)
		if !ok || len(i) != len(r) {
			return false
		}
		for n := range r {
			if !matchJSON(r[n], i[n], b) {
				return false
			}
		}
		return true
	case string:
		i, ok := in.(string)
		return ok && b.matchText(r, i)
	case json.Number:
		i, ok := in.(json.Number)
		if !ok {
			return false
		}
		if r == i {
			return true
		}
		rf, err1 := r.Float64()
		nf, err2 := i.Float64()
		return err1 == nil && err2 == nil && rf == nf
	default: // bool, nil
		return rec == in
	}
}

// emailBinding records which address each e-mail pseudonym stood for during
// a replay, so that user1@example.com matches one address consistently.
type emailBinding struct {
	fwd map[string]string // pseudonym → address
	rev map[string]string // address → pseudonym
}

func newEmailBinding() emailBinding {
	return emailBinding{fwd: map[string]string{}, rev: map[string]string{}}
}

func (b emailBinding) clone() emailBinding {
	n := newEmailBinding()
	for k, v := range b.fwd {
		n.fwd[k] = v
	}
	for k, v := range b.rev {
		n.rev[k] = v
	}
	return n
}

// matchText reports whether the incoming text in matches the recorded text
// rec: equal, rec is Redacted, or equal once each recorded pseudonym is
// read as the address in the same place (consistently with earlier
// bindings, which it extends).
func (b emailBinding) matchText(rec, in string) bool {
	if rec == in || rec == Redacted {
		return true
	}
	re, ie := findEmails(rec), findEmails(in)
	if len(re) == 0 || len(re) != len(ie) {
		return false
	}
	rLast, iLast := 0, 0
	for n := range re {
		if rec[rLast:re[n][0]] != in[iLast:ie[n][0]] {
			return false
		}
		ra := strings.ToLower(rec[re[n][0]:re[n][1]])
		ia := strings.ToLower(in[ie[n][0]:ie[n][1]])
		if ra != ia {
			if !pseudonymRE.MatchString(ra) {
				return false
			}
			if bound, ok := b.fwd[ra]; ok && bound != ia {
				return false
			}
			if bound, ok := b.rev[ia]; ok && bound != ra {
				return false
			}
			b.fwd[ra], b.rev[ia] = ia, ra
		}
		rLast, iLast = re[n][1], ie[n][1]
	}
	return rec[rLast:] == in[iLast:]
}

// Unused returns copies of the interactions not replayed yet, in cassette
// order, so a test can assert that every recorded call was made.
func (r *Replayer) Unused() []Interaction {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Interaction
	for i, e := range r.entries {
		if !r.used[i] {
			out = append(out, e.in.clone())
		}
	}
	return out
}

// compile-time checks.
var (
	_ http.RoundTripper = (*Recorder)(nil)
	_ http.RoundTripper = (*Replayer)(nil)
)
