package servicecomms

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/office365-go/office365"
)

// Source is what a Watcher polls. *Client implements it; tests of code that
// consumes events can supply their own.
type Source interface {
	CurrentStatus(ctx context.Context, opts *StatusOptions) ([]WorkloadStatus, error)
	Messages(ctx context.Context, opts *MessageOptions) iter.Seq2[*Message, error]
}

// Watcher defaults.
const (
	DefaultWatchInterval   = 5 * time.Minute
	DefaultWatchMaxBackoff = 30 * time.Minute
)

// WatchOptions configures a Watcher. The zero value (or nil) polls every
// DefaultWatchInterval, backs off up to DefaultWatchMaxBackoff, never gives
// up, and announces everything it finds on its first poll.
type WatchOptions struct {
	// Interval is the time between polls.
	Interval time.Duration
	// MaxBackoff caps the delay between polls after repeated failures
	// (Interval, 2×Interval, 4×Interval …). A Retry-After from the service
	// is honoured even when longer.
	MaxBackoff time.Duration
	// MaxFailures stops Events after that many consecutive failed polls
	// (0: never stop; the caller decides by breaking out of the loop).
	MaxFailures int
	// Workload restricts watching to one workload id.
	Workload string
	// Window is how far back the watched messages reach: each poll asks
	// for messages whose StartTime is within Window of now
	// ($filter=StartTime ge …). Zero keeps the service's default window,
	// seven days. Message Center posts are often updated weeks after they
	// were published: a Window of 30 days or more follows those updates.
	// (Open incidents are followed out of any window regardless.)
	Window time.Duration
	// Baseline makes the first poll of a watcher without State record what
	// exists without announcing it, so only later changes produce events.
	Baseline bool
	// State restores what a previous watcher had seen (see Watcher.State),
	// so a restarted process does not announce everything again.
	State *WatchState
}

// EventKind says what changed.
type EventKind int

// The kinds of events. Incident kinds cover every message that is not a
// Message Center post (incidents, advisories, planned maintenance).
const (
	// EventIncidentOpened: an open incident was seen for the first time.
	EventIncidentOpened EventKind = iota + 1
	// EventIncidentUpdated: a known incident got a new update (new message
	// text, a status change, or a post-incident report).
	EventIncidentUpdated
	// EventIncidentResolved: a known open incident is now resolved, or an
	// incident was first seen already resolved.
	EventIncidentResolved
	// EventWorkloadStatusChanged: a workload's status changed (or the
	// workload was seen for the first time).
	EventWorkloadStatusChanged
	// EventMessageCenterPosted: a Message Center post was seen for the
	// first time.
	EventMessageCenterPosted
	// EventMessageCenterUpdated: a known Message Center post changed.
	EventMessageCenterUpdated
)

var eventKindNames = [...]string{"", "IncidentOpened", "IncidentUpdated", "IncidentResolved",
	"WorkloadStatusChanged", "MessageCenterPosted", "MessageCenterUpdated"}

// String returns the kind's name ("IncidentOpened").
func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// MarshalText writes the kind's name.
func (k EventKind) MarshalText() ([]byte, error) {
	if k <= 0 || int(k) >= len(eventKindNames) {
		return nil, fmt.Errorf("servicecomms: unknown event kind %d", int(k))
	}
	return []byte(eventKindNames[k]), nil
}

// UnmarshalText reads a kind's name.
func (k *EventKind) UnmarshalText(b []byte) error {
	for i, n := range eventKindNames {
		if i > 0 && n == string(b) {
			*k = EventKind(i)
			return nil
		}
	}
	return fmt.Errorf("servicecomms: unknown event kind %q", b)
}

// Event is one change a Watcher detected.
type Event struct {
	// Kind says what changed.
	Kind EventKind `json:"kind"`
	// Message is the incident or post, for every kind but
	// EventWorkloadStatusChanged.
	Message *Message `json:"message,omitempty"`
	// Workload is the workload's new status, for
	// EventWorkloadStatusChanged.
	Workload *WorkloadStatus `json:"workload,omitempty"`
	// Previous is the status before the change: the workload's for
	// EventWorkloadStatusChanged, the message's otherwise; "" when the
	// item is new.
	Previous Status `json:"previous,omitempty"`
	// NewEntries holds the message updates published since the previous
	// poll (all of them for a new message).
	NewEntries []MessageHistory `json:"newEntries,omitempty"`
	// DetectedAt is when the poll that found the change started.
	DetectedAt time.Time `json:"detectedAt"`
}

// WatchError reports a failed poll. Events yields it and keeps watching
// (unless WatchOptions.MaxFailures is reached); the cause, such as an
// *office365.Error, is reachable with errors.As.
type WatchError struct {
	// Err is why the poll failed.
	Err error
	// Failures counts consecutive failed polls, this one included.
	Failures int
	// RetryIn is how long the watcher waits before polling again (0 when
	// it stopped).
	RetryIn time.Duration
}

// Error describes the failed poll and what the watcher does next.
func (e *WatchError) Error() string {
	if e.RetryIn == 0 {
		return fmt.Sprintf("servicecomms: watch: poll failed %d times in a row, giving up: %v", e.Failures, e.Err)
	}
	return fmt.Sprintf("servicecomms: watch: poll failed (%d in a row), retrying in %s: %v", e.Failures, e.RetryIn, e.Err)
}

// Unwrap returns the cause.
func (e *WatchError) Unwrap() error { return e.Err }

// ErrWatcherBusy is returned when Poll or Events is called while the
// watcher is already polling.
var ErrWatcherBusy = errors.New("servicecomms: the watcher is already polling (Poll and Events must not run concurrently)")

// Watcher polls CurrentStatus and Messages, compares each result with what
// it saw before, and reports the differences as typed events: the loop
// every user of this API ends up writing.
//
// Two ways to drive it, sharing one state:
//   - Events(ctx) is a range-over-func loop for a long-running process: it
//     polls every Interval, sleeps with backoff after failures, and ends when
//     ctx is cancelled or the loop breaks.
//   - Poll(ctx) runs one poll and returns its events, for schedulers (cron,
//     serverless functions) that load State, poll once and save State.
//
// Why this shape: an iterator keeps the common case a plain for-range loop
// with no goroutine or channel to manage; a Watcher value (rather than a
// bare iterator function) is needed to read the state between events and
// save it, and Poll lets the same diffing run without any sleeping.
//
// Messages are listed in the service's default window (those that started
// in the last seven days). An open incident that leaves the window is looked
// up by id on each poll, so its updates and resolution are still reported;
// any other message that is no longer listed is remembered without an event
// for 30 days, so it is not announced again if it reappears. A version of a
// message older (by LastUpdatedTime) than one already seen is ignored.
//
// State is committed per event: in Events, once the loop body has run for
// an event (even if it then breaks) that change is recorded and will not be
// reported again; changes of a poll whose events were not delivered are
// reported again by the next poll. A Watcher is safe for concurrent use,
// but only one Poll or Events runs at a time (ErrWatcherBusy).
type Watcher struct {
	src  Source
	opts WatchOptions
	busy atomic.Bool

	mu sync.Mutex
	st *stateData // nil until the first poll unless State was given
}

// NewWatcher returns a watcher polling src (usually a *Client). nil opts
// means the defaults.
func NewWatcher(src Source, opts *WatchOptions) (*Watcher, error) {
	if src == nil {
		return nil, errors.New("servicecomms: NewWatcher: nil source")
	}
	if c, ok := src.(*Client); ok && c == nil {
		return nil, errors.New("servicecomms: NewWatcher: nil *Client")
	}
	var o WatchOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Interval < 0:
		return nil, fmt.Errorf("servicecomms: WatchOptions.Interval %s is negative", o.Interval)
	case o.MaxBackoff < 0:
		return nil, fmt.Errorf("servicecomms: WatchOptions.MaxBackoff %s is negative", o.MaxBackoff)
	case o.MaxFailures < 0:
		return nil, fmt.Errorf("servicecomms: WatchOptions.MaxFailures %d is negative", o.MaxFailures)
	case o.Window < 0:
		return nil, fmt.Errorf("servicecomms: WatchOptions.Window %s is negative", o.Window)
	}
	if o.Interval == 0 {
		o.Interval = DefaultWatchInterval
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = DefaultWatchMaxBackoff
	}
	o.MaxBackoff = max(o.MaxBackoff, o.Interval)
	w := &Watcher{src: src, opts: o}
	if o.State != nil && o.State.d != nil {
		w.st = o.State.d.clone()
	}
	w.opts.State = nil
	return w, nil
}

// State returns a copy of what the watcher has seen, to save (it marshals
// to JSON) and pass back in WatchOptions.State after a restart. It may be
// called while Events is running.
func (w *Watcher) State() WatchState {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.st == nil {
		return WatchState{}
	}
	return WatchState{d: w.st.clone()}
}

// Poll fetches the current statuses and messages once, returns what
// changed since the previous poll (or the restored State) and records the
// new state. It does not retry beyond the client's own retries.
func (w *Watcher) Poll(ctx context.Context) ([]Event, error) {
	if !w.busy.CompareAndSwap(false, true) {
		return nil, ErrWatcherBusy
	}
	defer w.busy.Store(false)
	batch, next, err := w.poll(ctx)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.st = next
	w.mu.Unlock()
	events := make([]Event, len(batch))
	for i, p := range batch {
		events[i] = p.ev
	}
	return events, nil
}

// Events polls every Interval and yields each change as it is found. A
// failed poll is yielded as a *WatchError and watching goes on after a
// delay: Interval doubled per consecutive failure up to MaxBackoff, or the
// service's Retry-After when that is longer. The sequence ends when the
// loop breaks, after MaxFailures consecutive failures, or at once when the
// service answers that the API is retired for the tenant (ErrRetired),
// which no retry can change (the last error is yielded, with RetryIn 0).
//
// Cancellation: when ctx is cancelled or its deadline passes, the sequence
// yields ctx.Err() (context.Canceled or context.DeadlineExceeded, not
// wrapped in a *WatchError) once and ends, like every iterator of the
// module; test it with errors.Is.
func (w *Watcher) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		if !w.busy.CompareAndSwap(false, true) {
			yield(Event{}, ErrWatcherBusy)
			return
		}
		defer w.busy.Store(false)
		failures := 0
		for {
			batch, next, err := w.poll(ctx)
			if ctx.Err() != nil {
				yield(Event{}, ctx.Err())
				return
			}
			delay := w.opts.Interval
			if err != nil {
				failures++
				delay = w.backoff(failures, err)
				werr := &WatchError{Err: err, Failures: failures, RetryIn: delay}
				if w.opts.MaxFailures > 0 && failures >= w.opts.MaxFailures || errors.Is(err, ErrRetired) {
					werr.RetryIn = 0
					yield(Event{}, werr)
					return
				}
				if !yield(Event{}, werr) {
					return
				}
			} else {
				failures = 0
				for _, p := range batch {
					more := yield(p.ev, nil)
					w.commit(p)
					if !more {
						return
					}
				}
				w.mu.Lock()
				w.st = next
				w.mu.Unlock()
			}
			if err := sleep(ctx, delay); err != nil {
				yield(Event{}, err)
				return
			}
		}
	}
}

// backoff returns the delay after the n-th consecutive failure.
func (w *Watcher) backoff(n int, err error) time.Duration {
	d := w.opts.Interval
	for i := 1; i < n && d < w.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.opts.MaxBackoff)
	var apiErr *office365.Error
	if errors.As(err, &apiErr) && apiErr.RetryAfter > d {
		d = apiErr.RetryAfter
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// pending is an event with the state change it stands for.
type pending struct {
	ev       Event
	key      string
	workload *workloadMark
	message  *messageMark
}

func (w *Watcher) commit(p pending) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.st == nil {
		w.st = newStateData()
	}
	if p.workload != nil {
		w.st.Workloads[p.key] = *p.workload
	}
	if p.message != nil {
		w.st.Messages[p.key] = *p.message
	}
}

func (w *Watcher) poll(ctx context.Context) ([]pending, *stateData, error) {
	started := time.Now()
	statuses, err := w.src.CurrentStatus(ctx, &StatusOptions{Workload: w.opts.Workload})
	if err != nil {
		return nil, nil, err
	}
	var msgs []*Message
	listOpts := &MessageOptions{Workload: w.opts.Workload}
	if w.opts.Window > 0 {
		listOpts.StartTime = started.Add(-w.opts.Window).UTC().Truncate(time.Second)
	}
	for m, err := range w.src.Messages(ctx, listOpts) {
		if err != nil {
			return nil, nil, err
		}
		msgs = append(msgs, m)
	}
	// An open incident that started before the service's default window
	// (seven days) drops out of the list while it is still open: look it
	// up by id, so that its updates and its resolution are still reported.
	w.mu.Lock()
	var lost []string
	if w.st != nil {
		for id, mark := range w.st.Messages {
			if !mark.Resolved && !isMessageCenterType(mark.Type) &&
				!slices.ContainsFunc(msgs, func(m *Message) bool { return m != nil && m.ID == id }) {
				lost = append(lost, id)
			}
		}
	}
	w.mu.Unlock()
	slices.Sort(lost)
	for _, id := range lost {
		for m, err := range w.src.Messages(ctx, &MessageOptions{ID: id}) {
			if err != nil {
				return nil, nil, err
			}
			if m != nil && m.ID == id {
				msgs = append(msgs, m)
			}
		}
	}
	w.mu.Lock()
	prev := w.st
	silent := prev == nil && w.opts.Baseline
	batch, next := diff(prev, silent, statuses, msgs, started)
	w.mu.Unlock()
	return batch, next, nil
}

// diff compares a poll's result with prev (nil: nothing seen yet).
func diff(prev *stateData, silent bool, statuses []WorkloadStatus, msgs []*Message, now time.Time) ([]pending, *stateData) {
	next := newStateData()
	next.Polled = now
	if prev == nil {
		prev = newStateData()
	}
	var out []pending
	for i := range statuses {
		ws := &statuses[i]
		key := cmp.Or(ws.Workload, ws.ID)
		if key == "" {
			continue
		}
		mark := workloadMark{Status: ws.Status}
		next.Workloads[key] = mark
		old, known := prev.Workloads[key]
		if silent || (known && old.Status.Canonical() == mark.Status.Canonical()) {
			continue
		}
		out = append(out, pending{
			ev:  Event{Kind: EventWorkloadStatusChanged, Workload: ws, Previous: old.Status, DetectedAt: now},
			key: key, workload: &mark,
		})
	}
	slices.SortStableFunc(out, func(a, b pending) int { return cmp.Compare(a.key, b.key) })

	msgs = slices.Clone(msgs)
	slices.SortStableFunc(msgs, func(a, b *Message) int {
		return cmp.Or(a.LastUpdatedTime.Compare(b.LastUpdatedTime.Time), cmp.Compare(a.ID, b.ID))
	})
	for _, m := range msgs {
		if m.ID == "" {
			continue
		}
		mark := markOf(m)
		mark.Seen = now.UTC()
		old, known := prev.Messages[m.ID]
		if known && mark.Updated.Before(old.Updated) {
			// An older version than the one already seen (a lagging
			// replica, or clocks that disagree): not a change.
			old.Seen = mark.Seen
			next.Messages[m.ID] = old
			continue
		}
		next.Messages[m.ID] = mark
		if silent || (known && old.same(mark)) {
			continue
		}
		ev := Event{Message: m, DetectedAt: now}
		switch {
		case !known && m.IsMessageCenter():
			ev.Kind = EventMessageCenterPosted
		case !known && mark.Resolved:
			ev.Kind = EventIncidentResolved
		case !known:
			ev.Kind = EventIncidentOpened
		case m.IsMessageCenter():
			ev.Kind = EventMessageCenterUpdated
		case mark.Resolved && !old.Resolved:
			ev.Kind = EventIncidentResolved
		default:
			ev.Kind = EventIncidentUpdated
		}
		if known {
			ev.Previous = old.Status
			ev.NewEntries = newEntries(m, old)
		} else {
			ev.NewEntries = slices.Clone(m.Messages)
		}
		out = append(out, pending{ev: ev, key: m.ID, message: &mark})
	}
	// Messages that are no longer listed (they left the service's window)
	// are remembered for a while, so that one listed again is not announced
	// as new. Their absence is not reported: it says nothing about them.
	for id, old := range prev.Messages {
		if _, ok := next.Messages[id]; ok {
			continue
		}
		if old.Seen.IsZero() {
			old.Seen = now.UTC() // a state saved before Seen was recorded
		}
		if now.Sub(old.Seen) <= watchRetention {
			next.Messages[id] = old
		}
	}
	return out, next
}

// watchRetention is how long a Watcher remembers a message it no longer
// sees in the list.
const watchRetention = 30 * 24 * time.Hour

func isMessageCenterType(t MessageType) bool {
	return squash(string(t)) == squash(string(MessageTypeMessageCenter))
}

// newEntries returns the updates of m published after what old recorded.
func newEntries(m *Message, old messageMark) []MessageHistory {
	var out []MessageHistory
	for _, h := range m.Messages {
		if h.PublishedTime.After(old.LastPublished) {
			out = append(out, h)
		}
	}
	if len(out) == 0 && len(m.Messages) > old.Entries {
		out = slices.Clone(m.Messages[old.Entries:])
	}
	return out
}

func markOf(m *Message) messageMark {
	mark := messageMark{
		Type:     m.MessageType,
		Status:   m.Status,
		Resolved: m.IsResolved(),
		Updated:  m.LastUpdatedTime.Time.UTC(),
		Entries:  len(m.Messages),
	}
	if l := m.Latest(); l != nil {
		mark.LastPublished = l.PublishedTime.Time.UTC()
	}
	return mark
}

// WatchState is what a Watcher has seen: the status of each workload and a
// fingerprint of each message (no message text). Save it with
// json.Marshal and restore it with json.Unmarshal and WatchOptions.State.
// The zero value means nothing seen yet.
type WatchState struct {
	d *stateData
}

const watchStateVersion = 1

type stateData struct {
	Version   int                     `json:"version"`
	Polled    time.Time               `json:"polled"`
	Workloads map[string]workloadMark `json:"workloads"`
	Messages  map[string]messageMark  `json:"messages"`
}

type workloadMark struct {
	Status Status `json:"status"`
}

type messageMark struct {
	Type          MessageType `json:"type,omitempty"`
	Status        Status      `json:"status,omitempty"`
	Resolved      bool        `json:"resolved,omitempty"`
	Updated       time.Time   `json:"updated"`
	Entries       int         `json:"entries"`
	LastPublished time.Time   `json:"lastPublished"`
	// Seen is when a poll last listed the message.
	Seen time.Time `json:"seen,omitzero"`
}

func (a messageMark) same(b messageMark) bool {
	return a.Type == b.Type && a.Status == b.Status && a.Resolved == b.Resolved && a.Updated.Equal(b.Updated) &&
		a.Entries == b.Entries && a.LastPublished.Equal(b.LastPublished)
}

func newStateData() *stateData {
	return &stateData{Version: watchStateVersion, Workloads: map[string]workloadMark{}, Messages: map[string]messageMark{}}
}

func (d *stateData) clone() *stateData {
	c := *d
	c.Workloads = maps.Clone(d.Workloads)
	c.Messages = maps.Clone(d.Messages)
	if c.Workloads == nil {
		c.Workloads = map[string]workloadMark{}
	}
	if c.Messages == nil {
		c.Messages = map[string]messageMark{}
	}
	return &c
}

// IsZero reports whether the state is empty (no poll recorded).
func (s WatchState) IsZero() bool { return s.d == nil }

// Polled returns when the last recorded poll started.
func (s WatchState) Polled() time.Time {
	if s.d == nil {
		return time.Time{}
	}
	return s.d.Polled
}

// Len returns how many workloads and messages the state holds.
func (s WatchState) Len() (workloads, messages int) {
	if s.d == nil {
		return 0, 0
	}
	return len(s.d.Workloads), len(s.d.Messages)
}

// MarshalJSON encodes the state; the format is versioned.
func (s WatchState) MarshalJSON() ([]byte, error) {
	if s.d == nil {
		return []byte("null"), nil
	}
	return json.Marshal(s.d)
}

// UnmarshalJSON decodes a state saved by MarshalJSON.
func (s *WatchState) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = WatchState{}
		return nil
	}
	var d stateData
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("servicecomms: decoding watch state: %w", err)
	}
	if d.Version != watchStateVersion {
		return fmt.Errorf("servicecomms: watch state version %d is not supported (want %d)", d.Version, watchStateVersion)
	}
	s.d = d.clone()
	return nil
}
