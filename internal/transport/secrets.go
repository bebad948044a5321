package transport

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/office365-go/office365/internal/secret"
)

// SecretParamNames returns the names of query parameters and form fields
// whose values are always secret (see secret.ParamNames).
func SecretParamNames() []string { return secret.ParamNames() }

// IsSecretParam reports whether name is one of SecretParamNames (compared
// with NormalizeParamName).
func IsSecretParam(name string) bool { return secret.IsParam(name) }

// NormalizeParamName folds a parameter or field name for comparison: ASCII
// case is ignored, as are '_' and '-'.
func NormalizeParamName(s string) string { return secret.NormalizeName(s) }

// Redacted replaces secrets in text copied out of a response.
const Redacted = secret.Redacted

// ScrubText returns s with every secret it can recognise replaced by
// Redacted (see secret.Scrub): the known values (the bearer token a request
// carried) in any encoding, "Bearer …" runs, echoed Authorization headers,
// JSON Web Tokens, secret query parameters and form fields (also
// HTML-escaped, JSON-escaped or in a fragment) and secret JSON members. The
// pipeline runs it over everything it copies out of a response into an
// error.
func ScrubText(s string, known ...string) string { return secret.Scrub(s, known...) }

// scrubJSON scrubs a raw JSON value (an OData innerError) and keeps it
// valid JSON: if scrubbing broke it, the scrubbed text is kept as a JSON
// string instead.
func scrubJSON(raw json.RawMessage, known ...string) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	s := ScrubText(string(raw), known...)
	if s == string(raw) {
		return raw
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s) // a string always encodes
	return b
}

// bodyText returns a response body as text for scrubbing and excerpts:
// UTF-16 (see secret.DecodeUTF16) is decoded, and invalid UTF-8 bytes become
// U+FFFD, so a secret in a non-UTF-8 body is still found.
func bodyText(b []byte) string {
	if u, _, _, ok := secret.DecodeUTF16(b); ok {
		return u
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// scrubbedError is a transport error whose text held a secret: it carries
// the scrubbed text and keeps Timeout (for net.Error users) but not the
// original error, which would give the secret back.
type scrubbedError struct {
	msg     string
	timeout bool
}

func (e *scrubbedError) Error() string { return e.msg }

// Timeout reports whether the original error was a timeout.
func (e *scrubbedError) Timeout() bool { return e.timeout }

// Temporary reports the same as Timeout.
func (e *scrubbedError) Temporary() bool { return e.timeout }

// scrubErr returns err unchanged when its text holds no secret, and a
// scrubbedError with the scrubbed text otherwise.
func scrubErr(err error, known ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := ScrubText(msg, known...)
	if clean == msg {
		return err
	}
	var te interface{ Timeout() bool }
	return &scrubbedError{msg: clean, timeout: errors.As(err, &te) && te.Timeout()}
}
