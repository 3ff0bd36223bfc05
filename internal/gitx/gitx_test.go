package gitx

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// git runs git in dir for a test, with a fixed identity.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	full := append([]string{"-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)
	cmd := exec.Command("git", full...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRepo(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	ctx := context.Background()
	top := t.TempDir()
	git(t, top, "init", "-q")
	write(t, top, "bank/items/a.yaml", "one\n")
	write(t, top, "bank/items/sub/b.yaml", "two\n")
	write(t, top, "other.txt", "x\n")
	git(t, top, "add", ".")
	git(t, top, "commit", "-q", "-m", "first")
	first := git(t, top, "rev-parse", "HEAD")
	write(t, top, "bank/items/a.yaml", "ONE\n")
	git(t, top, "commit", "-q", "-am", "second")

	r, err := Open(ctx, filepath.Join(top, "bank"))
	if err != nil {
		t.Fatal(err)
	}
	realTop, _ := filepath.EvalSymlinks(top)
	if r.Top != realTop && r.Top != top || r.Prefix != "bank/" {
		t.Errorf("Open = %+v; want top %s, prefix bank/", r, top)
	}
	c, err := r.Commit(ctx, "HEAD~1")
	if err != nil || c != first {
		t.Errorf("Commit(HEAD~1) = %s, %v; want %s", c, err, first)
	}
	files, err := r.ReadTree(ctx, c, "bank/items", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || string(files["a.yaml"]) != "one\n" || string(files["sub/b.yaml"]) != "two\n" {
		t.Errorf("ReadTree = %q", files)
	}
	if _, err := r.ReadTree(ctx, c, "bank", 4); err == nil || !strings.Contains(err.Error(), "more than 4 bytes") {
		t.Errorf("ReadTree over the limit: %v", err)
	}
	dest := t.TempDir()
	if n, err := r.Export(ctx, c, "bank", dest, 1<<20); err != nil || n != 2 {
		t.Fatalf("Export = %d, %v", n, err)
	}
	if data, _ := os.ReadFile(filepath.Join(dest, "items", "sub", "b.yaml")); string(data) != "two\n" {
		t.Errorf("exported b.yaml = %q", data)
	}
	head, dirty, err := r.Head(ctx, "bank")
	if err != nil || dirty || len(head) != 40 {
		t.Errorf("Head = %s, %v, %v", head, dirty, err)
	}
	write(t, top, "bank/new.yaml", "x")
	if _, dirty, _ := r.Head(ctx, "bank"); !dirty {
		t.Error("an untracked file in bank does not make it dirty")
	}
	// Several paths: only changes under them count.
	if _, dirty, err := r.Head(ctx, "bank/items", "bank/forms"); err != nil || dirty {
		t.Errorf("Head(bank/items, bank/forms) = dirty %v, %v; bank/new.yaml is outside both", dirty, err)
	}
	write(t, top, "bank/items/sub/b.yaml", "TWO\n")
	if _, dirty, _ := r.Head(ctx, "bank/items", "bank/forms"); !dirty {
		t.Error("an edited file under bank/items does not make it dirty")
	}
	if _, dirty, _ := r.Head(ctx); !dirty {
		t.Error("Head() does not look at the whole tree")
	}

	var rnf *RevNotFoundError
	_, err = r.Commit(ctx, "abc1234")
	if !errors.As(err, &rnf) || err.Error() != "REV abc1234 not found in this repository; in a shallow CI checkout fetch it first: git fetch --depth=1 origin <the full commit hash> (git cannot fetch an abbreviated hash such as abc1234)" {
		t.Errorf("Commit(abc1234) = %v", err)
	}
	if _, err := r.Commit(ctx, "--output=/tmp/x"); err == nil || errors.As(err, &rnf) {
		t.Errorf("an option-like revision was not refused: %v", err)
	}
	if _, err := Open(ctx, t.TempDir()); !errors.Is(err, ErrNotRepo) {
		t.Errorf("Open outside a repository = %v", err)
	}
}

func TestFetchHint(t *testing.T) {
	hash := strings.Repeat("0123456789", 4)
	for _, tt := range []struct{ rev, want string }{
		{hash, "git fetch --depth=1 origin " + hash},
		{"abc1234", "git fetch --depth=1 origin <the full commit hash> (git cannot fetch an abbreviated hash such as abc1234)"},
		{"HEAD~3", "git fetch --deepen=N, for N commits more of history (HEAD~N needs N), or name a tag, branch or full commit hash as REV"},
		{"main^", "git fetch --deepen=N, for N commits more of history (HEAD~N needs N), or name a tag, branch or full commit hash as REV"},
		{"origin/main", "git fetch --depth=1 origin main"},
		{"refs/tags/v1.0.0", "git fetch --depth=1 origin refs/tags/v1.0.0:refs/tags/v1.0.0"},
		{"v1.0.0", "git fetch --depth=1 origin tag v1.0.0 for a tag, or for a branch git fetch --depth=1 origin v1.0.0 and REV origin/v1.0.0"},
	} {
		if got := FetchHint(tt.rev); got != tt.want {
			t.Errorf("FetchHint(%q) = %q; want %q", tt.rev, got, tt.want)
		}
	}
}
