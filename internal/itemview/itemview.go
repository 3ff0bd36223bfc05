// Package itemview renders an item as text for a terminal (qbank show): as
// a candidate sees it - the stem as written (with its "(Select TWO.)") and
// the options lettered A, B, C, ... in authored order - and, for reviewers,
// the key, every option's why, the explanation and the references. Control
// characters in the item are printed as escapes (\x1b), never sent to the
// terminal.
package itemview

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/qbank/qbank/internal/bank"
)

// DefaultWidth is the column at which the long one-line texts (option
// whys) are wrapped.
const DefaultWidth = 80

// Options tune Render.
type Options struct {
	// Key adds the reviewer's view: key, whys, explanation, references.
	Key bool
	// Width wraps the whys (DefaultWidth when 0). Stems and explanations are
	// Markdown and are printed with their own line breaks.
	Width int
}

// Render writes it to w.
func Render(w io.Writer, it *bank.Item, opts Options) error {
	width := opts.Width
	if width <= 0 {
		width = DefaultWidth
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (revision %d, %s) - %s, task %s, %s\n\n", it.ID, it.Revision, it.Status, it.Domain, it.Task, typeName(it.Type))
	b.WriteString(strings.TrimRight(it.Stem, "\n") + "\n\n")
	for i, o := range it.Options {
		b.WriteString(hanging(bank.Letter(i)+". ", strings.TrimRight(o.Text, "\n")) + "\n")
	}
	if opts.Key {
		keys := it.Keys()
		var ks []string
		for _, k := range keys {
			ks = append(ks, bank.Letter(k))
		}
		label := "Key"
		if len(keys) > 1 {
			label = "Keys"
		}
		key := strings.Join(ks, ", ")
		if len(keys) == 0 {
			key = "none (no option is marked correct: true)"
		}
		fmt.Fprintf(&b, "\n%s: %s\n", label, key)
		b.WriteString("\nWhy:\n")
		for i, o := range it.Options {
			verdict := "wrong"
			if o.Correct {
				verdict = "correct"
			}
			why := strings.TrimSpace(o.Why)
			if why == "" {
				why = "(no why)"
			}
			prefix := fmt.Sprintf("  %s. %s: ", bank.Letter(i), verdict)
			b.WriteString(wrap(prefix, why, width) + "\n")
		}
		if e := strings.TrimRight(it.Explanation, "\n"); strings.TrimSpace(e) != "" {
			b.WriteString("\nExplanation:\n")
			b.WriteString(indent(e, "  ") + "\n")
		}
		b.WriteString("\nReferences:\n")
		if len(it.References) == 0 {
			b.WriteString("  (none)\n")
		}
		for _, r := range it.References {
			b.WriteString("  " + r + "\n")
		}
	}
	_, err := io.WriteString(w, visible(b.String()))
	return err
}

// visible escapes the characters of s that a terminal would act on instead
// of showing: C0 and C1 control characters other than newline and tab
// (escape sequences, carriage returns), DEL, and the bidirectional
// overrides that reorder text. An item is text from a contributor; show
// must print it, never let it drive the reviewer's terminal.
func visible(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !hidden(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func hidden(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func typeName(t string) string {
	switch t {
	case bank.TypeSingle:
		return "single answer"
	case bank.TypeMultiple:
		return "multiple response"
	}
	return t
}

// hanging prefixes the first line of text and indents the others under it.
func hanging(prefix, text string) string {
	pad := strings.Repeat(" ", len(prefix))
	lines := strings.Split(text, "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else if lines[i] != "" {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// indent prefixes every non-empty line of text.
func indent(text, prefix string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// wrap word-wraps text after prefix at width columns, continuation lines
// aligned under the text. A word longer than the line stays whole.
func wrap(prefix, text string, width int) string {
	pad := strings.Repeat(" ", len(prefix))
	var b strings.Builder
	line := prefix
	empty := true
	for _, word := range strings.Fields(text) {
		if !empty && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
			b.WriteString(line + "\n")
			line, empty = pad, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	b.WriteString(line)
	return b.String()
}
