package office365test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t thumbprints (RS256 assertions) are SHA-1 by definition.
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/office365-go/office365"
)

// OAuth 2.0 grant types the fake token endpoint serves, as counted by
// Entra.GrantRequests. Device-code polls are counted under GrantDeviceCode
// whether they send the URN or MSAL for Go's short "device_code".
const (
	GrantClientCredentials = "client_credentials"
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
)

// Entra is an in-process fake of the Microsoft identity platform (Entra ID
// v2.0 endpoints) on an httptest TLS server, for testing authentication
// through MSAL for Go's real code paths. It serves, per tenant path segment:
//
//	GET  /{tenant}/v2.0/.well-known/openid-configuration
//	POST /{tenant}/oauth2/v2.0/token       client_credentials (client_secret, a
//	                                        client_assertion JWT signed with a registered
//	                                        certificate, or a federated token from
//	                                        FederatedToken), authorization_code (PKCE checked),
//	                                        refresh_token, device_code, and the on-behalf-of
//	                                        jwt-bearer grant (see UserToken)
//	POST /{tenant}/oauth2/v2.0/devicecode
//	GET  /{tenant}/oauth2/v2.0/authorize   issues a code for the configured user and
//	                                        redirects (query or form_post)
//	GET, POST /devicelogin                  where a "user" enters a device code
//
// Errors use the OAuth format ({"error": ..., "error_description":
// "AADSTS...", "error_codes": [...]}) with the identity platform's status
// codes. Access and refresh tokens are opaque random strings; ID tokens are
// unsigned JWTs ("alg": "none") carrying oid, tid, preferred_username; delegated
// responses carry client_info, from which MSAL builds the account.
//
// MSAL only accepts https authorities and asks login.microsoftonline.com to
// validate unknown hosts, so configure it with Authority (or URL as the
// authority host), HTTPClient and instance discovery off. Tokens live an hour
// by default; note that MSAL does not cache tokens with less than five minutes
// left.
//
// Entra is safe for concurrent use.
type Entra struct {
	srv     *httptest.Server
	browser *http.Client

	mu           sync.Mutex
	clients      map[string]*entraClient
	user         EntraUser
	lifetime     time.Duration
	pendingPolls int
	codes        map[string]*entraAuthCode
	devices      map[string]*entraDeviceCode // by device_code
	userCodes    map[string]string           // user_code -> device_code
	access       map[string]*EntraToken
	refresh      map[string]*entraRefresh
	seenJTI      map[string]time.Time
	grants       map[string]int
	tokenCount   int
	discovery    int
	log          []EntraRequest

	// federationKey signs FederatedToken's tokens; made on first use.
	federationKey *ecdsa.PrivateKey
	// refreshIn is the refresh_in of issued tokens; 0: not sent.
	refreshIn time.Duration
}

// EntraUser is the user who signs in to the fake in delegated flows.
type EntraUser struct {
	// ObjectID is the user's object ID (the oid claim, and client_info uid).
	ObjectID string
	// TenantID is the user's home tenant (the tid claim, client_info utid).
	TenantID string
	// Username is the sign-in name (preferred_username).
	Username string
	// Name is the display name.
	Name string
}

// EntraToken describes an access token the fake issued.
type EntraToken struct {
	// ClientID is the application the token was issued to.
	ClientID string
	// TenantID is the tenant path segment of the request for app tokens, and
	// the user's tenant for delegated tokens.
	TenantID string
	// Scopes are the resource scopes granted (without openid, profile and
	// offline_access).
	Scopes []string
	// AppOnly is true for client-credentials tokens.
	AppOnly bool
	// ObjectID and Username identify the user of a delegated token.
	ObjectID, Username string
	// GrantType is the grant that issued the token.
	GrantType string
	// ExpiresAt is when the token stops being valid.
	ExpiresAt time.Time
}

// EntraRequest is one request to the token or device-code endpoint, as the
// fake saw it. It holds no secret.
type EntraRequest struct {
	// Endpoint is "token" or "devicecode".
	Endpoint string
	// Tenant is the tenant path segment.
	Tenant string
	// GrantType is the grant_type (canonical; empty for devicecode).
	GrantType string
	// ClientID is the client_id.
	ClientID string
	// ClientAuth is how the client authenticated: "secret", "assertion"
	// (signed with a certificate), "federated" (a token of a federated
	// identity provider, see AddFederatedCredential), "none" (public
	// client), or "" when it did not get that far.
	ClientAuth string
	// AssertionID is the jti claim of the client assertion, if any: it tells
	// which federated token a request presented without revealing it.
	AssertionID string
	// Scope is the scope parameter as sent.
	Scope string
	// Claims is the claims parameter, if any.
	Claims string
	// Status is the HTTP status of the reply.
	Status int
	// Error is the OAuth error code of the reply, "" on success.
	Error string
}

type entraClient struct {
	id        string
	secrets   []string
	certs     []*x509.Certificate
	public    bool
	redirects []string
	// federations are the client's federated identity credentials.
	federations []entraFederation
}

type entraAuthCode struct {
	clientID, tenant, redirect string
	scopes                     []string
	challenge, method          string
	user                       EntraUser
	expires                    time.Time
	redeemed                   bool
}

type entraDeviceCode struct {
	clientID, tenant, userCode string
	scopes                     []string
	user                       EntraUser
	expires                    time.Time
	pending                    int // authorization_pending replies left; <0: wait for approval
	approved, denied           bool
}

type entraRefresh struct {
	clientID, tenant string
	user             EntraUser
	revoked          bool
}

// entraError is an OAuth error reply.
type entraError struct {
	status  int
	code    string
	aadsts  int
	message string
}

func (e *entraError) Error() string {
	return fmt.Sprintf("%s: AADSTS%d: %s", e.code, e.aadsts, e.message)
}

func entraErr(status int, code string, aadsts int, format string, args ...any) *entraError {
	return &entraError{status: status, code: code, aadsts: aadsts, message: fmt.Sprintf(format, args...)}
}

// NewEntra starts a fake identity platform. Call Close when done, or use
// StartEntra in tests.
func NewEntra() *Entra {
	e := &Entra{
		clients:  map[string]*entraClient{},
		lifetime: time.Hour,
		user: EntraUser{
			ObjectID: "c0ffee00-0000-4000-8000-0000000000a1",
			TenantID: "c0ffee00-0000-4000-8000-000000000001",
			Username: "adele.vance@contoso.example",
			Name:     "Adele Vance",
		},
		pendingPolls: 1,
		codes:        map[string]*entraAuthCode{},
		devices:      map[string]*entraDeviceCode{},
		userCodes:    map[string]string{},
		access:       map[string]*EntraToken{},
		refresh:      map[string]*entraRefresh{},
		seenJTI:      map[string]time.Time{},
		grants:       map[string]int{},
		browser:      &http.Client{Timeout: 30 * time.Second},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", e.serveDiscovery)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", e.serveToken)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/devicecode", e.serveDeviceCode)
	mux.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", e.serveAuthorize)
	mux.HandleFunc("GET /devicelogin", e.serveDeviceLogin)
	mux.HandleFunc("POST /devicelogin", e.serveDeviceLogin)
	e.srv = httptest.NewTLSServer(mux)
	return e
}

// StartEntra starts a fake identity platform that is closed when tb ends.
func StartEntra(tb testing.TB) *Entra {
	tb.Helper()
	e := NewEntra()
	tb.Cleanup(e.Close)
	return e
}

// Close shuts the server down.
func (e *Entra) Close() {
	e.srv.Close()
	e.browser.CloseIdleConnections()
}

// URL returns the server's base URL, "https://127.0.0.1:port": the authority
// host (CredentialOptions.AuthorityHost, or a Cloud's LoginAuthority).
func (e *Entra) URL() string { return e.srv.URL }

// Authority returns the authority URL for tenant, e.g.
// "https://127.0.0.1:port/contoso.onmicrosoft.com".
func (e *Entra) Authority(tenant string) string { return e.srv.URL + "/" + tenant }

// HTTPClient returns a client that trusts the server's TLS certificate. Give
// it to MSAL (CredentialOptions.HTTPClient).
func (e *Entra) HTTPClient() *http.Client { return e.srv.Client() }

// Certificate returns the server's TLS certificate.
func (e *Entra) Certificate() *x509.Certificate { return e.srv.Certificate() }

// AddClient registers a confidential client (app registration) that
// authenticates with secret. Call it again to add more secrets.
func (e *Entra) AddClient(clientID, secret string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.clientLocked(clientID)
	c.secrets = append(c.secrets, secret)
}

// AddCertificate registers cert for a confidential client: client assertions
// signed with its private key (PS256 or RS256, identified by x5t#S256 or
// x5t, or by trying each registered certificate) are accepted.
func (e *Entra) AddCertificate(clientID string, cert *x509.Certificate) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.clientLocked(clientID)
	c.certs = append(c.certs, cert)
}

// AddPublicClient registers a public client (device code, authorization
// code with PKCE; no client authentication). If redirectURLs are given,
// authorization requests must use one of them, where loopback URLs match on
// any port as in Entra; otherwise any redirect URL is accepted.
func (e *Entra) AddPublicClient(clientID string, redirectURLs ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.clientLocked(clientID)
	c.public = true
	c.redirects = append(c.redirects, redirectURLs...)
}

func (e *Entra) clientLocked(id string) *entraClient {
	c := e.clients[id]
	if c == nil {
		c = &entraClient{id: id}
		e.clients[id] = c
	}
	return c
}

// SetUser sets the user who signs in to later authorization and device-code
// requests.
func (e *Entra) SetUser(u EntraUser) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.user = u
}

// User returns the user who signs in.
func (e *Entra) User() EntraUser {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.user
}

// SetTokenLifetime sets expires_in of tokens issued from now on (default one
// hour). MSAL re-requests tokens with less than five minutes left on every
// call, which makes short lifetimes a way to test refresh. MSAL's
// on-behalf-of flow fails outright on such tokens ("access token is
// expired"); test its refresh with SetTokenRefreshIn instead.
func (e *Entra) SetTokenLifetime(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lifetime = d
}

// SetTokenRefreshIn makes tokens issued from now on carry refresh_in, the
// time after which the identity platform advises renewing them before they
// expire (Entra sends it for long-lived tokens); 0, the default, leaves it
// out. MSAL renews a cached token on the first call after that time. A
// negative d makes the renewal due at once, to test it without waiting.
func (e *Entra) SetTokenRefreshIn(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refreshIn = d
}

// SetDeviceCodePending sets how many polls of a new device code are answered
// with authorization_pending before the user is taken to have signed in
// (default 1). A negative n means never on its own: the code must be
// approved with ApproveDeviceCode or on the /devicelogin page.
func (e *Entra) SetDeviceCodePending(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pendingPolls = n
}

// ApproveDeviceCode completes the user's side of a device-code sign-in: the
// next poll gets tokens.
func (e *Entra) ApproveDeviceCode(userCode string) error {
	return e.decideDeviceCode(userCode, true)
}

// DenyDeviceCode makes the user decline a device-code sign-in: the next poll
// gets authorization_declined.
func (e *Entra) DenyDeviceCode(userCode string) error {
	return e.decideDeviceCode(userCode, false)
}

func (e *Entra) decideDeviceCode(userCode string, approve bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	dc := e.devices[e.userCodes[strings.ToUpper(strings.TrimSpace(userCode))]]
	if dc == nil || time.Now().After(dc.expires) {
		return fmt.Errorf("office365test: unknown or expired device code %q", userCode)
	}
	dc.approved, dc.denied = approve, !approve
	return nil
}

// Authorize plays the user's browser at the sign-in page: it validates the
// authorization request authURL (as built by MSAL's AuthCodeURL or
// auth.AuthCodeCredential.AuthCodeURL), signs the configured user in and
// returns the authorization code, bound to the request's client, redirect
// URL, scopes and PKCE challenge. The caller hands the code to the redirect
// handler (or use SignIn to deliver it).
func (e *Entra) Authorize(authURL string) (code string, err error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", fmt.Errorf("office365test: authorization URL: %w", err)
	}
	tenant, ok := e.authorizePath(u)
	if !ok {
		return "", fmt.Errorf("office365test: %q is not this server's authorization endpoint", authURL)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	code, _, oe := e.authorizeLocked(tenant, u.Query())
	if oe != nil {
		return "", oe
	}
	return code, nil
}

// SignIn is Authorize plus the browser's return to the app: it delivers the
// code and state to the request's redirect URL, as a form POST when
// response_mode=form_post (MSAL's interactive flow) and as a GET with query
// parameters otherwise. Use it as the openURL function of an interactive
// sign-in.
func (e *Entra) SignIn(authURL string) error {
	code, err := e.Authorize(authURL)
	if err != nil {
		return err
	}
	u, _ := url.Parse(authURL) // parsed successfully by Authorize
	q := u.Query()
	v := url.Values{"code": {code}}
	if s := q.Get("state"); s != "" {
		v.Set("state", s)
	}
	var resp *http.Response
	if q.Get("response_mode") == "form_post" {
		resp, err = e.browser.PostForm(q.Get("redirect_uri"), v)
	} else {
		ru, perr := url.Parse(q.Get("redirect_uri"))
		if perr != nil {
			return fmt.Errorf("office365test: redirect URL: %w", perr)
		}
		rq := ru.Query()
		for k, vs := range v {
			rq[k] = vs
		}
		ru.RawQuery = rq.Encode()
		resp, err = e.browser.Get(ru.String())
	}
	if err != nil {
		return fmt.Errorf("office365test: delivering the authorization code: %w", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("office365test: redirect URL answered %s", resp.Status)
	}
	return nil
}

// ValidToken reports whether token is an access token this fake issued that
// has neither expired nor been revoked. Pass it to WithTokenValidator.
func (e *Entra) ValidToken(token string) bool {
	_, ok := e.LookupToken(token)
	return ok
}

// LookupToken describes a valid (issued, unexpired, unrevoked) access token.
func (e *Entra) LookupToken(token string) (EntraToken, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.access[token]
	if t == nil || !time.Now().Before(t.ExpiresAt) {
		return EntraToken{}, false
	}
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	return c, true
}

// Authenticate checks the request's "Authorization: Bearer" token, for
// fakes of APIs that want to know who calls.
func (e *Entra) Authenticate(r *http.Request) (EntraToken, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return EntraToken{}, false
	}
	return e.LookupToken(strings.TrimSpace(token))
}

// RevokeAccessTokens invalidates every access token issued so far (as if the
// service rejected them with 401); refresh tokens stay valid.
func (e *Entra) RevokeAccessTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.access)
}

// RevokeRefreshTokens invalidates every refresh token issued so far: their
// redemption fails with invalid_grant, which means "sign in again".
func (e *Entra) RevokeRefreshTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, rt := range e.refresh {
		rt.revoked = true
	}
}

// TokenRequests returns how many requests reached the token endpoint,
// failed ones included.
func (e *Entra) TokenRequests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tokenCount
}

// GrantRequests returns how many token requests used grantType (one of the
// Grant constants), failed ones included.
func (e *Entra) GrantRequests(grantType string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.grants[grantType]
}

// DiscoveryRequests returns how many times the OpenID configuration was
// fetched.
func (e *Entra) DiscoveryRequests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.discovery
}

// Requests returns the token and device-code requests so far, oldest first.
func (e *Entra) Requests() []EntraRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.log)
}

// ---- endpoints ----

func (e *Entra) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	e.mu.Lock()
	e.discovery++
	e.mu.Unlock()
	base := e.srv.URL + "/" + tenant
	entraJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/v2.0",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"none"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic", "private_key_jwt"},
		"code_challenge_methods_supported":      []string{"plain", "S256"},
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "preferred_username", "tid", "ver"},
		"tenant_region_scope":                   nil,
		"cloud_instance_name":                   "office365test",
	})
}

func (e *Entra) serveToken(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	perr := r.ParseForm()
	form := r.PostForm
	grant := form.Get("grant_type")
	if grant == "device_code" {
		grant = GrantDeviceCode
	}
	rec := EntraRequest{Endpoint: "token", Tenant: tenant, GrantType: grant, ClientID: form.Get("client_id"),
		Scope: form.Get("scope"), Claims: form.Get("claims")}

	e.mu.Lock()
	defer e.mu.Unlock()
	e.tokenCount++
	e.grants[grant]++
	var (
		resp map[string]any
		oe   *entraError
	)
	if perr != nil {
		oe = entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must be application/x-www-form-urlencoded.")
	} else {
		resp, oe = e.tokenLocked(r, tenant, grant, form, &rec)
	}
	e.finishLocked(w, r, &rec, resp, oe)
}

func (e *Entra) finishLocked(w http.ResponseWriter, r *http.Request, rec *EntraRequest, resp map[string]any, oe *entraError) {
	if oe != nil {
		rec.Status, rec.Error = oe.status, oe.code
		e.log = append(e.log, *rec)
		entraWriteError(w, r, oe)
		return
	}
	rec.Status = http.StatusOK
	e.log = append(e.log, *rec)
	entraJSON(w, http.StatusOK, resp)
}

func (e *Entra) tokenLocked(r *http.Request, tenant, grant string, form url.Values, rec *EntraRequest) (map[string]any, *entraError) {
	switch grant {
	case GrantClientCredentials, GrantAuthorizationCode, GrantRefreshToken, GrantDeviceCode, GrantJWTBearer:
	case "":
		return nil, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
	default:
		return nil, entraErr(http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'.", grant)
	}
	c, method, oe := e.authenticateClientLocked(r, tenant, form)
	rec.ClientAuth = method
	rec.AssertionID = assertionID(form.Get("client_assertion"))
	if oe != nil {
		return nil, oe
	}
	resource, oidc := entraSplitScopes(form.Get("scope"))
	switch grant {
	case GrantJWTBearer:
		return e.onBehalfOfLocked(c, method, tenant, form, resource, oidc)

	case GrantClientCredentials:
		if method == "none" {
			return nil, entraErr(http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		}
		if len(resource) == 0 {
			return nil, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.")
		}
		for _, s := range resource {
			if !strings.HasSuffix(s, "/.default") {
				return nil, entraErr(http.StatusBadRequest, "invalid_scope", 1002012, "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", s)
			}
		}
		return e.issueLocked(grant, c.id, tenant, resource, nil, nil, form), nil

	case GrantAuthorizationCode:
		ac := e.codes[form.Get("code")]
		switch {
		case ac == nil:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 9002313, "Invalid request. The provided value for the 'code' parameter is not valid.")
		case ac.redeemed:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
		case time.Now().After(ac.expires):
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.")
		case ac.clientID != c.id:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 70000, "The provided authorization code was issued to a different client.")
		case form.Get("redirect_uri") != ac.redirect:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 70000, "The redirect URI does not match the one used to obtain the authorization code.")
		}
		if ac.challenge != "" {
			v := form.Get("code_verifier")
			if v == "" {
				return nil, entraErr(http.StatusBadRequest, "invalid_grant", 50148, "The code_verifier is missing; the authorization request carried a code_challenge (PKCE).")
			}
			want := v
			if ac.method == "S256" {
				sum := sha256.Sum256([]byte(v))
				want = base64.RawURLEncoding.EncodeToString(sum[:])
			}
			if subtle.ConstantTimeCompare([]byte(want), []byte(ac.challenge)) != 1 {
				return nil, entraErr(http.StatusBadRequest, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
			}
		}
		ac.redeemed = true
		if len(resource) == 0 {
			resource, oidc = ac.scopes, append(oidc, "openid", "offline_access")
		}
		u := ac.user
		return e.issueLocked(grant, c.id, ac.tenant, resource, oidc, &u, form), nil

	case GrantRefreshToken:
		rt := e.refresh[form.Get("refresh_token")]
		switch {
		case rt == nil:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 9002313, "Invalid request. The provided value for the 'refresh_token' parameter is not valid.")
		case rt.revoked:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed.")
		case rt.clientID != c.id:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 70000, "The refresh token was issued to a different client.")
		}
		u := rt.user
		return e.issueLocked(grant, c.id, rt.tenant, resource, append(oidc, "offline_access"), &u, form), nil

	default: // GrantDeviceCode
		dc := e.devices[form.Get("device_code")]
		switch {
		case dc == nil || dc.clientID != c.id:
			return nil, entraErr(http.StatusBadRequest, "invalid_grant", 70000, "The provided value for the 'device_code' parameter is not valid.")
		case time.Now().After(dc.expires):
			return nil, entraErr(http.StatusBadRequest, "expired_token", 70019, "Verification code expired.")
		case dc.denied:
			return nil, entraErr(http.StatusBadRequest, "authorization_declined", 70000, "The user declined the sign-in.")
		case !dc.approved && dc.pending != 0:
			if dc.pending > 0 {
				dc.pending--
			}
			return nil, entraErr(http.StatusBadRequest, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
		}
		delete(e.devices, form.Get("device_code"))
		delete(e.userCodes, dc.userCode)
		if len(resource) == 0 {
			resource = dc.scopes
		}
		u := dc.user
		return e.issueLocked(grant, c.id, dc.tenant, resource, oidc, &u, form), nil
	}
}

// authenticateClientLocked identifies the client and checks its credential.
// method is "secret", "assertion" or "none" (public client).
func (e *Entra) authenticateClientLocked(r *http.Request, tenant string, form url.Values) (c *entraClient, method string, oe *entraError) {
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok { // client_secret_basic
		id, _ = url.QueryUnescape(bid)
		secret, _ = url.QueryUnescape(bsecret)
	}
	if id == "" {
		return nil, "", entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")
	}
	c = e.clients[id]
	if c == nil {
		return nil, "", entraErr(http.StatusBadRequest, "unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'.", id, tenant)
	}
	switch assertion := form.Get("client_assertion"); {
	case secret != "":
		for _, s := range c.secrets {
			if subtle.ConstantTimeCompare([]byte(s), []byte(secret)) == 1 {
				return c, "secret", nil
			}
		}
		return nil, "secret", entraErr(http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", id)
	case assertion != "":
		if form.Get("client_assertion_type") != clientAssertionType {
			return nil, "assertion", entraErr(http.StatusBadRequest, "invalid_request", 700025, "The client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.")
		}
		if c.federatedAssertion(assertion) {
			if oe := e.verifyFederatedLocked(c, assertion); oe != nil {
				return nil, "federated", oe
			}
			return c, "federated", nil
		}
		if oe := e.verifyAssertionLocked(c, e.srv.URL+"/"+tenant+"/oauth2/v2.0/token", assertion); oe != nil {
			return nil, "assertion", oe
		}
		return c, "assertion", nil
	case c.public:
		return c, "none", nil
	default:
		return nil, "", entraErr(http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	}
}

// verifyAssertionLocked checks a client assertion (RFC 7523): signature by a
// registered certificate, aud, iss, sub, exp, nbf and jti (no replay).
func (e *Entra) verifyAssertionLocked(c *entraClient, audience, assertion string) *entraError {
	invalid := func(aadsts int, format string, args ...any) *entraError {
		return entraErr(http.StatusUnauthorized, "invalid_client", aadsts, format, args...)
	}
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return invalid(50027, "JWT token is invalid or malformed.")
	}
	var header struct {
		Alg     string `json:"alg"`
		X5t     string `json:"x5t"`
		X5tS256 string `json:"x5t#S256"`
	}
	var claims struct {
		Aud json.RawMessage `json:"aud"`
		Iss string          `json:"iss"`
		Sub string          `json:"sub"`
		Jti string          `json:"jti"`
		Exp json.Number     `json:"exp"`
		Nbf json.Number     `json:"nbf"`
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	pb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3); err != nil || json.Unmarshal(hb, &header) != nil || json.Unmarshal(pb, &claims) != nil {
		return invalid(50027, "JWT token is invalid or malformed.")
	}
	if len(c.certs) == 0 {
		return invalid(700027, "Client assertion failed signature validation: no certificate is registered for application '%s'.", c.id)
	}
	var candidates []*x509.Certificate
	for _, cert := range c.certs {
		s256 := sha256.Sum256(cert.Raw)
		s1 := sha1.Sum(cert.Raw) //nolint:gosec // x5t is defined as SHA-1
		switch {
		case header.X5tS256 != "":
			if entraThumbprintIs(header.X5tS256, s256[:]) {
				candidates = append(candidates, cert)
			}
		case header.X5t != "":
			if entraThumbprintIs(header.X5t, s1[:]) {
				candidates = append(candidates, cert)
			}
		default:
			candidates = append(candidates, cert)
		}
	}
	if len(candidates) == 0 {
		return invalid(700027, "Client assertion contains an invalid signature. Key was not found: the certificate thumbprint is not registered for application '%s'.", c.id)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	verified := false
	for _, cert := range candidates {
		pub, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			continue
		}
		var err error
		switch header.Alg {
		case "PS256":
			err = rsa.VerifyPSS(pub, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		case "RS256":
			err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
		default:
			return invalid(700027, "Client assertion algorithm %q is not supported (PS256, RS256).", header.Alg)
		}
		if err == nil {
			verified = true
			break
		}
	}
	if !verified {
		return invalid(700027, "Client assertion failed signature validation.")
	}
	if !entraAudienceIs(claims.Aud, audience) {
		return invalid(700212, "The audience claim of the client assertion must be the token endpoint %s.", audience)
	}
	if claims.Iss != c.id || claims.Sub != c.id {
		return invalid(700021, "Client assertion application identifier doesn't match 'client_id' parameter.")
	}
	now := time.Now()
	const skew = 5 * time.Minute
	exp, err1 := claims.Exp.Int64()
	nbf, err2 := claims.Nbf.Int64()
	if err1 != nil || now.After(time.Unix(exp, 0).Add(skew)) || (err2 == nil && now.Add(skew).Before(time.Unix(nbf, 0))) {
		return invalid(700024, "Client assertion is not within its valid time range.")
	}
	if claims.Jti == "" {
		return invalid(50027, "JWT token is invalid or malformed: jti is missing.")
	}
	for jti, until := range e.seenJTI {
		if now.After(until) {
			delete(e.seenJTI, jti)
		}
	}
	if _, seen := e.seenJTI[claims.Jti]; seen {
		return invalid(700025, "The client assertion was already used (jti replay).")
	}
	e.seenJTI[claims.Jti] = time.Unix(exp, 0).Add(skew)
	return nil
}

func entraThumbprintIs(encoded string, sum []byte) bool {
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(encoded); err == nil {
			return subtle.ConstantTimeCompare(b, sum) == 1
		}
	}
	return false
}

func entraAudienceIs(raw json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return strings.EqualFold(one, want)
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return slices.ContainsFunc(many, func(s string) bool { return strings.EqualFold(s, want) })
	}
	return false
}

// entraSplitScopes separates resource scopes from the OpenID Connect ones.
func entraSplitScopes(scope string) (resource, oidc []string) {
	for _, s := range strings.Fields(scope) {
		switch s {
		case "openid", "profile", "offline_access", "email":
			oidc = append(oidc, s)
		default:
			resource = append(resource, s)
		}
	}
	return resource, oidc
}

// issueLocked mints tokens. user is nil for app tokens.
func (e *Entra) issueLocked(grant, clientID, tenant string, resource, oidc []string, user *EntraUser, form url.Values) map[string]any {
	now := time.Now()
	at := "fake-at-" + entraRandom(32)
	tok := &EntraToken{ClientID: clientID, TenantID: tenant, Scopes: slices.Clone(resource), AppOnly: user == nil,
		GrantType: grant, ExpiresAt: now.Add(e.lifetime)}
	secs := int64(e.lifetime / time.Second)
	resp := map[string]any{
		"token_type":     "Bearer",
		"scope":          strings.Join(resource, " "),
		"expires_in":     secs,
		"ext_expires_in": secs,
		"access_token":   at,
	}
	if e.refreshIn != 0 {
		resp["refresh_in"] = int64(e.refreshIn / time.Second)
	}
	if user != nil {
		tok.TenantID, tok.ObjectID, tok.Username = user.TenantID, user.ObjectID, user.Username
		if slices.Contains(oidc, "openid") {
			resp["id_token"] = e.idToken(clientID, *user, now)
		}
		if slices.Contains(oidc, "offline_access") {
			rt := "fake-rt-" + entraRandom(48)
			e.refresh[rt] = &entraRefresh{clientID: clientID, tenant: tenant, user: *user}
			resp["refresh_token"] = rt
		}
		if form.Get("client_info") == "1" {
			ci, _ := json.Marshal(map[string]string{"uid": user.ObjectID, "utid": user.TenantID})
			resp["client_info"] = base64.RawURLEncoding.EncodeToString(ci)
		}
	}
	e.access[at] = tok
	return resp
}

// idToken returns an unsigned ID token ("alg": "none").
func (e *Entra) idToken(clientID string, u EntraUser, now time.Time) string {
	sub := sha256.Sum256([]byte(u.ObjectID + "|" + clientID))
	header, _ := json.Marshal(map[string]string{"typ": "JWT", "alg": "none"})
	payload, _ := json.Marshal(map[string]any{
		"aud":                clientID,
		"iss":                e.srv.URL + "/" + u.TenantID + "/v2.0",
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                now.Add(time.Hour).Unix(),
		"name":               u.Name,
		"oid":                u.ObjectID,
		"preferred_username": u.Username,
		"sub":                base64.RawURLEncoding.EncodeToString(sub[:]),
		"tid":                u.TenantID,
		"ver":                "2.0",
	})
	return base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

func (e *Entra) serveDeviceCode(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	perr := r.ParseForm()
	form := r.PostForm
	rec := EntraRequest{Endpoint: "devicecode", Tenant: tenant, ClientID: form.Get("client_id"), Scope: form.Get("scope"), Claims: form.Get("claims")}

	e.mu.Lock()
	defer e.mu.Unlock()
	if perr != nil {
		e.finishLocked(w, r, &rec, nil, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must be application/x-www-form-urlencoded."))
		return
	}
	c, method, oe := e.authenticateClientLocked(r, tenant, form)
	rec.ClientAuth = method
	if oe != nil {
		e.finishLocked(w, r, &rec, nil, oe)
		return
	}
	resource, _ := entraSplitScopes(form.Get("scope"))
	if form.Get("scope") == "" {
		e.finishLocked(w, r, &rec, nil, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'."))
		return
	}
	device := entraRandom(48)
	user := entraUserCode()
	for e.userCodes[user] != "" {
		user = entraUserCode()
	}
	const lifetime = 15 * time.Minute
	e.devices[device] = &entraDeviceCode{clientID: c.id, tenant: tenant, userCode: user, scopes: resource, user: e.user,
		expires: time.Now().Add(lifetime), pending: e.pendingPolls}
	e.userCodes[user] = device
	verification := e.srv.URL + "/devicelogin"
	e.finishLocked(w, r, &rec, map[string]any{
		"user_code":        user,
		"device_code":      device,
		"verification_uri": verification,
		"expires_in":       int(lifetime / time.Second),
		"interval":         1,
		"message":          fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", verification, user),
	}, nil)
}

func (e *Entra) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	e.mu.Lock()
	code, redirect, oe := e.authorizeLocked(r.PathValue("tenant"), q)
	e.mu.Unlock()
	if redirect == nil { // no valid redirect URL: the error page stays at the identity platform
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "Sign in failed: %v\n", oe)
		return
	}
	v := url.Values{}
	if oe != nil {
		v.Set("error", oe.code)
		v.Set("error_description", fmt.Sprintf("AADSTS%d: %s", oe.aadsts, oe.message))
	} else {
		v.Set("code", code)
	}
	if s := q.Get("state"); s != "" {
		v.Set("state", s)
	}
	if q.Get("response_mode") == "form_post" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		fmt.Fprintf(&b, `<!DOCTYPE html><html><body onload="document.forms[0].submit()"><form method="POST" action="%s">`, html.EscapeString(redirect.String()))
		for k := range v {
			fmt.Fprintf(&b, `<input type="hidden" name="%s" value="%s">`, html.EscapeString(k), html.EscapeString(v.Get(k)))
		}
		b.WriteString(`<noscript><button type="submit">Continue</button></noscript></form></body></html>`)
		_, _ = w.Write([]byte(b.String()))
		return
	}
	rq := redirect.Query()
	for k, vs := range v {
		rq[k] = vs
	}
	redirect.RawQuery = rq.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// authorizeLocked validates an authorization request and issues a code.
// redirect is nil when the request's redirect URL itself is unacceptable.
func (e *Entra) authorizeLocked(tenant string, q url.Values) (code string, redirect *url.URL, oe *entraError) {
	id := q.Get("client_id")
	c := e.clients[id]
	if c == nil {
		return "", nil, entraErr(http.StatusBadRequest, "unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'.", id, tenant)
	}
	ru, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !ru.IsAbs() || ru.Host == "" {
		return "", nil, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request must contain an absolute 'redirect_uri'.")
	}
	if !entraRedirectAllowed(c.redirects, ru) {
		return "", nil, entraErr(http.StatusBadRequest, "invalid_request", 50011, "The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'.", ru, id)
	}
	if rt := q.Get("response_type"); rt != "code" {
		return "", ru, entraErr(http.StatusBadRequest, "unsupported_response_type", 700054, "response_type '%s' is not supported; use 'code'.", rt)
	}
	resource, oidc := entraSplitScopes(q.Get("scope"))
	if len(resource)+len(oidc) == 0 {
		return "", ru, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request must contain the 'scope' parameter.")
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && method != "":
		return "", ru, entraErr(http.StatusBadRequest, "invalid_request", 900144, "code_challenge_method was sent without code_challenge.")
	case challenge != "" && method == "":
		method = "plain"
	case method != "" && method != "S256" && method != "plain":
		return "", ru, entraErr(http.StatusBadRequest, "invalid_request", 50148, "code_challenge_method '%s' is not supported (S256, plain).", method)
	}
	code = entraRandom(48)
	e.codes[code] = &entraAuthCode{clientID: id, tenant: tenant, redirect: q.Get("redirect_uri"), scopes: resource,
		challenge: challenge, method: method, user: e.user, expires: time.Now().Add(10 * time.Minute)}
	return code, ru, nil
}

// entraRedirectAllowed applies Entra's rule: exact match, except that
// loopback redirect URLs match on any port.
func entraRedirectAllowed(registered []string, u *url.URL) bool {
	if len(registered) == 0 {
		return true
	}
	for _, r := range registered {
		if r == u.String() {
			return true
		}
		ru, err := url.Parse(r)
		if err != nil || ru.Scheme != "http" || u.Scheme != "http" {
			continue
		}
		if office365.IsLoopbackHost(ru.Hostname()) && office365.IsLoopbackHost(u.Hostname()) && strings.TrimSuffix(ru.Path, "/") == strings.TrimSuffix(u.Path, "/") {
			return true
		}
	}
	return false
}

// authorizePath returns the tenant of an authorization endpoint URL of this
// server.
func (e *Entra) authorizePath(u *url.URL) (string, bool) {
	base, _ := url.Parse(e.srv.URL)
	if !strings.EqualFold(u.Host, base.Host) {
		return "", false
	}
	tenant, rest, ok := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	return tenant, ok && tenant != "" && rest == "oauth2/v2.0/authorize"
}

func (e *Entra) serveDeviceLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodGet {
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><body><form method="POST"><label>Code <input name="user_code"></label><button type="submit">Next</button></form></body></html>`))
		return
	}
	if err := e.ApproveDeviceCode(r.PostFormValue("user_code")); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><body><p>That code didn't work. Check the code and try again.</p></body></html>`))
		return
	}
	_, _ = w.Write([]byte(`<!DOCTYPE html><html><body><p>You have signed in. You may now close this window.</p></body></html>`))
}

// ---- helpers ----

func entraJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func entraWriteError(w http.ResponseWriter, r *http.Request, oe *entraError) {
	now := time.Now().UTC()
	correlation := r.Header.Get("client-request-id")
	if correlation == "" {
		correlation = entraUUID()
	}
	trace := entraUUID()
	entraJSON(w, oe.status, map[string]any{
		"error": oe.code,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
			oe.aadsts, oe.message, trace, correlation, now.Format("2006-01-02 15:04:05Z")),
		"error_codes":    []int{oe.aadsts},
		"timestamp":      now.Format("2006-01-02 15:04:05Z"),
		"trace_id":       trace,
		"correlation_id": correlation,
		"error_uri":      "https://login.microsoftonline.com/error?code=" + strconv.Itoa(oe.aadsts),
	})
}

func entraRandom(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func entraUserCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func entraUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
