// Package assemble builds parallel exam forms from a bank (Assemble) and
// maintains committed forms (Replace).
//
// # Constraints
//
// Hard constraints, which every form Assemble returns meets:
//
//   - the spec's scored and pretest counts, split over the domains exactly
//     as the blueprint apportions them (largest remainder, FORMAT.md);
//   - scored slots hold operational items, pretest slots pretest items;
//   - no item twice on a form and no two enemies on a form (an enemy
//     declared on either side counts);
//   - any two new forms share at most floor(F x scored) scored items, F
//     being --max-overlap (0 means the forms are disjoint).
//
// Soft objectives, in decreasing priority (a weighted sum in the manner of
// the weighted deviations method of Swanson and Stocking, 1993):
//
//  1. every task statement of the blueprint that has operational items is
//     represented among each form's scored items;
//  2. exposure: the sum over items of the square of the number of forms
//     that use it (the new ones and those already committed), which is
//     smallest when use is spread evenly, so no item is used much more
//     often than its peers;
//  3. the keys of single-answer items spread evenly over the option
//     letters (A-D for CLF-C02) on each form: the sum over letters of
//     (letters x count - singles)^2;
//  4. parallel forms. When exam.yaml sets a passing standard (scale.cut,
//     resolved to theta_cut by package scale), the forms are made parallel
//     on the Rasch scale where pass and fail are decided: at the three
//     abilities theta_k = theta_cut-1, theta_cut, theta_cut+1 the term is
//     the sum over k of n x sum_f((T_fk - mean T_k)^2) + n x
//     sum_f((I_fk - mean I_k)^2), where T_fk sums 1000 P(theta_k, b_i) (the
//     TCC) and I_fk sums 4000 P(1-P) (the test information, scaled to the
//     range of P) over form f's scored items, each item's terms rounded to
//     integers once. b is the measured b of the item's current revision
//     (stats.yaml), else the provisional b of its authored difficulty
//     (scale.ItemDifficulty). Without a passing standard the term is the
//     spread of the forms' mean p-values, n x sum_f((s_f - mean s)^2) over
//     the summed p-values s_f (measured p from stats.yaml, else the
//     authored difficulty). The result reports each form's information at
//     theta_cut and cut raw score (scale.CutRaw) and the largest TCC
//     difference between two forms over theta_cut-1..theta_cut+1.
//
// # Algorithm
//
// Automated test assembly is usually posed as a mixed-integer program
// (R packages TestDesign, eatATA). A bank of a few hundred to a few
// thousand items and a handful of forms does not need a solver: a
// randomised greedy construction followed by local search reaches the
// optimum of the hard constraints and a difficulty spread well below what
// candidates could notice, in milliseconds, with no dependency.
//
//  1. Feasibility is checked first from counts, so an impossible request
//     fails at once with the constraint and the shortfall (for example
//     "domain security-compliance has 40 operational items; 4 forms with
//     max overlap 0 need 60").
//  2. Construction: forms are filled one after another, each domain's
//     slots from its pool in random order (from the seed) with the least
//     used items first; an item is taken when it keeps the hard
//     constraints, and an item of a task the form lacks is taken first.
//  3. Local search: a random move either replaces an item of a form by
//     another item of the same domain and role, or exchanges two items of
//     the same domain and role between two forms. Every quantity above is
//     updated incrementally (O(forms) per move). A move is kept when the
//     cost, compared lexicographically as (hard violations, soft cost),
//     does not grow: sideways moves let the search cross plateaus. While
//     hard violations remain, a move that keeps their number is kept
//     whatever its soft cost, so that a violation that takes two moves to
//     undo is not trapped behind a rise of exposure or key spread. The
//     search stops after a fixed number of moves or when a long run of
//     moves brings no improvement; while hard violations remain it goes
//     on, up to ten times that number of moves (four million at most).
//     If they remain, it restarts from a new construction (three
//     attempts); if they still remain, the request is infeasible and the
//     error names the constraint. With the TIF/TCC objective the soft
//     cost is annealed once no hard constraint is broken: a move that
//     raises it by delta is kept with probability exp(-delta/T), T
//     starting at 0.2 of the key and parallelism cost and falling
//     linearly to 0 over 60 % of the remaining moves, plain descent for
//     the rest; the best forms seen are returned. On small cases whose
//     optimum brute force finds (TestOptimalityGap,
//     BenchmarkOptimalityGap) it reaches the optimum.
//  4. Delivery order: pretest slots are spread over the form, one in each
//     of P equal stretches of the delivery order at a random offset, and
//     the scored items are shuffled into the other positions, so scored
//     and pretest items cannot be told apart by position.
//
// Everything random comes from one PCG generator (math/rand/v2) seeded
// with the seed, maps are never iterated in random order and the cost is
// integer arithmetic (the Rasch terms are rounded once per item; the
// annealing compares a uniform draw with exp of a ratio of integers), so
// the same bank, options and seed give byte-identical forms.
package assemble

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/check"
	"github.com/qbank/qbank/internal/irt"
	"github.com/qbank/qbank/internal/scale"
)

// DefaultMaxOverlap is the default share of scored items two forms may
// have in common.
const DefaultMaxOverlap = 0.2

// MaxForms bounds the forms of one run.
const MaxForms = 64

// Options tune Assemble.
type Options struct {
	// Spec is the form spec id (exam.yaml forms[].id).
	Spec string
	// Forms is the number of forms to assemble (1..MaxForms).
	Forms int
	// Seed seeds every random choice; it is recorded in each form.
	Seed int64
	// MaxOverlap is the share (0..1) of scored items two forms may share.
	MaxOverlap float64
	// TakenIDs are form ids in use besides the bank's forms (files in the
	// output directory); new ids continue after them.
	TakenIDs []string
	// Iterations bounds the local search moves per attempt; 0 picks a
	// budget from the size of the problem.
	Iterations int

	// meanP makes the forms parallel in mean p even when the bank has a
	// passing standard (the objective before TIF/TCC; tests compare).
	meanP bool
}

// InfeasibleError says which constraint a request cannot meet.
type InfeasibleError struct {
	// Constraint is supply, overlap or enemies.
	Constraint string
	Msg        string
}

func (e *InfeasibleError) Error() string { return e.Msg }

// Result is a set of assembled forms and their figures.
type Result struct {
	// Forms are the new forms, version 1, in id order.
	Forms []*bank.Form
	// Summary describes each form.
	Summary []FormSummary
	// Shared[i][j] counts the scored items forms i and j have in common.
	Shared [][]int
	// MaxShared is the largest number of shared scored items allowed.
	MaxShared int
	// Spread is the difference between the largest and the smallest form
	// mean p-value of scored items.
	Spread float64
	// Letters are the option letters single-answer keys are counted over.
	Letters []string
	// Domains are the domain ids, in blueprint order.
	Domains []string
	// TIF is set when the forms were made parallel in TCC and information
	// around ThetaCut (the bank has a passing standard); the Rasch figures
	// below and in the summaries are set only then.
	TIF      bool
	ThetaCut float64
	// TCCDiff is the largest difference between two forms' expected raw
	// scores (test characteristic curves) over theta_cut-1..theta_cut+1 in
	// steps of 0.1 logit; InfoSpread the largest difference between two
	// forms' information at theta_cut.
	TCCDiff    float64
	InfoSpread float64
	// NoTIF says why the forms were made parallel in mean p instead.
	NoTIF string
}

// FormSummary describes one form.
type FormSummary struct {
	Form string
	// Scored and Pretest count the items per domain, in blueprint order.
	Scored  []int
	Pretest []int
	// MeanP is the mean p-value of the scored items.
	MeanP float64
	// Measured counts the scored items whose p-value comes from stats.yaml.
	Measured int
	// Keys counts single-answer items (scored and pretest) per key letter.
	Keys []int
	// Tasks counts the task statements among the scored items; Possible
	// those with operational supply.
	Tasks    int
	Possible int
	// Info is the test information of the scored items at theta_cut and
	// CutRaw the smallest passing raw score (-1: none passes); set when
	// Result.TIF is.
	Info   float64
	CutRaw int
	// MeasuredB counts the scored items whose b comes from stats.yaml
	// (the others have the provisional b of their authored difficulty).
	MeasuredB int
}

// MaxShared returns the number of scored items two forms of scored items
// may share at the given overlap share.
func MaxShared(scored int, overlap float64) int {
	return int(math.Floor(overlap*float64(scored) + 1e-9))
}

// Assemble builds opts.Forms new forms of opts.Spec from the bank. An
// impossible request returns an *InfeasibleError.
func Assemble(ctx context.Context, b *bank.Bank, opts Options) (*Result, error) {
	spec := b.Exam.Spec(opts.Spec)
	if spec == nil {
		return nil, fmt.Errorf("no form spec %q in exam.yaml (%s)", opts.Spec, strings.Join(b.Exam.SpecIDs(), ", "))
	}
	if opts.Forms < 1 || opts.Forms > MaxForms {
		return nil, fmt.Errorf("number of forms %d out of range 1..%d", opts.Forms, MaxForms)
	}
	if opts.MaxOverlap < 0 || opts.MaxOverlap > 1 || math.IsNaN(opts.MaxOverlap) {
		return nil, fmt.Errorf("max overlap %v out of range 0..1", opts.MaxOverlap)
	}
	sc, noTIF := raschScale(b, opts)
	var thetaCut *float64
	if noTIF == "" {
		thetaCut = &sc.ThetaCut
	}
	p := newProblem(b, spec, opts.Forms, MaxShared(spec.Scored, opts.MaxOverlap), thetaCut)
	if err := p.feasible(opts.MaxOverlap); err != nil {
		return nil, err
	}
	s, err := p.solve(ctx, uint64(opts.Seed), opts.Iterations)
	if err != nil {
		return nil, err
	}
	ids := NextIDs(b, spec.ID, opts.Forms, opts.TakenIDs)
	res := &Result{MaxShared: p.m, Letters: p.letterNames(), Domains: p.domainIDs()}
	for f := 0; f < p.n; f++ {
		form := &bank.Form{Form: ids[f], Version: 1, Exam: b.Exam.Exam, Spec: spec.ID, Seed: opts.Seed, HasSeed: true}
		for _, i := range s.order(f) {
			it := p.items[i]
			form.Items = append(form.Items, bank.FormEntry{ID: it.item.ID, Revision: it.item.Revision, Role: roleName(it.role)})
		}
		res.Forms = append(res.Forms, form)
	}
	if err := verify(b, res.Forms); err != nil {
		return nil, err
	}
	res.fill(b, p)
	if noTIF != "" {
		res.NoTIF = noTIF
		return res, nil
	}
	if err := res.fillRasch(b, sc); err != nil {
		return nil, err
	}
	return res, nil
}

// raschScale resolves the bank's scale for the TIF/TCC objective; when
// there is none it says why.
func raschScale(b *bank.Bank, opts Options) (scale.Scale, string) {
	if opts.meanP {
		return scale.Scale{}, "mean p requested"
	}
	sc, err := scale.ForBank(b)
	if err != nil {
		return scale.Scale{}, err.Error()
	}
	return sc, ""
}

// fillRasch computes the Rasch figures of the forms on scale sc: each
// form's information at the cut and cut raw score, and the largest
// differences between forms.
func (r *Result) fillRasch(b *bank.Bank, sc scale.Scale) error {
	r.TIF, r.ThetaCut = true, sc.ThetaCut
	bss := make([][]float64, len(r.Forms))
	minI, maxI := math.Inf(1), math.Inf(-1)
	for f, form := range r.Forms {
		fb, err := scale.ScoredB(b, form)
		if err != nil {
			return err
		}
		bss[f] = fb.Bs()
		r.Summary[f].MeasuredB = len(fb.Items) - len(fb.Provisional())
		cut, err := sc.CutRaw(bss[f])
		if err != nil {
			return err
		}
		r.Summary[f].CutRaw = cut
		r.Summary[f].Info = sc.InformationAtCut(bss[f])
		minI, maxI = math.Min(minI, r.Summary[f].Info), math.Max(maxI, r.Summary[f].Info)
	}
	r.InfoSpread = maxI - minI
	r.TCCDiff = TCCDiff(bss, sc.ThetaCut)
	return nil
}

// TCCDiff returns the largest difference between the expected raw scores
// of two forms (difficulties bss) over theta_cut-1..theta_cut+1 in steps
// of 0.1 logit.
func TCCDiff(bss [][]float64, thetaCut float64) float64 {
	worst := 0.0
	for k := -10; k <= 10; k++ {
		th := thetaCut + float64(k)/10
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, bs := range bss {
			e := irt.TCC(th, bs)
			lo, hi = math.Min(lo, e), math.Max(hi, e)
		}
		worst = math.Max(worst, hi-lo)
	}
	return worst
}

// verify runs the form checks on the new forms: a safety net, since the
// search keeps every constraint by construction.
func verify(b *bank.Bank, forms []*bank.Form) error {
	for _, f := range forms {
		if fs := check.Form(b, f); len(fs) > 0 {
			return fmt.Errorf("internal error: assembled form %s fails check: %s", f.Form, fs[0].Message)
		}
	}
	return nil
}

// fill computes the summary figures from the forms.
func (r *Result) fill(b *bank.Bank, p *problem) {
	n := len(r.Forms)
	sets := make([]map[string]bool, n)
	minP, maxP := math.Inf(1), math.Inf(-1)
	for f, form := range r.Forms {
		sets[f] = map[string]bool{}
		fs := FormSummary{Form: form.Form, Scored: make([]int, len(p.domains)), Pretest: make([]int, len(p.domains)), Keys: make([]int, p.letters), Possible: p.possibleTasks()}
		tasks := map[int]bool{}
		sum, cnt := 0, 0
		for _, e := range form.Items {
			it := b.Item(e.ID)
			d := b.Exam.DomainIndex(it.Domain)
			if e.Role == bank.RoleScored {
				sets[f][e.ID] = true
				fs.Scored[d]++
				pv, src := b.Stats.PerMille(it)
				sum += pv
				cnt++
				if src == bank.FromStats {
					fs.Measured++
				}
				if t, ok := p.taskIndex[it.Domain+"\x00"+it.Task]; ok {
					tasks[t] = true
				}
			} else {
				fs.Pretest[d]++
			}
			if k := singleKey(it); k >= 0 && k < p.letters {
				fs.Keys[k]++
			}
		}
		fs.Tasks = len(tasks)
		if cnt > 0 {
			fs.MeanP = float64(sum) / float64(cnt) / 1000
		}
		minP, maxP = math.Min(minP, fs.MeanP), math.Max(maxP, fs.MeanP)
		r.Summary = append(r.Summary, fs)
	}
	r.Shared = make([][]int, n)
	for i := range r.Shared {
		r.Shared[i] = make([]int, n)
		for j := range r.Shared[i] {
			if i == j {
				continue
			}
			for id := range sets[i] {
				if sets[j][id] {
					r.Shared[i][j]++
				}
			}
		}
	}
	if n > 0 {
		r.Spread = maxP - minP
	}
}

// singleKey returns the key index of a single-answer item, or -1.
func singleKey(it *bank.Item) int {
	if it.Type != bank.TypeSingle {
		return -1
	}
	keys := it.Keys()
	if len(keys) != 1 {
		return -1
	}
	return keys[0]
}

func roleName(role int) string {
	if role == rolePretest {
		return bank.RolePretest
	}
	return bank.RoleScored
}

// NextIDs returns n new form ids for the spec: <EXAM>-<SPEC>-A, -B, ...,
// after the letters already used by the bank's forms and taken (after Z
// come AA, AB, ...).
func NextIDs(b *bank.Bank, spec string, n int, taken []string) []string {
	prefix := formPrefix(b.Exam, spec)
	last := 0
	consider := func(id string) {
		if strings.HasPrefix(id, prefix) {
			if k := letterIndex(strings.TrimPrefix(id, prefix)); k > last {
				last = k
			}
		}
	}
	for _, f := range b.Forms {
		consider(f.Form)
	}
	for _, id := range taken {
		consider(id)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = prefix + letters(last+1+i)
	}
	return ids
}

func formPrefix(e *blueprint.Exam, spec string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z':
				return r - 'a' + 'A'
			case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
				return r
			}
			return '-'
		}, s)
	}
	return clean(e.Exam) + "-" + clean(spec) + "-"
}

// letters renders k >= 1 in bijective base 26: 1 A, 26 Z, 27 AA.
func letters(k int) string {
	s := ""
	for k > 0 {
		k--
		s = string(rune('A'+k%26)) + s
		k /= 26
	}
	return s
}

// letterIndex is the inverse of letters; 0 when s is not all capitals.
func letterIndex(s string) int {
	if s == "" || len(s) > 6 {
		return 0
	}
	k := 0
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return 0
		}
		k = k*26 + int(r-'A') + 1
	}
	return k
}
