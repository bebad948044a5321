package servicecomms_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/servicecomms"
)

// TestCollectionCallsRefuseNonCollections: a 200 without a "value" array is
// an error on every collection call, never an empty list.
func TestCollectionCallsRefuseNonCollections(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *servicecomms.Client) error{
		"Services": func(ctx context.Context, c *servicecomms.Client) error {
			_, err := c.Services(ctx)
			return err
		},
		"CurrentStatus": func(ctx context.Context, c *servicecomms.Client) error {
			_, err := c.CurrentStatus(ctx, nil)
			return err
		},
		"HistoricalStatus": func(ctx context.Context, c *servicecomms.Client) error {
			_, err := c.HistoricalStatus(ctx, nil)
			return err
		},
		"Messages": func(ctx context.Context, c *servicecomms.Client) error {
			for _, err := range c.Messages(ctx, nil) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"Message": func(ctx context.Context, c *servicecomms.Client) error {
			_, err := c.Message(ctx, "MC123")
			return err
		},
	}
	for name, call := range calls {
		for bname, body := range map[string]string{"empty object": `{}`, "single entity": `{"Id":"MC123","Title":"x"}`} {
			t.Run(name+"/"+bname, func(t *testing.T) {
				t.Parallel()
				c, mt := mockClient(t)
				mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, body))
				err := call(t.Context(), c)
				require.Error(t, err)
				var oe *office365.Error
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, http.StatusOK, oe.StatusCode)
				assert.Contains(t, oe.Message, `no "value" array`)
			})
		}
	}
}

// TestMessagesRefusesPageOverServiceMaximum: ServiceComms serves at most
// 100 items a page; a page with more is an error.
func TestMessagesRefusesPageOverServiceMaximum(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, `{"value":[{"Id":"MC0"}`+strings.Repeat(`,{"Id":"MC1"}`, 100)+`]}`))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // a broken pager loops
	defer cancel()
	n := 0
	var err error
	for _, e := range c.Messages(ctx, nil) {
		if e != nil {
			err = e
			break
		}
		n++
	}
	require.Error(t, err)
	assert.Zero(t, n)
	assert.Contains(t, err.Error(), "more than 100")
}
