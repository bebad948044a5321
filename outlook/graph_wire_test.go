package outlook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// Wire tests of the Graph dialect (office365.WithGraph): each case pins the
// exact request Graph v1.0 receives — method, escaped path, raw query,
// headers and JSON body — and answers with a Graph-shaped (camelCase)
// response that must decode into the same typed results as v2.0.

const (
	graphUser  = "/v1.0/users/adele@contoso.com"
	graphMe    = "/v1.0/me"
	graphBatch = "/v1.0/$batch"
)

type graphReq struct {
	method string
	path   string   // escaped path
	query  string   // raw query
	body   string   // JSON ("" = no body, "*" = not checked)
	prefer []string // nil = not checked
	status int
	resp   string
	header http.Header // response headers
}

type graphCase struct {
	name    string
	opts    []office365.Option
	me      bool // Me() instead of User(adele)
	call    func(ctx context.Context, mb *outlook.Mailbox) (any, error)
	reqs    []graphReq
	check   func(t *testing.T, got any)
	wantErr string
}

func graphClient(t testing.TB, mt *httpmock.MockTransport, opts ...office365.Option) *outlook.Client {
	t.Helper()
	return mockedClient(t, mt, append([]office365.Option{office365.WithGraph()}, opts...)...)
}

func runGraphWire(t *testing.T, cases []graphCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			c := graphClient(t, mt, tc.opts...)
			n := 0
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				if !assert.Less(t, n, len(tc.reqs), "unexpected request %s %s", r.Method, r.URL) {
					return httpmock.NewStringResponse(500, "unexpected"), nil
				}
				want := tc.reqs[n]
				n++
				assert.Equal(t, "graph.microsoft.com", r.URL.Host)
				assert.Equal(t, want.method, r.Method, "method")
				assert.Equal(t, want.path, r.URL.EscapedPath(), "path")
				assert.Equal(t, want.query, r.URL.RawQuery, "query")
				assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
				assert.Empty(t, r.Header.Get("X-AnchorMailbox"), "Graph routes by path")
				switch {
				case want.prefer == nil: // not checked
				case len(want.prefer) == 0:
					assert.Empty(t, r.Header.Values("Prefer"), "Prefer")
				default:
					assert.Equal(t, want.prefer, r.Header.Values("Prefer"), "Prefer")
				}
				var body []byte
				if r.Body != nil {
					body, _ = io.ReadAll(r.Body)
				}
				switch want.body {
				case "*": // not checked
				case "":
					assert.Empty(t, string(body), "body")
				default:
					assert.JSONEq(t, want.body, string(body), "body")
					assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
				}
				status := want.status
				if status == 0 {
					status = 200
				}
				resp := httpmock.NewStringResponse(status, want.resp)
				if want.resp != "" {
					resp.Header.Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true")
				}
				for k, v := range want.header {
					resp.Header[k] = v
				}
				resp.Request = r
				return resp, nil
			})
			mb := c.User(mailUser)
			if tc.me {
				mb = c.Me()
			}
			got, err := tc.call(context.Background(), mb)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(tc.reqs), n, "number of requests")
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

// scopeRecorder is a credential that records the scopes it is asked for.
type scopeRecorder struct {
	mu     sync.Mutex
	scopes []string
}

func (s *scopeRecorder) Token(_ context.Context, scopes []string) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = append([]string(nil), scopes...)
	return &oauth2.Token{AccessToken: "tok"}, nil
}

func (s *scopeRecorder) get() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scopes
}

func TestGraphClientRootAndScopes(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"id":"AAMk","subject":"s"}`))
	rec := &scopeRecorder{}
	c, err := outlook.New(rec, office365.WithGraph(), office365.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.Me().Mail().Messages().Get(context.Background(), "AAMk", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"https://graph.microsoft.com/.default"}, rec.get())
	c, err = outlook.New(rec, office365.WithGraph(), office365.WithHTTPClient(&http.Client{Transport: mt}),
		outlook.WithScopes(outlook.GraphScope(office365.CloudPublic, "Mail.Read")))
	require.NoError(t, err)
	_, err = c.Me().Mail().Messages().Get(context.Background(), "AAMk", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"https://graph.microsoft.com/Mail.Read"}, rec.get())

	assert.Equal(t, "https://graph.microsoft.com/v1.0", c.Root())
	assert.True(t, c.Graph())
	assert.Equal(t, outlook.V1, c.APIVersion())
	assert.Equal(t, "", c.User("adele@contoso.com").AnchorMailbox())
	assert.Equal(t, "https://graph.microsoft.com/v1.0/me/mailFolders('inbox')/messages", c.Me().URL("MailFolders('inbox')/messages"))

	c, err = outlook.New(auth.StaticToken("t"), office365.WithGraph(), office365.WithCloud(office365.CloudGCCHigh))
	require.NoError(t, err)
	assert.Equal(t, "https://graph.microsoft.us/v1.0", c.Root())
	c, err = outlook.New(auth.StaticToken("t"), office365.WithGraph(), office365.WithBaseURL("http://127.0.0.1:9"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9/v1.0", c.Root())
	assert.Equal(t, "https://graph.microsoft.com/Mail.Send", outlook.GraphScope(office365.CloudPublic, "Mail.Send"))
}

const graphMsgJSON = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('adele%40contoso.com')/messages/$entity",
 "@odata.etag":"W/\"CQAAABYAAAB\"","id":"AAMkAG/Id+x==","createdDateTime":"2026-12-01T10:00:00Z",
 "receivedDateTime":"2026-12-01T10:00:01Z","subject":"Quarterly numbers","bodyPreview":"See attached",
 "importance":"high","inferenceClassification":"focused","isRead":false,"isDraft":false,
 "body":{"contentType":"html","content":"<p>See attached</p>"},
 "from":{"emailAddress":{"name":"Megan Bowen","address":"megan@contoso.com"}},
 "toRecipients":[{"emailAddress":{"name":"Adele Vance","address":"adele@contoso.com"}}],
 "flag":{"flagStatus":"flagged"},"parentFolderId":"AQMkInbox","conversationId":"AAQk="}`

func checkGraphMessage(t *testing.T, m *outlook.Message) {
	t.Helper()
	assert.Equal(t, rawID, m.ID)
	assert.Equal(t, "Quarterly numbers", m.Subject)
	assert.Equal(t, outlook.ImportanceHigh, m.Importance)
	assert.Equal(t, outlook.InferenceFocused, m.InferenceClassification)
	assert.Equal(t, outlook.BodyTypeHTML, m.Body.ContentType)
	assert.Equal(t, "megan@contoso.com", m.From.EmailAddress.Address)
	assert.Equal(t, outlook.FlagFlagged, m.Flag.FlagStatus)
	assert.Equal(t, `W/"CQAAABYAAAB"`, m.ODataETag)
	require.NotNil(t, m.IsRead)
	assert.False(t, *m.IsRead)
	assert.Equal(t, "AQMkInbox", m.ParentFolderID)
}

func TestGraphMailWire(t *testing.T) {
	t.Parallel()
	runGraphWire(t, []graphCase{
		{name: "list with query options", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{
					Select: []string{"Subject", "From", "Importance"}, Filter: "IsRead eq false and Importance eq 'High'",
					OrderBy: []string{"ReceivedDateTime desc"}, Top: 1, Expand: []string{"Attachments"}}))
			},
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/mailFolders/Inbox/messages",
					query: "$filter=isRead%20eq%20false%20and%20importance%20eq%20'High'&$select=subject,from,importance&$expand=attachments&$orderby=receivedDateTime%20desc&$top=1",
					resp:  `{"value":[` + graphMsgJSON + `],"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/mailFolders/Inbox/messages?$skip=1&$top=1"}`},
				{method: "GET", path: graphMe + "/mailFolders/Inbox/messages", query: "$skip=1&$top=1", resp: `{"value":[]}`},
			},
			check: func(t *testing.T, got any) {
				ms := got.([]*outlook.Message)
				require.Len(t, ms, 1)
				checkGraphMessage(t, ms[0])
			}},
		{name: "create draft with attachment",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Create(ctx, &outlook.Message{
					Subject: "Quarterly numbers", Importance: outlook.ImportanceHigh, Body: outlook.HTMLBody("<p>See attached</p>"),
					ToRecipients: outlook.Recipients("adele@contoso.com"),
					Attachments:  outlook.Attachments{outlook.NewFileAttachment("q.txt", []byte("hi"))},
				})
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/messages", status: 201, resp: graphMsgJSON,
				body: `{"subject":"Quarterly numbers","importance":"high","body":{"contentType":"html","content":"<p>See attached</p>"},
				"toRecipients":[{"emailAddress":{"address":"adele@contoso.com"}}],
				"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"q.txt","contentType":"text/plain; charset=utf-8","contentBytes":"aGk="}]}`}},
			check: func(t *testing.T, got any) { checkGraphMessage(t, got.(*outlook.Message)) }},
		{name: "send mail",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().SendMail(ctx, &outlook.Message{Subject: "Hi", Body: outlook.TextBody("x"),
					ToRecipients: outlook.Recipients("megan@contoso.com")}, true)
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/sendMail", status: 202,
				body: `{"message":{"subject":"Hi","body":{"contentType":"text","content":"x"},"toRecipients":[{"emailAddress":{"address":"megan@contoso.com"}}]},"saveToSentItems":true}`}}},
		{name: "reply all",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().ReplyAll(ctx, rawID, "Thanks")
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/messages/" + escID + "/replyAll", status: 202, body: `{"comment":"Thanks"}`}}},
		{name: "create forward",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().CreateForward(ctx, rawID, "FYI", outlook.Recipients("megan@contoso.com"))
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/messages/" + escID + "/createForward", status: 201, resp: graphMsgJSON,
				body: `{"comment":"FYI","toRecipients":[{"emailAddress":{"address":"megan@contoso.com"}}]}`}}},
		{name: "move",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Move(ctx, rawID, outlook.FolderDeletedItems)
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/messages/" + escID + "/move", status: 201, resp: graphMsgJSON,
				body: `{"destinationId":"DeletedItems"}`}},
			check: func(t *testing.T, got any) { checkGraphMessage(t, got.(*outlook.Message)) }},
		{name: "child folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Folders().CreateChild(ctx, "AQMkInbox", "Receipts")
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/mailFolders/AQMkInbox/childFolders", status: 201,
				body: `{"displayName":"Receipts"}`,
				resp: `{"id":"AQMkR","displayName":"Receipts","parentFolderId":"AQMkInbox","childFolderCount":0,"unreadItemCount":0,"totalItemCount":0,"isHidden":false}`}},
			check: func(t *testing.T, got any) {
				f := got.(*outlook.MailFolder)
				assert.Equal(t, "AQMkR", f.ID)
				assert.Equal(t, "Receipts", f.DisplayName)
				assert.Equal(t, "AQMkInbox", f.ParentFolderID)
			}},
		{name: "rules",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Mail().Rules().List(ctx) },
			reqs: []graphReq{{method: "GET", path: graphUser + "/mailFolders/inbox/messageRules",
				resp: `{"value":[{"id":"AQAAAJ5dZqA=","displayName":"From partner","sequence":2,"isEnabled":true,"hasError":false,"isReadOnly":false,
				"conditions":{"senderContains":["adatum.com"]},"actions":{"moveToFolder":"AAMkADk","stopProcessingRules":true,"markImportance":"high"}}]}`}},
			check: func(t *testing.T, got any) {
				rs := got.([]outlook.MessageRule)
				require.Len(t, rs, 1)
				assert.Equal(t, "From partner", rs[0].DisplayName)
				assert.Equal(t, []string{"adatum.com"}, rs[0].Conditions.SenderContains)
				assert.Equal(t, "AAMkADk", rs[0].Actions.MoveToFolder)
				assert.Equal(t, outlook.ImportanceHigh, rs[0].Actions.MarkImportance)
			}},
		{name: "focused inbox override",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().CreateOverride(ctx, outlook.EmailAddress{Name: "Samantha", Address: "sam@contoso.com"}, outlook.InferenceFocused)
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/inferenceClassification/overrides", status: 201,
				body: `{"classifyAs":"focused","senderEmailAddress":{"name":"Samantha","address":"sam@contoso.com"}}`,
				resp: `{"id":"x1","classifyAs":"focused","senderEmailAddress":{"name":"Samantha","address":"sam@contoso.com"}}`}},
			check: func(t *testing.T, got any) {
				o := got.(*outlook.InferenceClassificationOverride)
				assert.Equal(t, outlook.InferenceFocused, o.ClassifyAs)
				assert.Equal(t, "x1", o.ID)
			}},
		{name: "automatic replies",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().AutomaticReplies(ctx)
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/mailboxSettings/automaticRepliesSetting",
				resp: `{"status":"alwaysEnabled","externalAudience":"contactsOnly","internalReplyMessage":"away",
				"scheduledStartDateTime":{"dateTime":"2026-12-01T08:00:00.0000000","timeZone":"UTC"}}`}},
			check: func(t *testing.T, got any) {
				a := got.(*outlook.AutomaticRepliesSetting)
				assert.Equal(t, outlook.AutomaticRepliesAlwaysEnabled, a.Status)
				assert.Equal(t, outlook.ExternalAudienceContactsOnly, a.ExternalAudience)
				assert.Equal(t, "away", a.InternalReplyMessage)
				assert.Equal(t, "2026-12-01T08:00:00.0000000", a.ScheduledStartDateTime.DateTime)
			}},
		{name: "mail tips",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().MailTips(ctx, []string{"megan@contoso.com"}, outlook.MailTipsAutomaticReplies, outlook.MailTipsMailboxFullStatus)
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/getMailTips",
				body: `{"emailAddresses":["megan@contoso.com"],"mailTipsOptions":"automaticReplies, mailboxFullStatus"}`,
				resp: `{"value":[{"emailAddress":{"address":"megan@contoso.com"},"automaticReplies":{"message":"Out"},"mailboxFull":false}]}`}},
			check: func(t *testing.T, got any) {
				tips := got.([]outlook.MailTips)
				require.Len(t, tips, 1)
				assert.Equal(t, "megan@contoso.com", tips[0].EmailAddress.Address)
				assert.Equal(t, "Out", tips[0].AutomaticReplies.Message)
			}},
		{name: "supported languages and time zones", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if _, err := mb.Mail().Settings().SupportedLanguages(ctx); err != nil {
					return nil, err
				}
				return mb.Mail().Settings().SupportedTimeZones(ctx, outlook.TimeZoneStandardIana)
			},
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/outlook/supportedLanguages", resp: `{"value":[{"locale":"de-DE","displayName":"Deutsch (Deutschland)"}]}`},
				{method: "GET", path: graphMe + "/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')",
					resp: `{"value":[{"alias":"Etc/GMT","displayName":"Etc/GMT"}]}`},
			},
			check: func(t *testing.T, got any) {
				zs := got.([]outlook.TimeZoneInformation)
				require.Len(t, zs, 1)
				assert.Equal(t, "Etc/GMT", zs[0].Alias)
			}},
		{name: "count", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Mail().Messages().Count(ctx, "IsRead eq false")
		},
			reqs:  []graphReq{{method: "GET", path: graphUser + "/messages/$count", query: "$filter=isRead%20eq%20false", resp: "7"}},
			check: func(t *testing.T, got any) { assert.Equal(t, int64(7), got) }},
		{name: "graph error", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Mail().Messages().Get(ctx, rawID, nil)
		},
			reqs: []graphReq{{method: "GET", path: graphUser + "/messages/" + escID, status: 404,
				resp: `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store.","innerError":{"date":"2026-12-01T10:17:05","request-id":"93b6","client-request-id":"e70c"}}}`}},
			wantErr: "ErrorItemNotFound"},
	})
}

func TestGraphCalendarContactsWire(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	runGraphWire(t, []graphCase{
		{name: "create recurring event",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().Events().Create(ctx, &outlook.Event{
					Subject: "Standup", Start: dt("2026-12-01T09:00:00", "Pacific Standard Time"), End: dt("2026-12-01T09:15:00", "Pacific Standard Time"),
					ShowAs:    outlook.FreeBusyBusy,
					Attendees: []outlook.Attendee{outlook.RequiredAttendee("megan@contoso.com", "Megan")},
					Location:  &outlook.Location{DisplayName: "Room 1", Coordinates: &outlook.GeoCoordinates{Latitude: outlook.Ptr(outlook.Double(47.6))}},
					Recurrence: &outlook.PatternedRecurrence{
						Pattern: &outlook.RecurrencePattern{Type: outlook.RecurrenceWeekly, Interval: 1, DaysOfWeek: []outlook.DayOfWeek{outlook.Monday, outlook.Friday}, FirstDayOfWeek: outlook.Sunday},
						Range:   &outlook.RecurrenceRange{Type: outlook.RecurrenceRangeNoEnd, StartDate: "2026-12-01"},
					},
				})
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/events", status: 201,
				body: `{"subject":"Standup","start":{"dateTime":"2026-12-01T09:00:00","timeZone":"Pacific Standard Time"},
				"end":{"dateTime":"2026-12-01T09:15:00","timeZone":"Pacific Standard Time"},"showAs":"busy",
				"attendees":[{"emailAddress":{"address":"megan@contoso.com","name":"Megan"},"type":"required"}],
				"location":{"displayName":"Room 1","coordinates":{"latitude":47.6}},
				"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday","friday"],"firstDayOfWeek":"sunday"},
				"range":{"type":"noEnd","startDate":"2026-12-01"}}}`,
				resp: `{"id":"AAMkEv","subject":"Standup","type":"seriesMaster","showAs":"busy","isAllDay":false,
				"start":{"dateTime":"2026-12-01T09:00:00.0000000","timeZone":"Pacific Standard Time"},
				"attendees":[{"type":"required","status":{"response":"none","time":"0001-01-01T00:00:00Z"},"emailAddress":{"name":"Megan","address":"megan@contoso.com"}}],
				"location":{"displayName":"Room 1","locationType":"default","uniqueIdType":"private","coordinates":{"latitude":47.6}},
				"recurrence":{"pattern":{"type":"weekly","interval":1,"month":0,"dayOfMonth":0,"daysOfWeek":["monday","friday"],"firstDayOfWeek":"sunday","index":"first"},
				"range":{"type":"noEnd","startDate":"2026-12-01","endDate":"0001-01-01","recurrenceTimeZone":"Pacific Standard Time","numberOfOccurrences":0}}}`}},
			check: func(t *testing.T, got any) {
				ev := got.(*outlook.Event)
				assert.Equal(t, outlook.EventSeriesMaster, ev.Type)
				assert.Equal(t, outlook.FreeBusyBusy, ev.ShowAs)
				assert.Equal(t, outlook.AttendeeRequired, ev.Attendees[0].Type)
				assert.Equal(t, outlook.ResponseNone, ev.Attendees[0].Status.Response)
				assert.Equal(t, outlook.LocationDefault, ev.Location.LocationType)
				assert.Equal(t, []outlook.DayOfWeek{outlook.Monday, outlook.Friday}, ev.Recurrence.Pattern.DaysOfWeek)
				assert.Equal(t, outlook.WeekFirst, ev.Recurrence.Pattern.Index)
				assert.Equal(t, outlook.RecurrenceRangeNoEnd, ev.Recurrence.Range.Type)
			}},
		{name: "calendar view", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Calendar().View(ctx, start, start.Add(24*time.Hour), &outlook.ListOptions{Select: []string{"Subject", "Start"}}))
			},
			reqs: []graphReq{{method: "GET", path: graphMe + "/calendarView",
				query: "startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-02T00:00:00Z&$select=subject,start",
				resp:  `{"value":[{"id":"e1","subject":"Standup","start":{"dateTime":"2026-12-01T09:00:00.0000000","timeZone":"UTC"}}]}`}},
			check: func(t *testing.T, got any) {
				evs := got.([]*outlook.Event)
				require.Len(t, evs, 1)
				assert.Equal(t, "Standup", evs[0].Subject)
			}},
		{name: "accept",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Calendar().Events().Accept(ctx, "e1", "See you", true)
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/events/e1/accept", status: 202, body: `{"comment":"See you","sendResponse":true}`}}},
		{name: "snooze reminder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Calendar().Events().SnoozeReminder(ctx, "e1", *dt("2026-12-01T08:55:00", "UTC"))
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/events/e1/snoozeReminder",
				body: `{"newReminderTime":{"dateTime":"2026-12-01T08:55:00","timeZone":"UTC"}}`}}},
		{name: "reminder view",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Calendar().Reminders(ctx, start, start.Add(time.Hour)))
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/reminderView(startDateTime='2026-12-01T00:00:00.0000000',endDateTime='2026-12-01T01:00:00.0000000')",
				resp: `{"value":[{"eventId":"e1","eventSubject":"Standup","reminderFireTime":{"dateTime":"2026-12-01T08:45:00.0000000","timeZone":"UTC"}}]}`}},
			check: func(t *testing.T, got any) {
				rs := got.([]*outlook.Reminder)
				require.Len(t, rs, 1)
				assert.Equal(t, "e1", rs[0].EventID)
				assert.Equal(t, "Standup", rs[0].EventSubject)
			}},
		{name: "create contact",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Contacts().Create(ctx, &outlook.Contact{GivenName: "Pavel", MobilePhone1: "+1 425 555 0100",
					EmailAddresses: []outlook.EmailAddress{{Address: "pavel@contoso.com"}}})
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/contacts", status: 201,
				body: `{"givenName":"Pavel","mobilePhone":"+1 425 555 0100","emailAddresses":[{"address":"pavel@contoso.com"}]}`,
				resp: `{"id":"c1","givenName":"Pavel","mobilePhone":"+1 425 555 0100","emailAddresses":[{"name":"Pavel","address":"pavel@contoso.com"}],"businessPhones":[]}`}},
			check: func(t *testing.T, got any) {
				c := got.(*outlook.Contact)
				assert.Equal(t, "+1 425 555 0100", c.MobilePhone1)
				assert.Equal(t, "pavel@contoso.com", c.EmailAddresses[0].Address)
			}},
		{name: "contact folders child",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Contacts().Folders().ListChildren(ctx, "cf1", nil))
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/contactFolders/cf1/childFolders", resp: `{"value":[{"id":"cf2","displayName":"Family","parentFolderId":"cf1"}]}`}},
			check: func(t *testing.T, got any) {
				fs := got.([]*outlook.ContactFolder)
				require.Len(t, fs, 1)
				assert.Equal(t, "Family", fs[0].DisplayName)
			}},
	})
}

func TestGraphPhotoExtensionsWire(t *testing.T) {
	t.Parallel()
	color := outlook.NamedProperty(outlook.PropertyTypeString, outlook.PropertySetPublicStrings, "Color")
	runGraphWire(t, []graphCase{
		{name: "photo metadata", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Photo().Get(ctx) },
			reqs: []graphReq{{method: "GET", path: graphMe + "/photo",
				resp: `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('x')/photo/$entity","@odata.mediaContentType":"image/jpeg","@odata.mediaEtag":"\"BA09D118\"","id":"240x240","width":240,"height":240}`}},
			check: func(t *testing.T, got any) {
				p := got.(*outlook.Photo)
				assert.Equal(t, "240x240", p.ID)
				assert.Equal(t, int32(240), p.Width)
				assert.Equal(t, "image/jpeg", p.MediaContentType)
				assert.Equal(t, `"BA09D118"`, p.MediaETag)
			}},
		{name: "photo sizes are v1.0 on Graph", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Photo().GetSize(ctx, outlook.PhotoSize48)
			},
			reqs: []graphReq{{method: "GET", path: graphMe + "/photos('48x48')", resp: `{"id":"48x48","width":48,"height":48}`}}},
		{name: "photo bytes", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				r, err := mb.Photo().Download(ctx)
				if err != nil {
					return nil, err
				}
				defer r.Close()
				return io.ReadAll(r)
			},
			reqs:  []graphReq{{method: "GET", path: graphMe + "/photo/$value", resp: "JPEGDATA"}},
			check: func(t *testing.T, got any) { assert.Equal(t, "JPEGDATA", string(got.([]byte))) }},
		{name: "extended properties get",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.ExtendedProperties(outlook.MessageRef(rawID)).Get(ctx, color)
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/messages/" + escID,
				query: "$select=id&$expand=singleValueExtendedProperties($filter=id%20eq%20'String%20%7B00020329-0000-0000-C000-000000000046%7D%20Name%20Color')",
				resp:  `{"id":"AAMkAG/Id+x==","singleValueExtendedProperties":[{"id":"String {00020329-0000-0000-c000-000000000046} Name Color","value":"Green"}]}`}},
			check: func(t *testing.T, got any) {
				p := got.(*outlook.ExtendedProperties)
				v, ok := outlook.FindSingleValue(p.Single, color)
				assert.True(t, ok)
				assert.Equal(t, "Green", v)
			}},
		{name: "extended properties set",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.ExtendedProperties(outlook.EventRef("e1")).Set(ctx,
					[]outlook.SingleValueLegacyExtendedProperty{{PropertyID: color.String(), Value: "Green"}}, nil)
			},
			reqs: []graphReq{{method: "PATCH", path: graphUser + "/events/e1", query: "$select=id",
				body: `{"singleValueExtendedProperties":[{"id":"String {00020329-0000-0000-C000-000000000046} Name Color","value":"Green"}]}`,
				resp: `{"id":"e1"}`}}},
		{name: "open extension create",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				ext, err := outlook.NewExtension("Com.Contoso.Referral", map[string]any{"companyName": "Wingtip", "Type": "High"})
				if err != nil {
					return nil, err
				}
				return mb.Extensions(outlook.MessageRef(rawID)).Create(ctx, ext)
			},
			reqs: []graphReq{{method: "POST", path: graphUser + "/messages/" + escID + "/extensions", status: 201,
				body: `{"@odata.type":"microsoft.graph.openTypeExtension","extensionName":"Com.Contoso.Referral","companyName":"Wingtip","Type":"High"}`,
				resp: `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Me/messages('x')/extensions/$entity","@odata.type":"#microsoft.graph.openTypeExtension",
				"@odata.id":"https://graph.microsoft.com/v1.0/users('x')/messages('y')/extensions('microsoft.graph.openTypeExtension.Com.Contoso.Referral')",
				"extensionName":"Com.Contoso.Referral","id":"microsoft.graph.openTypeExtension.Com.Contoso.Referral","companyName":"Wingtip","Type":"High"}`}},
			check: func(t *testing.T, got any) {
				e := got.(*outlook.Extension)
				assert.Equal(t, outlook.ExtensionID("Com.Contoso.Referral"), e.ID)
				assert.Equal(t, outlook.ODataTypeOpenTypeExtension, e.ODataType)
				var v string
				ok, err := e.Get("companyName", &v)
				require.NoError(t, err)
				assert.True(t, ok)
				assert.Equal(t, "Wingtip", v)
				ok, _ = e.Get("Type", &v)
				assert.True(t, ok)
				assert.Equal(t, "High", v, "custom properties are never translated")
			}},
		{name: "open extension get by name",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Extensions(outlook.ContactRef("c1")).Get(ctx, outlook.ExtensionID("Com.Contoso.Referral"))
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/contacts/c1/extensions('microsoft.graph.openTypeExtension.Com.Contoso.Referral')",
				resp: `{"@odata.type":"#microsoft.graph.openTypeExtension","id":"microsoft.graph.openTypeExtension.Com.Contoso.Referral","extensionName":"Com.Contoso.Referral","dealValue":500050}`}},
			check: func(t *testing.T, got any) {
				var n int
				ok, err := got.(*outlook.Extension).Get("dealValue", &n)
				require.NoError(t, err)
				assert.True(t, ok)
				assert.Equal(t, 500050, n)
			}},
		{name: "expand extension filter",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().List(ctx, &outlook.ListOptions{Filter: outlook.HasExtensionFilter("Com.Contoso.Referral"),
					Expand: []string{outlook.ExpandExtension("Com.Contoso.Referral")}}))
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/messages",
				query: "$filter=extensions/any(f:f/id%20eq%20'microsoft.graph.openTypeExtension.Com.Contoso.Referral')&$expand=extensions($filter=id%20eq%20'microsoft.graph.openTypeExtension.Com.Contoso.Referral')",
				resp:  `{"value":[{"id":"m1","extensions":[{"@odata.type":"#microsoft.graph.openTypeExtension","id":"microsoft.graph.openTypeExtension.Com.Contoso.Referral","extensionName":"Com.Contoso.Referral","companyName":"Wingtip"}]}]}`}},
			check: func(t *testing.T, got any) {
				ms := got.([]*outlook.Message)
				require.Len(t, ms, 1)
				e, ok, err := outlook.FindExtension(ms[0].Extensions, "Com.Contoso.Referral")
				require.NoError(t, err)
				require.True(t, ok)
				var v string
				_, _ = e.Get("companyName", &v)
				assert.Equal(t, "Wingtip", v)
			}},
	})
}

func TestGraphDeltaWire(t *testing.T) {
	t.Parallel()
	const base = "https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta"
	gone := `{"error":{"code":"syncStateNotFound","message":"The sync state was not found."}}`
	type result struct {
		pages []*outlook.DeltaPage[outlook.Message]
		state outlook.DeltaState
	}
	run := func(ctx context.Context, mb *outlook.Mailbox, state outlook.DeltaState) (any, error) {
		var r result
		r.state = state
		for p, err := range mb.Mail().Messages().InFolder("inbox").Delta(ctx, &r.state, &outlook.DeltaOptions{Select: []string{"Subject"}, MaxPageSize: 2}) {
			if err != nil {
				return nil, err
			}
			r.pages = append(r.pages, p)
		}
		return r, nil
	}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	runGraphWire(t, []graphCase{
		{name: "round with removal", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return run(ctx, mb, outlook.DeltaState{}) },
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/mailFolders/inbox/messages/delta", query: "$select=subject", prefer: []string{"odata.maxpagesize=2"},
					resp: `{"@odata.context":"x","value":[{"@odata.type":"#microsoft.graph.message","@odata.etag":"W/\"1\"","id":"m1","subject":"Hi"},
					{"@odata.type":"#microsoft.graph.message","id":"m2","@removed":{"reason":"deleted"}}],"@odata.nextLink":"` + base + `?$skiptoken=A"}`},
				{method: "GET", path: graphMe + "/mailFolders/inbox/messages/delta", query: "$skiptoken=A", prefer: []string{"odata.maxpagesize=2"},
					resp: `{"value":[],"@odata.deltaLink":"` + base + `?$deltatoken=B"}`},
			},
			check: func(t *testing.T, got any) {
				r := got.(result)
				require.Len(t, r.pages, 2)
				require.Len(t, r.pages[0].Changes, 2)
				assert.Equal(t, "Hi", r.pages[0].Changes[0].Item.Subject)
				assert.Equal(t, outlook.DeltaChange[outlook.Message]{ID: "m2", Removed: true, Reason: "deleted"}, r.pages[0].Changes[1])
				assert.True(t, r.pages[1].RoundComplete)
				assert.Equal(t, base+"?$deltatoken=B", r.state.Link)
				assert.False(t, r.pages[0].Resynced || r.pages[1].Resynced)
			}},
		{name: "expired state resyncs", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return run(ctx, mb, outlook.DeltaState{Resource: "MailFolders/inbox/messages", Link: base + "?$deltatoken=B", RoundComplete: true})
			},
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/mailFolders/inbox/messages/delta", query: "$deltatoken=B", status: 410, resp: gone},
				{method: "GET", path: graphMe + "/mailFolders/inbox/messages/delta", query: "$select=subject",
					resp: `{"value":[{"id":"m1","subject":"Hi"}],"@odata.deltaLink":"` + base + `?$deltatoken=C"}`},
			},
			check: func(t *testing.T, got any) {
				r := got.(result)
				require.Len(t, r.pages, 1)
				assert.True(t, r.pages[0].Resynced)
				assert.True(t, r.pages[0].RoundComplete)
				assert.Equal(t, "m1", r.pages[0].Changes[0].ID)
				assert.Equal(t, base+"?$deltatoken=C", r.state.Link)
			}},
		{name: "resync refused twice ends with the error", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return run(ctx, mb, outlook.DeltaState{Resource: "MailFolders/inbox/messages", Link: base + "?$skiptoken=A"})
			},
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/mailFolders/inbox/messages/delta", query: "$skiptoken=A", status: 400, resp: gone},
				{method: "GET", path: graphMe + "/mailFolders/inbox/messages/delta", query: "$select=subject", status: 410, resp: gone},
			},
			wantErr: "syncStateNotFound"},
		{name: "calendar view delta",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				var n int
				for p, err := range mb.Calendar().ViewDelta(ctx, start, start.Add(24*time.Hour), nil, nil) {
					if err != nil {
						return nil, err
					}
					n += len(p.Changes)
				}
				return n, nil
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/calendarView/delta", query: "startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-02T00:00:00Z",
				prefer: []string{}, resp: `{"value":[{"id":"e1","subject":"x"}],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/users/adele@contoso.com/calendarView/delta?$deltatoken=Z"}`}},
			check: func(t *testing.T, got any) { assert.Equal(t, 1, got) }},
	})
}

func TestGraphBatchWire(t *testing.T) {
	t.Parallel()
	type out struct {
		get     *outlook.BatchResult[*outlook.Message]
		create  *outlook.BatchResult[*outlook.Contact]
		missing *outlook.BatchResult[struct{}]
		busy    *outlook.BatchResult[*outlook.Message]
	}
	queue := func(b *outlook.Batch) out {
		return out{
			get: outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
				return mb.Mail().Messages().Get(ctx, rawID, &outlook.GetOptions{Select: []string{"Subject"}})
			}),
			create: outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Contact, error) {
				return mb.Contacts().Create(ctx, &outlook.Contact{GivenName: "Pavel", MobilePhone1: "1"})
			}),
			missing: b.Call(func(ctx context.Context, mb *outlook.Mailbox) error { return mb.Mail().Messages().Delete(ctx, "gone") }),
			busy: outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
				return mb.Mail().Messages().Get(ctx, "m4", nil)
			}),
		}
	}
	runGraphWire(t, []graphCase{
		{name: "independent requests, answers in any order",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				b := mb.NewBatch(nil)
				o := queue(b)
				return o, b.Send(ctx)
			},
			reqs: []graphReq{{method: "POST", path: graphBatch,
				body: `{"requests":[
				{"id":"1","method":"GET","url":"/users/adele@contoso.com/messages/AAMkAG%2FId+x==?$select=subject"},
				{"id":"2","method":"POST","url":"/users/adele@contoso.com/contacts","headers":{"Content-Type":"application/json"},"body":{"givenName":"Pavel","mobilePhone":"1"}},
				{"id":"3","method":"DELETE","url":"/users/adele@contoso.com/messages/gone"},
				{"id":"4","method":"GET","url":"/users/adele@contoso.com/messages/m4"}]}`,
				resp: `{"responses":[
				{"id":"3","status":404,"headers":{"Content-Type":"application/json"},"body":{"error":{"code":"ErrorItemNotFound","message":"Not found."}}},
				{"id":"4","status":429,"headers":{"Retry-After":"7","Content-Type":"application/json"},"body":{"error":{"code":"ApplicationThrottled","message":"MailboxConcurrency"}}},
				{"id":"1","status":200,"headers":{"Content-Type":"application/json"},"body":{"id":"AAMkAG/Id+x==","subject":"Hi","importance":"low"}},
				{"id":"2","status":201,"headers":{"Content-Type":"application/json"},"body":{"id":"c1","givenName":"Pavel","mobilePhone":"1"}}]}`}},
			check: func(t *testing.T, got any) {
				o := got.(out)
				m, err := o.get.Result()
				require.NoError(t, err)
				assert.Equal(t, "Hi", m.Subject)
				assert.Equal(t, outlook.ImportanceLow, m.Importance)
				c, err := o.create.Result()
				require.NoError(t, err)
				assert.Equal(t, "1", c.MobilePhone1)
				assert.Equal(t, 201, o.create.StatusCode())
				assert.True(t, office365.IsNotFound(o.missing.Err()))
				err = o.busy.Err()
				assert.True(t, office365.IsThrottled(err))
				var oe *office365.Error
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, 7*time.Second, oe.RetryAfter)
			}},
		{name: "stop on error chains with dependsOn",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				b := mb.NewBatch(&outlook.BatchOptions{StopOnError: true})
				o := queue(b)
				return o, b.Send(ctx)
			},
			reqs: []graphReq{{method: "POST", path: graphBatch,
				body: `{"requests":[
				{"id":"1","method":"GET","url":"/users/adele@contoso.com/messages/AAMkAG%2FId+x==?$select=subject"},
				{"id":"2","method":"POST","url":"/users/adele@contoso.com/contacts","headers":{"Content-Type":"application/json"},"body":{"givenName":"Pavel","mobilePhone":"1"},"dependsOn":["1"]},
				{"id":"3","method":"DELETE","url":"/users/adele@contoso.com/messages/gone","dependsOn":["2"]},
				{"id":"4","method":"GET","url":"/users/adele@contoso.com/messages/m4","dependsOn":["3"]}]}`,
				resp: `{"responses":[
				{"id":"1","status":200,"body":{"id":"x","subject":"Hi"}},
				{"id":"2","status":400,"body":{"error":{"code":"ErrorInvalidRequest","message":"Bad."}}},
				{"id":"3","status":424,"body":{"error":{"code":"BadRequest","message":"Failed dependency"}}},
				{"id":"4","status":424,"body":{"error":{"code":"BadRequest","message":"Failed dependency"}}}]}`}},
			check: func(t *testing.T, got any) {
				o := got.(out)
				assert.NoError(t, o.get.Err())
				assert.Equal(t, 400, office365.StatusCode(o.create.Err()))
				assert.ErrorIs(t, o.missing.Err(), outlook.ErrBatchPartSkipped)
				assert.ErrorIs(t, o.busy.Err(), outlook.ErrBatchPartSkipped)
			}},
		{name: "not a JSON batch",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				b := mb.NewBatch(nil)
				queue(b)
				return nil, b.Send(ctx)
			},
			reqs:    []graphReq{{method: "POST", path: graphBatch, body: "*", resp: `{"value":[]}`}},
			wantErr: "not a JSON batch"},
	})
}

func TestGraphTodoWire(t *testing.T) {
	t.Parallel()
	lists := `{"value":[{"@odata.etag":"W/\"a\"","id":"L1","displayName":"Tasks","isOwner":true,"isShared":false,"wellknownListName":"defaultList"},
	{"id":"L/2","displayName":"Groceries","isOwner":true,"isShared":false,"wellknownListName":"none"}]}`
	task := `{"@odata.etag":"W/\"b\"","id":"t1","title":"Buy milk","status":"notStarted","importance":"high","isReminderOn":false,
	"body":{"content":"2 l","contentType":"text"},"categories":["Home"],"createdDateTime":"2026-12-01T10:00:00.0000000Z",
	"lastModifiedDateTime":"2026-12-01T10:00:00.0000000Z","bodyLastModifiedDateTime":"2026-12-01T10:00:00.0000000Z",
	"dueDateTime":{"dateTime":"2026-12-02T00:00:00.0000000","timeZone":"UTC"},"hasAttachments":false}`
	due := dt("2026-12-02T00:00:00", "UTC")
	runGraphWire(t, []graphCase{
		{name: "create then get in the default list (resolved once)", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if _, err := mb.Tasks().Create(ctx, &outlook.Task{Subject: "Buy milk", Importance: outlook.ImportanceHigh, DueDateTime: due,
					Body: outlook.TextBody("2 l"), Status: outlook.TaskNotStarted, ParentFolderID: "ignored", ChangeKey: "ignored"}); err != nil {
					return nil, err
				}
				return mb.Tasks().InFolder(outlook.WellKnownTaskFolder).Get(ctx, "t1", nil)
			},
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/todo/lists", resp: lists},
				{method: "POST", path: graphMe + "/todo/lists/L1/tasks", status: 201, resp: task,
					body: `{"title":"Buy milk","importance":"high","status":"notStarted","body":{"contentType":"text","content":"2 l"},
					"dueDateTime":{"dateTime":"2026-12-02T00:00:00","timeZone":"UTC"}}`},
				{method: "GET", path: graphMe + "/todo/lists/L1/tasks/t1", resp: task},
			},
			check: func(t *testing.T, got any) {
				tk := got.(*outlook.Task)
				assert.Equal(t, "Buy milk", tk.Subject)
				assert.Equal(t, outlook.TaskNotStarted, tk.Status)
				assert.Equal(t, outlook.ImportanceHigh, tk.Importance)
				assert.Equal(t, []string{"Home"}, tk.Categories)
				assert.Equal(t, `W/"b"`, tk.ODataETag)
				assert.Equal(t, "2026-12-02T00:00:00.0000000", tk.DueDateTime.DateTime)
			}},
		{name: "list every list", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Tasks().List(ctx, nil))
			},
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/todo/lists", resp: lists},
				{method: "GET", path: graphMe + "/todo/lists/L1/tasks", resp: `{"value":[` + task + `]}`},
				{method: "GET", path: graphMe + "/todo/lists/L%2F2/tasks", resp: `{"value":[{"id":"t2","title":"Eggs","status":"completed"}]}`},
			},
			check: func(t *testing.T, got any) {
				ts := got.([]*outlook.Task)
				require.Len(t, ts, 2)
				assert.Equal(t, "L1", ts[0].ParentFolderID)
				assert.Equal(t, "Eggs", ts[1].Subject)
				assert.Equal(t, "L/2", ts[1].ParentFolderID)
				assert.True(t, ts[1].IsCompleted())
			}},
		{name: "complete patches the status",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Tasks().InFolder("L/2").Complete(ctx, "t2")
			},
			reqs: []graphReq{{method: "PATCH", path: graphUser + "/todo/lists/L%2F2/tasks/t2", body: `{"status":"completed"}`,
				resp: `{"id":"t2","title":"Eggs","status":"completed","completedDateTime":{"dateTime":"2026-12-01T11:00:00.0000000","timeZone":"UTC"}}`}},
			check: func(t *testing.T, got any) {
				ts := got.([]outlook.Task)
				require.Len(t, ts, 1)
				assert.True(t, ts[0].IsCompleted())
				assert.Equal(t, "2026-12-01T11:00:00.0000000", ts[0].CompletedDateTime.DateTime)
			}},
		{name: "folders are lists",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Tasks().Folders().List(ctx, nil))
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/todo/lists", resp: lists}},
			check: func(t *testing.T, got any) {
				fs := got.([]*outlook.TaskFolder)
				require.Len(t, fs, 2)
				assert.Equal(t, "Tasks", fs[0].Name)
				assert.True(t, *fs[0].IsDefaultFolder)
				assert.Equal(t, "Groceries", fs[1].Name)
				assert.False(t, *fs[1].IsDefaultFolder)
			}},
		{name: "create and rename a list",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if _, err := mb.Tasks().Folders().Create(ctx, "Groceries"); err != nil {
					return nil, err
				}
				return mb.Tasks().Folders().Update(ctx, "L/2", &outlook.TaskFolderUpdate{Name: outlook.Set("Shopping")})
			},
			reqs: []graphReq{
				{method: "POST", path: graphUser + "/todo/lists", body: `{"displayName":"Groceries"}`, status: 201,
					resp: `{"id":"L/2","displayName":"Groceries","wellknownListName":"none"}`},
				{method: "PATCH", path: graphUser + "/todo/lists/L%2F2", body: `{"displayName":"Shopping"}`,
					resp: `{"id":"L/2","displayName":"Shopping","wellknownListName":"none"}`},
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "Shopping", got.(*outlook.TaskFolder).Name) }},
		{name: "task delta",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectDelta(mb.Tasks().InFolder("L1").Delta(ctx, nil, nil))
			},
			reqs: []graphReq{{method: "GET", path: graphUser + "/todo/lists/L1/tasks/delta", prefer: []string{},
				resp: `{"value":[{"id":"t1","title":"x"},{"id":"t9","@removed":{"reason":"deleted"}}],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/users/adele@contoso.com/todo/lists/L1/tasks/delta?$deltatoken=Q"}`}},
			check: func(t *testing.T, got any) { assert.Equal(t, 2, got) }},
		{name: "task attachments are taskFileAttachments", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Tasks().Attachments("t/2").Add(ctx, &outlook.FileAttachment{
					AttachmentBase: outlook.AttachmentBase{Name: "receipt.txt", ContentType: "text/plain"}, ContentBytes: []byte("42 EUR")})
			},
			reqs: []graphReq{
				{method: "GET", path: graphMe + "/todo/lists", resp: lists},
				{method: "GET", path: graphMe + "/todo/lists/L1/tasks/t%2F2", query: "$select=id", status: 404,
					resp: `{"error":{"code":"ErrorItemNotFound","message":"Not found."}}`},
				{method: "GET", path: graphMe + "/todo/lists", resp: lists},
				{method: "GET", path: graphMe + "/todo/lists/L%2F2/tasks/t%2F2", query: "$select=id", resp: `{"id":"t/2"}`},
				{method: "POST", path: graphMe + "/todo/lists/L%2F2/tasks/t%2F2/attachments", status: 201,
					body: `{"@odata.type":"#microsoft.graph.taskFileAttachment","name":"receipt.txt","contentType":"text/plain","contentBytes":"NDIgRVVS"}`,
					resp: `{"@odata.type":"#microsoft.graph.taskFileAttachment","id":"a1","name":"receipt.txt","contentType":"text/plain","size":6,"contentBytes":"NDIgRVVS","lastModifiedDateTime":"2026-12-01T10:00:00Z"}`},
			},
			check: func(t *testing.T, got any) {
				a, ok := got.(*outlook.FileAttachment)
				require.True(t, ok, "%T", got)
				assert.Equal(t, "receipt.txt", a.Name)
				assert.Equal(t, []byte("42 EUR"), a.ContentBytes)
			}},
		{name: "no equivalent is an error",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Tasks().InFolder("L1").Create(ctx, &outlook.Task{Subject: "x", Sensitivity: outlook.SensitivityPrivate})
			},
			wantErr: "Sensitivity has no equivalent in Microsoft To Do"},
		{name: "no task groups",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Tasks().Groups().List(ctx, nil))
			},
			wantErr: "task groups have no equivalent"},
	})
}

// Real-shaped Graph payloads (the Graph documentation's samples, in
// testdata/graph) decode into the typed models with no field lost: every
// property they carry comes back, with the same value, when the model is
// encoded again in Graph's spelling. The few keys listed per payload are
// Graph-only instance annotations the models do not hold.
func TestGraphPayloadsDecodeWithoutLoss(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file   string
		get    func(ctx context.Context, mb *outlook.Mailbox) (any, error)
		ignore []string
	}{
		{"message.json", func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Mail().Messages().Get(ctx, "x", nil)
		}, []string{"@odata.context"}},
		{"event.json", func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Calendar().Events().Get(ctx, "x", nil)
		}, []string{"@odata.context", "calendar@odata.associationLink", "calendar@odata.navigationLink"}},
		{"contact.json", func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Contacts().Get(ctx, "x", nil)
		}, []string{"@odata.context"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			payload, err := os.ReadFile("testdata/graph/" + tc.file)
			require.NoError(t, err)
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(httpmock.NewBytesResponder(200, payload))
			got, err := tc.get(context.Background(), graphClient(t, mt).Me())
			require.NoError(t, err)
			again, err := json.Marshal(got)
			require.NoError(t, err)
			again, err = graphwire.Rewrite(nil, again, graphwire.ToGraph, graphwire.Entity)
			require.NoError(t, err)
			var want, have map[string]any
			require.NoError(t, json.Unmarshal(payload, &want))
			require.NoError(t, json.Unmarshal(again, &have))
			for _, k := range tc.ignore {
				require.Contains(t, want, k)
				delete(want, k)
			}
			assertSubset(t, "", want, have)
		})
	}
}

// assertSubset checks that every non-empty value of want is in have.
func assertSubset(t *testing.T, path string, want, have any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !assert.True(t, ok, "%s: %v is not an object", path, have) {
			return
		}
		for k, v := range w {
			if isEmptyJSON(v) {
				continue
			}
			assert.Contains(t, h, k, "%s/%s lost", path, k)
			assertSubset(t, path+"/"+k, v, h[k])
		}
	case []any:
		h, ok := have.([]any)
		if !assert.True(t, ok, "%s: %v is not an array", path, have) || !assert.Len(t, h, len(w), path) {
			return
		}
		for i := range w {
			assertSubset(t, fmt.Sprintf("%s/%d", path, i), w[i], h[i])
		}
	default:
		assert.Equal(t, want, have, path)
	}
}

// isEmptyJSON reports null, "", [] and {}: values the models leave out
// when they encode (omitempty), with the same meaning.
func isEmptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func TestGraphAttachmentKinds(t *testing.T) {
	t.Parallel()
	runGraphWire(t, []graphCase{
		{name: "item attachment", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				a, err := outlook.NewEventItemAttachment("Holiday event",
					&outlook.Event{Subject: "Holiday", Start: dt("2026-12-24T00:00:00", "UTC"), End: dt("2026-12-25T00:00:00", "UTC")})
				if err != nil {
					return nil, err
				}
				return mb.Mail().Messages().Attachments("m1").Add(ctx, a)
			},
			reqs: []graphReq{{method: "POST", path: graphMe + "/messages/m1/attachments", status: 201,
				body: `{"@odata.type":"#microsoft.graph.itemAttachment","name":"Holiday event","item":{"@odata.type":"#microsoft.graph.event","subject":"Holiday",
				"start":{"dateTime":"2026-12-24T00:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-25T00:00:00","timeZone":"UTC"}}}`,
				resp: `{"@odata.type":"#microsoft.graph.itemAttachment","id":"a1","name":"Holiday event","contentType":null,"size":3840,"isInline":false}`}},
			check: func(t *testing.T, got any) {
				a, ok := got.(*outlook.ItemAttachment)
				require.True(t, ok, "%T", got)
				assert.Equal(t, "a1", a.ID)
			}},
		{name: "reference attachment is refused", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Attachments("m1").Add(ctx, &outlook.ReferenceAttachment{
					AttachmentBase: outlook.AttachmentBase{Name: "Plan"}, SourceURL: "https://contoso.sharepoint.com/plan.docx"})
			},
			wantErr: "cannot create reference attachments"},
		{name: "list decodes every kind", me: true,
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect2(mb.Mail().Messages().Attachments("m1").List(ctx, nil))
			},
			reqs: []graphReq{{method: "GET", path: graphMe + "/messages/m1/attachments",
				resp: `{"value":[{"@odata.type":"#microsoft.graph.fileAttachment","id":"a1","name":"a.txt","contentType":"text/plain","size":2,"contentBytes":"aGk="},
				{"@odata.type":"#microsoft.graph.itemAttachment","id":"a2","name":"Fwd","size":10},
				{"@odata.type":"#microsoft.graph.referenceAttachment","id":"a3","name":"Plan","size":0}]}`}},
			check: func(t *testing.T, got any) {
				as := got.([]outlook.Attachment)
				require.Len(t, as, 3)
				assert.IsType(t, &outlook.FileAttachment{}, as[0])
				assert.Equal(t, []byte("hi"), as[0].(*outlook.FileAttachment).ContentBytes)
				assert.IsType(t, &outlook.ItemAttachment{}, as[1])
				assert.IsType(t, &outlook.ReferenceAttachment{}, as[2])
			}},
	})
}
