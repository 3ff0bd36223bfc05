package irt

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestP(t *testing.T) {
	tests := []struct {
		theta, b, want float64
	}{
		{0, 0, 0.5},
		{1, 0, 1 / (1 + math.Exp(-1))},
		{-2, 1, 1 / (1 + math.Exp(3))},
		{800, 0, 1},
		{-800, 0, 0},
	}
	for _, tt := range tests {
		if got := P(tt.theta, tt.b); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("P(%v, %v) = %v; want %v", tt.theta, tt.b, got, tt.want)
		}
	}
}

// With all items at difficulty 0 the TCC is n / (1 + exp(-theta)), so
// theta(r) = log(r / (n - r)) exactly; with the 0.3 rule at the extremes.
func TestThetaForRawEqualItems(t *testing.T) {
	bs := make([]float64, 10)
	for raw := 0; raw <= 10; raw++ {
		r := float64(raw)
		if raw == 0 {
			r = 0.3
		}
		if raw == 10 {
			r = 9.7
		}
		want := math.Log(r / (10 - r))
		theta, se, err := ThetaForRaw(bs, raw)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(theta-want) > 1e-9 {
			t.Errorf("theta(%d) = %.12f; want %.12f", raw, theta, want)
		}
		p := r / 10
		if wantSE := 1 / math.Sqrt(10*p*(1-p)); math.Abs(se-wantSE) > 1e-9 {
			t.Errorf("se(%d) = %v; want %v", raw, se, wantSE)
		}
	}
}

// A hand-checked case: items -1, 0, 1 and raw 2. The TCC at the answer
// must equal 2; theta(1) = -theta(2) by symmetry.
func TestThetaForRawSymmetric(t *testing.T) {
	bs := []float64{-1, 0, 1}
	t2, _, _ := ThetaForRaw(bs, 2)
	t1, _, _ := ThetaForRaw(bs, 1)
	if math.Abs(TCC(t2, bs)-2) > 1e-10 || math.Abs(t1+t2) > 1e-9 || t2 <= 0 {
		t.Errorf("theta(1) = %v, theta(2) = %v", t1, t2)
	}
}

func TestThetaForRawProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 600 {
		n := 1 + rng.IntN(80)
		bs := make([]float64, n)
		for i := range bs {
			bs[i] = rng.NormFloat64() * (0.5 + 3*rng.Float64())
		}
		shift := rng.NormFloat64() * 2
		shifted := make([]float64, n)
		for i := range bs {
			shifted[i] = bs[i] + shift
		}
		prev := math.Inf(-1)
		for raw := 0; raw <= n; raw++ {
			theta, se, err := ThetaForRaw(bs, raw)
			if err != nil {
				t.Fatalf("trial %d: %v", trial, err)
			}
			if theta <= prev {
				t.Fatalf("trial %d: theta not increasing at raw %d: %v after %v", trial, raw, theta, prev)
			}
			prev = theta
			if !(se > 0) || math.IsInf(se, 0) {
				t.Fatalf("trial %d: se %v at raw %d", trial, se, raw)
			}
			ts, _, _ := ThetaForRaw(shifted, raw)
			if math.Abs(ts-theta-shift) > 1e-8 {
				t.Fatalf("trial %d raw %d: shifting items by %v moved theta by %v", trial, raw, shift, ts-theta)
			}
			r := float64(raw)
			if raw == 0 {
				r = ExtremeOffset
			} else if raw == n {
				r = float64(n) - ExtremeOffset
			}
			if got := TCC(theta, bs); math.Abs(got-r) > 1e-8 {
				t.Fatalf("trial %d: TCC(theta(%d)) = %v", trial, raw, got)
			}
		}
	}
}

func TestThetaForRawErrors(t *testing.T) {
	if _, _, err := ThetaForRaw(nil, 0); err == nil {
		t.Error("no items accepted")
	}
	if _, _, err := ThetaForRaw([]float64{0, 1}, 3); err == nil {
		t.Error("raw 3 of 2 accepted")
	}
	if _, _, err := ThetaForRaw([]float64{0, math.NaN()}, 1); err == nil {
		t.Error("NaN difficulty accepted")
	}
	if _, err := ThetaForScore([]float64{0, 1}, 2); err == nil {
		t.Error("score equal to n accepted")
	}
}

func FuzzThetaForScore(f *testing.F) {
	f.Add(0.0, 1.0, -2.0, 1.5)
	f.Fuzz(func(t *testing.T, b1, b2, b3, r float64) {
		bs := []float64{b1, b2, b3}
		theta, err := ThetaForScore(bs, r)
		if err != nil {
			return
		}
		for _, b := range bs {
			if math.Abs(b) > 1e6 {
				return
			}
		}
		if got := TCC(theta, bs); math.Abs(got-r) > 1e-6 && math.Abs(theta) < 700 {
			t.Fatalf("TCC(%v) = %v; want %v", theta, got, r)
		}
	})
}
