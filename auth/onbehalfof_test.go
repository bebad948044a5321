package auth_test

import (
	"context"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
)

const (
	frontEndID = "f0f0f0f0-0000-4000-8000-00000000f00d"
	apiScope   = "api://" + testClientID + "/access_as_user"
)

var (
	userAdele = office365test.EntraUser{ObjectID: "aaaaaaaa-0000-4000-8000-000000000001", TenantID: "c0ffee00-0000-4000-8000-000000000001", Username: "adele@contoso.example"}
	userAlex  = office365test.EntraUser{ObjectID: "aaaaaaaa-0000-4000-8000-000000000002", TenantID: "c0ffee00-0000-4000-8000-000000000001", Username: "alex@contoso.example"}
)

// userToken signs u in to the front end and returns the token it sends to
// the web API.
func userToken(e *office365test.Entra, u office365test.EntraUser) string {
	e.SetUser(u)
	return e.UserToken(frontEndID, apiScope)
}

func TestOnBehalfOfCachedPerUser(t *testing.T) {
	t.Parallel()
	e, app := secretCredential(t)
	ctx := context.Background()
	adele, alex := userToken(e, userAdele), userToken(e, userAlex)

	tokenFor := func(assertion string) *office365test.EntraToken {
		t.Helper()
		user, err := app.OnBehalfOf(assertion)
		require.NoError(t, err)
		tok, err := user.Token(ctx, []string{mailScope})
		require.NoError(t, err)
		info, ok := e.LookupToken(tok.AccessToken)
		require.True(t, ok)
		return &info
	}
	a := tokenFor(adele)
	assert.Equal(t, userAdele.ObjectID, a.ObjectID)
	assert.False(t, a.AppOnly)
	assert.Equal(t, testClientID, a.ClientID)
	assert.Equal(t, []string{mailScope}, a.Scopes)
	assert.Equal(t, office365test.GrantJWTBearer, a.GrantType)

	b := tokenFor(alex)
	assert.Equal(t, userAlex.ObjectID, b.ObjectID, "each user gets their own token")
	assert.Equal(t, 2, e.GrantRequests(office365test.GrantJWTBearer))

	// The next request of each user, with a new credential from the same
	// app, is answered from MSAL's cache.
	assert.Equal(t, userAdele.ObjectID, tokenFor(adele).ObjectID)
	assert.Equal(t, userAlex.ObjectID, tokenFor(alex).ObjectID)
	assert.Equal(t, 2, e.TokenRequests())

	// App-only tokens of the same credential are kept apart.
	appTok, err := app.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	info, _ := e.LookupToken(appTok.AccessToken)
	assert.True(t, info.AppOnly)
}

func TestOnBehalfOfExpiryAndRefresh(t *testing.T) {
	t.Parallel()
	e, app := secretCredential(t)
	user, err := app.OnBehalfOf(userToken(e, userAdele))
	require.NoError(t, err)
	ctx := context.Background()

	e.SetTokenRefreshIn(-time.Second) // the identity platform advises renewal at once
	first, err := user.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	second, err := user.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, second.AccessToken, "renewed before it expires")
	info, ok := e.LookupToken(second.AccessToken)
	require.True(t, ok)
	assert.Equal(t, userAdele.ObjectID, info.ObjectID)
	assert.Equal(t, 2, e.GrantRequests(office365test.GrantJWTBearer), "renewed by exchanging the user assertion again")

	e.SetTokenRefreshIn(0)
	var r auth.Refresher = user
	fresh, err := r.Refresh(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.NotEqual(t, second.AccessToken, fresh.AccessToken)
	assert.True(t, e.ValidToken(fresh.AccessToken))
	assert.NotEmpty(t, e.Requests()[e.TokenRequests()-1].Claims, "Refresh bypasses the cache")
	after, err := user.Token(ctx, []string{mailScope})
	require.NoError(t, err)
	assert.Equal(t, fresh.AccessToken, after.AccessToken)
}

func TestOnBehalfOfRejectedUserToken(t *testing.T) {
	t.Parallel()
	e, app := secretCredential(t)
	assertion := userToken(e, userAdele)
	e.RevokeAccessTokens()
	user, err := app.OnBehalfOf(assertion)
	require.NoError(t, err)

	_, err = user.Token(context.Background(), []string{mailScope})
	require.ErrorIs(t, err, auth.ErrSignInRequired)
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_grant", ae.Code)
	assert.Equal(t, "OnBehalfOfCredential", ae.Credential)
	assert.NotContains(t, err.Error(), assertion)
	assert.NotContains(t, err.Error(), testSecret)
}

func TestOnBehalfOfWithCertificate(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	key := rsaKey(t)
	cert := selfSigned(t, key, "web-api")
	e.AddCertificate(testClientID, cert)
	app, err := auth.NewClientCertificateCredential(testTenant, testClientID, []*x509.Certificate{cert}, key, entraOptions(e))
	require.NoError(t, err)
	user, err := app.OnBehalfOf(userToken(e, userAlex))
	require.NoError(t, err)
	tok, err := user.Token(context.Background(), []string{mailScope})
	require.NoError(t, err)
	info, ok := e.LookupToken(tok.AccessToken)
	require.True(t, ok)
	assert.Equal(t, userAlex.ObjectID, info.ObjectID)
	assert.Equal(t, "assertion", e.Requests()[0].ClientAuth)
}

func TestOnBehalfOfWithWorkloadIdentity(t *testing.T) {
	t.Parallel()
	e, path := federatedSetup(t)
	app, err := auth.NewWorkloadIdentityCredential(testTenant, testClientID, path, entraOptions(e))
	require.NoError(t, err)
	user, err := app.OnBehalfOf(userToken(e, userAdele))
	require.NoError(t, err)
	tok, err := user.Token(context.Background(), []string{mailScope})
	require.NoError(t, err)
	info, ok := e.LookupToken(tok.AccessToken)
	require.True(t, ok)
	assert.Equal(t, userAdele.ObjectID, info.ObjectID)
	assert.Equal(t, "federated", e.Requests()[0].ClientAuth)
}

func TestOnBehalfOfBadInput(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	app, err := auth.NewClientSecretCredential(testTenant, testClientID, testSecret, entraOptions(e))
	require.NoError(t, err)
	_, err = app.OnBehalfOf("")
	assert.ErrorContains(t, err, "empty")
	_, err = app.OnBehalfOf("Bearer abc")
	assert.ErrorContains(t, err, "without \"Bearer \"")
	assert.NotContains(t, err.Error(), "abc")

	user, err := app.OnBehalfOf("abc")
	require.NoError(t, err)
	_, err = user.Token(context.Background(), nil)
	assert.ErrorContains(t, err, "no scopes")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = user.Token(ctx, []string{mailScope})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, e.TokenRequests())
}

// The on-behalf-of cache is bounded: after serving its maximum of distinct
// user assertions it starts afresh.
func TestOnBehalfOfCacheIsBounded(t *testing.T) {
	t.Parallel()
	e, app := secretCredential(t)
	auth.SetMaxOnBehalfOfUsers(app, 2)
	adele, alex := userToken(e, userAdele), userToken(e, userAlex)
	third := userToken(e, office365test.EntraUser{ObjectID: "aaaaaaaa-0000-4000-8000-000000000003", TenantID: userAdele.TenantID, Username: "megan@contoso.example"})
	exchange := func(assertion string) {
		t.Helper()
		user, err := app.OnBehalfOf(assertion)
		require.NoError(t, err)
		_, err = user.Token(context.Background(), []string{mailScope})
		require.NoError(t, err)
	}
	exchange(adele)
	exchange(alex)
	exchange(adele)
	exchange(alex)
	assert.Equal(t, 2, e.GrantRequests(office365test.GrantJWTBearer), "two users, two exchanges")
	exchange(third) // the cache is full: it starts afresh
	exchange(third)
	assert.Equal(t, 3, e.GrantRequests(office365test.GrantJWTBearer))
	exchange(adele)
	assert.Equal(t, 4, e.GrantRequests(office365test.GrantJWTBearer), "adele's token was dropped with the old cache")
}
