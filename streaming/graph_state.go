package streaming

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
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
}

func (g *graphState) wire() *graphStateWire {
	if g == nil {
		return nil
	}
	b := make([]byte, 0, 16*len(g.known))
	for _, e := range g.known {
		b = binary.BigEndian.AppendUint64(b, e.id)
		b = binary.BigEndian.AppendUint64(b, e.ver)
	}
	return &graphStateWire{DeltaLink: g.link, SyncedAt: g.at, Select: g.sel, Known: base64.StdEncoding.EncodeToString(b)}
}

func (w *graphStateWire) state() (*graphState, error) {
	if w == nil {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(w.Known)
	if err != nil || len(b)%16 != 0 {
		return nil, errors.New("streaming: Subscription GraphDelta.Known is not a list of 16-byte entries in base64")
	}
	g := &graphState{link: w.DeltaLink, at: w.SyncedAt, sel: w.Select, known: make([]knownEntry, len(b)/16)}
	for i := range g.known {
		g.known[i] = knownEntry{binary.BigEndian.Uint64(b[16*i:]), binary.BigEndian.Uint64(b[16*i+8:])}
	}
	if !slices.IsSortedFunc(g.known, func(a, b knownEntry) int { return cmp.Compare(a.id, b.id) }) {
		return nil, fmt.Errorf("streaming: Subscription GraphDelta.Known is not sorted")
	}
	return g, nil
}

// hash64 is 64-bit FNV-1a.
func hash64[T ~string | ~[]byte](b T) uint64 { return fnvAdd(uint64(fnvOffset), b) }
