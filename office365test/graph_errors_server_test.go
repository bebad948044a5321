package office365test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestServerErrorsInGraphShape: the server's own refusals (a body over the
// limit, a body that cannot be read) answer a /v1.0 request in Graph's
// shape and a retired-API request as before.
func TestServerErrorsInGraphShape(t *testing.T) {
	s := newEchoServer(t)
	s.mu.Lock()
	s.bodyMax = 10
	s.mu.Unlock()
	graphError := func(t *testing.T, w *httptest.ResponseRecorder) (code string, inner map[string]any) {
		t.Helper()
		var body struct {
			Error struct {
				Code       string
				Message    string
				InnerError map[string]any
			}
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), w.Body.String())
		assert.NotEmpty(t, body.Error.Message)
		assert.Equal(t, w.Header().Get("request-id"), body.Error.InnerError["request-id"])
		return body.Error.Code, body.Error.InnerError
	}

	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/v1.0/me/messages", strings.NewReader(strings.Repeat("x", 11)))
	r.Header.Set("Authorization", "Bearer t")
	r.Header.Set("client-request-id", "cid")
	s.ServeInProcess(w, r)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	code, inner := graphError(t, w)
	assert.Equal(t, "RequestEntityTooLarge", code)
	assert.Equal(t, "cid", inner["client-request-id"])

	w = httptest.NewRecorder()
	r = httptest.NewRequest(http.MethodPost, "/v1.0/me/messages", failingReader{})
	r.Header.Set("Authorization", "Bearer t")
	s.ServeInProcess(w, r)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	code, _ = graphError(t, w)
	assert.Equal(t, "RequestBodyRead", code)

	w = httptest.NewRecorder()
	r = httptest.NewRequest(http.MethodPost, "/api/v2.0/me/messages", failingReader{})
	r.Header.Set("Authorization", "Bearer t")
	s.ServeInProcess(w, r)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, "reading body: connection reset\n", w.Body.String(), "the retired API's answer is unchanged")
	assert.Empty(t, w.Header().Get("request-id"))

	w = httptest.NewRecorder()
	r = httptest.NewRequest(http.MethodPost, "/api/v2.0/me/messages", strings.NewReader(strings.Repeat("x", 11)))
	r.Header.Set("Authorization", "Bearer t")
	s.ServeInProcess(w, r)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.JSONEq(t, `{"error":{"code":"RequestEntityTooLarge","message":"The request body is too large."}}`, w.Body.String())
}
