package office365_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
	"github.com/office365-go/office365/servicecomms"
)

// TestEndToEndWithMSAL runs the whole stack: MSAL acquires app tokens from
// the fake Entra ID, the request pipeline presents them, and the fake
// services accept only tokens Entra issued. A revoked token is answered with
// 401, after which the pipeline asks the credential for a fresh token once
// and the call succeeds.
func TestEndToEndWithMSAL(t *testing.T) {
	entra := office365test.StartEntra(t)
	entra.AddClient("app-id", "app-secret")
	fake := office365test.Start(&office365test.FakeOptions{
		Server: []office365test.ServerOption{office365test.WithTokenValidator(entra.ValidToken)},
	})
	defer fake.Close()

	cred, err := auth.NewClientSecretCredential("contoso.onmicrosoft.com", "app-id", "app-secret", &auth.CredentialOptions{
		AuthorityHost:            entra.URL(),
		HTTPClient:               entra.HTTPClient(),
		DisableInstanceDiscovery: true,
	})
	require.NoError(t, err)

	sc, err := servicecomms.New("contoso.onmicrosoft.com", cred, office365.WithBaseURL(fake.URL()))
	require.NoError(t, err)
	services, err := sc.Services(t.Context())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(services), 10)
	_, err = sc.CurrentStatus(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, entra.TokenRequests(), "MSAL's cache serves the second call")

	ol, err := outlook.New(cred, office365.WithBaseURL(fake.URL()))
	require.NoError(t, err)
	upn := fake.Mailbox.Me().UPN
	n := 0
	for _, err := range ol.User(upn).Mail().Messages().List(t.Context(), &outlook.ListOptions{Top: 5}) {
		require.NoError(t, err)
		n++
	}
	assert.Positive(t, n)
	assert.Equal(t, 2, entra.TokenRequests(), "one more token, for the Outlook scope")

	// The tenant revokes every token: the next call gets 401, the pipeline
	// refreshes once through MSAL and succeeds.
	entra.RevokeAccessTokens()
	_, err = sc.Services(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 3, entra.TokenRequests())

	// A credential Entra rejects never reaches the services.
	bad, err := auth.NewClientSecretCredential("contoso.onmicrosoft.com", "app-id", "wrong-secret", &auth.CredentialOptions{
		AuthorityHost: entra.URL(), HTTPClient: entra.HTTPClient(), DisableInstanceDiscovery: true,
	})
	require.NoError(t, err)
	sc2, err := servicecomms.New("contoso.onmicrosoft.com", bad, office365.WithBaseURL(fake.URL()))
	require.NoError(t, err)
	before := len(fake.Requests())
	_, err = sc2.Services(t.Context())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "wrong-secret")
	assert.Equal(t, before, len(fake.Requests()))
}
