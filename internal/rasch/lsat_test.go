package rasch

import (
	"bufio"
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readPatterns reads a "pattern frequency" table into one booklet.
func readPatterns(t testing.TB, path string) Booklet {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var bk Booklet
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
		if bk.Items == nil {
			for j := range fields[0] {
				bk.Items = append(bk.Items, j)
			}
		}
		for range n {
			for _, c := range fields[0] {
				bk.X = append(bk.X, uint8(c-'0'))
			}
		}
	}
	bk.Label = "LSAT6"
	return bk
}

// The published CML estimates of LSAT6 (sum-zero difficulties, as eRm's
// RM gives with the sign of beta reversed).
func TestLSAT6(t *testing.T) {
	bk := readPatterns(t, "testdata/lsat6.txt")
	res, err := Calibrate(context.Background(), &Data{Items: 5, Booklets: []Booklet{bk}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{-1.2561, 0.4749, 1.2360, 0.1684, -0.6232}
	for i, w := range want {
		if math.Abs(res.B[i]-w) > 0.00005 {
			t.Errorf("b[%d] = %.6f; want %.4f", i, res.B[i], w)
		}
	}
	t.Logf("b %v se %v infit %v outfit %v loglik %v iter %d persons %d", res.B, res.SE, res.Infit, res.Outfit, res.LogLik, res.Iterations, res.Persons)
}
