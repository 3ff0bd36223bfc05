package scale

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
)

func ptr[T any](v T) *T { return &v }

// memBank is a bank of four items on one form: two measured on their
// current revision, one measured on an older revision, one never measured.
func memBank() *bank.Bank {
	items := []*bank.Item{
		{ID: "A-1", Revision: 1, Domain: "d1", Difficulty: "easy"},
		{ID: "A-2", Revision: 2, Domain: "d1", Difficulty: "hard"},
		{ID: "B-1", Revision: 1, Domain: "d2", Difficulty: "hard"},
		{ID: "B-2", Revision: 1, Domain: "d2"},
		{ID: "P-1", Revision: 1, Domain: "d2", Difficulty: "easy"},
	}
	f := &bank.Form{Form: "F-A", Items: []bank.FormEntry{
		{ID: "B-2", Revision: 1, Role: bank.RoleScored},
		{ID: "A-1", Revision: 1, Role: bank.RoleScored},
		{ID: "P-1", Revision: 1, Role: bank.RolePretest},
		{ID: "A-2", Revision: 2, Role: bank.RoleScored},
		{ID: "B-1", Revision: 1, Role: bank.RoleScored},
	}}
	return &bank.Bank{
		Dir:   "bank",
		Exam:  &blueprint.Exam{Scale: blueprint.Scale{Min: 100, Max: 1000, Pass: 700, Slope: 100, Provisional: blueprint.ProvisionalB{Hard: ptr(1.5)}}},
		Items: items,
		Forms: []*bank.Form{f},
		Stats: bank.Stats{Items: map[string]bank.ItemStats{
			"A-1": {Revision: 1, Rasch: &bank.RaschStats{B: -0.7}},
			"A-2": {Revision: 1, Rasch: &bank.RaschStats{B: 0.3}}, // an older revision
			"B-1": {Revision: 1, Rasch: &bank.RaschStats{B: 0.9}},
			"B-2": {Revision: 1}, // no Rasch block
		}},
	}
}

func TestScoredB(t *testing.T) {
	b := memBank()
	fb, err := ScoredB(b, b.Forms[0])
	if err != nil {
		t.Fatal(err)
	}
	want := []ItemB{
		{ID: "B-2", Revision: 1, Domain: "d2", B: 0, Provisional: true},
		{ID: "A-1", Revision: 1, Domain: "d1", B: -0.7},
		{ID: "A-2", Revision: 2, Domain: "d1", B: 1.5, Provisional: true},
		{ID: "B-1", Revision: 1, Domain: "d2", B: 0.9},
	}
	if len(fb.Items) != len(want) {
		t.Fatalf("got %+v", fb.Items)
	}
	for i := range want {
		if fb.Items[i] != want[i] {
			t.Errorf("item %d: got %+v; want %+v", i, fb.Items[i], want[i])
		}
	}
	if got := strings.Join(fb.Provisional(), ","); got != "B-2,A-2" {
		t.Errorf("provisional = %s", got)
	}
	if got := fb.DomainBs("d2"); len(got) != 2 || got[0] != 0 || got[1] != 0.9 {
		t.Errorf("DomainBs(d2) = %v", got)
	}
	b.Items = b.Items[1:]
	if _, err := ScoredB(b, b.Forms[0]); err == nil || !strings.Contains(err.Error(), "A-1") {
		t.Errorf("missing item: err = %v", err)
	}
}

func TestThetaCut(t *testing.T) {
	b := memBank()
	if _, err := ThetaCut(b); !errors.Is(err, ErrNoCut) {
		t.Errorf("no cut: err = %v", err)
	}
	b.Exam.Scale.Cut = &blueprint.Cut{Theta: ptr(0.42)}
	if th, err := ThetaCut(b); err != nil || th != 0.42 {
		t.Errorf("theta cut = %v, %v", th, err)
	}
	b.Exam.Scale.Cut = &blueprint.Cut{Form: "F-A", Raw: ptr(2)}
	th, err := ThetaCut(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := ExpectedScore(th, []float64{0, -0.7, 1.5, 0.9}); math.Abs(got-2) > 1e-9 {
		t.Errorf("TCC(theta_cut) = %v; want the raw cut 2", got)
	}
	s, err := ForBank(b)
	if err != nil || s.ThetaCut != th || s.Scaled(th) != 700 {
		t.Errorf("ForBank = %+v, %v", s, err)
	}
	if c, _ := s.CutRaw([]float64{0, -0.7, 1.5, 0.9}); c != 2 {
		t.Errorf("the reference form's own cut raw is %d; want 2", c)
	}
	b.Exam.Scale.Cut = &blueprint.Cut{Form: "F-A", Raw: ptr(5)}
	if _, err := ThetaCut(b); err == nil {
		t.Error("raw 5 of 4 accepted")
	}
	b.Exam.Scale.Cut = &blueprint.Cut{Form: "F-Z", Raw: ptr(2)}
	if _, err := ThetaCut(b); err == nil || !strings.Contains(err.Error(), "F-Z") {
		t.Errorf("unknown form: err = %v", err)
	}
}
