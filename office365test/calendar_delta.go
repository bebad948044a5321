package office365test

import (
	"strconv"
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
	if rep := syncOptionsReply(rq, "calendar view synchronization",
		"$filter", "$orderby", "$select", "$top", "$skip", "$count", "$search", "$expand"); rep != nil {
		return rep
	}
	resource := "cv:" + cal.ID + ":" + strconv.FormatInt(from.Unix(), 10) + ":" + strconv.FormatInt(to.Unix(), 10)
	tok, rep := u.syncStartLocked(rq, resource)
	if rep != nil {
		return rep
	}
	var entries []syncEntry
	for _, r := range u.recordsLocked(EntityEvent, cal.ID) {
		if !tok.pending(r.Seq) {
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
			entries = append(entries, syncEntry{seq: r.Seq, rec: r})
		case tok.Base > 0:
			entries = append(entries, syncEntry{seq: r.Seq, goneID: r.ID})
		}
	}
	if tok.Base > 0 {
		for _, t := range u.su.Tombstones {
			if t.Type == EntityEvent && t.FolderID == cal.ID && tok.pending(t.Seq) {
				entries = append(entries, syncEntry{seq: t.Seq, goneID: t.ID})
			}
		}
	}
	page, more := tok.page(entries)
	zone := rq.responseZone()
	val := []any{}
	for _, e := range page {
		if e.rec == nil {
			val = append(val, rq.syncGone("CalendarView", e.goneID))
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
	return rq.syncReply(tok, page, more, val, "CalendarView")
}

func stringOf(v any) string { s, _ := v.(string); return s }
