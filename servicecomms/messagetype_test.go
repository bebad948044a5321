package servicecomms_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/servicecomms"
)

// TestMessageTypeCanonicalised checks that MessageOptions.MessageType is
// sent as the service's literal whatever its case, and that a value the
// service does not know fails before anything is sent (the service would
// silently ignore the filter and return every message).
func TestMessageTypeCanonicalised(t *testing.T) {
	t.Parallel()
	const enum = "$filter=MessageType%20eq%20Microsoft.Office365ServiceComms.ExposedContracts.MessageType"
	for in, want := range map[servicecomms.MessageType]string{
		"MessageCenter":       "'MessageCenter'",
		"messagecenter":       "'MessageCenter'",
		"MESSAGECENTER":       "'MessageCenter'",
		"Message Center":      "'MessageCenter'",
		"incident":            "'Incident'",
		"plannedmaintenance":  "'PlannedMaintenance'",
		"Planned_Maintenance": "'PlannedMaintenance'",
	} {
		c, mt := mockClient(t)
		rec := &queryRecorder{}
		mt.RegisterResponder(http.MethodGet, publicRoot+"/Messages", rec.responder(200, []byte(`{"value":[]}`)))
		for _, err := range c.Messages(context.Background(), &servicecomms.MessageOptions{MessageType: in}) {
			require.NoError(t, err, in)
		}
		assert.Equal(t, []string{enum + want + "&$top=100"}, rec.all(), in)
	}

	c, mt := mockClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"value":[]}`))
	for _, in := range []servicecomms.MessageType{"Digest", "Incidents", "Message'Center", "Microsoft.X'Y'", " "} {
		var err error
		for _, e := range c.Messages(context.Background(), &servicecomms.MessageOptions{MessageType: in}) {
			err = e
			break
		}
		require.Error(t, err, in)
		assert.ErrorContains(t, err, "MessageType", in)
		assert.ErrorContains(t, err, `"MessageCenter"`, "the error lists the valid values")
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}
