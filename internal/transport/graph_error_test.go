package transport

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Microsoft Graph puts the request ids and the date in the error body's
// innerError; they surface on the *office365.Error when the headers lack
// them, and the headers win when both are present.
func TestGraphInnerErrorIdsAndDate(t *testing.T) {
	t.Parallel()
	body := []byte(`{"error":{"code":"itemNotFound","message":"The requested issue 'EX1' was not found.",
		"innerError":{"date":"2025-02-13T10:17:05","request-id":"93b6a2a4-1c5e-4d7b-9b0c-1f2e3d4c5b6a",
		"client-request-id":"e70c1b2a-3d4e-4f5a-8b6c-7d8e9f0a1b2c"}}}`)
	e := ErrorFromResponse(http.StatusNotFound, http.Header{"Content-Type": {"application/json"}}, body)
	assert.Equal(t, "itemNotFound", e.Code)
	assert.Equal(t, "93b6a2a4-1c5e-4d7b-9b0c-1f2e3d4c5b6a", e.RequestID)
	assert.Equal(t, "e70c1b2a-3d4e-4f5a-8b6c-7d8e9f0a1b2c", e.ClientRequestID)
	assert.Equal(t, time.Date(2025, 2, 13, 10, 17, 5, 0, time.UTC), e.Date)
	assert.JSONEq(t, `{"date":"2025-02-13T10:17:05","request-id":"93b6a2a4-1c5e-4d7b-9b0c-1f2e3d4c5b6a",
		"client-request-id":"e70c1b2a-3d4e-4f5a-8b6c-7d8e9f0a1b2c"}`, string(e.InnerError))
	assert.Contains(t, e.Error(), "[request-id 93b6a2a4-1c5e-4d7b-9b0c-1f2e3d4c5b6a]")

	h := http.Header{"Request-Id": {"from-header"}, "Date": {"Thu, 13 Feb 2025 10:17:06 GMT"}}
	e = ErrorFromResponse(http.StatusNotFound, h, body)
	assert.Equal(t, "from-header", e.RequestID)
	assert.Equal(t, time.Date(2025, 2, 13, 10, 17, 6, 0, time.UTC), e.Date)

	// An innerError without those members, or of another shape, changes nothing.
	e = ErrorFromResponse(http.StatusBadRequest, http.Header{}, []byte(`{"error":{"code":"BadRequest","message":"m","innerError":"x"}}`))
	assert.Empty(t, e.RequestID)
	assert.True(t, e.Date.IsZero())
}
