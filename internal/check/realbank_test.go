package check

import (
	"context"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/rules"
)

// TestBundledForms holds the committed forms of the bundled bank to the
// blueprint: when an item on them is retired or revised, this fails until
// the form's next version is produced (qbank assemble --replace FORM).
func TestBundledForms(t *testing.T) {
	b, fs, err := bank.Load(context.Background(), "../../bank", bank.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) > 0 {
		t.Fatalf("the bundled bank has load findings: %v", fs)
	}
	full := 0
	for _, f := range b.Forms {
		if f.Spec == "full" {
			full++
		}
	}
	if full < 4 {
		t.Errorf("%d full forms in bank/forms; the issue asks for 4", full)
	}
	for _, f := range Forms(b) {
		t.Errorf("%s", f)
	}
}

// TestBundledStandard holds the shipped standard and the diagnostic forms
// to what docs/scoring.md says: the cut resolves (raw 35 on FULL-A), the
// two diagnostic forms exist with an equated cut of 8 of 10, and no scale
// rule fires.
func TestBundledStandard(t *testing.T) {
	b, _, err := bank.Load(context.Background(), "../../bank", bank.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := Bank(b, Options{})
	for _, f := range res.Findings {
		switch f.Rule {
		case rules.ScaleCut.ID, rules.FormCutSpread.ID, rules.StaleStats.ID:
			t.Errorf("%s", f)
		}
	}
	cuts := map[string]int{}
	for _, m := range res.Forms {
		if !m.HasScale {
			t.Errorf("%s has no scale", m.Form)
		}
		cuts[m.Form] = m.CutRaw
	}
	if cuts["CLF-C02-FULL-A"] != 35 || cuts["CLF-C02-DIAGNOSTIC-A"] != 8 || cuts["CLF-C02-DIAGNOSTIC-B"] != 8 {
		t.Errorf("cut raw scores %v", cuts)
	}
}
