package check

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank"
	"github.com/qbank/qbank/internal/testbank/pool"
)

// loadScaleBank is loadBank with exam.yaml's scale line replaced and a
// stats.yaml written (when not empty).
func loadScaleBank(t *testing.T, scaleLine, stats string, forms map[string]string) *bank.Bank {
	t.Helper()
	src := edit(t, testExam, "scale: {min: 0, max: 100, pass: 50}", scaleLine)
	dir := filepath.Join(t.TempDir(), "bank")
	pool.Write(t, dir, src, testPool(pool.Exam(t, src)))
	if err := os.MkdirAll(filepath.Join(dir, "forms"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, f := range forms {
		if err := os.WriteFile(filepath.Join(dir, "forms", name), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if stats != "" {
		if err := os.WriteFile(filepath.Join(dir, "stats.yaml"), []byte(stats), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, fs, err := bank.Load(context.Background(), dir, bank.Options{})
	if err != nil || len(fs) > 0 {
		t.Fatalf("load: %v %v", err, fs)
	}
	return b
}

// Measured b of the pool: AL-0001 and BE-0001 easy (-1.5), AL-0002 and
// BE-0002 hard (+2), AL-0003 very hard (+4). BE-0003 is at revision 2 in
// the pool but measured at revision 1: stale, so its b is provisional (0).
const scaleStats = `items:
  AL-0001: {revision: 1, responses: 100, p_value: 0.8, omitted: 0, rasch: {b: -1.5, se: 0.2}}
  BE-0001: {revision: 1, responses: 100, p_value: 0.8, omitted: 0, rasch: {b: -1.5, se: 0.2}}
  AL-0002: {revision: 1, responses: 100, p_value: 0.3, omitted: 0, rasch: {b: 2, se: 0.2}}
  BE-0002: {revision: 1, responses: 100, p_value: 0.3, omitted: 0, rasch: {b: 2, se: 0.2}}
  AL-0003: {revision: 1, responses: 100, p_value: 0.1, omitted: 0, rasch: {b: 4, se: 0.3}}
  BE-0003: {revision: 1, responses: 100, p_value: 0.5, omitted: 0, rasch: {b: 0, se: 0.2}}
`

// hardForm is harder than goodForm (AL-0003 and BE-0003 are enemies too,
// which does not matter here).
const hardForm = `form: TST-02-MINI-H
version: 1
exam: TST-02
spec: mini
items:
  - {id: AL-0002, revision: 1, role: scored}
  - {id: BE-0002, revision: 1, role: scored}
  - {id: AL-0004, revision: 1, role: pretest}
  - {id: AL-0003, revision: 1, role: scored}
  - {id: BE-0003, revision: 2, role: scored}
`

func TestScaleRules(t *testing.T) {
	// goodForm's scored b: -1.5, -1.5, +2, +2: TCC(0) = 2(0.818) +
	// 2(0.119) = 1.87, cut raw 2 at theta_cut 0. hardForm's: +2, +2, +4, 0
	// (BE-0003, stale, provisional): TCC(0) = 0.24 + 0.02 + 0.5 = 0.76, so
	// theta(1) > 0 and raw 1 passes; the TCCs differ by 1.12 > 1 at 0.
	forms := map[string]string{"TST-02-MINI-A.yaml": goodForm, "TST-02-MINI-H.yaml": hardForm}
	b := loadScaleBank(t, "scale: {min: 0, max: 100, pass: 50, slope: 10, cut: {theta: 0}}", scaleStats, forms)
	res := Bank(b, Options{})
	var got []wantFinding
	for _, f := range res.Findings {
		if f.Rule == rules.StaleStats.ID || f.Rule == rules.FormCutSpread.ID || f.Rule == rules.ScaleCut.ID {
			got = append(got, wantFinding{f.File, f.Rule, f.Line, f.Column})
		}
	}
	wants := []wantFinding{
		{filepath.Join(b.Dir, "forms", "TST-02-MINI-H.yaml"), rules.FormCutSpread.ID, 1, 7},
		{filepath.Join(b.Dir, "stats.yaml"), rules.StaleStats.ID, 7, 12},
	}
	if len(got) != len(wants) {
		t.Fatalf("findings %v; want %v\n%v", got, wants, res.Findings)
	}
	for i := range wants {
		if got[i] != wants[i] {
			t.Errorf("finding %d: %v; want %v", i, got[i], wants[i])
		}
	}
	mixes := map[string]FormMix{}
	for _, m := range res.Forms {
		mixes[m.Form] = m
	}
	if m := mixes["TST-02-MINI-A"]; !m.HasScale || m.CutRaw != 2 || m.Provisional != 0 {
		t.Errorf("MINI-A: %+v", m)
	}
	if m := mixes["TST-02-MINI-H"]; !m.HasScale || m.CutRaw != 1 || m.Provisional != 1 {
		t.Errorf("MINI-H: %+v", m)
	}
	var buf bytes.Buffer
	if err := WriteTables(&buf, res); err != nil {
		t.Fatal(err)
	}
	testbank.Golden(t, filepath.Join("testdata", "tables_scale.txt"), buf.Bytes())
}

type wantFinding struct {
	file, rule string
	line, col  int
}

// A cut raw spread over 2 points: with 4 items that takes a very easy and
// a very hard form, so the spread is tested on its own with the helper.
func TestCutSpreadByRaw(t *testing.T) {
	f := func(id string, cut int, tcc float64) formScale {
		return formScale{form: &bank.Form{Form: id, File: id + ".yaml"}, bs: make([]float64, 50), cutRaw: cut, tcc: []float64{tcc, tcc, tcc, tcc, tcc}}
	}
	fs := cutSpread("full", []formScale{f("A", 33, 30), f("B", 34, 30.5), f("C", 37, 31.4)}, 0)
	if len(fs) != 1 || fs[0].Rule != rules.FormCutSpread.ID || fs[0].File != "C.yaml" {
		t.Fatalf("findings %v", fs)
	}
	// Within 2 points and 1.5 expected points: quiet.
	if fs := cutSpread("full", []formScale{f("A", 33, 30), f("B", 35, 31.5)}, 0); len(fs) != 0 {
		t.Errorf("within tolerance: %v", fs)
	}
	// TCCs 1.6 apart at one point (more than 3 % of 50): one finding.
	if fs := cutSpread("full", []formScale{f("A", 33, 30), f("B", 34, 31.6)}, 0); len(fs) != 1 {
		t.Errorf("TCC difference: %v", fs)
	}
}

func TestScaleCutFindings(t *testing.T) {
	forms := map[string]string{"TST-02-MINI-A.yaml": goodForm}
	tests := []struct {
		name, scale string
		line, col   int
	}{
		{"unknown form", "scale: {min: 0, max: 100, pass: 50, cut: {form: TST-02-MINI-Z, raw: 2}}", 4, 49},
		{"raw too high", "scale: {min: 0, max: 100, pass: 50, cut: {form: TST-02-MINI-A, raw: 5}}", 4, 69},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := loadScaleBank(t, tt.scale, "", forms)
			var got []string
			for _, f := range Bank(b, Options{}).Findings {
				if f.Rule == rules.ScaleCut.ID {
					if f.Line != tt.line || f.Column != tt.col {
						t.Errorf("at %d:%d; want %d:%d", f.Line, f.Column, tt.line, tt.col)
					}
					got = append(got, f.Message)
				}
			}
			if len(got) != 1 {
				t.Errorf("scale-cut findings: %v", got)
			}
		})
	}
	// A raw cut on the form itself resolves: no finding, cut raw as given.
	b := loadScaleBank(t, "scale: {min: 0, max: 100, pass: 50, cut: {form: TST-02-MINI-A, raw: 3}}", "", forms)
	res := Bank(b, Options{})
	for _, f := range res.Findings {
		if f.Rule == rules.ScaleCut.ID {
			t.Errorf("unexpected %v", f)
		}
	}
	if res.Forms[0].CutRaw != 3 {
		t.Errorf("reference form's cut raw %d; want 3", res.Forms[0].CutRaw)
	}
}
