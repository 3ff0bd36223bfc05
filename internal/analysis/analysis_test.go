package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// simItem describes how simulated candidates answer an item.
type simItem struct {
	b        float64
	key      int        // declared key letter
	truth    int        // letter that is really right (== key unless miskeyed)
	weights  [4]float64 // how wrong answers spread over the letters
	attract  int        // a letter that candidates with theta > 0.5 pick 40 % of the time (-1: none)
	omitRate float64
}

func defaultItem(b float64, key int) simItem {
	w := [4]float64{1, 1, 1, 1}
	w[key] = 0
	return simItem{b: b, key: key, truth: key, weights: w, attract: -1, omitRate: 0.01}
}

// simDataset builds forms of `scored` scored items (common to every form
// when shared, else distinct) and `pretest` pretest items per form, with
// `persons` attempts per form.
func simDataset(rng *rand.Rand, items []simItem, forms [][2][]int, persons int) *Dataset {
	d := &Dataset{}
	for i, it := range items {
		d.Items = append(d.Items, Item{ID: fmt.Sprintf("Q%03d", i), Revision: 1, Type: "single", Letters: 4, Key: 1 << it.key})
	}
	for f, fs := range forms {
		form := Form{Form: fmt.Sprintf("FORM-%c", 'A'+f), Bundle: "1.0.0"}
		for _, i := range fs[0] {
			form.Slots = append(form.Slots, Slot{Item: i, Role: RoleScored})
		}
		for _, i := range fs[1] {
			form.Slots = append(form.Slots, Slot{Item: i, Role: RolePretest})
		}
		d.Forms = append(d.Forms, form)
		for p := range persons {
			theta := rng.NormFloat64()
			a := Attempt{ID: fmt.Sprintf("a-%d-%d", f, p), Candidate: fmt.Sprintf("c-%d-%d", f, p), Form: f}
			for _, s := range form.Slots {
				a.Responses = append(a.Responses, simAnswer(rng, items[s.Item], d.Items[s.Item], theta))
			}
			d.Attempts = append(d.Attempts, a)
		}
	}
	return d
}

func simAnswer(rng *rand.Rand, si simItem, it Item, theta float64) Response {
	var letter int
	switch {
	case rng.Float64() < si.omitRate:
		return Response{Presented: true}
	case si.attract >= 0 && theta > 0.5 && rng.Float64() < 0.4:
		letter = si.attract
	case rng.Float64() < 1/(1+math.Exp(-(theta-si.b))):
		letter = si.truth
	default:
		w := si.weights
		w[si.truth] = 0
		tot := w[0] + w[1] + w[2] + w[3]
		u := rng.Float64() * tot
		for letter = 0; letter < 3 && u >= w[letter]; letter++ {
			u -= w[letter]
		}
	}
	chosen := uint32(1) << letter
	return Response{Presented: true, Chosen: chosen, Correct: chosen == it.Key}
}

// standardDesign: 2 forms of 40 scored items (30 common) and 6 pretest
// items each.
func standardDesign(rng *rand.Rand) ([]simItem, [][2][]int) {
	var items []simItem
	for i := range 62 {
		items = append(items, defaultItem(rng.NormFloat64()*0.8, i%4))
	}
	var formA, formB [2][]int
	for i := range 30 {
		formA[0] = append(formA[0], i)
		formB[0] = append(formB[0], i)
	}
	for i := range 10 {
		formA[0] = append(formA[0], 30+i)
		formB[0] = append(formB[0], 40+i)
	}
	for i := range 6 {
		formA[1] = append(formA[1], 50+i)
		formB[1] = append(formB[1], 56+i)
	}
	return items, [][2][]int{formA, formB}
}

func findItem(t *testing.T, rep *Report, id string) *ItemReport {
	t.Helper()
	for i := range rep.Items {
		if rep.Items[i].ID == id {
			return &rep.Items[i]
		}
	}
	t.Fatalf("no item %s", id)
	return nil
}

func TestFlags(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	items, forms := standardDesign(rng)
	// Q001: key B declared, but A is right.
	items[1] = defaultItem(-0.3, 1)
	items[1].truth = 0
	items[1].weights = [4]float64{1, 1, 1, 1}
	// Q002: high scorers are drawn to C.
	items[2] = defaultItem(0, 0)
	items[2].attract = 2
	// Q003: nobody chooses D.
	items[3] = defaultItem(0, 0)
	items[3].weights = [4]float64{0, 1, 1, 0}
	// Q052 (pretest): miskeyed too; it must be flagged against the scored total.
	items[52] = defaultItem(0.2, 3)
	items[52].truth = 1
	items[52].weights = [4]float64{1, 1, 1, 1}
	d := simDataset(rng, items, forms, 1500)
	rep, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CalibrationError != "" {
		t.Fatal(rep.CalibrationError)
	}
	want := map[string]string{
		"Q001": FlagPossibleMiskey,
		"Q002": FlagDistractorPositive,
		"Q003": FlagNonfunctionalDistractor,
		"Q052": FlagPossibleMiskey,
	}
	for id, flag := range want {
		ir := findItem(t, rep, id)
		if !slices.Contains(ir.Flags, flag) {
			t.Errorf("%s: flags %v; want %s (options %+v)", id, ir.Flags, flag, ir.Options)
		}
	}
	// A well-behaved item of middling difficulty has none of these.
	for _, ir := range rep.Items {
		if ir.ID == "Q001" || ir.ID == "Q002" || ir.ID == "Q052" {
			continue
		}
		for _, f := range []string{FlagPossibleMiskey, FlagDistractorPositive, FlagNegativeDiscrimination} {
			if slices.Contains(ir.Flags, f) {
				t.Errorf("%s: unexpected %s (pbis %.3f, options %+v)", ir.ID, f, ir.PointBiserial, ir.Options)
			}
		}
	}
	// Roles and forms.
	if ir := findItem(t, rep, "Q000"); ir.Role != RoleScored || strings.Join(ir.Forms, ",") != "FORM-A,FORM-B" || ir.Responses != 3000 {
		t.Errorf("Q000: %s %v %d", ir.Role, ir.Forms, ir.Responses)
	}
	if ir := findItem(t, rep, "Q050"); ir.Role != RolePretest || ir.Rasch == nil || ir.Responses != 1500 {
		t.Errorf("Q050: %+v", ir)
	}
	if len(rep.Forms) != 2 || len(rep.Forms[0].Theta) != 41 || len(rep.Forms[0].AlphaIfDeleted) != 40 {
		t.Errorf("forms: %d, theta rows %d", len(rep.Forms), len(rep.Forms[0].Theta))
		for _, ir := range rep.Items {
			if ir.Rasch == nil {
				t.Logf("%s not calibrated: %v", ir.ID, ir.Flags)
			}
		}
	}
}

func TestThresholdEdges(t *testing.T) {
	th := DefaultThresholds()
	it := Item{Letters: 4, Key: 1}
	base := ItemReport{Responses: 500, PValue: 0.6, PointBiserial: 0.3,
		Options: []OptionReport{{Key: true, Share: 0.6, PointBiserial: 0.3},
			{Share: 0.2, PointBiserial: -0.2}, {Share: 0.1, PointBiserial: -0.1}, {Share: 0.1, PointBiserial: -0.1}},
		Rasch: &RaschItem{Infit: 1, Outfit: 1}}
	cs := calStatus{tried: true, fitOK: true}
	if f := flags(it, &base, th, cs); len(f) != 0 {
		t.Fatalf("clean item flagged %v", f)
	}
	tests := []struct {
		name string
		edit func(*ItemReport, *Item)
		want []string
	}{
		{"too easy", func(r *ItemReport, _ *Item) { r.PValue = 0.951 }, []string{FlagTooEasy}},
		{"not too easy at 0.95", func(r *ItemReport, _ *Item) { r.PValue = 0.95 }, nil},
		{"too hard below 0.30 for 4 options", func(r *ItemReport, _ *Item) { r.PValue = 0.29 }, []string{FlagTooHard}},
		{"too hard below 0.05+1/6 for 2 of 4", func(r *ItemReport, it *Item) { it.Key = 3; r.PValue = 0.2 }, []string{FlagTooHard}},
		{"not too hard at 0.22 for 2 of 4", func(r *ItemReport, it *Item) { it.Key = 3; r.PValue = 0.22 }, nil},
		{"low discrimination", func(r *ItemReport, _ *Item) { r.PointBiserial = 0.149 }, []string{FlagLowDiscrimination}},
		{"negative", func(r *ItemReport, _ *Item) { r.PointBiserial = -0.01 }, []string{FlagNegativeDiscrimination}},
		{"high omit", func(r *ItemReport, _ *Item) { r.Omitted = 0.051 }, []string{FlagHighOmit}},
		{"misfit infit", func(r *ItemReport, _ *Item) { r.Rasch = &RaschItem{Infit: 1.31, Outfit: 1} }, []string{FlagMisfit}},
		{"misfit outfit", func(r *ItemReport, _ *Item) { r.Rasch = &RaschItem{Infit: 1, Outfit: 0.69} }, []string{FlagMisfit}},
		{"few", func(r *ItemReport, _ *Item) { r.Responses = 199 }, []string{FlagFewResponses}},
		{"nonfunctional", func(r *ItemReport, _ *Item) { r.Options[3].Share = 0.049 }, []string{FlagNonfunctionalDistractor}},
		{"distractor positive", func(r *ItemReport, _ *Item) { r.Options[2].PointBiserial = 0.05 }, []string{FlagDistractorPositive}},
		{"miskey", func(r *ItemReport, _ *Item) { r.Options[1].PointBiserial = 0.35 }, []string{FlagPossibleMiskey, FlagDistractorPositive}},
	}
	for _, tt := range tests {
		r := base
		r.Options = slices.Clone(base.Options)
		i := it
		tt.edit(&r, &i)
		got := flags(i, &r, th, cs)
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%s: flags %v; want %v", tt.name, got, tt.want)
		}
	}
}

// Answers to pretest items never change any statistic of a scored item,
// nor any form statistic.
func TestPretestInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	items, forms := standardDesign(rng)
	d := simDataset(rng, items, forms, 400)
	rep1, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for ai := range d.Attempts {
		a := &d.Attempts[ai]
		for j, s := range d.Forms[a.Form].Slots {
			if s.Role == RolePretest {
				c := uint32(1) << rng.IntN(4)
				if rng.IntN(10) == 0 {
					c = 0
				}
				a.Responses[j] = Response{Presented: true, Chosen: c, Correct: c == d.Items[s.Item].Key}
			}
		}
	}
	rep2, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i := range rep1.Items {
		a, b := rep1.Items[i], rep2.Items[i]
		if a.Role == RolePretest {
			if !reflect.DeepEqual(a, b) {
				changed++
			}
			continue
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("scored item %s changed:\n%+v\n%+v", a.ID, a, b)
		}
	}
	if changed == 0 {
		t.Error("rewriting the pretest answers changed no pretest statistic: the test proves nothing")
	}
	if !reflect.DeepEqual(rep1.Forms, rep2.Forms) {
		t.Error("form statistics changed")
	}
}

// Reordering the attempts changes nothing at all.
func TestOrderInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	items, forms := standardDesign(rng)
	d := simDataset(rng, items, forms, 300)
	rep1, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for trial := range 3 {
		rng.Shuffle(len(d.Attempts), func(i, j int) { d.Attempts[i], d.Attempts[j] = d.Attempts[j], d.Attempts[i] })
		rep2, err := Analyze(context.Background(), d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rep1, rep2) {
			t.Fatalf("trial %d: the report depends on the order of the attempts", trial)
		}
	}
}

// The corrected point-biserial, option statistics, KR-20 and
// alpha-if-deleted equal a direct computation from the 0/1 data.
func TestAgainstDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	items, forms := standardDesign(rng)
	d := simDataset(rng, items, forms[:1], 250)
	rep, err := Analyze(context.Background(), d, Options{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	f := d.Forms[0]
	var scoredSlots []int
	for j, s := range f.Slots {
		if s.Role == RoleScored {
			scoredSlots = append(scoredSlots, j)
		}
	}
	N := len(d.Attempts)
	total := make([]float64, N)
	for ai, a := range d.Attempts {
		for _, j := range scoredSlots {
			if a.Responses[j].Correct {
				total[ai]++
			}
		}
	}
	x := func(ai, j int) float64 {
		if d.Attempts[ai].Responses[j].Correct {
			return 1
		}
		return 0
	}
	for j, s := range f.Slots {
		ir := findItem(t, rep, d.Items[s.Item].ID)
		crit := make([]float64, N)
		xs := make([]float64, N)
		for ai := range d.Attempts {
			xs[ai] = x(ai, j)
			crit[ai] = total[ai]
			if s.Role == RoleScored {
				crit[ai] -= xs[ai]
			}
		}
		if want := pearson(xs, crit); math.Abs(ir.PointBiserial-want) > 1e-12 {
			t.Errorf("%s: pbis %v; direct %v", ir.ID, ir.PointBiserial, want)
		}
		for l, o := range ir.Options {
			ch := make([]float64, N)
			sumT, n := 0.0, 0.0
			for ai, a := range d.Attempts {
				if a.Responses[j].Chosen&(1<<l) != 0 {
					ch[ai] = 1
					sumT += total[ai]
					n++
				}
			}
			if want := pearson(ch, crit); math.Abs(o.PointBiserial-want) > 1e-12 {
				t.Errorf("%s %s: option pbis %v; direct %v", ir.ID, o.Letter, o.PointBiserial, want)
			}
			if n > 0 && math.Abs(o.MeanScore-sumT/n) > 1e-12 || math.Abs(o.Share-n/float64(N)) > 1e-12 {
				t.Errorf("%s %s: mean %v share %v", ir.ID, o.Letter, o.MeanScore, o.Share)
			}
		}
	}
	alpha := func(drop int) float64 {
		var cols [][]float64
		for _, j := range scoredSlots {
			if j == drop {
				continue
			}
			c := make([]float64, N)
			for ai := range c {
				c[ai] = x(ai, j)
			}
			cols = append(cols, c)
		}
		k := float64(len(cols))
		tot := make([]float64, N)
		sv := 0.0
		for _, c := range cols {
			sv += variance(c)
			for ai := range c {
				tot[ai] += c[ai]
			}
		}
		return k / (k - 1) * (1 - sv/variance(tot))
	}
	fr := rep.Forms[0]
	if want := alpha(-1); math.Abs(fr.KR20-want) > 1e-12 {
		t.Errorf("KR-20 %v; direct alpha %v", fr.KR20, want)
	}
	if math.Abs(fr.SD-math.Sqrt(variance(total))) > 1e-12 {
		t.Errorf("SD %v", fr.SD)
	}
	for x, j := range scoredSlots {
		if want := alpha(j); math.Abs(fr.AlphaIfDeleted[x].Alpha-want) > 1e-12 {
			t.Errorf("alpha without %s: %v; direct %v", fr.AlphaIfDeleted[x].ID, fr.AlphaIfDeleted[x].Alpha, want)
		}
	}
}

func pearson(x, y []float64) float64 {
	mx, my := mean(x), mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func variance(x []float64) float64 {
	m := mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x))
}

// Two forms without a common item: the calibration says so and names the
// forms; CTT still stands. Anchors on both sides make it work.
func TestDisconnectedReport(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var items []simItem
	for i := range 20 {
		items = append(items, defaultItem(rng.NormFloat64(), i%4))
	}
	forms := [][2][]int{{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, nil}, {{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, nil}}
	d := simDataset(rng, items, forms, 300)
	rep, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Calibration != nil || !strings.Contains(rep.CalibrationError, "FORM-A (bundle 1.0.0)") || !strings.Contains(rep.CalibrationError, "FORM-B (bundle 1.0.0)") {
		t.Errorf("calibration %+v, error %q", rep.Calibration, rep.CalibrationError)
	}
	if rep.Items[0].Rasch != nil || rep.Items[0].PValue == 0 || len(rep.Forms[0].Theta) != 0 {
		t.Errorf("item %+v", rep.Items[0])
	}
	rep, err = Analyze(context.Background(), d, Options{Anchors: map[string]float64{"Q000@1": 0.5, "Q010": -0.2}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CalibrationError != "" || rep.Calibration.Anchored != 2 || rep.Items[0].Rasch.B != 0.5 || !rep.Items[0].Rasch.Anchored || rep.Items[10].Rasch.B != -0.2 {
		t.Errorf("anchored: %q %+v", rep.CalibrationError, rep.Calibration)
	}
	// An anchor for another revision does not apply.
	rep, _ = Analyze(context.Background(), d, Options{Anchors: map[string]float64{"Q000@2": 0.5, "Q010": -0.2}})
	if rep.CalibrationError == "" {
		t.Error("an anchor for revision 2 anchored revision 1")
	}
}

// An item everyone answers right cannot be calibrated: it is flagged and
// the others are calibrated.
func TestNotCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	items, forms := standardDesign(rng)
	d := simDataset(rng, items, forms, 300)
	for ai := range d.Attempts {
		a := &d.Attempts[ai]
		for j, s := range d.Forms[a.Form].Slots {
			if s.Item == 5 || s.Item == 51 {
				k := d.Items[s.Item].Key
				a.Responses[j] = Response{Presented: true, Chosen: k, Correct: true}
			}
		}
	}
	rep, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"Q005", "Q051"} {
		ir := findItem(t, rep, id)
		if ir.Rasch != nil || !slices.Contains(ir.Flags, FlagNotCalibrated) || !slices.Contains(ir.Flags, FlagTooEasy) {
			t.Errorf("%s: %+v", id, ir)
		}
	}
	if ir := findItem(t, rep, "Q006"); ir.Rasch == nil || slices.Contains(ir.Flags, FlagNotCalibrated) {
		t.Errorf("Q006: %+v", ir)
	}
	// The person table needs every scored item: Q005 is scored on both forms.
	if len(rep.Forms[0].Theta) != 0 {
		t.Errorf("theta table with an uncalibrated scored item")
	}
}

func TestTraceAndCurve(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	items, forms := standardDesign(rng)
	d := simDataset(rng, items, forms, 1000)
	rep, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ir := range rep.Items {
		tr := ir.Trace
		if tr == nil || len(tr.Groups) < 4 || len(tr.Groups) > 5 {
			t.Fatalf("%s: trace %+v", ir.ID, tr)
		}
		n := 0
		for gi, g := range tr.Groups {
			n += g.N
			s := 0.0
			for _, x := range g.Shares {
				s += x
			}
			if math.Abs(s-1) > 1e-12 || len(g.Shares) != 5 {
				t.Errorf("%s group %d: shares %v", ir.ID, gi, g.Shares)
			}
			if gi > 0 && g.MinScore <= tr.Groups[gi-1].MaxScore {
				t.Errorf("%s: groups overlap", ir.ID)
			}
		}
		if n != ir.Responses {
			t.Errorf("%s: trace has %d of %d responses", ir.ID, n, ir.Responses)
		}
		// The key's share rises from the lowest to the highest group.
		key := bitsIndex(d.Items[findIndex(d, ir.ID)].Key)
		if lo, hi := tr.Groups[0].Shares[key], tr.Groups[len(tr.Groups)-1].Shares[key]; hi <= lo {
			t.Errorf("%s: key share %v -> %v", ir.ID, lo, hi)
		}
		// Rasch data: observed and model agree within sampling error.
		for _, p := range ir.Curve {
			se := math.Sqrt(p.Model * (1 - p.Model) / float64(p.N))
			if math.Abs(p.Observed-p.Model) > 5*se+0.03 {
				t.Errorf("%s: curve point %+v", ir.ID, p)
			}
		}
		if len(ir.Curve) != len(tr.Groups) {
			t.Errorf("%s: %d curve points", ir.ID, len(ir.Curve))
		}
	}
}

func bitsIndex(k uint32) int {
	for l := range 32 {
		if k&(1<<l) != 0 {
			return l
		}
	}
	return -1
}

func findIndex(d *Dataset, id string) int {
	for i, it := range d.Items {
		if it.ID == id {
			return i
		}
	}
	return -1
}

func TestScoreGroups(t *testing.T) {
	tests := []struct {
		hist []int64
		g    int
		want []int
		n    int
	}{
		{[]int64{10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 5, []int{0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, 5},
		{[]int64{0, 5, 0, 5}, 5, []int{-1, 0, -1, 1}, 2},
		{[]int64{100}, 5, []int{0}, 1},
		{[]int64{1, 98, 1}, 5, []int{0, 1, 2}, 3},
		{nil, 5, []int{}, 0},
	}
	for _, tt := range tests {
		got, n := scoreGroups(tt.hist, tt.g)
		if !slices.Equal(got, tt.want) || n != tt.n {
			t.Errorf("scoreGroups(%v) = %v, %d; want %v, %d", tt.hist, got, n, tt.want, tt.n)
		}
	}
}

func TestBadDataset(t *testing.T) {
	good := func() *Dataset {
		return &Dataset{Items: []Item{{ID: "A", Letters: 4, Key: 1}}, Forms: []Form{{Form: "F", Slots: []Slot{{Item: 0, Role: RoleScored}}}},
			Attempts: []Attempt{{ID: "x", Form: 0, Responses: []Response{{Presented: true}}}}}
	}
	if _, err := Analyze(context.Background(), good(), Options{}); err != nil {
		t.Fatalf("good dataset: %v", err)
	}
	for name, edit := range map[string]func(*Dataset){
		"item out of range": func(d *Dataset) { d.Forms[0].Slots[0].Item = 3 },
		"bad role":          func(d *Dataset) { d.Forms[0].Slots[0].Role = "x" },
		"form out of range": func(d *Dataset) { d.Attempts[0].Form = 1 },
		"short responses":   func(d *Dataset) { d.Attempts[0].Responses = nil },
		"item twice": func(d *Dataset) {
			d.Forms[0].Slots = append(d.Forms[0].Slots, d.Forms[0].Slots[0])
			d.Attempts[0].Responses = append(d.Attempts[0].Responses, Response{})
		},
	} {
		d := good()
		edit(d)
		if _, err := Analyze(context.Background(), d, Options{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Analyze(ctx, good(), Options{}); err == nil {
		t.Error("cancelled context ignored")
	}
}

// Anchoring every scored item at its estimate (the second run of
// analyze, with stats.yaml) leaves nothing to estimate in stage 1 and
// gives the pretest items the same b as the first run.
func TestScoredAnchoredPretestFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	items, forms := standardDesign(rng)
	d := simDataset(rng, items, forms, 400)
	rep1, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]float64{}
	for _, ir := range rep1.Items {
		if ir.Role == RoleScored {
			anchors[fmt.Sprintf("%s@%d", ir.ID, ir.Revision)] = ir.Rasch.B
		}
	}
	rep2, err := Analyze(context.Background(), d, Options{Anchors: anchors})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.CalibrationError != "" || rep2.Calibration.Anchored != len(anchors) {
		t.Fatalf("%q %+v", rep2.CalibrationError, rep2.Calibration)
	}
	for i, ir := range rep2.Items {
		if ir.Role == RolePretest && math.Abs(ir.Rasch.B-rep1.Items[i].Rasch.B) > 1e-8 {
			t.Errorf("%s: b %v; first run %v", ir.ID, ir.Rasch.B, rep1.Items[i].Rasch.B)
		}
		if ir.Role == RoleScored && (!ir.Rasch.Anchored || ir.Rasch.SE != 0) {
			t.Errorf("%s: %+v", ir.ID, ir.Rasch)
		}
	}
}
