package outlook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// exampleFake starts the fake Outlook service with its sample mailboxes.
func exampleFake() (*outlook.Client, func()) {
	srv := office365test.NewServer()
	office365test.NewMailbox(office365test.WithSampleData()).Register(srv)
	client, err := outlook.New(auth.StaticToken("token"), office365.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	return client, srv.Close
}

// List the newest Inbox messages, send a message with an attachment, and
// find it in the recipient's Inbox.
func Example_mail() {
	client, stop := exampleFake()
	defer stop()
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

	err := mail.SendMail(ctx, &outlook.Message{
		Subject:      "Offsite agenda",
		Body:         outlook.TextBody("Agenda attached."),
		ToRecipients: outlook.Recipients("alex.wilber@contoso.com"),
		Attachments: outlook.Attachments{&outlook.FileAttachment{
			AttachmentBase: outlook.AttachmentBase{Name: "agenda.txt"}, ContentBytes: []byte("09:00 Coffee\n")}},
	}, true)
	if err != nil {
		log.Fatal(err)
	}
	alexInbox := client.User("alex.wilber@contoso.com").Mail().Messages().InFolder(outlook.FolderInbox)
	for m, err := range alexInbox.List(ctx, &outlook.ListOptions{Filter: "Subject eq 'Offsite agenda'", Expand: []string{"Attachments"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("Alex received %q from %s with %s\n", m.Subject, m.From.EmailAddress.Address, m.Attachments[0].Common().Name)
	}
	// Output:
	// Q3 budget review               from Alex Wilber (read: false)
	// Lunch on Thursday?             from Megan Bowen (read: false)
	// [contoso/office365-go] Pull request #42 merged from GitHub (read: true)
	// Alex received "Offsite agenda" from adele.vance@contoso.com with agenda.txt
}

// Synchronise a folder: persist the state after every page, and resume
// from it later (for example after a restart).
func ExampleMessagesService_Delta() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	inbox := client.Me().Mail().Messages().InFolder(outlook.FolderInbox)

	var saved []byte // in a real service: a file or a database column
	sync := func() {
		var state outlook.DeltaState
		if err := state.UnmarshalText(saved); err != nil {
			log.Fatal(err)
		}
		changed, removed := 0, 0
		for page, err := range inbox.Delta(ctx, &state, &outlook.DeltaOptions{Select: []string{"Subject"}, MaxPageSize: 10}) {
			if err != nil {
				log.Fatal(err)
			}
			for _, ch := range page.Changes {
				if ch.Removed {
					removed++
				} else {
					changed++
				}
			}
			if saved, err = page.State.MarshalText(); err != nil { // after processing the page
				log.Fatal(err)
			}
		}
		fmt.Printf("changed %d, removed %d\n", changed, removed)
	}
	sync() // initial: every message

	var first string
	for m, err := range inbox.List(ctx, &outlook.ListOptions{Top: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		first = m.ID
		break
	}
	if err := client.Me().Mail().Messages().Delete(ctx, first); err != nil {
		log.Fatal(err)
	}
	sync() // only the deletion
	// Output:
	// changed 27, removed 0
	// changed 0, removed 1
}

// MessageUpdate sends only the properties that are set, including nulls.
func ExampleMessageUpdate() {
	u := outlook.MessageUpdate{
		IsRead:     outlook.Set(true),
		Categories: outlook.Set([]string{"Follow up"}),
		Flag:       outlook.Null[outlook.FollowupFlag](),
	}
	b, _ := json.Marshal(u)
	fmt.Println(string(b))
	// Output: {"Categories":["Follow up"],"Flag":null,"IsRead":true}
}
