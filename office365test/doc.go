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
// WithTokenValidator says otherwise. Start does all of it at once: a
// Server with the tenant, the mailbox (with batch and push) and streaming.
//
// # Assertions and faults
//
// Requests returns the request log (the Authorization header is redacted).
// InjectFault arms failures: latency, a status with Retry-After, an HTML
// error page, a stall, a connection dropped after N bytes, or a request that
// is processed and then never answered. Faults apply to every API fake,
// including the operations inside a $batch request.
//
// Errors speak the dialect of the request. Under /v1.0/ (Microsoft Graph)
// every failure — a missing or rejected token, a fault, throttling, a path
// no fake serves, an error of the mailbox or the tenant — answers with
// Graph's body {"error":{"code","message","innerError":{"date",
// "request-id","client-request-id"}}}, a request-id header matching it, the
// caller's client-request-id echoed, WWW-Authenticate on 401, and Graph's
// codes (the Exchange codes for mailbox resources, such as ErrorItemNotFound
// and ApplicationThrottled; TooManyRequests, serviceNotAvailable … for the
// other APIs; 400 BadRequest for an unknown segment; 410 syncStateNotFound
// for a stale delta token). The retired APIs keep their own error bodies.
//
// # Service health
//
// Tenant holds a tenant's service health in a protocol-free store
// (workloads, incidents, advisories, planned maintenance and Message Center
// posts whose timelines unfold with the clock) and serves it in two
// dialects: the retired Service Communications API under
// /api/v1.0/{tenant}/ServiceComms/ and Microsoft Graph's
// /v1.0/admin/serviceAnnouncement/ (healthOverviews, issues, messages). A
// change, scripted or brought by the clock, shows in both.
//
// # Mailbox: mail
//
// Mailbox fakes the Outlook REST API for any number of users, under the
// v1.0, v2.0 and beta roots and for me and users/{upn} (or
// users/{id@tenant}): NewMailbox(WithSampleData()) seeds Adele Vance
// ("me"), Alex Wilber and Megan Bowen of contoso.com with realistic mail,
// and Register mounts it on a Server at /api/. It answers with the
// service's status codes and error bodies (ErrorItemNotFound,
// ErrorInvalidProperty, MailboxNotEnabledForRESTAPI via DisableREST …) and
// OData behaviour: $filter (including lambdas on collections), $select,
// $orderby, $top/$skip with nextLink, $count, $search, $expand and the
// Prefer preferences (time zone, body format, page size, unsafe HTML),
// reported in Preference-Applied. Mail covers messages, attachments, MIME,
// drafts, send, reply and forward (a message sent to a user of the fake
// lands in that user's Inbox, after the user's Inbox rules; Sent lists
// everything sent), mail folders, Inbox rules, Focused Inbox, mailbox
// settings, MailTips, and message and folder sync.
//
// # Mailbox: calendar, contacts, tasks and photos
//
// The same Mailbox serves calendars and calendar groups, events with
// attachments, meeting requests and responses between its users,
// recurring series expanded in the calendar view in their own time zone
// (so their wall clock stays put across daylight-saving changes, with
// exceptions and cancelled occurrences), calendar-view sync, reminders
// (snooze, dismiss), FindMeetingTimes over the users' schedules, contacts
// and contact folders with sync, tasks, task folders and groups (completing
// a recurring task keeps a completed copy and moves the task to its next
// occurrence), and user and contact photos
// (a 1×1 placeholder for a user without one). Every handler resolves the
// Windows and IANA zone names the service accepts from one table.
//
// # Mailbox: batching, extensibility and push
//
// NewBatch(srv).Register(mb) adds $batch: each operation of the multipart
// request runs through Server.ServeInProcess — the server's request log,
// faults, authorization check and routing, without a network round trip —
// so a batched call behaves exactly like the same call sent alone.
// ServeInProcess is there for any fake that needs the same.
//
// Extended properties and open extensions are part of every Mailbox:
// NewMailbox installs the Extensibility fake as a middleware of the
// mailbox's request dispatch, so it applies to every route, including
// routes added later with Mailbox.Handle. Properties are validated by
// their MAPI type, returned only when expanded by id, and found with
// $filter on messages, events, contacts and on mail folders, calendars and
// contact folders.
//
// NewPush().Register(mb) fakes push notifications: subscriptions under
// {user_context}/subscriptions, the validation handshake against the
// NotificationURL, and delivery of the mailbox's changes to it (with
// ClientState, retries on 429 and 5xx, and Missed notifications when
// delivery fails), so a receiver is tested end to end.
//
// # Mailbox: the change feed and extending it
//
// Mailbox.Subscribe receives a Change for every mutation of any user's
// store (created, updated, deleted; a move is a Deleted plus a Created), in
// order: push and streaming notifications are made of it, and tests can
// watch it directly. Other fakes and tests build on the same store: users'
// Records can be read and changed with MailboxUser.Insert, Update, Delete,
// Get and Records, and Mailbox.Handle and HandleStream add routes relative
// to the user context, with the store's lock, routing and error
// conventions.
//
// # Mailbox: Microsoft Graph
//
// The mailbox's state lives in one protocol-free store
// (internal/mailstore) with front ends over it: the Outlook REST API above
// and Microsoft Graph v1.0 (GraphMail, internal/graphmail), which Start
// mounts at /v1.0/: me and users/{id | userPrincipalName} for mail,
// calendar, contacts, photos, extended properties, open extensions,
// mailbox settings, the supported languages and time zones
// (/outlook/supportedLanguages, /outlook/supportedTimeZones) and Microsoft
// To Do (served from the mailbox's task folders and tasks), the delta
// functions (410 syncStateNotFound for an
// unknown token), JSON batching at /v1.0/$batch (each request through
// ServeInProcess, dependsOn, 424 for a failed dependency) and change
// notifications at /v1.0/subscriptions (validation handshake, basic
// notifications with clientState, lifecycle notifications), and upload
// sessions for large file attachments of messages and events
// (createUploadSession for 3 MB to 150 MB; an upload URL on the fake's
// host, pre-authenticated by an opaque authtoken in its query, that takes
// ranged PUTs in order without a bearer token — 200 with
// nextExpectedRanges, 201 with the attachment's Location after the last
// byte, 416 for a gap or an overlap — answers GET with the session's
// state and DELETE by cancelling; sessions expire after two hours of the
// server clock; the finished file is added through the mailbox), To Do
// tasks' too (attachmentInfo, up to 25 MB; the session on Graph, ranges
// PUT to its /content with the bearer token). Graph answers
// in Graph's spelling (camelCase, #microsoft.graph.* types, camelCase
// enumeration members) with Graph's error bodies; a change made through
// either API is visible through the other and reaches both APIs'
// notifications.
//
// # Identity
//
// Entra is a fake Microsoft identity platform (token, device-code and
// authorization endpoints) that MSAL for Go can be pointed at, so
// authentication is tested through MSAL's real code paths: client secrets,
// certificate assertions, federated tokens (AddFederatedCredential,
// FederatedToken), the on-behalf-of exchange (UserToken), device code,
// authorization code and refresh tokens.
//
// # Fixtures
//
// Recorder and Replayer are http.RoundTrippers that record interactions to
// a file under testdata/ (scrubbing Authorization, tokens, client secrets and
// optionally e-mail addresses) and replay them in tests.
package office365test
