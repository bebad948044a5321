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
