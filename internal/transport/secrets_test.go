package transport

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
)

// opaqueToken is a bearer token that is not a JWT and holds the characters
// JSON and URL encodings change ("+", "/", "="), so only knowing the exact
// token finds it in every encoding.
const opaqueToken = "opaqueT0k3n+with/slash=="

// echoed are values a hostile server or proxy echoes back, and the part of
// each that must not reach an error.
var echoedSecrets = []string{
	opaqueToken, "authcode-SECRET-1", "clientsecret-SECRET-2", "accesstoken-SECRET-3", "refreshtoken-SECRET-4",
	"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig", "proxyauth-SECRET-5",
}

// hostileBodies answer with the secrets in many shapes and encodings.
func hostileBodies() map[string]struct {
	contentType string
	body        []byte
} {
	jsonEscaped := strings.NewReplacer("/", `\/`, "+", `\u002B`).Replace(opaqueToken)
	prose := "Authorization: Bearer " + opaqueToken + "\r\n" +
		"your token " + opaqueToken + " and eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig were rejected; " +
		"callback https://app.example.com/cb?state=1&code=authcode-SECRET-1&session=2 " +
		"form client_secret=clientsecret-SECRET-2&grant_type=x " +
		"fragment https://app.example.com/#access_token=accesstoken-SECRET-3&token_type=bearer " +
		"refresh_token=refreshtoken-SECRET-4 Proxy-Authorization: Basic proxyauth-SECRET-5"
	latin1 := append([]byte("Fehler \xe4\xf6\xfc: "), prose...)
	utf16le := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(prose)) {
		utf16le = binary.LittleEndian.AppendUint16(utf16le, u)
	}
	utf16noBOM := []byte{}
	for _, u := range utf16.Encode([]rune(prose)) {
		utf16noBOM = binary.BigEndian.AppendUint16(utf16noBOM, u)
	}
	odata := fmt.Sprintf(`{"error":{"code":"InvalidAuthenticationToken Bearer %s","message":%q,`+
		`"innerError":{"authorization":"Bearer %s","request":"https:\/\/x\/?code=authcode-SECRET-1\u0026client_secret=clientsecret-SECRET-2",`+
		`"access_token":"accesstoken-SECRET-3","refresh_token":"refreshtoken-SECRET-4","proxy":"Proxy-Authorization: Basic proxyauth-SECRET-5"}}}`,
		jsonEscaped, prose, jsonEscaped)
	html := "<!DOCTYPE html><html><head><title>Denied Bearer " + opaqueToken + "</title></head><body><p>" +
		strings.ReplaceAll(prose, "&", "&amp;") + "</p><a href=\"/login?x=1&amp;code=authcode-SECRET-1\">x</a></body></html>"
	return map[string]struct {
		contentType string
		body        []byte
	}{
		"odata":             {"application/json", []byte(odata)},
		"json-not-odata":    {"application/json", []byte(`{"echo":{"Authorization":"Bearer ` + jsonEscaped + `","q":"` + strings.ReplaceAll(prose, "\r\n", " ") + `"}}`)},
		"html":              {"text/html", []byte(html)},
		"text":              {"text/plain", []byte(prose)},
		"latin1":            {"text/plain; charset=iso-8859-1", latin1},
		"utf16-bom":         {"text/plain; charset=utf-16", utf16le},
		"utf16-no-bom":      {"text/plain; charset=utf-16be", utf16noBOM},
		"unknown-type":      {"application/octet-stream", latin1},
		"token-at-300-edge": {"text/plain", []byte(strings.Repeat("x", 290) + " Bearer " + opaqueToken)},
	}
}

func assertNoSecrets(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		for _, secret := range echoedSecrets {
			assert.NotContains(t, s, secret, what)
		}
		for _, part := range []string{"opaqueT0k3n", "SECRET"} {
			assert.NotContains(t, s, part, what)
		}
	}
}

// errorTexts is everything a user can read off err: its text, %+v, every
// field of the *office365.Error and every error in the chain.
func errorTexts(err error) []string {
	out := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	var apiErr *office365.Error
	if errors.As(err, &apiErr) {
		out = append(out, fmt.Sprintf("%+v", *apiErr), apiErr.Message, apiErr.Code, apiErr.Excerpt, string(apiErr.InnerError),
			apiErr.RequestID, apiErr.ClientRequestID, apiErr.ActivityID, apiErr.ContentType)
	}
	stack := []error{err}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, e.Error(), fmt.Sprintf("%+v", e))
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if w := u.Unwrap(); w != nil {
				stack = append(stack, w)
			}
		case interface{ Unwrap() []error }:
			stack = append(stack, u.Unwrap()...)
		}
	}
	return out
}

// TestEchoedSecretsNeverReachErrors: a server that echoes the request's
// Authorization header, its bearer token and OAuth secrets in an error
// body, in any encoding, gets none of them into the error.
func TestEchoedSecretsNeverReachErrors(t *testing.T) {
	for name, b := range hostileBodies() {
		t.Run(name, func(t *testing.T) {
			s := &script{steps: []func(*http.Request) (*http.Response, error){func(r *http.Request) (*http.Response, error) {
				resp, err := respond(400, map[string]string{
					"Content-Type": b.contentType, "request-id": "Bearer " + opaqueToken, "X-Activity-Id": "code=authcode-SECRET-1",
				}, string(b.body))(r)
				return resp, err
			}}}
			p := newTestPipeline(t, s, auth.StaticToken(opaqueToken))
			_, err := p.Do(t.Context(), &Request{Method: http.MethodPost, Path: "/me/sendmail", JSON: 1})
			require.Error(t, err)
			assert.Equal(t, "Bearer "+opaqueToken, s.requests()[0].header.Get("Authorization"), "the token was sent")
			assertNoSecrets(t, name, errorTexts(err)...)
			var apiErr *office365.Error
			require.ErrorAs(t, err, &apiErr)
			if len(apiErr.InnerError) > 0 {
				assert.True(t, json.Valid(apiErr.InnerError), "innerError stays JSON: %s", apiErr.InnerError)
			}
		})
	}
}

// TestEchoedSecretsInSuccessBodies: a 2xx answer that is not the expected
// JSON is reported with an excerpt; it is scrubbed the same way.
func TestEchoedSecretsInSuccessBodies(t *testing.T) {
	for name, b := range hostileBodies() {
		t.Run(name, func(t *testing.T) {
			s := &script{steps: []func(*http.Request) (*http.Response, error){respond(200, map[string]string{"Content-Type": b.contentType}, string(b.body))}}
			p := newTestPipeline(t, s, auth.StaticToken(opaqueToken))
			err := p.DoJSON(t.Context(), &Request{Path: "/me/messages"}, &struct{ Value []int }{})
			if err == nil {
				return // a JSON body that decodes is no error
			}
			assertNoSecrets(t, name, errorTexts(err)...)
		})
	}
}

// TestMalformedResponseLineIsScrubbed: net/http quotes a malformed status
// line in its error; a server that answers with the token gets it scrubbed
// from the wrapped error too.
func TestMalformedResponseLineIsScrubbed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				fmt.Fprintf(c, "Bearer %s code=authcode-SECRET-1\r\n\r\n", opaqueToken)
			}()
		}
	}()
	cfg, err := office365.NewConfig(office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	require.NoError(t, err)
	p, err := New(cfg, "http://"+ln.Addr().String(), auth.StaticToken(opaqueToken))
	require.NoError(t, err)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		_, err = p.Do(t.Context(), &Request{Method: method, Path: "/x"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "malformed HTTP")
		assertNoSecrets(t, method, errorTexts(err)...)
	}
}

func TestScrubText(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer abcdefghijklmnopqrstuvwxyz0123":                   "Bearer REDACTED",
		"the bearer token is invalid":                             "the bearer token is invalid",
		`WWW-Authenticate: Bearer realm="x", error="invalid"`:     `WWW-Authenticate: Bearer realm="x", error="invalid"`,
		"https://h/cb?code=abc&state=1":                           "https://h/cb?code=REDACTED&state=1",
		"https://h/cb?x=1&amp;code=abc&amp;state=1":               "https://h/cb?x=1&amp;code=REDACTED&amp;state=1",
		"https://h/#access_token=abc&token_type=Bearer":           "https://h/#access_token=REDACTED&token_type=Bearer",
		`{"client_secret":"s3cr\"et","code":"ErrorItemNotFound"}`: `{"client_secret":"REDACTED","code":"ErrorItemNotFound"}`,
		`"u":"https:\/\/h\/?refresh_token=a\u002Bb\u0026x=1"`:     `"u":"https:\/\/h\/?refresh_token=REDACTED\u0026x=1"`,
		"Authorization: Basic dXNlcjpwYXNz\r\nHost: x":            "Authorization: REDACTED\r\nHost: x",
		"status code=500":        "status code=REDACTED",
		"$skiptoken=abc is kept": "$skiptoken=abc is kept",
	} {
		assert.Equal(t, want, ScrubText(in), "input %q", in)
	}
	assert.Equal(t, "x REDACTED y REDACTED z REDACTED", ScrubText(`x tok+en/1== y tok\u002Ben\/1== z tok%2Ben%2F1%3D%3D`, "tok+en/1=="))
}
