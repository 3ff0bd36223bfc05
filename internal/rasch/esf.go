package rasch

import "math"

// Elementary symmetric functions (ESF) by the summation algorithm, in a
// normalised form that keeps every value near 1.
//
// gamma_r(eps) is the sum over all r-subsets of the products of their
// eps_j = exp(-b_j). We store the mean over the subsets instead,
// e_r = gamma_r / C(k, r), and compute the eps of a booklet relative to
// the booklet's mean difficulty c (eps_j = exp(-(b_j - c))). Adding item
// j to j-1 items is then a convex combination,
//
//	e_r <- (j-r)/j * e_r + r/j * eps_j * e_{r-1},
//
// which neither overflows nor cancels (every term is positive). The true
// value is gamma_r = C(k, r) * e_r * exp(-r c).

// esf fills e (length len(eps)+1) with the normalised ESF of eps.
func esf(eps []float64, e []float64) {
	e[0] = 1
	for r := 1; r < len(e); r++ {
		e[r] = 0
	}
	for j, x := range eps {
		n := float64(j + 1)
		for r := j + 1; r >= 1; r-- {
			fr := float64(r)
			e[r] = (n-fr)/n*e[r] + fr/n*x*e[r-1]
		}
	}
}

// esfSkip fills e (length len(eps)) with the normalised ESF of eps
// without the items skip1 and skip2 (-1 for none).
func esfSkip(eps []float64, skip1, skip2 int, e []float64) {
	e[0] = 1
	for r := 1; r < len(e); r++ {
		e[r] = 0
	}
	j := 0
	for i, x := range eps {
		if i == skip1 || i == skip2 {
			continue
		}
		j++
		n := float64(j)
		for r := j; r >= 1; r-- {
			fr := float64(r)
			e[r] = (n-fr)/n*e[r] + fr/n*x*e[r-1]
		}
	}
}

// lchoose returns log C(n, k).
func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// bookletEval holds the conditional quantities of one booklet at given
// difficulties: k items, scores 0..k.
type bookletEval struct {
	k     int
	c     float64   // centre (mean b of the booklet)
	eps   []float64 // exp(-(b_j - c))
	e     []float64 // normalised ESF, length k+1
	logG  []float64 // log gamma_r(exp(-b)), r = 0..k
	pi    []float64 // pi[r*k+j] = P(x_j = 1 | r), needs withPi
	scr   []float64 // scratch, length k+1
	hasPi bool
}

func newBookletEval(k int) *bookletEval {
	return &bookletEval{
		k:    k,
		eps:  make([]float64, k),
		e:    make([]float64, k+1),
		logG: make([]float64, k+1),
		pi:   make([]float64, (k+1)*k),
		scr:  make([]float64, k+1),
	}
}

// set computes eps, e and logG for difficulties b (length k); withPi also
// computes the conditional probabilities pi (O(k^3)).
func (ev *bookletEval) set(b []float64, withPi bool) bool {
	k := ev.k
	c := 0.0
	for _, x := range b {
		c += x
	}
	c /= float64(k)
	ev.c = c
	for j, x := range b {
		ev.eps[j] = math.Exp(-(x - c))
	}
	esf(ev.eps, ev.e)
	for r := 0; r <= k; r++ {
		if !(ev.e[r] > 0) || math.IsInf(ev.e[r], 0) {
			return false
		}
		ev.logG[r] = lchoose(k, r) + math.Log(ev.e[r]) - float64(r)*c
	}
	ev.hasPi = withPi
	if !withPi {
		return true
	}
	fk := float64(k)
	for j := range k {
		esfSkip(ev.eps, j, -1, ev.scr[:k])
		ev.pi[j] = 0 // r = 0
		for r := 1; r <= k; r++ {
			ev.pi[r*k+j] = ev.eps[j] * float64(r) / fk * ev.scr[r-1] / ev.e[r]
		}
	}
	return true
}

// pairTol is the relative distance of two eps below which the joint
// probability is computed by summation instead of the difference formula.
const pairTol = 1e-3

// hessian adds to h (k x k, row-major) the information of the booklet,
// sum_r n[r] Cov(x | r), for the score counts n (length k+1; n[0] and
// n[k] are ignored). It needs set(b, true).
//
// Cov(x_i, x_j | r) = pi_ij - pi_i pi_j with the joint probability
// pi_ij|r = (eps_i pi_j|r - eps_j pi_i|r) / (eps_i - eps_j), which follows
// from gamma^(j)_{r-1} - gamma^(i)_{r-1} = (eps_i - eps_j) gamma^(ij)_{r-2};
// for nearly equal eps it cancels, and pi_ij is computed from the ESF
// without both items by summation.
func (ev *bookletEval) hessian(n []float64, h []float64) {
	k := ev.k
	fk := float64(k)
	for r := 1; r < k; r++ {
		if n[r] == 0 {
			continue
		}
		row := ev.pi[r*k : (r+1)*k]
		for i, p := range row {
			h[i*k+i] += n[r] * p * (1 - p)
		}
	}
	skip := ev.scr[:k-1]
	for i := range k {
		for j := i + 1; j < k; j++ {
			ei, ej := ev.eps[i], ev.eps[j]
			close := math.Abs(ei-ej) < pairTol*math.Max(ei, ej)
			if close && k >= 2 {
				esfSkip(ev.eps, i, j, skip)
			}
			s := 0.0
			for r := 2; r < k; r++ {
				if n[r] == 0 {
					continue
				}
				pi, pj := ev.pi[r*k+i], ev.pi[r*k+j]
				var pij float64
				if close {
					fr := float64(r)
					pij = ei * ej * fr * (fr - 1) / (fk * (fk - 1)) * skip[r-2] / ev.e[r]
				} else {
					pij = (ei*pj - ej*pi) / (ei - ej)
				}
				s += n[r] * (pij - pi*pj)
			}
			// r = 1: pi_ij = 0.
			if k > 1 && n[1] != 0 {
				s -= n[1] * ev.pi[k+i] * ev.pi[k+j]
			}
			h[i*k+j] += s
			h[j*k+i] += s
		}
	}
}
