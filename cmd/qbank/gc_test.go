package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC: lint runs without the proportional collector, under the
// memory limit; other commands at GOGC=400; the environment wins.
func TestTuneGC(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	})
	for _, tc := range []struct {
		name             string
		args             []string
		gogc, memlimit   string
		percent, limitMB int64
	}{
		{"lint", []string{"qbank", "lint", "bank"}, "", "", -1, 448},
		{"check", []string{"qbank", "check"}, "", "", 400, 448},
		{"no command", []string{"qbank"}, "", "", 400, 448},
		{"lint, GOGC set", []string{"qbank", "lint"}, "150", "", 100, 448},
		{"lint, GOMEMLIMIT set", []string{"qbank", "lint"}, "", "1GiB", 400, 0},
		{"both set", []string{"qbank", "lint"}, "150", "1GiB", 100, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			t.Setenv("GOMEMLIMIT", tc.memlimit)
			// The runtime read the environment at start; what tuneGC
			// leaves alone stays at these values.
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			tuneGC(tc.args)
			if got := debug.SetGCPercent(100); int64(got) != tc.percent {
				t.Errorf("GC percent %d, want %d", got, tc.percent)
			}
			got := debug.SetMemoryLimit(-1)
			switch {
			case tc.limitMB == 0 && got != math.MaxInt64:
				t.Errorf("memory limit %d, want none set", got)
			case tc.limitMB != 0 && got != tc.limitMB<<20:
				t.Errorf("memory limit %d MiB, want %d MiB", got>>20, tc.limitMB)
			}
		})
	}
}
