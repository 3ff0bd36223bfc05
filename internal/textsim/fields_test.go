package textsim

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// fieldsByDefinition is what Fields must return.
func fieldsByDefinition(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), notLetterOrDigit)
}

func TestFieldsIsTheDefinition(t *testing.T) {
	alphabet := []string{"a", "Z", "q", "0", "9", " ", "  ", "\n", "-", ".", "(", "'", "_", "\t", "É", "é", "ß", "İ", "٣", "—", "\u00a0", "x"}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []string{"", " ", "Which AWS service? (Select TWO.)", "A company's S3 bucket", "abc", "ABC DEF", "x1-y2_z3", "Ünïcode words", "trailing "}
	for range 20000 {
		var b strings.Builder
		for n := rng.IntN(12); n >= 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		checkFields(t, s)
	}
}

// checkFields requires Fields and FieldsSeq to give the definition's words.
func checkFields(t *testing.T, s string) {
	t.Helper()
	want := fieldsByDefinition(s)
	if got := Fields(s); !slices.Equal(got, want) {
		t.Fatalf("Fields(%q) = %q, want %q", s, got, want)
	}
	if got := slices.Collect(FieldsSeq(s)); !slices.Equal(got, want) {
		t.Fatalf("FieldsSeq(%q) yields %q, want %q", s, got, want)
	}
	// A caller may stop early.
	for stop := range len(want) {
		var got []string
		for w := range FieldsSeq(s) {
			if got = append(got, w); len(got) == stop+1 {
				break
			}
		}
		if !slices.Equal(got, want[:stop+1]) {
			t.Fatalf("FieldsSeq(%q) stopped after %d words yields %q", s, stop+1, got)
		}
	}
}

func FuzzFields(f *testing.F) {
	f.Add("Which AWS service meets these requirements? (Select TWO.)")
	f.Add("Ünïcode İ ß")
	f.Fuzz(checkFields)
}

func BenchmarkFields(b *testing.B) {
	s := "A company wants to migrate its on-premises Oracle databases to AWS with the least operational overhead. Which AWS service should it use?"
	b.Run("Fields", func(b *testing.B) {
		for b.Loop() {
			Fields(s)
		}
	})
	b.Run("FieldsSeq", func(b *testing.B) {
		for b.Loop() {
			for range FieldsSeq(s) {
			}
		}
	})
	b.Run("definition", func(b *testing.B) {
		for b.Loop() {
			fieldsByDefinition(s)
		}
	})
}
