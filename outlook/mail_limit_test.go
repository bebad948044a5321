package outlook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
)

// inflight tracks concurrent requests per X-AnchorMailbox.
type inflight struct {
	mu       sync.Mutex
	cur, max map[string]int
}

func (f *inflight) responder(hold time.Duration) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		key := r.Header.Get("X-AnchorMailbox")
		f.mu.Lock()
		f.cur[key]++
		f.max[key] = max(f.max[key], f.cur[key])
		f.mu.Unlock()
		time.Sleep(hold)
		f.mu.Lock()
		f.cur[key]--
		f.mu.Unlock()
		resp := httpmock.NewStringResponse(200, `{"Id":"1"}`)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func limitClient(t *testing.T, f *inflight, opts ...office365.Option) *outlook.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(f.responder(15 * time.Millisecond))
	c, err := outlook.New(auth.StaticToken("t"), append([]office365.Option{office365.WithHTTPClient(&http.Client{Transport: mt})}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestMailboxConcurrencyLimit(t *testing.T) {
	t.Parallel()
	f := &inflight{cur: map[string]int{}, max: map[string]int{}}
	c := limitClient(t, f)
	var wg sync.WaitGroup
	for i := range 24 {
		user := "a@contoso.com"
		if i%2 == 1 {
			user = "b@contoso.com"
		}
		wg.Go(func() {
			_, err := c.User(user).Mail().Messages().Get(context.Background(), "1", nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, f.max["a@contoso.com"], outlook.DefaultMailboxConcurrency)
	assert.LessOrEqual(t, f.max["b@contoso.com"], outlook.DefaultMailboxConcurrency)
	assert.Positive(t, f.max["a@contoso.com"])

	// A caller waiting for a slot gives up with its context.
	one := &inflight{cur: map[string]int{}, max: map[string]int{}}
	c1 := limitClient(t, one, outlook.WithMailboxConcurrency(1))
	started := make(chan struct{})
	go func() {
		close(started)
		_, _ = c1.User("a@contoso.com").Mail().Messages().Get(context.Background(), "1", nil)
	}()
	<-started
	time.Sleep(2 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err := c1.User("a@contoso.com").Mail().Messages().Get(ctx, "1", nil)
	if err != nil { // the first request may already be done on a slow machine
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	}
}

func TestMailboxConcurrencyOptions(t *testing.T) {
	t.Parallel()
	_, err := outlook.New(auth.StaticToken("t"), outlook.WithMailboxConcurrency(-1))
	assert.Error(t, err)
	_, err = outlook.New(auth.StaticToken("t"), outlook.WithAPIVersion("v3.0"))
	assert.Error(t, err)
	_, err = outlook.New(auth.StaticToken("t"), outlook.WithBodyContentType("xml"))
	assert.Error(t, err)
	_, err = outlook.New(auth.StaticToken("t"), outlook.WithMaxPageSize(-2))
	assert.Error(t, err)
	_, err = outlook.New(auth.StaticToken("t"), outlook.WithSignedInUser(""))
	assert.Error(t, err)
	_, err = outlook.New(nil)
	assert.Error(t, err)

	// Unlimited: with the limit off, 6 requests to one mailbox are in flight
	// together (each waits until all 6 have arrived, or fails after 5 s).
	const n = 6
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		arrived++
		if arrived == n {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
			return httpmock.NewStringResponse(200, `{"Id":"1"}`), nil
		case <-time.After(5 * time.Second):
			return httpmock.NewStringResponse(500, `{"error":{"code":"NotConcurrent","message":"requests were serialised"}}`), nil
		}
	})
	c, err := outlook.New(auth.StaticToken("t"), office365.WithHTTPClient(&http.Client{Transport: mt}),
		outlook.WithMailboxConcurrency(0), office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := c.User("a@contoso.com").Mail().Folders().Get(context.Background(), "Inbox", nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()

	c2, err := outlook.New(auth.StaticToken("t"), outlook.WithScopes("https://outlook.office.com/Mail.Read"), office365.WithCloud(office365.CloudGCCHigh))
	require.NoError(t, err)
	assert.Equal(t, "https://outlook.office365.us/api/v2.0", c2.Root())
	assert.Equal(t, "https://outlook.office365.us/Mail.Send", outlook.Scope(office365.CloudGCCHigh, "Mail.Send"))
	assert.Equal(t, "https://outlook.office.com/api/v2.0/me/MailFolders('inbox')/messages", mustClient(t).Me().URL("MailFolders('inbox')/messages"))
}

func mustClient(t *testing.T) *outlook.Client {
	c, err := outlook.New(auth.StaticToken("t"))
	require.NoError(t, err)
	return c
}

func TestOptionalMarshal(t *testing.T) {
	t.Parallel()
	u := outlook.MessageUpdate{Subject: outlook.Set(""), Flag: outlook.Null[outlook.FollowupFlag](), IsRead: outlook.Set(false)}
	b, err := jsonMarshal(u)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Subject":"","Flag":null,"IsRead":false}`, b)
	b, err = jsonMarshal(outlook.MessageUpdate{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, b)

	var back outlook.MessageUpdate
	require.NoError(t, jsonUnmarshal(`{"Subject":"x","Flag":null}`, &back))
	v, ok := back.Subject.Get()
	assert.True(t, ok)
	assert.Equal(t, "x", v)
	assert.True(t, back.Flag.IsNull())
	assert.True(t, back.IsRead.IsZero())
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func TestMailErrorPredicates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status             int
		body               string
		notFound, throttle bool
		notEnabled         bool
	}{
		{404, `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}`, true, false, false},
		{400, `{"error":{"code":"ErrorItemNotFound","message":"stale id"}}`, true, false, false},
		{429, `{"error":{"code":"ApplicationThrottled","message":"Application is over its MailboxConcurrency limit."}}`, false, true, false},
		{503, `{"error":{"code":"ErrorServerBusy","message":"busy"}}`, false, true, false},
		{400, `{"error":{"code":"SomethingElse","message":"over the MailboxConcurrency limit"}}`, false, true, false},
		{404, `{"error":{"code":"MailboxNotSupportedForRESTAPI","message":"REST API is not yet supported for this mailbox."}}`, true, false, true},
		{403, `{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}`, false, false, false},
	}
	for _, tc := range cases {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(tc.status, tc.body)
			resp.Header.Set("Content-Type", "application/json")
			return resp, nil
		})
		c, err := outlook.New(auth.StaticToken("t"), office365.WithHTTPClient(&http.Client{Transport: mt}),
			office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
		require.NoError(t, err)
		_, err = c.User("a@contoso.com").Mail().Messages().Get(context.Background(), "1", nil)
		require.Error(t, err, tc.body)
		assert.Equal(t, tc.notFound, office365.IsNotFound(err), tc.body)
		assert.Equal(t, tc.throttle, office365.IsThrottled(err), tc.body)
		assert.Equal(t, tc.notEnabled, outlook.IsMailboxNotEnabled(err), tc.body)
	}
}

func TestMailboxScopedCopies(t *testing.T) {
	t.Parallel()
	var got []*http.Request
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		got = append(got, r)
		return httpmock.NewStringResponse(200, `{"Id":"1"}`), nil
	})
	c, err := outlook.New(auth.StaticToken("t"), office365.WithHTTPClient(&http.Client{Transport: mt}), outlook.WithTimeZone("UTC"))
	require.NoError(t, err)
	base := c.User("a@contoso.com")
	tokyo := base.WithPrefer(outlook.Prefer{TimeZone: "Tokyo Standard Time"}).WithAnchorMailbox("shared@contoso.com")
	_, err = tokyo.Mail().Messages().Create(context.Background(), &outlook.Message{Subject: "x"})
	require.NoError(t, err)
	_, err = base.Mail().Messages().Get(context.Background(), "1", nil)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, []string{`outlook.timezone="Tokyo Standard Time"`}, got[0].Header.Values("Prefer"))
	assert.Equal(t, "shared@contoso.com", got[0].Header.Get("X-AnchorMailbox"))
	assert.Equal(t, []string{`outlook.timezone="UTC"`}, got[1].Header.Values("Prefer"), "the original is unchanged")
	assert.Equal(t, "a@contoso.com", got[1].Header.Get("X-AnchorMailbox"))
	assert.Equal(t, "Tokyo Standard Time", tokyo.Prefer().TimeZone)
	_, err = base.WithPrefer(outlook.Prefer{MaxPageSize: -1}).Mail().Messages().Get(context.Background(), "1", nil)
	assert.Error(t, err)
}
