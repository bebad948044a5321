// Command push shows Outlook push notifications (webhooks): it serves an
// outlook.Receiver, subscribes to the Inbox, prints a line per notification
// as mail arrives, and unsubscribes after -duration.
//
// It reads app-only credentials from the environment:
//
//	O365_TENANT_ID      tenant id or domain (contoso.onmicrosoft.com)
//	O365_CLIENT_ID      application (client) id of an app registration with the
//	                    Office 365 Exchange Online application permission
//	                    Mail.Read
//	O365_CLIENT_SECRET  a client secret of that app
//	O365_MAILBOX        the mailbox to watch (UPN or SMTP address)
//	O365_CLOUD          optional: public (default), gcc, gcc-high, dod or china
//
// With credentials the service must reach the receiver over HTTPS: run a
// TLS-terminating tunnel or proxy to -listen and give its public URL with
// -public-url.
//
// When none of the first four is set it starts the in-process fake from
// office365test, serves the receiver on localhost, and sends -mail messages
// to the watched mailbox so that something happens:
//
//	go run ./examples/push -duration 5s
//
// With -graph (or O365_API=graph) the same calls are served by Microsoft Graph
// v1.0 (office365.WithGraph): the app then needs the Microsoft Graph
// permission Mail.Read instead, and the fake answers through its Graph front
// end: the subscription goes to /subscriptions and the receiver accepts
// Graph's validation request, which carries no ClientState.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/outlook"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "how long to listen before unsubscribing and exiting")
	listen := flag.String("listen", "127.0.0.1:0", "address the receiver listens on")
	publicURL := flag.String("public-url", "", "HTTPS URL at which the service reaches the receiver (required with credentials)")
	mails := flag.Int("mail", 3, "messages the fake sends to the watched mailbox (fake only)")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()
	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "push:", err)
		os.Exit(2)
	}
	if err := run(*duration, *listen, *publicURL, *mails, graph); err != nil {
		fmt.Fprintln(os.Stderr, "push:", err)
		os.Exit(1)
	}
}

func run(duration time.Duration, listen, publicURL string, mails int, graph bool) error {
	if duration <= 0 {
		return errors.New("-duration must be positive")
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()

	env, err := connect(graph)
	if err != nil {
		return err
	}
	defer env.close()

	// The secret the service echoes in the ClientState header of every
	// notification; the receiver rejects requests without it.
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	clientState := base64.RawURLEncoding.EncodeToString(secret)
	// Graph validates the endpoint without the ClientState (and puts it in
	// every notification's body instead).
	rcv, err := outlook.NewReceiver(outlook.ReceiverOptions{ClientState: clientState, AllowValidationWithoutClientState: graph})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /outlook/notify", rcv)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
		rcv.Close()
	}()

	notifyURL := strings.TrimRight(publicURL, "/") + "/outlook/notify"
	switch {
	case publicURL == "" && env.fake:
		notifyURL = "http://" + ln.Addr().String() + "/outlook/notify"
	case publicURL == "":
		return errors.New("-public-url is required with real credentials: the service must reach the receiver over HTTPS")
	}
	fmt.Printf("receiver listening on %s (notifications at %s)\n", ln.Addr(), notifyURL)

	mb := env.mailbox
	sub, err := mb.Subscriptions().Create(ctx, &outlook.PushSubscription{
		Resource:        mb.URL("MailFolders('Inbox')/messages"),
		NotificationURL: notifyURL,
		ChangeType:      outlook.JoinChangeTypes(outlook.ChangeCreated, outlook.ChangeUpdated, outlook.ChangeDeleted),
		ClientState:     clientState,
	})
	if err != nil {
		return fmt.Errorf("subscribing: %w", err)
	}
	fmt.Printf("subscribed %s… (%s) until %s\n", sub.ID[:min(12, len(sub.ID))], sub.ChangeType, sub.ExpiresAt().Format(time.RFC3339))
	defer func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		if err := mb.Subscriptions().Delete(dctx, sub.ID); err != nil {
			fmt.Fprintln(os.Stderr, "push: unsubscribing:", err)
			return
		}
		fmt.Println("unsubscribed")
	}()

	if env.fake {
		go env.sendMail(ctx, mails, duration)
	}

	for {
		select {
		case <-ctx.Done():
			st := rcv.Stats()
			fmt.Printf("done after %s: %d notifications, %d validations, %d rejected requests\n",
				duration, st.Delivered, st.Validations, st.Unauthorized+st.Rejected)
			return nil
		case n, ok := <-rcv.Notifications():
			if !ok {
				return nil
			}
			describe(ctx, mb, n)
		}
	}
}

// describe prints one notification with the subject of the message.
func describe(ctx context.Context, mb *outlook.Mailbox, n outlook.Notification) {
	line := fmt.Sprintf("%s %-8s", time.Now().Format("15:04:05"), n.ChangeType)
	if n.SequenceNumber > 0 { // Graph numbers nothing
		line = fmt.Sprintf("%s #%d %-8s", time.Now().Format("15:04:05"), n.SequenceNumber, n.ChangeType)
	}
	switch {
	case n.ChangeType == outlook.ChangeMissed:
		fmt.Println(line, "notifications were lost: resynchronise the folder")
		return
	case n.ChangeType == outlook.ChangeSubscriptionRemoved, n.ChangeType == outlook.ChangeReauthorizationRequired:
		fmt.Println(line, "(a Graph lifecycle event: renew or recreate the subscription)")
		return
	case n.ChangeType == outlook.ChangeDeleted:
		fmt.Println(line, n.ResourceID())
		return
	}
	msg, err := mb.Mail().Messages().Get(ctx, n.ResourceID(), &outlook.GetOptions{Select: []string{"Subject", "From"}})
	if err != nil {
		fmt.Println(line, n.ResourceID(), "(", err, ")")
		return
	}
	from := ""
	if msg.From != nil {
		from = msg.From.EmailAddress.String()
	}
	fmt.Printf("%s %q from %s\n", line, msg.Subject, from)
}

type environment struct {
	mailbox  *outlook.Mailbox
	fake     bool
	close    func()
	sendMail func(ctx context.Context, n int, within time.Duration)
}

// connect uses the credentials from the environment, or starts the fake.
func connect(graph bool) (*environment, error) {
	ex, err := exampleenv.Load("push", true, nil)
	if err != nil {
		return nil, err
	}
	c, err := outlook.New(ex.Credential, ex.ClientOptions("push", graph)...)
	if err != nil {
		ex.Close()
		return nil, err
	}
	if !ex.IsFake() {
		return &environment{mailbox: c.User(ex.Mailbox), close: ex.Close}, nil
	}
	users := ex.Fake.Mailbox.Users()
	watched, sender := users[0].UPN, users[len(users)-1].UPN
	env := &environment{mailbox: c.User(watched), fake: true, close: ex.Close}
	env.sendMail = func(ctx context.Context, n int, within time.Duration) {
		gap := within / time.Duration(n+1)
		for i := range n {
			select {
			case <-ctx.Done():
				return
			case <-time.After(gap):
			}
			err := c.User(sender).Mail().SendMail(ctx, &outlook.Message{
				Subject:      fmt.Sprintf("Push demo %d of %d", i+1, n),
				Body:         outlook.TextBody("Sent by examples/push through the fake."),
				ToRecipients: outlook.Recipients(watched),
			}, false)
			if err != nil && ctx.Err() == nil {
				fmt.Fprintln(os.Stderr, "push: sending demo mail:", err)
			}
		}
	}
	return env, nil
}
