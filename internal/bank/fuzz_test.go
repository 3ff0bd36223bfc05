package bank

import (
	"reflect"
	"testing"

	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/testbank"
	"github.com/qbank/qbank/internal/yamlx"
)

// FuzzParseItemFile feeds arbitrary bytes through the item loader (strict
// YAML parse, schema validation, decoding). It must never panic, and every
// finding must carry a 1-based position.
func FuzzParseItemFile(f *testing.F) {
	exam, fs, err := blueprint.Parse([]byte(testbank.SmallExam), "exam.yaml")
	if err != nil || len(fs) > 0 {
		f.Fatal(err, fs)
	}
	for _, seed := range []string{
		testbank.SmallItem("AL-0001", "x"),
		"id: AL-1\noptions:\n  - text: a\n    text: b\n",
		"a: &a [1,2]\nb: [*a,*a]\n",
		"stem: |\n  x\n y\n",
		"---\n---\n",
		"\xff\xfe",
		"{",
		"id: [",
		"? [a]\n: b\n",
		"options: !!binary aGVsbG8=\n",
	} {
		f.Add([]byte(seed))
	}
	arena := new(yamlx.Arena) // reused across inputs, as a loader worker does
	f.Fuzz(func(t *testing.T, data []byte) {
		res := parseItemFile(data, "items/alpha/AL-0001.yaml", exam, nil, nil)
		if inArena := parseItemFile(data, "items/alpha/AL-0001.yaml", exam, nil, arena); !reflect.DeepEqual(res, inArena) {
			t.Fatalf("parsing in an arena changes the result:\n%+v\n%+v", res, inArena)
		}
		for _, fd := range res.findings {
			if fd.Line < 1 || fd.Column < 1 || fd.Message == "" {
				t.Fatalf("finding without position or message: %+v", fd)
			}
		}
		if res.valid && res.item == nil {
			t.Fatal("valid file without an item")
		}
	})
}
