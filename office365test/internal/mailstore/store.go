// Package mailstore is the protocol-free state of the fake mailbox: users'
// mailboxes as records (messages, folders, events, contacts, tasks, rules,
// settings …, each a JSON-shaped document), the ids and change keys the
// service hands out, deletion tombstones for sync, and the change feed that
// delta, push, streaming and Graph notifications are made of.
//
// The front ends (the Outlook REST API in office365test, Microsoft Graph in
// internal/graphmail) serve the same Store, so a change made through one is
// visible through the other. Documents are kept in one vocabulary — the
// Outlook REST property names — that the Graph front end translates.
//
// A Store is safe for concurrent use: Mu guards all of it. Methods named
// …Locked must be called with Mu held; a mutation's changes are delivered
// by Flush, which callers run after releasing Mu.
package mailstore

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Entity is a JSON document with the service's PascalCase property names.
type Entity = map[string]any

// EntityType names the kind of a Record.
type EntityType string

// Entity types of the store.
const (
	EntityMessage         EntityType = "Message"
	EntityMailFolder      EntityType = "MailFolder"
	EntityMessageRule     EntityType = "MessageRule"
	EntityInferenceRule   EntityType = "InferenceClassificationOverride"
	EntityEvent           EntityType = "Event"
	EntityCalendar        EntityType = "Calendar"
	EntityCalendarGroup   EntityType = "CalendarGroup"
	EntityContact         EntityType = "Contact"
	EntityContactFolder   EntityType = "ContactFolder"
	EntityTask            EntityType = "Task"
	EntityTaskFolder      EntityType = "TaskFolder"
	EntityTaskGroup       EntityType = "TaskGroup"
	EntitySubscription    EntityType = "Subscription"
	EntityMailboxSettings EntityType = "MailboxSettings"
)

// Record is one stored entity.
type Record struct {
	Type EntityType
	ID   string
	// FolderID is the containing folder (messages: mail folder; folders:
	// parent folder; events: calendar …); "" when not in a folder.
	FolderID string
	// Doc holds the properties as the service returns them; the only
	// annotation kept in it is "@odata.type" of derived types
	// (EventMessage). Treat it as owned by the store: change it through
	// Update.
	Doc Entity
	// Attachments of a message or event, each with its "@odata.type".
	Attachments []Entity
	// Seq is the change sequence number of the last mutation (sync order).
	Seq uint64
	// Order is the creation order.
	Order uint64
}

// ChangeKind is the kind of a Change.
type ChangeKind string

// Change kinds.
const (
	ChangeCreated ChangeKind = "Created"
	ChangeUpdated ChangeKind = "Updated"
	ChangeDeleted ChangeKind = "Deleted"
)

// Change is one mutation of the store, delivered to Subscribe callbacks.
type Change struct {
	// User is the UPN of the mailbox; UserID its "{oid}@{tenant}" id.
	User, UserID string
	EntityType   EntityType
	ID           string
	// FolderID is the folder the entity is (Created, Updated) or was
	// (Deleted) in.
	FolderID string
	Kind     ChangeKind
	// Seq orders changes across the whole fake.
	Seq  uint64
	Time time.Time
	// Entity is a copy of the entity after the change (nil for Deleted);
	// Previous a copy before it (nil for Created).
	Entity, Previous Entity
}

// Tombstone marks a deleted record for sync.
type Tombstone struct {
	Type     EntityType
	ID       string
	FolderID string
	Seq      uint64
}

// Store holds every user's mailbox.
type Store struct {
	// Mu guards the store and every record in it.
	Mu sync.Mutex

	users    []*User
	byKey    map[string]*User // lower-case UPN, SMTP aliases and object ids
	me       *User
	tokens   map[string]*User
	tenantID string
	now      func() time.Time
	seq      uint64 // change sequence
	order    uint64 // creation order
	idn      uint64
	subs     map[int]func(Change)
	subN     int
	pending  []Change
	emitMu   sync.Mutex
}

// New returns an empty store for the tenant, with the clock now.
func New(tenantID string, now func() time.Time) *Store {
	return &Store{byKey: map[string]*User{}, tokens: map[string]*User{}, tenantID: tenantID, now: now,
		subs: map[int]func(Change){}}
}

// TenantID returns the tenant id used in user ids.
func (s *Store) TenantID() string { return s.tenantID }

// SetTenantIDLocked changes the tenant id (before any user is added).
func (s *Store) SetTenantIDLocked(id string) { s.tenantID = id }

// SetClockLocked replaces the clock.
func (s *Store) SetClockLocked(now func() time.Time) { s.now = now }

// Clock returns the store clock's current time in UTC.
func (s *Store) Clock() time.Time { return s.now().UTC() }

// SeqLocked returns the sequence number of the latest change.
func (s *Store) SeqLocked() uint64 { return s.seq }

// ---------------------------------------------------------------- users

// User is one user's mailbox.
type User struct {
	s *Store
	// UPN is the user principal name and primary SMTP address.
	UPN string
	// DisplayName is the user's name.
	DisplayName string
	// ID is the user's id as the service shows it: "{object id}@{tenant id}".
	ID string

	// Items are the user's records by id.
	Items map[string]*Record
	// WellKnown maps lower-case well-known folder names to folder ids.
	WellKnown map[string]string
	// Tombstones are the deletions, oldest first.
	Tombstones []Tombstone
	// Settings is the mailbox settings document.
	Settings Entity
	// RESTCode, when set, is the error code every request to the mailbox
	// fails with (a mailbox not enabled for REST).
	RESTCode string
	// Front is the front end's own value for the user.
	Front any
}

// AddUserLocked adds a user, or returns the existing one (UPNs compare
// case-insensitively); created reports a new user. The first user added is
// "me" unless SetMeLocked says otherwise.
func (s *Store) AddUserLocked(upn, displayName string) (u *User, created bool) {
	if u := s.byKey[strings.ToLower(upn)]; u != nil {
		return u, false
	}
	if displayName == "" {
		displayName = upn
	}
	h := sha256.Sum256([]byte("user:" + strings.ToLower(upn)))
	oid := fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
	u = &User{s: s, UPN: upn, DisplayName: displayName, ID: oid + "@" + s.tenantID,
		Items: map[string]*Record{}, WellKnown: map[string]string{}}
	s.users = append(s.users, u)
	s.byKey[strings.ToLower(upn)] = u
	s.byKey[strings.ToLower(u.ID)] = u
	s.byKey[oid] = u // Graph addresses users by object id alone
	if s.me == nil {
		s.me = u
	}
	return u, true
}

// UserLocked returns the user with that UPN, SMTP address or id, or nil.
func (s *Store) UserLocked(key string) *User { return s.byKey[strings.ToLower(key)] }

// UsersLocked returns every user in the order they were added.
func (s *Store) UsersLocked() []*User { return slices.Clone(s.users) }

// SetMeLocked makes upn the default "me"; false if there is no such user.
func (s *Store) SetMeLocked(upn string) bool {
	u := s.byKey[strings.ToLower(upn)]
	if u != nil {
		s.me = u
	}
	return u != nil
}

// MapTokenLocked makes "me" resolve to upn for requests bearing token.
func (s *Store) MapTokenLocked(token, upn string) bool {
	u := s.byKey[strings.ToLower(upn)]
	if u != nil {
		s.tokens[token] = u
	}
	return u != nil
}

// MeLocked returns the user "me" is for token (the default "me" when the
// token is not mapped; nil before any user).
func (s *Store) MeLocked(token string) *User {
	if u := s.tokens[token]; u != nil && token != "" {
		return u
	}
	return s.me
}

// ---------------------------------------------------------------- changes

// Subscribe calls fn for every change, in order, one call at a time and
// without the lock held (fn may read or even change the store; changes it
// makes are delivered after it returns). The returned function
// unsubscribes.
func (s *Store) Subscribe(fn func(Change)) (unsubscribe func()) {
	s.Mu.Lock()
	s.subN++
	id := s.subN
	s.subs[id] = fn
	s.Mu.Unlock()
	return func() {
		s.Mu.Lock()
		delete(s.subs, id)
		s.Mu.Unlock()
	}
}

// Flush delivers pending changes. Call it after every mutation, without
// the lock; a concurrent Flush already running delivers ours.
func (s *Store) Flush() {
	for {
		if !s.emitMu.TryLock() {
			return
		}
		s.Mu.Lock()
		batch := s.pending
		s.pending = nil
		ids := make([]int, 0, len(s.subs))
		for id := range s.subs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		subs := make([]func(Change), 0, len(ids))
		for _, id := range ids {
			subs = append(subs, s.subs[id])
		}
		s.Mu.Unlock()
		for _, c := range batch {
			for _, fn := range subs {
				fn(c)
			}
		}
		s.emitMu.Unlock()
		s.Mu.Lock()
		more := len(s.pending) > 0
		s.Mu.Unlock()
		if !more {
			return
		}
	}
}

// RefreshPendingLocked updates the document of r's latest pending change
// (a Created or Updated change not delivered yet) to r's current one, for a
// mutation finished after it was recorded.
func (s *Store) RefreshPendingLocked(r *Record) {
	if n := len(s.pending); n > 0 && s.pending[n-1].ID == r.ID && s.pending[n-1].Kind != ChangeDeleted {
		s.pending[n-1].Entity = DeepCopy(r.Doc).(Entity)
	}
}

// EmitLocked records a change of r (prev is its document before the
// change, or nil).
func (u *User) EmitLocked(kind ChangeKind, r *Record, prev Entity) {
	c := Change{User: u.UPN, UserID: u.ID, EntityType: r.Type, ID: r.ID, FolderID: r.FolderID, Kind: kind,
		Seq: r.Seq, Time: u.s.Clock()}
	if kind != ChangeDeleted {
		c.Entity = DeepCopy(r.Doc).(Entity)
	}
	if prev != nil {
		c.Previous = prev
	}
	u.s.pending = append(u.s.pending, c)
}

// ---------------------------------------------------------------- ids

// NewIDLocked returns an opaque id in the style of Exchange ids: base64
// with "/", "+" and "=" in it, so clients must escape ids in paths.
func (s *Store) NewIDLocked(kind string) string {
	s.idn++
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], s.idn)
	h := sha256.Sum256(append([]byte(kind+":"+s.tenantID+":"), b[:]...))
	raw := append([]byte{0, 0, 0x4d, 0x6b, 0x41, 0x47}, h[:28]...) // "AAAATWtBR…" prefix
	id := []byte(base64.StdEncoding.EncodeToString(raw))           // 34 bytes → "==" padding
	id[12], id[24] = '/', '+'
	return string(id)
}

// NewChangeKeyLocked returns a fresh change key.
func (s *Store) NewChangeKeyLocked() string {
	s.idn++
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], s.idn)
	h := sha256.Sum256(append([]byte("ck"), b[:]...))
	return "CQAAABYAAAA" + base64.StdEncoding.EncodeToString(h[:12])
}

// NextSeqLocked advances and returns the change sequence.
func (s *Store) NextSeqLocked() uint64 { s.seq++; return s.seq }

// ---------------------------------------------------------------- records

var itemTypes = map[EntityType]bool{EntityMessage: true, EntityEvent: true, EntityContact: true, EntityTask: true}

// InsertLocked stores a new record (the id is generated unless doc has
// "Id") and emits Created. Items get CreatedDateTime, LastModifiedDateTime
// and ChangeKey.
func (u *User) InsertLocked(typ EntityType, folderID string, doc Entity) *Record {
	s := u.s
	id, _ := doc["Id"].(string)
	if id == "" {
		id = s.NewIDLocked(string(typ))
	}
	doc["Id"] = id
	now := FmtTime(s.Clock())
	if itemTypes[typ] {
		if _, ok := doc["CreatedDateTime"]; !ok {
			doc["CreatedDateTime"] = now
		}
		doc["LastModifiedDateTime"] = now
		doc["ChangeKey"] = s.NewChangeKeyLocked()
	}
	s.order++
	r := &Record{Type: typ, ID: id, FolderID: folderID, Doc: doc, Seq: s.NextSeqLocked(), Order: s.order}
	u.Items[id] = r
	u.EmitLocked(ChangeCreated, r, nil)
	return r
}

// TouchLocked records a modification of r (already applied to r.Doc; prev
// is the document before it) and emits Updated.
func (u *User) TouchLocked(r *Record, prev Entity) {
	if itemTypes[r.Type] {
		r.Doc["LastModifiedDateTime"] = FmtTime(u.s.Clock())
		r.Doc["ChangeKey"] = u.s.NewChangeKeyLocked()
	}
	r.Seq = u.s.NextSeqLocked()
	u.EmitLocked(ChangeUpdated, r, prev)
}

// RemoveLocked deletes r, leaves a tombstone for sync and emits Deleted.
func (u *User) RemoveLocked(r *Record) {
	delete(u.Items, r.ID)
	r.Seq = u.s.NextSeqLocked()
	u.Tombstones = append(u.Tombstones, Tombstone{Type: r.Type, ID: r.ID, FolderID: r.FolderID, Seq: r.Seq})
	u.EmitLocked(ChangeDeleted, r, DeepCopy(r.Doc).(Entity))
}

// RecordsLocked returns the user's records of type typ, in folderID when
// non-empty, in creation order.
func (u *User) RecordsLocked(typ EntityType, folderID string) []*Record {
	var out []*Record
	for _, r := range u.Items {
		if r.Type == typ && (folderID == "" || r.FolderID == folderID) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *Record) int { return int(a.Order) - int(b.Order) })
	return out
}

// ---------------------------------------------------------------- helpers

// FmtTime formats t as the service does: UTC, seconds, "Z".
func FmtTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// DeepCopy copies JSON-shaped values (maps, slices, scalars).
func DeepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = DeepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = DeepCopy(e)
		}
		return out
	case []Entity:
		out := make([]Entity, len(x))
		for i, e := range x {
			out[i] = DeepCopy(e).(Entity)
		}
		return out
	}
	return v
}
