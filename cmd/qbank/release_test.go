package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/testbank"
)

// runQbank runs the CLI in process and returns its exit status, standard
// output and standard error.
func runQbank(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"qbank"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestReleaseExitStatus pins the exit status of the release commands:
// 0 success, 1 refused or failed verification, 2 could not run.
func TestReleaseExitStatus(t *testing.T) {
	work := t.TempDir()
	bankDir := testbank.WriteFiles(t, filepath.Join(work, "bank"), testbank.ReleaseFiles())
	dist := filepath.Join(work, "dist")
	key := filepath.Join(work, "rel")
	bundleDir := filepath.Join(dist, "TST-01-1.0.0")

	broken := testbank.WriteFiles(t, filepath.Join(work, "broken"), testbank.ReleaseFiles())
	os.WriteFile(filepath.Join(broken, "items/beta/BE-0002.yaml"), []byte(testbank.Edit(t, testbank.ReleaseItem("BE-0002", "operational"), "    why: It sends e-mail only.\n", "")), 0o644)

	steps := []struct {
		name string
		args []string
		code int
		want string // in stdout or stderr
	}{
		{"keygen", []string{"keygen", key}, 0, "key id "},
		{"keygen again", []string{"keygen", key}, 1, "refusing to overwrite"},
		{"bundle", []string{"bundle", "--version", "1.0.0", "--all", "--archive", "--sign", key + ".key", "--out", dist, bankDir}, 0, "signed by key"},
		{"bundle existing", []string{"bundle", "--version", "1.0.0", "--all", "--out", dist, bankDir}, 1, "already exists"},
		{"bundle lint error", []string{"bundle", "--version", "2.0.0", "--all", "--out", dist, broken}, 1, "[missing-why]"},
		{"bundle bad version", []string{"bundle", "--version", "1.0", "--all", bankDir}, 2, "not a semantic version"},
		{"bundle no forms named", []string{"bundle", "--version", "1.0.0", bankDir}, 2, "--forms F1,F2"},
		{"bundle bad key", []string{"bundle", "--version", "3.0.0", "--all", "--sign", filepath.Join(work, "nope.key"), "--out", dist, bankDir}, 2, "no such file"},
		{"verify", []string{"verify", "--pubkey", key + ".pub", bundleDir}, 0, "ok: signature by key"},
		{"verify archive, flags last", []string{"verify", bundleDir + ".tar.gz", "--pubkey", key + ".pub"}, 0, "ok: signature by key"},
		{"verify missing", []string{"verify", filepath.Join(work, "nope")}, 2, "cannot read bundle"},
		{"verify bad pubkey", []string{"verify", "--pubkey", key + ".key", bundleDir}, 2, "expected \"QBANK ED25519 PUBLIC KEY\""},
		{"verify not an archive", []string{"verify", key + ".pub"}, 1, "not a gzip-compressed tar archive"},
		{"diff", []string{"diff", bundleDir, bankDir}, 0, "No changes"},
		{"diff neither", []string{"diff", dist, bankDir}, 2, "neither a bundle"},
	}
	for _, s := range steps {
		code, out, errOut := runQbank(t, s.args...)
		if code != s.code || !strings.Contains(out+errOut, s.want) {
			t.Errorf("%s: exit %d; want %d with %q\nstdout:\n%s\nstderr:\n%s", s.name, code, s.code, s.want, out, errOut)
		}
	}
	// Tampering fails verification with status 1.
	os.WriteFile(filepath.Join(bundleDir, "keys", "TST-01-MINI-A.json"), []byte("{}\n"), 0o644)
	if code, out, _ := runQbank(t, "verify", bundleDir); code != 1 || !strings.Contains(out, "FAIL keys/TST-01-MINI-A.json: changed") {
		t.Errorf("verify of a changed file: exit %d\n%s", code, out)
	}
}

func TestLintSinceExitStatus(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	top := t.TempDir()
	bankDir := testbank.WriteFiles(t, filepath.Join(top, "bank"), testbank.ReleaseFiles())
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-q", "-m", "v1"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = top
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if code, out, errOut := runQbank(t, "lint", "--since", "HEAD", bankDir); code != 0 {
		t.Errorf("clean: exit %d\n%s%s", code, out, errOut)
	}
	p := filepath.Join(bankDir, "items/beta/BE-0001.yaml")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(data), "A company plans", "A startup plans", 1)), 0o644)
	if code, out, _ := runQbank(t, "lint", "--since", "HEAD", bankDir); code != 1 || !strings.Contains(out, "[revision-bump]") {
		t.Errorf("edited: exit %d\n%s", code, out)
	}
	if code, _, errOut := runQbank(t, "lint", "--since", "deadbeef", bankDir); code != 2 || !strings.Contains(errOut, "REV deadbeef not found") {
		t.Errorf("missing rev: exit %d\n%s", code, errOut)
	}
}
