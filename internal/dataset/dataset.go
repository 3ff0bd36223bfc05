// Package dataset builds the input of item analysis (analysis.Dataset)
// from what package responses reads: attempts matched to bundle forms, or a
// plain 0/1 matrix. Items are item revisions ("ID@rev") pooled over every
// form they were on; forms and items are sorted, so the order of the
// records does not change the dataset's layout.
package dataset

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/responses"
)

// Builder collects attempts into a Dataset. Its Add method is the emit
// function of a responses.Reader.
type Builder struct {
	items    map[string]int // "ID@rev" -> index into itemList
	itemList []analysis.Item
	where    []string // where each item was first seen ("bundle 1.0.0 form F")
	forms    map[*responses.Form]int
	formList []*responses.Form
	attempts []analysis.Attempt
	all      bool // every attempt simulated so far
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{items: map[string]int{}, forms: map[*responses.Form]int{}, all: true}
}

// Key is the key of an item revision: "ID@rev".
func Key(id string, rev int) string { return fmt.Sprintf("%s@%d", id, rev) }

// Add adds one attempt. It fails when an item revision appears with a
// different key or option count on two forms (the bundles disagree about
// the same revision, so the data cannot be pooled).
func (b *Builder) Add(a *responses.Attempt) error {
	fi, ok := b.forms[a.Form]
	if !ok {
		if err := b.addForm(a.Form); err != nil {
			return err
		}
		fi = b.forms[a.Form]
	}
	rs := make([]analysis.Response, len(a.Chosen))
	for i, c := range a.Chosen {
		rs[i] = analysis.Response{Presented: true, Chosen: c, Correct: a.Correct(i)}
	}
	b.attempts = append(b.attempts, analysis.Attempt{ID: a.ID, Candidate: a.Candidate, Form: fi, Responses: rs})
	b.all = b.all && a.Simulated
	return nil
}

func (b *Builder) addForm(f *responses.Form) error {
	for _, s := range f.Slots {
		k := Key(s.ID, s.Revision)
		it := analysis.Item{ID: s.ID, Revision: s.Revision, Type: s.Type, Letters: s.Letters, Key: s.Key}
		if j, seen := b.items[k]; seen {
			if old := b.itemList[j]; old != it {
				return fmt.Errorf("item %s revision %d differs between %s (key %s, %d options) and bundle %s form %s (key %s, %d options); a revision must not change",
					s.ID, s.Revision, b.where[j], responses.Letters(old.Key), old.Letters, f.Bundle, f.Form, responses.Letters(it.Key), it.Letters)
			}
			continue
		}
		b.items[k] = len(b.itemList)
		b.itemList = append(b.itemList, it)
		b.where = append(b.where, fmt.Sprintf("bundle %s form %s", f.Bundle, f.Form))
	}
	b.forms[f] = len(b.formList)
	b.formList = append(b.formList, f)
	return nil
}

// Dataset returns the dataset of the attempts added: items sorted by id
// and revision, forms by bundle and form id.
func (b *Builder) Dataset() *analysis.Dataset {
	itemOrder := sortedOrder(len(b.itemList), func(x, y int) bool {
		p, q := b.itemList[x], b.itemList[y]
		if p.ID != q.ID {
			return p.ID < q.ID
		}
		return p.Revision < q.Revision
	})
	newItem := make([]int, len(b.itemList))
	d := &analysis.Dataset{Simulated: b.all && len(b.attempts) > 0}
	for ni, oi := range itemOrder {
		newItem[oi] = ni
		d.Items = append(d.Items, b.itemList[oi])
	}
	formOrder := sortedOrder(len(b.formList), func(x, y int) bool {
		p, q := b.formList[x], b.formList[y]
		if p.Bundle != q.Bundle {
			return p.Bundle < q.Bundle
		}
		return p.Form < q.Form
	})
	newForm := make([]int, len(b.formList))
	for nf, of := range formOrder {
		newForm[of] = nf
		f := b.formList[of]
		af := analysis.Form{Form: f.Form, Bundle: f.Bundle, Slots: make([]analysis.Slot, len(f.Slots))}
		for j, s := range f.Slots {
			af.Slots[j] = analysis.Slot{Item: newItem[b.items[Key(s.ID, s.Revision)]], Role: s.Role}
		}
		d.Forms = append(d.Forms, af)
	}
	d.Attempts = b.attempts
	for i := range d.Attempts {
		d.Attempts[i].Form = newForm[d.Attempts[i].Form]
	}
	return d
}

// FromMatrix builds the dataset of a 0/1 matrix: one form named after the
// file, every item scored, revision 1, no options.
func FromMatrix(m *responses.Matrix) *analysis.Dataset {
	name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(m.File), ".gz"), ".csv")
	d := &analysis.Dataset{Matrix: true}
	f := analysis.Form{Form: name}
	for i, id := range m.Items {
		d.Items = append(d.Items, analysis.Item{ID: id, Revision: 1})
		f.Slots = append(f.Slots, analysis.Slot{Item: i, Role: analysis.RoleScored})
	}
	d.Forms = []analysis.Form{f}
	d.Attempts = make([]analysis.Attempt, len(m.Rows))
	for r, row := range m.Rows {
		rs := make([]analysis.Response, len(row))
		for i, c := range row {
			rs[i] = analysis.Response{Presented: c != responses.NA, Correct: c == responses.Right}
		}
		d.Attempts[r] = analysis.Attempt{ID: m.Labels[r], Candidate: m.Labels[r], Responses: rs}
	}
	return d
}

// Anchors returns the Rasch difficulties that hold the scale: every bank
// item whose stats.yaml rasch.b was measured on its current revision, as
// "ID@rev" -> b (analysis.Options.Anchors).
func Anchors(bk *bank.Bank) map[string]float64 {
	out := map[string]float64{}
	for _, it := range bk.Items {
		if b, ok := bk.Stats.RaschB(it); ok {
			out[Key(it.ID, it.Revision)] = b
		}
	}
	return out
}

// sortedOrder returns the indexes 0..n-1 ordered by less, which compares
// two indexes.
func sortedOrder(n int, less func(x, y int) bool) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool { return less(order[x], order[y]) })
	return order
}
