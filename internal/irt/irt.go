// Package irt holds the primitives of the dichotomous Rasch model that
// every psychometric part of qbank shares: the probability of a correct
// answer, the test characteristic curve (TCC), the test information, and
// the maximum-likelihood ability of a raw score on a set of items.
//
// The model is P(correct | theta, b) = 1 / (1 + exp(-(theta - b))), with
// the ability theta and the difficulty b in logits. Given item
// difficulties, the raw score is a sufficient statistic for theta, and the
// ML estimate of theta for raw score r solves TCC(theta) = r. An extreme
// score (0 or all correct) has no finite ML estimate; FORMAT.md's rule
// solves for 0.3 and S - 0.3 instead.
//
// The functions are pure and allocate nothing but their results.
package irt

import (
	"errors"
	"fmt"
	"math"
)

// ExtremeOffset is the score used in place of an extreme raw score: raw 0
// is estimated as 0.3 and a perfect raw score S as S - 0.3 (FORMAT.md).
const ExtremeOffset = 0.3

// P returns the probability that a person of ability theta answers an
// item of difficulty b correctly. It is computed in a form that neither
// overflows nor loses precision far from b.
func P(theta, b float64) float64 {
	x := theta - b
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// TCC returns the test characteristic curve at theta: the expected raw
// score sum_i P(theta, b_i).
func TCC(theta float64, bs []float64) float64 {
	s := 0.0
	for _, b := range bs {
		s += P(theta, b)
	}
	return s
}

// Information returns the test information at theta, sum_i P_i (1 - P_i).
func Information(theta float64, bs []float64) float64 {
	s := 0.0
	for _, b := range bs {
		p := P(theta, b)
		s += p * (1 - p)
	}
	return s
}

// ErrScore is returned by ThetaForScore for a score outside (0, n).
var ErrScore = errors.New("score must lie strictly between 0 and the number of items")

// ThetaForScore returns the theta at which the TCC of items bs equals the
// (possibly fractional) score r, for 0 < r < len(bs). The TCC is strictly
// increasing, so the solution is unique. It is found by Newton's method
// inside a bracket that always holds the root, falling back to bisection
// whenever a Newton step would leave the bracket, so it converges for any
// difficulties.
func ThetaForScore(bs []float64, r float64) (float64, error) {
	n := float64(len(bs))
	if !(r > 0 && r < n) || math.IsNaN(r) {
		return 0, fmt.Errorf("%w (score %v, %d items)", ErrScore, r, len(bs))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, b := range bs {
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return 0, fmt.Errorf("item difficulty %v is not a finite number", b)
		}
		lo, hi = min(lo, b), max(hi, b)
	}
	// Every P(theta, b_i) lies between P(theta, max b) and P(theta, min b),
	// so at min b + logit(r/n) the TCC is at most r and at max b +
	// logit(r/n) at least r: the root lies between.
	logit := math.Log(r / (n - r))
	lo, hi = lo+logit, hi+logit
	theta := (lo + hi) / 2
	for range 200 {
		f := TCC(theta, bs) - r
		if f == 0 {
			return theta, nil
		}
		if f < 0 {
			lo = theta
		} else {
			hi = theta
		}
		step := f / Information(theta, bs)
		next := theta - step
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-theta) < 1e-12*(1+math.Abs(theta)) || hi-lo < 1e-12 {
			return next, nil
		}
		theta = next
	}
	return theta, nil
}

// ThetaForRaw returns the ML ability of integer raw score raw (0..len(bs))
// on items bs and its standard error 1/sqrt(information) at that ability.
// Extreme scores use ExtremeOffset. It returns an error only for a raw
// score out of range, no items, or a difficulty that is not finite.
func ThetaForRaw(bs []float64, raw int) (theta, se float64, err error) {
	n := len(bs)
	if n == 0 {
		return 0, 0, errors.New("no items")
	}
	if raw < 0 || raw > n {
		return 0, 0, fmt.Errorf("raw score %d is outside 0..%d", raw, n)
	}
	r := float64(raw)
	switch raw {
	case 0:
		r = ExtremeOffset
	case n:
		r = float64(n) - ExtremeOffset
	}
	theta, err = ThetaForScore(bs, r)
	if err != nil {
		return 0, 0, err
	}
	return theta, 1 / math.Sqrt(Information(theta, bs)), nil
}
