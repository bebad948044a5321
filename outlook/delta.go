package outlook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/odata"
)

// DeltaState is where a sync (delta) query stands: the link to request
// next — an @odata.nextLink ($skiptoken) in the middle of a round, or the
// @odata.deltaLink ($deltatoken) once a round is complete — and the
// resource it belongs to. Persist it (MarshalText / MarshalJSON) after
// processing each DeltaPage and a restarted service resumes where it
// stopped, losing and repeating nothing. The zero value starts a full
// initial sync.
type DeltaState struct {
	// Resource is the synchronised collection relative to the mailbox, e.g.
	// "MailFolders/{id}/messages" or "MailFolders".
	Resource string `json:"resource"`
	// Link is the next URL to request, used verbatim.
	Link string `json:"link"`
	// RoundComplete reports whether Link is a delta link (the last round
	// finished) rather than the next page of a running round.
	RoundComplete bool `json:"roundComplete,omitempty"`
}

const deltaStateVersion = 1

type deltaStateFields DeltaState // without the methods

type deltaStateWire struct {
	Version int `json:"v"`
	deltaStateFields
}

// IsZero reports whether the state has never been advanced.
func (s DeltaState) IsZero() bool { return s.Link == "" }

// MarshalJSON encodes the state as a versioned JSON object.
func (s DeltaState) MarshalJSON() ([]byte, error) {
	return json.Marshal(deltaStateWire{Version: deltaStateVersion, deltaStateFields: deltaStateFields(s)})
}

// UnmarshalJSON decodes a state written by MarshalJSON or MarshalText.
func (s *DeltaState) UnmarshalJSON(b []byte) error {
	var w deltaStateWire
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("outlook: decoding DeltaState: %w", err)
	}
	if w.Version != deltaStateVersion {
		return fmt.Errorf("outlook: DeltaState version %d is not supported", w.Version)
	}
	if w.Link != "" && !strings.HasPrefix(w.Link, "https://") && !strings.HasPrefix(w.Link, "http://") {
		return fmt.Errorf("outlook: DeltaState link %q is not an absolute URL", w.Link)
	}
	*s = DeltaState(w.deltaStateFields)
	return nil
}

// MarshalText encodes the state as text (the same JSON), for a database
// column or a file.
func (s DeltaState) MarshalText() ([]byte, error) { return s.MarshalJSON() }

// UnmarshalText decodes MarshalText's output. Empty text is the zero state.
func (s *DeltaState) UnmarshalText(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		*s = DeltaState{}
		return nil
	}
	return s.UnmarshalJSON(b)
}

// DeltaChange is one entry of a sync page: a created or updated item, or a
// removed one.
type DeltaChange[T any] struct {
	// ID is the item's Id.
	ID string
	// Item is the item (with the properties selected); nil when Removed.
	Item *T
	// Removed reports a deletion (or a move out of the synchronised
	// folder), marked by the service with "@removed" or "reason": "deleted".
	Removed bool
	// Reason is the removal reason the service gave ("deleted", "changed").
	Reason string
}

// DeltaPage is one response of a sync round.
type DeltaPage[T any] struct {
	// Changes are the page's entries in the order the service sent them.
	Changes []DeltaChange[T]
	// State is the state after this page: persist it once Changes are
	// processed.
	State DeltaState
	// RoundComplete reports the last page of a round (State.Link is the
	// delta link for the next round).
	RoundComplete bool
	// Resynced reports that the service discarded the sync state the call
	// resumed from (410 Gone, syncStateNotFound, resyncRequired: see
	// IsResyncRequired) and that this page begins a new full round, started
	// with the call's DeltaOptions. Every current item is sent again: treat
	// items you hold that have not come back by the end of the round
	// (RoundComplete) as removed. No change is lost.
	Resynced bool
}

// IsResyncRequired reports whether err says that a sync state (a delta or
// next link) is no longer usable and the collection must be synchronised
// again from scratch: 410 Gone, or the codes syncStateNotFound,
// syncStateInvalid, resyncRequired or ErrorInvalidSyncStateData. The Delta
// methods handle it themselves (see DeltaPage.Resynced).
func IsResyncRequired(err error) bool {
	return office365.StatusCode(err) == http.StatusGone ||
		office365.HasCode(err, "syncStateNotFound", "syncStateInvalid", "resyncRequired", "ErrorInvalidSyncStateData")
}

// DeltaOptions shape the first request of a sync (a state that has
// advanced already carries them inside its link).
type DeltaOptions struct {
	// Select lists the properties returned for each changed item.
	Select []string
	// Filter narrows a message sync; the service only supports
	// "ReceivedDateTime ge|gt {value}".
	Filter string
	// OrderBy: message sync only supports "ReceivedDateTime desc".
	OrderBy []string
	// Expand lists navigation properties to expand.
	Expand []string
	// MaxPageSize sends Prefer: odata.maxpagesize (overriding the mailbox's).
	MaxPageSize int
}

func (o *DeltaOptions) query() string {
	if o == nil {
		return ""
	}
	q, _ := (&ListOptions{Select: o.Select, Filter: o.Filter, OrderBy: o.OrderBy, Expand: o.Expand}).query()
	return q
}

// deltaPages runs one sync round over resource (relative to the mailbox),
// starting from state (zero: initial sync with opts) and following
// next links until a delta link. *state, when non-nil, is advanced to each
// page's State just before the page is yielded. It yields at most one error.
//
// The service's sync protocol (conventions §6): every request carries
// Prefer: odata.track-changes (and odata.maxpagesize); pages continue with
// $skiptoken links; the round ends with a $deltatoken link. Removed items
// come as {"@removed":{"reason":…},"Id":…} (Graph style) or
// {"reason":"deleted","Id":…} / "@odata.context" …/$deletedEntity (Outlook
// style); both are reported as Removed.
func deltaPages[T any](ctx context.Context, mb *Mailbox, resource string, state *DeltaState, opts *DeltaOptions) iter.Seq2[*DeltaPage[T], error] {
	return func(yield func(*DeltaPage[T], error) bool) {
		var cur DeltaState
		if state != nil {
			cur = *state
		}
		if cur.Resource != "" && !strings.EqualFold(cur.Resource, resource) {
			yield(nil, fmt.Errorf("outlook: DeltaState belongs to %q, not %q", cur.Resource, resource))
			return
		}
		c := call{method: http.MethodGet, kind: kindCollection, extra: []string{preferTrackChanges}, shape: shapeOf[T]()}
		if opts != nil && opts.MaxPageSize != 0 {
			if opts.MaxPageSize < 0 {
				yield(nil, errors.New("outlook: DeltaOptions.MaxPageSize is negative"))
				return
			}
			c.prefer = &Prefer{MaxPageSize: opts.MaxPageSize}
		}
		first := resource
		if mb.c.graph {
			// Graph tracks changes with the delta function of the collection.
			p, q, hasQuery := strings.Cut(resource, "?")
			first = p + "/delta"
			if hasQuery {
				first += "?" + q
			}
		}
		if cur.Link == "" {
			c.rel, c.query = first, opts.query()
		} else {
			c.rel = cur.Link
		}
		resynced, restarted := false, false
		for {
			var env odata.Page[json.RawMessage]
			if _, err := mb.doJSON(ctx, &c, &env); err != nil {
				if c.rel != first && !restarted && IsResyncRequired(err) {
					// The saved state is gone: start a new full round (once
					// per call, so a service that keeps refusing ends it).
					resynced, restarted = true, true
					c.rel, c.query = first, opts.query()
					continue
				}
				yield(nil, err)
				return
			}
			page := &DeltaPage[T]{Changes: make([]DeltaChange[T], 0, len(env.Value)), Resynced: resynced}
			resynced = false
			for _, raw := range env.Value {
				ch, err := decodeDeltaChange[T](raw)
				if err != nil {
					yield(nil, err)
					return
				}
				page.Changes = append(page.Changes, ch)
			}
			switch {
			case env.NextLink != "":
				page.State = DeltaState{Resource: resource, Link: env.NextLink}
			case env.DeltaLink != "":
				page.State = DeltaState{Resource: resource, Link: env.DeltaLink, RoundComplete: true}
				page.RoundComplete = true
			default:
				yield(nil, errors.New("outlook: sync response has neither @odata.nextLink nor @odata.deltaLink"))
				return
			}
			if state != nil {
				*state = page.State
			}
			if !yield(page, nil) || page.RoundComplete {
				return
			}
			if page.State.Link == c.rel {
				yield(nil, errors.New("outlook: the service returned the same sync link twice; stopping"))
				return
			}
			c.rel, c.query = page.State.Link, ""
		}
	}
}

func decodeDeltaChange[T any](raw json.RawMessage) (DeltaChange[T], error) {
	var head struct {
		ID      string `json:"Id"`
		IDLower string `json:"id"`
		Context string `json:"@odata.context"`
		Reason  string `json:"reason"`
		Removed *struct {
			Reason string `json:"reason"`
		} `json:"@removed"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return DeltaChange[T]{}, fmt.Errorf("outlook: decoding sync entry: %w", err)
	}
	id := head.ID
	if id == "" {
		id = head.IDLower
	}
	switch {
	case head.Removed != nil:
		return DeltaChange[T]{ID: id, Removed: true, Reason: head.Removed.Reason}, nil
	case strings.EqualFold(head.Reason, "deleted"), strings.HasSuffix(head.Context, "$deletedEntity"):
		reason := head.Reason
		if reason == "" {
			reason = "deleted"
		}
		return DeltaChange[T]{ID: id, Removed: true, Reason: reason}, nil
	}
	item := new(T)
	if err := json.Unmarshal(raw, item); err != nil {
		return DeltaChange[T]{}, fmt.Errorf("outlook: decoding sync entry %q: %w", id, err)
	}
	return DeltaChange[T]{ID: id, Item: item}, nil
}
