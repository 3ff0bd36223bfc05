// Package domainability estimates a candidate's ability in each content
// domain from one attempt, under the domain model of FORMAT.md ("Score
// report"):
//
//	theta_d = theta + delta_d,  theta ~ N(0, 1),  delta_d ~ N(0, tau^2),
//
// independent, with the scored items of domain d answering by the Rasch
// model at theta_d. For each domain it gives the posterior mean (EAP) and
// SD of theta_d, and the posterior probability that theta_d is the lowest
// of all domains; the weakest domain is the one with the lowest EAP.
//
// Every figure is an integral over theta of integrals over delta, which
// are independent across domains once theta is fixed. Both are computed by
// quadrature on one uniform grid of step h (theta, delta and theta_d =
// theta + delta all fall on grid points), not by sampling, so results are
// exact up to the grid and identical on every run.
//
// Under the Rasch model a domain's likelihood depends on its answers only
// through its raw score: L_d(t) is proportional to exp(r_d t) / prod_i (1 +
// exp(t - b_i)), the constant factor cancelling from every posterior
// figure. A Model therefore precomputes log L_d for every raw score once,
// and the result for an attempt depends only on its domain raw scores; a
// Model caches results by them and is safe for concurrent use.
package domainability

import (
	"errors"
	"fmt"
	"math"
	"sync"
)

// Grid settings: step and half-widths in logits. The theta prior N(0, 1)
// is negligible beyond 6.5 SD, the delta prior N(0, tau^2) beyond 6.5 tau.
// The integrands are smooth and decay like Gaussians, for which the
// trapezoid rule on a uniform grid converges very fast; the tests compare
// against a brute-force integration on an independent grid.
const (
	step      = 0.1
	halfInSDs = 6.5
	// thetaStride: theta nodes lie every thetaStride delta steps, so that
	// theta + delta stays on the grid. The theta posterior, with an SD of
	// at least about 0.3 logit on a form, needs no finer step than 0.2 for
	// the trapezoid rule; the delta integrals, with the tails that decide
	// the weakest domain, keep the 0.1 step.
	thetaStride = 2
)

// Model holds the precomputed likelihoods of one form's scored items by
// domain.
type Model struct {
	tau    float64
	n      []int     // scored items per domain
	thetas []float64 // theta grid
	deltas []float64 // delta grid
	prior  []float64 // N(0,1) weights on the theta grid (normalised)
	dprior []float64 // N(0,tau^2) weights on the delta grid (normalised)
	bs     [][]float64

	mu    sync.Mutex
	parts map[[2]int]*domainPart // by (domain, raw), computed on first use
	cache map[cacheKey]Result
}

// domainPart holds, for one domain and raw score, everything that depends
// on that domain alone, at every theta node: the log of the domain's
// integral over delta, the first two conditional moments of theta_d, and
// the normalised density of delta on its grid with its upper tail.
type domainPart struct {
	logI   []float64   // [theta node]
	m1, m2 []float64   // [theta node] E[theta_d | theta], E[theta_d^2 | theta]
	dens   [][]float64 // [theta node][delta node], sums to 1
	tail   [][]float64 // [theta node][delta node]: P(delta' > delta_j), a tie counting half
}

// Result is the posterior summary of one attempt.
type Result struct {
	// EAP is the posterior mean of each domain's ability theta_d.
	EAP []float64
	// SD is the posterior standard deviation of each theta_d.
	SD []float64
	// Lowest is the posterior probability that each domain's theta_d is
	// the lowest of all (they sum to 1).
	Lowest []float64
	// Weakest is the index of the domain with the lowest EAP (ties: the
	// first); its probability is Lowest[Weakest].
	Weakest int
}

// New returns the model for a form whose scored items of domain d have
// Rasch difficulties domains[d], with domain spread tau (> 0). A domain may
// have no scored items (its posterior is then its prior given the others).
func New(domains [][]float64, tau float64) (*Model, error) {
	if len(domains) == 0 {
		return nil, errors.New("no domains")
	}
	if !(tau > 0) || math.IsInf(tau, 0) {
		return nil, fmt.Errorf("domain spread tau must be a positive number, not %v", tau)
	}
	m := &Model{tau: tau, parts: map[[2]int]*domainPart{}, cache: map[cacheKey]Result{}}
	m.thetas, m.prior = normalGrid(1, thetaStride)
	m.deltas, m.dprior = normalGrid(tau, 1)
	for d, bs := range domains {
		for _, b := range bs {
			if math.IsNaN(b) || math.IsInf(b, 0) {
				return nil, fmt.Errorf("domain %d: item difficulty %v is not a finite number", d, b)
			}
		}
		m.n = append(m.n, len(bs))
		m.bs = append(m.bs, append([]float64(nil), bs...))
	}
	return m, nil
}

// normalGrid returns grid points k*stride*step out to halfInSDs SDs on
// both sides of 0 and the N(0, sd^2) density at them, normalised to sum 1.
func normalGrid(sd float64, stride int) (points, weights []float64) {
	h := step * float64(stride)
	k := int(math.Ceil(halfInSDs * sd / h))
	total := 0.0
	for i := -k; i <= k; i++ {
		x := float64(i) * h
		w := math.Exp(-0.5 * x * x / (sd * sd))
		points = append(points, x)
		weights = append(weights, w)
		total += w
	}
	for i := range weights {
		weights[i] /= total
	}
	return points, weights
}

// part returns the precomputed part of domain d at raw score r. Under the
// Rasch model log L_d(t) = r t - sum_i log(1 + exp(t - b_i)) up to a
// constant that cancels.
func (m *Model) part(d, r int) *domainPart {
	key := [2]int{d, r}
	m.mu.Lock()
	p := m.parts[key]
	m.mu.Unlock()
	if p != nil {
		return p
	}
	nt, nd := len(m.thetas), len(m.deltas)
	logL := make([]float64, (nt-1)*thetaStride+nd) // at theta_d = thetas[0] + deltas[0] + k*step
	t0 := m.thetas[0] + m.deltas[0]
	for k := range logL {
		t := t0 + float64(k)*step
		s := float64(r) * t
		for _, b := range m.bs[d] {
			s -= log1pExp(t - b)
		}
		logL[k] = s
	}
	p = &domainPart{
		logI: make([]float64, nt), m1: make([]float64, nt), m2: make([]float64, nt),
		dens: make([][]float64, nt), tail: make([][]float64, nt),
	}
	for ti, t := range m.thetas {
		row := logL[ti*thetaStride : ti*thetaStride+nd]
		peak := math.Inf(-1)
		for _, v := range row {
			peak = max(peak, v)
		}
		dens := make([]float64, nd)
		sum, s1, s2 := 0.0, 0.0, 0.0
		for j, v := range row {
			w := m.dprior[j] * math.Exp(v-peak)
			td := t + m.deltas[j]
			dens[j] = w
			sum += w
			s1 += w * td
			s2 += w * td * td
		}
		tail := make([]float64, nd)
		acc := 0.0
		for j := nd - 1; j >= 0; j-- {
			dens[j] /= sum
			tail[j] = acc + dens[j]/2
			acc += dens[j]
		}
		p.logI[ti] = math.Log(sum) + peak
		p.m1[ti], p.m2[ti] = s1/sum, s2/sum
		p.dens[ti], p.tail[ti] = dens, tail
	}
	m.mu.Lock()
	if q := m.parts[key]; q != nil {
		p = q // another goroutine computed it first; keep one copy
	} else {
		m.parts[key] = p
	}
	m.mu.Unlock()
	return p
}

// log1pExp returns log(1 + exp(x)) without overflow.
func log1pExp(x float64) float64 {
	if x > 35 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// Domains returns the number of domains.
func (m *Model) Domains() int { return len(m.n) }

// Posterior returns the posterior summary for an attempt with raw[d]
// correct scored answers in domain d (0 <= raw[d] <= items of d).
func (m *Model) Posterior(raw []int) (Result, error) {
	if len(raw) != len(m.n) {
		return Result{}, fmt.Errorf("%d domain scores for %d domains", len(raw), len(m.n))
	}
	var key [16]byte // raw scores below 256 for up to 16 domains; else a string
	var skey string
	for d, r := range raw {
		if r < 0 || r > m.n[d] {
			return Result{}, fmt.Errorf("domain %d: raw score %d is outside 0..%d", d, r, m.n[d])
		}
		if d < len(key) && r < 255 && len(raw) <= len(key) {
			key[d] = byte(r + 1)
		} else {
			skey += fmt.Sprintf("%d,", r)
		}
	}
	k := cacheKey{packed: key, long: skey}
	m.mu.Lock()
	res, ok := m.cache[k]
	m.mu.Unlock()
	if ok {
		return res.clone(), nil
	}
	res = m.compute(raw)
	m.mu.Lock()
	m.cache[k] = res
	m.mu.Unlock()
	return res.clone(), nil
}

// cacheKey identifies an attempt's domain raw scores: packed, one byte
// each (raw + 1), for the common case; long, as text, otherwise.
type cacheKey struct {
	packed [16]byte
	long   string
}

func (r Result) clone() Result {
	return Result{
		EAP:     append([]float64(nil), r.EAP...),
		SD:      append([]float64(nil), r.SD...),
		Lowest:  append([]float64(nil), r.Lowest...),
		Weakest: r.Weakest,
	}
}

// compute does the nested quadrature: for each theta node, the domains'
// parts combine into the node's weight (the product of their integrals
// over delta) and the probability that each domain is the lowest (the
// integral of its delta density times the others' upper tails; given
// theta, theta_d < theta_e exactly when delta_d < delta_e).
func (m *Model) compute(raw []int) Result {
	D := len(m.n)
	parts := make([]*domainPart, D)
	for d := range parts {
		parts[d] = m.part(d, raw[d])
	}
	nt, nd := len(m.thetas), len(m.deltas)
	logw := make([]float64, nt)
	peak := math.Inf(-1)
	for ti := range nt {
		lw := math.Log(m.prior[ti])
		for _, p := range parts {
			lw += p.logI[ti]
		}
		logw[ti] = lw
		peak = max(peak, lw)
	}
	res := Result{EAP: make([]float64, D), SD: make([]float64, D), Lowest: make([]float64, D)}
	second := make([]float64, D)
	// prefix[d][j] is the product of the tails of domains before d, suffix
	// the product of those after: their product is "all the others".
	prefix, suffix := make([][]float64, D+1), make([][]float64, D+1)
	for d := range prefix {
		prefix[d], suffix[d] = make([]float64, nd), make([]float64, nd)
	}
	total := 0.0
	for ti := range nt {
		w := math.Exp(logw[ti] - peak)
		if w < 1e-15 { // negligible next to the peak node
			continue
		}
		total += w
		for j := range nd {
			prefix[0][j], suffix[D][j] = 1, 1
		}
		for d, p := range parts {
			for j, tl := range p.tail[ti] {
				prefix[d+1][j] = prefix[d][j] * tl
			}
		}
		for d := D - 1; d >= 0; d-- {
			for j, tl := range parts[d].tail[ti] {
				suffix[d][j] = suffix[d+1][j] * tl
			}
		}
		for d, p := range parts {
			res.EAP[d] += w * p.m1[ti]
			second[d] += w * p.m2[ti]
			low := 0.0
			pre, suf := prefix[d], suffix[d+1]
			for j, f := range p.dens[ti] {
				low += f * pre[j] * suf[j]
			}
			res.Lowest[d] += w * low
		}
	}
	lowSum := 0.0
	for d := 0; d < D; d++ {
		res.EAP[d] /= total
		res.SD[d] = math.Sqrt(max(second[d]/total-res.EAP[d]*res.EAP[d], 0))
		lowSum += res.Lowest[d]
	}
	for d := 0; d < D; d++ {
		res.Lowest[d] /= lowSum
		if res.EAP[d] < res.EAP[res.Weakest] {
			res.Weakest = d
		}
	}
	return res
}
