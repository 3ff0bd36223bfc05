package bundlediff

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// WriteJSON writes the result as indented JSON.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r.normalized())
}

// normalized returns r with empty lists as [] rather than null, so JSON
// consumers can iterate without checks.
func (r *Result) normalized() *Result {
	c := *r
	c.Added, c.Removed, c.Unchanged = nonNil(c.Added), nonNil(c.Removed), nonNil(c.Unchanged)
	c.Changed = nonNil(c.Changed)
	for i := range c.Changed {
		f := &c.Changed[i]
		f.Added, f.Removed, f.Moved = nonNil(f.Added), nonNil(f.Removed), nonNil(f.Moved)
		f.RoleChanged, f.Revised, f.Unbumped = nonNil(f.RoleChanged), nonNil(f.Revised), nonNil(f.Unbumped)
	}
	return &c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// WriteText writes the result as a Markdown release note: a heading, a
// one-line summary, forms added and removed, a section per changed form
// and the unchanged forms.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# " + r.title() + "\n\n")
	fmt.Fprintf(&b, "Compared %s with %s.\n\n", describe(r.Old), describe(r.New))
	if r.Old.Exam != r.New.Exam {
		fmt.Fprintf(&b, "**Note:** the exams differ (%s and %s).\n\n", r.Old.Exam, r.New.Exam)
	}
	if r.Empty() {
		b.WriteString("No changes: the same forms with the same items, in the same order, at the same revisions.\n")
		if len(r.Unchanged) > 0 {
			writeUnchanged(&b, r.Unchanged)
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{len(r.Added), "added"}, {len(r.Removed), "removed"}, {len(r.Changed), "changed"}, {len(r.Unchanged), "unchanged"}} {
		if p.n > 0 {
			parts = append(parts, count(p.n, "form")+" "+p.word)
		}
	}
	b.WriteString(capitalize(strings.Join(parts, ", ")) + ".\n")
	if len(r.Added) > 0 {
		b.WriteString("\n## Forms added\n\n")
		for _, f := range r.Added {
			fmt.Fprintf(&b, "- **%s** version %d (%s, %s)\n", f.Form, f.Version, f.Spec, count(f.Items, "item"))
		}
	}
	if len(r.Removed) > 0 {
		b.WriteString("\n## Forms removed\n\n")
		for _, f := range r.Removed {
			fmt.Fprintf(&b, "- **%s** version %d (%s, %s)\n", f.Form, f.Version, f.Spec, count(f.Items, "item"))
		}
	}
	for _, f := range r.Changed {
		writeForm(&b, f)
	}
	if len(r.Unchanged) > 0 {
		writeUnchanged(&b, r.Unchanged)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeUnchanged(b *strings.Builder, fs []FormSummary) {
	b.WriteString("\n## Unchanged\n\n")
	for _, f := range fs {
		fmt.Fprintf(b, "- **%s** version %d\n", f.Form, f.Version)
	}
}

func (r *Result) title() string {
	if r.Old.Version != "" && r.New.Version != "" && r.Old.Exam == r.New.Exam {
		return fmt.Sprintf("%s %s → %s", r.New.Exam, r.Old.Version, r.New.Version)
	}
	return fmt.Sprintf("%s forms: %s → %s", r.New.Exam, label(r.Old), label(r.New))
}

func label(s Side) string {
	if s.Version != "" {
		return s.Version
	}
	return s.Label
}

func describe(s Side) string {
	if s.Version != "" {
		return fmt.Sprintf("`%s` (bundle %s)", s.Label, s.Version)
	}
	return fmt.Sprintf("`%s` (bank)", s.Label)
}

func writeForm(b *strings.Builder, f FormChange) {
	if f.OldVersion == f.NewVersion {
		fmt.Fprintf(b, "\n## %s (version %d)\n\n", f.Form, f.NewVersion)
	} else {
		fmt.Fprintf(b, "\n## %s: version %d → %d\n\n", f.Form, f.OldVersion, f.NewVersion)
	}
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{len(f.Added), "added"}, {len(f.Removed), "removed"}, {len(f.Moved), "moved"}, {len(f.RoleChanged), "with a new role"}, {len(f.Revised), "revised"}, {len(f.Unbumped), "changed without a revision bump"}} {
		if p.n > 0 {
			parts = append(parts, count(p.n, "item")+" "+p.word)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no item changed")
	}
	b.WriteString(capitalize(strings.Join(parts, ", ")) + ".\n")
	if f.VersionNotBumped {
		fmt.Fprintf(b, "\n**Warning:** the items changed but the form version did not (still %d); a changed form needs a new version.\n", f.NewVersion)
	}
	if len(f.Added) > 0 {
		b.WriteString("\n### Added\n\n")
		for _, it := range f.Added {
			fmt.Fprintf(b, "- **%s** revision %d, %s%s, at position %d\n", it.ID, it.Revision, it.Role, domain(it.Domain), it.Position)
		}
	}
	if len(f.Removed) > 0 {
		b.WriteString("\n### Removed\n\n")
		for _, it := range f.Removed {
			fmt.Fprintf(b, "- **%s** revision %d, %s%s, was at position %d\n", it.ID, it.Revision, it.Role, domain(it.Domain), it.Position)
		}
	}
	if len(f.Moved) > 0 {
		b.WriteString("\n### Moved\n\n")
		for _, m := range f.Moved {
			fmt.Fprintf(b, "- **%s** position %d → %d\n", m.ID, m.From, m.To)
		}
	}
	if len(f.RoleChanged) > 0 {
		b.WriteString("\n### Role changed\n\n")
		for _, rc := range f.RoleChanged {
			fmt.Fprintf(b, "- **%s** %s → %s\n", rc.ID, rc.From, rc.To)
		}
	}
	if len(f.Revised) > 0 {
		b.WriteString("\n### Revised\n\n")
		for _, rv := range f.Revised {
			fmt.Fprintf(b, "- **%s** revision %d → %d\n", rv.ID, rv.OldRevision, rv.NewRevision)
			writeChanges(b, rv)
		}
	}
	if len(f.Unbumped) > 0 {
		b.WriteString("\n### Changed without a revision bump\n\n")
		b.WriteString("These items changed what candidates see while keeping their revision, so statistics of the old text are mixed with the new; bump their revisions.\n\n")
		for _, rv := range f.Unbumped {
			fmt.Fprintf(b, "- **%s** revision %d\n", rv.ID, rv.NewRevision)
			writeChanges(b, rv)
		}
	}
}

func writeChanges(b *strings.Builder, rv Revision) {
	if rv.Unknown != "" {
		fmt.Fprintf(b, "  - Content not compared: %s.\n", rv.Unknown)
		return
	}
	if len(rv.Changes) == 0 {
		b.WriteString("  - No change to the stem, options, key or explanation (rationales or references changed).\n")
		return
	}
	for _, c := range rv.Changes {
		name := capitalize(c.Field)
		switch {
		case c.Field == "key":
			fmt.Fprintf(b, "  - Key: %s → %s\n", c.Old, c.New)
		case c.Kind == "added":
			fmt.Fprintf(b, "  - %s added: {+%s+}\n", name, oneLine(c.New))
		case c.Kind == "removed":
			fmt.Fprintf(b, "  - %s removed: [-%s-]\n", name, oneLine(c.Old))
		default:
			fmt.Fprintf(b, "  - %s: %s\n", name, oneLine(inline(c.Diff)))
		}
	}
}

// inline renders a word diff as git diff --word-diff=plain does:
// [-deleted-] and {+inserted+}.
func inline(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		switch s.Op {
		case "insert":
			b.WriteString("{+" + s.Text + "+}")
		case "delete":
			b.WriteString("[-" + s.Text + "-]")
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

var lineBreaks = regexp.MustCompile(`[ \t]*\r?\n[ \t\r\n]*`)

// oneLine folds line breaks into spaces so a text fits a Markdown bullet
// (Markdown reads a single line break in a paragraph as a space anyway).
func oneLine(s string) string { return lineBreaks.ReplaceAllString(strings.TrimSpace(s), " ") }

func domain(d string) string {
	if d == "" {
		return ""
	}
	return ", " + d
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
