package itemfmt

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/qbank/qbank/internal/schemacheck"
	"github.com/qbank/qbank/internal/yamlx"
)

// TestRealBankMeaningUnchanged formats every item of the repository's bank/
// in memory (the files are only read) and checks that the item the loader
// sees - the schema-checked value - is deep-equal before and after, that
// the schema findings are the same, and that a second pass changes nothing.
func TestRealBankMeaningUnchanged(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "bank", "items", "*", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no items found in ../../bank/items")
	}
	formatted := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := yamlx.Parse(data); err != nil {
			// Not fmt's business: lint reports it, and fmt refuses it.
			t.Logf("%s: skipped, not parseable YAML: %v", p, err)
			if _, ferr := Format(data); ferr == nil {
				t.Errorf("%s: Format accepted a file that does not parse", p)
			}
			continue
		}
		out, err := Format(data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		before, bfs := load(t, p, data)
		after, afs := load(t, p, out)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: fmt changed the item's value", p)
		}
		if len(bfs) != len(afs) {
			t.Errorf("%s: %d schema findings before fmt, %d after", p, len(bfs), len(afs))
		}
		for i := range min(len(bfs), len(afs)) {
			if bfs[i].Message != afs[i].Message {
				t.Errorf("%s: schema finding %q became %q", p, bfs[i].Message, afs[i].Message)
			}
		}
		again, err := Format(out)
		if err != nil || string(again) != string(out) {
			t.Errorf("%s: a second fmt changed the file again (err %v)", p, err)
		}
		formatted++
	}
	t.Logf("%d of %d item files formatted in memory, meaning unchanged", formatted, len(paths))
}

func load(t *testing.T, path string, data []byte) (any, []schemaFinding) {
	t.Helper()
	doc, err := yamlx.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	v, fs := schemacheck.ValidateValue(schemacheck.Item, doc, path, "")
	var out []schemaFinding
	for _, f := range fs {
		out = append(out, schemaFinding{f.Rule, f.Message})
	}
	return v, out
}

type schemaFinding struct{ Rule, Message string }
