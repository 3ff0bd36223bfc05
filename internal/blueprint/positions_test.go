package blueprint

import (
	"reflect"
	"testing"

	"github.com/qbank/qbank/internal/finding"
)

// otherExam is a blueprint other than CLF-C02: three domains whose weights
// (45/35/20) do not divide the form counts evenly.
const otherExam = `exam: NET-X1
title: Networking Fundamentals
options: {single: 5, multiple_min: 6}
scale: {min: 0, max: 100, pass: 65}
domains:
  - id: routing
    name: Routing
    weight: 45
    tasks:
      - {id: "A", title: Static routes}
      - {id: "B", title: Dynamic routing}
  - id: switching
    name: Switching
    weight: 35
    tasks:
      - {id: "C", title: VLANs}
  - id: wireless
    name: Wireless
    weight: 20
    tasks:
      - {id: "D", title: Standards}
forms:
  - {id: exam, title: Certification exam, scored: 30, pretest: 6, minutes: 60}
  - {id: quiz, title: Quiz, scored: 7, pretest: 0, minutes: 10}
`

func TestAnotherBlueprint(t *testing.T) {
	e, fs, err := Parse([]byte(otherExam), "net/exam.yaml")
	if err != nil || len(fs) > 0 || e == nil {
		t.Fatalf("err=%v findings=%v", err, fs)
	}
	tests := []struct {
		n    int
		want []int
	}{
		// 13.5/10.5/6: remainders .5 and .5 tie; the larger weight (routing) wins.
		{30, []int{14, 10, 6}},
		// 2.7/2.1/1.2: one left over, to routing (largest remainder .7).
		{6, []int{3, 2, 1}},
		// 3.15/2.45/1.4: one left over, to switching (.45 beats .4 and .15).
		{7, []int{3, 3, 1}},
		// 45/35/20 exactly.
		{100, []int{45, 35, 20}},
		// 0.45/0.35/0.2: the single item goes to the largest remainder.
		{1, []int{1, 0, 0}},
	}
	for _, tt := range tests {
		if got := e.Apportion(tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Apportion(%d) = %v; want %v", tt.n, got, tt.want)
		}
	}
	if got := e.Domains[1].IDPrefix(); got != "S" {
		t.Errorf("IDPrefix = %q", got)
	}
}

func TestPositionsAreKept(t *testing.T) {
	e, fs, err := Parse([]byte(otherExam), "net/exam.yaml")
	if err != nil || len(fs) > 0 {
		t.Fatalf("err=%v findings=%v", err, fs)
	}
	if e.File != "net/exam.yaml" {
		t.Errorf("File = %q", e.File)
	}
	if got := e.Domains[1].Pos; got != (finding.Pos{Line: 12, Column: 9}) {
		t.Errorf("switching at %v; want 12:9", got)
	}
	if got := e.Domains[0].Tasks[1].Pos; got != (finding.Pos{Line: 11, Column: 14}) {
		t.Errorf("task B at %v; want 11:14", got)
	}
	if got := e.Forms[1].Pos; got != (finding.Pos{Line: 24, Column: 10}) {
		t.Errorf("spec quiz at %v; want 24:10", got)
	}
}
