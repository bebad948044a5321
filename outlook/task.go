package outlook

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strings"
)

// WellKnownTaskFolder is the name of the default task folder, usable as a
// task folder id.
const WellKnownTaskFolder = "Tasks"

// Tasks returns the Tasks API of the mailbox: every task ({root}/tasks),
// task folders and task groups. Use InFolder for the tasks of one folder.
// The service documents Tasks with beta samples; they are used on the
// configured API version (v2.0 by default).
//
// Scopes: Tasks.Read, Tasks.ReadWrite.
//
// # Microsoft To Do (Graph)
//
// With office365.WithGraph, tasks are served by Microsoft To Do: task
// folders are To Do lists ({root}/todo/lists; Name is the list's
// displayName, IsDefaultFolder its wellknownListName "defaultList") and a
// task lives in a list ({root}/todo/lists/{list_id}/tasks/{task_id};
// Subject is the todoTask's title). InFolder(listID) addresses one list
// (WellKnownTaskFolder names the default list). The unscoped service creates
// and pages (ListPages, Delta) in the default list; its List reads every
// list and sets each task's ParentFolderID to its list, and its Get, Update,
// Delete and Complete find a task in any list (the default list first, then
// the others: address the list with InFolder to save those requests). To Do has no equivalent for
// a task's Sensitivity, Owner, AssignedTo and extended properties (setting
// them is an error; open extensions work), none for ChangeKey (use
// ODataETag) and no task groups (ErrNoTaskGroups). Complete sets the status
// to completed; To Do creates a recurring task's next occurrence itself,
// and only the completed task is returned. Delegated permissions only: To
// Do does not accept application permissions for /me, and is not available
// in the China cloud.
func (mb *Mailbox) Tasks() *TasksService { return &TasksService{mb: mb, coll: "tasks"} }

// TasksService is a task collection: all tasks ({root}/tasks) or one
// folder's ({root}/taskfolders/{folder_id}/tasks, see InFolder). Get,
// Update, Delete and Complete address {root}/tasks/{task_id} whatever the
// scope.
type TasksService struct {
	mb     *Mailbox
	coll   string
	folder string // the folder (To Do list) id of InFolder
	err    error
}

func taskItem(id string) string { return "tasks/" + seg(id) }

// InFolder returns the tasks of one folder: {root}/taskfolders/{folder_id}/tasks.
func (s *TasksService) InFolder(folderID string) *TasksService {
	return &TasksService{mb: s.mb, coll: "taskfolders/" + seg(folderID) + "/tasks", folder: folderID, err: needID("task folder", folderID)}
}

// Folders returns the task folders of the default group ({root}/taskfolders).
func (s *TasksService) Folders() *TaskFoldersService {
	return &TaskFoldersService{mb: s.mb, coll: "taskfolders"}
}

// Groups returns the task groups ({root}/taskgroups).
func (s *TasksService) Groups() *TaskGroupsService {
	g := &TaskGroupsService{mb: s.mb, set: entitySet[TaskGroup]{mb: s.mb, path: "taskgroups", what: "task group"}}
	if s.mb.c.graph {
		g.err = ErrNoTaskGroups
	}
	return g
}

// List iterates the tasks: GET {root}/tasks or GET
// {root}/taskfolders/{folder_id}/tasks.
func (s *TasksService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*Task, error] {
	if s.err != nil {
		return errSeq[*Task](s.err)
	}
	if s.mb.c.graph {
		return s.todoList(ctx, opts)
	}
	return listEntities[Task](ctx, s.mb, s.coll, opts)
}

// ListPages is List page by page.
func (s *TasksService) ListPages(ctx context.Context, opts *ListOptions) iter.Seq2[*Page[Task], error] {
	if s.err != nil {
		return errSeq[*Page[Task]](s.err)
	}
	if s.mb.c.graph {
		return func(yield func(*Page[Task], error) bool) {
			p, err := s.todoTasks(ctx)
			if err != nil {
				yield(nil, err)
				return
			}
			for page, err := range listPages[Task](ctx, s.mb, p, opts) {
				if !yield(page, err) || err != nil {
					return
				}
			}
		}
	}
	return listPages[Task](ctx, s.mb, s.coll, opts)
}

// Get reads a task: GET {root}/tasks/{task_id}.
func (s *TasksService) Get(ctx context.Context, id string, opts *GetOptions) (*Task, error) {
	if err := needID("task", id); err != nil {
		return nil, err
	}
	if s.mb.c.graph {
		var t *Task
		err := s.todoOnTask(ctx, id, func(p string) (err error) {
			t, err = getEntity[Task](ctx, s.mb, p, opts)
			return err
		})
		return t, err
	}
	return getEntity[Task](ctx, s.mb, taskItem(id), opts)
}

// Create creates a task: POST {root}/tasks (in the default folder) or POST
// {root}/taskfolders/{folder_id}/tasks, 201. Subject is required.
func (s *TasksService) Create(ctx context.Context, t *Task) (*Task, error) {
	if s.err != nil {
		return nil, s.err
	}
	if t == nil {
		return nil, errors.New("outlook: nil task")
	}
	if strings.TrimSpace(t.Subject) == "" {
		return nil, errors.New("outlook: a task needs a Subject")
	}
	for _, d := range []*DateTimeTimeZone{t.StartDateTime, t.DueDateTime, t.CompletedDateTime, t.ReminderDateTime} {
		if d != nil {
			if err := d.Validate(); err != nil {
				return nil, err
			}
		}
	}
	if err := t.Recurrence.Validate(); err != nil {
		return nil, err
	}
	if s.mb.c.graph {
		return s.todoCreate(ctx, t)
	}
	return createEntity[Task](ctx, s.mb, s.coll, t)
}

// Update changes the set fields of u: PATCH {root}/tasks/{task_id} (200).
func (s *TasksService) Update(ctx context.Context, id string, u *TaskUpdate) (*Task, error) {
	if err := needID("task", id); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errors.New("outlook: nil task update")
	}
	if r, ok := u.Recurrence.Get(); ok {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	if s.mb.c.graph {
		if err := todoUpdateUnsupported(u); err != nil {
			return nil, err
		}
		var t *Task
		err := s.todoOnTask(ctx, id, func(p string) (err error) {
			t, err = updateEntity[Task](ctx, s.mb, p, u)
			return err
		})
		return t, err
	}
	return updateEntity[Task](ctx, s.mb, taskItem(id), u)
}

// Delete deletes a task: DELETE {root}/tasks/{task_id} (204).
func (s *TasksService) Delete(ctx context.Context, id string) error {
	if err := needID("task", id); err != nil {
		return err
	}
	if s.mb.c.graph {
		return s.todoOnTask(ctx, id, func(p string) error { return deleteEntity(ctx, s.mb, p) })
	}
	return deleteEntity(ctx, s.mb, taskItem(id))
}

// Complete marks a task completed: POST {root}/tasks/{task_id}/complete, no
// body, 200 with the affected tasks — the completed task, and for a
// recurring task also the next occurrence (a new task). Not retried once
// sent: completing a recurring task twice would advance it twice.
func (s *TasksService) Complete(ctx context.Context, id string) ([]Task, error) {
	if err := needID("task", id); err != nil {
		return nil, err
	}
	if s.mb.c.graph {
		return s.todoComplete(ctx, id)
	}
	var out Page[Task]
	if _, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: taskItem(id) + "/complete", kind: kindWrite}, &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// Delta runs one sync round over the scoped tasks: GET
// {root}/taskfolders/{folder_id}/tasks (see InFolder; the documented form is
// {root}/TaskFolders('{folder_id}')/Tasks) or, on the unscoped service, GET
// {root}/tasks (the documentation describes task sync per folder only),
// with Prefer: odata.track-changes, then the $skiptoken pages, until
// a $deltatoken link. Start with a zero DeltaState, or pass the persisted
// one to get only the changes since; state, if non-nil, is advanced as
// pages are yielded. Task sync (documented for beta) accepts $select but
// no $filter, $orderby, $search or $top. Deleted tasks come with Removed
// set.
func (s *TasksService) Delta(ctx context.Context, state *DeltaState, opts *DeltaOptions) iter.Seq2[*DeltaPage[Task], error] {
	if s.err != nil {
		return errSeq[*DeltaPage[Task]](s.err)
	}
	if opts != nil && (opts.Filter != "" || len(opts.OrderBy) > 0) {
		return errSeq[*DeltaPage[Task]](errors.New("outlook: task sync supports no $filter or $orderby"))
	}
	if s.mb.c.graph {
		return func(yield func(*DeltaPage[Task], error) bool) {
			p, err := s.todoTasks(ctx)
			if err != nil {
				yield(nil, err)
				return
			}
			for page, err := range deltaPages[Task](ctx, s.mb, p, state, opts) {
				if !yield(page, err) || err != nil {
					return
				}
			}
		}
	}
	return deltaPages[Task](ctx, s.mb, s.coll, state, opts)
}

// Attachments returns the attachments of a task
// ({root}/tasks/{task_id}/attachments): the Mail API's AttachmentsService
// over the task (list, get, add file/item/reference, delete; same shapes as
// message attachments). The endpoint follows the service's data model
// (Task.Attachments) but is not documented for v2.0.
func (s *TasksService) Attachments(taskID string) *AttachmentsService {
	a := &AttachmentsService{mb: s.mb, parent: taskItem(taskID), parentID: taskID}
	if s.mb.c.graph {
		// To Do: {root}/todo/lists/{list_id}/tasks/{task_id}/attachments
		// (file attachments only: taskFileAttachment).
		a.locate = func(ctx context.Context) (string, error) { return s.todoLocate(ctx, taskID) }
	}
	return a
}

// TaskFoldersService manages task folders: {root}/taskfolders (the default
// group's) or {root}/taskgroups/{group_id}/taskfolders (see
// TaskGroupsService.Folders). Get, Update and Delete address
// {root}/taskfolders/{folder_id} whatever the scope.
type TaskFoldersService struct {
	mb   *Mailbox
	coll string
	err  error
}

func taskFolderItem(id string) string { return "taskfolders/" + seg(id) }

// List iterates the task folders: GET {root}/taskfolders or GET
// {root}/taskgroups/{group_id}/taskfolders.
func (s *TaskFoldersService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*TaskFolder, error] {
	if s.err != nil {
		return errSeq[*TaskFolder](s.err)
	}
	if s.mb.c.graph {
		if s.coll != "taskfolders" {
			return errSeq[*TaskFolder](ErrNoTaskGroups)
		}
		return listEntities[TaskFolder](ctx, s.mb, todoLists, opts)
	}
	return listEntities[TaskFolder](ctx, s.mb, s.coll, opts)
}

// Delta runs one sync round over the task folders: GET {root}/taskfolders
// (or, on a group's service, {root}/taskgroups/{group_id}/taskfolders,
// which the documentation does not list: it describes {root}/TaskFolders
// only) with Prefer: odata.track-changes, then the $skiptoken pages, until a
// $deltatoken link (documented for beta). Only Select and MaxPageSize of
// opts apply: the service takes no $filter or $orderby here. Deleted
// folders come with Removed set.
func (s *TaskFoldersService) Delta(ctx context.Context, state *DeltaState, opts *DeltaOptions) iter.Seq2[*DeltaPage[TaskFolder], error] {
	if s.err != nil {
		return errSeq[*DeltaPage[TaskFolder]](s.err)
	}
	if opts != nil && (opts.Filter != "" || len(opts.OrderBy) > 0) {
		return errSeq[*DeltaPage[TaskFolder]](errors.New("outlook: task folder sync supports no $filter or $orderby"))
	}
	if s.mb.c.graph {
		if s.coll != "taskfolders" {
			return errSeq[*DeltaPage[TaskFolder]](ErrNoTaskGroups)
		}
		return deltaPages[TaskFolder](ctx, s.mb, todoLists, state, opts)
	}
	return deltaPages[TaskFolder](ctx, s.mb, s.coll, state, opts)
}

// Get reads a task folder: GET {root}/taskfolders/{folder_id} (the default
// folder is also WellKnownTaskFolder).
func (s *TaskFoldersService) Get(ctx context.Context, id string, opts *GetOptions) (*TaskFolder, error) {
	if err := needID("task folder", id); err != nil {
		return nil, err
	}
	if s.mb.c.graph {
		p, err := s.todoFolderPath(ctx, id)
		if err != nil {
			return nil, err
		}
		return getEntity[TaskFolder](ctx, s.mb, p, opts)
	}
	return getEntity[TaskFolder](ctx, s.mb, taskFolderItem(id), opts)
}

type taskName struct {
	Name string `json:"Name"`
}

// Create creates a task folder: POST {root}/taskfolders (or
// {root}/taskgroups/{group_id}/taskfolders) with {"Name": …} (201).
func (s *TaskFoldersService) Create(ctx context.Context, name string) (*TaskFolder, error) {
	if s.err != nil {
		return nil, s.err
	}
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("outlook: a task folder needs a Name")
	}
	if s.mb.c.graph {
		return s.todoFolderCall(ctx, http.MethodPost, "", taskName{name})
	}
	return createEntity[TaskFolder](ctx, s.mb, s.coll, taskName{name})
}

// Update changes a task folder: PATCH {root}/taskfolders/{folder_id} (200).
// The default folder cannot be renamed (400).
func (s *TaskFoldersService) Update(ctx context.Context, id string, u *TaskFolderUpdate) (*TaskFolder, error) {
	if err := needID("task folder", id); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errors.New("outlook: nil task folder update")
	}
	if s.mb.c.graph {
		return s.todoFolderCall(ctx, http.MethodPatch, id, u)
	}
	return updateEntity[TaskFolder](ctx, s.mb, taskFolderItem(id), u)
}

// Delete deletes a task folder and its tasks: DELETE
// {root}/taskfolders/{folder_id} (204; 400 for the default folder).
func (s *TaskFoldersService) Delete(ctx context.Context, id string) error {
	if err := needID("task folder", id); err != nil {
		return err
	}
	if s.mb.c.graph {
		_, err := s.todoFolderCall(ctx, http.MethodDelete, id, nil)
		return err
	}
	return deleteEntity(ctx, s.mb, taskFolderItem(id))
}

// TaskGroupsService manages task groups ({root}/taskgroups).
type TaskGroupsService struct {
	mb  *Mailbox
	set entitySet[TaskGroup]
	err error // ErrNoTaskGroups on Graph
}

// List iterates the task groups (always including "My Tasks"): GET
// {root}/taskgroups.
func (s *TaskGroupsService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*TaskGroup, error] {
	if s.err != nil {
		return errSeq[*TaskGroup](s.err)
	}
	return s.set.list(ctx, opts)
}

// Get reads a task group: GET {root}/taskgroups/{group_id}.
func (s *TaskGroupsService) Get(ctx context.Context, id string, opts *GetOptions) (*TaskGroup, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.set.get(ctx, id, opts)
}

// Create creates a task group: POST {root}/taskgroups with {"Name": …} (201).
func (s *TaskGroupsService) Create(ctx context.Context, name string) (*TaskGroup, error) {
	if s.err != nil {
		return nil, s.err
	}
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("outlook: a task group needs a Name")
	}
	return s.set.create(ctx, taskName{name})
}

// Update changes a task group: PATCH {root}/taskgroups/{group_id} (200).
func (s *TaskGroupsService) Update(ctx context.Context, id string, u *TaskGroupUpdate) (*TaskGroup, error) {
	if s.err != nil {
		return nil, s.err
	}
	if u == nil {
		return nil, errors.New("outlook: nil task group update")
	}
	return s.set.update(ctx, id, u)
}

// Delete deletes a task group: DELETE {root}/taskgroups/{group_id} (204;
// 400 for the default group).
func (s *TaskGroupsService) Delete(ctx context.Context, id string) error {
	if s.err != nil {
		return s.err
	}
	return s.set.delete(ctx, id)
}

// Folders returns the task folders of a group:
// {root}/taskgroups/{group_id}/taskfolders (List, Create).
func (s *TaskGroupsService) Folders(groupID string) *TaskFoldersService {
	err := needID("task group", groupID)
	if s.err != nil {
		err = s.err
	}
	return &TaskFoldersService{mb: s.mb, coll: "taskgroups/" + seg(groupID) + "/taskfolders", err: err}
}
