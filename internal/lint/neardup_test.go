package lint

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/textsim"
)

// shingles returns the distinct word bigrams of a stem, its words being
// lower-cased runs of letters and digits (its words when it has fewer
// than two): the definition of the similarity, which
// SimilarStems computes with integer tokens (tokenSets).
func shingles(stem string) []string {
	words := textsim.Fields(stem)
	if len(words) < 2 {
		return words
	}
	seen := make(map[string]bool, len(words))
	out := make([]string, 0, len(words)-1)
	for i := 0; i+1 < len(words); i++ {
		s := words[i] + " " + words[i+1]
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// TestSimilarStemsIsExact compares the PPJoin search with a brute-force
// comparison of every pair, on repetitive text (a tiny vocabulary, shared
// frames, near-copies: many candidates, many pairs) and on random text (a
// large vocabulary, varied lengths: few pairs, mostly filtered), at
// thresholds whose float bounds are awkward (1/3, 0.7, 0.77...), and with
// one and several cores.
func TestSimilarStemsIsExact(t *testing.T) {
	texts := map[string][]string{}
	for seed := uint64(1); seed <= 3; seed++ {
		texts[fmt.Sprintf("repetitive/%d", seed)] = repetitiveStems(seed, 400)
		texts[fmt.Sprintf("random/%d", seed)] = randomStems(seed, 400)
	}
	thresholds := []float64{0.1, 1.0 / 3, 0.5, 0.6, 0.7, 0.77, 0.8, 0.9, 0.95, 1}
	for name, stems := range texts {
		all := bruteForce(stems)
		for _, threshold := range thresholds {
			var want []Pair
			for _, p := range all {
				if p.Similarity >= threshold {
					want = append(want, p)
				}
			}
			for _, procs := range []int{1, 3} {
				for _, cpus := range []int{0, 1, 2} { // token sets built on all, one or two
					old := runtime.GOMAXPROCS(procs)
					got := similarStems(context.Background(), stems, threshold, cpus)
					runtime.GOMAXPROCS(old)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s, threshold %v, %d procs, token sets on %d: %d pairs, brute force finds %d; first difference %s", name, threshold, procs, cpus, len(got), len(want), firstDifference(got, want))
					}
				}
			}
		}
	}
}

// The generated texts must exercise both sides of the threshold, or the
// comparison above proves little.
func TestSimilarStemsTextsHavePairs(t *testing.T) {
	for _, stems := range [][]string{repetitiveStems(1, 400), randomStems(1, 400)} {
		if n := len(SimilarStems(context.Background(), stems, 0.7)); n < 20 || n > len(stems)*4 {
			t.Errorf("%d pairs at 0.7 among %d stems; the test texts need tuning", n, len(stems))
		}
	}
}

func firstDifference(got, want []Pair) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(got) > len(want) {
		return fmt.Sprintf("extra %+v", got[len(want)])
	}
	if len(want) > len(got) {
		return fmt.Sprintf("missing %+v", want[len(got)])
	}
	return "none"
}

// repetitiveStems writes stems like a real bank's: a few shared frames
// filled from a tiny vocabulary, plus edited copies of earlier stems, and
// the edge cases (empty, one word, case and punctuation variants).
func repetitiveStems(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 2))
	words := strings.Fields("which aws service should a company use to store data run code scale cost secure the cloud at least most")
	frames := []string{"Which AWS service should %s?", "A company wants to %s. Which solution meets these requirements?", "%s"}
	phrase := func() string {
		w := make([]string, 3+rng.IntN(12))
		for j := range w {
			w[j] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	var stems []string
	for len(stems) < n {
		if len(stems) > 0 && rng.IntN(2) == 0 {
			w := strings.Fields(stems[rng.IntN(len(stems))])
			for e := rng.IntN(4); e > 0 && len(w) > 0; e-- {
				w[rng.IntN(len(w))] = words[rng.IntN(len(words))]
			}
			stems = append(stems, strings.Join(w, " "))
			continue
		}
		stems = append(stems, fmt.Sprintf(frames[rng.IntN(len(frames))], phrase()))
	}
	return append(stems, "", "one", "one", "Two words", "two WORDS!", "a a a a", "a a")
}

// randomStems draws words from a large vocabulary, with some copies that
// insert, delete or replace a few words.
func randomStems(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 3))
	word := func() string { return fmt.Sprintf("w%d", rng.IntN(3000)) }
	var stems []string
	for len(stems) < n {
		if len(stems) > 0 && rng.IntN(4) == 0 {
			w := strings.Fields(stems[rng.IntN(len(stems))])
			for e := rng.IntN(3); e > 0 && len(w) > 1; e-- {
				switch i := rng.IntN(len(w)); rng.IntN(3) {
				case 0:
					w = slices.Delete(w, i, i+1)
				case 1:
					w = slices.Insert(w, i, word())
				default:
					w[i] = word()
				}
			}
			stems = append(stems, strings.Join(w, " "))
			continue
		}
		w := make([]string, rng.IntN(40))
		for j := range w {
			w[j] = word()
		}
		stems = append(stems, strings.Join(w, " "))
	}
	return stems
}

// bruteForce returns every pair of stems with a positive similarity,
// computed by the definition.
func bruteForce(stems []string) []Pair {
	sets := make([]map[string]bool, len(stems))
	for i, s := range stems {
		sets[i] = map[string]bool{}
		for _, sh := range shingles(s) {
			sets[i][sh] = true
		}
	}
	var pairs []Pair
	for a := range stems {
		for b := a + 1; b < len(stems); b++ {
			inter := 0
			for sh := range sets[a] {
				if sets[b][sh] {
					inter++
				}
			}
			if inter > 0 {
				pairs = append(pairs, Pair{A: a, B: b, Similarity: float64(inter) / float64(len(sets[a])+len(sets[b])-inter)})
			}
		}
	}
	return pairs
}

// A threshold outside (0, 1] finds nothing instead of panicking.
func TestSimilarStemsRejectsBadThresholds(t *testing.T) {
	stems := []string{"a b c", "a b c", "a b d"}
	for _, th := range []float64{math.NaN(), 0, -1, 1.5, math.Inf(1)} {
		if got := SimilarStems(context.Background(), stems, th); got != nil {
			t.Errorf("threshold %v: %v; want none", th, got)
		}
	}
	if got := SimilarStems(context.Background(), stems, 1); !reflect.DeepEqual(got, []Pair{{A: 0, B: 1, Similarity: 1}}) {
		t.Errorf("threshold 1: %v", got)
	}
}
