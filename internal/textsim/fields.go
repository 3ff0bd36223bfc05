package textsim

import (
	"strings"
	"unicode"
)

// Fields returns the lower-cased runs of letters and digits of s, as
//
//	strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
//		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
//	})
//
// does, faster on ASCII text (the words share one lower-cased copy, or s
// itself). Text with other characters takes
// that definition.
func Fields(s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.FieldsFunc(strings.ToLower(s), notLetterOrDigit)
		}
	}
	// The words are slices of one lower-cased copy (s itself when it has
	// no upper case), counted first so that out is allocated once.
	lower := lowerASCII(s)
	n := 0
	for i := 0; i < len(lower); i++ {
		if asciiFold[lower[i]] != 0 && (i == 0 || asciiFold[lower[i-1]] == 0) {
			n++
		}
	}
	out := make([]string, 0, n)
	start := -1
	for i := 0; i < len(lower); i++ {
		switch word := asciiFold[lower[i]] != 0; {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, lower[start:])
	}
	return out
}

// asciiFold maps an ASCII letter or digit to its lower case, and every
// other byte to 0: non-zero means a byte of a word.
var asciiFold = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	return t
}()

// lowerASCII lower-cases ASCII text, copying only the runs between upper
// case letters (strings.ToLower writes it a byte at a time).
func lowerASCII(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			if last == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:i])
			b.WriteByte(c + 'a' - 'A')
			last = i + 1
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func notLetterOrDigit(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
