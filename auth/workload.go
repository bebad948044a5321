package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"golang.org/x/oauth2"
)

// WorkloadIdentityCredential authenticates an application with workload
// identity federation: instead of a secret or a certificate, each token
// request presents, as the client assertion, a token that another identity
// provider issued to the workload and wrote to a file. On Azure Kubernetes
// Service with workload identity enabled, that is the projected service
// account token named by AZURE_FEDERATED_TOKEN_FILE; the app registration
// (or user-assigned managed identity) needs a federated identity credential
// that trusts its issuer and subject. It is safe for concurrent use.
type WorkloadIdentityCredential struct {
	c *confidentialCredential
}

// maxFederatedToken bounds what is read from a federated token file.
const maxFederatedToken = 64 << 10

// NewWorkloadIdentityCredential returns a credential for the app
// registration clientID in tenantID that authenticates with the federated
// token in tokenFile. Scopes passed to Token must be "<resource>/.default".
//
// The file is read again for every token request MSAL makes (not for the
// tokens MSAL's cache answers), so a file that Kubernetes rotates is picked up
// as soon as a new access token is needed. A file that is missing, empty, not
// a JWT or holding an expired token is an error that names the file; the
// token itself never appears in errors.
func NewWorkloadIdentityCredential(tenantID, clientID, tokenFile string, opts *CredentialOptions) (*WorkloadIdentityCredential, error) {
	const name = "WorkloadIdentityCredential"
	if strings.TrimSpace(tokenFile) == "" {
		return nil, fmt.Errorf("auth: %s: federated token file path is empty", name)
	}
	if _, err := readFederatedToken(tokenFile, time.Now()); err != nil {
		return nil, fmt.Errorf("auth: %s: %w", name, err)
	}
	cred := confidential.NewCredFromAssertionCallback(func(ctx context.Context, _ confidential.AssertionRequestOptions) (string, error) {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		return readFederatedToken(tokenFile, time.Now())
	})
	c, err := newConfidential(name, tenantID, clientID, cred, opts)
	if err != nil {
		return nil, err
	}
	return &WorkloadIdentityCredential{c: c}, nil
}

// Token returns an access token for scopes, from the cache when a valid one
// is there.
func (c *WorkloadIdentityCredential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.c.token(ctx, scopes)
}

// Refresh requests a new access token from the identity platform, bypassing
// and then replacing the cached one (see ClientSecretCredential.Refresh).
// The token file is read again.
func (c *WorkloadIdentityCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.c.token(ctx, scopes, confidential.WithClaims(refreshClaims))
}

// OnBehalfOf returns a credential that acts for the user whose access token
// (addressed to this application) is userAssertion; see
// ClientSecretCredential.OnBehalfOf.
func (c *WorkloadIdentityCredential) OnBehalfOf(userAssertion string) (*OnBehalfOfCredential, error) {
	return c.c.onBehalfOf(userAssertion)
}

// readFederatedToken reads and checks the token in path. Errors name the
// file, never its content.
func readFederatedToken(path string, now time.Time) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading the federated token file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFederatedToken+1))
	if err != nil {
		return "", fmt.Errorf("reading the federated token file %s: %w", path, err)
	}
	if len(data) > maxFederatedToken {
		return "", fmt.Errorf("the federated token file %s is larger than %d bytes", path, maxFederatedToken)
	}
	tok := string(bytes.TrimSpace(data))
	if tok == "" {
		return "", fmt.Errorf("the federated token file %s is empty", path)
	}
	exp, err := jwtExpiry(tok)
	if err != nil {
		return "", fmt.Errorf("the federated token file %s does not hold a JWT: %w", path, err)
	}
	if !exp.IsZero() && !now.Before(exp) {
		return "", fmt.Errorf("the federated token in %s expired at %s; is the file still being renewed?", path, exp.UTC().Format(time.RFC3339))
	}
	return tok, nil
}

// jwtExpiry returns the exp claim of a compact JWT (the zero time when it
// has none). It verifies nothing, and its errors never quote the token.
func jwtExpiry(token string) (time.Time, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("want 3 dot-separated parts, found %d", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, errors.New("the payload is not base64url")
	}
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return time.Time{}, errors.New("the payload is not a JSON object")
	}
	if claims.Exp == nil {
		return time.Time{}, nil
	}
	secs, err := claims.Exp.Float64()
	if err != nil {
		return time.Time{}, errors.New("the exp claim is not a number")
	}
	return time.Unix(int64(secs), 0), nil
}
