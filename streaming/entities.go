package streaming

import (
	"github.com/office365-go/office365/outlook"
)

// The typed views below decode ResourceData into the outlook package's
// entities. A plain notification carries only @odata.type, @odata.id,
// @odata.etag and Id; a rich one (a subscription whose resource used
// $select) also carries the selected properties. Properties the service did
// not send stay at their zero values.

// Message decodes ResourceData as an Outlook message.
func (n *Notification) Message() (*outlook.Message, error) { return resourceAs[outlook.Message](n) }

// Event decodes ResourceData as an Outlook calendar event.
func (n *Notification) Event() (*outlook.Event, error) { return resourceAs[outlook.Event](n) }

// Contact decodes ResourceData as an Outlook contact.
func (n *Notification) Contact() (*outlook.Contact, error) { return resourceAs[outlook.Contact](n) }

// Task decodes ResourceData as an Outlook task.
func (n *Notification) Task() (*outlook.Task, error) { return resourceAs[outlook.Task](n) }

func resourceAs[T any](n *Notification) (*T, error) {
	v := new(T)
	if err := n.DecodeResourceData(v); err != nil {
		return nil, err
	}
	return v, nil
}
