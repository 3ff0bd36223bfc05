package textdiff

import (
	"strings"
	"testing"
)

func TestWordsKeepsWordsWhole(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"Use Amazon S3 for storage.", "Use Amazon EBS for storage.", "Use Amazon [-S3-]{+EBS+} for storage."},
		{"same text", "same text", "same text"},
		{"", "new", "{+new+}"},
		{"Which service is cheapest?", "Which AWS service is cheapest?", "Which {+AWS +}service is cheapest?"},
	}
	for _, tt := range tests {
		if got := Inline(Words(tt.a, tt.b)); got != tt.want {
			t.Errorf("Words(%q, %q) = %q; want %q", tt.a, tt.b, got, tt.want)
		}
	}
	if Changed(Words("x y", "x y")) {
		t.Error("equal texts reported as changed")
	}
}

func TestUnified(t *testing.T) {
	a := "one\ntwo\nthree\nfour\nfive\nsix\nseven\n"
	b := "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\n"
	want := "--- a\n+++ b\n@@ -2,3 +2,3 @@\n two\n-three\n+THREE\n four\n@@ -7 +7,2 @@\n seven\n+eight\n"
	if got := Unified("a", "b", a, b, 1); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if Unified("a", "b", a, a, 3) != "" {
		t.Error("equal texts gave a diff")
	}
}

// Inline renders (for the tests) a word diff on one line: deletions as [-old-], insertions
// as {+new+}, the convention of git diff --word-diff=plain.
func Inline(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		switch s.Op {
		case Equal:
			b.WriteString(s.Text)
		case Delete:
			b.WriteString("[-" + s.Text + "-]")
		case Insert:
			b.WriteString("{+" + s.Text + "+}")
		}
	}
	return b.String()
}

// Changed reports whether segs hold any insertion or deletion.
func Changed(segs []Segment) bool {
	for _, s := range segs {
		if s.Op != Equal {
			return true
		}
	}
	return false
}
