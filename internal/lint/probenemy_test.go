package lint

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank"
)

// enemyItem returns an item of domain alpha with the given stem, key and
// extra top-level lines (status, enemies...).
func enemyItem(t *testing.T, id, stem, key, extra string) string {
	t.Helper()
	src := testbank.SmallItem(id, "storage")
	src = testbank.Edit(t, src, "  A team studies storage. Which choice fits the case best?", "  "+stem)
	src = testbank.Edit(t, src, "The first answer about storage.", key)
	if extra != "" {
		src = testbank.Edit(t, src, "status: operational\n", extra)
	}
	return src
}

// background gives the comparison a vocabulary: words in every item weigh
// nothing, so a bank of only the two items under test would compare noise.
func background(t *testing.T, files map[string]string) map[string]string {
	topics := []struct{ stem, key string }{
		{"A startup needs to send text messages to the phones of its customers when an order ships. Which service fits?", "Amazon Simple Notification Service"},
		{"An analyst wants to query log files in Amazon S3 with standard SQL and pay per query. Which service fits?", "Amazon Athena"},
		{"A retailer wants to translate its product pages into Spanish and German automatically. Which service fits?", "Amazon Translate"},
		{"A school must keep student records for seven years at the lowest storage price. Which storage class fits?", "S3 Glacier Deep Archive"},
		{"A game studio wants to give players sign-up and sign-in with social identity providers. Which service fits?", "Amazon Cognito"},
		{"A bank needs a managed relational database engine compatible with PostgreSQL and replicated across zones. Which service fits?", "Amazon Aurora"},
	}
	for i, tp := range topics {
		id := fmt.Sprintf("AL-%04d", 11+i)
		files["items/alpha/"+id+".yaml"] = enemyItem(t, id, tp.stem, tp.key, "")
	}
	return files
}

const (
	puStem = "A media company stores video files that are read often in the first month and almost never after that. Which option lowers the storage cost automatically?"
	puKey  = "An S3 Lifecycle rule that moves objects to S3 Glacier Flexible Retrieval after 30 days"
	// The same scenario and answer, reworded.
	rwStem = "A broadcaster keeps video objects in Amazon S3 that are hardly ever read after their first month. How can it cut the storage cost automatically?"
	rwKey  = "Add an S3 Lifecycle rule that transitions the objects to S3 Glacier Flexible Retrieval after 30 days"
	// A stem on another subject with the same key text (a cue only when
	// the cue threshold is low enough).
	cueStem = "A company must keep project files at the lowest price once a project closes. Which option automates this?"
)

func TestProbableEnemy(t *testing.T) {
	a5, a6 := "items/alpha/AL-0005.yaml", "items/alpha/AL-0006.yaml"
	tests := []struct {
		name  string
		files map[string]string
		cfg   string
		want  []want
	}{
		{"reworded pair is reported at the later item's stem",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", rwStem, rwKey, "")}, "",
			[]want{{a6, 8, 7, "stem and key say what those of AL-0005 (BANK/items/alpha/AL-0005.yaml:8) say in other words: "}}},
		{"the fix hint names both sides",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", rwStem, rwKey, "")}, "",
			[]want{{a6, 8, 7, "declare enemies: [AL-0005] here and enemies: [AL-0006] in AL-0005, or reword one"}}},
		{"declared enemies (one side is enough) pass",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, "") + "enemies: [AL-0006]\n", a6: enemyItem(t, "AL-0006", rwStem, rwKey, "")}, "", nil},
		{"a retired item is left out",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, "status: retired\n"), a6: enemyItem(t, "AL-0006", rwStem, rwKey, "")}, "", nil},
		{"items on different subjects pass",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", "A company wants to run containers without managing servers. Which service fits?", "AWS Fargate", "")}, "", nil},
		{"a configured higher threshold passes the pair",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", rwStem, rwKey, "")}, "probable_enemy:\n  threshold: 0.95\n  cue_threshold: 0.95\n", nil},
		{"a shared key is a cue at the cue threshold",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", cueStem, puKey+".", "")}, "probable_enemy:\n  threshold: 0.95\n  cue_threshold: 0.2\n",
			[]want{{a6, 8, 7, `key "` + puKey + `." is also the key of AL-0005 (BANK/items/alpha/AL-0005.yaml:8), whose stem asks about the same thing`}}},
		{"a shared key below the cue threshold passes",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", cueStem, puKey, "")}, "probable_enemy:\n  threshold: 0.95\n  cue_threshold: 0.9\n", nil},
		{"without a shared key only the main threshold counts",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", cueStem, "A script run by hand at the end of each project", "")}, "probable_enemy:\n  threshold: 0.95\n  cue_threshold: 0.01\n", nil},
		{"a near-duplicate pair is near-duplicate's finding, not a second one",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", puStem, puKey, "")}, "", nil},
		{"with near-duplicate off, the pair is reported here",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: enemyItem(t, "AL-0006", puStem, puKey, "")}, "rules:\n  near-duplicate: off\n",
			[]want{{a6, 8, 7, `key "` + puKey + `" is also the key of AL-0005`}}},
		{"suppression above the stem hides the finding",
			map[string]string{a5: enemyItem(t, "AL-0005", puStem, puKey, ""), a6: strings.Replace(enemyItem(t, "AL-0006", rwStem, rwKey, ""), "stem: |", "# qbank:ignore probable-enemy -- reviewed: the two test different storage classes\nstem: |", 1)}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, got, all := lintRule(t, background(t, tt.files), tt.cfg, rules.ProbableEnemy.ID)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings, want %d:\n%s\nall findings:\n%s", len(got), len(tt.want), list(got), list(all))
			}
			for i, w := range tt.want {
				f := got[i]
				rel, _ := filepath.Rel(dir, f.File)
				msg := strings.ReplaceAll(w.msg, "BANK/", filepath.ToSlash(dir)+"/")
				if filepath.ToSlash(rel) != w.file || f.Line != w.line || f.Column != w.col || !strings.Contains(f.Message, msg) || f.Severity != finding.Warning {
					t.Errorf("got  %s:%d:%d %s %s\nwant %s:%d:%d warning ...%s...", rel, f.Line, f.Column, f.Severity, f.Message, w.file, w.line, w.col, msg)
				}
			}
		})
	}
}

// The background items alone are unrelated: no finding at all.
func TestProbableEnemyBackgroundIsClean(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, background(t, map[string]string{}))
	res, err := Run(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Fatalf("findings:\n%s", list(res.Findings))
	}
}
