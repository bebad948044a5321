package streaming

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/office365-go/office365"
)

// Well-known mail folder names accepted by [FolderMessages] (the service
// compares them case-insensitively; folder ids are case-sensitive).
const (
	Inbox        = "Inbox"
	Drafts       = "Drafts"
	SentItems    = "SentItems"
	DeletedItems = "DeletedItems"
	JunkEmail    = "JunkEmail"
	Archive      = "Archive"
	Outbox       = "Outbox"
)

// Resource names what a subscription watches: a mailbox-wide collection of
// messages, events, contacts or tasks, or the items of one folder, narrowed
// with Filter and enriched with Select (rich notifications). It is an
// immutable value: Filter and Select return a modified copy.
//
//	streaming.FolderMessages(streaming.Inbox).Filter("IsRead eq false").Select("Subject", "From")
//
// The client turns it into the absolute URL the service expects, such as
// https://outlook.office.com/api/beta/me/mailfolders('Inbox')/messages?$filter=IsRead%20eq%20false,
// for the client's user (see [WithUser]).
type Resource struct {
	path   string // relative to the user root, e.g. "mailfolders('Inbox')/messages"
	coll   string // for a keyed resource: the collection ("mailfolders") …
	key    string // … and the folder's id or name, unescaped
	raw    string // a verbatim URL from ResourceURL
	filter string
	sel    []string
	err    error
}

// Messages watches every message in the mailbox (resource "messages").
func Messages() Resource { return Resource{path: "messages"} }

// Events watches every event in the mailbox (resource "events").
func Events() Resource { return Resource{path: "events"} }

// Contacts watches every contact in the mailbox (resource "contacts").
func Contacts() Resource { return Resource{path: "contacts"} }

// Tasks watches every task in the mailbox (resource "tasks").
func Tasks() Resource { return Resource{path: "tasks"} }

// FolderMessages watches the messages of one mail folder, named by id or
// by a well-known name such as [Inbox] (resource
// "mailfolders('{folder}')/messages"). Search folders work too.
func FolderMessages(folder string) Resource { return keyed("mailfolders", folder, "messages") }

// CalendarEvents watches the events of one calendar by id (resource
// "calendars('{id}')/events").
func CalendarEvents(calendarID string) Resource { return keyed("calendars", calendarID, "events") }

// FolderContacts watches the contacts of one contact folder by id (resource
// "contactfolders('{id}')/contacts").
func FolderContacts(folderID string) Resource { return keyed("contactfolders", folderID, "contacts") }

// FolderTasks watches the tasks of one task folder by id (resource
// "taskfolders('{id}')/tasks").
func FolderTasks(folderID string) Resource { return keyed("taskfolders", folderID, "tasks") }

// ResourceURL uses u verbatim as the subscription's Resource: an absolute
// URL, a path relative to the client's user such as
// "mailfolders('inbox')/messages", or one that names its user ("me/tasks",
// "users/{upn}/events"), relative to the beta root.
// It cannot be combined with Filter or Select (put them in u).
func ResourceURL(u string) Resource {
	if strings.TrimSpace(u) == "" {
		return Resource{err: errors.New("streaming: ResourceURL: empty URL")}
	}
	if strings.ContainsAny(u, " \r\n\t") {
		return Resource{err: errors.New("streaming: ResourceURL: URL contains whitespace (escape it)")}
	}
	return Resource{raw: u}
}

func keyed(collection, key, items string) Resource {
	if strings.TrimSpace(key) == "" {
		return Resource{err: errors.New("streaming: empty " + collection + " id or name")}
	}
	return Resource{path: collection + "(" + escapeKey(key) + ")/" + items, coll: collection, key: key}
}

// escapeKey renders an id as an OData key literal ('id', quotes doubled)
// escaped for a URL path, keeping quotes and parentheses literal.
func escapeKey(id string) string {
	return "'" + strings.ReplaceAll(url.PathEscape(strings.ReplaceAll(id, "'", "''")), "%27", "'") + "'"
}

// Filter narrows the notifications to items matching an OData $filter
// expression (for example "Subject eq 'Supplements'"), as the service
// evaluates it: an item entering the filter is reported as Created, one
// leaving it as Deleted.
func (r Resource) Filter(expr string) Resource {
	if r.raw != "" && r.err == nil {
		r.err = errors.New("streaming: Filter cannot be combined with ResourceURL")
	}
	r.filter = expr
	return r
}

// Select asks for rich notifications: the named properties are sent in
// every notification's ResourceData.
func (r Resource) Select(props ...string) Resource {
	if r.raw != "" && r.err == nil {
		r.err = errors.New("streaming: Select cannot be combined with ResourceURL")
	}
	for _, p := range props {
		if strings.TrimSpace(p) == "" || strings.ContainsAny(p, ",&?#") {
			if r.err == nil {
				r.err = errors.New("streaming: invalid $select property " + `"` + p + `"`)
			}
		}
	}
	r.sel = append(slices.Clip(r.sel), props...)
	return r
}

// String returns the resource relative to the user root, with its query,
// for example "mailfolders('Inbox')/messages?$select=Subject".
func (r Resource) String() string {
	if r.raw != "" {
		return r.raw
	}
	q := office365.Query{Filter: r.filter, Select: r.sel}.Encode()
	if q == "" {
		return r.path
	}
	return r.path + "?" + q
}

// url returns the absolute resource URL: below userRoot ("{root}/me" or
// "{root}/users/{upn}"), or below root for a relative ResourceURL that
// names its user ("me/…", "users/…").
func (r Resource) url(root, userRoot string) (string, error) {
	if r.err != nil {
		return "", r.err
	}
	if r.path == "" && r.raw == "" {
		return "", errors.New("streaming: empty Resource (use Messages(), FolderMessages(…), …)")
	}
	s := r.String()
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return s, nil
	}
	s = strings.TrimLeft(s, "/")
	if l := strings.ToLower(s); r.raw != "" && (strings.HasPrefix(l, "me/") || strings.HasPrefix(l, "users/")) {
		return root + "/" + s, nil
	}
	return userRoot + "/" + s, nil
}
