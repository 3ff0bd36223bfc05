package assemble

import (
	"context"
	"testing"

	"github.com/qbank/qbank/internal/testbank/pool"
)

// BenchmarkAssemble assembles 10 full CLF-C02 forms (max overlap 0.2) from
// a synthetic pool of 5,000 items: 4,000 operational, 800 pretest and 200
// retired, with 500 enemy pairs. Run it with
//
//	go test -run '^$' -bench BenchmarkAssemble -benchtime 5x ./internal/assemble
func BenchmarkAssemble(b *testing.B) {
	e := pool.Exam(b, pool.CLF)
	items := pool.Pool(e, pool.PoolSpec{
		Operational: []int{960, 1200, 1360, 480},
		Pretest:     []int{192, 240, 272, 96},
		Retired:     []int{50, 50, 50, 50},
		EnemyPairs:  500,
		Multiple:    0.2,
		Seed:        1,
	})
	if len(items) != 5000 {
		b.Fatalf("pool of %d items", len(items))
	}
	bk := pool.New(e, items)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Assemble(context.Background(), bk, Options{Spec: "full", Forms: 10, Seed: int64(i), MaxOverlap: 0.2})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(r.Spread*1000, "spread-milli-p")
		}
	}
}
