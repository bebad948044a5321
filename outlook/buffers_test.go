package outlook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// TestPagesOutliveReusedBuffers lists several pages (each read, and on
// Graph translated, into buffers the client reuses) and checks afterwards
// that every message of every page, unknown properties included, is still
// what its page said: nothing decoded may alias a reused buffer. Both
// dialects: v2.0 pages are the same pages in v2.0's spelling.
func TestPagesOutliveReusedBuffers(t *testing.T) {
	t.Parallel()
	base := graphMessageFixture(t)

	const pages, perPage = 4, 3
	items := make([][]map[string]any, pages)
	for p := range pages {
		for i := range perPage {
			m := map[string]any{}
			for k, v := range base {
				m[k] = v
			}
			// Values of different lengths per page, so a later page's bytes
			// land where an earlier page's strings were.
			tag := strings.Repeat(strconv.Itoa(p), 1+p*7) + "-" + strconv.Itoa(i)
			m["id"] = "AAMk-" + tag
			m["subject"] = "Subject " + tag
			m["customUnknownProperty"] = map[string]any{"note": "kept " + tag, "n": p*10 + i}
			items[p] = append(items[p], m)
		}
	}
	for _, d := range []struct {
		name string
		root string
		opts []office365.Option
		// spell turns a Graph-spelled page into the dialect's.
		spell func([]byte) ([]byte, error)
	}{
		{"graph", "https://graph.microsoft.com/v1.0/me/messages", []office365.Option{office365.WithGraph()},
			func(b []byte) ([]byte, error) { return b, nil }},
		{"v2", "https://outlook.office.com/api/v2.0/me/messages", nil,
			func(b []byte) ([]byte, error) {
				return graphwire.Rewrite(nil, b, graphwire.FromGraph, graphwire.Entity)
			}},
	} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			for p := range pages {
				body := map[string]any{"value": items[p]}
				if p+1 < pages {
					body["@odata.nextLink"] = fmt.Sprintf("%s?$skip=%d", d.root, (p+1)*perPage)
				}
				raw, err := json.Marshal(body)
				require.NoError(t, err)
				raw, err = d.spell(raw)
				require.NoError(t, err)
				query := ""
				if p > 0 {
					query = fmt.Sprintf("?$skip=%d", p*perPage)
				}
				mt.RegisterResponder(http.MethodGet, d.root+query, httpmock.NewBytesResponder(200, raw))
			}
			c := mockedClient(t, mt, d.opts...)
			var got []*outlook.Message
			for m, err := range c.Me().Mail().Messages().List(context.Background(), nil) {
				require.NoError(t, err)
				got = append(got, m)
			}
			require.Len(t, got, pages*perPage)
			for n, m := range got {
				want := items[n/perPage][n%perPage]
				again, err := json.Marshal(m)
				require.NoError(t, err)
				again, err = graphwire.Rewrite(nil, again, graphwire.ToGraph, graphwire.Entity)
				require.NoError(t, err)
				var have, wantJSON map[string]any
				require.NoError(t, json.Unmarshal(again, &have))
				raw, err := json.Marshal(want)
				require.NoError(t, err)
				require.NoError(t, json.Unmarshal(raw, &wantJSON))
				assertSubset(t, fmt.Sprintf("message %d", n), wantJSON, have)
				require.Equal(t, want["subject"], m.Subject)
			}
		})
	}
}

// BenchmarkListPage lists a page of 1,000 real-shaped messages
// (testdata/graph/message.json, ids varied) through the whole client path
// of each dialect: the pipeline reads the body into a reused buffer; on
// Graph, graphwire translates and validates it into another and the page
// decodes without a second validation; on v2.0 (the same page in v2.0's
// spelling) the page is validated and decoded. Served from memory
// (httpmock), so the cost is the client's.
func BenchmarkListPage(b *testing.B) {
	m := graphMessageFixture(b)
	const n = 1000
	var page strings.Builder
	page.WriteString(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('x')/messages","value":[`)
	for i := range n {
		m["id"] = fmt.Sprintf("AAMkAD-%06d", i)
		one, err := json.Marshal(m)
		require.NoError(b, err)
		if i > 0 {
			page.WriteByte(',')
		}
		page.Write(one)
	}
	page.WriteString(`]}`)
	graphBody := []byte(page.String())
	v2Body, err := graphwire.Rewrite(nil, graphBody, graphwire.FromGraph, graphwire.Entity)
	require.NoError(b, err)
	for _, d := range []struct {
		name string
		url  string
		body []byte
		opts []office365.Option
	}{
		{"graph", "https://graph.microsoft.com/v1.0/me/messages", graphBody, []office365.Option{office365.WithGraph()}},
		{"v2", "https://outlook.office.com/api/v2.0/me/messages", v2Body, nil},
	} {
		b.Run(d.name, func(b *testing.B) {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder(http.MethodGet, d.url,
				httpmock.NewBytesResponder(200, d.body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
			c := mockedClient(b, mt, d.opts...)
			ctx := context.Background()
			b.SetBytes(int64(len(d.body)))
			b.ReportAllocs()
			for b.Loop() {
				count := 0
				for _, err := range c.Me().Mail().Messages().List(ctx, nil) {
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				if count != n {
					b.Fatalf("listed %d messages, want %d", count, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/msg")
		})
	}
}

// graphMessageFixture is testdata/graph/message.json as a map, without
// its "@odata.context".
func graphMessageFixture(tb testing.TB) map[string]any {
	tb.Helper()
	payload, err := os.ReadFile("testdata/graph/message.json")
	require.NoError(tb, err)
	var m map[string]any
	require.NoError(tb, json.Unmarshal(payload, &m))
	delete(m, "@odata.context")
	return m
}

// mockedClient is a client (v2.0 unless opts say otherwise) whose requests
// go to mt, without retries.
func mockedClient(tb testing.TB, mt *httpmock.MockTransport, opts ...office365.Option) *outlook.Client {
	tb.Helper()
	c, err := outlook.New(auth.StaticToken("tok"), append([]office365.Option{
		office365.WithHTTPClient(&http.Client{Transport: mt}),
		office365.WithRetry(office365.RetryOptions{MaxRetries: -1})}, opts...)...)
	require.NoError(tb, err)
	return c
}
