package auth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"golang.org/x/oauth2"
)

// Account identifies the user a device-code or authorization-code credential
// signed in as. It holds no secret: the refresh token stays in the token
// cache, and the account only says which cached user to refresh.
type Account struct {
	// HomeAccountID is MSAL's account key, "<object id>.<home tenant id>".
	HomeAccountID string `json:"home_account_id"`
	// Username is the user's sign-in name (preferred_username), for display.
	Username string `json:"username,omitempty"`
	// TenantID is the tenant the account signed in through.
	TenantID string `json:"tenant_id,omitempty"`
}

// IsZero reports whether a is the zero Account (nobody signed in).
func (a Account) IsZero() bool { return a.HomeAccountID == "" }

// AccountStore persists the Account of a user credential between processes.
// Together with a persistent token cache it lets a process that starts later
// refresh tokens silently, without a new sign-in. FileAccountStore is the
// file-based implementation; implementations must be safe for concurrent use.
type AccountStore interface {
	// LoadAccount returns the stored account, or the zero Account and a nil
	// error when none is stored.
	LoadAccount(ctx context.Context) (Account, error)
	// SaveAccount stores a, replacing what was stored. Saving the zero
	// Account forgets the stored one.
	SaveAccount(ctx context.Context, a Account) error
}

// oauthToken converts an MSAL result to an oauth2.Token.
func oauthToken(accessToken string, expiresOn time.Time) (*oauth2.Token, error) {
	if accessToken == "" {
		return nil, ErrNoToken
	}
	return &oauth2.Token{AccessToken: accessToken, TokenType: "Bearer", Expiry: expiresOn}, nil
}

// publicClient is the MSAL public client plus the signed-in account, shared
// by the device-code and authorization-code credentials.
type publicClient struct {
	name     string
	clientID string
	client   public.Client
	store    AccountStore

	mu      sync.Mutex // guards loaded and account
	loaded  bool
	account Account

	// signIn serialises interactive sign-ins, so that concurrent Token
	// calls do not start several device-code flows.
	signIn sync.Mutex
}

func newPublic(name, tenantID, clientID string, opts *CredentialOptions) (*publicClient, error) {
	if err := checkClientID(clientID); err != nil {
		return nil, err
	}
	authority, err := opts.authority(tenantID)
	if err != nil {
		return nil, err
	}
	mo := []public.Option{public.WithAuthority(authority)}
	if hc := opts.httpClient(); hc != nil {
		mo = append(mo, public.WithHTTPClient(hc))
	}
	if c := opts.cache(); c != nil {
		mo = append(mo, public.WithCache(c))
	}
	if !opts.instanceDiscovery() {
		mo = append(mo, public.WithInstanceDiscovery(false))
	}
	client, err := public.New(clientID, mo...)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", name, err)
	}
	return &publicClient{name: name, clientID: clientID, client: client, store: opts.accountStore()}, nil
}

// currentAccount returns the signed-in account, loading it from the store
// the first time.
func (p *publicClient) currentAccount(ctx context.Context) (Account, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.loaded && p.store != nil {
		a, err := p.store.LoadAccount(ctx)
		if err != nil {
			return Account{}, fmt.Errorf("auth: %s: loading account: %w", p.name, err)
		}
		p.account = a
	}
	p.loaded = true
	return p.account, nil
}

// msalAccount finds the account in MSAL's (persistent) cache.
func (p *publicClient) msalAccount(ctx context.Context, a Account) (public.Account, error) {
	accounts, err := p.client.Accounts(ctx)
	if err != nil {
		return public.Account{}, wrapError(ctx, p.name, err)
	}
	for _, ma := range accounts {
		if ma.HomeAccountID == a.HomeAccountID {
			return ma, nil
		}
	}
	return public.Account{}, fmt.Errorf("auth: %s: account %q is not in the token cache: %w", p.name, a.Username, ErrSignInRequired)
}

// silent returns a token for the signed-in account from the cache, or
// redeems the cached refresh token. Errors wrap ErrSignInRequired when only a
// new sign-in can help.
func (p *publicClient) silent(ctx context.Context, scopes []string, opts ...public.AcquireSilentOption) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkScopes(scopes); err != nil {
		return nil, err
	}
	a, err := p.currentAccount(ctx)
	if err != nil {
		return nil, err
	}
	if a.IsZero() {
		return nil, fmt.Errorf("auth: %s: no account signed in: %w", p.name, ErrSignInRequired)
	}
	ma, err := p.msalAccount(ctx, a)
	if err != nil {
		return nil, err
	}
	opts = append([]public.AcquireSilentOption{public.WithSilentAccount(ma)}, opts...)
	ar, err := p.client.AcquireTokenSilent(ctx, scopes, opts...)
	if err != nil {
		werr := wrapError(ctx, p.name, err)
		if needsSignIn(werr) {
			return nil, fmt.Errorf("%w: %w", ErrSignInRequired, werr)
		}
		return nil, werr
	}
	return oauthToken(ar.AccessToken, ar.ExpiresOn)
}

// remember makes the account of a fresh sign-in the current one and stores it.
func (p *publicClient) remember(ctx context.Context, ar public.AuthResult) (Account, error) {
	a := Account{
		HomeAccountID: ar.Account.HomeAccountID,
		Username:      ar.Account.PreferredUsername,
		TenantID:      ar.Account.Realm,
	}
	if a.IsZero() {
		return Account{}, fmt.Errorf("auth: %s: the identity platform returned no account (was the openid scope granted?)", p.name)
	}
	p.mu.Lock()
	p.account, p.loaded = a, true
	p.mu.Unlock()
	if p.store != nil {
		if err := p.store.SaveAccount(ctx, a); err != nil {
			return a, fmt.Errorf("auth: %s: signed in as %q but saving the account failed: %w", p.name, a.Username, err)
		}
	}
	return a, nil
}

// signOut removes the account from the token cache and the store.
func (p *publicClient) signOut(ctx context.Context) error {
	a, err := p.currentAccount(ctx)
	if err != nil {
		return err
	}
	if !a.IsZero() {
		accounts, err := p.client.Accounts(ctx)
		if err != nil {
			return wrapError(ctx, p.name, err)
		}
		for _, ma := range accounts {
			if ma.HomeAccountID == a.HomeAccountID {
				if err := p.client.RemoveAccount(ctx, ma); err != nil {
					return wrapError(ctx, p.name, err)
				}
			}
		}
	}
	p.mu.Lock()
	p.account, p.loaded = Account{}, true
	p.mu.Unlock()
	if p.store != nil {
		if err := p.store.SaveAccount(ctx, Account{}); err != nil {
			return fmt.Errorf("auth: %s: forgetting the account: %w", p.name, err)
		}
	}
	return nil
}
