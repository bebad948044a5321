package azadapter_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	office365 "github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/auth/azadapter"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

// Any azcore.TokenCredential works with this module's clients. With
// azidentity, on a VM or in a pod with a managed identity, on a developer's
// machine after "az login", or with the AZURE_* variables:
//
//	azcred, err := azidentity.NewDefaultAzureCredential(nil)
//	client, err := servicecomms.New(tenantID, azadapter.FromTokenCredential(azcred))
//
// Here the TokenCredential is one of package auth, adapted for azcore, and
// the service is the fake.
func ExampleFromTokenCredential() {
	idp := office365test.NewEntra()
	defer idp.Close()
	idp.AddClient("11111111-2222-3333-4444-555555555555", "client-secret")
	app, err := auth.NewClientSecretCredential("contoso.onmicrosoft.com", "11111111-2222-3333-4444-555555555555", "client-secret",
		&auth.CredentialOptions{AuthorityHost: idp.URL(), HTTPClient: idp.HTTPClient(), DisableInstanceDiscovery: true})
	if err != nil {
		log.Fatal(err)
	}
	azcred := azadapter.ToTokenCredential(app) // stands in for an azidentity credential

	fake := office365test.Start(&office365test.FakeOptions{
		Server: []office365test.ServerOption{office365test.WithTokenValidator(idp.ValidToken)},
	})
	defer fake.Close()
	client, err := servicecomms.New("contoso.onmicrosoft.com", azadapter.FromTokenCredential(azcred), office365.WithBaseURL(fake.URL()))
	if err != nil {
		log.Fatal(err)
	}
	services, err := client.Services(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("services found:", len(services) > 0)
	// Output:
	// services found: true
}

// A credential of package auth (here from the environment's AZURE_* or
// O365_* variables) authenticates an Azure SDK client: anything that takes an
// azcore.TokenCredential, such as a client's constructor or, as here, a
// pipeline with a BearerTokenPolicy.
func ExampleToTokenCredential() {
	idp := office365test.NewEntra()
	defer idp.Close()
	idp.AddClient("11111111-2222-3333-4444-555555555555", "client-secret")
	environment := map[string]string{
		"O365_TENANT_ID":     "contoso.onmicrosoft.com",
		"O365_CLIENT_ID":     "11111111-2222-3333-4444-555555555555",
		"O365_CLIENT_SECRET": "client-secret",
	}
	cred, err := auth.NewEnvironmentCredential(&auth.EnvironmentOptions{
		CredentialOptions: auth.CredentialOptions{AuthorityHost: idp.URL(), HTTPClient: idp.HTTPClient(), DisableInstanceDiscovery: true},
		LookupEnv:         func(k string) (string, bool) { v, ok := environment[k]; return v, ok },
	})
	if err != nil {
		log.Fatal(err)
	}

	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := idp.Authenticate(r); !ok {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer api.Close()
	pipeline := runtime.NewPipeline("example", "v1.0.0", runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(azadapter.ToTokenCredential(cred), []string{"https://manage.office.com/.default"}, nil)},
	}, &policy.ClientOptions{Transport: api.Client()})
	req, err := runtime.NewRequest(context.Background(), http.MethodGet, api.URL)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := pipeline.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// 200 OK
}
