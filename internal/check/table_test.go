package check

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/testbank"
)

// TestWriteTables renders the tables of a bank with a valid form, a form
// off its targets and a form with an unknown spec against a golden file.
func TestWriteTables(t *testing.T) {
	b := loadBank(t, map[string]string{
		"TST-02-MINI-A.yaml": goodForm,
		"TST-02-MINI-B.yaml": edit(t, goodForm, "TST-02-MINI-A", "TST-02-MINI-B", "id: BE-0002", "id: AL-0003", "version: 1", "version: 4"),
		"TST-02-MAXI-A.yaml": edit(t, goodForm, "TST-02-MINI-A", "TST-02-MAXI-A", "spec: mini", "spec: maxi"),
	})
	b.Stats.Items["AL-0001"] = bank.ItemStats{Revision: 1, Responses: 50, PValue: 0.91}
	var buf bytes.Buffer
	if err := WriteTables(&buf, Bank(b, Options{MinForms: 2})); err != nil {
		t.Fatal(err)
	}
	testbank.Golden(t, filepath.Join("testdata", "tables.txt"), buf.Bytes())
}

func TestWriteTablesNoForms(t *testing.T) {
	b := loadBank(t, nil)
	var buf bytes.Buffer
	if err := WriteTables(&buf, Bank(b, Options{})); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\nNo forms.\n")) || !bytes.Contains(buf.Bytes(), []byte("allows 1 mini form with")) {
		t.Errorf("tables:\n%s", buf.Bytes())
	}
}
