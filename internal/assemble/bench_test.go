package assemble

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/qbank/qbank/internal/testbank/pool"
)

// cpuTime returns the CPU time (user + system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAssemble assembles 10 full CLF-C02 forms (max overlap 0.2) from
// a synthetic pool of 5,000 items: 4,000 operational (measured b uniform
// on -3..3), 800 pretest and 200 retired, with 500 enemy pairs, with the
// TIF/TCC objective around theta_cut 0.5. It reports the CPU time per
// assembly (the machine is shared, so wall time alone misleads), the
// largest TCC difference and the spread of information at the cut. Run it
// with
//
//	go test -run '^$' -bench BenchmarkAssemble -benchtime 5x ./internal/assemble
func BenchmarkAssemble(b *testing.B) {
	e := pool.Exam(b, withCut(b, pool.CLF, "scale: {min: 100, max: 1000, pass: 700}", "0.5"))
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
	measure(bk, 1)
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		r, err := Assemble(context.Background(), bk, Options{Spec: "full", Forms: 10, Seed: int64(i), MaxOverlap: 0.2})
		if err != nil {
			b.Fatal(err)
		}
		if !r.TIF {
			b.Fatalf("TIF objective not used: %s", r.NoTIF)
		}
		if i == 0 {
			b.ReportMetric(r.TCCDiff, "tcc-diff")
			b.ReportMetric(r.InfoSpread, "info-spread")
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkOptimalityGap solves the small cases of TestOptimalityGap and
// brute-forces their optimum; it reports the mean gap of the search
// above the optimum in percent.
func BenchmarkOptimalityGap(b *testing.B) {
	for i := 0; i < b.N; i++ {
		total := 0.0
		for _, seed := range []uint64{1, 2, 3, 4, 5} {
			got, opt := optimalityGap(b, seed)
			total += gapPct(got, opt)
		}
		b.ReportMetric(total/5, "gap-%")
	}
}
