package auth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	office365 "github.com/office365-go/office365"
)

// The environment variables NewEnvironmentCredential reads. Each credential
// variable also exists with the O365_ prefix instead of AZURE_ (for example
// O365_TENANT_ID): when any O365_ credential variable is set, only the O365_
// names are read, so that the settings of two app registrations never mix.
const (
	// EnvTenantID is the tenant GUID or verified domain.
	EnvTenantID = "AZURE_TENANT_ID"
	// EnvClientID is the application (client) ID of the app registration.
	EnvClientID = "AZURE_CLIENT_ID"
	// EnvClientSecret is a client secret of the app registration.
	EnvClientSecret = "AZURE_CLIENT_SECRET"
	// EnvClientCertificatePath is the path of a PEM (certificate and
	// unencrypted RSA key) or PKCS#12 file.
	EnvClientCertificatePath = "AZURE_CLIENT_CERTIFICATE_PATH"
	// EnvClientCertificatePassword is the password of a PKCS#12 file.
	EnvClientCertificatePassword = "AZURE_CLIENT_CERTIFICATE_PASSWORD"
	// EnvClientSendCertificateChain, when "true" or "1", sends the
	// certificate chain with each assertion (subject name + issuer
	// authentication).
	EnvClientSendCertificateChain = "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"
	// EnvFederatedTokenFile is the path of a federated token (workload
	// identity federation), as set by AKS workload identity.
	EnvFederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE"
	// EnvAuthorityHost replaces the cloud's login host, as set by AKS
	// workload identity. Read only with the AZURE_ names.
	EnvAuthorityHost = "AZURE_AUTHORITY_HOST"
	// EnvCloud names the national cloud: public (default), gcc, gcc-high,
	// dod or china (see office365.CloudByName). Read with either set of
	// names.
	EnvCloud = "O365_CLOUD"
)

const (
	prefixAzure = "AZURE_"
	prefixO365  = "O365_"
)

// credentialVars are the credential variables without their prefix.
var credentialVars = []string{"TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_CERTIFICATE_PATH",
	"CLIENT_CERTIFICATE_PASSWORD", "CLIENT_SEND_CERTIFICATE_CHAIN", "FEDERATED_TOKEN_FILE"}

// EnvironmentOptions configures NewEnvironmentCredential.
type EnvironmentOptions struct {
	// CredentialOptions configure the credential that is built. Cloud,
	// AuthorityHost and SendCertificateChain, when set here, win over the
	// environment.
	CredentialOptions

	// LookupEnv reads a variable; nil means os.LookupEnv. Tests, or programs
	// that keep their settings elsewhere, supply their own. Empty values
	// count as unset.
	LookupEnv func(key string) (value string, ok bool)
}

// EnvironmentError reports that the environment does not configure a
// credential. It names variables, never their values. Find it with
// errors.As: a program can tell "nothing configured" (Set is empty) from "half
// configured".
type EnvironmentError struct {
	// Missing lists what is still needed: a variable name, or alternatives
	// such as "one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH,
	// AZURE_FEDERATED_TOKEN_FILE".
	Missing []string
	// Set lists the credential variables that are set.
	Set []string
}

// Error names the missing variables.
func (e *EnvironmentError) Error() string {
	msg := "auth: no credential in the environment: missing " + strings.Join(e.Missing, "; ")
	if len(e.Set) == 0 {
		return msg + " (or the same variables with the O365_ prefix)"
	}
	return msg + " (set: " + strings.Join(e.Set, ", ") + ")"
}

// EnvironmentCredential is the credential NewEnvironmentCredential built
// from the environment: a ClientSecretCredential, a
// ClientCertificateCredential or a WorkloadIdentityCredential. It is safe for
// concurrent use.
type EnvironmentCredential struct {
	cred     environmentCredential
	tenantID string
	clientID string
	cloud    office365.Cloud
}

// environmentCredential is what the credentials NewEnvironmentCredential
// builds have in common.
type environmentCredential interface {
	Credential
	Refresher
	OnBehalfOf(userAssertion string) (*OnBehalfOfCredential, error)
}

var (
	_ environmentCredential = (*ClientSecretCredential)(nil)
	_ environmentCredential = (*ClientCertificateCredential)(nil)
	_ environmentCredential = (*WorkloadIdentityCredential)(nil)
	_ environmentCredential = (*EnvironmentCredential)(nil)
)

// NewEnvironmentCredential builds an application credential from the
// variables the Azure SDK for Go uses, so a program configured for Azure
// Identity works unchanged:
//
//	AZURE_TENANT_ID, AZURE_CLIENT_ID     always
//	AZURE_CLIENT_SECRET                  -> ClientSecretCredential
//	AZURE_CLIENT_CERTIFICATE_PATH        -> ClientCertificateCredential
//	  (+ AZURE_CLIENT_CERTIFICATE_PASSWORD, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN)
//	AZURE_FEDERATED_TOKEN_FILE           -> WorkloadIdentityCredential
//	  (+ AZURE_AUTHORITY_HOST)
//	O365_CLOUD                           national cloud (default public)
//
// The first of secret, certificate and token file that is set wins. The same
// variables with the O365_ prefix (O365_TENANT_ID, O365_CLIENT_ID,
// O365_CLIENT_SECRET, ...) are this module's own names; when any of them is
// set, only O365_ names are read. When a required variable is missing, the
// error is an *EnvironmentError that names it. opts may be nil.
func NewEnvironmentCredential(opts *EnvironmentOptions) (*EnvironmentCredential, error) {
	var o EnvironmentOptions
	if opts != nil {
		o = *opts
	}
	lookup := o.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	get := func(key string) string {
		v, ok := lookup(key)
		if !ok {
			return ""
		}
		return strings.TrimSpace(v)
	}

	prefix := prefixAzure
	var set []string
	for _, p := range []string{prefixO365, prefixAzure} {
		for _, v := range credentialVars {
			if get(p+v) != "" {
				set = append(set, p+v)
				if p == prefixO365 {
					prefix = prefixO365
				}
			}
		}
	}
	tenantID, clientID := get(prefix+"TENANT_ID"), get(prefix+"CLIENT_ID")
	secret, certPath, tokenFile := get(prefix+"CLIENT_SECRET"), get(prefix+"CLIENT_CERTIFICATE_PATH"), get(prefix+"FEDERATED_TOKEN_FILE")
	var missing []string
	if tenantID == "" {
		missing = append(missing, prefix+"TENANT_ID")
	}
	if clientID == "" {
		missing = append(missing, prefix+"CLIENT_ID")
	}
	if secret == "" && certPath == "" && tokenFile == "" {
		missing = append(missing, "one of "+prefix+"CLIENT_SECRET, "+prefix+"CLIENT_CERTIFICATE_PATH, "+prefix+"FEDERATED_TOKEN_FILE")
	}
	if len(missing) > 0 {
		return nil, &EnvironmentError{Missing: missing, Set: set}
	}

	co := o.CredentialOptions
	if co.Cloud.LoginAuthority == "" {
		co.Cloud = office365.CloudPublic
		if name := get(EnvCloud); name != "" {
			cloud, err := office365.CloudByName(name)
			if err != nil {
				return nil, fmt.Errorf("auth: %s: %w", EnvCloud, err)
			}
			co.Cloud = cloud
		}
	}
	if co.AuthorityHost == "" && prefix == prefixAzure {
		co.AuthorityHost = strings.TrimRight(get(EnvAuthorityHost), "/")
	}
	if v := get(prefix + "CLIENT_SEND_CERTIFICATE_CHAIN"); v != "" && !co.SendCertificateChain {
		send, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("auth: %sCLIENT_SEND_CERTIFICATE_CHAIN: want true or false, got %q", prefix, v)
		}
		co.SendCertificateChain = send
	}

	ec := &EnvironmentCredential{tenantID: tenantID, clientID: clientID, cloud: co.Cloud}
	var err error
	switch {
	case secret != "":
		ec.cred, err = NewClientSecretCredential(tenantID, clientID, secret, &co)
	case certPath != "":
		ec.cred, err = certificateFromFile(tenantID, clientID, prefix, certPath, get(prefix+"CLIENT_CERTIFICATE_PASSWORD"), &co)
	default:
		ec.cred, err = NewWorkloadIdentityCredential(tenantID, clientID, tokenFile, &co)
	}
	if err != nil {
		return nil, err
	}
	return ec, nil
}

// certificateFromFile loads a PEM or PKCS#12 file for a
// ClientCertificateCredential.
func certificateFromFile(tenantID, clientID, prefix, path, password string, opts *CredentialOptions) (*ClientCertificateCredential, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: %sCLIENT_CERTIFICATE_PATH: %w", prefix, err)
	}
	var (
		certs []*x509.Certificate
		key   crypto.PrivateKey
	)
	if bytes.Contains(data, []byte("-----BEGIN")) {
		certs, key, err = ParseCertificatesPEM(data)
	} else {
		certs, key, err = ParsePKCS12(data, password)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: %sCLIENT_CERTIFICATE_PATH %s: %w", prefix, path, err)
	}
	return NewClientCertificateCredential(tenantID, clientID, certs, key, opts)
}

// Token returns an access token for scopes from the credential the
// environment configured.
func (c *EnvironmentCredential) Token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.cred.Token(ctx, scopes)
}

// Refresh requests a new access token, bypassing the cache (see
// ClientSecretCredential.Refresh).
func (c *EnvironmentCredential) Refresh(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	return c.cred.Refresh(ctx, scopes)
}

// OnBehalfOf returns a credential that acts for the user whose access token
// is userAssertion, authenticating as the application the environment
// configured; see ClientSecretCredential.OnBehalfOf.
func (c *EnvironmentCredential) OnBehalfOf(userAssertion string) (*OnBehalfOfCredential, error) {
	return c.cred.OnBehalfOf(userAssertion)
}

// TenantID returns the tenant the credential signs in to, which clients
// that take a tenant (servicecomms.New) need too.
func (c *EnvironmentCredential) TenantID() string { return c.tenantID }

// ClientID returns the application (client) ID.
func (c *EnvironmentCredential) ClientID() string { return c.clientID }

// Cloud returns the national cloud (O365_CLOUD, or CredentialOptions.Cloud):
// give it to clients with office365.WithCloud so that they call the same
// cloud's services.
func (c *EnvironmentCredential) Cloud() office365.Cloud { return c.cloud }

// Underlying returns the credential the environment selected: a
// *ClientSecretCredential, *ClientCertificateCredential or
// *WorkloadIdentityCredential.
func (c *EnvironmentCredential) Underlying() Credential { return c.cred }
