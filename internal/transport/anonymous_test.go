package transport

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
)

// An anonymous pipeline sends no token, to any host, and scrubs the
// secrets its URL carries from errors even when the service echoes them.
func TestAnonymousPipelineScrubsURLSecrets(t *testing.T) {
	t.Parallel()
	const secret = "UploadSessionToken-0123456789abcdef"
	target := "https://upload.example.net/api/v2.0/Sessions('s1')?authtoken=" + secret + "&state=1"
	s := &script{steps: []func(*http.Request) (*http.Response, error){
		respond(400, nil, odataErr("ErrorInvalidRequest", "cannot PUT "+target+" with "+secret)),
	}}
	p := newTestPipeline(t, s, auth.StaticToken(testToken), office365.WithRetry(office365.RetryOptions{MaxRetries: -1})).Anonymous()
	_, err := p.Do(context.Background(), &Request{Method: http.MethodPut, Path: target, Body: strings.NewReader("bytes")})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	assert.Contains(t, err.Error(), "authtoken=REDACTED")
	reqs := s.requests()
	require.Len(t, reqs, 1)
	assert.Empty(t, reqs[0].header.Values("Authorization"))
	assert.Equal(t, target, reqs[0].url)
}
