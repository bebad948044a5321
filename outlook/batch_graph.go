package outlook

// The Graph backend of Batch: JSON batching (POST {root}/$batch with
// {"requests": […]}, answered by {"responses": […]} in any order). The
// recorded parts are the same as for the v2.0 multipart batch; only their
// encoding and the decoding of the answers differ.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/office365-go/office365"
)

// graphBatchRequest is one request of a Graph JSON batch.
type graphBatchRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
	DependsOn []string          `json:"dependsOn,omitempty"`
}

// graphBatchResponse is one response of a Graph JSON batch.
type graphBatchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// encodeGraphBatch writes the JSON batch of parts. Request ids are the
// parts' positions ("1", "2" …); urls are relative to the version root
// (rootPath, e.g. "/v1.0", is cut from each part's path). With sequential,
// every request depends on the one before it, so the service runs them in
// order and answers 424 Failed Dependency for those after a failure.
func encodeGraphBatch(parts []*batchPartRequest, rootPath string, sequential bool) ([]byte, error) {
	reqs := make([]graphBatchRequest, len(parts))
	for i, p := range parts {
		u := p.requestURI
		if rootPath != "" && rootPath != "/" {
			rest, ok := strings.CutPrefix(u, rootPath)
			if !ok {
				return nil, fmt.Errorf("outlook: batch part %s is not under the service root %s", u, rootPath)
			}
			u = rest
		}
		r := graphBatchRequest{ID: strconv.Itoa(i + 1), Method: p.method, URL: u}
		if sequential && i > 0 {
			r.DependsOn = []string{strconv.Itoa(i)}
		}
		if len(p.header) > 0 {
			r.Headers = make(map[string]string, len(p.header))
			for k, vs := range p.header {
				r.Headers[k] = strings.Join(vs, ", ")
			}
		}
		if len(p.body) > 0 {
			if isJSONType(p.header.Get("Content-Type")) && json.Valid(p.body) {
				r.Body = p.body
			} else {
				// Binary bodies (a photo) travel base64-encoded.
				b, _ := json.Marshal(base64.StdEncoding.EncodeToString(p.body))
				r.Body = b
			}
			if r.Headers == nil || p.header.Get("Content-Type") == "" {
				return nil, fmt.Errorf("outlook: batch part %s %s has a body but no Content-Type", p.method, u)
			}
		}
		reqs[i] = r
	}
	return json.Marshal(struct {
		Requests []graphBatchRequest `json:"requests"`
	}{reqs})
}

// decodeGraphBatch parses a JSON batch response for n requests and returns
// the responses in request order. A request without a response, or one
// the service did not run because a request it depended on failed (424),
// has a nil entry.
func decodeGraphBatch(contentType string, body []byte, n int) ([]*batchPartResponse, error) {
	var env struct {
		Responses []graphBatchResponse `json:"responses"`
	}
	if mt, _, _ := mime.ParseMediaType(contentType); !isJSONType(mt) || json.Unmarshal(body, &env) != nil || env.Responses == nil {
		return nil, &office365.Error{StatusCode: http.StatusOK, ContentType: contentType,
			Message: "batch response is not a JSON batch ({\"responses\": […]})", Excerpt: excerptOf(body)}
	}
	out := make([]*batchPartResponse, n)
	for _, r := range env.Responses {
		i, err := strconv.Atoi(r.ID)
		if err != nil || i < 1 || i > n {
			return nil, fmt.Errorf("outlook: batch response for unknown request id %q", r.ID)
		}
		if out[i-1] != nil {
			return nil, fmt.Errorf("outlook: two batch responses for request id %q", r.ID)
		}
		if r.Status == http.StatusFailedDependency {
			continue // not executed: reported as skipped
		}
		h := http.Header{}
		for k, v := range r.Headers {
			h.Set(k, v)
		}
		data := []byte(r.Body)
		switch {
		case len(data) == 0 || string(data) == "null":
			data = nil
		case data[0] == '"' && !isJSONType(h.Get("Content-Type")):
			// A binary body, base64-encoded; text that is not base64 is
			// passed on as it is.
			var s string
			if err := json.Unmarshal(data, &s); err == nil {
				if dec, err := base64.StdEncoding.DecodeString(s); err == nil {
					data = dec
				} else {
					data = []byte(s)
				}
			}
		}
		if data != nil && h.Get("Content-Type") == "" && json.Valid(data) && (data[0] == '{' || data[0] == '[') {
			h.Set("Content-Type", "application/json")
		}
		out[i-1] = &batchPartResponse{StatusCode: r.Status, Status: strconv.Itoa(r.Status) + " " + http.StatusText(r.Status),
			Header: h, Body: data}
	}
	return out, nil
}

// rootPath returns the path of a service root URL ("/v1.0").
func rootPath(root string) string {
	u, err := url.Parse(root)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.EscapedPath(), "/")
}

// isJSONType reports whether a media type is JSON (application/json,
// possibly with parameters, or a +json type).
func isJSONType(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}
