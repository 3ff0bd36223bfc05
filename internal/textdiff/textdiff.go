// Package textdiff renders differences between texts for people: unified
// line diffs (qbank fmt -d, lint --since) and word-level diffs with semantic
// cleanup (qbank diff). It wraps github.com/sergi/go-diff.
package textdiff

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op is the kind of a diff segment.
type Op int

// Segment kinds.
const (
	Equal Op = iota
	Insert
	Delete
)

// Segment is a run of text that is equal, inserted or deleted.
type Segment struct {
	Op   Op
	Text string
}

// tokenize splits s into words, runs of white space and single punctuation
// characters, so a diff never cuts a word in two.
func tokenize(s string) []string {
	var toks []string
	start := 0
	class := func(r rune) int {
		switch {
		case unicode.IsSpace(r):
			return 0
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '\'':
			return 1
		}
		return 2
	}
	prev := -1
	for i, r := range s {
		c := class(r)
		if i > start && (c != prev || c == 2) {
			toks = append(toks, s[start:i])
			start = i
		}
		prev = c
	}
	if start < len(s) {
		toks = append(toks, s[start:])
	}
	return toks
}

// encode maps every distinct token to a rune so that the character diff of
// go-diff becomes a token diff.
func encode(toks []string, dict map[string]rune, table *[]string) string {
	var b strings.Builder
	for _, t := range toks {
		r, ok := dict[t]
		if !ok {
			r = rune(len(*table)) + 0xE000 // private use area, then beyond
			if r >= 0xF900 {
				r += 0x10000 - 0xF900 + 0xF0000 - 0x10000
			}
			dict[t] = r
			*table = append(*table, t)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Words returns the word-level diff of a and b after semantic cleanup
// (go-diff's DiffCleanupSemantic), as segments.
func Words(a, b string) []Segment {
	dict := map[string]rune{}
	var table []string
	ea := encode(tokenize(a), dict, &table)
	eb := encode(tokenize(b), dict, &table)
	dmp := diffmatchpatch.New()
	// Clean up on tokens, so no boundary moves into the middle of a word.
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(ea, eb, false))
	decoded := make([]diffmatchpatch.Diff, len(diffs))
	for i, d := range diffs {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(table[index(r)])
		}
		decoded[i] = diffmatchpatch.Diff{Type: d.Type, Text: sb.String()}
	}
	var out []Segment
	for _, d := range decoded {
		op := opOf(d.Type)
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += d.Text
			continue
		}
		out = append(out, Segment{Op: op, Text: d.Text})
	}
	return out
}

// opOf maps go-diff's operation to a segment kind.
func opOf(t diffmatchpatch.Operation) Op {
	switch t {
	case diffmatchpatch.DiffInsert:
		return Insert
	case diffmatchpatch.DiffDelete:
		return Delete
	}
	return Equal
}

func index(r rune) int {
	if r >= 0xF0000 {
		return int(r-0xF0000) + (0xF900 - 0xE000)
	}
	return int(r - 0xE000)
}

// Unified returns a unified diff of a and b (by lines) with the given
// number of context lines, headed "--- aName" / "+++ bName". It returns ""
// when the texts are equal.
func Unified(aName, bName, a, b string, context int) string {
	if a == b {
		return ""
	}
	all := diffLines(a, b)
	var b2 strings.Builder
	fmt.Fprintf(&b2, "--- %s\n+++ %s\n", aName, bName)
	// Group changes into hunks with context.
	for i := 0; i < len(all); {
		if all[i].op == Equal {
			i++
			continue
		}
		start := max(i-context, 0)
		end := hunkEnd(all, i, context)
		// Line numbers of the hunk in a and b.
		aBefore, bBefore := sideLens(all[:start])
		aLen, bLen := sideLens(all[start:end])
		fmt.Fprintf(&b2, "@@ -%s +%s @@\n", hunkRange(aBefore+1, aLen), hunkRange(bBefore+1, bLen))
		writeHunkLines(&b2, all[start:end])
		i = end
	}
	return b2.String()
}

// diffLine is one line of a line diff, with its trailing newline if any.
type diffLine struct {
	op   Op
	text string
}

// diffLines returns the line diff of a and b.
func diffLines(a, b string) []diffLine {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var all []diffLine
	for _, d := range diffs {
		op := opOf(d.Type)
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				all = append(all, diffLine{op, l})
			}
		}
	}
	return all
}

// hunkEnd returns the end (exclusive) of the hunk whose first change is
// all[i]: changes closer than 2*context equal lines join it, and context
// equal lines follow the last one.
func hunkEnd(all []diffLine, i, context int) int {
	end := i
	for end < len(all) {
		if all[end].op != Equal {
			end++
			continue
		}
		// Look ahead: does another change start within 2*context?
		j := end
		for j < len(all) && all[j].op == Equal && j-end < 2*context {
			j++
		}
		if j < len(all) && all[j].op != Equal {
			end = j
			continue
		}
		return min(end+context, len(all))
	}
	return end
}

// sideLens returns how many of lines belong to a and to b.
func sideLens(lines []diffLine) (aLen, bLen int) {
	for _, l := range lines {
		if l.op != Insert {
			aLen++
		}
		if l.op != Delete {
			bLen++
		}
	}
	return aLen, bLen
}

// writeHunkLines writes the lines of a hunk with their +, - or space
// prefix, marking a last line without a newline.
func writeHunkLines(w *strings.Builder, lines []diffLine) {
	for _, l := range lines {
		prefix := " "
		switch l.op {
		case Insert:
			prefix = "+"
		case Delete:
			prefix = "-"
		}
		w.WriteString(prefix + l.text)
		if !strings.HasSuffix(l.text, "\n") {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
