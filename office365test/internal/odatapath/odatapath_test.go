package odatapath

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSegments(t *testing.T) {
	segs, err := Segments("/api/v2.0/me//messages('O''Brien%20A')/microsoft.graph.delta(token='x')/")
	require.NoError(t, err)
	assert.Equal(t, []string{"api", "v2.0", "me", "messages", "O'Brien A", "microsoft.graph.delta", "(token='x')"}, segs)

	segs, err = Segments("/me/messages('A/B')")
	require.NoError(t, err)
	assert.Equal(t, []string{"me", "messages('A", "B')"}, segs, "Segments splits at every slash")

	_, err = Segments("/me/%zz")
	assert.Error(t, err)
}

func TestQuotedSegments(t *testing.T) {
	segs, err := QuotedSegments("/v1.0/users('a@b')/messages('A/B')/attachments")
	require.NoError(t, err)
	assert.Equal(t, []string{"v1.0", "users", "a@b", "messages", "A/B", "attachments"}, segs)

	segs, err = QuotedSegments("me/messages/AAMk%2F1")
	require.NoError(t, err)
	assert.Equal(t, []string{"me", "messages", "AAMk/1"}, segs)

	_, err = QuotedSegments("/me/%zz")
	assert.Error(t, err)
}
