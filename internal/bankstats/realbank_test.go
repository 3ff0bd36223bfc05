package bankstats

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/lint"
	"github.com/qbank/qbank/internal/rules"
)

// The repository's bank, relative to this package.
var realBank = filepath.Join("..", "..", "bank")

// Minimum counts of issue 3 ("The bank"), per domain id in exam.yaml order:
// enough operational items for four full forms with no shared scored item,
// and a pretest pool to fill their pretest slots.
var (
	minOperational = map[string]int{"cloud-concepts": 58, "security-compliance": 72, "cloud-technology": 82, "billing-pricing-support": 28}
	minPretest     = map[string]int{"cloud-concepts": 16, "security-compliance": 16, "cloud-technology": 20, "billing-pricing-support": 8}
)

const (
	minOperationalTotal = 240
	minPretestTotal     = 60
	minPerTask          = 6    // operational items per task statement
	minMultipleShare    = 10.0 // percent of items that are multiple response
	maxMultipleShare    = 20.0
	maxKeyShare         = 30.0 // percent of single-answer keys at one position
)

// TestRealBankMeetsIssue3Counts reads bank/ and checks every count the
// bank promised in issue 3, so a later change cannot silently thin it out.
// Each requirement is its own subtest; a failure names the numbers.
func TestRealBankMeetsIssue3Counts(t *testing.T) {
	var cfg *config.Config
	if p := config.Find(filepath.Join("..", "..")); p != "" {
		c, err := config.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg = c
	}
	res, err := lint.Run(context.Background(), realBank, lint.Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Bank
	s := Compute(b, res.Summary.Errors, res.Summary.Warnings)
	t.Logf("%d items: %v", s.Items, s.Status)

	t.Run("lint reports no error, no near-duplicate and no probable enemy", func(t *testing.T) {
		for _, f := range res.Findings {
			if f.Severity == "error" || f.Rule == rules.NearDuplicate.ID || f.Rule == rules.ProbableEnemy.ID {
				t.Errorf("%s", f)
			}
		}
		if len(b.Broken) > 0 {
			t.Errorf("%d item files fail the schema", len(b.Broken))
		}
	})

	t.Run("operational items per domain", func(t *testing.T) {
		if n := s.Status[bank.StatusOperational]; n < minOperationalTotal {
			t.Errorf("%d operational items; want at least %d", n, minOperationalTotal)
		}
		checkDomains(t, s, bank.StatusOperational, minOperational)
	})

	t.Run("pretest items per domain", func(t *testing.T) {
		if n := s.Status[bank.StatusPretest]; n < minPretestTotal {
			t.Errorf("%d pretest items; want at least %d", n, minPretestTotal)
		}
		checkDomains(t, s, bank.StatusPretest, minPretest)
	})

	t.Run("draft, review and retired items exist", func(t *testing.T) {
		for _, st := range []string{bank.StatusDraft, bank.StatusReview, bank.StatusRetired} {
			if s.Status[st] == 0 {
				t.Errorf("no %s item; the lifecycle needs a few", st)
			}
		}
	})

	t.Run("every task statement has operational items", func(t *testing.T) {
		tasks := 0
		for _, r := range s.Tasks {
			if r.Title == "" {
				t.Errorf("%d items name task %s, which domain %s does not have", r.Total, r.Task, r.Domain)
				continue
			}
			tasks++
			if n := r.ByStatus[bank.StatusOperational]; n < minPerTask {
				t.Errorf("task %s (%s): %d operational items; want at least %d", r.Task, r.Domain, n, minPerTask)
			}
		}
		if want := countTasks(b); tasks != want {
			t.Errorf("%d task rows; the blueprint has %d tasks", tasks, want)
		}
	})

	t.Run("multiple-response share", func(t *testing.T) {
		for _, tc := range s.Types {
			if tc.Type != bank.TypeMultiple {
				continue
			}
			if tc.Share < minMultipleShare || tc.Share > maxMultipleShare {
				t.Errorf("%d of %d items (%.1f%%) are multiple response; want %.0f-%.0f%%", tc.Items, s.Items, tc.Share, minMultipleShare, maxMultipleShare)
			}
			if tc.OperationalShare < minMultipleShare || tc.OperationalShare > maxMultipleShare {
				t.Errorf("%d operational items (%.1f%%) are multiple response; want %.0f-%.0f%%", tc.Operational, tc.OperationalShare, minMultipleShare, maxMultipleShare)
			}
		}
	})

	t.Run("single-answer keys spread over positions", func(t *testing.T) {
		var spread []string
		for _, k := range s.SingleKeys {
			spread = append(spread, fmt.Sprintf("%s %.1f%%", k.Position, k.Share))
			if k.Share > maxKeyShare {
				t.Errorf("position %s holds %d single-answer keys (%.1f%%); at most %.0f%% allowed", k.Position, k.Keys, k.Share, maxKeyShare)
			}
		}
		t.Logf("single-answer keys: %s", strings.Join(spread, ", "))
	})

	t.Run("every item has an explanation, references and whys", func(t *testing.T) {
		for _, it := range b.Items {
			if strings.TrimSpace(it.Explanation) == "" {
				t.Errorf("%s: no explanation", it.ID)
			}
			if len(it.References) == 0 {
				t.Errorf("%s: no reference", it.ID)
			}
			for i, o := range it.Options {
				if strings.TrimSpace(o.Why) == "" {
					t.Errorf("%s: option %s has no why", it.ID, bank.Letter(i))
				}
			}
		}
	})
}

func checkDomains(t *testing.T, s *Stats, status string, min map[string]int) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range s.Domains {
		want, ok := min[r.Domain]
		if !ok {
			continue
		}
		seen[r.Domain] = true
		if n := r.ByStatus[status]; n < want {
			t.Errorf("%s: %d %s items; want at least %d", r.Domain, n, status, want)
		}
	}
	for d := range min {
		if !seen[d] {
			t.Errorf("domain %s is not in exam.yaml", d)
		}
	}
}

func countTasks(b *bank.Bank) int {
	n := 0
	for _, d := range b.Exam.Domains {
		n += len(d.Tasks)
	}
	return n
}
