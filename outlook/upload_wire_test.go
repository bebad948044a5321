package outlook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook"
)

// Wire tests of Graph upload sessions: the exact requests of
// createUploadSession and of the ranged PUTs, with answers shaped as
// Graph documents them ("Attach large files to Outlook messages or
// events").

const (
	uploadToken = "OpaqueUploadToken0123456789abcdefXYZ"
	uploadURL   = "https://outlook.office.com/api/v2.0/Users('u1@t1')/Messages('m1')/AttachmentSessions('s1')?authtoken=" + uploadToken
)

// uploadStep is one expected request and its answer.
type uploadStep struct {
	method, url string // full URL
	auth        bool   // Authorization: Bearer tok expected (else none)
	body        string // JSON body to compare ("" = not checked)
	rng         string // Content-Range ("" = none)
	chunk       []byte // PUT body
	status      int
	resp        string
	header      http.Header
}

// uploadMock answers the steps in order and fails the test on any other
// request.
func uploadMock(t *testing.T, steps []uploadStep) (*httpmock.MockTransport, func() int) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var mu sync.Mutex
	n := 0
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		if !assert.Less(t, n, len(steps), "unexpected request %s %s", r.Method, r.URL) {
			return httpmock.NewStringResponse(500, "unexpected"), nil
		}
		want := steps[n]
		n++
		assert.Equal(t, want.method, r.Method)
		assert.Equal(t, want.url, r.URL.String())
		if want.auth {
			assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
		} else {
			assert.Empty(t, r.Header.Values("Authorization"), "upload URLs are pre-authenticated: no Authorization")
		}
		body, _ := io.ReadAll(r.Body)
		if want.body != "" {
			assert.JSONEq(t, want.body, string(body))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		}
		assert.Equal(t, want.rng, r.Header.Get("Content-Range"))
		if want.rng != "" {
			assert.Equal(t, "application/octet-stream", r.Header.Get("Content-Type"))
			assert.EqualValues(t, len(want.chunk), r.ContentLength, "Content-Length")
			assert.True(t, bytes.Equal(want.chunk, body), "PUT body is the range's bytes")
		}
		resp := httpmock.NewStringResponse(want.status, want.resp)
		if want.resp != "" {
			resp.Header.Set("Content-Type", "application/json")
		}
		for k, v := range want.header {
			resp.Header[k] = v
		}
		resp.Request = r
		return resp, nil
	})
	return mt, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func sessionCreated() string {
	return `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession",
		"uploadUrl":"` + uploadURL + `","expirationDateTime":"2026-12-05T20:09:30.7671707Z","nextExpectedRanges":["0-"]}`
}

func sessionAt(next int) string {
	return fmt.Sprintf(`{"@odata.context":"https://outlook.office.com/api/v2.0/$metadata#Users('u1%%40t1')/Messages('m1')/AttachmentSessions/$entity",
		"ExpirationDateTime":"2026-12-05T20:09:30.7671707Z","nextExpectedRanges":["%d"]}`, next)
}

const graphMsgAtts = "https://graph.microsoft.com/v1.0/users/adele@contoso.com/messages/m1/attachments"

func TestGraphUploadWire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := fileBytes(5_000_000, 11)
	const chunk = 3932160 // 12 × 320 KiB
	loc := "https://outlook.office.com/api/v2.0/Users('u1@t1')/Messages('m1')/Attachments('AAMk%2Fa''b=')"
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: graphMsgAtts + "/createUploadSession", auth: true,
			body:   `{"AttachmentItem":{"attachmentType":"file","name":"scan.pdf","size":5000000,"contentType":"application/pdf","isInline":true,"contentId":"cid1"}}`,
			status: 201, resp: sessionCreated()},
		{method: "PUT", url: uploadURL, rng: "bytes 0-3932159/5000000", chunk: data[:chunk], status: 200, resp: sessionAt(chunk)},
		{method: "PUT", url: uploadURL, rng: "bytes 3932160-4999999/5000000", chunk: data[chunk:], status: 201,
			header: http.Header{"Location": {loc}}},
		{method: "GET", url: graphMsgAtts + "/AAMk%2Fa%27b=?$select=id,name,contentType,size,isInline,lastModifiedDateTime", auth: true,
			status: 200, resp: `{"@odata.type":"#microsoft.graph.fileAttachment","id":"AAMk/a'b=","name":"scan.pdf",
				"contentType":"application/pdf","size":5000123,"isInline":true,"lastModifiedDateTime":"2026-12-05T18:27:43Z"}`},
	})
	c := graphClient(t, mt)
	a, err := c.User(mailUser).Mail().Messages().Attachments("m1").Add(ctx, &outlook.FileAttachment{
		AttachmentBase: outlook.AttachmentBase{Name: "scan.pdf", ContentType: "application/pdf", IsInline: true},
		ContentBytes:   data, ContentID: "cid1"})
	require.NoError(t, err)
	assert.Equal(t, 4, count())
	fa := a.(*outlook.FileAttachment)
	assert.Equal(t, "AAMk/a'b=", fa.ID)
	assert.EqualValues(t, 5000123, fa.Size)
	assert.Equal(t, "cid1", fa.ContentID)
	assert.True(t, fa.IsInline)
	require.NotNil(t, fa.LastModifiedDateTime)
	assert.True(t, bytes.Equal(data, fa.ContentBytes))
}

// AddFile on an event, with a reader that knows its size; after a 416 the
// upload resumes where the session says (here, within the range sent).
func TestGraphUploadWireResync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := fileBytes(5_000_000, 12)
	const chunk = 3932160
	evAtts := "https://graph.microsoft.com/v1.0/users/adele@contoso.com/events/e1/attachments"
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: evAtts + "/createUploadSession", auth: true,
			body:   `{"AttachmentItem":{"attachmentType":"file","name":"talk.mp4","size":5000000,"contentType":"video/mp4"}}`,
			status: 201, resp: sessionCreated()},
		{method: "PUT", url: uploadURL, rng: "bytes 0-3932159/5000000", chunk: data[:chunk], status: 200, resp: sessionAt(chunk)},
		{method: "PUT", url: uploadURL, rng: "bytes 3932160-4999999/5000000", chunk: data[chunk:], status: 416,
			resp: `{"error":{"code":"InvalidRange","message":"overlap"}}`},
		{method: "GET", url: uploadURL, status: 200, resp: sessionAt(4_000_000)},
		{method: "PUT", url: uploadURL, rng: "bytes 4000000-4999999/5000000", chunk: data[4_000_000:], status: 201,
			header: http.Header{"Location": {"https://outlook.office.com/api/v2.0/Users('u1@t1')/Events('e1')/Attachments('a1')"}}},
		{method: "GET", url: evAtts + "/a1?$select=id,name,contentType,size,isInline,lastModifiedDateTime", auth: true,
			status: 200, resp: `{"@odata.type":"#microsoft.graph.fileAttachment","id":"a1","name":"talk.mp4","size":5000100}`},
	})
	c := graphClient(t, mt)
	f, err := c.User(mailUser).Calendar().Events().Attachments("e1").AddFile(ctx, "talk.mp4", "video/mp4", bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, 6, count())
	assert.Equal(t, "a1", f.ID)
	assert.Nil(t, f.ContentBytes)
}

// A failing range: the error names the upload URL with its token redacted
// (even when the service echoes the URL), and the session is deleted.
func TestGraphUploadWireErrorHidesToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := fileBytes(3<<20, 13)
	var logs bytes.Buffer
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: graphMsgAtts + "/createUploadSession", auth: true, status: 201, resp: sessionCreated()},
		{method: "PUT", url: uploadURL, rng: "bytes 0-3145727/3145728", chunk: data, status: 400,
			resp: `{"error":{"code":"ErrorInvalidRequest","message":"bad PUT ` + strings.ReplaceAll(uploadURL, "'", `\u0027`) + ` (token ` + uploadToken + `)"}}`},
		{method: "DELETE", url: uploadURL, status: 204},
	})
	c := graphClient(t, mt, office365.WithLogger(newDebugLogger(&logs)))
	_, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(ctx, "big.bin", "", bytes.NewReader(data))
	require.Error(t, err)
	assert.Equal(t, 3, count())
	var apiErr *office365.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ErrorInvalidRequest", apiErr.Code)
	assert.NotContains(t, err.Error(), uploadToken)
	assert.Contains(t, err.Error(), `uploading attachment "big.bin"`)
	assert.Contains(t, err.Error(), "authtoken=REDACTED")
	assert.NotContains(t, apiErr.Message, uploadToken)
	assert.NotContains(t, logs.String(), uploadToken)
}

// An upload URL that is not https is refused before any byte is sent.
func TestGraphUploadWireRefusesPlainHTTP(t *testing.T) {
	t.Parallel()
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: graphMsgAtts + "/createUploadSession", auth: true, status: 201,
			resp: `{"uploadUrl":"http://upload.example.com/s?authtoken=` + uploadToken + `","nextExpectedRanges":["0-"]}`},
	})
	c := graphClient(t, mt)
	_, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(context.Background(), "big.bin", "",
		bytes.NewReader(make([]byte, 3<<20)))
	require.ErrorContains(t, err, "not https")
	assert.NotContains(t, err.Error(), uploadToken)
	assert.Equal(t, 1, count())
}

// Under 3 MB on Graph, and at any size on v2.0: one POST with the content
// inline.
func TestGraphUploadWireSmallFile(t *testing.T) {
	t.Parallel()
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: graphMsgAtts + "?$select=id,name,contentType,size,isInline,lastModifiedDateTime", auth: true,
			status: 201, resp: `{"@odata.type":"#microsoft.graph.fileAttachment","id":"a1","name":"s.bin","size":3145727}`},
	})
	c := graphClient(t, mt)
	f, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(context.Background(), "s.bin", "",
		opaqueReader{bytes.NewReader(make([]byte, 3<<20-1))})
	require.NoError(t, err)
	assert.Equal(t, "a1", f.ID)
	assert.Equal(t, 1, count())
}

// A To Do task's session: attachmentInfo, ranges PUT to {uploadUrl}/content
// on Graph with the client's token.
func TestGraphUploadWireTodo(t *testing.T) {
	t.Parallel()
	data := fileBytes(3<<20+7, 14)
	task := "https://graph.microsoft.com/v1.0/users/adele@contoso.com/todo/lists/L1/tasks/t1"
	session := task + "/attachmentSessions/S1"
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: task + "/attachments/createUploadSession", auth: true,
			body:   `{"attachmentInfo":{"attachmentType":"file","name":"plan.pdf","size":3145735,"contentType":"application/pdf"}}`,
			status: 201, resp: `{"uploadUrl":"` + session + `","expirationDateTime":"2026-12-05T20:09:30Z","nextExpectedRanges":["0-"]}`},
		{method: "PUT", url: session + "/content", auth: true, rng: "bytes 0-3145734/3145735", chunk: data, status: 201,
			header: http.Header{"Location": {task + "/attachments/A1"}}},
		{method: "GET", url: task + "/attachments/A1?$select=id,name,contentType,size,lastModifiedDateTime", auth: true,
			status: 200, resp: `{"@odata.type":"#microsoft.graph.taskFileAttachment","id":"A1","name":"plan.pdf","contentType":"application/pdf","size":3145735}`},
	})
	c := graphClient(t, mt)
	a, err := c.User(mailUser).Tasks().InFolder("L1").Attachments("t1").Add(context.Background(), &outlook.FileAttachment{
		AttachmentBase: outlook.AttachmentBase{Name: "plan.pdf", ContentType: "application/pdf"}, ContentBytes: data})
	require.NoError(t, err)
	assert.Equal(t, 3, count())
	assert.Equal(t, "A1", a.Common().ID)
	assert.EqualValues(t, len(data), a.Common().Size)
}

// shortSeeker claims (through Seek) more bytes than Read gives.
type shortSeeker struct {
	r     *bytes.Reader
	claim int64
}

func (s *shortSeeker) Read(p []byte) (int, error) { return s.r.Read(p) }
func (s *shortSeeker) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekEnd {
		return s.claim, nil
	}
	return s.r.Seek(off, whence)
}

// Content that ends before its announced size fails the upload (nothing
// is attached) and the session is deleted.
func TestGraphUploadWireShortContent(t *testing.T) {
	t.Parallel()
	data := fileBytes(4_000_000, 15)
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: graphMsgAtts + "/createUploadSession", auth: true,
			body:   `{"AttachmentItem":{"attachmentType":"file","name":"x.bin","size":5000000}}`,
			status: 201, resp: sessionCreated()},
		{method: "PUT", url: uploadURL, rng: "bytes 0-3932159/5000000", chunk: data[:3932160], status: 200, resp: sessionAt(3932160)},
		{method: "DELETE", url: uploadURL, status: 204},
	})
	c := graphClient(t, mt)
	_, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(context.Background(), "x.bin", "",
		&shortSeeker{r: bytes.NewReader(data), claim: 5_000_000})
	require.ErrorContains(t, err, "content ended after 4000000 of 5000000 bytes")
	assert.Equal(t, 3, count())
}

// Cancelling the context stops the upload with ctx.Err(); the session is
// still deleted.
func TestGraphUploadWireCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	data := fileBytes(5_000_000, 16)
	mt := httpmock.NewMockTransport()
	var deleted bool
	var mu sync.Mutex
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		switch r.Method {
		case http.MethodPost:
			return httpmock.NewStringResponse(201, sessionCreated()), nil
		case http.MethodPut:
			cancel() // the caller gives up during the first range
			return httpmock.NewStringResponse(200, sessionAt(3932160)), nil
		case http.MethodDelete:
			deleted = true
			assert.Empty(t, r.Header.Values("Authorization"))
			return httpmock.NewStringResponse(204, ""), nil
		}
		return httpmock.NewStringResponse(500, "unexpected"), nil
	})
	c := graphClient(t, mt)
	_, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(ctx, "x.bin", "", bytes.NewReader(data))
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, context.Canceled, err, "ctx.Err() itself")
	mu.Lock()
	assert.True(t, deleted)
	mu.Unlock()
}

// A service that accepts ranges but never moves nextExpectedRanges on
// would have the same range sent forever: the upload gives up and deletes
// its session.
func TestGraphUploadWireNoProgress(t *testing.T) {
	t.Parallel()
	data := fileBytes(5_000_000, 17)
	steps := []uploadStep{{method: "POST", url: graphMsgAtts + "/createUploadSession", auth: true, status: 201, resp: sessionCreated()}}
	for range 4 {
		steps = append(steps, uploadStep{method: "PUT", url: uploadURL, rng: "bytes 0-3932159/5000000", chunk: data[:3932160],
			status: 200, resp: sessionAt(0)})
	}
	steps = append(steps, uploadStep{method: "DELETE", url: uploadURL, status: 204})
	mt, count := uploadMock(t, steps)
	c := graphClient(t, mt)
	_, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(context.Background(), "x.bin", "", bytes.NewReader(data))
	require.ErrorContains(t, err, "no progress")
	assert.NotContains(t, err.Error(), uploadToken)
	assert.Equal(t, len(steps), count())
}

// A To Do session answer without an uploadUrl is an error: no bytes are
// sent anywhere.
func TestGraphUploadWireTodoNoUploadURL(t *testing.T) {
	t.Parallel()
	task := "https://graph.microsoft.com/v1.0/users/adele@contoso.com/todo/lists/L1/tasks/t1"
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: task + "/attachments/createUploadSession", auth: true, status: 201,
			resp: `{"expirationDateTime":"2026-12-05T20:09:30Z","nextExpectedRanges":["0-"]}`},
	})
	c := graphClient(t, mt)
	_, err := c.User(mailUser).Tasks().InFolder("L1").Attachments("t1").AddFile(context.Background(), "plan.pdf", "",
		bytes.NewReader(make([]byte, 3<<20)))
	require.ErrorContains(t, err, "no valid uploadUrl")
	assert.Equal(t, 1, count())
}

// A session whose answer has no usable nextExpectedRanges is deleted, not
// left behind.
func TestGraphUploadWireBadRangesDeletesSession(t *testing.T) {
	t.Parallel()
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: graphMsgAtts + "/createUploadSession", auth: true, status: 201,
			resp: `{"uploadUrl":"` + uploadURL + `","nextExpectedRanges":["soon"]}`},
		{method: "DELETE", url: uploadURL, status: 204},
	})
	c := graphClient(t, mt)
	_, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(context.Background(), "x.bin", "",
		bytes.NewReader(make([]byte, 3<<20)))
	require.ErrorContains(t, err, "invalid range")
	assert.Equal(t, 2, count())
}

// Once the last range created the attachment, a failure to read it back is
// an error that says the attachment exists: it matches
// office365.ErrMaybeProcessed, so a caller does not add the file again.
func TestGraphUploadWireReadBackFailureIsMaybeProcessed(t *testing.T) {
	t.Parallel()
	data := fileBytes(3<<20, 23)
	loc := "https://outlook.office.com/api/v2.0/Users('u1@t1')/Messages('m1')/Attachments('AAMk1')"
	mt, count := uploadMock(t, []uploadStep{
		{method: "POST", url: graphMsgAtts + "/createUploadSession", auth: true, status: 201, resp: sessionCreated()},
		{method: "PUT", url: uploadURL, rng: fmt.Sprintf("bytes 0-%d/%d", len(data)-1, len(data)), chunk: data,
			status: 201, header: http.Header{"Location": {loc}}},
		{method: "GET", url: graphMsgAtts + "/AAMk1?$select=id,name,contentType,size,isInline,lastModifiedDateTime", auth: true,
			status: 500, resp: `{"error":{"code":"generalException","message":"boom"}}`},
	})
	c := graphClient(t, mt)
	_, err := c.User(mailUser).Mail().Messages().Attachments("m1").AddFile(context.Background(), "x.bin", "", bytes.NewReader(data))
	require.Error(t, err)
	assert.True(t, office365.IsMaybeProcessed(err), "%v", err)
	assert.ErrorContains(t, err, `was uploaded (id "AAMk1")`)
	var oe *office365.Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 500, oe.StatusCode)
	assert.Equal(t, 3, count())
}
