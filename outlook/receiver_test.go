package outlook_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

const secret = "s3cr3t-client-state"

func newReceiver(t *testing.T, opts outlook.ReceiverOptions) *outlook.Receiver {
	t.Helper()
	if opts.ClientState == "" {
		opts.ClientState = secret
	}
	r, err := outlook.NewReceiver(opts)
	require.NoError(t, err)
	return r
}

// post sends a request to the receiver; rawQuery is used verbatim.
func post(r http.Handler, rawQuery, clientState, contentType, body string) *httptest.ResponseRecorder {
	target := "https://hook.example/notify"
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if clientState != "" {
		req.Header.Set("ClientState", clientState)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func notificationJSON(sub string, seq int, change string) string {
	return fmt.Sprintf(`{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":%q,`+
		`"SubscriptionExpirationDateTime":"2015-11-20T23:16:31.36Z","SequenceNumber":%d,"ChangeType":%q,`+
		`"Resource":"https://outlook.office.com/api/v2.0/Users('ddfcd489-628b-40d7-b48b-57002df800e5@1717622f-1d94-4d0c-9d74-709fad664b77')/Messages('AAMkAD=')",`+
		`"ResourceData":{"@odata.type":"#Microsoft.OutlookServices.Message","@odata.id":"https://outlook.office.com/api/v2.0/Users('ddfcd489-628b-40d7-b48b-57002df800e5@1717622f-1d94-4d0c-9d74-709fad664b77')/Messages('AAMkAD=')","@odata.etag":"W/\"CQAAABYAAADM\"","Id":"AAMkAD="}}`,
		sub, seq, change)
}

func envelope(ns ...string) string { return `{"value":[` + strings.Join(ns, ",") + `]}` }

func TestReceiverDeliversNotifications(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, outlook.ReceiverOptions{})
	w := post(r, "", secret, "application/json; charset=utf-8",
		envelope(notificationJSON("sub-1", 8, "Created"), notificationJSON("sub-1", 9, "Updated")))
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	n := <-r.Notifications()
	assert.Equal(t, "sub-1", n.SubscriptionID)
	assert.Nil(t, n.ID)
	assert.Equal(t, int64(8), n.SequenceNumber)
	assert.Equal(t, outlook.ChangeCreated, n.ChangeType)
	assert.Equal(t, time.Date(2015, 11, 20, 23, 16, 31, 360000000, time.UTC), n.SubscriptionExpirationDateTime)
	assert.Equal(t, "AAMkAD=", n.ResourceID())
	assert.Equal(t, outlook.ODataTypeMessage, n.ResourceType())
	assert.Contains(t, n.Resource, "/Messages('AAMkAD=')")
	n = <-r.Notifications()
	assert.Equal(t, outlook.ChangeUpdated, n.ChangeType)
	// Missed notifications carry no resource.
	w = post(r, "", secret, "", envelope(`{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"sub-1","SubscriptionExpirationDateTime":"2015-11-20T23:16:31.36Z","SequenceNumber":10,"ChangeType":"Missed"}`))
	require.Equal(t, http.StatusAccepted, w.Code)
	n = <-r.Notifications()
	assert.Equal(t, outlook.ChangeMissed, n.ChangeType)
	assert.Empty(t, n.ResourceID())
	assert.Equal(t, outlook.ReceiverStats{Delivered: 3}, r.Stats())
}

func TestReceiverClientState(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, outlook.ReceiverOptions{PreviousClientStates: []string{"old-secret"}})
	body := envelope(notificationJSON("s", 1, "Created"))
	for _, tc := range []struct {
		name  string
		state []string
		want  int
	}{
		{"missing", nil, http.StatusForbidden},
		{"wrong", []string{"s3cr3t-client-statf"}, http.StatusForbidden},
		{"prefix", []string{"s3cr3t"}, http.StatusForbidden},
		{"longer", []string{secret + "x"}, http.StatusForbidden},
		{"empty", []string{""}, http.StatusForbidden},
		{"case differs", []string{strings.ToUpper(secret)}, http.StatusForbidden},
		{"twice", []string{secret, secret}, http.StatusForbidden},
		{"right", []string{secret}, http.StatusAccepted},
		{"previous", []string{"old-secret"}, http.StatusAccepted},
	} {
		req := httptest.NewRequest(http.MethodPost, "https://hook.example/notify", strings.NewReader(body))
		for _, s := range tc.state {
			req.Header.Add("ClientState", s)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		assert.Equal(t, tc.want, w.Code, tc.name)
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"), tc.name)
		assert.NotContains(t, w.Body.String(), secret, "never echo the secret")
	}
	// A ClientState inside the body must match too.
	w := post(r, "", secret, "", envelope(strings.Replace(notificationJSON("s", 1, "Created"), `"Id":null`, `"Id":null,"ClientState":"forged"`, 1)))
	assert.Equal(t, http.StatusForbidden, w.Code)
	w = post(r, "", secret, "", envelope(strings.Replace(notificationJSON("s", 1, "Created"), `"Id":null`, `"Id":null,"ClientState":"`+secret+`"`, 1)))
	assert.Equal(t, http.StatusAccepted, w.Code)
	st := r.Stats()
	assert.Equal(t, int64(8), st.Unauthorized)
	assert.Equal(t, int64(3), st.Delivered)

	_, err := outlook.NewReceiver(outlook.ReceiverOptions{})
	assert.ErrorContains(t, err, "ClientState is required")
	_, err = outlook.NewReceiver(outlook.ReceiverOptions{ClientState: "x", PreviousClientStates: []string{""}})
	assert.Error(t, err)
	_, err = outlook.NewReceiver(outlook.ReceiverOptions{ClientState: strings.Repeat("x", 256)})
	assert.Error(t, err)
	_, err = outlook.NewReceiver(outlook.ReceiverOptions{ClientState: "x", QueueSize: -1})
	assert.Error(t, err)
}

func TestReceiverValidationTokens(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, outlook.ReceiverOptions{MaxValidationTokenLen: 2048})
	long := strings.Repeat("a1B-", 512) // 2048 bytes: the limit
	for _, tc := range []struct {
		name, query, want string
	}{
		{"plain", "validationtoken=N0UzMEU4RjAtMDg0NC00", "N0UzMEU4RjAtMDg0NC00"},
		{"camel-case name", "validationToken=abc", "abc"},
		{"script", "validationtoken=" + url.QueryEscape("<script>alert(document.cookie)</script>"), "<script>alert(document.cookie)</script>"},
		{"html entities and quotes", "validationtoken=" + url.QueryEscape(`"'&<>`), `"'&<>`},
		{"unicode", "validationtoken=" + url.QueryEscape("ünïcødé ✓ 日本語 🚀"), "ünïcødé ✓ 日本語 🚀"},
		{"percent", "validationtoken=100%25%20sure%2541", "100% sure%41"},
		{"plus is a space", "validationtoken=a+b", "a b"},
		{"at the length limit", "validationtoken=" + long, long},
	} {
		w := post(r, tc.query, secret, "", "")
		require.Equal(t, http.StatusOK, w.Code, tc.name)
		assert.Equal(t, tc.want, w.Body.String(), tc.name)
		assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"), tc.name)
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"), tc.name)
		assert.Equal(t, "default-src 'none'", w.Header().Get("Content-Security-Policy"), tc.name)
	}
	assert.Equal(t, int64(8), r.Stats().Validations)

	for _, tc := range []struct {
		name, query, state string
		want               int
	}{
		{"too long", "validationtoken=" + long + "x", secret, http.StatusBadRequest},
		{"very long", "validationtoken=" + strings.Repeat("z", 100000), secret, http.StatusBadRequest},
		{"empty", "validationtoken=", secret, http.StatusBadRequest},
		{"newline", "validationtoken=a%0D%0ASet-Cookie:%20x=1", secret, http.StatusBadRequest},
		{"NUL", "validationtoken=a%00b", secret, http.StatusBadRequest},
		{"tab", "validationtoken=a%09b", secret, http.StatusBadRequest},
		{"DEL", "validationtoken=a%7Fb", secret, http.StatusBadRequest},
		{"C1 control", "validationtoken=a%C2%85b", secret, http.StatusBadRequest},
		{"invalid UTF-8", "validationtoken=a%FFb", secret, http.StatusBadRequest},
		{"malformed escape", "validationtoken=a%zzb", secret, http.StatusBadRequest},
		{"two tokens", "validationtoken=a&validationToken=b", secret, http.StatusBadRequest},
		{"no ClientState", "validationtoken=abc", "", http.StatusForbidden},
		{"wrong ClientState", "validationtoken=abc", "nope", http.StatusForbidden},
	} {
		w := post(r, tc.query, tc.state, "", "")
		assert.Equal(t, tc.want, w.Code, tc.name)
		assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"), tc.name)
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"), tc.name)
		assert.NotContains(t, w.Body.String(), "Set-Cookie", tc.name)
		assert.LessOrEqual(t, w.Body.Len(), 200, "errors never echo input")
	}

	lenient := newReceiver(t, outlook.ReceiverOptions{AllowValidationWithoutClientState: true})
	w := post(lenient, "validationtoken=abc", "", "", "")
	assert.Equal(t, http.StatusOK, w.Code)
	w = post(lenient, "validationtoken=abc", "wrong", "", "")
	assert.Equal(t, http.StatusForbidden, w.Code, "a wrong ClientState is still refused")

	req := httptest.NewRequest(http.MethodGet, "https://hook.example/notify?validationtoken=abc", nil)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "POST", rec.Header().Get("Allow"))
}

func TestReceiverRejectsBadBodies(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, outlook.ReceiverOptions{MaxBodyBytes: 4096})
	valid := notificationJSON("s", 1, "Created")
	for _, tc := range []struct {
		name, ctype, body string
		want              int
	}{
		{"empty", "", "", http.StatusBadRequest},
		{"null", "", "null", http.StatusBadRequest},
		{"array", "", "[" + valid + "]", http.StatusBadRequest},
		{"no value", "", "{}", http.StatusBadRequest},
		{"value null", "", `{"value":null}`, http.StatusBadRequest},
		{"value object", "", `{"value":{}}`, http.StatusBadRequest},
		{"number element", "", `{"value":[1]}`, http.StatusBadRequest},
		{"null element", "", `{"value":[null]}`, http.StatusBadRequest},
		{"empty object", "", `{"value":[{}]}`, http.StatusBadRequest},
		{"no change type", "", `{"value":[{"SubscriptionId":"s"}]}`, http.StatusBadRequest},
		{"bad sequence", "", `{"value":[{"SubscriptionId":"s","ChangeType":"Created","SequenceNumber":"x"}]}`, http.StatusBadRequest},
		{"bad date", "", `{"value":[{"SubscriptionId":"s","ChangeType":"Created","SubscriptionExpirationDateTime":"tomorrow"}]}`, http.StatusBadRequest},
		{"keep-alive type", "", `{"value":[{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","SubscriptionId":"s","ChangeType":"Created"}]}`, http.StatusBadRequest},
		{"truncated", "", envelope(valid)[:200], http.StatusBadRequest},
		{"trailing garbage", "", envelope(valid) + "}", http.StatusBadRequest},
		{"one bad among good", "", envelope(valid, `{"SubscriptionId":""}`), http.StatusBadRequest},
		{"deep nesting", "", `{"value":[` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `]}`, http.StatusBadRequest},
		{"binary", "", "\x00\xff\xfe{{{", http.StatusBadRequest},
		{"oversize", "", envelope(valid) + strings.Repeat(" ", 5000), http.StatusRequestEntityTooLarge},
		{"text/plain", "text/plain", envelope(valid), http.StatusUnsupportedMediaType},
		{"bad content type", "application/json; charset", envelope(valid), http.StatusUnsupportedMediaType},
	} {
		w := post(r, "", secret, tc.ctype, tc.body)
		assert.Equal(t, tc.want, w.Code, tc.name)
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"), tc.name)
	}
	assert.Zero(t, len(r.Notifications()), "nothing half-delivered")
	w := post(r, "", secret, "application/vnd.example+json", envelope())
	assert.Equal(t, http.StatusAccepted, w.Code, "an empty array is fine")
	st := r.Stats()
	assert.Equal(t, int64(21), st.Rejected)
	assert.Zero(t, st.Delivered)
}

// A consumer that does not keep up never blocks the response: a request
// that does not fit is refused whole with 503 and Retry-After, so the
// service retries it; once the consumer catches up it is accepted.
func TestReceiverSlowConsumer(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, outlook.ReceiverOptions{QueueSize: 3, RetryAfter: 1500 * time.Millisecond})
	two := envelope(notificationJSON("s", 1, "Created"), notificationJSON("s", 2, "Created"))
	done := make(chan struct{})
	go func() {
		defer close(done)
		assert.Equal(t, http.StatusAccepted, post(r, "", secret, "", two).Code)
		w := post(r, "", secret, "", two) // 2 + 2 > 3
		assert.Equal(t, http.StatusServiceUnavailable, w.Code)
		assert.Equal(t, "2", w.Header().Get("Retry-After"))
		w = post(r, "", secret, "", envelope(notificationJSON("s", 1, "Created"), notificationJSON("s", 2, "Created"),
			notificationJSON("s", 3, "Created"), notificationJSON("s", 4, "Created")))
		assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code, "can never fit")
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the receiver blocked on a full queue")
	}
	assert.Len(t, r.Notifications(), 2, "the refused request was not half-queued")
	<-r.Notifications()
	<-r.Notifications()
	assert.Equal(t, http.StatusAccepted, post(r, "", secret, "", two).Code, "accepted after the consumer caught up")
	st := r.Stats()
	assert.Equal(t, int64(1), st.Overloaded)
	assert.Equal(t, int64(4), st.Delivered)

	r.Close()
	r.Close()
	w := post(r, "", secret, "", two)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	n := 0
	for range r.Notifications() {
		n++
	}
	assert.Equal(t, 2, n, "queued notifications are still received after Close")
}

func TestReceiverConcurrent(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, outlook.ReceiverOptions{QueueSize: 8})
	var got int
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		for range r.Notifications() {
			got++
		}
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				for {
					w := post(r, "", secret, "", envelope(notificationJSON(fmt.Sprint("s", i), j, "Created")))
					if w.Code == http.StatusAccepted {
						mu.Lock()
						accepted++
						mu.Unlock()
						break
					}
					require.Equal(t, http.StatusServiceUnavailable, w.Code)
					time.Sleep(time.Millisecond) // the service's retry
				}
			}
		}()
	}
	wg.Wait()
	r.Close()
	<-consumed
	assert.Equal(t, 160, accepted)
	assert.Equal(t, 160, got)
}

func FuzzReceiver(f *testing.F) {
	f.Add("validationtoken=abc", secret, envelope(notificationJSON("s", 1, "Created")))
	f.Add("", secret, `{"value":[{"SubscriptionId":"s","ChangeType":"Created","ResourceData":{"a":[1,2,{"b":null}]}}]}`)
	f.Add("validationtoken=%3Cscript%3E", "", "")
	f.Add("a=%zz", secret, "{")
	f.Fuzz(func(t *testing.T, query, state, body string) {
		r, err := outlook.NewReceiver(outlook.ReceiverOptions{ClientState: secret, QueueSize: 4, MaxBodyBytes: 1 << 12})
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, "https://hook.example/notify", strings.NewReader(body))
		req.URL.RawQuery = query
		if state != "" && !strings.ContainsAny(state, "\r\n") {
			req.Header.Set("ClientState", state)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK:
			assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
		case http.StatusAccepted, http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge,
			http.StatusUnsupportedMediaType, http.StatusServiceUnavailable:
		default:
			t.Fatalf("unexpected status %d", w.Code)
		}
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	})
}
