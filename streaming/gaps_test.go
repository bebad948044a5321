package streaming

import (
	"fmt"
	"hash/fnv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func note(seq int64, change ChangeType) *Notification {
	return &Notification{ODataType: ODataTypeNotification, SubscriptionID: "S", SequenceNumber: seq, ChangeType: change,
		Resource: fmt.Sprintf("https://outlook.office.com/api/beta/Users('u')/Messages('m%d')", seq)}
}

func withData(n *Notification, data string) *Notification {
	n.ResourceData = []byte(data)
	return n
}

func TestSeqTracker(t *testing.T) {
	t.Parallel()
	type step struct {
		n    *Notification
		dup  bool
		gap  *Gap // Reason, FromSeq, ToSeq compared
		open bool // tracker state after the step
	}
	cases := []struct {
		name  string
		start int64
		steps []step
	}{
		{"contiguous from 1", 0, []step{{n: note(1, ChangeCreated)}, {n: note(2, ChangeUpdated)}, {n: note(3, ChangeDeleted)}}},
		{"a service counting from 0", 0, []step{{n: note(0, ChangeCreated)}, {n: note(1, ChangeCreated)}}},
		{"jump", 0, []step{
			{n: note(1, ChangeCreated)},
			{n: note(5, ChangeCreated), gap: &Gap{Reason: GapSequence, FromSeq: 2, ToSeq: 4}},
			{n: note(6, ChangeCreated)},
		}},
		{"first notification of a resumed subscription jumps", 10, []step{
			{n: note(13, ChangeCreated), gap: &Gap{Reason: GapSequence, FromSeq: 11, ToSeq: 12}},
		}},
		{"exact repeat dropped", 0, []step{
			{n: note(1, ChangeCreated)}, {n: note(2, ChangeCreated)}, {n: note(2, ChangeCreated), dup: true},
			{n: note(1, ChangeCreated), dup: true}, {n: note(3, ChangeCreated)},
		}},
		{"a number already read is a repeat whatever its content", 0, []step{
			{n: note(1, ChangeCreated)}, {n: note(2, ChangeCreated)}, {n: note(3, ChangeCreated)},
			{n: withData(note(2, ChangeCreated), `{"@odata.etag":"W/\"new\""}`), dup: true},
			{n: note(3, ChangeDeleted), dup: true},
			{n: note(4, ChangeCreated)},
		}},
		{"a jump back to the start is a reset", 0, []step{
			{n: note(1, ChangeCreated)}, {n: note(2, ChangeCreated)}, {n: note(3, ChangeCreated)},
			{n: note(1, ChangeDeleted), gap: &Gap{Reason: GapReset, FromSeq: 4}},
			{n: note(2, ChangeDeleted)},
			{n: note(2, ChangeDeleted), dup: true},
		}},
		{"a resumed tracker drops what was delivered before it", 10, []step{
			{n: note(8, ChangeCreated), dup: true},
			{n: note(10, ChangeCreated), dup: true},
			{n: note(11, ChangeCreated)},
			{n: note(9, ChangeCreated), dup: true},
			{n: note(1, ChangeCreated), gap: &Gap{Reason: GapReset, FromSeq: 12}},
		}},
		{"numbers far behind but not at the start are repeats", 500, []step{
			{n: note(501, ChangeCreated)},
			{n: note(300, ChangeUpdated), dup: true},
			{n: note(502, ChangeCreated)},
		}},
		{"numbers far behind are a reset", 500, []step{
			{n: note(501, ChangeCreated)},
			{n: note(1, ChangeCreated), gap: &Gap{Reason: GapReset, FromSeq: 502}},
			{n: note(2, ChangeCreated)},
			{n: note(4, ChangeCreated), gap: &Gap{Reason: GapSequence, FromSeq: 3, ToSeq: 3}},
		}},
		{"missed covers the jump and itself", 0, []step{
			{n: note(1, ChangeCreated)},
			{n: note(9, ChangeMissed), gap: &Gap{Reason: GapMissed, FromSeq: 2, ToSeq: 9}},
			{n: note(10, ChangeCreated)},
		}},
		{"unnumbered missed is open", 3, []step{
			{n: note(0, ChangeMissed), gap: &Gap{Reason: GapMissed, FromSeq: 4}, open: true},
			{n: note(7, ChangeCreated)}, // inside the open gap: not reported again
			{n: note(9, ChangeCreated), gap: &Gap{Reason: GapSequence, FromSeq: 8, ToSeq: 8}},
		}},
		{"late arrival inside the window is delivered", 0, []step{
			{n: note(1, ChangeCreated)},
			{n: note(4, ChangeCreated), gap: &Gap{Reason: GapSequence, FromSeq: 2, ToSeq: 3}},
			{n: note(3, ChangeCreated)},
			{n: note(3, ChangeCreated), dup: true},
			{n: note(5, ChangeCreated)},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := newSeqTracker(tc.start)
			for i, s := range tc.steps {
				dup, gap := tr.observe(s.n)
				assert.Equal(t, s.dup, dup, "step %d dup", i)
				if s.gap == nil {
					assert.Nil(t, gap, "step %d gap", i)
				} else if assert.NotNil(t, gap, "step %d gap", i) {
					assert.Equal(t, s.gap.Reason, gap.Reason, "step %d", i)
					assert.Equal(t, s.gap.FromSeq, gap.FromSeq, "step %d", i)
					assert.Equal(t, s.gap.ToSeq, gap.ToSeq, "step %d", i)
				}
				assert.Equal(t, s.open, tr.open, "step %d open", i)
			}
		})
	}
}

func TestSeqTrackerOpenGapAbsorbsJump(t *testing.T) {
	t.Parallel()
	tr := seqTracker{}
	_, gap := tr.observe(note(1, ChangeCreated))
	require.Nil(t, gap)
	g := tr.openGap(GapReconnect, nil)
	assert.Equal(t, int64(2), g.FromSeq)
	assert.True(t, g.Open())
	assert.True(t, g.Contains(1000))
	assert.False(t, g.Contains(1))
	// The jump 2..4 is inside the open gap already reported.
	_, gap = tr.observe(note(5, ChangeCreated))
	assert.Nil(t, gap)
	assert.False(t, tr.open)
	_, gap = tr.observe(note(7, ChangeCreated))
	require.NotNil(t, gap)
	assert.Equal(t, GapSequence, gap.Reason)
	assert.Equal(t, "gap (sequence) in subscription : sequence 6–6", gap.String())
}

func TestSeqTrackerWindowIsBounded(t *testing.T) {
	t.Parallel()
	tr := seqTracker{}
	for i := int64(1); i <= 3*seqWindow; i++ {
		dup, gap := tr.observe(note(i, ChangeCreated))
		require.False(t, dup)
		require.Nil(t, gap)
	}
	assert.Equal(t, seqWindow, tr.n)
	// The oldest remembered number is a repeat, and so is one before it
	// (too old to tell, and numbers only grow).
	dup, _ := tr.observe(note(3*seqWindow-seqWindow+1, ChangeCreated))
	assert.True(t, dup)
	dup, gap := tr.observe(note(seqWindow, ChangeUpdated))
	assert.True(t, dup)
	assert.Nil(t, gap)
}

func TestSeqTrackerUnnumberedMissedIsNeverARepeat(t *testing.T) {
	t.Parallel()
	tr := seqTracker{}
	for _, seq := range []int64{1, 2} {
		_, gap := tr.observe(note(seq, ChangeCreated))
		require.Nil(t, gap)
	}
	// Two Missed notifications without a number and with the same
	// content: each reports a loss of its own.
	for i, want := range []int64{3, 4} {
		dup, gap := tr.observe(note(0, ChangeMissed))
		require.False(t, dup, "Missed %d", i)
		require.NotNil(t, gap, "Missed %d", i)
		assert.Equal(t, GapMissed, gap.Reason)
		assert.Equal(t, want, gap.FromSeq)
		assert.True(t, gap.Open())
		assert.Equal(t, int64(want-1), tr.last, "an unnumbered Missed does not move the numbering")
		_, gap = tr.observe(note(want, ChangeCreated))
		assert.Nil(t, gap, "inside the open gap")
	}
	// Far from the start, an unnumbered Missed is not a numbering reset.
	tr = seqTracker{last: 10 * seqWindow}
	_, gap := tr.observe(note(0, ChangeMissed))
	require.NotNil(t, gap)
	assert.Equal(t, GapMissed, gap.Reason)
	assert.Equal(t, int64(10*seqWindow), tr.last)
}

func TestSeqTrackerNewSubscriptionIsNotARepeat(t *testing.T) {
	t.Parallel()
	// The same tracker (as if it were kept across a resubscription) sees
	// #1 of the old subscription and #1 of the new one, same content.
	tr := seqTracker{}
	old := note(1, ChangeCreated)
	dup, _ := tr.observe(old)
	require.False(t, dup)
	renewed := note(1, ChangeCreated)
	renewed.SubscriptionID = "S2"
	dup, _ = tr.observe(renewed)
	assert.False(t, dup)
	dup, _ = tr.observe(renewed)
	assert.True(t, dup, "a true repeat is still one")
}

func TestFingerprintIsFNV1a(t *testing.T) {
	n := note(7, ChangeUpdated)
	n.ResourceData = []byte(`{"Id":"m7"}`)
	h := fnv.New64a()
	_, _ = h.Write([]byte("S\x00Updated\x00" + n.Resource + "\x00" + `{"Id":"m7"}`))
	assert.Equal(t, h.Sum64(), fingerprint(n))
	other := *n
	other.SubscriptionID = "T"
	assert.NotEqual(t, fingerprint(n), fingerprint(&other))
	if !raceEnabled {
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = fingerprint(n) }))
	}
}
