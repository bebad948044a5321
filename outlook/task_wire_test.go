package outlook_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

const (
	tkID     = "AAMkAGtask/1+="
	tkEsc    = "AAMkAGtask%2F1+="
	tfID     = "AAMkAGfolder="
	tgID     = "AAMkAGgroup="
	taskJSON = `{"Id":"` + tkID + `","Subject":"Shop for children's weekend","Status":"NotStarted","Importance":"Normal",` +
		`"StartDateTime":{"DateTime":"2016-05-03T00:00:00.0000000","TimeZone":"Eastern Standard Time"},` +
		`"DueDateTime":{"DateTime":"2016-05-05T00:00:00.0000000","TimeZone":"Eastern Standard Time"},` +
		`"CreatedDateTime":"2016-04-22T15:19:18.9526004-07:00","Owner":"Administrator","ParentFolderId":"` + tfID + `",` +
		`"Recurrence":{"Pattern":{"Type":"Weekly","Interval":1,"DaysOfWeek":["Saturday"],"FirstDayOfWeek":"Sunday"},` +
		`"Range":{"Type":"NoEnd","StartDate":"2016-05-07","RecurrenceTimeZone":"Eastern Standard Time"}}}`
)

func TestTasksWire(t *testing.T) {
	t.Parallel()
	est := outlook.Prefer{TimeZone: "Eastern Standard Time"}
	runPIM(t, []pimCase{
		{
			name: "list tasks",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.Me().WithPrefer(est) },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Tasks().List(ctx, &outlook.ListOptions{Filter: "Status ne 'Completed'", OrderBy: []string{"DueDateTime/DateTime"}}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/tasks", query: "$filter=Status%20ne%20'Completed'&$orderby=DueDateTime/DateTime",
				header: map[string]string{"Prefer": `outlook.timezone="Eastern Standard Time"`}, resp: `{"value":[` + taskJSON + `]}`}},
			check: func(t *testing.T, got any) {
				ts := got.([]outlook.Task)
				require.Len(t, ts, 1)
				tk := ts[0]
				assert.Equal(t, outlook.TaskNotStarted, tk.Status)
				assert.False(t, tk.IsCompleted())
				assert.Equal(t, outlook.RecurrenceRangeNoEnd, tk.Recurrence.Range.Type)
				_, off := tk.CreatedDateTime.Zone()
				assert.Equal(t, -7*3600, off)
				due, err := tk.DueDateTime.Time()
				require.NoError(t, err)
				assert.Equal(t, time.Date(2016, 5, 5, 4, 0, 0, 0, time.UTC), due.UTC())
			},
		},
		{
			name: "list tasks in folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Tasks().InFolder(tfID).List(ctx, &outlook.ListOptions{Top: 3}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/taskfolders/" + tfID + "/tasks", query: "$top=3", resp: `{"value":[]}`}},
		},
		{
			name: "create task",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Tasks().Create(ctx, &outlook.Task{
					Subject:       "Shop for children's weekend",
					StartDateTime: dt("2016-05-03T00:00:00", "Eastern Standard Time"),
					DueDateTime:   dt("2016-05-05T00:00:00", "Eastern Standard Time"),
					Importance:    outlook.ImportanceHigh,
					Recurrence:    outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Saturday), outlook.NoEndRange("2016-05-07", "Eastern Standard Time")),
				})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/tasks",
				body: `{"Subject":"Shop for children's weekend","Importance":"High",` +
					`"StartDateTime":{"DateTime":"2016-05-03T00:00:00","TimeZone":"Eastern Standard Time"},` +
					`"DueDateTime":{"DateTime":"2016-05-05T00:00:00","TimeZone":"Eastern Standard Time"},` +
					`"Recurrence":{"Pattern":{"Type":"Weekly","Interval":1,"DaysOfWeek":["Saturday"],"FirstDayOfWeek":"Sunday"},` +
					`"Range":{"Type":"NoEnd","StartDate":"2016-05-07","RecurrenceTimeZone":"Eastern Standard Time"}}}`,
				status: 201, resp: taskJSON}},
		},
		{
			name: "create task in folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Tasks().InFolder(tfID).Create(ctx, &outlook.Task{Subject: "x"})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/taskfolders/" + tfID + "/tasks", body: `{"Subject":"x"}`, status: 201, resp: `{"Id":"t"}`}},
		},
		{
			name: "get update delete",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				tk := mb.Tasks()
				if _, err := tk.Get(ctx, tkID, &outlook.GetOptions{Select: []string{"Subject"}}); err != nil {
					return nil, err
				}
				if _, err := tk.Update(ctx, tkID, &outlook.TaskUpdate{
					Status:            outlook.Set(outlook.TaskCompleted),
					CompletedDateTime: outlook.Set(outlook.DateTimeTimeZone{DateTime: "2016-05-04T00:00:00", TimeZone: "UTC"}),
					DueDateTime:       outlook.Null[outlook.DateTimeTimeZone](),
				}); err != nil {
					return nil, err
				}
				return nil, tk.Delete(ctx, tkID)
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/tasks/" + tkEsc, query: "$select=Subject", resp: taskJSON},
				{method: "PATCH", path: "/api/v2.0/me/tasks/" + tkEsc,
					body: `{"CompletedDateTime":{"DateTime":"2016-05-04T00:00:00","TimeZone":"UTC"},"DueDateTime":null,"Status":"Completed"}`, resp: taskJSON},
				{method: "DELETE", path: "/api/v2.0/me/tasks/" + tkEsc, status: 204},
			},
		},
		{
			name: "complete a recurring task",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Tasks().Complete(ctx, tkID) },
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/tasks/" + tkEsc + "/complete",
				resp: `{"value":[{"Id":"done","Status":"Completed","CompletedDateTime":{"DateTime":"2016-05-04T00:00:00.0000000","TimeZone":"UTC"}},{"Id":"next","Status":"NotStarted"}]}`}},
			check: func(t *testing.T, got any) {
				ts := got.([]outlook.Task)
				require.Len(t, ts, 2)
				assert.True(t, ts[0].IsCompleted())
				assert.Equal(t, "next", ts[1].ID)
			},
		},
		{
			name: "task folders",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				f := mb.Tasks().Folders()
				if _, err := collect(f.List(ctx, nil)); err != nil {
					return nil, err
				}
				if _, err := f.Get(ctx, outlook.WellKnownTaskFolder, nil); err != nil {
					return nil, err
				}
				if _, err := f.Create(ctx, "Errands"); err != nil {
					return nil, err
				}
				if _, err := f.Update(ctx, tfID, &outlook.TaskFolderUpdate{Name: outlook.Set("Chores")}); err != nil {
					return nil, err
				}
				return nil, f.Delete(ctx, tfID)
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/taskfolders", resp: `{"value":[{"Id":"f","Name":"Tasks","IsDefaultFolder":true,"ParentGroupKey":"0006f0b7-0000-0000-c000-000000000046"}]}`},
				{method: "GET", path: "/api/v2.0/me/taskfolders/Tasks", resp: `{"Id":"f","Name":"Tasks"}`},
				{method: "POST", path: "/api/v2.0/me/taskfolders", body: `{"Name":"Errands"}`, status: 201, resp: `{"Id":"f2"}`},
				{method: "PATCH", path: "/api/v2.0/me/taskfolders/" + tfID, body: `{"Name":"Chores"}`, resp: `{"Id":"f2"}`},
				{method: "DELETE", path: "/api/v2.0/me/taskfolders/" + tfID, status: 204},
			},
		},
		{
			name: "task groups and their folders",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				g := mb.Tasks().Groups()
				gs, err := collect(g.List(ctx, nil))
				if err != nil {
					return nil, err
				}
				if _, err := g.Get(ctx, tgID, nil); err != nil {
					return nil, err
				}
				if _, err := g.Create(ctx, "Home"); err != nil {
					return nil, err
				}
				if _, err := g.Update(ctx, tgID, &outlook.TaskGroupUpdate{Name: outlook.Set("House")}); err != nil {
					return nil, err
				}
				if _, err := collect(g.Folders(tgID).List(ctx, nil)); err != nil {
					return nil, err
				}
				if _, err := g.Folders(tgID).Create(ctx, "Garden"); err != nil {
					return nil, err
				}
				return gs, g.Delete(ctx, tgID)
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/taskgroups", resp: `{"value":[{"Id":"g","Name":"My Tasks","IsDefaultGroup":true,"GroupKey":"0006f0b7-0000-0000-c000-000000000046"}]}`},
				{method: "GET", path: "/api/v2.0/me/taskgroups/" + tgID, resp: `{"Id":"g"}`},
				{method: "POST", path: "/api/v2.0/me/taskgroups", body: `{"Name":"Home"}`, status: 201, resp: `{"Id":"g2"}`},
				{method: "PATCH", path: "/api/v2.0/me/taskgroups/" + tgID, body: `{"Name":"House"}`, resp: `{"Id":"g"}`},
				{method: "GET", path: "/api/v2.0/me/taskgroups/" + tgID + "/taskfolders", resp: `{"value":[]}`},
				{method: "POST", path: "/api/v2.0/me/taskgroups/" + tgID + "/taskfolders", body: `{"Name":"Garden"}`, status: 201, resp: `{"Id":"f"}`},
				{method: "DELETE", path: "/api/v2.0/me/taskgroups/" + tgID, status: 204},
			},
			check: func(t *testing.T, got any) {
				gs := got.([]outlook.TaskGroup)
				assert.True(t, *gs[0].IsDefaultGroup)
				assert.Equal(t, "0006f0b7-0000-0000-c000-000000000046", gs[0].GroupKey)
			},
		},
		{
			name: "default folder cannot be deleted",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Tasks().Folders().Delete(ctx, outlook.WellKnownTaskFolder)
			},
			reqs: []pimReq{{method: "DELETE", path: "/api/v2.0/me/taskfolders/Tasks", status: 400,
				resp: `{"error":{"code":"ErrorInvalidRequest","message":"The default task folder cannot be deleted."}}`}},
			wantErr: "cannot be deleted",
		},
	})
}

func TestTasksInputErrors(t *testing.T) {
	t.Parallel()
	c, mt := pimClient(t)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("no request expected, got %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(500, ""), nil
	})
	ctx := context.Background()
	tk := c.Me().Tasks()
	_, err := tk.Create(ctx, &outlook.Task{})
	assert.ErrorContains(t, err, "Subject")
	_, err = tk.Create(ctx, &outlook.Task{Subject: "x", DueDateTime: dt("tomorrow", "UTC")})
	assert.ErrorContains(t, err, "invalid DateTime")
	_, err = tk.Create(ctx, &outlook.Task{Subject: "x", Recurrence: &outlook.PatternedRecurrence{Pattern: &outlook.RecurrencePattern{Type: "Hourly", Interval: 1}, Range: &outlook.RecurrenceRange{}}})
	assert.ErrorContains(t, err, "Hourly")
	_, err = tk.Complete(ctx, "")
	assert.Error(t, err)
	_, err = tk.Update(ctx, tkID, &outlook.TaskUpdate{Recurrence: outlook.Set(outlook.PatternedRecurrence{})})
	assert.ErrorContains(t, err, "no Pattern")
	_, err = collect(tk.InFolder("").List(ctx, nil))
	assert.Error(t, err)
	_, err = tk.Groups().Folders("").Create(ctx, "x")
	assert.Error(t, err)
	_, err = tk.Folders().Create(ctx, "")
	assert.Error(t, err)
	_, err = tk.Groups().Create(ctx, "")
	assert.Error(t, err)
}
