// Package servicecomms is a client for a tenant's service health: the
// subscribed services, their current and historical status, incidents,
// planned maintenance and Message Center posts — and a Watcher that turns
// polling into typed change events. It speaks the Office 365 Service
// Communications API (https://manage.office.com/api/v1.0/{tenant}/ServiceComms)
// or, with office365.WithGraph, its successor in Microsoft Graph
// (https://graph.microsoft.com/v1.0/admin/serviceAnnouncement), with the same
// calls and the same typed results.
//
//	client, err := servicecomms.New("contoso.onmicrosoft.com", cred)
//	statuses, err := client.CurrentStatus(ctx, nil)
//	for m, err := range client.Messages(ctx, &servicecomms.MessageOptions{
//		MessageType: servicecomms.MessageTypeMessageCenter,
//	}) { … }
//
// Microsoft has retired the Service Communications API in favour of the
// Microsoft Graph service health and communications API; tenants where it
// is gone answer every call with HTTP 500 "Please use MSGraph …", which
// this package reports as an error matching ErrRetired. Add
// office365.WithGraph to New and the same program reads Graph instead.
//
// # Microsoft Graph
//
//	client, err := servicecomms.New("contoso.onmicrosoft.com", cred, office365.WithGraph())
//
// The client then sends to {GraphHost}/v1.0/admin/serviceAnnouncement
// (graph.microsoft.com, graph.microsoft.us, dod-graph.microsoft.us,
// microsoftgraph.chinacloudapi.cn), asks for "{GraphHost}/.default" tokens,
// and needs the Graph application permissions ServiceHealth.Read.All and
// ServiceMessage.Read.All. The calls map as follows:
//
//   - Services: healthOverviews (id and display name; Graph has no feature
//     catalogue, so Features is empty).
//   - CurrentStatus: healthOverviews?$expand=issues. Status is Graph's
//     status mapped to this package's vocabulary (GraphStatus keeps Graph's
//     value); IncidentIDs are the issues open, or ended, in the 24 hours
//     before the call; Features lists the feature groups of those issues
//     with the worst status among them; StatusTime is 24 hours ago.
//   - Messages: /issues (incidents and advisories, MessageType Incident,
//     their posts as Messages) then /messages (Message Center posts, the
//     body as the one Messages entry), following @odata.nextLink. Workload
//     becomes service eq '…' and services/any(s:s eq '…') with the display
//     name Graph uses for the workload id, StartTime and EndTime become
//     startDateTime ge … and endDateTime le …, ID becomes id eq '…',
//     MessageType chooses the collection, PageSize is $top, Select is
//     mapped to Graph's property names. Graph has no default window and no
//     planned-maintenance collection (MessageTypePlannedMaintenance is an
//     error).
//   - Message: /messages/{id} for "MC…" ids, /issues/{id} for others.
//   - HistoricalStatus: synthesized, see below.
//
// What Graph adds is kept: Message.GraphStatus, Resolved (isResolved),
// Origin, FeatureGroup, Services and HasAttachments, and
// MessageHistory.ContentType ("html": Graph's texts are HTML) and PostType
// are typed; other members, such as a delegated viewPoint, are in Extra
// under Graph's names. Enum values are compared case-insensitively and
// mapped by one table (serviceRestored → ServiceRestored,
// postIncidentReviewPublished → PostIncidentReportPublished,
// verifyingService → VerifyingService, stayInformed → "Stay Informed",
// high → High); values it does not know are kept as sent. What Graph does
// not have stays zero: Severity and the affected counts of issues,
// StatusDisplayName, feature ids (Feature holds the feature's display
// name), and the Message Center members listed as unmapped in the API's
// migration notes.
//
// # Historical status on Microsoft Graph
//
// Graph keeps no daily history, so HistoricalStatus computes it from
// healthOverviews and every issue Graph lists (/issues, filtered by service
// when StatusOptions.Workload is set). For each workload and each UTC day D
// from today back to StatusTime (default: seven days ago), the issues of
// that workload (issue.service equals the workload's display name) that
// were active on D — started before D+24h and not ended before D, an issue
// resolved without an end time ending at its last modification — give
// IncidentIDs; Status is the worst of their current statuses (a published
// post-incident review counting as ServiceRestored), or ServiceOperational
// when there are none; Features gives each feature group the worst status
// among its issues that day. Days are newest first per workload, workloads
// in healthOverviews order. The limits follow from what Graph keeps: the
// status is each issue's current or final one, not the one it had on D
// (Graph does not record when statuses changed); only issues Graph still
// lists count (Microsoft does not document how far back that is); and the
// day boundaries are UTC by the client's clock.
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
// and $skip, since the endpoint returns no next links (on Graph it follows
// @odata.nextLink). It yields at most one
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
// again; see Watcher for why it is shaped as it is. It works the same on a
// client built with office365.WithGraph.
//
// # Concurrency
//
// A Client is safe for concurrent use. A Watcher is too, but runs one poll
// at a time. Models are plain values: do not modify one while another
// goroutine marshals it.
package servicecomms
