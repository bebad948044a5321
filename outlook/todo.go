package outlook

// The Graph backend of Tasks: Microsoft To Do. Task folders are To Do task
// lists ({root}/todo/lists), tasks live in a list
// ({root}/todo/lists/{list_id}/tasks/{task_id}); the Graph codec renames
// the few properties that differ (Subject ↔ title, Name ↔ displayName,
// IsDefaultFolder ↔ wellknownListName) and this file resolves the list a
// task call addresses.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/office365-go/office365"
)

// ErrNoTaskGroups is returned by the task group calls of a client built
// with office365.WithGraph: Microsoft To Do has task lists but no groups.
var ErrNoTaskGroups = errors.New("outlook: task groups have no equivalent in Microsoft To Do (Graph): use task folders (To Do lists)")

const todoLists = "todo/lists"

// todoListPath returns the escaped path of a To Do list: the default list
// for "" or WellKnownTaskFolder, else the list id.
func (mb *Mailbox) todoListPath(ctx context.Context, listID string) (string, error) {
	if listID == "" || strings.EqualFold(listID, WellKnownTaskFolder) {
		id, err := mb.defaultTodoList(ctx)
		if err != nil {
			return "", err
		}
		listID = id
	}
	return todoLists + "/" + seg(listID), nil
}

// defaultTodoList returns the id of the mailbox's built-in To Do list
// (wellknownListName "defaultList"), read once per mailbox and client.
func (mb *Mailbox) defaultTodoList(ctx context.Context) (string, error) {
	if mb.err != nil {
		return "", mb.err
	}
	if id, ok := mb.c.todoDefault.Load(mb.path); ok {
		return id.(string), nil
	}
	for l, err := range listEntities[TaskFolder](ctx, mb, todoLists, nil) {
		if err != nil {
			return "", err
		}
		if l.IsDefaultFolder != nil && *l.IsDefaultFolder {
			mb.c.todoDefault.Store(mb.path, l.ID)
			return l.ID, nil
		}
	}
	return "", errors.New("outlook: the mailbox has no default To Do list (wellknownListName defaultList)")
}

// todoTasks returns the escaped path of the scoped service's task
// collection: the tasks of its folder, or of the default list.
func (s *TasksService) todoTasks(ctx context.Context) (string, error) {
	if s.err != nil {
		return "", s.err
	}
	p, err := s.mb.todoListPath(ctx, s.folder)
	if err != nil {
		return "", err
	}
	return p + "/tasks", nil
}

// todoTask returns the escaped path of one task of the scoped list.
func (s *TasksService) todoTask(ctx context.Context, id string) (string, error) {
	if err := needID("task", id); err != nil {
		return "", err
	}
	p, err := s.todoTasks(ctx)
	if err != nil {
		return "", err
	}
	return p + "/" + seg(id), nil
}

// todoLocate returns the path of task id: in the scoped list, or (on the
// unscoped service) in whichever list holds it.
func (s *TasksService) todoLocate(ctx context.Context, id string) (string, error) {
	p, err := s.todoTask(ctx, id)
	if err != nil || s.folder != "" {
		return p, err
	}
	err = s.todoProbe(ctx, p)
	if err == nil || !office365.IsNotFound(err) {
		return p, err
	}
	return s.todoFind(ctx, id, err)
}

// todoOnTask runs op on the path of task id. A service scoped to a list
// (InFolder) addresses that list. The unscoped service, like v2.0's
// {root}/tasks/{id}, reaches a task in any list: it tries the default list
// first and, when the task is not there (404), finds the list that holds
// it and runs op there (a 404 had no effect, so nothing runs twice).
func (s *TasksService) todoOnTask(ctx context.Context, id string, op func(path string) error) error {
	p, err := s.todoTask(ctx, id)
	if err != nil {
		return err
	}
	err = op(p)
	if err == nil || s.folder != "" || !office365.IsNotFound(err) {
		return err
	}
	p, err = s.todoFind(ctx, id, err)
	if err != nil {
		return err
	}
	return op(p)
}

// todoProbe checks that the task at path exists.
func (s *TasksService) todoProbe(ctx context.Context, path string) error {
	_, err := s.mb.doJSON(ctx, &call{method: http.MethodGet, rel: path, query: "$select=id", kind: kindRead}, nil)
	return err
}

// todoFind returns the path of task id in a list other than the default
// one, or notFound when no list holds it.
func (s *TasksService) todoFind(ctx context.Context, id string, notFound error) (string, error) {
	def, err := s.mb.defaultTodoList(ctx)
	if err != nil {
		return "", err
	}
	for l, err := range listEntities[TaskFolder](ctx, s.mb, todoLists, nil) {
		if err != nil {
			return "", err
		}
		if l.ID == def {
			continue
		}
		p := todoLists + "/" + seg(l.ID) + "/tasks/" + seg(id)
		switch err := s.todoProbe(ctx, p); {
		case err == nil:
			return p, nil
		case !office365.IsNotFound(err):
			return "", err
		}
	}
	return "", notFound
}

// todoList lists the tasks of one list (ParentFolderID set to the list),
// or of every list when the service is not scoped to a folder.
func (s *TasksService) todoList(ctx context.Context, opts *ListOptions) iter.Seq2[*Task, error] {
	return func(yield func(*Task, error) bool) {
		var lists []string
		if s.folder != "" {
			lists = []string{s.folder}
		} else {
			for l, err := range listEntities[TaskFolder](ctx, s.mb, todoLists, nil) {
				if err != nil {
					yield(nil, err)
					return
				}
				lists = append(lists, l.ID)
			}
		}
		for _, list := range lists {
			p, err := s.mb.todoListPath(ctx, list)
			if err != nil {
				yield(nil, err)
				return
			}
			for t, err := range listEntities[Task](ctx, s.mb, p+"/tasks", opts) {
				if err == nil && !strings.EqualFold(list, WellKnownTaskFolder) {
					t.ParentFolderID = list
				}
				if !yield(t, err) || err != nil {
					return
				}
			}
		}
	}
}

// todoUnsupported returns an error naming a set task property that To Do
// cannot store, so that nothing is dropped silently.
func todoUnsupported(t *Task) error {
	switch {
	case t.Sensitivity != "":
		return todoNoEquivalent("Sensitivity")
	case t.Owner != "":
		return todoNoEquivalent("Owner")
	case t.AssignedTo != "":
		return todoNoEquivalent("AssignedTo")
	case len(t.SingleValueExtendedProperties) > 0 || len(t.MultiValueExtendedProperties) > 0:
		return todoNoEquivalent("extended properties (use open extensions)")
	case len(t.Attachments) > 0:
		return errors.New("outlook: To Do (Graph) creates tasks without attachments: add them with Attachments after Create")
	}
	return nil
}

func todoUpdateUnsupported(u *TaskUpdate) error {
	switch {
	case !u.Sensitivity.IsZero():
		return todoNoEquivalent("Sensitivity")
	case !u.SingleValueExtendedProperties.IsZero() || !u.MultiValueExtendedProperties.IsZero():
		return todoNoEquivalent("extended properties (use open extensions)")
	}
	return nil
}

func todoNoEquivalent(field string) error {
	return fmt.Errorf("outlook: task %s has no equivalent in Microsoft To Do (Graph)", field)
}

// todoCreate creates a task in the scoped list: POST
// {root}/todo/lists/{list_id}/tasks. Read-only properties of t are not
// sent.
func (s *TasksService) todoCreate(ctx context.Context, t *Task) (*Task, error) {
	if err := todoUnsupported(t); err != nil {
		return nil, err
	}
	p, err := s.todoTasks(ctx)
	if err != nil {
		return nil, err
	}
	body := *t
	body.ODataID, body.ODataETag, body.ID, body.ChangeKey, body.ParentFolderID = "", "", "", "", ""
	body.CreatedDateTime, body.LastModifiedDateTime, body.HasAttachments = nil, nil, nil
	out, err := createEntity[Task](ctx, s.mb, p, &body)
	if err != nil {
		return nil, err
	}
	out.ParentFolderID = s.folder
	return out, nil
}

// todoComplete completes a task: PATCH {"status": "completed"} (To Do has
// no complete action). The service creates the next occurrence of a
// recurring task by itself; only the completed task is returned.
func (s *TasksService) todoComplete(ctx context.Context, id string) ([]Task, error) {
	var t *Task
	err := s.todoOnTask(ctx, id, func(p string) (err error) {
		t, err = updateEntity[Task](ctx, s.mb, p, &TaskUpdate{Status: Set(TaskCompleted)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return []Task{*t}, nil
}

// todoFolderPath returns the escaped path of a To Do list, or an error for
// a group's folder service (To Do has no groups).
func (s *TaskFoldersService) todoFolderPath(ctx context.Context, id string) (string, error) {
	if s.coll != "taskfolders" {
		return "", ErrNoTaskGroups
	}
	if err := needID("task folder", id); err != nil {
		return "", err
	}
	return s.mb.todoListPath(ctx, id)
}

// todoFolderRequest sends a call on a To Do list, or on the collection of
// lists when id is "".
func (s *TaskFoldersService) todoFolderCall(ctx context.Context, method, id string, body any) (*TaskFolder, error) {
	if s.err != nil {
		return nil, s.err
	}
	rel := todoLists
	if id != "" {
		p, err := s.todoFolderPath(ctx, id)
		if err != nil {
			return nil, err
		}
		rel = p
	} else if s.coll != "taskfolders" {
		return nil, ErrNoTaskGroups
	}
	c := &call{method: method, rel: rel, json: body, kind: kindWrite, shape: shapeOf[TaskFolder]()}
	switch method {
	case http.MethodGet:
		c.kind = kindRead
	case http.MethodPatch:
		c.idempotent = true
	case http.MethodDelete:
		_, err := s.mb.doJSON(ctx, c, nil)
		return nil, err
	}
	out := new(TaskFolder)
	if _, err := s.mb.doJSON(ctx, c, out); err != nil {
		return nil, err
	}
	return out, nil
}
