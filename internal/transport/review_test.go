package transport

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
)

// TestBodyReaderNotConsumed: the caller's *bytes.Reader, *strings.Reader
// and *bytes.Buffer are left untouched (they used to be drained), so the
// same value can be sent again; a retry re-sends the same bytes.
func TestBodyReaderNotConsumed(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, ""), respond(204, nil, "")}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken), office365.WithRetry(office365.RetryOptions{MaxRetries: 1, BaseDelay: 1, MaxDelay: 1}))

	br := bytes.NewReader([]byte("0123456789"))
	_, _ = br.Seek(2, 0) // only the unread remainder is the body
	sr := strings.NewReader("strings")
	bb := bytes.NewBufferString("buffer")
	for _, body := range []interface {
		Len() int
		Read([]byte) (int, error)
	}{br, sr, bb} {
		before := body.Len()
		require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodPut, Path: "/x", Body: body}, nil))
		assert.Equal(t, before, body.Len(), "%T consumed", body)
	}
	reqs := s.requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "23456789", reqs[0].body)
	assert.Equal(t, "23456789", reqs[1].body, "retry re-sends the same bytes")
	assert.Equal(t, "strings", reqs[2].body)
	assert.Equal(t, "buffer", reqs[3].body)
}

// TestTypedNilBodyIsEmpty: a nil *bytes.Buffer (or reader) in Body used to
// panic; it is an empty body.
func TestTypedNilBodyIsEmpty(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(204, nil, "")}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	var buf *bytes.Buffer
	var br *bytes.Reader
	var sr *strings.Reader
	for _, body := range []any{buf, br, sr} {
		require.NotPanics(t, func() {
			require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodPost, Path: "/x", Body: body.(interface{ Read([]byte) (int, error) })}, nil))
		})
	}
	for _, r := range s.requests() {
		assert.Empty(t, r.body)
	}
}

// TestOwnedHeadersCannotBeOverridden: a call's headers may not replace the
// pipeline's Authorization, User-Agent or client-request-id (the per-call
// id must be the one reused across retries and put on errors).
func TestOwnedHeadersCannotBeOverridden(t *testing.T) {
	for _, h := range []string{"Authorization", "authorization", "Client-Request-Id", "return-client-request-id", "User-Agent", "Retry-Attempt"} {
		s := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{}`)}}
		p := newTestPipeline(t, s, auth.StaticToken(testToken))
		_, err := p.Do(t.Context(), &Request{Path: "/x", Header: http.Header{h: {"mine"}}})
		require.Error(t, err, h)
		assert.Contains(t, err.Error(), "set by the client")
		assert.Empty(t, s.requests(), "nothing is sent")
	}
}

// TestDoJSONEmptySuccessBodies: a HEAD answer and an empty 202 are not JSON
// decoding errors (they used to be "unexpected end of JSON input").
func TestDoJSONEmptySuccessBodies(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){
		respond(200, map[string]string{"Content-Type": "application/json", "Content-Length": "42"}, ""),
		respond(202, nil, ""),
		respond(205, nil, ""),
	}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	out := map[string]any{"kept": true}
	_, err := p.DoJSONHeader(t.Context(), &Request{Method: http.MethodHead, Path: "/x"}, &out)
	require.NoError(t, err)
	require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodPost, Path: "/me/sendmail"}, &out))
	require.NoError(t, p.DoJSON(t.Context(), &Request{Method: http.MethodPost, Path: "/reset"}, &out))
	assert.Equal(t, map[string]any{"kept": true}, out)
	// A non-empty invalid body is still an error.
	s2 := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, "not json")}}
	require.Error(t, newTestPipeline(t, s2, auth.StaticToken(testToken)).DoJSON(t.Context(), &Request{Path: "/x"}, &out))
}

// rotatingCred is a credential without Refresh whose Token changes on every
// call (a custom credential with its own refresh logic).
type rotatingCred struct{ n int }

func (c *rotatingCred) Token(context.Context, []string) (*oauth2.Token, error) {
	c.n++
	return &oauth2.Token{AccessToken: strings.Repeat("t", c.n)}, nil
}

// TestUnauthorizedWithoutRefresher: a credential that cannot refresh and
// returns the same token again does not get the request re-sent only to be
// rejected again; one that returns a new token does.
func TestUnauthorizedWithoutRefresher(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(401, nil, odataErr("InvalidAuthenticationToken", "expired"))}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	_, err := p.Do(t.Context(), &Request{Method: http.MethodPost, Path: "/me/sendmail", Body: strings.NewReader("x")})
	require.True(t, office365.IsUnauthorized(err))
	assert.Len(t, s.requests(), 1, "the same static token is not re-sent")

	s2 := &script{steps: []func(*http.Request) (*http.Response, error){
		respond(401, nil, odataErr("InvalidAuthenticationToken", "expired")), respond(200, nil, `{}`)}}
	rc := &rotatingCred{}
	p2 := newTestPipeline(t, s2, rc)
	require.NoError(t, p2.DoJSON(t.Context(), &Request{Path: "/x"}, nil))
	assert.Equal(t, 2, rc.n, "the token fetched to compare is the one sent")
	reqs := s2.requests()
	require.Len(t, reqs, 2)
	assert.NotEqual(t, reqs[0].header.Get("Authorization"), reqs[1].header.Get("Authorization"))
}

// TestInvalidURLErrorHasNoSecret: an unparsable absolute URL (a corrupt
// nextLink) used to be quoted whole in the error, token included.
func TestInvalidURLErrorHasNoSecret(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{}`)}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	_, err := p.Do(t.Context(), &Request{Path: "https://outlook.office.com/api/v2.0/me?access_token=" + testToken + "\x7f"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testToken)
	_, err = p.URL(&Request{Path: "https://outlook.office.com/x?sig=supersecret\n"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "supersecret")
	assert.Empty(t, s.requests())
}

// TestRedactURLCoversSecretParams: every name the fixture scrubber treats
// as secret (the shared list) is redacted by RedactURL, in any spelling,
// and a fragment (implicit-flow tokens) is dropped.
func TestRedactURLCoversSecretParams(t *testing.T) {
	for _, name := range SecretParamNames() {
		camel := strings.ReplaceAll(strings.ToUpper(name[:1])+name[1:], "_", "-")
		for _, spelling := range []string{name, strings.ToUpper(name), camel, strings.ReplaceAll(name, "_", "")} {
			got := RedactURL("https://h/p?" + spelling + "=s3cr3t&$select=A")
			assert.NotContains(t, got, "s3cr3t", spelling)
			assert.Contains(t, got, "$select=A")
			assert.True(t, IsSecretParam(spelling), spelling)
		}
	}
	assert.False(t, IsSecretParam("$skiptoken"), "paging state is not a secret for fixtures")
	assert.Equal(t, "https://h/cb?x=1", RedactURL("https://h/cb?x=1#access_token="+testToken+"&state=s"))
}

// TestAbsoluteURLToOtherHostGetsNoToken: an absolute URL (a nextLink or a
// stored deltaLink) on another host is refused when a token would go with
// it; the same host with other case or an explicit default port is fine.
func TestAbsoluteURLToOtherHostGetsNoToken(t *testing.T) {
	s := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{}`)}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken))
	for _, u := range []string{"https://evil.example.com/api/v2.0/me", "https://outlook.office.com.evil.example/api", "https://outlook.office.com:8443/api"} {
		_, err := p.Do(t.Context(), &Request{Path: u})
		require.ErrorContains(t, err, "not the service host", u)
	}
	assert.Empty(t, s.requests())
	for _, u := range []string{"https://OUTLOOK.office.com/api/v2.0/me", "https://outlook.office.com:443/api/v2.0/me"} {
		require.NoError(t, p.DoJSON(t.Context(), &Request{Path: u}, nil), u)
	}
	// Without a credential there is no token to leak.
	s2 := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{}`)}}
	require.NoError(t, newTestPipeline(t, s2, nil).DoJSON(t.Context(), &Request{Path: "https://other.example.com/x"}, nil))
}
