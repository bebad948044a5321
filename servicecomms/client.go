package servicecomms

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/internal/transport"
)

// MaxPageSize is the largest $top the Messages endpoint accepts, and the
// default page size.
const MaxPageSize = 100

// Client reads a tenant's service health and Message Center: from the
// Office 365 Service Communications API
// ({ManageHost}/api/v1.0/{tenant}/ServiceComms), or with
// office365.WithGraph from Microsoft Graph's service communications API
// ({GraphHost}/v1.0/admin/serviceAnnouncement). The typed calls and results
// are the same in both dialects; see "Microsoft Graph" in the package
// documentation for what differs. It is safe for concurrent use.
type Client struct {
	p      *transport.Pipeline
	tenant string
	graph  bool
	b      backend
}

// backend is what a dialect implements under the typed surface. Options
// arrive validated and copied.
type backend interface {
	services(ctx context.Context) ([]Service, error)
	currentStatus(ctx context.Context, o StatusOptions) ([]WorkloadStatus, error)
	historicalStatus(ctx context.Context, o StatusOptions) ([]WorkloadStatus, error)
	messages(ctx context.Context, o MessageOptions, pageSize int) iter.Seq2[*Message, error]
	message(ctx context.Context, id string) (*Message, error)
}

// New returns a client for tenant, which is a domain ("contoso.com",
// "contoso.onmicrosoft.com") or the tenant id (the token's tid claim).
//
// By default the client calls the Service Communications API: tokens are
// requested from cred for "{ManageHost}/.default" of the configured cloud
// (office365.WithCloud), and the app needs the ServiceHealth.Read
// application permission of the Office 365 Management APIs.
//
// With office365.WithGraph the client calls Microsoft Graph v1.0 instead:
// tokens are requested for "{GraphHost}/.default", and the app needs the
// Microsoft Graph permissions ServiceHealth.Read.All (health, issues) and
// ServiceMessage.Read.All (Message Center). Graph serves the token's
// tenant, so tenant is only reported by Tenant.
//
// office365.WithBaseURL sends requests elsewhere (the fake in
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
	if cfg.Graph {
		root, scope = cfg.GraphRoot(), cfg.GraphScope(".default")
	}
	p, err := transport.New(cfg, root, cred, scope)
	if err != nil {
		return nil, fmt.Errorf("servicecomms: %w", err)
	}
	c := &Client{p: p, tenant: tenant, graph: cfg.Graph}
	if cfg.Graph {
		c.b = newGraphBackend(p, time.Now)
	} else {
		c.b = &v1Backend{p: p}
	}
	return c, nil
}

// Tenant returns the tenant the client was created for.
func (c *Client) Tenant() string { return c.tenant }

// Root returns the API root requests are sent to, such as
// "https://manage.office.com/api/v1.0/contoso.com/ServiceComms" or, with
// office365.WithGraph, "https://graph.microsoft.com/v1.0".
func (c *Client) Root() string { return c.p.Root() }

// Scopes returns the token scopes the client asks for.
func (c *Client) Scopes() []string { return c.p.Scopes() }

// IsGraph reports whether the client is served by Microsoft Graph
// (office365.WithGraph).
func (c *Client) IsGraph() bool { return c.graph }

// Services lists the tenant's subscribed services and their features:
// GET {root}/Services; on Graph GET {root}/admin/serviceAnnouncement/healthOverviews
// (Graph has no feature catalogue: Features is empty).
func (c *Client) Services(ctx context.Context) ([]Service, error) {
	out, err := c.b.services(ctx)
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

func (o *StatusOptions) validated(historical bool) (StatusOptions, error) {
	var opts StatusOptions
	if o != nil {
		opts = *o
		opts.Select = slices.Clone(o.Select)
	}
	if !opts.StatusTime.IsZero() && !historical {
		return opts, errors.New("servicecomms: StatusOptions.StatusTime applies to HistoricalStatus only (CurrentStatus always covers the last 24 hours)")
	}
	return opts, checkSelect(opts.Select)
}

// CurrentStatus returns each workload's status over the last 24 hours,
// with the incidents behind it: GET {root}/CurrentStatus; on Graph GET
// {root}/admin/serviceAnnouncement/healthOverviews?$expand=issues.
func (c *Client) CurrentStatus(ctx context.Context, opts *StatusOptions) ([]WorkloadStatus, error) {
	o, err := opts.validated(false)
	if err != nil {
		return nil, err
	}
	out, err := c.b.currentStatus(ctx, o)
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// HistoricalStatus returns each workload's status per day, newest first
// per workload: GET {root}/HistoricalStatus. Without opts.StatusTime the
// service returns the last seven days. Graph has no such endpoint: there
// the days are synthesized from the issues (see "Historical status on
// Microsoft Graph" in the package documentation).
func (c *Client) HistoricalStatus(ctx context.Context, opts *StatusOptions) ([]WorkloadStatus, error) {
	o, err := opts.validated(true)
	if err != nil {
		return nil, err
	}
	out, err := c.b.historicalStatus(ctx, o)
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// MessageOptions filters Messages. The zero value (or nil) asks for every
// message in the service's default window (messages that started in the
// last seven days; Graph has no window and lists every issue and post it
// keeps).
type MessageOptions struct {
	// Workload restricts the result to one workload id:
	// $filter=Workload eq 'Exchange'. Message Center posts without a
	// workload never match. On Graph: service eq 'Exchange Online' on
	// issues and services/any(s:s eq 'Exchange Online') on posts.
	Workload string
	// StartTime is the lower bound of the messages' start:
	// StartTime ge 2020-09-01T00:00:00Z (Graph: startDateTime ge …). It
	// replaces the default window.
	StartTime time.Time
	// EndTime is the upper bound of the messages' end: EndTime le …
	// (Graph: endDateTime le …). Messages still open (no EndTime) never
	// match.
	EndTime time.Time
	// MessageType restricts the result to one kind of message: one of the
	// MessageType constants, in any case ("messagecenter" works too); any
	// other value is an error. It is sent as the enum literal the service
	// requires:
	// MessageType eq Microsoft.Office365ServiceComms.ExposedContracts.MessageType'MessageCenter'.
	// On Graph it chooses the collection: Incident reads
	// /admin/serviceAnnouncement/issues (incidents and advisories),
	// MessageCenter reads /admin/serviceAnnouncement/messages, and
	// PlannedMaintenance, which Graph has no collection for, is an error.
	MessageType MessageType
	// ID restricts the result to one message: Id eq 'EX213379'.
	ID string
	// Select limits the properties returned ($select). Include "Id" to keep
	// the client's de-duplication across pages. On Graph the names are
	// mapped to Graph's properties and the result is trimmed to the
	// selected fields.
	Select []string
	// PageSize is the $top of each request, at most MaxPageSize (the
	// default).
	PageSize int
}

func (o *MessageOptions) validated() (MessageOptions, int, error) {
	var opts MessageOptions
	if o != nil {
		opts = *o
		opts.Select = slices.Clone(o.Select)
	}
	size := opts.PageSize
	switch {
	case size == 0:
		size = MaxPageSize
	case size < 0 || size > MaxPageSize:
		return opts, 0, fmt.Errorf("servicecomms: MessageOptions.PageSize %d is out of range (1 to %d)", opts.PageSize, MaxPageSize)
	}
	if !opts.StartTime.IsZero() && !opts.EndTime.IsZero() && opts.EndTime.Before(opts.StartTime) {
		return opts, 0, fmt.Errorf("servicecomms: MessageOptions.EndTime %s is before StartTime %s", opts.EndTime.Format(time.RFC3339), opts.StartTime.Format(time.RFC3339))
	}
	if opts.MessageType != "" {
		mt, err := canonicalMessageType(opts.MessageType)
		if err != nil {
			return opts, 0, err
		}
		opts.MessageType = mt
	}
	return opts, size, checkSelect(opts.Select)
}

// Messages iterates the incidents, planned maintenance and Message Center
// posts that match opts: GET {root}/Messages, paged with $top and $skip
// (the endpoint has no next links); on Graph GET
// {root}/admin/serviceAnnouncement/issues, then /messages, following
// @odata.nextLink. A message the service repeats on a later page (the
// collection can change between requests) is yielded once. The iterator
// yields at most one error and then stops; nil opts means the defaults.
func (c *Client) Messages(ctx context.Context, opts *MessageOptions) iter.Seq2[*Message, error] {
	o, size, verr := opts.validated()
	return func(yield func(*Message, error) bool) {
		if verr != nil {
			yield(nil, verr)
			return
		}
		seen := map[string]bool{}
		for m, err := range c.b.messages(ctx, o, size) {
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
// {root}/Messages?$filter=Id eq '…', the only way the service looks one
// up; on Graph GET {root}/admin/serviceAnnouncement/messages/{id} for
// Message Center ids ("MC…") and /issues/{id} for the others (each falls
// back to the other collection). An unknown id is an *office365.Error with
// StatusCode 404, so office365.IsNotFound(err) reports it (the retired
// service itself answers 200 with an empty collection; the client reports
// that as Code "MessageNotFound").
func (c *Client) Message(ctx context.Context, id string) (*Message, error) {
	if strings.TrimSpace(id) == "" {
		return nil, errors.New("servicecomms: empty message id")
	}
	m, err := c.b.message(ctx, id)
	if err != nil {
		return nil, classify(err)
	}
	return m, nil
}

// canonicalMessageType returns the service's literal for mt, matched
// case-insensitively and ignoring spaces, hyphens and underscores
// ("messagecenter", "Planned maintenance"). The service silently ignores a
// filter on a value it does not know, so other values are an error.
func canonicalMessageType(mt MessageType) (MessageType, error) {
	known := []MessageType{MessageTypeIncident, MessageTypePlannedMaintenance, MessageTypeMessageCenter}
	for _, k := range known {
		if squash(string(mt)) == squash(string(k)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("servicecomms: MessageOptions.MessageType %q is not one of %q, %q, %q", mt, known[0], known[1], known[2])
}
