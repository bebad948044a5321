// Package grapherr writes the fake's Microsoft Graph error responses, for
// every front end and server stage that answers a /v1.0/… request: the body
// {"error":{"code","message","innerError":{"date","request-id",
// "client-request-id"}}}, the request-id and client-request-id headers,
// WWW-Authenticate on 401, and the one table that turns the codes the
// mailbox store and the server speak (the Outlook REST v2.0 vocabulary)
// into the codes Graph answers with.
//
// Graph keeps Exchange's codes for Outlook resources (ErrorItemNotFound,
// ErrorInvalidIdMalformed, ApplicationThrottled …); the table only holds
// the codes Graph spells differently, and the defaults for a status given
// without a code.
package grapherr

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/office365-go/office365/office365test/internal/fakejson"
)

// Prefix is the path prefix of Microsoft Graph v1.0 requests.
const Prefix = "/v1.0/"

// IsGraph reports whether r is addressed to Microsoft Graph (/v1.0/…,
// compared case-insensitively).
func IsGraph(r *http.Request) bool {
	p := r.URL.Path
	return len(p) >= len(Prefix) && strings.EqualFold(p[:len(Prefix)], Prefix) ||
		strings.EqualFold(p, strings.TrimSuffix(Prefix, "/"))
}

// Area is the part of Graph that answers, which decides the default codes.
type Area int

const (
	// Outlook is mail, calendar, contacts, To Do, $batch and subscriptions
	// (/me, /users/{id}, …): Exchange's codes.
	Outlook Area = iota
	// Generic is every other Graph API (serviceAnnouncement, unknown
	// paths): Graph's generic codes.
	Generic
)

// translation turns one store or server error into Graph's.
type translation struct {
	status int    // the status it comes with; 0 for any
	code   string // the store's code (compared case-insensitively)
	// toStatus, toCode and message are Graph's (0 or "" keep the original).
	toStatus int
	toCode   string
	message  string
}

// translations is the table of the codes Graph spells differently.
var translations = []translation{
	// A delta or skip token the mailbox no longer (or never) knew: Graph
	// answers 410 Gone; the client starts a new round.
	{code: "ErrorInvalidSyncStateData", toStatus: http.StatusGone, toCode: "syncStateNotFound"},
	// A path no resource answers: Graph's OData layer rejects the segment.
	{status: http.StatusNotFound, code: "ErrorInvalidUrl", toStatus: http.StatusBadRequest, toCode: "BadRequest"},
	// A method the resource does not support.
	{status: http.StatusMethodNotAllowed, code: "ErrorInvalidRequest", toCode: "BadRequest",
		message: "Specified HTTP method is not allowed for the request target."},
	// A user that exists but has no mailbox.
	{status: http.StatusNotFound, code: "ErrorNonExistentMailbox", toCode: "ResourceNotFound",
		message: "Resource could not be discovered."},
}

// defaults are the codes and messages for a status given without a code.
var defaults = map[int][2]struct{ code, message string }{
	http.StatusBadRequest: {{"BadRequest", "Bad request."}, {"BadRequest", "Bad request."}},
	http.StatusUnauthorized: {{"InvalidAuthenticationToken", "Access token is empty or invalid."},
		{"InvalidAuthenticationToken", "Access token is empty or invalid."}},
	http.StatusForbidden: {{"ErrorAccessDenied", "Access is denied. Check credentials and try again."},
		{"accessDenied", "Access is denied."}},
	http.StatusNotFound: {{"ErrorItemNotFound", "The specified object was not found in the store."},
		{"itemNotFound", "The requested resource does not exist."}},
	http.StatusTooManyRequests: {{"ApplicationThrottled", "Application is over its MailboxConcurrency limit."},
		{"TooManyRequests", "Too many requests. Please try again later."}},
	http.StatusInternalServerError: {{"ErrorInternalServerError", "An internal server error occurred. The operation failed."},
		{"generalException", "An unspecified error has occurred."}},
	http.StatusServiceUnavailable: {{"ErrorServerBusy", "The server cannot service this request right now. Try again later."},
		{"serviceNotAvailable", "The service is temporarily unavailable. Try again later."}},
}

// Default returns Graph's code and message for status when none was given.
func Default(area Area, status int) (code, message string) {
	if d, ok := defaults[status]; ok {
		return d[area].code, d[area].message
	}
	switch {
	case status >= 500:
		d := defaults[http.StatusInternalServerError][area]
		return d.code, http.StatusText(status) + "."
	case area == Outlook:
		return "ErrorInvalidRequest", http.StatusText(status) + "."
	}
	return "invalidRequest", http.StatusText(status) + "."
}

// Translate returns the status, code and message Graph answers for an
// error spoken in the store's vocabulary (unchanged when Graph spells it
// the same).
func Translate(status int, code, message string) (int, string, string) {
	for _, t := range translations {
		if (t.status != 0 && t.status != status) || !strings.EqualFold(t.code, code) {
			continue
		}
		if t.toStatus != 0 {
			status = t.toStatus
		}
		if t.toCode != "" {
			code = t.toCode
		}
		if t.message != "" {
			message = t.message
		}
		break
	}
	return status, code, message
}

// Stamp gives the response Graph's request-id header (a new GUID, once per
// response) and client-request-id (the caller's, echoed, or the request-id
// when the caller sent none), and returns the request-id.
func Stamp(w http.ResponseWriter, r *http.Request) string {
	h := w.Header()
	id := h.Get("request-id")
	if id == "" {
		id = uuid.NewString()
		h.Set("request-id", id)
	}
	if h.Get("client-request-id") == "" {
		h.Set("client-request-id", clientRequestID(r, id))
	}
	return id
}

func clientRequestID(r *http.Request, requestID string) string {
	if c := r.Header.Get("client-request-id"); c != "" {
		return c
	}
	return requestID
}

// Body returns Graph's error body, members in the service's order.
func Body(now time.Time, requestID, clientRequestID, code, message string) any {
	inner := fakejson.Object{
		{Key: "date", Value: now.UTC().Format("2006-01-02T15:04:05")},
		{Key: "request-id", Value: requestID},
		{Key: "client-request-id", Value: clientRequestID},
	}
	return fakejson.Object{{Key: "error", Value: fakejson.Object{
		{Key: "code", Value: code}, {Key: "message", Value: message}, {Key: "innerError", Value: inner}}}}
}

// BodyFor is Body for a request answered without a response of its own (a
// JSON batch item): a new request-id and the request's client-request-id.
func BodyFor(r *http.Request, now time.Time, code, message string) any {
	id := uuid.NewString()
	return Body(now, id, clientRequestID(r, id), code, message)
}

// challenge is the WWW-Authenticate header Graph sends with a 401.
const challenge = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`

// Write answers r with a Graph error: status, code and message are
// translated through the table (an empty code takes area's default), the
// response is stamped with its request ids (see Stamp) and a 401 carries a
// WWW-Authenticate challenge.
func Write(w http.ResponseWriter, r *http.Request, now time.Time, area Area, status int, code, message string) {
	if code == "" || message == "" {
		dc, dm := Default(area, status)
		if code == "" {
			code = dc
		}
		if message == "" {
			message = dm
		}
	}
	status, code, message = Translate(status, code, message)
	id := Stamp(w, r)
	if status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", challenge)
	}
	fakejson.WriteJSON(w, status, Body(now, id, w.Header().Get("client-request-id"), code, message))
}
