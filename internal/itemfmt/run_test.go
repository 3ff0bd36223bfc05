package itemfmt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const messyItem = "status: draft\nid: A-0001\nrevision: 1\n"

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runAll(t *testing.T, args []string, write bool) []*Result {
	t.Helper()
	files, err := Files(args)
	if err != nil {
		t.Fatal(err)
	}
	var got []*Result
	if err := Run(context.Background(), files, RunOptions{Write: write, Workers: 3}, func(r *Result) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	return got
}

func problems(r *Result) string {
	var s []string
	for _, e := range r.Problems {
		s = append(s, e.Error())
	}
	return strings.Join(s, "; ")
}

// A symbolic link from items/ to a file outside the bank is refused, with
// lint's message, and neither read (fmt -d would print it) nor written
// (fmt -w would rewrite it); a link inside items/ is formatted.
func TestRunRefusesLinksOutOfTheBank(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"bank/exam.yaml":           "exam: X\n",
		"bank/items/a/A-0001.yaml": messyItem,
		"outside/secret.yaml":      messyItem,
	})
	j := func(s string) string { return filepath.Join(dir, s) }
	if err := os.Symlink(j("outside/secret.yaml"), j("bank/items/a/A-0002.yaml")); err != nil {
		t.Skipf("no symlinks: %v", err)
	}
	if err := os.Symlink("A-0001.yaml", j("bank/items/a/A-0003.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{j("bank")}, {j("bank/items/a/A-0002.yaml")}, {j("bank/items/a")}} {
		got := runAll(t, args, true)
		var link *Result
		for _, r := range got {
			if r.File.Path == j("bank/items/a/A-0002.yaml") {
				link = r
			}
		}
		if link == nil {
			t.Fatalf("%v: the link was not listed", args)
		}
		want := "1:1: symbolic link to a file outside its folder (" + j("outside/secret.yaml") + "); qbank reads only files inside the bank: copy the file here instead"
		if problems(link) != want || link.Data != nil || link.Written {
			t.Errorf("%v: got %q, read %v, written %v; want %q, unread", args, problems(link), link.Data != nil, link.Written, want)
		}
	}
	if got, _ := os.ReadFile(j("outside/secret.yaml")); string(got) != messyItem {
		t.Errorf("fmt -w rewrote the file outside the bank: %q", got)
	}
	// The link inside the bank was formatted (through A-0001.yaml or A-0003.yaml).
	if got, _ := os.ReadFile(j("bank/items/a/A-0001.yaml")); string(got) == messyItem {
		t.Error("the item inside the bank was not formatted")
	}
	if st, _ := os.Lstat(j("bank/items/a/A-0003.yaml")); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link inside the bank is no longer a link")
	}
}

// A read-only file is refused by -w, with "permission denied", and left
// as it was; the other files are still written.
func TestRunRefusesReadOnlyFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ro/A-0001.yaml": messyItem, "ro/A-0002.yaml": messyItem})
	ro := filepath.Join(dir, "ro/A-0001.yaml")
	if err := os.Chmod(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	got := runAll(t, []string{filepath.Join(dir, "ro")}, true)
	if len(got) != 2 || !strings.Contains(problems(got[0]), "not written: open "+ro+": permission denied") || got[0].Written {
		t.Fatalf("got %q, written %v; want permission denied", problems(got[0]), got[0].Written)
	}
	if !got[1].Written {
		t.Errorf("the writable file was not written: %q", problems(got[1]))
	}
	data, _ := os.ReadFile(ro)
	st, _ := os.Stat(ro)
	if string(data) != messyItem || st.Mode().Perm() != 0o444 {
		t.Errorf("the read-only file changed: %q mode %v", data, st.Mode().Perm())
	}
}

// exam.yaml, forms and stats.yaml are refused, by where they are and by
// what they hold, and never get an item layout.
func TestRunRefusesFilesThatAreNotItems(t *testing.T) {
	dir := t.TempDir()
	form := "form: F-1\nversion: 1\nexam: X\nspec: s\nitems:\n  - {id: A-0001, revision: 1, role: scored}\n"
	writeFiles(t, dir, map[string]string{
		"bank/exam.yaml":      "title: X\nexam: X\n",
		"bank/forms/F-1.yaml": messyItem, // an item's content, in the wrong place
		"copy/F-1.yaml":       form,      // a form outside any bank
	})
	j := func(s string) string { return filepath.Join(dir, s) }
	got := runAll(t, []string{j("bank/exam.yaml"), j("bank/forms"), j("copy/F-1.yaml")}, true)
	want := []string{
		"1:1: not an item file: this is the exam blueprint; qbank fmt formats item files only (items/<domain-id>/<ID>.yaml) and leaves it unchanged",
		"1:1: not an item file: this is a form; qbank fmt formats item files only (items/<domain-id>/<ID>.yaml) and leaves it unchanged",
		"1:1: not an item file: this is a form (it has form: and no id:); qbank fmt formats item files only (items/<domain-id>/<ID>.yaml) and leaves it unchanged",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results; want %d", len(got), len(want))
	}
	for i, r := range got {
		if problems(r) != want[i] || r.Written {
			t.Errorf("%s: got %q (written %v); want %q", r.File.Path, problems(r), r.Written, want[i])
		}
	}
	if data, _ := os.ReadFile(j("copy/F-1.yaml")); string(data) != form {
		t.Errorf("the form was rewritten: %q", data)
	}
}

// Results come in the order of the files, whatever the workers do, and
// every file that differs is written.
func TestRunKeepsOrder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 200 {
		files[fmt.Sprintf("x/A-%04d.yaml", i)] = messyItem
	}
	writeFiles(t, dir, files)
	got := runAll(t, []string{filepath.Join(dir, "x")}, true)
	if len(got) != 200 {
		t.Fatalf("%d results", len(got))
	}
	for i, r := range got {
		if want := filepath.Join(dir, fmt.Sprintf("x/A-%04d.yaml", i)); r.File.Path != want || !r.Written {
			t.Fatalf("result %d: %s written %v; want %s written", i, r.File.Path, r.Written, want)
		}
	}
	if again := runAll(t, []string{filepath.Join(dir, "x")}, false); again[0].Changed() {
		t.Error("a second run finds changes")
	}
}
