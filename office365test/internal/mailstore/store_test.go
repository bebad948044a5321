package mailstore

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoreRecordsAndFeed(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	s := New("tid", func() time.Time { return now })
	var got []Change
	unsub := s.Subscribe(func(c Change) {
		got = append(got, c)
		if c.Kind == ChangeCreated && c.Entity["Subject"] == "first" {
			// A change made by a subscriber is delivered after it returns.
			s.Mu.Lock()
			u := s.UserLocked("a@x.com")
			u.InsertLocked(EntityMessage, "f", Entity{"Subject": "from subscriber"})
			s.Mu.Unlock()
			s.Flush()
			require.Len(t, got, 1)
		}
	})
	s.Mu.Lock()
	u, created := s.AddUserLocked("A@x.com", "")
	require.True(t, created)
	again, created := s.AddUserLocked("a@X.com", "other")
	assert.False(t, created)
	assert.Same(t, u, again)
	assert.Equal(t, "A@x.com", u.DisplayName)
	assert.True(t, strings.HasSuffix(u.ID, "@tid"))
	oid, _, _ := strings.Cut(u.ID, "@")
	assert.Same(t, u, s.UserLocked(oid))
	assert.Same(t, u, s.MeLocked(""))

	r := u.InsertLocked(EntityMessage, "f", Entity{"Subject": "first"})
	assert.Contains(t, r.ID, "/")
	assert.Equal(t, "2026-12-05T10:00:00Z", r.Doc["CreatedDateTime"])
	ck := r.Doc["ChangeKey"]
	prev := DeepCopy(r.Doc).(Entity)
	r.Doc["Subject"] = "changed"
	u.TouchLocked(r, prev)
	assert.NotEqual(t, ck, r.Doc["ChangeKey"])
	u.RemoveLocked(r)
	require.Len(t, u.Tombstones, 1)
	assert.Equal(t, Tombstone{Type: EntityMessage, ID: r.ID, FolderID: "f", Seq: r.Seq}, u.Tombstones[0])
	assert.Equal(t, r.Seq, s.SeqLocked())
	s.Mu.Unlock()
	s.Flush()

	require.Len(t, got, 4)
	assert.Equal(t, []ChangeKind{ChangeCreated, ChangeUpdated, ChangeDeleted, ChangeCreated},
		[]ChangeKind{got[0].Kind, got[1].Kind, got[2].Kind, got[3].Kind})
	assert.Equal(t, "first", got[0].Entity["Subject"])
	assert.Equal(t, "first", got[1].Previous["Subject"])
	assert.Equal(t, "changed", got[1].Entity["Subject"])
	assert.Nil(t, got[2].Entity)
	assert.Equal(t, "from subscriber", got[3].Entity["Subject"])
	for i := 1; i < len(got); i++ {
		assert.Greater(t, got[i].Seq, got[i-1].Seq)
	}

	unsub()
	s.Mu.Lock()
	u.InsertLocked(EntityContact, "", Entity{})
	s.Mu.Unlock()
	s.Flush()
	assert.Len(t, got, 4)

	s.Mu.Lock()
	defer s.Mu.Unlock()
	assert.Len(t, u.RecordsLocked(EntityMessage, "f"), 1)
	assert.Len(t, u.RecordsLocked(EntityContact, ""), 1)
	assert.True(t, s.MapTokenLocked("tok", "a@x.com"))
	assert.False(t, s.MapTokenLocked("tok", "nobody@x.com"))
}
