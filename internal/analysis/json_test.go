package analysis

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The JSON of a Report has exactly the keys of FORMAT.md's "Item
// analysis" section.
func TestJSONShape(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	items, forms := standardDesign(rng)
	rep, err := Analyze(context.Background(), simDataset(rng, items, forms, 200), Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	check := func(what string, obj any, want ...string) map[string]any {
		t.Helper()
		o, ok := obj.(map[string]any)
		if !ok {
			t.Fatalf("%s is %T", what, obj)
		}
		sort.Strings(want)
		if got := keys(o); !slices.Equal(got, want) {
			t.Errorf("%s keys %v; want %v", what, got, want)
		}
		return o
	}
	check("report", m, "items", "forms", "calibration", "rejected")
	it := check("item", m["items"].([]any)[0], "id", "revision", "role", "forms", "responses", "p_value",
		"point_biserial", "omitted", "options", "rasch", "flags")
	check("option", it["options"].([]any)[0], "letter", "key", "share", "mean_score", "point_biserial")
	check("rasch", it["rasch"], "b", "se", "infit", "outfit")
	f := check("form", m["forms"].([]any)[0], "form", "bundle", "attempts", "mean", "sd", "kr20", "sem", "theta")
	check("theta", f["theta"].([]any)[0], "raw", "theta", "se")
	check("calibration", m["calibration"], "model", "method", "anchored", "items", "persons", "iterations", "loglik")
}
