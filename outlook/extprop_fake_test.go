package outlook_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/outlook"
)

var (
	tagProp     = outlook.NamedProperty(outlook.PropertyTypeString, outlook.PropertySetPublicStrings, "Contoso Tag")
	scoreProp   = outlook.NumberedProperty(outlook.PropertyTypeInteger, colorSet, 0x8012)
	dueProp     = outlook.TaggedProperty(outlook.PropertyTypeSystemTime, 0x8003)
	paletteProp = outlook.NamedProperty(outlook.PropertyTypeStringArray, colorSet, "Palette")
)

func mustSingle[T outlook.PropertyValue](t *testing.T, id outlook.PropertyID, v T) outlook.SingleValueLegacyExtendedProperty {
	t.Helper()
	p, err := outlook.NewSingleValue(id, v)
	require.NoError(t, err)
	return p
}

// Extended properties through the typed API on messages, events, contacts
// and folders: create with the item, read with $expand, update, and find
// items by value.
func TestExtendedPropertiesAgainstTheFake(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, _, c := extrasFake(t, dia)
		ctx := context.Background()
		mb := c.User(adele)
		due := time.Date(2017, 6, 1, 12, 0, 0, 0, time.UTC)
		palette, err := outlook.NewMultiValue(paletteProp, "red", "green")
		require.NoError(t, err)
		single := []outlook.SingleValueLegacyExtendedProperty{mustSingle(t, tagProp, "alpha"), mustSingle(t, scoreProp, int32(42)), mustSingle(t, dueProp, due)}
		multi := []outlook.MultiValueLegacyExtendedProperty{palette}

		msg, err := mb.Mail().Messages().Create(ctx, &outlook.Message{Subject: "tagged", SingleValueExtendedProperties: single, MultiValueExtendedProperties: multi})
		require.NoError(t, err)
		assert.Empty(t, msg.SingleValueExtendedProperties, "not returned unless expanded")
		ev, err := mb.Calendar().Events().Create(ctx, &outlook.Event{Subject: "tagged event",
			Start: dt("2017-06-01T09:00:00", "UTC"), End: dt("2017-06-01T10:00:00", "UTC"), SingleValueExtendedProperties: single})
		require.NoError(t, err)
		ct, err := mb.Contacts().Create(ctx, &outlook.Contact{GivenName: "Tagged", SingleValueExtendedProperties: single})
		require.NoError(t, err)

		for name, ref := range map[string]outlook.ItemRef{
			"message": outlook.MessageRef(msg.ID), "event": outlook.EventRef(ev.ID), "contact": outlook.ContactRef(ct.ID),
		} {
			props, err := mb.ExtendedProperties(ref).Get(ctx, tagProp, scoreProp, dueProp, paletteProp)
			require.NoError(t, err, name)
			assert.Equal(t, ref.ID(), props.ID)
			tag, ok, err := outlook.SingleValueOf[string](props.Single, tagProp)
			require.NoError(t, err)
			assert.True(t, ok, name)
			assert.Equal(t, "alpha", tag)
			score, _, err := outlook.SingleValueOf[int32](props.Single, scoreProp)
			require.NoError(t, err)
			assert.Equal(t, int32(42), score, name)
			when, _, err := outlook.SingleValueOf[time.Time](props.Single, dueProp)
			require.NoError(t, err)
			assert.True(t, when.Equal(due), name)

			require.NoError(t, mb.ExtendedProperties(ref).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{mustSingle(t, tagProp, "beta")}, nil), name)
			props, err = mb.ExtendedProperties(ref).Get(ctx, tagProp, scoreProp)
			require.NoError(t, err)
			tag, _, _ = outlook.SingleValueOf[string](props.Single, tagProp)
			assert.Equal(t, "beta", tag, name)
			assert.Len(t, props.Single, 2, "%s: the other property is kept", name)
		}
		got, err := mb.Mail().Messages().Get(ctx, msg.ID, &outlook.GetOptions{Expand: []string{outlook.ExpandMultiValueProperties(paletteProp)}})
		require.NoError(t, err)
		colors, ok, err := outlook.MultiValueOf[string](got.MultiValueExtendedProperties, paletteProp)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, []string{"red", "green"}, colors)

		// Items by value.
		filter, err := outlook.SingleValuePropertyFilter(tagProp, "beta")
		require.NoError(t, err)
		var found []string
		for m, err := range mb.Mail().Messages().List(ctx, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			found = append(found, m.Subject)
		}
		assert.Equal(t, []string{"tagged"}, found)
		var contacts []string
		for c, err := range mb.Contacts().List(ctx, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			contacts = append(contacts, c.GivenName)
		}
		assert.Equal(t, []string{"Tagged"}, contacts)
		var events []string
		for e, err := range mb.Calendar().Events().List(ctx, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			events = append(events, e.Subject)
		}
		assert.Equal(t, []string{"tagged event"}, events)
		filter, err = outlook.SingleValuePropertyFilter(scoreProp, 41)
		require.NoError(t, err)
		for _, err := range mb.Mail().Messages().List(ctx, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			t.Fatal("no message has score 41")
		}

		// Folders.
		inbox := outlook.MailFolderRef(outlook.FolderInbox)
		require.NoError(t, mb.ExtendedProperties(inbox).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{mustSingle(t, tagProp, "folder")}, nil))
		props, err := mb.ExtendedProperties(inbox).Get(ctx, tagProp)
		require.NoError(t, err)
		v, ok := outlook.FindSingleValue(props.Single, tagProp)
		assert.True(t, ok)
		assert.Equal(t, "folder", v)

		// Folders by value: mail folders, child folders, calendars and contact
		// folders take the same filter as items.
		tagged, err := mb.Mail().Folders().CreateChild(ctx, outlook.FolderInbox, "Tagged child")
		require.NoError(t, err)
		require.NoError(t, mb.ExtendedProperties(outlook.MailFolderRef(tagged.ID)).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{mustSingle(t, tagProp, "child")}, nil))
		filter, err = outlook.SingleValuePropertyFilter(tagProp, "folder")
		require.NoError(t, err)
		var folders []string
		for f, err := range mb.Mail().Folders().List(ctx, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			folders = append(folders, f.ID)
		}
		require.Len(t, folders, 1)
		inboxFolder, err := mb.Mail().Folders().Get(ctx, outlook.FolderInbox, nil)
		require.NoError(t, err)
		assert.Equal(t, inboxFolder.ID, folders[0])
		childFilter, err := outlook.SingleValuePropertyFilter(tagProp, "child")
		require.NoError(t, err)
		var children []string
		for f, err := range mb.Mail().Folders().ListChildren(ctx, outlook.FolderInbox, &outlook.ListOptions{Filter: childFilter}) {
			require.NoError(t, err)
			children = append(children, f.DisplayName)
		}
		assert.Equal(t, []string{"Tagged child"}, children)
		for _, err := range mb.Mail().Folders().ListChildren(ctx, outlook.FolderInbox, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			t.Fatal("no child folder is tagged \"folder\"")
		}
		cal, err := mb.Calendar().Calendars().Create(ctx, &outlook.Calendar{Name: "Tagged calendar", SingleValueExtendedProperties: []outlook.SingleValueLegacyExtendedProperty{mustSingle(t, tagProp, "folder")}})
		require.NoError(t, err)
		var cals []string
		for c, err := range mb.Calendar().Calendars().List(ctx, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			cals = append(cals, c.ID)
		}
		assert.Equal(t, []string{cal.ID}, cals)
		cf, err := mb.Contacts().Folders().Create(ctx, "Tagged contacts")
		require.NoError(t, err)
		require.NoError(t, mb.ExtendedProperties(outlook.ContactFolderRef(cf.ID)).Set(ctx, []outlook.SingleValueLegacyExtendedProperty{mustSingle(t, tagProp, "folder")}, nil))
		var cfs []string
		for f, err := range mb.Contacts().Folders().List(ctx, &outlook.ListOptions{Filter: filter}) {
			require.NoError(t, err)
			cfs = append(cfs, f.DisplayName)
		}
		assert.Equal(t, []string{"Tagged contacts"}, cfs)

		// The service refuses malformed properties.
		_, err = mb.Mail().Messages().Create(ctx, &outlook.Message{Subject: "bad",
			SingleValueExtendedProperties: []outlook.SingleValueLegacyExtendedProperty{{PropertyID: "Integer 0x8001", Value: "many"}}})
		assert.Equal(t, 400, office365.StatusCode(err))
	})
}

// Open extensions through the typed API.
func TestOpenExtensionsAgainstTheFake(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dia dialect) {
		_, _, _, c := extrasFake(t, dia)
		ctx := context.Background()
		mb := c.User(adele)
		ext, err := outlook.NewExtension("Com.Contoso.Referral", referral{CompanyName: "Wingtip Toys", DealValue: 500050})
		require.NoError(t, err)
		require.NoError(t, ext.SetTyped("DealValue", 500050, "#Int64"))
		raw, err := outlook.RawExtensions(ext)
		require.NoError(t, err)
		msg, err := mb.Mail().Messages().Create(ctx, &outlook.Message{Subject: "deal", Extensions: raw})
		require.NoError(t, err)
		_, err = mb.Mail().Messages().Create(ctx, &outlook.Message{Subject: "no deal"})
		require.NoError(t, err)

		got, err := mb.Mail().Messages().Get(ctx, msg.ID, &outlook.GetOptions{Expand: []string{outlook.ExpandExtension("Com.Contoso.Referral")}})
		require.NoError(t, err)
		e, ok, err := outlook.FindExtension(got.Extensions, "Com.Contoso.Referral")
		require.NoError(t, err)
		require.True(t, ok)
		var r referral
		require.NoError(t, e.Decode(&r))
		assert.Equal(t, referral{CompanyName: "Wingtip Toys", DealValue: 500050}, r)
		assert.Equal(t, "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral", e.ID)

		var subjects []string
		for m, err := range mb.Mail().Messages().List(ctx, &outlook.ListOptions{Filter: outlook.HasExtensionFilter("Com.Contoso.Referral")}) {
			require.NoError(t, err)
			subjects = append(subjects, m.Subject)
		}
		assert.Equal(t, []string{"deal"}, subjects)

		for name, ref := range map[string]outlook.ItemRef{"message": outlook.MessageRef(msg.ID)} {
			exts := mb.Extensions(ref)
			tag, err := outlook.NewExtension("Com.Example.Tag", map[string]any{"Score": 5, "Labels": []string{"a"}})
			require.NoError(t, err)
			created, err := exts.Create(ctx, tag)
			require.NoError(t, err, name)
			assert.Equal(t, "Microsoft.OutlookServices.OpenTypeExtension.Com.Example.Tag", created.ID)
			updated, err := exts.Update(ctx, "Com.Example.Tag", struct {
				Score int `json:"Score"`
			}{6})
			require.NoError(t, err)
			var score int
			_, err = updated.Get("Score", &score)
			require.NoError(t, err)
			assert.Equal(t, 6, score)
			back, err := exts.Get(ctx, created.ID)
			require.NoError(t, err)
			var labels []string
			ok, err := back.Get("Labels", &labels)
			require.NoError(t, err)
			assert.True(t, ok)
			assert.Equal(t, []string{"a"}, labels)
			require.NoError(t, exts.Delete(ctx, "Com.Example.Tag"))
			_, err = exts.Get(ctx, "Com.Example.Tag")
			assert.True(t, office365.IsNotFound(err))
		}

		// Events and contacts carry extensions too.
		ev, err := mb.Calendar().Events().Create(ctx, &outlook.Event{Subject: "ext", Start: dt("2017-06-01T09:00:00", "UTC"), End: dt("2017-06-01T10:00:00", "UTC")})
		require.NoError(t, err)
		ct, err := mb.Contacts().Create(ctx, &outlook.Contact{GivenName: "Ext"})
		require.NoError(t, err)
		for _, ref := range []outlook.ItemRef{outlook.EventRef(ev.ID), outlook.ContactRef(ct.ID)} {
			_, err := mb.Extensions(ref).Create(ctx, ext)
			require.NoError(t, err, ref.Collection())
			e, err := mb.Extensions(ref).Get(ctx, "Com.Contoso.Referral")
			require.NoError(t, err)
			var r referral
			require.NoError(t, e.Decode(&r))
			assert.Equal(t, "Wingtip Toys", r.CompanyName)
		}
		evGot, err := mb.Calendar().Events().Get(ctx, ev.ID, &outlook.GetOptions{Expand: []string{outlook.ExpandExtension("Com.Contoso.Referral")}})
		require.NoError(t, err)
		assert.Len(t, evGot.Extensions, 1)
	})
}
