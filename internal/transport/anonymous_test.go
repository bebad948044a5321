package transport

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// A PUT marked NotIdempotent (an upload session's last range) is not
// re-sent after the service may have processed it, and its error says so;
// an ordinary PUT is retried.
func TestNotIdempotentPutNotResent(t *testing.T) {
	var processed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		processed.Add(1)
		panic(http.ErrAbortHandler) // processed, answer lost
	}))
	defer srv.Close()
	cfg, err := office365.NewConfig(office365.WithRetry(office365.RetryOptions{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}))
	require.NoError(t, err)
	p, err := New(cfg, srv.URL, nil)
	require.NoError(t, err)

	_, err = p.Do(t.Context(), &Request{Method: http.MethodPut, Path: "/s?authtoken=x", Body: strings.NewReader("last"), NotIdempotent: true})
	require.Error(t, err)
	assert.Equal(t, int32(1), processed.Load(), "re-sent")
	assert.True(t, office365.IsMaybeProcessed(err), "%v", err)

	processed.Store(0)
	_, err = p.Do(t.Context(), &Request{Method: http.MethodPut, Path: "/s?authtoken=x", Body: strings.NewReader("middle")})
	require.Error(t, err)
	assert.Equal(t, int32(4), processed.Load(), "an ordinary PUT is retried")
	assert.False(t, office365.IsMaybeProcessed(err), "%v", err)
}
