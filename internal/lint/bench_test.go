package lint

import (
	"context"
	"fmt"
	"testing"

	"github.com/qbank/qbank/internal/synth"
)

// BenchmarkLint lints synthetic banks of 1,000 and 10,000 items (written
// once per size, then linted b.N times). scripts/bench runs the 100,000-item
// case through the CLI with peak memory.
func BenchmarkLint(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := b.TempDir()
		if err := synth.Write(context.Background(), dir, synth.Options{Items: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Run(context.Background(), dir, Options{})
				if err != nil || res.Summary.Items != n {
					b.Fatalf("err=%v summary=%+v", err, res.Summary)
				}
			}
		})
	}
}

// BenchmarkSimilarStems measures near-duplicate detection alone.
func BenchmarkSimilarStems(b *testing.B) {
	dir := b.TempDir()
	if err := synth.Write(context.Background(), dir, synth.Options{Items: 10000, Seed: 2}); err != nil {
		b.Fatal(err)
	}
	res, err := Run(context.Background(), dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	stems := make([]string, len(res.Bank.Items))
	for i, it := range res.Bank.Items {
		stems[i] = it.Stem
	}
	b.ResetTimer()
	for b.Loop() {
		SimilarStems(context.Background(), stems, 0.7)
	}
}
