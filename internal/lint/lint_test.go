package lint

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank"
)

// want is an expected finding: file relative to the bank, position, a
// message fragment.
type want struct {
	file string
	line int
	col  int
	msg  string
}

const (
	a1 = "items/alpha/AL-0001.yaml"
	a2 = "items/alpha/AL-0002.yaml"
)

func item(t *testing.T, edits ...string) string {
	t.Helper()
	src := testbank.SmallItem("AL-0001", "storage")
	for i := 0; i+1 < len(edits); i += 2 {
		src = testbank.Edit(t, src, edits[i], edits[i+1])
	}
	return src
}

const multipleStem = "A team studies storage. Which choices fit the case best? (Select TWO.)"

func multiple(t *testing.T, correct int, stem string) string {
	src := item(t, "type: single", "type: multiple", "A team studies storage. Which choice fits the case best?", stem)
	src = testbank.Edit(t, src, "explanation:", "  - text: The fifth answer.\n    why: It is wrong.\nexplanation:")
	if correct >= 2 {
		src = testbank.Edit(t, src, "  - text: The second answer.\n", "  - text: The second answer.\n    correct: true\n")
	}
	if correct >= 3 {
		src = testbank.Edit(t, src, "  - text: The third answer.\n", "  - text: The third answer.\n    correct: true\n")
	}
	return src
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		rule  string
		files map[string]string
		cfg   string
		want  []want
	}{
		{"id-filename passes", rules.IDFilename.ID, map[string]string{a1: item(t)}, "", nil},
		{"id-filename wrong name", rules.IDFilename.ID, map[string]string{"items/alpha/AL-0009.yaml": item(t)}, "",
			[]want{{"items/alpha/AL-0009.yaml", 1, 5, "id AL-0001 does not match the file name AL-0009.yaml"}}},
		{"id-filename wrong folder", rules.IDFilename.ID, map[string]string{"items/beta/AL-0001.yaml": item(t)}, "",
			[]want{{"items/beta/AL-0001.yaml", 4, 9, "belongs in items/alpha/"}}},

		{"duplicate-id passes", rules.DuplicateID.ID, map[string]string{a1: item(t), a2: testbank.SmallItem("AL-0002", "dns")}, "", nil},
		{"duplicate-id", rules.DuplicateID.ID, map[string]string{a1: item(t), "items/beta/AL-0001.yaml": item(t, "domain: alpha", "domain: beta", `task: "1.1"`, `task: "2.1"`, "studies storage", "studies queues")}, "",
			[]want{{"items/beta/AL-0001.yaml", 1, 5, "id AL-0001 is already declared by BANK/items/alpha/AL-0001.yaml"}}},

		{"unknown-domain", rules.UnknownDomain.ID, map[string]string{"items/gamma/AL-0001.yaml": item(t, "domain: alpha", "domain: gamma")}, "",
			[]want{{"items/gamma/AL-0001.yaml", 4, 9, `unknown domain "gamma"; use one of: alpha, beta`}}},
		{"unknown-task", rules.UnknownTask.ID, map[string]string{a1: item(t, `task: "1.1"`, `task: "2.1"`)}, "",
			[]want{{a1, 5, 7, `task "2.1" is not a task statement of domain alpha; use one of: 1.1, 1.2`}}},
		{"unknown-task passes", rules.UnknownTask.ID, map[string]string{a1: item(t, `task: "1.1"`, `task: "1.2"`)}, "", nil},

		{"answer-count single with two keys", rules.AnswerCount.ID, map[string]string{a1: item(t, "  - text: The second answer.\n", "  - text: The second answer.\n    correct: true\n")}, "",
			[]want{{a1, 15, 14, "type single needs exactly one correct option; found 2 (options AB)"}}},
		{"answer-count single with no key", rules.AnswerCount.ID, map[string]string{a1: item(t, "    correct: true\n", "")}, "",
			[]want{{a1, 11, 3, "found none"}}},
		{"answer-count multiple with one key", rules.AnswerCount.ID, map[string]string{a1: multiple(t, 1, multipleStem)}, "",
			[]want{{a1, 11, 3, "type multiple needs at least two correct options; found 1"}}},
		{"answer-count multiple passes", rules.AnswerCount.ID, map[string]string{a1: multiple(t, 2, multipleStem)}, "", nil},

		{"option-count single", rules.OptionCount.ID, map[string]string{a1: item(t, "  - text: The fourth answer.\n    why: It is wrong.\n", "")}, "",
			[]want{{a1, 11, 3, "type single needs exactly 4 options; found 3"}}},
		{"option-count multiple", rules.OptionCount.ID, map[string]string{a1: item(t, "type: single", "type: multiple", "best?", "best? (Select TWO.)", "  - text: The second answer.\n", "  - text: The second answer.\n    correct: true\n")}, "",
			[]want{{a1, 11, 3, "type multiple needs at least 5 options; found 4"}}},

		{"duplicate-option", rules.DuplicateOption.ID, map[string]string{a1: item(t, "The third answer.", "the SECOND   answer.")}, "",
			[]want{{a1, 16, 11, "option C has the same text as option B"}}},

		{"select-phrase in a single stem", rules.SelectPhrase.ID, map[string]string{a1: item(t, "best?", "best? (Select TWO.)")}, "",
			[]want{{a1, 9, 60, `must not say "(Select TWO.)"`}}},
		{"select-phrase missing", rules.SelectPhrase.ID, map[string]string{a1: multiple(t, 2, "A team studies storage. Which choices fit?")}, "",
			[]want{{a1, 8, 7, `must end with "(Select TWO.)" for its 2 correct options`}}},
		{"select-phrase wrong number", rules.SelectPhrase.ID, map[string]string{a1: multiple(t, 3, multipleStem)}, "",
			[]want{{a1, 9, 60, `says "(Select TWO.)" but the item has 3 correct options; write "(Select THREE.)"`}}},
		{"select-phrase wrong spelling", rules.SelectPhrase.ID, map[string]string{a1: multiple(t, 2, "Which choices fit? (select two)")}, "",
			[]want{{a1, 9, 22, `write the select phrase exactly as "(Select TWO.)", not "(select two)"`}}},

		{"missing-why", rules.MissingWhy.ID, map[string]string{a1: item(t, "  - text: The third answer.\n    why: It is wrong.\n", "  - text: The third answer.\n")}, "",
			[]want{{a1, 16, 5, "option C has no why; status operational needs a why on every option"}}},
		{"missing-why passes on a draft", rules.MissingWhy.ID, map[string]string{a1: item(t, "status: operational", "status: draft", "  - text: The third answer.\n    why: It is wrong.\n", "  - text: The third answer.\n")}, "", nil},

		{"missing-reference", rules.MissingReference.ID, map[string]string{a1: item(t, "references:\n  - https://docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html\n", "")}, "",
			[]want{{a1, 3, 9, "status operational needs at least one reference"}}},
		{"missing-reference passes on review", rules.MissingReference.ID, map[string]string{a1: item(t, "status: operational", "status: review", "references:\n  - https://docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html\n", "")}, "", nil},

		{"reference-url http", rules.ReferenceURL.ID, map[string]string{a1: item(t, "https://docs", "http://docs")}, "",
			[]want{{a1, 22, 5, "uses http; use https"}}},
		{"reference-url without a scheme", rules.ReferenceURL.ID, map[string]string{a1: item(t, "https://docs", "//docs")}, "",
			[]want{{a1, 22, 5, `reference "//docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html" has no scheme; write it as https://docs.aws.amazon.com/`}}},
		{"reference-url host", rules.ReferenceURL.ID, map[string]string{a1: item(t, "https://docs.aws.amazon.com", "https://example.com")}, "",
			[]want{{a1, 22, 5, "reference host example.com is not allowed"}}},
		{"reference-url host allowed by config", rules.ReferenceURL.ID, map[string]string{a1: item(t, "https://docs.aws.amazon.com", "https://docs.example.com")}, "references:\n  allowed_hosts: ['*.example.com']\n", nil},

		{"banned-phrase", rules.BannedPhrase.ID, map[string]string{a1: item(t, "The fourth answer.", "None of the above.")}, "",
			[]want{{a1, 18, 11, `option D "None of the above." is banned`}}},
		{"banned-phrase letters", rules.BannedPhrase.ID, map[string]string{a1: item(t, "The fourth answer.", "Both A and B")}, "",
			[]want{{a1, 18, 11, `option D "Both A and B" is banned`}}},

		{"negative-stem", rules.NegativeStem.ID, map[string]string{a1: item(t, "Which choice fits", "Which choice does not fit")}, "",
			[]want{{a1, 9, 45, `negative "not" must be written in capitals (NOT)`}}},
		{"negative-stem capitals and at least pass", rules.NegativeStem.ID, map[string]string{a1: item(t, "Which choice fits", "Which choice does NOT fit at least")}, "", nil},

		{"enemy-ref unknown", rules.EnemyRef.ID, map[string]string{a1: item(t) + "enemies: [AL-0099]\n"}, "",
			[]want{{a1, 23, 11, "enemy AL-0099 is not an item of this bank"}}},
		{"enemy-ref itself", rules.EnemyRef.ID, map[string]string{a1: item(t) + "enemies: [AL-0001]\n"}, "",
			[]want{{a1, 23, 11, "AL-0001 lists itself as an enemy"}}},
		{"enemy-ref passes", rules.EnemyRef.ID, map[string]string{a1: item(t) + "enemies: [AL-0002]\n", a2: testbank.SmallItem("AL-0002", "dns") + "enemies: [AL-0001]\n"}, "", nil},

		{"near-duplicate", rules.NearDuplicate.ID, map[string]string{a1: item(t), a2: testbank.SmallItem("AL-0002", "storage")}, "",
			[]want{{a2, 8, 7, "stem is the same as the stem of AL-0001 (" + "BANK/items/alpha/AL-0001.yaml:8)"}}},
		{"near-duplicate passes", rules.NearDuplicate.ID, map[string]string{a1: item(t), a2: testbank.SmallItem("AL-0002", "cold archive storage for logs")}, "", nil},

		{"key-length", rules.KeyLength.ID, map[string]string{a1: item(t, "The first answer about storage.", "The first answer about storage, which is longer than all of the others by far.")}, "",
			[]want{{a1, 11, 11, "key A is 78 characters, the longest distractor 18"}}},

		{"suppression with reason hides a finding", rules.BannedPhrase.ID, map[string]string{a1: item(t, "  - text: The fourth answer.", "  # qbank:ignore banned-phrase -- this item tests the phrase itself\n  - text: None of the above.")}, "", nil},
		{"suppression on the finding's line", rules.BannedPhrase.ID, map[string]string{a1: item(t, "  - text: The fourth answer.", "  - text: None of the above. # qbank:ignore banned-phrase -- quoted on purpose")}, "", nil},
		{"suppression without reason", rules.Suppression.ID, map[string]string{a1: item(t, "  - text: The fourth answer.", "  # qbank:ignore banned-phrase\n  - text: None of the above.")}, "",
			[]want{{a1, 18, 3, "qbank:ignore without a reason"}}},
		{"suppression text inside a block scalar is stem text, not a comment", rules.NegativeStem.ID, map[string]string{a1: item(t, "  A team studies storage. Which choice fits", "  # qbank:ignore negative-stem -- hidden in the stem\n  A team studies storage. Which choice does not fit")}, "",
			[]want{{a1, 10, 45, `negative "not"`}}},
		{"suppression text inside a quoted string is not a comment", rules.BannedPhrase.ID, map[string]string{a1: item(t, "  - text: The third answer.\n    why: It is wrong.", "  - text: The third answer.\n    why: \"It is wrong. # qbank:ignore banned-phrase -- in the why\"", "The fourth answer.", "None of the above.")}, "",
			[]want{{a1, 18, 11, `option D "None of the above." is banned`}}},
		{"suppression in a file with CRLF line endings", rules.BannedPhrase.ID, map[string]string{a1: strings.ReplaceAll(item(t, "  - text: The fourth answer.", "  # qbank:ignore banned-phrase\n  - text: None of the above."), "\n", "\r\n")}, "", nil},
		{"suppression without reason in a CRLF file names the rule", rules.Suppression.ID, map[string]string{a1: strings.ReplaceAll(item(t, "  - text: The fourth answer.", "  # qbank:ignore banned-phrase\n  - text: None of the above."), "\n", "\r\n")}, "",
			[]want{{a1, 18, 3, `write "# qbank:ignore banned-phrase -- why`}}},
		{"suppression of an unknown rule", rules.Suppression.ID, map[string]string{a1: item(t, "id: AL-0001", "id: AL-0001 # qbank:ignore no-such-rule -- because")}, "",
			[]want{{a1, 1, 13, `unknown rule "no-such-rule"`}}},

		{"option-count passes for multiple", rules.OptionCount.ID, map[string]string{a1: multiple(t, 2, multipleStem)}, "", nil},
		{"duplicate-option passes on near-identical texts", rules.DuplicateOption.ID, map[string]string{a1: item(t, "The third answer.", "The second answers.")}, "", nil},
		{"select-phrase passes", rules.SelectPhrase.ID, map[string]string{a1: multiple(t, 3, "Which choices fit? (Select THREE.)")}, "", nil},
		{"banned-phrase passes when the phrase is part of a real option", rules.BannedPhrase.ID, map[string]string{a1: item(t, "The fourth answer.", "All of the above services in one Region.")}, "", nil},
		{"key-length passes when a distractor is as long", rules.KeyLength.ID, map[string]string{a1: item(t, "The first answer about storage.", "The first answer about storage, which is longer than all of the others by far.", "The second answer.", "The second answer, which is just about as long as the key is, by design.")}, "", nil},
		{"suppression with a reason is not a finding", rules.Suppression.ID, map[string]string{a1: item(t, "  - text: The fourth answer.", "  # qbank:ignore banned-phrase -- the item quotes the phrase on purpose\n  - text: None of the above.")}, "", nil},
		{"duplicate-id is not reported for one file", rules.DuplicateID.ID, map[string]string{a1: item(t)}, "", nil},
		{"unknown-domain passes", rules.UnknownDomain.ID, map[string]string{a1: item(t)}, "", nil},
		{"reference-url passes", rules.ReferenceURL.ID, map[string]string{a1: item(t)}, "", nil},
		{"negative-stem passes on a positive stem", rules.NegativeStem.ID, map[string]string{a1: item(t)}, "", nil},
		{"missing-why passes", rules.MissingWhy.ID, map[string]string{a1: item(t)}, "", nil},
		{"answer-count single passes", rules.AnswerCount.ID, map[string]string{a1: item(t)}, "", nil},
		{"option-count single passes", rules.OptionCount.ID, map[string]string{a1: item(t)}, "", nil},
		{"banned-phrase passes", rules.BannedPhrase.ID, map[string]string{a1: item(t)}, "", nil},
		{"select-phrase single passes", rules.SelectPhrase.ID, map[string]string{a1: item(t)}, "", nil},
		{"key-length passes", rules.KeyLength.ID, map[string]string{a1: item(t)}, "", nil},
		{"missing-reference passes", rules.MissingReference.ID, map[string]string{a1: item(t)}, "", nil},

		{"config turns a rule off", rules.BannedPhrase.ID, map[string]string{a1: item(t, "The fourth answer.", "None of the above.")}, "rules:\n  banned-phrase: off\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, got, all := lintRule(t, tt.files, tt.cfg, tt.rule)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d %s findings, want %d:\n%s\nall findings:\n%s", len(got), tt.rule, len(tt.want), list(got), list(all))
			}
			for i, w := range tt.want {
				f := got[i]
				rel, _ := filepath.Rel(dir, f.File)
				msg := strings.ReplaceAll(w.msg, "BANK/", filepath.ToSlash(dir)+"/")
				if filepath.ToSlash(rel) != w.file || f.Line != w.line || f.Column != w.col || !strings.Contains(f.Message, msg) {
					t.Errorf("got  %s:%d:%d %s\nwant %s:%d:%d ...%s...", rel, f.Line, f.Column, f.Message, w.file, w.line, w.col, msg)
				}
				if f.Severity != defaultSeverity(tt.rule) {
					t.Errorf("severity %s; want %s", f.Severity, defaultSeverity(tt.rule))
				}
			}
		})
	}
}

func TestConfigChangesSeverity(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{a1: item(t, "The fourth answer.", "None of the above.")})
	cfg, err := config.Parse([]byte("rules:\n  banned-phrase: warning\n"), ".qbank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), dir, Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Errors != 0 || res.Summary.Warnings != 1 || res.Findings[0].Severity != finding.Warning {
		t.Fatalf("summary %+v findings %v", res.Summary, res.Findings)
	}
}

func list(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintln(&b, f.String())
	}
	return b.String()
}

func TestCleanBankHasNoFindings(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{
		a1:                         item(t),
		a2:                         testbank.SmallItem("AL-0002", "queues"),
		"items/alpha/AL-0003.yaml": strings.ReplaceAll(testbank.Edit(t, multiple(t, 2, multipleStem), "id: AL-0001", "id: AL-0003"), "storage", "backups"), // not a probable enemy of AL-0001
	})
	res, err := Run(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || res.Summary.Files != 3 || res.Summary.Items != 3 {
		t.Fatalf("summary %+v findings:\n%s", res.Summary, list(res.Findings))
	}
}

// defaultSeverity is the registry's severity of rule id.
func defaultSeverity(id string) finding.Severity {
	for _, r := range rules.All() {
		if r.ID == id {
			return r.Severity
		}
	}
	return ""
}

// lintRule writes files into a new small bank, lints it under the
// configuration cfgText (empty: the defaults) and returns the bank
// directory, the findings of rule and all the findings.
func lintRule(t *testing.T, files map[string]string, cfgText, rule string) (dir string, got, all []finding.Finding) {
	t.Helper()
	dir = t.TempDir()
	testbank.WriteSmall(t, dir, files)
	cfg := config.Default()
	if cfgText != "" {
		var err error
		if cfg, err = config.Parse([]byte(cfgText), ".qbank.yaml"); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), dir, Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule == rule {
			got = append(got, f)
		}
	}
	return dir, got, res.Findings
}
