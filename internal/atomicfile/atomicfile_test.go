package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestCreateNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "A-0001.yaml")
	if err := Create(p, []byte("first\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Create(p, []byte("second\n"), 0o644)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Create: got %v; want fs.ErrExist", err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "first\n" {
		t.Fatalf("content %q; the existing file was overwritten", got)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v; want 0644", st.Mode().Perm())
	}
	assertNoTemp(t, dir, 1)
}

func TestReplaceKeepsModeAndChecksOld(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "x.yaml")
	if err := os.WriteFile(p, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Replace(p, []byte("new\n"), []byte("stale\n")); !errors.Is(err, ErrChanged) {
		t.Fatalf("Replace with stale old: got %v; want ErrChanged", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "old\n" {
		t.Fatalf("a refused Replace changed the file: %q", got)
	}
	if err := Replace(p, []byte("new\n"), []byte("old\n")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(got) != "new\n" || st.Mode().Perm() != 0o600 {
		t.Fatalf("got %q mode %v; want \"new\\n\" mode 0600", got, st.Mode().Perm())
	}
	assertNoTemp(t, dir, 1)
}

func TestReplaceFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.yaml")
	link := filepath.Join(dir, "link.yaml")
	if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target.yaml", link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := Replace(link, []byte("new\n"), nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Lstat(link); st.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced by a regular file")
	}
	if got, _ := os.ReadFile(target); string(got) != "new\n" {
		t.Fatalf("target holds %q", got)
	}
}

func assertNoTemp(t *testing.T, dir string, want int) {
	t.Helper()
	es, _ := os.ReadDir(dir)
	if len(es) != want {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %v; want %d file(s), no temporary files left", names, want)
	}
}
