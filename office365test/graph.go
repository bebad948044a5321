package office365test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/office365-go/office365/office365test/internal/graphmail"
)

// GraphMail serves a Mailbox through Microsoft Graph v1.0: mail, calendar,
// contacts, photos, extended properties, open extensions, mailbox settings
// and the outlookUser functions (supportedLanguages, supportedTimeZones)
// under /v1.0/{me | users/{id | userPrincipalName}}/…, Microsoft To Do
// (/todo/lists/{id}/tasks, from the mailbox's task folders and tasks),
// delta functions, JSON batching at /v1.0/$batch, change notifications at
// /v1.0/subscriptions and upload sessions for attachments of 3 MB or more
// (…/attachments/createUploadSession), with Graph's names (camelCase,
// #microsoft.graph.* types, camelCase enumeration members), paging and
// error bodies (innerError with date and request ids; 410
// syncStateNotFound for a delta token the mailbox does not know).
//
// It is a second front end over the same store as the Outlook REST API:
// a change made through one is visible through the other, and both feed
// the same change feed. Start registers it; a GraphMail is safe for
// concurrent use.
type GraphMail struct {
	fe *graphmail.FrontEnd
}

// GraphSubscription describes a live Graph change-notification
// subscription.
type GraphSubscription = graphmail.SubscriptionInfo

// GraphDelivery is one notification POST made to a receiver (change
// notifications and lifecycle notifications alike).
type GraphDelivery = graphmail.Delivery

// GraphMailOption configures a GraphMail.
type GraphMailOption func(*graphmail.Options)

// GraphHTTPClient sets the client that performs validation handshakes and
// delivers notifications.
func GraphHTTPClient(c *http.Client) GraphMailOption {
	return func(o *graphmail.Options) { o.Client = c }
}

// GraphValidationTimeout bounds the validationToken handshake (default 10 s).
func GraphValidationTimeout(d time.Duration) GraphMailOption {
	return func(o *graphmail.Options) { o.ValidationTimeout = d }
}

// GraphRetry sets how often a failed notification POST (an error, 429 or
// 5xx) is retried and how long to wait between tries (default 3, 50 ms).
func GraphRetry(attempts int, delay time.Duration) GraphMailOption {
	return func(o *graphmail.Options) { o.Retries, o.RetryDelay = attempts, delay }
}

// GraphAllowAnyHost accepts plain-http notification URLs on any host (by
// default https is required, except on loopback).
func GraphAllowAnyHost() GraphMailOption {
	return func(o *graphmail.Options) { o.AllowAnyHost = true }
}

// NewGraphMail returns the Graph front end of mb. Batched requests run
// through srv (its request log, faults and routing).
func NewGraphMail(srv *Server, mb *Mailbox, opts ...GraphMailOption) *GraphMail {
	o := graphmail.Options{
		Dispatch: http.HandlerFunc(srv.ServeInProcess),
		Now:      srv.Now,
		TenantID: mb.st.TenantID(),
	}
	for _, opt := range opts {
		opt(&o)
	}
	return &GraphMail{fe: graphmail.New(graphStore{mb}, o)}
}

// Register mounts the front end on s under /v1.0/ (me, users, $batch and
// subscriptions; other Graph APIs may mount beside it), and the upload URLs
// of its attachment upload sessions, which Graph hands out in the Outlook
// REST shape ({host}/api/v2.0/Users('…')/Messages('…')/AttachmentSessions('…')?authtoken=…)
// and which, pre-authenticated by that token, take no bearer token.
func (g *GraphMail) Register(s *Server) {
	s.MountIf("/v1.0/", graphmail.Handles, g.fe)
	s.mountPreauthorized("/api/v2.0/", graphmail.HandlesUpload, g.fe.Uploads())
}

// Handler returns the front end's http.Handler (for /v1.0/… paths).
func (g *GraphMail) Handler() http.Handler { return g.fe }

// Subscriptions returns the live change-notification subscriptions.
func (g *GraphMail) Subscriptions() []GraphSubscription { return g.fe.Subscriptions() }

// Deliveries returns the notification POSTs made so far, oldest first.
func (g *GraphMail) Deliveries() []GraphDelivery { return g.fe.Deliveries() }

// RemoveSubscription deletes a subscription as the service may, sending a
// subscriptionRemoved lifecycle notification to its
// lifecycleNotificationUrl. It reports whether the subscription existed.
func (g *GraphMail) RemoveSubscription(id string) bool { return g.fe.RemoveSubscription(id) }

// RequireReauthorization sends a reauthorizationRequired lifecycle
// notification. It reports whether the subscription exists and has a
// lifecycleNotificationUrl.
func (g *GraphMail) RequireReauthorization(id string) bool { return g.fe.RequireReauthorization(id) }

// Wait blocks until every queued notification has been delivered or given
// up, or ctx ends.
func (g *GraphMail) Wait(ctx context.Context) error { return g.fe.Wait(ctx) }

// Close stops notification delivery.
func (g *GraphMail) Close() { g.fe.Close() }

// graphStore is the mailbox as the Graph front end sees it.
type graphStore struct{ m *Mailbox }

func (s graphStore) Serve(r *http.Request) graphmail.Answer {
	rec := httptest.NewRecorder()
	rep := s.m.serve(rec, r)
	switch {
	case rep == nil: // a streaming route wrote its answer
		return graphmail.Answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	case rep.JSON != nil:
		return graphmail.Answer{Status: rep.Status, Header: rep.Header, JSON: rep.JSON}
	}
	h := rep.Header.Clone()
	if rep.ContentType != "" {
		if h == nil {
			h = http.Header{}
		}
		h.Set("Content-Type", rep.ContentType)
	}
	return graphmail.Answer{Status: rep.Status, Header: h, Body: rep.Raw}
}

func (s graphStore) Subscribe(fn func(graphmail.Change)) func() {
	return s.m.Subscribe(func(c Change) {
		etag := ""
		if c.Entity != nil {
			etag, _ = c.Entity["ChangeKey"].(string)
		}
		fn(graphmail.Change{User: c.User, UserID: c.UserID, Type: string(c.EntityType), ID: c.ID,
			FolderID: c.FolderID, Kind: string(c.Kind), ETag: etag, Source: c})
	})
}

func (s graphStore) User(key, token string) (graphmail.User, bool) {
	var u *MailboxUser
	if strings.EqualFold(key, "me") {
		s.m.mu.Lock()
		u = s.m.wrap(s.m.st.MeLocked(token))
		s.m.mu.Unlock()
	} else {
		u = s.m.User(key)
	}
	if u == nil {
		return graphmail.User{}, false
	}
	oid, _, _ := strings.Cut(u.ID, "@")
	return graphmail.User{UPN: u.UPN, ID: oid, StoreID: u.ID, DisplayName: u.DisplayName}, true
}

func (s graphStore) FolderID(user, key string) string {
	u := s.m.User(user)
	if u == nil {
		return ""
	}
	return u.FolderID(key)
}

func (s graphStore) Watch(filter string) (func(graphmail.Change) (string, bool), error) {
	f, err := ParseFilter(filter, nil)
	if err != nil {
		return nil, err
	}
	return func(c graphmail.Change) (string, bool) {
		sc, _ := c.Source.(Change)
		return changeSeenThrough(f, sc)
	}, nil
}
