package auth_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
)

// A daemon authenticates with a client secret and asks for a token for the
// Office 365 Management APIs. The fake identity platform stands in for
// login.microsoftonline.com; against the real one, pass nil options (or just a
// Cloud and a Cache).
func ExampleNewClientSecretCredential() {
	idp := office365test.NewEntra()
	defer idp.Close()
	idp.AddClient("11111111-2222-3333-4444-555555555555", "client-secret")

	cred, err := auth.NewClientSecretCredential(
		"contoso.onmicrosoft.com",
		"11111111-2222-3333-4444-555555555555",
		"client-secret",
		&auth.CredentialOptions{
			AuthorityHost:            idp.URL(),
			HTTPClient:               idp.HTTPClient(),
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	scopes := []string{"https://manage.office.com/.default"}
	tok, err := cred.Token(ctx, scopes)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("type:", tok.TokenType)
	fmt.Println("accepted by the service:", idp.ValidToken(tok.AccessToken))

	again, _ := cred.Token(ctx, scopes)
	fmt.Println("served from the cache:", again.AccessToken == tok.AccessToken)
	fmt.Println("token requests:", idp.TokenRequests())
	// Output:
	// type: Bearer
	// accepted by the service: true
	// served from the cache: true
	// token requests: 1
}

// A program configured the way the Azure SDK for Go expects (AZURE_TENANT_ID,
// AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, a certificate or a federated token
// file) or with this module's O365_* names needs one line:
//
//	cred, err := auth.NewEnvironmentCredential(nil)
//
// Here the environment is a map and the identity platform a fake (which
// AZURE_AUTHORITY_HOST points at).
func ExampleNewEnvironmentCredential() {
	idp := office365test.NewEntra()
	defer idp.Close()
	idp.AddClient("11111111-2222-3333-4444-555555555555", "client-secret")
	environment := map[string]string{
		"AZURE_TENANT_ID":      "contoso.onmicrosoft.com",
		"AZURE_CLIENT_ID":      "11111111-2222-3333-4444-555555555555",
		"AZURE_CLIENT_SECRET":  "client-secret",
		"AZURE_AUTHORITY_HOST": idp.URL(),
	}

	cred, err := auth.NewEnvironmentCredential(&auth.EnvironmentOptions{
		CredentialOptions: auth.CredentialOptions{HTTPClient: idp.HTTPClient(), DisableInstanceDiscovery: true},
		LookupEnv: func(key string) (string, bool) {
			v, ok := environment[key]
			return v, ok
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T for tenant %s\n", cred.Underlying(), cred.TenantID())
	tok, err := cred.Token(context.Background(), []string{"https://manage.office.com/.default"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accepted by the service:", idp.ValidToken(tok.AccessToken))

	delete(environment, "AZURE_CLIENT_SECRET")
	_, err = auth.NewEnvironmentCredential(&auth.EnvironmentOptions{LookupEnv: func(key string) (string, bool) {
		v, ok := environment[key]
		return v, ok
	}})
	fmt.Println(err)
	// Output:
	// *auth.ClientSecretCredential for tenant contoso.onmicrosoft.com
	// accepted by the service: true
	// auth: no credential in the environment: missing one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE (set: AZURE_TENANT_ID, AZURE_CLIENT_ID)
}

// On Azure Kubernetes Service with workload identity, the pod gets a
// service account token in a file that the cluster rotates, and
// NewEnvironmentCredential picks it up from AZURE_FEDERATED_TOKEN_FILE. Here
// the fake identity platform plays the cluster's token issuer too.
func ExampleNewWorkloadIdentityCredential() {
	idp := office365test.NewEntra()
	defer idp.Close()
	const (
		clientID = "11111111-2222-3333-4444-555555555555"
		issuer   = "https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/"
		subject  = "system:serviceaccount:mail:reader"
	)
	idp.AddFederatedCredential(clientID, issuer, subject)
	dir, err := os.MkdirTemp("", "workload")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tokenFile := filepath.Join(dir, "azure-identity-token")
	if err := os.WriteFile(tokenFile, []byte(idp.FederatedToken(issuer, subject, time.Hour)), 0o600); err != nil {
		log.Fatal(err)
	}

	cred, err := auth.NewWorkloadIdentityCredential("contoso.onmicrosoft.com", clientID, tokenFile,
		&auth.CredentialOptions{AuthorityHost: idp.URL(), HTTPClient: idp.HTTPClient(), DisableInstanceDiscovery: true})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cred.Token(context.Background(), []string{"https://outlook.office.com/.default"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accepted by the service:", idp.ValidToken(tok.AccessToken))
	fmt.Println("client authentication:", idp.Requests()[0].ClientAuth)
	// Output:
	// accepted by the service: true
	// client authentication: federated
}

// A web API receives a user's token (addressed to it) and calls Outlook on
// that user's behalf. The app credential is built once; each request gets
// its own OnBehalfOf credential, and MSAL caches tokens per user.
func ExampleClientSecretCredential_OnBehalfOf() {
	idp := office365test.NewEntra()
	defer idp.Close()
	const webAPI = "11111111-2222-3333-4444-555555555555"
	idp.AddClient(webAPI, "client-secret")
	app, err := auth.NewClientSecretCredential("contoso.onmicrosoft.com", webAPI, "client-secret",
		&auth.CredentialOptions{AuthorityHost: idp.URL(), HTTPClient: idp.HTTPClient(), DisableInstanceDiscovery: true})
	if err != nil {
		log.Fatal(err)
	}

	// What a front end sends in "Authorization: Bearer ...".
	incoming := idp.UserToken("99999999-8888-7777-6666-555555555555", "api://"+webAPI+"/access_as_user")

	for range 2 { // two requests of the same user
		user, err := app.OnBehalfOf(incoming)
		if err != nil {
			log.Fatal(err)
		}
		tok, err := user.Token(context.Background(), []string{"https://outlook.office.com/Mail.Read"})
		if err != nil {
			log.Fatal(err)
		}
		info, _ := idp.LookupToken(tok.AccessToken)
		fmt.Println("token for", info.Username, info.Scopes)
	}
	fmt.Println("token requests:", idp.TokenRequests())
	// Output:
	// token for adele.vance@contoso.example [https://outlook.office.com/Mail.Read]
	// token for adele.vance@contoso.example [https://outlook.office.com/Mail.Read]
	// token requests: 1
}
