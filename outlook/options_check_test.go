package outlook_test

import (
	"context"
	"testing"

	"github.com/office365-go/office365/outlook"
)

// TestInputsCheckedBeforeSending checks the documented input rules: Search
// cannot be combined with Filter or OrderBy, and enum-valued inputs are
// sent as the service's literal whatever their case, other values being
// refused — all before any request (a case with no reqs fails on any
// request).
func TestInputsCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	const searchErr = "Search cannot be combined with Filter or OrderBy"
	inbox := func(mb *outlook.Mailbox) *outlook.MessagesService {
		return mb.Mail().Messages().InFolder(outlook.FolderInbox)
	}
	first := func(seq func(yield func(*outlook.Message, error) bool)) (any, error) {
		for m, err := range seq {
			return m, err
		}
		return nil, nil
	}
	runMailWire(t, []mailCase{
		{
			name: "search with filter",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return first(inbox(mb).List(ctx, &outlook.ListOptions{Search: "pizza", Filter: "IsRead eq false"}))
			},
			wantErr: searchErr,
		},
		{
			name: "search with orderby",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				for p, err := range mb.Mail().Messages().ListPages(ctx, &outlook.ListOptions{Search: "pizza", OrderBy: []string{"ReceivedDateTime desc"}}) {
					return p, err
				}
				return nil, nil
			},
			wantErr: searchErr,
		},
		{
			name: "search alone",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return first(mb.Mail().Messages().List(ctx, &outlook.ListOptions{Search: "pizza"}))
			},
			reqs: []mailReq{{method: "GET", path: mailUPath + "/messages", query: "$search=%22pizza%22", resp: `{"value":[]}`}},
		},
		{
			name: "mail tips in any case",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().MailTips(ctx, []string{"a@x.com"}, "AutomaticReplies", "MAILBOXFULLSTATUS")
			},
			reqs: []mailReq{{method: "POST", path: mailBeta + "/GetMailTips",
				body: `{"EmailAddresses":["a@x.com"],"MailTipsOptions":"automaticReplies, mailboxFullStatus"}`, resp: `{"value":[]}`}},
		},
		{
			name: "unknown mail tip",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().MailTips(ctx, []string{"a@x.com"}, outlook.MailTipsAutomaticReplies, "outOfOffice")
			},
			wantErr: `MailTips type "outOfOffice" is not one of "automaticReplies"`,
		},
		{
			name: "reclassify in any case",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().Reclassify(ctx, "m1", "focused")
			},
			reqs: []mailReq{{method: "PATCH", path: mailUPath + "/messages('m1')", body: `{"InferenceClassification":"Focused"}`, resp: `{"Id":"m1"}`}},
		},
		{
			name: "reclassify unknown",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().Reclassify(ctx, "m1", "Clutter")
			},
			wantErr: `InferenceClassificationType "Clutter" is not one of "Focused", "Other"`,
		},
		{
			name: "override in any case",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().CreateOverride(ctx, outlook.EmailAddress{Address: "s@x.com"}, "OTHER")
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/InferenceClassification/Overrides", status: 201, resp: `{"Id":"o1"}`,
				body: `{"ClassifyAs":"Other","SenderEmailAddress":{"Address":"s@x.com"}}`}},
		},
		{
			name: "override unknown",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Mail().FocusedInbox().UpdateOverride(ctx, "o1", "")
			},
			wantErr: "InferenceClassificationType",
		},
		{
			name: "subscription change types in any case",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Subscriptions().Create(ctx, &outlook.PushSubscription{Resource: mb.URL("messages"),
					NotificationURL: "https://example.net/hook", ChangeType: "created,UPDATED"})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/subscriptions", status: 201, resp: `{"Id":"s1"}`,
				body: `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","Resource":"https://outlook.office.com/api/v2.0/users/adele@contoso.com/messages",` +
					`"NotificationURL":"https://example.net/hook","ChangeType":"Created, Updated"}`}},
		},
		{
			name: "subscription change type unknown",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Subscriptions().Create(ctx, &outlook.PushSubscription{Resource: mb.URL("messages"),
					NotificationURL: "https://example.net/hook", ChangeType: "Created, Moved"})
			},
			wantErr: `change type "Moved" is not one of "Created"`,
		},
		{
			name: "activity domain in any case",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().FindMeetingTimes(ctx, &outlook.FindMeetingTimesRequest{TimeConstraint: &outlook.TimeConstraint{ActivityDomain: "unrestricted"}})
			},
			reqs: []mailReq{{method: "POST", path: mailUPath + "/findmeetingtimes", body: `{"TimeConstraint":{"ActivityDomain":"Unrestricted"}}`,
				resp: `{"MeetingTimeSuggestions":[]}`}},
		},
		{
			name: "activity domain unknown",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Calendar().FindMeetingTimes(ctx, &outlook.FindMeetingTimesRequest{TimeConstraint: &outlook.TimeConstraint{ActivityDomain: "Weekend"}})
			},
			wantErr: `ActivityDomain "Weekend" is not one of "Work"`,
		},
	})
}
