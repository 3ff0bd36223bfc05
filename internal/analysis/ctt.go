package analysis

import (
	"fmt"
	"math"
)

// The CTT statistics are computed from integer counts per form slot and
// scored total T of the attempt, so that every figure is exact and
// independent of the order of the attempts.

// slotAcc holds the counts of one form slot by the attempt's scored
// total T (0..S).
type slotAcc struct {
	n       []int64   // presented
	correct []int64   // answered right
	omit    []int64   // nothing chosen
	chose   [][]int64 // [letter][T] chose the letter
	choseOK [][]int64 // [letter][T] chose the letter and answered right
}

// formAcc holds the counts of one form.
type formAcc struct {
	scored   int     // number of scored slots S
	attempts int64   // attempts
	totals   []int64 // attempts by scored total T
	slots    []slotAcc
}

func newFormAcc(d *Dataset, f *Form) *formAcc {
	fa := &formAcc{}
	for _, s := range f.Slots {
		if s.Role == RoleScored {
			fa.scored++
		}
	}
	n := fa.scored + 1
	fa.totals = make([]int64, n)
	fa.slots = make([]slotAcc, len(f.Slots))
	for j, s := range f.Slots {
		sa := &fa.slots[j]
		sa.n, sa.correct, sa.omit = make([]int64, n), make([]int64, n), make([]int64, n)
		letters := d.Items[s.Item].Letters
		sa.chose, sa.choseOK = make([][]int64, letters), make([][]int64, letters)
		for l := range letters {
			sa.chose[l], sa.choseOK[l] = make([]int64, n), make([]int64, n)
		}
	}
	return fa
}

// scoredTotal returns the number of scored slots answered right.
func scoredTotal(f *Form, a *Attempt) int {
	t := 0
	for j, s := range f.Slots {
		if s.Role == RoleScored && a.Responses[j].Presented && a.Responses[j].Correct {
			t++
		}
	}
	return t
}

func (fa *formAcc) add(f *Form, a *Attempt, matrix bool) {
	t := scoredTotal(f, a)
	fa.attempts++
	fa.totals[t]++
	for j := range f.Slots {
		r := a.Responses[j]
		if !r.Presented {
			continue
		}
		sa := &fa.slots[j]
		sa.n[t]++
		if r.Correct {
			sa.correct[t]++
		}
		if r.Chosen == 0 && !matrix {
			sa.omit[t]++
		}
		for l := range sa.chose {
			if r.Chosen&(1<<l) != 0 {
				sa.chose[l][t]++
				if r.Correct {
					sa.choseOK[l][t]++
				}
			}
		}
	}
}

// validate checks the shape of a Dataset.
func validate(d *Dataset) error {
	for fi, f := range d.Forms {
		seen := map[int]bool{}
		for j, s := range f.Slots {
			if s.Item < 0 || s.Item >= len(d.Items) {
				return fmt.Errorf("form %s position %d: item %d out of range", f.Form, j+1, s.Item)
			}
			if seen[s.Item] {
				return fmt.Errorf("form %s position %d: item %s is on the form twice", f.Form, j+1, d.Items[s.Item].ID)
			}
			seen[s.Item] = true
			if s.Role != RoleScored && s.Role != RolePretest {
				return fmt.Errorf("form %s position %d: role %q", f.Form, j+1, s.Role)
			}
		}
		_ = fi
	}
	for i, it := range d.Items {
		if it.Letters < 0 || it.Letters > 32 {
			return fmt.Errorf("item %s: %d letters", it.ID, it.Letters)
		}
		_ = i
	}
	for ai, a := range d.Attempts {
		if a.Form < 0 || a.Form >= len(d.Forms) {
			return fmt.Errorf("attempt %s: form %d out of range", a.ID, a.Form)
		}
		if len(a.Responses) != len(d.Forms[a.Form].Slots) {
			return fmt.Errorf("attempt %s: %d responses for %d positions", a.ID, len(a.Responses), len(d.Forms[a.Form].Slots))
		}
		_ = ai
	}
	return nil
}

// moments accumulates exact integer sums for a Pearson correlation.
type moments struct {
	n, sx, sy, sxx, syy, sxy int64
}

// addW adds w observations of (x, y).
func (m *moments) addW(x, y, w int64) {
	m.n += w
	m.sx += w * x
	m.sy += w * y
	m.sxx += w * x * x
	m.syy += w * y * y
	m.sxy += w * x * y
}

// corr returns the Pearson correlation, 0 when a variance is zero.
func (m *moments) corr() float64 {
	n := float64(m.n)
	cov := n*float64(m.sxy) - float64(m.sx)*float64(m.sy)
	vx := n*float64(m.sxx) - float64(m.sx)*float64(m.sx)
	vy := n*float64(m.syy) - float64(m.sy)*float64(m.sy)
	if vx <= 0 || vy <= 0 {
		return 0
	}
	return cov / math.Sqrt(vx*vy)
}

// criterion returns the criterion of a slot's response for scored total
// t: the rest score for a scored slot (t minus the item itself), the
// scored total for a pretest slot.
func criterion(scored, correct bool, t int) int64 {
	if scored && correct {
		return int64(t - 1)
	}
	return int64(t)
}

// formStats computes a form's attempts, mean, SD, KR-20, SEM and
// alpha-if-deleted.
func formStats(d *Dataset, f *Form, fa *formAcc) FormReport {
	fr := FormReport{Form: f.Form, Bundle: f.Bundle, Attempts: int(fa.attempts), Theta: []ThetaPoint{}}
	if fa.attempts == 0 {
		return fr
	}
	var tm moments
	for t, c := range fa.totals {
		tm.addW(int64(t), 0, c)
	}
	n := float64(fa.attempts)
	mean := float64(tm.sx) / n
	varT := (float64(tm.sxx) - float64(tm.sx)*float64(tm.sx)/n) / n
	fr.Mean = mean
	fr.SD = math.Sqrt(math.Max(varT, 0))
	k := float64(fa.scored)
	sumPQ := 0.0
	type itemMom struct{ p, cov float64 }
	var ims []itemMom
	for j, s := range f.Slots {
		if s.Role != RoleScored {
			continue
		}
		sa := &fa.slots[j]
		var np, right, sumTX int64
		for t := range sa.n {
			np += sa.n[t]
			right += sa.correct[t]
			sumTX += int64(t) * sa.correct[t]
		}
		p := 0.0
		if np > 0 {
			p = float64(right) / float64(np)
		}
		sumPQ += p * (1 - p)
		ims = append(ims, itemMom{p: p, cov: float64(sumTX)/n - mean*p})
	}
	if fa.scored >= 2 && varT > 0 {
		fr.KR20 = k / (k - 1) * (1 - sumPQ/varT)
		fr.SEM = fr.SD * math.Sqrt(math.Max(1-fr.KR20, 0))
	}
	x := 0
	for _, s := range f.Slots {
		if s.Role != RoleScored {
			continue
		}
		im := ims[x]
		x++
		a := ItemAlpha{ID: d.Items[s.Item].ID}
		if fa.scored >= 3 {
			pq := im.p * (1 - im.p)
			v := varT - 2*im.cov + pq
			if v > 0 {
				a.Alpha = (k - 1) / (k - 2) * (1 - (sumPQ-pq)/v)
			}
		}
		fr.AlphaIfDeleted = append(fr.AlphaIfDeleted, a)
	}
	return fr
}
