package lint

import (
	"context"
	"fmt"
	"testing"

	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/synth"
)

// BenchmarkProbableEnemies times the probable-enemy rule alone (vectorising
// and the indexed search) on synthetic banks of 10,000 and 100,000 items
// (package synth, as internal/cmd/genbank writes them). The bank is
// written and loaded once per size, inside the sub-benchmark, so
// -bench 'ProbableEnemies/items=10000' does not pay for the larger one.
//
//	go test ./internal/lint -run '^$' -bench ProbableEnemies -benchtime 3x
func BenchmarkProbableEnemies(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := synth.Write(context.Background(), dir, synth.Options{Items: n, Seed: 3}); err != nil {
				b.Fatal(err)
			}
			res, err := Run(context.Background(), dir, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			found := 0
			for b.Loop() {
				found = len(probableEnemies(context.Background(), res.Bank, config.Default()))
			}
			b.ReportMetric(float64(found), "findings")
		})
	}
}
