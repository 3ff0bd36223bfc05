package lint

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank/qbank/internal/testbank"
)

// FuzzLintItem runs arbitrary item files through the whole linter (loader
// and every rule, including the text-position mapping of negative-stem and
// select-phrase). It must never panic and every finding has a position.
func FuzzLintItem(f *testing.F) {
	f.Add([]byte(testbank.SmallItem("AL-0001", "x")))
	f.Add([]byte("id: AL-0001\nstem: \"not (Select\"\n"))
	f.Add([]byte("id: AL-0001\nrevision: 1\nstatus: operational\ndomain: alpha\ntask: \"1.1\"\ntype: multiple\nstem: >\n  Which is not\n  (select two\noptions: [{text: a, correct: true}, {text: A}]\n"))
	f.Add([]byte("\ufeff{id: AL-0001, revision: 1, status: draft, domain: alpha, task: \"1.1\", type: single,\r\n stem: \"a \\x41\\\r\n  not 'x' \\\" (Select\", options: [{text: a, correct: true}, {text: b}]}\r\n"))
	f.Add([]byte("id: AL-0001\nrevision: 1\nstatus: draft\ndomain: alpha\ntask: \"1.1\"\ntype: single\nstem: 'it''s\n\n  not'\noptions: [{text: a, correct: true}, {text: b}]\n"))
	dir := f.TempDir()
	testbank.WriteSmall(f, dir, map[string]string{})
	path := filepath.Join(dir, "items", "alpha", "AL-0001.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range res.Findings {
			if fd.Line < 1 || fd.Column < 1 || fd.Message == "" {
				t.Fatalf("finding without position or message: %+v", fd)
			}
		}
	})
}
