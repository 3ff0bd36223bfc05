package lint

import (
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
)

// A finding about a word of the stem points at the word in every YAML
// style a writer may use, not at the start of the scalar.
func TestTextPositionsInEveryStyle(t *testing.T) {
	const stem = "stem: |\n  A team studies storage. Which choice fits the case best?\n"
	flow := `{id: AL-0001, revision: 1, status: operational, domain: alpha, task: "1.1", type: single,
 stem: "Which choice does not fit?",
 options: [{text: The first answer., correct: true, why: Right.}, {text: The second answer., why: Wrong.},
   {text: The third answer., why: Wrong.}, {text: The fourth answer., why: Wrong.}],
 references: ["https://docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html"]}
`
	tests := []struct {
		name string
		src  string
		rule string
		want finding.Pos
	}{
		{"literal", item(t, stem, "stem: |\n  A team studies storage.\n  Which choice does not fit?\n"), rules.NegativeStem.ID, finding.Pos{Line: 10, Column: 21}},
		{"folded", item(t, stem, "stem: >\n  A team studies storage.\n  Which choice does not fit?\n"), rules.NegativeStem.ID, finding.Pos{Line: 10, Column: 21}},
		{"folded with a blank line", item(t, stem, "stem: >-\n  A team studies storage.\n\n    Indented.\n  Which choice does not fit?\n"), rules.NegativeStem.ID, finding.Pos{Line: 12, Column: 21}},
		{"plain on two lines", item(t, stem, "stem: A team studies storage.\n  Which choice does not fit?\n"), rules.NegativeStem.ID, finding.Pos{Line: 9, Column: 21}},
		{"double-quoted with escapes on two lines", item(t, stem, "stem: \"A team \\\"studies\\\" storage \\u00e9.\n  Which choice does not fit?\"\n"), rules.NegativeStem.ID, finding.Pos{Line: 9, Column: 21}},
		{"double-quoted with an escaped line break", item(t, stem, "stem: \"A team studies storage. \\\n  Which choice does not fit?\"\n"), rules.NegativeStem.ID, finding.Pos{Line: 9, Column: 21}},
		{"single-quoted with a quote", item(t, stem, "stem: 'A team''s storage. Which choice does not fit?'\n"), rules.NegativeStem.ID, finding.Pos{Line: 8, Column: 45}},
		{"tab after the colon", item(t, stem, "stem:\tWhich choice does not fit?\n"), rules.NegativeStem.ID, finding.Pos{Line: 8, Column: 25}},
		{"non-ASCII before the word", item(t, stem, "stem: Ünïcödé — which choice does not fit?\n"), rules.NegativeStem.ID, finding.Pos{Line: 8, Column: 35}},
		{"flow mapping", flow, rules.NegativeStem.ID, finding.Pos{Line: 2, Column: 27}},
		{"byte order mark and flow on line 1", "\ufeff{stem: \"Which choice does not fit?\"," + strings.Replace(strings.TrimPrefix(flow, "{"), " stem: \"Which choice does not fit?\",\n", "", 1), rules.NegativeStem.ID, finding.Pos{Line: 1, Column: 27}},
		{"CRLF line endings and a byte order mark", "\ufeff" + strings.ReplaceAll(item(t, "Which choice fits", "Which choice does not fit"), "\n", "\r\n"), rules.NegativeStem.ID, finding.Pos{Line: 9, Column: 45}},
		{"select phrase in a folded stem", item(t, stem, "stem: >\n  A team studies storage.\n  Which choice fits? (Select TWO.)\n"), rules.SelectPhrase.ID, finding.Pos{Line: 10, Column: 22}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, all := lintRule(t, map[string]string{a1: tt.src}, "", tt.rule)
			if len(got) != 1 || got[0].At() != tt.want {
				t.Fatalf("got %v; want one %s finding at %v; all findings:\n%s", got, tt.rule, tt.want, list(all))
			}
		})
	}
}
