// Package lint checks a question bank: it loads the bank through package
// bank, runs the item rules (itemrules.go) on every item file while its
// YAML tree is in hand (so findings point at the exact node at fault), then
// runs the rules that compare items (duplicate ids, enemies, near-duplicate
// stems) and, with Options.Since, revision-bump (package revcheck). It
// applies the configured severities and the inline suppressions the same way
// to every finding, and returns them. The rules are declared in package
// rules.
package lint

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/revcheck"
	"github.com/qbank/qbank/internal/rules"
)

// Result is the outcome of a lint run.
type Result struct {
	// Bank is the loaded bank.
	Bank *bank.Bank
	// Findings are sorted, with configured severities applied and
	// suppressed findings removed.
	Findings []finding.Finding
	Summary  finding.Summary
}

// Options tune Run.
type Options struct {
	// Config is the lint configuration (config.Default() when nil).
	Config *config.Config
	// Load tunes the loader (its Visit is set by Run).
	Load bank.Options
	// Since, when set, names a git revision: operational items whose
	// candidate-visible content changed since then without a revision
	// bump are reported (rule revision-bump, package revcheck). The bank
	// must be in a git work tree that has the revision, else Run fails.
	Since string
}

// Run loads the bank in dir and lints it. err is set when the bank cannot
// be linted at all (unreadable, or an invalid exam.yaml: then the result
// still carries the blueprint's findings).
func Run(ctx context.Context, dir string, opts Options) (*Result, error) {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	var mu sync.Mutex
	suppressions := map[string][]suppression{}
	var suppressionFindings []finding.Finding
	load := opts.Load
	load.Visit = func(f *bank.File) []finding.Finding {
		sups, sfs := parseSuppressions(f.Path, f.Data, f.Doc)
		if len(sups) > 0 || len(sfs) > 0 {
			mu.Lock()
			suppressions[f.Path] = sups
			suppressionFindings = append(suppressionFindings, sfs...)
			mu.Unlock()
		}
		if !f.Valid {
			return nil
		}
		return checkItem(f, cfg)
	}
	b, fs, err := bank.Load(ctx, dir, load)
	if err != nil {
		if be, ok := err.(*bank.BlueprintError); ok {
			res := &Result{Findings: be.Findings}
			finding.Sort(res.Findings)
			res.Summary.Errors, res.Summary.Warnings = finding.Count(res.Findings)
			return res, err
		}
		return nil, err
	}
	fs = append(fs, suppressionFindings...)
	fs = append(fs, compareItems(ctx, b, cfg)...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Since != "" {
		rfs, err := revcheck.Since(ctx, b, opts.Since)
		if err != nil {
			return nil, err
		}
		fs = append(fs, rfs...)
	}
	fs = applyConfig(fs, cfg, suppressions)
	finding.Sort(fs)
	res := &Result{Bank: b, Findings: fs}
	res.Summary.Files = b.Files
	res.Summary.Items = len(b.Items) + len(b.Broken)
	res.Summary.Errors, res.Summary.Warnings = finding.Count(fs)
	return res, nil
}

// compareItems runs the rules that compare items (duplicate ids, enemy
// references, near duplicates, probable enemies) side by side: the two
// searches over all pairs each have serial steps (building a vocabulary
// and an index) that the other's parallel steps fill, and the quick rules
// fit in between, so together they take less wall time than one after
// the other. Findings come back in the order the rules are listed.
//
// As the two searches run at once, each builds its vectors with half the
// CPUs, and probes with all of them (where one, done sooner, leaves the
// other the CPUs). Numbering words in parallel costs a merge of the
// chunks' vocabularies that one CPU does not pay; on 2 CPUs and 10,000
// items, with each search numbering on both, the rules took 12-19 ms
// longer (83-100 ms against 71-81 ms, 12 alternating runs) for 22-37 ms
// more CPU time (issue 13). At 100,000 items the two did not differ
// beyond the noise.
func compareItems(ctx context.Context, b *bank.Bank, cfg *config.Config) []finding.Finding {
	share := max(runtime.GOMAXPROCS(0)/2, 1)
	near := newNearPairs()
	rules := []func() []finding.Finding{
		func() []finding.Finding { return duplicateIDs(b) },
		func() []finding.Finding { return enemyRefs(b) },
		func() []finding.Finding { return nearDuplicates(ctx, b.Items, cfg.NearDuplicateThreshold, share, near) },
		func() []finding.Finding { return probableEnemies(ctx, b, cfg, share, near) },
	}
	found := make([][]finding.Finding, len(rules))
	var wg sync.WaitGroup
	for i, rule := range rules {
		wg.Add(1)
		go func() {
			defer wg.Done()
			found[i] = rule()
		}()
	}
	wg.Wait()
	var fs []finding.Finding
	for _, f := range found {
		fs = append(fs, f...)
	}
	return fs
}

// applyConfig sets configured severities, drops rules turned off and
// findings suppressed inline.
func applyConfig(fs []finding.Finding, cfg *config.Config, sups map[string][]suppression) []finding.Finding {
	fs = cfg.Apply(fs)
	out := fs[:0]
	for _, f := range fs {
		if !suppressed(sups[f.File], f) {
			out = append(out, f)
		}
	}
	return out
}

// allItems returns the valid and the broken items, sorted by file.
func allItems(b *bank.Bank) []*bank.Item {
	all := append(append([]*bank.Item(nil), b.Items...), b.Broken...)
	sort.Slice(all, func(i, j int) bool { return all[i].File < all[j].File })
	return all
}

func duplicateIDs(b *bank.Bank) []finding.Finding {
	first := map[string]*bank.Item{}
	var fs []finding.Finding
	for _, it := range allItems(b) {
		if f, dup := first[it.ID]; dup {
			fs = append(fs, finding.Finding{File: it.File, Line: it.Pos.ID.Line, Column: it.Pos.ID.Column, Rule: rules.DuplicateID.ID, Severity: rules.DuplicateID.Severity, Item: it.ID,
				Message: fmt.Sprintf("id %s is already declared by %s; ids are unique and never reused: give this item the next free id (qbank new allocates one)", it.ID, filepath.ToSlash(f.File))})
			continue
		}
		first[it.ID] = it
	}
	return fs
}

func enemyRefs(b *bank.Bank) []finding.Finding {
	known := map[string]bool{}
	for _, it := range b.Items {
		known[it.ID] = true
	}
	for _, it := range b.Broken {
		known[it.ID] = true
	}
	var fs []finding.Finding
	for _, it := range b.Items {
		for i, e := range it.Enemies {
			if e == it.ID || known[e] {
				continue
			}
			p := it.Pos.Root
			if i < len(it.Pos.Enemies) {
				p = it.Pos.Enemies[i]
			}
			fs = append(fs, finding.Finding{File: it.File, Line: p.Line, Column: p.Column, Rule: rules.EnemyRef.ID, Severity: rules.EnemyRef.Severity, Item: it.ID,
				Message: fmt.Sprintf("enemy %s is not an item of this bank; fix the id or remove it", e)})
		}
	}
	return fs
}
