package office365_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
	"github.com/office365-go/office365/streaming"
)

// fastRetry keeps retries quick so the tests below stay fast.
var fastRetry = office365.WithRetry(office365.RetryOptions{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

// writeFamily is one family of non-idempotent operations: how to call it
// and how to recognise its request on the fake.
type writeFamily struct {
	name  string
	match func(r *http.Request) bool
	call  func(ctx context.Context) error
}

func writeFamilies(t *testing.T, fake *office365test.Fake, graph bool) []writeFamily {
	t.Helper()
	ctx := t.Context()
	opts := []office365.Option{office365.WithBaseURL(fake.URL()), fastRetry}
	if graph {
		opts = append(opts, office365.WithGraph())
	}
	ol, err := outlook.New(auth.StaticToken("tok"), opts...)
	require.NoError(t, err)
	me := fake.Mailbox.Me().UPN
	mb := ol.User(me)
	sc, err := streaming.New(auth.StaticToken("tok"), opts...)
	require.NoError(t, err)
	var id string
	for m, err := range mb.Mail().Messages().List(ctx, &outlook.ListOptions{Top: 1}) {
		require.NoError(t, err)
		id = m.ID
		break
	}
	require.NotEmpty(t, id)
	rcv, err := outlook.NewReceiver(outlook.ReceiverOptions{ClientState: "state", AllowValidationWithoutClientState: graph})
	require.NoError(t, err)
	hook := httptest.NewServer(rcv)
	t.Cleanup(hook.Close)
	post := func(suffix string) func(r *http.Request) bool {
		return func(r *http.Request) bool {
			return r.Method == http.MethodPost && strings.HasSuffix(strings.ToLower(r.URL.Path), suffix)
		}
	}
	msg := func() *outlook.Message {
		return &outlook.Message{Subject: "once", Body: outlook.TextBody("hi"), ToRecipients: outlook.Recipients(me)}
	}
	families := []writeFamily{
		{"sendmail", post("/sendmail"), func(ctx context.Context) error { return mb.Mail().SendMail(ctx, msg(), true) }},
		{"reply", post("/reply"), func(ctx context.Context) error { return mb.Mail().Messages().Reply(ctx, id, "ok") }},
		{"forward", post("/forward"), func(ctx context.Context) error {
			return mb.Mail().Messages().Forward(ctx, id, "fyi", outlook.Recipients(me))
		}},
		{"create", post("/messages"), func(ctx context.Context) error {
			_, err := mb.Mail().Messages().Create(ctx, msg())
			return err
		}},
		{"$batch", post("/$batch"), func(ctx context.Context) error {
			b := mb.NewBatch(nil)
			part := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error { return mb.Mail().SendMail(ctx, msg(), true) })
			err := b.Send(ctx)
			if err != nil {
				assert.ErrorIs(t, part.Err(), office365.ErrMaybeProcessed, "the part's result says so too")
			}
			return err
		}},
		{"push subscription create", post("/subscriptions"), func(ctx context.Context) error {
			_, err := mb.Subscriptions().Create(ctx, &outlook.PushSubscription{
				Resource: mb.URL("messages"), NotificationURL: hook.URL + "/notify", ChangeType: outlook.ChangeCreated,
				ClientState: "state",
			})
			return err
		}},
	}
	if !graph { // on Graph, streaming subscriptions are delta queries: reads only
		families = append(families, writeFamily{"streaming subscription create", post("/subscriptions"), func(ctx context.Context) error {
			_, err := sc.Subscribe(ctx, streaming.Messages())
			return err
		}})
	}
	return families
}

// TestNonIdempotentCallsAreSentOnceAfterBare503: a 503 without Retry-After
// does not say the service left the request undone, so sendmail, reply,
// forward, create, $batch and subscription creates go out once and fail
// with an error that says the request may have been processed. With
// Retry-After the service said it did not process the request: the call is
// retried and succeeds.
func TestNonIdempotentCallsAreSentOnceAfterBare503(t *testing.T) {
	for _, dialect := range []struct {
		name  string
		graph bool
	}{{"outlook", false}, {"graph", true}} {
		t.Run(dialect.name, func(t *testing.T) { testSentOnceAfterBare503(t, dialect.graph) })
	}
}

func testSentOnceAfterBare503(t *testing.T, graph bool) {
	fake := office365test.Start(nil)
	defer fake.Close()
	for _, f := range writeFamilies(t, fake, graph) {
		t.Run(f.name, func(t *testing.T) {
			fault := fake.InjectFault(&office365test.Fault{Match: f.match, Status: http.StatusServiceUnavailable})
			err := f.call(t.Context())
			fake.RemoveFault(fault)
			require.Error(t, err)
			assert.Equal(t, 1, fault.Hits(), "the request was sent more than once")
			assert.True(t, office365.IsMaybeProcessed(err), "%v", err)
			assert.Contains(t, err.Error(), "may have been processed")
			assert.Equal(t, http.StatusServiceUnavailable, office365.StatusCode(err))

			fault = fake.InjectFault(&office365test.Fault{Match: f.match, Status: http.StatusServiceUnavailable, RetryAfter: "0", Times: 1})
			err = f.call(t.Context())
			fake.RemoveFault(fault)
			require.NoError(t, err, "a 503 with Retry-After is retried")
			assert.Equal(t, 1, fault.Hits())
		})
	}
}

// TestErrorStringsNameTheRequestOnce: an error wrapped on its way up
// through a service package names the package prefix and the URL once.
func TestErrorStringsNameTheRequestOnce(t *testing.T) {
	fake := office365test.Start(nil)
	defer fake.Close()
	ctx := t.Context()
	var errs []error
	for _, f := range append(writeFamilies(t, fake, false), writeFamilies(t, fake, true)...) {
		fault := fake.InjectFault(&office365test.Fault{Match: f.match, Status: http.StatusBadGateway})
		errs = append(errs, f.call(ctx))
		fake.RemoveFault(fault)
		fault = fake.InjectFault(&office365test.Fault{Match: f.match, DropAfterHandler: true})
		errs = append(errs, f.call(ctx))
		fake.RemoveFault(fault)
	}

	// A server that is gone: the connection error of a read and of a write.
	gone := office365test.Start(nil)
	url := gone.URL()
	gone.Close()
	ol, err := outlook.New(auth.StaticToken("tok"), office365.WithBaseURL(url), office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	require.NoError(t, err)
	_, err = ol.Me().Mail().Messages().Get(ctx, "AAMk=", nil)
	errs = append(errs, err)
	errs = append(errs, ol.Me().Mail().SendMail(ctx, &outlook.Message{ToRecipients: outlook.Recipients("a@b.example")}, false))

	for i, err := range errs {
		require.Error(t, err, "case %d", i)
		s := err.Error()
		for _, prefix := range []string{"office365: ", "outlook: ", "streaming: "} {
			assert.LessOrEqual(t, strings.Count(s, prefix), 1, "%q repeats %q", s, prefix)
		}
		assert.LessOrEqual(t, strings.Count(s, fake.URL())+strings.Count(s, url), 1, "%q repeats the URL", s)
		assert.NotContains(t, s, "$batch: office365", "the batch error is not labelled twice")
	}
}

// TestIsConflictAndCodes: creating a folder that exists answers 409
// ErrorFolderExists, which IsConflict and the exported code report.
func TestIsConflictAndCodes(t *testing.T) {
	fake := office365test.Start(nil)
	defer fake.Close()
	ol, err := outlook.New(auth.StaticToken("tok"), office365.WithBaseURL(fake.URL()))
	require.NoError(t, err)
	mb := ol.User(fake.Mailbox.Me().UPN)
	_, err = mb.Mail().Folders().Create(t.Context(), "Projects")
	require.NoError(t, err)
	_, err = mb.Mail().Folders().Create(t.Context(), "Projects")
	require.Error(t, err)
	assert.True(t, office365.IsConflict(err))
	assert.True(t, office365.HasCode(err, office365.CodeErrorFolderExists))
	assert.False(t, office365.IsNotFound(err))
	assert.False(t, office365.IsMaybeProcessed(err), "a 409 says what happened")

	_, err = mb.Mail().Messages().Get(t.Context(), "AAMkDoesNotExist=", nil)
	assert.True(t, office365.HasCode(err, office365.CodeErrorItemNotFound))
	assert.False(t, office365.IsConflict(err))
}

func TestPredicatesUseTheCodes(t *testing.T) {
	for _, tc := range []struct {
		err  *office365.Error
		pred func(error) bool
		want bool
	}{
		{&office365.Error{StatusCode: 409}, office365.IsConflict, true},
		{&office365.Error{StatusCode: 400, Code: office365.CodeErrorFolderExists}, office365.IsConflict, true},
		{&office365.Error{StatusCode: 400, Code: office365.CodeErrorItemAlreadyExists}, office365.IsConflict, true},
		{&office365.Error{StatusCode: 412, Code: office365.CodeResourceModified}, office365.IsConflict, true},
		{&office365.Error{StatusCode: 400, Code: "ErrorInvalidRequest"}, office365.IsConflict, false},
		{&office365.Error{StatusCode: 400, Code: office365.CodeItemNotFound}, office365.IsNotFound, true},
		{&office365.Error{StatusCode: 400, Code: office365.CodeErrorFolderNotFound}, office365.IsNotFound, true},
		{&office365.Error{StatusCode: 403, Code: office365.CodeAccessDenied}, office365.IsForbidden, true},
		{&office365.Error{StatusCode: 400, Code: office365.CodeAccessDenied}, office365.IsForbidden, true},
		{&office365.Error{StatusCode: 503, Code: office365.CodeErrorServerBusy}, office365.IsThrottled, true},
		{&office365.Error{StatusCode: 400, Code: office365.CodeActivityLimitReached}, office365.IsThrottled, true},
		{&office365.Error{StatusCode: 500, MaybeProcessed: true}, office365.IsMaybeProcessed, true},
		{&office365.Error{StatusCode: 500}, office365.IsMaybeProcessed, false},
	} {
		assert.Equal(t, tc.want, tc.pred(tc.err), "%+v", tc.err)
	}
	assert.Equal(t, "ErrorFolderExists", office365.CodeErrorFolderExists)
	assert.Equal(t, "MailboxNotEnabledForRESTAPI", office365.CodeMailboxNotEnabledForRESTAPI)
	assert.Equal(t, "MailboxNotSupportedForRESTAPI", office365.CodeMailboxNotSupportedForRESTAPI)
	assert.Equal(t, "syncStateNotFound", office365.CodeSyncStateNotFound)
	assert.Equal(t, "resyncRequired", office365.CodeResyncRequired)
}
