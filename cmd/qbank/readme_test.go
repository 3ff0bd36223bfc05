package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/rules"
)

// TestREADMEDocumentsEveryCommandAndRule keeps the README's command
// reference and rule tables in step with the code.
func TestREADMEDocumentsEveryCommandAndRule(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, cmd := range newApp(nil, io.Discard, io.Discard).Commands {
		if !strings.Contains(readme, "### `qbank "+cmd.Name) {
			t.Errorf("README has no section for qbank %s", cmd.Name)
		}
	}
	for _, r := range rules.All() {
		if !strings.Contains(readme, "| `"+r.ID+"` |") && !strings.Contains(readme, "`"+r.ID+"` (error)") {
			t.Errorf("README's rule tables lack %s", r.ID)
		}
	}
}
