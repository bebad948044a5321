package office365_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/office365-go/office365"
)

func ExampleQuery_Encode() {
	q := office365.Query{
		Filter:  "From/EmailAddress/Address eq " + office365.QuoteString("o'neil@contoso.com"),
		Select:  []string{"Subject", "From"},
		OrderBy: []string{"ReceivedDateTime desc"},
		Top:     25,
	}
	fmt.Println(q.Encode())
	// Output:
	// $filter=From/EmailAddress/Address%20eq%20'o''neil@contoso.com'&$select=Subject,From&$orderby=ReceivedDateTime%20desc&$top=25
}

func ExampleIsThrottled() {
	// What a client call returns when the service keeps throttling.
	var err error = fmt.Errorf("listing messages: %w", &office365.Error{
		StatusCode: 429, Code: "ApplicationThrottled", Message: "Application is over its MailboxConcurrency limit.",
		RetryAfter: 90 * time.Second,
	})
	var apiErr *office365.Error
	if office365.IsThrottled(err) && errors.As(err, &apiErr) {
		fmt.Println("throttled; the service asks to wait", apiErr.RetryAfter)
	}
	// Output:
	// throttled; the service asks to wait 1m30s
}

func ExampleWithCloud() {
	cfg, err := office365.NewConfig(office365.WithCloud(office365.CloudGCCHigh))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Cloud.LoginAuthority)
	fmt.Println(cfg.ServiceRoot(cfg.Cloud.OutlookHost, "/api/v2.0"))
	// Output:
	// https://login.microsoftonline.us
	// https://outlook.office365.us/api/v2.0
}
