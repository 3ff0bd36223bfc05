// Package synth generates synthetic question banks for benchmarks and load
// tests: a CLF-C02-shaped blueprint and any number of valid items spread
// over domains, tasks, statuses and types. Stems come in two styles: varied
// (uniform draws from thousands of made-up words, so stems share little)
// and repetitive (a few shared sentence frames such as "Which AWS service
// ..." and "A company wants to ...", filled from a small vocabulary with
// Zipf-distributed word frequencies, as in real banks).
package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options control generation.
type Options struct {
	// Items is the number of item files to write.
	Items int
	// Seed makes the bank reproducible.
	Seed uint64
	// Style is StyleVaried ("" means varied) or StyleRepetitive.
	Style Style
}

// Style selects how stems are written.
type Style string

// The stem styles.
const (
	StyleVaried     Style = "varied"
	StyleRepetitive Style = "repetitive"
)

// ParseStyle returns the style named s ("" is varied).
func ParseStyle(s string) (Style, error) {
	switch Style(s) {
	case "", StyleVaried:
		return StyleVaried, nil
	case StyleRepetitive:
		return StyleRepetitive, nil
	}
	return "", fmt.Errorf("unknown style %q; use varied or repetitive", s)
}

type domain struct {
	id, prefix string
	weight     int
	tasks      []string
}

var domains = []domain{
	{"cloud-concepts", "CC", 24, []string{"1.1", "1.2", "1.3", "1.4"}},
	{"security-compliance", "SEC", 30, []string{"2.1", "2.2", "2.3", "2.4"}},
	{"cloud-technology", "TECH", 34, []string{"3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"}},
	{"billing-pricing-support", "BILL", 12, []string{"4.1", "4.2", "4.3"}},
}

// Exam returns the blueprint text of synthetic banks.
func Exam() string {
	var b strings.Builder
	b.WriteString("exam: SYN-01\ntitle: Synthetic exam\noptions: {single: 4, multiple_min: 5}\nscale: {min: 100, max: 1000, pass: 700}\ndomains:\n")
	for _, d := range domains {
		fmt.Fprintf(&b, "  - id: %s\n    name: %s\n    weight: %d\n    prefix: %s\n    tasks:\n", d.id, d.id, d.weight, d.prefix)
		for _, t := range d.tasks {
			fmt.Fprintf(&b, "      - {id: %q, title: Task %s.}\n", t, t)
		}
	}
	b.WriteString("forms:\n  - {id: full, title: Full, scored: 50, pretest: 15, minutes: 90}\n  - {id: diagnostic, title: Diagnostic, scored: 10, pretest: 0, minutes: 15}\n")
	return b.String()
}

// Write generates a bank in dir (which must not hold one already).
func Write(ctx context.Context, dir string, opts Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "exam.yaml"), []byte(Exam()), 0o644); err != nil {
		return err
	}
	for _, d := range domains {
		if err := os.MkdirAll(filepath.Join(dir, "items", d.id), 0o755); err != nil {
			return err
		}
	}
	style, err := ParseStyle(string(opts.Style))
	if err != nil {
		return err
	}
	g := newGenerator(opts.Seed)
	g.repetitive = style == StyleRepetitive
	counters := make([]int, len(domains))
	for i := 0; i < opts.Items; i++ {
		if i%1000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		di := g.domain()
		counters[di]++
		d := domains[di]
		id := fmt.Sprintf("%s-%06d", d.prefix, counters[di])
		path := filepath.Join(dir, "items", d.id, id+".yaml")
		if err := os.WriteFile(path, []byte(g.item(id, d)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

type generator struct {
	r          *rand.Rand
	vocab      []string
	repetitive bool
	zipf       *rand.Zipf
}

func newGenerator(seed uint64) *generator {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	// A vocabulary of pronounceable made-up words makes stems varied
	// enough that near-duplicate detection sees realistic overlap.
	syl := []string{"ka", "lo", "mi", "ra", "te", "su", "no", "vi", "pe", "da", "zo", "ri", "fa", "gu", "be", "xi"}
	for i := 0; i < 4096; i++ {
		w := syl[i%16] + syl[(i/16)%16] + syl[(i/256)%16]
		g.vocab = append(g.vocab, w)
	}
	g.zipf = rand.NewZipf(g.r, 1.1, 2, uint64(len(commonWords)+len(g.vocab)-1))
	return g
}

func (g *generator) domain() int {
	n := g.r.IntN(100)
	for i, d := range domains {
		if n < d.weight {
			return i
		}
		n -= d.weight
	}
	return len(domains) - 1
}

func (g *generator) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = g.vocab[g.r.IntN(len(g.vocab))]
	}
	return strings.Join(w, " ")
}

var (
	actors   = []string{"A company", "A startup", "A retailer", "A hospital", "A bank", "A developer", "A solutions architect", "A finance team"}
	statuses = []string{"operational", "operational", "operational", "operational", "pretest", "review", "draft", "retired"}
	levels   = []string{"easy", "medium", "medium", "hard"}
)

// commonWords head the repetitive style's Zipf-ordered vocabulary; the
// made-up words follow as its long tail. None is a negative (not, except,
// least), so generated stems stay clean for the negative-stem rule.
var commonWords = strings.Fields(`data the application a to and of cloud for store
	users customers in security costs on-premises workloads resources instances
	storage access database network region availability compute serverless
	servers scale traffic backups files logs monitor encrypt migrate deploy
	manage reduce improve automate analyze protect secure global high durable
	scalable managed container function website content static dynamic queue
	events messages identity permissions policies accounts billing support
	pricing budget usage reports compliance audit governance multiple single
	regions zones edge locations latency performance capacity demand peak
	workload legacy hybrid virtual private public internet connection dedicated
	backup recovery disaster archive object block relational nonrelational
	cache stream real-time batch machine learning analytics dashboard alerts
	metrics trails keys certificates secrets passwords credentials roles groups
	developers administrators architects teams organization departments`)

// frames are the repetitive style's shared sentence frames; each %s is
// filled with a few Zipf-drawn words.
var frames = []string{
	"Which AWS service should %s use to %s?",
	"A company wants to %s. Which AWS service meets these requirements?",
	"A company is planning to %s with %s. Which solution will meet these requirements MOST cost-effectively?",
	"Which AWS service or feature can %s use to %s?",
	"A company needs to %s. Which AWS service should the company use?",
	"A company wants to %s for %s. Which AWS service or resource will meet these requirements?",
	"Which task is the responsibility of AWS under the AWS shared responsibility model when %s %s?",
	"A solutions architect needs to %s. Which combination of steps meets these requirements?",
}

// zipfWords returns n words drawn with Zipf-distributed frequencies.
func (g *generator) zipfWords(n int) string {
	w := make([]string, n)
	for i := range w {
		k := int(g.zipf.Uint64())
		if k < len(commonWords) {
			w[i] = commonWords[k]
		} else {
			w[i] = g.vocab[k-len(commonWords)]
		}
	}
	return strings.Join(w, " ")
}

func (g *generator) stem() string {
	if !g.repetitive {
		return fmt.Sprintf("%s wants to %s with %s. Which approach meets these requirements?", actors[g.r.IntN(len(actors))], g.words(6), g.words(5))
	}
	f := frames[g.r.IntN(len(frames))]
	args := make([]any, strings.Count(f, "%s"))
	for i := range args {
		args[i] = g.zipfWords(4 + g.r.IntN(5))
	}
	return fmt.Sprintf(f, args...)
}

func (g *generator) item(id string, d domain) string {
	multiple := g.r.IntN(100) < 15
	typ, n, keys := "single", 4, map[int]bool{g.r.IntN(4): true}
	stem := g.stem()
	if multiple {
		typ, n = "multiple", 5
		a := g.r.IntN(5)
		keys = map[int]bool{a: true, (a + 1 + g.r.IntN(4)) % 5: true}
		stem = strings.TrimSuffix(stem, "?") + "? (Select TWO.)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# yaml-language-server: $schema=../../../schema/item.schema.json\nid: %s\nrevision: %d\nstatus: %s\ndomain: %s\ntask: %q\ntype: %s\ndifficulty: %s\n",
		id, 1+g.r.IntN(3), statuses[g.r.IntN(len(statuses))], d.id, d.tasks[g.r.IntN(len(d.tasks))], typ, levels[g.r.IntN(len(levels))])
	fmt.Fprintf(&b, "stem: |\n  %s\noptions:\n", stem)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - text: Use %s.\n", g.words(3))
		if keys[i] {
			b.WriteString("    correct: true\n    why: This meets the requirements.\n")
		} else {
			b.WriteString("    why: This does not meet the requirements.\n")
		}
	}
	fmt.Fprintf(&b, "explanation: |\n  %s.\nreferences:\n  - https://docs.aws.amazon.com/whitepapers/latest/aws-overview/introduction.html\ntags: [synthetic]\n", g.words(8))
	return b.String()
}

// BenchBank returns the bank that the phase benchmarks measure: the
// directory $QBANK_BENCH_BANK when set (a bank written beforehand, such as
// a 100,000-item one), else a bank of $QBANK_BENCH_ITEMS items (10000 by
// default) in the style $QBANK_BENCH_STYLE (varied by default), seed 1,
// written under parent.
func BenchBank(ctx context.Context, parent string) (dir string, items int, err error) {
	if dir := os.Getenv("QBANK_BENCH_BANK"); dir != "" {
		return dir, 0, nil
	}
	opts := Options{Items: 10000, Seed: 1}
	if s := os.Getenv("QBANK_BENCH_ITEMS"); s != "" {
		if _, err := fmt.Sscan(s, &opts.Items); err != nil || opts.Items < 1 {
			return "", 0, fmt.Errorf("QBANK_BENCH_ITEMS=%q is not a positive number", s)
		}
	}
	if opts.Style, err = ParseStyle(os.Getenv("QBANK_BENCH_STYLE")); err != nil {
		return "", 0, err
	}
	dir = filepath.Join(parent, "bank")
	return dir, opts.Items, Write(ctx, dir, opts)
}
