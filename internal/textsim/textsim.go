// Package textsim finds pairs of short texts that say the same thing in
// different words: every text becomes a TF-IDF vector over its content
// words (lower-cased, stop words dropped, plurals folded), and two texts
// are similar when the cosine of their vectors reaches a threshold.
//
// The all-pairs search is exact but does not read every pair of texts
// that share a word. Terms are ordered from the rarest to the most
// frequent. A vector's run is the longest stretch of its most
// frequent terms whose contribution to any dot product is bounded below
// half the threshold: the smaller of the run's L2 norm and of the sum of
// its weights times the largest weight any vector gives each term (the
// bounds of Bayardo, Ma and Srikant, "Scaling up all pairs similarity
// search", WWW 2007, and Anastasiu and Karypis, ICDE 2014).
//
// Let a be the rarest term two vectors share. If their cosine reaches
// the threshold t, a is outside both runs (a run holds its vector's most
// frequent terms, so all they share would be in it), and from a on, each
// vector's terms can still add t to a dot product (prefix filtering). So
// each pair is looked for only in the group of a term whose members are
// the vectors for which that holds; a vector is in the groups of its few
// rarest terms. Within term a's group, the later vector x of a pair meets
// the earlier y either through a term after a that y holds outside its
// run (a small inverted index of the group's members' terms, which counts
// what they share) or, when y holds no other such term, through a alone:
// then their product for a plus the bound of y's run must reach t. A pair
// met is scored with what y's run shares with x, and measured with Dot
// when that reaches t; a pair that shares several groups' terms is found
// in each, and kept once. The work is the pairs of each group that share
// a second term, where probing one inverted index of every term with
// each vector met every pair that shares one term: on a bank whose
// vocabulary does not grow with it, nearly all pairs, so that the search
// grew as the square of the bank.
//
// Weights kept in a float32 are rounded up, so that every score before
// Dot is an upper bound, and the comparisons allow 1e-9 of the threshold
// for the rounding of sums in float64. The cosine reported is Dot's.
package textsim

import (
	"iter"
	"math"
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
