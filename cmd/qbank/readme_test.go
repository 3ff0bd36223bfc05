package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/rules"
)

// TestREADMEDocumentsEveryCommandAndRule keeps the documentation (README.md
// and docs/*.md) in step with the code: every command has a section, every
// rule a row in a rule table.
func TestREADMEDocumentsEveryCommandAndRule(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, path := range append([]string{"../../README.md"}, files...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	docs := all.String()
	for _, cmd := range newApp(nil, io.Discard, io.Discard).Commands {
		if !strings.Contains(docs, "### `qbank "+cmd.Name) {
			t.Errorf("neither README.md nor docs/ has a section for qbank %s", cmd.Name)
		}
	}
	for _, r := range rules.All() {
		if !strings.Contains(docs, "| `"+r.ID+"` |") && !strings.Contains(docs, "`"+r.ID+"` (error)") {
			t.Errorf("no rule table of README.md or docs/ lists %s", r.ID)
		}
	}
}
