package office365test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// This file holds the fake tenant's data: a catalog of workloads and a
// deterministic generator of incidents, planned maintenance and Message
// Center posts. Every message is a timeline (updates at absolute times); what
// the API returns at a moment T is the projection of those timelines on T,
// so the tenant evolves by itself as its clock moves.

type scWorkload struct {
	ID       string
	Name     string
	Prefix   string
	Features []scFeature
}

type scFeature struct {
	Name    string
	Display string
}

// scCatalog lists the fake tenant's workloads (ids keep the live service's
// mixed casing).
var scCatalog = []scWorkload{
	{"Exchange", "Exchange Online", "EX", []scFeature{
		{"signin", "Sign-in"}, {"access", "E-Mail and calendar access"}, {"delivery", "E-Mail timely delivery"},
		{"provisioning", "Management and Provisioning"}, {"voicemail", "Voice mail"}}},
	{"microsoftteams", "Microsoft Teams", "TM", []scFeature{
		{"teamscomponent", "Teams Components"}, {"meetings", "Meetings"}, {"chat", "Chat"},
		{"calling", "Calling"}, {"mobile", "Mobile"}}},
	{"SharePoint", "SharePoint Online", "SP", []scFeature{
		{"provisioning", "Provisioning"}, {"spofeatures", "SharePoint Features"}, {"tenantadmin", "Tenant Admin"},
		{"search", "Search and Delve"}, {"customsolutionsworkflows", "Custom Solutions and Workflows"},
		{"projectonline", "Project Online"}, {"officewebapps", "Office Web Apps"}}},
	{"OneDriveForBusiness", "OneDrive for Business", "OD", []scFeature{
		{"onedrivefeatures", "OneDrive for Business Features"}, {"sync", "Sync"}, {"sharing", "Sharing"}}},
	{"Lync", "Skype for Business", "LY", []scFeature{
		{"audiovideo", "Audio and Video"}, {"federation", "Federation"}, {"signin", "Sign-In"},
		{"dialinconferencing", "Dial-In Conferencing"}, {"instantmessaging", "Instant Messaging"}}},
	{"Forms", "Microsoft Forms", "FO", []scFeature{
		{"service", "Service"}, {"functionality", "Form functionality"}, {"integration", "Integration"}}},
	{"Planner", "Planner", "PL", []scFeature{{"Planner", "Planner"}}},
	{"Stream", "Microsoft Stream", "ST", []scFeature{
		{"Playback", "Playback"}, {"Live Events", "Live Events"}, {"Stream website", "Stream website"}}},
	{"Intune", "Microsoft Intune", "IT", []scFeature{
		{"enrollment", "Device enrollment"}, {"policy", "Policy deployment"}, {"console", "Admin console"}}},
	{"DynamicsCRM", "Dynamics 365", "CR", []scFeature{
		{"signin", "Sign In"}, {"admin", "Sign up and administration"}, {"orgaccess", "Organization access"},
		{"orgperf", "Organization performance"}, {"crmcomponents", "Components/Features"}}},
	{"Bookings", "Microsoft Bookings", "BK", []scFeature{{"MicrosoftBookings", "Microsoft Bookings"}}},
	{"OSDPPlatform", "Microsoft 365 suite", "MO", []scFeature{
		{"portal", "Portal"}, {"admincenter", "Microsoft 365 admin center"}, {"identity", "Identity Service"}}},
	{"yammer", "Yammer Enterprise", "YA", []scFeature{{"yammercomponents", "Yammer Components"}, {"yammermobile", "Mobile"}}},
	{"PowerBIcom", "Power BI", "PB", []scFeature{{"reports", "Reports and dashboards"}, {"refresh", "Data refresh"}}},
}

func scFindWorkload(id string) *scWorkload {
	for i := range scCatalog {
		if strings.EqualFold(scCatalog[i].ID, id) {
			return &scCatalog[i]
		}
	}
	return nil
}

func (w *scWorkload) feature(name string) *scFeature {
	for i := range w.Features {
		if strings.EqualFold(w.Features[i].Name, name) {
			return &w.Features[i]
		}
	}
	return nil
}

// Status enum names and their display strings.
var scStatusDisplay = map[string]string{
	"ServiceOperational":          "Normal service",
	"Investigating":               "Investigating",
	"ServiceDegradation":          "Service degradation",
	"ServiceInterruption":         "Service interruption",
	"RestoringService":            "Restoring service",
	"ExtendedRecovery":            "Extended recovery",
	"InvestigationSuspended":      "Investigation suspended",
	"ServiceRestored":             "Service restored",
	"FalsePositive":               "False positive",
	"PostIncidentReportPublished": "Post-incident report published",
	"InformationAvailable":        "Information available",
}

// scStatusRank orders statuses by how bad they are, for the status of a
// workload with several incidents.
var scStatusRank = map[string]int{
	"ServiceInterruption": 10, "ServiceDegradation": 9, "RestoringService": 8, "ExtendedRecovery": 7,
	"Investigating": 6, "InvestigationSuspended": 5, "InformationAvailable": 4, "ServiceRestored": 3,
	"PostIncidentReportPublished": 2, "FalsePositive": 1, "ServiceOperational": 0,
}

func scResolved(status string) bool {
	switch status {
	case "ServiceRestored", "FalsePositive", "PostIncidentReportPublished":
		return true
	}
	return false
}

// scMessage is one message's whole timeline.
type scMessage struct {
	id         string
	typ        string // Incident, PlannedMaintenance or MessageCenter
	workload   string // workload id; "" for Message Center posts without one
	feature    string
	title      string
	class      string
	severity   string
	impact     string
	userImpact string
	start      time.Time
	end        time.Time // incidents: end of impact (shown once resolved); others: scheduled end / expiry
	updates    []scUpdate
	actionType string
	details    [][2]string
	tenants    int
	users      int // < 0: null
	affected   []string
	pirURL     string
	post       *scPost
}

type scUpdate struct {
	at      time.Time // published
	updated time.Time // LastUpdatedTime while this is the latest update
	status  string    // enum name; "" for Message Center posts
	text    string
}

type scPost struct {
	category, appliesTo, blog, external, help, featureName, flight, milestone, preview string
	actionRequiredBy, milestoneDate                                                    time.Time
	announcementID                                                                     int
	major                                                                              bool
	tags                                                                               []string
}

// visibleUpdates returns the updates published at or before t.
func (m *scMessage) visibleUpdates(t time.Time) []scUpdate {
	n := 0
	for n < len(m.updates) && !m.updates[n].at.After(t) {
		n++
	}
	return m.updates[:n]
}

func (m *scMessage) visible(t time.Time) bool {
	return len(m.updates) > 0 && !m.updates[0].at.After(t)
}

// statusAt returns the enum status at t ("" before the first update and for
// Message Center posts).
func (m *scMessage) statusAt(t time.Time) string {
	u := m.visibleUpdates(t)
	if len(u) == 0 {
		return ""
	}
	return u[len(u)-1].status
}

// resolvedAt returns when the message was first resolved, if it is by t.
func (m *scMessage) resolvedAt(t time.Time) (time.Time, string, bool) {
	for _, u := range m.visibleUpdates(t) {
		if scResolved(u.status) {
			return u.at, u.status, true
		}
	}
	return time.Time{}, "", false
}

// endAt returns the EndTime shown at t.
func (m *scMessage) endAt(t time.Time) (time.Time, bool) {
	if m.typ == "Incident" {
		at, _, ok := m.resolvedAt(t)
		if !ok {
			return time.Time{}, false
		}
		if m.end.IsZero() || m.end.After(at) {
			return at, true
		}
		return m.end, true
	}
	return m.end, !m.end.IsZero()
}

func (m *scMessage) titleAt(t time.Time) string {
	if m.post != nil && len(m.visibleUpdates(t)) > 1 {
		return "(Updated) " + m.title
	}
	return m.title
}

// scData is a tenant's generated timeline.
type scData struct {
	messages []*scMessage
	byID     map[string]*scMessage
}

func (d *scData) add(m *scMessage) {
	d.messages = append(d.messages, m)
	d.byID[strings.ToLower(m.id)] = m
}

// scGen generates a deterministic timeline around epoch.
type scGen struct {
	r     *rand.Rand
	epoch time.Time
	data  *scData
}

func scGenerate(seed uint64, epoch time.Time, withMessages bool) *scData {
	g := &scGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), epoch: epoch,
		data: &scData{byID: map[string]*scMessage{}}}
	if withMessages {
		g.generate()
	}
	return g.data
}

func (g *scGen) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(g.r.Int64N(int64(hi-lo)))
}

func (g *scGen) pick(options []string) string { return options[g.r.IntN(len(options))] }

func (g *scGen) chance(p float64) bool { return g.r.Float64() < p }

// ms returns t moved by a random number of milliseconds (live timestamps
// carry them).
func (g *scGen) ms(t time.Time) time.Time {
	return t.Add(time.Duration(1+g.r.IntN(998)) * time.Millisecond)
}

type scPlanned struct {
	start  time.Time
	wl     *scWorkload
	anchor []string        // forced statuses for an incident open at the epoch
	open   []time.Duration // relative times of the forced statuses
	future []time.Duration // updates after the epoch (anchors)
	fix    time.Duration   // anchors: resolution relative to the epoch (0: stays open)
}

func (g *scGen) generate() {
	var plans []scPlanned
	wl := func() *scWorkload { return &scCatalog[g.r.IntN(len(scCatalog))] }
	// Past incidents spread over the last nine days.
	for range 170 {
		plans = append(plans, scPlanned{start: g.epoch.Add(-g.between(20*time.Minute, 9*24*time.Hour)), wl: wl()})
	}
	// Incidents open at the epoch, one per interesting status, resolving
	// soon after it.
	anchors := []struct {
		ago    time.Duration
		status []string
		fix    time.Duration
	}{
		{25 * time.Minute, []string{"Investigating"}, 35 * time.Minute},
		{2 * time.Hour, []string{"Investigating", "ServiceDegradation"}, 55 * time.Minute},
		{5 * time.Hour, []string{"Investigating", "ServiceInterruption"}, 80 * time.Minute},
		{9 * time.Hour, []string{"Investigating", "ServiceDegradation", "RestoringService"}, 2 * time.Hour},
		{30 * time.Hour, []string{"ServiceDegradation", "RestoringService", "ExtendedRecovery"}, 26 * time.Hour},
		{3 * 24 * time.Hour, []string{"Investigating", "InvestigationSuspended"}, 0},
	}
	for i, a := range anchors {
		p := scPlanned{start: g.epoch.Add(-a.ago), wl: &scCatalog[(i*5+3)%len(scCatalog)], anchor: a.status, fix: a.fix}
		step := a.ago / time.Duration(len(a.status)+1)
		for j := range a.status {
			p.open = append(p.open, -a.ago+time.Duration(j)*step+g.between(2*time.Minute, 10*time.Minute))
		}
		for t := 7 * time.Minute; a.fix == 0 || t < a.fix; t += g.between(25*time.Minute, 45*time.Minute) {
			if a.fix == 0 && t > 30*time.Hour {
				break
			}
			p.future = append(p.future, t)
		}
		plans = append(plans, p)
	}
	// Incidents starting after the epoch, for three days.
	for t := 6 * time.Minute; t < 72*time.Hour; t += g.between(15*time.Minute, 45*time.Minute) {
		plans = append(plans, scPlanned{start: g.epoch.Add(t), wl: wl()})
	}
	slices.SortStableFunc(plans, func(a, b scPlanned) int { return a.start.Compare(b.start) })
	next := 212000 + g.r.IntN(900)
	for _, p := range plans {
		next += 1 + g.r.IntN(37)
		id := fmt.Sprintf("%s%d", p.wl.Prefix, next)
		if p.anchor != nil {
			g.data.add(g.anchorIncident(id, p))
		} else {
			g.data.add(g.incident(id, p.wl, p.start))
		}
	}

	// Planned maintenance.
	for range 8 {
		w := wl()
		next += 1 + g.r.IntN(37)
		g.data.add(g.maintenance(fmt.Sprintf("%s%d", w.Prefix, next), w,
			g.epoch.Add(g.between(-8*24*time.Hour, 3*24*time.Hour)).Truncate(time.Hour)))
	}

	// Message Center posts: the last twelve days, then three days ahead.
	var posts []time.Time
	for range 50 {
		posts = append(posts, g.epoch.Add(-g.between(15*time.Minute, 12*24*time.Hour)))
	}
	for t := 12 * time.Minute; t < 72*time.Hour; t += g.between(40*time.Minute, 150*time.Minute) {
		posts = append(posts, g.epoch.Add(t))
	}
	slices.SortFunc(posts, func(a, b time.Time) int { return a.Compare(b) })
	mc := 218000 + g.r.IntN(900)
	var past []*scMessage
	for _, at := range posts {
		mc += 1 + g.r.IntN(23)
		m := g.post(fmt.Sprintf("MC%d", mc), at)
		g.data.add(m)
		if at.Before(g.epoch) {
			past = append(past, m)
		}
	}
	// Some earlier posts get updated after the epoch.
	for i := range 12 {
		m := past[(i*7+3)%len(past)]
		if len(m.updates) > 1 {
			continue
		}
		at := g.ms(g.epoch.Add(g.between(20*time.Minute, 48*time.Hour)))
		m.updates = append(m.updates, scUpdate{at: at, updated: g.ms(at), text: g.postText(m, true)})
	}
}

// incident builds a normal incident lifecycle starting at start.
func (g *scGen) incident(id string, w *scWorkload, start time.Time) *scMessage {
	m := g.newIncident(id, w, start.Truncate(time.Second))
	at := g.ms(m.start.Add(g.between(2*time.Minute, 20*time.Minute)))
	statuses := []string{"Investigating"}
	if g.chance(0.1) {
		statuses = append(statuses, "FalsePositive")
	} else {
		mid := g.pick([]string{"ServiceDegradation", "ServiceDegradation", "ServiceInterruption"})
		for range 1 + g.r.IntN(3) {
			statuses = append(statuses, mid)
		}
		statuses = append(statuses, "RestoringService")
		if g.chance(0.2) {
			statuses = append(statuses, "ExtendedRecovery", "ExtendedRecovery")
		}
		statuses = append(statuses, "ServiceRestored")
	}
	for i, s := range statuses {
		if i > 0 {
			at = g.ms(at.Add(g.between(20*time.Minute, 70*time.Minute)).Truncate(time.Second))
		}
		m.updates = append(m.updates, scUpdate{at: at, updated: g.ms(at), status: s})
	}
	last := m.updates[len(m.updates)-1].at
	m.end = last.Add(-g.between(5*time.Minute, 30*time.Minute)).Truncate(time.Minute)
	if m.severity == "Sev1" && !scResolved(statuses[0]) && statuses[len(statuses)-1] == "ServiceRestored" {
		pir := g.ms(last.Add(g.between(48*time.Hour, 96*time.Hour)))
		m.updates = append(m.updates, scUpdate{at: pir, updated: g.ms(pir), status: "PostIncidentReportPublished"})
	}
	g.writeTexts(m)
	return m
}

// anchorIncident builds an incident whose status at the epoch is forced.
func (g *scGen) anchorIncident(id string, p scPlanned) *scMessage {
	m := g.newIncident(id, p.wl, p.start.Truncate(time.Second))
	for i, s := range p.anchor {
		at := g.ms(g.epoch.Add(p.open[i]).Truncate(time.Second))
		m.updates = append(m.updates, scUpdate{at: at, updated: g.ms(at), status: s})
	}
	cur := p.anchor[len(p.anchor)-1]
	for _, d := range p.future {
		at := g.ms(g.epoch.Add(d).Truncate(time.Second))
		s := cur
		if cur == "Investigating" {
			s = "ServiceDegradation"
		}
		m.updates = append(m.updates, scUpdate{at: at, updated: g.ms(at), status: s})
	}
	if p.fix > 0 {
		at := g.ms(g.epoch.Add(p.fix).Truncate(time.Second))
		m.updates = append(m.updates, scUpdate{at: at, updated: g.ms(at), status: "ServiceRestored"})
		m.end = at.Add(-10 * time.Minute).Truncate(time.Minute)
	}
	g.writeTexts(m)
	return m
}

func (g *scGen) newIncident(id string, w *scWorkload, start time.Time) *scMessage {
	f := w.Features[g.r.IntN(len(w.Features))]
	m := &scMessage{
		id: id, typ: "Incident", workload: w.ID, feature: f.Name, start: start,
		class:    g.pick([]string{"Incident", "Advisory", "Advisory"}),
		severity: g.pick([]string{"Sev1", "Sev2", "Sev2", "Sev2", "Sev3"}),
		details:  [][2]string{{"NotifyInApp", g.pick([]string{"True", "False"})}},
		tenants:  g.r.IntN(4000),
		users:    -1,
	}
	if g.chance(0.3) {
		m.users = 1 + g.r.IntN(500)
	}
	if g.chance(0.15) {
		other := &scCatalog[g.r.IntN(len(scCatalog))]
		if other.ID != w.ID {
			m.affected = []string{other.ID}
		}
	}
	subject := strings.ToLower(f.Display)
	m.title = strings.NewReplacer("{feature}", subject, "{workload}", w.Name).Replace(g.pick(scIncidentTitles))
	m.impact = strings.NewReplacer("{feature}", subject, "{workload}", w.Name).Replace(g.pick(scImpacts))
	if g.chance(0.2) {
		m.userImpact = "Users may need to retry the operation."
	}
	return m
}

func (g *scGen) maintenance(id string, w *scWorkload, start time.Time) *scMessage {
	f := w.Features[g.r.IntN(len(w.Features))]
	m := &scMessage{
		id: id, typ: "PlannedMaintenance", workload: w.ID, feature: f.Name, start: start,
		end: start.Add(g.between(2*time.Hour, 6*time.Hour)).Truncate(time.Minute), class: "Advisory", severity: "Sev3",
		title:  fmt.Sprintf("Planned maintenance for %s", w.Name),
		impact: fmt.Sprintf("Users may experience brief interruptions to %s during the maintenance window.", strings.ToLower(f.Display)),
		users:  -1, details: [][2]string{{"NotifyInApp", "False"}},
	}
	ann := g.ms(start.Add(-g.between(24*time.Hour, 72*time.Hour)))
	done := g.ms(m.end.Add(10 * time.Minute))
	m.updates = []scUpdate{
		{at: ann, updated: g.ms(ann), status: "InformationAvailable",
			text: fmt.Sprintf("Title: %s\n\nUser Impact: %s\n\nMaintenance window: %s to %s\n\nWe'll provide an update when the maintenance is complete.",
				m.title, m.impact, scLongTime(m.start), scLongTime(m.end))},
		{at: done, updated: g.ms(done), status: "ServiceRestored",
			text: fmt.Sprintf("Title: %s\n\nFinal status: The planned maintenance completed as scheduled.", m.title)},
	}
	return m
}

func (g *scGen) post(id string, at time.Time) *scMessage {
	at = g.ms(at.Truncate(time.Second))
	var w *scWorkload
	if !g.chance(0.15) {
		w = &scCatalog[g.r.IntN(len(scCatalog))]
	}
	topic := g.pick(scPostTopics)
	kind := g.r.IntN(3)
	m := &scMessage{
		id: id, typ: "MessageCenter", start: at.Truncate(time.Second), class: "Advisory",
		end:      at.Add(g.between(30*24*time.Hour, 120*24*time.Hour)).Truncate(24 * time.Hour),
		severity: g.pick([]string{"Normal", "Normal", "Normal", "High"}),
		users:    -1,
		post: &scPost{
			category:       []string{"Stay Informed", "Plan For Change", "Prevent Or Fix Issues"}[kind],
			announcementID: g.r.IntN(3) * (40000 + g.r.IntN(20000)),
			major:          g.chance(0.25),
			external:       "https://go.microsoft.com/fwlink/?linkid=" + fmt.Sprint(2000000+g.r.IntN(99999)),
		},
	}
	if w != nil {
		m.workload = w.ID
		topic = w.Name + ": " + topic
		if g.chance(0.3) {
			m.affected = []string{w.ID}
		}
	}
	switch kind {
	case 0:
		m.title = "New feature: " + topic
		m.post.tags = []string{"New feature", "User impact"}
	case 1:
		m.title = "Plan for change: " + topic
		m.post.tags = []string{"Feature update", "Admin impact"}
		m.actionType = "Action"
		m.post.actionRequiredBy = at.Add(g.between(20*24*time.Hour, 60*24*time.Hour)).Truncate(24 * time.Hour)
	default:
		m.title = "Action recommended: " + topic
		m.post.tags = []string{"Admin impact"}
		m.actionType = "Action"
	}
	if m.post.major {
		m.post.tags = append(m.post.tags, "Major update")
	}
	if g.chance(0.3) {
		m.post.milestone = g.pick([]string{"Targeted release", "Standard release", "General availability"})
		m.post.milestoneDate = at.Add(g.between(7*24*time.Hour, 45*24*time.Hour)).Truncate(24 * time.Hour)
	}
	if g.chance(0.2) {
		m.post.blog = "https://techcommunity.microsoft.com/t5/microsoft-365-blog/" + strings.ToLower(strings.ReplaceAll(topic, " ", "-"))
	}
	m.post.help = "https://learn.microsoft.com/microsoft-365/admin/manage/message-center"
	m.updates = []scUpdate{{at: at, updated: g.ms(at), text: g.postText(m, false)}}
	return m
}

func (g *scGen) postText(m *scMessage, updated bool) string {
	var b strings.Builder
	if updated {
		b.WriteString("Updated: We have updated the rollout timeline below. Thank you for your patience.\n\n")
	}
	fmt.Fprintf(&b, "%s\n\nWhen this will happen:\n\nWe will begin rolling this out in early %s and expect to complete the rollout by late %s.\n\n",
		g.pick(scPostIntros), m.start.Add(7*24*time.Hour).Format("January 2006"),
		m.start.Add(40*24*time.Hour).Format("January 2006"))
	fmt.Fprintf(&b, "How this will affect your organization:\n\n%s\n\nWhat you need to do to prepare:\n\n%s",
		g.pick(scPostEffects), g.pick(scPostPrepare))
	return b.String()
}

// writeTexts fills in the update texts of an incident once its timeline is
// fixed.
func (g *scGen) writeTexts(m *scMessage) {
	cause := g.pick(scRootCauses)
	for i := range m.updates {
		u := &m.updates[i]
		var b strings.Builder
		fmt.Fprintf(&b, "Title: %s\n\nUser Impact: %s\n\n", m.title, m.impact)
		switch {
		case u.status == "PostIncidentReportPublished":
			b.WriteString("Final status: A post-incident report has been published.")
			m.pirURL = "https://admin.microsoft.com/AdminPortal/home#/servicehealth/:/postincidentreports/" + m.id
		case scResolved(u.status):
			fmt.Fprintf(&b, "Final status: %s\n\nScope of impact: %s\n\n", scFinal[u.status], g.pick(scScopes))
			if end, ok := m.endAt(u.at); ok {
				fmt.Fprintf(&b, "Start time: %s\n\nEnd time: %s\n\n", scLongTime(m.start), scLongTime(end))
			}
			if u.status == "ServiceRestored" {
				fmt.Fprintf(&b, "Root cause: %s\n\nNext steps:\n- We're reviewing our change management procedures to help prevent similar impact in the future.\n\n", cause)
			}
			b.WriteString("This is the final update for the event.")
		default:
			fmt.Fprintf(&b, "Current status: %s\n\nScope of impact: %s\n\nNext update by: %s",
				g.pick(scProgress[u.status]), g.pick(scScopes), scLongTime(u.at.Add(time.Hour).Truncate(30*time.Minute)))
		}
		u.text = b.String()
	}
}

func scLongTime(t time.Time) string {
	return t.UTC().Format("Monday, January 2, 2006, at 3:04 PM UTC")
}

var scIncidentTitles = []string{
	"Users may be unable to access {feature} in {workload}",
	"Some users may experience delays when using {feature}",
	"Users may see errors when attempting to use {feature}",
	"Admins may be unable to manage {feature} settings",
	"Users may intermittently be unable to sign in to {workload}",
	"{workload} {feature} may be slow or unresponsive for some users",
	"Users may not receive notifications from {workload}",
	"Users may be unable to load {feature} through the desktop client",
}

var scImpacts = []string{
	"Users may be unable to access {feature}.",
	"Users may experience delays or failures when using {feature}.",
	"Admins may be unable to view or change {feature} settings in {workload}.",
	"Users may see an error when they open {feature}.",
}

var scScopes = []string{
	"This issue could potentially affect any of your users attempting to use the affected feature.",
	"Impact is specific to a subset of users who are served through the affected infrastructure.",
	"Your organization is affected by this event, and some users are affected.",
}

var scProgress = map[string][]string{
	"Investigating": {
		"We're investigating a potential issue and checking for impact to your organization. We'll provide an update within 30 minutes.",
		"We're reviewing service monitoring telemetry to isolate the source of the issue.",
	},
	"ServiceDegradation": {
		"We've identified a recent configuration change that may be contributing to impact and are reviewing options to remediate it.",
		"We're analyzing network trace logs to determine our next troubleshooting steps.",
	},
	"ServiceInterruption": {
		"We've confirmed that a portion of infrastructure is unable to process requests and we're rerouting traffic to healthy infrastructure.",
		"We're continuing to investigate the cause of the interruption and are restarting the affected components.",
	},
	"RestoringService": {
		"We've deployed a fix and are monitoring the environment to confirm that impact is remediated.",
		"We're restarting affected infrastructure to restore service availability.",
	},
	"ExtendedRecovery": {
		"The fix has been deployed to the majority of affected infrastructure; the remaining portion is taking longer than expected to complete.",
	},
	"InvestigationSuspended": {
		"We were unable to reproduce the issue and are suspending our investigation until we receive more information from affected users.",
	},
}

var scFinal = map[string]string{
	"ServiceRestored": "We've confirmed that the deployed fix has resolved impact.",
	"FalsePositive":   "After investigation, we determined that the service was not impacted; this alert was a false positive.",
}

var scRootCauses = []string{
	"A recent change to our service infrastructure caused a subset of requests to fail.",
	"A section of infrastructure was performing below acceptable thresholds, causing delays.",
	"A configuration problem in a recent update caused the feature to stop responding.",
	"An unexpected increase in traffic exhausted resources on a portion of the infrastructure.",
}

var scPostTopics = []string{
	"updated meeting recap experience", "retirement of legacy connectors", "new admin reports for usage",
	"changes to external sharing defaults", "sensitivity labels for files", "improved search results",
	"new retention policy settings", "mobile app sign-in improvements", "updated storage limits",
	"end of support for an older client version",
}

var scPostIntros = []string{
	"We're rolling out an update that improves this experience for your users.",
	"We're making a change to simplify how admins manage this setting.",
	"As part of our ongoing commitment to security, we're retiring an older capability.",
}

var scPostEffects = []string{
	"Users will see the new experience automatically; there are no admin controls for this change.",
	"Admins can manage this feature in the admin center. The default setting will be on.",
	"If your organization relies on the retiring capability, users will no longer be able to use it after the date above.",
}

var scPostPrepare = []string{
	"You may want to notify your users about this change and update your training and documentation as appropriate.",
	"No action is required. Review the setting if you want to change the default.",
	"Review your configuration before the date above and move to the replacement capability.",
}
