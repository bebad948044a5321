package graphmail

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// JSON batching: POST /v1.0/$batch with {"requests":[{id, method, url,
// headers, body, dependsOn}]} answers {"responses":[{id, status, headers,
// body}]}. Each item runs through Options.Dispatch — the server's request
// log, faults, authorization and routing — as if sent alone; an item whose
// dependency failed answers 424 without running.

// maxBatchRequests is the most requests one batch may hold.
const maxBatchRequests = 20

type batchItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

func (f *FrontEnd) serveBatch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.writeError(w, r, http.StatusMethodNotAllowed, "BadRequest", "The HTTP method '"+r.Method+"' is not supported for $batch.")
		return
	}
	var in struct {
		Requests []batchItem `json:"requests"`
	}
	if err := json.Unmarshal(readBody(r), &in); err != nil {
		f.writeError(w, r, http.StatusBadRequest, "BadRequest", "Invalid batch payload format: "+err.Error())
		return
	}
	if msg := checkBatch(in.Requests); msg != "" {
		f.writeError(w, r, http.StatusBadRequest, "BadRequest", msg)
		return
	}
	results := map[string]map[string]any{}
	var order []string
	for len(order) < len(in.Requests) {
		progressed := false
		for _, it := range in.Requests {
			key := strings.ToLower(it.ID)
			if results[key] != nil || slices.ContainsFunc(it.DependsOn, func(d string) bool { return results[strings.ToLower(d)] == nil }) {
				continue // done, or waiting for a dependency
			}
			failed := ""
			for _, d := range it.DependsOn {
				if st, _ := results[strings.ToLower(d)]["status"].(int); st >= 400 {
					failed = d
				}
			}
			if failed != "" {
				results[key] = map[string]any{"id": it.ID, "status": http.StatusFailedDependency,
					"body": f.errorBody(r, "FailedDependency", "The request depends on request '"+failed+"', which failed.")}
			} else {
				results[key] = f.runBatchItem(r, it)
			}
			order = append(order, key)
			progressed = true
		}
		if !progressed {
			f.writeError(w, r, http.StatusBadRequest, "BadRequest", "The dependsOn of the batch's requests form a cycle.")
			return
		}
	}
	out := make([]any, 0, len(in.Requests))
	for _, it := range in.Requests {
		out = append(out, results[strings.ToLower(it.ID)])
	}
	writeJSON(w, http.StatusOK, map[string]any{"responses": out})
}

// checkBatch validates a batch's shape ("" when it is valid).
func checkBatch(items []batchItem) string {
	if len(items) == 0 {
		return "The batch holds no requests."
	}
	if len(items) > maxBatchRequests {
		return "The number of batch requests " + strconv.Itoa(len(items)) + " exceeds the limit of " + strconv.Itoa(maxBatchRequests) + "."
	}
	ids := map[string]bool{}
	for _, it := range items {
		switch {
		case it.ID == "":
			return "Every batch request needs an id."
		case ids[strings.ToLower(it.ID)]:
			return "The batch request id '" + it.ID + "' is not unique."
		case it.Method == "" || it.URL == "":
			return "Batch request '" + it.ID + "' needs a method and a url."
		case len(it.Body) > 0 && string(it.Body) != "null" && headerValue(it.Headers, "Content-Type") == "":
			return "Batch request '" + it.ID + "' has a body but no Content-Type header."
		}
		ids[strings.ToLower(it.ID)] = true
	}
	for _, it := range items {
		for _, d := range it.DependsOn {
			if !ids[strings.ToLower(d)] || strings.EqualFold(d, it.ID) {
				return "Batch request '" + it.ID + "' depends on '" + d + "', which is not another request of the batch."
			}
		}
	}
	return ""
}

func headerValue(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// runBatchItem runs one request of a batch.
func (f *FrontEnd) runBatchItem(outer *http.Request, it batchItem) map[string]any {
	res := map[string]any{"id": it.ID}
	fail := func(status int, code, msg string) map[string]any {
		res["status"] = status
		res["body"] = f.errorBody(outer, code, msg)
		return res
	}
	target := it.URL
	if u, err := url.Parse(target); err == nil && u.IsAbs() {
		i := strings.Index(strings.ToLower(u.Path), "/v1.0/")
		if i < 0 {
			return fail(http.StatusBadRequest, "BadRequest", "The url of a batch request must be relative to the version root.")
		}
		target = u.Path[i+len("/v1.0"):]
		if u.RawQuery != "" {
			target += "?" + u.RawQuery
		}
	}
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	if p, _, _ := strings.Cut(strings.ToLower(target), "?"); strings.HasSuffix(p, "/$batch") {
		return fail(http.StatusBadRequest, "BadRequest", "A batch cannot contain a batch.")
	}
	var body []byte
	ct := headerValue(it.Headers, "Content-Type")
	if len(it.Body) > 0 && string(it.Body) != "null" {
		body = it.Body
		var s string
		if !strings.Contains(strings.ToLower(ct), "json") && json.Unmarshal(it.Body, &s) == nil {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				b, err = base64.URLEncoding.DecodeString(s)
			}
			if err != nil {
				return fail(http.StatusBadRequest, "BadRequest", "The body of a non-JSON batch request must be base64-encoded.")
			}
			body = b
		}
	}
	req := httptest.NewRequestWithContext(outer.Context(), strings.ToUpper(it.Method), requestBase(outer)+"/v1.0"+target, bytes.NewReader(body))
	req.Host = outer.Host
	req.RemoteAddr = outer.RemoteAddr
	req.TLS = outer.TLS
	req.Header = http.Header{}
	for _, k := range []string{"Authorization", "client-request-id"} {
		if v := outer.Header.Get(k); v != "" {
			req.Header.Set(k, v)
		}
	}
	for k, v := range it.Headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.opts.Dispatch.ServeHTTP(rec, req)
	res["status"] = rec.Code
	headers := map[string]string{}
	for k, vs := range rec.Header() {
		if strings.EqualFold(k, "Content-Length") {
			continue
		}
		headers[k] = strings.Join(vs, ", ")
	}
	if len(headers) > 0 {
		res["headers"] = headers
	}
	if b := rec.Body.Bytes(); len(bytes.TrimSpace(b)) > 0 {
		if strings.Contains(strings.ToLower(rec.Header().Get("Content-Type")), "json") && json.Valid(b) {
			res["body"] = json.RawMessage(bytes.TrimSpace(b))
		} else {
			res["body"] = base64.StdEncoding.EncodeToString(b)
		}
	}
	return res
}
