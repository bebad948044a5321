package servicecomms_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

// startFake starts the in-process fake tenant the examples run against. Its
// clock is fixed so that the output is reproducible; without
// WithTenantClock it follows the server's clock (real time).
func startFake() (*servicecomms.Client, *office365test.Tenant, func()) {
	srv := office365test.NewServer()
	tenant := office365test.NewTenant(office365test.WithTenantClock(func() time.Time {
		return time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	}))
	tenant.Register(srv)
	client, err := servicecomms.New("contoso.onmicrosoft.com", auth.StaticToken("fake-token"), office365.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	return client, tenant, srv.Close
}

// A client for a real tenant, with an app registration that has the
// ServiceHealth.Read permission of the Office 365 Management APIs.
func ExampleNew() {
	tenantID := os.Getenv("O365_TENANT_ID")
	cred, err := auth.NewClientSecretCredential(tenantID, os.Getenv("O365_CLIENT_ID"), os.Getenv("O365_CLIENT_SECRET"), nil)
	if err != nil {
		log.Fatal(err)
	}
	client, err := servicecomms.New(tenantID, cred)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Root())
}

func ExampleClient_CurrentStatus() {
	client, _, stop := startFake()
	defer stop()

	statuses, err := client.CurrentStatus(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range statuses {
		fmt.Printf("%-22s %-24s %v\n", s.WorkloadDisplayName, s.DisplayStatus(), s.IncidentIDs)
	}
	// Output:
	// Exchange Online        Investigation suspended  [EX214989 EX215864]
	// Microsoft Teams        Service restored         [TM215789 TM216011 TM216142]
	// SharePoint Online      Normal service           []
	// OneDrive for Business  Investigating            [OD215821 OD215982 OD216114 OD216210]
	// Skype for Business     Restoring service        [LY215918 LY216038]
	// Microsoft Forms        Service restored         [FO215752 FO215894 FO216052]
	// Planner                Service restored         [PL215939]
	// Microsoft Stream       Service restored         [ST215682 ST215926 ST216085]
	// Microsoft Intune       Service degradation      [IT215824 IT215853 IT216174]
	// Dynamics 365           Extended recovery        [CR215659]
	// Microsoft Bookings     Service restored         [BK215974]
	// Microsoft 365 suite    Service restored         [MO216126]
	// Yammer Enterprise      Normal service           []
	// Power BI               Service interruption     [PB216075]
}

func ExampleClient_Messages() {
	client, _, stop := startFake()
	defer stop()

	// Every message of the last seven days (the client pages through them
	// 100 at a time), counted by type.
	count := map[servicecomms.MessageType]int{}
	for m, err := range client.Messages(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		count[m.MessageType]++
	}
	fmt.Println(count)

	// Message Center posts about Exchange, newest first.
	opts := &servicecomms.MessageOptions{Workload: "Exchange", MessageType: servicecomms.MessageTypeMessageCenter}
	for m, err := range client.Messages(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %-21s %s\n", m.ID, m.Category, m.TitleText())
	}
	// Output:
	// map[Incident:136 MessageCenter:33 PlannedMaintenance:7]
	// MC218692 Stay Informed         New feature: Exchange Online: new retention policy settings
}

func ExampleClient_Message() {
	client, _, stop := startFake()
	defer stop()
	ctx := context.Background()

	// Find the first open incident, then read it again by id.
	var id string
	for m, err := range client.Messages(ctx, &servicecomms.MessageOptions{MessageType: servicecomms.MessageTypeIncident}) {
		if err != nil {
			log.Fatal(err)
		}
		if !m.IsResolved() {
			id = m.ID
			break
		}
	}
	m, err := client.Message(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.ID, m.WorkloadDisplayName, "-", m.Status)
	fmt.Println(m.TitleText())
	fmt.Println(len(m.Messages), "updates")

	_, err = client.Message(ctx, "EX000000")
	fmt.Println(office365.IsNotFound(err))
	// Output:
	// OD216210 OneDrive for Business - Investigating
	// Users may not receive notifications from OneDrive for Business
	// 1 updates
	// true
}

func ExampleWatcher_Poll() {
	client, tenant, stop := startFake()
	defer stop()
	ctx := context.Background()

	w, err := servicecomms.NewWatcher(client, &servicecomms.WatchOptions{Baseline: true})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := w.Poll(ctx); err != nil { // records what exists now
		log.Fatal(err)
	}
	tenant.Advance(time.Hour) // the fake tenant lives an hour
	events, err := w.Poll(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, ev := range events {
		switch ev.Kind {
		case servicecomms.EventWorkloadStatusChanged:
			fmt.Printf("%-21s %s: %s -> %s\n", ev.Kind, ev.Workload.Workload, ev.Previous, ev.Workload.Status)
		case servicecomms.EventMessageCenterPosted, servicecomms.EventMessageCenterUpdated:
			fmt.Printf("%-21s %s: %s\n", ev.Kind, ev.Message.ID, ev.Message.TitleText())
		default:
			fmt.Printf("%-21s %s: %s\n", ev.Kind, ev.Message.ID, ev.Message.Status.DisplayName())
		}
	}
	// Output:
	// WorkloadStatusChanged Exchange: InvestigationSuspended -> ServiceInterruption
	// WorkloadStatusChanged Intune: ServiceDegradation -> ServiceRestored
	// MessageCenterPosted   MC218984: Plan for change: Microsoft Bookings: new retention policy settings
	// IncidentUpdated       PB216075: Service interruption
	// IncidentUpdated       EX214989: Investigation suspended
	// IncidentUpdated       LY216038: Restoring service
	// IncidentResolved      OD216210: Service restored
	// IncidentUpdated       CR215659: Extended recovery
	// IncidentOpened        EX216224: Service interruption
	// IncidentResolved      IT216174: Service restored
	// IncidentOpened        OD216238: Investigating
}

// A long-running watcher that saves its state after every event, so that a
// restart announces only what changed in between.
func ExampleWatcher_Events() {
	client, _, stop := startFake()
	defer stop()

	var state servicecomms.WatchState
	if b, err := os.ReadFile("watch-state.json"); err == nil {
		if err := json.Unmarshal(b, &state); err != nil {
			log.Fatal(err)
		}
	}
	w, err := servicecomms.NewWatcher(client, &servicecomms.WatchOptions{Interval: time.Minute, State: &state, Baseline: true})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	for ev, err := range w.Events(ctx) {
		if errors.Is(err, context.DeadlineExceeded) {
			break // the hour is over
		}
		if err != nil {
			log.Println(err) // a failed poll; the watcher backs off and goes on
			continue
		}
		fmt.Println(ev.Kind, ev.Message.ID)
		b, err := json.Marshal(w.State())
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile("watch-state.json", b, 0o600); err != nil {
			log.Fatal(err)
		}
	}
}

// The same client served by Microsoft Graph: add office365.WithGraph. The
// app registration needs the Microsoft Graph application permissions
// ServiceHealth.Read.All and ServiceMessage.Read.All.
func ExampleNew_graph() {
	tenantID := os.Getenv("O365_TENANT_ID")
	cred, err := auth.NewClientSecretCredential(tenantID, os.Getenv("O365_CLIENT_ID"), os.Getenv("O365_CLIENT_SECRET"), nil)
	if err != nil {
		log.Fatal(err)
	}
	client, err := servicecomms.New(tenantID, cred, office365.WithGraph())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Root(), client.Scopes())
}

// An incident read through Microsoft Graph from the fake tenant: the typed
// fields of the retired API, plus what Graph adds.
func ExampleClient_Message_graph() {
	srv := office365test.NewServer()
	defer srv.Close()
	tenant := office365test.NewTenant(office365test.WithTenantClock(func() time.Time {
		return time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	}))
	tenant.Register(srv)
	client, err := servicecomms.New("contoso.onmicrosoft.com", auth.StaticToken("fake-token"),
		office365.WithBaseURL(srv.URL()), office365.WithGraph())
	if err != nil {
		log.Fatal(err)
	}

	m, err := client.Message(context.Background(), "IT216174")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.ID, m.Workload, m.Status, "/", m.GraphStatus, "/ resolved:", m.IsResolved())
	fmt.Println(m.FeatureGroup, "/", m.Origin, "/", len(m.Messages), "posts in", m.Latest().ContentType)
	text, _, _ := strings.Cut(m.Latest().Text(), "\n")
	fmt.Println(text)
	// Output:
	// IT216174 Intune Service degradation / serviceDegradation / resolved: false
	// Policy deployment / microsoft / 2 posts in html
	// Title: Users may see errors when attempting to use policy deployment
}
