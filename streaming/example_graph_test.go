package streaming_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

// The same subscription and listener served by Microsoft Graph, which has
// no streaming notifications: the listener polls the Inbox's delta query.
// Subscribe reads what exists (nothing is reported for it); then a message
// arrives, is read and is deleted.
func ExampleClient_Listen_graph() {
	srv := office365test.NewServer()
	defer srv.Close()
	mailbox := office365test.NewMailbox()
	adele := mailbox.AddUser("adele.vance@contoso.com", "Adele Vance")
	mailbox.Register(srv)
	graph := office365test.NewGraphMail(srv, mailbox)
	graph.Register(srv)
	defer graph.Close()
	inbox := adele.FolderID("Inbox")
	adele.Insert(office365test.EntityMessage, inbox, office365test.Entity{"Subject": "Old news"})

	client, err := streaming.New(auth.StaticToken("token"), office365.WithGraph(), office365.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox).Select("Subject", "IsRead"))
	if err != nil {
		log.Fatal(err)
	}
	l, err := client.Listen(ctx, []*streaming.Subscription{sub}, &streaming.ListenOptions{PollInterval: 50 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()

	id := adele.Insert(office365test.EntityMessage, inbox, office365test.Entity{"Subject": "Lunch?"})
	for ev, err := range l.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if ev.Kind != streaming.EventNotification {
			continue
		}
		n := ev.Notification
		if n.ChangeType == streaming.ChangeDeleted {
			fmt.Printf("#%d %s\n", n.SequenceNumber, n.ChangeType)
			break
		}
		msg, err := n.Message()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("#%d %s: %s (read: %t)\n", n.SequenceNumber, n.ChangeType, msg.Subject, msg.IsRead != nil && *msg.IsRead)
		if n.ChangeType == streaming.ChangeCreated {
			adele.Update(id, func(doc office365test.Entity) { doc["IsRead"] = true })
		} else {
			adele.Delete(id)
		}
	}
	// Output:
	// #1 Created: Lunch? (read: false)
	// #2 Updated: Lunch? (read: true)
	// #3 Deleted
}

// Every message of the mailbox on Microsoft Graph, which tracks messages
// per folder only: the subscription follows the folder list and one delta
// query per folder, so a folder created after Subscribe is watched too,
// and every notification comes in one sequence.
func ExampleMessages_graph() {
	srv := office365test.NewServer()
	defer srv.Close()
	mailbox := office365test.NewMailbox()
	adele := mailbox.AddUser("adele.vance@contoso.com", "Adele Vance")
	mailbox.Register(srv)
	graph := office365test.NewGraphMail(srv, mailbox)
	graph.Register(srv)
	defer graph.Close()

	client, err := streaming.New(auth.StaticToken("token"), office365.WithGraph(), office365.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := client.Subscribe(ctx, streaming.Messages().Select("Subject"))
	if err != nil {
		log.Fatal(err)
	}
	l, err := client.Listen(ctx, []*streaming.Subscription{sub}, &streaming.ListenOptions{PollInterval: 50 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()

	receipts, err := adele.CreateFolder("", "Receipts")
	if err != nil {
		log.Fatal(err)
	}
	adele.Insert(office365test.EntityMessage, receipts, office365test.Entity{"Subject": "Invoice 42"})
	for ev, err := range l.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if ev.Kind != streaming.EventNotification {
			continue
		}
		msg, err := ev.Notification.Message()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("#%d %s: %s\n", ev.Notification.SequenceNumber, ev.Notification.ChangeType, msg.Subject)
		if msg.Subject != "Invoice 42" {
			break
		}
		adele.Insert(office365test.EntityMessage, adele.FolderID("Inbox"), office365test.Entity{"Subject": "Lunch?"})
	}
	// Output:
	// #1 Created: Invoice 42
	// #2 Created: Lunch?
}
