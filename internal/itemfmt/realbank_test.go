package itemfmt

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/qbank/qbank/internal/schemacheck"
	"github.com/qbank/qbank/internal/textdiff"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
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

// TestRealBankLayoutIsCanonical scrambles the layout of every real item -
// keys in reverse order, every string double-quoted, lists in the other
// style, four-space indentation - and checks that fmt brings it back to
// exactly the same bytes as the original: the canonical layout depends on
// the content only, not on how the file happened to be written.
func TestRealBankLayoutIsCanonical(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "bank", "items", "*", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no items found: %v", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Format(data)
		if err != nil {
			continue // TestRealBankMeaningUnchanged reports these
		}
		doc, _ := yamlx.Parse(data)
		scramble(doc.Content[0])
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(4)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		got, err := Format(b.Bytes())
		if err != nil {
			t.Errorf("%s: scrambled: %v", p, err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("%s: the scrambled layout formats differently:\n%s", p, textdiff.Unified("original", "scrambled", string(want), string(got), 2))
		}
	}
}

func scramble(n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i, j := 0, len(n.Content)-2; i < j; i, j = i+2, j-2 {
			n.Content[i], n.Content[j] = n.Content[j], n.Content[i]
			n.Content[i+1], n.Content[j+1] = n.Content[j+1], n.Content[i+1]
		}
	case yaml.SequenceNode:
		if n.Style == yaml.FlowStyle {
			n.Style = 0
		} else {
			n.Style = yaml.FlowStyle
		}
	case yaml.ScalarNode:
		if n.ShortTag() == "!!str" {
			n.Style = yaml.DoubleQuotedStyle
		}
	}
	for _, c := range n.Content {
		scramble(c)
	}
}
