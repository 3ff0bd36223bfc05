package analysis

import (
	"context"
	"math/rand/v2"
	"testing"
)

// 100,000 attempts of 65 items (50 scored + 15 pretest) over 4 forms that
// share 30 scored items: 6.5 million responses, CTT and both calibration
// stages.
func BenchmarkAnalyze100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(31, 32))
	var items []simItem
	for i := range 30 + 4*20 + 4*15 {
		items = append(items, defaultItem(rng.NormFloat64(), i%4))
	}
	var forms [][2][]int
	next := 30
	for range 4 {
		var f [2][]int
		for i := range 30 {
			f[0] = append(f[0], i)
		}
		for range 20 {
			f[0] = append(f[0], next)
			next++
		}
		forms = append(forms, f)
	}
	for x := range forms {
		for range 15 {
			forms[x][1] = append(forms[x][1], next)
			next++
		}
	}
	d := simDataset(rng, items, forms, 25000)
	b.ResetTimer()
	for b.Loop() {
		rep, err := Analyze(context.Background(), d, Options{})
		if err != nil || rep.CalibrationError != "" {
			b.Fatal(err, rep.CalibrationError)
		}
	}
}
