package outlook_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook"
)

// TestCollectionCallsRefuseNonCollections: every kind of collection read
// (List, ListPages, a beta collection, a POST answered with a collection,
// delta sync) reports a 200 without a "value" array as an error instead of
// an empty result.
func TestCollectionCallsRefuseNonCollections(t *testing.T) {
	calls := map[string]func(ctx context.Context, mb *outlook.Mailbox) error{
		"List": func(ctx context.Context, mb *outlook.Mailbox) error {
			_, err := collectSeq(mb.Mail().Messages().List(ctx, nil))
			return err
		},
		"ListPages": func(ctx context.Context, mb *outlook.Mailbox) error {
			_, err := collectSeq(mb.Contacts().ListPages(ctx, nil))
			return err
		},
		"SupportedLanguages": func(ctx context.Context, mb *outlook.Mailbox) error {
			_, err := mb.Mail().Settings().SupportedLanguages(ctx)
			return err
		},
		"MailTips": func(ctx context.Context, mb *outlook.Mailbox) error {
			_, err := mb.Mail().MailTips(ctx, []string{"a@contoso.com"})
			return err
		},
		"Delta": func(ctx context.Context, mb *outlook.Mailbox) error {
			_, err := collectSeq(mb.Mail().Messages().InFolder(outlook.FolderInbox).Delta(ctx, nil, nil))
			return err
		},
	}
	bodies := map[string]string{
		"empty object":  `{}`,
		"single entity": `{"@odata.context":"x","Id":"AAMk","Subject":"Hi","@odata.nextLink":"https://outlook.office.com/api/v2.0/me/messages?$skip=1"}`,
	}
	dialects := map[string][]office365.Option{"outlook": nil, "graph": {office365.WithGraph()}}
	for dname, dopts := range dialects {
		for name, call := range calls {
			for bname, body := range bodies {
				if dname == "graph" && name == "SupportedLanguages" {
					continue // the same collection call as v2.0's, on /outlook/supportedLanguages
				}
				t.Run(dname+"/"+name+"/"+bname, func(t *testing.T) {
					t.Parallel()
					c, mt := btClient(t, dopts...)
					mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, body))
					err := call(t.Context(), c.Me())
					require.Error(t, err)
					var oe *office365.Error
					require.ErrorAs(t, err, &oe)
					assert.Contains(t, oe.Message, `no "value" array`)
				})
			}
		}
	}
}

// TestListRefusesOversizedPage: a page with more items than the service's
// page maximum (1000) is an error, not 174,000 decoded messages.
func TestListRefusesOversizedPage(t *testing.T) {
	c, mt := btClient(t)
	body := `{"value":[{}` + strings.Repeat(`,{}`, 1000) + `]}`
	mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, body))
	got, err := collectSeq(c.Me().Mail().Messages().List(t.Context(), nil))
	require.Error(t, err)
	assert.Empty(t, got)
	assert.Contains(t, err.Error(), "more than 1000")
}

// TestUndecodableCreateAnswerMayHaveBeenProcessed: a create the service
// answered with a success body that does not decode is reported the same
// way in both dialects, as an *office365.Error that says the request may
// have been processed, so the caller does not blindly send it again.
func TestUndecodableCreateAnswerMayHaveBeenProcessed(t *testing.T) {
	dialects := map[string][]office365.Option{"outlook": nil, "graph": {office365.WithGraph()}}
	bodies := map[string]string{"not JSON": `{"Id": `, "wrong type": `{"Id":"AAMk","Subject":5}`}
	for dname, dopts := range dialects {
		for bname, body := range bodies {
			t.Run(dname+"/"+bname, func(t *testing.T) {
				t.Parallel()
				c, mt := btClient(t, dopts...)
				mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusCreated, body))
				_, err := c.Me().Mail().Messages().Create(t.Context(), &outlook.Message{Subject: "once"})
				var oe *office365.Error
				require.ErrorAs(t, err, &oe)
				assert.True(t, office365.IsMaybeProcessed(err), "%v", err)
				assert.Equal(t, 1, mt.GetTotalCallCount())
			})
		}
	}
}
