package transport

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
)

// benchBody is a typical small JSON entity.
const benchBody = `{"Id":"AAMkAGI2TG93AAA=","Subject":"Quarterly review","IsRead":false,"Importance":"Normal"}`

// BenchmarkGET compares one GET through the full pipeline (auth, headers,
// client-request-id, retry bookkeeping, logging to a discard logger, JSON
// decoding) with the same GET sent by a bare http.Client and decoded the
// same way, against a loopback server. The ratio is the pipeline's overhead.
func BenchmarkGET(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchBody)
	}))
	defer srv.Close()
	type entity struct {
		ID, Subject string
		IsRead      bool
		Importance  string
	}
	b.Run("bare", func(b *testing.B) {
		hc := &http.Client{}
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/api/v2.0/me/messages/x", nil)
			req.Header.Set("Authorization", "Bearer token")
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			var e entity
			if err := jsonUnmarshal(body, &e); err != nil || e.Subject == "" {
				b.Fatal("bad body", err)
			}
		}
	})
	b.Run("pipeline", func(b *testing.B) {
		cfg, err := office365.NewConfig()
		if err != nil {
			b.Fatal(err)
		}
		p, err := New(cfg, srv.URL+"/api/v2.0", auth.StaticToken("token"), "https://outlook.office.com/.default")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			var e entity
			if err := p.DoJSON(context.Background(), &Request{Path: "/me/messages/x"}, &e); err != nil || e.Subject == "" {
				b.Fatal("bad body", err)
			}
		}
	})
}
