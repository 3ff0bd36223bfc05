// Package schema embeds the JSON Schemas of qbank's file formats (items, the
// exam blueprint, forms, statistics and release bundles) and compiles them.
package schema

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed *.schema.json
var files embed.FS

// Names lists the embedded schemas by short name ("item", "exam", ...).
func Names() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".schema.json"))
	}
	sort.Strings(names)
	return names
}

// Source returns the JSON text of the named schema.
func Source(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("no schema named %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// Compile compiles the named schema (draft 2020-12, formats asserted).
func Compile(name string) (*jsonschema.Schema, error) {
	src, err := Source(name)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	url := "https://qbank.dev/schema/" + name + ".schema.json"
	if err := c.AddResource(url, bytes.NewReader(src)); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	return s, nil
}

// MustCompile is Compile for schemas known to be valid; it panics otherwise.
// The embedded schemas are fixed at build time and covered by tests.
func MustCompile(name string) *jsonschema.Schema {
	s, err := Compile(name)
	if err != nil {
		panic(err)
	}
	return s
}
