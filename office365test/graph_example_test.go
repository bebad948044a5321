package office365test_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/office365-go/office365/office365test"
)

// The fake serves one mailbox through Microsoft Graph v1.0 and the Outlook
// REST API: here a message is read through Graph, marked read in the
// mailbox's store (as an Outlook v2.0 PATCH would), and read again through
// Graph.
func ExampleGraphMail() {
	fake := office365test.Start(nil)
	defer fake.Close()

	get := func(path string, v any) {
		req, _ := http.NewRequest(http.MethodGet, fake.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer any-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		_ = json.NewDecoder(resp.Body).Decode(v)
	}
	var page struct {
		Value []struct {
			ID         string `json:"id"`
			Subject    string `json:"subject"`
			Importance string `json:"importance"`
			IsRead     bool   `json:"isRead"`
		} `json:"value"`
	}
	q := url.Values{"$filter": {"importance eq 'high'"}, "$select": {"subject,importance,isRead"}, "$top": {"1"}}
	get("/v1.0/me/mailFolders/inbox/messages?"+q.Encode(), &page)
	m := page.Value[0]
	fmt.Println(m.Subject, m.Importance, m.IsRead)

	// The store's documents use the Outlook names; Graph shows them camelCase.
	fake.Mailbox.Me().Update(m.ID, func(doc office365test.Entity) { doc["IsRead"] = true })
	get("/v1.0/me/mailFolders/inbox/messages?"+q.Encode(), &page)
	fmt.Println(page.Value[0].Subject, page.Value[0].IsRead)
	// Output:
	// Q3 budget review high false
	// Q3 budget review true
}
