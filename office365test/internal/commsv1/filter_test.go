package commsv1

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const scMCEnum = "Microsoft.Office365ServiceComms.ExposedContracts.MessageType"

var scFixed = time.Date(2020, 9, 19, 13, 15, 36, 684776900, time.UTC)

func TestSCFilterParser(t *testing.T) {
	t.Parallel()
	cmps, err := scParseFilter("Workload eq 'O''Neil' and  StartTime ge 2020-09-01T00:00:00.1234567Z and MessageType eq "+
		scMCEnum+"'MessageCenter' and Id ne 'x'", []string{"Workload", "StartTime", "MessageType", "Id"})
	require.NoError(t, err)
	require.Len(t, cmps, 4)
	assert.Equal(t, scCmp{field: "Workload", op: "eq", str: "O'Neil"}, cmps[0])
	assert.Equal(t, time.Date(2020, 9, 1, 0, 0, 0, 123456700, time.UTC), cmps[1].t)
	assert.Equal(t, "MessageCenter", cmps[2].str)
	assert.Equal(t, "ne", cmps[3].op)

	vals := map[string]any{"Workload": "o'neil", "StartTime": time.Date(2020, 9, 2, 0, 0, 0, 0, time.UTC), "MessageType": "MessageCenter", "Id": "y"}
	assert.True(t, scMatch(cmps, vals))
	vals["Id"] = "X"
	assert.False(t, scMatch(cmps, vals), "ne is case-insensitive too")
	assert.True(t, scMatch([]scCmp{{field: "EndTime", op: "ne", t: scFixed}}, map[string]any{"EndTime": nil}))
	assert.False(t, scMatch([]scCmp{{field: "EndTime", op: "le", t: scFixed}}, map[string]any{"EndTime": nil}))
}
