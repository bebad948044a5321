package office365test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Calendar-view sync. A round walks the events of one calendar and window
// changed since the round's base (the snapshot of the previous round's
// delta token), in change order, as Mail sync does (mailbox_delta.go): a
// changed single event or exception comes whole; a changed series master
// comes whole followed by its occurrences in the window, abbreviated to Id,
// Type, SeriesMasterId, OriginalStart, Start and End; deleted events, and
// events that left the window, come as {"reason":"deleted"} entries. The
// window stays in every next and delta link. $filter, $orderby, $select,
// $top, $skip, $count and $search are rejected, as the service does.

func (u *MailboxUser) viewDeltaLocked(rq *MailboxRequest, cal *Record, from, to time.Time) *Reply {
	for _, opt := range []string{"$filter", "$orderby", "$select", "$top", "$skip", "$count", "$search", "$expand"} {
		if rq.HasQuery(opt) {
			return ErrorReply(http.StatusBadRequest, "ErrorInvalidUrlQuery",
				"The query parameter '"+strings.TrimPrefix(opt, "$")+"' is not supported with calendar view synchronization.")
		}
	}
	resource := "cv:" + cal.ID + ":" + strconv.FormatInt(from.Unix(), 10) + ":" + strconv.FormatInt(to.Unix(), 10)
	bad := ErrorReply(http.StatusBadRequest, "ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid.")
	tok := syncToken{Resource: resource, Snapshot: u.m.seq}
	switch {
	case rq.HasQuery("$skiptoken"):
		t, ok := decodeSyncToken(rq.Query("$skiptoken"), resource)
		if !ok || t.Snapshot == 0 {
			return bad
		}
		tok = t
	case rq.HasQuery("$deltatoken"):
		t, ok := decodeSyncToken(rq.Query("$deltatoken"), resource)
		if !ok || t.Snapshot > u.m.seq {
			return bad
		}
		tok.Base, tok.Cursor = t.Snapshot, t.Snapshot
	}
	if tok.PageSize == 0 {
		tok.PageSize = 10
		if ps, ok := rq.Prefer()["odata.maxpagesize"]; ok {
			if n, err := strconv.Atoi(ps); err == nil && n > 0 {
				tok.PageSize = min(n, 1000)
			}
		}
	}
	type entry struct {
		seq   uint64
		rec   *Record
		dead  string
		order uint64
	}
	var entries []entry
	inRange := func(seq uint64) bool { return seq > tok.Base && seq > tok.Cursor && seq <= tok.Snapshot }
	for _, r := range u.recordsLocked(EntityEvent, cal.ID) {
		if !inRange(r.Seq) {
			continue
		}
		in := false
		switch r.Doc["Type"] {
		case "SeriesMaster":
			in = len(u.occurrencesLocked(r, from, to)) > 0
		default:
			s, e := eventSpan(r.Doc)
			in = overlaps(s, e, from, to)
		}
		switch {
		case in:
			entries = append(entries, entry{seq: r.Seq, rec: r})
		case tok.Base > 0:
			entries = append(entries, entry{seq: r.Seq, dead: r.ID})
		}
	}
	if tok.Base > 0 {
		for _, t := range u.tombstones {
			if t.typ == EntityEvent && t.folderID == cal.ID && inRange(t.seq) {
				entries = append(entries, entry{seq: t.seq, dead: t.id})
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	more := len(entries) > tok.PageSize
	if more {
		entries = entries[:tok.PageSize]
	}
	zone := rq.responseZone()
	val := []any{}
	for _, e := range entries {
		if e.dead != "" {
			val = append(val, Entity{"@odata.context": rq.Context("CalendarView/$deletedEntity"), "Id": e.dead, "reason": "deleted"})
			continue
		}
		val = append(val, u.renderEvent(rq, e.rec))
		if e.rec.Doc["Type"] != "SeriesMaster" {
			continue
		}
		for _, o := range u.occurrencesLocked(e.rec, from, to) {
			s, en := eventSpan(o.Doc)
			val = append(val, Entity{
				"@odata.type": "#Microsoft.OutlookServices.Event", "@odata.etag": `W/"` + stringOf(o.Doc["ChangeKey"]) + `"`,
				"Id": o.ID, "Type": "Occurrence", "SeriesMasterId": e.rec.ID, "OriginalStart": o.Doc["OriginalStart"],
				"Start": dttz(s, zone), "End": dttz(en, zone),
			})
		}
	}
	env := Entity{"@odata.context": rq.Context("CalendarView/$delta"), "value": val}
	drop := []string{"$skiptoken", "$deltatoken"}
	if more {
		next := tok
		next.Cursor = entries[len(entries)-1].seq
		env["@odata.nextLink"] = rq.link(drop, "$skiptoken="+next.encode())
	} else {
		env["@odata.deltaLink"] = rq.link(drop, "$deltatoken="+syncToken{Resource: resource, Snapshot: tok.Snapshot}.encode())
	}
	return &Reply{Status: http.StatusOK, JSON: env, Header: rq.appliedPrefs()}
}

func stringOf(v any) string { s, _ := v.(string); return s }
