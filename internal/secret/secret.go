// Package secret recognises secrets in text — bearer tokens, echoed
// Authorization headers, JSON Web Tokens, OAuth parameters and JSON members
// — in any of the encodings a server may echo them in, and replaces them.
// The request pipeline scrubs errors with it, auth scrubs identity-platform
// errors with it, and office365test's recorder shares its list of secret
// parameter names.
package secret

import (
	"encoding/binary"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
)

// paramNames are the query parameters and form fields whose values are
// secrets wherever they appear: OAuth 2.0 tokens, codes and client
// credentials, passwords, signatures and API keys. the pipeline's RedactURL redacts them
// (and more) in logs and errors; office365test's
// recorder scrubs exactly these from fixtures. Paging and delta state
// ($skiptoken, $deltatoken) is not in the list: fixtures need it to replay.
var paramNames = []string{
	"access_token", "refresh_token", "id_token", "client_secret", "client_assertion",
	"code", "code_verifier", "device_code", "password", "assertion",
	"sig", "signature", "token", "key", "api_key", "subscription_key", "client_state",
	// The token of a pre-authenticated upload session URL (Graph's
	// uploadUrl …/AttachmentSessions('…')?authtoken=…).
	"authtoken",
}

// ParamNames returns the names of query parameters and form fields
// whose values are always secret (in their canonical snake_case spelling;
// compare with NormalizeName).
func ParamNames() []string { return slices.Clone(paramNames) }

var paramSet = func() map[string]bool {
	m := make(map[string]bool, len(paramNames))
	for _, n := range paramNames {
		m[NormalizeName(n)] = true
	}
	return m
}()

// IsParam reports whether name (compared with NormalizeName) is one of
// ParamNames.
func IsParam(name string) bool { return paramSet[NormalizeName(name)] }

// NormalizeName folds a parameter or field name for comparison: ASCII
// case is ignored, as are '_' and '-', so access_token, AccessToken and
// Access-Token are the same name.
func NormalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '_' || r == '-':
			continue
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Redacted is what Scrub puts in place of a secret.
const Redacted = "REDACTED"

// JSONEscapeNotAmp is a regular expression matching a \uXXXX JSON escape
// other than \u0026 ("&", which separates query parameters): part of a
// parameter's value when a URL sits JSON-escaped in a body.
const JSONEscapeNotAmp = `\\u(?:00(?:[013-9A-Fa-f][0-9A-Fa-f]|2[0-57-9A-Fa-f])|0[1-9A-Fa-f][0-9A-Fa-f]{2}|[1-9A-Fa-f][0-9A-Fa-f]{3})`

// JWTPattern is a regular expression matching a JSON Web Token
// (header.payload.signature, base64url), the form of Microsoft identity
// platform access tokens.
const JWTPattern = `eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*`

// secretJSONMembers are JSON object members whose string values are secrets
// wherever they appear in a body. "code" is not among them: it is the
// service error code of every OData error.
var secretJSONMembers = []string{
	"access_token", "refresh_token", "id_token", "client_secret", "client_assertion",
	"code_verifier", "device_code", "password", "assertion",
}

var (
	// jwtRE finds JSON Web Tokens (header.payload.signature, base64url),
	// the form of Microsoft identity platform access tokens.
	jwtRE = regexp.MustCompile(JWTPattern)
	// bearerRE finds "Bearer <token>": the scheme, its separator (a space,
	// or its URL or HTML escapes) and a token68 that may carry JSON
	// escapes (\/ and \u002B).
	bearerRE = regexp.MustCompile(`(?i)(\bbearer(?:\s|%20|\+|&#32;|&nbsp;|\\u0020)+)((?:\\u[0-9A-Fa-f]{4}|\\/|[A-Za-z0-9\-._~+/])+=*)`)
	// authHeaderRE finds an echoed Authorization (or Proxy-Authorization)
	// header: "Authorization: …", "Authorization=…" and the JSON member
	// "Authorization":"…", escaped or not. The value runs to the end of
	// the line, quote or markup.
	authHeaderRE = regexp.MustCompile(`(?i)(\b(?:proxy-)?authorization(?:\\?["']|&quot;)?\s*[:=]\s*(?:\\?["']|&quot;)?)([^"'\\\r\n<&]+)`)
	// secretParamRE finds name=value pairs of secret parameters in URLs,
	// form bodies and prose: after a delimiter (start, ?, &, #, ;, space,
	// quote or their escapes &amp; \u0026 %26), with "=" possibly escaped.
	secretParamRE = regexp.MustCompile(`(?i)((?:^|[?&#;\s"'(,/]|\\u0026|%26|%3F|%23)(?:` + strings.Join(paramNames, "|") +
		`)(?:=|%3D|\\u003D))((?:` + JSONEscapeNotAmp + `|\\/|%[0-9A-Fa-f]{2}|[^&"'\s#<>\\%])+)`)
	// secretMemberRE finds "name": "value" JSON members with a secret name;
	// secretEscapedMemberRE finds them JSON-escaped inside another string
	// (\"name\": \"value\").
	secretMemberRE        = regexp.MustCompile(`(?i)("(?:` + strings.Join(secretJSONMembers, "|") + `)"\s*:\s*")((?:[^"\\]|\\.)*)`)
	secretEscapedMemberRE = regexp.MustCompile(`(?i)(\\"(?:` + strings.Join(secretJSONMembers, "|") + `)\\"\s*:\s*\\")((?:[^"\\]|\\[^"])*)`)
	// authParamRE recognises the auth-param names of a challenge
	// (Bearer realm="…", error="…"), which are not tokens.
	authParamRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_\-]{0,31}=$`)
)

// Scrub returns s with every secret it can recognise replaced by
// Redacted: the known values (the bearer token a request carried) in plain,
// URL-, JSON- and HTML-escaped form; the token after "Bearer"; an echoed
// Authorization header's value; JSON Web Tokens; the values of secret query
// parameters and form fields (code=, client_secret=, access_token=,
// refresh_token=, … — see ParamNames), also HTML-escaped (&amp;code=)
// or in a URL fragment (#access_token=); and JSON members such as
// "access_token" or "client_secret".
func Scrub(s string, known ...string) string {
	for _, k := range known {
		if len(k) < 4 {
			continue // too short to be a token, and would mangle prose
		}
		for _, form := range escapedForms(k) {
			s = strings.ReplaceAll(s, form, Redacted)
		}
	}
	s = jwtRE.ReplaceAllString(s, Redacted)
	s = replaceValue(s, secretParamRE, nil)
	s = replaceValue(s, secretMemberRE, func(tok, _ string) bool { return tok != "" })
	s = replaceValue(s, secretEscapedMemberRE, func(tok, _ string) bool { return tok != "" })
	s = replaceValue(s, bearerRE, func(tok, rest string) bool {
		// Leave prose ("bearer token"), challenge parameters (Bearer
		// realm="…") and a parameter whose value is already redacted
		// (token_type=bearer refresh_token=REDACTED) alone.
		return !IsProseWord(tok) && !(IsAuthParamName(tok) &&
			(strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, Redacted)))
	})
	s = replaceValue(s, authHeaderRE, func(tok, _ string) bool { return strings.TrimSpace(tok) != Redacted })
	return s
}

// escapedForms returns v as it may appear in a body: plain, URL-encoded,
// JSON-escaped (with "/" as "\/" and "+" as "\u002B") and HTML-escaped.
func escapedForms(v string) []string {
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	jsonEsc := strings.NewReplacer("/", `\/`, "+", `\u002B`, "&", `\u0026`, "<", `\u003C`, ">", `\u003E`)
	forms = append(forms, jsonEsc.Replace(v), strings.ToLower(jsonEsc.Replace(v)),
		strings.ReplaceAll(v, "/", `\/`), strings.ReplaceAll(v, "+", `\u002B`), strings.ReplaceAll(v, "+", `\u002b`),
		html.EscapeString(v))
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) }) // longest first
	return slices.Compact(forms)
}

// replaceValue replaces the second capture group of every match of re in s
// with Redacted, when keep is nil or returns true for it.
func replaceValue(s string, re *regexp.Regexp, keep func(tok, rest string) bool) string {
	return ReplaceGroup(s, re, 2, keep, nil)
}

// ReplaceGroup replaces capture group number group of every match of re in
// s with Redacted. A group that did not take part in a match, or that is
// already Redacted, is left alone, as is one for which keep (when not nil)
// returns false; keep is given the group's text and the text after it.
// When replaced is not nil it is called with each text that was replaced,
// in order.
func ReplaceGroup(s string, re *regexp.Regexp, group int, keep func(tok, rest string) bool, replaced func(tok string)) string {
	idx := re.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		if 2*group+1 >= len(m) {
			break
		}
		start, end := m[2*group], m[2*group+1]
		if start < 0 {
			continue
		}
		tok := s[start:end]
		if tok == Redacted || (keep != nil && !keep(tok, s[end:])) {
			continue
		}
		if replaced != nil {
			replaced(tok)
		}
		b.WriteString(s[last:start])
		b.WriteString(Redacted)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// IsProseWord reports whether tok is a short lower-case word (the "token"
// of "bearer token"), not a credential.
func IsProseWord(tok string) bool {
	if len(tok) >= 16 {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < 'a' || tok[i] > 'z' {
			return false
		}
	}
	return true
}

// IsAuthParamName reports whether tok is the name of an auth-param with its
// "=" (the realm= of Bearer realm="…"), which follows a scheme in a
// WWW-Authenticate challenge and is not a token.
func IsAuthParamName(tok string) bool { return authParamRE.MatchString(tok) }

// DecodeUTF16 decodes b as UTF-16 when it starts with a byte-order mark
// (bom is then true) or looks like mostly-ASCII text encoded as UTF-16 (NUL
// in at least three of four even or odd bytes, and in few of the others).
// bigEndian reports the byte order found; ok is false when b does not look
// like UTF-16.
func DecodeUTF16(b []byte) (text string, bigEndian, bom, ok bool) {
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		bigEndian, bom, b = true, true, b[2:]
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		bom, b = true, b[2:]
	case len(b) >= 4:
		even, odd := 0, 0
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 {
				even++
			}
			if b[i+1] == 0 {
				odd++
			}
		}
		half := len(b) / 2
		switch {
		case odd*4 >= half*3 && even*4 < half:
		case even*4 >= half*3 && odd*4 < half:
			bigEndian = true
		default:
			return "", false, false, false
		}
	default:
		return "", false, false, false
	}
	order := binary.ByteOrder(binary.LittleEndian)
	if bigEndian {
		order = binary.BigEndian
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	return strings.ToValidUTF8(string(utf16.Decode(units)), "\uFFFD"), bigEndian, bom, true
}

// EncodeUTF16 encodes s as UTF-16 (big-endian or little-endian), with a
// byte-order mark when bom is true: the inverse of DecodeUTF16.
func EncodeUTF16(s string, bigEndian, bom bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	units := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(units)+2)
	if bom {
		out = order.AppendUint16(out, 0xFEFF)
	}
	for _, u := range units {
		out = order.AppendUint16(out, u)
	}
	return out
}
