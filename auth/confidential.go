package auth

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"golang.org/x/oauth2"
	"software.sslmate.com/src/go-pkcs12"
)

// refreshClaims is the claims request sent by Refresh. MSAL for Go has no
// "force refresh" switch; a claims request is what makes it skip cached
// access tokens (apps/confidential: AcquireTokenByCredential,
// apps/internal/base: AcquireTokenSilent). This one is a valid OpenID Connect
// claims request that asks for nothing beyond the defaults. MSAL then stores
// the new token in place of the rejected one, so later Token calls get it too.
const refreshClaims = `{"access_token":{}}`

var (
	_ Refresher  = (*ClientSecretCredential)(nil)
	_ Refresher  = (*ClientCertificateCredential)(nil)
	_ Refresher  = (*DeviceCodeCredential)(nil)
	_ Refresher  = (*AuthCodeCredential)(nil)
	_ Credential = (*ClientSecretCredential)(nil)
	_ Credential = (*ClientCertificateCredential)(nil)
	_ Credential = (*DeviceCodeCredential)(nil)
	_ Credential = (*AuthCodeCredential)(nil)
)

// confidentialCredential is the client-credentials flow over an MSAL
// confidential client, shared by the secret and certificate credentials.
type confidentialCredential struct {
	name    string
	client  confidential.Client
	secrets []string // redacted from error messages
	obo     *oboClients
}

func newConfidential(name, tenantID, clientID string, cred confidential.Credential, opts *CredentialOptions, secrets ...string) (*confidentialCredential, error) {
	if err := checkClientID(clientID); err != nil {
		return nil, err
	}
	authority, err := opts.authority(tenantID)
	if err != nil {
		return nil, err
	}
	var mo []confidential.Option
	if hc := opts.httpClient(); hc != nil {
		mo = append(mo, confidential.WithHTTPClient(hc))
	}
	if !opts.instanceDiscovery() {
		mo = append(mo, confidential.WithInstanceDiscovery(false))
	}
	if opts != nil && opts.SendCertificateChain {
		mo = append(mo, confidential.WithX5C())
	}
	// On-behalf-of tokens live in clients of their own, in memory only
	// (see oboClients).
	newClient := func(mo ...confidential.Option) (confidential.Client, error) {
		client, err := confidential.New(authority, clientID, cred, mo...)
		if err != nil {
			return confidential.Client{}, fmt.Errorf("auth: %s: %s", name, redact(err.Error(), secrets))
		}
		return client, nil
	}
	appOpts := mo
	if c := opts.cache(); c != nil {
		appOpts = append(slices.Clip(mo), confidential.WithCache(c))
	}
	client, err := newClient(appOpts...)
	if err != nil {
		return nil, err
	}
	obo := &oboClients{max: maxOBOAssertions, build: func() (confidential.Client, error) { return newClient(mo...) }}
	return &confidentialCredential{name: name, client: client, secrets: secrets, obo: obo}, nil
}

// token runs the client-credentials flow. MSAL answers from its cache (and
// the persistent Cache) while the cached token is valid for more than five
// minutes, and asks the identity platform otherwise.
func (c *confidentialCredential) token(ctx context.Context, scopes []string, opts ...confidential.AcquireByCredentialOption) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkAppScopes(scopes); err != nil {
		return nil, err
	}
	ar, err := c.client.AcquireTokenByCredential(ctx, scopes, opts...)
	if err != nil {
		return nil, wrapError(ctx, c.name, err, c.secrets...)
	}
	return oauthToken(ar.AccessToken, ar.ExpiresOn)
}

// ClientSecretCredential authenticates an application (daemon, service)
// with a client secret, through the OAuth 2.0 client-credentials flow of
// MSAL's confidential client. It is safe for concurrent use.
type ClientSecretCredential struct {
	c *confidentialCredential
}

// NewClientSecretCredential returns a credential for the app registration
// clientID in tenantID that authenticates with secret. Scopes passed to
// Token must be "<resource>/.default", e.g. "https://manage.office.com/.default".
//
// The secret never appears in error messages.
func NewClientSecretCredential(tenantID, clientID, secret string, opts *CredentialOptions) (*ClientSecretCredential, error) {
	if secret == "" {
		return nil, errors.New("auth: ClientSecretCredential: client secret is empty")
	}
	cred, err := confidential.NewCredFromSecret(secret)
	if err != nil {
		return nil, fmt.Errorf("auth: ClientSecretCredential: %s", redact(err.Error(), []string{secret}))
	}
	c, err := newConfidential("ClientSecretCredential", tenantID, clientID, cred, opts, secret)
	if err != nil {
		return nil, err
	}
	return &ClientSecretCredential{c: c}, nil
}

// Token returns an access token for scopes, from the cache when a valid one
// is there.
func (c *ClientSecretCredential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.c.token(ctx, scopes)
}

// Refresh requests a new access token from the identity platform, bypassing
// and then replacing the cached one. MSAL offers no other way to bypass its
// cache than a claims request, so Refresh sends an empty one
// ({"access_token":{}}).
func (c *ClientSecretCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.c.token(ctx, scopes, confidential.WithClaims(refreshClaims))
}

// ClientCertificateCredential authenticates an application with a
// certificate: MSAL signs a client assertion (a JWT) with the private key for
// every token request. It is safe for concurrent use.
type ClientCertificateCredential struct {
	c *confidentialCredential
}

// NewClientCertificateCredential returns a credential for the app
// registration clientID in tenantID that authenticates with the certificate
// whose public key matches key. certs may hold a chain; the matching
// certificate is found by key. Only RSA keys are supported (by MSAL and by
// Entra client assertions). Use ParseCertificatesPEM or ParsePKCS12 to load
// them. Scopes passed to Token must be "<resource>/.default".
func NewClientCertificateCredential(tenantID, clientID string, certs []*x509.Certificate, key crypto.PrivateKey, opts *CredentialOptions) (*ClientCertificateCredential, error) {
	if len(certs) == 0 {
		return nil, errors.New("auth: ClientCertificateCredential: no certificate")
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return nil, fmt.Errorf("auth: ClientCertificateCredential: private key is %T; only RSA keys are supported", key)
	}
	cred, err := confidential.NewCredFromCert(certs, key)
	if err != nil {
		return nil, fmt.Errorf("auth: ClientCertificateCredential: %w", err)
	}
	c, err := newConfidential("ClientCertificateCredential", tenantID, clientID, cred, opts)
	if err != nil {
		return nil, err
	}
	return &ClientCertificateCredential{c: c}, nil
}

// Token returns an access token for scopes, from the cache when a valid one
// is there.
func (c *ClientCertificateCredential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.c.token(ctx, scopes)
}

// Refresh requests a new access token from the identity platform, bypassing
// and then replacing the cached one (see ClientSecretCredential.Refresh).
func (c *ClientCertificateCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.c.token(ctx, scopes, confidential.WithClaims(refreshClaims))
}

// ParseCertificatesPEM loads certificates and an unencrypted RSA private key
// from PEM data (blocks "CERTIFICATE", "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE
// KEY" (PKCS#1), in any order), as MSAL's confidential.CertFromPEM does.
// Encrypted keys are rejected: decrypt them first (openssl pkcs8 -topk8
// -nocrypt) or use a PKCS#12 file with ParsePKCS12.
func ParseCertificatesPEM(pemData []byte) ([]*x509.Certificate, crypto.PrivateKey, error) {
	for rest := pemData; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "" || block.Headers["DEK-Info"] != "" {
			return nil, nil, errors.New("auth: encrypted PEM private keys are not supported; decrypt the key (openssl pkcs8 -topk8 -nocrypt) or use ParsePKCS12")
		}
	}
	certs, key, err := confidential.CertFromPEM(pemData, "")
	if err != nil {
		return nil, nil, fmt.Errorf("auth: parsing PEM certificate: %w", err)
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return nil, nil, fmt.Errorf("auth: PEM private key is %T; only RSA keys are supported", key)
	}
	return certs, key, nil
}

// ParsePKCS12 loads a certificate, its chain and its RSA private key from a
// PKCS#12 (.pfx, .p12) file protected by password (which may be empty). The
// first returned certificate is the one matching the key. The password never
// appears in errors.
func ParsePKCS12(data []byte, password string) ([]*x509.Certificate, crypto.PrivateKey, error) {
	key, cert, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: parsing PKCS#12 data: %w", err)
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return nil, nil, fmt.Errorf("auth: PKCS#12 private key is %T; only RSA keys are supported", key)
	}
	return append([]*x509.Certificate{cert}, chain...), key, nil
}
