// Package healthstore holds a fake tenant's service health, free of any
// protocol: its workloads and features, and incidents, advisories, planned
// maintenance and Message Center posts as timelines of updates at absolute
// times. What a service answers at a moment T is the projection of those
// timelines on T, so the tenant evolves by itself as its clock moves.
//
// Front ends (the retired Service Communications API in commsv1, Microsoft
// Graph's serviceAnnouncement in graphhealth) read a Snapshot and render it
// in their own shapes; a change made through the Store is seen by both.
package healthstore

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Store is one tenant's service health. It is safe for concurrent use.
type Store struct {
	mu         sync.Mutex
	seed       uint64
	clock      func() time.Time
	clockFixed bool
	offset     time.Duration
	epoch      time.Time
	epochFixed bool
	messages   bool
	data       *data
}

// Options configures New. The zero value generates the default timeline
// (seed 1) around the clock's time when the data is first needed.
type Options struct {
	// Seed of the generated timeline (0 means 1).
	Seed uint64
	// Epoch fixes the time the generated timeline is centred on.
	Epoch time.Time
	// Clock is the store's clock (default time.Now). A Store given a Clock
	// ignores SetClock.
	Clock func() time.Time
	// WithoutMessages starts with the workloads but no messages.
	WithoutMessages bool
}

// New returns a store.
func New(o Options) *Store {
	s := &Store{seed: o.Seed, clock: time.Now, messages: !o.WithoutMessages}
	if s.seed == 0 {
		s.seed = 1
	}
	if !o.Epoch.IsZero() {
		s.epoch, s.epochFixed = o.Epoch.UTC(), true
	}
	if o.Clock != nil {
		s.clock, s.clockFixed = o.Clock, true
	}
	return s
}

// SetClock makes the store follow now, unless Options.Clock fixed its clock.
func (s *Store) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.clockFixed && now != nil {
		s.clock = now
	}
}

// Now returns the store's current time: its clock plus what Advance added.
func (s *Store) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Store) nowLocked() time.Time { return s.clock().Add(s.offset).UTC() }

// Advance moves the store's time forward by d.
func (s *Store) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureLocked()
	s.offset += d
}

// Epoch returns the time the generated timeline is centred on.
func (s *Store) Epoch() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureLocked()
	return s.epoch
}

func (s *Store) ensureLocked() time.Time {
	now := s.nowLocked()
	if s.data == nil {
		if !s.epochFixed {
			s.epoch = now.Truncate(time.Second)
		}
		s.data = generate(s.seed, s.epoch, s.messages)
	}
	return now
}

// Snapshot is the store at one moment. Its messages are shared, read-only.
type Snapshot struct {
	// Now is the moment the snapshot shows.
	Now time.Time
	// Messages holds every message, published by Now or not, in the order
	// they were added.
	Messages []*Message
}

// Snapshot returns the store as of its current time.
func (s *Store) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.ensureLocked()
	return Snapshot{Now: now, Messages: slices.Clone(s.data.messages)}
}

// WorkloadMessages returns the messages of the workload with id.
func (sn Snapshot) WorkloadMessages(id string) []*Message {
	var out []*Message
	for _, m := range sn.Messages {
		if m.Workload == id {
			out = append(out, m)
		}
	}
	return out
}

// SortNewestFirst sorts msgs by start time, newest first, and by id among
// messages that start together, so every front end lists them in the same
// order.
func SortNewestFirst(msgs []*Message) {
	slices.SortStableFunc(msgs, func(a, b *Message) int {
		if c := b.Start.Compare(a.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Find returns the message with id (compared case-insensitively) if it is
// published by Now.
func (sn Snapshot) Find(id string) *Message {
	for _, m := range sn.Messages {
		if strings.EqualFold(m.ID, id) && m.Visible(sn.Now) {
			return m
		}
	}
	return nil
}

// StatusOver computes a workload (or feature) status over a period from the
// incidents touching it, as the retired service derived it: the worst status
// of those open at the end of the period, ServiceRestored (or FalsePositive)
// for those resolved during it, ServiceOperational otherwise. It returns the
// ids of the incidents it counted.
func StatusOver(msgs []*Message, from, to time.Time) (string, []string) {
	status, ids := "ServiceOperational", []string(nil)
	for _, m := range msgs {
		if m.Type != "Incident" || !m.Visible(to) || !m.Start.Before(to) {
			continue
		}
		s := m.StatusAt(to)
		if at, rs, ok := m.ResolvedAt(to); ok {
			if at.Before(from) {
				continue
			}
			s = rs
			if rs == "PostIncidentReportPublished" {
				s = "ServiceRestored"
			}
		}
		ids = append(ids, m.ID)
		if StatusRank[s] > StatusRank[status] {
			status = s
		}
	}
	return status, ids
}

// Step is one published update of a scripted message.
type Step struct {
	At     time.Time
	Status string
	Text   string
}

// Incident scripts an incident, advisory or planned maintenance (see
// office365test.HealthIncident for the meaning of each field).
type Incident struct {
	ID, Workload, Feature                 string
	Title, ImpactDescription              string
	Classification, Severity, MessageType string
	Start, End                            time.Time
	Updates                               []Step
}

// AddIncident adds a scripted incident. It appears once its first update's
// time has come.
func (s *Store) AddIncident(inc Incident) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureLocked()
	if inc.ID == "" || s.data.byID[strings.ToLower(inc.ID)] != nil {
		return fmt.Errorf("office365test: AddIncident: missing or duplicate id %q", inc.ID)
	}
	w := FindWorkload(inc.Workload)
	if w == nil {
		return fmt.Errorf("office365test: AddIncident: unknown workload %q", inc.Workload)
	}
	f := &w.Features[0]
	if inc.Feature != "" {
		if f = w.Feature(inc.Feature); f == nil {
			return fmt.Errorf("office365test: AddIncident: workload %s has no feature %q", w.ID, inc.Feature)
		}
	}
	if len(inc.Updates) == 0 {
		return errors.New("office365test: AddIncident: at least one update is required")
	}
	typ := cmpOr(inc.MessageType, "Incident")
	if typ != "Incident" && typ != "PlannedMaintenance" {
		return fmt.Errorf("office365test: AddIncident: MessageType %q (want Incident or PlannedMaintenance)", typ)
	}
	m := &Message{
		ID: inc.ID, Type: typ, Workload: w.ID, Feature: f.Name,
		Title:    cmpOr(inc.Title, "Users may be unable to use "+f.Display),
		Impact:   cmpOr(inc.ImpactDescription, "Users may be unable to use "+f.Display+"."),
		Class:    cmpOr(inc.Classification, "Incident"),
		Severity: cmpOr(inc.Severity, "Sev2"),
		Start:    inc.Start.UTC(), End: inc.End.UTC(), Users: -1,
		Details: [][2]string{{"NotifyInApp", "True"}},
	}
	for i, u := range inc.Updates {
		if _, ok := StatusDisplay[u.Status]; !ok {
			return fmt.Errorf("office365test: AddIncident: unknown status %q", u.Status)
		}
		if i > 0 && u.At.Before(inc.Updates[i-1].At) {
			return errors.New("office365test: AddIncident: updates must be in time order")
		}
		text := u.Text
		if text == "" {
			text = fmt.Sprintf("Title: %s\n\nUser Impact: %s\n\nCurrent status: %s", m.Title, m.Impact, StatusDisplay[u.Status])
		}
		m.Updates = append(m.Updates, Update{At: u.At.UTC(), Updated: u.At.UTC(), Status: u.Status, Text: text})
	}
	if m.Start.IsZero() {
		m.Start = m.Updates[0].At
	}
	s.data.add(m)
	return nil
}

// NewPost scripts a Message Center post (see
// office365test.MessageCenterPost).
type NewPost struct {
	ID, Title, Text, Workload, Category, Severity string
	Published, ActionRequiredBy                   time.Time
	Updates                                       []Step
	Tags                                          []string
	MajorChange                                   bool
}

// AddPost adds a scripted Message Center post.
func (s *Store) AddPost(p NewPost) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureLocked()
	if p.ID == "" || s.data.byID[strings.ToLower(p.ID)] != nil {
		return fmt.Errorf("office365test: AddMessageCenterPost: missing or duplicate id %q", p.ID)
	}
	if p.Workload != "" && FindWorkload(p.Workload) == nil {
		return fmt.Errorf("office365test: AddMessageCenterPost: unknown workload %q", p.Workload)
	}
	if p.Published.IsZero() {
		return errors.New("office365test: AddMessageCenterPost: Published is required")
	}
	m := &Message{
		ID: p.ID, Type: "MessageCenter", Workload: p.Workload, Title: cmpOr(p.Title, "Message Center post "+p.ID),
		Class: "Advisory", Severity: cmpOr(p.Severity, "Normal"), Start: p.Published.UTC(),
		End: p.Published.UTC().Add(60 * 24 * time.Hour), Users: -1,
		Post: &Post{Category: cmpOr(p.Category, "Stay Informed"), Tags: slices.Clone(p.Tags), Major: p.MajorChange,
			ActionRequiredBy: p.ActionRequiredBy.UTC()},
	}
	m.Updates = []Update{{At: p.Published.UTC(), Updated: p.Published.UTC(), Text: cmpOr(p.Text, m.Title)}}
	for _, u := range p.Updates {
		if u.At.Before(m.Updates[len(m.Updates)-1].At) {
			return errors.New("office365test: AddMessageCenterPost: updates must be in time order")
		}
		m.Updates = append(m.Updates, Update{At: u.At.UTC(), Updated: u.At.UTC(), Text: cmpOr(u.Text, m.Title)})
	}
	s.data.add(m)
	return nil
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
