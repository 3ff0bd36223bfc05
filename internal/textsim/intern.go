package textsim

import (
	"iter"
	"runtime"
	"slices"

	"github.com/qbank/qbank/internal/parallel"
)

// Intern numbers the distinct keys of the elements of seqs in order of
// first appearance, sequence by sequence and element by element: ids[i][j]
// is the number of key(seqs[i][j]), and firsts[n] is the element where
// key number n first appears.
//
// The numbering is that of one pass over all the sequences, whatever the
// number of CPUs, but the pass is not serial: contiguous chunks of
// sequences are numbered in parallel, each with a dictionary of its own;
// the chunks' dictionaries are then merged in chunk order, which costs one
// lookup per distinct key of a chunk rather than one per element, and the
// chunks' numbers are translated in parallel.
func Intern[T any](seqs [][]T, key func(T) string) (ids [][]int32, firsts []T) {
	return InternSeq(len(seqs), func(i int) iter.Seq[T] { return slices.Values(seqs[i]) }, key, 0)
}

// InternSeq is Intern over n sequences that seq(i) yields, so that they
// need not be kept: words, say, as a text is split. It keeps at most cpus
// CPUs busy (cpus <= 0 means all, runtime.GOMAXPROCS); with one it makes
// one serial pass, without chunks to merge.
func InternSeq[T any](n int, seq func(i int) iter.Seq[T], key func(T) string, cpus int) (ids [][]int32, firsts []T) {
	// A chunk must be large enough for its dictionary to repeat most keys
	// of the next chunk's, or the merge does the work again.
	const minChunk = 2048
	if cpus <= 0 {
		cpus = runtime.GOMAXPROCS(0)
	}
	chunks := 1
	if cpus > 1 {
		chunks = max(min(2*cpus, n/minChunk), 1)
	}
	return intern(n, seq, key, chunks, cpus)
}

// intern is InternSeq with the number of chunks given, numbered by up to
// cpus goroutines at once.
func intern[T any](n int, seq func(i int) iter.Seq[T], key func(T) string, chunks, cpus int) ([][]int32, []T) {
	ids := make([][]int32, n)
	type chunk struct {
		firsts []T
		global []int32 // the global number of each of firsts
	}
	dicts := make([]chunk, chunks)
	bounds := func(c int) (int, int) { return c * n / chunks, (c + 1) * n / chunks }
	parallel.For(cpus, chunks, 1, func(c int) {
		local := dictionary[T]{ids: map[string]int32{}}
		var scratch []int32
		lo, hi := bounds(c)
		for i := lo; i < hi; i++ {
			scratch = scratch[:0]
			for e := range seq(i) {
				scratch = append(scratch, local.number(key(e), e))
			}
			ids[i] = append(make([]int32, 0, len(scratch)), scratch...)
		}
		dicts[c].firsts = local.elems
	})
	// The first chunk's numbers are already the global ones.
	all := dicts[0].firsts
	if chunks == 1 {
		return ids, all
	}
	global := dictionary[T]{ids: make(map[string]int32, 2*len(all)), elems: all}
	for n, e := range all {
		global.ids[key(e)] = int32(n)
	}
	for c := 1; c < chunks; c++ {
		d := &dicts[c]
		d.global = make([]int32, len(d.firsts))
		for n, e := range d.firsts {
			d.global[n] = global.number(key(e), e)
		}
	}
	all = global.elems
	parallel.For(cpus, chunks-1, 1, func(c int) {
		d := &dicts[c+1]
		lo, hi := bounds(c + 1)
		for _, s := range ids[lo:hi] {
			for j, n := range s {
				s[j] = d.global[n]
			}
		}
	})
	return ids, all
}

// dictionary numbers keys in order of first appearance and keeps the
// element each was first seen in.
type dictionary[T any] struct {
	ids   map[string]int32
	elems []T
}

// number returns k's number, giving it the next one (and e as its first
// element) when k is new.
func (d *dictionary[T]) number(k string, e T) int32 {
	id, ok := d.ids[k]
	if !ok {
		id = int32(len(d.elems))
		d.ids[k] = id
		d.elems = append(d.elems, e)
	}
	return id
}
