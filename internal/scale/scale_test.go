package scale

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/qbank/qbank/internal/blueprint"
)

var clf = Scale{Min: 100, Max: 1000, Pass: 700, Slope: 100, ThetaCut: 0}

// Four items of difficulty 0: the TCC is 4/(1+exp(-theta)), so theta(r) =
// ln(r/(4-r)) and SE(r) = 1/sqrt(4 p (1-p)) with p = r/4, the extremes
// solved for 0.3 and 3.7. The values below were worked out by hand:
//
//	raw 0: ln(0.3/3.7) = -2.512306, 700 - 251.23 = 448.77 -> 449
//	raw 1: ln(1/3)     = -1.098612, 700 - 109.86 = 590.14 -> 590
//	raw 2: 0                                    = 700
//	raw 3: ln 3        =  1.098612, 809.86      -> 810
//	raw 4: ln(3.7/0.3) =  2.512306, 951.23      -> 951
func TestTableByHand(t *testing.T) {
	tab, err := clf.Table([]float64{0, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		theta, se float64
		scaled    int
		pass      bool
	}{
		{-2.512306, 1 / math.Sqrt(4*0.075*0.925), 449, false},
		{-1.098612, 1 / math.Sqrt(0.75), 590, false},
		{0, 1, 700, true},
		{1.098612, 1 / math.Sqrt(0.75), 810, true},
		{2.512306, 1 / math.Sqrt(4*0.075*0.925), 951, true},
	}
	if len(tab.Rows) != len(want) {
		t.Fatalf("%d rows; want %d", len(tab.Rows), len(want))
	}
	for r, w := range want {
		got := tab.Rows[r]
		if got.Raw != r || math.Abs(got.Theta-w.theta) > 1e-6 || math.Abs(got.SE-w.se) > 1e-9 || got.Scaled != w.scaled || got.Pass != w.pass {
			t.Errorf("raw %d: got %+v; want theta %.6f se %.6f scaled %d pass %t", r, got, w.theta, w.se, w.scaled, w.pass)
		}
	}
	if tab.CutRaw != 2 {
		t.Errorf("cut raw %d; want 2", tab.CutRaw)
	}
	if got := clf.ScaledSE(tab.Rows[1].SE); got != 115 {
		t.Errorf("scaled SE of raw 1 = %d; want 115 (100/sqrt(0.75) = 115.47)", got)
	}
	// The same form with theta_cut at theta(3): raw 3 is the first pass.
	s := clf
	s.ThetaCut = tab.Rows[3].Theta
	if c, _ := s.CutRaw([]float64{0, 0, 0, 0}); c != 3 {
		t.Errorf("cut at theta(3): cut raw %d; want 3", c)
	}
}

// Items -1, 0, 1: by symmetry theta(1) = -theta(2) and at theta 0 the
// expected score is exactly 1.5.
func TestSymmetricForm(t *testing.T) {
	bs := []float64{-1, 0, 1}
	tab, err := clf.Table(bs)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(tab.Rows[1].Theta+tab.Rows[2].Theta) > 1e-9 || math.Abs(tab.Rows[0].Theta+tab.Rows[3].Theta) > 1e-9 {
		t.Errorf("table not symmetric: %+v", tab.Rows)
	}
	if got := ExpectedScore(0, bs); math.Abs(got-1.5) > 1e-12 {
		t.Errorf("expected score at 0 = %v; want 1.5", got)
	}
	// P(0,-1)(1-P) = e/(1+e)^2 twice, plus 0.25.
	e := math.E
	if got, want := clf.InformationAtCut(bs), 0.25+2*e/((1+e)*(1+e)); math.Abs(got-want) > 1e-12 {
		t.Errorf("information at cut = %v; want %v", got, want)
	}
}

func TestScaledRounding(t *testing.T) {
	s := Scale{Min: 100, Max: 1000, Pass: 700, Slope: 2, ThetaCut: 0}
	tests := []struct {
		theta float64
		want  int
	}{
		{0.25, 701},  // 700.5 rounds up
		{-0.25, 700}, // 699.5 rounds up
		{0.24, 700},  // 700.48
		{-1000, 100}, // clamped
		{1000, 1000}, // clamped
		{math.Inf(1), 1000},
		{math.Inf(-1), 100},
		{math.NaN(), 100},
	}
	for _, tt := range tests {
		if got := s.Scaled(tt.theta); got != tt.want {
			t.Errorf("Scaled(%v) = %d; want %d", tt.theta, got, tt.want)
		}
	}
	// Half up, not half away from zero: -0.5 becomes 0.
	neg := Scale{Min: -1000, Max: 1000, Pass: 0, Slope: 1, ThetaCut: 0}
	if got := neg.Scaled(-0.5); got != 0 {
		t.Errorf("Scaled(-0.5) = %d; want 0 (round half up)", got)
	}
}

func TestNew(t *testing.T) {
	s := New(blueprint.Scale{Min: 100, Max: 1000, Pass: 700}, 0.4)
	if s.Slope != blueprint.DefaultSlope || s.ThetaCut != 0.4 || s.Pass != 700 {
		t.Errorf("New = %+v", s)
	}
}

func TestTableErrors(t *testing.T) {
	if _, err := clf.Table(nil); err == nil {
		t.Error("empty form accepted")
	}
	if _, err := clf.Table([]float64{0, math.Inf(1)}); err == nil {
		t.Error("infinite difficulty accepted")
	}
}

func randomForm(rng *rand.Rand) []float64 {
	n := 1 + rng.IntN(60)
	bs := make([]float64, n)
	center := rng.NormFloat64()
	spread := 0.2 + 2*rng.Float64()
	for i := range bs {
		bs[i] = center + spread*rng.NormFloat64()
	}
	return bs
}

func randomScale(rng *rand.Rand) Scale {
	return Scale{Min: 100, Max: 1000, Pass: 700, Slope: 20 + 180*rng.Float64(), ThetaCut: rng.NormFloat64()}
}

// The invariants of FORMAT.md over thousands of random forms.
func TestTableProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 3000 {
		s := randomScale(rng)
		a, b := randomForm(rng), randomForm(rng)
		ta, err := s.Table(a)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		tb, err := s.Table(b)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if p := s.CheckTable(ta.Rows, ta.CutRaw); len(p) > 0 {
			t.Fatalf("trial %d: a computed table fails its own check: %v", trial, p)
		}
		// Scaled never falls as raw rises; theta rises strictly, so raw 0
		// and raw S hold the smallest and largest theta.
		for r := 1; r < len(ta.Rows); r++ {
			if ta.Rows[r].Scaled < ta.Rows[r-1].Scaled || ta.Rows[r].Theta <= ta.Rows[r-1].Theta {
				t.Fatalf("trial %d: raw %d: %+v after %+v", trial, r, ta.Rows[r], ta.Rows[r-1])
			}
		}
		thetas := make([]float64, len(ta.Rows))
		for i, r := range ta.Rows {
			thetas[i] = r.Theta
		}
		if slices.Min(thetas) != ta.Rows[0].Theta || slices.Max(thetas) != ta.Rows[len(a)].Theta {
			t.Fatalf("trial %d: extreme thetas not at raw 0 and S", trial)
		}
		// The cut raw is the smallest raw whose scaled reaches pass.
		for _, r := range ta.Rows {
			if (r.Scaled >= s.Pass) != (ta.CutRaw >= 0 && r.Raw >= ta.CutRaw) {
				t.Fatalf("trial %d: cut raw %d disagrees with raw %d scaled %d", trial, ta.CutRaw, r.Raw, r.Scaled)
			}
		}
		// Two forms: the same theta gets the same scaled score, and a
		// higher theta on one form never gets less than a lower theta on
		// the other.
		for _, ra := range ta.Rows {
			if ra.Scaled != s.Scaled(ra.Theta) {
				t.Fatalf("trial %d: raw %d scaled %d is not Scaled(theta) %d", trial, ra.Raw, ra.Scaled, s.Scaled(ra.Theta))
			}
			for _, rb := range tb.Rows {
				if rb.Theta >= ra.Theta && rb.Scaled < ra.Scaled {
					t.Fatalf("trial %d: theta %v on b scaled %d below theta %v on a scaled %d", trial, rb.Theta, rb.Scaled, ra.Theta, ra.Scaled)
				}
			}
		}
		// Every item harder by d: every theta(r) higher by exactly d, and
		// with the cut moved by d too the scaled scores are the same.
		d := 3 * rng.NormFloat64()
		shifted := make([]float64, len(a))
		for i := range a {
			shifted[i] = a[i] + d
		}
		moved := s
		moved.ThetaCut += d
		ts, err := moved.Table(shifted)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for r := range ta.Rows {
			if math.Abs(ts.Rows[r].Theta-ta.Rows[r].Theta-d) > 1e-8 {
				t.Fatalf("trial %d: raw %d: theta moved by %v; want %v", trial, r, ts.Rows[r].Theta-ta.Rows[r].Theta, d)
			}
			if math.Abs(ts.Rows[r].SE-ta.Rows[r].SE) > 1e-8 {
				t.Fatalf("trial %d: raw %d: se changed under a shift", trial, r)
			}
		}
		// A harder form (same cut) never needs more correct answers.
		if hard, _ := s.CutRaw(shifted); d > 0 && ta.CutRaw >= 0 && hard > ta.CutRaw {
			t.Fatalf("trial %d: items harder by %v raise the cut raw from %d to %d", trial, d, ta.CutRaw, hard)
		}
	}
}

func TestCheckTableCatchesTampering(t *testing.T) {
	tab, err := clf.Table([]float64{-1, -0.5, 0, 0.5, 1, 1.5})
	if err != nil {
		t.Fatal(err)
	}
	tamper := []struct {
		name string
		edit func(rows []Row) int
	}{
		{"scaled raised", func(rows []Row) int { rows[2].Scaled += 40; return tab.CutRaw }},
		{"pass flipped", func(rows []Row) int { rows[1].Pass = !rows[1].Pass; return tab.CutRaw }},
		{"cut moved", func(rows []Row) int { return tab.CutRaw + 1 }},
		{"theta swapped", func(rows []Row) int { rows[3].Theta, rows[4].Theta = rows[4].Theta, rows[3].Theta; return tab.CutRaw }},
		{"raw renumbered", func(rows []Row) int { rows[5].Raw = 7; return tab.CutRaw }},
		{"se zero", func(rows []Row) int { rows[0].SE = 0; return tab.CutRaw }},
		{"theta NaN", func(rows []Row) int { rows[0].Theta = math.NaN(); return tab.CutRaw }},
	}
	for _, tt := range tamper {
		rows := slices.Clone(tab.Rows)
		cut := tt.edit(rows)
		if p := clf.CheckTable(rows, cut); len(p) == 0 {
			t.Errorf("%s: no problem found", tt.name)
		}
	}
	if p := clf.CheckTable(tab.Rows, tab.CutRaw); len(p) != 0 {
		t.Errorf("untouched table: %v", p)
	}
}

func TestRounded(t *testing.T) {
	s := clf
	s.ThetaCut = Round(0.1234567)
	if s.ThetaCut != 0.123457 {
		t.Fatalf("Round = %v", s.ThetaCut)
	}
	tab, err := s.Table([]float64{-1, 0.3, 0.5, 2})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Rounded(tab)
	for i, row := range r.Rows {
		if row.Theta != Round(tab.Rows[i].Theta) || math.Abs(row.Theta-tab.Rows[i].Theta) > 5e-7 {
			t.Errorf("raw %d: theta %v from %v", i, row.Theta, tab.Rows[i].Theta)
		}
	}
	if p := s.CheckTable(r.Rows, r.CutRaw); len(p) > 0 {
		t.Errorf("rounded table fails its check: %v", p)
	}
}
