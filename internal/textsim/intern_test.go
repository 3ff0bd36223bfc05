package textsim

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// internByDefinition numbers keys in one serial pass: what Intern means.
func internByDefinition[T any](seqs [][]T, key func(T) string) ([][]int32, []T) {
	numbers := map[string]int32{}
	var firsts []T
	ids := make([][]int32, len(seqs))
	for i, seq := range seqs {
		ids[i] = make([]int32, len(seq))
		for j, e := range seq {
			n, ok := numbers[key(e)]
			if !ok {
				n = int32(len(firsts))
				numbers[key(e)] = n
				firsts = append(firsts, e)
			}
			ids[i][j] = n
		}
	}
	return ids, firsts
}

func TestInternIsOnePass(t *testing.T) {
	// Elements carry their place, so firsts must be the very first ones;
	// the key is the word alone, so later elements repeat keys.
	type elem struct {
		word  string
		place string
	}
	key := func(e elem) string { return e.word }
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ seqs, vocabulary, maxLen int }{
		{0, 10, 5}, {1, 1, 1}, {5, 3, 4}, {300, 40, 12}, {3000, 5000, 20}, {2000, 100000, 3},
	} {
		seqs := make([][]elem, tc.seqs)
		for i := range seqs {
			seqs[i] = make([]elem, rng.IntN(tc.maxLen+1))
			for j := range seqs[i] {
				seqs[i][j] = elem{fmt.Sprint("w", rng.IntN(tc.vocabulary)), fmt.Sprint(i, ".", j)}
			}
		}
		wantIDs, wantFirsts := internByDefinition(seqs, key)
		seq := func(i int) iter.Seq[elem] { return slices.Values(seqs[i]) }
		for _, chunks := range []int{1, 2, 3, 7, 64} {
			if chunks > max(tc.seqs, 1) {
				continue
			}
			for _, cpus := range []int{1, 2, 5} {
				ids, firsts := intern(len(seqs), seq, key, chunks, cpus)
				if !reflect.DeepEqual(ids, wantIDs) || !reflect.DeepEqual(firsts, wantFirsts) {
					t.Errorf("%d sequences of a vocabulary of %d, %d chunks on %d CPUs: numbering differs from one serial pass", tc.seqs, tc.vocabulary, chunks, cpus)
				}
			}
		}
		ids, firsts := Intern(seqs, key)
		if !reflect.DeepEqual(ids, wantIDs) || !reflect.DeepEqual(firsts, wantFirsts) {
			t.Errorf("%d sequences: Intern differs from one serial pass", tc.seqs)
		}
		for _, cpus := range []int{1, 3} {
			ids, firsts := InternSeq(len(seqs), seq, key, cpus)
			if !reflect.DeepEqual(ids, wantIDs) || !reflect.DeepEqual(firsts, wantFirsts) {
				t.Errorf("%d sequences: InternSeq on %d CPUs differs from one serial pass", tc.seqs, cpus)
			}
		}
	}
}

func BenchmarkIntern(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	seqs := make([][]string, 100000)
	for i := range seqs {
		seqs[i] = strings.Fields(strings.Repeat("x ", 14))
		for j := range seqs[i] {
			seqs[i][j] = fmt.Sprint("w", rng.IntN(20000))
		}
	}
	b.ResetTimer()
	for range b.N {
		Intern(seqs, func(s string) string { return s })
	}
}
