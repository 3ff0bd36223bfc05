package svgchart

import (
	"fmt"
	"strconv"
	"strings"
)

// Gauge is a score on a scale: a horizontal bar from Min to Max with the
// passing mark, the score and its band (the likely range).
type Gauge struct {
	ID          string
	Title, Desc string
	Min, Max    int
	Pass        int
	Score       int
	Band        [2]int
	// Passed colours the score's marker green, else red.
	Passed bool
}

// SVG returns the gauge as an <svg> element.
func (g Gauge) SVG() string {
	const w, h, x0, x1, y0, y1 = 360.0, 112.0, 16.0, 344.0, 30.0, 58.0
	span := float64(g.Max - g.Min)
	if span <= 0 {
		span = 1
	}
	x := func(v int) float64 { return x0 + float64(v-g.Min)/span*(x1-x0) }
	col := "#b00020"
	if g.Passed {
		col = "#046c2b"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" role="img" aria-labelledby="%s-t %s-d" class="chart gauge" font-family="sans-serif" font-size="13">`,
		f1(w), f1(h), esc(g.ID), esc(g.ID))
	fmt.Fprintf(&b, "\n<title id=\"%s-t\">%s</title>\n<desc id=\"%s-d\">%s</desc>\n", esc(g.ID), esc(g.Title), esc(g.ID), esc(g.Desc))
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#fde2e1"/>`+"\n", f1(x0), f1(y0), f1(x(g.Pass)-x0), f1(y1-y0))
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#dff3e4"/>`+"\n", f1(x(g.Pass)), f1(y0), f1(x1-x(g.Pass)), f1(y1-y0))
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.35"><title>likely range %d-%d</title></rect>`+"\n",
		f1(x(g.Band[0])), f1(y0+8), f1(max(x(g.Band[1])-x(g.Band[0]), 2)), f1(y1-y0-16), col, g.Band[0], g.Band[1])
	step := 100
	if g.Max-g.Min < 500 {
		step = max(1, (g.Max-g.Min)/5)
	}
	for v := g.Min; v <= g.Max; v += step {
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#888"/><text x="%s" y="%s" text-anchor="middle" fill="#333" font-size="10">%d</text>`+"\n",
			f1(x(v)), f1(y1), f1(x(v)), f1(y1+4), f1(x(v)), f1(y1+15), v)
	}
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#888"/>`+"\n", f1(x0), f1(y0), f1(x1-x0), f1(y1-y0))
	fmt.Fprintf(&b, `<line class="ref" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000" stroke-width="3"/>`+"\n", f1(x(g.Pass)), f1(y0-6), f1(x(g.Pass)), f1(y1+6))
	fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-weight="bold">%d to pass</text>`+"\n", f1(x(g.Pass)), f1(y0-10), g.Pass)
	fmt.Fprintf(&b, `<path d="M %s %s l -7 -12 h 14 z" fill="%s"/>`+"\n", f1(x(g.Score)), f1(y0+18), col)
	anchor := "middle"
	if g.Score-g.Min < (g.Max-g.Min)/4 {
		anchor = "start"
	} else if g.Max-g.Score < (g.Max-g.Min)/4 {
		anchor = "end"
	}
	fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" font-weight="bold" font-size="16" fill="%s">your score %d</text>`+"\n", f1(x(g.Score)), f1(y1+34), anchor, col, g.Score)
	b.WriteString("</svg>")
	return b.String()
}

// Table returns the numbers behind the gauge.
func (g Gauge) Table() Table {
	it := strconv.Itoa
	return Table{Head: []string{"score", "likely range", "passing score", "scale"},
		Rows: [][]string{{it(g.Score), it(g.Band[0]) + "-" + it(g.Band[1]), it(g.Pass), it(g.Min) + "-" + it(g.Max)}}}
}
