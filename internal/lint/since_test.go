package lint

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank"
)

// sinceRepo commits the release fixture bank under a git work tree, tags
// it v1, then edits BE-0001's stem without a revision bump, replacing its
// revision line with rev (so a test can add a comment to it).
func sinceRepo(t *testing.T, rev string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	top := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = top
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	dir := testbank.WriteFiles(t, filepath.Join(top, "bank"), testbank.ReleaseFiles())
	git("add", ".")
	git("commit", "-q", "-m", "release")
	git("tag", "v1")
	p := filepath.Join(dir, "items", "beta", "BE-0001.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	src := testbank.Edit(t, string(data), "A company plans", "A startup plans")
	src = testbank.Edit(t, src, "revision: 1\n", rev+"\n")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSinceReportsRevisionBump(t *testing.T) {
	dir := sinceRepo(t, "revision: 1")
	res, err := Run(context.Background(), dir, Options{Since: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Errors != 1 || res.Findings[0].Rule != rules.RevisionBump.ID || res.Findings[0].Line != 2 {
		t.Errorf("summary %+v findings %v", res.Summary, res.Findings)
	}
	if _, err := Run(context.Background(), dir, Options{Since: "no-such-rev"}); err == nil {
		t.Error("a missing revision is not an error")
	}
}

func TestSinceUsesConfiguredSeverity(t *testing.T) {
	dir := sinceRepo(t, "revision: 1")
	cfgPath := filepath.Join(t.TempDir(), ".qbank.yaml")
	if err := os.WriteFile(cfgPath, []byte("rules:\n  revision-bump: warning\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), dir, Options{Config: cfg, Since: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Errors != 0 || res.Summary.Warnings != 1 || res.Findings[0].Rule != rules.RevisionBump.ID || res.Findings[0].Severity != finding.Warning {
		t.Errorf("summary %+v findings %v", res.Summary, res.Findings)
	}
}

// TestSinceHonoursInlineSuppression: a qbank:ignore revision-bump comment
// with a reason silences the rule like any other (issue: it was accepted
// but ignored).
func TestSinceHonoursInlineSuppression(t *testing.T) {
	for _, tt := range []struct {
		name, rev string
		errors    int
		warnings  int
	}{
		{"on the line", "revision: 1  # qbank:ignore revision-bump -- typo fix, same answer", 0, 0},
		{"line above", "# qbank:ignore revision-bump -- typo fix, same answer\nrevision: 1", 0, 0},
		{"no reason", "revision: 1  # qbank:ignore revision-bump", 0, 1},
		{"other rule", "revision: 1  # qbank:ignore key-length -- not this one", 1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), sinceRepo(t, tt.rev), Options{Since: "v1"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Summary.Errors != tt.errors || res.Summary.Warnings != tt.warnings {
				t.Errorf("summary %+v; want %d errors, %d warnings; findings:\n%s", res.Summary, tt.errors, tt.warnings, list(res.Findings))
			}
		})
	}
}
