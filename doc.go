// Package office365 holds what the service clients of this module share: the
// Options every client constructor accepts, the Error every failed call
// returns, OData query options (Query) and the national clouds (Cloud). It
// contains no HTTP code; the clients live in sub-packages:
//
//   - servicecomms: the Office 365 Service Communications API;
//   - outlook: the Outlook REST API v2.0;
//   - streaming: Outlook streaming notifications;
//   - auth: credentials (MSAL for Go, golang.org/x/oauth2) and a token cache;
//   - office365test: an in-process fake of all three services.
//
// # Authentication
//
// Clients take an auth.Credential and ask it for a token on every attempt
// of every request, for the scopes of their service in the configured Cloud
// (for example https://manage.office.com/.default). Tokens are only ever sent
// over https, or plain http to a loopback host for tests.
//
// # Pagination
//
// Collections are returned as iter.Seq2[*T, error] iterators that fetch
// pages as the loop advances (following @odata.nextLink verbatim, or $top and
// $skip where the service pages that way). An iterator yields at most one
// error and then stops; breaking out of the loop fetches nothing more.
//
// # Errors
//
// A response other than 2xx becomes an *Error carrying the HTTP status, the
// service's error code and message, the request ids and any Retry-After.
// Find it with errors.As or test it with IsNotFound, IsConflict,
// IsThrottled, IsUnauthorized, IsForbidden, IsMaybeProcessed and HasCode
// with the Code… constants (CodeErrorFolderExists, CodeItemNotFound, …).
// Bodies that are not OData errors — an HTML page from a proxy, plain text
// from a retired endpoint — become an *Error too, with a short excerpt.
// Secrets a server echoes back (the bearer token, an Authorization header,
// code= or client_secret= values) are replaced by REDACTED in every field.
// After the context is cancelled a call returns ctx.Err() itself (wrapped,
// with ErrMaybeProcessed, when a non-idempotent request had already been
// sent).
//
// # Retries
//
// 429, and 503 with Retry-After, are retried for every request; 408, 500,
// 502, 503 without Retry-After, 504 and connection errors only for
// idempotent ones. Retry-After (seconds or an HTTP date, or retry-after-ms)
// is honoured, otherwise the delay grows exponentially with jitter up to
// RetryOptions.MaxDelay (60s); a server that asks for longer gets the error
// back with RetryAfter set instead. A request that is not idempotent, such
// as sending mail, is sent once unless the service said it did not process
// it; when it fails in a way that leaves open whether the service acted on
// it, IsMaybeProcessed reports so. One 401 makes the client fetch a fresh
// token and try once more. Tune or disable retries with WithRetry.
//
// # Logging
//
// WithLogger sends the request line and status of every attempt to a
// *slog.Logger at Debug level and retries at Warn. Logs never contain the
// Authorization header, tokens, secrets or bodies, and query values that
// look like tokens are redacted.
//
// # Concurrency
//
// Clients are safe for concurrent use by multiple goroutines; create one per
// credential and reuse it.
package office365
