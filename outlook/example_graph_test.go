package outlook_test

import (
	"context"
	"fmt"
	"log"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// The same calls served by Microsoft Graph: only the client option
// changes. The fake answers through its Graph front end (/v1.0), over the
// same mailbox as its Outlook v2.0 one.
func Example_graph() {
	fake := office365test.Start(nil)
	defer fake.Close()
	client, err := outlook.New(auth.StaticToken("token"), office365.WithGraph(), office365.WithBaseURL(fake.URL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	mail := client.User("adele.vance@contoso.com").Mail()

	n := 0
	for m, err := range mail.Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{
		Select: []string{"Subject", "From", "IsRead"}, Top: 3}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-30s from %s (read: %t)\n", m.Subject, m.From.EmailAddress.Name, *m.IsRead)
		if n++; n == 3 {
			break
		}
	}

	err = mail.SendMail(ctx, &outlook.Message{
		Subject:      "Offsite agenda",
		Body:         outlook.TextBody("Agenda attached."),
		ToRecipients: outlook.Recipients("alex.wilber@contoso.com"),
		Importance:   outlook.ImportanceHigh,
		Attachments:  outlook.Attachments{outlook.NewFileAttachment("agenda.txt", []byte("09:00 Coffee\n"))},
	}, true)
	if err != nil {
		log.Fatal(err)
	}
	alexInbox := client.User("alex.wilber@contoso.com").Mail().Messages().InFolder(outlook.FolderInbox)
	for m, err := range alexInbox.List(ctx, &outlook.ListOptions{Filter: "Subject eq 'Offsite agenda'", Expand: []string{"Attachments"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s importance, %d attachment %q\n", m.Subject, m.Importance, len(m.Attachments), m.Attachments[0].Common().Name)
	}
	// Output:
	// Q3 budget review               from Alex Wilber (read: false)
	// Lunch on Thursday?             from Megan Bowen (read: false)
	// [contoso/office365-go] Pull request #42 merged from GitHub (read: true)
	// Offsite agenda: High importance, 1 attachment "agenda.txt"
}
