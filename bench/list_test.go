package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

const (
	upn      = "bench.user@contoso.com"
	token    = "fake-token"
	nMsgs    = 10_000
	pageSize = 1000
)

// env is the shared setup: the fake with one user holding nMsgs messages, and
// a replay server answering the fake's captured Graph pages.
type env struct {
	fake   *office365test.Fake
	replay *httptest.Server
	// wantSubjectBytes is the sum of len(subject) over all seeded messages.
	wantSubjectBytes int
	// pageBytes is the size of all captured pages (the JSON both clients
	// decode per list).
	pageBytes int
}

var (
	envOnce sync.Once
	envVal  *env
	envErr  error
)

// setup starts the fake and the replay server once per process; they are
// left running until the process exits (benchmarks of the same process share
// them, and the seeding is the slow part).
func setup(tb testing.TB) *env {
	tb.Helper()
	envOnce.Do(func() { envVal, envErr = newEnv() })
	if envErr != nil {
		tb.Fatal(envErr)
	}
	return envVal
}

func newEnv() (*env, error) {
	fake := office365test.Start(&office365test.FakeOptions{EmptyMailbox: true})
	user := fake.Mailbox.AddUser(upn, "Bench User")
	e := &env{fake: fake}
	msgs := seedMessages(nMsgs)
	for _, m := range msgs {
		e.wantSubjectBytes += len(m.Subject)
	}
	if ids := user.SeedMessages("inbox", msgs...); len(ids) != nMsgs {
		return nil, fmt.Errorf("seeded %d messages, want %d", len(ids), nMsgs)
	}
	replay, pageBytes, err := capturePages(fake.URL())
	if err != nil {
		return nil, err
	}
	e.replay, e.pageBytes = replay, pageBytes
	return e, nil
}

// seedMessages generates n realistic, deterministic messages: varied
// subjects, plain-text and HTML bodies of a few hundred bytes to a few KB,
// one to four To recipients, some Cc, categories, importance and flags.
func seedMessages(n int) []office365test.SeedMessage {
	people := []string{
		"alex.wilber", "megan.bowen", "lidia.holloway", "diego.siciliani", "grady.archie",
		"isaiah.langer", "johanna.lorenz", "lee.gu", "lynne.robbins", "miriam.graham",
		"nestor.wilke", "patti.fernandez", "pradeep.gupta", "joni.sherman", "henrietta.mueller",
	}
	names := []string{
		"Alex Wilber", "Megan Bowen", "Lidia Holloway", "Diego Siciliani", "Grady Archie",
		"Isaiah Langer", "Johanna Lorenz", "Lee Gu", "Lynne Robbins", "Miriam Graham",
		"Nestor Wilke", "Patti Fernandez", "Pradeep Gupta", "Joni Sherman", "Henrietta Müller",
	}
	topics := []string{
		"Q%d budget review", "Re: Lunch on Thursday? (#%d)", "[contoso/office365-go] Pull request #%d merged",
		"Invoice INV-%05d from Fabrikam", "Weekly status – week %d", "FW: Customer escalation %d: “Printer offline”",
		"Your order #%d has shipped", "Team offsite planning, day %d", "Réunion budget – point %d",
		"Action required: security review %d",
	}
	paragraphs := []string{
		"Hi team,\r\n\r\nPlease find the latest numbers below. We are tracking slightly ahead of plan for the quarter, " +
			"mostly thanks to the renewals in EMEA. Let me know if anything looks off before Friday's review.",
		"Thanks for the quick turnaround on this. I have added my comments inline; the main open question is " +
			"whether we can move the deadline by a week without affecting the launch. 🙂",
		"The build on main is green again. The flaky test in the scheduler was caused by a race between the timer " +
			"and the cancellation path; the fix is in #1234 and has been back-ported to the release branch.",
		"Rappel : la réunion de jeudi est déplacée à 14 h en salle « Everest ». Merci de confirmer votre présence.",
		"Attached is the signed contract. Legal asked that we keep the \"limitation of liability\" clause as is; " +
			"procurement will follow up with the PO number and the billing contact.",
	}
	cats := [][]string{nil, {"Blue category"}, {"Red category", "Project X"}, nil, {"Green category"}}
	imp := []string{"Normal", "Normal", "High", "Low", "Normal"}
	base := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	out := make([]office365test.SeedMessage, n)
	for i := range out {
		from := i % len(people)
		var to, cc []string
		for k := range 1 + i%4 {
			to = append(to, people[(from+1+k)%len(people)]+"@contoso.com")
		}
		if i%3 == 0 {
			cc = []string{people[(from+7)%len(people)] + "@contoso.com", "finance@fabrikam.com"}
		}
		var body strings.Builder
		html := i%2 == 1
		if html {
			body.WriteString("<html><head><meta charset=\"utf-8\"></head><body><div>")
		}
		for k := range 1 + i%5 {
			p := paragraphs[(i+k)%len(paragraphs)]
			if html {
				body.WriteString("<p>" + strings.ReplaceAll(p, "\r\n", "<br>") + "</p>")
			} else {
				body.WriteString(p + "\r\n\r\n")
			}
		}
		body.WriteString("-- \r\n" + names[from] + "\r\nContoso Ltd.")
		if html {
			body.WriteString("</div></body></html>")
		}
		out[i] = office365test.SeedMessage{
			From:       people[from] + "@contoso.com",
			FromName:   names[from],
			To:         to,
			Cc:         cc,
			Subject:    fmt.Sprintf(topics[i%len(topics)], i),
			Body:       body.String(),
			HTML:       html,
			Received:   base.Add(-time.Duration(i) * time.Minute),
			IsRead:     i%4 != 0,
			Importance: imp[i%len(imp)],
			Categories: cats[i%len(cats)],
			Flagged:    i%17 == 0,
		}
	}
	return out
}

// firstPagePath is the Graph request both clients start with.
func firstPagePath() string {
	return "/v1.0/users/" + url.PathEscape(upn) + "/messages?%24top=" + fmt.Sprint(pageSize)
}

// canonical keys a request by path and its decoded, sorted query, so that
// both clients' spellings of the same query ($top or %24top) match.
func canonical(u *url.URL) string {
	q, _ := url.ParseQuery(u.RawQuery)
	return u.Path + "?" + q.Encode()
}

// capturePages reads every Graph page of the user's messages from the fake
// (following @odata.nextLink) and returns a server that answers the same
// requests with the same bodies, next links rewritten to point at it.
func capturePages(fakeURL string) (srv *httptest.Server, size int, err error) {
	pages := map[string][]byte{}
	var contentType string
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[canonical(r.URL)]
		if !ok || r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":{"code":"NotCaptured","message":"no captured page for `+r.URL.String()+`"}}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	}))
	srv.Start()
	next := fakeURL + firstPagePath()
	for next != "" {
		req, err := http.NewRequest(http.MethodGet, next, nil)
		if err != nil {
			srv.Close()
			return nil, 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			srv.Close()
			return nil, 0, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			srv.Close()
			return nil, 0, fmt.Errorf("capture %s: status %d, %v", next, resp.StatusCode, err)
		}
		contentType = resp.Header.Get("Content-Type")
		pages[canonical(req.URL)] = []byte(strings.ReplaceAll(string(body), fakeURL, srv.URL))
		size += len(body)
		next = nextLink(body)
	}
	if len(pages) != nMsgs/pageSize {
		srv.Close()
		return nil, 0, fmt.Errorf("captured %d pages, want %d", len(pages), nMsgs/pageSize)
	}
	return srv, size, nil
}

// nextLink extracts @odata.nextLink from a page without decoding the page.
func nextLink(body []byte) string {
	const key = `"@odata.nextLink":"`
	s := string(body)
	i := strings.LastIndex(s, key)
	if i < 0 {
		return ""
	}
	s = s[i+len(key):]
	end := strings.IndexByte(s, '"')
	if end < 0 {
		return ""
	}
	link := s[:end]
	// The fake writes no JSON escapes in links; \/ and \u0026 are the only
	// ones an encoder would produce here.
	link = strings.ReplaceAll(link, `\/`, `/`)
	return strings.ReplaceAll(link, `\u0026`, `&`)
}

// result is what each client reads from the list: the count and the summed
// subject lengths.
type result struct{ count, subjectBytes int }

// listOurs lists every message through this SDK on Graph.
func listOurs(ctx context.Context, c *outlook.Client) (result, error) {
	var r result
	for m, err := range c.User(upn).Mail().Messages().List(ctx, &outlook.ListOptions{Top: pageSize}) {
		if err != nil {
			return r, err
		}
		r.count++
		r.subjectBytes += len(m.Subject)
	}
	return r, nil
}

func newOurs(baseURL string) (*outlook.Client, error) {
	return outlook.New(auth.StaticToken(token), office365.WithGraph(), office365.WithBaseURL(baseURL))
}

// bearer is a kiota AuthenticationProvider with a fixed token; kiota's own
// providers refuse http:// URLs, and the fake is plain loopback HTTP.
type bearer struct{}

func (bearer) AuthenticateRequest(_ context.Context, req *abs.RequestInformation, _ map[string]any) error {
	req.Headers.Add("Authorization", "Bearer "+token)
	return nil
}

type msgraphClient struct {
	adapter *msgraphsdk.GraphRequestAdapter
	client  *msgraphsdk.GraphServiceClient
}

func newMsgraph(baseURL string) (*msgraphClient, error) {
	adapter, err := msgraphsdk.NewGraphRequestAdapter(bearer{})
	if err != nil {
		return nil, err
	}
	adapter.SetBaseUrl(baseURL + "/v1.0")
	return &msgraphClient{adapter: adapter, client: msgraphsdk.NewGraphServiceClient(adapter)}, nil
}

// listMsgraph lists every message through msgraph-sdk-go and its page
// iterator.
func listMsgraph(ctx context.Context, c *msgraphClient) (result, error) {
	var r result
	top := int32(pageSize)
	first, err := c.client.Users().ByUserId(upn).Messages().Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Top: &top},
	})
	if err != nil {
		return r, err
	}
	it, err := msgraphcore.NewPageIterator[models.Messageable](first, c.adapter, models.CreateMessageCollectionResponseFromDiscriminatorValue)
	if err != nil {
		return r, err
	}
	err = it.Iterate(ctx, func(m models.Messageable) bool {
		r.count++
		if s := m.GetSubject(); s != nil {
			r.subjectBytes += len(*s)
		}
		return true
	})
	return r, err
}

// TestBothListAll checks that both clients, against the fake and against the
// replay server, read all 10,000 messages and the same subjects.
func TestBothListAll(t *testing.T) {
	e := setup(t)
	t.Logf("%d pages, %d bytes of JSON (%d per message)", nMsgs/pageSize, e.pageBytes, e.pageBytes/nMsgs)
	ctx := context.Background()
	for _, target := range []struct{ name, url string }{{"fake", e.fake.URL()}, {"replay", e.replay.URL}} {
		ours, err := newOurs(target.url)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := newMsgraph(target.url)
		if err != nil {
			t.Fatal(err)
		}
		want := result{nMsgs, e.wantSubjectBytes}
		n := len(e.fake.Requests())
		if got, err := listOurs(ctx, ours); err != nil || got != want {
			t.Errorf("%s: this SDK read %+v, %v; want %+v", target.name, got, err, want)
		}
		if target.name == "fake" {
			checkRequests(t, "this SDK", e.fake.Requests()[n:])
		}
		n = len(e.fake.Requests())
		if got, err := listMsgraph(ctx, ms); err != nil || got != want {
			t.Errorf("%s: msgraph-sdk-go read %+v, %v; want %+v", target.name, got, err, want)
		}
		if target.name == "fake" {
			checkRequests(t, "msgraph-sdk-go", e.fake.Requests()[n:])
		}
	}
}

// checkRequests pins that a client listed the messages in nMsgs/pageSize
// GETs of the same Graph collection with the same page size.
func checkRequests(t *testing.T, client string, reqs []office365test.RecordedRequest) {
	t.Helper()
	if len(reqs) != nMsgs/pageSize {
		t.Errorf("%s sent %d requests, want %d", client, len(reqs), nMsgs/pageSize)
	}
	for i, r := range reqs {
		q, err := url.ParseQuery(r.RawQuery)
		if r.Method != http.MethodGet || r.Path != "/v1.0/users/"+upn+"/messages" || err != nil ||
			q.Get("$top") != fmt.Sprint(pageSize) || q.Get("$skip") != fmt.Sprint(i*pageSize) && i > 0 {
			t.Errorf("%s request %d: %s %s?%s", client, i, r.Method, r.Path, r.RawQuery)
		}
		if i == 0 {
			t.Logf("%s: %s %s?%s Prefer=%q", client, r.Method, r.Path, r.RawQuery, r.Header.Values("Prefer"))
		}
	}
}

// BenchmarkList lists the 10,000 messages per op through each client, from
// the fake's Graph endpoint and from the replay server (the fake's pages,
// pre-rendered). Both servers run in a child process (see startRemote), so
// what this process spends is the clients' cost: per message, wall ns,
// process CPU ns (user+system, every goroutine and the garbage collector),
// allocations and bytes.
func BenchmarkList(b *testing.B) {
	r := startRemote(b)
	ctx := context.Background()
	for _, target := range []struct{ name, url string }{{"fake", r.fakeURL}, {"replay", r.replayURL}} {
		b.Run(target.name+"/ours", func(b *testing.B) {
			c, err := newOurs(target.url)
			if err != nil {
				b.Fatal(err)
			}
			run(b, func() (result, error) { return listOurs(ctx, c) }, r.wantSubjectBytes)
		})
		b.Run(target.name+"/msgraph", func(b *testing.B) {
			c, err := newMsgraph(target.url)
			if err != nil {
				b.Fatal(err)
			}
			run(b, func() (result, error) { return listMsgraph(ctx, c) }, r.wantSubjectBytes)
		})
	}
}

func run(b *testing.B, list func() (result, error), wantSubjectBytes int) {
	want := result{nMsgs, wantSubjectBytes}
	// One untimed pass warms connections and lazily built tables.
	if got, err := list(); err != nil || got != want {
		b.Fatalf("read %+v, %v; want %+v", got, err, want)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	for b.Loop() {
		if got, err := list(); err != nil || got != want {
			b.Fatalf("read %+v, %v; want %+v", got, err, want)
		}
	}
	b.StopTimer()
	cpu1, _ := processCPU()
	runtime.ReadMemStats(&after)
	msgs := float64(b.N) * nMsgs
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/msgs, "ns/msg")
	if cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/msgs, "cpu-ns/msg")
	}
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/msgs, "allocs/msg")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/msgs, "B/msg")
}
