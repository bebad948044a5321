// Package office365test is an in-process fake of the Microsoft 365 services
// this module talks to: the Service Communications API (a realistic tenant),
// the Outlook REST API v2.0 (an in-memory mailbox) and Outlook streaming
// notifications. Examples run against it when no credentials are configured;
// applications use it for integration tests.
//
// # Using the fake
//
// NewServer starts an httptest server; API fakes mount themselves on it.
// Point any client at it with office365.WithBaseURL(server.URL()) and a
// static token (auth.StaticToken): the server accepts any bearer token unless
// WithTokenValidator says otherwise.
//
// # Assertions and faults
//
// Requests returns the request log (the Authorization header is redacted).
// InjectFault arms failures: latency, a status with Retry-After, an HTML
// error page, a stall, a connection dropped after N bytes, or a request that
// is processed and then never answered.
//
// # Identity
//
// Entra is a fake Microsoft identity platform (token, device-code and
// authorization endpoints) that MSAL for Go can be pointed at, so
// authentication is tested through MSAL's real code paths.
//
// # Fixtures
//
// Recorder and Replayer are http.RoundTrippers that record interactions to
// a file under testdata/ (scrubbing Authorization, tokens, client secrets and
// optionally e-mail addresses) and replay them in tests.
package office365test
