// Command messagecenter pages through every Message Center post of a
// Microsoft 365 tenant (or incidents, or planned maintenance) and prints
// them as a table, optionally filtered by workload.
//
//	go run ./examples/messagecenter -workload Exchange
//	go run ./examples/messagecenter -type Incident -since 240h
//	go run ./examples/messagecenter -type all -v
//
// Credentials come from the environment as for examples/servicehealth:
// O365_TENANT_ID, O365_CLIENT_ID, O365_CLIENT_SECRET (and optionally
// O365_CLOUD). Without them the in-process fake tenant is used, and the
// command says so on stderr. -graph (or O365_API=graph) reads Microsoft
// Graph instead of the retired API: the same table, from
// /admin/serviceAnnouncement (Graph has no planned-maintenance type).
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/servicecomms"
)

func main() {
	workload := flag.String("workload", "", "only messages of this workload id (Exchange, microsoftteams, SharePoint …)")
	typ := flag.String("type", "MessageCenter", "message type: MessageCenter, Incident, PlannedMaintenance, or all")
	since := flag.Duration("since", 0, "only messages that started this long ago or later (default: the service's 7 days)")
	major := flag.Bool("major", false, "only posts marked as major changes")
	verbose := flag.Bool("v", false, "print the text of each message")
	pageSize := flag.Int("page", servicecomms.MaxPageSize, "page size ($top, at most 100)")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()
	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "messagecenter:", err)
		os.Exit(2)
	}

	opts := &servicecomms.MessageOptions{Workload: *workload, PageSize: *pageSize}
	if !strings.EqualFold(*typ, "all") {
		opts.MessageType = servicecomms.MessageType(*typ)
	}
	if *since > 0 {
		opts.StartTime = time.Now().Add(-*since)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	client, env, err := exampleenv.ServiceCommsClient("messagecenter", graph)
	if err != nil {
		fmt.Fprintln(os.Stderr, "messagecenter:", err)
		os.Exit(1)
	}
	defer env.Close()

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTARTED\tWORKLOAD\tCATEGORY/STATUS\tSEVERITY\tACT BY\tTITLE")
	n, majors := 0, 0
	for m, err := range client.Messages(ctx, opts) {
		if err != nil {
			_ = tw.Flush()
			fmt.Fprintln(os.Stderr, "messagecenter:", err)
			env.Close()
			os.Exit(1)
		}
		if *major && !m.IsMajorChange {
			continue
		}
		n++
		if m.IsMajorChange {
			majors++
		}
		actBy := "-"
		if m.ActionRequiredByDate != nil && !m.ActionRequiredByDate.IsZero() {
			actBy = m.ActionRequiredByDate.UTC().Format("2006-01-02")
		}
		kind := m.Category
		if !m.IsMessageCenter() {
			kind = m.Status.DisplayName()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.StartTime.UTC().Format("2006-01-02 15:04"),
			cmp.Or(m.Workload, "-"), cmp.Or(kind, "-"), cmp.Or(string(m.Severity), "-"), actBy, m.TitleText())
		if *verbose {
			if l := m.Latest(); l != nil {
				for line := range strings.Lines(strings.TrimSpace(l.Text())) {
					fmt.Fprintf(tw, "\t\t\t\t\t\t  %s", line)
				}
				fmt.Fprintln(tw)
			}
			if len(m.MessageTagNames) > 0 {
				fmt.Fprintf(tw, "\t\t\t\t\t\t  tags: %s\n", strings.Join(m.MessageTagNames, ", "))
			}
		}
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "messagecenter:", err)
		env.Close()
		os.Exit(1)
	}
	fmt.Printf("\n%d messages (%d major changes)\n", n, majors)
}
