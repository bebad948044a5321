// Command servicehealth prints the health of a Microsoft 365 tenant: a table
// of workloads with their status and open incidents, then the most recent
// incidents and Message Center posts.
//
// It reads app-only credentials from the environment:
//
//	O365_TENANT_ID      tenant id or domain (contoso.onmicrosoft.com)
//	O365_CLIENT_ID      application (client) id of an app registration with the
//	                    Office 365 Management APIs permission ServiceHealth.Read
//	O365_CLIENT_SECRET  a client secret of that app
//	O365_CLOUD          optional: public (default), gcc, gcc-high, dod or china
//	O365_API            optional: graph to read Microsoft Graph (same as -graph)
//
// With -graph the same tables come from Microsoft Graph's service
// communications API (office365.WithGraph); the app then needs the Graph
// application permissions ServiceHealth.Read.All and ServiceMessage.Read.All.
//
// When none of them is set it starts the in-process fake tenant from
// office365test and says so on stderr, so
//
//	go run ./examples/servicehealth
//
// works on a fresh clone without any account.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/servicecomms"
)

func main() {
	recent := flag.Int("n", 10, "how many recent incidents and Message Center posts to list")
	timeout := flag.Duration("timeout", time.Minute, "give up after this long")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()
	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "servicehealth:", err)
		os.Exit(2)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	client, env, err := exampleenv.ServiceCommsClient("servicehealth", graph)
	if err != nil {
		fmt.Fprintln(os.Stderr, "servicehealth:", err)
		os.Exit(1)
	}
	defer env.Close()
	if err := run(ctx, client, *recent); err != nil {
		fmt.Fprintln(os.Stderr, "servicehealth:", err)
		if errors.Is(err, servicecomms.ErrRetired) {
			fmt.Fprintln(os.Stderr, "servicehealth: this tenant only serves service health through Microsoft Graph")
		}
		env.Close()
		os.Exit(1)
	}
}

func run(ctx context.Context, client *servicecomms.Client, recent int) error {
	statuses, err := client.CurrentStatus(ctx, nil)
	if err != nil {
		return fmt.Errorf("current status: %w", err)
	}
	// The last seven days, asked for explicitly: the retired API's default
	// window, which Graph does not have.
	since := time.Now().Add(-7 * 24 * time.Hour).Truncate(time.Second)
	list := func(typ servicecomms.MessageType) ([]*servicecomms.Message, error) {
		var out []*servicecomms.Message
		for m, err := range client.Messages(ctx, &servicecomms.MessageOptions{MessageType: typ, StartTime: since}) {
			if err != nil {
				return nil, fmt.Errorf("messages: %w", err)
			}
			out = append(out, m)
		}
		return out, nil
	}
	incidents, err := list(servicecomms.MessageTypeIncident)
	if err != nil {
		return err
	}
	posts, err := list(servicecomms.MessageTypeMessageCenter)
	if err != nil {
		return err
	}
	open := map[string]bool{}
	for _, m := range incidents {
		if !m.IsResolved() {
			open[m.ID] = true
		}
	}

	fmt.Printf("Service health of %s\n\n", client.Tenant())
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKLOAD\tSTATUS\tOPEN INCIDENTS")
	for _, s := range statuses {
		var ids []string
		for _, id := range s.IncidentIDs {
			if open[id] {
				ids = append(ids, id)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", cmp.Or(s.WorkloadDisplayName, s.Workload), s.DisplayStatus(), orDash(strings.Join(ids, ", ")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	newestFirst := func(a, b *servicecomms.Message) int {
		return cmp.Or(b.LastUpdatedTime.Compare(a.LastUpdatedTime.Time), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(incidents, newestFirst)
	slices.SortFunc(posts, newestFirst)

	fmt.Printf("\nRecent incidents (%d of %d in the last 7 days, %d open)\n\n", min(recent, len(incidents)), len(incidents), len(open))
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWORKLOAD\tSTATUS\tUPDATED\tTITLE")
	for _, m := range incidents[:min(recent, len(incidents))] {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, orDash(m.WorkloadDisplayName), m.Status.DisplayName(),
			m.LastUpdatedTime.UTC().Format("Jan 02 15:04"), clip(m.TitleText(), 70))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Printf("\nMessage Center (%d of %d)\n\n", min(recent, len(posts)), len(posts))
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCATEGORY\tACT BY\tPUBLISHED\tTITLE")
	for _, m := range posts[:min(recent, len(posts))] {
		actBy := "-"
		if m.ActionRequiredByDate != nil && !m.ActionRequiredByDate.IsZero() {
			actBy = m.ActionRequiredByDate.UTC().Format("Jan 02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, orDash(m.Category), actBy,
			m.StartTime.UTC().Format("Jan 02 15:04"), clip(m.TitleText(), 70))
	}
	return tw.Flush()
}

func orDash(s string) string { return cmp.Or(s, "-") }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
