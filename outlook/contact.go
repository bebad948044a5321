package outlook

import (
	"context"
	"errors"
	"iter"
	"strings"
)

// Contacts returns the Contacts API of the mailbox, scoped to the default
// contacts folder ({root}/contacts). Use InFolder for another folder and
// Folders for the folder hierarchy.
//
// Scopes: Contacts.Read, Contacts.ReadWrite.
func (mb *Mailbox) Contacts() *ContactsService {
	return &ContactsService{mb: mb, coll: "contacts"}
}

// ContactsService is a contact collection: the default folder
// ({root}/contacts) or a given folder
// ({root}/contactfolders/{contact_folder_id}/contacts, see InFolder). Get,
// Update, Delete and Photo address {root}/contacts/{contact_id} whatever the
// scope.
type ContactsService struct {
	mb     *Mailbox
	coll   string
	folder string
	err    error
}

func contactItem(id string) string { return "contacts/" + seg(id) }

// InFolder returns the contacts of a folder:
// {root}/contactfolders/{contact_folder_id}/contacts.
func (s *ContactsService) InFolder(folderID string) *ContactsService {
	return &ContactsService{mb: s.mb, coll: "contactfolders/" + seg(folderID) + "/contacts", folder: folderID,
		err: needID("contact folder", folderID)}
}

// Folders returns the contact folder API ({root}/contactfolders).
func (s *ContactsService) Folders() *ContactFoldersService {
	return &ContactFoldersService{mb: s.mb, set: entitySet[ContactFolder]{mb: s.mb, path: "contactfolders", what: "contact folder"}}
}

// List iterates the contacts: GET {root}/contacts or GET
// {root}/contactfolders/{contact_folder_id}/contacts.
func (s *ContactsService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*Contact, error] {
	if s.err != nil {
		return errSeq[*Contact](s.err)
	}
	return listEntities[Contact](ctx, s.mb, s.coll, opts)
}

// ListPages is List page by page.
func (s *ContactsService) ListPages(ctx context.Context, opts *ListOptions) iter.Seq2[*Page[Contact], error] {
	if s.err != nil {
		return errSeq[*Page[Contact]](s.err)
	}
	return listPages[Contact](ctx, s.mb, s.coll, opts)
}

// Count returns the number of contacts: GET {root}/contacts/$count.
func (s *ContactsService) Count(ctx context.Context, filter string) (int64, error) {
	if s.err != nil {
		return 0, s.err
	}
	return countEntities(ctx, s.mb, s.coll, filter)
}

// Get reads a contact: GET {root}/contacts/{contact_id}.
func (s *ContactsService) Get(ctx context.Context, id string, opts *GetOptions) (*Contact, error) {
	if err := needID("contact", id); err != nil {
		return nil, err
	}
	return getEntity[Contact](ctx, s.mb, contactItem(id), opts)
}

// Create creates a contact: POST {root}/contacts (or
// {root}/contactfolders/{contact_folder_id}/contacts), 201. GivenName is
// required.
func (s *ContactsService) Create(ctx context.Context, c *Contact) (*Contact, error) {
	if s.err != nil {
		return nil, s.err
	}
	if c == nil {
		return nil, errors.New("outlook: nil contact")
	}
	if strings.TrimSpace(c.GivenName) == "" {
		return nil, errors.New("outlook: a contact needs a GivenName")
	}
	return createEntity[Contact](ctx, s.mb, s.coll, c)
}

// Update changes the set fields of u: PATCH {root}/contacts/{contact_id}
// (200, the full contact).
func (s *ContactsService) Update(ctx context.Context, id string, u *ContactUpdate) (*Contact, error) {
	if err := needID("contact", id); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errors.New("outlook: nil contact update")
	}
	return updateEntity[Contact](ctx, s.mb, contactItem(id), u)
}

// Delete deletes a contact: DELETE {root}/contacts/{contact_id} (204).
func (s *ContactsService) Delete(ctx context.Context, id string) error {
	if err := needID("contact", id); err != nil {
		return err
	}
	return deleteEntity(ctx, s.mb, contactItem(id))
}

// Photo returns the photo API of a contact
// ({root}/contacts/{contact_id}/photo): Get (metadata), Download (404 when
// the contact has no photo) and Upload.
func (s *ContactsService) Photo(contactID string) *PhotoService {
	return &PhotoService{mb: s.mb, base: contactItem(contactID) + "/photo", contact: true, err: needID("contact", contactID)}
}

// Delta runs one sync round over the contacts of the scoped folder: GET
// {root}/contacts (or {root}/contactfolders/{contact_folder_id}/contacts)
// with Prefer: odata.track-changes, then the $skiptoken pages, until a
// $deltatoken link. Start with a zero DeltaState, or pass the persisted one
// to get only the changes since; state, if non-nil, is advanced as pages
// are yielded. Contact sync accepts $select but no $filter, $orderby or
// $top. Deleted contacts come with Removed set.
func (s *ContactsService) Delta(ctx context.Context, state *DeltaState, opts *DeltaOptions) iter.Seq2[*DeltaPage[Contact], error] {
	if s.err != nil {
		return errSeq[*DeltaPage[Contact]](s.err)
	}
	if opts != nil && (opts.Filter != "" || len(opts.OrderBy) > 0) {
		return errSeq[*DeltaPage[Contact]](errors.New("outlook: contact sync supports no $filter or $orderby"))
	}
	return deltaPages[Contact](ctx, s.mb, s.coll, state, opts)
}

// ContactFoldersService manages contact folders ({root}/contactfolders,
// the folders under the default Contacts folder, and their children).
type ContactFoldersService struct {
	mb  *Mailbox
	set entitySet[ContactFolder]
}

// List iterates the folders under the default Contacts folder: GET
// {root}/contactfolders.
func (s *ContactFoldersService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*ContactFolder, error] {
	return s.set.list(ctx, opts)
}

// ListChildren iterates the child folders of a folder: GET
// {root}/contactfolders/{contact_folder_id}/childfolders.
func (s *ContactFoldersService) ListChildren(ctx context.Context, parentID string, opts *ListOptions) iter.Seq2[*ContactFolder, error] {
	if err := needID("contact folder", parentID); err != nil {
		return errSeq[*ContactFolder](err)
	}
	return listEntities[ContactFolder](ctx, s.mb, s.set.item(parentID)+"/childfolders", opts)
}

// Get reads a folder: GET {root}/contactfolders/{contact_folder_id}.
func (s *ContactFoldersService) Get(ctx context.Context, id string, opts *GetOptions) (*ContactFolder, error) {
	return s.set.get(ctx, id, opts)
}

type contactFolderName struct {
	DisplayName string `json:"DisplayName"`
}

// Create creates a folder under the default Contacts folder: POST
// {root}/contactfolders with {"DisplayName": …} (201).
func (s *ContactFoldersService) Create(ctx context.Context, displayName string) (*ContactFolder, error) {
	if strings.TrimSpace(displayName) == "" {
		return nil, errors.New("outlook: a contact folder needs a DisplayName")
	}
	return s.set.create(ctx, contactFolderName{displayName})
}

// CreateChild creates a folder inside parentID: POST
// {root}/contactfolders/{contact_folder_id}/childfolders (201).
func (s *ContactFoldersService) CreateChild(ctx context.Context, parentID, displayName string) (*ContactFolder, error) {
	if err := needID("contact folder", parentID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(displayName) == "" {
		return nil, errors.New("outlook: a contact folder needs a DisplayName")
	}
	return createEntity[ContactFolder](ctx, s.mb, s.set.item(parentID)+"/childfolders", contactFolderName{displayName})
}

// Update changes a folder: PATCH {root}/contactfolders/{contact_folder_id}
// (200).
func (s *ContactFoldersService) Update(ctx context.Context, id string, u *ContactFolderUpdate) (*ContactFolder, error) {
	if u == nil {
		return nil, errors.New("outlook: nil contact folder update")
	}
	return s.set.update(ctx, id, u)
}

// Rename renames a folder: PATCH {root}/contactfolders/{contact_folder_id}
// with {"DisplayName": …}.
func (s *ContactFoldersService) Rename(ctx context.Context, id, displayName string) (*ContactFolder, error) {
	if strings.TrimSpace(displayName) == "" {
		return nil, errors.New("outlook: a contact folder needs a DisplayName")
	}
	return s.set.update(ctx, id, &ContactFolderUpdate{DisplayName: Set(displayName)})
}

// Delete deletes a folder and its contents: DELETE
// {root}/contactfolders/{contact_folder_id} (204).
func (s *ContactFoldersService) Delete(ctx context.Context, id string) error {
	return s.set.delete(ctx, id)
}
