package office365test

// Fake is a Server with every API fake mounted: the Service Communications
// tenant, the Outlook mailbox (mail, calendar, contacts, tasks, photos,
// extended properties and extensions, $batch, push subscriptions) and
// streaming notifications fed by the mailbox's changes.
type Fake struct {
	*Server
	// Tenant serves /api/v1.0/{tenant}/ServiceComms/….
	Tenant *Tenant
	// Mailbox serves the Outlook REST API for its users.
	Mailbox *Mailbox
	// Streaming serves subscriptions and GetNotifications on /api/beta.
	Streaming *Streaming
	// Push delivers push notifications to receivers.
	Push *Push
	// Graph serves the same mailbox through Microsoft Graph v1.0.
	Graph *GraphMail
}

// FakeOptions configures Start. The zero value gives a realistic tenant and
// a mailbox with sample users and mail.
type FakeOptions struct {
	Server    []ServerOption
	Tenant    []TenantOption
	Mailbox   []MailboxOption
	Streaming []StreamingOption
	Push      []PushOption
	Graph     []GraphMailOption
	// EmptyMailbox leaves out the mailbox's sample users and messages.
	EmptyMailbox bool
}

// Start starts a fake of all three services. Point clients at f.URL() with
// office365.WithBaseURL and any bearer token (auth.StaticToken), and Close
// it when done.
func Start(opts *FakeOptions) *Fake {
	if opts == nil {
		opts = &FakeOptions{}
	}
	srv := NewServer(opts.Server...)
	tenant := NewTenant(opts.Tenant...)
	tenant.Register(srv)

	mbOpts := opts.Mailbox
	if !opts.EmptyMailbox {
		mbOpts = append([]MailboxOption{WithSampleData()}, mbOpts...)
	}
	mb := NewMailbox(mbOpts...)
	mb.Register(srv)
	NewBatch(srv).Register(mb)
	push := NewPush(opts.Push...)
	push.Register(mb)

	graph := NewGraphMail(srv, mb, opts.Graph...)
	graph.Register(srv)

	st := NewStreaming(append([]StreamingOption{StreamingMailbox(mb)}, opts.Streaming...)...)
	st.Register(srv)
	return &Fake{Server: srv, Tenant: tenant, Mailbox: mb, Streaming: st, Push: push, Graph: graph}
}

// Close stops push delivery and streaming and shuts the server down.
func (f *Fake) Close() {
	f.Push.Close()
	f.Graph.Close()
	f.Streaming.Close()
	f.Server.Close()
}
