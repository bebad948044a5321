package streaming

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
)

// DefaultMaxObjectSize is the default limit on the size of one object in the
// stream (see [WithMaxObjectSize]).
const DefaultMaxObjectSize = 4 << 20

// Buffer sizes. A new Decoder's buffer is small, so that an idle connection
// (80-byte keep-alives every few seconds) costs little. It doubles, up to
// readAheadSize, while Reads keep filling all the space offered (data is
// waiting: read it in large chunks), and beyond that only to hold an object
// that does not fit, never past the object limit plus readChunk.
const (
	// initialBufferSize is the buffer size of a new Decoder.
	initialBufferSize = 4 << 10
	// readChunk is the least free space the decoder offers to a Read.
	readChunk = 4 << 10
	// readAheadSize is the size up to which full Reads grow the buffer.
	readAheadSize = 64 << 10
	// maxEmptyReads is how many (0, nil) reads are tolerated in a row, as bufio.
	maxEmptyReads = 100
)

// ErrObjectTooLarge is wrapped by the error [Decoder.Next] returns when one
// object of the stream is larger than the limit set with [WithMaxObjectSize].
var ErrObjectTooLarge = errors.New("streaming: object too large")

// SyntaxError reports bytes that are not a well-formed GetNotifications
// stream.
type SyntaxError struct {
	// Offset is the byte offset in the stream, counted from the first byte
	// read from the reader, of the first byte that is not valid where it
	// stands.
	Offset int64
	// Msg describes the problem.
	Msg string
}

// Error implements the error interface.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("streaming: syntax error at byte offset %d: %s", e.Offset, e.Msg)
}

// FieldError reports a well-formed JSON value that cannot be decoded into its
// Notification field, for example a SequenceNumber that is not an integer or
// a SubscriptionExpirationDateTime that is not an RFC 3339 time.
type FieldError struct {
	// Offset is the byte offset in the stream of the value.
	Offset int64
	// Field is the Notification property, as named on the wire.
	Field string
	// Err is the reason.
	Err error
}

// Error implements the error interface.
func (e *FieldError) Error() string {
	return fmt.Sprintf("streaming: invalid %s at byte offset %d: %v", e.Field, e.Offset, e.Err)
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Err }

// DecoderOption configures a [Decoder].
type DecoderOption func(*decoderConfig)

type decoderConfig struct {
	maxObjectSize  int
	strictPreamble bool
}

// WithMaxObjectSize limits the size in bytes of one object in the stream (a
// notification from its '{' to its '}', or one property of the preamble).
// A larger object makes Next fail with an error wrapping ErrObjectTooLarge;
// the decoder's buffer never grows past the limit plus 4 KiB. n < 1 selects
// DefaultMaxObjectSize.
func WithMaxObjectSize(n int) DecoderOption {
	return func(c *decoderConfig) {
		if n < 1 {
			n = DefaultMaxObjectSize
		}
		c.maxObjectSize = min(n, math.MaxInt-readChunk)
	}
}

// WithStrictPreamble makes the decoder reject the two malformed preambles of
// the service documentation, which it accepts by default (see [Decoder]).
func WithStrictPreamble() DecoderOption {
	return func(c *decoderConfig) { c.strictPreamble = true }
}

type decoderState uint8

const (
	statePreamble decoderState = iota // nothing read yet
	stateFirst                        // after "value":[, before the first element
	stateMore                         // after an element
	stateDone                         // after the closing "]}"
)

// preambleRepair records a tolerated defect of a documentation-style preamble
// (for tests: applying it to the input gives a strictly valid stream).
type preambleRepair struct {
	insert bool  // true: `"value":[` is missing before offset; false: the '{' at offset is extra
	offset int64 // stream offset of the defect
}

// A Decoder reads the response body of a GetNotifications request: one JSON
// document that grows for as long as the connection lasts,
//
//	{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[
//	{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"}
//	,{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,...}
//	]}
//
// and hands out its objects one at a time as they arrive. It reads every byte
// once, scans it a bounded number of times however the stream is split into
// reads (never re-parsing what it has buffered), and keeps only the object
// being decoded, plus whatever the last Read returned beyond it, in a
// reusable buffer.
//
// The preamble may carry any properties before "value" (they are validated
// and skipped); "value" must be the last property of the document and an
// array of objects, and the closing "]}" ends the stream. Names are matched
// case-insensitively, as encoding/json does.
//
// Preamble leniency: the service documentation shows two malformed preambles,
// `{ {"@odata.context":…,"value":[` (one brace too many) and
// `{"@odata.context":…, {` (no `"value":[` before the first object). By
// default the decoder accepts exactly these two defects, each only at the
// spot where it occurs in the documentation: a second '{' directly after the
// opening one, and a '{' in place of a property name after a preamble
// property and its comma. Both positions can only hold those bytes in an
// invalid document, so no valid stream is read differently and everything
// after the defect is checked as strictly as ever. The live service sends
// the correct preamble; [WithStrictPreamble] turns the leniency off.
//
// A Decoder is not safe for concurrent use.
type Decoder struct {
	r    io.Reader
	rerr error // error from r, reported once the buffered bytes are used up

	buf        []byte
	start, end int   // buf[start:end] holds the bytes read but not consumed
	off        int64 // stream offset of buf[0]
	fullRead   bool  // the last Read filled all the space offered

	decoderConfig
	bufferLimit int

	state decoderState
	err   error // sticky: returned by every Next after the first error
	fr    framer

	// Decoding state, reused for every object.
	n        Notification
	id       string // target of n.ID
	slots    [numStringFields]strSlot
	rd       span   // ResourceData within the object
	stack    []byte // open containers while validating
	stackBuf [64]byte
	unesc    []byte // unescaped string values of the current object
	keyBuf   []byte // an unescaped property name
	fold     []byte // a case-folded property name
	arena    []byte // Resource and Id, turned into one string
	last     [numStringFields]string
	interned [internSlots]string // recent distinct values, replaced round-robin
	nextSlot int

	repairs [2]preambleRepair
	nrep    int
}

// NewDecoder returns a Decoder reading the GetNotifications stream from r.
// It reads from r only inside [Decoder.Next], as much as one Read returns
// and only when it needs more bytes to finish the current object.
func NewDecoder(r io.Reader, opts ...DecoderOption) *Decoder {
	d := &Decoder{r: r, decoderConfig: decoderConfig{maxObjectSize: DefaultMaxObjectSize}}
	for _, o := range opts {
		o(&d.decoderConfig)
	}
	d.bufferLimit = d.maxObjectSize + readChunk
	d.buf = make([]byte, min(initialBufferSize, d.bufferLimit))
	d.stack = d.stackBuf[:0]
	return d
}

// Next returns the next object of the stream: a change notification or a
// keep-alive ([Notification.IsKeepAlive] tells which). It returns as soon as
// the object's closing brace has been read, without waiting for more bytes.
//
// At the end of the stream Next returns:
//   - io.EOF after the closing "]}" (the server ended the connection on
//     purpose); the decoder reads nothing after it, see [Decoder.Buffered];
//   - an error wrapping io.ErrUnexpectedEOF when the stream stops anywhere
//     else, after every complete object was returned;
//   - a *SyntaxError when the bytes are not a well-formed stream;
//   - a *FieldError when a value has the wrong type for its field;
//   - an error wrapping ErrObjectTooLarge when an object exceeds the limit;
//   - the reader's own error, wrapped, when a Read fails.
//
// After an error, including io.EOF, every later call returns the same error.
//
// Validity: the returned *Notification is owned by the Decoder and is
// overwritten by the next call to Next. Its ResourceData is a view into the
// decoder's read buffer, and ID points to a decoder field; both are valid
// only until the next call to Next. The string fields are ordinary immutable
// strings and stay valid. Use [Notification.Clone] to keep a notification.
// This reuse is what lets Next decode a keep-alive without allocating and a
// notification with at most one allocation.
func (d *Decoder) Next() (*Notification, error) {
	if d.err != nil {
		return nil, d.err
	}
	n, err := d.next()
	if err != nil {
		d.err = err
		return nil, err
	}
	return n, nil
}

// Buffered returns the bytes read from the underlying reader that Next has
// not consumed. After Next returned io.EOF these are the bytes that arrived
// after the closing "]}" in the same Read; the decoder never issues another
// Read once it has seen the end, so everything else is still in the reader.
func (d *Decoder) Buffered() io.Reader {
	return bytes.NewReader(d.buf[d.start:d.end])
}

// InputOffset returns the stream offset just past the bytes Next has
// consumed: after io.EOF, the length of the stream up to and including "]}".
func (d *Decoder) InputOffset() int64 {
	return d.off + int64(d.start)
}

func (d *Decoder) next() (*Notification, error) {
	if d.state == statePreamble {
		if err := d.readPreamble(); err != nil {
			return nil, err
		}
	}
	c, err := d.peek()
	if err != nil {
		return nil, err
	}
	switch {
	case c == ']':
		return nil, d.readEnd()
	case d.state == stateMore:
		if c != ',' {
			return nil, d.invalid(d.start, "after notification object (expecting ',' or ']')")
		}
		d.start++
		if c, err = d.peek(); err != nil {
			return nil, err
		}
		if c != '{' {
			return nil, d.invalid(d.start, "looking for the beginning of a notification object after ','")
		}
	case c != '{':
		return nil, d.invalid(d.start, "looking for the beginning of a notification object")
	}
	n, err := d.readValue(kindNotification)
	if err != nil {
		return nil, err
	}
	d.finishNotification(d.buf[d.start : d.start+n])
	d.start += n
	d.state = stateMore
	return &d.n, nil
}

// readEnd consumes the closing "]}" (d.buf[d.start] is ']') and returns
// io.EOF without reading further.
func (d *Decoder) readEnd() error {
	d.start++
	c, err := d.peek()
	if err != nil {
		return err
	}
	if c != '}' {
		return d.invalid(d.start, "after the array of notifications (expecting '}')")
	}
	d.start++
	d.state = stateDone
	return io.EOF
}

// readPreamble consumes everything up to and including the '[' that opens
// the array of notifications.
func (d *Decoder) readPreamble() error {
	c, err := d.peek()
	if err != nil {
		return err
	}
	if c != '{' {
		return d.invalid(d.start, "looking for the beginning of the notifications document")
	}
	d.start++
	if c, err = d.peek(); err != nil {
		return err
	}
	if c == '{' && !d.strictPreamble {
		// Documentation defect: `{ {"@odata.context"…`.
		d.addRepair(false)
		d.start++
		if c, err = d.peek(); err != nil {
			return err
		}
	}
	afterComma := false
	for {
		if c != '"' {
			switch {
			case c == '{' && afterComma && !d.strictPreamble:
				// Documentation defect: `{"@odata.context":…, {` with no "value":[.
				d.addRepair(true)
				d.state = stateFirst
				return nil
			case c == '}' && !afterComma:
				return d.syntaxError(d.start, `the notifications document has no "value" array`)
			}
			return d.invalid(d.start, "looking for beginning of object key string")
		}
		n, err := d.readValue(kindKey)
		if err != nil {
			return err
		}
		isValue := d.keyIs(d.buf[d.start+1:d.start+n-1], "value", "VALUE")
		d.start += n
		if c, err = d.peek(); err != nil {
			return err
		}
		if c != ':' {
			return d.invalid(d.start, "after object key")
		}
		d.start++
		if c, err = d.peek(); err != nil {
			return err
		}
		if isValue {
			if c != '[' {
				return d.invalid(d.start, `looking for the array of notifications after "value":`)
			}
			d.start++
			d.state = stateFirst
			return nil
		}
		if !isValueStart(c) {
			return d.invalid(d.start, "looking for beginning of value")
		}
		if n, err = d.readValue(kindPreambleValue); err != nil {
			return err
		}
		d.start += n
		if c, err = d.peek(); err != nil {
			return err
		}
		switch c {
		case ',':
			d.start++
			if c, err = d.peek(); err != nil {
				return err
			}
			afterComma = true
		case '}':
			return d.syntaxError(d.start, `the notifications document has no "value" array`)
		default:
			return d.invalid(d.start, "after object key:value pair")
		}
	}
}

func (d *Decoder) addRepair(insert bool) {
	if d.nrep < len(d.repairs) {
		d.repairs[d.nrep] = preambleRepair{insert: insert, offset: d.off + int64(d.start)}
		d.nrep++
	}
}

// peek skips whitespace, reading as needed, and returns the next byte
// without consuming it.
func (d *Decoder) peek() (byte, error) {
	for {
		for d.start < d.end {
			c := d.buf[d.start]
			if !isSpace[c] {
				return c, nil
			}
			d.start++
		}
		if err := d.fill(); err != nil {
			if err == io.EOF {
				return 0, d.truncated("before the closing \"]}\"")
			}
			return 0, d.readError(err)
		}
	}
}

// fill reads more bytes into the buffer, sliding out consumed bytes and
// growing it (see initialBufferSize) to make room. It returns io.EOF at the
// end of the input and the reader's other errors unchanged.
func (d *Decoder) fill() error {
	if d.rerr != nil {
		return d.rerr
	}
	if d.start == d.end {
		d.off += int64(d.end)
		d.start, d.end = 0, 0
	}
	if d.fullRead && len(d.buf) < min(readAheadSize, d.bufferLimit) {
		d.grow(min(2*len(d.buf), readAheadSize, d.bufferLimit))
	}
	if len(d.buf)-d.end < readChunk {
		if d.start > 0 {
			n := copy(d.buf, d.buf[d.start:d.end])
			d.off += int64(d.start)
			d.start, d.end = 0, n
		}
		if len(d.buf)-d.end < readChunk && len(d.buf) < d.bufferLimit {
			d.grow(min(max(2*len(d.buf), d.end+readChunk), d.bufferLimit))
		}
	}
	if d.end == len(d.buf) {
		// Unreachable: readValue reports an object over the limit before
		// the buffer is full.
		return d.tooLarge()
	}
	for range maxEmptyReads {
		p := d.buf[d.end:]
		n, err := d.r.Read(p)
		if n < 0 || n > len(p) {
			d.rerr = fmt.Errorf("streaming: reader returned invalid count %d", n)
			return d.rerr
		}
		d.end += n
		d.fullRead = n == len(p)
		if err != nil {
			d.rerr = err
			if n > 0 {
				return nil
			}
			return err
		}
		if n > 0 {
			return nil
		}
	}
	d.rerr = io.ErrNoProgress
	return d.rerr
}

// grow replaces the buffer with one of the given size holding the same
// unconsumed bytes at the front.
func (d *Decoder) grow(size int) {
	buf := make([]byte, size)
	n := copy(buf, d.buf[d.start:d.end])
	d.off += int64(d.start)
	d.buf, d.start, d.end = buf, 0, n
}

type valueKind uint8

const (
	kindNotification  valueKind = iota // an element of the array
	kindKey                            // a property name of the preamble
	kindPreambleValue                  // a property value of the preamble
)

// readValue makes sure the whole value starting at d.buf[d.start] is in the
// buffer, decodes or validates it, and returns its length without consuming
// it.
//
// When the buffer already holds the value (the common case with large
// reads) one parse finds its end. Otherwise a resumable framer tracks the
// value's end across reads, so every byte is scanned once however the value
// is split, and the parser runs over the whole value once it is complete.
// While the value is incomplete the parser also runs over the bytes so far
// whenever they have doubled since its last run, so garbage is reported
// without waiting for the end and the extra work stays linear.
func (d *Decoder) readValue(kind valueKind) (int, error) {
	w := min(d.end-d.start, d.maxObjectSize)
	n, err := d.parse(kind, w, false)
	if err != errNeedMore {
		return n, err
	}
	checked := w
	d.fr.reset(d.buf[d.start])
	for {
		w = min(d.end-d.start, d.maxObjectSize)
		if n, ok := d.fr.scan(d.buf[d.start : d.start+w]); ok {
			var m int
			var err error
			if d.fr.scalar {
				// The byte that ended the scalar is in the buffer: let the
				// parser see it, as it does when everything arrives at once.
				m, err = d.parse(kind, w, false)
			} else {
				m, err = d.parse(kind, n, true)
			}
			if err != nil {
				return 0, err
			}
			if m != n {
				// A scalar followed by letters or digits, such as 12x.
				return 0, d.invalid(d.start+m, "after object key:value pair")
			}
			return n, nil
		}
		if w >= d.maxObjectSize {
			if err := d.check(kind, w, checked); err != nil {
				return 0, err
			}
			return 0, d.tooLarge()
		}
		if w >= 2*checked {
			if err := d.check(kind, w, checked); err != nil {
				return 0, err
			}
			checked = w
		}
		if err := d.fill(); err != nil {
			if err != io.EOF {
				return 0, d.readError(err)
			}
			w = d.end - d.start
			n, err := d.parse(kind, w, false)
			switch {
			case err == errNeedMore:
				return 0, d.truncated(fmt.Sprintf("inside the value starting at byte offset %d", d.off+int64(d.start)))
			case err != nil:
				return 0, err
			case n < w:
				return 0, d.invalid(d.start+n, "after object key:value pair")
			}
			// A literal such as true that ends with the input is complete;
			// what follows it is missing, as when it is read in one piece.
			return n, nil
		}
	}
}

// check parses the first w bytes of an incomplete value for errors, unless
// the previous check already covered them.
func (d *Decoder) check(kind valueKind, w, checked int) error {
	if w <= checked {
		return nil
	}
	n, err := d.parse(kind, w, false)
	switch {
	case err == errNeedMore:
		return nil
	case err != nil:
		return err
	case n < w:
		// A scalar that ended before the bytes the framer still counts as
		// part of it, such as 0 in 00: the same error as when the bytes
		// after it are read together with it.
		return d.invalid(d.start+n, "after object key:value pair")
	}
	return nil
}

// parse decodes (notification) or validates (preamble) the value in
// d.buf[d.start:d.start+w] and returns its length. If complete is false, w
// may end inside the value, and reaching it yields errNeedMore.
func (d *Decoder) parse(kind valueKind, w int, complete bool) (int, error) {
	s := scanner{
		b:        d.buf[d.start : d.start+w],
		base:     d.off + int64(d.start),
		complete: complete,
		stack:    d.stack[:0],
	}
	var n int
	var err error
	switch kind {
	case kindNotification:
		n, err = d.parseNotification(&s)
	case kindKey:
		n, _, err = s.scanString(0)
	default:
		n, err = s.skipValue(0, 1)
	}
	d.stack = s.stack
	return n, err
}

func (d *Decoder) syntaxError(i int, msg string) error {
	return &SyntaxError{Offset: d.off + int64(i), Msg: msg}
}

// invalid reports the byte d.buf[i] as out of place.
func (d *Decoder) invalid(i int, context string) error {
	return d.syntaxError(i, "invalid character "+quoteChar(d.buf[i])+" "+context)
}

func (d *Decoder) truncated(where string) error {
	return fmt.Errorf("streaming: stream ended at byte offset %d %s: %w", d.off+int64(d.end), where, io.ErrUnexpectedEOF)
}

func (d *Decoder) readError(err error) error {
	return fmt.Errorf("streaming: reading stream at byte offset %d: %w", d.off+int64(d.end), err)
}

func (d *Decoder) tooLarge() error {
	return fmt.Errorf("%w: the value at byte offset %d is larger than %d bytes", ErrObjectTooLarge, d.off+int64(d.start), d.maxObjectSize)
}

// framer follows a JSON value across reads to find where it ends, without
// validating it: it skips strings (with their escapes) and counts brackets.
// Its positions are relative to the start of the value, so they survive the
// buffer sliding.
type framer struct {
	pos    int  // bytes scanned so far
	depth  int  // open brackets
	scalar bool // the value is a number or literal
	inStr  bool // pos is inside a string
	esc    bool // the byte at pos is escaped by a backslash
	quote  int  // position of the next '"' at or after pos, or -1
	qfrom  int  // no '"' in [pos, qfrom) when quote is -1
}

func (f *framer) reset(first byte) {
	*f = framer{quote: -1}
	switch first {
	case '{', '[':
	case '"':
		f.pos, f.inStr = 1, true
	default:
		f.scalar = true
	}
}

// scan continues over b, which holds the value from its first byte, and
// returns the value's length once its end is in b.
func (f *framer) scan(b []byte) (int, bool) {
	i := f.pos
	if f.scalar {
		for ; i < len(b); i++ {
			if !isScalarByte[b[i]] {
				return i, true
			}
		}
		f.pos = i
		return 0, false
	}
	for i < len(b) {
		if f.inStr {
			if f.esc {
				f.esc = false
				i++
				continue
			}
			if f.quote < i {
				from := max(i, f.qfrom)
				if k := bytes.IndexByte(b[from:], '"'); k >= 0 {
					f.quote = from + k
				} else {
					f.quote, f.qfrom = -1, len(b)
				}
			}
			stop := len(b)
			if f.quote >= 0 {
				stop = f.quote
			}
			if k := bytes.IndexByte(b[i:stop], '\\'); k >= 0 {
				i += k + 1
				f.esc = true
				continue
			}
			if f.quote < 0 {
				i = len(b)
				break
			}
			i = f.quote + 1
			f.inStr = false
			if f.depth == 0 {
				return i, true
			}
			continue
		}
		c := b[i]
		i++
		switch c {
		case '"':
			f.inStr = true
		case '{', '[':
			f.depth++
		case '}', ']':
			f.depth--
			if f.depth <= 0 {
				return i, true
			}
		}
	}
	f.pos = i
	return 0, false
}

// isScalarByte holds the bytes that can continue a number or a literal.
var isScalarByte = func() (t [256]bool) {
	for _, c := range []byte("0123456789+-.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		t[c] = true
	}
	return t
}()

// isSpace holds the JSON whitespace bytes.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func isValueStart(c byte) bool {
	switch c {
	case '{', '[', '"', '-', 't', 'f', 'n':
		return true
	}
	return '0' <= c && c <= '9'
}
