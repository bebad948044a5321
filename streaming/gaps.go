package streaming

import "fmt"

// GapReason says why a [Gap] was reported.
type GapReason string

// Reasons for a gap.
const (
	// GapSequence: sequence numbers jumped; FromSeq..ToSeq never arrived.
	GapSequence GapReason = "sequence"
	// GapMissed: the service sent a Missed notification (it dropped
	// notifications, for example because none could be delivered for a
	// while). The range ends at the Missed notification's number.
	GapMissed GapReason = "missed"
	// GapReconnect: a connection ended unexpectedly (dropped, stalled,
	// garbled); notifications the service wrote into it may be lost. The gap
	// is open (ToSeq 0).
	GapReconnect GapReason = "reconnect"
	// GapExpired: the subscription expired and was replaced by a new one
	// (see EventResubscribed); whatever it had not delivered, and every
	// change until the new subscription was created, is lost. Open.
	GapExpired GapReason = "expired"
	// GapReset: the service's sequence numbers went backwards without
	// repeating a notification, so its numbering restarted and the client
	// cannot tell what happened in between. Open.
	GapReset GapReason = "reset"
)

// Gap reports notifications of one subscription that may never be
// delivered. Nothing tells which items changed: the usual remedy is a delta
// sync (or a fresh read) of Resource.
//
// FromSeq..ToSeq is the range of sequence numbers concerned, inclusive. An
// open gap (ToSeq == 0) covers every number from FromSeq up to the next
// notification the listener delivers for the subscription; a jump revealed
// by that notification is part of the open gap and not reported again.
type Gap struct {
	// SubscriptionID is the subscription the gap belongs to (for
	// GapExpired, the expired one).
	SubscriptionID string
	// Resource is the subscription's resource URL.
	Resource string
	// FromSeq is the first sequence number that may be missing.
	FromSeq int64
	// ToSeq is the last one, or 0 when the gap is open.
	ToSeq int64
	// Reason says why the gap was reported.
	Reason GapReason
	// Err is the error that ended the connection (GapReconnect) or made the
	// subscription unusable (GapExpired), if any.
	Err error
}

// Open reports whether the end of the gap is unknown.
func (g *Gap) Open() bool { return g.ToSeq == 0 }

// Contains reports whether sequence number seq falls in the gap; an open
// gap contains every number from FromSeq on.
func (g *Gap) Contains(seq int64) bool {
	return seq >= g.FromSeq && (g.Open() || seq <= g.ToSeq)
}

// String describes the gap on one line.
func (g *Gap) String() string {
	to := "…"
	if !g.Open() {
		to = fmt.Sprint(g.ToSeq)
	}
	s := fmt.Sprintf("gap (%s) in subscription %s: sequence %d–%s", g.Reason, g.SubscriptionID, g.FromSeq, to)
	if g.Err != nil {
		s += ": " + g.Err.Error()
	}
	return s
}

// seqWindow is how many recent notifications per subscription are
// remembered to recognise repeats and late arrivals.
const seqWindow = 128

type seqEntry struct {
	seq int64
	sub uint64 // hash of the SubscriptionId
	fp  uint64
}

// seqTracker follows the sequence numbers of one subscription as they are
// read from the wire. It is used by one connection goroutine at a time.
type seqTracker struct {
	last int64 // highest sequence number read
	// floor is the resume point the tracker started from: numbers up to it
	// were delivered before (by an earlier listener), so they are repeats.
	floor int64
	open  bool // an open gap was reported and nothing was read since
	ring  *[seqWindow]seqEntry
	next  int // ring write position
	n     int // entries in ring
}

// newSeqTracker returns a tracker resuming after sequence number last.
func newSeqTracker(last int64) seqTracker { return seqTracker{last: last, floor: last} }

// fingerprint identifies a notification for exact-repeat detection: a
// 64-bit FNV-1a hash of its subscription, change type, resource and data.
// The subscription is part of it so that a notification of a new
// subscription (numbered from 1 again after a resubscription) never
// matches one of its predecessor, whatever the tracker remembers.
func fingerprint(n *Notification) uint64 {
	h := uint64(fnvOffset)
	h = fnvAdd(h, n.SubscriptionID)
	h = fnvAdd(h, "\x00")
	h = fnvAdd(h, n.ChangeType)
	h = fnvAdd(h, "\x00")
	h = fnvAdd(h, n.Resource)
	h = fnvAdd(h, "\x00")
	return fnvAdd(h, n.ResourceData)
}

// FNV-1a, 64 bits (hash/fnv without the allocations of its interface).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd[T ~string | ~[]byte](h uint64, b T) uint64 {
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= fnvPrime
	}
	return h
}

func (t *seqTracker) lookup(seq int64) (seqEntry, bool) {
	if t.ring == nil {
		return seqEntry{}, false
	}
	for i := range t.n {
		if e := t.ring[i]; e.seq == seq {
			return e, true
		}
	}
	return seqEntry{}, false
}

func (t *seqTracker) remember(e seqEntry) {
	if t.ring == nil {
		t.ring = new([seqWindow]seqEntry)
	}
	t.ring[t.next] = e
	t.next = (t.next + 1) % seqWindow
	t.n = min(t.n+1, seqWindow)
}

func (t *seqTracker) forget() { t.n, t.next = 0, 0 }

// observe records notification n. It reports whether n is a repeat of one
// already read or delivered (to be dropped), and the gap n reveals, if any
// (without SubscriptionID and Resource, which the caller fills in).
//
// Sequence numbers only grow within a subscription, so a number already
// read is a repeat even when the content differs (the service re-sends
// after a reconnection with a newer etag, for example), and so is a number
// the tracker started after (see floor) or one too old to be remembered.
// The one exception is a jump back to the start of the numbering (1, or 0
// for a service counting from 0) with other content, or a number read
// before under another SubscriptionId: the numbering restarted (GapReset)
// and the tracker starts again from n. A number not read yet but below the
// highest one is a late arrival inside a gap already reported: it is
// delivered.
//
// A Missed notification without a sequence number is never a repeat: it
// has no identity, and each one reports a loss of its own (it opens a gap
// from the next expected number and changes nothing else).
func (t *seqTracker) observe(n *Notification) (dup bool, gap *Gap) {
	seq := n.SequenceNumber
	if n.ChangeType == ChangeMissed && seq <= 0 {
		t.open = true
		return false, &Gap{Reason: GapMissed, FromSeq: t.last + 1}
	}
	e := seqEntry{seq: seq, sub: fnvAdd(uint64(fnvOffset), n.SubscriptionID), fp: fingerprint(n)}
	restart := seq <= 1 && seq < t.last
	prev, seen := t.lookup(seq)
	switch {
	case seen && prev.sub == e.sub && (prev.fp == e.fp || !restart):
		return true, nil
	case seen, seq <= t.last && restart:
		// Another subscription's numbering, or a jump back to the start.
		gap = &Gap{Reason: GapReset, FromSeq: t.last + 1}
		t.forget()
		t.last, t.floor = seq, 0
	case seq > t.last:
		if n.ChangeType == ChangeMissed {
			gap = &Gap{Reason: GapMissed, FromSeq: t.last + 1, ToSeq: seq}
		} else if seq > t.last+1 && !t.open {
			gap = &Gap{Reason: GapSequence, FromSeq: t.last + 1, ToSeq: seq - 1}
		}
		t.last = seq
	case seq <= t.floor && t.floor > 0, seq < t.last-seqWindow:
		// Delivered before this tracker started, or too old to tell.
		return true, nil
	default:
		// A late arrival inside the window (already covered by a gap),
		// or the first number of a subscription that counts from 0. A
		// late Missed notification: what it covers is unknown.
		if n.ChangeType == ChangeMissed {
			gap = &Gap{Reason: GapMissed, FromSeq: t.last + 1}
		}
	}
	// A reset gap ends at n, which is delivered with it; an open Missed gap
	// stays open until the next notification.
	t.open = gap != nil && gap.Open() && gap.Reason != GapReset
	t.remember(e)
	return false, gap
}

// openGap returns an open gap from the next expected number and marks it
// reported.
func (t *seqTracker) openGap(reason GapReason, err error) *Gap {
	t.open = true
	return &Gap{Reason: reason, FromSeq: t.last + 1, Err: err}
}
