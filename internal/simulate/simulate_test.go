package simulate

import (
	"bytes"
	"context"
	"math"
	"math/bits"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/responses"
)

func testForm() Form {
	f := &responses.Form{Bundle: "1.0.0", Form: "F", Slots: []responses.Slot{
		{Position: 1, ID: "A-1", Revision: 1, Role: "scored", Type: "single", Letters: 4, Key: 1 << 2},
		{Position: 2, ID: "A-2", Revision: 1, Role: "scored", Type: "multiple", Letters: 5, Key: 1<<0 | 1<<3},
		{Position: 3, ID: "A-3", Revision: 1, Role: "pretest", Type: "single", Letters: 4, Key: 1},
	}}
	return Form{Form: f, B: []float64{-1, 0.5, 2}}
}

func TestWriteIsReproducible(t *testing.T) {
	var a, b, c bytes.Buffer
	opts := Options{Attempts: 200, Seed: 9, SD: 1}
	if err := Write(&a, []Form{testForm()}, opts); err != nil {
		t.Fatal(err)
	}
	_ = Write(&b, []Form{testForm()}, opts)
	opts.Seed = 10
	_ = Write(&c, []Form{testForm()}, opts)
	if a.String() != b.String() {
		t.Error("same seed, different output")
	}
	if a.String() == c.String() {
		t.Error("different seeds, same output")
	}
	if n := strings.Count(a.String(), "\n"); n != 200 || strings.Count(a.String(), `"simulated":true`) != 200 {
		t.Errorf("%d lines", n)
	}
}

// The output is read by package responses without a rejected record.
func TestWriteReadsBack(t *testing.T) {
	var buf bytes.Buffer
	f := testForm()
	if err := Write(&buf, []Form{f}, Options{Attempts: 500, Seed: 1, SD: 1}); err != nil {
		t.Fatal(err)
	}
	cat := responses.NewCatalog()
	cat.AddForm(f.Form)
	n := 0
	r := responses.NewReader(cat, responses.Options{Attempts: responses.All}, func(*responses.Attempt) error { n++; return nil })
	if err := r.ReadStream(context.Background(), "sim.jsonl", &buf); err != nil {
		t.Fatal(err)
	}
	res, _ := r.Finish()
	if res.Rejected != 0 || n != 500 || !res.AllSimulated() {
		t.Errorf("read back %d, %+v", n, res)
	}
}

// Proportions correct follow the Rasch model; wrong answers spread over
// the distractors; multiple-response answers mostly have the key's size;
// omits are rare.
func TestAnswersAreRealistic(t *testing.T) {
	r := New(5)
	single := NewItem(r, 0.3, "single", 4, 1<<1)
	multi := NewItem(r, 0, "multiple", 5, 1<<0|1<<2)
	const n = 40000
	theta := 0.0
	right, omit, rightSize := 0, 0, 0
	choices := make([]int, 4)
	for i := 0; i < n; i++ {
		a := single.Answer(r, theta)
		switch {
		case a == 0:
			omit++
		case a == single.Key:
			right++
		default:
			choices[bits.TrailingZeros32(a)]++
		}
		if m := multi.Answer(r, theta); m != 0 && bits.OnesCount32(m) == 2 {
			rightSize++
		}
	}
	p := P(theta, 0.3)
	omitP := OmitScale * (1 - p) * (1 - p)
	wantRight := (1 - omitP) * p
	if got := float64(right) / n; math.Abs(got-wantRight) > 4*math.Sqrt(wantRight*(1-wantRight)/n) {
		t.Errorf("p correct %.4f; want %.4f", got, wantRight)
	}
	if got := float64(omit) / n; got > 0.02 || got == 0 {
		t.Errorf("omit rate %.4f; want rare but present", got)
	}
	for l, c := range choices {
		if l != 1 && c == 0 {
			t.Errorf("distractor %c never chosen", 'A'+l)
		}
	}
	if choices[1] != 0 {
		t.Error("the key counted as a distractor")
	}
	if got := float64(rightSize) / n; got < 0.9 {
		t.Errorf("%.3f of multiple answers have the key's size; want most", got)
	}
}

func TestMatrixRecoversP(t *testing.T) {
	thetas := make([]float64, 20000)
	m := Matrix(3, []float64{-1, 0, 1}, thetas)
	for i, b := range []float64{-1, 0, 1} {
		k := 0
		for _, row := range m {
			if row[i] {
				k++
			}
		}
		p := P(0, b)
		if got := float64(k) / float64(len(m)); math.Abs(got-p) > 4*math.Sqrt(p*(1-p)/float64(len(m))) {
			t.Errorf("item %d: p %.4f; want %.4f", i, got, p)
		}
	}
	if len(Matrix(3, []float64{0}, Abilities(New(1), 3, 0, 1))) != 3 {
		t.Error("rows")
	}
}
