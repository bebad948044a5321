package outlook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// Behavioural tests of the Mail API against the office365test fake.

const (
	adele = "adele.vance@contoso.com"
	alex  = "alex.wilber@contoso.com"
	megan = "megan.bowen@contoso.com"
)

func mailFake(t *testing.T, d dialect, opts ...office365.Option) (*office365test.Server, *office365test.Mailbox, *outlook.Client) {
	t.Helper()
	srv := office365test.NewServer()
	t.Cleanup(srv.Close)
	fake := office365test.NewMailbox(office365test.WithSampleData())
	fake.Register(srv)
	d.serve(srv, fake)
	all := append([]office365.Option{office365.WithBaseURL(srv.URL()),
		office365.WithRetry(office365.RetryOptions{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}, opts...)
	c, err := outlook.New(auth.StaticToken("tok"), d.options(all...)...)
	require.NoError(t, err)
	return srv, fake, c
}

func listAll(t *testing.T, seq func(yield func(*outlook.Message, error) bool)) []*outlook.Message {
	t.Helper()
	var out []*outlook.Message
	for m, err := range seq {
		require.NoError(t, err)
		out = append(out, m)
	}
	return out
}

// firstMessage returns the newest message of a collection (one request).
func firstMessage(t *testing.T, ms *outlook.MessagesService) *outlook.Message {
	t.Helper()
	for m, err := range ms.List(context.Background(), &outlook.ListOptions{Top: 1}) {
		require.NoError(t, err)
		return m
	}
	t.Fatal("no message")
	return nil
}

func subjects(msgs []*outlook.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Subject)
	}
	return out
}

func findBySubject(t *testing.T, ctx context.Context, ms *outlook.MessagesService, subject string) *outlook.Message {
	t.Helper()
	msgs := listAll(t, ms.List(ctx, &outlook.ListOptions{Filter: "Subject eq " + office365.QuoteString(subject), Expand: []string{"Attachments"}}))
	require.Len(t, msgs, 1, "messages with subject %q", subject)
	return msgs[0]
}

func TestMailFakeSendReplyForward(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		_, fake, c := mailFake(t, dia)
		a, x, m := c.User(adele).Mail(), c.User(alex).Mail(), c.User(megan).Mail()

		require.NoError(t, a.SendMail(ctx, &outlook.Message{
			Subject: "Budget", Body: outlook.HTMLBody("<p>See <b>attached</b></p>"), ToRecipients: outlook.Recipients(alex),
			CcRecipients: outlook.Recipients(megan), BccRecipients: outlook.Recipients("auditor@external.example"),
			Attachments: outlook.Attachments{&outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "b.csv"}, ContentBytes: []byte("a,b\n1,2\n")}},
		}, true))

		got := findBySubject(t, ctx, x.Messages().InFolder(outlook.FolderInbox), "Budget")
		assert.False(t, *got.IsRead)
		assert.False(t, *got.IsDraft)
		assert.True(t, *got.HasAttachments)
		assert.Equal(t, adele, got.From.EmailAddress.Address)
		assert.Equal(t, "Adele Vance", got.From.EmailAddress.Name)
		assert.Empty(t, got.BccRecipients, "recipients do not see Bcc")
		require.Len(t, got.Attachments, 1)
		assert.Equal(t, []byte("a,b\n1,2\n"), got.Attachments[0].(*outlook.FileAttachment).ContentBytes)
		findBySubject(t, ctx, m.Messages().InFolder(outlook.FolderInbox), "Budget")
		sentCopy := findBySubject(t, ctx, a.Messages().InFolder(outlook.FolderSentItems), "Budget")
		assert.True(t, *sentCopy.IsRead)
		sent := fake.Sent()
		require.Len(t, sent, 1)
		assert.Equal(t, []string{"auditor@external.example"}, sent[0].Bcc)

		// Alex replies, replies all, and forwards to Megan.
		require.NoError(t, x.Messages().Reply(ctx, got.ID, "Thanks!"))
		reply := findBySubject(t, ctx, a.Messages().InFolder(outlook.FolderInbox), "RE: Budget")
		assert.Equal(t, alex, reply.From.EmailAddress.Address)
		assert.Equal(t, got.ConversationID, reply.ConversationID)
		require.NoError(t, x.Messages().ReplyAll(ctx, got.ID, "All good"))
		all := listAll(t, m.Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{Filter: "Subject eq 'RE: Budget'"}))
		require.Len(t, all, 1, "reply-all reached the Cc recipient")
		require.NoError(t, x.Messages().Forward(ctx, got.ID, "FYI", outlook.Recipients(megan)))
		fw := findBySubject(t, ctx, m.Messages().InFolder(outlook.FolderInbox), "FW: Budget")
		require.Len(t, fw.Attachments, 1, "forward keeps attachments")
		assert.Contains(t, fw.Body.Content, "FYI")

		// Draft replies: create, edit, send.
		draft, err := x.Messages().CreateReply(ctx, got.ID, "draft comment")
		require.NoError(t, err)
		assert.True(t, *draft.IsDraft)
		assert.Equal(t, adele, draft.ToRecipients[0].EmailAddress.Address)
		_, err = x.Messages().Update(ctx, draft.ID, &outlook.MessageUpdate{Subject: outlook.Set("RE: Budget (edited)")})
		require.NoError(t, err)
		require.NoError(t, x.Messages().Send(ctx, draft.ID))
		findBySubject(t, ctx, a.Messages().InFolder(outlook.FolderInbox), "RE: Budget (edited)")
		_, err = x.Messages().Get(ctx, draft.ID, nil)
		assert.True(t, office365.IsNotFound(err), "the sent draft left Drafts: %v", err)

		fwDraft, err := x.Messages().CreateForward(ctx, got.ID, "", nil)
		require.NoError(t, err)
		assert.Equal(t, "FW: Budget", fwDraft.Subject)
		assert.Error(t, x.Messages().Send(ctx, fwDraft.ID), "a draft without recipients cannot be sent")
		raDraft, err := x.Messages().CreateReplyAll(ctx, got.ID, "c")
		require.NoError(t, err)
		assert.Len(t, raDraft.CcRecipients, 1)
		assert.Len(t, fake.Sent(), 5)
	})
}

func TestMailFakeMessages(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		_, _, c := mailFake(t, dia)
		mail := c.Me().Mail()
		inbox := mail.Messages().InFolder(outlook.FolderInbox)

		// Paging follows nextLink; $count=true reports the total.
		var pages int
		var total int64
		var seen []string
		for p, err := range inbox.ListPages(ctx, &outlook.ListOptions{Top: 5, Count: true, Select: []string{"Subject", "ReceivedDateTime"}}) {
			require.NoError(t, err)
			pages++
			total = *p.Count
			for _, m := range p.Value {
				seen = append(seen, m.ID)
				assert.Empty(t, m.BodyPreview, "$select trims the response")
			}
		}
		assert.EqualValues(t, 27, total)
		assert.Equal(t, 6, pages)
		assert.Len(t, seen, 27)
		slices.Sort(seen)
		assert.Len(t, slices.Compact(seen), 27, "no duplicates across pages")
		n, err := inbox.Count(ctx, "")
		require.NoError(t, err)
		assert.EqualValues(t, 27, n)
		unread, err := inbox.Count(ctx, "IsRead eq false")
		require.NoError(t, err)
		assert.EqualValues(t, 5, unread)

		// Filters on nested paths, dates and booleans; ordering.
		fromAlex := listAll(t, inbox.List(ctx, &outlook.ListOptions{
			Filter:  "From/EmailAddress/Address eq 'ALEX.WILBER@contoso.com' and (HasAttachments eq true or Importance eq 'High')",
			OrderBy: []string{"ReceivedDateTime asc"}, Top: 50}))
		assert.Equal(t, []string{"Attendee list for the offsite", "Q3 budget review"}, subjects(fromAlex))
		recent := listAll(t, inbox.List(ctx, &outlook.ListOptions{Filter: "ReceivedDateTime ge " + time.Now().Add(-6*time.Hour).UTC().Format(time.RFC3339), Top: 50}))
		assert.Equal(t, []string{"Q3 budget review", "Lunch on Thursday?", "[contoso/office365-go] Pull request #42 merged", "Project Falcon kickoff"}, subjects(recent))

		// $search on subject and body.
		found := listAll(t, mail.Messages().List(ctx, &outlook.ListOptions{Search: "falcon"}))
		assert.Len(t, found, 5)
		found = listAll(t, mail.Messages().List(ctx, &outlook.ListOptions{Search: "subject:invoice"}))
		assert.Equal(t, []string{"Invoice INV-20931"}, subjects(found))
		_, err = collectSeq(mail.Messages().List(ctx, &outlook.ListOptions{Search: "x", OrderBy: []string{"Subject"}}))
		assert.ErrorContains(t, err, "Search cannot be combined with Filter or OrderBy", "refused before sending")
		_, err = collectSeq(mail.Messages().List(ctx, &outlook.ListOptions{Filter: "contains(Subject,'x')"}))
		assert.True(t, office365.HasCode(err, "ErrorInvalidUrlQueryFilter"), "%v", err)

		// A meeting request decodes as an EventMessage; bodies as text on request.
		meeting := findBySubject(t, ctx, inbox, "Project Falcon kickoff")
		require.True(t, meeting.IsEventMessage())
		assert.Equal(t, outlook.MeetingRequest, meeting.EventMessage.MeetingMessageType)
		gh := findBySubject(t, ctx, inbox, "[contoso/office365-go] Pull request #42 merged")
		assert.Equal(t, outlook.BodyTypeHTML, gh.Body.ContentType)
		asText, err := mail.Messages().Get(ctx, gh.ID, &outlook.GetOptions{Prefer: outlook.Prefer{BodyContentType: outlook.BodyTypeText}})
		require.NoError(t, err)
		assert.Equal(t, outlook.BodyTypeText, asText.Body.ContentType)
		assert.Equal(t, "Merged #42 into main.", asText.Body.Content)

		// Draft lifecycle: create, update with explicit null, move, copy, delete.
		d, err := mail.Messages().Create(ctx, &outlook.Message{Subject: "Plan", Body: outlook.TextBody("v1"), Categories: []string{"Red"},
			Flag: &outlook.FollowupFlag{FlagStatus: outlook.FlagFlagged}})
		require.NoError(t, err)
		assert.True(t, *d.IsDraft)
		drafts, err := mail.Folders().Get(ctx, outlook.FolderDrafts, nil)
		require.NoError(t, err)
		assert.Equal(t, drafts.ID, d.ParentFolderID)
		u, err := mail.Messages().Update(ctx, d.ID, &outlook.MessageUpdate{Body: outlook.Set(*outlook.TextBody("v2")), Flag: outlook.Null[outlook.FollowupFlag](),
			Importance: outlook.Set(outlook.ImportanceLow)})
		require.NoError(t, err)
		assert.Equal(t, "v2", u.Body.Content)
		assert.Equal(t, "v2", u.BodyPreview)
		assert.Equal(t, outlook.FlagNotFlagged, u.Flag.FlagStatus)
		assert.Equal(t, []string{"Red"}, u.Categories, "untouched fields stay")
		assert.NotEqual(t, d.ChangeKey, u.ChangeKey)

		moved, err := mail.Messages().Move(ctx, d.ID, outlook.FolderArchive)
		require.NoError(t, err)
		assert.NotEqual(t, d.ID, moved.ID, "a move gives a new id")
		_, err = mail.Messages().Get(ctx, d.ID, nil)
		assert.True(t, office365.IsNotFound(err))
		assert.True(t, office365.HasCode(err, "ErrorItemNotFound"))
		cp, err := mail.Messages().Copy(ctx, moved.ID, outlook.FolderInbox)
		require.NoError(t, err)
		n, err = inbox.Count(ctx, "")
		require.NoError(t, err)
		assert.EqualValues(t, 28, n)
		require.NoError(t, mail.Messages().Delete(ctx, cp.ID))
		n, err = inbox.Count(ctx, "")
		require.NoError(t, err)
		assert.EqualValues(t, 27, n)

		// Raw MIME.
		rc, err := mail.Messages().MIME(ctx, moved.ID)
		require.NoError(t, err)
		raw, err := io.ReadAll(rc)
		require.NoError(t, rc.Close())
		require.NoError(t, err)
		assert.Contains(t, string(raw), "Subject: Plan\r\n")

		// Creating an EventMessage is rejected; unknown (camelCase) properties too.
		_, err = mail.Messages().Create(ctx, &outlook.Message{ODataType: outlook.ODataTypeEventMessage})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))
	})
}

func TestMailFakeAttachments(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		_, _, c := mailFake(t, dia)
		mail := c.Me().Mail()
		d, err := mail.Messages().Create(ctx, &outlook.Message{Subject: "With files"})
		require.NoError(t, err)
		atts := mail.Messages().Attachments(d.ID)

		big := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
		f, err := atts.AddFile(ctx, "big.bin", "application/octet-stream", bytes.NewReader(big))
		require.NoError(t, err)
		assert.EqualValues(t, len(big), f.Size)
		assert.Nil(t, f.ContentBytes, "the upload response does not echo the content")

		small, err := atts.Add(ctx, &outlook.FileAttachment{AttachmentBase: outlook.AttachmentBase{Name: "note.txt"}, ContentBytes: []byte("note")})
		require.NoError(t, err)
		assert.Equal(t, "text/plain; charset=utf-8", small.Common().ContentType)
		inner, err := outlook.NewMessageItemAttachment("Original", &outlook.Message{Subject: "Inner", Body: outlook.TextBody("inner body")})
		require.NoError(t, err)
		item, err := atts.Add(ctx, inner)
		require.NoError(t, err)
		ref, err := atts.Add(ctx, &outlook.ReferenceAttachment{AttachmentBase: outlook.AttachmentBase{Name: "Plan"}, SourceURL: "https://contoso.sharepoint.com/plan.docx"})
		want := 4
		if dia.graph {
			// Graph v1.0's referenceAttachment has no SourceUrl: refused
			// before any request.
			require.ErrorContains(t, err, "reference attachments")
			want = 3
		} else {
			require.NoError(t, err)
			assert.Equal(t, outlook.ProviderOther, ref.(*outlook.ReferenceAttachment).ProviderType)
		}

		list, err := collectSeq(atts.List(ctx, &outlook.ListOptions{Select: []string{"Name", "Size"}}))
		require.NoError(t, err)
		require.Len(t, list, want)
		assert.IsType(t, &outlook.FileAttachment{}, list[0])
		assert.IsType(t, &outlook.ItemAttachment{}, list[2])
		if !dia.graph {
			assert.IsType(t, &outlook.ReferenceAttachment{}, list[3])
		}

		rc, err := atts.Content(ctx, f.ID)
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		assert.True(t, bytes.Equal(big, got), "streamed content round-trips")

		gotItem, err := atts.Get(ctx, item.Common().ID, &outlook.GetOptions{Expand: []string{"Microsoft.OutlookServices.ItemAttachment/Item"}})
		require.NoError(t, err)
		innerMsg, err := gotItem.(*outlook.ItemAttachment).Message()
		require.NoError(t, err)
		assert.Equal(t, "Inner", innerMsg.Subject)
		_, err = atts.Content(ctx, item.Common().ID)
		assert.ErrorIs(t, err, outlook.ErrNotFileAttachment)

		msg, err := mail.Messages().Get(ctx, d.ID, nil)
		require.NoError(t, err)
		assert.True(t, *msg.HasAttachments)
		for _, a := range list {
			require.NoError(t, atts.Delete(ctx, a.Common().ID))
		}
		msg, err = mail.Messages().Get(ctx, d.ID, nil)
		require.NoError(t, err)
		assert.False(t, *msg.HasAttachments)
		assert.True(t, office365.IsNotFound(atts.Delete(ctx, f.ID)))
		_, err = atts.Add(ctx, &outlook.FileAttachment{})
		assert.ErrorContains(t, err, "Name")
	})
}

func TestMailFakeFolders(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		_, _, c := mailFake(t, dia)
		folders := c.Me().Mail().Folders()

		top, err := collectSeq(folders.List(ctx, &outlook.ListOptions{Top: 50}))
		require.NoError(t, err)
		var names []string
		for _, f := range top {
			names = append(names, f.DisplayName)
		}
		for _, want := range []string{"Inbox", "Drafts", "Sent Items", "Deleted Items", "Outbox", "Junk Email", "Archive", "Newsletters", "Receipts"} {
			assert.Contains(t, names, want)
		}
		n, err := folders.Count(ctx, "")
		require.NoError(t, err)
		assert.EqualValues(t, len(top), n)
		inbox, err := folders.Get(ctx, "inbox", nil)
		require.NoError(t, err)
		assert.EqualValues(t, 27, *inbox.TotalItemCount)
		assert.EqualValues(t, 5, *inbox.UnreadItemCount)
		assert.EqualValues(t, 1, *inbox.ChildFolderCount)

		clients, err := folders.Create(ctx, "Clients")
		require.NoError(t, err)
		_, err = folders.Create(ctx, "clients")
		assert.True(t, office365.HasCode(err, "ErrorFolderExists"), "%v", err)
		acme, err := folders.CreateChild(ctx, clients.ID, "Acme")
		require.NoError(t, err)
		assert.Equal(t, clients.ID, acme.ParentFolderID)
		_, err = c.Me().Mail().Messages().InFolder(acme.ID).Create(ctx, &outlook.Message{Subject: "In Acme"})
		require.NoError(t, err)
		kids, err := collectSeq(folders.ListChildren(ctx, clients.ID, nil))
		require.NoError(t, err)
		require.Len(t, kids, 1)

		renamed, err := folders.Rename(ctx, acme.ID, "Acme Corp")
		require.NoError(t, err)
		assert.Equal(t, "Acme Corp", renamed.DisplayName)
		movedF, err := folders.Move(ctx, acme.ID, outlook.FolderArchive)
		require.NoError(t, err)
		assert.Equal(t, acme.ID, movedF.ID)
		archive, err := folders.Get(ctx, outlook.FolderArchive, nil)
		require.NoError(t, err)
		assert.Equal(t, archive.ID, movedF.ParentFolderID)
		copied, err := folders.Copy(ctx, acme.ID, clients.ID)
		require.NoError(t, err)
		assert.NotEqual(t, acme.ID, copied.ID)
		assert.EqualValues(t, 1, *copied.TotalItemCount, "a copy takes the messages along")
		_, err = folders.Move(ctx, clients.ID, copied.ID)
		assert.True(t, office365.HasCode(err, "ErrorMoveCopyFailed"), "%v", err)

		require.NoError(t, folders.Delete(ctx, clients.ID))
		_, err = folders.Get(ctx, copied.ID, nil)
		assert.True(t, office365.IsNotFound(err), "children go with their parent")
		assert.True(t, office365.HasCode(folders.Delete(ctx, outlook.FolderInbox), "ErrorDeleteDistinguishedFolder"))
	})
}

func TestMailFakeRulesAndFocusedInbox(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		_, _, c := mailFake(t, dia)
		a := c.User(adele).Mail()
		ci, err := a.Folders().Create(ctx, "CI")
		require.NoError(t, err)
		rule, err := a.Rules().Create(ctx, &outlook.MessageRule{DisplayName: "CI mail", Sequence: outlook.Ptr[int32](2), IsEnabled: outlook.Ptr(true),
			Conditions: &outlook.MessageRulePredicates{SubjectContains: []string{"[ci]"}},
			Actions:    &outlook.MessageRuleActions{MoveToFolder: ci.ID, MarkAsRead: outlook.Ptr(true), AssignCategories: []string{"Builds"}}})
		require.NoError(t, err)
		assert.False(t, *rule.HasError)
		rules, err := a.Rules().List(ctx)
		require.NoError(t, err)
		assert.Len(t, rules, 2)
		assert.Equal(t, "Newsletters", rules[0].DisplayName, "sorted by Sequence")

		require.NoError(t, c.User(megan).Mail().SendMail(ctx, &outlook.Message{Subject: "[CI] build 42 green", ToRecipients: outlook.Recipients(adele)}, false))
		got := findBySubject(t, ctx, a.Messages().InFolder(ci.ID), "[CI] build 42 green")
		assert.True(t, *got.IsRead)
		assert.Equal(t, []string{"Builds"}, got.Categories)

		_, err = a.Rules().Update(ctx, rule.ID, &outlook.MessageRuleUpdate{IsEnabled: outlook.Set(false)})
		require.NoError(t, err)
		require.NoError(t, c.User(megan).Mail().SendMail(ctx, &outlook.Message{Subject: "[CI] build 43 red", ToRecipients: outlook.Recipients(adele)}, false))
		findBySubject(t, ctx, a.Messages().InFolder(outlook.FolderInbox), "[CI] build 43 red")
		r, err := a.Rules().Get(ctx, rule.ID)
		require.NoError(t, err)
		assert.False(t, *r.IsEnabled)
		require.NoError(t, a.Rules().Delete(ctx, rule.ID))
		_, err = a.Rules().Get(ctx, rule.ID)
		assert.True(t, office365.IsNotFound(err))
		_, err = a.Rules().Create(ctx, &outlook.MessageRule{DisplayName: "bad", Sequence: outlook.Ptr[int32](1), Actions: &outlook.MessageRuleActions{MoveToFolder: "nope"}})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		// Focused Inbox: an override routes Megan's mail to Other.
		fi := a.FocusedInbox()
		o, err := fi.CreateOverride(ctx, outlook.EmailAddress{Address: megan}, outlook.InferenceOther)
		require.NoError(t, err)
		again, err := fi.CreateOverride(ctx, outlook.EmailAddress{Address: strings.ToUpper(megan), Name: "Megan"}, outlook.InferenceOther)
		require.NoError(t, err)
		assert.Equal(t, o.ID, again.ID, "one override per sender")
		require.NoError(t, c.User(megan).Mail().SendMail(ctx, &outlook.Message{Subject: "Weekly digest", ToRecipients: outlook.Recipients(adele)}, false))
		digest := findBySubject(t, ctx, a.Messages().InFolder(outlook.FolderInbox), "Weekly digest")
		assert.Equal(t, outlook.InferenceOther, digest.InferenceClassification)
		back, err := fi.Reclassify(ctx, digest.ID, outlook.InferenceFocused)
		require.NoError(t, err)
		assert.Equal(t, outlook.InferenceFocused, back.InferenceClassification)
		upd, err := fi.UpdateOverride(ctx, o.ID, outlook.InferenceFocused)
		require.NoError(t, err)
		assert.Equal(t, outlook.InferenceFocused, upd.ClassifyAs)
		list, err := fi.ListOverrides(ctx)
		require.NoError(t, err)
		assert.Len(t, list, 2) // the seeded GitHub override and Megan's
		require.NoError(t, fi.DeleteOverride(ctx, o.ID))
		list, err = fi.ListOverrides(ctx)
		require.NoError(t, err)
		assert.Len(t, list, 1)
	})
}

func TestMailFakeSettingsAndTips(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		_, _, c := mailFake(t, dia)
		s := c.User(adele).Mail().Settings()
		all, err := s.Get(ctx)
		require.NoError(t, err)
		assert.Equal(t, "Pacific Standard Time", all.TimeZone)
		assert.Equal(t, outlook.AutomaticRepliesDisabled, all.AutomaticRepliesSetting.Status)

		_, err = s.SetAutomaticReplies(ctx, outlook.AutomaticRepliesSetting{Status: outlook.AutomaticRepliesScheduled,
			ScheduledStartDateTime: &outlook.DateTimeTimeZone{DateTime: "2030-03-20T18:00:00", TimeZone: "UTC"},
			ScheduledEndDateTime:   &outlook.DateTimeTimeZone{DateTime: "2030-03-28T18:00:00", TimeZone: "UTC"},
			InternalReplyMessage:   "Away until the 28th"})
		require.NoError(t, err)
		pacific := c.User(adele).WithPrefer(outlook.Prefer{TimeZone: "Pacific Standard Time"}).Mail().Settings()
		ar, err := pacific.AutomaticReplies(ctx)
		require.NoError(t, err)
		assert.Equal(t, outlook.DateTimeTimeZone{DateTime: "2030-03-20T11:00:00.0000000", TimeZone: "Pacific Standard Time"}, *ar.ScheduledStartDateTime)
		assert.Equal(t, outlook.ExternalAudienceAll, ar.ExternalAudience, "other fields kept")
		_, err = s.SetAutomaticReplies(ctx, outlook.AutomaticRepliesSetting{Status: outlook.AutomaticRepliesScheduled,
			ScheduledStartDateTime: &outlook.DateTimeTimeZone{DateTime: "2030-03-28T18:00:00", TimeZone: "UTC"},
			ScheduledEndDateTime:   &outlook.DateTimeTimeZone{DateTime: "2030-03-20T18:00:00", TimeZone: "UTC"}})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		upd, err := s.Update(ctx, &outlook.MailboxSettingsUpdate{TimeZone: outlook.Set("W. Europe Standard Time"), Language: outlook.Set(outlook.LocaleInfo{Locale: "de-DE"})})
		require.NoError(t, err)
		assert.Equal(t, "Deutsch (Deutschland)", upd.Language.DisplayName)
		tz, err := s.TimeZone(ctx)
		require.NoError(t, err)
		assert.Equal(t, "W. Europe Standard Time", tz)
		lang, err := s.Language(ctx)
		require.NoError(t, err)
		assert.Equal(t, "de-DE", lang.Locale)
		_, err = s.Update(ctx, &outlook.MailboxSettingsUpdate{TimeZone: outlook.Set("Mars/Olympus")})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		tips, err := c.User(alex).Mail().MailTips(ctx, []string{adele, "someone@fabrikam.com"})
		require.NoError(t, err)
		require.Len(t, tips, 2)
		assert.Equal(t, "Away until the 28th", tips[0].AutomaticReplies.Message)
		assert.Equal(t, outlook.RecipientScopeInternal, tips[0].RecipientScope)
		assert.Equal(t, outlook.RecipientScopeExternal, tips[1].RecipientScope)
		langs, err := s.SupportedLanguages(ctx)
		require.NoError(t, err)
		assert.Contains(t, langs, outlook.LocaleInfo{Locale: "de-DE", DisplayName: "Deutsch (Deutschland)"})
		zones, err := s.SupportedTimeZones(ctx, outlook.TimeZoneStandardIana)
		require.NoError(t, err)
		assert.Equal(t, "Etc/GMT", zones[0].Alias)
		assert.Equal(t, "(UTC) Coordinated Universal Time", zones[0].DisplayName)
		windows, err := s.SupportedTimeZones(ctx, outlook.TimeZoneStandardWindows)
		require.NoError(t, err)
		require.Len(t, windows, len(zones))
		assert.Equal(t, "UTC", windows[0].Alias)
		plain, err := s.SupportedTimeZones(ctx, "")
		require.NoError(t, err)
		assert.Equal(t, windows, plain, "Windows is the default standard")
		// Another user's mailbox answers too.
		langs2, err := c.User(alex).Mail().Settings().SupportedLanguages(ctx)
		require.NoError(t, err)
		assert.Equal(t, langs, langs2)
	})
}

func TestMailFakeErrors(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		srv, fake, c := mailFake(t, dia, office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))

		_, err := c.User("nobody@contoso.com").Mail().Messages().Get(ctx, "x", nil)
		assert.True(t, office365.IsNotFound(err), "%v", err)

		fake.User(megan).DisableREST("")
		_, err = c.User(megan).Mail().Folders().Get(ctx, "Inbox", nil)
		assert.True(t, outlook.IsMailboxNotEnabled(err), "%v", err)
		assert.True(t, office365.IsNotFound(err))

		// Ids with "/" and "+" survive the round trip in paths and key forms.
		byID := c.User(fake.User(adele).ID).Mail()
		first := firstMessage(t, byID.Messages().InFolder("Inbox"))
		assert.Contains(t, first.ID, "/")
		assert.Contains(t, first.ID, "+")
		_, err = byID.FocusedInbox().Reclassify(ctx, first.ID, outlook.InferenceOther)
		require.NoError(t, err)

		srv.InjectFault(&office365test.Fault{PathContains: "/messages", Times: 1, Status: http.StatusTooManyRequests,
			Code: "ApplicationThrottled", Message: "Application is over its MailboxConcurrency limit.", RetryAfter: "1"})
		_, err = c.User(adele).Mail().Messages().Count(ctx, "")
		assert.True(t, office365.IsThrottled(err), "%v", err)
		var apiErr *office365.Error
		require.True(t, errors.As(err, &apiErr))
		assert.Equal(t, time.Second, apiErr.RetryAfter)
	})
}

// TestMailNeverSendsTwice proves that the non-idempotent actions are not
// re-sent by the retry policy once the server may have processed them.
func TestMailNeverSendsTwice(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		type op struct {
			name, path string
			call       func(ctx context.Context, mail *outlook.MailService, id string) error
		}
		ops := []op{
			{"sendmail", "/sendmail", func(ctx context.Context, mail *outlook.MailService, _ string) error {
				return mail.SendMail(ctx, &outlook.Message{Subject: "once", ToRecipients: outlook.Recipients(alex)}, true)
			}},
			{"send", "/send", func(ctx context.Context, mail *outlook.MailService, id string) error {
				return mail.Messages().Send(ctx, id)
			}},
			{"reply", "/reply", func(ctx context.Context, mail *outlook.MailService, id string) error {
				return mail.Messages().Reply(ctx, id, "once")
			}},
			{"forward", "/forward", func(ctx context.Context, mail *outlook.MailService, id string) error {
				return mail.Messages().Forward(ctx, id, "once", outlook.Recipients(alex))
			}},
		}
		faults := map[string]func(srv *office365test.Server, fake *office365test.Mailbox, path string){
			"dropped after processing": func(srv *office365test.Server, _ *office365test.Mailbox, path string) {
				srv.InjectFault(&office365test.Fault{Method: "POST", PathContains: path, DropAfterHandler: true})
			},
			"500 after processing": func(srv *office365test.Server, fake *office365test.Mailbox, path string) {
				h, prefix := fake.Handler(), "/api/v2.0/users/"
				if dia.graph {
					h, prefix = office365test.NewGraphMail(srv, fake).Handler(), "/v1.0/users/"
				}
				srv.Mount(prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == "POST" && strings.HasSuffix(strings.ToLower(r.URL.Path), path) {
						h.ServeHTTP(httptestRecorder{}, r)
						office365test.WriteError(w, http.StatusInternalServerError, "ErrorInternalServerError", "boom")
						return
					}
					h.ServeHTTP(w, r)
				}))
			},
		}
		for _, o := range ops {
			for fname, inject := range faults {
				t.Run(o.name+"/"+fname, func(t *testing.T) {
					t.Parallel()
					ctx := context.Background()
					srv, fake, c := mailFake(t, dia)
					mail := c.User(adele).Mail()
					target := ""
					if o.name == "send" {
						d, err := mail.Messages().Create(ctx, &outlook.Message{Subject: "once", ToRecipients: outlook.Recipients(alex)})
						require.NoError(t, err)
						target = d.ID
					} else {
						target = firstMessage(t, mail.Messages().InFolder("Inbox")).ID
					}
					inject(srv, fake, o.path)
					srv.ResetRequests()
					err := o.call(ctx, mail, target)
					require.Error(t, err)
					assert.Len(t, fake.Sent(), 1, "exactly one message left the mailbox")
					posts := 0
					for _, r := range srv.Requests() {
						if r.Method == "POST" && strings.HasSuffix(strings.ToLower(r.Path), o.path) {
							posts++
						}
					}
					assert.Equal(t, 1, posts, "the request was not re-sent")
				})
			}
		}
		t.Run("500 before processing is not retried either", func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv, fake, c := mailFake(t, dia)
			srv.InjectFault(&office365test.Fault{Method: "POST", PathContains: "/sendmail", Status: http.StatusInternalServerError})
			err := c.Me().Mail().SendMail(ctx, &outlook.Message{Subject: "x", ToRecipients: outlook.Recipients(alex)}, true)
			assert.Equal(t, http.StatusInternalServerError, office365.StatusCode(err))
			assert.Empty(t, fake.Sent())
			assert.Len(t, srv.Requests(), 1)
		})
		t.Run("control: a GET is retried after a 500", func(t *testing.T) {
			t.Parallel()
			srv, _, c := mailFake(t, dia)
			srv.FailNext(2, "/MailFolders", http.StatusInternalServerError, "")
			_, err := c.Me().Mail().Folders().Get(context.Background(), "Inbox", nil)
			require.NoError(t, err)
			assert.Len(t, srv.Requests(), 3)
		})
	})
}

// httptestRecorder discards a response.
type httptestRecorder struct{}

func (httptestRecorder) Header() http.Header         { return http.Header{} }
func (httptestRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (httptestRecorder) WriteHeader(int)             {}

func TestMailFakeBetaMentionsAndUnsubscribe(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		ctx := context.Background()
		srv, fake, _ := mailFake(t, dia)
		beta, err := outlook.New(auth.StaticToken("tok"), office365.WithBaseURL(srv.URL()), outlook.WithAPIVersion(outlook.Beta))
		require.NoError(t, err)
		d, err := beta.User(adele).Mail().Messages().Create(ctx, &outlook.Message{Subject: "Ping", ToRecipients: outlook.Recipients(alex, megan),
			Mentions: []outlook.Mention{{Mentioned: &outlook.EmailAddress{Name: "Alex", Address: alex}}}})
		require.NoError(t, err)
		require.NoError(t, beta.User(adele).Mail().Messages().Send(ctx, d.ID))
		for user, want := range map[string]int{alex: 1, megan: 0} {
			got, err := collectSeq(beta.User(user).Mail().Messages().ListMentioningMe(ctx, nil))
			require.NoError(t, err)
			require.Len(t, got, want, user)
			if want == 1 {
				assert.Equal(t, alex, got[0].Mentions[0].Mentioned.Address)
			}
		}

		// Unsubscribe: the message goes to Deleted Items and a mail goes out.
		me := fake.User(adele)
		news := me.Records(office365test.EntityMessage, "Inbox")[0].ID
		require.True(t, me.Update(news, func(doc office365test.Entity) {
			doc["UnsubscribeEnabled"] = true
			doc["UnsubscribeData"] = []any{"<mailto:unsubscribe@northwindtraders.com?subject=stop>"}
		}))
		before := len(fake.Sent())
		mail := beta.User(adele).Mail()
		require.NoError(t, mail.Messages().Unsubscribe(ctx, news))
		sent := fake.Sent()
		require.Len(t, sent, before+1)
		assert.Equal(t, []string{"unsubscribe@northwindtraders.com"}, sent[len(sent)-1].To)
		n, err := mail.Messages().InFolder(outlook.FolderDeletedItems).Count(ctx, "")
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(mail.Messages().Unsubscribe(ctx, firstMessage(t, mail.Messages().InFolder("Inbox")).ID)))
	})
}
