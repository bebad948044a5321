package odata_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/jsonx"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
)

// emptyObjectsPage is a 512 KiB page of {"value":[{},{},…]}: about 174,000
// items.
func emptyObjectsPage() string {
	const size = 512 << 10
	var b strings.Builder
	b.WriteString(`{"value":[{}`)
	for b.Len() < size-3 {
		b.WriteString(`,{}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// TestPageMemoryBoundedByBody: a small body of many tiny items must not
// expand into a heap hundreds of times its size; decoding stops at the page
// maximum with a clear error.
func TestPageMemoryBoundedByBody(t *testing.T) {
	body := emptyObjectsPage()
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/me/messages",
		httpmock.NewStringResponder(200, body))
	p := pipeline(t, mock)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var err error
	n := 0
	for _, e := range odata.Items[benchMessage](t.Context(), p, transport.Request{Path: "/me/messages"}) {
		if e != nil {
			err = e
			break
		}
		n++
	}
	runtime.ReadMemStats(&after)

	require.Error(t, err)
	assert.Zero(t, n, "no item of a refused page is yielded")
	assert.Contains(t, err.Error(), "more than 1000")
	var oe *office365.Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 200, oe.StatusCode)
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(16*len(body)),
		"decoding a %d-byte page allocated %d bytes", len(body), allocated)
}

func TestPageMaxItemsOption(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/a",
		httpmock.NewStringResponder(200, `{"value":[{"Id":"1"},{"Id":"2"},{"Id":"3"}]}`))
	p := pipeline(t, mock)

	got, err := odata.Collection[item](t.Context(), p, transport.Request{Path: "/a"}, odata.MaxItems(3))
	require.NoError(t, err)
	assert.Len(t, got, 3, "exactly the cap is accepted")

	_, err = odata.Collection[item](t.Context(), p, transport.Request{Path: "/a"}, odata.MaxItems(2))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 2")

	var pg odata.Page[item]
	pg.MaxItems = 2
	err = pg.DecodeJSONBody([]byte(`{"value":[{},{},{}]}`))
	assert.ErrorIs(t, err, odata.ErrTooManyItems)
	assert.Nil(t, pg.Value, "a refused page keeps no items")
}

// TestCollectionWithoutValueIsAnError: a 200 that is not a collection is
// never read as an empty one.
func TestCollectionWithoutValueIsAnError(t *testing.T) {
	for name, body := range map[string]string{
		"empty object":  `{}`,
		"single entity": `{"@odata.context":"https://outlook.office.com/api/v2.0/$metadata#Me/Messages/$entity","Id":"AAMk","Subject":"x"}`,
		"null value":    `{"value":null}`,
		"object value":  `{"value":{"Id":"1"}}`,
		"string value":  `{"value":"Pacific Standard Time"}`,
		"empty body":    ``,
		"array":         `[{"Id":"1"}]`,
		"null":          `null`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/a",
				httpmock.NewStringResponder(200, body))
			p := pipeline(t, mock)
			got, err := odata.Collection[item](t.Context(), p, transport.Request{Path: "/a"})
			require.Error(t, err)
			assert.Nil(t, got)
			var oe *office365.Error
			require.ErrorAs(t, err, &oe)
			assert.Contains(t, oe.Message, "not a collection")

			n := 0
			for _, err := range odata.TopSkipItems[item](t.Context(), p, transport.Request{Path: "/a"}, 100) {
				require.Error(t, err)
				n++
			}
			assert.Equal(t, 1, n)
		})
	}
}

func TestCollectionNoContentIsAnError(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/a",
		httpmock.NewStringResponder(http.StatusNoContent, ""))
	p := pipeline(t, mock)
	_, err := odata.Collection[item](t.Context(), p, transport.Request{Path: "/a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a collection")
}

func TestPageDecodeJSONBody(t *testing.T) {
	var pg odata.Page[item]
	require.NoError(t, pg.DecodeJSONBody([]byte(` {"@odata.context":"c","Value":[{"Id":"1"},null,{"Id":"3"}],`+
		`"@odata.nextLink":"n","@odata.deltaLink":"d","@odata.count":7,"unknown":{"a":[1,{"b":null}]}} `)))
	assert.Equal(t, []item{{ID: "1"}, {}, {ID: "3"}}, pg.Value)
	assert.Equal(t, "n", pg.NextLink)
	assert.Equal(t, "d", pg.DeltaLink)
	assert.Equal(t, "c", pg.Context)
	require.NotNil(t, pg.Count)
	assert.EqualValues(t, 7, *pg.Count)

	var empty odata.Page[item]
	require.NoError(t, empty.DecodeJSONBody([]byte(`{"value":[]}`)))
	assert.NotNil(t, empty.Value)
	assert.Empty(t, empty.Value)

	var viaUnmarshal odata.Page[*item]
	require.NoError(t, json.Unmarshal([]byte(`{"value":[{"Id":"x"},null]}`), &viaUnmarshal))
	require.Len(t, viaUnmarshal.Value, 2)
	assert.Equal(t, "x", viaUnmarshal.Value[0].ID)
	assert.Nil(t, viaUnmarshal.Value[1])

	for _, bad := range []string{
		`{"value":[{"Id":"1"}]`, `{"value":[{"Id":"1"}]}x`, `{"value":[{"Id":1}]}`, `{"value":[{"Id":"1"},]}`,
		`{"value":[],"@odata.nextLink":5}`, `{"value":[] "x":1}`, `{"value":[],"x":tru}`,
	} {
		var pg odata.Page[item]
		assert.Error(t, pg.DecodeJSONBody([]byte(bad)), bad)
	}
	var none odata.Page[item]
	assert.ErrorIs(t, none.DecodeJSONBody([]byte(`{"Id":"1"}`)), odata.ErrNoValue)
	assert.True(t, errors.Is(none.DecodeJSONBody(nil), odata.ErrNoValue))
}

// TestPageBothDecodingPathsAgree: commas inside strings send a page of few
// items down the item-by-item path; it decodes the same.
func TestPageBothDecodingPathsAgree(t *testing.T) {
	body := []byte(`{"@odata.context":"c","value":[{"Id":"a,b,c,d"},{"Id":"e"}],"@odata.nextLink":"n","@odata.count":2}`)
	fast := odata.Page[item]{MaxItems: 1000}
	require.NoError(t, fast.DecodeJSONBody(body))
	exact := odata.Page[item]{MaxItems: 2}
	require.NoError(t, exact.DecodeJSONBody(body))
	assert.Equal(t, fast.Value, exact.Value)
	assert.Equal(t, []item{{ID: "a,b,c,d"}, {ID: "e"}}, exact.Value)
	assert.Equal(t, fast.NextLink, exact.NextLink)
	assert.Equal(t, fast.Count, exact.Count)
	assert.Equal(t, fast.Context, exact.Context)

	tight := odata.Page[item]{MaxItems: 1}
	assert.ErrorIs(t, tight.DecodeJSONBody(body), odata.ErrTooManyItems)
}

// model is an item that decodes itself, as every SDK model does, so pages
// of it take the validated fast path.
type model struct {
	ID    string `json:"Id"`
	Extra map[string]json.RawMessage
}

type modelFields model

func (m *model) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*modelFields)(m), &m.Extra, new(bool))
}

// TestPageDecodeValidJSONBodyAgrees: a caller that has validated the body
// gets exactly what DecodeJSONBody gives, errors included.
func TestPageDecodeValidJSONBodyAgrees(t *testing.T) {
	for _, body := range []string{
		`{"@odata.context":"c","value":[{"Id":"1","x":[1]},null,{"Id":"3"}],"@odata.nextLink":"n","@odata.count":3}`,
		`{"value":[]}`, `{"Value":[{"id":"a,b"}],"@odata.deltaLink":"d"}`, `{"Id":"1"}`, `{}`, `null`,
		`{"value":[{"Id":1}]}`, `{"value":{"Id":"1"}}`, `{"value":[1,2]}`,
		`{"value":[{"Id":"1"},{"Id":"2"},{"Id":"3"}]}`, // over the cap of 2 below
		`{"value":[],"value":[{"Id":"dup"}]}`, `{"va\u006cue":[{"Id":"esc"}]}`,
	} {
		checked := odata.Page[model]{MaxItems: 2}
		errChecked := checked.DecodeJSONBody([]byte(body))
		trusted := odata.Page[model]{MaxItems: 2}
		errTrusted := trusted.DecodeValidJSONBody([]byte(body))
		assert.Equal(t, errChecked == nil, errTrusted == nil, body)
		if errChecked != nil {
			assert.Equal(t, errChecked.Error(), errTrusted.Error(), body)
			continue
		}
		assert.Equal(t, checked, trusted, body)
	}
}

// TestPagesOutliveReusedBuffers reads pages through the pipeline, which
// reads a page's body into a buffer it reuses for the next page (Page is a
// transport.CopyingDecoder), and checks afterwards that nothing decoded from
// an earlier page changed: items decoded by encoding/json, by their own
// UnmarshalJSON (jsonx, unknown members kept) and raw items.
func TestPagesOutliveReusedBuffers(t *testing.T) {
	const pages = 4
	body := func(p int) string {
		tag := strings.Repeat(string(rune('a'+p)), 1+p*9)
		return `{"value":[{"Id":"` + tag + `-1","x":{"k":"` + tag + `"}},{"Id":"` + tag + `-2"}],"@odata.nextLink":"n` + tag + `"}`
	}
	mock := httpmock.NewMockTransport()
	p := pipeline(t, mock)
	for i := range pages {
		mock.RegisterResponder(http.MethodGet, "https://outlook.office.com/api/v2.0/page/"+strconv.Itoa(i),
			httpmock.NewStringResponder(200, body(i)))
	}
	get := func(i int, out any) {
		t.Helper()
		require.NoError(t, p.DoJSON(t.Context(), &transport.Request{Path: "/page/" + strconv.Itoa(i)}, out))
	}
	var plain []odata.Page[item]
	var models []odata.Page[model]
	var raws []odata.Page[json.RawMessage]
	for i := range pages {
		var a odata.Page[item]
		var b odata.Page[model]
		var c odata.Page[json.RawMessage]
		get(i, &a)
		get(i, &b)
		get(i, &c)
		plain, models, raws = append(plain, a), append(models, b), append(raws, c)
	}
	for i := range pages {
		var want struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
		}
		require.NoError(t, json.Unmarshal([]byte(body(i)), &want))
		tag := strings.Repeat(string(rune('a'+i)), 1+i*9)
		assert.Equal(t, []item{{ID: tag + "-1"}, {ID: tag + "-2"}}, plain[i].Value, "page %d", i)
		assert.Equal(t, want.NextLink, plain[i].NextLink)
		require.Len(t, models[i].Value, 2)
		assert.Equal(t, tag+"-1", models[i].Value[0].ID)
		assert.JSONEq(t, `{"k":"`+tag+`"}`, string(models[i].Value[0].Extra["x"]), "page %d", i)
		assert.Equal(t, want.NextLink, models[i].NextLink)
		require.Len(t, raws[i].Value, 2)
		for j := range want.Value {
			assert.JSONEq(t, string(want.Value[j]), string(raws[i].Value[j]), "page %d item %d", i, j)
		}
	}
}
