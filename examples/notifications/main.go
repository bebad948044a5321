// Command notifications subscribes to the Inbox with Outlook streaming
// notifications (rich: each one carries the Subject) and prints them as
// they arrive, with everything the listener reports: connections,
// reconnections, gaps (changes that may have been missed, to repair with a
// delta sync) and subscriptions renewed after expiry.
//
// Streaming notifications act for the signed-in user, so it signs in with
// the device-code flow:
//
//	O365_TENANT_ID  tenant id or domain (contoso.onmicrosoft.com), or "organizations"
//	O365_CLIENT_ID  application (client) id of a public client app registration
//	                ("Allow public client flows") with the delegated Office 365
//	                Exchange Online permission Mail.Read
//	O365_CLOUD      optional: public (default), gcc, gcc-high, dod or china
//
// When neither is set it starts the in-process fake (mailbox and streaming
// service) from office365test, says so on stderr, and sends a message to the
// mailbox every -every so that something happens:
//
//	go run ./examples/notifications
//	go run ./examples/notifications -faults -duration 30s
//
// With -faults the fake also drops, stalls, throttles and expires things
// (and keeps its connections short), so you can watch the listener recover
// and report what may have been lost.
//
// With -graph (or O365_API=graph) the same listener is served by Microsoft
// Graph, which has no streaming notifications: it polls the Inbox's delta
// query every -poll instead (the fake serves Graph too, with faults of its
// own: throttling, invalidated delta tokens, gateway errors, cut answers).
// A real tenant then needs the delegated Microsoft Graph permission
// Mail.Read.
//
//	go run ./examples/notifications -graph -faults -duration 30s
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
	"github.com/office365-go/office365/streaming"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "listen for this long, then exit")
	faults := flag.Bool("faults", false, "fake only: inject network faults, throttling and expiry")
	every := flag.Duration("every", time.Second, "fake only: how often a message arrives")
	poll := flag.Duration("poll", time.Second, "with -graph: how often the delta query is polled")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()

	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "notifications:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	client, opts, fake, err := connect(*faults, graph, *poll)
	if err != nil {
		fmt.Fprintln(os.Stderr, "notifications:", err)
		os.Exit(1)
	}
	if fake != nil {
		defer fake.close()
	}
	if err := run(ctx, client, opts, fake, *every, *faults); err != nil {
		fmt.Fprintln(os.Stderr, "notifications:", err)
		if fake != nil {
			fake.close()
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, client *streaming.Client, opts *streaming.ListenOptions, fake *fakeService, every time.Duration, faults bool) error {
	sub, err := client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox).Select("Subject", "From"))
	if err != nil {
		return fmt.Errorf("subscribing: %w", err)
	}
	fmt.Printf("subscribed to %s\n  id %s\n", sub.Resource, short(sub.ID))

	l, err := client.Listen(ctx, []*streaming.Subscription{sub}, opts)
	if err != nil {
		return err
	}
	defer l.Close()
	if fake != nil {
		go fake.drive(ctx, every, faults)
	}

	for ev, err := range l.All(ctx) {
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				break // -duration elapsed
			}
			return err
		}
		printEvent(ev)
	}
	st := l.Stats()
	fmt.Printf("\n%d connections, %d interrupted, %d gaps reported, %d resubscriptions, %d duplicates dropped\n",
		st.Connections, st.Disconnects, st.Gaps, st.Resubscriptions, st.Duplicates)
	return nil
}

// printEvent shows one event on one line.
func printEvent(ev streaming.Event) {
	at := time.Now().Format("15:04:05.000")
	switch ev.Kind {
	case streaming.EventNotification:
		n := ev.Notification
		msg, _ := streaming.ResourceDataAs[struct {
			Subject string
			From    *struct {
				EmailAddress struct{ Name, Address string }
			}
		}](n)
		from := ""
		if msg.From != nil {
			from = " from " + cmp.Or(msg.From.EmailAddress.Name, msg.From.EmailAddress.Address)
		}
		fmt.Printf("%s  #%-3d %-8s %q%s\n", at, n.SequenceNumber, n.ChangeType, msg.Subject, from)
	case streaming.EventGap:
		g := ev.Gap
		span := fmt.Sprintf("#%d–#%d", g.FromSeq, g.ToSeq)
		if g.Open() {
			span = fmt.Sprintf("#%d onwards", g.FromSeq)
		}
		if g.Reason == streaming.GapResync {
			fmt.Printf("%s  GAP      %s: Graph invalidated the delta token; syncing afresh (deletions meanwhile are not listed one by one)\n", at, g.Reason)
			break
		}
		fmt.Printf("%s  GAP      %s: notifications %s may be missing; a delta sync of the Inbox would repair it\n", at, g.Reason, span)
	case streaming.EventResubscribed:
		r := ev.Resubscribed
		fmt.Printf("%s  RENEWED  subscription %s expired; new id %s\n", at, short(r.Old.ID), short(r.New.ID))
	case streaming.EventConnected:
		fmt.Printf("%s  connected (%d subscription(s))\n", at, len(ev.Connection.SubscriptionIDs))
	case streaming.EventDisconnected:
		c := ev.Connection
		fmt.Printf("%s  disconnected (attempt %d): %v; retrying in %s\n", at, c.Attempt, c.Err, c.RetryIn.Round(time.Millisecond))
	}
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12] + "…"
	}
	return id
}

// connect builds a client from O365_TENANT_ID and O365_CLIENT_ID (device
// code sign-in), or, when neither is set, starts the in-process fake.
func connect(faults, graph bool, poll time.Duration) (*streaming.Client, *streaming.ListenOptions, *fakeService, error) {
	tenant, clientID := os.Getenv("O365_TENANT_ID"), os.Getenv("O365_CLIENT_ID")
	switch {
	case tenant != "" && clientID != "":
		cloud := office365.CloudPublic
		if n := os.Getenv("O365_CLOUD"); n != "" {
			var err error
			if cloud, err = office365.CloudByName(n); err != nil {
				return nil, nil, nil, err
			}
		}
		cred, err := auth.NewDeviceCodeCredential(tenant, clientID, nil, &auth.CredentialOptions{Cloud: cloud})
		if err != nil {
			return nil, nil, nil, err
		}
		if graph {
			c, err := streaming.New(cred, office365.WithCloud(cloud), office365.WithGraph(),
				streaming.WithScopes(strings.TrimRight(cloud.GraphHost, "/")+"/Mail.Read"))
			return c, &streaming.ListenOptions{PollInterval: poll}, nil, err
		}
		c, err := streaming.New(cred, office365.WithCloud(cloud),
			streaming.WithScopes(strings.TrimRight(cloud.OutlookHost, "/")+"/Mail.Read"))
		return c, nil, nil, err
	case tenant != "" || clientID != "":
		return nil, nil, nil, errors.New("set both O365_TENANT_ID and O365_CLIENT_ID, or neither to use the fake service")
	}
	f, err := startFake(faults, graph)
	if err != nil {
		return nil, nil, nil, err
	}
	fmt.Fprintf(os.Stderr, "notifications: O365_TENANT_ID and O365_CLIENT_ID are not set; using the in-process fake at %s\n\n", f.srv.URL())
	copts := []office365.Option{office365.WithBaseURL(f.srv.URL())}
	if graph {
		copts = append(copts, office365.WithGraph())
		fmt.Fprintf(os.Stderr, "notifications: speaking Microsoft Graph to the fake: polling the Inbox's delta query every %s\n\n", poll)
	}
	c, err := streaming.New(auth.StaticToken("fake-token"), copts...)
	if err != nil {
		f.close()
		return nil, nil, nil, err
	}
	if graph {
		// A short idle timeout so that a stalled answer is given up quickly.
		return c, &streaming.ListenOptions{PollInterval: poll, KeepAliveInterval: time.Second, IdleTimeout: 3 * time.Second,
			MinBackoff: 250 * time.Millisecond, MaxBackoff: 2 * time.Second}, f, nil
	}
	// Short intervals so that a demo of a few seconds shows the watchdog
	// (3 missed keep-alives) and the backoff at work.
	opts := &streaming.ListenOptions{KeepAliveInterval: time.Second, MinBackoff: 250 * time.Millisecond, MaxBackoff: 2 * time.Second}
	return c, opts, f, nil
}

// fakeService is the in-process fake and the activity driven on it.
type fakeService struct {
	srv    *office365test.Server
	stream *office365test.Streaming
	graph  *office365test.GraphMail // with -graph
	mail   *outlook.Mailbox
	me     string
}

func startFake(faults, graph bool) (*fakeService, error) {
	srv := office365test.NewServer()
	mb := office365test.NewMailbox(office365test.WithSampleData())
	mb.Register(srv)
	var gm *office365test.GraphMail
	if graph {
		gm = office365test.NewGraphMail(srv, mb)
		gm.Register(srv)
	}
	opts := []office365test.StreamingOption{office365test.StreamingMailbox(mb)}
	if faults {
		// Routine reconnections every few seconds, and a small queue so
		// that a burst during an outage overflows into a Missed notification.
		opts = append(opts, office365test.StreamingMaxConnectionTime(4*time.Second), office365test.StreamingBufferSize(3))
	}
	st := office365test.NewStreaming(opts...)
	st.Register(srv)
	oc, err := outlook.New(auth.StaticToken("fake-token"), office365.WithBaseURL(srv.URL()))
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &fakeService{srv: srv, stream: st, graph: gm, mail: oc.Me(), me: mb.Me().UPN}, nil
}

func (f *fakeService) close() {
	if f.graph != nil {
		f.graph.Close()
	}
	f.stream.Close()
	f.srv.Close()
}

var subjects = []string{"Lunch on Friday?", "Quarterly report {draft}", "Re: budget, v2", "Build failed: main", `The "new" office`,
	"Invitation: design review", "Your parcel is on its way", "Fwd: minutes [Mon]"}

// drive sends a message to the mailbox every so often and, with faults,
// breaks something every few seconds.
func (f *fakeService) drive(ctx context.Context, every time.Duration, faults bool) {
	send := time.NewTicker(every)
	defer send.Stop()
	var breakTicks <-chan time.Time
	if faults {
		t := time.NewTicker(3 * time.Second)
		defer t.Stop()
		breakTicks = t.C
	}
	n := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-send.C:
			n++
			msg := &outlook.Message{Subject: subjects[n%len(subjects)], ToRecipients: outlook.Recipients(f.me)}
			if err := f.mail.Mail().SendMail(ctx, msg, false); err != nil && ctx.Err() == nil {
				fmt.Fprintln(os.Stderr, "notifications: sending a message:", err)
			}
		case <-breakTicks:
			f.breakSomething(ctx)
		}
	}
}

func (f *fakeService) breakSomething(ctx context.Context) {
	if f.graph != nil {
		f.breakGraph(ctx)
		return
	}
	const gn = "getnotifications"
	switch rand.IntN(6) {
	case 0:
		fmt.Println("   ~~ fault: the connection drops")
		f.stream.DropConnections()
	case 1:
		fmt.Println("   ~~ fault: the connection goes silent (the watchdog should notice after 3 missed keep-alives)")
		f.stream.StallConnections()
	case 2:
		fmt.Println("   ~~ fault: the connection drops and the service throttles (429, Retry-After: 1)")
		f.srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, Status: http.StatusTooManyRequests, RetryAfter: "1"})
		f.stream.DropConnections()
	case 3:
		fmt.Println("   ~~ fault: the subscription expires")
		for _, s := range f.stream.Subscriptions() {
			f.stream.Expire(s.ID)
		}
	case 4:
		fmt.Println("   ~~ fault: a gateway answers 502 twice, then a burst of mail arrives while nobody listens")
		f.srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 2, HTML: true})
		f.stream.DropConnections()
		for i := range 5 {
			msg := &outlook.Message{Subject: fmt.Sprintf("burst %d", i+1), ToRecipients: outlook.Recipients(f.me)}
			_ = f.mail.Mail().SendMail(ctx, msg, false)
		}
	default:
		fmt.Println("   ~~ fault: the next connection is cut after 300 bytes")
		f.srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, DropAfterBytes: 300})
		f.stream.DropConnections()
	}
}

// breakGraph injects a fault into the Graph delta requests.
func (f *fakeService) breakGraph(ctx context.Context) {
	const delta = "/delta"
	switch rand.IntN(5) {
	case 0:
		fmt.Println("   ~~ fault: Graph throttles (429, Retry-After: 2)")
		f.srv.InjectFault(&office365test.Fault{PathContains: delta, Times: 1, Status: http.StatusTooManyRequests, RetryAfter: "2"})
	case 1:
		fmt.Println("   ~~ fault: Graph invalidates the delta token (410 Gone, syncStateNotFound), then a burst of mail arrives")
		f.srv.InjectFault(&office365test.Fault{PathContains: delta, Times: 1, Status: http.StatusGone, Code: "syncStateNotFound"})
		for i := range 3 {
			msg := &outlook.Message{Subject: fmt.Sprintf("burst %d", i+1), ToRecipients: outlook.Recipients(f.me)}
			_ = f.mail.Mail().SendMail(ctx, msg, false)
		}
	case 2:
		fmt.Println("   ~~ fault: a gateway answers 502 twice")
		f.srv.InjectFault(&office365test.Fault{PathContains: delta, Times: 2, HTML: true})
	case 3:
		fmt.Println("   ~~ fault: the next answer goes silent (given up after the idle timeout)")
		f.srv.InjectFault(&office365test.Fault{PathContains: delta, Times: 1, Stalled: true})
	default:
		fmt.Println("   ~~ fault: the next answer is cut after 100 bytes")
		f.srv.InjectFault(&office365test.Fault{PathContains: delta, Times: 1, DropAfterBytes: 100})
	}
}
