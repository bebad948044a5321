package outlook_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

// messagePage returns a page of n copies of the message in the fixture.
func messagePage(tb testing.TB, fixture string, n int) []byte {
	tb.Helper()
	var one bytes.Buffer
	require.NoError(tb, json.Compact(&one, readModelFixture(tb, fixture)))
	var b bytes.Buffer
	b.WriteString(`{"@odata.context":"https://outlook.office.com/api/v2.0/$metadata#Me/Messages","value":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(one.Bytes())
	}
	b.WriteString(`],"@odata.nextLink":"https://outlook.office.com/api/v2.0/me/messages?$skip=50"}`)
	return b.Bytes()
}

// BenchmarkDecodeMessagePage decodes a page of 50 messages, the largest
// part of a mailbox listing's CPU time: "listed" messages carry the
// documented properties only (message-listed.json), "unknown" ones also
// properties and annotations the package has no field for at several
// levels, and expanded attachments (message.json).
func BenchmarkDecodeMessagePage(b *testing.B) {
	for _, bc := range []struct{ name, fixture string }{{"listed", "message-listed.json"}, {"unknown", "message.json"}} {
		b.Run(bc.name, func(b *testing.B) {
			page := messagePage(b, bc.fixture, 50)
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				var p outlook.Page[outlook.Message]
				if err := json.Unmarshal(page, &p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodeMessage encodes one message with documented properties
// only.
func BenchmarkEncodeMessage(b *testing.B) {
	var m outlook.Message
	require.NoError(b, json.Unmarshal(readModelFixture(b, "message-listed.json"), &m))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}
