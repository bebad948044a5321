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

	"github.com/office365-go/office365/outlook"
	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// TestGraphPagesOutliveReusedBuffers lists several Graph pages (each read
// and translated into buffers the client reuses) and checks afterwards that
// every message of every page, unknown properties included, is still what
// its page said: nothing decoded may alias a reused buffer.
func TestGraphPagesOutliveReusedBuffers(t *testing.T) {
	t.Parallel()
	payload, err := os.ReadFile("testdata/graph/message.json")
	require.NoError(t, err)
	var base map[string]any
	require.NoError(t, json.Unmarshal(payload, &base))
	delete(base, "@odata.context")

	const pages, perPage = 4, 3
	items := make([][]map[string]any, pages)
	mt := httpmock.NewMockTransport()
	for p := range pages {
		var page []map[string]any
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
			page = append(page, m)
		}
		items[p] = page
		body := map[string]any{"value": page}
		if p+1 < pages {
			body["@odata.nextLink"] = fmt.Sprintf("https://graph.microsoft.com/v1.0/me/messages?$skip=%d", (p+1)*perPage)
		}
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		query := ""
		if p > 0 {
			query = fmt.Sprintf("?$skip=%d", p*perPage)
		}
		mt.RegisterResponder(http.MethodGet, "https://graph.microsoft.com/v1.0/me/messages"+query, httpmock.NewBytesResponder(200, raw))
	}

	var got []*outlook.Message
	for m, err := range graphClient(t, mt).Me().Mail().Messages().List(context.Background(), nil) {
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
		var have map[string]any
		require.NoError(t, json.Unmarshal(again, &have))
		var wantJSON map[string]any
		raw, err := json.Marshal(want)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &wantJSON))
		assertSubset(t, fmt.Sprintf("message %d", n), wantJSON, have)
		require.Equal(t, want["subject"], m.Subject)
	}
}

// BenchmarkListGraphPage lists a Graph page of 1,000 real-shaped messages
// (testdata/graph/message.json, ids varied) through the whole client path:
// the pipeline reads the body into a reused buffer, graphwire translates
// and validates it into another, and the page decodes without a second
// validation. Served from memory (httpmock), so the cost is the client's.
func BenchmarkListGraphPage(b *testing.B) {
	payload, err := os.ReadFile("testdata/graph/message.json")
	require.NoError(b, err)
	var m map[string]any
	require.NoError(b, json.Unmarshal(payload, &m))
	delete(m, "@odata.context")
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
	body := []byte(page.String())
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "https://graph.microsoft.com/v1.0/me/messages",
		httpmock.NewBytesResponder(200, body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	c := graphClient(b, mt)
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
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
}
