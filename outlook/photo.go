package outlook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/office365-go/office365/internal/jsonx"
)

// Photo is the metadata of a user or contact photo (entity Photo) with its
// media annotations. A user without a photo has a generated placeholder:
// MediaContentType "image/gif", Id "1X1", 1×1 pixels (IsPlaceholder).
type Photo struct {
	// ID is the size label, e.g. "240X240" (Graph writes "240x240":
	// compare with strings.EqualFold).
	ID     string `json:"Id,omitempty"`
	Width  int32  `json:"Width,omitempty"`
	Height int32  `json:"Height,omitempty"`
	// MediaContentType is "@odata.mediaContentType" (e.g. "image/jpeg").
	MediaContentType string `json:"@odata.mediaContentType,omitempty"`
	// MediaETag is "@odata.mediaEtag", which changes with the image.
	MediaETag string `json:"@odata.mediaEtag,omitempty"`
	// Extra holds the properties the service sent that Photo has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type photoFields Photo

// UnmarshalJSON decodes the Photo, keeping unknown properties in Extra.
func (p *Photo) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*photoFields)(p), &p.Extra, &p.null)
}

// MarshalJSON encodes the Photo and the properties in Extra.
func (p Photo) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*photoFields)(&p), p.Extra, &p.null)
}

// IsPlaceholder reports whether the photo is the 1×1 placeholder the
// service returns for a user without a photo.
func (p *Photo) IsPlaceholder() bool {
	return strings.EqualFold(p.ID, "1x1") || (p.Width == 1 && p.Height == 1)
}

// Photo size labels of mailbox-stored photos: only the sizes up to the
// uploaded image's exist (AD-stored photos may have other sizes).
const (
	PhotoSize48  = "48x48"
	PhotoSize64  = "64x64"
	PhotoSize96  = "96x96"
	PhotoSize120 = "120x120"
	PhotoSize240 = "240x240"
	PhotoSize360 = "360x360"
	PhotoSize432 = "432x432"
	PhotoSize504 = "504x504"
	PhotoSize648 = "648x648"
)

// PhotoReader streams the bytes of a photo. Close it.
type PhotoReader struct {
	io.ReadCloser
	// ContentType is the image's media type (e.g. "image/jpeg").
	ContentType string
	// ContentLength is the size in bytes, or -1 when unknown.
	ContentLength int64
	// ETag is the response's ETag, if any.
	ETag string
}

// PhotoService reads and sets one photo: the user's ({root}/photo, see
// Mailbox.Photo; for Me() or User(upn)) or a contact's
// ({root}/contacts/{contact_id}/photo, see ContactsService.Photo). Scopes
// for user photos: User.Read (self) or User.ReadBasic.All / User.Read.All
// to read, User.ReadWrite (self) or User.ReadWrite.All (beta) to set;
// Contacts.Read / Contacts.ReadWrite for contact photos.
type PhotoService struct {
	mb      *Mailbox
	base    string // "photo" or "contacts/{id}/photo"
	contact bool
	err     error
}

// Photo returns the mailbox owner's photo API ({root}/photo). The photo is
// the one API that reaches other users by id even with delegated tokens:
// client.User(upn).Photo().
func (mb *Mailbox) Photo() *PhotoService { return &PhotoService{mb: mb, base: "photo"} }

// Get reads the metadata of the largest available photo: GET {root}/photo
// (or {root}/contacts/{contact_id}/photo).
func (s *PhotoService) Get(ctx context.Context) (*Photo, error) {
	if s.err != nil {
		return nil, s.err
	}
	return getEntity[Photo](ctx, s.mb, s.base, nil)
}

// Download streams the largest photo: GET {root}/photo/$value (or
// {root}/contacts/{contact_id}/photo/$value, 404 when the contact has no
// photo). The image is not buffered: read it from the returned reader and
// close it (closing also frees the mailbox's concurrency slot).
func (s *PhotoService) Download(ctx context.Context) (*PhotoReader, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.download(ctx, s.base+"/$value", false)
}

func (s *PhotoService) download(ctx context.Context, rel string, beta bool) (*PhotoReader, error) {
	resp, err := s.mb.do(ctx, &call{method: http.MethodGet, rel: rel, kind: kindWrite, beta: beta,
		header: acceptHeader(acceptImage)})
	if err != nil {
		return nil, err
	}
	return &PhotoReader{ReadCloser: resp.Body, ContentType: resp.Header.Get("Content-Type"),
		ContentLength: resp.ContentLength, ETag: resp.Header.Get("ETag")}, nil
}

// Upload sets the photo: PUT {root}/photo/$value (or
// {root}/contacts/{contact_id}/photo/$value) with the raw image and
// Content-Type contentType ("" means image/jpeg), 200. The image is
// streamed from r, not buffered; a *bytes.Reader, *bytes.Buffer or
// *strings.Reader can be re-sent on a retry, any other reader is sent once.
// Setting another user's photo needs User.ReadWrite.All.
func (s *PhotoService) Upload(ctx context.Context, r io.Reader, contentType string) error {
	if s.err != nil {
		return s.err
	}
	if r == nil {
		return errors.New("outlook: nil photo content")
	}
	if contentType == "" {
		contentType = "image/jpeg"
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "image/") {
		return fmt.Errorf("outlook: photo content type %q is not an image type", contentType)
	}
	resp, err := s.mb.do(ctx, &call{method: http.MethodPut, rel: s.base + "/$value", body: r, ctype: contentType, kind: kindWrite})
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.Body.Close()
}

// Sizes returns the metadata of every available size of the user's photo
// (beta only): GET {beta}/photos.
func (s *PhotoService) Sizes(ctx context.Context) ([]Photo, error) {
	if err := s.userOnly(); err != nil {
		return nil, err
	}
	return collectAll(flattenPages(listPagesCall[Photo](ctx, s.mb, &call{method: http.MethodGet, rel: "photos", kind: kindCollection, beta: true}, nil)))
}

// GetSize reads the metadata of one size (beta only): GET
// {beta}/photos('{size}'), e.g. size PhotoSize96 or "96x96".
func (s *PhotoService) GetSize(ctx context.Context, size string) (*Photo, error) {
	if err := s.userOnly(); err != nil {
		return nil, err
	}
	if err := validPhotoSize(size); err != nil {
		return nil, err
	}
	out := new(Photo)
	if _, err := s.mb.doJSON(ctx, &call{method: http.MethodGet, rel: keyed("photos", size), kind: kindRead, beta: true}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// DownloadSize streams the photo of one size (beta only): GET
// {beta}/photos('{size}')/$value. Close the reader.
func (s *PhotoService) DownloadSize(ctx context.Context, size string) (*PhotoReader, error) {
	if err := s.userOnly(); err != nil {
		return nil, err
	}
	if err := validPhotoSize(size); err != nil {
		return nil, err
	}
	return s.download(ctx, keyed("photos", size)+"/$value", true)
}

func (s *PhotoService) userOnly() error {
	if s.err != nil {
		return s.err
	}
	if s.contact {
		return errors.New("outlook: photo sizes exist for user photos only")
	}
	return nil
}

func validPhotoSize(size string) error {
	w, h, ok := strings.Cut(strings.ToLower(size), "x")
	if !ok || w == "" || h == "" || strings.Trim(w, "0123456789") != "" || strings.Trim(h, "0123456789") != "" {
		return fmt.Errorf("outlook: invalid photo size %q (want WIDTHxHEIGHT, e.g. 96x96)", size)
	}
	return nil
}
