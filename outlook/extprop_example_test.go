package outlook_test

import (
	"context"
	"fmt"
	"log"

	"github.com/office365-go/office365/outlook"
)

func ExampleParsePropertyID() {
	for _, s := range []string{
		"String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color",
		"integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} id 32786",
		"Integer 0xe07",
	} {
		id, err := outlook.ParsePropertyID(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-4s %s\n", id.Form, id)
	}
	// Output:
	// Name String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color
	// Id   Integer {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Id 0x8012
	// Tag  Integer 0x0E07
}

// Store a custom property with a message, read it back and find the
// message by its value.
func ExampleNewSingleValue() {
	client, _, stop := extrasExample()
	defer stop()
	ctx := context.Background()
	mb := client.User("adele.vance@contoso.com")

	ticket := outlook.NamedProperty(outlook.PropertyTypeInteger, outlook.PropertySetPublicStrings, "Contoso.TicketNumber")
	p, err := outlook.NewSingleValue(ticket, 4711)
	if err != nil {
		log.Fatal(err)
	}
	msg, err := mb.Mail().Messages().Create(ctx, &outlook.Message{Subject: "Ticket 4711",
		SingleValueExtendedProperties: []outlook.SingleValueLegacyExtendedProperty{p}})
	if err != nil {
		log.Fatal(err)
	}

	got, err := mb.Mail().Messages().Get(ctx, msg.ID, &outlook.GetOptions{
		Select: []string{"Subject"}, Expand: []string{outlook.ExpandSingleValueProperties(ticket)}})
	if err != nil {
		log.Fatal(err)
	}
	n, ok, err := outlook.SingleValueOf[int](got.SingleValueExtendedProperties, ticket)
	fmt.Println(got.Subject, n, ok, err)

	filter, _ := outlook.SingleValuePropertyFilter(ticket, 4711)
	fmt.Println(filter)
	for m, err := range mb.Mail().Messages().List(ctx, &outlook.ListOptions{Filter: filter}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("found:", m.Subject)
	}
	// Output:
	// Ticket 4711 4711 true <nil>
	// SingleValueExtendedProperties/Any(ep: ep/PropertyId eq 'Integer {00020329-0000-0000-C000-000000000046} Name Contoso.TicketNumber' and ep/Value eq '4711')
	// found: Ticket 4711
}

// An open extension with typed custom fields.
func ExampleNewExtension() {
	client, _, stop := extrasExample()
	defer stop()
	ctx := context.Background()
	mb := client.User("adele.vance@contoso.com")

	type Referral struct {
		CompanyName string `json:"CompanyName"`
		DealValue   int64  `json:"DealValue"`
	}
	msg, err := mb.Mail().Messages().Create(ctx, &outlook.Message{Subject: "Referral"})
	if err != nil {
		log.Fatal(err)
	}
	ext, err := outlook.NewExtension("Com.Contoso.Referral", Referral{CompanyName: "Wingtip Toys", DealValue: 500050})
	if err != nil {
		log.Fatal(err)
	}
	created, err := mb.Extensions(outlook.MessageRef(msg.ID)).Create(ctx, ext)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.ID)

	if _, err := mb.Extensions(outlook.MessageRef(msg.ID)).Update(ctx, "Com.Contoso.Referral", map[string]any{"DealValue": 600000}); err != nil {
		log.Fatal(err)
	}
	got, err := mb.Extensions(outlook.MessageRef(msg.ID)).Get(ctx, "Com.Contoso.Referral")
	if err != nil {
		log.Fatal(err)
	}
	var r Referral
	if err := got.Decode(&r); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", r)
	// Output:
	// Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral
	// {CompanyName:Wingtip Toys DealValue:600000}
}
