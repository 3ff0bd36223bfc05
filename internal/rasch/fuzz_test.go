package rasch

import (
	"context"
	"errors"
	"math"
	"testing"
)

// FuzzCalibrate builds a small design from the input: any data either
// calibrates to finite estimates on the right scale or gives an error;
// nothing panics.
func FuzzCalibrate(f *testing.F) {
	f.Add([]byte{5, 2, 0x1f, 0x1c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{3, 1, 0x07, 0, 0xff, 0x0f, 0x33, 0x55, 0xaa, 0x01, 0x02})
	f.Add([]byte{8, 3, 0x0f, 0xf0, 0x3c, 0x80, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		n := 2 + int(data[0])%7
		nb := 1 + int(data[1])%3
		if len(data) < 2+nb {
			return
		}
		d := &Data{Items: n}
		for x := range nb {
			mask := data[2+x]
			var items []int
			for i := range n {
				if mask>>i&1 == 1 {
					items = append(items, i)
				}
			}
			d.Booklets = append(d.Booklets, Booklet{Label: string(rune('A' + x)), Items: items})
		}
		if data[1]&0x80 != 0 {
			d.Anchors = map[int]float64{0: float64(int8(data[0])) / 32}
		}
		rest := data[2+nb:]
		for p, c := range rest {
			bk := &d.Booklets[p%nb]
			for j := range bk.Items {
				bk.X = append(bk.X, (c>>(j%8))&1)
			}
		}
		res, err := Calibrate(context.Background(), d, Options{})
		if err != nil {
			var de *DisconnectedError
			if errors.As(err, &de) && (len(de.Groups) == 0 || !de.Anchored && len(de.Groups) < 2) {
				t.Fatalf("disconnected with %d groups", len(de.Groups))
			}
			return
		}
		sum, free := 0.0, 0
		for i := range n {
			switch res.Status[i] {
			case Calibrated:
				if math.IsNaN(res.B[i]) || math.IsInf(res.B[i], 0) || !(res.SE[i] >= 0) {
					t.Fatalf("item %d: b %v se %v", i, res.B[i], res.SE[i])
				}
				sum += res.B[i]
				free++
			case Anchored:
				if res.B[i] != d.Anchors[i] {
					t.Fatalf("anchor moved")
				}
			default:
				if !math.IsNaN(res.B[i]) {
					t.Fatalf("item %d %v has b %v", i, res.Status[i], res.B[i])
				}
			}
		}
		if len(d.Anchors) == 0 && free > 0 && math.Abs(sum) > 1e-6 {
			t.Fatalf("free b sum to %v", sum)
		}
	})
}
