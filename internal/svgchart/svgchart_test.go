package svgchart

import (
	"encoding/xml"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/testbank"
)

func charts() map[string]Chart {
	return map[string]Chart{
		"scatter": {ID: "s", Kind: Scatter, Title: "p-value vs point-biserial", Desc: "One point per item.",
			XLabel: "p-value", YLabel: "point-biserial", XMin: 0, XMax: 1, YMin: -0.2, YMax: 0.8,
			Series: []Series{
				{Name: "items", Points: []Point{{0.5, 0.3, "A-1"}, {0.8, 0.45, "A-2"}}},
				{Name: "flagged", Emphasis: true, Labels: true, Points: []Point{{0.97, 0.05, "B-1"}, {0.2, -0.1, "B-2"}}},
			},
			RefY: []Ref{{0.15, "0.15"}}},
		"line": {ID: "l", Kind: Line, Title: "Trace", Desc: "Share choosing each option.",
			XLabel: "score group", YLabel: "share", XMin: 1, XMax: 3, YMin: 0, YMax: 1,
			Series: []Series{
				{Name: "A (key)", Emphasis: true, Points: []Point{{X: 1, Y: 0.2}, {X: 2, Y: 0.5}, {X: 3, Y: 0.9}}},
				{Name: "B", Dashed: true, Points: []Point{{X: 1, Y: 0.8}, {X: 2, Y: 0.5}, {X: 3, Y: 0.1}}},
			}},
		"bar": {ID: "b", Kind: Bar, Title: "Scores", Desc: "Attempts per raw score.", XLabel: "raw score", YLabel: "attempts",
			XDecimals: -1, YDecimals: -1,
			Series: []Series{{Name: "attempts", Points: []Point{{X: 0, Y: 1}, {X: 1, Y: 4}, {X: 2, Y: 6}, {X: 3, Y: 2}}},
				{Name: "pass", Points: []Point{{X: 2}, {X: 3}}}},
			RefX: []Ref{{2, "cut 2"}}},
	}
}

// TestGolden pins the SVG of one chart of each kind.
func TestGolden(t *testing.T) {
	for name, c := range charts() {
		t.Run(name, func(t *testing.T) {
			svg := c.SVG()
			wellFormed(t, svg)
			testbank.Golden(t, "testdata/"+name+".svg", []byte(svg+"\n"))
		})
	}
}

// TestGaugeGolden pins the score gauge of the score report.
func TestGaugeGolden(t *testing.T) {
	g := Gauge{ID: "g", Title: "Scaled score 682", Desc: "682 did not reach 700.", Min: 100, Max: 1000, Pass: 700, Score: 682, Band: [2]int{610, 754}}
	svg := g.SVG()
	wellFormed(t, svg)
	testbank.Golden(t, "testdata/gauge.svg", []byte(svg+"\n"))
	want := Table{Head: []string{"score", "likely range", "passing score", "scale"}, Rows: [][]string{{"682", "610-754", "700", "100-1000"}}}
	if got := g.Table(); !reflect.DeepEqual(got, want) {
		t.Errorf("Table() = %v, want %v", got, want)
	}
}

func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
}

// TestEscapes: text from the data never becomes markup.
func TestEscapes(t *testing.T) {
	bad := `<script>alert(1)</script>"><img onerror=alert(2)>`
	c := Chart{ID: `x"y`, Kind: Scatter, Title: bad, Desc: bad, XLabel: bad, YLabel: bad,
		Series: []Series{{Name: bad, Labels: true, Points: []Point{{1, 1, bad}, {2, 2, bad}}}, {Name: bad}},
		RefX:   []Ref{{1, bad}}, RefY: []Ref{{1, bad}}}
	for _, k := range []Kind{Scatter, Line, Bar} {
		c.Kind = k
		svg := c.SVG()
		wellFormed(t, svg)
		if strings.Contains(svg, "<script") || strings.Contains(svg, "<img") {
			t.Errorf("kind %d: markup from the data in the SVG:\n%s", k, svg)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		r    [2]float64
		want []float64
	}{
		{[2]float64{0, 1}, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{[2]float64{100, 1000}, []float64{200, 400, 600, 800, 1000}},
		{[2]float64{-4, 4}, []float64{-4, -2, 0, 2, 4}},
		{[2]float64{1, 1}, nil},
	} {
		if got := Ticks(tc.r); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Ticks(%v) = %v, want %v", tc.r, got, tc.want)
		}
	}
	if got := niceRange(0.03, 0.97); got != [2]float64{0, 1} {
		t.Errorf("niceRange(0.03, 0.97) = %v", got)
	}
}

func TestTable(t *testing.T) {
	cs := charts()
	got := cs["line"].Table()
	want := Table{Head: []string{"score group", "A (key)", "B"}, Rows: [][]string{{"1.00", "0.20", "0.80"}, {"2.00", "0.50", "0.50"}, {"3.00", "0.90", "0.10"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("line table = %v, want %v", got, want)
	}
	got = cs["bar"].Table()
	if len(got.Rows) != 4 || got.Rows[1][0] != "1" || got.Rows[1][1] != "4" {
		t.Errorf("bar table = %v", got)
	}
	got = cs["scatter"].Table()
	if len(got.Rows) != 4 || got.Rows[2][0] != "flagged" || got.Rows[2][1] != "B-1" || got.Rows[2][2] != "0.97" {
		t.Errorf("scatter table = %v", got)
	}
}
