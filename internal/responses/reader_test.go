package responses

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"strings"
	"testing"
)

// testCatalog has bundle 1.0.0 with form F (3 positions) and G (1).
func testCatalog() *Catalog {
	c := NewCatalog()
	c.AddForm(&Form{Bundle: "1.0.0", Exam: "X", Form: "F", Slots: []Slot{
		{Position: 1, ID: "A-1", Revision: 1, Role: "scored", Type: "single", Letters: 4, Key: 1 << 1},
		{Position: 2, ID: "A-2", Revision: 2, Role: "scored", Type: "multiple", Letters: 5, Key: 1<<0 | 1<<2},
		{Position: 3, ID: "A-3", Revision: 1, Role: "pretest", Type: "single", Letters: 4, Key: 1 << 3},
	}})
	c.AddForm(&Form{Bundle: "1.0.0", Exam: "X", Form: "G", Slots: []Slot{
		{Position: 1, ID: "A-1", Revision: 1, Role: "scored", Type: "single", Letters: 4, Key: 1 << 1},
	}})
	return c
}

// readAll reads one stream and returns the used attempts and the result.
func readAll(t *testing.T, name, data string, opts Options) ([]*Attempt, *Result) {
	t.Helper()
	var got []*Attempt
	r := NewReader(testCatalog(), opts, func(a *Attempt) error { got = append(got, a); return nil })
	if err := r.ReadStream(context.Background(), name, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	res, err := r.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return got, res
}

func messages(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%d: %s", f.Line, f.Message))
	}
	return out
}

func TestJSONLRejectsEachBadRecordAtItsLine(t *testing.T) {
	tests := []struct{ line, want string }{
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","A,C"]}`, "2 answers; form F of bundle 1.0.0 has 3 positions"},
		{`{"attempt":"b","candidate":"c","bundle":"2.0.0","form":"F","answers":["B","A,C",""]}`, "unknown bundle 2.0.0 (bundles given: 1.0.0)"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"Z","answers":["B","A,C",""]}`, "bundle 1.0.0 has no form Z"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["E","A,C",""]}`, "position 1: answer \"E\": the item has no option E (its options are A-D)"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["A,B","A,C",""]}`, "position 1: answer \"A,B\" has 2 letters for a single-answer item"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","A,A",""]}`, "position 2: answer \"A,A\" chooses A twice"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","A;C",""]}`, "is not a list of option letters"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F"}`, "attempt b: missing answers"},
		{`{"candidate":"c","bundle":"1.0.0","form":"F","answers":["B","A,C",""]}`, "missing attempt id"},
		{`{"attempt":"b","bundle":"1.0.0","form":"F","answers":["B","A,C",""]}`, "attempt b: missing candidate"},
		{`{"attempt":"b","candidate":"c","form":"F","answers":["B","A,C",""]}`, "attempt b: missing bundle"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","answers":["B","A,C",""]}`, "attempt b: missing form"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["B",3,""]}`, "field answers is a JSON number; want a string"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":"B"}`, "field answers is a JSON string; want a list of strings"},
		{`{"attempt":"b",`, "not valid JSON"},
		{`[1]`, "a JSON array where an attempt object is wanted"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","A,C",""],"submitted":"yesterday"}`, "submitted \"yesterday\" is not an RFC 3339 time"},
		{`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","A,C",""],"seconds":-1}`, "seconds -1 is negative"},
		{`{"attempt":"a","candidate":"c","bundle":"1.0.0","form":"G","answers":["B"]}`, "attempt a repeated (first at f.jsonl:1)"},
	}
	good := `{"attempt":"a","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","C, A",""]}`
	for _, tt := range tests {
		got, res := readAll(t, "f.jsonl", good+"\n"+tt.line+"\n", Options{Attempts: All})
		if len(got) != 1 || res.Rejected != 1 || res.Records != 2 || len(res.Findings) != 1 {
			t.Errorf("%s: used %d, result %+v", tt.line, len(got), res)
			continue
		}
		f := res.Findings[0]
		if f.Line != 2 || f.Rule != "response" || !strings.Contains(f.Message, tt.want) {
			t.Errorf("%s:\n got %d: %s\nwant 2: ...%s", tt.line, f.Line, f.Message, tt.want)
		}
	}
}

func TestJSONLGoodRecord(t *testing.T) {
	data := "\n" + `{"attempt":"a","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","C,A",""],"simulated":true,"seconds":12,"extra":1}` + "\r\n"
	got, res := readAll(t, "f.jsonl", data, Options{})
	if len(got) != 1 || res.Rejected != 0 || !res.AllSimulated() {
		t.Fatalf("got %d, %+v", len(got), res)
	}
	a := got[0]
	if a.Line != 2 || a.Chosen[0] != 2 || a.Chosen[1] != 5 || a.Chosen[2] != 0 || !a.HasSeconds || a.Seconds != 12 {
		t.Errorf("attempt %+v", a)
	}
	if !a.Correct(0) || !a.Correct(1) || a.Correct(2) || a.Raw() != 2 {
		t.Errorf("correctness: %v %v %v raw %d", a.Correct(0), a.Correct(1), a.Correct(2), a.Raw())
	}
}

func TestOverlongLineIsOneFindingAndReadingGoesOn(t *testing.T) {
	long := `{"attempt":"x","candidate":"` + strings.Repeat("c", 300) + `"}`
	good := `{"attempt":"a","candidate":"c","bundle":"1.0.0","form":"G","answers":["B"]}`
	got, res := readAll(t, "f.jsonl", long+"\n"+good+"\n"+long, Options{MaxLine: 100})
	if len(got) != 1 || res.Rejected != 2 {
		t.Fatalf("got %d, %v", len(got), messages(res))
	}
	if m := messages(res); m[0] != "1: line longer than 100 bytes; not an attempt record" || !strings.HasPrefix(m[1], "3: ") {
		t.Errorf("findings %q", m)
	}
}

func TestGzipIsRecognisedByContent(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprintln(zw, `{"attempt":"a","candidate":"c","bundle":"1.0.0","form":"G","answers":["B"]}`)
	fmt.Fprintln(zw, "attempt,candidate") // bad JSON line 2
	zw.Close()
	got, res := readAll(t, "f.jsonl.gz", buf.String(), Options{})
	if len(got) != 1 || res.Rejected != 1 || res.Findings[0].Line != 2 {
		t.Fatalf("got %d, %v", len(got), messages(res))
	}
}

func TestFirstPolicy(t *testing.T) {
	rec := func(id, cand, form, sub string) string {
		s := fmt.Sprintf(`{"attempt":%q,"candidate":%q,"bundle":"1.0.0","form":%q,"answers":["B"]`, id, cand, form)
		if sub != "" {
			s += fmt.Sprintf(`,"submitted":%q`, sub)
		}
		return s + "}\n"
	}
	tests := []struct {
		name, data string
		want       []string
	}{
		{"by submitted", rec("a1", "c", "G", "2026-01-02T00:00:00Z") + rec("a2", "c", "G", "2026-01-01T00:00:00Z") + rec("b1", "d", "G", ""), []string{"a2", "b1"}},
		{"file order when one lacks submitted", rec("a1", "c", "G", "2026-01-02T00:00:00Z") + rec("a2", "c", "G", ""), []string{"a1"}},
		{"per form", rec("a1", "c", "G", "") + rec("a2", "c", "G", "") + rec("a3", "d", "G", ""), []string{"a1", "a3"}},
	}
	for _, tt := range tests {
		got, res := readAll(t, "f.jsonl", tt.data, Options{Attempts: First})
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tt.want) || res.Retakes != res.Records-len(tt.want) {
			t.Errorf("%s: used %v (retakes %d); want %v", tt.name, ids, res.Retakes, tt.want)
		}
		got, _ = readAll(t, "f.jsonl", tt.data, Options{Attempts: All})
		if len(got) != strings.Count(tt.data, "\n") {
			t.Errorf("%s: all policy used %d", tt.name, len(got))
		}
	}
}

const csvHead = "attempt,candidate,bundle,form,position,answer\n"

func TestCSVGoodAttempt(t *testing.T) {
	data := csvHead + "a,c,1.0.0,F,2,\"C,A\"\na,c,1.0.0,F,1,B\na,c,1.0.0,F,3,\nb,c,1.0.0,G,1,A\n"
	got, res := readAll(t, "r.csv", data, Options{Attempts: All})
	if len(got) != 2 || res.Rejected != 0 {
		t.Fatalf("got %d, %v", len(got), messages(res))
	}
	if a := got[0]; a.Line != 2 || a.Chosen[0] != 2 || a.Chosen[1] != 5 || a.Chosen[2] != 0 {
		t.Errorf("attempt a %+v", a)
	}
	if got[1].Line != 5 || got[1].Correct(0) {
		t.Errorf("attempt b %+v", got[1])
	}
}

func TestCSVRejectsEachBadAttemptAtItsLine(t *testing.T) {
	good := "g,c,1.0.0,G,1,B\n"
	tests := []struct {
		rows string
		line int
		want string
	}{
		{"a,c,1.0.0,F,1,B\na,d,1.0.0,F,2,A\na,c,1.0.0,F,3,\n", 3, "attempt a: candidate \"d\" differs from \"c\" on line 2"},
		{"a,c,1.0.0,F,1,B\na,c,1.0.0,H,2,A\na,c,1.0.0,F,3,\n", 3, "attempt a: form \"H\" differs"},
		{"a,c,1.0.0,F,1,B\na,c,1.0.0,F,1,A\na,c,1.0.0,F,3,\n", 3, "attempt a: position 1 answered twice (also line 2)"},
		{"a,c,1.0.0,F,1,B\na,c,1.0.0,F,3,\n", 2, "attempt a: 2 rows; form F of bundle 1.0.0 has 3 positions (missing 2)"},
		{"a,c,1.0.0,F,1,B\na,c,1.0.0,F,4,A\na,c,1.0.0,F,3,\n", 3, "position 4 out of range (form F of bundle 1.0.0 has positions 1-3)"},
		{"a,c,1.0.0,F,x,B\n", 2, "position \"x\" is not a number"},
		{"a,c,1.0.0,F,1,B\na,c,1.0.0,F,2,\"A,C\na,c,1.0.0,F,3,\n", 3, "attempt a: not valid CSV: bad quoting"},
		{"a,c,1.0.0,F,1,B\na,c,1.0.0,F,2\na,c,1.0.0,F,3,\n", 3, "attempt a: row has 5 fields; the header has 6"},
		{"a,c,1.0.0,F,1,Z\n", 2, "position 1: answer \"Z\": the item has no option Z"},
		{"a,c,9.9.9,G,1,B\n", 2, "unknown bundle 9.9.9"},
		{",c,1.0.0,G,1,B\n", 2, "missing attempt id"},
	}
	for _, tt := range tests {
		got, res := readAll(t, "r.csv", csvHead+tt.rows+good, Options{Attempts: All})
		if len(got) != 1 || res.Rejected != 1 || len(res.Findings) != 1 {
			t.Errorf("%q: used %d, findings %q", tt.rows, len(got), messages(res))
			continue
		}
		if f := res.Findings[0]; f.Line != tt.line || !strings.Contains(f.Message, tt.want) {
			t.Errorf("%q:\n got %d: %s\nwant %d: ...%s", tt.rows, f.Line, f.Message, tt.line, tt.want)
		}
	}
}

func TestCSVAttemptThatComesBackIsRepeated(t *testing.T) {
	data := csvHead + "a,c,1.0.0,G,1,B\nb,c,1.0.0,G,1,B\na,c,1.0.0,G,1,B\n"
	got, res := readAll(t, "r.csv", data, Options{Attempts: All})
	if len(got) != 2 || res.Rejected != 1 || res.Findings[0].Line != 4 || !strings.Contains(res.Findings[0].Message, "repeated (first at r.csv:2)") {
		t.Errorf("got %d, %q", len(got), messages(res))
	}
}

func TestCSVBadHeaderSkipsTheFile(t *testing.T) {
	got, res := readAll(t, "r.csv", "person,A-1,A-2\n1,0,1\n", Options{})
	if len(got) != 0 || res.Rejected != 1 || res.Findings[0].Line != 1 || !strings.Contains(res.Findings[0].Message, "lacks column attempt") {
		t.Errorf("got %d, %q", len(got), messages(res))
	}
}

func TestSplitCSV(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  bool
	}{
		{`a,b,c`, `[a b c]`, false},
		{`a,"b,c",d`, `[a b,c d]`, false},
		{`"a ""q""",`, `[a "q" ]`, false},
		{`""`, `[]`, false},
		{`a"b,c`, ``, true},
		{`"a"b,c`, ``, true},
		{`"a`, ``, true},
	}
	for _, tt := range tests {
		got, err := splitCSV(tt.in)
		if (err != nil) != tt.err || (!tt.err && fmt.Sprint(got) != tt.want) {
			t.Errorf("splitCSV(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestLetters(t *testing.T) {
	if got := Letters(1<<0 | 1<<2 | 1<<25); got != "A,C,Z" {
		t.Errorf("Letters = %q", got)
	}
}

// Many batches: records are accepted in file order and every bad line is
// reported at its line, as if read one by one.
func TestJSONLManyBatchesKeepOrder(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 2000; i++ {
		if i%7 == 0 {
			b.WriteString("{bad\n")
			continue
		}
		fmt.Fprintf(&b, `{"attempt":"a%d","candidate":"c%d","bundle":"1.0.0","form":"G","answers":["B"]}`+"\n", i, i)
	}
	got, res := readAll(t, "f.jsonl", b.String(), Options{Attempts: All})
	if res.Rejected != 2000/7 || len(got) != 2000-2000/7 {
		t.Fatalf("used %d rejected %d", len(got), res.Rejected)
	}
	for k, f := range res.Findings {
		if f.Line != 7*(k+1) {
			t.Fatalf("finding %d at line %d; want %d", k, f.Line, 7*(k+1))
		}
	}
	for k := 1; k < len(got); k++ {
		if got[k].Line <= got[k-1].Line {
			t.Fatalf("attempt at line %d after line %d", got[k].Line, got[k-1].Line)
		}
	}
}

// An emit error stops reading and is returned (no goroutine is left
// blocked: the test would hang).
func TestEmitErrorStops(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 3000; i++ {
		fmt.Fprintf(&b, `{"attempt":"a%d","candidate":"c","bundle":"1.0.0","form":"G","answers":["B"]}`+"\n", i)
	}
	n := 0
	r := NewReader(testCatalog(), Options{Attempts: All}, func(*Attempt) error {
		n++
		if n == 300 {
			return fmt.Errorf("full")
		}
		return nil
	})
	if err := r.ReadStream(context.Background(), "f.jsonl", strings.NewReader(b.String())); err == nil || err.Error() != "full" || n != 300 {
		t.Errorf("err %v after %d", err, n)
	}
}

// A stream that breaks off mid-file: the records before it are used and
// the break is one finding.
func TestTruncatedGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(zw, `{"attempt":"a%d","candidate":"c","bundle":"1.0.0","form":"G","answers":["B"]}`+"\n", i)
	}
	zw.Close()
	data := buf.Bytes()[:buf.Len()/2]
	got, res := readAll(t, "f.jsonl.gz", string(data), Options{Attempts: All})
	if len(got) == 0 || res.Rejected != 1 || !strings.Contains(res.Findings[0].Message, "cannot read further") {
		t.Errorf("used %d, findings %q", len(got), messages(res))
	}
	if res.Findings[0].Line != len(got)+1 && res.Findings[0].Line != len(got)+2 {
		t.Errorf("break reported at line %d after %d good lines", res.Findings[0].Line, len(got))
	}
}
