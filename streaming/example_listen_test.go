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

// Subscribe to the Inbox with rich notifications (the Subject comes with
// each one) and listen. The fake server stands in for the service: two
// messages arrive in the mailbox.
func ExampleClient_Listen() {
	srv := office365test.NewServer()
	defer srv.Close()
	mailbox := office365test.NewMailbox()
	adele := mailbox.AddUser("adele.vance@contoso.com", "Adele Vance")
	mailbox.Register(srv)
	office365test.NewStreaming(office365test.StreamingMailbox(mailbox)).Register(srv)

	client, err := streaming.New(auth.StaticToken("token"), office365.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox).Select("Subject"))
	if err != nil {
		log.Fatal(err)
	}

	inbox := adele.FolderID("Inbox")
	adele.Insert(office365test.EntityMessage, inbox, office365test.Entity{"Subject": "Lunch?"})
	adele.Insert(office365test.EntityMessage, inbox, office365test.Entity{"Subject": "Quarterly report"})

	l, err := client.Listen(ctx, []*streaming.Subscription{sub}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	received := 0
	for ev, err := range l.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		switch ev.Kind {
		case streaming.EventNotification:
			msg, err := streaming.ResourceDataAs[struct{ Subject string }](ev.Notification)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("#%d %s: %s\n", ev.Notification.SequenceNumber, ev.Notification.ChangeType, msg.Subject)
			received++
		case streaming.EventGap:
			fmt.Println("changes may be missing; resynchronise:", ev.Gap)
		default:
			fmt.Println(ev.Kind)
		}
		if received == 2 {
			break
		}
	}
	// Output:
	// connected
	// #1 Created: Lunch?
	// #2 Created: Quarterly report
}
