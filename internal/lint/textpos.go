package lint

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/qbank/qbank/internal/finding"
	"gopkg.in/yaml.v3"
)

var bom = []byte("\xef\xbb\xbf")

// textPos returns the file position of byte offset off inside the string
// value of scalar node n, so a finding about a word of a stem points at the
// word. It walks the value and the file side by side from where the
// scalar's text starts: characters other than white space appear in both in
// the same order, whatever the style (plain, quoted, literal or folded, one
// line or many); white space may differ (indentation, folded line breaks),
// and quoted scalars have escapes (” and \x). When the walk cannot match
// the file, it falls back to the node's own position.
func (c *itemChecker) textPos(n *yaml.Node, off int) finding.Pos {
	fallback := finding.Pos{Line: n.Line, Column: n.Column}
	val, data := n.Value, c.file.Data
	if n.Kind != yaml.ScalarNode || off < 0 || off >= len(val) {
		return fallback
	}
	single := n.Style&yaml.SingleQuotedStyle != 0
	double := n.Style&yaml.DoubleQuotedStyle != 0
	var j int
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		// The text starts on the line after the header (| or >).
		j = c.offset(n.Line+1, 1)
	} else {
		j = c.offset(n.Line, n.Column)
		if single || double {
			j++ // the opening quote
		}
	}
	if j < 0 {
		return fallback
	}
	for i := 0; i < off; {
		if j >= len(data) {
			return fallback
		}
		a, b := val[i], data[j]
		switch {
		case single && b == '\'':
			if j+1 < len(data) && data[j+1] == '\'' && a == '\'' {
				i, j = i+1, j+2 // '' stands for '
				continue
			}
			return fallback
		case double && b == '\\':
			if j+1 >= len(data) {
				return fallback
			}
			switch data[j+1] {
			case '\n', '\r':
				j++ // an escaped line break adds nothing to the value
				continue
			case 'x':
				j += 4
			case 'u':
				j += 6
			case 'U':
				j += 10
			default:
				j += 2
			}
			_, size := utf8.DecodeRuneInString(val[i:])
			i += size
		case a == b:
			i, j = i+1, j+1
		case isBlank(b):
			j++ // indentation or a folded line break in the file
		case isBlank(a):
			i++ // a line break folded into a space
		default:
			return fallback
		}
	}
	// Skip white space in the file up to the character itself.
	for j < len(data) && data[j] != val[off] && isBlank(data[j]) {
		j++
	}
	// Check the word found is the word meant.
	word := val[off:]
	if k := strings.IndexAny(word, " \t\r\n"); k > 0 {
		word = word[:k]
	}
	if j >= len(data) || !bytes.HasPrefix(data[j:], []byte(word[:min(len(word), 8)])) {
		return fallback
	}
	return c.position(j)
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// fileLines splits the file into lines (each with its newline) when a
// finding first needs a position inside a text: most items have none.
func (c *itemChecker) fileLines() [][]byte {
	if c.lines == nil {
		c.lines = bytes.SplitAfter(c.file.Data, []byte("\n"))
	}
	return c.lines
}

// offset returns the byte offset of 1-based line and column (counted in
// characters, as yaml.v3 counts them: a leading byte order mark is not one),
// or -1 when the file has no such place.
func (c *itemChecker) offset(line, col int) int {
	lines := c.fileLines()
	if line < 1 || line > len(lines) {
		return -1
	}
	start := 0
	for _, l := range lines[:line-1] {
		start += len(l)
	}
	l := lines[line-1]
	if line == 1 && bytes.HasPrefix(l, bom) {
		start, l = start+len(bom), l[len(bom):]
	}
	i := 0
	for n := 1; n < col; n++ {
		if i >= len(l) {
			return -1
		}
		_, size := utf8.DecodeRune(l[i:])
		i += size
	}
	return start + i
}

// position converts a byte offset into a 1-based line and column.
func (c *itemChecker) position(off int) finding.Pos {
	line, start := 1, 0
	for _, l := range c.fileLines() {
		if off < start+len(l) {
			break
		}
		start += len(l)
		line++
	}
	prefix := c.file.Data[start:off]
	if line == 1 {
		prefix = bytes.TrimPrefix(prefix, bom)
	}
	return finding.Pos{Line: line, Column: 1 + utf8.RuneCount(prefix)}
}
