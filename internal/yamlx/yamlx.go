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

// maxLocateLines bounds the prefix re-parsing that locates syntax errors.
const maxLocateLines = 3000

// Parse parses data, which must hold exactly one YAML document, and returns
// its document node. Every error is an *Error or a []*Error (duplicate keys)
// joined with errors.Join; use Errors to list them.
func Parse(data []byte) (*yaml.Node, error) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := position(data, i)
		return nil, errorAt(line, col, "binary content: NUL byte at line %d, column %d; a YAML file is UTF-8 text", line, col)
	}
	if !utf8.Valid(data) {
		i := firstInvalidUTF8(data)
		line, col := position(data, i)
		return nil, errorAt(line, col, "invalid UTF-8: byte 0x%02X at line %d, column %d; save the file as UTF-8", data[i], line, col)
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

// duplicateKeys reports every mapping key that repeats an earlier key of the
// same mapping, at the repeated key.
func duplicateKeys(n *yaml.Node, depth int) []*Error {
	if n == nil || depth > maxDepth {
		return nil
	}
	var errs []*Error
	if n.Kind == yaml.MappingNode {
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
	bad := 0
	if len(lines) <= maxLocateLines {
		bad = offendingLine(lines)
	}
	switch {
	case bad == 0 && yamlLine == 0:
		return errorAt(1, 1, "YAML syntax error: %s", msg)
	case bad == 0 || bad == yamlLine:
		line := yamlLine
		if line == 0 {
			line = bad
		}
		return errorAt(line, firstColumn(lines, line), "YAML syntax error: %s", msg)
	case yamlLine == 0:
		return errorAt(bad, firstColumn(lines, bad), "YAML syntax error: %s", msg)
	default:
		return errorAt(bad, firstColumn(lines, bad), "YAML syntax error: %s (the parser names line %d, where the enclosing block starts; the problem is on line %d)", msg, yamlLine, bad)
	}
}

// offendingLine returns the 1-based number of the first line k such that the
// first j lines fail to parse for every j >= k, or 0 when it cannot tell.
func offendingLine(lines [][]byte) int {
	bad := 0
	var buf bytes.Buffer
	for k := len(lines); k >= 1; k-- {
		buf.Reset()
		for _, l := range lines[:k] {
			buf.Write(l)
		}
		var n yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(buf.Bytes()))
		err := dec.Decode(&n)
		if err == nil || errors.Is(err, io.EOF) {
			// check a following document too: "---" splits count as parsed
			return bad
		}
		bad = k
	}
	return bad
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
