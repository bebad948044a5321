package outlook_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// TestFakeErrorsInBothDialects: the fake's errors — from the mailbox, from
// faults, from the token check — reach the caller as *office365.Error in
// either dialect, with the dialect's code (Graph's from the Graph front
// end), and the predicates (IsNotFound, IsThrottled, IsUnauthorized,
// IsForbidden) answer the same. From Graph, the request ids and date of
// the error body's innerError are on the error too.
func TestFakeErrorsInBothDialects(t *testing.T) {
	t.Parallel()
	type errCase struct {
		name  string
		fault *office365test.Fault
		call  func(ctx context.Context, c clientUnderTest) error
		// code per dialect (same for both when graph is "").
		code, graphCode string
		status          int
		pred            func(error) bool
		retryAfter      time.Duration
	}
	getMessage := func(ctx context.Context, c clientUnderTest) error {
		_, err := c.me.Mail().Messages().Get(ctx, "AAMkAGNoSuchMessage", nil)
		return err
	}
	cases := []errCase{
		{name: "missing message", call: getMessage, code: "ErrorItemNotFound", status: 404, pred: office365.IsNotFound},
		{name: "missing user", call: func(ctx context.Context, c clientUnderTest) error {
			_, err := c.client.User("nobody@contoso.com").Mail().Folders().Get(ctx, "Inbox", nil)
			return err
		}, code: "ErrorNonExistentMailbox", graphCode: "ErrorInvalidUser", status: 404, pred: office365.IsNotFound},
		{name: "throttled", call: getMessage, fault: &office365test.Fault{PathContains: "/messages", Status: 429, RetryAfter: "2"},
			code: "ApplicationThrottled", status: 429, pred: office365.IsThrottled, retryAfter: 2 * time.Second},
		{name: "server busy", call: getMessage, fault: &office365test.Fault{PathContains: "/messages", Status: 503},
			code: "ErrorServerBusy", status: 503, pred: office365.IsThrottled},
		{name: "token rejected", call: getMessage, fault: &office365test.Fault{PathContains: "/messages", Status: 401},
			code: "InvalidAuthenticationToken", status: 401, pred: office365.IsUnauthorized},
		{name: "forbidden", call: getMessage, fault: &office365test.Fault{PathContains: "/messages", Status: 403},
			code: "ErrorAccessDenied", status: 403, pred: office365.IsForbidden},
		{name: "fault with the service's code", call: getMessage,
			fault: &office365test.Fault{PathContains: "/messages", Status: 429, Code: "activityLimitReached", Message: "The request has been throttled"},
			code:  "activityLimitReached", status: 429, pred: office365.IsThrottled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachDialect(t, func(t *testing.T, dia dialect) {
				srv, _, c := mailFake(t, dia, office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
				if tc.fault != nil {
					// A fault of this run's own (a Fault counts its hits).
					srv.InjectFault(&office365test.Fault{PathContains: tc.fault.PathContains, Status: tc.fault.Status,
						Code: tc.fault.Code, Message: tc.fault.Message, RetryAfter: tc.fault.RetryAfter})
				}
				err := tc.call(t.Context(), clientUnderTest{client: c, me: c.Me()})
				require.Error(t, err)
				var apiErr *office365.Error
				require.True(t, errors.As(err, &apiErr), "%T: %v", err, err)
				want := tc.code
				if dia.graph && tc.graphCode != "" {
					want = tc.graphCode
				}
				assert.Equal(t, want, apiErr.Code)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.True(t, tc.pred(err), "%v", err)
				assert.NotEmpty(t, apiErr.Message)
				assert.Equal(t, tc.retryAfter, apiErr.RetryAfter)
				last, ok := srv.LastRequest()
				require.True(t, ok)
				if dia.graph {
					assert.Contains(t, last.Path, "/v1.0/")
					assert.NotEmpty(t, apiErr.InnerError)
					assert.NotEmpty(t, apiErr.RequestID)
					assert.Equal(t, last.Header.Get("client-request-id"), apiErr.ClientRequestID, "echoed")
					assert.False(t, apiErr.Date.IsZero())
				} else {
					assert.Contains(t, last.Path, "/api/v2.0/")
					assert.Empty(t, apiErr.InnerError, "the retired API's body has no innerError")
				}
			})
		})
	}
}

// clientUnderTest is what an error case calls.
type clientUnderTest struct {
	client *outlook.Client
	me     *outlook.Mailbox
}
