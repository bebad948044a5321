package office365test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"image"
	_ "image/gif" // photo uploads may be GIF
	"image/jpeg"
	_ "image/png" // photo uploads may be PNG
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// User and contact photos, stored as bytes. An upload must be a JPEG, PNG
// or GIF image; it is kept as sent and served by GET …/photo/$value. The
// metadata (GET …/photo) describes the largest standard size the image
// covers (48, 64, 96, 120, 240, 360, 432, 504 or 648 pixels square; the
// image's own size when smaller than 48). The beta photos collection lists
// every such size, and photos('{size}')/$value serves the image cropped to
// a square and scaled to that size, as a JPEG. A user without a photo has
// the 1×1 GIF placeholder's metadata and no $value (404); a contact without
// one answers 404 to both.

var photoSizes = []int{48, 64, 96, 120, 240, 360, 432, 504, 648}

const userPhotoID = "photo:user"

func contactPhotoID(contactID string) string { return "photo:contact:" + contactID }

// photoSizesOf returns the standard sizes an image of w×h covers.
func photoSizesOf(w, h int) []int {
	side := min(w, h)
	var out []int
	for _, s := range photoSizes {
		if s <= side {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = []int{side}
	}
	return out
}

func photoMeta(doc Entity, size int) Entity {
	return Entity{
		"@odata.mediaContentType": doc["ContentType"], "@odata.mediaEtag": doc["ETag"],
		"Id": strconv.Itoa(size) + "X" + strconv.Itoa(size), "Width": size, "Height": size,
	}
}

func placeholderPhoto() Entity {
	return Entity{"@odata.mediaContentType": "image/gif", "@odata.mediaEtag": "", "Id": "1X1", "Width": 1, "Height": 1}
}

// storePhotoLocked validates an uploaded image and stores it under id.
func (u *MailboxUser) storePhotoLocked(rq *MailboxRequest, typ EntityType, id, folderID string) *Reply {
	ct := rq.R.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !strings.HasPrefix(mt, "image/") {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The Content-Type of a photo must be an image type, not '"+ct+"'.")
	}
	if len(rq.Body) == 0 {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The photo is empty.")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(rq.Body))
	if err != nil {
		return ErrorReply(http.StatusBadRequest, "ErrorInvalidRequest", "The photo is not a valid JPEG, PNG or GIF image.")
	}
	sum := sha256.Sum256(rq.Body)
	doc := Entity{
		"ContentType": "image/" + format, "Data": base64.StdEncoding.EncodeToString(rq.Body),
		"Width": cfg.Width, "Height": cfg.Height, "ETag": fmt.Sprintf(`"%X"`, sum[:4]),
	}
	if r := u.su.Items[id]; r != nil {
		prev := deepCopy(r.Doc).(Entity)
		for k, v := range doc {
			r.Doc[k] = v
		}
		u.touchLocked(r, prev)
		return nil
	}
	doc["Id"] = id
	u.insertLocked(typ, folderID, doc)
	return nil
}

func photoBytes(doc Entity) []byte {
	s, _ := doc["Data"].(string)
	b, _ := base64.StdEncoding.DecodeString(s)
	return b
}

// scaledPhoto crops the image to a centred square and scales it to size
// (nearest neighbour), as a JPEG.
func scaledPhoto(data []byte, size int) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	x0, y0 := b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2
	out := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			out.Set(x, y, img.At(x0+x*side/size, y0+y*side/size))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func parsePhotoSize(s string) (int, bool) {
	w, h, ok := strings.Cut(strings.ToLower(s), "x")
	if !ok {
		return 0, false
	}
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	return wi, err1 == nil && err2 == nil && wi == hi && wi > 0
}

func (m *Mailbox) registerPhotos() {
	userPhoto := func(u *MailboxUser) *Record { return u.recordOf(entityUserPhoto, userPhotoID) }
	m.Handle("GET", "photo", func(rq *MailboxRequest) *Reply {
		p := userPhoto(rq.User)
		if p == nil {
			return entityReply(rq, http.StatusOK, "Photo/$entity", placeholderPhoto())
		}
		sizes := photoSizesOf(intOf(p.Doc["Width"]), intOf(p.Doc["Height"]))
		return entityReply(rq, http.StatusOK, "Photo/$entity", photoMeta(p.Doc, sizes[len(sizes)-1]))
	})
	m.Handle("GET", "photo/$value", func(rq *MailboxRequest) *Reply {
		p := userPhoto(rq.User)
		if p == nil {
			return ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The photo wasn't found.")
		}
		return &Reply{Status: http.StatusOK, Raw: photoBytes(p.Doc), ContentType: fmt.Sprint(p.Doc["ContentType"]),
			Header: http.Header{"ETag": {fmt.Sprint(p.Doc["ETag"])}}}
	})
	upload := func(rq *MailboxRequest) *Reply {
		if rep := rq.User.storePhotoLocked(rq, entityUserPhoto, userPhotoID, ""); rep != nil {
			return rep
		}
		return EmptyReply(http.StatusOK)
	}
	m.Handle("PUT", "photo/$value", upload)
	m.Handle("PATCH", "photo/$value", upload)
	m.HandleBeta("GET", "photos", func(rq *MailboxRequest) *Reply {
		val := []any{}
		if p := userPhoto(rq.User); p != nil {
			for _, s := range photoSizesOf(intOf(p.Doc["Width"]), intOf(p.Doc["Height"])) {
				val = append(val, photoMeta(p.Doc, s))
			}
		}
		return collectionReply(rq, "Photos", val, len(val), "", nil)
	})
	withSize := func(h func(rq *MailboxRequest, p *Record, size int) *Reply) MailboxHandler {
		return func(rq *MailboxRequest) *Reply {
			p := userPhoto(rq.User)
			size, ok := parsePhotoSize(rq.Param("size"))
			if p == nil || !ok {
				return ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The photo wasn't found.")
			}
			for _, s := range photoSizesOf(intOf(p.Doc["Width"]), intOf(p.Doc["Height"])) {
				if s == size {
					return h(rq, p, size)
				}
			}
			return ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The photo of size "+rq.Param("size")+" wasn't found.")
		}
	}
	m.HandleBeta("GET", "photos/{size}", withSize(func(rq *MailboxRequest, p *Record, size int) *Reply {
		return entityReply(rq, http.StatusOK, "Photos/$entity", photoMeta(p.Doc, size))
	}))
	m.HandleBeta("GET", "photos/{size}/$value", withSize(func(rq *MailboxRequest, p *Record, size int) *Reply {
		data, err := scaledPhoto(photoBytes(p.Doc), size)
		if err != nil {
			return ErrorReply(http.StatusInternalServerError, "ErrorInternalServerError", "The photo could not be resized.")
		}
		return &Reply{Status: http.StatusOK, Raw: data, ContentType: "image/jpeg", Header: http.Header{"ETag": {fmt.Sprint(p.Doc["ETag"])}}}
	}))

	// Contact photos.
	withContact := func(h recordHandler) MailboxHandler { return pim(withRecord("id", ofType(EntityContact), h)) }
	contactPhoto := func(rq *MailboxRequest, c *Record) (*Record, *Reply) {
		p := rq.User.recordOf(entityContactPhoto, contactPhotoID(c.ID))
		if p == nil {
			return nil, ErrorReply(http.StatusNotFound, "ErrorItemNotFound", "The contact has no photo.")
		}
		return p, nil
	}
	m.Handle("GET", "contacts/{id}/photo", withContact(func(rq *MailboxRequest, c *Record) *Reply {
		p, rep := contactPhoto(rq, c)
		if rep != nil {
			return rep
		}
		sizes := photoSizesOf(intOf(p.Doc["Width"]), intOf(p.Doc["Height"]))
		return entityReply(rq, http.StatusOK, "Contacts('"+c.ID+"')/Photo/$entity", photoMeta(p.Doc, sizes[len(sizes)-1]))
	}))
	m.Handle("GET", "contacts/{id}/photo/$value", withContact(func(rq *MailboxRequest, c *Record) *Reply {
		p, rep := contactPhoto(rq, c)
		if rep != nil {
			return rep
		}
		return &Reply{Status: http.StatusOK, Raw: photoBytes(p.Doc), ContentType: fmt.Sprint(p.Doc["ContentType"]),
			Header: http.Header{"ETag": {fmt.Sprint(p.Doc["ETag"])}}}
	}))
	uploadContact := withContact(func(rq *MailboxRequest, c *Record) *Reply {
		u := rq.User
		if rep := u.storePhotoLocked(rq, entityContactPhoto, contactPhotoID(c.ID), c.FolderID); rep != nil {
			return rep
		}
		u.touchLocked(c, deepCopy(c.Doc).(Entity))
		return EmptyReply(http.StatusOK)
	})
	m.Handle("PUT", "contacts/{id}/photo/$value", uploadContact)
	m.Handle("PATCH", "contacts/{id}/photo/$value", uploadContact)
}

func intOf(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case float64:
		return int(x)
	}
	return 0
}
