package streaming

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The benchmark stream: a preamble, then benchObjects objects of which every
// 10th is a keep-alive and the others ≈2 KB rich notifications with escapes
// and non-ASCII text in ResourceData, then "]}".
const (
	benchObjects       = 2000
	benchKeepAliveStep = 10
)

const (
	wirePreamble  = `{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[`
	wireKeepAlive = `{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"}`
	wireSubA      = "N0UzMEU4RjMtMjg1Ri00OEFGLUE5NzEtRDM5MkI3NjBDMDY5XzdFMzU4QTE1LTFCQjAtNDc4NS04MTg2LUYwRjFFNUVFNTNDRg=="
	wireSubB      = "Dc4NS04MTg2LUYwRjFFNUVFNTNDRgN0UzMEU4RjMtMjg1Ri00OEFGLUE5NzEtRDM5MkI3NjBDMDY5XzdFMzU4QTE1LTFCQjAtN=="
	wireUser      = "bee8ce18-4c0b-4d6a-8e0c-31a2a1b5c9f1@ae01a323-3934-4475-a32d-af1274312bb0"
)

// richNotification returns a compact ≈2 KB rich notification with sequence
// number seq: an HTML body and a subject full of escapes, non-ASCII text,
// braces, brackets and "]}".
func richNotification(seq int) string {
	sub := wireSubA
	if seq%3 == 0 {
		sub = wireSubB
	}
	change := [...]string{"Created", "Updated", "Deleted"}[seq%3]
	id := fmt.Sprintf("AAMkADdlZjE2NmQ0LTg2ZTAtNDdiYS04YzY1LTFmZjE0YjYwYjBhMQBGAAAAAADP%06dAAA=", seq)
	res := "https://outlook.office.com/api/beta/Users('" + wireUser + "')/Messages('" + id + "')"
	content := strings.Repeat(`<p style=\"margin:0\">Hi Zo\u00eb, the Q3 numbers {draft} are in [see table], \"final\" \u2014 caf\u00e9 \u2615 \ud83d\ude00 ]} next steps:<\/p>\r\n`, 4)
	return `{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"` + sub +
		`","SubscriptionExpirationDateTime":"2016-09-09T18:36:42.3454926Z","SequenceNumber":` + fmt.Sprint(seq) +
		`,"ChangeType":"` + change + `","Resource":"` + res + `","ResourceData":{"@odata.type":"#Microsoft.OutlookServices.Message",` +
		`"@odata.id":"` + res + `","@odata.etag":"W/\"CQAAABYAAAB+0z/4Ly/1ToDr5FGl5k99AAABl5Do\"","Id":"` + id + `",` +
		`"Subject":"Re: Q3 budget {v2} [final], \"approved\" \u2014 Zo\u00eb's caf\u00e9 ☕ 😀 ]}",` +
		`"BodyPreview":"Hi Zoë, the Q3 numbers {draft} are in [see table]…",` +
		`"Body":{"ContentType":"HTML","Content":"<html><body>\r\n` + content + `</body></html>"},` +
		`"From":{"EmailAddress":{"Name":"Zoë Ångström","Address":"zoe@contoso.com"}},` +
		`"ToRecipients":[{"EmailAddress":{"Name":"Ops, Team","Address":"ops@contoso.com"}}],` +
		`"IsRead":false,"Importance":"Normal","ReceivedDateTime":"2016-09-09T17:36:42Z"}}`
}

// genStream returns a complete stream of objects objects (every
// keepAliveStep-th a keep-alive) and the number of notifications in it.
func genStream(objects, keepAliveStep int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(wirePreamble)
	notifications := 0
	for i := range objects {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%keepAliveStep == keepAliveStep-1 {
			b.WriteString(wireKeepAlive)
			continue
		}
		b.WriteString(richNotification(i + 1))
		notifications++
	}
	b.WriteString("]}")
	return b.Bytes(), notifications
}

// cycleReader returns the preamble, then block over and over (never EOF).
type cycleReader struct {
	head  []byte
	block []byte
	pos   int
}

func (r *cycleReader) Read(p []byte) (int, error) {
	if len(r.head) > 0 {
		n := copy(p, r.head)
		r.head = r.head[n:]
		return n, nil
	}
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.block[r.pos:])
		n += c
		r.pos = (r.pos + c) % len(r.block)
	}
	return n, nil
}

// newCycleReader streams the preamble, a first object, then ","+object
// forever.
func newCycleReader(object string) *cycleReader {
	return &cycleReader{
		head:  []byte(wirePreamble + object),
		block: bytes.Repeat([]byte(","+object), 64),
	}
}

// benchNotification is the Notification equivalent for encoding/json.
type benchNotification struct {
	ODataType                      string  `json:"@odata.type"`
	ID                             *string `json:"Id"`
	SubscriptionID                 string  `json:"SubscriptionId"`
	SubscriptionExpirationDateTime time.Time
	SequenceNumber                 int64
	ChangeType                     string
	Resource                       string
	ResourceData                   json.RawMessage
	Status                         string
}

// benchNotificationV2 is the Notification equivalent for go-json-experiment.
type benchNotificationV2 struct {
	ODataType                      string  `json:"@odata.type"`
	ID                             *string `json:"Id"`
	SubscriptionID                 string  `json:"SubscriptionId"`
	SubscriptionExpirationDateTime time.Time
	SequenceNumber                 int64
	ChangeType                     string
	Resource                       string
	ResourceData                   jsontext.Value
	Status                         string
}

// A streamDecoder decodes a whole stream and counts its objects.
type streamDecoder func(r io.Reader) (int, error)

func decodeProject(r io.Reader) (int, error) {
	d := NewDecoder(r)
	count := 0
	for {
		_, err := d.Next()
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, err
		}
		count++
	}
}

// decodeEncodingJSON reads the stream with encoding/json's Decoder: Token up
// to the '[' of "value", then More/Decode for each object.
func decodeEncodingJSON(r io.Reader) (int, error) {
	dec := json.NewDecoder(r)
	if _, err := dec.Token(); err != nil { // {
		return 0, err
	}
	for {
		key, err := dec.Token()
		if err != nil {
			return 0, err
		}
		if k, _ := key.(string); strings.EqualFold(k, "value") {
			break
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return 0, err
		}
	}
	if _, err := dec.Token(); err != nil { // [
		return 0, err
	}
	count := 0
	var n benchNotification
	for dec.More() {
		n = benchNotification{}
		if err := dec.Decode(&n); err != nil {
			return count, err
		}
		count++
	}
	if _, err := dec.Token(); err != nil { // ]
		return count, err
	}
	_, err := dec.Token() // }
	return count, err
}

var v2Options = jsonv2.JoinOptions(jsonv2.MatchCaseInsensitiveNames(true))

// decodeJSONv2 reads the stream with go-json-experiment: a jsontext.Decoder
// up to the '[' of "value", then json.UnmarshalDecode for each object.
func decodeJSONv2(r io.Reader) (int, error) {
	dec := jsontext.NewDecoder(r)
	if _, err := dec.ReadToken(); err != nil { // {
		return 0, err
	}
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return 0, err
		}
		if strings.EqualFold(tok.String(), "value") {
			break
		}
		if err := dec.SkipValue(); err != nil {
			return 0, err
		}
	}
	if _, err := dec.ReadToken(); err != nil { // [
		return 0, err
	}
	count := 0
	var n benchNotificationV2
	for dec.PeekKind() != ']' {
		n = benchNotificationV2{}
		if err := jsonv2.UnmarshalDecode(dec, &n, v2Options); err != nil {
			return count, err
		}
		count++
	}
	if _, err := dec.ReadToken(); err != nil { // ]
		return count, err
	}
	_, err := dec.ReadToken() // }
	return count, err
}

var benchDecoders = []struct {
	name   string
	decode streamDecoder
}{
	{"project", decodeProject},
	{"encoding_json", decodeEncodingJSON},
	{"go_json_experiment", decodeJSONv2},
}

// BenchmarkDecode decodes the same generated stream with the project decoder
// and the two baselines. Besides MB/s it reports allocs/notification: every
// allocation of a pass (decoder set-up included) divided by the number of
// notifications in it.
func BenchmarkDecode(b *testing.B) {
	stream, notifications := genStream(benchObjects, benchKeepAliveStep)
	for _, bd := range benchDecoders {
		b.Run(bd.name, func(b *testing.B) {
			n, err := bd.decode(bytes.NewReader(stream))
			if err != nil || n != benchObjects {
				b.Fatalf("decoded %d objects, err %v", n, err)
			}
			b.SetBytes(int64(len(stream)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for b.Loop() {
				if _, err := bd.decode(bytes.NewReader(stream)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/float64(notifications), "allocs/notification")
		})
	}
}

// BenchmarkDecodeKeepAlive measures one keep-alive per op on an endless
// stream of keep-alives: the project decoder must report 0 allocs/op.
func BenchmarkDecodeKeepAlive(b *testing.B) {
	benchmarkEndless(b, wireKeepAlive)
}

// BenchmarkDecodeNotification measures one rich notification per op on an
// endless stream of them.
func BenchmarkDecodeNotification(b *testing.B) {
	benchmarkEndless(b, richNotification(7))
}

func benchmarkEndless(b *testing.B, object string) {
	b.Run("project", func(b *testing.B) {
		d := NewDecoder(newCycleReader(object))
		b.SetBytes(int64(len(object) + 1))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Next(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		dec := json.NewDecoder(newCycleReader(object))
		for range 4 { // {, "@odata.context", its value, "value"
			if _, err := dec.Token(); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := dec.Token(); err != nil { // [
			b.Fatal(err)
		}
		b.SetBytes(int64(len(object) + 1))
		b.ReportAllocs()
		var n benchNotification
		for b.Loop() {
			n = benchNotification{}
			if err := dec.Decode(&n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go_json_experiment", func(b *testing.B) {
		dec := jsontext.NewDecoder(newCycleReader(object))
		for range 5 { // {, "@odata.context", its value, "value", [
			if _, err := dec.ReadToken(); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(object) + 1))
		b.ReportAllocs()
		var n benchNotificationV2
		for b.Loop() {
			n = benchNotificationV2{}
			if err := jsonv2.UnmarshalDecode(dec, &n, v2Options); err != nil {
				b.Fatal(err)
			}
		}
	})
}
