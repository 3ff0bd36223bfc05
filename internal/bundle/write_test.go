package bundle

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/testbank"
)

// A run killed between renaming the directory into place and linking the
// archive leaves the directory alone. The next run with --archive of the
// same build completes the pair (the archive is byte-identical to a
// normal run's); a different build is still refused, and the version is
// never blocked for ever.
func TestWriteCompletesMissingArchive(t *testing.T) {
	ctx := context.Background()
	b := build(t, testbank.ReleaseBank(t), Options{Key: testKey()})
	out := filepath.Join(t.TempDir(), "dist")
	dir, archive, err := Write(ctx, out, b, WriteOptions{Archive: true})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(archive)
	os.Remove(archive) // the kill

	// Another build of the version (unsigned here) is refused, nothing
	// written.
	other := build(t, testbank.ReleaseBank(t), Options{})
	if _, _, err := Write(ctx, out, other, WriteOptions{Archive: true}); !errors.Is(err, ErrExists) {
		t.Fatalf("completing with another build = %v; want ErrExists", err)
	}
	if _, err := os.Lstat(archive); err == nil {
		t.Fatal("an archive of another build was linked beside the directory")
	}
	// Without --archive nothing is to be completed: refused.
	if _, _, err := Write(ctx, out, b, WriteOptions{}); !errors.Is(err, ErrExists) {
		t.Fatalf("Write without archive over the directory = %v; want ErrExists", err)
	}
	incomplete, err := CheckTargets(out, b.Name, true)
	if err != nil || !incomplete {
		t.Fatalf("CheckTargets = %v, %v; want incomplete", incomplete, err)
	}
	// The same build completes it.
	before, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if _, _, err := Write(ctx, out, b, WriteOptions{Archive: true}); err != nil {
		t.Fatalf("completing the bundle: %v", err)
	}
	got, err := os.ReadFile(archive)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("completed archive differs from a normal run's (%v)", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if !bytes.Equal(before, after) {
		t.Error("completing rewrote the directory")
	}
	if _, _, err := Write(ctx, out, b, WriteOptions{Archive: true}); !errors.Is(err, ErrExists) {
		t.Fatalf("Write of a complete bundle = %v; want ErrExists", err)
	}
	// A directory that was changed is not completed.
	os.Remove(archive)
	if err := os.WriteFile(filepath.Join(dir, "forms", "extra.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Write(ctx, out, b, WriteOptions{Archive: true}); !errors.Is(err, ErrExists) {
		t.Fatalf("completing a changed directory = %v; want ErrExists", err)
	}
}

// The temporary directories and archives of killed runs are removed by the
// next run once stale; a concurrent run's (young) ones and other files
// are left alone.
func TestWriteCleansStaleTemporaries(t *testing.T) {
	out := t.TempDir()
	old := strconv.FormatInt(time.Now().Add(-2*atomicfile.StaleAge).Unix(), 10)
	young := strconv.FormatInt(time.Now().Unix(), 10)
	staleDir := filepath.Join(out, ".TST-01-0.9.0.tmp-"+old+"-11")
	staleArc := filepath.Join(out, ".TST-01-0.9.0.tar.gz.tmp-"+old+"-12")
	youngDir := filepath.Join(out, ".TST-01-0.9.1.tmp-"+young+"-13")
	mine := filepath.Join(out, ".keep.tmp")
	for _, d := range []string{staleDir, youngDir} {
		if err := os.MkdirAll(filepath.Join(d, "forms"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{staleArc, mine} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := build(t, testbank.ReleaseBank(t), Options{})
	if _, _, err := Write(context.Background(), out, b, WriteOptions{Archive: true}); err != nil {
		t.Fatal(err)
	}
	for p, keep := range map[string]bool{staleDir: false, staleArc: false, youngDir: true, mine: true} {
		if _, err := os.Lstat(p); (err == nil) != keep {
			t.Errorf("%s: kept %v; want %v", filepath.Base(p), err == nil, keep)
		}
	}
}
