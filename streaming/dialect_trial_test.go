package streaming_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/streaming"
)

// A fault schedule is drawn once per seed and played against either
// dialect: the Outlook streaming service (GetNotifications) or Microsoft
// Graph (delta polling). Each dialect turns a step into its own mechanism;
// the promise checked is the same: nothing delivered twice, nothing lost
// without a gap, and the listener recovers on its own.
type trialStep struct {
	wait time.Duration
	kind string
	// pick and n are random choices a dialect uses as it needs
	// (which subscription or item, how many times).
	pick, n int
	alt     int
}

// trialKinds are the steps of a schedule, with their weights (percent).
var trialKinds = []struct {
	kind   string
	weight int
}{
	{"change", 45}, {"drop-at-byte", 5}, {"drop", 6}, {"stall", 5}, {"stall-headers", 3}, {"expire", 5},
	{"401", 4}, {"429-retry-after", 4}, {"429", 3}, {"5xx", 6}, {"end", 5}, {"404", 3}, {"subscribe-5xx", 6},
}

func drawSchedule(seed uint64) (steps []trialStep, opts *streaming.ListenOptions, subs int) {
	rng := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
	subs = 1 + rng.IntN(6)
	opts = &streaming.ListenOptions{
		KeepAliveInterval:             time.Duration(5+rng.IntN(16)) * time.Second,
		ConnectionTimeout:             time.Duration(1+rng.IntN(5)) * time.Minute,
		MaxSubscriptionsPerConnection: 1 + rng.IntN(3),
		MinBackoff:                    time.Second,
		MaxBackoff:                    time.Duration(5+rng.IntN(30)) * time.Second,
		PollInterval:                  time.Duration(1+rng.IntN(10)) * time.Second,
	}
	for range 30 + rng.IntN(30) {
		s := trialStep{wait: time.Duration(rng.IntN(20_000)) * time.Millisecond, pick: rng.IntN(1 << 20),
			n: 1 + rng.IntN(3), alt: rng.IntN(1 << 20)}
		p := rng.IntN(100)
		for _, k := range trialKinds {
			if p < k.weight {
				s.kind = k.kind
				break
			}
			p -= k.weight
		}
		steps = append(steps, s)
	}
	return steps, opts, subs
}

// trialDialects is the table: both dialects play every schedule.
var trialDialects = []struct {
	name string
	run  func(t *testing.T, seed uint64) map[string]int
}{
	{"outlook", runOutlookSchedule},
	{"graph", runGraphFakeSchedule},
	{"graph-quirks", runGraphSchedule},
}

func TestFaultTrialsBothDialects(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, d := range trialDialects {
		trials := 24
		if testing.Short() || (streaming.RaceEnabled && d.name == "graph") {
			// The fake's Graph front end costs seconds a schedule under
			// the race detector; the other rows keep every seed there.
			trials = 8
		}
		t.Run(d.name, func(t *testing.T) {
			faults := map[string]int{}
			for seed := range uint64(trials) {
				t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
					for k, v := range d.run(t, seed) {
						faults[k] += v
					}
				})
			}
			t.Logf("%s: faults injected over %d trials: %v", d.name, trials, faults)
			for _, k := range trialKinds {
				assert.Positive(t, faults[k.kind], "fault %s never injected", k.kind)
			}
			if d.name != "outlook" {
				assert.Positive(t, faults["notifications"])
				assert.Positive(t, faults["resync-gaps"])
				assert.Positive(t, faults["folder-created"])
			}
			if d.name == "graph" {
				assert.Positive(t, faults["folder-removed"])
			}
		})
	}
}

// runOutlookSchedule plays a schedule against the streaming fake (the
// steps as TestFaultTrials draws them).
func runOutlookSchedule(t *testing.T, seed uint64) map[string]int {
	steps, opts, nsubs := drawSchedule(seed)
	injected := map[string]int{}
	srv := office365test.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		fake := office365test.NewStreaming(
			office365test.StreamingLifetime(time.Duration(5+seed%10)*time.Minute),
			office365test.StreamingBufferSize(3+int(seed%20)),
			office365test.StreamingMaxConnectionTime(time.Duration(1+seed%4)*time.Minute),
		)
		fake.Register(srv)
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(&countingCred{}, office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		resources := []streaming.Resource{streaming.Messages(), streaming.FolderMessages(streaming.Inbox),
			streaming.Events().Select("Subject"), streaming.Contacts(), streaming.Tasks()}
		var subs []*streaming.Subscription
		for i := range nsubs {
			sub, err := client.Subscribe(context.Background(), resources[i%len(resources)])
			require.NoError(t, err)
			subs = append(subs, sub)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		l, err := client.Listen(ctx, subs, opts)
		require.NoError(t, err)
		c := collect(l)

		gn := "getnotifications"
		var auth *office365test.Fault
		for _, s := range steps {
			time.Sleep(s.wait)
			live := fake.Subscriptions()
			pick := func() string { return live[s.pick%len(live)].ID }
			if len(live) == 0 && (s.kind == "change" || s.kind == "expire" || s.kind == "subscribe-5xx") {
				continue
			}
			switch s.kind {
			case "change":
				for i := range s.n {
					_, err := fake.Inject(live[(s.pick+i)%len(live)].ID, office365test.StreamInjection{ChangeType: []string{"Created", "Updated", "Deleted"}[(s.alt+i)%3]})
					require.NoError(t, err)
				}
			case "drop-at-byte":
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, DropAfterBytes: 1 + s.alt%700})
				fake.DropConnections()
			case "drop":
				fake.DropConnections()
			case "stall":
				fake.StallConnections()
			case "stall-headers":
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, Stalled: true})
				fake.DropConnections()
			case "expire":
				fake.Expire(pick())
			case "401":
				if auth != nil && auth.Hits() < auth.Times {
					continue
				}
				auth = srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1 + s.n%2, Status: http.StatusUnauthorized})
				fake.DropConnections()
			case "429-retry-after":
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: s.n, Status: http.StatusTooManyRequests,
					RetryAfter: strconv.Itoa(1 + s.alt%120)})
				fake.DropConnections()
			case "429":
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: s.n, Status: http.StatusTooManyRequests})
				fake.DropConnections()
			case "5xx":
				srv.InjectFault(serverFault(gn, s))
				fake.DropConnections()
			case "end":
				fake.EndConnections()
			case "404":
				srv.InjectFault(&office365test.Fault{PathContains: gn, Times: 1, Status: http.StatusNotFound})
				fake.DropConnections()
			case "subscribe-5xx":
				srv.InjectFault(&office365test.Fault{PathContains: "subscriptions", Method: http.MethodPost, Times: 1 + s.n%2,
					Status: []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[s.alt%3]})
				fake.Expire(pick())
			}
			injected[s.kind]++
		}
		srv.ClearFaults()
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		checkCoverage(t, fake.Notifications(), c.events())
		cancel()
		evs, err := c.stop()
		require.ErrorIs(t, err, context.Canceled, "the listener never gave up")
		checkCoverage(t, fake.Notifications(), evs)
	})
	return injected
}

// injectDeltaFault plays a fault step of a Graph trial against the delta
// requests; expire plays the steps that end a subscription ("expire",
// "404", "end"). It reports false when the step is skipped because the
// 401 fault of an earlier step (held in *auth) is still pending.
func injectDeltaFault(srv *office365test.Server, s trialStep, auth **office365test.Fault, expire func()) bool {
	switch s.kind {
	case "drop-at-byte":
		srv.InjectFault(&office365test.Fault{PathContains: "delta", Times: 1, DropAfterBytes: 1 + s.alt%300})
	case "drop":
		srv.InjectFault(&office365test.Fault{PathContains: "delta", Times: s.n, DropAfterHandler: true})
	case "stall", "stall-headers":
		srv.InjectFault(&office365test.Fault{PathContains: "delta", Times: 1, Stalled: true})
	case "expire", "404", "end":
		expire()
	case "401":
		if a := *auth; a != nil && a.Hits() < a.Times {
			return false
		}
		*auth = srv.InjectFault(&office365test.Fault{PathContains: "delta", Times: 1 + s.n%2, Status: http.StatusUnauthorized})
	case "429-retry-after":
		srv.InjectFault(&office365test.Fault{PathContains: "delta", Times: s.n, Status: http.StatusTooManyRequests,
			RetryAfter: strconv.Itoa(1 + s.alt%120)})
	case "429":
		srv.InjectFault(&office365test.Fault{PathContains: "delta", Times: s.n, Status: http.StatusTooManyRequests})
	case "5xx", "subscribe-5xx":
		srv.InjectFault(serverFault("delta", s))
	}
	return true
}

func serverFault(path string, s trialStep) *office365test.Fault {
	f := &office365test.Fault{PathContains: path, Times: s.n}
	switch s.alt % 4 {
	case 0:
		f.Status = http.StatusInternalServerError
	case 1:
		f.HTML = true
	case 2:
		f.Status = http.StatusServiceUnavailable
	default:
		f.Status = http.StatusGatewayTimeout
	}
	return f
}

// graphTrialColls are the delta queries of the Graph trials, with the
// resource that tracks each.
var graphTrialColls = []struct {
	coll string
	r    streaming.Resource
}{
	{inbox, streaming.FolderMessages(streaming.Inbox)},
	{inbox, streaming.FolderMessages(streaming.Inbox).Select("Subject")},
	{"calendarView", streaming.Events().Select("Subject")},
	{"contacts", streaming.Contacts()},
	{"todo/lists/L1/tasks", streaming.FolderTasks("L1")},
}

// runGraphSchedule plays a schedule against the test's Graph delta
// service (graphDelta), which also repeats items as Graph may: the
// connection faults hit delta requests, "expire", "404" and "end"
// invalidate the delta tokens (410 or syncStateNotFound), and the service
// repeats items within pages and across rounds as Graph may.
func runGraphSchedule(t *testing.T, seed uint64) map[string]int {
	steps, opts, nsubs := drawSchedule(seed)
	injected := map[string]int{}
	srv := office365test.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		g := newGraphDelta(srv, seed, 1+int(seed%4))
		g.Duplicates, g.Replays = 0.2, 0.2
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(&countingCred{}, office365.WithGraph(), office365.WithBaseURL(srv.URL()),
			office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		for _, c := range graphTrialColls {
			for range 3 {
				g.Change(c.coll, "", "Created")
			}
		}
		// Every message of the mailbox: the folders of the folder list.
		for range 2 {
			f := g.Change("mailFolders", "", "Created")
			for range 2 {
				g.Change("mailFolders/"+f+"/messages", "", "Created")
			}
		}
		const everyMessage = "mailFolders/AAMkmailfolders-*"
		var subs []*streaming.Subscription
		collOf := map[string]string{}
		for i := range nsubs + 1 {
			c := graphTrialColls[i%len(graphTrialColls)]
			if i == nsubs {
				c.coll, c.r = everyMessage, streaming.Messages().Select("Subject")
			}
			sub, err := client.Subscribe(context.Background(), c.r)
			require.NoError(t, err)
			subs = append(subs, sub)
			collOf[sub.ID] = c.coll
		}
		baseline := len(g.Changes())
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		l, err := client.Listen(ctx, subs, opts)
		require.NoError(t, err)
		c := collect(l)

		var auth *office365test.Fault
		for _, s := range steps {
			time.Sleep(s.wait)
			switch s.kind {
			case "change":
				for i := range s.n {
					coll := collOf[subs[(s.pick+i)%len(subs)].ID]
					if coll == everyMessage {
						folders := g.Live("mailFolders")
						if (s.alt+i)%4 == 3 {
							folders = []string{g.Change("mailFolders", "", "Created")}
							injected["folder-created"]++
						}
						coll = "mailFolders/" + folders[(s.pick+i)%len(folders)] + "/messages"
					}
					live := g.Live(coll)
					kind := []string{"Created", "Updated", "Deleted"}[(s.alt+i)%3]
					if len(live) == 0 {
						kind = "Created"
					}
					id := ""
					if kind != "Created" {
						id = live[(s.pick+i)%len(live)]
					}
					g.Change(coll, id, kind)
				}
			default:
				if !injectDeltaFault(srv, s, &auth, g.Invalidate) {
					continue
				}
			}
			injected[s.kind]++
		}
		endGraphTrial(t, srv, c, cancel, g.Changes, baseline, collOf, injected)
	})
	return injected
}

// endGraphTrial ends a Graph trial: with the faults cleared it gives the
// listener five minutes to catch up, checks its promise against the changes
// made (the first baseline of them before it started) while it runs and
// again once cancel has stopped it, and counts what it delivered into
// injected.
func endGraphTrial(t *testing.T, srv *office365test.Server, c *collector, cancel context.CancelFunc,
	changes func() []graphChange, baseline int, collOf map[string]string, injected map[string]int) {
	t.Helper()
	srv.ClearFaults()
	time.Sleep(5 * time.Minute)
	synctest.Wait()
	all := changes()
	checkGraphCoverage(t, all[baseline:], all[:baseline], collOf, c.events())
	cancel()
	evs, err := c.stop()
	require.ErrorIs(t, err, context.Canceled, "the listener never gave up")
	injected["notifications"] += len(ofKind(evs, streaming.EventNotification))
	injected["resync-gaps"] += len(ofKind(evs, streaming.EventGap))
	checkGraphCoverage(t, all[baseline:], all[:baseline], collOf, evs)
}

// checkGraphCoverage asserts the Graph listener's promise for every
// subscription (collOf names its collection, or a pattern: see inColl): sequence numbers 1, 2, 3… without repeats; no version of
// an item reported twice and every item's story in order (Created, then
// Updated, then Deleted); and no loss: each item that exists at the end
// was last reported in its final version (or never changed after the
// subscription began), and each deleted item the subscription knew of was
// reported Deleted or falls under a resync gap reported after its last
// notification. Delta reports states, not every change: two updates
// between polls are one notification, and an item created and deleted
// between polls is never seen.
func checkGraphCoverage(t *testing.T, after, before []graphChange, collOf map[string]string, evs []streaming.Event) {
	t.Helper()
	type story struct {
		events []string // change types
		etags  []string
		lastAt int // the subscription's notification count at the last one
	}
	stories := map[string]map[string]*story{} // sub → item → story
	gaps := map[string][]int{}                // sub → notification counts at its resync gaps
	count := map[string]int{}
	lastSeq := map[string]int64{}
	var problems []string
	for _, ev := range evs {
		switch ev.Kind {
		case streaming.EventGap:
			if ev.Gap.Reason != streaming.GapResync && ev.Gap.Reason != streaming.GapContainerRemoved {
				problems = append(problems, "unexpected gap "+ev.Gap.String())
			}
			gaps[ev.Gap.SubscriptionID] = append(gaps[ev.Gap.SubscriptionID], count[ev.Gap.SubscriptionID])
		case streaming.EventNotification:
			n := ev.Notification
			sub := n.SubscriptionID
			if n.SequenceNumber != lastSeq[sub]+1 {
				problems = append(problems, fmt.Sprintf("%s: sequence %d after %d", sub, n.SequenceNumber, lastSeq[sub]))
			}
			lastSeq[sub] = n.SequenceNumber
			count[sub]++
			var d struct {
				ID   string `json:"id"`
				ETag string `json:"@odata.etag"`
			}
			require.NoError(t, json.Unmarshal(n.ResourceData, &d))
			if stories[sub] == nil {
				stories[sub] = map[string]*story{}
			}
			s := stories[sub][d.ID]
			if s == nil {
				s = &story{}
				stories[sub][d.ID] = s
			}
			if slices.Contains(s.etags, d.ETag) && n.ChangeType != streaming.ChangeDeleted {
				problems = append(problems, fmt.Sprintf("%s: %s %s delivered twice", sub, d.ID, d.ETag))
			}
			s.events = append(s.events, string(n.ChangeType))
			s.etags = append(s.etags, d.ETag)
			s.lastAt = count[sub]
		}
	}
	for sub, coll := range collOf {
		final := map[string]graphChange{}
		existed := map[string]bool{}
		for _, ch := range before {
			if inColl(ch.Coll, coll) {
				existed[ch.ID] = ch.Kind != "Deleted"
			}
		}
		for _, ch := range after {
			if inColl(ch.Coll, coll) {
				final[ch.ID] = ch
			}
		}
		for id, ch := range final {
			s := stories[sub][id]
			if s == nil {
				s = &story{}
			}
			// The story's shape.
			for i, e := range s.events {
				switch {
				case e == "Created" && (i > 0 && s.events[i-1] != "Deleted" || existed[id] && i == 0):
					problems = append(problems, fmt.Sprintf("%s: %s created again: %v", sub, id, s.events))
				case e != "Created" && i > 0 && s.events[i-1] == "Deleted":
					problems = append(problems, fmt.Sprintf("%s: %s %s after Deleted: %v", sub, id, e, s.events))
				}
			}
			last := ""
			if len(s.events) > 0 {
				last = s.events[len(s.events)-1]
			}
			if ch.Kind != "Deleted" {
				if last == "" || last == "Deleted" || s.etags[len(s.etags)-1] != ch.ETag {
					problems = append(problems, fmt.Sprintf("%s: %s lost: final %s, reported %v %v", sub, id, ch.ETag, s.events, s.etags))
				}
				continue
			}
			known := existed[id] || len(s.events) > 0
			covered := slices.ContainsFunc(gaps[sub], func(at int) bool { return at >= s.lastAt })
			if known && last != "Deleted" && !covered {
				problems = append(problems, fmt.Sprintf("%s: deletion of %s lost without a gap: %v", sub, id, s.events))
			}
		}
	}
	if len(problems) > 0 {
		t.Errorf("%d problems: %v", len(problems), problems)
		var lines []string
		for _, ev := range evs {
			switch ev.Kind {
			case streaming.EventNotification:
				lines = append(lines, fmt.Sprintf("N %s #%d %s %s", ev.Notification.SubscriptionID[6:12], ev.Notification.SequenceNumber, ev.Notification.ChangeType, ev.Notification.Resource[len(ev.Notification.Resource)-4:]))
			case streaming.EventGap:
				lines = append(lines, "G "+ev.Gap.String())
			case streaming.EventDisconnected:
				lines = append(lines, fmt.Sprintf("D %v retry %s: %v", ev.Connection.SubscriptionIDs, ev.Connection.RetryIn, ev.Connection.Err))
			default:
				lines = append(lines, fmt.Sprintf("%s %v", ev.Kind, ev.Connection.SubscriptionIDs))
			}
		}
		t.Logf("events:\n%s", strings.Join(lines, "\n"))
	}
}

// inColl reports whether a change of collection coll concerns a
// subscription to pattern: a collection, or every collection whose name
// starts with what precedes a final "*" (a mailbox-wide subscription).
func inColl(coll, pattern string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(coll, lower(p))
	}
	return coll == lower(pattern)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// runGraphFakeSchedule plays a schedule against office365test's Graph
// front end over its mailbox: changes are made in the mailbox, the
// connection faults hit delta requests, and "expire", "404" and "end"
// answer one delta request with 410 Gone syncStateNotFound.
func runGraphFakeSchedule(t *testing.T, seed uint64) map[string]int {
	steps, opts, nsubs := drawSchedule(seed)
	injected := map[string]int{}
	srv := office365test.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		mb := office365test.NewMailbox()
		mb.Register(srv)
		gm := office365test.NewGraphMail(srv, mb)
		gm.Register(srv)
		defer gm.Close()
		u := mb.AddUser("ada@contoso.com", "Ada")
		mb.SetMe(u.UPN)
		other, err := u.CreateFolder("", "Projects")
		require.NoError(t, err)
		folders := map[string]string{u.FolderID("inbox"): inbox, other: "mailFolders/" + other + "/messages"}
		var changes []graphChange
		var mu sync.Mutex
		unsubscribe := mb.Subscribe(func(c office365test.Change) {
			mu.Lock()
			defer mu.Unlock()
			if c.EntityType != office365test.EntityMessage || folders[c.FolderID] == "" {
				return
			}
			etag := ""
			if c.Entity != nil {
				etag = fmt.Sprintf(`W/"%v"`, c.Entity["ChangeKey"])
			}
			changes = append(changes, graphChange{Coll: lower(folders[c.FolderID]), ID: c.ID, Kind: string(c.Kind), ETag: etag})
		})
		defer unsubscribe()
		fids := []string{u.FolderID("inbox"), u.FolderID("inbox"), other}
		for _, fid := range fids[1:] {
			for i := range 3 {
				u.Insert(office365test.EntityMessage, fid, office365test.Entity{"Subject": fmt.Sprint("seed ", i)})
			}
		}
		pt := office365test.NewPipeTransport(srv)
		defer pt.Close()
		client, err := streaming.New(&countingCred{}, office365.WithGraph(), office365.WithBaseURL(srv.URL()),
			office365.WithHTTPClient(pt.Client()))
		require.NoError(t, err)
		resources := []streaming.Resource{streaming.FolderMessages(streaming.Inbox),
			streaming.FolderMessages(streaming.Inbox).Select("Subject", "IsRead"), streaming.FolderMessages(other)}
		var subs []*streaming.Subscription
		collOf := map[string]string{}
		for i := range nsubs {
			sub, err := client.Subscribe(context.Background(), resources[i%len(resources)])
			require.NoError(t, err)
			subs = append(subs, sub)
			collOf[sub.ID] = folders[fids[i%len(fids)]]
		}
		// Every message of the mailbox, over folders that come and go.
		everyMessage, err := client.Subscribe(context.Background(), streaming.Messages())
		require.NoError(t, err)
		subs = append(subs, everyMessage)
		collOf[everyMessage.ID] = "mailFolders/*"
		var created []string // folders created during the trial, which only everyMessage tracks
		deleteFolder := func(id string) {
			req, err := http.NewRequest(http.MethodDelete, srv.URL()+"/v1.0/me/mailFolders/"+url.PathEscape(id), nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer t")
			resp, err := pt.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusNoContent, resp.StatusCode)
		}
		mu.Lock()
		baseline := len(changes)
		mu.Unlock()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		l, err := client.Listen(ctx, subs, opts)
		require.NoError(t, err)
		c := collect(l)

		var auth *office365test.Fault
		n := 0
		for _, s := range steps {
			time.Sleep(s.wait)
			switch s.kind {
			case "change":
				for i := range s.n {
					if subs[(s.pick+i)%len(subs)] == everyMessage {
						switch {
						case (s.alt+i)%5 == 3:
							f, err := u.CreateFolder([]string{"", other}[s.pick%2], fmt.Sprint("f", n))
							require.NoError(t, err)
							mu.Lock()
							folders[f] = "mailFolders/" + f + "/messages"
							mu.Unlock()
							fids, created = append(fids, f), append(created, f)
							injected["folder-created"]++
						case (s.alt+i)%5 == 4 && len(created) > 0:
							f := created[(s.pick+i)%len(created)]
							deleteFolder(f)
							fids, created = slices.DeleteFunc(fids, func(id string) bool { return id == f }),
								slices.DeleteFunc(created, func(id string) bool { return id == f })
							injected["folder-removed"]++
							continue
						}
					}
					fid := fids[(s.pick+i)%len(fids)]
					recs := u.Records(office365test.EntityMessage, fid)
					kind := (s.alt + i) % 3
					if len(recs) == 0 {
						kind = 0
					}
					switch kind {
					case 0:
						n++
						u.Insert(office365test.EntityMessage, fid, office365test.Entity{"Subject": fmt.Sprint("m", n)})
					case 1:
						u.Update(recs[(s.pick+i)%len(recs)].ID, func(doc office365test.Entity) { doc["IsRead"] = doc["IsRead"] != true })
					default:
						u.Delete(recs[(s.pick+i)%len(recs)].ID)
					}
				}
			default:
				if !injectDeltaFault(srv, s, &auth, func() {
					srv.InjectFault(&office365test.Fault{PathContains: "delta", Times: 1, Status: http.StatusGone, Code: "syncStateNotFound"})
				}) {
					continue
				}
			}
			injected[s.kind]++
		}
		endGraphTrial(t, srv, c, cancel, func() []graphChange {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(changes)
		}, baseline, collOf, injected)
	})
	return injected
}
