package textsim

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkAllPairs times the search (not the vectorising) at the
// probable-enemy threshold on 10,000 and 100,000 texts of three kinds:
// random words from a large vocabulary, the same over exam boilerplate,
// and repetitive text from a vocabulary of 300 words.
//
//	go test ./internal/textsim -run '^$' -bench AllPairs -benchtime 3x
func BenchmarkAllPairs(b *testing.B) {
	kinds := []struct {
		name        string
		vocab       int
		boilerplate string
	}{
		{"random", 20000, ""},
		{"boilerplate", 20000, "a company wants to meet these requirements with the least operational overhead which aws service should it use"},
		{"repetitive", 300, "which aws service should the company use"},
	}
	for _, k := range kinds {
		for _, n := range []int{10000, 100000} {
			b.Run(fmt.Sprintf("%s/n=%d", k.name, n), func(b *testing.B) {
				vs := Vectorize(corpus(9, n, k.vocab, k.boilerplate)).Vectors
				b.ResetTimer()
				pairs := 0
				for b.Loop() {
					pairs = len(AllPairs(context.Background(), vs, 0.4, 0))
				}
				b.ReportMetric(float64(pairs), "pairs")
			})
		}
	}
}
