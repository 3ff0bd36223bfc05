// Package svgchart draws the charts of qbank's HTML reports as plain,
// self-contained SVG: scatter plots, line charts and bar charts
// (histograms), with axes, ticks, axis labels and reference lines. Every
// chart carries a <title> and a <desc> (it is an image with a name for
// screen readers), and Table gives the numbers behind it, so that a report
// can print them next to the picture.
//
// The output is deterministic (same chart, same bytes) and every text is
// escaped, so item ids or labels from the data cannot inject markup.
package svgchart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Kind is the kind of chart.
type Kind int

// The kinds of chart.
const (
	Scatter Kind = iota // points, optionally labelled
	Line                // one polyline per series
	Bar                 // one bar per point of the first series (a histogram when X are bin starts)
)

// Point is one data point. Label names it in a scatter plot and in the
// table (for a bar chart it is the category shown under the bar).
type Point struct {
	X, Y  float64
	Label string
}

// Series is a named set of points.
type Series struct {
	Name   string
	Points []Point
	// Emphasis draws the series thicker (a line) or filled and larger (a
	// scatter), and says so in the legend ("key", "flagged").
	Emphasis bool
	// Dashed draws a line series dashed.
	Dashed bool
	// Labels writes the points' labels next to them (scatter); a label
	// that would overlap one already drawn is left out.
	Labels bool
}

// Ref is a reference line at X (vertical) or Y (horizontal).
type Ref struct {
	Value float64
	Label string
}

// Chart is one chart. Zero axis ranges are computed from the data.
type Chart struct {
	// ID makes the ids of the title and description unique in a page.
	ID          string
	Kind        Kind
	Title, Desc string
	XLabel      string
	YLabel      string
	// XMin..YMax fix the axis ranges; when XMin == XMax (or YMin == YMax)
	// the range comes from the data and the reference lines.
	XMin, XMax, YMin, YMax float64
	// Width and Height are the drawing size in SVG units (default 640 x
	// 360); the SVG scales to its container's width.
	Width, Height int
	Series        []Series
	RefX, RefY    []Ref
	// XDecimals and YDecimals are the decimals of the table's numbers:
	// 0 means 2, a negative number whole numbers.
	XDecimals, YDecimals int
}

// palette holds colours that stay apart for common colour-vision
// deficiencies (Okabe-Ito).
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

// Color returns the colour of series i.
func Color(i int) string { return palette[i%len(palette)] }

const (
	marginLeft   = 56.0
	marginRight  = 16.0
	marginTop    = 16.0
	marginBottom = 48.0
)

// SVG returns the chart as an <svg> element.
func (c Chart) SVG() string {
	w, h := float64(c.Width), float64(c.Height)
	if w <= 0 {
		w = 640
	}
	if h <= 0 {
		h = 360
	}
	legendRows := 0
	if len(c.Series) > 1 {
		legendRows = (len(c.Series) + 2) / 3
	}
	legendH := 0.0
	if legendRows > 0 {
		legendH = 14 + float64(legendRows)*18
	}
	h += legendH
	xr, yr := c.ranges()
	p := plot{x0: marginLeft, x1: w - marginRight, y0: marginTop, y1: h - marginBottom - legendH, xr: xr, yr: yr}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" role="img" aria-labelledby="%s-t %s-d" class="chart" font-family="sans-serif" font-size="13">`,
		f1(w), f1(h), esc(c.ID), esc(c.ID))
	fmt.Fprintf(&b, "\n<title id=\"%s-t\">%s</title>\n<desc id=\"%s-d\">%s</desc>\n", esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	c.axes(&b, p)
	switch c.Kind {
	case Bar:
		c.bars(&b, p)
	case Line:
		c.lines(&b, p)
	default:
		c.points(&b, p)
	}
	c.refs(&b, p)
	c.legend(&b, p, w)
	b.WriteString("</svg>")
	return b.String()
}

// plot maps data to drawing coordinates.
type plot struct {
	x0, x1, y0, y1 float64
	xr, yr         [2]float64
}

func (p plot) X(v float64) float64 {
	return p.x0 + (v-p.xr[0])/(p.xr[1]-p.xr[0])*(p.x1-p.x0)
}

func (p plot) Y(v float64) float64 {
	return p.y1 - (v-p.yr[0])/(p.yr[1]-p.yr[0])*(p.y1-p.y0)
}

// ranges returns the axis ranges: fixed, or the data's with nice ends.
func (c Chart) ranges() (x, y [2]float64) {
	x, y = [2]float64{c.XMin, c.XMax}, [2]float64{c.YMin, c.YMax}
	autoX, autoY := c.XMin == c.XMax, c.YMin == c.YMax
	if !autoX && !autoY {
		return x, y
	}
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	see := func(i int, v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo[i], hi[i] = math.Min(lo[i], v), math.Max(hi[i], v)
		}
	}
	for _, s := range c.Series {
		for _, pt := range s.Points {
			see(0, pt.X)
			see(1, pt.Y)
		}
	}
	for _, r := range c.RefX {
		see(0, r.Value)
	}
	for _, r := range c.RefY {
		see(1, r.Value)
	}
	if c.Kind == Bar {
		see(1, 0)
		hi[0]++ // a bar at X covers [X, X+1)
	}
	if autoX {
		x = niceRange(lo[0], hi[0])
	}
	if autoY {
		y = niceRange(lo[1], hi[1])
	}
	return x, y
}

// niceRange widens [lo, hi] to tick boundaries; an empty or degenerate
// range becomes [lo-1, lo+1] or [0, 1].
func niceRange(lo, hi float64) [2]float64 {
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return [2]float64{0, 1}
	}
	if hi-lo < 1e-12 {
		return [2]float64{lo - 1, lo + 1}
	}
	step := tickStep(lo, hi)
	return [2]float64{math.Floor(lo/step+1e-9) * step, math.Ceil(hi/step-1e-9) * step}
}

// tickStep is 1, 2 or 5 times a power of ten, giving about 5 ticks.
func tickStep(lo, hi float64) float64 {
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag*1.0000001 {
			return m * mag
		}
	}
	return 10 * mag
}

// Ticks returns the tick values of the range r.
func Ticks(r [2]float64) []float64 {
	if !(r[1] > r[0]) {
		return nil
	}
	step := tickStep(r[0], r[1])
	var ts []float64
	first := math.Ceil(r[0]/step - 1e-9)
	for i := 0.0; i <= 50; i++ {
		v := (first + i) * step
		if v > r[1]+step*1e-9 {
			break
		}
		// Round off the float error of the product (0.6000000000000001).
		ts = append(ts, math.Round(v*1e9)/1e9+0) // +0 turns -0 into 0
	}
	return ts
}

func (c Chart) axes(b *strings.Builder, p plot) {
	fmt.Fprintf(b, `<g class="axes" stroke="#888" stroke-width="1">`+"\n")
	for _, t := range Ticks(p.yr) {
		y := p.Y(t)
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e4"/>`+"\n", f1(p.x0), f1(y), f1(p.x1), f1(y))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" stroke="none" fill="#333">%s</text>`+"\n", f1(p.x0-6), f1(y+4), esc(tickLabel(t)))
	}
	if c.Kind != Bar {
		for _, t := range Ticks(p.xr) {
			x := p.X(t)
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", f1(x), f1(p.y1), f1(x), f1(p.y1+5))
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" stroke="none" fill="#333">%s</text>`+"\n", f1(x), f1(p.y1+18), esc(tickLabel(t)))
		}
	}
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", f1(p.x0), f1(p.y1), f1(p.x1), f1(p.y1))
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", f1(p.x0), f1(p.y0), f1(p.x0), f1(p.y1))
	b.WriteString("</g>\n")
	if c.XLabel != "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="#000">%s</text>`+"\n", f1((p.x0+p.x1)/2), f1(p.y1+38), esc(c.XLabel))
	}
	if c.YLabel != "" {
		fmt.Fprintf(b, `<text transform="translate(14 %s) rotate(-90)" text-anchor="middle" fill="#000">%s</text>`+"\n", f1((p.y0+p.y1)/2), esc(c.YLabel))
	}
}

func (c Chart) bars(b *strings.Builder, p plot) {
	if len(c.Series) == 0 {
		return
	}
	s := c.Series[0]
	every := max(1, len(s.Points)/12) // label at most about 12 bars
	for i, pt := range s.Points {
		x0, x1 := p.X(pt.X), p.X(pt.X+1)
		y := p.Y(math.Max(pt.Y, p.yr[0]))
		fill := Color(0)
		if len(c.Series) > 1 && c.inSeries(1, pt.X) {
			fill = Color(1)
		}
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`+"\n",
			f1(x0+0.5), f1(y), f1(math.Max(x1-x0-1, 0.5)), f1(p.Y(math.Max(p.yr[0], 0))-y), fill, esc(barLabel(pt)), esc(num(pt.Y, c.YDecimals)))
		if i%every == 0 {
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="#333">%s</text>`+"\n", f1((x0+x1)/2), f1(p.y1+18), esc(barLabel(pt)))
		}
	}
}

// inSeries reports whether series i has a point at x (a bar chart's
// second series marks bars to colour, such as the passing scores).
func (c Chart) inSeries(i int, x float64) bool {
	for _, pt := range c.Series[i].Points {
		if pt.X == x {
			return true
		}
	}
	return false
}

func barLabel(pt Point) string {
	if pt.Label != "" {
		return pt.Label
	}
	return tickLabel(pt.X)
}

func (c Chart) lines(b *strings.Builder, p plot) {
	for i, s := range c.Series {
		width, dash := "2", ""
		if s.Emphasis {
			width = "4"
		}
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		var pts []string
		for _, pt := range s.Points {
			pts = append(pts, f1(p.X(pt.X))+","+f1(p.Y(pt.Y)))
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="%s"%s points="%s"><title>%s</title></polyline>`+"\n",
			Color(i), width, dash, strings.Join(pts, " "), esc(s.Name))
		if len(s.Points) <= 12 {
			for _, pt := range s.Points {
				fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`+"\n", f1(p.X(pt.X)), f1(p.Y(pt.Y)), Color(i))
			}
		}
	}
}

func (c Chart) points(b *strings.Builder, p plot) {
	var placed [][4]float64 // label boxes drawn: x0, y0, x1, y1
	for i, s := range c.Series {
		r, fill := "3.5", "none"
		if s.Emphasis {
			r, fill = "5", Color(i)
		}
		for _, pt := range s.Points {
			x, y := p.X(pt.X), p.Y(pt.Y)
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1.5"><title>%s</title></circle>`+"\n",
				f1(x), f1(y), r, fill, Color(i), esc(pointTitle(pt, c)))
			if s.Labels && pt.Label != "" {
				anchor, dx := "start", 7.0
				if x > (p.x0+p.x1)/2 {
					anchor, dx = "end", -7
				}
				// A label that would overlap one already drawn is left
				// out: the point stays, and the table names it.
				w := 6.5 * float64(len([]rune(pt.Label)))
				box := [4]float64{x + dx, y - 17, x + dx + w, y - 4}
				if anchor == "end" {
					box[0], box[2] = x+dx-w, x+dx
				}
				if overlaps(box, placed) {
					continue
				}
				placed = append(placed, box)
				fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" font-size="11" fill="%s">%s</text>`+"\n", f1(x+dx), f1(y-6), anchor, Color(i), esc(pt.Label))
			}
		}
	}
}

func overlaps(a [4]float64, boxes [][4]float64) bool {
	for _, b := range boxes {
		if a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] {
			return true
		}
	}
	return false
}

func pointTitle(pt Point, c Chart) string {
	s := "(" + num(pt.X, c.XDecimals) + ", " + num(pt.Y, c.YDecimals) + ")"
	if pt.Label != "" {
		return pt.Label + " " + s
	}
	return s
}

func (c Chart) refs(b *strings.Builder, p plot) {
	for _, r := range c.RefX {
		x := p.X(r.Value) // for a bar chart: the left edge of the bar at Value
		fmt.Fprintf(b, `<line class="ref" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#C00" stroke-width="2" stroke-dasharray="5 3"/>`+"\n", f1(x), f1(p.y0), f1(x), f1(p.y1))
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="#C00" font-weight="bold">%s</text>`+"\n", f1(x+4), f1(p.y0+12), esc(r.Label))
	}
	for _, r := range c.RefY {
		y := p.Y(r.Value)
		fmt.Fprintf(b, `<line class="ref" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#C00" stroke-width="2" stroke-dasharray="5 3"/>`+"\n", f1(p.x0), f1(y), f1(p.x1), f1(y))
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="#C00" font-weight="bold">%s</text>`+"\n", f1(p.x0+4), f1(y-4), esc(r.Label))
	}
}

func (c Chart) legend(b *strings.Builder, p plot, w float64) {
	if len(c.Series) < 2 {
		return
	}
	colW := (w - marginLeft) / 3
	for i, s := range c.Series {
		x := marginLeft + float64(i%3)*colW
		y := p.y1 + 60 + float64(i/3)*18
		name := s.Name
		if c.Kind == Bar || c.Kind == Scatter {
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`+"\n", f1(x), f1(y-10), Color(i))
		} else {
			dash := ""
			if s.Dashed {
				dash = ` stroke-dasharray="6 4"`
			}
			width := "2"
			if s.Emphasis {
				width = "4"
			}
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`+"\n", f1(x), f1(y-4), f1(x+18), f1(y-4), Color(i), width, dash)
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="#000">%s</text>`+"\n", f1(x+22), f1(y), esc(name))
	}
}

// Table is the numbers behind a chart: a header row and data rows.
type Table struct {
	Head []string
	Rows [][]string
}

// Table returns the numbers behind the chart. A line chart whose series
// share their X values gets one row per X and one column per series;
// otherwise (and for a scatter or bar chart) one row per point.
func (c Chart) Table() Table {
	xl, yl := c.XLabel, c.YLabel
	if xl == "" {
		xl = "x"
	}
	if yl == "" {
		yl = "y"
	}
	if c.Kind == Line && sharedX(c.Series) {
		t := Table{Head: []string{xl}}
		for _, s := range c.Series {
			t.Head = append(t.Head, s.Name)
		}
		for j, pt := range c.Series[0].Points {
			row := []string{num(pt.X, c.XDecimals)}
			for _, s := range c.Series {
				row = append(row, num(s.Points[j].Y, c.YDecimals))
			}
			t.Rows = append(t.Rows, row)
		}
		return t
	}
	if c.Kind == Bar {
		t := Table{Head: []string{xl, yl}}
		if len(c.Series) > 0 {
			for _, pt := range c.Series[0].Points {
				t.Rows = append(t.Rows, []string{barLabel(pt), num(pt.Y, c.YDecimals)})
			}
		}
		return t
	}
	t := Table{Head: []string{"series", "point", xl, yl}}
	for _, s := range c.Series {
		for _, pt := range s.Points {
			t.Rows = append(t.Rows, []string{s.Name, pt.Label, num(pt.X, c.XDecimals), num(pt.Y, c.YDecimals)})
		}
	}
	return t
}

func sharedX(ss []Series) bool {
	if len(ss) == 0 {
		return false
	}
	for _, s := range ss[1:] {
		if len(s.Points) != len(ss[0].Points) {
			return false
		}
		for j, pt := range s.Points {
			if pt.X != ss[0].Points[j].X {
				return false
			}
		}
	}
	return true
}

func num(v float64, decimals int) string {
	if decimals == 0 {
		decimals = 2
	}
	decimals = max(decimals, 0)
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// tickLabel prints a tick without trailing zeros.
func tickLabel(v float64) string {
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// f1 prints a coordinate with one decimal.
func f1(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func esc(s string) string { return html.EscapeString(s) }
