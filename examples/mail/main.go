// Command mail shows the Outlook Mail API: it lists the Inbox as a table,
// page by page, sends a message with an attachment, replies to it when it
// arrives, and moves it to a "Processed" folder.
//
// It reads app-only credentials from the environment:
//
//	O365_TENANT_ID      tenant id or domain (contoso.onmicrosoft.com)
//	O365_CLIENT_ID      application (client) id of an app registration with the
//	                    Office 365 Exchange Online application permissions
//	                    Mail.ReadWrite and Mail.Send
//	O365_CLIENT_SECRET  a client secret of that app
//	O365_MAILBOX        the mailbox to work in (UPN or SMTP address); app-only
//	                    tokens address users/{upn}, never "me"
//	O365_MAIL_TO        optional: recipient of the test message (default:
//	                    O365_MAILBOX itself, so nobody else gets mail)
//	O365_CLOUD          optional: public (default), gcc, gcc-high, dod or china
//
// When none of the first four is set it starts the in-process fake mailbox
// from office365test (with sample data) and says so on stderr, so
//
//	go run ./examples/mail
//
// works on a fresh clone without any account.
//
// With -graph (or O365_API=graph) the same calls are served by Microsoft Graph
// v1.0 (office365.WithGraph): the app then needs the Microsoft Graph
// permissions Mail.ReadWrite and Mail.Send instead, and the fake answers
// through its Graph front end.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/outlook"
)

func main() {
	pages := flag.Int("pages", 2, "how many Inbox pages to list")
	pageSize := flag.Int("page-size", 10, "messages per page")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()
	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mail:", err)
		os.Exit(2)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	mb, to, closeFake, err := connect(graph)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mail:", err)
		os.Exit(1)
	}
	defer closeFake()
	if err := run(ctx, mb, to, *pages, *pageSize); err != nil {
		fmt.Fprintln(os.Stderr, "mail:", err)
		if outlook.IsMailboxNotEnabled(err) {
			fmt.Fprintln(os.Stderr, "mail: this mailbox is not enabled for the Outlook REST API")
		}
		closeFake()
		os.Exit(1)
	}
}

func run(ctx context.Context, mb *outlook.Mailbox, to string, pages, pageSize int) error {
	mail := mb.Mail()

	// 1. The Inbox as a table, page by page.
	inbox := mail.Messages().InFolder(outlook.FolderInbox)
	opts := &outlook.ListOptions{
		Select:  []string{"Subject", "From", "ReceivedDateTime", "IsRead", "HasAttachments"},
		OrderBy: []string{"ReceivedDateTime desc"},
		Top:     pageSize,
		Count:   true,
	}
	n := 0
	for page, err := range inbox.ListPages(ctx, opts) {
		if err != nil {
			return fmt.Errorf("listing the Inbox: %w", err)
		}
		n++
		total := "?"
		if page.Count != nil {
			total = fmt.Sprint(*page.Count)
		}
		fmt.Printf("Inbox, page %d (%s messages in all)\n", n, total)
		printTable(page.Value)
		if n >= pages {
			break
		}
	}

	// 2. Send a message with an attachment.
	subject := "office365-go example " + time.Now().UTC().Format("2006-01-02 15:04:05")
	msg := &outlook.Message{
		Subject:      subject,
		Body:         outlook.HTMLBody("<p>Hello from the <b>office365-go</b> mail example.</p>"),
		ToRecipients: outlook.Recipients(to),
		Attachments: outlook.Attachments{&outlook.FileAttachment{
			AttachmentBase: outlook.AttachmentBase{Name: "hello.txt", ContentType: "text/plain"},
			ContentBytes:   []byte("Hello, attachment!\n"),
		}},
	}
	if err := mail.SendMail(ctx, msg, true); err != nil {
		return fmt.Errorf("sending: %w", err)
	}
	fmt.Printf("\nSent %q with hello.txt to %s\n", subject, to)

	// 3. Wait for it to arrive (delivery is asynchronous on the real service).
	received, err := waitFor(ctx, inbox, subject)
	if err != nil {
		return err
	}
	fmt.Printf("Received it: id %.24s…, %d attachment(s)\n", received.ID, countAttachments(ctx, mail, received.ID))

	// 4. Reply.
	if err := mail.Messages().Reply(ctx, received.ID, "Thanks, got it!"); err != nil {
		return fmt.Errorf("replying: %w", err)
	}
	fmt.Println("Replied to it")

	// 5. Move it to a "Processed" folder (created when missing).
	folder, err := ensureFolder(ctx, mail.Folders(), "Processed")
	if err != nil {
		return err
	}
	moved, err := mail.Messages().Move(ctx, received.ID, folder.ID)
	if err != nil {
		return fmt.Errorf("moving: %w", err)
	}
	fmt.Printf("Moved it to %q (new id %.24s…)\n", folder.DisplayName, moved.ID)
	return nil
}

func printTable(msgs []outlook.Message) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  \tRECEIVED\tFROM\tSUBJECT\t")
	for _, m := range msgs {
		mark := []byte("  ")
		if m.IsRead != nil && !*m.IsRead {
			mark[0] = '*' // unread
		}
		if m.HasAttachments != nil && *m.HasAttachments {
			mark[1] = '@' // has attachments
		}
		when := ""
		if m.ReceivedDateTime != nil {
			when = m.ReceivedDateTime.Local().Format("Jan 02 15:04")
		}
		from := ""
		if m.From != nil {
			from = m.From.EmailAddress.Name
			if from == "" {
				from = m.From.EmailAddress.Address
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", string(mark), when, clip(from, 24), clip(m.Subject, 50))
	}
	w.Flush()
	fmt.Println()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func waitFor(ctx context.Context, inbox *outlook.MessagesService, subject string) (*outlook.Message, error) {
	opts := &outlook.ListOptions{Filter: "Subject eq " + office365.QuoteString(subject), Select: []string{"Subject"}, Top: 1}
	for delay := 500 * time.Millisecond; ; delay = min(2*delay, 5*time.Second) {
		for m, err := range inbox.List(ctx, opts) {
			if err != nil {
				return nil, fmt.Errorf("looking for the message: %w", err)
			}
			return m, nil
		}
		select {
		case <-ctx.Done():
			return nil, errors.New("the message did not arrive in time")
		case <-time.After(delay):
		}
	}
}

func countAttachments(ctx context.Context, mail *outlook.MailService, id string) int {
	n := 0
	for _, err := range mail.Messages().Attachments(id).List(ctx, &outlook.ListOptions{Select: []string{"Name", "Size"}}) {
		if err == nil {
			n++
		}
	}
	return n
}

func ensureFolder(ctx context.Context, folders *outlook.FoldersService, name string) (*outlook.MailFolder, error) {
	for f, err := range folders.List(ctx, &outlook.ListOptions{Filter: "DisplayName eq " + office365.QuoteString(name)}) {
		if err != nil {
			return nil, fmt.Errorf("finding folder %q: %w", name, err)
		}
		return f, nil
	}
	f, err := folders.Create(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("creating folder %q: %w", name, err)
	}
	return f, nil
}

// connect returns the mailbox to use: the real one described by the
// environment (O365_MAIL_TO, optional, is where the example mails go), or
// one in the in-process fake.
func connect(graph bool) (mb *outlook.Mailbox, to string, closeFn func(), err error) {
	env, err := exampleenv.Load("mail", true, nil)
	if err != nil {
		return nil, "", nil, err
	}
	c, err := outlook.New(env.Credential, env.ClientOptions("mail", graph)...)
	if err != nil {
		env.Close()
		return nil, "", nil, err
	}
	to = os.Getenv("O365_MAIL_TO")
	if to == "" || env.IsFake() {
		to = env.Mailbox
	}
	return c.User(env.Mailbox), to, env.Close, nil
}
