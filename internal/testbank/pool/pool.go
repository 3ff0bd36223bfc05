// Package pool (of testbank) builds synthetic item pools for the check and assemble
// tests and benchmarks: exam blueprints (CLF-C02 and one of another shape),
// items with chosen or random properties (status, task, key position,
// difficulty, enemies), in-memory banks, and the same banks written to a
// directory so that the loader and the CLI can read them.
package pool

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
)

// CLF is the CLF-C02 blueprint of the bundled bank, trimmed of titles.
const CLF = `exam: CLF-C02
title: AWS Certified Cloud Practitioner
options: {single: 4, multiple_min: 5}
scale: {min: 100, max: 1000, pass: 700}
domains:
  - id: cloud-concepts
    name: Cloud Concepts
    weight: 24
    prefix: CC
    tasks:
      - {id: "1.1", title: Benefits}
      - {id: "1.2", title: Design principles}
      - {id: "1.3", title: Migration}
      - {id: "1.4", title: Economics}
  - id: security-compliance
    name: Security and Compliance
    weight: 30
    prefix: SEC
    tasks:
      - {id: "2.1", title: Shared responsibility}
      - {id: "2.2", title: Governance}
      - {id: "2.3", title: Access management}
      - {id: "2.4", title: Security resources}
  - id: cloud-technology
    name: Cloud Technology and Services
    weight: 34
    prefix: TECH
    tasks:
      - {id: "3.1", title: Deploying}
      - {id: "3.2", title: Global infrastructure}
      - {id: "3.3", title: Compute}
      - {id: "3.4", title: Database}
      - {id: "3.5", title: Network}
      - {id: "3.6", title: Storage}
      - {id: "3.7", title: AI/ML and analytics}
      - {id: "3.8", title: Other services}
  - id: billing-pricing-support
    name: Billing, Pricing, and Support
    weight: 12
    prefix: BILL
    tasks:
      - {id: "4.1", title: Pricing models}
      - {id: "4.2", title: Billing resources}
      - {id: "4.3", title: Support}
forms:
  - {id: full, title: Full-length practice exam, scored: 50, pretest: 15, minutes: 90}
  - {id: diagnostic, title: 10-question diagnostic, scored: 10, pretest: 0, minutes: 15}
`

// Other is a blueprint of another shape than CLF-C02: three domains with
// weights that do not divide the counts evenly (45/35/20), five options per
// single item, and a 30+6 spec.
const Other = `exam: NET-X1
title: Networking Fundamentals
options: {single: 5, multiple_min: 6}
scale: {min: 0, max: 100, pass: 65}
domains:
  - id: routing
    name: Routing
    weight: 45
    prefix: RT
    tasks:
      - {id: "A", title: Static routes}
      - {id: "B", title: Dynamic routing}
  - id: switching
    name: Switching
    weight: 35
    prefix: SW
    tasks:
      - {id: "C", title: VLANs}
      - {id: "D", title: Spanning tree}
      - {id: "E", title: Link aggregation}
  - id: wireless
    name: Wireless
    weight: 20
    prefix: WL
    tasks:
      - {id: "F", title: Standards}
forms:
  - {id: exam, title: Certification exam, scored: 30, pretest: 6, minutes: 60}
  - {id: quiz, title: Quiz, scored: 7, pretest: 0, minutes: 10}
`

// Exam parses a blueprint or fails the test.
func Exam(tb testing.TB, src string) *blueprint.Exam {
	tb.Helper()
	e, fs, err := blueprint.Parse([]byte(src), "exam.yaml")
	if err != nil || e == nil {
		tb.Fatalf("blueprint: %v %v", err, fs)
	}
	return e
}

// Item returns an item with the given properties. A single item has
// exam.Options.Single options with the key at index key; a multiple item
// (key < 0) has Options.MultipleMin options with keys at 0 and 2.
func Item(e *blueprint.Exam, id, domain, task, status string, key int, difficulty string) *bank.Item {
	it := &bank.Item{ID: id, Revision: 1, Status: status, Domain: domain, Task: task, Difficulty: difficulty,
		Stem:       fmt.Sprintf("Question %s about task %s?", id, task),
		References: []string{"https://docs.aws.amazon.com/" + strings.ToLower(id)},
	}
	n := e.Options.Single
	if key < 0 {
		it.Type = bank.TypeMultiple
		it.Stem += " (Select TWO.)"
		n = e.Options.MultipleMin
	} else {
		it.Type = bank.TypeSingle
	}
	for i := 0; i < n; i++ {
		correct := i == key || (key < 0 && (i == 0 || i == 2))
		it.Options = append(it.Options, bank.Option{Text: fmt.Sprintf("Option %d of %s.", i+1, id), Correct: correct, Why: "Because."})
	}
	return it
}

// PoolSpec describes a random pool.
type PoolSpec struct {
	// Operational and Pretest are the numbers of items of those statuses
	// per domain, in blueprint order (missing entries mean 0).
	Operational []int
	Pretest     []int
	// Retired items per domain.
	Retired []int
	// EnemyPairs is how many random pairs of items are made enemies.
	EnemyPairs int
	// Multiple is the share (0..1) of multiple-response items.
	Multiple float64
	// Seed seeds the pool.
	Seed uint64
}

// Pool returns a random pool: items spread over each domain's tasks in
// turn, random difficulty (some left empty), random key positions (biased
// towards B and C as human writers are), and random enemy pairs. Ids are
// <PREFIX>-<NNNN>, numbered per domain.
func Pool(e *blueprint.Exam, s PoolSpec) []*bank.Item {
	r := rand.New(rand.NewPCG(s.Seed, 0x5eed))
	diffs := []string{"easy", "medium", "hard", ""}
	var items []*bank.Item
	for d, dom := range e.Domains {
		n := 0
		add := func(count int, status string) {
			for i := 0; i < count; i++ {
				n++
				task := dom.Tasks[(n-1)%len(dom.Tasks)].ID
				key := r.IntN(e.Options.Single + 2) // bias: B and C twice as likely
				if key >= e.Options.Single {
					key -= e.Options.Single - 1
				}
				if r.Float64() < s.Multiple {
					key = -1
				}
				it := Item(e, fmt.Sprintf("%s-%04d", dom.IDPrefix(), n), dom.ID, task, status, key, diffs[r.IntN(len(diffs))])
				items = append(items, it)
			}
		}
		add(at(s.Operational, d), bank.StatusOperational)
		add(at(s.Pretest, d), bank.StatusPretest)
		add(at(s.Retired, d), bank.StatusRetired)
	}
	for i := 0; i < s.EnemyPairs && len(items) > 1; i++ {
		a, b := items[r.IntN(len(items))], items[r.IntN(len(items))]
		if a != b {
			a.Enemies = append(a.Enemies, b.ID)
		}
	}
	sortItems(items)
	return items
}

func at(l []int, i int) int {
	if i < len(l) {
		return l[i]
	}
	return 0
}

func sortItems(items []*bank.Item) {
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
}

// New returns an in-memory bank of the items (sorted by id), with the
// given forms and no stats. Items get File paths as a loaded bank's would.
func New(e *blueprint.Exam, items []*bank.Item, forms ...*bank.Form) *bank.Bank {
	items = append([]*bank.Item(nil), items...)
	sortItems(items)
	for _, it := range items {
		if it.File == "" {
			it.File = filepath.Join("bank", "items", it.Domain, it.ID+".yaml")
		}
	}
	return &bank.Bank{Dir: "bank", Exam: e, Items: items, Forms: forms, Stats: bank.Stats{Items: map[string]bank.ItemStats{}}, Files: len(items)}
}

// Write writes a bank to dir: exam.yaml from examSrc and one file per
// item under items/<domain>/.
func Write(tb testing.TB, dir, examSrc string, items []*bank.Item) {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "exam.yaml"), []byte(examSrc), 0o644); err != nil {
		tb.Fatal(err)
	}
	for _, it := range items {
		p := filepath.Join(dir, "items", it.Domain, it.ID+".yaml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, ItemYAML(it), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// ItemYAML renders an item as an item file.
func ItemYAML(it *bank.Item) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nrevision: %d\nstatus: %s\ndomain: %s\ntask: %q\ntype: %s\n", it.ID, it.Revision, it.Status, it.Domain, it.Task, it.Type)
	if it.Difficulty != "" {
		fmt.Fprintf(&b, "difficulty: %s\n", it.Difficulty)
	}
	fmt.Fprintf(&b, "stem: %q\noptions:\n", it.Stem)
	for _, o := range it.Options {
		fmt.Fprintf(&b, "  - text: %q\n", o.Text)
		if o.Correct {
			b.WriteString("    correct: true\n")
		}
		if o.Why != "" {
			fmt.Fprintf(&b, "    why: %q\n", o.Why)
		}
	}
	if len(it.References) > 0 {
		b.WriteString("references:\n")
		for _, r := range it.References {
			fmt.Fprintf(&b, "  - %s\n", r)
		}
	}
	if len(it.Enemies) > 0 {
		fmt.Fprintf(&b, "enemies: [%s]\n", strings.Join(it.Enemies, ", "))
	}
	return []byte(b.String())
}
