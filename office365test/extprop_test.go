package office365test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	propColor   = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color"
	propCount   = "Integer {66F5A359-4659-4830-9070-00047EC6AC6E} Id 0x8012"
	propFlags   = "Integer 0x0E07"
	propPalette = "StringArray {66f5a359-4659-4830-9070-00047ec6ac6e} Name Palette"
)

type extEnv struct {
	srv *Server
	mb  *Mailbox
	u   *MailboxUser
}

func newExtEnv(t *testing.T) *extEnv {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	mb := NewMailbox()
	mb.Register(srv)
	NewExtensibility().Register(mb)
	return &extEnv{srv: srv, mb: mb, u: mb.AddUser("adele@contoso.com", "Adele Vance")}
}

// do sends a request; query is appended encoded as the client does (spaces
// as %20).
func (e *extEnv) do(t *testing.T, method, path, query, body string) (int, map[string]any) {
	t.Helper()
	target := e.srv.URL() + "/api/v2.0/users/adele@contoso.com/" + path
	if query != "" {
		target += "?" + query
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

func q(kv ...string) string {
	var parts []string
	for i := 0; i < len(kv); i += 2 {
		parts = append(parts, kv[i]+"="+strings.ReplaceAll(url.PathEscape(kv[i+1]), "%27", "'"))
	}
	return strings.Join(parts, "&")
}

func expandSingle(ids ...string) string {
	var f []string
	for _, id := range ids {
		f = append(f, "PropertyId eq '"+id+"'")
	}
	return "SingleValueExtendedProperties($filter=" + strings.Join(f, " or ") + ")"
}

func propValues(doc map[string]any, key string) map[string]any {
	out := map[string]any{}
	list, _ := doc[key].([]any)
	for _, it := range list {
		m := it.(map[string]any)
		out[m["PropertyId"].(string)] = m["Value"]
	}
	return out
}

func TestExtendedPropertiesOnMessages(t *testing.T) {
	t.Parallel()
	e := newExtEnv(t)
	status, msg := e.do(t, http.MethodPost, "messages", "", `{"Subject":"props",
		"SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Green"},{"PropertyId":"`+propCount+`","Value":"3"}],
		"MultiValueExtendedProperties":[{"PropertyId":"`+propPalette+`","Value":["red","green"]}]}`)
	require.Equal(t, http.StatusCreated, status, msg)
	assert.NotContains(t, msg, "SingleValueExtendedProperties", "not returned unless expanded")
	id := msg["Id"].(string)
	path := "messages/" + url.PathEscape(id)

	status, got := e.do(t, http.MethodGet, path, "", "")
	require.Equal(t, http.StatusOK, status)
	assert.NotContains(t, got, "SingleValueExtendedProperties")
	assert.NotContains(t, got, "MultiValueExtendedProperties")

	status, got = e.do(t, http.MethodGet, path, q("$select", "Id", "$expand", expandSingle(propColor)), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, map[string]any{propColor: "Green"}, propValues(got, "SingleValueExtendedProperties"))
	assert.NotContains(t, got, "Subject", "$select still applies")

	// The PropertyId is matched whatever the spelling.
	status, got = e.do(t, http.MethodGet, path, q("$expand", expandSingle(strings.ToLower(propCount), propFlags)+","+
		"MultiValueExtendedProperties($filter=PropertyId eq '"+propPalette+"')"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, map[string]any{propCount: "3"}, propValues(got, "SingleValueExtendedProperties"))
	assert.Equal(t, map[string]any{propPalette: []any{"red", "green"}}, propValues(got, "MultiValueExtendedProperties"))

	// PATCH creates and updates (merged by PropertyId).
	ck := got["ChangeKey"]
	status, got = e.do(t, http.MethodPatch, path, "", `{"SingleValueExtendedProperties":[{"PropertyId":"string {66F5A359-4659-4830-9070-00047EC6AC6E} name Color","Value":"Blue"},{"PropertyId":"`+propFlags+`","Value":"1"}]}`)
	require.Equal(t, http.StatusOK, status, got)
	assert.NotEqual(t, ck, got["ChangeKey"])
	assert.NotContains(t, got, "SingleValueExtendedProperties")
	assert.Equal(t, "props", got["Subject"])
	status, got = e.do(t, http.MethodGet, path, q("$expand", expandSingle(propColor, propCount, propFlags)), "")
	require.Equal(t, http.StatusOK, status)
	vals := propValues(got, "SingleValueExtendedProperties")
	assert.Len(t, vals, 3)
	assert.Equal(t, "3", vals[propCount])
	assert.Equal(t, "1", vals[propFlags])
	list := got["SingleValueExtendedProperties"].([]any)
	assert.Equal(t, "Blue", list[0].(map[string]any)["Value"], "updated in place")

	// Filtering items by a property's value.
	e.do(t, http.MethodPost, "messages", "", `{"Subject":"other","SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Red"}]}`)
	e.do(t, http.MethodPost, "messages", "", `{"Subject":"none"}`)
	status, got = e.do(t, http.MethodGet, "messages", q("$filter", "SingleValueExtendedProperties/Any(ep: ep/PropertyId eq '"+propColor+"' and ep/Value eq 'blue')"), "")
	require.Equal(t, http.StatusOK, status, got)
	value := got["value"].([]any)
	require.Len(t, value, 1)
	assert.Equal(t, id, value[0].(map[string]any)["Id"])
	assert.NotContains(t, value[0], "SingleValueExtendedProperties", "props not included in lists")

	status, got = e.do(t, http.MethodGet, "messages", q("$filter", "MultiValueExtendedProperties/Any(ep: ep/PropertyId eq '"+propPalette+"')"), "")
	assert.Equal(t, http.StatusBadRequest, status, got)
	status, _ = e.do(t, http.MethodGet, path, q("$expand", "SingleValueExtendedProperties"), "")
	assert.Equal(t, http.StatusBadRequest, status, "properties must be named")
}

func TestExtendedPropertiesOnFolders(t *testing.T) {
	t.Parallel()
	e := newExtEnv(t)
	status, got := e.do(t, http.MethodPatch, "MailFolders/inbox", "", `{"SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Gold"}]}`)
	require.Equal(t, http.StatusOK, status, got)
	status, got = e.do(t, http.MethodGet, "MailFolders/Inbox", q("$expand", expandSingle(propColor)), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, map[string]any{propColor: "Gold"}, propValues(got, "SingleValueExtendedProperties"))
	status, got = e.do(t, http.MethodPost, "MailFolders", "", `{"DisplayName":"Tagged","SingleValueExtendedProperties":[{"PropertyId":"`+propFlags+`","Value":"7"}]}`)
	require.Equal(t, http.StatusCreated, status, got)
	status, got = e.do(t, http.MethodGet, "MailFolders/"+url.PathEscape(got["Id"].(string)), q("$expand", expandSingle(propFlags, propColor)), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, map[string]any{propFlags: "7"}, propValues(got, "SingleValueExtendedProperties"))
	assert.Equal(t, "Tagged", got["DisplayName"])
}

func TestExtendedPropertyValidation(t *testing.T) {
	t.Parallel()
	e := newExtEnv(t)
	for name, props := range map[string]string{
		"bad id":           `"SingleValueExtendedProperties":[{"PropertyId":"String Color","Value":"x"}]`,
		"unknown type":     `"SingleValueExtendedProperties":[{"PropertyId":"Text 0x0E07","Value":"x"}]`,
		"bad guid":         `"SingleValueExtendedProperties":[{"PropertyId":"String {nope} Name Color","Value":"x"}]`,
		"tag too big":      `"SingleValueExtendedProperties":[{"PropertyId":"Integer 0x10000","Value":"1"}]`,
		"not an integer":   `"SingleValueExtendedProperties":[{"PropertyId":"Integer 0x0E07","Value":"abc"}]`,
		"not a bool":       `"SingleValueExtendedProperties":[{"PropertyId":"Boolean 0x0E07","Value":"yes"}]`,
		"not a time":       `"SingleValueExtendedProperties":[{"PropertyId":"SystemTime 0x0E07","Value":"now"}]`,
		"not base64":       `"SingleValueExtendedProperties":[{"PropertyId":"Binary 0x0E07","Value":"!!"}]`,
		"number value":     `"SingleValueExtendedProperties":[{"PropertyId":"Integer 0x0E07","Value":3}]`,
		"array in single":  `"SingleValueExtendedProperties":[{"PropertyId":"` + propPalette + `","Value":"x"}]`,
		"single in multi":  `"MultiValueExtendedProperties":[{"PropertyId":"` + propColor + `","Value":["x"]}]`,
		"multi not array":  `"MultiValueExtendedProperties":[{"PropertyId":"` + propPalette + `","Value":"x"}]`,
		"multi bad elem":   `"MultiValueExtendedProperties":[{"PropertyId":"IntegerArray 0x0E07","Value":["1","x"]}]`,
		"twice":            `"SingleValueExtendedProperties":[{"PropertyId":"` + propColor + `","Value":"a"},{"PropertyId":"` + strings.ToUpper(propColor) + `","Value":"b"}]`,
		"not a list":       `"SingleValueExtendedProperties":{"PropertyId":"` + propColor + `","Value":"a"}`,
		"unknown property": `"SingleValueExtendedProperties":[{"PropertyId":"` + propColor + `","Value":"a","Type":"x"}]`,
		"null":             `"SingleValueExtendedProperties":null`,
	} {
		status, body := e.do(t, http.MethodPost, "messages", "", `{"Subject":"x",`+props+`}`)
		assert.Equal(t, http.StatusBadRequest, status, name)
		assert.NotNil(t, body["error"], name)
	}
	assert.Empty(t, e.u.Records(EntityMessage, ""), "nothing was created")
	for _, ok := range []string{
		`"SingleValueExtendedProperties":[{"PropertyId":"SystemTime 0x0E07","Value":"2016-12-31T23:00:00Z"}]`,
		`"SingleValueExtendedProperties":[{"PropertyId":"Binary 0x0E08","Value":"AAEC/w=="}]`,
		`"SingleValueExtendedProperties":[{"PropertyId":"Boolean {00020329-0000-0000-C000-000000000046} Name Is Archived","Value":"True"}]`,
		`"SingleValueExtendedProperties":[{"PropertyId":"CLSID 0x0E09","Value":"8eccc264-6880-4ebe-992f-8888d2eeaa1d"}]`,
		`"MultiValueExtendedProperties":[{"PropertyId":"IntegerArray {66f5a359-4659-4830-9070-00047ec6ac6e} Id 32787","Value":["1","2"]}]`,
	} {
		status, body := e.do(t, http.MethodPost, "messages", "", `{"Subject":"x",`+ok+`}`)
		assert.Equal(t, http.StatusCreated, status, "%s: %v", ok, body)
	}
}

func TestOpenExtensions(t *testing.T) {
	t.Parallel()
	e := newExtEnv(t)
	status, msg := e.do(t, http.MethodPost, "messages", "", `{"Subject":"deal",
		"Extensions":[{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.Contoso.Referral",
		"CompanyName":"Wingtip Toys","DealValue":500050,"DealValue@odata.type":"#Int64","TopModels":[3001,4002],"TopModels@odata.type":"#Collection(Int32)"}]}`)
	require.Equal(t, http.StatusCreated, status, msg)
	assert.NotContains(t, msg, "Extensions")
	id := msg["Id"].(string)
	path := "messages/" + url.PathEscape(id)
	const fullID = "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral"

	for _, filterID := range []string{fullID, "Com.Contoso.Referral"} {
		status, got := e.do(t, http.MethodGet, path, q("$expand", "Extensions($filter=Id eq '"+filterID+"')"), "")
		require.Equal(t, http.StatusOK, status, got)
		exts := got["Extensions"].([]any)
		require.Len(t, exts, 1, filterID)
		ext := exts[0].(map[string]any)
		assert.Equal(t, "#Microsoft.OutlookServices.OpenTypeExtension", ext["@odata.type"])
		assert.Equal(t, fullID, ext["Id"])
		assert.Equal(t, "Com.Contoso.Referral", ext["ExtensionName"])
		assert.Equal(t, "Wingtip Toys", ext["CompanyName"])
		assert.Equal(t, float64(500050), ext["DealValue"])
		assert.Equal(t, "#Int64", ext["DealValue@odata.type"])
	}
	status, got := e.do(t, http.MethodGet, path, q("$expand", "Extensions($filter=Id eq 'Com.Other')"), "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, []any{}, got["Extensions"])

	e.do(t, http.MethodPost, "messages", "", `{"Subject":"no deal"}`)
	status, got = e.do(t, http.MethodGet, "messages", q("$filter", "Extensions/any(f:f/Id eq '"+fullID+"')", "$expand", "Extensions($filter=Id eq '"+fullID+"')"), "")
	require.Equal(t, http.StatusOK, status, got)
	require.Len(t, got["value"], 1)
	assert.Len(t, got["value"].([]any)[0].(map[string]any)["Extensions"], 1)

	// The extensions navigation property.
	status, ext := e.do(t, http.MethodPost, path+"/extensions", "", `{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","ExtensionName":"Com.Example.Tag","Score":5,"Score@odata.type":"#Int32","Labels":["a","b"]}`)
	require.Equal(t, http.StatusCreated, status, ext)
	assert.Equal(t, "Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag", ext["Id"])
	assert.Contains(t, ext["@odata.context"], "/Extensions/$entity")
	status, _ = e.do(t, http.MethodPost, path+"/extensions", "", `{"ExtensionName":"com.example.tag"}`)
	assert.Equal(t, http.StatusConflict, status)

	for _, name := range []string{"Com.Example.Tag", "Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag"} {
		status, got = e.do(t, http.MethodGet, path+"/extensions('"+name+"')", "", "")
		require.Equal(t, http.StatusOK, status, name)
		assert.Equal(t, float64(5), got["Score"])
	}
	status, got = e.do(t, http.MethodPatch, path+"/extensions('Com.Example.Tag')", "", `{"@odata.type":"Microsoft.OutlookServices.OpenTypeExtension","Score":6,"Extra":true}`)
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, float64(6), got["Score"])
	assert.Equal(t, true, got["Extra"])
	assert.Equal(t, []any{"a", "b"}, got["Labels"], "merge keeps the rest")
	status, got = e.do(t, http.MethodGet, path+"/extensions", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, got["value"], 2)
	status, _ = e.do(t, http.MethodDelete, path+"/extensions('Com.Example.Tag')", "", "")
	assert.Equal(t, http.StatusNoContent, status)
	status, _ = e.do(t, http.MethodGet, path+"/extensions('Com.Example.Tag')", "", "")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = e.do(t, http.MethodDelete, path+"/extensions('Com.Example.Tag')", "", "")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = e.do(t, http.MethodGet, "messages/nope/extensions('Com.Example.Tag')", "", "")
	assert.Equal(t, http.StatusNotFound, status)

	for name, body := range map[string]string{
		"no name":       `{"Score":1}`,
		"space":         `{"ExtensionName":"Com Example"}`,
		"microsoft":     `{"ExtensionName":"Microsoft.Foo"}`,
		"object value":  `{"ExtensionName":"Com.X","Obj":{"a":1}}`,
		"nested array":  `{"ExtensionName":"Com.X","Arr":[[1]]}`,
		"wrong type":    `{"@odata.type":"#Microsoft.OutlookServices.Contact","ExtensionName":"Com.X"}`,
		"not an object": `[1]`,
	} {
		status, _ = e.do(t, http.MethodPost, path+"/extensions", "", body)
		assert.Equal(t, http.StatusBadRequest, status, name)
	}
	status, _ = e.do(t, http.MethodPatch, path+"/extensions('Com.Contoso.Referral')", "", `{"ExtensionName":"Com.Renamed"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _ = e.do(t, http.MethodPatch, path, "", `{"Extensions":[]}`)
	assert.Equal(t, http.StatusBadRequest, status, "extensions change through their own path")
	status, _ = e.do(t, http.MethodPost, "messages", "", `{"Extensions":[{"ExtensionName":"Com.A"},{"ExtensionName":"com.a"}]}`)
	assert.Equal(t, http.StatusConflict, status)
}

// Mail folders (and their children), calendars and contact folders are
// found by an extended property's value like items; multi-value properties
// cannot be filtered on; folders carry no open extensions, so an Extensions
// filter matches none.
func TestFilterFoldersByExtendedProperty(t *testing.T) {
	t.Parallel()
	e := newExtEnv(t)
	byColor := func(v string) string {
		return q("$filter", "SingleValueExtendedProperties/Any(ep: ep/PropertyId eq '"+propColor+"' and ep/Value eq '"+v+"')")
	}
	names := func(body map[string]any) []string {
		var out []string
		for _, it := range body["value"].([]any) {
			m := it.(map[string]any)
			name, _ := m["DisplayName"].(string)
			if name == "" {
				name, _ = m["Name"].(string)
			}
			out = append(out, name)
		}
		return out
	}
	status, got := e.do(t, http.MethodPatch, "MailFolders/inbox", "", `{"SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Gold"}]}`)
	require.Equal(t, http.StatusOK, status, got)
	status, got = e.do(t, http.MethodPost, "MailFolders", "", `{"DisplayName":"Silver","SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Silver"}]}`)
	require.Equal(t, http.StatusCreated, status, got)
	status, got = e.do(t, http.MethodPost, "MailFolders/inbox/childfolders", "", `{"DisplayName":"Gold child","SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"gold"}]}`)
	require.Equal(t, http.StatusCreated, status, got)

	status, got = e.do(t, http.MethodGet, "MailFolders", byColor("gold"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, []string{"Inbox"}, names(got))
	assert.NotContains(t, got["value"].([]any)[0], "SingleValueExtendedProperties", "props not included in lists")
	status, got = e.do(t, http.MethodGet, "MailFolders", byColor("Silver"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, []string{"Silver"}, names(got))
	status, got = e.do(t, http.MethodGet, "MailFolders/inbox/childfolders", byColor("Gold"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, []string{"Gold child"}, names(got))
	status, got = e.do(t, http.MethodGet, "MailFolders", byColor("Bronze"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Empty(t, got["value"])

	status, got = e.do(t, http.MethodPost, "calendars", "", `{"Name":"Gold calendar","SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Gold"}]}`)
	require.Equal(t, http.StatusCreated, status, got)
	status, got = e.do(t, http.MethodGet, "calendars", byColor("gold"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, []string{"Gold calendar"}, names(got))
	status, got = e.do(t, http.MethodPost, "contactfolders", "", `{"DisplayName":"Gold contacts","SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Gold"}]}`)
	require.Equal(t, http.StatusCreated, status, got)
	status, got = e.do(t, http.MethodGet, "contactfolders", byColor("gold"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, []string{"Gold contacts"}, names(got))

	status, got = e.do(t, http.MethodGet, "MailFolders", q("$filter", "MultiValueExtendedProperties/Any(ep: ep/PropertyId eq '"+propPalette+"')"), "")
	assert.Equal(t, http.StatusBadRequest, status, got)
	assert.Equal(t, "ErrorInvalidUrlQueryFilter", asMap(got["error"])["code"])
	status, got = e.do(t, http.MethodGet, "MailFolders", q("$filter", "Extensions/any(f:f/Id eq 'Com.Contoso.Referral')"), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Empty(t, got["value"])
	status, got = e.do(t, http.MethodGet, "MailFolders", q("$filter", "Body eq 'x'"), "")
	assert.Equal(t, http.StatusBadRequest, status, "other properties are still refused")
	assert.Equal(t, "ErrorInvalidProperty", asMap(got["error"])["code"])
}

// The Extensibility middleware covers routes whatever their registration
// order: one added with Handle after NewMailbox (and after Register), and
// one that replaced a built-in route, both answer $expand of extended
// properties and refuse an unnamed expansion; Register twice does not
// apply it twice.
func TestExtensibilityCoversLaterRoutes(t *testing.T) {
	t.Parallel()
	e := newExtEnv(t)
	NewExtensibility().Register(e.mb) // a second time: still one middleware
	status, msg := e.do(t, http.MethodPost, "messages", "", `{"Subject":"late","SingleValueExtendedProperties":[{"PropertyId":"`+propColor+`","Value":"Teal"}]}`)
	require.Equal(t, http.StatusCreated, status, msg)
	id := msg["Id"].(string)
	calls := 0
	e.mb.Handle(http.MethodGet, "messages/{id}/snapshot", func(rq *MailboxRequest) *Reply {
		calls++
		r := rq.User.su.Items[rq.Param("id")]
		if r == nil {
			return notFound()
		}
		return JSONReply(http.StatusOK, deepCopy(r.Doc).(Entity))
	})
	status, got := e.do(t, http.MethodGet, "messages/"+url.PathEscape(id)+"/snapshot", q("$expand", expandSingle(propColor)), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, map[string]any{propColor: "Teal"}, propValues(got, "SingleValueExtendedProperties"))
	status, got = e.do(t, http.MethodGet, "messages/"+url.PathEscape(id)+"/snapshot", "", "")
	require.Equal(t, http.StatusOK, status, got)
	assert.NotContains(t, got, "SingleValueExtendedProperties", "not returned unless expanded")
	status, _ = e.do(t, http.MethodGet, "messages/"+url.PathEscape(id)+"/snapshot", q("$expand", "SingleValueExtendedProperties"), "")
	assert.Equal(t, http.StatusBadRequest, status, "properties must be named")
	assert.Equal(t, 2, calls, "the refused request never reached the handler")

	// A replaced built-in route is covered too.
	e.mb.Handle(http.MethodGet, "messages/{id}", func(rq *MailboxRequest) *Reply {
		r := rq.User.su.Items[rq.Param("id")]
		if r == nil {
			return notFound()
		}
		return JSONReply(http.StatusOK, Entity{"Id": r.ID, "Subject": "replaced"})
	})
	status, got = e.do(t, http.MethodGet, "messages/"+url.PathEscape(id), q("$expand", expandSingle(propColor)), "")
	require.Equal(t, http.StatusOK, status, got)
	assert.Equal(t, "replaced", got["Subject"])
	assert.Equal(t, map[string]any{propColor: "Teal"}, propValues(got, "SingleValueExtendedProperties"))
	e.mb.mu.Lock()
	n := len(e.mb.mws)
	e.mb.mu.Unlock()
	assert.Equal(t, 1, n)
}
