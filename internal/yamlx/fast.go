package yamlx

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parseFast parses the plain shape that almost every bank file has, and
// returns the very tree yaml.v3 builds for it, about four times faster
// with a ninth of the allocations (issue 13: yaml.v3 was half the CPU of a
// 100,000-item lint). It accepts only:
//
//   - printable UTF-8 text without tabs, carriage returns or a byte order
//     mark, lines ending in "\n";
//   - full-line comments in column 1 directly above the first key, or
//     above a later top-level key that follows a one-line value (they
//     become the key's head comment), and no other comment;
//   - block mappings whose keys are simple words ([A-Za-z_][A-Za-z0-9_-]*);
//   - block sequences ("- " items) of scalars or of mappings;
//   - values that are one-line plain scalars, one-line quoted scalars
//     without escapes, one-line flow sequences of simple plain scalars, or
//     literal block scalars ("|" or "|-") with a detected indentation.
//
// Anything else (anchors, tags, folded scalars, multi-line plain or quoted
// scalars, comments elsewhere, empty values, numbers other than small
// integers, documents markers...) makes it give up (ok false) before it
// could differ from yaml.v3, and the caller parses with yaml.v3, which
// also explains errors. Tests compare the two on the bank, on generated
// banks and under fuzzing (FuzzFastParse).
func parseFast(data []byte, a *Arena) (doc *yaml.Node, ok bool) {
	p := fastParser{data: data, arena: a}
	if a != nil {
		p.lines = a.lines[:0]
		defer func() { a.lines = p.lines[:0] }()
	}
	if !p.splitLines() {
		return nil, false
	}
	// Comment lines at the top, then the first key at column 1.
	first := 0
	for first < len(p.lines) && p.lines[first].start < p.lines[first].end && p.data[p.lines[first].start] == '#' {
		first++
	}
	if first == len(p.lines) || p.blank(first) || p.lines[first].indent != 0 {
		return nil, false
	}
	p.next = first
	p.slab = p.nodes(p.estimateNodes())
	root, ok := p.mapping(0, first, p.lines[first].start)
	if !ok || p.skipBlank() < len(p.lines) {
		return nil, false
	}
	if first > 0 {
		head := make([]string, first)
		for i := range head {
			head[i] = p.lineText(i)
		}
		root.Content[0].HeadComment = strings.Join(head, "\n")
	}
	doc = p.newNode(yaml.DocumentNode, "", "", root.Line, root.Column)
	doc.Content = []*yaml.Node{root}
	return doc, true
}

// fastLine is one line of the text: bytes start..end (without "\n") and
// the number of leading spaces.
type fastLine struct {
	start, end, indent int
}

type fastParser struct {
	data  []byte
	lines []fastLine
	next  int         // the first line not yet consumed
	slab  []yaml.Node // nodes are carved from here, a few allocations per file
	arena *Arena      // lends nodes, Content slices and lines when not nil
}

// Arena lends the memory of the trees it parses to the next ones: a
// caller that is done with a tree, and keeps none of its nodes, calls
// Reset, and the next Parse builds in the same memory instead of
// allocating (the nodes were half the bytes a 100,000-item lint
// allocated, issue 13). Only the fast path uses it; trees yaml.v3 builds
// are ordinary. An Arena is for one goroutine at a time.
type Arena struct {
	nodes     []yaml.Node
	usedNodes int
	ptrs      []*yaml.Node
	usedPtrs  int
	lines     []fastLine
}

// Parse is yamlx.Parse building in the arena: the tree is valid until
// the next Reset.
func (a *Arena) Parse(data []byte) (*yaml.Node, error) { return parse(data, a) }

// Reset takes back every tree parsed since the last Reset; the caller
// must keep none of their nodes. It clears them, so that the strings they
// held can be collected.
func (a *Arena) Reset() {
	clear(a.nodes[:a.usedNodes])
	clear(a.ptrs[:a.usedPtrs])
	a.usedNodes, a.usedPtrs = 0, 0
}

// nodes returns n zeroed nodes, from the arena when there is one.
func (p *fastParser) nodes(n int) []yaml.Node {
	a := p.arena
	if a == nil {
		return make([]yaml.Node, n)
	}
	if a.usedNodes+n > len(a.nodes) {
		if a.usedNodes > 0 {
			return make([]yaml.Node, n) // in use: leave it be until Reset
		}
		a.nodes = make([]yaml.Node, 2*n)
	}
	s := a.nodes[a.usedNodes : a.usedNodes+n : a.usedNodes+n]
	a.usedNodes += n
	return s
}

// content returns an empty Content slice with room for n children.
func (p *fastParser) content(n int) []*yaml.Node {
	a := p.arena
	if a == nil {
		return make([]*yaml.Node, 0, n)
	}
	if a.usedPtrs+n > len(a.ptrs) {
		if a.usedPtrs > 0 {
			return make([]*yaml.Node, 0, n)
		}
		a.ptrs = make([]*yaml.Node, max(4*n, 256))
	}
	s := a.ptrs[a.usedPtrs : a.usedPtrs : a.usedPtrs+n]
	a.usedPtrs += n
	return s
}

// splitLines fills p.lines and refuses text the parser does not accept
// byte by byte: control characters (tabs and carriage returns included),
// DEL, and characters yaml.v3 treats as line breaks or refuses.
func (p *fastParser) splitLines() bool {
	data := p.data
	if len(data) == 0 {
		return false
	}
	if n := bytes.Count(data, []byte{'\n'}) + 1; cap(p.lines) < n {
		p.lines = make([]fastLine, 0, n)
	}
	start, indent, leading := 0, 0, true
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '\n':
			p.lines = append(p.lines, fastLine{start, i, indent})
			i++
			start, indent, leading = i, 0, true
			continue
		case c == ' ':
			if leading {
				indent++
			}
		case c < 0x20 || c == 0x7F:
			return false
		case c >= 0x80:
			r, size := utf8.DecodeRune(data[i:])
			if !printableRune(r) {
				return false
			}
			leading = false
			i += size
			continue
		default:
			leading = false
		}
		i++
	}
	if start < len(data) {
		p.lines = append(p.lines, fastLine{start, len(data), indent})
	}
	return true
}

// printableRune reports whether yaml.v3 reads r as an ordinary printable
// character (not a line break, byte order mark or non-character).
func printableRune(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return false // invalid UTF-8 is refused before the fast path; stay safe
	case r >= 0xA0 && r <= 0xD7FF:
		return r != 0x2028 && r != 0x2029
	case r >= 0xE000 && r <= 0xFFFD:
		return r != 0xFEFF
	default:
		return r >= 0x10000 && r <= 0x10FFFF
	}
}

func (p *fastParser) lineText(i int) string {
	l := p.lines[i]
	return string(p.data[l.start:l.end])
}

// blank reports whether line i holds only spaces.
func (p *fastParser) blank(i int) bool {
	l := p.lines[i]
	return l.start+l.indent == l.end
}

// skipBlank moves p.next past blank lines and returns it.
func (p *fastParser) skipBlank() int {
	for p.next < len(p.lines) && p.blank(p.next) {
		p.next++
	}
	return p.next
}

// estimateNodes estimates from the lines how many nodes the tree will
// have, so that they are allocated at once and few are left unused: two
// for the document and its mapping, two per "key:", one per dash, and one
// per element of a flow sequence. Lines of block scalars that look like
// these count too; the estimate only sizes an allocation.
func (p *fastParser) estimateNodes() int {
	n := 2
	for i := range p.lines {
		l := p.lines[i]
		off := l.start + l.indent
		if off == l.end || p.data[off] == '#' {
			continue
		}
		if p.data[off] == '-' && (off+1 == l.end || p.data[off+1] == ' ') {
			n++
			for off++; off < l.end && p.data[off] == ' '; off++ {
			}
		}
		if off < l.end && p.looksLikeKey(i, off) {
			n += 2
		}
		if k := bytes.IndexByte(p.data[off:l.end], '['); k >= 0 {
			n += 1 + bytes.Count(p.data[off+k:l.end], []byte{','})
		}
	}
	return n
}

func (p *fastParser) newNode(kind yaml.Kind, tag, value string, line, col int) *yaml.Node {
	if len(p.slab) == 0 {
		p.slab = p.nodes(16) // the estimate fell short
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind, n.Tag, n.Value, n.Line, n.Column = kind, tag, value, line, col
	return n
}

// column is the 1-based column, in characters, of byte off of line i.
func (p *fastParser) column(i, off int) int {
	l := p.lines[i]
	col := 1
	for j := l.start; j < off; {
		if p.data[j] < 0x80 {
			j++
		} else {
			_, size := utf8.DecodeRune(p.data[j:])
			j += size
		}
		col++
	}
	return col
}

// mapping parses a block mapping whose keys sit at indent; its first key
// starts at byte off of line i (later keys start their lines).
func (p *fastParser) mapping(indent, i, off int) (*yaml.Node, bool) {
	m := p.newNode(yaml.MappingNode, "!!map", "", i+1, p.column(i, off))
	m.Content = p.content(2 * p.entries(i, indent, false))
	head := ""
	for {
		key, after, ok := p.key(i, off)
		if !ok {
			return nil, false
		}
		key.HeadComment = head
		p.next = i + 1
		value, ok := p.value(indent, i, after)
		if !ok {
			return nil, false
		}
		m.Content = append(m.Content, key, value)
		oneLine := !p.restBlank(i, after) && value.Style != yaml.LiteralStyle
		p.skipBlank()
		if head, ok = p.commentsAbove(indent, oneLine); !ok {
			return nil, false
		}
		i = p.next
		if i == len(p.lines) || p.lines[i].indent < indent {
			return m, true
		}
		if p.lines[i].indent > indent {
			return nil, false // a continuation line or a stray indent
		}
		off = p.lines[i].start + indent
	}
}

// commentsAbove reads the comment lines from p.next on, which yaml.v3
// makes the head comment of the key below them. It takes them only in
// the layout whose attachment is plain: lines starting with "#" in column
// 1, between two entries of the top-level mapping whose first holds a
// one-line value, directly above the second key.
func (p *fastParser) commentsAbove(indent int, afterOneLine bool) (string, bool) {
	c := p.next
	for c < len(p.lines) && p.lines[c].indent == 0 && p.lines[c].start < p.lines[c].end && p.data[p.lines[c].start] == '#' {
		c++
	}
	if c == p.next {
		return "", true
	}
	if indent != 0 || !afterOneLine || c == len(p.lines) || p.blank(c) {
		return "", false
	}
	lines := make([]string, 0, c-p.next)
	for k := p.next; k < c; k++ {
		lines = append(lines, p.lineText(k))
	}
	p.next = c
	return strings.Join(lines, "\n"), true
}

// entries counts the lines from line i on that may start an entry of a
// collection at indent (for a sequence, lines with a dash there), up to
// the first line indented less: the capacity its Content needs, so that
// it is allocated once. Line i counts whatever its indent (a mapping in
// a sequence item starts after the dash).
func (p *fastParser) entries(i, indent int, dash bool) int {
	n := 1
	for k := i + 1; k < len(p.lines); k++ {
		l := p.lines[k]
		switch {
		case p.blank(k) || l.indent > indent:
		case l.indent < indent:
			return n
		case !dash || p.data[l.start+indent] == '-':
			n++
		}
	}
	return n
}

// key reads "word:" at byte off of line i and returns the key node and the
// offset after the colon.
func (p *fastParser) key(i, off int) (*yaml.Node, int, bool) {
	j := p.keyEnd(i, off)
	if j < 0 || j-off > maxKeyLength {
		return nil, 0, false
	}
	word := keyString(p.data[off:j])
	if _, special := specialPlain[word]; special {
		return nil, 0, false
	}
	return p.newNode(yaml.ScalarNode, "!!str", word, i+1, p.column(i, off)), j + 1, true
}

// maxKeyLength bounds the keys this parser reads; yaml.v3 takes a key of
// over 1,024 characters for no key at all.
const maxKeyLength = 128

// knownKeys are the keys of qbank's files, kept as constants so that
// reading a key allocates nothing.
var knownKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range strings.Fields(`id revision status domain task type difficulty stem options text
		correct why explanation references tags enemies author exam code title domains weight tasks
		form version items scored pretest seed cut scale b se n p r_pb flags`) {
		m[k] = k
	}
	return m
}()

func keyString(b []byte) string {
	if k, ok := knownKeys[string(b)]; ok {
		return k
	}
	return string(b)
}

func isKeyStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

func isKeyByte(c byte) bool { return isKeyStart(c) || c >= '0' && c <= '9' || c == '-' }

// specialPlain are the plain scalars that yaml.v3 resolves to something
// other than a string without starting with a digit, sign or dot.
var specialPlain = map[string]struct{}{
	"true": {}, "True": {}, "TRUE": {}, "false": {}, "False": {}, "FALSE": {},
	"null": {}, "Null": {}, "NULL": {}, "~": {}, "<<": {},
}

// value parses the value after a key's colon at byte off of line i, in a
// mapping at indent. p.next is the line after i.
func (p *fastParser) value(indent, i, off int) (*yaml.Node, bool) {
	l := p.lines[i]
	for off < l.end && p.data[off] == ' ' {
		off++
	}
	if off == l.end {
		return p.blockValue(indent)
	}
	return p.inlineValue(indent, i, off)
}

// blockValue parses a value that starts on the next line: a nested
// mapping or a block sequence (which may sit at the key's own indent).
func (p *fastParser) blockValue(indent int) (*yaml.Node, bool) {
	j := p.skipBlank()
	if j == len(p.lines) {
		return nil, false // an empty value
	}
	l := p.lines[j]
	first := p.data[l.start+l.indent]
	switch {
	case first == '#':
		return nil, false
	case first == '-' && l.indent >= indent:
		return p.sequence(l.indent, indent)
	case l.indent > indent:
		return p.mapping(l.indent, j, l.start+l.indent)
	}
	return nil, false // an empty value
}

// inlineValue parses a value that starts at byte off of line i.
func (p *fastParser) inlineValue(indent, i, off int) (*yaml.Node, bool) {
	switch p.data[off] {
	case '"':
		return p.doubleQuoted(i, off)
	case '\'':
		return p.singleQuoted(i, off)
	case '|':
		return p.literal(indent, i, off)
	case '[':
		return p.flowSequence(i, off)
	}
	return p.plain(i, off)
}

// isIndicator reports whether a plain scalar may not start with c (or
// whether this parser leaves such a scalar to yaml.v3).
func isIndicator(c byte) bool {
	return strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", c) >= 0
}

// plain parses a one-line plain scalar from byte off to the end of line i.
func (p *fastParser) plain(i, off int) (*yaml.Node, bool) {
	l := p.lines[i]
	if isIndicator(p.data[off]) {
		return nil, false
	}
	end := l.end
	for end > off && p.data[end-1] == ' ' {
		end--
	}
	text := p.data[off:end]
	for k, c := range text {
		if c == ':' && (k+1 == len(text) || text[k+1] == ' ') {
			return nil, false // a key, or a colon yaml.v3 refuses here
		}
		if c == '#' && text[k-1] == ' ' { // k > 0: text starts with no '#'
			return nil, false // a comment
		}
	}
	s := string(text)
	tag, ok := plainTag(s)
	if !ok {
		return nil, false
	}
	return p.newNode(yaml.ScalarNode, tag, s, i+1, p.column(i, off)), true
}

// plainTag returns the tag yaml.v3 resolves a plain scalar to, or false
// when it may be a number, date or special value, which this parser
// leaves to yaml.v3 (small integers excepted).
func plainTag(s string) (string, bool) {
	switch c := s[0]; {
	case c >= '0' && c <= '9' || c == '+' || c == '.':
		return numericLookingTag(s)
	case c == '-':
		return "", false
	}
	if _, ok := Bool(s); ok {
		return "!!bool", true
	}
	if _, special := specialPlain[s]; special {
		return "", false
	}
	return "!!str", true
}

// numericLookingTag resolves a plain scalar that starts like a number
// ("24/7 support", "3 years"). yaml.v3 tries it as a timestamp (four
// digits and a dash first), then with strconv as an integer or a float,
// none of which accepts a character other than letters, digits and "_.+-"
// once the timestamp is ruled out: such a scalar is a string.
func numericLookingTag(s string) (string, bool) {
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if _, ok := Decimal(s); ok {
		return "!!int", true // not 0123, octal to yaml.v3, nor 08, a float
	}
	switch {
	case digits == 4 && len(s) > 4 && s[4] == '-':
		return "", false // maybe a timestamp
	}
	for k := 0; k < len(s); k++ {
		c := s[k]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.' || c == '+' || c == '-') {
			return "!!str", true
		}
	}
	return "", false
}

// restBlank reports whether line i holds only spaces from byte off on.
func (p *fastParser) restBlank(i, off int) bool {
	for ; off < p.lines[i].end; off++ {
		if p.data[off] != ' ' {
			return false
		}
	}
	return true
}

// doubleQuoted parses a one-line double-quoted scalar without escapes.
func (p *fastParser) doubleQuoted(i, off int) (*yaml.Node, bool) {
	l := p.lines[i]
	for j := off + 1; j < l.end; j++ {
		switch p.data[j] {
		case '\\':
			return nil, false
		case '"':
			if !p.restBlank(i, j+1) {
				return nil, false
			}
			n := p.newNode(yaml.ScalarNode, "!!str", string(p.data[off+1:j]), i+1, p.column(i, off))
			n.Style = yaml.DoubleQuotedStyle
			return n, true
		}
	}
	return nil, false
}

// singleQuoted parses a one-line single-quoted scalar, in which two
// quotes in a row stand for one.
func (p *fastParser) singleQuoted(i, off int) (*yaml.Node, bool) {
	l := p.lines[i]
	for j := off + 1; j < l.end; j++ {
		if p.data[j] != '\'' {
			continue
		}
		if j+1 < l.end && p.data[j+1] == '\'' {
			j++ // an escaped quote
			continue
		}
		if !p.restBlank(i, j+1) {
			return nil, false
		}
		n := p.newNode(yaml.ScalarNode, "!!str", unquoteSingle(p.data[off+1:j]), i+1, p.column(i, off))
		n.Style = yaml.SingleQuotedStyle
		return n, true
	}
	return nil, false
}

// unquoteSingle turns the text between single quotes into its value.
func unquoteSingle(b []byte) string {
	s := string(b)
	if strings.Contains(s, "''") {
		s = strings.ReplaceAll(s, "''", "'")
	}
	return s
}

// literal parses a literal block scalar whose "|" or "|-" header is at
// byte off of line i, in a mapping at indent.
func (p *fastParser) literal(indent, i, off int) (*yaml.Node, bool) {
	strip := false
	j := off + 1
	if j < p.lines[i].end && p.data[j] == '-' {
		strip = true
		j++
	}
	if !p.restBlank(i, j) {
		return nil, false // keep chomping, an indentation indicator, a comment
	}
	k := i + 1
	if k == len(p.lines) || p.blank(k) || p.lines[k].indent <= indent {
		return nil, false // leading blank lines or an empty scalar
	}
	contentIndent := p.lines[k].indent
	var b strings.Builder
	pendingBreaks, last := 0, k
	for ; k < len(p.lines); k++ {
		l := p.lines[k]
		if p.blank(k) {
			if l.end-l.start > contentIndent {
				return nil, false // spaces beyond the indentation
			}
			pendingBreaks++
			continue
		}
		if l.indent < contentIndent {
			break
		}
		if k > i+1 {
			b.WriteByte('\n')
		}
		for ; pendingBreaks > 0; pendingBreaks-- {
			b.WriteByte('\n')
		}
		b.Write(p.data[l.start+contentIndent : l.end])
		last = k
	}
	if !strip && p.lines[last].end < len(p.data) {
		b.WriteByte('\n') // clip keeps the last content line's break, if any
	}
	p.next = k
	n := p.newNode(yaml.ScalarNode, "!!str", b.String(), i+1, p.column(i, off))
	n.Style = yaml.LiteralStyle
	return n, true
}

// flowSequence parses a one-line flow sequence of simple plain scalars.
func (p *fastParser) flowSequence(i, off int) (*yaml.Node, bool) {
	l := p.lines[i]
	seq := p.newNode(yaml.SequenceNode, "!!seq", "", i+1, p.column(i, off))
	seq.Style = yaml.FlowStyle
	j := off + 1
	for {
		for j < l.end && p.data[j] == ' ' {
			j++
		}
		if j == l.end {
			return nil, false
		}
		if p.data[j] == ']' && len(seq.Content) == 0 {
			break
		}
		start := j
		for j < l.end && !isFlowStop(p.data[j]) {
			j++
		}
		end := j
		for end > start && p.data[end-1] == ' ' {
			end--
		}
		if end == start || j == l.end || isIndicator(p.data[start]) {
			return nil, false
		}
		s := string(p.data[start:end])
		tag, ok := plainTag(s)
		if !ok {
			return nil, false
		}
		if seq.Content == nil { // "[]" keeps a nil Content, as yaml.v3's
			seq.Content = p.content(1 + bytes.Count(p.data[off:l.end], []byte{','}))
		}
		seq.Content = append(seq.Content, p.newNode(yaml.ScalarNode, tag, s, i+1, p.column(i, start)))
		if p.data[j] == ']' {
			break
		}
		if p.data[j] != ',' {
			return nil, false
		}
		j++
	}
	if !p.restBlank(i, j+1) {
		return nil, false
	}
	return seq, true
}

// isFlowStop reports whether c ends a plain scalar in a flow sequence, or
// is a character this parser leaves to yaml.v3 there: elements are words
// of letters, digits, "-", "_", "." and inner spaces.
func isFlowStop(c byte) bool {
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ' ')
}

// sequence parses a block sequence whose dashes sit at indent; parent is
// the indent of the mapping that holds it.
func (p *fastParser) sequence(indent, parent int) (*yaml.Node, bool) {
	i := p.next
	seq := p.newNode(yaml.SequenceNode, "!!seq", "", i+1, p.column(i, p.lines[i].start+indent))
	seq.Content = p.content(p.entries(i, indent, true))
	for {
		l := p.lines[i]
		dash := l.start + indent
		if dash+1 >= l.end || p.data[dash+1] != ' ' {
			return nil, false // "-" alone, or "-x"
		}
		off := dash + 1
		for off < l.end && p.data[off] == ' ' {
			off++
		}
		if off == l.end {
			return nil, false
		}
		p.next = i + 1
		var item *yaml.Node
		var ok bool
		if p.looksLikeKey(i, off) {
			item, ok = p.mapping(off-l.start, i, off)
		} else if c := p.data[off]; c == '|' || c == '-' {
			ok = false
		} else {
			item, ok = p.inlineValue(indent, i, off)
		}
		if !ok {
			return nil, false
		}
		seq.Content = append(seq.Content, item)
		i = p.skipBlank()
		if i == len(p.lines) || p.lines[i].indent < indent {
			return seq, true
		}
		l = p.lines[i]
		if l.indent > indent || p.data[l.start+indent] == '#' {
			return nil, false
		}
		if p.data[l.start+indent] != '-' {
			if indent == parent {
				return seq, true // the mapping's next key
			}
			return nil, false
		}
	}
}

// looksLikeKey reports whether "word:" followed by a space or the end of
// the line starts at byte off of line i.
func (p *fastParser) looksLikeKey(i, off int) bool { return p.keyEnd(i, off) >= 0 }

// keyEnd returns the end of the word of "word:" at byte off of line i
// (the colon followed by a space or the end of the line), or -1.
func (p *fastParser) keyEnd(i, off int) int {
	l := p.lines[i]
	if off >= l.end || !isKeyStart(p.data[off]) {
		return -1
	}
	j := off
	for j < l.end && isKeyByte(p.data[j]) {
		j++
	}
	if j < l.end && p.data[j] == ':' && (j+1 == l.end || p.data[j+1] == ' ') {
		return j
	}
	return -1
}
