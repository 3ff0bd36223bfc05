package check

import (
	"context"
	"testing"

	"github.com/qbank/qbank/internal/bank"
)

// TestBundledForms holds the committed forms of the bundled bank to the
// blueprint: when an item on them is retired or revised, this fails until
// the form's next version is produced (qbank assemble --replace FORM).
func TestBundledForms(t *testing.T) {
	b, fs, err := bank.Load(context.Background(), "../../bank", bank.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) > 0 {
		t.Fatalf("the bundled bank has load findings: %v", fs)
	}
	full := 0
	for _, f := range b.Forms {
		if f.Spec == "full" {
			full++
		}
	}
	if full < 4 {
		t.Errorf("%d full forms in bank/forms; the issue asks for 4", full)
	}
	for _, f := range Forms(b) {
		t.Errorf("%s", f)
	}
}
