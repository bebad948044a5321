package graphmail

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// Microsoft To Do (/todo/lists/{id}/tasks) is served from the mailbox's
// task folders and tasks: a todoTaskList is a task folder (the default one
// is wellknownListName "defaultList"), a todoTask a task, with To Do's
// names (names.go, todoVocabulary).

// todoPath maps a /todo/… path to the store's task paths.
func (f *FrontEnd) todoPath(rq *request, segs []string) ([]string, *errReply) {
	rq.vocab, rq.todo = todoVocabulary, true
	bad := &errReply{http.StatusBadRequest, "BadRequest", "Resource not found for the segment '" + joinSegments(segs) + "'."}
	if len(segs) < 2 || !eq(segs[1], "lists") {
		return nil, bad
	}
	switch {
	case len(segs) == 2:
		return []string{"taskfolders"}, nil
	case len(segs) <= 5 && (len(segs) < 4 || eq(segs[3], "tasks")) && (len(segs) < 5 || eq(segs[4], "delta")):
		// lists/{id}, lists/delta, lists/{id}/tasks, lists/{id}/tasks/delta
		return append([]string{"taskfolders"}, segs[2:]...), nil
	case len(segs) >= 5 && eq(segs[3], "tasks"):
		if rep := f.checkTaskList(rq, segs[2], segs[4]); rep != nil {
			return nil, rep
		}
		return append([]string{"tasks"}, segs[4:]...), nil
	case eq(segs[3], "extensions"):
		return append([]string{"taskfolders"}, segs[2:]...), nil
	}
	return nil, bad
}

// checkTaskList answers 404 when the task is not in the list the path
// names (the store addresses tasks by id alone).
func (f *FrontEnd) checkTaskList(rq *request, listID, taskID string) *errReply {
	path := "/api/v2.0/" + rq.user + joinSegments([]string{"tasks", taskID})
	rep := f.call(rq.r, http.MethodGet, path, url.Values{"$select": {"ParentFolderId"}}, rq.r.Header.Clone(), nil)
	if rep.status != http.StatusOK {
		return nil // the store answers for a task that does not exist
	}
	var doc struct{ ParentFolderId string }
	if json.Unmarshal(rep.body, &doc) == nil && doc.ParentFolderId != listID {
		return &errReply{http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store."}
	}
	return nil
}

// todoToGraph adds To Do's properties to the store's task folders and
// tasks, before the vocabulary renames and drops the rest.
func todoToGraph(doc map[string]any) {
	fix := func(m map[string]any) {
		if def, ok := m["IsDefaultFolder"].(bool); ok {
			m["WellknownListName"] = "None"
			if def {
				m["WellknownListName"] = "DefaultList"
			}
			m["IsOwner"], m["IsShared"] = true, false
		}
		if _, ok := m["Subject"]; ok {
			if lm, ok := m["LastModifiedDateTime"]; ok {
				m["BodyLastModifiedDateTime"] = lm
			}
		}
	}
	if list, ok := doc["value"].([]any); ok {
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				fix(m)
			}
		}
		return
	}
	fix(doc)
}
