// Package htmlreport writes qbank's HTML pages: the item analysis (qbank
// analyze --format html), candidates' score reports (qbank score --format
// html) and item previews (qbank preview). Each page is one
// self-contained file: inline CSS and SVG charts (package svgchart), no
// script, no font, no image, no request, so that it works offline and as
// an e-mail attachment. Pages are written with html/template from
// embedded templates: every text from items and responses is escaped;
// item Markdown goes through goldmark with raw HTML off (Markdown).
// Every chart has a title, a description and the numbers behind it in a
// table.
package htmlreport

import (
	"bytes"
	"embed"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/qbank/qbank/internal/svgchart"
)

//go:embed templates/*.html
var templateFS embed.FS

// Figure is a chart with its caption and the table of its numbers.
type Figure struct {
	ID      string
	SVG     template.HTML
	Caption string
	Table   svgchart.Table
}

// figure renders c; table, when not nil, replaces the chart's own table.
func figure(c svgchart.Chart, caption string, table *svgchart.Table) Figure {
	f := Figure{ID: c.ID, SVG: template.HTML(c.SVG()), Caption: caption, Table: c.Table()} // svgchart escapes every text
	if table != nil {
		f.Table = *table
	}
	return f
}

// page is what the layout needs besides the body's own data.
type page struct {
	Title     string
	Generated string
	Body      any
}

func execute(w io.Writer, name string, title, generated string, body any, funcs template.FuncMap) error {
	base := template.FuncMap{
		"pct":  pct,
		"f2":   func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) },
		"f3":   func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) },
		"join": strings.Join,
		"add":  func(a, b int) int { return a + b },
	}
	for k, v := range funcs {
		base[k] = v
	}
	t, err := template.New(name).Funcs(base).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "page", page{Title: title, Generated: generated, Body: body}); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// pct prints a share as a whole percentage.
func pct(v float64) string { return strconv.Itoa(int(v*100+0.5)) + " %" }

// safeID turns s into a string usable in an id attribute and a fragment.
func safeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
