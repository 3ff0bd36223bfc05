// Package difficulty gives every item one difficulty figure, the classical
// p-value (the proportion of candidates who answer correctly; higher is
// easier), so that forms can be compared and assembled to be parallel.
//
// A measured p-value from stats.yaml is used when it was measured on the
// item's current revision and rests on at least one response: statistics
// describe the revision they were measured on, and a changed item is a new
// item as far as candidates are concerned. Otherwise the author's estimate
// is mapped as the item schema documents it:
//
//	easy   0.85
//	medium 0.65
//	hard   0.45
//	(none) 0.65, the same as medium
//
// Values are kept in thousandths (per mille) as integers so that sums and
// the assembly objective are exact and identical on every platform.
package difficulty

import (
	"math"

	"github.com/qbank/qbank/internal/bank"
)

// Authored p-values, per mille, by the item's difficulty field.
const (
	Easy    = 850
	Medium  = 650
	Hard    = 450
	Default = Medium
)

// Source says where a difficulty figure came from.
type Source int

// Sources.
const (
	// FromAuthor: the authored difficulty (or its default).
	FromAuthor Source = iota
	// FromStats: the p-value measured on the current revision.
	FromStats
)

// PerMille returns the item's p-value in thousandths and where it came
// from: stats (measured on the item's current revision) or the authored
// difficulty.
func PerMille(stats bank.Stats, it *bank.Item) (int, Source) {
	if s, ok := stats.Items[it.ID]; ok && s.Revision == it.Revision && s.Responses > 0 {
		// The conversion rounds the product first (no fused multiply-add),
		// so every platform gets the same figure.
		p := int(math.Round(float64(s.PValue * 1000)))
		return min(max(p, 0), 1000), FromStats
	}
	return Authored(it.Difficulty), FromAuthor
}

// Authored maps an authored difficulty (easy, medium, hard or empty) to a
// p-value in thousandths.
func Authored(d string) int {
	switch d {
	case "easy":
		return Easy
	case "hard":
		return Hard
	}
	return Default
}
