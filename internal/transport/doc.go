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
// 429 and 503 (the service did not process the request) are retried for
// every method; 408, 500, 502 and 504 only for idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE, or a Request marked
// Idempotent). A connection error is retried for idempotent requests, and for
// others only if no byte of the request was written. A non-idempotent request
// is therefore never re-sent once the server may have processed it; that is
// why a 504 (a gateway gave up waiting, the service may have finished the
// work) is retried only for idempotent requests. A cancelled context stops
// everything at once and returns ctx.Err().
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
