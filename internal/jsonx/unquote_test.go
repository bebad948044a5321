package jsonx

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnquoteMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`plain`, `a\"b\\c\/d`, `\b\f\n\r\t`, `\u00e9\u20AC`, `\ud83d\ude00`, `\ud83d`, `\ude00x`,
		`\ud83d\u0041`, "caf\xc3\xa9", "bad\xffutf8", "\xed\xa0\x80", `\u12`, `\x`, `tail\`, "ctl\x01", `q"q`} {
		var want string
		wantErr := json.Unmarshal([]byte(`"`+in+`"`), &want)
		got, ok := unquote([]byte(in))
		assert.Equal(t, wantErr == nil, ok, "%q", in)
		if ok {
			assert.Equal(t, want, got, "%q", in)
		}
	}
}

// FuzzUnquote checks unquote against encoding/json on every string.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`a\"b`, `\ud83d\ude00`, `\ud83d`, "x\xff", `\u0000`, `\/`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var want string
		wantErr := json.Unmarshal(append(append([]byte{'"'}, in...), '"'), &want)
		got, ok := unquote(in)
		if (wantErr == nil) != ok {
			t.Fatalf("%q: encoding/json %v, unquote ok=%v", in, wantErr, ok)
		}
		if ok && got != want {
			t.Fatalf("%q: encoding/json %q, unquote %q", in, want, got)
		}
	})
}
