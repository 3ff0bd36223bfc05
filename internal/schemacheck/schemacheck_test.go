package schemacheck

import (
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/yamlx"
)

const validItem = `id: CC-0001
revision: 1
status: draft
domain: cloud-concepts
task: "1.1"
type: single
stem: |
  Which benefit?
options:
  - text: A
    correct: true
  - text: B
`

func TestValidateReportsEachProblemAtItsNode(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    finding.Pos
		message string
	}{
		{"missing property at the mapping", strings.Replace(validItem, "type: single\n", "", 1), finding.Pos{Line: 1, Column: 1}, `missing required property "type"`},
		{"unknown property at its key", validItem + "optionz: []\n", finding.Pos{Line: 13, Column: 1}, `unknown property "optionz" in the document; did you mean "options"?`},
		{"seven missing properties are one finding", "id: CC-0001\n", finding.Pos{Line: 1, Column: 1}, `the document is missing 7 required properties: "revision", "status", "domain", "task", "type", "stem", "options"; add them`},
		{"a short unknown key is no misspelling", validItem + "x: 1\n", finding.Pos{Line: 13, Column: 1}, `unknown property "x" in the document; allowed: author, difficulty, domain, enemies, explanation, id, options, references, revision, status, stem, tags, task, type`},
		{"a transposition is a misspelling", validItem + "stme: 1\n", finding.Pos{Line: 13, Column: 1}, `unknown property "stme" in the document; did you mean "stem"?`},
		{"unquoted task is a number", strings.Replace(validItem, `task: "1.1"`, "task: 1.1", 1), finding.Pos{Line: 5, Column: 7}, `task must be a string, not a number; quote it: "1.1"`},
		{"bad enum", strings.Replace(validItem, "status: draft", "status: live", 1), finding.Pos{Line: 3, Column: 9}, `status "live" is not allowed; use one of: draft, review, pretest, operational, retired`},
		{"bad id pattern", strings.Replace(validItem, "id: CC-0001", "id: cc_1", 1), finding.Pos{Line: 1, Column: 5}, "such as SEC-0042"},
		{"nested type error", strings.Replace(validItem, "correct: true", "correct: yes please", 1), finding.Pos{Line: 11, Column: 14}, "options[0].correct must be a boolean, not a string"},
		{"revision below one", strings.Replace(validItem, "revision: 1", "revision: 0", 1), finding.Pos{Line: 2, Column: 11}, "revision"},
		{"document that is not a mapping", "- id: CC-0001\n- revision: 1\n", finding.Pos{Line: 1, Column: 1}, "the document must be a mapping, not a list"},
		{"repeated reference at the repeat", validItem + "references:\n  - https://docs.aws.amazon.com/a\n  - https://docs.aws.amazon.com/b\n  - https://docs.aws.amazon.com/a\n", finding.Pos{Line: 16, Column: 5}, "references[2] repeats references[0]"},
		{"option without text", strings.Replace(validItem, "  - text: B\n", "  - why: B\n", 1), finding.Pos{Line: 12, Column: 5}, `options[1] is missing required property "text"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := yamlx.Parse([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			fs := Validate(Item, doc, "x.yaml", "CC-0001")
			if len(fs) != 1 {
				t.Fatalf("got %d findings, want 1: %v", len(fs), fs)
			}
			f := fs[0]
			if f.At() != tt.want || !strings.Contains(f.Message, tt.message) || f.Rule != rules.Schema.ID {
				t.Errorf("got %v; want %v containing %q", f, tt.want, tt.message)
			}
		})
	}
}

func TestValidItemHasNoFindings(t *testing.T) {
	doc, err := yamlx.Parse([]byte(validItem))
	if err != nil {
		t.Fatal(err)
	}
	if fs := Validate(Item, doc, "x.yaml", ""); len(fs) != 0 {
		t.Fatalf("unexpected findings: %v", fs)
	}
}
