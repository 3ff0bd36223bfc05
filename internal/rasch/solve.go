package rasch

import (
	"context"
	"fmt"
	"math"

	"github.com/qbank/qbank/internal/irt"
)

// evaluator computes the conditional log-likelihood, its gradient with
// respect to the free difficulties and the booklet blocks of the
// information matrix.
type evaluator struct {
	des    *design
	evs    []*bookletEval
	blocks [][]float64 // k x k information per booklet
	bl     []float64
}

func newEvaluator(des *design) *evaluator {
	ev := &evaluator{des: des}
	maxK := 0
	for _, b := range des.books {
		k := len(b.items)
		ev.evs = append(ev.evs, newBookletEval(k))
		ev.blocks = append(ev.blocks, make([]float64, k*k))
		maxK = max(maxK, k)
	}
	ev.bl = make([]float64, maxK)
	return ev
}

// eval returns L(b); with g != nil it also fills the gradient dL/db of the
// free items and the information blocks.
func (ev *evaluator) eval(ctx context.Context, b []float64, g []float64) (float64, error) {
	des := ev.des
	L := 0.0
	for it, s := range des.total {
		if s != 0 {
			L -= s * b[it]
		}
	}
	if g != nil {
		for f, it := range des.free {
			g[f] = -des.total[it]
		}
	}
	for bi, bk := range des.books {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		k := len(bk.items)
		bl := ev.bl[:k]
		for j, it := range bk.items {
			bl[j] = b[it]
		}
		e := ev.evs[bi]
		if !e.set(bl, g != nil) {
			return 0, fmt.Errorf("rasch: the elementary symmetric functions of booklet %v overflow (%d items); the difficulties diverge or the booklet is too long", bk.labels, k)
		}
		for r := 1; r < k; r++ {
			L -= bk.n[r] * e.logG[r]
		}
		if g == nil {
			continue
		}
		for j, it := range bk.items {
			f, ok := des.freeIdx[it]
			if !ok {
				continue
			}
			for r := 1; r < k; r++ {
				g[f] += bk.n[r] * e.pi[r*k+j]
			}
		}
		h := ev.blocks[bi]
		clear(h)
		e.hessian(bk.n, h)
	}
	return L, nil
}

// solve runs Newton-Raphson and fills res.B, res.SE, res.LogLik and
// res.Iterations.
// Kept whole: the Newton iteration shares its workspace (b, g, step,
// trial) across steps, and splitting it would hide the algorithm's
// structure.
func (des *design) solve(ctx context.Context, opts Options, res *Result) error {
	nf := len(des.free)
	b := make([]float64, des.nItems)
	copy(b, res.B)
	des.start(b)
	ev := newEvaluator(des)
	g := make([]float64, nf)
	step := make([]float64, nf)
	trial := make([]float64, des.nItems)
	sumZero := len(des.anchors) == 0
	dense := nf <= opts.DenseLimit
	L, err := ev.eval(ctx, b, g)
	if err != nil {
		return err
	}
	if nf == 0 { // every item is anchored: nothing to estimate
		res.LogLik, res.SEMethod = L, "exact"
		return nil
	}
	converged := false
	iter := 0
	for iter < opts.MaxIter {
		var lin linear
		if dense {
			lin = newDenseSystem(des, ev, sumZero)
		} else {
			lin = newCGSystem(des, ev, sumZero)
		}
		if err := lin.solve(g, step); err != nil {
			return err
		}
		maxStep := 0.0
		for _, s := range step {
			maxStep = math.Max(maxStep, math.Abs(s))
		}
		if maxStep > 3 {
			for f := range step {
				step[f] *= 3 / maxStep
			}
			maxStep = 3
		}
		iter++
		// Step halving: L is concave, so a full Newton step rarely fails.
		var Lnew float64
		for h := 0; ; h++ {
			copy(trial, b)
			for f, it := range des.free {
				trial[it] += step[f]
			}
			Lnew, err = ev.eval(ctx, trial, nil)
			if err != nil {
				return err
			}
			if Lnew >= L-1e-10*math.Abs(L) || h == 30 {
				break
			}
			for f := range step {
				step[f] /= 2
			}
			maxStep /= 2
		}
		copy(b, trial)
		if L, err = ev.eval(ctx, b, g); err != nil {
			return err
		}
		if maxStep < opts.Tol {
			converged = true
			break
		}
	}
	if !converged {
		return fmt.Errorf("%w after %d iterations (some difficulties may be infinite: an item answered right by exactly the persons who answered another right, or a very small sample)", ErrNoConvergence, iter)
	}
	if sumZero {
		mean := 0.0
		for _, it := range des.free {
			mean += b[it]
		}
		mean /= float64(nf)
		for _, it := range des.free {
			b[it] -= mean
		}
	}
	if L, err = ev.eval(ctx, b, g); err != nil {
		return err
	}
	res.LogLik = L
	res.Iterations = iter
	for _, it := range des.free {
		res.B[it] = b[it]
	}
	se, method, err := des.standardErrors(ctx, ev, sumZero, dense)
	if err != nil {
		return err
	}
	res.SEMethod = method
	for f, it := range des.free {
		res.SE[it] = se[f]
	}
	return nil
}

// start sets the free difficulties to the log-odds of a wrong answer,
// shifted to the anchors' scale (or centred).
func (des *design) start(b []float64) {
	n := make([]float64, des.nItems)
	for _, bk := range des.books {
		for _, v := range bk.n {
			for _, it := range bk.items {
				n[it] += v
			}
		}
	}
	logit := func(it int) float64 {
		s := des.total[it]
		return math.Log((n[it] - s + 0.5) / (s + 0.5))
	}
	shift, m := 0.0, 0
	for it := range n { // in item order: the sum must not depend on map order
		a, ok := des.anchors[it]
		if ok && n[it] > 0 {
			shift += a - logit(it)
			m++
		}
	}
	if m > 0 {
		shift /= float64(m)
	}
	mean := 0.0
	for _, it := range des.free {
		b[it] = logit(it) + shift
		mean += b[it]
	}
	if len(des.anchors) == 0 {
		mean /= float64(len(des.free))
		for _, it := range des.free {
			b[it] -= mean
		}
	}
}

// fit computes infit and outfit mean squares from person ML abilities.
//
// A person of booklet score r (0 < r < k) has the ML ability theta_r on
// the booklet's calibrated items (anchors included); persons with an
// extreme score are not in the fit (their ability is not an ML estimate).
// With z = (x - P) / sqrt(P(1-P)): outfit = mean z^2 over the persons who
// answered the item; infit = sum (x-P)^2 / sum P(1-P).
func (des *design) fit(res *Result) {
	num := make([]float64, des.nItems)
	wsum := make([]float64, des.nItems)
	z2 := make([]float64, des.nItems)
	cnt := make([]float64, des.nItems)
	for _, bk := range des.books {
		k := len(bk.items)
		bs := make([]float64, k)
		for j, it := range bk.items {
			bs[j] = res.B[it]
		}
		for r := 1; r < k; r++ {
			if bk.n[r] == 0 {
				continue
			}
			theta, _, err := irt.ThetaForRaw(bs, r)
			if err != nil {
				continue
			}
			for j, it := range bk.items {
				p := irt.P(theta, bs[j])
				w := p * (1 - p)
				right := bk.c[r*k+j]
				wrong := bk.n[r] - right
				sq := right*(1-p)*(1-p) + wrong*p*p
				num[it] += sq
				wsum[it] += bk.n[r] * w
				z2[it] += sq / w
				cnt[it] += bk.n[r]
			}
		}
	}
	for it := range res.Status {
		if res.Status[it] != Calibrated && res.Status[it] != Anchored || cnt[it] == 0 {
			res.Infit[it], res.Outfit[it] = math.NaN(), math.NaN()
			continue
		}
		res.Infit[it] = num[it] / wsum[it]
		res.Outfit[it] = z2[it] / cnt[it]
	}
}
