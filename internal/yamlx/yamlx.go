// Package yamlx parses YAML files into yaml.Node trees with exact positions,
// and turns them into JSON-like values for schema validation. It is strict
// where qbank's files need it: one document per file, no duplicate keys,
// valid UTF-8, no binary content, and bounded alias expansion.
package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qbank/qbank/internal/finding"
	"gopkg.in/yaml.v3"
)

// Error is a problem with a position in the file.
type Error struct {
	Pos finding.Pos
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Msg) }

func errorAt(line, col int, format string, args ...any) *Error {
	return &Error{Pos: finding.Pos{Line: line, Column: col}, Msg: fmt.Sprintf(format, args...)}
}

// locateBudget bounds the bytes re-parsed line by line while locating a
// syntax error; past it the search gallops and bisects, so a large broken
// file costs a few dozen parses instead of one per line.
const locateBudget = 1 << 20

// Parse parses data, which must hold exactly one YAML document, and returns
// its document node. Every error is an *Error or a []*Error (duplicate keys)
// joined with errors.Join; use Errors to list them.
func Parse(data []byte) (*yaml.Node, error) { return parse(data, nil) }

// parse is Parse with the fast path building in arena a (nil: on the heap).
func parse(data []byte, a *Arena) (*yaml.Node, error) {
	if enc := utf16or32(data); enc != "" {
		return nil, errorAt(1, 1, "the file is %s text; save it as UTF-8", enc)
	}
	// Report the first bad byte, whichever kind it is.
	nul := bytes.IndexByte(data, 0)
	bad := -1
	if !utf8.Valid(data) {
		bad = firstInvalidUTF8(data)
	}
	if nul >= 0 && (bad < 0 || nul < bad) {
		line, col := position(data, nul)
		return nil, errorAt(line, col, "binary content: NUL byte at line %d, column %d; a YAML file is UTF-8 text", line, col)
	}
	if bad >= 0 {
		line, col := position(data, bad)
		return nil, errorAt(line, col, "invalid UTF-8: byte 0x%02X at line %d, column %d; save the file as UTF-8", data[bad], line, col)
	}
	if doc, ok := parseFast(data, a); ok {
		if errs := duplicateKeys(doc.Content[0], 0); len(errs) > 0 {
			return nil, joinErrors(errs)
		}
		return doc, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errorAt(1, 1, "the file is empty; it must hold one YAML mapping")
		}
		return nil, syntaxError(data, err)
	}
	if len(doc.Content) == 0 {
		return nil, errorAt(1, 1, "the file is empty; it must hold one YAML mapping")
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		line, col := next.Line, next.Column
		if len(next.Content) > 0 {
			line, col = next.Content[0].Line, next.Content[0].Column
		}
		return nil, errorAt(line, col, "a second YAML document starts here; a file holds exactly one (remove the \"---\" separator and what follows, or move it to its own file)")
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(data, err)
	}
	if errs := duplicateKeys(doc.Content[0], 0); len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return &doc, nil
}

// Errors lists the positioned errors inside err (as returned by Parse or
// ToValue). An error that carries no position is reported at 1:1.
func Errors(err error) []*Error {
	if err == nil {
		return nil
	}
	var out []*Error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, Errors(e)...)
		}
		return out
	}
	var pe *Error
	if errors.As(err, &pe) {
		return []*Error{pe}
	}
	return []*Error{errorAt(1, 1, "%s", err.Error())}
}

func joinErrors(errs []*Error) error {
	es := make([]error, len(errs))
	for i, e := range errs {
		es[i] = e
	}
	return errors.Join(es...)
}

// smallMapping is the number of keys up to which duplicateKeys compares
// keys pairwise instead of building a map.
const smallMapping = 24

// duplicateKeys reports every mapping key that repeats an earlier key of the
// same mapping, at the repeated key.
func duplicateKeys(n *yaml.Node, depth int) []*Error {
	if n == nil || depth > maxDepth {
		return nil
	}
	var errs []*Error
	if n.Kind == yaml.MappingNode && len(n.Content) <= 2*smallMapping {
		// Few keys: comparing each with those before it beats a map.
		for i := 2; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			for j := 0; j < i; j += 2 {
				if first := n.Content[j]; first.Kind == yaml.ScalarNode && first.Value == k.Value {
					errs = append(errs, errorAt(k.Line, k.Column, "duplicate key %q (first defined at line %d); remove one of them", k.Value, first.Line))
					break
				}
			}
		}
	} else if n.Kind == yaml.MappingNode {
		seen := make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode {
				if first, dup := seen[k.Value]; dup {
					errs = append(errs, errorAt(k.Line, k.Column, "duplicate key %q (first defined at line %d); remove one of them", k.Value, first.Line))
				} else {
					seen[k.Value] = k
				}
			}
		}
	}
	for _, c := range n.Content {
		errs = append(errs, duplicateKeys(c, depth+1)...)
	}
	return errs
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into a positioned error. yaml.v3
// names the line where the enclosing block starts, which can be far from the
// mistake; the offending line is found by re-parsing prefixes of the file:
// it is the first line from which every longer prefix fails to parse.
func syntaxError(data []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	yamlLine := 0
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		yamlLine, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	bad := offendingLine(lines)
	switch {
	case bad == 0 && yamlLine == 0:
		return errorAt(1, 1, "YAML syntax error: %s", msg)
	case bad == 0 || bad == yamlLine:
		line := yamlLine
		if line == 0 {
			line = bad
		}
		return errorAt(line, errorColumn(lines, line, msg), "YAML syntax error: %s", msg)
	case yamlLine == 0:
		return errorAt(bad, errorColumn(lines, bad, msg), "YAML syntax error: %s", msg)
	case yamlLine < bad:
		return errorAt(bad, errorColumn(lines, bad, msg), "YAML syntax error: %s (the parser names line %d, where the enclosing block starts; the problem is on line %d)", msg, yamlLine, bad)
	default:
		return errorAt(bad, errorColumn(lines, bad, msg), "YAML syntax error: %s (the parser names line %d, where it gave up; the problem is on line %d)", msg, yamlLine, bad)
	}
}

// offendingLine returns the 1-based number of the first line k such that the
// first j lines fail to parse for every j >= k, or 0 when it cannot tell.
// Prefixes are tried from the longest
// down, one line at a time while the bytes re-parsed stay within
// locateBudget; then the search gallops towards the start (1, 2, 4... lines
// at a time) until a prefix parses, and bisects between the two. The
// bisection assumes that the prefixes in that stretch fail from one line on,
// which holds for the usual mistakes (an unclosed quote, bracket or block).
func offendingLine(lines [][]byte) int {
	n := len(lines)
	if n == 0 {
		return 0
	}
	// size[k] is the length of the first k lines.
	size := make([]int, n+1)
	for i, l := range lines {
		size[i+1] = size[i] + len(l)
	}
	data := bytes.Join(lines, nil)
	fails := func(k int) bool {
		var node yaml.Node
		err := yaml.NewDecoder(bytes.NewReader(data[:size[k]])).Decode(&node)
		return err != nil && !errors.Is(err, io.EOF)
	}
	return searchFailingPrefix(n, func(k int) int { return size[k] }, fails)
}

// searchFailingPrefix is offendingLine's search over n lines: size(k) is the
// length of the first k lines and fails(k) parses them.
func searchFailingPrefix(n int, size func(k int) int, fails func(k int) bool) int {
	if !fails(n) {
		return 0 // the error is in a later document
	}
	// Line by line while cheap: bad is the smallest k known to fail with
	// every longer prefix failing too.
	bad, spent := n, 0
	for k := n - 1; k >= 1; k-- {
		if spent > locateBudget {
			break
		}
		spent += size(k)
		if !fails(k) {
			return bad
		}
		bad = k
	}
	if bad == 1 {
		return 1
	}
	// Gallop: find ok < bad whose prefix parses.
	ok, step := bad, 1
	for {
		ok = bad - step
		if ok <= 0 {
			ok = 0
			break
		}
		if !fails(ok) {
			break
		}
		bad, step = ok, step*2
	}
	// Bisect: prefixes of ok lines parse, of bad lines fail.
	for bad-ok > 1 {
		mid := ok + (bad-ok)/2
		if fails(mid) {
			bad = mid
		} else {
			ok = mid
		}
	}
	return bad
}

// errorColumn is the column to report a syntax error on line at: the first
// tab when the parser complains about one, else the first non-blank
// character.
func errorColumn(lines [][]byte, line int, msg string) int {
	if strings.Contains(msg, "tab character") && line >= 1 && line <= len(lines) {
		if i := bytes.IndexByte(lines[line-1], '\t'); i >= 0 {
			return 1 + utf8.RuneCount(lines[line-1][:i])
		}
	}
	return firstColumn(lines, line)
}

func firstColumn(lines [][]byte, line int) int {
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	col := 1
	for _, r := range string(l) {
		if r != ' ' && r != '\t' {
			return col
		}
		col++
	}
	return 1
}

// position converts a byte offset into a 1-based line and column counted
// in characters (a bad byte counts as one).
func position(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

// utf16or32 names the encoding of text saved as UTF-16 or UTF-32 (as some
// editors do), told by its byte order mark or by NUL bytes around printable
// ASCII at the start; "" for anything else.
func utf16or32(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return "UTF-32"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "UTF-16"
	case unitsOfASCII(data, 4, 0) || unitsOfASCII(data, 4, 3):
		return "UTF-32"
	case unitsOfASCII(data, 2, 0) || unitsOfASCII(data, 2, 1):
		return "UTF-16"
	}
	return ""
}

// unitsOfASCII reports whether the first two code units of size bytes each
// hold printable ASCII at byte at and NUL elsewhere.
func unitsOfASCII(data []byte, size, at int) bool {
	if len(data) < 2*size {
		return false
	}
	for i := 0; i < 2*size; i++ {
		b := data[i]
		if i%size == at {
			if b != '\t' && b != '\n' && b != '\r' && (b < 0x20 || b > 0x7E) {
				return false
			}
		} else if b != 0 {
			return false
		}
	}
	return true
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}
