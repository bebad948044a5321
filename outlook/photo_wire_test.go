package outlook_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/outlook"
)

func TestPhotoWire(t *testing.T) {
	t.Parallel()
	runPIM(t, []pimCase{
		{
			name: "metadata of my photo",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Photo().Get(ctx) },
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/photo",
				resp: `{"@odata.context":"x","@odata.mediaContentType":"image/jpeg","@odata.mediaEtag":"\"BA09D118\"","Id":"240X240","Width":240,"Height":240}`}},
			check: func(t *testing.T, got any) {
				p := got.(*outlook.Photo)
				assert.Equal(t, "240X240", p.ID)
				assert.Equal(t, int32(240), p.Height)
			},
		},
		{
			name: "placeholder of a user without photo",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.User("alex@contoso.com") },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Photo().Get(ctx) },
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/users/alex@contoso.com/photo", header: map[string]string{"X-AnchorMailbox": "alex@contoso.com"},
				resp: `{"@odata.mediaContentType":"image/gif","@odata.mediaEtag":"","Id":"1X1","Width":1,"Height":1}`}},
			check: func(t *testing.T, got any) { assert.True(t, got.(*outlook.Photo).IsPlaceholder()) },
		},
		{
			name: "upload my photo",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Photo().Upload(ctx, bytes.NewReader([]byte{0xff, 0xd8, 0xff, 0xe0}), "image/jpeg")
			},
			reqs: []pimReq{{method: "PUT", path: "/api/v2.0/me/photo/$value", body: "raw:\xff\xd8\xff\xe0",
				header: map[string]string{"Content-Type": "image/jpeg"}}},
		},
		{
			name: "upload another user's photo as png",
			mb:   func(c *outlook.Client) *outlook.Mailbox { return c.User("alex@contoso.com") },
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				return nil, mb.Photo().Upload(ctx, bytes.NewBufferString("PNG"), "image/png")
			},
			reqs: []pimReq{{method: "PUT", path: "/api/v2.0/users/alex@contoso.com/photo/$value", body: "raw:PNG",
				header: map[string]string{"Content-Type": "image/png", "X-AnchorMailbox": "alex@contoso.com"}}},
		},
		{
			name: "sizes are beta",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) {
				sizes, err := mb.Photo().Sizes(ctx)
				if err != nil {
					return nil, err
				}
				p, err := mb.Photo().GetSize(ctx, outlook.PhotoSize96)
				if err != nil {
					return nil, err
				}
				r, err := mb.Photo().DownloadSize(ctx, "48X48")
				if err != nil {
					return nil, err
				}
				defer r.Close()
				b, err := io.ReadAll(r)
				return []any{sizes, p, string(b)}, err
			},
			reqs: []pimReq{
				{method: "GET", path: "/api/beta/me/photos", resp: `{"value":[{"Id":"48X48","Width":48,"Height":48},{"Id":"96X96","Width":96,"Height":96}]}`},
				{method: "GET", path: "/api/beta/me/photos('96x96')", resp: `{"Id":"96X96","Width":96,"Height":96}`},
				{method: "GET", path: "/api/beta/me/photos('48X48')/$value", header: map[string]string{"Accept": "image/*"}, resp: "\x00small", rhdr: map[string]string{"Content-Type": "image/jpeg"}},
			},
			check: func(t *testing.T, got any) {
				g := got.([]any)
				assert.Len(t, g[0].([]outlook.Photo), 2)
				assert.Equal(t, int32(96), g[1].(*outlook.Photo).Width)
				assert.Equal(t, "small", g[2])
			},
		},
		{
			name:    "invalid size",
			call:    func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Photo().GetSize(ctx, "big") },
			wantErr: "invalid photo size",
		},
		{
			name: "no photo",
			call: func(ctx context.Context, mb *outlook.Mailbox) (any, error) { return mb.Photo().Download(ctx) },
			reqs: []pimReq{{method: "GET", path: "/api/v2.0/me/photo/$value", header: map[string]string{"Accept": "image/*"}, status: 404,
				resp: `{"error":{"code":"ErrorItemNotFound","message":"The photo wasn't found."}}`}},
			wantErr: "photo wasn't found",
		},
	})
}

// TestPhotoStreams checks that Download hands the body over before the
// server has finished sending it and that Upload sends a reader as it
// produces data: neither side is buffered whole.
func TestPhotoStreams(t *testing.T) {
	t.Parallel()
	c, mt := pimClient(t)
	ctx := context.Background()

	// Download: the server sends one chunk, then waits for the client to
	// have read it before sending the rest.
	pr, pw := io.Pipe()
	mt.RegisterResponder("GET", pimBase+"/api/v2.0/me/photo/$value", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "image/*", r.Header.Get("Accept"))
		resp := httpmock.NewBytesResponse(200, nil)
		resp.Body = pr
		resp.ContentLength = -1
		resp.Header.Set("Content-Type", "image/jpeg")
		return resp, nil
	})
	go func() {
		_, _ = pw.Write([]byte("first"))
		_, _ = pw.Write([]byte("-second"))
		_ = pw.Close()
	}()
	r, err := c.Me().Photo().Download(ctx)
	require.NoError(t, err)
	assert.Equal(t, "image/jpeg", r.ContentType)
	assert.Equal(t, int64(-1), r.ContentLength)
	buf := make([]byte, 5)
	_, err = io.ReadFull(r, buf)
	require.NoError(t, err)
	assert.Equal(t, "first", string(buf))
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "-second", string(rest))
	require.NoError(t, r.Close())

	// Upload: the body is a pipe fed while the request is in flight.
	upR, upW := io.Pipe()
	var received []byte
	mt.RegisterResponder("PUT", pimBase+"/api/v2.0/me/photo/$value", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "image/jpeg", r.Header.Get("Content-Type"))
		received, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(200, ""), nil
	})
	go func() {
		for i := 0; i < 4; i++ {
			_, _ = upW.Write(bytes.Repeat([]byte{byte('a' + i)}, 1024))
		}
		_ = upW.Close()
	}()
	require.NoError(t, c.Me().Photo().Upload(ctx, upR, ""))
	assert.Len(t, received, 4096)
	assert.Equal(t, byte('d'), received[4095])
}
