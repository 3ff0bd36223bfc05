// Package rasch calibrates the dichotomous Rasch model by conditional
// maximum likelihood (CML), for incomplete designs.
//
// Persons are grouped into booklets, the distinct sets of items they were
// presented. Given a person's raw score r on a booklet, the probability of
// a response pattern x does not depend on ability:
//
//	P(x | r) = prod_j eps_j^x_j / gamma_r(eps),  eps_j = exp(-b_j),
//
// where gamma_r is the elementary symmetric function (ESF) of order r of
// the booklet's eps. The conditional log-likelihood of all persons is
//
//	L(b) = -sum_i s_i b_i - sum_booklets sum_r n_r log gamma_r,
//
// with s_i the number of correct answers to item i and n_r the number of
// persons of the booklet with raw score r. Persons with a zero or perfect
// score carry no information and are left out; so are items that every
// remaining person answered right (or wrong), repeatedly until nothing
// changes. L is maximised by Newton-Raphson with the exact information
// matrix I = sum_booklets sum_r n_r Cov(x | r). Small pools are solved
// with a dense Cholesky factorisation; large pools (more free items than
// Options.DenseLimit) with conjugate gradients, using the booklet blocks
// of I for matrix-vector products, so that the cost grows with the sum of
// the squared booklet lengths and not with the cube of the pool.
//
// Scale: items with a given difficulty (anchors) are held fixed; without
// anchors the free items' b sum to zero. Standard errors are the square
// roots of the diagonal of the inverse information of the free items
// (without anchors, of its Moore-Penrose inverse, which is the covariance
// of the sum-zero estimates). See docs/analysis-methods.md.
package rasch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Data is the input of Calibrate.
type Data struct {
	// Items is the number of items; items are 0..Items-1.
	Items int
	// Booklets hold the responses, grouped by the items presented.
	Booklets []Booklet
	// Anchors holds the difficulties of items held fixed.
	Anchors map[int]float64
}

// Booklet is a group of persons who were presented the same items.
type Booklet struct {
	Label string // named in errors (for example the form id)
	Items []int  // distinct item numbers
	// X holds the responses person by person, len(Items) each: 1 correct,
	// 0 wrong.
	X []uint8
}

// Status says what became of an item.
type Status int

// Item statuses.
const (
	Calibrated Status = iota // free item, estimated
	Anchored                 // difficulty held at its anchor value
	AllCorrect               // every calibrated person answered it right: no finite b
	AllWrong                 // every calibrated person answered it wrong: no finite b
	NoData                   // no calibrated person was presented it
)

func (s Status) String() string {
	return [...]string{"calibrated", "anchored", "all-correct", "all-wrong", "no-data"}[s]
}

// Options tune Calibrate; the zero value gives the defaults.
type Options struct {
	MaxIter    int     // Newton iterations (default 100)
	Tol        float64 // convergence: largest change of b (default 1e-9)
	DenseLimit int     // largest number of free items solved densely (default 1500)
}

// Result is a calibration.
type Result struct {
	B      []float64 // difficulty per item (NaN when not calibrated)
	SE     []float64 // standard error (0 for anchors, NaN when not calibrated)
	Infit  []float64 // information-weighted mean square (NaN when not calibrated)
	Outfit []float64 // unweighted mean square (NaN when not calibrated)
	Status []Status
	// Persons is the number of persons used (non-extreme scores).
	Persons int
	// Iterations is the number of Newton steps.
	Iterations int
	// LogLik is the conditional log-likelihood at the estimates.
	LogLik float64
	// SEMethod is "exact" (inverse of the full information matrix) or
	// "diagonal" (1/sqrt of its diagonal, for pools above DenseLimit).
	SEMethod string
}

// DisconnectedError is returned for a design whose items fall into groups
// that share no item and no anchor: they cannot be put on one scale.
type DisconnectedError struct {
	// Groups holds the booklet labels per group. With anchors, the
	// groups listed are those without an anchored item.
	Groups [][]string
	// Anchored: the design has anchors (and Groups are not linked to
	// them).
	Anchored bool
}

func (e *DisconnectedError) Error() string {
	parts := make([]string, len(e.Groups))
	for i, g := range e.Groups {
		parts[i] = fmt.Sprintf("group %d: %s", i+1, strings.Join(g, ", "))
	}
	if e.Anchored {
		return fmt.Sprintf("the design is not connected: %d group(s) of booklets share no item with the anchored items, so they cannot be put on the bank scale (%s); link them by common items or anchor an item in each",
			len(e.Groups), strings.Join(parts, "; "))
	}
	return fmt.Sprintf("the design is not connected: %d groups of booklets share no item, so they cannot be put on one scale (%s); link them by common items or anchor items in every group",
		len(e.Groups), strings.Join(parts, "; "))
}

// ErrNoConvergence is returned when Newton-Raphson does not converge.
var ErrNoConvergence = errors.New("rasch: the calibration did not converge")

// Calibrate estimates the item difficulties of d by CML.
func Calibrate(ctx context.Context, d *Data, opts Options) (*Result, error) {
	if opts.MaxIter <= 0 {
		opts.MaxIter = 100
	}
	if opts.Tol <= 0 {
		opts.Tol = 1e-9
	}
	if opts.DenseLimit <= 0 {
		opts.DenseLimit = 1500
	}
	if err := validate(d); err != nil {
		return nil, err
	}
	des, res := reduce(d)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := des.connected(d); err != nil {
		return nil, err
	}
	if len(des.books) == 0 {
		return nil, errors.New("rasch: no item can be calibrated (too few persons with a score between zero and perfect)")
	}
	if err := des.solve(ctx, opts, res); err != nil {
		return nil, err
	}
	des.fit(res)
	return res, nil
}

func validate(d *Data) error {
	if d.Items <= 0 {
		return errors.New("rasch: no items")
	}
	for it, b := range d.Anchors {
		if it < 0 || it >= d.Items {
			return fmt.Errorf("rasch: anchor item %d out of range", it)
		}
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return fmt.Errorf("rasch: anchor of item %d is %v", it, b)
		}
	}
	for bi, bk := range d.Booklets {
		seen := make(map[int]bool, len(bk.Items))
		for _, it := range bk.Items {
			if it < 0 || it >= d.Items || seen[it] {
				return fmt.Errorf("rasch: booklet %d (%s): item %d out of range or repeated", bi, bk.Label, it)
			}
			seen[it] = true
		}
		if len(bk.Items) == 0 && len(bk.X) > 0 || len(bk.Items) > 0 && len(bk.X)%len(bk.Items) != 0 {
			return fmt.Errorf("rasch: booklet %d (%s): %d responses for %d items", bi, bk.Label, len(bk.X), len(bk.Items))
		}
	}
	return nil
}

// design is the reduced data: sufficient statistics per (merged) booklet.
type design struct {
	nItems  int
	anchors map[int]float64
	books   []*book
	free    []int       // free item numbers
	freeIdx map[int]int // item -> index in free
	total   []float64   // s_i per item
}

type book struct {
	labels []string
	items  []int
	n      []float64 // persons per raw score, 0..k
	c      []float64 // c[r*k+j]: persons with score r who answered j right
}

// reduce drops persons with an extreme score and items without a finite
// estimate, alternately until nothing changes, and collects the
// sufficient statistics.
// Kept whole: the extreme-score pruning, the booklet grouping and the
// statistics share the active set and must run in this order, and a split
// would only pass that state between pieces.
func reduce(d *Data) (*design, *Result) {
	res := &Result{
		B: make([]float64, d.Items), SE: make([]float64, d.Items),
		Infit: make([]float64, d.Items), Outfit: make([]float64, d.Items),
		Status: make([]Status, d.Items),
	}
	active := make([]bool, d.Items)
	for _, bk := range d.Booklets {
		for _, it := range bk.Items {
			active[it] = true
		}
	}
	for it := range active {
		if !active[it] {
			res.Status[it] = NoData
		}
	}
	n := make([]int, d.Items)
	s := make([]int, d.Items)
	for {
		clear(n)
		clear(s)
		forEachUsed(d, active, func(bk *Booklet, row []uint8, kept []int) {
			for _, j := range kept {
				n[bk.Items[j]]++
				s[bk.Items[j]] += int(row[j])
			}
		})
		changed := false
		for it := range active {
			if !active[it] {
				continue
			}
			if _, ok := d.Anchors[it]; ok {
				continue
			}
			switch {
			case n[it] == 0:
				res.Status[it] = NoData
			case s[it] == 0:
				res.Status[it] = AllWrong
			case s[it] == n[it]:
				res.Status[it] = AllCorrect
			default:
				continue
			}
			active[it] = false
			changed = true
		}
		if !changed {
			break
		}
	}
	des := &design{nItems: d.Items, anchors: d.Anchors, freeIdx: map[int]int{}, total: make([]float64, d.Items)}
	byKey := map[string]*book{}
	for bi := range d.Booklets {
		bk := &d.Booklets[bi]
		_, items := keptSorted(bk, active)
		key := fmt.Sprint(items)
		b := byKey[key]
		if b == nil {
			k := len(items)
			b = &book{items: items, n: make([]float64, k+1), c: make([]float64, (k+1)*k)}
			byKey[key] = b
			des.books = append(des.books, b)
		}
		b.labels = append(b.labels, bk.Label)
	}
	// Sufficient statistics of the persons with a non-extreme score.
	for bi := range d.Booklets {
		bk := &d.Booklets[bi]
		kept, items := keptSorted(bk, active)
		b := byKey[fmt.Sprint(items)]
		k := len(items)
		pos := make([]int, len(kept)) // kept index -> position in b.items
		for x, j := range kept {
			pos[x] = sort.SearchInts(items, bk.Items[j])
		}
		m := len(bk.Items)
		for p := 0; m > 0 && p < len(bk.X)/m; p++ {
			row := bk.X[p*m : (p+1)*m]
			r := 0
			for _, j := range kept {
				r += int(row[j])
			}
			if r == 0 || r == k {
				continue
			}
			b.n[r]++
			res.Persons++
			for x, j := range kept {
				if row[j] == 1 {
					b.c[r*k+pos[x]]++
					des.total[bk.Items[j]]++
				}
			}
		}
	}
	// Keep booklets that have persons.
	books := des.books[:0]
	for _, b := range des.books {
		used := 0.0
		for _, v := range b.n {
			used += v
		}
		if used > 0 {
			books = append(books, b)
		}
	}
	des.books = books
	for it := range active {
		if !active[it] {
			res.B[it], res.SE[it], res.Infit[it], res.Outfit[it] = math.NaN(), math.NaN(), math.NaN(), math.NaN()
			continue
		}
		if b, ok := d.Anchors[it]; ok {
			res.Status[it] = Anchored
			res.B[it] = b
			continue
		}
		res.Status[it] = Calibrated
		des.freeIdx[it] = len(des.free)
		des.free = append(des.free, it)
	}
	return des, res
}

// keptSorted returns the positions of a booklet's active items and the
// item numbers, sorted.
func keptSorted(bk *Booklet, active []bool) (kept, items []int) {
	kept = keptItems(bk, active)
	items = make([]int, len(kept))
	for x, j := range kept {
		items[x] = bk.Items[j]
	}
	sort.Ints(items)
	return kept, items
}

// keptItems returns the positions of a booklet's active items.
func keptItems(bk *Booklet, active []bool) []int {
	var kept []int
	for j, it := range bk.Items {
		if active[it] {
			kept = append(kept, j)
		}
	}
	return kept
}

// forEachUsed calls f for every person with a non-extreme score on the
// active items of their booklet.
func forEachUsed(d *Data, active []bool, f func(bk *Booklet, row []uint8, kept []int)) {
	for bi := range d.Booklets {
		bk := &d.Booklets[bi]
		kept := keptItems(bk, active)
		m := len(bk.Items)
		if m == 0 {
			continue
		}
		for p := 0; p < len(bk.X)/m; p++ {
			row := bk.X[p*m : (p+1)*m]
			r := 0
			for _, j := range kept {
				r += int(row[j])
			}
			if r > 0 && r < len(kept) {
				f(bk, row, kept)
			}
		}
	}
}

// connected checks that every item is linked to every other through
// booklets, or, with anchors, to an anchor.
func (des *design) connected(d *Data) error {
	parent := make([]int, des.nItems+1) // des.nItems is the anchor node
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int) { parent[find(a)] = find(b) }
	for _, b := range des.books {
		for _, it := range b.items[1:] {
			union(b.items[0], it)
		}
		for _, it := range b.items {
			if _, ok := des.anchors[it]; ok {
				union(it, des.nItems)
			}
		}
	}
	anchored := len(des.anchors) > 0
	anchorRoot := find(des.nItems)
	groups := map[int][]string{}
	var order []int
	for _, b := range des.books {
		root := find(b.items[0])
		if _, ok := groups[root]; !ok {
			order = append(order, root)
		}
		groups[root] = append(groups[root], b.labels...)
	}
	bad := len(order) > 1
	if anchored {
		bad = false
		for _, r := range order {
			bad = bad || r != anchorRoot
		}
	}
	if !bad {
		return nil
	}
	e := &DisconnectedError{Anchored: anchored}
	for _, r := range order {
		if anchored && r == anchorRoot {
			continue
		}
		e.Groups = append(e.Groups, groups[r])
	}
	return e
}
