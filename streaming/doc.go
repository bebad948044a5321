// Package streaming implements Outlook streaming notifications: the
// long-lived GetNotifications response of the Outlook REST beta endpoint,
// which delivers change notifications for mail, calendar, contact and task
// subscriptions over one open connection.
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
// # Concurrency
//
// A Client and a Listener are safe for concurrent use. A Decoder is not: it
// belongs to the goroutine reading one response body.
package streaming
