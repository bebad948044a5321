package office365test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/office365-go/office365/internal/transport"
)

func post(t *testing.T, s *Server, path string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer t")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// TestRequestLogBoundedByBytes: the log used to be bounded by count only,
// so 10,000 large bodies could hold gigabytes; it is bounded by body bytes
// too and keeps the newest requests.
func TestRequestLogBoundedByBytes(t *testing.T) {
	s := newEchoServer(t)
	s.mu.Lock()
	s.logMax = 1000
	s.mu.Unlock()
	for i := range 10 {
		post(t, s, "/api/v2.0/n"+strconv.Itoa(i), bytes.Repeat([]byte("b"), 300))
	}
	reqs := s.Requests()
	total := 0
	for _, r := range reqs {
		total += len(r.Body)
	}
	assert.LessOrEqual(t, total, 1000)
	require.NotEmpty(t, reqs)
	assert.Equal(t, "/api/v2.0/n9", reqs[len(reqs)-1].Path, "the newest request is kept")
	s.ResetRequests()
	post(t, s, "/api/v2.0/again", bytes.Repeat([]byte("b"), 900))
	assert.Len(t, s.Requests(), 1, "ResetRequests resets the byte count too")
}

// TestRequestLogBoundedByCount keeps the newest requests when the count cap
// is reached.
func TestRequestLogBoundedByCount(t *testing.T) {
	s := newEchoServer(t)
	s.mu.Lock()
	s.logCap = 4
	s.mu.Unlock()
	for i := range 9 {
		post(t, s, "/api/v2.0/n"+strconv.Itoa(i), nil)
	}
	reqs := s.Requests()
	assert.LessOrEqual(t, len(reqs), 4)
	assert.Equal(t, "/api/v2.0/n8", reqs[len(reqs)-1].Path)
}

// TestOversizedRequestBodyRejected: a body over the server's limit used to
// be cut silently and handed to the API fake; it is a 413 now.
func TestOversizedRequestBodyRejected(t *testing.T) {
	s := newEchoServer(t)
	s.mu.Lock()
	s.bodyMax = 1000
	s.mu.Unlock()
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(t, s, "/api/v2.0/big", bytes.Repeat([]byte("x"), 1001)))
	rec, ok := s.LastRequest()
	require.True(t, ok, "the refused request is logged")
	assert.Equal(t, "/api/v2.0/big", rec.Path)
	assert.Equal(t, http.StatusOK, post(t, s, "/api/v2.0/fits", bytes.Repeat([]byte("x"), 1000)))
}

// TestFaultTimesUnderConcurrency: a fault armed for n requests applies to
// exactly n of many concurrent ones.
func TestFaultTimesUnderConcurrency(t *testing.T) {
	s := newEchoServer(t)
	f := s.FailNext(5, "/api/v2.0/", http.StatusServiceUnavailable, "1")
	var mu sync.Mutex
	failed := 0
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			resp, _, err := get(t, s, "/api/v2.0/x", "t")
			if err == nil && resp.StatusCode == http.StatusServiceUnavailable {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 5, failed)
	assert.Equal(t, 5, f.Hits())
}

// TestStartCloseLeaksNothing: Close ends every goroutine Start and its
// fakes started, with a streaming connection open and a push subscription
// delivering.
func TestStartCloseLeaksNothing(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	f := Start(nil)
	client := &http.Client{Transport: &http.Transport{}}
	do := func(method, path, body string) *http.Response {
		req, _ := http.NewRequest(method, f.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		require.NoError(t, err)
		return resp
	}
	resp := do(http.MethodPost, "/api/beta/me/subscriptions",
		`{"@odata.type":"#Microsoft.OutlookServices.StreamingSubscription","Resource":"https://outlook.office.com/api/beta/me/messages","ChangeType":"Created"}`)
	var sub struct{ Id string }
	require.NoError(t, decodeJSON(resp, &sub))
	require.NotEmpty(t, sub.Id)
	stream := do(http.MethodPost, "/api/beta/me/GetNotifications",
		`{"ConnectionTimeoutInMinutes":5,"KeepAliveNotificationIntervalInSeconds":5,"SubscriptionIds":["`+sub.Id+`"]}`)
	require.Equal(t, http.StatusOK, stream.StatusCode)
	buf := make([]byte, 16)
	_, err := stream.Body.Read(buf) // the stream is open
	require.NoError(t, err)

	f.Close()
	stream.Body.Close()
	client.CloseIdleConnections()
}

func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// TestScrubberAndRedactURLShareSecretParams: the fixture scrubber and the
// client pipeline's RedactURL use one list of secret parameter names (the
// scrubber used to miss key, api_key, signature, subscription_key …).
func TestScrubberAndRedactURLShareSecretParams(t *testing.T) {
	s := newScrubber(false, nil, nil)
	for _, name := range transport.SecretParamNames() {
		q := "a=1&" + name + "=s3cr3t"
		assert.Equal(t, "a=1&"+name+"=REDACTED", s.query(q), name)
		assert.NotContains(t, redactTokens("https://h/p?"+q), "s3cr3t", name)
		assert.NotContains(t, transport.RedactURL("https://h/p?"+q), "s3cr3t", name)
	}
}

// TestFaultMatchMayUseServer: a Match function that looks at the server
// (its request log) used to deadlock, as it ran under the server's lock.
func TestFaultMatchMayUseServer(t *testing.T) {
	s := newEchoServer(t)
	f := s.InjectFault(&Fault{Times: 1, Status: http.StatusTooManyRequests, Match: func(*http.Request) bool {
		return len(s.Requests()) >= 2 // the second request on
	}})
	done := make(chan struct{})
	var codes []int
	go func() {
		defer close(done)
		for range 3 {
			resp, _, err := get(t, s, "/api/v2.0/x", "t")
			if err != nil {
				return
			}
			codes = append(codes, resp.StatusCode)
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("deadlock: Match cannot call the server")
	}
	assert.Equal(t, []int{200, 429, 200}, codes)
	assert.Equal(t, 1, f.Hits())
}
