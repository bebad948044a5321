// Command healthwatch watches the service health of a Microsoft 365 tenant
// and prints every change as it happens: incidents opened, updated and
// resolved, workload status changes, new and updated Message Center posts.
//
//	go run ./examples/healthwatch                      # the fake tenant, 10 seconds
//	go run ./examples/healthwatch -duration 0 -state health.json
//
// Credentials come from the environment as for examples/servicehealth:
// O365_TENANT_ID, O365_CLIENT_ID, O365_CLIENT_SECRET (and optionally
// O365_CLOUD). Without them it starts the in-process fake tenant, says so on
// stderr, and runs the fake's clock fast (-speed fake minutes per second) so
// that incidents open and resolve within seconds. -graph (or
// O365_API=graph) watches through Microsoft Graph instead of the retired
// API; the events are the same.
//
// With -state (for a real tenant) the watcher's state is loaded at start and
// saved after every event, so a restart only reports what changed in
// between.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/servicecomms"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "stop after this long (0: until interrupted)")
	interval := flag.Duration("interval", 0, "time between polls (default 1s for the fake tenant, 1m for a real one)")
	speed := flag.Int("speed", 10, "fake tenant only: fake minutes per real second")
	statePath := flag.String("state", "", "file to load the watcher state from and save it to")
	workload := flag.String("workload", "", "only watch this workload id")
	window := flag.Duration("window", 30*24*time.Hour, "watch messages that started this far back (Message Center posts change for weeks)")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()
	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthwatch:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	if err := run(ctx, graph, *interval, *speed, *statePath, *workload, *window); err != nil {
		fmt.Fprintln(os.Stderr, "healthwatch:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, graph bool, interval time.Duration, speed int, statePath, workload string, window time.Duration) error {
	client, env, err := exampleenv.ServiceCommsClient("healthwatch", graph)
	if err != nil {
		return err
	}
	defer env.Close()
	if fake := env.Fake; fake != nil {
		if speed < 1 {
			return errors.New("-speed must be at least 1")
		}
		// Run the fake's clock fast: every real second is speed minutes.
		start := time.Now()
		fake.SetClock(func() time.Time { return start.Add(time.Since(start) * time.Duration(speed) * 60) })
		if interval == 0 {
			interval = time.Second
		}
		if statePath != "" {
			fmt.Fprintln(os.Stderr, "healthwatch: -state is ignored with the fake tenant: every run starts a new tenant with a new timeline")
			statePath = ""
		}
	} else if interval == 0 {
		interval = time.Minute
	}

	var state servicecomms.WatchState
	if statePath != "" {
		switch b, err := os.ReadFile(statePath); {
		case err == nil:
			if err := json.Unmarshal(b, &state); err != nil {
				return fmt.Errorf("reading %s: %w", statePath, err)
			}
		case !errors.Is(err, os.ErrNotExist):
			return err
		}
	}
	w, err := servicecomms.NewWatcher(client, &servicecomms.WatchOptions{
		Interval: interval, Workload: workload, Window: window, Baseline: true, State: &state,
	})
	if err != nil {
		return err
	}

	// The first poll records what exists (or, with a saved state, reports
	// what changed while we were away).
	events, err := w.Poll(ctx)
	if err != nil {
		return err
	}
	wl, msgs := w.State().Len()
	fmt.Printf("watching %s: %d workloads, %d messages; polling every %s\n", client.Tenant(), wl, msgs, interval)
	for _, ev := range events {
		printEvent(ev)
	}
	if err := save(statePath, w); err != nil {
		return err
	}

	n := len(events)
	for ev, err := range w.Events(ctx) {
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				break // interrupted, or -duration elapsed
			}
			fmt.Fprintln(os.Stderr, "healthwatch:", err) // the watcher backs off and carries on
			continue
		}
		printEvent(ev)
		n++
		if err := save(statePath, w); err != nil {
			return err
		}
	}
	fmt.Printf("%d changes\n", n)
	return nil
}

func printEvent(ev servicecomms.Event) {
	when := ev.DetectedAt.Format("15:04:05")
	switch ev.Kind {
	case servicecomms.EventWorkloadStatusChanged:
		prev := "new"
		if ev.Previous != "" {
			prev = ev.Previous.DisplayName()
		}
		fmt.Printf("%s  %-22s %s: %s → %s\n", when, "workload status", ev.Workload.WorkloadDisplayName, prev, ev.Workload.DisplayStatus())
		return
	case servicecomms.EventMessageCenterPosted, servicecomms.EventMessageCenterUpdated:
		label := "message center post"
		if ev.Kind == servicecomms.EventMessageCenterUpdated {
			label = "message center update"
		}
		fmt.Printf("%s  %-22s %s %s\n", when, label, ev.Message.ID, ev.Message.TitleText())
		return
	}
	label := map[servicecomms.EventKind]string{
		servicecomms.EventIncidentOpened:   "incident opened",
		servicecomms.EventIncidentUpdated:  "incident updated",
		servicecomms.EventIncidentResolved: "incident resolved",
	}[ev.Kind]
	m := ev.Message
	fmt.Printf("%s  %-22s %s %s (%s): %s\n", when, label, m.ID, m.WorkloadDisplayName, m.Status.DisplayName(), m.TitleText())
	if n := len(ev.NewEntries); n > 0 {
		if s := statusLine(ev.NewEntries[n-1].Text()); s != "" {
			fmt.Printf("%10s %s\n", "", s)
		}
	}
}

// statusLine picks the "Current status:" or "Final status:" paragraph of an
// update.
func statusLine(text string) string {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "Current status:") || strings.HasPrefix(line, "Final status:") {
			return line
		}
	}
	return ""
}

func save(path string, w *servicecomms.Watcher) error {
	if path == "" {
		return nil
	}
	b, err := json.Marshal(w.State())
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
