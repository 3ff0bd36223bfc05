package scale

import (
	"errors"
	"fmt"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
)

// ItemB is the Rasch difficulty of one scored item of a form.
type ItemB struct {
	ID       string
	Revision int
	Domain   string
	Task     string
	B        float64
	// Provisional is set when the item has no measured b for its current
	// revision in stats.yaml and B is the provisional value of its authored
	// difficulty (exam.yaml scale.provisional).
	Provisional bool
}

// FormB are the difficulties of a form's scored items, in delivery order.
type FormB struct {
	Form  string
	Items []ItemB
}

// Bs returns the difficulties in delivery order.
func (f FormB) Bs() []float64 {
	bs := make([]float64, len(f.Items))
	for i, it := range f.Items {
		bs[i] = it.B
	}
	return bs
}

// DomainBs returns the difficulties of the scored items of one domain.
func (f FormB) DomainBs(domain string) []float64 {
	var bs []float64
	for _, it := range f.Items {
		if it.Domain == domain {
			bs = append(bs, it.B)
		}
	}
	return bs
}

// Provisional returns the ids of the items whose b is provisional, in
// delivery order; the form's scale is provisional when there is any.
func (f FormB) Provisional() []string {
	var ids []string
	for _, it := range f.Items {
		if it.Provisional {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// ItemDifficulty returns the Rasch b of an item: its measured b for its
// current revision (bank.Stats.RaschB), else the provisional b of its
// authored difficulty; provisional says which.
func ItemDifficulty(st bank.Stats, p blueprint.ProvisionalB, it *bank.Item) (b float64, provisional bool) {
	if b, ok := st.RaschB(it); ok {
		return b, false
	}
	return p.B(it.Difficulty), true
}

// ScoredB returns the difficulties of form f's scored items from bank b.
// It fails when a scored item is not in the bank.
func ScoredB(b *bank.Bank, f *bank.Form) (FormB, error) {
	fb := FormB{Form: f.Form}
	for _, e := range f.Items {
		if e.Role != bank.RoleScored {
			continue
		}
		it := b.Item(e.ID)
		if it == nil {
			return FormB{}, fmt.Errorf("%s: scored item %s is not in the bank (or its file is broken)", f.Form, e.ID)
		}
		v, prov := ItemDifficulty(b.Stats, b.Exam.Scale.Provisional, it)
		fb.Items = append(fb.Items, ItemB{ID: it.ID, Revision: it.Revision, Domain: it.Domain, Task: it.Task, B: v, Provisional: prov})
	}
	if len(fb.Items) == 0 {
		return FormB{}, fmt.Errorf("%s has no scored items", f.Form)
	}
	return fb, nil
}

// ErrNoCut means exam.yaml sets no passing standard (scale.cut), so no
// score can be scaled.
var ErrNoCut = errors.New("exam.yaml sets no passing standard (scale.cut); set one with qbank standard")

// ThetaCut resolves exam.yaml's cut on bank b: cut.theta as it stands, or
// theta(raw) on the reference form's scored items for {form, raw}. It
// fails with ErrNoCut when there is no cut.
func ThetaCut(b *bank.Bank) (float64, error) {
	c := b.Exam.Scale.Cut
	if c == nil {
		return 0, ErrNoCut
	}
	if c.Theta != nil {
		return *c.Theta, nil
	}
	f := b.Form(c.Form)
	if f == nil {
		return 0, fmt.Errorf("scale.cut names form %s, which is not in %s/forms", c.Form, b.Dir)
	}
	fb, err := ScoredB(b, f)
	if err != nil {
		return 0, err
	}
	raw := 0
	if c.Raw != nil {
		raw = *c.Raw
	}
	if raw < 0 || raw > len(fb.Items) {
		return 0, fmt.Errorf("scale.cut raw %d is outside 0..%d, the scored items of %s", raw, len(fb.Items), c.Form)
	}
	return ThetaOfCut(fb.Bs(), raw)
}

// ForBank returns the scale of bank b with its cut resolved.
func ForBank(b *bank.Bank) (Scale, error) {
	theta, err := ThetaCut(b)
	if err != nil {
		return Scale{}, err
	}
	return New(b.Exam.Scale, theta), nil
}
