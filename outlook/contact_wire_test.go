package outlook_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

const (
	ctID   = "AAMkADct/x+1="
	ctEsc  = "AAMkADct%2Fx+1="
	cfID   = "AAMkADcf/y="
	cfEsc  = "AAMkADcf%2Fy="
	ctJSON = `{"Id":"` + ctID + `","GivenName":"Pavel","Surname":"Bansky","DisplayName":"Pavel Bansky",` +
		`"EmailAddresses":[{"Name":"Pavel","Address":"pavelb@contoso.com"}],"BusinessPhones":["+1 732 555 0102"],` +
		`"HomeAddress":{"Street":"1 Main St","City":"Redmond","State":"WA","CountryOrRegion":"USA","PostalCode":"98052"},` +
		`"Birthday":"1974-07-22T00:00:00Z","Children":["Anna"],"ParentFolderId":"` + cfID + `"}`
)

func TestContactsWire(t *testing.T) {
	t.Parallel()
	runPIM(t, []pimCase{
		{
			name: "list contacts of the default folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Contacts().List(ctx, &outlook.ListOptions{Select: []string{"GivenName", "Surname"}, OrderBy: []string{"Surname"}, Filter: "Surname eq 'Bansky'"}))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/contacts", query: "$filter=Surname%20eq%20'Bansky'&$select=GivenName,Surname&$orderby=Surname",
				resp: `{"value":[` + ctJSON + `]}`}},
			check: func(t *testing.T, got any) {
				cs := got.([]outlook.Contact)
				require.Len(t, cs, 1)
				assert.Equal(t, "Redmond", cs[0].HomeAddress.City)
				assert.Equal(t, 1974, cs[0].Birthday.Year())
				assert.Equal(t, "pavelb@contoso.com", cs[0].EmailAddresses[0].Address)
			},
		},
		{
			name: "list contacts in a folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return collect(mb.Contacts().InFolder(cfID).List(ctx, nil))
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/contactfolders/" + cfEsc + "/contacts", resp: `{"value":[]}`}},
		},
		{
			name: "get contact of another user",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.User("adele@contoso.com") },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Contacts().Get(ctx, ctID, nil) },
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/users/adele@contoso.com/contacts/" + ctEsc,
				header: map[string]string{"X-AnchorMailbox": "adele@contoso.com"}, resp: ctJSON}},
		},
		{
			name: "create contact",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Contacts().Create(ctx, &outlook.Contact{
					GivenName: "Pavel", Surname: "Bansky",
					EmailAddresses: []outlook.EmailAddress{{Address: "pavelb@contoso.com", Name: "Pavel Bansky"}},
					BusinessPhones: []string{"+1 732 555 0102"},
					Birthday:       outlook.Ptr(time.Date(1974, 7, 22, 0, 0, 0, 0, time.UTC)),
				})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/contacts",
				body: `{"GivenName":"Pavel","Surname":"Bansky","EmailAddresses":[{"Address":"pavelb@contoso.com","Name":"Pavel Bansky"}],` +
					`"BusinessPhones":["+1 732 555 0102"],"Birthday":"1974-07-22T00:00:00Z"}`,
				status: 201, resp: ctJSON}},
		},
		{
			name: "create contact in a folder",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Contacts().InFolder(cfID).Create(ctx, &outlook.Contact{GivenName: "Ana"})
			},
			reqs: []pimReq{{method: "POST", path: "/api/v2.0/me/contactfolders/" + cfEsc + "/contacts", body: `{"GivenName":"Ana"}`, status: 201, resp: `{"Id":"x"}`}},
		},
		{
			name: "update contact",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Contacts().Update(ctx, ctID, &outlook.ContactUpdate{
					HomeAddress: outlook.Set(outlook.PhysicalAddress{Street: "123 Some street", City: "Seattle"}),
					Birthday:    outlook.Null[time.Time](),
					JobTitle:    outlook.Set("Engineer"),
				})
			},
			reqs: []pimReq{{method: "PATCH", path: "/api/v2.0/me/contacts/" + ctEsc,
				body: `{"Birthday":null,"HomeAddress":{"Street":"123 Some street","City":"Seattle"},"JobTitle":"Engineer"}`, resp: ctJSON}},
		},
		{
			name: "delete and count contacts",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				if err := mb.Contacts().Delete(ctx, ctID); err != nil {
					return nil, err
				}
				return mb.Contacts().InFolder(cfID).Count(ctx, "")
			},
			reqs: []pimReq{
				{method: "DELETE", path: "/api/v2.0/me/contacts/" + ctEsc, status: 204},
				{method: "GET", path: "/api/v2.0/me/contactfolders/" + cfEsc + "/contacts/$count", resp: "\x00" + "12"},
			},
			check: func(t *testing.T, got any) { assert.Equal(t, int64(12), got) },
		},
		{
			name: "contact folders",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				f := mb.Contacts().Folders()
				if _, err := collect(f.List(ctx, nil)); err != nil {
					return nil, err
				}
				if _, err := collect(f.ListChildren(ctx, cfID, &outlook.ListOptions{Top: 5})); err != nil {
					return nil, err
				}
				if _, err := f.Get(ctx, cfID, nil); err != nil {
					return nil, err
				}
				if _, err := f.Create(ctx, "Family"); err != nil {
					return nil, err
				}
				if _, err := f.CreateChild(ctx, cfID, "Cousins"); err != nil {
					return nil, err
				}
				if _, err := f.Rename(ctx, cfID, "Relatives"); err != nil {
					return nil, err
				}
				return nil, f.Delete(ctx, cfID)
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/contactfolders", resp: `{"value":[{"Id":"f","DisplayName":"Family","ParentFolderId":"root"}]}`},
				{method: "GET", path: "/api/v2.0/me/contactfolders/" + cfEsc + "/childfolders", query: "$top=5", resp: `{"value":[]}`},
				{method: "GET", path: "/api/v2.0/me/contactfolders/" + cfEsc, resp: `{"Id":"f"}`},
				{method: "POST", path: "/api/v2.0/me/contactfolders", body: `{"DisplayName":"Family"}`, status: 201, resp: `{"Id":"f"}`},
				{method: "POST", path: "/api/v2.0/me/contactfolders/" + cfEsc + "/childfolders", body: `{"DisplayName":"Cousins"}`, status: 201, resp: `{"Id":"c"}`},
				{method: "PATCH", path: "/api/v2.0/me/contactfolders/" + cfEsc, body: `{"DisplayName":"Relatives"}`, resp: `{"Id":"f"}`},
				{method: "DELETE", path: "/api/v2.0/me/contactfolders/" + cfEsc, status: 204},
			},
		},
		{
			name: "contact photo",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				p := mb.Contacts().Photo(ctID)
				meta, err := p.Get(ctx)
				if err != nil {
					return nil, err
				}
				if err := p.Upload(ctx, strings.NewReader("JPEGDATA"), ""); err != nil {
					return nil, err
				}
				r, err := p.Download(ctx)
				if err != nil {
					return nil, err
				}
				defer r.Close()
				b, err := io.ReadAll(r)
				return []any{meta, string(b), r.ContentType}, err
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/v2.0/me/contacts/" + ctEsc + "/photo",
					resp: `{"@odata.mediaContentType":"image/jpeg","@odata.mediaEtag":"\"BA09D118\"","Id":"96X96","Width":96,"Height":96}`},
				{method: "PUT", path: "/api/v2.0/me/contacts/" + ctEsc + "/photo/$value", body: "raw:JPEGDATA",
					header: map[string]string{"Content-Type": "image/jpeg"}, status: 200},
				{method: "GET", path: "/api/v2.0/me/contacts/" + ctEsc + "/photo/$value", header: map[string]string{"Accept": "image/*"}, resp: "\x00JPEGDATA", rhdr: map[string]string{"Content-Type": "image/jpeg"}},
			},
			check: func(t *testing.T, got any) {
				g := got.([]any)
				meta := g[0].(*outlook.Photo)
				assert.Equal(t, "image/jpeg", meta.MediaContentType)
				assert.Equal(t, `"BA09D118"`, meta.MediaETag)
				assert.Equal(t, int32(96), meta.Width)
				assert.False(t, meta.IsPlaceholder())
				assert.Equal(t, "JPEGDATA", g[1])
				assert.Equal(t, "image/jpeg", g[2])
			},
		},
		{
			name: "contact photo missing",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return mb.Contacts().Photo(ctID).Download(ctx)
			},
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/contacts/" + ctEsc + "/photo/$value", header: map[string]string{"Accept": "image/*"}, status: 404,
				resp: `{"error":{"code":"ErrorItemNotFound","message":"The photo wasn't found."}}`}},
			wantErr: "ErrorItemNotFound",
		},
	})
}

func TestContactsDeltaWire(t *testing.T) {
	t.Parallel()
	c, mt := pimClient(t)
	next := pimBase + "/api/v2.0/me/contactfolders/" + cfEsc + "/contacts?$skiptoken=S"
	delta := pimBase + "/api/v2.0/me/contactfolders/" + cfEsc + "/contacts?$deltatoken=D"
	calls := 0
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		calls++
		assert.Equal(t, "/base/api/v2.0/me/contactfolders/"+cfEsc+"/contacts", r.URL.EscapedPath())
		assert.Equal(t, []string{"odata.track-changes"}, r.Header.Values("Prefer"))
		switch calls {
		case 1:
			assert.Equal(t, "$select=GivenName", r.URL.RawQuery)
			return httpmock.NewStringResponse(200, `{"value":[`+ctJSON+`],"@odata.nextLink":"`+next+`"}`), nil
		default:
			assert.Equal(t, "$skiptoken=S", r.URL.RawQuery)
			return httpmock.NewStringResponse(200, `{"value":[{"Id":"old","@removed":{"reason":"deleted"}}],"@odata.deltaLink":"`+delta+`"}`), nil
		}
	})
	var st outlook.DeltaState
	var got []outlook.DeltaChange[outlook.Contact]
	for p, err := range c.Me().Contacts().InFolder(cfID).Delta(context.Background(), &st, &outlook.DeltaOptions{Select: []string{"GivenName"}}) {
		require.NoError(t, err)
		got = append(got, p.Changes...)
	}
	require.Len(t, got, 2)
	assert.Equal(t, "Pavel", got[0].Item.GivenName)
	assert.True(t, got[1].Removed)
	assert.Equal(t, delta, st.Link)
	assert.Equal(t, "contactfolders/"+cfEsc+"/contacts", st.Resource)

	for _, err := range c.Me().Contacts().Delta(context.Background(), nil, &outlook.DeltaOptions{Filter: "x eq 1"}) {
		assert.Error(t, err)
	}
	assert.Equal(t, 2, calls)
}

func TestContactsInputErrors(t *testing.T) {
	t.Parallel()
	c, mt := pimClient(t)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("no request expected, got %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(500, ""), nil
	})
	ctx := context.Background()
	ct := c.Me().Contacts()
	_, err := ct.Create(ctx, &outlook.Contact{Surname: "x"})
	assert.ErrorContains(t, err, "GivenName")
	_, err = ct.Create(ctx, nil)
	assert.Error(t, err)
	_, err = ct.Update(ctx, ctID, nil)
	assert.Error(t, err)
	assert.Error(t, ct.Delete(ctx, ""))
	_, err = collect(ct.InFolder("").List(ctx, nil))
	assert.Error(t, err)
	_, err = ct.Folders().Create(ctx, "")
	assert.Error(t, err)
	_, err = ct.Folders().CreateChild(ctx, "", "x")
	assert.Error(t, err)
	_, err = ct.Photo("").Get(ctx)
	assert.Error(t, err)
	assert.ErrorContains(t, ct.Photo(ctID).Upload(ctx, strings.NewReader("x"), "text/plain"), "not an image")
	assert.Error(t, ct.Photo(ctID).Upload(ctx, nil, ""))
	_, err = ct.Photo(ctID).Sizes(ctx)
	assert.ErrorContains(t, err, "user photos only")
}
