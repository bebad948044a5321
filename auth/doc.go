// Package auth supplies OAuth 2.0 access tokens to the service clients of this
// module. The Credential interface is all a client needs; the constructors
// here implement it over the Microsoft Authentication Library for Go (MSAL),
// and FromTokenSource adapts any golang.org/x/oauth2 token source.
//
// # Credentials
//
// Applications that run without a user (daemons, services, the Office 365
// Management APIs) use the client-credentials flow:
//
//	cred, err := auth.NewClientSecretCredential(tenantID, clientID, secret, nil)
//	tok, err := cred.Token(ctx, []string{"https://manage.office.com/.default"})
//
// NewClientCertificateCredential does the same with a certificate; load it
// with ParseCertificatesPEM (unencrypted PEM) or ParsePKCS12 (.pfx). Only RSA
// keys are supported. NewWorkloadIdentityCredential presents a federated
// token read from a file instead (workload identity federation, as on Azure
// Kubernetes Service), reading the file again whenever it needs a new token so
// that rotation is picked up. Client-credentials scopes are always
// "<resource>/.default".
//
// NewEnvironmentCredential chooses among those three from the variables the
// Azure SDK for Go uses (AZURE_TENANT_ID, AZURE_CLIENT_ID, and
// AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or
// AZURE_FEDERATED_TOKEN_FILE) or the same names with the O365_ prefix, and
// reports missing ones in an *EnvironmentError:
//
//	cred, err := auth.NewEnvironmentCredential(nil)
//	client, err := servicecomms.New(cred.TenantID(), cred, office365.WithCloud(cred.Cloud()))
//
// A web API that receives a user's token calls the services as that user
// with the on-behalf-of flow: OnBehalfOf on the API's application credential
// returns an OnBehalfOfCredential for the incoming token, whose tokens MSAL
// caches per user.
//
// Applications acting for a user (delegated permissions, e.g.
// "https://outlook.office.com/Mail.Read") sign the user in once and then
// refresh silently with the refresh token in MSAL's cache:
//
//   - NewDeviceCodeCredential, for CLIs and headless machines: Token shows a
//     code through the prompt callback when a sign-in is needed.
//   - NewAuthCodeCredential, the authorization code flow with PKCE:
//     AuthCodeURL + Exchange for apps that handle the redirect themselves,
//     or SignInInteractive, where MSAL runs a loopback redirect server. Its
//     Token never prompts; it returns an error wrapping ErrSignInRequired.
//
// All MSAL-backed credentials cache tokens (MSAL answers from its cache until
// five minutes before expiry) and implement Refresher: the request pipeline
// calls Refresh after a 401 to get a token that bypasses the cache. Failures
// from the identity platform are *AuthenticationError values whose messages
// never contain secrets, tokens or codes.
//
// FromTokenSource and StaticToken wrap tokens obtained elsewhere; TokenSource
// goes the other way, handing a Credential's tokens to oauth2-aware code. The
// sub-package azadapter does the same for the Azure SDK's
// azcore.TokenCredential, in both directions, so azidentity's managed
// identity, Azure CLI and DefaultAzureCredential work with every client (this
// package itself does not depend on azcore).
//
// # Token cache
//
// By default MSAL keeps tokens in memory for the life of the credential. Set
// CredentialOptions.Cache to a FileCache to keep them across restarts: a
// second process with the same file gets its token from the file without a
// token request. The file is written with mode 0600 through a temporary file
// and a rename, and guarded by a lock file (path + ".lock") across processes;
// a missing or empty file is simply an empty cache. For user credentials, also
// set CredentialOptions.AccountStore (a FileAccountStore) so that a later
// process knows which cached account to refresh:
//
//	fc, err := auth.NewFileCache(filepath.Join(dir, "msal-cache.json"))
//	as, err := auth.NewFileAccountStore(filepath.Join(dir, "account.json"))
//	cred, err := auth.NewDeviceCodeCredential("organizations", clientID, prompt,
//		&auth.CredentialOptions{Cache: fc, AccountStore: as})
//
// The cache file holds refresh tokens: treat it like a password.
//
// # Sovereign clouds
//
// CredentialOptions.Cloud picks the login authority: office365.CloudGCCHigh
// and office365.CloudDoD sign in at login.microsoftonline.us,
// office365.CloudChina at login.chinacloudapi.cn, and CloudGCC at the public
// authority. The authority is Cloud.LoginAuthority + "/" + tenant.
// AuthorityHost overrides the host alone. MSAL knows the hosts of the
// national clouds; for any other host (a private cloud, a proxy, a fake) set
// DisableInstanceDiscovery, or MSAL asks login.microsoftonline.com to
// validate it first.
//
// # Testing with office365test.Entra
//
// office365test.Entra is a fake identity platform on an httptest TLS server
// that speaks the protocol MSAL uses (OpenID configuration, token, device
// code and authorization endpoints), so tests exercise MSAL's real code paths:
//
//	e := office365test.StartEntra(t)
//	e.AddClient(clientID, secret)
//	cred, err := auth.NewClientSecretCredential("contoso", clientID, secret, &auth.CredentialOptions{
//		AuthorityHost:            e.URL(),
//		HTTPClient:               e.HTTPClient(),
//		DisableInstanceDiscovery: true,
//	})
//
// Its counters (TokenRequests, GrantRequests) show whether a token came from
// the cache, and ValidToken lets other fakes check the bearer tokens they
// receive. AddFederatedCredential and FederatedToken set up workload identity
// federation; UserToken issues the user token a web API exchanges on behalf
// of its caller.
package auth
