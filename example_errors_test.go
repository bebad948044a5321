package office365_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

func ExampleIsMaybeProcessed() {
	fake := office365test.Start(nil)
	defer fake.Close()
	// A gateway answers the next sendmail with a bare 503: the mail may
	// or may not have gone out, so the client does not send it again.
	fake.FailNext(1, "/sendmail", http.StatusServiceUnavailable, "")

	ol, err := outlook.New(auth.StaticToken("token"), office365.WithBaseURL(fake.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	me := ol.User(fake.Mailbox.Me().UPN)
	err = me.Mail().SendMail(context.Background(), &outlook.Message{
		Subject: "Quarterly report", ToRecipients: outlook.Recipients("megan@contoso.com"),
	}, true)
	if office365.IsMaybeProcessed(err) {
		fmt.Println("sendmail may have been processed: check Sent Items before sending again")
	}
	// Output:
	// sendmail may have been processed: check Sent Items before sending again
}

func ExampleIsConflict() {
	fake := office365test.Start(nil)
	defer fake.Close()
	ol, err := outlook.New(auth.StaticToken("token"), office365.WithBaseURL(fake.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	folders := ol.User(fake.Mailbox.Me().UPN).Mail().Folders()
	for range 2 {
		_, err = folders.Create(context.Background(), "Invoices")
	}
	if office365.IsConflict(err) && office365.HasCode(err, office365.CodeErrorFolderExists) {
		fmt.Println("the folder already exists")
	}
	// Output:
	// the folder already exists
}
