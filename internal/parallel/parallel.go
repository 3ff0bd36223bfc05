// Package parallel runs the iterations of a loop on several goroutines.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(0) ... f(n-1), each exactly once, on up to workers
// goroutines (workers <= 0 means one per CPU, runtime.GOMAXPROCS). Each
// goroutine takes the next run of consecutive indexes (run <= 0 means 1)
// until none is left, so uneven iterations still share the work out,
// and iterations that write neighbouring elements of a slice mostly do
// so from one goroutine: handing out every other index instead made two
// cores pass the same cache lines back and forth. With one worker, or a
// single run, f runs on the calling goroutine, in order. For returns when
// every call has returned.
func For(workers, n, run int, f func(i int)) {
	Runs(context.Background(), workers, n, run, func() func(lo, hi int) {
		return func(lo, hi int) {
			for i := lo; i < hi; i++ {
				f(i)
			}
		}
	})
}

// Runs hands out the runs [0, run), [run, 2·run), ... of the indexes
// 0 ... n-1 (the last one shorter) as For does, for loops whose
// iterations need scratch space of their own: each goroutine calls
// worker once, and the body it returns with each run it takes, as
// body(lo, hi). Once ctx is done no further run is handed out; Runs
// returns when every body it called has returned.
func Runs(ctx context.Context, workers, n, run int, worker func() (body func(lo, hi int))) {
	if n <= 0 {
		return
	}
	run = max(run, 1)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, (n+run-1)/run)
	var next atomic.Int64
	take := func(body func(lo, hi int)) {
		for ctx.Err() == nil {
			lo := int(next.Add(int64(run)) - int64(run))
			if lo >= n {
				return
			}
			body(lo, min(lo+run, n))
		}
	}
	if workers <= 1 {
		take(worker())
		return
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { take(worker()) })
	}
	wg.Wait()
}
