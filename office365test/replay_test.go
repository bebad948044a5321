package office365test_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/office365test"
)

const (
	recFixturePath = "../testdata/office365test/outlook-messages.json"
	recTestJWT     = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
)

// recSecrets are the values the recording tests send or receive; none may
// appear in a saved cassette.
var recSecrets = []string{
	"secret-token",              // Authorization header
	"cookie-secret",             // Cookie request header
	"set-cookie-secret",         // Set-Cookie response header
	"qs-secret",                 // access_token query parameter
	"code-secret",               // code query parameter
	"json-secret",               // client_secret JSON member
	"pw-secret",                 // nested Password JSON member
	"state-secret",              // ClientState JSON member (echoed back too)
	"EwBwA8l6BAAU7p9QDpiNOTE",   // bearer token inside JSON text
	"form-secret",               // client_secret form field
	"form-refresh",              // refresh_token form field
	"resp-access-token",         // access_token in a JSON response
	"resp-refresh-token",        // refresh_token in a JSON response
	recTestJWT,                  // id_token in a JSON response
	"eyJhbGciOiJSUzI1NiJ9.eyJz", // any part of the JWT
}

// recAPIHandler is the service the recording tests talk to (mounted on the
// fake server, which also checks the bearer token).
func recAPIHandler(base func() string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2.0/users/{upn}/messages", func(w http.ResponseWriter, r *http.Request) {
		upn := r.PathValue("upn")
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "set-cookie-secret"})
		office365test.WriteJSON(w, http.StatusOK, map[string]any{
			"@odata.context": base() + "/api/v2.0/$metadata#Users('" + upn + "')/Messages",
			"value": []any{map[string]any{
				"Id": "AAMkAGI2TAAA=", "Subject": "Hi " + upn,
				"From":                             map[string]any{"EmailAddress": map[string]string{"Address": "bob@contoso.com"}},
				"Attachments@odata.navigationLink": base() + "/api/v2.0/users/" + upn + "/messages/AAMkAGI2TAAA=/attachments",
			}},
			"@odata.nextLink": base() + "/api/v2.0/users/" + upn + "/messages?$skiptoken=abc",
		})
	})
	mux.HandleFunc("POST /api/v2.0/me/subscriptions", func(w http.ResponseWriter, r *http.Request) {
		var v map[string]any
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			office365test.WriteError(w, http.StatusBadRequest, "BadRequest", err.Error())
			return
		}
		v["Id"] = "sub-1"
		office365test.WriteJSON(w, http.StatusCreated, v)
	})
	mux.HandleFunc("POST /api/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("client_secret") != "form-secret" {
			office365test.WriteError(w, http.StatusBadRequest, "invalid_client", "bad form")
			return
		}
		office365test.WriteJSON(w, http.StatusOK, map[string]any{
			"token_type": "Bearer", "expires_in": 3599,
			"access_token": "resp-access-token", "refresh_token": "resp-refresh-token", "id_token": recTestJWT,
		})
	})
	mux.HandleFunc("GET /api/v2.0/me/photo/$value", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(recPhoto())
	})
	return mux
}

func recPhoto() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(255 - i)
	}
	return b
}

func recStartAPI(t *testing.T) *office365test.Server {
	t.Helper()
	srv := office365test.NewServer()
	t.Cleanup(srv.Close)
	srv.Mount("/api", recAPIHandler(srv.URL))
	return srv
}

// recExchange is what a test compares between recording and replay.
type recExchange struct {
	status      int
	contentType string
	body        []byte
}

// recDoRequests sends the recording tests' requests to base through client.
func recDoRequests(t *testing.T, client *http.Client, base string) []recExchange {
	t.Helper()
	send := func(method, path, contentType, body string, header http.Header) recExchange {
		req, err := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		req.Header.Set("Authorization", "Bearer secret-token")
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return recExchange{resp.StatusCode, resp.Header.Get("Content-Type"), b}
	}
	return []recExchange{
		send(http.MethodGet,
			"/api/v2.0/users/alice@contoso.com/messages?$filter=from/emailAddress/address%20eq%20%27bob%40contoso.com%27&$skiptoken=abc&access_token=qs-secret",
			"", "", http.Header{"Cookie": {"session=cookie-secret"}, "X-Anchormailbox": {"alice@contoso.com"}}),
		send(http.MethodPost, "/api/v2.0/me/subscriptions", "application/json",
			`{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","Resource":"me/messages","ClientState":"state-secret",`+
				`"client_secret":"json-secret","Nested":{"Password":"pw-secret"},"Note":"Bearer EwBwA8l6BAAU7p9QDpiNOTE","Owner":"alice@contoso.com"}`,
			http.Header{"X-Anchormailbox": {"Alice@Contoso.com"}}),
		send(http.MethodPost, "/api/token?code=code-secret", "application/x-www-form-urlencoded",
			"grant_type=refresh_token&client_id=app&client_secret=form-secret&refresh_token=form-refresh&login_hint=alice%40contoso.com", nil),
		send(http.MethodGet, "/api/v2.0/me/photo/$value", "", "", nil),
	}
}

func TestRecordScrubsSecrets(t *testing.T) {
	t.Parallel()
	srv := recStartAPI(t)
	path := filepath.Join(t.TempDir(), "fixtures", "record.json")
	rec := office365test.NewRecorder(path, nil)
	got := recDoRequests(t, &http.Client{Transport: rec}, srv.URL())

	// The caller receives the real, unscrubbed responses.
	require.Len(t, got, 4)
	assert.Equal(t, http.StatusOK, got[0].status)
	assert.Equal(t, http.StatusCreated, got[1].status)
	assert.Contains(t, string(got[1].body), "state-secret")
	assert.Equal(t, http.StatusOK, got[2].status, string(got[2].body))
	assert.Contains(t, string(got[2].body), "resp-access-token")
	assert.Equal(t, recPhoto(), got[3].body)

	require.NoError(t, rec.Save())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, s := range recSecrets {
		assert.NotContains(t, string(data), s)
	}
	assert.Contains(t, string(data), "alice@contoso.com", "e-mail addresses are kept without ScrubEmails")
	assert.Contains(t, string(data), "$skiptoken=abc", "paging tokens are not secrets")
	assert.Contains(t, string(data), `"Bearer REDACTED"`)

	c, err := office365test.LoadCassette(path)
	require.NoError(t, err)
	require.Len(t, c.Interactions, 4)
	list := c.Interactions[0]
	assert.Equal(t, "GET", list.Request.Method)
	assert.Contains(t, list.Request.URL, "access_token=REDACTED")
	assert.Equal(t, "Bearer REDACTED", list.Request.Headers.Get("Authorization"))
	assert.Equal(t, "REDACTED", list.Request.Headers.Get("Cookie"))
	assert.Equal(t, "REDACTED", list.Response.Headers.Get("Set-Cookie"))
	assert.Empty(t, list.Response.Headers.Get("Content-Length"))
	assert.Equal(t, byte('{'), list.Response.Body[0], "JSON bodies are embedded")

	sub := c.Interactions[1]
	assert.Equal(t, byte('{'), sub.Request.Body[0])
	body, err := sub.Request.BodyBytes()
	require.NoError(t, err)
	assert.JSONEq(t, `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","Resource":"me/messages","ClientState":"REDACTED",`+
		`"client_secret":"REDACTED","Nested":{"Password":"REDACTED"},"Note":"Bearer REDACTED","Owner":"alice@contoso.com"}`, string(body))

	token := c.Interactions[2]
	assert.Equal(t, byte('"'), token.Request.Body[0], "form bodies are stored as strings")
	form, err := token.Request.BodyBytes()
	require.NoError(t, err)
	assert.Equal(t, "grant_type=refresh_token&client_id=app&client_secret=REDACTED&refresh_token=REDACTED&login_hint=alice%40contoso.com", string(form))
	assert.Contains(t, token.Request.URL, "code=REDACTED")

	pic := c.Interactions[3]
	assert.Equal(t, "base64", pic.Response.BodyEncoding)
	b, err := pic.Response.BodyBytes()
	require.NoError(t, err)
	assert.Equal(t, recPhoto(), b)
}

func TestRecordScrubEmails(t *testing.T) {
	t.Parallel()
	srv := recStartAPI(t)
	path := filepath.Join(t.TempDir(), "emails.json")
	rec := office365test.NewRecorder(path, nil, office365test.ScrubEmails())
	recDoRequests(t, &http.Client{Transport: rec}, srv.URL())
	require.NoError(t, rec.Save())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, strings.ToLower(string(data)), "contoso")
	for _, s := range recSecrets {
		assert.NotContains(t, string(data), s)
	}
	assert.Contains(t, string(data), "Attachments@odata.navigationLink", "OData annotations are not addresses")

	c, err := office365test.LoadCassette(path)
	require.NoError(t, err)
	// alice is the first address seen, bob the second; the same address gets
	// the same pseudonym in URLs, headers and bodies, whatever its case.
	list := c.Interactions[0]
	assert.Contains(t, list.Request.URL, "/users/user1@example.com/messages")
	assert.Contains(t, list.Request.URL, "%27user2%40example.com%27")
	assert.Equal(t, "user1@example.com", list.Request.Headers.Get("X-Anchormailbox"))
	resp, err := list.Response.BodyBytes()
	require.NoError(t, err)
	assert.Contains(t, string(resp), `"Address":"user2@example.com"`)
	assert.Contains(t, string(resp), `"Subject":"Hi user1@example.com"`)

	sub := c.Interactions[1]
	assert.Equal(t, "user1@example.com", sub.Request.Headers.Get("X-Anchormailbox"))
	body, err := sub.Request.BodyBytes()
	require.NoError(t, err)
	assert.Contains(t, string(body), `"Owner":"user1@example.com"`)
	form, err := c.Interactions[2].Request.BodyBytes()
	require.NoError(t, err)
	assert.Contains(t, string(form), "login_hint=user1%40example.com")
}

func TestRecordOptionsCustomFields(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "custom.json")
	next := recRoundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Content-Type": {"application/json"}, "X-Tenant-Key": {"tk-secret"}},
			Body:       io.NopCloser(strings.NewReader(`{"apiKey":"ak-secret","nested":[{"API_KEY":"ak2-secret"}],"keep":"visible"}`)),
			Request:    r,
		}, nil
	})
	rec := office365test.NewRecorder(path, next, office365test.ScrubHeaders("x-tenant-key", "X-Request-Secret"), office365test.ScrubJSONFields("api_key"))
	req, err := http.NewRequest(http.MethodGet, "https://service.example/v1/things", nil)
	require.NoError(t, err)
	req.Header.Set("X-Request-Secret", "rq-secret")
	resp, err := rec.RoundTrip(req)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(b), "ak-secret", "the caller sees the real body")

	require.NoError(t, rec.Save())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, s := range []string{"tk-secret", "ak-secret", "ak2-secret", "rq-secret"} {
		assert.NotContains(t, string(data), s)
	}
	assert.Contains(t, string(data), "visible")
}

type recRoundTripFunc func(*http.Request) (*http.Response, error)

func (f recRoundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRecordReplayRoundTrip(t *testing.T) {
	t.Parallel()
	srv := recStartAPI(t)
	path := filepath.Join(t.TempDir(), "roundtrip.json")
	rec := office365test.NewRecorder(path, srv.Client().Transport)
	recorded := recDoRequests(t, &http.Client{Transport: rec}, srv.URL())
	require.NoError(t, rec.Save())

	rp, err := office365test.NewReplayer(path, office365test.MatchBody())
	require.NoError(t, err)
	// A different host: the host is ignored when matching.
	replayed := recDoRequests(t, &http.Client{Transport: rp}, "http://replay.invalid")
	require.Len(t, replayed, len(recorded))
	for i := range recorded {
		assert.Equal(t, recorded[i].status, replayed[i].status, i)
		assert.Equal(t, recorded[i].contentType, replayed[i].contentType, i)
	}
	// Responses without secrets come back identical (JSON in compact form).
	assert.JSONEq(t, string(recorded[0].body), string(replayed[0].body))
	assert.Equal(t, recorded[3].body, replayed[3].body)
	// Responses with secrets come back scrubbed.
	assert.JSONEq(t, strings.NewReplacer("state-secret", "REDACTED", "json-secret", "REDACTED", "pw-secret", "REDACTED",
		"EwBwA8l6BAAU7p9QDpiNOTE", "REDACTED").Replace(string(recorded[1].body)), string(replayed[1].body))
	assert.JSONEq(t, `{"token_type":"Bearer","expires_in":3599,"access_token":"REDACTED","refresh_token":"REDACTED","id_token":"REDACTED"}`, string(replayed[2].body))
	assert.Empty(t, rp.Unused())
}

func TestReplayResponse(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "c.json")
	c := &office365test.Cassette{Interactions: []office365test.Interaction{
		{
			Request:  office365test.CassetteRequest{Method: "GET", URL: "https://outlook.office.com/api/v2.0/me"},
			Response: office365test.CassetteResponse{Status: 200, Headers: http.Header{"Content-Type": {"application/json"}, "X-Multi": {"a", "b"}}},
		},
		{
			Request:  office365test.CassetteRequest{Method: "DELETE", URL: "https://outlook.office.com/api/v2.0/me/messages/A"},
			Response: office365test.CassetteResponse{Status: 204},
		},
	}}
	c.Interactions[0].Response.SetBody([]byte("{ \"Id\": \"me\" }\n"))
	require.NoError(t, c.Save(path))

	rp, err := office365test.NewReplayer(path)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/api/v2.0/me", nil)
	require.NoError(t, err)
	resp, err := rp.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "200 OK", resp.Status)
	assert.Same(t, req, resp.Request)
	assert.Equal(t, []string{"a", "b"}, resp.Header.Values("X-Multi"))
	assert.EqualValues(t, len(`{"Id":"me"}`), resp.ContentLength)
	assert.Equal(t, "11", resp.Header.Get("Content-Length"))
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"Id":"me"}`, string(b))

	req, err = http.NewRequest(http.MethodDelete, "http://x/api/v2.0/me/messages/A", nil)
	require.NoError(t, err)
	resp, err = rp.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, http.NoBody, resp.Body)
	assert.Zero(t, resp.ContentLength)
}

// recSaveCassette writes interactions (request method+URL+body, response
// status+body) to a temporary cassette and returns its path.
func recSaveCassette(t *testing.T, ins ...[4]string) string {
	t.Helper()
	c := &office365test.Cassette{}
	for _, in := range ins {
		var it office365test.Interaction
		it.Request.Method, it.Request.URL = in[0], in[1]
		it.Request.SetBody([]byte(in[2]))
		it.Response.Status = 200
		it.Response.SetBody([]byte(in[3]))
		c.Interactions = append(c.Interactions, it)
	}
	path := filepath.Join(t.TempDir(), "cassette.json")
	require.NoError(t, c.Save(path))
	return path
}

func recReplay(t *testing.T, rp http.RoundTripper, method, url, body string) (string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	require.NoError(t, err)
	if strings.Contains(body, "=") && !strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := (&http.Client{Transport: rp}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b), nil
}

func TestReplayMatching(t *testing.T) {
	t.Parallel()
	path := recSaveCassette(t,
		[4]string{"GET", "https://outlook.office.com/api/v2.0/me/messages?$top=2&$select=Subject,From", "", "page1"},
		[4]string{"POST", "https://login.microsoftonline.com/tenant/oauth2/v2.0/token?code=REDACTED", "grant_type=authorization_code&code=REDACTED", "token"},
		[4]string{"GET", "https://outlook.office.com/api/v2.0/me/messages('AAMk%2FAA%3D')", "", "message"},
	)
	rp, err := office365test.NewReplayer(path)
	require.NoError(t, err)

	got, err := recReplay(t, rp, "GET", "http://localhost:9/api/v2.0/me/messages?%24select=Subject%2CFrom&$top=2", "")
	require.NoError(t, err, "query order, escaping and host do not matter")
	assert.Equal(t, "page1", got)
	got, err = recReplay(t, rp, "POST", "http://localhost:9/tenant/oauth2/v2.0/token?code=the-real-code", "grant_type=authorization_code&code=another")
	require.NoError(t, err, "recorded redactions match any value")
	assert.Equal(t, "token", got)
	_, err = recReplay(t, rp, "GET", "http://localhost:9/api/v2.0/me/messages('AAMk/AA=')", "")
	require.Error(t, err, "an escaped slash is not a path separator")
	assert.ErrorIs(t, err, office365test.ErrNoMatch)
	got, err = recReplay(t, rp, "GET", "http://localhost:9/api/v2.0/me/messages('AAMk%2FAA=')", "")
	require.NoError(t, err)
	assert.Equal(t, "message", got)
	assert.Empty(t, rp.Unused())
}

func TestReplayUnmatched(t *testing.T) {
	t.Parallel()
	path := recSaveCassette(t,
		[4]string{"GET", "https://outlook.office.com/api/v2.0/me/messages?$top=2", "", "first"},
		[4]string{"GET", "https://outlook.office.com/api/v2.0/me/events", "", "second"},
	)

	t.Run("sequential", func(t *testing.T) {
		t.Parallel()
		rp, err := office365test.NewReplayer(path)
		require.NoError(t, err)
		_, err = recReplay(t, rp, "GET", "http://x/api/v2.0/me/events", "")
		require.ErrorIs(t, err, office365test.ErrNoMatch)
		assert.Contains(t, err.Error(), "GET /api/v2.0/me/events")
		assert.Contains(t, err.Error(), "next interaction is #0 GET /api/v2.0/me/messages?$top=2 (path differs)")
		assert.Contains(t, err.Error(), "interaction #1 matches but is out of order")

		req, err := http.NewRequest("GET", "http://x/api/v2.0/me/messages?$top=3&access_token=leaked-secret", nil)
		require.NoError(t, err)
		_, err = rp.RoundTrip(req)
		require.ErrorIs(t, err, office365test.ErrNoMatch)
		assert.Contains(t, err.Error(), "query differs")
		assert.NotContains(t, err.Error(), "leaked-secret", "errors never carry secrets")

		_, err = recReplay(t, rp, "POST", "http://x/api/v2.0/me/messages?$top=2", "")
		require.ErrorIs(t, err, office365test.ErrNoMatch)
		assert.Contains(t, err.Error(), "method differs")
		assert.Len(t, rp.Unused(), 2, "failed requests use nothing up")

		for _, p := range []string{"/api/v2.0/me/messages?$top=2", "/api/v2.0/me/events"} {
			_, err = recReplay(t, rp, "GET", "http://x"+p, "")
			require.NoError(t, err)
		}
		_, err = recReplay(t, rp, "GET", "http://x/api/v2.0/me/events", "")
		require.ErrorIs(t, err, office365test.ErrNoMatch)
		assert.Contains(t, err.Error(), "all 2 recorded interactions have been used")
	})

	t.Run("any order", func(t *testing.T) {
		t.Parallel()
		rp, err := office365test.NewReplayer(path, office365test.AnyOrder())
		require.NoError(t, err)
		got, err := recReplay(t, rp, "GET", "http://x/api/v2.0/me/events", "")
		require.NoError(t, err)
		assert.Equal(t, "second", got)
		_, err = recReplay(t, rp, "GET", "http://x/api/v2.0/me/messages?$top=5", "")
		require.ErrorIs(t, err, office365test.ErrNoMatch)
		assert.Contains(t, err.Error(), "closest unused: #0 GET /api/v2.0/me/messages?$top=2 (query differs)")
		unused := rp.Unused()
		require.Len(t, unused, 1)
		assert.Equal(t, "https://outlook.office.com/api/v2.0/me/messages?$top=2", unused[0].Request.URL)
	})

	t.Run("bad requests", func(t *testing.T) {
		t.Parallel()
		rp, err := office365test.NewReplayer(path)
		require.NoError(t, err)
		_, err = rp.RoundTrip(nil)
		require.Error(t, err)
		_, err = rp.RoundTrip(&http.Request{Method: "GET"})
		require.Error(t, err)

		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		req, err := http.NewRequestWithContext(ctx, "GET", "http://x/api/v2.0/me/messages?$top=2", nil)
		require.NoError(t, err)
		_, err = rp.RoundTrip(req)
		require.ErrorIs(t, err, context.Canceled)
		assert.Len(t, rp.Unused(), 2)
	})
}

func TestReplayMatchBody(t *testing.T) {
	t.Parallel()
	path := recSaveCassette(t,
		[4]string{"POST", "https://outlook.office.com/api/v2.0/me/sendmail", `{"a":1,"b":[1,2],"secret":"REDACTED"}`, "first"},
		[4]string{"POST", "https://outlook.office.com/api/v2.0/me/sendmail", `{"a":2}`, "second"},
		[4]string{"POST", "https://login.example/token", "grant_type=client_credentials&client_secret=REDACTED&scope=x", "token"},
		[4]string{"POST", "https://outlook.office.com/api/v2.0/me/raw", "plain text", "raw"},
	)

	rp, err := office365test.NewReplayer(path, office365test.MatchBody(), office365test.AnyOrder())
	require.NoError(t, err)
	_, err = recReplay(t, rp, "POST", "http://x/api/v2.0/me/sendmail", `{"a":3}`)
	require.ErrorIs(t, err, office365test.ErrNoMatch)
	assert.Contains(t, err.Error(), "body differs")
	got, err := recReplay(t, rp, "POST", "http://x/api/v2.0/me/sendmail", `{"a":2.0}`)
	require.NoError(t, err)
	assert.Equal(t, "second", got)
	got, err = recReplay(t, rp, "POST", "http://x/api/v2.0/me/sendmail", "{ \"secret\": {\"any\": true}, \"b\": [1, 2], \"a\": 1 }")
	require.NoError(t, err, "member order and whitespace are ignored; REDACTED matches anything")
	assert.Equal(t, "first", got)
	_, err = recReplay(t, rp, "POST", "http://x/token", "scope=y&grant_type=client_credentials&client_secret=real")
	require.ErrorIs(t, err, office365test.ErrNoMatch)
	got, err = recReplay(t, rp, "POST", "http://x/token", "scope=x&grant_type=client_credentials&client_secret=real")
	require.NoError(t, err, "form fields are compared unordered")
	assert.Equal(t, "token", got)
	_, err = recReplay(t, rp, "POST", "http://x/api/v2.0/me/raw", "other text")
	require.ErrorIs(t, err, office365test.ErrNoMatch)
	got, err = recReplay(t, rp, "POST", "http://x/api/v2.0/me/raw", "plain text")
	require.NoError(t, err)
	assert.Equal(t, "raw", got)

	// Without MatchBody the body is not looked at.
	rp, err = office365test.NewReplayer(path)
	require.NoError(t, err)
	got, err = recReplay(t, rp, "POST", "http://x/api/v2.0/me/sendmail", `{"a":42}`)
	require.NoError(t, err)
	assert.Equal(t, "first", got)
}

func TestReplayEmailPseudonyms(t *testing.T) {
	t.Parallel()
	srv := recStartAPI(t)
	path := filepath.Join(t.TempDir(), "emails.json")
	rec := office365test.NewRecorder(path, nil, office365test.ScrubEmails())
	upns := []string{"alice@contoso.com", "bob@contoso.com", "alice@contoso.com"}
	list := func(client *http.Client, base, upn string) (string, error) {
		req, err := http.NewRequestWithContext(t.Context(), "GET", base+"/api/v2.0/users/"+upn+"/messages", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer secret-token")
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	for _, upn := range upns {
		_, err := list(&http.Client{Transport: rec}, srv.URL(), upn)
		require.NoError(t, err)
	}
	require.NoError(t, rec.Save())

	t.Run("real addresses", func(t *testing.T) {
		t.Parallel()
		rp, err := office365test.NewReplayer(path)
		require.NoError(t, err)
		client := &http.Client{Transport: rp}
		for _, upn := range []string{"carol@fabrikam.com", "dave@fabrikam.com", "carol@fabrikam.com"} {
			body, err := list(client, "http://x", upn)
			require.NoError(t, err, upn)
			assert.Contains(t, body, "@example.com", "responses hold the pseudonyms")
		}
	})
	t.Run("inconsistent addresses", func(t *testing.T) {
		t.Parallel()
		rp, err := office365test.NewReplayer(path)
		require.NoError(t, err)
		client := &http.Client{Transport: rp}
		_, err = list(client, "http://x", "carol@fabrikam.com")
		require.NoError(t, err)
		_, err = list(client, "http://x", "carol@fabrikam.com")
		require.ErrorIs(t, err, office365test.ErrNoMatch, "user2 cannot stand for carol, who is user1")
		_, err = list(client, "http://x", "dave@fabrikam.com")
		require.NoError(t, err)
		_, err = list(client, "http://x", "dave@fabrikam.com")
		require.ErrorIs(t, err, office365test.ErrNoMatch, "user1 is carol")
	})
	t.Run("pseudonyms", func(t *testing.T) {
		t.Parallel()
		rp, err := office365test.NewReplayer(path)
		require.NoError(t, err)
		client := &http.Client{Transport: rp}
		for _, upn := range []string{"user1@example.com", "user2@example.com", "user1@example.com"} {
			_, err := list(client, "http://x", upn)
			require.NoError(t, err, upn)
		}
	})
}

func TestRecordConcurrent(t *testing.T) {
	t.Parallel()
	srv := office365test.NewServer()
	t.Cleanup(srv.Close)
	srv.Mount("/api", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		office365test.WriteJSON(w, http.StatusOK, map[string]string{"path": r.URL.Path, "owner": "alice@contoso.com"})
	}))
	path := filepath.Join(t.TempDir(), "concurrent.json")
	rec := office365test.NewRecorder(path, srv.Client().Transport, office365test.ScrubEmails())
	const workers, each = 8, 10
	call := func(client *http.Client, base string, w, i int) error {
		req, err := http.NewRequestWithContext(t.Context(), "GET", fmt.Sprintf("%s/api/items/%d-%d", base, w, i), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer secret-token")
		req.Header.Set("X-AnchorMailbox", fmt.Sprintf("user-%d@contoso.com", w%2))
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var v map[string]string
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			return err
		}
		if want := fmt.Sprintf("/api/items/%d-%d", w, i); v["path"] != want {
			return fmt.Errorf("got %q, want %q", v["path"], want)
		}
		return nil
	}
	run := func(client *http.Client, base string) error {
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					if err := call(client, base, w, i); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		return errors.Join(func() []error {
			var all []error
			for err := range errs {
				all = append(all, err)
			}
			return all
		}()...)
	}
	require.NoError(t, run(&http.Client{Transport: rec}, srv.URL()))
	require.NoError(t, rec.Save())

	c, err := office365test.LoadCassette(path)
	require.NoError(t, err)
	require.Len(t, c.Interactions, workers*each)
	seen := map[string]bool{}
	for _, in := range c.Interactions {
		seen[in.Request.URL] = true
		owner, err := in.Response.BodyBytes()
		require.NoError(t, err)
		assert.Contains(t, string(owner), `"owner":"user`)
		assert.Contains(t, []string{"user1@example.com", "user2@example.com", "user3@example.com"}, in.Request.Headers.Get("X-Anchormailbox"))
	}
	assert.Len(t, seen, workers*each)

	rp, err := office365test.NewReplayer(path, office365test.AnyOrder())
	require.NoError(t, err)
	require.NoError(t, run(&http.Client{Transport: rp}, "http://replay.invalid"))
	assert.Empty(t, rp.Unused())
}

func TestRecordTransportFailures(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "fail.json")
	boom := errors.New("boom")

	rec := office365test.NewRecorder(path, recRoundTripFunc(func(*http.Request) (*http.Response, error) { return nil, boom }))
	req, err := http.NewRequest("POST", "https://x.example/a", strings.NewReader("body"))
	require.NoError(t, err)
	_, err = rec.RoundTrip(req)
	require.ErrorIs(t, err, boom)
	assert.Empty(t, rec.Interactions())

	rec = office365test.NewRecorder(path, recRoundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Request: r,
			Body: io.NopCloser(io.MultiReader(strings.NewReader("partial"), recErrReader{boom}))}, nil
	}))
	req, err = http.NewRequest("GET", "https://x.example/a", nil)
	require.NoError(t, err)
	resp, err := rec.RoundTrip(req)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, boom, "a broken body reaches the caller as a broken body")
	assert.Equal(t, "partial", string(b))
	assert.Empty(t, rec.Interactions())

	_, err = rec.RoundTrip(nil)
	require.Error(t, err)
}

type recErrReader struct{ err error }

func (e recErrReader) Read([]byte) (int, error) { return 0, e.err }

func TestRecordForwardsRequestBody(t *testing.T) {
	t.Parallel()
	var got []byte
	rec := office365test.NewRecorder(filepath.Join(t.TempDir(), "c.json"), recRoundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		got = b
		again, err := r.GetBody()
		if err != nil {
			return nil, err
		}
		b2, _ := io.ReadAll(again)
		if !bytes.Equal(b, b2) {
			return nil, errors.New("GetBody returned a different body")
		}
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}))
	req, err := http.NewRequest("PATCH", "https://x.example/a", strings.NewReader(`{"Subject":"x"}`))
	require.NoError(t, err)
	resp, err := rec.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, `{"Subject":"x"}`, string(got))
	ins := rec.Interactions()
	require.Len(t, ins, 1)
	assert.Equal(t, "PATCH", ins[0].Request.Method)
	assert.Nil(t, ins[0].Response.Body)
}

func TestRecordGzipResponse(t *testing.T) {
	t.Parallel()
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write([]byte(`{"access_token":"gz-secret","ok":true}`))
	require.NoError(t, zw.Close())
	path := filepath.Join(t.TempDir(), "gzip.json")
	rec := office365test.NewRecorder(path, recRoundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Request: r,
			Header: http.Header{"Content-Encoding": {"gzip"}, "Content-Type": {"application/json"}},
			Body:   io.NopCloser(bytes.NewReader(zipped.Bytes()))}, nil
	}))
	req, err := http.NewRequest("GET", "https://x.example/token", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := rec.RoundTrip(req)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, zipped.Bytes(), b, "the caller gets the compressed body it asked for")

	require.NoError(t, rec.Save())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "gz-secret")
	ins := rec.Interactions()
	require.Len(t, ins, 1)
	assert.Empty(t, ins[0].Response.Headers.Get("Content-Encoding"))
	body, err := ins[0].Response.BodyBytes()
	require.NoError(t, err)
	assert.JSONEq(t, `{"access_token":"REDACTED","ok":true}`, string(body))
}

func TestCassetteSaveLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "a", "b", "c.json")
	c := &office365test.Cassette{Interactions: []office365test.Interaction{{
		Request: office365test.CassetteRequest{Method: "POST", URL: "https://x.example/a?b=1&c=<2>",
			Headers: http.Header{"Content-Type": {"application/json"}, "Accept": {"a", "b"}}},
		Response: office365test.CassetteResponse{Status: 201, Headers: http.Header{"Location": {"https://x.example/a/1"}}},
	}}}
	c.Interactions[0].Request.SetBody([]byte(`{"html":"<b>&amp;</b>","n":1.50}`))
	c.Interactions[0].Response.SetBody([]byte("créé"))
	require.NoError(t, c.Save(path))
	first, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(first), `"url": "https://x.example/a?b=1&c=<2>"`, "no HTML escaping")
	assert.Contains(t, string(first), `"Content-Type": "application/json"`, "one value is a string")
	assert.Contains(t, string(first), "\"Accept\": [\n", "several values are an array")
	assert.Contains(t, string(first), `"html": "<b>&amp;</b>"`, "JSON bodies are embedded")
	assert.Contains(t, string(first), `"body": "créé"`)

	loaded, err := office365test.LoadCassette(path)
	require.NoError(t, err)
	assert.Equal(t, c.Interactions[0].Request.Headers, loaded.Interactions[0].Request.Headers)
	assert.Equal(t, c.Interactions[0].Response.Headers, loaded.Interactions[0].Response.Headers)
	body, err := loaded.Interactions[0].Request.BodyBytes()
	require.NoError(t, err)
	assert.Equal(t, `{"html":"<b>&amp;</b>","n":1.50}`, string(body))
	require.NoError(t, loaded.Save(path))
	second, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second), "load + save is stable")
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")

	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, (&office365test.Cassette{}).Save(empty))
	data, err := os.ReadFile(empty)
	require.NoError(t, err)
	assert.JSONEq(t, `{"interactions":[]}`, string(data))
	var nilCassette *office365test.Cassette
	require.Error(t, nilCassette.Save(empty))
}

func TestCassetteBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, encoding string
		first              byte
		want               string
	}{
		{"json object", "{ \"a\" : 1 }\n", "", '{', `{"a":1}`},
		{"json array", `[1, 2]`, "", '[', `[1,2]`},
		{"json scalar stays text", `42`, "", '"', `42`},
		{"text", "hello\n", "", '"', "hello\n"},
		{"invalid json", `{"a":`, "", '"', `{"a":`},
		{"binary", "\x00\xff\x10", "base64", '"', "\x00\xff\x10"},
	}
	for _, tt := range tests {
		var r office365test.CassetteResponse
		r.SetBody([]byte(tt.in))
		assert.Equal(t, tt.encoding, r.BodyEncoding, tt.name)
		assert.Equal(t, tt.first, r.Body[0], tt.name)
		got, err := r.BodyBytes()
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, string(got), tt.name)
	}
	var r office365test.CassetteRequest
	r.SetBody(nil)
	assert.Nil(t, r.Body)
	got, err := r.BodyBytes()
	require.NoError(t, err)
	assert.Nil(t, got)
}

func TestCassetteLoadErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct{ name, content, want string }{
		{"invalid json", `{"interactions":`, "unexpected end"},
		{"no method", `{"interactions":[{"request":{"url":"https://x"},"response":{"status":200}}]}`, "interaction 0: request has no method"},
		{"no url", `{"interactions":[{"request":{"method":"GET"},"response":{"status":200}}]}`, "is not a valid URL"},
		{"bad url", `{"interactions":[{"request":{"method":"GET","url":"http://[::1"},"response":{"status":200}}]}`, "is not a valid URL"},
		{"bad status", `{"interactions":[{"request":{"method":"GET","url":"/a"},"response":{"status":0}}]}`, "status 0"},
		{"bad base64", `{"interactions":[{"request":{"method":"GET","url":"/a"},"response":{"status":200,"body":"!!","bodyEncoding":"base64"}}]}`, "base64"},
		{"base64 not a string", `{"interactions":[{"request":{"method":"GET","url":"/a"},"response":{"status":200,"body":{},"bodyEncoding":"base64"}}]}`, "must be a JSON string"},
		{"unknown encoding", `{"interactions":[{"request":{"method":"GET","url":"/a","body":"x","bodyEncoding":"hex"},"response":{"status":200}}]}`, `unsupported bodyEncoding "hex"`},
		{"bad header", `{"interactions":[{"request":{"method":"GET","url":"/a","headers":{"A":1}},"response":{"status":200}}]}`, "header value"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
		require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
		_, err := office365test.LoadCassette(path)
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
		assert.Contains(t, err.Error(), path, tt.name)
		_, err = office365test.NewReplayer(path)
		require.Error(t, err, tt.name)
	}
	_, err := office365test.LoadCassette(filepath.Join(dir, "missing.json"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestReplayFixture(t *testing.T) {
	t.Parallel()
	// The fixture is in canonical form: loading and saving it changes nothing.
	c, err := office365test.LoadCassette(recFixturePath)
	require.NoError(t, err)
	want, err := os.ReadFile(recFixturePath)
	require.NoError(t, err)
	resaved := filepath.Join(t.TempDir(), "resaved.json")
	require.NoError(t, c.Save(resaved))
	got, err := os.ReadFile(resaved)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	rp, err := office365test.NewReplayer(recFixturePath, office365test.MatchBody())
	require.NoError(t, err)
	srv := office365test.NewServer() // replayed fixtures need no live server; its URL is just a base
	t.Cleanup(srv.Close)
	body, err := recReplay(t, rp, "GET", srv.URL()+"/api/v2.0/me/messages?$top=2&$select=Subject,From", "")
	require.NoError(t, err)
	var page struct {
		Value    []struct{ Subject string }
		NextLink string `json:"@odata.nextLink"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &page))
	require.Len(t, page.Value, 2)
	_, err = recReplay(t, rp, "GET", page.NextLink, "")
	require.NoError(t, err)
	_, err = recReplay(t, rp, "POST", srv.URL()+"/api/v2.0/me/sendmail",
		`{"SaveToSentItems":true,"Message":{"Subject":"Re: Quarterly report","Body":{"ContentType":"Text","Content":"Thanks!"},"ToRecipients":[{"EmailAddress":{"Address":"bob@contoso.com"}}]}}`)
	require.NoError(t, err)
	assert.Empty(t, rp.Unused())
	assert.Empty(t, srv.Requests(), "nothing reached the server")
}

// Replay a recorded Outlook conversation without any network: the host of
// the fixture (outlook.office.com) is ignored, so any base URL works, and
// the order of query parameters does not matter.
func ExampleReplayer() {
	rp, err := office365test.NewReplayer("../testdata/office365test/outlook-messages.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	client := &http.Client{Transport: rp}
	next := "http://fixtures.invalid/api/v2.0/me/messages?$top=2&$select=Subject,From"
	for next != "" {
		resp, err := client.Get(next)
		if err != nil {
			fmt.Println(err)
			return
		}
		var page struct {
			Value []struct {
				Subject string
				From    struct{ EmailAddress struct{ Address string } }
			}
			NextLink string `json:"@odata.nextLink"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, m := range page.Value {
			fmt.Printf("%s (from %s)\n", m.Subject, m.From.EmailAddress.Address)
		}
		next = page.NextLink
	}
	for _, in := range rp.Unused() {
		fmt.Println("not replayed:", in.Request.Method, in.Request.URL)
	}
	// Output:
	// Quarterly report (from user2@example.com)
	// Lunch? (from user3@example.com)
	// Welcome (from user2@example.com)
	// not replayed: POST https://outlook.office.com/api/v2.0/me/sendmail
}
