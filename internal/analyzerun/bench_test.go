package analyzerun

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/dataset"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/simulate"
)

// benchForm is a 65-item form: 50 scored and 15 pretest, every fifth item
// a multiple-response item, difficulties spread over -2..2.
func benchForm() simulate.Form {
	f := &responses.Form{Bundle: "1.0.0", Form: "F"}
	var bs []float64
	for i := 0; i < 65; i++ {
		s := responses.Slot{Position: i + 1, ID: "IT-" + string(rune('A'+i/26)) + string(rune('A'+i%26)), Revision: 1,
			Role: "scored", Type: "single", Letters: 4, Key: 1 << (i % 4)}
		if i%5 == 4 {
			s.Type, s.Letters, s.Key = "multiple", 5, 1<<0|1<<3
		}
		if i >= 50 {
			s.Role = "pretest"
		}
		f.Slots = append(f.Slots, s)
		bs = append(bs, -2+4*float64(i)/64)
	}
	return simulate.Form{Form: f, B: bs}
}

// writeBench writes n simulated attempts to a temporary JSONL file.
func writeBench(b *testing.B, n int) (string, *responses.Catalog) {
	b.Helper()
	f := benchForm()
	var buf bytes.Buffer
	if err := simulate.Write(&buf, []simulate.Form{f}, simulate.Options{Attempts: n, Seed: 1, SD: 1}); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "r.jsonl")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	cat := responses.NewCatalog()
	cat.AddForm(f.Form)
	return p, cat
}

// BenchmarkRead100k reads 100,000 attempts of 65 items (JSONL) into a
// dataset: the reading half of qbank analyze's speed goal.
func BenchmarkRead100k(b *testing.B) {
	p, cat := writeBench(b, 100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bld := dataset.NewBuilder()
		res, err := responses.Read(context.Background(), cat, []string{p}, responses.Options{}, bld.Add)
		if err != nil || res.Used != 100000 {
			b.Fatal(err, res)
		}
		_ = bld.Dataset()
	}
}

// BenchmarkReadAnalyze100k is the whole of the speed goal: read 100,000
// attempts of 65 items, CTT and Rasch calibration.
func BenchmarkReadAnalyze100k(b *testing.B) {
	p, cat := writeBench(b, 100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bld := dataset.NewBuilder()
		if _, err := responses.Read(context.Background(), cat, []string{p}, responses.Options{}, bld.Add); err != nil {
			b.Fatal(err)
		}
		rep, err := analysis.Analyze(context.Background(), bld.Dataset(), analysis.Options{})
		if err != nil || rep.Calibration == nil {
			b.Fatal(err, rep.CalibrationError)
		}
	}
}
