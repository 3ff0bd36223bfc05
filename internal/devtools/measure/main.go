// Command measure runs a command and reports its wall-clock time, its CPU
// time (user + system, which the load of other processes disturbs less than
// wall time) and its peak resident memory (from the kernel's rusage), for
// scripts/bench:
//
//	go run ./internal/devtools/measure -- qbank lint /tmp/bank
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: measure -- COMMAND [ARG...]")
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
	fmt.Fprintf(os.Stderr, "measure: wall %.2fs, cpu %.2fs, peak RSS %.0f MiB, exit %d\n", wall.Seconds(), cpu.Seconds(), float64(maxrss)/1024, cmd.ProcessState.ExitCode())
}
