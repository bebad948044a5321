package office365test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hook is a test receiver: it echoes validation tokens and records
// notification requests; answer decides the status of each notification
// request.
type hook struct {
	srv *httptest.Server

	mu          sync.Mutex
	validations []*http.Request
	tokens      []string
	posts       []hookPost
	answer      func(n int) int // status for the n-th notification request (0-based)
	echo        func(token string) (status int, ctype, body string)
}

type hookPost struct {
	clientState string
	ctype       string
	body        struct {
		Value []struct {
			ODataType                      string          `json:"@odata.type"`
			ID                             *string         `json:"Id"`
			SubscriptionID                 string          `json:"SubscriptionId"`
			SubscriptionExpirationDateTime string          `json:"SubscriptionExpirationDateTime"`
			SequenceNumber                 int64           `json:"SequenceNumber"`
			ChangeType                     string          `json:"ChangeType"`
			Resource                       string          `json:"Resource"`
			ResourceData                   json.RawMessage `json:"ResourceData"`
		} `json:"value"`
	}
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		if tok := r.URL.Query().Get("validationtoken"); tok != "" {
			h.validations = append(h.validations, r)
			h.tokens = append(h.tokens, tok)
			status, ctype, body := 200, "text/plain; charset=utf-8", tok
			if h.echo != nil {
				status, ctype, body = h.echo(tok)
			}
			w.Header().Set("Content-Type", ctype)
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			return
		}
		var p hookPost
		p.clientState, p.ctype = r.Header.Get("ClientState"), r.Header.Get("Content-Type")
		data, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(data, &p.body))
		n := len(h.posts)
		h.posts = append(h.posts, p)
		status := http.StatusAccepted
		if h.answer != nil {
			status = h.answer(n)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) received() []hookPost {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookPost(nil), h.posts...)
}

// pushEnv is a server with a mailbox and the push fake.
type pushEnv struct {
	srv  *Server
	mb   *Mailbox
	u    *MailboxUser
	push *Push
	now  time.Time
	mu   sync.Mutex
}

func newPushEnv(t *testing.T, opts ...PushOption) *pushEnv {
	t.Helper()
	e := &pushEnv{now: time.Date(2017, 5, 1, 9, 0, 0, 0, time.UTC)}
	e.srv = NewServer(WithClock(func() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }))
	t.Cleanup(e.srv.Close)
	e.mb = NewMailbox()
	e.mb.Register(e.srv)
	e.u = e.mb.AddUser("adele@contoso.com", "Adele Vance")
	e.push = NewPush(append([]PushOption{PushRetry(3, time.Millisecond)}, opts...)...)
	e.push.Register(e.mb)
	t.Cleanup(e.push.Close)
	return e
}

func (e *pushEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

func (e *pushEnv) do(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL()+"/api/v2.0/users/adele@contoso.com"+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

func (e *pushEnv) subscribe(t *testing.T, h *hook, resource, changeType, clientState string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{
		"@odata.type": "#Microsoft.OutlookServices.PushSubscription", "Resource": e.srv.URL() + "/api/v2.0/users/adele@contoso.com/" + resource,
		"NotificationURL": h.srv.URL + "/notify?tenant=1", "ChangeType": changeType, "ClientState": clientState,
	})
	return e.do(t, http.MethodPost, "/subscriptions", string(b))
}

func (e *pushEnv) wait(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, e.push.Wait(ctx))
}

func TestPushSubscribeValidatesTheReceiver(t *testing.T) {
	t.Parallel()
	e := newPushEnv(t)
	h := newHook(t)
	status, sub := e.subscribe(t, h, "MailFolders('Inbox')/messages", "Created, Updated", "opaque-secret")
	require.Equal(t, http.StatusCreated, status, sub)
	assert.Equal(t, "#Microsoft.OutlookServices.PushSubscription", sub["@odata.type"])
	assert.Equal(t, "Created, Updated, Missed", sub["ChangeType"])
	assert.Equal(t, "2017-05-04T09:00:00.0000000Z", sub["SubscriptionExpirationDateTime"], "3 days by default")
	assert.NotContains(t, sub, "ClientState")
	assert.NotEmpty(t, sub["Id"])
	require.Len(t, h.validations, 1)
	v := h.validations[0]
	assert.Equal(t, http.MethodPost, v.Method)
	assert.Equal(t, "opaque-secret", v.Header.Get("ClientState"))
	assert.Equal(t, "1", v.URL.Query().Get("tenant"), "the URL's own query is kept")
	assert.Contains(t, h.tokens[0], "Validation: ", "the token has spaces and colons")

	id := sub["Id"].(string)
	status, got := e.do(t, http.MethodGet, "/subscriptions('"+strings.ReplaceAll(id, "/", "%2F")+"')", "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, id, got["Id"])
	assert.NotContains(t, got, "ClientState")
	require.Len(t, e.push.Subscriptions(), 1)

	for name, echo := range map[string]func(string) (int, string, string){
		"wrong token":  func(tok string) (int, string, string) { return 200, "text/plain", tok + "x" },
		"html":         func(tok string) (int, string, string) { return 200, "text/html", tok },
		"status":       func(tok string) (int, string, string) { return 202, "text/plain", tok },
		"server error": func(tok string) (int, string, string) { return 500, "text/plain", tok },
	} {
		h.mu.Lock()
		h.echo = echo
		h.mu.Unlock()
		status, body := e.subscribe(t, h, "messages", "Created", "")
		assert.Equal(t, http.StatusBadRequest, status, name)
		assert.Contains(t, body["error"].(map[string]any)["message"], "validation failed", name)
	}
	assert.Len(t, e.push.Subscriptions(), 1, "failed validations create nothing")
}

func TestPushSubscribeRejectsBadRequests(t *testing.T) {
	t.Parallel()
	// The timeout must leave a loaded machine time to answer the valid
	// handshake; the slow receiver outlasts it and ends with the request.
	e := newPushEnv(t, PushValidationTimeout(time.Second))
	h := newHook(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)
	base := e.srv.URL() + "/api/v2.0/users/adele@contoso.com/"
	valid := map[string]any{"@odata.type": "#Microsoft.OutlookServices.PushSubscription", "Resource": base + "messages",
		"NotificationURL": h.srv.URL, "ChangeType": "Created"}
	for name, change := range map[string]func(m map[string]any){
		"streaming type":   func(m map[string]any) { m["@odata.type"] = "#Microsoft.OutlookServices.StreamingSubscription" },
		"no resource":      func(m map[string]any) { delete(m, "Resource") },
		"bad resource":     func(m map[string]any) { m["Resource"] = base + "MailboxSettings" },
		"relative":         func(m map[string]any) { m["Resource"] = "me/messages" },
		"other user":       func(m map[string]any) { m["Resource"] = e.srv.URL() + "/api/v2.0/users/alex@contoso.com/messages" },
		"no folder":        func(m map[string]any) { m["Resource"] = base + "MailFolders('nope')/messages" },
		"bad filter":       func(m map[string]any) { m["Resource"] = base + "messages?$filter=contains(Subject,'x')" },
		"no change type":   func(m map[string]any) { m["ChangeType"] = "" },
		"bad change type":  func(m map[string]any) { m["ChangeType"] = "Created, Moved" },
		"long state":       func(m map[string]any) { m["ClientState"] = strings.Repeat("s", 256) },
		"not a string":     func(m map[string]any) { m["ClientState"] = 5 },
		"past expiry":      func(m map[string]any) { m["SubscriptionExpirationDateTime"] = "2017-04-30T00:00:00Z" },
		"bad expiry":       func(m map[string]any) { m["SubscriptionExpirationDateTime"] = "soon" },
		"not loopback":     func(m map[string]any) { m["NotificationURL"] = "https://hooks.example.com/x" },
		"ftp":              func(m map[string]any) { m["NotificationURL"] = "ftp://127.0.0.1/x" },
		"unknown property": func(m map[string]any) { m["Id"] = "x" },
		"slow receiver":    func(m map[string]any) { m["NotificationURL"] = slow.URL },
	} {
		m := map[string]any{}
		for k, v := range valid {
			m[k] = v
		}
		change(m)
		b, _ := json.Marshal(m)
		status, body := e.do(t, http.MethodPost, "/subscriptions", string(b))
		assert.GreaterOrEqual(t, status, 400, name)
		assert.Less(t, status, 500, name)
		assert.NotNil(t, body["error"], name)
	}
	assert.Empty(t, e.push.Subscriptions())
	status, _ := e.do(t, http.MethodPost, "/subscriptions", "{")
	assert.Equal(t, http.StatusBadRequest, status)
	// The expiry is clamped to 3 days.
	m := map[string]any{}
	for k, v := range valid {
		m[k] = v
	}
	m["SubscriptionExpirationDateTime"] = "2017-06-01T00:00:00Z"
	b, _ := json.Marshal(m)
	status, body := e.do(t, http.MethodPost, "/subscriptions", string(b))
	require.Equal(t, http.StatusCreated, status)
	assert.Equal(t, "2017-05-04T09:00:00.0000000Z", body["SubscriptionExpirationDateTime"])
}

func TestPushDeliversMailboxChanges(t *testing.T) {
	t.Parallel()
	e := newPushEnv(t)
	h := newHook(t)
	status, sub := e.subscribe(t, h, "MailFolders('inbox')/messages", "Created, Updated, Deleted", "opaque-secret")
	require.Equal(t, http.StatusCreated, status)
	subID := sub["Id"].(string)

	ids := e.u.SeedMessages("Inbox", SeedMessage{From: "alex@contoso.com", Subject: "hello"})
	e.u.SeedMessages("Drafts", SeedMessage{Subject: "not in the inbox"})
	e.wait(t)
	require.True(t, e.u.Update(ids[0], func(d Entity) { d["IsRead"] = true }))
	e.wait(t)
	require.True(t, e.u.Delete(ids[0]))
	e.wait(t)

	posts := h.received()
	var changes []string
	var seqs []int64
	for _, p := range posts {
		assert.Equal(t, "opaque-secret", p.clientState)
		assert.Equal(t, "application/json", p.ctype)
		for _, n := range p.body.Value {
			changes = append(changes, n.ChangeType)
			seqs = append(seqs, n.SequenceNumber)
			assert.Equal(t, subID, n.SubscriptionID)
			assert.Nil(t, n.ID)
			assert.Equal(t, "#Microsoft.OutlookServices.Notification", n.ODataType)
			assert.Equal(t, "2017-05-04T09:00:00.0000000Z", n.SubscriptionExpirationDateTime)
			assert.True(t, strings.HasSuffix(n.Resource, "/Messages('"+ids[0]+"')"), n.Resource)
			assert.Contains(t, n.Resource, "/api/v2.0/Users('"+e.u.ID+"')/")
			var rd map[string]any
			require.NoError(t, json.Unmarshal(n.ResourceData, &rd))
			assert.Equal(t, ids[0], rd["Id"])
			assert.Equal(t, "#Microsoft.OutlookServices.Message", rd["@odata.type"])
		}
	}
	assert.Equal(t, []string{"Created", "Updated", "Deleted"}, changes)
	assert.Equal(t, []int64{1, 2, 3}, seqs)
	assert.Equal(t, int64(3), e.push.Subscriptions()[0].LastSequenceNumber)
}

// A subscription narrowed with $filter reports an item entering the filter
// as Created and leaving it as Deleted.
func TestPushFilteredResource(t *testing.T) {
	t.Parallel()
	e := newPushEnv(t)
	h := newHook(t)
	status, _ := e.subscribe(t, h, "MailFolders('inbox')/messages?$filter=IsRead%20eq%20false", "Created, Updated, Deleted", "s")
	require.Equal(t, http.StatusCreated, status)
	ids := e.u.SeedMessages("Inbox", SeedMessage{Subject: "unread"}, SeedMessage{Subject: "read", IsRead: true})
	e.wait(t)
	e.u.Update(ids[0], func(d Entity) { d["Subject"] = "still unread" })
	e.wait(t)
	e.u.Update(ids[0], func(d Entity) { d["IsRead"] = true })
	e.wait(t)
	e.u.Update(ids[1], func(d Entity) { d["IsRead"] = false })
	e.wait(t)
	var got []string
	for _, p := range h.received() {
		for _, n := range p.body.Value {
			id := n.Resource[strings.LastIndex(n.Resource, "('")+2 : len(n.Resource)-2]
			got = append(got, n.ChangeType+":"+map[string]string{ids[0]: "0", ids[1]: "1"}[id])
		}
	}
	assert.Equal(t, []string{"Created:0", "Updated:0", "Deleted:0", "Created:1"}, got)
}

// Failed deliveries are retried; when a request is given up a Missed
// notification follows.
func TestPushRetriesAndMissed(t *testing.T) {
	t.Parallel()
	e := newPushEnv(t)
	h := newHook(t)
	h.answer = func(n int) int {
		switch n {
		case 0:
			return http.StatusServiceUnavailable // retried, then accepted
		case 2, 3, 4:
			return http.StatusInternalServerError // three attempts: given up
		}
		return http.StatusOK
	}
	status, _ := e.subscribe(t, h, "messages", "Created", "s")
	require.Equal(t, http.StatusCreated, status)
	e.u.SeedMessages("Inbox", SeedMessage{Subject: "one"})
	e.wait(t)
	e.u.SeedMessages("Inbox", SeedMessage{Subject: "two"})
	e.wait(t)
	var got []string
	for _, p := range h.received() {
		var parts []string
		for _, n := range p.body.Value {
			parts = append(parts, n.ChangeType+"#"+strconv.FormatInt(n.SequenceNumber, 10))
		}
		got = append(got, strings.Join(parts, ","))
	}
	assert.Equal(t, []string{"Created#1", "Created#1", "Created#2", "Created#2", "Created#2", "Missed#3"}, got)
	d := e.push.Deliveries()
	require.Len(t, d, 6)
	assert.Equal(t, 503, d[0].Status)
	assert.Equal(t, 2, d[1].Attempt)
	assert.Equal(t, 3, d[4].Attempt)

	// A receiver refusing a request (403) is not retried.
	h.mu.Lock()
	h.answer = func(int) int { return http.StatusForbidden }
	h.mu.Unlock()
	e.u.SeedMessages("Inbox", SeedMessage{Subject: "three"})
	e.wait(t)
	assert.Len(t, e.push.Deliveries(), 8, "one refused request, then one refused Missed")
}

func TestPushRenewExpireDelete(t *testing.T) {
	t.Parallel()
	e := newPushEnv(t)
	h := newHook(t)
	status, sub := e.subscribe(t, h, "messages", "Created", "s")
	require.Equal(t, http.StatusCreated, status)
	path := "/subscriptions/" + strings.ReplaceAll(sub["Id"].(string), "/", "%2F")

	e.advance(24 * time.Hour)
	status, got := e.do(t, http.MethodPatch, path, `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","SubscriptionExpirationDateTime":"2017-05-03T00:00:00Z"}`)
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, "2017-05-03T00:00:00.0000000Z", got["SubscriptionExpirationDateTime"])
	status, got = e.do(t, http.MethodPatch, path, `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription"}`)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "2017-05-05T09:00:00.0000000Z", got["SubscriptionExpirationDateTime"], "an empty renewal extends to 3 days")
	status, _ = e.do(t, http.MethodPatch, path, `{"SubscriptionExpirationDateTime":"2017-01-01T00:00:00Z"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _ = e.do(t, http.MethodPatch, path, `{"Resource":"x"}`)
	assert.Equal(t, http.StatusBadRequest, status)

	// Past its expiry a subscription is gone: no notifications, 404.
	e.advance(3 * 24 * time.Hour)
	e.u.SeedMessages("Inbox", SeedMessage{Subject: "late"})
	e.wait(t)
	assert.Empty(t, h.received())
	status, _ = e.do(t, http.MethodGet, path, "")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = e.do(t, http.MethodPatch, path, `{}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Empty(t, e.push.Subscriptions())

	status, sub = e.subscribe(t, h, "messages", "Created", "s")
	require.Equal(t, http.StatusCreated, status)
	path = "/subscriptions/" + strings.ReplaceAll(sub["Id"].(string), "/", "%2F")
	status, _ = e.do(t, http.MethodDelete, path, "")
	assert.Equal(t, http.StatusNoContent, status)
	status, _ = e.do(t, http.MethodDelete, path, "")
	assert.Equal(t, http.StatusNotFound, status)

	status, sub = e.subscribe(t, h, "messages", "Created", "s")
	require.Equal(t, http.StatusCreated, status)
	assert.True(t, e.push.Expire(sub["Id"].(string)))
	assert.False(t, e.push.Expire(sub["Id"].(string)))
}
