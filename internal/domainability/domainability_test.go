package domainability

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/irt"
)

// bruteForce integrates the posterior over (theta, delta_1..delta_D)
// directly on a product grid of its own (another step and offset than the
// model's), from the full likelihood of the answer pattern (not the raw
// score shortcut), and returns the EAPs and the probabilities that each
// domain is the lowest.
func bruteForce(domains [][]float64, answers [][]bool, tau, h float64) (eap, lowest []float64) {
	D := len(domains)
	grid := func(sd float64) ([]float64, []float64) {
		var xs, ws []float64
		for x := -7*sd + h/3; x <= 7*sd; x += h {
			xs = append(xs, x)
			ws = append(ws, math.Exp(-0.5*x*x/(sd*sd)))
		}
		return xs, ws
	}
	thetas, tw := grid(1)
	deltas, dw := grid(tau)
	like := func(d int, t float64) float64 {
		l := 1.0
		for i, b := range domains[d] {
			p := irt.P(t, b)
			if answers[d][i] {
				l *= p
			} else {
				l *= 1 - p
			}
		}
		return l
	}
	eap, lowest = make([]float64, D), make([]float64, D)
	total := 0.0
	idx := make([]int, D)
	for ti, t := range thetas {
		// Precompute each domain's weighted likelihood on the delta grid.
		w := make([][]float64, D)
		for d := range w {
			w[d] = make([]float64, len(deltas))
			for j, dl := range deltas {
				w[d][j] = dw[j] * like(d, t+dl)
			}
		}
		for i := range idx {
			idx[i] = 0
		}
		for {
			p := tw[ti]
			minV := math.Inf(1)
			for d := 0; d < D; d++ {
				p *= w[d][idx[d]]
				minV = min(minV, deltas[idx[d]])
			}
			total += p
			ties := 0.0
			for d := 0; d < D; d++ {
				eap[d] += p * (t + deltas[idx[d]])
				if deltas[idx[d]] == minV {
					ties++
				}
			}
			// Domains tied for the lowest on this grid share it.
			for d := 0; d < D; d++ {
				if deltas[idx[d]] == minV {
					lowest[d] += p / ties
				}
			}
			k := 0
			for k < D {
				idx[k]++
				if idx[k] < len(deltas) {
					break
				}
				idx[k] = 0
				k++
			}
			if k == D {
				break
			}
		}
	}
	for d := range eap {
		eap[d] /= total
		lowest[d] /= total
	}
	return eap, lowest
}

func TestPosteriorMatchesBruteForce(t *testing.T) {
	tests := []struct {
		name    string
		domains [][]float64
		answers [][]bool
		tau     float64
		h       float64
	}{
		{
			name:    "two domains",
			domains: [][]float64{{-1, 0, 0.5, 1.2}, {-0.5, 0.3, 2}},
			answers: [][]bool{{true, true, false, true}, {false, true, false}},
			tau:     0.5, h: 0.03,
		},
		{
			name:    "three domains, one without items",
			domains: [][]float64{{-1.5, 0.2}, {0.8}, {}},
			answers: [][]bool{{true, false}, {true}, {}},
			tau:     0.7, h: 0.1,
		},
		{
			name:    "three domains, wide spread",
			domains: [][]float64{{-2, -1, 0, 1}, {0, 0.5}, {1, 1.5, -0.3}},
			answers: [][]bool{{true, true, true, true}, {false, false}, {true, false, true}},
			tau:     1.0, h: 0.13,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.domains, tt.tau)
			if err != nil {
				t.Fatal(err)
			}
			raw := make([]int, len(tt.answers))
			for d, as := range tt.answers {
				for _, a := range as {
					if a {
						raw[d]++
					}
				}
			}
			got, err := m.Posterior(raw)
			if err != nil {
				t.Fatal(err)
			}
			eap, lowest := bruteForce(tt.domains, tt.answers, tt.tau, tt.h)
			for d := range eap {
				if math.Abs(got.EAP[d]-eap[d]) > 2e-3 {
					t.Errorf("EAP[%d] = %.5f; brute force %.5f", d, got.EAP[d], eap[d])
				}
				if math.Abs(got.Lowest[d]-lowest[d]) > 3e-3 {
					t.Errorf("Lowest[%d] = %.5f; brute force %.5f", d, got.Lowest[d], lowest[d])
				}
			}
		})
	}
}

func TestPosteriorSymmetryAndMonotonicity(t *testing.T) {
	bs := []float64{-1, -0.3, 0, 0.4, 1.1}
	m, err := New([][]float64{bs, bs, bs}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := m.Posterior([]int{3, 3, 3})
	for d := range 3 {
		if math.Abs(r.Lowest[d]-1.0/3) > 1e-9 || math.Abs(r.EAP[d]-r.EAP[0]) > 1e-12 {
			t.Fatalf("equal domains, equal scores: %+v", r)
		}
	}
	prevEAP, prevLow := math.Inf(-1), math.Inf(1)
	for raw := 0; raw <= len(bs); raw++ {
		r, _ := m.Posterior([]int{raw, 3, 3})
		if r.EAP[0] <= prevEAP || r.Lowest[0] >= prevLow {
			t.Fatalf("raw %d: EAP %v after %v, P(lowest) %v after %v", raw, r.EAP[0], prevEAP, r.Lowest[0], prevLow)
		}
		prevEAP, prevLow = r.EAP[0], r.Lowest[0]
		sum := 0.0
		for _, p := range r.Lowest {
			sum += p
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("probabilities sum to %v", sum)
		}
	}
	if r, _ := m.Posterior([]int{0, 5, 5}); r.Weakest != 0 || r.Lowest[0] < 0.85 {
		t.Errorf("a domain with nothing right among perfect ones: %+v", r)
	}
}

func TestNewAndPosteriorErrors(t *testing.T) {
	if _, err := New(nil, 0.5); err == nil {
		t.Error("no domains accepted")
	}
	if _, err := New([][]float64{{0}}, 0); err == nil {
		t.Error("tau 0 accepted")
	}
	if _, err := New([][]float64{{math.Inf(1)}}, 0.5); err == nil {
		t.Error("infinite b accepted")
	}
	m, _ := New([][]float64{{0, 1}, {0}}, 0.5)
	for _, raw := range [][]int{{1}, {3, 0}, {-1, 0}, {0, 2}} {
		if _, err := m.Posterior(raw); err == nil {
			t.Errorf("Posterior(%v) accepted", raw)
		}
	}
}

// TestWeakestIsCalibrated simulates candidates from the domain model on a
// CLF-C02 full form (12/15/17/6 scored items) and on the diagnostic
// (2/3/4/1) and checks that, among reports naming a weakest domain with
// probability about q, the named domain was the true lowest in about a
// share q of cases. It prints the table (go test -v) that the scoring
// documentation quotes.
func TestWeakestIsCalibrated(t *testing.T) {
	for _, form := range []struct {
		name   string
		counts []int
		n      int
	}{
		{"full", []int{12, 15, 17, 6}, 20000},
		{"diagnostic", []int{2, 3, 4, 1}, 20000},
	} {
		t.Run(form.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(len(form.counts[0:1])+form.counts[0])))
			const tau = 0.5
			domains := make([][]float64, len(form.counts))
			for d, c := range form.counts {
				for range c {
					domains[d] = append(domains[d], rng.NormFloat64()*0.8)
				}
			}
			m, err := New(domains, tau)
			if err != nil {
				t.Fatal(err)
			}
			const bins = 5
			var said, right, count [bins]float64
			for range form.n {
				theta := rng.NormFloat64()
				raw := make([]int, len(domains))
				trueLow, lowVal := 0, math.Inf(1)
				for d, bs := range domains {
					td := theta + tau*rng.NormFloat64()
					if td < lowVal {
						trueLow, lowVal = d, td
					}
					for _, b := range bs {
						if rng.Float64() < irt.P(td, b) {
							raw[d]++
						}
					}
				}
				r, err := m.Posterior(raw)
				if err != nil {
					t.Fatal(err)
				}
				q := r.Lowest[r.Weakest]
				k := min(int(q*bins), bins-1)
				said[k] += q
				count[k]++
				if r.Weakest == trueLow {
					right[k]++
				}
			}
			var table strings.Builder
			fmt.Fprintf(&table, "%-10s %8s %10s %10s\n", "stated", "reports", "mean q", "observed")
			for k := range bins {
				if count[k] == 0 {
					continue
				}
				q, obs := said[k]/count[k], right[k]/count[k]
				fmt.Fprintf(&table, "%.1f-%.1f    %8.0f %10.3f %10.3f\n", float64(k)/bins, float64(k+1)/bins, count[k], q, obs)
				// Binomial SE of the observed share, plus a little for the
				// spread of q inside the bin.
				se := math.Sqrt(q*(1-q)/count[k]) + 0.005
				if count[k] >= 200 && math.Abs(obs-q) > 4*se {
					t.Errorf("bin %d: stated %.3f, observed %.3f over %v reports", k, q, obs, count[k])
				}
			}
			t.Logf("weakest-domain calibration, %s form, %d simulated candidates (tau %.1f):\n%s", form.name, form.n, tau, table.String())
		})
	}
}

func BenchmarkPosteriorFullForm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	domains := make([][]float64, 4)
	for d, c := range []int{12, 15, 17, 6} {
		for range c {
			domains[d] = append(domains[d], rng.NormFloat64())
		}
	}
	m, _ := New(domains, 0.5)
	for i := 0; b.Loop(); i++ {
		m.cache = map[string]Result{} // measure the quadrature, not the cache
		m.parts = map[[2]int]*domainPart{}
		if _, err := m.Posterior([]int{i % 13, 7, 9, 3}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPosteriorCachedParts(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	domains := make([][]float64, 4)
	for d, c := range []int{12, 15, 17, 6} {
		for range c {
			domains[d] = append(domains[d], rng.NormFloat64())
		}
	}
	m, _ := New(domains, 0.5)
	for i := 0; b.Loop(); i++ {
		m.cache = map[string]Result{} // the parts stay; each attempt pays the combination
		if _, err := m.Posterior([]int{i % 13, 7, 9, 3}); err != nil {
			b.Fatal(err)
		}
	}
}
