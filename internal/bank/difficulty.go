package bank

import "math"

// Stats.PerMille gives every item one difficulty figure, the classical
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

// Authored p-values, per mille, by the item's difficulty field.
const (
	perMilleEasy   = 850
	perMilleMedium = 650
	perMilleHard   = 450
	// DefaultPerMille is the p-value of an item with no difficulty field.
	DefaultPerMille = perMilleMedium
)

// PSource says where a p-value came from.
type PSource int

// Sources.
const (
	// FromAuthor: the authored difficulty (or its default).
	FromAuthor PSource = iota
	// FromStats: the p-value measured on the current revision.
	FromStats
)

// PerMille returns the item's p-value in thousandths and where it came
// from: s (measured on the item's current revision) or the authored
// difficulty.
func (s Stats) PerMille(it *Item) (int, PSource) {
	if st, ok := s.Items[it.ID]; ok && st.Revision == it.Revision && st.Responses > 0 {
		// The conversion rounds the product first (no fused multiply-add),
		// so every platform gets the same figure.
		p := int(math.Round(float64(st.PValue * 1000)))
		return min(max(p, 0), 1000), FromStats
	}
	return authoredPerMille(it.Difficulty), FromAuthor
}

// authoredPerMille maps an authored difficulty (easy, medium, hard or
// empty) to a p-value in thousandths.
func authoredPerMille(d string) int {
	switch d {
	case "easy":
		return perMilleEasy
	case "hard":
		return perMilleHard
	}
	return DefaultPerMille
}
