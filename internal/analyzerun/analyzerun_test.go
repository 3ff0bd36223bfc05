package analyzerun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunMatrix(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.csv")
	data := "person,I1,I2,I3\n"
	rows := []string{"1,0,0", "1,1,0", "1,1,1", "0,1,0", "1,0,1", "0,0,1", "1,1,0", "0,1,1", "bad,row"}
	for i, r := range rows {
		data += "p" + string(rune('a'+i)) + "," + r + "\n"
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := Run(context.Background(), Input{Matrix: p})
	if err != nil {
		t.Fatal(err)
	}
	if out.Attempts != 8 || out.Read.Rejected != 1 || out.Report.Rejected != 1 || len(out.Findings) != 1 || out.Findings[0].Line != 10 {
		t.Errorf("attempts %d, read %+v", out.Attempts, out.Read)
	}
	if len(out.Report.Items) != 3 || out.Report.Items[0].ID != "I1" || out.Report.Forms[0].Form != "m" || out.Report.Items[0].PValue != 5.0/8 {
		t.Errorf("report %+v", out.Report.Items)
	}
}

func TestRunCannotRun(t *testing.T) {
	for _, tt := range []struct {
		in   Input
		want string
	}{
		{Input{Files: []string{"r.jsonl"}}, "no --bundle"},
		{Input{Bundles: []string{"b"}}, "no responses file given"},
		{Input{Matrix: "m.csv", Files: []string{"r.jsonl"}}, "--matrix takes no responses files"},
		{Input{Bundles: []string{filepath.Join(t.TempDir(), "none")}, Files: []string{"r.jsonl"}}, "no such file"},
	} {
		_, err := Run(context.Background(), tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err %v; want %q", tt.in, err, tt.want)
		}
	}
}
