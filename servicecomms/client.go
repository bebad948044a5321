package servicecomms

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
)

// MaxPageSize is the largest $top the Messages endpoint accepts, and the
// default page size.
const MaxPageSize = 100

// Client calls the Office 365 Service Communications API of one tenant:
// {ManageHost}/api/v1.0/{tenant}/ServiceComms. It is safe for concurrent
// use.
type Client struct {
	p      *transport.Pipeline
	tenant string
}

// New returns a client for tenant, which is a domain ("contoso.com",
// "contoso.onmicrosoft.com") or the tenant id (the token's tid claim).
// Tokens are requested from cred for "{ManageHost}/.default" of the
// configured cloud (office365.WithCloud); the app needs the
// ServiceHealth.Read application permission of the Office 365 Management
// APIs. office365.WithBaseURL sends requests elsewhere (the fake in
// office365test, a proxy) while tokens are still requested for the cloud's
// real host.
func New(tenant string, cred auth.Credential, opts ...office365.Option) (*Client, error) {
	tenant = strings.TrimSpace(tenant)
	if tenant == "" {
		return nil, errors.New("servicecomms: empty tenant (want a domain such as contoso.com or the tenant id)")
	}
	if i := strings.IndexFunc(tenant, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`/\?#%`, r)
	}); i >= 0 {
		return nil, fmt.Errorf("servicecomms: invalid tenant %q (want a domain such as contoso.com or the tenant id)", tenant)
	}
	if cred == nil {
		return nil, errors.New("servicecomms: nil credential")
	}
	cfg, err := office365.NewConfig(opts...)
	if err != nil {
		return nil, fmt.Errorf("servicecomms: %w", err)
	}
	root := cfg.ServiceRoot(cfg.Cloud.ManageHost, "/api/v1.0/"+transport.EscapeSegment(tenant)+"/ServiceComms")
	scope := strings.TrimRight(cfg.Cloud.ManageHost, "/") + "/.default"
	p, err := transport.New(cfg, root, cred, scope)
	if err != nil {
		return nil, fmt.Errorf("servicecomms: %w", err)
	}
	return &Client{p: p, tenant: tenant}, nil
}

// Tenant returns the tenant the client was created for.
func (c *Client) Tenant() string { return c.tenant }

// Root returns the API root requests are sent to, such as
// "https://manage.office.com/api/v1.0/contoso.com/ServiceComms".
func (c *Client) Root() string { return c.p.Root() }

// Scopes returns the token scopes the client asks for.
func (c *Client) Scopes() []string { return c.p.Scopes() }

// Services lists the tenant's subscribed services and their features:
// GET {root}/Services.
func (c *Client) Services(ctx context.Context) ([]Service, error) {
	out, err := odata.Collection[Service](ctx, c.p, transport.Request{Path: "/Services"})
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// StatusOptions filters CurrentStatus and HistoricalStatus. The zero value
// (or nil) asks for every workload.
type StatusOptions struct {
	// Workload restricts the result to one workload id ("Exchange"):
	// $filter=Workload eq 'Exchange'.
	Workload string
	// StatusTime, for HistoricalStatus only, is the lower bound of the
	// days returned: $filter=StatusTime ge 2020-09-01T00:00:00Z. The
	// service's default is seven days ago.
	StatusTime time.Time
	// Select limits the properties returned ($select), e.g.
	// []string{"Id", "Status"}.
	Select []string
}

// CurrentStatus returns each workload's status over the last 24 hours,
// with the incidents behind it: GET {root}/CurrentStatus.
func (c *Client) CurrentStatus(ctx context.Context, opts *StatusOptions) ([]WorkloadStatus, error) {
	q, err := opts.query(false)
	if err != nil {
		return nil, err
	}
	out, err := odata.Collection[WorkloadStatus](ctx, c.p, transport.Request{Path: "/CurrentStatus", Query: q})
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// HistoricalStatus returns each workload's status per day, newest first
// per workload: GET {root}/HistoricalStatus. Without opts.StatusTime the
// service returns the last seven days.
func (c *Client) HistoricalStatus(ctx context.Context, opts *StatusOptions) ([]WorkloadStatus, error) {
	q, err := opts.query(true)
	if err != nil {
		return nil, err
	}
	out, err := odata.Collection[WorkloadStatus](ctx, c.p, transport.Request{Path: "/HistoricalStatus", Query: q})
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

func (o *StatusOptions) query(historical bool) (string, error) {
	var opts StatusOptions
	if o != nil {
		opts = *o
	}
	var f filter
	if opts.Workload != "" {
		f.eq("Workload", opts.Workload)
	}
	if !opts.StatusTime.IsZero() {
		if !historical {
			return "", errors.New("servicecomms: StatusOptions.StatusTime applies to HistoricalStatus only (CurrentStatus always covers the last 24 hours)")
		}
		f.cmpTime("StatusTime", "ge", opts.StatusTime)
	}
	if err := checkSelect(opts.Select); err != nil {
		return "", err
	}
	return office365.Query{Filter: f.String(), Select: opts.Select}.Encode(), nil
}

// MessageOptions filters Messages. The zero value (or nil) asks for every
// message in the service's default window (messages that started in the
// last seven days).
type MessageOptions struct {
	// Workload restricts the result to one workload id:
	// $filter=Workload eq 'Exchange'. Message Center posts without a
	// workload never match.
	Workload string
	// StartTime is the lower bound of the messages' start:
	// StartTime ge 2020-09-01T00:00:00Z. It replaces the default window.
	StartTime time.Time
	// EndTime is the upper bound of the messages' end: EndTime le ….
	// Messages still open (no EndTime) never match.
	EndTime time.Time
	// MessageType restricts the result to one kind of message. It is sent
	// as the enum literal the service requires:
	// MessageType eq Microsoft.Office365ServiceComms.ExposedContracts.MessageType'MessageCenter'.
	MessageType MessageType
	// ID restricts the result to one message: Id eq 'EX213379'.
	ID string
	// Select limits the properties returned ($select). Include "Id" to keep
	// the client's de-duplication across pages.
	Select []string
	// PageSize is the $top of each request, at most MaxPageSize (the
	// default).
	PageSize int
}

func (o *MessageOptions) query() (string, int, error) {
	var opts MessageOptions
	if o != nil {
		opts = *o
	}
	size := opts.PageSize
	switch {
	case size == 0:
		size = MaxPageSize
	case size < 0 || size > MaxPageSize:
		return "", 0, fmt.Errorf("servicecomms: MessageOptions.PageSize %d is out of range (1 to %d)", opts.PageSize, MaxPageSize)
	}
	if !opts.StartTime.IsZero() && !opts.EndTime.IsZero() && opts.EndTime.Before(opts.StartTime) {
		return "", 0, fmt.Errorf("servicecomms: MessageOptions.EndTime %s is before StartTime %s", opts.EndTime.Format(time.RFC3339), opts.StartTime.Format(time.RFC3339))
	}
	var f filter
	if opts.Workload != "" {
		f.eq("Workload", opts.Workload)
	}
	if !opts.StartTime.IsZero() {
		f.cmpTime("StartTime", "ge", opts.StartTime)
	}
	if !opts.EndTime.IsZero() {
		f.cmpTime("EndTime", "le", opts.EndTime)
	}
	if opts.MessageType != "" {
		if err := checkEnumValue(string(opts.MessageType)); err != nil {
			return "", 0, err
		}
		f = append(f, "MessageType eq "+messageTypeEnum+office365.QuoteString(string(opts.MessageType)))
	}
	if opts.ID != "" {
		f.eq("Id", opts.ID)
	}
	if err := checkSelect(opts.Select); err != nil {
		return "", 0, err
	}
	return office365.Query{Filter: f.String(), Select: opts.Select}.Encode(), size, nil
}

// Messages iterates the incidents, planned maintenance and Message Center
// posts that match opts: GET {root}/Messages, paged with $top and $skip
// (the endpoint has no next links). A message the service repeats on a
// later page (the collection can change between requests) is yielded once.
// The iterator yields at most one error and then stops; nil opts means the
// defaults.
func (c *Client) Messages(ctx context.Context, opts *MessageOptions) iter.Seq2[*Message, error] {
	var o MessageOptions
	if opts != nil {
		o = *opts
		o.Select = slices.Clone(opts.Select)
	}
	return func(yield func(*Message, error) bool) {
		q, size, err := o.query()
		if err != nil {
			yield(nil, err)
			return
		}
		seen := map[string]bool{}
		for m, err := range odata.TopSkipItems[*Message](ctx, c.p, transport.Request{Path: "/Messages", Query: q}, size, odata.MaxItems(odata.ServiceCommsMaxItems)) {
			if err != nil {
				yield(nil, classify(err))
				return
			}
			if m == nil {
				continue
			}
			if m.ID != "" {
				if seen[m.ID] {
					continue
				}
				seen[m.ID] = true
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}

// Message returns the message with the given id: GET
// {root}/Messages?$filter=Id eq '…', the only way the service looks one up.
// When the service answers with no such message the error is an
// *office365.Error with StatusCode 404 and Code "MessageNotFound", so
// office365.IsNotFound(err) reports it (the service itself answers 200 with
// an empty collection).
func (c *Client) Message(ctx context.Context, id string) (*Message, error) {
	if strings.TrimSpace(id) == "" {
		return nil, errors.New("servicecomms: empty message id")
	}
	q, _, err := (&MessageOptions{ID: id}).query()
	if err != nil {
		return nil, err
	}
	req := transport.Request{Path: "/Messages", Query: q}
	var page odata.Page[*Message]
	if err := c.p.DoJSON(ctx, &req, &page); err != nil {
		return nil, classify(err)
	}
	// The service ignores filters it cannot parse: check what came back.
	for _, m := range page.Value {
		if m != nil && m.ID == id {
			return m, nil
		}
	}
	for _, m := range page.Value {
		if m != nil && strings.EqualFold(m.ID, id) {
			return m, nil
		}
	}
	u, _ := c.p.URL(&req)
	return nil, &office365.Error{
		StatusCode: http.StatusNotFound,
		Code:       "MessageNotFound",
		Message:    fmt.Sprintf("no message with Id %q (the service answered an empty collection)", id),
		Method:     http.MethodGet,
		URL:        transport.RedactURL(u),
	}
}

// filter collects "and"-joined $filter comparisons.
type filter []string

func (f *filter) eq(field, value string) {
	*f = append(*f, field+" eq "+office365.QuoteString(value))
}

func (f *filter) cmpTime(field, op string, t time.Time) {
	*f = append(*f, field+" "+op+" "+formatFilterTime(t))
}

func (f filter) String() string { return strings.Join(f, " and ") }

// checkSelect rejects $select entries that are not property names: the
// service would silently ignore them.
func checkSelect(sel []string) error {
	for _, s := range sel {
		if !isIdentifier(s) {
			return fmt.Errorf("servicecomms: invalid $select property %q", s)
		}
	}
	return nil
}

func checkEnumValue(s string) error {
	if !isIdentifier(s) {
		return fmt.Errorf("servicecomms: invalid MessageType %q (want an enum member name such as %q)", s, MessageTypeMessageCenter)
	}
	return nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
