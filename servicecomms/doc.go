// Package servicecomms is a client for the Office 365 Service Communications
// API (https://manage.office.com/api/v1.0/{tenant}/ServiceComms): the
// tenant's subscribed services, their current and historical status,
// incidents, planned maintenance and Message Center posts — and a Watcher
// that turns polling into typed change events.
//
//	client, err := servicecomms.New("contoso.onmicrosoft.com", cred)
//	statuses, err := client.CurrentStatus(ctx, nil)
//	for m, err := range client.Messages(ctx, &servicecomms.MessageOptions{
//		MessageType: servicecomms.MessageTypeMessageCenter,
//	}) { … }
//
// Microsoft has retired this API in favour of the Microsoft Graph service
// health and communications API; tenants where it is gone answer every call
// with HTTP 500 "Please use MSGraph …", which this package reports as an
// error matching ErrRetired.
//
// # Authentication
//
// Requests carry a bearer token for "{ManageHost}/.default" of the
// configured cloud (office365.WithCloud: manage.office.com, GCC
// manage-gcc.office.com, GCC High manage.office365.us, DoD
// manage.protection.apps.mil, 21Vianet manage.office.cn). The application
// needs the ServiceHealth.Read application permission of the Office 365
// Management APIs; create the credential with the auth package, for example
// auth.NewClientSecretCredential. office365.WithBaseURL points the client at
// another host (the fake tenant of office365test, a proxy) without changing
// the token's audience. The tenant in the URL must be the token's tenant: a
// domain such as contoso.com or the tenant id.
//
// # Filters
//
// The service ignores a $filter it cannot parse (and any unknown query
// option) and silently returns unfiltered data, so the client builds every
// filter itself from typed options: string literals quoted with
// office365.QuoteString, times as UTC DateTimeOffset literals with at most
// seven fractional digits, and the message type as the enum literal the
// service requires
// (MessageType eq Microsoft.Office365ServiceComms.ExposedContracts.MessageType'MessageCenter').
// Options that cannot be expressed correctly are rejected before anything
// is sent.
//
// # Models
//
// The live service sent richer and differently named members than the API
// reference documents; the models read both (Service.Features from Features
// or FeatureNames, WorkloadStatus.StatusTime from StatusTime or StatusDate,
// WorkloadStatus.Features from FeatureStatus or FeatureGroupStatusCollection,
// every Message and Message Center member). Timestamps use Time, which reads
// 0 to 7+ fractional digits with or without a zone. Status, Classification,
// Severity and MessageType are string types with constants for the known
// values that keep unknown ones as sent.
//
// No data is dropped: members a model has no field for are kept in its
// Extra map, and a decoded model marshals back to what the service sent —
// same members, same order, same bytes for every value that was not changed
// (a changed field is written in its new form). Because a decoded model
// remembers what it was decoded from, compare models by their fields or
// their JSON rather than with reflect.DeepEqual against a literal.
//
// # Pagination
//
// Messages is an iter.Seq2 that pages with $top (at most 100, the default)
// and $skip, since the endpoint returns no next links. It yields at most one
// error and stops; break out of the loop to stop early (no further request
// is made). Because the collection can change between requests, a message
// repeated on a later page is yielded only once. Services, CurrentStatus and
// HistoricalStatus return whole collections.
//
// # Errors
//
// Unsuccessful responses are *office365.Error values (use errors.As, or
// office365.IsThrottled, IsUnauthorized, IsForbidden …). Message reports an
// unknown id as a 404 *office365.Error (office365.IsNotFound). The retired
// service's answer matches ErrRetired with errors.Is and still unwraps to
// its *office365.Error. After the context is cancelled, calls return
// ctx.Err(), and the iterators (Messages, Watcher.Events) yield it once and
// end. A 200 that is not a collection (no "value" array) is an error, never
// an empty list, and so is a page of more than 100 items.
//
// # Retries
//
// The shared request pipeline retries 429 and 503 (and 408, 500, 502, 504,
// since every call is a GET) with exponential backoff, honouring
// Retry-After up to the configured cap (office365.WithRetry). A Watcher adds
// its own, longer backoff between polls.
//
// # Watching
//
// A Watcher polls CurrentStatus and Messages, diffs each result against the
// previous one and reports incidents opened, updated and resolved, workload
// status changes, and Message Center posts new or updated. Its state is
// serialisable so that a restarted process does not announce everything
// again; see Watcher for why it is shaped as it is.
//
// # Concurrency
//
// A Client is safe for concurrent use. A Watcher is too, but runs one poll
// at a time. Models are plain values: do not modify one while another
// goroutine marshals it.
package servicecomms
