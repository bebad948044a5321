package streaming

import (
	"bytes"
	"fmt"
	"math"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// field identifies a Notification property.
type field uint8

// The string fields come first: field-1 indexes Decoder.slots.
const (
	fieldUnknown field = iota
	fieldODataType
	fieldSubscriptionID
	fieldChangeType
	fieldResource
	fieldStatus
	fieldID
	fieldExpiration
	fieldSequence
	fieldResourceData
)

const numStringFields = int(fieldID)

// notificationDepth is the nesting depth of a notification object in the
// document (document, array, notification).
const notificationDepth = 3

// Interning limits: strings up to maxInternLen bytes are interned, in a
// table of internSlots recent values (one connection carries at most about
// 20 subscriptions).
const (
	maxInternLen = 512
	internSlots  = 32
)

// strSlot locates a string field's value found by the parser.
type strSlot struct {
	state  uint8
	lo, hi int
}

const (
	slotUnset     uint8 = iota
	slotRaw             // the object's bytes [lo:hi] need no unescaping
	slotUnescaped       // Decoder.unesc[lo:hi]
	slotNull            // JSON null (only recorded for Id)
)

// span locates ResourceData within the object.
type span struct {
	lo, hi int
	set    bool
}

// parseNotification decodes the object starting at s.b[0] ('{') into d.n and
// the slots, and returns its length. Strings are turned into Go strings by
// finishNotification once the object is known to be complete.
func (d *Decoder) parseNotification(s *scanner) (int, error) {
	d.n = Notification{}
	d.slots = [numStringFields]strSlot{}
	d.rd = span{}
	d.unesc = d.unesc[:0]
	b := s.b
	i := skipSpace(b, 1)
	if i >= len(b) {
		return 0, s.atEnd()
	}
	if b[i] == '}' {
		return i + 1, nil
	}
	for {
		if b[i] != '"' {
			return 0, s.invalid(i, "looking for beginning of object key string")
		}
		end, f := wireKey(b, i)
		if end == 0 {
			var flags int
			var err error
			if end, flags, err = s.scanString(i); err != nil {
				return 0, err
			}
			f = d.matchField(b[i+1:end-1], flags)
		}
		if i = skipSpace(b, end); i >= len(b) {
			return 0, s.atEnd()
		}
		if b[i] != ':' {
			return 0, s.invalid(i, "after object key")
		}
		if i = skipSpace(b, i+1); i >= len(b) {
			return 0, s.atEnd()
		}
		var err error
		if i, err = d.parseField(s, f, i); err != nil {
			return 0, err
		}
		if i = skipSpace(b, i); i >= len(b) {
			return 0, s.atEnd()
		}
		switch b[i] {
		case ',':
			if i = skipSpace(b, i+1); i >= len(b) {
				return 0, s.atEnd()
			}
		case '}':
			return i + 1, nil
		default:
			return 0, s.invalid(i, "after object key:value pair")
		}
	}
}

// parseField decodes the value of field f starting at s.b[i] and returns the
// index just past it. As in encoding/json, null leaves a field unchanged,
// except Id and ResourceData, which it resets.
func (d *Decoder) parseField(s *scanner, f field, i int) (int, error) {
	b := s.b
	c := b[i]
	switch f {
	case fieldUnknown:
		return s.skipValue(i, notificationDepth)
	case fieldResourceData:
		end, err := s.skipValue(i, notificationDepth)
		if err != nil {
			return 0, err
		}
		if c == 'n' {
			d.rd = span{}
		} else {
			d.rd = span{lo: i, hi: end, set: true}
		}
		return end, nil
	}
	if c == 'n' {
		end, err := s.scanLiteral(i, "null")
		if err == nil && f == fieldID {
			d.slots[fieldID-1] = strSlot{state: slotNull}
		}
		return end, err
	}
	if f == fieldSequence {
		if c != '-' && !isDigit(c) {
			return d.mismatch(s, f, i)
		}
		end, err := s.scanNumber(i)
		if err != nil {
			return 0, err
		}
		v, ok := parseInt64(b[i:end])
		if !ok {
			return 0, &FieldError{Offset: s.base + int64(i), Field: fieldName(f),
				Err: fmt.Errorf("number %s is not a 64-bit integer", b[i:end])}
		}
		d.n.SequenceNumber = v
		return end, nil
	}
	if c != '"' {
		return d.mismatch(s, f, i)
	}
	if f == fieldODataType {
		for _, v := range [...]string{ODataTypeKeepAlive, ODataTypeNotification} {
			if hasQuoted(b[i+1:], v) {
				d.slots[f-1] = strSlot{state: slotRaw, lo: i + 1, hi: i + 1 + len(v)}
				return i + len(v) + 2, nil
			}
		}
	}
	end, flags, err := s.scanString(i)
	if err != nil {
		return 0, err
	}
	raw := b[i+1 : end-1]
	needsUnquote := flags&strEscaped != 0 || flags&strNonASCII != 0 && !utf8.Valid(raw)
	if f == fieldExpiration {
		if needsUnquote {
			d.keyBuf = appendUnquoted(d.keyBuf[:0], raw)
			raw = d.keyBuf
		}
		t, err := parseTime(raw)
		if err != nil {
			return 0, &FieldError{Offset: s.base + int64(i), Field: fieldName(f), Err: err}
		}
		d.n.SubscriptionExpirationDateTime = t
		return end, nil
	}
	slot := strSlot{state: slotRaw, lo: i + 1, hi: end - 1}
	if needsUnquote {
		n := len(d.unesc)
		d.unesc = appendUnquoted(d.unesc, raw)
		slot = strSlot{state: slotUnescaped, lo: n, hi: len(d.unesc)}
	}
	d.slots[f-1] = slot
	return end, nil
}

// mismatch reports a value of the wrong JSON type for field f, once the
// value itself is known to be well-formed.
func (d *Decoder) mismatch(s *scanner, f field, i int) (int, error) {
	if _, err := s.skipValue(i, notificationDepth); err != nil {
		return 0, err
	}
	var kind string
	switch s.b[i] {
	case '"':
		kind = "string"
	case '{':
		kind = "object"
	case '[':
		kind = "array"
	case 't', 'f':
		kind = "boolean"
	default:
		kind = "number"
	}
	want := "a string"
	if f == fieldSequence {
		want = "an integer"
	}
	return 0, &FieldError{Offset: s.base + int64(i), Field: fieldName(f),
		Err: fmt.Errorf("JSON %s where %s is expected", kind, want)}
}

func fieldName(f field) string {
	switch f {
	case fieldODataType:
		return "@odata.type"
	case fieldSubscriptionID:
		return "SubscriptionId"
	case fieldChangeType:
		return "ChangeType"
	case fieldResource:
		return "Resource"
	case fieldStatus:
		return "Status"
	case fieldID:
		return "Id"
	case fieldExpiration:
		return "SubscriptionExpirationDateTime"
	case fieldSequence:
		return "SequenceNumber"
	case fieldResourceData:
		return "ResourceData"
	}
	return ""
}

// wireNames are the property names as the service spells them, each with
// its closing quote.
var wireNames = [...]struct {
	name string
	f    field
}{
	{`@odata.type"`, fieldODataType},
	{`Id"`, fieldID},
	{`SubscriptionId"`, fieldSubscriptionID},
	{`SubscriptionExpirationDateTime"`, fieldExpiration},
	{`SequenceNumber"`, fieldSequence},
	{`ChangeType"`, fieldChangeType},
	{`Resource"`, fieldResource},
	{`ResourceData"`, fieldResourceData},
	{`Status"`, fieldStatus},
}

// wireKey recognises, with one comparison, a property name at b[i] (a quote)
// spelled exactly as the service spells it, and returns the index just past
// it and its field; end is 0 for any other name, which matchField handles.
func wireKey(b []byte, i int) (end int, f field) {
	if i+1 >= len(b) {
		return 0, fieldUnknown
	}
	var k int
	switch b[i+1] {
	case '@':
		k = 0
	case 'I':
		k = 1
	case 'S':
		switch {
		case i+2 < len(b) && b[i+2] == 't':
			k = 8
		case i+13 < len(b) && b[i+13] == 'I':
			k = 2
		case i+13 < len(b) && b[i+13] == 'E':
			k = 3
		default:
			k = 4
		}
	case 'C':
		k = 5
	case 'R':
		k = 6
		if i+9 < len(b) && b[i+9] == 'D' {
			k = 7
		}
	default:
		return 0, fieldUnknown
	}
	w := wireNames[k]
	if !bytes.HasPrefix(b[i+1:], []byte(w.name)) {
		return 0, fieldUnknown
	}
	return i + 1 + len(w.name), w.f
}

// hasQuoted reports whether b starts with v and a closing quote.
func hasQuoted(b []byte, v string) bool {
	return len(b) > len(v) && b[len(v)] == '"' && string(b[:len(v)]) == v
}

// matchField maps a property name, as it appears between the quotes, to its
// field. Names match as encoding/json matches them to struct fields: after
// unescaping, case-insensitively.
func (d *Decoder) matchField(raw []byte, flags int) field {
	if flags == 0 {
		// Plain ASCII: compare by length, then case-insensitively.
		switch len(raw) {
		case 2:
			if equalFoldASCII(raw, "id") {
				return fieldID
			}
		case 6:
			if equalFoldASCII(raw, "status") {
				return fieldStatus
			}
		case 8:
			if equalFoldASCII(raw, "resource") {
				return fieldResource
			}
		case 10:
			if equalFoldASCII(raw, "changetype") {
				return fieldChangeType
			}
		case 11:
			if equalFoldASCII(raw, "@odata.type") {
				return fieldODataType
			}
		case 12:
			if equalFoldASCII(raw, "resourcedata") {
				return fieldResourceData
			}
		case 14:
			if equalFoldASCII(raw, "subscriptionid") {
				return fieldSubscriptionID
			}
			if equalFoldASCII(raw, "sequencenumber") {
				return fieldSequence
			}
		case 30:
			if equalFoldASCII(raw, "subscriptionexpirationdatetime") {
				return fieldExpiration
			}
		}
		return fieldUnknown
	}
	d.keyBuf = appendUnquoted(d.keyBuf[:0], raw)
	d.fold = appendFoldedName(d.fold[:0], d.keyBuf)
	switch string(d.fold) {
	case "ID":
		return fieldID
	case "STATUS":
		return fieldStatus
	case "RESOURCE":
		return fieldResource
	case "CHANGETYPE":
		return fieldChangeType
	case "@ODATA.TYPE":
		return fieldODataType
	case "RESOURCEDATA":
		return fieldResourceData
	case "SUBSCRIPTIONID":
		return fieldSubscriptionID
	case "SEQUENCENUMBER":
		return fieldSequence
	case "SUBSCRIPTIONEXPIRATIONDATETIME":
		return fieldExpiration
	}
	return fieldUnknown
}

// keyIs reports whether the property name raw (between its quotes, already
// validated) matches name, given in lower and upper case.
func (d *Decoder) keyIs(raw []byte, lower, upper string) bool {
	plain := true
	for _, c := range raw {
		if c == '\\' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return len(raw) == len(lower) && equalFoldASCII(raw, lower)
	}
	d.keyBuf = appendUnquoted(d.keyBuf[:0], raw)
	d.fold = appendFoldedName(d.fold[:0], d.keyBuf)
	return string(d.fold) == upper
}

// equalFoldASCII reports whether the ASCII bytes b equal lower (lower case)
// ignoring case. The lengths must be equal.
func equalFoldASCII(b []byte, lower string) bool {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// appendFoldedName appends the case-folded form of name that encoding/json
// uses to match names to fields, so that two names fold equal exactly when
// bytes.EqualFold says they are equal: ASCII letters upper-cased, other runes
// replaced by the smallest rune of their case-folding orbit (ſ becomes S).
func appendFoldedName(dst, name []byte) []byte {
	for i := 0; i < len(name); {
		if c := name[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(name[i:])
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

// foldRune returns the smallest rune of r's case-folding orbit.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}

// appendUnquoted appends the value of the validated JSON string contents s
// (between the quotes) as encoding/json decodes it: escapes resolved,
// surrogate pairs joined, and lone surrogates and invalid UTF-8 replaced by
// U+FFFD.
func appendUnquoted(dst, s []byte) []byte {
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			switch e := s[r+1]; e {
			case 'u':
				rr := getu4(s[r:])
				r += 6
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != utf8.RuneError {
						r += 6
						dst = utf8.AppendRune(dst, dec)
						break
					}
					rr = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, rr)
			case 'b':
				dst = append(dst, '\b')
				r += 2
			case 'f':
				dst = append(dst, '\f')
				r += 2
			case 'n':
				dst = append(dst, '\n')
				r += 2
			case 'r':
				dst = append(dst, '\r')
				r += 2
			case 't':
				dst = append(dst, '\t')
				r += 2
			default: // '"', '\\', '/'
				dst = append(dst, e)
				r += 2
			}
		case c < utf8.RuneSelf:
			// Copy the run of plain ASCII up to the next escape or non-ASCII byte.
			j := r + 1
			for j < len(s) && s[j] != '\\' && s[j] < utf8.RuneSelf {
				j++
			}
			dst = append(dst, s[r:j]...)
			r = j
		default:
			rr, size := utf8.DecodeRune(s[r:])
			dst = utf8.AppendRune(dst, rr)
			r += size
		}
	}
	return dst
}

// getu4 decodes the \uXXXX escape at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// parseInt64 parses the valid JSON number b as an int64, failing for
// fractions, exponents and values out of range.
func parseInt64(b []byte) (int64, bool) {
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 19 { // JSON has no leading zeros: 20 digits overflow
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return int64(-u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// parseTime parses an RFC 3339 time. The service's layout,
// 2016-09-09T18:36:42.3454926Z (UTC, up to nine fractional digits), is
// parsed by hand; anything else goes to time.Parse with time.RFC3339Nano.
func parseTime(b []byte) (time.Time, error) {
	if t, ok := parseTimeUTC(b); ok {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, string(b))
}

// parseTimeUTC parses YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z.
func parseTimeUTC(b []byte) (time.Time, bool) {
	const base = len("2006-01-02T15:04:05")
	if len(b) < base+1 || b[len(b)-1] != 'Z' ||
		b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	ok := true
	num := func(s []byte) int {
		n := 0
		for _, c := range s {
			if !isDigit(c) {
				ok = false
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(b[0:4]), num(b[5:7]), num(b[8:10])
	hour, minute, sec := num(b[11:13]), num(b[14:16]), num(b[17:19])
	if !ok || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := b[base : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		digits := frac[1:]
		nsec = num(digits)
		if !ok {
			return time.Time{}, false
		}
		for range 9 - len(digits) {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// finishNotification turns the string values the parser located in the
// complete object b into the fields of d.n. Repeated values (types, change
// types, statuses, subscription ids) are interned; Resource and Id share one
// allocation; ResourceData is a view of b.
func (d *Decoder) finishNotification(b []byte) {
	n := &d.n
	n.ODataType = d.intern(b, fieldODataType)
	n.SubscriptionID = d.intern(b, fieldSubscriptionID)
	n.ChangeType = ChangeType(d.intern(b, fieldChangeType))
	n.Status = d.intern(b, fieldStatus)
	res := d.slotBytes(b, fieldResource)
	if d.slots[fieldID-1].state == slotRaw || d.slots[fieldID-1].state == slotUnescaped {
		d.arena = append(append(d.arena[:0], res...), d.slotBytes(b, fieldID)...)
		s := string(d.arena)
		n.Resource, d.id = s[:len(res)], s[len(res):]
		n.ID = &d.id
	} else {
		n.Resource = string(res)
	}
	if d.rd.set {
		n.ResourceData = b[d.rd.lo:d.rd.hi:d.rd.hi]
	}
}

func (d *Decoder) slotBytes(b []byte, f field) []byte {
	switch s := d.slots[f-1]; s.state {
	case slotRaw:
		return b[s.lo:s.hi]
	case slotUnescaped:
		return d.unesc[s.lo:s.hi]
	}
	return nil
}

// intern returns field f's value as a string without allocating when the
// value is a known constant, the field's previous value, or one of the
// recent values in the intern table.
func (d *Decoder) intern(b []byte, f field) string {
	v := d.slotBytes(b, f)
	if len(v) == 0 {
		return ""
	}
	last := &d.last[f-1]
	if string(v) == *last {
		return *last
	}
	s, ok := knownString(v)
	if !ok && len(v) <= maxInternLen {
		for _, t := range d.interned {
			if t == string(v) {
				s, ok = t, true
				break
			}
		}
		if !ok {
			s, ok = string(v), true
			d.interned[d.nextSlot] = s
			d.nextSlot = (d.nextSlot + 1) % internSlots
		}
	}
	if !ok {
		s = string(v)
	}
	*last = s
	return s
}

// knownString returns the constant equal to v, if any.
func knownString(v []byte) (string, bool) {
	switch string(v) {
	case ODataTypeNotification:
		return ODataTypeNotification, true
	case ODataTypeKeepAlive:
		return ODataTypeKeepAlive, true
	case "Ok":
		return "Ok", true
	case "OK":
		return "OK", true
	case string(ChangeCreated):
		return string(ChangeCreated), true
	case string(ChangeUpdated):
		return string(ChangeUpdated), true
	case string(ChangeDeleted):
		return string(ChangeDeleted), true
	case string(ChangeMissed):
		return string(ChangeMissed), true
	case string(ChangeAcknowledgment):
		return string(ChangeAcknowledgment), true
	}
	return "", false
}
