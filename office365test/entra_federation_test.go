package office365test_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/office365test"
)

const (
	entraTestIssuer  = "https://oidc.prod-aks.azure.com/cluster-1/"
	entraTestSubject = "system:serviceaccount:default:workload"
)

func TestEntraFederatedCredential(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddFederatedCredential(entraTestClient, entraTestIssuer, entraTestSubject)
	post := func(assertion string) (int, map[string]any) {
		return entraPost(t, e, entraTokenPath(entraTestTenant), url.Values{
			"grant_type":            {"client_credentials"},
			"client_id":             {entraTestClient},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion},
			"scope":                 {entraTestScope},
		})
	}

	good := e.FederatedToken(entraTestIssuer, entraTestSubject, time.Hour)
	claims := entraClaims(t, good)
	assert.Equal(t, entraTestIssuer, claims["iss"])
	assert.Equal(t, entraTestSubject, claims["sub"])
	assert.Equal(t, []any{office365test.FederatedAudience}, claims["aud"])

	status, body := post(good)
	require.Equal(t, http.StatusOK, status, body)
	info, ok := e.LookupToken(body["access_token"].(string))
	require.True(t, ok)
	assert.True(t, info.AppOnly)
	assert.Equal(t, entraTestClient, info.ClientID)
	status, body = post(good)
	require.Equal(t, http.StatusOK, status, "a federated token may be presented again: %v", body)

	other := office365test.StartEntra(t) // signs with another key
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"`+entraTestIssuer+`","sub":"system:serviceaccount:kube-system:admin","aud":"api://AzureADTokenExchange","exp":9999999999}`)) + "." + parts[2]
	for name, tc := range map[string]struct {
		assertion, aadsts string
	}{
		"expired":         {e.FederatedToken(entraTestIssuer, entraTestSubject, -time.Minute), "AADSTS700024"},
		"unknown subject": {e.FederatedToken(entraTestIssuer, "system:serviceaccount:default:other", time.Hour), "AADSTS70021"},
		"unknown issuer":  {e.FederatedToken("https://token.actions.githubusercontent.com", entraTestSubject, time.Hour), "AADSTS70021"},
		"other signer":    {other.FederatedToken(entraTestIssuer, entraTestSubject, time.Hour), "AADSTS700211"},
		"tampered":        {tampered, "AADSTS700211"},
		"garbage":         {"not-a-jwt", "AADSTS50027"},
	} {
		status, body := post(tc.assertion)
		assert.Equal(t, http.StatusUnauthorized, status, name)
		assert.Equal(t, "invalid_client", body["error"], name)
		assert.Contains(t, body["error_description"], tc.aadsts, name)
		assert.NotContains(t, body["error_description"], tc.assertion, name)
	}
	reqs := e.Requests()
	require.NotEmpty(t, reqs)
	for _, r := range reqs {
		assert.Equal(t, "federated", r.ClientAuth)
	}
	assert.Equal(t, claims["jti"], reqs[0].AssertionID, "the log tells which federated token was presented")
}

func TestEntraOnBehalfOf(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	const frontEnd = "f0f0f0f0-0000-4000-8000-00000000f00d"
	e.AddClient(entraTestClient, entraTestSecret) // the web API
	userToken := e.UserToken(frontEnd, "api://"+entraTestClient+"/access_as_user")
	assert.Zero(t, e.TokenRequests(), "UserToken is not a token request")
	info, ok := e.LookupToken(userToken)
	require.True(t, ok)
	assert.Equal(t, frontEnd, info.ClientID)
	assert.Equal(t, e.User().ObjectID, info.ObjectID)

	form := func(assertion string) url.Values {
		return url.Values{
			"grant_type":          {office365test.GrantJWTBearer},
			"client_id":           {entraTestClient},
			"client_secret":       {entraTestSecret},
			"assertion":           {assertion},
			"requested_token_use": {"on_behalf_of"},
			"scope":               {"https://outlook.office.com/Mail.Read openid offline_access profile"},
			"client_info":         {"1"},
		}
	}
	status, body := entraPost(t, e, entraTokenPath(entraTestTenant), form(userToken))
	require.Equal(t, http.StatusOK, status, body)
	assert.NotEmpty(t, body["refresh_token"])
	assert.NotEmpty(t, body["id_token"])
	assert.NotEmpty(t, body["client_info"])
	obo, ok := e.LookupToken(body["access_token"].(string))
	require.True(t, ok)
	assert.False(t, obo.AppOnly)
	assert.Equal(t, entraTestClient, obo.ClientID)
	assert.Equal(t, info.ObjectID, obo.ObjectID)
	assert.Equal(t, info.Username, obo.Username)
	assert.Equal(t, []string{"https://outlook.office.com/Mail.Read"}, obo.Scopes)
	assert.Equal(t, office365test.GrantJWTBearer, obo.GrantType)
	assert.Equal(t, 1, e.GrantRequests(office365test.GrantJWTBearer))

	appToken := func() string {
		_, body := entraPost(t, e, entraTokenPath(entraTestTenant), url.Values{
			"grant_type": {"client_credentials"}, "client_id": {entraTestClient}, "client_secret": {entraTestSecret}, "scope": {entraTestScope},
		})
		return body["access_token"].(string)
	}()
	noUse := form(userToken)
	noUse.Del("requested_token_use")
	wrongSecret := form(userToken)
	wrongSecret.Set("client_secret", "wrong")
	for name, tc := range map[string]struct {
		form   url.Values
		status int
		code   string
		aadsts string
	}{
		"unknown token":     {form("fake-at-unknown"), http.StatusBadRequest, "invalid_grant", "AADSTS50013"},
		"app token":         {form(appToken), http.StatusBadRequest, "invalid_grant", "AADSTS50013"},
		"other audience":    {form(e.UserToken(frontEnd, "api://someone-else/access_as_user")), http.StatusBadRequest, "invalid_grant", "AADSTS50013"},
		"no token use":      {noUse, http.StatusBadRequest, "invalid_request", "AADSTS50049"},
		"wrong secret":      {wrongSecret, http.StatusUnauthorized, "invalid_client", "AADSTS7000215"},
		"missing assertion": {form(""), http.StatusBadRequest, "invalid_request", "AADSTS900144"},
	} {
		status, body := entraPost(t, e, entraTokenPath(entraTestTenant), tc.form)
		assert.Equal(t, tc.status, status, name)
		assert.Equal(t, tc.code, body["error"], name)
		assert.Contains(t, body["error_description"], tc.aadsts, name)
	}

	e.SetTokenLifetime(-time.Second) // tokens issued from now on are already expired
	expired := e.UserToken(frontEnd, "api://"+entraTestClient+"/access_as_user")
	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), form(expired))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
	assert.Contains(t, body["error_description"], "AADSTS500133")

	e.RevokeAccessTokens()
	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), form(userToken))
	assert.Equal(t, http.StatusBadRequest, status, "a revoked user token cannot be exchanged")
	assert.Equal(t, "invalid_grant", body["error"])
}

func TestEntraTokenRefreshIn(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(entraTestClient, entraTestSecret)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {entraTestClient}, "client_secret": {entraTestSecret}, "scope": {entraTestScope}}
	_, body := entraPost(t, e, entraTokenPath(entraTestTenant), form)
	assert.NotContains(t, body, "refresh_in", "not sent by default")
	e.SetTokenRefreshIn(30 * time.Minute)
	_, body = entraPost(t, e, entraTokenPath(entraTestTenant), form)
	assert.EqualValues(t, 1800, body["refresh_in"])
}
