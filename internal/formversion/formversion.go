// Package formversion implements rule form-version: a committed form whose
// entries (which items, in which order, at which pinned revisions, in which
// roles) differ from an earlier version of the same form without a version
// bump. Responses and statistics are keyed by form, version and position,
// so two different contents under one version mix what candidates saw.
//
// The earlier version is read from git, the way lint --since reads item
// files (package gitx: `git ls-tree` and one `git cat-file --batch`), or
// from the manifest of a release bundle that pinned the form.
package formversion

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/bundlediff"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/gitx"
	"github.com/qbank/qbank/internal/rules"
)

// maxForms bounds the bytes of form files read from git.
const maxForms = 64 << 20

// Entry is one slot of an earlier form version.
type Entry struct {
	ID       string
	Revision int
	Role     string
}

// Pinned is an earlier version of a form.
type Pinned struct {
	Form    string
	Version int
	Entries []Entry
}

// Compare returns a form-version finding (default severity error) for
// every form of b that differs from its earlier version in old while its
// version did not increase. source says where old comes from ("at HEAD",
// "in bundle dist/X-1.0.0") for the message. Forms that old lacks are new and
// fine.
func Compare(b *bank.Bank, old []Pinned, source string) []finding.Finding {
	byID := map[string]Pinned{}
	for _, p := range old {
		byID[p.Form] = p
	}
	var fs []finding.Finding
	for _, f := range b.Forms {
		was, ok := byID[f.Form]
		if !ok || f.Version > was.Version {
			continue
		}
		changes := diff(was.Entries, f.Items)
		if len(changes) == 0 {
			continue
		}
		what := fmt.Sprintf("its version is still %d", f.Version)
		if f.Version != was.Version {
			what = fmt.Sprintf("its version went from %d to %d", was.Version, f.Version)
		}
		msg := fmt.Sprintf("form %s differs from version %d %s (%s) but %s; responses are keyed by form, version and position, so set version: %d, or restore the entries of version %d",
			f.Form, was.Version, source, describe(changes), what, was.Version+1, was.Version)
		fs = append(fs, finding.Finding{File: f.File, Line: f.Pos.Version.Line, Column: f.Pos.Version.Column,
			Rule: rules.FormVersion.ID, Severity: rules.FormVersion.Severity, Message: msg})
	}
	finding.Sort(fs)
	return fs
}

// change is one position whose entry differs; a side is "" where the
// form has no entry at that position.
type change struct {
	pos      int
	was, now string
}

func diff(was []Entry, now []bank.FormEntry) []change {
	var cs []change
	for i := range max(len(was), len(now)) {
		var w, n string
		if i < len(was) {
			w = fmt.Sprintf("%s r%d %s", was[i].ID, was[i].Revision, was[i].Role)
		}
		if i < len(now) {
			n = fmt.Sprintf("%s r%d %s", now[i].ID, now[i].Revision, now[i].Role)
		}
		if w != n {
			cs = append(cs, change{i + 1, w, n})
		}
	}
	return cs
}

// describe lists the first three changes and counts the others.
func describe(cs []change) string {
	const shown = 3
	parts := make([]string, 0, shown+1)
	for _, c := range cs[:min(len(cs), shown)] {
		parts = append(parts, fmt.Sprintf("#%d %s -> %s", c.pos, orNone(c.was), orNone(c.now)))
	}
	if len(cs) > shown {
		parts = append(parts, fmt.Sprintf("and %d more", len(cs)-shown))
	}
	n := "1 position changed"
	if len(cs) != 1 {
		n = fmt.Sprintf("%d positions changed", len(cs))
	}
	return n + ": " + strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// AtRev reads the forms of the bank in b.Dir at git revision rev. The
// bank must be inside a git work tree; a rev that names no commit gives a
// *gitx.RevNotFoundError. Form files that do not load at rev are skipped.
func AtRev(ctx context.Context, b *bank.Bank, rev string) ([]Pinned, error) {
	repo, err := gitx.Open(ctx, b.Dir)
	if err != nil {
		return nil, err
	}
	commit, err := repo.Commit(ctx, rev)
	if err != nil {
		return nil, err
	}
	files, err := repo.ReadTree(ctx, commit, repo.Prefix+"forms", maxForms)
	if err != nil {
		return nil, err
	}
	var out []Pinned
	for name, data := range files {
		if strings.Contains(name, "/") || !strings.HasSuffix(name, ".yaml") {
			continue // the loader reads forms/*.yaml only
		}
		f, _ := bank.ParseForm(data, rev+":"+filepath.ToSlash(filepath.Join(repo.Prefix, "forms", name)))
		if f == nil {
			continue
		}
		p := Pinned{Form: f.Form, Version: f.Version}
		for _, e := range f.Items {
			p.Entries = append(p.Entries, Entry{ID: e.ID, Revision: e.Revision, Role: e.Role})
		}
		out = append(out, p)
	}
	return out, nil
}

// FromBundle returns the forms a release bundle pinned.
func FromBundle(label string, bu *bundle.Bundle) ([]Pinned, error) {
	s, err := bundlediff.FromBundle(label, bu)
	if err != nil {
		return nil, err
	}
	var out []Pinned
	for _, f := range s.Forms {
		p := Pinned{Form: f.ID, Version: f.Version}
		for _, it := range f.Items {
			p.Entries = append(p.Entries, Entry{ID: it.ID, Revision: it.Revision, Role: it.Role})
		}
		out = append(out, p)
	}
	return out, nil
}
