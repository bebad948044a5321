package auth_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365/auth"
)

// countingSource issues "tok-1", "tok-2", ... valid for ttl.
type countingSource struct {
	calls atomic.Int32
	ttl   time.Duration
	err   error
	empty bool
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	n := s.calls.Add(1)
	if s.err != nil {
		return nil, s.err
	}
	if s.empty {
		return &oauth2.Token{}, nil
	}
	return &oauth2.Token{AccessToken: "tok-" + string(rune('0'+n)), Expiry: time.Now().Add(s.ttl)}, nil
}

func TestFromTokenSourceReusesUntilRefresh(t *testing.T) {
	t.Parallel()
	src := &countingSource{ttl: time.Hour}
	cred := auth.FromTokenSource(src)
	ctx := context.Background()

	tok, err := cred.Token(ctx, []string{"ignored"})
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)
	tok, err = cred.Token(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)
	assert.EqualValues(t, 1, src.calls.Load(), "a valid token is reused")

	r, ok := cred.(auth.Refresher)
	require.True(t, ok, "FromTokenSource implements Refresher")
	tok, err = r.Refresh(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "tok-2", tok.AccessToken)
	tok, err = cred.Token(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "tok-2", tok.AccessToken, "Token returns the refreshed token afterwards")
	assert.EqualValues(t, 2, src.calls.Load())
}

func TestFromTokenSourceRenewsNearExpiry(t *testing.T) {
	t.Parallel()
	src := &countingSource{ttl: time.Minute} // inside the reuse leeway
	cred := auth.FromTokenSource(src)
	for range 3 {
		_, err := cred.Token(context.Background(), nil)
		require.NoError(t, err)
	}
	assert.EqualValues(t, 3, src.calls.Load(), "tokens about to expire are not reused")
}

func TestFromTokenSourceErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	_, err := auth.FromTokenSource(&countingSource{err: boom}).Token(context.Background(), nil)
	require.ErrorIs(t, err, boom)

	_, err = auth.FromTokenSource(&countingSource{empty: true, ttl: time.Hour}).Token(context.Background(), nil)
	require.ErrorIs(t, err, auth.ErrNoToken)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := &countingSource{ttl: time.Hour}
	_, err = auth.FromTokenSource(src).Token(ctx, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, src.calls.Load())
}

// countingCredential records the scopes it is asked for.
type countingCredential struct {
	calls  atomic.Int32
	scopes atomic.Value
}

func (c *countingCredential) Token(_ context.Context, scopes []string) (*oauth2.Token, error) {
	c.calls.Add(1)
	c.scopes.Store(append([]string(nil), scopes...))
	return &oauth2.Token{AccessToken: "from-credential", Expiry: time.Now().Add(time.Hour)}, nil
}

func TestTokenSourceReusesAndKeepsScopes(t *testing.T) {
	t.Parallel()
	cred := &countingCredential{}
	scopes := []string{mailScope}
	ts := auth.TokenSource(context.Background(), cred, scopes...)
	scopes[0] = "mutated"
	for range 3 {
		tok, err := ts.Token()
		require.NoError(t, err)
		assert.Equal(t, "from-credential", tok.AccessToken)
	}
	assert.EqualValues(t, 1, cred.calls.Load())
	assert.Equal(t, []string{mailScope}, cred.scopes.Load(), "TokenSource copies the scopes")
}

func TestStaticToken(t *testing.T) {
	t.Parallel()
	tok, err := auth.StaticToken("abc").Token(context.Background(), []string{mailScope})
	require.NoError(t, err)
	assert.Equal(t, "abc", tok.AccessToken)
	assert.Equal(t, "Bearer", tok.Type())

	_, err = auth.StaticToken("").Token(context.Background(), nil)
	require.ErrorIs(t, err, auth.ErrNoToken)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = auth.StaticToken("abc").Token(ctx, nil)
	require.ErrorIs(t, err, context.Canceled)
}

// expiredSource returns a token that expired an hour ago.
type expiredSource struct{ calls atomic.Int32 }

func (s *expiredSource) Token() (*oauth2.Token, error) {
	s.calls.Add(1)
	return &oauth2.Token{AccessToken: "stale-secret", Expiry: time.Now().Add(-time.Hour)}, nil
}

// TestFromTokenSourceRejectsExpiredTokens: an already expired token used to
// be handed out (and sent, earning a 401); it is a clear error now, and
// neither the token nor its value appears in it.
func TestFromTokenSourceRejectsExpiredTokens(t *testing.T) {
	t.Parallel()
	src := &expiredSource{}
	cred := auth.FromTokenSource(src)
	_, err := cred.Token(t.Context(), nil)
	require.ErrorIs(t, err, auth.ErrExpiredToken)
	assert.NotContains(t, err.Error(), "stale-secret")
	_, err = cred.(auth.Refresher).Refresh(t.Context(), nil)
	require.ErrorIs(t, err, auth.ErrExpiredToken)
	// A token without an expiry is trusted.
	tok, err := auth.FromTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "forever"})).Token(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, "forever", tok.AccessToken)
}

// TestTokenSourceKeepsItsContext documents that the context given to
// TokenSource is used for later refreshes: once cancelled, refreshes fail,
// while context.WithoutCancel keeps the source usable.
func TestTokenSourceKeepsItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	ts := auth.TokenSource(ctx, auth.StaticToken("a"), "s")
	keep := auth.TokenSource(context.WithoutCancel(ctx), auth.StaticToken("b"), "s")
	cancel()
	_, err := ts.Token()
	require.ErrorIs(t, err, context.Canceled)
	tok, err := keep.Token()
	require.NoError(t, err)
	assert.Equal(t, "b", tok.AccessToken)
}
