package streaming

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/office365-go/office365/internal/transport"
)

// The calendar window a Graph client watches for [Events]: Graph tracks
// events only through a calendarView of the primary calendar, whose start
// and end are fixed when the subscription is created. Changes to events
// outside the window are reported as Deleted (Graph marks them removed).
// For another window, subscribe with ResourceURL and a calendarView delta
// URL of your own.
const (
	GraphEventsWindowPast   = 365 * 24 * time.Hour
	GraphEventsWindowFuture = 2 * 365 * 24 * time.Hour
)

// graphWellKnownFolders maps the well-known folder names of the Outlook API
// to Graph's spelling.
var graphWellKnownFolders = map[string]string{
	"inbox": "inbox", "drafts": "drafts", "sentitems": "sentitems", "deleteditems": "deleteditems",
	"junkemail": "junkemail", "archive": "archive", "outbox": "outbox",
}

// graphDeltaURL returns the absolute Graph delta URL that tracks r for the
// client's user: the Resource of a Graph-mode subscription. now anchors the
// calendar window of Events.
//
// For a resource that Graph tracks per container only (every message of
// the mailbox, every To Do task), u is the delta query of the containers
// (mail folders, To Do lists) and each is the delta URL of one
// container's items, with "{id}" in place of the container's id: the
// subscription is a composite of one delta query per container.
func (c *Client) graphDeltaURL(r Resource, now time.Time) (u, each string, err error) {
	if r.err != nil {
		return "", "", r.err
	}
	if r.raw != "" {
		u, err := c.graphRawURL(r.raw)
		return u, "", err
	}
	var path, composite string
	q := url.Values{}
	switch r.coll {
	case "mailfolders":
		key := r.key
		if wk, ok := graphWellKnownFolders[strings.ToLower(key)]; ok {
			key = wk
		}
		path = "mailFolders/" + transport.EscapeSegment(key) + "/messages/delta"
	case "contactfolders":
		path = "contactFolders/" + transport.EscapeSegment(r.key) + "/contacts/delta"
	case "taskfolders":
		path = "todo/lists/" + transport.EscapeSegment(r.key) + "/tasks/delta"
	case "calendars":
		return "", "", errors.New("streaming: Microsoft Graph tracks events only in the primary calendar's calendarView: " +
			"subscribe to Events() (or ResourceURL with a calendarView delta URL) with WithGraph")
	default:
		switch r.path {
		case "contacts":
			path = "contacts/delta"
		case "events":
			path = "calendarView/delta"
			q.Set("startDateTime", now.Add(-GraphEventsWindowPast).UTC().Format("2006-01-02T15:04:05Z"))
			q.Set("endDateTime", now.Add(GraphEventsWindowFuture).UTC().Format("2006-01-02T15:04:05Z"))
		case "messages":
			path, composite = "mailFolders/"+graphPartID+"/messages/delta", "mailFolders/delta"
		case "tasks":
			path, composite = "todo/lists/"+graphPartID+"/tasks/delta", "todo/lists/delta"
		case "":
			return "", "", errors.New("streaming: empty Resource (use FolderMessages(…), Events(), Contacts(), …)")
		default:
			return "", "", errors.New("streaming: resource " + r.path + " has no Microsoft Graph delta query")
		}
	}
	if r.filter != "" {
		if r.coll != "mailfolders" && r.path != "messages" {
			return "", "", errors.New("streaming: Microsoft Graph delta accepts $filter only on messages (receivedDateTime ge|gt …)")
		}
		q.Set("$filter", r.filter)
	}
	if r.path != "events" {
		// calendarView delta takes no $select: its items come whole, and
		// ResourceData is cut down to the selected properties all the same.
		q.Set("$select", graphSelect(r.sel))
	}
	u = c.userRoot + "/" + path
	if len(q) > 0 {
		u += "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	if composite != "" {
		return c.userRoot + "/" + composite, u, nil
	}
	return u, "", nil
}

// graphPartID stands for a container's id in a composite subscription's
// per-container delta URL.
const graphPartID = "{id}"

// graphPartURL returns the delta URL of one container of a composite
// subscription.
func graphPartURL(each, id string) string {
	return strings.Replace(each, graphPartID, transport.EscapeSegment(id), 1)
}

// graphSelect spells Outlook property names (PascalCase) as Graph's
// camelCase ones and always adds id and lastModifiedDateTime, from which
// the poller tells an updated item from a repeat when Graph sends no etag.
// ResourceData still carries exactly the selected properties.
func graphSelect(props []string) string {
	out := make([]string, 0, len(props)+1)
	seen := map[string]bool{}
	for _, p := range append([]string{"id"}, append(append([]string(nil), props...), "lastModifiedDateTime")...) {
		p = strings.TrimSpace(p)
		g := strings.ToLower(p[:1]) + p[1:]
		if !seen[strings.ToLower(g)] {
			seen[strings.ToLower(g)] = true
			out = append(out, g)
		}
	}
	return strings.Join(out, ",")
}

// graphRawURL resolves a ResourceURL given to a Graph client: absolute, or
// relative to the Graph root when it names its user ("me/…", "users/…"),
// otherwise relative to the client's user. It must be a delta query.
func (c *Client) graphRawURL(raw string) (string, error) {
	u := raw
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		u = strings.TrimLeft(u, "/")
		if l := strings.ToLower(u); strings.HasPrefix(l, "me/") || strings.HasPrefix(l, "users/") {
			u = c.p.Root() + "/" + u
		} else {
			u = c.userRoot + "/" + u
		}
	}
	pu, err := url.Parse(u)
	if err != nil {
		return "", errors.New("streaming: ResourceURL: invalid URL")
	}
	if !strings.HasSuffix(strings.ToLower(pu.Path), "/delta") {
		return "", errors.New("streaming: with WithGraph, ResourceURL must be a Microsoft Graph delta query (…/delta)")
	}
	return u, nil
}

// graphItemBase returns the URL under which the items a delta URL reports
// live ("…/mailFolders/inbox/messages/" for "…/mailFolders/inbox/messages/delta"),
// and the @odata.type of those items. Notification.Resource is the base
// followed by the item's id.
func graphItemBase(deltaURL string) (base, odataType string) {
	u := deltaURL
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimSuffix(u, "/delta")
	if strings.HasSuffix(strings.ToLower(u), "/calendarview") {
		u = u[:len(u)-len("calendarView")] + "events"
	}
	last := strings.ToLower(u[strings.LastIndexByte(u, '/')+1:])
	switch last {
	case "messages":
		odataType = "#microsoft.graph.message"
	case "events":
		odataType = "#microsoft.graph.event"
	case "contacts":
		odataType = "#microsoft.graph.contact"
	case "tasks":
		odataType = "#microsoft.graph.todoTask"
	}
	return u + "/", odataType
}

// graphSelected returns the lower-cased property names ResourceData
// carries beyond the identifying ones.
func graphSelected(props []string) map[string]bool {
	out := make(map[string]bool, len(props))
	for _, p := range props {
		out[strings.ToLower(strings.TrimSpace(p))] = true
	}
	return out
}
