package office365_test

// The README's code snippets, as compilable functions: a snippet that no
// longer matches the API breaks the build of this file. The functions that
// need no network run against the fake in TestREADMESnippets.

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/auth/azadapter"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
	"github.com/office365-go/office365/servicecomms"
	"github.com/office365-go/office365/streaming"
)

// README "Service Communications".
func readmeServiceComms(ctx context.Context, cred auth.Credential, opts ...office365.Option) error {
	client, err := servicecomms.New("contoso.onmicrosoft.com", cred, opts...)
	if err != nil {
		return err
	}
	statuses, err := client.CurrentStatus(ctx, &servicecomms.StatusOptions{Workload: "Exchange"})
	if err != nil {
		return err
	}
	_ = statuses
	for msg, err := range client.Messages(ctx, &servicecomms.MessageOptions{MessageType: servicecomms.MessageTypeMessageCenter}) {
		if err != nil {
			return err
		}
		fmt.Println(msg.ID, msg.Title)
	}
	return nil
}

// README "Outlook REST API v2.0".
func readmeOutlook(ctx context.Context, cred auth.Credential, msg *outlook.Message, start, end time.Time) (iter.Seq2[*outlook.Event, error], error) {
	client, err := outlook.New(cred)             // scopes {OutlookHost}/.default
	mb := client.User("adele.vance@contoso.com") // or client.Me() with delegated tokens
	for m, err := range mb.Mail().Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{Top: 25}) {
		if err != nil {
			return nil, err
		}
		fmt.Println(m.ID)
	}
	err = mb.Mail().SendMail(ctx, msg, true)
	events := mb.Calendar().View(ctx, start, end, nil) // iter.Seq2[*outlook.Event, error]
	_ = client.Me()
	return events, err
}

// README "Streaming notifications".
func readmeStreaming(ctx context.Context, cred auth.Credential) error {
	client, err := streaming.New(cred) // acts for "me" (delegated token); streaming.WithUser(upn) for another mailbox
	sub, err := client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox).Select("Subject"))
	l, err := client.Listen(ctx, []*streaming.Subscription{sub}, nil)
	defer l.Close()
	for ev, err := range l.All(ctx) { // notifications, gaps, re-subscriptions, reconnects
		if err != nil {
			return err
		}
		fmt.Println(ev.Kind)
	}
	_ = streaming.NewDecoder
	return err
}

// README "Authentication against a real tenant".
func readmeAuth(tenantID, clientID, secret, tokenFile, redirectURL, incomingToken string, certs []*x509.Certificate, key crypto.PrivateKey,
	prompt func(context.Context, auth.DeviceCodeMessage) error, opts *auth.CredentialOptions, ts oauth2.TokenSource, azcred azcore.TokenCredential) (auth.Credential, error) {
	var err error
	var cred auth.Credential
	var app *auth.ClientSecretCredential
	cred, err = auth.NewEnvironmentCredential(nil)
	app, err = auth.NewClientSecretCredential(tenantID, clientID, secret, nil)
	cred, err = auth.NewClientCertificateCredential(tenantID, clientID, certs, key, nil)
	cred, err = auth.NewWorkloadIdentityCredential(tenantID, clientID, tokenFile, nil)
	cred, err = app.OnBehalfOf(incomingToken)
	cred, err = auth.NewDeviceCodeCredential(tenantID, clientID, prompt, opts)
	cred, err = auth.NewAuthCodeCredential(tenantID, clientID, redirectURL, opts)
	cred = azadapter.FromTokenCredential(azcred)
	_ = azadapter.ToTokenCredential(cred)
	cred = auth.FromTokenSource(ts)
	var _ *auth.EnvironmentError
	_, _ = auth.NewFileCache("token-cache.json")
	return cred, err
}

// Identifiers the README names in prose.
var _ = []any{
	servicecomms.NewWatcher, outlook.NewReceiver, outlook.Set[string], outlook.Null[string],
	(*outlook.Mailbox).NewBatch, (*outlook.Mailbox).ExtendedProperties, (*outlook.Mailbox).Extensions,
	outlook.BatchCall[int], outlook.NamedProperty, (*outlook.Mailbox).Subscriptions, (*outlook.Mailbox).Photo, (*outlook.Mailbox).Contacts, (*outlook.Mailbox).Tasks,
}

// README "Clouds".
func readmeClouds(url string) []office365.Option {
	custom := office365.Cloud{}
	_ = []office365.Cloud{office365.CloudPublic, office365.CloudGCC, office365.CloudGCCHigh, office365.CloudDoD, office365.CloudChina, custom}
	return []office365.Option{office365.WithCloud(office365.CloudGCCHigh), office365.WithBaseURL(url)}
}

// README "Requests, retries and errors".
func readmeErrors(err error) bool {
	var e *office365.Error
	_ = office365.IsNotFound(err) || office365.IsThrottled(err) || office365.IsUnauthorized(err) || office365.IsForbidden(err)
	return errors.As(err, &e) && e.RetryAfter > 0
}

// README "Testing your code with the fake".
func readmeFake() (*outlook.Client, func(), error) {
	fake := office365test.Start(nil) // ServiceComms tenant, Outlook mailbox, streaming, push, $batch
	client, err := outlook.New(auth.StaticToken("test"), office365.WithBaseURL(fake.URL()))
	_ = fake.InjectFault
	_ = fake.FailNext
	_ = fake.UnauthorizedOnce
	_ = fake.Requests
	_ = office365test.StartEntra
	_ = office365test.NewRecorder
	_ = office365test.NewReplayer
	_ = fake.Mailbox.Users
	_ = []any{servicecomms.New, streaming.New, outlook.FirstPage[outlook.Message], (*outlook.MessagesService).ListPages, outlook.FileAttachment{}, outlook.NewFileAttachment}
	return client, fake.Close, err
}

// TestREADMESnippets runs the snippets that need nothing but the fake.
func TestREADMESnippets(t *testing.T) {
	client, closeFake, err := readmeFake()
	require.NoError(t, err)
	defer closeFake()
	require.NotNil(t, client)

	fake := office365test.Start(nil)
	defer fake.Close()
	base := office365.WithBaseURL(fake.URL())
	require.NoError(t, readmeServiceComms(t.Context(), auth.StaticToken("test"), base))
	require.NoError(t, readmeServiceComms(t.Context(), auth.StaticToken("test"), base, office365.WithGraph()))
	require.Len(t, readmeClouds(fake.URL()), 2)
	require.False(t, readmeErrors(nil))
}
