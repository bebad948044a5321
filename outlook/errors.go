package outlook

import "github.com/office365-go/office365"

// Service error codes of Outlook, the same values as the office365 package's
// Code… constants (which list more).
const (
	// CodeMailboxNotEnabled and CodeMailboxNotSupported (HTTP 404) mean the
	// mailbox cannot be reached over REST: not (yet) migrated, on-premises,
	// or unlicensed. "REST API is not yet supported for this mailbox."
	CodeMailboxNotEnabled   = office365.CodeMailboxNotEnabledForRESTAPI
	CodeMailboxNotSupported = office365.CodeMailboxNotSupportedForRESTAPI
	// CodeItemNotFound: the item or folder does not exist (or its id went
	// stale after a move). office365.IsNotFound reports it.
	CodeItemNotFound = office365.CodeErrorItemNotFound
	// CodeApplicationThrottled (HTTP 429, message often mentioning
	// MailboxConcurrency). office365.IsThrottled reports it.
	CodeApplicationThrottled = office365.CodeApplicationThrottled
)

// IsMailboxNotEnabled reports whether err says the mailbox is not enabled
// for (or not supported by) the REST API: MailboxNotEnabledForRESTAPI or
// MailboxNotSupportedForRESTAPI. Retrying does not help; the mailbox may be
// on-premises, not licensed, or an Outlook.com account not yet migrated.
func IsMailboxNotEnabled(err error) bool {
	return office365.HasCode(err, CodeMailboxNotEnabled, CodeMailboxNotSupported)
}
