package schema

import (
	"encoding/json"
	"testing"
)

func TestEverySchemaCompilesAndDescribesItsProperties(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			if _, err := Compile(name); err != nil {
				t.Fatal(err)
			}
			src, _ := Source(name)
			var doc map[string]any
			if err := json.Unmarshal(src, &doc); err != nil {
				t.Fatal(err)
			}
			checkDescriptions(t, "#", doc)
		})
	}
}

// checkDescriptions walks every "properties" map and requires a description
// on each property, so editors can show it.
func checkDescriptions(t *testing.T, at string, node any) {
	switch n := node.(type) {
	case map[string]any:
		if props, ok := n["properties"].(map[string]any); ok {
			for name, p := range props {
				pm, _ := p.(map[string]any)
				if _, ok := pm["description"]; !ok {
					t.Errorf("%s/properties/%s has no description", at, name)
				}
			}
		}
		for k, v := range n {
			checkDescriptions(t, at+"/"+k, v)
		}
	case []any:
		for _, v := range n {
			checkDescriptions(t, at+"/[]", v)
		}
	}
}

func TestUnknownSchemaNamesTheKnownOnes(t *testing.T) {
	if _, err := Source("nope"); err == nil {
		t.Fatal("want error for unknown schema")
	}
}
