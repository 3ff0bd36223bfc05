package lint

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestSimilarStemsIsExact compares the prefix-filtered search with a
// brute-force comparison of every pair.
func TestSimilarStemsIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("which aws service should a company use to store data run code scale cost secure the cloud at least most")
	base := make([]string, 20)
	for i := range base {
		w := make([]string, 12+rng.IntN(12))
		for j := range w {
			w[j] = words[rng.IntN(len(words))]
		}
		base[i] = strings.Join(w, " ")
	}
	var stems []string
	for i := 0; i < 300; i++ {
		w := strings.Fields(base[rng.IntN(len(base))])
		for e := rng.IntN(4); e > 0; e-- {
			w[rng.IntN(len(w))] = words[rng.IntN(len(words))]
		}
		stems = append(stems, strings.Join(w, " "))
	}
	stems = append(stems, "", "one", "one", "Two words", "two WORDS!")
	sets := make([][]string, len(stems))
	for i, s := range stems {
		sets[i] = shingles(s)
	}
	for _, threshold := range []float64{0.3, 0.5, 0.7, 0.9, 1} {
		var want []Pair
		for a := range stems {
			for b := a + 1; b < len(stems); b++ {
				if sim := bruteJaccard(sets[a], sets[b]); sim >= threshold {
					want = append(want, Pair{A: a, B: b, Similarity: sim})
				}
			}
		}
		got := SimilarStems(context.Background(), stems, threshold)
		if len(got) != len(want) {
			t.Fatalf("threshold %v: %d pairs, brute force finds %d", threshold, len(got), len(want))
		}
		for i := range got {
			if got[i].A != want[i].A || got[i].B != want[i].B || math.Abs(got[i].Similarity-want[i].Similarity) > 1e-12 {
				t.Fatalf("threshold %v: pair %d is %+v; want %+v", threshold, i, got[i], want[i])
			}
		}
	}
}

func bruteJaccard(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	in := map[string]bool{}
	for _, s := range a {
		in[s] = true
	}
	inter := 0
	for _, s := range b {
		if in[s] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
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
