package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/testbank"
)

// TestRefusalMessages pins the exact exit status and message of refusals
// and usage errors that used to give the wrong status, a bare system error
// or a Go value.
func TestRefusalMessages(t *testing.T) {
	work := t.TempDir()
	bankDir := testbank.WriteFiles(t, filepath.Join(work, "bank"), testbank.ReleaseFiles())
	key := filepath.Join(work, "rel")
	if code, _, errOut := runQbank(t, "keygen", key); code != 0 {
		t.Fatalf("keygen: exit %d: %s", code, errOut)
	}
	blueprint := testbank.WriteFiles(t, filepath.Join(work, "blueprint"), testbank.ReleaseFiles())
	exam := filepath.Join(blueprint, "exam.yaml")
	data, err := os.ReadFile(exam)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(exam, []byte(strings.Replace(string(data), "weight: 50", "weight: 40", 1)), 0o644)

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // the first line, exactly
	}{
		{"keygen refuses to overwrite with status 1", []string{"keygen", key}, 1,
			"qbank: refusing to overwrite: " + key + ".key: file already exists; keys are never overwritten (remove it or choose another name)"},
		{"assemble --replace names the forms, not a Go slice", []string{"assemble", "--replace", "NOPE", bankDir}, 2,
			"qbank: no valid form NOPE in the bank (forms: TST-01-MINI-A, TST-01-MINI-B); qbank check reports forms that fail to load"},
		{"fmt on a missing path says what fmt takes", []string{"fmt", filepath.Join(work, "nobank")}, 2,
			"qbank: " + filepath.Join(work, "nobank") + ": no such file or directory; fmt takes item files, folders of them or a bank directory (the default is ./bank)"},
		{"one blueprint problem is singular", []string{"lint", "--format", "json", blueprint}, 2,
			"qbank: " + exam + ": invalid exam blueprint (1 problem)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runQbank(t, tt.args...)
			first, _, _ := strings.Cut(errOut, "\n")
			if code != tt.code || first != tt.stderr {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d, first line:\n%s", code, errOut, tt.code, tt.stderr)
			}
		})
	}
}

// TestAssembleDocumentsItsDefaults: --forms and --seed are optional, so
// the usage line and the description say what they default to.
func TestAssembleDocumentsItsDefaults(t *testing.T) {
	code, out, _ := runQbank(t, "assemble", "--help")
	for _, want := range []string{
		"assemble --spec S [--forms N] [--seed K] [--max-overlap F] [--out DIR] writes N new forms of spec S\n",
		"(N defaults to 1, and the seed K to 1: the same seed always gives the same forms),\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d; assemble --help lacks %q:\n%s", code, want, out)
		}
	}
	doc, err := os.ReadFile("../../docs/releasing.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "### `qbank assemble --spec S [--forms N] [--seed K] [--max-overlap F] [--out DIR] [BANK]`\n\nWrites N new forms of spec S (N and the seed K default to 1;") {
		t.Error("docs/releasing.md's assemble section does not show --forms and --seed as optional with their defaults")
	}
}
