package bank

import (
	"bytes"
	"context"
	"testing"

	"github.com/qbank/qbank/internal/schemacheck"
	"github.com/qbank/qbank/internal/synth"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// BenchmarkLoadPhases measures the loader's phases one at a time on the
// bank synth.BenchBank gives (10,000 varied items unless QBANK_BENCH_*
// say otherwise): reading every item file, parsing it (yamlx.Parse, whose
// fast path takes these files, and yaml.v3 alone for comparison), checking
// it against the item schema and decoding it as the loader does (the
// tree fast path), and the long way through the jsonschema library for
// comparison. Each op is the whole bank. package lint has the rules and
// near-duplicate phases.
func BenchmarkLoadPhases(b *testing.B) {
	dir, _, err := synth.BenchBank(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	var paths []itemPath
	fs := walkItems(dir+"/items", func(p itemPath) bool {
		paths = append(paths, p)
		return true
	})
	if len(fs) > 0 || len(paths) == 0 {
		b.Fatalf("%d paths, findings %v", len(paths), fs)
	}
	data := make([][]byte, len(paths))
	docs := make([]*yaml.Node, len(paths))
	for i, p := range paths {
		var rerr *readError
		if data[i], rerr = readFile(p.path, DefaultMaxFileSize, p.regular, nil); rerr != nil {
			b.Fatal(rerr.msg)
		}
		if docs[i], err = yamlx.Parse(data[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			for _, p := range paths {
				if _, rerr := readFile(p.path, DefaultMaxFileSize, p.regular, nil); rerr != nil {
					b.Fatal(rerr.msg)
				}
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range data {
				if _, err := yamlx.Parse(d); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("parse-yaml.v3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range data {
				var doc yaml.Node
				if err := yaml.NewDecoder(bytes.NewReader(d)).Decode(&doc); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("schema+decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i, d := range docs {
				if !schemacheck.ValidItemDocument(d) {
					b.Fatalf("%s: not on the fast path", paths[i].path)
				}
				decodeItem(d, paths[i].path)
			}
		}
	})
	b.Run("schema-library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i, d := range docs {
				if _, fs := schemacheck.ValidateValue(schemacheck.Item, d, paths[i].path, ""); len(fs) > 0 {
					b.Fatal(fs)
				}
			}
		}
	})
}
