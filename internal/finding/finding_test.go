package finding

import (
	"reflect"
	"testing"
)

func TestSortIsByFileLineColumnRuleMessage(t *testing.T) {
	fs := []Finding{
		{File: "b", Line: 1, Column: 1, Rule: "x"},
		{File: "a", Line: 10, Column: 1, Rule: "x"},
		{File: "a", Line: 2, Column: 5, Rule: "y"},
		{File: "a", Line: 2, Column: 5, Rule: "x", Message: "2"},
		{File: "a", Line: 2, Column: 5, Rule: "x", Message: "1"},
		{File: "a", Line: 2, Column: 1, Rule: "z"},
	}
	Sort(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	want := []string{
		"a:2:1: :  [z]", "a:2:5: : 1 [x]", "a:2:5: : 2 [x]", "a:2:5: :  [y]", "a:10:1: :  [x]", "b:1:1: :  [x]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestCountAndParseSeverity(t *testing.T) {
	e, w := Count([]Finding{{Severity: Error}, {Severity: Warning}, {Severity: Error}})
	if e != 2 || w != 1 {
		t.Errorf("Count = %d, %d", e, w)
	}
	for _, s := range []string{"error", "warning", "off"} {
		if _, err := ParseSeverity(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) succeeded")
	}
}

func TestSummaryAndPlural(t *testing.T) {
	for _, tt := range []struct {
		sum  Summary
		want string
	}{
		{Summary{Files: 1, Items: 1}, "1 file, 1 item: no errors, no warnings"},
		{Summary{Files: 412, Items: 410, Errors: 1, Warnings: 2}, "412 files, 410 items: 1 error, 2 warnings"},
		{Summary{}, "0 files, 0 items: no errors, no warnings"},
	} {
		if got := tt.sum.String(); got != tt.want {
			t.Errorf("%+v: %q; want %q", tt.sum, got, tt.want)
		}
	}
	if Plural(1, "problem") != "1 problem" || Plural(0, "problem") != "0 problems" || Plural(3, "item slot") != "3 item slots" {
		t.Error("Plural")
	}
}
