package textsim

import (
	"iter"
	"slices"
	"strings"
	"unicode"
)

// Fields returns the lower-cased runs of letters and digits of s, as
//
//	strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
//		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
//	})
//
// does: the words FieldsSeq yields, in a slice.
func Fields(s string) []string {
	return slices.Collect(FieldsSeq(s))
}

// FieldsSeq yields the words of Fields(s) one by one. On ASCII text a
// word is a slice of s, or a lower-cased copy of the word alone when it
// has upper case, so a caller that keeps only some words (or none: an
// index of them) allocates little. Text with other characters takes the
// definition.
func FieldsSeq(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				for _, w := range strings.FieldsFunc(strings.ToLower(s), notLetterOrDigit) {
					if !yield(w) {
						return
					}
				}
				return
			}
		}
		start, upper := -1, false
		for i := 0; i <= len(s); i++ {
			if i < len(s) && asciiFold[s[i]] != 0 {
				if start < 0 {
					start, upper = i, false
				}
				upper = upper || s[i] <= 'Z' && s[i] >= 'A'
				continue
			}
			if start >= 0 {
				w := s[start:i]
				if upper {
					w = lowerASCII(w)
				}
				if !yield(w) {
					return
				}
				start = -1
			}
		}
	}
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
