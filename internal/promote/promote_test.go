package promote

import (
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/bank"
)

func item(id string, options, keys int) *bank.Item {
	it := &bank.Item{ID: id, Revision: 2, Status: bank.StatusPretest}
	for i := 0; i < options; i++ {
		it.Options = append(it.Options, bank.Option{Correct: i < keys})
	}
	return it
}

func good() bank.ItemStats {
	return bank.ItemStats{Revision: 2, Responses: 300, PValue: 0.6, PointBiserial: 0.3, HasBiserial: true,
		Rasch: &bank.RaschStats{B: 0.1, SE: 0.1, Infit: 1, Outfit: 1, HasFit: true}}
}

func TestDecide(t *testing.T) {
	th := analysis.DefaultThresholds()
	tests := []struct {
		name    string
		edit    func(*bank.ItemStats)
		missing bool
		verdict string
		reason  string
	}{
		{"ready", func(*bank.ItemStats) {}, false, Ready, "300 responses, p 0.600, point-biserial 0.300, infit 1.00, outfit 1.00"},
		{"no stats", nil, true, Wait, "no statistics in stats.yaml"},
		{"other revision", func(s *bank.ItemStats) { s.Revision = 1 }, false, Wait, "statistics are for revision 1; the item is revision 2"},
		{"few responses", func(s *bank.ItemStats) { s.Responses = 199 }, false, Wait, "199 responses; at least 200"},
		{"too easy", func(s *bank.ItemStats) { s.PValue = 0.96 }, false, Revise, "too easy: p 0.960 above 0.95"},
		{"too hard", func(s *bank.ItemStats) { s.PValue = 0.29 }, false, Revise, "too hard: p 0.290 below chance 0.250 + 0.05"},
		{"low discrimination", func(s *bank.ItemStats) { s.PointBiserial = 0.1 }, false, Revise, "low discrimination: point-biserial 0.100 below 0.15"},
		{"misfit", func(s *bank.ItemStats) { s.Rasch.Outfit = 1.31 }, false, Revise, "misfit: infit 1.00, outfit 1.31 outside 0.70..1.30"},
		{"overfit", func(s *bank.ItemStats) { s.Rasch.Infit = 0.69 }, false, Revise, "misfit"},
		{"not calibrated", func(s *bank.ItemStats) { s.Rasch = nil }, false, Revise, "not calibrated"},
		{"miskey", func(s *bank.ItemStats) { s.Flags = []string{analysis.FlagPossibleMiskey} }, false, Revise, "possible-miskey"},
		{"negative", func(s *bank.ItemStats) { s.PointBiserial = -0.2 }, false, Retire, "negative discrimination"},
		{"negative but miskeyed", func(s *bank.ItemStats) {
			s.PointBiserial = -0.2
			s.Flags = []string{analysis.FlagPossibleMiskey}
		}, false, Revise, "possible-miskey"},
	}
	for _, tt := range tests {
		st := bank.Stats{Items: map[string]bank.ItemStats{}}
		if !tt.missing {
			s := good()
			tt.edit(&s)
			st.Items["AL-0001"] = s
		}
		d := decide(item("AL-0001", 4, 1), st, th)
		if d.Verdict != tt.verdict || !strings.Contains(strings.Join(d.Reasons, "; "), tt.reason) {
			t.Errorf("%s: %s %q; want %s ...%s", tt.name, d.Verdict, d.Reasons, tt.verdict, tt.reason)
		}
	}
}

func TestDecideOnlyPretest(t *testing.T) {
	op := item("AL-0002", 4, 1)
	op.Status = bank.StatusOperational
	b := &bank.Bank{Items: []*bank.Item{item("AL-0001", 4, 1), op}, Stats: bank.Stats{Items: map[string]bank.ItemStats{"AL-0002": good()}}}
	ds := Decide(b, analysis.DefaultThresholds())
	if len(ds) != 1 || ds[0].Item.ID != "AL-0001" || Summary(ds) != "0 ready, 0 to revise, 0 to retire, 1 waiting for data" {
		t.Errorf("decisions %+v, %s", ds, Summary(ds))
	}
}

func TestChance(t *testing.T) {
	for _, tt := range []struct {
		options, keys int
		want          float64
	}{{4, 1, 0.25}, {5, 2, 0.1}, {6, 3, 0.05}, {0, 0, 0}} {
		if got := Chance(item("X-1", tt.options, tt.keys)); got != tt.want {
			t.Errorf("Chance(%d options, %d keys) = %v; want %v", tt.options, tt.keys, got, tt.want)
		}
	}
}

const itemFile = `# header comment
id: AL-0001
revision: 2
status: pretest # promoted when the data say so
domain: alpha
task: "1.1"
type: single
difficulty: medium
stem: |
  Which is right?
options:
  - text: Right.
    correct: true
    why: Because.
  - text: Wrong.
    why: Because not.
explanation: |-
  Explained.
references:
  - https://docs.aws.amazon.com/x
`

func TestSetOperationalKeepsComments(t *testing.T) {
	for name, in := range map[string]string{
		"plain":         itemFile,
		"single quoted": strings.Replace(itemFile, "status: pretest", "status: 'pretest'", 1),
		"double quoted": strings.Replace(itemFile, "status: pretest", `status: "pretest"`, 1),
	} {
		out, err := SetOperational([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := strings.Replace(itemFile, "status: pretest", "status: operational", 1)
		if string(out) != want {
			t.Errorf("%s: got\n%s\nwant\n%s", name, out, want)
		}
	}
	if _, err := SetOperational([]byte(strings.Replace(itemFile, "status: pretest", "status: draft", 1))); err == nil {
		t.Error("promoted a draft")
	}
}
