package lint

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/author"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank"
)

// findingsOf lints files and returns the findings of rule as
// "file:line:col: message" lines, the file relative to the bank.
func findingsOf(t *testing.T, files map[string]string, rule string) []string {
	t.Helper()
	dir, got, _ := lintRule(t, files, "", rule)
	var out []string
	for _, f := range got {
		rel, _ := filepath.Rel(dir, f.File)
		out = append(out, fmt.Sprintf("%s:%d:%d: %s %s: %s", filepath.ToSlash(rel), f.Line, f.Column, f.Severity, f.Rule, f.Message))
	}
	return out
}

func assertFindings(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPlaceholder: a qbank new template promoted past draft with its
// placeholders is an error in every field candidates or reviewers see.
func TestPlaceholder(t *testing.T) {
	tmpl, err := author.Template(author.Request{Domain: "alpha", Task: "1.1", Type: "single"}, "AL-0001", 4, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	draft := string(tmpl)
	assertFindings(t, findingsOf(t, map[string]string{a1: draft}, rules.Placeholder.ID), nil)

	review := testbank.Edit(t, draft, "status: draft", "status: review")
	e := "error placeholder: "
	assertFindings(t, findingsOf(t, map[string]string{a1: review}, rules.Placeholder.ID), []string{
		a1 + `:10:3: ` + e + `the stem still holds the qbank new placeholder "TODO AL-0001: the scenario and question."; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:12:11: ` + e + `option A still holds the qbank new placeholder "TODO distractor 1"; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:14:10: ` + e + `the why of option A still holds the qbank new placeholder "TODO why this option is wrong."; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:15:11: ` + e + `option B still holds the qbank new placeholder "TODO correct answer"; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:17:10: ` + e + `the why of option B still holds the qbank new placeholder "TODO why this option is correct."; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:18:11: ` + e + `option C still holds the qbank new placeholder "TODO distractor 2"; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:20:10: ` + e + `the why of option C still holds the qbank new placeholder "TODO why this option is wrong."; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:21:11: ` + e + `option D still holds the qbank new placeholder "TODO distractor 3"; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:23:10: ` + e + `the why of option D still holds the qbank new placeholder "TODO why this option is wrong."; status review is seen by reviewers or candidates: write the real text`,
		a1 + `:25:3: ` + e + `the explanation still holds the qbank new placeholder "TODO the explanation shown after answeri..."; status review is seen by reviewers or candidates: write the real text`,
	})

	// One placeholder left inside real text, on an operational item: at
	// the word.
	op := testbank.Edit(t, item(t), "explanation: Because.", "explanation: Because TODO cite the FAQ.")
	assertFindings(t, findingsOf(t, map[string]string{a1: op}, rules.Placeholder.ID), []string{
		a1 + `:20:22: ` + e + `the explanation still holds the qbank new placeholder "TODO cite the FAQ."; status operational is seen by reviewers or candidates: write the real text`,
	})
	// "todo" in lower case, or inside a word, is ordinary text.
	ok := testbank.Edit(t, item(t), "explanation: Because.", "explanation: A todo list app; TODOS.")
	assertFindings(t, findingsOf(t, map[string]string{a1: ok}, rules.Placeholder.ID), nil)
}

// TestSelectPhraseFewKeys: on a multiple item with fewer than two keys the
// select-phrase message never contradicts answer-count.
func TestSelectPhraseFewKeys(t *testing.T) {
	e := "error select-phrase: "
	one := multiple(t, 1, "A team studies storage. Which choices fit?")
	assertFindings(t, findingsOf(t, map[string]string{a1: one}, rules.SelectPhrase.ID), []string{
		a1 + `:8:7: ` + e + `a multiple-response stem must end with "(Select TWO.)", "(Select THREE.)"... for its number of correct options; the item has 1 correct option, and type multiple needs at least two (answer-count)`,
	})
	none := testbank.Edit(t, one, "    correct: true\n", "")
	assertFindings(t, findingsOf(t, map[string]string{a1: none}, rules.SelectPhrase.ID), []string{
		a1 + `:8:7: ` + e + `a multiple-response stem must end with "(Select TWO.)", "(Select THREE.)"... for its number of correct options; the item has 0 correct options, and type multiple needs at least two (answer-count)`,
	})
	// A well-formed phrase waits for the keys (answer-count reports them).
	assertFindings(t, findingsOf(t, map[string]string{a1: multiple(t, 1, multipleStem)}, rules.SelectPhrase.ID), nil)
	assertFindings(t, findingsOf(t, map[string]string{a1: multiple(t, 1, multipleStem)}, rules.AnswerCount.ID), []string{
		a1 + `:11:3: error answer-count: type multiple needs at least two correct options; found 1`,
	})
	sloppy := multiple(t, 1, "Which choices fit? (select one)")
	assertFindings(t, findingsOf(t, map[string]string{a1: sloppy}, rules.SelectPhrase.ID), []string{
		a1 + `:9:22: ` + e + `write the select phrase exactly as "(Select TWO.)", "(Select THREE.)"..., with the number of correct options, not "(select one)"`,
	})
	// From two keys on, the number is checked as before.
	assertFindings(t, findingsOf(t, map[string]string{a1: multiple(t, 3, multipleStem)}, rules.SelectPhrase.ID), []string{
		a1 + `:9:60: ` + e + `the stem says "(Select TWO.)" but the item has 3 correct options; write "(Select THREE.)"`,
	})
}

// TestBannedPhraseFix: the fix offered depends on the item type.
func TestBannedPhraseFix(t *testing.T) {
	e := "error banned-phrase: "
	single := item(t, "The fourth answer.", "None of the above.")
	assertFindings(t, findingsOf(t, map[string]string{a1: single}, rules.BannedPhrase.ID), []string{
		a1 + `:18:11: ` + e + `option D "None of the above." is banned by item-writing guidelines; write a real distractor (or make the item type multiple)`,
	})
	multi := testbank.Edit(t, multiple(t, 2, multipleStem), "The fourth answer.", "All of the above.")
	assertFindings(t, findingsOf(t, map[string]string{a1: multi}, rules.BannedPhrase.ID), []string{
		a1 + `:19:11: ` + e + `option D "All of the above." is banned by item-writing guidelines; write a real option in its place (a multiple-response item already lets candidates choose several)`,
	})
}
