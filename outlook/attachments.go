package outlook

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"

	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// AttachmentsService manages the attachments of one item:
// {root}/messages/{message_id}/attachments here; the Calendar API builds the
// same service over {root}/events/{event_id}/attachments (same shapes).
// Attachments cannot be updated: delete and add again.
type AttachmentsService struct {
	mb     *Mailbox
	parent string // escaped path of the owning item, e.g. "messages/{id}"
	// locate, when set, finds the owning item's path instead (a To Do
	// task's list, on Graph).
	locate   func(ctx context.Context) (string, error)
	parentID string
}

func (s *AttachmentsService) path(ctx context.Context) (string, error) {
	if s.parentID == "" {
		return "", errors.New("outlook: empty item id for attachments")
	}
	if s.locate != nil {
		p, err := s.locate(ctx)
		if err != nil {
			return "", err
		}
		return p + "/attachments", nil
	}
	return s.parent + "/attachments", nil
}

// List returns the attachments (each a *FileAttachment, *ItemAttachment or
// *ReferenceAttachment): GET {root}/messages/{message_id}/attachments. Use
// opts.Select (e.g. Name, Size, ContentType) to leave out ContentBytes.
func (s *AttachmentsService) List(ctx context.Context, opts *ListOptions) iter.Seq2[Attachment, error] {
	return func(yield func(Attachment, error) bool) {
		p, err := s.path(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		for raw, err := range listEntities[json.RawMessage](ctx, s.mb, p, opts) {
			if err != nil {
				yield(nil, err)
				return
			}
			a, err := DecodeAttachment(*raw)
			if !yield(a, err) || err != nil {
				return
			}
		}
	}
}

// Get reads one attachment: GET
// {root}/messages/{message_id}/attachments/{attachment_id}. A file
// attachment includes its content (base64 ContentBytes) in memory; use
// Content to stream it instead.
func (s *AttachmentsService) Get(ctx context.Context, id string, opts *GetOptions) (Attachment, error) {
	p, err := s.path(ctx)
	if err != nil {
		return nil, err
	}
	if err := needID("attachment", id); err != nil {
		return nil, err
	}
	raw, err := getEntity[json.RawMessage](ctx, s.mb, p+"/"+seg(id), opts)
	if err != nil {
		return nil, err
	}
	return DecodeAttachment(*raw)
}

// Add adds an attachment (file, item or reference; "@odata.type" is set
// from its Go type): POST {root}/messages/{message_id}/attachments (201).
// Outlook v2.0 has no upload sessions: content travels base64 inline, and
// clients report a practical ceiling of about 4 MB per request.
//
// On Graph (office365.WithGraph) that request takes files under 3 MB; a
// *FileAttachment of 3 MB or more (Graph accepts up to 150 MB) goes
// through an upload session instead: POST
// {root}/messages/{message_id}/attachments/createUploadSession, ranged
// PUTs of the content to the session's pre-authenticated upload URL (no
// Authorization header; its token never appears in errors or logs), and
// a GET of the new attachment's metadata. A range whose answer is lost is
// re-sent, and the upload resumes where the session's nextExpectedRanges
// says. The last range creates the attachment: it is re-sent only when
// the session shows it did not arrive; otherwise the error matches
// office365.ErrMaybeProcessed (the attachment may exist). The result is a *FileAttachment as for small files, its
// ContentBytes the slice a carried. Such a file cannot have a
// ContentLocation (an upload session does not take one). To Do tasks take
// file attachments only, up to 25 MB, large ones through To Do's own
// upload session ({task}/attachments/createUploadSession with an
// attachmentInfo; the ranges go to {uploadUrl}/content on Graph, with the
// client's token). Graph v1.0's referenceAttachment has none of
// ReferenceAttachment's properties, so adding one is an error.
func (s *AttachmentsService) Add(ctx context.Context, a Attachment) (Attachment, error) {
	p, err := s.path(ctx)
	if err != nil {
		return nil, err
	}
	switch v := a.(type) {
	case nil:
		return nil, errors.New("outlook: nil attachment")
	case *ReferenceAttachment:
		if v.SourceURL == "" {
			return nil, errors.New("outlook: a ReferenceAttachment needs SourceUrl")
		}
	case *UnknownAttachment:
		return nil, fmt.Errorf("outlook: cannot add an attachment of unknown type %q", v.ODataType)
	}
	if s.mb.c.graph {
		switch a.(type) {
		case *ReferenceAttachment:
			return nil, errors.New("outlook: Graph v1.0 cannot create reference attachments (its referenceAttachment has no SourceUrl, ProviderType or Permission)")
		case *FileAttachment:
		default:
			if s.locate != nil {
				return nil, errors.New("outlook: To Do tasks (Graph) take file attachments only")
			}
		}
	}
	if a.Common().Name == "" {
		return nil, errors.New("outlook: an attachment needs a Name")
	}
	if f, ok := a.(*FileAttachment); ok && s.sessions() && len(f.ContentBytes) >= graphUploadThreshold {
		if f.ContentLocation != "" {
			return nil, errors.New("outlook: a file attachment of 3 MB or more cannot have a ContentLocation on Graph (upload sessions do not take one)")
		}
		out, err := s.uploadFile(ctx, p, attachmentItem{Name: f.Name, Size: int64(len(f.ContentBytes)),
			ContentType: f.ContentType, IsInline: f.IsInline, ContentID: f.ContentID}, bytes.NewReader(f.ContentBytes))
		if err != nil {
			return nil, err
		}
		out.ContentBytes = f.ContentBytes
		return out, nil
	}
	raw, err := createEntity[json.RawMessage](ctx, s.mb, p, a)
	if err != nil {
		return nil, err
	}
	return DecodeAttachment(*raw)
}

// AddFile streams content into a new file attachment: POST
// {root}/messages/{message_id}/attachments with the FileAttachment JSON
// whose ContentBytes is base64-encoded on the fly, so the content is never
// held in memory (neither raw nor encoded). The response is trimmed with
// $select so the content is not echoed back. Because the body is a stream,
// the request is sent once and never retried.
//
// On Graph (office365.WithGraph), content of 3 MB or more is uploaded
// through an upload session as Add describes, one chunk (under 4 MB) in
// memory at a time; each chunk can be re-sent, so a failed range is
// retried and the upload resumes. The session needs the size up front:
// it is taken from content when it can tell (a *bytes.Reader,
// *strings.Reader or *bytes.Buffer, a regular *os.File, any io.Seeker);
// otherwise up to 3 MB is read to decide, and a larger remainder is
// spooled to a temporary file (os.CreateTemp), removed before AddFile
// returns.
func (s *AttachmentsService) AddFile(ctx context.Context, name, contentType string, content io.Reader) (*FileAttachment, error) {
	p, err := s.path(ctx)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("outlook: an attachment needs a Name")
	}
	if content == nil {
		return nil, errors.New("outlook: nil attachment content")
	}
	if s.sessions() {
		r, size, cleanup, err := sizedContent(ctx, content)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		if size >= graphUploadThreshold {
			return s.uploadFile(ctx, p, attachmentItem{Name: name, Size: size, ContentType: contentType}, r)
		}
		content = r
	}
	head, err := s.mb.c.encode(struct {
		ODataType   string `json:"@odata.type"`
		Name        string `json:"Name"`
		ContentType string `json:"ContentType,omitempty"`
	}{ODataTypeFileAttachment, name, contentType}, graphwire.Entity)
	if err != nil {
		return nil, err
	}
	contentBytes := `,"ContentBytes":"`
	if s.mb.c.graph {
		contentBytes = `,"contentBytes":"`
	}
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := pw.Write(append(head[:len(head)-1], contentBytes...))
		if err == nil {
			enc := base64.NewEncoder(base64.StdEncoding, pw)
			if _, err = io.Copy(enc, content); err == nil {
				err = enc.Close()
			}
		}
		if err == nil {
			_, err = pw.Write([]byte(`"}`))
		}
		pw.CloseWithError(err)
	}()
	defer func() {
		pr.Close() // unblocks the writer if the request ended early
		<-done     // content is not used after AddFile returns
	}()
	out := new(FileAttachment)
	_, err = s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: p, body: pr, ctype: "application/json",
		query: "$select=Id,Name,ContentType,Size,IsInline,LastModifiedDateTime", kind: kindWrite}, out)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sessions reports whether large files go through upload sessions: on
// Graph (messages, events and To Do tasks).
func (s *AttachmentsService) sessions() bool { return s.mb.c.graph }

// Delete removes an attachment: DELETE
// {root}/messages/{message_id}/attachments/{attachment_id} (204).
func (s *AttachmentsService) Delete(ctx context.Context, id string) error {
	p, err := s.path(ctx)
	if err != nil {
		return err
	}
	if err := needID("attachment", id); err != nil {
		return err
	}
	return deleteEntity(ctx, s.mb, p+"/"+seg(id))
}

// Content streams the decoded content of a file attachment. Outlook v2.0
// documents no raw "$value" for attachments, so this reads GET
// {root}/messages/{message_id}/attachments/{attachment_id} and decodes the
// base64 ContentBytes while it arrives: neither the JSON nor the content is
// held whole in memory. It fails with ErrNotFileAttachment for item and
// reference attachments. The caller closes the reader.
func (s *AttachmentsService) Content(ctx context.Context, id string) (io.ReadCloser, error) {
	p, err := s.path(ctx)
	if err != nil {
		return nil, err
	}
	if err := needID("attachment", id); err != nil {
		return nil, err
	}
	resp, err := s.mb.do(ctx, &call{method: http.MethodGet, rel: p + "/" + seg(id), kind: kindRead})
	if err != nil {
		return nil, err
	}
	r, err := contentBytesReader(resp.Body)
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{r, resp.Body}, nil
}

// contentBytesReader positions a JSON attachment stream at the value of
// its top-level ContentBytes and returns a reader of the decoded bytes.
func contentBytesReader(body io.Reader) (io.Reader, error) {
	dec := json.NewDecoder(body)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("outlook: attachment response is not a JSON object: %v", err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("outlook: reading attachment: %w", err)
		}
		key, _ := t.(string)
		switch {
		case strings.EqualFold(key, "ContentBytes"): // Graph: contentBytes
			br := bufio.NewReader(io.MultiReader(dec.Buffered(), body))
			for {
				c, err := br.ReadByte()
				if err != nil {
					return nil, fmt.Errorf("outlook: reading attachment: %w", err)
				}
				switch c {
				case ' ', '\t', '\r', '\n', ':':
					continue
				case '"':
					return base64.NewDecoder(base64.StdEncoding, &jsonStringReader{r: br}), nil
				case 'n':
					return nil, ErrNotFileAttachment
				default:
					return nil, fmt.Errorf("outlook: ContentBytes is not a string")
				}
			}
		case key == "@odata.type":
			var typ string
			if err := dec.Decode(&typ); err != nil {
				return nil, fmt.Errorf("outlook: reading attachment: %w", err)
			}
			if !strings.EqualFold(normalizeODataType(graphwire.TypeFromGraph(typ)), strings.ToLower(ODataTypeFileAttachment)) {
				return nil, fmt.Errorf("%w (it is %s)", ErrNotFileAttachment, typ)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("outlook: reading attachment: %w", err)
			}
		}
	}
	return nil, ErrNotFileAttachment
}

// jsonStringReader returns the bytes of a JSON string body (after its
// opening quote) up to the closing quote. Base64 text only needs "\/"
// unescaped; whitespace escapes are dropped, others are an error.
type jsonStringReader struct {
	r    *bufio.Reader
	done bool
}

// Read implements io.Reader.
func (j *jsonStringReader) Read(p []byte) (int, error) {
	if j.done {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		c, err := j.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return n, err
		}
		switch c {
		case '"':
			j.done = true
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		case '\\':
			e, err := j.r.ReadByte()
			if err != nil {
				return n, io.ErrUnexpectedEOF
			}
			switch e {
			case '/':
				p[n] = '/'
				n++
			case 'r', 'n', 't':
			default:
				return n, fmt.Errorf("outlook: unexpected escape \\%c in ContentBytes", e)
			}
		default:
			p[n] = c
			n++
		}
		if n > 0 && j.r.Buffered() == 0 {
			return n, nil
		}
	}
	return n, nil
}
