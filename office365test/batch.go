package office365test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// MaxBatchOperations is the service's limit of operations in one $batch
// request; the fake refuses larger batches with 400.
const MaxBatchOperations = 20

// Batch is the fake of the Outlook $batch endpoint: POST
// {root}/{user_context}/$batch with a multipart/mixed body of
// application/http requests. Each part is dispatched in process through
// the Server's whole handler chain (request log, faults, authorization,
// routing), so a part sees exactly what a direct request would, and
// InjectFault can make one part fail. Parts inherit the batch request's
// headers (Authorization, X-AnchorMailbox, Prefer …) unless they set
// their own. Without Prefer: odata.continue-on-error the batch stops after
// the first part answered with a status of 400 or more, and the response
// has no parts for the operations not executed.
//
//	srv := office365test.NewServer()
//	mb := office365test.NewMailbox(office365test.WithSampleData())
//	mb.Register(srv)
//	office365test.NewBatch(srv).Register(mb)
type Batch struct {
	srv *Server
}

// NewBatch returns the $batch fake for srv. With a nil srv the parts go
// straight to the Mailbox's handler (no request log, faults or
// authorization check).
func NewBatch(srv *Server) *Batch { return &Batch{srv: srv} }

// Register adds POST {root}/{user_context}/$batch to the mailbox fake.
func (b *Batch) Register(m *Mailbox) {
	m.HandleStream(http.MethodPost, "$batch", func(w http.ResponseWriter, rq *MailboxRequest) {
		b.serve(w, rq, m)
	})
}

// batchOp is one operation of a batch request.
type batchOp struct {
	method string
	target string // request target as written (relative or absolute)
	header http.Header
	body   []byte
}

func (b *Batch) serve(w http.ResponseWriter, rq *MailboxRequest, m *Mailbox) {
	r := rq.R
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.EqualFold(mt, "multipart/mixed") || params["boundary"] == "" {
		WriteError(w, http.StatusBadRequest, "ErrorInvalidRequest", "A batch request must be multipart/mixed with a boundary.")
		return
	}
	ops, err := parseBatchRequest(rq.Body, params["boundary"])
	if err != nil {
		WriteError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The batch request is malformed: "+err.Error())
		return
	}
	switch {
	case len(ops) == 0:
		WriteError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The batch request contains no operations.")
		return
	case len(ops) > MaxBatchOperations:
		WriteError(w, http.StatusBadRequest, "ErrorInvalidRequest",
			fmt.Sprintf("The batch request contains %d operations; at most %d are allowed.", len(ops), MaxBatchOperations))
		return
	}
	_, continueOnError := rq.Prefer()["odata.continue-on-error"]

	boundary := "batchresponse_" + uuid.NewString()
	var out bytes.Buffer
	for _, op := range ops {
		rec := b.dispatch(rq, m, op)
		writeBatchPart(&out, boundary, rec)
		if rec.Code >= 400 && !continueOnError {
			break
		}
	}
	out.WriteString("--" + boundary + "--\r\n")
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+boundary)
	w.Header().Set("OData-Version", "4.0")
	if continueOnError {
		w.Header().Set("Preference-Applied", "odata.continue-on-error")
	}
	w.Header().Set("Content-Length", strconv.Itoa(out.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out.Bytes())
}

// parseBatchRequest reads the parts of a multipart batch body. Each part
// is "Content-Type: application/http" with a request line (path relative
// to the host, or an absolute URL), headers, a blank line and the body. A
// part without a body may end right after its headers (the CRLF before the
// boundary ends the header block, as in the reference's examples); the
// CRLF the reference writes after a body is not part of it.
func parseBatchRequest(body []byte, boundary string) ([]batchOp, error) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var ops []batchOp
	for i := 1; ; i++ {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return ops, nil
		}
		if err != nil {
			return nil, fmt.Errorf("part %d: %w", i, err)
		}
		if ct := p.Header.Get("Content-Type"); ct != "" {
			if pmt, _, _ := mime.ParseMediaType(ct); !strings.EqualFold(pmt, "application/http") {
				return nil, fmt.Errorf("part %d has Content-Type %q, not application/http", i, ct)
			}
		}
		if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "" && !strings.EqualFold(cte, "binary") {
			return nil, fmt.Errorf("part %d has Content-Transfer-Encoding %q, not binary", i, cte)
		}
		raw, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("part %d: %w", i, err)
		}
		if !bytes.Contains(raw, []byte("\r\n\r\n")) && !bytes.Contains(raw, []byte("\n\n")) {
			raw = append(raw, "\r\n"...)
		}
		br := bufio.NewReader(bytes.NewReader(raw))
		req, err := http.ReadRequest(br)
		if err != nil {
			return nil, fmt.Errorf("part %d is not an HTTP request: %w", i, err)
		}
		var data []byte
		if req.ContentLength > 0 {
			data, err = io.ReadAll(req.Body)
		} else {
			data, err = io.ReadAll(br)
			data = bytes.TrimSuffix(data, []byte("\r\n"))
		}
		if err != nil {
			return nil, fmt.Errorf("part %d: %w", i, err)
		}
		ops = append(ops, batchOp{method: req.Method, target: req.RequestURI, header: req.Header, body: data})
	}
}

// dispatch runs one operation and records its response.
func (b *Batch) dispatch(rq *MailboxRequest, m *Mailbox, op batchOp) (rec *httptest.ResponseRecorder) {
	rec = httptest.NewRecorder()
	outer := rq.R
	fail := func(status int, code, msg string) *httptest.ResponseRecorder {
		WriteError(rec, status, code, msg)
		return rec
	}
	u, err := url.Parse(op.target)
	if err != nil {
		return fail(http.StatusBadRequest, "ErrorInvalidUrl", "The request URL of the operation is malformed.")
	}
	if u.IsAbs() {
		if !strings.EqualFold(u.Host, outer.Host) {
			return fail(http.StatusBadRequest, "ErrorInvalidRequest", "A batch and its operations must use the same host.")
		}
	} else if !strings.HasPrefix(u.Path, "/") {
		return fail(http.StatusBadRequest, "ErrorInvalidUrl", "The request URL of the operation must be absolute or start with '/'.")
	}
	prefix := "/api/" + rq.Version + "/"
	if !strings.HasPrefix(strings.ToLower(u.Path), prefix) {
		return fail(http.StatusBadRequest, "ErrorInvalidRequest", "A batch and its operations must use the same API version ("+rq.Version+").")
	}
	if strings.HasSuffix(strings.ToLower(u.Path), "/$batch") {
		return fail(http.StatusBadRequest, "ErrorInvalidRequest", "A batch cannot contain a batch.")
	}
	scheme := "http"
	if outer.TLS != nil {
		scheme = "https"
	}
	target := scheme + "://" + outer.Host + u.RequestURI()
	sub, err := http.NewRequestWithContext(outer.Context(), op.method, target, bytes.NewReader(op.body))
	if err != nil {
		return fail(http.StatusBadRequest, "ErrorInvalidRequest", "The operation is not a valid request.")
	}
	// Batch-level headers apply to every operation unless it sets its own;
	// content headers are the operation's own.
	for k, vs := range outer.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Type", "Content-Length", "Content-Transfer-Encoding", "Content-Encoding":
			continue
		}
		sub.Header[k] = slices.Clone(vs)
	}
	for k, vs := range op.header {
		sub.Header[k] = slices.Clone(vs)
	}
	sub.Host, sub.RemoteAddr, sub.TLS = outer.Host, outer.RemoteAddr, outer.TLS
	sub.ContentLength = int64(len(op.body))
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v) // a dropped or stalled operation drops the batch response
			}
			rec = httptest.NewRecorder()
			WriteError(rec, http.StatusInternalServerError, "ErrorInternalServerError", "The operation failed.")
		}
	}()
	if b.srv != nil {
		b.srv.ServeInProcess(rec, sub)
	} else {
		m.Handler().ServeHTTP(rec, sub)
	}
	return rec
}

// writeBatchPart writes one operation's response as a part.
func writeBatchPart(w *bytes.Buffer, boundary string, rec *httptest.ResponseRecorder) {
	w.WriteString("--" + boundary + "\r\n")
	w.WriteString("Content-Type: application/http\r\n")
	w.WriteString("Content-Transfer-Encoding: binary\r\n\r\n")
	w.WriteString("HTTP/1.1 " + strconv.Itoa(rec.Code) + " " + http.StatusText(rec.Code) + "\r\n")
	h := rec.Header()
	keys := make([]string, 0, len(h))
	for k := range h {
		if k == "Content-Length" {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			w.WriteString(k + ": " + v + "\r\n")
		}
	}
	w.WriteString("\r\n")
	w.Write(rec.Body.Bytes())
	w.WriteString("\r\n")
}

// errBatch is returned for a batch response that cannot be parsed.
var errBatch = errors.New("office365test: malformed batch response")

// BatchPartResponse is one operation's response in a batch response.
type BatchPartResponse struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// ParseBatchResponse parses a multipart/mixed batch response (for tests
// that call $batch by hand): contentType is the response's Content-Type.
func ParseBatchResponse(contentType string, body []byte) ([]BatchPartResponse, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.EqualFold(mt, "multipart/mixed") || params["boundary"] == "" {
		return nil, fmt.Errorf("%w: Content-Type %q", errBatch, contentType)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var out []BatchPartResponse
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errBatch, err)
		}
		raw, _ := io.ReadAll(p)
		if !bytes.Contains(raw, []byte("\r\n\r\n")) {
			raw = append(raw, "\r\n"...)
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errBatch, err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out = append(out, BatchPartResponse{StatusCode: resp.StatusCode, Header: resp.Header, Body: data})
	}
}
