package parallel

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

func TestForCallsEachIndexOnce(t *testing.T) {
	for _, tc := range []struct{ workers, n, run int }{
		{0, 0, 1}, {1, 1, 1}, {2, 1, 64}, {2, 1000, 64}, {3, 1000, 7}, {0, 513, 512},
		{8, 100, 1}, {2, 100, 0}, {-1, 10, -5}, {4, 65, 64},
	} {
		t.Run(fmt.Sprintf("workers=%d/n=%d/run=%d", tc.workers, tc.n, tc.run), func(t *testing.T) {
			calls := make([]atomic.Int32, tc.n)
			For(tc.workers, tc.n, tc.run, func(i int) { calls[i].Add(1) })
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Fatalf("f(%d) was called %d times, want 1", i, c)
				}
			}
		})
	}
}

func TestForWithOneWorkerRunsInOrder(t *testing.T) {
	var got []int
	For(1, 300, 64, func(i int) { got = append(got, i) })
	want := make([]int, 300)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(got, want) {
		t.Fatalf("one worker ran %v..., want 0, 1, 2, ... in order", got[:min(len(got), 10)])
	}
}

// TestForHandsOutRuns checks that each run of consecutive indexes is done
// by one goroutine.
func TestForHandsOutRuns(t *testing.T) {
	const n, run = 1024, 64
	owner := make([]string, n)
	For(2, n, run, func(i int) { owner[i] = goroutineID() })
	for i := range n {
		if lo := i - i%run; owner[i] != owner[lo] {
			t.Fatalf("index %d ran on goroutine %s, the start of its run %d on %s", i, owner[i], lo, owner[lo])
		}
	}
}

// goroutineID is the number of the calling goroutine, from its stack trace.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := strings.Fields(string(buf))
	return f[1] // "goroutine 7 [running]:"
}

// TestRunsGivesEachGoroutineItsOwnBody: worker is called once per
// goroutine, every run is done once, by the body of one of them.
func TestRunsGivesEachGoroutineItsOwnBody(t *testing.T) {
	const n, run, workers = 1000, 7, 3
	var bodies atomic.Int32
	calls := make([]atomic.Int32, n)
	Runs(context.Background(), workers, n, run, func() func(lo, hi int) {
		bodies.Add(1)
		owner := goroutineID()
		return func(lo, hi int) {
			if lo%run != 0 || hi != min(lo+run, n) {
				t.Errorf("run [%d, %d), want runs of %d from a multiple of it", lo, hi, run)
			}
			if id := goroutineID(); id != owner {
				t.Errorf("the body of goroutine %s ran on %s", owner, id)
			}
			for i := lo; i < hi; i++ {
				calls[i].Add(1)
			}
		}
	})
	if b := bodies.Load(); b < 1 || b > workers {
		t.Errorf("worker called %d times, want 1 to %d", b, workers)
	}
	for i := range calls {
		if c := calls[i].Load(); c != 1 {
			t.Fatalf("index %d done %d times, want 1", i, c)
		}
	}
}

// TestRunsStopsWhenCancelled: no run is handed out once ctx is done.
func TestRunsStopsWhenCancelled(t *testing.T) {
	for _, workers := range []int{1, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		var runs atomic.Int32
		Runs(ctx, workers, 100, 10, func() func(lo, hi int) {
			return func(lo, hi int) {
				runs.Add(1)
				cancel()
			}
		})
		if r := runs.Load(); r < 1 || int(r) > workers {
			t.Errorf("%d workers: %d runs after the first cancelled, want at most one each", workers, r)
		}
	}
}
