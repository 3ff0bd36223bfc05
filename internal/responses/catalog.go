// Package responses reads what a delivery site sends back: attempts as
// JSONL or long CSV (plain or gzip-compressed), matched to the forms of the
// release bundles they were delivered from, and the plain 0/1 matrix CSV
// that psychometric data sets come in. Reading is streamed: a file is never
// held in memory as text, every line is bounded, and every bad record is a
// finding `file:line: message` (rules.ResponseRecord), skipped and counted,
// while every good record is used. Analysis (qbank analyze) and scoring
// (qbank score) both read through this package.
package responses

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
)

// Catalog holds the forms of the bundles that responses may refer to,
// keyed by bundle version and form id.
type Catalog struct {
	forms   map[formKey]*Form
	bundles map[string]string // bundle version -> where it was read from
}

type formKey struct{ bundle, form string }

// Form is one delivered form of one bundle: its slots in delivery order.
type Form struct {
	// Bundle is the bundle version, Exam the exam id, Form the form id.
	Bundle, Exam, Form string
	// Slots are the positions of the form; Slots[i] is position i+1.
	Slots []Slot
	// Key and Manifest are the verified key file and manifest the form
	// was read from (nil for forms added with AddForm); scoring reads the
	// conversion table, the difficulties and the study references there.
	Key      *bundle.KeyForm
	Manifest *bundle.Manifest
	// Candidate is the form's candidate file (stems and options, as the
	// HTML item analysis shows them); nil for forms added with AddForm.
	Candidate *bundle.CandidateForm
}

// Slot is one position of a form: the item revision on it and its key.
type Slot struct {
	Position int
	ID       string
	Revision int
	// Role is bank.RoleScored or bank.RolePretest.
	Role string
	// Type is bank.TypeSingle or bank.TypeMultiple.
	Type   string
	Domain string
	Task   string
	// Letters is the number of options (A, B, ...).
	Letters int
	// Key is the bitmask of the correct letters, bit 0 = A.
	Key uint32
}

// Scored reports whether the slot counts toward the score.
func (s Slot) Scored() bool { return s.Role == bank.RoleScored }

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{forms: map[formKey]*Form{}, bundles: map[string]string{}}
}

// Open reads the bundles at paths (directories or .tar.gz archives) in
// order, verifies each (checksums, schemas, keys consistent with the
// manifest) and adds its forms. A bundle that fails verification, or a
// second bundle with the same version, is an error and stops the reading:
// responses are only matched to keys that can be trusted and are
// unambiguous.
func (c *Catalog) Open(ctx context.Context, paths ...string) error {
	for _, p := range paths {
		if err := c.open(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// open reads, verifies and adds one bundle.
func (c *Catalog) open(ctx context.Context, path string) error {
	b, err := bundle.Open(ctx, path, bundle.DefaultLimits)
	if err != nil {
		return fmt.Errorf("bundle %s: %w", path, err)
	}
	if rep := bundle.Verify(b, nil); !rep.OK() {
		p := rep.Problems[0]
		return fmt.Errorf("bundle %s does not verify (%d problems; first: %s: %s); run qbank verify", path, len(rep.Problems), p.File, p.Message)
	}
	return c.Add(b, path)
}

// Add adds the forms of a bundle already read (and verified) to the
// catalog; from names it in messages.
func (c *Catalog) Add(b *bundle.Bundle, from string) error {
	var m bundle.Manifest
	if err := json.Unmarshal(b.Files[bundle.ManifestFile], &m); err != nil {
		return fmt.Errorf("bundle %s: %s: %v", from, bundle.ManifestFile, err)
	}
	if prev, dup := c.bundles[m.Version]; dup {
		return fmt.Errorf("bundle version %s given twice (%s and %s)", m.Version, prev, from)
	}
	forms := make([]*Form, 0, len(m.Forms))
	for _, mf := range m.Forms {
		f, err := formOf(b, &m, mf)
		if err != nil {
			return fmt.Errorf("bundle %s: %v", from, err)
		}
		forms = append(forms, f)
	}
	c.bundles[m.Version] = from
	for _, f := range forms {
		c.forms[formKey{f.Bundle, f.Form}] = f
	}
	return nil
}

// formOf builds a form from its key file and candidate file.
func formOf(b *bundle.Bundle, m *bundle.Manifest, mf bundle.ManifestForm) (*Form, error) {
	var kf bundle.KeyForm
	if err := json.Unmarshal(b.Files[mf.KeyFile], &kf); err != nil {
		return nil, fmt.Errorf("%s: %v", mf.KeyFile, err)
	}
	var cf bundle.CandidateForm
	if err := json.Unmarshal(b.Files[mf.CandidateFile], &cf); err != nil {
		return nil, fmt.Errorf("%s: %v", mf.CandidateFile, err)
	}
	if len(cf.Items) != len(kf.Items) {
		return nil, fmt.Errorf("%s has %d items, %s %d", mf.CandidateFile, len(cf.Items), mf.KeyFile, len(kf.Items))
	}
	f := &Form{Bundle: m.Version, Exam: m.Exam, Form: mf.Form, Slots: make([]Slot, len(kf.Items)), Key: &kf, Manifest: m, Candidate: &cf}
	for i, ki := range kf.Items {
		if ki.Position != i+1 || cf.Items[i].Position != i+1 {
			return nil, fmt.Errorf("%s: item %d has position %d", mf.KeyFile, i+1, ki.Position)
		}
		s := Slot{Position: i + 1, ID: ki.ID, Revision: ki.Revision, Role: ki.Role,
			Type: cf.Items[i].Type, Domain: ki.Domain, Task: ki.Task, Letters: len(ki.Options)}
		if s.Letters > MaxLetters {
			return nil, fmt.Errorf("%s: item %s has %d options; at most %d are supported", mf.KeyFile, ki.ID, s.Letters, MaxLetters)
		}
		for _, k := range ki.Key {
			bit, ok := letterBit(k, s.Letters)
			if !ok {
				return nil, fmt.Errorf("%s: item %s has key %q outside its options", mf.KeyFile, ki.ID, k)
			}
			s.Key |= bit
		}
		f.Slots[i] = s
	}
	return f, nil
}

// MaxLetters is the most options an item may have (A..Z).
const MaxLetters = 26

// Form returns the form id of bundle version, or nil.
func (c *Catalog) Form(version, form string) *Form { return c.forms[formKey{version, form}] }

// HasBundle reports whether a bundle of that version was added.
func (c *Catalog) HasBundle(version string) bool { _, ok := c.bundles[version]; return ok }

// Forms returns every form, sorted by bundle version then form id.
func (c *Catalog) Forms() []*Form {
	fs := make([]*Form, 0, len(c.forms))
	for _, f := range c.forms {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Bundle != fs[j].Bundle {
			return fs[i].Bundle < fs[j].Bundle
		}
		return fs[i].Form < fs[j].Form
	})
	return fs
}

// letterBit returns the bit of letter s ("A" = bit 0) when s is one of the
// first n letters.
func letterBit(s string, n int) (uint32, bool) {
	if len(s) != 1 || s[0] < 'A' || int(s[0]-'A') >= n {
		return 0, false
	}
	return 1 << (s[0] - 'A'), true
}

// Letters renders a bitmask of letters as "A,C".
func Letters(mask uint32) string {
	out := make([]byte, 0, 8)
	for i := 0; i < MaxLetters; i++ {
		if mask&(1<<i) != 0 {
			if len(out) > 0 {
				out = append(out, ',')
			}
			out = append(out, byte('A'+i))
		}
	}
	return string(out)
}

// AddForm adds one form directly (tests, and callers that build forms
// without a bundle). A form already present under the same bundle version
// and form id is replaced.
func (c *Catalog) AddForm(f *Form) {
	if _, ok := c.bundles[f.Bundle]; !ok {
		c.bundles[f.Bundle] = "(built in)"
	}
	c.forms[formKey{f.Bundle, f.Form}] = f
}
