package office365test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// decodeObject decodes the request body as a JSON object (numbers as
// json.Number). Invalid JSON answers 400 RequestBodyRead.
func decodeObject(rq *MailboxRequest) (map[string]any, *Reply) {
	if len(bytes.TrimSpace(rq.Body)) == 0 {
		return map[string]any{}, nil
	}
	var body map[string]any
	if err := rq.DecodeJSON(&body); err != nil || body == nil {
		msg := "The request body is not a JSON object."
		if err != nil {
			msg = "Invalid JSON in the request body: " + err.Error()
		}
		return nil, ErrorReply(http.StatusBadRequest, "RequestBodyRead", msg)
	}
	return normalizeNumbers(body).(map[string]any), nil
}

// normalizeNumbers turns json.Number into float64 (integers stay exact up
// to 2^53), so documents hold plain JSON values.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return v
}

func unknownProperty(name, typ string) *Reply {
	return ErrorReply(http.StatusBadRequest, "RequestBodyRead",
		"The property '"+name+"' does not exist on type 'Microsoft.OutlookServices."+typ+"'. Make sure to only use property names that are defined by the type.")
}

func invalidValue(name string) *Reply {
	return ErrorReply(http.StatusBadRequest, "ErrorInvalidPropertyValue", "The value of the property '"+name+"' is invalid.")
}

// entityReply answers one entity with its @odata.context and the applied
// preferences.
func entityReply(rq *MailboxRequest, status int, ctx string, doc Entity) *Reply {
	doc["@odata.context"] = rq.Context(ctx)
	return &Reply{Status: status, JSON: doc, Header: rq.appliedPrefs()}
}

// collectionReply answers a collection envelope.
func collectionReply(rq *MailboxRequest, ctx string, value []any, total int, next string, extra map[string]any) *Reply {
	env := map[string]any{"@odata.context": rq.Context(ctx), "value": value}
	if value == nil {
		env["value"] = []any{}
	}
	if next != "" {
		env["@odata.nextLink"] = next
	}
	if strings.EqualFold(rq.Query("$count"), "true") {
		env["@odata.count"] = total
	}
	for k, v := range extra {
		env[k] = v
	}
	return &Reply{Status: http.StatusOK, JSON: env, Header: rq.appliedPrefs()}
}

// countReply answers /$count: a bare integer.
func countReply(rq *MailboxRequest, recs []*Record, filterable func([]string) error) *Reply {
	f, err := ParseFilter(rq.Query("$filter"), &FilterOptions{Filterable: filterable})
	if err != nil {
		return filterErrorReply(err)
	}
	n := 0
	for _, r := range recs {
		if f.Match(r.Doc) {
			n++
		}
	}
	return &Reply{Status: http.StatusOK, Raw: []byte(strconv.Itoa(n)), ContentType: "text/plain;charset=utf-8"}
}

// appliedPrefs returns Preference-Applied for the read preferences the
// request carried (the shaping itself happens in shape).
func (rq *MailboxRequest) appliedPrefs() http.Header {
	applied := map[string]string{}
	prefs := rq.Prefer()
	if tz := prefs["outlook.timezone"]; tz != "" && loadZone(tz) != nil {
		applied["tz"] = `outlook.timezone="` + tz + `"`
	}
	if v := prefs["outlook.body-content-type"]; strings.EqualFold(v, "text") || strings.EqualFold(v, "html") {
		applied["body"] = `outlook.body-content-type="` + strings.ToLower(v) + `"`
	}
	if _, ok := prefs["odata.track-changes"]; ok && rq.isSync() {
		applied["track"] = "odata.track-changes"
	}
	if v, ok := prefs["odata.maxpagesize"]; ok {
		applied["page"] = "odata.maxpagesize=" + v
	}
	return appliedHeader(applied)
}

// isSync reports a sync request: Prefer odata.track-changes, or a delta or
// skip token.
func (rq *MailboxRequest) isSync() bool {
	if _, ok := rq.Prefer()["odata.track-changes"]; ok {
		return true
	}
	return rq.HasQuery("$deltatoken") || rq.HasQuery("$skiptoken")
}

// canonicalEnum returns the member of values equal to v ignoring case.
func canonicalEnum(v any, values ...string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	for _, x := range values {
		if strings.EqualFold(s, x) {
			return x, true
		}
	}
	return "", false
}
