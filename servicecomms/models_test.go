package servicecomms_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/servicecomms"
)

// roundTrip decodes every element of a fixture into T and checks that it
// marshals back byte for byte (json.Marshal of the raw element applies the
// same HTML escaping and compaction as json.Marshal of the model).
func roundTrip[T any](t *testing.T, name string) []T {
	t.Helper()
	var out []T
	for i, raw := range fixtureItems(t, name) {
		var v T
		require.NoError(t, json.Unmarshal(raw, &v), "%s[%d]", name, i)
		got, err := json.Marshal(v)
		require.NoError(t, err)
		want, err := json.Marshal(raw)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "%s[%d] must marshal back as received", name, i)
		// and through a pointer, and nested in a slice
		got, err = json.Marshal(&v)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		out = append(out, v)
	}
	return out
}

func TestServicesBothShapes(t *testing.T) {
	t.Parallel()
	live := roundTrip[servicecomms.Service](t, "services.json")
	require.Len(t, live, 2)
	assert.Equal(t, "DynamicsCRM", live[1].ID)
	assert.Equal(t, "Dynamics 365", live[1].DisplayName)
	require.Len(t, live[1].Features, 5)
	assert.Equal(t, "signin", live[1].Features[0].Name)
	assert.Equal(t, "Sign In", live[1].Features[0].DisplayName)
	assert.Equal(t, []string{"Sign In", "Sign up and administration", "Organization access", "Organization performance", "Components/Features"},
		live[1].FeatureNames())
	assert.Empty(t, live[1].Extra)

	doc := roundTrip[servicecomms.Service](t, "services-documented.json")
	require.Len(t, doc, 2)
	assert.Equal(t, "Exchange", doc[0].ID)
	require.Len(t, doc[0].Features, 5)
	assert.Equal(t, servicecomms.Feature{Name: "Sign-in", DisplayName: "Sign-in"}.Name, doc[0].Features[0].Name)
	assert.Equal(t, "E-Mail and calendar access", doc[0].Features[1].DisplayName)
	assert.Equal(t, "Voice mail", doc[0].FeatureNames()[4])
	assert.Empty(t, doc[0].Extra, "FeatureNames is read, not left in Extra")
}

func TestWorkloadStatusBothShapes(t *testing.T) {
	t.Parallel()
	live := roundTrip[servicecomms.WorkloadStatus](t, "currentstatus.json")
	require.Len(t, live, 4)
	f := live[0]
	assert.Equal(t, "Forms", f.ID)
	assert.Equal(t, "Forms", f.Workload)
	assert.Equal(t, "Microsoft Forms", f.WorkloadDisplayName)
	assert.Equal(t, servicecomms.StatusServiceOperational, f.Status)
	assert.Equal(t, "Normal service", f.StatusDisplayName)
	assert.Equal(t, "Normal service", f.DisplayStatus())
	assert.True(t, f.StatusTime.Equal(time.Date(2020, 9, 18, 13, 15, 36, 684776900, time.UTC)))
	assert.Equal(t, []string{}, f.IncidentIDs)
	require.Len(t, f.Features, 3)
	assert.Equal(t, "functionality", f.Features[1].Name)
	assert.Equal(t, "Form functionality", f.Features[1].DisplayName)
	assert.Equal(t, servicecomms.StatusServiceOperational, f.Features[1].Status)
	assert.Equal(t, "Normal service", f.Features[1].StatusDisplayName)
	assert.Len(t, live[3].Features, 10)
	assert.Empty(t, f.Extra)

	doc := roundTrip[servicecomms.WorkloadStatus](t, "currentstatus-documented.json")
	require.Len(t, doc, 2)
	ex := doc[0]
	assert.Equal(t, "Exchange", ex.Workload)
	assert.True(t, ex.StatusTime.Equal(time.Date(2015, 4, 11, 0, 0, 0, 0, time.UTC)), "StatusDate is read into StatusTime")
	assert.Empty(t, ex.StatusDisplayName)
	assert.Equal(t, "Normal service", ex.DisplayStatus())
	require.Len(t, ex.Features, 5)
	assert.Equal(t, "Signin", ex.Features[0].Name, "Feature")
	assert.Equal(t, "Sign-in", ex.Features[0].DisplayName, "FeatureGroupDisplayName")
	assert.Equal(t, servicecomms.StatusServiceOperational, ex.Features[0].Status, "FeatureStatus")
	assert.Empty(t, ex.Extra)
	assert.Empty(t, ex.Features[0].Extra)

	hist := roundTrip[servicecomms.WorkloadStatus](t, "historicalstatus-documented.json")
	require.Len(t, hist, 2)
	assert.Equal(t, servicecomms.StatusInformationAvailable, hist[1].Status)
	assert.Equal(t, []string{"EX20870"}, hist[1].IncidentIDs)
	assert.Equal(t, servicecomms.StatusInformationAvailable, hist[1].Features[4].Status)
	assert.True(t, hist[1].StatusTime.Before(hist[0].StatusTime.Time))
}

func TestMessageLiveIncident(t *testing.T) {
	t.Parallel()
	msgs := roundTrip[servicecomms.Message](t, "messages-incident.json")
	require.Len(t, msgs, 1)
	m := msgs[0]
	assert.Equal(t, "SP220211", m.ID)
	assert.Equal(t, "All users may be unable to access second level sub-menu links in the navigation bar of SharePoint Online sites", m.TitleText())
	assert.Equal(t, servicecomms.MessageTypeIncident, m.MessageType)
	assert.Equal(t, servicecomms.ClassificationIncident, m.Classification)
	assert.Equal(t, servicecomms.SeveritySev2, m.Severity)
	assert.Equal(t, servicecomms.Status("Service restored"), m.Status)
	assert.Equal(t, servicecomms.StatusServiceRestored, m.Status.Canonical())
	assert.True(t, m.IsResolved())
	assert.False(t, m.IsMessageCenter())
	assert.Equal(t, "SharePoint", m.Workload)
	assert.Equal(t, "SharePoint Online", m.WorkloadDisplayName)
	assert.Equal(t, "spofeatures", m.Feature)
	assert.Equal(t, "SharePoint Features", m.FeatureDisplayName)
	assert.True(t, m.StartTime.Equal(time.Date(2020, 8, 11, 22, 14, 58, 0, time.UTC)))
	require.NotNil(t, m.EndTime)
	assert.True(t, m.EndTime.Equal(time.Date(2020, 8, 12, 0, 15, 0, 0, time.UTC)))
	assert.True(t, m.LastUpdatedTime.Equal(time.Date(2020, 8, 14, 17, 41, 3, 370000000, time.UTC)))
	assert.Nil(t, m.ActionType, "null")
	assert.Nil(t, m.AffectedUserCount, "null")
	assert.Nil(t, m.PostIncidentDocumentURL, "null")
	assert.Equal(t, 0, m.AffectedTenantCount)
	assert.Equal(t, []string{}, m.AffectedWorkloadNames)
	assert.Equal(t, []string{}, m.AffectedWorkloadDisplayNames)
	assert.Empty(t, m.TenantParams)
	assert.NotNil(t, m.TenantParams, "present as []")
	assert.Equal(t, "", m.UserFunctionalImpact)
	assert.Contains(t, m.ImpactDescription, "second level sub-menu links")
	require.Len(t, m.AdditionalDetails, 1)
	assert.Equal(t, "NotifyInApp", m.AdditionalDetails[0].Name)
	assert.Equal(t, "True", m.AdditionalDetails[0].Value)
	require.Len(t, m.Messages, 4)
	assert.True(t, m.Messages[0].PublishedTime.Equal(time.Date(2020, 8, 11, 22, 15, 18, 187000000, time.UTC)))
	assert.Contains(t, m.Messages[3].MessageText, "This is the final update for the event.")
	assert.Equal(t, &m.Messages[3], m.Latest())
	assert.Empty(t, m.Extra)
}

func TestMessageDocumentedShape(t *testing.T) {
	t.Parallel()
	msgs := roundTrip[servicecomms.Message](t, "messages-documented.json")
	require.Len(t, msgs, 2)
	m := msgs[0]
	assert.Equal(t, "EX20119", m.ID)
	assert.Equal(t, "EX20119", m.Name)
	assert.Nil(t, m.Title, "Title: null")
	assert.Equal(t, "", m.TitleText())
	assert.Equal(t, "Exchange Online", m.Workload, "the documented sample swaps Workload and WorkloadDisplayName; kept as sent")
	assert.Equal(t, "Access", m.Feature)
	require.Len(t, m.Messages, 4)
	assert.True(t, m.Messages[2].PublishedTime.Equal(time.Date(2015, 4, 6, 21, 17, 34, 7000000, time.UTC)))
	assert.True(t, m.IsResolved())
	assert.Empty(t, m.MessageType, "absent in the sample")
	assert.Empty(t, m.Extra)
}

func TestMessageCenterPost(t *testing.T) {
	t.Parallel()
	msgs := roundTrip[servicecomms.Message](t, "messages-messagecenter.json")
	require.Len(t, msgs, 1)
	m := msgs[0]
	assert.Equal(t, "MC219747", m.ID)
	assert.True(t, m.IsMessageCenter())
	assert.False(t, m.IsResolved(), "posts are never resolved")
	assert.Equal(t, servicecomms.Status(""), m.Status)
	assert.Equal(t, "", m.Workload, "null workload")
	assert.Equal(t, []string{"microsoftteams", "SharePoint"}, m.AffectedWorkloadNames)
	assert.Equal(t, []string{"Microsoft Teams", "SharePoint Online"}, m.AffectedWorkloadDisplayNames)
	assert.Equal(t, servicecomms.ClassificationAdvisory, m.Classification)
	assert.Equal(t, servicecomms.SeverityHigh, m.Severity)
	require.NotNil(t, m.ActionType)
	assert.Equal(t, "Action", *m.ActionType)
	require.NotNil(t, m.ActionRequiredByDate)
	assert.True(t, m.ActionRequiredByDate.Equal(time.Date(2020, 10, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, 47815, m.AnnouncementID)
	assert.Equal(t, "Microsoft Teams", m.AppliesTo)
	assert.Equal(t, "", m.BlogLink)
	assert.Equal(t, "Plan For Change", m.Category)
	assert.Equal(t, "https://go.microsoft.com/fwlink/?linkid=2134897", m.ExternalLink)
	assert.Equal(t, "Files", m.FeatureName)
	assert.Equal(t, "", m.FlightName)
	assert.Equal(t, "https://docs.microsoft.com/microsoftteams/", m.HelpLink)
	assert.False(t, m.IsDismissed)
	assert.True(t, m.IsMajorChange)
	assert.True(t, m.IsRead)
	assert.Equal(t, []string{"Major update", "Admin impact", "Updated message"}, m.MessageTagNames)
	assert.Equal(t, "Standard release", m.Milestone)
	require.NotNil(t, m.MilestoneDate)
	assert.True(t, m.MilestoneDate.Equal(time.Date(2020, 9, 28, 7, 0, 0, 0, time.UTC)), "no zone: UTC")
	assert.Equal(t, "", m.PreviewDuration)
	assert.True(t, m.LastUpdatedTime.Equal(time.Date(2020, 8, 14, 22, 19, 14, 310000000, time.UTC)))
	assert.Equal(t, "2020-08-14T22:19:14.3100000Z", m.LastUpdatedTime.Raw())
	require.NotNil(t, m.EndTime)
	assert.Contains(t, m.Messages[0].MessageText, `<a href="https://aka.ms/teams-files"`)
	assert.Empty(t, m.Extra)
}

func TestUnknownFieldsAreKeptAndRoundTrip(t *testing.T) {
	t.Parallel()
	msgs := roundTrip[servicecomms.Message](t, "messages-unknown-fields.json")
	m := msgs[0]
	assert.Equal(t, "EX213379", m.ID)
	assert.Equal(t, servicecomms.SeveritySev1, m.Severity)
	require.NotNil(t, m.AffectedUserCount)
	assert.Equal(t, 250, *m.AffectedUserCount)
	require.NotNil(t, m.PostIncidentDocumentURL)
	assert.Equal(t, "https://admin.microsoft.com/AdminPortal/home#/servicehealth/:/postincidentreports/EX213379", *m.PostIncidentDocumentURL)
	assert.Nil(t, m.EndTime)
	assert.False(t, m.IsResolved())
	_, off := m.StartTime.Zone()
	assert.Equal(t, 7200, off)

	// Members the model does not know, reachable as sent.
	assert.JSONEq(t, `"Configuration"`, string(m.Extra["RootCauseCategory"]))
	assert.JSONEq(t, `["EMEA","APAC"]`, string(m.Extra["ImpactedRegions"]))
	assert.JSONEq(t, `{"Level":2,"Owner":null}`, string(m.Extra["Escalation"]))
	assert.JSONEq(t, `false`, string(m.Extra["IsAcknowledged"]))
	// A known member with an unexpected type does not fail decoding: it is
	// kept in Extra and the field stays zero.
	assert.Equal(t, `1.0e3`, string(m.Extra["AffectedTenantCount"]))
	assert.Equal(t, 0, m.AffectedTenantCount)
	assert.Len(t, m.Extra, 5)
	// Nested models keep theirs too.
	assert.JSONEq(t, `"en-US"`, string(m.Messages[0].Extra["Language"]))
	assert.JSONEq(t, `"SHD"`, string(m.AdditionalDetails[0].Extra["Source"]))
	require.Len(t, m.TenantParams, 1)
	assert.JSONEq(t, `{"Name":"Region","Value":"EMEA"}`, string(m.TenantParams[0]))

	// Changes show up; everything else is still as received.
	m.Title = ptr("Resolved: large attachments")
	m.Extra["Escalation"] = json.RawMessage(`{"Level":3}`)
	delete(m.Extra, "IsAcknowledged")
	m.Extra["Zeta"] = json.RawMessage(`1`)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	var back map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &back))
	assert.JSONEq(t, `"Resolved: large attachments"`, string(back["Title"]))
	assert.JSONEq(t, `{"Level":3}`, string(back["Escalation"]))
	assert.NotContains(t, back, "IsAcknowledged")
	assert.JSONEq(t, `1`, string(back["Zeta"]))
	assert.Equal(t, `"2020-09-01T08:00:00.1234567+02:00"`, string(back["StartTime"]))
	assert.Equal(t, `1.0e3`, string(back["AffectedTenantCount"]))
	assert.Equal(t, `null`, string(back["EndTime"]))
	assert.Contains(t, string(out), `"Title":"Resolved: large attachments","Workload":"Exchange"`, "member order kept")
	assert.Contains(t, string(out), `,"Zeta":1}`, "new members last")

	// And a message nested in another value still marshals as received.
	wrapped, err := json.Marshal(map[string]any{"m": msgs[0]})
	require.NoError(t, err)
	assert.Contains(t, string(wrapped), `"RootCauseCategory":"Configuration"`)
}

func TestConstructedModelsMarshal(t *testing.T) {
	t.Parallel()
	m := servicecomms.Message{
		ID:          "EX1",
		Title:       ptr("Mail delays"),
		MessageType: servicecomms.MessageTypeIncident,
		StartTime:   servicecomms.NewTime(time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)),
		Messages:    []servicecomms.MessageHistory{{MessageText: "hi"}},
		Extra:       map[string]json.RawMessage{"Custom": json.RawMessage(`{"a":1}`)},
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Equal(t, `{"Id":"EX1","Title":"Mail delays","MessageType":"Incident","StartTime":"2021-03-04T05:06:07Z","Messages":[{"MessageText":"hi"}],"Custom":{"a":1}}`, string(b))

	var back servicecomms.Message
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "Mail delays", back.TitleText())
	assert.JSONEq(t, `{"a":1}`, string(back.Extra["Custom"]))

	b, err = json.Marshal(servicecomms.Service{ID: "X", Features: []servicecomms.Feature{{Name: "a", DisplayName: "A"}}})
	require.NoError(t, err)
	assert.Equal(t, `{"Id":"X","Features":[{"Name":"a","DisplayName":"A"}]}`, string(b))

	// A documented feature name that is renamed is written as an object.
	var s servicecomms.Service
	require.NoError(t, json.Unmarshal([]byte(`{"Id":"X","FeatureNames":["Sign-in"]}`), &s))
	s.Features[0].Name = "signin"
	b, err = json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `{"Id":"X","FeatureNames":[{"Name":"signin","DisplayName":"Sign-in"}]}`, string(b))
}

func TestModelsRejectNonObjects(t *testing.T) {
	t.Parallel()
	var m servicecomms.Message
	assert.Error(t, json.Unmarshal([]byte(`[1,2]`), &m))
	assert.Error(t, json.Unmarshal([]byte(`"EX1"`), &m))
	var ws servicecomms.WorkloadStatus
	assert.Error(t, json.Unmarshal([]byte(`{"Id":`), &ws))
	// null leaves the value alone
	m.ID = "keep"
	require.NoError(t, json.Unmarshal([]byte(`null`), &m))
	assert.Equal(t, "keep", m.ID)
	// a wrongly typed nested member does not fail the parent
	require.NoError(t, json.Unmarshal([]byte(`{"Id":"EX2","Messages":{"not":"an array"},"IncidentIds":"x"}`), &m))
	assert.Equal(t, "EX2", m.ID)
	assert.Empty(t, m.Messages)
	assert.JSONEq(t, `{"not":"an array"}`, string(m.Extra["Messages"]))
}

func TestStatusValues(t *testing.T) {
	t.Parallel()
	cases := map[servicecomms.Status]servicecomms.Status{
		"ServiceOperational":             servicecomms.StatusServiceOperational,
		"Normal service":                 servicecomms.StatusServiceOperational,
		"Service degradation":            servicecomms.StatusServiceDegradation,
		"serviceinterruption":            servicecomms.StatusServiceInterruption,
		"Restoring service":              servicecomms.StatusRestoringService,
		"Extended recovery":              servicecomms.StatusExtendedRecovery,
		"Investigation suspended":        servicecomms.StatusInvestigationSuspended,
		"Service restored":               servicecomms.StatusServiceRestored,
		"False positive":                 servicecomms.StatusFalsePositive,
		"Post-incident report published": servicecomms.StatusPostIncidentReportPublished,
		"Information available":          servicecomms.StatusInformationAvailable,
		"Investigating":                  servicecomms.StatusInvestigating,
		"Brand new status":               "Brand new status",
		"":                               "",
	}
	for in, want := range cases {
		assert.Equal(t, want, in.Canonical(), in)
	}
	assert.True(t, servicecomms.Status("Service restored").IsResolved())
	assert.True(t, servicecomms.StatusFalsePositive.IsResolved())
	assert.True(t, servicecomms.StatusPostIncidentReportPublished.IsResolved())
	assert.False(t, servicecomms.Status("Extended recovery").IsResolved())
	assert.False(t, servicecomms.Status("Something new").IsResolved())
	assert.False(t, servicecomms.Status("Something new").IsKnown())
	assert.True(t, servicecomms.Status("Normal service").IsNormal())
	assert.Equal(t, "Service degradation", servicecomms.StatusServiceDegradation.DisplayName())
	assert.Equal(t, "Something new", servicecomms.Status("Something new").DisplayName())

	// Open sets: unknown values decode as sent.
	var m servicecomms.Message
	require.NoError(t, json.Unmarshal([]byte(`{"Severity":"Sev9","Classification":"Heads-up","MessageType":"Digest","Status":"Paused"}`), &m))
	assert.Equal(t, servicecomms.Severity("Sev9"), m.Severity)
	assert.Equal(t, servicecomms.Classification("Heads-up"), m.Classification)
	assert.Equal(t, servicecomms.MessageType("Digest"), m.MessageType)
	assert.False(t, m.IsResolved())
	end := `{"Status":"Paused","EndTime":"2020-01-01T00:00:00Z"}`
	require.NoError(t, json.Unmarshal([]byte(end), &m))
	assert.True(t, m.IsResolved(), "unknown status with an EndTime")
}
