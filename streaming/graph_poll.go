package streaming

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/transport"
)

// DefaultPollInterval is the default ListenOptions.PollInterval of a
// WithGraph client.
const DefaultPollInterval = 5 * time.Second

// GraphRequestSpacing is the average time between two requests that keeps
// a client within the Outlook service's budget on Microsoft Graph: 10,000
// requests per 10 minutes per app and mailbox. A listener polling n delta
// queries polls each at most every n × GraphRequestSpacing (60 s for
// 1,000 folders), even when PollInterval is shorter.
const GraphRequestSpacing = 10 * time.Minute / 10000

// GapResync is the reason of a gap reported by a WithGraph client when
// Microsoft Graph invalidated a subscription's delta token (410 Gone, or
// syncStateNotFound / resyncRequired). The listener starts the delta query
// afresh and reports, against what the subscription knew, every item
// created or changed meanwhile as Created or Updated; items deleted
// meanwhile are not reported one by one: the gap covers them. Open.
const GapResync GapReason = "resync"

// source feeds a Listener's subscriptions with events until ctx ends or
// listening fails: a GetNotifications connection (group) or a Graph
// poller (graphSource).
type source interface {
	run(ctx context.Context)
}

// sources returns what feeds the listener's subscriptions.
func (l *Listener) sources(states []*subState) ([]source, error) {
	if l.c.graph != nil {
		return l.graphSources(states)
	}
	for _, st := range states {
		if st.sub.graph != nil {
			return nil, fmt.Errorf("streaming: Listen: subscription %s is a Microsoft Graph delta query: listen with a WithGraph client", st.sub.ID)
		}
	}
	var out []source
	for i := 0; i < len(states); i += l.opts.MaxSubscriptionsPerConnection {
		out = append(out, &group{l: l, subs: states[i:min(i+l.opts.MaxSubscriptionsPerConnection, len(states))]})
	}
	return out, nil
}

// graphSub is one delta query of a subscription of a Graph listener: the
// subscription's own, or for a composite subscription its containers'
// query and one per container (its parts).
type graphSub struct {
	st    *subState
	tr    *graphTrack // the subscription's, shared by its parts
	res   string      // the delta query (Gap.Resource)
	comp  *graphComp  // a composite subscription's containers
	part  string      // a composite's container: its id ("" for the containers' query)
	gone  atomic.Bool // a container that was removed: report nothing more
	want  [3]bool     // Created, Updated, Deleted
	sel   map[string]bool
	seen  map[uint64]struct{} // a full round is running: the items it found
	quiet bool                // the first round: learn what exists, report nothing

	// Guarded by tr.mu (what Subscriptions reads):
	known knownSet
	link  string
	at    time.Time
	selv  []string
}

// graphTrack numbers the events of one subscription.
type graphTrack struct {
	// emit is held while an event of the subscription is numbered and
	// handed on, so that the parts of a composite subscription, polled
	// concurrently, deliver their notifications in sequence order.
	emit sync.Mutex
	// mu guards seq and the position (known, link, at) of every
	// graphSub of the subscription, and a composite's parts.
	mu  sync.Mutex
	seq int64
}

// state returns the subscription's position to persist and its last
// sequence number, consistent with each other.
func (g *graphSub) state() (*graphState, int64) {
	g.tr.mu.Lock()
	defer g.tr.mu.Unlock()
	st := &graphState{link: g.link, at: g.at, sel: g.selv, known: g.known.snapshot()}
	if g.comp != nil {
		st.each, st.known = g.comp.each, nil
		for _, id := range slices.Sorted(maps.Keys(g.comp.parts)) {
			p := g.comp.parts[id]
			st.parts = append(st.parts, graphPart{id: id, link: p.link, at: p.at, known: p.known.snapshot()})
		}
	}
	return st, g.tr.seq
}

// graphFeed is one delta query polled for every subscription that tracks
// it: subscriptions of one resource share its requests.
type graphFeed struct {
	url             string // the delta query (the subscriptions' Resource)
	base, odataType string // item URLs and type (graphItemBase)
	link            string // the next request
	full            bool   // the round in progress started from url
	subs            []*graphSub
	added           []*graphSub // containers that appeared in the last round: the scheduler starts their queries

	due       time.Time
	last      time.Time // when its last round started
	index     int       // in the scheduler's heap
	up        bool      // the last request succeeded
	attempt   int       // failed requests since the last success
	authFails int       // credential failures or 401s in a row
	resyncs   int       // invalidated tokens in a row
}

// graphSource polls the delta queries of a listener's subscriptions.
type graphSource struct {
	l     *Listener
	feeds []*graphFeed
	byKey map[string]*graphFeed
	live  int // feeds scheduled (used by run only)
}

// graphSources groups the subscriptions by delta query. Subscriptions of
// one query that stand at different positions share one feed starting
// from the oldest position: each compares what it receives with the items
// it knows, so changes it already knew of are not reported again.
// Subscriptions that must run a full round (no position yet, or their
// token was invalidated) get a feed of their own.
func (l *Listener) graphSources(states []*subState) ([]source, error) {
	if l.opts.PollInterval < 0 {
		return nil, fmt.Errorf("streaming: ListenOptions.PollInterval %s is negative", l.opts.PollInterval)
	}
	src := &graphSource{l: l, byKey: map[string]*graphFeed{}}
	for _, st := range states {
		s := &st.sub
		if s.Resource == "" {
			return nil, fmt.Errorf("streaming: Listen: subscription %s has no Resource (a Microsoft Graph delta query)", s.ID)
		}
		g := s.graph
		if g == nil {
			if !strings.Contains(strings.ToLower(s.Resource), "/delta") {
				return nil, fmt.Errorf("streaming: Listen: subscription %s is not a Microsoft Graph delta query (%s): subscribe with this client", s.ID, transport.RedactURL(s.Resource))
			}
			g = &graphState{}
		}
		gs := &graphSub{st: st, tr: &graphTrack{seq: s.LastSequenceNumber}, res: s.Resource, sel: graphSelected(g.sel),
			selv: g.sel, known: newKnownSet(g.known), link: g.link, at: g.at, quiet: g.link == "" && g.each == ""}
		for _, c := range s.ChangeTypes {
			switch canonicalChangeType(string(c)) {
			case ChangeCreated:
				gs.want[0] = true
			case ChangeUpdated:
				gs.want[1] = true
			case ChangeDeleted:
				gs.want[2] = true
			}
		}
		if len(s.ChangeTypes) == 0 {
			gs.want = [3]bool{true, true, true}
		}
		st.graph = gs
		if g.each != "" {
			gs.comp = &graphComp{each: g.each, parts: make(map[string]*graphSub, len(g.parts))}
			for _, p := range g.parts {
				part := gs.newPart(p.id, p.link, p.at, p.known)
				gs.comp.parts[p.id] = part
				src.attach(part)
			}
		}
		src.attach(gs)
	}
	l.wake = make(chan struct{}, 1)
	return []source{src}, nil
}

// attach adds gs to the feed of its delta query.
func (s *graphSource) attach(gs *graphSub) {
	full := gs.link == "" || gs.link == gs.res
	key := gs.res + "\x00" + fmt.Sprint(full)
	f := s.byKey[key]
	if f == nil {
		f = newGraphFeed(gs.res, gs.link, full)
		s.byKey[key] = f
		s.feeds = append(s.feeds, f)
	} else if !full && gs.at.Before(f.subs[0].at) {
		f.link = gs.link
	}
	f.subs = append(f.subs, gs)
	if !full {
		// Keep the oldest position first.
		slices.SortStableFunc(f.subs, func(a, b *graphSub) int { return a.at.Compare(b.at) })
	}
	if full {
		gs.seen = map[uint64]struct{}{}
	}
}

// newGraphFeed returns the feed of the delta query u, starting at link
// (from u itself for a full round).
func newGraphFeed(u, link string, full bool) *graphFeed {
	f := &graphFeed{url: u, link: link, full: full}
	if full {
		f.link = u
	}
	f.base, f.odataType = graphItemBase(u)
	return f
}

// PollNow asks a WithGraph listener to poll its delta queries now rather
// than when PollInterval next comes round: for example when a Microsoft
// Graph change notification (a webhook, such as the outlook package's
// push receiver) says something changed, so that the latency is the
// webhook's while the delta queries stay the source of truth (a webhook
// may lose or repeat notifications; delta does not). Each delta query is
// still polled no more often than the request budget allows (see
// GraphRequestSpacing). It returns at once, and does nothing for the
// Outlook API or after Close.
func (l *Listener) PollNow() {
	if l.wake == nil {
		return
	}
	select {
	case l.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// feedHeap orders feeds by due time.
type feedHeap []*graphFeed

func (h feedHeap) Len() int           { return len(h) }
func (h feedHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h feedHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *feedHeap) Push(x any) { f := x.(*graphFeed); f.index = len(*h); *h = append(*h, f) }
func (h *feedHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return f
}

// run schedules the feeds: each is polled when due, at most
// GraphMaxConcurrentRequests at once (the client's request budget also
// bounds them across listeners). An idle feed costs one request per
// PollInterval and no goroutine.
func (s *graphSource) run(ctx context.Context) {
	// Stay within the mailbox's request budget: many delta queries are
	// polled less often rather than throttled.
	interval := func() time.Duration {
		return max(cmp.Or(s.l.opts.PollInterval, DefaultPollInterval), time.Duration(s.live)*GraphRequestSpacing)
	}
	s.live = len(s.feeds)
	now := time.Now()
	h := make(feedHeap, 0, len(s.feeds))
	for _, f := range s.feeds {
		f.due = now
		heap.Push(&h, f)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	done := make(chan *graphFeed)
	inFlight := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		now = time.Now()
		for inFlight < GraphMaxConcurrentRequests && h.Len() > 0 && !h[0].due.After(now) {
			f := heap.Pop(&h).(*graphFeed)
			if f.subs = slices.DeleteFunc(f.subs, func(gs *graphSub) bool { return gs.gone.Load() }); len(f.subs) == 0 {
				s.live-- // every container it tracked was removed
				continue
			}
			f.last = now
			inFlight++
			iv := interval()
			wg.Go(func() {
				s.poll(ctx, f, iv)
				select {
				case done <- f:
				case <-ctx.Done():
				}
			})
		}
		if inFlight < GraphMaxConcurrentRequests && h.Len() > 0 {
			timer.Reset(time.Until(h[0].due))
		}
		select {
		case f := <-done:
			inFlight--
			heap.Push(&h, f)
			for _, gs := range f.added {
				nf := newGraphFeed(gs.res, gs.link, true)
				nf.subs, nf.due = []*graphSub{gs}, time.Now()
				heap.Push(&h, nf)
				s.live++
			}
			f.added = nil
		case <-timer.C:
		case <-s.l.wake:
			// Poll now, but never a query sooner than the budget allows
			// after its last poll.
			gap := time.Duration(s.live) * GraphRequestSpacing
			for _, f := range h {
				f.due = minTime(f.due, f.last.Add(gap))
			}
			heap.Init(&h)
		case <-ctx.Done():
			return
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// poll runs one round of f's delta query: it follows next links until
// the delta link, handing each page's changes on before asking for the
// next page. It sets f.due for the next round, or for a retry.
func (s *graphSource) poll(ctx context.Context, f *graphFeed, interval time.Duration) {
	for ctx.Err() == nil {
		page, err := s.l.c.fetchDelta(ctx, f.link, false, s.l.opts.IdleTimeout)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			s.failed(ctx, f, err)
			return
		}
		if !f.up {
			f.up = true
			s.l.stats.connections.Add(1)
			if !s.emit(ctx, envelope{ev: Event{Kind: EventConnected, Connection: &Connection{SubscriptionIDs: f.ids(), Attempt: f.attempt}}}) {
				return
			}
		}
		f.attempt, f.authFails = 0, 0
		if !s.apply(ctx, f, page) {
			return
		}
		if page.NextLink != "" {
			f.link = page.NextLink
			continue
		}
		f.link, f.full, f.resyncs = page.DeltaLink, false, 0
		f.due = time.Now().Add(interval)
		return
	}
}

// apply hands the page's changes on, subscription by subscription, and
// then moves each subscription's position past the page. What a
// subscription knows changes only after the event that reports it was
// taken by Next, so a listener closed mid-page resumes (from the old
// position) without repeating what was delivered or skipping what was not.
func (s *graphSource) apply(ctx context.Context, f *graphFeed, page *deltaPage) bool {
	items, repeats, invalid := collapse(page.Value)
	s.l.stats.duplicates.Add(int64(repeats))
	if invalid > 0 {
		s.l.log.LogAttrs(ctx, slog.LevelWarn, "streaming: Graph delta page entries without an id skipped",
			slog.Int("entries", invalid), slog.String("query", transport.RedactURL(f.url)))
	}
	for i := range items {
		it := &items[i]
		idh := hash64(it.id)
		for _, gs := range f.subs {
			if gs.seen != nil && !it.removed {
				gs.seen[idh] = struct{}{}
			}
			if gs.comp != nil && gs.part == "" {
				if !s.container(ctx, f, gs, it) {
					return false
				}
				continue
			}
			prev, known := gs.known[idh]
			var change ChangeType
			switch {
			case it.removed && !known:
				continue // never reported, or its removal was
			case it.removed:
				change = ChangeDeleted
			case known && prev == it.ver:
				if !gs.quiet && gs.seen == nil { // a full round repeats everything by design
					s.l.stats.duplicates.Add(1)
				}
				continue // a repeat of a version already reported
			case known:
				change = ChangeUpdated
			default:
				change = ChangeCreated
			}
			if gs.quiet || !gs.want[changeIndex(change)] {
				gs.learn(idh, it, 0)
				continue
			}
			if !s.notify(ctx, f, gs, it, idh, change) {
				return false
			}
		}
	}
	if page.NextLink == "" && !s.endContainers(ctx, f) {
		return false
	}
	now := time.Now()
	for _, gs := range f.subs {
		gs.tr.mu.Lock()
		switch {
		case page.NextLink == "":
			gs.link, gs.at = page.DeltaLink, now
			if gs.seen != nil {
				// The full round is complete: what it did not find is gone
				// (covered by the gap that started the round).
				for id := range gs.known {
					if _, ok := gs.seen[id]; !ok {
						delete(gs.known, id)
					}
				}
			}
		case !f.full:
			gs.link, gs.at = page.NextLink, now
		}
		gs.tr.mu.Unlock()
		if page.NextLink == "" {
			gs.seen, gs.quiet = nil, false
		}
	}
	return true
}

// notify hands on the notification of a change to gs, numbered next in
// its subscription, unless gs is a container removed meanwhile.
func (s *graphSource) notify(ctx context.Context, f *graphFeed, gs *graphSub, it *deltaItem, idh uint64, change ChangeType) bool {
	gs.tr.emit.Lock()
	defer gs.tr.emit.Unlock()
	if gs.gone.Load() {
		return true
	}
	seq := gs.tr.seq + 1
	itemURL := f.base + transport.EscapeSegment(it.id)
	n := &Notification{
		ODataType: ODataTypeNotification, SubscriptionID: gs.st.sub.ID, SequenceNumber: seq,
		ChangeType: change, Resource: itemURL, ResourceData: resourceData(it, itemURL, f.odataType, gs.sel),
	}
	gs.st.stamp++
	if !s.emit(ctx, envelope{ev: Event{Kind: EventNotification, Notification: n}, st: gs.st, stamp: gs.st.stamp, resume: seq}) {
		return false
	}
	gs.learn(idh, it, seq)
	return true
}

// learn records the item as the subscription now knows it, and seq (when
// not 0) as its last sequence number.
func (g *graphSub) learn(idh uint64, it *deltaItem, seq int64) {
	g.tr.mu.Lock()
	if it.removed {
		delete(g.known, idh)
	} else {
		g.known[idh] = it.ver
	}
	if seq != 0 {
		g.tr.seq = seq
	}
	g.tr.mu.Unlock()
}

// gap reports a gap of gs's subscription from its next sequence number on,
// unless gs is a container removed meanwhile.
func (s *graphSource) gap(ctx context.Context, gs *graphSub, reason GapReason, err error) bool {
	gs.tr.emit.Lock()
	defer gs.tr.emit.Unlock()
	if gs.gone.Load() {
		return true
	}
	gap := &Gap{SubscriptionID: gs.st.sub.ID, Resource: gs.res, FromSeq: gs.tr.seq + 1, Reason: reason, Err: err}
	s.l.stats.gaps.Add(1)
	attrs := []slog.Attr{slog.String("subscription", gap.SubscriptionID), slog.String("query", transport.RedactURL(gs.res))}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	s.l.log.LogAttrs(ctx, slog.LevelWarn, "streaming: gap ("+string(reason)+")", attrs...)
	return s.emit(ctx, envelope{ev: Event{Kind: EventGap, Gap: gap}})
}

func changeIndex(c ChangeType) int {
	switch c {
	case ChangeCreated:
		return 0
	case ChangeUpdated:
		return 1
	}
	return 2
}

// failed decides what a failed request means: a new full round after an
// invalidated token (with a gap for each subscription), a retry after a
// backoff or Retry-After, or the end of listening.
func (s *graphSource) failed(ctx context.Context, f *graphFeed, err error) {
	status := office365.StatusCode(err)
	delay := s.backoff(f.attempt)
	switch {
	case needsResync(err):
		f.resyncs++
		if f.resyncs > maxResyncs {
			s.l.fail(fmt.Errorf("streaming: Microsoft Graph invalidated the delta query %d times in a row: %w", f.resyncs, err))
			return
		}
		for _, gs := range f.subs {
			if !s.gap(ctx, gs, GapResync, err) {
				return
			}
			gs.tr.mu.Lock()
			gs.link = f.url
			gs.tr.mu.Unlock()
			gs.seen = map[uint64]struct{}{}
		}
		f.link, f.full = f.url, true
		f.due = time.Now()
		return
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		var apiErr *office365.Error
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			delay = apiErr.RetryAfter
		}
	case status == http.StatusNotFound && !slices.ContainsFunc(f.subs, func(gs *graphSub) bool { return gs.part == "" }):
		// A container of composite subscriptions that was removed: their
		// containers' query says so on its next round (and the container
		// is dropped with a gap); until then, retry.
		s.l.PollNow()
	case status == http.StatusUnauthorized || status == 0 && !transient(err) && !errors.Is(err, errNoDeltaLink) ||
		status >= 400 && status < 500 && status != http.StatusRequestTimeout && !hasServiceCode(err):
		// A 401 after a token refresh, a credential that failed, or a 4xx
		// whose body never arrived whole (its error code unknown): retried,
		// but only MaxAuthFailures times in a row.
		f.authFails++
		if f.authFails >= s.l.opts.MaxAuthFailures {
			s.l.fail(fmt.Errorf("streaming: polling Microsoft Graph failed %d times in a row: %w", f.authFails, err))
			return
		}
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout:
		s.l.fail(fmt.Errorf("streaming: polling Microsoft Graph: %w", err))
		return
	}
	f.attempt++
	f.up = false
	s.l.stats.disconnects.Add(1)
	s.l.log.LogAttrs(ctx, slog.LevelWarn, "streaming: Graph poll failed; retrying", slog.Int("attempt", f.attempt),
		slog.Duration("delay", delay), slog.String("error", err.Error()))
	f.due = time.Now().Add(delay)
	s.emit(ctx, envelope{ev: Event{Kind: EventDisconnected, Connection: &Connection{
		SubscriptionIDs: f.ids(), Attempt: f.attempt, Err: err, RetryIn: delay,
	}}})
}

// backoff is the listener's reconnection backoff (see group.backoff).
func (s *graphSource) backoff(attempt int) time.Duration {
	return (&group{l: s.l}).backoff(attempt)
}

func (s *graphSource) emit(ctx context.Context, env envelope) bool {
	return (&group{l: s.l}).emit(ctx, env)
}

func (f *graphFeed) ids() []string {
	ids := make([]string, len(f.subs))
	for i, gs := range f.subs {
		ids[i] = gs.st.sub.ID
	}
	return ids
}

// hasServiceCode reports whether err carries the service's error code.
func hasServiceCode(err error) bool {
	var apiErr *office365.Error
	return errors.As(err, &apiErr) && apiErr.Code != ""
}
