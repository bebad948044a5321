package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
)

const testToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.secret-token-value"

// roundTripFunc adapts a function to http.RoundTripper; it runs inside
// synctest bubbles because it never touches the network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// seen is one request as the fake transport saw it.
type seen struct {
	method, url string
	header      http.Header
	body        string
	at          time.Time
}

// script answers requests in order with the given responses (the last one
// repeats) and records what it saw.
type script struct {
	mu    sync.Mutex
	steps []func(*http.Request) (*http.Response, error)
	reqs  []seen
}

func (s *script) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	s.mu.Lock()
	i := len(s.reqs)
	s.reqs = append(s.reqs, seen{method: r.Method, url: r.URL.String(), header: r.Header.Clone(), body: string(body), at: time.Now()})
	step := s.steps[min(i, len(s.steps)-1)]
	s.mu.Unlock()
	return step(r)
}

func (s *script) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func respond(status int, header map[string]string, body string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		h := make(http.Header)
		for k, v := range header {
			h.Set(k, v)
		}
		if h.Get("Content-Type") == "" && body != "" {
			h.Set("Content-Type", "application/json")
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r, ContentLength: int64(len(body))}, nil
	}
}

func odataErr(code, msg string) string {
	return fmt.Sprintf(`{"error":{"code":%q,"message":%q}}`, code, msg)
}

func newTestPipeline(t *testing.T, rt http.RoundTripper, cred auth.Credential, opts ...office365.Option) *Pipeline {
	t.Helper()
	opts = append([]office365.Option{office365.WithHTTPClient(&http.Client{Transport: rt})}, opts...)
	cfg, err := office365.NewConfig(opts...)
	require.NoError(t, err)
	p, err := New(cfg, "https://outlook.office.com/api/v2.0", cred, "https://outlook.office.com/.default")
	require.NoError(t, err)
	return p
}

func TestRetryMatrix(t *testing.T) {
	type call struct {
		method     string
		idempotent bool
	}
	calls := []call{
		{http.MethodGet, false}, {http.MethodHead, false}, {http.MethodPut, false}, {http.MethodDelete, false},
		{http.MethodPost, false}, {http.MethodPatch, false}, {http.MethodPost, true},
	}
	statuses := []int{400, 401, 403, 404, 408, 409, 429, 500, 501, 502, 503, 504}
	for _, c := range calls {
		for _, status := range statuses {
			for _, retryAfter := range []string{"", "1"} {
				if retryAfter != "" && status != 503 && status != 429 {
					continue
				}
				name := fmt.Sprintf("%s/idem=%v/%d/retry-after=%q", c.method, c.idempotent, status, retryAfter)
				t.Run(name, func(t *testing.T) {
					synctest.Test(t, func(t *testing.T) {
						h := map[string]string{}
						if retryAfter != "" {
							h["Retry-After"] = retryAfter
						}
						s := &script{steps: []func(*http.Request) (*http.Response, error){respond(status, h, odataErr("E", "m"))}}
						p := newTestPipeline(t, s, &countingCred{})
						_, err := p.Do(t.Context(), &Request{Method: c.method, Path: "/me/messages", Idempotent: c.idempotent, JSON: map[string]int{"A": 1}})
						var apiErr *office365.Error
						require.ErrorAs(t, err, &apiErr)
						assert.Equal(t, status, apiErr.StatusCode)

						idem := c.idempotent || c.method != http.MethodPost && c.method != http.MethodPatch
						notProcessed := status == 429 || status == 503 && retryAfter != ""
						want := 1
						switch {
						case notProcessed:
							want = 4
						case idem && (status == 408 || status == 500 || status == 502 || status == 503 || status == 504):
							want = 4
						case status == 401:
							want = 2 // one fresh-token retry
						}
						assert.Len(t, s.requests(), want)
						maybe := !idem && !notProcessed && (status == 408 || status >= 500)
						assert.Equal(t, maybe, office365.IsMaybeProcessed(err), "IsMaybeProcessed")
						assert.Equal(t, maybe, apiErr.MaybeProcessed)
						assert.Equal(t, maybe, strings.Contains(err.Error(), "may have been processed"), err.Error())
					})
				})
			}
		}
	}
}

func TestRetryAfterSecondsAndDate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		date := start.Add(7 * time.Second).UTC().Format(http.TimeFormat)
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			respond(429, map[string]string{"Retry-After": "3"}, odataErr("ApplicationThrottled", "MailboxConcurrency limit")),
			respond(503, map[string]string{"Retry-After": date}, odataErr("ErrorServerBusy", "busy")),
			respond(429, map[string]string{"retry-after-ms": "1500"}, ""),
			respond(200, nil, `{"ok":true}`),
		}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken))
		var out struct{ OK bool }
		require.NoError(t, p.DoJSON(t.Context(), &Request{Path: "/me"}, &out))
		assert.True(t, out.OK)
		reqs := s.requests()
		require.Len(t, reqs, 4)
		assert.Equal(t, 3*time.Second, reqs[1].at.Sub(reqs[0].at))
		// The HTTP date has one-second resolution.
		assert.InDelta(t, float64(7*time.Second), float64(reqs[2].at.Sub(start)), float64(time.Second))
		assert.Equal(t, 1500*time.Millisecond, reqs[3].at.Sub(reqs[2].at))
	})
}

func TestBackoffIsExponentialWithJitterAndCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, "")}}
		p := newTestPipeline(t, s, nil, office365.WithRetry(office365.RetryOptions{MaxRetries: 6, BaseDelay: time.Second, MaxDelay: 10 * time.Second}))
		_, err := p.Do(t.Context(), &Request{})
		require.Error(t, err)
		reqs := s.requests()
		require.Len(t, reqs, 7)
		for i := 1; i < len(reqs); i++ {
			gap := reqs[i].at.Sub(reqs[i-1].at)
			nominal := min(time.Second<<(i-1), 10*time.Second)
			assert.GreaterOrEqual(t, gap, time.Duration(float64(nominal)*0.8)-time.Millisecond, "gap %d", i)
			assert.LessOrEqual(t, gap, min(time.Duration(float64(nominal)*1.2)+time.Millisecond, 10*time.Second), "gap %d", i)
		}
	})
}

func TestGiveUpWhenRetryAfterExceedsCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			respond(429, map[string]string{"Retry-After": "120"}, odataErr("ApplicationThrottled", "slow down")),
		}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken))
		start := time.Now()
		_, err := p.Do(t.Context(), &Request{Path: "/me/messages"})
		var apiErr *office365.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
		assert.True(t, office365.IsThrottled(err))
		assert.Len(t, s.requests(), 1)
		assert.Zero(t, time.Since(start), "must not sleep")
	})
}

func TestBodyRewoundOnRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			respond(503, map[string]string{"Retry-After": "1"}, ""), respond(429, nil, ""), respond(201, nil, `{}`),
		}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken))
		for _, r := range []*Request{
			{Method: http.MethodPost, Path: "/me/sendmail", JSON: map[string]string{"Subject": "hi"}},
			{Method: http.MethodPut, Path: "/me/photo/$value", Body: bytes.NewReader([]byte("jpegbytes")), Header: http.Header{"Content-Type": {"image/jpeg"}}},
		} {
			s.reqs = nil
			require.NoError(t, p.DoJSON(t.Context(), r, nil))
			reqs := s.requests()
			require.Len(t, reqs, 3)
			for _, rq := range reqs {
				assert.Equal(t, reqs[0].body, rq.body)
				assert.NotEmpty(t, rq.body)
			}
		}
	})
}

func TestStreamedBodyIsNotResent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, ""), respond(200, nil, `{}`)}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken))
		pr, pw := io.Pipe()
		go func() { pw.Write([]byte("data")); pw.Close() }()
		_, err := p.Do(t.Context(), &Request{Method: http.MethodPut, Path: "/x", Body: pr})
		require.Error(t, err, "a one-shot body cannot be replayed, so the 503 is final")
		assert.Len(t, s.requests(), 1)
	})
}

func TestContextCancelDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){respond(503, map[string]string{"Retry-After": "30"}, "")}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(2*time.Second, cancel)
		start := time.Now()
		_, err := p.Do(ctx, &Request{})
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, context.Canceled, err, "ctx.Err() itself, not a wrapped transport error")
		assert.Equal(t, 2*time.Second, time.Since(start))
		assert.Len(t, s.requests(), 1)
	})
}

func TestDeadlineDuringRequestReturnsCtxErr(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	cfg, _ := office365.NewConfig()
	p, err := New(cfg, srv.URL, auth.StaticToken(testToken))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = p.Do(ctx, &Request{})
	assert.Equal(t, context.DeadlineExceeded, err)
}

// countingCred hands out numbered tokens and counts refreshes.
type countingCred struct {
	tokens, refreshes atomic.Int32
}

func (c *countingCred) Token(ctx context.Context, _ []string) (*oauth2.Token, error) {
	n := c.tokens.Add(1)
	return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d-%d", c.refreshes.Load(), n)}, nil
}

func (c *countingCred) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	c.refreshes.Add(1)
	return c.Token(ctx, scopes)
}

func TestUnauthorizedRefreshesOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			respond(401, nil, odataErr("InvalidAuthenticationToken", "expired")), respond(200, nil, `{}`),
		}}
		cred := &countingCred{}
		p := newTestPipeline(t, s, cred)
		require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodPost, Path: "/me/sendmail", JSON: map[string]int{}}, nil))
		reqs := s.requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, int32(1), cred.refreshes.Load())
		assert.NotEqual(t, reqs[0].header.Get("Authorization"), reqs[1].header.Get("Authorization"))
		assert.Equal(t, reqs[0].body, reqs[1].body)

		// A second 401 is final.
		s2 := &script{steps: []func(*http.Request) (*http.Response, error){respond(401, nil, odataErr("InvalidAuthenticationToken", "no"))}}
		p2 := newTestPipeline(t, s2, &countingCred{})
		_, err := p2.Do(t.Context(), &Request{})
		assert.True(t, office365.IsUnauthorized(err))
		assert.Len(t, s2.requests(), 2)
	})
}

func TestClientRequestIDStableAcrossRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, ""), respond(504, nil, ""), respond(200, nil, `{}`)}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken), office365.WithUserAgent("contoso/1.0"))
		require.NoError(t, p.DoJSON(t.Context(), &Request{Header: http.Header{"X-AnchorMailbox": {"a@contoso.com"}, "Prefer": {`outlook.timezone="UTC"`}}}, nil))
		reqs := s.requests()
		require.Len(t, reqs, 3)
		id := reqs[0].header.Get("client-request-id")
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, id)
		for i, r := range reqs {
			assert.Equal(t, id, r.header.Get("client-request-id"))
			assert.Equal(t, "true", r.header.Get("return-client-request-id"))
			assert.Equal(t, "a@contoso.com", r.header.Get("X-AnchorMailbox"))
			assert.Equal(t, `outlook.timezone="UTC"`, r.header.Get("Prefer"))
			assert.Equal(t, "Bearer "+testToken, r.header.Get("Authorization"))
			assert.Regexp(t, `^contoso/1\.0 office365-go/\S+ \(go1\.`, r.header.Get("User-Agent"))
			if i == 0 {
				assert.Empty(t, r.header.Get("Retry-Attempt"))
			} else {
				assert.Equal(t, fmt.Sprint(i), r.header.Get("Retry-Attempt"))
			}
		}
		// A new logical call gets a new id.
		s.reqs = nil
		require.NoError(t, p.DoJSON(t.Context(), &Request{}, nil))
		assert.NotEqual(t, id, s.requests()[0].header.Get("client-request-id"))
	})
}

// TestNonIdempotentPostNotResent runs against a real loopback server: the
// request is read and processed, then the answer is a 500 or a dropped
// connection; the POST must not be sent again, while a GET is retried.
func TestNonIdempotentPostNotResent(t *testing.T) {
	var processed atomic.Int32
	mode := atomic.Value{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		processed.Add(1)
		switch mode.Load().(string) {
		case "500":
			w.WriteHeader(500)
			io.WriteString(w, odataErr("ErrorInternalServerError", "boom"))
		case "drop":
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			io.WriteString(w, `{"partial":`)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		case "drop-before-response":
			panic(http.ErrAbortHandler)
		}
	}))
	defer srv.Close()
	cfg, err := office365.NewConfig(office365.WithRetry(office365.RetryOptions{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}))
	require.NoError(t, err)
	p, err := New(cfg, srv.URL, auth.StaticToken(testToken))
	require.NoError(t, err)

	for _, m := range []string{"500", "drop", "drop-before-response"} {
		mode.Store(m)
		processed.Store(0)
		err := p.DoJSON(t.Context(), &Request{Method: http.MethodPost, Path: "/me/sendmail", JSON: map[string]string{"Subject": "once"}}, &struct{}{})
		require.Error(t, err, m)
		assert.Equal(t, int32(1), processed.Load(), "POST re-sent in mode %s", m)
		assert.NotContains(t, err.Error(), testToken)
		assert.True(t, office365.IsMaybeProcessed(err), "mode %s: %v", m, err)
		assert.Contains(t, err.Error(), "may have been processed")

		processed.Store(0)
		err = p.DoJSON(t.Context(), &Request{Path: "/me/messages"}, &struct{}{})
		require.Error(t, err, m)
		if m == "drop" {
			// The 200 arrived; the body was cut short: that is a read error, not a retry.
			assert.Equal(t, int32(1), processed.Load())
		} else {
			assert.Equal(t, int32(4), processed.Load(), "GET retried in mode %s", m)
		}
		assert.False(t, office365.IsMaybeProcessed(err), "a GET can be repeated: %v", err)
	}
}

// TestPostRetriedWhenNothingWasWritten: a connection error before the
// request reached the wire is safe to retry even for POST.
func TestPostRetriedWhenNothingWasWritten(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if n.Add(1) == 1 {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
			}
			return respond(200, nil, `{}`)(r)
		})
		p := newTestPipeline(t, rt, auth.StaticToken(testToken))
		require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodPost, Path: "/me/sendmail", JSON: 1}, nil))
		assert.Equal(t, int32(2), n.Load())
	})
}

func TestHTMLErrorPage(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(502, map[string]string{"Content-Type": "text/html"},
		"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>")}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken), office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	_, err := p.Do(t.Context(), &Request{Path: "/me/messages"})
	var apiErr *office365.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "HTML")
	assert.Contains(t, apiErr.Message, "502 Bad Gateway")
	assert.Contains(t, apiErr.Excerpt, "nginx")
	assert.Equal(t, "GET", apiErr.Method)
	assert.Equal(t, "https://outlook.office.com/api/v2.0/me/messages", apiErr.URL)
}

func TestHTMLInSuccessfulResponse(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, map[string]string{"Content-Type": "text/html"}, "<html><title>Sign in</title></html>")}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	err := p.DoJSON(t.Context(), &Request{}, &struct{}{})
	var apiErr *office365.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "not valid JSON")
	assert.Contains(t, apiErr.Excerpt, "Sign in")
}

func TestErrorFieldsFromHeaders(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(404, map[string]string{
		"request-id": "rid-1", "client-request-id": "cid-1", "X-Activity-Id": "act-1", "Date": "Sun, 06 Nov 1994 08:49:37 GMT",
	}, `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store.","innerError":{"date":"x"}}}`)}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	_, err := p.Do(t.Context(), &Request{Path: "/me/messages/AAA%2F%3D", Query: "$deltatoken=abc&$select=Subject"})
	var apiErr *office365.Error
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, office365.IsNotFound(err))
	assert.Equal(t, "ErrorItemNotFound", apiErr.Code)
	assert.Equal(t, "rid-1", apiErr.RequestID)
	assert.Equal(t, "cid-1", apiErr.ClientRequestID)
	assert.Equal(t, "act-1", apiErr.ActivityID)
	assert.Equal(t, 1994, apiErr.Date.Year())
	assert.JSONEq(t, `{"date":"x"}`, string(apiErr.InnerError))
	assert.Contains(t, apiErr.URL, "$deltatoken=REDACTED")
	assert.Contains(t, apiErr.URL, "$select=Subject")
	assert.Contains(t, apiErr.URL, "AAA%2F%3D")
	assert.Contains(t, err.Error(), "ErrorItemNotFound")
	assert.Contains(t, err.Error(), "rid-1")
}

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			respond(503, map[string]string{"Retry-After": "1"}, odataErr("ErrorServerBusy", "busy")),
			func(r *http.Request) (*http.Response, error) {
				return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
			},
			respond(400, nil, odataErr("ErrorInvalidUrlQuery", "bad")),
		}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken), office365.WithLogger(logger))
		_, err := p.Do(t.Context(), &Request{Path: "/me/messages", Query: "access_token=" + testToken + "&code=authcode-secret&client_secret=shh&$skiptoken=skip-secret",
			JSON: map[string]string{"ClientSecret": "body-secret"}})
		require.Error(t, err)
		for _, secret := range []string{testToken, "authcode-secret", "shh", "body-secret", "skip-secret", "Bearer"} {
			assert.NotContains(t, buf.String(), secret)
			assert.NotContains(t, err.Error(), secret)
		}
	})
	assert.Contains(t, buf.String(), `"level":"DEBUG"`)
	assert.Contains(t, buf.String(), `"level":"WARN"`)
	assert.Contains(t, buf.String(), "/me/messages")
}

func TestRefusesTokenOverPlainHTTP(t *testing.T) {
	cfg, _ := office365.NewConfig()
	_, err := New(cfg, "http://outlook.office.com/api/v2.0", auth.StaticToken(testToken))
	require.Error(t, err)
	p, err := New(cfg, "http://127.0.0.1:1/api", auth.StaticToken(testToken))
	require.NoError(t, err, "loopback is allowed")
	_, err = p.Do(t.Context(), &Request{Path: "http://example.com/next"})
	require.ErrorContains(t, err, "plain http")
	// Without a credential nothing secret is sent, so http is fine.
	_, err = New(cfg, "http://example.com", nil)
	require.NoError(t, err)
}

func TestAuthorizationDroppedOnCrossHostRedirect(t *testing.T) {
	var gotAuth atomic.Value
	gotAuth.Store("unset")
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth.Store(r.Header.Get("Authorization"))
		io.WriteString(w, `{}`)
	}))
	defer target.Close()
	// Same loopback machine, other host name: "localhost" vs "127.0.0.1".
	otherHost := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/same" {
			http.Redirect(w, r, target.URL+"/landed", http.StatusFound)
			return
		}
		http.Redirect(w, r, otherHost+"/landed", http.StatusFound)
	}))
	defer origin.Close()
	cfg, _ := office365.NewConfig()
	p, err := New(cfg, origin.URL, auth.StaticToken(testToken))
	require.NoError(t, err)

	require.NoError(t, p.DoJSON(t.Context(), &Request{Path: "/cross"}, nil))
	assert.Empty(t, gotAuth.Load())

	// A redirect to the same host name (other port) keeps it, as net/http does.
	require.NoError(t, p.DoJSON(t.Context(), &Request{Path: "/same"}, nil))
	assert.Equal(t, "", gotAuth.Load(), "different port is a different host")
}

func TestResponseSizeCap(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{"value":"`+strings.Repeat("x", 2000)+`"}`)}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken), office365.WithMaxResponseSize(1000))
	err := p.DoJSON(t.Context(), &Request{}, &struct{ Value string }{})
	require.ErrorContains(t, err, "exceeds the 1000-byte limit")
}

func TestCallerHeadersAndConfigHeaders(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(204, nil, "")}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken), office365.WithHeader("X-Custom", "1"))
	require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodDelete, Path: "me/messages/1", Query: "a=b"}, &struct{}{}))
	r := s.requests()[0]
	assert.Equal(t, "1", r.header.Get("X-Custom"))
	assert.Equal(t, "https://outlook.office.com/api/v2.0/me/messages/1?a=b", r.url)
	assert.Equal(t, "application/json", r.header.Get("Accept"))
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		h    http.Header
		want time.Duration
	}{
		"seconds":  {http.Header{"Retry-After": {"5"}}, 5 * time.Second},
		"fraction": {http.Header{"Retry-After": {"0.5"}}, 500 * time.Millisecond},
		"date":     {http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		"past":     {http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
		"ms wins":  {http.Header{"Retry-After": {"5"}, "Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		"garbage":  {http.Header{"Retry-After": {"soon"}}, 0},
		"negative": {http.Header{"Retry-After": {"-3"}}, 0},
		"absent":   {http.Header{}, 0},
	}
	for name, c := range cases {
		assert.Equal(t, c.want, RetryAfter(c.h, now), name)
	}
}

func TestParseODataErrorForms(t *testing.T) {
	for body, want := range map[string][2]string{
		`{"error":{"code":"A","message":"m"}}`:                             {"A", "m"},
		`{"odata.error":{"code":"B","message":{"lang":"en","value":"v"}}}`: {"B", "v"},
		`{"code":"C","message":"x"}`:                                       {"C", "x"},
		`{"error":{"code":"","message":"only message"}}`:                   {"", "only message"},
	} {
		code, msg, _, ok := ParseODataError([]byte(body))
		require.True(t, ok, body)
		assert.Equal(t, want[0], code)
		assert.Equal(t, want[1], msg)
	}
	for _, body := range []string{``, `null`, `[]`, `{"error":null}`, `{"value":[]}`, `<html>`, `{"error":{}}`, `"str"`} {
		_, _, _, ok := ParseODataError([]byte(body))
		assert.False(t, ok, body)
	}
}

func TestPlainTextError(t *testing.T) {
	e := ErrorFromResponse(500, http.Header{"Content-Type": {"text/plain"}}, []byte("Please use MSGraph to access this resource.\n"))
	assert.Equal(t, "service answered: Please use MSGraph to access this resource.", e.Message)
	e = ErrorFromResponse(503, http.Header{}, nil)
	assert.Equal(t, "empty response body", e.Message)
	e = ErrorFromResponse(500, http.Header{"Content-Type": {"application/json"}}, []byte(`{"unexpected":true}`))
	assert.Contains(t, e.Message, "JSON without an OData error")
}

func TestRedactURL(t *testing.T) {
	assert.Equal(t, "https://h/p?$deltatoken=REDACTED&$select=A,B", RedactURL("https://u:p@h/p?$deltatoken=abc&$select=A,B"))
	assert.Equal(t, "https://h/p?validationtoken=REDACTED&sig=REDACTED&x", RedactURL("https://h/p?validationtoken=v&sig=s&x"))
	assert.Equal(t, "(unparsable URL)", RedactURL("%zz://"))
}

func TestEscapeSegment(t *testing.T) {
	assert.Equal(t, "AAMk%2Fab+c=", EscapeSegment("AAMk/ab+c="))
}

func TestJSONBodyAndContentType(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(201, nil, `{"Id":"1"}`)}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	var out struct {
		ID string `json:"Id"`
	}
	require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodPost, Path: "/me/messages", JSON: map[string]string{"Subject": "x"}}, &out))
	assert.Equal(t, "1", out.ID)
	r := s.requests()[0]
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.JSONEq(t, `{"Subject":"x"}`, r.body)
	_, err := p.Do(t.Context(), &Request{JSON: 1, Body: strings.NewReader("x")})
	require.Error(t, err)
	_, err = p.Do(t.Context(), &Request{JSON: func() {}})
	require.ErrorContains(t, err, "encoding request body")
}

func TestTokenErrorIsNotRetried(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{}`)}}
	p := newTestPipeline(t, s, auth.FromTokenSource(failingSource{}))
	_, err := p.Do(t.Context(), &Request{})
	require.ErrorContains(t, err, "invalid_client")
	assert.Empty(t, s.requests())
}

func TestConcurrentUse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"id": r.Header.Get("client-request-id")})
	}))
	defer srv.Close()
	cfg, _ := office365.NewConfig()
	p, err := New(cfg, srv.URL, auth.StaticToken(testToken))
	require.NoError(t, err)
	var wg sync.WaitGroup
	ids := sync.Map{}
	for range 20 {
		wg.Go(func() {
			var out struct{ ID string }
			if assert.NoError(t, p.DoJSON(context.Background(), &Request{}, &out)) {
				_, dup := ids.LoadOrStore(out.ID, true)
				assert.False(t, dup)
			}
		})
	}
	wg.Wait()
}

type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) { return nil, errors.New("invalid_client") }

func TestRetriesCanBeDisabled(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, "")}}
	p := newTestPipeline(t, s, nil, office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	_, err := p.Do(t.Context(), &Request{})
	require.Error(t, err)
	assert.Len(t, s.requests(), 1)
}
