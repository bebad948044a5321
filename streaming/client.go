package streaming

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/internal/transport"
)

type (
	userKey   struct{}
	scopesKey struct{}
)

// WithUser makes the client act on another user's mailbox,
// "{beta}/users/{upn}", instead of the signed-in user's ("{beta}/me"). upn
// is a user principal name or SMTP address, or "{userId}@{tenantId}".
// Requests then carry X-AnchorMailbox: upn. With office365.WithGraph the
// user is addressed as "{v1.0}/users/{upn}" (no X-AnchorMailbox).
func WithUser(upn string) office365.Option {
	return func(c *office365.Config) error {
		upn = strings.TrimSpace(upn)
		if upn == "" || strings.ContainsAny(upn, "/\\?#\r\n ") {
			return fmt.Errorf("streaming: WithUser: invalid user %q", upn)
		}
		c.SetValue(userKey{}, upn)
		return nil
	}
}

// WithScopes replaces the OAuth scopes tokens are requested for. The
// default is "{OutlookHost}/.default" (https://outlook.office.com/.default
// in the public cloud), or "{GraphHost}/.default" with office365.WithGraph;
// delegated credentials may name the read permission of what they watch
// instead, e.g. "https://outlook.office.com/Mail.Read" (or
// "https://graph.microsoft.com/Mail.Read").
func WithScopes(scopes ...string) office365.Option {
	return func(c *office365.Config) error {
		if len(scopes) == 0 {
			return errors.New("streaming: WithScopes: no scopes")
		}
		for _, s := range scopes {
			if strings.TrimSpace(s) == "" {
				return errors.New("streaming: WithScopes: empty scope")
			}
		}
		c.SetValue(scopesKey{}, append([]string(nil), scopes...))
		return nil
	}
}

// Client subscribes to Outlook streaming notifications and listens for
// them. Its root is the beta endpoint, "{Cloud.OutlookHost}/api/beta" (or
// "{BaseURL}/api/beta" with office365.WithBaseURL), and it acts for the
// signed-in user ("me") unless WithUser names another. With
// office365.WithGraph its root is "{Cloud.GraphHost}/v1.0" (or
// "{BaseURL}/v1.0") and it polls Microsoft Graph delta queries instead of
// opening GetNotifications connections (see the package documentation,
// "Microsoft Graph").
//
// The HTTP client must not have a Timeout: it would cut every
// GetNotifications stream, which lasts for minutes by design. New refuses
// such a client; the listener enforces idleness itself with a keep-alive
// watchdog, and every call takes a context.
//
// A Client is safe for concurrent use.
type Client struct {
	p        *transport.Pipeline
	userRoot string // {root}/me or {root}/users/{upn}
	userPath string // "me" or "users/{upn}" (escaped)
	anchor   string
	graph    *graphBackend // WithGraph: delta polling instead of GetNotifications
}

// New returns a streaming notifications client authenticated by cred.
func New(cred auth.Credential, opts ...office365.Option) (*Client, error) {
	if cred == nil {
		return nil, errors.New("streaming: New: nil credential")
	}
	cfg, err := office365.NewConfig(opts...)
	if err != nil {
		return nil, err
	}
	if cfg.HTTPClient.Timeout != 0 {
		return nil, fmt.Errorf("streaming: the HTTP client has Timeout %s, which would cut every GetNotifications stream: "+
			"use an http.Client without Timeout (the listener detects dead connections with its keep-alive watchdog, "+
			"and every call takes a context)", cfg.HTTPClient.Timeout)
	}
	scopes := []string{strings.TrimRight(cfg.Cloud.OutlookHost, "/") + "/.default"}
	root := cfg.ServiceRoot(cfg.Cloud.OutlookHost, "/api/beta")
	if cfg.Graph {
		scopes, root = []string{cfg.GraphScope(".default")}, cfg.GraphRoot()
	}
	if s, ok := cfg.Value(scopesKey{}).([]string); ok {
		scopes = s
	}
	p, err := transport.New(cfg, root, cred, scopes...)
	if err != nil {
		return nil, err
	}
	c := &Client{p: p, userPath: "me"}
	if upn, ok := cfg.Value(userKey{}).(string); ok {
		c.userPath = "users/" + transport.EscapeSegment(upn)
		c.anchor = upn
	}
	if cfg.Graph {
		c.graph, c.anchor = newGraphBackend(), ""
	}
	c.userRoot = p.Root() + "/" + c.userPath
	return c, nil
}

// header returns the per-call headers (X-AnchorMailbox for another user).
func (c *Client) header() http.Header {
	if c.anchor == "" {
		return nil
	}
	return http.Header{"X-Anchormailbox": {c.anchor}}
}

// ResourceURL returns the absolute URL Subscribe would send for r.
// With WithGraph it is the Microsoft Graph delta query that tracks r.
func (c *Client) ResourceURL(r Resource) (string, error) {
	if c.graph != nil {
		u, _, err := c.graphDeltaURL(r, time.Now())
		return u, err
	}
	return r.url(c.p.Root(), c.userRoot)
}

// subscribeRequest is the body of POST {beta}/me/subscriptions.
type subscribeRequest struct {
	ODataType  string `json:"@odata.type"`
	Resource   string `json:"Resource"`
	ChangeType string `json:"ChangeType"`
}

// Subscribe creates a streaming subscription to changes of r:
//
//	POST {beta}/me/subscriptions
//	{"@odata.type":"#Microsoft.OutlookServices.StreamingSubscription",
//	 "Resource":"https://outlook.office.com/api/beta/me/mailfolders('Inbox')/messages",
//	 "ChangeType":"Created,Updated,Deleted"}
//
// With office365.WithGraph there is no subscription to create: Subscribe
// reads the first round of the resource's delta query (see the package
// documentation, "Microsoft Graph") and returns a subscription that
// remembers where it stands; its ID is made up by the client.
//
// With no change types it subscribes to Created, Updated and Deleted; the
// service adds Missed. The subscription expires if no connection listens for
// it (about 90 minutes; the listener subscribes again when it finds it
// expired). The streaming API has no operation to delete a subscription:
// stop listening and it expires.
//
// The call is not retried after a server error (it is not idempotent: a
// retry could create a second subscription); throttling (429, or 503 with
// Retry-After) is, and office365.IsMaybeProcessed reports an error after
// which a subscription may exist.
func (c *Client) Subscribe(ctx context.Context, r Resource, changes ...ChangeType) (*Subscription, error) {
	cs, err := checkChangeTypes(changes)
	if err != nil {
		return nil, err
	}
	if c.graph != nil {
		return c.graphSubscribe(ctx, r, cs)
	}
	u, err := r.url(c.p.Root(), c.userRoot)
	if err != nil {
		return nil, err
	}
	return c.subscribe(ctx, u, cs)
}

func (c *Client) subscribe(ctx context.Context, resource string, changes []ChangeType) (*Subscription, error) {
	var sub Subscription
	err := c.p.DoJSON(ctx, &transport.Request{
		Method: http.MethodPost,
		Path:   c.userPath + "/subscriptions",
		Header: c.header(),
		JSON: subscribeRequest{
			ODataType: ODataTypeStreamingSubscription, Resource: resource, ChangeType: FormatChangeTypes(changes),
		},
	}, &sub)
	if err != nil {
		return nil, err
	}
	if sub.ID == "" {
		return nil, errors.New("streaming: subscribe: the service answered without a subscription Id")
	}
	if sub.Resource == "" {
		sub.Resource = resource
	}
	if len(sub.ChangeTypes) == 0 {
		sub.ChangeTypes = changes
	}
	sub.LastSequenceNumber = 0
	return &sub, nil
}
