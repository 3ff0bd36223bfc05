package scorereport

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/scale"
	"github.com/qbank/qbank/internal/testbank"
)

// smallForm has four scored items of difficulty 0 (two per domain) and two
// pretest items, with theta_cut 0, pass 700 and slope 100. With all b = 0
// the ML theta of raw r on S items is log(r / (S - r)) and its SE is
// 1 / sqrt(S p (1 - p)) with p = r / S, so the table can be checked by hand.
func smallForm(t *testing.T) Form {
	t.Helper()
	sc := scale.New(blueprint.Scale{Min: 100, Max: 1000, Pass: 700, Slope: 100}, 0)
	bs := []float64{0, 0, 0, 0}
	table, err := sc.Table(bs)
	if err != nil {
		t.Fatal(err)
	}
	return Form{
		Exam: "TST", Form: "TST-A", Version: 1, Bundle: "1.0.0",
		Domains: []Domain{{ID: "alpha", Name: "Alpha", Weight: 60}, {ID: "beta", Name: "Beta", Weight: 40}},
		Tasks:   map[string]string{"1.1": "Task one.", "1.2": "Task two.", "2.1": "Task three."},
		Slots: []Slot{
			{ID: "A-1", Scored: true, Domain: 0, Task: "1.1", Key: 1 << 1, References: []string{"https://a/1"}, Explanation: "B is right."},
			{ID: "P-1", Scored: false, Domain: 0, Task: "1.1", Key: 1},
			{ID: "A-2", Scored: true, Domain: 0, Task: "1.2", Key: 1<<0 | 1<<2, References: []string{"https://a/2", "https://a/1"}},
			{ID: "B-1", Scored: true, Domain: 1, Task: "2.1", Key: 1 << 3, References: []string{"https://b/1"}},
			{ID: "P-2", Scored: false, Domain: 1, Task: "2.1", Key: 1},
			{ID: "B-2", Scored: true, Domain: 1, Task: "2.1", Key: 1, References: []string{"https://b/1"}},
		},
		Scale: sc, Table: table.Rows, DomainSD: 0.5,
	}
}

func TestScoreByHand(t *testing.T) {
	s, err := New(smallForm(t))
	if err != nil {
		t.Fatal(err)
	}
	const B, D, A, AC = 1 << 1, 1 << 3, 1, 1<<0 | 1<<2
	tests := []struct {
		name            string
		chosen          []uint32
		raw, scaled, se int
		band            [2]int
		pass            bool
		levels          [2]string
		studyTasks      []string
	}{
		// raw 3: theta = log 3 = 1.0986, scaled 809.86 -> 810; SE =
		// 1/sqrt(4 * 3/4 * 1/4) = 1.1547 -> 115.
		{"three right", []uint32{B, 0, AC, D, 0, 0}, 3, 810, 115, [2]int{695, 925}, true, [2]string{Meets, Meets}, []string{"2.1"}},
		// raw 2: theta 0, scaled 700 exactly: passes. SE = 1/sqrt(1) = 1 -> 100.
		{"two right", []uint32{B, A, AC, 0, A, 0}, 2, 700, 100, [2]int{600, 800}, true, [2]string{Meets, NeedsImprovement}, []string{"2.1"}},
		// raw 0: 0.3 rule, theta = log(0.3/3.7) = -2.5123, scaled 448.77 -> 449;
		// SE = 1/sqrt(4 * 0.075 * 0.925) = 1.8983 -> 190.
		{"nothing right", []uint32{0, 0, A, 0, 0, B}, 0, 449, 190, [2]int{259, 639}, false, [2]string{NeedsImprovement, NeedsImprovement}, []string{"2.1", "1.1", "1.2"}},
		// raw 4: theta = log(3.7/0.3) = 2.5123 -> 951; band capped at 1000.
		{"all right", []uint32{B, 0, AC, D, 0, A}, 4, 951, 190, [2]int{761, 1000}, true, [2]string{Meets, Meets}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Score(Attempt{ID: "a-1", Candidate: "c-1", Chosen: tt.chosen}, false)
			if err != nil {
				t.Fatal(err)
			}
			if r.Raw != tt.raw || r.Max != 4 || r.Scaled != tt.scaled || r.SE != tt.se || r.Band != tt.band || r.Pass != tt.pass || r.PretestIgnored != 2 {
				t.Errorf("report = raw %d/%d scaled %d se %d band %v pass %v pretest %d", r.Raw, r.Max, r.Scaled, r.SE, r.Band, r.Pass, r.PretestIgnored)
			}
			if got := [2]string{r.Domains[0].Level, r.Domains[1].Level}; got != tt.levels {
				t.Errorf("levels = %v; want %v (expected scores %v, %v)", got, tt.levels, r.Domains[0].Expected, r.Domains[1].Expected)
			}
			var tasks []string
			for _, st := range r.Study {
				tasks = append(tasks, st.Task)
			}
			if !reflect.DeepEqual(tasks, tt.studyTasks) {
				t.Errorf("study plan tasks = %v; want %v", tasks, tt.studyTasks)
			}
		})
	}
}

func TestStudyPlanContent(t *testing.T) {
	s, _ := New(smallForm(t))
	r, err := s.Score(Attempt{ID: "a", Chosen: make([]uint32, 6)}, true)
	if err != nil {
		t.Fatal(err)
	}
	// Task 2.1 (weight 40, 2 missed = 80) outranks 1.1 and 1.2 (60 x 1);
	// those tie and go by task id. References are deduplicated in position
	// order; --explain adds the explanations that exist.
	want := []StudyTask{
		{Task: "2.1", Title: "Task three.", Domain: "beta", Missed: 2, References: []string{"https://b/1"}},
		{Task: "1.1", Title: "Task one.", Domain: "alpha", Missed: 1, References: []string{"https://a/1"}, Explanations: []Explanation{{Position: 1, Text: "B is right."}}},
		{Task: "1.2", Title: "Task two.", Domain: "alpha", Missed: 1, References: []string{"https://a/2", "https://a/1"}},
	}
	if !reflect.DeepEqual(r.Study, want) {
		t.Errorf("study = %+v\nwant %+v", r.Study, want)
	}
}

// Changing any pretest answer never changes any field of the result.
func TestPretestAnswersNeverChangeTheReport(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		f := randomForm(t, rng)
		s, err := New(f)
		if err != nil {
			t.Fatal(err)
		}
		chosen := make([]uint32, len(f.Slots))
		for i := range chosen {
			chosen[i] = uint32(rng.IntN(16))
		}
		base, err := s.Score(Attempt{ID: "a", Chosen: chosen}, true)
		if err != nil {
			t.Fatal(err)
		}
		changed := append([]uint32(nil), chosen...)
		for i, sl := range f.Slots {
			if !sl.Scored {
				changed[i] = uint32(rng.IntN(16))
			}
		}
		got, _ := s.Score(Attempt{ID: "a", Chosen: changed}, true)
		if !reflect.DeepEqual(base, got) {
			t.Fatalf("trial %d: pretest answers changed the report:\n%+v\n%+v", trial, base, got)
		}
	}
}

// randomForm makes a form of 4 domains with random scored and pretest
// slots and random difficulties.
func randomForm(t *testing.T, rng *rand.Rand) Form {
	t.Helper()
	sc := scale.New(blueprint.Scale{Min: 100, Max: 1000, Pass: 700, Slope: 100}, rng.NormFloat64()*0.5)
	f := Form{
		Domains: []Domain{{ID: "a", Weight: 24}, {ID: "b", Weight: 30}, {ID: "c", Weight: 34}, {ID: "d", Weight: 12}},
		Tasks:   map[string]string{}, Scale: sc, DomainSD: 0.5,
	}
	var bs []float64
	n := 8 + rng.IntN(20)
	for i := range n {
		sl := Slot{Scored: i < 5 || rng.IntN(4) > 0, Domain: rng.IntN(4), Key: 1 << rng.IntN(4), B: rng.NormFloat64()}
		sl.Task = string(rune('1'+sl.Domain)) + ".1"
		if sl.Scored {
			bs = append(bs, sl.B)
		}
		f.Slots = append(f.Slots, sl)
	}
	table, err := sc.Table(bs)
	if err != nil {
		t.Fatal(err)
	}
	f.Table = table.Rows
	return f
}

func TestNewRejectsInconsistentForms(t *testing.T) {
	f := smallForm(t)
	f.Table = f.Table[:3]
	if _, err := New(f); err == nil {
		t.Error("a table with too few rows was accepted")
	}
	f = smallForm(t)
	f.Slots[0].Domain = 7
	if _, err := New(f); err == nil {
		t.Error("a slot with an unknown domain was accepted")
	}
	s, _ := New(smallForm(t))
	if _, err := s.Score(Attempt{Chosen: []uint32{1}}, false); err == nil {
		t.Error("an attempt with the wrong number of answers was scored")
	}
}

// A candidate of ability theta gets scaled scores centred on the same value
// on every form, however hard: the mean over many simulated attempts on an
// easy and on a hard 50-item form lies within one measurement SE of the
// scaled score of theta itself (and so of each other).
func TestSameAbilitySameScaledScoreOnEveryForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	sc := scale.New(blueprint.Scale{Min: 100, Max: 1000, Pass: 700, Slope: 100}, 0.3)
	makeForm := func(shift float64) Form {
		f := Form{Domains: []Domain{{ID: "x", Weight: 100}}, Tasks: map[string]string{}, Scale: sc, DomainSD: 0.5}
		var bs []float64
		for range 50 {
			b := shift + rng.NormFloat64()*0.8
			bs = append(bs, b)
			f.Slots = append(f.Slots, Slot{Scored: true, Task: "1.1", Key: 1, B: b})
		}
		table, err := sc.Table(bs)
		if err != nil {
			t.Fatal(err)
		}
		f.Table = table.Rows
		return f
	}
	forms := map[string]Form{"easy": makeForm(-0.8), "hard": makeForm(0.8)}
	for _, theta := range []float64{-0.5, 0.3, 1.0} {
		want := sc.Scaled(theta)
		means := map[string]float64{}
		for name, f := range forms {
			s, err := New(f)
			if err != nil {
				t.Fatal(err)
			}
			const n = 3000
			sum, seSum := 0.0, 0.0
			for range n {
				chosen := make([]uint32, len(f.Slots))
				for i, sl := range f.Slots {
					if rng.Float64() < 1/(1+math.Exp(-(theta-sl.B))) {
						chosen[i] = sl.Key
					}
				}
				r, err := s.Score(Attempt{Chosen: chosen}, false)
				if err != nil {
					t.Fatal(err)
				}
				sum += float64(r.Scaled)
				seSum += float64(r.SE)
			}
			mean, se := sum/n, seSum/n
			means[name] = mean
			if diff := mean - float64(want); diff > se || diff < -se {
				t.Errorf("theta %.1f, %s form: mean scaled %.1f, want %d within one SE (%.0f)", theta, name, mean, want, se)
			}
		}
		t.Logf("theta %.1f: scaled(theta) %d, mean on the easy form %.1f, on the hard form %.1f", theta, want, means["easy"], means["hard"])
	}
}

// The text and CSV renderings of the small form's reports, as golden
// files: a pass, a provisional diagnostic fail, and --explain.
func TestRenderGolden(t *testing.T) {
	f := smallForm(t)
	s, _ := New(f)
	const B, D, A, AC = 1 << 1, 1 << 3, 1, 1<<0 | 1<<2
	pass, _ := s.Score(Attempt{ID: "a-1", Candidate: "c-1", Chosen: []uint32{B, 0, AC, D, 0, 0}}, false)
	f.Provisional, f.Diagnostic, f.Title = true, true, "Diagnostic"
	s2, _ := New(f)
	fail, _ := s2.Score(Attempt{ID: "a-2", Candidate: "c-2", Chosen: []uint32{0, 0, A, 0, 0, B}}, true)
	reports := []Report{pass, fail}
	var text, table strings.Builder
	if err := WriteText(&text, reports); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&table, reports); err != nil {
		t.Fatal(err)
	}
	testbank.Golden(t, "testdata/report.txt", []byte(text.String()))
	testbank.Golden(t, "testdata/report.csv", []byte(table.String()))
}
