// Package textsim finds pairs of short texts that say the same thing in
// different words: every text becomes a TF-IDF vector over its content
// words (lower-cased, stop words dropped, plurals folded), and two texts
// are similar when the cosine of their vectors reaches a threshold.
//
// The all-pairs search is exact but not quadratic (after Bayardo, Ma and
// Srikant, "Scaling up all pairs similarity search", WWW 2007, with the L2
// bound of Anastasiu and Karypis, ICDE 2014). Terms are ordered from the
// most to the least frequent; each vector leaves out of the inverted index
// the longest leading run of its terms that cannot add half the threshold
// to any dot product (the bound is the smaller of the run's L2 norm and of
// the sum of its weights times the largest weight any vector gives each
// term), so frequent, light terms (boilerplate) make no candidates. A
// vector x probes the index rarest term first. What x and a vector y
// share after the term probed (y's run included: it comes earlier in the
// order) is bounded by what is left of x, and by the product of the L2
// norm of what is left of x and that of y's terms before the posting's,
// which the posting keeps (the ℓ2 bounds of L2AP): y is admitted as a
// candidate only when its product at this term plus that bound can reach
// the threshold, and a candidate is dropped as soon as what the index
// added plus the bound cannot. A vector whose product plus the largest
// run bound cannot reach the threshold needs another indexed term shared
// with x: it is only noted, with its product, and becomes a candidate
// when the index meets it again (most never are). A candidate's score is
// what the index added plus its run, looked up directly, once what the
// index added plus the run's bound reaches the threshold. Probing is
// spread over workers; the result does not depend on their number.
//
// Every bound is an upper bound: kept in a float32, it is rounded up, and
// the comparisons allow 1e-9 of the threshold for the rounding of sums
// in float64. The cosine reported is Dot's.
package textsim

import (
	"context"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"

	"github.com/qbank/qbank/internal/parallel"
)

// Vector is a sparse unit vector: Terms ascending, Weights aligned.
type Vector struct {
	Terms   []int32
	Weights []float64
}

// Dot returns the dot product of two vectors (their cosine, as both have
// unit length), summed in term order so that it is the same number
// whichever way it is reached.
func Dot(a, b Vector) float64 {
	s := 0.0
	for i, j := 0, 0; i < len(a.Terms) && j < len(b.Terms); {
		switch {
		case a.Terms[i] == b.Terms[j]:
			s += a.Weights[i] * b.Weights[j]
			i++
			j++
		case a.Terms[i] < b.Terms[j]:
			i++
		default:
			j++
		}
	}
	return s
}

// Model holds the vocabulary and the vectors of a set of texts.
type Model struct {
	// Words maps a term id to its word as first seen (before folding).
	Words []string
	// DF is each term's document frequency.
	DF []int
	// Vectors are the texts' vectors, in the order given.
	Vectors []Vector
}

// Vectorize builds the TF-IDF vectors of texts: weight (1 + ln tf) *
// ln(N / df), normalised to unit length. A word in every text weighs
// nothing; a text with no weighty word has an empty vector.
func Vectorize(texts []string) *Model {
	return VectorizeSeq(len(texts), func(i int) iter.Seq[string] {
		return func(yield func(string) bool) { yield(texts[i]) }
	}, 0)
}

// VectorizeSeq is Vectorize of n texts that come in parts: text i is what
// parts(i) yields, as if joined by line breaks, without joining them. It
// keeps at most cpus CPUs busy (cpus <= 0 means all): a caller running
// another search beside it gives it its share.
func VectorizeSeq(n int, parts func(i int) iter.Seq[string], cpus int) *Model {
	m := &Model{Vectors: make([]Vector, n)}
	words := func(i int) iter.Seq[word] {
		return func(yield func(word) bool) {
			for part := range parts(i) {
				for w := range contentWords(part) {
					if !yield(w) {
						return
					}
				}
			}
		}
	}
	// Term ids in order of first appearance, so the model does not depend
	// on scheduling; each text's terms with their counts.
	ids, firsts := InternSeq(n, words, func(w word) string { return w.folded }, cpus)
	m.Words = make([]string, len(firsts))
	for id, w := range firsts {
		m.Words[id] = strings.Clone(w.surface) // not the whole text it is cut from
	}
	tfs := make([][]int32, n)
	parallel.For(cpus, n, vectorRun, func(i int) {
		ids := ids[i]
		slices.Sort(ids)
		terms, tf := ids[:0], make([]int32, 0, len(ids))
		for j, id := range ids {
			if j > 0 && id == ids[j-1] {
				tf[len(tf)-1]++
				continue
			}
			terms = append(terms, id)
			tf = append(tf, 1)
		}
		m.Vectors[i].Terms, tfs[i] = terms, tf
	})
	m.DF = make([]int, len(firsts))
	for _, v := range m.Vectors {
		for _, id := range v.Terms {
			m.DF[id]++
		}
	}
	idf := make([]float64, len(m.DF)) // a logarithm per term, not per text
	for id, df := range m.DF {
		idf[id] = math.Log(float64(n) / float64(df))
	}
	parallel.For(cpus, n, vectorRun, func(i int) {
		v, tf := &m.Vectors[i], tfs[i]
		terms := v.Terms[:0]
		weights := make([]float64, 0, len(v.Terms))
		norm := 0.0
		for k, id := range v.Terms {
			if m.DF[id] == n {
				continue // in every text: weighs nothing
			}
			w := idf[id] // times 1 + ln 1
			if tf[k] > 1 {
				w *= 1 + math.Log(float64(tf[k]))
			}
			terms = append(terms, id)
			weights = append(weights, w)
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for k := range weights {
			weights[k] /= norm
		}
		v.Terms, v.Weights = terms, weights
	})
	return m
}

// vectorRun is how many vectors a goroutine takes at a time in the loops
// over all vectors.
const vectorRun = 512

// Words returns the content words of a text: lower-cased runs of letters
// and digits, without stop words and one-letter words, with a plural s
// folded ("instances" and "instance" are one word).
func Words(text string) []string {
	var out []string
	for _, w := range words(text) {
		out = append(out, w.folded)
	}
	return out
}

type word struct{ surface, folded string }

func words(text string) []word {
	return slices.Collect(contentWords(text))
}

// contentWords yields the content words of a text with their folded form.
func contentWords(text string) iter.Seq[word] {
	return func(yield func(word) bool) {
		for w := range FieldsSeq(text) {
			if len(w) < 2 || stopWords[w] {
				continue
			}
			if !yield(word{w, fold(w)}) {
				return
			}
		}
	}
}

func fold(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		if strings.HasSuffix(w, "ies") && len(w) > 4 {
			return w[:len(w)-3] + "y"
		}
		return w[:len(w)-1]
	}
	return w
}

// stopWords are English function words and the "(Select TWO.)" phrase of
// multiple-response stems, which say nothing about what an item tests.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at be
		because been before being below between both but by can could did do does doing down during each
		few for from further had has have having he her here hers him his how i if in into is it its itself
		just may me might more most must my no nor not now of off on once only or other our ours out over own
		same shall she should so some such than that the their theirs them then there these they this those
		through to too under until up upon very was we were what when where which while who whom whose why
		will with within without would you your yours select`) {
		m[w] = true
	}
	return m
}()

// Pair is two texts whose cosine reaches the threshold.
type Pair struct {
	A, B   int // indexes into the vectors, A < B
	Cosine float64
}

// AllPairs returns every pair of vectors whose dot product is at least
// threshold, ordered by B then A. workers <= 0 means one per CPU. A
// threshold outside (0, 1] (NaN included) finds no pairs. It returns nil
// when ctx is cancelled.
func AllPairs(ctx context.Context, vs []Vector, threshold float64, workers int) []Pair {
	if !(threshold > 0 && threshold <= 1) || len(vs) < 2 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	idx := buildIndex(vs, threshold, workers)
	const chunk = 256
	results := make([][]Pair, (len(vs)+chunk-1)/chunk) // by chunk, in order
	parallel.Runs(ctx, workers, len(vs), chunk, func() func(lo, hi int) {
		p := newProber(idx, len(vs))
		return func(lo, hi int) {
			for x := lo; x < hi; x++ {
				results[lo/chunk] = p.probe(x, results[lo/chunk])
			}
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	var out []Pair
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

// runShare is how much of the threshold a vector's unindexed run may
// bound. Any share below 1 is exact; a smaller one indexes a little more
// but leaves less to verify: a candidate met through one shared term
// cannot reach the threshold with the runs' help, so it costs one
// comparison instead of a lookup of the run.
const runShare = 0.5

// index holds, for each vector, the terms after its light leading run (in
// the global order, most frequent term first): the longest run whose
// contribution to any dot product is bounded below runShare times the
// threshold. Two vectors that reach the threshold therefore share a term
// outside the run of the earlier one, which the index finds when the
// later one probes.
//
// The postings of term id are postings[start[id]:start[id+1]], docs
// ascending. Each is one record, so that a probe scanning a term's list
// waits for one stream of memory, not three (which took most of its time).
type index struct {
	vs        []Vector
	threshold float64
	start     []int32
	postings  []posting
	// The run of vector d is the last runLen[d] positions of its order.
	// heads[d].rest bounds what it adds to any dot product, and
	// runs[heads[d].at:heads[d+1].at] are its terms: what a probe that has
	// d as a candidate reads of it, in two places instead of five (off,
	// runLen, order, Terms, Weights).
	runLen []int32
	heads  []runHead
	runs   []runTerm
	// maxRest is the largest heads[d].rest: a candidate whose score so far
	// plus maxRest cannot reach the threshold is dropped without a look
	// at its own head (a cache miss for each of most candidates).
	maxRest float64
	// order[off[d]:off[d+1]] are vector d's term positions from the
	// rarest term to the most frequent; left[off[d]+i] bounds what its
	// order from i on adds to any dot product.
	off   []int32
	order []int32
	left  []float64
	terms int
}

// runHead is the bound of a vector's run, rounded up to a float32, and
// where its terms start in index.runs.
type runHead struct {
	rest float32
	at   int32
}

// runTerm is a term of a run and the vector's weight for it, rounded up.
type runTerm struct {
	term   int32
	weight float32
}

// posting is one vector's weight for a term, rounded up to a float32, and
// the L2 norm of its terms before this one in the global order (its run
// included), rounded up: bounds of the float64 values.
type posting struct {
	doc          int32
	weight, norm float32
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
	idx := &index{vs: vs, threshold: t, terms: terms, runLen: make([]int32, len(vs)), heads: make([]runHead, len(vs)+1), off: make([]int32, len(vs)+1)}
	for d, v := range vs {
		idx.off[d+1] = idx.off[d] + int32(len(v.Terms))
	}
	idx.order = make([]int32, idx.off[len(vs)])
	idx.left = make([]float64, idx.off[len(vs)])
	parallel.For(workers, len(vs), vectorRun, func(d int) { idx.orderVector(d, freq, maxW) })
	idx.post()
	idx.fillRuns(workers)
	return idx
}

// orderVector fills vector d's order, left, run length and run bound.
func (idx *index) orderVector(d int, freq []int, maxW []float64) {
	v, t := idx.vs[d], idx.threshold
	order, bound := idx.order[idx.off[d]:idx.off[d+1]], idx.left[idx.off[d]:idx.off[d+1]]
	for k := range order {
		order[k] = int32(k)
	}
	// Most frequent first; ties by term id.
	slices.SortFunc(order, func(a, b int32) int {
		fa, fb := freq[v.Terms[a]], freq[v.Terms[b]]
		if fa != fb {
			return fb - fa
		}
		return int(v.Terms[a] - v.Terms[b])
	})
	sumMax, sq, run := 0.0, 0.0, 0
	for i, k := range order { // bound[i]: of order[:i+1]
		w := v.Weights[k]
		sumMax, sq = sumMax+w*maxW[v.Terms[k]], sq+w*w
		bound[i] = min(sumMax, math.Sqrt(sq))
		if bound[i] < t*runShare {
			run = i + 1
		}
	}
	if run > 0 {
		idx.heads[d].rest = roundUp(bound[run-1])
	}
	idx.runLen[d] = int32(run)
	slices.Reverse(order)
	slices.Reverse(bound)
}

// post fills the postings: every vector's terms but its run, in doc order.
func (idx *index) post() {
	idx.start = make([]int32, idx.terms+1)
	for d, v := range idx.vs {
		for _, k := range idx.order[idx.off[d] : idx.off[d+1]-idx.runLen[d]] {
			idx.start[v.Terms[k]+1]++
		}
	}
	for id := range idx.terms {
		idx.start[id+1] += idx.start[id]
	}
	n := idx.start[idx.terms]
	idx.postings = make([]posting, n)
	next := slices.Clone(idx.start[:idx.terms])
	for d, v := range idx.vs {
		order := idx.order[idx.off[d]:idx.off[d+1]]
		sq := 0.0
		for i := len(order) - 1; i >= 0; i-- { // most frequent first
			k := order[i]
			if i < len(order)-int(idx.runLen[d]) {
				j := next[v.Terms[k]]
				next[v.Terms[k]]++
				idx.postings[j] = posting{int32(d), roundUp(v.Weights[k]), roundUp(math.Sqrt(sq))}
			}
			sq += v.Weights[k] * v.Weights[k]
		}
	}
}

// fillRuns fills runs, where each run starts and maxRest, with up to
// workers goroutines.
func (idx *index) fillRuns(workers int) {
	at := int32(0)
	for d := range idx.vs {
		idx.heads[d].at = at
		at += idx.runLen[d]
	}
	idx.heads[len(idx.vs)].at = at
	for _, h := range idx.heads {
		idx.maxRest = max(idx.maxRest, float64(h.rest))
	}
	idx.runs = make([]runTerm, at)
	parallel.For(workers, len(idx.vs), vectorRun, func(d int) {
		v := idx.vs[d]
		run := idx.runs[idx.heads[d].at:idx.heads[d+1].at]
		for i, k := range idx.order[idx.off[d+1]-idx.runLen[d] : idx.off[d+1]] {
			run[i] = runTerm{v.Terms[k], roundUp(v.Weights[k])}
		}
	})
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

// candidate is a vector met in a probe and its score so far.
type candidate struct {
	doc int32
	sum float64
}

// prober scores one vector against the index.
type prober struct {
	idx *index
	// The candidates of the probe in hand, in the order met, with their
	// scores: the final pass reads them in a row. slot[y] is y's place
	// among them when cand says y is one.
	cands []candidate
	slot  []int32
	seen  []uint64 // bit y: y is a candidate or pending
	cand  []uint64 // bit y: y is a candidate
	// A vector met once that can reach t only if the index meets it again
	// is pending, not a candidate: seen but not cand, with its score so
	// far, its one product, in pend[y]. Pending costs one store; a
	// candidate costs two, and a look in the final pass.
	pend []float64
	xw   []float64 // the probing vector's weights by term id
	xn   []float64 // xn[i]: the L2 norm of the probing vector's order[i:]
}

func newProber(idx *index, n int) *prober {
	return &prober{idx: idx, slot: make([]int32, n), seen: make([]uint64, (n+63)/64), cand: make([]uint64, (n+63)/64), pend: make([]float64, n), xw: make([]float64, idx.terms)}
}

// probe appends the pairs (y, x) with y < x and dot >= threshold, in
// ascending y.
func (p *prober) probe(x int, out []Pair) []Pair {
	idx, t := p.idx, p.idx.threshold*(1-1e-9)
	vx := idx.vs[x]
	for k, id := range vx.Terms {
		p.xw[id] = vx.Weights[k]
	}
	p.cands = p.cands[:0]
	// Rarest (heaviest) terms first. Met in the postings of order[i] (a
	// term it indexes), a vector y shares with x after it only terms of
	// order[i+1:] that come before order[i] in y's own order: its run
	// holds its most frequent terms, which come after order[i] in the
	// global order, and the rarer terms of x were probed. So what is left
	// is bounded by left[i+1] and by xn[i+1] times y's norm there; and y
	// is not admitted at all when left[i] cannot reach t.
	left, order := idx.left[idx.off[x]:idx.off[x+1]], idx.order[idx.off[x]:idx.off[x+1]]
	p.xn = suffixNorms(p.xn, vx, order)
	for i, k := range order {
		id, wx := vx.Terms[k], vx.Weights[k]
		lo, hi := idx.start[id], idx.start[id+1]
		lnext := 0.0
		if i+1 < len(left) {
			lnext = left[i+1]
		}
		if left[i] >= t {
			p.admit(x, wx, p.xn[i+1], lnext, t, lo, hi)
		} else {
			p.add(x, wx, p.xn[i+1], lnext, t, lo, hi)
		}
	}
	first := len(out)
	for _, c := range p.cands {
		y := c.doc
		// The index added every shared term outside y's run; add the run.
		s := c.sum
		p.cand[y>>6] = 0 // the probe is over: clear, a word at a time
		if s+idx.maxRest < t {
			continue
		}
		head := idx.heads[y]
		if s+float64(head.rest) < t {
			continue
		}
		for _, r := range idx.runs[head.at:idx.heads[y+1].at] {
			s += p.xw[r.term] * float64(r.weight)
		}
		if s < t {
			continue
		}
		// The same sum in term order, as the definition computes it.
		if c := Dot(idx.vs[y], vx); c >= idx.threshold {
			out = append(out, Pair{A: int(y), B: x, Cosine: c})
		}
	}
	clear(p.seen[:x>>6+1]) // only vectors before x are met
	for _, id := range vx.Terms {
		p.xw[id] = 0
	}
	slices.SortFunc(out[first:], func(a, b Pair) int { return a.A - b.A })
	return out
}

// suffixNorms returns in buf the L2 norms of v's terms at order[i:], for
// i from 0 to len(order).
func suffixNorms(buf []float64, v Vector, order []int32) []float64 {
	buf = slices.Grow(buf[:0], len(order)+1)[:len(order)+1]
	sq := 0.0
	buf[len(order)] = 0
	for i := len(order) - 1; i >= 0; i-- {
		w := v.Weights[order[i]]
		sq += w * w
		buf[i] = math.Sqrt(sq)
	}
	return buf
}

// admit adds wx times the postings lo:hi of docs before x, admitting
// those not yet candidates that can still reach t: what x and y share
// after this term is bounded by the product of their norms there (xn for
// x; y's is in the posting), and by lnext, what x's next terms can add
// to any dot product. A candidate that can no longer reach t is pruned:
// its score becomes -Inf. A vector that needs another indexed term to
// reach t is left pending, and becomes a candidate when met again.
func (p *prober) admit(x int, wx, xn, lnext, t float64, lo, hi int32) {
	maxRest := p.idx.maxRest
	for _, e := range p.idx.postings[lo:hi] {
		y := e.doc
		if int(y) >= x {
			break
		}
		v := wx * float64(e.weight)
		r := min(xn*float64(e.norm), lnext)
		if p.seen[y>>6]&(1<<(y&63)) == 0 {
			if v+r < t {
				continue
			}
			p.seen[y>>6] |= 1 << (y & 63)
			if v+min(r, maxRest) < t {
				// What y shares with x after this term is bounded by r.
				// If the index does not meet y again in this probe (it
				// meets y at every later term of x that y indexes), all
				// of it is in y's run, bounded by heads[y].rest and so by
				// maxRest: y cannot reach t. If it does meet y again, y
				// was met once before, here: its score is v.
				p.pend[y] = v
				continue
			}
			p.become(y, v)
			continue
		}
		p.meet(y, v, r, t)
	}
}

// meet adds v to y, met before in this probe: a pending y becomes a
// candidate; a candidate that can no longer reach t with r more is pruned
// (its score becomes -Inf).
func (p *prober) meet(y int32, v, r, t float64) {
	if p.cand[y>>6]&(1<<(y&63)) == 0 {
		p.become(y, prune(p.pend[y]+v, r, t))
		return
	}
	c := &p.cands[p.slot[y]]
	c.sum = prune(c.sum+v, r, t)
}

// become makes y a candidate with score s.
func (p *prober) become(y int32, s float64) {
	p.cand[y>>6] |= 1 << (y & 63)
	p.slot[y] = int32(len(p.cands))
	p.cands = append(p.cands, candidate{y, s})
}

// add adds wx times the postings lo:hi of the candidates before x, and
// prunes them as admit does; a pending vector met becomes a candidate.
func (p *prober) add(x int, wx, xn, lnext, t float64, lo, hi int32) {
	for _, e := range p.idx.postings[lo:hi] {
		y := e.doc
		if int(y) >= x {
			break
		}
		if p.seen[y>>6]&(1<<(y&63)) != 0 {
			p.meet(y, wx*float64(e.weight), min(xn*float64(e.norm), lnext), t)
		}
	}
}

// prune returns acc, or -Inf when acc plus what is left cannot reach t.
func prune(acc, left, t float64) float64 {
	if acc+left < t {
		return math.Inf(-1)
	}
	return acc
}
