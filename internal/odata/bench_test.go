package odata_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
)

// benchMessage is a message as a typical list call selects it.
type benchMessage struct {
	ODataID          string    `json:"@odata.id"`
	ODataETag        string    `json:"@odata.etag"`
	ID               string    `json:"Id"`
	Subject          string    `json:"Subject"`
	BodyPreview      string    `json:"BodyPreview"`
	IsRead           bool      `json:"IsRead"`
	Importance       string    `json:"Importance"`
	ReceivedDateTime time.Time `json:"ReceivedDateTime"`
	From             struct {
		EmailAddress struct{ Name, Address string }
	} `json:"From"`
	ToRecipients []struct {
		EmailAddress struct{ Name, Address string }
	} `json:"ToRecipients"`
	Categories []string `json:"Categories"`
}

// benchPage is a normal page: 50 messages with the fields a list call
// usually selects, about 30 KiB.
func benchPage() []byte {
	var b strings.Builder
	b.WriteString(`{"@odata.context":"https://outlook.office.com/api/v2.0/$metadata#Me/Messages","value":[`)
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"@odata.id":"https://outlook.office.com/api/v2.0/Users('u@example.com')/Messages('AAMkAGI2TG93AAA%d=')",`+
			`"@odata.etag":"W/\"CQAAABYAAACQ2fKdhq8oSKEDSVrdi3lRAAAE4s4U%d\"","Id":"AAMkAGI2TG93AAA%d=",`+
			`"Subject":"Quarterly review \u2013 part %d","BodyPreview":"Hi team,\r\nplease find the numbers attached. Let me know if anything looks off before Friday.",`+
			`"IsRead":%t,"Importance":"Normal","ReceivedDateTime":"2026-03-03T09:15:%02dZ",`+
			`"From":{"EmailAddress":{"Name":"User Two","Address":"user2@example.com"}},`+
			`"ToRecipients":[{"EmailAddress":{"Name":"User One","Address":"user1@example.com"}},{"EmailAddress":{"Name":"Team","Address":"team@example.com"}}],`+
			`"Categories":["Blue category"]}`, i, i, i, i, i%2 == 0, i%60)
	}
	b.WriteString(`],"@odata.nextLink":"https://outlook.office.com/api/v2.0/me/messages?%24skip=50"}`)
	return []byte(b.String())
}

// staticBody answers every request with the same JSON body, in memory.
type staticBody []byte

func (s staticBody) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(s)), ContentLength: int64(len(s)), Request: r}, nil
}

// plainPage is the envelope as a plain struct, decoded by json.Unmarshal in
// one go: how pages were decoded before items were capped. It is the
// reference the other cases are compared with.
type plainPage[T any] struct {
	Value     []T    `json:"value"`
	NextLink  string `json:"@odata.nextLink,omitempty"`
	DeltaLink string `json:"@odata.deltaLink,omitempty"`
	Count     *int64 `json:"@odata.count,omitempty"`
	Context   string `json:"@odata.context,omitempty"`
}

// BenchmarkPage reads one normal page of a collection through the pipeline
// (an in-memory transport, so decoding dominates):
//   - odata.Pages: the iterator every client uses (default cap, 1000 items);
//   - exact: odata.Page with a cap of 50, so that decoding takes the
//     item-by-item path (json.Decoder) rather than the one-go fast path;
//   - plain: the same body decoded into a plain struct by json.Unmarshal.
func BenchmarkPage(b *testing.B) {
	body := benchPage()
	cfg, err := office365.NewConfig(office365.WithHTTPClient(&http.Client{Transport: staticBody(body)}))
	if err != nil {
		b.Fatal(err)
	}
	p, err := transport.New(cfg, "https://outlook.office.com/api/v2.0", auth.StaticToken("t"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("odata.Pages", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for page, err := range odata.Pages[benchMessage](b.Context(), p, transport.Request{Path: "/me/messages"}) {
				if err != nil {
					b.Fatal(err)
				}
				n = len(page.Value)
				break
			}
			if n != 50 {
				b.Fatalf("%d items", n)
			}
		}
	})
	b.Run("exact", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			page := odata.Page[benchMessage]{MaxItems: 50}
			if err := p.DoJSON(b.Context(), &transport.Request{Path: "/me/messages"}, &page); err != nil || len(page.Value) != 50 {
				b.Fatal(len(page.Value), err)
			}
		}
	})
	b.Run("interleaved", func(b *testing.B) {
		// The three cases above in turn, each timed on its own, so that a
		// change in the machine's load hits them alike: the ratios it
		// reports are steadier than separate runs.
		cases := []func(){
			func() {
				var page plainPage[benchMessage]
				if err := p.DoJSON(b.Context(), &transport.Request{Path: "/me/messages"}, &page); err != nil || len(page.Value) != 50 {
					b.Fatal(len(page.Value), err)
				}
			},
			func() {
				for page, err := range odata.Pages[benchMessage](b.Context(), p, transport.Request{Path: "/me/messages"}) {
					if err != nil || len(page.Value) != 50 {
						b.Fatal(err)
					}
					break
				}
			},
			func() {
				page := odata.Page[benchMessage]{MaxItems: 50}
				if err := p.DoJSON(b.Context(), &transport.Request{Path: "/me/messages"}, &page); err != nil || len(page.Value) != 50 {
					b.Fatal(len(page.Value), err)
				}
			},
		}
		var spent [3]time.Duration
		i := 0
		for b.Loop() {
			for k := range cases {
				c := (i + k) % len(cases)
				start := time.Now()
				cases[c]()
				spent[c] += time.Since(start)
			}
			i++
		}
		b.ReportMetric(float64(spent[1])/float64(spent[0]), "odata/plain")
		b.ReportMetric(float64(spent[2])/float64(spent[0]), "exact/plain")
	})
	b.Run("plain", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var page plainPage[benchMessage]
			if err := p.DoJSON(b.Context(), &transport.Request{Path: "/me/messages"}, &page); err != nil || len(page.Value) != 50 {
				b.Fatal(len(page.Value), err)
			}
		}
	})
}
