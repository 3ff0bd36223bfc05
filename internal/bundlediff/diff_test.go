package bundlediff

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/lint"
	"github.com/qbank/qbank/internal/testbank"
)

func testBank(t *testing.T, files map[string]string) *bank.Bank {
	t.Helper()
	res, err := lint.Run(context.Background(), testbank.WriteFiles(t, t.TempDir(), files), lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Bank
}

func bundleOf(t *testing.T, files map[string]string, version string) *Snapshot {
	t.Helper()
	b, err := bundle.Build(testBank(t, files), bundle.Options{Version: version, Tool: bundle.Tool{Name: "qbank", Version: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromBundle("dist/"+b.Name, b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const (
	formA = "forms/TST-01-MINI-A.yaml"
	formB = "forms/TST-01-MINI-B.yaml"
	al3   = "items/alpha/AL-0003.yaml"
	be101 = "items/beta/BE-0101.yaml"
)

// TestGolden compares two bundles for every kind of change and pins the
// release note (text) and the JSON. Run with -update to rewrite.
func TestGolden(t *testing.T) {
	type edit func(t *testing.T, f map[string]string)
	formC := strings.NewReplacer("TST-01-MINI-B", "TST-01-MINI-C", "seed: 8", "seed: 9").Replace(testbank.FormB)
	revise := func(t *testing.T, f map[string]string) {
		s := f[al3]
		s = testbank.Edit(t, s, "revision: 1", "revision: 2")
		s = testbank.Edit(t, s, "Which actions lower the cost?", "Which actions lower the storage cost?")
		s = testbank.Edit(t, s, "Copy every object to a second Region.", "Copy every object to another Region.")
		s = testbank.Edit(t, s, "    correct: true\n    why: Deleted objects", "    why: Deleted objects")
		s = testbank.Edit(t, s, "  - text: Turn on versioning for every bucket.\n    why: Versions add storage.",
			"  - text: Turn on versioning for every bucket.\n    correct: true\n    why: Versions add storage.")
		s = testbank.Edit(t, s, "explanation: Tiering and expiry both lower storage cost.",
			"  - text: Buy reserved capacity for storage.\n    why: Reservations are for compute.\nexplanation: Tiering and versioning lower storage cost.")
		f[al3] = s
		f[formA] = testbank.Edit(t, f[formA], "{id: AL-0003, revision: 1", "{id: AL-0003, revision: 2")
		f[formA] = testbank.Edit(t, f[formA], "version: 1", "version: 2")
	}
	tests := []struct {
		name  string
		edits []edit
	}{
		{"no-change", nil},
		{"form-added", []edit{func(t *testing.T, f map[string]string) { f["forms/TST-01-MINI-C.yaml"] = formC }}},
		{"form-removed", []edit{func(t *testing.T, f map[string]string) { delete(f, formB) }}},
		{"item-added-removed", []edit{func(t *testing.T, f map[string]string) {
			f["items/beta/BE-0003.yaml"] = testbank.ReleaseItem("BE-0003", "operational")
			f[formA] = testbank.Edit(t, f[formA], "{id: BE-0001,", "{id: BE-0003,")
			f[formA] = testbank.Edit(t, f[formA], "version: 1", "version: 2")
		}}},
		{"item-moved", []edit{func(t *testing.T, f map[string]string) {
			// AL-0101 jumps from last to first; the others keep their order.
			f[formA] = testbank.Edit(t, f[formA], "  - {id: AL-0101, revision: 1, role: pretest}\n", "")
			f[formA] = testbank.Edit(t, f[formA], "items:\n", "items:\n  - {id: AL-0101, revision: 1, role: pretest}\n")
			f[formA] = testbank.Edit(t, f[formA], "version: 1", "version: 2")
		}}},
		{"role-changed", []edit{func(t *testing.T, f map[string]string) {
			f[formA] = testbank.Edit(t, f[formA], "{id: BE-0101, revision: 1, role: pretest}", "{id: BE-0101, revision: 1, role: scored}")
			f[formA] = testbank.Edit(t, f[formA], "{id: BE-0001, revision: 1, role: scored}", "{id: BE-0001, revision: 1, role: pretest}")
			f[formA] = testbank.Edit(t, f[formA], "version: 1", "version: 2")
		}}},
		{"item-revised", []edit{revise}},
		{"option-removed", []edit{func(t *testing.T, f map[string]string) {
			f[al3] = testbank.Edit(t, f[al3], "revision: 1", "revision: 2")
			f[al3] = testbank.Edit(t, f[al3], "  - text: Request a dedicated host.\n    why: Hosts are for compute, not storage.\n", "")
			f[formA] = testbank.Edit(t, f[formA], "{id: AL-0003, revision: 1", "{id: AL-0003, revision: 2")
			f[formA] = testbank.Edit(t, f[formA], "version: 1", "version: 2")
		}}},
		{"rationale-only-revision", []edit{func(t *testing.T, f map[string]string) {
			f[be101] = testbank.Edit(t, f[be101], "revision: 1", "revision: 2")
			f[be101] = testbank.Edit(t, f[be101], "why: It sends e-mail only.", "why: It only sends e-mail.")
			f[formA] = testbank.Edit(t, f[formA], "{id: BE-0101, revision: 1", "{id: BE-0101, revision: 2")
			f[formA] = testbank.Edit(t, f[formA], "version: 1", "version: 2")
		}}},
		{"changed-without-revision-bump", []edit{func(t *testing.T, f map[string]string) {
			f[be101] = testbank.Edit(t, f[be101], "A company plans", "A startup plans")
		}}},
		{"form-version-not-bumped", []edit{func(t *testing.T, f map[string]string) {
			f[formB] = testbank.Edit(t, f[formB], "{id: BE-0002, revision: 1, role: scored}\n  - {id: AL-0002, revision: 1, role: scored}",
				"{id: AL-0002, revision: 1, role: scored}\n  - {id: BE-0002, revision: 1, role: scored}")
		}}},
		{"release", []edit{
			revise,
			func(t *testing.T, f map[string]string) { delete(f, formB); f["forms/TST-01-MINI-C.yaml"] = formC },
			func(t *testing.T, f map[string]string) {
				f["items/beta/BE-0003.yaml"] = testbank.ReleaseItem("BE-0003", "operational")
				f[formA] = testbank.Edit(t, f[formA], "{id: BE-0001,", "{id: BE-0003,")
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := testbank.ReleaseFiles()
			old := bundleOf(t, files, "1.0.0")
			for _, e := range tt.edits {
				e(t, files)
			}
			r := Diff(old, bundleOf(t, files, "1.1.0"))
			var text, js bytes.Buffer
			if err := r.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".golden", text.Bytes())
			golden(t, tt.name+".json.golden", js.Bytes())
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testbank.Golden(t, filepath.Join("testdata", name), got)
}

// TestBanks compares two banks: a form pinning a revision that the bank no
// longer has is reported without its text, and the rest is compared.
func TestBanks(t *testing.T) {
	files := testbank.ReleaseFiles()
	old := FromBank("old/bank", testBank(t, files))
	// The form pins revision 2, but the item has moved on to revision 3:
	// the bank no longer holds the pinned text.
	files[be101] = testbank.Edit(t, files[be101], "revision: 1", "revision: 3")
	files[formA] = testbank.Edit(t, files[formA], "{id: BE-0101, revision: 1", "{id: BE-0101, revision: 2")
	files[formA] = testbank.Edit(t, files[formA], "version: 1", "version: 2")
	r := Diff(old, FromBank("new/bank", testBank(t, files)))
	var text bytes.Buffer
	r.WriteText(&text)
	golden(t, "banks.golden", text.Bytes())
	if len(r.Changed) != 1 || len(r.Changed[0].Revised) != 1 || r.Changed[0].Revised[0].Unknown == "" {
		t.Errorf("want one revised item whose old text is unknown: %+v", r.Changed)
	}
}

func TestLCSMoves(t *testing.T) {
	tests := []struct {
		old, new string
		moved    string
	}{
		{"A B C D", "A B C D", ""},
		{"A B C D", "D A B C", "D"},
		{"A B C D", "B A C D", "A"},
		{"A B C D", "A X B C D", ""}, // an insertion moves nothing
		{"A B C D", "A C D", ""},     // nor does a removal
		{"A B C D", "D C B A", "C B A"},
		// A swap: the item between stayed where it was, so the two
		// swapped items are the moved ones (not "B position 2 -> 2").
		{"A B C D", "C B A D", "C A"},
		{"A B C D E", "A D C B E", "D B"},
	}
	for _, tt := range tests {
		mk := func(ids string) *Form {
			f := &Form{ID: "F", Version: 1}
			for _, id := range strings.Fields(ids) {
				f.Items = append(f.Items, Item{ID: id, Revision: 1, Role: "scored"})
			}
			return f
		}
		fc, _ := diffForm(mk(tt.old), mk(tt.new))
		var got []string
		for _, m := range fc.Moved {
			got = append(got, m.ID)
		}
		if strings.Join(got, " ") != tt.moved {
			t.Errorf("%s -> %s: moved %v; want %s", tt.old, tt.new, got, tt.moved)
		}
	}
}
