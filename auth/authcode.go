package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"golang.org/x/oauth2"

	office365 "github.com/office365-go/office365"
)

// AuthCodeCredential signs a user in with the OAuth 2.0 authorization code
// flow with PKCE (RFC 7636) through MSAL's public client, then refreshes
// silently with the cached refresh token. It is safe for concurrent use.
//
// Signing in is explicit: either AuthCodeURL, sending the user's browser
// there, and Exchange with the code delivered to the redirect URL; or
// SignInInteractive, which lets MSAL run a loopback redirect server and open
// the browser. Token never prompts: without a usable refresh token it returns
// an error wrapping ErrSignInRequired.
//
// With CredentialOptions.Cache and AccountStore set, a process started later
// refreshes silently from the persisted cache and account.
type AuthCodeCredential struct {
	p           *publicClient
	redirectURL string
}

// NewAuthCodeCredential returns an authorization-code credential for the
// public client (mobile and desktop) app registration clientID in tenantID.
// redirectURL must be registered for the app, for example
// "http://localhost:8400/callback".
func NewAuthCodeCredential(tenantID, clientID, redirectURL string, opts *CredentialOptions) (*AuthCodeCredential, error) {
	u, err := url.Parse(redirectURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("auth: AuthCodeCredential: redirect URL %q must be an absolute http(s) URL", redirectURL)
	}
	if u.Scheme == "http" && !office365.IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("auth: AuthCodeCredential: redirect URL %q must use https unless it is a loopback address", redirectURL)
	}
	p, err := newPublic("AuthCodeCredential", tenantID, clientID, opts)
	if err != nil {
		return nil, err
	}
	return &AuthCodeCredential{p: p, redirectURL: redirectURL}, nil
}

// AuthCodeURLOptions adjusts the sign-in page. The zero value is fine.
type AuthCodeURLOptions struct {
	// LoginHint pre-fills the user name.
	LoginHint string
	// DomainHint skips home realm discovery, e.g. "contoso.com".
	DomainHint string
	// Prompt is the OpenID Connect prompt: "login", "select_account",
	// "consent" or "none". Empty lets the identity platform decide.
	Prompt string
}

// AuthCodeRequest is one pending authorization-code sign-in. Keep it (for a
// web app: in the server-side session) until the browser comes back to the
// redirect URL, then pass it to Exchange. Verifier is a secret: never send it
// to the browser or log it.
type AuthCodeRequest struct {
	// URL is the sign-in page to send the user's browser to.
	URL string
	// State is the random value the identity platform returns with the code.
	State string
	// Verifier is the PKCE code verifier whose S256 challenge is in URL.
	Verifier string
	// RedirectURL is where the code will be delivered.
	RedirectURL string
	// Scopes are the scopes asked for.
	Scopes []string
}

// defaultScopes are the OpenID Connect scopes MSAL adds to token requests:
// openid for the ID token (and so the account), offline_access for the
// refresh token, profile for client_info. The authorization request needs
// them too, so the user consents to them.
var defaultScopes = []string{"openid", "offline_access", "profile"}

// AuthCodeURL starts a sign-in for scopes (for example
// "https://outlook.office.com/Mail.Read"): it returns the sign-in page URL,
// carrying a fresh state and PKCE S256 challenge, and what Exchange needs.
// MSAL builds the URL from the authority's OpenID configuration.
func (c *AuthCodeCredential) AuthCodeURL(ctx context.Context, scopes []string, opts *AuthCodeURLOptions) (*AuthCodeRequest, error) {
	if err := checkScopes(scopes); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &AuthCodeURLOptions{}
	}
	var mo []public.AuthCodeURLOption
	if opts.LoginHint != "" {
		mo = append(mo, public.WithLoginHint(opts.LoginHint))
	}
	if opts.DomainHint != "" {
		mo = append(mo, public.WithDomainHint(opts.DomainHint))
	}
	asked := slices.Clone(scopes)
	for _, s := range defaultScopes {
		if !slices.Contains(asked, s) {
			asked = append(asked, s)
		}
	}
	raw, err := c.p.client.AuthCodeURL(ctx, c.p.clientID, c.redirectURL, asked, mo...)
	if err != nil {
		return nil, wrapError(ctx, c.p.name, err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: MSAL built an invalid URL: %w", c.p.name, err)
	}
	// MSAL's public AuthCodeURL has no PKCE or state option (only its
	// interactive flow sets them), so they are added here; x/oauth2 makes
	// the verifier and the S256 challenge.
	verifier := oauth2.GenerateVerifier()
	state, err := randomState()
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("state", state)
	q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))
	q.Set("code_challenge_method", "S256")
	if opts.Prompt != "" {
		q.Set("prompt", opts.Prompt)
	}
	u.RawQuery = q.Encode()
	return &AuthCodeRequest{
		URL:         u.String(),
		State:       state,
		Verifier:    verifier,
		RedirectURL: c.redirectURL,
		Scopes:      slices.Clone(scopes),
	}, nil
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: generating OAuth state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Exchange completes the sign-in started by AuthCodeURL: it checks that
// state is req.State, redeems code (with the PKCE verifier) for tokens, which
// MSAL caches, and remembers the account. code and state are the query (or
// form) parameters the browser brought to the redirect URL; if that request
// carried an "error" parameter instead, report it and do not call Exchange.
func (c *AuthCodeCredential) Exchange(ctx context.Context, req *AuthCodeRequest, code, state string) (Account, error) {
	if req == nil || req.Verifier == "" {
		return Account{}, errors.New("auth: AuthCodeCredential: Exchange needs the request returned by AuthCodeURL")
	}
	if subtle.ConstantTimeCompare([]byte(state), []byte(req.State)) != 1 {
		return Account{}, ErrStateMismatch
	}
	if code == "" {
		return Account{}, errors.New("auth: AuthCodeCredential: empty authorization code")
	}
	ar, err := c.p.client.AcquireTokenByAuthCode(ctx, code, req.RedirectURL, req.Scopes, public.WithChallenge(req.Verifier))
	if err != nil {
		return Account{}, wrapError(ctx, c.p.name, err, code, req.Verifier)
	}
	return c.p.remember(ctx, ar)
}

// SignInInteractive signs the user in through MSAL's interactive flow: MSAL
// starts a redirect server on http://localhost, calls openURL with the
// sign-in page URL (nil opens the system browser), receives the code and
// redeems it with PKCE. If the credential's redirect URL is a loopback URL
// with a port, that port is used; otherwise MSAL picks one, and the app
// registration needs the redirect URI "http://localhost".
func (c *AuthCodeCredential) SignInInteractive(ctx context.Context, scopes []string, openURL func(url string) error) (Account, error) {
	if err := checkScopes(scopes); err != nil {
		return Account{}, err
	}
	var mo []public.AcquireInteractiveOption
	if openURL != nil {
		mo = append(mo, public.WithOpenURL(openURL))
	}
	if u, err := url.Parse(c.redirectURL); err == nil && u.Scheme == "http" && u.Port() != "" {
		mo = append(mo, public.WithRedirectURI(c.redirectURL))
	}
	c.p.signIn.Lock()
	defer c.p.signIn.Unlock()
	ar, err := c.p.client.AcquireTokenInteractive(ctx, scopes, mo...)
	if err != nil {
		return Account{}, wrapError(ctx, c.p.name, err)
	}
	return c.p.remember(ctx, ar)
}

// Token returns an access token for scopes from the cache, or redeems the
// cached refresh token. Without a signed-in account or usable refresh token
// the error wraps ErrSignInRequired.
func (c *AuthCodeCredential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.p.silent(ctx, scopes)
}

// Refresh redeems the refresh token for a new access token, bypassing the
// cached access token (MSAL skips it when a claims request is present; an
// empty one is sent).
func (c *AuthCodeCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.p.silent(ctx, scopes, public.WithClaims(refreshClaims))
}

// Account returns the signed-in account (loaded from the AccountStore), or
// the zero Account.
func (c *AuthCodeCredential) Account(ctx context.Context) (Account, error) {
	return c.p.currentAccount(ctx)
}

// SignOut removes the account and its tokens from the cache and forgets it
// in the AccountStore.
func (c *AuthCodeCredential) SignOut(ctx context.Context) error {
	return c.p.signOut(ctx)
}
