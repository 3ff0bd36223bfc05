package scorerun

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/lint"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/testbank"
	"github.com/qbank/qbank/schema"
)

// releaseBundle builds the test bank's bundle (form TST-01-MINI-A: scored
// AL-0003 (key A,C) at 1 and BE-0001 (key A) at 3, pretest at 2 and 4; all
// b provisional 0, so the table is raw 0/1/2 -> 527/700/873).
func releaseBundle(t *testing.T) string {
	t.Helper()
	res, err := lint.Run(context.Background(), testbank.ReleaseBank(t), lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Build(res.Bank, bundle.Options{Version: "1.0.0", Tool: bundle.Tool{Name: "qbank", Version: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	dir, _, err := bundle.Write(context.Background(), t.TempDir(), b, bundle.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRun(t *testing.T) {
	dir := releaseBundle(t)
	resp := filepath.Join(t.TempDir(), "r.jsonl")
	lines := `{"attempt": "a1", "candidate": "c1", "bundle": "1.0.0", "form": "TST-01-MINI-A", "answers": ["C,A", "B", "A", "C"]}
{"attempt": "a2", "candidate": "c2", "bundle": "1.0.0", "form": "TST-01-MINI-A", "answers": ["A,C", "A", "A", ""]}
{"attempt": "a3", "candidate": "c3", "bundle": "1.0.0", "form": "TST-01-MINI-A", "answers": ["", "", "", ""]}
{"attempt": "a4", "candidate": "c4", "bundle": "1.0.0", "form": "TST-01-MINI-A", "answers": ["A"]}
`
	if err := os.WriteFile(resp, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := Run(context.Background(), Input{Bundles: []string{dir}, Files: []string{resp}, Attempts: responses.All})
	if err != nil {
		t.Fatal(err)
	}
	if out.Summary != (Summary{Attempts: 3, Passed: 2, Rejected: 1}) || len(out.Read.Findings) != 1 || out.Read.Findings[0].Line != 4 {
		t.Fatalf("summary %+v, findings %v", out.Summary, out.Read.Findings)
	}
	wantScaled := []int{873, 873, 527}
	for i, r := range out.Reports {
		if r.Scaled != wantScaled[i] || r.Max != 2 || r.PretestIgnored != 2 || !r.Provisional {
			t.Errorf("report %d: %+v", i, r)
		}
	}
	// a1 and a2 differ only in their pretest answers (and letter order).
	a, b := out.Reports[0], out.Reports[1]
	a.Attempt, a.Candidate, b.Attempt, b.Candidate = "", "", "", ""
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("pretest answers changed the report:\n%s\n%s", ja, jb)
	}
	// The JSON document qbank score writes validates against its schema.
	doc, _ := json.Marshal(map[string]any{"attempts": out.Reports, "summary": out.Summary})
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	if err := schema.MustCompile("score-report").Validate(v); err != nil {
		t.Errorf("score report does not validate: %v", err)
	}
}

func TestRunRefusesBundlesItCannotUse(t *testing.T) {
	if _, err := Run(context.Background(), Input{}); err == nil {
		t.Error("no bundle accepted")
	}
	if _, err := Run(context.Background(), Input{Bundles: []string{t.TempDir()}}); err == nil {
		t.Error("an empty directory accepted as a bundle")
	}
}
