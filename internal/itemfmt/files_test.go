package itemfmt

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestFilesExpandsBanksToTheirItems(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"bank/exam.yaml", "bank/stats.yaml", "bank/forms/F-1.yaml",
		"bank/items/b/B-0001.yaml", "bank/items/a/A-0002.yaml", "bank/items/a/notes.txt",
		"loose/x.yaml", "loose/sub/y.yaml", "loose/z.yml",
	} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("id: A-1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j := func(s string) string { return filepath.Join(dir, s) }
	got, err := filePaths([]string{j("bank"), j("loose"), j("loose/z.yml"), j("bank/items/a/A-0002.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{j("bank/items/a/A-0002.yaml"), j("bank/items/b/B-0001.yaml"), j("loose/sub/y.yaml"), j("loose/x.yaml"), j("loose/z.yml")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if _, err := Files([]string{j("missing")}); err == nil {
		t.Error("a missing path must be an error")
	}
}

func TestReadFileLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(p, []byte(strings.Repeat("a", 11)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p, 10); err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Errorf("got %v; want a size error", err)
	}
	if data, err := ReadFile(p, 11); err != nil || len(data) != 11 {
		t.Errorf("got %d bytes, %v", len(data), err)
	}
}

// A directory named through a symlink (or a bank whose items/ is one) is
// walked: fmt must not pass a CI gate by finding nothing. Paths are
// reported under the name given.
func TestFilesFollowsSymlinkedRoots(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"real/items/a/A-0001.yaml", "bank/exam.yaml", "loose/x.yaml"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("id: A-1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j := func(s string) string { return filepath.Join(dir, s) }
	if err := os.Symlink(j("real/items"), j("bank/items")); err != nil {
		t.Skipf("no symlinks: %v", err)
	}
	if err := os.Symlink("loose", j("link")); err != nil {
		t.Fatal(err)
	}
	got, err := filePaths([]string{j("bank"), j("link")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{j("bank/items/a/A-0001.yaml"), j("link/x.yaml")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// "qbank fmt ." at a repository root must format the bank's items only:
// not exam.yaml, the forms, stats.yaml or hidden files and folders such as
// .github (inside items/ every *.yaml counts, as for the loader).
func TestFilesFindsBanksBelowTheRoot(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"repo/bank/exam.yaml", "repo/bank/stats.yaml", "repo/bank/forms/F-1.yaml",
		"repo/bank/items/a/A-0001.yaml", "repo/bank/items/.hidden/A-0002.yaml",
		"repo/.github/workflows/ci.yaml", "repo/.pre-commit-hooks.yaml", "repo/extra/x.yaml",
	} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("id: A-1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j := func(s string) string { return filepath.Join(dir, s) }
	got, err := filePaths([]string{j("repo")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{j("repo/bank/items/.hidden/A-0002.yaml"), j("repo/bank/items/a/A-0001.yaml"), j("repo/extra/x.yaml")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func filePaths(args []string) ([]string, error) {
	fs, err := Files(args)
	var out []string
	for _, f := range fs {
		out = append(out, f.Path)
	}
	return out, err
}

// Files says which files are not items (exam.yaml, forms, stats.yaml,
// named directly or through a folder of the bank), and which folder a
// symbolic link must stay in: the bank's items/, the folder walked, or a
// loose file's own folder.
func TestFilesPlacesFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"bank/exam.yaml", "bank/stats.yaml", "bank/forms/F-1.yaml", "bank/notes/n.yaml",
		"bank/items/a/A-0001.yaml", "loose/x.yaml", "loose/sub/y.yaml",
	} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("id: A-1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j := func(s string) string { return filepath.Join(dir, s) }
	got, err := Files([]string{
		j("bank/exam.yaml"), j("bank/stats.yaml"), j("bank/forms"), j("bank/notes/n.yaml"),
		j("bank/items/a/A-0001.yaml"), j("bank/items/a"), j("loose"), j("loose/sub/y.yaml"), j("bank"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []File{
		{j("bank/exam.yaml"), "", "the exam blueprint"},
		{j("bank/stats.yaml"), "", "the item statistics"},
		{j("bank/forms/F-1.yaml"), j("bank/forms"), "a form"},
		{j("bank/notes/n.yaml"), "", "a file of the bank outside its items/"},
		{j("bank/items/a/A-0001.yaml"), j("bank/items"), ""},
		{j("loose/sub/y.yaml"), j("loose"), ""},
		{j("loose/x.yaml"), j("loose"), ""},
	}
	// exam.yaml and stats.yaml named alone get their folder as the root.
	want[0].Root, want[1].Root, want[3].Root = j("bank"), j("bank"), j("bank/notes")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}
