package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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

// A read-only file is refused, as gofmt refuses it, and stays as it was;
// the check holds for root too (the mode bits say "do not change me").
func TestReplaceRefusesReadOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "ro.yaml")
	if err := os.WriteFile(p, []byte("old\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	err := Replace(p, []byte("new\n"), nil)
	if !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("Replace of a 0444 file: got %v; want fs.ErrPermission", err)
	}
	if !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("message %q does not say permission denied", err)
	}
	got, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(got) != "old\n" || st.Mode().Perm() != 0o444 {
		t.Fatalf("got %q mode %v; the read-only file was changed", got, st.Mode().Perm())
	}
	assertNoTemp(t, dir, 1)
}

// On a file system without hard links Create falls back to an exclusive
// create: the content arrives, and an existing file is still never
// overwritten.
func TestCreateFallbackWithoutHardLinks(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{link: func(oldname, newname string) error {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
	}}
	p := filepath.Join(dir, "k.pub")
	if err := w.Create(p, []byte("first\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(got) != "first\n" || st.Mode().Perm() != 0o600 {
		t.Fatalf("got %q mode %v; want \"first\\n\" mode 0600", got, st.Mode().Perm())
	}
	assertNoTemp(t, dir, 1)
	// The name is taken between staging and commit: the fallback's
	// O_EXCL refuses too.
	s, err := w.StageCreate(filepath.Join(dir, "late"), []byte("second\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "late"), []byte("theirs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("fallback commit over a new file: got %v; want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "late")); string(got) != "theirs\n" {
		t.Fatalf("the fallback overwrote a file: %q", got)
	}
	assertNoTemp(t, dir, 2)
}

func TestCreateSetsModTime(t *testing.T) {
	dir := t.TempDir()
	mt := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	p := filepath.Join(dir, "a.tar.gz")
	if err := (&Writer{ModTime: mt}).Create(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); !st.ModTime().Equal(mt) {
		t.Errorf("mtime %v; want %v", st.ModTime(), mt)
	}
}

// A batch writer replaces many files and syncs directories at the end.
func TestBatchReplace(t *testing.T) {
	dir := t.TempDir()
	w := NewBatch()
	for _, n := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := w.Replace(p, []byte("new "+n), []byte("old")); err != nil {
			t.Fatal(err)
		}
	}
	if len(w.pending) != 1 || !w.pending[dir] {
		t.Errorf("pending directory syncs %v; want just %s", w.pending, dir)
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if len(w.pending) != 0 {
		t.Errorf("pending after Sync: %v", w.pending)
	}
	for _, n := range []string{"a", "b", "c"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != "new "+n {
			t.Errorf("%s holds %q", n, got)
		}
	}
	assertNoTemp(t, dir, 3)
}

func TestCreateDir(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "B-1.0.0")
	fill := func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "manifest.json"), []byte("{}"), 0o644) }
	if err := new(Writer).CreateDir(p, fill); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(p, "manifest.json")); string(got) != "{}" {
		t.Fatalf("manifest holds %q", got)
	}
	if err := new(Writer).CreateDir(p, fill); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("CreateDir over an existing directory: got %v; want fs.ErrExist", err)
	}
	boom := errors.New("boom")
	if err := new(Writer).CreateDir(filepath.Join(dir, "C"), func(string) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v; want the fill error", err)
	}
	assertNoTemp(t, dir, 1)
}

// removeStale removes only this package's temporaries, and only old ones: a
// run in progress keeps its own.
func TestCleanRemovesStaleTemporariesOnly(t *testing.T) {
	dir := t.TempDir()
	old := strconv.FormatInt(time.Now().Add(-2*StaleAge).Unix(), 10)
	young := strconv.FormatInt(time.Now().Unix(), 10)
	for _, n := range []string{
		".A-0001.yaml.tmp-" + old + "-123",  // stale file: removed
		".A-0002.yaml.tmp-" + young + "-45", // a run in progress: kept
		".notes.tmp-" + old,                 // not our pattern: kept
		"A-0001.yaml",                       // content: kept
	} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	staleDir := filepath.Join(dir, ".X-1.0.0.tmp-"+old+"-9")
	if err := os.MkdirAll(filepath.Join(staleDir, "forms"), 0o755); err != nil {
		t.Fatal(err)
	}
	removed, err := removeStale(dir, StaleAge)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Errorf("removed %v; want the stale file and directory", removed)
	}
	var left []string
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		left = append(left, e.Name())
	}
	want := []string{".A-0002.yaml.tmp-" + young + "-45", ".notes.tmp-" + old, "A-0001.yaml"}
	if !reflect.DeepEqual(left, want) {
		t.Errorf("left %v; want %v", left, want)
	}
}

// A write into a directory clears the leftovers of a killed run there.
func TestWriteCleansStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".A-0001.yaml.tmp-"+strconv.FormatInt(time.Now().Add(-2*StaleAge).Unix(), 10)+"-1")
	if err := os.WriteFile(stale, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Create(filepath.Join(dir, "A-0002.yaml"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the stale temporary file is still there: %v", err)
	}
}
