package standard

import (
	"strings"
	"testing"
)

const examHead = `# The blueprint.
exam: TST-01
title: Test exam
options: {single: 4, multiple_min: 5}
`

const examTail = `domains:
  - id: alpha
    name: Alpha
    weight: 100
    tasks:
      - {id: "1.1", title: Know alpha.}
forms:
  - {id: mini, title: Mini, scored: 2, pretest: 0, minutes: 5}
`

func TestSetCut(t *testing.T) {
	tests := []struct {
		name, scale, want string
	}{
		{"flow cut in a block scale",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700\n  # PROVISIONAL: raw 35.\n  cut: {form: F-A, raw: 35}   # old note\n  slope: 100\n",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700\n  # PROVISIONAL: raw 35.\n  cut: {theta: 0.123457}  # set by a test\n  slope: 100\n"},
		{"flow cut without a comment",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700\n  cut: {theta: -2}\n",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700\n  cut: {theta: 0.123457}  # set by a test\n"},
		{"block cut",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700\n  cut:\n    form: F-A\n    raw: 35\n  slope: 100   # points per logit\n",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700\n  cut: {theta: 0.123457}  # set by a test\n  slope: 100   # points per logit\n"},
		{"no cut, block scale",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700  # the pass mark\n",
			"scale:\n  min: 100\n  max: 1000\n  pass: 700  # the pass mark\n  cut: {theta: 0.123457}  # set by a test\n"},
		{"no cut, flow scale",
			"scale: {min: 100, max: 1000, pass: 700}  # keep me\n",
			"scale: {min: 100, max: 1000, pass: 700, cut: {theta: 0.123457}}  # keep me\n"},
		{"cut inside a flow scale",
			"scale: {min: 100, max: 1000, pass: 700, cut: {form: F-A, raw: 35}, slope: 90}\n",
			"scale: {min: 100, max: 1000, pass: 700, cut: {theta: 0.123457}, slope: 90}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SetCut([]byte(examHead+tt.scale+examTail), 0.12345678, "set by a test")
			if err != nil {
				t.Fatal(err)
			}
			if want := examHead + tt.want + examTail; string(got) != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestSetCutRefuses(t *testing.T) {
	for _, src := range []string{
		"exam: X\n",    // no scale
		"scale: [1]\n", // not a mapping
		"a: [\n",       // not YAML
		examHead + "scale:\n  min: 100\n  max: 1000\n  pass: 700\n  cut: {form: F-A,\n    raw: 35}\n" + examTail, // a flow mapping over two lines
	} {
		if out, err := SetCut([]byte(src), 0.5, ""); err == nil {
			t.Errorf("%q: accepted, gave\n%s", src, out)
		} else if strings.Contains(err.Error(), "panic") {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// FuzzSetCut: whatever exam.yaml holds, SetCut never panics, and what it
// returns carries the new cut and keeps every line that is not the cut's.
func FuzzSetCut(f *testing.F) {
	f.Add(examHead + "scale:\n  min: 100\n  max: 1000\n  pass: 700\n  cut: {form: F-A, raw: 35}\n" + examTail)
	f.Add(examHead + "scale: {min: 100, max: 1000, pass: 700}\n" + examTail)
	f.Add(examHead + "scale:\n  min: 100\n  max: 1000\n  pass: 700\n  cut:\n    theta: 1\n" + examTail)
	f.Fuzz(func(t *testing.T, src string) {
		out, err := SetCut([]byte(src), -0.25, "fuzz")
		if err != nil {
			return
		}
		if !strings.Contains(string(out), "theta: -0.25") {
			t.Fatalf("no new cut in\n%s", out)
		}
		kept := 0
		for _, line := range strings.Split(src, "\n") {
			if strings.Contains(string(out), line) {
				kept++
			}
		}
		if n := len(strings.Split(src, "\n")); kept < n-3 {
			t.Fatalf("only %d of %d lines kept:\n%s\n---\n%s", kept, n, src, out)
		}
	})
}
