package office365

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is returned for every unsuccessful response from a service. Find it
// with errors.As, or test it with the Is* predicates:
//
//	var apiErr *office365.Error
//	if errors.As(err, &apiErr) {
//		log.Printf("%s (request-id %s)", apiErr.Code, apiErr.RequestID)
//	}
//
// URL never carries secrets: query values that look like tokens, signatures
// or codes are redacted.
type Error struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is the service error code from the OData error body, such as
	// "ErrorItemNotFound" or "ApplicationThrottled"; empty when the body had none.
	Code string
	// Message is the service's message, or a description of a body that was
	// not an OData error (for example an HTML page from a proxy).
	Message string
	// InnerError is the raw "innerError" object of the OData error, if any.
	InnerError json.RawMessage
	// Excerpt holds the start of a body that was not an OData error
	// (whitespace collapsed, at most a few hundred bytes).
	Excerpt string
	// ContentType is the response's Content-Type.
	ContentType string
	// RequestID is the service's request-id header (or, from Microsoft
	// Graph, the request-id of the error body's innerError).
	RequestID string
	// ClientRequestID is the client-request-id the SDK sent (echoed back).
	ClientRequestID string
	// ActivityID is the X-Activity-Id header (Management APIs).
	ActivityID string
	// Date is the response's Date header (or the date of Microsoft Graph's
	// innerError), zero if absent.
	Date time.Time
	// RetryAfter is how long the service asked the client to wait (from
	// Retry-After or retry-after-ms), zero if it did not say.
	RetryAfter time.Duration
	// Method and URL identify the request; URL is redacted.
	Method string
	URL    string
}

// Error formats the error on one line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("office365: ")
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.URL)
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request-id %s]", e.RequestID)
	} else if e.ClientRequestID != "" {
		fmt.Fprintf(&b, " [client-request-id %s]", e.ClientRequestID)
	}
	return b.String()
}

// HasCode reports whether err is an *Error whose Code equals one of codes
// (case-insensitively).
func HasCode(err error, codes ...string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if strings.EqualFold(e.Code, c) {
			return true
		}
	}
	return false
}

// StatusCode returns the HTTP status of an *Error in err's chain, or 0.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsNotFound reports whether err means the addressed resource does not exist
// (HTTP 404, or ErrorItemNotFound / ErrorFolderNotFound under another status).
func IsNotFound(err error) bool {
	return StatusCode(err) == http.StatusNotFound || HasCode(err, "ErrorItemNotFound", "ErrorFolderNotFound")
}

// IsThrottled reports whether the service asked the client to slow down:
// HTTP 429, or ApplicationThrottled, ErrorServerBusy or a MailboxConcurrency
// code under another status such as 503.
func IsThrottled(err error) bool {
	if StatusCode(err) == http.StatusTooManyRequests {
		return true
	}
	if HasCode(err, "ApplicationThrottled", "ErrorServerBusy", "MailboxConcurrency", "TooManyRequests") {
		return true
	}
	var e *Error
	return errors.As(err, &e) && strings.Contains(e.Message, "MailboxConcurrency")
}

// IsUnauthorized reports whether the service rejected the token (HTTP 401).
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// IsForbidden reports whether the caller lacks permission (HTTP 403, or
// ErrorAccessDenied).
func IsForbidden(err error) bool {
	return StatusCode(err) == http.StatusForbidden || HasCode(err, "ErrorAccessDenied")
}
