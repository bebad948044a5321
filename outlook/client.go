package outlook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/internal/transport"
	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// APIVersion is an Outlook REST API version: the path segment after /api/.
type APIVersion string

// API versions. V2 is the default; Beta is also used, whatever the
// configured version, by the operations documented only for beta.
const (
	V1   APIVersion = "v1.0"
	V2   APIVersion = "v2.0"
	Beta APIVersion = "beta"
)

// DefaultMailboxConcurrency is the default number of concurrent requests
// per mailbox: the limit the service enforces per app and mailbox
// (MailboxConcurrency).
const DefaultMailboxConcurrency = 4

type (
	versionKey     struct{}
	preferKey      struct{}
	signedInKey    struct{}
	concurrencyKey struct{}
	scopesKey      struct{}
)

// WithAPIVersion selects the API version (default V2); clients built with
// office365.WithGraph always use Graph v1.0 and ignore it. The entity types of
// this package follow v2.0; v1.0 names some properties differently
// (Folder, DateTimeReceived, …), so with V1 use $select and your own types
// where they differ.
func WithAPIVersion(v APIVersion) office365.Option {
	return func(c *office365.Config) error {
		switch v {
		case V1, V2, Beta:
		default:
			return fmt.Errorf("outlook: WithAPIVersion: unknown version %q (want v1.0, v2.0 or beta)", v)
		}
		c.SetValue(versionKey{}, v)
		return nil
	}
}

func clientPrefer(c *office365.Config) Prefer {
	p, _ := c.Value(preferKey{}).(Prefer)
	return p
}

// WithPrefer sets the client's default Prefer preferences (time zone, body
// format, page size, unsafe HTML). Mailbox.WithPrefer and the Prefer field
// of ListOptions and GetOptions override them field by field.
func WithPrefer(p Prefer) office365.Option {
	return func(c *office365.Config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.SetValue(preferKey{}, clientPrefer(c).merge(p))
		return nil
	}
}

// WithTimeZone sends Prefer: outlook.timezone="tz" so DateTimeTimeZone
// values in responses are in that zone (a Windows name such as "Pacific
// Standard Time", a supported IANA name, or "UTC"). The default is UTC.
func WithTimeZone(tz string) office365.Option { return WithPrefer(Prefer{TimeZone: tz}) }

// WithBodyContentType sends Prefer: outlook.body-content-type="text" (or
// "html") so message bodies are returned in that format.
func WithBodyContentType(t BodyType) office365.Option {
	return WithPrefer(Prefer{BodyContentType: t})
}

// WithMaxPageSize sends Prefer: odata.maxpagesize=n on collection reads.
func WithMaxPageSize(n int) office365.Option { return WithPrefer(Prefer{MaxPageSize: n}) }

// WithSignedInUser gives the signed-in user's SMTP address, so requests to
// Me() carry X-AnchorMailbox like those to User(upn). Without it, Me()
// requests are sent without the routing hint. Graph (office365.WithGraph)
// takes no routing hint: there it has no effect.
func WithSignedInUser(address string) office365.Option {
	return func(c *office365.Config) error {
		if err := validAnchor(address); err != nil {
			return fmt.Errorf("outlook: WithSignedInUser: %w", err)
		}
		c.SetValue(signedInKey{}, address)
		return nil
	}
}

// WithMailboxConcurrency limits how many requests the client has in flight
// per mailbox (per X-AnchorMailbox; all Me() requests without an anchor
// share one limit; on Graph, per me or users/{user} path). The default is DefaultMailboxConcurrency, the limit the
// service enforces before answering 429 ApplicationThrottled; 0 removes the
// limit.
func WithMailboxConcurrency(n int) office365.Option {
	return func(c *office365.Config) error {
		if n < 0 {
			return fmt.Errorf("outlook: WithMailboxConcurrency: %d is negative", n)
		}
		c.SetValue(concurrencyKey{}, n)
		return nil
	}
}

// WithScopes replaces the OAuth scopes tokens are requested for. The
// default is "{OutlookHost}/.default" (https://outlook.office.com/.default
// in the public cloud), which suits application credentials; delegated
// credentials may name specific permissions such as
// "https://outlook.office.com/Mail.Read" or ".../Mail.Send".
func WithScopes(scopes ...string) office365.Option {
	return func(c *office365.Config) error {
		if len(scopes) == 0 {
			return errors.New("outlook: WithScopes: no scopes")
		}
		for _, s := range scopes {
			if strings.TrimSpace(s) == "" {
				return errors.New("outlook: WithScopes: empty scope")
			}
		}
		c.SetValue(scopesKey{}, append([]string(nil), scopes...))
		return nil
	}
}

// Scope returns the full name of an Outlook permission for a cloud's
// Outlook host, e.g. Scope(office365.CloudPublic, "Mail.Send") =
// "https://outlook.office.com/Mail.Send".
func Scope(cloud office365.Cloud, permission string) string {
	return strings.TrimRight(cloud.OutlookHost, "/") + "/" + permission
}

// GraphScope returns the full name of a Microsoft Graph permission for a
// cloud's Graph host, for WithScopes on a client built with
// office365.WithGraph: GraphScope(office365.CloudPublic, "Mail.Send") =
// "https://graph.microsoft.com/Mail.Send". Tokens for the Outlook host are
// not valid for Graph.
func GraphScope(cloud office365.Cloud, permission string) string {
	return strings.TrimRight(cloud.GraphHost, "/") + "/" + strings.TrimLeft(permission, "/")
}

// Client is an Outlook REST API client. It is safe for concurrent use;
// create one per credential and share it.
type Client struct {
	p        *transport.Pipeline
	upload   *transport.Pipeline // p without Authorization, for upload sessions' pre-authenticated URLs
	root     string              // {host}/api/{version}
	betaRoot string              // {host}/api/beta
	version  APIVersion
	prefer   Prefer
	signedIn string
	limiter  *limiter
	graph    bool // served by Microsoft Graph v1.0 (office365.WithGraph)
	// todoDefault caches the id of each mailbox's default To Do list
	// (mailbox path → list id), on Graph.
	todoDefault *sync.Map
}

// New returns a client for the Outlook REST API. The service root is
// "{Cloud.OutlookHost}/api/{version}" (or "{BaseURL}/api/{version}" with
// office365.WithBaseURL). cred supplies tokens for the configured scopes
// (see WithScopes).
//
// With office365.WithGraph the client is served by Microsoft Graph v1.0
// instead: the root is "{Cloud.GraphHost}/v1.0" (or "{BaseURL}/v1.0"), the
// default scope "{Cloud.GraphHost}/.default" (see GraphScope), and every
// call keeps its typed arguments and results while the client speaks
// Graph's paths, camelCase properties, "#microsoft.graph.*" types, JSON
// batching, Microsoft To Do (for Tasks) and /subscriptions (for push).
// Graph routes by the user in the path, so no X-AnchorMailbox header is
// sent.
func New(cred auth.Credential, opts ...office365.Option) (*Client, error) {
	if cred == nil {
		return nil, errors.New("outlook: New: nil credential")
	}
	cfg, err := office365.NewConfig(opts...)
	if err != nil {
		return nil, err
	}
	version := V2
	if v, ok := cfg.Value(versionKey{}).(APIVersion); ok {
		version = v
	}
	scopes := []string{Scope(cfg.Cloud, ".default")}
	root := cfg.ServiceRoot(cfg.Cloud.OutlookHost, "/api/"+string(version))
	betaRoot := cfg.ServiceRoot(cfg.Cloud.OutlookHost, "/api/"+string(Beta))
	if cfg.Graph {
		scopes = []string{cfg.GraphScope(".default")}
		root, betaRoot = cfg.GraphRoot(), cfg.ServiceRoot(cfg.Cloud.GraphHost, "/beta")
		version = V1
	}
	if s, ok := cfg.Value(scopesKey{}).([]string); ok {
		scopes = s
	}
	p, err := transport.New(cfg, root, cred, scopes...)
	if err != nil {
		return nil, err
	}
	c := &Client{
		p:        p,
		upload:   p.Anonymous(),
		root:     p.Root(),
		betaRoot: betaRoot,
		version:  version,
		prefer:   clientPrefer(cfg),
		graph:    cfg.Graph,

		todoDefault: new(sync.Map),
	}
	c.signedIn, _ = cfg.Value(signedInKey{}).(string)
	n := DefaultMailboxConcurrency
	if v, ok := cfg.Value(concurrencyKey{}).(int); ok {
		n = v
	}
	if n > 0 {
		c.limiter = &limiter{n: n, m: map[string]*limEntry{}}
	}
	return c, nil
}

// Root returns the service root, e.g. "https://outlook.office.com/api/v2.0"
// or, with office365.WithGraph, "https://graph.microsoft.com/v1.0".
func (c *Client) Root() string { return c.root }

// APIVersion returns the configured API version (V1 for Graph v1.0).
func (c *Client) APIVersion() APIVersion { return c.version }

// Graph reports whether the client is served by Microsoft Graph
// (office365.WithGraph).
func (c *Client) Graph() bool { return c.graph }

// Me addresses the signed-in user's mailbox ({root}/me).
func (c *Client) Me() *Mailbox {
	mb := &Mailbox{c: c, path: "/me", anchor: c.signedIn, prefer: c.prefer, name: "me"}
	if c.graph {
		mb.anchor = ""
	}
	return mb
}

var guidAtGUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}@[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// User addresses another mailbox ({root}/users/{user}): user is a UPN, an
// SMTP address, or "{AAD user id}@{AAD tenant id}". Requests carry
// X-AnchorMailbox: the address, or "Oid:{user id}@{tenant id}" for the id
// form (the Exchange anchor syntax for object ids; if your tenant routes
// differently, override it with Mailbox.WithAnchorMailbox). An empty user yields a
// Mailbox whose every call fails.
func (c *Client) User(user string) *Mailbox {
	mb := &Mailbox{c: c, prefer: c.prefer, name: user}
	if err := validAnchor(user); err != nil {
		mb.err = fmt.Errorf("outlook: User(%q): %w", user, err)
		return mb
	}
	mb.path = "/users/" + transport.EscapeSegment(user)
	if c.graph {
		return mb // Graph routes by the path: no anchor
	}
	mb.anchor = user
	if guidAtGUID.MatchString(user) {
		mb.anchor = "Oid:" + user
	}
	return mb
}

func validAnchor(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("empty mailbox address")
	}
	if strings.ContainsAny(s, "\r\n/ ") {
		return fmt.Errorf("invalid mailbox address %q", s)
	}
	return nil
}

// Mailbox is one user context — {root}/me or {root}/users/{upn} — with its
// X-AnchorMailbox and Prefer defaults. API subsets hang off it: Mail(),
// Calendar(), Contacts(), Tasks(), Photo(), NewBatch, ExtendedProperties,
// Extensions and Subscriptions. A Mailbox is immutable and cheap; the With*
// methods return modified copies.
type Mailbox struct {
	c      *Client
	path   string // "/me" or "/users/{escaped}"
	anchor string
	prefer Prefer
	name   string
	err    error
}

// Client returns the client the mailbox belongs to.
func (mb *Mailbox) Client() *Client { return mb.c }

// Name returns "me" or the user given to Client.User.
func (mb *Mailbox) Name() string { return mb.name }

// AnchorMailbox returns the X-AnchorMailbox value sent with every request
// ("" when none is sent).
func (mb *Mailbox) AnchorMailbox() string { return mb.anchor }

// WithAnchorMailbox returns a copy that sends X-AnchorMailbox: address.
func (mb *Mailbox) WithAnchorMailbox(address string) *Mailbox {
	cp := *mb
	if err := validAnchor(address); err != nil {
		cp.err = fmt.Errorf("outlook: WithAnchorMailbox: %w", err)
	}
	cp.anchor = address
	return &cp
}

// WithPrefer returns a copy whose requests use p over the current Prefer
// defaults (non-zero fields of p win).
func (mb *Mailbox) WithPrefer(p Prefer) *Mailbox {
	cp := *mb
	if err := p.validate(); err != nil {
		cp.err = err
	}
	cp.prefer = mb.prefer.merge(p)
	return &cp
}

// Prefer returns the mailbox's Prefer defaults.
func (mb *Mailbox) Prefer() Prefer { return mb.prefer }

// URL returns the absolute URL of rel (escaped, relative to the mailbox),
// e.g. mb.URL("MailFolders('inbox')/messages") for a push subscription's
// Resource. On Graph the path takes Graph's spelling
// (".../v1.0/me/mailFolders('inbox')/messages").
func (mb *Mailbox) URL(rel string) string {
	rel = strings.TrimLeft(rel, "/")
	if mb.c.graph {
		rel = graphwire.Path(rel)
	}
	return mb.c.root + mb.path + "/" + rel
}

// Prefer holds the Prefer request-header preferences. The zero value sends
// none.
type Prefer struct {
	// TimeZone: outlook.timezone="…" — zone of DateTimeTimeZone values in
	// responses (Windows or IANA name; default UTC). Sent on every request.
	TimeZone string
	// BodyContentType: outlook.body-content-type="text"|"html" — format of
	// Body and UniqueBody on reads.
	BodyContentType BodyType
	// MaxPageSize: odata.maxpagesize=n — page size of collection reads and
	// sync rounds.
	MaxPageSize int
	// AllowUnsafeHTML: outlook.allow-unsafe-html — return body HTML without
	// script stripping, on reads.
	AllowUnsafeHTML bool
}

func (p Prefer) validate() error {
	if p.MaxPageSize < 0 {
		return fmt.Errorf("outlook: Prefer.MaxPageSize %d is negative", p.MaxPageSize)
	}
	if strings.ContainsAny(p.TimeZone, "\"\r\n") {
		return fmt.Errorf("outlook: invalid time zone %q", p.TimeZone)
	}
	switch {
	case p.BodyContentType == "", strings.EqualFold(string(p.BodyContentType), "text"),
		strings.EqualFold(string(p.BodyContentType), "html"):
	default:
		return fmt.Errorf("outlook: Prefer.BodyContentType %q is not Text or HTML", p.BodyContentType)
	}
	return nil
}

// merge returns p with the non-zero fields of o applied.
func (p Prefer) merge(o Prefer) Prefer {
	if o.TimeZone != "" {
		p.TimeZone = o.TimeZone
	}
	if o.BodyContentType != "" {
		p.BodyContentType = o.BodyContentType
	}
	if o.MaxPageSize != 0 {
		p.MaxPageSize = o.MaxPageSize
	}
	if o.AllowUnsafeHTML {
		p.AllowUnsafeHTML = true
	}
	return p
}

// reqKind says which preferences apply to a request.
type reqKind uint8

const (
	kindWrite      reqKind = iota // time zone only
	kindRead                      // + body format, unsafe HTML
	kindCollection                // + page size
)

// header renders the preferences that apply to kind as Prefer values.
func (p Prefer) header(kind reqKind) []string {
	var out []string
	if p.TimeZone != "" {
		out = append(out, `outlook.timezone="`+p.TimeZone+`"`)
	}
	if kind >= kindRead {
		if p.BodyContentType != "" {
			out = append(out, `outlook.body-content-type="`+strings.ToLower(string(p.BodyContentType))+`"`)
		}
		if p.AllowUnsafeHTML {
			out = append(out, "outlook.allow-unsafe-html")
		}
	}
	if kind == kindCollection && p.MaxPageSize > 0 {
		out = append(out, "odata.maxpagesize="+strconv.Itoa(p.MaxPageSize))
	}
	return out
}

// call describes one request relative to a mailbox.
type call struct {
	method     string
	rel        string // relative to the mailbox ("messages/{id}"), or an absolute URL (next/delta links)
	query      string
	json       any
	body       io.Reader
	ctype      string
	idempotent bool
	kind       reqKind
	prefer     *Prefer     // per-call preferences over the mailbox's
	extra      []string    // extra Prefer values (odata.track-changes)
	header     http.Header // per-request headers, set over the pipeline's (Accept of raw downloads)
	beta       bool        // use the beta root whatever the configured version
	// graphBeta: on Graph, too, the operation exists only in beta (on
	// Graph, beta alone is ignored: Graph v1.0 serves what v2.0 served
	// from beta).
	graphBeta bool
	// shape tells the Graph codec what the bodies hold (open extensions
	// keep their custom property names).
	shape graphwire.Shape
	// rooted: rel is relative to the service root, not the mailbox
	// (Graph's /$batch and /subscriptions).
	rooted bool
}

// Accept values of raw ($value) downloads: the pipeline's default,
// application/json, suits every other request.
const (
	acceptImage = "image/*" // user and contact photos
	acceptAny   = "*/*"     // message MIME (served as message/rfc822 or text/plain)
)

// acceptHeader returns a per-request header asking for media type accept.
func acceptHeader(accept string) http.Header { return http.Header{"Accept": {accept}} }

func (mb *Mailbox) request(c *call) (*transport.Request, error) {
	if mb.err != nil {
		return nil, mb.err
	}
	graph := mb.c.graph
	path, query := c.rel, c.query
	if graph && c.shape == graphwire.Entity && strings.HasPrefix(path, todoLists+"/") {
		// Bodies under a To Do list are To Do's (task attachments are
		// taskFileAttachments).
		c.shape = graphwire.TodoTask
	}
	if !strings.HasPrefix(path, "https://") && !strings.HasPrefix(path, "http://") {
		if graph {
			path, query = graphwire.Path(path), graphwire.Query(query)
		}
		switch {
		case c.rooted:
			path = "/" + strings.TrimLeft(path, "/")
		case c.rel == "":
			path = mb.path
		default:
			path = mb.path + "/" + strings.TrimLeft(path, "/")
		}
		if (graph && c.graphBeta) || (!graph && c.beta && mb.c.version != Beta) {
			path = mb.c.betaRoot + path
		}
	}
	h := http.Header{}
	if mb.anchor != "" {
		h.Set("X-AnchorMailbox", mb.anchor)
	}
	pref := mb.prefer
	if c.prefer != nil {
		if err := c.prefer.validate(); err != nil {
			return nil, err
		}
		pref = pref.merge(*c.prefer)
	}
	for _, v := range append(c.extra, pref.header(c.kind)...) {
		if graph && v == preferTrackChanges {
			continue // Graph tracks changes with the delta function
		}
		h.Add("Prefer", v)
	}
	if c.ctype != "" {
		h.Set("Content-Type", c.ctype)
	}
	for k, vs := range c.header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	req := &transport.Request{
		Method: c.method, Path: path, Query: query, Header: h,
		JSON: c.json, Body: c.body, Idempotent: c.idempotent,
	}
	if graph && c.json != nil {
		b, err := mb.c.encode(c.json, c.shape)
		if err != nil {
			return nil, err
		}
		req.JSON, req.Body = nil, bytes.NewReader(b)
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// preferTrackChanges is the Prefer value of v2.0 sync requests.
const preferTrackChanges = "odata.track-changes"

// encode marshals a request body in the client's dialect: as tagged (v2.0)
// or translated by the Graph codec.
func (c *Client) encode(v any, shape graphwire.Shape) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("outlook: encoding request body: %w", err)
	}
	if !c.graph {
		return b, nil
	}
	out, err := graphwire.Rewrite(make([]byte, 0, len(b)+len(b)/8), b, graphwire.ToGraph, shape)
	if err != nil {
		return nil, fmt.Errorf("outlook: encoding request body: %w", err)
	}
	return out, nil
}

// do sends c and returns the successful response; the concurrency slot is
// released when the body is closed.
func (mb *Mailbox) do(ctx context.Context, c *call) (*http.Response, error) {
	req, err := mb.request(c)
	if err != nil {
		return nil, err
	}
	release, err := mb.c.limiter.acquire(ctx, mb.limitKey())
	if err != nil {
		return nil, err
	}
	resp, err := mb.c.p.Do(ctx, req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// doJSON sends c and decodes the JSON response into out (nil discards it).
func (mb *Mailbox) doJSON(ctx context.Context, c *call, out any) (http.Header, error) {
	req, err := mb.request(c)
	if err != nil {
		return nil, err
	}
	release, err := mb.c.limiter.acquire(ctx, mb.limitKey())
	if err != nil {
		return nil, err
	}
	defer release()
	if !mb.c.graph || out == nil {
		return mb.c.p.DoJSONHeader(ctx, req, out)
	}
	return mb.c.p.DoJSONHeader(ctx, req, &graphDecoder{shape: c.shape, out: out})
}

// graphDecoder translates a Graph response body and decodes it into out in
// one pass over the body the pipeline read. Its errors are the pipeline's
// decoding errors, as in the v2.0 dialect: an *office365.Error naming the
// request, scrubbed of secrets, and marked as possibly processed for a
// non-idempotent request.
type graphDecoder struct {
	shape graphwire.Shape
	out   any
}

// rewriteBuffers holds the buffers Graph bodies are translated into: what
// is decoded from them is copied (as from any body a json.Unmarshaler is
// handed), so a buffer is reused once its body is decoded.
var rewriteBuffers transport.BufferPool

// DecodeRawJSON implements transport.RawDecoder.
func (d *graphDecoder) DecodeRawJSON(body []byte) error {
	buf := rewriteBuffers.Get()
	defer rewriteBuffers.Put(buf)
	b, err := graphwire.Rewrite((*buf)[:0], body, graphwire.FromGraph, d.shape)
	if err != nil {
		return err
	}
	*buf = b
	// Rewrite refuses what json.Valid refuses: a collection page need not
	// validate its translation again.
	return transport.DecodeValidJSON(b, d.out)
}

// CopiesBody implements transport.CopyingDecoder: the body is translated
// into another buffer before anything is decoded.
func (d *graphDecoder) CopiesBody() {}

func (mb *Mailbox) limitKey() string {
	if mb.anchor != "" {
		return strings.ToLower(mb.anchor)
	}
	return strings.ToLower(mb.path)
}

type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

// Close closes the body and releases the concurrency slot once.
func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// limiter is a counting semaphore per mailbox key. Entries are removed when
// no request holds or waits for them.
type limiter struct {
	n  int
	mu sync.Mutex
	m  map[string]*limEntry
}

type limEntry struct {
	ch   chan struct{}
	refs int
}

func (l *limiter) acquire(ctx context.Context, key string) (func(), error) {
	if l == nil {
		return func() {}, nil
	}
	l.mu.Lock()
	e := l.m[key]
	if e == nil {
		e = &limEntry{ch: make(chan struct{}, l.n)}
		l.m[key] = e
	}
	e.refs++
	l.mu.Unlock()
	done := func() {
		l.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(l.m, key)
		}
		l.mu.Unlock()
	}
	select {
	case e.ch <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-e.ch
			done()
		})
	}, nil
}
