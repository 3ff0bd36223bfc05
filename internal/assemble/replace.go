package assemble

import (
	"fmt"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/check"
	"github.com/qbank/qbank/internal/rules"
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
// bank's other forms, then the p-value closest to the replaced item's (so
// the form's mean difficulty stays put), then a key letter the form has
// fewest of, then the smallest id. Scored replacements also keep the form
// within maxOverlap of every other committed form, where it was.
//
// An entry whose item was revised but is still eligible is re-pinned at
// the new revision: a revision means candidates would see a changed item,
// which a release manager reviews and then re-pins. No candidate for a
// slot returns an *InfeasibleError; nothing is changed then.
func Replace(b *bank.Bank, id string, maxOverlap float64) (*Replacement, error) {
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
		return nil, fmt.Errorf("no valid form %s in the bank (%s); qbank check reports forms that fail to load", id, known)
	}
	spec := b.Exam.Spec(old.Spec)
	if spec == nil {
		return nil, fmt.Errorf("form %s names spec %q, which exam.yaml lacks", id, old.Spec)
	}
	m := MaxShared(spec.Scored, maxOverlap)
	broken := map[string]bool{}
	for _, it := range b.Broken {
		broken[it.ID] = true
	}
	// The next version's entries, without the old file's positions.
	entries := make([]bank.FormEntry, len(old.Items))
	for i, e := range old.Items {
		entries[i] = bank.FormEntry{ID: e.ID, Revision: e.Revision, Role: e.Role}
	}
	rep := &Replacement{Old: old}
	vacant := map[int]string{} // position -> reason
	onForm := map[string]bool{}
	replacedIDs := map[string]bool{}
	for i, e := range entries {
		it := b.Item(e.ID)
		want := bank.StatusOperational
		if e.Role == bank.RolePretest {
			want = bank.StatusPretest
		}
		switch {
		case it == nil && broken[e.ID]:
			vacant[i] = fmt.Sprintf("the file of %s fails the schema", e.ID)
		case it == nil:
			vacant[i] = fmt.Sprintf("%s is not in the bank", e.ID)
		case onForm[e.ID]:
			vacant[i] = fmt.Sprintf("%s is on the form twice", e.ID)
		case it.Status != want:
			vacant[i] = fmt.Sprintf("%s is %s", e.ID, it.Status)
		case b.Exam.DomainIndex(it.Domain) < 0:
			vacant[i] = fmt.Sprintf("the domain of %s is not in exam.yaml", e.ID)
		}
		if _, v := vacant[i]; v {
			replacedIDs[e.ID] = true
			continue
		}
		onForm[e.ID] = true
		// Re-pinned now; the change is recorded once the entry is known
		// to stay (the enemy and count passes below may still vacate it).
		entries[i].Revision = it.Revision
	}
	// Enemies among the kept entries: the later one goes.
	for i := range entries {
		if _, v := vacant[i]; v {
			continue
		}
		a := b.Item(entries[i].ID)
		for j := 0; j < i; j++ {
			if _, v := vacant[j]; v {
				continue
			}
			if check.Enemies(a, b.Item(entries[j].ID)) {
				vacant[i] = fmt.Sprintf("%s is an enemy of %s", a.ID, entries[j].ID)
				delete(onForm, a.ID)
				replacedIDs[a.ID] = true
				break
			}
		}
	}
	// Counts: roles must match the spec; domains over their count give up
	// their later entries.
	targets := map[string][]int{bank.RoleScored: b.Exam.Apportion(spec.Scored), bank.RolePretest: b.Exam.Apportion(spec.Pretest)}
	have := map[string][]int{bank.RoleScored: make([]int, len(b.Exam.Domains)), bank.RolePretest: make([]int, len(b.Exam.Domains))}
	roles := map[string]int{}
	for i, e := range entries {
		roles[e.Role]++
		if _, v := vacant[i]; v {
			continue
		}
		it := b.Item(e.ID)
		d := b.Exam.DomainIndex(it.Domain)
		if have[e.Role][d] == targets[e.Role][d] {
			vacant[i] = fmt.Sprintf("domain %s has more %s items than the spec's %d", it.Domain, e.Role, targets[e.Role][d])
			delete(onForm, e.ID)
			replacedIDs[e.ID] = true
			continue
		}
		have[e.Role][d]++
	}
	for i, e := range entries {
		if _, v := vacant[i]; !v && e.Revision != old.Items[i].Revision {
			rep.Changes = append(rep.Changes, Change{Position: i + 1, Role: e.Role, Old: e.ID, OldRevision: old.Items[i].Revision, New: e.ID, NewRevision: e.Revision, Repinned: true,
				Reason: fmt.Sprintf("%s is at revision %d", e.ID, e.Revision)})
		}
	}
	if roles[bank.RoleScored] != spec.Scored || roles[bank.RolePretest] != spec.Pretest {
		return nil, &InfeasibleError{Constraint: rules.FormCount.ID, Msg: fmt.Sprintf("form %s has %d scored and %d pretest items but spec %s has %d and %d; replacing items cannot fix that: assemble a new form",
			id, roles[bank.RoleScored], roles[bank.RolePretest], spec.ID, spec.Scored, spec.Pretest)}
	}

	// Fill the vacant positions in delivery order.
	usedBy := map[string]int{}            // item id -> other forms using it
	scoredOn := map[string][]*bank.Form{} // item id -> other forms scoring it
	shared := map[*bank.Form]int{}        // other form -> scored items shared
	keptScored := map[string]bool{}
	for i, e := range entries {
		if _, v := vacant[i]; !v && e.Role == bank.RoleScored {
			keptScored[e.ID] = true
		}
	}
	for _, g := range b.Forms {
		if g == old {
			continue
		}
		for _, e := range g.Items {
			usedBy[e.ID]++
			if e.Role == bank.RoleScored {
				scoredOn[e.ID] = append(scoredOn[e.ID], g)
				if keptScored[e.ID] {
					shared[g]++
				}
			}
		}
	}
	keyCount := make([]int, max(b.Exam.Options.Single, 1))
	scoredSum, scoredN := 0, 0
	for i, e := range entries {
		if _, v := vacant[i]; v {
			continue
		}
		it := b.Item(e.ID)
		if k := singleKey(it); k >= 0 && k < len(keyCount) {
			keyCount[k]++
		}
		if e.Role == bank.RoleScored {
			p, _ := b.Stats.PerMille(it)
			scoredSum += p
			scoredN++
		}
	}
	positions := make([]int, 0, len(vacant))
	for i := range vacant {
		positions = append(positions, i)
	}
	sort.Ints(positions)
	for _, i := range positions {
		e := entries[i]
		reason := vacant[i]
		oldItem := b.Item(e.ID)
		d := -1
		if oldItem != nil {
			d = b.Exam.DomainIndex(oldItem.Domain)
		}
		if d < 0 || have[e.Role][d] >= targets[e.Role][d] {
			d = -1
			for j := range targets[e.Role] {
				if have[e.Role][j] < targets[e.Role][j] {
					d = j
					break
				}
			}
		}
		target := bank.DefaultPerMille
		switch {
		case oldItem != nil:
			target, _ = b.Stats.PerMille(oldItem)
		case scoredN > 0:
			target = scoredSum / scoredN
		}
		want := bank.StatusOperational
		if e.Role == bank.RolePretest {
			want = bank.StatusPretest
		}
		var best *bank.Item
		var bestKey [4]int
		for _, c := range b.Items {
			if d < 0 || c.Status != want || c.Domain != b.Exam.Domains[d].ID || onForm[c.ID] || replacedIDs[c.ID] {
				continue
			}
			if enemyOnForm(b, c, entries, onForm) {
				continue
			}
			if e.Role == bank.RoleScored && overShared(scoredOn[c.ID], shared, m) {
				continue
			}
			sameTask := 1
			if oldItem != nil && c.Task == oldItem.Task && c.Domain == oldItem.Domain {
				sameTask = 0
			}
			p, _ := b.Stats.PerMille(c)
			keyUse := 0
			if k := singleKey(c); k >= 0 && k < len(keyCount) {
				keyUse = keyCount[k]
			}
			// Items are in id order, so the first of equal keys wins.
			key := [4]int{sameTask, usedBy[c.ID], abs(p - target), keyUse}
			if best == nil || lessKey(key, bestKey) {
				best, bestKey = c, key
			}
		}
		if best == nil {
			dom := "?"
			if d >= 0 {
				dom = b.Exam.Domains[d].ID
			}
			return nil, &InfeasibleError{Constraint: rules.Supply.ID, Msg: fmt.Sprintf("no %s item of domain %s can replace %s on %s (%s): every one is on the form, an enemy of an item on it, or would make the form share more than %d scored items with another form",
				want, dom, e.ID, id, reason, m)}
		}
		entries[i] = bank.FormEntry{ID: best.ID, Revision: best.Revision, Role: e.Role}
		onForm[best.ID] = true
		have[e.Role][d]++
		if k := singleKey(best); k >= 0 && k < len(keyCount) {
			keyCount[k]++
		}
		if e.Role == bank.RoleScored {
			for _, g := range scoredOn[best.ID] {
				shared[g]++
			}
			p, _ := b.Stats.PerMille(best)
			scoredSum += p
			scoredN++
		}
		rep.Changes = append(rep.Changes, Change{Position: i + 1, Role: e.Role, Old: e.ID, OldRevision: old.Items[i].Revision, New: best.ID, NewRevision: best.Revision,
			Reason: reason, SameTask: bestKey[0] == 0})
	}
	sort.SliceStable(rep.Changes, func(i, j int) bool { return rep.Changes[i].Position < rep.Changes[j].Position })
	rep.OldMeanP = meanP(b, old.Items)
	if len(rep.Changes) == 0 {
		rep.NewMeanP = rep.OldMeanP
		return rep, nil
	}
	next := *old
	next.Version = old.Version + 1
	next.Items = entries
	next.Pos = bank.FormPos{}
	rep.Form = &next
	rep.NewMeanP = meanP(b, entries)
	for _, f := range check.Form(b, &next) {
		if f.Rule != rules.FormHeader.ID {
			return nil, fmt.Errorf("internal error: version %d of %s fails check: %s", next.Version, id, f.Message)
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
