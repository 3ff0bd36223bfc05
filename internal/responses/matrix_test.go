package responses

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestReadMatrix(t *testing.T) {
	data := "person,I1,I2,I3\np1,1,0,NA\np2,0,,1\np3,1,2,0\np4,1,0\n\np5, 1 ,0,na\n"
	m, err := ReadMatrixStream(context.Background(), "m.csv", strings.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(m.Items) != "[I1 I2 I3]" || fmt.Sprint(m.Labels) != "[p1 p2 p5]" {
		t.Errorf("items %v labels %v", m.Items, m.Labels)
	}
	if fmt.Sprint(m.Rows) != "[[1 0 -1] [0 -1 1] [1 0 -1]]" {
		t.Errorf("rows %v", m.Rows)
	}
	if got := messages(&m.Result); fmt.Sprint(got) != `[4: item I2: cell "2" is not 1, 0, empty or NA 5: row has 3 fields; the header has 4]` {
		t.Errorf("findings %q", got)
	}
	if m.Result.Used != 3 || m.Result.Rejected != 2 {
		t.Errorf("result %+v", m.Result)
	}
}

func TestReadMatrixWithoutLabels(t *testing.T) {
	m, err := ReadMatrixStream(context.Background(), "m.csv", strings.NewReader("I1,I2\n1,0\n0,1\n"), 0)
	if err != nil || fmt.Sprint(m.Labels) != "[1 2]" || len(m.Rows) != 2 {
		t.Fatalf("%v %+v", err, m)
	}
}

func TestReadMatrixBadHeader(t *testing.T) {
	for in, want := range map[string]string{
		"":             "empty",
		"I1,I1\n":      "item I1 is named by columns 1 and 2",
		"id\n1\n":      "names no item",
		"I1,,I2\n":     "column 2 has no item id",
		"I1,\"I2\n1\n": "header",
	} {
		_, err := ReadMatrixStream(context.Background(), "m.csv", strings.NewReader(in), 0)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v; want %q", in, err, want)
		}
	}
}
