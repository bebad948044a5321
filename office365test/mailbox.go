package office365test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/office365-go/office365/office365test/internal/mailstore"
	"github.com/office365-go/office365/office365test/internal/odatapath"
)

// Mailbox is an in-memory fake of the Outlook REST API (v1.0, v2.0 and beta
// roots) serving any number of users' mailboxes: messages, attachments, mail
// folders, Inbox rules, Focused Inbox overrides, mailbox settings, MailTips,
// message and folder sync, with the service's status codes, error bodies and
// OData behaviour ($filter, $select, $orderby, $top/$skip with nextLink,
// $count, $search, $expand=Attachments, Prefer headers); beside mail, the
// calendar, contacts, tasks and photo routes, extended properties and open
// extensions (see the package documentation).
//
//	srv := office365test.NewServer()
//	mb := office365test.NewMailbox(office365test.WithSampleData())
//	mb.Register(srv) // mounts /api/
//	client, _ := outlook.New(auth.StaticToken("t"), office365.WithBaseURL(srv.URL()))
//
// Messages sent to a user of the fake land in that user's Inbox (after the
// user's Inbox rules); every sent message also gets a copy in the sender's
// Sent Items (unless SaveToSentItems is false) and an entry in Sent.
//
// # Extending it
//
// The store is generic so the Calendar, Contacts, Tasks, Photo, Batch, Push
// and Streaming fakes (in their own files) build on it:
//
//   - Records: every entity of a user is a Record (type, id, folder, JSON
//     document with PascalCase keys). MailboxUser.Insert/Update/Delete/Get/
//     Records change and read them under the mailbox lock; handlers use the
//     unexported *Locked variants (they already hold it).
//   - Change feed: Subscribe receives a Change for every mutation (created,
//     updated, deleted; a move is a Deleted plus a Created), in order — what
//     push and streaming notifications are made of.
//   - Routing: Handle registers more resource handlers on the same mux,
//     relative to the user context ("events/{id}/accept"); HandleStream
//     registers long-lived handlers that run without the lock. Handlers
//     run inside the mailbox's middleware (the Extensibility fake), which
//     dispatch applies to every route whenever it was added.
//   - Documents: ParseFilter, ParseOrderBy, SortDocuments and
//     SelectProperties implement the OData options over Records' documents.
//
// A Mailbox is safe for concurrent use.
type Mailbox struct {
	st       *mailstore.Store
	mu       *sync.Mutex // the store's lock; it also guards the fields below
	clockSet bool
	routes   []*mbRoute
	mws      []mailboxMiddleware
	sent     []SentMessage
	sample   bool
}

// MailboxOption configures a Mailbox.
type MailboxOption func(*Mailbox)

// WithMailboxClock sets the clock used for timestamps (default: the
// Server's clock once registered, else time.Now).
func WithMailboxClock(now func() time.Time) MailboxOption {
	return func(m *Mailbox) { m.st.SetClockLocked(now); m.clockSet = true }
}

// WithTenantID sets the tenant id used in user ids ("{oid}@{tenant}").
func WithTenantID(id string) MailboxOption {
	return func(m *Mailbox) { m.st.SetTenantIDLocked(id) }
}

// WithSampleData seeds realistic sample data (see SeedSampleData).
func WithSampleData() MailboxOption { return func(m *Mailbox) { m.sample = true } }

// NewMailbox returns an empty fake (add users with AddUser) unless
// WithSampleData is given.
func NewMailbox(opts ...MailboxOption) *Mailbox {
	st := mailstore.New("72f988bf-86f1-41af-91ab-2d7cd011db47", time.Now)
	m := &Mailbox{st: st, mu: &st.Mu}
	for _, o := range opts {
		o(m)
	}
	m.registerMail()
	for _, ext := range mailboxExtensions {
		ext(m)
	}
	if m.sample {
		m.SeedSampleData()
	}
	return m
}

// mailboxExtensions run in NewMailbox after the Mail routes, in the order
// they were added. The fakes of the other Outlook APIs add themselves from
// an init function in their own file:
//
//	func init() { mailboxExtensions = append(mailboxExtensions, (*Mailbox).registerPIM) }
//
// An extension registers its routes with Handle and may seed per-user
// defaults lazily.
var mailboxExtensions []func(*Mailbox)

// Register mounts the fake on s at /api/ and, unless WithMailboxClock was
// given, uses the server's clock.
func (m *Mailbox) Register(s *Server) {
	m.mu.Lock()
	if !m.clockSet {
		m.st.SetClockLocked(s.Now)
	}
	m.mu.Unlock()
	s.Mount("/api/", m.Handler())
}

// Handler returns the fake's http.Handler (for paths /api/{version}/…), to
// mount it yourself or wrap it.
func (m *Mailbox) Handler() http.Handler { return http.HandlerFunc(m.serveHTTP) }

func (m *Mailbox) clock() time.Time { return m.st.Clock() }

// ---------------------------------------------------------------- users

// MailboxUser is one user's mailbox in the fake.
type MailboxUser struct {
	m  *Mailbox
	su *mailstore.User
	// UPN is the user principal name and primary SMTP address.
	UPN string
	// DisplayName is the user's name.
	DisplayName string
	// ID is the user's id as the service shows it: "{object id}@{tenant id}".
	ID string
}

// AddUser adds a user with the standard well-known folders and default
// settings, or returns the existing one (UPNs compare case-insensitively).
// The first user added is "me" unless SetMe says otherwise.
func (m *Mailbox) AddUser(upn, displayName string) *MailboxUser {
	m.mu.Lock()
	u := m.addUserLocked(upn, displayName)
	m.mu.Unlock()
	m.st.Flush()
	return u
}

func (m *Mailbox) addUserLocked(upn, displayName string) *MailboxUser {
	su, created := m.st.AddUserLocked(upn, displayName)
	if !created {
		return m.wrap(su)
	}
	u := &MailboxUser{m: m, su: su, UPN: su.UPN, DisplayName: su.DisplayName, ID: su.ID}
	su.Front = u
	u.createDefaultFolders()
	su.Settings = defaultSettings()
	return u
}

// wrap returns the MailboxUser of a store user (nil for nil).
func (m *Mailbox) wrap(su *mailstore.User) *MailboxUser {
	if su == nil {
		return nil
	}
	return su.Front.(*MailboxUser)
}

// userLocked returns the user with that UPN, SMTP address or id, or nil.
func (m *Mailbox) userLocked(key string) *MailboxUser { return m.wrap(m.st.UserLocked(key)) }

func (m *Mailbox) usersLocked() []*MailboxUser {
	var out []*MailboxUser
	for _, su := range m.st.UsersLocked() {
		out = append(out, m.wrap(su))
	}
	return out
}

// User returns the user with that UPN, SMTP address or id, or nil.
func (m *Mailbox) User(key string) *MailboxUser {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.userLocked(key)
}

// Users returns every user in the order they were added.
func (m *Mailbox) Users() []*MailboxUser {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.usersLocked()
}

// SetMe makes upn the user "me" resolves to for tokens not mapped with
// MapToken. It returns false if there is no such user.
func (m *Mailbox) SetMe(upn string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.SetMeLocked(upn)
}

// MapToken makes requests bearing token resolve "me" to upn.
func (m *Mailbox) MapToken(token, upn string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.MapTokenLocked(token, upn)
}

// Me returns the default "me" user (nil before any AddUser).
func (m *Mailbox) Me() *MailboxUser {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.wrap(m.st.MeLocked(""))
}

// DisableREST makes every request to this user's mailbox fail with 404 and
// code (MailboxNotEnabledForRESTAPI when empty, or
// MailboxNotSupportedForRESTAPI), as for a mailbox not on REST yet.
func (u *MailboxUser) DisableREST(code string) {
	if code == "" {
		code = "MailboxNotEnabledForRESTAPI"
	}
	u.m.mu.Lock()
	u.su.RESTCode = code
	u.m.mu.Unlock()
}

// ---------------------------------------------------------------- records

// The store's vocabulary (internal/mailstore), part of the Mailbox API.
type (
	// Entity is a JSON document with the service's PascalCase property
	// names.
	Entity = mailstore.Entity
	// EntityType names the kind of a Record.
	EntityType = mailstore.EntityType
	// Record is one stored entity: Type, ID, FolderID (the containing
	// folder, "" when none), Doc (the properties as the service returns
	// them; change it through Update), Attachments, Seq (the change
	// sequence number of its last mutation) and Order (creation order).
	Record = mailstore.Record
	// ChangeKind is the kind of a Change.
	ChangeKind = mailstore.ChangeKind
	// Change is one mutation of the store, delivered to Subscribe
	// callbacks: User (UPN) and UserID, EntityType, ID, FolderID (where the
	// entity is, or was when deleted), Kind, Seq (orders changes across the
	// fake), Time, and copies of the entity after (Entity, nil for
	// Deleted) and before (Previous, nil for Created) the change.
	Change = mailstore.Change
)

// Entity types of the store. The Mail fake uses the first four; the others
// are served by the fakes of the other Outlook APIs.
const (
	EntityMessage         = mailstore.EntityMessage
	EntityMailFolder      = mailstore.EntityMailFolder
	EntityMessageRule     = mailstore.EntityMessageRule
	EntityInferenceRule   = mailstore.EntityInferenceRule
	EntityEvent           = mailstore.EntityEvent
	EntityCalendar        = mailstore.EntityCalendar
	EntityCalendarGroup   = mailstore.EntityCalendarGroup
	EntityContact         = mailstore.EntityContact
	EntityContactFolder   = mailstore.EntityContactFolder
	EntityTask            = mailstore.EntityTask
	EntityTaskFolder      = mailstore.EntityTaskFolder
	EntityTaskGroup       = mailstore.EntityTaskGroup
	EntitySubscription    = mailstore.EntitySubscription
	EntityMailboxSettings = mailstore.EntityMailboxSettings
)

// Change kinds.
const (
	ChangeCreated = mailstore.ChangeCreated
	ChangeUpdated = mailstore.ChangeUpdated
	ChangeDeleted = mailstore.ChangeDeleted
)

type tombstone = mailstore.Tombstone

// Subscribe calls fn for every change, in order, one call at a time and
// without the mailbox lock held (fn may read or even change the mailbox;
// changes it makes are delivered after it returns). The returned function
// unsubscribes.
func (m *Mailbox) Subscribe(fn func(Change)) (unsubscribe func()) { return m.st.Subscribe(fn) }

// flush delivers pending changes; see mailstore.Store.Flush.
func (m *Mailbox) flush() { m.st.Flush() }

func (u *MailboxUser) emitLocked(kind ChangeKind, r *Record, prev Entity) {
	u.su.EmitLocked(kind, r, prev)
}

func (u *MailboxUser) insertLocked(typ EntityType, folderID string, doc Entity) *Record {
	return u.su.InsertLocked(typ, folderID, doc)
}

func (u *MailboxUser) touchLocked(r *Record, prev Entity) { u.su.TouchLocked(r, prev) }

func (u *MailboxUser) removeLocked(r *Record) { u.su.RemoveLocked(r) }

func (u *MailboxUser) recordsLocked(typ EntityType, folderID string) []*Record {
	return u.su.RecordsLocked(typ, folderID)
}

// Insert stores a new entity of type typ in folderID and returns its id.
// doc is copied; "Id" is generated unless set.
func (u *MailboxUser) Insert(typ EntityType, folderID string, doc Entity) string {
	u.m.mu.Lock()
	r := u.insertLocked(typ, folderID, deepCopy(doc).(Entity))
	u.m.mu.Unlock()
	u.m.flush()
	return r.ID
}

// Update applies fn to a copy of the entity's document under the lock and
// stores the result (emitting Updated). It returns false if there is no
// such entity.
func (u *MailboxUser) Update(id string, fn func(doc Entity)) bool {
	u.m.mu.Lock()
	r := u.su.Items[id]
	if r != nil {
		prev := deepCopy(r.Doc).(Entity)
		fn(r.Doc)
		u.touchLocked(r, prev)
	}
	u.m.mu.Unlock()
	u.m.flush()
	return r != nil
}

// Delete removes an entity (emitting Deleted). It returns false if there
// is no such entity.
func (u *MailboxUser) Delete(id string) bool {
	u.m.mu.Lock()
	r := u.su.Items[id]
	if r != nil {
		u.removeLocked(r)
	}
	u.m.mu.Unlock()
	u.m.flush()
	return r != nil
}

// Get returns a copy of an entity's document and its folder.
func (u *MailboxUser) Get(id string) (doc Entity, folderID string, ok bool) {
	u.m.mu.Lock()
	defer u.m.mu.Unlock()
	r := u.su.Items[id]
	if r == nil {
		return nil, "", false
	}
	return deepCopy(r.Doc).(Entity), r.FolderID, true
}

// Records returns copies of the user's records of type typ, in folderID
// when non-empty (a folder id or well-known name), in creation order.
func (u *MailboxUser) Records(typ EntityType, folderID string) []Record {
	u.m.mu.Lock()
	defer u.m.mu.Unlock()
	if folderID != "" {
		if f := u.folderLocked(folderID); f != nil {
			folderID = f.ID
		}
	}
	var out []Record
	for _, r := range u.recordsLocked(typ, folderID) {
		cp := *r
		cp.Doc = deepCopy(r.Doc).(Entity)
		cp.Attachments = deepCopy(r.Attachments).([]Entity)
		out = append(out, cp)
	}
	return out
}

// ---------------------------------------------------------------- routing

// MailboxRequest is a request routed to a Handle handler, with the user
// context resolved.
type MailboxRequest struct {
	// R is the HTTP request; Body its (already read) body.
	R    *http.Request
	Body []byte
	// Mailbox is the fake; User the addressed mailbox.
	Mailbox *Mailbox
	User    *MailboxUser
	// Version is "v1.0", "v2.0" or "beta".
	Version string
	// Segments are the unescaped path segments after the user context, with
	// key forms split: "messages('A/B')" → "messages", "A/B".
	Segments []string
	params   map[string]string
	query    map[string]string // lower-case option name → value
	base     string            // scheme://host/api/{version}
	userRef  string            // "Users('{id}')"
	ctxRef   string            // "Me" or "Users('{id}')", for @odata.context
}

// Param returns a path parameter of the route pattern ("{id}" → "id").
func (rq *MailboxRequest) Param(name string) string { return rq.params[name] }

// Query returns a query option by name, case-insensitively ("$top").
func (rq *MailboxRequest) Query(name string) string { return rq.query[strings.ToLower(name)] }

// HasQuery reports whether the query option is present.
func (rq *MailboxRequest) HasQuery(name string) bool {
	_, ok := rq.query[strings.ToLower(name)]
	return ok
}

// DecodeJSON decodes the body into v.
func (rq *MailboxRequest) DecodeJSON(v any) error {
	dec := json.NewDecoder(strings.NewReader(string(rq.Body)))
	dec.UseNumber()
	return dec.Decode(v)
}

// Prefer returns the request's preferences: lower-case name → value
// (unquoted; "" for valueless ones), from every Prefer header, comma-joined
// or not.
func (rq *MailboxRequest) Prefer() map[string]string {
	return parsePrefer(rq.R.Header.Values("Prefer"))
}

// ServiceRoot returns "{scheme}://{host}/api/{version}" as the client
// reached it.
func (rq *MailboxRequest) ServiceRoot() string { return rq.base }

// UserRef returns the user segment of canonical URLs: "Users('{oid}@{tid}')".
func (rq *MailboxRequest) UserRef() string { return rq.userRef }

// EntityURL returns the canonical "@odata.id" of an entity in a collection,
// e.g. EntityURL("Messages", id).
func (rq *MailboxRequest) EntityURL(collection, id string) string {
	return rq.base + "/" + rq.userRef + "/" + collection + "('" + strings.ReplaceAll(id, "'", "''") + "')"
}

// Context returns an "@odata.context" URL for a fragment relative to the
// user, e.g. Context("Messages/$entity") →
// "{root}/$metadata#Me/Messages/$entity" (or "#Users('…')/…").
func (rq *MailboxRequest) Context(fragment string) string {
	return rq.base + "/$metadata#" + rq.ctxRef + "/" + fragment
}

// Reply is what a Handle handler answers.
type Reply struct {
	Status int
	Header http.Header
	// JSON is encoded as the body unless nil; Raw is sent as is with
	// ContentType otherwise.
	JSON        any
	Raw         []byte
	ContentType string
}

// JSONReply answers status with v as JSON.
func JSONReply(status int, v any) *Reply { return &Reply{Status: status, JSON: v} }

// ErrorReply answers an OData error.
func ErrorReply(status int, code, message string) *Reply {
	return &Reply{Status: status, JSON: map[string]any{"error": map[string]any{"code": code, "message": message}}}
}

// EmptyReply answers status (202, 204) with no body.
func EmptyReply(status int) *Reply { return &Reply{Status: status} }

func (rp *Reply) write(w http.ResponseWriter) {
	for k, vs := range rp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	switch {
	case rp.JSON != nil:
		WriteJSON(w, rp.Status, rp.JSON)
	case rp.Raw != nil:
		if rp.ContentType != "" {
			w.Header().Set("Content-Type", rp.ContentType)
		}
		w.WriteHeader(rp.Status)
		_, _ = w.Write(rp.Raw)
	default:
		w.WriteHeader(rp.Status)
	}
}

// MailboxHandler handles a routed request with the mailbox locked: it may
// use the *Locked store functions and must not block.
type MailboxHandler func(rq *MailboxRequest) *Reply

type mbRoute struct {
	method string
	segs   []string
	h      MailboxHandler
	stream func(http.ResponseWriter, *MailboxRequest)
	beta   bool
}

// Handle registers h for method and pattern, relative to the user context:
// literal segments match case-insensitively, "{name}" captures one segment
// (ids, which are case-sensitive). "messages/{id}" also serves
// "messages('{id}')". When several patterns match, the one with more
// literal segments wins. Later registrations of the same pattern replace
// earlier ones.
func (m *Mailbox) Handle(method, pattern string, h MailboxHandler) {
	m.addRoute(&mbRoute{method: method, segs: splitPattern(pattern), h: h})
}

// HandleBeta is Handle for an operation that exists only on the beta root;
// other versions answer it as an unknown segment.
func (m *Mailbox) HandleBeta(method, pattern string, h MailboxHandler) {
	m.addRoute(&mbRoute{method: method, segs: splitPattern(pattern), h: h, beta: true})
}

// HandleStream registers a handler that writes the response itself and runs
// without the mailbox lock (long-lived or streaming responses). It must
// lock the mailbox (via the exported store methods) to touch data.
func (m *Mailbox) HandleStream(method, pattern string, h func(w http.ResponseWriter, rq *MailboxRequest)) {
	m.addRoute(&mbRoute{method: method, segs: splitPattern(pattern), stream: h})
}

// mailboxMiddleware wraps the handler of every routed request (not
// HandleStream routes), whenever the route was added: dispatch applies the
// chain just before the route's handler runs, so a middleware installed by
// one fake covers the routes of every other, whatever the order in which
// they registered. The first installed is the outermost.
type mailboxMiddleware struct {
	key  any // identifies the middleware: installing it again replaces it
	wrap func(next MailboxHandler) MailboxHandler
}

// use installs (or, for a key already installed, replaces) a middleware.
func (m *Mailbox) use(key any, wrap func(next MailboxHandler) MailboxHandler) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, mw := range m.mws {
		if mw.key == key {
			m.mws[i].wrap = wrap
			return
		}
	}
	m.mws = append(m.mws, mailboxMiddleware{key: key, wrap: wrap})
}

// handlerLocked returns the route's handler inside the middleware chain.
func (m *Mailbox) handlerLocked(rt *mbRoute) MailboxHandler {
	h := rt.h
	for i := len(m.mws) - 1; i >= 0; i-- {
		h = m.mws[i].wrap(h)
	}
	return h
}

func splitPattern(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func (m *Mailbox) addRoute(r *mbRoute) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range m.routes {
		if strings.EqualFold(x.method, r.method) && slices.EqualFunc(x.segs, r.segs, strings.EqualFold) {
			m.routes[i] = r
			return
		}
	}
	m.routes = append(m.routes, r)
}

func (m *Mailbox) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rep := m.serve(w, r); rep != nil {
		rep.write(w)
	}
}

// serve runs r through the mailbox's routing and answers with a Reply
// (not yet written), or, for a streaming route, writes the response to w
// itself and returns nil. The Outlook front end writes the Reply; the
// Graph front end translates it first.
func (m *Mailbox) serve(w http.ResponseWriter, r *http.Request) *Reply {
	segs, err := odatapath.Segments(r.URL.EscapedPath())
	if err != nil || len(segs) < 2 || !strings.EqualFold(segs[0], "api") {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrl", "The URL is malformed.")
	}
	version := strings.ToLower(segs[1])
	if version != "v1.0" && version != "v2.0" && version != "beta" {
		return ErrorReply(http.StatusNotFound, "ErrorInvalidUrl", "Unknown API version '"+segs[1]+"'.")
	}
	rest := segs[2:]
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	rq := &MailboxRequest{R: r, Mailbox: m, Version: version, base: scheme + "://" + r.Host + "/api/" + version}
	if r.Body != nil {
		rq.Body, _ = io.ReadAll(io.LimitReader(r.Body, 64<<20))
	}
	rq.query = map[string]string{}
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
		for k, v := range q {
			rq.query[strings.ToLower(k)] = v[0]
		}
	} else {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The query string is malformed: "+err.Error())
	}

	m.mu.Lock()
	var user *MailboxUser
	switch {
	case len(rest) >= 1 && strings.EqualFold(rest[0], "me"):
		token := ""
		if a := r.Header.Get("Authorization"); len(a) > 7 {
			token = a[7:]
		}
		user = m.wrap(m.st.MeLocked(token))
		rest = rest[1:]
		rq.userRef = "Users('" + userIDOrEmpty(user) + "')"
		rq.ctxRef = "Me"
	case len(rest) >= 2 && strings.EqualFold(rest[0], "users"):
		user = m.userLocked(rest[1])
		rest = rest[2:]
		rq.userRef = "Users('" + userIDOrEmpty(user) + "')"
		rq.ctxRef = rq.userRef
	default:
		m.mu.Unlock()
		return ErrorReply(http.StatusNotFound, "ErrorInvalidUrl", "Resource not found for the segment '"+strings.Join(rest, "/")+"'.")
	}
	if user == nil {
		m.mu.Unlock()
		return ErrorReply(http.StatusNotFound, "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.")
	}
	if user.su.RESTCode != "" {
		code := user.su.RESTCode
		m.mu.Unlock()
		return ErrorReply(http.StatusNotFound, code, "REST API is not yet supported for this mailbox.")
	}
	rq.User, rq.Segments = user, rest
	route, params, methodOK := m.matchLocked(r.Method, rest, version)
	if route == nil {
		m.mu.Unlock()
		if methodOK {
			return ErrorReply(http.StatusMethodNotAllowed, "ErrorInvalidRequest", "The HTTP method '"+r.Method+"' is not supported for this resource.")
		}
		return ErrorReply(http.StatusNotFound, "ErrorInvalidUrl", "Resource not found for the segment '"+strings.Join(rest, "/")+"'.")
	}
	rq.params = params
	if route.stream != nil {
		m.mu.Unlock()
		route.stream(w, rq)
		m.flush()
		return nil
	}
	rep := m.handlerLocked(route)(rq)
	m.mu.Unlock()
	m.flush()
	return rep
}

func userIDOrEmpty(u *MailboxUser) string {
	if u == nil {
		return ""
	}
	return u.ID
}

// matchLocked finds the best route. methodOK reports a path that matched
// with another method.
func (m *Mailbox) matchLocked(method string, segs []string, version string) (*mbRoute, map[string]string, bool) {
	var (
		best      *mbRoute
		bestScore = -1
		bestP     map[string]string
		pathMatch bool
	)
	for _, rt := range m.routes {
		if len(rt.segs) != len(segs) || (rt.beta && version != "beta") {
			continue
		}
		params := map[string]string{}
		score := 0
		ok := true
		for i, p := range rt.segs {
			if len(p) > 2 && p[0] == '{' && p[len(p)-1] == '}' {
				params[p[1:len(p)-1]] = segs[i]
				continue
			}
			if !strings.EqualFold(p, segs[i]) {
				ok = false
				break
			}
			score++
		}
		if !ok {
			continue
		}
		if !strings.EqualFold(rt.method, method) {
			pathMatch = true
			continue
		}
		if score > bestScore {
			best, bestScore, bestP = rt, score, params
		}
	}
	return best, bestP, pathMatch
}

// ---------------------------------------------------------------- helpers

func fmtTime(t time.Time) string { return mailstore.FmtTime(t) }

// deepCopy copies JSON-shaped values (maps, slices, scalars).
func deepCopy(v any) any { return mailstore.DeepCopy(v) }

// parsePrefer parses Prefer header values into lower-case name → value.
func parsePrefer(values []string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for _, part := range splitOutsideQuotes(v, ',') {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			name, val, _ := strings.Cut(part, "=")
			val = strings.TrimSpace(val)
			if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
				val = val[1 : len(val)-1]
			}
			out[strings.ToLower(strings.TrimSpace(name))] = val
		}
	}
	return out
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	inQ, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQ = !inQ
		case sep:
			if !inQ {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
