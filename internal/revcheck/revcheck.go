// Package revcheck implements the revision-bump rule of qbank lint --since
// REV (lint.Options.Since): it flags every
// operational item whose candidate-visible content (the stem, the option
// texts in their order, and which options are correct) differs from its
// version at git revision REV while its revision did not increase (rule
// revision-bump). An item's statistics were measured on the text that
// candidates saw, and forms pin revisions; an edit that keeps the revision
// would silently mix the two.
//
// The old versions are read from git: `git ls-tree` lists the bank's item
// files at REV and one `git cat-file --batch` reads them (the blobs
// `git show REV:path` prints), so a bank of thousands of items costs two
// processes. An item is matched to its old file by file name (the id), so
// an item that moved to another domain folder is still compared. Items
// that are new since REV are fine. Trailing white space at the end of a
// text is ignored; everything else counts.
package revcheck

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/gitx"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/textdiff"
	"gopkg.in/yaml.v3"
)

// maxTree bounds the bytes of item files read from git.
const maxTree = 512 << 20

// Since compares the operational items of b with their versions at rev
// and returns a revision-bump finding (default severity error) for each
// one that changed without a revision bump. b.Dir must be inside a git
// work tree; a rev that names no commit gives a *gitx.RevNotFoundError.
func Since(ctx context.Context, b *bank.Bank, rev string) ([]finding.Finding, error) {
	repo, err := gitx.Open(ctx, b.Dir)
	if err != nil {
		return nil, fmt.Errorf("lint --since needs the bank in a git work tree: %w", err)
	}
	commit, err := repo.Commit(ctx, rev)
	if err != nil {
		return nil, err
	}
	itemsDir := repo.Prefix + "items"
	old, err := repo.ReadTree(ctx, commit, itemsDir, maxTree)
	if err != nil {
		return nil, err
	}
	// Old files by item id (file name); on a clash prefer the same path.
	byID := map[string][]string{}
	for p := range old {
		if id, ok := strings.CutSuffix(pathBase(p), ".yaml"); ok {
			byID[id] = append(byID[id], p)
		}
	}
	var fs []finding.Finding
	for _, it := range b.Items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if it.Status != bank.StatusOperational {
			continue
		}
		rel, err := filepath.Rel(b.Dir, it.File)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		inItems := strings.TrimPrefix(rel, "items/")
		candidates := byID[it.ID]
		if len(candidates) == 0 {
			continue // new since rev
		}
		sort.Strings(candidates)
		oldPath := candidates[0]
		for _, c := range candidates {
			if c == inItems {
				oldPath = c
			}
		}
		was, ok := parseOld(old[oldPath])
		if !ok {
			continue // the old file is broken: nothing to compare with
		}
		before, after := render(was.Stem, was.Options), renderItem(it)
		if before == after || it.Revision > was.Revision {
			continue
		}
		diff := textdiff.Unified(rev+":"+repo.Prefix+"items/"+oldPath, it.File, before, after, 3)
		msg := fmt.Sprintf("what candidates see changed since %s but revision is still %d", rev, it.Revision)
		if it.Revision != was.Revision {
			msg = fmt.Sprintf("what candidates see changed since %s but revision went from %d to %d", rev, was.Revision, it.Revision)
		}
		msg += fmt.Sprintf("; set revision: %d (statistics measured on the old text no longer hold, and forms pin revisions):\n%s", was.Revision+1, strings.TrimRight(diff, "\n"))
		fs = append(fs, finding.Finding{File: it.File, Line: it.Pos.Revision.Line, Column: it.Pos.Revision.Column,
			Rule: rules.RevisionBump.ID, Severity: finding.Error, Item: it.ID, Message: msg})
	}
	finding.Sort(fs)
	return fs, nil
}

// oldItem is what the check needs of an item file at rev. It is decoded
// leniently: the old file only has to be YAML with these fields.
type oldItem struct {
	Revision int    `yaml:"revision"`
	Stem     string `yaml:"stem"`
	Options  []struct {
		Text    string `yaml:"text"`
		Correct bool   `yaml:"correct"`
	} `yaml:"options"`
}

func parseOld(data []byte) (*was, bool) {
	var o oldItem
	if err := yaml.Unmarshal(data, &o); err != nil || o.Revision < 1 {
		return nil, false
	}
	w := &was{Revision: o.Revision, Stem: o.Stem}
	for _, op := range o.Options {
		w.Options = append(w.Options, bank.Option{Text: op.Text, Correct: op.Correct})
	}
	return w, true
}

type was struct {
	Revision int
	Stem     string
	Options  []bank.Option
}

func renderItem(it *bank.Item) string { return render(it.Stem, it.Options) }

// render writes the candidate-visible content as lines for a unified diff:
// the stem, a blank line, then one line per option with its letter and a
// mark on the keys.
func render(stem string, options []bank.Option) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(stem, " \t\r\n"))
	b.WriteString("\n\n")
	for i, o := range options {
		mark := ""
		if o.Correct {
			mark = " (correct)"
		}
		fmt.Fprintf(&b, "%s. %s%s\n", bank.Letter(i), strings.TrimRight(o.Text, " \t\r\n"), mark)
	}
	return b.String()
}

func pathBase(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}
