package outlook_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/outlook"
)

// Behavioural tests of the Contacts and User Photo APIs against the fake.

// testImage returns a w×h image encoded as JPEG or PNG.
func testImage(t *testing.T, w, h int, asPNG bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var buf bytes.Buffer
	if asPNG {
		require.NoError(t, png.Encode(&buf, img))
	} else {
		require.NoError(t, jpeg.Encode(&buf, img, nil))
	}
	return buf.Bytes()
}

func TestContactsFakeCRUD(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		srv, _, c := pimFake(t, dia)
		ctx := context.Background()
		cs := c.Me().Contacts()

		pavel := must[*outlook.Contact](t)(cs.Create(ctx, &outlook.Contact{
			GivenName: "Pavel", Surname: "Bansky", EmailAddresses: []outlook.EmailAddress{{Address: "pavelb@fabrikam.com"}},
			BusinessPhones: []string{"+1 732 555 0102"}, Birthday: outlook.Ptr(time.Date(1974, 7, 22, 0, 0, 0, 0, time.UTC)),
			HomeAddress: &outlook.PhysicalAddress{City: "Redmond", State: "WA"},
		}))
		assert.Equal(t, "Pavel Bansky", pavel.DisplayName, "derived from the names")
		assert.Equal(t, "Bansky Pavel", pavel.FileAs)
		assert.Equal(t, "pavelb@fabrikam.com", pavel.EmailAddresses[0].Name)
		assert.Equal(t, 1974, pavel.Birthday.Year())
		assert.NotEmpty(t, pavel.ParentFolderID)
		must[*outlook.Contact](t)(cs.Create(ctx, &outlook.Contact{GivenName: "Ana", Surname: "Alvarez", CompanyName: "Fabrikam"}))

		_, err := cs.Create(ctx, &outlook.Contact{GivenName: "x", Gender: "female"})
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "Gender is beta only")

		list := all(t, cs.List(ctx, &outlook.ListOptions{OrderBy: []string{"Surname"}}))
		require.Len(t, list, 2)
		assert.Equal(t, "Alvarez", list[0].Surname)
		fab := all(t, cs.List(ctx, &outlook.ListOptions{Filter: "CompanyName eq 'fabrikam'", Select: []string{"GivenName"}}))
		require.Len(t, fab, 1)
		assert.Equal(t, "Ana", fab[0].GivenName)
		assert.Empty(t, fab[0].Surname)
		assert.Equal(t, int64(2), must[int64](t)(cs.Count(ctx, "")))
		_, err = collect(cs.List(ctx, &outlook.ListOptions{Search: "pavel"}))
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "$search is for messages only")

		up := must[*outlook.Contact](t)(cs.Update(ctx, pavel.ID, &outlook.ContactUpdate{
			JobTitle: outlook.Set("Engineer"), Birthday: outlook.Null[time.Time](), HomeAddress: outlook.Set(outlook.PhysicalAddress{City: "Seattle"}),
		}))
		assert.Equal(t, "Engineer", up.JobTitle)
		assert.Nil(t, up.Birthday)
		assert.Equal(t, "Seattle", up.HomeAddress.City)
		assert.Empty(t, up.HomeAddress.State)

		require.NoError(t, cs.Delete(ctx, pavel.ID))
		_, err = cs.Get(ctx, pavel.ID, nil)
		assert.True(t, office365.IsNotFound(err))

		// The beta root has the beta properties.
		bc, err := outlook.New(auth.StaticToken("tok"), office365.WithBaseURL(srv.URL()), outlook.WithAPIVersion(outlook.Beta))
		require.NoError(t, err)
		b := must[*outlook.Contact](t)(bc.Me().Contacts().Create(ctx, &outlook.Contact{GivenName: "Bea", Gender: "female",
			Websites: []outlook.Website{{Type: outlook.WebsiteWork, Address: "https://fabrikam.com"}}}))
		assert.Equal(t, "female", b.Gender)
		require.Len(t, b.Websites, 1)
		assert.Equal(t, outlook.WebsiteWork, b.Websites[0].Type)
		v2 := must[*outlook.Contact](t)(cs.Get(ctx, b.ID, nil))
		assert.Empty(t, v2.Gender, "v2.0 leaves beta properties out")
	})
}

func TestContactsFakeFolders(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		cs := c.Me().Contacts()
		f := cs.Folders()

		family := must[*outlook.ContactFolder](t)(f.Create(ctx, "Family"))
		_, err := f.Create(ctx, "family")
		assert.Equal(t, http.StatusConflict, office365.StatusCode(err))
		cousins := must[*outlook.ContactFolder](t)(f.CreateChild(ctx, family.ID, "Cousins"))
		assert.Equal(t, family.ID, cousins.ParentFolderID)
		top := all(t, f.List(ctx, nil))
		require.Len(t, top, 1)
		assert.Equal(t, "Family", top[0].DisplayName)
		kids := all(t, f.ListChildren(ctx, family.ID, nil))
		require.Len(t, kids, 1)
		assert.Equal(t, "Cousins", kids[0].DisplayName)
		withKids := must[*outlook.ContactFolder](t)(f.Get(ctx, family.ID, &outlook.GetOptions{Expand: []string{"ChildFolders"}}))
		require.Len(t, withKids.ChildFolders, 1)

		ana := must[*outlook.Contact](t)(cs.InFolder(cousins.ID).Create(ctx, &outlook.Contact{GivenName: "Ana"}))
		assert.Equal(t, cousins.ID, ana.ParentFolderID)
		assert.Len(t, all(t, cs.InFolder(cousins.ID).List(ctx, nil)), 1)
		assert.Empty(t, all(t, cs.List(ctx, nil)), "the default folder holds none")
		assert.Equal(t, int64(1), must[int64](t)(cs.InFolder(cousins.ID).Count(ctx, "")))

		renamed := must[*outlook.ContactFolder](t)(f.Rename(ctx, family.ID, "Relatives"))
		assert.Equal(t, "Relatives", renamed.DisplayName)
		require.NoError(t, f.Delete(ctx, family.ID))
		_, err = cs.Get(ctx, ana.ID, nil)
		assert.True(t, office365.IsNotFound(err), "deleting a folder deletes its subfolders and contacts")
		_, err = f.Get(ctx, cousins.ID, nil)
		assert.True(t, office365.IsNotFound(err))
		err = f.Delete(ctx, "contacts")
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err), "the default folder stays")
	})
}

func TestContactsFakeDelta(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		cs := c.Me().Contacts()
		var ids []string
		for _, n := range []string{"A", "B", "C"} {
			ids = append(ids, must[*outlook.Contact](t)(cs.Create(ctx, &outlook.Contact{GivenName: n})).ID)
		}
		var st outlook.DeltaState
		var first []outlook.DeltaChange[outlook.Contact]
		for p, err := range cs.Delta(ctx, &st, &outlook.DeltaOptions{Select: []string{"GivenName"}, MaxPageSize: 2}) {
			require.NoError(t, err)
			first = append(first, p.Changes...)
		}
		require.Len(t, first, 3)
		assert.Equal(t, "A", first[0].Item.GivenName)
		assert.Empty(t, first[0].Item.DisplayName, "$select applies to sync")

		require.NoError(t, cs.Delete(ctx, ids[1]))
		must[*outlook.Contact](t)(cs.Update(ctx, ids[2], &outlook.ContactUpdate{Surname: outlook.Set("Cee")}))
		var next []outlook.DeltaChange[outlook.Contact]
		for p, err := range cs.Delta(ctx, &st, nil) {
			require.NoError(t, err)
			next = append(next, p.Changes...)
		}
		require.Len(t, next, 2)
		assert.True(t, next[0].Removed)
		assert.Equal(t, ids[1], next[0].ID)
		assert.Equal(t, ids[2], next[1].ID)
		assert.Equal(t, "C", next[1].Item.GivenName)
		assert.Empty(t, next[1].Item.Surname, "the delta link keeps the first request's $select")
	})
}

func TestPhotoFake(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, c := pimFake(t, dia)
		ctx := context.Background()
		me := c.Me().Photo()

		// No photo yet: a placeholder and no bytes.
		meta := must[*outlook.Photo](t)(me.Get(ctx))
		assert.True(t, meta.IsPlaceholder())
		_, err := me.Download(ctx)
		assert.True(t, office365.IsNotFound(err))

		img := testImage(t, 300, 260, false)
		require.NoError(t, me.Upload(ctx, bytes.NewReader(img), "image/jpeg"))
		meta = must[*outlook.Photo](t)(me.Get(ctx))
		assert.Equal(t, "240X240", strings.ToUpper(meta.ID), "the largest standard size the image covers")
		assert.Equal(t, "image/jpeg", meta.MediaContentType)
		assert.NotEmpty(t, meta.MediaETag)
		r := must[*outlook.PhotoReader](t)(me.Download(ctx))
		got, err := io.ReadAll(r)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		assert.Equal(t, img, got)
		assert.Equal(t, "image/jpeg", r.ContentType)

		sizes := must[[]outlook.Photo](t)(me.Sizes(ctx))
		var ids []string
		for _, s := range sizes {
			ids = append(ids, strings.ToUpper(s.ID)) // Graph spells the labels "48x48"
		}
		assert.Equal(t, []string{"48X48", "64X64", "96X96", "120X120", "240X240"}, ids)
		p96 := must[*outlook.Photo](t)(me.GetSize(ctx, outlook.PhotoSize96))
		assert.Equal(t, int32(96), p96.Width)
		small := must[*outlook.PhotoReader](t)(me.DownloadSize(ctx, outlook.PhotoSize48))
		cfg, format, err := image.DecodeConfig(small)
		require.NoError(t, err)
		require.NoError(t, small.Close())
		assert.Equal(t, "jpeg", format)
		assert.Equal(t, 48, cfg.Width)
		assert.Equal(t, 48, cfg.Height)
		_, err = me.GetSize(ctx, outlook.PhotoSize360)
		assert.True(t, office365.IsNotFound(err), "sizes above the image do not exist")

		// Not an image.
		err = me.Upload(ctx, bytes.NewReader([]byte("not an image")), "image/jpeg")
		assert.Equal(t, http.StatusBadRequest, office365.StatusCode(err))

		// Another user's photo, streamed from a reader that is not rewindable.
		pr, pw := io.Pipe()
		png := testImage(t, 64, 64, true)
		go func() { _, _ = pw.Write(png); _ = pw.Close() }()
		require.NoError(t, c.User(pimAlex).Photo().Upload(ctx, pr, "image/png"))
		am := must[*outlook.Photo](t)(c.User(pimAlex).Photo().Get(ctx))
		assert.Equal(t, "64X64", strings.ToUpper(am.ID))
		assert.Equal(t, "image/png", am.MediaContentType)
		assert.True(t, must[*outlook.Photo](t)(c.User(pimMegan).Photo().Get(ctx)).IsPlaceholder())

		// Contact photos.
		ct := must[*outlook.Contact](t)(c.Me().Contacts().Create(ctx, &outlook.Contact{GivenName: "Pavel"}))
		cp := c.Me().Contacts().Photo(ct.ID)
		_, err = cp.Download(ctx)
		assert.True(t, office365.IsNotFound(err), "404 when the contact has no photo")
		_, err = cp.Get(ctx)
		assert.True(t, office365.IsNotFound(err))
		require.NoError(t, cp.Upload(ctx, bytes.NewReader(png), "image/png"))
		cr := must[*outlook.PhotoReader](t)(cp.Download(ctx))
		b, err := io.ReadAll(cr)
		require.NoError(t, err)
		require.NoError(t, cr.Close())
		assert.Equal(t, png, b)
		assert.Equal(t, "64X64", strings.ToUpper(must[*outlook.Photo](t)(cp.Get(ctx)).ID))
		after := must[*outlook.Contact](t)(c.Me().Contacts().Get(ctx, ct.ID, nil))
		assert.NotEqual(t, ct.ChangeKey, after.ChangeKey, "setting the photo changes the contact")
	})
}
