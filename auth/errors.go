package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/office365-go/office365/internal/secret"
)

// ErrSignInRequired is returned (wrapped) by user credentials that have no
// usable account or refresh token: nobody signed in yet, the persisted account
// is not in the token cache, or the identity platform rejected the refresh
// token (invalid_grant, interaction_required). Sign the user in again.
var ErrSignInRequired = errors.New("auth: user sign-in required")

// ErrStateMismatch is returned by AuthCodeCredential.Exchange when the state
// returned to the redirect URL is not the one sent with the request.
var ErrStateMismatch = errors.New("auth: OAuth state mismatch")

// AuthenticationError reports that a credential could not obtain a token from
// the identity platform. Find it with errors.As.
//
// Its message, Code and Description never contain the client secret, tokens,
// assertions or authorization codes: known secrets and anything that looks
// like them are redacted. Unwrap returns MSAL's own error, which this package
// does not redact; do not log that one verbatim.
type AuthenticationError struct {
	// Credential names the credential that failed, e.g. "ClientSecretCredential".
	Credential string
	// StatusCode is the HTTP status of the identity platform's reply, or 0
	// when there was no reply (network error, invalid response, ...).
	StatusCode int
	// Code is the OAuth 2.0 error code of the reply, such as
	// "invalid_client" or "invalid_grant"; empty when unknown.
	Code string
	// Description is the reply's error_description (which carries the
	// AADSTS error number), redacted; empty when unknown.
	Description string

	msg string
	err error
}

// Error returns the redacted message.
func (e *AuthenticationError) Error() string { return e.msg }

// Unwrap returns the underlying MSAL error.
func (e *AuthenticationError) Unwrap() error { return e.err }

// oauthErrorBody is the error reply of the identity platform.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// wrapError turns an MSAL error into an *AuthenticationError. A canceled or
// expired ctx wins over whatever MSAL made of it. secrets are values known to
// be secret (the client secret) that are redacted verbatim.
func wrapError(ctx context.Context, credential string, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	e := &AuthenticationError{Credential: credential, err: err}
	var call msalerrors.CallErr
	if errors.As(err, &call) && call.Resp != nil {
		e.StatusCode = call.Resp.StatusCode
		if body := peekBody(call); len(body) > 0 {
			var ob oauthErrorBody
			if json.Unmarshal(body, &ob) == nil {
				e.Code = redact(ob.Error, secrets)
				e.Description = redact(ob.Description, secrets)
			}
		}
	}
	switch {
	case e.Code != "":
		e.msg = fmt.Sprintf("auth: %s: token request failed with %d %s: %s", credential, e.StatusCode, e.Code, e.Description)
	case e.StatusCode != 0:
		e.msg = fmt.Sprintf("auth: %s: token request failed with HTTP status %d", credential, e.StatusCode)
	default:
		e.msg = fmt.Sprintf("auth: %s: %s", credential, redact(err.Error(), secrets))
	}
	return e
}

// peekBody returns the reply body MSAL kept on the error, putting it back so
// that others can read it too. Where MSAL already consumed it (the device-code
// poll loop reads it to look for authorization_pending), the copy MSAL quotes
// in its message is used.
func peekBody(call msalerrors.CallErr) []byte {
	if call.Resp.Body != nil {
		body, err := io.ReadAll(io.LimitReader(call.Resp.Body, 1<<20))
		call.Resp.Body = io.NopCloser(bytes.NewReader(body))
		if err == nil && len(bytes.TrimSpace(body)) > 0 {
			return body
		}
	}
	if call.Err == nil {
		return nil
	}
	// "http call(<url>)(POST) error: reply status code was 400:\n<body>"
	msg := call.Err.Error()
	if i := strings.Index(msg, ":\n{"); i >= 0 {
		return []byte(msg[i+2:])
	}
	return nil
}

// signInErrorCodes are OAuth error codes after which only a new interactive
// sign-in helps.
var signInErrorCodes = map[string]bool{
	"invalid_grant":        true,
	"interaction_required": true,
	"login_required":       true,
	"consent_required":     true,
}

// needsSignIn reports whether err (from wrapError) means the user must sign
// in again.
func needsSignIn(err error) bool {
	var ae *AuthenticationError
	if !errors.As(err, &ae) {
		return false
	}
	if signInErrorCodes[ae.Code] {
		return true
	}
	// MSAL reports a cache without a refresh token for the account with this
	// untyped error (apps/internal/base: AcquireTokenSilent).
	return ae.StatusCode == 0 && ae.err != nil && strings.Contains(ae.err.Error(), "no token found")
}

const redacted = "[REDACTED]"

var (
	// "access_token": "..." and friends in JSON (MSAL quotes raw replies in
	// some errors).
	redactJSON = regexp.MustCompile(`"(access_token|refresh_token|id_token|client_info|client_secret|client_assertion|assertion|device_code|code|code_verifier|password)"\s*:\s*"[^"]*"`)
	// access_token=... and friends in URLs and form bodies.
	redactForm = regexp.MustCompile(`\b(access_token|refresh_token|id_token|client_secret|client_assertion|assertion|device_code|code|code_verifier|password)=[^&\s"]*`)
	// Authorization header values.
	redactBearer = regexp.MustCompile(`(?i)\b(bearer\s+)[A-Za-z0-9\-._~+/]+=*`)
	// Anything shaped like a JWT (assertions, ID tokens, access tokens).
	redactJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
)

// redact removes the given secrets and anything that looks like a token,
// assertion or code from s: the module's shared scrubber (secrets in any
// encoding, echoed Authorization headers, HTML- and JSON-escaped
// parameters) and the OAuth members of token endpoint replies.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	s = secret.Scrub(s, secrets...)
	s = redactJSON.ReplaceAllString(s, `"$1":"`+redacted+`"`)
	s = redactForm.ReplaceAllString(s, `$1=`+redacted)
	s = redactBearer.ReplaceAllString(s, `${1}`+redacted)
	s = redactJWT.ReplaceAllString(s, redacted)
	// One placeholder: the shared scrubber writes it without brackets.
	s = strings.ReplaceAll(s, redacted, secret.Redacted)
	return strings.ReplaceAll(s, secret.Redacted, redacted)
}
