package outlook

import (
	"encoding/json"
	"time"

	"github.com/office365-go/office365/internal/jsonx"
)

// Task is an Outlook task (entity Task).
//
// StartDateTime and DueDateTime are dates: the service ignores their time
// part and assumes midnight in the given zone. Setting only StartDateTime
// sets DueDateTime to the same day; nulling DueDateTime nulls StartDateTime.
// CreatedDateTime and LastModifiedDateTime honour Prefer.TimeZone (they come
// with an offset). Every property is optional; use TaskUpdate to change a
// task.
type Task struct {
	ODataID   string `json:"@odata.id,omitempty"`
	ODataETag string `json:"@odata.etag,omitempty"`

	ID                   string     `json:"Id,omitempty"`
	CreatedDateTime      *time.Time `json:"CreatedDateTime,omitempty"`
	LastModifiedDateTime *time.Time `json:"LastModifiedDateTime,omitempty"`
	ChangeKey            string     `json:"ChangeKey,omitempty"`
	Categories           []string   `json:"Categories,omitempty"`
	ParentFolderID       string     `json:"ParentFolderId,omitempty"`

	Subject string `json:"Subject,omitempty"`
	// Body is the task's notes (the service supports HTML only).
	Body              *ItemBody            `json:"Body,omitempty"`
	Status            TaskStatus           `json:"Status,omitempty"`
	Importance        Importance           `json:"Importance,omitempty"`
	Sensitivity       Sensitivity          `json:"Sensitivity,omitempty"`
	StartDateTime     *DateTimeTimeZone    `json:"StartDateTime,omitempty"`
	DueDateTime       *DateTimeTimeZone    `json:"DueDateTime,omitempty"`
	CompletedDateTime *DateTimeTimeZone    `json:"CompletedDateTime,omitempty"`
	Recurrence        *PatternedRecurrence `json:"Recurrence,omitempty"`
	IsReminderOn      *bool                `json:"IsReminderOn,omitempty"`
	ReminderDateTime  *DateTimeTimeZone    `json:"ReminderDateTime,omitempty"`
	// Owner is the creator's name; AssignedTo the assignee's (read only).
	Owner      string `json:"Owner,omitempty"`
	AssignedTo string `json:"AssignedTo,omitempty"`

	HasAttachments *bool `json:"HasAttachments,omitempty"`
	// Attachments is only present with $expand=Attachments.
	Attachments                   Attachments                         `json:"Attachments,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the properties the service sent that Task has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type taskFields Task

// UnmarshalJSON decodes the Task, keeping unknown properties in Extra.
func (t *Task) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*taskFields)(t), &t.Extra, &t.null)
}

// MarshalJSON encodes the Task and the properties in Extra.
func (t Task) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*taskFields)(&t), t.Extra, &t.null)
}

// IsCompleted reports whether the task's Status is Completed.
func (t *Task) IsCompleted() bool { return t.Status == TaskCompleted }

// TaskUpdate is the body of PATCH {root}/tasks/{id}: only the fields that
// are set (Set or Null) are sent. Set Status to TaskCompleted together with
// CompletedDateTime (or use TasksService.Complete).
type TaskUpdate struct {
	Body                          Optional[ItemBody]                            `json:"Body,omitzero"`
	Categories                    Optional[[]string]                            `json:"Categories,omitzero"`
	CompletedDateTime             Optional[DateTimeTimeZone]                    `json:"CompletedDateTime,omitzero"`
	DueDateTime                   Optional[DateTimeTimeZone]                    `json:"DueDateTime,omitzero"`
	Importance                    Optional[Importance]                          `json:"Importance,omitzero"`
	IsReminderOn                  Optional[bool]                                `json:"IsReminderOn,omitzero"`
	Recurrence                    Optional[PatternedRecurrence]                 `json:"Recurrence,omitzero"`
	ReminderDateTime              Optional[DateTimeTimeZone]                    `json:"ReminderDateTime,omitzero"`
	Sensitivity                   Optional[Sensitivity]                         `json:"Sensitivity,omitzero"`
	StartDateTime                 Optional[DateTimeTimeZone]                    `json:"StartDateTime,omitzero"`
	Status                        Optional[TaskStatus]                          `json:"Status,omitzero"`
	Subject                       Optional[string]                              `json:"Subject,omitzero"`
	SingleValueExtendedProperties Optional[[]SingleValueLegacyExtendedProperty] `json:"SingleValueExtendedProperties,omitzero"`
	MultiValueExtendedProperties  Optional[[]MultiValueLegacyExtendedProperty]  `json:"MultiValueExtendedProperties,omitzero"`
}

// TaskFolder is a task folder (entity TaskFolder). The default folder
// ("Tasks") cannot be renamed or deleted.
type TaskFolder struct {
	ODataID string `json:"@odata.id,omitempty"`

	ID              string `json:"Id,omitempty"`
	Name            string `json:"Name,omitempty"`
	ChangeKey       string `json:"ChangeKey,omitempty"`
	IsDefaultFolder *bool  `json:"IsDefaultFolder,omitempty"`
	// ParentGroupKey is the GroupKey of the folder's task group.
	ParentGroupKey                string                              `json:"ParentGroupKey,omitempty"`
	SingleValueExtendedProperties []SingleValueLegacyExtendedProperty `json:"SingleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueLegacyExtendedProperty  `json:"MultiValueExtendedProperties,omitempty"`
	// Extra holds the properties the service sent that TaskFolder has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type taskFolderFields TaskFolder

// UnmarshalJSON decodes the TaskFolder, keeping unknown properties in Extra.
func (t *TaskFolder) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*taskFolderFields)(t), &t.Extra, &t.null)
}

// MarshalJSON encodes the TaskFolder and the properties in Extra.
func (t TaskFolder) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*taskFolderFields)(&t), t.Extra, &t.null)
}

// TaskGroup is a group of task folders (entity TaskGroup). The default
// group ("My Tasks") cannot be deleted.
type TaskGroup struct {
	ODataID string `json:"@odata.id,omitempty"`

	ID             string `json:"Id,omitempty"`
	Name           string `json:"Name,omitempty"`
	ChangeKey      string `json:"ChangeKey,omitempty"`
	GroupKey       string `json:"GroupKey,omitempty"`
	IsDefaultGroup *bool  `json:"IsDefaultGroup,omitempty"`
	// Extra holds the properties the service sent that TaskGroup has no
	// field for (names and raw JSON values, as received); they are
	// marshalled back. Clear it to send only the typed fields.
	Extra map[string]json.RawMessage `json:"-"`
	null  bool
}

type taskGroupFields TaskGroup

// UnmarshalJSON decodes the TaskGroup, keeping unknown properties in Extra.
func (t *TaskGroup) UnmarshalJSON(b []byte) error {
	return jsonx.Unmarshal(b, (*taskGroupFields)(t), &t.Extra, &t.null)
}

// MarshalJSON encodes the TaskGroup and the properties in Extra.
func (t TaskGroup) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal((*taskGroupFields)(&t), t.Extra, &t.null)
}

// TaskFolderUpdate is the body of PATCH {root}/taskfolders/{id}.
type TaskFolderUpdate struct {
	Name Optional[string] `json:"Name,omitzero"`
}

// TaskGroupUpdate is the body of PATCH {root}/taskgroups/{id}.
type TaskGroupUpdate struct {
	Name Optional[string] `json:"Name,omitzero"`
}
