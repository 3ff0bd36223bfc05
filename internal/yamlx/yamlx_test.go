package yamlx

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"gopkg.in/yaml.v3"
)

func TestParseErrorsCarryTheirPosition(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    finding.Pos
		message string
	}{
		{"empty", "", finding.Pos{Line: 1, Column: 1}, "the file is empty"},
		{"only comments", "# nothing\n", finding.Pos{Line: 1, Column: 1}, "the file is empty"},
		{"nul byte", "id: A-1\nstem: x\x00y\n", finding.Pos{Line: 2, Column: 8}, "binary content"},
		{"UTF-16 with a byte order mark", "\xff\xfei\x00d\x00:\x00", finding.Pos{Line: 1, Column: 1}, "the file is UTF-16 text; save it as UTF-8"},
		{"UTF-16 big-endian without one", "\x00i\x00d\x00:", finding.Pos{Line: 1, Column: 1}, "the file is UTF-16 text"},
		{"UTF-32", "\xff\xfe\x00\x00i\x00\x00\x00", finding.Pos{Line: 1, Column: 1}, "the file is UTF-32 text"},
		{"bad utf8", "id: A-1\nstem: caf\xe9\n", finding.Pos{Line: 2, Column: 10}, "invalid UTF-8: byte 0xE9"},
		{"bad utf8 before a nul byte", "id: A-1\n\xffste\x00m: x\n", finding.Pos{Line: 2, Column: 1}, "invalid UTF-8: byte 0xFF at line 2, column 1; save the file as UTF-8"},
		{"nul byte before bad utf8", "id: A-1\ns\x00tem: \xff\n", finding.Pos{Line: 2, Column: 2}, "binary content: NUL byte at line 2, column 2; a YAML file is UTF-8 text"},
		{"duplicate key", "id: A-1\nstem: a\nstem: b\n", finding.Pos{Line: 3, Column: 1}, `duplicate key "stem" (first defined at line 2)`},
		{"third of a key", "id: A-1\nstem: a\nstem: b\nstem: c\n", finding.Pos{Line: 3, Column: 1}, `duplicate key "stem" (first defined at line 2)`},
		{"duplicate in a large mapping", manyKeys(30) + "k7: again\n", finding.Pos{Line: 31, Column: 1}, `duplicate key "k7" (first defined at line 8)`},
		{"nested duplicate", "options:\n  - text: a\n    text: b\n", finding.Pos{Line: 3, Column: 5}, `duplicate key "text"`},
		{"second document", "id: A-1\n---\nid: B-2\n", finding.Pos{Line: 3, Column: 1}, "a second YAML document"},
		{
			"bad indentation deep in block",
			"id: A-1\noptions:\n  - text: a\n    why: b\n  - text: c\n   why: d\nstem: x\n",
			finding.Pos{Line: 6, Column: 4}, "the problem is on line 6",
		},
		{
			"colon in plain scalar",
			"id: A-1\nstem: x\noptions:\n  - text: a\n    why: this: breaks\n",
			finding.Pos{Line: 5, Column: 5}, "mapping values are not allowed",
		},
		{
			"unclosed flow sequence at the end of the file",
			"id: A-1\nstem: [a,\n  b,\n  c,\n",
			finding.Pos{Line: 2, Column: 1}, "(the parser names line 4, where it gave up; the problem is on line 2)",
		},
		{"tab in indentation", "id: A-1\n\tstem: x\n", finding.Pos{Line: 2, Column: 1}, "tab character"},
		{"tab after spaces", "id: A-1\nopts:\n  - a\n  \t- b\n", finding.Pos{Line: 4, Column: 3}, "tab character"},
		{
			"unclosed flow sequence is blamed on its line, not on a closed one",
			"tags: [a,\n  b]\nenemies: [c\nid: A-1\n",
			finding.Pos{Line: 3, Column: 1}, "the problem is on line 3",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			errs := Errors(err)
			if len(errs) == 0 {
				t.Fatalf("Parse succeeded; want error at %v", tt.want)
			}
			if errs[0].Pos != tt.want || !strings.Contains(errs[0].Msg, tt.message) {
				t.Errorf("got %v %q; want %v containing %q", errs[0].Pos, errs[0].Msg, tt.want, tt.message)
			}
		})
	}
}

func TestParseAcceptsOneDocument(t *testing.T) {
	doc, err := Parse([]byte("---\nid: A-1\ntags: [x, y]\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := ToValue(doc, DefaultMaxNodes)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if m["id"] != "A-1" || len(m["tags"].([]any)) != 2 {
		t.Fatalf("got %#v", m)
	}
}

func TestToValueStopsBillionLaughs(t *testing.T) {
	src := `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`
	doc, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ToValue(doc, DefaultMaxNodes)
	if err == nil || !strings.Contains(err.Error(), "excessive aliasing") {
		t.Fatalf("got %v; want excessive aliasing", err)
	}
}

func TestToValueTypes(t *testing.T) {
	doc, err := Parse([]byte("a: 1\nb: 1.5\nc: true\nd: ~\ne: \"1\"\nf: 2024-01-02\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := ToValue(doc, DefaultMaxNodes)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	want := map[string]any{"a": int64(1), "b": 1.5, "c": true, "d": nil, "e": "1", "f": "2024-01-02"}
	for k, w := range want {
		if m[k] != w {
			t.Errorf("%s = %#v; want %#v", k, m[k], w)
		}
	}
}

func TestLookup(t *testing.T) {
	doc, err := Parse([]byte("id: A-1\noptions:\n  - text: a\n  - text: b\n    why: c\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ptr  string
		want finding.Pos
	}{
		{"", finding.Pos{Line: 1, Column: 1}},
		{"/id", finding.Pos{Line: 1, Column: 5}},
		{"/options/1/why", finding.Pos{Line: 5, Column: 10}},
		{"/options/1", finding.Pos{Line: 4, Column: 5}},
		{"/options/7/text", finding.Pos{Line: 3, Column: 3}},
	}
	for _, tt := range tests {
		n := Lookup(doc, tt.ptr)
		if got := (finding.Pos{Line: n.Line, Column: n.Column}); got != tt.want {
			t.Errorf("Lookup(%q) = %v; want %v", tt.ptr, got, tt.want)
		}
	}
}

func TestSyntaxErrorInALargeFileIsLocatedWithFewParses(t *testing.T) {
	// 100,000 lines of 100 bytes; the prefixes fail from line 37 on.
	calls := 0
	got := searchFailingPrefix(100000, func(k int) int { return 100 * k }, func(k int) bool {
		calls++
		return k >= 37
	})
	if got != 37 {
		t.Errorf("located line %d; want 37", got)
	}
	if calls > 100 {
		t.Errorf("%d prefix parses; the search must stay logarithmic past its budget", calls)
	}
	// Small files are searched line by line: the last line from which every
	// prefix fails, even when an earlier stretch failed too.
	got = searchFailingPrefix(10, func(k int) int { return 10 * k }, func(k int) bool { return k >= 7 || k == 3 })
	if got != 7 {
		t.Errorf("located line %d; want 7", got)
	}
	// An error only in a later document: the first parses.
	if got := searchFailingPrefix(5, func(k int) int { return k }, func(int) bool { return false }); got != 0 {
		t.Errorf("located line %d; want 0", got)
	}
}

func TestSyntaxErrorInALargeFileNamesItsLine(t *testing.T) {
	// An unclosed flow sequence on line 2 of a file of almost 1 MiB: every
	// prefix from line 2 on fails, only at its end, and yaml.v3 names the
	// last line.
	src := "id: AL-0001\nstem: [unterminated,\n" + strings.Repeat("  "+strings.Repeat("word ", 58)+",\n", 3000) + "id: x\n"
	_, err := Parse([]byte(src))
	errs := Errors(err)
	if len(errs) != 1 || errs[0].Pos.Line != 2 || !strings.Contains(errs[0].Msg, "the problem is on line 2") {
		t.Fatalf("got %v; want one error on line 2", errs)
	}
}

// A huge document without aliases is not blamed on aliasing.
func TestToValueBoundsLargeDocumentsWithoutAliases(t *testing.T) {
	doc, err := Parse([]byte("tags:\n" + strings.Repeat("  - a\n", 20)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ToValue(doc, 10)
	if err == nil || strings.Contains(err.Error(), "alias") || !strings.Contains(err.Error(), "more than 10 values") {
		t.Fatalf("got %v; want a plain size error", err)
	}
}

// A schema validator panics on an infinite bound comparison; ToValue
// refuses non-finite numbers with their position instead.
func TestToValueRefusesNonFinite(t *testing.T) {
	for _, src := range []string{"a: .inf", "a: -.Inf", "a: .nan", "a: [1, .NaN]"} {
		doc, err := Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ToValue(doc, DefaultMaxNodes)
		es := Errors(err)
		if len(es) != 1 || !strings.Contains(es[0].Msg, "not a finite number") || es[0].Pos.Line != 1 {
			t.Errorf("%s: err = %v", src, err)
		}
	}
}

// TestScalarShortcutsAgreeWithTheDecoder: the booleans and decimal
// integers read without yaml.v3's decoder come out as the decoder reads
// them; other spellings still go through it.
func TestScalarShortcutsAgreeWithTheDecoder(t *testing.T) {
	for _, src := range []string{
		"true", "True", "TRUE", "false", "False", "FALSE", "0", "7", "42", "123456789012345678",
		"1234567890123456789", "9223372036854775807", "007", "0x1F", "0o17", "1_000", "+5", "-3", "0b101",
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("v: "+src+"\n"), &doc); err != nil {
			t.Fatal(err)
		}
		n := doc.Content[0].Content[1]
		got, err := scalar(n)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		var want any
		switch n.ShortTag() {
		case "!!bool":
			var b bool
			err = n.Decode(&b)
			want = b
		case "!!int":
			var i int64
			err = n.Decode(&i)
			want = i
		default:
			continue
		}
		if err != nil || got != want {
			t.Errorf("%s (%s): got %#v, the decoder reads %#v (%v)", src, n.ShortTag(), got, want, err)
		}
	}
}

// manyKeys returns a mapping of n keys k0, k1, ...
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: v\n", i)
	}
	return b.String()
}
