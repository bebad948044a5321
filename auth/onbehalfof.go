package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"golang.org/x/oauth2"
)

var (
	_ Refresher  = (*OnBehalfOfCredential)(nil)
	_ Credential = (*OnBehalfOfCredential)(nil)
	_ Refresher  = (*WorkloadIdentityCredential)(nil)
	_ Credential = (*WorkloadIdentityCredential)(nil)
)

// OnBehalfOfCredential acts for one user of a web API: it exchanges the
// access token the API received from its caller (the user assertion) for
// tokens to this module's services, through the OAuth 2.0 on-behalf-of flow
// of MSAL's confidential client. Get one per incoming request from the web
// API's application credential:
//
//	user, err := app.OnBehalfOf(incomingToken) // app: a *ClientSecretCredential, ...
//	client, err := outlook.New(user)
//
// The tokens are delegated: they carry the user's identity and the
// permissions the user consented to. MSAL caches them per user assertion (by
// a hash of it), so repeated requests carrying the same incoming token reuse
// them, and one about to expire is renewed. The credentials that one
// application credential hands out share that cache, which is kept in memory
// only (not in CredentialOptions.Cache) and bounded: after tokens for 4,096
// distinct user assertions it starts afresh, so a long-running web API does
// not accumulate the tokens of every request it ever served. It is safe for
// concurrent use.
type OnBehalfOfCredential struct {
	c         *confidentialCredential
	assertion string
}

// OnBehalfOf returns a credential that acts for the user whose access token
// is userAssertion: a token that a client application obtained for this web
// API (its audience is this application, e.g. scope
// "api://<client id>/access_as_user"), as found after "Bearer " in the
// Authorization header of the incoming request. Pass the bare token.
//
// Errors from the identity platform that mean the user must sign in or
// consent again (an expired or revoked user token: invalid_grant,
// interaction_required) wrap ErrSignInRequired; a web API answers those with
// 401 so that its caller gets a new token. The user assertion and the
// application's secret never appear in errors.
func (c *ClientSecretCredential) OnBehalfOf(userAssertion string) (*OnBehalfOfCredential, error) {
	return c.c.onBehalfOf(userAssertion)
}

// OnBehalfOf returns a credential that acts for the user whose access token
// is userAssertion; see ClientSecretCredential.OnBehalfOf.
func (c *ClientCertificateCredential) OnBehalfOf(userAssertion string) (*OnBehalfOfCredential, error) {
	return c.c.onBehalfOf(userAssertion)
}

func (c *confidentialCredential) onBehalfOf(userAssertion string) (*OnBehalfOfCredential, error) {
	switch {
	case userAssertion == "":
		return nil, errors.New("auth: OnBehalfOfCredential: the user assertion (the incoming access token) is empty")
	case strings.ContainsAny(userAssertion, " \t\r\n"):
		return nil, errors.New("auth: OnBehalfOfCredential: the user assertion contains white space; pass the bare access token, without \"Bearer \"")
	}
	return &OnBehalfOfCredential{c: c, assertion: userAssertion}, nil
}

// Token returns an access token for scopes on behalf of the user, from the
// cache when a valid one is there. Scopes are delegated permissions such as
// "https://outlook.office.com/Mail.Read", or "<resource>/.default" for all
// those the web API was granted.
func (o *OnBehalfOfCredential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return o.token(ctx, scopes)
}

// Refresh exchanges the user assertion again, bypassing and then replacing
// the cached token (see ClientSecretCredential.Refresh).
func (o *OnBehalfOfCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return o.token(ctx, scopes, confidential.WithClaims(refreshClaims))
}

func (o *OnBehalfOfCredential) token(ctx context.Context, scopes []string, opts ...confidential.AcquireOnBehalfOfOption) (*oauth2.Token, error) {
	const name = "OnBehalfOfCredential"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkScopes(scopes); err != nil {
		return nil, err
	}
	client, err := o.c.obo.clientFor(o.assertion)
	if err != nil {
		return nil, err
	}
	ar, err := client.AcquireTokenOnBehalfOf(ctx, o.assertion, scopes, opts...)
	if err != nil {
		secrets := append([]string{o.assertion}, o.c.secrets...)
		werr := wrapError(ctx, name, err, secrets...)
		if needsSignIn(werr) {
			return nil, fmt.Errorf("%w: %w", ErrSignInRequired, werr)
		}
		return nil, werr
	}
	return oauthToken(ar.AccessToken, ar.ExpiresOn)
}

// maxOBOAssertions is how many distinct user assertions an on-behalf-of
// token cache serves before it is replaced by an empty one.
const maxOBOAssertions = 4096

// oboClients holds the MSAL client whose cache keeps on-behalf-of tokens.
// MSAL never evicts them, and every incoming token is a new cache partition,
// so the client is replaced by a fresh one (with an empty cache) once it has
// seen max distinct assertions: the users still active then exchange their
// token once more.
type oboClients struct {
	max   int
	build func() (confidential.Client, error)

	mu     sync.Mutex
	client confidential.Client
	seen   map[[sha256.Size]byte]struct{} // assertions the client has served
}

// clientFor returns the client that serves assertion.
func (o *oboClients) clientFor(assertion string) (confidential.Client, error) {
	h := sha256.Sum256([]byte(assertion))
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.seen[h]; ok {
		return o.client, nil
	}
	if o.seen == nil || len(o.seen) >= o.max {
		client, err := o.build()
		if err != nil {
			return confidential.Client{}, err
		}
		o.client, o.seen = client, map[[sha256.Size]byte]struct{}{}
	}
	o.seen[h] = struct{}{}
	return o.client, nil
}
