package odata

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`{}`, `{"a":1,"a":2}`, "\"\xff\"", `[1,2,]`, `01`, `1.`, `-`, `1e5`, `"\u00"`, "\"\x01\"", ` {"a" : [ true , null ] } `,
		`{"a":1}x`, ``, ` `, `nul`, "\ufeff{}", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), strings.Repeat("[", 9999) + strings.Repeat("]", 9999)} {
		assert.Equal(t, json.Valid([]byte(in)), valid([]byte(in)), "%.40q", in)
	}
}

// FuzzValid checks valid against json.Valid.
func FuzzValid(f *testing.F) {
	for _, s := range []string{`{"value":[{"a":"\u00e9"}],"@odata.nextLink":"x"}`, `[1,-0.5e+3,true,false,null]`, "\"\xed\xa0\x80\"", `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if json.Valid(in) != valid(in) {
			t.Fatalf("%q: json.Valid %v, valid %v", in, json.Valid(in), valid(in))
		}
	})
}
