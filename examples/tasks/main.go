// Command tasks shows the Outlook Tasks API: it lists the task groups and
// folders, creates a folder with a one-off task and a weekly recurring
// task, lists them, completes both — the recurring one moves on to its next
// week and leaves a completed copy behind — and removes the folder again.
//
// It reads credentials from the environment:
//
//	O365_TENANT_ID      tenant id or domain (contoso.onmicrosoft.com)
//	O365_CLIENT_ID      application (client) id of an app registration with
//	                    the Office 365 Exchange Online permission
//	                    Tasks.ReadWrite (the Tasks API is documented with
//	                    delegated tokens; application tokens may be refused)
//	O365_CLIENT_SECRET  a client secret of that app
//	O365_MAILBOX        the mailbox to work in (UPN or SMTP address)
//	O365_CLOUD          optional: public (default), gcc, gcc-high, dod or china
//
// When none of the first four is set it starts the in-process fake from
// office365test and says so on stderr, so
//
//	go run ./examples/tasks
//
// works on a fresh clone without any account.
//
// With -graph (or O365_API=graph) the same calls are served by Microsoft Graph
// v1.0 (office365.WithGraph): the app then needs the Microsoft Graph
// permission Tasks.ReadWrite (To Do accepts delegated tokens only) instead,
// and the fake answers through its Graph front end: tasks live in Microsoft To
// Do lists, which have no groups.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/office365-go/office365/examples/internal/exampleenv"
	"github.com/office365-go/office365/outlook"
)

func main() {
	keep := flag.Bool("keep", false, "keep the task folder the example creates")
	timeout := flag.Duration("timeout", time.Minute, "give up after this long")
	graphFlag := exampleenv.GraphFlag()
	flag.Parse()
	graph, err := exampleenv.UseGraph(*graphFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tasks:", err)
		os.Exit(2)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	mb, closeFn, err := connect(graph)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tasks:", err)
		os.Exit(1)
	}
	defer closeFn()
	if err := run(ctx, mb, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "tasks:", err)
		closeFn()
		os.Exit(1)
	}
}

func run(ctx context.Context, mb *outlook.Mailbox, keep bool) error {
	zone, err := mb.Mail().Settings().TimeZone(ctx)
	if err != nil || zone == "" {
		zone = "UTC"
	}
	loc, err := outlook.LoadLocation(zone)
	if err != nil {
		zone, loc = "UTC", time.UTC
	}
	tasks := mb.WithPrefer(outlook.Prefer{TimeZone: zone}).Tasks()

	// 1. Groups and folders (Microsoft To Do, on Graph, has lists only).
	fmt.Printf("Task groups and folders of %s\n", mb.Name())
	for g, err := range tasks.Groups().List(ctx, nil) {
		if errors.Is(err, outlook.ErrNoTaskGroups) {
			fmt.Println("  (Microsoft To Do: lists, no groups)")
			if err := printFolders(ctx, tasks.Folders()); err != nil {
				return err
			}
			break
		}
		if err != nil {
			return fmt.Errorf("listing task groups: %w", err)
		}
		fmt.Printf("  %s\n", g.Name)
		if err := printFolders(ctx, tasks.Groups().Folders(g.ID)); err != nil {
			return err
		}
	}

	// 2. A folder with two tasks.
	folder, err := tasks.Folders().Create(ctx, "office365-go example "+time.Now().Format("15:04:05"))
	if err != nil {
		return fmt.Errorf("creating a task folder: %w", err)
	}
	if !keep {
		defer func() {
			if err := tasks.Folders().Delete(context.WithoutCancel(ctx), folder.ID); err == nil {
				fmt.Printf("\nDeleted folder %q (use -keep to keep it)\n", folder.Name)
			}
		}()
	}
	now := time.Now().In(loc)
	day := func(n int) *outlook.DateTimeTimeZone {
		d := outlook.DateTimeTimeZoneOf(time.Date(now.Year(), now.Month(), now.Day()+n, 0, 0, 0, 0, loc))
		return &d
	}
	inFolder := tasks.InFolder(folder.ID)
	report, err := inFolder.Create(ctx, &outlook.Task{
		Subject: "Send the quarterly report", DueDateTime: day(2), Importance: outlook.ImportanceHigh,
		Body: outlook.HTMLBody("<p>Numbers are in the shared workbook.</p>"),
	})
	if err != nil {
		return fmt.Errorf("creating a task: %w", err)
	}
	firstSaturday := int(time.Saturday-now.Weekday()+7) % 7
	plants, err := inFolder.Create(ctx, &outlook.Task{
		Subject: "Water the plants", StartDateTime: day(firstSaturday), DueDateTime: day(firstSaturday),
		Recurrence: outlook.NewRecurrence(outlook.WeeklyPattern(1, outlook.Saturday),
			outlook.NoEndRange(day(firstSaturday).DateTime[:10], zone)),
	})
	if err != nil {
		return fmt.Errorf("creating a recurring task: %w", err)
	}
	fmt.Printf("\nIn folder %q:\n", folder.Name)
	if err := printTasks(ctx, inFolder, loc); err != nil {
		return err
	}

	// 3. Complete both.
	for _, t := range []*outlook.Task{report, plants} {
		done, err := tasks.Complete(ctx, t.ID)
		if err != nil {
			return fmt.Errorf("completing %q: %w", t.Subject, err)
		}
		fmt.Printf("\nCompleted %q:\n", t.Subject)
		for _, d := range done {
			fmt.Printf("  %-10s due %s  %s\n", d.Status, due(&d, loc), d.ID[:min(len(d.ID), 16)]+"…")
		}
	}
	fmt.Printf("\nIn folder %q now:\n", folder.Name)
	return printTasks(ctx, inFolder, loc)
}

func due(t *outlook.Task, loc *time.Location) string {
	if t.DueDateTime == nil {
		return "—         "
	}
	d, err := t.DueDateTime.Time()
	if err != nil {
		return "?"
	}
	return d.In(loc).Format("Mon 02 Jan")
}

func printTasks(ctx context.Context, tasks *outlook.TasksService, loc *time.Location) error {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  STATUS\tDUE\tSUBJECT\tRECURS\t")
	for t, err := range tasks.List(ctx, &outlook.ListOptions{OrderBy: []string{"DueDateTime/DateTime"}}) {
		if err != nil {
			return fmt.Errorf("listing tasks: %w", err)
		}
		recurs := ""
		if t.Recurrence != nil && t.Recurrence.Pattern != nil {
			recurs = string(t.Recurrence.Pattern.Type)
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t\n", t.Status, due(t, loc), t.Subject, recurs)
	}
	return w.Flush()
}

// connect returns the mailbox to use: the real one described by the
// environment, or one in the in-process fake.
// printFolders prints the task folders of a group (or To Do's lists).
func printFolders(ctx context.Context, folders *outlook.TaskFoldersService) error {
	for f, err := range folders.List(ctx, nil) {
		if err != nil {
			return fmt.Errorf("listing task folders: %w", err)
		}
		def := ""
		if f.IsDefaultFolder != nil && *f.IsDefaultFolder {
			def = " (default)"
		}
		fmt.Printf("    %s%s\n", f.Name, def)
	}
	return nil
}

func connect(graph bool) (*outlook.Mailbox, func(), error) {
	env, err := exampleenv.Load("tasks", true, nil)
	if err != nil {
		return nil, nil, err
	}
	c, err := outlook.New(env.Credential, env.ClientOptions("tasks", graph)...)
	if err != nil {
		env.Close()
		return nil, nil, err
	}
	return c.User(env.Mailbox), env.Close, nil
}
