package outlook_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
)

// TestBatchPartErrorsAreScrubbedOfTheBatchToken: a part whose error echoes
// the token the $batch request carried (one that is not JWT-shaped, so only
// the exact value can catch it) does not get it into the part's error.
func TestBatchPartErrorsAreScrubbedOfTheBatchToken(t *testing.T) {
	const token = "opaque-batch-token-7d41c9"
	mt := httpmock.NewMockTransport()
	c, err := outlook.New(auth.StaticToken(token), office365.WithGraph(),
		office365.WithHTTPClient(&http.Client{Transport: mt}), office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	require.NoError(t, err)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		require.Equal(t, "Bearer "+token, r.Header.Get("Authorization"))
		resp := httpmock.NewStringResponse(http.StatusOK, `{"responses":[{"id":"1","status":400,`+
			`"headers":{"Content-Type":"application/json"},`+
			`"body":{"error":{"code":"BadRequest","message":"this session (`+token+`) may not read m1"}}}]}`)
		resp.Header.Set("Content-Type", "application/json")
		resp.Request = r
		return resp, nil
	})
	b := c.User("adele@contoso.com").NewBatch(nil)
	part := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
		_, err := mb.Mail().Messages().Get(ctx, "m1", nil)
		return err
	})
	require.NoError(t, b.Send(t.Context()))
	err = part.Err()
	require.Error(t, err)
	var oe *office365.Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "BadRequest", oe.Code)
	assert.NotContains(t, oe.Message, token)
	assert.NotContains(t, err.Error(), token)
}
