package streaming

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGraphStateJSON(t *testing.T) {
	at := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	known := knownSet{hash64("b"): 2, hash64("a"): 1, 7: 9}
	s := Subscription{ID: "graph-1", Resource: "https://graph.microsoft.com/v1.0/me/contacts/delta", ChangeTypes: DefaultChangeTypes,
		LastSequenceNumber: 4, graph: &graphState{link: "https://graph.microsoft.com/v1.0/me/contacts/delta?$deltatoken=x", at: at,
			sel: []string{"Subject"}, known: known.snapshot()}}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var back Subscription
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, s, back)
	assert.Equal(t, known, newKnownSet(back.graph.known))

	for _, bad := range []string{
		`{"Id":"x","GraphDelta":{"DeltaLink":"","Known":"not base64!"}}`,
		`{"Id":"x","GraphDelta":{"DeltaLink":"","Known":"AAAA"}}`, // 3 bytes
		// Two entries out of order.
		`{"Id":"x","GraphDelta":{"DeltaLink":"","Known":"AAAAAAAAAAIAAAAAAAAAAQAAAAAAAAABAAAAAAAAAAE="}}`,
	} {
		var s Subscription
		assert.Error(t, json.Unmarshal([]byte(bad), &s), bad)
	}
	var plain Subscription
	require.NoError(t, json.Unmarshal([]byte(`{"Id":"x","Resource":"r","ChangeType":"Created"}`), &plain))
	assert.Nil(t, plain.graph)
}

func TestCollapseKeepsTheLastOfEachID(t *testing.T) {
	items, repeats, invalid := collapse([]json.RawMessage{
		json.RawMessage(`{"id":"a","@odata.etag":"W/\"1\""}`),
		json.RawMessage(`{"id":"b","@odata.etag":"W/\"1\""}`),
		json.RawMessage(`{"id":"a","@odata.etag":"W/\"2\""}`),
		json.RawMessage(`{"subject":"no id"}`),
		json.RawMessage(`{"id":"c","@removed":{"reason":"deleted"}}`),
		json.RawMessage(`[1]`),
	})
	assert.Equal(t, 1, repeats)
	assert.Equal(t, 2, invalid)
	require.Len(t, items, 3)
	assert.Equal(t, []string{"a", "b", "c"}, []string{items[0].id, items[1].id, items[2].id})
	assert.Equal(t, hash64(`"W/\"2\""`), items[0].ver)
	assert.True(t, items[2].removed)
}
