package outlook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/transport"
)

// Graph takes file attachments under 3 MB in one POST; larger ones (up to
// 150 MB) go through an upload session: POST …/attachments/createUploadSession,
// then ranged PUTs of the bytes to the session's pre-authenticated
// uploadUrl ("Attach large files to Outlook messages or events").
const (
	// graphUploadThreshold is the size from which a file attachment is
	// uploaded through a session on Graph (the service refuses sessions
	// for smaller files with ErrorAttachmentSizeShouldNotBeLessThanMinimumSize).
	graphUploadThreshold = 3 << 20
	// uploadChunk is the size of one ranged PUT: a multiple of 320 KiB, as
	// Graph's upload sessions ask, under its 4 MB per-request guidance.
	uploadChunk = 12 * 320 << 10
	// maxUploadSize is the largest file attachment Graph takes (150 MB).
	maxUploadSize = 150 << 20
	// uploadStatusRetries bounds how often one upload re-synchronises with
	// the session's nextExpectedRanges after the service refused a range,
	// and how many ranges in a row may leave it where it was.
	uploadStatusRetries = 3
)

// attachmentItem is Graph's attachmentItem: the file an upload session
// creates.
type attachmentItem struct {
	AttachmentType string `json:"attachmentType"`
	Name           string `json:"name"`
	Size           int64  `json:"size"`
	ContentType    string `json:"contentType,omitempty"`
	IsInline       bool   `json:"isInline,omitempty"`
	ContentID      string `json:"contentId,omitempty"`
}

// uploadSessionState is Graph's uploadSession (create and PUT answers).
type uploadSessionState struct {
	UploadURL          string    `json:"uploadUrl"`
	ExpirationDateTime time.Time `json:"expirationDateTime"`
	NextExpectedRanges []string  `json:"nextExpectedRanges"`
}

// next returns the first byte the session expects: the start of its first
// range ("2097152", "0-", "0-26").
func (st *uploadSessionState) next() (int64, error) {
	if len(st.NextExpectedRanges) == 0 {
		return 0, errors.New("outlook: upload session answer has no nextExpectedRanges")
	}
	start, _, _ := strings.Cut(st.NextExpectedRanges[0], "-")
	n, err := strconv.ParseInt(strings.TrimSpace(start), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("outlook: upload session answer has an invalid range %q", st.NextExpectedRanges[0])
	}
	return n, nil
}

// uploadSelect trims the attachment read back after an upload to its
// metadata, as AddFile's POST does (To Do's taskFileAttachment has no
// IsInline).
const (
	uploadSelect     = "$select=Id,Name,ContentType,Size,IsInline,LastModifiedDateTime"
	todoUploadSelect = "$select=Id,Name,ContentType,Size,LastModifiedDateTime"
)

// todoAttachmentInfo is To Do's attachmentInfo: the file a task's upload
// session creates.
type todoAttachmentInfo struct {
	AttachmentType string `json:"attachmentType"`
	Name           string `json:"name"`
	Size           int64  `json:"size"`
	ContentType    string `json:"contentType,omitempty"`
}

// uploadFile attaches size bytes of content to the item at p (its
// attachments path) through a Graph upload session and returns the new
// attachment's metadata. A message's or event's session takes an
// AttachmentItem and its upload URL is pre-authenticated (PUTs carry no
// Authorization); a To Do task's takes an attachmentInfo, its upload URL
// is on Graph and takes the content at {uploadUrl}/content with the
// client's token.
func (s *AttachmentsService) uploadFile(ctx context.Context, p string, it attachmentItem, content io.Reader) (*FileAttachment, error) {
	it.AttachmentType = "file"
	todo := s.locate != nil
	var req any = struct {
		AttachmentItem attachmentItem `json:"AttachmentItem"`
	}{it}
	if todo {
		req = struct {
			AttachmentInfo todoAttachmentInfo `json:"attachmentInfo"`
		}{todoAttachmentInfo{AttachmentType: it.AttachmentType, Name: it.Name, Size: it.Size, ContentType: it.ContentType}}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("outlook: encoding upload session request: %w", err)
	}
	var sess uploadSessionState
	// Creating a session changes nothing the user sees (an unused one
	// expires): safe to repeat.
	if _, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: p + "/createUploadSession",
		body: bytes.NewReader(body), ctype: "application/json", idempotent: true, kind: kindWrite}, &sess); err != nil {
		return nil, err
	}
	if err := checkUploadURL(sess.UploadURL); err != nil {
		return nil, err
	}
	up := &uploader{mb: s.mb, p: s.mb.c.upload, url: sess.UploadURL, putURL: sess.UploadURL, size: it.Size}
	if todo {
		// On Graph's own host, with the client's token (the pipeline
		// refuses any other host).
		up.p = s.mb.c.p
		up.putURL = contentURL(sess.UploadURL)
	}
	next, err := sess.next()
	if err != nil {
		up.cancel(ctx)
		return nil, err
	}
	loc, err := up.run(ctx, content, next)
	if err != nil {
		up.cancel(ctx)
		if ctxErr := ctx.Err(); ctxErr != nil && !office365.IsMaybeProcessed(err) {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("outlook: uploading attachment %q: %w", it.Name, err)
	}
	id, err := attachmentIDFromLocation(loc)
	if err != nil {
		return nil, &uploadedError{fmt.Errorf("outlook: attachment %q was uploaded but %w", it.Name, err)}
	}
	sel := uploadSelect
	if todo {
		sel = todoUploadSelect
	}
	out := new(FileAttachment)
	if _, err := s.mb.doJSON(ctx, &call{method: http.MethodGet, rel: p + "/" + seg(id), query: sel, kind: kindRead}, out); err != nil {
		return nil, &uploadedError{fmt.Errorf("outlook: attachment %q was uploaded (id %q) but reading it back failed: %w", it.Name, id, err)}
	}
	if out.ContentID == "" {
		out.ContentID = it.ContentID
	}
	return out, nil
}

// uploadedError is an error after the upload created the attachment: it
// matches office365.ErrMaybeProcessed (adding the file again would attach
// it twice) as well as the error behind it.
type uploadedError struct{ err error }

func (e *uploadedError) Error() string   { return e.err.Error() }
func (e *uploadedError) Unwrap() []error { return []error{e.err, office365.ErrMaybeProcessed} }

// contentURL is the URL of a To Do attachment session's content stream:
// {uploadUrl}/content (kept as it is if it already ends so).
func contentURL(session string) string {
	path, query, hasQuery := strings.Cut(session, "?")
	if !strings.HasSuffix(strings.ToLower(path), "/content") {
		path += "/content"
	}
	if hasQuery {
		return path + "?" + query
	}
	return path
}

// checkUploadURL accepts an absolute https URL (or http on a loopback
// host, for local fakes): the file's bytes go there without this client's
// token but with the session's own.
func checkUploadURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("outlook: upload session answer has no valid uploadUrl")
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return fmt.Errorf("outlook: refusing to upload to %s: not https", transport.RedactURL(raw))
}

// uploader sends a file's bytes to an upload session.
type uploader struct {
	mb *Mailbox
	p  *transport.Pipeline // anonymous for pre-authenticated URLs
	// url is the session (GET for its state, DELETE to cancel), putURL
	// where ranges go. A pre-authenticated URL carries a token: it is
	// never logged or put in an error unredacted.
	url, putURL string
	size        int64
}

// run uploads content from byte next on (the bytes before it are not
// read) and returns the Location of the created attachment. It keeps at
// most one chunk of content in memory and re-sends from where the
// session's nextExpectedRanges says after the service answers 416 to a
// range it already holds (a retried PUT whose first try had landed).
func (up *uploader) run(ctx context.Context, content io.Reader, next int64) (string, error) {
	if next != 0 {
		return "", fmt.Errorf("upload session starts at byte %d, not 0", next)
	}
	win := make([]byte, 0, min(uploadChunk, up.size))
	var winStart int64 // file offset of win[0]
	resyncs, stalls := 0, 0
	for {
		if next < winStart || next > winStart+int64(len(win)) || next >= up.size {
			return "", fmt.Errorf("upload session expects byte %d of %d, outside the chunk being sent (%d-%d)",
				next, up.size, winStart, winStart+int64(len(win)))
		}
		win = win[:copy(win, win[next-winStart:])]
		winStart = next
		want := int(min(int64(uploadChunk), up.size-next))
		if len(win) < want {
			n, err := io.ReadFull(content, win[len(win):want])
			win = win[:len(win)+n]
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return "", fmt.Errorf("content ended after %d of %d bytes", winStart+int64(len(win)), up.size)
			}
			if err != nil {
				return "", fmt.Errorf("reading content: %w", err)
			}
		}
		if next+int64(want) == up.size {
			// The last range completes the attachment: make sure nothing
			// of the content is left out.
			var probe [1]byte
			if n, _ := io.ReadFull(content, probe[:]); n > 0 {
				return "", fmt.Errorf("content is longer than its size (%d bytes)", up.size)
			}
		}
		last := next+int64(want) == up.size
		st, loc, err := up.put(ctx, win[:want], next, last)
		var apiErr *office365.Error
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusRequestedRangeNotSatisfiable && resyncs < uploadStatusRetries {
			// The service holds other bytes than this client thought
			// (a retried range had landed): ask where it stands.
			resyncs++
			if st, err = up.status(ctx); err != nil {
				return "", fmt.Errorf("%w (and reading the session's state: %w)", apiErr, err)
			}
		} else if last && office365.IsMaybeProcessed(err) && ctx.Err() == nil && resyncs < uploadStatusRetries {
			// The last range may have created the attachment (its answer
			// was lost): send it again only if the session shows it did
			// not arrive; a session that is gone has most likely
			// completed.
			resyncs++
			var serr error
			if st, serr = up.status(ctx); serr != nil {
				return "", fmt.Errorf("the last range may have created the attachment (the session's state cannot be read: %v): %w", serr, err)
			}
			if n, nerr := st.next(); nerr != nil || n >= up.size {
				return "", fmt.Errorf("the last range may have created the attachment: %w", err)
			}
		} else if err != nil {
			return "", err
		}
		if loc != "" {
			return loc, nil
		}
		prev := next
		if next, err = st.next(); err != nil {
			return "", err
		}
		if next > prev {
			stalls = 0
		} else if stalls++; stalls > uploadStatusRetries {
			return "", fmt.Errorf("upload session makes no progress: it expects byte %d again", next)
		}
	}
}

// put sends one range. It returns the session's state after an
// intermediate range, or the Location of the attachment after the last.
// The last range creates the attachment: it is not re-sent once the
// service may have received it (its error then matches
// office365.ErrMaybeProcessed).
func (up *uploader) put(ctx context.Context, chunk []byte, off int64, last bool) (*uploadSessionState, string, error) {
	h := http.Header{}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+int64(len(chunk))-1, up.size))
	resp, err := up.do(ctx, &transport.Request{Method: http.MethodPut, Path: up.putURL, Header: h, Body: bytes.NewReader(chunk),
		NotIdempotent: last})
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusCreated {
		loc := resp.Header.Get("Location")
		if loc == "" {
			return nil, "", errors.New("the last range was accepted without the attachment's Location")
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, loc, nil
	}
	st, err := up.decode(ctx, resp)
	return st, "", err
}

// status reads the session's state: GET on the upload URL.
func (up *uploader) status(ctx context.Context) (*uploadSessionState, error) {
	resp, err := up.do(ctx, &transport.Request{Method: http.MethodGet, Path: up.url})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return up.decode(ctx, resp)
}

func (up *uploader) decode(ctx context.Context, resp *http.Response) (*uploadSessionState, error) {
	body, err := up.p.ReadBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	st := new(uploadSessionState)
	if err := json.Unmarshal(body, st); err != nil {
		return nil, fmt.Errorf("decoding the upload session's answer (%d): %w", resp.StatusCode, err)
	}
	return st, nil
}

// cancel deletes the session after a failed upload, so the service frees
// what it received; failures are ignored (the session expires anyway).
func (up *uploader) cancel(ctx context.Context) {
	ctx, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer stop()
	resp, err := up.do(ctx, &transport.Request{Method: http.MethodDelete, Path: up.url, NoRetry: true})
	if err == nil {
		resp.Body.Close()
	}
}

// do sends a request to the upload URL through the uploader's pipeline
// (without Authorization for a pre-authenticated URL), within the
// mailbox's concurrency limit.
func (up *uploader) do(ctx context.Context, r *transport.Request) (*http.Response, error) {
	release, err := up.mb.c.limiter.acquire(ctx, up.mb.limitKey())
	if err != nil {
		return nil, err
	}
	resp, err := up.p.Do(ctx, r)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// attachmentIDFromLocation extracts the attachment id from the Location
// of an upload's last answer:
// ".../Messages('m')/Attachments('AAMk…=')" (the key form, quotes doubled)
// or ".../attachments/{id}".
func attachmentIDFromLocation(loc string) (string, error) {
	l, _, _ := strings.Cut(loc, "?")
	low := strings.ToLower(l)
	var key string
	if i := strings.LastIndex(low, "/attachments('"); i >= 0 && strings.HasSuffix(l, "')") {
		key = l[i+len("/attachments('") : len(l)-2]
		if k, err := url.PathUnescape(key); err == nil {
			key = k
		}
		key = strings.ReplaceAll(key, "''", "'")
	} else if i := strings.LastIndex(low, "/attachments/"); i >= 0 && !strings.Contains(l[i+len("/attachments/"):], "/") {
		key = l[i+len("/attachments/"):]
		if k, err := url.PathUnescape(key); err == nil {
			key = k
		}
	}
	if key == "" {
		return "", fmt.Errorf("the service's Location %q names no attachment", transport.RedactURL(loc))
	}
	return key, nil
}

// contentSize reports how many bytes r holds from its current position,
// when r can tell without being read: an in-memory reader, a regular file
// (Stat) or a seeker.
func contentSize(r io.Reader) (int64, bool) {
	switch v := r.(type) {
	case *bytes.Reader:
		return int64(v.Len()), true
	case *strings.Reader:
		return int64(v.Len()), true
	case *bytes.Buffer:
		return int64(v.Len()), true
	case interface {
		Stat() (fs.FileInfo, error)
		io.Seeker
	}:
		fi, err := v.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return 0, false
		}
		cur, err := v.Seek(0, io.SeekCurrent)
		if err != nil || cur > fi.Size() {
			return 0, false
		}
		return fi.Size() - cur, true
	case io.Seeker:
		cur, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		end, err := v.Seek(0, io.SeekEnd)
		if err != nil {
			return 0, false
		}
		if _, err := v.Seek(cur, io.SeekStart); err != nil || end < cur {
			return 0, false
		}
		return end - cur, true
	}
	return 0, false
}

// sizedContent prepares AddFile's content for Graph: it returns the
// content (possibly a replacement reader) and its size. A reader whose
// size cannot be known without reading it is read up to the upload
// threshold; if it holds more, the rest is spooled to a temporary file
// (removed by cleanup) so that the file is never held in memory. Reading
// stops when ctx ends.
func sizedContent(ctx context.Context, content io.Reader) (r io.Reader, size int64, cleanup func(), err error) {
	cleanup = func() {}
	if n, ok := contentSize(content); ok {
		return content, n, cleanup, nil
	}
	src := &ctxReader{ctx: ctx, r: content}
	head := make([]byte, graphUploadThreshold)
	n, err := io.ReadFull(src, head)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return bytes.NewReader(head[:n]), int64(n), cleanup, nil
	case err != nil:
		return nil, 0, cleanup, fmt.Errorf("outlook: reading attachment content: %w", err)
	}
	f, err := os.CreateTemp("", "office365-attachment-*")
	if err != nil {
		return nil, 0, cleanup, fmt.Errorf("outlook: content of unknown size over %d bytes needs a temporary file: %w", graphUploadThreshold, err)
	}
	cleanup = func() {
		f.Close()
		os.Remove(f.Name())
	}
	if _, err = f.Write(head); err == nil {
		// Graph takes at most 150 MB: stop spooling past that.
		var rest int64
		limit := int64(maxUploadSize - len(head) + 1)
		if rest, err = io.Copy(f, io.LimitReader(src, limit)); err == nil {
			size = int64(len(head)) + rest
			if rest == limit {
				err = fmt.Errorf("the content exceeds Graph's %d-byte limit for attachments", maxUploadSize)
			} else {
				_, err = f.Seek(0, io.SeekStart)
			}
		}
	}
	if err != nil {
		cleanup()
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, 0, func() {}, ctxErr
		}
		return nil, 0, func() {}, fmt.Errorf("outlook: spooling attachment content: %w", err)
	}
	return f, size, cleanup, nil
}

// ctxReader reads from r until ctx ends, then fails with ctx.Err().
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read implements io.Reader.
func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
