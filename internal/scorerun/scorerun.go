// Package scorerun runs `qbank score`: it opens the bundles the responses
// were delivered from, reads the responses with the shared reader (bad
// records become findings, as in analyze), and scores every good attempt
// with its form's own conversion table and key (package scorereport). Only
// bundle content is used, so a released result never changes when the
// bank changes later.
package scorerun

import (
	"context"
	"errors"
	"fmt"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/parallel"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/scorereport"
)

// Input says what to score.
type Input struct {
	// Bundles are bundle directories or archives; Files the responses.
	Bundles []string
	Files   []string
	// Attempts chooses first attempts only or all (default all: every
	// attempt gets its report).
	Attempts responses.Policy
	// Explain adds the explanation of each missed item to the study plan.
	Explain bool
}

// Outcome is what a run produced.
type Outcome struct {
	Reports []scorereport.Report
	Read    responses.Result
	Summary Summary
}

// Summary counts the attempts scored, passed and rejected.
type Summary struct {
	Attempts int `json:"attempts"`
	Passed   int `json:"passed"`
	Rejected int `json:"rejected"`
}

// Run scores the responses. An error means the run cannot go on (a bundle
// cannot be read or has no conversion tables, a file cannot be opened).
func Run(ctx context.Context, in Input) (*Outcome, error) {
	if len(in.Bundles) == 0 {
		return nil, errors.New("no bundle given: name the bundle the responses were delivered from with --bundle")
	}
	cat := responses.NewCatalog()
	if err := cat.Open(ctx, in.Bundles...); err != nil {
		return nil, err
	}
	scorers := map[*responses.Form]*scorereport.Scorer{}
	for _, f := range cat.Forms() {
		s, err := newScorer(f)
		if err != nil {
			return nil, fmt.Errorf("bundle %s, form %s: %w", f.Bundle, f.Form, err)
		}
		scorers[f] = s
	}
	var attempts []*responses.Attempt
	res, err := responses.Read(ctx, cat, in.Files, responses.Options{Attempts: in.Attempts}, func(a *responses.Attempt) error {
		attempts = append(attempts, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	reports, err := scoreAll(ctx, attempts, scorers, in.Explain)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Reports: reports, Read: *res, Summary: Summary{Attempts: len(reports), Rejected: res.Rejected}}
	for _, r := range reports {
		if r.Pass {
			out.Summary.Passed++
		}
	}
	return out, nil
}

// scoreAll scores the attempts on every core, keeping their order. Each
// goroutine takes runs of consecutive attempts (parallel.For's reason:
// neighbouring reports written from one core); an attempt that cannot be
// scored ends its run, and the errors come back in attempt order.
func scoreAll(ctx context.Context, attempts []*responses.Attempt, scorers map[*responses.Form]*scorereport.Scorer, explain bool) ([]scorereport.Report, error) {
	const run = 256
	reports := make([]scorereport.Report, len(attempts))
	errs := make([]error, (len(attempts)+run-1)/run) // by run
	parallel.Runs(ctx, 0, len(attempts), run, func() func(lo, hi int) {
		return func(lo, hi int) {
			for i, a := range attempts[lo:hi] {
				r, err := scorers[a.Form].Score(scorereport.Attempt{ID: a.ID, Candidate: a.Candidate, Chosen: a.Chosen}, explain)
				if err != nil {
					errs[lo/run] = fmt.Errorf("%s:%d: %w", a.File, a.Line, err)
					return
				}
				reports[lo+i] = r
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return reports, err
	}
	return reports, errors.Join(errs...)
}

// newScorer builds the scorer of one bundled form from its key file (the
// conversion table and each scored item's b) and the manifest (domains,
// tasks, the form's spec).
func newScorer(f *responses.Form) (*scorereport.Scorer, error) {
	kf, m := f.Key, f.Manifest
	if kf == nil || m == nil {
		return nil, errors.New("the form was not read from a bundle")
	}
	ks := kf.Scale
	if ks == nil || len(ks.Table) == 0 {
		return nil, errors.New("the key file has no conversion table (the bundle was built before scaled scores; rebuild it with this qbank)")
	}
	form := scorereport.Form{
		Exam: m.Exam, Form: kf.Form, Version: kf.Version, Bundle: kf.Bundle,
		Tasks: map[string]string{}, Provisional: ks.Provisional, DomainSD: m.Blueprint.Scale.DomainSD,
		Scale: ks.Scale(), Table: ks.Rows(),
	}
	domainIndex := map[string]int{}
	for i, d := range m.Blueprint.Domains {
		domainIndex[d.ID] = i
		form.Domains = append(form.Domains, scorereport.Domain{ID: d.ID, Name: d.Name, Weight: d.Weight})
		for _, t := range d.Tasks {
			form.Tasks[t.ID] = t.Title
		}
	}
	for _, mf := range m.Forms {
		if mf.Form != kf.Form {
			continue
		}
		form.Title, form.Diagnostic = mf.Title, isDiagnostic(mf.Spec, mf.Scored)
	}
	for _, ki := range kf.Items {
		d, ok := domainIndex[ki.Domain]
		if !ok {
			return nil, fmt.Errorf("position %d: domain %q is not in the manifest's blueprint", ki.Position, ki.Domain)
		}
		slot := scorereport.Slot{ID: ki.ID, Scored: ki.Role == bank.RoleScored, Domain: d, Task: ki.Task,
			Key: f.Slots[ki.Position-1].Key, References: ki.References, Explanation: ki.Explanation}
		if slot.Scored {
			if ki.B == nil {
				return nil, fmt.Errorf("position %d: scored item %s has no difficulty b in the key file", ki.Position, ki.ID)
			}
			slot.B = *ki.B
		}
		form.Slots = append(form.Slots, slot)
	}
	return scorereport.New(form)
}

// isDiagnostic reports whether a form is a short diagnostic: its spec is
// named so, or it has fewer than 20 scored items, too few for the report
// to be read like a full exam's.
func isDiagnostic(spec string, scored int) bool {
	return spec == "diagnostic" || scored < 20
}
