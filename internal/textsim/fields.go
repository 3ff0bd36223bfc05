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
// does, several times faster on ASCII text (one pass over the bytes, the
// words sharing one lower-cased copy). Text with other characters takes
// that definition.
func Fields(s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.FieldsFunc(strings.ToLower(s), notLetterOrDigit)
		}
	}
	// One pass: each byte lower-cased through a table into one copy of
	// s, the words noted as slices of it.
	buf := make([]byte, len(s))
	bounds := make([]int32, 0, len(s)/4+2)
	inWord := false
	for i := 0; i < len(s); i++ {
		c := asciiFold[s[i]]
		buf[i] = c
		if (c != 0) != inWord {
			bounds = append(bounds, int32(i))
			inWord = !inWord
		}
	}
	if inWord {
		bounds = append(bounds, int32(len(s)))
	}
	lower := string(buf)
	out := make([]string, len(bounds)/2)
	for k := range out {
		out[k] = lower[bounds[2*k]:bounds[2*k+1]]
	}
	return out
}

// asciiFold maps an ASCII letter or digit to its lower case, and every
// other byte to 0.
var asciiFold = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	return t
}()

func notLetterOrDigit(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
