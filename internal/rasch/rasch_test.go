package rasch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// simulate draws Rasch responses: forms[f] lists the items of form f,
// persons per form with abilities N(mu, 1).
func simulate(rng *rand.Rand, b []float64, forms [][]int, persons int, mu float64) []Booklet {
	var out []Booklet
	for f, items := range forms {
		bk := Booklet{Label: fmt.Sprintf("F%d", f+1), Items: items}
		bk.X = make([]uint8, 0, persons*len(items))
		for range persons {
			theta := mu + rng.NormFloat64()
			for _, it := range items {
				if rng.Float64() < 1/(1+math.Exp(-(theta-b[it]))) {
					bk.X = append(bk.X, 1)
				} else {
					bk.X = append(bk.X, 0)
				}
			}
		}
		out = append(out, bk)
	}
	return out
}

// linkedForms returns nForms forms of perForm items: the first common
// items on every form, the rest unique to the form.
func linkedForms(nForms, perForm, common int) (int, [][]int) {
	n := common
	var forms [][]int
	for range nForms {
		var f []int
		for i := range common {
			f = append(f, i)
		}
		for range perForm - common {
			f = append(f, n)
			n++
		}
		forms = append(forms, f)
	}
	return n, forms
}

func TestESFBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 50 {
		k := 1 + rng.IntN(9)
		b := make([]float64, k)
		for i := range b {
			b[i] = rng.NormFloat64() * 2
		}
		ev := newBookletEval(k)
		if !ev.set(b, true) {
			t.Fatal("overflow")
		}
		// brute force over all subsets
		gamma := make([]float64, k+1)
		pi := make([][]float64, k+1)
		for r := range pi {
			pi[r] = make([]float64, k)
		}
		for mask := 0; mask < 1<<k; mask++ {
			prod, r := 1.0, 0
			for j := range k {
				if mask>>j&1 == 1 {
					prod *= math.Exp(-b[j])
					r++
				}
			}
			gamma[r] += prod
			for j := range k {
				if mask>>j&1 == 1 {
					pi[r][j] += prod
				}
			}
		}
		for r := 0; r <= k; r++ {
			if got := ev.logG[r]; math.Abs(got-math.Log(gamma[r])) > 1e-10 {
				t.Fatalf("trial %d: log gamma_%d = %v; want %v", trial, r, got, math.Log(gamma[r]))
			}
			for j := range k {
				if got, want := ev.pi[r*k+j], pi[r][j]/gamma[r]; math.Abs(got-want) > 1e-12 {
					t.Fatalf("trial %d: pi[%d][%d] = %v; want %v", trial, r, j, got, want)
				}
			}
		}
	}
}

// The analytic gradient and information equal numerical derivatives of
// the conditional log-likelihood, including pairs with equal difficulty
// (the summation branch of the joint probabilities).
func TestDerivatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	b := []float64{-1, -0.5, -0.5, 0, 0.3, 0.3 + 1e-5, 1, 2}
	forms := [][]int{{0, 1, 2, 3, 4, 5}, {2, 3, 4, 5, 6, 7}}
	d := &Data{Items: len(b), Booklets: simulate(rng, b, forms, 300, 0)}
	des, _ := reduce(d)
	ev := newEvaluator(des)
	g := make([]float64, len(des.free))
	x := append([]float64(nil), b...)
	L0, err := ev.eval(context.Background(), x, g)
	if err != nil {
		t.Fatal(err)
	}
	h := denseInformation(des, ev)
	nf := len(des.free)
	const step = 1e-5
	for f, it := range des.free {
		x[it] += step
		gp := make([]float64, nf)
		Lp, _ := ev.eval(context.Background(), x, gp)
		x[it] -= 2 * step
		gm := make([]float64, nf)
		Lm, _ := ev.eval(context.Background(), x, gm)
		x[it] += step
		if num := (Lp - Lm) / (2 * step); math.Abs(num-g[f]) > 1e-4*(1+math.Abs(num)) {
			t.Errorf("dL/db_%d = %v; numerically %v", it, g[f], num)
		}
		for f2 := range nf {
			num := -(gp[f2] - gm[f2]) / (2 * step)
			if math.Abs(num-h[f2*nf+f]) > 1e-4*(1+math.Abs(num)) {
				t.Errorf("I[%d][%d] = %v; numerically %v", f2, f, h[f2*nf+f], num)
			}
		}
	}
	_ = L0
}

// Parameter recovery: 3 forms of 65 items sharing 20 common items,
// 2,000 persons each, sum-zero scale.
func TestRecovery(t *testing.T) {
	res, b := recovery(t)
	checkRecovery(t, res, b, nil)
}

// recovery calibrates 3 forms of 65 items sharing 20 common items, 2,000
// persons each, on a sum-zero scale, and returns the true b.
func recovery(t *testing.T) (*Result, []float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	n, forms := linkedForms(3, 65, 20)
	b := make([]float64, n)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	center(b)
	res, err := Calibrate(context.Background(), &Data{Items: n, Booklets: simulate(rng, b, forms, 2000, 0)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func center(b []float64) {
	m := 0.0
	for _, x := range b {
		m += x
	}
	for i := range b {
		b[i] -= m / float64(len(b))
	}
}

// checkRecovery checks RMSE < 0.1 and that z = (b_hat - b)/se looks
// standard normal: mean within +-0.3 and SD within 0.8..1.25 over the
// free items. With about 175 items the SD of a correct z has a sampling
// SD of about 0.05, so the bounds hold by a wide margin, while SEs off by
// a factor of 1.3 either way fail.
func checkRecovery(t *testing.T, res *Result, b []float64, anchors map[int]float64) {
	t.Helper()
	var se2, zs, zz float64
	n := 0
	for i := range b {
		if _, ok := anchors[i]; ok {
			continue
		}
		if res.Status[i] != Calibrated {
			t.Fatalf("item %d: %v", i, res.Status[i])
		}
		d := res.B[i] - b[i]
		se2 += d * d
		z := d / res.SE[i]
		zs += z
		zz += z * z
		n++
	}
	rmse := math.Sqrt(se2 / float64(n))
	mean := zs / float64(n)
	sd := math.Sqrt(zz/float64(n) - mean*mean)
	t.Logf("%d items: RMSE %.4f, z mean %.3f, z SD %.3f, %d iterations", n, rmse, mean, sd, res.Iterations)
	if rmse >= 0.1 {
		t.Errorf("RMSE %.4f >= 0.1", rmse)
	}
	if math.Abs(mean) > 0.3 || sd < 0.8 || sd > 1.25 {
		t.Errorf("z = (b_hat-b)/se: mean %.3f, SD %.3f; want mean within 0.3, SD in 0.8..1.25", mean, sd)
	}
}

// Anchored at their true values, 10 common items put the free items on
// the generating scale: the free estimates recover the true b without any
// shift, even though the persons are far from 0.
func TestAnchoredRecovery(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	n, forms := linkedForms(3, 65, 10)
	b := make([]float64, n)
	for i := range b {
		b[i] = 0.7 + rng.NormFloat64()
	}
	anchors := map[int]float64{}
	for i := range 10 {
		anchors[i] = b[i]
	}
	d := &Data{Items: n, Booklets: simulate(rng, b, forms, 2000, 1), Anchors: anchors}
	res, err := Calibrate(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for it, a := range anchors {
		if res.B[it] != a || res.Status[it] != Anchored || res.SE[it] != 0 {
			t.Errorf("anchor %d: b %v se %v status %v", it, res.B[it], res.SE[it], res.Status[it])
		}
	}
	checkRecovery(t, res, b, anchors)
	// The mean of the free items is not forced to zero: it is about 0.7.
	m, k := 0.0, 0
	for i := 10; i < n; i++ {
		m += res.B[i] - b[i]
		k++
	}
	if math.Abs(m/float64(k)) > 0.05 {
		t.Errorf("free items shifted by %.3f from the anchor scale", m/float64(k))
	}
}

// A wrong SE must fail checkRecovery: scale the SEs and expect failure.
func TestRecoveryCheckCanFail(t *testing.T) {
	res, b := recovery(t)
	n := len(b)
	for _, f := range []float64{0.7, 1.4} {
		bad := *res
		bad.SE = make([]float64, n)
		for i := range bad.SE {
			bad.SE[i] = res.SE[i] * f
		}
		ft := &testing.T{}
		checkRecovery(ft, &bad, b, nil)
		if !ft.Failed() {
			t.Errorf("SEs scaled by %v pass the recovery check", f)
		}
	}
}

// The large-pool path (CG steps, SEs from the Schur complement of the
// shared items) gives the same estimates and SEs as the dense path.
func TestCGMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, design := range []string{"common", "chained"} {
		testCGMatchesDense(t, rng, design)
	}
}

func testCGMatchesDense(t *testing.T, rng *rand.Rand, design string) {
	n, forms := linkedForms(4, 30, 5)
	if design == "chained" {
		n, forms = 60, chainedForms(60, 6, 20, 10)
	}
	b := make([]float64, n)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	for _, anchored := range []bool{false, true} {
		d := &Data{Items: n, Booklets: simulate(rng, b, forms, 500, 0)}
		if anchored {
			d.Anchors = map[int]float64{0: b[0], 1: b[1]}
		}
		dense, err := Calibrate(context.Background(), d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		cg, err := Calibrate(context.Background(), d, Options{DenseLimit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if dense.SEMethod != "exact" || cg.SEMethod != "exact" {
			t.Fatalf("SE methods %q %q", dense.SEMethod, cg.SEMethod)
		}
		for i := range n {
			if math.Abs(dense.B[i]-cg.B[i]) > 1e-7 {
				t.Errorf("anchored=%v item %d: dense %v, cg %v", anchored, i, dense.B[i], cg.B[i])
			}
			if _, ok := d.Anchors[i]; ok {
				continue
			}
			if math.Abs(cg.SE[i]-dense.SE[i]) > 1e-9 {
				t.Errorf("%s anchored=%v item %d: block SE %v, dense SE %v", design, anchored, i, cg.SE[i], dense.SE[i])
			}
		}
		if math.Abs(dense.LogLik-cg.LogLik) > 1e-6 {
			t.Errorf("loglik %v vs %v", dense.LogLik, cg.LogLik)
		}
	}
}

func TestDisconnected(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	b := make([]float64, 8)
	forms := [][]int{{0, 1, 2}, {1, 2, 3}, {4, 5, 6, 7}}
	d := &Data{Items: 8, Booklets: simulate(rng, b, forms, 200, 0)}
	_, err := Calibrate(context.Background(), d, Options{})
	var de *DisconnectedError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v; want DisconnectedError", err)
	}
	if len(de.Groups) != 2 || strings.Join(de.Groups[0], ",") != "F1,F2" || strings.Join(de.Groups[1], ",") != "F3" {
		t.Errorf("groups %v", de.Groups)
	}
	if !strings.Contains(err.Error(), "F1, F2") {
		t.Errorf("message %q does not name the groups", err)
	}
	// An anchor in each group links both to the bank scale.
	d.Anchors = map[int]float64{0: 0, 4: 0}
	if _, err := Calibrate(context.Background(), d, Options{}); err != nil {
		t.Errorf("anchored in every group: %v", err)
	}
	// An anchor in one group only is not enough; the error names the
	// group without one.
	d.Anchors = map[int]float64{0: 0}
	if _, err := Calibrate(context.Background(), d, Options{}); !errors.As(err, &de) || !de.Anchored || len(de.Groups) != 1 || de.Groups[0][0] != "F3" {
		t.Errorf("anchored in one group: err = %v", err)
	}
}

// Items everyone answered right or wrong are reported and the rest are
// calibrated; persons whose score becomes extreme without them drop out.
func TestExtremeItems(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	b := []float64{-1, 0, 1, 0.5, -0.5, 0}
	d := &Data{Items: 7, Booklets: simulate(rng, b, [][]int{{0, 1, 2, 3, 4, 5}}, 500, 0)}
	bk := &d.Booklets[0]
	for p := 0; p < len(bk.X)/6; p++ {
		bk.X[p*6+5] = 1 // item 5: everyone right
	}
	res, err := Calibrate(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status[5] != AllCorrect || !math.IsNaN(res.B[5]) || res.Status[6] != NoData {
		t.Errorf("status %v b %v", res.Status, res.B)
	}
	sum := 0.0
	for i := range 5 {
		if res.Status[i] != Calibrated {
			t.Errorf("item %d %v", i, res.Status[i])
		}
		sum += res.B[i]
	}
	if math.Abs(sum) > 1e-9 {
		t.Errorf("free b sum to %v", sum)
	}
	// Same as calibrating the five items alone.
	alone := &Data{Items: 5, Booklets: []Booklet{{Items: []int{0, 1, 2, 3, 4}}}}
	for p := 0; p < len(bk.X)/6; p++ {
		alone.Booklets[0].X = append(alone.Booklets[0].X, bk.X[p*6:p*6+5]...)
	}
	ref, err := Calibrate(context.Background(), alone, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if math.Abs(ref.B[i]-res.B[i]) > 1e-9 {
			t.Errorf("item %d: %v vs alone %v", i, res.B[i], ref.B[i])
		}
	}
	if ref.Persons != res.Persons {
		t.Errorf("persons %d vs %d", res.Persons, ref.Persons)
	}
}

func TestCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	n, forms := linkedForms(3, 20, 5)
	d := &Data{Items: n, Booklets: simulate(rng, make([]float64, n), forms, 100, 0)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Calibrate(ctx, d, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestBadInput(t *testing.T) {
	for _, d := range []*Data{
		{Items: 0},
		{Items: 2, Booklets: []Booklet{{Items: []int{0, 0}}}},
		{Items: 2, Booklets: []Booklet{{Items: []int{0, 2}}}},
		{Items: 2, Booklets: []Booklet{{Items: []int{0, 1}, X: []uint8{1}}}},
		{Items: 2, Anchors: map[int]float64{0: math.NaN()}},
		{Items: 2, Booklets: []Booklet{{Items: []int{0, 1}, X: []uint8{1, 1, 0, 0}}}},
	} {
		if _, err := Calibrate(context.Background(), d, Options{}); err == nil {
			t.Errorf("%+v accepted", d)
		}
	}
}

// With every item anchored there is nothing to estimate, but the fit and
// the log-likelihood are still computed (a later stage calibrates the
// pretest items against them).
func TestAllAnchored(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	b := []float64{-1, 0, 1, 0.5}
	d := &Data{Items: 4, Booklets: simulate(rng, b, [][]int{{0, 1, 2, 3}}, 500, 0),
		Anchors: map[int]float64{0: -1, 1: 0, 2: 1, 3: 0.5}}
	res, err := Calibrate(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Iterations != 0 || !(res.LogLik < 0) || res.Persons == 0 {
		t.Errorf("%+v", res)
	}
	for i := range b {
		if res.B[i] != b[i] || res.Status[i] != Anchored || !(res.Infit[i] > 0.7 && res.Infit[i] < 1.3) {
			t.Errorf("item %d: b %v status %v infit %v", i, res.B[i], res.Status[i], res.Infit[i])
		}
	}
}
