package outlook_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

type referral struct {
	CompanyName string  `json:"CompanyName"`
	DealValue   int64   `json:"DealValue"`
	TopModels   []int32 `json:"TopModels,omitempty"`
}

func TestExtensionJSON(t *testing.T) {
	t.Parallel()
	ext, err := outlook.NewExtension("Com.Contoso.Referral", referral{CompanyName: "Wingtip Toys", DealValue: 500050})
	require.NoError(t, err)
	require.NoError(t, ext.SetTyped("DealValue", 500050, "#Int64"))
	require.NoError(t, ext.Set("TopModels", []int32{3001, 4002}))
	b, err := json.Marshal(ext)
	require.NoError(t, err)
	assert.Equal(t, `{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.Contoso.Referral",`+
		`"CompanyName":"Wingtip Toys","DealValue":500050,"DealValue@odata.type":"#Int64","TopModels":[3001,4002]}`, string(b))

	var back outlook.Extension
	require.NoError(t, json.Unmarshal([]byte(`{"@odata.context":"x","@odata.type":"#Microsoft.OutlookServices.OpenTypeExtension",
		"@odata.id":"https://outlook.office.com/api/v2.0/Users('a')/Messages('m')/Extensions('Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral')",
		"Id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral","ExtensionName":"Com.Contoso.Referral",
		"CompanyName":"Wingtip Toys","DealValue":500050,"DealValue@odata.type":"#Int64","TopModels":[3001,4002],"TopModels@odata.type":"#Collection(Int32)"}`), &back))
	assert.Equal(t, outlook.ODataTypeOpenTypeExtension, back.ODataType)
	assert.Equal(t, "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral", back.ID)
	assert.Equal(t, "Com.Contoso.Referral", back.Name())
	assert.NotContains(t, back.Fields, "@odata.context")
	assert.Contains(t, back.Fields, "TopModels@odata.type")
	var r referral
	require.NoError(t, back.Decode(&r))
	assert.Equal(t, referral{CompanyName: "Wingtip Toys", DealValue: 500050, TopModels: []int32{3001, 4002}}, r)
	var name string
	ok, err := back.Get("companyname", &name)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "Wingtip Toys", name)
	ok, err = back.Get("Missing", &name)
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = back.Get("CompanyName", new(int))
	assert.Error(t, err)
	assert.JSONEq(t, `"x"`, string(back.Extra["@odata.context"]))
	// Round trip keeps every custom property and annotation.
	b, err = json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, `{"@odata.context":"x","@odata.type":"#Microsoft.OutlookServices.OpenTypeExtension",
		"@odata.id":"https://outlook.office.com/api/v2.0/Users('a')/Messages('m')/Extensions('Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral')",
		"Id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral",
		"ExtensionName":"Com.Contoso.Referral","CompanyName":"Wingtip Toys","DealValue":500050,"DealValue@odata.type":"#Int64",
		"TopModels":[3001,4002],"TopModels@odata.type":"#Collection(Int32)"}`, string(b))

	raw, err := outlook.RawExtensions(ext)
	require.NoError(t, err)
	found, ok, err := outlook.FindExtension(raw, "com.contoso.referral")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "Wingtip Toys", string(found.Fields["CompanyName"][1:13]))
	_, ok, err = outlook.FindExtension(raw, "Com.Other")
	require.NoError(t, err)
	assert.False(t, ok)
	_, _, err = outlook.FindExtension([]json.RawMessage{json.RawMessage(`[1]`)}, "x")
	assert.Error(t, err)

	assert.Equal(t, "Extensions($filter=Id eq 'Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral')", outlook.ExpandExtension("Com.Contoso.Referral"))
	assert.Equal(t, "Extensions/any(f:f/Id eq 'Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral')",
		outlook.HasExtensionFilter("Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral"))

	for name, f := range map[string]func() error{
		"empty name":     func() error { _, err := outlook.NewExtension("", nil); return err },
		"space in name":  func() error { _, err := outlook.NewExtension("Com Contoso", nil); return err },
		"not an object":  func() error { _, err := outlook.NewExtension("Com.X", []int{1}); return err },
		"reserved field": func() error { _, err := outlook.NewExtension("Com.X", map[string]any{"Id": "x"}); return err },
		"unencodable":    func() error { _, err := outlook.NewExtension("Com.X", map[string]any{"f": func() {}}); return err },
		"set annotation": func() error { return (&outlook.Extension{}).Set("@odata.type", "x") },
		"typed with @":   func() error { return (&outlook.Extension{}).SetTyped("a@b", 1, "#Int32") },
		"typed no type":  func() error { return (&outlook.Extension{}).SetTyped("a", 1, "") },
		"nil raw":        func() error { _, err := outlook.RawExtensions(nil); return err },
		"invalid field": func() error {
			_, err := json.Marshal(outlook.Extension{ExtensionName: "Com.X", Fields: map[string]json.RawMessage{"a": json.RawMessage("{")}})
			return err
		},
		"not json object": func() error { return json.Unmarshal([]byte(`null`), &outlook.Extension{}) },
		"bad id type":     func() error { return json.Unmarshal([]byte(`{"Id":5}`), &outlook.Extension{}) },
	} {
		assert.Error(t, f(), name)
	}
}

// Exact requests of the extended-property, extension and push subscription
// services.
func TestExtensibilityAndPushWire(t *testing.T) {
	t.Parallel()
	color := outlook.NamedProperty(outlook.PropertyTypeString, colorSet, "Color")
	palette := outlook.NamedProperty(outlook.PropertyTypeStringArray, colorSet, "Palette")
	single, err := outlook.NewSingleValue(color, "Green")
	require.NoError(t, err)
	multi, err := outlook.NewMultiValue(palette, "red", "green")
	require.NoError(t, err)
	expiry := time.Date(2017, 5, 3, 0, 0, 0, 0, time.FixedZone("x", 7200))
	const subID = "N0UzMEU4RjAtMDg0NC00"
	ext, err := outlook.NewExtension("Com.Example.Tag", map[string]any{"Score": 5})
	require.NoError(t, err)

	cases := []pimCase{
		{name: "set extended properties", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return nil, mb.ExtendedProperties(outlook.MessageRef("AAMk/1=")).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{single}, []outlook.MultiValueLegacyExtendedProperty{multi})
		}, reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/messages/AAMk%2F1=", query: "$select=Id",
			body: `{"SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}],` +
				`"MultiValueExtendedProperties":[{"PropertyId":"StringArray {66f5a359-4659-4830-9070-00047ec6ac6e} Name Palette","Value":["red","green"]}]}`,
			resp: `{"Id":"AAMk/1="}`}}},
		{name: "set on a folder", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return nil, mb.ExtendedProperties(outlook.MailFolderRef(outlook.FolderInbox)).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{single}, nil)
		}, reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/MailFolders/Inbox", query: "$select=Id",
			body: `{"SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}]}`, resp: `{}`}}},
		{name: "get extended properties", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.ExtendedProperties(outlook.EventRef("ev1")).Get(ctx, color, palette)
		}, reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/events/ev1",
			query: "$select=Id&$expand=SingleValueExtendedProperties($filter=PropertyId%20eq%20'String%20%7B66f5a359-4659-4830-9070-00047ec6ac6e%7D%20Name%20Color')," +
				"MultiValueExtendedProperties($filter=PropertyId%20eq%20'StringArray%20%7B66f5a359-4659-4830-9070-00047ec6ac6e%7D%20Name%20Palette')",
			resp: `{"Id":"ev1","SingleValueExtendedProperties":[{"PropertyId":"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color","Value":"Green"}]}`}},
			check: func(t *testing.T, got any) {
				p := got.(*outlook.ExtendedProperties)
				assert.Equal(t, "ev1", p.ID)
				v, ok := outlook.FindSingleValue(p.Single, color)
				assert.True(t, ok)
				assert.Equal(t, "Green", v)
			}},
		{name: "set checks the lists", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return nil, mb.ExtendedProperties(outlook.ContactRef("c")).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{{PropertyID: multi.PropertyID, Value: "x"}}, nil)
		}, wantErr: "multi-value property in SingleValueExtendedProperties"},
		{name: "zero ref", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.ExtendedProperties(outlook.ItemRef{}).Get(ctx, color)
		}, wantErr: "zero ItemRef"},
		{name: "create extension", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Extensions(outlook.ContactRef("c/1")).Create(ctx, ext)
		}, reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/contacts/c%2F1/extensions",
			body:   `{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.Example.Tag","Score":5}`,
			status: 201, resp: `{"@odata.type":"#Microsoft.OutlookServices.OpenTypeExtension","Id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag","ExtensionName":"Com.Example.Tag","Score":5}`}},
			check: func(t *testing.T, got any) {
				assert.Equal(t, "Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag", got.(*outlook.Extension).ID)
			}},
		{name: "get extension", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Extensions(outlook.MessageRef("m")).Get(ctx, "Com.O'Neil")
		}, reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/messages/m/extensions('Com.O%27%27Neil')", resp: `{"ExtensionName":"Com.O'Neil"}`}}},
		{name: "update extension", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Extensions(outlook.EventRef("e")).Update(ctx, "Com.Example.Tag", map[string]any{"Score": 6})
		}, reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/events/e/extensions('Com.Example.Tag')",
			body: `{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","Score":6}`, resp: `{"ExtensionName":"Com.Example.Tag","Score":6}`}}},
		{name: "delete extension", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return nil, mb.Extensions(outlook.MessageRef("m")).Delete(ctx, "Com.Example.Tag")
		}, reqs: []pimReq{{method: "DELETE", path: "/api/v2.0/me/messages/m/extensions('Com.Example.Tag')", status: 204}}},
		{name: "no extensions on folders", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Extensions(outlook.MailFolderRef("f")).Get(ctx, "Com.X")
		}, wantErr: "not MailFolders"},
		{name: "subscribe", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Subscriptions().Create(ctx, &outlook.PushSubscription{
				Resource:                       mb.URL("MailFolders('inbox')/messages"),
				NotificationURL:                "https://example.net/hook",
				ChangeType:                     outlook.JoinChangeTypes(outlook.ChangeCreated, outlook.ChangeUpdated, outlook.ChangeDeleted),
				SubscriptionExpirationDateTime: &expiry,
				ClientState:                    "opaque-secret",
			})
		}, reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/subscriptions",
			body: `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","Resource":"https://outlook.example/base/api/v2.0/me/MailFolders('inbox')/messages",` +
				`"NotificationURL":"https://example.net/hook","ChangeType":"Created, Updated, Deleted","SubscriptionExpirationDateTime":"2017-05-02T22:00:00Z","ClientState":"opaque-secret"}`,
			status: 201, resp: `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","Id":"` + subID + `","Resource":"x","ChangeType":"Created, Updated, Deleted, Missed","NotificationURL":"https://example.net/hook","SubscriptionExpirationDateTime":"2017-05-02T22:00:00Z"}`}},
			check: func(t *testing.T, got any) {
				s := got.(*outlook.PushSubscription)
				assert.Equal(t, subID, s.ID)
				assert.Equal(t, []outlook.ChangeType{outlook.ChangeCreated, outlook.ChangeUpdated, outlook.ChangeDeleted, outlook.ChangeMissed}, s.ChangeTypes())
				assert.True(t, s.ExpiresAt().Equal(expiry))
			}},
		{name: "renew", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Subscriptions().Renew(ctx, subID, expiry)
		}, reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/subscriptions/" + subID,
			body: `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","SubscriptionExpirationDateTime":"2017-05-02T22:00:00Z"}`, resp: `{"Id":"` + subID + `"}`}}},
		{name: "renew to the maximum", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Subscriptions().Renew(ctx, subID, time.Time{})
		}, reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/subscriptions/" + subID,
			body: `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription"}`, resp: `{"Id":"` + subID + `"}`}}},
		{name: "get subscription", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return mb.Subscriptions().Get(ctx, subID)
		}, reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/subscriptions/" + subID, resp: `{"Id":"` + subID + `"}`}}},
		{name: "unsubscribe", call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
			return nil, mb.Subscriptions().Delete(ctx, subID)
		}, reqs: []pimReq{{method: "DELETE", path: "/api/v2.0/me/subscriptions/" + subID, status: 204}}},
	}
	runPIM(t, cases)

	// Subscriptions are validated before any request.
	c, mt := pimClient(t)
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	mb := c.Me()
	valid := outlook.PushSubscription{Resource: mb.URL("messages"), NotificationURL: "https://example.net/hook", ChangeType: "Created"}
	for name, change := range map[string]func(s *outlook.PushSubscription){
		"relative resource": func(s *outlook.PushSubscription) { s.Resource = "me/messages" },
		"no url":            func(s *outlook.PushSubscription) { s.NotificationURL = "" },
		"fragment":          func(s *outlook.PushSubscription) { s.NotificationURL += "#x" },
		"ftp":               func(s *outlook.PushSubscription) { s.NotificationURL = "ftp://example.net" },
		"no change type":    func(s *outlook.PushSubscription) { s.ChangeType = " , " },
		"bad change type":   func(s *outlook.PushSubscription) { s.ChangeType = "Created, Moved" },
		"long client state": func(s *outlook.PushSubscription) { s.ClientState = string(make([]byte, 256)) },
		"newline":           func(s *outlook.PushSubscription) { s.ClientState = "a\nb" },
	} {
		s := valid
		change(&s)
		_, err := mb.Subscriptions().Create(context.Background(), &s)
		assert.Error(t, err, name)
	}
	_, err = mb.Subscriptions().Create(context.Background(), nil)
	assert.Error(t, err)
	_, err = mb.Subscriptions().Get(context.Background(), "")
	assert.Error(t, err)
	_, err = mb.Extensions(outlook.MessageRef("m")).Update(context.Background(), "Com.X", nil)
	assert.Error(t, err)
	_, err = mb.Extensions(outlook.MessageRef("m")).Update(context.Background(), "Com.X", map[string]any{})
	assert.Error(t, err)
	_, err = mb.Extensions(outlook.MessageRef("m")).Create(context.Background(), &outlook.Extension{})
	assert.Error(t, err)
	_, err = mb.ExtendedProperties(outlook.MessageRef("m")).Get(context.Background())
	assert.Error(t, err)
	err = mb.ExtendedProperties(outlook.MessageRef("m")).Set(context.Background(), nil, nil)
	assert.Error(t, err)
	assert.Equal(t, "Created, Deleted", string(outlook.JoinChangeTypes(outlook.ChangeCreated, "", outlook.ChangeDeleted)))
	assert.Equal(t, "messages/a%2Fb", outlook.MessageRef("a/b").String())
	assert.Equal(t, "contactfolders", outlook.ContactFolderRef("x").Collection())
	assert.Equal(t, "x", outlook.CalendarRef("x").ID())
}
