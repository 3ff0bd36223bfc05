package lint

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
)

// Near-duplicate stems are found by exact Jaccard similarity of word-bigram
// sets, with the all-pairs "prefix filtering" method (Chaudhuri et al. 2006;
// Bayardo et al. 2007): tokens are ordered by rarity, and two sets with
// Jaccard >= t must share a token among the first |s| - ceil(t*|s|) + 1
// tokens of each. Only those prefix tokens are indexed, so common
// boilerplate ("which aws service") rarely generates candidates, and the
// search stays close to linear on real text instead of comparing all pairs.

// shingles returns the distinct word bigrams of a stem (its words when it
// has fewer than two).
func shingles(stem string) []string {
	words := strings.FieldsFunc(strings.ToLower(stem), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) < 2 {
		return words
	}
	seen := make(map[string]bool, len(words))
	out := make([]string, 0, len(words)-1)
	for i := 0; i+1 < len(words); i++ {
		s := words[i] + " " + words[i+1]
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Pair is two items whose stems are near-duplicates.
type Pair struct {
	A, B       int // indexes into the items given, A < B
	Similarity float64
}

// SimilarStems returns every pair of stems with Jaccard similarity of word
// bigrams >= threshold, ordered by A then B. threshold must be in (0, 1];
// any other value (NaN included) finds no pairs.
func SimilarStems(ctx context.Context, stems []string, threshold float64) []Pair {
	if !(threshold > 0 && threshold <= 1) {
		return nil
	}
	// Map shingles to dense ids and count document frequency.
	dict := map[string]int32{}
	var freq []int32
	sets := make([][]int32, len(stems))
	for i, s := range stems {
		sh := shingles(s)
		set := make([]int32, len(sh))
		for j, w := range sh {
			id, ok := dict[w]
			if !ok {
				id = int32(len(freq))
				dict[w] = id
				freq = append(freq, 0)
			}
			freq[id]++
			set[j] = id
		}
		sets[i] = set
	}
	// Order each set's tokens by (frequency, id): rare tokens first.
	less := func(a, b int32) bool {
		if freq[a] != freq[b] {
			return freq[a] < freq[b]
		}
		return a < b
	}
	for _, s := range sets {
		sort.Slice(s, func(i, j int) bool { return less(s[i], s[j]) })
	}
	// Visit sets by size so every indexed set is no larger than the probe.
	order := make([]int, len(sets))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return len(sets[order[i]]) < len(sets[order[j]]) })

	index := map[int32][]int{}
	var pairs []Pair
	seen := map[int]bool{}
	for n, x := range order {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil
		}
		sx := sets[x]
		if len(sx) == 0 {
			continue
		}
		minSize := int(math.Ceil(threshold * float64(len(sx))))
		prefix := len(sx) - minSize + 1
		clear(seen)
		for _, tok := range sx[:prefix] {
			for _, y := range index[tok] {
				if seen[y] || len(sets[y]) < minSize {
					continue
				}
				seen[y] = true
				if sim := jaccard(sx, sets[y], less); sim >= threshold {
					a, b := min(x, y), max(x, y)
					pairs = append(pairs, Pair{A: a, B: b, Similarity: sim})
				}
			}
		}
		for _, tok := range sx[:prefix] {
			index[tok] = append(index[tok], x)
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].A != pairs[j].A {
			return pairs[i].A < pairs[j].A
		}
		return pairs[i].B < pairs[j].B
	})
	return pairs
}

// jaccard computes |a∩b| / |a∪b| of two sets sorted by less.
func jaccard(a, b []int32, less func(x, y int32) bool) float64 {
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case less(a[i], b[j]):
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func nearDuplicates(ctx context.Context, items []*bank.Item, threshold float64) []finding.Finding {
	stems := make([]string, len(items))
	for i, it := range items {
		stems[i] = it.Stem
	}
	var fs []finding.Finding
	for _, p := range SimilarStems(ctx, stems, threshold) {
		a, b := items[p.A], items[p.B]
		if a.ID == b.ID {
			continue // duplicate-id reports these
		}
		how := fmt.Sprintf("%.0f%% similar to", math.Floor(p.Similarity*100))
		if p.Similarity == 1 {
			how = "the same as"
		}
		fs = append(fs, finding.Finding{File: b.File, Line: b.Pos.Stem.Line, Column: b.Pos.Stem.Column, Rule: rules.NearDuplicate.ID, Severity: rules.NearDuplicate.Severity, Item: b.ID,
			Message: fmt.Sprintf("stem is %s the stem of %s (%s:%d); rewrite one so they test different things", how, a.ID, filepath.ToSlash(a.File), a.Pos.Stem.Line)})
	}
	return fs
}
