package bundle

import (
	"errors"
	"fmt"
	"sort"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/scale"
)

// bankScale resolves the bank's scale for a bundle, theta_cut rounded to
// scale.Decimals. It returns nil without a problem when exam.yaml sets no
// cut: the bundle then carries no conversion tables.
func bankScale(b *bank.Bank) (*scale.Scale, *finding.Finding) {
	sc, err := scale.ForBank(b)
	if errors.Is(err, scale.ErrNoCut) {
		return nil, nil
	}
	if err != nil {
		s := b.Exam.Scale
		return nil, &finding.Finding{File: b.Exam.File, Line: max(s.CutPos.Line, 1), Column: max(s.CutPos.Column, 1), Rule: rules.BundleContent.ID, Severity: rules.BundleContent.Severity,
			Message: err.Error() + "; the conversion tables cannot be computed (qbank check reports it as scale-cut)"}
	}
	sc.ThetaCut = scale.Round(sc.ThetaCut)
	return &sc, nil
}

// scaleTracker collects, over the forms of a bundle, the items whose b is
// provisional and whether any b was measured.
type scaleTracker struct {
	sc          *scale.Scale
	provisional map[string]bool
	measured    bool
}

// addB sets the b of a scored key item.
func (t *scaleTracker) addB(b *bank.Bank, it *bank.Item, ki *KeyItem) {
	v, prov := scale.ItemDifficulty(b.Stats, b.Exam.Scale.Provisional, it)
	ki.B, ki.BProvisional = &v, prov
	if prov {
		t.provisional[it.ID] = true
	} else {
		t.measured = true
	}
}

// keyScale computes the conversion table of a key file whose scored items
// have their b set.
func (t *scaleTracker) keyScale(kf *KeyForm) (*KeyScale, error) {
	var bs []float64
	prov := false
	for _, ki := range kf.Items {
		if ki.B != nil {
			bs = append(bs, *ki.B)
			prov = prov || ki.BProvisional
		}
	}
	return TableFor(*t.sc, bs, prov)
}

// TableFor computes the key file's scale block of a form whose scored
// items have difficulties bs on scale sc (ThetaCut already rounded).
func TableFor(sc scale.Scale, bs []float64, provisional bool) (*KeyScale, error) {
	tab, err := sc.Table(bs)
	if err != nil {
		return nil, err
	}
	tab = sc.Rounded(tab)
	ks := &KeyScale{Min: sc.Min, Max: sc.Max, Pass: sc.Pass, Slope: sc.Slope, ThetaCut: sc.ThetaCut, CutRaw: tab.CutRaw, Provisional: provisional, Table: make([]TableRow, len(tab.Rows))}
	for i, r := range tab.Rows {
		ks.Table[i] = TableRow{Raw: r.Raw, Theta: r.Theta, SE: r.SE, Scaled: r.Scaled, Pass: r.Pass}
	}
	return ks, nil
}

// manifestScale describes the bundle's scale for the manifest.
func (t *scaleTracker) manifestScale(b *bank.Bank) *ManifestScale {
	c := b.Exam.Scale.Cut
	ms := &ManifestScale{ThetaCut: t.sc.ThetaCut, Cut: ManifestCut{Form: c.Form, Raw: c.Raw, Theta: c.Theta}, ProvisionalItems: []string{}}
	for id := range t.provisional {
		ms.ProvisionalItems = append(ms.ProvisionalItems, id)
	}
	sort.Strings(ms.ProvisionalItems)
	ms.Provisional = len(ms.ProvisionalItems) > 0
	if cal := b.Stats.Calibration; cal != nil && t.measured {
		ms.Calibration = &ManifestCalibration{Model: cal.Model, Method: cal.Method, Anchored: cal.Anchored, Attempts: cal.Attempts, Computed: cal.Computed, Simulated: cal.Simulated}
	}
	return ms
}

// checkKeyScale verifies a key file's conversion table: its own
// consistency (scale.CheckTable), agreement with the manifest's scale and
// the item difficulties it lists, and that recomputing it from those
// difficulties gives the same numbers.
func checkKeyScale(f ManifestForm, kf *KeyForm, m *Manifest, add func(file, format string, args ...any)) {
	ks := kf.Scale
	if ks == nil && f.Scored == 0 {
		return // nothing is scored on the form: there is nothing to convert
	}
	if (ks == nil) != (m.Scale == nil) {
		if ks == nil {
			add(f.KeyFile, "has no conversion table, but the manifest has a scale")
		} else {
			add(f.KeyFile, "has a conversion table, but the manifest has no scale")
		}
		return
	}
	if ks == nil {
		return
	}
	bp := m.Blueprint.Scale
	if ks.Min != bp.Min || ks.Max != bp.Max || ks.Pass != bp.Pass || ks.Slope != bp.Slope || ks.ThetaCut != m.Scale.ThetaCut {
		add(f.KeyFile, "scale %d..%d pass %d slope %v theta_cut %v differs from the manifest's %d..%d pass %d slope %v theta_cut %v",
			ks.Min, ks.Max, ks.Pass, ks.Slope, ks.ThetaCut, bp.Min, bp.Max, bp.Pass, bp.Slope, m.Scale.ThetaCut)
	}
	sc := ks.Scale()
	for _, p := range sc.CheckTable(ks.Rows(), ks.CutRaw) {
		add(f.KeyFile, "conversion table: %s", p)
	}
	var bs []float64
	prov := false
	provItems := map[string]bool{}
	for _, id := range m.Scale.ProvisionalItems {
		provItems[id] = true
	}
	for _, ki := range kf.Items {
		switch {
		case ki.Role == bank.RoleScored && ki.B == nil:
			add(f.KeyFile, "item %s: a scored item without its b; the table cannot be checked", ki.ID)
			return
		case ki.Role != bank.RoleScored && ki.B != nil:
			add(f.KeyFile, "item %s: a pretest item has a b, but pretest items never count", ki.ID)
		case ki.B != nil:
			bs = append(bs, *ki.B)
			prov = prov || ki.BProvisional
			if ki.BProvisional != provItems[ki.ID] {
				add(f.KeyFile, "item %s: b_provisional is %t, but the manifest's provisional_items say %t", ki.ID, ki.BProvisional, provItems[ki.ID])
			}
		}
	}
	if prov != ks.Provisional {
		add(f.KeyFile, "scale.provisional is %t, but its scored items say %t", ks.Provisional, prov)
	}
	if len(ks.Table) != len(bs)+1 {
		add(f.KeyFile, "conversion table has %d rows; %d scored items need %d (raw 0 to %d)", len(ks.Table), len(bs), len(bs)+1, len(bs))
		return
	}
	want, err := TableFor(sc, bs, prov)
	if err != nil {
		add(f.KeyFile, "conversion table: %v", err)
		return
	}
	const tol = 1e-5
	for i, r := range ks.Table {
		w := want.Table[i]
		if diff(r.Theta, w.Theta) > tol || diff(r.SE, w.SE) > tol {
			add(f.KeyFile, "conversion table: raw %d has theta %v se %v, but the scored items' b give theta %v se %v", r.Raw, r.Theta, r.SE, w.Theta, w.SE)
		}
	}
}

func diff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

// provisionalNote is the note of a bundle whose scale is provisional.
func provisionalNote(ms *ManifestScale) string {
	return fmt.Sprintf("the scale is provisional: %d scored items have no measured b and use their authored difficulty", len(ms.ProvisionalItems))
}

// Scale returns the scale a key file's table was computed on.
func (ks *KeyScale) Scale() scale.Scale {
	return scale.Scale{Min: ks.Min, Max: ks.Max, Pass: ks.Pass, Slope: ks.Slope, ThetaCut: ks.ThetaCut}
}

// Rows returns the key file's conversion table as package scale's rows.
func (ks *KeyScale) Rows() []scale.Row {
	rows := make([]scale.Row, len(ks.Table))
	for i, r := range ks.Table {
		rows[i] = scale.Row{Raw: r.Raw, Theta: r.Theta, SE: r.SE, Scaled: r.Scaled, Pass: r.Pass}
	}
	return rows
}
