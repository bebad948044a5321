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

// extrasExample starts the fake with its sample mailboxes, $batch and push
// notifications.
func extrasExample() (*outlook.Client, *office365test.Push, func()) {
	srv := office365test.NewServer()
	mb := office365test.NewMailbox(office365test.WithSampleData())
	mb.Register(srv)
	office365test.NewBatch(srv).Register(mb)
	push := office365test.NewPush()
	push.Register(mb)
	client, err := outlook.New(auth.StaticToken("token"), office365.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	return client, push, func() { push.Close(); srv.Close() }
}

// Three typed calls in one $batch request; each has its own result.
func ExampleBatch() {
	client, _, stop := extrasExample()
	defer stop()
	ctx := context.Background()

	b := client.User("adele.vance@contoso.com").NewBatch(nil)
	inbox := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.MailFolder, error) {
		return mb.Mail().Folders().Get(ctx, outlook.FolderInbox, nil)
	})
	missing := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
		return mb.Mail().Messages().Get(ctx, "AAMkNoSuchMessage=", nil)
	})
	sent := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
		return mb.Mail().SendMail(ctx, &outlook.Message{Subject: "Batched hello", Body: outlook.TextBody("Hi!"),
			ToRecipients: outlook.Recipients("megan.bowen@contoso.com")}, true)
	})
	if err := b.Send(ctx); err != nil {
		log.Fatal(err)
	}

	f, err := inbox.Result()
	fmt.Println(f.DisplayName, inbox.StatusCode(), err)
	_, err = missing.Result()
	fmt.Println(missing.StatusCode(), office365.IsNotFound(err))
	fmt.Println(sent.StatusCode(), sent.Err())
	// Output:
	// Inbox 200 <nil>
	// 404 true
	// 202 <nil>
}
