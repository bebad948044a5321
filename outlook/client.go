package outlook

import (
	"context"
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

// WithAPIVersion selects the API version (default V2). The entity types of
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
// requests are sent without the routing hint.
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
// share one limit). The default is DefaultMailboxConcurrency, the limit the
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

// Client is an Outlook REST API client. It is safe for concurrent use;
// create one per credential and share it.
type Client struct {
	p        *transport.Pipeline
	root     string // {host}/api/{version}
	betaRoot string // {host}/api/beta
	version  APIVersion
	prefer   Prefer
	signedIn string
	limiter  *limiter
}

// New returns a client for the Outlook REST API. The service root is
// "{Cloud.OutlookHost}/api/{version}" (or "{BaseURL}/api/{version}" with
// office365.WithBaseURL). cred supplies tokens for the configured scopes
// (see WithScopes).
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
	if s, ok := cfg.Value(scopesKey{}).([]string); ok {
		scopes = s
	}
	root := cfg.ServiceRoot(cfg.Cloud.OutlookHost, "/api/"+string(version))
	p, err := transport.New(cfg, root, cred, scopes...)
	if err != nil {
		return nil, err
	}
	c := &Client{
		p:        p,
		root:     p.Root(),
		betaRoot: cfg.ServiceRoot(cfg.Cloud.OutlookHost, "/api/"+string(Beta)),
		version:  version,
		prefer:   clientPrefer(cfg),
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

// Root returns the service root, e.g. "https://outlook.office.com/api/v2.0".
func (c *Client) Root() string { return c.root }

// APIVersion returns the configured API version.
func (c *Client) APIVersion() APIVersion { return c.version }

// Me addresses the signed-in user's mailbox ({root}/me).
func (c *Client) Me() *Mailbox {
	return &Mailbox{c: c, path: "/me", anchor: c.signedIn, prefer: c.prefer, name: "me"}
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
// Resource.
func (mb *Mailbox) URL(rel string) string {
	return mb.c.root + mb.path + "/" + strings.TrimLeft(rel, "/")
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
	path := c.rel
	if !strings.HasPrefix(path, "https://") && !strings.HasPrefix(path, "http://") {
		path = mb.path + "/" + strings.TrimLeft(path, "/")
		if c.rel == "" {
			path = mb.path
		}
		if c.beta && mb.c.version != Beta {
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
		h.Add("Prefer", v)
	}
	if c.ctype != "" {
		h.Set("Content-Type", c.ctype)
	}
	for k, vs := range c.header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	return &transport.Request{
		Method: c.method, Path: path, Query: c.query, Header: h,
		JSON: c.json, Body: c.body, Idempotent: c.idempotent,
	}, nil
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
	return mb.c.p.DoJSONHeader(ctx, req, out)
}

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
