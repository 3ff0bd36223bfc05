package analysisout

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/testbank"
)

func report() *analysis.Report {
	return &analysis.Report{
		Items: []analysis.ItemReport{
			{ID: "AL-0001", Revision: 2, Role: "scored", Forms: []string{"F-A", "F-B"}, Responses: 400, PValue: 0.62, PointBiserial: 0.34, Omitted: 0.01,
				Options: []analysis.OptionReport{{Letter: "A", Share: 0.12, MeanScore: 20.5, PointBiserial: 0.21}, {Letter: "B", Key: true, Share: 0.62, MeanScore: 30.1, PointBiserial: 0.34},
					{Letter: "C", Share: 0.25, MeanScore: 22, PointBiserial: -0.2}},
				Rasch: &analysis.RaschItem{B: 0.41, SE: 0.05, Infit: 0.98, Outfit: 1.04}, Flags: []string{"distractor-positive"}},
			{ID: "AL-0002", Revision: 1, Role: "pretest", Forms: []string{"F-A"}, Responses: 200, PValue: 0.5, PointBiserial: 0.3,
				Rasch: &analysis.RaschItem{B: -0.2, Anchored: true}, Flags: []string{}},
			{ID: "AL-0003", Revision: 1, Role: "scored", Forms: []string{"F-B"}, Responses: 200, PValue: 1, Flags: []string{"too-easy", "not-calibrated"}},
		},
		Forms: []analysis.FormReport{{Form: "F-A", Bundle: "1.0.0", Attempts: 400, Mean: 31.2, SD: 7.9, KR20: 0.89, SEM: 2.6,
			AlphaIfDeleted: []analysis.ItemAlpha{{ID: "AL-0001", Alpha: 0.88}, {ID: "AL-0003", Alpha: 0.895}}}},
		Calibration: &analysis.Calibration{Model: "rasch", Method: "cml", Anchored: 1, Items: 2, Persons: 390, Iterations: 7, LogLik: -9876.54},
		Rejected:    2,
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "text", report(), Meta{Attempts: 400, Retakes: 3, Simulated: true}); err != nil {
		t.Fatal(err)
	}
	testbank.Golden(t, "testdata/report.txt", buf.Bytes())
	// Flagged items come first, then the rest.
	s := buf.String()
	if strings.Index(s, "AL-0003 revision 1") > strings.Index(s, "Other items") || !strings.Contains(s, "AL-0002    1  pretest") {
		t.Error("flagged items are not listed first")
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "csv", report(), Meta{}); err != nil {
		t.Fatal(err)
	}
	want := "id,revision,role,forms,responses,p_value,point_biserial,omitted,b,se,infit,outfit,anchored,flags\n" +
		"AL-0001,2,scored,F-A F-B,400,0.6200,0.3400,0.0100,0.4100,0.0500,0.9800,1.0400,false,distractor-positive\n" +
		"AL-0002,1,pretest,F-A,200,0.5000,0.3000,0.0000,-0.2000,0.0000,0.0000,0.0000,true,\n" +
		"AL-0003,1,scored,F-B,200,1.0000,0.0000,0.0000,,,,,,too-easy not-calibrated\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriteJSONHasFormatKeys(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "json", report(), Meta{}); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"items", "forms", "calibration", "rejected"} {
		if _, ok := v[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	if v["rejected"] != 2.0 {
		t.Errorf("rejected = %v", v["rejected"])
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "html", report(), Meta{}); err == nil {
		t.Error("no error")
	}
}
