package secret

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUTF16RoundTrip(t *testing.T) {
	for _, tc := range []struct{ bigEndian, bom bool }{{false, true}, {true, true}, {false, false}, {true, false}} {
		b := EncodeUTF16("Bearer tök3n-value", tc.bigEndian, tc.bom)
		text, bigEndian, bom, ok := DecodeUTF16(b)
		assert.True(t, ok)
		assert.Equal(t, "Bearer tök3n-value", text)
		assert.Equal(t, tc.bigEndian, bigEndian)
		assert.Equal(t, tc.bom, bom)
	}
	_, _, _, ok := DecodeUTF16([]byte("plain ASCII text"))
	assert.False(t, ok)
	_, _, _, ok = DecodeUTF16([]byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F'})
	assert.False(t, ok, "a JPEG header is not UTF-16")
}

func TestScrubKnownValueInEveryEncoding(t *testing.T) {
	tok := "a+b/c&d<e>=="
	for _, form := range escapedForms(tok) {
		assert.Equal(t, "x REDACTED y", Scrub("x "+form+" y", tok), "form %q", form)
	}
	assert.True(t, IsParam("Client-Secret"))
	assert.False(t, IsParam("$skiptoken"))
}

func TestReplaceGroup(t *testing.T) {
	re := regexp.MustCompile(`(\w+)=(\w*)`)
	var got []string
	out := ReplaceGroup("a=one b=keep c= d=REDACTED e=two", re, 2,
		func(tok, rest string) bool { return tok != "keep" },
		func(tok string) { got = append(got, tok) })
	assert.Equal(t, "a=REDACTED b=keep c=REDACTED d=REDACTED e=REDACTED", out)
	assert.Equal(t, []string{"one", "", "two"}, got)
	assert.Equal(t, "x=y", ReplaceGroup("x=y", re, 3, nil, nil), "a group re does not have changes nothing")
	assert.Equal(t, "plain", ReplaceGroup("plain", re, 1, nil, nil))
}

func TestIsProseWordAndAuthParamName(t *testing.T) {
	assert.True(t, IsProseWord("token"))
	assert.False(t, IsProseWord("eyJ0eXAi"))
	assert.False(t, IsProseWord("abcdefghijklmnopq"))
	assert.True(t, IsAuthParamName("realm="))
	assert.False(t, IsAuthParamName("realm"))
	assert.False(t, IsAuthParamName("abc.def="))
}
