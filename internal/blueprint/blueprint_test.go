package blueprint

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
)

func TestApportion(t *testing.T) {
	clf := []int{24, 30, 34, 12}
	tests := []struct {
		name    string
		n       int
		weights []int
		want    []int
	}{
		{"CLF-C02 50 scored", 50, clf, []int{12, 15, 17, 6}},
		{"CLF-C02 15 pretest", 15, clf, []int{4, 4, 5, 2}},
		{"CLF-C02 10 diagnostic", 10, clf, []int{2, 3, 4, 1}},
		{"CLF-C02 65", 65, clf, []int{16, 19, 22, 8}},
		{"zero items", 0, clf, []int{0, 0, 0, 0}},
		{"even split", 4, []int{25, 25, 25, 25}, []int{1, 1, 1, 1}},
		{"tie on remainder goes to the larger weight", 1, []int{30, 70}, []int{0, 1}},
		{"tie on remainder and weight goes to the first domain", 1, []int{50, 50}, []int{1, 0}},
		{"tied remainders after the largest go to the earlier domain", 2, []int{33, 33, 34}, []int{1, 0, 1}},
		{"uneven", 7, []int{10, 20, 30, 40}, []int{1, 1, 2, 3}},
		{"weights not summing to 100 use their total", 3, []int{1, 1, 1}, []int{1, 1, 1}},
		{"a count whose product with a weight overflows", 1 << 60, []int{24, 30, 34, 12}, []int{276701161105643274, 345876451382054093, 391993311566327972, 138350580552821637}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Apportion(tt.n, tt.weights)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Apportion(%d, %v) = %v; want %v", tt.n, tt.weights, got, tt.want)
			}
			sum := 0
			for _, g := range got {
				sum += g
			}
			if sum != tt.n {
				t.Errorf("counts sum to %d; want %d", sum, tt.n)
			}
		})
	}
}

func TestTheBundledBlueprintLoads(t *testing.T) {
	data, err := os.ReadFile("../../bank/exam.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, fs, err := Parse(data, "bank/exam.yaml")
	if err != nil || len(fs) > 0 {
		t.Fatalf("err=%v findings=%v", err, fs)
	}
	if e.Exam != "CLF-C02" || len(e.Domains) != 4 || !reflect.DeepEqual(e.Weights(), []int{24, 30, 34, 12}) {
		t.Fatalf("unexpected blueprint: %+v", e)
	}
	tasks := 0
	for _, d := range e.Domains {
		tasks += len(d.Tasks)
	}
	if tasks != 19 {
		t.Errorf("%d task statements; the CLF-C02 guide has 19", tasks)
	}
	full := e.Spec("full")
	if full == nil || full.Scored != 50 || full.Pretest != 15 || full.Minutes != 90 {
		t.Errorf("full spec = %+v", full)
	}
	if d := e.Spec("diagnostic"); d == nil || d.Scored != 10 || d.Pretest != 0 {
		t.Errorf("diagnostic spec = %+v", d)
	}
}

func TestBlueprintRules(t *testing.T) {
	base, err := os.ReadFile("../../bank/exam.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(base)
	tests := []struct {
		name    string
		old     string
		new     string
		want    finding.Pos
		message string
	}{
		{"weights must sum to 100", "weight: 12", "weight: 13", finding.Pos{Line: 24, Column: 3}, "domain weights sum to 101"},
		{"duplicate task id", `id: "1.2"`, `id: "1.1"`, finding.Pos{Line: 31, Column: 13}, `task id "1.1" is used twice`},
		{"duplicate prefix", "prefix: SEC", "prefix: CC", finding.Pos{Line: 40, Column: 13}, `id prefix "CC"`},
		{"pass outside scale", "pass: 700", "pass: 1700", finding.Pos{Line: 12, Column: 9}, "pass score 1700"},
		{"duplicate spec", "id: diagnostic", "id: full", finding.Pos{Line: 88, Column: 9}, `form spec id "full" is used twice`},
		{"schema problem", "single: 4", "single: four", finding.Pos{Line: 7, Column: 11}, "options.single must be an integer"},
		// A huge count would overflow apportionment and make assemble lay
		// out slots for it.
		{"spec too large", "scored: 10\n", "scored: 900000000000000000\n", finding.Pos{Line: 88, Column: 5}, `form spec "diagnostic" has 900000000000000000 scored + 0 pretest items; a form has at most 10000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			e, fs, err := Parse([]byte(strings.Replace(src, tt.old, tt.new, 1)), "exam.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if e != nil || len(fs) != 1 {
				t.Fatalf("want one finding and no exam; got %v", fs)
			}
			if fs[0].At() != tt.want || !strings.Contains(fs[0].Message, tt.message) {
				t.Errorf("got %v; want %v containing %q", fs[0], tt.want, tt.message)
			}
		})
	}
}

func TestIDPrefixDefaultsToInitials(t *testing.T) {
	d := Domain{ID: "cloud-technology-services"}
	if got := d.IDPrefix(); got != "CTS" {
		t.Errorf("IDPrefix = %q", got)
	}
}

func TestScaleDefaultsAndCut(t *testing.T) {
	tests := []struct {
		name      string
		scale     string
		wantSlope float64
		wantSD    float64
		wantHard  float64
		wantEmpty float64
		wantCut   string
	}{
		{"defaults", "{min: 100, max: 1000, pass: 700}", 100, 0.5, 1, 0, "none"},
		{"raw cut", "{min: 100, max: 1000, pass: 700, cut: {form: F-A, raw: 36}, slope: 80, domain_sd: 0.7, provisional: {hard: 1.5, medium: 0.2}}", 80, 0.7, 1.5, 0.2, "F-A:36"},
		{"theta cut", "{min: 100, max: 1000, pass: 700, cut: {theta: 0.42}}", 100, 0.5, 1, 0, "theta:0.42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(otherExam, "scale: {min: 0, max: 100, pass: 65}", "scale: "+tt.scale, 1)
			if src == otherExam {
				t.Fatal("test blueprint has no scale line to replace")
			}
			e, fs, err := Parse([]byte(src), "exam.yaml")
			if err != nil || len(fs) > 0 {
				t.Fatalf("Parse: %v %v", err, fs)
			}
			s := e.Scale
			if s.Slope != tt.wantSlope || s.DomainSD != tt.wantSD || s.Provisional.B("hard") != tt.wantHard || s.Provisional.B("") != tt.wantEmpty {
				t.Errorf("scale = %+v", s)
			}
			if s.Provisional.B("easy") != -1 {
				t.Errorf("easy b = %v, want the default -1", s.Provisional.B("easy"))
			}
			got := "none"
			switch {
			case s.Cut != nil && s.Cut.Theta != nil:
				got = fmt.Sprintf("theta:%v", *s.Cut.Theta)
			case s.Cut != nil && s.Cut.Raw != nil:
				got = fmt.Sprintf("%s:%d", s.Cut.Form, *s.Cut.Raw)
			}
			if got != tt.wantCut {
				t.Errorf("cut = %s, want %s", got, tt.wantCut)
			}
		})
	}
}

func TestScaleCutMustBeOneKind(t *testing.T) {
	src := strings.Replace(otherExam, "scale: {min: 0, max: 100, pass: 65}", "scale: {min: 100, max: 1000, pass: 700, cut: {form: F-A, raw: 3, theta: 0.1}}", 1)
	_, fs, _ := Parse([]byte(src), "exam.yaml")
	if len(fs) == 0 {
		t.Fatal("a cut with both a raw score and a theta was accepted")
	}
}

func TestScaleNumbersMustBeFinite(t *testing.T) {
	tests := []struct {
		name, scale, want string
		col               int
	}{
		{"infinite theta", "{min: 100, max: 1000, pass: 700, cut: {theta: .inf}}", ".inf is not a finite number", 54},
		{"NaN theta", "{min: 100, max: 1000, pass: 700, cut: {theta: .nan}}", ".nan is not a finite number", 54},
		{"infinite slope", "{min: 100, max: 1000, pass: 700, slope: -.Inf}", "-.Inf is not a finite number", 48},
		{"NaN provisional", "{min: 100, max: 1000, pass: 700, provisional: {hard: .NaN}}", ".NaN is not a finite number", 61},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(otherExam, "scale: {min: 0, max: 100, pass: 65}", "scale: "+tt.scale, 1)
			e, fs, _ := Parse([]byte(src), "exam.yaml")
			if e != nil || len(fs) != 1 {
				t.Fatalf("got exam %v, findings %v", e != nil, fs)
			}
			if !strings.Contains(fs[0].Message, tt.want) || fs[0].Column != tt.col || fs[0].Line != 4 || fs[0].Rule != rules.YAML.ID {
				t.Errorf("finding %v; want %q at 4:%d", fs[0], tt.want, tt.col)
			}
		})
	}
}

func TestScaleCutPositions(t *testing.T) {
	src := strings.Replace(otherExam, "scale: {min: 0, max: 100, pass: 65}", "scale: {min: 100, max: 1000, pass: 700, cut: {form: F-A, raw: 3}}", 1)
	e, fs, err := Parse([]byte(src), "exam.yaml")
	if err != nil || len(fs) > 0 {
		t.Fatalf("Parse: %v %v", err, fs)
	}
	s := e.Scale
	if s.CutPos != (finding.Pos{Line: 4, Column: 46}) || s.CutFormPos != (finding.Pos{Line: 4, Column: 53}) || s.CutRawPos != (finding.Pos{Line: 4, Column: 63}) {
		t.Errorf("positions: cut %v form %v raw %v", s.CutPos, s.CutFormPos, s.CutRawPos)
	}
}
