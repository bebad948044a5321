package streaming_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/office365-go/office365/office365test"
)

// graphDelta is a small Microsoft Graph delta service for the listener's
// tests: collections of items ("mailfolders/inbox/messages", "contacts",
// "calendarview", "todo/lists/{id}/tasks" under /v1.0/me/) with a change
// counter, served as Graph serves delta queries: a first round of every
// item, then rounds of what changed, paged with @odata.nextLink
// ($skiptoken) and ended with @odata.deltaLink ($deltatoken); deletions as
// {"id":…,"@removed":{"reason":"deleted"}}; invalidated tokens answered
// with 410 Gone or 400 syncStateNotFound. Like Graph, a page shows items
// as they are when it is served, so a later round may repeat a version;
// with Duplicates an item appears twice in a page, with Replays a delta
// link starts a little before where the round ended.
type graphDelta struct {
	base string // the server's URL

	mu       sync.Mutex
	seq      int64
	epoch    int
	colls    map[string]map[string]*graphItem
	log      []graphChange
	rng      *rand.Rand
	pageSize int
	// Duplicates and Replays are probabilities (0–1) of the two quirks.
	Duplicates, Replays float64
	requests            int
}

type graphItem struct {
	id      string
	ver     int
	changed int64
	created int64
	hist    []int64 // sequence numbers of its changes
	deleted int64   // when it was deleted, 0 while it exists
}

// graphChange is one change the service made, in order.
type graphChange struct {
	Coll, ID string
	Kind     string // Created, Updated, Deleted
	ETag     string
	Seq      int64
}

func newGraphDelta(srv *office365test.Server, seed uint64, pageSize int) *graphDelta {
	g := &graphDelta{base: srv.URL(), colls: map[string]map[string]*graphItem{},
		rng: rand.New(rand.NewPCG(seed, seed+7)), pageSize: pageSize}
	srv.Mount("/v1.0/", g)
	return g
}

func etagOf(it *graphItem) string { return fmt.Sprintf(`W/"%s-%d"`, it.id, it.ver) }

// Change creates (id "" or unknown), updates or deletes an item and
// returns its id.
func (g *graphDelta) Change(coll, id, kind string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	coll = strings.ToLower(coll)
	items := g.colls[coll]
	if items == nil {
		items = map[string]*graphItem{}
		g.colls[coll] = items
	}
	g.seq++
	it := items[id]
	switch kind {
	case "Created":
		id = fmt.Sprintf("AAMk%s-%d", strings.ReplaceAll(coll, "/", "_"), g.seq)
		it = &graphItem{id: id, created: g.seq}
		items[id] = it
	case "Updated":
		it.ver++
	case "Deleted":
		it.deleted = g.seq
	}
	it.changed = g.seq
	it.hist = append(it.hist, g.seq)
	g.log = append(g.log, graphChange{Coll: coll, ID: id, Kind: kind, ETag: etagOf(it), Seq: g.seq})
	return id
}

// Live returns the ids of the collection's items that exist.
func (g *graphDelta) Live(coll string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var ids []string
	for id, it := range g.colls[strings.ToLower(coll)] {
		if it.deleted == 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Invalidate makes every token issued so far invalid.
func (g *graphDelta) Invalidate() {
	g.mu.Lock()
	g.epoch++
	g.mu.Unlock()
}

// Changes returns the change log.
func (g *graphDelta) Changes() []graphChange {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.log)
}

// Requests counts the delta requests served.
func (g *graphDelta) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests
}

func (g *graphDelta) render(it *graphItem) map[string]any {
	if it.deleted != 0 {
		return map[string]any{"id": it.id, "@removed": map[string]any{"reason": "deleted"}}
	}
	return map[string]any{"@odata.etag": etagOf(it), "id": it.id, "subject": fmt.Sprintf("%s v%d", it.id, it.ver),
		"importance": "normal", "lastModifiedDateTime": time.Unix(it.changed, 0).UTC().Format(time.RFC3339)}
}

func (g *graphDelta) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.ToLower(r.URL.Path)
	const prefix = "/v1.0/me/"
	if !strings.HasPrefix(path, prefix) || !strings.HasSuffix(path, "/delta") || r.Method != http.MethodGet {
		office365test.WriteError(w, http.StatusNotFound, "ErrorInvalidUrl", "not a delta query")
		return
	}
	coll := strings.TrimSuffix(strings.TrimPrefix(path, prefix), "/delta")
	q := r.URL.Query()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests++
	items := g.colls[coll]
	if items == nil && !strings.HasPrefix(coll, "mailfolders/") && coll != "contacts" && coll != "calendarview" && !strings.HasPrefix(coll, "todo/lists/") {
		office365test.WriteError(w, http.StatusNotFound, "ErrorItemNotFound", "no such collection")
		return
	}
	// Token: epoch.since.upto.offset (a delta token has no upto/offset).
	var epoch int
	var since, upto int64
	offset := 0
	tok := q.Get("$skiptoken")
	if tok == "" {
		tok = q.Get("$deltatoken")
	}
	if tok != "" {
		parts := strings.Split(tok, ".")
		epoch, _ = strconv.Atoi(parts[0])
		since, _ = strconv.ParseInt(parts[1], 10, 64)
		if len(parts) == 4 {
			upto, _ = strconv.ParseInt(parts[2], 10, 64)
			offset, _ = strconv.Atoi(parts[3])
		}
		if epoch != g.epoch {
			if g.rng.IntN(2) == 0 {
				w.Header().Set("Location", g.base+r.URL.Path+"?$deltatoken=")
				office365test.WriteError(w, http.StatusGone, "resyncRequired", "The delta token has been reset.")
			} else {
				office365test.WriteError(w, http.StatusBadRequest, "syncStateNotFound", "The sync state cannot be found.")
			}
			return
		}
	}
	if tok == "" {
		since = -1 // the first round
	}
	if q.Get("$skiptoken") == "" {
		upto = g.seq
	}
	// Which items a round covers must not change while it is paged: the
	// first round has those created by its start, a later one those
	// changed between its token and its start. Each is shown as it is now.
	var ids []*graphItem
	for _, it := range items {
		switch {
		case since < 0:
			if it.created <= upto && (it.deleted == 0 || it.deleted > upto) {
				ids = append(ids, it)
			}
		case slices.ContainsFunc(it.hist, func(s int64) bool { return s > since && s <= upto }):
			ids = append(ids, it)
		}
	}
	slices.SortFunc(ids, func(a, b *graphItem) int { return strings.Compare(a.id, b.id) })
	end := min(offset+g.pageSize, len(ids))
	value := []map[string]any{}
	for _, it := range ids[offset:end] {
		value = append(value, g.render(it))
		if g.rng.Float64() < g.Duplicates {
			value = append(value, g.render(it))
		}
	}
	resp := map[string]any{"@odata.context": g.base + "/v1.0/$metadata#Collection(message)", "value": value}
	link := g.base + r.URL.Path + "?"
	if end < len(ids) {
		resp["@odata.nextLink"] = link + "$skiptoken=" + url.QueryEscape(fmt.Sprintf("%d.%d.%d.%d", g.epoch, since, upto, end))
	} else {
		next := upto
		if g.rng.Float64() < g.Replays {
			next = max(since, upto-int64(1+g.rng.IntN(3)))
		}
		resp["@odata.deltaLink"] = link + "$deltatoken=" + url.QueryEscape(fmt.Sprintf("%d.%d", g.epoch, next))
	}
	b, _ := json.Marshal(resp)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
