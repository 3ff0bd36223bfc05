package check

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/scale"
)

// CutSpreadLimit is how many raw-score points the cut raw scores of the
// forms of one spec may differ before form-cut-spread warns.
const CutSpreadLimit = 2

// TCCTolerance returns the largest difference between the test
// characteristic curves of two forms of a spec with S scored items that
// form-cut-spread accepts near the cut: 3 % of S expected raw-score
// points, and at least one point (1.5 points for a 50-item form).
func TCCTolerance(scored int) float64 { return math.Max(1, 0.03*float64(scored)) }

// tccOffsets are where, relative to theta_cut, form-cut-spread compares
// test characteristic curves.
var tccOffsets = []float64{-1, -0.5, 0, 0.5, 1}

// formScale is what the scale says about one form.
type formScale struct {
	form   *bank.Form
	bs     []float64
	prov   int
	cutRaw int
	info   float64
	tcc    []float64 // at theta_cut + tccOffsets
}

// scaleChecks resolves the bank's cut, fills each form's cut raw score and
// information at the cut into mixes (by form id), and returns the
// findings of the scale rules.
func scaleChecks(b *bank.Bank, mixes []FormMix) []finding.Finding {
	fs := staleStats(b)
	sc, err := scale.ForBank(b)
	if err != nil {
		if !errors.Is(err, scale.ErrNoCut) {
			fs = append(fs, cutFinding(b, err))
		}
		return fs
	}
	bySpec := map[string][]formScale{}
	for _, f := range b.Forms {
		fb, err := scale.ScoredB(b, f)
		if err != nil {
			continue // missing items are form-item findings
		}
		s := formScale{form: f, bs: fb.Bs(), prov: len(fb.Provisional()), info: sc.InformationAtCut(fb.Bs())}
		if s.cutRaw, err = sc.CutRaw(s.bs); err != nil {
			continue
		}
		for _, d := range tccOffsets {
			s.tcc = append(s.tcc, scale.ExpectedScore(sc.ThetaCut+d, s.bs))
		}
		for i := range mixes {
			if mixes[i].Form == f.Form {
				mixes[i].HasScale, mixes[i].CutRaw, mixes[i].InfoAtCut, mixes[i].Provisional = true, s.cutRaw, s.info, s.prov
			}
		}
		if b.Exam.Spec(f.Spec) != nil {
			bySpec[f.Spec] = append(bySpec[f.Spec], s)
		}
	}
	specs := make([]string, 0, len(bySpec))
	for id := range bySpec {
		specs = append(specs, id)
	}
	sort.Strings(specs)
	for _, id := range specs {
		fs = append(fs, cutSpread(id, bySpec[id], sc.ThetaCut)...)
	}
	return fs
}

func cutFinding(b *bank.Bank, err error) finding.Finding {
	s := b.Exam.Scale
	p := s.CutPos
	if s.Cut != nil && s.Cut.Form != "" {
		p = s.CutFormPos
		if f := b.Form(s.Cut.Form); f != nil {
			p = s.CutRawPos
		}
	}
	return at(b.Exam.File, p, rules.ScaleCut, "", err.Error()+"; no form can be scaled until it is fixed")
}

// cutSpread compares the forms of one spec.
func cutSpread(spec string, forms []formScale, thetaCut float64) []finding.Finding {
	if len(forms) < 2 {
		return nil
	}
	var fs []finding.Finding
	lo, hi := forms[0].cutRaw, forms[0].cutRaw
	for _, f := range forms {
		lo, hi = min(lo, f.cutRaw), max(hi, f.cutRaw)
	}
	if hi-lo > CutSpreadLimit {
		median := medianCut(forms)
		out := forms[0]
		for _, f := range forms[1:] {
			if math.Abs(float64(f.cutRaw)-median) >= math.Abs(float64(out.cutRaw)-median) {
				out = f
			}
		}
		var cuts []string
		for _, f := range forms {
			cuts = append(cuts, fmt.Sprintf("%s %s", f.form.Form, cutText(f.cutRaw)))
		}
		fs = append(fs, at(out.form.File, out.form.Pos.Form, rules.FormCutSpread, "", fmt.Sprintf("the %s forms' cut raw scores differ by %d points, more than %d (%s); %s is farthest from the others: reassemble it (qbank assemble --replace %s) so candidates need about the same number of correct answers on every form",
			spec, hi-lo, CutSpreadLimit, strings.Join(cuts, ", "), out.form.Form, out.form.Form)))
	}
	// The pair whose TCCs differ most near the cut.
	worst, wa, wb, wk := 0.0, -1, -1, 0
	for i := range forms {
		for j := i + 1; j < len(forms); j++ {
			for k := range tccOffsets {
				if d := math.Abs(forms[i].tcc[k] - forms[j].tcc[k]); d > worst {
					worst, wa, wb, wk = d, i, j, k
				}
			}
		}
	}
	tol := TCCTolerance(len(forms[0].bs))
	if wa >= 0 && worst > tol {
		a, bf := forms[wa], forms[wb]
		fs = append(fs, at(bf.form.File, bf.form.Pos.Form, rules.FormCutSpread, "", fmt.Sprintf("at theta %.2f (theta_cut %+.1f) a candidate expects %.2f correct on %s but %.2f on %s: the forms differ by %.2f points near the cut, more than the %.2f tolerated for %d scored items; reassemble one of them (qbank assemble --replace)",
			thetaCut+tccOffsets[wk], tccOffsets[wk], bf.tcc[wk], bf.form.Form, a.tcc[wk], a.form.Form, worst, tol, len(bf.bs))))
	}
	return fs
}

func medianCut(forms []formScale) float64 {
	c := make([]int, len(forms))
	for i, f := range forms {
		c[i] = f.cutRaw
	}
	sort.Ints(c)
	n := len(c)
	if n%2 == 1 {
		return float64(c[n/2])
	}
	return float64(c[n/2-1]+c[n/2]) / 2
}

func cutText(cutRaw int) string {
	if cutRaw < 0 {
		return "none (no raw score passes)"
	}
	return fmt.Sprint(cutRaw)
}

// staleStats reports each scored item of a committed form whose entry in
// stats.yaml is for another revision, once per item.
func staleStats(b *bank.Bank) []finding.Finding {
	if len(b.Stats.Items) == 0 {
		return nil
	}
	onForms := map[string][]string{}
	var ids []string
	for _, f := range b.Forms {
		for _, e := range f.Items {
			if e.Role != bank.RoleScored {
				continue
			}
			if _, seen := onForms[e.ID]; !seen {
				ids = append(ids, e.ID)
			}
			onForms[e.ID] = append(onForms[e.ID], f.Form)
		}
	}
	sort.Strings(ids)
	var fs []finding.Finding
	for _, id := range ids {
		it := b.Item(id)
		st, ok := b.Stats.Items[id]
		if it == nil || !ok || st.Revision == it.Revision {
			continue
		}
		fs = append(fs, at(b.Stats.File, st.Pos, rules.StaleStats, id, fmt.Sprintf("statistics of %s are for revision %d, but the item is at revision %d and scored on %s; its conversion tables use the provisional b %.2f of its authored difficulty until qbank analyze measures revision %d",
			id, st.Revision, it.Revision, strings.Join(onForms[id], ", "), b.Exam.Scale.Provisional.B(it.Difficulty), it.Revision)))
	}
	return fs
}
