package testbank

import (
	"fmt"
	"testing"
)

// SmallExam is the small bank's blueprint: domains alpha (60 %, tasks 1.1 and 1.2, prefix
// AL) and beta (40 %, task 2.1, prefix BE); single items have 4 options,
// multiple items at least 5; one form spec "full" (5 scored, 2 pretest).
const SmallExam = `exam: TST-01
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

// SmallItem returns a valid operational single item of domain alpha, task 1.1,
// whose stem mentions topic (so stems of different items differ). Its
// lines are stable, so tests can assert positions:
//
//	1 id, 2 revision, 3 status, 4 domain, 5 task, 6 type, 7 difficulty,
//	8 stem: |, 9 stem text, 10 options:, 11-13 option A (correct),
//	14-15 option B, 16-17 option C, 18-19 option D, 20 explanation,
//	21 references:, 22 the reference.
func SmallItem(id, topic string) string {
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

// WriteSmall writes a small bank in dir: exam.yaml (SmallExam unless files
// has one) and the given files (path relative to dir -> content).
func WriteSmall(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	if _, ok := files["exam.yaml"]; !ok {
		files["exam.yaml"] = SmallExam
	}
	WriteFiles(t, dir, files)
}
