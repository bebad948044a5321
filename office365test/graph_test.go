package office365test_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/office365test"
)

// Raw HTTP tests of the Graph v1.0 front end: Graph's shapes, paging,
// delta, To Do, JSON batching, subscriptions, and that both dialects serve
// one mailbox.

type graphFake struct {
	*office365test.Fake
}

func newGraphFake(t *testing.T, opts ...office365test.GraphMailOption) *graphFake {
	t.Helper()
	f := office365test.Start(&office365test.FakeOptions{Graph: opts})
	t.Cleanup(f.Close)
	return &graphFake{f}
}

// do sends a request (path relative to the server) and decodes a JSON
// answer (nil when empty; {"raw": …} for other content).
func (f *graphFake) do(t *testing.T, method, path, body string, hdr ...string) (int, map[string]any, http.Header) {
	t.Helper()
	return sendRaw(t, method, f.URL()+path, body, func(h http.Header) {
		for i := 0; i+1 < len(hdr); i += 2 {
			h.Set(hdr[i], hdr[i+1])
		}
	})
}

// get fetches an absolute or server-relative URL and requires 200.
func (f *graphFake) get(t *testing.T, link string, hdr ...string) map[string]any {
	t.Helper()
	link = strings.TrimPrefix(link, f.URL())
	st, body, _ := f.do(t, "GET", link, "", hdr...)
	require.Equal(t, http.StatusOK, st, "%s: %v", link, body)
	return body
}

func values(body map[string]any) []map[string]any {
	var out []map[string]any
	for _, v := range body["value"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func esc(id string) string { return url.PathEscape(id) }

func graphErr(t *testing.T, body map[string]any) (code string, inner map[string]any) {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	require.True(t, ok, "no error body: %v", body)
	code, _ = e["code"].(string)
	inner, _ = e["innerError"].(map[string]any)
	return code, inner
}

func TestGraphMailShapes(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	body := f.get(t, "/v1.0/me/mailFolders/inbox/messages?$top=1&$select=subject,importance,body,flag,from&$filter=importance%20eq%20'high'")
	assert.Contains(t, body["@odata.context"], "/v1.0/$metadata#me/mailFolders(")
	msgs := values(body)
	require.Len(t, msgs, 1)
	m := msgs[0]
	for _, k := range []string{"id", "subject", "importance", "body", "flag", "from", "@odata.etag"} {
		assert.Contains(t, m, k)
	}
	for k := range m {
		assert.False(t, k[0] >= 'A' && k[0] <= 'Z', "PascalCase property %q", k)
	}
	assert.Equal(t, "high", m["importance"])
	assert.Equal(t, "text", m["body"].(map[string]any)["contentType"])
	assert.Equal(t, "flagged", m["flag"].(map[string]any)["flagStatus"])
	assert.Equal(t, "alex.wilber@contoso.com", m["from"].(map[string]any)["emailAddress"].(map[string]any)["address"])
	assert.NotContains(t, m, "@odata.id")

	// Attachments carry Graph's type names.
	id := m["id"].(string)
	atts := values(f.get(t, "/v1.0/me/messages/"+esc(id)+"/attachments"))
	require.NotEmpty(t, atts)
	assert.Equal(t, "#microsoft.graph.fileAttachment", atts[0]["@odata.type"])
	assert.Contains(t, atts[0], "contentBytes")

	// Key form addressing and users/{object id}.
	oid := strings.Split(f.Mailbox.Me().ID, "@")[0]
	one := f.get(t, "/v1.0/users/"+oid+"/messages('"+esc(id)+"')?$select=subject")
	assert.Equal(t, m["subject"], one["subject"])

	// Folders: Graph has no wellKnownName.
	for _, fo := range values(f.get(t, "/v1.0/me/mailFolders")) {
		assert.NotContains(t, fo, "wellKnownName")
		assert.Contains(t, fo, "displayName")
	}

	// Errors: Graph's body with innerError and the caller's request id.
	st, eb, _ := f.do(t, "GET", "/v1.0/me/messages/nope", "", "client-request-id", "c0ffee00-0000-4000-8000-000000000001")
	assert.Equal(t, http.StatusNotFound, st)
	code, inner := graphErr(t, eb)
	assert.Equal(t, "ErrorItemNotFound", code)
	assert.Equal(t, "c0ffee00-0000-4000-8000-000000000001", inner["client-request-id"])
	assert.NotEmpty(t, inner["request-id"])
	assert.NotEmpty(t, inner["date"])

	me := f.get(t, "/v1.0/me")
	assert.Equal(t, oid, me["id"])
	assert.Equal(t, "adele.vance@contoso.com", me["userPrincipalName"])
	assert.Equal(t, "Adele Vance", me["displayName"])
	assert.Equal(t, "Alex Wilber", f.get(t, "/v1.0/users/alex.wilber@contoso.com")["displayName"])

	st, eb, _ = f.do(t, "GET", "/v1.0/users/nobody@contoso.com/messages", "")
	assert.Equal(t, http.StatusNotFound, st)
	code, _ = graphErr(t, eb)
	assert.Equal(t, "ErrorInvalidUser", code)

	// Settings, rules and Focused Inbox overrides.
	s := f.get(t, "/v1.0/me/mailboxSettings")
	assert.Equal(t, "disabled", s["automaticRepliesSetting"].(map[string]any)["status"])
	assert.Contains(t, s["workingHours"].(map[string]any)["daysOfWeek"], "monday")
	st, _, _ = f.do(t, "PATCH", "/v1.0/me/mailboxSettings", `{"automaticRepliesSetting":{"status":"alwaysEnabled","internalReplyMessage":"Away"}}`)
	require.Equal(t, http.StatusOK, st)
	ar := f.get(t, "/v1.0/me/mailboxSettings/automaticRepliesSetting")
	assert.Equal(t, "alwaysEnabled", ar["status"])
	rules := values(f.get(t, "/v1.0/me/mailFolders/inbox/messageRules"))
	require.NotEmpty(t, rules)
	assert.Contains(t, rules[0], "conditions")
	ov := values(f.get(t, "/v1.0/me/inferenceClassification/overrides"))
	require.NotEmpty(t, ov)
	assert.Contains(t, []any{"focused", "other"}, ov[0]["classifyAs"])

	// MailTips (beta-only on the retired API, v1.0 on Graph).
	st, tips, _ := f.do(t, "POST", "/v1.0/me/getMailTips", `{"EmailAddresses":["alex.wilber@contoso.com"],"MailTipsOptions":"automaticReplies, mailboxFullStatus"}`)
	require.Equal(t, http.StatusOK, st, tips)
	assert.Equal(t, "#Collection(microsoft.graph.mailTips)", tips["@odata.context"].(string)[strings.Index(tips["@odata.context"].(string), "#"):])
	require.Len(t, values(tips), 1)
}

func TestGraphPaging(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	inbox := f.get(t, "/v1.0/me/mailFolders/inbox")
	total := int(inbox["totalItemCount"].(float64))
	require.Greater(t, total, 10)

	// The default page is 10.
	first := f.get(t, "/v1.0/me/mailFolders/inbox/messages?$select=subject")
	assert.Len(t, values(first), 10)
	next := first["@odata.nextLink"].(string)
	assert.Contains(t, next, "/v1.0/me/mailFolders/inbox/messages?")
	assert.Contains(t, next, "$skip=10")
	assert.Contains(t, next, "$select=subject")

	seen := map[string]bool{}
	link := "/v1.0/me/mailFolders/inbox/messages?$top=4&$select=subject"
	for link != "" {
		page := f.get(t, link)
		for _, m := range values(page) {
			assert.False(t, seen[m["id"].(string)], "repeated message")
			seen[m["id"].(string)] = true
		}
		link, _ = page["@odata.nextLink"].(string)
	}
	assert.Len(t, seen, total)
}

func TestGraphCrossDialect(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	// Sent through Graph, read through Outlook v2.0.
	st, body, _ := f.do(t, "POST", "/v1.0/me/sendMail", `{"message":{"subject":"Graph hello","importance":"high",
		"body":{"contentType":"html","content":"<p>hi</p>"},
		"toRecipients":[{"emailAddress":{"address":"alex.wilber@contoso.com"}}],
		"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.txt","contentType":"text/plain","contentBytes":"aGVsbG8="}]},
		"saveToSentItems":true}`)
	require.Equal(t, http.StatusAccepted, st, body)
	st, v2, _ := f.do(t, "GET", "/api/v2.0/users/alex.wilber@contoso.com/mailfolders/inbox/messages?$filter=Subject%20eq%20'Graph%20hello'&$expand=Attachments", "")
	require.Equal(t, http.StatusOK, st, v2)
	got := values(v2)
	require.Len(t, got, 1)
	assert.Equal(t, "High", got[0]["Importance"])
	assert.Equal(t, "HTML", got[0]["Body"].(map[string]any)["ContentType"])
	att := got[0]["Attachments"].([]any)[0].(map[string]any)
	assert.Equal(t, "#Microsoft.OutlookServices.FileAttachment", att["@odata.type"])
	assert.Equal(t, "a.txt", att["Name"])
	id := got[0]["Id"].(string)

	// Changed through v2.0, read through Graph.
	st, _, _ = f.do(t, "PATCH", "/api/v2.0/users/alex.wilber@contoso.com/messages/"+esc(id), `{"IsRead":true,"Categories":["Red"]}`)
	require.Equal(t, http.StatusOK, st)
	g := f.get(t, "/v1.0/users/alex.wilber@contoso.com/messages/"+esc(id)+"?$select=isRead,categories")
	assert.Equal(t, true, g["isRead"])
	assert.Equal(t, []any{"Red"}, g["categories"])

	// Changed through Graph, read through v2.0.
	st, _, _ = f.do(t, "PATCH", "/v1.0/users/alex.wilber@contoso.com/messages/"+esc(id), `{"isRead":false,"flag":{"flagStatus":"flagged"}}`)
	require.Equal(t, http.StatusOK, st)
	st, v2m, _ := f.do(t, "GET", "/api/v2.0/users/alex.wilber@contoso.com/messages/"+esc(id), "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, false, v2m["IsRead"])
	assert.Equal(t, "Flagged", v2m["Flag"].(map[string]any)["FlagStatus"])

	// Reply drafts, move and copy answer 201 with the new message.
	st, draft, _ := f.do(t, "POST", "/v1.0/users/alex.wilber@contoso.com/messages/"+esc(id)+"/createReply", `{"comment":"Thanks"}`)
	require.Equal(t, http.StatusCreated, st, draft)
	assert.Equal(t, true, draft["isDraft"])
	assert.Equal(t, "RE: Graph hello", draft["subject"])
	st, moved, _ := f.do(t, "POST", "/v1.0/users/alex.wilber@contoso.com/messages/"+esc(id)+"/move", `{"destinationId":"archive"}`)
	require.Equal(t, http.StatusCreated, st, moved)
	assert.Equal(t, f.Mailbox.User("alex.wilber@contoso.com").FolderID("Archive"), moved["parentFolderId"])
	st, _, _ = f.do(t, "POST", "/v1.0/users/alex.wilber@contoso.com/messages/"+esc(moved["id"].(string))+"/copy", `{"destinationId":"inbox"}`)
	require.Equal(t, http.StatusCreated, st)
	st, _, _ = f.do(t, "POST", "/v1.0/users/alex.wilber@contoso.com/messages/"+esc(moved["id"].(string))+"/reply", `{"comment":"Got it"}`)
	require.Equal(t, http.StatusAccepted, st)
	sent := f.Mailbox.Sent()
	assert.Equal(t, "RE: Graph hello", sent[len(sent)-1].Subject)
}

func TestGraphDelta(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	// First round: every message, in pages, ending in a deltaLink.
	link := "/v1.0/me/mailFolders/inbox/messages/delta?$select=subject"
	var deltaLink string
	n := 0
	for link != "" {
		page := f.get(t, link, "Prefer", "odata.maxpagesize=5")
		n += len(values(page))
		link, _ = page["@odata.nextLink"].(string)
		if link != "" {
			assert.Contains(t, link, "/v1.0/me/mailFolders/inbox/messages/delta?")
			assert.Contains(t, link, "$skiptoken=")
		} else {
			deltaLink = page["@odata.deltaLink"].(string)
		}
	}
	assert.Positive(t, n)
	require.Contains(t, deltaLink, "$deltatoken=")
	assert.Contains(t, deltaLink, "$select=subject")

	// Changes through the other dialect show up in the next round.
	me := f.Mailbox.Me()
	ids := f.Mailbox.Me().SeedMessages("Inbox", office365test.SeedMessage{Subject: "New one", From: "alex.wilber@contoso.com"})
	gone := values(f.get(t, "/v1.0/me/mailFolders/inbox/messages?$top=1&$orderby=receivedDateTime&$select=subject"))[0]["id"].(string)
	st, _, _ := f.do(t, "DELETE", "/api/v2.0/me/messages/"+esc(gone), "")
	require.Equal(t, http.StatusNoContent, st)
	_ = me
	page := f.get(t, deltaLink)
	changes := values(page)
	require.Len(t, changes, 2, "%v", changes)
	assert.Equal(t, ids[0], changes[0]["id"])
	assert.Equal(t, "New one", changes[0]["subject"])
	assert.Equal(t, gone, changes[1]["id"])
	assert.Equal(t, map[string]any{"reason": "deleted"}, changes[1]["@removed"])
	assert.Equal(t, "#microsoft.graph.message", changes[1]["@odata.type"])

	// A token the mailbox does not know: 410 syncStateNotFound.
	st, body, hdr := f.do(t, "GET", "/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=bogus&$select=subject", "")
	assert.Equal(t, http.StatusGone, st)
	code, _ := graphErr(t, body)
	assert.Equal(t, "syncStateNotFound", code)
	assert.Equal(t, f.URL()+"/v1.0/me/mailFolders/inbox/messages/delta?$select=subject", hdr.Get("Location"))

	// Mailbox-wide message delta is not a Graph function.
	st, _, _ = f.do(t, "GET", "/v1.0/me/messages/delta", "")
	assert.Equal(t, http.StatusBadRequest, st)

	// Folder hierarchy delta.
	fd := f.get(t, "/v1.0/me/mailFolders/delta")
	folders := len(values(fd))
	for fd["@odata.nextLink"] != nil {
		fd = f.get(t, fd["@odata.nextLink"].(string))
		folders += len(values(fd))
	}
	assert.GreaterOrEqual(t, folders, 8)
	assert.Contains(t, fd["@odata.deltaLink"], "/v1.0/me/mailFolders/delta?$deltatoken=")
}

func TestGraphCalendarContactsPhoto(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	st, ev, _ := f.do(t, "POST", "/v1.0/me/events", `{"subject":"Weekly sync",
		"start":{"dateTime":"2026-12-07T10:00:00","timeZone":"Pacific Standard Time"},
		"end":{"dateTime":"2026-12-07T10:30:00","timeZone":"Pacific Standard Time"},
		"showAs":"busy","isReminderOn":true,
		"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},
			"range":{"type":"numbered","startDate":"2026-12-07","numberOfOccurrences":3}},
		"attendees":[{"emailAddress":{"address":"alex.wilber@contoso.com"},"type":"required"}]}`)
	require.Equal(t, http.StatusCreated, st, ev)
	assert.Equal(t, "seriesMaster", ev["type"])
	assert.Equal(t, "weekly", ev["recurrence"].(map[string]any)["pattern"].(map[string]any)["type"])
	id := ev["id"].(string)

	view := values(f.get(t, "/v1.0/me/calendarView?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z&$select=subject,type,showAs"))
	var occ int
	for _, e := range view {
		if e["subject"] == "Weekly sync" {
			occ++
			assert.Equal(t, "occurrence", e["type"])
			assert.Equal(t, "busy", e["showAs"])
		}
	}
	assert.Equal(t, 3, occ)
	inst := values(f.get(t, "/v1.0/me/events/"+esc(id)+"/instances?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z"))
	assert.Len(t, inst, 3)

	// The attendee accepts through Graph; the organizer sees it through v2.0.
	alexEvents := values(f.get(t, "/v1.0/users/alex.wilber@contoso.com/events?$filter=subject%20eq%20'Weekly%20sync'"))
	require.Len(t, alexEvents, 1)
	st, _, _ = f.do(t, "POST", "/v1.0/users/alex.wilber@contoso.com/events/"+esc(alexEvents[0]["id"].(string))+"/accept", `{"comment":"ok","sendResponse":true}`)
	require.Equal(t, http.StatusAccepted, st)
	st, org, _ := f.do(t, "GET", "/api/v2.0/me/events/"+esc(id), "")
	require.Equal(t, http.StatusOK, st)
	att := org["Attendees"].([]any)[0].(map[string]any)
	assert.Equal(t, "Accepted", att["Status"].(map[string]any)["Response"])
	g := f.get(t, "/v1.0/me/events/"+esc(id)+"?$select=attendees,recurrence")
	assert.Equal(t, "accepted", g["attendees"].([]any)[0].(map[string]any)["status"].(map[string]any)["response"])
	assert.Equal(t, []any{"monday"}, g["recurrence"].(map[string]any)["pattern"].(map[string]any)["daysOfWeek"])
	// Answering in Graph's spelling leaves the store's documents alone.
	st, org, _ = f.do(t, "GET", "/api/v2.0/me/events/"+esc(id), "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, []any{"Monday"}, org["Recurrence"].(map[string]any)["Pattern"].(map[string]any)["DaysOfWeek"])
	assert.Equal(t, "Weekly", org["Recurrence"].(map[string]any)["Pattern"].(map[string]any)["Type"])

	// A counter-proposal reaches the organizer's attendee entry.
	alexID := esc(alexEvents[0]["id"].(string))
	st, _, _ = f.do(t, "POST", "/v1.0/users/alex.wilber@contoso.com/events/"+alexID+"/accept", `{"proposedNewTime":{}}`)
	assert.Equal(t, http.StatusBadRequest, st, "accept takes no proposal")
	st, body, _ := f.do(t, "POST", "/v1.0/users/alex.wilber@contoso.com/events/"+alexID+"/tentativelyAccept", `{"comment":"later?",
		"proposedNewTime":{"start":{"dateTime":"2026-12-07T19:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T19:30:00","timeZone":"UTC"}}}`)
	require.Equal(t, http.StatusAccepted, st, body)
	g = f.get(t, "/v1.0/me/events/"+esc(id)+"?$select=attendees")
	a0 := g["attendees"].([]any)[0].(map[string]any)
	assert.Equal(t, "tentativelyAccepted", a0["status"].(map[string]any)["response"])
	assert.Equal(t, "2026-12-07T19:00:00", a0["proposedNewTime"].(map[string]any)["start"].(map[string]any)["dateTime"])

	rem := f.get(t, "/v1.0/me/reminderView(startDateTime='2026-12-01T00:00:00.0000000',endDateTime='2026-12-31T00:00:00.0000000')")
	assert.Len(t, values(rem), 3)
	assert.Contains(t, values(rem)[0], "eventSubject")

	cals := values(f.get(t, "/v1.0/me/calendars"))
	require.NotEmpty(t, cals)
	assert.Contains(t, cals[0], "name")
	assert.NotEmpty(t, values(f.get(t, "/v1.0/me/calendarGroups")))

	// Contacts: mobilePhone is the store's MobilePhone1.
	st, c, _ := f.do(t, "POST", "/v1.0/me/contacts", `{"givenName":"Pavel","surname":"Bansky","mobilePhone":"+1 555 0100",
		"emailAddresses":[{"address":"pavel@fabrikam.com","name":"Pavel"}]}`)
	require.Equal(t, http.StatusCreated, st, c)
	assert.Equal(t, "+1 555 0100", c["mobilePhone"])
	st, v2c, _ := f.do(t, "GET", "/api/v2.0/me/contacts/"+esc(c["id"].(string)), "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "+1 555 0100", v2c["MobilePhone1"])
	found := values(f.get(t, "/v1.0/me/contacts?$filter=mobilePhone%20eq%20'%2B1%20555%200100'&$select=givenName,mobilePhone"))
	require.Len(t, found, 1)
	assert.Equal(t, "Pavel", found[0]["givenName"])
	f.get(t, "/v1.0/me/contactFolders")

	// Photo: none yet, then set through Graph.
	p := f.get(t, "/v1.0/me/photo")
	assert.Equal(t, "1x1", p["id"])
	pic := squarePNG(t, 96)
	req, _ := http.NewRequest("PUT", f.URL()+"/v1.0/me/photo/$value", bytes.NewReader(pic))
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Content-Type", "image/png")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Less(t, resp.StatusCode, 300)
	st, raw, hdr := f.do(t, "GET", "/v1.0/me/photo/$value", "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "image/png", hdr.Get("Content-Type"))
	assert.Equal(t, string(pic), raw["raw"])
	assert.NotEmpty(t, values(f.get(t, "/v1.0/me/photos")))
}

func TestGraphExtensibility(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	id := values(f.get(t, "/v1.0/me/mailFolders/inbox/messages?$top=1&$select=subject"))[0]["id"].(string)
	const prop = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color"
	st, body, _ := f.do(t, "PATCH", "/v1.0/me/messages/"+esc(id), `{"singleValueExtendedProperties":[{"id":"`+prop+`","value":"Green"}],
		"multiValueExtendedProperties":[{"id":"StringArray {66f5a359-4659-4830-9070-00047ec6ac6e} Name Tags","value":["a","b"]}]}`)
	require.Equal(t, http.StatusOK, st, body)
	st, body, _ = f.do(t, "POST", "/v1.0/me/messages/"+esc(id)+"/extensions", `{"@odata.type":"microsoft.graph.openTypeExtension",
		"extensionName":"Com.Contoso.Referral","companyName":"Wingtip","dealValue":500}`)
	require.Equal(t, http.StatusCreated, st, body)
	assert.Equal(t, "microsoft.graph.openTypeExtension.Com.Contoso.Referral", body["id"])
	assert.Equal(t, "Wingtip", body["companyName"], "custom properties keep their names")

	q := url.Values{
		"$select": {"subject"},
		"$expand": {"singleValueExtendedProperties($filter=id eq '" + prop + "'),extensions($filter=id eq 'microsoft.graph.openTypeExtension.Com.Contoso.Referral')"},
	}
	m := f.get(t, "/v1.0/me/messages/"+esc(id)+"?"+q.Encode())
	assert.Equal(t, []any{map[string]any{"id": prop, "value": "Green"}}, m["singleValueExtendedProperties"])
	exts := m["extensions"].([]any)
	require.Len(t, exts, 1)
	assert.Equal(t, "#microsoft.graph.openTypeExtension", exts[0].(map[string]any)["@odata.type"])
	assert.EqualValues(t, 500, exts[0].(map[string]any)["dealValue"])

	one := f.get(t, "/v1.0/me/messages/"+esc(id)+"/extensions/microsoft.graph.openTypeExtension.Com.Contoso.Referral")
	assert.Equal(t, "Com.Contoso.Referral", one["extensionName"])

	q = url.Values{
		"$select": {"subject"},
		"$filter": {"singleValueExtendedProperties/any(ep: ep/id eq '" + prop + "' and ep/value eq 'Green')"},
	}
	hits := values(f.get(t, "/v1.0/me/messages?"+q.Encode()))
	require.Len(t, hits, 1)
	assert.Equal(t, id, hits[0]["id"])

	// The same property through v2.0.
	v2q := url.Values{"$expand": {"SingleValueExtendedProperties($filter=PropertyId eq '" + prop + "')"}}
	st, v2, _ := f.do(t, "GET", "/api/v2.0/me/messages/"+esc(id)+"?"+v2q.Encode(), "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, []any{map[string]any{"PropertyId": prop, "Value": "Green"}}, v2["SingleValueExtendedProperties"])
}

func TestGraphTodo(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	lists := values(f.get(t, "/v1.0/me/todo/lists"))
	require.NotEmpty(t, lists)
	def := lists[0]
	assert.Equal(t, "defaultList", def["wellknownListName"])
	assert.Equal(t, true, def["isOwner"])
	assert.NotContains(t, def, "isDefaultFolder")
	lid := def["id"].(string)

	dl := f.get(t, "/v1.0/me/todo/lists/"+esc(lid)+"/tasks/delta")
	deltaLink := dl["@odata.deltaLink"].(string)

	st, task, _ := f.do(t, "POST", "/v1.0/me/todo/lists/"+esc(lid)+"/tasks", `{"title":"Buy milk","importance":"high",
		"dueDateTime":{"dateTime":"2026-12-09T00:00:00","timeZone":"UTC"}}`)
	require.Equal(t, http.StatusCreated, st, task)
	assert.Equal(t, "Buy milk", task["title"])
	assert.Equal(t, "notStarted", task["status"])
	assert.NotContains(t, task, "subject")
	assert.NotContains(t, task, "parentFolderId")
	tid := task["id"].(string)

	// The store's task, seen through v2.0.
	st, v2, _ := f.do(t, "GET", "/api/v2.0/me/tasks/"+esc(tid), "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "Buy milk", v2["Subject"])
	assert.Equal(t, "High", v2["Importance"])

	st, att, _ := f.do(t, "POST", "/v1.0/me/todo/lists/"+esc(lid)+"/tasks/"+esc(tid)+"/attachments",
		`{"@odata.type":"#microsoft.graph.taskFileAttachment","name":"receipt.txt","contentType":"text/plain","contentBytes":"NDIgRVVS"}`)
	require.Equal(t, http.StatusCreated, st, att)
	assert.Equal(t, "#microsoft.graph.taskFileAttachment", att["@odata.type"])
	assert.Equal(t, "receipt.txt", att["name"])
	assert.NotContains(t, att, "isInline")
	assert.Len(t, values(f.get(t, "/v1.0/me/todo/lists/"+esc(lid)+"/tasks/"+esc(tid)+"/attachments")), 1)

	st, done, _ := f.do(t, "PATCH", "/v1.0/me/todo/lists/"+esc(lid)+"/tasks/"+esc(tid), `{"status":"completed"}`)
	require.Equal(t, http.StatusOK, st, done)
	assert.Equal(t, "completed", done["status"])

	found := values(f.get(t, "/v1.0/me/todo/lists/"+esc(lid)+"/tasks?$filter=title%20eq%20'Buy%20milk'"))
	require.Len(t, found, 1)

	// A task is only reachable through its own list.
	st, other, _ := f.do(t, "POST", "/v1.0/me/todo/lists", `{"displayName":"Groceries"}`)
	require.Equal(t, http.StatusCreated, st, other)
	assert.Equal(t, "none", other["wellknownListName"])
	st, body, _ := f.do(t, "GET", "/v1.0/me/todo/lists/"+esc(other["id"].(string))+"/tasks/"+esc(tid), "")
	assert.Equal(t, http.StatusNotFound, st)
	code, _ := graphErr(t, body)
	assert.Equal(t, "ErrorItemNotFound", code)

	changes := values(f.get(t, deltaLink))
	require.Len(t, changes, 1)
	assert.Equal(t, tid, changes[0]["id"])
	assert.Equal(t, "completed", changes[0]["status"])
}

func TestGraphBatch(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	batch := `{"requests":[
		{"id":"1","method":"POST","url":"/me/messages","headers":{"Content-Type":"application/json"},"body":{"subject":"Batched draft"}},
		{"id":"2","method":"GET","url":"/me/messages?$filter=subject%20eq%20'Batched%20draft'&$select=subject","dependsOn":["1"]},
		{"id":"3","method":"GET","url":"/me/messages/does-not-exist"},
		{"id":"4","method":"GET","url":"/me/mailFolders/inbox","dependsOn":["3"]},
		{"id":"5","method":"PUT","url":"users/alex.wilber@contoso.com/photo/$value","headers":{"Content-Type":"image/png"},"body":"` + base64.StdEncoding.EncodeToString(squarePNG(t, 64)) + `"},
		{"id":"6","method":"GET","url":"users/alex.wilber@contoso.com/photo/$value","dependsOn":["5"]}]}`
	st, body, _ := f.do(t, "POST", "/v1.0/$batch", batch)
	require.Equal(t, http.StatusOK, st, body)
	byID := map[string]map[string]any{}
	for _, r := range body["responses"].([]any) {
		byID[r.(map[string]any)["id"].(string)] = r.(map[string]any)
	}
	require.Len(t, byID, 6)
	assert.EqualValues(t, 201, byID["1"]["status"])
	assert.Equal(t, "Batched draft", byID["1"]["body"].(map[string]any)["subject"])
	assert.EqualValues(t, 200, byID["2"]["status"])
	assert.Len(t, byID["2"]["body"].(map[string]any)["value"], 1)
	assert.EqualValues(t, 404, byID["3"]["status"])
	code, _ := graphErr(t, byID["3"]["body"].(map[string]any))
	assert.Equal(t, "ErrorItemNotFound", code)
	assert.EqualValues(t, 424, byID["4"]["status"])
	assert.Less(t, byID["5"]["status"], float64(300))
	assert.EqualValues(t, 200, byID["6"]["status"])
	assert.Equal(t, "image/png", byID["6"]["headers"].(map[string]any)["Content-Type"])
	pic, err := base64.StdEncoding.DecodeString(byID["6"]["body"].(string))
	require.NoError(t, err, "binary bodies are base64")
	assert.Equal(t, squarePNG(t, 64), pic)

	// Each item runs through the server: its faults and request log.
	fault := f.InjectFault(&office365test.Fault{PathContains: "/v1.0/me/mailFolders/inbox", Status: 429, RetryAfter: "3", Times: 1})
	st, body, _ = f.do(t, "POST", "/v1.0/$batch", `{"requests":[{"id":"a","method":"GET","url":"/me/mailFolders/inbox"},{"id":"b","method":"GET","url":"/me/mailFolders/drafts"}]}`)
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, 1, fault.Hits())
	for _, r := range body["responses"].([]any) {
		r := r.(map[string]any)
		switch r["id"] {
		case "a":
			assert.EqualValues(t, 429, r["status"])
			assert.Equal(t, "3", r["headers"].(map[string]any)["Retry-After"])
		case "b":
			assert.EqualValues(t, 200, r["status"])
		}
	}
	var logged int
	for _, r := range f.Requests() {
		if strings.HasPrefix(r.Path, "/v1.0/me/mailFolders/") {
			logged++
		}
	}
	assert.Equal(t, 2, logged)

	// Malformed batches: 400.
	var many []string
	for i := range 21 {
		many = append(many, `{"id":"`+string(rune('a'+i))+`","method":"GET","url":"/me"}`)
	}
	for name, b := range map[string]string{
		"too many":        `{"requests":[` + strings.Join(many, ",") + `]}`,
		"duplicate id":    `{"requests":[{"id":"1","method":"GET","url":"/me/messages"},{"id":"1","method":"GET","url":"/me/messages"}]}`,
		"unknown depends": `{"requests":[{"id":"1","method":"GET","url":"/me/messages","dependsOn":["9"]}]}`,
		"no content type": `{"requests":[{"id":"1","method":"POST","url":"/me/messages","body":{"subject":"x"}}]}`,
		"not json":        `{"requests":`,
	} {
		st, body, _ := f.do(t, "POST", "/v1.0/$batch", b)
		assert.Equal(t, http.StatusBadRequest, st, name)
		code, _ := graphErr(t, body)
		assert.Equal(t, "BadRequest", code, name)
	}
}

// receiver is a webhook endpoint for Graph change notifications.
type receiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  []map[string]any
	fail bool
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("validationToken"); tok != "" {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, tok)
			return
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.fail {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		var body struct{ Value []map[string]any }
		_ = json.NewDecoder(r.Body).Decode(&body)
		for _, v := range body.Value {
			v["path"] = r.URL.Path
			rc.got = append(rc.got, v)
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) notes() []map[string]any {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]map[string]any(nil), rc.got...)
}

func TestGraphSubscriptions(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t, office365test.GraphRetry(1, time.Millisecond))
	rc := newReceiver(t)
	exp := f.Now().Add(2 * 24 * time.Hour).UTC().Format(time.RFC3339)
	st, sub, _ := f.do(t, "POST", "/v1.0/subscriptions", `{"changeType":"created,updated","notificationUrl":"`+rc.srv.URL+`/notify",
		"lifecycleNotificationUrl":"`+rc.srv.URL+`/lifecycle","resource":"me/mailFolders('inbox')/messages",
		"expirationDateTime":"`+exp+`","clientState":"secret"}`)
	require.Equal(t, http.StatusCreated, st, sub)
	subID := sub["id"].(string)
	assert.Equal(t, "created,updated", sub["changeType"])
	assert.Equal(t, "me/mailFolders('inbox')/messages", sub["resource"])
	require.Len(t, f.Graph.Subscriptions(), 1)

	// Alex mails Adele through v2.0: a created notification for her inbox.
	st, _, _ = f.do(t, "POST", "/api/v2.0/users/alex.wilber@contoso.com/sendmail", `{"Message":{"Subject":"Ping","ToRecipients":[{"EmailAddress":{"Address":"adele.vance@contoso.com"}}]}}`)
	require.Equal(t, http.StatusAccepted, st)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, f.Graph.Wait(ctx))
	notes := rc.notes()
	require.NotEmpty(t, notes)
	n := notes[0]
	assert.Equal(t, "/notify", n["path"])
	assert.Equal(t, subID, n["subscriptionId"])
	assert.Equal(t, "created", n["changeType"])
	assert.Equal(t, "secret", n["clientState"])
	assert.NotEmpty(t, n["tenantId"])
	assert.NotEmpty(t, n["subscriptionExpirationDateTime"])
	rd := n["resourceData"].(map[string]any)
	assert.Equal(t, "#Microsoft.Graph.Message", rd["@odata.type"])
	oid := strings.Split(f.Mailbox.Me().ID, "@")[0]
	assert.Equal(t, "Users('"+oid+"')/Messages('"+rd["id"].(string)+"')", n["resource"])
	assert.Equal(t, n["resource"], rd["@odata.id"])
	st, msg, _ := f.do(t, "GET", "/v1.0/users/"+oid+"/messages/"+esc(rd["id"].(string))+"?$select=subject", "")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "Ping", msg["subject"])

	// Renew; limits are enforced.
	st, renewed, _ := f.do(t, "PATCH", "/v1.0/subscriptions/"+subID, `{"expirationDateTime":"`+f.Now().Add(3*24*time.Hour).UTC().Format(time.RFC3339)+`"}`)
	require.Equal(t, http.StatusOK, st, renewed)
	st, _, _ = f.do(t, "PATCH", "/v1.0/subscriptions/"+subID, `{"expirationDateTime":"`+f.Now().Add(8*24*time.Hour).UTC().Format(time.RFC3339)+`"}`)
	assert.Equal(t, http.StatusBadRequest, st)

	// A failing receiver: the notifications are missed.
	rc.mu.Lock()
	rc.fail = true
	rc.mu.Unlock()
	f.Mailbox.Me().SeedMessages("Inbox", office365test.SeedMessage{Subject: "Lost", From: "alex.wilber@contoso.com"})
	require.NoError(t, f.Graph.Wait(ctx))
	rc.mu.Lock()
	rc.fail = false
	rc.mu.Unlock()
	// The lifecycle POST failed too while the receiver was down; ask again.
	require.True(t, f.Graph.RequireReauthorization(subID))
	require.NoError(t, f.Graph.Wait(ctx))
	require.True(t, f.Graph.RemoveSubscription(subID))
	require.NoError(t, f.Graph.Wait(ctx))
	var events []any
	for _, n := range rc.notes() {
		if n["path"] == "/lifecycle" {
			events = append(events, n["lifecycleEvent"])
		}
	}
	assert.Equal(t, []any{"reauthorizationRequired", "subscriptionRemoved"}, events)
	var missed bool
	for _, d := range f.Graph.Deliveries() {
		if d.Lifecycle && strings.Contains(string(d.Body), `"missed"`) {
			missed = true
		}
	}
	assert.True(t, missed, "a missed lifecycle notification was attempted")
	assert.Empty(t, f.Graph.Subscriptions())
	st, _, _ = f.do(t, "GET", "/v1.0/subscriptions/"+subID, "")
	assert.Equal(t, http.StatusNotFound, st)

	// Bad subscriptions.
	for name, b := range map[string]string{
		"expiration too far": `{"changeType":"created","notificationUrl":"` + rc.srv.URL + `","resource":"me/messages","expirationDateTime":"` + f.Now().Add(30*24*time.Hour).UTC().Format(time.RFC3339) + `"}`,
		"bad change type":    `{"changeType":"moved","notificationUrl":"` + rc.srv.URL + `","resource":"me/messages","expirationDateTime":"` + exp + `"}`,
		"bad resource":       `{"changeType":"created","notificationUrl":"` + rc.srv.URL + `","resource":"me/unknown","expirationDateTime":"` + exp + `"}`,
		"plain http":         `{"changeType":"created","notificationUrl":"http://example.com/hook","resource":"me/messages","expirationDateTime":"` + exp + `"}`,
	} {
		st, body, _ := f.do(t, "POST", "/v1.0/subscriptions", b)
		assert.Equal(t, http.StatusBadRequest, st, name)
		code, _ := graphErr(t, body)
		assert.Equal(t, "InvalidRequest", code, name)
	}

	// A receiver that does not echo the token fails validation.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "nope") }))
	defer bad.Close()
	st, _, _ = f.do(t, "POST", "/v1.0/subscriptions", `{"changeType":"created","notificationUrl":"`+bad.URL+`","resource":"me/messages","expirationDateTime":"`+exp+`"}`)
	assert.Equal(t, http.StatusBadRequest, st)
}

func TestGraphSubscriptionFilter(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	rc := newReceiver(t)
	exp := f.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	st, sub, _ := f.do(t, "POST", "/v1.0/subscriptions", `{"changeType":"created,updated,deleted","notificationUrl":"`+rc.srv.URL+`",
		"resource":"me/messages?$filter=isRead eq false","expirationDateTime":"`+exp+`"}`)
	require.Equal(t, http.StatusCreated, st, sub)
	id := values(f.get(t, "/v1.0/me/mailFolders/inbox/messages?$filter=isRead%20eq%20false&$top=1&$select=subject"))[0]["id"].(string)
	// Leaving the filter is a deletion.
	st, _, _ = f.do(t, "PATCH", "/v1.0/me/messages/"+esc(id), `{"isRead":true}`)
	require.Equal(t, http.StatusOK, st)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, f.Graph.Wait(ctx))
	notes := rc.notes()
	require.Len(t, notes, 1)
	assert.Equal(t, "deleted", notes[0]["changeType"])
	assert.Nil(t, notes[0]["clientState"])
}

// squarePNG encodes a size×size image.
func squarePNG(t *testing.T, size int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for i := range size {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestGraphSubscriptionResources(t *testing.T) {
	t.Parallel()
	f := newGraphFake(t)
	rc := newReceiver(t)
	exp := f.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	lid := values(f.get(t, "/v1.0/me/todo/lists"))[0]["id"].(string)
	subs := map[string]string{}
	for _, res := range []string{"me/events", "users/adele.vance@contoso.com/contacts", "me/todo/lists('" + lid + "')/tasks"} {
		st, sub, _ := f.do(t, "POST", "/v1.0/subscriptions", `{"changeType":"created","notificationUrl":"`+rc.srv.URL+`",
			"resource":"`+res+`","expirationDateTime":"`+exp+`","clientState":"s"}`)
		require.Equal(t, http.StatusCreated, st, sub)
		subs[sub["id"].(string)] = res
	}
	st, list, _ := f.do(t, "GET", "/v1.0/subscriptions", "")
	require.Equal(t, http.StatusOK, st)
	assert.Len(t, values(list), 3)

	for _, c := range []struct{ path, body string }{
		{"/v1.0/me/events", `{"subject":"E","start":{"dateTime":"2026-12-09T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-09T11:00:00","timeZone":"UTC"}}`},
		{"/api/v2.0/me/contacts", `{"GivenName":"C"}`},
		{"/v1.0/me/todo/lists/" + esc(lid) + "/tasks", `{"title":"T"}`},
	} {
		st, body, _ := f.do(t, "POST", c.path, c.body)
		require.Equal(t, http.StatusCreated, st, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, f.Graph.Wait(ctx))
	types := map[string]string{}
	for _, n := range rc.notes() {
		types[subs[n["subscriptionId"].(string)]] = n["resourceData"].(map[string]any)["@odata.type"].(string)
		assert.Equal(t, "created", n["changeType"])
	}
	assert.Equal(t, map[string]string{
		"me/events":                              "#Microsoft.Graph.Event",
		"users/adele.vance@contoso.com/contacts": "#Microsoft.Graph.Contact",
		"me/todo/lists('" + lid + "')/tasks":     "#Microsoft.Graph.todoTask",
	}, types)
}

// Close does not wait for a receiver that hangs.
func TestGraphCloseWithHungReceiver(t *testing.T) {
	t.Parallel()
	f := office365test.Start(nil)
	defer f.Server.Close()
	release := make(chan struct{})
	hung := make(chan struct{}, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("validationToken"); tok != "" {
			_, _ = io.WriteString(w, tok)
			return
		}
		select {
		case hung <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hook.Close()
	defer close(release)
	gf := &graphFake{f}
	exp := f.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	st, body, _ := gf.do(t, "POST", "/v1.0/subscriptions", `{"changeType":"created","notificationUrl":"`+hook.URL+`","resource":"me/messages","expirationDateTime":"`+exp+`"}`)
	require.Equal(t, http.StatusCreated, st, body)
	f.Mailbox.Me().SeedMessages("Inbox", office365test.SeedMessage{Subject: "x", From: "alex.wilber@contoso.com"})
	<-hung
	done := make(chan struct{})
	go func() {
		f.Push.Close()
		f.Graph.Close()
		f.Streaming.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for the hung receiver")
	}
}
