package servicecomms

import (
	"encoding/json"
	"reflect"
	"strings"
)

// The wire models of Microsoft Graph's serviceAnnouncement. They decode
// with the same codec as the public models (unknown members kept in Extra,
// member names compared case-insensitively) and are converted to the
// public models, so that a client in either dialect returns the same types.
// Members the public models have no field for end up in their Extra under
// Graph's names; OData annotations (@odata.context …) are dropped. The wire
// models are never encoded, so they skip remembering their wire form
// (decodeOnly).

// graphHealth is a serviceHealth of healthOverviews.
type graphHealth struct {
	ID      string                     `json:"id"`
	Service string                     `json:"service"`
	Status  string                     `json:"status"`
	Issues  []graphIssue               `json:"issues"`
	Extra   map[string]json.RawMessage `json:"-"`
	wireState
}

func (g *graphHealth) UnmarshalJSON(b []byte) error { return decodeModel(b, g) }
func (*graphHealth) decodeOnly()                    {}

// graphIssue is a serviceHealthIssue.
type graphIssue struct {
	ID                   string                     `json:"id"`
	Title                *string                    `json:"title"`
	StartDateTime        Time                       `json:"startDateTime"`
	EndDateTime          *Time                      `json:"endDateTime"`
	LastModifiedDateTime Time                       `json:"lastModifiedDateTime"`
	ImpactDescription    string                     `json:"impactDescription"`
	Classification       string                     `json:"classification"`
	Origin               string                     `json:"origin"`
	Status               string                     `json:"status"`
	Service              string                     `json:"service"`
	Feature              string                     `json:"feature"`
	FeatureGroup         string                     `json:"featureGroup"`
	IsResolved           *bool                      `json:"isResolved"`
	Details              []AdditionalDetail         `json:"details"`
	Posts                []graphPost                `json:"posts"`
	Extra                map[string]json.RawMessage `json:"-"`
	wireState
}

func (g *graphIssue) UnmarshalJSON(b []byte) error { return decodeModel(b, g) }
func (*graphIssue) decodeOnly()                    {}

// graphPost is a serviceHealthIssuePost.
type graphPost struct {
	CreatedDateTime Time                       `json:"createdDateTime"`
	PostType        string                     `json:"postType"`
	Description     *graphItemBody             `json:"description"`
	Extra           map[string]json.RawMessage `json:"-"`
	wireState
}

func (g *graphPost) UnmarshalJSON(b []byte) error { return decodeModel(b, g) }
func (*graphPost) decodeOnly()                    {}

// graphItemBody is an itemBody.
type graphItemBody struct {
	ContentType string                     `json:"contentType"`
	Content     string                     `json:"content"`
	Extra       map[string]json.RawMessage `json:"-"`
	wireState
}

func (g *graphItemBody) UnmarshalJSON(b []byte) error { return decodeModel(b, g) }
func (*graphItemBody) decodeOnly()                    {}

// graphMessage is a serviceUpdateMessage (a Message Center post).
type graphMessage struct {
	ID                       string                     `json:"id"`
	Title                    *string                    `json:"title"`
	StartDateTime            Time                       `json:"startDateTime"`
	EndDateTime              *Time                      `json:"endDateTime"`
	LastModifiedDateTime     Time                       `json:"lastModifiedDateTime"`
	ActionRequiredByDateTime *Time                      `json:"actionRequiredByDateTime"`
	Category                 string                     `json:"category"`
	Severity                 string                     `json:"severity"`
	Tags                     []string                   `json:"tags"`
	IsMajorChange            bool                       `json:"isMajorChange"`
	Services                 []string                   `json:"services"`
	HasAttachments           bool                       `json:"hasAttachments"`
	ViewPoint                json.RawMessage            `json:"viewPoint"`
	Details                  []AdditionalDetail         `json:"details"`
	Body                     *graphItemBody             `json:"body"`
	Extra                    map[string]json.RawMessage `json:"-"`
	wireState
}

func (g *graphMessage) UnmarshalJSON(b []byte) error { return decodeModel(b, g) }
func (*graphMessage) decodeOnly()                    {}

// keepExtra copies Graph members without a field into dst, dropping
// instance annotations ("@odata.context", "issues@odata.context",
// "@microsoft.graph.tips"): they describe the response, not the entity.
func keepExtra(dst map[string]json.RawMessage, src map[string]json.RawMessage) map[string]json.RawMessage {
	for k, v := range src {
		if strings.Contains(k, "@") {
			continue
		}
		if dst == nil {
			dst = make(map[string]json.RawMessage)
		}
		dst[k] = v
	}
	return dst
}

func (g *graphIssue) message(c *serviceCatalog) *Message {
	m := &Message{
		ID: g.ID, Title: g.Title, MessageType: MessageTypeIncident,
		Classification: Classification(fromGraph(vocabClassification, g.Classification)),
		// Messages carry display strings in the retired API's vocabulary.
		Status:          Status(Status(fromGraph(vocabStatus, g.Status)).DisplayName()),
		GraphStatus:     g.Status,
		StartTime:       g.StartDateTime,
		EndTime:         g.EndDateTime,
		LastUpdatedTime: g.LastModifiedDateTime,
		Workload:        c.id(g.Service), WorkloadDisplayName: g.Service,
		Feature: g.Feature, FeatureDisplayName: g.Feature, FeatureGroup: g.FeatureGroup,
		ImpactDescription: g.ImpactDescription,
		AdditionalDetails: g.Details,
		Origin:            g.Origin,
		Resolved:          g.IsResolved,
	}
	for _, p := range g.Posts {
		h := MessageHistory{PublishedTime: p.CreatedDateTime, PostType: p.PostType, Extra: keepExtra(nil, p.Extra)}
		if d := p.Description; d != nil {
			h.MessageText, h.ContentType = d.Content, d.ContentType
			if len(d.Extra) > 0 {
				raw, _ := json.Marshal(d.Extra)
				h.Extra = keepExtra(h.Extra, map[string]json.RawMessage{"description": raw})
			}
		}
		m.Messages = append(m.Messages, h)
	}
	m.Extra = keepExtra(nil, g.Extra)
	return m
}

func (g *graphMessage) message(c *serviceCatalog) *Message {
	m := &Message{
		ID: g.ID, Title: g.Title, MessageType: MessageTypeMessageCenter,
		Severity:             Severity(fromGraph(vocabSeverity, g.Severity)),
		Category:             fromGraph(vocabCategory, g.Category),
		StartTime:            g.StartDateTime,
		EndTime:              g.EndDateTime,
		LastUpdatedTime:      g.LastModifiedDateTime,
		ActionRequiredByDate: g.ActionRequiredByDateTime,
		MessageTagNames:      g.Tags,
		IsMajorChange:        g.IsMajorChange,
		Services:             g.Services,
		HasAttachments:       g.HasAttachments,
		AdditionalDetails:    g.Details,
	}
	for i, s := range g.Services {
		if i == 0 {
			m.Workload, m.WorkloadDisplayName = c.id(s), s
		}
		m.AffectedWorkloadNames = append(m.AffectedWorkloadNames, c.id(s))
		m.AffectedWorkloadDisplayNames = append(m.AffectedWorkloadDisplayNames, s)
	}
	for _, d := range g.Details {
		switch strings.ToLower(d.Name) {
		case "bloglink":
			m.BlogLink = d.Value
		case "externallink":
			m.ExternalLink = d.Value
		case "helplink":
			m.HelpLink = d.Value
		}
	}
	if b := g.Body; b != nil {
		h := MessageHistory{PublishedTime: g.LastModifiedDateTime, MessageText: b.Content, ContentType: b.ContentType,
			Extra: keepExtra(nil, b.Extra)}
		m.Messages = []MessageHistory{h}
	}
	m.Extra = keepExtra(nil, g.Extra)
	if vp := strings.TrimSpace(string(g.ViewPoint)); vp != "" && vp != "null" {
		var v struct {
			IsRead bool `json:"isRead"`
		}
		if json.Unmarshal(g.ViewPoint, &v) == nil {
			m.IsRead = v.IsRead
		}
		m.Extra = keepExtra(m.Extra, map[string]json.RawMessage{"viewPoint": g.ViewPoint})
	}
	return m
}

// project zeroes every field of *p not named in sel (by its member name or
// an alias, case-insensitively) and drops Extra: the result of a $select
// the client had to map or compute itself.
func project[T any, P model[T]](p P, sel []string) {
	if len(sel) == 0 {
		return
	}
	mi := infoFor(reflect.TypeFor[T]())
	rv := reflect.ValueOf(p).Elem()
	keep := make([]bool, len(mi.fields))
	for _, s := range sel {
		if i := mi.lookup(s); i >= 0 {
			keep[i] = true
		}
	}
	for i, f := range mi.fields {
		if !keep[i] {
			rv.Field(f.index).SetZero()
		}
	}
	rv.Field(mi.extra).SetZero()
	p.state().wire = nil
}
