package servicecomms

import (
	"bytes"
	"encoding/json"
	"html"
	"slices"
	"strings"
)

// The models below read both the shapes the API reference documents and the
// richer shapes the live service sent. Every model keeps the members it has
// no field for in Extra and marshals back to what it was decoded from (see
// "Models" in the package documentation).

// Service is one subscribed service, from GET {root}/Services.
type Service struct {
	// ID identifies the workload ("Exchange", "microsoftteams"); casing
	// varies between workloads.
	ID string `json:"Id"`
	// DisplayName is the service's name ("Exchange Online").
	DisplayName string `json:"DisplayName"`
	// Features lists the service's features. The live service sends
	// Features as objects ({Name, DisplayName}); the documented shape
	// sends FeatureNames as strings, read here as features whose Name and
	// DisplayName are both that string.
	Features []Feature `json:"Features" alias:"FeatureNames"`
	// Extra holds the members Service has no field for, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wireState
}

// UnmarshalJSON decodes either shape and keeps unknown members in Extra.
func (s *Service) UnmarshalJSON(b []byte) error { return decodeModel(b, s) }

// MarshalJSON writes the service back as received (see the package
// documentation).
func (s Service) MarshalJSON() ([]byte, error) { return encodeModel(&s) }

// FeatureNames returns the display names of the service's features.
func (s *Service) FeatureNames() []string {
	out := make([]string, 0, len(s.Features))
	for _, f := range s.Features {
		out = append(out, f.DisplayName)
	}
	return out
}

// Feature is one feature of a Service.
type Feature struct {
	// Name identifies the feature ("signin").
	Name string `json:"Name"`
	// DisplayName is the feature's name for people ("Sign In").
	DisplayName string `json:"DisplayName"`
	// Extra holds the members Feature has no field for, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wireState
}

// UnmarshalJSON reads a feature object, or a bare string (an element of the
// documented FeatureNames array).
func (f *Feature) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var name string
		if err := json.Unmarshal(b, &name); err != nil {
			return err
		}
		*f = Feature{Name: name, DisplayName: name}
		f.wire = &wireObject{scalar: slices.Clone(b)}
		return nil
	}
	return decodeModel(b, f)
}

// MarshalJSON writes the feature back in the form it was read in.
func (f Feature) MarshalJSON() ([]byte, error) {
	if f.wire != nil && f.wire.scalar != nil && len(f.Extra) == 0 {
		var name string
		if json.Unmarshal(f.wire.scalar, &name) == nil && f.Name == name && f.DisplayName == name {
			return f.wire.scalar, nil
		}
	}
	return encodeModel(&f)
}

// WorkloadStatus is the status of one workload, from GET
// {root}/CurrentStatus (the last 24 hours) or {root}/HistoricalStatus (one
// entry per workload and day).
type WorkloadStatus struct {
	// ID identifies the entry (the workload id).
	ID string `json:"Id"`
	// Workload is the workload id ("Exchange").
	Workload string `json:"Workload"`
	// WorkloadDisplayName is the workload's name ("Exchange Online").
	WorkloadDisplayName string `json:"WorkloadDisplayName"`
	// Status is the workload status as an enum name ("ServiceOperational").
	Status Status `json:"Status"`
	// StatusDisplayName is the live service's text for Status ("Normal
	// service"); empty in the documented shape (use Status.DisplayName).
	StatusDisplayName string `json:"StatusDisplayName"`
	// StatusTime is the time the status refers to: 24 hours ago for
	// CurrentStatus, the day for HistoricalStatus. Read from StatusTime or
	// the documented StatusDate.
	StatusTime Time `json:"StatusTime" alias:"StatusDate"`
	// IncidentIDs lists the incidents behind the status.
	IncidentIDs []string `json:"IncidentIds"`
	// Features holds the status of each feature. Read from the live
	// FeatureStatus array or the documented FeatureGroupStatusCollection.
	// On Graph, which has no feature catalogue, it lists the features of
	// the issues behind the status.
	Features []FeatureStatus `json:"FeatureStatus" alias:"FeatureGroupStatusCollection"`
	// GraphStatus is the status as Microsoft Graph sent it
	// ("serviceDegradation"), for healthOverviews; empty on the retired
	// API and for synthesized days.
	GraphStatus string `json:"GraphStatus"`
	// Extra holds the members WorkloadStatus has no field for, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wireState
}

// UnmarshalJSON decodes either shape and keeps unknown members in Extra.
func (s *WorkloadStatus) UnmarshalJSON(b []byte) error { return decodeModel(b, s) }

// MarshalJSON writes the status back as received.
func (s WorkloadStatus) MarshalJSON() ([]byte, error) { return encodeModel(&s) }

// DisplayStatus returns StatusDisplayName, or the display name of Status
// when the service sent none.
func (s *WorkloadStatus) DisplayStatus() string {
	if s.StatusDisplayName != "" {
		return s.StatusDisplayName
	}
	return s.Status.DisplayName()
}

// FeatureStatus is the status of one feature of a workload.
type FeatureStatus struct {
	// Name identifies the feature. Live: FeatureName; documented: Feature.
	Name string `json:"FeatureName" alias:"Feature"`
	// DisplayName names the feature. Live: FeatureDisplayName; documented:
	// FeatureGroupDisplayName.
	DisplayName string `json:"FeatureDisplayName" alias:"FeatureGroupDisplayName"`
	// Status is the feature's status. Live: FeatureServiceStatus;
	// documented: FeatureStatus.
	Status Status `json:"FeatureServiceStatus" alias:"FeatureStatus"`
	// StatusDisplayName is the live service's text for Status.
	StatusDisplayName string `json:"FeatureServiceStatusDisplayName"`
	// Extra holds the members FeatureStatus has no field for, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wireState
}

// UnmarshalJSON decodes either shape and keeps unknown members in Extra.
func (s *FeatureStatus) UnmarshalJSON(b []byte) error { return decodeModel(b, s) }

// MarshalJSON writes the feature status back as received.
func (s FeatureStatus) MarshalJSON() ([]byte, error) { return encodeModel(&s) }

// Message is an incident, planned maintenance or Message Center post, from
// GET {root}/Messages. Any member may be null on the wire: pointers mark the
// ones where null means something (no title, still open, unknown count).
type Message struct {
	// ID identifies the message ("EX213379", "MC219747").
	ID string `json:"Id"`
	// Name repeats the id in the documented shape.
	Name string `json:"Name"`
	// Title is the message title; null in the documented samples.
	Title *string `json:"Title"`
	// MessageType says whether this is an incident, planned maintenance
	// or a Message Center post.
	MessageType MessageType `json:"MessageType"`
	// Classification is "Incident" or "Advisory".
	Classification Classification `json:"Classification"`
	// Severity is "Sev1", "Sev2" … for incidents, "Normal", "High" …
	// for Message Center posts.
	Severity Severity `json:"Severity"`
	// Status is a display string ("Service restored", "Extended
	// recovery"); "" for Message Center posts. See Status.Canonical.
	Status Status `json:"Status"`
	// StartTime is when the issue began (or the post was published).
	StartTime Time `json:"StartTime"`
	// EndTime is when the issue ended (or the post expires); nil while an
	// incident is open.
	EndTime *Time `json:"EndTime"`
	// LastUpdatedTime is when the message last changed.
	LastUpdatedTime Time `json:"LastUpdatedTime"`
	// Workload is the workload id; empty (null) on some Message Center
	// posts.
	Workload string `json:"Workload"`
	// WorkloadDisplayName is the workload's name.
	WorkloadDisplayName string `json:"WorkloadDisplayName"`
	// Feature is the affected feature's id.
	Feature string `json:"Feature"`
	// FeatureDisplayName is the affected feature's name.
	FeatureDisplayName string `json:"FeatureDisplayName"`
	// Messages holds the updates published for the message, oldest first.
	Messages []MessageHistory `json:"Messages"`
	// ImpactDescription summarises the user impact.
	ImpactDescription string `json:"ImpactDescription"`
	// UserFunctionalImpact describes the impact on users' work.
	UserFunctionalImpact string `json:"UserFunctionalImpact"`
	// ActionType is the action asked of admins; often null.
	ActionType *string `json:"ActionType"`
	// AdditionalDetails holds name/value pairs (values are strings such as
	// "True").
	AdditionalDetails []AdditionalDetail `json:"AdditionalDetails"`
	// AffectedTenantCount is how many tenants are affected.
	AffectedTenantCount int `json:"AffectedTenantCount"`
	// AffectedUserCount is how many users of this tenant are affected;
	// nil when unknown.
	AffectedUserCount *int `json:"AffectedUserCount"`
	// AffectedWorkloadNames lists the ids of other affected workloads.
	AffectedWorkloadNames []string `json:"AffectedWorkloadNames"`
	// AffectedWorkloadDisplayNames lists their names.
	AffectedWorkloadDisplayNames []string `json:"AffectedWorkloadDisplayNames"`
	// PostIncidentDocumentURL links the post-incident report, once
	// published.
	PostIncidentDocumentURL *string `json:"PostIncidentDocumentUrl"`
	// TenantParams is sent by the live service without a documented
	// shape; its elements are kept as received.
	TenantParams []json.RawMessage `json:"TenantParams"`

	// Message Center posts only.

	// ActionRequiredByDate is the deadline for the admin action, if any.
	ActionRequiredByDate *Time `json:"ActionRequiredByDate"`
	// AnnouncementID is the post's announcement number.
	AnnouncementID int `json:"AnnouncementId"`
	// AppliesTo says who the post applies to.
	AppliesTo string `json:"AppliesTo"`
	// BlogLink links a blog post about the change.
	BlogLink string `json:"BlogLink"`
	// Category is "Stay Informed", "Plan For Change" or "Prevent Or Fix
	// Issues".
	Category string `json:"Category"`
	// ExternalLink links more information.
	ExternalLink string `json:"ExternalLink"`
	// FeatureName names the feature the post is about.
	FeatureName string `json:"FeatureName"`
	// FlightName names the rollout flight.
	FlightName string `json:"FlightName"`
	// HelpLink links documentation.
	HelpLink string `json:"HelpLink"`
	// IsDismissed reports whether an admin dismissed the post.
	IsDismissed bool `json:"IsDismissed"`
	// IsMajorChange marks posts about major changes.
	IsMajorChange bool `json:"IsMajorChange"`
	// IsRead reports whether the post was read.
	IsRead bool `json:"IsRead"`
	// MessageTagNames holds tags such as "New feature", "Admin impact".
	MessageTagNames []string `json:"MessageTagNames"`
	// Milestone names the rollout milestone.
	Milestone string `json:"Milestone"`
	// MilestoneDate is the milestone's date, if any.
	MilestoneDate *Time `json:"MilestoneDate"`
	// PreviewDuration is the preview period as the service writes it.
	PreviewDuration string `json:"PreviewDuration"`

	// Microsoft Graph only (office365.WithGraph); zero on the retired API.

	// GraphStatus is the status as Graph sent it
	// ("postIncidentReviewPublished"); Status holds its equivalent in this
	// package's vocabulary (StatusPostIncidentReportPublished).
	GraphStatus string `json:"GraphStatus"`
	// Resolved is Graph's isResolved flag of an issue, which IsResolved
	// prefers over deriving it from Status.
	Resolved *bool `json:"IsResolved"`
	// Origin says where an issue comes from: "microsoft", "thirdParty" or
	// "customer".
	Origin string `json:"Origin"`
	// FeatureGroup is the feature group of an issue ("Service",
	// "E-Mail and calendar access"); Feature and FeatureDisplayName hold
	// the feature's display name.
	FeatureGroup string `json:"FeatureGroup"`
	// Services lists the display names of the services a Message Center
	// post is about (Workload is the first one's id).
	Services []string `json:"Services"`
	// HasAttachments reports whether a Message Center post has attachments.
	HasAttachments bool `json:"HasAttachments"`

	// Extra holds the members Message has no field for, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wireState
}

// UnmarshalJSON decodes either shape and keeps unknown members in Extra.
func (m *Message) UnmarshalJSON(b []byte) error { return decodeModel(b, m) }

// MarshalJSON writes the message back as received.
func (m Message) MarshalJSON() ([]byte, error) { return encodeModel(&m) }

// TitleText returns the title, or "" when the service sent none.
func (m *Message) TitleText() string {
	if m.Title == nil {
		return ""
	}
	return *m.Title
}

// IsResolved reports whether the message describes an issue that is over:
// Graph's isResolved flag when present (Resolved), else its status is a
// resolved one (see Status.IsResolved), or it has no known status but an
// EndTime. Message Center posts are never resolved.
func (m *Message) IsResolved() bool {
	if m.IsMessageCenter() {
		return false
	}
	if m.Resolved != nil {
		return *m.Resolved
	}
	if m.Status.IsKnown() {
		return m.Status.IsResolved()
	}
	return m.EndTime != nil && !m.EndTime.IsZero()
}

// IsMessageCenter reports whether the message is a Message Center post.
func (m *Message) IsMessageCenter() bool {
	return squash(string(m.MessageType)) == squash(string(MessageTypeMessageCenter))
}

// Latest returns the most recent update, or nil when there is none.
func (m *Message) Latest() *MessageHistory {
	var latest *MessageHistory
	for i := range m.Messages {
		h := &m.Messages[i]
		if latest == nil || !h.PublishedTime.Before(latest.PublishedTime.Time) {
			latest = h
		}
	}
	return latest
}

// MessageHistory is one update published for a Message.
type MessageHistory struct {
	// PublishedTime is when the update was published.
	PublishedTime Time `json:"PublishedTime"`
	// MessageText is the update's text: plain text with blank lines from
	// the retired API, HTML from Microsoft Graph (see ContentType).
	MessageText string `json:"MessageText"`
	// ContentType is "html" when MessageText is HTML (Graph); empty for
	// the retired API's plain text.
	ContentType string `json:"ContentType"`
	// PostType is Graph's kind of update: "regular", "quick" or
	// "strategic"; empty on the retired API.
	PostType string `json:"PostType"`
	// Extra holds the members MessageHistory has no field for.
	Extra map[string]json.RawMessage `json:"-"`
	wireState
}

// UnmarshalJSON decodes the update and keeps unknown members in Extra.
func (h *MessageHistory) UnmarshalJSON(b []byte) error { return decodeModel(b, h) }

// MarshalJSON writes the update back as received.
func (h MessageHistory) MarshalJSON() ([]byte, error) { return encodeModel(&h) }

// Text returns MessageText as plain text: unchanged from the retired API,
// and from Graph's HTML with line breaks and paragraph ends turned into
// newlines, other tags dropped and character references decoded.
func (h *MessageHistory) Text() string {
	if !strings.EqualFold(h.ContentType, "html") {
		return h.MessageText
	}
	return htmlToText(h.MessageText)
}

// htmlToText is a small, forgiving HTML-to-text conversion for the update
// texts Graph sends (paragraphs, line breaks, links, lists).
func htmlToText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(html.UnescapeString(s))
			break
		}
		b.WriteString(html.UnescapeString(s[:i]))
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			b.WriteString(html.UnescapeString(s[i:]))
			break
		}
		tag := strings.ToLower(strings.Trim(s[i+1:i+j], "/ "))
		if k := strings.IndexAny(tag, " \t\n"); k >= 0 {
			tag = tag[:k]
		}
		switch tag {
		case "br":
			b.WriteByte('\n')
		case "p", "div", "li", "tr", "h1", "h2", "h3", "h4":
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
		}
		s = s[i+j+1:]
	}
	return strings.TrimSpace(b.String())
}

// AdditionalDetail is a name/value pair attached to a Message.
type AdditionalDetail struct {
	// Name names the detail ("NotifyInApp").
	Name string `json:"Name"`
	// Value is its value, always a string ("True").
	Value string `json:"Value"`
	// Extra holds the members AdditionalDetail has no field for.
	Extra map[string]json.RawMessage `json:"-"`
	wireState
}

// UnmarshalJSON decodes the detail and keeps unknown members in Extra.
func (d *AdditionalDetail) UnmarshalJSON(b []byte) error { return decodeModel(b, d) }

// MarshalJSON writes the detail back as received.
func (d AdditionalDetail) MarshalJSON() ([]byte, error) { return encodeModel(&d) }
