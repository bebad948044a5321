package streaming_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/streaming"
)

const subscribeAnswer = `{
    "@odata.context":"https://outlook.office.com/api/beta/$metadata#Me/Subscriptions/$entity",
    "@odata.type":"#Microsoft.OutlookServices.StreamingSubscription",
    "@odata.id":"https://outlook.office.com/api/beta/Users('266efe5a-0fd7-4edd-877b-b2d1e561f193@ae01a323-3934-4475-a32d-af1274312bb0')/Subscriptions('RUM4OEJFNUIQUQ4MQ==')",
    "Id":"RUM4OEJFNUIQUQ4MQ==",
    "Resource":"https://outlook.office.com/api/beta/me/mailfolders('Inbox')/messages",
    "ChangeType":"Created, Updated, Deleted, Missed"
}`

// recorded is what a mock responder saw.
type recorded struct {
	method, url string
	header      http.Header
	body        map[string]any
}

func mockClient(t *testing.T, status int, answer string, opts ...office365.Option) (*streaming.Client, *[]recorded) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var seen []recorded
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		rec := recorded{method: r.Method, url: r.URL.String(), header: r.Header.Clone()}
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			if len(b) > 0 {
				require.NoError(t, json.Unmarshal(b, &rec.body))
			}
		}
		seen = append(seen, rec)
		return httpmock.NewStringResponse(status, answer), nil
	})
	opts = append([]office365.Option{office365.WithHTTPClient(&http.Client{Transport: mt}),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1})}, opts...)
	c, err := streaming.New(auth.StaticToken("tok"), opts...)
	require.NoError(t, err)
	return c, &seen
}

func TestSubscribeWire(t *testing.T) {
	t.Parallel()
	c, seen := mockClient(t, http.StatusCreated, subscribeAnswer)
	sub, err := c.Subscribe(context.Background(), streaming.FolderMessages(streaming.Inbox))
	require.NoError(t, err)

	require.Len(t, *seen, 1)
	r := (*seen)[0]
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, "https://outlook.office.com/api/beta/me/subscriptions", r.url)
	assert.Equal(t, "Bearer tok", r.header.Get("Authorization"))
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Empty(t, r.header.Get("X-AnchorMailbox"))
	assert.Equal(t, map[string]any{
		"@odata.type": "#Microsoft.OutlookServices.StreamingSubscription",
		"Resource":    "https://outlook.office.com/api/beta/me/mailfolders('Inbox')/messages",
		"ChangeType":  "Created,Updated,Deleted",
	}, r.body)

	assert.Equal(t, "RUM4OEJFNUIQUQ4MQ==", sub.ID)
	assert.Equal(t, "https://outlook.office.com/api/beta/me/mailfolders('Inbox')/messages", sub.Resource)
	assert.Equal(t, []streaming.ChangeType{streaming.ChangeCreated, streaming.ChangeUpdated, streaming.ChangeDeleted, streaming.ChangeMissed}, sub.ChangeTypes)
	assert.Contains(t, sub.ODataID, "Subscriptions('RUM4OEJFNUIQUQ4MQ==')")
	assert.Zero(t, sub.LastSequenceNumber)
}

func TestSubscribeOtherUserAndRichResource(t *testing.T) {
	t.Parallel()
	c, seen := mockClient(t, http.StatusCreated, subscribeAnswer,
		streaming.WithUser("adele@contoso.com"), office365.WithBaseURL("http://127.0.0.1:9"))
	res := streaming.FolderMessages("AAMk/x+y='z'").Filter("Subject eq 'Supplements'").Select("Subject", "From")
	_, err := c.Subscribe(context.Background(), res, streaming.ChangeCreated, streaming.ChangeDeleted)
	require.NoError(t, err)
	r := (*seen)[0]
	assert.Equal(t, "http://127.0.0.1:9/api/beta/users/adele@contoso.com/subscriptions", r.url)
	assert.Equal(t, "adele@contoso.com", r.header.Get("X-AnchorMailbox"))
	assert.Equal(t, "http://127.0.0.1:9/api/beta/users/adele@contoso.com/mailfolders('AAMk%2Fx+y=''z''')/messages"+
		"?$filter=Subject%20eq%20'Supplements'&$select=Subject,From", r.body["Resource"])
	assert.Equal(t, "Created,Deleted", r.body["ChangeType"])
}

func TestResourceStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		r    streaming.Resource
		want string
	}{
		{streaming.Messages(), "messages"},
		{streaming.Events().Select("Subject"), "events?$select=Subject"},
		{streaming.Contacts(), "contacts"},
		{streaming.Tasks().Filter("Status eq 'NotStarted'"), "tasks?$filter=Status%20eq%20'NotStarted'"},
		{streaming.FolderMessages("inbox"), "mailfolders('inbox')/messages"},
		{streaming.CalendarEvents("AAMk=="), "calendars('AAMk==')/events"},
		{streaming.FolderContacts("c1"), "contactfolders('c1')/contacts"},
		{streaming.FolderTasks("t1"), "taskfolders('t1')/tasks"},
		{streaming.ResourceURL("https://outlook.office.com/api/beta/me/events?$select=Subject"), "https://outlook.office.com/api/beta/me/events?$select=Subject"},
	} {
		assert.Equal(t, tc.want, tc.r.String())
	}
	c, err := streaming.New(auth.StaticToken("t"))
	require.NoError(t, err)
	u, err := c.ResourceURL(streaming.Events())
	require.NoError(t, err)
	assert.Equal(t, "https://outlook.office.com/api/beta/me/events", u)
	u, err = c.ResourceURL(streaming.ResourceURL("me/tasks"))
	require.NoError(t, err)
	assert.Equal(t, "https://outlook.office.com/api/beta/me/tasks", u)
	u, err = c.ResourceURL(streaming.ResourceURL("taskfolders('x')/tasks"))
	require.NoError(t, err)
	assert.Equal(t, "https://outlook.office.com/api/beta/me/taskfolders('x')/tasks", u)
}

func TestSubscribeRejectsBadInput(t *testing.T) {
	t.Parallel()
	c, seen := mockClient(t, http.StatusCreated, subscribeAnswer)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		r       streaming.Resource
		changes []streaming.ChangeType
	}{
		"zero resource":      {r: streaming.Resource{}},
		"empty folder":       {r: streaming.FolderMessages(" ")},
		"empty raw":          {r: streaming.ResourceURL("")},
		"raw with filter":    {r: streaming.ResourceURL("me/messages").Filter("IsRead eq false")},
		"bad select":         {r: streaming.Messages().Select("Subject,From")},
		"missed not allowed": {r: streaming.Messages(), changes: []streaming.ChangeType{streaming.ChangeMissed}},
		"unknown change":     {r: streaming.Messages(), changes: []streaming.ChangeType{"Moved"}},
	} {
		_, err := c.Subscribe(ctx, tc.r, tc.changes...)
		assert.Error(t, err, name)
	}
	assert.Empty(t, *seen, "nothing is sent for invalid input")
}

func TestSubscribeServiceErrors(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, http.StatusForbidden, `{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}`)
	_, err := c.Subscribe(context.Background(), streaming.Messages())
	require.Error(t, err)
	assert.True(t, office365.IsForbidden(err))

	c, _ = mockClient(t, http.StatusCreated, `{"Resource":"x"}`)
	_, err = c.Subscribe(context.Background(), streaming.Messages())
	assert.ErrorContains(t, err, "without a subscription Id")
}

func TestNewRejectsClientTimeoutAndBadOptions(t *testing.T) {
	t.Parallel()
	_, err := streaming.New(auth.StaticToken("t"), office365.WithHTTPClient(&http.Client{Timeout: time.Minute}))
	assert.ErrorContains(t, err, "Timeout")
	_, err = streaming.New(nil)
	assert.Error(t, err)
	_, err = streaming.New(auth.StaticToken("t"), streaming.WithUser("a/b"))
	assert.Error(t, err)
	_, err = streaming.New(auth.StaticToken("t"), streaming.WithScopes())
	assert.Error(t, err)
	_, err = streaming.New(auth.StaticToken("t"), streaming.WithScopes("https://outlook.office.com/Mail.Read"))
	assert.NoError(t, err)
}

func TestSubscriptionJSONRoundTrip(t *testing.T) {
	t.Parallel()
	var sub streaming.Subscription
	require.NoError(t, json.Unmarshal([]byte(subscribeAnswer), &sub))
	sub.LastSequenceNumber = 42
	b, err := json.Marshal(sub)
	require.NoError(t, err)
	assert.JSONEq(t, `{"@odata.type":"#Microsoft.OutlookServices.StreamingSubscription",
		"@odata.id":"https://outlook.office.com/api/beta/Users('266efe5a-0fd7-4edd-877b-b2d1e561f193@ae01a323-3934-4475-a32d-af1274312bb0')/Subscriptions('RUM4OEJFNUIQUQ4MQ==')",
		"Id":"RUM4OEJFNUIQUQ4MQ==","Resource":"https://outlook.office.com/api/beta/me/mailfolders('Inbox')/messages",
		"ChangeType":"Created,Updated,Deleted,Missed","LastSequenceNumber":42}`, string(b))
	var back streaming.Subscription
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, sub, back)
}

func TestParseChangeTypes(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []streaming.ChangeType{streaming.ChangeCreated, streaming.ChangeMissed, "Moved"},
		streaming.ParseChangeTypes(" created ,Missed,, Moved"))
	assert.Equal(t, "Created,Deleted", streaming.FormatChangeTypes([]streaming.ChangeType{streaming.ChangeCreated, streaming.ChangeDeleted}))
}
