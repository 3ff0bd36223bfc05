// Command genbank writes a synthetic question bank for benchmarks:
//
//	go run ./internal/devtools/genbank -n 10000 -seed 1 -style repetitive -o /tmp/bank10k
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
	styleName := flag.String("style", "varied", "stem style: varied or repetitive (shared frames, small vocabulary)")
	flag.Parse()
	style, err := synth.ParseStyle(*styleName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbank:", err)
		os.Exit(2)
	}
	if *out == "" {
		fmt.Fprintln(os.Stderr, "genbank: -o DIR is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "genbank: %s exists; choose a new directory\n", *out)
		os.Exit(2)
	}
	if err := synth.Write(context.Background(), *out, synth.Options{Items: *n, Seed: *seed, Style: style}); err != nil {
		fmt.Fprintln(os.Stderr, "genbank:", err)
		os.Exit(1)
	}
}
