// Package azadapter connects this module's credentials with the Azure SDK
// for Go, in both directions, so that the package auth itself does not
// depend on azcore.
//
// FromTokenCredential makes any azcore.TokenCredential an auth.Credential:
// the credentials of azidentity (ManagedIdentityCredential,
// WorkloadIdentityCredential, AzureCLICredential, DefaultAzureCredential, ...)
// then work with every client of this module:
//
//	azcred, err := azidentity.NewDefaultAzureCredential(nil)
//	client, err := outlook.New(azadapter.FromTokenCredential(azcred))
//
// ToTokenCredential goes the other way: an auth.Credential (for example
// auth.NewEnvironmentCredential or an auth.OnBehalfOfCredential) becomes an
// azcore.TokenCredential for Azure SDK clients.
package azadapter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365/auth"
)

// refreshLeeway is how long before its expiry a cached token is replaced,
// as in package auth.
const refreshLeeway = 3 * time.Minute

var (
	_ auth.Credential        = (*Credential)(nil)
	_ auth.Refresher         = (*Credential)(nil)
	_ azcore.TokenCredential = (*TokenCredential)(nil)
)

// Credential is an auth.Credential over an azcore.TokenCredential. It
// caches a token per list of scopes until its RefreshOn time, or until three
// minutes before it expires, so that clients, which ask for a token on every
// attempt of every request, do not reach the underlying credential each
// time; concurrent requests for the same scopes wait for one GetToken call.
// A token without an expiry is used until Refresh. It is safe for concurrent
// use.
type Credential struct {
	tc azcore.TokenCredential

	mu      sync.Mutex
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	mu  sync.Mutex
	tok azcore.AccessToken
}

// FromTokenCredential returns an auth.Credential that gets its tokens from
// tc. Scopes are passed through unchanged; azidentity's app credentials
// (managed identity, workload identity, client secret) want
// "<resource>/.default" scopes, as this module's clients ask for.
func FromTokenCredential(tc azcore.TokenCredential) *Credential {
	return &Credential{tc: tc, entries: map[string]*cacheEntry{}}
}

// Token returns a token for scopes, from the cache while it is fresh.
func (c *Credential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.token(ctx, scopes, false)
}

// Refresh drops the cached token for scopes and asks the underlying
// credential again. Credentials with a cache of their own (azidentity's
// MSAL-based ones) may answer from that cache.
func (c *Credential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.token(ctx, scopes, true)
}

func (c *Credential) token(ctx context.Context, scopes []string, force bool) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.tc == nil {
		return nil, errors.New("azadapter: FromTokenCredential was given a nil TokenCredential")
	}
	if len(scopes) == 0 {
		return nil, errors.New("azadapter: no scopes requested")
	}
	key := strings.Join(scopes, " ")
	c.mu.Lock()
	e := c.entries[key]
	if e == nil {
		e = &cacheEntry{}
		c.entries[key] = e
	}
	c.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if !force && fresh(e.tok) {
		return oauthToken(e.tok), nil
	}
	e.tok = azcore.AccessToken{}
	at, err := c.tc.GetToken(ctx, policy.TokenRequestOptions{Scopes: slices.Clone(scopes)})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("azadapter: %T: %w", c.tc, err)
	}
	if at.Token == "" {
		return nil, auth.ErrNoToken
	}
	if !at.ExpiresOn.IsZero() && !at.ExpiresOn.After(time.Now()) {
		return nil, fmt.Errorf("azadapter: %T returned a token that expired at %s: %w",
			c.tc, at.ExpiresOn.UTC().Format(time.RFC3339), auth.ErrExpiredToken)
	}
	e.tok = at
	return oauthToken(at), nil
}

// fresh reports whether a cached token can still be handed out.
func fresh(at azcore.AccessToken) bool {
	if at.Token == "" {
		return false
	}
	now := time.Now()
	if !at.RefreshOn.IsZero() && !now.Before(at.RefreshOn) {
		return false
	}
	return at.ExpiresOn.IsZero() || now.Before(at.ExpiresOn.Add(-refreshLeeway))
}

func oauthToken(at azcore.AccessToken) *oauth2.Token {
	return &oauth2.Token{AccessToken: at.Token, TokenType: "Bearer", Expiry: at.ExpiresOn}
}

// TokenCredential is an azcore.TokenCredential over an auth.Credential.
// It is safe for concurrent use if the credential is.
type TokenCredential struct {
	cred auth.Credential
}

// ErrClaimsChallenge is returned (wrapped) by TokenCredential.GetToken when
// an Azure SDK client asks for a token with extra claims (a Continuous Access
// Evaluation or conditional access claims challenge): the credentials of
// package auth cannot request arbitrary claims.
var ErrClaimsChallenge = errors.New("azadapter: claims challenges are not supported")

// ToTokenCredential returns an azcore.TokenCredential that gets its tokens
// from cred, for Azure SDK clients (their BearerTokenPolicy). The credential
// keeps caching as it does for this module's clients. A request's TenantID
// and EnableCAE are ignored: credentials of package auth are bound to the
// tenant they were built for and do not request CAE tokens.
func ToTokenCredential(cred auth.Credential) *TokenCredential {
	return &TokenCredential{cred: cred}
}

// GetToken returns a token for options.Scopes. A request with Claims fails
// with ErrClaimsChallenge.
func (t *TokenCredential) GetToken(ctx context.Context, options policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if t.cred == nil {
		return azcore.AccessToken{}, errors.New("azadapter: ToTokenCredential was given a nil Credential")
	}
	if len(options.Scopes) == 0 {
		return azcore.AccessToken{}, errors.New("azadapter: no scopes requested")
	}
	if options.Claims != "" {
		return azcore.AccessToken{}, fmt.Errorf("%w (credential %T)", ErrClaimsChallenge, t.cred)
	}
	tok, err := t.cred.Token(ctx, slices.Clone(options.Scopes))
	if err != nil {
		return azcore.AccessToken{}, err
	}
	if tok == nil || tok.AccessToken == "" {
		return azcore.AccessToken{}, auth.ErrNoToken
	}
	return azcore.AccessToken{Token: tok.AccessToken, ExpiresOn: tok.Expiry}, nil
}
