// Package odata implements the OData v4 conventions the services share: the
// collection envelope, paging by @odata.nextLink or by $top/$skip, and delta
// links. Everything goes through the transport pipeline.
package odata

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/office365-go/office365/internal/transport"
)

// Page is one page of a collection response.
type Page[T any] struct {
	// Value holds the page's items.
	Value []T `json:"value"`
	// NextLink is the URL of the next page, if any. Follow it verbatim.
	NextLink string `json:"@odata.nextLink,omitempty"`
	// DeltaLink ends a round of a sync (delta) query; store it to resume.
	DeltaLink string `json:"@odata.deltaLink,omitempty"`
	// Count is @odata.count when $count=true was asked for.
	Count *int64 `json:"@odata.count,omitempty"`
	// Context is @odata.context (informational only).
	Context string `json:"@odata.context,omitempty"`
	// MaxItems caps the items decoding accepts on this page (see
	// DecodeJSONBody); zero means DefaultMaxItems.
	MaxItems int `json:"-"`
}

// An Option adjusts how a collection is paged.
type Option func(*options)

type options struct{ maxItems int }

// MaxItems sets the most items one page may hold: the service's own page
// maximum (ServiceCommsMaxItems for ServiceComms). A page holding more is an
// error wrapping ErrTooManyItems. n <= 0 keeps DefaultMaxItems.
func MaxItems(n int) Option { return func(o *options) { o.maxItems = n } }

func newOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// Pages iterates the pages of a collection, starting with req and following
// @odata.nextLink verbatim (the first request's headers are sent with every
// page). A nextLink to a host other than the service's is not followed (the
// pipeline refuses to send the client's token there): that ends the
// iteration with an error. It yields at most one error and then stops. A
// page without a "value" array, or with more items than the cap (see
// MaxItems), is an error.
func Pages[T any](ctx context.Context, p *transport.Pipeline, req transport.Request, opts ...Option) iter.Seq2[*Page[T], error] {
	o := newOptions(opts)
	return Follow(func(next string) (*Page[T], error) {
		r := req
		if next != "" {
			r = nextRequest(req, next)
		}
		page := &Page[T]{MaxItems: o.maxItems}
		if err := p.DoJSON(ctx, &r, page); err != nil {
			return nil, err
		}
		return page, nil
	}, func(page *Page[T]) string { return page.NextLink })
}

// Follow iterates pages of any page type P: it calls fetch("") for the first
// page and fetch(link) with each page's next link (as returned by next)
// until a page has none. A link seen twice ends the iteration with an error
// instead of looping. It yields at most one error and then stops. Clients
// that send pages through their own request path (the Outlook client's
// per-mailbox limiter, for example) page with it.
func Follow[P any](fetch func(next string) (P, error), next func(P) string) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		var zero P
		seen := map[string]bool{}
		link := ""
		for {
			page, err := fetch(link)
			if err != nil {
				yield(zero, err)
				return
			}
			if !yield(page, nil) {
				return
			}
			link = next(page)
			if link == "" {
				return
			}
			if seen[link] {
				yield(zero, errors.New("office365: the service returned the same @odata.nextLink twice; stopping to avoid a loop"))
				return
			}
			seen[link] = true
		}
	}
}

// nextRequest is the request for the page at link, which is used verbatim:
// the method, headers, scopes and retry settings of req are kept, its query
// and body are not.
func nextRequest(req transport.Request, link string) transport.Request {
	return transport.Request{Method: req.Method, Path: link, Header: req.Header, Scopes: req.Scopes,
		Idempotent: req.Idempotent, NoRetry: req.NoRetry}
}

// Items iterates every item of a collection across pages (see Pages).
func Items[T any](ctx context.Context, p *transport.Pipeline, req transport.Request, opts ...Option) iter.Seq2[T, error] {
	return flatten(Pages[T](ctx, p, req, opts...))
}

// TopSkipPages iterates a collection the service pages only by $top and
// $skip (ServiceComms): it asks for pageSize items at increasing $skip until
// a page comes back short. query is the encoded query without $top/$skip.
// A nextLink in a response is followed instead when present.
func TopSkipPages[T any](ctx context.Context, p *transport.Pipeline, req transport.Request, pageSize int, opts ...Option) iter.Seq2[*Page[T], error] {
	o := newOptions(opts)
	return func(yield func(*Page[T], error) bool) {
		if pageSize <= 0 {
			yield(nil, fmt.Errorf("office365: page size must be positive, got %d", pageSize))
			return
		}
		base := req.Query
		for skip := 0; ; {
			r := req
			r.Query = JoinQuery(base, "$top="+strconv.Itoa(pageSize))
			if skip > 0 {
				r.Query = JoinQuery(r.Query, "$skip="+strconv.Itoa(skip))
			}
			page := &Page[T]{MaxItems: o.maxItems}
			if err := p.DoJSON(ctx, &r, page); err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) {
				return
			}
			if page.NextLink != "" {
				for pg, err := range Pages[T](ctx, p, nextRequest(req, page.NextLink), opts...) {
					if !yield(pg, err) || err != nil {
						return
					}
				}
				return
			}
			if len(page.Value) < pageSize {
				return
			}
			skip += len(page.Value)
		}
	}
}

// TopSkipItems iterates every item of a $top/$skip-paged collection.
func TopSkipItems[T any](ctx context.Context, p *transport.Pipeline, req transport.Request, pageSize int, opts ...Option) iter.Seq2[T, error] {
	return flatten(TopSkipPages[T](ctx, p, req, pageSize, opts...))
}

func flatten[T any](pages iter.Seq2[*Page[T], error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page, err := range pages {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, v := range page.Value {
				if !yield(v, nil) {
					return
				}
			}
		}
	}
}

// JoinQuery joins two encoded query strings with "&", either may be empty.
func JoinQuery(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "&" + b
}

// Token extracts a query parameter from a next or delta link,
// case-insensitively (links carry $deltatoken or $deltaToken, $skiptoken or
// $skipToken). It returns "" when absent.
func Token(link, name string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	for k, vs := range u.Query() {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// Collection decodes a whole single-page collection into its items.
func Collection[T any](ctx context.Context, p *transport.Pipeline, req transport.Request, opts ...Option) ([]T, error) {
	var out []T
	for v, err := range Items[T](ctx, p, req, opts...) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
