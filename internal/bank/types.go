// Package bank loads a question bank: the blueprint (exam.yaml), every item
// file under items/, the forms under forms/ and the measured statistics in
// stats.yaml. It is the one loader every qbank command uses. Files are read
// concurrently, each parsed into a yaml.Node so problems keep their line and
// column, validated against the embedded schemas, and decoded into the typed
// structs below. A broken file becomes findings; the others are still read.
package bank

import (
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/finding"
)

// Item statuses, in lifecycle order.
const (
	StatusDraft       = "draft"
	StatusReview      = "review"
	StatusPretest     = "pretest"
	StatusOperational = "operational"
	StatusRetired     = "retired"
)

// Item types.
const (
	TypeSingle   = "single"
	TypeMultiple = "multiple"
)

// Form roles.
const (
	RoleScored  = "scored"
	RolePretest = "pretest"
)

// Bank is a loaded question bank.
type Bank struct {
	// Dir is the bank directory as given on the command line.
	Dir  string
	Exam *blueprint.Exam
	// Items are the schema-valid items, sorted by id.
	Items []*Item
	// Broken are items whose file failed the schema but whose id could be
	// read; cross-item checks (duplicate ids, enemies) still see them.
	Broken []*Item
	// Forms are the schema-valid forms, sorted by form id.
	Forms []*Form
	// Stats are the measured item statistics (empty when there is no
	// stats.yaml).
	Stats Stats
	// Files counts the item files read.
	Files int
}

// Item is one question.
type Item struct {
	ID          string
	Revision    int
	Status      string
	Domain      string
	Task        string
	Type        string
	Difficulty  string
	Stem        string
	Options     []Option
	Explanation string
	References  []string
	Tags        []string
	Enemies     []string
	Author      string

	// File is the path as reached from the bank directory argument.
	File string
	// Pos holds the positions that checks across items report at.
	Pos ItemPos
}

// ItemPos keeps the positions of the item's nodes that checks across items
// need once the YAML tree has been dropped.
type ItemPos struct {
	Root     finding.Pos
	ID       finding.Pos
	Revision finding.Pos
	Stem     finding.Pos
	Enemies  []finding.Pos
}

// Option is an answer option.
type Option struct {
	Text    string
	Correct bool
	Why     string
}

// Keys returns the indexes of the correct options.
func (it *Item) Keys() []int {
	var keys []int
	for i, o := range it.Options {
		if o.Correct {
			keys = append(keys, i)
		}
	}
	return keys
}

// Letter returns the option letter for index i: A, B, C, ...
func Letter(i int) string {
	if i < 0 || i >= 26 {
		return "?"
	}
	return string(rune('A' + i))
}

// KeyLetters returns the letters of the correct options, such as "AC".
func (it *Item) KeyLetters() string {
	s := ""
	for _, k := range it.Keys() {
		s += Letter(k)
	}
	return s
}

// Form is an assembled exam form.
type Form struct {
	Form    string
	Version int
	Exam    string
	Spec    string
	Seed    int64
	HasSeed bool
	Items   []FormEntry

	// File is the path as reached from the bank directory argument.
	File string
	// Pos holds positions of the form's top-level fields.
	Pos FormPos
}

// FormPos keeps positions in a form file.
type FormPos struct {
	Root    finding.Pos
	Form    finding.Pos
	Version finding.Pos
	Exam    finding.Pos
	Spec    finding.Pos
	Items   finding.Pos
}

// FormEntry is one item slot on a form, in delivery order.
type FormEntry struct {
	ID       string
	Revision int
	Role     string
	// Pos is the position of the entry's mapping; IDPos, RevisionPos and
	// RolePos of its id, revision and role values.
	Pos         finding.Pos
	IDPos       finding.Pos
	RevisionPos finding.Pos
	RolePos     finding.Pos
}

// Stats are measured item statistics, by item id (stats.yaml).
type Stats struct {
	File string
	// Calibration describes the Rasch calibration that wrote the file; nil
	// when the file has no calibration block.
	Calibration *Calibration
	Items       map[string]ItemStats
}

// Calibration is stats.yaml's calibration block.
type Calibration struct {
	Model     string
	Method    string
	Anchored  int
	Attempts  int
	Computed  string
	Simulated bool
}

// ItemStats are the statistics of one item revision.
type ItemStats struct {
	Revision      int
	Responses     int
	PValue        float64
	PointBiserial float64
	HasBiserial   bool
	// Omitted is the share of responses that omitted the item.
	Omitted float64
	// Options is the share of responses choosing each option letter.
	Options map[string]float64
	// Rasch is the item's calibration; nil when it was not calibrated.
	Rasch *RaschStats
	// Flags are the analysis flags raised for this revision.
	Flags []string
	// Simulated marks statistics measured on simulated responses.
	Simulated bool
	Pos       finding.Pos
}

// RaschStats is an item's Rasch difficulty with its standard error and fit.
type RaschStats struct {
	B, SE         float64
	Infit, Outfit float64
	HasFit        bool
	Anchored      bool
}

// RaschB returns the measured Rasch difficulty of it: the b in stats.yaml
// when it was measured on the item's current revision. ok is false when
// there is none, and the caller falls back to the provisional b of the
// authored difficulty (blueprint.ProvisionalB).
func (s Stats) RaschB(it *Item) (b float64, ok bool) {
	st, found := s.Items[it.ID]
	if !found || st.Revision != it.Revision || st.Rasch == nil {
		return 0, false
	}
	return st.Rasch.B, true
}

// Item returns the item with the given id, or nil. Items are sorted by id.
func (b *Bank) Item(id string) *Item {
	lo, hi := 0, len(b.Items)
	for lo < hi {
		m := (lo + hi) / 2
		if b.Items[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(b.Items) && b.Items[lo].ID == id {
		return b.Items[lo]
	}
	return nil
}

// Form returns the form with the given id, or nil.
func (b *Bank) Form(id string) *Form {
	for _, f := range b.Forms {
		if f.Form == id {
			return f
		}
	}
	return nil
}
