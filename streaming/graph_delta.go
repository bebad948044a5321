package streaming

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
)

// GraphMaxConcurrentRequests is how many requests a WithGraph client sends
// at once, for all its subscriptions and listeners together: the Outlook
// service's limit per application and mailbox on Microsoft Graph.
const GraphMaxConcurrentRequests = 4

// graphBackend is what a WithGraph Client adds: the per-mailbox request
// budget its pollers share.
type graphBackend struct {
	// sem holds one token per request in flight.
	sem chan struct{}
	// throttled is when (Unix nanoseconds) the last Retry-After ends: no
	// request of this client leaves before then.
	throttled atomic.Int64
}

func newGraphBackend() *graphBackend {
	return &graphBackend{sem: make(chan struct{}, GraphMaxConcurrentRequests)}
}

// throttle holds every request of the client back for d.
func (b *graphBackend) throttle(d time.Duration) {
	until := time.Now().Add(d).UnixNano()
	for {
		cur := b.throttled.Load()
		if cur >= until || b.throttled.CompareAndSwap(cur, until) {
			return
		}
	}
}

// wait blocks until the client is not throttled and a request slot is
// free; release the slot with done.
func (b *graphBackend) wait(ctx context.Context) (done func(), err error) {
	for {
		d := time.Until(time.Unix(0, b.throttled.Load()))
		if d <= 0 {
			break
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
	select {
	case b.sem <- struct{}{}:
		return func() { <-b.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// deltaPage is one page of a Graph delta query. Decoding it caps its
// items and refuses a body without a "value" array (see odata.Page).
type deltaPage = odata.Page[json.RawMessage]

// errNoDeltaLink reports a delta page that ends neither with a next link
// nor with a delta link.
var errNoDeltaLink = errors.New("streaming: Graph delta page has neither @odata.nextLink nor @odata.deltaLink")

// fetchDelta GETs one page of a delta query (link is a delta URL, a
// nextLink or a deltaLink, used verbatim) within the client's request
// budget. With retry false the pipeline does not retry: the poller decides.
// A Retry-After in the answer holds back every request of the client.
//
// timeout, when positive, bounds the request once it has its slot: a
// stalled answer is given up as a network error.
func (c *Client) fetchDelta(ctx context.Context, link string, retry bool, timeout time.Duration) (*deltaPage, error) {
	done, err := c.graph.wait(ctx)
	if err != nil {
		return nil, err
	}
	rctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeoutCause(ctx, timeout, ErrStalled)
		defer cancel()
	}
	var page deltaPage
	err = c.p.DoJSON(rctx, &transport.Request{Path: link, NoRetry: !retry}, &page)
	done()
	if err != nil && ctx.Err() == nil && rctx.Err() != nil {
		err = fmt.Errorf("streaming: no answer from Microsoft Graph within %s: %w", timeout, ErrStalled)
	}
	if err != nil {
		var apiErr *office365.Error
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			c.graph.throttle(apiErr.RetryAfter)
		}
		return nil, err
	}
	if page.NextLink == "" && page.DeltaLink == "" {
		return nil, errNoDeltaLink
	}
	return &page, nil
}

// needsResync reports whether err says the delta token is no longer valid
// and a new round must start without one: 410 Gone (Graph reset the
// tracking, for example after a mailbox moved), or a 4xx with code
// syncStateNotFound, syncStateInvalid or resyncRequired.
func needsResync(err error) bool {
	status := office365.StatusCode(err)
	return status == http.StatusGone ||
		status >= 400 && status < 500 && office365.HasCode(err, "syncStateNotFound", "syncStateInvalid", "resyncRequired")
}

// deltaItem is one entry of a delta page.
type deltaItem struct {
	id      string
	removed bool
	ver     uint64
	props   map[string]json.RawMessage
}

// parseDeltaItem decodes one entry; ok is false for an entry without an
// id (nothing can be reported about it).
func parseDeltaItem(raw json.RawMessage) (it deltaItem, ok bool) {
	if err := json.Unmarshal(raw, &it.props); err != nil {
		return it, false
	}
	for k, v := range it.props {
		switch {
		case strings.EqualFold(k, "id"):
			if json.Unmarshal(v, &it.id) != nil {
				return it, false
			}
		case k == "@removed":
			it.removed = true
		}
	}
	if it.id == "" {
		return it, false
	}
	if etag, ok := it.props["@odata.etag"]; ok && len(etag) > 2 {
		it.ver = hash64(etag)
	} else {
		it.ver = hash64(raw)
	}
	return it, true
}

// collapse parses a page's entries and keeps one per id: Graph may return
// an entity several times in one response; the last one stands, in the
// position of the first. It returns how many entries were repeats, and
// how many were not items at all (no id), which are skipped.
func collapse(values []json.RawMessage) (items []deltaItem, repeats, invalid int) {
	items = make([]deltaItem, 0, len(values))
	pos := make(map[string]int, len(values))
	for _, raw := range values {
		it, ok := parseDeltaItem(raw)
		if !ok {
			invalid++
			continue
		}
		if i, seen := pos[it.id]; seen {
			items[i] = it
			repeats++
			continue
		}
		pos[it.id] = len(items)
		items = append(items, it)
	}
	return items, repeats, invalid
}

// resourceData renders an item as a rich notification did: "@odata.type",
// "@odata.id" (the item's URL), "@odata.etag", "id", and the selected
// properties (sel, lower-cased) as Graph sent them, in name order.
func resourceData(it *deltaItem, itemURL, odataType string, sel map[string]bool) json.RawMessage {
	var b bytes.Buffer
	str := func(s string) {
		q, _ := json.Marshal(s)
		b.Write(q)
	}
	b.WriteString(`{"@odata.type":`)
	if t, ok := it.props["@odata.type"]; ok && len(t) > 2 {
		b.Write(t)
	} else {
		str(odataType)
	}
	b.WriteString(`,"@odata.id":`)
	str(itemURL)
	if etag, ok := it.props["@odata.etag"]; ok && !it.removed {
		b.WriteString(`,"@odata.etag":`)
		b.Write(etag)
	}
	b.WriteString(`,"id":`)
	str(it.id)
	if !it.removed && len(sel) > 0 {
		keys := make([]string, 0, len(sel))
		for k := range it.props {
			if sel[strings.ToLower(k)] && !strings.HasPrefix(k, "@") && !strings.EqualFold(k, "id") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteByte(',')
			str(k)
			b.WriteByte(':')
			b.Write(it.props[k])
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// graphSubscribe creates a Graph-mode subscription: Graph has no
// subscription to create, so the subscription is the delta query itself.
// Its first round (every page, the items' ids and versions only) is read
// now, so that the listener reports what changes after Subscribe returns.
// A composite subscription reads the containers' delta query, then the
// first round of each container's.
func (c *Client) graphSubscribe(ctx context.Context, r Resource, changes []ChangeType) (*Subscription, error) {
	u, each, err := c.graphDeltaURL(r, time.Now())
	if err != nil {
		return nil, err
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	g := &graphState{sel: slices.Clone(r.sel), each: each}
	if each == "" {
		known := knownSet{}
		g.link, err = c.graphBaseline(ctx, u, func() { clear(known) }, known.add)
		if err != nil {
			return nil, err
		}
		g.known = known.snapshot()
	} else {
		ids := map[string]bool{}
		g.link, err = c.graphBaseline(ctx, u, func() { clear(ids) }, func(it *deltaItem) { ids[it.id] = !it.removed })
		if err != nil {
			return nil, err
		}
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			if !ids[id] {
				continue
			}
			known := knownSet{}
			link, err := c.graphBaseline(ctx, graphPartURL(each, id), func() { clear(known) }, known.add)
			if office365.StatusCode(err) == http.StatusNotFound {
				continue // removed since the containers were listed: a later round says so
			}
			if err != nil {
				return nil, err
			}
			g.parts = append(g.parts, graphPart{id: id, link: link, at: time.Now(), known: known.snapshot()})
		}
	}
	g.at = time.Now()
	return &Subscription{
		ID: "graph-" + hex.EncodeToString(id[:]), Resource: u, ChangeTypes: slices.Clone(changes), graph: g,
	}, nil
}

// add records an item of a delta round: known in its version, or no
// longer known when removed.
func (k knownSet) add(it *deltaItem) {
	if it.removed {
		delete(k, hash64(it.id))
	} else {
		k[hash64(it.id)] = it.ver
	}
}

// graphBaseline reads a whole round of the delta query u, handing each
// item to add (after reset when the round starts again), and returns its
// deltaLink.
func (c *Client) graphBaseline(ctx context.Context, u string, reset func(), add func(*deltaItem)) (string, error) {
	link := u
	for resyncs := 0; ; {
		page, err := c.fetchDelta(ctx, link, true, 0)
		if err != nil {
			if needsResync(err) && resyncs < maxResyncs && link != u {
				resyncs++
				reset()
				link = u
				continue
			}
			return "", err
		}
		for _, raw := range page.Value {
			if it, ok := parseDeltaItem(raw); ok {
				add(&it)
			}
		}
		if page.NextLink == "" {
			return page.DeltaLink, nil
		}
		link = page.NextLink
	}
}

// maxResyncs is how many times in a row a delta query may be invalidated
// right after starting afresh before listening fails.
const maxResyncs = 5
