package responses

import (
	"context"
	"strings"
	"testing"
)

// fuzzRead reads data and checks the reader's invariants: no panic, every
// record is used, rejected or a retake, and every used attempt is
// consistent with its form.
func fuzzRead(t *testing.T, name string, data []byte) {
	used := 0
	r := NewReader(testCatalog(), Options{Attempts: First, MaxLine: 512}, func(a *Attempt) error {
		used++
		if len(a.Chosen) != len(a.Form.Slots) {
			t.Fatalf("attempt %s: %d answers for %d slots", a.ID, len(a.Chosen), len(a.Form.Slots))
		}
		for i, c := range a.Chosen {
			if c>>a.Form.Slots[i].Letters != 0 {
				t.Fatalf("attempt %s: position %d chose a letter the item lacks", a.ID, i+1)
			}
		}
		return nil
	})
	if err := r.ReadStream(context.Background(), name, strings.NewReader(string(data))); err != nil {
		t.Fatal(err)
	}
	res, err := r.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if res.Used != used || res.Records != res.Rejected+res.Used+res.Retakes || len(res.Findings) != res.Rejected {
		t.Fatalf("counts do not add up: %+v, used %d", res, used)
	}
	for _, f := range res.Findings {
		if f.Line < 1 || f.Message == "" {
			t.Fatalf("finding without a position or message: %+v", f)
		}
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"attempt":"a","candidate":"c","bundle":"1.0.0","form":"F","answers":["B","A,C",""]}` + "\n"))
	f.Add([]byte(`{"attempt":"a","candidate":"c","bundle":"1.0.0","form":"G","answers":["B"],"submitted":"2026-01-01T00:00:00Z"}` + "\n" +
		`{"attempt":"b","candidate":"c","bundle":"1.0.0","form":"G","answers":["A"],"submitted":"2025-01-01T00:00:00Z"}`))
	f.Add([]byte("{\"attempt\":\n[]\n{}"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.jsonl", data) })
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(csvHead + "a,c,1.0.0,F,1,B\na,c,1.0.0,F,2,\"A,C\"\na,c,1.0.0,F,3,\n"))
	f.Add([]byte(csvHead + "a,c,1.0.0,G,1,B\nb,c,1.0.0,G,1,\"B\"\"\"\na,c,1.0.0,G,1,B\n"))
	f.Add([]byte("attempt,candidate,bundle,form,position,answer,simulated\na,c,1.0.0,G,1,B,true\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "r.csv", data) })
}

func FuzzReadMatrix(f *testing.F) {
	f.Add([]byte("person,I1,I2\np1,1,0\np2,NA,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadMatrixStream(context.Background(), "m.csv", strings.NewReader(string(data)), 512)
		if err != nil {
			return
		}
		if len(m.Rows) != len(m.Labels) || m.Result.Used != len(m.Rows) {
			t.Fatalf("rows %d labels %d used %d", len(m.Rows), len(m.Labels), m.Result.Used)
		}
		for _, row := range m.Rows {
			if len(row) != len(m.Items) {
				t.Fatalf("row of %d cells for %d items", len(row), len(m.Items))
			}
		}
	})
}
