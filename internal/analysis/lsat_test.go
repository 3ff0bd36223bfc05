package analysis

import (
	"context"
	"math"
	"testing"
)

// TestLSAT6 checks the published figures of LSAT section 6 (Bock &
// Lieberman 1970; testdata/lsat6.csv is written by reference.R from the
// pattern table lsat6.txt).
func TestLSAT6(t *testing.T) {
	d := readMatrix(t, "testdata/lsat6.csv", "lsat6")
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
