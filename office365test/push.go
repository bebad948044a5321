package office365test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/office365-go/office365"
)

// Push is the fake of Outlook push notifications (webhooks): PushSubscription
// create, read, renew and delete under {root}/{user_context}/subscriptions,
// the validation handshake, and delivery of notifications to the
// subscriber's NotificationURL when the Mailbox changes.
//
//	push := office365test.NewPush()
//	push.Register(mb) // mb is the *Mailbox
//	defer push.Close()
//
// Creating a subscription POSTs "{NotificationURL}?validationtoken={token}"
// (with the ClientState header when the subscription has one) and expects
// 200, a text/plain body equal to the token, within the validation timeout
// (5 s, as the service); otherwise the subscribe call fails with 400. The
// token contains spaces and colons, as the service's do.
//
// Each change of the mailbox (created, updated, deleted items) that falls
// under a live subscription's Resource (a collection, optionally narrowed
// with ?$filter=, where an item entering the filter is Created and leaving
// it Deleted) and ChangeType becomes a notification with the next
// SequenceNumber of that subscription. Notifications are POSTed as
// {"value":[…]} with the ClientState header, several per request when they
// queue up, in order, from a goroutine per subscription (a mailbox change
// never waits for a receiver). A request answered 429, 503, 5xx or not at
// all is retried (honouring Retry-After up to the retry delay cap); after
// the last attempt its notifications are dropped and a Missed notification
// (no Resource; the next SequenceNumber) follows what is queued. Other
// answers (such as 403 for a wrong ClientState) drop the request the same
// way without retrying.
//
// A subscription expires at its SubscriptionExpirationDateTime (at most 3
// days after it was created or renewed; the Mailbox clock decides): it then
// gets no notifications and reading, renewing or deleting it answers 404.
//
// Only loopback notification URLs (http or https) are accepted unless
// PushAllowAnyHost is given.
type Push struct {
	client            *http.Client
	validationTimeout time.Duration
	attempts          int
	retryDelay        time.Duration
	maxRetryDelay     time.Duration
	anyHost           bool
	maxBatch          int

	mu     sync.Mutex
	mb     *Mailbox
	subs   map[string]*pushSub
	order  []*pushSub
	log    []PushDelivery
	unsub  func()
	closed bool
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	busy   int // subscriptions with a delivery goroutine running
}

// PushOption configures a Push.
type PushOption func(*Push)

// PushHTTPClient sets the client notifications and validation requests are
// sent with (default: a plain client; give an httptest TLS server's client
// for https receivers).
func PushHTTPClient(c *http.Client) PushOption { return func(p *Push) { p.client = c } }

// PushValidationTimeout sets how long the receiver has to answer the
// validation request (default 5 s).
func PushValidationTimeout(d time.Duration) PushOption {
	return func(p *Push) {
		if d > 0 {
			p.validationTimeout = d
		}
	}
}

// PushRetry sets how many times a delivery is attempted (default 4) and
// the delay between attempts (default 200 ms, doubling, capped at 10 times
// the delay; a Retry-After within the cap is honoured).
func PushRetry(attempts int, delay time.Duration) PushOption {
	return func(p *Push) {
		if attempts > 0 {
			p.attempts = attempts
		}
		if delay > 0 {
			p.retryDelay = delay
			p.maxRetryDelay = 10 * delay
		}
	}
}

// PushAllowAnyHost lets subscriptions use notification URLs on any host
// (by default only loopback hosts are accepted, so a test can never make
// the fake call out).
func PushAllowAnyHost() PushOption { return func(p *Push) { p.anyHost = true } }

// PushMaxBatch caps how many queued notifications go in one request
// (default 20).
func PushMaxBatch(n int) PushOption {
	return func(p *Push) {
		if n > 0 {
			p.maxBatch = n
		}
	}
}

// NewPush returns a push notification fake; Register attaches it to a
// Mailbox.
func NewPush(opts ...PushOption) *Push {
	p := &Push{
		client: &http.Client{}, validationTimeout: 5 * time.Second,
		attempts: 4, retryDelay: 200 * time.Millisecond, maxRetryDelay: 2 * time.Second, maxBatch: 20,
		subs: map[string]*pushSub{},
	}
	for _, o := range opts {
		o(p)
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p
}

// Register adds the subscription routes to the mailbox fake and starts
// following its changes.
func (p *Push) Register(m *Mailbox) {
	p.mu.Lock()
	p.mb = m
	p.mu.Unlock()
	m.HandleStream(http.MethodPost, "subscriptions", p.serveCreate)
	m.Handle(http.MethodGet, "subscriptions/{id}", p.serveGet)
	m.Handle(http.MethodPatch, "subscriptions/{id}", p.serveRenew)
	m.Handle(http.MethodDelete, "subscriptions/{id}", p.serveDelete)
	unsub := m.Subscribe(p.publish)
	p.mu.Lock()
	p.unsub = unsub
	p.mu.Unlock()
}

// Close stops following the mailbox, abandons pending deliveries and waits
// for the delivery goroutines to end.
func (p *Push) Close() {
	p.mu.Lock()
	p.closed = true
	unsub := p.unsub
	p.mu.Unlock()
	if unsub != nil {
		unsub()
	}
	p.cancel()
	p.wg.Wait()
}

// pushSub is one push subscription.
type pushSub struct {
	id          string
	user        string // lower-case UPN
	userRef     string // Users('{id}')
	root        string // scheme://host/api/{version} of the subscribe request
	resource    string
	url         string
	clientState string
	changeTypes []string
	entity      EntityType
	collection  string
	folder      string
	filter      *Filter
	expires     time.Time
	seq         int64
	queue       []pushNote
	sending     bool
}

type pushNote struct {
	seq      int64
	change   string
	resource string
	data     json.RawMessage
}

// PushSubscriptionInfo describes a live subscription of the fake.
type PushSubscriptionInfo struct {
	ID              string
	User            string
	Resource        string
	NotificationURL string
	ChangeTypes     []string
	Expires         time.Time
	// LastSequenceNumber is the number of its last notification.
	LastSequenceNumber int64
	// Queued is how many notifications wait to be delivered.
	Queued int
}

// PushDelivery is one notification request the fake made.
type PushDelivery struct {
	SubscriptionID string
	URL            string
	// SequenceNumbers of the notifications in the request.
	SequenceNumbers []int64
	ChangeTypes     []string
	Attempt         int
	// Status is the receiver's status code (0 when the request failed).
	Status int
	Err    string
	Time   time.Time
}

func (p *Push) clock() time.Time {
	if p.mb != nil {
		return p.mb.clock()
	}
	return time.Now().UTC()
}

// Subscriptions returns the live subscriptions in creation order.
func (p *Push) Subscriptions() []PushSubscriptionInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock()
	var out []PushSubscriptionInfo
	for _, s := range p.order {
		if !now.Before(s.expires) {
			continue
		}
		out = append(out, PushSubscriptionInfo{
			ID: s.id, User: s.user, Resource: s.resource, NotificationURL: s.url, ChangeTypes: slices.Clone(s.changeTypes),
			Expires: s.expires, LastSequenceNumber: s.seq, Queued: len(s.queue),
		})
	}
	return out
}

// Deliveries returns every notification request made so far, in order.
func (p *Push) Deliveries() []PushDelivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.log)
}

// Expire ends a subscription now, as if its expiry time had passed. It
// reports whether the subscription existed.
func (p *Push) Expire(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.subs[id]
	if s == nil {
		return false
	}
	p.removeLocked(s)
	return true
}

// Wait blocks until no notification is queued or being delivered, or ctx
// ends.
func (p *Push) Wait(ctx context.Context) error {
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		p.mu.Lock()
		idle := p.busy == 0
		p.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (p *Push) removeLocked(s *pushSub) {
	delete(p.subs, s.id)
	p.order = slices.DeleteFunc(p.order, func(x *pushSub) bool { return x == s })
	s.queue = nil
}

// liveLocked returns the subscription if it exists, is live and belongs to
// user; expired ones are removed.
func (p *Push) liveLocked(id string, u *MailboxUser) *pushSub {
	s := p.subs[id]
	if s == nil {
		return nil
	}
	if !p.clock().Before(s.expires) {
		p.removeLocked(s)
		return nil
	}
	if u == nil || s.user != strings.ToLower(u.UPN) {
		return nil
	}
	return s
}

const (
	odataPushSubscription = "#Microsoft.OutlookServices.PushSubscription"
	odataNotification     = "#Microsoft.OutlookServices.Notification"
	pushMaxLifetime       = 3 * 24 * time.Hour
)

func subscriptionNotFound() *Reply {
	return ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The specified subscription was not found.")
}

// render returns the subscription as the service answers it (without the
// ClientState).
func (s *pushSub) render(rq *MailboxRequest) Entity {
	changes := append(slices.Clone(s.changeTypes), "Missed")
	return Entity{
		"@odata.context":                 rq.Context("Subscriptions/$entity"),
		"@odata.type":                    odataPushSubscription,
		"@odata.id":                      rq.EntityURL("Subscriptions", s.id),
		"Id":                             s.id,
		"Resource":                       s.resource,
		"ChangeType":                     strings.Join(changes, ", "),
		"NotificationURL":                s.url,
		"SubscriptionExpirationDateTime": s.expires.Format("2006-01-02T15:04:05.0000000Z"),
	}
}

// serveCreate subscribes: it validates the body, runs the validation
// handshake (without the mailbox lock) and stores the subscription.
func (p *Push) serveCreate(w http.ResponseWriter, rq *MailboxRequest) {
	reply := func(rp *Reply) { rp.write(w) }
	var body map[string]any
	if err := rq.DecodeJSON(&body); err != nil || body == nil {
		reply(ErrorReply(http.StatusBadRequest, "RequestBodyRead", "The request body is not a JSON object."))
		return
	}
	str := func(k string) (string, bool) {
		v, ok := body[k]
		if !ok || v == nil {
			return "", true
		}
		s, isStr := v.(string)
		return s, isStr
	}
	typ, _ := str("@odata.type")
	if !strings.EqualFold(strings.TrimPrefix(typ, "#"), strings.TrimPrefix(odataPushSubscription, "#")) {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest",
			"The @odata.type must be '#Microsoft.OutlookServices.PushSubscription'."))
		return
	}
	for k := range body {
		switch k {
		case "@odata.type", "Resource", "NotificationURL", "ChangeType", "SubscriptionExpirationDateTime", "ClientState":
		default:
			reply(unknownProperty(k, "PushSubscription"))
			return
		}
	}
	resource, ok1 := str("Resource")
	notifyURL, ok2 := str("NotificationURL")
	changeType, ok3 := str("ChangeType")
	clientState, ok4 := str("ClientState")
	expiry, ok5 := str("SubscriptionExpirationDateTime")
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "PushSubscription properties must be strings."))
		return
	}
	if resource == "" || notifyURL == "" || changeType == "" {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "Resource, NotificationURL and ChangeType are required."))
		return
	}
	if len(clientState) > 255 {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "ClientState must be at most 255 characters."))
		return
	}
	var changes []string
	for part := range strings.SplitSeq(changeType, ",") {
		part = strings.TrimSpace(part)
		i := slices.IndexFunc([]string{"Created", "Updated", "Deleted"}, func(c string) bool { return strings.EqualFold(c, part) })
		if i < 0 {
			reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "Invalid ChangeType value '"+part+"'."))
			return
		}
		if c := []string{"Created", "Updated", "Deleted"}[i]; !slices.Contains(changes, c) {
			changes = append(changes, c)
		}
	}
	slices.SortFunc(changes, func(a, b string) int { return changeOrder(a) - changeOrder(b) })

	res, err := parseStreamResource(resource)
	if err != nil || !strings.HasPrefix(strings.ToLower(resource), "http") {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidUrl", "Unsupported subscription resource '"+resource+"'."))
		return
	}
	u := rq.User
	if res.user != "" && !strings.EqualFold(res.user, "me") && p.mb.User(res.user) != u {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidUrl", "The resource belongs to another user than the subscription."))
		return
	}
	var filter *Filter
	if res.filter != "" {
		if filter, err = ParseFilter(res.filter, nil); err != nil {
			reply(filterErrorReply(err))
			return
		}
	}
	folder := res.folder
	if folder != "" && res.entity == EntityMessage {
		if folder = u.FolderID(folder); folder == "" {
			reply(ErrorReply(http.StatusNotFound, "ErrorFolderNotFound", "The specified folder could not be found in the store."))
			return
		}
	}
	nu, err := url.Parse(notifyURL)
	if err != nil || (nu.Scheme != "http" && nu.Scheme != "https") || nu.Host == "" || nu.Fragment != "" {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "NotificationURL must be an absolute https URL."))
		return
	}
	if !p.anyHost && !office365.IsLoopbackHost(nu.Hostname()) {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter",
			"The fake only delivers to loopback notification URLs (see PushAllowAnyHost)."))
		return
	}
	now := p.clock()
	expires := now.Add(pushMaxLifetime)
	if expiry != "" {
		t, err := time.Parse(time.RFC3339Nano, expiry)
		if err != nil {
			reply(invalidValue("SubscriptionExpirationDateTime"))
			return
		}
		if !t.After(now) {
			reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "SubscriptionExpirationDateTime must be in the future."))
			return
		}
		if t.Before(expires) {
			expires = t.UTC()
		}
	}
	if msg := p.validate(rq.R.Context(), nu, clientState); msg != "" {
		reply(ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "Notification URL validation failed: "+msg))
		return
	}
	s := &pushSub{
		id: newStreamID(48), user: strings.ToLower(u.UPN), userRef: rq.UserRef(), root: rq.ServiceRoot(),
		resource: resource, url: notifyURL, clientState: clientState, changeTypes: changes,
		entity: res.entity, collection: res.collection, folder: folder, filter: filter, expires: expires,
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		reply(ErrorReply(http.StatusServiceUnavailable, "ErrorServerBusy", "The push fake is closed."))
		return
	}
	p.subs[s.id] = s
	p.order = append(p.order, s)
	doc := s.render(rq)
	p.mu.Unlock()
	reply(JSONReply(http.StatusCreated, doc))
}

// validate runs the handshake; it returns why it failed ("" on success).
func (p *Push) validate(ctx context.Context, nu *url.URL, clientState string) string {
	token := "Validation: Testing client application reachability for subscription Request-Id: " + uuid.NewString()
	target := *nu
	q := target.Query()
	q.Set("validationtoken", token)
	target.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, p.validationTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), http.NoBody)
	if err != nil {
		return "the URL cannot be requested"
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	if clientState != "" {
		req.Header.Set("ClientState", clientState)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Sprintf("no answer within %s", p.validationTimeout)
		}
		return "the request failed"
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(len(token))+1))
	if err != nil {
		return "reading the answer failed"
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("the endpoint answered %d", resp.StatusCode)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "text/plain" {
		return "the answer is not text/plain"
	}
	if string(body) != token {
		return "the answer does not match the validation token"
	}
	return ""
}

func (p *Push) serveGet(rq *MailboxRequest) *Reply {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.liveLocked(rq.Param("id"), rq.User)
	if s == nil {
		return subscriptionNotFound()
	}
	return JSONReply(http.StatusOK, s.render(rq))
}

func (p *Push) serveRenew(rq *MailboxRequest) *Reply {
	body, rep := decodeObject(rq)
	if rep != nil {
		return rep
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.liveLocked(rq.Param("id"), rq.User)
	if s == nil {
		return subscriptionNotFound()
	}
	now := p.clock()
	expires := now.Add(pushMaxLifetime)
	for k, v := range body {
		switch k {
		case "@odata.type":
		case "SubscriptionExpirationDateTime":
			if v == nil {
				continue
			}
			str, _ := v.(string)
			t, err := time.Parse(time.RFC3339Nano, str)
			if err != nil {
				return invalidValue(k)
			}
			if !t.After(now) {
				return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "SubscriptionExpirationDateTime must be in the future.")
			}
			if t.Before(expires) {
				expires = t.UTC()
			}
		default:
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidParameter", "Only SubscriptionExpirationDateTime can be changed.")
		}
	}
	s.expires = expires
	return JSONReply(http.StatusOK, s.render(rq))
}

func (p *Push) serveDelete(rq *MailboxRequest) *Reply {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.liveLocked(rq.Param("id"), rq.User)
	if s == nil {
		return subscriptionNotFound()
	}
	p.removeLocked(s)
	return EmptyReply(http.StatusNoContent)
}

// publish turns a mailbox change into notifications (called by the change
// feed, without the mailbox lock).
func (p *Push) publish(c Change) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	now := p.clock()
	for _, s := range slices.Clone(p.order) {
		if !now.Before(s.expires) {
			p.removeLocked(s)
			continue
		}
		if s.user != strings.ToLower(c.User) || s.entity != c.EntityType {
			continue
		}
		if s.folder != "" && !folderMatches(s.folder, c.FolderID) {
			continue
		}
		kind, ok := changeSeenThrough(s.filter, c)
		if !ok || !slices.Contains(s.changeTypes, kind) {
			continue
		}
		resource := s.root + "/" + s.userRef + "/" + s.collection + "('" + strings.ReplaceAll(c.ID, "'", "''") + "')"
		etag := ""
		if c.Entity != nil {
			etag, _ = c.Entity["ChangeKey"].(string)
		}
		s.seq++
		s.queue = append(s.queue, pushNote{seq: s.seq, change: kind, resource: resource, data: entityRef(s.entity, resource, c.ID, etag)})
		p.startLocked(s)
	}
}

// startLocked starts the delivery goroutine of s unless one runs.
func (p *Push) startLocked(s *pushSub) {
	if s.sending || p.closed {
		return
	}
	s.sending = true
	p.busy++
	p.wg.Add(1)
	go p.deliver(s)
}

// deliver sends s's queue until it is empty. When a request is given up,
// a Missed notification (with the next sequence number) is queued after
// what is already waiting, so the receiver sees the gap and resyncs.
func (p *Push) deliver(s *pushSub) {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		if p.closed || len(s.queue) == 0 || p.subs[s.id] != s || !p.clock().Before(s.expires) {
			s.sending = false
			p.busy--
			s.queue = nil
			p.mu.Unlock()
			return
		}
		n := min(len(s.queue), p.maxBatch)
		batch := slices.Clone(s.queue[:n])
		s.queue = s.queue[n:]
		expires := s.expires
		p.mu.Unlock()

		if p.post(s, batch, expires) {
			continue
		}
		if slices.ContainsFunc(batch, func(n pushNote) bool { return n.change != "Missed" }) {
			p.mu.Lock()
			s.seq++
			s.queue = append(s.queue, pushNote{seq: s.seq, change: "Missed"})
			p.mu.Unlock()
		}
	}
}

// post delivers one request with retries; false when it was given up.
func (p *Push) post(s *pushSub, batch []pushNote, expires time.Time) bool {
	body := pushBody(s.id, expires, batch)
	var seqs []int64
	var changes []string
	for _, n := range batch {
		seqs = append(seqs, n.seq)
		changes = append(changes, n.change)
	}
	delay := p.retryDelay
	for attempt := 1; attempt <= p.attempts; attempt++ {
		status, retryAfter, err := p.send(s, body)
		d := PushDelivery{SubscriptionID: s.id, URL: s.url, SequenceNumbers: seqs, ChangeTypes: changes,
			Attempt: attempt, Status: status, Time: p.clock()}
		if err != nil {
			d.Err = err.Error()
		}
		p.mu.Lock()
		p.log = append(p.log, d)
		p.mu.Unlock()
		switch {
		case err == nil && status >= 200 && status < 300:
			return true
		case err == nil && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout && status < 500:
			return false // refused: not retried
		case attempt == p.attempts:
			return false
		}
		wait := delay
		if retryAfter > 0 && retryAfter <= p.maxRetryDelay {
			wait = retryAfter
		}
		select {
		case <-p.ctx.Done():
			return false
		case <-time.After(wait):
		}
		delay = min(2*delay, p.maxRetryDelay)
	}
	return false
}

func (p *Push) send(s *pushSub, body []byte) (status int, retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.clientState != "" {
		req.Header.Set("ClientState", s.clientState)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return 0, 0, errors.New("push fake closed")
		}
		return 0, 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
		retryAfter = time.Duration(secs) * time.Second
	}
	return resp.StatusCode, retryAfter, nil
}

// pushBody renders {"value":[…]} as the service posts it.
func pushBody(subID string, expires time.Time, batch []pushNote) []byte {
	type note struct {
		ODataType                      string          `json:"@odata.type"`
		ID                             *string         `json:"Id"`
		SubscriptionID                 string          `json:"SubscriptionId"`
		SubscriptionExpirationDateTime string          `json:"SubscriptionExpirationDateTime"`
		SequenceNumber                 int64           `json:"SequenceNumber"`
		ChangeType                     string          `json:"ChangeType"`
		Resource                       string          `json:"Resource,omitempty"`
		ResourceData                   json.RawMessage `json:"ResourceData,omitempty"`
	}
	env := struct {
		Value []note `json:"value"`
	}{}
	for _, n := range batch {
		env.Value = append(env.Value, note{
			ODataType: odataNotification, SubscriptionID: subID,
			SubscriptionExpirationDateTime: expires.Format("2006-01-02T15:04:05.0000000Z"),
			SequenceNumber:                 n.seq, ChangeType: n.change, Resource: n.resource, ResourceData: n.data,
		})
	}
	b, _ := json.Marshal(env)
	return b
}
