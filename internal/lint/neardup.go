package lint

import (
	"context"
	"fmt"
	"iter"
	"math"
	"path/filepath"
	"slices"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/parallel"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/textsim"
)

// Near-duplicate stems are found by exact Jaccard similarity of word-bigram
// sets with PPJoin (Xiao et al., "Efficient similarity joins for near
// duplicate detection", WWW 2008), an all-pairs method that compares only
// the pairs that can still reach the threshold:
//
//   - tokens (bigrams) become integers ranked by global frequency, rarest
//     first, and every set is sorted by rank;
//   - prefix filtering: two sets with Jaccard >= t share at least
//     alpha = ceil(t/(1+t) * (|x|+|y|)) tokens, hence a token among the
//     first |x| - alpha + 1 of each, so only those prefixes are indexed and
//     probed, and common boilerplate ("which aws service") rarely makes a
//     candidate;
//   - size filtering: |y| >= t*|x|;
//   - positional filtering: a candidate whose overlap so far plus the
//     tokens left after the match positions cannot reach alpha is dropped;
//   - verification merges the two sets with an early exit as soon as the
//     overlap can no longer reach alpha.
//
// Every bound is computed with the same float64 arithmetic as the final
// similarity test, so the pairs are exactly those of the brute-force
// definition (TestSimilarStemsIsExact). The probes are independent and run
// on every core; the pairs are then sorted.

// Pair is two items whose stems are near-duplicates.
type Pair struct {
	A, B       int // indexes into the items given, A < B
	Similarity float64
}

// similar reports whether an overlap of o tokens between sets of sizes
// la and lb reaches threshold: the one similarity test every bound uses.
func similar(o, la, lb int, threshold float64) bool {
	return o > 0 && float64(o)/float64(la+lb-o) >= threshold
}

// minOverlap returns the least overlap with which sets of sizes la and lb
// are similar, or la+1 when none is enough. It starts from the real-valued
// bound and steps to the exact integer under float64 arithmetic.
func minOverlap(la, lb int, threshold float64) int {
	o := max(int(threshold*float64(la+lb)/(1+threshold))-1, 1)
	for o > 1 && similar(o-1, la, lb, threshold) {
		o--
	}
	for o <= min(la, lb) && !similar(o, la, lb, threshold) {
		o++
	}
	if o > min(la, lb) {
		return la + 1
	}
	return o
}

// SimilarStems returns every pair of stems with Jaccard similarity of word
// bigrams >= threshold, ordered by A then B. threshold must be in (0, 1];
// any other value (NaN included) finds no pairs.
func SimilarStems(ctx context.Context, stems []string, threshold float64) []Pair {
	return similarStems(ctx, stems, threshold, 0)
}

// similarStems is SimilarStems with the stems' token sets built on at
// most cpus CPUs (cpus <= 0 means all); the search itself uses all.
func similarStems(ctx context.Context, stems []string, threshold float64, cpus int) []Pair {
	if !(threshold > 0 && threshold <= 1) {
		return nil
	}
	sets := tokenSets(stems, cpus)
	j := newJoin(sets, threshold)
	const batch = 256
	found := make([][]Pair, (len(j.order)+batch-1)/batch) // by batch
	parallel.Runs(ctx, 0, len(j.order), batch, func() func(lo, hi int) {
		p := j.newProbe()
		return func(lo, hi int) {
			for k := lo; k < hi; k++ {
				found[lo/batch] = p.probe(k, found[lo/batch])
			}
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	var pairs []Pair
	for _, f := range found {
		pairs = append(pairs, f...)
	}
	slices.SortFunc(pairs, func(a, b Pair) int {
		if a.A != b.A {
			return a.A - b.A
		}
		return a.B - b.B
	})
	return pairs
}

// tokenSets returns each stem's distinct shingles as token ranks, sorted:
// 0 is the rarest shingle of all stems, ties by the shingle's word ids.
// Any such global order keeps the join exact; rarest first makes the
// prefixes selective.
//
// Words get ids in one pass (textsim.InternSeq), and a shingle is a pair of
// word ids (hi, lo); a stem of one word is that word alone (hi = the
// number of words, which no bigram has). The shingles are numbered by a
// bucket sort on hi, so no dictionary of them is built: the buckets are
// sorted and counted in parallel, on at most cpus CPUs (<= 0: all).
func tokenSets(stems []string, cpus int) [][]int32 {
	ids, vocabulary := textsim.InternSeq(len(stems), func(i int) iter.Seq[string] { return textsim.FieldsSeq(stems[i]) }, func(w string) string { return w }, cpus)
	single := uint64(len(vocabulary))
	keys := make([][]uint64, len(stems))
	parallel.For(cpus, len(stems), loopRun, func(i int) {
		ws := ids[i]
		var k []uint64
		switch {
		case len(ws) == 1:
			k = []uint64{single<<32 | uint64(ws[0])}
		case len(ws) > 1:
			k = make([]uint64, len(ws)-1)
			for j := 1; j < len(ws); j++ {
				k[j-1] = uint64(ws[j-1])<<32 | uint64(ws[j])
			}
			slices.Sort(k)
			k = slices.Compact(k)
		}
		keys[i] = k
	})
	// occ: the shingles of all stems in a row, keys[i] at off[i].
	off := make([]int, len(stems)+1)
	for i, k := range keys {
		off[i+1] = off[i] + len(k)
	}
	// Bucket the shingles by hi, each entry lo<<32 | occ; sorted, a
	// bucket's runs of one lo are its tokens in order, and a run's length
	// is the token's frequency (a stem's keys are distinct).
	buckets := int(single) + 1
	start := make([]int32, buckets+1)
	for _, k := range keys {
		for _, key := range k {
			start[key>>32+1]++
		}
	}
	for b := range buckets {
		start[b+1] += start[b]
	}
	entries := make([]uint64, off[len(stems)])
	next := slices.Clone(start[:buckets])
	for i, k := range keys {
		for j, key := range k {
			entries[next[key>>32]] = uint64(uint32(key))<<32 | uint64(off[i]+j)
			next[key>>32]++
		}
		keys[i] = nil
	}
	distinct := next // reused: distinct[b] is bucket b's number of tokens
	parallel.For(cpus, buckets, loopRun, func(b int) {
		e := entries[start[b]:start[b+1]]
		slices.Sort(e)
		n := 0
		for j := range e {
			if j == 0 || e[j]>>32 != e[j-1]>>32 {
				n++
			}
		}
		distinct[b] = int32(n)
	})
	// first[b]: bucket b's first token number.
	first := make([]int32, buckets+1)
	for b := range buckets {
		first[b+1] = first[b] + distinct[b]
	}
	tokenFreq := make([]int32, first[buckets])
	tokenOf := make([]int32, len(entries)) // by occ
	parallel.For(cpus, buckets, loopRun, func(b int) {
		e := entries[start[b]:start[b+1]]
		t := first[b] - 1
		for j, v := range e {
			if j == 0 || v>>32 != e[j-1]>>32 {
				t++
			}
			tokenFreq[t]++
			tokenOf[uint32(v)] = t
		}
	})
	// Rank tokens by (frequency, number): a counting sort.
	maxFreq := int32(0)
	for _, f := range tokenFreq {
		maxFreq = max(maxFreq, f)
	}
	byFreq := make([]int32, maxFreq+2)
	for _, f := range tokenFreq {
		byFreq[f+1]++
	}
	for f := range maxFreq + 1 {
		byFreq[f+1] += byFreq[f]
	}
	rank := make([]int32, len(tokenFreq))
	for t, f := range tokenFreq {
		rank[t] = byFreq[f]
		byFreq[f]++
	}
	sets := make([][]int32, len(stems))
	parallel.For(cpus, len(stems), loopRun, func(i int) {
		set := ids[i][:off[i+1]-off[i]] // the word ids are no longer needed
		for j, t := range tokenOf[off[i]:off[i+1]] {
			set[j] = rank[t]
		}
		slices.Sort(set)
		sets[i], ids[i] = set, nil
	})
	return sets
}

// loopRun is how many stems or buckets a goroutine of tokenSets takes at
// a time.
const loopRun = 64

// posting is one indexed prefix token of a set: the set's place in the
// probe order and the token's position in the set.
type posting struct {
	at, pos int32
}

// join is the prefix index over all sets, visited by size.
type join struct {
	sets      [][]int32
	threshold float64
	order     []int32 // set indexes by size (ties by index)
	sizeStart []int32 // sizeStart[s]: first place in order of a set of size >= s
	// The postings of token t, in probe order, are
	// postings[start[t]:start[t+1]].
	start    []int32
	postings []posting
}

func newJoin(sets [][]int32, threshold float64) *join {
	j := &join{sets: sets, threshold: threshold}
	maxSize := 0
	for _, s := range sets {
		maxSize = max(maxSize, len(s))
	}
	// Counting sort by size keeps ties in index order.
	count := make([]int32, maxSize+2)
	for _, s := range sets {
		count[len(s)+1]++
	}
	for s := 1; s < len(count); s++ {
		count[s] += count[s-1]
	}
	j.sizeStart = append([]int32(nil), count...)
	j.order = make([]int32, len(sets))
	for i, s := range sets {
		j.order[count[len(s)]] = int32(i)
		count[len(s)]++
	}
	// Index each set's prefix for probes by sets no smaller than it.
	ntok := 0
	for _, s := range sets {
		if len(s) > 0 {
			ntok = max(ntok, int(s[len(s)-1])+1)
		}
	}
	// prefix is how many of a set's tokens are indexed.
	prefix := func(s []int32) []int32 {
		return s[:max(len(s)-minOverlap(len(s), len(s), threshold)+1, 0)]
	}
	j.start = make([]int32, ntok+1)
	for _, x := range j.order {
		for _, t := range prefix(sets[x]) {
			j.start[t+1]++
		}
	}
	for t := range ntok {
		j.start[t+1] += j.start[t]
	}
	j.postings = make([]posting, j.start[ntok])
	next := slices.Clone(j.start[:ntok])
	for at, x := range j.order {
		for pos, t := range prefix(sets[x]) {
			j.postings[next[t]] = posting{int32(at), int32(pos)}
			next[t]++
		}
	}
	return j
}

// probeState is one worker's scratch space.
type probeState struct {
	j       *join
	overlap []int32 // by place in order: prefix overlap so far, -1 pruned
	touched []int32
	alpha   []int // the probe in hand's least overlaps, by size
}

func (j *join) newProbe() *probeState {
	return &probeState{j: j, overlap: make([]int32, len(j.order))}
}

// probe finds the sets before place k in the probe order (no larger than
// the set there) that are similar to it, and appends the pairs to out.
func (p *probeState) probe(k int, out []Pair) []Pair {
	j := p.j
	x := j.order[k]
	sx := j.sets[x]
	lx := len(sx)
	if lx == 0 {
		return out
	}
	// The smallest similar size: its best case is overlap = its size.
	minSize := lx + 1
	for ly := lx; ly >= 1 && similar(ly, lx, ly, j.threshold); ly-- {
		minSize = ly
	}
	if minSize > lx {
		return out
	}
	from := j.sizeStart[minSize]
	prefix := lx - minOverlap(lx, minSize, j.threshold) + 1
	// alpha[ly-minSize]: the least overlap with a set of size ly.
	p.alpha = p.alpha[:0]
	for ly := minSize; ly <= lx; ly++ {
		p.alpha = append(p.alpha, minOverlap(lx, ly, j.threshold))
	}
	for i, t := range sx[:prefix] {
		list := j.postings[j.start[t]:j.start[t+1]]
		// Postings are in probe order: skip the too small, stop at k.
		lo, _ := slices.BinarySearchFunc(list, from, func(e posting, at int32) int { return int(e.at - at) })
		// The probe order is by size, so the size of the set at a place
		// follows from sizeStart, and only grows along a list.
		ly := minSize
		for _, e := range list[lo:] {
			if int(e.at) >= k {
				break
			}
			o := p.overlap[e.at]
			if o < 0 {
				continue
			}
			for e.at >= j.sizeStart[ly+1] {
				ly++
			}
			alpha := p.alpha[ly-minSize]
			if int(o)+1+min(lx-i-1, ly-int(e.pos)-1) < alpha {
				p.overlap[e.at] = -1
				if o == 0 {
					p.touched = append(p.touched, e.at)
				}
				continue
			}
			if o == 0 {
				p.touched = append(p.touched, e.at)
			}
			p.overlap[e.at] = o + 1
		}
	}
	for _, at := range p.touched {
		if p.overlap[at] > 0 {
			y := j.order[at]
			sy := j.sets[y]
			if o, ok := overlapAtLeast(sx, sy, minOverlap(lx, len(sy), j.threshold)); ok {
				out = append(out, Pair{A: int(min(x, y)), B: int(max(x, y)), Similarity: float64(o) / float64(lx+len(sy)-o)})
			}
		}
		p.overlap[at] = 0
	}
	p.touched = p.touched[:0]
	return out
}

// overlapAtLeast returns |a ∩ b| of two sorted sets, and whether it is at
// least alpha; it stops early once alpha is out of reach.
func overlapAtLeast(a, b []int32, alpha int) (int, bool) {
	o := 0
	i, k := 0, 0
	for i < len(a) && k < len(b) {
		if o+min(len(a)-i, len(b)-k) < alpha {
			return o, false
		}
		switch {
		case a[i] == b[k]:
			o++
			i++
			k++
		case a[i] < b[k]:
			i++
		default:
			k++
		}
	}
	return o, o >= alpha
}

// nearDuplicates reports the items whose stems are near duplicates,
// building the stems' token sets on at most cpus CPUs (<= 0: all), and
// publishes the pairs to near.
func nearDuplicates(ctx context.Context, items []*bank.Item, threshold float64, cpus int, near *nearPairs) []finding.Finding {
	stems := make([]string, len(items))
	for i, it := range items {
		stems[i] = it.Stem
	}
	pairs := similarStems(ctx, stems, threshold, cpus)
	near.publish(items, pairs)
	var fs []finding.Finding
	for _, p := range pairs {
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
