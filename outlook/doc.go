// Package outlook is a client for the Outlook REST API v2.0
// (https://outlook.office.com/api/v2.0): Mail, Calendar, Contacts, Tasks,
// User Photo, batching ($batch), extended properties, open (data)
// extensions and push notifications. The same client speaks Microsoft
// Graph v1.0 when built with office365.WithGraph (see "Microsoft Graph").
//
//	client, err := outlook.New(cred, outlook.WithSignedInUser("adele@contoso.com"))
//	mb := client.Me() // or client.User("alex@contoso.com")
//	for msg, err := range mb.Mail().Messages().InFolder(outlook.FolderInbox).List(ctx, &outlook.ListOptions{Top: 25}) {
//		…
//	}
//
// # Layout
//
// Everything hangs off a Mailbox, one small service per resource, so no
// type grows to hundreds of methods. The files follow the API subsets:
//
//   - client.go — New and Client (one per credential: the request
//     pipeline, API version, Prefer defaults, per-mailbox concurrency
//     limit) and Mailbox, the user context: Client.Me() ({root}/me) or
//     Client.User(upn) ({root}/users/{upn}). A Mailbox carries
//     X-AnchorMailbox and its Prefer defaults (Mailbox.WithPrefer).
//   - Mail — mail.go, attachments.go, types_mail.go, types_attachment.go:
//     mb.Mail() returns a MailService with Messages() (InFolder,
//     Attachments(id), MIME, Delta), Folders() (Delta), Rules(),
//     FocusedInbox(), Settings(), SendMail and MailTips.
//   - Calendar — calendar.go, event.go, event_types.go, reminder.go,
//     findmeetingtimes.go, recurrence.go: mb.Calendar() addresses the
//     default calendar, .In(id) another calendar and .InGroup(g, id) one in
//     a calendar group; each has Events() (CRUD, Instances, Accept,
//     Decline, Cancel, snooze and dismiss, Attachments), View and
//     ViewPages (the calendar view with recurrences expanded), ViewDelta
//     (calendar-view sync), Reminders and FindMeetingTimes, plus
//     Calendars() and Groups().
//   - Contacts — contact.go, contact_types.go: mb.Contacts() (InFolder,
//     Folders(), Photo(id), Delta).
//   - Tasks — task.go, task_types.go: mb.Tasks() (InFolder, Folders()
//     (Delta), Groups(), Complete, Attachments(id), Delta).
//   - Photo — photo.go: mb.Photo() (Get, Download, Upload, and the beta
//     Sizes, GetSize and DownloadSize) and Contacts().Photo(id).
//   - Batching — batch.go: mb.NewBatch (or Client.NewBatch) queues typed
//     calls with outlook.BatchCall or Batch.Call and sends them with
//     Batch.Send; see Batching.
//   - Extended properties — extprop.go, extprop_item.go:
//     mb.ExtendedProperties(ref) for an ItemRef (MessageRef, EventRef,
//     ContactRef, MailFolderRef, CalendarRef, ContactFolderRef); open
//     extensions — extension.go: mb.Extensions(ref) for messages, events
//     and contacts. See Extended properties and extensions.
//   - Push notifications — push.go, receiver.go: mb.Subscriptions()
//     manages subscriptions and outlook.NewReceiver returns the
//     http.Handler that receives them. See Push notifications.
//   - Shared machinery — crud.go: generic helpers for the CRUD shape every
//     entity set shares (get, list and pages, create, update, delete,
//     $count, actions), so a service method is one line naming its
//     endpoint; delta.go: the sync (delta) protocol for any collection
//     (DeltaState, DeltaPage, DeltaChange); optional.go: Optional[T] for
//     patch types; types_common.go: shared complex types (EmailAddress,
//     Recipient, ItemBody, DateTimeTimeZone, Location,
//     PatternedRecurrence …); datetime.go and timezone.go: dates, times
//     and zones; enums.go: every enumeration of the API; errors.go:
//     Outlook error codes.
//
// Models use the service's PascalCase JSON names. Entity fields are
// optional (pointers or omitempty) so a struct can be both a create body
// and a partial response; updates use dedicated patch types
// (MessageUpdate, EventUpdate, ContactUpdate, TaskUpdate, MailFolderUpdate
// …) built from Optional fields, which send only the properties being
// changed and can send explicit nulls.
//
// Models keep what they do not know: every entity and complex type holds
// the properties and annotations it has no field for ("@odata.context",
// an attachment's "@odata.id", a property a newer service version sends)
// in its Extra map, names and raw JSON values as received, and marshals
// them back, so a property the service adds is reachable without a new
// release of this package. An element of a collection that the service
// sent as null stays null when marshalled, until a field of it is set.
// Typed fields holding their zero value are not marshalled (zero means
// "not set"), and a typed field wins over an Extra member of the same
// name; clear Extra to send only the typed fields.
//
// # Authentication
//
// New takes an auth.Credential. Tokens are requested for
// "{OutlookHost}/.default" (https://outlook.office.com/.default in the
// public cloud, the matching host in national clouds), which suits
// application (client-credential) tokens; delegated credentials may name
// specific permissions with WithScopes, e.g. Scope(cloud, "Mail.Read") =
// "https://outlook.office.com/Mail.Read", "Mail.ReadWrite", "Mail.Send",
// "Calendars.ReadWrite", "Contacts.ReadWrite", "Tasks.ReadWrite",
// "User.Read", "MailboxSettings.ReadWrite". Graph-issued tokens are not
// valid here. App-only tokens must address users/{upn}; "me" needs a
// delegated token.
//
// # Versions and preferences
//
// The root is "{Cloud.OutlookHost}/api/v2.0" (WithAPIVersion selects
// "v1.0" or "beta"; office365.WithBaseURL points it at the office365test
// fake or a proxy). Operations documented only for beta (MailTips,
// Unsubscribe, mentions, SupportedLanguages/TimeZones, event Cancel,
// photo sizes) always use "/api/beta" and say so. Prefer preferences —
// outlook.timezone, outlook.body-content-type, odata.maxpagesize,
// outlook.allow-unsafe-html — are set per client (WithTimeZone,
// WithBodyContentType, WithMaxPageSize, WithPrefer), per mailbox
// (Mailbox.WithPrefer) and per call (ListOptions.Prefer,
// GetOptions.Prefer); each Prefer goes out as its own header value.
// Requests accept application/json, except raw downloads: photos ask for
// image/*, message MIME for */*.
//
// # Microsoft Graph
//
// The Outlook REST API is retired; Microsoft Graph v1.0 serves the same
// data. With office365.WithGraph the client keeps every typed call and
// result and speaks Graph instead: the root is "{Cloud.GraphHost}/v1.0"
// (or "{BaseURL}/v1.0"), tokens are requested for
// "{Cloud.GraphHost}/.default" (GraphScope names single permissions for
// WithScopes), and no X-AnchorMailbox header is sent (Graph routes by the
// user in the path). Where the two APIs differ only in spelling one codec
// translates, in both directions: property names (camelCase on Graph, and
// the renames MobilePhone1 ↔ mobilePhone and PropertyId ↔ id of extended
// properties), "@odata.type" values (#Microsoft.OutlookServices.X ↔
// #microsoft.graph.x, GeoCoordinates ↔ outlookGeoCoordinates), open
// extension ids, enumeration members (sent camelCase, read in either case),
// path segments and the property names inside $select, $filter, $orderby
// and $expand. Custom properties of open extensions are never renamed.
// Where the shapes differ the client changes backend:
//
//   - Batch sends Graph's JSON batch (POST {root}/$batch); StopOnError
//     chains the requests with dependsOn.
//   - Tasks are served by Microsoft To Do (see Mailbox.Tasks).
//   - Subscriptions go to {root}/subscriptions with Graph's limits (see
//     Mailbox.Subscriptions); the Receiver takes Graph's notifications and
//     lifecycle events too.
//   - File attachments of 3 MB or more (AttachmentsService.Add and
//     AddFile, on messages and events) go through an upload session:
//     createUploadSession, then ranged PUTs of at most 3.75 MiB each to
//     the session's pre-authenticated upload URL, sent without
//     Authorization, resumed from the session's nextExpectedRanges, with
//     its token redacted from errors and logs (a To Do task's session is
//     on Graph and takes the client's token). Smaller files are POSTed as
//     on v2.0.
//   - Delta sync calls each collection's delta function (no
//     odata.track-changes); an expired state (410 Gone, syncStateNotFound)
//     starts a new full round, reported by DeltaPage.Resynced.
//   - The operations v2.0 served from beta (MailTips, SupportedLanguages and
//     SupportedTimeZones under /outlook, event Cancel, photo sizes) use
//     Graph v1.0; only mentions and Unsubscribe stay on Graph's beta.
//
// Graph needs its own permissions (Mail.Read, Calendars.ReadWrite, … on
// https://graph.microsoft.com); Outlook tokens are not valid there.
//
// # Time zones
//
// DateTimeTimeZone values carry a wall-clock time and a zone name: a
// Windows zone id ("Pacific Standard Time"), one of the IANA names the
// service documents ("America/Los_Angeles"), or "UTC". Responses are in
// UTC unless Prefer outlook.timezone (WithTimeZone, Prefer.TimeZone) names
// another zone. WindowsToIANA, IANAToWindows and WindowsZoneNames convert
// between the two namings (every Windows id, CLDR's mapping, and the
// older IANA spellings the service accepts); LoadLocation resolves either
// kind to a *time.Location and ZoneName names a location for the service.
// NewDateTimeTimeZone, DateTimeTimeZone.Time and DateTimeTimeZone.In
// convert to and from time.Time, reading wall clocks in daylight-saving
// gaps and overlaps the way the service does. The package imports
// time/tzdata, so zones resolve on every platform (Windows and minimal
// containers ship no zone database) at the cost of about 450 KB.
//
// # Pagination
//
// List methods return iter.Seq2[*T, error] that follow @odata.nextLink
// verbatim; they yield at most one error and stop early when the loop
// breaks. ListOptions.Top sets the page size, not the number of items a List
// yields: break out of the loop to stop. ListPages variants yield whole pages (with @odata.count when
// ListOptions.Count is set); FirstPage takes the first page of one. Count
// methods use the /$count path segment. ListOptions.Search cannot be
// combined with Filter or OrderBy (the service refuses it; search results
// come newest first): such options fail before any request.
// A page holds at most 1000 items (the
// service's $top maximum): a larger page, or a 200 that is not a collection
// (no "value" array), is an error, never a truncated or empty list.
//
// Sync: Messages().InFolder(id).Delta, Folders().Delta, Contacts().Delta,
// Tasks().InFolder(id).Delta, Tasks().Folders().Delta and
// Calendar().ViewDelta run one round of the service's delta protocol
// (Prefer: odata.track-changes, $skiptoken pages, a $deltatoken link at
// the end). Persist DeltaPage.State (text or JSON) after processing each
// page; passing it back resumes exactly where the process stopped, across
// restarts, without losing or repeating changes. Removed items (deleted,
// or moved out of the folder or calendar window) come back with
// DeltaChange.Removed.
//
// # Batching
//
// A Batch sends up to MaxBatchParts (20) typed calls as one multipart
// POST {root}/{user_context}/$batch; larger batches are split into
// consecutive requests. Every call of the package can be batched: a queued
// function makes its call on the Mailbox and context it is given, which
// turn the request into a part instead of sending it, and gets the part's
// response back:
//
//	b := mb.NewBatch(nil)
//	msg := outlook.BatchCall(b, func(ctx context.Context, mb *outlook.Mailbox) (*outlook.Message, error) {
//		return mb.Mail().Messages().Get(ctx, id, nil)
//	})
//	del := b.Call(func(ctx context.Context, mb *outlook.Mailbox) error {
//		return mb.Mail().Messages().Delete(ctx, oldID)
//	})
//	err := b.Send(ctx) // the batch request itself
//	m, err := msg.Result()
//
// Parts run independently (Prefer: odata.continue-on-error) unless
// BatchOptions.StopOnError is set; a failed part is an *office365.Error on
// its own BatchResult. The service may run parts in any order, so do not
// batch calls that depend on each other.
//
// # Extended properties and extensions
//
// Extended (MAPI) properties are named by a PropertyID (NamedProperty,
// NumberedProperty, TaggedProperty, ParsePropertyID) and typed with
// PropertyType. They can be set on messages, events, contacts, mail
// folders, calendars and contact folders: with the entity when it is
// created (its SingleValueExtendedProperties and
// MultiValueExtendedProperties fields, built with NewSingleValue and
// NewMultiValue), or later with mb.ExtendedProperties(ref).Set; read them
// with ExtendedProperties(ref).Get or $expand
// (ExpandSingleValueProperties), and decode values with SingleValueOf and
// MultiValueOf. The service only returns properties that are asked for by
// id. SingleValuePropertyFilter builds the $filter that finds items or
// folders by a property's value.
//
// Open extensions (Extension, NewExtension) are named bags of custom
// properties on messages, events and contacts: create them with the item
// (RawExtensions) or with mb.Extensions(ref).Create, then Get, Update
// (merge) and Delete them; ExpandExtension and HasExtensionFilter build
// the $expand and $filter that return and find them.
//
// # Push notifications
//
// mb.Subscriptions().Create registers a PushSubscription: a Resource (an
// absolute URL such as mb.URL("MailFolders('Inbox')/messages")), the
// change types, a NotificationURL and a ClientState secret; Renew extends
// it before it expires and Delete removes it. The service validates the
// NotificationURL during Create, so serve the Receiver first: NewReceiver
// returns an http.Handler that answers the validation handshake (echoing
// validationtoken), rejects requests whose ClientState does not match,
// and delivers notifications on Receiver.Notifications. When that queue
// is full it answers 503 with Retry-After so the service delivers again
// later; notifications are never dropped silently. Serve it over HTTPS.
//
// # Errors
//
// Unsuccessful responses are *office365.Error. Use office365.IsNotFound
// (404, ErrorItemNotFound), office365.IsThrottled (429
// ApplicationThrottled, MailboxConcurrency, 503 ErrorServerBusy) and
// IsMailboxNotEnabled (MailboxNotEnabledForRESTAPI /
// MailboxNotSupportedForRESTAPI). Invalid arguments fail before any
// request; enum-valued arguments (a MailTipsType, a Focused Inbox
// classification, a subscription's ChangeType, FindMeetingTimes'
// ActivityDomain, Prefer.BodyContentType) are matched case-insensitively,
// sent as the service spells them, and refused when unknown. Batched calls report ErrBatchNotSent, ErrBatchPartSkipped and
// ErrBatchNoRequest for what never reached the service.
//
// # Retries
//
// The shared pipeline retries 429, and 503 with Retry-After, for every
// request, and 408/500/502/503/504 and connection errors for idempotent ones:
// GET, PUT, DELETE, the PATCH updates of this package (setting the same
// values twice is harmless), and the POSTs that only read or set state
// (findmeetingtimes, GetMailTips, snoozing and dismissing reminders).
// Creating (POST) and every action that sends or responds — sendmail,
// send, reply, replyall, forward, the create* drafts, move, copy, accept,
// decline, a push subscription — are never re-sent once the service may
// have received them, so a message is never sent twice; the error is
// returned instead, and office365.IsMaybeProcessed reports it. A $batch request is retried only when all its parts
// are GETs. Bodies streamed from an io.Reader (photo uploads) are re-sent
// only when the reader can be rewound (*bytes.Reader, *bytes.Buffer,
// *strings.Reader).
//
// # Concurrency
//
// A Client and its Mailboxes are safe for concurrent use, and so are a
// Batch and a Receiver. The service allows about 4 concurrent requests per
// app and mailbox before answering 429 (MailboxConcurrency); the client
// queues requests beyond DefaultMailboxConcurrency per X-AnchorMailbox
// (WithMailboxConcurrency changes or removes the limit). A streamed body
// (MIME, attachment content, a photo) holds its slot until closed.
package outlook
