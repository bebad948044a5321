package auth

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRedactEveryEncoding: identity-platform errors quote what the server
// sent; secrets in it are removed whatever their encoding.
func TestRedactEveryEncoding(t *testing.T) {
	for _, in := range []string{
		`{"error_uri":"https:\/\/login\/?x=1\u0026code=SECRET1\u0026y=2"}`,
		`<a href="https://login/?x=1&amp;code=SECRET2&amp;y=2">`,
		`redirect https://app/cb#access_token=SECRET3&token_type=Bearer`,
		"Authorization: Basic SECRET4\r\n",
		`{"echo":"client_secret=SECRET5"}`,
		`{"refresh_token":"SECRET6"}`,
		`Bearer ab\/cd\u002BSECRET7==`,
	} {
		out := redact(in, []string{"known-client-secret"})
		assert.NotContains(t, out, "SECRET", "input %q", in)
		assert.Contains(t, out, "[REDACTED]", "input %q", in)
		assert.NotContains(t, out, "[[", "one placeholder")
	}
	assert.Equal(t, "secret [REDACTED] here", redact("secret known-client-secret here", []string{"known-client-secret"}))
}
