package itemfmt

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/testbank"
	"github.com/qbank/qbank/internal/yamlx"
)

// TestGolden formats every testdata/*.yaml and compares the result (or the
// errors) with testdata/*.golden. Run with -update to regenerate the golden
// files, then review the diff.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			out, ferr := Format(data)
			got := string(out)
			if ferr != nil {
				got = ""
				for _, e := range yamlx.Errors(ferr) {
					got += "error: " + e.Error() + "\n"
				}
			}
			testbank.Golden(t, strings.TrimSuffix(in, ".yaml")+".golden", []byte(got))
			if ferr == nil {
				assertStable(t, data, out)
			}
		})
	}
}

// assertStable checks the two promises of Format: the value is unchanged
// and formatting again changes nothing.
func assertStable(t *testing.T, in, out []byte) {
	t.Helper()
	if !reflect.DeepEqual(value(t, in), value(t, out)) {
		t.Errorf("the value changed:\n%s\n->\n%s", in, out)
	}
	again, err := Format(out)
	if err != nil {
		t.Fatalf("formatting the output: %v", err)
	}
	if string(again) != string(out) {
		t.Errorf("not idempotent:\n%s\n->\n%s", out, again)
	}
}

func value(t *testing.T, data []byte) any {
	t.Helper()
	doc, err := yamlx.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	v, err := yamlx.ToValue(doc, yamlx.DefaultMaxNodes)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFormatProperties(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // substrings the output must contain
	}{
		{"correct false is kept", "id: A-1\noptions:\n  - text: x\n    correct: false\n", []string{"    correct: false\n"}},
		{"stem without final newline is |-", "stem: one line\nid: A-1\n", []string{"id: A-1\nstem: |-\n  one line\n"}},
		{"quoted number stays a string", "task: \"2.1\"\nid: A-1\n", []string{"task: \"2.1\""}},
		{"single trailing newline", "id: A-1\n\n\n", []string{"id: A-1\n"}},
		{"unknown keys keep their order after known ones", "zeta: 1\nid: A-1\nalpha: 2\n", []string{"id: A-1\nzeta: 1\nalpha: 2\n"}},
		{"empty stem is not a block", "id: A-1\nstem: \"\"\n", []string{"stem: \"\"\n"}},
		{"header comment stays on top", "# top\nstatus: draft\nid: A-1\n", []string{"# top\nid: A-1\nstatus: draft\n"}},
		{"the string << stays a quoted string", "id: A-1\noptions:\n  - text: \"<<\"\n", []string{"  - text: \"<<\"\n"}},
		{"a comment above an option key that becomes first", "id: A-1\noptions:\n  - why: w\n    # about text\n    text: t\n", []string{"  - # about text\n    text: t\n    why: w\n"}},
		{"a comment set off from the header moves with its key", "# top\n\n# about status\nstatus: draft\nid: A-1\n", []string{"# top\n\nid: A-1\n# about status\nstatus: draft\n"}},
		{"CRLF becomes LF", "id: A-1\r\nstem: |\r\n  a\r\n  b\r\n", []string{"id: A-1\nstem: |\n  a\n  b\n"}},
		{"tabs and trailing spaces fall back to quotes", "stem: \"a  \\nb\"\n", []string{"stem: \"a  \\nb\"\n"}},
		// A flow collection that becomes a block keeps its line comment on
		// the same entry: after the key, or on the entry's first line (never on
		// the next entry, where yaml.v3 would put it).
		{"line comment of a flow option stays on it", "id: A-1\noptions:\n  - {text: a, correct: true} # first\n  - text: b\n", []string{"  - text: a # first\n    correct: true\n  - text: b\n"}},
		{"line comment of a flow list moves to its key", "id: A-1\nreferences: [https://x.example] # refs\n", []string{"references: # refs\n  - https://x.example\n"}},
		{"line comment of a nested flow mapping moves to its key", "id: A-1\noptions:\n  - text: a\n    why: {x: 1} # w\n", []string{"    why: # w\n      x: 1\n"}},
		{"line comment of a flow list in a list", "id: A-1\nx:\n  - [a, b] # c\n", []string{"x:\n  - - a # c\n    - b\n"}},
		{"a flow root becomes a block mapping", "!!map {status: draft, id: A-1} # c\n", []string{"id: A-1 # c\nstatus: draft\n"}},
		{"trailing blank lines of the last text are kept", "id: A-1\nexplanation: \"a\\n\\n\"\n", []string{"explanation: |+\n  a\n\n"}},
		{"a # line of a text that cannot be a block is content", "id: A-1\nstem: |\n  a  \n  # b\n", []string{"stem: \"a  \\n# b\\n\"\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Format([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output\n%s\ndoes not contain %q", out, w)
				}
			}
			// (a keep-chomped text at the end keeps its blank lines: content)
			if strings.HasSuffix(string(out), "\n\n") && !strings.Contains(string(out), "|+") || !strings.HasSuffix(string(out), "\n") {
				t.Errorf("output must end in exactly one newline: %q", out)
			}
			assertStable(t, []byte(tt.in), out)
		})
	}
}

// TestFormatCRLF checks that a file saved with Windows line endings gets
// the same canonical layout as the same file with LF line endings (yaml.v3
// attaches comments differently when lines end in CRLF).
func TestFormatCRLF(t *testing.T) {
	lf := "# header\nid: A-1\nrevision: 1\n# above stem\nstem: |\n  a\n  b\noptions:\n  # above A\n  - text: a # A\n    why: w\n# end\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	want, err := Format([]byte(lf))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Format([]byte(crlf))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("CRLF file formats as\n%s\nwant (as with LF)\n%s", got, want)
	}
	assertStable(t, []byte(crlf), got)
}

func TestFormatErrorsCarryPositions(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"syntax", "id: A-1\nstem: [x\ntask: \"1.1\"\n", 2, "YAML syntax error"},
		{"not a mapping", "id: A-1\n---\nid: B-1\n", 3, "second YAML document"},
		{"list", "- a\n", 1, "holds a mapping, not a sequence"},
		{"alias", "id: A-1\nstem: &s x\nexplanation: *s\n", 3, "alias *s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Format([]byte(tt.in))
			errs := yamlx.Errors(err)
			if len(errs) == 0 {
				t.Fatal("Format succeeded")
			}
			if errs[0].Pos.Line != tt.line || !strings.Contains(errs[0].Msg, tt.msg) {
				t.Errorf("got %v; want line %d containing %q", errs[0], tt.line, tt.msg)
			}
		})
	}
}
