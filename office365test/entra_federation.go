package office365test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// GrantJWTBearer is the grant type of the on-behalf-of flow
// (requested_token_use=on_behalf_of), as counted by Entra.GrantRequests.
const GrantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// FederatedAudience is the audience Entra ID expects in federated client
// assertions (workload identity federation), and the one FederatedToken
// issues tokens for.
const FederatedAudience = "api://AzureADTokenExchange"

// clientAssertionType is the client_assertion_type of RFC 7523 client
// assertions.
const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// entraFederation is a federated identity credential of an app registration:
// tokens of issuer for subject stand in for a client secret.
type entraFederation struct {
	issuer, subject string
}

// AddFederatedCredential registers a federated identity credential for the
// confidential client clientID, as workload identity federation does: client
// assertions that an external identity provider issuer (a Kubernetes
// cluster's OIDC issuer, GitHub Actions, ...) issued for subject, with
// audience FederatedAudience, authenticate the client. This fake plays the
// external identity provider too: get such tokens from FederatedToken.
func (e *Entra) AddFederatedCredential(clientID, issuer, subject string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.clientLocked(clientID)
	c.federations = append(c.federations, entraFederation{issuer: issuer, subject: subject})
}

// FederatedToken returns a token that the identity provider issuer issued
// for subject, valid for lifetime from now (a negative lifetime gives an
// expired token), with audience FederatedAudience and a fresh jti, signed
// (ES256) with a key of this fake: what Kubernetes writes to a pod's
// AZURE_FEDERATED_TOKEN_FILE. Entra accepts it as a client assertion of the
// clients for which AddFederatedCredential registered issuer and subject.
func (e *Entra) FederatedToken(issuer, subject string, lifetime time.Duration) string {
	now := time.Now()
	header, _ := json.Marshal(map[string]string{"typ": "JWT", "alg": "ES256", "kid": "office365test"})
	payload, _ := json.Marshal(map[string]any{
		"iss": issuer,
		"sub": subject,
		"aud": []string{FederatedAudience},
		"iat": now.Unix(),
		"nbf": now.Add(-time.Minute).Unix(),
		"exp": now.Add(lifetime).Unix(),
		"jti": entraUUID(),
	})
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, e.issuerKey(), digest[:])
	if err != nil {
		panic(fmt.Sprintf("office365test: signing a federated token: %v", err))
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// issuerKey returns the key that signs federated tokens, made on first use.
func (e *Entra) issuerKey() *ecdsa.PrivateKey {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.federationKey == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(fmt.Sprintf("office365test: generating the issuer key: %v", err))
		}
		e.federationKey = k
	}
	return e.federationKey
}

// UserToken issues an access token for the signed-in user (see SetUser) to
// the application clientID for scopes, as a sign-in through that
// application would, without a request to the token endpoint (the counters
// do not change). It is the token a front end sends to a web API: scopes
// such as "api://<web API client id>/access_as_user" address the web API,
// which may exchange the token on the user's behalf (GrantJWTBearer).
func (e *Entra) UserToken(clientID string, scopes ...string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.user
	resp := e.issueLocked(GrantAuthorizationCode, clientID, u.TenantID, scopes, nil, &u, nil)
	return resp["access_token"].(string)
}

// jwtParts splits a compact JWT and decodes its header and payload; it
// verifies nothing.
func jwtParts(token string) (header, payload map[string]json.RawMessage, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, false
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	pb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	if errors.Join(err1, err2) != nil || json.Unmarshal(hb, &header) != nil || json.Unmarshal(pb, &payload) != nil {
		return nil, nil, false
	}
	return header, payload, true
}

// jwtString returns the string claim name of payload, "" if absent.
func jwtString(payload map[string]json.RawMessage, name string) string {
	var s string
	_ = json.Unmarshal(payload[name], &s)
	return s
}

// assertionID returns the jti of a client assertion, for the request log.
func assertionID(assertion string) string {
	_, payload, ok := jwtParts(assertion)
	if !ok {
		return ""
	}
	return jwtString(payload, "jti")
}

// federatedAssertion reports whether assertion was issued by an issuer
// federated with c, in which case it must be verified as a federated token
// rather than as a certificate-signed assertion.
func (c *entraClient) federatedAssertion(assertion string) bool {
	if len(c.federations) == 0 {
		return false
	}
	_, payload, ok := jwtParts(assertion)
	if !ok {
		return true // reported as malformed by verifyFederatedLocked
	}
	iss := jwtString(payload, "iss")
	// A certificate assertion is issued by the client itself.
	return iss != c.id
}

// verifyFederatedLocked checks a federated client assertion: signed by this
// fake's issuer key, audience FederatedAudience, unexpired, and issuer and
// subject registered with AddFederatedCredential. Unlike certificate
// assertions, a federated token may be presented more than once.
func (e *Entra) verifyFederatedLocked(c *entraClient, assertion string) *entraError {
	invalid := func(aadsts int, format string, args ...any) *entraError {
		return entraErr(http.StatusUnauthorized, "invalid_client", aadsts, format, args...)
	}
	header, payload, ok := jwtParts(assertion)
	if !ok {
		return invalid(50027, "JWT token is invalid or malformed.")
	}
	var alg string
	_ = json.Unmarshal(header["alg"], &alg)
	parts := strings.Split(assertion, ".")
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if alg != "ES256" || err != nil || len(sig) != 64 || e.federationKey == nil {
		return invalid(700211, "The federated token's signature could not be validated with the issuer's keys.")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(&e.federationKey.PublicKey, digest[:], r, s) {
		return invalid(700211, "The federated token's signature could not be validated with the issuer's keys.")
	}
	iss, sub := jwtString(payload, "iss"), jwtString(payload, "sub")
	if !slices.Contains(c.federations, entraFederation{issuer: iss, subject: sub}) {
		return invalid(70021, "No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: '%s'.", iss, sub, FederatedAudience)
	}
	if !entraAudienceIs(payload["aud"], FederatedAudience) {
		return invalid(700212, "The audience of the federated token must be %s.", FederatedAudience)
	}
	var exp, nbf json.Number
	_ = json.Unmarshal(payload["exp"], &exp)
	_ = json.Unmarshal(payload["nbf"], &nbf)
	expAt, err1 := exp.Int64()
	nbfAt, err2 := nbf.Int64()
	now := time.Now()
	if err1 != nil || !now.Before(time.Unix(expAt, 0)) || (err2 == nil && now.Before(time.Unix(nbfAt, 0).Add(-time.Minute))) {
		return invalid(700024, "Client assertion is not within its valid time range.")
	}
	return nil
}

// onBehalfOfLocked serves the on-behalf-of grant: client c (a web API)
// exchanges a user's access token addressed to it for a token to another
// resource, for the same user.
func (e *Entra) onBehalfOfLocked(c *entraClient, method, tenant string, form url.Values, resource, oidc []string) (map[string]any, *entraError) {
	if method == "none" {
		return nil, entraErr(http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	}
	if form.Get("requested_token_use") != "on_behalf_of" {
		return nil, entraErr(http.StatusBadRequest, "invalid_request", 50049, "The request must set 'requested_token_use' to 'on_behalf_of'.")
	}
	assertion := form.Get("assertion")
	if assertion == "" {
		return nil, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'assertion'.")
	}
	if len(resource) == 0 {
		return nil, entraErr(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.")
	}
	t := e.access[assertion]
	switch {
	case t == nil:
		return nil, entraErr(http.StatusBadRequest, "invalid_grant", 50013, "Assertion failed signature validation.")
	case !time.Now().Before(t.ExpiresAt):
		return nil, entraErr(http.StatusBadRequest, "invalid_grant", 500133, "Assertion is not within its valid time range.")
	case t.AppOnly:
		return nil, entraErr(http.StatusBadRequest, "invalid_grant", 50013, "Assertion is an application token; the on-behalf-of flow needs a user's token.")
	case !slices.ContainsFunc(t.Scopes, func(s string) bool { return entraScopeAddresses(s, c.id) }):
		return nil, entraErr(http.StatusBadRequest, "invalid_grant", 50013, "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '%s' and the expected audience is '%s'.", entraScopeResource(t.Scopes), c.id)
	}
	u := EntraUser{ObjectID: t.ObjectID, TenantID: t.TenantID, Username: t.Username}
	if e.user.ObjectID == u.ObjectID {
		u.Name = e.user.Name
	}
	return e.issueLocked(GrantJWTBearer, c.id, tenant, resource, oidc, &u, form), nil
}

// entraScopeAddresses reports whether scope is a permission of the
// application clientID ("api://<id>/x" or "<id>/x").
func entraScopeAddresses(scope, clientID string) bool {
	s := strings.ToLower(scope)
	id := strings.ToLower(clientID)
	return strings.HasPrefix(s, "api://"+id+"/") || strings.HasPrefix(s, id+"/")
}

// entraScopeResource returns the resource of the first scope, for messages.
func entraScopeResource(scopes []string) string {
	if len(scopes) == 0 {
		return ""
	}
	s := scopes[0]
	if i := strings.LastIndex(s, "/"); i > 0 {
		return s[:i]
	}
	return s
}
