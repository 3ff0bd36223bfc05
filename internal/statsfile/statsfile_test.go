package statsfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/testbank"
)

func report() *analysis.Report {
	return &analysis.Report{
		Items: []analysis.ItemReport{
			{ID: "AL-0001", Revision: 2, Responses: 500, PValue: 0.61234, PointBiserial: 0.3, Omitted: 0.01,
				Options: []analysis.OptionReport{{Letter: "A", Share: 0.61234}, {Letter: "B", Share: 0.2}},
				Rasch:   &analysis.RaschItem{B: -0.123456, SE: 0.05, Infit: 1.01, Outfit: 0.99}, Flags: []string{"too-easy"}},
			{ID: "AL-0001", Revision: 1, Responses: 50, PValue: 0.5},
			{ID: "AL-0002", Revision: 1, Responses: 300, PValue: 0.7, Rasch: &analysis.RaschItem{B: 0.4, Anchored: true}},
			{ID: "AL-0003", Revision: 1, Responses: 300, PValue: 0.7},
			{ID: "AL-0009", Revision: 1, Responses: 300, PValue: 0.7},
			{ID: "AL-0004", Revision: 1, Responses: 0},
		},
		Calibration: &analysis.Calibration{Model: "rasch", Method: "cml", Anchored: 1},
	}
}

func TestMergeReport(t *testing.T) {
	old := bank.Stats{Items: map[string]bank.ItemStats{
		"AL-0001": {Revision: 1, Responses: 9, PValue: 0.1},  // older: replaced
		"AL-0003": {Revision: 4, Responses: 9, PValue: 0.1},  // newer: kept
		"AL-0005": {Revision: 1, Responses: 77, PValue: 0.3}, // not in the data: kept
	}}
	known := func(id string) bool { return id != "AL-0009" }
	m := MergeReport(old, report(), known, Options{Computed: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Attempts: 500, Simulated: true})
	if strings.Join(m.Updated, " ") != "AL-0001 AL-0002" || strings.Join(m.Kept, " ") != "AL-0003" || strings.Join(m.Unknown, " ") != "AL-0009" {
		t.Errorf("updated %v kept %v unknown %v", m.Updated, m.Kept, m.Unknown)
	}
	if s := m.Stats.Items["AL-0001"]; s.Revision != 2 || s.Responses != 500 {
		t.Errorf("AL-0001 = %+v; want revision 2 (the highest in the data)", s)
	}
	if s := m.Stats.Items["AL-0003"]; s.Revision != 4 || s.Responses != 9 {
		t.Errorf("AL-0003 = %+v; want the newer entry kept", s)
	}
	if s, ok := m.Stats.Items["AL-0005"]; !ok || s.Responses != 77 {
		t.Error("entry of an item not in the data lost")
	}
	if _, ok := m.Stats.Items["AL-0004"]; ok {
		t.Error("item with no responses written")
	}
	for _, id := range m.Updated {
		if !m.Stats.Items[id].Simulated {
			t.Errorf("%s: an entry measured on simulated data is not marked simulated", id)
		}
	}
	if enc := string(Encode(m.Stats)); !strings.Contains(enc, "\n    simulated: true\n") {
		t.Errorf("encoded stats do not mark the entries simulated:\n%s", enc)
	}
	if c := m.Stats.Calibration; c == nil || c.Anchored != 1 || c.Attempts != 500 || !c.Simulated || c.Computed != "2026-11-30T00:00:00Z" {
		t.Errorf("calibration %+v", c)
	}
	if old.Items["AL-0001"].Revision != 1 {
		t.Error("MergeReport changed its input")
	}
}

func TestEncodeIsDeterministicAndReadsBack(t *testing.T) {
	old := bank.Stats{Items: map[string]bank.ItemStats{}}
	m := MergeReport(old, report(), func(string) bool { return true }, Options{Computed: time.Unix(0, 0), Attempts: 500})
	a, b := Encode(m.Stats), Encode(m.Stats)
	if string(a) != string(b) {
		t.Fatal("two encodings differ")
	}
	want := Header + `calibration:
  model: rasch
  method: cml
  anchored: 1
  attempts: 500
  computed: 1970-01-01T00:00:00Z
items:
  AL-0001:
    revision: 2
    responses: 500
    p_value: 0.6123
    point_biserial: 0.3
    omitted: 0.01
    options: {A: 0.6123, B: 0.2}
    rasch: {b: -0.1235, se: 0.05, infit: 1.01, outfit: 0.99}
    flags: [too-easy]
  AL-0002:
    revision: 1
    responses: 300
    p_value: 0.7
    point_biserial: 0.0
    omitted: 0.0
    rasch: {b: 0.4, se: 0.0, anchored: true}
`
	got := string(a)
	if !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant prefix\n%s", got, want)
	}
	// The file is valid for the bank loader (schema included) and reads
	// back to the same statistics.
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{"exam.yaml": testbank.SmallExam, "stats.yaml": got})
	bk, fs, err := bank.Load(context.Background(), dir, bank.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if strings.HasSuffix(f.File, "stats.yaml") {
			t.Errorf("stats.yaml finding: %s", f)
		}
	}
	s := bk.Stats.Items["AL-0001"]
	if s.Revision != 2 || s.PValue != 0.6123 || s.Rasch == nil || s.Rasch.B != -0.1235 || !s.Rasch.HasFit || s.Options["B"] != 0.2 {
		t.Errorf("read back %+v", s)
	}
	if r := bk.Stats.Items["AL-0002"].Rasch; r == nil || !r.Anchored {
		t.Errorf("anchored entry read back as %+v", r)
	}
	if string(Encode(bk.Stats)) != got {
		t.Error("encode(read(encode(s))) differs from encode(s)")
	}
}

func TestEncodeEmpty(t *testing.T) {
	if got := string(Encode(bank.Stats{})); got != Header+"items: {}\n" {
		t.Errorf("got %q", got)
	}
}

func TestNum(t *testing.T) {
	for x, want := range map[float64]string{0: "0.0", 1: "1.0", -0.00001: "0.0", 0.12345: "0.1235", -2.5: "-2.5"} {
		if got := num(x); got != want {
			t.Errorf("num(%v) = %q; want %q", x, got, want)
		}
	}
}

func TestWriteCreatesReplacesAndRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "stats.yaml")
	if err := Write(p, []byte("a"), nil); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("b"), []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("c"), []byte("a")); err == nil {
		t.Error("replaced a file that changed since it was read")
	}
	if data, _ := os.ReadFile(p); string(data) != "b" {
		t.Errorf("content %q", data)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(p, link); err != nil {
		t.Skip(err)
	}
	if err := Write(link, []byte("d"), nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("wrote through a link: %v", err)
	}
}
