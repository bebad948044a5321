package office365test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/office365-go/office365/internal/secret"
	"github.com/office365-go/office365/internal/transport"
)

// Redacted is the placeholder that replaces secrets in recorded fixtures.
// When replaying, a recorded value that is exactly Redacted matches any
// value in the incoming request.
const Redacted = "REDACTED"

// secretHeaders are always redacted, whatever the options.
var secretHeaders = []string{
	"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
	"X-Api-Key", "Api-Key", "Ocp-Apim-Subscription-Key",
}

// secretParams are query parameters and form fields (compared after
// normalizeName) whose values are always redacted: the module's one list,
// which the client pipeline's RedactURL redacts in logs and errors too.
// Paging and delta state ($skiptoken, $deltatoken) and the push-notification
// validationtoken are not secrets and are kept: replays need them.
var secretParams = nameSet(transport.SecretParamNames()...)

// secretJSONFields are JSON object members (compared after normalizeName)
// whose values are always redacted. ClientState is the shared secret of
// Outlook push-notification subscriptions.
var secretJSONFields = nameSet(
	"access_token", "refresh_token", "id_token", "client_secret", "client_assertion",
	"code_verifier", "device_code", "password", "ClientState",
)

// normalizeName folds a parameter or field name for comparison: case is
// ignored, as are '_' and '-', so access_token, AccessToken and
// Access-Token are the same name.
func normalizeName(s string) string { return transport.NormalizeParamName(s) }

func nameSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[normalizeName(n)] = true
	}
	return m
}

var (
	// bearerRE finds "Bearer <token68>" anywhere in text: the separator may
	// be URL-encoded, and the token may carry JSON escapes (\/, \u002B).
	bearerRE = regexp.MustCompile(`(?i)\bbearer(?:\s|%20)+((?:\\u[0-9A-Fa-f]{4}|\\/|[A-Za-z0-9\-._~+/])+=*)`)
	// secretParamTextRE finds secret query parameters inside text (URLs in
	// bodies and in headers such as Location): after "?", "&" or "#" (a
	// fragment such as #access_token=), their HTML, JSON and URL escapes
	// (&amp; \u0026 %26 %3F %23), with "=" possibly escaped too; the value
	// may hold JSON escapes (other than \u0026) and percent-escapes.
	secretParamTextRE = regexp.MustCompile(`(?i)(?:[?&#]|&amp;|&#38;|\\u0026|%26|%3F|%23)(?:` +
		strings.Join(transport.SecretParamNames(), "|") + `)(?:=|%3D|\\u003D)((?:` + secret.JSONEscapeNotAmp +
		`|\\/|%[0-9A-Fa-f]{2}|[^&"'\s#<>\\%])+)`)
	// jwtRE finds JSON Web Tokens (header.payload.signature, base64url).
	jwtRE = regexp.MustCompile(secret.JWTPattern)
	// emailRE finds e-mail addresses whose domain has a top-level label.
	emailRE = regexp.MustCompile(`[A-Za-z0-9._+\-]+@([A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,})\b`)
	// pseudonymRE recognises the addresses ScrubEmails substitutes.
	pseudonymRE = regexp.MustCompile(`^user[0-9]+@example\.com$`)
)

// redactTokens replaces bearer tokens, JWTs and the values of secret query
// parameters inside URLs (…?code=x) in s by Redacted. It leaves
// alone the auth-params of a challenge (Bearer realm="x") and prose such as
// "bearer token" (a short all-lowercase word after "bearer").
func redactTokens(s string) string {
	out, _ := tokenChanges(s)
	return out
}

// tokenChanges is redactTokens that also reports what it replaced.
func tokenChanges(s string) (string, []replacement) {
	var changes []replacement
	s = jwtRE.ReplaceAllStringFunc(s, func(m string) string {
		changes = append(changes, replacement{m, Redacted})
		return Redacted
	})
	record := func(tok string) { changes = append(changes, replacement{tok, Redacted}) }
	s = secret.ReplaceGroup(s, secretParamTextRE, 1, nil, record)
	s = secret.ReplaceGroup(s, bearerRE, 1, func(tok, rest string) bool {
		return !secret.IsProseWord(tok) && !(secret.IsAuthParamName(tok) && strings.HasPrefix(rest, `"`))
	}, record)
	return s, changes
}

// findEmails returns the [start, end) offsets of the e-mail addresses in s.
// OData and Graph instance annotations (Attachments@odata.navigationLink,
// content@microsoft.graph.downloadUrl) look like addresses and are skipped,
// as is anything whose last domain label mixes case (a camelCase term).
func findEmails(s string) [][2]int {
	var out [][2]int
	for _, m := range emailRE.FindAllStringSubmatchIndex(s, -1) {
		domain := strings.ToLower(s[m[2]:m[3]])
		if strings.HasPrefix(domain, "odata.") || strings.HasPrefix(domain, "microsoft.graph.") {
			continue
		}
		tld := s[m[2]:m[3]]
		tld = tld[strings.LastIndexByte(tld, '.')+1:]
		if tld != strings.ToLower(tld) && tld != strings.ToUpper(tld) {
			continue
		}
		out = append(out, [2]int{m[0], m[1]})
	}
	return out
}

// scrubber removes secrets (always) and e-mail addresses (optionally) from
// the parts of an HTTP exchange. It is safe for concurrent use.
type scrubber struct {
	emails     bool
	headers    map[string]bool // canonical header keys
	jsonFields map[string]bool // normalized names

	mu         sync.Mutex
	pseudonyms map[string]string // lower-case address → userN@example.com
}

func newScrubber(emails bool, headers, jsonFields []string) *scrubber {
	s := &scrubber{
		emails:     emails,
		headers:    make(map[string]bool),
		jsonFields: make(map[string]bool),
		pseudonyms: make(map[string]string),
	}
	for _, h := range append(append([]string(nil), secretHeaders...), headers...) {
		s.headers[http.CanonicalHeaderKey(h)] = true
	}
	for n := range secretJSONFields {
		s.jsonFields[n] = true
	}
	for _, n := range jsonFields {
		s.jsonFields[normalizeName(n)] = true
	}
	return s
}

// pseudonym returns the stable stand-in for addr within this scrubber.
func (s *scrubber) pseudonym(addr string) string {
	key := strings.ToLower(addr)
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pseudonyms[key]
	if !ok {
		p = fmt.Sprintf("user%d@example.com", len(s.pseudonyms)+1)
		s.pseudonyms[key] = p
	}
	return p
}

// replacement is one substitution made by text.
type replacement struct{ old, new string }

// text scrubs free text: tokens always, e-mail addresses when enabled.
func (s *scrubber) text(in string) string {
	out, _ := s.textChanges(in)
	return out
}

// textChanges is text that also reports what it replaced.
func (s *scrubber) textChanges(in string) (string, []replacement) {
	out, changes := tokenChanges(in)
	if !s.emails {
		return out, changes
	}
	found := findEmails(out)
	if len(found) == 0 {
		return out, changes
	}
	var b strings.Builder
	last := 0
	for _, m := range found {
		addr := out[m[0]:m[1]]
		p := s.pseudonym(addr)
		changes = append(changes, replacement{addr, p})
		b.WriteString(out[last:m[0]])
		b.WriteString(p)
		last = m[1]
	}
	b.WriteString(out[last:])
	return b.String(), changes
}

// component scrubs one escaped URL component (a path segment, a query key
// or value). It keeps the original escaping where it can and re-escapes
// canonically only when the substitution cannot be made in place.
func (s *scrubber) component(raw string, unescape func(string) (string, error), escape func(string) string) string {
	dec, err := unescape(raw)
	if err != nil {
		dec = raw
	}
	out, changes := s.textChanges(dec)
	if out == dec {
		return raw
	}
	r := raw
	for _, c := range changes {
		// Replace each form the text may take in raw by the same form of
		// the substitute: escaped stays escaped.
		qOld, qNew := url.QueryEscape(c.old), url.QueryEscape(c.new)
		for _, f := range [][2]string{
			{c.old, strings.ReplaceAll(c.new, " ", "%20")},
			{qOld, qNew},
			{strings.ReplaceAll(qOld, "+", "%20"), strings.ReplaceAll(qNew, "+", "%20")},
			{url.PathEscape(c.old), url.PathEscape(c.new)},
			{strings.ReplaceAll(c.old, "@", "%40"), strings.ReplaceAll(strings.ReplaceAll(c.new, "@", "%40"), " ", "%20")},
		} {
			r = strings.ReplaceAll(r, f[0], f[1])
		}
	}
	if d, err := unescape(r); err == nil && d == out {
		return r
	}
	return escape(out)
}

func escapeQueryComponent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// query scrubs an encoded query string or form body: values of secret
// parameters become Redacted; every key and value has its tokens (and
// optionally e-mail addresses) scrubbed. Order and encoding are kept.
func (s *scrubber) query(raw string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, v, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		k = s.component(k, url.QueryUnescape, escapeQueryComponent)
		switch {
		case !hasValue:
			parts[i] = k
		case v != "" && secretParams[normalizeName(name)]:
			parts[i] = k + "=" + Redacted
		default:
			parts[i] = k + "=" + s.component(v, url.QueryUnescape, escapeQueryComponent)
		}
	}
	return strings.Join(parts, "&")
}

// url scrubs a request URL: user information and fragment are dropped,
// each path segment is scrubbed with text, then the query with query.
func (s *scrubber) url(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	c.Fragment, c.RawFragment = "", ""
	esc := c.EscapedPath()
	segs := strings.Split(esc, "/")
	for i, seg := range segs {
		segs[i] = s.component(seg, url.PathUnescape, url.PathEscape)
	}
	if newEsc := strings.Join(segs, "/"); newEsc != esc {
		if p, err := url.PathUnescape(newEsc); err == nil {
			c.Path, c.RawPath = p, newEsc
		}
	}
	c.RawQuery = s.query(c.RawQuery) // after the path: pseudonyms follow reading order
	return c.String()
}

// header returns a scrubbed copy of h. Secret headers keep their
// authentication scheme only ("Bearer REDACTED"); Content-Length is dropped
// (it is derived from the recorded body).
func (s *scrubber) header(h http.Header) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if ck == "Content-Length" {
			continue
		}
		nv := make([]string, len(vs))
		for i, v := range vs {
			if s.headers[ck] {
				nv[i] = redactHeaderValue(ck, v)
			} else {
				nv[i] = s.text(v)
			}
		}
		out[ck] = append(out[ck], nv...)
	}
	return out
}

// redactHeaderValue replaces a secret header's value, keeping the scheme of
// credentials headers ("Bearer REDACTED", "Basic REDACTED").
func redactHeaderValue(key, v string) string {
	if key == "Authorization" || key == "Proxy-Authorization" {
		if scheme, _, ok := strings.Cut(strings.TrimSpace(v), " "); ok && scheme != "" {
			return scheme + " " + Redacted
		}
	}
	return Redacted
}

// mediaType returns the lower-case media type of a Content-Type value.
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// body scrubs a message body given the message's headers: form bodies by
// field, JSON bodies by member and string, other text by content. UTF-16
// text is decoded, scrubbed and encoded again; other non-UTF-8 (binary)
// bodies have every run of printable ASCII in them scrubbed, so a token in
// a Latin-1 page or next to binary data is not stored. A JSON body that
// cannot be rewritten is replaced whole by Redacted rather than risk a leak.
func (s *scrubber) body(b []byte, h http.Header) []byte {
	if len(b) == 0 {
		return b
	}
	if text, bigEndian, bom, ok := secret.DecodeUTF16(b); ok {
		if out := s.textBody([]byte(text), h); string(out) != text {
			b = secret.EncodeUTF16(string(out), bigEndian, bom)
		}
		return s.binary(b)
	}
	if !utf8.Valid(b) {
		return s.binary(b)
	}
	return s.textBody(b, h)
}

// textBody scrubs a UTF-8 body.
func (s *scrubber) textBody(b []byte, h http.Header) []byte {
	if mediaType(h.Get("Content-Type")) == "application/x-www-form-urlencoded" {
		return []byte(s.query(string(b)))
	}
	if json.Valid(b) {
		out, err := redactJSONFields(b, func(name string) bool { return s.jsonFields[normalizeName(name)] }, s.text)
		if err != nil {
			return []byte(Redacted)
		}
		return out
	}
	return []byte(s.text(string(b)))
}

// minASCIIRun is the shortest run of printable ASCII in a binary body that
// binary scrubs; shorter runs cannot hold a token worth finding.
const minASCIIRun = 8

// binary scrubs the runs of printable ASCII (and tabs and line breaks) in
// a body that is not UTF-8 text, leaving the other bytes as they are.
func (s *scrubber) binary(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		if !printableASCII(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && printableASCII(b[j]) {
			j++
		}
		if j-i >= minASCIIRun {
			if clean := s.text(string(b[i:j])); clean != string(b[i:j]) {
				out = append(append(out, b[last:i]...), clean...)
				last = j
			}
		}
		i = j
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

func printableASCII(c byte) bool { return c >= 0x20 && c < 0x7f || c == '\t' || c == '\r' || c == '\n' }

// redactJSONFields rewrites the JSON document b with the value of every
// object member whose name satisfies secret replaced by "REDACTED", at any
// depth, and every other string (member names included) passed through
// text in its decoded form, so that escapes (\/, \u002B, \u0026) hide
// nothing from it. Null and empty-string values of secret members are kept
// (they hold no secret). Member order, numbers and the escapes of strings
// text leaves alone are preserved; the output is compact.
func redactJSONFields(b []byte, secret func(name string) bool, text func(string) string) ([]byte, error) {
	opts := []jsontext.Options{
		jsontext.AllowDuplicateNames(true),
		jsontext.AllowInvalidUTF8(true),
		jsontext.PreserveRawStrings(true),
	}
	dec := jsontext.NewDecoder(bytes.NewReader(b), opts...)
	var buf bytes.Buffer
	enc := jsontext.NewEncoder(&buf, opts...)
	for {
		kind, n := dec.StackIndex(dec.StackDepth())
		isName := kind == '{' && n%2 == 0
		tok, err := dec.ReadToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if tok.Kind() == '"' && text != nil {
			if v := tok.String(); v != "" {
				if clean := text(v); clean != v {
					tok = jsontext.String(clean)
				}
			}
		}
		if err := enc.WriteToken(tok); err != nil {
			return nil, err
		}
		if !isName || tok.Kind() != '"' || !secret(tok.String()) {
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		if v.Kind() == 'n' || string(v) == `""` {
			err = enc.WriteValue(v)
		} else {
			err = enc.WriteToken(jsontext.String(Redacted))
		}
		if err != nil {
			return nil, err
		}
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}
