package revcheck

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/gitx"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank"
)

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	full := append([]string{"-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)
	cmd := exec.Command("git", full...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// repo commits the fixture bank under repo/bank and returns the bank dir.
func repo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	top := t.TempDir()
	git(t, top, "init", "-q")
	dir := testbank.WriteFiles(t, filepath.Join(top, "bank"), testbank.ReleaseFiles())
	git(t, top, "add", ".")
	git(t, top, "commit", "-q", "-m", "release")
	git(t, top, "tag", "v1")
	return dir
}

func edit(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(testbank.Edit(t, string(data), old, new)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// load loads the bank in dir.
func load(dir string) (*bank.Bank, error) {
	b, _, err := bank.Load(context.Background(), dir, bank.Options{})
	return b, err
}

func since(t *testing.T, dir, rev string) []finding.Finding {
	t.Helper()
	res, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := Since(context.Background(), res, rev)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestSince(t *testing.T) {
	const be1, be2, al1, al3, be101 = "items/beta/BE-0001.yaml", "items/beta/BE-0002.yaml", "items/alpha/AL-0001.yaml", "items/alpha/AL-0003.yaml", "items/beta/BE-0101.yaml"
	tests := []struct {
		name string
		edit func(t *testing.T, dir string)
		want string // the item flagged, "" for none
	}{
		{"nothing changed", func(*testing.T, string) {}, ""},
		{"stem edited", func(t *testing.T, dir string) {
			edit(t, dir, be1, "A company plans", "A startup plans")
		}, "BE-0001"},
		{"key moved", func(t *testing.T, dir string) {
			edit(t, dir, be1, "    correct: true\n", "")
			edit(t, dir, be1, "    why: It resolves names only.", "    correct: true\n    why: It resolves names only.")
		}, "BE-0001"},
		{"options reordered", func(t *testing.T, dir string) {
			edit(t, dir, be1, "  - text: A service for sending e-mail.\n    why: It sends e-mail only.\n  - text: A service for DNS records.\n    why: It resolves names only.\n",
				"  - text: A service for DNS records.\n    why: It resolves names only.\n  - text: A service for sending e-mail.\n    why: It sends e-mail only.\n")
		}, "BE-0001"},
		{"option text edited in a multiple item", func(t *testing.T, dir string) {
			edit(t, dir, al3, "Request a dedicated host.", "Request a dedicated instance.")
		}, "AL-0003"},
		{"stem edited with a revision bump", func(t *testing.T, dir string) {
			edit(t, dir, be1, "A company plans", "A startup plans")
			edit(t, dir, be1, "revision: 1", "revision: 2")
		}, ""},
		{"rationale, explanation and references edited", func(t *testing.T, dir string) {
			edit(t, dir, be1, "why: It sends e-mail only.", "why: It only sends e-mail.")
			edit(t, dir, be1, "explanation: The managed service is the right fit.", "explanation: It fits.")
			edit(t, dir, be1, "aws-overview/introduction.html", "aws-overview/services.html")
		}, ""},
		{"trailing white space only", func(t *testing.T, dir string) {
			edit(t, dir, be1, "Which service fits the plan?\n", "Which service fits the plan?\n\n")
		}, ""},
		{"pretest item edited", func(t *testing.T, dir string) {
			edit(t, dir, be101, "A company plans", "A startup plans")
		}, ""},
		{"new item", func(t *testing.T, dir string) {
			testbank.WriteFiles(t, dir, map[string]string{"items/beta/BE-0003.yaml": testbank.ReleaseItem("BE-0003", "operational")})
		}, ""},
		{"item moved to another folder and edited", func(t *testing.T, dir string) {
			edit(t, dir, al1, "A company plans", "A startup plans")
			if err := os.Rename(filepath.Join(dir, al1), filepath.Join(dir, "items/beta/AL-0001.yaml")); err != nil {
				t.Fatal(err)
			}
		}, "AL-0001"},
		{"retired item edited", func(t *testing.T, dir string) {
			edit(t, dir, be2, "status: operational", "status: retired")
			edit(t, dir, be2, "A company plans", "A startup plans")
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := repo(t)
			tt.edit(t, dir)
			fs := since(t, dir, "v1")
			var got []string
			for _, f := range fs {
				got = append(got, f.Item)
			}
			if strings.Join(got, ",") != tt.want {
				t.Fatalf("flagged %v; want %q\n%v", got, tt.want, fs)
			}
			if len(fs) == 1 {
				f := fs[0]
				if f.Line != 2 || f.Column != 11 || f.Rule != rules.RevisionBump.ID || f.Severity != finding.Error {
					t.Errorf("finding at %d:%d %s %s; want the revision value at 2:11, error revision-bump", f.Line, f.Column, f.Rule, f.Severity)
				}
				if !strings.Contains(f.Message, "what candidates see changed since v1 but revision is still 1; set revision: 2") ||
					!strings.Contains(f.Message, "\n--- v1:bank/items/") || !strings.Contains(f.Message, "\n+++ "+dir) {
					t.Errorf("message = %s", f.Message)
				}
			}
		})
	}
}

func TestSinceMessageHoldsTheDiff(t *testing.T) {
	dir := repo(t)
	edit(t, dir, "items/beta/BE-0001.yaml", "A company plans", "A startup plans")
	fs := since(t, dir, "v1")
	if len(fs) != 1 {
		t.Fatalf("findings %v", fs)
	}
	want := "what candidates see changed since v1 but revision is still 1; set revision: 2 (statistics measured on the old text no longer hold, and forms pin revisions):\n" +
		"--- v1:bank/items/beta/BE-0001.yaml\n" +
		"+++ " + filepath.Join(dir, "items/beta/BE-0001.yaml") + "\n" +
		"@@ -1,4 +1,4 @@\n" +
		"-A company plans relational databases with automated backups. Which service fits the plan?\n" +
		"+A startup plans relational databases with automated backups. Which service fits the plan?\n" +
		" \n" +
		" A. A managed service built for this case. (correct)\n" +
		" B. A service for sending e-mail."
	if fs[0].Message != want {
		t.Errorf("message:\n%s\nwant:\n%s", fs[0].Message, want)
	}
}

func TestSinceErrors(t *testing.T) {
	dir := repo(t)
	res, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rnf *gitx.RevNotFoundError
	_, err = Since(context.Background(), res, "abc1234")
	if !errors.As(err, &rnf) || !strings.Contains(err.Error(), "REV abc1234 not found in this repository; in a shallow CI checkout fetch it first: git fetch --depth=1 origin <the full commit hash>") {
		t.Errorf("missing rev: %v", err)
	}
	res2, err := load(testbank.ReleaseBank(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Since(context.Background(), res2, "HEAD"); err == nil || !strings.Contains(err.Error(), "needs the bank in a git work tree") {
		t.Errorf("outside git: %v", err)
	}
}

// TestSinceInAShallowCheckout runs lint --since the way CI does: in a
// depth-1 clone REV is missing and the error says how to fetch it; after
// exactly that fetch, the check runs. Tags, relative revisions and commit
// hashes each need a different git fetch.
func TestSinceInAShallowCheckout(t *testing.T) {
	dir := repo(t)
	top := filepath.Dir(dir)
	edit(t, dir, "items/beta/BE-0001.yaml", "A company plans", "A startup plans")
	git(t, top, "commit", "-q", "-am", "edit BE-0001")
	out, err := exec.Command("git", "-C", top, "rev-parse", "v1").Output()
	if err != nil {
		t.Fatal(err)
	}
	hash := strings.TrimSpace(string(out))
	clone := filepath.Join(t.TempDir(), "clone")
	git(t, top, "clone", "-q", "--depth=1", "file://"+filepath.ToSlash(top), clone)
	res, err := load(filepath.Join(clone, "bank"))
	if err != nil {
		t.Fatal(err)
	}
	check := func(rev, wantErr string) {
		t.Helper()
		fs, err := Since(context.Background(), res, rev)
		if wantErr != "" {
			var rnf *gitx.RevNotFoundError
			if !errors.As(err, &rnf) || !rnf.Shallow || !strings.Contains(err.Error(), "(the checkout is shallow); in a shallow CI checkout fetch it first: "+wantErr) {
				t.Errorf("Since(%s) = %v; want a shallow RevNotFoundError saying %q", rev, err, wantErr)
			}
			return
		}
		if err != nil || len(fs) != 1 || fs[0].Item != "BE-0001" {
			t.Errorf("Since(%s) = %v, %v; want BE-0001 flagged", rev, fs, err)
		}
	}
	check(hash, "git fetch --depth=1 origin "+hash)
	check(hash[:7], "git fetch --depth=1 origin <the full commit hash>")
	check("v1", "git fetch --depth=1 origin tag v1 for a tag")
	check("HEAD~1", "git fetch --deepen=N")

	git(t, clone, "fetch", "-q", "--depth=1", "origin", hash)
	check(hash, "")
	check("v1", "git fetch --depth=1 origin tag v1") // the commit is there, the tag is not
	git(t, clone, "fetch", "-q", "--depth=1", "origin", "tag", "v1")
	check("v1", "")
	git(t, clone, "fetch", "-q", "--deepen=1")
	check("HEAD~1", "")
}
