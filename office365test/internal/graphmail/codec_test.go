package graphmail

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func TestCodecToGraph(t *testing.T) {
	t.Parallel()
	store := decode(t, `{"Id":"x","ChangeKey":"ck","Subject":"Hi","Importance":"High","WellKnownName":"inbox",
		"Body":{"ContentType":"HTML","Content":"<p/>"},"Flag":{"FlagStatus":"NotFlagged"},
		"Recurrence":{"Pattern":{"Type":"AbsoluteMonthly","DaysOfWeek":["Monday","Friday"]}},
		"MobilePhone1":"+1","ShowAs":"Oof",
		"SingleValueExtendedProperties":[{"PropertyId":"String 0x1","Value":"v"}],
		"Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","ContentType":"image/PNG","Name":"a"},
			{"@odata.type":"#Microsoft.OutlookServices.ReferenceAttachment","Name":"r","SourceUrl":"https://x"}],
		"Extensions":[{"@odata.type":"#Microsoft.OutlookServices.OpenTypeExtension",
			"Id":"Microsoft.OutlookServices.OpenTypeExtension.Com.X","ExtensionName":"Com.X","MyValue":1}],
		"Location":{"Coordinates":{"@odata.type":"#Microsoft.OutlookServices.GeoCoordinates"}}}`)
	got := baseVocabulary.toGraph(store)
	want := decode(t, `{"id":"x","changeKey":"ck","@odata.etag":"W/\"ck\"","subject":"Hi","importance":"high",
		"body":{"contentType":"html","content":"<p/>"},"flag":{"flagStatus":"notFlagged"},
		"recurrence":{"pattern":{"type":"absoluteMonthly","daysOfWeek":["monday","friday"]}},
		"mobilePhone":"+1","showAs":"oof",
		"singleValueExtendedProperties":[{"id":"String 0x1","value":"v"}],
		"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","contentType":"image/PNG","name":"a"},
			{"@odata.type":"#microsoft.graph.referenceAttachment","name":"r"}],
		"extensions":[{"@odata.type":"#microsoft.graph.openTypeExtension",
			"id":"microsoft.graph.openTypeExtension.Com.X","extensionName":"Com.X","MyValue":1}],
		"location":{"coordinates":{"@odata.type":"#microsoft.graph.outlookGeoCoordinates"}}}`)
	assert.Equal(t, want, got)
}

func TestCodecFromGraph(t *testing.T) {
	t.Parallel()
	graph := decode(t, `{"subject":"Hi","importance":"high","body":{"contentType":"html","content":"x"},
		"mobilePhone":"+1","singleValueExtendedProperties":[{"id":"String 0x1","value":"v"}],
		"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","contentBytes":"aGk="}],
		"extensions":[{"@odata.type":"microsoft.graph.openTypeExtension","extensionName":"Com.X","myValue":1}],
		"recurrence":{"pattern":{"type":"weekly","daysOfWeek":["monday"]}}}`)
	got := baseVocabulary.fromGraph(graph)
	want := decode(t, `{"Subject":"Hi","Importance":"High","Body":{"ContentType":"HTML","Content":"x"},
		"MobilePhone1":"+1","SingleValueExtendedProperties":[{"PropertyId":"String 0x1","Value":"v"}],
		"Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","ContentBytes":"aGk="}],
		"Extensions":[{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.X","myValue":1}],
		"Recurrence":{"Pattern":{"Type":"Weekly","DaysOfWeek":["Monday"]}}}`)
	assert.Equal(t, want, got)

	todo := todoVocabulary.fromGraph(decode(t, `{"title":"Milk","status":"completed","displayName":"L"}`))
	assert.Equal(t, decode(t, `{"Subject":"Milk","Status":"Completed","Name":"L"}`), todo)
}

func TestQueryFromGraph(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ option, in, want string }{
		{"$filter", "mobilePhone eq 'mobilePhone'", "MobilePhone1 eq 'mobilePhone'"},
		{"$filter", "singleValueExtendedProperties/any(ep: ep/id eq 'String 0x1' and ep/value eq 'v')",
			"SingleValueExtendedProperties/any(ep: ep/PropertyId eq 'String 0x1' and ep/Value eq 'v')"},
		{"$expand", "singleValueExtendedProperties($filter=id eq 'String 0x1'),extensions($filter=id eq 'microsoft.graph.openTypeExtension.Com.X')",
			"SingleValueExtendedProperties($filter=PropertyId eq 'String 0x1'),Extensions($filter=Id eq 'Microsoft.OutlookServices.OpenTypeExtension.Com.X')"},
		{"$select", "id,subject,isRead", "Id,Subject,IsRead"},
		{"$filter", "subject eq 'it''s id'", "Subject eq 'it''s id'"},
		{"$filter", "contains(subject,'x') and receivedDateTime ge 2026-12-01T00:00:00Z or isRead eq false",
			"contains(Subject,'x') and ReceivedDateTime ge 2026-12-01T00:00:00Z or IsRead eq false"},
		{"$filter", "toRecipients/any(r: r/emailAddress/address eq 'a@b.c') and not (importance eq 'low')",
			"ToRecipients/any(r: r/EmailAddress/Address eq 'a@b.c') and not (Importance eq 'low')"},
		{"$orderby", "start/dateTime desc,subject", "Start/DateTime desc,Subject"},
	} {
		assert.Equal(t, c.want, baseVocabulary.queryFromGraph(c.option, c.in), c.in)
	}
	assert.Equal(t, "Subject eq 'x'", todoVocabulary.queryFromGraph("$filter", "title eq 'x'"))
	assert.Equal(t, "Name eq 'x'", todoVocabulary.queryFromGraph("$filter", "displayName eq 'x'"))
}

func TestGraphContext(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "http://h/v1.0/$metadata#me/mailFolders('A/B')/messages/$entity",
		graphContext("http://h/api/v2.0/$metadata#Me/MailFolders('A/B')/Messages/$entity"))
	assert.Equal(t, "http://h/v1.0/$metadata#Collection(microsoft.graph.mailTips)",
		graphContext("http://h/api/beta/$metadata#Collection(Microsoft.OutlookServices.MailTips)"))
	assert.Equal(t, "http://h/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult",
		graphContext("http://h/api/v2.0/$metadata#Microsoft.OutlookServices.MeetingTimeSuggestionsResult"))
}
