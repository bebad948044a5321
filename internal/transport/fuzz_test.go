package transport

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzErrorFromResponse feeds arbitrary bodies and content types to the
// OData error parser: it must never panic, always produce a status and a
// message, keep excerpts short and valid UTF-8, and agree with
// ParseODataError about the service code.
func FuzzErrorFromResponse(f *testing.F) {
	f.Add(404, "application/json", []byte(`{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}`))
	f.Add(500, "text/html", []byte("<html><head><title>500</title></head><body>oops</body></html>"))
	f.Add(500, "text/plain", []byte("Please use MSGraph to access this resource."))
	f.Add(400, "application/json", []byte(`{"odata.error":{"code":"x","message":{"lang":"en-US","value":"v"}}}`))
	f.Add(429, "", []byte(`{"error":{"code":"ApplicationThrottled","message":"MailboxConcurrency","innerError":{"request-id":"1"}}}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if len(body) > MaxErrorBody {
			body = body[:MaxErrorBody]
		}
		h := http.Header{"Content-Type": {contentType}}
		e := ErrorFromResponse(status, h, body)
		if e == nil {
			t.Fatal("nil error")
		}
		if e.StatusCode != status {
			t.Fatalf("status %d, want %d", e.StatusCode, status)
		}
		code, msg, _, ok := ParseODataError(body)
		if ok {
			if e.Code != ScrubText(code) || e.Message != ScrubText(msg) {
				t.Fatalf("code/message %q/%q, parser says %q/%q", e.Code, e.Message, code, msg)
			}
		} else if e.Message == "" {
			t.Fatal("no message for a non-OData body")
		}
		if len(e.Excerpt) > excerptLen+8 || !utf8.ValidString(e.Excerpt) {
			t.Fatalf("bad excerpt %q", e.Excerpt)
		}
		if strings.ContainsAny(e.Excerpt, "\n\r\t") {
			t.Fatalf("excerpt keeps control whitespace: %q", e.Excerpt)
		}
		_ = e.Error()
	})
}
