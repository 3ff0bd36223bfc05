package yamlx_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/synth"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// yamlV3 parses data as yamlx.Parse's slow path does.
func yamlV3(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	return &doc, err
}

// diffNodes returns the first difference between two trees, "" if none.
func diffNodes(path string, a, b *yaml.Node) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return fmt.Sprintf("%s: fast %v, yaml.v3 %v", path, a, b)
	}
	fa := fmt.Sprintf("kind=%d style=%d tag=%q value=%q anchor=%q line=%d col=%d head=%q line=%q foot=%q alias=%v children=%d",
		a.Kind, a.Style, a.Tag, a.Value, a.Anchor, a.Line, a.Column, a.HeadComment, a.LineComment, a.FootComment, a.Alias != nil, len(a.Content))
	fb := fmt.Sprintf("kind=%d style=%d tag=%q value=%q anchor=%q line=%d col=%d head=%q line=%q foot=%q alias=%v children=%d",
		b.Kind, b.Style, b.Tag, b.Value, b.Anchor, b.Line, b.Column, b.HeadComment, b.LineComment, b.FootComment, b.Alias != nil, len(b.Content))
	if fa != fb {
		return fmt.Sprintf("%s:\n fast    %s\n yaml.v3 %s", path, fa, fb)
	}
	if (a.Content == nil) != (b.Content == nil) {
		return fmt.Sprintf("%s: Content nil: fast %v, yaml.v3 %v", path, a.Content == nil, b.Content == nil)
	}
	for i := range a.Content {
		if d := diffNodes(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// agree fails t when the fast parser accepts data and builds another tree
// than yaml.v3 (or accepts what yaml.v3 refuses). It reports whether the
// fast parser accepted.
func agree(t testing.TB, name string, data []byte) bool {
	t.Helper()
	fast, ok := yamlx.ParseFast(data)
	if !ok {
		return false
	}
	slow, err := yamlV3(data)
	if err != nil {
		t.Fatalf("%s: the fast parser accepts what yaml.v3 refuses (%v):\n%s", name, err, data)
	}
	if d := diffNodes("", fast, slow); d != "" {
		t.Fatalf("%s: the trees differ at %s\n--- input:\n%s", name, d, data)
	}
	return true
}

func TestFastParseCases(t *testing.T) {
	const item = "id: A-1\nrevision: 3\nstem: |\n  Which one?\n  Two lines.\noptions:\n  - text: Yes\n    correct: true\n  - text: 'it''s'\n    why: \"no\"\ntags: [a, b-c, d e]\n"
	tests := []struct {
		name   string
		src    string
		accept bool
	}{
		{"an item", item, true},
		{"a header comment", "# yaml-language-server: $schema=x\n" + item, true},
		{"two header comments", "# one  \n#two\n" + item, true},
		{"a blank line after the header", "# one\n\n" + item, false},
		{"no final newline", strings.TrimSuffix(item, "\n"), true},
		{"blank lines between keys", "id: A-1\n\n  \nstem: x\n", true},
		{"strip chomping", "stem: |-\n  a\n\n  b\n\n\nid: X-1\n", true},
		{"clip chomping with trailing blank lines", "stem: |\n  a\n\n\nid: X-1\n", true},
		{"a literal at the end of the file", "stem: |\n  a\n  b", true},
		{"a literal with deeper lines", "stem: |\n  a\n    b\n  c\n", true},
		{"a sequence at the key's indent", "options:\n- text: a\n  why: b\n- text: c\nid: X-1\n", true},
		{"a sequence of scalars", "references:\n  - https://example.com/a#b\n  - x\n", true},
		{"a nested mapping", "a:\n  b: c\n  d:\n    e: f\ng: h\n", true},
		{"non-ASCII text", "stem: «x» — y\nrefs:\n  - ü\n  - 𝛑 x\n", true},
		{"non-ASCII in a flow sequence", "tags: [é, x]\n", false},
		{"an empty flow sequence", "tags: []\n", true},
		{"booleans and integers", "a: true\nb: False\nc: 0\nd: 7\n", true},
		{"a leading zero", "a: 0123\n", false},
		{"a hash inside a word", "stem: C# and F#\n", true},
		{"a colon inside a word", "stem: https://x.example/y\n", true},
		{"a literal inside a sequence item", "options:\n  - text: |\n      a\n    why: b\n", true},

		{"a comment after a value", "id: A-1 # note\n", false},
		{"a comment above a key", "id: A-1\n# note\n# more\nstem: x\n", true},
		{"a comment above a key after a blank line", "id: A-1\n\n# note\nstem: x\n", true},
		{"a comment above a blank line", "id: A-1\n# note\n\nstem: x\n", false},
		{"a comment after a literal", "stem: |\n  a\n# note\nid: A-1\n", false},
		{"a comment after a sequence", "tags:\n  - a\n# note\nid: A-1\n", false},
		{"a comment in a sequence", "tags:\n  - a\n  # note\n  - b\n", false},
		{"an indented comment", "a:\n  b: c\n  # note\n  d: e\n", false},
		{"a comment at the end", "id: A-1\n# note\n", false},
		{"a multi-line plain scalar", "stem: a\n  b\n", false},
		{"a colon and space in a value", "stem: a: b\n", false},
		{"a folded scalar", "stem: >\n  a\n", false},
		{"keep chomping", "stem: |+\n  a\n", false},
		{"an indentation indicator", "stem: |2\n  a\n", false},
		{"an empty value", "a:\nb: c\n", false},
		{"an anchor", "a: &x b\n", false},
		{"a tag", "a: !!str 1\n", false},
		{"a float", "a: 1.5\n", false},
		{"a date", "a: 2001-01-01\n", false},
		{"null", "a: null\n", false},
		{"a negative number", "a: -1\n", false},
		{"a document marker", "---\na: b\n", false},
		{"a tab", "a:\tb\n", false},
		{"a carriage return", "a: b\r\n", false},
		{"a byte order mark", "\ufeffa: b\n", false},
		{"a line separator", "a: b\u2028c\n", false},
		{"an escape", "a: \"b\\n\"\n", false},
		{"a multi-line quoted scalar", "a: \"b\n  c\"\n", false},
		{"a flow mapping", "a: {b: c}\n", false},
		{"a quoted flow element", "a: ['b', c]\n", false},
		{"a trailing comma", "a: [b, ]\n", false},
		{"a stray indent", "a: b\n c: d\n", false},
		{"a key after a sequence at its indent", "a:\n  - b\n  c: d\n", false},
		{"only comments", "# x\n", false},
		{"empty", "", false},
		{"a very long key", strings.Repeat("k", 1100) + ": v\n", false},
		{"a quoted key", "\"a\": b\n", false},
		{"a key named true", "true: b\n", false},
		{"leading blank lines in a literal", "a: |\n\n  b\n", false},
		{"an empty literal", "a: |\nb: c\n", false},
		{"a literal's blank line with extra spaces", "a: |\n  b\n     \n  c\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := agree(t, tt.name, []byte(tt.src)); got != tt.accept {
				t.Errorf("fast parser accepted: %v, want %v", got, tt.accept)
			}
		})
	}
}

// TestFastParseAgreesOnTheBank parses every file of the bundled bank both
// ways, and requires the fast path for every item file: if it stopped
// taking them, lint would silently be several times slower.
func TestFastParseAgreesOnTheBank(t *testing.T) {
	root := filepath.Join("..", "..", "bank")
	items := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		accepted := agree(t, path, data)
		if strings.Contains(filepath.ToSlash(path), "/items/") {
			items++
			if !accepted {
				t.Errorf("%s: item file not taken by the fast path", path)
			}
		}
		if accepted {
			// One allocation of nodes suffices, and wastes little.
			doc, _ := yamlx.ParseFast(data)
			if n, est := countNodes(doc), yamlx.EstimateNodes(data); est < n || est > n+n/4+4 {
				t.Errorf("%s: %d nodes, estimated %d", path, n, est)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if items < 300 {
		t.Fatalf("only %d item files under %s", items, root)
	}
}

// TestFastParseAgreesOnGeneratedBanks does the same on both styles of the
// benchmark generator's items.
func TestFastParseAgreesOnGeneratedBanks(t *testing.T) {
	for _, style := range []synth.Style{synth.StyleVaried, synth.StyleRepetitive} {
		dir := t.TempDir()
		if err := synth.Write(context.Background(), dir, synth.Options{Items: 300, Seed: 7, Style: style}); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "items", "*", "*.yaml"))
		if len(files) != 300 {
			t.Fatalf("%d files", len(files))
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !agree(t, f, data) {
				t.Errorf("%s (%s): not taken by the fast path", f, style)
			}
		}
	}
}

// FuzzFastParse: whatever the input, the fast parser either gives up or
// builds exactly yaml.v3's tree.
func FuzzFastParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "bank", "items", "*", "*.yaml"))
	for i, file := range files {
		if i%25 != 0 {
			continue
		}
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"a: b\n", "a: |\n  x\n\n  y\n", "a:\n- b: c\n  d: [e, f]\n", "a: 'x''y'\n", "a: \"x\"\n", "# c\na:\n  b: 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		agree(t, "input", data)
	})
}

func countNodes(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

// TestArenaTreesAreYAMLv3Trees parses every file of the bank in one arena,
// resetting it between files as the loader does, and two files without a
// reset between them: each tree is yaml.v3's, and a tree stays whole
// until the reset.
func TestArenaTreesAreYAMLv3Trees(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "bank", "*", "*", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "bank", "*.yaml"))
	files = append(files, more...)
	if len(files) < 300 {
		t.Fatalf("%d files", len(files))
	}
	var arena yamlx.Arena
	var previous []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var first *yaml.Node
		if previous != nil {
			if first, err = arena.Parse(previous); err != nil {
				t.Fatal(err)
			}
		}
		doc, err := arena.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range []struct {
			tree *yaml.Node
			data []byte
		}{{doc, data}, {first, previous}} {
			if c.tree == nil {
				continue
			}
			slow, _ := yamlV3(c.data)
			if d := diffNodes("", c.tree, slow); d != "" {
				t.Fatalf("%s: %s", f, d)
			}
		}
		arena.Reset()
		previous = data
	}
}
