package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	office365 "github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
)

func TestClientSecretCredential(t *testing.T) {
	t.Parallel()
	e, cred := secretCredential(t)
	ctx := context.Background()

	tok, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)
	info, ok := e.LookupToken(tok.AccessToken)
	require.True(t, ok, "the fake issued the token")
	assert.True(t, info.AppOnly)
	assert.Equal(t, testClientID, info.ClientID)
	assert.Equal(t, []string{manageScope}, info.Scopes)
	assert.Equal(t, 1, e.GrantRequests(office365test.GrantClientCredentials))
	reqs := e.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "secret", reqs[0].ClientAuth)

	again, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, tok.AccessToken, again.AccessToken)
	assert.Equal(t, 1, e.TokenRequests(), "the second token comes from MSAL's cache")
}

func TestClientSecretCredentialRefreshBypassesCache(t *testing.T) {
	t.Parallel()
	e, cred := secretCredential(t)
	ctx := context.Background()

	first, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	e.RevokeAccessTokens() // the service now answers 401 for it

	var r auth.Refresher = cred
	fresh, err := r.Refresh(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, fresh.AccessToken)
	assert.True(t, e.ValidToken(fresh.AccessToken))
	assert.Equal(t, 2, e.TokenRequests())
	assert.NotEmpty(t, e.Requests()[1].Claims, "Refresh bypasses MSAL's cache with a claims request")

	after, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, fresh.AccessToken, after.AccessToken, "the refreshed token replaced the rejected one in the cache")
	assert.Equal(t, 2, e.TokenRequests())
}

func TestClientSecretCredentialWrongSecretIsRedacted(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, "the-right-one")
	cred, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, entraOptions(e))
	require.NoError(t, err)

	_, err = cred.Token(context.Background(), []string{manageScope})
	require.Error(t, err)
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.Contains(t, ae.Description, "AADSTS7000215")
	assert.Contains(t, err.Error(), "invalid_client")
	assert.NotContains(t, err.Error(), testSecret)
	assert.NotContains(t, ae.Description, testSecret)
}

func TestClientSecretCredentialUnknownClient(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	cred, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, entraOptions(e))
	require.NoError(t, err)
	_, err = cred.Token(context.Background(), []string{manageScope})
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "unauthorized_client", ae.Code)
	assert.Contains(t, ae.Description, "AADSTS700016")
	assert.NotContains(t, err.Error(), testSecret)
}

// leakyTransport plays an identity platform whose token reply MSAL cannot
// parse; MSAL quotes such replies verbatim in its error.
type leakyTransport struct{}

func (leakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body := `{"issuer":"https://login.example/t/v2.0","authorization_endpoint":"https://login.example/t/oauth2/v2.0/authorize","token_endpoint":"https://login.example/t/oauth2/v2.0/token"}`
	if strings.HasSuffix(r.URL.Path, "/token") {
		raw, _ := io.ReadAll(r.Body)
		// Echo the request (with the client secret) in a reply that is not
		// valid JSON, plus a token-looking field.
		body = `{"access_token":"eyJhbGciOi.leaked-access-token.sig", "echo":"` + string(raw) + `", "expires_in": [}`
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func TestErrorsNeverCarrySecrets(t *testing.T) {
	t.Parallel()
	cred, err := auth.NewClientSecretCredential("t", testClientID, testSecret, &auth.CredentialOptions{
		AuthorityHost:            "https://login.example",
		HTTPClient:               &http.Client{Transport: leakyTransport{}},
		DisableInstanceDiscovery: true,
	})
	require.NoError(t, err)
	_, err = cred.Token(context.Background(), []string{manageScope})
	require.Error(t, err)
	msg := err.Error()
	assert.NotContains(t, msg, testSecret)
	assert.NotContains(t, msg, "leaked-access-token")
	assert.Contains(t, msg, "[REDACTED]")
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Zero(t, ae.StatusCode)
}

func TestClientCredentialsNeedDefaultScope(t *testing.T) {
	t.Parallel()
	e, cred := secretCredential(t)
	_, err := cred.Token(context.Background(), []string{mailScope})
	require.ErrorContains(t, err, "/.default")
	_, err = cred.Token(context.Background(), nil)
	require.Error(t, err)
	assert.Zero(t, e.TokenRequests(), "rejected before any request")
}

func TestConfidentialCanceledContext(t *testing.T) {
	t.Parallel()
	_, cred := secretCredential(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := cred.Token(ctx, []string{manageScope})
	require.ErrorIs(t, err, context.Canceled)
}

func TestCredentialOptionsValidation(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		tenant, client string
		opts           *auth.CredentialOptions
		want           string
	}{
		"empty tenant":         {"", testClientID, nil, "tenant"},
		"tenant with path":     {"contoso/../x", testClientID, nil, "tenant"},
		"empty client":         {testTenant, " ", nil, "client ID"},
		"http authority":       {testTenant, testClientID, &auth.CredentialOptions{AuthorityHost: "http://login.example"}, "https"},
		"authority with path":  {testTenant, testClientID, &auth.CredentialOptions{AuthorityHost: "https://login.example/contoso"}, "scheme and host"},
		"cloud http authority": {testTenant, testClientID, &auth.CredentialOptions{Cloud: office365.Cloud{LoginAuthority: "http://x"}}, "https"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := auth.NewClientSecretCredential(tc.tenant, tc.client, testSecret, tc.opts)
			require.ErrorContains(t, err, tc.want)
			assert.NotContains(t, err.Error(), testSecret)
		})
	}
	_, err := auth.NewClientSecretCredential(testTenant, testClientID, "", nil)
	require.ErrorContains(t, err, "secret is empty")
}

func TestCloudSelectsAuthority(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, testSecret)
	cloud := office365.Cloud{Name: "fake", LoginAuthority: e.URL(), ManageHost: "https://manage.example", OutlookHost: "https://outlook.example"}
	cred, err := auth.NewClientSecretCredential("tenant-a", testClientID, testSecret, &auth.CredentialOptions{
		Cloud: cloud, HTTPClient: e.HTTPClient(), DisableInstanceDiscovery: true,
	})
	require.NoError(t, err)
	tok, err := cred.Token(context.Background(), []string{manageScope})
	require.NoError(t, err)
	info, ok := e.LookupToken(tok.AccessToken)
	require.True(t, ok)
	assert.Equal(t, "tenant-a", info.TenantID, "the token was requested from Cloud.LoginAuthority/tenant")
}

func TestClientCertificateCredential(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	key := rsaKey(t)
	cert := selfSigned(t, key, "office365-go test")
	e.AddCertificate(testClientID, cert)

	for _, x5c := range []bool{false, true} {
		opts := entraOptions(e)
		opts.SendCertificateChain = x5c
		cred, err := auth.NewClientCertificateCredential(testTenant, testClientID, []*x509.Certificate{cert}, key, opts)
		require.NoError(t, err)
		tok, err := cred.Token(context.Background(), []string{manageScope})
		require.NoError(t, err)
		assert.True(t, e.ValidToken(tok.AccessToken))
		fresh, err := cred.Refresh(context.Background(), []string{manageScope})
		require.NoError(t, err)
		assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	}
	for _, r := range e.Requests() {
		assert.Equal(t, "assertion", r.ClientAuth)
		assert.Equal(t, http.StatusOK, r.Status)
	}
	assert.Equal(t, 4, e.TokenRequests())
}

func TestClientCertificateCredentialUnregisteredCertificate(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	key := rsaKey(t)
	e.AddCertificate(testClientID, selfSigned(t, key, "registered"))
	other := selfSigned(t, key, "other") // same key, different certificate (thumbprint)
	cred, err := auth.NewClientCertificateCredential(testTenant, testClientID, []*x509.Certificate{other}, key, entraOptions(e))
	require.NoError(t, err)
	_, err = cred.Token(context.Background(), []string{manageScope})
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.Contains(t, ae.Description, "AADSTS700027")
	assert.NotContains(t, err.Error(), "eyJ", "the assertion is not quoted")
}

func TestClientCertificateCredentialRejectsBadKeys(t *testing.T) {
	t.Parallel()
	key := rsaKey(t)
	cert := selfSigned(t, key, "c")
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, err = auth.NewClientCertificateCredential(testTenant, testClientID, []*x509.Certificate{cert}, ec, nil)
	require.ErrorContains(t, err, "only RSA")
	_, err = auth.NewClientCertificateCredential(testTenant, testClientID, nil, key, nil)
	require.ErrorContains(t, err, "no certificate")
}

func TestParseCertificatesPEM(t *testing.T) {
	t.Parallel()
	key := rsaKey(t)
	cert := selfSigned(t, key, "pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)

	for name, keyPEM := range map[string][]byte{
		"pkcs8": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
		"pkcs1": pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
	} {
		certs, k, err := auth.ParseCertificatesPEM(append(append([]byte(nil), keyPEM...), certPEM...))
		require.NoError(t, err, name)
		require.Len(t, certs, 1)
		assert.True(t, certs[0].Equal(cert))
		assert.True(t, key.Equal(k), name)
	}

	_, _, err = auth.ParseCertificatesPEM(append(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2, 3}}), certPEM...))
	require.ErrorContains(t, err, "encrypted")
	legacy := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "DES-EDE3-CBC,0011223344556677"}, Bytes: []byte{1}})
	_, _, err = auth.ParseCertificatesPEM(append(legacy, certPEM...))
	require.ErrorContains(t, err, "encrypted")
	_, _, err = auth.ParseCertificatesPEM(certPEM)
	require.ErrorContains(t, err, "no private key")

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	require.NoError(t, err)
	_, _, err = auth.ParseCertificatesPEM(append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}), certPEM...))
	require.ErrorContains(t, err, "only RSA")
}

func TestParsePKCS12(t *testing.T) {
	t.Parallel()
	key := rsaKey(t)
	cert := selfSigned(t, key, "pfx")
	const password = "pfx-Passw0rd!"
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, password)
	require.NoError(t, err)

	certs, k, err := auth.ParsePKCS12(pfx, password)
	require.NoError(t, err)
	require.Len(t, certs, 1)
	assert.True(t, certs[0].Equal(cert))
	assert.True(t, key.Equal(k))

	_, _, err = auth.ParsePKCS12(pfx, "wrong-password")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "wrong-password")
	assert.NotContains(t, err.Error(), password)

	// The parsed pair authenticates against the fake.
	e := office365test.StartEntra(t)
	e.AddCertificate(testClientID, cert)
	cred, err := auth.NewClientCertificateCredential(testTenant, testClientID, certs, k, entraOptions(e))
	require.NoError(t, err)
	_, err = cred.Token(context.Background(), []string{manageScope})
	require.NoError(t, err)
}

// TestFileCacheSurvivesRestart is the acceptance test: a second credential
// instance (a restarted process) with the same cache file gets its token
// without a token request.
func TestFileCacheSurvivesRestart(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, testSecret)
	path := filepath.Join(t.TempDir(), "cache", "msal.json")
	ctx := context.Background()

	newCred := func() *auth.ClientSecretCredential {
		fc, err := auth.NewFileCache(path)
		require.NoError(t, err)
		opts := entraOptions(e)
		opts.Cache = fc
		cred, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, opts)
		require.NoError(t, err)
		return cred
	}

	first, err := newCred().Token(ctx, []string{manageScope})
	require.NoError(t, err)
	require.Equal(t, 1, e.TokenRequests())

	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), first.AccessToken, "the token is in the file")
	assert.NotContains(t, string(data), testSecret, "the client secret is not")

	restarted, err := newCred().Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, restarted.AccessToken)
	assert.Equal(t, 1, e.TokenRequests(), "the restarted credential read the token from the file")
	assert.Equal(t, 1, e.DiscoveryRequests(), "and did not even resolve the authority")

	// Another scope is not in the file: that needs a request.
	_, err = newCred().Token(ctx, []string{"https://outlook.office.com/.default"})
	require.NoError(t, err)
	assert.Equal(t, 2, e.TokenRequests())
}

func TestAuthenticationErrorUnwrapsToMSAL(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	cred, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, entraOptions(e))
	require.NoError(t, err)
	_, err = cred.Token(context.Background(), []string{manageScope})
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	require.Error(t, errors.Unwrap(ae), "the MSAL error stays reachable")
	assert.Equal(t, "ClientSecretCredential", ae.Credential)
}

// TestFileCacheSharedByConcurrentCredentials runs MSAL itself as the
// concurrent writer: two credentials on one cache file, several goroutines
// each, three scopes.
func TestFileCacheSharedByConcurrentCredentials(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, testSecret)
	path := filepath.Join(t.TempDir(), "msal.json")
	scopes := []string{manageScope, "https://outlook.office.com/.default", "https://graph.microsoft.com/.default"}

	var creds []*auth.ClientSecretCredential
	for range 2 {
		fc, err := auth.NewFileCache(path)
		require.NoError(t, err)
		opts := entraOptions(e)
		opts.Cache = fc
		cred, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, opts)
		require.NoError(t, err)
		creds = append(creds, cred)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 10 {
				tok, err := creds[i%2].Token(context.Background(), []string{scopes[(i+j)%len(scopes)]})
				if assert.NoError(t, err) {
					assert.True(t, e.ValidToken(tok.AccessToken))
				}
			}
		})
	}
	wg.Wait()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, json.Valid(data), "the cache file is intact")
	assert.Less(t, e.TokenRequests(), 80, "most tokens came from the cache")

	// A restarted credential still finds tokens in the file.
	fc, err := auth.NewFileCache(path)
	require.NoError(t, err)
	opts := entraOptions(e)
	opts.Cache = fc
	restarted, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, opts)
	require.NoError(t, err)
	before := e.TokenRequests()
	for _, s := range scopes {
		_, err := restarted.Token(context.Background(), []string{s})
		require.NoError(t, err)
	}
	assert.Less(t, e.TokenRequests()-before, len(scopes), "at least one scope was served from the file")
}
