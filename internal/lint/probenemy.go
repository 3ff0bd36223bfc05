package lint

import (
	"context"
	"fmt"
	"iter"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/textsim"
)

// Probable enemies are two items that are not declared enemies but whose
// stems and keys say the same thing in other words, so that one gives the
// other away or both test one fact. Each item's stem and key texts are
// compared as TF-IDF vectors (package textsim): the pair is reported when
// the cosine reaches probable_enemy.threshold, or, when the two items share
// a key text (one item's key is offered, and correct, in the other: a cue),
// when it reaches the lower probable_enemy.cue_threshold. Retired items,
// which no form may hold, and pairs that near-duplicate reports are left
// out.

// enemyText is what the rule compares: the stem and the correct options.
func enemyText(it *bank.Item) iter.Seq[string] {
	return func(yield func(string) bool) {
		if !yield(it.Stem) {
			return
		}
		for _, o := range it.Options {
			if o.Correct && !yield(o.Text) {
				return
			}
		}
	}
}

// keyTexts returns an item's key texts folded for comparison.
func keyTexts(it *bank.Item) []string {
	var out []string
	for _, o := range it.Options {
		if o.Correct {
			if k := keyFold(o.Text); k != "" {
				out = append(out, k)
			}
		}
	}
	return out
}

// keyFold folds a key text for comparison: as duplicate-option does, and
// without a final full stop.
func keyFold(s string) string { return strings.TrimRight(foldText(s), ". ") }

// declaredEnemies reports whether a or b lists the other as an enemy.
func declaredEnemies(a, b *bank.Item) bool {
	return slices.Contains(a.Enemies, b.ID) || slices.Contains(b.Enemies, a.ID)
}

// probableEnemies reports the pairs of items that look like enemies and
// are not declared so, vectorising their texts on at most cpus CPUs (<= 0:
// all). near is the near-duplicate search's result, whose pairs are left
// out while the near-duplicate rule is on; it is waited for only when
// there are pairs to check.
func probableEnemies(ctx context.Context, b *bank.Bank, cfg *config.Config, cpus int, near *nearPairs) []finding.Finding {
	t, cue := cfg.ProbableEnemyThreshold, cfg.ProbableEnemyCueThreshold
	var items []*bank.Item
	for _, it := range b.Items {
		if it.Status != bank.StatusRetired {
			items = append(items, it)
		}
	}
	m := textsim.VectorizeSeq(len(items), func(i int) iter.Seq[string] { return enemyText(items[i]) }, cpus)
	// With near-duplicate off, it reports nothing: this rule does.
	nearDupOn := cfg.SeverityOf(rules.NearDuplicate.ID, rules.NearDuplicate.Severity) != finding.Off
	var fs []finding.Finding
	for _, p := range textsim.AllPairs(ctx, m.Vectors, min(t, cue), 0) {
		x, y := items[p.A], items[p.B]
		if x.ID == y.ID || declaredEnemies(x, y) || nearDupOn && near.has(x, y) {
			continue // duplicate-id, the author, or near-duplicate has it
		}
		shared := sharedKey(y, x)
		if p.Cosine < t && shared == "" {
			continue
		}
		fs = append(fs, probableEnemy(m, p, x, y, shared))
	}
	return fs
}

// nearPairs hands the pairs of items the near-duplicate search found to
// the probable-enemy rule, which runs beside it and leaves them out.
// Measuring each pair's stems again, shingles built anew, had made the
// rule's last, serial loop take 97 ms at 100,000 repetitive items (7,871
// pairs; 2 ms for 70 at 10,000): it grew with the pairs, nearly as the
// square of the bank.
type nearPairs struct {
	done  chan struct{}
	pairs map[[2]*bank.Item]bool // the earlier item first, as in the bank
}

func newNearPairs() *nearPairs { return &nearPairs{done: make(chan struct{})} }

// publish records the pairs similarStems found among items, once.
func (n *nearPairs) publish(items []*bank.Item, ps []Pair) {
	n.pairs = make(map[[2]*bank.Item]bool, len(ps))
	for _, p := range ps {
		n.pairs[[2]*bank.Item{items[p.A], items[p.B]}] = true
	}
	close(n.done)
}

// has reports whether the stems of a and b (a before b in the bank) are
// near duplicates, waiting for the search to publish.
func (n *nearPairs) has(a, b *bank.Item) bool {
	<-n.done
	return n.pairs[[2]*bank.Item{a, b}]
}

// sharedKey returns a key text of a that is also a key of b, or "".
func sharedKey(a, b *bank.Item) string {
	kb := keyTexts(b)
	for _, o := range a.Options {
		if o.Correct && slices.Contains(kb, keyFold(o.Text)) {
			return strings.TrimSpace(o.Text)
		}
	}
	return ""
}

// probableEnemy reports the pair at the later item's stem.
func probableEnemy(m *textsim.Model, p textsim.Pair, x, y *bank.Item, shared string) finding.Finding {
	pct := int(math.Floor(p.Cosine * 100))
	words := strings.Join(topShared(m, m.Vectors[p.A], m.Vectors[p.B], 5), ", ")
	how := fmt.Sprintf("stem and key say what those of %s (%s:%d) say in other words: %d%% alike in content words (%s)", x.ID, filepath.ToSlash(x.File), x.Pos.Stem.Line, pct, words)
	if shared != "" {
		how = fmt.Sprintf("key %q is also the key of %s (%s:%d), whose stem asks about the same thing: %d%% alike in content words (%s)", shared, x.ID, filepath.ToSlash(x.File), x.Pos.Stem.Line, pct, words)
	}
	return finding.Finding{File: y.File, Line: y.Pos.Stem.Line, Column: y.Pos.Stem.Column, Rule: rules.ProbableEnemy.ID, Severity: rules.ProbableEnemy.Severity, Item: y.ID,
		Message: fmt.Sprintf("%s; if one gives the other away or both test the same thing, declare enemies: [%s] here and enemies: [%s] in %s, or reword one", how, x.ID, y.ID, x.ID)}
}

// topShared returns the n shared words that add most to the cosine.
func topShared(m *textsim.Model, a, b textsim.Vector, n int) []string {
	type term struct {
		word string
		w    float64
	}
	var ts []term
	for i, j := 0, 0; i < len(a.Terms) && j < len(b.Terms); {
		switch {
		case a.Terms[i] == b.Terms[j]:
			ts = append(ts, term{m.Words[a.Terms[i]], a.Weights[i] * b.Weights[j]})
			i++
			j++
		case a.Terms[i] < b.Terms[j]:
			i++
		default:
			j++
		}
	}
	slices.SortStableFunc(ts, func(p, q term) int {
		if p.w != q.w {
			if p.w > q.w {
				return -1
			}
			return 1
		}
		return strings.Compare(p.word, q.word)
	})
	var out []string
	for _, t := range ts[:min(n, len(ts))] {
		out = append(out, t.word)
	}
	return out
}
