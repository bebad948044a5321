package office365test

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Sync (delta) queries. A round covers the changes with a sequence number
// in (base, snapshot]: the snapshot is taken when the round starts, and
// pages walk the changes in sequence order, so an entity changed during a
// round is reported in the next one — nothing is lost or repeated. Tokens
// are opaque base64url JSON; a deltatoken carries the snapshot that becomes
// the next round's base.

type syncToken struct {
	Resource string `json:"r"`
	Base     uint64 `json:"b,omitempty"`
	Snapshot uint64 `json:"h"`
	Cursor   uint64 `json:"c,omitempty"`
	PageSize int    `json:"n,omitempty"`
}

func (t syncToken) encode() string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSyncToken(s, resource string) (syncToken, bool) {
	var t syncToken
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &t) != nil || t.Resource != resource {
		return syncToken{}, false
	}
	return t, true
}

// syncEntry is one change of a round: a live record, or the id of a
// deleted one (or of one that left the synced set).
type syncEntry struct {
	seq    uint64
	rec    *Record
	goneID string
}

// syncStartLocked returns the position of the round a request continues
// ($skiptoken), follows ($deltatoken) or starts (neither) over resource,
// with the page size it keeps for all its pages.
func (u *MailboxUser) syncStartLocked(rq *MailboxRequest, resource string) (syncToken, *Reply) {
	bad := ErrorReply(http.StatusBadRequest, "ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid.")
	tok := syncToken{Resource: resource, Snapshot: u.m.st.SeqLocked()}
	switch {
	case rq.HasQuery("$skiptoken"):
		t, ok := decodeSyncToken(rq.Query("$skiptoken"), resource)
		if !ok || t.Snapshot == 0 {
			return syncToken{}, bad
		}
		tok = t
	case rq.HasQuery("$deltatoken"):
		t, ok := decodeSyncToken(rq.Query("$deltatoken"), resource)
		if !ok || t.Snapshot > u.m.st.SeqLocked() {
			return syncToken{}, bad
		}
		tok.Base, tok.Cursor = t.Snapshot, t.Snapshot
	}
	if tok.PageSize == 0 {
		tok.PageSize = 10
		if ps, ok := rq.Prefer()["odata.maxpagesize"]; ok {
			if n, err := strconv.Atoi(ps); err == nil && n > 0 {
				tok.PageSize = min(n, 1000)
			}
		} else if n, err := strconv.Atoi(rq.Query("$top")); err == nil && n > 0 {
			tok.PageSize = min(n, 1000)
		}
	}
	return tok, nil
}

// pending reports whether a change numbered seq belongs to the rest of the
// round: after its base and the page cursor, up to its snapshot.
func (t syncToken) pending(seq uint64) bool {
	return seq > t.Base && seq > t.Cursor && seq <= t.Snapshot
}

// page orders a round's entries by change and cuts the next page; more
// reports entries left for later pages.
func (t syncToken) page(entries []syncEntry) (page []syncEntry, more bool) {
	slices.SortFunc(entries, func(a, b syncEntry) int { return cmp.Compare(a.seq, b.seq) })
	if len(entries) > t.PageSize {
		return entries[:t.PageSize], true
	}
	return entries, false
}

// syncGone renders the entry of a deleted entity.
func (rq *MailboxRequest) syncGone(deletedCtx, id string) Entity {
	return Entity{"@odata.context": rq.Context(deletedCtx + "/$deletedEntity"), "Id": id, "reason": "deleted"}
}

// syncReply answers a sync page: the next page's $skiptoken link while
// more remain, else the $deltatoken link that starts the next round.
func (rq *MailboxRequest) syncReply(tok syncToken, page []syncEntry, more bool, val []any, ctx string) *Reply {
	env := Entity{"@odata.context": rq.Context(ctx + "/$delta"), "value": val}
	drop := []string{"$skiptoken", "$deltatoken"}
	if more {
		next := tok
		next.Cursor = page[len(page)-1].seq
		env["@odata.nextLink"] = rq.link(drop, "$skiptoken="+next.encode())
	} else {
		env["@odata.deltaLink"] = rq.link(drop, "$deltatoken="+syncToken{Resource: tok.Resource, Snapshot: tok.Snapshot}.encode())
	}
	return &Reply{Status: http.StatusOK, JSON: env, Header: rq.appliedPrefs()}
}

// syncOptionsReply refuses the query options a sync request cannot carry
// (what names the kind of synchronization in the message); nil when none
// is present.
func syncOptionsReply(rq *MailboxRequest, what string, opts ...string) *Reply {
	for _, opt := range opts {
		if rq.HasQuery(opt) {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery",
				"The query parameter '"+strings.TrimPrefix(opt, "$")+"' is not supported with "+what+".")
		}
	}
	return nil
}

// syncRound computes one page of a sync round over resource. live returns
// the records that belong to the resource; tombstones are matched by keep.
// It answers the page with render for live records.
func (u *MailboxUser) syncRound(rq *MailboxRequest, resource string, live []*Record, keep func(tombstone) bool,
	filter *Filter, render func(*Record) Entity, deletedCtx, ctx string) *Reply {
	tok, rep := u.syncStartLocked(rq, resource)
	if rep != nil {
		return rep
	}
	var entries []syncEntry
	for _, r := range live {
		if tok.pending(r.Seq) && filter.Match(r.Doc) {
			entries = append(entries, syncEntry{seq: r.Seq, rec: r})
		}
	}
	if tok.Base > 0 {
		for _, t := range u.su.Tombstones {
			if tok.pending(t.Seq) && keep(t) {
				entries = append(entries, syncEntry{seq: t.Seq, goneID: t.ID})
			}
		}
	}
	page, more := tok.page(entries)
	val := make([]any, 0, len(page))
	for _, e := range page {
		if e.rec == nil {
			val = append(val, rq.syncGone(deletedCtx, e.goneID))
			continue
		}
		val = append(val, render(e.rec))
	}
	return rq.syncReply(tok, page, more, val, ctx)
}

func (u *MailboxUser) messageDeltaLocked(rq *MailboxRequest, f *Record) *Reply {
	if rq.HasQuery("$search") {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The query parameter 'Search' is not supported with synchronization.")
	}
	if ob := strings.Join(strings.Fields(rq.Query("$orderby")), " "); ob != "" && !strings.EqualFold(ob, "ReceivedDateTime desc") {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery", "Synchronization only supports $orderby=ReceivedDateTime desc.")
	}
	filter, err := ParseFilter(rq.Query("$filter"), &FilterOptions{Filterable: func(p []string) error {
		if !strings.EqualFold(p[0], "ReceivedDateTime") {
			return fmt.Errorf("Synchronization only supports filtering on ReceivedDateTime, not '%s'.", p[0])
		}
		return nil
	}})
	if err != nil {
		return filterErrorReply(err)
	}
	live := u.recordsLocked(EntityMessage, f.ID)
	coll := "MailFolders('" + f.ID + "')/Messages"
	return u.syncRound(rq, "m:"+f.ID, live, func(t tombstone) bool { return t.Type == EntityMessage && t.FolderID == f.ID },
		filter, func(r *Record) Entity { return u.renderMessage(rq, r) }, coll, coll)
}

func (u *MailboxUser) folderDeltaLocked(rq *MailboxRequest) *Reply {
	root := u.su.WellKnown["msgfolderroot"]
	var live []*Record
	for _, r := range u.su.Items {
		if r.Type == EntityMailFolder && r.ID != root {
			live = append(live, r)
		}
	}
	return u.syncRound(rq, "f", live, func(t tombstone) bool { return t.Type == EntityMailFolder },
		nil, func(r *Record) Entity { return u.renderFolder(rq, r) }, "MailFolders", "MailFolders")
}
