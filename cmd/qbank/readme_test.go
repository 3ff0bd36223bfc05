package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/rules"
)

// readDocs returns README.md and docs/*.md by path.
func readDocs(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, path := range append([]string{"../../README.md"}, files...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs[path] = string(data)
	}
	return docs
}

// TestREADMEDocumentsEveryCommandAndRule keeps the documentation in step
// with the code: the README's command table lists every command, and
// README.md or docs/ has a section for it (or the table links to the doc
// that describes it); every rule has a row in a rule table.
func TestREADMEDocumentsEveryCommandAndRule(t *testing.T) {
	docs := readDocs(t)
	var all strings.Builder
	for _, d := range docs {
		all.WriteString(d)
	}
	readme := docs["../../README.md"]
	for _, cmd := range newApp(nil, io.Discard, io.Discard).Commands {
		row := regexp.MustCompile("(?m)^\\| `qbank " + cmd.Name + "` \\|.*\\]\\(docs/([a-z0-9-]+\\.md)")
		m := row.FindStringSubmatch(readme)
		if m == nil {
			t.Errorf("README's command table has no row for qbank %s linking to its doc", cmd.Name)
			continue
		}
		linked := docs["../../docs/"+m[1]]
		if !strings.Contains(all.String(), "### `qbank "+cmd.Name) && !strings.Contains(linked, "qbank "+cmd.Name) {
			t.Errorf("neither README.md nor docs/ describes qbank %s", cmd.Name)
		}
	}
	for _, r := range rules.All() {
		if !strings.Contains(all.String(), "| `"+r.ID+"` |") {
			t.Errorf("no rule table of README.md or docs/ lists %s", r.ID)
		}
	}
}

// TestDocLinksResolve: every relative link of README.md and docs/*.md
// names a file of the repository.
func TestDocLinksResolve(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)#:\s]+)(#[^)]*)?\)`)
	for path, doc := range readDocs(t) {
		for _, m := range link.FindAllStringSubmatch(doc, -1) {
			target := filepath.Join(filepath.Dir(path), m[1])
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s links to %s, which does not exist", path, m[1])
			}
		}
	}
}

// TestFormatDocIsTheContract: docs/format.md is the shipped copy of the
// format contract, kept in step with ../shared/FORMAT.md where that exists
// (beside the repository; not in a plain clone).
func TestFormatDocIsTheContract(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/FORMAT.md")
	if os.IsNotExist(err) {
		t.Skip("no ../shared/FORMAT.md beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile("../../docs/format.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(ours) != string(shared) {
		t.Error("docs/format.md differs from ../shared/FORMAT.md; copy it: cp ../shared/FORMAT.md docs/format.md")
	}
}
