package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"golang.org/x/oauth2"
)

// DeviceCodeMessage is what a user needs to complete a device-code sign-in
// on another device.
type DeviceCodeMessage struct {
	// UserCode is the code to enter at VerificationURL.
	UserCode string
	// VerificationURL is the page where the user enters the code, normally
	// https://microsoft.com/devicelogin.
	VerificationURL string
	// Message is the identity platform's ready-made instruction, containing
	// both of the above, in the user's language.
	Message string
	// ExpiresOn is when the code stops working.
	ExpiresOn time.Time
}

// DeviceCodeCredential signs a user in with the OAuth 2.0 device
// authorization grant (for CLIs and headless machines) through MSAL's public
// client, then refreshes silently. It is safe for concurrent use.
//
// Token first tries the cache (access token, then refresh token) for the
// signed-in account. When there is none, or the refresh token was rejected,
// it starts a device-code flow, calls the prompt with the code and waits until
// the user has signed in, the code expires or ctx ends. Concurrent Token calls
// share one sign-in.
//
// With CredentialOptions.Cache and AccountStore set, a process started later
// refreshes silently instead of prompting again.
type DeviceCodeCredential struct {
	p      *publicClient
	prompt func(context.Context, DeviceCodeMessage) error
}

// NewDeviceCodeCredential returns a device-code credential for the public
// client app registration clientID ("Allow public client flows" enabled) in
// tenantID, which may be "organizations" for any work or school account.
//
// prompt shows the DeviceCodeMessage to the user; if it returns an error the
// sign-in is abandoned with that error. A nil prompt writes Message to
// standard error.
func NewDeviceCodeCredential(tenantID, clientID string, prompt func(ctx context.Context, m DeviceCodeMessage) error, opts *CredentialOptions) (*DeviceCodeCredential, error) {
	p, err := newPublic("DeviceCodeCredential", tenantID, clientID, opts)
	if err != nil {
		return nil, err
	}
	if prompt == nil {
		prompt = func(_ context.Context, m DeviceCodeMessage) error {
			_, err := io.WriteString(os.Stderr, m.Message+"\n")
			return err
		}
	}
	return &DeviceCodeCredential{p: p, prompt: prompt}, nil
}

// Token returns an access token for scopes (for example
// "https://outlook.office.com/Mail.Read"), signing the user in first if
// needed.
func (c *DeviceCodeCredential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.token(ctx, scopes)
}

// Refresh redeems the refresh token for a new access token, bypassing the
// cached access token (MSAL skips it when a claims request is present; an
// empty one is sent). It signs the user in again if the refresh token is no
// longer accepted.
func (c *DeviceCodeCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.token(ctx, scopes, public.WithClaims(refreshClaims))
}

func (c *DeviceCodeCredential) token(ctx context.Context, scopes []string, opts ...public.AcquireSilentOption) (*oauth2.Token, error) {
	tok, err := c.p.silent(ctx, scopes, opts...)
	if err == nil || !errors.Is(err, ErrSignInRequired) {
		return tok, err
	}
	c.p.signIn.Lock()
	defer c.p.signIn.Unlock()
	// Another goroutine may have signed in while this one waited.
	if tok, err := c.p.silent(ctx, scopes, opts...); err == nil {
		return tok, nil
	}
	ar, err := c.signIn(ctx, scopes)
	if err != nil {
		return nil, err
	}
	if _, err := c.p.remember(ctx, ar); err != nil {
		return nil, err
	}
	return oauthToken(ar.AccessToken, ar.ExpiresOn)
}

// Authenticate signs the user in with a device code now, whatever the cache
// holds, and returns the account. Use it for an explicit "login" command;
// Token signs in on demand.
func (c *DeviceCodeCredential) Authenticate(ctx context.Context, scopes []string) (Account, error) {
	if err := checkScopes(scopes); err != nil {
		return Account{}, err
	}
	c.p.signIn.Lock()
	defer c.p.signIn.Unlock()
	ar, err := c.signIn(ctx, scopes)
	if err != nil {
		return Account{}, err
	}
	return c.p.remember(ctx, ar)
}

func (c *DeviceCodeCredential) signIn(ctx context.Context, scopes []string) (public.AuthResult, error) {
	dc, err := c.p.client.AcquireTokenByDeviceCode(ctx, scopes)
	if err != nil {
		return public.AuthResult{}, wrapError(ctx, c.p.name, err)
	}
	m := DeviceCodeMessage{
		UserCode:        dc.Result.UserCode,
		VerificationURL: dc.Result.VerificationURL,
		Message:         dc.Result.Message,
		ExpiresOn:       dc.Result.ExpiresOn,
	}
	if err := c.prompt(ctx, m); err != nil {
		return public.AuthResult{}, fmt.Errorf("auth: %s: prompt: %w", c.p.name, err)
	}
	ar, err := dc.AuthenticationResult(ctx)
	if err != nil {
		return public.AuthResult{}, wrapError(ctx, c.p.name, err)
	}
	return ar, nil
}

// Account returns the signed-in account (loaded from the AccountStore), or
// the zero Account.
func (c *DeviceCodeCredential) Account(ctx context.Context) (Account, error) {
	return c.p.currentAccount(ctx)
}

// SignOut removes the account and its tokens from the cache and forgets it
// in the AccountStore. The next Token call signs in again.
func (c *DeviceCodeCredential) SignOut(ctx context.Context) error {
	return c.p.signOut(ctx)
}
