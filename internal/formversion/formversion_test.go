package formversion

import (
	"fmt"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
)

func entries(ids ...string) ([]Entry, []bank.FormEntry) {
	var es []Entry
	var fes []bank.FormEntry
	for _, id := range ids {
		es = append(es, Entry{ID: id, Revision: 1, Role: bank.RoleScored})
		fes = append(fes, bank.FormEntry{ID: id, Revision: 1, Role: bank.RoleScored})
	}
	return es, fes
}

func TestCompare(t *testing.T) {
	was, _ := entries("A-0001", "A-0002", "A-0003", "A-0004", "A-0005")
	_, same := entries("A-0001", "A-0002", "A-0003", "A-0004", "A-0005")
	_, oneRevised := entries("A-0001", "A-0002", "A-0003", "A-0004", "A-0005")
	oneRevised[1].Revision = 2
	_, reversed := entries("A-0005", "A-0004", "A-0003", "A-0002", "A-0001", "A-0006")
	tests := []struct {
		name    string
		version int
		now     []bank.FormEntry
		want    string
	}{
		{"unchanged", 1, same, ""},
		{"changed with a version bump", 2, reversed, ""},
		{"one pin changed", 1, oneRevised,
			"f.yaml:2:10: error: form F differs from version 1 at HEAD (1 position changed: #2 A-0002 r1 scored -> A-0002 r2 scored) but its version is still 1; responses are keyed by form, version and position, so set version: 2, or restore the entries of version 1 [form-version]"},
		{"many changes, version lowered", 0, reversed,
			"f.yaml:2:10: error: form F differs from version 1 at HEAD (5 positions changed: #1 A-0001 r1 scored -> A-0005 r1 scored, #2 A-0002 r1 scored -> A-0004 r1 scored, #4 A-0004 r1 scored -> A-0002 r1 scored, and 2 more) but its version went from 1 to 0; responses are keyed by form, version and position, so set version: 2, or restore the entries of version 1 [form-version]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &bank.Bank{Forms: []*bank.Form{{Form: "F", Version: tt.version, Items: tt.now, File: "f.yaml", Pos: bank.FormPos{Version: finding.Pos{Line: 2, Column: 10}}}}}
			fs := Compare(b, []Pinned{{Form: "F", Version: 1, Entries: was}, {Form: "OTHER", Version: 1}}, "at HEAD")
			got := ""
			for _, f := range fs {
				got += fmt.Sprint(f)
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
