package streaming

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// graphState is where a subscription of a WithGraph client stands: an
// immutable snapshot, shared by copies of the Subscription.
type graphState struct {
	// link is the next request of the subscription's delta query: a
	// nextLink or deltaLink; the subscription's Resource for a full round
	// (after Graph invalidated the token); empty before the first round,
	// which is then silent (it only learns what exists).
	link string
	// at is when link was obtained; of two positions in the same delta
	// query, the earlier one is older.
	at time.Time
	// sel are the properties ResourceData carries beyond the identifying
	// ones (Resource.Select).
	sel []string
	// known are the items the subscription has reported (or found when it
	// was created), sorted by id hash.
	known []knownEntry

	// each is, for a composite subscription (every message of the
	// mailbox, every To Do task), the delta URL of one container's items
	// with graphPartID for its id; link and at are then the position of
	// the containers' delta query, and known is empty.
	each string
	// parts are the containers a composite subscription tracks, sorted by
	// id.
	parts []graphPart
}

// graphPart is one container of a composite subscription: its id, and the
// position and known items of its delta query. An empty link (or the
// container's delta URL) starts a full round that reports every item
// found as Created: the container appeared after the subscription began.
type graphPart struct {
	id    string
	link  string
	at    time.Time
	known []knownEntry
}

// knownEntry is one item a subscription knows: 64-bit FNV-1a hashes of its
// id and of its version (its @odata.etag, or its JSON when there is none).
// Sixteen bytes per item, whatever the length of Graph's ids; a collision
// of two ids (odds about n²/2⁶⁵ for n items) would make one item's
// creation look like an update.
type knownEntry struct{ id, ver uint64 }

// knownSet is the live form of the known items.
type knownSet map[uint64]uint64

func (k knownSet) snapshot() []knownEntry {
	out := make([]knownEntry, 0, len(k))
	for _, id := range slices.Sorted(maps.Keys(k)) {
		out = append(out, knownEntry{id, k[id]})
	}
	return out
}

func newKnownSet(entries []knownEntry) knownSet {
	k := make(knownSet, len(entries))
	for _, e := range entries {
		k[e.id] = e.ver
	}
	return k
}

// graphStateWire is the JSON form of a graphState, inside a Subscription's
// "GraphDelta".
type graphStateWire struct {
	DeltaLink string    `json:"DeltaLink"`
	SyncedAt  time.Time `json:"SyncedAt,omitzero"`
	Select    []string  `json:"Select,omitempty"`
	// Known is the known items, 16 bytes each (id hash, version hash, big
	// endian), base64.
	Known string `json:"Known"`
	// Each and Parts are a composite subscription's per-container delta
	// URL and containers.
	Each  string          `json:"Each,omitempty"`
	Parts []graphPartWire `json:"Parts,omitempty"`
}

// graphPartWire is the JSON form of a graphPart.
type graphPartWire struct {
	ID        string    `json:"Id"`
	DeltaLink string    `json:"DeltaLink"`
	SyncedAt  time.Time `json:"SyncedAt,omitzero"`
	Known     string    `json:"Known"`
}

func (g *graphState) wire() *graphStateWire {
	if g == nil {
		return nil
	}
	w := &graphStateWire{DeltaLink: g.link, SyncedAt: g.at, Select: g.sel, Known: encodeKnown(g.known), Each: g.each}
	for _, p := range g.parts {
		w.Parts = append(w.Parts, graphPartWire{ID: p.id, DeltaLink: p.link, SyncedAt: p.at, Known: encodeKnown(p.known)})
	}
	return w
}

func encodeKnown(known []knownEntry) string {
	b := make([]byte, 0, 16*len(known))
	for _, e := range known {
		b = binary.BigEndian.AppendUint64(b, e.id)
		b = binary.BigEndian.AppendUint64(b, e.ver)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func decodeKnown(s string) ([]knownEntry, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b)%16 != 0 {
		return nil, errors.New("streaming: Subscription GraphDelta.Known is not a list of 16-byte entries in base64")
	}
	known := make([]knownEntry, len(b)/16)
	for i := range known {
		known[i] = knownEntry{binary.BigEndian.Uint64(b[16*i:]), binary.BigEndian.Uint64(b[16*i+8:])}
	}
	if !slices.IsSortedFunc(known, func(a, b knownEntry) int { return cmp.Compare(a.id, b.id) }) {
		return nil, fmt.Errorf("streaming: Subscription GraphDelta.Known is not sorted")
	}
	return known, nil
}

func (w *graphStateWire) state() (*graphState, error) {
	if w == nil {
		return nil, nil
	}
	known, err := decodeKnown(w.Known)
	if err != nil {
		return nil, err
	}
	g := &graphState{link: w.DeltaLink, at: w.SyncedAt, sel: w.Select, known: known, each: w.Each}
	if len(w.Parts) > 0 && (w.Each == "" || !strings.Contains(w.Each, graphPartID)) {
		return nil, errors.New("streaming: Subscription GraphDelta.Parts without a per-container delta URL (Each)")
	}
	for i, p := range w.Parts {
		if p.ID == "" || i > 0 && p.ID <= w.Parts[i-1].ID {
			return nil, errors.New("streaming: Subscription GraphDelta.Parts are not sorted by a non-empty, unique Id")
		}
		known, err := decodeKnown(p.Known)
		if err != nil {
			return nil, err
		}
		g.parts = append(g.parts, graphPart{id: p.ID, link: p.DeltaLink, at: p.SyncedAt, known: known})
	}
	return g, nil
}

// hash64 is 64-bit FNV-1a.
func hash64[T ~string | ~[]byte](b T) uint64 { return fnvAdd(uint64(fnvOffset), b) }
