package outlook_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook"
)

// drainSync runs one sync round and returns its changes.
func drainSync[T any](t *testing.T, seq func(func(*outlook.DeltaPage[T], error) bool)) []outlook.DeltaChange[T] {
	t.Helper()
	var out []outlook.DeltaChange[T]
	for p, err := range seq {
		require.NoError(t, err)
		out = append(out, p.Changes...)
	}
	return out
}

func TestTasksFakeDelta(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		tasks := c.Me().Tasks()
		folder := must[*outlook.TaskFolder](t)(tasks.Folders().Create(ctx, "Errands"))
		inFolder := tasks.InFolder(folder.ID)
		a := must[*outlook.Task](t)(inFolder.Create(ctx, &outlook.Task{Subject: "Buy milk"}))
		b := must[*outlook.Task](t)(inFolder.Create(ctx, &outlook.Task{Subject: "Post letter"}))
		// A task of another folder stays out of the folder's sync.
		must[*outlook.Task](t)(tasks.Create(ctx, &outlook.Task{Subject: "Elsewhere"}))

		// Initial round, one task per page, persisted between pages.
		var st outlook.DeltaState
		first := drainSync(t, inFolder.Delta(ctx, &st, &outlook.DeltaOptions{Select: []string{"Subject"}, MaxPageSize: 1}))
		require.Len(t, first, 2)
		assert.ElementsMatch(t, []string{"Buy milk", "Post letter"}, []string{first[0].Item.Subject, first[1].Item.Subject})
		assert.Empty(t, first[0].Item.Status, "$select applies to synced tasks")
		require.True(t, st.RoundComplete)
		saved, err := st.MarshalText()
		require.NoError(t, err)

		// Nothing changed: an empty round.
		assert.Empty(t, drainSync(t, inFolder.Delta(ctx, &st, nil)))

		// An update and a deletion come in the next round.
		must[*outlook.Task](t)(tasks.Update(ctx, a.ID, &outlook.TaskUpdate{Subject: outlook.Set("Buy oat milk")}))
		require.NoError(t, tasks.Delete(ctx, b.ID))
		var restored outlook.DeltaState
		require.NoError(t, restored.UnmarshalText(saved))
		next := drainSync(t, inFolder.Delta(ctx, &restored, nil))
		require.Len(t, next, 2)
		byID := map[string]outlook.DeltaChange[outlook.Task]{}
		for _, ch := range next {
			byID[ch.ID] = ch
		}
		assert.Equal(t, "Buy oat milk", byID[a.ID].Item.Subject)
		assert.True(t, byID[b.ID].Removed)

		// The service refuses $top on task sync; the client refuses $filter.
		_, err = collectDelta(inFolder.Delta(ctx, nil, &outlook.DeltaOptions{Filter: "Subject eq 'x'"}))
		require.Error(t, err)
	})
}

func TestTaskFoldersFakeDelta(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		folders := c.Me().Tasks().Folders()
		var st outlook.DeltaState
		initial := drainSync(t, folders.Delta(ctx, &st, nil))
		var names []string
		for _, ch := range initial {
			names = append(names, ch.Item.Name)
		}
		assert.Contains(t, names, outlook.WellKnownTaskFolder)

		f := must[*outlook.TaskFolder](t)(folders.Create(ctx, "Errands"))
		added := drainSync(t, folders.Delta(ctx, &st, nil))
		require.Len(t, added, 1)
		assert.Equal(t, "Errands", added[0].Item.Name)

		require.NoError(t, folders.Delete(ctx, f.ID))
		gone := drainSync(t, folders.Delta(ctx, &st, nil))
		require.Len(t, gone, 1)
		assert.True(t, gone[0].Removed)
		assert.Equal(t, f.ID, gone[0].ID)
		if dia.graph {
			return // To Do has no groups (see TestTasksFakeFoldersAndGroups)
		}

		// A group's folders sync on their own.
		g := must[*outlook.TaskGroup](t)(c.Me().Tasks().Groups().Create(ctx, "Home"))
		gf := c.Me().Tasks().Groups().Folders(g.ID)
		must[*outlook.TaskFolder](t)(gf.Create(ctx, "Garden"))
		inGroup := drainSync(t, gf.Delta(ctx, nil, nil))
		require.Len(t, inGroup, 1)
		assert.Equal(t, "Garden", inGroup[0].Item.Name)
		assert.Empty(t, drainSync(t, folders.Delta(ctx, &st, nil)), "another group's folder is not in the default group's sync")
	})
}

func TestTaskAttachmentsFake(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		tasks := c.Me().Tasks()
		tk := must[*outlook.Task](t)(tasks.Create(ctx, &outlook.Task{Subject: "File taxes"}))
		as := tasks.Attachments(tk.ID)

		added, err := as.Add(ctx, &outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "receipt.txt", ContentType: "text/plain"}, ContentBytes: []byte("42 EUR")})
		require.NoError(t, err)
		id := added.Common().ID
		require.NotEmpty(t, id)
		assert.True(t, *must[*outlook.Task](t)(tasks.Get(ctx, tk.ID, nil)).HasAttachments)

		list, err := collect2(as.List(ctx, nil))
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "receipt.txt", list[0].Common().Name)
		got, err := as.Get(ctx, id, nil)
		require.NoError(t, err)
		assert.Equal(t, []byte("42 EUR"), got.(*outlook.FileAttachment).ContentBytes)

		require.NoError(t, as.Delete(ctx, id))
		_, err = as.Get(ctx, id, nil)
		assert.True(t, office365.IsNotFound(err))
		assert.False(t, *must[*outlook.Task](t)(tasks.Get(ctx, tk.ID, nil)).HasAttachments)
	})
}
