package htmlreport

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Markdown renders item Markdown (stems, options, whys, explanations) to
// HTML. Raw HTML in the source is never passed through (goldmark's
// default: it becomes a comment), link URLs that could run code
// (javascript:, data:) are dropped by goldmark, and images are shown as
// their alt text with the address, never loaded: a report must stay
// self-contained and make no request.
type Markdown struct {
	md goldmark.Markdown
}

// NewMarkdown returns the renderer.
func NewMarkdown() *Markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(noImages{}, 100))),
	)
	return &Markdown{md: md}
}

// Render returns src as safe HTML; an error (which goldmark does not give
// for any input) falls back to the escaped text.
func (m *Markdown) Render(src string) template.HTML {
	var b bytes.Buffer
	if err := m.md.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(b.String())
}

// noImages renders an image as "[image: alt]" text.
type noImages struct{}

func (noImages) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<span class="noimg">[image: `)
			return ast.WalkContinue, nil
		}
		img := n.(*ast.Image)
		_, _ = w.WriteString(" &lt;" + template.HTMLEscapeString(string(img.Destination)) + "&gt;]</span>")
		return ast.WalkContinue, nil
	})
}
