package auth_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
)

const redirectURL = "http://localhost:8400/callback"

// persisted returns options with a file cache and account store in dir.
func persisted(t *testing.T, e *office365test.Entra, dir string) *auth.CredentialOptions {
	t.Helper()
	fc, err := auth.NewFileCache(filepath.Join(dir, "msal.json"))
	require.NoError(t, err)
	as, err := auth.NewFileAccountStore(filepath.Join(dir, "account.json"))
	require.NoError(t, err)
	opts := entraOptions(e)
	opts.Cache = fc
	opts.AccountStore = as
	return opts
}

func TestDeviceCodeCredential(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(testClientID)
	e.SetDeviceCodePending(1) // one authorization_pending before the user is done
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var (
		mu      sync.Mutex
		prompts []auth.DeviceCodeMessage
	)
	prompt := func(_ context.Context, m auth.DeviceCodeMessage) error {
		mu.Lock()
		defer mu.Unlock()
		prompts = append(prompts, m)
		return nil
	}
	cred, err := auth.NewDeviceCodeCredential(testTenant, testClientID, prompt, persisted(t, e, dir))
	require.NoError(t, err)

	// Concurrent first calls share one sign-in.
	var wg sync.WaitGroup
	toks := make([]string, 3)
	for i := range toks {
		wg.Go(func() {
			tok, err := cred.Token(ctx, []string{mailScope})
			if assert.NoError(t, err) {
				toks[i] = tok.AccessToken
			}
		})
	}
	wg.Wait()
	require.Len(t, prompts, 1, "one prompt for concurrent callers")
	m := prompts[0]
	assert.Len(t, m.UserCode, 9)
	assert.Equal(t, e.URL()+"/devicelogin", m.VerificationURL)
	assert.Contains(t, m.Message, m.UserCode)
	assert.True(t, m.ExpiresOn.After(time.Now()))
	assert.Equal(t, toks[0], toks[1])
	assert.Equal(t, toks[0], toks[2])
	info, ok := e.LookupToken(toks[0])
	require.True(t, ok)
	assert.Equal(t, e.User().Username, info.Username)
	assert.Equal(t, []string{mailScope}, info.Scopes)
	assert.Equal(t, 2, e.GrantRequests(office365test.GrantDeviceCode), "one pending poll, one success")

	acct, err := cred.Account(ctx)
	require.NoError(t, err)
	assert.Equal(t, e.User().Username, acct.Username)
	assert.Equal(t, e.User().ObjectID+"."+e.User().TenantID, acct.HomeAccountID)

	// A restarted process refreshes silently from the cache and account files.
	before := e.TokenRequests()
	restarted, err := auth.NewDeviceCodeCredential(testTenant, testClientID, func(context.Context, auth.DeviceCodeMessage) error {
		t.Error("restarted credential prompted")
		return errors.New("unexpected prompt")
	}, persisted(t, e, dir))
	require.NoError(t, err)
	tok, err := restarted.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.Equal(t, toks[0], tok.AccessToken)
	assert.Equal(t, before, e.TokenRequests(), "no token request after the restart")

	// Refresh redeems the refresh token, not another device code.
	fresh, err := restarted.Refresh(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.NotEqual(t, toks[0], fresh.AccessToken)
	assert.Equal(t, 1, e.GrantRequests(office365test.GrantRefreshToken))
}

func TestDeviceCodeCredentialPromptErrorAbortsSignIn(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(testClientID)
	stop := errors.New("user went away")
	cred, err := auth.NewDeviceCodeCredential(testTenant, testClientID, func(context.Context, auth.DeviceCodeMessage) error {
		return stop
	}, entraOptions(e))
	require.NoError(t, err)
	_, err = cred.Token(context.Background(), []string{mailScope})
	require.ErrorIs(t, err, stop)
	assert.Zero(t, e.GrantRequests(office365test.GrantDeviceCode), "no polling after the prompt failed")
}

func TestDeviceCodeCredentialDeclined(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(testClientID)
	e.SetDeviceCodePending(-1) // wait for the user's decision
	cred, err := auth.NewDeviceCodeCredential(testTenant, testClientID, func(_ context.Context, m auth.DeviceCodeMessage) error {
		return e.DenyDeviceCode(m.UserCode)
	}, entraOptions(e))
	require.NoError(t, err)
	_, err = cred.Authenticate(context.Background(), []string{mailScope})
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "authorization_declined", ae.Code)
}

// signInWithCode runs AuthCodeURL, the fake's sign-in page and Exchange.
func signInWithCode(t *testing.T, e *office365test.Entra, cred *auth.AuthCodeCredential) auth.Account {
	t.Helper()
	ctx := context.Background()
	req, err := cred.AuthCodeURL(ctx, []string{mailScope}, &auth.AuthCodeURLOptions{LoginHint: "adele", Prompt: "select_account"})
	require.NoError(t, err)
	u, err := url.Parse(req.URL)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.NotEmpty(t, q.Get("code_challenge"))
	assert.NotContains(t, req.URL, req.Verifier, "the verifier stays on the client")
	assert.Equal(t, req.State, q.Get("state"))
	assert.Equal(t, redirectURL, q.Get("redirect_uri"))
	assert.Equal(t, "adele", q.Get("login_hint"))
	assert.Equal(t, "select_account", q.Get("prompt"))
	assert.Contains(t, strings.Fields(q.Get("scope")), "offline_access")

	code, err := e.Authorize(req.URL)
	require.NoError(t, err)
	acct, err := cred.Exchange(ctx, req, code, req.State)
	require.NoError(t, err)
	return acct
}

func TestAuthCodeCredentialPKCEAndSilentRefreshAfterRestart(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(testClientID, "http://localhost/callback")
	dir := t.TempDir()
	ctx := context.Background()

	cred, err := auth.NewAuthCodeCredential(testTenant, testClientID, redirectURL, persisted(t, e, dir))
	require.NoError(t, err)
	_, err = cred.Token(ctx, []string{mailScope})
	require.ErrorIs(t, err, auth.ErrSignInRequired, "Token never prompts")

	acct := signInWithCode(t, e, cred)
	assert.Equal(t, e.User().Username, acct.Username)
	assert.Equal(t, 1, e.GrantRequests(office365test.GrantAuthorizationCode))
	tok, err := cred.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.True(t, e.ValidToken(tok.AccessToken))
	assert.Equal(t, 1, e.TokenRequests(), "the token of the code redemption is cached")

	fi, err := os.Stat(filepath.Join(dir, "account.json"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Restart: the access token comes from the file.
	restarted, err := auth.NewAuthCodeCredential(testTenant, testClientID, redirectURL, persisted(t, e, dir))
	require.NoError(t, err)
	again, err := restarted.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.Equal(t, tok.AccessToken, again.AccessToken)
	assert.Equal(t, 1, e.TokenRequests())

	// Refresh redeems the refresh token and replaces the cached access token.
	fresh, err := restarted.Refresh(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	assert.Equal(t, 1, e.GrantRequests(office365test.GrantRefreshToken))
	cached, err := restarted.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.Equal(t, fresh.AccessToken, cached.AccessToken)
	assert.Equal(t, 2, e.TokenRequests())

	// A revoked refresh token means: sign in again. The cached access token
	// is still served until it expires.
	e.RevokeRefreshTokens()
	_, err = restarted.Refresh(ctx, []string{mailScope})
	require.ErrorIs(t, err, auth.ErrSignInRequired)
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_grant", ae.Code)
	cached, err = restarted.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.Equal(t, fresh.AccessToken, cached.AccessToken)

	// Signing out forgets the account in the store and the cache.
	require.NoError(t, restarted.SignOut(ctx))
	a, err := restarted.Account(ctx)
	require.NoError(t, err)
	assert.True(t, a.IsZero())
	_, err = restarted.Token(ctx, []string{mailScope})
	require.ErrorIs(t, err, auth.ErrSignInRequired)
	again2, err := auth.NewAuthCodeCredential(testTenant, testClientID, redirectURL, persisted(t, e, dir))
	require.NoError(t, err)
	_, err = again2.Token(ctx, []string{mailScope})
	require.ErrorIs(t, err, auth.ErrSignInRequired)
}

// With access tokens too short-lived for MSAL's cache (under five minutes),
// every Token call redeems the refresh token silently.
func TestAuthCodeCredentialSilentRefreshOfShortLivedTokens(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(testClientID)
	e.SetTokenLifetime(2 * time.Minute)
	cred, err := auth.NewAuthCodeCredential(testTenant, testClientID, redirectURL, entraOptions(e))
	require.NoError(t, err)
	signInWithCode(t, e, cred)
	ctx := context.Background()

	t1, err := cred.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	t2, err := cred.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.NotEqual(t, t1.AccessToken, t2.AccessToken)
	assert.True(t, e.ValidToken(t2.AccessToken))
	assert.Equal(t, 2, e.GrantRequests(office365test.GrantRefreshToken))

	e.RevokeRefreshTokens()
	_, err = cred.Token(ctx, []string{mailScope})
	require.ErrorIs(t, err, auth.ErrSignInRequired)
}

func TestAuthCodeCredentialExchangeChecks(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(testClientID)
	cred, err := auth.NewAuthCodeCredential(testTenant, testClientID, redirectURL, entraOptions(e))
	require.NoError(t, err)
	ctx := context.Background()

	req, err := cred.AuthCodeURL(ctx, []string{mailScope}, nil)
	require.NoError(t, err)
	code, err := e.Authorize(req.URL)
	require.NoError(t, err)

	_, err = cred.Exchange(ctx, req, code, "forged-state")
	require.ErrorIs(t, err, auth.ErrStateMismatch)
	assert.Zero(t, e.TokenRequests())

	// A verifier that does not match the challenge is refused by the fake,
	// and neither the code nor the verifier shows up in the error.
	bad := *req
	bad.Verifier = strings.Repeat("x", 43)
	_, err = cred.Exchange(ctx, &bad, code, req.State)
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_grant", ae.Code)
	assert.Contains(t, ae.Description, "code_challenge")
	assert.NotContains(t, err.Error(), code)
	assert.NotContains(t, err.Error(), bad.Verifier)

	// The right verifier works (the failed attempt did not burn the code).
	_, err = cred.Exchange(ctx, req, code, req.State)
	require.NoError(t, err)
	// Codes are single-use.
	_, err = cred.Exchange(ctx, req, code, req.State)
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Description, "AADSTS54005")
}

func TestAuthCodeCredentialInteractive(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(testClientID, "http://localhost")
	cred, err := auth.NewAuthCodeCredential(testTenant, testClientID, "http://localhost", entraOptions(e))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// e.SignIn plays the browser: it signs in and posts the code back to
	// MSAL's loopback server.
	acct, err := cred.SignInInteractive(ctx, []string{mailScope}, e.SignIn)
	require.NoError(t, err)
	assert.Equal(t, e.User().Username, acct.Username)
	tok, err := cred.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.True(t, e.ValidToken(tok.AccessToken))
	assert.Equal(t, 1, e.GrantRequests(office365test.GrantAuthorizationCode))
}

func TestAuthCodeCredentialValidation(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "/relative", "ftp://x/y", "http://app.example/callback"} {
		_, err := auth.NewAuthCodeCredential(testTenant, testClientID, u, nil)
		assert.Error(t, err, u)
	}
	_, err := auth.NewAuthCodeCredential(testTenant, testClientID, "https://app.example/callback", nil)
	assert.NoError(t, err)
}
