// Package parallel runs the iterations of a loop on several goroutines.
package parallel

import (
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
	if n <= 0 {
		return
	}
	run = max(run, 1)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, (n+run-1)/run)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(int64(run)) - int64(run))
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+run, n); i++ {
					f(i)
				}
			}
		})
	}
	wg.Wait()
}
