package streaming

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// refScanString is the byte-at-a-time definition of what skipString and
// scanString do: the end of the string starting at s.b[i], its flags, or the
// first error.
func refScanString(s *scanner, i int) (int, int, error) {
	b := s.b
	flags := 0
	for i++; i < len(b); {
		switch c := b[i]; {
		case c == '"':
			return i + 1, flags, nil
		case c == '\\':
			flags |= strEscaped
			var err error
			if i, err = s.escape(i); err != nil {
				return 0, 0, err
			}
		case c < 0x20:
			return 0, 0, s.invalid(i, "in string literal")
		default:
			if c >= 0x80 {
				flags |= strNonASCII
			}
			i++
		}
	}
	return 0, 0, s.atEnd()
}

// randomStringBody returns n bytes that are mostly plain text with many
// quotes, escapes (valid or not), control and non-ASCII bytes.
func randomStringBody(rnd *rand.Rand, n int) []byte {
	pieces := []string{`\"`, `\\`, `\/`, `\n`, `\u00e9`, `\ud83d\ude00`, `\u12`, `\x`, `\`, `"`, "\x01", "\n", "é", "\xff", `\\\"`, `\u`, `\uZZZZ`}
	b := make([]byte, 0, n+8)
	for len(b) < n {
		if rnd.IntN(4) == 0 {
			b = append(b, pieces[rnd.IntN(len(pieces))]...)
		} else {
			b = append(b, byte('a'+rnd.IntN(26)))
		}
	}
	return b[:n]
}

func TestStringScannersMatchReference(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(11, 12))
	n := 300000
	if raceEnabled {
		// Single-goroutine code: the race detector only makes it slower.
		n = 30000
	}
	for iter := range n {
		body := randomStringBody(rnd, rnd.IntN(300))
		if iter%3 == 0 {
			// Mostly plain text, so that strings span whole 64-byte blocks.
			for j := range body {
				if rnd.IntN(40) != 0 {
					body[j] = 'x'
				}
			}
		}
		b := append([]byte{'"'}, body...)
		for _, complete := range []bool{true, false} {
			s := &scanner{b: b, base: 100, complete: complete}
			wantEnd, wantFlags, wantErr := refScanString(s, 0)
			gotEnd, gotErr := s.skipString(0)
			if gotEnd != wantEnd || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("skipString(%q, complete=%v) = %d, %v; want %d, %v", b, complete, gotEnd, gotErr, wantEnd, wantErr)
			}
			gotEnd, gotFlags, gotErr := s.scanString(0)
			if gotEnd != wantEnd || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || wantErr == nil && gotFlags != wantFlags {
				t.Fatalf("scanString(%q, complete=%v) = %d, %b, %v; want %d, %b, %v", b, complete, gotEnd, gotFlags, gotErr, wantEnd, wantFlags, wantErr)
			}
		}
	}
}

func TestWireKey(t *testing.T) {
	for _, w := range wireNames {
		b := []byte(`"` + w.name + `:1`)
		end, f := wireKey(b, 0)
		if end != len(w.name)+1 || f != w.f {
			t.Errorf("wireKey(%s) = %d, %v; want %d, %v", b, end, f, len(w.name)+1, w.f)
		}
	}
	// Anything else is left to the general path.
	for _, name := range []string{`"id"`, `"Statu"`, `"SubscriptionIdx"`, `"Subscription\u0049d"`, `"Resource Data"`,
		`"@odata.types"`, `"SequenceNumbe"`, `"S"`, `"R`, `"`, `"Ch"`, `"x"`} {
		if end, f := wireKey([]byte(name), 0); end != 0 || f != fieldUnknown {
			t.Errorf("wireKey(%s) = %d, %v; want 0", name, end, f)
		}
	}
}
