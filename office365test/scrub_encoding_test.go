package office365test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/internal/secret"
)

// TestRecorderScrubsEveryEncoding: secrets hidden by an encoding — JSON
// escapes (\u002B, \/, \u0026), HTML-escaped query strings (&amp;code=),
// URL fragments (#access_token=), Location headers (also with the callback
// URL percent-encoded inside another URL) and non-UTF-8 bodies (Latin-1,
// UTF-16 with and without a byte-order mark) — never reach the cassette
// file, and replays still match.
func TestRecorderScrubsEveryEncoding(t *testing.T) {
	t.Parallel()
	utf16le := secret.EncodeUTF16("error: Bearer utf16TokenSECRET01 rejected; see https://x/cb?code=SECRET02", false, true)
	utf16be := secret.EncodeUTF16(`{"msg":"Bearer utf16TokenSECRET03"}`, true, false)
	bodies := map[string]struct {
		contentType string
		body        []byte
		valid       func(t *testing.T, stored []byte)
	}{
		"json-escapes": {"application/json", []byte(`{"a":"Bearer tok\/en\u002BSECRET04==","b":"https:\/\/x\/cb?state=1\u0026code=SECRET05\u0026y=1",` +
			`"c":"https://x/#access_token=SECRET06&t=1","d":"ok \u0026refresh_token\u003DSECRET07","e":"https:\/\/x\/?sig=a\u002BSECRET08"}`),
			func(t *testing.T, stored []byte) {
				assert.True(t, json.Valid(stored), "%s", stored)
				assert.Contains(t, string(stored), "state=1&code=REDACTED&y=1")
			}},
		"html": {"text/html", []byte(`<html><body><a href="https://x/cb?state=1&amp;code=SECRET09&amp;y=2">in</a>` +
			`<a href="https://x/#access_token=SECRET10&amp;token_type=Bearer">frag</a>` +
			`<script>var u="https:\/\/x\/cb?code=SECRET11\u0026s=1", h="Bearer ab\/cd\u002BSECRET12";</script></body></html>`),
			func(t *testing.T, stored []byte) { assert.Contains(t, string(stored), "&amp;code=REDACTED&amp;y=2") }},
		"text": {"text/plain", []byte("redirect to https://app.example/cb#access_token=SECRET13&expires_in=3600 or " +
			"https://login.example/authorize?redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fcode%3DSECRET14%26state%3D1"), nil},
		"latin1": {"text/plain; charset=iso-8859-1", []byte("Gr\xfc\xdfe: Bearer latin1TokenSECRET15 and ?code=SECRET16 \xe9"),
			func(t *testing.T, stored []byte) {
				assert.True(t, bytes.HasPrefix(stored, []byte("Gr\xfc\xdfe: ")), "other bytes are kept: %q", stored)
			}},
		"utf16-bom": {"text/plain; charset=utf-16", utf16le, func(t *testing.T, stored []byte) {
			text, _, bom, ok := secret.DecodeUTF16(stored)
			require.True(t, ok)
			assert.True(t, bom)
			assert.Contains(t, text, "Bearer REDACTED")
		}},
		"utf16-no-bom": {"application/json; charset=utf-16be", utf16be, nil},
	}
	for name, b := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				h := http.Header{"Content-Type": {b.contentType}}
				h.Set("Location", "https://app.example/cb?state=1&code=SECRET17#access_token=SECRET18&token_type=Bearer")
				h.Add("Link", `<https://x/?x=1&amp;client_secret=SECRET19>; rel="next"`)
				h.Add("Content-Location", "https://login.example/authorize?redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fcode%3DSECRET20")
				return &http.Response{StatusCode: 302, Header: h, Body: io.NopCloser(bytes.NewReader(b.body)), Request: r}, nil
			})
			path := filepath.Join(t.TempDir(), "c.json")
			rec := NewRecorder(path, next)
			req, err := http.NewRequest(http.MethodPost, "https://outlook.office.com/api/v2.0/me/sendmail#access_token=SECRET21",
				strings.NewReader(`{"Comment":"see https:\/\/x\/?code=SECRET22"}`))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			resp, err := rec.RoundTrip(req)
			require.NoError(t, err)
			got, _ := io.ReadAll(resp.Body)
			assert.Equal(t, b.body, got, "the caller gets the real body")
			require.NoError(t, rec.Save())

			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.NotContains(t, string(raw), "SECRET")
			c, err := LoadCassette(path)
			require.NoError(t, err)
			require.Len(t, c.Interactions, 1)
			in := c.Interactions[0]
			stored, err := in.Response.BodyBytes()
			require.NoError(t, err)
			reqBody, err := in.Request.BodyBytes()
			require.NoError(t, err)
			for _, s := range []string{string(stored), string(reqBody), base64.StdEncoding.EncodeToString(stored)} {
				assert.NotContains(t, s, "SECRET")
			}
			if text, _, _, ok := secret.DecodeUTF16(stored); ok {
				assert.NotContains(t, text, "SECRET")
			}
			if b.valid != nil {
				b.valid(t, stored)
			}

			// The fixture still replays.
			rp, err := NewReplayer(path)
			require.NoError(t, err)
			req2, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/api/v2.0/me/sendmail", strings.NewReader(`{}`))
			resp2, err := rp.RoundTrip(req2)
			require.NoError(t, err)
			assert.Equal(t, 302, resp2.StatusCode)
		})
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
