package servicecomms

import (
	"strings"
	"unicode"
)

// Status is a service or incident status. Workload and feature statuses
// arrive as enum names ("ServiceDegradation"); message statuses arrive as
// display strings ("Service restored", "Extended recovery", and "" on
// Message Center posts). The set is open: unknown values are kept as sent.
// Canonical maps both spellings to the constants.
type Status string

// Status values listed by the API reference, and the one Microsoft Graph
// added.
const (
	StatusServiceOperational          Status = "ServiceOperational"
	StatusInvestigating               Status = "Investigating"
	StatusServiceDegradation          Status = "ServiceDegradation"
	StatusServiceInterruption         Status = "ServiceInterruption"
	StatusRestoringService            Status = "RestoringService"
	StatusExtendedRecovery            Status = "ExtendedRecovery"
	StatusInvestigationSuspended      Status = "InvestigationSuspended"
	StatusServiceRestored             Status = "ServiceRestored"
	StatusFalsePositive               Status = "FalsePositive"
	StatusPostIncidentReportPublished Status = "PostIncidentReportPublished"
	StatusInformationAvailable        Status = "InformationAvailable"
	// StatusVerifyingService is Microsoft Graph's verifyingService: the
	// impact is mitigated and the service is being verified as healthy.
	StatusVerifyingService Status = "VerifyingService"
)

var knownStatuses = []Status{
	StatusServiceOperational, StatusInvestigating, StatusServiceDegradation, StatusServiceInterruption,
	StatusRestoringService, StatusExtendedRecovery, StatusInvestigationSuspended, StatusServiceRestored,
	StatusFalsePositive, StatusPostIncidentReportPublished, StatusInformationAvailable, StatusVerifyingService,
}

var statusDisplay = map[Status]string{
	StatusServiceOperational:          "Normal service",
	StatusInvestigating:               "Investigating",
	StatusServiceDegradation:          "Service degradation",
	StatusServiceInterruption:         "Service interruption",
	StatusRestoringService:            "Restoring service",
	StatusExtendedRecovery:            "Extended recovery",
	StatusInvestigationSuspended:      "Investigation suspended",
	StatusServiceRestored:             "Service restored",
	StatusFalsePositive:               "False positive",
	StatusPostIncidentReportPublished: "Post-incident report published",
	StatusInformationAvailable:        "Information available",
	StatusVerifyingService:            "Verifying service",
}

// Canonical returns the constant s stands for, accepting the enum name in
// any case and the display strings ("Service restored", "Normal service",
// "Post-incident report published"). Unknown values are returned unchanged.
func (s Status) Canonical() Status {
	key := squash(string(s))
	if key == "" {
		return s
	}
	for _, k := range knownStatuses {
		if squash(string(k)) == key || squash(statusDisplay[k]) == key {
			return k
		}
	}
	return s
}

// IsKnown reports whether s (in either spelling) is one of the documented
// values.
func (s Status) IsKnown() bool {
	_, ok := statusDisplay[s.Canonical()]
	return ok
}

// DisplayName returns the display string the portal uses ("Service
// degradation"), or s itself for an unknown value.
func (s Status) DisplayName() string {
	if d, ok := statusDisplay[s.Canonical()]; ok {
		return d
	}
	return string(s)
}

// IsResolved reports whether s means the incident is over: ServiceRestored,
// FalsePositive, PostIncidentReportPublished or ServiceOperational.
func (s Status) IsResolved() bool {
	switch s.Canonical() {
	case StatusServiceRestored, StatusFalsePositive, StatusPostIncidentReportPublished, StatusServiceOperational:
		return true
	}
	return false
}

// IsNormal reports whether s is ServiceOperational (workloads and features
// without any incident in the last 24 hours).
func (s Status) IsNormal() bool { return s.Canonical() == StatusServiceOperational }

// squash lower-cases s and drops spaces, hyphens and underscores.
func squash(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == ' ' || r == '-' || r == '_' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Classification says whether a message is an incident or an advisory. The
// set is open.
type Classification string

// Known classifications.
const (
	ClassificationIncident Classification = "Incident"
	ClassificationAdvisory Classification = "Advisory"
)

// Severity is the severity of a message: "Sev1", "Sev2" … for incidents,
// "Normal", "High", "Critical" for Message Center posts. The set is open.
type Severity string

// Known severities.
const (
	SeveritySev0     Severity = "Sev0"
	SeveritySev1     Severity = "Sev1"
	SeveritySev2     Severity = "Sev2"
	SeveritySev3     Severity = "Sev3"
	SeverityNormal   Severity = "Normal"
	SeverityHigh     Severity = "High"
	SeverityCritical Severity = "Critical"
)

// MessageType is the kind of a message. The set is open.
type MessageType string

// Message types the service documents.
const (
	MessageTypeIncident           MessageType = "Incident"
	MessageTypePlannedMaintenance MessageType = "PlannedMaintenance"
	MessageTypeMessageCenter      MessageType = "MessageCenter"
)

// messageTypeEnum is the qualified enum type MessageType must be compared
// with in $filter: the service silently ignores a plain string comparison.
const messageTypeEnum = "Microsoft.Office365ServiceComms.ExposedContracts.MessageType"
