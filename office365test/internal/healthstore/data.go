package healthstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// This file holds the tenant's data: a catalog of workloads and a
// deterministic generator of incidents, planned maintenance and Message
// Center posts. Every message is a timeline (updates at absolute times); what
// the API returns at a moment T is the projection of those timelines on T,
// so the tenant evolves by itself as its clock moves.

// Workload is one service of the tenant with its features.
type Workload struct {
	ID       string    // workload id ("Exchange"), the key of both dialects
	Name     string    // display name ("Exchange Online"), Graph's service
	Prefix   string    // prefix of its incident ids ("EX")
	Features []Feature // its features (Graph: feature groups)
}

// Feature is one feature of a Workload.
type Feature struct {
	Name    string // id ("signin")
	Display string // display name ("Sign-in")
}

// Catalog lists the fake tenant's workloads (ids keep the live service's
// mixed casing).
var Catalog = []Workload{
	{"Exchange", "Exchange Online", "EX", []Feature{
		{"signin", "Sign-in"}, {"access", "E-Mail and calendar access"}, {"delivery", "E-Mail timely delivery"},
		{"provisioning", "Management and Provisioning"}, {"voicemail", "Voice mail"}}},
	{"microsoftteams", "Microsoft Teams", "TM", []Feature{
		{"teamscomponent", "Teams Components"}, {"meetings", "Meetings"}, {"chat", "Chat"},
		{"calling", "Calling"}, {"mobile", "Mobile"}}},
	{"SharePoint", "SharePoint Online", "SP", []Feature{
		{"provisioning", "Provisioning"}, {"spofeatures", "SharePoint Features"}, {"tenantadmin", "Tenant Admin"},
		{"search", "Search and Delve"}, {"customsolutionsworkflows", "Custom Solutions and Workflows"},
		{"projectonline", "Project Online"}, {"officewebapps", "Office Web Apps"}}},
	{"OneDriveForBusiness", "OneDrive for Business", "OD", []Feature{
		{"onedrivefeatures", "OneDrive for Business Features"}, {"sync", "Sync"}, {"sharing", "Sharing"}}},
	{"Lync", "Skype for Business", "LY", []Feature{
		{"audiovideo", "Audio and Video"}, {"federation", "Federation"}, {"signin", "Sign-In"},
		{"dialinconferencing", "Dial-In Conferencing"}, {"instantmessaging", "Instant Messaging"}}},
	{"Forms", "Microsoft Forms", "FO", []Feature{
		{"service", "Service"}, {"functionality", "Form functionality"}, {"integration", "Integration"}}},
	{"Planner", "Planner", "PL", []Feature{{"Planner", "Planner"}}},
	{"Stream", "Microsoft Stream", "ST", []Feature{
		{"Playback", "Playback"}, {"Live Events", "Live Events"}, {"Stream website", "Stream website"}}},
	{"Intune", "Microsoft Intune", "IT", []Feature{
		{"enrollment", "Device enrollment"}, {"policy", "Policy deployment"}, {"console", "Admin console"}}},
	{"DynamicsCRM", "Dynamics 365", "CR", []Feature{
		{"signin", "Sign In"}, {"admin", "Sign up and administration"}, {"orgaccess", "Organization access"},
		{"orgperf", "Organization performance"}, {"crmcomponents", "Components/Features"}}},
	{"Bookings", "Microsoft Bookings", "BK", []Feature{{"MicrosoftBookings", "Microsoft Bookings"}}},
	{"OSDPPlatform", "Microsoft 365 suite", "MO", []Feature{
		{"portal", "Portal"}, {"admincenter", "Microsoft 365 admin center"}, {"identity", "Identity Service"}}},
	{"yammer", "Yammer Enterprise", "YA", []Feature{{"yammercomponents", "Yammer Components"}, {"yammermobile", "Mobile"}}},
	{"PowerBIcom", "Power BI", "PB", []Feature{{"reports", "Reports and dashboards"}, {"refresh", "Data refresh"}}},
}

// FindWorkload returns the workload with the id (compared
// case-insensitively), or nil.
func FindWorkload(id string) *Workload {
	for i := range Catalog {
		if strings.EqualFold(Catalog[i].ID, id) {
			return &Catalog[i]
		}
	}
	return nil
}

// Feature returns the feature with the name (compared case-insensitively),
// or nil.
func (w *Workload) Feature(name string) *Feature {
	for i := range w.Features {
		if strings.EqualFold(w.Features[i].Name, name) {
			return &w.Features[i]
		}
	}
	return nil
}

// StatusDisplay maps the status names the store uses (the retired API's
// enum names) to their display strings.
var StatusDisplay = map[string]string{
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

// StatusRank orders statuses by how bad they are, for the status of a
// workload with several incidents.
var StatusRank = map[string]int{
	"ServiceInterruption": 10, "ServiceDegradation": 9, "RestoringService": 8, "ExtendedRecovery": 7,
	"Investigating": 6, "InvestigationSuspended": 5, "InformationAvailable": 4, "ServiceRestored": 3,
	"PostIncidentReportPublished": 2, "FalsePositive": 1, "ServiceOperational": 0,
}

// Resolved reports whether status ends an incident.
func Resolved(status string) bool {
	switch status {
	case "ServiceRestored", "FalsePositive", "PostIncidentReportPublished":
		return true
	}
	return false
}

// Message is one message's whole timeline: what a front end shows at a
// moment T is its projection on T (VisibleUpdates, StatusAt, EndAt …).
// Messages are never modified once added to a Store, so snapshots may share
// them.
type Message struct {
	ID         string
	Type       string // Incident, PlannedMaintenance or MessageCenter
	Workload   string // workload id; "" for Message Center posts without one
	Feature    string // feature name of the workload
	Title      string
	Class      string // Incident or Advisory
	Severity   string // Sev0…Sev3; Normal, High, Critical for posts
	Impact     string
	UserImpact string
	Start      time.Time
	End        time.Time // incidents: end of impact (shown once resolved); others: scheduled end / expiry
	Updates    []Update
	ActionType string
	Details    [][2]string // name/value pairs
	Tenants    int
	Users      int // < 0: unknown
	Affected   []string
	PIRURL     string
	Post       *Post // Message Center posts only
}

// Update is one published update of a Message.
type Update struct {
	At      time.Time // published
	Updated time.Time // last modified while this is the latest update
	Status  string    // status name (see StatusDisplay); "" for Message Center posts
	Text    string    // plain text with blank lines between paragraphs
}

// Post holds what only Message Center posts have.
type Post struct {
	Category, AppliesTo, Blog, External, Help, FeatureName, Flight, Milestone, Preview string
	ActionRequiredBy, MilestoneDate                                                    time.Time
	AnnouncementID                                                                     int
	Major                                                                              bool
	Tags                                                                               []string
}

// VisibleUpdates returns the updates published at or before t.
func (m *Message) VisibleUpdates(t time.Time) []Update {
	n := 0
	for n < len(m.Updates) && !m.Updates[n].At.After(t) {
		n++
	}
	return m.Updates[:n]
}

// Visible reports whether the message has been published by t.
func (m *Message) Visible(t time.Time) bool {
	return len(m.Updates) > 0 && !m.Updates[0].At.After(t)
}

// StatusAt returns the status at t ("" before the first update and for
// Message Center posts).
func (m *Message) StatusAt(t time.Time) string {
	u := m.VisibleUpdates(t)
	if len(u) == 0 {
		return ""
	}
	return u[len(u)-1].Status
}

// ResolvedAt returns when the message was first resolved, and with which
// status, if it is by t.
func (m *Message) ResolvedAt(t time.Time) (time.Time, string, bool) {
	for _, u := range m.VisibleUpdates(t) {
		if Resolved(u.Status) {
			return u.At, u.Status, true
		}
	}
	return time.Time{}, "", false
}

// EndAt returns the end time shown at t: for incidents the end of impact
// once resolved, for other messages the scheduled end or expiry.
func (m *Message) EndAt(t time.Time) (time.Time, bool) {
	if m.Type == "Incident" {
		at, _, ok := m.ResolvedAt(t)
		if !ok {
			return time.Time{}, false
		}
		if m.End.IsZero() || m.End.After(at) {
			return at, true
		}
		return m.End, true
	}
	return m.End, !m.End.IsZero()
}

// TitleAt returns the title shown at t (updated posts get "(Updated) ").
func (m *Message) TitleAt(t time.Time) string {
	if m.Post != nil && len(m.VisibleUpdates(t)) > 1 {
		return "(Updated) " + m.Title
	}
	return m.Title
}

// LastModified returns when the message last changed as of t.
func (m *Message) LastModified(t time.Time) time.Time {
	ups := m.VisibleUpdates(t)
	if len(ups) == 0 {
		return time.Time{}
	}
	return ups[len(ups)-1].Updated
}

// data is a tenant's generated timeline.
type data struct {
	messages []*Message
	byID     map[string]*Message
}

func (d *data) add(m *Message) {
	d.messages = append(d.messages, m)
	d.byID[strings.ToLower(m.ID)] = m
}

// gen generates a deterministic timeline around epoch.
type gen struct {
	r     *rand.Rand
	epoch time.Time
	data  *data
}

func generate(seed uint64, epoch time.Time, withMessages bool) *data {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), epoch: epoch,
		data: &data{byID: map[string]*Message{}}}
	if withMessages {
		g.generate()
	}
	return g.data
}

func (g *gen) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(g.r.Int64N(int64(hi-lo)))
}

func (g *gen) pick(options []string) string { return options[g.r.IntN(len(options))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// ms returns t moved by a random number of milliseconds (live timestamps
// carry them).
func (g *gen) ms(t time.Time) time.Time {
	return t.Add(time.Duration(1+g.r.IntN(998)) * time.Millisecond)
}

type planned struct {
	start  time.Time
	wl     *Workload
	anchor []string        // forced statuses for an incident open at the epoch
	open   []time.Duration // relative times of the forced statuses
	future []time.Duration // updates after the epoch (anchors)
	fix    time.Duration   // anchors: resolution relative to the epoch (0: stays open)
}

func (g *gen) generate() {
	var plans []planned
	wl := func() *Workload { return &Catalog[g.r.IntN(len(Catalog))] }
	// Past incidents spread over the last nine days.
	for range 170 {
		plans = append(plans, planned{start: g.epoch.Add(-g.between(20*time.Minute, 9*24*time.Hour)), wl: wl()})
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
		p := planned{start: g.epoch.Add(-a.ago), wl: &Catalog[(i*5+3)%len(Catalog)], anchor: a.status, fix: a.fix}
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
		plans = append(plans, planned{start: g.epoch.Add(t), wl: wl()})
	}
	slices.SortStableFunc(plans, func(a, b planned) int { return a.start.Compare(b.start) })
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
	var past []*Message
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
		if len(m.Updates) > 1 {
			continue
		}
		at := g.ms(g.epoch.Add(g.between(20*time.Minute, 48*time.Hour)))
		m.Updates = append(m.Updates, Update{At: at, Updated: g.ms(at), Text: g.postText(m, true)})
	}
}

// incident builds a normal incident lifecycle starting at start.
func (g *gen) incident(id string, w *Workload, start time.Time) *Message {
	m := g.newIncident(id, w, start.Truncate(time.Second))
	at := g.ms(m.Start.Add(g.between(2*time.Minute, 20*time.Minute)))
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
		m.Updates = append(m.Updates, Update{At: at, Updated: g.ms(at), Status: s})
	}
	last := m.Updates[len(m.Updates)-1].At
	m.End = last.Add(-g.between(5*time.Minute, 30*time.Minute)).Truncate(time.Minute)
	if m.Severity == "Sev1" && !Resolved(statuses[0]) && statuses[len(statuses)-1] == "ServiceRestored" {
		pir := g.ms(last.Add(g.between(48*time.Hour, 96*time.Hour)))
		m.Updates = append(m.Updates, Update{At: pir, Updated: g.ms(pir), Status: "PostIncidentReportPublished"})
	}
	g.writeTexts(m)
	return m
}

// anchorIncident builds an incident whose status at the epoch is forced.
func (g *gen) anchorIncident(id string, p planned) *Message {
	m := g.newIncident(id, p.wl, p.start.Truncate(time.Second))
	for i, s := range p.anchor {
		at := g.ms(g.epoch.Add(p.open[i]).Truncate(time.Second))
		m.Updates = append(m.Updates, Update{At: at, Updated: g.ms(at), Status: s})
	}
	cur := p.anchor[len(p.anchor)-1]
	for _, d := range p.future {
		at := g.ms(g.epoch.Add(d).Truncate(time.Second))
		s := cur
		if cur == "Investigating" {
			s = "ServiceDegradation"
		}
		m.Updates = append(m.Updates, Update{At: at, Updated: g.ms(at), Status: s})
	}
	if p.fix > 0 {
		at := g.ms(g.epoch.Add(p.fix).Truncate(time.Second))
		m.Updates = append(m.Updates, Update{At: at, Updated: g.ms(at), Status: "ServiceRestored"})
		m.End = at.Add(-10 * time.Minute).Truncate(time.Minute)
	}
	g.writeTexts(m)
	return m
}

func (g *gen) newIncident(id string, w *Workload, start time.Time) *Message {
	f := w.Features[g.r.IntN(len(w.Features))]
	m := &Message{
		ID: id, Type: "Incident", Workload: w.ID, Feature: f.Name, Start: start,
		Class:    g.pick([]string{"Incident", "Advisory", "Advisory"}),
		Severity: g.pick([]string{"Sev1", "Sev2", "Sev2", "Sev2", "Sev3"}),
		Details:  [][2]string{{"NotifyInApp", g.pick([]string{"True", "False"})}},
		Tenants:  g.r.IntN(4000),
		Users:    -1,
	}
	if g.chance(0.3) {
		m.Users = 1 + g.r.IntN(500)
	}
	if g.chance(0.15) {
		other := &Catalog[g.r.IntN(len(Catalog))]
		if other.ID != w.ID {
			m.Affected = []string{other.ID}
		}
	}
	subject := strings.ToLower(f.Display)
	m.Title = strings.NewReplacer("{feature}", subject, "{workload}", w.Name).Replace(g.pick(incidentTitles))
	m.Impact = strings.NewReplacer("{feature}", subject, "{workload}", w.Name).Replace(g.pick(impacts))
	if g.chance(0.2) {
		m.UserImpact = "Users may need to retry the operation."
	}
	return m
}

func (g *gen) maintenance(id string, w *Workload, start time.Time) *Message {
	f := w.Features[g.r.IntN(len(w.Features))]
	m := &Message{
		ID: id, Type: "PlannedMaintenance", Workload: w.ID, Feature: f.Name, Start: start,
		End: start.Add(g.between(2*time.Hour, 6*time.Hour)).Truncate(time.Minute), Class: "Advisory", Severity: "Sev3",
		Title:  fmt.Sprintf("Planned maintenance for %s", w.Name),
		Impact: fmt.Sprintf("Users may experience brief interruptions to %s during the maintenance window.", strings.ToLower(f.Display)),
		Users:  -1, Details: [][2]string{{"NotifyInApp", "False"}},
	}
	ann := g.ms(start.Add(-g.between(24*time.Hour, 72*time.Hour)))
	done := g.ms(m.End.Add(10 * time.Minute))
	m.Updates = []Update{
		{At: ann, Updated: g.ms(ann), Status: "InformationAvailable",
			Text: fmt.Sprintf("Title: %s\n\nUser Impact: %s\n\nMaintenance window: %s to %s\n\nWe'll provide an update when the maintenance is complete.",
				m.Title, m.Impact, longTime(m.Start), longTime(m.End))},
		{At: done, Updated: g.ms(done), Status: "ServiceRestored",
			Text: fmt.Sprintf("Title: %s\n\nFinal status: The planned maintenance completed as scheduled.", m.Title)},
	}
	return m
}

func (g *gen) post(id string, at time.Time) *Message {
	at = g.ms(at.Truncate(time.Second))
	var w *Workload
	if !g.chance(0.15) {
		w = &Catalog[g.r.IntN(len(Catalog))]
	}
	topic := g.pick(postTopics)
	kind := g.r.IntN(3)
	m := &Message{
		ID: id, Type: "MessageCenter", Start: at.Truncate(time.Second), Class: "Advisory",
		End:      at.Add(g.between(30*24*time.Hour, 120*24*time.Hour)).Truncate(24 * time.Hour),
		Severity: g.pick([]string{"Normal", "Normal", "Normal", "High"}),
		Users:    -1,
		Post: &Post{
			Category:       []string{"Stay Informed", "Plan For Change", "Prevent Or Fix Issues"}[kind],
			AnnouncementID: g.r.IntN(3) * (40000 + g.r.IntN(20000)),
			Major:          g.chance(0.25),
			External:       "https://go.microsoft.com/fwlink/?linkid=" + fmt.Sprint(2000000+g.r.IntN(99999)),
		},
	}
	if w != nil {
		m.Workload = w.ID
		topic = w.Name + ": " + topic
		if g.chance(0.3) {
			m.Affected = []string{w.ID}
		}
	}
	switch kind {
	case 0:
		m.Title = "New feature: " + topic
		m.Post.Tags = []string{"New feature", "User impact"}
	case 1:
		m.Title = "Plan for change: " + topic
		m.Post.Tags = []string{"Feature update", "Admin impact"}
		m.ActionType = "Action"
		m.Post.ActionRequiredBy = at.Add(g.between(20*24*time.Hour, 60*24*time.Hour)).Truncate(24 * time.Hour)
	default:
		m.Title = "Action recommended: " + topic
		m.Post.Tags = []string{"Admin impact"}
		m.ActionType = "Action"
	}
	if m.Post.Major {
		m.Post.Tags = append(m.Post.Tags, "Major update")
	}
	if g.chance(0.3) {
		m.Post.Milestone = g.pick([]string{"Targeted release", "Standard release", "General availability"})
		m.Post.MilestoneDate = at.Add(g.between(7*24*time.Hour, 45*24*time.Hour)).Truncate(24 * time.Hour)
	}
	if g.chance(0.2) {
		m.Post.Blog = "https://techcommunity.microsoft.com/t5/microsoft-365-blog/" + strings.ToLower(strings.ReplaceAll(topic, " ", "-"))
	}
	m.Post.Help = "https://learn.microsoft.com/microsoft-365/admin/manage/message-center"
	m.Updates = []Update{{At: at, Updated: g.ms(at), Text: g.postText(m, false)}}
	return m
}

func (g *gen) postText(m *Message, updated bool) string {
	var b strings.Builder
	if updated {
		b.WriteString("Updated: We have updated the rollout timeline below. Thank you for your patience.\n\n")
	}
	fmt.Fprintf(&b, "%s\n\nWhen this will happen:\n\nWe will begin rolling this out in early %s and expect to complete the rollout by late %s.\n\n",
		g.pick(postIntros), m.Start.Add(7*24*time.Hour).Format("January 2006"),
		m.Start.Add(40*24*time.Hour).Format("January 2006"))
	fmt.Fprintf(&b, "How this will affect your organization:\n\n%s\n\nWhat you need to do to prepare:\n\n%s",
		g.pick(postEffects), g.pick(postPrepare))
	return b.String()
}

// writeTexts fills in the update texts of an incident once its timeline is
// fixed.
func (g *gen) writeTexts(m *Message) {
	cause := g.pick(rootCauses)
	for i := range m.Updates {
		u := &m.Updates[i]
		var b strings.Builder
		fmt.Fprintf(&b, "Title: %s\n\nUser Impact: %s\n\n", m.Title, m.Impact)
		switch {
		case u.Status == "PostIncidentReportPublished":
			b.WriteString("Final status: A post-incident report has been published.")
			m.PIRURL = "https://admin.microsoft.com/AdminPortal/home#/servicehealth/:/postincidentreports/" + m.ID
		case Resolved(u.Status):
			fmt.Fprintf(&b, "Final status: %s\n\nScope of impact: %s\n\n", final[u.Status], g.pick(scopes))
			if end, ok := m.EndAt(u.At); ok {
				fmt.Fprintf(&b, "Start time: %s\n\nEnd time: %s\n\n", longTime(m.Start), longTime(end))
			}
			if u.Status == "ServiceRestored" {
				fmt.Fprintf(&b, "Root cause: %s\n\nNext steps:\n- We're reviewing our change management procedures to help prevent similar impact in the future.\n\n", cause)
			}
			b.WriteString("This is the final update for the event.")
		default:
			fmt.Fprintf(&b, "Current status: %s\n\nScope of impact: %s\n\nNext update by: %s",
				g.pick(progress[u.Status]), g.pick(scopes), longTime(u.At.Add(time.Hour).Truncate(30*time.Minute)))
		}
		u.Text = b.String()
	}
}

func longTime(t time.Time) string {
	return t.UTC().Format("Monday, January 2, 2006, at 3:04 PM UTC")
}

var incidentTitles = []string{
	"Users may be unable to access {feature} in {workload}",
	"Some users may experience delays when using {feature}",
	"Users may see errors when attempting to use {feature}",
	"Admins may be unable to manage {feature} settings",
	"Users may intermittently be unable to sign in to {workload}",
	"{workload} {feature} may be slow or unresponsive for some users",
	"Users may not receive notifications from {workload}",
	"Users may be unable to load {feature} through the desktop client",
}

var impacts = []string{
	"Users may be unable to access {feature}.",
	"Users may experience delays or failures when using {feature}.",
	"Admins may be unable to view or change {feature} settings in {workload}.",
	"Users may see an error when they open {feature}.",
}

var scopes = []string{
	"This issue could potentially affect any of your users attempting to use the affected feature.",
	"Impact is specific to a subset of users who are served through the affected infrastructure.",
	"Your organization is affected by this event, and some users are affected.",
}

var progress = map[string][]string{
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

var final = map[string]string{
	"ServiceRestored": "We've confirmed that the deployed fix has resolved impact.",
	"FalsePositive":   "After investigation, we determined that the service was not impacted; this alert was a false positive.",
}

var rootCauses = []string{
	"A recent change to our service infrastructure caused a subset of requests to fail.",
	"A section of infrastructure was performing below acceptable thresholds, causing delays.",
	"A configuration problem in a recent update caused the feature to stop responding.",
	"An unexpected increase in traffic exhausted resources on a portion of the infrastructure.",
}

var postTopics = []string{
	"updated meeting recap experience", "retirement of legacy connectors", "new admin reports for usage",
	"changes to external sharing defaults", "sensitivity labels for files", "improved search results",
	"new retention policy settings", "mobile app sign-in improvements", "updated storage limits",
	"end of support for an older client version",
}

var postIntros = []string{
	"We're rolling out an update that improves this experience for your users.",
	"We're making a change to simplify how admins manage this setting.",
	"As part of our ongoing commitment to security, we're retiring an older capability.",
}

var postEffects = []string{
	"Users will see the new experience automatically; there are no admin controls for this change.",
	"Admins can manage this feature in the admin center. The default setting will be on.",
	"If your organization relies on the retiring capability, users will no longer be able to use it after the date above.",
}

var postPrepare = []string{
	"You may want to notify your users about this change and update your training and documentation as appropriate.",
	"No action is required. Review the setting if you want to change the default.",
	"Review your configuration before the date above and move to the replacement capability.",
}
