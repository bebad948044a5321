package servicecomms

import "strings"

// vocabKind names an enumeration that Graph spells differently.
type vocabKind int

const (
	vocabStatus vocabKind = iota
	vocabClassification
	vocabCategory
	vocabSeverity
)

// graphVocabulary is the one table between Microsoft Graph's enum values
// and the vocabulary of this package's models (the retired API's). Graph
// values are compared case-insensitively (Microsoft's samples print them
// in PascalCase, real payloads in camelCase); values the table does not
// know are kept as Graph sent them. The Graph value itself stays reachable
// (Message.GraphStatus, WorkloadStatus.GraphStatus).
var graphVocabulary = []struct {
	kind  vocabKind
	graph string
	ours  string
}{
	{vocabStatus, "serviceOperational", string(StatusServiceOperational)},
	{vocabStatus, "investigating", string(StatusInvestigating)},
	{vocabStatus, "restoringService", string(StatusRestoringService)},
	{vocabStatus, "verifyingService", string(StatusVerifyingService)},
	{vocabStatus, "serviceRestored", string(StatusServiceRestored)},
	{vocabStatus, "postIncidentReviewPublished", string(StatusPostIncidentReportPublished)},
	{vocabStatus, "serviceDegradation", string(StatusServiceDegradation)},
	{vocabStatus, "serviceInterruption", string(StatusServiceInterruption)},
	{vocabStatus, "extendedRecovery", string(StatusExtendedRecovery)},
	{vocabStatus, "falsePositive", string(StatusFalsePositive)},
	{vocabStatus, "investigationSuspended", string(StatusInvestigationSuspended)},
	{vocabClassification, "incident", string(ClassificationIncident)},
	{vocabClassification, "advisory", string(ClassificationAdvisory)},
	{vocabCategory, "stayInformed", "Stay Informed"},
	{vocabCategory, "planForChange", "Plan For Change"},
	{vocabCategory, "preventOrFixIssue", "Prevent Or Fix Issues"},
	{vocabSeverity, "normal", string(SeverityNormal)},
	{vocabSeverity, "high", string(SeverityHigh)},
	{vocabSeverity, "critical", string(SeverityCritical)},
}

// fromGraph maps a Graph enum value to ours; unknown values are returned
// unchanged.
func fromGraph(kind vocabKind, v string) string {
	for _, e := range graphVocabulary {
		if e.kind == kind && strings.EqualFold(e.graph, v) {
			return e.ours
		}
	}
	return v
}

// statusRank orders statuses from normal to worst, for the status of a
// workload or feature with several issues.
var statusRank = map[Status]int{
	StatusServiceOperational: 0, StatusFalsePositive: 1, StatusPostIncidentReportPublished: 2,
	StatusServiceRestored: 3, StatusInformationAvailable: 4, StatusInvestigationSuspended: 5,
	StatusInvestigating: 6, StatusVerifyingService: 7, StatusExtendedRecovery: 8,
	StatusRestoringService: 9, StatusServiceDegradation: 10, StatusServiceInterruption: 11,
}

// worse reports whether a is a worse status than b. Unknown statuses rank
// with Investigating: something is going on.
func worse(a, b Status) bool {
	rank := func(s Status) int {
		if r, ok := statusRank[s.Canonical()]; ok {
			return r
		}
		return statusRank[StatusInvestigating]
	}
	return rank(a) > rank(b)
}
