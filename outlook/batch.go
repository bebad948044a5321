package outlook

// Batching ($batch): several typed calls in one multipart/mixed request.
//
// A batched call is an ordinary typed call (mb.Mail().Messages().Get …)
// made on a recording Mailbox that Batch.Send hands to it. The call builds
// its request exactly as it would alone (path, query, Prefer, body); the
// recording mailbox's pipeline does not send it but turns it into a part of
// the batch, waits for the batch response, and gives the call that part's
// response, which the call then decodes as usual (typed value, or
// *office365.Error for a failed part). So every typed call of the package
// can be batched and no request is written twice.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/transport"
)

// MaxBatchParts is the service's limit of operations in one $batch request.
// Batch.Send splits larger batches into consecutive requests of at most
// MaxBatchParts parts.
const MaxBatchParts = 20

// maxBatchIDLen caps BatchOptions.ID (a boundary is at most 70 characters).
const maxBatchIDLen = 64

var (
	// ErrBatchNotSent is the result of a batched call before Send returned.
	ErrBatchNotSent = errors.New("outlook: the batch has not been sent")
	// ErrBatchPartSkipped is the result of a batched call the service did
	// not execute because an earlier part failed (BatchOptions.StopOnError).
	ErrBatchPartSkipped = errors.New("outlook: batch part not executed: an earlier part failed")
	// ErrBatchNoRequest is the result of a batched call that returned
	// without an error but sent no request through the mailbox it was
	// given (for example because it used another Mailbox or context).
	ErrBatchNoRequest = errors.New("outlook: the batched call sent no request through the batch mailbox and context")
)

// BatchOptions configure a Batch. The zero value (or nil) is the default.
type BatchOptions struct {
	// StopOnError lets the service stop at the first failing part (its
	// default). By default the batch is sent with Prefer:
	// odata.continue-on-error so every part runs. On Graph, StopOnError
	// chains the requests with dependsOn, so they run in queue order and
	// those after a failure are not run (424 Failed Dependency); by default
	// they are independent and may run in any order. With StopOnError the parts
	// the service skipped report ErrBatchPartSkipped, and when a batch of
	// more than MaxBatchParts calls is split, the requests after a failing
	// part are not sent.
	StopOnError bool
	// ID is the batch id of the multipart boundary "batch_{ID}" (letters,
	// digits, '-', '_', '.'; at most 64 characters). Default: a random
	// UUID. A split batch uses "{ID}-2", "{ID}-3" … for the later requests.
	ID string
}

// Batch collects typed calls on one mailbox and sends them as $batch
// requests: POST {root}/{user_context}/$batch (multipart/mixed), or on
// Graph POST {root}/$batch with a JSON batch ({"requests": […]}, the
// answers matched by id whatever their order). Queue calls with BatchCall
// or Batch.Call, then Send once. A Batch is safe for concurrent use; it can
// be sent only once.
//
// Operations in one batch may run in any order on the service: do not put
// dependent calls (create, then update what was created) in one batch.
type Batch struct {
	mb   *Mailbox
	opts BatchOptions

	mu      sync.Mutex
	entries []batchEntry
	sent    bool
}

// NewBatch returns an empty batch of calls on the mailbox (a batch is per
// user context: {root}/me/$batch or {root}/users/{upn}/$batch).
func (mb *Mailbox) NewBatch(opts *BatchOptions) *Batch {
	b := &Batch{mb: mb}
	if opts != nil {
		b.opts = *opts
	}
	return b
}

// NewBatch returns an empty batch on the mailbox (see Mailbox.NewBatch).
func (c *Client) NewBatch(mb *Mailbox, opts *BatchOptions) *Batch {
	if mb == nil {
		mb = c.Me()
	}
	return mb.NewBatch(opts)
}

// BatchResult is the outcome of one batched call, available once
// Batch.Send has returned.
type BatchResult[T any] struct {
	mu     sync.Mutex
	done   bool
	value  T
	err    error
	status int
	header http.Header
}

// Result returns the call's value and error: the typed result, an
// *office365.Error when the part failed, ErrBatchPartSkipped, the batch
// request's own error, or ErrBatchNotSent before Send returned.
func (r *BatchResult[T]) Result() (T, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.done {
		var zero T
		return zero, ErrBatchNotSent
	}
	return r.value, r.err
}

// Err returns the error of Result.
func (r *BatchResult[T]) Err() error {
	_, err := r.Result()
	return err
}

// StatusCode returns the HTTP status of the call's part (0 if the part got
// no response).
func (r *BatchResult[T]) StatusCode() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Header returns the headers of the call's part response (nil if the part
// got no response).
func (r *BatchResult[T]) Header() http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.header
}

func (r *BatchResult[T]) set(v T, err error, status int, h http.Header) {
	r.mu.Lock()
	r.value, r.err, r.status, r.header, r.done = v, err, status, h, true
	r.mu.Unlock()
}

// batchEntry is one queued call: run makes it on the recording mailbox;
// fail sets its result without running it.
type batchEntry struct {
	run  func(ctx context.Context, mb *Mailbox, s *batchSlot)
	fail func(err error)
}

// BatchCall queues a typed call that returns a value. fn must make its call
// on the mailbox and with the context it is given, and send exactly one
// request:
//
//	b := mb.NewBatch(nil)
//	msg := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
//		return mb.Mail().Messages().Get(ctx, id, nil)
//	})
//	if err := b.Send(ctx); err != nil { … }
//	m, err := msg.Result()
//
// fn runs during Send, concurrently with the other calls.
func BatchCall[T any](b *Batch, fn func(ctx context.Context, mb *Mailbox) (T, error)) *BatchResult[T] {
	r := &BatchResult[T]{}
	if fn == nil {
		var zero T
		r.set(zero, errors.New("outlook: BatchCall: nil function"), 0, nil)
		return r
	}
	b.add(batchEntry{
		run: func(ctx context.Context, mb *Mailbox, s *batchSlot) {
			v, err := fn(ctx, mb)
			status, h, used := s.outcome()
			if err == nil && !used {
				err = ErrBatchNoRequest
			}
			r.set(v, err, status, h)
		},
		fail: func(err error) {
			var zero T
			r.set(zero, err, 0, nil)
		},
	})
	return r
}

// Call queues a typed call that returns only an error (Delete, Send, …);
// see BatchCall.
func (b *Batch) Call(fn func(ctx context.Context, mb *Mailbox) error) *BatchResult[struct{}] {
	if fn == nil {
		return BatchCall[struct{}](b, nil)
	}
	return BatchCall(b, func(ctx context.Context, mb *Mailbox) (struct{}, error) {
		return struct{}{}, fn(ctx, mb)
	})
}

// FirstPage returns the first page of a paged listing, for batching a
// collection read (one page is one request):
//
//	page := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Page[outlook.Event], error) {
//		return outlook.FirstPage(mb.Calendar().Events().ListPages(ctx, &outlook.ListOptions{Select: []string{"Subject"}}))
//	})
func FirstPage[T any](pages iter.Seq2[*Page[T], error]) (*Page[T], error) {
	for p, err := range pages {
		return p, err
	}
	return nil, errors.New("outlook: the listing returned no page")
}

func (b *Batch) add(e batchEntry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sent {
		e.fail(errors.New("outlook: the batch was already sent"))
		return
	}
	b.entries = append(b.entries, e)
}

// Len returns the number of queued calls.
func (b *Batch) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.entries)
}

// Send runs the queued calls and sends their requests as $batch requests of
// at most MaxBatchParts parts each (consecutively, in queue order); every
// BatchResult is set when Send returns. Send returns an error only when a
// batch request itself failed (it was refused, the response was not a
// valid multipart batch response, or ctx ended); the calls of that request
// and of the requests not sent after it report that error too. Failed
// parts are reported by their own BatchResult, as *office365.Error.
//
// The batch POST is retried like any POST only when every part is a GET
// (then it is idempotent); otherwise it is never re-sent once the service
// may have received it.
func (b *Batch) Send(ctx context.Context) error {
	b.mu.Lock()
	if b.sent {
		b.mu.Unlock()
		return errors.New("outlook: the batch was already sent")
	}
	b.sent = true
	entries := b.entries
	b.entries = nil
	b.mu.Unlock()

	rec, err := b.recorder()
	if err != nil {
		for _, e := range entries {
			e.fail(err)
		}
		return err
	}

	// Run every call; each either registers one request (and blocks until
	// its response is delivered) or finishes without one.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	slots := make([]*batchSlot, len(entries))
	var wg sync.WaitGroup
	for i, e := range entries {
		s := newBatchSlot()
		slots[i] = s
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(s.finished)
			e.run(context.WithValue(ctx, batchSlotKey{}, s), rec.mb, s)
		}()
	}
	var parts []*batchSlot
	for _, s := range slots {
		select {
		case <-s.registered:
			parts = append(parts, s)
		case <-s.finished:
		}
	}

	sendErr := b.sendParts(ctx, parts)
	wg.Wait()
	return sendErr
}

// recorder validates the batch and returns its recording mailbox.
func (b *Batch) recorder() (*batchRecorder, error) {
	if err := b.validate(); err != nil {
		return nil, err
	}
	return newBatchRecorder(b.mb)
}

func (b *Batch) validate() error {
	if b.mb == nil || b.mb.c == nil {
		return errors.New("outlook: batch without a mailbox")
	}
	if b.mb.err != nil {
		return b.mb.err
	}
	if id := b.opts.ID; id != "" {
		if len(id) > maxBatchIDLen {
			return fmt.Errorf("outlook: BatchOptions.ID is longer than %d characters", maxBatchIDLen)
		}
		for _, c := range id {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return fmt.Errorf("outlook: BatchOptions.ID %q: only letters, digits, '-', '_' and '.' are allowed", id)
			}
		}
	}
	return nil
}

// sendParts sends the registered parts in chunks and delivers every part's
// outcome.
func (b *Batch) sendParts(ctx context.Context, parts []*batchSlot) error {
	id := b.opts.ID
	if id == "" {
		id = uuid.NewString()
	}
	var firstErr error
	stopped := false
	for n, chunk := 0, 0; n < len(parts); chunk++ {
		end := min(n+MaxBatchParts, len(parts))
		group := parts[n:end]
		n = end
		if firstErr != nil || stopped {
			err := firstErr
			if err == nil {
				err = ErrBatchPartSkipped
			}
			for _, s := range group {
				s.deliver(nil, err)
			}
			continue
		}
		chunkID := id
		if chunk > 0 {
			chunkID = fmt.Sprintf("%s-%d", id, chunk+1)
		}
		failed, err := b.sendChunk(ctx, "batch_"+chunkID, group)
		if err != nil {
			firstErr = err
		}
		if failed && b.opts.StopOnError {
			stopped = true
		}
	}
	return firstErr
}

// sendChunk sends one $batch request. failed reports whether a part
// failed.
func (b *Batch) sendChunk(ctx context.Context, boundary string, group []*batchSlot) (failed bool, err error) {
	reqs := make([]*batchPartRequest, len(group))
	allGET := true
	for i, s := range group {
		reqs[i] = s.req
		allGET = allGET && s.req.method == http.MethodGet
	}
	var c *call
	if b.mb.c.graph {
		body, err := encodeGraphBatch(reqs, rootPath(b.mb.c.root), b.opts.StopOnError)
		if err != nil {
			for _, s := range group {
				s.deliver(nil, err)
			}
			return true, err
		}
		c = &call{method: http.MethodPost, rel: "$batch", rooted: true, body: bytes.NewReader(body),
			ctype: "application/json", idempotent: allGET, kind: kindWrite}
	} else {
		body := encodeBatchRequest(boundary, reqs)
		c = &call{method: http.MethodPost, rel: "$batch", body: bytes.NewReader(body),
			ctype: "multipart/mixed; boundary=" + boundary, idempotent: allGET, kind: kindWrite}
		if !b.opts.StopOnError {
			c.extra = []string{"odata.continue-on-error"}
		}
	}
	resps, outer, err := b.roundTrip(ctx, c, len(group))
	if err != nil {
		// The error already names the request (POST …/$batch) once.
		for _, s := range group {
			s.deliver(nil, err)
		}
		return true, err
	}
	if len(resps) > len(group) {
		err := fmt.Errorf("outlook: $batch: %d responses for %d requests", len(resps), len(group))
		for _, s := range group {
			s.deliver(nil, err)
		}
		return true, err
	}
	for i, s := range group {
		if i >= len(resps) || resps[i] == nil {
			s.deliver(nil, ErrBatchPartSkipped)
			failed = true
			continue
		}
		if resps[i].StatusCode >= 400 {
			failed = true
		}
		// A part without its own ids carries the batch's, so that errors
		// name a request the service knows.
		for _, k := range []string{"request-id", "client-request-id"} {
			if resps[i].Header.Get(k) == "" && outer.Get(k) != "" {
				resps[i].Header.Set(k, outer.Get(k))
			}
		}
		s.deliver(resps[i], nil)
	}
	return failed, nil
}

// roundTrip sends the batch POST through the mailbox and decodes the
// response (multipart, or Graph's JSON batch of n responses); it also
// returns the batch response's headers.
func (b *Batch) roundTrip(ctx context.Context, c *call, n int) ([]*batchPartResponse, http.Header, error) {
	resp, err := b.mb.do(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := b.mb.c.p.ReadBody(ctx, resp)
	if err != nil {
		return nil, nil, err
	}
	var parts []*batchPartResponse
	if b.mb.c.graph {
		parts, err = decodeGraphBatch(resp.Header.Get("Content-Type"), data, n)
	} else {
		parts, err = decodeBatchResponse(resp.Header.Get("Content-Type"), data)
	}
	if err != nil {
		if oe, ok := err.(*office365.Error); ok {
			oe.Excerpt = transport.ResponseExcerpt(resp, data) // scrubbed of the token the batch carried
			oe.MaybeProcessed = !c.idempotent                  // the service answered 2xx: the parts may have run
			oe.RequestID, oe.ClientRequestID = resp.Header.Get("request-id"), resp.Header.Get("client-request-id")
			oe.Method = http.MethodPost
			if resp.Request != nil { // a custom RoundTripper may leave it unset
				oe.URL = transport.RedactURL(resp.Request.URL.String())
			}
		}
		return nil, nil, err
	}
	if resp.Request != nil {
		for _, pr := range parts {
			if pr != nil {
				pr.authorization = resp.Request.Header.Get("Authorization")
			}
		}
	}
	return parts, resp.Header, nil
}

// batchPartRequest is one operation of a batch request.
type batchPartRequest struct {
	method     string
	requestURI string // path and query relative to the host, as sent
	header     http.Header
	body       []byte
}

// batchPartResponse is one operation's response.
type batchPartResponse struct {
	StatusCode int
	Status     string
	Header     http.Header
	Body       []byte
	// authorization is the Authorization header the batch was sent with.
	// It is set on the part's response request (never sent anywhere) so
	// that the pipeline scrubs that token from the part's errors, as it
	// does for a request of its own.
	authorization string
}

// partHeaderSkip lists the headers of a recorded call that are not copied
// into its part: batch-level headers (authorization, routing, client
// identification) that the service applies to every part.
var partHeaderSkip = map[string]bool{
	"Authorization": true, "User-Agent": true, "Accept": true, "Accept-Encoding": true,
	"Client-Request-Id": true, "Return-Client-Request-Id": true, "Retry-Attempt": true,
	"X-Anchormailbox": true, "Content-Length": true, "Host": true, "Connection": true,
}

// encodeBatchRequest writes the multipart/mixed body in the reference's
// format (Outlook REST "Batch" documentation):
//
//	--batch_{id}
//	Content-Type: application/http
//	Content-Transfer-Encoding: binary
//
//	GET /api/v2.0/me/messages?$select=Subject HTTP/1.1
//
//	--batch_{id}
//	Content-Type: application/http
//	Content-Transfer-Encoding: binary
//
//	POST /api/v2.0/me/sendmail HTTP/1.1
//	Content-Type: application/json
//
//	{"Message":…}
//
//	--batch_{id}--
//
// Lines end in CRLF. Each part is a request line with the path relative to
// the host, the part's own headers (sorted), and for a request with a body a
// blank line, the body and a CRLF. The part headers are written in this
// order (Content-Type before Content-Transfer-Encoding) by hand because
// mime/multipart sorts them the other way.
func encodeBatchRequest(boundary string, parts []*batchPartRequest) []byte {
	var w bytes.Buffer
	for _, p := range parts {
		w.WriteString("--" + boundary + "\r\n")
		w.WriteString("Content-Type: application/http\r\n")
		w.WriteString("Content-Transfer-Encoding: binary\r\n\r\n")
		w.WriteString(p.method + " " + p.requestURI + " HTTP/1.1\r\n")
		keys := make([]string, 0, len(p.header))
		for k := range p.header {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range p.header[k] {
				w.WriteString(k + ": " + v + "\r\n")
			}
		}
		if len(p.body) > 0 {
			w.WriteString("\r\n")
			w.Write(p.body)
			w.WriteString("\r\n")
		}
		w.WriteString("\r\n")
	}
	w.WriteString("--" + boundary + "--\r\n")
	return w.Bytes()
}

// decodeBatchResponse parses a multipart/mixed batch response: each part is
// an application/http response ("HTTP/1.1 200 OK", headers, blank line,
// body).
func decodeBatchResponse(contentType string, body []byte) ([]*batchPartResponse, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.EqualFold(mt, "multipart/mixed") || params["boundary"] == "" {
		return nil, &office365.Error{StatusCode: http.StatusOK, ContentType: contentType,
			Message: "batch response is not multipart/mixed with a boundary",
			Excerpt: transport.ResponseExcerpt(nil, body)}
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var out []*batchPartResponse
	for i := 0; ; i++ {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("outlook: batch response part %d: %w", i+1, err)
		}
		if ct := p.Header.Get("Content-Type"); ct != "" {
			if pmt, _, _ := mime.ParseMediaType(ct); !strings.EqualFold(pmt, "application/http") {
				return nil, fmt.Errorf("outlook: batch response part %d has Content-Type %q, not application/http", i+1, ct)
			}
		}
		raw, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("outlook: batch response part %d: %w", i+1, err)
		}
		r, err := parsePartResponse(raw)
		if err != nil {
			return nil, fmt.Errorf("outlook: batch response part %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func parsePartResponse(raw []byte) (*batchPartResponse, error) {
	if !bytes.Contains(raw, []byte("\r\n\r\n")) && !bytes.Contains(raw, []byte("\n\n")) {
		// A part without a body may end right after its headers: the
		// CRLF before the boundary ends the header block.
		raw = append(raw, "\r\n"...)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return nil, fmt.Errorf("invalid HTTP response: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	return &batchPartResponse{StatusCode: resp.StatusCode, Status: resp.Status, Header: resp.Header, Body: data}, nil
}

func excerptOf(b []byte) string {
	const n = 300
	s := strings.ToValidUTF8(string(b[:min(len(b), n)]), "\uFFFD")
	if len(b) > n {
		s += "…"
	}
	return s
}

// batchSlotKey is the context key of a call's slot.
type batchSlotKey struct{}

// batchSlot connects one batched call with the batch: the recorder fills
// req and closes registered; Send delivers the response.
type batchSlot struct {
	registered chan struct{}
	finished   chan struct{}
	resp       chan batchDelivery

	mu     sync.Mutex
	req    *batchPartRequest
	used   bool
	status int
	header http.Header
}

type batchDelivery struct {
	resp *batchPartResponse
	err  error
}

func newBatchSlot() *batchSlot {
	return &batchSlot{registered: make(chan struct{}), finished: make(chan struct{}), resp: make(chan batchDelivery, 1)}
}

func (s *batchSlot) deliver(r *batchPartResponse, err error) {
	s.mu.Lock()
	if r != nil {
		s.status, s.header = r.StatusCode, r.Header
	}
	s.mu.Unlock()
	s.resp <- batchDelivery{resp: r, err: err}
}

// outcome returns the part's status and headers and whether a request was
// recorded.
func (s *batchSlot) outcome() (int, http.Header, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status, s.header, s.used
}

// batchRecorder is the recording side: a copy of the mailbox whose client
// sends through recorderTransport, with no retries (a part is answered
// once), no token (the batch request carries it) and no concurrency limit
// (the batch request takes one slot).
type batchRecorder struct {
	mb   *Mailbox
	root string
}

func newBatchRecorder(mb *Mailbox) (*batchRecorder, error) {
	rec := &batchRecorder{root: mb.c.root}
	cfg, err := office365.NewConfig(
		office365.WithHTTPClient(&http.Client{Transport: recorderTransport{rec: rec}}),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1}),
		office365.WithLogger(mb.c.p.Logger()),
	)
	if err != nil {
		return nil, err
	}
	p, err := transport.New(cfg, mb.c.root, nil)
	if err != nil {
		return nil, err
	}
	c := *mb.c
	c.p, c.limiter = p, nil
	m := *mb
	m.c = &c
	rec.mb = &m
	return rec, nil
}

// recorderTransport turns the recorded call's request into its batch part
// and answers it with the part's response.
type recorderTransport struct{ rec *batchRecorder }

// RoundTrip registers req as its call's part and waits for the part's
// response.
func (t recorderTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	s, _ := req.Context().Value(batchSlotKey{}).(*batchSlot)
	if s == nil {
		return nil, errors.New("outlook: batch mailbox used outside its batched call (use the context and mailbox passed to the call)")
	}
	s.mu.Lock()
	if s.used {
		s.mu.Unlock()
		return nil, errors.New("outlook: a batched call may send only one request")
	}
	s.used = true
	s.mu.Unlock()

	// Errors before registration finish the call without a part.
	u := req.URL.String()
	if !strings.HasPrefix(strings.ToLower(u), strings.ToLower(t.rec.root)+"/") {
		return nil, fmt.Errorf("outlook: %s cannot be batched: a batch and its calls must use the same host and API version (%s)", transport.RedactURL(u), t.rec.root)
	}
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		body = b
	}
	h := http.Header{}
	for k, vs := range req.Header {
		if !partHeaderSkip[http.CanonicalHeaderKey(k)] {
			h[http.CanonicalHeaderKey(k)] = vs
		}
	}
	// A call's own Accept (a raw download's image/*) goes with its part;
	// the pipeline's default application/json is the batch's.
	if a := req.Header.Get("Accept"); a != "" && a != "application/json" {
		h.Set("Accept", a)
	}
	if len(body) == 0 {
		h.Del("Content-Type")
	}
	s.mu.Lock()
	s.req = &batchPartRequest{method: req.Method, requestURI: req.URL.RequestURI(), header: h, body: body}
	s.mu.Unlock()
	close(s.registered)

	select {
	case d := <-s.resp:
		if d.err != nil {
			return nil, d.err
		}
		r := d.resp
		if r.authorization != "" {
			req = req.Clone(req.Context())
			req.Header.Set("Authorization", r.authorization)
		}
		return &http.Response{
			Status: r.Status, StatusCode: r.StatusCode, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body)), ContentLength: int64(len(r.Body)),
			Request: req,
		}, nil
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}
