// Package standard sets the passing standard of a bank: it turns a raw cut
// on a reference form, or a modified-Angoff panel's ratings, into
// theta_cut on the bank's Rasch scale, equates it to a raw cut on every
// committed form, and writes it into exam.yaml as cut: {theta: ...} so the
// standard stays fixed when forms and calibrations change.
package standard

import (
	"fmt"
	"math"
	"sort"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/irt"
	"github.com/qbank/qbank/internal/scale"
)

// FormCut is the standard equated to one committed form.
type FormCut struct {
	Form    string
	Spec    string
	Version int
	Scored  int
	// CutRaw is the smallest raw score that passes (-1: none does).
	CutRaw int
	// Expected is the expected raw score of a candidate at theta_cut, and
	// Info the test information there.
	Expected float64
	Info     float64
	// Provisional counts the scored items whose b is provisional.
	Provisional int
}

// Result is a standard and what it means on every form.
type Result struct {
	ThetaCut float64
	// From says where theta_cut came from, for people.
	From  string
	Forms []FormCut
	// Provisional are the ids of the scored items, on any form, whose b
	// is provisional, sorted.
	Provisional []string
	// Panel is the Angoff panel's analysis, when there was one.
	Panel     *Analysis
	PanelForm string
}

// ThetaForRaw returns the theta of a raw cut, possibly fractional (an
// Angoff panel's), on form's scored items: the theta where the form's
// expected raw score equals raw, with FORMAT.md's 0.3 rule for 0 and all.
func ThetaForRaw(b *bank.Bank, form string, raw float64) (float64, error) {
	f := b.Form(form)
	if f == nil {
		return 0, fmt.Errorf("form %s is not in %s/forms", form, b.Dir)
	}
	fb, err := scale.ScoredB(b, f)
	if err != nil {
		return 0, err
	}
	n := float64(len(fb.Items))
	if math.IsNaN(raw) || raw < 0 || raw > n {
		return 0, fmt.Errorf("raw cut %v is outside 0..%d, the scored items of %s", raw, len(fb.Items), form)
	}
	if raw == math.Trunc(raw) {
		return scale.ThetaOfCut(fb.Bs(), int(raw))
	}
	raw = math.Min(math.Max(raw, irt.ExtremeOffset), n-irt.ExtremeOffset)
	return irt.ThetaForScore(fb.Bs(), raw)
}

// Equate returns what theta_cut means on every committed form of b.
func Equate(b *bank.Bank, thetaCut float64, from string) (*Result, error) {
	sc := scale.New(b.Exam.Scale, thetaCut)
	r := &Result{ThetaCut: thetaCut, From: from}
	prov := map[string]bool{}
	for _, f := range b.Forms {
		fb, err := scale.ScoredB(b, f)
		if err != nil {
			return nil, err
		}
		bs := fb.Bs()
		cut, err := sc.CutRaw(bs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Form, err)
		}
		fc := FormCut{Form: f.Form, Spec: f.Spec, Version: f.Version, Scored: len(bs), CutRaw: cut,
			Expected: scale.ExpectedScore(thetaCut, bs), Info: sc.InformationAtCut(bs), Provisional: len(fb.Provisional())}
		for _, id := range fb.Provisional() {
			prov[id] = true
		}
		r.Forms = append(r.Forms, fc)
	}
	for id := range prov {
		r.Provisional = append(r.Provisional, id)
	}
	sort.Strings(r.Provisional)
	return r, nil
}

// FromPanel computes theta_cut from an Angoff panel on a form and equates
// it to every form.
func FromPanel(b *bank.Bank, p *Panel, form string) (*Result, error) {
	f := b.Form(form)
	if f == nil {
		return nil, fmt.Errorf("form %s is not in %s/forms", form, b.Dir)
	}
	var scored []string
	for _, e := range f.Items {
		if e.Role == bank.RoleScored {
			scored = append(scored, e.ID)
		}
	}
	a, err := p.Analyze(scored)
	if err != nil {
		return nil, err
	}
	theta, err := ThetaForRaw(b, form, a.Cut)
	if err != nil {
		return nil, err
	}
	r, err := Equate(b, theta, fmt.Sprintf("modified-Angoff panel %s: raw %.2f of %d on %s", p.File, a.Cut, len(scored), form))
	if err != nil {
		return nil, err
	}
	r.Panel, r.PanelForm = a, form
	return r, nil
}

// PanelForm returns the form whose scored items the panel rated: the one
// committed form all of whose scored items have a rating, when exactly one
// has.
func PanelForm(b *bank.Bank, p *Panel) (string, error) {
	rated := map[string]bool{}
	for _, r := range p.Ratings {
		rated[r.Item] = true
	}
	var found []string
	for _, f := range b.Forms {
		all := true
		for _, e := range f.Items {
			if e.Role == bank.RoleScored && !rated[e.ID] {
				all = false
				break
			}
		}
		if all {
			found = append(found, f.Form)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("%s rates no committed form's scored items completely; name the form with --form", p.File)
	}
	return "", fmt.Errorf("%s rates the scored items of %d forms; name one with --form", p.File, len(found))
}
