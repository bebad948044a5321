package graphmail

import (
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/office365-go/office365/office365test/internal/odatapath"
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
	doc, ok := asObject(rep.JSON)
	if rep.Status != http.StatusOK || !ok {
		return nil // the store answers for a task that does not exist
	}
	if parent, _ := doc["ParentFolderId"].(string); parent != listID {
		return &errReply{http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store."}
	}
	return nil
}

// todoToGraph adds To Do's properties to the store's task folders and
// tasks, before the vocabulary renames and drops the rest. It returns a
// copy: doc belongs to the store.
func todoToGraph(doc map[string]any) map[string]any {
	doc = maps.Clone(doc)
	fix := func(m map[string]any) map[string]any {
		m = maps.Clone(m)
		if def, ok := m["IsDefaultFolder"].(bool); ok {
			if name, ok := m["Name"]; ok {
				delete(m, "Name")
				m["DisplayName"] = name
			}
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
		return m
	}
	if list, ok := doc["value"].([]any); ok {
		out := make([]any, len(list))
		for i, e := range list {
			out[i] = e
			if m, ok := e.(map[string]any); ok {
				out[i] = fix(m)
			}
		}
		doc["value"] = out
		return doc
	}
	return fix(doc)
}

// todoContext is the @odata.context of a To Do answer, from the Graph path
// it answers: "#users('…')/todo/lists('…')/tasks/$entity".
func todoContext(r *http.Request, entity bool) string {
	segs, _ := odatapath.QuotedSegments(r.URL.EscapedPath())
	var parts []string
	for i := 1; i < len(segs); i++ { // after "v1.0"
		s := segs[i]
		switch {
		case eq(s, "delta"):
			parts = append(parts, "$delta")
			entity = false
			continue
		case i > 1 && (eq(segs[i-1], "users") || eq(segs[i-1], "lists") || eq(segs[i-1], "tasks")):
			parts[len(parts)-1] += "('" + strings.ReplaceAll(s, "'", "''") + "')"
			continue
		}
		parts = append(parts, s)
	}
	if entity {
		last := parts[len(parts)-1]
		if strings.HasSuffix(last, "')") { // one item: its collection's $entity
			parts[len(parts)-1] = last[:strings.Index(last, "('")]
		}
		parts = append(parts, "$entity")
	}
	return requestBase(r) + "/v1.0/$metadata#" + strings.Join(parts, "/")
}
