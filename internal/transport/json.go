package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/office365-go/office365"
)

// DoJSON sends the request and decodes a JSON response body into out. A nil
// out, a 204 or 205 response, the answer to a HEAD request and an empty body
// leave out untouched, unless out is a BodyDecoder (a collection page),
// which decodes every success body itself, an empty one included. The body
// is read up to the configured response cap; larger bodies and bodies that
// are not JSON (for example an HTML page a proxy answered with) are errors.
func (p *Pipeline) DoJSON(ctx context.Context, r *Request, out any) error {
	_, err := p.DoJSONHeader(ctx, r, out)
	return err
}

// DoJSONHeader is DoJSON that also returns the response headers
// (Preference-Applied, Location, …).
func (p *Pipeline) DoJSONHeader(ctx context.Context, r *Request, out any) (http.Header, error) {
	resp, err := p.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	_, isDecoder := out.(BodyDecoder)
	if out == nil || (resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusResetContent ||
		r.method() == http.MethodHead) && !isDecoder {
		_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
		return resp.Header, nil
	}
	var body []byte
	if _, copies := out.(CopyingDecoder); copies {
		// The decoder keeps nothing of the body: read it into a reused
		// buffer instead of allocating (and zeroing) one per response.
		buf := bodyBuffers.Get()
		defer bodyBuffers.Put(buf)
		body, err = p.readBody(ctx, resp, (*buf)[:0])
		*buf = body
	} else {
		body, err = p.ReadBody(ctx, resp)
	}
	if err != nil {
		return resp.Header, err
	}
	if len(bytes.TrimSpace(body)) == 0 && !isDecoder {
		// An empty success body (a 202 Accepted, a HEAD answer) has nothing
		// to decode: out is left as it is, as go-github does.
		return resp.Header, nil
	}
	if err := DecodeJSON(body, out); err != nil {
		known := sentToken(resp)
		e := ErrorFromResponse(resp.StatusCode, resp.Header, body, known...)
		e.Method, e.URL = resp.Request.Method, RedactURL(resp.Request.URL.String())
		e.Code, e.InnerError = "", nil
		e.Message = fmt.Sprintf("decoding %d response: %s", resp.StatusCode, ScrubText(err.Error(), known...))
		if len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
			e.Message = fmt.Sprintf("response is not valid JSON (Content-Type %q): %s", e.ContentType, ScrubText(err.Error(), known...))
		}
		e.MaybeProcessed = nonIdempotent(resp)
		return resp.Header, e
	}
	return resp.Header, nil
}

// A BodyDecoder decodes a JSON response body itself: DoJSON hands it the
// whole (capped) body instead of calling json.Unmarshal, so it can bound
// what it builds from it (collection pages cap their items).
type BodyDecoder interface {
	DecodeJSONBody(body []byte) error
}

// A ValidBodyDecoder is a BodyDecoder that can skip validating a body its
// caller has already found to be valid JSON.
type ValidBodyDecoder interface {
	BodyDecoder
	// DecodeValidJSONBody is DecodeJSONBody for a body json.Valid accepts.
	DecodeValidJSONBody(body []byte) error
}

// DecodeValidJSON is DecodeJSON for a body known to be valid JSON (one
// json.Valid accepts): a ValidBodyDecoder does not validate it again.
func DecodeValidJSON(body []byte, out any) error {
	if d, ok := out.(ValidBodyDecoder); ok {
		return d.DecodeValidJSONBody(body)
	}
	return DecodeJSON(body, out)
}

// A RawDecoder decodes a JSON response body itself, in place of
// json.Unmarshal, but is handed only the bodies json.Unmarshal would be
// (unlike a BodyDecoder, it never sees an empty body or the body of a 204,
// 205 or HEAD answer). An error it returns is reported as a body that
// could not be decoded, as json.Unmarshal's would be.
type RawDecoder interface {
	DecodeRawJSON(body []byte) error
}

// A CopyingDecoder is an out value for DoJSON (a BodyDecoder or a
// RawDecoder) that keeps nothing of the body once it has decoded it: it
// copies whatever it keeps, as a json.Unmarshaler must. DoJSON reads the
// bodies such values decode into buffers it reuses.
type CopyingDecoder interface {
	// CopiesBody marks the decoder; it is never called.
	CopiesBody()
}

// DecodeJSON decodes a JSON body into out as DoJSON does: through out's
// BodyDecoder or RawDecoder method when it has one (collection pages
// validate and cap what they decode), otherwise with json.Unmarshal.
func DecodeJSON(body []byte, out any) error {
	switch d := out.(type) {
	case BodyDecoder:
		return d.DecodeJSONBody(body)
	case RawDecoder:
		return d.DecodeRawJSON(body)
	}
	return json.Unmarshal(body, out)
}

// ReadBody reads a response body up to the configured cap. For a
// non-idempotent request, an error says the request may have been
// processed (office365.ErrMaybeProcessed): the service answered with a
// success that could not be read in full.
func (p *Pipeline) ReadBody(ctx context.Context, resp *http.Response) ([]byte, error) {
	return p.readBody(ctx, resp, make([]byte, 0, 512))
}

// readBody is ReadBody appending to dst.
func (p *Pipeline) readBody(ctx context.Context, resp *http.Response, dst []byte) ([]byte, error) {
	body, err := readAll(io.LimitReader(resp.Body, p.maxBody+1), dst)
	maybe := nonIdempotent(resp)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
			if !maybe {
				return nil, err
			}
		}
		return nil, &requestError{method: resp.Request.Method, url: RedactURL(resp.Request.URL.String()),
			err: fmt.Errorf("reading the response: %w", scrubErr(err, sentToken(resp)...)), maybeProcessed: maybe}
	}
	if int64(len(body)) > p.maxBody {
		return nil, &office365.Error{
			StatusCode: resp.StatusCode, Method: resp.Request.Method, URL: RedactURL(resp.Request.URL.String()),
			RequestID:       ScrubText(resp.Header.Get("request-id"), sentToken(resp)...),
			ClientRequestID: ScrubText(resp.Header.Get("client-request-id"), sentToken(resp)...),
			Message:         fmt.Sprintf("response body exceeds the %d-byte limit (see office365.WithMaxResponseSize)", p.maxBody),
			MaybeProcessed:  maybe,
		}
	}
	return body, nil
}

// readAll is io.ReadAll appending to b.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// ResponseExcerpt returns the start of a response body for an error,
// scrubbed like every error text (see ScrubText) of the bearer token the
// request carried and of anything else that looks secret. resp may be nil.
func ResponseExcerpt(resp *http.Response, body []byte) string {
	return excerpt([]byte(ScrubText(bodyText(bytes.TrimSpace(body)), sentToken(resp)...)), excerptLen)
}

// sentToken returns the secrets the request behind resp carried, for
// scrubbing: its bearer token, if any, and the values of the secret query
// parameters of its URL (those RedactURL hides, such as the authtoken of
// a pre-authenticated upload URL) long enough to be tokens.
func sentToken(resp *http.Response) []string {
	if resp == nil || resp.Request == nil {
		return nil
	}
	var known []string
	if scheme, tok, ok := strings.Cut(resp.Request.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") && tok != "" {
		known = append(known, tok)
	}
	if u := resp.Request.URL; u != nil && u.RawQuery != "" {
		for _, part := range strings.Split(u.RawQuery, "&") {
			name, value, _ := strings.Cut(part, "=")
			if dn, err := url.QueryUnescape(name); err == nil {
				name = dn
			}
			if len(value) < minQuerySecret || !sensitiveParam(name) {
				continue
			}
			known = append(known, value)
			if dv, err := url.QueryUnescape(value); err == nil && dv != value {
				known = append(known, dv)
			}
		}
	}
	return known
}

// minQuerySecret is the shortest query parameter value sentToken treats as
// a secret to scrub from response text: shorter values (a "state=1") would
// scrub innocent text.
const minQuerySecret = 16

// EscapeSegment escapes one path segment, such as an item id (which can hold
// "/", "+" and "=") so that it stays one segment.
func EscapeSegment(s string) string { return url.PathEscape(s) }

// jsonUnmarshal is json.Unmarshal; benchmarks use it to decode the same way
// as the pipeline.
var jsonUnmarshal = json.Unmarshal
