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
	// MaybeProcessed is true when the request was not idempotent (a POST
	// such as sendmail, reply, forward, a create, $batch or a subscription)
	// and the answer does not say the service left it undone: a 408 or a
	// 5xx other than 503 with Retry-After, or a success whose body could
	// not be read or decoded. The service may have done the work, so the
	// SDK did not send the request again; check before repeating it.
	// errors.Is(err, ErrMaybeProcessed) and IsMaybeProcessed report it.
	MaybeProcessed bool
}

// ErrMaybeProcessed is matched by errors.Is for the error of a
// non-idempotent request that reached the service and failed in a way that
// does not say whether the service acted on it: a 408 or 5xx answer (other
// than 503 with Retry-After), a connection reset or timeout after the
// request was sent, a cancelled context after the request was sent, or a
// successful answer whose body was lost or unreadable. The SDK never
// re-sends such a request; whether to repeat it is the caller's decision.
var ErrMaybeProcessed = errors.New("office365: the request may have been processed")

// IsMaybeProcessed reports whether err says a non-idempotent request may
// have been processed by the service although it failed (see
// ErrMaybeProcessed): repeating it might, for example, send a mail twice.
func IsMaybeProcessed(err error) bool { return errors.Is(err, ErrMaybeProcessed) }

// Is makes errors.Is(e, ErrMaybeProcessed) true when e.MaybeProcessed is
// set.
func (e *Error) Is(target error) bool { return target == ErrMaybeProcessed && e.MaybeProcessed }

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
	if e.MaybeProcessed {
		b.WriteString(" (the request may have been processed)")
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

// Service error codes worth branching on, for HasCode and Error.Code. Each
// constant is named "Code" followed by the code as the service spells it.
//
// Outlook REST (and Outlook resources served by Microsoft Graph, which keep
// the Exchange codes):
const (
	// CodeErrorItemNotFound: the item or folder does not exist (or its id
	// went stale after a move). IsNotFound reports it.
	CodeErrorItemNotFound = "ErrorItemNotFound"
	// CodeErrorFolderNotFound: the folder does not exist. IsNotFound
	// reports it.
	CodeErrorFolderNotFound = "ErrorFolderNotFound"
	// CodeErrorFolderExists: a folder, calendar or calendar group with that
	// name already exists (HTTP 409). IsConflict reports it.
	CodeErrorFolderExists = "ErrorFolderExists"
	// CodeErrorItemAlreadyExists: an item such as an extension with that
	// name already exists (HTTP 409). IsConflict reports it.
	CodeErrorItemAlreadyExists = "ErrorItemAlreadyExists"
	// CodeErrorAccessDenied: the caller may not access the resource.
	// IsForbidden reports it.
	CodeErrorAccessDenied = "ErrorAccessDenied"
	// CodeMailboxNotEnabledForRESTAPI and CodeMailboxNotSupportedForRESTAPI
	// (HTTP 404): the mailbox cannot be reached over REST (on-premises, not
	// licensed, or not migrated). Retrying does not help.
	CodeMailboxNotEnabledForRESTAPI   = "MailboxNotEnabledForRESTAPI"
	CodeMailboxNotSupportedForRESTAPI = "MailboxNotSupportedForRESTAPI"
	// CodeErrorInvalidSyncStateData: a delta (sync) state token is no
	// longer valid; start the sync again.
	CodeErrorInvalidSyncStateData = "ErrorInvalidSyncStateData"
)

// Throttling codes (IsThrottled reports them):
const (
	// CodeApplicationThrottled: the application exceeded a limit (HTTP 429;
	// the message often names MailboxConcurrency).
	CodeApplicationThrottled = "ApplicationThrottled"
	// CodeErrorServerBusy: the mailbox server is busy (often HTTP 503).
	CodeErrorServerBusy = "ErrorServerBusy"
	// CodeMailboxConcurrency: too many concurrent requests to one mailbox.
	CodeMailboxConcurrency = "MailboxConcurrency"
	// CodeTooManyRequests: the generic throttling code.
	CodeTooManyRequests = "TooManyRequests"
	// CodeActivityLimitReached: Microsoft Graph's throttling code.
	CodeActivityLimitReached = "activityLimitReached"
)

// Microsoft Graph's generic codes:
const (
	// CodeItemNotFound: the resource does not exist. IsNotFound reports it.
	CodeItemNotFound = "itemNotFound"
	// CodeAccessDenied: the caller may not perform the action.
	// IsForbidden reports it.
	CodeAccessDenied = "accessDenied"
	// CodeSyncStateNotFound and CodeResyncRequired: a delta link or state
	// is no longer valid (HTTP 410 for the latter); sync from the start.
	CodeSyncStateNotFound = "syncStateNotFound"
	CodeResyncRequired    = "resyncRequired"
	// CodeResourceModified: the resource changed since it was read (an
	// ETag mismatch). IsConflict reports it.
	CodeResourceModified = "resourceModified"
	// CodeNameAlreadyExists: a resource with that name exists. IsConflict
	// reports it.
	CodeNameAlreadyExists = "nameAlreadyExists"
	// CodeInvalidRequest: the request is malformed.
	CodeInvalidRequest = "invalidRequest"
	// CodeNotAllowed and CodeNotSupported: the action is not permitted, or
	// not available, for this resource.
	CodeNotAllowed   = "notAllowed"
	CodeNotSupported = "notSupported"
	// CodeServiceNotAvailable: the service is temporarily unavailable.
	CodeServiceNotAvailable = "serviceNotAvailable"
	// CodeQuotaLimitReached: the user's quota is full.
	CodeQuotaLimitReached = "quotaLimitReached"
	// CodeUnauthenticated: the caller is not authenticated.
	// IsUnauthorized reports it.
	CodeUnauthenticated = "unauthenticated"
	// CodeGeneralException: an unspecified error in the service.
	CodeGeneralException = "generalException"
)

// IsNotFound reports whether err means the addressed resource does not exist
// (HTTP 404, or CodeErrorItemNotFound, CodeErrorFolderNotFound or
// CodeItemNotFound under another status).
func IsNotFound(err error) bool {
	return StatusCode(err) == http.StatusNotFound ||
		HasCode(err, CodeErrorItemNotFound, CodeErrorFolderNotFound, CodeItemNotFound)
}

// IsConflict reports whether err means the request conflicts with the
// resource's current state: HTTP 409, or CodeErrorFolderExists,
// CodeErrorItemAlreadyExists, CodeNameAlreadyExists or
// CodeResourceModified under another status.
func IsConflict(err error) bool {
	return StatusCode(err) == http.StatusConflict ||
		HasCode(err, CodeErrorFolderExists, CodeErrorItemAlreadyExists, CodeNameAlreadyExists, CodeResourceModified)
}

// IsThrottled reports whether the service asked the client to slow down:
// HTTP 429, or one of the throttling codes (CodeApplicationThrottled,
// CodeErrorServerBusy, CodeMailboxConcurrency, CodeTooManyRequests,
// CodeActivityLimitReached) under another status such as 503, or a message
// naming MailboxConcurrency.
func IsThrottled(err error) bool {
	if StatusCode(err) == http.StatusTooManyRequests {
		return true
	}
	if HasCode(err, CodeApplicationThrottled, CodeErrorServerBusy, CodeMailboxConcurrency, CodeTooManyRequests,
		CodeActivityLimitReached) {
		return true
	}
	var e *Error
	return errors.As(err, &e) && strings.Contains(e.Message, CodeMailboxConcurrency)
}

// IsUnauthorized reports whether the service rejected the token (HTTP 401,
// or CodeUnauthenticated).
func IsUnauthorized(err error) bool {
	return StatusCode(err) == http.StatusUnauthorized || HasCode(err, CodeUnauthenticated)
}

// IsForbidden reports whether the caller lacks permission (HTTP 403, or
// CodeErrorAccessDenied / CodeAccessDenied).
func IsForbidden(err error) bool {
	return StatusCode(err) == http.StatusForbidden || HasCode(err, CodeErrorAccessDenied, CodeAccessDenied)
}
