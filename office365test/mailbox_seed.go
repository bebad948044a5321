package office365test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// SeedMessage describes a message to put directly into a folder (no
// sending, no rules).
type SeedMessage struct {
	From, FromName string
	To, Cc         []string
	Subject        string
	// Body is plain text unless HTML is set.
	Body string
	HTML bool
	// Received defaults to the mailbox clock's now.
	Received   time.Time
	IsRead     bool
	Importance string // Low, Normal (default), High
	Categories []string
	Flagged    bool
	// Meeting makes it an EventMessage (meeting request).
	Meeting     bool
	Attachments []SeedAttachment
	// Focused is "Focused" (default) or "Other".
	Focused string
}

// SeedAttachment is a file attachment of a SeedMessage.
type SeedAttachment struct {
	Name, ContentType string
	Content           []byte
}

// SeedMessages stores messages in folder (an id or well-known name) and
// returns their ids. It panics on an unknown folder (seeding is test setup).
func (u *MailboxUser) SeedMessages(folder string, msgs ...SeedMessage) []string {
	u.m.mu.Lock()
	f := u.folderLocked(folder)
	if f == nil {
		u.m.mu.Unlock()
		panic(fmt.Sprintf("office365test: SeedMessages: no folder %q", folder))
	}
	var ids []string
	for _, s := range msgs {
		ids = append(ids, u.seedLocked(f.ID, s).ID)
	}
	u.m.mu.Unlock()
	u.m.flush()
	return ids
}

func (u *MailboxUser) seedLocked(folderID string, s SeedMessage) *Record {
	recv := s.Received
	if recv.IsZero() {
		recv = u.m.clock()
	}
	name := s.FromName
	if name == "" {
		name = s.From
		if x := u.m.userLocked(strings.ToLower(s.From)); x != nil {
			name = x.DisplayName
		}
	}
	recips := func(list []string) []any {
		out := []any{}
		for _, a := range list {
			n := a
			if x := u.m.userLocked(strings.ToLower(a)); x != nil {
				n = x.DisplayName
			}
			out = append(out, recipientMap(a, n))
		}
		return out
	}
	to := s.To
	if to == nil {
		to = []string{u.UPN}
	}
	body := map[string]any{"ContentType": "Text", "Content": s.Body}
	if s.HTML {
		body["ContentType"] = "HTML"
	}
	imp := s.Importance
	if imp == "" {
		imp = "Normal"
	}
	cats := []any{}
	for _, c := range s.Categories {
		cats = append(cats, c)
	}
	flag := map[string]any{"FlagStatus": "NotFlagged"}
	if s.Flagged {
		flag = map[string]any{"FlagStatus": "Flagged",
			"StartDateTime": map[string]any{"DateTime": recv.Format(dttzLayout), "TimeZone": "UTC"},
			"DueDateTime":   map[string]any{"DateTime": recv.Add(72 * time.Hour).Format(dttzLayout), "TimeZone": "UTC"}}
	}
	focused := s.Focused
	if focused == "" {
		focused = "Focused"
	}
	doc := u.newMessageDoc(Entity{
		"Subject": s.Subject, "Body": body, "Importance": imp, "IsRead": s.IsRead, "IsDraft": false,
		"From": recipientMap(s.From, name), "Sender": recipientMap(s.From, name),
		"ToRecipients": recips(to), "CcRecipients": recips(s.Cc), "Categories": cats, "Flag": flag,
		"ReceivedDateTime": fmtTime(recv), "SentDateTime": fmtTime(recv.Add(-7 * time.Second)),
		"CreatedDateTime": fmtTime(recv), "InferenceClassification": focused,
	})
	if s.Meeting {
		doc["@odata.type"] = odataEventMessage
		doc["MeetingMessageType"] = "MeetingRequest"
	}
	var atts []Entity
	for _, a := range s.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		atts = append(atts, Entity{"@odata.type": odataFile, "Name": a.Name, "ContentType": ct, "Size": len(a.Content),
			"IsInline": false, "LastModifiedDateTime": fmtTime(recv), "ContentId": nil, "ContentLocation": nil,
			"ContentBytes": base64.StdEncoding.EncodeToString(a.Content)})
	}
	return u.insertMessageLocked(folderID, doc, atts)
}

// SeedSampleData adds three users of contoso.com — Adele Vance ("me"), Alex
// Wilber and Megan Bowen — and fills Adele's mailbox: about 30 Inbox
// messages over the last two weeks (some unread, flagged, with attachments,
// a meeting request, newsletters in Other), sent items, a Projects
// subfolder, an Inbox rule, a Focused Inbox override and mailbox settings in
// Pacific time. Returns Adele.
func (m *Mailbox) SeedSampleData() *MailboxUser {
	adele := m.AddUser("adele.vance@contoso.com", "Adele Vance")
	m.AddUser("alex.wilber@contoso.com", "Alex Wilber")
	m.AddUser("megan.bowen@contoso.com", "Megan Bowen")
	m.SetMe(adele.UPN)
	now := m.clockNow()
	ago := func(h float64) time.Time {
		return now.Add(-time.Duration(h * float64(time.Hour))).Truncate(time.Second)
	}

	type msg struct {
		from, name, subject, body string
		hours                     float64
		read, flagged, html       bool
		imp                       string
		cats                      []string
		other                     bool
		att                       *SeedAttachment
		meeting                   bool
	}
	pdf := &SeedAttachment{Name: "Q3-Budget.pdf", ContentType: "application/pdf",
		Content: []byte("%PDF-1.4\n% office365test sample budget\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")}
	csv := &SeedAttachment{Name: "attendees.csv", ContentType: "text/csv",
		Content: []byte("name,email\nAdele Vance,adele.vance@contoso.com\nAlex Wilber,alex.wilber@contoso.com\n")}
	list := []msg{
		{"alex.wilber@contoso.com", "", "Q3 budget review", "Hi Adele,\n\nAttached is the draft Q3 budget. Can you review the travel line before Friday?\n\nThanks,\nAlex", 1, false, true, false, "High", nil, false, pdf, false},
		{"megan.bowen@contoso.com", "", "Lunch on Thursday?", "Are you free for lunch on Thursday? The new place on 5th opened.", 2.5, false, false, false, "", nil, false, nil, false},
		{"noreply@github.com", "GitHub", "[contoso/office365-go] Pull request #42 merged", "<p>Merged <b>#42</b> into main.</p>", 3, true, false, true, "", nil, true, nil, false},
		{"alex.wilber@contoso.com", "", "Project Falcon kickoff", "Meeting request: Project Falcon kickoff, Monday 10:00.", 5, false, false, false, "", nil, false, nil, true},
		{"billing@fabrikam.com", "Fabrikam Billing", "Invoice INV-20931", "Your invoice INV-20931 for $1,240.00 is attached to your account portal.", 8, true, false, false, "", []string{"Finance"}, false, nil, false},
		{"news@northwindtraders.com", "Northwind Newsletter", "This week at Northwind: spring catalogue", "<h1>Spring catalogue</h1><p>New arrivals this week.</p>", 11, true, false, true, "Low", nil, true, nil, false},
		{"megan.bowen@contoso.com", "", "Re: Marketing plan", "Looks good to me. Let's ship it.", 20, true, false, false, "", []string{"Marketing"}, false, nil, false},
		{"it-helpdesk@contoso.com", "Contoso IT", "Scheduled maintenance this weekend", "Email will be unavailable Saturday 22:00–23:00 PT.", 26, true, false, false, "", nil, false, nil, false},
		{"travel@contoso.com", "Contoso Travel", "Your trip to Seattle", "Flight CT 118 departs 08:15. Hotel: Contoso Suites.", 30, false, true, false, "", []string{"Travel"}, false, nil, false},
		{"alex.wilber@contoso.com", "", "Attendee list for the offsite", "Here's the attendee list.", 36, true, false, false, "", nil, false, csv, false},
		{"hr@contoso.com", "Contoso HR", "Benefits enrolment closes Friday", "Reminder: enrolment closes Friday at 17:00.", 44, false, false, false, "High", nil, false, nil, false},
		{"megan.bowen@contoso.com", "", "Design review notes", "Notes from today's design review are in the team site.", 50, true, false, false, "", nil, false, nil, false},
		{"noreply@github.com", "GitHub", "[contoso/office365-go] New issue: delta sync loses changes", "<p>Opened by <b>alexw</b>.</p>", 55, true, false, true, "", nil, true, nil, false},
		{"ceo@contoso.com", "Contoso CEO", "All-hands on Wednesday", "Join us for the quarterly all-hands in the atrium.", 60, true, false, false, "", nil, false, nil, false},
		{"support@adatum.com", "Adatum Support", "Case #88213 updated", "Your support case has been updated. Reply to this email to add comments.", 70, true, false, false, "", nil, false, nil, false},
		{"alex.wilber@contoso.com", "", "Quick question about the API", "Does the outlook client retry 429s?", 80, true, false, false, "", nil, false, nil, false},
		{"news@northwindtraders.com", "Northwind Newsletter", "Last chance: 20% off", "<p>Offer ends tonight.</p>", 90, true, false, true, "Low", nil, true, nil, false},
		{"megan.bowen@contoso.com", "", "Photos from the offsite", "Uploaded to the shared album.", 100, true, false, false, "", nil, false, nil, false},
		{"billing@fabrikam.com", "Fabrikam Billing", "Payment received", "Thank you, we received your payment.", 120, true, false, false, "", []string{"Finance"}, false, nil, false},
		{"travel@contoso.com", "Contoso Travel", "Expense report approved", "Your expense report ER-1182 was approved.", 140, true, false, false, "", []string{"Travel"}, false, nil, false},
		{"it-helpdesk@contoso.com", "Contoso IT", "Your password expires in 7 days", "Change it at https://aka.ms/sspr.", 160, true, false, false, "", nil, false, nil, false},
		{"alex.wilber@contoso.com", "", "Retro action items", "1. Faster CI\n2. Fewer flaky tests\n3. More coffee", 180, true, false, false, "", nil, false, nil, false},
		{"hr@contoso.com", "Contoso HR", "Welcome our new team members", "Please welcome Diego and Isaiah!", 200, true, false, false, "", nil, false, nil, false},
		{"megan.bowen@contoso.com", "", "Customer feedback summary", "NPS is up 6 points this quarter.", 230, true, false, false, "", []string{"Marketing"}, false, nil, false},
		{"support@adatum.com", "Adatum Support", "Case #88213 opened", "We have received your request.", 260, true, false, false, "", nil, false, nil, false},
		{"ceo@contoso.com", "Contoso CEO", "Q2 results", "Thank you all for a strong quarter.", 290, true, false, false, "", nil, false, nil, false},
		{"alex.wilber@contoso.com", "", "Welcome to Project Falcon", "Glad to have you on the team.", 320, true, false, false, "", nil, false, nil, false},
	}
	var seeds []SeedMessage
	for _, x := range list {
		s := SeedMessage{From: x.from, FromName: x.name, Subject: x.subject, Body: x.body, HTML: x.html,
			Received: ago(x.hours), IsRead: x.read, Flagged: x.flagged, Importance: x.imp, Categories: x.cats, Meeting: x.meeting}
		if x.other {
			s.Focused = "Other"
		}
		if x.html {
			s.Body = "<html><body>" + x.body + "</body></html>"
		}
		if x.att != nil {
			s.Attachments = []SeedAttachment{*x.att}
		}
		seeds = append(seeds, s)
	}
	// Oldest first, so creation order follows time.
	for i, j := 0, len(seeds)-1; i < j; i, j = i+1, j-1 {
		seeds[i], seeds[j] = seeds[j], seeds[i]
	}
	adele.SeedMessages("Inbox", seeds...)

	projects, _ := adele.CreateFolder("Inbox", "Projects")
	adele.SeedMessages(projects,
		SeedMessage{From: "alex.wilber@contoso.com", Subject: "Falcon: architecture draft", Body: "First draft of the architecture doc.", Received: ago(150), IsRead: true},
		SeedMessage{From: "megan.bowen@contoso.com", Subject: "Falcon: launch checklist", Body: "Checklist attached in the wiki.", Received: ago(75), IsRead: false},
	)
	news, _ := adele.CreateFolder("", "Newsletters")
	adele.CreateFolder("", "Receipts")
	adele.SeedMessages("SentItems",
		SeedMessage{From: adele.UPN, To: []string{"alex.wilber@contoso.com"}, Subject: "Re: Quick question about the API",
			Body: "Yes — 429 and 503 are retried with Retry-After.", Received: ago(79), IsRead: true},
		SeedMessage{From: adele.UPN, To: []string{"megan.bowen@contoso.com"}, Subject: "Design review", Body: "See you at 2pm.", Received: ago(52), IsRead: true},
	)
	adele.SeedMessages("Drafts",
		SeedMessage{From: adele.UPN, To: []string{"ceo@contoso.com"}, Subject: "Falcon status (draft)", Body: "Status: on track.", Received: ago(4), IsRead: true},
	)

	m.mu.Lock()
	adele.insertLocked(EntityMessageRule, "", Entity{"DisplayName": "Newsletters", "Sequence": float64(1), "IsEnabled": true,
		"HasError": false, "IsReadOnly": false, "Exceptions": nil,
		"Conditions": map[string]any{"SenderContains": []any{"newsletter"}},
		"Actions":    map[string]any{"MoveToFolder": news, "StopProcessingRules": true}})
	adele.insertLocked(EntityInferenceRule, "", Entity{"ClassifyAs": "Other",
		"SenderEmailAddress": map[string]any{"Name": "GitHub", "Address": "noreply@github.com"}})
	adele.su.Settings["TimeZone"] = "Pacific Standard Time"
	asMap(adele.su.Settings["WorkingHours"])["TimeZone"] = map[string]any{"Name": "Pacific Standard Time"}
	adele.su.Settings["ArchiveFolder"] = adele.su.WellKnown["archive"]
	for _, u := range m.usersLocked()[1:] {
		u.su.Settings["TimeZone"] = "Pacific Standard Time"
	}
	m.mu.Unlock()
	m.flush()
	return adele
}

func (m *Mailbox) clockNow() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.clock()
}
