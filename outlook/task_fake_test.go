package outlook_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook"
)

// Behavioural tests of the Tasks API against the fake.

func est(s string) *outlook.DateTimeTimeZone { return dt(s, "Eastern Standard Time") }

func TestTasksFakeCRUDAndDates(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		tasks := c.Me().WithPrefer(outlook.Prefer{TimeZone: "Eastern Standard Time"}).Tasks()

		// Only StartDateTime: DueDateTime follows; the time part is ignored.
		tk := must[*outlook.Task](t)(tasks.Create(ctx, &outlook.Task{Subject: "Shop for the weekend",
			StartDateTime: est("2017-03-03T15:30:00"), Importance: outlook.ImportanceHigh, Body: outlook.TextBody("milk & eggs")}))
		assert.Equal(t, outlook.TaskNotStarted, tk.Status)
		assert.Equal(t, "2017-03-03T00:00:00.0000000", tk.StartDateTime.DateTime)
		assert.Equal(t, "Eastern Standard Time", tk.StartDateTime.TimeZone)
		assert.Equal(t, *tk.StartDateTime, *tk.DueDateTime)
		assert.Equal(t, outlook.BodyTypeHTML, tk.Body.ContentType, "task bodies are HTML")
		assert.Equal(t, "milk &amp; eggs", tk.Body.Content)
		if !dia.graph {
			assert.Equal(t, "Adele Vance", tk.Owner, "To Do tasks have no owner")
		}
		_, off := tk.CreatedDateTime.Zone()
		assert.Equal(t, -5*3600, off, "CreatedDateTime honours outlook.timezone")
		assert.True(t, tk.CreatedDateTime.Equal(pimNow))

		// In UTC the date is midnight Eastern.
		utcTask := must[*outlook.Task](t)(c.Me().Tasks().Get(ctx, tk.ID, nil))
		assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2017-03-03T05:00:00.0000000", TimeZone: "UTC"}, *utcTask.DueDateTime)

		// Nulling DueDateTime nulls StartDateTime.
		up := must[*outlook.Task](t)(tasks.Update(ctx, tk.ID, &outlook.TaskUpdate{DueDateTime: outlook.Null[outlook.DateTimeTimeZone](), Status: outlook.Set(outlook.TaskInProgress)}))
		assert.Nil(t, up.DueDateTime)
		assert.Nil(t, up.StartDateTime)
		assert.Equal(t, outlook.TaskInProgress, up.Status)
		_, err := tasks.Update(ctx, tk.ID, &outlook.TaskUpdate{StartDateTime: outlook.Set(*est("2017-03-05T00:00:00")), DueDateTime: outlook.Set(*est("2017-03-04T00:00:00"))})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		// Status Completed sets CompletedDateTime.
		done := must[*outlook.Task](t)(tasks.Update(ctx, tk.ID, &outlook.TaskUpdate{Status: outlook.Set(outlook.TaskCompleted)}))
		require.NotNil(t, done.CompletedDateTime)
		assert.True(t, done.IsCompleted())

		list := all(t, tasks.List(ctx, &outlook.ListOptions{Filter: "Status eq 'Completed'"}))
		require.Len(t, list, 1)
		if !dia.graph {
			_, err = collect(tasks.List(ctx, &outlook.ListOptions{Filter: "Recurrence eq null"}))
			assert.True(t, office365.HasCode(err, "ErrorInvalidProperty"))
		}

		require.NoError(t, tasks.Delete(ctx, tk.ID))
		_, err = tasks.Get(ctx, tk.ID, nil)
		assert.True(t, office365.IsNotFound(err))
	})
}

func TestTasksFakeComplete(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		tasks := c.Me().WithPrefer(outlook.Prefer{TimeZone: "Eastern Standard Time"}).Tasks()

		single := must[*outlook.Task](t)(tasks.Create(ctx, &outlook.Task{Subject: "File taxes", DueDateTime: est("2017-04-15T00:00:00")}))
		res := must[[]outlook.Task](t)(tasks.Complete(ctx, single.ID))
		require.Len(t, res, 1)
		assert.True(t, res[0].IsCompleted())
		require.NotNil(t, res[0].CompletedDateTime)

		// A weekly task: completing it leaves a completed copy and moves the
		// task to its next Saturday.
		weekly := must[*outlook.Task](t)(tasks.Create(ctx, &outlook.Task{Subject: "Water the plants",
			StartDateTime: est("2017-03-04T00:00:00"), DueDateTime: est("2017-03-04T00:00:00"),
			Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Saturday), outlook.NumberedRange("2017-03-04", 2, "Eastern Standard Time"))}))
		require.NotNil(t, weekly.Recurrence)
		res = must[[]outlook.Task](t)(tasks.Complete(ctx, weekly.ID))
		if dia.graph {
			// To Do has no complete action: the task is patched to
			// completed and the service schedules the next occurrence
			// itself; only the completed task comes back.
			require.Len(t, res, 1)
			assert.True(t, res[0].IsCompleted())
			return
		}
		require.Len(t, res, 2)
		assert.True(t, res[0].IsCompleted())
		assert.Nil(t, res[0].Recurrence)
		assert.NotEqual(t, weekly.ID, res[0].ID)
		assert.Equal(t, weekly.ID, res[1].ID)
		assert.Equal(t, "2017-03-11T00:00:00.0000000", res[1].DueDateTime.DateTime)
		assert.Equal(t, "2017-03-11T00:00:00.0000000", res[1].StartDateTime.DateTime)
		assert.False(t, res[1].IsCompleted())
		// The range has two occurrences: the second completion ends the series.
		res = must[[]outlook.Task](t)(tasks.Complete(ctx, weekly.ID))
		require.Len(t, res, 1)
		assert.True(t, res[0].IsCompleted())
		assert.Len(t, all(t, tasks.List(ctx, nil)), 3)
	})
}

func TestTasksFakeFoldersAndGroups(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		tasks := c.Me().Tasks()

		if dia.graph {
			// To Do has lists but no groups.
			_, err := collect(tasks.Groups().List(ctx, nil))
			require.ErrorIs(t, err, outlook.ErrNoTaskGroups)
			_, err = tasks.Groups().Folders("g").Create(ctx, "Garden")
			require.ErrorIs(t, err, outlook.ErrNoTaskGroups)
			folders := all(t, tasks.Folders().List(ctx, nil))
			require.Len(t, folders, 1)
			assert.Equal(t, "Tasks", folders[0].Name)
			assert.True(t, *folders[0].IsDefaultFolder)
			def := must[*outlook.TaskFolder](t)(tasks.Folders().Get(ctx, outlook.WellKnownTaskFolder, nil))
			assert.Equal(t, folders[0].ID, def.ID)
			errands := must[*outlook.TaskFolder](t)(tasks.Folders().Create(ctx, "Errands"))
			assert.False(t, *errands.IsDefaultFolder)
			must[*outlook.Task](t)(tasks.Create(ctx, &outlook.Task{Subject: "x"}))
			inErrands := must[*outlook.Task](t)(tasks.InFolder(errands.ID).Create(ctx, &outlook.Task{Subject: "Post office"}))
			assert.Equal(t, errands.ID, inErrands.ParentFolderID)
			assert.Len(t, all(t, tasks.InFolder(errands.ID).List(ctx, nil)), 1)
			listed := all(t, tasks.List(ctx, nil))
			assert.Len(t, listed, 2, "List reads every list")
			// The unscoped service finds a task outside the default list.
			got := must[*outlook.Task](t)(tasks.Get(ctx, inErrands.ID, nil))
			assert.Equal(t, "Post office", got.Subject)
			renamed := must[*outlook.TaskFolder](t)(tasks.Folders().Update(ctx, errands.ID, &outlook.TaskFolderUpdate{Name: outlook.Set("Chores")}))
			assert.Equal(t, "Chores", renamed.Name)
			err = tasks.Folders().Delete(ctx, outlook.WellKnownTaskFolder)
			assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "the default list is protected")
			require.NoError(t, tasks.Folders().Delete(ctx, errands.ID))
			_, err = tasks.Get(ctx, inErrands.ID, nil)
			assert.True(t, office365.IsNotFound(err))
			return
		}

		groups := all(t, tasks.Groups().List(ctx, nil))
		require.Len(t, groups, 1)
		assert.Equal(t, "My Tasks", groups[0].Name)
		assert.True(t, *groups[0].IsDefaultGroup)
		folders := all(t, tasks.Folders().List(ctx, nil))
		require.Len(t, folders, 1)
		assert.Equal(t, "Tasks", folders[0].Name)
		assert.Equal(t, groups[0].GroupKey, folders[0].ParentGroupKey)
		def := must[*outlook.TaskFolder](t)(tasks.Folders().Get(ctx, outlook.WellKnownTaskFolder, nil))
		assert.Equal(t, folders[0].ID, def.ID)

		// A new task lands in the default folder.
		tk := must[*outlook.Task](t)(tasks.Create(ctx, &outlook.Task{Subject: "x"}))
		assert.Equal(t, def.ID, tk.ParentFolderID)

		errands := must[*outlook.TaskFolder](t)(tasks.Folders().Create(ctx, "Errands"))
		assert.False(t, *errands.IsDefaultFolder)
		inErrands := must[*outlook.Task](t)(tasks.InFolder(errands.ID).Create(ctx, &outlook.Task{Subject: "Post office"}))
		assert.Equal(t, errands.ID, inErrands.ParentFolderID)
		assert.Len(t, all(t, tasks.InFolder(errands.ID).List(ctx, nil)), 1)
		assert.Len(t, all(t, tasks.List(ctx, nil)), 2, "GET tasks lists every folder")
		renamed := must[*outlook.TaskFolder](t)(tasks.Folders().Update(ctx, errands.ID, &outlook.TaskFolderUpdate{Name: outlook.Set("Chores")}))
		assert.Equal(t, "Chores", renamed.Name)

		home := must[*outlook.TaskGroup](t)(tasks.Groups().Create(ctx, "Home"))
		assert.NotEmpty(t, home.GroupKey)
		garden := must[*outlook.TaskFolder](t)(tasks.Groups().Folders(home.ID).Create(ctx, "Garden"))
		assert.Equal(t, home.GroupKey, garden.ParentGroupKey)
		assert.Len(t, all(t, tasks.Groups().Folders(home.ID).List(ctx, nil)), 1)
		assert.Len(t, all(t, tasks.Folders().List(ctx, nil)), 2, "the default group's folders")
		must[*outlook.TaskGroup](t)(tasks.Groups().Update(ctx, home.ID, &outlook.TaskGroupUpdate{Name: outlook.Set("House")}))

		// The defaults are protected.
		err := tasks.Folders().Delete(ctx, outlook.WellKnownTaskFolder)
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))
		_, err = tasks.Folders().Update(ctx, def.ID, &outlook.TaskFolderUpdate{Name: outlook.Set("Todo")})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))
		err = tasks.Groups().Delete(ctx, groups[0].ID)
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		// Deleting a folder deletes its tasks; a group its folders.
		require.NoError(t, tasks.Folders().Delete(ctx, errands.ID))
		_, err = tasks.Get(ctx, inErrands.ID, nil)
		assert.True(t, office365.IsNotFound(err))
		require.NoError(t, tasks.Groups().Delete(ctx, home.ID))
		_, err = tasks.Folders().Get(ctx, garden.ID, nil)
		assert.True(t, office365.IsNotFound(err))
	})
}
