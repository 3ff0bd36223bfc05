// Command measure runs a command and reports its wall-clock time, its CPU
// time (user + system, which the load of other processes disturbs less than
// wall time) and its peak resident memory (from the kernel's rusage), for
// scripts/bench:
//
//	go run ./internal/devtools/measure -- qbank lint /tmp/bank
//
// With --scaling it measures the machine instead: how much faster two
// cores do twice the work of one on a loop that touches no memory. On a
// shared virtual machine this ceiling moves with the neighbours (1.3x to
// 2x on the machine of docs/development.md within minutes), and no
// program's 2-core speed-up can beat it, so scripts/bench prints it
// beside qbank's.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 1 && args[0] == "--scaling" {
		scaling()
		return
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: measure -- COMMAND [ARG...] | measure --scaling")
		os.Exit(2)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(2)
	}
	maxrss := int64(0)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxrss = ru.Maxrss // kilobytes on Linux
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Fprintf(os.Stderr, "measure: wall %.3fs, cpu %.3fs, peak RSS %.0f MiB, exit %d\n", wall.Seconds(), cpu.Seconds(), float64(maxrss)/1024, cmd.ProcessState.ExitCode())
}

// scaling prints the speed-up of two goroutines (GOMAXPROCS=2) over one
// on the same CPU-bound loop, each doing the whole loop: 2x on two free
// cores, less when they are shared.
func scaling() {
	runtime.GOMAXPROCS(2)
	const steps = 100_000_000 // about a quarter of a second a core
	one, two := spin(1, steps), spin(2, steps)
	fmt.Fprintf(os.Stderr, "measure: scaling %.2fx (one loop %.2fs, two at once %.2fs)\n", 2*one.Seconds()/two.Seconds(), one.Seconds(), two.Seconds())
}

// spin runs steps of a xorshift generator on each of workers goroutines
// and returns the wall time.
func spin(workers, steps int) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	sums := make([]uint64, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := uint64(88172645463325252) + uint64(w)
			for range steps {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
			}
			sums[w] = x // used, so the loop is not optimised away
		}()
	}
	wg.Wait()
	if sums[0] == 0 {
		fmt.Fprintln(os.Stderr, "measure: the generator reached zero") // never: xorshift has no zero state
	}
	return time.Since(start)
}
