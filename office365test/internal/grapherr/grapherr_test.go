package grapherr

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsGraph(t *testing.T) {
	for path, want := range map[string]bool{
		"/v1.0/me/messages": true, "/V1.0/me": true, "/v1.0": true,
		"/api/v1.0/contoso/ServiceComms/Services": false, "/api/v2.0/me": false, "/v1.01/x": false, "/": false,
	} {
		assert.Equal(t, want, IsGraph(httptest.NewRequest("GET", path, nil)), path)
	}
}

func TestTranslate(t *testing.T) {
	cases := []struct {
		status       int
		code, msg    string
		wantStatus   int
		wantCode     string
		wantMsgEqual string // "" keeps msg
	}{
		{400, "ErrorInvalidSyncStateData", "stale", 410, "syncStateNotFound", ""},
		{404, "errorinvalidurl", "Resource not found for the segment 'x'.", 400, "BadRequest", ""},
		{400, "ErrorInvalidUrl", "The URL is malformed.", 400, "ErrorInvalidUrl", ""}, // only the 404 form is a routing miss
		{405, "ErrorInvalidRequest", "no", 405, "BadRequest", "Specified HTTP method is not allowed for the request target."},
		{400, "ErrorInvalidRequest", "bad", 400, "ErrorInvalidRequest", ""},
		{404, "ErrorNonExistentMailbox", "no mailbox", 404, "ResourceNotFound", "Resource could not be discovered."},
		{404, "ErrorItemNotFound", "gone", 404, "ErrorItemNotFound", ""},
		{429, "ApplicationThrottled", "slow down", 429, "ApplicationThrottled", ""},
	}
	for _, c := range cases {
		st, code, msg := Translate(c.status, c.code, c.msg)
		want := c.msg
		if c.wantMsgEqual != "" {
			want = c.wantMsgEqual
		}
		assert.Equal(t, []any{c.wantStatus, c.wantCode, want}, []any{st, code, msg}, "%d %s", c.status, c.code)
	}
}

func TestDefault(t *testing.T) {
	for _, c := range []struct {
		area   Area
		status int
		code   string
	}{
		{Outlook, 429, "ApplicationThrottled"}, {Generic, 429, "TooManyRequests"},
		{Outlook, 503, "ErrorServerBusy"}, {Generic, 503, "serviceNotAvailable"},
		{Outlook, 500, "ErrorInternalServerError"}, {Generic, 500, "generalException"},
		{Outlook, 502, "ErrorInternalServerError"}, {Generic, 504, "generalException"},
		{Outlook, 404, "ErrorItemNotFound"}, {Generic, 404, "itemNotFound"},
		{Outlook, 403, "ErrorAccessDenied"}, {Generic, 403, "accessDenied"},
		{Outlook, 401, "InvalidAuthenticationToken"}, {Generic, 401, "InvalidAuthenticationToken"},
		{Outlook, 409, "ErrorInvalidRequest"}, {Generic, 409, "invalidRequest"},
	} {
		code, msg := Default(c.area, c.status)
		assert.Equal(t, c.code, code, "%d", c.status)
		assert.NotEmpty(t, msg)
	}
}

func TestWrite(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 17, 5, 900, time.UTC)
	r := httptest.NewRequest("GET", "/v1.0/me/messages/x", nil)
	r.Header.Set("client-request-id", "cid")
	w := httptest.NewRecorder()
	Write(w, r, now, Outlook, http.StatusUnauthorized, "", "")
	assert.Equal(t, 401, w.Code)
	assert.Contains(t, w.Header().Get("WWW-Authenticate"), `authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`)
	id := w.Header().Get("request-id")
	require.NotEmpty(t, id)
	assert.Equal(t, "cid", w.Header().Get("client-request-id"))
	assert.JSONEq(t, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty or invalid.",
		"innerError":{"date":"2026-12-05T10:17:05","request-id":"`+id+`","client-request-id":"cid"}}}`, w.Body.String())

	// A stamped response keeps its ids; the store's code is translated.
	w = httptest.NewRecorder()
	w.Header().Set("request-id", "rid")
	Write(w, r, now, Outlook, http.StatusBadRequest, "ErrorInvalidSyncStateData", "stale")
	assert.Equal(t, http.StatusGone, w.Code)
	assert.Empty(t, w.Header().Get("WWW-Authenticate"))
	var body struct {
		Error struct {
			Code, Message string
			InnerError    map[string]string
		}
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body))
	assert.Equal(t, "syncStateNotFound", body.Error.Code)
	assert.Equal(t, "stale", body.Error.Message)
	assert.Equal(t, "rid", body.Error.InnerError["request-id"])

	// A batch item's body: a request-id of its own, the caller's client id,
	// or the request-id when there is none.
	b, err := json.Marshal(BodyFor(httptest.NewRequest("POST", "/v1.0/$batch", nil), now, "FailedDependency", "x"))
	require.NoError(t, err)
	var item struct {
		Error struct{ InnerError map[string]string }
	}
	require.NoError(t, json.Unmarshal(b, &item))
	assert.NotEmpty(t, item.Error.InnerError["request-id"])
	assert.Equal(t, item.Error.InnerError["request-id"], item.Error.InnerError["client-request-id"])
}
