package standard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/scale"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// SetCut returns exam.yaml's text src with scale.cut replaced by
// {theta: theta} (rounded to scale.Decimals) and a line comment note,
// touching nothing else: every other line, comment and style stays as it
// was. A cut written as a block mapping becomes one flow line (comments
// inside it go); a missing cut is added to the scale block. The result is
// parsed again and must carry the new cut.
func SetCut(src []byte, theta float64, note string) ([]byte, error) {
	doc, err := yamlx.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("exam.yaml does not parse: %w", err)
	}
	sc := yamlx.Lookup(doc, "/scale")
	if sc == nil || sc.Kind != yaml.MappingNode {
		return nil, errors.New("exam.yaml has no scale mapping to hold the cut")
	}
	value := "{theta: " + strconv.FormatFloat(scale.Round(theta), 'f', -1, 64) + "}"
	comment := ""
	if note != "" {
		comment = "  # " + strings.ReplaceAll(note, "\n", " ")
	}
	lines := strings.SplitAfter(string(src), "\n")
	key, cut := yamlx.KeyNode(sc, "cut"), yamlx.Value(sc, "cut")
	switch {
	case cut != nil && cut.Style&yaml.FlowStyle != 0:
		lines, err = replaceFlow(lines, cut, value, comment)
	case cut != nil:
		indent := strings.Repeat(" ", key.Column-1)
		lines = splice(lines, key.Line-1, lastLine(cut), indent+"cut: "+value+comment+"\n")
	case sc.Style&yaml.FlowStyle != 0:
		lines, err = insertFlow(lines, sc, "cut: "+value, comment)
	default:
		first := sc.Content[0]
		indent := strings.Repeat(" ", first.Column-1)
		end := lastLine(sc)
		lines = splice(lines, end+1, end, indent+"cut: "+value+comment+"\n")
	}
	if err != nil {
		return nil, err
	}
	out := []byte(strings.Join(lines, ""))
	e, fs, err := blueprint.Parse(out, "exam.yaml")
	if err != nil || len(fs) > 0 || e.Scale.Cut == nil || e.Scale.Cut.Theta == nil || *e.Scale.Cut.Theta != scale.Round(theta) {
		return nil, fmt.Errorf("the edited exam.yaml would not carry the new cut (%v %v); edit scale.cut by hand to cut: %s", err, fs, value)
	}
	return out, nil
}

// lastLine returns the 0-based index of the last line a node's text
// occupies (its deepest last descendant; a block scalar ends before the
// next key, so this is a lower bound that covers every value qbank writes).
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		if l := lastLine(c) + 1; l > last {
			last = l
		}
	}
	return last - 1
}

// splice replaces lines[from..to] (inclusive; to = from-1 inserts) with
// repl.
func splice(lines []string, from, to int, repl string) []string {
	out := append([]string{}, lines[:from]...)
	out = append(out, repl)
	return append(out, lines[to+1:]...)
}

// flowEnd returns the index in line just after the flow collection that
// opens at rune column col (1-based), honouring quotes.
func flowEnd(line string, col int) (start, end int, err error) {
	runes := []rune(line)
	if col-1 >= len(runes) || (runes[col-1] != '{' && runes[col-1] != '[') {
		return 0, 0, errors.New("the flow mapping does not start where the parser says; edit scale.cut by hand")
	}
	depth := 0
	var quote rune
	for i := col - 1; i < len(runes); i++ {
		c := runes[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return len(string(runes[:col-1])), len(string(runes[:i+1])), nil
			}
		}
	}
	return 0, 0, errors.New("a flow mapping over several lines; edit scale.cut by hand")
}

func replaceFlow(lines []string, n *yaml.Node, value, comment string) ([]string, error) {
	i := n.Line - 1
	start, end, err := flowEnd(lines[i], n.Column)
	if err != nil {
		return nil, err
	}
	line := lines[i]
	rest := strings.TrimRight(line[end:], "\r\n")
	nl := line[len(strings.TrimRight(line, "\r\n")):]
	if t := strings.TrimSpace(rest); t != "" && !strings.HasPrefix(t, "#") {
		// More flow content follows on the line (the cut inside a flow
		// scale): keep it, and put no comment inside a flow collection.
		lines[i] = line[:start] + value + line[end:]
		return lines, nil
	}
	if comment == "" {
		comment = rest
	}
	lines[i] = line[:start] + value + comment + nl
	return lines, nil
}

func insertFlow(lines []string, sc *yaml.Node, entry, comment string) ([]string, error) {
	i := sc.Line - 1
	_, end, err := flowEnd(lines[i], sc.Column)
	if err != nil {
		return nil, err
	}
	line := lines[i]
	lines[i] = line[:end-1] + ", " + entry + "}" + line[end:]
	_ = comment // a flow scale has no room for a comment that names the cut alone
	return lines, nil
}
