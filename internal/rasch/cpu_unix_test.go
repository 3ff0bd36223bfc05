//go:build unix

package rasch

import "syscall"

// cpuSeconds is the user+system CPU time of the process (from getrusage),
// so that a benchmark on a loaded machine can report the work done
// besides the wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
