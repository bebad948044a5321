package outlook_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

// modelFixtures pairs each response under testdata/outlook/models with the
// model it decodes into.
var modelFixtures = []struct {
	file  string
	model func() any
}{
	{"message.json", func() any { return new(outlook.Message) }},
	{"message-listed.json", func() any { return new(outlook.Message) }},
	{"eventmessage.json", func() any { return new(outlook.Message) }},
	{"event.json", func() any { return new(outlook.Event) }},
	{"contact.json", func() any { return new(outlook.Contact) }},
	{"task.json", func() any { return new(outlook.Task) }},
	{"mailfolder.json", func() any { return new(outlook.MailFolder) }},
	{"messagerule.json", func() any { return new(outlook.MessageRule) }},
	{"mailboxsettings.json", func() any { return new(outlook.MailboxSettings) }},
	{"findmeetingtimes.json", func() any { return new(outlook.MeetingTimeSuggestionsResult) }},
	{"pushsubscription.json", func() any { return new(outlook.PushSubscription) }},
	{"notification.json", func() any { return new(outlook.Notification) }},
	{"photo.json", func() any { return new(outlook.Photo) }},
	{"reminder.json", func() any { return new(outlook.Reminder) }},
}

func readModelFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "outlook", "models", name))
	require.NoError(t, err)
	return b
}

// comparable reduces decoded JSON to what a round trip must keep: members
// whose value is null, "", 0, false or empty are left out (a typed field
// holding its zero value means "not set" and is not marshalled), times are
// compared as instants. Elements of arrays, null ones included, stay.
func comparable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e = comparable(e); !isZeroJSON(e) {
				out[k] = e
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = comparable(e)
		}
		return out
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}

func isZeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func decodeAny(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}

// TestModelsRoundTrip decodes real-shaped responses — with properties and
// annotations the package has no field for, at every level, and null
// elements in collections — and checks that marshalling loses nothing.
func TestModelsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, fx := range modelFixtures {
		t.Run(fx.file, func(t *testing.T) {
			t.Parallel()
			in := readModelFixture(t, fx.file)
			m := fx.model()
			require.NoError(t, json.Unmarshal(in, m))
			out, err := json.Marshal(m)
			require.NoError(t, err)
			assert.Equal(t, comparable(decodeAny(t, in)), comparable(decodeAny(t, out)))

			// Decoding the output again gives the same bytes: a model
			// read from its own JSON is stable.
			again := fx.model()
			require.NoError(t, json.Unmarshal(out, again))
			out2, err := json.Marshal(again)
			require.NoError(t, err)
			assert.JSONEq(t, string(out), string(out2))
		})
	}
}

// TestUnknownPropertiesReachable checks that what the service added is
// reachable from Go, where it was sent.
func TestUnknownPropertiesReachable(t *testing.T) {
	t.Parallel()
	var m outlook.Message
	require.NoError(t, json.Unmarshal(readModelFixture(t, "message.json"), &m))
	assert.JSONEq(t, `"Normal"`, string(m.Extra["Sensitivity"]))
	assert.JSONEq(t, `null`, string(m.Extra["ReplyToItemId"]))
	assert.Contains(t, m.Extra, "@odata.context")
	assert.NotContains(t, m.Extra, "@odata.id", "typed: ODataID")
	assert.Equal(t, "W/\"CQAAABYAAACd9nJ/tVysQos2hTfspaWRAAADTIKz\"", m.ODataETag)
	assert.JSONEq(t, `"#Microsoft.OutlookServices.ItemBody"`, string(m.Body.Extra["@odata.type"]))
	assert.JSONEq(t, `"SMTP"`, string(m.From.EmailAddress.Extra["RoutingType"]))
	require.Len(t, m.ToRecipients, 3)
	assert.JSONEq(t, `"To"`, string(m.ToRecipients[2].Extra["RecipientType"]))
	assert.Contains(t, m.Flag.Extra, "ReminderDateTime")
	assert.JSONEq(t, `"Transport"`, string(m.InternetMessageHeaders[1].Extra["Source"]))
	assert.Contains(t, m.SingleValueExtendedProperties[0].Extra, "@odata.id")
	require.Len(t, m.Attachments, 4)
	for _, a := range m.Attachments[:3] {
		assert.Contains(t, a.Common().Extra, "@odata.id", a.AttachmentODataType())
		assert.NotContains(t, a.Common().Extra, "@odata.type", "typed by the attachment's Go type")
	}
	assert.JSONEq(t, `"image/png"`, string(m.Attachments[0].Common().Extra["@odata.mediaContentType"]))
	assert.IsType(t, &outlook.UnknownAttachment{}, m.Attachments[3])

	to, err := json.Marshal(m.ToRecipients)
	require.NoError(t, err)
	assert.Equal(t, `[{"EmailAddress":{"Name":"Adele Vance","Address":"adele.vance@contoso.com"}},null,`+
		`{"EmailAddress":{"Name":"Alex Wilber","Address":"alexw@contoso.com"},"RecipientType":"To"}]`, string(to))

	var em outlook.Message
	require.NoError(t, json.Unmarshal(readModelFixture(t, "eventmessage.json"), &em))
	require.NotNil(t, em.EventMessage)
	assert.Equal(t, outlook.MeetingMessageType("MeetingRequest"), em.EventMessage.MeetingMessageType)
	assert.Equal(t, "Conf Room 3", em.EventMessage.Location.DisplayName)
	assert.JSONEq(t, `"NewMeetingRequest"`, string(em.Extra["MeetingRequestType"]))
	assert.NotContains(t, em.Extra, "MeetingMessageType", "typed: EventMessage")
	ev, err := em.EventMessage.DecodeEvent()
	require.NoError(t, err)
	assert.Equal(t, "Review plan", ev.Subject)

	var e outlook.Event
	require.NoError(t, json.Unmarshal(readModelFixture(t, "event.json"), &e))
	assert.JSONEq(t, `{"JoinUrl":"https://teams.microsoft.com/l/meetup-join/19%3ameeting"}`, string(e.Extra["OnlineMeeting"]))
	assert.Contains(t, e.Attendees[0].Extra, "ProposedNewTime")
	assert.JSONEq(t, `"3"`, string(e.Location.Address.Extra["Floor"]))
	require.Len(t, e.Locations, 2)
	assert.Equal(t, outlook.Location{}.DisplayName, e.Locations[1].DisplayName)

	var s outlook.MailboxSettings
	require.NoError(t, json.Unmarshal(readModelFixture(t, "mailboxsettings.json"), &s))
	d := s.WorkingHours.TimeZone.DaylightOffset
	assert.Equal(t, int32(-60), d.DaylightBias)
	assert.Equal(t, int32(3), d.Month)
	assert.JSONEq(t, `"future"`, string(d.Extra["Note"]))
	assert.JSONEq(t, `"User"`, string(s.Extra["UserPurpose"]))

	var r outlook.MeetingTimeSuggestionsResult
	require.NoError(t, json.Unmarshal(readModelFixture(t, "findmeetingtimes.json"), &r))
	assert.JSONEq(t, `"x"`, string(r.MeetingTimeSuggestions[0].AttendeeAvailability[0].Extra["Note"]))
	assert.JSONEq(t, `"room is free"`, string(r.MeetingTimeSuggestions[0].Locations[0].Extra["SuggestionReason"]))
}

// TestModelsSendExtra checks that a property set in Extra is sent, that
// typed fields win over an Extra member of the same name, and that a
// value decoded from null is an object again once a field is set.
func TestModelsSendExtra(t *testing.T) {
	t.Parallel()
	msg := outlook.Message{Subject: "typed", Extra: map[string]json.RawMessage{
		"Sensitivity": json.RawMessage(`"Private"`), "subject": json.RawMessage(`"ignored"`)}}
	b, err := json.Marshal(msg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Subject":"typed","Sensitivity":"Private"}`, string(b))

	var list []outlook.Recipient
	require.NoError(t, json.Unmarshal([]byte(`[null]`), &list))
	list[0].EmailAddress.Address = "a@contoso.com"
	b, err = json.Marshal(list)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"EmailAddress":{"Address":"a@contoso.com"}}]`, string(b))

	// Fields with their own decoding still use it: a lower-case body type
	// is normalised.
	var body outlook.ItemBody
	require.NoError(t, json.Unmarshal([]byte(`{"ContentType":"html","Content":"<p>x</p>"}`), &body))
	assert.Equal(t, outlook.BodyTypeHTML, body.ContentType)

	// A location constraint item keeps both its own and Location's
	// properties (it embeds Location).
	item := outlook.LocationConstraintItem{Location: outlook.Location{DisplayName: "Room"}, ResolveAvailability: new(bool)}
	b, err = json.Marshal(item)
	require.NoError(t, err)
	assert.JSONEq(t, `{"DisplayName":"Room","ResolveAvailability":false}`, string(b))
	var back outlook.LocationConstraintItem
	require.NoError(t, json.Unmarshal([]byte(`{"DisplayName":"Room","ResolveAvailability":true,"New":1}`), &back))
	assert.Equal(t, "Room", back.DisplayName)
	assert.True(t, *back.ResolveAvailability)
	assert.JSONEq(t, `1`, string(back.Extra["New"]))
}

// everyModel lists every entity and complex type of the package that is
// read from the service.
var everyModel = []any{
	outlook.EmailAddress{}, outlook.Recipient{}, outlook.ItemBody{}, outlook.DateTimeTimeZone{}, outlook.Location{},
	outlook.PhysicalAddress{}, outlook.GeoCoordinates{}, outlook.PatternedRecurrence{}, outlook.RecurrencePattern{},
	outlook.RecurrenceRange{}, outlook.LocaleInfo{}, outlook.SingleValueLegacyExtendedProperty{},
	outlook.MultiValueLegacyExtendedProperty{},
	outlook.Message{}, outlook.InternetMessageHeader{}, outlook.FollowupFlag{}, outlook.Mention{}, outlook.MentionsPreview{},
	outlook.MailFolder{}, outlook.MessageRule{}, outlook.MessageRulePredicates{}, outlook.SizeRange{},
	outlook.MessageRuleActions{}, outlook.InferenceClassificationOverride{}, outlook.MailboxSettings{},
	outlook.AutomaticRepliesSetting{}, outlook.WorkingHours{}, outlook.TimeZoneBase{}, outlook.StandardTimeZoneOffset{},
	outlook.DaylightTimeZoneOffset{}, outlook.TimeZoneInformation{}, outlook.MailTips{}, outlook.AutomaticRepliesMailTips{},
	outlook.MailTipsError{},
	outlook.FileAttachment{}, outlook.ItemAttachment{}, outlook.ReferenceAttachment{},
	outlook.Event{}, outlook.AttendeeBase{}, outlook.Attendee{}, outlook.ResponseStatus{}, outlook.Calendar{},
	outlook.CalendarGroup{},
	outlook.Contact{}, outlook.Phone{}, outlook.Website{}, outlook.ContactFolder{},
	outlook.Task{}, outlook.TaskFolder{}, outlook.TaskGroup{},
	outlook.LocationConstraint{}, outlook.LocationConstraintItem{}, outlook.TimeConstraint{}, outlook.TimeSlot{},
	outlook.MeetingTimeSuggestionsResult{}, outlook.MeetingTimeSuggestion{}, outlook.AttendeeAvailability{},
	outlook.Reminder{}, outlook.PushSubscription{}, outlook.Notification{}, outlook.Photo{}, outlook.ExtendedProperties{},
}

// notModels are the struct types with JSON tags that are not read from the
// service as entities or complex types.
var notModels = map[string]string{
	"EventMessage":            "its properties are Message's on the wire (Message.Extra keeps the rest)",
	"AttachmentBase":          "embedded in every attachment type, which holds the state",
	"UnknownAttachment":       "keeps the whole attachment in Raw",
	"FindMeetingTimesRequest": "a request body",
	"DeltaState":              "the SDK's own saved state",
	"Page":                    "the collection envelope",
	"BatchOptions":            "options",
	"BatchResult":             "options",
}

// TestEveryModelKeepsUnknownProperties decodes an object with members no
// type has a field for into every model and checks they come back, and
// that every model type of the package is in the list.
func TestEveryModelKeepsUnknownProperties(t *testing.T) {
	t.Parallel()
	const in = `{"NotAProperty":{"k":[1,null,"x"]},"@odata.future":"v","@odata.context":"c"}`
	listed := map[string]bool{}
	for _, v := range everyModel {
		typ := reflect.TypeOf(v)
		listed[typ.Name()] = true
		p := reflect.New(typ)
		require.NoError(t, json.Unmarshal([]byte(in), p.Interface()), typ.Name())
		extra := p.Elem().FieldByName("Extra").Interface().(map[string]json.RawMessage)
		assert.Len(t, extra, 3, typ.Name())
		out, err := json.Marshal(p.Elem().Interface())
		require.NoError(t, err, typ.Name())
		var got map[string]any
		require.NoError(t, json.Unmarshal(out, &got), typ.Name())
		assert.Equal(t, map[string]any{"k": []any{1.0, nil, "x"}}, got["NotAProperty"], typ.Name())
		assert.Equal(t, "v", got["@odata.future"], typ.Name())
		assert.Equal(t, "c", got["@odata.context"], typ.Name())

		if typ.Name() == "FileAttachment" || typ.Name() == "ItemAttachment" || typ.Name() == "ReferenceAttachment" {
			continue // a null attachment is an UnknownAttachment (see Attachments)
		}
		list := reflect.New(reflect.SliceOf(typ))
		require.NoError(t, json.Unmarshal([]byte(`[null,{}]`), list.Interface()), typ.Name())
		out, err = json.Marshal(list.Elem().Interface())
		require.NoError(t, err, typ.Name())
		assert.True(t, strings.HasPrefix(string(out), "[null,{"), "%s: %s", typ.Name(), out)
	}

	var atts outlook.Attachments
	require.NoError(t, json.Unmarshal([]byte(`[null,{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"a"}]`), &atts))
	out, err := json.Marshal(atts)
	require.NoError(t, err)
	assert.JSONEq(t, `[null,{"@odata.type":"#Microsoft.OutlookServices.FileAttachment","Name":"a"}]`, string(out))

	// Every exported struct type of the package with JSON tags is either
	// a model above or named in notModels.
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	var missing []string
	for _, pkg := range pkgs {
		ast.Inspect(pkg, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !ts.Name.IsExported() || strings.HasSuffix(ts.Name.Name, "Update") {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok || !hasJSONTag(st) {
				return true
			}
			if !listed[ts.Name.Name] && notModels[ts.Name.Name] == "" {
				missing = append(missing, ts.Name.Name)
			}
			return true
		})
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "struct types read from the service must keep unknown properties (add them to everyModel)")
}

func hasJSONTag(st *ast.StructType) bool {
	for _, f := range st.Fields.List {
		if f.Tag != nil && strings.Contains(f.Tag.Value, `json:"`) {
			return true
		}
	}
	return false
}
