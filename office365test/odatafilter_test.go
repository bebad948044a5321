package office365test_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365/office365test"
)

const filterDoc = `{
 "Subject": "O'Neil's Q3 plan", "IsRead": false, "Importance": "High", "Size": 1200, "Score": 4.5,
 "ReceivedDateTime": "2016-10-19T10:37:00Z",
 "From": {"EmailAddress": {"Name": "Alex Wilber", "Address": "alex@contoso.com"}},
 "Start": {"DateTime": "2016-04-01T09:00:00.0000000", "TimeZone": "UTC"},
 "Categories": ["Red", "Blue"],
 "SingleValueExtendedProperties": [{"PropertyId": "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color", "Value": "Green"}],
 "Flag": null
}`

func TestFilterEvaluation(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(filterDoc), &doc))
	cases := map[string]bool{
		"":                                true,
		"IsRead eq false":                 true,
		"IsRead":                          false,
		"not IsRead":                      true,
		"Subject eq 'o''neil''s q3 PLAN'": true, // case-insensitive strings, doubled quotes
		"Subject ne 'x'":                  true,
		"Importance eq Microsoft.Exchange.Services.OData.Model.Importance'High'": true,
		"Size gt 1000 and Size le 1200":                                          true,
		"Size lt 1000 or Score ge 4.5":                                           true,
		"Score eq -4.5":                                                          false,
		"ReceivedDateTime ge 2016-10-19T00:00:00Z":                               true,
		"ReceivedDateTime gt 2016-10-20":                                         false,
		"ReceivedDateTime le 2016-10-19T12:37:00+02:00":                          true,
		"ReceivedDateTime lt 2016-10-19T12:37:00+02:00":                          false,
		"Start/DateTime ge '2016-04-01T08:00'":                                   true,
		"From/EmailAddress/Address eq 'ALEX@contoso.com'":                        true,
		"From/EmailAddress/Name ne 'Alex Wilber'":                                false,
		"not (IsRead eq false and Importance eq 'Low')":                          true,
		"(Size eq 1 or Size eq 1200) and not (Subject eq 'x')":                   true,
		"Flag eq null":                    true,
		"Missing eq null":                 true,
		"Missing ne null":                 false,
		"Missing gt 3":                    false,
		"Categories/any(c: c eq 'blue')":  true,
		"Categories/any(c: c eq 'Green')": false,
		"Categories/all(c: c ne 'Green')": true,
		"Categories/any()":                true,
		"SingleValueExtendedProperties/Any(ep: ep/PropertyId eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color' and ep/Value eq 'Green')": true,
		"Subject eq 5": false,
	}
	for expr, want := range cases {
		f, err := office365test.ParseFilter(expr, nil)
		require.NoError(t, err, expr)
		assert.Equal(t, want, f.Match(doc), expr)
	}
}

func TestFilterErrors(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{"Subject eq", "(IsRead eq true", "Subject eq 'x", "Subject ~ 'x'", "Size eq 12x", "Categories/any(c c eq 'x')", "eq 1"} {
		_, err := office365test.ParseFilter(expr, nil)
		var fe *office365test.FilterError
		require.True(t, errors.As(err, &fe), "%q: %v", expr, err)
		assert.Equal(t, "ErrorInvalidUrlQueryFilter", fe.Code, expr)
	}
	_, err := office365test.ParseFilter("contains(Subject,'x')", nil)
	assert.EqualError(t, err, "ErrorInvalidUrlQueryFilter: 'contains' and 'startswith' are not supported for filtering. Use Search instead.")
	f, err := office365test.ParseFilter("startswith(Subject,'o''n') and endswith(Subject, 'PLAN') and contains(Subject,'q3')", &office365test.FilterOptions{Functions: true})
	require.NoError(t, err)
	assert.True(t, f.Match(map[string]any{"Subject": "O'Neil's Q3 plan"}))

	_, err = office365test.ParseFilter("ChangeKey eq 'x'", &office365test.FilterOptions{Filterable: func(p []string) error {
		if p[0] == "ChangeKey" {
			return errors.New("The property 'ChangeKey' does not support filtering.")
		}
		return nil
	}})
	var fe *office365test.FilterError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "ErrorInvalidProperty", fe.Code)
}

func TestOrderSelect(t *testing.T) {
	t.Parallel()
	docs := []map[string]any{
		{"Id": "1", "N": 2.0, "S": "b", "T": "2016-01-02T00:00:00Z"},
		{"Id": "2", "N": 1.0, "S": "B", "T": "2016-01-01T00:00:00Z"},
		{"Id": "3", "N": 3.0, "S": "a", "T": "2016-01-03T00:00:00Z"},
	}
	ids := func() []string {
		var out []string
		for _, d := range docs {
			out = append(out, d["Id"].(string))
		}
		return out
	}
	order, err := office365test.ParseOrderBy("S, N desc", nil)
	require.NoError(t, err)
	office365test.SortDocuments(docs, order)
	assert.Equal(t, []string{"3", "1", "2"}, ids())
	order, err = office365test.ParseOrderBy("T desc", nil)
	require.NoError(t, err)
	office365test.SortDocuments(docs, order)
	assert.Equal(t, []string{"3", "1", "2"}, ids())
	_, err = office365test.ParseOrderBy("S sideways", nil)
	assert.Error(t, err)

	sel := office365test.SelectProperties(map[string]any{"Id": "1", "Subject": "s", "Body": "b", "@odata.etag": "e"}, []string{"subject"}, "Id")
	assert.Equal(t, map[string]any{"Id": "1", "Subject": "s", "@odata.etag": "e"}, sel)
	assert.Equal(t, []string{"Extensions($filter=Id eq 'a,b')", "Attachments"}, office365test.SplitList(" Extensions($filter=Id eq 'a,b'), Attachments ,"))
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"IsRead eq false", "a/b/c eq 'x''y' and not (n gt 2.5e3)", "Categories/any(c: c eq 'r')", "x eq 2016-01-01T00:00:00Z"} {
		f.Add(s)
	}
	doc := map[string]any{"a": map[string]any{"b": map[string]any{"c": "x"}}, "n": 3.0, "Categories": []any{"r"}}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := office365test.ParseFilter(expr, nil)
		if err == nil {
			flt.Match(doc)
		}
	})
}
