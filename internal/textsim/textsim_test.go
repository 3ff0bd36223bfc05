package textsim

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	got := Words("Which AWS services run the instances? (Select TWO.) Policies, a class, bus, analysis, 30 days")
	want := []string{"aws", "service", "run", "instance", "two", "policy", "class", "bus", "analysis", "30", "day"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Words = %q\nwant    %q", got, want)
	}
}

func TestVectorize(t *testing.T) {
	m := Vectorize([]string{"amazon kinesis streams", "amazon athena queries", "amazon athena", ""})
	// "amazon" is in three of four texts: it still weighs a little; the
	// empty text has an empty vector; every other vector has unit length.
	if len(m.Vectors[3].Terms) != 0 {
		t.Fatalf("empty text: %+v", m.Vectors[3])
	}
	for i, v := range m.Vectors[:3] {
		n := 0.0
		for _, w := range v.Weights {
			n += w * w
		}
		if math.Abs(n-1) > 1e-12 {
			t.Errorf("vector %d has squared norm %v", i, n)
		}
	}
	if c := Dot(m.Vectors[1], m.Vectors[2]); math.Abs(c-0.4761) > 1e-4 { // (.288²+.693²) / (1.576 × .750)
		t.Errorf("athena texts: cosine %v", c)
	}
	if c := Dot(m.Vectors[0], m.Vectors[1]); !(c > 0 && c < 0.1) {
		t.Errorf("kinesis vs athena: cosine %v", c)
	}
	// A word in every text weighs nothing.
	if m := Vectorize([]string{"same words", "same words"}); len(m.Vectors[0].Terms) != 0 {
		t.Errorf("words in every text kept: %+v", m.Vectors[0])
	}
}

// bruteForce is the definition: every pair whose cosine reaches t.
func bruteForce(vs []Vector, t float64) []Pair {
	var out []Pair
	for b := range vs {
		for a := 0; a < b; a++ {
			if c := Dot(vs[a], vs[b]); c >= t {
				out = append(out, Pair{A: a, B: b, Cosine: c})
			}
		}
	}
	return out
}

// corpus generates n texts: from a vocabulary of vocab words, each text a
// shared boilerplate plus words, some texts reworded copies of others.
func corpus(seed uint64, n, vocab int, boilerplate string) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	words := make([]string, vocab)
	for i := range words {
		words[i] = fmt.Sprintf("w%dx", i)
	}
	texts := make([]string, n)
	for i := range texts {
		if i > 0 && r.IntN(5) == 0 { // a reworded copy
			ws := strings.Fields(texts[r.IntN(i)])
			for e := r.IntN(6); e > 0 && len(ws) > 0; e-- {
				ws[r.IntN(len(ws))] = words[r.IntN(vocab)]
			}
			texts[i] = strings.Join(ws, " ")
			continue
		}
		ws := make([]string, 3+r.IntN(25))
		for j := range ws {
			// Zipf-like: low word ids are frequent.
			ws[j] = words[int(float64(vocab)*math.Pow(r.Float64(), 2.5))]
		}
		texts[i] = boilerplate + " " + strings.Join(ws, " ")
	}
	return texts
}

// shortCorpus generates n texts of one to five words from a skewed
// vocabulary of 40 words: vectors with few, unequal weights, where a
// vector's unindexed run can hold most of what a pair shares.
func shortCorpus(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, 11))
	texts := make([]string, n)
	for i := range texts {
		ws := make([]string, 1+r.IntN(5))
		for j := range ws {
			ws[j] = fmt.Sprintf("s%dx", int(40*math.Pow(r.Float64(), 3)))
		}
		texts[i] = strings.Join(ws, " ")
	}
	return texts
}

// searchPaths are the sizes of the groups searched pair by pair that test
// each way of searching a group alone: none, and all.
var searchPaths = []int{0, math.MaxInt}

// TestAllPairsIsExact: the indexed search finds exactly the pairs of the
// brute-force definition, on random and on repetitive text, for every
// threshold and number of workers.
func TestAllPairsIsExact(t *testing.T) {
	cases := []struct {
		name  string
		texts []string
	}{
		{"random", corpus(1, 400, 2000, "")},
		{"repetitive", corpus(2, 400, 12, "which aws service should the company use")},
		{"boilerplate", corpus(3, 400, 300, "a company wants to meet these requirements with the least operational overhead")},
		{"short", shortCorpus(5, 500)},
		{"edge cases", []string{"", "one", "one", "one two", "two one", "three", "", "a the of"}},
	}
	for _, c := range cases {
		m := Vectorize(c.texts)
		for _, th := range []float64{0.05, 0.2, 0.35, 0.4, 0.6, 0.9, 1} {
			want := bruteForce(m.Vectors, th)
			for _, workers := range []int{1, 3} {
				got := AllPairs(context.Background(), m.Vectors, th, workers)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, threshold %v, %d workers: %d pairs, brute force %d", c.name, th, workers, len(got), len(want))
				}
			}
			for _, small := range searchPaths {
				if got := allPairs(context.Background(), m.Vectors, th, 2, small); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, threshold %v, groups of up to %d searched pair by pair: %d pairs, brute force %d", c.name, th, small, len(got), len(want))
				}
			}
			if c.name == "random" && th == 0.4 && len(want) == 0 {
				t.Fatalf("the random corpus has no pair at 0.4: the test would prove nothing")
			}
		}
	}
}

func TestAllPairsRejectsBadThresholds(t *testing.T) {
	m := Vectorize([]string{"alpha beta", "alpha beta", "gamma"})
	for _, th := range []float64{math.NaN(), 0, -1, 1.5, math.Inf(1)} {
		if got := AllPairs(context.Background(), m.Vectors, th, 1); got != nil {
			t.Errorf("threshold %v: %v", th, got)
		}
	}
}

func TestAllPairsStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := AllPairs(ctx, Vectorize(corpus(4, 2000, 50, "")).Vectors, 0.2, 2); got != nil {
		t.Fatalf("cancelled search returned %d pairs", len(got))
	}
}

// stressCorpus generates n texts to strain the pruning bounds: very short
// and very long texts over a skewed vocabulary, most behind a shared
// boilerplate, and chains of lightly reworded copies whose cosines spread
// around any threshold.
func stressCorpus(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, 13))
	word := func() string { return fmt.Sprintf("t%dx", int(400*math.Pow(r.Float64(), 3))) }
	texts := make([]string, n)
	for i := range texts {
		var ws []string
		switch {
		case i > 0 && r.IntN(3) == 0: // a reworded copy, edits to taste
			ws = strings.Fields(texts[r.IntN(i)])
			for e := r.IntN(1 + len(ws)/3); e > 0 && len(ws) > 0; e-- {
				ws[r.IntN(len(ws))] = word()
			}
		case r.IntN(4) == 0: // very short
			ws = make([]string, 1+r.IntN(2))
		case r.IntN(8) == 0: // very long
			ws = make([]string, 100+r.IntN(200))
		default:
			ws = make([]string, 4+r.IntN(20))
		}
		for j := range ws {
			if ws[j] == "" {
				ws[j] = word()
			}
		}
		if r.IntN(3) > 0 {
			ws = append(ws, "which option should the team choose to meet these requirements")
		}
		texts[i] = strings.Join(ws, " ")
	}
	return texts
}

// TestAllPairsAtExactThresholds: the search is exact when the threshold
// is the cosine of a pair, which puts that pair and its equals right on
// every bound, on a corpus built to strain the bounds.
func TestAllPairsAtExactThresholds(t *testing.T) {
	for seed := range uint64(3) {
		vs := Vectorize(stressCorpus(seed, 500)).Vectors
		all := bruteForce(vs, 0.15)
		r := rand.New(rand.NewPCG(seed, 17))
		for range 10 {
			th := all[r.IntN(len(all))].Cosine
			if th > 1 {
				continue // a text and its copy: 1 and a rounding
			}
			want := bruteForce(vs, th)
			for _, workers := range []int{1, 2} {
				if got := AllPairs(context.Background(), vs, th, workers); !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d, threshold %v, %d workers: %d pairs, brute force %d", seed, th, workers, len(got), len(want))
				}
			}
			for _, small := range searchPaths {
				if got := allPairs(context.Background(), vs, th, 1, small); !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d, threshold %v, groups of up to %d searched pair by pair: %d pairs, brute force %d", seed, th, small, len(got), len(want))
				}
			}
		}
	}
}

// VectorizeSeq of texts in parts is Vectorize of the parts joined by line
// breaks: the same words, ids, weights and vectors, on any number of CPUs
// (5,000 texts: enough for the words to be numbered in chunks).
func TestVectorizeSeqIsVectorizeOfJoinedParts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	words := corpus(8, 3000, 400, "Which AWS service should the company use")
	parts := make([][]string, 5000)
	joined := make([]string, len(parts))
	for i := range parts {
		for range r.IntN(4) { // some texts have no parts at all
			parts[i] = append(parts[i], words[r.IntN(len(words))])
		}
		joined[i] = strings.Join(parts[i], "\n")
	}
	want := Vectorize(joined)
	for _, cpus := range []int{0, 1, 2, 3} {
		got := VectorizeSeq(len(parts), func(i int) iter.Seq[string] { return slices.Values(parts[i]) }, cpus)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("VectorizeSeq on %d CPUs differs from Vectorize of the joined parts: %d and %d words", cpus, len(got.Words), len(want.Words))
		}
	}
}

// TestAllPairsRunBounds: a pair whose only shared term outside the runs
// is its rarest is found through that term and its run's bound alone; a
// pair that shares a second such term, through the inverted index of the
// rarest's group. Two texts share their frequent terms with the same
// weights, the largest any text gives them, so that what their runs share
// equals every run bound, and one or two rare terms; the threshold is
// their cosine, right on the bounds.
func TestAllPairsRunBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 19))
	// unit completes weights with a term of its own, to unit length.
	unit := func(w map[int32]float64, own int32) Vector {
		sq := 0.0
		for _, x := range w {
			sq += x * x
		}
		w[own] = math.Sqrt(1 - sq)
		var v Vector
		for _, id := range slices.Sorted(maps.Keys(w)) {
			v.Terms, v.Weights = append(v.Terms, id), append(v.Weights, w[id])
		}
		return v
	}
	for trial := range 200 {
		common := 0.1 + 0.15*r.Float64() // the weight of terms 0, 1 and 2
		var vs []Vector
		for f := range 20 { // make terms 0 to 2 frequent
			vs = append(vs, unit(map[int32]float64{0: common / 2, 1: common / 2, 2: common / 2}, int32(100+f)))
		}
		x := map[int32]float64{0: common, 1: common, 2: common, 10: 0.4 + 0.3*r.Float64()}
		y := map[int32]float64{0: common, 1: common, 2: common, 10: 0.4 + 0.3*r.Float64()}
		if trial%2 == 1 { // a second shared term, more frequent than 10
			x[11], y[11] = 0.4+0.1*r.Float64(), 0.4+0.1*r.Float64()
			x[10], y[10] = 0.4+0.1*r.Float64(), 0.4+0.1*r.Float64()
			vs = append(vs, unit(map[int32]float64{11: 0.1}, 99))
		}
		vs = append(vs, unit(y, 50), unit(x, 51))
		th := Dot(vs[len(vs)-2], vs[len(vs)-1])
		want := bruteForce(vs, th)
		for _, small := range searchPaths {
			if got := allPairs(context.Background(), vs, th, 1, small); !reflect.DeepEqual(got, want) {
				t.Fatalf("trial %d, threshold %v, groups of up to %d searched pair by pair: %v, brute force %v", trial, th, small, got, want)
			}
		}
	}
}
