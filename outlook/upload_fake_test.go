package outlook_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// fileBytes returns n reproducible pseudo-random bytes (so a misplaced
// range would not go unnoticed, as it could with a repeated pattern).
func fileBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n+8)
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], r.Uint64())
	}
	return b[:n:n]
}

// opaqueReader hides every method but Read, so AddFile cannot learn the
// content's size without reading it.
type opaqueReader struct{ r io.Reader }

func (o opaqueReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// newDebugLogger logs everything to w.
func newDebugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// readContent streams an attachment's content.
func readContent(t *testing.T, ctx context.Context, atts *outlook.AttachmentsService, id string) []byte {
	t.Helper()
	rc, err := atts.Content(ctx, id)
	require.NoError(t, err)
	defer rc.Close()
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	return got
}

// uploadRequests returns the requests of upload sessions in the log:
// session creations and the requests to upload URLs.
func uploadRequests(srv *office365test.Server) (creates, uploads []office365test.RecordedRequest) {
	for _, r := range srv.Requests() {
		switch {
		case strings.HasSuffix(r.Path, "/createUploadSession"):
			creates = append(creates, r)
		case strings.Contains(r.Path, "/AttachmentSessions("):
			uploads = append(uploads, r)
		}
	}
	return creates, uploads
}

// Files of 3 MB or more: on v2.0 they travel inline as always; on Graph
// they go through upload sessions. Either way, Add and AddFile (of known
// and of unknown size) give back attachments whose content round-trips.
func TestAttachmentsFakeLargeFiles(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		srv, _, c := mailFake(t, dia)
		mail := c.Me().Mail()
		d, err := mail.Messages().Create(ctx, &outlook.Message{Subject: "Large files"})
		require.NoError(t, err)
		atts := mail.Messages().Attachments(d.ID)

		big := fileBytes(4_000_000, 1)
		a, err := atts.Add(ctx, &outlook.FileAttachment{
			AttachmentBase: outlook.AttachmentBase{Name: "scan.pdf", ContentType: "application/pdf", IsInline: true},
			ContentBytes:   big, ContentID: "scan1"})
		require.NoError(t, err)
		fa, ok := a.(*outlook.FileAttachment)
		require.True(t, ok, "%T", a)
		assert.NotEmpty(t, fa.ID)
		assert.Equal(t, "scan.pdf", fa.Name)
		assert.Equal(t, "application/pdf", fa.ContentType)
		assert.EqualValues(t, len(big), fa.Size)
		assert.True(t, fa.IsInline)
		assert.Equal(t, "scan1", fa.ContentID)
		assert.True(t, bytes.Equal(big, fa.ContentBytes))
		assert.True(t, bytes.Equal(big, readContent(t, ctx, atts, fa.ID)), "Add: content round-trips")

		exact := fileBytes(3<<20, 2) // exactly the threshold
		f1, err := atts.AddFile(ctx, "exact.bin", "application/octet-stream", bytes.NewReader(exact))
		require.NoError(t, err)
		assert.EqualValues(t, len(exact), f1.Size)
		assert.Nil(t, f1.ContentBytes)
		assert.True(t, bytes.Equal(exact, readContent(t, ctx, atts, f1.ID)), "AddFile (sized): content round-trips")

		unsized := fileBytes(3_200_001, 3)
		f2, err := atts.AddFile(ctx, "stream.bin", "", opaqueReader{bytes.NewReader(unsized)})
		require.NoError(t, err)
		assert.EqualValues(t, len(unsized), f2.Size)
		assert.True(t, bytes.Equal(unsized, readContent(t, ctx, atts, f2.ID)), "AddFile (unsized): content round-trips")

		got, err := atts.Get(ctx, f2.ID, nil)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(unsized, got.(*outlook.FileAttachment).ContentBytes), "Get returns the same bytes")

		creates, uploads := uploadRequests(srv)
		if !dia.graph {
			assert.Empty(t, creates, "v2.0 has no upload sessions")
			assert.Empty(t, uploads)
			return
		}
		require.Len(t, creates, 3, "one session per large file")
		var chunks int
		for _, r := range uploads {
			require.Equal(t, http.MethodPut, r.Method)
			assert.Empty(t, r.Header.Get("Authorization"), "the upload URL is pre-authenticated")
			assert.Equal(t, "application/octet-stream", r.Header.Get("Content-Type"))
			assert.NotEmpty(t, r.Header.Get("Content-Range"))
			assert.LessOrEqual(t, len(r.Body), 4<<20, "chunks stay under 4 MiB")
			chunks++
		}
		assert.Equal(t, 2+1+1, chunks, "4,000,000 bytes take two ranges of at most 3.75 MiB, 3 MiB and 3,200,001 one")

		// The Outlook REST front end sees the same attachments.
		v2, err := outlook.New(auth.StaticToken("tok"), office365.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		v2atts := v2.Me().Mail().Messages().Attachments(d.ID)
		assert.True(t, bytes.Equal(big, readContent(t, ctx, v2atts, fa.ID)), "v2.0 reads what Graph uploaded")
	})
}

// Below 3 MB nothing changes on Graph: one POST, no session.
func TestAttachmentsFakeGraphSmallFileInline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _, c := mailFake(t, dialect{name: "graph", graph: true})
	events := c.Me().Calendar().Events()
	ev, err := events.Create(ctx, &outlook.Event{Subject: "Review",
		Start: pst(t, "2017-03-02T10:00:00"), End: pst(t, "2017-03-02T11:00:00")})
	require.NoError(t, err)
	atts := events.Attachments(ev.ID)
	small := fileBytes(3<<20-1, 4)
	f, err := atts.AddFile(ctx, "small.bin", "application/octet-stream", opaqueReader{bytes.NewReader(small)})
	require.NoError(t, err)
	assert.True(t, bytes.Equal(small, readContent(t, ctx, atts, f.ID)))
	creates, uploads := uploadRequests(srv)
	assert.Empty(t, creates)
	assert.Empty(t, uploads)

	// An event's large attachment takes a session.
	big := fileBytes(3<<20+1, 5)
	a, err := atts.Add(ctx, outlook.NewFileAttachment("big.bin", big))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(big, readContent(t, ctx, atts, a.Common().ID)))
	creates, _ = uploadRequests(srv)
	require.Len(t, creates, 1)
	assert.Contains(t, creates[0].Path, "/v1.0/me/events/")
}

// A range whose answer is lost (the service stored it, then the connection
// dropped) is re-sent by the pipeline; the service refuses the overlap
// with 416, and the upload resumes where the session's state says.
func TestAttachmentsFakeGraphUploadResumes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _, c := mailFake(t, dialect{name: "graph", graph: true})
	mail := c.Me().Mail()
	d, err := mail.Messages().Create(ctx, &outlook.Message{Subject: "Flaky network"})
	require.NoError(t, err)
	atts := mail.Messages().Attachments(d.ID)

	dropped := srv.InjectFault(&office365test.Fault{Method: http.MethodPut, PathContains: "/AttachmentSessions(",
		Times: 1, DropAfterHandler: true})
	failed := srv.InjectFault(&office365test.Fault{Method: http.MethodPut, PathContains: "/AttachmentSessions(",
		Match: func(r *http.Request) bool { return strings.HasPrefix(r.Header.Get("Content-Range"), "bytes 3932160-") },
		Times: 1, Status: http.StatusServiceUnavailable})
	big := fileBytes(4_000_000, 6)
	f, err := atts.AddFile(ctx, "big.bin", "application/octet-stream", bytes.NewReader(big))
	require.NoError(t, err)
	assert.Equal(t, 1, dropped.Hits())
	assert.Equal(t, 1, failed.Hits())
	assert.True(t, bytes.Equal(big, readContent(t, ctx, atts, f.ID)))

	var seq []string
	_, uploads := uploadRequests(srv)
	for _, r := range uploads {
		seq = append(seq, r.Method+" "+r.Header.Get("Content-Range"))
	}
	assert.Equal(t, []string{
		"PUT bytes 0-3932159/4000000",       // stored, answer lost
		"PUT bytes 0-3932159/4000000",       // re-sent: 416
		"GET ",                              // where does the session stand?
		"PUT bytes 3932160-3999999/4000000", // 503: the last range may have landed
		"GET ",                              // it did not: the session still expects it
		"PUT bytes 3932160-3999999/4000000", // 201
	}, seq)
	list, err := collectSeq(atts.List(ctx, nil))
	require.NoError(t, err)
	assert.Len(t, list, 1, "one attachment, however many tries")
}

// An upload that fails for good deletes its session, and its error never
// shows the upload URL's token.
func TestAttachmentsFakeGraphUploadFailureHidesToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var logs bytes.Buffer
	srv, _, c := mailFake(t, dialect{name: "graph", graph: true},
		office365.WithLogger(newDebugLogger(&logs)),
		office365.WithRetry(office365.RetryOptions{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	mail := c.Me().Mail()
	d, err := mail.Messages().Create(ctx, &outlook.Message{Subject: "Doomed"})
	require.NoError(t, err)
	srv.InjectFault(&office365test.Fault{Method: http.MethodPut, PathContains: "/AttachmentSessions(", Status: http.StatusBadGateway})
	_, err = mail.Messages().Attachments(d.ID).Add(ctx, outlook.NewFileAttachment("big.bin", fileBytes(3<<20, 7)))
	require.Error(t, err)
	var apiErr *office365.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)

	_, uploads := uploadRequests(srv)
	require.NotEmpty(t, uploads)
	q, qerr := url.ParseQuery(uploads[0].RawQuery)
	require.NoError(t, qerr)
	token := q.Get("authtoken")
	require.NotEmpty(t, token)
	assert.NotContains(t, err.Error(), token)
	assert.Contains(t, err.Error(), "authtoken=REDACTED")
	assert.NotContains(t, logs.String(), token)
	last := uploads[len(uploads)-1]
	assert.Equal(t, http.MethodDelete, last.Method, "the failed session is deleted")
	assert.Empty(t, last.Header.Get("Authorization"))
}

// To Do tasks take large files through their own upload session on
// Graph, and inline on v2.0.
func TestAttachmentsFakeLargeTaskFile(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		srv, _, c := mailFake(t, dia)
		tasks := c.Me().Tasks()
		task, err := tasks.Create(ctx, &outlook.Task{Subject: "Review the recording"})
		require.NoError(t, err)
		atts := tasks.Attachments(task.ID)
		big := fileBytes(4_000_000, 21)
		f, err := atts.AddFile(ctx, "call.m4a", "audio/mp4", opaqueReader{bytes.NewReader(big)})
		require.NoError(t, err)
		assert.EqualValues(t, len(big), f.Size)
		assert.Equal(t, "call.m4a", f.Name)
		assert.True(t, bytes.Equal(big, readContent(t, ctx, atts, f.ID)))

		var puts []office365test.RecordedRequest
		for _, r := range srv.Requests() {
			if strings.Contains(r.Path, "/attachmentSessions/") {
				puts = append(puts, r)
			}
		}
		if !dia.graph {
			assert.Empty(t, puts)
			return
		}
		require.Len(t, puts, 2)
		for _, r := range puts {
			assert.Equal(t, http.MethodPut, r.Method)
			assert.True(t, strings.HasSuffix(r.Path, "/content"), r.Path)
			assert.Equal(t, "Bearer <redacted>", r.Header.Get("Authorization"), "To Do sessions are on Graph, with the token")
		}
	})
}

// The last range is stored and the attachment created, but its answer is
// lost: the session is gone, so re-sending the range cannot succeed.
// AddFile must not report a plain failure (the caller would add the file
// again): its error says the attachment may have been created.
func TestAttachmentsFakeGraphUploadLastAnswerLost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _, c := mailFake(t, dialect{name: "graph", graph: true})
	mail := c.Me().Mail()
	d, err := mail.Messages().Create(ctx, &outlook.Message{Subject: "Lost answer"})
	require.NoError(t, err)
	atts := mail.Messages().Attachments(d.ID)

	dropped := srv.InjectFault(&office365test.Fault{Method: http.MethodPut, PathContains: "/AttachmentSessions(",
		Match: func(r *http.Request) bool { return strings.HasPrefix(r.Header.Get("Content-Range"), "bytes 3932160-") },
		Times: 1, DropAfterHandler: true})
	_, err = atts.AddFile(ctx, "big.bin", "application/octet-stream", bytes.NewReader(fileBytes(4_000_000, 8)))
	require.Error(t, err)
	assert.Equal(t, 1, dropped.Hits())
	assert.ErrorIs(t, err, office365.ErrMaybeProcessed)
	assert.True(t, office365.IsMaybeProcessed(err))

	var puts int
	_, uploads := uploadRequests(srv)
	for _, r := range uploads {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Header.Get("Content-Range"), "bytes 3932160-") {
			puts++
		}
	}
	assert.Equal(t, 1, puts, "the last range is not re-sent blindly")
	list, err := collectSeq(atts.List(ctx, nil))
	require.NoError(t, err)
	assert.Len(t, list, 1, "the attachment was created once")
}

// Cancelling while the last range is with the service leaves the
// attachment possibly created: the error is the context's and says so.
func TestAttachmentsFakeGraphUploadCancelledOnLastRange(t *testing.T) {
	t.Parallel()
	srv, _, c := mailFake(t, dialect{name: "graph", graph: true})
	mail := c.Me().Mail()
	d, err := mail.Messages().Create(context.Background(), &outlook.Message{Subject: "Cancelled"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv.InjectFault(&office365test.Fault{Method: http.MethodPut, PathContains: "/AttachmentSessions(",
		Match: func(r *http.Request) bool {
			if !strings.HasPrefix(r.Header.Get("Content-Range"), "bytes 3932160-") {
				return false
			}
			cancel() // the range has arrived; the caller gives up
			return true
		},
		Times: 1, Stalled: true})
	_, err = mail.Messages().Attachments(d.ID).AddFile(ctx, "big.bin", "", bytes.NewReader(fileBytes(4_000_000, 9)))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, office365.IsMaybeProcessed(err), "%v", err)
}

// cancellingReader gives n zero bytes and cancels its context once it has
// given after of them.
type cancellingReader struct {
	n, after, read int
	cancel         context.CancelFunc
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(len(p), c.n-c.read)
	clear(p[:k])
	c.read += k
	if c.read >= c.after {
		c.cancel()
	}
	return k, nil
}

// Spooling content of unknown size stops when the context ends.
func TestAttachmentsFakeGraphSpoolHonoursContext(t *testing.T) {
	t.Parallel()
	_, _, c := mailFake(t, dialect{name: "graph", graph: true})
	mail := c.Me().Mail()
	d, err := mail.Messages().Create(context.Background(), &outlook.Message{Subject: "Slow source"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &cancellingReader{n: 40 << 20, after: 4 << 20, cancel: cancel}
	_, err = mail.Messages().Attachments(d.ID).AddFile(ctx, "big.bin", "", src)
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, src.read, 8<<20, "reading stopped soon after the cancellation")
}
