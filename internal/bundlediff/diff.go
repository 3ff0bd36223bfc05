package bundlediff

import (
	"strconv"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/textdiff"
)

// Result is what changed between two snapshots. Its JSON form is the
// output of qbank diff --format json.
type Result struct {
	Old       Side          `json:"old"`
	New       Side          `json:"new"`
	Added     []FormSummary `json:"forms_added"`
	Removed   []FormSummary `json:"forms_removed"`
	Changed   []FormChange  `json:"forms_changed"`
	Unchanged []FormSummary `json:"forms_unchanged"`
}

// Side describes one snapshot.
type Side struct {
	Label   string `json:"label"`
	Exam    string `json:"exam"`
	Version string `json:"version,omitempty"`
}

// FormSummary names a form.
type FormSummary struct {
	Form    string `json:"form"`
	Version int    `json:"version"`
	Spec    string `json:"spec"`
	Items   int    `json:"items"`
}

// FormChange is what changed on a form present on both sides.
type FormChange struct {
	Form       string `json:"form"`
	OldVersion int    `json:"old_version"`
	NewVersion int    `json:"new_version"`
	// VersionNotBumped is set when the items changed but the form's
	// version did not (FORMAT.md asks for +1 on every such change).
	VersionNotBumped bool         `json:"version_not_bumped,omitempty"`
	Added            []ItemRef    `json:"items_added"`
	Removed          []ItemRef    `json:"items_removed"`
	Moved            []Move       `json:"items_moved"`
	RoleChanged      []RoleChange `json:"items_role_changed"`
	Revised          []Revision   `json:"items_revised"`
	// Unbumped are items whose content changed at the same revision.
	Unbumped []Revision `json:"items_changed_without_revision_bump"`
}

// ItemRef is an item at a position of a form.
type ItemRef struct {
	ID       string `json:"id"`
	Revision int    `json:"revision"`
	Role     string `json:"role"`
	Domain   string `json:"domain,omitempty"`
	Position int    `json:"position"`
}

// Move is an item whose place among the items kept on the form changed.
type Move struct {
	ID   string `json:"id"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

// RoleChange is an item that changed between scored and pretest.
type RoleChange struct {
	ID   string `json:"id"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Revision is an item whose revision (or, for Unbumped, content) changed.
type Revision struct {
	ID          string `json:"id"`
	OldRevision int    `json:"old_revision"`
	NewRevision int    `json:"new_revision"`
	// Changes are the differences in what a candidate sees and in the key;
	// empty when only rationales or references changed.
	Changes []FieldChange `json:"changes"`
	// Unknown says why the content could not be compared ("" when it was).
	Unknown string `json:"unknown,omitempty"`
}

// FieldChange is the difference of one field of an item.
type FieldChange struct {
	// Field is "stem", "option A", "option B", ..., "key" or "explanation".
	Field string `json:"field"`
	// Kind is "changed", "added" or "removed".
	Kind string    `json:"kind"`
	Old  string    `json:"old,omitempty"`
	New  string    `json:"new,omitempty"`
	Diff []Segment `json:"diff,omitempty"`
}

// Segment is a run of a word diff: op is "equal", "insert" or "delete".
type Segment struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Empty reports whether nothing changed.
func (r *Result) Empty() bool {
	return len(r.Added) == 0 && len(r.Removed) == 0 && len(r.Changed) == 0
}

// Diff compares two snapshots.
func Diff(old, new *Snapshot) *Result {
	r := &Result{
		Old: Side{Label: old.Label, Exam: old.Exam, Version: old.Version},
		New: Side{Label: new.Label, Exam: new.Exam, Version: new.Version},
	}
	oldForms := map[string]*Form{}
	for i := range old.Forms {
		oldForms[old.Forms[i].ID] = &old.Forms[i]
	}
	newForms := map[string]bool{}
	for i := range new.Forms {
		nf := &new.Forms[i]
		newForms[nf.ID] = true
		of := oldForms[nf.ID]
		if of == nil {
			r.Added = append(r.Added, summary(nf))
			continue
		}
		if fc, changed := diffForm(of, nf); changed {
			r.Changed = append(r.Changed, fc)
		} else {
			r.Unchanged = append(r.Unchanged, summary(nf))
		}
	}
	for i := range old.Forms {
		if !newForms[old.Forms[i].ID] {
			r.Removed = append(r.Removed, summary(&old.Forms[i]))
		}
	}
	return r
}

func summary(f *Form) FormSummary {
	return FormSummary{Form: f.ID, Version: f.Version, Spec: f.Spec, Items: len(f.Items)}
}

func ref(it Item, pos int) ItemRef {
	return ItemRef{ID: it.ID, Revision: it.Revision, Role: it.Role, Domain: it.Domain, Position: pos}
}

func diffForm(of, nf *Form) (FormChange, bool) {
	fc := FormChange{Form: nf.ID, OldVersion: of.Version, NewVersion: nf.Version}
	oldPos := map[string]int{}
	for i, it := range of.Items {
		if _, dup := oldPos[it.ID]; !dup {
			oldPos[it.ID] = i
		}
	}
	newPos := map[string]int{}
	for i, it := range nf.Items {
		if _, dup := newPos[it.ID]; !dup {
			newPos[it.ID] = i
		}
	}
	for i, it := range nf.Items {
		if _, ok := oldPos[it.ID]; !ok {
			fc.Added = append(fc.Added, ref(it, i+1))
		}
	}
	for i, it := range of.Items {
		if _, ok := newPos[it.ID]; !ok {
			fc.Removed = append(fc.Removed, ref(it, i+1))
		}
	}
	// Moved: the common items outside a longest common subsequence.
	var a, b []string
	for _, it := range of.Items {
		if _, ok := newPos[it.ID]; ok {
			a = append(a, it.ID)
		}
	}
	for _, it := range nf.Items {
		if _, ok := oldPos[it.ID]; ok {
			b = append(b, it.ID)
		}
	}
	// Among the longest common subsequences, keep the one with the most
	// items at the same position, so that a swap moves the two swapped
	// items and not the one between them.
	samePlace := map[string]bool{}
	for id, i := range oldPos {
		if j, ok := newPos[id]; ok && i == j {
			samePlace[id] = true
		}
	}
	kept := lcs(a, b, samePlace)
	for i, it := range nf.Items {
		j, common := oldPos[it.ID]
		if !common {
			continue
		}
		if !kept[it.ID] {
			fc.Moved = append(fc.Moved, Move{ID: it.ID, From: j + 1, To: i + 1})
		}
		o := of.Items[j]
		if o.Role != it.Role {
			fc.RoleChanged = append(fc.RoleChanged, RoleChange{ID: it.ID, From: o.Role, To: it.Role})
		}
		switch {
		case o.Revision != it.Revision:
			fc.Revised = append(fc.Revised, revision(o, it))
		case o.Content != nil && it.Content != nil:
			if rv := revision(o, it); len(rv.Changes) > 0 {
				fc.Unbumped = append(fc.Unbumped, rv)
			}
		}
	}
	changed := len(fc.Added)+len(fc.Removed)+len(fc.Moved)+len(fc.RoleChanged)+len(fc.Revised)+len(fc.Unbumped) > 0
	itemsChanged := len(fc.Added)+len(fc.Removed)+len(fc.Moved)+len(fc.RoleChanged)+len(fc.Revised) > 0
	fc.VersionNotBumped = itemsChanged && of.Version >= nf.Version
	return fc, changed || of.Version != nf.Version
}

// lcs returns the ids on a longest common subsequence of a and b (ids are
// unique within each); of several, the one with the most ids in
// samePlace, and of those the one that keeps the later items of a.
func lcs(a, b []string, samePlace map[string]bool) map[string]bool {
	type score struct{ n, same int }
	better := func(x, y score) bool { return x.n > y.n || x.n == y.n && x.same > y.same }
	n, m := len(a), len(b)
	t := make([][]score, n+1)
	for i := range t {
		t[i] = make([]score, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				// With unique ids, matching them is always part of a best
				// subsequence.
				t[i][j] = t[i+1][j+1]
				t[i][j].n++
				if samePlace[a[i]] {
					t[i][j].same++
				}
			case better(t[i][j+1], t[i+1][j]):
				t[i][j] = t[i][j+1]
			default:
				t[i][j] = t[i+1][j]
			}
		}
	}
	kept := map[string]bool{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			kept[a[i]] = true
			i++
			j++
		case !better(t[i][j+1], t[i+1][j]):
			i++
		default:
			j++
		}
	}
	return kept
}

func revision(o, n Item) Revision {
	rv := Revision{ID: n.ID, OldRevision: o.Revision, NewRevision: n.Revision, Changes: []FieldChange{}}
	switch {
	case o.Content == nil:
		rv.Unknown = unknown("old", o)
		return rv
	case n.Content == nil:
		rv.Unknown = unknown("new", n)
		return rv
	}
	oc, nc := o.Content, n.Content
	if fc, ok := textChange("stem", oc.Stem, nc.Stem); ok {
		rv.Changes = append(rv.Changes, fc)
	}
	for i := 0; i < max(len(oc.Options), len(nc.Options)); i++ {
		field := "option " + bank.Letter(i)
		switch {
		case i >= len(oc.Options):
			rv.Changes = append(rv.Changes, FieldChange{Field: field, Kind: "added", New: nc.Options[i]})
		case i >= len(nc.Options):
			rv.Changes = append(rv.Changes, FieldChange{Field: field, Kind: "removed", Old: oc.Options[i]})
		default:
			if fc, ok := textChange(field, oc.Options[i], nc.Options[i]); ok {
				rv.Changes = append(rv.Changes, fc)
			}
		}
	}
	if ok, nk := strings.Join(oc.Key, ", "), strings.Join(nc.Key, ", "); ok != nk {
		rv.Changes = append(rv.Changes, FieldChange{Field: "key", Kind: "changed", Old: ok, New: nk})
	}
	if fc, ok := textChange("explanation", oc.Explanation, nc.Explanation); ok {
		rv.Changes = append(rv.Changes, fc)
	}
	return rv
}

func unknown(side string, it Item) string {
	if it.HaveRevision > 0 {
		return side + " side: the bank has revision " + strconv.Itoa(it.HaveRevision) + " of " + it.ID + ", not the pinned revision " + strconv.Itoa(it.Revision) + "; compare release bundles to see the text"
	}
	return side + " side: " + it.ID + " is not in the bank"
}

// textChange diffs two texts by words; ok is false when they are equal
// (trailing white space aside).
func textChange(field, a, b string) (FieldChange, bool) {
	a, b = strings.TrimRight(a, " \t\r\n"), strings.TrimRight(b, " \t\r\n")
	if a == b {
		return FieldChange{}, false
	}
	switch {
	case a == "":
		return FieldChange{Field: field, Kind: "added", New: b}, true
	case b == "":
		return FieldChange{Field: field, Kind: "removed", Old: a}, true
	}
	fc := FieldChange{Field: field, Kind: "changed", Old: a, New: b}
	for _, s := range textdiff.Words(a, b) {
		op := "equal"
		switch s.Op {
		case textdiff.Insert:
			op = "insert"
		case textdiff.Delete:
			op = "delete"
		}
		fc.Diff = append(fc.Diff, Segment{Op: op, Text: s.Text})
	}
	return fc, true
}
