package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/office365-go/office365"
)

// MaxErrorBody is how much of an error response is read.
const MaxErrorBody = 1 << 20

// excerptLen is how much of a non-OData error body is kept on the error.
const excerptLen = 300

// decodeError reads (at most MaxErrorBody of) resp's body, closes it, and
// builds the *office365.Error; known are secrets the request carried (its
// bearer token), scrubbed from everything taken from the response.
func (p *Pipeline) decodeError(resp *http.Response, method, redactedURL string, known ...string) *office365.Error {
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	known = append(known, sentToken(resp)...) // also a token the transport below the pipeline sent
	e := ErrorFromResponse(resp.StatusCode, resp.Header, body, known...)
	e.Method, e.URL = method, redactedURL
	if readErr != nil && e.Message == "" {
		e.Message = "reading error body: " + ScrubText(readErr.Error(), known...)
	}
	return e
}

// ErrorFromResponse builds an *office365.Error from a status, the response
// headers and (the start of) the body. It never fails: a body that is not an
// OData error is described by its content type and an excerpt.
//
// Everything taken from the response (code, message, innerError, excerpt,
// HTML title, header values) is scrubbed with ScrubText: the known values
// (the token the request carried), bearer tokens, echoed Authorization
// headers and secret parameters never reach the error, whatever the body's
// encoding.
func ErrorFromResponse(status int, h http.Header, body []byte, known ...string) *office365.Error {
	hv := func(name string) string { return ScrubText(h.Get(name), known...) }
	e := &office365.Error{
		StatusCode:      status,
		ContentType:     hv("Content-Type"),
		RequestID:       firstNonEmpty(hv("request-id"), hv("x-ms-request-id")),
		ClientRequestID: hv("client-request-id"),
		ActivityID:      hv("X-Activity-Id"),
		RetryAfter:      RetryAfter(h, time.Now()),
	}
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		e.Date = d
	}
	if code, msg, inner, ok := ParseODataError(body); ok {
		e.Code, e.Message, e.InnerError = ScrubText(code, known...), ScrubText(msg, known...), scrubJSON(inner, known...)
		fillFromInnerError(e, e.InnerError)
		return e
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		e.Message = "empty response body"
		return e
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	// The whole body is scrubbed before anything is cut from it, so that no
	// part of a secret survives at the edge of an excerpt.
	text := []byte(ScrubText(bodyText(body), known...))
	kind := "non-JSON"
	switch {
	case mt == "text/html" || looksLikeHTML(text):
		kind = "HTML"
		if t := htmlTitle(text); t != "" {
			e.Message = fmt.Sprintf("unexpected HTML response (%s), probably from a proxy or gateway", t)
		}
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || json.Valid(body):
		kind = "JSON without an OData error"
	}
	if e.Message == "" {
		if kind == "non-JSON" && mt == "text/plain" {
			e.Message = "service answered: " + excerpt(text, excerptLen)
		} else {
			e.Message = fmt.Sprintf("unexpected %s response (Content-Type %q)", kind, e.ContentType)
		}
	}
	e.Excerpt = excerpt(text, excerptLen)
	return e
}

// ParseODataError extracts code, message and innerError from an OData JSON
// error body ({"error":{"code":…,"message":…}}). It also accepts the
// "odata.error" form with a {"value":…} message, and a bare {"code","message"}
// object. ok is false when body is not such an error.
func ParseODataError(body []byte) (code, message string, inner json.RawMessage, ok bool) {
	var env struct {
		Error      *odataError `json:"error"`
		ODataError *odataError `json:"odata.error"`
		Code       string      `json:"code"`
		Message    json.RawMessage
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return "", "", nil, false
	}
	oe := env.Error
	if oe == nil {
		oe = env.ODataError
	}
	if oe == nil {
		if env.Code == "" {
			return "", "", nil, false
		}
		oe = &odataError{Code: env.Code, Message: env.Message}
	}
	msg := messageText(oe.Message)
	if oe.Code == "" && msg == "" {
		return "", "", nil, false
	}
	inner = oe.InnerError
	if len(inner) == 0 || string(inner) == "null" {
		inner = nil
	}
	return oe.Code, msg, inner, true
}

// fillFromInnerError completes the request ids and date from Microsoft
// Graph's innerError ({"date":…,"request-id":…,"client-request-id":…})
// when the headers did not carry them.
func fillFromInnerError(e *office365.Error, inner json.RawMessage) {
	if len(inner) == 0 {
		return
	}
	var ie struct {
		Date            string `json:"date"`
		RequestID       string `json:"request-id"`
		ClientRequestID string `json:"client-request-id"`
	}
	if json.Unmarshal(inner, &ie) != nil {
		return
	}
	if e.RequestID == "" {
		e.RequestID = ie.RequestID
	}
	if e.ClientRequestID == "" {
		e.ClientRequestID = ie.ClientRequestID
	}
	if e.Date.IsZero() && ie.Date != "" {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
			if d, err := time.Parse(layout, ie.Date); err == nil {
				e.Date = d.UTC()
				break
			}
		}
	}
}

type odataError struct {
	Code       string          `json:"code"`
	Message    json.RawMessage `json:"message"`
	InnerError json.RawMessage `json:"innerError"`
}

// messageText accepts a message given as a string or as {"lang","value"}.
func messageText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var v struct{ Value string }
	if json.Unmarshal(raw, &v) == nil {
		return v.Value
	}
	return ""
}

// RetryAfter reads how long the server asked to wait: retry-after-ms, then
// Retry-After as seconds or as an HTTP date (relative to now). Zero if absent
// or unparsable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("retry-after-ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	if v := strings.TrimSpace(h.Get("x-ms-retry-after-ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func looksLikeHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 512)])
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<body")) || bytes.Contains(head, []byte("<title"))
}

func htmlTitle(b []byte) string {
	lower := bytes.ToLower(b)
	i := bytes.Index(lower, []byte("<title"))
	if i < 0 {
		return ""
	}
	j := bytes.IndexByte(lower[i:], '>')
	if j < 0 {
		return ""
	}
	start := i + j + 1
	k := bytes.Index(lower[start:], []byte("</title"))
	if k < 0 {
		return ""
	}
	return excerpt(b[start:start+k], 120)
}

// excerpt collapses whitespace and cuts s to at most n bytes on a rune
// boundary, replacing invalid UTF-8 and control characters.
func excerpt(b []byte, n int) string {
	var sb strings.Builder
	space := false
	for len(b) > 0 && sb.Len() < n {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError && size <= 1 {
			r = '\uFFFD'
		}
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			space = true
			continue
		}
		if r < 0x20 || r == 0x7f {
			r = '\uFFFD'
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	if len(b) > 0 {
		sb.WriteString("…")
	}
	return sb.String()
}

// sensitiveParam reports whether a query parameter's value must not appear
// in logs or errors: every IsSecretParam name and, to be safe, any name
// containing one of a few telling words ($skiptoken and $deltatoken
// included).
func sensitiveParam(name string) bool {
	if IsSecretParam(strings.TrimPrefix(name, "$")) {
		return true
	}
	n := strings.ToLower(strings.TrimPrefix(name, "$"))
	for _, s := range []string{"token", "secret", "sig", "code", "password", "key", "assertion", "state"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// RedactURL returns u with user information and any fragment removed and
// the values of sensitive query parameters (tokens, signatures, codes,
// secrets, keys) replaced by REDACTED. Unparsable input yields a
// placeholder.
func RedactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	p.User = nil
	// A fragment is never sent, and the implicit flow puts tokens there
	// (#access_token=…).
	p.Fragment, p.RawFragment = "", ""
	if p.RawQuery != "" {
		parts := strings.Split(p.RawQuery, "&")
		for i, part := range parts {
			name, _, hasValue := strings.Cut(part, "=")
			if dn, err := url.QueryUnescape(name); err == nil {
				name = dn
			}
			if hasValue && sensitiveParam(name) {
				k, _, _ := strings.Cut(part, "=")
				parts[i] = k + "=REDACTED"
			}
		}
		p.RawQuery = strings.Join(parts, "&")
	}
	return p.String()
}

// scrubURLError replaces the URL inside a *url.Error with its redacted form
// and scrubs secrets (the known values, bearer tokens, …) from its cause,
// which may quote what a server sent (a malformed response line).
func scrubURLError(err error, known ...string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: RedactURL(ue.URL), Err: scrubErr(ue.Err, known...)}
	}
	return scrubErr(err, known...)
}

func redactError(err error) string { return scrubURLError(err).Error() }
