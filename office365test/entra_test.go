package office365test_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is SHA-1 by definition
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365/office365test"
)

const (
	entraTestClient = "0b2c6e0e-0000-4000-8000-0000000e47a0"
	entraTestSecret = "entra-test-secret-value"
	entraTestScope  = "https://manage.office.com/.default"
	entraTestTenant = "contoso"
)

// entraPost posts form to path on e and decodes the JSON reply.
func entraPost(t *testing.T, e *office365test.Entra, path string, form url.Values, mod ...func(*http.Request)) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL()+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, m := range mod {
		m(req)
	}
	resp, err := e.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func entraTokenPath(tenant string) string { return "/" + tenant + "/oauth2/v2.0/token" }

// entraClaims decodes the payload of a JWT (or the client_info blob).
func entraClaims(t *testing.T, s string) map[string]any {
	t.Helper()
	if parts := strings.Split(s, "."); len(parts) == 3 {
		s = parts[1]
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

func TestEntraDiscovery(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	assert.Equal(t, e.URL()+"/"+entraTestTenant, e.Authority(entraTestTenant))
	resp, err := e.HTTPClient().Get(e.Authority(entraTestTenant) + "/v2.0/.well-known/openid-configuration")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var cfg map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&cfg))
	base := e.Authority(entraTestTenant)
	assert.Equal(t, base+"/v2.0", cfg["issuer"])
	assert.Equal(t, base+"/oauth2/v2.0/token", cfg["token_endpoint"])
	assert.Equal(t, base+"/oauth2/v2.0/authorize", cfg["authorization_endpoint"])
	assert.Equal(t, base+"/oauth2/v2.0/devicecode", cfg["device_authorization_endpoint"])
	assert.Equal(t, 1, e.DiscoveryRequests())
	assert.Equal(t, e.Certificate().Raw, resp.TLS.PeerCertificates[0].Raw)
}

func TestEntraClientCredentialsWithSecret(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(entraTestClient, entraTestSecret)
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {entraTestClient},
		"client_secret": {entraTestSecret},
		"scope":         {entraTestScope + " openid offline_access profile"}, // MSAL adds the OIDC scopes
	}
	status, body := entraPost(t, e, entraTokenPath(entraTestTenant), form)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "Bearer", body["token_type"])
	assert.EqualValues(t, 3600, body["expires_in"])
	assert.Equal(t, entraTestScope, body["scope"])
	for _, absent := range []string{"refresh_token", "id_token", "client_info"} {
		assert.NotContains(t, body, absent, "app tokens carry no user")
	}
	at := body["access_token"].(string)
	info, ok := e.LookupToken(at)
	require.True(t, ok)
	assert.Equal(t, office365test.EntraToken{
		ClientID: entraTestClient, TenantID: entraTestTenant, Scopes: []string{entraTestScope},
		AppOnly: true, GrantType: office365test.GrantClientCredentials, ExpiresAt: info.ExpiresAt,
	}, info)

	r := httptest.NewRequest(http.MethodGet, "/api", nil)
	r.Header.Set("Authorization", "Bearer "+at)
	got, ok := e.Authenticate(r)
	require.True(t, ok)
	assert.Equal(t, entraTestClient, got.ClientID)
	r.Header.Set("Authorization", "Bearer nope")
	_, ok = e.Authenticate(r)
	assert.False(t, ok)

	// client_secret_basic works too.
	basic := url.Values{"grant_type": {"client_credentials"}, "scope": {entraTestScope}}
	status, _ = entraPost(t, e, entraTokenPath(entraTestTenant), basic, func(r *http.Request) {
		r.SetBasicAuth(entraTestClient, entraTestSecret)
	})
	assert.Equal(t, http.StatusOK, status)

	e.RevokeAccessTokens()
	assert.False(t, e.ValidToken(at))
	assert.Equal(t, 2, e.TokenRequests())
	assert.Equal(t, 2, e.GrantRequests(office365test.GrantClientCredentials))
}

func TestEntraTokenErrors(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(entraTestClient, entraTestSecret)
	e.AddPublicClient("public-app")
	cases := []struct {
		name   string
		form   url.Values
		status int
		code   string
		aadsts string
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {entraTestClient}, "client_secret": {"guess-123"}, "scope": {entraTestScope}},
			http.StatusUnauthorized, "invalid_client", "AADSTS7000215"},
		{"no credential", url.Values{"grant_type": {"client_credentials"}, "client_id": {entraTestClient}, "scope": {entraTestScope}},
			http.StatusUnauthorized, "invalid_client", "AADSTS7000218"},
		{"public client credentials", url.Values{"grant_type": {"client_credentials"}, "client_id": {"public-app"}, "scope": {entraTestScope}},
			http.StatusUnauthorized, "invalid_client", "AADSTS7000218"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"who"}, "client_secret": {"x"}, "scope": {entraTestScope}},
			http.StatusBadRequest, "unauthorized_client", "AADSTS700016"},
		{"not .default", url.Values{"grant_type": {"client_credentials"}, "client_id": {entraTestClient}, "client_secret": {entraTestSecret}, "scope": {"https://outlook.office.com/Mail.Read"}},
			http.StatusBadRequest, "invalid_scope", "AADSTS1002012"},
		{"no grant type", url.Values{"client_id": {entraTestClient}},
			http.StatusBadRequest, "invalid_request", "AADSTS900144"},
		{"unknown grant type", url.Values{"grant_type": {"password"}, "client_id": {entraTestClient}},
			http.StatusBadRequest, "unsupported_grant_type", "AADSTS70003"},
		{"unknown refresh token", url.Values{"grant_type": {"refresh_token"}, "client_id": {"public-app"}, "refresh_token": {"nope"}},
			http.StatusBadRequest, "invalid_grant", "AADSTS9002313"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := entraPost(t, e, entraTokenPath(entraTestTenant), tc.form, func(r *http.Request) {
				r.Header.Set("client-request-id", "corr-1")
			})
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.code, body["error"])
			desc, _ := body["error_description"].(string)
			assert.True(t, strings.HasPrefix(desc, tc.aadsts+": "), desc)
			assert.Contains(t, desc, "Correlation ID: corr-1")
			assert.NotContains(t, desc, "guess-123", "secrets are not echoed")
			codes, _ := body["error_codes"].([]any)
			require.Len(t, codes, 1)
		})
	}
	reqs := e.Requests()
	require.Len(t, reqs, len(cases))
	assert.Equal(t, "invalid_client", reqs[0].Error)
	assert.Equal(t, http.StatusUnauthorized, reqs[0].Status)
	assert.Equal(t, "secret", reqs[0].ClientAuth)
}

// entraAssertion builds a client assertion the way MSAL does.
func entraAssertion(t *testing.T, key *rsa.PrivateKey, cert *x509.Certificate, alg, aud, iss string, exp time.Time, jti string) string {
	t.Helper()
	header := map[string]string{"alg": alg, "typ": "JWT"}
	if alg == "PS256" {
		sum := sha256.Sum256(cert.Raw)
		header["x5t#S256"] = base64.StdEncoding.EncodeToString(sum[:]) // MSAL uses standard base64 here
	} else {
		sum := sha1.Sum(cert.Raw) //nolint:gosec // x5t
		header["x5t"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	hb, err := json.Marshal(header)
	require.NoError(t, err)
	pb, err := json.Marshal(map[string]any{"aud": aud, "iss": iss, "sub": iss, "jti": jti, "exp": exp.Unix(), "nbf": time.Now().Unix()})
	require.NoError(t, err)
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(pb)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	if alg == "PS256" {
		sig, err = rsa.SignPSS(rand.Reader, key, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	} else {
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	}
	require.NoError(t, err)
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

var (
	entraKeyOnce sync.Once
	entraKey     *rsa.PrivateKey
)

func entraCert(t *testing.T) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	entraKeyOnce.Do(func() {
		var err error
		if entraKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "entra test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &entraKey.PublicKey, entraKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return entraKey, cert
}

func TestEntraClientAssertion(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	key, cert := entraCert(t)
	e.AddCertificate(entraTestClient, cert)
	aud := e.Authority(entraTestTenant) + "/oauth2/v2.0/token"
	post := func(assertion string) (int, map[string]any) {
		return entraPost(t, e, entraTokenPath(entraTestTenant), url.Values{
			"grant_type":            {"client_credentials"},
			"client_id":             {entraTestClient},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion},
			"scope":                 {entraTestScope},
		})
	}
	exp := time.Now().Add(10 * time.Minute)

	good := entraAssertion(t, key, cert, "PS256", aud, entraTestClient, exp, "jti-1")
	status, body := post(good)
	require.Equal(t, http.StatusOK, status, body)
	status, body = post(entraAssertion(t, key, cert, "RS256", aud, entraTestClient, exp, "jti-2"))
	require.Equal(t, http.StatusOK, status, body)

	_, otherCert := entraCert(t) // same key, unregistered certificate
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"aud":"`+aud+`","iss":"x","sub":"x","jti":"j","exp":9999999999}`)) + "." + parts[2]
	for name, tc := range map[string]struct {
		assertion, aadsts string
	}{
		"replayed":           {good, "AADSTS700025"},
		"tampered":           {tampered, "AADSTS700027"},
		"unknown thumbprint": {entraAssertion(t, key, otherCert, "PS256", aud, entraTestClient, exp, "jti-3"), "AADSTS700027"},
		"wrong audience":     {entraAssertion(t, key, cert, "PS256", "https://elsewhere/token", entraTestClient, exp, "jti-4"), "AADSTS700212"},
		"wrong issuer":       {entraAssertion(t, key, cert, "PS256", aud, "someone-else", exp, "jti-5"), "AADSTS700021"},
		"expired":            {entraAssertion(t, key, cert, "PS256", aud, entraTestClient, time.Now().Add(-time.Hour), "jti-6"), "AADSTS700024"},
		"garbage":            {"not-a-jwt", "AADSTS50027"},
	} {
		status, body := post(tc.assertion)
		assert.Equal(t, http.StatusUnauthorized, status, name)
		assert.Equal(t, "invalid_client", body["error"], name)
		assert.Contains(t, body["error_description"], tc.aadsts, name)
	}
	for _, r := range e.Requests() {
		assert.Equal(t, "assertion", r.ClientAuth)
	}
}

func TestEntraAuthorizationCodeWithPKCE(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(entraTestClient, "http://localhost/callback")
	user := office365test.EntraUser{ObjectID: "oid-1", TenantID: "tid-1", Username: "megan@contoso.example", Name: "Megan"}
	e.SetUser(user)
	assert.Equal(t, user, e.User())

	verifier := oauth2.GenerateVerifier()
	q := url.Values{
		"client_id":             {entraTestClient},
		"response_type":         {"code"},
		"redirect_uri":          {"http://localhost:53100/callback"}, // loopback: any port
		"scope":                 {"https://outlook.office.com/Mail.Read openid offline_access profile"},
		"state":                 {"st-1"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"},
	}
	authURL := e.Authority(entraTestTenant) + "/oauth2/v2.0/authorize?" + q.Encode()
	code, err := e.Authorize(authURL)
	require.NoError(t, err)

	redeem := url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {entraTestClient},
		"code":          {code},
		"redirect_uri":  {"http://localhost:53100/callback"},
		"code_verifier": {"wrong-verifier-wrong-verifier-wrong-verifier"},
		"scope":         {"https://outlook.office.com/Mail.Read openid offline_access profile"},
		"client_info":   {"1"},
	}
	status, body := entraPost(t, e, entraTokenPath(entraTestTenant), redeem)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
	assert.Contains(t, body["error_description"], "AADSTS501481")

	redeem.Set("code_verifier", verifier)
	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), redeem)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "https://outlook.office.com/Mail.Read", body["scope"])
	id := entraClaims(t, body["id_token"].(string))
	assert.Equal(t, "oid-1", id["oid"])
	assert.Equal(t, "tid-1", id["tid"])
	assert.Equal(t, "megan@contoso.example", id["preferred_username"])
	assert.Equal(t, entraTestClient, id["aud"])
	ci := entraClaims(t, body["client_info"].(string))
	assert.Equal(t, map[string]any{"uid": "oid-1", "utid": "tid-1"}, ci)
	info, ok := e.LookupToken(body["access_token"].(string))
	require.True(t, ok)
	assert.False(t, info.AppOnly)
	assert.Equal(t, "megan@contoso.example", info.Username)

	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), redeem)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body["error_description"], "AADSTS54005", "codes are single-use")

}

func TestEntraRefreshTokens(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(entraTestClient)
	code, err := e.Authorize(e.Authority(entraTestTenant) + "/oauth2/v2.0/authorize?" + url.Values{
		"client_id": {entraTestClient}, "response_type": {"code"}, "redirect_uri": {"https://app.example/cb"},
		"scope": {"https://outlook.office.com/Mail.Read offline_access"},
	}.Encode())
	require.NoError(t, err)
	status, body := entraPost(t, e, entraTokenPath(entraTestTenant), url.Values{
		"grant_type": {"authorization_code"}, "client_id": {entraTestClient}, "code": {code}, "redirect_uri": {"https://app.example/cb"},
		"scope": {"https://outlook.office.com/Mail.Read openid offline_access"},
	})
	require.Equal(t, http.StatusOK, status, body)
	rt := body["refresh_token"].(string)

	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {entraTestClient}, "refresh_token": {rt},
		"scope": {"https://outlook.office.com/Calendars.Read openid offline_access profile"}}
	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), refresh)
	require.Equal(t, http.StatusOK, status, body)
	assert.NotEqual(t, rt, body["refresh_token"], "a new refresh token is issued")
	assert.NotEmpty(t, body["id_token"])
	info, ok := e.LookupToken(body["access_token"].(string))
	require.True(t, ok)
	assert.Equal(t, []string{"https://outlook.office.com/Calendars.Read"}, info.Scopes)
	assert.Equal(t, office365test.GrantRefreshToken, info.GrantType)

	status, _ = entraPost(t, e, entraTokenPath(entraTestTenant), refresh)
	assert.Equal(t, http.StatusOK, status, "the old refresh token stays valid, as in Entra")

	e.RevokeRefreshTokens()
	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), refresh)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
	assert.Contains(t, body["error_description"], "AADSTS50173")
	assert.Equal(t, 3, e.GrantRequests(office365test.GrantRefreshToken))
}

func TestEntraAuthorizeEndpoint(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(entraTestClient, "https://app.example/cb")
	noRedirects := *e.HTTPClient()
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(q url.Values) *http.Response {
		resp, err := noRedirects.Get(e.Authority(entraTestTenant) + "/oauth2/v2.0/authorize?" + q.Encode())
		require.NoError(t, err)
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}
	base := url.Values{"client_id": {entraTestClient}, "response_type": {"code"}, "redirect_uri": {"https://app.example/cb"},
		"scope": {"openid"}, "state": {"s1"}}

	resp := get(base)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "app.example", loc.Host)
	assert.NotEmpty(t, loc.Query().Get("code"))
	assert.Equal(t, "s1", loc.Query().Get("state"))

	formPost := url.Values{}
	for k, v := range base {
		formPost[k] = v
	}
	formPost.Set("response_mode", "form_post")
	resp = get(formPost)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	page, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(page), `action="https://app.example/cb"`)
	assert.Contains(t, string(page), `name="code"`)

	bad := url.Values{}
	for k, v := range base {
		bad[k] = v
	}
	bad.Set("response_type", "token")
	resp = get(bad)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, _ = url.Parse(resp.Header.Get("Location"))
	assert.Equal(t, "unsupported_response_type", loc.Query().Get("error"))

	bad.Set("redirect_uri", "https://evil.example/cb")
	resp = get(bad)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "never redirect to an unregistered URL")

	_, err = e.Authorize("https://elsewhere.example/contoso/oauth2/v2.0/authorize?" + base.Encode())
	require.Error(t, err)
	bad.Set("redirect_uri", "https://evil.example/cb")
	_, err = e.Authorize(e.Authority(entraTestTenant) + "/oauth2/v2.0/authorize?" + bad.Encode())
	require.ErrorContains(t, err, "AADSTS50011")
}

func TestEntraSignInDeliversCode(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(entraTestClient)
	got := make(chan url.Values, 2)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		v := r.Form
		v.Set("method", r.Method)
		got <- v
	}))
	defer app.Close()

	for _, mode := range []string{"query", "form_post"} {
		q := url.Values{"client_id": {entraTestClient}, "response_type": {"code"}, "redirect_uri": {app.URL + "/cb"},
			"scope": {"openid"}, "state": {"st-" + mode}, "response_mode": {mode}}
		require.NoError(t, e.SignIn(e.Authority(entraTestTenant)+"/oauth2/v2.0/authorize?"+q.Encode()))
		v := <-got
		assert.Equal(t, "st-"+mode, v.Get("state"))
		assert.NotEmpty(t, v.Get("code"))
		if mode == "form_post" {
			assert.Equal(t, http.MethodPost, v.Get("method"))
		} else {
			assert.Equal(t, http.MethodGet, v.Get("method"))
		}
	}
}

func TestEntraDeviceCodeFlow(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddPublicClient(entraTestClient)
	e.SetDeviceCodePending(-1) // wait for the user
	status, dc := entraPost(t, e, "/"+entraTestTenant+"/oauth2/v2.0/devicecode", url.Values{
		"client_id": {entraTestClient}, "scope": {"https://outlook.office.com/Mail.Read openid offline_access profile"},
	})
	require.Equal(t, http.StatusOK, status, dc)
	userCode := dc["user_code"].(string)
	assert.Equal(t, e.URL()+"/devicelogin", dc["verification_uri"])
	assert.EqualValues(t, 1, dc["interval"])
	assert.Contains(t, dc["message"], userCode)

	poll := url.Values{"grant_type": {"device_code"}, "client_id": {entraTestClient}, "device_code": {dc["device_code"].(string)},
		"scope": {"https://outlook.office.com/Mail.Read openid offline_access profile"}, "client_info": {"1"}}
	for range 2 {
		status, body := entraPost(t, e, entraTokenPath(entraTestTenant), poll)
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "authorization_pending", body["error"])
	}

	// The user enters the code on the device login page.
	resp, err := e.HTTPClient().PostForm(e.URL()+"/devicelogin", url.Values{"user_code": {"nope"}})
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, err = e.HTTPClient().PostForm(e.URL()+"/devicelogin", url.Values{"user_code": {strings.ToLower(userCode)}})
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	status, body := entraPost(t, e, entraTokenPath(entraTestTenant), poll)
	require.Equal(t, http.StatusOK, status, body)
	assert.NotEmpty(t, body["refresh_token"])
	assert.NotEmpty(t, body["client_info"])
	assert.Equal(t, 3, e.GrantRequests(office365test.GrantDeviceCode), "MSAL's short grant type counts as the URN")

	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), poll)
	assert.Equal(t, http.StatusBadRequest, status, "a device code is used once")
	assert.Equal(t, "invalid_grant", body["error"])

	// Declined sign-ins.
	_, dc = entraPost(t, e, "/"+entraTestTenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {entraTestClient}, "scope": {"openid"}})
	require.NoError(t, e.DenyDeviceCode(dc["user_code"].(string)))
	poll.Set("device_code", dc["device_code"].(string))
	poll.Set("grant_type", office365test.GrantDeviceCode)
	status, body = entraPost(t, e, entraTokenPath(entraTestTenant), poll)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "authorization_declined", body["error"])
	require.Error(t, e.ApproveDeviceCode("UNKNOWN"))
}

func TestEntraTokenLifetime(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(entraTestClient, entraTestSecret)
	e.SetTokenLifetime(0)
	_, body := entraPost(t, e, entraTokenPath(entraTestTenant), url.Values{"grant_type": {"client_credentials"},
		"client_id": {entraTestClient}, "client_secret": {entraTestSecret}, "scope": {entraTestScope}})
	assert.EqualValues(t, 0, body["expires_in"])
	assert.False(t, e.ValidToken(body["access_token"].(string)), "expired tokens are not valid")
}

// TestEntraWithMSAL runs MSAL's confidential client against the fake.
func TestEntraWithMSAL(t *testing.T) {
	t.Parallel()
	e := office365test.StartEntra(t)
	e.AddClient(entraTestClient, entraTestSecret)
	cred, err := confidential.NewCredFromSecret(entraTestSecret)
	require.NoError(t, err)
	client, err := confidential.New(e.Authority(entraTestTenant), entraTestClient, cred,
		confidential.WithHTTPClient(e.HTTPClient()), confidential.WithInstanceDiscovery(false))
	require.NoError(t, err)
	ctx := context.Background()
	ar, err := client.AcquireTokenByCredential(ctx, []string{entraTestScope})
	require.NoError(t, err)
	assert.True(t, e.ValidToken(ar.AccessToken))
	again, err := client.AcquireTokenByCredential(ctx, []string{entraTestScope})
	require.NoError(t, err)
	assert.Equal(t, ar.AccessToken, again.AccessToken)
	assert.Equal(t, 1, e.TokenRequests())
	assert.Equal(t, 1, e.DiscoveryRequests())
}

func TestNewEntraClose(t *testing.T) {
	t.Parallel()
	e := office365test.NewEntra()
	u := e.URL()
	e.Close()
	_, err := e.HTTPClient().Get(u + "/x/v2.0/.well-known/openid-configuration")
	require.Error(t, err, "closed")
}
