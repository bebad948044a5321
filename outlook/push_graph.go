package outlook

// The Graph backend of push subscriptions: {root}/subscriptions (not per
// mailbox), a resource path relative to the version root, camelCase change
// types without spaces, a required expiry within a per-resource limit, and
// an optional lifecycle notification URL.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Graph subscription limits.
const (
	// MaxGraphSubscriptionLifetime is the longest a Graph subscription to
	// messages, events or contacts lives (10,080 minutes).
	MaxGraphSubscriptionLifetime = 10080 * time.Minute
	// MaxGraphTodoSubscriptionLifetime is the longest a Graph subscription
	// to To Do tasks lives (4,230 minutes).
	MaxGraphTodoSubscriptionLifetime = 4230 * time.Minute
	// MaxGraphClientStateLen is the longest clientState Graph accepts.
	MaxGraphClientStateLen = 128
	// graphExpiryMargin keeps a default expiry clear of the limit, for the
	// time the request takes to arrive.
	graphExpiryMargin = 5 * time.Minute
)

// graphSubscription is a subscription as Graph spells it.
type graphSubscription struct {
	ODataType                string     `json:"@odata.type,omitempty"`
	ID                       string     `json:"id,omitempty"`
	Resource                 string     `json:"resource,omitempty"`
	ChangeType               string     `json:"changeType,omitempty"`
	NotificationURL          string     `json:"notificationUrl,omitempty"`
	LifecycleNotificationURL string     `json:"lifecycleNotificationUrl,omitempty"`
	ExpirationDateTime       *time.Time `json:"expirationDateTime,omitempty"`
	ClientState              string     `json:"clientState,omitempty"`
}

// graphLifetime returns the longest lifetime of a subscription to
// resource.
func graphLifetime(resource string) time.Duration {
	if strings.Contains(strings.ToLower(resource), "todo/") {
		return MaxGraphTodoSubscriptionLifetime
	}
	return MaxGraphSubscriptionLifetime
}

// graphResource returns the resource path relative to the version root
// that Graph expects: an absolute URL under the client's root (such as
// mb.URL("messages")) loses the root, a relative path is kept; path
// segments take Graph's spelling.
func (s *PushSubscriptionsService) graphResource(resource string) (string, error) {
	root := s.mb.c.root + "/"
	switch {
	case strings.HasPrefix(strings.ToLower(resource), strings.ToLower(root)):
		resource = resource[len(root):]
	case strings.HasPrefix(resource, "https://") || strings.HasPrefix(resource, "http://"):
		return "", fmt.Errorf("outlook: PushSubscription.Resource %q is not under the service root %s", resource, s.mb.c.root)
	}
	resource = strings.TrimLeft(resource, "/")
	if resource == "" {
		return "", errors.New("outlook: PushSubscription.Resource is empty")
	}
	return resource, nil
}

// fromGraph converts Graph's subscription into the package's, with the
// resource as an absolute URL like v2.0's.
func (s *PushSubscriptionsService) fromGraph(g *graphSubscription) *PushSubscription {
	out := &PushSubscription{ID: g.ID, NotificationURL: g.NotificationURL, LifecycleNotificationURL: g.LifecycleNotificationURL,
		SubscriptionExpirationDateTime: g.ExpirationDateTime, ClientState: g.ClientState}
	if g.Resource != "" {
		out.Resource = s.mb.c.root + "/" + strings.TrimLeft(g.Resource, "/")
	}
	var types []ChangeType
	for _, t := range strings.Split(g.ChangeType, ",") {
		if t = strings.TrimSpace(t); t != "" {
			types = append(types, ChangeType(strings.ToUpper(t[:1])+t[1:]))
		}
	}
	out.ChangeType = JoinChangeTypes(types...)
	return out
}

// graphCreate subscribes: POST {root}/subscriptions.
func (s *PushSubscriptionsService) graphCreate(ctx context.Context, sub *PushSubscription) (*PushSubscription, error) {
	res, err := s.graphResource(sub.Resource)
	if err != nil {
		return nil, err
	}
	if len(sub.ClientState) > MaxGraphClientStateLen {
		return nil, fmt.Errorf("outlook: PushSubscription.ClientState is longer than %d characters (Graph's limit)", MaxGraphClientStateLen)
	}
	var types []string
	for _, t := range sub.ChangeTypes() {
		switch t {
		case ChangeCreated, ChangeUpdated, ChangeDeleted:
			types = append(types, strings.ToLower(string(t)))
		default:
			return nil, fmt.Errorf("outlook: PushSubscription.ChangeType %q: Graph subscribes to Created, Updated and Deleted (missed notifications arrive as lifecycle events)", t)
		}
	}
	limit := graphLifetime(res)
	now := time.Now()
	expiry := now.Add(limit - graphExpiryMargin)
	if e := sub.SubscriptionExpirationDateTime; e != nil {
		if e.After(now.Add(limit)) {
			return nil, fmt.Errorf("outlook: PushSubscription expiry %s is beyond Graph's %v limit for %s", e.UTC().Format(time.RFC3339), limit, res)
		}
		expiry = *e
	}
	expiry = expiry.UTC()
	body := graphSubscription{Resource: res, ChangeType: strings.Join(types, ","), NotificationURL: sub.NotificationURL,
		LifecycleNotificationURL: sub.LifecycleNotificationURL, ExpirationDateTime: &expiry, ClientState: sub.ClientState}
	return s.graphCall(ctx, &call{method: http.MethodPost, rel: "subscriptions", json: body})
}

// graphRenew extends a subscription: PATCH {root}/subscriptions/{id} with
// {"expirationDateTime"}; a zero expiry asks for the longest lifetime of a
// message, event or contact subscription.
func (s *PushSubscriptionsService) graphRenew(ctx context.Context, id string, expiry time.Time) (*PushSubscription, error) {
	if expiry.IsZero() {
		expiry = time.Now().Add(MaxGraphSubscriptionLifetime - graphExpiryMargin)
	}
	expiry = expiry.UTC()
	return s.graphCall(ctx, &call{method: http.MethodPatch, rel: "subscriptions/" + seg(id), idempotent: true,
		json: graphSubscription{ExpirationDateTime: &expiry}})
}

// graphCall sends a subscription call to the version root and converts
// the answer.
func (s *PushSubscriptionsService) graphCall(ctx context.Context, c *call) (*PushSubscription, error) {
	c.rooted, c.kind = true, kindWrite
	if c.method == http.MethodGet {
		c.kind = kindRead
	}
	if c.method == http.MethodDelete {
		_, err := s.mb.doJSON(ctx, c, nil)
		return nil, err
	}
	var g graphSubscription
	if _, err := s.mb.doJSON(ctx, c, &g); err != nil {
		return nil, err
	}
	return s.fromGraph(&g), nil
}
