package odata_test

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
)

type item struct {
	ID string `json:"Id"`
}

func pipeline(t *testing.T, mock *httpmock.MockTransport) *transport.Pipeline {
	t.Helper()
	cfg, err := office365.NewConfig(office365.WithHTTPClient(&http.Client{Transport: mock}),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
	require.NoError(t, err)
	p, err := transport.New(cfg, "https://outlook.office.com/api/v2.0", auth.StaticToken("t"))
	require.NoError(t, err)
	return p
}

func TestItemsFollowsNextLinkVerbatim(t *testing.T) {
	mock := httpmock.NewMockTransport()
	next := "https://outlook.office.com/api/v2.0/me/messages?%24top=2&%24skip=2&%24select=Subject"
	mock.RegisterResponderWithQuery(http.MethodGet, "https://outlook.office.com/api/v2.0/me/messages", "$top=2&$select=Subject",
		httpmock.NewStringResponder(200, `{"value":[{"Id":"1"},{"Id":"2"}],"@odata.nextLink":"`+next+`"}`))
	var sawRaw string
	mock.RegisterResponder(http.MethodGet, "=~^https://outlook.office.com/api/v2.0/me/messages\\?%24top",
		func(r *http.Request) (*http.Response, error) {
			sawRaw = r.URL.RawQuery
			assert.Equal(t, "outlook.timezone=\"UTC\"", r.Header.Get("Prefer"), "first request's headers go with every page")
			return httpmock.NewStringResponse(200, `{"value":[{"Id":"3"}]}`), nil
		})
	p := pipeline(t, mock)
	var ids []string
	for it, err := range odata.Items[item](t.Context(), p, transport.Request{Path: "/me/messages", Query: "$top=2&$select=Subject",
		Header: http.Header{"Prefer": {`outlook.timezone="UTC"`}}}) {
		require.NoError(t, err)
		ids = append(ids, it.ID)
	}
	assert.Equal(t, []string{"1", "2", "3"}, ids)
	assert.Equal(t, "%24top=2&%24skip=2&%24select=Subject", sawRaw, "next link must not be re-encoded")
}

func TestItemsStopsEarlyAndYieldsOneError(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/a",
		httpmock.NewStringResponder(200, `{"value":[{"Id":"1"},{"Id":"2"}],"@odata.nextLink":"https://outlook.office.com/api/v2.0/b"}`))
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/b",
		httpmock.NewStringResponder(404, `{"error":{"code":"ErrorItemNotFound","message":"gone"}}`))
	p := pipeline(t, mock)

	n := 0
	for range odata.Items[item](t.Context(), p, transport.Request{Path: "/a"}) {
		n++
		break
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 0, mock.GetCallCountInfo()["GET https://outlook.office.com/api/v2.0/b"], "breaking must not fetch more")

	var errs []error
	var got []string
	for it, err := range odata.Items[item](t.Context(), p, transport.Request{Path: "/a"}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, it.ID)
	}
	assert.Equal(t, []string{"1", "2"}, got)
	require.Len(t, errs, 1)
	assert.True(t, office365.IsNotFound(errs[0]))
}

func TestPagesSurfaceDeltaLinkAndCount(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/me/messages",
		httpmock.NewStringResponder(200, `{"@odata.context":"x/$delta","@odata.count":7,"value":[],"@odata.deltaLink":"https://outlook.office.com/api/v2.0/me/messages?%24deltaToken=abc"}`))
	p := pipeline(t, mock)
	for page, err := range odata.Pages[item](t.Context(), p, transport.Request{Path: "/me/messages"}) {
		require.NoError(t, err)
		require.NotNil(t, page.Count)
		assert.EqualValues(t, 7, *page.Count)
		assert.Equal(t, "abc", odata.Token(page.DeltaLink, "$deltatoken"))
		assert.Equal(t, "x/$delta", page.Context)
	}
}

func TestPagesDetectsNextLinkLoop(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/loop",
		httpmock.NewStringResponder(200, `{"value":[{"Id":"1"}],"@odata.nextLink":"https://outlook.office.com/api/v2.0/loop"}`))
	p := pipeline(t, mock)
	var lastErr error
	n := 0
	for _, err := range odata.Items[item](t.Context(), p, transport.Request{Path: "/loop"}) {
		n++
		lastErr = err
		require.Less(t, n, 10)
	}
	require.Error(t, lastErr)
	assert.Contains(t, lastErr.Error(), "same @odata.nextLink")
}

func TestTopSkipPaging(t *testing.T) {
	mock := httpmock.NewMockTransport()
	var queries []string
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/Messages",
		func(r *http.Request) (*http.Response, error) {
			queries = append(queries, r.URL.RawQuery)
			skip, _ := strconv.Atoi(r.URL.Query().Get("$skip"))
			top, _ := strconv.Atoi(r.URL.Query().Get("$top"))
			body := `{"value":[`
			for i := skip; i < min(skip+top, 250); i++ {
				if i > skip {
					body += ","
				}
				body += fmt.Sprintf(`{"Id":"%d"}`, i)
			}
			return httpmock.NewStringResponse(200, body+`]}`), nil
		})
	p := pipeline(t, mock)
	n := 0
	for it, err := range odata.TopSkipItems[item](t.Context(), p, transport.Request{Path: "/Messages", Query: "$filter=Workload%20eq%20'Exchange'"}, 100) {
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(n), it.ID)
		n++
	}
	assert.Equal(t, 250, n)
	assert.Equal(t, []string{
		"$filter=Workload%20eq%20'Exchange'&$top=100",
		"$filter=Workload%20eq%20'Exchange'&$top=100&$skip=100",
		"$filter=Workload%20eq%20'Exchange'&$top=100&$skip=200",
	}, queries)
}

func TestTopSkipExactMultipleEndsOnEmptyPage(t *testing.T) {
	mock := httpmock.NewMockTransport()
	calls := 0
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/M", func(r *http.Request) (*http.Response, error) {
		calls++
		if r.URL.Query().Get("$skip") == "" {
			return httpmock.NewStringResponse(200, `{"value":[{"Id":"a"},{"Id":"b"}]}`), nil
		}
		return httpmock.NewStringResponse(200, `{"value":[]}`), nil
	})
	p := pipeline(t, mock)
	got, err := collect(odata.TopSkipItems[item](t.Context(), p, transport.Request{Path: "/M"}, 2))
	require.NoError(t, err)
	assert.Len(t, got, 2)
	assert.Equal(t, 2, calls)
}

func TestCollectionAndToken(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/x", httpmock.NewStringResponder(200, `{"value":[{"Id":"1"}]}`))
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/bad", httpmock.NewStringResponder(200, `<html>`))
	p := pipeline(t, mock)
	items, err := odata.Collection[item](t.Context(), p, transport.Request{Path: "/x"})
	require.NoError(t, err)
	assert.Equal(t, []item{{ID: "1"}}, items)
	_, err = odata.Collection[item](t.Context(), p, transport.Request{Path: "/bad"})
	var apiErr *office365.Error
	assert.True(t, errors.As(err, &apiErr))

	assert.Equal(t, "s1", odata.Token("https://h/p?$skipToken=s1", "$skiptoken"))
	assert.Equal(t, "d 1", odata.Token("https://h/p?%24deltatoken=d%201", "$deltaToken"))
	assert.Equal(t, "", odata.Token("https://h/p", "$deltatoken"))
	assert.Equal(t, "", odata.Token("%zz", "$deltatoken"))
}

func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// TestPagesRefusesForeignHostNextLink: a nextLink to another host would get
// the client's bearer token; it is not followed and the iteration ends with
// an error.
func TestPagesRefusesForeignHostNextLink(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/me/messages",
		httpmock.NewStringResponder(200, `{"value":[{"Id":"1"}],"@odata.nextLink":"https://evil.example.com/api/v2.0/me/messages?$skip=1"}`))
	evil := 0
	mock.RegisterResponder(http.MethodGet, "=~^https://evil\\.example\\.com/", func(*http.Request) (*http.Response, error) {
		evil++
		return httpmock.NewStringResponse(200, `{"value":[]}`), nil
	})
	p := pipeline(t, mock)
	got, err := collect(odata.Items[item](t.Context(), p, transport.Request{Path: "/me/messages"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not the service host")
	assert.Equal(t, []string{"1"}, ids(got))
	assert.Zero(t, evil, "no request may reach the foreign host")
	// Same host with the default port spelt out: followed.
	mock2 := httpmock.NewMockTransport()
	mock2.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/me/messages",
		httpmock.NewStringResponder(200, `{"value":[{"Id":"1"}],"@odata.nextLink":"https://outlook.office.com:443/api/v2.0/me/messages?$skip=1"}`))
	mock2.RegisterResponderWithQuery(http.MethodGet, "https://outlook.office.com:443/api/v2.0/me/messages", "$skip=1",
		httpmock.NewStringResponder(200, `{"value":[{"Id":"2"}]}`))
	got, err = collect(odata.Items[item](t.Context(), pipeline(t, mock2), transport.Request{Path: "/me/messages"}))
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "2"}, ids(got))
}

func ids(items []item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// TestTopSkipSwitchesToNextLink: when a $top/$skip page carries a nextLink,
// the pager follows it (verbatim, keeping the request's headers) and stops
// adding $skip.
func TestTopSkipSwitchesToNextLink(t *testing.T) {
	mock := httpmock.NewMockTransport()
	var queries []string
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/Messages", func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.RawQuery)
		assert.Equal(t, "v", r.Header.Get("X-Test"))
		switch r.URL.RawQuery {
		case "$top=2":
			return httpmock.NewStringResponse(200, `{"value":[{"Id":"a"},{"Id":"b"}]}`), nil
		case "$top=2&$skip=2":
			return httpmock.NewStringResponse(200, `{"value":[{"Id":"c"}],"@odata.nextLink":"https://outlook.office.com/api/v2.0/Messages?$skiptoken=X"}`), nil
		case "$skiptoken=X":
			return httpmock.NewStringResponse(200, `{"value":[{"Id":"d"},{"Id":"e"}]}`), nil
		}
		return httpmock.NewStringResponse(400, `{"error":{"code":"Bad","message":"unexpected"}}`), nil
	})
	p := pipeline(t, mock)
	got, err := collect(odata.TopSkipItems[item](t.Context(), p, transport.Request{Path: "/Messages", Header: http.Header{"X-Test": {"v"}}}, 2))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids(got))
	assert.Equal(t, []string{"$top=2", "$top=2&$skip=2", "$skiptoken=X"}, queries)
}

// TestTopSkipRejectsBadPageSize: a page size of 0 used to loop forever on
// empty pages.
func TestTopSkipRejectsBadPageSize(t *testing.T) {
	for _, size := range []int{0, -1} {
		mock := httpmock.NewMockTransport()
		calls := 0
		mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/M", func(*http.Request) (*http.Response, error) {
			calls++
			require.Less(t, calls, 5, "pager loops")
			return httpmock.NewStringResponse(200, `{"value":[]}`), nil
		})
		_, err := collect(odata.TopSkipItems[item](t.Context(), pipeline(t, mock), transport.Request{Path: "/M"}, size))
		require.ErrorContains(t, err, "page size must be positive")
		assert.Zero(t, calls)
	}
}

func TestFollowStopsOnRepeatedLinkAndWhenToldTo(t *testing.T) {
	type pg struct{ next string }
	var asked []string
	links := map[string]string{"": "a", "a": "b", "b": "a"}
	fetch := func(next string) (*pg, error) {
		asked = append(asked, next)
		return &pg{next: links[next]}, nil
	}
	var lastErr error
	n := 0
	for _, err := range odata.Follow(fetch, func(p *pg) string { return p.next }) {
		if err != nil {
			lastErr = err
			continue
		}
		n++
	}
	assert.Equal(t, 3, n)
	assert.Equal(t, []string{"", "a", "b"}, asked)
	require.ErrorContains(t, lastErr, "same @odata.nextLink")

	asked = nil
	for range odata.Follow(fetch, func(p *pg) string { return p.next }) {
		break
	}
	assert.Equal(t, []string{""}, asked, "breaking fetches nothing more")

	boom := errors.New("boom")
	for _, err := range odata.Follow(func(string) (*pg, error) { return nil, boom }, func(p *pg) string { return p.next }) {
		assert.ErrorIs(t, err, boom)
	}
}

func TestJoinQuery(t *testing.T) {
	assert.Equal(t, "a=1&b=2", odata.JoinQuery("a=1", "b=2"))
	assert.Equal(t, "b=2", odata.JoinQuery("", "b=2"))
	assert.Equal(t, "a=1", odata.JoinQuery("a=1", ""))
}
