package streaming

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func readRecorded(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/stream-recorded.txt")
	require.NoError(t, err)
	return b
}

// mustTime parses an RFC 3339 time for expectations.
func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

func TestDecodeRecordedStream(t *testing.T) {
	data := readRecorded(t)
	res := decodeAll(t, bytes.NewReader(data))
	require.Equal(t, io.EOF, res.err)
	require.Len(t, res.objs, 9)

	type want struct {
		keepAlive bool
		status    string
		seq       int64
		change    ChangeType
		sub       string
		expires   string
		subject   string
	}
	const subB = "QjQzNzAwBQQ=="
	wants := []want{
		{keepAlive: true, status: "Ok"},
		{seq: 9, change: ChangeCreated, sub: wireSubA, expires: "2016-09-09T18:36:42.3454926Z"},
		{keepAlive: true, status: "Ok"},
		{seq: 1, change: ChangeCreated, sub: subB, expires: "2017-01-18T00:57:28.6134733Z", subject: "Quarterly meeting CY17Q1"},
		{seq: 10, change: ChangeUpdated, sub: wireSubA, expires: "2016-09-09T18:36:42.3454926Z",
			subject: `Re: budget {Q3} [draft], "final" ]} ,{ café ☕ 😀 \ / done`},
		{keepAlive: true, status: "Ok"},
		{seq: 11, change: ChangeDeleted, sub: wireSubA, expires: "2016-09-09T18:52:11Z"},
		{seq: 14, change: ChangeMissed, sub: wireSubA, expires: "2016-09-09T19:06:42.3454926Z"},
		{keepAlive: true, status: "OK"},
	}
	for i, w := range wants {
		n := res.objs[i]
		assert.Equal(t, w.keepAlive, n.IsKeepAlive(), "object %d IsKeepAlive", i)
		if w.keepAlive {
			assert.Equal(t, ODataTypeKeepAlive, n.ODataType, "object %d", i)
			assert.Equal(t, w.status, n.Status, "object %d", i)
			assert.True(t, n.StatusOK(), "object %d", i)
			assert.Nil(t, n.ResourceData, "object %d", i)
			continue
		}
		assert.Equal(t, ODataTypeNotification, n.ODataType, "object %d", i)
		assert.Nil(t, n.ID, "object %d", i)
		assert.Equal(t, w.seq, n.SequenceNumber, "object %d", i)
		assert.Equal(t, w.change, n.ChangeType, "object %d", i)
		assert.Equal(t, w.sub, n.SubscriptionID, "object %d", i)
		assert.True(t, mustTime(t, w.expires).Equal(n.SubscriptionExpirationDateTime), "object %d expiry %v", i, n.SubscriptionExpirationDateTime)
		assert.Equal(t, time.UTC, n.SubscriptionExpirationDateTime.Location(), "object %d", i)
		assert.True(t, json.Valid(n.ResourceData), "object %d", i)
		assert.Contains(t, n.Resource, "https://outlook.office.com/api/beta/Users(", "object %d", i)
		if w.subject != "" {
			rd, err := ResourceDataAs[struct{ Subject string }](n)
			require.NoError(t, err)
			assert.Equal(t, w.subject, rd.Subject, "object %d", i)
		}
	}

	// ResourceData is exactly the bytes sent, escapes and all.
	assert.Contains(t, string(res.objs[4].ResourceData), `"Content":"<html><body><p style=\"color:red\">Totals: {a:1, b:[2,3]} ]}</p>\r\n`)
	body, err := ResourceDataAs[struct{ Body struct{ Content string } }](res.objs[4])
	require.NoError(t, err)
	assert.Equal(t, "<html><body><p style=\"color:red\">Totals: {a:1, b:[2,3]} ]}</p>\r\n<p>Zoë — 🎉 tab\there</p></body></html>", body.Body.Content)

	checkAgainstOracle(t, data)
}

// chunkReader returns the data in pseudo-random chunks of 1 to max bytes.
type chunkReader struct {
	data []byte
	rnd  *rand.Rand
	max  int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(1+r.rnd.IntN(r.max), len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

func TestDecodeIndependentOfReadSizes(t *testing.T) {
	recorded := readRecorded(t)
	generated, _ := genStream(300, 10)
	for name, data := range map[string][]byte{"recorded": recorded, "generated": generated} {
		want := decodeAll(t, bytes.NewReader(data))
		require.Equal(t, io.EOF, want.err)
		readers := map[string]io.Reader{
			"OneByteReader": iotest.OneByteReader(bytes.NewReader(data)),
			"HalfReader":    iotest.HalfReader(bytes.NewReader(data)),
			"DataErrReader": iotest.DataErrReader(bytes.NewReader(data)),
			"chunks1-7":     &chunkReader{data: data, rnd: rand.New(rand.NewPCG(1, 2)), max: 7},
			"chunks1-5000":  &chunkReader{data: data, rnd: rand.New(rand.NewPCG(3, 4)), max: 5000},
			"chunks1-100k":  &chunkReader{data: data, rnd: rand.New(rand.NewPCG(5, 6)), max: 100000},
		}
		for rname, r := range readers {
			t.Run(name+"/"+rname, func(t *testing.T) {
				got := decodeAll(t, r)
				assert.Empty(t, diffResults(want, got))
			})
		}
	}
}

func TestDataErrReaderTruncated(t *testing.T) {
	data := readRecorded(t)
	res := decodeAll(t, iotest.DataErrReader(bytes.NewReader(data[:len(data)-1])))
	assert.Len(t, res.objs, 9)
	assert.ErrorIs(t, res.err, io.ErrUnexpectedEOF)
}

func TestTimeoutReader(t *testing.T) {
	data := readRecorded(t)
	cut := bytes.Index(data, []byte(`,{"@odata.type":"#Microsoft.OutlookServices.KeepAliveNotification","Status":"Ok"}`+"\n,{"))
	require.Positive(t, cut)
	// The first Read returns data[:cut] (five complete objects, part of a
	// sixth), the second fails with iotest.ErrTimeout.
	r := iotest.TimeoutReader(io.MultiReader(bytes.NewReader(data[:cut+20]), bytes.NewReader(data[cut+20:])))
	res := decodeAll(t, r)
	assert.Len(t, res.objs, 5)
	assert.ErrorIs(t, res.err, iotest.ErrTimeout)
	assert.NotErrorIs(t, res.err, io.ErrUnexpectedEOF)
	assert.Contains(t, res.err.Error(), "reading stream")
}

func TestTruncatedAtEveryOffset(t *testing.T) {
	data := readRecorded(t)
	// Where each object ends: it must be returned from every prefix that
	// includes its closing brace, and from no shorter one.
	d := NewDecoder(bytes.NewReader(data))
	var ends []int64
	for {
		if _, err := d.Next(); err != nil {
			require.Equal(t, io.EOF, err)
			break
		}
		ends = append(ends, d.InputOffset())
	}
	require.Len(t, ends, 9)
	for k := 0; k <= len(data); k++ {
		prefix := data[:k]
		wantObjs := 0
		for _, e := range ends {
			if e <= int64(k) {
				wantObjs++
			}
		}
		for rname, r := range map[string]io.Reader{
			"bulk":    bytes.NewReader(prefix),
			"onebyte": iotest.OneByteReader(bytes.NewReader(prefix)),
		} {
			res := decodeAll(t, r)
			if len(res.objs) != wantObjs {
				t.Fatalf("%s prefix %d: %d objects, want %d (err %v)", rname, k, len(res.objs), wantObjs, res.err)
			}
			if k == len(data) {
				if res.err != io.EOF {
					t.Fatalf("%s full stream: %v", rname, res.err)
				}
				continue
			}
			if !errors.Is(res.err, io.ErrUnexpectedEOF) {
				t.Fatalf("%s prefix %d: error %v, want io.ErrUnexpectedEOF", rname, k, res.err)
			}
		}
	}
}

func TestBytesAfterEndAreNotRead(t *testing.T) {
	data := readRecorded(t)
	const trailer = "\r\nnext response"

	// With one-byte reads nothing after "]}" is read at all.
	r := strings.NewReader(string(data) + trailer)
	res := decodeAll(t, iotest.OneByteReader(r))
	require.Equal(t, io.EOF, res.err)
	assert.Equal(t, len(trailer), r.Len())
	assert.Equal(t, int64(len(data)), res.dec.InputOffset())

	// When they arrived in the same Read, Buffered hands them back.
	r = strings.NewReader(string(data) + trailer)
	res = decodeAll(t, r)
	require.Equal(t, io.EOF, res.err)
	rest, err := io.ReadAll(io.MultiReader(res.dec.Buffered(), r))
	require.NoError(t, err)
	assert.Equal(t, trailer, string(rest))
}

type nextResult struct {
	n   *Notification
	err error
}

// startNext calls d.Next in a goroutine.
func startNext(d *Decoder) <-chan nextResult {
	ch := make(chan nextResult, 1)
	go func() {
		n, err := d.Next()
		ch <- nextResult{n, err}
	}()
	return ch
}

// waitNext waits for a call started by startNext and fails the test if it
// does not return within a few seconds.
func waitNext(t *testing.T, ch <-chan nextResult) (*Notification, error) {
	t.Helper()
	select {
	case r := <-ch:
		return r.n, r.err
	case <-time.After(10 * time.Second):
		t.Fatal("Next is still waiting for bytes it does not need")
		return nil, nil
	}
}

func TestNextDoesNotWaitForMoreBytes(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	pr, pw := io.Pipe()
	defer pr.Close()
	defer pw.Close()
	writes := make(chan string)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for s := range writes {
			if _, err := pw.Write([]byte(s)); err != nil {
				return
			}
		}
	}()
	d := NewDecoder(pr)

	// One object, the writer stays open: Next returns it.
	ch := startNext(d)
	writes <- wirePreamble + wireKeepAlive
	n, err := waitNext(t, ch)
	require.NoError(t, err)
	assert.True(t, n.IsKeepAlive())

	// An object split across writes, arriving in pieces.
	note := richNotification(3)
	ch = startNext(d)
	writes <- "\r\n,"
	writes <- note[:100]
	writes <- note[100:]
	n, err = waitNext(t, ch)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n.SequenceNumber)

	// The end: io.EOF while the writer is still open.
	ch = startNext(d)
	writes <- "]}"
	_, err = waitNext(t, ch)
	require.Equal(t, io.EOF, err)

	// The decoder reads nothing more: the next write stays in the pipe.
	writes <- "after"
	buf := make([]byte, 16)
	k, err := pr.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "after", string(buf[:k]))
	close(writes)
	<-writerDone
}

func TestSyntaxErrors(t *testing.T) {
	pre := wirePreamble
	ka := wireKeepAlive
	deep := strings.Repeat("[", maxNestingDepth-notificationDepth+1)
	tests := []struct {
		name    string
		in      string
		objs    int
		offset  int
		msg     string
		options []DecoderOption
	}{
		{"html error page", "<html><body>502 Bad Gateway</body></html>", 0, 0, "invalid character '<'", nil},
		{"empty document", "{}", 0, 1, `no "value" array`, nil},
		{"no value array", `{"@odata.context":"x"}`, 0, 21, `no "value" array`, nil},
		{"value not an array", `{"value":{}}`, 0, 9, "invalid character '{'", nil},
		{"element not an object", pre + `1]}`, 0, len(pre), "invalid character '1'", nil},
		{"leading comma before first", pre + `,` + ka + `]}`, 0, len(pre), "invalid character ','", nil},
		{"trailing comma", pre + ka + `,]}`, 1, len(pre) + len(ka) + 1, "invalid character ']'", nil},
		{"missing comma", pre + ka + ka + `]}`, 1, len(pre) + len(ka), "invalid character '{' after notification object", nil},
		{"garbage after array", pre + ka + `]x`, 1, len(pre) + len(ka) + 1, "invalid character 'x'", nil},
		{"missing colon", pre + `{"Status" "Ok"}]}`, 0, len(pre) + 10, "after object key", nil},
		{"missing value", pre + `{"Status":}]}`, 0, len(pre) + 10, "looking for beginning of value", nil},
		{"bad literal", pre + `{"Id":nul}]}`, 0, len(pre) + 9, "in literal null", nil},
		{"bad nested literal", pre + `{"X":[true,fals]}]}`, 0, len(pre) + 15, "in literal false", nil},
		{"mismatched brackets", pre + `{"X":[1}]}`, 0, len(pre) + 7, "after array element", nil},
		{"nested garbage", pre + `{"ResourceData":{"a":[1,}]}}]}`, 0, len(pre) + 24, "looking for beginning of value", nil},
		{"control character", pre + "{\"Resource\":\"a\nb\"}]}", 0, len(pre) + 14, `invalid character '\n' in string literal`, nil},
		{"bad escape", pre + `{"Resource":"a\xb"}]}`, 0, len(pre) + 15, "in string escape code", nil},
		{"bad unicode escape", pre + `{"Resource":"\u12G4"}]}`, 0, len(pre) + 17, `in \u hexadecimal`, nil},
		{"leading zero", pre + `{"X":01}]}`, 0, len(pre) + 6, "after object key:value pair", nil},
		{"bare minus", pre + `{"X":-}]}`, 0, len(pre) + 6, "in numeric literal", nil},
		{"empty fraction", pre + `{"X":1.}]}`, 0, len(pre) + 7, "after decimal point", nil},
		{"empty exponent", pre + `{"X":1e}]}`, 0, len(pre) + 7, "in exponent", nil},
		{"preamble scalar garbage", `{"x":12x,"value":[]}`, 0, 7, "after object key:value pair", nil},
		{"preamble bad literal", `{"x":n ,"value":[]}`, 0, 6, "in literal null", nil},
		{"too deep", pre + `{"ResourceData":` + deep + `]}`, 0, len(pre) + 16 + len(deep) - 1, "exceeded max depth", nil},
		{"doubled brace, strict", `{{"value":[]}`, 0, 1, "invalid character '{'", []DecoderOption{WithStrictPreamble()}},
		{"missing value array, strict", `{"@odata.context":"x",{}]}`, 0, 22, "invalid character '{'", []DecoderOption{WithStrictPreamble()}},
		{"tripled brace", `{{{"value":[]}`, 0, 2, "invalid character '{'", nil},
		{"doubled brace then close", `{{}`, 0, 2, `no "value" array`, nil},
		{"brace instead of first key", `{ {"value":[]}`, 0, 0, "", nil}, // accepted: see below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for rname, r := range map[string]io.Reader{
				"bulk":    strings.NewReader(tt.in),
				"onebyte": iotest.OneByteReader(strings.NewReader(tt.in)),
			} {
				res := decodeAll(t, r, tt.options...)
				assert.Len(t, res.objs, tt.objs, rname)
				if tt.msg == "" {
					assert.Equal(t, io.EOF, res.err, rname)
					continue
				}
				var se *SyntaxError
				require.ErrorAs(t, res.err, &se, rname)
				assert.Equal(t, int64(tt.offset), se.Offset, "%s: %v", rname, se)
				assert.Contains(t, se.Msg, tt.msg, rname)
				assert.Contains(t, se.Error(), fmt.Sprintf("byte offset %d", tt.offset), rname)
			}
		})
	}
}

func TestFieldErrors(t *testing.T) {
	pre := wirePreamble
	tests := []struct {
		name  string
		value string // the value of field
		field string
		msg   string
	}{
		{"fraction", "1.5", "SequenceNumber", "not a 64-bit integer"},
		{"exponent", "1e3", "SequenceNumber", "not a 64-bit integer"},
		{"overflow", "9223372036854775808", "SequenceNumber", "not a 64-bit integer"},
		{"negative overflow", "-9223372036854775809", "SequenceNumber", "not a 64-bit integer"},
		{"string sequence", `"9"`, "SequenceNumber", "JSON string where an integer is expected"},
		{"bool status", "true", "Status", "JSON boolean where a string is expected"},
		{"object id", `{"a":1}`, "Id", "JSON object where a string is expected"},
		{"array change type", `["Created"]`, "ChangeType", "JSON array where a string is expected"},
		{"number resource", "12", "Resource", "JSON number where a string is expected"},
		{"number time", "12", "SubscriptionExpirationDateTime", "JSON number where a string is expected"},
		{"no such day", `"2015-02-29T18:36:42Z"`, "SubscriptionExpirationDateTime", "day out of range"},
		{"not a time", `"yesterday"`, "SubscriptionExpirationDateTime", "cannot parse"},
		{"hour 24", `"2016-09-09T24:00:00Z"`, "SubscriptionExpirationDateTime", "hour out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := pre + wireKeepAlive + `,{"@odata.type":"x","` + tt.field + `":` + tt.value + `}]}`
			res := decodeAll(t, strings.NewReader(in))
			assert.Len(t, res.objs, 1)
			var fe *FieldError
			require.ErrorAs(t, res.err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.Equal(t, int64(len(in)-len(tt.value)-3), fe.Offset)
			assert.Contains(t, fe.Error(), tt.msg)
			assert.NotNil(t, errors.Unwrap(fe))
		})
	}
	// The time parser's own error is reachable.
	res := decodeAll(t, strings.NewReader(pre+`{"SubscriptionExpirationDateTime":"2016-13-01T00:00:00Z"}]}`))
	var pe *time.ParseError
	assert.ErrorAs(t, res.err, &pe)
}

func TestSequenceNumbers(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "-0": 0, "9": 9, "123456789": 123456789,
		"9223372036854775807":  9223372036854775807,
		"-9223372036854775808": -9223372036854775808,
	} {
		res := decodeAll(t, strings.NewReader(wirePreamble+`{"SequenceNumber":`+in+`}]}`))
		require.Equal(t, io.EOF, res.err, in)
		assert.Equal(t, want, res.objs[0].SequenceNumber, in)
	}
}

func TestObjectTooLarge(t *testing.T) {
	const limit = 1000
	small := `{"Status":"Ok"}`
	exact := `{"Resource":"` + strings.Repeat("x", limit-len(`{"Resource":""}`)) + `"}`
	require.Len(t, exact, limit)
	over := `{"Resource":"` + strings.Repeat("x", limit-len(`{"Resource":""}`)+1) + `"}`

	in := wirePreamble + small + "," + exact + "," + over + "]}"
	for rname, r := range map[string]io.Reader{
		"bulk":    strings.NewReader(in),
		"onebyte": iotest.OneByteReader(strings.NewReader(in)),
	} {
		res := decodeAll(t, r, WithMaxObjectSize(limit))
		assert.Len(t, res.objs, 2, rname)
		assert.ErrorIs(t, res.err, ErrObjectTooLarge, rname)
		assert.LessOrEqual(t, len(res.dec.buf), limit+readChunk, rname)
	}

	// A preamble property counts as an object too.
	res := decodeAll(t, strings.NewReader(`{"@odata.context":"`+strings.Repeat("x", limit)+`","value":[]}`), WithMaxObjectSize(limit))
	assert.ErrorIs(t, res.err, ErrObjectTooLarge)
}

// endlessObject is a reader of an object that never ends.
type endlessObject struct{ head string }

func (r *endlessObject) Read(p []byte) (int, error) {
	n := copy(p, r.head)
	r.head = r.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestEndlessObjectMemoryIsBounded(t *testing.T) {
	d := NewDecoder(&endlessObject{head: wirePreamble + wireKeepAlive + `,{"ResourceData":"`})
	_, err := d.Next()
	require.NoError(t, err)
	_, err = d.Next()
	assert.ErrorIs(t, err, ErrObjectTooLarge)
	assert.LessOrEqual(t, len(d.buf), DefaultMaxObjectSize+readChunk)
	assert.Contains(t, err.Error(), fmt.Sprint(DefaultMaxObjectSize))
}

func TestReaderErrorsArePassedThrough(t *testing.T) {
	errReset := errors.New("connection reset by peer")
	data := readRecorded(t)
	cut := bytes.Index(data, []byte(`"Missed"`))
	r := io.MultiReader(bytes.NewReader(data[:cut]), iotest.ErrReader(errReset))
	res := decodeAll(t, r)
	assert.Len(t, res.objs, 7)
	assert.ErrorIs(t, res.err, errReset)
	assert.NotErrorIs(t, res.err, io.ErrUnexpectedEOF)
}

// zeroReader returns (0, nil) forever.
type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestReaderWithoutProgress(t *testing.T) {
	_, err := NewDecoder(zeroReader{}).Next()
	assert.ErrorIs(t, err, io.ErrNoProgress)
}

func TestPreambles(t *testing.T) {
	ka := wireKeepAlive
	tests := []struct {
		name    string
		in      string
		objs    int
		repairs int
	}{
		{"wire", wirePreamble + ka + "]}", 1, 0},
		{"without context", `{"value":[` + ka + "]}", 1, 0},
		{"empty", `{"value":[]}`, 0, 0},
		{"whitespace everywhere", " \r\n\t{ \"@odata.context\" : \"x\" ,\n \"value\" :\n [ \n" + ka + " \r\n , " + ka + "\n ] \n }", 2, 0},
		{"other properties first", `{"x":"\"value\":[","y":{"value":[1,{"value":[]}]},"z":[{"value":"]}"}],"n":-1.5e+3,"t":true,"f":false,"0":null,"value":[` + ka + `]}`, 1, 0},
		{"name case", `{"VALUE":[` + ka + `]}`, 1, 0},
		{"escaped name", `{"Val\u0075e":[` + ka + `]}`, 1, 0},
		{"documentation: doubled brace", "{\n    {\"@odata.context\":\"https://outlook.office.com/api/beta/metadata#Notifications\",\n    \"value\": [\n" + ka + "\n    ]\n}", 1, 1},
		{"documentation: missing value array", "{\n  \"@odata.context\": \"https://outlook.office.com/api/beta/$metadata#Notifications\",\n    " + ka + "\n  ]\n}", 1, 1},
		{"both defects", `{ {"@odata.context":"x", ` + ka + `]}`, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := decodeAll(t, strings.NewReader(tt.in))
			require.Equal(t, io.EOF, res.err)
			assert.Len(t, res.objs, tt.objs)
			assert.Equal(t, tt.repairs, res.dec.nrep)
			strict := decodeAll(t, strings.NewReader(tt.in), WithStrictPreamble())
			if tt.repairs == 0 {
				assert.Equal(t, io.EOF, strict.err)
				checkAgainstOracle(t, []byte(tt.in))
			} else {
				var se *SyntaxError
				assert.ErrorAs(t, strict.err, &se)
			}
		})
	}
}

// TestPropertyNamesMatchEncodingJSON decodes names in odd spellings and
// compares with encoding/json.
func TestPropertyNamesMatchEncodingJSON(t *testing.T) {
	names := map[string][]string{
		"@odata.type":                    {"@odata.type", "@ODATA.TYPE", `@odata\u002etype`},
		"Id":                             {"Id", "ID", "id", `\u0049d`},
		"SubscriptionId":                 {"subscriptionid", "SUBSCRIPTIONID", "ſubscriptionId"},
		"SubscriptionExpirationDateTime": {"subscriptionExpirationDateTime"},
		"SequenceNumber":                 {"sequencenumber", "ſequenceNumber"},
		"ChangeType":                     {"changeType", "CHANGETYPE"},
		"Resource":                       {"resource", `Re\u0073ource`, "Reſource"},
		"ResourceData":                   {"resourcedata"},
		"Status":                         {"STATUS", "ſtatuſ"},
		"":                               {"Kelvin", "ıd", "\u212aey", "Statu", "Statuss", "Resource Data", "Sub\\u0000scriptionId"},
	}
	values := map[string]string{
		"@odata.type": `"t"`, "Id": `"i"`, "SubscriptionId": `"s"`, "SubscriptionExpirationDateTime": `"2016-09-09T18:36:42Z"`,
		"SequenceNumber": "7", "ChangeType": `"Updated"`, "Resource": `"r"`, "ResourceData": `{"a":1}`, "Status": `"OK"`, "": `{"x":[1]}`,
	}
	var b strings.Builder
	b.WriteString(wirePreamble)
	first := true
	for field, spellings := range names {
		for _, name := range spellings {
			if !first {
				b.WriteByte(',')
			}
			first = false
			fmt.Fprintf(&b, `{"%s":%s}`, name, values[field])
		}
	}
	b.WriteString("]}")
	in := []byte(b.String())
	want := oracle(in)
	require.True(t, want.wellFormed && want.conforming)
	require.NoError(t, want.err)
	checkAgainstOracle(t, in)
	// And the names that should match did.
	res := decodeAll(t, bytes.NewReader(in))
	matched := 0
	for _, n := range res.objs {
		if !sameNotification(n, &Notification{}) {
			matched++
		}
	}
	assert.Equal(t, len(res.objs)-len(names[""]), matched)
}

func TestStringsAreUnescaped(t *testing.T) {
	in := wirePreamble + `{"Resource":"a\"b\\c\/d\be\ff\ng\rh\ti \u00e9 \ud83d\ude00 lone:\ud83d. \ude00 \ud83d\u0041 caf` + "\xe9" + ` ok","Id":"\u0000",` +
		`"Status":"plain","ResourceData":{"s":"\ud83d\ude00 \u00e9 ` + "\xff" + `"}}]}`
	res := decodeAll(t, strings.NewReader(in))
	require.Equal(t, io.EOF, res.err)
	n := res.objs[0]
	assert.Equal(t, "a\"b\\c/d\be\ff\ng\rh\ti é 😀 lone:\ufffd. \ufffd \ufffdA caf\ufffd ok", n.Resource)
	require.NotNil(t, n.ID)
	assert.Equal(t, "\x00", *n.ID)
	assert.Equal(t, "plain", n.Status)
	assert.Equal(t, `{"s":"\ud83d\ude00 \u00e9 `+"\xff"+`"}`, string(n.ResourceData))
	checkAgainstOracle(t, []byte(in))
}

func TestNullsAndDuplicates(t *testing.T) {
	in := wirePreamble +
		`{"@odata.type":null,"Id":null,"SubscriptionId":null,"SubscriptionExpirationDateTime":null,"SequenceNumber":null,"ChangeType":null,"Resource":null,"ResourceData":null,"Status":null}` +
		`,{"Id":"a","Id":null,"Status":"x","Status":null,"ResourceData":{"a":1},"ResourceData":null,"SequenceNumber":1,"SequenceNumber":2,"Resource":"r1","resource":"r2"}` +
		`,{"Id":null,"Id":"b","ResourceData":null,"ResourceData":[1]}]}`
	res := decodeAll(t, strings.NewReader(in))
	require.Equal(t, io.EOF, res.err)
	require.Len(t, res.objs, 3)
	assert.Equal(t, Notification{}, *res.objs[0])
	assert.Equal(t, Notification{Status: "x", SequenceNumber: 2, Resource: "r2"}, *res.objs[1])
	require.NotNil(t, res.objs[2].ID)
	assert.Equal(t, "b", *res.objs[2].ID)
	assert.Equal(t, "[1]", string(res.objs[2].ResourceData))
	checkAgainstOracle(t, []byte(in))
}

func TestTimes(t *testing.T) {
	for in, want := range map[string]string{
		"2016-09-09T18:36:42.3454926Z":      "2016-09-09T18:36:42.3454926Z",
		"2016-09-09T18:36:42Z":              "2016-09-09T18:36:42Z",
		"2016-09-09T18:36:42.1Z":            "2016-09-09T18:36:42.1Z",
		"2016-09-09T18:36:42.123456789Z":    "2016-09-09T18:36:42.123456789Z",
		"2016-09-09T18:36:42.1234567891Z":   "2016-09-09T18:36:42.123456789Z",
		"2016-09-09T18:36:42+02:00":         "2016-09-09T16:36:42Z",
		"2016-09-09T18:36:42.5-07:30":       "2016-09-10T02:06:42.5Z",
		"2016-02-29T23:59:59.999999999Z":    "2016-02-29T23:59:59.999999999Z",
		"2000-02-29T00:00:00Z":              "2000-02-29T00:00:00Z",
		"0001-01-01T00:00:00Z":              "0001-01-01T00:00:00Z",
		`2016-09-09T18:36:42.3454926\u005a`: "2016-09-09T18:36:42.3454926Z",
	} {
		res := decodeAll(t, strings.NewReader(wirePreamble+`{"SubscriptionExpirationDateTime":"`+in+`"}]}`))
		require.Equal(t, io.EOF, res.err, in)
		assert.True(t, mustTime(t, want).Equal(res.objs[0].SubscriptionExpirationDateTime), "%s: %v", in, res.objs[0].SubscriptionExpirationDateTime)
	}
	for _, in := range []string{"", "2016-09-09", "2016-09-09T18:36:42", "2016-09-09T18:36:42.Z", "1900-02-29T00:00:00Z",
		"2016-09-31T00:00:00Z", "2016-09-09T18:60:00Z", "2016-09-09T18:36:60Z", "2016-09-09 18:36:42Z", "+2016-09-09T18:36:42Z"} {
		_, err := parseTime([]byte(in))
		assert.Error(t, err, in)
	}
}

// TestTimeFastPathMatchesTimeParse compares the hand-written parser with
// time.Parse on the service's layout and on random corruptions of it.
func TestTimeFastPathMatchesTimeParse(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	const alphabet = "0123456789-:.TZ+x"
	fastHits := 0
	for i := range 200000 {
		ts := time.Date(1+rnd.IntN(9998), time.Month(1+rnd.IntN(12)), 1+rnd.IntN(31), rnd.IntN(24), rnd.IntN(60), rnd.IntN(60), rnd.IntN(1e9), time.UTC)
		s := []byte(ts.Format("2006-01-02T15:04:05.") + fmt.Sprintf("%09d", ts.Nanosecond())[:rnd.IntN(10)] + "Z")
		if s[20] == 'Z' { // no digits after the point
			s = append(s[:19], 'Z')
		}
		if i%2 == 1 { // corrupt one byte
			s[rnd.IntN(len(s))] = alphabet[rnd.IntN(len(alphabet))]
		}
		got, ok := parseTimeUTC(s)
		want, err := time.Parse(time.RFC3339Nano, string(s))
		if !ok {
			continue
		}
		fastHits++
		if err != nil || !got.Equal(want) || got.Location() != want.Location() {
			t.Fatalf("%s: fast path %v, time.Parse %v, %v", s, got, want, err)
		}
	}
	assert.Greater(t, fastHits, 100000)
}

func TestNotificationIsReusedAndCloneIsOwned(t *testing.T) {
	in := wirePreamble + richNotification(1) + "," + richNotification(2) + `,{"Id":"x","Resource":"r"},{"Id":"y"}]}`
	d := NewDecoder(strings.NewReader(in))
	n1, err := d.Next()
	require.NoError(t, err)
	kept := n1.Clone()
	rd := string(n1.ResourceData)
	resource := n1.Resource
	assert.Equal(t, len(n1.ResourceData), cap(n1.ResourceData), "appending to ResourceData must not write into the buffer")

	n2, err := d.Next()
	require.NoError(t, err)
	assert.Same(t, n1, n2, "Next reuses its Notification")
	assert.Equal(t, int64(2), n2.SequenceNumber)
	assert.Equal(t, int64(1), kept.SequenceNumber)
	assert.Equal(t, rd, string(kept.ResourceData))
	assert.Equal(t, resource, kept.Resource, "strings stay valid")

	n3, err := d.Next()
	require.NoError(t, err)
	id := n3.ID
	keptID := n3.Clone().ID
	_, err = d.Next()
	require.NoError(t, err)
	assert.Equal(t, "y", *id, "ID points into the decoder until the next call")
	assert.Equal(t, "x", *keptID)
}

func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	d := NewDecoder(newCycleReader(wireKeepAlive))
	for range 100 { // warm up: buffer, interned strings
		_, err := d.Next()
		require.NoError(t, err)
	}
	allocs := testing.AllocsPerRun(10000, func() {
		if _, err := d.Next(); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "allocations per keep-alive")

	d = NewDecoder(newCycleReader(richNotification(5)))
	for range 100 {
		_, err := d.Next()
		require.NoError(t, err)
	}
	allocs = testing.AllocsPerRun(10000, func() {
		if _, err := d.Next(); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 1.0, "allocations per notification")
}

func TestChangeTypeAndTypeStringsAreInterned(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	// Unknown values repeat without allocating either.
	obj := `{"@odata.type":"#Other.Type","ChangeType":"Renamed","SubscriptionId":"sub","Status":"Fine"}`
	d := NewDecoder(newCycleReader(obj))
	for range 10 {
		_, err := d.Next()
		require.NoError(t, err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		n, err := d.Next()
		if err != nil || n.ChangeType != "Renamed" || n.Status != "Fine" {
			t.Fatal(n, err)
		}
	})
	assert.Zero(t, allocs)
}

func TestBufferGrowsOnlyWhenNeeded(t *testing.T) {
	// An idle connection: one small keep-alive per Read. The buffer stays small.
	pr, pw := io.Pipe()
	go func() {
		defer pw.Close()
		if _, err := pw.Write([]byte(wirePreamble)); err != nil {
			return
		}
		for i := range 200 {
			sep := ","
			if i == 0 {
				sep = ""
			}
			if _, err := pw.Write([]byte(sep + wireKeepAlive)); err != nil {
				return
			}
		}
		_, _ = pw.Write([]byte("]}"))
	}()
	res := decodeAll(t, pr)
	require.Equal(t, io.EOF, res.err)
	assert.Len(t, res.objs, 200)
	assert.Equal(t, initialBufferSize, len(res.dec.buf), "idle connection buffer")

	// Data waiting in bulk: reads fill the buffer, which grows to the read-ahead size.
	stream, _ := genStream(200, 10)
	res = decodeAll(t, bytes.NewReader(stream))
	require.Equal(t, io.EOF, res.err)
	assert.Equal(t, readAheadSize, len(res.dec.buf), "bulk read buffer")

	// One large object, arriving in small pieces: the buffer grows to hold it.
	big := wirePreamble + `{"Resource":"` + strings.Repeat("x", 100000) + `"}]}`
	res = decodeAll(t, iotest.HalfReader(strings.NewReader(big)))
	require.Equal(t, io.EOF, res.err)
	assert.GreaterOrEqual(t, len(res.dec.buf), 100000)
	assert.LessOrEqual(t, len(res.dec.buf), DefaultMaxObjectSize+readChunk)
}
