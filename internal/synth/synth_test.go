package synth

import (
	"context"
	"testing"

	"github.com/qbank/qbank/internal/bank"
)

func TestGeneratedBanksLoadCleanAndAreReproducible(t *testing.T) {
	dir := t.TempDir()
	if err := Write(context.Background(), dir, Options{Items: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	b, fs, err := bank.Load(context.Background(), dir, bank.Options{})
	if err != nil || len(fs) > 0 {
		t.Fatalf("err=%v findings=%v", err, fs)
	}
	if len(b.Items) != 300 {
		t.Fatalf("%d items; want 300", len(b.Items))
	}
	statuses := map[string]int{}
	for _, it := range b.Items {
		statuses[it.Status]++
	}
	if statuses["operational"] < 100 || statuses["pretest"] < 10 {
		t.Errorf("status mix %v", statuses)
	}
	other := t.TempDir()
	if err := Write(context.Background(), other, Options{Items: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	b2, _, _ := bank.Load(context.Background(), other, bank.Options{})
	for i := range b.Items {
		if b.Items[i].Stem != b2.Items[i].Stem || b.Items[i].ID != b2.Items[i].ID {
			t.Fatalf("seed 1 gave different banks at %d", i)
		}
	}
}
