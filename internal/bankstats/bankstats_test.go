package bankstats

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/testbank"
)

func exam() *blueprint.Exam {
	return &blueprint.Exam{
		Exam:    "TEST",
		Options: blueprint.OptionCounts{Single: 4, MultipleMin: 5},
		Domains: []blueprint.Domain{
			{ID: "cloud-concepts", Name: "Cloud Concepts", Weight: 40, Tasks: []blueprint.Task{{ID: "1.1", Title: "Benefits."}, {ID: "1.2", Title: "Design."}}},
			{ID: "security-compliance", Name: "Security", Weight: 60, Tasks: []blueprint.Task{{ID: "2.1", Title: "Shared responsibility."}}},
		},
	}
}

// it builds an item; keys are option indexes.
func it(id, status, domain, task, typ string, keys ...int) *bank.Item {
	n := 4
	if typ == bank.TypeMultiple {
		n = 5
	}
	x := &bank.Item{ID: id, Status: status, Domain: domain, Task: task, Type: typ}
	for i := range n {
		x.Options = append(x.Options, bank.Option{Text: string(rune('a' + i))})
	}
	for _, k := range keys {
		x.Options[k].Correct = true
	}
	return x
}

func sample() *bank.Bank {
	return &bank.Bank{
		Exam:  exam(),
		Files: 8,
		Items: []*bank.Item{
			it("CC-0001", "operational", "cloud-concepts", "1.1", "single", 0),
			it("CC-0002", "operational", "cloud-concepts", "1.1", "single", 1),
			it("CC-0003", "pretest", "cloud-concepts", "1.2", "single", 0),
			it("CC-0004", "draft", "cloud-concepts", "1.2", "multiple", 1, 4),
			it("SEC-0001", "operational", "security-compliance", "2.1", "multiple", 0, 2),
			it("SEC-0002", "retired", "security-compliance", "2.1", "single", 3),
			it("SEC-0003", "review", "security-compliance", "2.9", "single", 2),
		},
		Broken: []*bank.Item{{ID: "CC-0009"}},
	}
}

func TestCompute(t *testing.T) {
	s := Compute(sample(), 2, 1)
	if s.Items != 7 || s.Broken != 1 || s.Files != 8 || s.Lint != (LintSummary{2, 1}) {
		t.Errorf("header counts: %+v", s)
	}
	wantStatus := map[string]int{"draft": 1, "review": 1, "pretest": 1, "operational": 3, "retired": 1}
	if !reflect.DeepEqual(s.Status, wantStatus) {
		t.Errorf("status %v; want %v", s.Status, wantStatus)
	}
	cc := s.Domains[0]
	if cc.Domain != "cloud-concepts" || cc.Total != 4 || cc.ByStatus["operational"] != 2 || cc.ByStatus["pretest"] != 1 || cc.Weight != 40 {
		t.Errorf("cloud-concepts row: %+v", cc)
	}
	// Tasks in blueprint order, then the unknown task 2.9 at the end.
	var tasks []string
	for _, r := range s.Tasks {
		tasks = append(tasks, r.Task+"="+strconv.Itoa(r.Total))
	}
	if want := []string{"1.1=2", "1.2=2", "2.1=2", "2.9=1"}; !reflect.DeepEqual(tasks, want) {
		t.Errorf("tasks %v; want %v", tasks, want)
	}
	if s.Tasks[3].Title != "" {
		t.Errorf("unknown task has title %q", s.Tasks[3].Title)
	}
	wantTypes := []TypeCount{
		{Type: "single", Items: 5, Share: 71.4, Operational: 2, OperationalShare: 66.7},
		{Type: "multiple", Items: 2, Share: 28.6, Operational: 1, OperationalShare: 33.3},
	}
	if !reflect.DeepEqual(s.Types, wantTypes) {
		t.Errorf("types %+v; want %+v", s.Types, wantTypes)
	}
	wantSingle := []KeyCount{{"A", 2, 40}, {"B", 1, 20}, {"C", 1, 20}, {"D", 1, 20}}
	if !reflect.DeepEqual(s.SingleKeys, wantSingle) {
		t.Errorf("single keys %+v; want %+v", s.SingleKeys, wantSingle)
	}
	wantMultiple := []KeyCount{{"A", 1, 25}, {"B", 1, 25}, {"C", 1, 25}, {"D", 0, 0}, {"E", 1, 25}}
	if !reflect.DeepEqual(s.MultipleKeys, wantMultiple) {
		t.Errorf("multiple keys %+v; want %+v", s.MultipleKeys, wantMultiple)
	}
}

func TestComputeEmptyBank(t *testing.T) {
	s := Compute(&bank.Bank{Exam: exam()}, 0, 0)
	if s.Items != 0 || s.Types[0].Share != 0 || len(s.SingleKeys) != 4 || s.SingleKeys[0].Share != 0 {
		t.Errorf("empty bank: %+v", s)
	}
}

func TestWriteGolden(t *testing.T) {
	s := Compute(sample(), 2, 1)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var b strings.Builder
			var err error
			if format == "json" {
				err = WriteJSON(&b, s)
			} else {
				err = WriteText(&b, s)
			}
			if err != nil {
				t.Fatal(err)
			}
			testbank.Golden(t, filepath.Join("testdata", "sample."+format), []byte(b.String()))
			if format == "json" {
				var back Stats
				if err := json.Unmarshal([]byte(b.String()), &back); err != nil || !reflect.DeepEqual(&back, s) {
					t.Errorf("JSON does not round-trip: %v", err)
				}
			}
		})
	}
}
