package streaming_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/office365-go/office365/streaming"
)

// body is a GetNotifications response as the service sends it: a keep-alive,
// a rich notification, and the end of the stream.
const body = `{"@odata.context":"https://outlook.office.com/api/beta/$metadata#Notifications","value":[` +
	`{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"}` +
	`,{"@odata.type":"#Microsoft.OutlookServices.Notification","Id":null,"SubscriptionId":"QjQzNzAwBQQ==",` +
	`"SubscriptionExpirationDateTime":"2017-01-18T00:57:28.6134733Z","SequenceNumber":1,"ChangeType":"Created",` +
	`"Resource":"https://outlook.office.com/api/beta/Users('6ed6de00')/Events('AAMkAGAAAAACisAAA=')",` +
	`"ResourceData":{"@odata.type":"#Microsoft.OutlookServices.Event","Id":"AAMkAGAAAAACisAAA=",` +
	`"Subject":"Quarterly meeting {CY17Q1} \u2014 caf\u00e9"}}` +
	`]}`

func ExampleDecoder_Next() {
	// In a client, the reader is the body of the POST …/me/GetNotifications response.
	dec := streaming.NewDecoder(strings.NewReader(body))
	for {
		n, err := dec.Next()
		if errors.Is(err, io.EOF) {
			fmt.Println("the server ended the stream: listen again")
			return
		}
		if err != nil {
			fmt.Println("connection dropped:", err)
			return
		}
		if n.IsKeepAlive() {
			fmt.Println("keep-alive", n.Status, n.StatusOK())
			continue
		}
		event, err := streaming.ResourceDataAs[struct{ Subject string }](n)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("#%d %s %s until %s: %s\n", n.SequenceNumber, n.ChangeType, n.SubscriptionID,
			n.SubscriptionExpirationDateTime.Format("15:04:05"), event.Subject)
	}
	// Output:
	// keep-alive Ok true
	// #1 Created QjQzNzAwBQQ== until 00:57:28: Quarterly meeting {CY17Q1} — café
	// the server ended the stream: listen again
}

func ExampleNotification_Clone() {
	// Notifications returned by Next are overwritten by the next call:
	// clone those you keep.
	dec := streaming.NewDecoder(strings.NewReader(body))
	var kept []*streaming.Notification
	for {
		n, err := dec.Next()
		if err != nil {
			break
		}
		if !n.IsKeepAlive() {
			kept = append(kept, n.Clone())
		}
	}
	for _, n := range kept {
		event, err := streaming.ResourceDataAs[struct{ Subject string }](n)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(n.SequenceNumber, n.Resource)
		fmt.Println(event.Subject)
	}
	// Output:
	// 1 https://outlook.office.com/api/beta/Users('6ed6de00')/Events('AAMkAGAAAAACisAAA=')
	// Quarterly meeting {CY17Q1} — café
}
