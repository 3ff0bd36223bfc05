package assemble

import (
	"errors"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/check"
)

// committed returns a bank with two disjoint committed forms (A and B).
func committed(t *testing.T, op []int) *bank.Bank {
	t.Helper()
	b := clfPool(t, op, []int{10, 10, 10, 5}, 0, 31)
	r := run(t, b, Options{Spec: "full", Forms: 2, Seed: 5, MaxOverlap: 0})
	b.Forms = reparse(t, r.Forms)
	return b
}

// firstScored returns the index of the first scored entry of form f whose
// item is in domain.
func firstScored(b *bank.Bank, f *bank.Form, domain string) int {
	for i, e := range f.Items {
		if e.Role == bank.RoleScored && b.Item(e.ID).Domain == domain {
			return i
		}
	}
	return -1
}

func TestReplaceRetiredItem(t *testing.T) {
	b := committed(t, []int{40, 50, 60, 20})
	form := b.Forms[0]
	i := firstScored(b, form, "security-compliance")
	gone := b.Item(form.Items[i].ID)
	gone.Status = bank.StatusRetired
	rep, err := Replace(b, form.Form, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Form == nil || rep.Form.Version != form.Version+1 || rep.Form.Seed != form.Seed || rep.Form.Form != form.Form {
		t.Fatalf("next version %+v", rep.Form)
	}
	if len(rep.Changes) != 1 {
		t.Fatalf("changes %+v; want exactly one", rep.Changes)
	}
	ch := rep.Changes[0]
	if ch.Position != i+1 || ch.Old != gone.ID || ch.Repinned || !strings.Contains(ch.Reason, "is retired") || !ch.SameTask {
		t.Errorf("change %+v", ch)
	}
	in := b.Item(ch.New)
	if in.Domain != gone.Domain || in.Task != gone.Task || in.Status != bank.StatusOperational {
		t.Errorf("replacement %s is %s/%s/%s; want an operational item of %s task %s", in.ID, in.Domain, in.Task, in.Status, gone.Domain, gone.Task)
	}
	// Difficulty: the closest p among same-task items not on either form.
	pGone, _ := b.Stats.PerMille(gone)
	pNew, _ := b.Stats.PerMille(in)
	onForms := map[string]bool{}
	for _, f := range b.Forms {
		for _, e := range f.Items {
			onForms[e.ID] = true
		}
	}
	for _, c := range b.Items {
		if c.Status == bank.StatusOperational && c.Task == gone.Task && c.Domain == gone.Domain && !onForms[c.ID] {
			if p, _ := b.Stats.PerMille(c); abs(p-pGone) < abs(pNew-pGone) {
				t.Errorf("%s (p %d) is closer to the retired item's p %d than the replacement's %d", c.ID, p, pGone, pNew)
			}
		}
	}
	// Everything else stays in place, and the new version passes check,
	// sharing nothing with form B (max overlap 0).
	for j, e := range rep.Form.Items {
		if j != i && e != (bank.FormEntry{ID: form.Items[j].ID, Revision: form.Items[j].Revision, Role: form.Items[j].Role}) {
			t.Errorf("entry %d changed: %+v -> %+v", j+1, form.Items[j], e)
		}
	}
	other := scoredSet(b.Forms[1])
	if other[ch.New] {
		t.Errorf("replacement %s is on the other form", ch.New)
	}
	next := *rep.Form
	next.File = form.File
	if fs := check.Form(b, &next); len(fs) > 0 {
		t.Errorf("next version fails check: %v", fs)
	}
}

func TestReplaceRepinsRevisedItems(t *testing.T) {
	b := committed(t, []int{40, 50, 60, 20})
	form := b.Forms[0]
	i := firstScored(b, form, "cloud-technology")
	b.Item(form.Items[i].ID).Revision = 3
	rep, err := Replace(b, form.Form, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 1 || !rep.Changes[0].Repinned || rep.Changes[0].OldRevision != 1 || rep.Changes[0].NewRevision != 3 || rep.Changes[0].New != form.Items[i].ID {
		t.Fatalf("changes %+v", rep.Changes)
	}
	if rep.Form.Items[i].Revision != 3 || rep.Form.Items[i].ID != form.Items[i].ID {
		t.Errorf("entry %+v", rep.Form.Items[i])
	}
}

// A revised item that must go anyway (here: it became an enemy of an
// earlier entry) is one change, a replacement from the pinned revision,
// not a re-pin followed by a replacement of a revision the form never had.
func TestReplaceRevisedItemThatMustGo(t *testing.T) {
	b := committed(t, []int{40, 50, 60, 20})
	form := b.Forms[0]
	first, later := form.Items[0].ID, form.Items[4].ID
	b.Item(later).Revision = 2
	b.Item(later).Enemies = append(b.Item(later).Enemies, first)
	rep, err := Replace(b, form.Form, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 1 {
		t.Fatalf("changes %+v; want one", rep.Changes)
	}
	ch := rep.Changes[0]
	if ch.Position != 5 || ch.Repinned || ch.Old != later || ch.OldRevision != 1 || ch.New == later || !strings.Contains(ch.Reason, later+" is an enemy of "+first) {
		t.Errorf("change %+v", ch)
	}
	if rep.Form.Items[4].ID == later {
		t.Errorf("entry 5 kept %s", later)
	}
}

func TestReplaceUpToDate(t *testing.T) {
	b := committed(t, []int{40, 50, 60, 20})
	rep, err := Replace(b, b.Forms[1].Form, 0.2)
	if err != nil || rep.Form != nil || len(rep.Changes) != 0 {
		t.Fatalf("rep %+v err %v; want nothing to do", rep, err)
	}
}

func TestReplaceEnemiesAndStatusChanges(t *testing.T) {
	b := committed(t, []int{40, 50, 60, 20})
	form := b.Forms[0]
	// A new enemy link between two items on the form: the later one goes.
	a, c := form.Items[2].ID, form.Items[5].ID
	b.Item(a).Enemies = append(b.Item(a).Enemies, c)
	// A pretest item went back to review.
	var pre int
	for j, e := range form.Items {
		if e.Role == bank.RolePretest {
			pre = j
			break
		}
	}
	b.Item(form.Items[pre].ID).Status = bank.StatusReview
	rep, err := Replace(b, form.Form, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]Change{}
	for _, ch := range rep.Changes {
		got[ch.Position] = ch
	}
	if len(got) != 2 || !strings.Contains(got[6].Reason, c+" is an enemy of "+a) || !strings.Contains(got[pre+1].Reason, "is review") {
		t.Errorf("changes %+v", rep.Changes)
	}
	if b.Item(got[pre+1].New).Status != bank.StatusPretest || rep.Form.Items[pre].Role != bank.RolePretest {
		t.Errorf("pretest slot got %+v", rep.Form.Items[pre])
	}
	next := *rep.Form
	next.File = form.File
	if fs := check.Form(b, &next); len(fs) > 0 {
		t.Errorf("next version fails check: %v", fs)
	}
}

func TestReplaceInfeasible(t *testing.T) {
	// Two disjoint forms use 24 of billing's 12+... items: with exactly 12
	// billing items, both forms hold all of them; retiring one leaves no
	// replacement that keeps max overlap 0.
	b := committed(t, []int{40, 50, 60, 12})
	form := b.Forms[0]
	i := firstScored(b, form, "billing-pricing-support")
	b.Item(form.Items[i].ID).Status = bank.StatusRetired
	_, err := Replace(b, form.Form, 0)
	var ie *InfeasibleError
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "no operational item of domain billing-pricing-support can replace "+form.Items[i].ID) {
		t.Fatalf("err = %v", err)
	}
	// With overlap allowed, an item of form B may come in.
	rep, err := Replace(b, form.Form, 0.2)
	if err != nil || len(rep.Changes) != 1 || !scoredSet(b.Forms[1])[rep.Changes[0].New] {
		t.Fatalf("rep %+v err %v", rep, err)
	}
}

func TestReplaceUnknownForm(t *testing.T) {
	b := committed(t, []int{40, 50, 60, 20})
	if _, err := Replace(b, "NOPE", 0); err == nil || errors.As(err, new(*InfeasibleError)) {
		t.Errorf("err = %v", err)
	}
}
