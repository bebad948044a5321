package graphwire

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rewrite(t *testing.T, in string, dir Direction, shape Shape) string {
	t.Helper()
	out, err := Rewrite(nil, []byte(in), dir, shape)
	require.NoError(t, err)
	require.True(t, json.Valid(out), "%s", out)
	return string(out)
}

func TestRewriteToGraph(t *testing.T) {
	in := `{"@odata.type":"#Microsoft.OutlookServices.Message","Subject":"HTML High","Importance":"High",
	"Body":{"ContentType":"HTML","Content":"<b>Normal</b>"},
	"ToRecipients":[{"EmailAddress":{"Address":"a@b.c","Name":"A"}}],
	"Attachments":[{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"a.txt","ContentType":"text/plain","ContentBytes":"aGk="}],
	"SingleValueExtendedProperties":[{"PropertyId":"String {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Name Color","Value":"High"}],
	"MultiValueExtendedProperties":[{"PropertyId":"StringArray {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Name Tags","Value":["Normal","A b"]}],
	"Extensions":[{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.Contoso.X","CompanyName":"Wingtip","Type":"High","Id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.X"}],
	"Recurrence":{"Pattern":{"Type":"Weekly","DaysOfWeek":["Monday","Friday"],"Index":"First","FirstDayOfWeek":"Sunday"}},
	"Location":{"Coordinates":{"@odata.type":"#Microsoft.OutlookServices.GeoCoordinates","Latitude":1.5}},
	"MobilePhone1":"+1 555","ICalUId":"x","MailTipsOptions":"AutomaticReplies, MailboxFullStatus","Flag":null,"IsRead":true}`
	want := `{"@odata.type":"#microsoft.graph.message","subject":"HTML High","importance":"high",` +
		`"body":{"contentType":"html","content":"<b>Normal</b>"},` +
		`"toRecipients":[{"emailAddress":{"address":"a@b.c","name":"A"}}],` +
		`"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.txt","contentType":"text/plain","contentBytes":"aGk="}],` +
		`"singleValueExtendedProperties":[{"id":"String {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Name Color","value":"High"}],` +
		`"multiValueExtendedProperties":[{"id":"StringArray {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Name Tags","value":["Normal","A b"]}],` +
		`"extensions":[{"@odata.type":"microsoft.graph.openTypeExtension","extensionName":"Com.Contoso.X","CompanyName":"Wingtip","Type":"High","id":"microsoft.graph.openTypeExtension.Com.Contoso.X"}],` +
		`"recurrence":{"pattern":{"type":"weekly","daysOfWeek":["monday","friday"],"index":"first","firstDayOfWeek":"sunday"}},` +
		`"location":{"coordinates":{"@odata.type":"#microsoft.graph.outlookGeoCoordinates","latitude":1.5}},` +
		`"mobilePhone":"+1 555","iCalUId":"x","mailTipsOptions":"automaticReplies, mailboxFullStatus","flag":null,"isRead":true}`
	assert.Equal(t, want, rewrite(t, in, ToGraph, Entity))
}

func TestRewriteFromGraph(t *testing.T) {
	in := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('x')/messages","value":[
	 {"@odata.type":"#microsoft.graph.eventMessageRequest","@odata.etag":"W/\"CQAAABYAAAC\"","id":"AAMk=","subject":"hi \"there\"",
	  "importance":"normal","body":{"contentType":"html","content":"x"},"meetingMessageType":"meetingTenativelyAccepted",
	  "singleValueExtendedProperties":[{"id":"Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","value":"5"}],
	  "extensions":[{"@odata.type":"#microsoft.graph.openTypeExtension","id":"microsoft.graph.openTypeExtension.Com.Contoso.X","extensionName":"Com.Contoso.X","companyName":"Wingtip"}],
	  "flag":{"flagStatus":"notFlagged"},"mobilePhone":"1","@removed":{"reason":"deleted"}}],
	 "@odata.nextLink":"https://graph.microsoft.com/v1.0/me/messages?$skip=10"}`
	want := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('x')/messages","value":[` +
		`{"@odata.type":"#Microsoft.OutlookServices.EventMessageRequest","@odata.etag":"W/\"CQAAABYAAAC\"","Id":"AAMk=","Subject":"hi \"there\"",` +
		`"Importance":"Normal","Body":{"ContentType":"HTML","Content":"x"},"MeetingMessageType":"MeetingTenativelyAccepted",` +
		`"SingleValueExtendedProperties":[{"PropertyId":"Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"5"}],` +
		`"Extensions":[{"@odata.type":"#Microsoft.OutlookServices.OpenTypeExtension","Id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.X","ExtensionName":"Com.Contoso.X","companyName":"Wingtip"}],` +
		`"Flag":{"FlagStatus":"NotFlagged"},"MobilePhone1":"1","@removed":{"Reason":"deleted"}}],` +
		`"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/messages?$skip=10"}`
	assert.Equal(t, want, rewrite(t, in, FromGraph, Entity))
}

func TestRewriteExtensionShape(t *testing.T) {
	assert.Equal(t, `{"@odata.type":"microsoft.graph.openTypeExtension","extensionName":"X","Score":5,"Score@odata.type":"#Int32"}`,
		rewrite(t, `{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"X","Score":5,"Score@odata.type":"#Int32"}`, ToGraph, Extension))
	assert.Equal(t, `{"value":[{"Id":"Microsoft.OutlookServices.OpenTypeExtension.X","ExtensionName":"X","dealValue":1}]}`,
		rewrite(t, `{"value":[{"id":"microsoft.graph.openTypeExtension.X","extensionName":"X","dealValue":1}]}`, FromGraph, Extension))
}

func TestRewriteRoundTripKeepsValues(t *testing.T) {
	in := `{"Subject":"Ünïcode \u00e9 \\ \"q\"","Size":-1.5e3,"Tags":[true,false,null],"Nested":[[{"A":{}}]],"Empty":[]}`
	g := rewrite(t, in, ToGraph, Entity)
	assert.Equal(t, `{"subject":"Ünïcode \u00e9 \\ \"q\"","size":-1.5e3,"tags":[true,false,null],"nested":[[{"a":{}}]],"empty":[]}`, g)
	assert.JSONEq(t, in, rewrite(t, g, FromGraph, Entity))
}

func TestRewriteErrors(t *testing.T) {
	for _, in := range []string{`{"a":`, `{"a" 1}`, `[1 2]`, `"abc`, `{"a":1} x`, `{1:2}`,
		`[01]`, `[1.]`, `[.5]`, `[1e]`, `[-]`, `[tru]`, `[nul]`, `[True]`, `["a\x"]`, `["\u12g4"]`, "[\"a\tb\"]", "[\"a\\n\x1f\"]", `[+1]`} {
		_, err := Rewrite(nil, []byte(in), ToGraph, Entity)
		assert.Error(t, err, in)
	}
	deep := make([]byte, 0, 2*maxDepth+4)
	for range maxDepth + 1 {
		deep = append(deep, '[')
	}
	_, err := Rewrite(nil, deep, ToGraph, Entity)
	assert.ErrorContains(t, err, "deeper")
}

func TestPath(t *testing.T) {
	for in, want := range map[string]string{
		"MailFolders/inbox/MessageRules":                                                        "mailFolders/inbox/messageRules",
		"MailFolders/AAMk%2F=/childfolders":                                                     "mailFolders/AAMk%2F=/childFolders",
		"messages/AQMk/createreplyall":                                                          "messages/AQMk/createReplyAll",
		"InferenceClassification/Overrides('x')":                                                "inferenceClassification/overrides('x')",
		"messages('a')/extensions('Microsoft.OutlookServices.OpenTypeExtension.Com.X')":         "messages('a')/extensions('microsoft.graph.openTypeExtension.Com.X')",
		"ReminderView(StartDateTime='2017-06-05T10:00:00Z',EndDateTime='2017-06-06T10:00:00Z')": "reminderView(startDateTime='2017-06-05T10:00:00Z',endDateTime='2017-06-06T10:00:00Z')",
		"SupportedLanguages":                                                                    "outlook/supportedLanguages",
		"SupportedTimeZones(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'Iana')": "outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')",
		"calendarview?StartDateTime=2017-01-01T00:00:00Z&$select=Subject":                       "calendarView?startDateTime=2017-01-01T00:00:00Z&$select=subject",
		"Inbox": "Inbox",
	} {
		assert.Equal(t, want, Path(in), in)
	}
}

func TestQuery(t *testing.T) {
	assert.Equal(t, "$select=subject,from,iCalUId&$filter=isRead%20eq%20false%20and%20from/emailAddress/address%20eq%20'Adele@X.com'&$orderby=receivedDateTime%20desc&$top=5&$search=%22subject:Pizza%22",
		Query("$select=Subject,From,ICalUId&$filter=IsRead%20eq%20false%20and%20From/EmailAddress/Address%20eq%20'Adele@X.com'&$orderby=ReceivedDateTime%20desc&$top=5&$search=%22subject:Pizza%22"))
	assert.Equal(t, "singleValueExtendedProperties/any(ep: ep/id eq 'String {x} Name It''s' and ep/value eq 'V')",
		Expression("SingleValueExtendedProperties/Any(ep: ep/PropertyId eq 'String {x} Name It''s' and ep/Value eq 'V')"))
	assert.Equal(t, "extensions($filter=id eq 'microsoft.graph.openTypeExtension.Com.X')",
		Expression("Extensions($filter=Id eq 'Microsoft.OutlookServices.OpenTypeExtension.Com.X')"))
	assert.Equal(t, "receivedDateTime ge 2016-01-01T00:00:00Z and importance eq 'High'",
		Expression("ReceivedDateTime ge 2016-01-01T00:00:00Z and Importance eq 'High'"))
	assert.Equal(t, "isof('microsoft.graph.eventMessage') or microsoft.graph.eventMessage/meetingMessageType eq 'x'",
		Expression("isof('microsoft.graph.eventMessage') or Microsoft.OutlookServices.EventMessage/MeetingMessageType eq 'x'"))
}

func TestNames(t *testing.T) {
	assert.Equal(t, "#Microsoft.OutlookServices.Message", TypeFromGraph("#Microsoft.Graph.Message"))
	assert.Equal(t, "#Microsoft.OutlookServices.GeoCoordinates", TypeFromGraph("#microsoft.graph.outlookGeoCoordinates"))
	assert.Equal(t, "#Int32", TypeFromGraph("#Int32"))
	assert.Equal(t, "#Int32", TypeToGraph("#Int32"))
	v, ok := EnumToGraph("text/plain")
	assert.False(t, ok)
	assert.Equal(t, "text/plain", v)
	v, _ = EnumFromGraph("fyi")
	assert.Equal(t, "FYI", v)
	assert.Equal(t, "Com.X", ExtensionIDFromGraph("Com.X"))
	assert.Equal(t, "Microsoft.OutlookServices.OpenTypeExtension.Com.X", ExtensionIDFromGraph("Microsoft.Graph.OpenTypeExtension.Com.X"))
}

// FuzzRewrite checks that Rewrite accepts exactly what json.Valid accepts
// (nesting beyond maxDepth aside) and always writes valid JSON.
func FuzzRewrite(f *testing.F) {
	f.Add([]byte(`{"A":[1,{"B":"High"}],"Extensions":[{"X":1}]}`))
	f.Add([]byte(`"x"`))
	f.Add([]byte(`[-0.5e+3,true,null,"a\u00e9\n"]`))
	f.Add([]byte("{\"a\":\"\x01\"}"))
	f.Add([]byte(`[01]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		valid := json.Valid(in)
		for _, dir := range []Direction{ToGraph, FromGraph} {
			out, err := Rewrite(nil, in, dir, Entity)
			switch {
			case err != nil && valid && !strings.Contains(err.Error(), "deeper"):
				t.Fatalf("valid %q refused: %v", in, err)
			case err == nil && !valid:
				t.Fatalf("invalid %q accepted as %q", in, out)
			case err == nil && !json.Valid(out):
				t.Fatalf("invalid output %q for %q", out, in)
			}
		}
	})
}

func TestRewriteTodoShapes(t *testing.T) {
	assert.Equal(t, `{"title":"Buy milk","status":"notStarted","body":{"contentType":"text","content":"2 l"}}`,
		rewrite(t, `{"Subject":"Buy milk","Status":"NotStarted","Body":{"ContentType":"Text","Content":"2 l"}}`, ToGraph, TodoTask))
	assert.Equal(t, `{"value":[{"Id":"t1","Subject":"Buy milk","Status":"WaitingOnOthers","Body":{"Subject":"nested stays"}}]}`,
		rewrite(t, `{"value":[{"id":"t1","title":"Buy milk","status":"waitingOnOthers","body":{"subject":"nested stays"}}]}`, FromGraph, TodoTask))
	assert.Equal(t, `{"displayName":"Groceries"}`, rewrite(t, `{"Name":"Groceries"}`, ToGraph, TodoList))
	assert.Equal(t, `{"value":[{"Id":"l1","Name":"Tasks","IsOwner":true,"IsDefaultFolder":true},{"Id":"l2","Name":"Groceries","IsDefaultFolder":false},{"Name":"x","IsDefaultFolder":false}]}`,
		rewrite(t, `{"value":[{"id":"l1","displayName":"Tasks","isOwner":true,"wellknownListName":"defaultList"},{"id":"l2","displayName":"Groceries","wellknownListName":"none"},{"displayName":"x","wellknownListName":null}]}`, FromGraph, TodoList))
}

// BenchmarkRewriteFromGraph measures the codec's cost per message on a
// page of Graph messages (the pass every Graph response takes before it is
// decoded).
func BenchmarkRewriteFromGraph(b *testing.B) {
	msg := `{"@odata.etag":"W/\"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAnjjuZ\"","id":"AAMkADhMGAAA=","createdDateTime":"2018-09-09T03:15:05Z",` +
		`"receivedDateTime":"2018-09-09T03:15:08Z","hasAttachments":false,"subject":"9/9/2018: concert","bodyPreview":"The group represents Nevada.",` +
		`"importance":"normal","parentFolderId":"AAMkADcbAAAAAAEJAAA=","isRead":true,"isDraft":false,"inferenceClassification":"focused",` +
		`"body":{"contentType":"html","content":"<html><body>The group represents Nevada.</body></html>"},` +
		`"from":{"emailAddress":{"name":"Adele Vance","address":"adelev@contoso.OnMicrosoft.com"}},` +
		`"toRecipients":[{"emailAddress":{"name":"Alex Wilber","address":"AlexW@contoso.OnMicrosoft.com"}}],"flag":{"flagStatus":"notFlagged"}}`
	page := []byte(`{"value":[` + strings.Repeat(msg+",", 99) + msg + `],"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/messages?$skip=100"}`)
	var dst []byte
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if dst, err = Rewrite(dst[:0], page, FromGraph, Entity); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/msg")
}

// TestMemberMemoMatchesTranslation: names translated from the memo are
// the names translated afresh, in every direction and shape, and the memo
// stays bounded whatever names a body makes up.
func TestMemberMemoMatchesTranslation(t *testing.T) {
	in := []byte(`{"value":[{"id":"1","subject":"s","title":"t","displayName":"d","mobilePhone":"m",` +
		`"importance":"high","body":{"contentType":"html","title":"n","displayName":"n"},"x@odata.type":"#microsoft.graph.message",` +
		`"Extensions":[{"id":"microsoft.graph.openTypeExtension.a","extensionName":"a","custom":1}],` +
		`"singleValueExtendedProperties":[{"id":"String 0x1","value":"v"}]}]}`)
	for _, dir := range []Direction{ToGraph, FromGraph} {
		for _, shape := range []Shape{Entity, Extension, TodoTask, TodoList} {
			memoize = false
			want, err := Rewrite(nil, in, dir, shape)
			memoize = true
			require.NoError(t, err)
			for top := range 2 {
				memberMemos[dir][shape][top].m.Store(nil)
			}
			for run := range 2 { // cold, then from the memo
				out, err := Rewrite(nil, in, dir, shape)
				require.NoError(t, err)
				assert.Equal(t, string(want), string(out), "dir %d shape %d run %d", dir, shape, run)
			}
		}
	}
	var many strings.Builder
	many.WriteString("[{")
	for i := range 2 * maxMemoNames {
		if i > 0 {
			many.WriteByte(',')
		}
		fmt.Fprintf(&many, `"made%d":%d`, i, i)
	}
	many.WriteString("}]")
	_, err := Rewrite(nil, []byte(many.String()), FromGraph, Entity)
	require.NoError(t, err)
	for top := range 2 {
		if m := memberMemos[FromGraph][Entity][top].Load(); m != nil {
			assert.LessOrEqual(t, len(*m), maxMemoNames)
		}
		memberMemos[FromGraph][Entity][top].m.Store(nil)
	}
	long := `[{"` + strings.Repeat("n", maxMemoNameLen+1) + `":1}]`
	_, err = Rewrite(nil, []byte(long), FromGraph, Entity)
	require.NoError(t, err)
	for top := range 2 {
		if m := memberMemos[FromGraph][Entity][top].Load(); m != nil {
			assert.Empty(t, *m, "a name longer than %d bytes was memoized", maxMemoNameLen)
		}
	}
}
