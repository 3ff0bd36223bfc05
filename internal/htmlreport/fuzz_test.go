package htmlreport

import (
	"strings"
	"testing"
)

// FuzzMarkdown: whatever an item's Markdown holds, the rendered HTML has
// nothing that runs or loads (activeParts finds none).
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		hostile, "<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "[a](javascript:alert(1))",
		"![i](http://x/y.png)", "<svg onload=alert(1)>", "<a href='javascript:x'>a</a>", "`<script>`",
		"[a](JaVaScRiPt:alert(1))", "<iframe src=x>", "<style>body{background:url(x)}</style>", "[a]: javascript:x\n\n[a]",
		"| a |\n|---|\n| <img src=x> |", "<!-- x --><script>", "&lt;script&gt;", "<details open ontoggle=alert(1)>",
	} {
		f.Add(s)
	}
	md := NewMarkdown()
	f.Fuzz(func(t *testing.T, src string) {
		out := string(md.Render(src))
		if strings.Contains(strings.ToLower(out), "<style") {
			t.Errorf("Markdown %q renders a style element", src)
		}
		if p := activeParts(out); len(p) > 0 {
			t.Errorf("Markdown %q renders active HTML: %s", src, strings.Join(p, "; "))
		}
	})
}
