package odata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/office365-go/office365/internal/jsonx"
)

// DefaultMaxItems is the most items one page may hold unless the caller
// sets another cap: the largest page Outlook v2.0 ($top ≤ 1000) and
// Microsoft Graph serve.
const DefaultMaxItems = 1000

// ServiceCommsMaxItems is the ServiceComms API's page maximum ($top ≤ 100).
const ServiceCommsMaxItems = 100

// ErrNoValue reports a success response that is not a collection: a JSON
// object without a "value" array, such as {} or the single entity a
// misrouted call answers with. Reading it as an empty page would silently
// lose data.
var ErrNoValue = errors.New(`the response is not a collection: no "value" array`)

// ErrTooManyItems reports a page holding more items than the service ever
// puts on one page (see DefaultMaxItems); decoding stops there, so a hostile
// or broken server cannot make a small body expand into a huge heap.
var ErrTooManyItems = errors.New("the page holds more items than the service's page maximum")

// maxItems is the cap decoding applies to pg.
func (pg *Page[T]) maxItems() int {
	if pg.MaxItems > 0 {
		return pg.MaxItems
	}
	return DefaultMaxItems
}

// DecodeJSONBody decodes a collection response body into pg. At most
// pg.MaxItems items (DefaultMaxItems when zero) are accepted, so the heap a
// page takes is bounded by its body and the cap, however the body is built;
// past the cap it returns an error wrapping ErrTooManyItems. A body that
// could hold more items than the cap (it has that many commas) is decoded
// item by item and decoding stops at the cap; a smaller one is decoded in
// one go. A body without a "value" array is an error wrapping ErrNoValue,
// never an empty page; so is an empty body. Keys are matched
// case-insensitively, as encoding/json does; unknown keys are ignored. The
// pipeline's DoJSON calls it in place of json.Unmarshal.
func (pg *Page[T]) DecodeJSONBody(body []byte) error {
	return pg.decodeBody(body, false)
}

// CopiesBody implements transport.CopyingDecoder: nothing decoded points
// into the body (encoding/json copies, and so must every item's
// UnmarshalJSON, as json.Unmarshaler requires), so the pipeline reads
// pages into reused buffers.
func (pg *Page[T]) CopiesBody() {}

// DecodeValidJSONBody is DecodeJSONBody for a body the caller has found to
// be valid JSON (json.Valid accepts it), which is then not validated
// again.
func (pg *Page[T]) DecodeValidJSONBody(body []byte) error {
	return pg.decodeBody(body, true)
}

func (pg *Page[T]) decodeBody(body []byte, validated bool) error {
	if pg.decodeModels(body, validated) {
		return nil
	}
	if bytes.Count(body, comma) < pg.maxItems() {
		// Items are separated by commas: with fewer commas than the cap
		// the array cannot hold too many, and decoding the body in one go
		// is faster. Anything unexpected is left to the exact path below,
		// which gives the precise error.
		var env struct {
			Value     *[]T   `json:"value"`
			NextLink  string `json:"@odata.nextLink"`
			DeltaLink string `json:"@odata.deltaLink"`
			Count     *int64 `json:"@odata.count"`
			Context   string `json:"@odata.context"`
		}
		if json.Unmarshal(body, &env) == nil && env.Value != nil {
			pg.Value, pg.NextLink, pg.DeltaLink, pg.Count, pg.Context = *env.Value, env.NextLink, env.DeltaLink, env.Count, env.Context
			return nil
		}
	}
	return pg.decodeItems(body)
}

var comma = []byte{','}

// decodeModels is the fast path of DecodeJSONBody for items that decode
// themselves (T's pointer is a json.Unmarshaler, as every model is): the
// body is validated once, the envelope is walked without encoding/json,
// and each item's UnmarshalJSON is called with its bytes, as
// encoding/json would call it. It reports whether it decoded the body;
// when it did not (the body is invalid, unusual or an error occurred), pg
// is as it was and the other paths decode the body and report the precise
// error. validated says the body is known to be valid JSON.
func (pg *Page[T]) decodeModels(body []byte, validated bool) bool {
	if _, ok := any(new(T)).(json.Unmarshaler); !ok || !validated && !valid(body) {
		return false
	}
	saved := *pg
	var value []byte
	seen := 0
	ok := true
	err := jsonx.Members(body, func(name []byte, escaped bool, raw []byte) bool {
		name = name[1 : len(name)-1]
		var bit int
		var dst any
		switch {
		case escaped || !isASCII(name):
			ok = false // leave unusual names to encoding/json
		case strings.EqualFold(string(name), "value"):
			bit, value = 1, raw
		case strings.EqualFold(string(name), "@odata.nextLink"):
			bit, dst = 2, &pg.NextLink
		case strings.EqualFold(string(name), "@odata.deltaLink"):
			bit, dst = 4, &pg.DeltaLink
		case strings.EqualFold(string(name), "@odata.count"):
			bit, dst = 8, &pg.Count
		case strings.EqualFold(string(name), "@odata.context"):
			bit, dst = 16, &pg.Context
		}
		if seen&bit != 0 {
			ok = false // a repeated key: encoding/json's rules apply
		}
		seen |= bit
		if ok && dst != nil {
			ok = json.Unmarshal(raw, dst) == nil
		}
		return ok
	})
	if ok && err == nil && len(value) > 0 && value[0] == '[' {
		ok = pg.decodeModelItems(value)
	} else {
		ok = false
	}
	if !ok {
		*pg = saved
	}
	return ok
}

// decodeModelItems decodes the items of the JSON array value, up to the
// cap, for decodeModels.
func (pg *Page[T]) decodeModelItems(value []byte) bool {
	limit := pg.maxItems()
	items := make([]T, 0, min(limit, 8)) // as decodeValue: grown by what is decoded
	ok := true
	err := jsonx.Elements(value, func(raw []byte) bool {
		if len(items) == limit {
			ok = false // too many: the exact path says so
			return false
		}
		items = append(items, *new(T))
		ok = any(&items[len(items)-1]).(json.Unmarshaler).UnmarshalJSON(raw) == nil
		return ok
	})
	if !ok || err != nil {
		return false
	}
	pg.Value = items
	return true
}

// valid reports whether body is valid JSON, as json.Valid does (duplicate
// names and invalid UTF-8 are accepted), two to three times faster.
func valid(body []byte) bool {
	return jsontext.Value(body).IsValid(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// decodeItems is DecodeJSONBody item by item, with json.Decoder.
func (pg *Page[T]) decodeItems(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := expectDelim(dec, '{'); err != nil {
		if errors.Is(err, errNotDelim) || err == io.EOF {
			return ErrNoValue
		}
		return err
	}
	sawValue := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "value"):
			if err := pg.decodeValue(dec); err != nil {
				return err
			}
			sawValue = true
		case strings.EqualFold(key, "@odata.nextLink"):
			err = dec.Decode(&pg.NextLink)
		case strings.EqualFold(key, "@odata.deltaLink"):
			err = dec.Decode(&pg.DeltaLink)
		case strings.EqualFold(key, "@odata.count"):
			err = dec.Decode(&pg.Count)
		case strings.EqualFold(key, "@odata.context"):
			err = dec.Decode(&pg.Context)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return fmt.Errorf("%q: %w", key, err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errors.New("invalid character after top-level value")
		}
		return err
	}
	if !sawValue {
		return ErrNoValue
	}
	return nil
}

// UnmarshalJSON is DecodeJSONBody, for callers that decode a page with
// json.Unmarshal.
func (pg *Page[T]) UnmarshalJSON(data []byte) error { return pg.DecodeJSONBody(data) }

// decodeValue decodes the "value" array item by item, up to the cap.
func (pg *Page[T]) decodeValue(dec *json.Decoder) error {
	if err := expectDelim(dec, '['); err != nil {
		if errors.Is(err, errNotDelim) {
			return ErrNoValue
		}
		return err
	}
	limit := pg.maxItems()
	pg.Value = pg.Value[:0]
	if pg.Value == nil {
		// Skip the smallest steps of append's growth; a page is rarely
		// that short.
		pg.Value = make([]T, 0, min(limit, 8))
	}
	var zero T
	for dec.More() {
		if len(pg.Value) == limit {
			pg.Value = nil
			return fmt.Errorf("%w: more than %d", ErrTooManyItems, limit)
		}
		pg.Value = append(pg.Value, zero)
		if err := dec.Decode(&pg.Value[len(pg.Value)-1]); err != nil {
			return fmt.Errorf("item %d: %w", len(pg.Value)-1, err)
		}
	}
	_, err := dec.Token() // the closing ']'
	return err
}

var errNotDelim = errors.New("unexpected JSON token")

// expectDelim reads the next token and checks that it is d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("%w %v, want %q", errNotDelim, tok, d)
	}
	return nil
}
