package servicecomms_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

func TestNewValidates(t *testing.T) {
	t.Parallel()
	cred := auth.StaticToken("t")
	for _, tenant := range []string{"", "   ", "contoso.com/x", "a b", "contoso.com?x", "con%2Ftoso", "a\nb"} {
		_, err := servicecomms.New(tenant, cred)
		assert.Error(t, err, "%q", tenant)
	}
	_, err := servicecomms.New("contoso.com", nil)
	assert.ErrorContains(t, err, "nil credential")
	_, err = servicecomms.New("contoso.com", cred, office365.WithBaseURL("http://example.com"))
	assert.ErrorContains(t, err, "plain http")
	c, err := servicecomms.New(" contoso.com ", cred)
	require.NoError(t, err)
	assert.Equal(t, "contoso.com", c.Tenant())
}

func TestRootAndScopeFollowTheCloud(t *testing.T) {
	t.Parallel()
	for _, cloud := range office365.Clouds() {
		t.Run(cloud.Name, func(t *testing.T) {
			t.Parallel()
			rec := &scopeRecorder{}
			mt := httpmock.NewMockTransport()
			var gotURL string
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				gotURL = r.URL.String()
				return httpmock.NewStringResponse(200, `{"value":[]}`), nil
			})
			c, err := servicecomms.New("72f988bf-86f1-41af-91ab-2d7cd011db47", rec, office365.WithCloud(cloud),
				office365.WithHTTPClient(&http.Client{Transport: mt}))
			require.NoError(t, err)
			want := cloud.ManageHost + "/api/v1.0/72f988bf-86f1-41af-91ab-2d7cd011db47/ServiceComms"
			assert.Equal(t, want, c.Root())
			assert.Equal(t, []string{cloud.ManageHost + "/.default"}, c.Scopes())
			_, err = c.Services(context.Background())
			require.NoError(t, err)
			assert.Equal(t, want+"/Services", gotURL)
			assert.Equal(t, [][]string{{cloud.ManageHost + "/.default"}}, rec.scopes)
		})
	}
	// A base URL moves requests, not the token audience.
	c, err := servicecomms.New("contoso.com", auth.StaticToken("t"), office365.WithCloud(office365.CloudGCCHigh),
		office365.WithBaseURL("http://127.0.0.1:8080/"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080/api/v1.0/contoso.com/ServiceComms", c.Root())
	assert.Equal(t, []string{"https://manage.office365.us/.default"}, c.Scopes())
}

func TestTenantIsEscapedInThePath(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	rec := &queryRecorder{}
	mt.RegisterNoResponder(rec.responder(200, []byte(`{"value":[]}`)))
	c, err := servicecomms.New("bücher.example", auth.StaticToken("t"), office365.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.CurrentStatus(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"/api/v1.0/b%C3%BCcher.example/ServiceComms/CurrentStatus"}, rec.paths)
}

// Every filter combination is pinned to its exact query string: the service
// silently ignores malformed filters, so only the bytes prove correctness.
func TestExactQueryStrings(t *testing.T) {
	t.Parallel()
	sept := time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)
	oct := time.Date(2020, 10, 1, 12, 30, 0, 0, time.UTC)
	berlin := time.FixedZone("CEST", 2*3600)
	ctx := context.Background()
	const mcEnum = "Microsoft.Office365ServiceComms.ExposedContracts.MessageType"

	type call func(c *servicecomms.Client) error
	messages := func(o *servicecomms.MessageOptions) call {
		return func(c *servicecomms.Client) error {
			for _, err := range c.Messages(ctx, o) {
				if err != nil {
					return err
				}
			}
			return nil
		}
	}
	current := func(o *servicecomms.StatusOptions) call {
		return func(c *servicecomms.Client) error { _, err := c.CurrentStatus(ctx, o); return err }
	}
	historical := func(o *servicecomms.StatusOptions) call {
		return func(c *servicecomms.Client) error { _, err := c.HistoricalStatus(ctx, o); return err }
	}
	cases := []struct {
		name string
		path string
		call call
		want string
	}{
		{"services", "/Services", func(c *servicecomms.Client) error { _, err := c.Services(ctx); return err }, ""},
		{"current/nil", "/CurrentStatus", current(nil), ""},
		{"current/zero", "/CurrentStatus", current(&servicecomms.StatusOptions{}), ""},
		{"current/workload", "/CurrentStatus", current(&servicecomms.StatusOptions{Workload: "Exchange"}),
			"$filter=Workload%20eq%20'Exchange'"},
		{"current/workload quoted", "/CurrentStatus", current(&servicecomms.StatusOptions{Workload: "O'Neil & Co+1"}),
			"$filter=Workload%20eq%20'O''Neil%20%26%20Co%2B1'"},
		{"current/select", "/CurrentStatus", current(&servicecomms.StatusOptions{Select: []string{"Id", "Status"}}),
			"$select=Id,Status"},
		{"current/workload+select", "/CurrentStatus", current(&servicecomms.StatusOptions{Workload: "microsoftteams", Select: []string{"Status"}}),
			"$filter=Workload%20eq%20'microsoftteams'&$select=Status"},
		{"historical/nil", "/HistoricalStatus", historical(nil), ""},
		{"historical/statustime", "/HistoricalStatus", historical(&servicecomms.StatusOptions{StatusTime: sept}),
			"$filter=StatusTime%20ge%202020-09-01T00:00:00Z"},
		{"historical/all", "/HistoricalStatus",
			historical(&servicecomms.StatusOptions{Workload: "Exchange", StatusTime: time.Date(2020, 9, 1, 2, 0, 0, 123456789, berlin), Select: []string{"Id", "StatusTime"}}),
			"$filter=Workload%20eq%20'Exchange'%20and%20StatusTime%20ge%202020-09-01T00:00:00.1234567Z&$select=Id,StatusTime"},
		{"messages/nil", "/Messages", messages(nil), "$top=100"},
		{"messages/workload", "/Messages", messages(&servicecomms.MessageOptions{Workload: "Exchange"}),
			"$filter=Workload%20eq%20'Exchange'&$top=100"},
		{"messages/start", "/Messages", messages(&servicecomms.MessageOptions{StartTime: sept}),
			"$filter=StartTime%20ge%202020-09-01T00:00:00Z&$top=100"},
		{"messages/end", "/Messages", messages(&servicecomms.MessageOptions{EndTime: oct}),
			"$filter=EndTime%20le%202020-10-01T12:30:00Z&$top=100"},
		{"messages/range", "/Messages", messages(&servicecomms.MessageOptions{StartTime: sept, EndTime: oct}),
			"$filter=StartTime%20ge%202020-09-01T00:00:00Z%20and%20EndTime%20le%202020-10-01T12:30:00Z&$top=100"},
		{"messages/type", "/Messages", messages(&servicecomms.MessageOptions{MessageType: servicecomms.MessageTypeMessageCenter}),
			"$filter=MessageType%20eq%20" + mcEnum + "'MessageCenter'&$top=100"},
		{"messages/type incident", "/Messages", messages(&servicecomms.MessageOptions{MessageType: servicecomms.MessageTypeIncident}),
			"$filter=MessageType%20eq%20" + mcEnum + "'Incident'&$top=100"},
		{"messages/type any case", "/Messages", messages(&servicecomms.MessageOptions{MessageType: "messagecenter"}),
			"$filter=MessageType%20eq%20" + mcEnum + "'MessageCenter'&$top=100"},
		{"messages/id", "/Messages", messages(&servicecomms.MessageOptions{ID: "EX213379"}),
			"$filter=Id%20eq%20'EX213379'&$top=100"},
		{"messages/select", "/Messages", messages(&servicecomms.MessageOptions{Select: []string{"Id", "Title", "Status"}}),
			"$select=Id,Title,Status&$top=100"},
		{"messages/pagesize", "/Messages", messages(&servicecomms.MessageOptions{PageSize: 25}), "$top=25"},
		{"messages/workload+type", "/Messages",
			messages(&servicecomms.MessageOptions{Workload: "SharePoint", MessageType: servicecomms.MessageTypePlannedMaintenance}),
			"$filter=Workload%20eq%20'SharePoint'%20and%20MessageType%20eq%20" + mcEnum + "'PlannedMaintenance'&$top=100"},
		{"messages/all", "/Messages", messages(&servicecomms.MessageOptions{
			Workload: "Exchange", StartTime: sept.In(berlin), EndTime: oct, MessageType: servicecomms.MessageTypeIncident,
			ID: "EX1", Select: []string{"Id", "Title"}, PageSize: 50}),
			"$filter=Workload%20eq%20'Exchange'%20and%20StartTime%20ge%202020-09-01T00:00:00Z%20and%20EndTime%20le%202020-10-01T12:30:00Z" +
				"%20and%20MessageType%20eq%20" + mcEnum + "'Incident'%20and%20Id%20eq%20'EX1'&$select=Id,Title&$top=50"},
		{"message by id", "/Messages", func(c *servicecomms.Client) error {
			_, err := c.Message(ctx, "EX213379")
			if office365.IsNotFound(err) {
				return nil
			}
			return err
		}, "$filter=Id%20eq%20'EX213379'"},
		{"message by id quoted", "/Messages", func(c *servicecomms.Client) error {
			_, err := c.Message(ctx, "it's")
			if office365.IsNotFound(err) {
				return nil
			}
			return err
		}, "$filter=Id%20eq%20'it''s'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t)
			rec := &queryRecorder{}
			mt.RegisterResponder(http.MethodGet, publicRoot+tc.path, rec.responder(200, []byte(`{"value":[]}`)))
			require.NoError(t, tc.call(c))
			assert.Equal(t, []string{tc.want}, rec.all())
		})
	}
}

func TestInvalidOptionsFailBeforeSending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mt := mockClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"value":[]}`))
	first := func(o *servicecomms.MessageOptions) error {
		for _, err := range c.Messages(ctx, o) {
			return err
		}
		return nil
	}
	now := time.Now()
	for name, o := range map[string]*servicecomms.MessageOptions{
		"pagesize 101":   {PageSize: 101},
		"pagesize -1":    {PageSize: -1},
		"end<start":      {StartTime: now, EndTime: now.Add(-time.Hour)},
		"select comma":   {Select: []string{"Id,Title"}},
		"select empty":   {Select: []string{""}},
		"select space":   {Select: []string{"Id desc"}},
		"type quote":     {MessageType: "Message'Center"},
		"type qualified": {MessageType: "Microsoft.X'Y'"},
	} {
		assert.Error(t, first(o), name)
	}
	_, err := c.CurrentStatus(ctx, &servicecomms.StatusOptions{StatusTime: now})
	assert.ErrorContains(t, err, "HistoricalStatus only")
	_, err = c.HistoricalStatus(ctx, &servicecomms.StatusOptions{Select: []string{"$top"}})
	assert.Error(t, err)
	_, err = c.Message(ctx, " ")
	assert.Error(t, err)
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}

func TestFixtureReplay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, publicRoot+"/Services", httpmock.NewBytesResponder(200, fixture(t, "services.json")))
	mt.RegisterResponder(http.MethodGet, publicRoot+"/CurrentStatus", httpmock.NewBytesResponder(200, fixture(t, "currentstatus.json")))
	mt.RegisterResponder(http.MethodGet, publicRoot+"/HistoricalStatus", httpmock.NewBytesResponder(200, fixture(t, "historicalstatus-documented.json")))
	mt.RegisterResponder(http.MethodGet, publicRoot+"/Messages", httpmock.NewBytesResponder(200, fixture(t, "messages-incident.json")))

	svcs, err := c.Services(ctx)
	require.NoError(t, err)
	require.Len(t, svcs, 2)
	assert.Equal(t, "Bookings", svcs[0].ID)
	assert.Equal(t, "MicrosoftBookings", svcs[0].Features[0].Name)

	cur, err := c.CurrentStatus(ctx, nil)
	require.NoError(t, err)
	require.Len(t, cur, 4)
	assert.Equal(t, "SharePoint", cur[3].Workload)
	assert.Equal(t, "2020-09-18T13:15:36.6847769Z", cur[3].StatusTime.Raw())

	hist, err := c.HistoricalStatus(ctx, nil)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, []string{"EX20870"}, hist[1].IncidentIDs)

	var got []*servicecomms.Message
	for m, err := range c.Messages(ctx, nil) {
		require.NoError(t, err)
		got = append(got, m)
	}
	require.Len(t, got, 1, "a short page ends the paging")
	assert.Equal(t, "SP220211", got[0].ID)
	assert.Equal(t, 1, mt.GetCallCountInfo()["GET "+publicRoot+"/Messages"])

	m, err := c.Message(ctx, "SP220211")
	require.NoError(t, err)
	assert.Equal(t, "SharePoint Features", m.FeatureDisplayName)

	// What the service sent, the caller can write back out unchanged.
	out, err := json.Marshal(map[string]any{"value": got})
	require.NoError(t, err)
	want, err := json.Marshal(json.RawMessage(fixture(t, "messages-incident.json")))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(out))
}

func TestMessageByIDNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, publicRoot+"/Messages", httpmock.NewStringResponder(200, `{"value":[]}`))
	_, err := c.Message(ctx, "EX1")
	require.Error(t, err)
	assert.True(t, office365.IsNotFound(err))
	assert.True(t, office365.HasCode(err, "MessageNotFound"))
	assert.Contains(t, err.Error(), `"EX1"`)

	// A service that ignored the filter and sent other messages: still not
	// found rather than the wrong message.
	c, mt = mockClient(t)
	mt.RegisterResponder(http.MethodGet, publicRoot+"/Messages", httpmock.NewStringResponder(200, `{"value":[{"Id":"EX2"},{"Id":"EX3"}]}`))
	_, err = c.Message(ctx, "EX1")
	assert.True(t, office365.IsNotFound(err))
	m, err := c.Message(ctx, "ex3")
	require.NoError(t, err, "ids compare case-insensitively as a fallback")
	assert.Equal(t, "EX3", m.ID)
}

func TestRetiredServiceIsAClearError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, resp := range map[string]httpmock.Responder{
		"text": func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(500, office365test.RetiredServiceCommsMessage)
			r.Header.Set("Content-Type", "text/plain; charset=utf-8")
			return r, nil
		},
		"odata": httpmock.NewStringResponder(500, `{"error":{"code":"","message":"Please use MSGraph to access this resource https://docs.microsoft.com/en-us/graph/api/resources/service-communications-api-overview"}}`),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t)
			mt.RegisterNoResponder(resp)
			_, err := c.Services(ctx)
			require.Error(t, err)
			assert.ErrorIs(t, err, servicecomms.ErrRetired)
			var apiErr *office365.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 500, apiErr.StatusCode)
			assert.Contains(t, err.Error(), "Microsoft Graph")
			assert.Contains(t, err.Error(), "Please use MSGraph")

			for _, err := range c.Messages(ctx, nil) {
				assert.ErrorIs(t, err, servicecomms.ErrRetired)
			}
			_, err = c.Message(ctx, "EX1")
			assert.ErrorIs(t, err, servicecomms.ErrRetired)
			_, err = c.HistoricalStatus(ctx, nil)
			assert.ErrorIs(t, err, servicecomms.ErrRetired)
		})
	}
	// Any other 500 is not mistaken for retirement.
	c, mt := mockClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(500, `{"error":{"code":"AF5000.  An internal server error occurred.","message":"Retry the request."}}`))
	_, err := c.CurrentStatus(ctx, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, servicecomms.ErrRetired)
	assert.True(t, office365.HasCode(err, "AF5000.  An internal server error occurred."))
}

func TestMessagesDeduplicatesAcrossPages(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	pages := map[string]string{
		"$top=2":         `{"value":[{"Id":"A"},{"Id":"B"}]}`,
		"$top=2&$skip=2": `{"value":[{"Id":"B"},{"Id":"C"}]}`, // B repeated: the collection shifted
		"$top=2&$skip=4": `{"value":[null]}`,
	}
	mt.RegisterResponder(http.MethodGet, publicRoot+"/Messages", func(r *http.Request) (*http.Response, error) {
		body, ok := pages[r.URL.RawQuery]
		if !ok {
			return nil, fmt.Errorf("unexpected query %q", r.URL.RawQuery)
		}
		return httpmock.NewStringResponse(200, body), nil
	})
	var ids []string
	for m, err := range c.Messages(context.Background(), &servicecomms.MessageOptions{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, m.ID)
	}
	assert.Equal(t, []string{"A", "B", "C"}, ids)
}

func TestMessagesStopsAfterAnError(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, publicRoot+"/Messages", func(r *http.Request) (*http.Response, error) {
		if r.URL.RawQuery == "$top=1" {
			return httpmock.NewStringResponse(200, `{"value":[{"Id":"A"}]}`), nil
		}
		return httpmock.NewStringResponse(403, `{"error":{"code":"Forbidden","message":"no"}}`), nil
	})
	var ids []string
	var errs []error
	for m, err := range c.Messages(context.Background(), &servicecomms.MessageOptions{PageSize: 1}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, m.ID)
	}
	assert.Equal(t, []string{"A"}, ids)
	require.Len(t, errs, 1)
	assert.True(t, office365.IsForbidden(errs[0]))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Services(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestMessageErrorsDoNotLeakTheToken(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(401, `{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}`))
	_, err := c.Services(context.Background())
	require.Error(t, err)
	assert.True(t, office365.IsUnauthorized(err))
	assert.NotContains(t, err.Error(), "test-token")
	assert.False(t, errors.Is(err, servicecomms.ErrRetired))
}
