package office365test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const scrubTestJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"

func TestScrubNormalizeName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"access_token": "accesstoken",
		"AccessToken":  "accesstoken",
		"Access-Token": "accesstoken",
		"ClientState":  "clientstate",
		"$skiptoken":   "$skiptoken",
		"":             "",
	} {
		assert.Equal(t, want, normalizeName(in), in)
	}
}

func TestScrubRedactTokens(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"bearer header value", "Bearer abc.DEF-123_xyz", "Bearer REDACTED"},
		{"lower-case scheme", "bearer Zm9vYmFyYmF6cXV4", "bearer REDACTED"},
		{"token68 padding", "Authorization: Bearer dG9rZW4= next", "Authorization: Bearer REDACTED next"},
		{"short token with punctuation", "Bearer secret-token", "Bearer REDACTED"},
		{"inside JSON string", `{"h":"Bearer EwBwA8l6BAAU7p9QDpi"}`, `{"h":"Bearer REDACTED"}`},
		{"padded token in JSON string", `{"h":"Bearer abc=="}`, `{"h":"Bearer REDACTED"}`},
		{"jwt anywhere", "token " + scrubTestJWT + " end", "token REDACTED end"},
		{"bearer jwt", "Bearer " + scrubTestJWT, "Bearer REDACTED"},
		{"challenge params kept", `Bearer realm="office365test", error="invalid_token"`, `Bearer realm="office365test", error="invalid_token"`},
		{"authorization_uri kept", `Bearer authorization_uri="https://login"`, `Bearer authorization_uri="https://login"`},
		{"prose kept", "The bearer token is invalid.", "The bearer token is invalid."},
		{"already redacted", "Bearer REDACTED", "Bearer REDACTED"},
		{"no token", "Access token is empty or invalid.", "Access token is empty or invalid."},
		{"two tokens", "Bearer AAAA1111 and Bearer BBBB2222", "Bearer REDACTED and Bearer REDACTED"},
		{"secret parameter in a URL", `{"link":"https://app.example/cb?state=s&code=abc123&x=1"}`, `{"link":"https://app.example/cb?state=s&code=REDACTED&x=1"}`},
		{"sas signature in a URL", "https://blob.example/f?sv=1&SIG=a%2Bb%3D end", "https://blob.example/f?sv=1&SIG=REDACTED end"},
		{"paging token in a URL kept", "https://o.example/m?$skiptoken=abc&$deltatoken=def", "https://o.example/m?$skiptoken=abc&$deltatoken=def"},
		{"parameter-like prose kept", "error code=42", "error code=42"},
		{"upload session token in a URL", `{"uploadUrl":"https://outlook.office.com/api/v2.0/Users('u')/Messages('m')/AttachmentSessions('s')?authtoken=Opaque0123-xyz"}`,
			`{"uploadUrl":"https://outlook.office.com/api/v2.0/Users('u')/Messages('m')/AttachmentSessions('s')?authtoken=REDACTED"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, redactTokens(tt.in))
		})
	}
}

func TestScrubFindEmails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"alice@contoso.com", []string{"alice@contoso.com"}},
		{"To: Alice.Smith+x@mail.Contoso.co.uk, bob@fabrikam.net.", []string{"Alice.Smith+x@mail.Contoso.co.uk", "bob@fabrikam.net"}},
		{"'alice@contoso.com'", []string{"alice@contoso.com"}},
		{"/users/alice@contoso.com/messages", []string{"alice@contoso.com"}},
		{"alice", nil},
		{"alice@contoso", nil},
		{"@contoso.com", nil},
		{`"Attachments@odata.navigationLink"`, nil},
		{`"content@microsoft.graph.downloadUrl"`, nil},
		{`"value@Some.nextLink"`, nil},
		{"ADMIN@CONTOSO.COM", []string{"ADMIN@CONTOSO.COM"}},
		{"admin@microsoft.com", []string{"admin@microsoft.com"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range findEmails(tt.in) {
			got = append(got, tt.in[m[0]:m[1]])
		}
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestScrubTextEmails(t *testing.T) {
	t.Parallel()
	s := newScrubber(true, nil, nil)
	assert.Equal(t, "from user1@example.com to user2@example.com", s.text("from alice@contoso.com to bob@contoso.com"))
	assert.Equal(t, "again user1@example.com", s.text("again Alice@Contoso.com"), "same address, any case, same pseudonym")
	assert.Equal(t, "user3@example.com", s.text("carol@contoso.com"))
	assert.Equal(t, "alice, alice@contoso", s.text("alice, alice@contoso"))

	off := newScrubber(false, nil, nil)
	assert.Equal(t, "alice@contoso.com", off.text("alice@contoso.com"), "e-mails are kept without the option")
}

func TestScrubQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		emails bool
		in     string
		want   string
	}{
		{"empty", false, "", ""},
		{"access_token", false, "a=1&access_token=xyz&b=2", "a=1&access_token=REDACTED&b=2"},
		{"oauth code and secrets", false, "code=abc&client_secret=s3cr3t&client_assertion=ey&refresh_token=r", "code=REDACTED&client_secret=REDACTED&client_assertion=REDACTED&refresh_token=REDACTED"},
		{"sas signature", false, "sv=2020&sig=abc%2Bdef%3D", "sv=2020&sig=REDACTED"},
		{"case-insensitive names", false, "Access_Token=x&CLIENT_SECRET=y", "Access_Token=REDACTED&CLIENT_SECRET=REDACTED"},
		{"escaped name", false, "client%5Fsecret=y", "client%5Fsecret=REDACTED"},
		{"paging state kept", false, "$skiptoken=X%27abc%27&$deltatoken=Y1&%24top=10", "$skiptoken=X%27abc%27&$deltatoken=Y1&%24top=10"},
		{"validationtoken kept", false, "validationtoken=abc123", "validationtoken=abc123"},
		{"upload session authtoken", false, "authtoken=Opaque0123-xyz", "authtoken=REDACTED"},
		{"empty secret kept", false, "code=&x", "code=&x"},
		{"jwt in other value", false, "state=" + scrubTestJWT, "state=REDACTED"},
		{"form body", false, "grant_type=client_credentials&client_id=app&client_secret=abc%2Bdef&scope=https%3A%2F%2Foutlook.office.com%2F.default", "grant_type=client_credentials&client_id=app&client_secret=REDACTED&scope=https%3A%2F%2Foutlook.office.com%2F.default"},
		{"password grant", false, "username=alice&password=hunter2&code_verifier=v", "username=alice&password=REDACTED&code_verifier=REDACTED"},
		{"emails kept without option", false, "$filter=from%2FemailAddress%2Faddress%20eq%20%27alice%40contoso.com%27", "$filter=from%2FemailAddress%2Faddress%20eq%20%27alice%40contoso.com%27"},
		{"escaped email", true, "$filter=address%20eq%20%27alice%40contoso.com%27", "$filter=address%20eq%20%27user1%40example.com%27"},
		{"raw email", true, "$filter=address eq 'alice@contoso.com'", "$filter=address eq 'user1@example.com'"},
		{"plus-encoded email", true, "login_hint=alice%2Bx%40contoso.com", "login_hint=user1%40example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newScrubber(tt.emails, nil, nil)
			got := s.query(tt.in)
			assert.Equal(t, tt.want, got)
			if tt.emails {
				assert.NotContains(t, got, "contoso")
			}
		})
	}
}

func TestScrubComponentFallsBackToCanonicalEscaping(t *testing.T) {
	t.Parallel()
	s := newScrubber(true, nil, nil)
	// %61 is an escaped 'a': the address cannot be replaced in place.
	got := s.component("%61lice%40contoso.com", url.QueryUnescape, escapeQueryComponent)
	dec, err := url.QueryUnescape(got)
	require.NoError(t, err)
	assert.Equal(t, "user1@example.com", dec)
}

func TestScrubURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		emails bool
		in     string
		want   string
	}{
		{"plain", false, "https://outlook.office.com/api/v2.0/me/messages?$top=10", "https://outlook.office.com/api/v2.0/me/messages?$top=10"},
		{"secret query", false, "https://login.example/token?code=abc&state=xyz", "https://login.example/token?code=REDACTED&state=xyz"},
		{"user info and fragment dropped", false, "https://user:pass@host.example/p#frag", "https://host.example/p"},
		{"email in path kept without option", false, "https://outlook.office.com/api/v2.0/users/alice@contoso.com/messages", "https://outlook.office.com/api/v2.0/users/alice@contoso.com/messages"},
		{"email in path", true, "https://outlook.office.com/api/v2.0/users/alice@contoso.com/messages", "https://outlook.office.com/api/v2.0/users/user1@example.com/messages"},
		{"escaped email in path", true, "https://outlook.office.com/api/v2.0/users/alice%40contoso.com/messages", "https://outlook.office.com/api/v2.0/users/user1%40example.com/messages"},
		{"email in key segment", true, "https://outlook.office.com/api/v2.0/users('alice@contoso.com')/messages?$filter=x%20eq%20%27alice%40contoso.com%27", "https://outlook.office.com/api/v2.0/users('user1@example.com')/messages?$filter=x%20eq%20%27user1%40example.com%27"},
		{"escaped id kept", true, "https://outlook.office.com/api/v2.0/me/messages/AAMk%2FAA%3D", "https://outlook.office.com/api/v2.0/me/messages/AAMk%2FAA%3D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, newScrubber(tt.emails, nil, nil).url(u))
			assert.Equal(t, tt.in, u.String(), "the input URL is not modified")
		})
	}
	assert.Empty(t, newScrubber(false, nil, nil).url(nil))
}

func TestScrubHeader(t *testing.T) {
	t.Parallel()
	in := http.Header{
		"Authorization":   {"Bearer secret-token"},
		"Cookie":          {"session=abc"},
		"Set-Cookie":      {"a=1; HttpOnly", "b=2"},
		"x-custom-secret": {"shh"},
		"X-Anchormailbox": {"alice@contoso.com"},
		"Content-Length":  {"42"},
		"Content-Type":    {"application/json"},
		"X-Debug":         {"Bearer EwBwA8l6BAAU7p9QDpi"},
		"Location":        {"https://app.example/callback?code=the-code&state=1"},
	}
	t.Run("defaults", func(t *testing.T) {
		t.Parallel()
		got := newScrubber(false, nil, nil).header(in)
		assert.Equal(t, http.Header{
			"Authorization":   {"Bearer REDACTED"},
			"Cookie":          {"REDACTED"},
			"Set-Cookie":      {"REDACTED", "REDACTED"},
			"X-Custom-Secret": {"shh"},
			"X-Anchormailbox": {"alice@contoso.com"},
			"Content-Type":    {"application/json"},
			"X-Debug":         {"Bearer REDACTED"},
			"Location":        {"https://app.example/callback?code=REDACTED&state=1"},
		}, got)
	})
	t.Run("options", func(t *testing.T) {
		t.Parallel()
		got := newScrubber(true, []string{"X-CUSTOM-SECRET"}, nil).header(in)
		assert.Equal(t, []string{"REDACTED"}, got["X-Custom-Secret"])
		assert.Equal(t, []string{"user1@example.com"}, got["X-Anchormailbox"])
	})
	assert.Equal(t, "Basic REDACTED", redactHeaderValue("Authorization", "Basic dXNlcjpwYXNz"))
	assert.Equal(t, "REDACTED", redactHeaderValue("Authorization", "opaque"))
	assert.Nil(t, newScrubber(false, nil, nil).header(nil))
	assert.Equal(t, "Bearer secret-token", in.Get("Authorization"), "the input header is not modified")
}

func TestScrubRedactJSONFields(t *testing.T) {
	t.Parallel()
	s := newScrubber(false, nil, []string{"apiKey"})
	secret := func(name string) bool { return s.jsonFields[normalizeName(name)] }
	tests := []struct{ name, in, want string }{
		{"token response", `{"token_type":"Bearer","expires_in":3599,"access_token":"at","refresh_token":"rt","id_token":"it"}`,
			`{"token_type":"Bearer","expires_in":3599,"access_token":"REDACTED","refresh_token":"REDACTED","id_token":"REDACTED"}`},
		{"nested and case-insensitive", `{"a":{"Client_Secret":"x","b":[{"PASSWORD":"p"},{"AccessToken":"t"}]}}`,
			`{"a":{"Client_Secret":"REDACTED","b":[{"PASSWORD":"REDACTED"},{"AccessToken":"REDACTED"}]}}`},
		{"client state", `{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","ClientState":"c0ffee","Resource":"me/messages"}`,
			`{"@odata.type":"#Microsoft.OutlookServices.PushSubscription","ClientState":"REDACTED","Resource":"me/messages"}`},
		{"non-string values", `{"password":{"x":1},"client_secret":[1,2],"ClientState":42}`,
			`{"password":"REDACTED","client_secret":"REDACTED","ClientState":"REDACTED"}`},
		{"null and empty kept", `{"ClientState":null,"password":""}`, `{"ClientState":null,"password":""}`},
		{"custom field", `{"apiKey":"k","api_key":"k2"}`, `{"apiKey":"REDACTED","api_key":"REDACTED"}`},
		{"values named like secrets kept", `{"name":"password","code":"ErrorItemNotFound"}`, `{"name":"password","code":"ErrorItemNotFound"}`},
		{"order, numbers and escapes kept", `{"z":1.50,"a":"\u00e9\n","m":1e3}`, `{"z":1.50,"a":"\u00e9\n","m":1e3}`},
		{"duplicate names", `{"password":"a","password":"b"}`, `{"password":"REDACTED","password":"REDACTED"}`},
		{"top-level array", `[{"password":"a"},"password"]`, `[{"password":"REDACTED"},"password"]`},
		{"whitespace compacted", "{ \"a\" : [ 1 , 2 ] }\n", `{"a":[1,2]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := redactJSONFields([]byte(tt.in), secret, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
	_, err := redactJSONFields([]byte(`{"a":`), secret, nil)
	assert.Error(t, err)
}

func TestScrubBody(t *testing.T) {
	t.Parallel()
	jsonH := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	formH := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	textH := http.Header{"Content-Type": {"text/plain"}}
	tests := []struct {
		name   string
		emails bool
		h      http.Header
		in     string
		want   string
	}{
		{"empty", false, jsonH, "", ""},
		{"json", false, jsonH, `{"client_secret":"s","to":"alice@contoso.com"}`, `{"client_secret":"REDACTED","to":"alice@contoso.com"}`},
		{"json with emails", true, jsonH, `{"client_secret":"s","to":"alice@contoso.com","Attachments@odata.navigationLink":"x"}`, `{"client_secret":"REDACTED","to":"user1@example.com","Attachments@odata.navigationLink":"x"}`},
		{"json without content type", false, nil, `{"password":"p"}`, `{"password":"REDACTED"}`},
		{"json with bearer text", false, jsonH, `{"note":"sent Bearer EwBwA8l6BAAU7p9QDpi"}`, `{"note":"sent Bearer REDACTED"}`},
		{"form", false, formH, "grant_type=refresh_token&refresh_token=rt&client_id=app", "grant_type=refresh_token&refresh_token=REDACTED&client_id=app"},
		{"text", true, textH, "Hello alice@contoso.com, your token is Bearer EwBwA8l6BAAU7p9QDpi", "Hello user1@example.com, your token is Bearer REDACTED"},
		{"binary scrubbed", false, nil, "\xff\xfeBearer EwBwA8l6BAAU7p9QDpi", "\xff\xfeBearer REDACTED"},
		{"binary without secrets unchanged", false, nil, "\xff\xd8\xff\xe0JFIF\x00\x01 plain bytes", "\xff\xd8\xff\xe0JFIF\x00\x01 plain bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := newScrubber(tt.emails, nil, nil).body([]byte(tt.in), tt.h)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestScrubMediaType(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "application/x-www-form-urlencoded", mediaType("Application/X-WWW-Form-Urlencoded; charset=UTF-8"))
	assert.Equal(t, "application/json", mediaType("application/json;odata.metadata=minimal;odata.streaming=true"))
	assert.Equal(t, "text/plain", mediaType("text/plain; ;;bad"))
	assert.Empty(t, mediaType(""))
}
