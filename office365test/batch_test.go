package office365test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// batchEnv is a server with a mailbox (one user with three Inbox messages)
// and the $batch fake.
type batchEnv struct {
	srv *Server
	mb  *Mailbox
	u   *MailboxUser
	ids []string
}

func newBatchEnv(t *testing.T, opts ...ServerOption) *batchEnv {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	mb := NewMailbox()
	mb.Register(srv)
	NewBatch(srv).Register(mb)
	u := mb.AddUser("adele@contoso.com", "Adele Vance")
	ids := u.SeedMessages("Inbox",
		SeedMessage{From: "alex@contoso.com", Subject: "one"},
		SeedMessage{From: "alex@contoso.com", Subject: "two"},
		SeedMessage{From: "alex@contoso.com", Subject: "three"})
	return &batchEnv{srv: srv, mb: mb, u: u, ids: ids}
}

func crlfJoin(lines ...string) string { return strings.Join(lines, "\r\n") }

// batchBody renders parts (each "request line\r\nheaders…[\r\n\r\nbody]")
// in the reference's framing.
func batchBody(boundary string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(crlfJoin("--"+boundary, "Content-Type: application/http", "Content-Transfer-Encoding: binary", "", p, "", ""))
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.String()
}

func (e *batchEnv) post(t *testing.T, path, body string, header map[string]string) (*http.Response, []BatchPartResponse) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer good")
	req.Header.Set("Content-Type", "multipart/mixed; boundary=batch_t")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode != http.StatusOK {
		return resp, nil
	}
	parts, err := ParseBatchResponse(resp.Header.Get("Content-Type"), data)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "multipart/mixed; boundary=batchresponse_"))
	assert.Contains(t, string(data), "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 ")
	return resp, parts
}

func seg(id string) string { return strings.NewReplacer("/", "%2F").Replace(id) }

func TestBatchParsesReferenceExample(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/outlook/batch/reference_request.http")
	require.NoError(t, err)
	require.Contains(t, string(data), "\r\n", "the fixture keeps its CRLF line endings")
	ops, err := parseBatchRequest(data, "batch_myBatchId")
	require.NoError(t, err)
	require.Len(t, ops, 2)
	assert.Equal(t, "GET", ops[0].method)
	assert.Equal(t, "/api/v2.0/me/events?$select=Subject,Organizer", ops[0].target)
	assert.Empty(t, ops[0].body)
	assert.Equal(t, "POST", ops[1].method)
	assert.Equal(t, "/api/v2.0/me/sendmail", ops[1].target)
	assert.Equal(t, "application/json", ops[1].header.Get("Content-Type"))
	assert.Equal(t, `{"Message":{"Subject":"Hi","Body":{"ContentType":"Text","Content":"x"},"ToRecipients":[{"EmailAddress":{"Address":"a@b.com"}}]}}`, string(ops[1].body))
}

// The reference's example, sent as is: the sendmail operation runs (202)
// whatever the events operation answers.
func TestBatchReferenceExampleEndToEnd(t *testing.T) {
	t.Parallel()
	e := newBatchEnv(t)
	data, err := os.ReadFile("../testdata/outlook/batch/reference_request.http")
	require.NoError(t, err)
	_, parts := e.post(t, "/api/v2.0/users/adele@contoso.com/$batch", string(data), map[string]string{
		"Content-Type": "multipart/mixed; boundary=batch_myBatchId", "Prefer": "odata.continue-on-error"})
	require.Len(t, parts, 2)
	assert.NotZero(t, parts[0].StatusCode)
	assert.Equal(t, http.StatusAccepted, parts[1].StatusCode)
	sent := e.mb.Sent()
	require.NotEmpty(t, sent)
}

func TestBatchDispatchesEachPart(t *testing.T) {
	t.Parallel()
	e := newBatchEnv(t)
	base := "/api/v2.0/users/adele@contoso.com"
	body := batchBody("batch_t",
		"GET "+base+"/messages/"+seg(e.ids[0])+"?$select=Subject HTTP/1.1",
		crlfJoin("PATCH "+base+"/messages/"+seg(e.ids[1])+" HTTP/1.1", "Content-Type: application/json", "", `{"IsRead":true}`),
		"GET "+base+"/messages/doesnotexist HTTP/1.1",
		"DELETE "+e.srv.URL()+base+"/messages/"+seg(e.ids[2])+" HTTP/1.1",
	)
	e.srv.ResetRequests()
	resp, parts := e.post(t, base+"/$batch", body, map[string]string{"Prefer": "odata.continue-on-error"})
	assert.Equal(t, "odata.continue-on-error", resp.Header.Get("Preference-Applied"))
	require.Len(t, parts, 4)
	assert.Equal(t, []int{200, 200, 404, 204}, []int{parts[0].StatusCode, parts[1].StatusCode, parts[2].StatusCode, parts[3].StatusCode})
	var m map[string]any
	require.NoError(t, json.Unmarshal(parts[0].Body, &m))
	assert.Equal(t, "one", m["Subject"])
	assert.Equal(t, "4.0", parts[0].Header.Get("OData-Version"))
	assert.Contains(t, string(parts[2].Body), "ErrorItemNotFound")
	doc, _, ok := e.u.Get(e.ids[1])
	require.True(t, ok)
	assert.Equal(t, true, doc["IsRead"])
	_, _, ok = e.u.Get(e.ids[2])
	assert.False(t, ok, "deleted")
	// The operations are in the request log, after the batch itself.
	var paths []string
	for _, r := range e.srv.Requests() {
		paths = append(paths, r.Method+" "+r.EscapedPath())
	}
	assert.Equal(t, []string{
		"POST " + base + "/$batch",
		"GET " + base + "/messages/" + seg(e.ids[0]),
		"PATCH " + base + "/messages/" + seg(e.ids[1]),
		"GET " + base + "/messages/doesnotexist",
		"DELETE " + base + "/messages/" + seg(e.ids[2]),
	}, paths)

	// Without continue-on-error the batch stops after the first failure.
	body = batchBody("batch_t",
		"GET "+base+"/messages/doesnotexist HTTP/1.1",
		"DELETE "+base+"/messages/"+seg(e.ids[0])+" HTTP/1.1")
	resp, parts = e.post(t, base+"/$batch", body, nil)
	assert.Empty(t, resp.Header.Get("Preference-Applied"))
	require.Len(t, parts, 1)
	assert.Equal(t, 404, parts[0].StatusCode)
	_, _, ok = e.u.Get(e.ids[0])
	assert.True(t, ok, "the second operation did not run")
}

func TestBatchHeadersAuthAndFaults(t *testing.T) {
	t.Parallel()
	e := newBatchEnv(t, WithTokenValidator(func(tok string) bool { return tok == "good" }))
	base := "/api/v2.0/users/adele@contoso.com"
	body := batchBody("batch_t",
		"GET "+base+"/messages/"+seg(e.ids[0])+"?$select=Subject HTTP/1.1",
		crlfJoin("GET "+base+"/messages/"+seg(e.ids[0])+"?$select=Subject HTTP/1.1", "Authorization: Bearer bad"),
		crlfJoin("GET "+base+"/messages/"+seg(e.ids[1])+"?$select=Subject HTTP/1.1", `Prefer: outlook.timezone="UTC"`),
		"DELETE "+base+"/messages/"+seg(e.ids[2])+" HTTP/1.1",
	)
	f := e.srv.InjectFault(&Fault{Method: "DELETE", PathContains: "/messages/", Status: 503, RetryAfter: "7"})
	_, parts := e.post(t, base+"/$batch", body, map[string]string{"Prefer": `odata.continue-on-error, outlook.timezone="Pacific Standard Time"`})
	require.Len(t, parts, 4)
	assert.Equal(t, 200, parts[0].StatusCode)
	assert.Equal(t, `outlook.timezone="Pacific Standard Time"`, parts[0].Header.Get("Preference-Applied"), "batch-level Prefer applies")
	assert.Equal(t, 401, parts[1].StatusCode, "a part's own Authorization wins")
	assert.Equal(t, `outlook.timezone="UTC"`, parts[2].Header.Get("Preference-Applied"), "a part's own Prefer wins")
	assert.Equal(t, 503, parts[3].StatusCode)
	assert.Equal(t, "7", parts[3].Header.Get("Retry-After"))
	assert.Equal(t, 1, f.Hits())
	_, _, ok := e.u.Get(e.ids[2])
	assert.True(t, ok, "the failed delete did not run")

	// The batch itself needs a valid token.
	resp, _ := e.post(t, base+"/$batch", body, map[string]string{"Authorization": "Bearer bad"})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// A fault that drops the connection of an operation drops the batch.
	e.srv.InjectFault(&Fault{PathContains: "/messages/", Method: "GET", DropAfterHandler: true, Times: 1})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL()+base+"/$batch", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer good")
	req.Header.Set("Content-Type", "multipart/mixed; boundary=batch_t")
	_, err := e.srv.Client().Do(req)
	assert.Error(t, err)
}

func TestBatchRejectsMalformedBatches(t *testing.T) {
	t.Parallel()
	e := newBatchEnv(t)
	base := "/api/v2.0/users/adele@contoso.com"
	get := "GET " + base + "/messages HTTP/1.1"
	many := make([]string, MaxBatchOperations+1)
	for i := range many {
		many[i] = get
	}
	for _, tc := range []struct {
		name, body, ctype string
	}{
		{"not multipart", `{"requests":[]}`, "application/json"},
		{"no boundary", batchBody("batch_t", get), "multipart/mixed"},
		{"no operations", "--batch_t--\r\n", ""},
		{"too many", batchBody("batch_t", many...), ""},
		{"not http", batchBody("batch_t", "hello world"), ""},
		{"wrong part type", strings.Replace(batchBody("batch_t", get), "application/http", "text/plain", 1), ""},
		{"wrong encoding", strings.Replace(batchBody("batch_t", get), "binary", "base64", 1), ""},
		{"relative request target", batchBody("batch_t", "GET messages HTTP/1.1"), ""},
		{"unterminated", "--batch_t\r\nContent-Type: application/http\r\n\r\n" + get + "\r\n", ""},
	} {
		hdr := map[string]string{}
		if tc.ctype != "" {
			hdr["Content-Type"] = tc.ctype
		}
		resp, _ := e.post(t, base+"/$batch", tc.body, hdr)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, tc.name)
	}
	// Operations that cannot be part of this batch fail alone.
	body := batchBody("batch_t",
		"GET /api/beta/users/adele@contoso.com/messages HTTP/1.1",
		"GET https://elsewhere.example"+base+"/messages HTTP/1.1",
		"POST "+base+"/$batch HTTP/1.1",
		get)
	_, parts := e.post(t, base+"/$batch", body, map[string]string{"Prefer": "odata.continue-on-error"})
	require.Len(t, parts, 4)
	for i, want := range []int{400, 400, 400, 200} {
		assert.Equal(t, want, parts[i].StatusCode, "part %d: %s", i, parts[i].Body)
	}
	_, err := ParseBatchResponse("application/json", nil)
	assert.Error(t, err)
	_, err = ParseBatchResponse("multipart/mixed; boundary=x", []byte("--x\r\n\r\nnot http\r\n--x--"))
	assert.Error(t, err)
}

// The fake writes each operation's response exactly in the reference's
// framing.
func TestBatchResponseWireFormat(t *testing.T) {
	t.Parallel()
	ok := httptest.NewRecorder()
	WriteJSON(ok, http.StatusOK, map[string]string{"Id": "AAMk="})
	failed := httptest.NewRecorder()
	failed.Header().Set("request-id", "r-1")
	WriteError(failed, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
	empty := httptest.NewRecorder()
	empty.WriteHeader(http.StatusNoContent)
	var b bytes.Buffer
	for _, rec := range []*httptest.ResponseRecorder{ok, failed, empty} {
		writeBatchPart(&b, "batchresponse_x", rec)
	}
	b.WriteString("--batchresponse_x--\r\n")
	const ctype = "Content-Type: application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
	assert.Equal(t, crlfJoin(
		"--batchresponse_x",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"HTTP/1.1 200 OK",
		ctype,
		"Odata-Version: 4.0",
		"",
		`{"Id":"AAMk="}`+"\n", // the body as the handler wrote it
		"--batchresponse_x",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"HTTP/1.1 404 Not Found",
		ctype,
		"Odata-Version: 4.0",
		"Request-Id: r-1",
		"",
		`{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}`+"\n",
		"--batchresponse_x",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"HTTP/1.1 204 No Content",
		"",
		"",
		"--batchresponse_x--",
		""), b.String())
	parts, err := ParseBatchResponse("multipart/mixed; boundary=batchresponse_x", b.Bytes())
	require.NoError(t, err)
	require.Len(t, parts, 3)
	assert.Equal(t, `{"Id":"AAMk="}`+"\n", string(parts[0].Body))
	assert.Equal(t, 404, parts[1].StatusCode)
	assert.Empty(t, parts[2].Body)
}
