package auth_test

import (
	"context"
	"fmt"
	"log"

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
