// Command ours lists a user's messages through Microsoft Graph with this SDK,
// following the next links, and prints their subjects. It is the build-time
// and binary-size twin of cmd/msgraph (see ../../buildtime.sh).
//
//	GRAPH_TOKEN=… ours -user adele.vance@contoso.com [-url http://127.0.0.1:port]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
)

func main() {
	user := flag.String("user", "", "user principal name whose messages to list")
	baseURL := flag.String("url", "", "service root without /v1.0 (default https://graph.microsoft.com)")
	top := flag.Int("top", 100, "page size ($top)")
	flag.Parse()
	token := os.Getenv("GRAPH_TOKEN")
	if *user == "" || token == "" {
		log.Fatal("usage: GRAPH_TOKEN=… ours -user UPN [-url ROOT] [-top N]")
	}
	opts := []office365.Option{office365.WithGraph()}
	if *baseURL != "" {
		opts = append(opts, office365.WithBaseURL(*baseURL))
	}
	client, err := outlook.New(auth.StaticToken(token), opts...)
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for m, err := range client.User(*user).Mail().Messages().List(context.Background(), &outlook.ListOptions{Top: *top}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Subject)
		n++
	}
	fmt.Fprintf(os.Stderr, "%d messages\n", n)
}
