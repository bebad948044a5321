package auth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
)

const (
	testTenant   = "contoso.onmicrosoft.com"
	testClientID = "5f1c7d1e-0000-4000-8000-00000000c1d0"
	testSecret   = "Sup3r~Secr3t.Value_that-must-not-leak"
	manageScope  = "https://manage.office.com/.default"
	mailScope    = "https://outlook.office.com/Mail.Read"
)

// entraOptions points a credential at e.
// secretCredential starts a fake identity platform that knows the test
// app and its secret, and returns it with a client-secret credential of the
// app pointed at it.
func secretCredential(t *testing.T) (*office365test.Entra, *auth.ClientSecretCredential) {
	t.Helper()
	e := office365test.StartEntra(t)
	e.AddClient(testClientID, testSecret)
	cred, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, entraOptions(e))
	require.NoError(t, err)
	return e, cred
}

func entraOptions(e *office365test.Entra) *auth.CredentialOptions {
	return &auth.CredentialOptions{
		AuthorityHost:            e.URL(),
		HTTPClient:               e.HTTPClient(),
		DisableInstanceDiscovery: true,
	}
}

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

// rsaKey returns one RSA key per test binary (key generation is slow under
// the race detector).
func rsaKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		testKey, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
	})
	return testKey
}

// selfSigned returns a self-signed certificate for key.
func selfSigned(t testing.TB, key *rsa.PrivateKey, cn string) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}
