package outlook_test

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
)

// Exact wire tests of every Mail operation: one httpmock transport per
// test; each case checks method, escaped path, raw query, the headers that
// matter (X-AnchorMailbox, Prefer, Content-Type) and the JSON body.

const (
	mailRoot  = "https://outlook.office.com"
	mailUser  = "adele@contoso.com"
	mailUPath = "/api/v2.0/users/adele@contoso.com"
	mailBeta  = "/api/beta/users/adele@contoso.com"
	// An id with the characters that need escaping in a path.
	rawID = "AAMkAG/Id+x=="
	escID = "AAMkAG%2FId+x=="
)

type mailReq struct {
	method string
	path   string // escaped path
	query  string // raw query
	body   string // JSON ("" = no body)
	prefer []string
	ctype  string // expected Content-Type ("" = not checked unless body set)
	accept string // expected Accept ("" = application/json)
	status int
	resp   string
	rctype string
}

type mailCase struct {
	name    string
	opts    []office365.Option
	mb      func(c *outlook.Client) *outlook.Mailbox
	call    func(ctx context.Context, mb *outlook.Mailbox) (any, error)
	reqs    []mailReq
	check   func(t *testing.T, got any)
	wantErr string
}

func runMailWire(t *testing.T, cases []mailCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			opts := append([]office365.Option{office365.WithHTTPClient(&http.Client{Transport: mt}),
				office365.WithRetry(office365.RetryOptions{MaxRetries: -1})}, tc.opts...)
			c, err := outlook.New(auth.StaticToken("tok"), opts...)
			require.NoError(t, err)
			n := 0
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				if !assert.Less(t, n, len(tc.reqs), "unexpected request %s %s", r.Method, r.URL) {
					return httpmock.NewStringResponse(500, "unexpected"), nil
				}
				want := tc.reqs[n]
				n++
				assert.Equal(t, want.method, r.Method, "method")
				assert.Equal(t, want.path, r.URL.EscapedPath(), "path")
				assert.Equal(t, want.query, r.URL.RawQuery, "query")
				assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
				accept := want.accept
				if accept == "" {
					accept = "application/json"
				}
				assert.Equal(t, accept, r.Header.Get("Accept"), "Accept")
				assert.Equal(t, want.prefer, r.Header.Values("Prefer"), "Prefer")
				if strings.Contains(want.path, "/users/adele@contoso.com/") || strings.HasSuffix(want.path, "/users/adele@contoso.com") {
					assert.Equal(t, mailUser, r.Header.Get("X-AnchorMailbox"))
				}
				var body []byte
				if r.Body != nil {
					body, _ = io.ReadAll(r.Body)
				}
				if want.body == "" {
					assert.Empty(t, body, "body")
				} else {
					assert.JSONEq(t, want.body, string(body), "body")
					ct := want.ctype
					if ct == "" {
						ct = "application/json"
					}
					assert.Equal(t, ct, r.Header.Get("Content-Type"))
				}
				status := want.status
				if status == 0 {
					status = 200
				}
				resp := httpmock.NewStringResponse(status, want.resp)
				ct := want.rctype
				if ct == "" && want.resp != "" {
					ct = "application/json;odata.metadata=minimal"
				}
				if ct != "" {
					resp.Header.Set("Content-Type", ct)
				}
				resp.Request = r
				return resp, nil
			})
			mbf := tc.mb
			if mbf == nil {
				mbf = func(c *outlook.Client) *outlook.Mailbox { return c.User(mailUser) }
			}
			got, err := tc.call(context.Background(), mbf(c))
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

func collectSeq[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

const msgJSON = `{"@odata.context":"x","@odata.id":"y","@odata.etag":"W/\"CK\"","Id":"AAMkAG/Id+x==","Subject":"Hi","IsRead":false,
 "From":{"EmailAddress":{"Name":"Alex","Address":"alex@contoso.com"}},"ReceivedDateTime":"2016-10-19T10:37:00Z"}`

func TestMailWireMessages(t *testing.T) {
	t.Parallel()
	runMailWire(t, []mailCase{
		{
			name: "list mailbox-wide with every option and paging",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().List(ctx, &outlook.ListOptions{
					Select: []string{"Subject", "From"}, Filter: "From/EmailAddress/Address eq 'alex@contoso.com' and IsRead eq false",
					OrderBy: []string{"ReceivedDateTime desc"}, Expand: []string{"Attachments"}, Top: 2, Skip: 4, Count: true,
					Prefer: outlook.Prefer{BodyContentType: outlook.BodyTypeText, MaxPageSize: 2, TimeZone: "Pacific Standard Time"},
				}))
			},
			reqs: []mailReq{
				{method: "GET", path: mailUPath + "/messages",
					query:  "$filter=From/EmailAddress/Address%20eq%20'alex@contoso.com'%20and%20IsRead%20eq%20false&$select=Subject,From&$expand=Attachments&$orderby=ReceivedDateTime%20desc&$top=2&$skip=4&$count=true",
					prefer: []string{`outlook.timezone="Pacific Standard Time"`, `outlook.body-content-type="text"`, "odata.maxpagesize=2"},
					resp:   `{"value":[` + msgJSON + `],"@odata.count":7,"@odata.nextLink":"https://outlook.office.com/api/v2.0/users/adele@contoso.com/messages?$skip=6&$top=2"}`},
				{method: "GET", path: mailUPath + "/messages", query: "$skip=6&$top=2",
					prefer: []string{`outlook.timezone="Pacific Standard Time"`, `outlook.body-content-type="text"`, "odata.maxpagesize=2"},
					resp:   `{"value":[{"Id":"2","@odata.type":"#Microsoft.OutlookServices.EventMessage","MeetingMessageType":"MeetingRequest"}]}`},
			},
			check: func(t *testing.T, got any) {
				msgs := got.([]*outlook.Message)
				require.Len(t, msgs, 2)
				assert.Equal(t, rawID, msgs[0].ID)
				assert.Equal(t, "alex@contoso.com", msgs[0].From.EmailAddress.Address)
				assert.False(t, msgs[0].IsEventMessage())
				require.True(t, msgs[1].IsEventMessage())
				assert.Equal(t, outlook.MeetingRequest, msgs[1].EventMessage.MeetingMessageType)
			},
		},
		{
			name: "list a folder by escaped id with $search",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().InFolder(rawID).List(ctx, &outlook.ListOptions{Search: "subject:pizza"}))
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders/" + escID + "/messages", query: `$search=%22subject:pizza%22`, resp: `{"value":[]}`}},
		},
		{
			name: "list pages with count",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().InFolder(outlook.FolderInbox).ListPages(ctx, &outlook.ListOptions{Count: true, Top: 1}))
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders/Inbox/messages", query: "$top=1&$count=true", resp: `{"value":[{"Id":"a"}],"@odata.count":1}`}},
			check: func(t *testing.T, got any) {
				pages := got.([]*outlook.Page[outlook.Message])
				require.Len(t, pages, 1)
				assert.EqualValues(t, 1, *pages[0].Count)
			},
		},
		{
			name: "get with expand and per-call prefer",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Get(ctx, rawID, &outlook.GetOptions{Select: []string{"Subject", "Body"}, Expand: []string{"Attachments"},
					Prefer: outlook.Prefer{BodyContentType: outlook.BodyTypeHTML, AllowUnsafeHTML: true}})
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/messages/" + escID, query: "$select=Subject,Body&$expand=Attachments",
				prefer: []string{`outlook.body-content-type="html"`, "outlook.allow-unsafe-html"},
				resp: `{"Id":"x","Attachments@odata.context":"c","Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a1","Name":"f.txt","ContentBytes":"aGk="},
				{"@odata.type":"#Microsoft.OutlookServices.ItemAttachment","Id":"a2","Name":"mail"},{"@odata.type":"#Microsoft.OutlookServices.ReferenceAttachment","Id":"a3","Name":"doc","SourceUrl":"https://x"}]}`}},
			check: func(t *testing.T, got any) {
				m := got.(*outlook.Message)
				require.Len(t, m.Attachments, 3)
				f := m.Attachments[0].(*outlook.FileAttachment)
				assert.Equal(t, []byte("hi"), f.ContentBytes)
				assert.IsType(t, &outlook.ItemAttachment{}, m.Attachments[1])
				assert.Equal(t, "https://x", m.Attachments[2].(*outlook.ReferenceAttachment).SourceURL)
			},
		},
		{
			name: "create draft with attachment",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Create(ctx, &outlook.Message{
					Subject: "Draft", Body: outlook.TextBody("x"), ToRecipients: outlook.Recipients("alex@contoso.com"),
					Importance: outlook.ImportanceHigh, IsReadReceiptRequested: outlook.Ptr(false),
					Attachments: outlook.Attachments{&outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "a.txt"}, ContentBytes: []byte("hi")}},
				})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages", status: 201, resp: msgJSON,
				body: `{"Subject":"Draft","Body":{"ContentType":"Text","Content":"x"},"ToRecipients":[{"EmailAddress":{"Address":"alex@contoso.com"}}],
				"Importance":"High","IsReadReceiptRequested":false,
				"Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"a.txt","ContentBytes":"aGk="}]}`}},
		},
		{
			name: "create draft in folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().InFolder(rawID).Create(ctx, &outlook.Message{Subject: "S"})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/MailFolders/" + escID + "/messages", body: `{"Subject":"S"}`, status: 201, resp: msgJSON}},
		},
		{
			name: "update sends only set fields and nulls",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Update(ctx, rawID, &outlook.MessageUpdate{
					IsRead: outlook.Set(true), Flag: outlook.Null[outlook.FollowupFlag](), Categories: outlook.Set([]string{"Red"}),
					InferenceClassification: outlook.Set(outlook.InferenceOther),
				})
			},
			opts: []office365.Option{outlook.WithTimeZone("UTC"), outlook.WithMaxPageSize(5)},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/messages/" + escID, prefer: []string{`outlook.timezone="UTC"`},
				body: `{"IsRead":true,"Flag":null,"Categories":["Red"],"InferenceClassification":"Other"}`, resp: msgJSON}},
		},
		{
			name: "delete",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().Delete(ctx, rawID)
			},
			reqs: []mailReq{{method: "DELETE", path: mailUPath + "/messages/" + escID, status: 204}},
		},
		{
			name: "count mailbox with filter",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Count(ctx, "IsRead eq false")
			},
			reqs:  []mailReq{{method: "GET", path: mailUPath + "/messages/$count", query: "$filter=IsRead%20eq%20false", resp: "\ufeff12", rctype: "text/plain"}},
			check: func(t *testing.T, got any) { assert.EqualValues(t, 12, got) },
		},
		{
			name: "count folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().InFolder("Inbox").Count(ctx, "")
			},
			reqs:  []mailReq{{method: "GET", path: mailUPath + "/MailFolders/Inbox/messages/$count", resp: "3", rctype: "text/plain"}},
			check: func(t *testing.T, got any) { assert.EqualValues(t, 3, got) },
		},
		{
			name: "sendmail",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().SendMail(ctx, &outlook.Message{Subject: "Hi", Body: outlook.TextBody("x"), ToRecipients: outlook.Recipients("a@b.com"),
					Attachments: outlook.Attachments{&outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "n.txt", ContentType: "text/plain"}, ContentBytes: []byte("n")}}}, false)
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/sendmail", status: 202,
				body: `{"Message":{"Subject":"Hi","Body":{"ContentType":"Text","Content":"x"},"ToRecipients":[{"EmailAddress":{"Address":"a@b.com"}}],
				"Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"n.txt","ContentType":"text/plain","ContentBytes":"bg=="}]},"SaveToSentItems":false}`}},
		},
		{
			name: "send draft",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().Send(ctx, rawID)
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/send", status: 202}},
		},
		{
			name: "reply",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().Reply(ctx, rawID, "Thanks")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/reply", body: `{"Comment":"Thanks"}`, status: 202}},
		},
		{
			name: "reply all",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().ReplyAll(ctx, rawID, "All")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/replyall", body: `{"Comment":"All"}`, status: 202}},
		},
		{
			name: "forward",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().Forward(ctx, rawID, "FYI", []outlook.Recipient{outlook.NewRecipient("b@c.com", "B")})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/forward", status: 202,
				body: `{"Comment":"FYI","ToRecipients":[{"EmailAddress":{"Name":"B","Address":"b@c.com"}}]}`}},
		},
		{
			name: "create reply",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().CreateReply(ctx, rawID, "c")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/createreply", body: `{"Comment":"c"}`, status: 201, resp: msgJSON}},
		},
		{
			name: "create reply all",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().CreateReplyAll(ctx, rawID, "c")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/createreplyall", body: `{"Comment":"c"}`, status: 201, resp: msgJSON}},
		},
		{
			name: "create forward",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().CreateForward(ctx, rawID, "c", outlook.Recipients("x@y.com"))
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/createforward", status: 201, resp: msgJSON,
				body: `{"Comment":"c","ToRecipients":[{"EmailAddress":{"Address":"x@y.com"}}]}`}},
		},
		{
			name: "move",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Move(ctx, rawID, outlook.FolderDeletedItems)
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/move", body: `{"DestinationId":"DeletedItems"}`, status: 201, resp: msgJSON}},
		},
		{
			name: "copy",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Copy(ctx, rawID, "F/1")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/messages/" + escID + "/copy", body: `{"DestinationId":"F/1"}`, status: 201, resp: msgJSON}},
		},
		{
			name: "MIME $value",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				rc, err := mb.Mail().Messages().MIME(ctx, rawID)
				if err != nil {
					return nil, err
				}
				defer rc.Close()
				b, err := io.ReadAll(rc)
				return string(b), err
			},
			reqs:  []mailReq{{method: "GET", path: mailUPath + "/messages/" + escID + "/$value", accept: "*/*", resp: "Subject: Hi\r\n\r\nbody", rctype: "message/rfc822"}},
			check: func(t *testing.T, got any) { assert.Equal(t, "Subject: Hi\r\n\r\nbody", got) },
		},
		{
			name: "unsubscribe (beta)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().Unsubscribe(ctx, rawID)
			},
			reqs: []mailReq{{method: "POST", path: mailBeta + "/messages('" + escID + "')/unsubscribe", status: 202}},
		},
		{
			name: "messages mentioning me (beta)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().ListMentioningMe(ctx, &outlook.ListOptions{Filter: "IsRead eq false"}))
			},
			reqs: []mailReq{{method: "GET", path: mailBeta + "/messages",
				query: "$filter=MentionsPreview/IsMentioned%20eq%20true%20and%20(IsRead%20eq%20false)&$expand=Mentions",
				resp:  `{"value":[{"Id":"m","MentionsPreview":{"IsMentioned":true},"Mentions":[{"Id":"x","Mentioned":{"Address":"adele@contoso.com"}}]}]}`}},
			check: func(t *testing.T, got any) {
				m := got.([]*outlook.Message)[0]
				assert.True(t, m.MentionsPreview.IsMentioned)
				assert.Equal(t, "adele@contoso.com", m.Mentions[0].Mentioned.Address)
			},
		},
		{
			name: "me with signed-in anchor",
			opts: []office365.Option{outlook.WithSignedInUser("me@contoso.com")},
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.Me() },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				assert.Equal(t, "me@contoso.com", mb.AnchorMailbox())
				return mb.Mail().Messages().Get(ctx, "1", nil)
			},
			reqs: []mailReq{{method: "GET", path: "/api/v2.0/me/messages/1", resp: msgJSON}},
		},
		{
			name: "beta client keeps one root",
			opts: []office365.Option{outlook.WithAPIVersion(outlook.Beta)},
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if _, err := mb.Mail().Messages().Get(ctx, "1", nil); err != nil {
					return nil, err
				}
				return nil, mb.Mail().Messages().Unsubscribe(ctx, "1")
			},
			reqs: []mailReq{{method: "GET", path: mailBeta + "/messages/1", resp: msgJSON}, {method: "POST", path: mailBeta + "/messages('1')/unsubscribe", status: 202}},
		},
		{
			name: "v1.0 client",
			opts: []office365.Option{outlook.WithAPIVersion(outlook.V1)},
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Get(ctx, "1", nil)
			},
			reqs: []mailReq{{method: "GET", path: "/api/v1.0/users/adele@contoso.com/messages/1", resp: msgJSON}},
		},
		{
			name: "user by id@tenant",
			mb: func(c *outlook.Client) *outlook.Mailbox {
				mb := c.User("4e2c9b2a-1a3c-4b5d-8e6f-7a8b9c0d1e2f@72f988bf-86f1-41af-91ab-2d7cd011db47")
				assert.Equal(t, "Oid:4e2c9b2a-1a3c-4b5d-8e6f-7a8b9c0d1e2f@72f988bf-86f1-41af-91ab-2d7cd011db47", mb.AnchorMailbox())
				return mb
			},
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Get(ctx, "1", nil)
			},
			reqs: []mailReq{{method: "GET", path: "/api/v2.0/users/4e2c9b2a-1a3c-4b5d-8e6f-7a8b9c0d1e2f@72f988bf-86f1-41af-91ab-2d7cd011db47/messages/1", resp: msgJSON}},
		},
		{
			name: "empty id fails before any request",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Get(ctx, "", nil)
			},
			wantErr: "empty message id",
		},
		{
			name: "invalid user fails before any request",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.User("") },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Get(ctx, "1", nil)
			},
			wantErr: "empty mailbox address",
		},
		{
			name: "mailbox not enabled",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				_, err := mb.Mail().Messages().Get(ctx, "1", nil)
				assert.True(t, outlook.IsMailboxNotEnabled(err))
				assert.True(t, office365.IsNotFound(err))
				return nil, err
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/messages/1", status: 404,
				resp: `{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"REST API is not yet supported for this mailbox."}}`}},
			wantErr: "MailboxNotEnabledForRESTAPI",
		},
	})
}

func TestMailWireAttachments(t *testing.T) {
	t.Parallel()
	att := "/messages/" + escID + "/attachments"
	runMailWire(t, []mailCase{
		{
			name: "list",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().Attachments(rawID).List(ctx, &outlook.ListOptions{Select: []string{"Name", "Size"}}))
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + att, query: "$select=Name,Size",
				resp: `{"value":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a","Name":"f","Size":3},{"@odata.type":"#Microsoft.OutlookServices.Future","Id":"b","Name":"g"}]}`}},
			check: func(t *testing.T, got any) {
				as := got.([]outlook.Attachment)
				require.Len(t, as, 2)
				assert.EqualValues(t, 3, as[0].Common().Size)
				u := as[1].(*outlook.UnknownAttachment)
				assert.Equal(t, "#Microsoft.OutlookServices.Future", u.AttachmentODataType())
				assert.Equal(t, "g", u.Name)
			},
		},
		{
			name: "get",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Attachments(rawID).Get(ctx, "A/1", nil)
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + att + "/A%2F1", resp: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"A/1","Name":"f","ContentBytes":"aGk="}`}},
			check: func(t *testing.T, got any) {
				assert.Equal(t, []byte("hi"), got.(*outlook.FileAttachment).ContentBytes)
			},
		},
		{
			name: "add file",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Attachments(rawID).Add(ctx, &outlook.FileAttachment{
					AttachmentBase: outlook.AttachmentBase{Name: "f.txt", ContentType: "text/plain", IsInline: true}, ContentBytes: []byte("hi"), ContentID: "cid1"})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + att, status: 201, resp: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"n"}`,
				body: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"f.txt","ContentType":"text/plain","IsInline":true,"ContentBytes":"aGk=","ContentId":"cid1"}`}},
		},
		{
			name: "add item",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				a, err := outlook.NewMessageItemAttachment("Fwd", &outlook.Message{Subject: "inner"})
				if err != nil {
					return nil, err
				}
				return mb.Mail().Messages().Attachments(rawID).Add(ctx, a)
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + att, status: 201, resp: `{"@odata.type":"#Microsoft.OutlookServices.ItemAttachment","Id":"n"}`,
				body: `{"@odata.type":"#Microsoft.OutlookServices.ItemAttachment","Name":"Fwd","Item":{"@odata.type":"#Microsoft.OutlookServices.Message","Subject":"inner"}}`}},
		},
		{
			name: "add reference",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Attachments(rawID).Add(ctx, &outlook.ReferenceAttachment{AttachmentBase: outlook.AttachmentBase{Name: "Plan"},
					SourceURL: "https://contoso.sharepoint.com/plan.docx", ProviderType: outlook.ProviderOneDriveBusiness, Permission: outlook.PermissionEdit, IsFolder: outlook.Ptr(false)})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + att, status: 201, resp: `{"@odata.type":"#Microsoft.OutlookServices.ReferenceAttachment","Id":"n"}`,
				body: `{"@odata.type":"#Microsoft.OutlookServices.ReferenceAttachment","Name":"Plan","SourceUrl":"https://contoso.sharepoint.com/plan.docx","ProviderType":"OneDriveBusiness","Permission":"Edit","IsFolder":false}`}},
		},
		{
			name: "add file streamed",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Messages().Attachments(rawID).AddFile(ctx, "big.bin", "application/octet-stream", strings.NewReader("hello world"))
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + att, query: "$select=Id,Name,ContentType,Size,IsInline,LastModifiedDateTime", status: 201,
				resp: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"n","Name":"big.bin","Size":11}`,
				body: `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"big.bin","ContentType":"application/octet-stream","ContentBytes":"aGVsbG8gd29ybGQ="}`}},
			check: func(t *testing.T, got any) { assert.EqualValues(t, 11, got.(*outlook.FileAttachment).Size) },
		},
		{
			name: "delete",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Messages().Attachments(rawID).Delete(ctx, "a")
			},
			reqs: []mailReq{{method: "DELETE", path: mailUPath + att + "/a", status: 204}},
		},
		{
			name: "content streamed from ContentBytes",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				rc, err := mb.Mail().Messages().Attachments(rawID).Content(ctx, "a")
				if err != nil {
					return nil, err
				}
				defer rc.Close()
				b, err := io.ReadAll(rc)
				return string(b), err
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + att + "/a",
				resp: `{"@odata.context":"c","@odata.type":"#Microsoft.OutlookServices.FileAttachment","Id":"a","Name":"x","Item":{"nested":["ContentBytes"]},"ContentBytes" : "aGk\/\r\nPg==","Size":4}`}},
			check: func(t *testing.T, got any) { assert.Equal(t, "hi?>", got) },
		},
		{
			name: "content of an item attachment",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				_, err := mb.Mail().Messages().Attachments(rawID).Content(ctx, "a")
				assert.ErrorIs(t, err, outlook.ErrNotFileAttachment)
				return nil, err
			},
			reqs:    []mailReq{{method: "GET", path: mailUPath + att + "/a", resp: `{"@odata.type":"#Microsoft.OutlookServices.ItemAttachment","Id":"a"}`}},
			wantErr: "not a FileAttachment",
		},
	})
}

func TestMailWireFoldersRulesFocused(t *testing.T) {
	t.Parallel()
	folderJSON := `{"Id":"F/1","DisplayName":"Projects","ChildFolderCount":0,"TotalItemCount":2,"UnreadItemCount":1}`
	ruleJSON := `{"Id":"R1","DisplayName":"From partner","Sequence":2,"IsEnabled":true}`
	runMailWire(t, []mailCase{
		{
			name: "list top-level folders",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Folders().List(ctx, &outlook.ListOptions{Top: 50}))
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders", query: "$top=50", resp: `{"value":[` + folderJSON + `]}`}},
			check: func(t *testing.T, got any) {
				f := got.([]*outlook.MailFolder)[0]
				assert.Equal(t, "F/1", f.ID)
				assert.EqualValues(t, 1, *f.UnreadItemCount)
			},
		},
		{
			name: "list child folders",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Folders().ListChildren(ctx, "F/1", nil))
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders/F%2F1/childfolders", resp: `{"value":[]}`}},
		},
		{
			name: "get well-known",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Folders().Get(ctx, outlook.FolderSentItems, nil)
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders/SentItems", resp: folderJSON}},
		},
		{
			name: "create top-level",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Folders().Create(ctx, "Receipts")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/MailFolders", body: `{"DisplayName":"Receipts"}`, status: 201, resp: folderJSON}},
		},
		{
			name: "create child",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Folders().CreateChild(ctx, "Inbox", "Projects")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/MailFolders/Inbox/childfolders", body: `{"DisplayName":"Projects"}`, status: 201, resp: folderJSON}},
		},
		{
			name: "rename",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Folders().Rename(ctx, "F/1", "New")
			},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/MailFolders/F%2F1", body: `{"DisplayName":"New"}`, resp: folderJSON}},
		},
		{
			name: "delete",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Folders().Delete(ctx, "F/1")
			},
			reqs: []mailReq{{method: "DELETE", path: mailUPath + "/MailFolders/F%2F1", status: 204}},
		},
		{
			name: "move",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Folders().Move(ctx, "F/1", "Inbox")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/MailFolders/F%2F1/move", body: `{"DestinationId":"Inbox"}`, status: 201, resp: folderJSON}},
		},
		{
			name: "copy",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Folders().Copy(ctx, "F/1", "Archive")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/MailFolders/F%2F1/copy", body: `{"DestinationId":"Archive"}`, status: 201, resp: folderJSON}},
		},
		{
			name:  "count",
			call:  func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Mail().Folders().Count(ctx, "") },
			reqs:  []mailReq{{method: "GET", path: mailUPath + "/MailFolders/$count", resp: "9", rctype: "text/plain"}},
			check: func(t *testing.T, got any) { assert.EqualValues(t, 9, got) },
		},
		{
			name: "list rules",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Mail().Rules().List(ctx) },
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders/inbox/MessageRules", resp: `{"value":[` + ruleJSON + `]}`}},
			check: func(t *testing.T, got any) {
				assert.EqualValues(t, 2, *got.([]outlook.MessageRule)[0].Sequence)
			},
		},
		{
			name: "get rule",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Mail().Rules().Get(ctx, "R1") },
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders/inbox/MessageRules/R1", resp: ruleJSON}},
		},
		{
			name: "create rule (reference body)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Rules().Create(ctx, &outlook.MessageRule{DisplayName: "From partner", Sequence: outlook.Ptr[int32](2), IsEnabled: outlook.Ptr(true),
					Conditions: &outlook.MessageRulePredicates{SenderContains: []string{"adele"}},
					Actions: &outlook.MessageRuleActions{ForwardTo: []outlook.Recipient{outlook.NewRecipient("alex@contoso.com", "Alex")},
						StopProcessingRules: outlook.Ptr(true)}})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/MailFolders/inbox/MessageRules", status: 201, resp: ruleJSON,
				body: `{"DisplayName":"From partner","Sequence":2,"IsEnabled":true,"Conditions":{"SenderContains":["adele"]},
				"Actions":{"ForwardTo":[{"EmailAddress":{"Name":"Alex","Address":"alex@contoso.com"}}],"StopProcessingRules":true}}`}},
		},
		{
			name: "update rule",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Rules().Update(ctx, "R1", &outlook.MessageRuleUpdate{IsEnabled: outlook.Set(false), Exceptions: outlook.Null[outlook.MessageRulePredicates]()})
			},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/MailFolders/inbox/MessageRules/R1", body: `{"IsEnabled":false,"Exceptions":null}`, resp: ruleJSON}},
		},
		{
			name: "delete rule",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().Rules().Delete(ctx, "R1")
			},
			reqs: []mailReq{{method: "DELETE", path: mailUPath + "/MailFolders/inbox/MessageRules/R1", status: 204}},
		},
		{
			name: "rule without sequence is rejected locally",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Rules().Create(ctx, &outlook.MessageRule{DisplayName: "x"})
			},
			wantErr: "Sequence",
		},
		{
			name: "reclassify message",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().Reclassify(ctx, rawID, outlook.InferenceOther)
			},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/messages('" + escID + "')", body: `{"InferenceClassification":"Other"}`, resp: msgJSON}},
		},
		{
			name: "list overrides",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().ListOverrides(ctx)
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/InferenceClassification/Overrides",
				resp: `{"value":[{"Id":"o1","ClassifyAs":"Focused","SenderEmailAddress":{"Name":"A","Address":"a@b.com"}}]}`}},
			check: func(t *testing.T, got any) {
				assert.Equal(t, outlook.InferenceFocused, got.([]outlook.InferenceClassificationOverride)[0].ClassifyAs)
			},
		},
		{
			name: "create override",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().CreateOverride(ctx, outlook.EmailAddress{Name: "Samantha Booth", Address: "samanthab@adatum.onmicrosoft.com"}, outlook.InferenceFocused)
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/InferenceClassification/Overrides", status: 201, resp: `{"Id":"o1"}`,
				body: `{"ClassifyAs":"Focused","SenderEmailAddress":{"Name":"Samantha Booth","Address":"samanthab@adatum.onmicrosoft.com"}}`}},
		},
		{
			name: "update override",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().UpdateOverride(ctx, "o/1", outlook.InferenceOther)
			},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/InferenceClassification/Overrides('o%2F1')", body: `{"ClassifyAs":"Other"}`, resp: `{"Id":"o/1"}`}},
		},
		{
			name: "delete override",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Mail().FocusedInbox().DeleteOverride(ctx, "o1")
			},
			reqs: []mailReq{{method: "DELETE", path: mailUPath + "/InferenceClassification/Overrides('o1')", status: 204}},
		},
	})
}

func TestMailWireSettingsAndTips(t *testing.T) {
	t.Parallel()
	settings := `{"@odata.context":"https://outlook.office.com/api/v2.0/$metadata#Me/MailboxSettings","AutomaticRepliesSetting":{"Status":"Scheduled",
	 "ExternalAudience":"All","ScheduledStartDateTime":{"DateTime":"2016-03-20T18:00:00.0000000","TimeZone":"UTC"}},"TimeZone":"Pacific Standard Time",
	 "Language":{"Locale":"en-US","DisplayName":"English (United States)"},"WorkingHours":{"DaysOfWeek":["Monday"],"StartTime":"08:00:00.0000000","TimeZone":{"Name":"Pacific Standard Time"}}}`
	runMailWire(t, []mailCase{
		{
			name: "get settings",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Mail().Settings().Get(ctx) },
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailboxSettings", resp: settings}},
			check: func(t *testing.T, got any) {
				s := got.(*outlook.MailboxSettings)
				assert.Equal(t, outlook.AutomaticRepliesScheduled, s.AutomaticRepliesSetting.Status)
				assert.Equal(t, "Pacific Standard Time", s.WorkingHours.TimeZone.Name)
				assert.Equal(t, []outlook.DayOfWeek{outlook.Monday}, s.WorkingHours.DaysOfWeek)
			},
		},
		{
			name: "get automatic replies in a time zone",
			opts: []office365.Option{outlook.WithTimeZone("Pacific Standard Time")},
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().AutomaticReplies(ctx)
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailboxSettings/AutomaticRepliesSetting", prefer: []string{`outlook.timezone="Pacific Standard Time"`},
				resp: `{"Status":"AlwaysEnabled","InternalReplyMessage":"<p>Away</p>"}`}},
		},
		{
			name: "get language",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Mail().Settings().Language(ctx) },
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailboxSettings/Language", resp: `{"Locale":"en-US","DisplayName":"English (United States)"}`}},
		},
		{
			name:  "get time zone",
			call:  func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Mail().Settings().TimeZone(ctx) },
			reqs:  []mailReq{{method: "GET", path: mailUPath + "/MailboxSettings/TimeZone", resp: `{"value":"Pacific Standard Time"}`}},
			check: func(t *testing.T, got any) { assert.Equal(t, "Pacific Standard Time", got) },
		},
		{
			name: "schedule automatic replies (reference body)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().SetAutomaticReplies(ctx, outlook.AutomaticRepliesSetting{
					Status: outlook.AutomaticRepliesScheduled, ExternalAudience: outlook.ExternalAudienceAll,
					ScheduledStartDateTime: &outlook.DateTimeTimeZone{DateTime: "2016-03-20T18:00:00", TimeZone: "UTC"},
					ScheduledEndDateTime:   &outlook.DateTimeTimeZone{DateTime: "2016-03-28T18:00:00", TimeZone: "UTC"},
					InternalReplyMessage:   "<p>Away</p>", ExternalReplyMessage: "<p>Away</p>"})
			},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/MailboxSettings", resp: settings,
				body: `{"AutomaticRepliesSetting": {"Status": "Scheduled","ExternalAudience": "All",
				"ScheduledStartDateTime": {"DateTime": "2016-03-20T18:00:00", "TimeZone": "UTC"},
				"ScheduledEndDateTime":   {"DateTime": "2016-03-28T18:00:00", "TimeZone": "UTC"},
				"InternalReplyMessage": "<p>Away</p>","ExternalReplyMessage": "<p>Away</p>"}}`}},
		},
		{
			name: "update time zone and language",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().Update(ctx, &outlook.MailboxSettingsUpdate{TimeZone: outlook.Set("UTC"), Language: outlook.Set(outlook.LocaleInfo{Locale: "de-DE"})})
			},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/MailboxSettings", body: `{"TimeZone":"UTC","Language":{"Locale":"de-DE"}}`, resp: settings}},
		},
		{
			name: "supported languages (beta)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().SupportedLanguages(ctx)
			},
			reqs: []mailReq{{method: "GET", path: mailBeta + "/SupportedLanguages", resp: `{"value":[{"Locale":"en-US","DisplayName":"English"}]}`}},
		},
		{
			name: "supported time zones, IANA (beta)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().Settings().SupportedTimeZones(ctx, outlook.TimeZoneStandardIana)
			},
			reqs: []mailReq{{method: "GET", path: mailBeta + "/SupportedTimeZones(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'Iana')",
				resp: `{"value":[{"Alias":"America/Los_Angeles","DisplayName":"(UTC-08:00) Pacific Time"}]}`}},
			check: func(t *testing.T, got any) {
				assert.Equal(t, "America/Los_Angeles", got.([]outlook.TimeZoneInformation)[0].Alias)
			},
		},
		{
			name: "mail tips (beta)",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().MailTips(ctx, []string{"a@x.com", "b@x.com"}, outlook.MailTipsAutomaticReplies, outlook.MailTipsMailboxFullStatus)
			},
			reqs: []mailReq{{method: "POST", path: mailBeta + "/GetMailTips",
				body: `{"EmailAddresses":["a@x.com","b@x.com"],"MailTipsOptions":"automaticReplies, mailboxFullStatus"}`,
				resp: `{"value":[{"EmailAddress":{"Address":"a@x.com"},"AutomaticReplies":{"Message":"away"},"MailboxFull":false}]}`}},
			check: func(t *testing.T, got any) {
				tips := got.([]outlook.MailTips)
				assert.Equal(t, "away", tips[0].AutomaticReplies.Message)
				assert.False(t, *tips[0].MailboxFull)
			},
		},
	})
}

func TestMailWireDelta(t *testing.T) {
	t.Parallel()
	next := "https://outlook.office.com/api/v2.0/users/adele@contoso.com/MailFolders/Inbox/messages?$select=Subject&$skiptoken=S1"
	delta := "https://outlook.office.com/api/v2.0/users/adele@contoso.com/MailFolders/Inbox/messages?$select=Subject&$deltatoken=D1"
	var state outlook.DeltaState
	runMailWire(t, []mailCase{
		{
			name: "message sync round",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				var pages []*outlook.DeltaPage[outlook.Message]
				for p, err := range mb.Mail().Messages().InFolder("Inbox").Delta(ctx, &state, &outlook.DeltaOptions{Select: []string{"Subject"}, MaxPageSize: 2}) {
					if err != nil {
						return nil, err
					}
					pages = append(pages, p)
				}
				return pages, nil
			},
			reqs: []mailReq{
				{method: "GET", path: mailUPath + "/MailFolders/Inbox/messages", query: "$select=Subject",
					prefer: []string{"odata.track-changes", "odata.maxpagesize=2"},
					resp:   `{"value":[{"Id":"1","Subject":"a"},{"@odata.context":"x/$deletedEntity","Id":"2","reason":"deleted"}],"@odata.nextLink":"` + next + `"}`},
				{method: "GET", path: mailUPath + "/MailFolders/Inbox/messages", query: "$select=Subject&$skiptoken=S1",
					prefer: []string{"odata.track-changes", "odata.maxpagesize=2"},
					resp:   `{"value":[{"Id":"3","@removed":{"reason":"changed"}}],"@odata.deltaLink":"` + delta + `"}`},
			},
			check: func(t *testing.T, got any) {
				pages := got.([]*outlook.DeltaPage[outlook.Message])
				require.Len(t, pages, 2)
				assert.Equal(t, "a", pages[0].Changes[0].Item.Subject)
				assert.True(t, pages[0].Changes[1].Removed)
				assert.Equal(t, "deleted", pages[0].Changes[1].Reason)
				assert.False(t, pages[0].RoundComplete)
				assert.Equal(t, next, pages[0].State.Link)
				assert.True(t, pages[1].Changes[0].Removed)
				assert.Equal(t, "changed", pages[1].Changes[0].Reason)
				assert.True(t, pages[1].RoundComplete)
				assert.Equal(t, outlook.DeltaState{Resource: "MailFolders/Inbox/messages", Link: delta, RoundComplete: true}, state)
			},
		},
		{
			name: "folder hierarchy sync",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Folders().Delta(ctx, nil, nil))
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/MailFolders", prefer: []string{"odata.track-changes"},
				resp: `{"value":[{"Id":"F1","DisplayName":"Inbox"}],"@odata.deltaLink":"https://outlook.office.com/api/v2.0/users/adele@contoso.com/MailFolders?$deltatoken=x"}`}},
		},
		{
			name: "sync needs a folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collectSeq(mb.Mail().Messages().Delta(ctx, nil, nil))
			},
			wantErr: "per folder",
		},
	})
}

func TestDeltaStateText(t *testing.T) {
	t.Parallel()
	s := outlook.DeltaState{Resource: "MailFolders/Inbox/messages", Link: "https://outlook.office.com/api/v2.0/me/MailFolders/Inbox/messages?$deltatoken=a%2Bb", RoundComplete: true}
	text, err := s.MarshalText()
	require.NoError(t, err)
	var back outlook.DeltaState
	require.NoError(t, back.UnmarshalText(text))
	assert.Equal(t, s, back)

	var viaJSON struct{ State outlook.DeltaState }
	b, err := json.Marshal(struct{ State outlook.DeltaState }{s})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &viaJSON))
	assert.Equal(t, s, viaJSON.State)

	require.NoError(t, back.UnmarshalText(nil))
	assert.True(t, back.IsZero())
	assert.Error(t, back.UnmarshalText([]byte(`{"v":9,"link":"https://x"}`)))
	assert.Error(t, back.UnmarshalText([]byte(`{"v":1,"link":"relative"}`)))
	assert.Error(t, back.UnmarshalText([]byte(`garbage`)))
}

func TestNewFileAttachment(t *testing.T) {
	a := outlook.NewFileAttachment("report.pdf", []byte("%PDF"))
	assert.Equal(t, "report.pdf", a.Name)
	assert.Equal(t, "application/pdf", a.ContentType)
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.JSONEq(t, `{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"report.pdf","ContentType":"application/pdf","ContentBytes":"JVBERg=="}`, string(b))
	assert.Equal(t, "application/octet-stream", outlook.NewFileAttachment("blob", nil).ContentType)
}
