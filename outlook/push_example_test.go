package outlook_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/office365-go/office365/outlook"
)

// Serve a Receiver, subscribe to the Inbox and receive a notification when
// mail arrives.
func ExampleReceiver() {
	client, _, stop := extrasExample()
	defer stop()
	ctx := context.Background()

	rcv, err := outlook.NewReceiver(outlook.ReceiverOptions{ClientState: "a-secret-of-yours"})
	if err != nil {
		log.Fatal(err)
	}
	hook := httptest.NewServer(rcv) // in production: an HTTPS server the service can reach
	defer hook.Close()

	adele := client.User("adele.vance@contoso.com")
	sub, err := adele.Subscriptions().Create(ctx, &outlook.PushSubscription{
		Resource:        adele.URL("MailFolders('Inbox')/messages"),
		NotificationURL: hook.URL + "/notify",
		ChangeType:      outlook.ChangeCreated,
		ClientState:     "a-secret-of-yours",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("subscribed:", sub.ChangeType)

	err = client.User("megan.bowen@contoso.com").Mail().SendMail(ctx, &outlook.Message{
		Subject: "Lunch?", Body: outlook.TextBody("Thursday?"), ToRecipients: outlook.Recipients("adele.vance@contoso.com")}, false)
	if err != nil {
		log.Fatal(err)
	}
	n := <-rcv.Notifications()
	msg, err := adele.Mail().Messages().Get(ctx, n.ResourceID(), &outlook.GetOptions{Select: []string{"Subject"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.ChangeType, n.SequenceNumber, msg.Subject)
	// Output:
	// subscribed: Created, Missed
	// Created 1 Lunch?
}
