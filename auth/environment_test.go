package auth_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	office365 "github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
)

// env is a fake environment.
type env map[string]string

func (m env) lookup(key string) (string, bool) {
	v, ok := m[key]
	return v, ok
}

// envOptions points the environment credential at e, with vars as the
// environment.
func envOptions(e *office365test.Entra, vars env) *auth.EnvironmentOptions {
	return &auth.EnvironmentOptions{CredentialOptions: *entraOptions(e), LookupEnv: vars.lookup}
}

func TestEnvironmentCredentialKinds(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, testSecret)
	key := rsaKey(t)
	cert := selfSigned(t, key, "env")
	e.AddCertificate(testClientID, cert)
	e.AddFederatedCredential(testClientID, testIssuer, testSubject)

	dir := t.TempDir()
	pemPath := filepath.Join(dir, "cert.pem")
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(pemPath, append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})...), 0o600))
	pfxPath := filepath.Join(dir, "cert.pfx")
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "pfx-password")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(pfxPath, pfx, 0o600))
	tokenPath := filepath.Join(dir, "token")
	writeTokenFile(t, tokenPath, e.FederatedToken(testIssuer, testSubject, time.Hour))

	for name, tc := range map[string]struct {
		vars       env
		want       any
		clientAuth string
	}{
		"azure secret": {env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID, "AZURE_CLIENT_SECRET": testSecret},
			&auth.ClientSecretCredential{}, "secret"},
		"o365 secret": {env{"O365_TENANT_ID": testTenant, "O365_CLIENT_ID": testClientID, "O365_CLIENT_SECRET": testSecret},
			&auth.ClientSecretCredential{}, "secret"},
		"pem certificate": {env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID, "AZURE_CLIENT_CERTIFICATE_PATH": pemPath},
			&auth.ClientCertificateCredential{}, "assertion"},
		"pkcs12 certificate": {env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID,
			"AZURE_CLIENT_CERTIFICATE_PATH": pfxPath, "AZURE_CLIENT_CERTIFICATE_PASSWORD": "pfx-password", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN": "true"},
			&auth.ClientCertificateCredential{}, "assertion"},
		"workload identity": {env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID, "AZURE_FEDERATED_TOKEN_FILE": tokenPath},
			&auth.WorkloadIdentityCredential{}, "federated"},
		"secret wins": {env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID, "AZURE_CLIENT_SECRET": testSecret,
			"AZURE_CLIENT_CERTIFICATE_PATH": pemPath, "AZURE_FEDERATED_TOKEN_FILE": tokenPath},
			&auth.ClientSecretCredential{}, "secret"},
		"o365 names win": {env{"AZURE_TENANT_ID": "other-tenant", "AZURE_CLIENT_ID": "other-client", "AZURE_FEDERATED_TOKEN_FILE": tokenPath,
			"O365_TENANT_ID": testTenant, "O365_CLIENT_ID": testClientID, "O365_CLIENT_SECRET": testSecret},
			&auth.ClientSecretCredential{}, "secret"},
	} {
		cred, err := auth.NewEnvironmentCredential(envOptions(e, tc.vars))
		require.NoError(t, err, name)
		assert.IsType(t, tc.want, cred.Underlying(), name)
		assert.Equal(t, testTenant, cred.TenantID(), name)
		assert.Equal(t, testClientID, cred.ClientID(), name)
		tok, err := cred.Token(context.Background(), []string{manageScope})
		require.NoError(t, err, name)
		assert.True(t, e.ValidToken(tok.AccessToken), name)
		reqs := e.Requests()
		assert.Equal(t, tc.clientAuth, reqs[len(reqs)-1].ClientAuth, name)
	}
}

func TestEnvironmentCredentialMissingVariables(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		vars    env
		missing []string
		set     []string
	}{
		"nothing": {env{"O365_CLOUD": "gcc", "AZURE_CLIENT_SECRET": ""},
			[]string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE"}, nil},
		"no secret": {env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID},
			[]string{"one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE"},
			[]string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID"}},
		"no tenant": {env{"O365_CLIENT_ID": testClientID, "O365_CLIENT_SECRET": testSecret},
			[]string{"O365_TENANT_ID"}, []string{"O365_CLIENT_ID", "O365_CLIENT_SECRET"}},
		"names do not mix": {env{"AZURE_TENANT_ID": testTenant, "O365_CLIENT_ID": testClientID, "AZURE_CLIENT_SECRET": testSecret},
			[]string{"O365_TENANT_ID", "one of O365_CLIENT_SECRET, O365_CLIENT_CERTIFICATE_PATH, O365_FEDERATED_TOKEN_FILE"},
			[]string{"O365_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"}},
	} {
		_, err := auth.NewEnvironmentCredential(&auth.EnvironmentOptions{LookupEnv: tc.vars.lookup})
		var ee *auth.EnvironmentError
		require.ErrorAs(t, err, &ee, name)
		assert.Equal(t, tc.missing, ee.Missing, name)
		assert.Equal(t, tc.set, ee.Set, name)
		for _, m := range tc.missing {
			assert.Contains(t, err.Error(), m, name)
		}
		assert.NotContains(t, err.Error(), testSecret, name)
		assert.NotContains(t, err.Error(), testTenant, name)
	}
	_, err := auth.NewEnvironmentCredential(&auth.EnvironmentOptions{LookupEnv: env{}.lookup})
	assert.EqualError(t, err, "auth: no credential in the environment: missing AZURE_TENANT_ID; AZURE_CLIENT_ID; "+
		"one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE (or the same variables with the O365_ prefix)")
}

func TestEnvironmentCredentialBadValues(t *testing.T) {
	t.Parallel()
	base := func(extra env) env {
		m := env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pfx")
	require.NoError(t, os.WriteFile(garbage, []byte("not a certificate"), 0o600))
	for name, tc := range map[string]struct {
		vars env
		want string
	}{
		"cloud":           {base(env{"AZURE_CLIENT_SECRET": testSecret, "O365_CLOUD": "mars"}), "O365_CLOUD"},
		"chain flag":      {base(env{"AZURE_CLIENT_CERTIFICATE_PATH": garbage, "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN": "perhaps"}), "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"},
		"no certificate":  {base(env{"AZURE_CLIENT_CERTIFICATE_PATH": filepath.Join(dir, "absent.pem")}), "AZURE_CLIENT_CERTIFICATE_PATH"},
		"bad certificate": {base(env{"AZURE_CLIENT_CERTIFICATE_PATH": garbage, "AZURE_CLIENT_CERTIFICATE_PASSWORD": "hunter2"}), "PKCS#12"},
		"no token file":   {base(env{"AZURE_FEDERATED_TOKEN_FILE": filepath.Join(dir, "absent")}), "federated token file"},
		"bad tenant":      {env{"AZURE_TENANT_ID": "a/b", "AZURE_CLIENT_ID": testClientID, "AZURE_CLIENT_SECRET": testSecret}, "invalid tenant"},
		"bad authority":   {base(env{"AZURE_CLIENT_SECRET": testSecret, "AZURE_AUTHORITY_HOST": "http://login.example"}), "https"},
	} {
		_, err := auth.NewEnvironmentCredential(&auth.EnvironmentOptions{LookupEnv: tc.vars.lookup})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
		assert.NotContains(t, err.Error(), testSecret, name)
		assert.NotContains(t, err.Error(), "hunter2", name)
	}
}

func TestEnvironmentCredentialCloudAndAuthority(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, testSecret)
	vars := env{"AZURE_TENANT_ID": testTenant, "AZURE_CLIENT_ID": testClientID, "AZURE_CLIENT_SECRET": testSecret,
		"AZURE_AUTHORITY_HOST": e.URL() + "/", "O365_CLOUD": "gcc-high"}
	// No AuthorityHost in the options: AZURE_AUTHORITY_HOST leads to the fake.
	cred, err := auth.NewEnvironmentCredential(&auth.EnvironmentOptions{
		CredentialOptions: auth.CredentialOptions{HTTPClient: e.HTTPClient(), DisableInstanceDiscovery: true},
		LookupEnv:         vars.lookup,
	})
	require.NoError(t, err)
	assert.Equal(t, office365.CloudGCCHigh, cred.Cloud())
	_, err = cred.Token(context.Background(), []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, 1, e.TokenRequests())

	// The options win over the environment.
	cred, err = auth.NewEnvironmentCredential(&auth.EnvironmentOptions{
		CredentialOptions: auth.CredentialOptions{Cloud: office365.CloudDoD},
		LookupEnv:         vars.lookup,
	})
	require.NoError(t, err)
	assert.Equal(t, office365.CloudDoD, cred.Cloud())

	// Without O365_CLOUD, the public cloud.
	delete(vars, "O365_CLOUD")
	cred, err = auth.NewEnvironmentCredential(&auth.EnvironmentOptions{LookupEnv: vars.lookup})
	require.NoError(t, err)
	assert.Equal(t, office365.CloudPublic, cred.Cloud())
}

func TestEnvironmentCredentialRefreshAndOnBehalfOf(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, testSecret)
	cred, err := auth.NewEnvironmentCredential(envOptions(e, env{"O365_TENANT_ID": testTenant, "O365_CLIENT_ID": testClientID, "O365_CLIENT_SECRET": testSecret}))
	require.NoError(t, err)
	ctx := context.Background()
	first, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	var r auth.Refresher = cred
	fresh, err := r.Refresh(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, fresh.AccessToken)

	user, err := cred.OnBehalfOf(userToken(e, userAdele))
	require.NoError(t, err)
	tok, err := user.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	info, ok := e.LookupToken(tok.AccessToken)
	require.True(t, ok)
	assert.Equal(t, userAdele.ObjectID, info.ObjectID)
}

// With no LookupEnv, the process environment is read.
func TestEnvironmentCredentialProcessEnvironment(t *testing.T) {
	for _, v := range []string{"TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_CERTIFICATE_PATH", "CLIENT_CERTIFICATE_PASSWORD",
		"CLIENT_SEND_CERTIFICATE_CHAIN", "FEDERATED_TOKEN_FILE"} {
		t.Setenv("AZURE_"+v, "")
		t.Setenv("O365_"+v, "")
	}
	t.Setenv("AZURE_TENANT_ID", testTenant)
	t.Setenv("AZURE_CLIENT_ID", testClientID)
	_, err := auth.NewEnvironmentCredential(nil)
	var ee *auth.EnvironmentError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID"}, ee.Set)

	t.Setenv("AZURE_CLIENT_SECRET", testSecret)
	cred, err := auth.NewEnvironmentCredential(nil)
	require.NoError(t, err)
	assert.Equal(t, testClientID, cred.ClientID())
}
