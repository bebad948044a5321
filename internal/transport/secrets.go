package transport

import (
	"slices"
	"strings"
)

// secretParamNames are the query parameters and form fields whose values are
// secrets wherever they appear: OAuth 2.0 tokens, codes and client
// credentials, passwords, signatures and API keys. RedactURL redacts them
// (and more, see sensitiveParam) in logs and errors; office365test's
// recorder scrubs exactly these from fixtures. Paging and delta state
// ($skiptoken, $deltatoken) is not in the list: fixtures need it to replay.
var secretParamNames = []string{
	"access_token", "refresh_token", "id_token", "client_secret", "client_assertion",
	"code", "code_verifier", "device_code", "password", "assertion",
	"sig", "signature", "token", "key", "api_key", "subscription_key", "client_state",
}

// SecretParamNames returns the names of query parameters and form fields
// whose values are always secret (in their canonical snake_case spelling;
// compare with NormalizeParamName).
func SecretParamNames() []string { return slices.Clone(secretParamNames) }

var secretParamSet = func() map[string]bool {
	m := make(map[string]bool, len(secretParamNames))
	for _, n := range secretParamNames {
		m[NormalizeParamName(n)] = true
	}
	return m
}()

// IsSecretParam reports whether name (compared with NormalizeParamName) is
// one of SecretParamNames.
func IsSecretParam(name string) bool { return secretParamSet[NormalizeParamName(name)] }

// NormalizeParamName folds a parameter or field name for comparison: ASCII
// case is ignored, as are '_' and '-', so access_token, AccessToken and
// Access-Token are the same name.
func NormalizeParamName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '_' || r == '-':
			continue
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
