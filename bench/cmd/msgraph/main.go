// Command msgraph lists a user's messages through Microsoft Graph with
// msgraph-sdk-go and its page iterator, and prints their subjects. It is the
// build-time and binary-size twin of cmd/ours (see ../../buildtime.sh).
//
//	GRAPH_TOKEN=… msgraph -user adele.vance@contoso.com [-url http://127.0.0.1:port]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	abs "github.com/microsoft/kiota-abstractions-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// bearer authenticates every request with a fixed bearer token, as
// auth.StaticToken does for cmd/ours.
type bearer string

func (b bearer) AuthenticateRequest(_ context.Context, req *abs.RequestInformation, _ map[string]any) error {
	req.Headers.Add("Authorization", "Bearer "+string(b))
	return nil
}

func main() {
	user := flag.String("user", "", "user principal name whose messages to list")
	baseURL := flag.String("url", "", "service root without /v1.0 (default https://graph.microsoft.com)")
	top := flag.Int("top", 100, "page size ($top)")
	flag.Parse()
	token := os.Getenv("GRAPH_TOKEN")
	if *user == "" || token == "" {
		log.Fatal("usage: GRAPH_TOKEN=… msgraph -user UPN [-url ROOT] [-top N]")
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapter(bearer(token))
	if err != nil {
		log.Fatal(err)
	}
	if *baseURL != "" {
		adapter.SetBaseUrl(*baseURL + "/v1.0")
	}
	client := msgraphsdk.NewGraphServiceClient(adapter)
	ctx := context.Background()
	pageSize := int32(*top)
	first, err := client.Users().ByUserId(*user).Messages().Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Top: &pageSize},
	})
	if err != nil {
		log.Fatal(err)
	}
	it, err := msgraphcore.NewPageIterator[models.Messageable](first, adapter, models.CreateMessageCollectionResponseFromDiscriminatorValue)
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	err = it.Iterate(ctx, func(m models.Messageable) bool {
		if s := m.GetSubject(); s != nil {
			fmt.Println(*s)
		}
		n++
		return true
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%d messages\n", n)
}
