package rasch

import (
	"context"
	"math/rand/v2"
	"testing"
)

// chainedForms returns nForms forms of perForm items taken in a circle
// from a pool of n items, each form starting step items after the one
// before: adjacent forms share perForm - step items.
func chainedForms(n, nForms, perForm, step int) [][]int {
	forms := make([][]int, nForms)
	for f := range forms {
		for j := range perForm {
			forms[f] = append(forms[f], (f*step+j)%n)
		}
	}
	return forms
}

func benchCalibrate(b *testing.B, n, nForms, perForm, step, persons int) {
	rng := rand.New(rand.NewPCG(21, 22))
	bs := make([]float64, n)
	for i := range bs {
		bs[i] = rng.NormFloat64()
	}
	d := &Data{Items: n, Booklets: simulate(rng, bs, chainedForms(n, nForms, perForm, step), persons, 0)}
	cpu := cpuSeconds()
	for b.Loop() {
		res, err := Calibrate(context.Background(), d, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Iterations), "iterations")
	}
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/op")
}

// 400 items over 10 forms of 65 (adjacent forms share 25 items), 1,000
// persons per form: the dense path.
func BenchmarkCalibrate400x10(b *testing.B) { benchCalibrate(b, 400, 10, 65, 40, 1000) }

// 5,000 items over 100 forms of 65 (adjacent forms share 15 items, 1,500
// shared items), 500 persons per form: CG steps and block SEs.
func BenchmarkCalibrate5000x100(b *testing.B) { benchCalibrate(b, 5000, 100, 65, 50, 500) }
