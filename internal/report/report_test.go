package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

var sample = []finding.Finding{
	{File: "b.yaml", Line: 3, Column: 1, Rule: "schema", Severity: finding.Error, Item: "B-1", Message: "bad: value, 100%\nnext"},
	{File: "a.yaml", Line: 9, Column: 2, Rule: "key-length", Severity: finding.Warning, Message: "long"},
}

func TestResolve(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	tests := []struct{ in, gha, want string }{
		{"auto", "", "text"}, {"auto", "true", "github"}, {"", "true", "github"},
		{"json", "true", "json"}, {"sarif", "", "sarif"},
	}
	for _, tt := range tests {
		if got, err := Resolve(tt.in, env(tt.gha)); err != nil || got != tt.want {
			t.Errorf("Resolve(%q, GITHUB_ACTIONS=%q) = %q, %v; want %q", tt.in, tt.gha, got, err, tt.want)
		}
	}
	if _, err := Resolve("xml", env("")); err == nil {
		t.Error("Resolve(xml) succeeded")
	}
}

func TestTextIsSortedWithSummary(t *testing.T) {
	var buf bytes.Buffer
	fs := append([]finding.Finding(nil), sample...)
	if err := Write(&buf, "text", fs, finding.Summary{Files: 2, Items: 1, Errors: 1, Warnings: 1}, nil, Tool{}); err != nil {
		t.Fatal(err)
	}
	want := "a.yaml:9:2: warning: long [key-length]\nb.yaml:3:1: error: bad: value, 100%\nnext [schema]\n2 files, 1 item: 1 error, 1 warning\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "json", nil, finding.Summary{Files: 3}, nil, Tool{}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if fs, ok := got["findings"].([]any); !ok || len(fs) != 0 {
		t.Errorf("findings = %#v; want an empty list, never null", got["findings"])
	}
	sum := got["summary"].(map[string]any)
	for _, k := range []string{"files", "items", "errors", "warnings"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
}

func TestGitHubEscapes(t *testing.T) {
	var buf bytes.Buffer
	fs := append([]finding.Finding(nil), sample...)
	if err := Write(&buf, "github", fs, finding.Summary{}, nil, Tool{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != "::warning file=a.yaml,line=9,col=2,title=key-length::long" {
		t.Errorf("line 1 = %q", lines[0])
	}
	if lines[1] != "::error file=b.yaml,line=3,col=1,title=schema::bad: value, 100%25%0Anext" {
		t.Errorf("line 2 = %q", lines[1])
	}
}

func TestSARIFNamesRulesAndLocations(t *testing.T) {
	var buf bytes.Buffer
	fs := append([]finding.Finding(nil), sample...)
	rules := []finding.Rule{{ID: "schema", Severity: finding.Error, Summary: "S", Doc: "D"}}
	if err := Write(&buf, "sarif", fs, finding.Summary{}, rules, Tool{Name: "qbank", Version: "1"}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Name != "qbank" || len(run.Tool.Driver.Rules) != 2 {
		t.Fatalf("log = %+v", log)
	}
	r := run.Results[0]
	if r.RuleID != "key-length" || r.Level != "warning" || run.Tool.Driver.Rules[r.RuleIndex].ID != "key-length" ||
		r.Locations[0].PhysicalLocation.ArtifactLocation.URI != "a.yaml" || r.Locations[0].PhysicalLocation.Region.StartLine != 9 {
		t.Errorf("result = %+v", r)
	}
}

// TestSARIFIsValid validates the SARIF output against the SARIF 2.1.0 JSON
// Schema (testdata/sarif-schema-2.1.0.json, as published with the
// standard) and checks what the schema's lenient "uri-reference" format
// does not: every artifact uri is a strict RFC 3986 reference that decodes
// back to the file's path.
func TestSARIFIsValid(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "my bank", "AL-0001.yaml")
	files := []string{
		"bank/items/alpha/AL-0001.yaml",
		"my bank/items/a%20b#c?d[1]ü.yaml",
		"c:odd.yaml",
		abs,
	}
	var fs []finding.Finding
	for i, f := range files {
		fs = append(fs, finding.Finding{File: f, Line: i, Column: i, Rule: "schema", Severity: finding.Error, Message: "bad — ünïcödé \"quoted\"\nsecond line"})
	}
	fs = append(fs, finding.Finding{File: files[0], Line: 3, Column: 4, Rule: "not-listed", Severity: finding.Warning, Message: "m"})
	rules := []finding.Rule{{ID: "schema", Severity: finding.Error, Summary: "S", Doc: "D"}}
	var buf bytes.Buffer
	if err := Write(&buf, "sarif", fs, finding.Summary{}, rules, Tool{Name: "qbank", Version: "1.2.3", InformationURI: "https://github.com/qbank/qbank"}); err != nil {
		t.Fatal(err)
	}

	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	s, err := c.Compile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("SARIF output is not valid: %#v\n%s", err, buf.String())
	}

	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Runs[0].ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q; columns count characters", log.Runs[0].ColumnKind)
	}
	uriChars := regexp.MustCompile(`^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$`)
	seen := map[string]bool{}
	for _, r := range log.Runs[0].Results {
		uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if !uriChars.MatchString(uri) {
			t.Errorf("uri %q is not an RFC 3986 reference", uri)
		}
		u, err := url.Parse(uri)
		if err != nil {
			t.Errorf("uri %q: %v", uri, err)
			continue
		}
		path := u.Path
		if u.Scheme == "file" {
			path = filepath.FromSlash(path)
		} else if u.Scheme != "" || u.RawQuery != "" || u.Fragment != "" {
			t.Errorf("uri %q does not name a file by a relative path", uri)
		}
		seen[filepath.Clean(path)] = true
	}
	for _, f := range files {
		if !seen[filepath.ToSlash(f)] && !seen[f] {
			t.Errorf("no result's uri decodes to %q (have %v)", f, seen)
		}
	}
}

// Every format writes a finding without a position at 1:1, as the
// finding package documents.
func TestNoPositionIsLineOneColumnOne(t *testing.T) {
	want := map[string]string{
		"text":   "f.yaml:1:1: error: m [schema]",
		"github": "::error file=f.yaml,line=1,col=1,title=schema::m",
		"json": `"line": 1,
      "column": 1,`,
		"sarif": `"startLine": 1,
                  "startColumn": 1`,
	}
	for format, w := range want {
		var buf bytes.Buffer
		fs := []finding.Finding{{File: "f.yaml", Rule: "schema", Severity: finding.Error, Message: "m"}}
		if err := Write(&buf, format, fs, finding.Summary{}, nil, Tool{Name: "qbank"}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), w) {
			t.Errorf("%s output lacks %q:\n%s", format, w, buf.String())
		}
	}
}
