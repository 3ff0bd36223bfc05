// Command genbank writes a synthetic question bank for benchmarks:
//
//	go run ./internal/cmd/genbank -n 10000 -seed 1 -o /tmp/bank10k
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/qbank/qbank/internal/synth"
)

func main() {
	n := flag.Int("n", 10000, "number of items")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "", "output bank directory (must not exist)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "genbank: -o DIR is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "genbank: %s exists; choose a new directory\n", *out)
		os.Exit(2)
	}
	if err := synth.Write(context.Background(), *out, synth.Options{Items: *n, Seed: *seed}); err != nil {
		fmt.Fprintln(os.Stderr, "genbank:", err)
		os.Exit(1)
	}
}
