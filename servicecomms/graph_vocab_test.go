package servicecomms

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGraphVocabulary(t *testing.T) {
	t.Parallel()
	// serviceHealthStatus members of Graph v1.0 that are not "reserved for
	// future use" all map to a known status.
	for _, g := range []string{"serviceOperational", "investigating", "restoringService", "verifyingService",
		"serviceRestored", "postIncidentReviewPublished", "serviceDegradation", "serviceInterruption",
		"extendedRecovery", "falsePositive", "investigationSuspended"} {
		s := Status(fromGraph(vocabStatus, g))
		assert.True(t, s.IsKnown(), g)
		assert.Equal(t, s, s.Canonical(), g)
		assert.Equal(t, s, Status(fromGraph(vocabStatus, strings.ToUpper(g[:1])+g[1:])), "%s: case-insensitive", g)
	}
	assert.Equal(t, StatusPostIncidentReportPublished, Status(fromGraph(vocabStatus, "PostIncidentReviewPublished")))
	assert.Equal(t, "mitigatedExternal", fromGraph(vocabStatus, "mitigatedExternal"), "unknown values are kept")
	assert.Equal(t, "unknownFutureValue", fromGraph(vocabCategory, "unknownFutureValue"))
	assert.Equal(t, "Plan For Change", fromGraph(vocabCategory, "PlanForChange"))
	assert.Equal(t, string(ClassificationIncident), fromGraph(vocabClassification, "Incident"))
	assert.Equal(t, string(SeverityCritical), fromGraph(vocabSeverity, "critical"))
	// Each (kind, Graph value) appears once.
	seen := map[[2]string]bool{}
	for _, e := range graphVocabulary {
		k := [2]string{string(rune('0' + e.kind)), e.graph}
		assert.False(t, seen[k], e.graph)
		seen[k] = true
	}
	assert.True(t, worse(StatusServiceInterruption, StatusServiceDegradation))
	assert.True(t, worse(Status("somethingNew"), StatusServiceRestored), "unknown ranks as an open issue")
	assert.False(t, worse(StatusServiceOperational, StatusFalsePositive))
}

func TestMessageHistoryText(t *testing.T) {
	t.Parallel()
	plain := MessageHistory{MessageText: "Title: a <b>\n\nCurrent status: x"}
	assert.Equal(t, plain.MessageText, plain.Text(), "the retired API's text is plain")
	h := MessageHistory{ContentType: "HTML", MessageText: `<p>Title: Mail &amp; calendar</p><p>Current status: We&#39;re <a href="https://x.test/?a=1&amp;b=2">investigating</a>.<br>Next update by: 10:00</p><ul><li>one</li><li>two</li></ul>`}
	assert.Equal(t, "Title: Mail & calendar\nCurrent status: We're investigating.\nNext update by: 10:00\none\ntwo", h.Text())
	fake := MessageHistory{ContentType: "html", MessageText: "Title: T<br><br>User Impact: U &lt;x&gt;<br><br>Current status: S"}
	assert.Equal(t, "Title: T\n\nUser Impact: U <x>\n\nCurrent status: S", fake.Text())
	broken := MessageHistory{ContentType: "html", MessageText: "a < b and <unclosed"}
	assert.Equal(t, "a < b and <unclosed", broken.Text())
}
