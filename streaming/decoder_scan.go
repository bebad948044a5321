package streaming

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"strconv"
)

// errNeedMore reports that a parse of an incomplete value reached the end of
// the bytes available without finding an error.
var errNeedMore = errors.New("streaming: need more input")

// maxNestingDepth is the nesting limit of encoding/json, counted from the
// document: the document is depth 1, the array 2, a notification 3.
const maxNestingDepth = 10000

// scanner validates JSON in b, which starts at stream offset base. If
// complete is false, b may end anywhere and reaching its end yields
// errNeedMore; otherwise it is a syntax error.
type scanner struct {
	b        []byte
	base     int64
	complete bool
	stack    []byte // open containers of skipValue: '{' or '['
}

// atEnd is the error for reaching len(s.b) where more input is required.
func (s *scanner) atEnd() error {
	if !s.complete {
		return errNeedMore
	}
	return &SyntaxError{Offset: s.base + int64(len(s.b)), Msg: "unexpected end of JSON input"}
}

// invalid reports the byte s.b[i] as out of place.
func (s *scanner) invalid(i int, context string) error {
	return &SyntaxError{Offset: s.base + int64(i), Msg: "invalid character " + quoteChar(s.b[i]) + " " + context}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace[b[i]] {
		i++
	}
	return i
}

// String flags reported by scanString.
const (
	strEscaped  = 1 << iota // the string contains a backslash escape
	strNonASCII             // the string contains a byte >= 0x80
)

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// specialMask flags, in the high bit of each byte of w, the bytes that end a
// run of plain string content: '"', '\\' and control bytes below 0x20. The
// lowest flag is exact; flags above it may be spurious.
func specialMask(w uint64) uint64 {
	q := w ^ (lsb * '"')
	e := w ^ (lsb * '\\')
	return ((q-lsb)&^q | (e-lsb)&^e | (w-lsb*0x20)&^w) & msb
}

// exactSpecialMask is specialMask without spurious flags: the high bit of a
// byte is set exactly when the byte is '"', '\\' or below 0x20.
func exactSpecialMask(w uint64) uint64 {
	const low7 = lsb * 0x7f
	q := w ^ (lsb * '"')
	e := w ^ (lsb * '\\')
	notQuote := (q&low7 + low7) | q
	notEscape := (e&low7 + low7) | e
	notControl := (w&low7 + lsb*0x60) | w
	return ^(notQuote & notEscape & notControl) & msb
}

// indexSpecial returns the index of the first '"', '\\' or control byte in
// b, or len(b), and whether a byte >= 0x80 precedes it. It looks at eight
// bytes at a time.
func indexSpecial(b []byte) (int, bool) {
	var acc uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i : i+8])
		if m := specialMask(w); m != 0 {
			k := bits.TrailingZeros64(m) >> 3
			acc |= w & (1<<(8*k) - 1)
			return i + k, acc&msb != 0
		}
		acc |= w
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		acc |= uint64(c)
	}
	return i, acc&msb != 0
}

// scanString validates the string starting with the quote at s.b[i] and
// returns the index just past its closing quote and its flags (strEscaped,
// strNonASCII). It is meant for the short strings that become Go strings;
// skipString is the faster variant for strings that are only validated.
func (s *scanner) scanString(i int) (int, int, error) {
	b := s.b
	i++
	flags := 0
	for {
		k, nonASCII := indexSpecial(b[i:])
		if nonASCII {
			flags |= strNonASCII
		}
		i += k
		if i >= len(b) {
			return 0, 0, s.atEnd()
		}
		if b[i] == '"' {
			return i + 1, flags, nil
		}
		flags |= strEscaped
		var err error
		if i, err = s.escape(i); err != nil {
			return 0, 0, err
		}
	}
}

// skipString validates the string starting with the quote at s.b[i] and
// returns the index just past its closing quote. It loads eight bytes at a
// time and handles every quote, escape or control byte of those eight
// before loading the next, so escape-dense text (HTML bodies full of \" and
// \uXXXX) costs no extra loads. Errors are the same, at the same offsets,
// as scanning byte by byte.
func (s *scanner) skipString(i int) (int, error) {
	b := s.b
	i++
	for {
		if i+8 > len(b) {
			for i < len(b) && !isStringSpecial[b[i]] {
				i++
			}
			if i >= len(b) {
				return 0, s.atEnd()
			}
			if b[i] == '"' {
				return i + 1, nil
			}
			var err error
			if i, err = s.escape(i); err != nil {
				return 0, err
			}
			continue
		}
		m := exactSpecialMask(binary.LittleEndian.Uint64(b[i : i+8]))
		next := i + 8
		for m != 0 {
			k := bits.TrailingZeros64(m) >> 3
			p := i + k
			c := b[p]
			if c == '"' {
				return p + 1, nil
			}
			if c == '\\' && p+1 < len(b) && isSimpleEscape[b[p+1]] {
				if k == 7 {
					next = p + 2
					break
				}
				// Drop the backslash and the escaped byte from the mask.
				m &^= 0x8080 << (8 * k)
				continue
			}
			var after int
			if c == '\\' && p+6 <= len(b) && b[p+1] == 'u' &&
				isHex[b[p+2]] && isHex[b[p+3]] && isHex[b[p+4]] && isHex[b[p+5]] {
				after = p + 6
			} else {
				var err error // a control byte, a bad escape, or the end of b
				if after, err = s.escape(p); err != nil {
					return 0, err
				}
			}
			if after-i >= 8 {
				next = after
				break
			}
			m &^= 1<<(8*(after-i)) - 1
		}
		i = next
	}
}

// escape validates the escape sequence at s.b[i] (a backslash, or a control
// byte, which is an error) and returns the index just past it.
func (s *scanner) escape(i int) (int, error) {
	b := s.b
	if b[i] != '\\' {
		return 0, s.invalid(i, "in string literal")
	}
	if i+1 >= len(b) {
		return 0, s.atEnd()
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2, nil
	case 'u':
		if i+6 <= len(b) && isHex[b[i+2]] && isHex[b[i+3]] && isHex[b[i+4]] && isHex[b[i+5]] {
			return i + 6, nil
		}
		for j := i + 2; j < i+6; j++ {
			if j >= len(b) {
				return 0, s.atEnd()
			}
			if !isHex[b[j]] {
				return 0, s.invalid(j, `in \u hexadecimal character escape`)
			}
		}
		return i + 6, nil
	}
	return 0, s.invalid(i+1, "in string escape code")
}

// scanNumber validates the number starting at s.b[i] and returns the index
// just past it.
func (s *scanner) scanNumber(i int) (int, error) {
	b := s.b
	if b[i] == '-' {
		i++
		if i >= len(b) {
			return 0, s.atEnd()
		}
	}
	switch c := b[i]; {
	case c == '0':
		i++
	case '1' <= c && c <= '9':
		i++
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return 0, s.invalid(i, "in numeric literal")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) {
			return 0, s.atEnd()
		}
		if !isDigit(b[i]) {
			return 0, s.invalid(i, "after decimal point in numeric literal")
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) {
			return 0, s.atEnd()
		}
		if !isDigit(b[i]) {
			return 0, s.invalid(i, "in exponent of numeric literal")
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i >= len(b) && !s.complete {
		// More digits may follow.
		return 0, errNeedMore
	}
	return i, nil
}

// scanLiteral validates the literal lit (true, false or null) whose first
// byte is s.b[i] and returns the index just past it.
func (s *scanner) scanLiteral(i int, lit string) (int, error) {
	for k := 1; k < len(lit); k++ {
		if i+k >= len(s.b) {
			return 0, s.atEnd()
		}
		if s.b[i+k] != lit[k] {
			return 0, s.invalid(i+k, "in literal "+lit+" (expecting "+quoteChar(lit[k])+")")
		}
	}
	return i + len(lit), nil
}

// skipValue validates the value starting at s.b[i] (not whitespace) and
// returns the index just past it. depth is the nesting depth of the
// container holding the value.
func (s *scanner) skipValue(i, depth int) (int, error) {
	b := s.b
	s.stack = s.stack[:0]
	var err error
	for {
		// A value starts at i.
		if i >= len(b) {
			return 0, s.atEnd()
		}
		open := false
		switch c := b[i]; c {
		case '{', '[':
			s.stack = append(s.stack, c)
			if depth+len(s.stack) > maxNestingDepth {
				return 0, &SyntaxError{Offset: s.base + int64(i), Msg: "exceeded max depth"}
			}
			if i = skipSpace(b, i+1); i >= len(b) {
				return 0, s.atEnd()
			}
			if c == '{' && b[i] == '}' || c == '[' && b[i] == ']' {
				i++
				s.stack = s.stack[:len(s.stack)-1]
				break
			}
			open = true
			if c == '{' {
				if i, err = s.objectKey(i); err != nil {
					return 0, err
				}
			}
		case '"':
			if i, err = s.skipString(i); err != nil {
				return 0, err
			}
		case 't':
			if i, err = s.scanLiteral(i, "true"); err != nil {
				return 0, err
			}
		case 'f':
			if i, err = s.scanLiteral(i, "false"); err != nil {
				return 0, err
			}
		case 'n':
			if i, err = s.scanLiteral(i, "null"); err != nil {
				return 0, err
			}
		default:
			if c != '-' && !isDigit(c) {
				return 0, s.invalid(i, "looking for beginning of value")
			}
			if i, err = s.scanNumber(i); err != nil {
				return 0, err
			}
		}
		if open {
			continue
		}
		// A value ended at i: close containers until one continues.
	closing:
		for {
			if len(s.stack) == 0 {
				return i, nil
			}
			top := s.stack[len(s.stack)-1]
			if i = skipSpace(b, i); i >= len(b) {
				return 0, s.atEnd()
			}
			switch c := b[i]; {
			case c == ',':
				if i = skipSpace(b, i+1); i >= len(b) {
					return 0, s.atEnd()
				}
				if top == '{' {
					if i, err = s.objectKey(i); err != nil {
						return 0, err
					}
				}
				break closing
			case c == '}' && top == '{', c == ']' && top == '[':
				i++
				s.stack = s.stack[:len(s.stack)-1]
			case top == '{':
				return 0, s.invalid(i, "after object key:value pair")
			default:
				return 0, s.invalid(i, "after array element")
			}
		}
	}
}

// objectKey validates `"key" :` starting at s.b[i] and returns the index of
// the value that follows.
func (s *scanner) objectKey(i int) (int, error) {
	b := s.b
	if b[i] != '"' {
		return 0, s.invalid(i, "looking for beginning of object key string")
	}
	i, err := s.skipString(i)
	if err != nil {
		return 0, err
	}
	if i = skipSpace(b, i); i >= len(b) {
		return 0, s.atEnd()
	}
	if b[i] != ':' {
		return 0, s.invalid(i, "after object key")
	}
	if i = skipSpace(b, i+1); i >= len(b) {
		return 0, s.atEnd()
	}
	return i, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isHex holds the hexadecimal digits.
var isHex = func() (t [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEF") {
		t[c] = true
	}
	return t
}()

// isSimpleEscape holds the bytes that may follow a backslash, except 'u'.
var isSimpleEscape = [256]bool{'"': true, '\\': true, '/': true, 'b': true, 'f': true, 'n': true, 'r': true, 't': true}

// isStringSpecial holds the bytes that end a run of plain string content.
var isStringSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// quoteChar formats c for an error message, as encoding/json does.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}
