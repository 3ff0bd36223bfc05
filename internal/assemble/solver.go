package assemble

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/irt"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/scale"
)

const (
	roleScored  = 0
	rolePretest = 1
)

// Weights of the soft objectives (see the package doc). Each dominates
// the ones below it over the ranges that occur: a missing task outweighs
// any exposure, an exposure unit any difficulty spread.
const (
	weightTask     = 1e13
	weightExposure = 1e11
	weightKeyPerN  = 2000 // times the number of forms, as the spread term grows with it
	attempts       = 3
	// While a hard constraint is broken, the search goes on past its
	// budget and stall limit, up to repairFactor budgets but no more than
	// repairMoves moves (unless the budget itself is larger), since an
	// attempt that ends with one broken is lost whole.
	repairFactor = 10
	repairMoves  = 4000000
)

// itemInfo is what the search needs of an item.
type itemInfo struct {
	item    *bank.Item
	role    int
	domain  int
	task    int // index into problem.taskIndex, -1 for an unknown task
	key     int // key letter of a single item, -1 otherwise
	p       int64
	prior   int // uses on the bank's committed forms
	enemies []int32
	// rasch holds the item's terms of the TIF/TCC objective, rounded to
	// integers once: 1000 P(theta_k) and 4000 P(1-P)(theta_k) at the
	// points theta_k of problem.thetas (see the package doc).
	rasch [raschTerms]int64
}

// raschPoints is the number of abilities the TIF/TCC objective looks at:
// theta_cut - 1, theta_cut and theta_cut + 1. raschTerms counts its terms,
// the TCC and the information at each.
const (
	raschPoints = 3
	raschTerms  = 2 * raschPoints
)

type span struct{ lo, hi int }

type slotInfo struct{ role, domain int }

// problem is the fixed part of an assembly: the pools and the form layout.
type problem struct {
	exam    *blueprint.Exam
	spec    *blueprint.FormSpec
	n, m    int
	letters int
	domains []string
	need    [2][]int
	items   []itemInfo
	pools   [2][][]int32 // role -> domain -> items
	slots   []slotInfo   // one form's slots: scored by domain, then pretest by domain
	ranges  [2][]span    // role -> domain -> slots
	// taskIndex numbers the blueprint's tasks ("domain\x00task").
	taskIndex map[string]int
	// supplied[t] reports that task t has operational items.
	supplied []bool
	// tif is set when the bank has a passing standard: the forms are then
	// made parallel in TCC and information at thetas, else in mean p.
	tif    bool
	thetas [raschPoints]float64
}

// newProblem sets up an assembly. thetaCut, when not nil, switches the
// parallelism term from mean p to TIF/TCC around it.
func newProblem(b *bank.Bank, spec *blueprint.FormSpec, n, m int, thetaCut *float64) *problem {
	e := b.Exam
	p := &problem{exam: e, spec: spec, n: n, m: m, letters: max(e.Options.Single, 1), taskIndex: map[string]int{}}
	if thetaCut != nil {
		p.tif = true
		for k := range p.thetas {
			p.thetas[k] = *thetaCut + float64(k-raschPoints/2)
		}
	}
	p.need[roleScored] = e.Apportion(spec.Scored)
	p.need[rolePretest] = e.Apportion(spec.Pretest)
	for _, d := range e.Domains {
		p.domains = append(p.domains, d.ID)
		for _, t := range d.Tasks {
			p.taskIndex[d.ID+"\x00"+t.ID] = len(p.taskIndex)
		}
	}
	p.supplied = make([]bool, len(p.taskIndex))
	index := p.addItems(b)
	p.linkEnemies(index)
	p.layoutSlots()
	return p
}

// addItems adds the operational and pretest items of b in a blueprint
// domain to the problem and its pools, and returns their indices by id.
func (p *problem) addItems(b *bank.Bank) map[string]int32 {
	e := b.Exam
	prior := map[string]int{}
	for _, f := range b.Forms {
		for _, en := range f.Items {
			prior[en.ID]++
		}
	}
	index := map[string]int32{}
	for r := range p.pools {
		p.pools[r] = make([][]int32, len(e.Domains))
	}
	for _, it := range b.Items {
		role := -1
		switch it.Status {
		case bank.StatusOperational:
			role = roleScored
		case bank.StatusPretest:
			role = rolePretest
		}
		d := e.DomainIndex(it.Domain)
		if role < 0 || d < 0 {
			continue
		}
		task, ok := p.taskIndex[it.Domain+"\x00"+it.Task]
		if !ok {
			task = -1
		}
		if role == roleScored && task >= 0 {
			p.supplied[task] = true
		}
		pv, _ := b.Stats.PerMille(it)
		i := int32(len(p.items))
		index[it.ID] = i
		info := itemInfo{item: it, role: role, domain: d, task: task, key: singleKey(it), p: int64(pv), prior: prior[it.ID]}
		if p.tif {
			bv, _ := scale.ItemDifficulty(b.Stats, e.Scale.Provisional, it)
			info.rasch = raschTermsOf(p.thetas, bv)
		}
		p.items = append(p.items, info)
		p.pools[role][d] = append(p.pools[role][d], i)
	}
	return index
}

// linkEnemies records enemies both ways, each pair once, in item order.
func (p *problem) linkEnemies(index map[string]int32) {
	seen := map[[2]int32]bool{}
	for i := range p.items {
		for _, id := range p.items[i].item.Enemies {
			j, ok := index[id]
			if !ok || j == int32(i) {
				continue
			}
			pair := [2]int32{min(int32(i), j), max(int32(i), j)}
			if seen[pair] {
				continue
			}
			seen[pair] = true
			p.items[i].enemies = append(p.items[i].enemies, j)
			p.items[j].enemies = append(p.items[j].enemies, int32(i))
		}
	}
}

// layoutSlots lays out the slots of a form: for each role and domain, a
// contiguous range of as many slots as the blueprint needs.
func (p *problem) layoutSlots() {
	for r := range p.ranges {
		p.ranges[r] = make([]span, len(p.exam.Domains))
		for d := range p.exam.Domains {
			lo := len(p.slots)
			for k := 0; k < p.need[r][d]; k++ {
				p.slots = append(p.slots, slotInfo{role: r, domain: d})
			}
			p.ranges[r][d] = span{lo, len(p.slots)}
		}
	}
}

// raschTermsOf returns an item's terms of the TIF/TCC objective at the
// abilities thetas: 1000 P and 4000 P(1-P) (information scaled to 0..1000
// like P), each rounded half up to an integer.
func raschTermsOf(thetas [raschPoints]float64, b float64) [raschTerms]int64 {
	var t [raschTerms]int64
	for k, th := range thetas {
		pr := irt.P(th, b)
		t[k] = int64(math.Floor(1000*pr + 0.5))
		t[raschPoints+k] = int64(math.Floor(4000*pr*(1-pr) + 0.5))
	}
	return t
}

func (p *problem) domainIDs() []string { return append([]string(nil), p.domains...) }

func (p *problem) letterNames() []string {
	l := make([]string, p.letters)
	for i := range l {
		l[i] = bank.Letter(i)
	}
	return l
}

func (p *problem) possibleTasks() int {
	n := 0
	for _, s := range p.supplied {
		if s {
			n++
		}
	}
	return n
}

// feasible checks the request against the supply by counts.
func (p *problem) feasible(overlap float64) error {
	var short []string
	for d, id := range p.domains {
		if have, need := len(p.pools[roleScored][d]), p.need[roleScored][d]; have < need {
			short = append(short, fmt.Sprintf("domain %s has %s; one %s form needs %d", id, count(have, "operational"), p.spec.ID, need))
		}
		if have, need := len(p.pools[rolePretest][d]), p.need[rolePretest][d]; have < need {
			short = append(short, fmt.Sprintf("domain %s has %s; one %s form needs %d", id, count(have, "pretest"), p.spec.ID, need))
		}
	}
	if len(short) > 0 {
		return &InfeasibleError{Constraint: rules.Supply.ID, Msg: strings.Join(short, "; ")}
	}
	if p.n == 1 {
		return nil
	}
	if p.m == 0 {
		for d, id := range p.domains {
			if have, need := len(p.pools[roleScored][d]), p.n*p.need[roleScored][d]; have < need {
				short = append(short, fmt.Sprintf("domain %s has %s; %d forms with max overlap 0 need %d", id, count(have, "operational"), p.n, need))
			}
		}
		if len(short) > 0 {
			return &InfeasibleError{Constraint: "overlap", Msg: strings.Join(short, "; ")}
		}
		return nil
	}
	// An item on k forms is shared by k(k-1)/2 pairs of forms. A domain
	// whose n x need slots are spread as evenly as possible over its items
	// forces the fewest shared pairs; every pair may share at most m.
	pairs := p.n * (p.n - 1) / 2
	forced := 0
	for d, id := range p.domains {
		have, slots := len(p.pools[roleScored][d]), p.n*p.need[roleScored][d]
		if have >= slots {
			continue
		}
		q, r := slots/have, slots%have
		f := r*(q+1)*q/2 + (have-r)*q*(q-1)/2
		forced += f
		short = append(short, fmt.Sprintf("domain %s has %s for %d scored slots (%d shared)", id, count(have, "operational"), slots, f))
	}
	if forced > pairs*p.m {
		return &InfeasibleError{Constraint: "overlap", Msg: fmt.Sprintf("%d forms with max overlap %g may share %s per pair, %d over all %d pairs, but the supply forces at least %d: %s",
			p.n, overlap, count(p.m, "scored"), pairs*p.m, pairs, forced, strings.Join(short, "; "))}
	}
	return nil
}

func count(n int, status string) string {
	if n == 1 {
		return "1 " + status + " item"
	}
	return fmt.Sprintf("%d %s items", n, status)
}

// cost is compared lexicographically: hard violations first.
type cost struct{ hard, soft int64 }

func (a cost) less(b cost) bool {
	return a.hard < b.hard || (a.hard == b.hard && a.soft < b.soft)
}

// keep reports whether the search keeps a move from cur to c. Hard
// violations never grow. While some remain, a move that keeps their
// number is kept whatever its soft cost: undoing a violation can take two
// moves (swap out an item that blocks the fix, then make the fix), and a
// soft cost that rises on the first move, as exposure does when forms
// already use the pool evenly, must not trap the search there. Once no
// violation remains, the soft cost may not grow either.
func keep(cur, c cost) bool {
	if c.hard != cur.hard {
		return c.hard < cur.hard
	}
	return cur.hard > 0 || c.soft <= cur.soft
}

// state is a set of forms under construction with every quantity of the
// objective kept up to date.
type state struct {
	p       *problem
	sel     [][]int32 // form -> slot -> item
	mask    []uint64  // item -> forms using it
	shared  [][]int32 // scored items shared by two forms
	taskCnt [][]int32 // form -> task -> scored items
	keyCnt  [][]int32 // form -> letter -> single items
	singles []int32
	keyDevF []int64
	sums    []int64             // form -> summed p of scored items
	rsums   [][raschTerms]int64 // form -> summed rasch terms of scored items
	rS, rSq [raschTerms]int64   // sums over forms of rsums and its squares

	enemyPairs, overlapExcess, missing, exposure, keyDev, sumS, sumSq int64
	rng                                                               *rand.Rand
}

func (p *problem) newState(rng *rand.Rand) *state {
	s := &state{p: p, rng: rng, mask: make([]uint64, len(p.items))}
	s.sel = make([][]int32, p.n)
	s.shared = make([][]int32, p.n)
	s.taskCnt = make([][]int32, p.n)
	s.keyCnt = make([][]int32, p.n)
	s.singles = make([]int32, p.n)
	s.keyDevF = make([]int64, p.n)
	s.sums = make([]int64, p.n)
	s.rsums = make([][raschTerms]int64, p.n)
	supplied := int64(p.possibleTasks())
	for f := 0; f < p.n; f++ {
		s.sel[f] = make([]int32, len(p.slots))
		s.shared[f] = make([]int32, p.n)
		s.taskCnt[f] = make([]int32, len(p.taskIndex))
		s.keyCnt[f] = make([]int32, p.letters)
		s.missing += supplied
	}
	for i := range p.items {
		u := int64(p.items[i].prior)
		s.exposure += u * u
	}
	return s
}

func (s *state) on(i int32, f int) bool { return s.mask[i]&(1<<uint(f)) != 0 }

func (s *state) uses(i int32) int64 {
	return int64(bits.OnesCount64(s.mask[i]) + s.p.items[i].prior)
}

func (s *state) cost() cost {
	n := int64(s.p.n)
	soft := weightTask*s.missing + weightExposure*s.exposure + weightKeyPerN*n*s.keyDev + s.parallel()
	return cost{hard: s.enemyPairs + s.overlapExcess, soft: soft}
}

// parallel is the parallelism term of the soft cost: n x the sum of
// squared deviations from the mean over forms, of the summed p-values
// (no passing standard) or of each TIF/TCC term.
func (s *state) parallel() int64 {
	n := int64(s.p.n)
	if !s.p.tif {
		return n*s.sumSq - s.sumS*s.sumS
	}
	var v int64
	for k := range s.rS {
		v += n*s.rSq[k] - s.rS[k]*s.rS[k]
	}
	return v
}

// addRasch adds sign times item terms t to form f's TIF/TCC sums.
func (s *state) addRasch(f int, t *[raschTerms]int64, sign int64) {
	r := &s.rsums[f]
	for k := range r {
		x := r[k]
		y := x + sign*t[k]
		s.rS[k] += y - x
		s.rSq[k] += y*y - x*x
		r[k] = y
	}
}

func (s *state) updateKeys(f int) {
	var dev int64
	l := int64(s.p.letters)
	for _, c := range s.keyCnt[f] {
		d := l*int64(c) - int64(s.singles[f])
		dev += d * d
	}
	s.keyDev += dev - s.keyDevF[f]
	s.keyDevF[f] = dev
}

func (s *state) setSum(f int, y int64) {
	x := s.sums[f]
	s.sumS += y - x
	s.sumSq += y*y - x*x
	s.sums[f] = y
}

// add puts item i on form f (not into a slot: callers set sel).
func (s *state) add(f int, i int32) {
	it := &s.p.items[i]
	bit := uint64(1) << uint(f)
	for _, e := range it.enemies {
		if s.mask[e]&bit != 0 {
			s.enemyPairs++
		}
	}
	u := s.uses(i)
	s.exposure += 2*u + 1
	if it.role == roleScored {
		m := int32(s.p.m)
		for g := s.mask[i]; g != 0; g &= g - 1 {
			j := bits.TrailingZeros64(g)
			s.shared[f][j]++
			s.shared[j][f]++
			if s.shared[f][j] > m {
				s.overlapExcess++
			}
		}
		if it.task >= 0 {
			s.taskCnt[f][it.task]++
			if s.taskCnt[f][it.task] == 1 && s.p.supplied[it.task] {
				s.missing--
			}
		}
		s.setSum(f, s.sums[f]+it.p)
		if s.p.tif {
			s.addRasch(f, &it.rasch, 1)
		}
	}
	s.mask[i] |= bit
	if it.key >= 0 && it.key < s.p.letters {
		s.keyCnt[f][it.key]++
		s.singles[f]++
		s.updateKeys(f)
	}
}

// remove takes item i off form f.
func (s *state) remove(f int, i int32) {
	it := &s.p.items[i]
	bit := uint64(1) << uint(f)
	s.mask[i] &^= bit
	for _, e := range it.enemies {
		if s.mask[e]&bit != 0 {
			s.enemyPairs--
		}
	}
	u := s.uses(i)
	s.exposure -= 2*u + 1
	if it.role == roleScored {
		m := int32(s.p.m)
		for g := s.mask[i]; g != 0; g &= g - 1 {
			j := bits.TrailingZeros64(g)
			if s.shared[f][j] > m {
				s.overlapExcess--
			}
			s.shared[f][j]--
			s.shared[j][f]--
		}
		if it.task >= 0 {
			s.taskCnt[f][it.task]--
			if s.taskCnt[f][it.task] == 0 && s.p.supplied[it.task] {
				s.missing++
			}
		}
		s.setSum(f, s.sums[f]-it.p)
		if s.p.tif {
			s.addRasch(f, &it.rasch, -1)
		}
	}
	if it.key >= 0 && it.key < s.p.letters {
		s.keyCnt[f][it.key]--
		s.singles[f]--
		s.updateKeys(f)
	}
}

// fits reports whether item i can join form f without breaking a hard
// constraint.
func (s *state) fits(f int, i int32) bool {
	bit := uint64(1) << uint(f)
	it := &s.p.items[i]
	for _, e := range it.enemies {
		if s.mask[e]&bit != 0 {
			return false
		}
	}
	if it.role == roleScored {
		for g := s.mask[i]; g != 0; g &= g - 1 {
			if s.shared[f][bits.TrailingZeros64(g)] >= int32(s.p.m) {
				return false
			}
		}
	}
	return true
}

// construct fills every form greedily (see the package doc).
func (s *state) construct() {
	p := s.p
	cands := make([]int32, 0)
	for f := 0; f < p.n; f++ {
		for r := range p.ranges {
			for d, sp := range p.ranges[r] {
				if sp.hi == sp.lo {
					continue
				}
				cands = append(cands[:0], p.pools[r][d]...)
				s.rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
				uses := make(map[int32]int64, len(cands))
				for _, c := range cands {
					uses[c] = s.uses(c)
				}
				sort.SliceStable(cands, func(i, j int) bool { return uses[cands[i]] < uses[cands[j]] })
				for k := sp.lo; k < sp.hi; k++ {
					wantTask := r == roleScored && s.lacksTask(f, d)
					pick, fallback := int32(-1), int32(-1)
					for _, c := range cands {
						if s.on(c, f) {
							continue
						}
						if fallback < 0 {
							fallback = c
						}
						if !s.fits(f, c) {
							continue
						}
						if !wantTask {
							pick = c
							break
						}
						if t := p.items[c].task; t >= 0 && s.taskCnt[f][t] == 0 {
							pick = c
							break
						}
						if pick < 0 {
							pick = c
						}
					}
					if pick < 0 {
						pick = fallback // breaks a constraint; the search repairs it
					}
					s.add(f, pick)
					s.sel[f][k] = pick
				}
			}
		}
	}
}

// lacksTask reports whether form f lacks a supplied task of domain d.
func (s *state) lacksTask(f, d int) bool {
	dom := s.p.exam.Domains[d]
	for _, t := range dom.Tasks {
		ti := s.p.taskIndex[dom.ID+"\x00"+t.ID]
		if s.p.supplied[ti] && s.taskCnt[f][ti] == 0 {
			return true
		}
	}
	return false
}

// search improves the forms by local search (see the package doc).
// Kept whole: the swap and replace moves share the loop's cost, stall and
// annealing state through closures, and splitting them would hide the
// structure of the search.
func (s *state) search(ctx context.Context, budget int) error {
	p := s.p
	cur := s.cost()
	stall, stallLimit := 0, max(20000, budget/4)
	nslots := len(p.slots)
	end, limit := budget, max(budget, min(repairFactor*budget, repairMoves))
	// kept records an accepted move: a repair that ends past the budget
	// gets a stall limit of moves for the soft objectives.
	an := annealer{on: p.tif}
	kept := func(it int, c cost) {
		if c.less(cur) && !an.active() {
			stall = 0
		}
		if cur.hard > 0 && c.hard == 0 && it >= end {
			end = it + stallLimit
		}
		cur = c
	}
	accept := func(c cost) bool {
		if keep(cur, c) {
			return true
		}
		return cur.hard == 0 && c.hard == 0 && an.accept(s.rng, c.soft-cur.soft)
	}
	for it := 0; ; it++ {
		// Annealing cools down to the end of the budget; plain descent
		// also stops after a long run without improvement.
		stalled := stall >= stallLimit && !an.started
		if (it >= end || stalled) && (cur.hard == 0 || it >= limit) {
			break
		}
		if an.on && cur.hard == 0 {
			if an.record(s, it, end, cur) {
				stall = 0
			}
		}
		if it&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		stall++
		f := s.rng.IntN(p.n)
		k := s.rng.IntN(nslots)
		a := s.sel[f][k]
		sl := p.slots[k]
		if p.n > 1 && s.rng.IntN(2) == 0 {
			g := s.rng.IntN(p.n - 1)
			if g >= f {
				g++
			}
			sp := p.ranges[sl.role][sl.domain]
			k2 := sp.lo + s.rng.IntN(sp.hi-sp.lo)
			b := s.sel[g][k2]
			if b == a || s.on(b, f) || s.on(a, g) {
				continue
			}
			s.remove(f, a)
			s.add(f, b)
			s.remove(g, b)
			s.add(g, a)
			if c := s.cost(); accept(c) {
				kept(it, c)
				s.sel[f][k], s.sel[g][k2] = b, a
				continue
			}
			s.remove(g, a)
			s.add(g, b)
			s.remove(f, b)
			s.add(f, a)
			continue
		}
		pool := p.pools[sl.role][sl.domain]
		b := pool[s.rng.IntN(len(pool))]
		if s.on(b, f) {
			continue
		}
		s.remove(f, a)
		s.add(f, b)
		if c := s.cost(); accept(c) {
			kept(it, c)
			s.sel[f][k] = b
			continue
		}
		s.remove(f, b)
		s.add(f, a)
	}
	if an.on && cur.hard == 0 {
		an.record(s, end, end, cur)
		an.restore(s)
	}
	return nil
}

// annealFraction sets the starting temperature of the annealing as a
// share of the key and parallelism cost when hard constraints first hold.
const annealFraction = 0.2

// annealShare is the percentage of the remaining move budget the
// temperature takes to fall to 0; plain descent has the rest.
const annealShare = 60

// annealer runs simulated annealing on the soft cost once no hard
// constraint is broken (TIF/TCC objective only): a move that raises the
// soft cost by delta is kept with probability exp(-delta/T), T falling
// linearly from its start to 0 at the end of the move budget. The best
// forms seen are kept and restored at the end.
type annealer struct {
	on      bool
	start   int
	t0, t   float64
	best    cost
	bestSel [][]int32
	started bool
}

func (a *annealer) active() bool { return a.started && a.t > 0 }

// record updates the temperature at move it of a budget ending at end and
// keeps the forms when cur is the best yet; it reports a new best.
func (a *annealer) record(s *state, it, end int, cur cost) bool {
	if !a.started {
		a.started, a.start, a.best = true, it, cur
		n := int64(s.p.n)
		a.t0 = annealFraction * float64(s.parallel()+weightKeyPerN*n*s.keyDev)
		a.bestSel = make([][]int32, len(s.sel))
		for f := range s.sel {
			a.bestSel[f] = append([]int32(nil), s.sel[f]...)
		}
	}
	a.t = 0
	if cool := a.start + (end-a.start)*annealShare/100; it < cool {
		a.t = a.t0 * float64(cool-it) / float64(cool-a.start)
	}
	if !cur.less(a.best) {
		return false
	}
	a.best = cur
	for f := range s.sel {
		copy(a.bestSel[f], s.sel[f])
	}
	return true
}

// accept decides on a move that raises the soft cost by delta.
func (a *annealer) accept(rng *rand.Rand, delta int64) bool {
	if !a.started || a.t <= 0 {
		return false
	}
	return rng.Float64() < math.Exp(-float64(delta)/a.t)
}

// restore rebuilds s from the best forms seen when they beat its own.
func (a *annealer) restore(s *state) {
	if !a.started || !a.best.less(s.cost()) {
		return
	}
	fresh := s.p.newState(s.rng)
	for f, items := range a.bestSel {
		for k, i := range items {
			fresh.add(f, i)
			fresh.sel[f][k] = i
		}
	}
	*s = *fresh
}

// solve runs construction and search, with restarts while hard
// constraints are broken.
func (p *problem) solve(ctx context.Context, seed uint64, budget int) (*state, error) {
	if budget <= 0 {
		budget = min(max(1000*p.n*len(p.slots), 50000), 2000000)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	var best *state
	for a := 0; a < attempts; a++ {
		s := p.newState(rng)
		s.construct()
		if err := s.search(ctx, budget); err != nil {
			return nil, err
		}
		if best == nil || s.cost().less(best.cost()) {
			best = s
		}
		if best.cost().hard == 0 {
			break
		}
	}
	if best.cost().hard > 0 {
		return nil, p.explain(best)
	}
	return best, nil
}

// explain names the constraint the best attempt still broke.
func (p *problem) explain(s *state) error {
	if s.enemyPairs > 0 {
		for f := 0; f < p.n; f++ {
			for _, i := range s.sel[f] {
				for _, e := range p.items[i].enemies {
					if s.on(e, f) {
						a, b := p.items[i].item, p.items[e].item
						pools := "the pool of domain " + a.Domain + " has"
						if a.Domain != b.Domain {
							pools = "the pools of domains " + a.Domain + " and " + b.Domain + " have"
						}
						return &InfeasibleError{Constraint: "enemies", Msg: fmt.Sprintf("cannot keep enemies apart: after %d attempts the best assembly still had enemies %s and %s on one form; %s too few items that are not enemies of each other (add items or review the enemies lists)",
							attempts, a.ID, b.ID, pools)}
					}
				}
			}
		}
	}
	worst := int32(0)
	for f := range s.shared {
		for g := range s.shared[f] {
			worst = max(worst, s.shared[f][g])
		}
	}
	return &InfeasibleError{Constraint: "overlap", Msg: fmt.Sprintf("cannot keep every two forms within %d shared scored items: after %d attempts the best assembly had two forms sharing %d (enemies narrow the choice); add operational items, assemble fewer forms or raise --max-overlap",
		p.m, attempts, worst)}
}

// order returns form f's items in delivery order: pretest items one in
// each of P equal stretches at a random offset, scored items shuffled
// into the other positions.
func (s *state) order(f int) []int32 {
	var scored, pretest []int32
	for k, i := range s.sel[f] {
		if s.p.slots[k].role == rolePretest {
			pretest = append(pretest, i)
		} else {
			scored = append(scored, i)
		}
	}
	s.rng.Shuffle(len(scored), func(i, j int) { scored[i], scored[j] = scored[j], scored[i] })
	s.rng.Shuffle(len(pretest), func(i, j int) { pretest[i], pretest[j] = pretest[j], pretest[i] })
	t := len(scored) + len(pretest)
	isPretest := make([]bool, t)
	for j := range pretest {
		lo, hi := j*t/len(pretest), (j+1)*t/len(pretest)
		isPretest[lo+s.rng.IntN(hi-lo)] = true
	}
	out := make([]int32, 0, t)
	for _, pre := range isPretest {
		if pre {
			out, pretest = append(out, pretest[0]), pretest[1:]
		} else {
			out, scored = append(out, scored[0]), scored[1:]
		}
	}
	return out
}
