package servicecomms_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

// summary renders an event compactly for assertions.
func summary(ev servicecomms.Event) string {
	switch {
	case ev.Workload != nil:
		return fmt.Sprintf("%s %s %s->%s", ev.Kind, ev.Workload.Workload, ev.Previous, ev.Workload.Status)
	case ev.Message != nil:
		return fmt.Sprintf("%s %s %q->%q +%d", ev.Kind, ev.Message.ID, ev.Previous, ev.Message.Status, len(ev.NewEntries))
	}
	return ev.Kind.String()
}

// scriptTenant adds a small scenario around now to an empty tenant.
func scriptTenant(t *testing.T, tenant *office365test.Tenant) time.Time {
	t.Helper()
	now := tenant.Now()
	require.NoError(t, tenant.AddIncident(office365test.HealthIncident{
		ID: "EX100", Workload: "Exchange", Feature: "delivery", Title: "Mail delays",
		Updates: []office365test.HealthUpdate{
			{At: now.Add(-30 * time.Minute), Status: "ServiceDegradation", Text: "first"},
			{At: now.Add(90 * time.Second), Status: "ServiceDegradation", Text: "second"},
			{At: now.Add(150 * time.Second), Status: "ServiceRestored", Text: "fixed"},
		},
	}))
	require.NoError(t, tenant.AddIncident(office365test.HealthIncident{
		ID: "TM200", Workload: "microsoftteams", Updates: []office365test.HealthUpdate{{At: now.Add(70 * time.Second), Status: "Investigating"}},
	}))
	require.NoError(t, tenant.AddMessageCenterPost(office365test.MessageCenterPost{
		ID: "MC300", Title: "New thing", Published: now.Add(100 * time.Second),
		Updates: []office365test.HealthUpdate{{At: now.Add(200 * time.Second), Text: "rollout moved"}},
	}))
	return now
}

func TestWatcherReportsChangesAsTheTenantEvolves(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			start := scriptTenant(t, tenant)
			c, ht := inProcessClient(t, d, tenant)
			w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Interval: time.Minute, Baseline: true})
			require.NoError(t, err)

			var got []string
			var at []time.Duration
			for ev, err := range w.Events(t.Context()) {
				require.NoError(t, err)
				got = append(got, summary(ev))
				at = append(at, ev.DetectedAt.Sub(start))
				if ev.Kind == servicecomms.EventMessageCenterUpdated {
					break
				}
			}
			assert.Equal(t, []string{
				// t=2m: TM200 opened at 70s, EX100 updated at 90s, MC300 posted at 100s
				`WorkloadStatusChanged microsoftteams ServiceOperational->Investigating`,
				`IncidentOpened TM200 ""->"Investigating" +1`,
				`IncidentUpdated EX100 "Service degradation"->"Service degradation" +1`,
				`MessageCenterPosted MC300 ""->"" +1`,
				// t=3m: EX100 resolved at 150s
				`WorkloadStatusChanged Exchange ServiceDegradation->ServiceRestored`,
				`IncidentResolved EX100 "Service degradation"->"Service restored" +1`,
				// t=4m: MC300 updated at 200s
				`MessageCenterUpdated MC300 ""->"" +1`,
			}, got)
			assert.Equal(t, []time.Duration{2 * time.Minute, 2 * time.Minute, 2 * time.Minute, 2 * time.Minute,
				3 * time.Minute, 3 * time.Minute, 4 * time.Minute}, at)

			// Polls happened every minute: CurrentStatus then Messages.
			var polls []time.Duration
			for _, r := range ht.requests() {
				if d.isCurrentStatus(r.path, r.query) {
					polls = append(polls, r.at.Sub(start))
				}
			}
			assert.Equal(t, []time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute, 4 * time.Minute}, polls)
		})
	})
}

func TestWatcherEventContents(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			scriptTenant(t, tenant)
			c, _ := inProcessClient(t, d, tenant)
			w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Baseline: true})
			require.NoError(t, err)
			evs, err := w.Poll(t.Context())
			require.NoError(t, err)
			assert.Empty(t, evs, "baseline")

			time.Sleep(2 * time.Minute)
			evs, err = w.Poll(t.Context())
			require.NoError(t, err)
			require.Len(t, evs, 4)
			upd := evs[2]
			assert.Equal(t, servicecomms.EventIncidentUpdated, upd.Kind)
			require.Len(t, upd.NewEntries, 1)
			assert.Equal(t, "second", upd.NewEntries[0].MessageText, "only the text published since the last poll")
			assert.Len(t, upd.Message.Messages, 2)
			assert.Equal(t, "Mail delays", upd.Message.TitleText())
			assert.Equal(t, "Exchange", upd.Message.Workload)
			assert.Equal(t, d.featureID("delivery", "E-Mail timely delivery"), upd.Message.Feature)
			assert.Equal(t, servicecomms.Status("Service degradation"), upd.Previous)
			ws := evs[0]
			require.NotNil(t, ws.Workload)
			assert.Equal(t, servicecomms.StatusServiceOperational, ws.Previous)
			assert.Equal(t, []string{"TM200"}, ws.Workload.IncidentIDs)

			b, err := json.Marshal(upd)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"kind":"IncidentUpdated"`)
			var back servicecomms.Event
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, servicecomms.EventIncidentUpdated, back.Kind)
			assert.Equal(t, "EX100", back.Message.ID)
		})
	})
}

func TestWatcherStateSurvivesARestart(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			scriptTenant(t, tenant)
			c, _ := inProcessClient(t, d, tenant)
			w, err := servicecomms.NewWatcher(c, nil)
			require.NoError(t, err)
			assert.True(t, w.State().IsZero())
			evs, err := w.Poll(t.Context())
			require.NoError(t, err)
			// Without Baseline and without State, everything is announced.
			var kinds []string
			for _, ev := range evs {
				kinds = append(kinds, summary(ev))
			}
			assert.Len(t, evs, 14+1, "every workload, and the open incident")
			assert.Contains(t, kinds, `IncidentOpened EX100 ""->"Service degradation" +1`)

			saved, err := json.Marshal(w.State())
			require.NoError(t, err)
			st := w.State()
			nw, nm := st.Len()
			assert.Equal(t, 14, nw)
			assert.Equal(t, 1, nm)
			assert.Equal(t, time.Now(), st.Polled())

			// A new process with the saved state reports nothing old...
			var restored servicecomms.WatchState
			require.NoError(t, json.Unmarshal(saved, &restored))
			w2, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{State: &restored})
			require.NoError(t, err)
			evs, err = w2.Poll(t.Context())
			require.NoError(t, err)
			assert.Empty(t, evs)

			// ...and only what changed since.
			time.Sleep(75 * time.Second)
			evs, err = w2.Poll(t.Context())
			require.NoError(t, err)
			require.Len(t, evs, 2)
			assert.Equal(t, `IncidentOpened TM200 ""->"Investigating" +1`, summary(evs[1]))

			// Restoring from the same saved bytes again gives the same answer:
			// the first watcher's later polls did not change what was saved.
			var again servicecomms.WatchState
			require.NoError(t, json.Unmarshal(saved, &again))
			w3, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{State: &again})
			require.NoError(t, err)
			evs, err = w3.Poll(t.Context())
			require.NoError(t, err)
			assert.Len(t, evs, 2)
		})
	})
}

func TestWatchStateEncoding(t *testing.T) {
	t.Parallel()
	var st servicecomms.WatchState
	assert.True(t, st.IsZero())
	b, err := json.Marshal(st)
	require.NoError(t, err)
	assert.Equal(t, "null", string(b))
	require.NoError(t, json.Unmarshal([]byte("null"), &st))
	assert.True(t, st.IsZero())
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"version":99}`), &st), "version 99")
	assert.Error(t, json.Unmarshal([]byte(`{"version":"x"}`), &st))
	require.NoError(t, json.Unmarshal([]byte(`{"version":1,"workloads":{"Exchange":{"status":"ServiceDegradation"}}}`), &st))
	w, m := st.Len()
	assert.Equal(t, 1, w)
	assert.Equal(t, 0, m)
}

// flakyTransport fails the CurrentStatus requests listed in fail (by
// 0-based poll number) and serves the rest from the tenant.
func failing(status int, retryAfter string) func(*http.Request) *http.Response {
	return func(*http.Request) *http.Response {
		r := httpmock.NewStringResponse(status, `{"error":{"code":"Busy","message":"try later"}}`)
		r.Header.Set("Content-Type", "application/json")
		if retryAfter != "" {
			r.Header.Set("Retry-After", retryAfter)
		}
		return r
	}
}

func TestWatcherBacksOffAndHonoursRetryAfter(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			start := tenant.Now()
			c, ht := inProcessClient(t, d, tenant, office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
			script := []func(*http.Request) *http.Response{
				failing(http.StatusTooManyRequests, "300"), // failure 1: wait Retry-After 300s (> Interval)
				failing(http.StatusServiceUnavailable, ""), // failure 2: 2×Interval = 120s
				failing(http.StatusInternalServerError, ""),
				failing(http.StatusInternalServerError, ""), // failure 4: 8×Interval capped at MaxBackoff 400s
				nil, nil, nil, // success, then every Interval
			}
			n := 0
			ht.next = func(r *http.Request) *http.Response {
				if !d.isCurrentStatus(r.URL.Path, r.URL.RawQuery) {
					return nil
				}
				defer func() { n++ }()
				if n < len(script) && script[n] != nil {
					return script[n](r)
				}
				return nil
			}
			w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Interval: time.Minute, MaxBackoff: 400 * time.Second, Baseline: true})
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var werrs []*servicecomms.WatchError
			go func() {
				time.Sleep(1500 * time.Second)
				cancel()
			}()
			for _, err := range w.Events(ctx) {
				if errors.Is(err, context.Canceled) {
					continue // the last one
				}
				var werr *servicecomms.WatchError
				require.ErrorAs(t, err, &werr)
				werrs = append(werrs, werr)
			}
			require.Len(t, werrs, 4)
			assert.Equal(t, []time.Duration{300 * time.Second, 120 * time.Second, 240 * time.Second, 400 * time.Second},
				[]time.Duration{werrs[0].RetryIn, werrs[1].RetryIn, werrs[2].RetryIn, werrs[3].RetryIn})
			for i, e := range werrs {
				assert.Equal(t, i+1, e.Failures)
			}
			assert.True(t, office365.IsThrottled(werrs[0]))
			assert.Equal(t, 503, office365.StatusCode(werrs[1]))
			assert.Contains(t, werrs[0].Error(), "retrying in 5m0s")

			var polls []time.Duration
			for _, r := range ht.requests() {
				if d.isCurrentStatus(r.path, r.query) {
					polls = append(polls, r.at.Sub(start))
				}
			}
			want := []time.Duration{0, 300 * time.Second, 420 * time.Second, 660 * time.Second, 1060 * time.Second}
			for t2 := 1060*time.Second + time.Minute; t2 < 1500*time.Second; t2 += time.Minute {
				want = append(want, t2)
			}
			assert.Equal(t, want, polls)
		})
	})
}

func TestWatcherGivesUpAfterMaxFailures(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			c, ht := inProcessClient(t, d, tenant, office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
			ht.next = failing(http.StatusForbidden, "")
			w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Interval: time.Minute, MaxFailures: 3})
			require.NoError(t, err)
			var errs []error
			for _, err := range w.Events(t.Context()) {
				errs = append(errs, err)
			}
			require.Len(t, errs, 3)
			var last *servicecomms.WatchError
			require.ErrorAs(t, errs[2], &last)
			assert.Zero(t, last.RetryIn)
			assert.Contains(t, last.Error(), "giving up")
			assert.True(t, office365.IsForbidden(last))
			assert.True(t, w.State().IsZero(), "nothing recorded")
		})
	})
}

func TestWatcherCommitsPerEvent(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			scriptTenant(t, tenant)
			c, _ := inProcessClient(t, d, tenant)
			w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Baseline: true, Interval: time.Minute})
			require.NoError(t, err)
			_, err = w.Poll(t.Context())
			require.NoError(t, err)
			time.Sleep(2 * time.Minute)

			// Take one event of the batch of four, then stop.
			var first []string
			for ev, err := range w.Events(t.Context()) {
				require.NoError(t, err)
				first = append(first, summary(ev))
				break
			}
			require.Len(t, first, 1)
			// The next run reports the three not delivered, not the first again.
			evs, err := w.Poll(t.Context())
			require.NoError(t, err)
			var rest []string
			for _, ev := range evs {
				rest = append(rest, summary(ev))
			}
			assert.Len(t, rest, 3)
			assert.NotContains(t, rest, first[0])
		})
	})
}

func TestWatcherBusyAndCancel(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			scriptTenant(t, tenant)
			c, _ := inProcessClient(t, d, tenant)
			w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Interval: time.Minute})
			require.NoError(t, err)
			for _, err := range w.Events(t.Context()) {
				require.NoError(t, err)
				_, err := w.Poll(t.Context())
				assert.ErrorIs(t, err, servicecomms.ErrWatcherBusy)
				for _, err := range w.Events(t.Context()) {
					assert.ErrorIs(t, err, servicecomms.ErrWatcherBusy)
				}
				break
			}
			// Cancelling ends the sequence with ctx.Err(), yielded once.
			ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
			defer cancel()
			n := 0
			var errs []error
			for _, err := range w.Events(ctx) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				require.Empty(t, errs, "nothing after the error")
				n++
			}
			assert.Positive(t, n)
			assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
			require.Len(t, errs, 1)
			assert.Equal(t, context.DeadlineExceeded, errs[0], "ctx.Err() itself")
		})
	})
}

func TestNewWatcherValidates(t *testing.T) {
	t.Parallel()
	_, err := servicecomms.NewWatcher(nil, nil)
	assert.Error(t, err)
	var nilClient *servicecomms.Client
	_, err = servicecomms.NewWatcher(nilClient, nil)
	assert.Error(t, err)
	c, _ := mockClient(t)
	for _, o := range []*servicecomms.WatchOptions{{Interval: -1}, {MaxBackoff: -1}, {MaxFailures: -1}} {
		_, err := servicecomms.NewWatcher(c, o)
		assert.Error(t, err)
	}
}

// sourceFunc adapts functions to servicecomms.Source.
type sourceFunc struct {
	status func() ([]servicecomms.WorkloadStatus, error)
	msgs   func() ([]*servicecomms.Message, error)
}

func (s sourceFunc) CurrentStatus(context.Context, *servicecomms.StatusOptions) ([]servicecomms.WorkloadStatus, error) {
	return s.status()
}

func (s sourceFunc) Messages(context.Context, *servicecomms.MessageOptions) iter.Seq2[*servicecomms.Message, error] {
	return func(yield func(*servicecomms.Message, error) bool) {
		ms, err := s.msgs()
		if err != nil {
			yield(nil, err)
			return
		}
		for _, m := range ms {
			if !yield(m, nil) {
				return
			}
		}
	}
}

func TestWatcherWithACustomSource(t *testing.T) {
	t.Parallel()
	var msgs []*servicecomms.Message
	decode := func(s string) *servicecomms.Message {
		var m servicecomms.Message
		require.NoError(t, json.Unmarshal([]byte(s), &m))
		return &m
	}
	fail := errors.New("boom")
	var msgErr error
	src := sourceFunc{
		status: func() ([]servicecomms.WorkloadStatus, error) { return nil, nil },
		msgs:   func() ([]*servicecomms.Message, error) { return msgs, msgErr },
	}
	w, err := servicecomms.NewWatcher(src, nil)
	require.NoError(t, err)
	ctx := context.Background()

	// An incident first seen already resolved, and a planned maintenance.
	msgs = []*servicecomms.Message{
		decode(`{"Id":"SP1","MessageType":"Incident","Status":"Service restored","LastUpdatedTime":"2020-01-01T00:00:01Z","Messages":[{"PublishedTime":"2020-01-01T00:00:01Z","MessageText":"done"}]}`),
		decode(`{"Id":"PM1","MessageType":"PlannedMaintenance","Status":"Information available","LastUpdatedTime":"2020-01-01T00:00:02Z"}`),
		decode(`{"Status":"no id is skipped"}`),
	}
	evs, err := w.Poll(ctx)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, servicecomms.EventIncidentResolved, evs[0].Kind)
	assert.Equal(t, servicecomms.EventIncidentOpened, evs[1].Kind)

	// A post-incident report on a resolved incident is an update; a text
	// edited in place (same count, same times) with a new LastUpdatedTime
	// too.
	msgs = []*servicecomms.Message{
		decode(`{"Id":"SP1","MessageType":"Incident","Status":"Post-incident report published","LastUpdatedTime":"2020-01-03T00:00:00Z","Messages":[{"PublishedTime":"2020-01-01T00:00:01Z","MessageText":"done"},{"PublishedTime":"2020-01-03T00:00:00Z","MessageText":"PIR"}]}`),
		decode(`{"Id":"PM1","MessageType":"PlannedMaintenance","Status":"Information available","LastUpdatedTime":"2020-01-01T00:00:09Z"}`),
	}
	evs, err = w.Poll(ctx)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, servicecomms.EventIncidentUpdated, evs[0].Kind)
	assert.Equal(t, "PM1", evs[0].Message.ID)
	assert.Empty(t, evs[0].NewEntries)
	assert.Equal(t, servicecomms.EventIncidentUpdated, evs[1].Kind)
	assert.Equal(t, "SP1", evs[1].Message.ID)
	require.Len(t, evs[1].NewEntries, 1)
	assert.Equal(t, "PIR", evs[1].NewEntries[0].MessageText)

	// A message that left the window is remembered without an event, and
	// not announced again when it is listed again.
	pm1 := msgs[1]
	msgs = msgs[:1]
	evs, err = w.Poll(ctx)
	require.NoError(t, err)
	assert.Empty(t, evs)
	_, nm := w.State().Len()
	assert.Equal(t, 2, nm)
	msgs = append(msgs, pm1)
	evs, err = w.Poll(ctx)
	require.NoError(t, err)
	assert.Empty(t, evs, "a message back in the window is not new")

	// A failed poll changes nothing.
	msgErr = fail
	_, err = w.Poll(ctx)
	assert.ErrorIs(t, err, fail)
	_, nm = w.State().Len()
	assert.Equal(t, 2, nm)
}

func TestWatcherIgnoresOlderVersionsOfAMessage(t *testing.T) {
	t.Parallel()
	decode := func(s string) *servicecomms.Message {
		var m servicecomms.Message
		require.NoError(t, json.Unmarshal([]byte(s), &m))
		return &m
	}
	newer := decode(`{"Id":"EX1","MessageType":"Incident","Status":"Service restored","LastUpdatedTime":"2020-01-01T02:00:00Z",` +
		`"Messages":[{"PublishedTime":"2020-01-01T01:00:00Z","MessageText":"a"},{"PublishedTime":"2020-01-01T02:00:00Z","MessageText":"b"}]}`)
	older := decode(`{"Id":"EX1","MessageType":"Incident","Status":"Service degradation","LastUpdatedTime":"2020-01-01T01:00:00Z",` +
		`"Messages":[{"PublishedTime":"2020-01-01T01:00:00Z","MessageText":"a"}]}`)
	var msgs []*servicecomms.Message
	src := sourceFunc{
		status: func() ([]servicecomms.WorkloadStatus, error) { return nil, nil },
		msgs:   func() ([]*servicecomms.Message, error) { return msgs, nil },
	}
	w, err := servicecomms.NewWatcher(src, nil)
	require.NoError(t, err)
	msgs = []*servicecomms.Message{newer}
	evs, err := w.Poll(context.Background())
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, servicecomms.EventIncidentResolved, evs[0].Kind)

	// A lagging replica answers with the previous version, then the
	// current one again: neither is a change.
	for _, m := range []*servicecomms.Message{older, newer} {
		msgs = []*servicecomms.Message{m}
		evs, err = w.Poll(context.Background())
		require.NoError(t, err)
		assert.Empty(t, evs, "LastUpdatedTime %s", m.LastUpdatedTime.Time)
	}
}

func TestWatcherFollowsAnOpenIncidentOutOfTheWindow(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithoutGeneratedMessages())
			now := tenant.Now()
			require.NoError(t, tenant.AddIncident(office365test.HealthIncident{
				ID: "EX500", Workload: "Exchange", Title: "Long outage",
				Updates: []office365test.HealthUpdate{
					{At: now.Add(-6 * 24 * time.Hour), Status: "ServiceDegradation", Text: "started"},
					{At: now.Add(2 * 24 * time.Hour), Status: "ServiceRestored", Text: "fixed"},
				},
			}))
			c, _ := inProcessClient(t, d, tenant)
			w, err := servicecomms.NewWatcher(c, nil)
			require.NoError(t, err)
			evs, err := w.Poll(t.Context())
			require.NoError(t, err)
			var got []string
			for _, ev := range evs {
				if ev.Message != nil {
					got = append(got, summary(ev))
				}
			}
			assert.Equal(t, []string{`IncidentOpened EX500 ""->"Service degradation" +1`}, got)

			// Three days later the incident started 9 days ago, outside the
			// default window, and was resolved meanwhile.
			time.Sleep(3 * 24 * time.Hour)
			evs, err = w.Poll(t.Context())
			require.NoError(t, err)
			got = nil
			for _, ev := range evs {
				if ev.Message != nil {
					got = append(got, summary(ev))
				}
			}
			assert.Equal(t, []string{`IncidentResolved EX500 "Service degradation"->"Service restored" +1`}, got)
		})
	})
}

func TestWatcherStopsForTheRetiredService(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		synctest.Test(t, func(t *testing.T) {
			tenant := office365test.NewTenant(office365test.WithRetiredServiceComms())
			c, _ := inProcessClient(t, d, tenant, office365.WithRetry(office365.RetryOptions{MaxRetries: -1}))
			w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Interval: time.Minute})
			require.NoError(t, err)
			if d.graph {
				_, err := w.Poll(t.Context())
				require.NoError(t, err, "Graph serves the tenant whose retired API is gone")
				return
			}
			var errs []error
			for _, err := range w.Events(t.Context()) {
				require.Error(t, err)
				errs = append(errs, err)
				if len(errs) == 3 {
					break
				}
			}
			require.Len(t, errs, 1, "retrying cannot help: Events ends")
			assert.ErrorIs(t, errs[0], servicecomms.ErrRetired)
			var werr *servicecomms.WatchError
			require.ErrorAs(t, errs[0], &werr)
			assert.Zero(t, werr.RetryIn)
		})
	})
}

func TestWatcherAgainstTheRealFakeServer(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		c, _, tenant := fakeClient(t, d, nil)
		w, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Baseline: true})
		require.NoError(t, err)
		evs, err := w.Poll(context.Background())
		require.NoError(t, err)
		assert.Empty(t, evs)
		tenant.Advance(3 * time.Hour)
		evs, err = w.Poll(context.Background())
		require.NoError(t, err)
		kinds := map[servicecomms.EventKind]int{}
		for _, ev := range evs {
			kinds[ev.Kind]++
		}
		for _, k := range []servicecomms.EventKind{servicecomms.EventIncidentOpened, servicecomms.EventIncidentUpdated,
			servicecomms.EventIncidentResolved, servicecomms.EventWorkloadStatusChanged, servicecomms.EventMessageCenterPosted} {
			assert.Positive(t, kinds[k], "%s after three hours", k)
		}
	})
}

func TestEventKindText(t *testing.T) {
	t.Parallel()
	for k := servicecomms.EventIncidentOpened; k <= servicecomms.EventMessageCenterUpdated; k++ {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var back servicecomms.EventKind
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, k, back)
		assert.Equal(t, string(b), k.String())
	}
	_, err := servicecomms.EventKind(0).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "EventKind(42)", servicecomms.EventKind(42).String())
	var k servicecomms.EventKind
	assert.Error(t, k.UnmarshalText([]byte("Nope")))
}

func TestWatcherWindowFollowsOlderMessageCenterPosts(t *testing.T) {
	forDialects(t, func(t *testing.T, d dialect) {
		c, srv, tenant := fakeClient(t, d, []office365test.TenantOption{office365test.WithoutGeneratedMessages()})
		now := tenant.Now()
		require.NoError(t, tenant.AddMessageCenterPost(office365test.MessageCenterPost{
			ID: "MC100001", Title: "Retirement of a legacy connector", Text: "We are retiring it.", Workload: "Exchange",
			Category: "Plan For Change", Published: now.Add(-20 * 24 * time.Hour),
			Updates: []office365test.HealthUpdate{{At: now.Add(time.Hour), Text: "The date moved to June."}},
		}))
		wide, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Baseline: true, Window: 30 * 24 * time.Hour})
		require.NoError(t, err)
		narrow, err := servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Baseline: true})
		require.NoError(t, err)
		_, err = servicecomms.NewWatcher(c, &servicecomms.WatchOptions{Window: -time.Hour})
		require.Error(t, err)

		srv.ResetRequests()
		for _, w := range []*servicecomms.Watcher{wide, narrow} {
			evs, err := w.Poll(context.Background())
			require.NoError(t, err)
			assert.Empty(t, evs)
		}
		var windowed, plain int
		for _, r := range srv.Requests() {
			if d.isMessages(r.Path) {
				if strings.Contains(r.RawQuery, d.startTimeFilter()) {
					windowed++
				} else {
					plain++
				}
			}
		}
		assert.Equal(t, d.collections(), windowed, "the wide watcher sends a StartTime bound")
		assert.Equal(t, d.collections(), plain, "the default watcher leaves the window to the service")
		_, wideMsgs := wide.State().Len()
		_, narrowMsgs := narrow.State().Len()
		assert.Equal(t, 1, wideMsgs)
		if !d.windowed() {
			assert.Equal(t, 1, narrowMsgs, "Graph has no default window: the default watcher sees the post too")
			return
		}
		assert.Equal(t, 0, narrowMsgs)

		tenant.Advance(2 * time.Hour)
		evs, err := wide.Poll(context.Background())
		require.NoError(t, err)
		require.Len(t, evs, 1)
		assert.Equal(t, servicecomms.EventMessageCenterUpdated, evs[0].Kind)
		assert.Equal(t, "MC100001", evs[0].Message.ID)
		evs, err = narrow.Poll(context.Background())
		require.NoError(t, err)
		assert.Empty(t, evs, "outside the default window the update is not seen")
	})
}
