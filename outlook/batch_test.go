package outlook_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
)

// crlf joins lines with CRLF, the line ending of multipart bodies.
func crlf(lines ...string) string { return strings.Join(lines, "\r\n") }

// btClient returns a client for the public cloud (root
// https://outlook.office.com/api/v2.0) whose requests go to an httpmock
// transport.
func btClient(t *testing.T, opts ...office365.Option) (*outlook.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]office365.Option{
		office365.WithHTTPClient(&http.Client{Transport: mt}),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1}),
	}, opts...)
	c, err := outlook.New(auth.StaticToken("tok"), all...)
	require.NoError(t, err)
	return c, mt
}

// multipartResponse answers a batch with the given raw body.
func multipartResponse(boundary, body string) *http.Response {
	resp := httpmock.NewStringResponse(http.StatusOK, body)
	resp.Header.Set("Content-Type", "multipart/mixed; boundary="+boundary)
	return resp
}

func readBody(t *testing.T, r *http.Request) string {
	t.Helper()
	if r.Body == nil {
		return ""
	}
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}

// The reference's example batch (a GET of events with $select and a
// sendmail POST), composed from the typed API, is written byte for byte as
// the reference shows it; the sendmail body differs only in JSON property
// order (Message's field order) and SaveToSentItems, which SendMail always
// sends.
func TestBatchRequestWireFormatMatchesReference(t *testing.T) {
	t.Parallel()
	c, mt := btClient(t)
	want := crlf(
		"--batch_myBatchId",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"GET /api/v2.0/me/events?$select=Subject,Organizer HTTP/1.1",
		"",
		"--batch_myBatchId",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"POST /api/v2.0/me/sendmail HTTP/1.1",
		"Content-Type: application/json",
		"",
		`{"Message":{"Body":{"ContentType":"Text","Content":"x"},"Subject":"Hi","ToRecipients":[{"EmailAddress":{"Address":"a@b.com"}}]},"SaveToSentItems":true}`,
		"",
		"--batch_myBatchId--",
		"")
	var got *http.Request
	var gotBody string
	mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/me/$batch", func(r *http.Request) (*http.Response, error) {
		got, gotBody = r, readBody(t, r)
		return multipartResponse("batchresponse_9f3c", crlf(
			"--batchresponse_9f3c",
			"Content-Type: application/http",
			"Content-Transfer-Encoding: binary",
			"",
			"HTTP/1.1 200 OK",
			"OData-Version: 4.0",
			"Content-Type: application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
			"",
			`{"@odata.context":"https://outlook.office.com/api/v2.0/$metadata#Me/Events(Subject,Organizer)","value":[{"Id":"AAMkEv1","Subject":"Sync","Organizer":{"EmailAddress":{"Name":"Adele","Address":"adele@contoso.com"}}}]}`,
			"--batchresponse_9f3c",
			"Content-Type: application/http",
			"Content-Transfer-Encoding: binary",
			"",
			"HTTP/1.1 202 Accepted",
			"",
			"",
			"--batchresponse_9f3c--",
			"")), nil
	})

	mb := c.Me()
	b := mb.NewBatch(&outlook.BatchOptions{ID: "myBatchId"})
	events := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Page[outlook.Event], error) {
		return outlook.FirstPage(mb.Calendar().Events().ListPages(ctx, &outlook.ListOptions{Select: []string{"Subject", "Organizer"}}))
	})
	sent := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
		return mb.Mail().SendMail(ctx, &outlook.Message{Subject: "Hi", Body: outlook.TextBody("x"), ToRecipients: outlook.Recipients("a@b.com")}, true)
	})
	assert.Equal(t, 2, b.Len())
	_, err := events.Result()
	require.ErrorIs(t, err, outlook.ErrBatchNotSent)

	require.NoError(t, b.Send(context.Background()))
	require.NotNil(t, got)
	assert.Equal(t, want, gotBody)
	assert.Equal(t, "multipart/mixed; boundary=batch_myBatchId", got.Header.Get("Content-Type"))
	assert.Equal(t, "Bearer tok", got.Header.Get("Authorization"))
	assert.Equal(t, []string{"odata.continue-on-error"}, got.Header.Values("Prefer"))
	assert.Equal(t, 1, mt.GetTotalCallCount(), "one request for the whole batch")

	page, err := events.Result()
	require.NoError(t, err)
	require.Len(t, page.Value, 1)
	assert.Equal(t, "Sync", page.Value[0].Subject)
	assert.Equal(t, 200, events.StatusCode())
	assert.Equal(t, "4.0", events.Header().Get("OData-Version"))
	require.NoError(t, sent.Err())
	assert.Equal(t, http.StatusAccepted, sent.StatusCode())
}

// A batch with a failing part among succeeding ones: each part gets its own
// typed result or *office365.Error; part headers (Prefer) are written per
// part; ids are escaped in the request line.
func TestBatchMixedResultsAndPartHeaders(t *testing.T) {
	t.Parallel()
	c, mt := btClient(t, office365.WithBaseURL("https://outlook.example/base"), outlook.WithTimeZone("Pacific Standard Time"),
		outlook.WithSignedInUser("adele@contoso.com"))
	want := crlf(
		"--batch_b1",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"GET /base/api/v2.0/me/messages/AAMk=%2F1?$select=Subject,From HTTP/1.1",
		`Prefer: outlook.timezone="Pacific Standard Time"`,
		"",
		"--batch_b1",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"PATCH /base/api/v2.0/me/messages/AAMk=%2F2 HTTP/1.1",
		"Content-Type: application/json",
		`Prefer: outlook.timezone="Pacific Standard Time"`,
		"",
		`{"IsRead":true}`,
		"",
		"--batch_b1",
		"Content-Type: application/http",
		"Content-Transfer-Encoding: binary",
		"",
		"DELETE /base/api/v2.0/me/messages/gone HTTP/1.1",
		`Prefer: outlook.timezone="Pacific Standard Time"`,
		"",
		"--batch_b1--",
		"")
	respBody, err := os.ReadFile("../testdata/outlook/batch/mixed_response.http")
	require.NoError(t, err)
	require.Contains(t, string(respBody), "\r\n", "fixture must keep its CRLF line endings")
	var gotBody string
	var gotHeader http.Header
	mt.RegisterResponder(http.MethodPost, "https://outlook.example/base/api/v2.0/me/$batch", func(r *http.Request) (*http.Response, error) {
		gotBody, gotHeader = readBody(t, r), r.Header
		return multipartResponse("batchresponse_36522ad7-fc75-4b56-8c71-56071383e77b", string(respBody)), nil
	})

	b := c.Me().NewBatch(&outlook.BatchOptions{ID: "b1"})
	get := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
		return mb.Mail().Messages().Get(ctx, "AAMk=/1", &outlook.GetOptions{Select: []string{"Subject", "From"}})
	})
	upd := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
		return mb.Mail().Messages().Update(ctx, "AAMk=/2", &outlook.MessageUpdate{IsRead: outlook.Set(true)})
	})
	del := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
		return mb.Mail().Messages().Delete(ctx, "gone")
	})
	require.NoError(t, b.Send(context.Background()))
	assert.Equal(t, want, gotBody)
	assert.Equal(t, "adele@contoso.com", gotHeader.Get("X-AnchorMailbox"), "the anchor is sent once, on the batch")
	assert.ElementsMatch(t, []string{"odata.continue-on-error", `outlook.timezone="Pacific Standard Time"`}, gotHeader.Values("Prefer"))

	m, err := get.Result()
	require.NoError(t, err)
	assert.Equal(t, "Hello", m.Subject)
	assert.Equal(t, "adele@contoso.com", m.From.EmailAddress.Address)

	_, err = upd.Result()
	var oe *office365.Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, http.StatusNotFound, oe.StatusCode)
	assert.Equal(t, "ErrorItemNotFound", oe.Code)
	assert.Equal(t, "The specified object was not found in the store.", oe.Message)
	assert.Equal(t, "1f0c9b6e-2c41-4cf7-9d1a-5b9a8d2b7c11", oe.RequestID)
	assert.Equal(t, http.MethodPatch, oe.Method)
	assert.Contains(t, oe.URL, "/me/messages/AAMk=%2F2")
	assert.True(t, office365.IsNotFound(err))
	assert.Equal(t, http.StatusNotFound, upd.StatusCode())

	require.NoError(t, del.Err())
	assert.Equal(t, http.StatusNoContent, del.StatusCode())
}

// parsedPart is a request part as a server sees it.
type parsedPart struct {
	Method, URI string
	Header      http.Header
	Body        string
}

// parseBatch parses a batch request body the way a lenient server does.
func parseBatch(t *testing.T, r *http.Request, body string) (string, []parsedPart) {
	t.Helper()
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	require.NoError(t, err)
	mr := multipart.NewReader(strings.NewReader(body), params["boundary"])
	var out []parsedPart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		raw, _ := io.ReadAll(p)
		if !bytes.Contains(raw, []byte("\r\n\r\n")) {
			raw = append(raw, "\r\n"...)
		}
		br := bufio.NewReader(bytes.NewReader(raw))
		req, err := http.ReadRequest(br)
		require.NoError(t, err)
		rest, _ := io.ReadAll(br)
		out = append(out, parsedPart{req.Method, req.RequestURI, req.Header, strings.TrimSuffix(string(rest), "\r\n")})
	}
	return params["boundary"], out
}

// answerParts builds a batch response with one part per status.
func answerParts(boundary string, parts []string) *http.Response {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(crlf("--"+boundary, "Content-Type: application/http", "Content-Transfer-Encoding: binary", "", p, ""))
	}
	b.WriteString("--" + boundary + "--\r\n")
	return multipartResponse(boundary, b.String())
}

func okPart(json string) string {
	return crlf("HTTP/1.1 200 OK", "Content-Type: application/json", "", json)
}

// More than MaxBatchParts calls are split into consecutive requests of at
// most 20 parts, in queue order, each with its own boundary.
func TestBatchSplitsIntoRequestsOfTwenty(t *testing.T) {
	t.Parallel()
	c, mt := btClient(t)
	var boundaries []string
	var sizes []int
	mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/users/adele@contoso.com/$batch", func(r *http.Request) (*http.Response, error) {
		boundary, parts := parseBatch(t, r, readBody(t, r))
		boundaries = append(boundaries, boundary)
		sizes = append(sizes, len(parts))
		var answers []string
		for _, p := range parts {
			id := p.URI[strings.LastIndexByte(p.URI, '/')+1:]
			answers = append(answers, okPart(`{"Id":"`+id+`","Subject":"s-`+id+`"}`))
		}
		return answerParts("batchresponse_x", answers), nil
	})
	mb := c.User("adele@contoso.com")
	b := mb.NewBatch(&outlook.BatchOptions{ID: "big"})
	var results []*outlook.BatchResult[*outlook.Message]
	for i := range 45 {
		results = append(results, outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
			return mb.Mail().Messages().Get(ctx, fmt.Sprintf("m%02d", i), nil)
		}))
	}
	require.NoError(t, b.Send(context.Background()))
	assert.Equal(t, []int{20, 20, 5}, sizes)
	assert.Equal(t, []string{"batch_big", "batch_big-2", "batch_big-3"}, boundaries)
	for i, r := range results {
		m, err := r.Result()
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("s-m%02d", i), m.Subject)
	}
}

// With StopOnError the service stops at the first failure: later parts
// report ErrBatchPartSkipped and the requests after it are not sent.
func TestBatchStopOnError(t *testing.T) {
	t.Parallel()
	c, mt := btClient(t)
	calls := 0
	mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/me/$batch", func(r *http.Request) (*http.Response, error) {
		calls++
		assert.Empty(t, r.Header.Values("Prefer"), "no continue-on-error")
		_, parts := parseBatch(t, r, readBody(t, r))
		require.Len(t, parts, 20)
		// The service answers the first two parts and stops after the failure.
		resp := answerParts("batchresponse_s", []string{
			okPart(`{"Id":"a"}`),
			crlf("HTTP/1.1 403 Forbidden", "Content-Type: application/json", "", `{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}`),
		})
		resp.Header.Set("request-id", "batch-request-id")
		return resp, nil
	})
	b := c.Me().NewBatch(&outlook.BatchOptions{StopOnError: true})
	var results []*outlook.BatchResult[struct{}]
	for i := range 25 {
		results = append(results, b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
			return mb.Mail().Messages().Delete(ctx, fmt.Sprint("id", i))
		}))
	}
	require.NoError(t, b.Send(context.Background()))
	assert.Equal(t, 1, calls, "the second request is not sent after a failure")
	require.NoError(t, results[0].Err())
	assert.True(t, office365.IsForbidden(results[1].Err()))
	var oe *office365.Error
	require.ErrorAs(t, results[1].Err(), &oe)
	assert.Equal(t, "batch-request-id", oe.RequestID, "a part without ids carries the batch's")
	for _, r := range results[2:] {
		assert.ErrorIs(t, r.Err(), outlook.ErrBatchPartSkipped)
		assert.Zero(t, r.StatusCode())
	}
}

// The batch POST is idempotent (retried on a 500) only when every part is
// a GET.
func TestBatchIdempotentOnlyWhenAllGET(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		withWrite bool
		wantCalls int
	}{{"all GET", false, 2}, {"with a DELETE", true, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := btClient(t, office365.WithRetry(office365.RetryOptions{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			var calls atomic.Int32
			mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/me/$batch", func(r *http.Request) (*http.Response, error) {
				if calls.Add(1) == 1 {
					return httpmock.NewStringResponse(http.StatusInternalServerError, `{"error":{"code":"ErrorInternalServerError","message":"boom"}}`), nil
				}
				_, parts := parseBatch(t, r, readBody(t, r))
				answers := make([]string, len(parts))
				for i := range parts {
					answers[i] = okPart(`{"Id":"x"}`)
				}
				return answerParts("batchresponse_r", answers), nil
			})
			b := c.Me().NewBatch(nil)
			get := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.MailFolder, error) {
				return mb.Mail().Folders().Get(ctx, outlook.FolderInbox, nil)
			})
			if tc.withWrite {
				b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
					return mb.Mail().Messages().Delete(ctx, "x")
				})
			}
			err := b.Send(context.Background())
			assert.Equal(t, tc.wantCalls, int(calls.Load()))
			if tc.withWrite {
				var oe *office365.Error
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, 500, oe.StatusCode)
				require.ErrorAs(t, get.Err(), &oe, "the parts report the batch's error")
				return
			}
			require.NoError(t, err)
			require.NoError(t, get.Err())
		})
	}
}

// A raw download in a batch keeps its own Accept (image/* for a photo) in
// its part; JSON parts carry none (the batch's application/json applies).
func TestBatchPartKeepsRawDownloadAccept(t *testing.T) {
	t.Parallel()
	c, mt := btClient(t)
	var parts []parsedPart
	mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/me/$batch", func(r *http.Request) (*http.Response, error) {
		_, parts = parseBatch(t, r, readBody(t, r))
		return answerParts("batchresponse_p", []string{
			okPart(`{"Id":"inbox"}`),
			crlf("HTTP/1.1 200 OK", "Content-Type: image/jpeg", "", "JPEG"),
		}), nil
	})
	b := c.Me().NewBatch(nil)
	folder := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.MailFolder, error) {
		return mb.Mail().Folders().Get(ctx, outlook.FolderInbox, nil)
	})
	photo := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (string, error) {
		r, err := mb.Photo().Download(ctx)
		if err != nil {
			return "", err
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		return r.ContentType + " " + string(data), err
	})
	require.NoError(t, b.Send(context.Background()))
	require.Len(t, parts, 2)
	byURI := map[string]parsedPart{}
	for _, p := range parts {
		byURI[p.URI] = p
	}
	assert.Empty(t, byURI["/api/v2.0/me/MailFolders/inbox"].Header.Values("Accept"))
	assert.Equal(t, "image/*", byURI["/api/v2.0/me/photo/$value"].Header.Get("Accept"))
	require.NoError(t, folder.Err())
	got, err := photo.Result()
	require.NoError(t, err)
	assert.Equal(t, "image/jpeg JPEG", got)
}

// A batch request that fails as a whole, or a response that is not a
// multipart batch, fails Send and every call.
func TestBatchEnvelopeFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		resp func() *http.Response
		want string
	}{
		{"throttled", func() *http.Response {
			r := httpmock.NewStringResponse(429, `{"error":{"code":"ApplicationThrottled","message":"MailboxConcurrency limit"}}`)
			r.Header.Set("Retry-After", "600")
			return r
		}, "ApplicationThrottled"},
		{"json instead of multipart", func() *http.Response {
			r := httpmock.NewStringResponse(200, `{"value":[]}`)
			r.Header.Set("Content-Type", "application/json")
			return r
		}, "not multipart/mixed"},
		{"garbage part", func() *http.Response {
			return multipartResponse("b", crlf("--b", "Content-Type: application/http", "", "NOT HTTP AT ALL", "--b--", ""))
		}, "invalid HTTP response"},
		{"wrong part type", func() *http.Response {
			return multipartResponse("b", crlf("--b", "Content-Type: text/plain", "", "x", "--b--", ""))
		}, "not application/http"},
		{"too many parts", func() *http.Response {
			return answerParts("b", []string{okPart("{}"), okPart("{}")})
		}, "2 responses for 1 requests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := btClient(t)
			mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/me/$batch", httpmock.ResponderFromResponse(tc.resp()))
			b := c.Me().NewBatch(nil)
			r := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
				_, err := mb.Mail().Messages().Get(ctx, "x", nil)
				return err
			})
			err := b.Send(context.Background())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			require.Error(t, r.Err())
			assert.Contains(t, r.Err().Error(), tc.want)
		})
	}
}

// Calls that cannot be batched, misuse, and single use.
func TestBatchMisuse(t *testing.T) {
	t.Parallel()
	c, mt := btClient(t)
	mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/me/$batch", func(r *http.Request) (*http.Response, error) {
		_, parts := parseBatch(t, r, readBody(t, r))
		answers := make([]string, len(parts))
		for i := range parts {
			answers[i] = okPart(`{"value":[],"@odata.nextLink":"https://outlook.office.com/api/v2.0/me/messages?$skip=10"}`)
		}
		return answerParts("batchresponse_m", answers), nil
	})
	b := c.Me().NewBatch(nil)
	invalid := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
		_, err := mb.Mail().Messages().Get(ctx, "", nil) // fails before any request
		return err
	})
	noRequest := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error { return nil })
	wrongCtx := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
		_, err := mb.Mail().Messages().Get(context.Background(), "x", nil)
		return err
	})
	beta := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) ([]outlook.MailTips, error) {
		return mb.Mail().MailTips(ctx, []string{"a@b.com"})
	})
	twoRequests := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (int, error) {
		n := 0
		for _, err := range mb.Mail().Messages().ListPages(ctx, nil) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	})
	nilFn := outlook.BatchCall[int](b, nil)

	require.NoError(t, b.Send(context.Background()))
	assert.ErrorContains(t, invalid.Err(), "empty message id")
	assert.ErrorIs(t, noRequest.Err(), outlook.ErrBatchNoRequest)
	assert.ErrorContains(t, wrongCtx.Err(), "outside its batched call")
	assert.ErrorContains(t, beta.Err(), "same host and API version")
	n, err := twoRequests.Result()
	assert.Equal(t, 1, n, "the first page came back")
	assert.ErrorContains(t, err, "only one request")
	assert.ErrorContains(t, nilFn.Err(), "nil function")
	assert.Equal(t, 1, mt.GetTotalCallCount())

	require.ErrorContains(t, b.Send(context.Background()), "already sent")
	late := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error { return nil })
	assert.ErrorContains(t, late.Err(), "already sent")

	// An invalid batch id fails every call without a request.
	b2 := c.Me().NewBatch(&outlook.BatchOptions{ID: "bad id\r\n"})
	r := b2.Call(func(ctx context.Context, mb *outlook.Mailbox) error { return nil })
	require.ErrorContains(t, b2.Send(context.Background()), "BatchOptions.ID")
	assert.ErrorContains(t, r.Err(), "BatchOptions.ID")
	// So does a batch on an invalid mailbox.
	b3 := c.User("").NewBatch(nil)
	r3 := b3.Call(func(ctx context.Context, mb *outlook.Mailbox) error { return nil })
	require.Error(t, b3.Send(context.Background()))
	require.Error(t, r3.Err())
	// An empty batch sends nothing.
	require.NoError(t, c.NewBatch(nil, nil).Send(context.Background()))
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// Cancelling the context ends Send and the calls.
func TestBatchContextCancelled(t *testing.T) {
	t.Parallel()
	c, mt := btClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	mt.RegisterResponder(http.MethodPost, "https://outlook.office.com/api/v2.0/me/$batch", func(r *http.Request) (*http.Response, error) {
		cancel()
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	b := c.Me().NewBatch(nil)
	r := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
		return mb.Mail().Messages().Delete(ctx, "x")
	})
	err := b.Send(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.Error(t, r.Err())
	assert.True(t, errors.Is(r.Err(), context.Canceled))
}
