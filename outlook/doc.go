// Package outlook is a client for the Outlook REST API v2.0
// (https://outlook.office.com/api/v2.0): mail today, and beside it the
// other API subsets (calendar, contacts, tasks, batching, extended
// properties, data extensions, push notifications, user photo).
//
//	client, err := outlook.New(cred, outlook.WithSignedInUser("adele@contoso.com"))
//	mb := client.Me() // or client.User("alex@contoso.com")
//	for msg, err := range mb.Mail().Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{Top: 25}) {
//		…
//	}
//
// # Layout
//
// The API surface is organised by subset, each in its own files, so no type
// grows to hundreds of methods:
//
//   - client.go — Client (one per credential; the request pipeline, API
//     version, Prefer defaults, per-mailbox concurrency limit) and Mailbox,
//     the user context: Client.Me() ({root}/me) or Client.User(upn)
//     ({root}/users/{upn}). A Mailbox carries X-AnchorMailbox and its Prefer
//     defaults (Mailbox.WithPrefer) and is where every subset hangs.
//   - mail.go, attachments.go — Mailbox.Mail() returns a MailService whose
//     methods return one small service per resource: Messages() (with
//     InFolder, Attachments(id), Delta), Folders(), Rules(), FocusedInbox(),
//     Settings(), plus SendMail and MailTips.
//   - Next to it, other subsets follow the same pattern in their own files:
//     calendar.go adds `func (mb *Mailbox) Calendar() *CalendarService`
//     (events, calendars, calendar view …; event attachments reuse
//     AttachmentsService over "events/{id}"), contacts.go adds Contacts(),
//     tasks.go Tasks(), photo.go Photo(), push.go Subscriptions(), and
//     batch.go `func (c *Client) Batch(…)`. Types go in types_<subset>.go.
//   - crud.go — generic helpers for the CRUD shape every entity set shares:
//     getEntity, listEntities/listPages, createEntity, updateEntity,
//     deleteEntity, countEntities, postEntity (actions returning an entity:
//     move, copy, createreply), postAction (202 actions: send, reply,
//     accept), and entitySet[T], which bundles them for one collection path.
//     A service method is then one line that names its endpoint. Ids go
//     through seg (transport.EscapeSegment); ids in key form through keyed
//     ("Overrides('{id}')").
//   - delta.go — the sync (delta) protocol for any collection:
//     deltaPages[T] with DeltaState, DeltaPage and DeltaChange; Calendar
//     view, contacts and tasks sync reuse it.
//   - optional.go — Optional[T] for patch types (absent / null / value) and
//     Ptr; types_common.go — shared complex types (EmailAddress, Recipient,
//     ItemBody, DateTimeTimeZone, Location, PatternedRecurrence …);
//     enums.go — every enumeration of the API.
//
// Models use the service's PascalCase JSON names. Entity fields are
// optional (pointers or omitempty) so a struct can be both a create body
// and a partial response; updates use dedicated patch types
// (MessageUpdate, MailFolderUpdate, MessageRuleUpdate,
// MailboxSettingsUpdate) built from Optional fields, which send only the
// properties being changed and can send explicit nulls.
//
// # Authentication
//
// New takes an auth.Credential. Tokens are requested for
// "{OutlookHost}/.default" (https://outlook.office.com/.default in the
// public cloud, the matching host in national clouds), which suits
// application (client-credential) tokens; delegated credentials may name
// specific permissions with WithScopes, e.g. Scope(cloud, "Mail.Read") =
// "https://outlook.office.com/Mail.Read", "Mail.ReadWrite", "Mail.Send",
// "MailboxSettings.ReadWrite". Graph-issued tokens are not valid here.
// App-only tokens must address users/{upn}; "me" needs a delegated token.
//
// # Versions and preferences
//
// The root is "{Cloud.OutlookHost}/api/v2.0" (WithAPIVersion selects
// "v1.0" or "beta"; office365.WithBaseURL points it at the office365test
// fake or a proxy). Operations documented only for beta (MailTips,
// Unsubscribe, mentions, SupportedLanguages/TimeZones) always use
// "/api/beta" and say so. Prefer preferences — outlook.timezone,
// outlook.body-content-type, odata.maxpagesize, outlook.allow-unsafe-html —
// are set per client (WithTimeZone, WithBodyContentType, WithMaxPageSize,
// WithPrefer), per mailbox (Mailbox.WithPrefer) and per call
// (ListOptions.Prefer, GetOptions.Prefer); each Prefer goes out as its own
// header value.
//
// # Pagination
//
// List methods return iter.Seq2[*T, error] that follow @odata.nextLink
// verbatim; they yield at most one error and stop early when the loop
// breaks. ListPages variants yield whole pages (with @odata.count when
// ListOptions.Count is set). Count methods use the /$count path segment.
//
// Sync: Messages().InFolder(id).Delta and Folders().Delta run one round of
// the service's delta protocol (Prefer: odata.track-changes, $skiptoken
// pages, a $deltatoken link at the end). Persist DeltaPage.State (text or
// JSON) after processing each page; passing it back resumes exactly where
// the process stopped, across restarts, without losing or repeating
// changes. Removed items (deleted or moved out of the folder) come back
// with DeltaChange.Removed.
//
// # Errors
//
// Unsuccessful responses are *office365.Error. Use office365.IsNotFound
// (404, ErrorItemNotFound), office365.IsThrottled (429
// ApplicationThrottled, MailboxConcurrency, 503 ErrorServerBusy) and
// IsMailboxNotEnabled (MailboxNotEnabledForRESTAPI /
// MailboxNotSupportedForRESTAPI). Invalid arguments fail before any request.
//
// # Retries
//
// The shared pipeline retries 429 and 503 (honouring Retry-After) for every
// request, and 408/500/502/504 and connection errors for idempotent ones:
// GET, DELETE, and the PATCH updates of this package (setting the same
// values twice is harmless). Creating (POST) and every action that sends or
// responds — sendmail, send, reply, replyall, forward, the create* drafts,
// move, copy — are never re-sent once the service may have received them,
// so a message is never sent twice; the error is returned instead.
//
// # Concurrency
//
// A Client and its Mailboxes are safe for concurrent use. The service
// allows about 4 concurrent requests per app and mailbox before answering
// 429 (MailboxConcurrency); the client queues requests beyond
// DefaultMailboxConcurrency per X-AnchorMailbox (WithMailboxConcurrency
// changes or removes the limit). A streamed body (MIME, attachment Content)
// holds its slot until closed.
package outlook
