package outlook_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// syncResult is what one sync round reported.
type syncResult struct {
	changed, removed []string
	pages            int
}

// syncRound runs one round from the persisted text state, persisting after
// every page like a service would, and returns the new text state. stopAfter
// > 0 interrupts the round after that many pages (a crash).
func syncRound(t *testing.T, ms *outlook.MessagesService, saved []byte, opts *outlook.DeltaOptions, stopAfter int) (syncResult, []byte) {
	t.Helper()
	var state outlook.DeltaState
	require.NoError(t, state.UnmarshalText(saved))
	var res syncResult
	for page, err := range ms.Delta(context.Background(), &state, opts) {
		require.NoError(t, err)
		res.pages++
		for _, ch := range page.Changes {
			if ch.Removed {
				res.removed = append(res.removed, ch.ID)
			} else {
				require.NotNil(t, ch.Item)
				res.changed = append(res.changed, ch.ID)
			}
		}
		var err2 error
		saved, err2 = page.State.MarshalText()
		require.NoError(t, err2)
		if stopAfter > 0 && res.pages == stopAfter {
			break
		}
	}
	return res, saved
}

func newClient(t *testing.T, d dialect, srv *office365test.Server) *outlook.Client {
	t.Helper()
	c, err := outlook.New(auth.StaticToken("tok"), d.options(office365.WithBaseURL(srv.URL()))...)
	require.NoError(t, err)
	return c
}

func TestMailDeltaResumesAfterRestart(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		srv, fake, _ := mailFake(t, dia)
		me := fake.User(adele)
		opts := &outlook.DeltaOptions{Select: []string{"Subject", "IsRead"}, MaxPageSize: 4}

		// First process: the initial sync of the Inbox.
		inbox := newClient(t, dia, srv).User(adele).Mail().Messages().InFolder(outlook.FolderInbox)
		initial, saved := syncRound(t, inbox, nil, opts, 0)
		assert.Len(t, initial.changed, 27)
		assert.Empty(t, initial.removed)
		assert.Equal(t, 7, initial.pages)
		ids := slices.Clone(initial.changed)
		slices.Sort(ids)
		assert.Len(t, slices.Compact(ids), 27, "no item twice")
		var st outlook.DeltaState
		require.NoError(t, st.UnmarshalText(saved))
		assert.True(t, st.RoundComplete)

		// Meanwhile: a new message, a changed one, a deleted one, one moved out,
		// one moved in.
		c2 := newClient(t, dia, srv)
		mail := c2.User(adele).Mail()
		added := me.SeedMessages("Inbox", office365test.SeedMessage{From: megan, Subject: "new"})[0]
		changed := initial.changed[3]
		_, err := mail.Messages().Update(ctx, changed, &outlook.MessageUpdate{IsRead: outlook.Set(true)})
		require.NoError(t, err)
		deleted := initial.changed[5]
		require.NoError(t, mail.Messages().Delete(ctx, deleted))
		movedOut := initial.changed[7]
		_, err = mail.Messages().Move(ctx, movedOut, outlook.FolderArchive)
		require.NoError(t, err)
		sent := firstMessage(t, mail.Messages().InFolder(outlook.FolderSentItems))
		movedIn, err := mail.Messages().Move(ctx, sent.ID, outlook.FolderInbox)
		require.NoError(t, err)
		// A change outside the folder is not reported.
		_, err = mail.Messages().Update(ctx, firstMessage(t, mail.Messages().InFolder(outlook.FolderDrafts)).ID, &outlook.MessageUpdate{Subject: outlook.Set("x")})
		require.NoError(t, err)

		// Second process resumes from the saved text.
		inbox2 := c2.User(adele).Mail().Messages().InFolder(outlook.FolderInbox)
		res, saved2 := syncRound(t, inbox2, saved, nil, 0)
		assert.ElementsMatch(t, []string{added, changed, movedIn.ID}, res.changed)
		assert.ElementsMatch(t, []string{deleted, movedOut}, res.removed)

		// Nothing new: an empty round.
		res, _ = syncRound(t, inbox2, saved2, nil, 0)
		assert.Empty(t, res.changed)
		assert.Empty(t, res.removed)
	})
}

func TestMailDeltaInterruptedRound(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		srv, _, c := mailFake(t, dia)
		mail := c.User(adele).Mail()
		inbox := mail.Messages().InFolder(outlook.FolderInbox)
		opts := &outlook.DeltaOptions{Select: []string{"Subject"}, MaxPageSize: 5}

		// Crash after two pages; the saved state is a skip link.
		part1, saved := syncRound(t, inbox, nil, opts, 2)
		require.Len(t, part1.changed, 10)
		var st outlook.DeltaState
		require.NoError(t, st.UnmarshalText(saved))
		assert.False(t, st.RoundComplete)

		// While down: change one message already seen and one not yet seen.
		all := listAll(t, inbox.List(ctx, &outlook.ListOptions{Top: 50, Select: []string{"Subject"}}))
		var notSeen string
		for _, m := range all {
			if !slices.Contains(part1.changed, m.ID) {
				notSeen = m.ID
				break
			}
		}
		require.NotEmpty(t, notSeen)
		seen := part1.changed[0]
		for _, id := range []string{seen, notSeen} {
			_, err := mail.Messages().Update(ctx, id, &outlook.MessageUpdate{Categories: outlook.Set([]string{"Touched"})})
			require.NoError(t, err)
		}

		// Restart: finish the round.
		part2, saved := syncRound(t, newClient(t, dia, srv).User(adele).Mail().Messages().InFolder(outlook.FolderInbox), saved, nil, 0)
		for _, id := range part2.changed {
			assert.NotContains(t, part1.changed, id, "nothing from the first pages is repeated")
		}
		// Next round: the two changes made after the round's snapshot.
		part3, _ := syncRound(t, inbox, saved, nil, 0)
		assert.ElementsMatch(t, []string{seen, notSeen}, part3.changed)

		got := slices.Concat(part1.changed, part2.changed, part3.changed)
		slices.Sort(got)
		got = slices.Compact(got)
		assert.Len(t, got, 27, "every message was reported")
	})
}

func TestMailDeltaFolders(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		_, _, c := mailFake(t, dia)
		folders := c.Me().Mail().Folders()
		var state outlook.DeltaState
		n := 0
		for page, err := range folders.Delta(ctx, &state, nil) {
			require.NoError(t, err)
			n += len(page.Changes)
		}
		assert.Equal(t, 11, n, "8 well-known folders, Projects, Newsletters and Receipts; not the root")
		assert.True(t, state.RoundComplete)

		_, err := folders.Create(ctx, "Temp")
		require.NoError(t, err)
		news, err := collectSeq(folders.List(ctx, &outlook.ListOptions{Filter: "DisplayName eq 'Newsletters'"}))
		require.NoError(t, err)
		require.NoError(t, folders.Delete(ctx, news[0].ID))
		var changed, removed []string
		for page, err := range folders.Delta(ctx, &state, nil) {
			require.NoError(t, err)
			for _, ch := range page.Changes {
				if ch.Removed {
					removed = append(removed, ch.ID)
				} else {
					changed = append(changed, ch.Item.DisplayName)
				}
			}
		}
		assert.Equal(t, []string{"Temp"}, changed)
		assert.Equal(t, []string{news[0].ID}, removed)
	})
}
