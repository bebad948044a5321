// Package transport is the single request pipeline every service client in
// this module uses. Service packages describe a call as a Request and hand it
// to a Pipeline; nothing else in the module talks HTTP.
//
// # Order of stages
//
// Once per logical call (Pipeline.Do):
//
//  1. resolve the URL (relative paths are joined to the client's root; absolute
//     links such as @odata.nextLink are used verbatim) and the query;
//  2. assign one client-request-id (a UUID), reused by every retry;
//  3. the retry loop, which for each try runs:
//     a. clone the request, rewind the body (GetBody),
//     b. headers: User-Agent, Accept, client-request-id,
//     return-client-request-id: true, Retry-Attempt on retries, the client's
//     extra headers, then the call's own headers (X-AnchorMailbox, Prefer, …),
//     c. bearer authentication: a token from the Credential for this try;
//     tokens are never sent over plain http except to loopback hosts,
//     d. send with the client's *http.Client (Authorization is removed on a
//     redirect to another host),
//     e. classify the result: success, retryable, or final,
//     f. log the request line and status at Debug (never headers or bodies);
//  4. on a 401, once per call: ask the Credential for a fresh token and try
//     again (this does not count as a retry);
//  5. on a retryable failure: drain and close the body, wait (Retry-After in
//     seconds or as an HTTP date, retry-after-ms, else exponential backoff with
//     jitter capped at RetryOptions.MaxDelay; a server request longer than the
//     cap ends the call with the error and RetryAfter set), logging at Warn;
//  6. decode an error response into *office365.Error (body capped at 1 MiB).
//
// # Retry rules
//
// A request is idempotent when its method is GET, HEAD, OPTIONS, PUT or
// DELETE, or when the Request is marked Idempotent, unless it is marked
// NotIdempotent (the last range of an upload session, which creates the
// attachment). Every other request
// (sendmail, reply, forward, creates, $batch with a write, subscription
// creates) is sent once unless the service said it did not process it:
//
//   - 429, and 503 with Retry-After (or retry-after-ms), say the service
//     did not process the request: they are retried for every request;
//   - 408, 500, 502, 503 without Retry-After and 504 are retried only for
//     idempotent requests;
//   - a connection error is retried for idempotent requests, and for others
//     only if no byte of the request was written;
//   - any other status is final.
//
// When a non-idempotent request fails after it reached the service in a
// way that does not say whether the service acted on it — a 408 or 5xx
// other than 503 with Retry-After, a connection reset or timeout after the
// request was written, a cancelled context after it was written, or a
// success whose body could not be read or decoded — the error says "the
// request may have been processed" and matches office365.ErrMaybeProcessed
// (office365.IsMaybeProcessed; *office365.Error.MaybeProcessed). A 429 or
// 503 with Retry-After that is still failing when retries run out does not.
// Apart from that case, a cancelled context stops everything at once and
// returns ctx.Err().
//
// # Errors and secrets
//
// Everything copied out of a response into an error — code, message,
// innerError, excerpt, HTML title, header values, and the text of a
// transport error — passes through ScrubText: the bearer token the request
// carried (in any encoding), any "Bearer …" run, echoed Authorization
// headers, JSON Web Tokens, and the values of code=, client_secret=,
// access_token=, refresh_token= and the other SecretParamNames are replaced
// by REDACTED, for JSON, HTML, text and non-UTF-8 (including UTF-16)
// bodies. An error names its request once ("office365: POST url: …"), and
// URLs in errors and logs are redacted with RedactURL.
//
// # Tokens
//
// A 401 is answered once per call with a fresh token: from Refresh when the
// Credential is an auth.Refresher, otherwise from Token, and then only if that
// returns a different token than the rejected one. A token is only sent to the
// root's host (an absolute URL such as an @odata.nextLink that points
// elsewhere is refused), over https or to a loopback host. Authorization,
// User-Agent, client-request-id, return-client-request-id and Retry-Attempt
// belong to the pipeline: a Request that sets them is refused.
package transport
