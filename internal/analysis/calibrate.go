package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/irt"
	"github.com/qbank/qbank/internal/rasch"
)

// calibration is the outcome of the two-stage Rasch calibration.
type calibration struct {
	summary *Calibration
	b, se   []float64 // per item (NaN when not calibrated)
	infit   []float64
	outfit  []float64
	status  []rasch.Status
	anchor  []bool // held at a given (external) anchor
	tried   []bool // the item was in a calibration that ran
	err     error
}

// anchorFor returns the given anchor of item it.
func anchorFor(anchors map[string]float64, it Item) (float64, bool) {
	if b, ok := anchors[fmt.Sprintf("%s@%d", it.ID, it.Revision)]; ok {
		return b, true
	}
	b, ok := anchors[it.ID]
	return b, ok
}

// calibrate runs the Rasch calibration in two stages, as operational
// programs do: (1) the items scored on some form, from the scored slots
// only, anchored by opts.Anchors or on a sum-zero scale; (2) the items
// that are only pretest, from all slots, with every stage-1 item held at
// its estimate. Pretest answers therefore never change a scored item's
// difficulty, fit or the person tables.
func calibrate(ctx context.Context, d *Dataset, opts Options, scoredAnywhere []bool) (*calibration, error) {
	n := len(d.Items)
	c := &calibration{
		b: nanSlice(n), se: nanSlice(n), infit: nanSlice(n), outfit: nanSlice(n),
		status: make([]rasch.Status, n), anchor: make([]bool, n), tried: make([]bool, n),
	}
	for i := range c.status {
		c.status[i] = rasch.NoData
	}
	anchors1 := map[int]float64{}
	pretestOnly := false
	for i, it := range d.Items {
		if b, ok := anchorFor(opts.Anchors, it); ok && scoredAnywhere[i] {
			anchors1[i] = b
		}
		if !scoredAnywhere[i] {
			pretestOnly = true
		}
	}
	include1 := func(i int, role string) bool { return role == RoleScored }
	r1, err := rasch.Calibrate(ctx, &rasch.Data{Items: n, Booklets: booklets(d, include1), Anchors: anchors1}, rasch.Options{})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		c.err = err
		return c, nil
	}
	c.summary = &Calibration{Model: "rasch", Method: "cml", Persons: r1.Persons, Iterations: r1.Iterations, LogLik: r1.LogLik, SEMethod: r1.SEMethod}
	c.take(r1, scoredAnywhere, true)
	if pretestOnly {
		anchors2 := map[int]float64{}
		for i, it := range d.Items {
			if scoredAnywhere[i] {
				if !math.IsNaN(c.b[i]) {
					anchors2[i] = c.b[i]
				}
			} else if b, ok := anchorFor(opts.Anchors, it); ok {
				anchors2[i] = b
			}
		}
		include2 := func(i int, role string) bool { return !scoredAnywhere[i] || !math.IsNaN(c.b[i]) }
		r2, err := rasch.Calibrate(ctx, &rasch.Data{Items: n, Booklets: booklets(d, include2), Anchors: anchors2}, rasch.Options{})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			c.err = fmt.Errorf("pretest items: %w", err)
		} else {
			c.take(r2, scoredAnywhere, false)
			c.summary.Iterations += r2.Iterations
			c.summary.LogLik = r2.LogLik
		}
	}
	for i, it := range d.Items {
		if _, ok := anchorFor(opts.Anchors, it); ok && c.tried[i] {
			c.summary.Anchored++
		}
		if c.tried[i] && !math.IsNaN(c.b[i]) {
			c.summary.Items++
		}
	}
	return c, nil
}

// take copies the results of the items of one stage.
func (c *calibration) take(r *rasch.Result, scoredAnywhere []bool, stage1 bool) {
	for i := range r.B {
		if scoredAnywhere[i] != stage1 {
			continue
		}
		c.tried[i] = true
		c.status[i] = r.Status[i]
		c.b[i], c.se[i], c.infit[i], c.outfit[i] = r.B[i], r.SE[i], r.Infit[i], r.Outfit[i]
		c.anchor[i] = r.Status[i] == rasch.Anchored
	}
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// booklets groups the attempts by form and the set of slots presented
// (and included), in a deterministic order.
func booklets(d *Dataset, include func(item int, role string) bool) []rasch.Booklet {
	type key struct {
		form    int
		pattern string
	}
	byKey := map[key]*rasch.Booklet{}
	var keys []key
	var sel []int
	var pat []byte
	for ai := range d.Attempts {
		a := &d.Attempts[ai]
		f := &d.Forms[a.Form]
		sel, pat = sel[:0], pat[:0]
		for j, s := range f.Slots {
			if a.Responses[j].Presented && include(s.Item, s.Role) {
				sel = append(sel, j)
				pat = append(pat, '1')
			} else {
				pat = append(pat, '0')
			}
		}
		if len(sel) == 0 {
			continue
		}
		k := key{a.Form, string(pat)}
		bk := byKey[k]
		if bk == nil {
			bk = &rasch.Booklet{Label: bookletLabel(d, a.Form, sel)}
			for _, j := range sel {
				bk.Items = append(bk.Items, f.Slots[j].Item)
			}
			byKey[k] = bk
			keys = append(keys, k)
		}
		for _, j := range sel {
			var x uint8
			if a.Responses[j].Correct {
				x = 1
			}
			bk.X = append(bk.X, x)
		}
	}
	sort.Slice(keys, func(x, y int) bool {
		if keys[x].form != keys[y].form {
			return keys[x].form < keys[y].form
		}
		return keys[x].pattern > keys[y].pattern
	})
	out := make([]rasch.Booklet, len(keys))
	for x, k := range keys {
		out[x] = *byKey[k]
	}
	return out
}

// bookletLabel names a booklet by its form (and bundle), and, when not
// every position was presented, how many were.
func bookletLabel(d *Dataset, form int, sel []int) string {
	f := &d.Forms[form]
	name := f.Form
	if f.Bundle != "" {
		name += " (bundle " + f.Bundle + ")"
	}
	if d.Matrix && len(sel) < len(f.Slots) {
		var missing []string
		in := map[int]bool{}
		for _, j := range sel {
			in[j] = true
		}
		for j, s := range f.Slots {
			if !in[j] {
				missing = append(missing, d.Items[s.Item].ID)
			}
		}
		if len(missing) > 3 {
			missing = append(missing[:3], "...")
		}
		name += " [rows without " + strings.Join(missing, ", ") + "]"
	}
	return name
}

// personTable returns raw -> ML theta and SE for a form's scored items,
// or nil when a scored item has no difficulty.
func personTable(d *Dataset, f *Form, b []float64) []ThetaPoint {
	var bs []float64
	for _, s := range f.Slots {
		if s.Role != RoleScored {
			continue
		}
		if math.IsNaN(b[s.Item]) {
			return nil
		}
		bs = append(bs, b[s.Item])
	}
	if len(bs) == 0 {
		return nil
	}
	out := make([]ThetaPoint, 0, len(bs)+1)
	for raw := 0; raw <= len(bs); raw++ {
		theta, se, err := irt.ThetaForRaw(bs, raw)
		if err != nil {
			return nil
		}
		out = append(out, ThetaPoint{Raw: raw, Theta: theta, SE: se})
	}
	return out
}

// curve computes the empirical versus model item curve of item i: per
// criterion score group, the observed proportion correct against the
// Rasch P at the group's mean ability, the ability of each attempt being
// its form's person-table theta for its scored total.
func curve(occ []occurrence, accs []*formAcc, tables [][]ThetaPoint, b float64, g int) []CurvePoint {
	hist := criterionHist(occ, accs)
	group, ng := scoreGroups(hist, g)
	pts := make([]CurvePoint, ng)
	right := make([]int64, ng)
	sumTheta := make([]float64, ng)
	for _, o := range occ {
		tab := tables[o.form]
		if tab == nil {
			return nil
		}
		sa := &accs[o.form].slots[o.slot]
		for t := range sa.n {
			ct, nt := sa.correct[t], sa.n[t]
			if nt == 0 {
				continue
			}
			th := tab[t].Theta
			if gr := groupOf(group, criterion(o.scored, true, t)); gr >= 0 && ct > 0 {
				pts[gr].N += int(ct)
				right[gr] += ct
				sumTheta[gr] += float64(ct) * th
			}
			if gr := groupOf(group, criterion(o.scored, false, t)); gr >= 0 && nt-ct > 0 {
				pts[gr].N += int(nt - ct)
				sumTheta[gr] += float64(nt-ct) * th
			}
		}
	}
	for x := range pts {
		if pts[x].N == 0 {
			continue
		}
		pts[x].MeanTheta = sumTheta[x] / float64(pts[x].N)
		pts[x].Observed = float64(right[x]) / float64(pts[x].N)
		pts[x].Model = irt.P(pts[x].MeanTheta, b)
	}
	return pts
}
