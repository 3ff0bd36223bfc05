package releasetest

import (
	"context"
	"testing"

	"github.com/qbank/qbank/internal/check"
	"github.com/qbank/qbank/internal/lint"
)

// TestBankIsClean guards the fixture: the release tests rely on a bank that
// lint and check pass without a finding.
func TestBankIsClean(t *testing.T) {
	res, err := lint.Run(context.Background(), Bank(t), lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("fixture finding: %s", f)
	}
	for _, f := range check.Bank(res.Bank, check.Options{}).Findings {
		t.Errorf("fixture check finding: %s", f)
	}
	if len(res.Bank.Items) != 9 || len(res.Bank.Forms) != 2 {
		t.Errorf("loaded %d items and %d forms; want 9 and 2", len(res.Bank.Items), len(res.Bank.Forms))
	}
}
