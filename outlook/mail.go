package outlook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
)

// Well-known mail folder names, usable wherever a folder id is expected.
// Inbox, Drafts, SentItems and DeletedItems are documented for v2.0;
// JunkEmail, Outbox and Clutter are beta WellKnownName values commonly
// accepted as ids; the rest are Exchange distinguished folder names, which
// the REST API does not document as ids: check that your mailbox accepts
// one before relying on it.
const (
	FolderInbox                     = "Inbox"
	FolderDrafts                    = "Drafts"
	FolderSentItems                 = "SentItems"
	FolderDeletedItems              = "DeletedItems"
	FolderJunkEmail                 = "JunkEmail"
	FolderOutbox                    = "Outbox"
	FolderClutter                   = "Clutter"
	FolderArchive                   = "Archive" // not documented for v2.0
	FolderArchiveRoot               = "ArchiveRoot"
	FolderMsgFolderRoot             = "MsgFolderRoot"
	FolderRoot                      = "Root"
	FolderSearchFolders             = "SearchFolders"
	FolderRecoverableItemsDeletions = "RecoverableItemsDeletions"
	FolderSyncIssues                = "SyncIssues"
	FolderConflicts                 = "Conflicts"
	FolderLocalFailures             = "LocalFailures"
	FolderServerFailures            = "ServerFailures"
	FolderConversationHistory       = "ConversationHistory"
)

// Mail returns the Mail API of the mailbox: messages, attachments, folders,
// Inbox rules, Focused Inbox overrides, mailbox settings and MailTips.
func (mb *Mailbox) Mail() *MailService { return &MailService{mb: mb} }

// MailService groups the Mail API of one mailbox. Each method that returns a
// service is cheap (no I/O).
type MailService struct{ mb *Mailbox }

// Messages returns the mailbox-wide message collection ({root}/messages).
func (m *MailService) Messages() *MessagesService {
	return &MessagesService{mb: m.mb, set: entitySet[Message]{mb: m.mb, path: "messages", what: "message"}}
}

// Folders returns the mail folder API ({root}/MailFolders).
func (m *MailService) Folders() *FoldersService {
	return &FoldersService{mb: m.mb, set: entitySet[MailFolder]{mb: m.mb, path: "MailFolders", what: "folder"}}
}

// Rules returns the Inbox rules API ({root}/MailFolders/inbox/MessageRules).
func (m *MailService) Rules() *RulesService {
	return &RulesService{set: entitySet[MessageRule]{mb: m.mb, path: "MailFolders/inbox/MessageRules", what: "rule"}}
}

// FocusedInbox returns the Focused Inbox API
// ({root}/InferenceClassification/Overrides).
func (m *MailService) FocusedInbox() *FocusedInboxService { return &FocusedInboxService{mb: m.mb} }

// Settings returns the mailbox settings API ({root}/MailboxSettings).
func (m *MailService) Settings() *SettingsService { return &SettingsService{mb: m.mb} }

// SendMail sends a new message in one call: POST {root}/sendmail with
// {"Message": msg, "SaveToSentItems": saveToSentItems} (202 Accepted).
// msg needs ToRecipients; file attachments may be inlined in
// msg.Attachments:
//
//	msg.Attachments = outlook.Attachments{outlook.NewFileAttachment("hello.txt", []byte("hello"))}
//
// The request is never retried once the service may have
// received it, so a message is not sent twice.
func (m *MailService) SendMail(ctx context.Context, msg *Message, saveToSentItems bool) error {
	if msg == nil {
		return errors.New("outlook: SendMail: nil message")
	}
	if len(msg.ToRecipients)+len(msg.CcRecipients)+len(msg.BccRecipients) == 0 {
		return errors.New("outlook: SendMail: the message has no recipients")
	}
	return postAction(ctx, m.mb, "sendmail", struct {
		Message         *Message `json:"Message"`
		SaveToSentItems bool     `json:"SaveToSentItems"`
	}{msg, saveToSentItems})
}

// MailTips returns MailTips for recipients (beta only): POST
// {beta}/GetMailTips with {"EmailAddresses": […], "MailTipsOptions":
// "automaticReplies, mailboxFullStatus"}. With no types every MailTip is
// requested. Types are matched case-insensitively and sent as the service
// spells them; other values are an error.
func (m *MailService) MailTips(ctx context.Context, addresses []string, types ...MailTipsType) ([]MailTips, error) {
	if len(addresses) == 0 {
		return nil, errors.New("outlook: MailTips: no addresses")
	}
	if len(types) == 0 {
		types = AllMailTipsTypes
	}
	canon := make([]MailTipsType, len(types))
	for i, t := range types {
		var err error
		if canon[i], err = canonicalEnum("MailTips type", t, AllMailTipsTypes...); err != nil {
			return nil, err
		}
	}
	types = canon
	out, err := decodePage[MailTips](ctx, m.mb, &call{method: http.MethodPost, rel: "GetMailTips", beta: true, idempotent: true, kind: kindWrite,
		json: struct {
			EmailAddresses  []string `json:"EmailAddresses"`
			MailTipsOptions string   `json:"MailTipsOptions"`
		}{addresses, JoinMailTipsTypes(types...)}})
	if err != nil {
		return nil, err
	}
	return out.Value, nil
}

// MessagesService is a message collection: the whole mailbox
// ({root}/messages) or one folder ({root}/MailFolders/{id}/messages, see
// InFolder). Operations on one message address {root}/messages/{id}
// whatever the scope.
type MessagesService struct {
	mb     *Mailbox
	set    entitySet[Message]
	folder string
}

// InFolder returns the collection of one folder (an id or a well-known name
// such as FolderInbox): {root}/MailFolders/{folder_id}/messages.
func (s *MessagesService) InFolder(folderID string) *MessagesService {
	cp := *s
	cp.folder = folderID
	cp.set.path = "MailFolders/" + seg(folderID) + "/messages"
	return &cp
}

// collection returns the collection path or an error for an empty folder.
func (s *MessagesService) check() error {
	if s.set.path != "messages" && s.folder == "" {
		return errors.New("outlook: empty folder id")
	}
	return nil
}

func item(id string) string { return "messages/" + seg(id) }

// List iterates the messages of the collection across pages: GET
// {root}/messages (documented to leave out Deleted Items and Clutter) or
// GET {root}/MailFolders/{folder_id}/messages, with the OData options of
// opts ($select, $filter, $orderby, $search, $top, $skip, $expand).
// Meeting messages have a non-nil EventMessage.
func (s *MessagesService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*Message, error] {
	if err := s.check(); err != nil {
		return errSeq[*Message](err)
	}
	return s.set.list(ctx, opts)
}

// ListPages is List page by page, with @odata.count (opts.Count) and the
// next link of each page.
func (s *MessagesService) ListPages(ctx context.Context, opts *ListOptions) iter.Seq2[*Page[Message], error] {
	if err := s.check(); err != nil {
		return errSeq[*Page[Message]](err)
	}
	return s.set.pages(ctx, opts)
}

// Count returns the number of messages: GET {root}/messages/$count or
// {root}/MailFolders/{folder_id}/messages/$count, narrowed by filter when
// non-empty. (For unread counts prefer MailFolder.UnreadItemCount.)
func (s *MessagesService) Count(ctx context.Context, filter string) (int64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	return s.set.count(ctx, filter)
}

// Get reads one message: GET {root}/messages/{message_id}. Use
// opts.Expand = []string{"Attachments"} to get the attachments inline.
func (s *MessagesService) Get(ctx context.Context, id string, opts *GetOptions) (*Message, error) {
	if err := needID("message", id); err != nil {
		return nil, err
	}
	return getEntity[Message](ctx, s.mb, item(id), opts)
}

// Create saves a draft: POST {root}/messages (in Drafts) or POST
// {root}/MailFolders/{folder_id}/messages (201, the draft with IsDraft
// true). msg may carry Attachments and extended properties. Creating an
// EventMessage is rejected by the service.
func (s *MessagesService) Create(ctx context.Context, msg *Message) (*Message, error) {
	if msg == nil {
		return nil, errors.New("outlook: Create: nil message")
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.set.create(ctx, msg)
}

// Update changes the set fields of u: PATCH {root}/messages/{message_id}
// (200, the full message).
func (s *MessagesService) Update(ctx context.Context, id string, u *MessageUpdate) (*Message, error) {
	if u == nil {
		return nil, errors.New("outlook: Update: nil MessageUpdate")
	}
	return entitySet[Message]{mb: s.mb, path: "messages", what: "message"}.update(ctx, id, u)
}

// Delete deletes a message: DELETE {root}/messages/{message_id} (204).
func (s *MessagesService) Delete(ctx context.Context, id string) error {
	return entitySet[Message]{mb: s.mb, path: "messages", what: "message"}.delete(ctx, id)
}

// Send sends an existing draft: POST {root}/messages/{message_id}/send
// (202). The sent copy goes to Sent Items. Never retried once sent.
func (s *MessagesService) Send(ctx context.Context, id string) error {
	if err := needID("message", id); err != nil {
		return err
	}
	return postAction(ctx, s.mb, item(id)+"/send", nil)
}

type commentBody struct {
	Comment      string      `json:"Comment"`
	ToRecipients []Recipient `json:"ToRecipients,omitempty"`
}

// Reply replies to the sender now: POST {root}/messages/{message_id}/reply
// with {"Comment": comment} (202). Never retried once sent.
func (s *MessagesService) Reply(ctx context.Context, id, comment string) error {
	if err := needID("message", id); err != nil {
		return err
	}
	return postAction(ctx, s.mb, item(id)+"/reply", commentBody{Comment: comment})
}

// ReplyAll replies to the sender and all recipients now: POST
// {root}/messages/{message_id}/replyall with {"Comment": comment} (202).
func (s *MessagesService) ReplyAll(ctx context.Context, id, comment string) error {
	if err := needID("message", id); err != nil {
		return err
	}
	return postAction(ctx, s.mb, item(id)+"/replyall", commentBody{Comment: comment})
}

// Forward forwards the message now: POST
// {root}/messages/{message_id}/forward with {"Comment", "ToRecipients"}
// (202).
func (s *MessagesService) Forward(ctx context.Context, id, comment string, to []Recipient) error {
	if err := needID("message", id); err != nil {
		return err
	}
	if len(to) == 0 {
		return errors.New("outlook: Forward: no recipients")
	}
	return postAction(ctx, s.mb, item(id)+"/forward", commentBody{Comment: comment, ToRecipients: to})
}

// CreateReply creates a reply draft: POST
// {root}/messages/{message_id}/createreply with {"Comment": comment} (201,
// the draft with ToRecipients filled in). Send it with Send.
func (s *MessagesService) CreateReply(ctx context.Context, id, comment string) (*Message, error) {
	if err := needID("message", id); err != nil {
		return nil, err
	}
	return postEntity[Message](ctx, s.mb, item(id)+"/createreply", commentBody{Comment: comment})
}

// CreateReplyAll creates a reply-all draft: POST
// {root}/messages/{message_id}/createreplyall with {"Comment": comment} (201).
func (s *MessagesService) CreateReplyAll(ctx context.Context, id, comment string) (*Message, error) {
	if err := needID("message", id); err != nil {
		return nil, err
	}
	return postEntity[Message](ctx, s.mb, item(id)+"/createreplyall", commentBody{Comment: comment})
}

// CreateForward creates a forward draft: POST
// {root}/messages/{message_id}/createforward with {"Comment",
// "ToRecipients"} (201). to may be empty and set later with Update.
func (s *MessagesService) CreateForward(ctx context.Context, id, comment string, to []Recipient) (*Message, error) {
	if err := needID("message", id); err != nil {
		return nil, err
	}
	return postEntity[Message](ctx, s.mb, item(id)+"/createforward", commentBody{Comment: comment, ToRecipients: to})
}

type destinationBody struct {
	DestinationID string `json:"DestinationId"`
}

// Move moves a message to a folder (id or well-known name): POST
// {root}/messages/{message_id}/move with {"DestinationId"} (201, the moved
// message, which has a new Id).
func (s *MessagesService) Move(ctx context.Context, id, destinationID string) (*Message, error) {
	if err := needID("message", id); err != nil {
		return nil, err
	}
	if err := needID("destination folder", destinationID); err != nil {
		return nil, err
	}
	return postEntity[Message](ctx, s.mb, item(id)+"/move", destinationBody{destinationID})
}

// Copy copies a message to a folder: POST {root}/messages/{message_id}/copy
// with {"DestinationId"} (201, the copy).
func (s *MessagesService) Copy(ctx context.Context, id, destinationID string) (*Message, error) {
	if err := needID("message", id); err != nil {
		return nil, err
	}
	if err := needID("destination folder", destinationID); err != nil {
		return nil, err
	}
	return postEntity[Message](ctx, s.mb, item(id)+"/copy", destinationBody{destinationID})
}

// MIME streams the message as RFC 822 MIME: GET
// {root}/messages/{message_id}/$value. Microsoft Graph documents this
// endpoint; the Outlook v2.0 documentation does not list it. The caller
// closes the reader; the content is never buffered whole.
func (s *MessagesService) MIME(ctx context.Context, id string) (io.ReadCloser, error) {
	if err := needID("message", id); err != nil {
		return nil, err
	}
	resp, err := s.mb.do(ctx, &call{method: http.MethodGet, rel: item(id) + "/$value", kind: kindWrite,
		header: acceptHeader(acceptAny)})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Unsubscribe acts on the message's List-Unsubscribe mailto (beta only):
// POST {beta}/messages('{message_id}')/unsubscribe (202); the message then
// moves to Deleted Items.
func (s *MessagesService) Unsubscribe(ctx context.Context, id string) error {
	if err := needID("message", id); err != nil {
		return err
	}
	_, err := s.mb.doJSON(ctx, &call{method: http.MethodPost, rel: keyed("messages", id) + "/unsubscribe", beta: true, graphBeta: true, kind: kindWrite}, nil)
	return err
}

// ListMentioningMe iterates the messages that @-mention the signed-in user,
// with their Mentions expanded (beta only): GET
// {beta}/messages?$filter=MentionsPreview/IsMentioned eq true&$expand=Mentions
// (opts.Filter is and-ed with that filter; opts.Expand is extended).
func (s *MessagesService) ListMentioningMe(ctx context.Context, opts *ListOptions) iter.Seq2[*Message, error] {
	o := ListOptions{}
	if opts != nil {
		o = *opts
	}
	const f = "MentionsPreview/IsMentioned eq true"
	if o.Filter != "" {
		o.Filter = f + " and (" + o.Filter + ")"
	} else {
		o.Filter = f
	}
	hasMentions := false
	for _, e := range o.Expand {
		hasMentions = hasMentions || strings.EqualFold(e, "Mentions")
	}
	if !hasMentions {
		o.Expand = append(append([]string(nil), o.Expand...), "Mentions")
	}
	if err := s.check(); err != nil {
		return errSeq[*Message](err)
	}
	return flattenPages(listPagesCall[Message](ctx, s.mb, &call{method: http.MethodGet, rel: s.set.path, kind: kindCollection, prefer: &o.Prefer, beta: true, graphBeta: true}, &o))
}

// Delta runs one sync round over the folder's messages (InFolder is
// required): GET {root}/MailFolders/{folder_id}/messages with Prefer:
// odata.track-changes, then the $skiptoken pages, until a delta link. Start
// with a zero DeltaState (opts shape the first request: $select, $filter
// "ReceivedDateTime ge …", $orderby "ReceivedDateTime desc", page size);
// pass the persisted state to continue. state, if non-nil, is advanced as
// pages are yielded; persist DeltaPage.State after processing each page.
// Deleted or moved-away messages come with Removed set.
func (s *MessagesService) Delta(ctx context.Context, state *DeltaState, opts *DeltaOptions) iter.Seq2[*DeltaPage[Message], error] {
	if s.folder == "" {
		return errSeq[*DeltaPage[Message]](errors.New("outlook: message sync works per folder: use Messages().InFolder(id).Delta"))
	}
	return deltaPages[Message](ctx, s.mb, s.set.path, state, opts)
}

// Attachments returns the attachments of a message
// ({root}/messages/{message_id}/attachments).
func (s *MessagesService) Attachments(messageID string) *AttachmentsService {
	return &AttachmentsService{mb: s.mb, parent: item(messageID), parentID: messageID}
}

// keyed renders the key form "name('id')": quotes in the id are doubled
// as OData string literals require, then the id is percent-escaped as one
// path segment ("O'Neil" → ('O%27%27Neil'); the service unescapes before
// parsing the key).
func keyed(name, id string) string {
	return name + "('" + seg(strings.ReplaceAll(id, "'", "''")) + "')"
}

// errSeq yields err once.
func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// FoldersService is the mail folder API of a mailbox.
type FoldersService struct {
	mb  *Mailbox
	set entitySet[MailFolder]
}

// List iterates the top-level folders (children of the mailbox root): GET
// {root}/MailFolders.
func (s *FoldersService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*MailFolder, error] {
	return s.set.list(ctx, opts)
}

// ListPages is List page by page: GET {root}/MailFolders, with
// @odata.count (opts.Count) and the next link of each page.
func (s *FoldersService) ListPages(ctx context.Context, opts *ListOptions) iter.Seq2[*Page[MailFolder], error] {
	return s.set.pages(ctx, opts)
}

// ListChildren iterates the child folders of a folder: GET
// {root}/MailFolders/{folder_id}/childfolders.
func (s *FoldersService) ListChildren(ctx context.Context, parentID string, opts *ListOptions) iter.Seq2[*MailFolder, error] {
	if err := needID("folder", parentID); err != nil {
		return errSeq[*MailFolder](err)
	}
	return listEntities[MailFolder](ctx, s.mb, s.set.item(parentID)+"/childfolders", opts)
}

// Get reads a folder (id or well-known name): GET
// {root}/MailFolders/{folder_id}.
func (s *FoldersService) Get(ctx context.Context, id string, opts *GetOptions) (*MailFolder, error) {
	return s.set.get(ctx, id, opts)
}

// Create creates a top-level folder: POST {root}/MailFolders with
// {"DisplayName"} (201), as Microsoft Graph documents it; the Outlook v2.0
// documentation only shows creating child folders (see CreateChild).
func (s *FoldersService) Create(ctx context.Context, displayName string) (*MailFolder, error) {
	if displayName == "" {
		return nil, errors.New("outlook: empty folder name")
	}
	return s.set.create(ctx, folderName{displayName})
}

// CreateChild creates a folder inside parentID: POST
// {root}/MailFolders/{folder_id}/childfolders with {"DisplayName"} (201).
func (s *FoldersService) CreateChild(ctx context.Context, parentID, displayName string) (*MailFolder, error) {
	if err := needID("folder", parentID); err != nil {
		return nil, err
	}
	if displayName == "" {
		return nil, errors.New("outlook: empty folder name")
	}
	return createEntity[MailFolder](ctx, s.mb, s.set.item(parentID)+"/childfolders", folderName{displayName})
}

type folderName struct {
	DisplayName string `json:"DisplayName"`
}

// MailFolderUpdate is the body of PATCH {root}/MailFolders/{id}.
// DisplayName is the only writable property; extended properties can also
// be set.
type MailFolderUpdate struct {
	DisplayName                   Optional[string]                              `json:"DisplayName,omitzero"`
	SingleValueExtendedProperties Optional[[]SingleValueLegacyExtendedProperty] `json:"SingleValueExtendedProperties,omitzero"`
	MultiValueExtendedProperties  Optional[[]MultiValueLegacyExtendedProperty]  `json:"MultiValueExtendedProperties,omitzero"`
}

// Update patches a folder: PATCH {root}/MailFolders/{folder_id} (200).
func (s *FoldersService) Update(ctx context.Context, id string, u *MailFolderUpdate) (*MailFolder, error) {
	if u == nil {
		return nil, errors.New("outlook: nil MailFolderUpdate")
	}
	return s.set.update(ctx, id, u)
}

// Rename renames a folder: PATCH {root}/MailFolders/{folder_id} with
// {"DisplayName"} (200).
func (s *FoldersService) Rename(ctx context.Context, id, displayName string) (*MailFolder, error) {
	if displayName == "" {
		return nil, errors.New("outlook: empty folder name")
	}
	return s.set.update(ctx, id, &MailFolderUpdate{DisplayName: Set(displayName)})
}

// Delete deletes a folder and its contents: DELETE
// {root}/MailFolders/{folder_id} (204).
func (s *FoldersService) Delete(ctx context.Context, id string) error { return s.set.delete(ctx, id) }

// Move moves a folder under another: POST
// {root}/MailFolders/{folder_id}/move with {"DestinationId"} (201).
func (s *FoldersService) Move(ctx context.Context, id, destinationID string) (*MailFolder, error) {
	return s.action(ctx, id, "move", destinationID)
}

// Copy copies a folder (with its contents) under another: POST
// {root}/MailFolders/{folder_id}/copy with {"DestinationId"} (201, the new
// folder).
func (s *FoldersService) Copy(ctx context.Context, id, destinationID string) (*MailFolder, error) {
	return s.action(ctx, id, "copy", destinationID)
}

func (s *FoldersService) action(ctx context.Context, id, verb, dest string) (*MailFolder, error) {
	if err := needID("folder", id); err != nil {
		return nil, err
	}
	if err := needID("destination folder", dest); err != nil {
		return nil, err
	}
	return postEntity[MailFolder](ctx, s.mb, s.set.item(id)+"/"+verb, destinationBody{dest})
}

// Count returns the number of top-level folders: GET
// {root}/MailFolders/$count (narrowed by filter when non-empty).
func (s *FoldersService) Count(ctx context.Context, filter string) (int64, error) {
	return s.set.count(ctx, filter)
}

// Delta runs one sync round over the whole folder hierarchy (a flat list of
// every folder): GET {root}/MailFolders with Prefer: odata.track-changes
// (the service ignores $filter, $orderby, $search and $top here). See
// MessagesService.Delta for the state handling.
func (s *FoldersService) Delta(ctx context.Context, state *DeltaState, opts *DeltaOptions) iter.Seq2[*DeltaPage[MailFolder], error] {
	return deltaPages[MailFolder](ctx, s.mb, s.set.path, state, opts)
}

// RulesService manages Inbox rules. Rules live only on the Inbox. Scope:
// MailboxSettings.ReadWrite (some tenants also accept Mail.ReadWrite).
type RulesService struct{ set entitySet[MessageRule] }

// List returns the rules: GET {root}/MailFolders/inbox/MessageRules.
func (s *RulesService) List(ctx context.Context) ([]MessageRule, error) {
	return collectAll(s.set.list(ctx, nil))
}

// Get reads a rule: GET {root}/MailFolders/inbox/MessageRules/{rule_id}.
func (s *RulesService) Get(ctx context.Context, id string) (*MessageRule, error) {
	return s.set.get(ctx, id, nil)
}

// Create creates a rule: POST {root}/MailFolders/inbox/MessageRules (201).
// DisplayName, Sequence (≥ 1) and Actions are required.
func (s *RulesService) Create(ctx context.Context, r *MessageRule) (*MessageRule, error) {
	if r == nil {
		return nil, errors.New("outlook: nil MessageRule")
	}
	if r.DisplayName == "" || r.Sequence == nil || *r.Sequence < 1 || r.Actions == nil {
		return nil, fmt.Errorf("outlook: a rule needs DisplayName, Sequence ≥ 1 and Actions")
	}
	return s.set.create(ctx, r)
}

// Update patches a rule: PATCH
// {root}/MailFolders/inbox/MessageRules/{rule_id} (200).
func (s *RulesService) Update(ctx context.Context, id string, u *MessageRuleUpdate) (*MessageRule, error) {
	if u == nil {
		return nil, errors.New("outlook: nil MessageRuleUpdate")
	}
	return s.set.update(ctx, id, u)
}

// Delete deletes a rule: DELETE
// {root}/MailFolders/inbox/MessageRules/{rule_id} (204).
func (s *RulesService) Delete(ctx context.Context, id string) error { return s.set.delete(ctx, id) }

// FocusedInboxService manages Focused Inbox classification: per-message
// reclassification and per-sender overrides (at most 1000 per mailbox).
type FocusedInboxService struct{ mb *Mailbox }

const overridesPath = "InferenceClassification/Overrides"

// Reclassify moves a message between Focused and Other (and trains the
// classifier): PATCH {root}/messages('{message_id}') with
// {"InferenceClassification"} (200).
func (s *FocusedInboxService) Reclassify(ctx context.Context, messageID string, to InferenceClassificationType) (*Message, error) {
	if err := needID("message", messageID); err != nil {
		return nil, err
	}
	to, err := canonicalClassification(to)
	if err != nil {
		return nil, err
	}
	return updateEntity[Message](ctx, s.mb, keyed("messages", messageID), &MessageUpdate{InferenceClassification: Set(to)})
}

// ListOverrides returns the sender overrides: GET
// {root}/InferenceClassification/Overrides (empty if none).
func (s *FocusedInboxService) ListOverrides(ctx context.Context) ([]InferenceClassificationOverride, error) {
	return collectAll(listEntities[InferenceClassificationOverride](ctx, s.mb, overridesPath, nil))
}

// CreateOverride classifies every future message from sender as classifyAs:
// POST {root}/InferenceClassification/Overrides with {"ClassifyAs",
// "SenderEmailAddress"} (201). If the address already has an override the
// service updates it instead.
func (s *FocusedInboxService) CreateOverride(ctx context.Context, sender EmailAddress, classifyAs InferenceClassificationType) (*InferenceClassificationOverride, error) {
	if sender.Address == "" {
		return nil, errors.New("outlook: CreateOverride: empty sender address")
	}
	classifyAs, err := canonicalClassification(classifyAs)
	if err != nil {
		return nil, err
	}
	return createEntity[InferenceClassificationOverride](ctx, s.mb, overridesPath,
		&InferenceClassificationOverride{ClassifyAs: classifyAs, SenderEmailAddress: &sender})
}

// UpdateOverride changes an override's classification (the only writable
// property): PATCH {root}/InferenceClassification/Overrides('{override_id}')
// with {"ClassifyAs"} (200).
func (s *FocusedInboxService) UpdateOverride(ctx context.Context, id string, classifyAs InferenceClassificationType) (*InferenceClassificationOverride, error) {
	if err := needID("override", id); err != nil {
		return nil, err
	}
	classifyAs, err := canonicalClassification(classifyAs)
	if err != nil {
		return nil, err
	}
	return updateEntity[InferenceClassificationOverride](ctx, s.mb, keyed(overridesPath, id),
		struct {
			ClassifyAs InferenceClassificationType `json:"ClassifyAs"`
		}{classifyAs})
}

// canonicalClassification checks a Focused Inbox classification (Focused
// or Other, in any case).
func canonicalClassification(t InferenceClassificationType) (InferenceClassificationType, error) {
	return canonicalEnum("InferenceClassificationType", t, InferenceFocused, InferenceOther)
}

// DeleteOverride deletes an override: DELETE
// {root}/InferenceClassification/Overrides('{override_id}') (204).
func (s *FocusedInboxService) DeleteOverride(ctx context.Context, id string) error {
	if err := needID("override", id); err != nil {
		return err
	}
	return deleteEntity(ctx, s.mb, keyed(overridesPath, id))
}

// SettingsService reads and changes mailbox settings. Scope:
// MailboxSettings.ReadWrite. Settings cannot be created or deleted.
type SettingsService struct{ mb *Mailbox }

// Get reads every setting: GET {root}/MailboxSettings.
func (s *SettingsService) Get(ctx context.Context) (*MailboxSettings, error) {
	return getEntity[MailboxSettings](ctx, s.mb, "MailboxSettings", nil)
}

// AutomaticReplies reads the automatic-reply settings: GET
// {root}/MailboxSettings/AutomaticRepliesSetting. The scheduled times are in
// the Prefer time zone (default UTC).
func (s *SettingsService) AutomaticReplies(ctx context.Context) (*AutomaticRepliesSetting, error) {
	return getEntity[AutomaticRepliesSetting](ctx, s.mb, "MailboxSettings/AutomaticRepliesSetting", nil)
}

// Language reads the preferred language: GET
// {root}/MailboxSettings/Language.
func (s *SettingsService) Language(ctx context.Context) (*LocaleInfo, error) {
	return getEntity[LocaleInfo](ctx, s.mb, "MailboxSettings/Language", nil)
}

// TimeZone reads the mailbox time zone: GET {root}/MailboxSettings/TimeZone,
// answered as {"value": "Pacific Standard Time"}.
func (s *SettingsService) TimeZone(ctx context.Context) (string, error) {
	v, err := getEntity[struct {
		Value string `json:"value"`
	}](ctx, s.mb, "MailboxSettings/TimeZone", nil)
	if err != nil {
		return "", err
	}
	return v.Value, nil
}

// Update changes the set fields of u: PATCH {root}/MailboxSettings (200, all
// settings).
func (s *SettingsService) Update(ctx context.Context, u *MailboxSettingsUpdate) (*MailboxSettings, error) {
	if u == nil {
		return nil, errors.New("outlook: nil MailboxSettingsUpdate")
	}
	return updateEntity[MailboxSettings](ctx, s.mb, "MailboxSettings", u)
}

// SetAutomaticReplies enables, schedules or disables automatic replies:
// PATCH {root}/MailboxSettings with {"AutomaticRepliesSetting": …}.
func (s *SettingsService) SetAutomaticReplies(ctx context.Context, a AutomaticRepliesSetting) (*MailboxSettings, error) {
	if a.Status == AutomaticRepliesScheduled && (a.ScheduledStartDateTime == nil || a.ScheduledEndDateTime == nil) {
		return nil, errors.New("outlook: scheduled automatic replies need a start and an end")
	}
	return s.Update(ctx, &MailboxSettingsUpdate{AutomaticRepliesSetting: Set(a)})
}

// SupportedLanguages lists the languages the mailbox may use (beta only):
// GET {beta}/SupportedLanguages.
func (s *SettingsService) SupportedLanguages(ctx context.Context) ([]LocaleInfo, error) {
	return collectAll(flattenPages(listPagesCall[LocaleInfo](ctx, s.mb, &call{method: http.MethodGet, rel: "SupportedLanguages", beta: true, kind: kindRead}, nil)))
}

// SupportedTimeZones lists the time zones the mailbox may use (beta only):
// GET {beta}/SupportedTimeZones, or with a standard
// GET {beta}/SupportedTimeZones(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'Iana').
func (s *SettingsService) SupportedTimeZones(ctx context.Context, standard TimeZoneStandard) ([]TimeZoneInformation, error) {
	rel := "SupportedTimeZones"
	if standard != "" {
		if standard != TimeZoneStandardWindows && standard != TimeZoneStandardIana {
			return nil, fmt.Errorf("outlook: unknown TimeZoneStandard %q", standard)
		}
		rel += "(TimeZoneStandard=Microsoft.OutlookServices.TimeZoneStandard'" + string(standard) + "')"
	}
	return collectAll(flattenPages(listPagesCall[TimeZoneInformation](ctx, s.mb, &call{method: http.MethodGet, rel: rel, beta: true, kind: kindRead}, nil)))
}
