package dataset

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/responses"
)

func forms() (*responses.Form, *responses.Form) {
	f := &responses.Form{Bundle: "1.0.0", Form: "F", Slots: []responses.Slot{
		{ID: "B-1", Revision: 2, Role: "scored", Type: "single", Letters: 4, Key: 1},
		{ID: "A-1", Revision: 1, Role: "pretest", Type: "multiple", Letters: 5, Key: 5},
	}}
	g := &responses.Form{Bundle: "1.0.0", Form: "E", Slots: []responses.Slot{
		{ID: "A-1", Revision: 1, Role: "scored", Type: "multiple", Letters: 5, Key: 5},
	}}
	return f, g
}

func TestBuilderSortsAndPools(t *testing.T) {
	f, g := forms()
	b := NewBuilder()
	for _, a := range []*responses.Attempt{
		{ID: "x", Candidate: "c", Form: f, Chosen: []uint32{1, 4}, Simulated: true},
		{ID: "y", Candidate: "d", Form: g, Chosen: []uint32{5}, Simulated: true},
	} {
		if err := b.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	d := b.Dataset()
	if len(d.Items) != 2 || d.Items[0].ID != "A-1" || d.Items[1].ID != "B-1" {
		t.Fatalf("items %+v", d.Items)
	}
	if len(d.Forms) != 2 || d.Forms[0].Form != "E" || d.Forms[1].Slots[0].Item != 1 || d.Forms[1].Slots[1].Item != 0 {
		t.Fatalf("forms %+v", d.Forms)
	}
	if d.Attempts[0].Form != 1 || d.Attempts[1].Form != 0 || !d.Simulated {
		t.Fatalf("attempts %+v", d.Attempts)
	}
	want := []analysis.Response{{Presented: true, Chosen: 1, Correct: true}, {Presented: true, Chosen: 4}}
	if fmt.Sprint(d.Attempts[0].Responses) != fmt.Sprint(want) {
		t.Errorf("responses %v", d.Attempts[0].Responses)
	}
	if d.Attempts[1].Responses[0].Correct != true {
		t.Error("A,C for key A,C is not correct")
	}
}

func TestBuilderRefusesAChangedRevision(t *testing.T) {
	f, g := forms()
	g.Slots[0].Key = 3
	b := NewBuilder()
	_ = b.Add(&responses.Attempt{ID: "x", Form: f, Chosen: []uint32{1, 4}})
	err := b.Add(&responses.Attempt{ID: "y", Form: g, Chosen: []uint32{5}})
	if err == nil || !strings.Contains(err.Error(), "item A-1 revision 1 differs between bundle 1.0.0 form F (key A,C, 5 options) and bundle 1.0.0 form E (key A,B") {
		t.Errorf("err = %v", err)
	}
}

func TestNotSimulatedWhenOneIsNot(t *testing.T) {
	_, g := forms()
	b := NewBuilder()
	_ = b.Add(&responses.Attempt{ID: "x", Form: g, Chosen: []uint32{1}, Simulated: true})
	_ = b.Add(&responses.Attempt{ID: "y", Form: g, Chosen: []uint32{1}})
	if b.Dataset().Simulated {
		t.Error("simulated with one real attempt")
	}
}

func TestFromMatrix(t *testing.T) {
	m := &responses.Matrix{File: "dir/lsat.csv.gz", Items: []string{"I1", "I2"}, Labels: []string{"p1"},
		Rows: [][]int8{{responses.Right, responses.NA}}}
	d := FromMatrix(m)
	if !d.Matrix || d.Forms[0].Form != "lsat" || len(d.Items) != 2 || d.Forms[0].Slots[1].Role != analysis.RoleScored {
		t.Fatalf("%+v", d)
	}
	if r := d.Attempts[0].Responses; !r[0].Presented || !r[0].Correct || r[1].Presented {
		t.Errorf("responses %+v", r)
	}
}
