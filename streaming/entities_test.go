package streaming_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/streaming"
)

func TestTypedResourceData(t *testing.T) {
	body := `{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[` +
		`{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"S1",` +
		`"SubscriptionExpirationDateTime":"2016-09-09T18:36:42.3454926Z","SequenceNumber":1,"ChangeType":"Created",` +
		`"Resource":"https://outlook.office.com/api/beta/Users('u')/Messages('m1')","ResourceData":{` +
		`"@odata.type":"#Microsoft.OutlookServices.Message","Id":"m1","Subject":"Budget {Q3}, \"final\"","IsRead":false,` +
		`"From":{"EmailAddress":{"Name":"Megan","Address":"megan@contoso.com"}}}}` +
		`,{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"S2",` +
		`"SubscriptionExpirationDateTime":"2016-09-09T18:36:42Z","SequenceNumber":1,"ChangeType":"Updated",` +
		`"Resource":"https://outlook.office.com/api/beta/Users('u')/Events('e1')","ResourceData":{` +
		`"@odata.type":"#Microsoft.OutlookServices.Event","Id":"e1","Subject":"Standup",` +
		`"Start":{"DateTime":"2016-09-10T09:00:00.0000000","TimeZone":"Pacific Standard Time"}}}` +
		`,{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"S3",` +
		`"SubscriptionExpirationDateTime":"2016-09-09T18:36:42Z","SequenceNumber":1,"ChangeType":"Deleted",` +
		`"Resource":"https://outlook.office.com/api/beta/Users('u')/Contacts('c1')"}]}`
	d := streaming.NewDecoder(strings.NewReader(body))

	n, err := d.Next()
	require.NoError(t, err)
	msg, err := n.Message()
	require.NoError(t, err)
	assert.Equal(t, "m1", msg.ID)
	assert.Equal(t, `Budget {Q3}, "final"`, msg.Subject)
	require.NotNil(t, msg.From)
	assert.Equal(t, "megan@contoso.com", msg.From.EmailAddress.Address)

	n, err = d.Next()
	require.NoError(t, err)
	ev, err := n.Event()
	require.NoError(t, err)
	assert.Equal(t, "Standup", ev.Subject)
	require.NotNil(t, ev.Start)
	assert.Equal(t, "Pacific Standard Time", ev.Start.TimeZone)

	n, err = d.Next()
	require.NoError(t, err)
	_, err = n.Contact()
	assert.ErrorIs(t, err, streaming.ErrNoResourceData)
	_, err = n.Task()
	assert.ErrorIs(t, err, streaming.ErrNoResourceData)
}
