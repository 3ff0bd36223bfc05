package textsim

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/qbank/qbank/internal/parallel"
)

// Pair is two texts whose cosine reaches the threshold.
type Pair struct {
	A, B   int // indexes into the vectors, A < B
	Cosine float64
}

// AllPairs returns every pair of vectors whose dot product is at least
// threshold, ordered by B then A. workers <= 0 means one per CPU; the
// result does not depend on it. A threshold outside (0, 1] (NaN
// included) finds no pairs. It returns nil when ctx is cancelled.
func AllPairs(ctx context.Context, vs []Vector, threshold float64, workers int) []Pair {
	return allPairs(ctx, vs, threshold, workers, smallGroup)
}

// allPairs is AllPairs with groups of up to small members searched pair
// by pair.
func allPairs(ctx context.Context, vs []Vector, threshold float64, workers, small int) []Pair {
	if !(threshold > 0 && threshold <= 1) || len(vs) < 2 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	idx := buildIndex(vs, threshold, workers)
	// The largest groups first, so that no worker is left with one at
	// the end.
	var groups []int32
	for a := range idx.terms {
		if idx.start[a+1]-idx.start[a] > 1 {
			groups = append(groups, int32(a))
		}
	}
	size := func(a int32) int32 { return idx.start[a+1] - idx.start[a] }
	slices.SortStableFunc(groups, func(a, b int32) int { return int(size(b) - size(a)) })
	var mu sync.Mutex
	var found []Pair
	parallel.Runs(ctx, workers, len(groups), 1, func() func(lo, hi int) {
		s := newSearcher(idx, small)
		return func(lo, hi int) {
			var out []Pair
			for _, a := range groups[lo:hi] {
				out = s.search(a, out)
			}
			mu.Lock()
			found = append(found, out...)
			mu.Unlock()
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	slices.SortFunc(found, func(p, q Pair) int {
		if p.B != q.B {
			return p.B - q.B
		}
		return p.A - q.A
	})
	// Dot gives a pair found in several groups the same cosine each time.
	return slices.CompactFunc(found, func(p, q Pair) bool { return p.A == q.A && p.B == q.B })
}

// runShare is how much of the threshold a vector's run may bound. Any
// share below 1 is exact; a larger one leaves fewer terms in the groups'
// inverted indexes, but lets a single shared term make more candidates.
const runShare = 0.5

// index holds every vector's terms in the global order with its bounds,
// and each term's group.
type index struct {
	vs        []Vector
	threshold float64
	// reach is what a bound or score before Dot must reach: the threshold
	// less 1e-9 of it, for the rounding of sums in float64.
	reach float64
	terms int
	// sterms[off[d]:off[d+1]] are vector d's terms with their weights
	// rounded up, what a search reads of a vector, in one place. Here a
	// term is numbered by its place in the global order, from the rarest
	// (in fewest vectors; ties by the higher term id): a vector's terms
	// ascend from its rarest to its most frequent.
	off    []int32
	sterms []termWeight
	// members[start[a]:start[a+1]] is term a's group, in vector order.
	start   []int32
	members []member
}

// termWeight is a term of a vector, by place, and its weight rounded up.
type termWeight struct {
	term int32
	w    float32
}

// member is a vector of a term's group: sterms[at] is the term; the
// vector's terms after it are sterms[at+1:end], and its run is
// sterms[run:end]. w is its weight for the term and rest the bound of
// its run, both rounded up: kept here so that a search reads a group's
// members in a row.
type member struct {
	doc, at, run, end int32
	w, rest           float32
}

func buildIndex(vs []Vector, t float64, workers int) *index {
	terms := 0
	for _, v := range vs {
		if n := len(v.Terms); n > 0 {
			terms = max(terms, int(v.Terms[n-1])+1)
		}
	}
	maxW := make([]float64, terms)
	freq := make([]int, terms)
	for _, v := range vs {
		for k, id := range v.Terms {
			maxW[id] = max(maxW[id], v.Weights[k])
			freq[id]++
		}
	}
	// Terms renumbered by their place in the global order, rarest first
	// (fewest vectors; ties by the higher id): a vector's terms in order
	// are its new numbers, ascending.
	byPlace := make([]int32, terms)
	for id := range byPlace {
		byPlace[id] = int32(id)
	}
	slices.SortFunc(byPlace, func(a, b int32) int {
		if freq[a] != freq[b] {
			return freq[a] - freq[b]
		}
		return int(b - a)
	})
	place, maxWByPlace := make([]int32, terms), make([]float64, terms)
	for p, id := range byPlace {
		place[id], maxWByPlace[p] = int32(p), maxW[id]
	}
	idx := &index{vs: vs, threshold: t, reach: t * (1 - 1e-9), terms: terms, off: make([]int32, len(vs)+1)}
	for d, v := range vs {
		idx.off[d+1] = idx.off[d] + int32(len(v.Terms))
	}
	idx.sterms = make([]termWeight, idx.off[len(vs)])
	// How many of d's rarest terms it is a member for, where its run
	// starts, and the run's bound.
	heads, runs, rests := make([]int32, len(vs)), make([]int32, len(vs)), make([]float32, len(vs))
	parallel.For(workers, len(vs), vectorRun, func(d int) {
		heads[d], runs[d], rests[d] = idx.orderVector(d, place, maxWByPlace)
	})
	idx.start = make([]int32, terms+1)
	for d := range vs {
		for _, tw := range idx.sterms[idx.off[d] : idx.off[d]+heads[d]] {
			idx.start[tw.term+1]++
		}
	}
	for id := range terms {
		idx.start[id+1] += idx.start[id]
	}
	idx.members = make([]member, idx.start[terms])
	next := slices.Clone(idx.start[:terms])
	for d := range vs {
		for at := idx.off[d]; at < idx.off[d]+heads[d]; at++ {
			tw := idx.sterms[at]
			idx.members[next[tw.term]] = member{doc: int32(d), at: at, run: runs[d], end: idx.off[d+1], w: tw.w, rest: rests[d]}
			next[tw.term]++
		}
	}
	return idx
}

// orderVector fills vector d's sterms; maxW is the largest weight any
// vector gives each term, by place. It returns how many of its rarest
// terms it is a member for (those from which the rest of its terms can
// still add the threshold to a dot product), where its run starts in
// sterms, and the run's bound.
func (idx *index) orderVector(d int, place []int32, maxW []float64) (heads, run int32, rest float32) {
	v, t := idx.vs[d], idx.threshold
	out := idx.sterms[idx.off[d]:idx.off[d+1]]
	for k, id := range v.Terms {
		out[k] = termWeight{place[id], roundUp(v.Weights[k])}
	}
	slices.SortFunc(out, func(a, b termWeight) int { return int(a.term - b.term) })
	// bound: what the terms from i on, the most frequent, can add to a dot
	// product (from the weights rounded up: a bound still).
	sumMax, sq, runAt, low := 0.0, 0.0, len(out), len(out)
	for i := len(out) - 1; i >= 0; i-- {
		w := float64(out[i].w)
		sumMax, sq = sumMax+w*maxW[out[i].term], sq+w*w
		bound := min(sumMax, math.Sqrt(sq))
		if bound < t*runShare {
			runAt, rest = i, roundUp(bound)
		}
		if bound < idx.reach {
			low = i
		}
	}
	return int32(low), idx.off[d] + int32(runAt), rest
}

// roundUp returns the smallest float32 not below x, so that a bound kept
// in a float32 stays a bound.
func roundUp(x float64) float32 {
	f := float32(x)
	if float64(f) < x {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// searcher searches groups, with scratch space of its own.
type searcher struct {
	idx   *index
	small int // the largest group searched pair by pair
	// The group's inverted index: entries[lists[b].from:lists[b].to] are
	// the members holding term b after the group's term and outside their
	// run, ascending; used lists the terms that have entries.
	lists   []list
	used    []int32
	entries []entry
	// By member: the score the later member searching has counted with
	// it, and 1 + that member's place when it has.
	acc   []float64
	stamp []int32
	// The members whose product for the group's term can reach the
	// threshold with their run alone; the members met by the one
	// searching.
	strong, met []int32
	// By term: the searching member's weight, for its terms after the
	// group's.
	xw   []float32
	sink int32
}

// list is where a term's entries are in a group's inverted index, and
// how many there are while it is built.
type list struct{ from, to, count int32 }

// entry is a member's weight for a term.
type entry struct {
	m int32
	w float32
}

func newSearcher(idx *index, small int) *searcher {
	return &searcher{idx: idx, small: small, lists: make([]list, idx.terms), xw: make([]float32, idx.terms)}
}

// search appends the pairs of term a's group that reach the threshold,
// each measured with Dot.
func (s *searcher) search(a int32, out []Pair) []Pair {
	idx, t := s.idx, s.idx.reach
	ms := idx.members[idx.start[a]:idx.start[a+1]]
	n := len(ms)
	if n <= s.small {
		return s.searchSmall(ms, out)
	}
	s.acc = slices.Grow(s.acc[:0], n)[:n]
	s.stamp = slices.Grow(s.stamp[:0], n)[:n]
	clear(s.stamp)
	// Touch each member's terms first: loads that do not wait for each
	// other, where the loop below waits for one at a time.
	var touch int32
	for _, m := range ms {
		touch += idx.sterms[m.run-1].term
	}
	s.sink += touch
	// Count, then place, the members' terms after a outside their runs.
	s.used = s.used[:0]
	total, maxWa := int32(0), 0.0
	for _, m := range ms {
		maxWa = max(maxWa, float64(m.w))
		for _, tw := range idx.sterms[m.at+1 : m.run] {
			l := &s.lists[tw.term]
			if l.count == 0 {
				s.used = append(s.used, tw.term)
			}
			l.count++
			total++
		}
	}
	at := int32(0)
	for _, b := range s.used {
		l := &s.lists[b]
		l.from, l.to = at, at
		at += l.count
		l.count = 0
	}
	s.entries = slices.Grow(s.entries[:0], int(total))[:total]
	s.strong = s.strong[:0]
	for j, m := range ms {
		for _, tw := range idx.sterms[m.at+1 : m.run] {
			l := &s.lists[tw.term]
			s.entries[l.to] = entry{int32(j), tw.w}
			l.to++
		}
		if maxWa*float64(m.w)+float64(m.rest) >= t {
			s.strong = append(s.strong, int32(j))
		}
	}
	for jx, mx := range ms {
		out = s.meet(jx, mx, ms, out)
	}
	for _, b := range s.used {
		s.lists[b] = list{}
	}
	return out
}

// smallGroup is the largest group whose pairs are each measured in one
// pass over both members' terms, instead of through an inverted index of
// its own (at 10,000 texts over a large vocabulary most groups are that
// small, and building their indexes took longer).
const smallGroup = 6

// searchSmall appends the pairs of the group ms that reach the threshold,
// measuring what each two members share from the group's term on.
func (s *searcher) searchSmall(ms []member, out []Pair) []Pair {
	idx, t := s.idx, s.idx.reach
	for jx, mx := range ms {
		xs := idx.sterms[mx.at+1 : mx.end]
		for _, m := range ms[:jx] {
			sum := float64(mx.w) * float64(m.w)
			ys := idx.sterms[m.at+1 : m.end]
			for i, k := 0, 0; i < len(xs) && k < len(ys); {
				switch {
				case xs[i].term == ys[k].term:
					sum += float64(xs[i].w) * float64(ys[k].w)
					i++
					k++
				case xs[i].term < ys[k].term:
					i++
				default:
					k++
				}
			}
			if sum < t {
				continue
			}
			if c := Dot(idx.vs[m.doc], idx.vs[mx.doc]); c >= idx.threshold {
				out = append(out, Pair{A: int(m.doc), B: int(mx.doc), Cosine: c})
			}
		}
	}
	return out
}

// meet appends the pairs of member jx of the group ms and the members
// before it that reach the threshold.
func (s *searcher) meet(jx int, mx member, ms []member, out []Pair) []Pair {
	idx, t := s.idx, s.idx.reach
	wxa, mark := float64(mx.w), int32(jx+1)
	s.met = s.met[:0]
	// Members that share a term after a outside their run: what they
	// share there.
	for _, tw := range idx.sterms[mx.at+1 : mx.end] {
		s.xw[tw.term] = tw.w
		wx := float64(tw.w)
		l := s.lists[tw.term]
		for _, e := range s.entries[l.from:l.to] {
			if int(e.m) >= jx {
				break
			}
			if s.stamp[e.m] != mark {
				s.stamp[e.m] = mark
				s.acc[e.m] = wxa*float64(ms[e.m].w) + wx*float64(e.w)
				s.met = append(s.met, e.m)
				continue
			}
			s.acc[e.m] += wx * float64(e.w)
		}
	}
	// Members that share no such term, which a and the run can take to t.
	for _, j := range s.strong {
		if int(j) >= jx {
			break
		}
		if s.stamp[j] != mark && wxa*float64(ms[j].w)+float64(ms[j].rest) >= t {
			s.stamp[j] = mark
			s.acc[j] = wxa * float64(ms[j].w)
			s.met = append(s.met, j)
		}
	}
	x := mx.doc
	for _, j := range s.met {
		m := ms[j]
		sum := s.acc[j]
		if sum+float64(m.rest) < t {
			continue
		}
		// Add what the run shares: its terms come after a, as a run holds
		// its vector's most frequent terms.
		for _, tw := range idx.sterms[m.run:m.end] {
			sum += float64(s.xw[tw.term]) * float64(tw.w)
		}
		if sum < t {
			continue
		}
		if c := Dot(idx.vs[m.doc], idx.vs[x]); c >= idx.threshold {
			out = append(out, Pair{A: int(m.doc), B: int(x), Cosine: c})
		}
	}
	for _, tw := range idx.sterms[mx.at+1 : mx.end] {
		s.xw[tw.term] = 0
	}
	return out
}
