// Package streaming implements Outlook streaming notifications: the
// long-lived GetNotifications response of the Outlook REST beta endpoint,
// which delivers change notifications for mail, calendar, contact and task
// subscriptions over one open connection. With office365.WithGraph() the
// same subscriptions and listener are served by Microsoft Graph delta
// queries instead (see "Microsoft Graph" below).
//
// # Decoding the stream
//
// A GetNotifications response body is a single JSON document that the
// service keeps writing for as long as the connection lasts
// (ConnectionTimeoutInMinutes): a preamble, then notification and keep-alive
// objects as they happen, every one after the first with a leading comma,
// and the closing "]}" when the connection times out on the server:
//
//	{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[
//	{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"}
//	,{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,
//	  "SubscriptionId":"N0UzMEU4...","SubscriptionExpirationDateTime":"2016-09-09T18:36:42.3454926Z",
//	  "SequenceNumber":9,"ChangeType":"Created","Resource":"https://outlook.office.com/api/beta/Users('…')/Messages('…')",
//	  "ResourceData":{"@odata.type":"#Microsoft.OutlookServices.Message","Id":"AAMkADdlAA="}}
//	]}
//
// A [Decoder] reads such a body incrementally and returns each object from
// [Decoder.Next] as soon as its closing brace arrives, however the bytes are
// split across reads (HTTP chunks have no relation to objects). It scans
// strings properly, so braces, brackets, commas or "]}" inside a subject or
// body never confuse it. It holds only the current object in a reused buffer,
// bounded by [WithMaxObjectSize], and allocates nothing for a keep-alive and
// at most one string per notification; in exchange the returned
// [Notification] is reused by the next call to Next (use
// [Notification.Clone] to keep one).
//
// The end of the stream tells the caller what happened:
//
//   - io.EOF: the closing "]}" arrived; the server ended the connection on
//     purpose, and the client should listen again;
//   - an error wrapping io.ErrUnexpectedEOF, or the reader's error: the
//     connection dropped; every complete object was returned before it;
//   - a *[SyntaxError] (with the byte offset), a *[FieldError], or
//     [ErrObjectTooLarge]: the body is not a notification stream (an HTML
//     error page, a proxy's garbage).
//
// Keep-alives arrive every KeepAliveNotificationIntervalInSeconds; the
// service sends their Status as "Ok" although the documentation says "OK"
// ([Notification.StatusOK] compares case-insensitively). A notification's
// ResourceData is kept as the raw JSON the service sent, including the
// properties a rich subscription selected with $select; decode it with
// [ResourceDataAs] or [Notification.DecodeResourceData]. Watch
// SequenceNumber and ChangeMissed: a gap or a Missed notification means
// changes were lost.
//
// The decoder accepts by default the two malformed preambles shown in the
// service documentation, and nothing else; see [Decoder] and
// [WithStrictPreamble].
//
// # Authentication and the user
//
// [New] takes an auth.Credential; tokens are requested for
// "{OutlookHost}/.default" unless [WithScopes] names delegated permissions
// (e.g. "https://outlook.office.com/Mail.Read"). The client acts for the
// signed-in user ("{beta}/me"), which needs a delegated token (the
// notifications example signs in with auth.NewDeviceCodeCredential);
// [WithUser] addresses "{beta}/users/{upn}" instead. Against the
// office365test fake, "me" is the fake mailbox's default user.
//
// # Subscribing and listening
//
// [Client.Subscribe] creates a streaming subscription for a [Resource] built
// with [Messages], [FolderMessages], [Events], [Contacts], [Tasks] and
// friends, optionally narrowed with Filter and, for rich notifications,
// Select. [Client.Listen] then keeps GetNotifications connections open for
// any number of subscriptions (at most 20 per connection, as production
// clients did) and returns a [Listener]; read it with [Listener.Next] or
// range over [Listener.All], and Close it when done.
//
// A Listener rather than a bare iterator: its connections run in background
// goroutines whose lifetime is the listener's, and Close must wait for them
// all. Keep-alives are consumed internally. The events are:
//
//   - a notification (an owned copy, safe to keep);
//   - a gap: changes of one subscription may have been missed — a sequence
//     number jumped, a Missed notification arrived, a connection dropped or a
//     subscription expired. Run a delta sync for that resource to catch up;
//     nothing is ever dropped without a gap event;
//   - re-subscribed: a subscription expired (GetNotifications answered 404)
//     and was created again, with its new id;
//   - connected and disconnected, for observability.
//
// A notification whose subscription and sequence number were already
// delivered is dropped, even when the service re-sends it with newer data
// (a new etag). Sequence numbers continue across reconnections of one
// subscription and restart after a re-subscribe.
//
// # Connections, retries and errors
//
// Every (re)connection goes through the module's request pipeline and so
// presents a fresh token. A keep-alive watchdog closes a connection on which
// nothing arrived for [ListenOptions.IdleTimeout] (3 keep-alive intervals by
// default) and reconnects. Failures are retried with capped, jittered
// exponential backoff, never shorter than [ListenOptions.MinBackoff], that
// resets after a healthy connection; Retry-After on 429 and 503 is honoured
// (MinBackoff still applies); a clean "]}" reconnects at once. Listening stops
// with an error only for what retrying cannot fix, such as repeated 401s or
// a credential that keeps failing to produce a token
// ([ListenOptions.MaxAuthFailures]), or a context that ended. On
// cancellation [Listener.All] yields ctx.Err() once and ends, as every
// iterator of the module does.
//
// The *http.Client given with office365.WithHTTPClient must have no Timeout:
// it would cut every long-lived stream; New rejects such a client. Idleness is
// enforced by the watchdog instead.
//
// # Microsoft Graph
//
// Microsoft Graph has no streaming notifications, and Microsoft says they
// are not on its roadmap. A client built with office365.WithGraph() keeps
// this package's API and events anyway, backed by Graph delta queries:
//
//	client, err := streaming.New(cred, office365.WithGraph())
//	sub, err := client.Subscribe(ctx, streaming.FolderMessages(streaming.Inbox).Select("Subject"))
//	l, err := client.Listen(ctx, []*streaming.Subscription{sub}, &streaming.ListenOptions{PollInterval: 5 * time.Second})
//
// Resources map to Graph's delta queries: [FolderMessages] to
// "{user}/mailFolders/{id}/messages/delta" (well-known names such as
// [Inbox] in Graph's spelling), [Events] to a calendarView delta of the
// primary calendar over a window fixed at Subscribe
// ([GraphEventsWindowPast] to [GraphEventsWindowFuture] around it),
// [Contacts] and [FolderContacts] to contacts delta, [FolderTasks] to a
// Microsoft To Do list's tasks delta ("todo/lists/{id}/tasks/delta"), and
// [ResourceURL] to any delta URL. Graph tracks events of the primary
// calendar only: [CalendarEvents] is refused with an error that says what
// to use instead. Filter is passed to Graph as $filter, which it accepts
// only on messages (receivedDateTime ge|gt …).
//
// Graph has no mailbox-wide message delta, nor one over every To Do list,
// so [Messages] and [Tasks] are composite subscriptions: the delta query
// of the containers ("{user}/mailFolders/delta", which lists nested
// folders too, or "todo/lists/delta"; the subscription's Resource) plus
// one per container ("mailFolders/{id}/messages/delta",
// "todo/lists/{id}/tasks/delta"), all under one Subscription with one
// SequenceNumber sequence, saved and resumed together. Subscribe reads the
// first round of each (one request per folder or list, and more for large
// ones). When a container appears, the items found in it are reported as
// Created; when one is removed, the subscription stops tracking it and
// reports an open gap with reason [GapContainerRemoved] whose Resource is
// the container's delta query: the deletion of its items (and any change
// since it was last polled) is not reported one by one. A container whose
// query answers 404 before the containers' query reports it removed is
// retried meanwhile. A message moved between folders is Deleted from one
// and Created in the other (Graph gives it a new id), in either order.
// Each container's query counts as one delta query for the request
// budget below, and is shared with other subscriptions to the same folder
// (by id, with the same Select and Filter) that stand at a position.
//
// Subscribe reads the first round of the delta query (every item's id and
// version; nothing is reported for what already exists) and returns a
// Subscription whose ID the client made up and which remembers where the
// query stands. The listener then polls every PollInterval (default
// [DefaultPollInterval]) and turns what Graph returns into the usual
// events:
//
//   - Created, Updated and Deleted notifications with the same fields as
//     before: Resource is the item's Graph URL; ResourceData carries
//     "@odata.type", "@odata.id", "@odata.etag", "id" and, as a rich
//     notification did, exactly the properties named in Select (in Graph's
//     camelCase spelling, which the typed views such as
//     [Notification.Message] decode); SequenceNumber counts each
//     subscription's notifications from where it stood and only grows.
//     Delta reports states, not every change: several changes between two
//     polls are one notification, and an item created and deleted between
//     two polls is never seen. SubscriptionExpirationDateTime stays zero:
//     a delta query does not expire.
//   - Created versus Updated: Graph does not say, so each subscription
//     remembers the items it knows, as 16 bytes per item plus a map's
//     overhead (64-bit hashes of the id and of the version, its
//     @odata.etag): memory proportional to the items in the watched folder,
//     per subscription, constant while nothing changes, and persisted with
//     the Subscription. An item repeated within a page or
//     across rounds (Graph may do both) in a version already reported is
//     dropped and counted in [ListenerStats].Duplicates.
//   - Gaps: when Graph invalidates the delta token (410 Gone,
//     syncStateNotFound, resyncRequired) the listener reports an open gap
//     with reason [GapResync], starts the query afresh and reports, against
//     what each subscription knew, every item created or changed meanwhile;
//     deletions in that window are covered by the gap.
//   - EventConnected when polling a delta query works (again), and
//     EventDisconnected for each failed poll, with the delay before the next
//     (counted in ListenerStats as Connections and Disconnects). Listening
//     stops with an error as it does for the Outlook API: a 403, 404 or
//     other 4xx with a service error code, MaxAuthFailures 401s or
//     credential failures in a row, or a delta query invalidated again and
//     again right after starting afresh.
//
// No duplicates and no silent loss: a subscription's position (the next
// link or delta link) moves past a page only after every change in it was
// taken by Next, and an item becomes known only once its notification was;
// [Listener.Subscriptions] returns that position in the Subscription (it
// marshals to JSON with it), so a listener started again from saved
// subscriptions resumes where the last one stopped.
//
// Requests: one delta query per distinct resource (same folder, same
// Select) serves every subscription to it, in one request per round: a
// subscription that stands further ahead just recognises what it already
// knows. At most [GraphMaxConcurrentRequests] requests (the Outlook
// service's limit per app and mailbox) are in flight per client, for all
// its listeners; a 429 or 503 with Retry-After holds back every request of
// the client for that long, and other failures back off as connections
// do. Each request is bounded by IdleTimeout. An idle subscription costs
// no goroutine and no connection; an idle delta query costs one request
// per PollInterval. Those count toward Outlook's 10,000 requests per 10
// minutes per app and mailbox, so a listener of many delta queries polls
// each no more often than the budget allows ([GraphRequestSpacing]: every
// 60 s for 1,000 folders) rather than be throttled. [Listener.Close] stops
// every poll and waits for it.
//
// Webhooks: Graph can also POST change notifications to a public HTTPS
// endpoint. This package does not use them: they need an inbound URL the
// listener cannot assume (and, for resource data, an encryption
// certificate), they carry no sequence numbers and may be dropped
// (lifecycle "missed" events say so), and every documented recovery from
// them is a delta query anyway. Polling delta gives the same guarantees
// everywhere, with a latency of the poll interval (Graph's own webhook
// latency is typically under a minute, up to three). Callers who do run a
// webhook receiver (such as the outlook package's push receiver) can
// combine the two: call [Listener.PollNow] when a change notification
// arrives, so that changes show up with the webhook's latency while the
// delta queries fill in whatever a webhook loses or repeats.
//
// # Concurrency
//
// A Client and a Listener are safe for concurrent use. A Decoder is not: it
// belongs to the goroutine reading one response body.
package streaming
