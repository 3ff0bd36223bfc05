package assemble

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/check"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/scale"
)

// Change is one difference between a form and its next version.
type Change struct {
	// Position is the 1-based delivery position; Role the slot's role.
	Position int
	Role     string
	// Old and OldRevision are the entry before; New and NewRevision after.
	Old         string
	OldRevision int
	New         string
	NewRevision int
	// Repinned is true when the same item is pinned at its new revision;
	// otherwise the item was replaced.
	Repinned bool
	// Reason says why the entry had to change.
	Reason string
	// SameTask reports that a replacement measures the same task.
	SameTask bool
}

// Replacement is the next version of a form.
type Replacement struct {
	// Old is the committed form; Form its next version, nil when nothing
	// had to change.
	Old  *bank.Form
	Form *bank.Form
	// Changes lists what changed, in delivery order.
	Changes []Change
	// OldMeanP and NewMeanP are the mean p-values of the scored items
	// before and after (with today's statistics).
	OldMeanP float64
	NewMeanP float64
}

// Replace produces the next version of the committed form id: what must
// change changes and every other entry stays in place.
//
// An entry must change when its item is gone from the bank (or its file
// fails the schema), appears twice, no longer has the status its role
// needs (retired, or moved to another status), is an enemy of an earlier
// entry, or is beyond its domain's count. Such an entry is replaced by an
// item of the same role and domain (the domain the form lacks, when the
// item's domain is over its count) that is not on the form and is no enemy
// of its items, preferring the same task, then items used least on the
// bank's other forms, then the difficulty closest to the replaced item's
// (so the form stays parallel to the others: when exam.yaml sets a passing
// standard, the Rasch b, measured or provisional, which alone fixes an
// item's share of the TCC and the information at every ability; else the
// p-value, so the mean difficulty stays put), then a key letter the form has
// fewest of, then the smallest id. Scored replacements also keep the form
// within maxOverlap of every other committed form, where it was.
//
// An entry whose item was revised but is still eligible is re-pinned at
// the new revision: a revision means candidates would see a changed item,
// which a release manager reviews and then re-pins. No candidate for a
// slot returns an *InfeasibleError; nothing is changed then.
func Replace(b *bank.Bank, id string, maxOverlap float64) (*Replacement, error) {
	old, spec, err := formAndSpec(b, id)
	if err != nil {
		return nil, err
	}
	r := newReplacer(b, old, spec, MaxShared(spec.Scored, maxOverlap))
	if _, err := scale.ThetaCut(b); err == nil {
		r.rasch = true
	}
	r.vacateIneligible()
	r.vacateEnemies()
	roles := r.vacateSurplus()
	r.recordRepins()
	if roles[bank.RoleScored] != spec.Scored || roles[bank.RolePretest] != spec.Pretest {
		return nil, &InfeasibleError{Constraint: rules.FormCount.ID, Msg: fmt.Sprintf("form %s has %d scored and %d pretest items but spec %s has %d and %d; replacing items cannot fix that: assemble a new form",
			id, roles[bank.RoleScored], roles[bank.RolePretest], spec.ID, spec.Scored, spec.Pretest)}
	}
	r.countUse()
	for _, i := range r.vacantPositions() {
		if err := r.fill(i); err != nil {
			return nil, err
		}
	}
	return r.result()
}

// formAndSpec returns the committed form id and its spec.
func formAndSpec(b *bank.Bank, id string) (*bank.Form, *blueprint.FormSpec, error) {
	old := b.Form(id)
	if old == nil {
		ids := make([]string, len(b.Forms))
		for i, f := range b.Forms {
			ids[i] = f.Form
		}
		known := "the bank has no valid form"
		if len(ids) > 0 {
			known = "forms: " + strings.Join(ids, ", ")
		}
		return nil, nil, fmt.Errorf("no valid form %s in the bank (%s); qbank check reports forms that fail to load", id, known)
	}
	spec := b.Exam.Spec(old.Spec)
	if spec == nil {
		return nil, nil, fmt.Errorf("form %s names spec %q, which exam.yaml lacks", id, old.Spec)
	}
	return old, spec, nil
}

// replacer holds the state of Replace: the next version's entries, the
// positions to vacate (with why), and what filling them must respect.
type replacer struct {
	b         *bank.Bank
	old       *bank.Form
	spec      *blueprint.FormSpec
	maxShared int // scored items the form may share with another form
	// entries are the next version's entries, without positions.
	entries     []bank.FormEntry
	vacant      map[int]string  // position -> why it must change
	onForm      map[string]bool // ids of the entries that stay
	replacedIDs map[string]bool // ids that leave the form (never picked again)
	// targets and have count items per role and domain index.
	targets, have map[string][]int
	// The bank's other forms: use counts, scored use, and how many scored
	// items the form shares with each.
	usedBy   map[string]int
	scoredOn map[string][]*bank.Form
	shared   map[*bank.Form]int
	// keyCount counts the kept single items per key position; scoredSum
	// and scoredN give the kept scored items' mean p-value.
	keyCount           []int
	scoredSum, scoredN int
	changes            []Change
	// rasch is set when the bank has a passing standard: difficulty is
	// then compared on b (milli-logits), else on p (per mille).
	rasch bool
}

// difficulty returns the figure pick matches: 1000 b rounded when the
// bank has a passing standard, else the p-value in thousandths.
func (r *replacer) difficulty(it *bank.Item) int {
	if r.rasch {
		b, _ := scale.ItemDifficulty(r.b.Stats, r.b.Exam.Scale.Provisional, it)
		return int(math.Floor(1000*b + 0.5))
	}
	p, _ := r.b.Stats.PerMille(it)
	return p
}

func newReplacer(b *bank.Bank, old *bank.Form, spec *blueprint.FormSpec, maxShared int) *replacer {
	r := &replacer{b: b, old: old, spec: spec, maxShared: maxShared,
		entries: make([]bank.FormEntry, len(old.Items)), vacant: map[int]string{}, onForm: map[string]bool{}, replacedIDs: map[string]bool{},
		targets: map[string][]int{bank.RoleScored: b.Exam.Apportion(spec.Scored), bank.RolePretest: b.Exam.Apportion(spec.Pretest)},
		have:    map[string][]int{bank.RoleScored: make([]int, len(b.Exam.Domains)), bank.RolePretest: make([]int, len(b.Exam.Domains))},
	}
	for i, e := range old.Items {
		r.entries[i] = bank.FormEntry{ID: e.ID, Revision: e.Revision, Role: e.Role}
	}
	return r
}

func (r *replacer) isVacant(i int) bool { _, v := r.vacant[i]; return v }

// vacate marks position i to change, for reason.
func (r *replacer) vacate(i int, reason string) {
	r.vacant[i] = reason
	delete(r.onForm, r.entries[i].ID)
	r.replacedIDs[r.entries[i].ID] = true
}

// statusFor is the status a slot of role takes.
func statusFor(role string) string {
	if role == bank.RolePretest {
		return bank.StatusPretest
	}
	return bank.StatusOperational
}

// vacateIneligible vacates entries whose item is gone, broken, repeated,
// of the wrong status or of an unknown domain, and re-pins the others at
// their item's revision (recorded once an entry is known to stay).
func (r *replacer) vacateIneligible() {
	broken := map[string]bool{}
	for _, it := range r.b.Broken {
		broken[it.ID] = true
	}
	for i, e := range r.entries {
		it := r.b.Item(e.ID)
		reason := ""
		switch {
		case it == nil && broken[e.ID]:
			reason = fmt.Sprintf("the file of %s fails the schema", e.ID)
		case it == nil:
			reason = fmt.Sprintf("%s is not in the bank", e.ID)
		case r.onForm[e.ID]:
			reason = fmt.Sprintf("%s is on the form twice", e.ID)
		case it.Status != statusFor(e.Role):
			reason = fmt.Sprintf("%s is %s", e.ID, it.Status)
		case r.b.Exam.DomainIndex(it.Domain) < 0:
			reason = fmt.Sprintf("the domain of %s is not in exam.yaml", e.ID)
		}
		if reason != "" {
			r.vacant[i] = reason
			r.replacedIDs[e.ID] = true // the first copy of a repeated item stays on the form
			continue
		}
		r.onForm[e.ID] = true
		r.entries[i].Revision = it.Revision
	}
}

// vacateEnemies vacates the later of two enemies among the kept entries.
func (r *replacer) vacateEnemies() {
	for i := range r.entries {
		if r.isVacant(i) {
			continue
		}
		a := r.b.Item(r.entries[i].ID)
		for j := 0; j < i; j++ {
			if !r.isVacant(j) && check.Enemies(a, r.b.Item(r.entries[j].ID)) {
				r.vacate(i, fmt.Sprintf("%s is an enemy of %s", a.ID, r.entries[j].ID))
				break
			}
		}
	}
}

// vacateSurplus vacates the later entries of a domain over its count, and
// returns the number of entries per role.
func (r *replacer) vacateSurplus() map[string]int {
	roles := map[string]int{}
	for i, e := range r.entries {
		roles[e.Role]++
		if r.isVacant(i) {
			continue
		}
		it := r.b.Item(e.ID)
		d := r.b.Exam.DomainIndex(it.Domain)
		if r.have[e.Role][d] == r.targets[e.Role][d] {
			r.vacate(i, fmt.Sprintf("domain %s has more %s items than the spec's %d", it.Domain, e.Role, r.targets[e.Role][d]))
			continue
		}
		r.have[e.Role][d]++
	}
	return roles
}

// recordRepins records the kept entries whose pin changed.
func (r *replacer) recordRepins() {
	for i, e := range r.entries {
		if was := r.old.Items[i].Revision; !r.isVacant(i) && e.Revision != was {
			r.changes = append(r.changes, Change{Position: i + 1, Role: e.Role, Old: e.ID, OldRevision: was, New: e.ID, NewRevision: e.Revision, Repinned: true,
				Reason: fmt.Sprintf("%s is at revision %d", e.ID, e.Revision)})
		}
	}
}

// countUse counts what filling must respect: the other forms' use of each
// item and the scored items the form shares with each, the kept items'
// key positions and their mean p-value.
func (r *replacer) countUse() {
	r.usedBy, r.scoredOn, r.shared = map[string]int{}, map[string][]*bank.Form{}, map[*bank.Form]int{}
	keptScored := map[string]bool{}
	for i, e := range r.entries {
		if !r.isVacant(i) && e.Role == bank.RoleScored {
			keptScored[e.ID] = true
		}
	}
	for _, g := range r.b.Forms {
		if g == r.old {
			continue
		}
		for _, e := range g.Items {
			r.usedBy[e.ID]++
			if e.Role == bank.RoleScored {
				r.scoredOn[e.ID] = append(r.scoredOn[e.ID], g)
				if keptScored[e.ID] {
					r.shared[g]++
				}
			}
		}
	}
	r.keyCount = make([]int, max(r.b.Exam.Options.Single, 1))
	for i, e := range r.entries {
		if !r.isVacant(i) {
			r.count(r.b.Item(e.ID), e.Role)
		}
	}
}

// count adds an item on the form to the key and p-value tallies.
func (r *replacer) count(it *bank.Item, role string) {
	if k := singleKey(it); k >= 0 && k < len(r.keyCount) {
		r.keyCount[k]++
	}
	if role == bank.RoleScored {
		r.scoredSum += r.difficulty(it)
		r.scoredN++
	}
}

// vacantPositions returns the vacant positions in delivery order.
func (r *replacer) vacantPositions() []int {
	positions := make([]int, 0, len(r.vacant))
	for i := range r.vacant {
		positions = append(positions, i)
	}
	sort.Ints(positions)
	return positions
}

// fill picks the replacement of vacant position i and puts it in place.
func (r *replacer) fill(i int) error {
	e := r.entries[i]
	oldItem := r.b.Item(e.ID)
	d := r.domainFor(e.Role, oldItem)
	best, key := r.pick(e.Role, d, oldItem)
	if best == nil {
		dom := "?"
		if d >= 0 {
			dom = r.b.Exam.Domains[d].ID
		}
		return &InfeasibleError{Constraint: rules.Supply.ID, Msg: fmt.Sprintf("no %s item of domain %s can replace %s on %s (%s): every one is on the form, an enemy of an item on it, or would make the form share more than %d scored items with another form",
			statusFor(e.Role), dom, e.ID, r.old.Form, r.vacant[i], r.maxShared)}
	}
	r.entries[i] = bank.FormEntry{ID: best.ID, Revision: best.Revision, Role: e.Role}
	r.onForm[best.ID] = true
	r.have[e.Role][d]++
	r.count(best, e.Role)
	if e.Role == bank.RoleScored {
		for _, g := range r.scoredOn[best.ID] {
			r.shared[g]++
		}
	}
	r.changes = append(r.changes, Change{Position: i + 1, Role: e.Role, Old: e.ID, OldRevision: r.old.Items[i].Revision, New: best.ID, NewRevision: best.Revision,
		Reason: r.vacant[i], SameTask: key[0] == 0})
	return nil
}

// domainFor is the domain index a replacement of role comes from: the
// replaced item's, unless that domain is full (or unknown), then the first
// domain short of its count (-1: none).
func (r *replacer) domainFor(role string, oldItem *bank.Item) int {
	d := -1
	if oldItem != nil {
		d = r.b.Exam.DomainIndex(oldItem.Domain)
	}
	if d >= 0 && r.have[role][d] < r.targets[role][d] {
		return d
	}
	for j := range r.targets[role] {
		if r.have[role][j] < r.targets[role][j] {
			return j
		}
	}
	return -1
}

// pick returns the best eligible item of role and domain d to replace
// oldItem (nil when there is none) and its ranking key: same task first,
// then least used on other forms, then the difficulty (b or p, see
// Replace) closest to the replaced item's (or the kept scored items' mean), then the key letter
// the form has fewest of; items are in id order, so the first of equal
// keys wins.
func (r *replacer) pick(role string, d int, oldItem *bank.Item) (*bank.Item, [4]int) {
	var best *bank.Item
	var bestKey [4]int
	if d < 0 {
		return nil, bestKey
	}
	target := bank.DefaultPerMille
	if r.rasch {
		target = 0
	}
	switch {
	case oldItem != nil:
		target = r.difficulty(oldItem)
	case r.scoredN > 0:
		target = r.scoredSum / r.scoredN
	}
	for _, c := range r.b.Items {
		if c.Status != statusFor(role) || c.Domain != r.b.Exam.Domains[d].ID || r.onForm[c.ID] || r.replacedIDs[c.ID] {
			continue
		}
		if enemyOnForm(r.b, c, r.entries, r.onForm) || (role == bank.RoleScored && overShared(r.scoredOn[c.ID], r.shared, r.maxShared)) {
			continue
		}
		sameTask := 1
		if oldItem != nil && c.Task == oldItem.Task && c.Domain == oldItem.Domain {
			sameTask = 0
		}
		p := r.difficulty(c)
		keyUse := 0
		if k := singleKey(c); k >= 0 && k < len(r.keyCount) {
			keyUse = r.keyCount[k]
		}
		key := [4]int{sameTask, r.usedBy[c.ID], abs(p - target), keyUse}
		if best == nil || lessKey(key, bestKey) {
			best, bestKey = c, key
		}
	}
	return best, bestKey
}

// result is the Replacement: the changes in delivery order and, when
// anything changed, the next version, which must pass check.Form.
func (r *replacer) result() (*Replacement, error) {
	rep := &Replacement{Old: r.old, Changes: r.changes}
	sort.SliceStable(rep.Changes, func(i, j int) bool { return rep.Changes[i].Position < rep.Changes[j].Position })
	rep.OldMeanP = meanP(r.b, r.old.Items)
	if len(rep.Changes) == 0 {
		rep.NewMeanP = rep.OldMeanP
		return rep, nil
	}
	next := *r.old
	next.Version = r.old.Version + 1
	next.Items = r.entries
	next.Pos = bank.FormPos{}
	rep.Form = &next
	rep.NewMeanP = meanP(r.b, r.entries)
	for _, f := range check.Form(r.b, &next) {
		if f.Rule != rules.FormHeader.ID {
			return nil, fmt.Errorf("internal error: version %d of %s fails check: %s", next.Version, r.old.Form, f.Message)
		}
	}
	return rep, nil
}

func enemyOnForm(b *bank.Bank, c *bank.Item, entries []bank.FormEntry, onForm map[string]bool) bool {
	for _, e := range entries {
		if onForm[e.ID] && check.Enemies(c, b.Item(e.ID)) {
			return true
		}
	}
	return false
}

func overShared(forms []*bank.Form, shared map[*bank.Form]int, m int) bool {
	for _, g := range forms {
		if shared[g]+1 > m {
			return true
		}
	}
	return false
}

func lessKey(a, b [4]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// meanP is the mean p-value of the scored entries whose item is known.
func meanP(b *bank.Bank, entries []bank.FormEntry) float64 {
	sum, n := 0, 0
	for _, e := range entries {
		if e.Role != bank.RoleScored {
			continue
		}
		if it := b.Item(e.ID); it != nil {
			p, _ := b.Stats.PerMille(it)
			sum += p
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n) / 1000
}
