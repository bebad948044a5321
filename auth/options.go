package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"

	office365 "github.com/office365-go/office365"
)

// CredentialOptions configures the MSAL-backed credentials of this package.
// A nil *CredentialOptions means all defaults: the public cloud, MSAL's
// default HTTP client, an in-memory token cache and instance discovery on.
type CredentialOptions struct {
	// Cloud selects the national cloud whose LoginAuthority issues tokens.
	// The zero value means office365.CloudPublic.
	Cloud office365.Cloud

	// AuthorityHost, when set, replaces Cloud.LoginAuthority, for example
	// "https://login.microsoftonline.us" or the URL of an office365test.Entra.
	// It must be an https URL without path; the tenant is appended.
	AuthorityHost string

	// HTTPClient sends all requests to the identity platform. Default: MSAL's
	// own client. Pass office365test.Entra.HTTPClient() in tests.
	HTTPClient *http.Client

	// Cache persists MSAL's token cache, for example a *FileCache. Nil keeps
	// tokens in memory only, for the life of the credential.
	Cache cache.ExportReplace

	// DisableInstanceDiscovery turns off MSAL's authority validation, which
	// asks login.microsoftonline.com about any authority host MSAL does not
	// know. Set it for private, custom or fake authorities; the hosts of the
	// predefined clouds are known to MSAL and need no discovery.
	DisableInstanceDiscovery bool

	// AccountStore persists which user a device-code or authorization-code
	// credential signed in as, so that a later process can refresh silently
	// from the Cache. Nil keeps the account in memory only. Ignored by
	// confidential (client secret and certificate) credentials.
	AccountStore AccountStore

	// SendCertificateChain makes certificate credentials send their
	// certificate chain (the x5c header) with every assertion, which subject
	// name + issuer authentication requires. Ignored by other credentials.
	SendCertificateChain bool
}

// tenantPattern accepts tenant GUIDs, verified domain names and the
// well-known "organizations", "common" and "consumers" tenants, and rejects
// anything that would change the authority URL's path.
var tenantPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// authority returns the MSAL authority URL for tenantID.
func (o *CredentialOptions) authority(tenantID string) (string, error) {
	if !tenantPattern.MatchString(tenantID) {
		return "", fmt.Errorf("auth: invalid tenant ID %q: want a tenant GUID, a domain name or \"organizations\"", tenantID)
	}
	host := ""
	if o != nil {
		host = o.AuthorityHost
		if host == "" {
			host = o.Cloud.LoginAuthority
		}
	}
	if host == "" {
		host = office365.CloudPublic.LoginAuthority
	}
	u, err := url.Parse(host)
	if err != nil {
		return "", fmt.Errorf("auth: invalid authority host %q: %w", host, err)
	}
	switch {
	case u.Scheme != "https":
		return "", fmt.Errorf("auth: authority host %q must use https", host)
	case u.Host == "":
		return "", fmt.Errorf("auth: authority host %q is not an absolute URL", host)
	case u.User != nil, u.RawQuery != "", u.Fragment != "", strings.Trim(u.Path, "/") != "":
		return "", fmt.Errorf("auth: authority host %q must be scheme and host only", host)
	}
	return "https://" + u.Host + "/" + tenantID, nil
}

func (o *CredentialOptions) httpClient() *http.Client {
	if o == nil {
		return nil
	}
	return o.HTTPClient
}

func (o *CredentialOptions) cache() cache.ExportReplace {
	if o == nil {
		return nil
	}
	return o.Cache
}

func (o *CredentialOptions) instanceDiscovery() bool {
	return o == nil || !o.DisableInstanceDiscovery
}

func (o *CredentialOptions) accountStore() AccountStore {
	if o == nil {
		return nil
	}
	return o.AccountStore
}

func checkClientID(clientID string) error {
	if strings.TrimSpace(clientID) == "" {
		return errors.New("auth: client ID is empty")
	}
	return nil
}

// checkScopes rejects an empty scope list early, with a clearer message than
// the identity platform's.
func checkScopes(scopes []string) error {
	if len(scopes) == 0 {
		return errors.New("auth: no scopes requested")
	}
	for _, s := range scopes {
		if strings.TrimSpace(s) == "" {
			return errors.New("auth: empty scope requested")
		}
	}
	return nil
}

// checkAppScopes enforces the client-credentials rule that every scope is a
// resource's "/.default" scope.
func checkAppScopes(scopes []string) error {
	if err := checkScopes(scopes); err != nil {
		return err
	}
	for _, s := range scopes {
		if !strings.HasSuffix(s, "/.default") {
			return fmt.Errorf("auth: client credentials need scopes of the form <resource>/.default (for example https://manage.office.com/.default), got %q", s)
		}
	}
	return nil
}
