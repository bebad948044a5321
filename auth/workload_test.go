package auth_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
)

const (
	testIssuer  = "https://oidc.prod-aks.azure.com/1111/"
	testSubject = "system:serviceaccount:mail:reader"
)

// writeTokenFile replaces path's content atomically, as the kubelet does
// when it rotates a projected service account token.
func writeTokenFile(t *testing.T, path, token string) {
	t.Helper()
	tmp := path + ".tmp"
	require.NoError(t, os.WriteFile(tmp, []byte(token+"\n"), 0o600))
	require.NoError(t, os.Rename(tmp, path))
}

// federatedSetup starts a fake with a federated app registration and a
// token file holding a valid federated token.
func federatedSetup(t *testing.T) (*office365test.Entra, string) {
	t.Helper()
	e := office365test.StartEntra(t)
	e.AddFederatedCredential(testClientID, testIssuer, testSubject)
	path := filepath.Join(t.TempDir(), "azure-identity-token")
	writeTokenFile(t, path, e.FederatedToken(testIssuer, testSubject, time.Hour))
	return e, path
}

func TestWorkloadIdentityCredential(t *testing.T) {
	t.Parallel()
	e, path := federatedSetup(t)
	cred, err := auth.NewWorkloadIdentityCredential(testTenant, testClientID, path, entraOptions(e))
	require.NoError(t, err)
	ctx := context.Background()

	tok, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	info, ok := e.LookupToken(tok.AccessToken)
	require.True(t, ok)
	assert.True(t, info.AppOnly)
	assert.Equal(t, testClientID, info.ClientID)
	reqs := e.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "federated", reqs[0].ClientAuth)
	assert.Equal(t, office365test.GrantClientCredentials, reqs[0].GrantType)

	again, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, tok.AccessToken, again.AccessToken)
	assert.Equal(t, 1, e.TokenRequests(), "the second token comes from MSAL's cache")

	e.RevokeAccessTokens()
	fresh, err := cred.Refresh(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	assert.True(t, e.ValidToken(fresh.AccessToken))
	assert.Equal(t, 2, e.TokenRequests())
}

// The file is read again whenever MSAL needs a token, so a rotated file is
// used from the next token request on, and an expired one is reported
// without being sent.
func TestWorkloadIdentityCredentialRotatedAndExpiredTokenFile(t *testing.T) {
	t.Parallel()
	e, path := federatedSetup(t)
	e.SetTokenLifetime(time.Minute) // MSAL re-requests tokens with under five minutes left
	cred, err := auth.NewWorkloadIdentityCredential(testTenant, testClientID, path, entraOptions(e))
	require.NoError(t, err)
	ctx := context.Background()

	first, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	second, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, second.AccessToken, "a token about to expire is replaced")
	reqs := e.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, reqs[0].AssertionID, reqs[1].AssertionID, "the unchanged file is presented again")

	writeTokenFile(t, path, e.FederatedToken(testIssuer, testSubject, time.Hour))
	_, err = cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	reqs = e.Requests()
	require.Len(t, reqs, 3)
	assert.NotEqual(t, reqs[1].AssertionID, reqs[2].AssertionID, "the rotated token is read")

	stale := e.FederatedToken(testIssuer, testSubject, -time.Minute)
	writeTokenFile(t, path, stale)
	_, err = cred.Token(ctx, []string{manageScope})
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "expired")
	assert.NotContains(t, err.Error(), stale)
	assert.Equal(t, 3, e.TokenRequests(), "an expired federated token is not sent")

	writeTokenFile(t, path, e.FederatedToken(testIssuer, testSubject, time.Hour))
	_, err = cred.Token(ctx, []string{manageScope})
	require.NoError(t, err, "recovers once the file is renewed")
}

func TestWorkloadIdentityCredentialRejected(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddFederatedCredential(testClientID, testIssuer, "system:serviceaccount:mail:someone-else")
	path := filepath.Join(t.TempDir(), "token")
	token := e.FederatedToken(testIssuer, testSubject, time.Hour)
	writeTokenFile(t, path, token)
	cred, err := auth.NewWorkloadIdentityCredential(testTenant, testClientID, path, entraOptions(e))
	require.NoError(t, err)

	_, err = cred.Token(context.Background(), []string{manageScope})
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.Contains(t, ae.Description, "AADSTS70021")
	assert.NotContains(t, err.Error(), token)
}

func TestNewWorkloadIdentityCredentialBadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	secretLooking := "eyJhbGciOiJub25lIn0.not-base64!.sig"
	for name, tc := range map[string]struct {
		path, want string
	}{
		"no path":   {"", "path is empty"},
		"missing":   {filepath.Join(dir, "absent"), "no such file"},
		"empty":     {write("empty", " \n"), "is empty"},
		"not a JWT": {write("plain", "just-a-secret"), "does not hold a JWT"},
		"bad JWT":   {write("bad", secretLooking), "does not hold a JWT"},
	} {
		_, err := auth.NewWorkloadIdentityCredential(testTenant, testClientID, tc.path, nil)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
		assert.NotContains(t, err.Error(), "just-a-secret", name)
		assert.NotContains(t, err.Error(), secretLooking, name)
	}
}
