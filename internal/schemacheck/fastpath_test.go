package schemacheck

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/yamlx"
	"github.com/qbank/qbank/schema"
	"gopkg.in/yaml.v3"
)

// TestItemFastPathKnowsTheSchema fails when schema/item.schema.json
// changes: then ValidItemDocument must be brought in line (and the agreement
// test below extended), and this hash updated.
func TestItemFastPathKnowsTheSchema(t *testing.T) {
	src, err := schema.Source(string(Item))
	if err != nil {
		t.Fatal(err)
	}
	const want = "4cc14d47a5c02d46ba65e736f991af6472512268d74ec4e079dd8498456a66cb"
	if got := fmt.Sprintf("%x", sha256.Sum256(src)); got != want {
		t.Fatalf("item.schema.json changed (sha256 %s); update ValidItemDocument in fastpath.go to check the same constraints, then this hash", got)
	}
}

func fullItem() map[string]any {
	opt := func(text string, correct bool) map[string]any {
		return map[string]any{"text": text, "correct": correct, "why": "Because."}
	}
	return map[string]any{
		"id": "SEC-0042", "revision": int64(2), "status": "operational", "domain": "security-compliance",
		"task": "2.1", "type": "single", "difficulty": "medium", "stem": "Which service?",
		"options":     []any{opt("A", true), opt("B", false), opt("C", false), opt("D", false)},
		"explanation": "", "references": []any{"https://docs.aws.amazon.com/a", "https://aws.amazon.com/b"},
		"tags": []any{"iam", "least-privilege", "2fa"}, "enemies": []any{"SEC-0001", "CC-0002-B"}, "author": "kim",
	}
}

var (
	itemKeys   = []string{"id", "revision", "status", "domain", "task", "type", "difficulty", "stem", "options", "explanation", "references", "tags", "enemies", "author", "optionz", "Stem", ""}
	optionKeys = []string{"text", "correct", "why", "right", ""}
	samples    = []any{
		"", "x", "CC-0001", "SEC-0042", "A-1", "A-", "-A-1", "A--1", "A-1-", "1A-2", "a-1", "AB", "A-b", "Ä-1", "A-1\n", strings.Repeat("A", 62) + "-1", strings.Repeat("A", 63) + "-1",
		"cloud-concepts", "cloud--concepts", "cloud-", "Cloud", "2fa", "2-fa", "a", "-a", "a_b",
		"draft", "review", "pretest", "operational", "retired", "live", "single", "multiple", "easy", "medium", "hard",
		int64(0), int64(1), int64(-1), int64(3), 1.0, 2.0, 1.5, 0.5, true, false, nil,
		[]any{}, []any{"x"}, []any{"x", "x"}, []any{"CC-0001", "CC-0001"}, []any{"a", 1}, []any{""}, map[string]any{}, map[string]any{"text": "t"},
	}
)

func mutate(rng *rand.Rand, v map[string]any) {
	switch rng.IntN(6) {
	case 0:
		delete(v, itemKeys[rng.IntN(len(itemKeys))])
	case 1, 2:
		v[itemKeys[rng.IntN(len(itemKeys))]] = samples[rng.IntN(len(samples))]
	case 3:
		opts, ok := v["options"].([]any)
		if !ok {
			return
		}
		switch n := rng.IntN(4); n {
		case 0:
			v["options"] = opts[:rng.IntN(len(opts)+1)]
		case 1:
			for len(opts) < 25+rng.IntN(3) {
				opts = append(opts, map[string]any{"text": fmt.Sprint(len(opts))})
			}
			v["options"] = opts
		default:
			if len(opts) == 0 {
				return
			}
			o, ok := opts[rng.IntN(len(opts))].(map[string]any)
			if !ok {
				return
			}
			o = maps.Clone(o)
			if rng.IntN(2) == 0 {
				delete(o, optionKeys[rng.IntN(len(optionKeys))])
			} else {
				o[optionKeys[rng.IntN(len(optionKeys))]] = samples[rng.IntN(len(samples))]
			}
			opts = slices.Clone(opts)
			opts[0] = o
			v["options"] = opts
		}
	default:
		k := []string{"references", "tags", "enemies"}[rng.IntN(3)]
		l, _ := v[k].([]any)
		l = slices.Clone(l)
		switch rng.IntN(3) {
		case 0:
			if len(l) > 0 {
				l = append(l, l[rng.IntN(len(l))])
			}
		case 1:
			l = append(l, samples[rng.IntN(len(samples))])
		default:
			if len(l) > 0 {
				l[rng.IntN(len(l))] = samples[rng.IntN(len(samples))]
			}
		}
		v[k] = l
	}
}

// TestItemDocumentFastPathAgreesWithSchema mutates a full item at random
// (drops and adds properties, swaps values for ones of other types and
// forms, resizes lists), writes it as YAML and compares the fast path with
// the jsonschema library: it may never accept what the schema rejects,
// and it must accept every valid item written the ordinary way.
func TestItemDocumentFastPathAgreesWithSchema(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	accepted, rejected := 0, 0
	for i := 0; i < 10000; i++ {
		v := fullItem()
		for n := rng.IntN(3); n >= 0; n-- {
			mutate(rng, v)
		}
		text, err := yaml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := yamlx.Parse(text)
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		fast := ValidItemDocument(doc)
		valid := libraryAccepts(doc)
		switch {
		case fast && !valid:
			t.Fatalf("fast path accepts an item the schema rejects:\n%s", text)
		case valid && !fast:
			t.Fatalf("fast path rejects an item the schema accepts:\n%s", text)
		}
		if valid {
			accepted++
		} else {
			rejected++
		}
	}
	if accepted < 1000 || rejected < 1000 {
		t.Fatalf("%d accepted, %d rejected: the mutations need tuning", accepted, rejected)
	}
	for _, src := range []string{
		"id: A-1\nrevision: 0x1\nstatus: draft\ndomain: d\ntask: t\ntype: single\nstem: s\noptions: [{text: a}, {text: b}]\n",
		"id: A-1\nrevision: 1\nstatus: draft\ndomain: d\ntask: t\ntype: single\nstem: &s s\nauthor: *s\noptions: [{text: a}, {text: b}]\n",
		"id: A-1\nrevision: 1\nstatus: !!str draft\ndomain: d\ntask: t\ntype: single\nstem: s\noptions: [{text: a}, {text: b, correct: yes}]\n",
	} {
		doc, err := yamlx.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if ValidItemDocument(doc) && !libraryAccepts(doc) {
			t.Errorf("fast path accepts an item the schema rejects:\n%s", src)
		}
	}
}

// libraryAccepts reports whether the jsonschema library, without the fast
// path, accepts doc as an item.
func libraryAccepts(doc *yaml.Node) bool {
	v, err := yamlx.ToValue(doc, yamlx.DefaultMaxNodes)
	return err == nil && compiled[Item]().Validate(v) == nil
}
