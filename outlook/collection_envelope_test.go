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
	for name, call := range calls {
		for bname, body := range bodies {
			t.Run(name+"/"+bname, func(t *testing.T) {
				t.Parallel()
				c, mt := btClient(t)
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
