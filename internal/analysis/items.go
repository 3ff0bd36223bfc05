package analysis

import (
	"math"
	"math/bits"
)

// occurrence is one slot of one form where an item was.
type occurrence struct {
	form, slot int
	scored     bool
}

// itemStats computes the pooled CTT statistics of item i from its
// occurrences.
func itemStats(d *Dataset, i int, occ []occurrence, accs []*formAcc, groups int) ItemReport {
	it := d.Items[i]
	ir := ItemReport{ID: it.ID, Revision: it.Revision, Role: RolePretest, Forms: []string{}, Options: []OptionReport{}, Flags: []string{}}
	seenForm := map[string]bool{}
	var n, right, omit int64
	var pb moments
	letters := it.Letters
	opt := make([]moments, letters)
	optN := make([]int64, letters)
	optT := make([]int64, letters)
	for _, o := range occ {
		if o.scored {
			ir.Role = RoleScored
		}
		if name := d.Forms[o.form].Form; !seenForm[name] {
			seenForm[name] = true
			ir.Forms = append(ir.Forms, name)
		}
		sa := &accs[o.form].slots[o.slot]
		for t := range sa.n {
			nt, ct := sa.n[t], sa.correct[t]
			if nt == 0 {
				continue
			}
			n += nt
			right += ct
			omit += sa.omit[t]
			cOK, cBad := criterion(o.scored, true, t), criterion(o.scored, false, t)
			pb.addW(1, cOK, ct)
			pb.addW(0, cBad, nt-ct)
			for l := range letters {
				ch, chOK := sa.chose[l][t], sa.choseOK[l][t]
				optN[l] += ch
				optT[l] += int64(t) * ch
				opt[l].addW(1, cOK, chOK)
				opt[l].addW(1, cBad, ch-chOK)
				opt[l].addW(0, cOK, ct-chOK)
				opt[l].addW(0, cBad, nt-ct-(ch-chOK))
			}
		}
	}
	ir.Responses = int(n)
	if n > 0 {
		ir.PValue = float64(right) / float64(n)
		ir.Omitted = float64(omit) / float64(n)
	}
	ir.PointBiserial = pb.corr()
	for l := range letters {
		or := OptionReport{Letter: letterName(l), Key: it.Key&(1<<l) != 0, PointBiserial: opt[l].corr()}
		if n > 0 {
			or.Share = float64(optN[l]) / float64(n)
		}
		if optN[l] > 0 {
			or.MeanScore = float64(optT[l]) / float64(optN[l])
		}
		ir.Options = append(ir.Options, or)
	}
	if letters > 0 && n > 0 {
		ir.Trace = trace(occ, accs, letters, groups)
	}
	return ir
}

func letterName(l int) string {
	if l < 26 {
		return string(rune('A' + l))
	}
	return string(rune('a' + l - 26))
}

// chance is the probability of answering right by guessing: 1 over the
// number of ways to choose as many letters as the key has.
func chance(it Item) float64 {
	k := bits.OnesCount32(it.Key)
	if it.Letters <= 0 || k == 0 || k > it.Letters {
		return 0
	}
	c := 1.0
	for j := range k {
		c = c * float64(it.Letters-j) / float64(j+1)
	}
	return 1 / c
}

// scoreGroups splits the criterion values of an item's responses into at
// most g groups of about equal size (quantile groups by mid-rank). Equal
// scores always fall into the same group, so the groups depend only on
// the distribution of scores.
// It returns the group of each criterion value (-1 when absent) and the
// number of groups.
func scoreGroups(hist []int64, g int) ([]int, int) {
	total := int64(0)
	for _, h := range hist {
		total += h
	}
	group := make([]int, len(hist))
	if total == 0 {
		for v := range group {
			group[v] = -1
		}
		return group, 0
	}
	// A value goes to the group of its mid-rank: floor(g * (values
	// below + half of its own count) / total).
	cum := int64(0)
	used := 0
	for v, h := range hist {
		if h == 0 {
			group[v] = -1
			continue
		}
		group[v] = int((int64(g) * (2*cum + h)) / (2 * total))
		cum += h
	}
	// Renumber to consecutive groups.
	remap := map[int]int{}
	for v := range group {
		if group[v] < 0 {
			continue
		}
		if _, ok := remap[group[v]]; !ok {
			remap[group[v]] = used
			used++
		}
		group[v] = remap[group[v]]
	}
	return group, used
}

// criterionHist returns the histogram of an item's criterion values.
func criterionHist(occ []occurrence, accs []*formAcc) []int64 {
	var hist []int64
	for _, o := range occ {
		sa := &accs[o.form].slots[o.slot]
		for t := range sa.n {
			for _, ok := range []bool{true, false} {
				c := sa.correct[t]
				if !ok {
					c = sa.n[t] - c
				}
				if c == 0 {
					continue
				}
				v := int(criterion(o.scored, ok, t))
				for len(hist) <= v {
					hist = append(hist, 0)
				}
				hist[v] += c
			}
		}
	}
	return hist
}

// trace computes the share choosing each option (and omitting, last) by
// criterion score group.
func trace(occ []occurrence, accs []*formAcc, letters, g int) *Trace {
	hist := criterionHist(occ, accs)
	group, ng := scoreGroups(hist, g)
	tr := &Trace{Groups: make([]TraceGroup, ng)}
	counts := make([][]int64, ng)
	for x := range tr.Groups {
		tr.Groups[x].MinScore = math.Inf(1)
		tr.Groups[x].MaxScore = math.Inf(-1)
		counts[x] = make([]int64, letters+1)
	}
	for v, gr := range group {
		if gr >= 0 {
			tg := &tr.Groups[gr]
			tg.MinScore = math.Min(tg.MinScore, float64(v))
			tg.MaxScore = math.Max(tg.MaxScore, float64(v))
		}
	}
	for _, o := range occ {
		sa := &accs[o.form].slots[o.slot]
		for t := range sa.n {
			if sa.n[t] == 0 {
				continue
			}
			gOK := groupOf(group, criterion(o.scored, true, t))
			gBad := groupOf(group, criterion(o.scored, false, t))
			ct := sa.correct[t]
			add := func(gr int, n int64) {
				if gr >= 0 && n > 0 {
					tr.Groups[gr].N += int(n)
				}
			}
			add(gOK, ct)
			add(gBad, sa.n[t]-ct)
			for l := range letters {
				chOK := sa.choseOK[l][t]
				if gOK >= 0 {
					counts[gOK][l] += chOK
				}
				if gBad >= 0 {
					counts[gBad][l] += sa.chose[l][t] - chOK
				}
			}
			// An omit is always wrong (an item has at least one key).
			if gBad >= 0 {
				counts[gBad][letters] += sa.omit[t]
			}
		}
	}
	for x := range tr.Groups {
		tg := &tr.Groups[x]
		tg.Shares = make([]float64, letters+1)
		for l, c := range counts[x] {
			if tg.N > 0 {
				tg.Shares[l] = float64(c) / float64(tg.N)
			}
		}
	}
	return tr
}

// groupOf returns the score group of criterion value v (-1 for none).
func groupOf(group []int, v int64) int {
	if v < 0 || v >= int64(len(group)) {
		return -1
	}
	return group[v]
}
