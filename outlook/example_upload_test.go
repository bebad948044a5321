package outlook_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/outlook"
)

// A large file attached on Graph: AddFile sees 3 MB or more and uploads it
// through an upload session in ranges, as it would stream it inline on
// Outlook v2.0. An *os.File works the same way, a chunk in memory at a
// time.
func ExampleAttachmentsService_AddFile_graphLargeFile() {
	fake := office365test.Start(nil)
	defer fake.Close()
	client, err := outlook.New(auth.StaticToken("token"), office365.WithGraph(), office365.WithBaseURL(fake.URL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	messages := client.Me().Mail().Messages()
	draft, err := messages.Create(ctx, &outlook.Message{Subject: "Site survey"})
	if err != nil {
		log.Fatal(err)
	}
	video := bytes.Repeat([]byte("frame "), 1_000_000) // 6 MB
	att, err := messages.Attachments(draft.ID).AddFile(ctx, "survey.mp4", "video/mp4", bytes.NewReader(video))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d bytes, %s\n", att.Name, att.Size, att.ContentType)

	// Output:
	// survey.mp4: 6000000 bytes, video/mp4
}
