package outlook_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

// Exact requests of the endpoints of the reference (endpoints.md) that the
// per-API wire tests leave out: task and task-folder sync, task
// attachments, event attachment reads, paged instances, default-folder
// contact sync, calendar-view sync of a given calendar, the extended
// property and open extension query forms, and the plain SupportedTimeZones.
func TestCoverageWire(t *testing.T) {
	t.Parallel()
	color := outlook.NamedProperty(outlook.PropertyTypeString, colorSet, "Color")
	single, err := outlook.NewSingleValue(color, "Green")
	require.NoError(t, err)
	const colorFilter = "SingleValueExtendedProperties/Any(ep:%20ep/PropertyId%20eq%20'String%20%7B66f5a359-4659-4830-9070-00047ec6ac6e%7D%20Name%20Color'%20and%20ep/Value%20eq%20'Green')"
	const colorExpand = "SingleValueExtendedProperties($filter=PropertyId%20eq%20'String%20%7B66f5a359-4659-4830-9070-00047ec6ac6e%7D%20Name%20Color')"
	tasksBase := pimBase + "/api/v2.0/me/taskfolders/" + tfID + "/tasks"
	foldersBase := pimBase + "/api/v2.0/me/taskfolders"
	track := map[string]string{"Prefer": "odata.track-changes"}

	runPIM(t, []pimCase{
		{
			name: "task sync in a folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				var st outlook.DeltaState
				var got []outlook.DeltaChange[outlook.Task]
				for p, err := range mb.Tasks().InFolder(tfID).Delta(ctx, &st, &outlook.DeltaOptions{Select: []string{"Subject"}}) {
					if err != nil {
						return nil, err
					}
					got = append(got, p.Changes...)
				}
				return struct {
					st  outlook.DeltaState
					chg []outlook.DeltaChange[outlook.Task]
				}{st, got}, nil
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/taskfolders/" + tfID + "/tasks", query: "$select=Subject", header: track,
					resp: `{"value":[` + taskJSON + `],"@odata.nextLink":"` + tasksBase + `?$select=Subject&$skiptoken=S1"}`},
				{method: "GET", path: "/api/v2.0/me/taskfolders/" + tfID + "/tasks", query: "$select=Subject&$skiptoken=S1", header: track,
					resp: `{"value":[{"@odata.context":"x/$deletedEntity","Id":"gone","reason":"deleted"}],"@odata.deltaLink":"` + tasksBase + `?$deltatoken=D1"}`},
			},
			check: func(t *testing.T, got any) {
				r := got.(struct {
					st  outlook.DeltaState
					chg []outlook.DeltaChange[outlook.Task]
				})
				require.Len(t, r.chg, 2)
				assert.Equal(t, tkID, r.chg[0].Item.ID)
				assert.True(t, r.chg[1].Removed)
				assert.Equal(t, "gone", r.chg[1].ID)
				assert.True(t, r.st.RoundComplete)
				assert.Equal(t, tasksBase+"?$deltatoken=D1", r.st.Link)
				assert.Equal(t, "taskfolders/"+tfID+"/tasks", r.st.Resource)
			},
		},
		{
			name: "task sync resumes from the delta link",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				st := outlook.DeltaState{Resource: "taskfolders/" + tfID + "/tasks", Link: tasksBase + "?$deltatoken=D1", RoundComplete: true}
				return collectDelta(mb.Tasks().InFolder(tfID).Delta(ctx, &st, &outlook.DeltaOptions{MaxPageSize: 5}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/taskfolders/" + tfID + "/tasks", query: "$deltatoken=D1",
				header: map[string]string{"Prefer": "odata.track-changes, odata.maxpagesize=5"},
				resp:   `{"value":[],"@odata.deltaLink":"` + tasksBase + `?$deltatoken=D2"}`}},
		},
		{
			name: "task sync of all tasks",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Tasks().Delta(ctx, nil, nil))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/tasks", header: track,
				resp: `{"value":[],"@odata.deltaLink":"` + pimBase + `/api/v2.0/me/tasks?$deltatoken=D"}`}},
		},
		{
			name: "task folder sync",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				var names []string
				for p, err := range mb.Tasks().Folders().Delta(ctx, nil, nil) {
					if err != nil {
						return nil, err
					}
					for _, c := range p.Changes {
						names = append(names, c.Item.Name)
					}
				}
				return names, nil
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/taskfolders", header: track,
					resp: `{"value":[{"Id":"f1","Name":"Tasks","IsDefaultFolder":true}],"@odata.nextLink":"` + foldersBase + `?$skiptoken=S"}`},
				{method: "GET", path: "/api/v2.0/me/taskfolders", query: "$skiptoken=S", header: track,
					resp: `{"value":[{"Id":"f2","Name":"Errands"}],"@odata.deltaLink":"` + foldersBase + `?$deltatoken=D"}`},
			},
			check: func(t *testing.T, got any) { assert.Equal(t, []string{"Tasks", "Errands"}, got) },
		},
		{
			name: "task folder sync of a group",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Tasks().Groups().Folders(tgID).Delta(ctx, nil, &outlook.DeltaOptions{Select: []string{"Name"}}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/taskgroups/" + tgID + "/taskfolders", query: "$select=Name", header: track,
				resp: `{"value":[],"@odata.deltaLink":"` + pimBase + `/api/v2.0/me/taskgroups/` + tgID + `/taskfolders?$deltatoken=D"}`}},
		},
		{
			name: "task attachments",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				as := mb.Tasks().Attachments(tkID)
				if _, err := as.Add(ctx, &outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "list.txt", ContentType: "text/plain"}, ContentBytes: []byte("milk")}); err != nil {
					return nil, err
				}
				list, err := collect2(as.List(ctx, &outlook.ListOptions{Select: []string{"Name"}}))
				if err != nil {
					return nil, err
				}
				got, err := as.Get(ctx, "a/1", nil)
				if err != nil {
					return nil, err
				}
				return append(list, got), as.Delete(ctx, "a/1")
			},
			reqs: []pimReq{
				{method: "POST", path: "/api/v2.0/me/tasks/" + tkEsc + "/attachments",
					body:   `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"list.txt","ContentType":"text/plain","ContentBytes":"bWlsaw=="}`,
					status: 201, resp: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a/1","Name":"list.txt"}`},
				{method: "GET", path: "/api/v2.0/me/tasks/" + tkEsc + "/attachments", query: "$select=Name",
					resp: `{"value":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a/1","Name":"list.txt"}]}`},
				{method: "GET", path: "/api/v2.0/me/tasks/" + tkEsc + "/attachments/a%2F1",
					resp: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a/1","Name":"list.txt","ContentBytes":"bWlsaw=="}`},
				{method: "DELETE", path: "/api/v2.0/me/tasks/" + tkEsc + "/attachments/a%2F1", status: 204},
			},
			check: func(t *testing.T, got any) {
				as := got.([]outlook.Attachment)
				require.Len(t, as, 2)
				assert.Equal(t, "list.txt", as[0].Common().Name)
				assert.Equal(t, []byte("milk"), as[1].(*outlook.FileAttachment).ContentBytes)
			},
		},
		{
			name: "extended properties on a task and a task folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if err := mb.ExtendedProperties(outlook.TaskRef(tkID)).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{single}, nil); err != nil {
					return nil, err
				}
				return mb.ExtendedProperties(outlook.TaskFolderRef(tfID)).Get(ctx, color)
			},
			reqs: []pimReq{
				{method: "PATCH", path: "/api/v2.0/me/tasks/" + tkEsc, query: "$select=Id",
					body: `{"SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}]}`, resp: `{"Id":"t"}`},
				{method: "GET", path: "/api/v2.0/me/taskfolders/" + tfID, query: "$select=Id&$expand=" + colorExpand, resp: `{"Id":"` + tfID + `"}`},
			},
		},
		{
			name: "extended properties on a calendar and a contact folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if err := mb.ExtendedProperties(outlook.CalendarRef(calID)).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{single}, nil); err != nil {
					return nil, err
				}
				return nil, mb.ExtendedProperties(outlook.ContactFolderRef(cfID)).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{single}, nil)
			},
			reqs: []pimReq{
				{method: "PATCH", path: "/api/v2.0/me/calendars/" + calEsc, query: "$select=Id",
					body: `{"SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}]}`, resp: `{}`},
				{method: "PATCH", path: "/api/v2.0/me/contactfolders/" + cfEsc, query: "$select=Id",
					body: `{"SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}]}`, resp: `{}`},
			},
		},
		{
			name: "create a message with an extended property and an extension",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				ext, err := outlook.NewExtension("Com.Example.Tag", map[string]any{"Score": 5})
				if err != nil {
					return nil, err
				}
				raw, err := outlook.RawExtensions(ext)
				if err != nil {
					return nil, err
				}
				return mb.Mail().Messages().Create(ctx, &outlook.Message{Subject: "x",
					SingleValueExtendedProperties: []outlook.SingleValueLegacyExtendedProperty{single}, Extensions: raw})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/messages",
				body: `{"Subject":"x","SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}],` +
					`"Extensions":[{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.Example.Tag","Score":5}]}`,
				status: 201, resp: `{"Id":"m"}`}},
		},
		{
			name: "find messages by extended property value",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				f, err := outlook.SingleValuePropertyFilter(color, "Green")
				if err != nil {
					return nil, err
				}
				return collect(mb.Mail().Messages().List(ctx, &outlook.ListOptions{Filter: f, Expand: []string{outlook.ExpandSingleValueProperties(color)}}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/messages", query: "$filter=" + colorFilter + "&$expand=" + colorExpand,
				header: map[string]string{"Prefer": ""}, resp: `{"value":[]}`}},
		},
		{
			name: "find and expand items with an extension",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if _, err := collect(mb.Contacts().List(ctx, &outlook.ListOptions{
					Filter: outlook.HasExtensionFilter("Com.Example.Tag"), Expand: []string{outlook.ExpandExtension("Com.Example.Tag")}})); err != nil {
					return nil, err
				}
				return mb.Calendar().Events().Get(ctx, evID, &outlook.GetOptions{Expand: []string{outlook.ExpandExtension("Com.Example.Tag")}})
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/contacts",
					query: "$filter=Extensions/any(f:f/Id%20eq%20'Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag')" +
						"&$expand=Extensions($filter=Id%20eq%20'Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag')", resp: `{"value":[]}`},
				{method: "GET", path: "/api/v2.0/me/events/" + evEsc,
					query: "$expand=Extensions($filter=Id%20eq%20'Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag')",
					resp:  `{"Id":"` + evID + `","Extensions":[{"@odata.type":"#Microsoft.OutlookServices.OpenTypeExtension","Id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag","ExtensionName":"Com.Example.Tag","Score":5}]}`},
			},
			check: func(t *testing.T, got any) {
				ev := got.(*outlook.Event)
				ext, ok, err := outlook.FindExtension(ev.Extensions, "Com.Example.Tag")
				require.NoError(t, err)
				require.True(t, ok)
				var score int
				ok, err = ext.Get("Score", &score)
				require.NoError(t, err)
				assert.True(t, ok)
				assert.Equal(t, 5, score)
			},
		},
		{
			name: "event attachment get and expand",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if _, err := mb.Calendar().Events().Attachments(evID).Get(ctx, "att/1", nil); err != nil {
					return nil, err
				}
				return mb.Calendar().Events().Get(ctx, evID, &outlook.GetOptions{Expand: []string{"Attachments"}})
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/events/" + evEsc + "/attachments/att%2F1",
					resp: `{"@odata.type":"#Microsoft.OutlookServices.ReferenceAttachment","Id":"att/1","Name":"Spec","SourceUrl":"https://contoso.sharepoint.com/spec.docx"}`},
				{method: "GET", path: "/api/v2.0/me/events/" + evEsc, query: "$expand=Attachments",
					resp: `{"Id":"` + evID + `","Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a","Name":"agenda.txt","ContentBytes":"eA=="}]}`},
			},
			check: func(t *testing.T, got any) {
				ev := got.(*outlook.Event)
				require.Len(t, ev.Attachments, 1)
				assert.Equal(t, []byte("x"), ev.Attachments[0].(*outlook.FileAttachment).ContentBytes)
			},
		},
		{
			name: "instances follow next links",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Calendar().Events().Instances(ctx, evID, winStart, winEnd, &outlook.ListOptions{Top: 1}))
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/events/" + evEsc + "/instances", query: winQuery + "&$top=1",
					resp: `{"value":[{"Id":"o1","Type":"Occurrence"}],"@odata.nextLink":"` + pimBase + `/api/v2.0/me/events/` + evEsc + `/instances?` + winQuery + `&$top=1&$skip=1"}`},
				{method: "GET", path: "/api/v2.0/me/events/" + evEsc + "/instances", query: winQuery + "&$top=1&$skip=1",
					resp: `{"value":[{"Id":"o2","Type":"Exception"}]}`},
			},
			check: func(t *testing.T, got any) {
				evs := got.([]outlook.Event)
				require.Len(t, evs, 2)
				assert.Equal(t, outlook.EventException, evs[1].Type)
			},
		},
		{
			name: "calendar view sync of a given calendar",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Calendar().In(calID).ViewDelta(ctx, winStart, winEnd, nil, nil))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/calendars/" + calEsc + "/calendarview", query: winQuery, header: track,
				resp: `{"value":[],"@odata.deltaLink":"` + pimBase + `/api/v2.0/me/calendars/` + calEsc + `/calendarview?` + winQuery + `&$deltatoken=D"}`}},
		},
		{
			name: "contact sync of the default folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Contacts().Delta(ctx, nil, &outlook.DeltaOptions{Select: []string{"GivenName"}}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/contacts", query: "$select=GivenName", header: track,
				resp: `{"value":[` + ctJSON + `],"@odata.deltaLink":"` + pimBase + `/api/v2.0/me/contacts?$deltatoken=D"}`}},
			check: func(t *testing.T, got any) { assert.Equal(t, 1, got) },
		},
		{
			name: "supported time zones, default standard (beta)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().SupportedTimeZones(ctx, "")
			},
			reqs: []pimReq{{method: "GET", path: "/api/beta/me/SupportedTimeZones",
				resp: `{"value":[{"Alias":"Pacific Standard Time","DisplayName":"(UTC-08:00) Pacific Time (US & Canada)"}]}`}},
			check: func(t *testing.T, got any) {
				z := got.([]outlook.TimeZoneInformation)
				require.Len(t, z, 1)
				assert.Equal(t, "Pacific Standard Time", z[0].Alias)
			},
		},
		{
			name: "supported time zones, Windows standard (beta)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().SupportedTimeZones(ctx, outlook.TimeZoneStandardWindows)
			},
			reqs: []pimReq{{method: "GET", path: "/api/beta/me/SupportedTimeZones(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'Windows')",
				resp: `{"value":[]}`}},
		},
		{
			name: "task sync refuses $filter",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Tasks().Delta(ctx, nil, &outlook.DeltaOptions{Filter: "Status eq 'Completed'"}))
			},
			wantErr: "task sync supports no $filter",
		},
		{
			name: "task folder sync refuses $orderby",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Tasks().Folders().Delta(ctx, nil, &outlook.DeltaOptions{OrderBy: []string{"Name"}}))
			},
			wantErr: "task folder sync supports no $filter or $orderby",
		},
		{
			name: "task sync needs a folder id",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Tasks().InFolder("").Delta(ctx, nil, nil))
			},
			wantErr: "empty task folder id",
		},
		{
			name: "task attachments need a task id",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect2(mb.Tasks().Attachments("").List(ctx, nil))
			},
			wantErr: "empty item id",
		},
	})
}

// collectDelta drains a sync round and returns the number of changes.
func collectDelta[T any](seq func(func(*outlook.DeltaPage[T], error) bool)) (int, error) {
	n := 0
	for p, err := range seq {
		if err != nil {
			return n, err
		}
		n += len(p.Changes)
	}
	return n, nil
}
