package office365test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamEnv is the streaming fake reached in memory inside a synctest
// bubble.
type streamEnv struct {
	srv  *Server
	st   *Streaming
	mb   *Mailbox
	pt   *PipeTransport
	http *http.Client
}

func inStreamBubble(t *testing.T, withMailbox bool, opts []StreamingOption, f func(t *testing.T, e *streamEnv)) {
	t.Helper()
	srv := NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		e := &streamEnv{srv: srv}
		if withMailbox {
			e.mb = NewMailbox()
			e.mb.AddUser("adele@contoso.com", "Adele Vance")
			e.mb.AddUser("alex@contoso.com", "Alex Wilber")
			e.mb.Register(srv)
			opts = append(opts, StreamingMailbox(e.mb))
		}
		e.st = NewStreaming(opts...)
		defer e.st.Close()
		e.st.Register(srv)
		e.pt = NewPipeTransport(srv)
		defer e.pt.Close()
		e.http = e.pt.Client()
		f(t, e)
	})
}

func (e *streamEnv) post(t *testing.T, path string, body any) *http.Response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.http.Do(req)
	require.NoError(t, err)
	return resp
}

func (e *streamEnv) subscribe(t *testing.T, path, resource, changes string) (int, map[string]any) {
	t.Helper()
	resp := e.post(t, path, map[string]string{
		"@odata.type": "#Microsoft.OutlookServices.StreamingSubscription", "Resource": resource, "ChangeType": changes,
	})
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// stream reads a response body in the background.
type stream struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	err  error
	done chan struct{}
	body io.ReadCloser
}

func readStream(body io.ReadCloser) *stream {
	s := &stream{done: make(chan struct{}), body: body}
	go func() {
		defer close(s.done)
		p := make([]byte, 4096)
		for {
			n, err := body.Read(p)
			s.mu.Lock()
			s.buf.Write(p[:n])
			if err != nil {
				s.err = err
				s.mu.Unlock()
				return
			}
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *stream) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// wait waits for the body to end by itself and returns the read error
// (nil for a normal end).
func (s *stream) wait() error {
	<-s.done
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// abort hangs up, as a client giving up on a connection.
func (s *stream) abort() {
	s.body.Close()
	<-s.done
}

func (e *streamEnv) listen(t *testing.T, path string, timeoutMin, keepAliveSec int, ids ...string) (*http.Response, *stream) {
	t.Helper()
	resp := e.post(t, path, map[string]any{
		"ConnectionTimeoutInMinutes": timeoutMin, "KeepAliveNotificationIntervalInSeconds": keepAliveSec, "SubscriptionIds": ids,
	})
	if resp.StatusCode != http.StatusOK {
		return resp, nil
	}
	return resp, readStream(resp.Body)
}

func TestStreamingFramingOnTheWire(t *testing.T) {
	inStreamBubble(t, false, nil, func(t *testing.T, e *streamEnv) {
		status, sub := e.subscribe(t, "/api/beta/me/subscriptions", "https://outlook.office.com/api/beta/me/mailfolders('inbox')/Messages", "Created,Updated,Deleted")
		require.Equal(t, http.StatusCreated, status)
		id := sub["Id"].(string)
		assert.Equal(t, "#Microsoft.OutlookServices.StreamingSubscription", sub["@odata.type"])
		assert.Equal(t, e.srv.URL()+"/api/beta/$metadata#Me/Subscriptions/$entity", sub["@odata.context"])
		assert.Equal(t, "https://outlook.office.com/api/beta/me/mailfolders('inbox')/Messages", sub["Resource"])
		assert.Equal(t, "Created, Updated, Deleted, Missed", sub["ChangeType"])
		assert.Contains(t, sub["@odata.id"], "/api/beta/Users('me')/Subscriptions('"+id+"')")

		start := time.Now()
		resp, s := e.listen(t, "/api/beta/me/GetNotifications", 1, 7, id)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
		assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"))
		synctest.Wait()
		preamble := `{"@odata.context":"` + e.srv.URL() + `/api/beta/$metadata#Notifications","value":[`
		assert.Equal(t, preamble, s.text(), "the preamble is flushed at once")

		time.Sleep(7 * time.Second)
		synctest.Wait()
		assert.Equal(t, preamble+KeepAliveJSON, s.text(), "first object bare")
		time.Sleep(2 * time.Second)
		seqs, err := e.st.Inject(id, StreamInjection{ChangeType: "Updated", Resource: "https://x/Messages('A')",
			ResourceData: map[string]any{"Id": "A", "Subject": "a } ] , \" {"}})
		require.NoError(t, err)
		assert.Equal(t, []int64{1}, seqs)
		synctest.Wait()
		expiry := time.Now().Add(90 * time.Minute).UTC().Format("2006-01-02T15:04:05.0000000Z")
		note := `,{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"` + id +
			`","SubscriptionExpirationDateTime":"` + expiry + `","SequenceNumber":1,"ChangeType":"Updated","Resource":"https://x/Messages('A')",` +
			`"ResourceData":{"Id":"A","Subject":"a } ] , \" {"}}`
		assert.Equal(t, preamble+KeepAliveJSON+note, s.text())

		time.Sleep(time.Minute - 9*time.Second)
		synctest.Wait()
		assert.NoError(t, s.wait(), "the body ends normally")
		text := s.text()
		assert.Equal(t, 7, strings.Count(text, ","+KeepAliveJSON), "a keep-alive every 7 s: 14 s … 56 s after the bare one")
		assert.True(t, strings.HasSuffix(text, KeepAliveJSON+"]}"), "ends with ]} at ConnectionTimeoutInMinutes")
		assert.Equal(t, time.Minute, time.Since(start))
		var doc struct{ Value []map[string]any }
		require.NoError(t, json.Unmarshal([]byte(text), &doc), "the whole body is one JSON document")
		assert.Len(t, doc.Value, 9)

		assert.Equal(t, []StreamNotification{{SubscriptionID: id, SequenceNumber: 1, ChangeType: "Updated",
			Resource: "https://x/Messages('A')", Time: start.Add(9 * time.Second).UTC()}}, e.st.Notifications())
	})
}

func TestStreamingSubscribeValidation(t *testing.T) {
	inStreamBubble(t, false, nil, func(t *testing.T, e *streamEnv) {
		for _, tc := range []struct {
			resource, changes string
			status            int
		}{
			{"me/messages", "Created", http.StatusCreated},
			{"messages?$select=Subject,From", "Created, Deleted", http.StatusCreated},
			{e.srv.URL() + "/api/beta/me/taskfolders('AAMk')/tasks", "Updated", http.StatusCreated},
			{"calendars('c')/events?$filter=Subject eq 'x'", "Created", http.StatusCreated},
			{"", "Created", http.StatusBadRequest},
			{"me/messages", "", http.StatusBadRequest},
			{"me/messages", "Created,Moved", http.StatusBadRequest},
			{"me/mailfolders('inbox')/events", "Created", http.StatusBadRequest},
			{"me/messages/AAMk", "Created", http.StatusBadRequest},
			{"me/messages?$top=3", "Created", http.StatusBadRequest},
			{"me/messages?$filter=contains(Subject,'x')", "Created", http.StatusBadRequest},
			{"users/alex@contoso.com/messages", "Created", http.StatusBadRequest},
			{"https://example.com/other", "Created", http.StatusBadRequest},
		} {
			status, body := e.subscribe(t, "/api/beta/me/subscriptions", tc.resource, tc.changes)
			assert.Equal(t, tc.status, status, "%s %s: %v", tc.resource, tc.changes, body)
		}
		status, body := e.subscribe(t, "/api/beta/users/alex@contoso.com/subscriptions", "users/Alex@Contoso.com/messages", "Deleted")
		assert.Equal(t, http.StatusCreated, status, "%v", body)
		assert.Equal(t, "Deleted, Missed", body["ChangeType"])
		subs := e.st.Subscriptions()
		require.Len(t, subs, 5)
		assert.Equal(t, "alex@contoso.com", subs[4].User)
		assert.Equal(t, []string{"Deleted"}, subs[4].ChangeTypes)

		// A push subscription is not the streaming fake's: it goes on to
		// the next handler (none here).
		resp := e.post(t, "/api/beta/me/subscriptions", map[string]string{
			"@odata.type": "#Microsoft.OutlookServices.PushSubscription", "Resource": "me/messages",
			"NotificationURL": "https://example.com/hook", "ChangeType": "Created"})
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}

func TestStreamingGetNotificationsErrors(t *testing.T) {
	inStreamBubble(t, false, []StreamingOption{StreamingLifetime(10 * time.Minute)}, func(t *testing.T, e *streamEnv) {
		_, a := e.subscribe(t, "/api/beta/me/subscriptions", "me/messages", "Created")
		_, b := e.subscribe(t, "/api/beta/me/subscriptions", "me/events", "Created")
		_, other := e.subscribe(t, "/api/beta/users/alex@contoso.com/subscriptions", "messages", "Created")
		idA, idB := a["Id"].(string), b["Id"].(string)
		for _, tc := range []struct {
			body   map[string]any
			status int
			msg    string
		}{
			{map[string]any{"KeepAliveNotificationIntervalInSeconds": 5, "SubscriptionIds": []string{idA}}, 400, "ConnectionTimeoutInMinutes"},
			{map[string]any{"ConnectionTimeoutInMinutes": 121, "KeepAliveNotificationIntervalInSeconds": 5, "SubscriptionIds": []string{idA}}, 400, "ConnectionTimeoutInMinutes"},
			{map[string]any{"ConnectionTimeoutInMinutes": 1, "KeepAliveNotificationIntervalInSeconds": 0, "SubscriptionIds": []string{idA}}, 400, "KeepAlive"},
			{map[string]any{"ConnectionTimeoutInMinutes": 1, "KeepAliveNotificationIntervalInSeconds": 5}, 400, "SubscriptionIds"},
			{map[string]any{"ConnectionTimeoutInMinutes": 1, "KeepAliveNotificationIntervalInSeconds": 5, "SubscriptionIds": []string{idA, "nope", other["Id"].(string)}}, 404,
				"The subscriptions 'nope', '" + other["Id"].(string) + "' were not found or have expired."},
		} {
			resp := e.post(t, "/api/beta/me/GetNotifications", tc.body)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode, "%v", tc.body)
			assert.Contains(t, string(body), tc.msg)
		}
		resp, err := e.http.Get(e.srv.URL() + "/api/beta/me/GetNotifications")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the server checks the token first")

		// Expiry: a listened-to subscription is renewed; the other expires
		// 10 minutes after it was created.
		_, s := e.listen(t, "/api/beta/me/GetNotifications", 15, 30, idA)
		time.Sleep(11 * time.Minute)
		synctest.Wait()
		assert.True(t, e.st.Subscriptions()[0].Listening)
		s.abort()
		synctest.Wait()
		resp, _ = e.listen(t, "/api/beta/me/GetNotifications", 1, 5, idB)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Contains(t, string(body), "ErrorItemNotFound")
		assert.Contains(t, string(body), "'"+idB+"'")

		time.Sleep(9 * time.Minute)
		_, s = e.listen(t, "/api/beta/me/GetNotifications", 1, 5, idA)
		require.NotNil(t, s, "renewed until the connection ended: still valid 9 minutes later")
		s.abort()
		synctest.Wait()
		time.Sleep(11 * time.Minute)
		resp, _ = e.listen(t, "/api/beta/me/GetNotifications", 1, 5, idA)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		_, err = e.st.Inject(idA)
		assert.Error(t, err)
	})
}

func TestStreamingOverflowAndKnobs(t *testing.T) {
	inStreamBubble(t, false, []StreamingOption{StreamingBufferSize(2)}, func(t *testing.T, e *streamEnv) {
		_, sub := e.subscribe(t, "/api/beta/me/subscriptions", "me/messages", "Created")
		id := sub["Id"].(string)
		seqs, err := e.st.Inject(id, StreamInjection{}, StreamInjection{}, StreamInjection{}, StreamInjection{})
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 2, 3, 4}, seqs)
		var kinds []string
		for _, n := range e.st.Notifications() {
			kinds = append(kinds, n.ChangeType)
		}
		assert.Equal(t, []string{"Created", "Created", "Missed", "Created"}, kinds, "the third overflows the queue of 2")
		assert.Equal(t, 2, e.st.Subscriptions()[0].Queued)

		_, s := e.listen(t, "/api/beta/me/GetNotifications", 30, 5, id)
		synctest.Wait()
		text := s.text()
		assert.Contains(t, text, `"SequenceNumber":3,"ChangeType":"Missed"}`, "Missed carries no Resource")
		assert.Contains(t, text, `,{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"`+id)
		assert.Equal(t, 1, e.st.Connections())

		e.st.EndConnections()
		assert.NoError(t, s.wait())
		assert.True(t, strings.HasSuffix(s.text(), "]}"))

		_, s = e.listen(t, "/api/beta/me/GetNotifications", 30, 5, id)
		synctest.Wait()
		e.st.DropConnections()
		assert.ErrorIs(t, s.wait(), io.ErrUnexpectedEOF)

		_, s = e.listen(t, "/api/beta/me/GetNotifications", 30, 5, id)
		synctest.Wait()
		e.st.StallConnections()
		before := s.text()
		_, err = e.st.Inject(id, StreamInjection{})
		require.NoError(t, err)
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		assert.Equal(t, before, s.text(), "a stalled connection sends nothing, not even ]}")
		assert.Zero(t, e.st.Subscriptions()[0].Queued, "and swallows notifications")
		s.abort()
		synctest.Wait()
		assert.Zero(t, e.st.Connections(), "until the client hangs up")
	})
}

func TestStreamingMailboxChanges(t *testing.T) {
	inStreamBubble(t, true, nil, func(t *testing.T, e *streamEnv) {
		status, body := e.subscribe(t, "/api/beta/me/subscriptions",
			e.srv.URL()+"/api/beta/me/mailfolders('Inbox')/messages?$filter=IsRead%20eq%20false&$select=Subject,IsRead", "Created,Updated,Deleted")
		require.Equal(t, http.StatusCreated, status, "%v", body)
		inboxSub := body["Id"].(string)
		status, body = e.subscribe(t, "/api/beta/users/alex@contoso.com/subscriptions", "messages", "Created")
		require.Equal(t, http.StatusCreated, status, "%v", body)
		alexSub := body["Id"].(string)
		status, _ = e.subscribe(t, "/api/beta/me/subscriptions", "mailfolders('NoSuchFolder')/messages", "Created")
		assert.Equal(t, http.StatusNotFound, status)

		adele := e.mb.User("adele@contoso.com")
		inbox := adele.FolderID("Inbox")
		id := adele.Insert(EntityMessage, inbox, Entity{"Subject": "Quarterly {report}", "IsRead": false})
		adele.Insert(EntityMessage, adele.FolderID("Drafts"), Entity{"Subject": "draft", "IsRead": false})
		adele.Update(id, func(d Entity) { d["Subject"] = "Quarterly report v2" })
		adele.Update(id, func(d Entity) { d["IsRead"] = true }) // leaves the filter
		adele.Update(id, func(d Entity) { d["Subject"] = "ignored while read" })
		adele.Update(id, func(d Entity) { d["IsRead"] = false }) // enters it again
		adele.Delete(id)
		e.mb.User("alex@contoso.com").Insert(EntityMessage, "", Entity{"Subject": "for Alex"})

		got := map[string][]string{}
		for _, n := range e.st.Notifications() {
			got[n.SubscriptionID] = append(got[n.SubscriptionID], n.ChangeType)
		}
		assert.Equal(t, []string{"Created", "Updated", "Deleted", "Created", "Deleted"}, got[inboxSub])
		assert.Equal(t, []string{"Created"}, got[alexSub])

		_, s := e.listen(t, "/api/beta/me/GetNotifications", 30, 5, inboxSub)
		synctest.Wait()
		s.abort()
		text := s.text()
		var doc struct {
			Value []struct {
				SequenceNumber int
				ChangeType     string
				Resource       string
				ResourceData   map[string]any
			}
		}
		require.NoError(t, json.Unmarshal([]byte(text+"]}"), &doc), text)
		require.Len(t, doc.Value, 5)
		first := doc.Value[0]
		assert.Equal(t, 1, first.SequenceNumber)
		assert.Equal(t, e.srv.URL()+"/api/beta/Users('"+adele.ID+"')/Messages('"+id+"')", first.Resource)
		assert.Equal(t, "#Microsoft.OutlookServices.Message", first.ResourceData["@odata.type"])
		assert.Equal(t, first.Resource, first.ResourceData["@odata.id"])
		assert.Equal(t, id, first.ResourceData["Id"])
		assert.Equal(t, "Quarterly {report}", first.ResourceData["Subject"], "rich notification")
		assert.Equal(t, false, first.ResourceData["IsRead"])
		assert.NotContains(t, first.ResourceData, "Body", "only the selected properties")
		assert.True(t, strings.HasPrefix(first.ResourceData["@odata.etag"].(string), `W/"`))
		assert.Equal(t, "Quarterly report v2", doc.Value[1].ResourceData["Subject"])
		last := doc.Value[4]
		assert.Equal(t, "Deleted", last.ChangeType)
		assert.NotContains(t, last.ResourceData, "Subject", "nothing to select from a deleted item")

		// Requests that are not streaming ones reach the Mailbox.
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL()+"/api/beta/users/adele@contoso.com/mailfolders/inbox", nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := e.http.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
}

func TestPipeTransportClosesCleanly(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		srv.Mount("/ping", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "pong") }))
		pt := NewPipeTransport(srv)
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/ping", nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := pt.Client().Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "pong", string(b))
		require.NoError(t, pt.Close())
		_, err = pt.Client().Do(req)
		assert.Error(t, err)
	})
}
