package lint

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The rules' shortcuts must give exactly what the regular expressions
// they replace or guard give. Random texts are built from pieces that hit
// every edge: the white space of \s and the Unicode spaces it excludes,
// case variants, the long s that (?i) folds to s, word boundaries.
var textPieces = []string{
	" ", "  ", "\t", "\n", "\r\n", "\f", "\v", "\u00a0", "\u2003", "\u0085",
	"a", "b", "f", "n", "o", "z", "A", "Ä", "ä", "ſ", "K", "k", "1", ".", "!", ",", "(", ")", "“",
	"not", "NOT", "Not", "nOt", "knot", "nothing", "except", "EXCEPT", "excepted", "least", "LEAST", "leaſt", "at least", "at ", "atleast",
	"all", "of", "the", "above", "none", "both", "only", "neither", "either", "and", "or", "nor", "&", "options", "answers",
	"select", "(Select TWO.)", "( select", "TODO", "todo", "TODOs", "_TODO",
}

func randomText(rng *rand.Rand) string {
	var b strings.Builder
	for n := rng.IntN(12); n > 0; n-- {
		b.WriteString(textPieces[rng.IntN(len(textPieces))])
	}
	return b.String()
}

// bannedish returns a banned phrase, often changed a little: case, a piece
// inserted, a leading character.
func bannedish(rng *rand.Rand) string {
	phrases := []string{"All of the above", "none of these", "Both A and B", "b, c and d", "Only a or b", "Either of them", "neither c nor d", "All the above.", "any of the options", "a & f"}
	s := []byte(phrases[rng.IntN(len(phrases))])
	for i := range s {
		if rng.IntN(4) == 0 && s[i] >= 'a' && s[i] <= 'z' {
			s[i] -= 'a' - 'A'
		}
	}
	if rng.IntN(3) == 0 {
		i := rng.IntN(len(s) + 1)
		s = append(s[:i], append([]byte(textPieces[rng.IntN(len(textPieces))]), s[i:]...)...)
	}
	return string(s)
}

var spaceRE = regexp.MustCompile(`\s+`)

func TestFoldTextMatchesTheExpression(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50000; i++ {
		s := randomText(rng)
		want := spaceRE.ReplaceAllString(strings.ToLower(strings.TrimSpace(s)), " ")
		if got := foldText(s); got != want {
			t.Fatalf("foldText(%q) = %q; want %q", s, got, want)
		}
	}
}

func TestCheapTestsNeverHideAMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	hits := map[string]int{}
	for i := 0; i < 100000; i++ {
		s := randomText(rng)
		if i%2 == 1 && negativeRE.MatchString(s) {
			hits["negative"]++
			if !mayBeNegative(s) {
				t.Fatalf("mayBeNegative(%q) is false, but negativeRE matches", s)
			}
		}
		if i%2 == 0 {
			s = bannedish(rng)
		}
		f := strings.ReplaceAll(strings.TrimRight(foldText(s), ".!"), "“", "")
		if bannedRE.MatchString(f) {
			hits["banned"]++
			if !mayBeBanned(f) {
				t.Fatalf("mayBeBanned(%q) is false, but bannedRE matches", f)
			}
		}
		if placeholderRE.MatchString(s) {
			hits["placeholder"]++
			if !strings.Contains(s, "TODO") {
				t.Fatalf("placeholderRE matches %q, which has no TODO", s)
			}
		}
		if selectAnyRE.MatchString(s) {
			hits["select"]++
			if !strings.Contains(s, "(") {
				t.Fatalf("selectAnyRE matches %q, which has no parenthesis", s)
			}
		}
	}
	for _, k := range []string{"negative", "banned", "select", "placeholder"} {
		if hits[k] < 50 {
			t.Errorf("only %d texts match the %s expression; the test proves little", hits[k], k)
		}
	}
}
