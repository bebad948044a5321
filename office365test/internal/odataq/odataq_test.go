package odataq

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParams(t *testing.T) {
	ps, err := Params("$filter=Workload%20eq%20'x'&&flag&%24top=5")
	require.NoError(t, err)
	assert.Equal(t, []Param{
		{Key: "$filter", Value: "Workload eq 'x'", RawKey: "$filter"},
		{Key: "flag", RawKey: "flag"},
		{Key: "$top", Value: "5", RawKey: "%24top"},
	}, ps)
	ps, err = Params("")
	require.NoError(t, err)
	assert.Empty(t, ps)
	_, err = Params("%zz=1")
	assert.EqualError(t, err, `malformed query parameter "%zz"`)
	_, err = Params("$top=%g")
	assert.EqualError(t, err, "malformed value of $top")
}

func TestQuotedString(t *testing.T) {
	s := `x eq 'it''s' and`
	v, next, err := QuotedString(s, 5)
	require.NoError(t, err)
	assert.Equal(t, "it's", v)
	assert.Equal(t, " and", s[next:])
	_, _, err = QuotedString(`'open`, 0)
	assert.EqualError(t, err, "unterminated string literal at position 0")
	_, _, err = QuotedString(`a 'it''`, 2)
	assert.Error(t, err)
}

func TestLiteralEnd(t *testing.T) {
	s := "2021-01-01T00:00:00Z and"
	assert.Equal(t, "2021-01-01T00:00:00Z", s[:LiteralEnd(s, 0)])
	assert.Equal(t, 3, LiteralEnd("abc", 3))
	assert.Equal(t, 0, LiteralEnd("x1", 0))
}

func TestHolds(t *testing.T) {
	for _, tc := range []struct {
		op         string
		lt, eq, gt bool
	}{
		{"eq", false, true, false},
		{"ne", true, false, true},
		{"gt", false, false, true},
		{"ge", false, true, true},
		{"lt", true, false, false},
		{"le", true, true, false},
		{"has", false, false, false},
	} {
		assert.Equal(t, tc.lt, Holds(tc.op, -1), tc.op)
		assert.Equal(t, tc.eq, Holds(tc.op, 0), tc.op)
		assert.Equal(t, tc.gt, Holds(tc.op, 1), tc.op)
	}
}
