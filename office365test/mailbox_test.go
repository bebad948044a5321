package office365test_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/office365test"
)

// Raw HTTP tests of the mailbox fake: addressing, status codes, error
// bodies, OData options, the change feed and the extension points.

type rawFake struct {
	srv  *office365test.Server
	mb   *office365test.Mailbox
	base string
}

func newRawFake(t *testing.T) *rawFake {
	t.Helper()
	srv := office365test.NewServer()
	t.Cleanup(srv.Close)
	mb := office365test.NewMailbox(office365test.WithSampleData())
	mb.Register(srv)
	return &rawFake{srv: srv, mb: mb, base: srv.URL()}
}

// do sends a request and decodes a JSON answer (nil when empty).
func (f *rawFake) do(t *testing.T, method, path string, body string, hdr ...string) (int, map[string]any, http.Header) {
	t.Helper()
	return sendRaw(t, method, f.base+path, body, func(h http.Header) {
		for i := 0; i+1 < len(hdr); i += 2 {
			h.Add(hdr[i], hdr[i+1])
		}
	})
}

// sendRaw sends a request with a bearer token (and a JSON body when body
// is not empty; headers lets the caller add more) and decodes the answer:
// a JSON object, {"raw": …} for other content, nil when empty.
func sendRaw(t *testing.T, method, target, body string, headers func(http.Header)) (int, map[string]any, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	headers(req.Header)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	} else if len(raw) > 0 {
		out = map[string]any{"raw": string(raw)}
	}
	return resp.StatusCode, out, resp.Header
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func firstID(t *testing.T, f *rawFake, path string) string {
	t.Helper()
	st, body, _ := f.do(t, "GET", path+"?$top=1&$select=Subject", "")
	require.Equal(t, 200, st, body)
	return body["value"].([]any)[0].(map[string]any)["Id"].(string)
}

func TestMailboxAddressing(t *testing.T) {
	t.Parallel()
	f := newRawFake(t)
	id := firstID(t, f, "/api/v2.0/me/MailFolders/inbox/messages")
	require.Contains(t, id, "/")
	esc := url.PathEscape(id)
	adele := f.mb.User("adele.vance@contoso.com")

	for _, p := range []string{
		"/api/v2.0/me/messages/" + esc,
		"/api/v2.0/me/messages('" + esc + "')",
		"/API/V2.0/ME/MESSAGES/" + esc,
		"/api/beta/Users('adele.vance@contoso.com')/Messages/" + esc,
		"/api/v1.0/users/ADELE.VANCE@contoso.com/messages/" + esc,
		"/api/v2.0/users/" + adele.ID + "/messages/" + esc,
	} {
		st, body, _ := f.do(t, "GET", p, "")
		require.Equal(t, 200, st, p)
		assert.Equal(t, id, body["Id"], p)
		assert.Contains(t, body["@odata.id"], "/Users('"+adele.ID+"')/Messages('", p)
		assert.Contains(t, body["@odata.etag"], `W/"`)
	}
	// Ids are case-sensitive.
	st, body, _ := f.do(t, "GET", "/api/v2.0/me/messages/"+url.PathEscape(strings.ToLower(id)), "")
	assert.Equal(t, 404, st)
	assert.Equal(t, "ErrorItemNotFound", errCode(body))
	assert.Equal(t, "The specified object was not found in the store.", body["error"].(map[string]any)["message"])

	st, body, _ = f.do(t, "GET", "/api/v3.0/me/messages", "")
	assert.Equal(t, 404, st, body)
	st, body, _ = f.do(t, "GET", "/api/v2.0/users/ghost@contoso.com/messages", "")
	assert.Equal(t, 404, st)
	assert.Equal(t, "ErrorNonExistentMailbox", errCode(body))
	st, body, _ = f.do(t, "PUT", "/api/v2.0/me/messages/"+esc, "{}")
	assert.Equal(t, 405, st, body)
	st, _, _ = f.do(t, "GET", "/api/v2.0/me/nowhere", "")
	assert.Equal(t, 404, st)
	st, body, _ = f.do(t, "GET", "/api/v2.0/me", "")
	require.Equal(t, 200, st)
	assert.Equal(t, "adele.vance@contoso.com", body["EmailAddress"])

	// Beta-only operations are unknown on v2.0.
	st, _, _ = f.do(t, "POST", "/api/v2.0/me/GetMailTips", `{"EmailAddresses":["a@b.c"]}`)
	assert.Equal(t, 404, st)
	st, _, _ = f.do(t, "POST", "/api/beta/me/GetMailTips", `{"EmailAddresses":["a@b.c"],"MailTipsOptions":"automaticReplies"}`)
	assert.Equal(t, 200, st)

	// Unauthenticated requests never reach the fake.
	req, _ := http.NewRequest("GET", f.base+"/api/v2.0/me/messages", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)

	// Tokens map to users for "me".
	require.True(t, f.mb.MapToken("alex-token", "alex.wilber@contoso.com"))
	req, _ = http.NewRequest("GET", f.base+"/api/v2.0/me", nil)
	req.Header.Set("Authorization", "Bearer alex-token")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var me map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&me))
	resp.Body.Close()
	assert.Equal(t, "alex.wilber@contoso.com", me["EmailAddress"])
}

func TestMailboxValidationAndShapes(t *testing.T) {
	t.Parallel()
	f := newRawFake(t)
	// PascalCase only.
	st, body, _ := f.do(t, "POST", "/api/v2.0/me/messages", `{"subject":"camel"}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, "RequestBodyRead", errCode(body))
	st, body, _ = f.do(t, "POST", "/api/v2.0/me/messages", `{"Importance":"Urgent"}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, "ErrorInvalidPropertyValue", errCode(body))
	st, body, _ = f.do(t, "POST", "/api/v2.0/me/messages", `not json`)
	assert.Equal(t, 400, st)
	assert.Equal(t, "RequestBodyRead", errCode(body))
	st, body, _ = f.do(t, "POST", "/api/v2.0/me/sendmail", `{"Message":{"Subject":"x"}}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, "ErrorInvalidRecipients", errCode(body))
	// The documented sample sends SaveToSentItems as a string.
	st, _, _ = f.do(t, "POST", "/api/v2.0/me/sendmail", `{"Message":{"Subject":"x","ToRecipients":[{"EmailAddress":{"Address":"someone@fabrikam.com"}}]},"SaveToSentItems":"false"}`)
	assert.Equal(t, 202, st)
	sent := f.mb.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, []string{"someone@fabrikam.com"}, sent[0].To)

	// Created draft: 201 with the full shape.
	st, body, _ = f.do(t, "POST", "/api/v2.0/me/messages", `{"Subject":"Shape","Body":{"ContentType":"html","Content":"<p>Hi<script>x()</script></p>"},"ToRecipients":[{"EmailAddress":{"Address":"alex.wilber@contoso.com"}}]}`)
	require.Equal(t, 201, st, body)
	for _, k := range []string{"@odata.context", "@odata.id", "@odata.etag", "Id", "CreatedDateTime", "LastModifiedDateTime", "ChangeKey",
		"Categories", "ReceivedDateTime", "SentDateTime", "HasAttachments", "InternetMessageId", "Subject", "Body", "BodyPreview",
		"Importance", "ParentFolderId", "ConversationId", "IsDeliveryReceiptRequested", "IsReadReceiptRequested", "IsRead", "IsDraft",
		"WebLink", "InferenceClassification", "ToRecipients", "CcRecipients", "BccRecipients", "ReplyTo", "Flag"} {
		assert.Contains(t, body, k)
	}
	assert.NotContains(t, body, "UniqueBody", "returned only when selected")
	assert.Equal(t, map[string]any{"ContentType": "HTML", "Content": "<p>Hi</p>"}, body["Body"], "scripts are stripped")
	assert.Equal(t, "Alex Wilber", body["ToRecipients"].([]any)[0].(map[string]any)["EmailAddress"].(map[string]any)["Name"])
	assert.Contains(t, body["@odata.context"], "/api/v2.0/$metadata#Me/Messages/$entity")
	id := url.PathEscape(body["Id"].(string))
	_, body, _ = f.do(t, "GET", "/api/v2.0/me/messages/"+id, "", "Prefer", "outlook.allow-unsafe-html")
	assert.Contains(t, body["Body"].(map[string]any)["Content"], "<script>")
	_, body, _ = f.do(t, "GET", "/api/v2.0/me/messages/"+id+"?$select=UniqueBody,Subject", "")
	assert.Contains(t, body, "UniqueBody")
	assert.NotContains(t, body, "Body")

	// Prefer, comma-joined; Preference-Applied.
	_, body, hdr := f.do(t, "GET", "/api/v2.0/me/messages/"+id, "", "Prefer", `outlook.timezone="Pacific Standard Time", outlook.body-content-type="text"`)
	assert.Equal(t, map[string]any{"ContentType": "Text", "Content": "Hi"}, body["Body"])
	assert.Equal(t, `outlook.body-content-type="text", outlook.timezone="Pacific Standard Time"`, hdr.Get("Preference-Applied"))

	// Paging: nextLink keeps the query and advances $skip.
	st, body, _ = f.do(t, "GET", "/api/v2.0/me/MailFolders('Inbox')/messages?$select=Subject&$top=10&$count=true", "")
	require.Equal(t, 200, st)
	assert.EqualValues(t, 27, body["@odata.count"])
	next, _ := body["@odata.nextLink"].(string)
	assert.Equal(t, f.base+"/api/v2.0/me/MailFolders('Inbox')/messages?$select=Subject&$top=10&$count=true&$skip=10", next)
	_, body, _ = f.do(t, "GET", strings.TrimPrefix(next, f.base), "")
	assert.Len(t, body["value"], 10)
	assert.Len(t, body["value"].([]any)[0], 4, "Id, Subject and the annotations @odata.id, @odata.etag")

	// $count as a path segment is plain text.
	_, body, hdr = f.do(t, "GET", "/api/v2.0/me/MailFolders/Inbox/messages/$count?$filter=IsRead%20eq%20false", "")
	assert.Equal(t, "5", body["raw"])
	assert.True(t, strings.HasPrefix(hdr.Get("Content-Type"), "text/plain"))
	st, body, _ = f.do(t, "GET", "/api/v2.0/me/messages?$filter=ChangeKey%20eq%20'x'", "")
	assert.Equal(t, 400, st)
	assert.Equal(t, "ErrorInvalidProperty", errCode(body))
	st, _, _ = f.do(t, "GET", "/api/v2.0/me/messages?$top=5000", "")
	assert.Equal(t, 400, st)

	// Attachments need their @odata.type.
	st, body, _ = f.do(t, "POST", "/api/v2.0/me/messages/"+id+"/attachments", `{"Name":"x","ContentBytes":"aGk="}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, "RequestBodyRead", errCode(body))
	st, body, _ = f.do(t, "POST", "/api/v2.0/me/messages/"+id+"/attachments", `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"x.txt","ContentBytes":"aGk="}`)
	require.Equal(t, 201, st)
	assert.Equal(t, "#Microsoft.OutlookServices.FileAttachment", body["@odata.type"])
	assert.EqualValues(t, 2, body["Size"])
	_, body, _ = f.do(t, "GET", "/api/v2.0/me/messages/"+id+"?$expand=Attachments&$select=Subject", "")
	assert.Len(t, body["Attachments"], 1)
	assert.Contains(t, body, "Attachments@odata.context")
}

func TestMailboxChangeFeedAndExtension(t *testing.T) {
	t.Parallel()
	f := newRawFake(t)
	var mu sync.Mutex
	var changes []office365test.Change
	stop := f.mb.Subscribe(func(c office365test.Change) {
		mu.Lock()
		changes = append(changes, c)
		mu.Unlock()
	})
	inbox := f.mb.User("alex.wilber@contoso.com").FolderID("Inbox")
	st, _, _ := f.do(t, "POST", "/api/v2.0/users/adele.vance@contoso.com/sendmail",
		`{"Message":{"Subject":"feed","ToRecipients":[{"EmailAddress":{"Address":"alex.wilber@contoso.com"}}]}}`)
	require.Equal(t, 202, st)
	mu.Lock()
	got := append([]office365test.Change(nil), changes...)
	mu.Unlock()
	require.Len(t, got, 2, "a copy in Sent Items and a delivery")
	assert.Equal(t, "adele.vance@contoso.com", got[0].User)
	assert.Equal(t, office365test.ChangeCreated, got[1].Kind)
	assert.Equal(t, office365test.EntityMessage, got[1].EntityType)
	assert.Equal(t, "alex.wilber@contoso.com", got[1].User)
	assert.Equal(t, inbox, got[1].FolderID)
	assert.Equal(t, "feed", got[1].Entity["Subject"])
	assert.Less(t, got[0].Seq, got[1].Seq)

	// Moving is a Deleted plus a Created; updates carry Previous.
	id := url.PathEscape(got[1].ID)
	st, body, _ := f.do(t, "PATCH", "/api/v2.0/users/alex.wilber@contoso.com/messages/"+id, `{"IsRead":true}`)
	require.Equal(t, 200, st, body)
	st, _, _ = f.do(t, "POST", "/api/v2.0/users/alex.wilber@contoso.com/messages/"+id+"/move", `{"DestinationId":"archive"}`)
	require.Equal(t, 201, st)
	stop()
	st, _, _ = f.do(t, "DELETE", "/api/v2.0/users/alex.wilber@contoso.com/messages/"+url.PathEscape(body["Id"].(string)), "")
	assert.Equal(t, 404, st, "the old id is gone after the move")
	mu.Lock()
	kinds := []office365test.ChangeKind{}
	for _, c := range changes[2:] {
		kinds = append(kinds, c.Kind)
	}
	upd := changes[2]
	mu.Unlock()
	assert.Equal(t, []office365test.ChangeKind{office365test.ChangeUpdated, office365test.ChangeCreated, office365test.ChangeDeleted}, kinds)
	assert.Equal(t, false, upd.Previous["IsRead"])
	assert.Equal(t, true, upd.Entity["IsRead"])

	// Another file can add routes to the same mux.
	f.mb.Handle("GET", "widgets/{id}", func(rq *office365test.MailboxRequest) *office365test.Reply {
		return office365test.JSONReply(200, map[string]any{"Id": rq.Param("id"), "User": rq.User.UPN, "Top": rq.Query("$TOP")})
	})
	st, body, _ = f.do(t, "GET", "/api/v2.0/users/megan.bowen@contoso.com/Widgets('a%2Fb')?$top=3", "")
	require.Equal(t, 200, st)
	assert.Equal(t, map[string]any{"Id": "a/b", "User": "megan.bowen@contoso.com", "Top": "3"}, body)

	// Store access for other fakes.
	alex := f.mb.User("alex.wilber@contoso.com")
	eid := alex.Insert(office365test.EntityEvent, "", office365test.Entity{"Subject": "Sync"})
	doc, _, ok := alex.Get(eid)
	require.True(t, ok)
	assert.Equal(t, "Sync", doc["Subject"])
	assert.NotEmpty(t, doc["ChangeKey"])
	assert.True(t, alex.Update(eid, func(d office365test.Entity) { d["Subject"] = "Sync 2" }))
	assert.Len(t, alex.Records(office365test.EntityEvent, ""), 1)
	assert.True(t, alex.Delete(eid))
	assert.False(t, alex.Delete(eid))
}

func TestMailboxDeltaTokens(t *testing.T) {
	t.Parallel()
	f := newRawFake(t)
	path := "/api/v2.0/me/MailFolders('Inbox')/messages?$select=Subject"
	st, body, hdr := f.do(t, "GET", path, "", "Prefer", "odata.track-changes", "Prefer", "odata.maxpagesize=20")
	require.Equal(t, 200, st)
	assert.Contains(t, hdr.Get("Preference-Applied"), "odata.track-changes")
	assert.True(t, strings.HasSuffix(body["@odata.context"].(string), "/$delta"))
	assert.Len(t, body["value"], 20)
	next := strings.TrimPrefix(body["@odata.nextLink"].(string), f.base)
	assert.Contains(t, next, "$select=Subject&$skiptoken=")
	_, body, _ = f.do(t, "GET", next, "")
	assert.Len(t, body["value"], 7)
	delta := strings.TrimPrefix(body["@odata.deltaLink"].(string), f.base)
	assert.Contains(t, delta, "$deltatoken=")

	// A deletion comes back as a removed entity.
	id := body["value"].([]any)[0].(map[string]any)["Id"].(string)
	st, _, _ = f.do(t, "DELETE", "/api/v2.0/me/messages/"+url.PathEscape(id), "")
	require.Equal(t, 204, st)
	_, body, _ = f.do(t, "GET", delta, "", "Prefer", "odata.track-changes")
	require.Len(t, body["value"], 1)
	removed := body["value"].([]any)[0].(map[string]any)
	assert.Equal(t, id, removed["Id"])
	assert.Equal(t, "deleted", removed["reason"])
	assert.True(t, strings.HasSuffix(removed["@odata.context"].(string), "/$deletedEntity"))

	// Tokens are checked.
	st, body, _ = f.do(t, "GET", "/api/v2.0/me/MailFolders('Inbox')/messages?$deltatoken=garbage", "", "Prefer", "odata.track-changes")
	assert.Equal(t, 400, st)
	assert.Equal(t, "ErrorInvalidSyncStateData", errCode(body))
	st, _, _ = f.do(t, "GET", strings.Replace(delta, "'Inbox'", "'Drafts'", 1), "", "Prefer", "odata.track-changes")
	assert.Equal(t, 400, st, "a token of another folder")
	st, body, _ = f.do(t, "GET", "/api/v2.0/me/MailFolders('Inbox')/messages?$filter=Subject%20eq%20'x'", "", "Prefer", "odata.track-changes")
	assert.Equal(t, 400, st)
	assert.Equal(t, "ErrorInvalidProperty", errCode(body))
	st, _, _ = f.do(t, "GET", "/api/v2.0/me/MailFolders('Inbox')/messages?$filter=ReceivedDateTime%20ge%202016-01-01T00:00:00Z", "", "Prefer", "odata.track-changes")
	assert.Equal(t, 200, st)
}

func TestMailboxClockAndSeed(t *testing.T) {
	t.Parallel()
	at := time.Date(2020, 5, 1, 12, 0, 0, 0, time.UTC)
	srv := office365test.NewServer(office365test.WithClock(func() time.Time { return at }))
	t.Cleanup(srv.Close)
	mb := office365test.NewMailbox()
	mb.Register(srv)
	u := mb.AddUser("solo@fabrikam.com", "Solo")
	assert.Same(t, u, mb.AddUser("SOLO@fabrikam.com", ""))
	assert.Same(t, u, mb.Me())
	ids := u.SeedMessages("Inbox", office365test.SeedMessage{From: "x@y.z", Subject: "one", Attachments: []office365test.SeedAttachment{{Name: "a.bin", Content: []byte{1, 2}}}})
	recs := u.Records(office365test.EntityMessage, "inbox")
	require.Len(t, recs, 1)
	assert.Equal(t, ids[0], recs[0].ID)
	assert.Equal(t, "2020-05-01T12:00:00Z", recs[0].Doc["ReceivedDateTime"])
	assert.Equal(t, true, recs[0].Doc["HasAttachments"])
	assert.Len(t, recs[0].Attachments, 1)
	assert.Panics(t, func() { u.SeedMessages("nope", office365test.SeedMessage{}) })
	assert.Len(t, mb.Users(), 1)
}
