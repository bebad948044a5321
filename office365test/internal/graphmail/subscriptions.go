package graphmail

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/office365-go/office365/office365test/internal/odatapath"

	"github.com/office365-go/office365"
)

// Change notifications: /v1.0/subscriptions. A subscription is validated
// against its notificationUrl (and lifecycleNotificationUrl) with the
// validationToken handshake; the mailbox's changes that match its resource
// are then POSTed to notificationUrl as Graph's basic notifications, with
// retries; when delivery is given up, a "missed" lifecycle notification goes
// to lifecycleNotificationUrl.

// maxLifetime is the longest subscription, per resource type, in minutes.
var maxLifetime = map[string]int{"Message": 10080, "Event": 10080, "Contact": 10080, "Task": 4230}

const (
	maxClientState = 128
	maxPerMailbox  = 1000
	maxBatch       = 10
	// applicationID is the application the fake reports subscriptions for.
	applicationID = "24d3b144-21ae-4080-943f-7067b395b913"
)

// SubscriptionInfo describes a live subscription.
type SubscriptionInfo struct {
	// ID, Resource, ChangeType ("created,updated"), NotificationURL,
	// LifecycleNotificationURL and ClientState are as created.
	ID, Resource, ChangeType, NotificationURL, LifecycleNotificationURL, ClientState string
	// User is the UPN of the subscribed mailbox.
	User       string
	Expiration time.Time
}

// Delivery is one POST the front end made to a receiver.
type Delivery struct {
	// SubscriptionID is the subscription notified; URL where.
	SubscriptionID string
	URL            string
	// Lifecycle is true for lifecycle notifications.
	Lifecycle bool
	Body      []byte
	// Status is the receiver's answer (0 when the request failed: Err).
	Status int
	Err    string
	// Time is when the POST was made (the front end's clock).
	Time time.Time
}

type subscription struct {
	SubscriptionInfo
	storeID      string
	oid          string
	entity       string
	folder       string
	changeTypes  []string
	watch        func(Change) (string, bool)
	queue        []map[string]any
	sending      bool
	appID        string
	creatorID    string
	notification string // resource path prefix in notifications
}

type subscriptions struct {
	f     *FrontEnd
	mu    sync.Mutex
	subs  []*subscription
	log   []Delivery
	busy  int
	idle  chan struct{}
	wg    sync.WaitGroup
	unsub func()
	done  bool
	// ctx ends at Close, cutting deliveries in flight short.
	ctx    context.Context
	cancel context.CancelFunc
}

func newSubscriptions(f *FrontEnd) *subscriptions {
	s := &subscriptions{f: f, idle: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.unsub = f.store.Subscribe(s.publish)
	return s
}

func (s *subscriptions) serve(w http.ResponseWriter, r *http.Request, segs []string) {
	f := s.f
	switch {
	case len(segs) == 0 && r.Method == http.MethodPost:
		s.create(w, r)
	case len(segs) == 0 && r.Method == http.MethodGet:
		s.mu.Lock()
		var list []any
		for _, sub := range s.liveLocked() {
			list = append(list, s.render(r, sub))
		}
		s.mu.Unlock()
		if list == nil {
			list = []any{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"@odata.context": requestBase(r) + "/v1.0/$metadata#subscriptions", "value": list})
	case len(segs) == 1 || len(segs) == 2 && eq(segs[1], "reauthorize") && r.Method == http.MethodPost:
		s.mu.Lock()
		sub := s.findLocked(segs[0])
		if sub == nil {
			s.mu.Unlock()
			f.writeError(w, r, http.StatusNotFound, "ResourceNotFound", "The object was not found.")
			return
		}
		switch {
		case len(segs) == 2:
			s.mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		case r.Method == http.MethodGet:
			doc := s.render(r, sub)
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, doc)
		case r.Method == http.MethodDelete:
			s.removeLocked(sub)
			s.mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		case r.Method == http.MethodPatch:
			s.mu.Unlock()
			s.renew(w, r, sub)
		default:
			s.mu.Unlock()
			f.writeError(w, r, http.StatusMethodNotAllowed, "BadRequest", "The HTTP method '"+r.Method+"' is not supported for this resource.")
		}
	default:
		f.writeError(w, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+strings.Join(segs, "/")+"'.")
	}
}

func (s *subscriptions) liveLocked() []*subscription {
	now := s.f.opts.Now()
	var out []*subscription
	for _, sub := range s.subs {
		if now.Before(sub.Expiration) {
			out = append(out, sub)
		}
	}
	return out
}

func (s *subscriptions) findLocked(id string) *subscription {
	for _, sub := range s.liveLocked() {
		if sub.ID == id {
			return sub
		}
	}
	return nil
}

func (s *subscriptions) removeLocked(sub *subscription) {
	s.subs = slices.DeleteFunc(s.subs, func(x *subscription) bool { return x == sub })
	sub.queue = nil
}

func (s *subscriptions) render(r *http.Request, sub *subscription) map[string]any {
	doc := map[string]any{
		"@odata.context":            requestBase(r) + "/v1.0/$metadata#subscriptions/$entity",
		"id":                        sub.ID,
		"resource":                  sub.Resource,
		"applicationId":             sub.appID,
		"changeType":                sub.ChangeType,
		"clientState":               nullable(sub.ClientState),
		"notificationUrl":           sub.NotificationURL,
		"notificationQueryOptions":  nil,
		"lifecycleNotificationUrl":  nullable(sub.LifecycleNotificationURL),
		"expirationDateTime":        sub.Expiration.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		"creatorId":                 sub.creatorID,
		"includeResourceData":       false,
		"latestSupportedTlsVersion": "v1_2",
		"encryptionCertificate":     nil,
		"encryptionCertificateId":   nil,
		"notificationUrlAppId":      nil,
	}
	return doc
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// subscriptionBody is a create or renew request.
type subscriptionBody struct {
	ChangeType               *string `json:"changeType"`
	NotificationURL          *string `json:"notificationUrl"`
	LifecycleNotificationURL *string `json:"lifecycleNotificationUrl"`
	Resource                 *string `json:"resource"`
	ExpirationDateTime       *string `json:"expirationDateTime"`
	ClientState              *string `json:"clientState"`
	IncludeResourceData      *bool   `json:"includeResourceData"`
}

func (s *subscriptions) decode(w http.ResponseWriter, r *http.Request) (*subscriptionBody, bool) {
	var b subscriptionBody
	if err := json.Unmarshal(readBody(r), &b); err != nil {
		s.f.writeError(w, r, http.StatusBadRequest, "BadRequest", "The request body is not a valid subscription: "+err.Error())
		return nil, false
	}
	return &b, true
}

func (s *subscriptions) invalid(w http.ResponseWriter, r *http.Request, msg string) {
	s.f.writeError(w, r, http.StatusBadRequest, "InvalidRequest", msg)
}

func (s *subscriptions) create(w http.ResponseWriter, r *http.Request) {
	f := s.f
	b, ok := s.decode(w, r)
	if !ok {
		return
	}
	switch {
	case b.ChangeType == nil || *b.ChangeType == "":
		s.invalid(w, r, "The changeType property is required.")
		return
	case b.NotificationURL == nil || *b.NotificationURL == "":
		s.invalid(w, r, "The notificationUrl property is required.")
		return
	case b.Resource == nil || *b.Resource == "":
		s.invalid(w, r, "The resource property is required.")
		return
	case b.ExpirationDateTime == nil:
		s.invalid(w, r, "The expirationDateTime property is required.")
		return
	case b.IncludeResourceData != nil && *b.IncludeResourceData:
		s.invalid(w, r, "This fake sends basic notifications only: includeResourceData is not supported.")
		return
	}
	var types []string
	for _, t := range strings.Split(*b.ChangeType, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "created" && t != "updated" && t != "deleted" {
			s.invalid(w, r, "'"+t+"' is not a valid changeType: use created, updated and deleted.")
			return
		}
		types = append(types, t)
	}
	clientState := ""
	if b.ClientState != nil {
		clientState = *b.ClientState
	}
	if len(clientState) > maxClientState {
		s.invalid(w, r, "clientState is longer than "+strconv.Itoa(maxClientState)+" characters.")
		return
	}
	notifyURL, msg := s.checkURL(*b.NotificationURL)
	if msg != "" {
		s.invalid(w, r, msg)
		return
	}
	lifecycleURL := ""
	if b.LifecycleNotificationURL != nil && *b.LifecycleNotificationURL != "" {
		if _, msg := s.checkURL(*b.LifecycleNotificationURL); msg != "" {
			s.invalid(w, r, msg)
			return
		}
		lifecycleURL = *b.LifecycleNotificationURL
	}
	sub, msg := s.parseResource(r, *b.Resource)
	if msg != "" {
		s.invalid(w, r, msg)
		return
	}
	exp, msg := s.checkExpiration(*b.ExpirationDateTime, sub.entity)
	if msg != "" {
		s.invalid(w, r, msg)
		return
	}
	s.mu.Lock()
	n := 0
	for _, x := range s.liveLocked() {
		if x.storeID == sub.storeID {
			n++
		}
	}
	s.mu.Unlock()
	if n >= maxPerMailbox {
		f.writeError(w, r, http.StatusForbidden, "ExtensionError", "The mailbox has reached its limit of "+strconv.Itoa(maxPerMailbox)+" subscriptions.")
		return
	}
	for _, u := range []string{notifyURL.String(), lifecycleURL} {
		if u == "" {
			continue
		}
		if msg := s.validate(r.Context(), u); msg != "" {
			s.invalid(w, r, msg)
			return
		}
	}
	sub.ID = newGUID()
	sub.ChangeType = strings.Join(types, ",")
	sub.changeTypes = types
	sub.NotificationURL = *b.NotificationURL
	sub.LifecycleNotificationURL = lifecycleURL
	sub.ClientState = clientState
	sub.Expiration = exp
	sub.appID = applicationID
	s.mu.Lock()
	s.subs = append(s.subs, sub)
	doc := s.render(r, sub)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, doc)
}

func (s *subscriptions) renew(w http.ResponseWriter, r *http.Request, sub *subscription) {
	b, ok := s.decode(w, r)
	if !ok {
		return
	}
	if b.ExpirationDateTime == nil {
		s.invalid(w, r, "The expirationDateTime property is required.")
		return
	}
	if b.ChangeType != nil || b.NotificationURL != nil || b.Resource != nil || b.LifecycleNotificationURL != nil {
		s.invalid(w, r, "Only expirationDateTime can be updated.")
		return
	}
	exp, msg := s.checkExpiration(*b.ExpirationDateTime, sub.entity)
	if msg != "" {
		s.invalid(w, r, msg)
		return
	}
	s.mu.Lock()
	sub.Expiration = exp
	doc := s.render(r, sub)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, doc)
}

func (s *subscriptions) checkExpiration(v, entity string) (time.Time, string) {
	exp, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, "expirationDateTime '" + v + "' is not a valid date and time."
	}
	now := s.f.opts.Now()
	max := maxLifetime[entity]
	switch {
	case !exp.After(now):
		return time.Time{}, "Subscription expiration can only be in the future."
	case exp.Sub(now) > time.Duration(max)*time.Minute:
		return time.Time{}, "Subscription expiration can only be " + strconv.Itoa(max) + " minutes in the future."
	}
	return exp, ""
}

// checkURL accepts https URLs, and http on loopback (or on any host when
// AllowAnyHost is set).
func (s *subscriptions) checkURL(raw string) (*url.URL, string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, "Subscription validation request failed. '" + raw + "' is not an absolute URL."
	}
	switch {
	case eq(u.Scheme, "https"):
	case eq(u.Scheme, "http") && (s.f.opts.AllowAnyHost || office365.IsLoopbackHost(u.Hostname())):
	default:
		return nil, "Subscription validation request failed. Notification endpoint must be accessible over HTTPS."
	}
	return u, ""
}

// validate performs the validationToken handshake with u.
func (s *subscriptions) validate(ctx context.Context, u string) string {
	token := "Validation: Testing client application reachability for subscription Request-Id: " + newGUID()
	target := u
	if strings.Contains(target, "?") {
		target += "&"
	} else {
		target += "?"
	}
	target += "validationToken=" + url.QueryEscape(token)
	ctx, cancel := context.WithTimeout(ctx, s.f.opts.ValidationTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, nil)
	if err != nil {
		return "Subscription validation request failed: " + err.Error()
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := s.f.opts.Client.Do(req)
	if err != nil {
		return "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."
	}
	if string(body) != token {
		return "Subscription validation request failed. Response must exactly match validationToken query parameter."
	}
	return ""
}

// parseResource resolves a subscription's resource: me/messages,
// users/{id}/mailFolders/{id}/messages, me/events, me/contacts,
// users/{id}/contactFolders/{id}/contacts, me/todo/lists/{id}/tasks, each
// optionally with ?$filter=.
func (s *subscriptions) parseResource(r *http.Request, raw string) (*subscription, string) {
	res := strings.TrimSpace(raw)
	if i := strings.Index(strings.ToLower(res), "/v1.0/"); i >= 0 && strings.Contains(res, "://") {
		res = res[i+len("/v1.0/"):]
	}
	res = strings.TrimPrefix(res, "/")
	p, query, _ := strings.Cut(res, "?")
	segs, err := odatapath.QuotedSegments(p)
	bad := "Resource '" + raw + "' is not supported for change notifications."
	if err != nil || len(segs) < 2 {
		return nil, bad
	}
	token := ""
	if a := r.Header.Get("Authorization"); len(a) > 7 {
		token = a[7:]
	}
	var user User
	var ok bool
	switch {
	case eq(segs[0], "me"):
		user, ok = s.f.store.User("me", token)
		segs = segs[1:]
	case eq(segs[0], "users") && len(segs) >= 3:
		user, ok = s.f.store.User(segs[1], token)
		segs = segs[2:]
	}
	if !ok {
		return nil, bad
	}
	sub := &subscription{storeID: user.StoreID, oid: user.ID, creatorID: user.ID}
	sub.User, sub.Resource = user.UPN, raw
	switch {
	case matchPath([]string{"messages"}, segs):
		sub.entity, sub.notification = "Message", "Messages"
	case matchPath([]string{"mailFolders", "*", "messages"}, segs):
		sub.entity, sub.notification = "Message", "Messages"
		if sub.folder = s.f.store.FolderID(user.UPN, segs[1]); sub.folder == "" {
			return nil, bad
		}
	case matchPath([]string{"events"}, segs):
		sub.entity, sub.notification = "Event", "Events"
	case matchPath([]string{"contacts"}, segs):
		sub.entity, sub.notification = "Contact", "Contacts"
	case matchPath([]string{"contactFolders", "*", "contacts"}, segs):
		sub.entity, sub.notification, sub.folder = "Contact", "Contacts", segs[1]
	case matchPath([]string{"todo", "lists", "*", "tasks"}, segs):
		sub.entity, sub.folder = "Task", segs[2]
		sub.notification = "todo/lists('" + strings.ReplaceAll(segs[2], "'", "''") + "')/tasks"
	default:
		return nil, bad
	}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, bad
		}
		for k, v := range q {
			if !eq(k, "$filter") && !eq(k, "$select") {
				return nil, "The query option '" + k + "' is not supported in a subscription's resource."
			}
			if eq(k, "$filter") {
				vocab := baseVocabulary
				if sub.entity == "Task" {
					vocab = todoVocabulary
				}
				watch, err := s.f.store.Watch(vocab.queryFromGraph("$filter", v[0]))
				if err != nil {
					return nil, "The resource's $filter is not valid: " + err.Error()
				}
				sub.watch = watch
			}
		}
	}
	return sub, ""
}

// publish queues the notifications of a change.
func (s *subscriptions) publish(c Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	for _, sub := range s.liveLocked() {
		if !eq(sub.User, c.User) || sub.entity != c.Type || sub.folder != "" && sub.folder != c.FolderID {
			continue
		}
		kind := c.Kind
		if sub.watch != nil {
			k, ok := sub.watch(c)
			if !ok {
				continue
			}
			kind = k
		}
		kind = strings.ToLower(kind)
		if !slices.Contains(sub.changeTypes, kind) {
			continue
		}
		// The key form: the fake's ids may hold "/".
		resource := "Users('" + sub.oid + "')/" + sub.notification + "('" + strings.ReplaceAll(c.ID, "'", "''") + "')"
		typ := "#Microsoft.Graph." + c.Type
		if c.Type == "Task" {
			typ = "#Microsoft.Graph.todoTask"
		}
		data := map[string]any{"@odata.type": typ, "@odata.id": resource, "id": c.ID}
		if c.ETag != "" {
			data["@odata.etag"] = `W/"` + c.ETag + `"`
		}
		sub.queue = append(sub.queue, map[string]any{
			"subscriptionId":                 sub.ID,
			"subscriptionExpirationDateTime": sub.Expiration.UTC().Format("2006-01-02T15:04:05.0000000Z"),
			"changeType":                     kind,
			"resource":                       resource,
			"resourceData":                   data,
			"clientState":                    nullable(sub.ClientState),
			"tenantId":                       s.f.opts.TenantID,
		})
		s.startLocked(sub)
	}
}

func (s *subscriptions) startLocked(sub *subscription) {
	if sub.sending || s.done {
		return
	}
	sub.sending = true
	s.busy++
	s.wg.Add(1)
	go s.deliver(sub)
}

func (s *subscriptions) finishLocked() {
	s.busy--
	if s.busy == 0 {
		close(s.idle)
		s.idle = make(chan struct{})
	}
}

// deliver sends sub's queue until it is empty.
func (s *subscriptions) deliver(sub *subscription) {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		if s.done || len(sub.queue) == 0 || !slices.Contains(s.subs, sub) {
			sub.sending = false
			sub.queue = nil
			s.finishLocked()
			s.mu.Unlock()
			return
		}
		n := min(len(sub.queue), maxBatch)
		batch := slices.Clone(sub.queue[:n])
		sub.queue = sub.queue[n:]
		s.mu.Unlock()
		items := make([]any, len(batch))
		for i, b := range batch {
			items[i] = b
		}
		body, _ := json.Marshal(map[string]any{"value": items})
		if !s.post(sub.ID, sub.NotificationURL, body, false) && sub.LifecycleNotificationURL != "" {
			s.lifecycle(sub, "missed")
		}
	}
}

// lifecycle sends a lifecycle notification.
func (s *subscriptions) lifecycle(sub *subscription, event string) {
	s.mu.Lock()
	expires := sub.Expiration // renewals change it
	s.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"value": []any{map[string]any{
		"subscriptionId":                 sub.ID,
		"subscriptionExpirationDateTime": expires.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		"tenantId":                       s.f.opts.TenantID,
		"clientState":                    nullable(sub.ClientState),
		"lifecycleEvent":                 event,
	}}})
	s.post(sub.ID, sub.LifecycleNotificationURL, body, true)
}

// post sends body, retrying failures, 429 and 5xx; it reports success.
func (s *subscriptions) post(subID, target string, body []byte, lifecycle bool) bool {
	for attempt := 0; ; attempt++ {
		d := Delivery{SubscriptionID: subID, URL: target, Lifecycle: lifecycle, Body: body, Time: s.f.opts.Now()}
		req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, target, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			var resp *http.Response
			resp, err = s.f.opts.Client.Do(req)
			if err == nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
				resp.Body.Close()
				d.Status = resp.StatusCode
			}
		}
		if err != nil {
			d.Err = err.Error()
		}
		s.mu.Lock()
		s.log = append(s.log, d)
		if len(s.log) > 10000 {
			s.log = slices.Delete(s.log, 0, len(s.log)-10000)
		}
		done := s.done
		s.mu.Unlock()
		if d.Status >= 200 && d.Status < 300 {
			return true
		}
		retry := err != nil || d.Status == http.StatusTooManyRequests || d.Status >= 500
		if !retry || attempt >= s.f.opts.Retries || done {
			return false
		}
		select {
		case <-time.After(s.f.opts.RetryDelay):
		case <-s.ctx.Done():
			return false
		}
	}
}

// Subscriptions returns the live subscriptions.
func (f *FrontEnd) Subscriptions() []SubscriptionInfo {
	s := f.subs
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SubscriptionInfo
	for _, sub := range s.liveLocked() {
		out = append(out, sub.SubscriptionInfo)
	}
	return out
}

// Deliveries returns the notification POSTs made so far, oldest first
// (the most recent 10,000).
func (f *FrontEnd) Deliveries() []Delivery {
	f.subs.mu.Lock()
	defer f.subs.mu.Unlock()
	return slices.Clone(f.subs.log)
}

// RemoveSubscription deletes a subscription as the service may, sending a
// subscriptionRemoved lifecycle notification when it has a
// lifecycleNotificationUrl. It reports whether the subscription existed.
func (f *FrontEnd) RemoveSubscription(id string) bool {
	return f.lifecycleEvent(id, "subscriptionRemoved", true)
}

// RequireReauthorization sends a reauthorizationRequired lifecycle
// notification for the subscription. It reports whether the subscription
// exists and has a lifecycleNotificationUrl.
func (f *FrontEnd) RequireReauthorization(id string) bool {
	return f.lifecycleEvent(id, "reauthorizationRequired", false)
}

func (f *FrontEnd) lifecycleEvent(id, event string, remove bool) bool {
	s := f.subs
	s.mu.Lock()
	sub := s.findLocked(id)
	if sub == nil || !remove && sub.LifecycleNotificationURL == "" {
		s.mu.Unlock()
		return false
	}
	if remove {
		s.removeLocked(sub)
	}
	s.busy++
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		if sub.LifecycleNotificationURL != "" {
			s.lifecycle(sub, event)
		}
		s.mu.Lock()
		s.finishLocked()
		s.mu.Unlock()
	}()
	return true
}

// Wait blocks until every queued notification has been delivered or given
// up, or ctx ends.
func (f *FrontEnd) Wait(ctx context.Context) error {
	s := f.subs
	for {
		s.mu.Lock()
		if s.busy == 0 {
			s.mu.Unlock()
			return nil
		}
		idle := s.idle
		s.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops delivery and waits for the senders to stop.
func (f *FrontEnd) Close() {
	s := f.subs
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
	s.cancel()
	s.unsub()
	s.wg.Wait()
}
