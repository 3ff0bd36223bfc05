// Package testbank holds the fixtures of qbank's tests, in one place: the
// blueprints and items of the test banks, a way to write a bank to disk, a
// guarded edit, and golden files with one update switch.
//
//   - The small bank (SmallExam, SmallItem, WriteSmall): a two-domain
//     blueprint and valid items that lint tests break on purpose.
//   - The release bank (ReleaseExam, ReleaseItem, ReleaseMultipleItem,
//     FormA, FormB, ReleaseFiles, ReleaseBank): eight items and two forms
//     that pass lint and check, for the release packages and the CLI.
//   - Pools (package testbank/pool): the CLF-C02 blueprint and one of
//     another shape, random item pools and in-memory banks, for check and
//     assemble. They need package bank, whose own tests use this package,
//     so they live in a sub-package.
//   - Golden files (Golden, Update): `go test -update` rewrites them, and
//     the same flag rewrites the CLI's testscript scripts.
//
// Only tests import it.
package testbank

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and the expected output of test scripts instead of comparing with them")

// Update reports whether the test binary runs with -update.
func Update() bool { return *update }

// Golden compares got with the file at path, or writes got there under
// -update.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Edit returns src with old replaced by new once, failing the test when src
// lacks old (so a fixture change cannot silently void a test).
func Edit(t testing.TB, src, old, new string) string {
	t.Helper()
	if !strings.Contains(src, old) {
		t.Fatalf("fixture lacks %q", old)
	}
	return strings.Replace(src, old, new, 1)
}

// WriteFiles writes files (path relative to dir -> content) under dir,
// creating folders, and returns dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
