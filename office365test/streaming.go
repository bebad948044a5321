package office365test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Streaming is a fake of the Outlook streaming notifications API (beta):
// streaming subscriptions and the long-lived GetNotifications response.
//
//	srv := office365test.NewServer()
//	mb := office365test.NewMailbox(office365test.WithSampleData())
//	mb.Register(srv)
//	st := office365test.NewStreaming(office365test.StreamingMailbox(mb))
//	st.Register(srv) // POST /api/beta/{me|users/{upn}}/subscriptions and /GetNotifications
//
// GetNotifications answers with a real chunked stream in the service's
// framing, flushed after every object: the preamble
// {"@odata.context":"…/api/beta/$metadata#Notifications","value":[, then
// notifications and compact keep-alives
// ({"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"})
// every KeepAliveNotificationIntervalInSeconds, each after the first with a
// leading comma, and "]}" when ConnectionTimeoutInMinutes (capped by
// StreamingMaxConnectionTime) is reached.
//
// Notifications come from changes to an attached Mailbox (its change feed),
// from Publish, or from Inject. The model, which the streaming package's
// listener relies on and documents:
//
//   - Sequence numbers count per subscription from 1 and continue across
//     connections; a new subscription starts again at 1.
//   - While no connection listens for a subscription, its notifications
//     wait in a queue of StreamingBufferSize; when the queue overflows, it
//     is replaced by one Missed notification (with its own number).
//   - A notification written into a connection is gone from the queue:
//     if the connection drops, it is lost.
//   - A subscription expires StreamingLifetime after its last connection
//     ended (or after it was created, if none listened); while a connection
//     listens it is renewed. GetNotifications answers 404 for an expired
//     subscription, naming it in the message.
//   - A subscription listed by a new connection moves to it.
//
// Resources may be absolute URLs (any host) or relative to the user; the
// collections are messages, events, contacts, tasks and the folder forms
// mailfolders('{id}')/messages, calendars('{id}')/events,
// contactfolders('{id}')/contacts and taskfolders('{id}')/tasks. $filter is
// evaluated with ParseFilter against the entity before and after each
// change (an item entering the filter is Created, one leaving it Deleted),
// and $select adds the properties to ResourceData (rich notifications).
//
// Faults: the Server's generic faults apply to these paths (drop after N
// bytes, stalls, 401, 429 with Retry-After, 5xx, HTML pages); the streaming
// specific ones are StallConnections, DropConnections, EndConnections and
// Expire. Notifications records everything emitted, to check a client
// against. A Streaming is safe for concurrent use.
type Streaming struct {
	mu       sync.Mutex
	subs     map[string]*streamSub
	order    []*streamSub // creation order
	conns    map[*streamConn]struct{}
	log      []StreamNotification
	lifetime time.Duration
	bufSize  int
	maxConn  time.Duration
	now      func() time.Time
	clockSet bool
	mailbox  *Mailbox
	unsub    func()
	srv      *Server
	base     string // server URL, for resources of injected notifications
}

// StreamingOption configures a Streaming fake.
type StreamingOption func(*Streaming)

// StreamingMailbox attaches a Mailbox: its changes become notifications,
// "me" and users/{upn} resolve to its users, folder names to its folders,
// and $filter / $select apply to its entities.
func StreamingMailbox(m *Mailbox) StreamingOption { return func(s *Streaming) { s.mailbox = m } }

// StreamingLifetime sets how long a subscription lives without a connection
// (default 90 minutes).
func StreamingLifetime(d time.Duration) StreamingOption {
	return func(s *Streaming) {
		if d > 0 {
			s.lifetime = d
		}
	}
}

// StreamingBufferSize sets how many notifications a subscription queues
// while undelivered before they are replaced by a Missed notification
// (default 1000).
func StreamingBufferSize(n int) StreamingOption {
	return func(s *Streaming) {
		if n > 0 {
			s.bufSize = n
		}
	}
}

// StreamingMaxConnectionTime caps how long one connection lasts, whatever
// ConnectionTimeoutInMinutes asks for, so tests and demos see routine
// reconnections quickly (default: no cap).
func StreamingMaxConnectionTime(d time.Duration) StreamingOption {
	return func(s *Streaming) { s.maxConn = d }
}

// StreamingClock sets the clock for expiry and timestamps (default: the
// Server's clock once registered, else time.Now). Keep-alives and
// connection timeouts use timers, which testing/synctest fakes.
func StreamingClock(now func() time.Time) StreamingOption {
	return func(s *Streaming) { s.now, s.clockSet = now, true }
}

// NewStreaming returns a streaming fake; Register mounts it on a Server.
func NewStreaming(opts ...StreamingOption) *Streaming {
	s := &Streaming{
		subs: map[string]*streamSub{}, conns: map[*streamConn]struct{}{},
		lifetime: 90 * time.Minute, bufSize: 1000, now: time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	if s.mailbox != nil {
		s.unsub = s.mailbox.Subscribe(s.Publish)
	}
	return s
}

// Register mounts the fake on srv for the streaming requests under
// /api/beta/ (GetNotifications, and creating a subscription whose
// @odata.type is StreamingSubscription) for me and users/{upn}; other
// requests there, such as push subscriptions, go to whichever other fake is
// mounted for them (the Mailbox's /api/). Unless StreamingClock was given,
// the fake uses the server's clock.
func (s *Streaming) Register(srv *Server) {
	s.mu.Lock()
	s.srv = srv
	s.base = srv.URL()
	if !s.clockSet {
		s.now = srv.Now
	}
	s.mu.Unlock()
	srv.MountIf("/api/beta/", isStreamingRequest, &streamRoute{s: s})
}

// Close detaches the fake from its Mailbox's change feed and drops every
// open connection.
func (s *Streaming) Close() {
	if s.unsub != nil {
		s.unsub()
	}
	s.DropConnections()
}

// ---------------------------------------------------------------- state

type streamSub struct {
	id          string
	user        string // lower-case UPN, or "me" without a mailbox
	userRef     string // Users('…') for resource URLs
	base        string // scheme://host of the subscribe request
	resource    string // as given
	changeTypes []string
	entity      EntityType
	collection  string // "Messages", "Events", …
	folder      string // "" for the whole mailbox
	filter      *Filter
	sel         []string
	created     time.Time
	expires     time.Time
	seq         int64
	queue       []*streamNote
	conn        *streamConn
}

type streamNote struct {
	seq      int64
	change   string
	resource string
	data     json.RawMessage
}

type streamConn struct {
	subs    []*streamSub
	wake    chan struct{} // capacity 1: something to send
	abort   chan struct{} // closed: drop the connection
	end     chan struct{} // closed: end it with "]}"
	stalled bool          // black hole: swallow everything, send nothing
	once    sync.Once
	ended   sync.Once
}

func (c *streamConn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// StreamNotification is one notification the fake emitted (queued with a
// sequence number), whether or not it reached a client.
type StreamNotification struct {
	SubscriptionID string
	SequenceNumber int64
	ChangeType     string
	Resource       string
	Time           time.Time
}

// StreamSubscription describes a live subscription of the fake.
type StreamSubscription struct {
	ID          string
	User        string
	Resource    string
	ChangeTypes []string
	// Expires is when the subscription expires if no connection listens.
	Expires time.Time
	// Listening reports whether a connection carries it.
	Listening bool
	// Queued is how many notifications wait for a connection.
	Queued int
	// LastSequenceNumber is the number of its last notification.
	LastSequenceNumber int64
}

func (s *Streaming) clock() time.Time { return s.now().UTC() }

// Notifications returns every notification emitted so far, in order.
func (s *Streaming) Notifications() []StreamNotification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// Subscriptions returns the live subscriptions in creation order.
func (s *Streaming) Subscriptions() []StreamSubscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	var out []StreamSubscription
	for _, sub := range slices.Clone(s.order) {
		if s.expiredLocked(sub, now) {
			continue
		}
		out = append(out, StreamSubscription{
			ID: sub.id, User: sub.user, Resource: sub.resource, ChangeTypes: slices.Clone(sub.changeTypes),
			Expires: s.expiryLocked(sub, now), Listening: sub.conn != nil, Queued: len(sub.queue), LastSequenceNumber: sub.seq,
		})
	}
	return out
}

// Connections returns how many GetNotifications connections are open.
func (s *Streaming) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// expiryLocked is when sub expires as of now (renewed while listened to).
func (s *Streaming) expiryLocked(sub *streamSub, now time.Time) time.Time {
	if sub.conn != nil {
		return now.Add(s.lifetime)
	}
	return sub.expires
}

// expiredLocked removes sub if it has expired and reports whether it did.
func (s *Streaming) expiredLocked(sub *streamSub, now time.Time) bool {
	if s.subs[sub.id] != sub {
		return true
	}
	if sub.conn != nil || !now.After(sub.expires) {
		return false
	}
	s.removeLocked(sub)
	return true
}

func (s *Streaming) removeLocked(sub *streamSub) {
	delete(s.subs, sub.id)
	s.order = slices.DeleteFunc(s.order, func(x *streamSub) bool { return x == sub })
	sub.queue = nil
}

// Expire makes a subscription expire now, as if no connection had listened
// for its whole lifetime: GetNotifications answers 404 for it from now on,
// and the connection carrying it, if any, is dropped (its other
// subscriptions stay valid). It reports whether the subscription existed.
func (s *Streaming) Expire(id string) bool {
	s.mu.Lock()
	sub := s.subs[id]
	if sub == nil {
		s.mu.Unlock()
		return false
	}
	c := sub.conn
	s.removeLocked(sub)
	s.mu.Unlock()
	if c != nil {
		c.once.Do(func() { close(c.abort) })
	}
	return true
}

// DropConnections aborts every open connection mid-stream, as a network
// failure or a server restart would. Notifications written into them and
// not yet read are lost; queued ones wait for the next connection.
func (s *Streaming) DropConnections() {
	for _, c := range s.openConns() {
		c.once.Do(func() { close(c.abort) })
	}
}

// EndConnections ends every open connection cleanly with "]}", as when
// ConnectionTimeoutInMinutes is reached.
func (s *Streaming) EndConnections() {
	for _, c := range s.openConns() {
		c.ended.Do(func() { close(c.end) })
	}
}

// StallConnections turns every open connection into a black hole, as a
// half-open TCP connection: nothing more is sent on it, not even
// keep-alives, and notifications for its subscriptions are taken from their
// queues and lost, until the client gives up on it and connects again.
func (s *Streaming) StallConnections() {
	s.mu.Lock()
	for c := range s.conns {
		c.stalled = true
	}
	s.mu.Unlock()
}

func (s *Streaming) openConns() []*streamConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*streamConn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// ---------------------------------------------------------------- emitting

// StreamInjection is a notification Inject queues as is.
type StreamInjection struct {
	// ChangeType defaults to "Created"; "Missed" sends a Missed
	// notification (without Resource and ResourceData).
	ChangeType string
	// Resource defaults to a message URL with a new id.
	Resource string
	// ResourceData defaults to the entity reference of Resource
	// (@odata.type, @odata.id, @odata.etag, Id); any other value is
	// marshalled as is.
	ResourceData any
}

// Inject queues notifications for one subscription, bypassing resource
// matching, and returns their sequence numbers. The subscription's queue
// limit applies (overflow turns into a Missed notification).
func (s *Streaming) Inject(subscriptionID string, notes ...StreamInjection) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub := s.subs[subscriptionID]
	if sub == nil || s.expiredLocked(sub, s.clock()) {
		return nil, fmt.Errorf("office365test: no live streaming subscription %q", subscriptionID)
	}
	seqs := make([]int64, 0, len(notes))
	for _, in := range notes {
		change := in.ChangeType
		if change == "" {
			change = "Created"
		}
		n := &streamNote{change: change}
		if !strings.EqualFold(change, "Missed") {
			n.resource = in.Resource
			id := newStreamID(12)
			if n.resource == "" {
				n.resource = sub.base + "/api/beta/" + sub.userRef + "/" + sub.collection + "('" + id + "')"
			}
			if in.ResourceData != nil {
				b, err := json.Marshal(in.ResourceData)
				if err != nil {
					return seqs, fmt.Errorf("office365test: Inject: ResourceData: %w", err)
				}
				n.data = b
			} else {
				n.data = entityRef(sub.entity, n.resource, id, "")
			}
		}
		seqs = append(seqs, s.enqueueLocked(sub, n))
	}
	return seqs, nil
}

// Publish turns a mailbox change into notifications for every matching
// subscription. A Mailbox attached with StreamingMailbox calls it for each
// change; without one, tests call it with changes they make up (User is
// then matched against "me" or the UPN of users/{upn}; an empty User means
// "me"; FolderID against the folder key of the subscription, well-known
// names compared case-insensitively).
func (s *Streaming) Publish(c Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	for _, sub := range slices.Clone(s.order) {
		if s.expiredLocked(sub, now) || !s.matchUserLocked(sub, c) || sub.entity != c.EntityType {
			continue
		}
		if sub.folder != "" && !folderMatches(sub.folder, c.FolderID) {
			continue
		}
		kind, ok := changeSeenThrough(sub.filter, c)
		if !ok || !slices.ContainsFunc(sub.changeTypes, func(t string) bool { return strings.EqualFold(t, kind) }) {
			continue
		}
		resource := sub.base + "/api/beta/" + sub.userRefFor(c) + "/" + sub.collection + "('" + strings.ReplaceAll(c.ID, "'", "''") + "')"
		etag := ""
		var doc Entity
		if c.Entity != nil {
			doc = c.Entity
			if ck, ok := doc["ChangeKey"].(string); ok {
				etag = ck
			}
		}
		data := entityRef(sub.entity, resource, c.ID, etag)
		if len(sub.sel) > 0 && doc != nil {
			rich := SelectProperties(doc, sub.sel, "Id")
			m := map[string]any{}
			_ = json.Unmarshal(data, &m)
			for k, v := range rich {
				if !strings.HasPrefix(k, "@") {
					m[k] = v
				}
			}
			if b, err := json.Marshal(m); err == nil {
				data = b
			}
		}
		s.enqueueLocked(sub, &streamNote{change: kind, resource: resource, data: data})
	}
}

func (sub *streamSub) userRefFor(c Change) string {
	if c.UserID != "" {
		return "Users('" + c.UserID + "')"
	}
	return sub.userRef
}

func folderMatches(want, got string) bool {
	return want == got || (isWellKnownFolder(want) && strings.EqualFold(want, got))
}

func isWellKnownFolder(name string) bool {
	for _, f := range wellKnownFolders {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

func (s *Streaming) matchUserLocked(sub *streamSub, c Change) bool {
	if s.mailbox != nil {
		return strings.EqualFold(sub.user, c.User)
	}
	u := strings.ToLower(c.User)
	if u == "" {
		u = "me"
	}
	return sub.user == u
}

// entityRef renders the minimal ResourceData of an entity.
func entityRef(t EntityType, resource, id, etag string) json.RawMessage {
	m := map[string]any{"@odata.type": "#Microsoft.OutlookServices." + string(t), "@odata.id": resource, "Id": id}
	if etag != "" {
		m["@odata.etag"] = `W/"` + etag + `"`
	}
	b, _ := json.Marshal(m)
	return b
}

// enqueueLocked numbers n, logs it and queues it for sub, collapsing the
// queue into one Missed notification when it is full.
func (s *Streaming) enqueueLocked(sub *streamSub, n *streamNote) int64 {
	if len(sub.queue) >= s.bufSize {
		sub.queue = sub.queue[:0]
		n = &streamNote{change: "Missed"}
	}
	sub.seq++
	n.seq = sub.seq
	sub.queue = append(sub.queue, n)
	if len(s.log) >= 200000 {
		s.log = slices.Delete(s.log, 0, len(s.log)/2)
	}
	s.log = append(s.log, StreamNotification{
		SubscriptionID: sub.id, SequenceNumber: n.seq, ChangeType: n.change, Resource: n.resource, Time: s.clock(),
	})
	if sub.conn != nil {
		sub.conn.signal()
	}
	return n.seq
}

// notificationJSON renders one notification as the service writes it.
func notificationJSON(subID string, expires time.Time, n *streamNote) []byte {
	var b strings.Builder
	b.WriteString(`{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":`)
	writeJSONString(&b, subID)
	b.WriteString(`,"SubscriptionExpirationDateTime":"`)
	b.WriteString(expires.UTC().Format("2006-01-02T15:04:05.0000000Z"))
	b.WriteString(`","SequenceNumber":`)
	b.WriteString(strconv.FormatInt(n.seq, 10))
	b.WriteString(`,"ChangeType":`)
	writeJSONString(&b, n.change)
	if n.resource != "" {
		b.WriteString(`,"Resource":`)
		writeJSONString(&b, n.resource)
	}
	if len(n.data) > 0 {
		b.WriteString(`,"ResourceData":`)
		b.Write(n.data)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

func writeJSONString(b *strings.Builder, s string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}

func newStreamID(n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// ---------------------------------------------------------------- routing

// changeSeenThrough is how a subscription whose resource carries filter
// (nil: none) sees change c, as the service reported it: an item entering
// the filter is Created, one leaving it is Deleted, and a change outside the
// filter before and after is not seen at all (ok false).
func changeSeenThrough(filter *Filter, c Change) (kind string, ok bool) {
	kind = string(c.Kind)
	if filter == nil {
		return kind, true
	}
	before := c.Previous != nil && c.Kind != ChangeCreated && filter.Match(c.Previous)
	after := c.Entity != nil && c.Kind != ChangeDeleted && filter.Match(c.Entity)
	switch {
	case !before && !after:
		return "", false
	case !before:
		return string(ChangeCreated), true
	case !after:
		return string(ChangeDeleted), true
	}
	return kind, true
}

// streamRoute serves the requests isStreamingRequest accepts.
type streamRoute struct {
	s *Streaming
}

// streamingTarget splits a /api/beta/{me | users/{upn}}/{op…} path into the
// user context and the operation's segments.
func streamingTarget(r *http.Request) (user string, rest []string, ok bool) {
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	switch {
	case len(segs) >= 4 && strings.EqualFold(segs[2], "me"):
		return "me", segs[3:], true
	case len(segs) >= 5 && strings.EqualFold(segs[2], "users"):
		u, err := url.PathUnescape(segs[3])
		if err != nil {
			return "", nil, false
		}
		return u, segs[4:], true
	}
	return "", nil, false
}

// isStreamingRequest reports whether r is a GetNotifications call or the
// creation of a streaming subscription (peeking at the body's @odata.type,
// which it leaves readable).
func isStreamingRequest(r *http.Request) bool {
	_, rest, ok := streamingTarget(r)
	if !ok || len(rest) != 1 {
		return false
	}
	switch {
	case strings.EqualFold(rest[0], "getnotifications"):
		return true
	case strings.EqualFold(rest[0], "subscriptions") && r.Method == http.MethodPost && r.Body != nil:
		// The Server has already buffered (and capped) the body.
		body, _ := io.ReadAll(r.Body)
		restoreBody(r, body)
		var probe struct {
			ODataType string `json:"@odata.type"`
		}
		return json.Unmarshal(body, &probe) == nil &&
			strings.HasSuffix(strings.ToLower(probe.ODataType), "streamingsubscription")
	}
	return false
}

func (h *streamRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, rest, _ := streamingTarget(r)
	if strings.EqualFold(rest[0], "getnotifications") {
		if r.Method != http.MethodPost {
			WriteError(w, http.StatusMethodNotAllowed, "ErrorInvalidRequest", "The HTTP method '"+r.Method+"' is not supported for this resource.")
			return
		}
		h.s.serveGetNotifications(w, r, user)
		return
	}
	body, _ := readAllLimited(r)
	h.s.serveSubscribe(w, r, user, body)
}

// ---------------------------------------------------------------- subscribe

func (s *Streaming) serveSubscribe(w http.ResponseWriter, r *http.Request, user string, body []byte) {
	var req struct {
		Resource   string
		ChangeType string
	}
	if err := json.Unmarshal(body, &req); err != nil {
		WriteError(w, http.StatusBadRequest, "RequestBodyRead", "Cannot read the request body: "+err.Error())
		return
	}
	base := "http://" + r.Host
	if r.TLS != nil {
		base = "https://" + r.Host
	}
	sub, status, code, msg := s.newSubscription(user, base, req.Resource, req.ChangeType)
	if sub == nil {
		WriteError(w, status, code, msg)
		return
	}
	ctxUser := "Me"
	if user != "me" {
		ctxUser = sub.userRef
	}
	WriteJSON(w, http.StatusCreated, map[string]any{
		"@odata.context": base + "/api/beta/$metadata#" + ctxUser + "/Subscriptions/$entity",
		"@odata.type":    "#Microsoft.OutlookServices.StreamingSubscription",
		"@odata.id":      base + "/api/beta/" + sub.userRef + "/Subscriptions('" + sub.id + "')",
		"Id":             sub.id,
		"Resource":       sub.resource,
		"ChangeType":     strings.Join(sub.changeTypes, ", ") + ", Missed",
	})
}

// newSubscription validates a subscribe request and stores the
// subscription, or returns the error to answer.
func (s *Streaming) newSubscription(user, base, resource, changeType string) (*streamSub, int, string, string) {
	if strings.TrimSpace(resource) == "" {
		return nil, http.StatusBadRequest, "ErrorInvalidParameter", "The Resource property is required."
	}
	var changes []string
	for part := range strings.SplitSeq(changeType, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ok := false
		for _, c := range []string{"Created", "Updated", "Deleted"} {
			if strings.EqualFold(part, c) {
				if !slices.Contains(changes, c) {
					changes = append(changes, c)
				}
				ok = true
			}
		}
		if !ok {
			return nil, http.StatusBadRequest, "ErrorInvalidParameter", "Invalid ChangeType value '" + part + "'."
		}
	}
	if len(changes) == 0 {
		return nil, http.StatusBadRequest, "ErrorInvalidParameter", "The ChangeType property is required."
	}
	slices.SortFunc(changes, func(a, b string) int { return changeOrder(a) - changeOrder(b) })
	p, err := parseStreamResource(resource)
	if err != nil {
		return nil, http.StatusBadRequest, "ErrorInvalidUrl", "Unsupported subscription resource: " + err.Error()
	}
	if p.user != "" && s.resolveUser(p.user) != s.resolveUser(user) {
		return nil, http.StatusBadRequest, "ErrorInvalidUrl", "The resource belongs to another user than the subscription."
	}
	sub := &streamSub{
		id: newStreamID(48), base: base, resource: resource, changeTypes: changes,
		entity: p.entity, collection: p.collection, folder: p.folder, sel: p.sel,
	}
	if p.filter != "" {
		f, err := ParseFilter(p.filter, nil)
		if err != nil {
			var fe *FilterError
			if errors.As(err, &fe) {
				return nil, http.StatusBadRequest, fe.Code, fe.Message
			}
			return nil, http.StatusBadRequest, "ErrorInvalidUrlQueryFilter", err.Error()
		}
		sub.filter = f
	}
	if s.mailbox != nil {
		u := s.mailbox.Me()
		if !strings.EqualFold(user, "me") {
			u = s.mailbox.User(user)
		}
		if u == nil {
			return nil, http.StatusNotFound, "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it."
		}
		sub.user, sub.userRef = strings.ToLower(u.UPN), "Users('"+u.ID+"')"
		if sub.folder != "" && sub.entity == EntityMessage {
			id := u.FolderID(sub.folder)
			if id == "" {
				return nil, http.StatusNotFound, "ErrorFolderNotFound", "The specified folder could not be found in the store."
			}
			sub.folder = id
		}
	} else {
		sub.user = strings.ToLower(user)
		sub.userRef = "Users('" + user + "')"
	}
	s.mu.Lock()
	now := s.clock()
	sub.created, sub.expires = now, now.Add(s.lifetime)
	s.subs[sub.id] = sub
	s.order = append(s.order, sub)
	s.mu.Unlock()
	return sub, 0, "", ""
}

// resolveUser returns the canonical key of a user context ("me" or a UPN,
// SMTP address or id): the lower-case UPN of the Mailbox user ("" if there
// is none), or without a Mailbox the lower-case key itself.
func (s *Streaming) resolveUser(key string) string {
	if s.mailbox == nil {
		return strings.ToLower(key)
	}
	var u *MailboxUser
	if strings.EqualFold(key, "me") {
		u = s.mailbox.Me()
	} else {
		u = s.mailbox.User(key)
	}
	if u == nil {
		return ""
	}
	return strings.ToLower(u.UPN)
}

func changeOrder(c string) int {
	switch c {
	case "Created":
		return 0
	case "Updated":
		return 1
	}
	return 2
}

type streamResource struct {
	user       string // "" when relative without a user
	entity     EntityType
	collection string
	folder     string
	filter     string
	sel        []string
}

// parseStreamResource understands the resources the service documents.
func parseStreamResource(resource string) (*streamResource, error) {
	u, err := url.Parse(resource)
	if err != nil {
		return nil, err
	}
	path := u.EscapedPath()
	if u.IsAbs() {
		lower := strings.ToLower(path)
		i := strings.Index(lower, "/api/")
		if i < 0 {
			return nil, fmt.Errorf("%q is not an Outlook REST URL", resource)
		}
		path = path[i+len("/api/"):]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j+1:] // drop the version
		} else {
			path = ""
		}
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	p := &streamResource{}
	switch {
	case len(segs) >= 1 && strings.EqualFold(segs[0], "me"):
		p.user, segs = "me", segs[1:]
	case len(segs) >= 2 && strings.EqualFold(segs[0], "users"):
		p.user, _ = url.PathUnescape(segs[1])
		p.user = strings.Trim(p.user, "'")
		segs = segs[2:]
	case len(segs) >= 1 && (strings.HasPrefix(strings.ToLower(segs[0]), "users(")):
		p.user = strings.TrimSuffix(strings.TrimPrefix(segs[0][len("users("):], "'"), ")")
		p.user = strings.TrimSuffix(p.user, "'")
		segs = segs[1:]
	}
	// Split key forms: folder('id') → folder, id.
	var parts []string
	for _, seg := range segs {
		seg, err := url.PathUnescape(seg)
		if err != nil {
			return nil, err
		}
		if i := strings.IndexByte(seg, '('); i > 0 && strings.HasSuffix(seg, ")") {
			key := seg[i+1 : len(seg)-1]
			if len(key) >= 2 && key[0] == '\'' && key[len(key)-1] == '\'' {
				key = strings.ReplaceAll(key[1:len(key)-1], "''", "'")
			}
			parts = append(parts, seg[:i], key)
			continue
		}
		parts = append(parts, seg)
	}
	items := map[string]EntityType{"messages": EntityMessage, "events": EntityEvent, "contacts": EntityContact, "tasks": EntityTask}
	folders := map[string]string{"mailfolders": "messages", "calendars": "events", "contactfolders": "contacts", "taskfolders": "tasks"}
	switch {
	case len(parts) == 1 && items[strings.ToLower(parts[0])] != "":
		p.entity = items[strings.ToLower(parts[0])]
	case len(parts) == 3 && folders[strings.ToLower(parts[0])] != "" && strings.EqualFold(folders[strings.ToLower(parts[0])], parts[2]):
		p.entity = items[strings.ToLower(parts[2])]
		p.folder = parts[1]
		if p.folder == "" {
			return nil, errors.New("empty folder id")
		}
	default:
		return nil, fmt.Errorf("%q is not a collection of messages, events, contacts or tasks", resource)
	}
	p.collection = string(p.entity) + "s"
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, err
	}
	for k, v := range q {
		switch strings.ToLower(k) {
		case "$filter":
			p.filter = v[0]
		case "$select":
			p.sel = SplitList(v[0])
		default:
			return nil, fmt.Errorf("query option %q is not supported in a subscription resource", k)
		}
	}
	return p, nil
}

// ---------------------------------------------------------------- stream

// KeepAliveJSON is the keep-alive object exactly as the service writes it.
const KeepAliveJSON = `{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"}`

func (s *Streaming) serveGetNotifications(w http.ResponseWriter, r *http.Request, user string) {
	body, _ := readAllLimited(r)
	var req struct {
		ConnectionTimeoutInMinutes             *int
		KeepAliveNotificationIntervalInSeconds *int
		SubscriptionIds                        []string
	}
	if err := json.Unmarshal(body, &req); err != nil {
		WriteError(w, http.StatusBadRequest, "RequestBodyRead", "Cannot read the request body: "+err.Error())
		return
	}
	switch {
	case req.ConnectionTimeoutInMinutes == nil || *req.ConnectionTimeoutInMinutes < 1 || *req.ConnectionTimeoutInMinutes > 120:
		WriteError(w, http.StatusBadRequest, "ErrorInvalidParameter", "ConnectionTimeoutInMinutes must be between 1 and 120.")
		return
	case req.KeepAliveNotificationIntervalInSeconds == nil || *req.KeepAliveNotificationIntervalInSeconds < 1 ||
		*req.KeepAliveNotificationIntervalInSeconds > 3600:
		WriteError(w, http.StatusBadRequest, "ErrorInvalidParameter", "KeepAliveNotificationIntervalInSeconds must be between 1 and 3600.")
		return
	case len(req.SubscriptionIds) == 0:
		WriteError(w, http.StatusBadRequest, "ErrorInvalidParameter", "SubscriptionIds must not be empty.")
		return
	}
	timeout := time.Duration(*req.ConnectionTimeoutInMinutes) * time.Minute
	interval := time.Duration(*req.KeepAliveNotificationIntervalInSeconds) * time.Second

	c := &streamConn{wake: make(chan struct{}, 1), abort: make(chan struct{}), end: make(chan struct{})}
	wantUser := s.resolveUser(user) // before s.mu: it locks the Mailbox
	s.mu.Lock()
	if s.maxConn > 0 {
		timeout = min(timeout, s.maxConn)
	}
	now := s.clock()
	var missing []string
	for _, id := range req.SubscriptionIds {
		sub := s.subs[id]
		if sub == nil || s.expiredLocked(sub, now) || sub.user != wantUser {
			missing = append(missing, "'"+id+"'")
			continue
		}
		if !slices.Contains(c.subs, sub) {
			c.subs = append(c.subs, sub)
		}
	}
	if len(missing) > 0 {
		s.mu.Unlock()
		msg := "The subscription " + missing[0] + " was not found or has expired."
		if len(missing) > 1 {
			msg = "The subscriptions " + strings.Join(missing, ", ") + " were not found or have expired."
		}
		WriteError(w, http.StatusNotFound, "ErrorItemNotFound", msg)
		return
	}
	for _, sub := range c.subs {
		sub.conn = c
	}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	defer s.detach(c)

	keep := time.NewTicker(interval)
	defer keep.Stop()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	base := "http://" + r.Host
	if r.TLS != nil {
		base = "https://" + r.Host
	}
	if !s.write(w, rc, []byte(`{"@odata.context":"`+base+`/api/beta/$metadata#Notifications","value":[`)) {
		return
	}
	first := true
	send := func(obj []byte) bool {
		if !first {
			obj = append([]byte{','}, obj...)
		}
		first = false
		return s.write(w, rc, obj)
	}
	for {
		for _, obj := range s.take(c) {
			if !send(obj) {
				return
			}
		}
		select {
		case <-c.wake:
		case <-keep.C:
			if !s.isStalled(c) && !send([]byte(KeepAliveJSON)) {
				return
			}
		case <-deadline.C:
			if s.isStalled(c) {
				// A black hole never ends on its own.
				select {
				case <-r.Context().Done():
					return
				case <-c.abort:
					panic(http.ErrAbortHandler)
				}
			}
			s.write(w, rc, []byte("]}"))
			return
		case <-c.end:
			s.write(w, rc, []byte("]}"))
			return
		case <-c.abort:
			panic(http.ErrAbortHandler)
		case <-r.Context().Done():
			return
		}
	}
}

// write sends one piece of the stream and flushes it.
func (s *Streaming) write(w http.ResponseWriter, rc *http.ResponseController, b []byte) bool {
	if _, err := w.Write(b); err != nil {
		return false
	}
	return rc.Flush() == nil
}

func (s *Streaming) isStalled(c *streamConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return c.stalled
}

// take removes the queued notifications of c's subscriptions and renders
// them (nothing if c is a black hole: they are lost).
func (s *Streaming) take(c *streamConn) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	var out [][]byte
	for _, sub := range c.subs {
		if sub.conn != c || len(sub.queue) == 0 {
			continue
		}
		q := sub.queue
		sub.queue = nil
		if c.stalled {
			continue
		}
		for _, n := range q {
			out = append(out, notificationJSON(sub.id, now.Add(s.lifetime), n))
		}
	}
	return out
}

// detach ends c's hold on its subscriptions; their lifetime starts now.
func (s *Streaming) detach(c *streamConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	for _, sub := range c.subs {
		if sub.conn == c {
			sub.conn = nil
			sub.expires = now.Add(s.lifetime)
		}
	}
	delete(s.conns, c)
}

func readAllLimited(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(io.LimitReader(r.Body, 1<<20))
}

func restoreBody(r *http.Request, body []byte) {
	r.Body = io.NopCloser(bytes.NewReader(body))
}
