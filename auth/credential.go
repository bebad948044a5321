package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Credential supplies OAuth 2.0 access tokens for the scopes a client asks for.
//
// Service clients call Token once per attempt of every request, so an
// implementation must cache: the MSAL-backed credentials in this package do so
// through MSAL's own token cache, and FromTokenSource through
// oauth2.ReuseTokenSource. Implementations must be safe for concurrent use.
type Credential interface {
	Token(ctx context.Context, scopes []string) (*oauth2.Token, error)
}

// Refresher is implemented by credentials that can obtain a new token while
// bypassing their cache. The request pipeline calls Refresh once when a
// service rejects a token with 401 Unauthorized; credentials that do not
// implement it are simply asked for a Token again.
type Refresher interface {
	Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error)
}

// ErrNoToken is returned when a credential produced no usable access token.
var ErrNoToken = errors.New("auth: credential returned no access token")

// ErrExpiredToken is returned (wrapped) by a FromTokenSource credential whose
// token source hands out a token that has already expired.
var ErrExpiredToken = errors.New("auth: token already expired")

// FromTokenSource adapts an oauth2.TokenSource to a Credential. The scopes a
// client asks for are ignored: the token source decides what its tokens grant.
// Tokens are reused until shortly before they expire; a token the source
// returns already expired is an error (ErrExpiredToken), not sent. A token
// without an expiry is used until the service rejects it.
func FromTokenSource(ts oauth2.TokenSource) Credential {
	return &tokenSourceCredential{src: ts, ts: oauth2.ReuseTokenSourceWithExpiry(nil, ts, refreshLeeway)}
}

// refreshLeeway is how long before its expiry a cached token is replaced.
const refreshLeeway = 3 * time.Minute

type tokenSourceCredential struct {
	src oauth2.TokenSource
	mu  sync.Mutex
	ts  oauth2.TokenSource
}

func (c *tokenSourceCredential) Token(ctx context.Context, _ []string) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	ts := c.ts
	c.mu.Unlock()
	tok, err := ts.Token()
	if err != nil {
		return nil, fmt.Errorf("auth: token source: %w", err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, ErrNoToken
	}
	if !tok.Expiry.IsZero() && !tok.Expiry.After(time.Now()) {
		// Sending it would only earn a 401 (and the refresh would get the
		// same token again): say what is wrong instead.
		return nil, fmt.Errorf("%w: the token source returned a token that expired at %s",
			ErrExpiredToken, tok.Expiry.UTC().Format(time.RFC3339))
	}
	return tok, nil
}

// Refresh drops the reused token and asks the underlying source again.
func (c *tokenSourceCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	c.mu.Lock()
	c.ts = oauth2.ReuseTokenSourceWithExpiry(nil, c.src, refreshLeeway)
	c.mu.Unlock()
	return c.Token(ctx, scopes)
}

// TokenSource adapts a Credential to an oauth2.TokenSource for the given
// scopes, so tokens can be handed to other oauth2-aware code. Tokens are
// reused until shortly before expiry and refreshes are serialised.
//
// ctx is kept and used for every token request the source makes, as
// oauth2.Config.TokenSource does: once it is cancelled, every later refresh
// fails with its error (a still-valid cached token is returned meanwhile).
// Give a long-lived source a context that lives as long as it does, such as
// context.WithoutCancel(ctx) or context.Background().
func TokenSource(ctx context.Context, cred Credential, scopes ...string) oauth2.TokenSource {
	scopes = slices.Clone(scopes)
	return oauth2.ReuseTokenSourceWithExpiry(nil, credentialSource{ctx: ctx, cred: cred, scopes: scopes}, refreshLeeway)
}

type credentialSource struct {
	ctx    context.Context
	cred   Credential
	scopes []string
}

func (s credentialSource) Token() (*oauth2.Token, error) { return s.cred.Token(s.ctx, s.scopes) }

// StaticToken returns a Credential that always presents the same access
// token. It is meant for tests and for tokens obtained elsewhere; it never
// refreshes.
func StaticToken(accessToken string) Credential {
	return staticCredential(accessToken)
}

type staticCredential string

func (s staticCredential) Token(ctx context.Context, _ []string) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s == "" {
		return nil, ErrNoToken
	}
	return &oauth2.Token{AccessToken: string(s), TokenType: "Bearer"}, nil
}
