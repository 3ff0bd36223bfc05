// Package bundlediff compares two releases of a bank's forms, each read
// from a release bundle or from a bank (a directory or a git revision),
// and reports what changed as a release note: forms added and removed and,
// per form, items added, removed, moved, with a changed role, and revised,
// with a word-level diff of the stem, options, key and explanation of every
// revised item (package textdiff: go-diff with semantic cleanup).
//
// An item counts as moved when its order relative to the other items that
// stayed on the form changed, not merely because items were added or
// removed before it: the items kept in place are a longest common
// subsequence of the two orders (of several, the one with the most items
// at their old position), and the rest are moved.
package bundlediff

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
)

// Snapshot is one side of a comparison: forms with the content of the
// items on them.
type Snapshot struct {
	// Label names the source for people (a path or REV:path).
	Label string
	// Exam is the exam code; Version the bundle version ("" for a bank).
	Exam    string
	Version string
	// Forms are sorted by id.
	Forms []Form
}

// Form is one form of a snapshot.
type Form struct {
	ID      string
	Version int
	Spec    string
	Items   []Item
}

// Item is one slot of a form, in delivery order.
type Item struct {
	ID       string
	Revision int
	Role     string
	Domain   string
	// Content is nil when it is unknown: a bank's form pinning a revision
	// the bank no longer has.
	Content *Content
	// HaveRevision is the revision the bank has when Content is nil.
	HaveRevision int
}

// Content is what a candidate sees of an item, and its key.
type Content struct {
	Stem        string
	Options     []string
	Key         []string
	Explanation string
}

// FromBundle reads a snapshot from a release bundle.
func FromBundle(label string, b *bundle.Bundle) (*Snapshot, error) {
	var m bundle.Manifest
	if err := decode(b, bundle.ManifestFile, &m); err != nil {
		return nil, err
	}
	s := &Snapshot{Label: label, Exam: m.Exam, Version: m.Version}
	for _, mf := range m.Forms {
		var cf bundle.CandidateForm
		if err := decode(b, mf.CandidateFile, &cf); err != nil {
			return nil, err
		}
		var kf bundle.KeyForm
		if err := decode(b, mf.KeyFile, &kf); err != nil {
			return nil, err
		}
		if len(cf.Items) != len(mf.Items) || len(kf.Items) != len(mf.Items) {
			return nil, fmt.Errorf("%s: form %s has %d items in the manifest, %d in %s and %d in %s; run qbank verify", label, mf.Form, len(mf.Items), len(cf.Items), mf.CandidateFile, len(kf.Items), mf.KeyFile)
		}
		f := Form{ID: mf.Form, Version: mf.Version, Spec: mf.Spec}
		for i, mi := range mf.Items {
			ci, ki := cf.Items[i], kf.Items[i]
			c := &Content{Stem: ci.Stem, Key: ki.Key, Explanation: ki.Explanation}
			for _, o := range ci.Options {
				c.Options = append(c.Options, o.Text)
			}
			f.Items = append(f.Items, Item{ID: mi.ID, Revision: mi.Revision, Role: mi.Role, Domain: ci.Domain, Content: c})
		}
		s.Forms = append(s.Forms, f)
	}
	sort.Slice(s.Forms, func(i, j int) bool { return s.Forms[i].ID < s.Forms[j].ID })
	return s, nil
}

func decode(b *bundle.Bundle, path string, v any) error {
	data, ok := b.Files[path]
	if !ok {
		return fmt.Errorf("%s: %s is missing; run qbank verify", b.Name, path)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %s: %v; run qbank verify", b.Name, path, err)
	}
	return nil
}

// FromBank reads a snapshot from a loaded bank: its forms, with the
// content of every item whose pinned revision is the bank's.
func FromBank(label string, b *bank.Bank) *Snapshot {
	s := &Snapshot{Label: label, Exam: b.Exam.Exam}
	for _, bf := range b.Forms {
		f := Form{ID: bf.Form, Version: bf.Version, Spec: bf.Spec}
		for _, e := range bf.Items {
			it := Item{ID: e.ID, Revision: e.Revision, Role: e.Role}
			if bi := b.Item(e.ID); bi != nil {
				it.Domain = bi.Domain
				if bi.Revision == e.Revision {
					it.Content = contentOf(bi)
				} else {
					it.HaveRevision = bi.Revision
				}
			}
			f.Items = append(f.Items, it)
		}
		s.Forms = append(s.Forms, f)
	}
	sort.Slice(s.Forms, func(i, j int) bool { return s.Forms[i].ID < s.Forms[j].ID })
	return s
}

func contentOf(it *bank.Item) *Content {
	c := &Content{Stem: it.Stem, Explanation: it.Explanation}
	for i, o := range it.Options {
		c.Options = append(c.Options, o.Text)
		if o.Correct {
			c.Key = append(c.Key, bank.Letter(i))
		}
	}
	return c
}
