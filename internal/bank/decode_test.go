package bank

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// decodeFromValue is how items were decoded before decodeItem read the
// tree directly: from the JSON-like value yamlx.ToValue builds. The tests
// hold decodeItem to it.
func decodeFromValue(v any, doc *yaml.Node, path string) *Item {
	m, _ := v.(map[string]any)
	it := &Item{
		ID: str(m["id"]), Revision: integer(m["revision"]), Status: str(m["status"]), Domain: str(m["domain"]),
		Task: str(m["task"]), Type: str(m["type"]), Difficulty: str(m["difficulty"]), Stem: str(m["stem"]),
		Explanation: str(m["explanation"]), References: strs(m["references"]), Tags: strs(m["tags"]),
		Enemies: strs(m["enemies"]), Author: str(m["author"]), File: path,
	}
	if opts, ok := m["options"].([]any); ok {
		for _, o := range opts {
			om, _ := o.(map[string]any)
			correct, _ := om["correct"].(bool)
			it.Options = append(it.Options, Option{Text: str(om["text"]), Correct: correct, Why: str(om["why"])})
		}
	}
	it.Pos = ItemPos{
		Root: pos(yamlx.Lookup(doc, "")), ID: pos(yamlx.Lookup(doc, "/id")),
		Revision: pos(yamlx.Lookup(doc, "/revision")), Stem: pos(yamlx.Lookup(doc, "/stem")),
	}
	for i := range it.Enemies {
		it.Pos.Enemies = append(it.Pos.Enemies, pos(yamlx.Lookup(doc, fmt.Sprintf("/enemies/%d", i))))
	}
	return it
}

// decodesAlike fails t when decodeItem and decodeFromValue disagree on
// data (documents that do not parse or convert are skipped).
func decodesAlike(t testing.TB, data []byte) {
	t.Helper()
	doc, err := yamlx.Parse(data)
	if err != nil {
		return
	}
	v, err := yamlx.ToValue(doc, yamlx.DefaultMaxNodes)
	if err != nil {
		return
	}
	got, want := decodeItem(doc, "x.yaml"), decodeFromValue(v, doc, "x.yaml")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeItem differs from the value decoding:\n got %+v\nwant %+v\n--- input:\n%s", got, want, data)
	}
}

func TestDecodeItemReadsTheTreeAsTheValue(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "bank", "items", "*", "*.yaml"))
	if len(files) < 300 {
		t.Fatalf("%d item files", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		decodesAlike(t, data)
	}
	for _, src := range []string{
		"id: A-1\nrevision: 2.0\nstem: 5\ntags: [a, 1, true, ~, b]\noptions: [{text: 1, correct: yes}, x, {correct: True}]\n",
		"id: &i A-1\nauthor: *i\nrevision: 0x10\noptions: &o [{text: a, correct: TRUE}]\nenemies: [A-2, 3, A-4]\n",
		"id: !!str 12\nrevision: \"3\"\nstem: !custom text\nexplanation: 2001-01-01\nreferences: {a: b}\noptions: {text: a}\n",
		"? id\n: A-1\nrevision: 1_000\ndifficulty: null\ntype: [single]\n",
		"- a\n- b\n",
		"id: A-1\noptions: []\n",
		"just text\n",
	} {
		decodesAlike(t, []byte(src))
	}
}

func FuzzDecodeItem(f *testing.F) {
	f.Add([]byte(strings.Join([]string{"id: A-1", "revision: 2", "options:", "  - text: a", "    correct: true", "tags: [x, y]"}, "\n")))
	f.Add([]byte("id: &i A-1\nauthor: *i\nrevision: 0x10\noptions: &o [{text: a, correct: TRUE}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) { decodesAlike(t, data) })
}
