package standard

import (
	"math"
	"strings"
	"testing"
)

// Three raters on four items. Worked by hand:
//
//	item  r1   r2   r3   mean
//	I1    0.6  0.7  0.8  0.7
//	I2    0.5  0.5  0.5  0.5
//	I3    0.9  0.8  0.4  0.7   (r3 is 0.45 from the others' 0.85)
//	I4    0.3  0.3  0.3  0.3
//	cut = 2.2; rater cuts 2.3, 2.3, 2.0: mean 2.2, SD sqrt(0.03) = 0.1732
const panelCSV = `rater,item,rating
r1,I1,0.6
r1,I2,0.5
r1,I3,0.9
r1,I4,0.3
r2,I1,0.7
r2,I2,0.5
r2,I3,0.8
r2,I4,0.3
r3,I1,0.8
r3,I2,0.5
r3,I3,0.4
r3,I4,0.3
r3,X9,0.9
`

func TestPanelByHand(t *testing.T) {
	p, errs := ReadPanel(strings.NewReader(panelCSV), "panel.csv")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	a, err := p.Analyze([]string{"I1", "I2", "I3", "I4"})
	if err != nil {
		t.Fatal(err)
	}
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	if !near(a.Cut, 2.2) || a.Complete != 3 || !near(a.Min, 2.0) || !near(a.Max, 2.3) || !near(a.SD, math.Sqrt(0.03)) || !near(a.SE, math.Sqrt(0.03)/math.Sqrt(3)) {
		t.Errorf("analysis %+v", a)
	}
	if len(a.Raters) != 3 || a.Raters[2].Rater != "r3" || !near(a.Raters[2].Cut, 2.0) {
		t.Errorf("raters %+v", a.Raters)
	}
	if len(a.Outliers) != 1 || a.Outliers[0].Rater != "r3" || a.Outliers[0].Item != "I3" || !near(a.Outliers[0].Others, 0.85) || a.Outliers[0].Line != 12 {
		t.Errorf("outliers %+v", a.Outliers)
	}
	if len(a.Ignored) != 1 || a.Ignored[0].Item != "X9" {
		t.Errorf("ignored %+v", a.Ignored)
	}
	if _, err := p.Analyze([]string{"I1", "I5"}); err == nil || !strings.Contains(err.Error(), "I5") {
		t.Errorf("unrated item: %v", err)
	}
}

func TestReadPanelBadLines(t *testing.T) {
	src := "item,rating,rater,notes\nI1,0.5,r1,x\nI2,1.5,r1,\nI3,abc,r1,\n,0.5,r1,\nI1,0.6,r1,\nI4,NaN,r2,\nI5,\"0.4,r2\n"
	p, errs := ReadPanel(strings.NewReader(src), "p.csv")
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{"p.csv:3: rating \"1.5\" is not a probability", "p.csv:4: rating \"abc\"", "p.csv:5: rater and item", "p.csv:6: rater r1 already rated I1 on line 2", "p.csv:7: rating \"NaN\"", "p.csv:8:"} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if len(p.Ratings) != 1 || p.Ratings[0].Item != "I1" || p.Ratings[0].Rater != "r1" {
		t.Errorf("kept %+v", p.Ratings)
	}
	for _, bad := range []string{"", "rater,item\nr1,I1\n"} {
		if _, errs := ReadPanel(strings.NewReader(bad), "p.csv"); len(errs) != 1 {
			t.Errorf("%q: errors %v", bad, errs)
		}
	}
}

func FuzzReadPanel(f *testing.F) {
	f.Add(panelCSV)
	f.Add("rater,item,rating\n\"a\nb\",I1,0.5\n")
	f.Fuzz(func(t *testing.T, src string) {
		p, _ := ReadPanel(strings.NewReader(src), "f.csv")
		for _, r := range p.Ratings {
			if !(r.Rating >= 0 && r.Rating <= 1) || r.Rater == "" || r.Item == "" {
				t.Fatalf("kept a bad rating %+v", r)
			}
		}
		if a, err := p.Analyze([]string{"I1", "I2"}); err == nil && (a.Cut < 0 || a.Cut > 2) {
			t.Fatalf("cut %v", a.Cut)
		}
	})
}
