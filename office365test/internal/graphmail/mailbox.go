package graphmail

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/office365-go/office365/office365test/internal/grapherr"
)

// request is one Graph mailbox request on its way to the store.
type request struct {
	r     *http.Request
	vocab *vocabulary
	// user is "me" or "users/{store id}" (escaped), as the store addresses it.
	user    string
	segs    []string // in the store's vocabulary
	version string
	// delta names the entity type of a delta function's results ("" when
	// the request is not a delta call).
	delta string
	todo  bool
}

// deltaResources are the collections with a delta function: the store
// path they track (with "*" for an id) and the Graph type of their items.
var deltaResources = []struct {
	path []string
	typ  string
}{
	{[]string{"mailFolders", "*", "messages"}, "message"},
	{[]string{"mailFolders"}, "mailFolder"},
	{[]string{"calendarView"}, "event"},
	{[]string{"calendars", "*", "calendarView"}, "event"},
	{[]string{"contactFolders", "*", "contacts"}, "contact"},
	{[]string{"contactFolders"}, "contactFolder"},
	{[]string{"contacts"}, "contact"},
	{[]string{"taskfolders", "*", "tasks"}, "todoTask"},
	{[]string{"taskfolders"}, "todoTaskList"},
}

// betaOperations exist on Graph v1.0 but only on the store's beta root.
var betaOperations = [][]string{
	{"photos"}, {"photos", "*"}, {"photos", "*", "$value"},
	{"getMailTips"},
	{"events", "*", "cancel"},
	{"SupportedLanguages"}, {"SupportedTimeZones"}, {"SupportedTimeZones", "*"},
}

func matchPath(pattern, segs []string) bool {
	return slices.EqualFunc(pattern, segs, func(p, s string) bool { return p == "*" || eq(p, s) })
}

// serveMailbox serves /v1.0/{me | users/{key}}/….
func (f *FrontEnd) serveMailbox(w http.ResponseWriter, r *http.Request, segs []string) {
	rq := &request{r: r, vocab: baseVocabulary, version: "v2.0"}
	token := ""
	if a := r.Header.Get("Authorization"); len(a) > 7 {
		token = a[7:]
	}
	var user User
	switch {
	case eq(segs[0], "me"):
		u, ok := f.store.User("me", token)
		if !ok {
			f.writeError(w, r, http.StatusNotFound, "ErrorInvalidUser", "The requested user 'me' is invalid.")
			return
		}
		user, rq.user, segs = u, "me", segs[1:]
	case len(segs) >= 2:
		u, ok := f.store.User(segs[1], token)
		if !ok {
			f.writeError(w, r, http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+segs[1]+"' is invalid.")
			return
		}
		user, rq.user, segs = u, "users/"+url.PathEscape(u.StoreID), segs[2:]
	default:
		f.writeError(w, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment 'users'.")
		return
	}
	if len(segs) == 0 {
		f.serveUser(w, r, user)
		return
	}

	// Functions and renamed paths.
	if n := len(segs); n > 0 && eq(segs[n-1], "()") {
		segs = segs[:n-1]
	}
	if len(segs) > 0 && eq(segs[0], "todo") {
		var rep *errReply
		if segs, rep = f.todoPath(rq, segs); rep != nil {
			f.writeError(w, r, rep.status, rep.code, rep.message)
			return
		}
	}
	if len(segs) > 0 && eq(segs[0], "outlook") {
		var rep *errReply
		if segs, rep = outlookPath(segs); rep != nil {
			f.writeError(w, r, rep.status, rep.code, rep.message)
			return
		}
	}
	if n := len(segs); n > 0 && eq(segs[n-1], "delta") {
		for _, d := range deltaResources {
			if matchPath(d.path, segs[:n-1]) {
				rq.delta = d.typ
			}
		}
		if rq.delta == "" {
			f.writeError(w, r, http.StatusBadRequest, "BadRequest", "Change tracking is not supported against '"+strings.Join(segs[:n-1], "/")+"'.")
			return
		}
		segs = segs[:n-1]
	}
	for _, b := range betaOperations {
		if matchPath(b, segs) {
			rq.version = "beta"
		}
	}
	for i, s := range segs {
		if i > 0 && eq(segs[i-1], "extensions") {
			segs[i] = extIDToStore(s)
		}
	}
	rq.segs = segs
	if isCreateUploadSession(segs, rq.todo) {
		f.createUploadSession(w, rq, user, segs[:len(segs)-2])
		return
	}
	if rq.todo && isTodoUploadSession(segs) {
		f.serveTodoUpload(w, rq, segs)
		return
	}
	f.forward(w, rq)
}

// outlookPath maps the outlookUser functions, /outlook/supportedLanguages
// and /outlook/supportedTimeZones[(TimeZoneStandard=microsoft.graph.
// timeZoneStandard'…')], to the store's SupportedLanguages and
// SupportedTimeZones (beta operations there, see betaOperations).
func outlookPath(segs []string) ([]string, *errReply) {
	switch {
	case len(segs) == 2 && eq(segs[1], "supportedLanguages"):
		return []string{"SupportedLanguages"}, nil
	case len(segs) == 2 && eq(segs[1], "supportedTimeZones"):
		return []string{"SupportedTimeZones"}, nil
	case len(segs) == 3 && eq(segs[1], "supportedTimeZones") && strings.HasPrefix(segs[2], "("):
		return []string{"SupportedTimeZones", replaceFold(segs[2], graphNS+"timeZoneStandard'", storeNS+"TimeZoneStandard'")}, nil
	}
	return nil, &errReply{http.StatusBadRequest, "BadRequest", "Resource not found for the segment '" + strings.Join(segs, "/") + "'."}
}

// errReply is an error the front end answers itself.
type errReply struct {
	status        int
	code, message string
}

// forward sends a translated request to the store and translates the answer.
func (f *FrontEnd) forward(w http.ResponseWriter, rq *request) {
	r := rq.r
	query := url.Values{}
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			switch strings.ToLower(k) {
			case "$select", "$filter", "$orderby", "$expand":
				v = rq.vocab.queryFromGraph(strings.ToLower(k), v)
			}
			query.Add(k, v)
		}
	}
	header := r.Header.Clone()
	if rq.delta != "" {
		header.Add("Prefer", "odata.track-changes")
	}
	body := readBody(r)
	if len(bytes.TrimSpace(body)) > 0 && isJSON(r.Header.Get("Content-Type"), body) {
		var doc any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			f.writeError(w, r, http.StatusBadRequest, "RequestBodyRead", "The request body is not valid JSON: "+err.Error())
			return
		}
		body, _ = json.Marshal(rq.vocab.fromGraph(doc))
	}
	path := "/api/" + rq.version + "/" + rq.user + joinSegments(rq.segs)
	rep := f.call(r, r.Method, path, query, header, body)
	f.reply(w, rq, rep)
}

func isJSON(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "json") {
		return true
	}
	if ct != "" {
		return false
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// reply writes the store's answer in Graph's shape.
func (f *FrontEnd) reply(w http.ResponseWriter, rq *request, rep Answer) {
	r := rq.r
	doc, ok := asObject(rep.JSON)
	if !ok && rep.Status >= 400 && isJSON(rep.Header.Get("Content-Type"), rep.Body) {
		// An error a streaming route wrote itself.
		ok = json.Unmarshal(rep.Body, &doc) == nil && doc != nil
	}
	if !ok {
		copyHeader(w.Header(), rep.Header)
		w.WriteHeader(rep.Status)
		_, _ = w.Write(rep.Body)
		return
	}
	if e, ok := doc["error"].(map[string]any); ok && rep.Status >= 400 {
		code, _ := e["code"].(string)
		msg, _ := e["message"].(string)
		status, code, msg := grapherr.Translate(rep.Status, code, msg)
		if status == http.StatusGone {
			// A delta or skip token the mailbox no longer (or never) knew:
			// Location is where a new round starts.
			w.Header().Set("Location", f.restartLink(r))
		}
		for _, k := range []string{"Retry-After", "WWW-Authenticate"} {
			if v := rep.Header.Get(k); v != "" {
				w.Header().Set(k, v)
			}
		}
		f.writeError(w, r, status, code, msg)
		return
	}
	if rq.todo {
		doc = todoToGraph(doc)
	}
	out := rq.vocab.toGraph(doc).(map[string]any)
	if rq.delta != "" {
		markRemoved(out, rq.delta)
	}
	f.fixLinks(out, r)
	if rq.todo {
		if _, ok := out["@odata.context"]; ok {
			out["@odata.context"] = todoContext(r, rep.Status == http.StatusCreated || out["value"] == nil)
		}
	}
	for k, vs := range rep.Header {
		switch strings.ToLower(k) {
		case "content-length", "content-type", "odata-version":
			continue
		case "preference-applied":
			var keep []string
			for _, v := range strings.Split(strings.Join(vs, ","), ",") {
				if v = strings.TrimSpace(v); v != "" && !eq(v, "odata.track-changes") {
					keep = append(keep, v)
				}
			}
			if len(keep) > 0 {
				w.Header().Set(k, strings.Join(keep, ", "))
			}
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeJSON(w, rep.Status, out)
}

// asObject returns a JSON object body as a map (decoding values of other
// Go types through JSON).
func asObject(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case map[string]any:
		return x, true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	return m, true
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		if eq(k, "Content-Length") {
			continue
		}
		for _, v := range vs {
			dst.Add(k, v)
		}
	}
}

// markRemoved rewrites the store's deletion entries of a delta page
// ({"Id", "reason"}) as Graph's {"id", "@removed": {"reason"}}.
func markRemoved(env map[string]any, typ string) {
	list, _ := env["value"].([]any)
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		reason, ok := m["reason"].(string)
		if !ok {
			continue
		}
		list[i] = map[string]any{"@odata.type": "#" + graphNS + typ, "id": m["id"], "@removed": map[string]any{"reason": reason}}
	}
}

// fixLinks rewrites the store's URLs (context, next and delta links,
// entity ids) to the Graph endpoint the client called.
func (f *FrontEnd) fixLinks(doc map[string]any, r *http.Request) {
	for k, v := range doc {
		s, ok := v.(string)
		switch {
		case !ok:
			if m, ok := v.(map[string]any); ok {
				f.fixLinks(m, r)
			}
			if l, ok := v.([]any); ok {
				for _, e := range l {
					if m, ok := e.(map[string]any); ok {
						f.fixLinks(m, r)
					}
				}
			}
		case k == "@odata.nextLink" || k == "@odata.deltaLink":
			doc[k] = f.graphLink(r, s)
		case strings.HasSuffix(k, "@odata.context"):
			doc[k] = graphContext(s)
		case strings.HasSuffix(k, "@odata.nextLink"):
			doc[k] = graphRoot(s)
		case k == "@odata.id" && strings.Contains(s, "://"):
			// Graph's minimal metadata leaves entity ids out.
			delete(doc, k)
		}
	}
}

// graphRoot replaces a store root ("…/api/v2.0") in u with "…/v1.0".
func graphRoot(u string) string {
	for _, v := range []string{"/api/v2.0/", "/api/beta/", "/api/v1.0/"} {
		if i := strings.Index(strings.ToLower(u), v); i >= 0 {
			return u[:i] + "/v1.0/" + u[i+len(v):]
		}
	}
	return u
}

// graphContext rewrites an @odata.context URL: Graph's root, camelCase
// names and type names in the fragment ("#Me/MailFolders('x')/Messages" →
// "#me/mailFolders('x')/messages"); keys stay as they are.
func graphContext(u string) string {
	u = graphRoot(u)
	base, frag, ok := strings.Cut(u, "#")
	if !ok {
		return u
	}
	var parts []string
	start, quoted := 0, false
	for i := 0; i <= len(frag); i++ {
		switch {
		case i == len(frag) || frag[i] == '/' && !quoted:
			parts = append(parts, contextSegment(frag[start:i]))
			start = i + 1
		case frag[i] == '\'':
			quoted = !quoted
		}
	}
	return base + "#" + strings.Join(parts, "/")
}

// contextSegment rewrites one segment of a context fragment.
func contextSegment(p string) string {
	name, rest, _ := strings.Cut(p, "(")
	if rest != "" {
		rest = "(" + rest
	}
	switch {
	case eq(name, "TaskFolders"):
		name = "todo/lists"
	case strings.Contains(strings.ToLower(name), "outlookservices."):
		name = baseVocabulary.typeToGraph(name)
	case eq(name, "Collection"):
		name = "Collection"
		rest = "(" + baseVocabulary.typeToGraph(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")")) + ")"
	case !strings.HasPrefix(name, "$"):
		name = lowerFirst(name)
	}
	return name + rest
}

// pagingOptions are the query options a store link changes.
var pagingOptions = []string{"$skip", "$skiptoken", "$deltatoken"}

// graphLink turns a store next or delta link into one on the Graph URL the
// client called: its path and query options, with the store's paging
// position.
func (f *FrontEnd) graphLink(r *http.Request, storeLink string) string {
	lu, err := url.Parse(storeLink)
	if err != nil {
		return storeLink
	}
	q := url.Values{}
	for k, vs := range r.URL.Query() {
		if !slices.ContainsFunc(pagingOptions, func(p string) bool { return eq(p, k) }) {
			q[k] = vs
		}
	}
	for k, vs := range lu.Query() {
		if slices.ContainsFunc(pagingOptions, func(p string) bool { return eq(p, k) }) {
			q[strings.ToLower(k)] = vs
		}
	}
	return requestBase(r) + r.URL.EscapedPath() + "?" + encodeQuery(q)
}

// restartLink is the request's URL without paging state: where a new delta
// round starts.
func (f *FrontEnd) restartLink(r *http.Request) string {
	q := url.Values{}
	for k, vs := range r.URL.Query() {
		if !slices.ContainsFunc(pagingOptions, func(p string) bool { return eq(p, k) }) {
			q[k] = vs
		}
	}
	link := requestBase(r) + r.URL.EscapedPath()
	if len(q) > 0 {
		link += "?" + encodeQuery(q)
	}
	return link
}

func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// encodeQuery is url.Values.Encode with "$" left readable in names.
func encodeQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, readableEscape(k)+"="+readableEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// readableEscape is url.QueryEscape leaving "$", "," and "'" as they are,
// as the service writes its links.
var readableEscape = func() func(string) string {
	r := strings.NewReplacer("%24", "$", "%2C", ",", "%27", "'")
	return func(s string) string { return r.Replace(url.QueryEscape(s)) }
}()

// serveUser answers GET /me and /users/{id}: the user resource (the
// properties a mailbox knows).
func (f *FrontEnd) serveUser(w http.ResponseWriter, r *http.Request, u User) {
	if r.Method != http.MethodGet {
		f.writeError(w, r, http.StatusMethodNotAllowed, "BadRequest", "The HTTP method '"+r.Method+"' is not supported for this resource.")
		return
	}
	given, sur, _ := strings.Cut(u.DisplayName, " ")
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context":    requestBase(r) + "/v1.0/$metadata#users/$entity",
		"id":                u.ID,
		"displayName":       u.DisplayName,
		"givenName":         nullable(given),
		"surname":           nullable(sur),
		"mail":              u.UPN,
		"userPrincipalName": u.UPN,
		"businessPhones":    []any{},
		"jobTitle":          nil,
		"mobilePhone":       nil,
		"officeLocation":    nil,
		"preferredLanguage": nil,
	})
}
