package streaming

import (
	"context"
	"maps"
	"slices"
	"time"
)

// GapContainerRemoved is the reason of a gap reported by a WithGraph client
// for a mailbox-wide subscription ([Messages], [Tasks]) when a mail folder
// or To Do list it tracked was removed: whatever changed in it since it
// was last polled, in particular the deletion of its items, is not
// reported one by one. The gap's Resource is the container's delta query.
// Open.
const GapContainerRemoved GapReason = "container-removed"

// graphComp is what a composite subscription (every message of the
// mailbox, every To Do task) adds to its containers' query: one delta
// query per container, its parts.
type graphComp struct {
	// each is the delta URL of one container's items (graphPartURL).
	each string
	// parts are the containers tracked, by id; guarded by the track's mu,
	// changed only by the poll of the containers' query.
	parts map[string]*graphSub
}

// newPart returns the graphSub of the container id of g's composite
// subscription, at link (from the start, reporting every item it finds,
// when empty).
func (g *graphSub) newPart(id, link string, at time.Time, known []knownEntry) *graphSub {
	u := graphPartURL(g.comp.each, id)
	if link == "" {
		link = u
	}
	return &graphSub{st: g.st, tr: g.tr, res: u, comp: g.comp, part: id, want: g.want, sel: g.sel, selv: g.selv,
		known: newKnownSet(known), link: link, at: at}
}

// container handles an entry of a composite subscription's containers
// query: a container that appeared gets a delta query of its own (started
// by the scheduler when this round's poll ends), whose first round reports
// every item in it as Created; one that was removed is dropped with a gap.
// The parts change only when the entry was handled, so a listener stopped
// earlier sees the entry again.
func (s *graphSource) container(ctx context.Context, f *graphFeed, gs *graphSub, it *deltaItem) bool {
	p := gs.comp.parts[it.id]
	switch {
	case it.removed && p != nil:
		return s.dropPart(ctx, p)
	case !it.removed && p == nil:
		p = gs.newPart(it.id, "", time.Time{}, nil)
		p.seen = map[uint64]struct{}{}
		gs.tr.mu.Lock()
		gs.comp.parts[it.id] = p
		gs.tr.mu.Unlock()
		f.added = append(f.added, p)
	}
	return true
}

// endContainers ends a full round of the containers queries of f: the
// containers it did not find were removed.
func (s *graphSource) endContainers(ctx context.Context, f *graphFeed) bool {
	for _, gs := range f.subs {
		if gs.comp == nil || gs.part != "" || gs.seen == nil {
			continue
		}
		for _, id := range slices.Sorted(maps.Keys(gs.comp.parts)) {
			if _, ok := gs.seen[hash64(id)]; !ok && !s.dropPart(ctx, gs.comp.parts[id]) {
				return false
			}
		}
	}
	return true
}

// dropPart reports a gap for a removed container and stops tracking it:
// nothing more is reported for it, and its delta query stops when no other
// subscription tracks it.
func (s *graphSource) dropPart(ctx context.Context, p *graphSub) bool {
	p.tr.emit.Lock()
	defer p.tr.emit.Unlock()
	gap := &Gap{SubscriptionID: p.st.sub.ID, Resource: p.res, FromSeq: p.tr.seq + 1, Reason: GapContainerRemoved}
	s.l.stats.gaps.Add(1)
	if !s.emit(ctx, envelope{ev: Event{Kind: EventGap, Gap: gap}}) {
		return false
	}
	p.gone.Store(true)
	p.tr.mu.Lock()
	delete(p.comp.parts, p.part)
	p.tr.mu.Unlock()
	return true
}
