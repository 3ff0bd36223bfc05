package lint

import (
	"context"
	"fmt"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/synth"
)

// BenchmarkLint lints synthetic banks of 1,000 and 10,000 items in both
// stem styles (written once per case, then linted b.N times).
// scripts/bench runs the CLI on 10,000 and 100,000 items with peak memory.
func BenchmarkLint(b *testing.B) {
	for _, style := range []synth.Style{synth.StyleVaried, synth.StyleRepetitive} {
		for _, n := range []int{1000, 10000} {
			dir := b.TempDir()
			if err := synth.Write(context.Background(), dir, synth.Options{Items: n, Seed: 1, Style: style}); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/items=%d", style, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := Run(context.Background(), dir, Options{})
					if err != nil || res.Summary.Items != n {
						b.Fatalf("err=%v summary=%+v", err, res.Summary)
					}
				}
			})
		}
	}
}

// BenchmarkLintPhases measures lint's own phases on the bank
// synth.BenchBank gives (10,000 varied items unless QBANK_BENCH_* say
// otherwise; package bank's BenchmarkLoadPhases has read, parse and
// schema): the single-item rules on every file, the near-duplicate
// search over every stem, and the probable-enemy search (vectorising
// included). Each op is the whole bank.
func BenchmarkLintPhases(b *testing.B) {
	dir, _, err := synth.BenchBank(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	var files []*bank.File
	load := bank.Options{Workers: 1, KeepTrees: true, Visit: func(f *bank.File) []finding.Finding {
		if f.Valid {
			files = append(files, f) // keeps the tree for the rules below
		}
		return nil
	}}
	bk, _, err := bank.Load(context.Background(), dir, load)
	if err != nil {
		b.Fatal(err)
	}
	stems := make([]string, len(bk.Items))
	for i, it := range bk.Items {
		stems[i] = it.Stem
	}
	cfg := config.Default()
	b.Run("rules", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				checkItem(f, cfg)
			}
		}
	})
	b.Run("near-dup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			SimilarStems(context.Background(), stems, cfg.NearDuplicateThreshold)
		}
	})
	near := newNearPairs() // what the near-duplicate search hands over
	nearDuplicates(context.Background(), bk.Items, cfg.NearDuplicateThreshold, 0, near)
	b.Run("probable-enemy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			probableEnemies(context.Background(), bk, cfg, 0, near)
		}
	})
}
