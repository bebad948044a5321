package streaming

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/transport"
)

// Defaults of ListenOptions.
const (
	DefaultKeepAliveInterval             = 15 * time.Second
	DefaultConnectionTimeout             = 30 * time.Minute
	DefaultMaxSubscriptionsPerConnection = 20
	DefaultMinBackoff                    = time.Second
	DefaultMaxBackoff                    = time.Minute
	DefaultMaxAuthFailures               = 3
	// IdleTimeoutFactor times the keep-alive interval is the default
	// IdleTimeout: two keep-alives may go missing before the watchdog fires.
	IdleTimeoutFactor = 3
)

// ErrClosed is returned by Listener.Next after Close.
var ErrClosed = errors.New("streaming: listener closed")

// ErrStalled is wrapped by the error that ends a connection on which
// nothing arrived for ListenOptions.IdleTimeout (the keep-alive watchdog).
var ErrStalled = errors.New("connection stalled: no data within the idle timeout")

// ListenOptions tunes a Listener. The zero value (or nil) means defaults.
type ListenOptions struct {
	// KeepAliveInterval is how often the service is asked to send a
	// keep-alive (KeepAliveNotificationIntervalInSeconds): whole seconds,
	// at least 1s. Default 15s.
	KeepAliveInterval time.Duration
	// ConnectionTimeout is how long the service keeps one connection open
	// before ending it with "]}" (ConnectionTimeoutInMinutes): whole
	// minutes, 1 to 120. The listener then reconnects at once. Default 30m.
	ConnectionTimeout time.Duration
	// IdleTimeout is the keep-alive watchdog: a connection on which no byte
	// arrives for this long (also while waiting for the response headers)
	// is closed and replaced. The clock starts when the request is handed
	// to the HTTP transport: the time the credential takes to produce the
	// token of a new connection is not counted (nor, over HTTP/1.1, the
	// time an auth.Refresher takes to refresh it after a 401). It must
	// exceed KeepAliveInterval. Default 3 × KeepAliveInterval.
	IdleTimeout time.Duration
	// MaxSubscriptionsPerConnection caps how many subscriptions share one
	// GetNotifications connection; more subscriptions open more
	// connections. Default 20, what clients in production used.
	MaxSubscriptionsPerConnection int
	// MinBackoff and MaxBackoff bound the exponential backoff (with jitter)
	// between reconnection attempts after a failure: no wait is shorter
	// than MinBackoff. The backoff starts again from MinBackoff after a
	// healthy connection. A Retry-After from the service (429, 503) is
	// honoured instead, even beyond MaxBackoff (but not below MinBackoff).
	// Defaults 1s and 1m.
	MinBackoff, MaxBackoff time.Duration
	// MaxAuthFailures is how many connection attempts in a row may be
	// rejected with 401 Unauthorized (each after the pipeline already
	// fetched a fresh token and tried again), or fail without reaching the
	// service for another reason than the network (the credential returned
	// an error), before Next returns the error. Any other outcome (a
	// connection, another error from the service or the network) ends the
	// run: only consecutive rejections count. Default 3.
	MaxAuthFailures int
	// MaxObjectSize limits one notification's size (see WithMaxObjectSize).
	MaxObjectSize int
	// PollInterval is how long a WithGraph client waits between two rounds
	// of a subscription's delta query (see the package documentation,
	// "Microsoft Graph"). Default DefaultPollInterval; a listener of many
	// delta queries stretches it to stay within the mailbox's request
	// budget (see GraphRequestSpacing). Of the options above, IdleTimeout
	// bounds each Graph request (one without a complete answer in time is
	// retried), and the backoff bounds and MaxAuthFailures apply; the
	// others concern GetNotifications only.
	PollInterval time.Duration
}

func (o *ListenOptions) normalized() (ListenOptions, error) {
	var n ListenOptions
	if o != nil {
		n = *o
	}
	if n.KeepAliveInterval == 0 {
		n.KeepAliveInterval = DefaultKeepAliveInterval
	}
	if n.KeepAliveInterval < time.Second || n.KeepAliveInterval%time.Second != 0 {
		return n, fmt.Errorf("streaming: ListenOptions.KeepAliveInterval %s is not a whole number of seconds ≥ 1s", n.KeepAliveInterval)
	}
	if n.ConnectionTimeout == 0 {
		n.ConnectionTimeout = DefaultConnectionTimeout
	}
	if n.ConnectionTimeout < time.Minute || n.ConnectionTimeout > 120*time.Minute || n.ConnectionTimeout%time.Minute != 0 {
		return n, fmt.Errorf("streaming: ListenOptions.ConnectionTimeout %s is not a whole number of minutes between 1 and 120", n.ConnectionTimeout)
	}
	if n.IdleTimeout == 0 {
		n.IdleTimeout = IdleTimeoutFactor * n.KeepAliveInterval
	}
	if n.IdleTimeout <= n.KeepAliveInterval {
		return n, fmt.Errorf("streaming: ListenOptions.IdleTimeout %s must exceed the keep-alive interval %s", n.IdleTimeout, n.KeepAliveInterval)
	}
	if n.MaxSubscriptionsPerConnection == 0 {
		n.MaxSubscriptionsPerConnection = DefaultMaxSubscriptionsPerConnection
	}
	if n.MaxSubscriptionsPerConnection < 0 {
		return n, fmt.Errorf("streaming: ListenOptions.MaxSubscriptionsPerConnection %d is negative", n.MaxSubscriptionsPerConnection)
	}
	if n.MinBackoff == 0 {
		n.MinBackoff = DefaultMinBackoff
	}
	if n.MaxBackoff == 0 {
		n.MaxBackoff = max(DefaultMaxBackoff, n.MinBackoff)
	}
	if n.MinBackoff < 0 || n.MaxBackoff < n.MinBackoff {
		return n, fmt.Errorf("streaming: ListenOptions backoff bounds %s–%s are invalid", n.MinBackoff, n.MaxBackoff)
	}
	if n.MaxAuthFailures == 0 {
		n.MaxAuthFailures = DefaultMaxAuthFailures
	}
	if n.MaxAuthFailures < 0 {
		return n, fmt.Errorf("streaming: ListenOptions.MaxAuthFailures %d is negative", n.MaxAuthFailures)
	}
	if n.MaxObjectSize < 0 {
		return n, fmt.Errorf("streaming: ListenOptions.MaxObjectSize %d is negative", n.MaxObjectSize)
	}
	return n, nil
}

// EventKind tells what an Event reports.
type EventKind uint8

// Kinds of events a Listener yields.
const (
	// EventNotification: Notification holds a change notification.
	EventNotification EventKind = iota + 1
	// EventGap: Gap reports notifications that may be lost; for GapMissed,
	// Notification holds the service's Missed notification.
	EventGap
	// EventResubscribed: a subscription expired and was replaced;
	// Resubscribed holds the old and the new one. Persist the new ID.
	EventResubscribed
	// EventConnected: a GetNotifications connection is open (first time or
	// again); Connection says for which subscriptions.
	EventConnected
	// EventDisconnected: a connection ended unexpectedly (or, without
	// loss, much earlier than asked) or could not be opened; Connection
	// holds the error and when the next attempt is.
	EventDisconnected
)

// String returns the kind's name.
func (k EventKind) String() string {
	switch k {
	case EventNotification:
		return "notification"
	case EventGap:
		return "gap"
	case EventResubscribed:
		return "resubscribed"
	case EventConnected:
		return "connected"
	case EventDisconnected:
		return "disconnected"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one thing a Listener reports. Kind says which field is set.
type Event struct {
	Kind EventKind
	// Notification is an owned copy (valid indefinitely) of a change
	// notification (EventNotification) or of a Missed notification
	// (EventGap with Reason GapMissed).
	Notification *Notification
	// Gap is set for EventGap.
	Gap *Gap
	// Resubscribed is set for EventResubscribed.
	Resubscribed *Resubscription
	// Connection is set for EventConnected and EventDisconnected.
	Connection *Connection
}

// Resubscription reports that a subscription expired (GetNotifications
// answered 404) and was replaced by a new one on the same resource. The new
// subscription's sequence numbers start again.
type Resubscription struct {
	Old, New Subscription
	// Err is the error that revealed the expiry.
	Err error
}

// Connection describes one GetNotifications connection of a Listener.
type Connection struct {
	// SubscriptionIDs are the subscriptions the connection carries.
	SubscriptionIDs []string
	// Attempt counts the failed attempts since the last healthy connection
	// (0 on a first or routine connection).
	Attempt int
	// Err is why the connection ended or could not be opened
	// (EventDisconnected). It wraps ErrStalled when the watchdog fired.
	Err error
	// RetryIn is the delay before the next attempt (EventDisconnected).
	RetryIn time.Duration
}

// ListenerStats counts what a Listener did.
type ListenerStats struct {
	// Connections is how many connections were opened.
	Connections int64
	// Disconnects is how many connections ended unexpectedly or failed to open.
	Disconnects int64
	// Resubscriptions is how many subscriptions were replaced after expiry.
	Resubscriptions int64
	// Gaps is how many gaps were reported.
	Gaps int64
	// Duplicates is how many repeats of a notification already delivered
	// (same subscription and sequence number) were dropped.
	Duplicates int64
}

// Listener receives notifications for a set of subscriptions over as many
// GetNotifications connections as needed (MaxSubscriptionsPerConnection
// each), and keeps them alive: it reconnects when the service ends a
// connection, after drops, stalls (keep-alive watchdog), throttling and
// server errors (backoff with jitter, Retry-After honoured), fetches a
// fresh token for every connection, and subscribes again when a
// subscription expired. Keep-alives are consumed internally.
//
// Next returns one Event at a time: notifications, and what the caller must
// know to never lose a change silently: gaps (sequence jumps, Missed
// notifications, reconnections after an unexpected end, expired
// subscriptions), resubscriptions, connection changes. A notification whose
// subscription and sequence number were already delivered is a repeat (the
// service re-sends after a reconnection, possibly with newer data such as a
// new etag): it is dropped and counted in Stats, whatever its content. Only
// a jump back to the start of the numbering (1, with other content) is taken
// for a restart of the service's numbering (GapReset); otherwise the resume
// point (Subscriptions) never moves backwards.
//
// Why a Listener with Next and Close rather than only an iterator: the
// connections run in their own goroutines whatever the caller does, so the
// listener has a lifetime of its own that Close ends (from any goroutine,
// waiting for every goroutine to exit); Next takes a context per wait, so a
// caller can poll with a deadline and go on listening; and the listener can
// be asked for its state (Subscriptions, Stats) between events. All
// wraps Next as an iter.Seq2 for range loops.
//
// Delivery model (what the service is assumed to do, and the fake in
// office365test does): sequence numbers count per subscription from 1 and
// continue across connections; while no connection listens, the service
// queues a subscription's notifications, and when its queue overflows it
// replaces them with one Missed notification; a connection ended with "]}"
// lost nothing; notifications written into a connection that dropped are
// lost. Hence: no gap after a routine reconnection, an open gap after an
// unexpected one, a gap on a sequence jump or a Missed notification. A gap
// is only a warning that changes may be missing; a delta sync of the
// resource repairs it.
//
// Expiry: GetNotifications answers 404 when a listed subscription has
// expired. The listener subscribes again to the same Resource with the same
// change types, reports EventResubscribed (persist the new ID) and an open
// GapExpired for the old subscription, and listens with the new one. When
// the error names the expired subscriptions only those are renewed;
// otherwise every subscription of that connection is, since nothing else
// tells which one it was.
//
// Errors: Next returns an error only when listening cannot go on: a
// persistent 401 (MaxAuthFailures attempts in a row, each after a token
// refresh), a credential that fails to produce a token (or another failure
// that is neither an HTTP status nor a network error) MaxAuthFailures times
// in a row, 403 or another 4xx, an expired subscription without a Resource
// to subscribe to again, a resubscription rejected with a 4xx, or 404 for
// freshly created subscriptions five times in a row. Network errors,
// stalls, garbled streams, 5xx, 429 and 503 are retried for ever (cancel
// the context given to Listen or call Close to stop); EventDisconnected
// reports each. After an error every connection is closed.
//
// A Listener is safe for concurrent use; events are delivered in order
// per connection.
type Listener struct {
	c      *Client
	opts   ListenOptions
	ctx    context.Context
	cancel context.CancelCauseFunc
	events chan envelope
	wg     sync.WaitGroup
	log    *slog.Logger

	mu   sync.Mutex
	subs []*subState

	wake chan struct{} // WithGraph: PollNow's signal to the poller

	// untraced: the HTTP transport reported no httptrace event for a
	// request that got an answer, so the watchdog cannot tell when a
	// request leaves the pipeline and runs from the start of each
	// connection attempt instead.
	untraced atomic.Bool

	stats struct {
		connections, disconnects, resubscriptions, gaps, duplicates atomic.Int64
	}
}

// envelope carries an event to Next with what Next needs to record its
// delivery: for a notification of one of the listener's subscriptions, the
// subscription, the envelope's stamp, and where gap detection stands once
// it is delivered (the tracker's last sequence number after reading it).
type envelope struct {
	ev     Event
	st     *subState
	stamp  uint64
	resume int64
}

// subState is one subscription of the listener.
type subState struct {
	sub Subscription // guarded by Listener.mu (written only by its group)
	// delivered is the resume point of sub: the tracker's last sequence
	// number as of the last notification Next returned (what Listen needs
	// in LastSequenceNumber to go on without a false gap or a missed one).
	// deliveredStamp is the stamp of that envelope; envelopes stamped
	// earlier (read before it, or for an expired predecessor) are ignored.
	delivered      int64  // guarded by Listener.mu
	deliveredStamp uint64 // guarded by Listener.mu

	// Used by its group's goroutine only:
	stamp      uint64 // stamps of the envelopes sent for this subscription, never reset
	track      seqTracker
	pendingGap error // the connection ended unexpectedly: report a gap on reconnection
	fresh      bool  // created by a resubscription and not listened to yet

	graph *graphSub // WithGraph clients: the subscription's delta state
}

// Listen starts listening for notifications of subs and returns at once;
// connections are opened in the background. ctx bounds the listener's
// whole life: cancelling it stops every connection, as Close does. Each
// GetNotifications request is
//
//	POST {beta}/me/GetNotifications
//	{"ConnectionTimeoutInMinutes":30,"KeepAliveNotificationIntervalInSeconds":15,"SubscriptionIds":["…"]}
//
// The subscriptions are copied; LastSequenceNumber is where gap detection
// starts for each. A WithGraph client polls the subscriptions' delta
// queries instead (see the package documentation, "Microsoft Graph").
func (c *Client) Listen(ctx context.Context, subs []*Subscription, opts *ListenOptions) (*Listener, error) {
	o, err := opts.normalized()
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return nil, errors.New("streaming: Listen: no subscriptions")
	}
	seen := make(map[string]bool, len(subs))
	states := make([]*subState, 0, len(subs))
	for i, s := range subs {
		if s == nil || s.ID == "" {
			return nil, fmt.Errorf("streaming: Listen: subscription %d has no ID", i)
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("streaming: Listen: subscription %s listed twice", s.ID)
		}
		if s.LastSequenceNumber < 0 {
			return nil, fmt.Errorf("streaming: Listen: subscription %s has a negative LastSequenceNumber", s.ID)
		}
		seen[s.ID] = true
		st := &subState{sub: *s, delivered: s.LastSequenceNumber}
		st.sub.ChangeTypes = append([]ChangeType(nil), s.ChangeTypes...)
		st.track = newSeqTracker(s.LastSequenceNumber)
		states = append(states, st)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l := &Listener{c: c, opts: o, events: make(chan envelope), subs: states, log: c.p.Logger()}
	srcs, err := l.sources(states)
	if err != nil {
		return nil, err
	}
	l.ctx, l.cancel = context.WithCancelCause(ctx)
	for _, src := range srcs {
		l.wg.Go(func() { src.run(l.ctx) })
	}
	return l, nil
}

// Next waits for the next event. ctx bounds this wait only: after it
// expires, Next returns ctx.Err() and the listener goes on. Once the
// listener has stopped, Next returns why: ErrClosed after Close, the
// context's error after the Listen context ended, or the error that made
// listening impossible.
func (l *Listener) Next(ctx context.Context) (Event, error) {
	select {
	case env := <-l.events:
		l.delivered(env)
		return env.ev, nil
	case <-l.ctx.Done():
		return Event{}, context.Cause(l.ctx)
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

// All returns an iterator over Next's events. It stops after yielding
// the first error (nothing is yielded for ErrClosed) or when the loop body
// breaks; the listener keeps running until Close.
//
// Cancellation: when ctx is cancelled or its deadline passes, the sequence
// yields ctx.Err() (context.Canceled or context.DeadlineExceeded) once and
// ends, like every iterator of the module; test it with errors.Is. The
// listener itself goes on (ctx bounds this iteration only). When the
// context given to Listen ends, the sequence likewise yields that
// context's error once and ends.
func (l *Listener) All(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for {
			ev, err := l.Next(ctx)
			if err != nil {
				if !errors.Is(err, ErrClosed) {
					yield(Event{}, err)
				}
				return
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
}

// Close stops every connection and waits for the listener's goroutines to
// exit. Notifications read but not yet returned by Next are discarded: the
// subscriptions' LastSequenceNumber (see Subscriptions) only counts those
// handed to the caller, so listening again from persisted state reports
// them as a gap. Close is idempotent.
func (l *Listener) Close() error {
	l.cancel(ErrClosed)
	l.wg.Wait()
	return nil
}

// Subscriptions returns the listener's current subscriptions (with the new
// IDs after resubscriptions) and, in LastSequenceNumber, where gap
// detection stands for each after the last notification Next returned:
// that notification's sequence number, or a higher one read before it when
// it arrived late. It is 0 for a subscription created again after expiry
// until Next returns one of its notifications (the new subscription counts
// from 1), and it follows the service's numbering when that restarted
// (GapReset). This is what to persist and hand to Listen to resume later.
func (l *Listener) Subscriptions() []Subscription {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Subscription, len(l.subs))
	for i, st := range l.subs {
		out[i] = st.sub
		out[i].ChangeTypes = append([]ChangeType(nil), st.sub.ChangeTypes...)
		out[i].LastSequenceNumber = st.delivered
		if st.graph != nil {
			out[i].graph, out[i].LastSequenceNumber = st.graph.state()
		}
	}
	return out
}

// Stats returns counters of what the listener did so far.
func (l *Listener) Stats() ListenerStats {
	return ListenerStats{
		Connections: l.stats.connections.Load(), Disconnects: l.stats.disconnects.Load(),
		Resubscriptions: l.stats.resubscriptions.Load(), Gaps: l.stats.gaps.Load(), Duplicates: l.stats.duplicates.Load(),
	}
}

// delivered records that Next handed env to the caller. Events of one
// subscription are sent in order, but concurrent Next calls may record
// them out of order: the stamp keeps the latest.
func (l *Listener) delivered(env envelope) {
	if env.st == nil {
		return
	}
	l.mu.Lock()
	if env.stamp > env.st.deliveredStamp {
		env.st.deliveredStamp = env.stamp
		env.st.delivered = env.resume
	}
	l.mu.Unlock()
}

// fail stops the listener with err (the first error wins).
func (l *Listener) fail(err error) { l.cancel(err) }

// group is the subscriptions of one connection and the goroutine that keeps
// that connection open.
type group struct {
	l    *Listener
	subs []*subState
}

// errCleanEnd marks a connection the service ended with "]}".
var errCleanEnd = errors.New("streaming: the service ended the connection")

func (g *group) ids() []string {
	ids := make([]string, len(g.subs))
	g.l.mu.Lock()
	for i, st := range g.subs {
		ids[i] = st.sub.ID
	}
	g.l.mu.Unlock()
	return ids
}

func (g *group) byID(id string) *subState {
	for _, st := range g.subs {
		if st.sub.ID == id { // written only by this goroutine
			return st
		}
	}
	return nil
}

// emit hands an event to Next; false when the listener stopped first.
func (g *group) emit(ctx context.Context, env envelope) bool {
	select {
	case g.l.events <- env:
		return true
	case <-ctx.Done():
		return false
	}
}

func (g *group) emitGap(ctx context.Context, st *subState, gap *Gap, n *Notification) bool {
	gap.SubscriptionID = st.sub.ID
	gap.Resource = st.sub.Resource
	g.l.stats.gaps.Add(1)
	g.l.log.LogAttrs(ctx, slog.LevelWarn, "streaming: notifications may be missing", slog.String("subscription", gap.SubscriptionID),
		slog.String("reason", string(gap.Reason)), slog.Int64("from", gap.FromSeq), slog.Int64("to", gap.ToSeq))
	env := envelope{ev: Event{Kind: EventGap, Gap: gap}}
	switch {
	case n != nil:
		env.ev.Notification = n.Clone()
		g.track(&env, st, st.track.last)
	case gap.Reason == GapReset:
		// The numbering restarted with the notification that follows
		// this event: once the caller has the gap, resume just before
		// that notification, so that losing it (Close) shows as a gap.
		g.track(&env, st, max(st.track.last-1, 0))
	}
	return g.emit(ctx, env)
}

// track stamps env, which carries a notification of st (or its reset
// gap) just observed by st's tracker, so that Next records resume as st's
// resume point when it returns env.
func (g *group) track(env *envelope, st *subState, resume int64) {
	st.stamp++
	env.st, env.stamp, env.resume = st, st.stamp, resume
}

// run keeps the group's connection open until ctx ends or listening fails.
func (g *group) run(ctx context.Context) {
	var (
		attempt   int // failed attempts since the last healthy connection
		authFails int // consecutive 401s
		notFound  int // consecutive 404s for subscriptions that never connected
	)
	for ctx.Err() == nil {
		cn, err := g.connect(ctx)
		if ctx.Err() != nil {
			if cn != nil {
				cn.close()
			}
			return
		}
		if err != nil {
			status := office365.StatusCode(err)
			if status == http.StatusNotFound {
				authFails = 0 // the token was accepted
				expired := g.expired(err)
				if !slices.ContainsFunc(expired, func(st *subState) bool { return !st.fresh }) {
					// Only subscriptions created since the last connection:
					// back off, and give up if it goes on.
					notFound++
					if notFound > maxFreshNotFound {
						g.l.fail(fmt.Errorf("streaming: GetNotifications keeps answering 404 for new subscriptions: %w", err))
						return
					}
					if !g.sleep(ctx, g.backoff(notFound-1)) {
						return
					}
				}
				if !g.resubscribe(ctx, expired, err) {
					return
				}
				continue
			}
			if status != http.StatusUnauthorized && (status != 0 || transient(err)) {
				// The service answered, or the network failed: the
				// credential is not what fails, so rejections are no longer
				// in a row.
				authFails = 0
			}
			delay := g.backoff(attempt)
			switch {
			case status == http.StatusUnauthorized:
				authFails++
				if authFails >= g.l.opts.MaxAuthFailures {
					g.l.fail(fmt.Errorf("streaming: GetNotifications rejected the token %d times in a row: %w", authFails, err))
					return
				}
			case status == 0 && !transient(err):
				// No answer from the service and no network failure either:
				// the credential could not produce a token, or the request
				// cannot be sent at all. Retrying for ever would hide it.
				authFails++
				if authFails >= g.l.opts.MaxAuthFailures {
					g.l.fail(fmt.Errorf("streaming: cannot open a GetNotifications connection (%d attempts in a row): %w", authFails, err))
					return
				}
			case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
				delay = g.retryAfter(err, delay)
			case status >= 400 && status < 500 && status != http.StatusRequestTimeout:
				g.l.fail(fmt.Errorf("streaming: GetNotifications failed: %w", err))
				return
			}
			attempt++
			if !g.disconnected(ctx, err, attempt, delay) || !g.sleep(ctx, delay) {
				return
			}
			continue
		}
		notFound, authFails = 0, 0
		for _, st := range g.subs {
			st.fresh = false
		}
		g.l.stats.connections.Add(1)
		if !g.emit(ctx, envelope{ev: Event{Kind: EventConnected, Connection: &Connection{SubscriptionIDs: g.ids(), Attempt: attempt}}}) {
			cn.close()
			return
		}
		for _, st := range g.subs {
			if st.pendingGap == nil {
				continue
			}
			gap := st.track.openGap(GapReconnect, st.pendingGap)
			st.pendingGap = nil
			if !g.emitGap(ctx, st, gap, nil) {
				cn.close()
				return
			}
		}
		start := time.Now()
		objects, err := g.read(ctx, cn)
		cn.close()
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errCleanEnd) {
			lasted := time.Since(start)
			if lasted >= g.l.opts.KeepAliveInterval {
				attempt = 0
				continue
			}
			// Nothing was lost, but a service that ends every connection at
			// once must not be hammered: back off.
			delay := g.backoff(attempt)
			attempt++
			err = fmt.Errorf("%w after only %s", errCleanEnd, lasted.Round(time.Millisecond))
			if !g.disconnected(ctx, err, attempt, delay) || !g.sleep(ctx, delay) {
				return
			}
			continue
		}
		// Whatever the service wrote into this connection after the last
		// complete object is lost: report it once a connection is back.
		for _, st := range g.subs {
			st.pendingGap = err
		}
		if objects > 0 && time.Since(start) >= g.l.opts.KeepAliveInterval {
			attempt = 0
		}
		delay := g.backoff(attempt)
		attempt++
		if !g.disconnected(ctx, err, attempt, delay) || !g.sleep(ctx, delay) {
			return
		}
	}
}

// transient reports whether err, which carries no HTTP status, is a
// failure worth retrying for ever: a network error (the pipeline wraps
// those in a *url.Error) or a stalled connection. Anything else, such as a
// credential that cannot produce a token or a request the pipeline refuses
// to send, would fail the same way on every attempt.
func transient(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, ErrStalled) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}

// disconnected reports a failure to the log and to the caller.
func (g *group) disconnected(ctx context.Context, err error, attempt int, delay time.Duration) bool {
	g.l.stats.disconnects.Add(1)
	g.l.log.LogAttrs(ctx, slog.LevelWarn, "streaming: reconnecting", slog.Int("attempt", attempt),
		slog.Duration("delay", delay), slog.String("error", err.Error()))
	return g.emit(ctx, envelope{ev: Event{Kind: EventDisconnected, Connection: &Connection{
		SubscriptionIDs: g.ids(), Attempt: attempt, Err: err, RetryIn: delay,
	}}})
}

// backoff returns the delay before attempt (0-based): exponential from
// MinBackoff, capped at MaxBackoff, with "equal jitter" (half fixed, half
// random) so that many clients dropped together do not return together,
// and never below MinBackoff.
func (g *group) backoff(attempt int) time.Duration {
	d := g.l.opts.MinBackoff
	for i := 0; i < attempt && d < g.l.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, g.l.opts.MaxBackoff)
	lo := max(d/2, g.l.opts.MinBackoff)
	if d <= lo {
		return d
	}
	return lo + rand.N(d-lo)
}

// retryAfter is the delay the service asked for in err (429, 503), if any,
// never below MinBackoff; otherwise def.
func (g *group) retryAfter(err error, def time.Duration) time.Duration {
	var apiErr *office365.Error
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return max(apiErr.RetryAfter, g.l.opts.MinBackoff)
	}
	return def
}

func (g *group) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// getNotificationsRequest is the body of POST {beta}/me/GetNotifications.
type getNotificationsRequest struct {
	ConnectionTimeoutInMinutes             int      `json:"ConnectionTimeoutInMinutes"`
	KeepAliveNotificationIntervalInSeconds int      `json:"KeepAliveNotificationIntervalInSeconds"`
	SubscriptionIds                        []string `json:"SubscriptionIds"`
}

// conn is one open GetNotifications response.
type conn struct {
	resp   *http.Response
	dec    *Decoder
	wd     *watchdog
	ctx    context.Context
	cancel context.CancelCauseFunc
}

func (cn *conn) close() {
	cn.wd.stop()
	cn.cancel(errCleanEnd)
	cn.resp.Body.Close()
}

// connect opens a GetNotifications connection for the group. A fresh token
// is fetched for it (the pipeline asks the credential on every try, and
// once more after a 401). The pipeline does not retry: reconnection policy
// is the listener's.
//
// The watchdog runs while the transport holds the request (see
// watchdog.trace), not while the pipeline waits for the credential.
func (g *group) connect(ctx context.Context) (*conn, error) {
	cctx, cancel := context.WithCancelCause(ctx)
	wd := newWatchdog(g.l.opts.IdleTimeout, cancel)
	if g.l.untraced.Load() {
		wd.arm()
	}
	c := g.l.c
	resp, err := c.p.Do(httptrace.WithClientTrace(cctx, wd.trace()), &transport.Request{
		Method: http.MethodPost,
		Path:   c.userPath + "/GetNotifications",
		Header: c.header(),
		JSON: getNotificationsRequest{
			ConnectionTimeoutInMinutes:             int(g.l.opts.ConnectionTimeout / time.Minute),
			KeepAliveNotificationIntervalInSeconds: int(g.l.opts.KeepAliveInterval / time.Second),
			SubscriptionIds:                        g.ids(),
		},
		NoRetry: true,
	})
	if !wd.responded() && (err == nil || office365.StatusCode(err) != 0) {
		// An answer came without a single trace event: this transport
		// does not report them (a custom RoundTripper), so from now on
		// the watchdog covers the whole attempt, token included.
		g.l.untraced.Store(true)
	}
	if err != nil {
		wd.stop()
		if ctx.Err() == nil && errors.Is(context.Cause(cctx), ErrStalled) {
			err = fmt.Errorf("streaming: waiting for the GetNotifications response: %w", ErrStalled)
		}
		cancel(err)
		return nil, err
	}
	var dopts []DecoderOption
	if g.l.opts.MaxObjectSize > 0 {
		dopts = append(dopts, WithMaxObjectSize(g.l.opts.MaxObjectSize))
	}
	return &conn{
		resp: resp, wd: wd, ctx: cctx, cancel: cancel,
		dec: NewDecoder(&watchedBody{r: resp.Body, wd: wd}, dopts...),
	}, nil
}

// read consumes the connection until it ends and returns how many objects
// (keep-alives included) it carried and why it ended: errCleanEnd after
// "]}", otherwise the error.
func (g *group) read(ctx context.Context, cn *conn) (int, error) {
	objects := 0
	for {
		n, err := cn.dec.Next()
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				return objects, errCleanEnd
			case errors.Is(context.Cause(cn.ctx), ErrStalled):
				return objects, fmt.Errorf("streaming: reading notifications: %w", ErrStalled)
			}
			return objects, fmt.Errorf("streaming: reading notifications: %w", err)
		}
		objects++
		if n.IsKeepAlive() {
			continue
		}
		if !g.deliver(ctx, n) {
			return objects, ctx.Err()
		}
	}
}

// deliver turns one notification into events: the gap it reveals, then the
// notification itself (unless it is a repeat, or a Missed
// notification, which travels inside its gap event).
func (g *group) deliver(ctx context.Context, n *Notification) bool {
	st := g.byID(n.SubscriptionID)
	if st == nil {
		// Not one of ours (perhaps an expired predecessor): never drop it.
		return g.emit(ctx, envelope{ev: Event{Kind: EventNotification, Notification: n.Clone()}})
	}
	dup, gap := st.track.observe(n)
	if dup {
		g.l.stats.duplicates.Add(1)
		return true
	}
	if gap != nil {
		var missed *Notification
		if n.ChangeType == ChangeMissed {
			missed = n
		}
		if !g.emitGap(ctx, st, gap, missed) {
			return false
		}
		if missed != nil {
			return true
		}
	}
	env := envelope{ev: Event{Kind: EventNotification, Notification: n.Clone()}}
	g.track(&env, st, st.track.last)
	return g.emit(ctx, env)
}

// maxFreshNotFound is how many times in a row GetNotifications may answer
// 404 for subscriptions just created before listening fails.
const maxFreshNotFound = 5

// expired returns the subscriptions a 404 from GetNotifications is about:
// those the error message names, or else all of the group's, since the
// service does not otherwise say which one expired.
func (g *group) expired(cause error) []*subState {
	var expired []*subState
	msg := cause.Error()
	for _, st := range g.subs {
		if strings.Contains(msg, st.sub.ID) {
			expired = append(expired, st)
		}
	}
	if len(expired) == 0 {
		return g.subs
	}
	return expired
}

// resubscribe replaces expired subscriptions of the group.
func (g *group) resubscribe(ctx context.Context, expired []*subState, cause error) bool {
	for _, st := range expired {
		if st.sub.Resource == "" {
			g.l.fail(fmt.Errorf("streaming: subscription %s expired and has no Resource to subscribe to again: %w", st.sub.ID, cause))
			return false
		}
		changes := st.sub.requested()
		if len(changes) == 0 {
			changes = DefaultChangeTypes
		}
		credFails := 0
		for attempt := 0; ; attempt++ {
			sub, err := g.l.c.subscribe(ctx, st.sub.Resource, changes)
			if ctx.Err() != nil {
				return false
			}
			if err == nil {
				if !g.replace(ctx, st, sub, cause) {
					return false
				}
				break
			}
			status := office365.StatusCode(err)
			if status == 0 && !transient(err) {
				credFails++
			} else {
				credFails = 0
			}
			if status >= 400 && status < 500 && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout ||
				credFails >= g.l.opts.MaxAuthFailures {
				g.l.fail(fmt.Errorf("streaming: subscribing again to %s after expiry: %w", st.sub.Resource, err))
				return false
			}
			delay := g.retryAfter(err, g.backoff(attempt))
			if !g.disconnected(ctx, fmt.Errorf("streaming: subscribing again after expiry: %w", err), attempt+1, delay) ||
				!g.sleep(ctx, delay) {
				return false
			}
		}
	}
	return true
}

// replace installs sub in place of st's expired subscription and reports
// it: EventResubscribed, then an open gap for the old subscription.
func (g *group) replace(ctx context.Context, st *subState, sub *Subscription, cause error) bool {
	g.l.mu.Lock()
	old := st.sub
	old.LastSequenceNumber = st.delivered
	st.sub = *sub
	// The new subscription counts from 1: resume from 0, and ignore the
	// old subscription's envelopes still on their way to Next.
	st.delivered, st.deliveredStamp = 0, st.stamp
	g.l.mu.Unlock()
	gap := st.track.openGap(GapExpired, cause)
	gap.SubscriptionID, gap.Resource = old.ID, old.Resource
	st.track = seqTracker{}
	st.pendingGap = nil
	st.fresh = true
	g.l.stats.resubscriptions.Add(1)
	g.l.stats.gaps.Add(1)
	g.l.log.LogAttrs(ctx, slog.LevelInfo, "streaming: subscription expired; subscribed again",
		slog.String("old", old.ID), slog.String("new", sub.ID))
	if !g.emit(ctx, envelope{ev: Event{Kind: EventResubscribed, Resubscribed: &Resubscription{Old: old, New: *sub, Err: cause}}}) {
		return false
	}
	return g.emit(ctx, envelope{ev: Event{Kind: EventGap, Gap: gap}})
}

// watchdog cancels a connection when it stays armed for the idle timeout.
// It is armed while the connection waits for bytes (the response headers,
// then each Read of the body) and disarmed while the caller is busy, so a
// slow consumer never trips it, and while the pipeline fetches a token, so
// a slow credential does not either.
//
// Until the response arrives it is driven by httptrace events (see trace);
// after that by watchedBody.
type watchdog struct {
	idle  time.Duration
	timer *time.Timer

	mu       sync.Mutex
	request  bool // before responded: trace events drive the timer
	traced   bool // a trace event arrived
	inFlight int  // requests the transport took whose response is not done
}

// newWatchdog returns a disarmed watchdog.
func newWatchdog(idle time.Duration, cancel context.CancelCauseFunc) *watchdog {
	w := &watchdog{idle: idle, request: true}
	w.timer = time.AfterFunc(idle, func() { cancel(ErrStalled) })
	w.timer.Stop()
	return w
}

func (w *watchdog) arm()    { w.timer.Reset(w.idle) }
func (w *watchdog) disarm() { w.timer.Stop() }
func (w *watchdog) stop()   { w.timer.Stop() }

// trace returns the hooks that run the watchdog while the request is in
// the pipeline. The pipeline fetches the token before it hands the request
// to the transport, so the clock starts when the transport asks for a
// connection (GetConn) and restarts on every sign of progress: request
// written, first response byte. When the transport puts the connection
// back into its pool (PutIdleConn: a response the pipeline read and
// discarded, such as the 401 after which it fetches a fresh token and
// tries again), the clock stops until the next GetConn.
//
// Limits: a token fetched after a 401 but before the response is
// discarded (the pipeline first asks a credential that is not an
// auth.Refresher whether it has a different token), or over a transport
// that does not report PutIdleConn (HTTP/2), is waited for with the clock
// running from the 401's first byte, so such a refresh must take less than
// the idle timeout. A transport that reports no trace event at all is
// handled by Listener.untraced.
func (w *watchdog) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn:              func(string) { w.event(+1) },
		WroteHeaders:         func() { w.event(0) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { w.event(0) },
		GotFirstResponseByte: func() { w.event(0) },
		PutIdleConn:          func(error) { w.event(-1) },
	}
}

// event applies a trace event: delta counts requests taken (+1) and
// responses done (-1) by the transport; progress (0) restarts the clock.
// Armed while any request is in flight.
func (w *watchdog) event(delta int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.request {
		return // the response arrived; watchedBody drives the timer
	}
	w.traced = true
	w.inFlight = max(w.inFlight+delta, 0)
	switch {
	case delta >= 0:
		w.arm() // restart the clock: the transport holds the request
	case w.inFlight == 0:
		w.disarm() // every response is done: the pipeline is on its own
	}
}

// responded ends the request phase (the pipeline returned) and disarms the
// watchdog; later trace events are ignored. It reports whether any trace
// event arrived.
func (w *watchdog) responded() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.request = false
	w.disarm()
	return w.traced
}

// watchedBody arms the watchdog around every Read of the response body.
type watchedBody struct {
	r  io.Reader
	wd *watchdog
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.wd.arm()
	n, err := b.r.Read(p)
	b.wd.disarm()
	return n, err
}
