package streaming

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"testing/iotest"
	"time"
)

// oracleNotification is what encoding/json makes of one object; it mirrors
// Notification field by field.
type oracleNotification struct {
	ODataType                      string  `json:"@odata.type"`
	ID                             *string `json:"Id"`
	SubscriptionID                 string  `json:"SubscriptionId"`
	SubscriptionExpirationDateTime oracleTime
	SequenceNumber                 int64
	ChangeType                     string
	Resource                       string
	ResourceData                   json.RawMessage
	Status                         string
}

// oracleTime decodes a time as the decoder must: null leaves it unchanged;
// otherwise a JSON string (unescaped as any other: time.Time's own
// UnmarshalJSON does not unescape) in RFC 3339.
type oracleTime struct{ time.Time }

func (t *oracleTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// oracleResult is the reference reading of an input by encoding/json.
type oracleResult struct {
	// wellFormed: the input begins with one well-formed JSON value.
	wellFormed bool
	// end is the input offset just past that value.
	end int64
	// conforming: the value is an object whose first "value" property
	// (matched as encoding/json matches names) is its last property and an
	// array of objects: the shape the decoder accepts.
	conforming bool
	// err is encoding/json's error decoding the value into the notifications.
	err error
	// values are the notifications.
	values []oracleNotification
}

func oracle(data []byte) oracleResult {
	var r oracleResult
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return r
	}
	r.wellFormed = true
	r.end = dec.InputOffset()
	r.conforming = conforming(raw)
	var doc struct{ Value []oracleNotification }
	r.err = json.Unmarshal(raw, &doc)
	r.values = doc.Value
	return r
}

func conforming(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return false
		}
		if !isValueName(tok.(string)) {
			continue
		}
		if dec.More() || v[0] != '[' {
			return false
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return false
		}
		for _, e := range elems {
			if e[0] != '{' {
				return false
			}
		}
		return true
	}
	return false
}

// isValueName reports whether encoding/json matches name to a field Value.
func isValueName(name string) bool {
	key, err := json.Marshal(name)
	if err != nil {
		return false
	}
	var probe struct{ Value *int }
	if json.Unmarshal([]byte(`{`+string(key)+`:1}`), &probe) != nil {
		return false
	}
	return probe.Value != nil
}

// decodeResult is everything a Decoder returned for one input.
type decodeResult struct {
	objs []*Notification // clones
	err  error           // the error that ended the stream (io.EOF at the end)
	dec  *Decoder
}

// decodeAll runs a decoder to its first error, checking that the error is
// sticky.
func decodeAll(t testing.TB, r io.Reader, opts ...DecoderOption) decodeResult {
	t.Helper()
	d := NewDecoder(r, opts...)
	res := decodeResult{dec: d}
	for {
		n, err := d.Next()
		if err != nil {
			if n != nil {
				t.Fatalf("Next returned a notification with error %v", err)
			}
			if n2, err2 := d.Next(); n2 != nil || err2 != err {
				t.Fatalf("Next after error %v returned %v, %v", err, n2, err2)
			}
			res.err = err
			return res
		}
		res.objs = append(res.objs, n.Clone())
	}
}

// diffOracle describes the first difference between the decoder's objects
// and encoding/json's, or returns "".
func diffOracle(got []*Notification, want []oracleNotification) string {
	if len(got) != len(want) {
		return fmt.Sprintf("decoder returned %d objects, encoding/json %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		wantRD := w.ResourceData
		if string(wantRD) == "null" {
			wantRD = nil
		}
		switch {
		case g.ODataType != w.ODataType:
			return fmt.Sprintf("object %d: @odata.type %q, want %q", i, g.ODataType, w.ODataType)
		case (g.ID == nil) != (w.ID == nil) || g.ID != nil && *g.ID != *w.ID:
			return fmt.Sprintf("object %d: Id %v, want %v", i, fmtPtr(g.ID), fmtPtr(w.ID))
		case g.SubscriptionID != w.SubscriptionID:
			return fmt.Sprintf("object %d: SubscriptionId %q, want %q", i, g.SubscriptionID, w.SubscriptionID)
		case !sameTime(g.SubscriptionExpirationDateTime, w.SubscriptionExpirationDateTime.Time):
			return fmt.Sprintf("object %d: SubscriptionExpirationDateTime %v, want %v", i, g.SubscriptionExpirationDateTime, w.SubscriptionExpirationDateTime.Time)
		case g.SequenceNumber != w.SequenceNumber:
			return fmt.Sprintf("object %d: SequenceNumber %d, want %d", i, g.SequenceNumber, w.SequenceNumber)
		case string(g.ChangeType) != w.ChangeType:
			return fmt.Sprintf("object %d: ChangeType %q, want %q", i, g.ChangeType, w.ChangeType)
		case g.Resource != w.Resource:
			return fmt.Sprintf("object %d: Resource %q, want %q", i, g.Resource, w.Resource)
		case !bytes.Equal(g.ResourceData, wantRD) || (g.ResourceData == nil) != (wantRD == nil):
			return fmt.Sprintf("object %d: ResourceData %q, want %q", i, g.ResourceData, wantRD)
		case g.Status != w.Status:
			return fmt.Sprintf("object %d: Status %q, want %q", i, g.Status, w.Status)
		}
	}
	return ""
}

func fmtPtr(p *string) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", *p)
}

func sameTime(a, b time.Time) bool {
	return a.Equal(b) && a.Format(time.RFC3339Nano) == b.Format(time.RFC3339Nano)
}

// diffResults describes the first difference between two decoder runs, or
// returns "".
func diffResults(a, b decodeResult) string {
	if len(a.objs) != len(b.objs) {
		return fmt.Sprintf("%d objects vs %d (errors %v / %v)", len(a.objs), len(b.objs), a.err, b.err)
	}
	for i := range a.objs {
		if !sameNotification(a.objs[i], b.objs[i]) {
			return fmt.Sprintf("object %d: %+v vs %+v", i, *a.objs[i], *b.objs[i])
		}
	}
	if fmt.Sprint(a.err) != fmt.Sprint(b.err) {
		return fmt.Sprintf("error %q vs %q", a.err, b.err)
	}
	return ""
}

func sameNotification(a, b *Notification) bool {
	return a.ODataType == b.ODataType && (a.ID == nil) == (b.ID == nil) && (a.ID == nil || *a.ID == *b.ID) &&
		a.SubscriptionID == b.SubscriptionID && sameTime(a.SubscriptionExpirationDateTime, b.SubscriptionExpirationDateTime) &&
		a.SequenceNumber == b.SequenceNumber && a.ChangeType == b.ChangeType && a.Resource == b.Resource &&
		bytes.Equal(a.ResourceData, b.ResourceData) && (a.ResourceData == nil) == (b.ResourceData == nil) &&
		a.Status == b.Status
}

// applyRepairs returns data with the decoder's preamble repairs applied.
func applyRepairs(data []byte, reps []preambleRepair) []byte {
	out := bytes.Clone(data)
	for i := len(reps) - 1; i >= 0; i-- { // later offsets first
		off := reps[i].offset
		if reps[i].insert {
			out = append(out[:off:off], append([]byte(`"value":[`), out[off:]...)...)
		} else {
			out = append(out[:off:off], out[off+1:]...)
		}
	}
	return out
}

// checkAgainstOracle verifies every property the decoder promises for data;
// it is the body of FuzzDecoder and runs over fixtures in unit tests too.
func checkAgainstOracle(t *testing.T, data []byte) {
	want := oracle(data)
	strict := decodeAll(t, bytes.NewReader(data), WithStrictPreamble())

	// However the bytes are split, the result is the same, errors included.
	if d := diffResults(strict, decodeAll(t, iotest.OneByteReader(bytes.NewReader(data)), WithStrictPreamble())); d != "" {
		t.Fatalf("one-byte reads differ from one read: %s", d)
	}

	if want.wellFormed && want.conforming && want.err == nil {
		if strict.err != io.EOF {
			t.Fatalf("encoding/json accepts the stream, decoder fails: %v", strict.err)
		}
		if d := diffOracle(strict.objs, want.values); d != "" {
			t.Fatal(d)
		}
		// The decoder consumed exactly the document and lost nothing after it.
		if got := strict.dec.InputOffset(); got != want.end {
			t.Fatalf("InputOffset %d, want %d", got, want.end)
		}
		r := bytes.NewReader(data)
		d := NewDecoder(r, WithStrictPreamble())
		for {
			if _, err := d.Next(); err != nil {
				break
			}
		}
		rest, _ := io.ReadAll(io.MultiReader(d.Buffered(), r))
		if !bytes.Equal(rest, data[want.end:]) {
			t.Fatalf("bytes after the end: %q, want %q", rest, data[want.end:])
		}
	} else if strict.err == io.EOF {
		t.Fatalf("decoder accepts a stream that encoding/json rejects (well-formed %v, conforming %v, err %v)",
			want.wellFormed, want.conforming, want.err)
	}

	// The lenient default differs from strict mode only by the documented
	// preamble repairs.
	lenient := decodeAll(t, bytes.NewReader(data))
	reps := lenient.dec.repairs[:lenient.dec.nrep]
	switch {
	case strict.err == io.EOF:
		if d := diffResults(strict, lenient); d != "" || len(reps) > 0 {
			t.Fatalf("lenient decoder differs on a valid stream: %s (repairs %v)", d, reps)
		}
	case lenient.err == io.EOF:
		if len(reps) == 0 {
			t.Fatal("lenient decoder accepts a stream strict mode rejects, without a repair")
		}
		repaired := decodeAll(t, bytes.NewReader(applyRepairs(data, reps)), WithStrictPreamble())
		if d := diffResults(repaired, lenient); d != "" {
			t.Fatalf("repaired stream %q decodes differently: %s", applyRepairs(data, reps), d)
		}
	}

	// With a small size limit the decoder either decodes the same or stops
	// with ErrObjectTooLarge after a prefix of the same objects.
	limited := decodeAll(t, bytes.NewReader(data), WithStrictPreamble(), WithMaxObjectSize(64))
	if errors.Is(limited.err, ErrObjectTooLarge) {
		if len(limited.objs) > len(strict.objs) {
			t.Fatalf("limited decoder returned more objects (%d) than unlimited (%d)", len(limited.objs), len(strict.objs))
		}
		for i, n := range limited.objs {
			if !sameNotification(n, strict.objs[i]) {
				t.Fatalf("limited decoder: object %d differs", i)
			}
			if len(n.ResourceData) > 64 {
				t.Fatalf("limited decoder returned an object larger than the limit")
			}
		}
	} else if d := diffResults(strict, limited); d != "" {
		t.Fatalf("limited decoder differs without ErrObjectTooLarge: %s", d)
	}
}

// FuzzDecoder checks the decoder against encoding/json on the same bytes: a
// complete stream must decode to exactly what encoding/json makes of the
// document, anything encoding/json rejects must end in an error, and the
// result must not depend on how the bytes are split (see checkAgainstOracle).
// The seed corpus is in testdata/fuzz/FuzzDecoder.
func FuzzDecoder(f *testing.F) {
	recorded, err := os.ReadFile("testdata/stream-recorded.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(recorded)
	f.Fuzz(checkAgainstOracle)
}
