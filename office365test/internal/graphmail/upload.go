package graphmail

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Upload sessions for large file attachments of messages and events
// ("Attach large files to Outlook messages or events"):
//
//	POST /v1.0/{user}/{messages|events}/{id}/attachments/createUploadSession
//	  {"AttachmentItem":{"attachmentType":"file","name":…,"size":…,…}}
//	  → 201 uploadSession {uploadUrl, expirationDateTime, nextExpectedRanges:["0-"]}
//	PUT {uploadUrl}  Content-Range: bytes {start}-{end}/{size}   (no Authorization)
//	  → 200 {expirationDateTime, nextExpectedRanges:["{next}"]}
//	  → 201 with Location …/Attachments('{id}') after the last byte
//	GET {uploadUrl} → 200 the session's state; DELETE {uploadUrl} → 204
//
// The upload URL is on the fake's host, in the shape Graph hands out
// ({host}/api/v2.0/Users('{id}')/Messages('{id}')/AttachmentSessions('{id}')?authtoken=…),
// pre-authenticated by an opaque token in its query. Ranges must arrive in
// order: one that does not start at the next expected byte (a gap, or an
// overlap with bytes already received) is refused with 416. The completed
// file is added to the item through the mailbox, so both dialects see it.
//
// A To Do task's session (POST …/todo/lists/{id}/tasks/{id}/attachments/createUploadSession
// with an attachmentInfo, any size up to 25 MB) lives on Graph instead:
// {task}/attachmentSessions/{id}, ranges PUT to its /content with the
// caller's bearer token, 201 with Location {task}/attachments/{id}.

const (
	// minUploadSize is the smallest file Graph takes through a session:
	// smaller ones are POSTed to …/attachments.
	minUploadSize = 3 << 20
	// maxUploadSize is the largest attachment Graph takes (150 MB);
	// maxTodoUploadSize a To Do task's (25 MB).
	maxUploadSize     = 150 << 20
	maxTodoUploadSize = 25 << 20
	// uploadSessionLifetime is how long an upload URL's token lives.
	uploadSessionLifetime = 2 * time.Hour
)

// uploadSession is one attachment being uploaded.
type uploadSession struct {
	id, token string
	// store is the item's path in the store's vocabulary
	// (/api/v2.0/users/{id}/messages/{id}); header the creator's request
	// headers, sent with the attachment when it is complete.
	store  string
	header http.Header
	// label is the item's entity set and key in the upload URL's shape
	// ("Users('…')/Messages('…')").
	label string
	// todoTask is, for a To Do task's session, the task's escaped path
	// (/v1.0/me/todo/lists/{id}/tasks/{id}); its session lives under it,
	// on Graph, and needs the caller's bearer token instead of authtoken.
	todoTask string
	item     attachmentItemDoc
	expires  time.Time
	received []byte
}

// attachmentItemDoc is Graph's attachmentItem.
type attachmentItemDoc struct {
	AttachmentType string `json:"attachmentType"`
	Name           string `json:"name"`
	Size           int64  `json:"size"`
	ContentType    string `json:"contentType"`
	IsInline       bool   `json:"isInline"`
	ContentID      string `json:"contentId"`
}

// uploads holds a front end's live upload sessions.
type uploads struct {
	mu       sync.Mutex
	sessions map[string]*uploadSession
}

// HandlesUpload reports whether r is for an upload session's URL (served
// by FrontEnd.Uploads): /api/v2.0/Users('…')/…/AttachmentSessions('…').
func HandlesUpload(r *http.Request) bool {
	p := strings.ToLower(r.URL.Path)
	return strings.HasPrefix(p, "/api/v2.0/users(") && strings.Contains(p, "/attachmentsessions(")
}

// Uploads returns the handler of upload session URLs (see HandlesUpload).
// Its requests carry no bearer token: the URL's authtoken authorises them.
func (f *FrontEnd) Uploads() http.Handler { return http.HandlerFunc(f.serveUpload) }

// isCreateUploadSession reports whether segs (after the user, in the
// store's vocabulary) address {item}/attachments/createUploadSession of a
// message, an event or (todo) a To Do task.
func isCreateUploadSession(segs []string, todo bool) bool {
	n := len(segs)
	if n < 4 || !eq(segs[n-1], "createUploadSession") || !eq(segs[n-2], "attachments") {
		return false
	}
	if todo {
		return n == 4 && eq(segs[0], "tasks")
	}
	return eq(segs[n-4], "messages") || eq(segs[n-4], "events")
}

// isTodoUploadSession reports whether segs (of a To Do request, in the
// store's vocabulary) address a task's attachment session:
// tasks/{id}/attachmentSessions/{id}[/content].
func isTodoUploadSession(segs []string) bool {
	n := len(segs)
	return (n == 4 || n == 5 && eq(segs[4], "content")) && eq(segs[0], "tasks") && eq(segs[2], "attachmentSessions")
}

// createUploadSession serves POST {item}/attachments/createUploadSession;
// item is the item's path segments.
func (f *FrontEnd) createUploadSession(w http.ResponseWriter, rq *request, user User, item []string) {
	r := rq.r
	var body struct {
		AttachmentItem *attachmentItemDoc `json:"attachmentItem"` // encoding/json matches AttachmentItem too
		AttachmentInfo *attachmentItemDoc `json:"attachmentInfo"` // To Do's
	}
	if err := json.Unmarshal(readBody(r), &body); err != nil {
		f.writeError(w, r, http.StatusBadRequest, "RequestBodyRead", "The request body is not valid JSON: "+err.Error())
		return
	}
	it, param, minSize, maxSize := body.AttachmentItem, "AttachmentItem", int64(minUploadSize), int64(maxUploadSize)
	if rq.todo {
		it, param, minSize, maxSize = body.AttachmentInfo, "attachmentInfo", 1, maxTodoUploadSize
		if it != nil {
			it.IsInline, it.ContentID = false, "" // a taskFileAttachment has neither
		}
	}
	switch {
	case it == nil:
		f.writeError(w, r, http.StatusBadRequest, "ErrorInvalidParameter", "The parameter '"+param+"' is missing.")
		return
	case !eq(it.AttachmentType, "file"):
		f.writeError(w, r, http.StatusBadRequest, "ErrorInvalidParameter", "Upload sessions take attachmentType 'file'.")
		return
	case it.Name == "":
		f.writeError(w, r, http.StatusBadRequest, "ErrorInvalidParameter", "The attachment needs a name.")
		return
	case it.Size < minSize:
		f.writeError(w, r, http.StatusBadRequest, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
			"Attachment size must be greater than the minimum size.")
		return
	case it.Size > maxSize:
		f.writeError(w, r, http.StatusRequestEntityTooLarge, "ErrorRequestEntityTooLarge",
			fmt.Sprintf("The attachment exceeds the maximum size of %d bytes.", maxSize))
		return
	}
	storeItem := "/api/v2.0/users/" + url.PathEscape(user.StoreID) + joinSegments(item)
	// The item must exist (and be the caller's to change).
	check := f.call(r, http.MethodGet, storeItem, url.Values{"$select": {"Id"}}, r.Header.Clone(), nil)
	if check.Status != http.StatusOK {
		f.reply(w, rq, check)
		return
	}
	s := &uploadSession{
		id: randomToken(18), token: randomToken(32), store: storeItem, header: r.Header.Clone(), item: *it,
		label:   "Users('" + user.StoreID + "')/" + upperFirst(item[len(item)-2]) + "('" + item[len(item)-1] + "')",
		expires: f.opts.Now().Add(uploadSessionLifetime).UTC(),
	}
	uploadURL := requestBase(r) + "/api/v2.0/" + s.label + "/AttachmentSessions('" + s.id + "')?authtoken=" + s.token
	if rq.todo {
		p := r.URL.EscapedPath()
		s.todoTask, s.token = p[:len(p)-len("/attachments/createUploadSession")], ""
		uploadURL = requestBase(r) + s.todoTask + "/attachmentSessions/" + s.id
	}
	f.uploads.put(s, f.opts.Now())
	writeJSON(w, http.StatusCreated, map[string]any{
		"@odata.context":     requestBase(r) + "/v1.0/$metadata#microsoft.graph.uploadSession",
		"uploadUrl":          uploadURL,
		"expirationDateTime": s.expires.Format(time.RFC3339Nano),
		"nextExpectedRanges": []string{"0-"},
	})
}

// serveUpload serves the upload URL: PUT a range, GET the state, DELETE
// the session.
func (f *FrontEnd) serveUpload(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	i := strings.LastIndex(strings.ToLower(p), "/attachmentsessions('")
	if i < 0 || !strings.HasSuffix(p, "')") {
		f.writeError(w, r, http.StatusBadRequest, "BadRequest", "The URL is malformed.")
		return
	}
	id := p[i+len("/attachmentsessions('") : len(p)-2]
	s, ok := f.uploads.get(id, f.opts.Now())
	if !ok || s.todoTask != "" {
		f.writeError(w, r, http.StatusNotFound, "ErrorItemNotFound", "The upload session does not exist or has expired.")
		return
	}
	if tok := r.URL.Query().Get("authtoken"); subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) != 1 {
		f.writeError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "The upload session's token is missing or invalid.")
		return
	}
	f.serveSession(w, r, s, r.Method == http.MethodPut)
}

// serveTodoUpload serves a To Do task's attachment session,
// tasks/{id}/attachmentSessions/{id}: GET its state, DELETE it, PUT ranges
// to its /content. The server has checked the bearer token.
func (f *FrontEnd) serveTodoUpload(w http.ResponseWriter, rq *request, segs []string) {
	r := rq.r
	s, ok := f.uploads.get(segs[3], f.opts.Now())
	if !ok || s.todoTask == "" || !strings.HasSuffix(strings.ToLower(s.store), "/tasks/"+strings.ToLower(url.PathEscape(segs[1]))) {
		f.writeError(w, r, http.StatusNotFound, "ErrorItemNotFound", "The upload session does not exist or has expired.")
		return
	}
	content := len(segs) == 5
	if content != (r.Method == http.MethodPut) {
		f.writeError(w, r, http.StatusMethodNotAllowed, "BadRequest", "Ranges are PUT to the session's /content; the session takes GET and DELETE.")
		return
	}
	f.serveSession(w, r, s, content)
}

// serveSession serves one request about session s; put says whether it
// is a range.
func (f *FrontEnd) serveSession(w http.ResponseWriter, r *http.Request, s *uploadSession, put bool) {
	if put {
		f.putRange(w, r, s)
		return
	}
	switch r.Method {
	case http.MethodGet:
		f.uploads.mu.Lock()
		next := len(s.received)
		f.uploads.mu.Unlock()
		f.writeUploadState(w, r, s, next)
	case http.MethodDelete:
		f.uploads.remove(s.id)
		w.WriteHeader(http.StatusNoContent)
	default:
		f.writeError(w, r, http.StatusMethodNotAllowed, "BadRequest", "The upload URL takes PUT, GET and DELETE.")
	}
}

// putRange stores one range of the file and, after the last, adds the
// attachment to the item.
func (f *FrontEnd) putRange(w http.ResponseWriter, r *http.Request, s *uploadSession) {
	data := readBody(r)
	start, end, total, ok := parseContentRange(r.Header.Get("Content-Range"))
	switch {
	case !ok:
		f.writeError(w, r, http.StatusBadRequest, "ErrorInvalidRequest", "Content-Range must be 'bytes {start}-{end}/{total}'.")
		return
	case total != s.item.Size:
		f.writeError(w, r, http.StatusBadRequest, "ErrorInvalidRequest",
			fmt.Sprintf("The Content-Range total %d is not the attachment's size %d.", total, s.item.Size))
		return
	case int64(len(data)) != end-start+1:
		f.writeError(w, r, http.StatusBadRequest, "ErrorInvalidRequest",
			fmt.Sprintf("The body holds %d bytes; Content-Range announces %d.", len(data), end-start+1))
		return
	}
	f.uploads.mu.Lock()
	next := int64(len(s.received))
	if start != next {
		f.uploads.mu.Unlock()
		w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(s.item.Size, 10))
		what := "overlaps bytes already received"
		if start > next {
			what = "leaves a gap"
		}
		f.writeError(w, r, http.StatusRequestedRangeNotSatisfiable, "InvalidRange",
			fmt.Sprintf("The range %d-%d %s: the next expected byte is %d.", start, end, what, next))
		return
	}
	s.received = append(s.received, data...)
	next = int64(len(s.received))
	f.uploads.mu.Unlock()
	if next < s.item.Size {
		f.writeUploadState(w, r, s, int(next))
		return
	}
	f.completeUpload(w, r, s)
}

// completeUpload adds the uploaded file to the item and answers 201 with
// the attachment's Location.
func (f *FrontEnd) completeUpload(w http.ResponseWriter, r *http.Request, s *uploadSession) {
	f.uploads.remove(s.id)
	doc := map[string]any{
		"@odata.type":  "#Microsoft.OutlookServices.FileAttachment",
		"Name":         s.item.Name,
		"IsInline":     s.item.IsInline,
		"ContentBytes": s.received,
	}
	if s.item.ContentType != "" {
		doc["ContentType"] = s.item.ContentType
	}
	if s.item.ContentID != "" {
		doc["ContentId"] = s.item.ContentID
	}
	body, err := json.Marshal(doc)
	if err != nil {
		f.writeError(w, r, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	h := s.header.Clone()
	h.Set("Content-Type", "application/json")
	h.Del("Content-Length")
	ans := f.call(r, http.MethodPost, s.store+"/attachments", url.Values{"$select": {"Id"}}, h, body)
	obj, _ := asObject(ans.JSON)
	id, _ := obj["Id"].(string)
	if ans.Status != http.StatusCreated || id == "" {
		f.reply(w, &request{r: r, vocab: baseVocabulary}, ans)
		return
	}
	loc := requestBase(r) + "/api/v2.0/" + s.label + "/Attachments('" + strings.ReplaceAll(id, "'", "''") + "')"
	if s.todoTask != "" {
		loc = requestBase(r) + s.todoTask + "/attachments/" + url.PathEscape(id)
	}
	w.Header().Set("Location", loc)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusCreated)
}

// writeUploadState answers with the session's state.
func (f *FrontEnd) writeUploadState(w http.ResponseWriter, r *http.Request, s *uploadSession, next int) {
	ctx := requestBase(r) + "/api/v2.0/$metadata#" + s.label + "/AttachmentSessions/$entity"
	if s.todoTask != "" {
		ctx = requestBase(r) + "/v1.0/$metadata#microsoft.graph.attachmentSession"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context":     ctx,
		"expirationDateTime": s.expires.Format(time.RFC3339Nano),
		"nextExpectedRanges": []string{strconv.Itoa(next)},
	})
}

// parseContentRange parses "bytes {start}-{end}/{total}".
func parseContentRange(v string) (start, end, total int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	start, err1 = strconv.ParseInt(a, 10, 64)
	end, err2 = strconv.ParseInt(b, 10, 64)
	total, err3 = strconv.ParseInt(tot, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || start < 0 || end < start || end >= total {
		return 0, 0, 0, false
	}
	return start, end, total, true
}

func (u *uploads) put(s *uploadSession, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.sessions == nil {
		u.sessions = map[string]*uploadSession{}
	}
	for id, old := range u.sessions { // expired sessions free their bytes
		if !now.Before(old.expires) {
			delete(u.sessions, id)
		}
	}
	u.sessions[s.id] = s
}

func (u *uploads) get(id string, now time.Time) (*uploadSession, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	s, ok := u.sessions[id]
	if ok && !now.Before(s.expires) {
		delete(u.sessions, id)
		return nil, false
	}
	return s, ok
}

func (u *uploads) remove(id string) {
	u.mu.Lock()
	delete(u.sessions, id)
	u.mu.Unlock()
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
