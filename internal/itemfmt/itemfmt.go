// Package itemfmt rewrites item files into qbank's one canonical layout,
// the layout of FORMAT.md, the way gofmt does for Go: it parses the file
// into a yaml.Node tree (which keeps comments), reorders and restyles the
// nodes, and encodes the tree again. It never changes what the file means:
// every result is parsed back and compared, value for value and comment for
// comment, with the input, and a file that cannot be laid out without a
// loss is refused with an error rather than rewritten.
//
// The canonical layout:
//
//   - top-level keys in FORMAT.md order: id, revision, status, domain, task,
//     type, difficulty, stem, options, explanation, references, tags,
//     enemies, author; keys the format does not know are kept, after those,
//     in their original order;
//   - each option's keys in the order text, correct, why (then unknown keys);
//     "correct: false" is kept when written (fmt never drops data);
//   - stem and explanation as literal block scalars (|, or |- / |+ when the
//     text does not end in exactly one newline, so the value is unchanged);
//   - tags and enemies as flow lists ([a, b]) unless an entry carries a
//     comment, which only a block list can keep;
//   - every other node in yaml.v3's default style: block mappings and lists,
//     plain scalars where they read back as the same value, quotes where
//     they do not (task: "2.1" stays quoted); strings that YAML 1.1 readers
//     take for booleans (yes, no, on, off, y, n) are double-quoted;
//   - every mapping and list in block style, except tags and enemies (flow
//     collections elsewhere, a whole item in flow style included, become
//     blocks; a line comment after one moves to its key or first line);
//   - two-space indentation with list entries indented under their key, no
//     blank lines between keys, LF line endings (CRLF files are read as
//     LF), and exactly one newline at the end (more only when the last text
//     is a |+ block whose trailing blank lines are part of its value).
//
// Comments stay attached to the node they were written at and move with it.
// The comments above the first key are the file's header (the
// yaml-language-server modeline) and stay at the top even when the first key
// changes - unless a blank line separates them from the key: then the
// header is what is above the blank line, and the rest moves with the key.
// The comment below the last key stays at the bottom.
package itemfmt

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// KeyOrder is the canonical order of an item's top-level keys (FORMAT.md).
var KeyOrder = []string{"id", "revision", "status", "domain", "task", "type", "difficulty", "stem", "options", "explanation", "references", "tags", "enemies", "author"}

// OptionKeyOrder is the canonical order of an option's keys.
var OptionKeyOrder = []string{"text", "correct", "why"}

// blockTextKeys are the top-level keys written as literal block scalars.
var blockTextKeys = map[string]bool{"stem": true, "explanation": true}

// flowListKeys are the top-level keys written as flow lists.
var flowListKeys = map[string]bool{"tags": true, "enemies": true}

// Format returns the canonical layout of the item file data. The error, when
// not nil, holds one or more *yamlx.Error (list them with yamlx.Errors),
// each with the line and column at fault; data is then left as it is.
func Format(data []byte) ([]byte, error) {
	// YAML reads a CRLF line break as LF, so values do not change; but
	// yaml.v3 attaches comments differently in CRLF files (a comment above
	// a key becomes the foot of the key before, and gains a blank line), so
	// the layout is computed from the LF text. Line numbers stay the same.
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, err
	}
	want, err := yamlx.ToValue(doc, yamlx.DefaultMaxNodes)
	if err != nil {
		return nil, err
	}
	wantComments := comments(doc)
	lineComments := fullLineComments(data, textLines(doc))
	out, err := layout(doc)
	if err != nil {
		return nil, err
	}
	// yaml.v3 places a few comments differently on a second pass; settle on
	// the fixed point so that formatting twice changes nothing.
	for range 3 {
		doc2, err := yamlx.Parse(out)
		if err != nil {
			return nil, cannot("the re-encoded file does not parse (%v)", err)
		}
		got, err := yamlx.ToValue(doc2, yamlx.DefaultMaxNodes)
		if err != nil || !reflect.DeepEqual(got, want) {
			return nil, cannot("the canonical layout would change a value")
		}
		if c := comments(doc2); !reflect.DeepEqual(c, wantComments) {
			return nil, cannot("the canonical layout would lose or alter a comment (%s)", missing(wantComments, c))
		}
		if c := lostLines(lineComments, out); c != "" {
			return nil, cannot("the canonical layout would lose the comment %q", c)
		}
		again, err := layout(doc2)
		if err != nil {
			return nil, err
		}
		if bytes.Equal(again, out) {
			return out, nil
		}
		out = again
	}
	return nil, cannot("the layout does not settle")
}

// cannot reports a file that fmt leaves unchanged because rewriting it
// would lose something.
func cannot(format string, args ...any) error {
	return &yamlx.Error{Pos: finding.Pos{Line: 1, Column: 1}, Msg: "fmt leaves this file unchanged: " + fmt.Sprintf(format, args...) + "; please report it"}
}

// layout rewrites the tree in place and encodes it.
func layout(doc *yaml.Node) ([]byte, error) {
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &yamlx.Error{Pos: finding.Pos{Line: root.Line, Column: root.Column}, Msg: fmt.Sprintf("an item file holds a mapping, not a %s; fmt leaves it unchanged", yamlx.KindName(root))}
	}
	if err := notAnItem(root); err != nil {
		return nil, err
	}
	if a := findAlias(doc); a != nil {
		return nil, &yamlx.Error{Pos: finding.Pos{Line: a.Line, Column: a.Column}, Msg: fmt.Sprintf("alias *%s: fmt does not rewrite files with YAML aliases (moving keys could put an alias before its anchor); write the value out", a.Value)}
	}
	doc.Style = 0
	flow := flowCollections(doc)
	root.Style = 0
	// Comments above the first key are the file's header, unless a blank
	// line sets the header off (yaml.v3 then keeps it on the document):
	// the comment right above the key is then the key's own.
	reorder(root, KeyOrder, doc.HeadComment == "")
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		restyle(k)
		switch {
		case blockTextKeys[k.Value] && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value != "":
			restyle(v)
			v.Style = yaml.LiteralStyle
		case flowListKeys[k.Value] && v.Kind == yaml.SequenceNode:
			restyle(v)
			if !hasInnerComments(v) {
				v.Style = yaml.FlowStyle
			}
		case k.Value == "options" && v.Kind == yaml.SequenceNode:
			for _, o := range v.Content {
				if o.Kind == yaml.MappingNode {
					reorder(o, OptionKeyOrder, true)
				}
			}
			restyle(v)
		default:
			restyle(v)
		}
	}
	keepLineComments(doc, flow)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, cannot("yaml: %v", err)
	}
	if err := enc.Close(); err != nil {
		return nil, cannot("yaml: %v", err)
	}
	// The encoder ends the file with one newline; more only come from the
	// trailing blank lines of a keep-chomped (|+) text, which are content.
	return b.Bytes(), nil
}

// otherKinds are the top-level keys that mark the other files of a bank;
// an item has none of them (and has an id).
var otherKinds = []struct{ key, kind string }{
	{"form", "a form"},
	{"exam", "the exam blueprint"},
	{"domains", "the exam blueprint"},
	{"scale", "the exam blueprint"},
	{"calibration", "the item statistics"},
}

// notAnItem refuses a mapping that is another bank file (a form, the
// blueprint, stats.yaml), wherever it lies: the item layout would reorder
// and blow it up. The error is at the key that tells.
func notAnItem(root *yaml.Node) error {
	if yamlx.KeyNode(root, "id") != nil {
		return nil
	}
	for _, o := range otherKinds {
		if k := yamlx.KeyNode(root, o.key); k != nil {
			return &yamlx.Error{Pos: finding.Pos{Line: k.Line, Column: k.Column}, Msg: NotItemMessage(o.kind + " (it has " + o.key + ": and no id:)")}
		}
	}
	return nil
}

// NotItemMessage is fmt's refusal of a file that is not an item file;
// what says what it is.
func NotItemMessage(what string) string {
	return "not an item file: this is " + what + "; qbank fmt formats item files only (items/<domain-id>/<ID>.yaml) and leaves it unchanged"
}

// flowCollections returns the non-empty flow mappings and sequences under
// n that carry a line comment ("{...} # c"): when they become block
// collections, keepLineComments moves the comment.
func flowCollections(n *yaml.Node) map[*yaml.Node]bool {
	out := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0 && n.LineComment != "" && len(n.Content) > 0 {
			out[n] = true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// keepLineComments moves the line comment of every collection of flow that
// is now a block collection to a place where the encoder writes it on the
// same entry: yaml.v3 writes a block collection's line comment after its
// last line, where it reads back as a comment of the next entry. The
// comment of a mapping value goes after its key ("why: # c"); that of a
// list entry or of the whole item after the entry's first scalar
// ("- text: a # c"), or above its first line when that is taken.
func keepLineComments(n *yaml.Node, flow map[*yaml.Node]bool) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if flow[v] && v.Style&yaml.FlowStyle == 0 && k.LineComment == "" {
				k.LineComment, v.LineComment = v.LineComment, ""
			}
		}
	}
	for _, c := range n.Content {
		keepLineComments(c, flow)
		if !flow[c] || c.Style&yaml.FlowStyle != 0 || c.LineComment == "" {
			continue
		}
		first := c.Content[0] // the first key or entry
		target := first
		if c.Kind == yaml.MappingNode && len(c.Content) > 1 {
			target = c.Content[1] // the first value
		}
		if target.Kind == yaml.ScalarNode && target.LineComment == "" && target.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && !strings.Contains(target.Value, "\n") {
			target.LineComment = c.LineComment
		} else {
			first.HeadComment = joinComments(c.LineComment, first.HeadComment)
		}
		c.LineComment = ""
	}
}

// reorder sorts the pairs of mapping m: keys of order first, in that
// order, then the others in their original order. The comment below the
// last key stays at the bottom, and so does the comment above the first key
// stay at the top when pinHead is set.
func reorder(m *yaml.Node, order []string, pinHead bool) {
	type pair struct{ k, v *yaml.Node }
	n := len(m.Content) / 2
	if n == 0 {
		return
	}
	pairs := make([]pair, n)
	for i := range pairs {
		pairs[i] = pair{m.Content[2*i], m.Content[2*i+1]}
	}
	firstKey, lastKey := pairs[0].k, pairs[n-1].k
	rank := func(p pair) int {
		for i, k := range order {
			if p.k.Value == k {
				return i
			}
		}
		return len(order)
	}
	sort.SliceStable(pairs, func(i, j int) bool { return rank(pairs[i]) < rank(pairs[j]) })
	if pinHead && pairs[0].k != firstKey && firstKey.HeadComment != "" {
		pairs[0].k.HeadComment = joinComments(firstKey.HeadComment, pairs[0].k.HeadComment)
		firstKey.HeadComment = ""
	}
	if pairs[n-1].k != lastKey && lastKey.FootComment != "" {
		pairs[n-1].k.FootComment = joinComments(pairs[n-1].k.FootComment, lastKey.FootComment)
		lastKey.FootComment = ""
	}
	for i, p := range pairs {
		m.Content[2*i], m.Content[2*i+1] = p.k, p.v
	}
}

func joinComments(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

// restyle gives n and everything under it yaml.v3's default style. Tags
// are kept, so a quoted "2.1" is re-quoted by the encoder.
func restyle(n *yaml.Node) {
	n.Style = 0
	// "<<" too: yaml.v3 writes the plain string as "!!merge <<".
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" && (yaml11Bools[n.Value] || n.Value == "<<") {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		restyle(c)
	}
}

// yaml11Bools are the plain scalars that yaml.v3 (YAML 1.2) reads as
// strings but YAML 1.1 readers (editors, other tools) read as booleans.
// fmt keeps them quoted so every reader sees the same string.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true,
	"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
}

// hasInnerComments reports whether an entry of sequence s carries a
// comment, which a flow list cannot hold.
func hasInnerComments(s *yaml.Node) bool {
	for _, c := range s.Content {
		if c.HeadComment != "" || c.LineComment != "" || c.FootComment != "" || len(c.Content) > 0 {
			return true
		}
	}
	return false
}

func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

// comments returns every comment line of the tree, trimmed and sorted: the
// multiset that must survive formatting.
func comments(n *yaml.Node) []string {
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			for _, l := range strings.Split(c, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	sort.Strings(out)
	return out
}

// missing names a comment of want that got lacks (or the first extra one).
func missing(want, got []string) string {
	count := map[string]int{}
	for _, c := range got {
		count[c]++
	}
	for _, c := range want {
		if count[c] == 0 {
			return fmt.Sprintf("%q", c)
		}
		count[c]--
	}
	for c, k := range count {
		if k > 0 {
			return fmt.Sprintf("extra %q", c)
		}
	}
	return "comments moved"
}

// fullLineComments returns the trimmed lines of data that are comments on
// a line of their own. The YAML parser attaches most comments to nodes, but
// a few positions drop them; checking the raw lines catches those.
// A "#" line inside a block scalar is content, which the value comparison
// guards, not a comment: as many of them as text (the trimmed lines of
// the document's texts) holds are left out.
func fullLineComments(data []byte, text map[string]int) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "#") {
			if text[l] > 0 {
				text[l]--
				continue
			}
			out = append(out, l)
		}
	}
	return out
}

// textLines counts the trimmed lines of the multi-line scalars under n.
func textLines(n *yaml.Node) map[string]int {
	out := map[string]int{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "\n") {
			for _, l := range strings.Split(n.Value, "\n") {
				out[strings.TrimSpace(l)]++
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// lostLines returns the first of lines that is not a trimmed line of out.
// A comment may come back after a list entry's dash ("- # c" is the
// comment above the first key of an entry), which counts as its line.
func lostLines(lines []string, out []byte) string {
	if len(lines) == 0 {
		return ""
	}
	have := map[string]int{}
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		for strings.HasPrefix(l, "- ") {
			l = strings.TrimSpace(l[2:])
		}
		have[l]++
	}
	for _, l := range lines {
		if have[l] == 0 {
			return l
		}
		have[l]--
	}
	return ""
}
