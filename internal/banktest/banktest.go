// Package banktest builds small question banks on disk for tests: a
// two-domain blueprint and valid items that tests then break on purpose.
package banktest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Exam is a small blueprint: domains alpha (60 %, tasks 1.1 and 1.2, prefix
// AL) and beta (40 %, task 2.1, prefix BE); single items have 4 options,
// multiple items at least 5; one form spec "full" (5 scored, 2 pretest).
const Exam = `exam: TST-01
title: Test exam
options: {single: 4, multiple_min: 5}
scale: {min: 100, max: 1000, pass: 700}
domains:
  - id: alpha
    name: Alpha
    weight: 60
    prefix: AL
    tasks:
      - {id: "1.1", title: First task.}
      - {id: "1.2", title: Second task.}
  - id: beta
    name: Beta
    weight: 40
    prefix: BE
    tasks:
      - {id: "2.1", title: Third task.}
forms:
  - {id: full, title: Full, scored: 5, pretest: 2, minutes: 10}
`

// Item returns a valid operational single item of domain alpha, task 1.1,
// whose stem mentions topic (so stems of different items differ). Its
// lines are stable, so tests can assert positions:
//
//	1 id, 2 revision, 3 status, 4 domain, 5 task, 6 type, 7 difficulty,
//	8 stem: |, 9 stem text, 10 options:, 11-13 option A (correct),
//	14-15 option B, 16-17 option C, 18-19 option D, 20 explanation,
//	21 references:, 22 the reference.
func Item(id, topic string) string {
	return fmt.Sprintf(`id: %s
revision: 1
status: operational
domain: alpha
task: "1.1"
type: single
difficulty: medium
stem: |
  A team studies %s. Which choice fits the case best?
options:
  - text: The first answer about %s.
    correct: true
    why: It is right.
  - text: The second answer.
    why: It is wrong.
  - text: The third answer.
    why: It is wrong.
  - text: The fourth answer.
    why: It is wrong.
explanation: Because.
references:
  - https://docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html
`, id, topic, topic)
}

// Edit returns src with old replaced by new once, failing the test when src
// lacks old (so a fixture change cannot silently void a test).
func Edit(t testing.TB, src, old, new string) string {
	t.Helper()
	if !strings.Contains(src, old) {
		t.Fatalf("fixture lacks %q", old)
	}
	return strings.Replace(src, old, new, 1)
}

// Write creates a bank in dir: exam.yaml (Exam unless files has one) and
// the given files (path relative to dir -> content).
func Write(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	if _, ok := files["exam.yaml"]; !ok {
		files["exam.yaml"] = Exam
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
