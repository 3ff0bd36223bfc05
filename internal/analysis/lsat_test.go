package analysis

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// matrixDataset reads a "pattern frequency" table into a matrix Dataset.
func matrixDataset(t testing.TB, path string) *Dataset {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := &Dataset{Matrix: true, Forms: []Form{{Form: "lsat6"}}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		n, err := strconv.Atoi(fields[1])
		if err != nil {
			t.Fatal(err)
		}
		if d.Items == nil {
			for j := range fields[0] {
				d.Items = append(d.Items, Item{ID: fmt.Sprintf("I%d", j+1), Revision: 1})
				d.Forms[0].Slots = append(d.Forms[0].Slots, Slot{Item: j, Role: RoleScored})
			}
		}
		for range n {
			a := Attempt{ID: fmt.Sprint(len(d.Attempts) + 1)}
			for _, c := range fields[0] {
				a.Responses = append(a.Responses, Response{Presented: true, Correct: c == '1'})
			}
			d.Attempts = append(d.Attempts, a)
		}
	}
	return d
}

func TestLSAT6(t *testing.T) {
	d := matrixDataset(t, "testdata/lsat6.txt")
	rep, err := Analyze(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CalibrationError != "" {
		t.Fatal(rep.CalibrationError)
	}
	wantB := []float64{-1.2561, 0.4749, 1.2360, 0.1684, -0.6232}
	wantPB := []float64{0.1128, 0.1532, 0.1728, 0.1444, 0.1216}
	wantP := []float64{0.924, 0.709, 0.553, 0.763, 0.870}
	for i, ir := range rep.Items {
		if math.Abs(ir.Rasch.B-wantB[i]) > 0.00005 {
			t.Errorf("%s: b = %.6f; want %.4f", ir.ID, ir.Rasch.B, wantB[i])
		}
		if math.Abs(ir.PointBiserial-wantPB[i]) > 0.00005 {
			t.Errorf("%s: corrected point-biserial = %.6f; want %.4f", ir.ID, ir.PointBiserial, wantPB[i])
		}
		if ir.PValue != wantP[i] || ir.Omitted != 0 || ir.Responses != 1000 || len(ir.Options) != 0 {
			t.Errorf("%s: %+v", ir.ID, ir)
		}
	}
	fr := rep.Forms[0]
	if math.Abs(fr.KR20-0.2950) > 0.00005 {
		t.Errorf("KR-20 = %.6f; want 0.2950", fr.KR20)
	}
	if want := fr.SD * math.Sqrt(1-fr.KR20); math.Abs(fr.SEM-want) > 1e-12 {
		t.Errorf("SEM %v; want %v", fr.SEM, want)
	}
	if len(fr.Theta) != 6 || fr.Attempts != 1000 {
		t.Errorf("form %+v", fr)
	}
	c := rep.Calibration
	if c.Persons != 699 || c.Items != 5 || c.Anchored != 0 || c.Model != "rasch" || c.Method != "cml" {
		t.Errorf("calibration %+v", c)
	}
	t.Logf("form %+v\ncalibration %+v", fr, c)
}
