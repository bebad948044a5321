package outlook

// Generic helpers for the CRUD shape every Outlook entity set shares. The
// Mail services are written with them; Calendar (events, calendars),
// Contacts, Tasks and the other subsets reuse them the same way:
//
//	// in calendar.go
//	func (s *EventsService) Get(ctx context.Context, id string, opts *GetOptions) (*Event, error) {
//		return getEntity[Event](ctx, s.mb, "events/"+seg(id), opts) // GET {root}/events/{id}
//	}
//
// Every helper takes the Mailbox (user context, X-AnchorMailbox, Prefer,
// concurrency limit) and a path relative to it whose ids are already
// escaped with seg. Collection reads send the odata.maxpagesize preference,
// single reads the body-format preferences, writes only the time zone.
// Helpers that create or act (createEntity, postAction, postEntity) are
// never retried once the server may have processed them; update, delete and
// reads are.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
	"github.com/office365-go/office365/outlook/internal/graphwire"
)

// seg escapes one path segment (an id, which may contain "/", "+" and "=").
func seg(id string) string { return transport.EscapeSegment(id) }

// needID validates an id argument.
func needID(what, id string) error {
	if id == "" {
		return fmt.Errorf("outlook: empty %s id", what)
	}
	return nil
}

// ListOptions are the OData query options and preferences of a collection
// read. The zero value (or nil) asks for the service's defaults.
type ListOptions struct {
	// Select lists the properties to return ($select); Id always comes back.
	Select []string
	// Filter is an OData filter ($filter), e.g. "IsRead eq false" or
	// "ReceivedDateTime ge 2016-01-01T00:00:00Z". Quote strings with
	// office365.QuoteString.
	Filter string
	// OrderBy lists sort clauses ($orderby), e.g. "ReceivedDateTime desc".
	OrderBy []string
	// Expand lists navigation properties ($expand), e.g. "Attachments".
	Expand []string
	// Search is a $search expression (messages only), e.g. "subject:pizza";
	// it cannot be combined with Filter or OrderBy.
	Search string
	// Top is the page size ($top; service default 10), not a limit: a List
	// iterator still follows the next links through the whole collection.
	// Break out of the loop after n items, or take one page with
	// FirstPage(ListPages(…)).
	Top int
	// Skip skips that many items ($skip).
	Skip int
	// Count asks for the total in Page.Count ($count=true).
	Count bool
	// Prefer overrides the mailbox's preferences for this call.
	Prefer Prefer
}

func (o *ListOptions) query() (string, error) {
	if o == nil {
		return "", nil
	}
	if o.Top < 0 || o.Skip < 0 {
		return "", errors.New("outlook: ListOptions: negative Top or Skip")
	}
	if o.Search != "" && (o.Filter != "" || len(o.OrderBy) > 0) {
		return "", errors.New("outlook: ListOptions: Search cannot be combined with Filter or OrderBy (the service refuses $search with $filter or $orderby; search results come newest first)")
	}
	return office365.Query{Select: o.Select, Filter: o.Filter, OrderBy: o.OrderBy, Expand: o.Expand,
		Search: o.Search, Top: o.Top, Skip: o.Skip, Count: o.Count}.Encode(), nil
}

func (o *ListOptions) prefer() *Prefer {
	if o == nil {
		return nil
	}
	return &o.Prefer
}

// GetOptions are the query options and preferences of a single-entity read.
type GetOptions struct {
	// Select lists the properties to return ($select).
	Select []string
	// Expand lists navigation properties ($expand), e.g. "Attachments".
	Expand []string
	// Prefer overrides the mailbox's preferences for this call.
	Prefer Prefer
}

func (o *GetOptions) query() string {
	if o == nil {
		return ""
	}
	return office365.Query{Select: o.Select, Expand: o.Expand}.Encode()
}

func (o *GetOptions) prefer() *Prefer {
	if o == nil {
		return nil
	}
	return &o.Prefer
}

// Page is one page of a collection.
type Page[T any] struct {
	// Value holds the page's items.
	Value []T `json:"value"`
	// NextLink is the next page's URL ("" on the last page).
	NextLink string `json:"@odata.nextLink,omitempty"`
	// Count is the total (@odata.count) when ListOptions.Count was set.
	Count *int64 `json:"@odata.count,omitempty"`
}

// shapeOf returns what a body of entity type T is, for the Graph codec:
// tasks and task folders are served by Microsoft To Do, extensions keep
// their custom property names.
func shapeOf[T any]() graphwire.Shape {
	switch any((*T)(nil)).(type) {
	case *Task:
		return graphwire.TodoTask
	case *TaskFolder:
		return graphwire.TodoList
	case *Extension:
		return graphwire.Extension
	}
	return graphwire.Entity
}

// getEntity reads one entity: GET {mailbox}/{rel}.
func getEntity[T any](ctx context.Context, mb *Mailbox, rel string, opts *GetOptions) (*T, error) {
	out := new(T)
	if _, err := mb.doJSON(ctx, &call{method: http.MethodGet, rel: rel, query: opts.query(), kind: kindRead, prefer: opts.prefer(), shape: shapeOf[T]()}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// listPages iterates the pages of a collection: GET {mailbox}/{rel} with the
// options, then each @odata.nextLink verbatim (with the same headers). It
// yields at most one error and stops.
func listPages[T any](ctx context.Context, mb *Mailbox, rel string, opts *ListOptions) iter.Seq2[*Page[T], error] {
	return listPagesCall[T](ctx, mb, &call{method: http.MethodGet, rel: rel, kind: kindCollection, prefer: opts.prefer()}, opts)
}

func listPagesCall[T any](ctx context.Context, mb *Mailbox, first *call, opts *ListOptions) iter.Seq2[*Page[T], error] {
	q, err := opts.query()
	if err != nil {
		return func(yield func(*Page[T], error) bool) { yield(nil, err) }
	}
	return odata.Follow(func(next string) (*Page[T], error) {
		c := *first
		if c.shape == graphwire.Entity {
			c.shape = shapeOf[T]()
		}
		c.query = odata.JoinQuery(c.query, q)
		if next != "" {
			c.rel, c.query = next, ""
		}
		return decodePage[T](ctx, mb, &c)
	}, func(page *Page[T]) string { return page.NextLink })
}

// decodePage sends c and decodes the collection page it answers with
// through odata.Page: items are capped at the service's page maximum and a
// body without a "value" array is an error, never an empty page.
func decodePage[T any](ctx context.Context, mb *Mailbox, c *call) (*Page[T], error) {
	var pg odata.Page[T]
	if _, err := mb.doJSON(ctx, c, &pg); err != nil {
		return nil, err
	}
	return &Page[T]{Value: pg.Value, NextLink: pg.NextLink, Count: pg.Count}, nil
}

// listEntities iterates every item of a collection across pages.
func listEntities[T any](ctx context.Context, mb *Mailbox, rel string, opts *ListOptions) iter.Seq2[*T, error] {
	return flattenPages(listPages[T](ctx, mb, rel, opts))
}

func flattenPages[T any](pages iter.Seq2[*Page[T], error]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		for page, err := range pages {
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Value {
				if !yield(&page.Value[i], nil) {
					return
				}
			}
		}
	}
}

// collectAll gathers an iterator into a slice.
func collectAll[T any](seq iter.Seq2[*T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// countEntities reads GET {mailbox}/{rel}/$count[?$filter=…], which answers
// with a bare integer.
func countEntities(ctx context.Context, mb *Mailbox, rel, filter string) (int64, error) {
	q := ""
	if filter != "" {
		q = office365.Query{Filter: filter}.Encode()
	}
	resp, err := mb.do(ctx, &call{method: http.MethodGet, rel: rel + "/$count", query: q, kind: kindWrite})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64))
	if err != nil {
		return 0, fmt.Errorf("outlook: reading $count: %w", err)
	}
	// Some services answer a BOM or a JSON number; accept both.
	s := strings.TrimSpace(strings.TrimPrefix(string(b), "\ufeff"))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("outlook: $count answered %q, not an integer", s)
	}
	return n, nil
}

// createEntity creates an entity: POST {mailbox}/{rel} with body, 201 and
// the created entity. Not retried once sent.
func createEntity[T any](ctx context.Context, mb *Mailbox, rel string, body any) (*T, error) {
	return postEntity[T](ctx, mb, rel, body)
}

// postEntity posts body (nil: no body) to an action that returns an entity
// (createreply, move, copy …). Not retried once sent.
func postEntity[T any](ctx context.Context, mb *Mailbox, rel string, body any) (*T, error) {
	out := new(T)
	if _, err := mb.doJSON(ctx, &call{method: http.MethodPost, rel: rel, json: body, kind: kindWrite, shape: shapeOf[T]()}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// postAction posts body (nil: no body) to an action answering 202 with no
// content (send, reply, forward …). Not retried once sent, so a message is
// never sent twice.
func postAction(ctx context.Context, mb *Mailbox, rel string, body any) error {
	_, err := mb.doJSON(ctx, &call{method: http.MethodPost, rel: rel, json: body, kind: kindWrite}, nil)
	return err
}

// updateEntity patches an entity: PATCH {mailbox}/{rel} with only the
// changed properties, 200 and the full entity. Retried like a PUT: setting
// the same values twice is harmless.
func updateEntity[T any](ctx context.Context, mb *Mailbox, rel string, patch any) (*T, error) {
	out := new(T)
	if _, err := mb.doJSON(ctx, &call{method: http.MethodPatch, rel: rel, json: patch, idempotent: true, kind: kindWrite, shape: shapeOf[T]()}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// deleteEntity deletes: DELETE {mailbox}/{rel}, 204.
func deleteEntity(ctx context.Context, mb *Mailbox, rel string) error {
	_, err := mb.doJSON(ctx, &call{method: http.MethodDelete, rel: rel, kind: kindWrite}, nil)
	return err
}

// entitySet bundles the helpers for one collection path (e.g. "messages",
// "MailFolders/inbox/MessageRules"): get/update/delete address
// "{path}/{id}", list/create/count the collection itself.
type entitySet[T any] struct {
	mb   *Mailbox
	path string
	what string // for errors: "message", "rule" …
}

func (s entitySet[T]) item(id string) string { return s.path + "/" + seg(id) }

func (s entitySet[T]) get(ctx context.Context, id string, opts *GetOptions) (*T, error) {
	if err := needID(s.what, id); err != nil {
		return nil, err
	}
	return getEntity[T](ctx, s.mb, s.item(id), opts)
}

func (s entitySet[T]) list(ctx context.Context, opts *ListOptions) iter.Seq2[*T, error] {
	return listEntities[T](ctx, s.mb, s.path, opts)
}

func (s entitySet[T]) pages(ctx context.Context, opts *ListOptions) iter.Seq2[*Page[T], error] {
	return listPages[T](ctx, s.mb, s.path, opts)
}

func (s entitySet[T]) create(ctx context.Context, body any) (*T, error) {
	if body == nil {
		return nil, fmt.Errorf("outlook: nil %s", s.what)
	}
	return createEntity[T](ctx, s.mb, s.path, body)
}

func (s entitySet[T]) update(ctx context.Context, id string, patch any) (*T, error) {
	if err := needID(s.what, id); err != nil {
		return nil, err
	}
	if patch == nil {
		return nil, fmt.Errorf("outlook: nil %s update", s.what)
	}
	return updateEntity[T](ctx, s.mb, s.item(id), patch)
}

func (s entitySet[T]) delete(ctx context.Context, id string) error {
	if err := needID(s.what, id); err != nil {
		return err
	}
	return deleteEntity(ctx, s.mb, s.item(id))
}

func (s entitySet[T]) count(ctx context.Context, filter string) (int64, error) {
	return countEntities(ctx, s.mb, s.path, filter)
}
