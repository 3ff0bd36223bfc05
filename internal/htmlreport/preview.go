package htmlreport

import (
	"fmt"
	"html/template"
	"io"

	"github.com/qbank/qbank/internal/bank"
)

// PreviewInput is what qbank preview shows: sections (a form, or the
// items asked for) of items as candidates see them.
type PreviewInput struct {
	// Exam is the exam's title.
	Exam     string
	Sections []PreviewSection
	// Key adds the reviewer's view: keys, each option's why, the
	// explanation and the references.
	Key bool
}

// PreviewSection is a form or a list of items.
type PreviewSection struct {
	// Heading names the section (a form id and its title, or "Items").
	Heading string
	Items   []PreviewItem
}

// PreviewItem is one item of a section.
type PreviewItem struct {
	Item *bank.Item
	// Position is the position on the form (0 outside a form).
	Position int
	// Role and Revision are the form's entry (empty and 0 outside a
	// form); a revision other than the item's is shown with --key.
	Role     string
	Revision int
}

type previewView struct {
	Exam     string
	Key      bool
	Sections []previewSection
}

type previewSection struct {
	Heading string
	Items   []previewItem
}

type previewItem struct {
	Number      int
	Position    int
	It          *bank.Item
	Role        string
	OldRevision int
	Stem        template.HTML
	Options     []previewOption
	Keys        string
	Explanation template.HTML
	References  []reference
	Break       bool
}

type previewOption struct {
	Letter string
	Text   template.HTML
	Key    bool
	Why    template.HTML
}

// WritePreview writes the preview page.
func WritePreview(w io.Writer, in PreviewInput) error {
	md := NewMarkdown()
	v := previewView{Exam: in.Exam, Key: in.Key}
	n := 0
	for _, s := range in.Sections {
		ps := previewSection{Heading: s.Heading}
		for _, pi := range s.Items {
			n++
			ps.Items = append(ps.Items, previewItemOf(md, pi, n))
		}
		v.Sections = append(v.Sections, ps)
	}
	title := "Item preview"
	if in.Key {
		title += " with keys"
	}
	if in.Exam != "" {
		title = in.Exam + ": " + title
	}
	return execute(w, "preview", title, fmt.Sprintf("from the bank (%d items)", n), v, nil)
}

func previewItemOf(md *Markdown, pi PreviewItem, n int) previewItem {
	it := pi.Item
	v := previewItem{Number: n, Position: pi.Position, It: it, Role: pi.Role, Stem: md.Render(it.Stem),
		Explanation: md.Render(it.Explanation), Keys: it.KeyLetters(), Break: n > 1}
	if v.Position == 0 {
		v.Position = n
	}
	if pi.Revision != 0 && pi.Revision != it.Revision {
		v.OldRevision = pi.Revision
	}
	for i, o := range it.Options {
		v.Options = append(v.Options, previewOption{Letter: bank.Letter(i), Text: md.Render(o.Text), Key: o.Correct, Why: md.Render(o.Why)})
	}
	for _, r := range it.References {
		v.References = append(v.References, referenceOf(r))
	}
	return v
}
