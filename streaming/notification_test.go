package streaming

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsKeepAlive(t *testing.T) {
	tests := []struct {
		name string
		n    Notification
		want bool
	}{
		{"wire keep-alive", Notification{ODataType: ODataTypeKeepAlive, Status: "Ok"}, true},
		{"type only", Notification{ODataType: ODataTypeKeepAlive}, true},
		{"type in other case", Notification{ODataType: "#microsoft.outlookservices.keepalivenotification"}, true},
		{"status without type", Notification{Status: "OK"}, true},
		{"notification", Notification{ODataType: ODataTypeNotification, SubscriptionID: "s", ChangeType: ChangeCreated}, false},
		{"status with subscription", Notification{Status: "OK", SubscriptionID: "s"}, false},
		{"empty", Notification{}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.n.IsKeepAlive(), tt.name)
	}
}

func TestStatusOK(t *testing.T) {
	for status, want := range map[string]bool{"OK": true, "Ok": true, "ok": true, "": false, "Failed": false, "OK ": false} {
		n := Notification{Status: status}
		assert.Equal(t, want, n.StatusOK(), status)
	}
}

func TestClone(t *testing.T) {
	var nilNote *Notification
	assert.Nil(t, nilNote.Clone())

	id := "id"
	rd := []byte(`{"Subject":"x"}`)
	n := &Notification{ODataType: ODataTypeNotification, ID: &id, SubscriptionID: "s",
		SubscriptionExpirationDateTime: time.Date(2016, 9, 9, 18, 36, 42, 345492600, time.UTC),
		SequenceNumber:                 9, ChangeType: ChangeCreated, Resource: "r", ResourceData: rd}
	c := n.Clone()
	assert.Equal(t, n, c)
	id = "changed"
	rd[2] = 'X'
	assert.Equal(t, "id", *c.ID)
	assert.Equal(t, `{"Subject":"x"}`, string(c.ResourceData))

	empty := (&Notification{ResourceData: json.RawMessage{}}).Clone()
	assert.NotNil(t, empty.ResourceData, "an empty ResourceData stays empty, not nil")
}

func TestDecodeResourceData(t *testing.T) {
	type message struct {
		ODataType string `json:"@odata.type"`
		ID        string `json:"Id"`
		Subject   string
	}
	n := &Notification{ResourceData: json.RawMessage(`{"@odata.type":"#Microsoft.OutlookServices.Message","Id":"AAMk=","Subject":"{hi} \u00e9"}`)}
	var m message
	require.NoError(t, n.DecodeResourceData(&m))
	assert.Equal(t, message{"#Microsoft.OutlookServices.Message", "AAMk=", "{hi} é"}, m)

	m2, err := ResourceDataAs[message](n)
	require.NoError(t, err)
	assert.Equal(t, m, m2)

	_, err = ResourceDataAs[message](&Notification{ODataType: ODataTypeKeepAlive, Status: "Ok"})
	assert.ErrorIs(t, err, ErrNoResourceData)

	_, err = ResourceDataAs[int](n)
	var te *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &te)
}

// TestNotificationJSON checks that the JSON tags make encoding/json read the
// wire format as the decoder does, and write it back compactly.
func TestNotificationJSON(t *testing.T) {
	data := readRecorded(t)
	res := decodeAll(t, bytes.NewReader(data))
	require.Equal(t, io.EOF, res.err)
	var doc struct{ Value []*Notification }
	require.NoError(t, json.Unmarshal(data, &doc))
	require.Len(t, doc.Value, len(res.objs))
	for i := range doc.Value {
		assert.True(t, sameNotification(doc.Value[i], res.objs[i]), "object %d", i)
	}

	b, err := json.Marshal(res.objs[0])
	require.NoError(t, err)
	assert.Equal(t, wireKeepAlive, string(b))

	b, err = json.Marshal(res.objs[1])
	require.NoError(t, err)
	var back Notification
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, sameNotification(res.objs[1], &back))
}
