package office365test_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Raw HTTP tests of the Graph front end's attachment upload sessions.

// putRange sends one range to an upload URL, without Authorization (the
// URL is pre-authenticated), and decodes a JSON answer.
func putRange(t *testing.T, uploadURL string, data []byte, start, total int) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, uploadURL, bytes.NewReader(data))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, start+len(data)-1, total))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if len(raw) > 0 {
		require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	}
	return resp.StatusCode, out, resp.Header
}

// newUploadDraft creates a draft through Graph and returns its id.
func newUploadDraft(t *testing.T, f *graphFake) string {
	t.Helper()
	st, msg, _ := f.do(t, "POST", "/v1.0/me/messages", `{"subject":"Upload"}`)
	require.Equal(t, http.StatusCreated, st, msg)
	return msg["id"].(string)
}

func createSession(t *testing.T, f *graphFake, msgID string, size int) (int, map[string]any) {
	t.Helper()
	st, body, _ := f.do(t, "POST", "/v1.0/me/messages/"+esc(msgID)+"/attachments/createUploadSession",
		fmt.Sprintf(`{"AttachmentItem":{"attachmentType":"file","name":"big.bin","size":%d,"contentType":"application/pdf","isInline":true,"contentId":"c1"}}`, size))
	return st, body
}

func TestGraphUploadSession(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	msgID := newUploadDraft(t, f)
	const size = 3<<20 + 1000
	data := bytes.Repeat([]byte("0123456789abcdefghij"), size/20+1)[:size]

	st, sess := createSession(t, f, msgID, size)
	require.Equal(t, http.StatusCreated, st, sess)
	assert.Equal(t, []any{"0-"}, sess["nextExpectedRanges"])
	assert.Contains(t, sess["@odata.context"], "/v1.0/$metadata#microsoft.graph.uploadSession")
	exp, err := time.Parse(time.RFC3339Nano, sess["expirationDateTime"].(string))
	require.NoError(t, err)
	assert.True(t, exp.After(time.Now()))
	up := sess["uploadUrl"].(string)
	u, err := url.Parse(up)
	require.NoError(t, err)
	assert.Equal(t, strings.TrimPrefix(f.URL(), "http://"), u.Host, "on the fake's host")
	assert.Contains(t, u.Path, "/api/v2.0/Users('")
	assert.Contains(t, u.Path, "/Messages('"+msgID+"')/AttachmentSessions('")
	token := u.Query().Get("authtoken")
	require.GreaterOrEqual(t, len(token), 32, "an opaque token in the query")

	// A wrong token, an unknown session.
	bad := *u
	bad.RawQuery = url.Values{"authtoken": {"nope"}}.Encode()
	st, body, _ := putRange(t, bad.String(), data[:1<<20], 0, size)
	assert.Equal(t, http.StatusUnauthorized, st, body)
	st, body, _ = putRange(t, strings.Replace(up, "AttachmentSessions('", "AttachmentSessions('x", 1), data[:1<<20], 0, size)
	assert.Equal(t, http.StatusNotFound, st, body)

	// Out of order: a gap.
	st, body, _ = putRange(t, up, data[1<<20:2<<20], 1<<20, size)
	assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, st, body)
	// A wrong total, a body that does not match the range.
	st, _, _ = putRange(t, up, data[:1<<20], 0, size+1)
	assert.Equal(t, http.StatusBadRequest, st)

	// In order: 200 with the next expected byte.
	st, body, _ = putRange(t, up, data[:2<<20], 0, size)
	require.Equal(t, http.StatusOK, st, body)
	assert.Equal(t, []any{fmt.Sprint(2 << 20)}, body["nextExpectedRanges"])
	// Overlapping what was received: refused.
	st, body, _ = putRange(t, up, data[1<<20:3<<20], 1<<20, size)
	assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, st, body)
	// GET tells where the session stands.
	st, body, _ = sendRaw(t, "GET", up, "", func(h http.Header) { h.Del("Authorization") })
	require.Equal(t, http.StatusOK, st, body)
	assert.Equal(t, []any{fmt.Sprint(2 << 20)}, body["nextExpectedRanges"])

	// The last range: 201 and the attachment's Location, no body.
	st, body, hdr := putRange(t, up, data[2<<20:], 2<<20, size)
	require.Equal(t, http.StatusCreated, st, body)
	assert.Nil(t, body)
	loc := hdr.Get("Location")
	require.Contains(t, loc, "/Messages('"+msgID+"')/Attachments('")
	attID := loc[strings.LastIndex(loc, "Attachments('")+len("Attachments('") : len(loc)-2]

	// The session is gone; the attachment is in the mailbox, for both
	// dialects.
	st, _, _ = putRange(t, up, data[:10], 0, size)
	assert.Equal(t, http.StatusNotFound, st)
	g := f.get(t, "/v1.0/me/messages/"+esc(msgID)+"/attachments/"+esc(attID))
	assert.Equal(t, "#microsoft.graph.fileAttachment", g["@odata.type"])
	assert.Equal(t, "big.bin", g["name"])
	assert.Equal(t, "application/pdf", g["contentType"])
	assert.Equal(t, true, g["isInline"])
	assert.Equal(t, "c1", g["contentId"])
	assert.EqualValues(t, size, g["size"])
	content, err := base64.StdEncoding.DecodeString(g["contentBytes"].(string))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(data, content))
	st, v2, _ := f.do(t, "GET", "/api/v2.0/me/messages/"+esc(msgID)+"/attachments/"+esc(attID)+"?$select=Name,Size", "")
	require.Equal(t, http.StatusOK, st, v2)
	assert.EqualValues(t, size, v2["Size"])
}

func TestGraphUploadSessionRefusals(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	msgID := newUploadDraft(t, f)

	// Under 3 MB: POST the attachment instead.
	st, body := createSession(t, f, msgID, 3<<20-1)
	require.Equal(t, http.StatusBadRequest, st)
	code, _ := graphErr(t, body)
	assert.Equal(t, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", code)

	// An unknown item.
	st, body, _ = f.do(t, "POST", "/v1.0/me/messages/nope/attachments/createUploadSession",
		`{"AttachmentItem":{"attachmentType":"file","name":"a","size":4000000}}`)
	assert.Equal(t, http.StatusNotFound, st, body)
	// No bearer token on the creation.
	st, _, _ = sendRaw(t, "POST", f.URL()+"/v1.0/me/messages/"+esc(msgID)+"/attachments/createUploadSession",
		`{"AttachmentItem":{"attachmentType":"file","name":"a","size":4000000}}`, func(h http.Header) { h.Del("Authorization") })
	assert.Equal(t, http.StatusUnauthorized, st)

	// Sessions expire; DELETE cancels one.
	st, sess := createSession(t, f, msgID, 4<<20)
	require.Equal(t, http.StatusCreated, st, sess)
	up := sess["uploadUrl"].(string)
	st, sess2 := createSession(t, f, msgID, 4<<20)
	require.Equal(t, http.StatusCreated, st, sess2)
	up2 := sess2["uploadUrl"].(string)
	st, _, _ = sendRaw(t, "DELETE", up2, "", func(h http.Header) { h.Del("Authorization") })
	assert.Equal(t, http.StatusNoContent, st)
	st, _, _ = putRange(t, up2, make([]byte, 10), 0, 4<<20)
	assert.Equal(t, http.StatusNotFound, st, "cancelled")

	st, _, _ = putRange(t, up, make([]byte, 1<<20), 0, 4<<20)
	require.Equal(t, http.StatusOK, st)
	later := time.Now().Add(3 * time.Hour)
	f.SetClock(func() time.Time { return later })
	st, body, _ = putRange(t, up, make([]byte, 1<<20), 1<<20, 4<<20)
	assert.Equal(t, http.StatusNotFound, st, body)
	code, _ = graphErr(t, body)
	assert.Equal(t, "ErrorItemNotFound", code)
}
