package author

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/itemfmt"
	"github.com/qbank/qbank/internal/lint"
	"github.com/qbank/qbank/internal/schemacheck"
	"github.com/qbank/qbank/internal/yamlx"
)

const exam = `exam: TEST
title: Test exam
options: {single: 4, multiple_min: 5}
scale: {min: 100, max: 1000, pass: 700}
domains:
  - id: cloud-concepts
    name: Cloud Concepts
    weight: 40
    prefix: CC
    tasks:
      - {id: "1.1", title: Benefits.}
  - id: security-compliance
    name: Security
    weight: 60
    tasks:
      - {id: "2.1", title: Shared responsibility.}
forms:
  - {id: full, title: Full, scored: 2, pretest: 0, minutes: 10}
`

// newBank writes a bank with exam and the given files (path -> content).
func newBank(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["exam.yaml"] = exam
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, dir string) *lint.Result {
	t.Helper()
	res, err := lint.Run(context.Background(), dir, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func item(id, status string, enemies ...string) string {
	s := "id: " + id + "\nrevision: 1\nstatus: " + status + "\ndomain: cloud-concepts\ntask: \"1.1\"\ntype: single\nstem: Stem of " + id + "\noptions:\n  - text: a\n    correct: true\n  - text: b\n"
	if len(enemies) > 0 {
		s += "enemies: [" + strings.Join(enemies, ", ") + "]\n"
	}
	return s
}

func TestNextID(t *testing.T) {
	set := func(ids ...string) map[string]bool {
		m := map[string]bool{}
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	tests := []struct {
		name string
		used map[string]bool
		want string
	}{
		{"empty bank", set(), "CC-0001"},
		{"continues after the highest, not in a gap", set("CC-0001", "CC-0007", "CC-0003"), "CC-0008"},
		{"other prefixes do not count", set("SEC-0040", "CCX-0090", "CC-0002"), "CC-0003"},
		{"unpadded and odd ids", set("CC-12", "CC-0005-B", "CC-X1"), "CC-0013"},
		{"past four digits", set("CC-9999"), "CC-10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextID("CC", tt.used); got != tt.want {
				t.Errorf("NextID = %s; want %s", got, tt.want)
			}
		})
	}
}

func TestUsedIDsSeesEveryTrace(t *testing.T) {
	dir := newBank(t, map[string]string{
		"items/cloud-concepts/CC-0001.yaml": item("CC-0001", "operational", "CC-0040"),
		"items/cloud-concepts/CC-0009.yaml": item("CC-0009", "retired"),
		// Schema-invalid: loaded as broken, its id still counts.
		"items/cloud-concepts/CC-0011.yaml": "id: CC-0011\nstatus: nonsense\n",
		// Not YAML at all: the id line and the file name count.
		"items/cloud-concepts/CC-0012.yaml": "id: CC-0013\nstem: [unclosed\n",
		// Any file name, whatever the extension or folder.
		"items/cloud-concepts/CC-0020.yaml.bak": "old copy\n",
		"items/wrong-folder/CC-0021.yml":        "x\n",
		// A directory is not an item file, whatever its name (lint skips
		// it too): its name takes no id.
		"items/cloud-concepts/CC-9999.yaml/notes": "x\n",
		"forms/F-1.yaml": "form: F-1\nversion: 1\nexam: TEST\nspec: full\nitems:\n  - {id: CC-0030, revision: 1, role: scored}\n",
	})
	res := load(t, dir)
	used, err := UsedIDs(res.Bank, filepath.Join(dir, "items"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"CC-0001", "CC-0009", "CC-0011", "CC-0012", "CC-0013", "CC-0020", "CC-0021", "CC-0030", "CC-0040"} {
		if !used[id] {
			t.Errorf("%s is used in the bank but UsedIDs missed it", id)
		}
	}
	if used["CC-9999"] {
		t.Errorf("the directory CC-9999.yaml/ took an id")
	}
	if got := NextID("CC", used); got != "CC-0041" {
		t.Errorf("next id %s; want CC-0041", got)
	}
}

func TestCreateNeverReusesARetiredID(t *testing.T) {
	dir := newBank(t, map[string]string{
		"items/cloud-concepts/CC-0001.yaml": item("CC-0001", "operational"),
		"items/cloud-concepts/CC-0002.yaml": item("CC-0002", "retired"),
	})
	path, err := Create(context.Background(), load(t, dir).Bank, Request{Domain: "cloud-concepts", Task: "1.1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "items", "cloud-concepts", "CC-0003.yaml"); path != want {
		t.Errorf("created %s; want %s", path, want)
	}
	// A domain without prefix uses its initials, and its folder is made.
	path, err = Create(context.Background(), load(t, dir).Bank, Request{Domain: "security-compliance", Task: "2.1", Type: "multiple"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "items", "security-compliance", "SC-0001.yaml"); path != want {
		t.Errorf("created %s; want %s", path, want)
	}
}

func TestCreateSkipsAnIDTakenMeanwhile(t *testing.T) {
	dir := newBank(t, map[string]string{"items/cloud-concepts/CC-0001.yaml": item("CC-0001", "draft")})
	b := load(t, dir).Bank
	// Another writer creates CC-0002 after the bank was read.
	taken := filepath.Join(dir, "items", "cloud-concepts", "CC-0002.yaml")
	if err := os.WriteFile(taken, []byte("theirs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path, err := Create(context.Background(), b, Request{Domain: "cloud-concepts", Task: "1.1"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "CC-0003.yaml" {
		t.Errorf("created %s; want CC-0003.yaml", path)
	}
	if data, _ := os.ReadFile(taken); string(data) != "theirs\n" {
		t.Errorf("the other writer's file was overwritten: %q", data)
	}
}

func TestRequestCheck(t *testing.T) {
	b := load(t, newBank(t, map[string]string{})).Bank
	tests := []struct {
		req  Request
		want string
	}{
		{Request{Domain: "nope", Task: "1.1"}, `unknown domain "nope"; use one of: cloud-concepts, security-compliance`},
		{Request{Domain: "cloud-concepts", Task: "2.1"}, `task "2.1" is not a task of domain cloud-concepts; use one of: 1.1`},
		{Request{Domain: "cloud-concepts", Task: "1.1", Type: "essay"}, `unknown type "essay"; use single or multiple`},
	}
	for _, tt := range tests {
		if _, err := tt.req.Check(b.Exam); err == nil || err.Error() != tt.want {
			t.Errorf("Check(%+v) = %v; want %q", tt.req, err, tt.want)
		}
	}
}

// TestTemplateIsValidCanonicalAndLintClean creates two drafts of each type
// in one bank: each file is schema-valid and already in fmt's layout, and
// the bank lints without a single finding (no near-duplicate between the
// fresh drafts either).
func TestTemplateIsValidCanonicalAndLintClean(t *testing.T) {
	dir := newBank(t, map[string]string{})
	var paths []string
	for _, typ := range []string{"single", "single", "multiple", "multiple"} {
		p, err := Create(context.Background(), load(t, dir).Bank, Request{Domain: "cloud-concepts", Task: "1.1", Type: typ, Author: "jdoe"})
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), Modeline+"\nid: ") {
			t.Errorf("%s does not start with the modeline and the id:\n%s", p, data)
		}
		doc, err := yamlx.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if fs := schemacheck.Validate(schemacheck.Item, doc, p, ""); len(fs) > 0 {
			t.Errorf("%s is not schema-valid: %v", p, fs)
		}
		out, err := itemfmt.Format(data)
		if err != nil || string(out) != string(data) {
			t.Errorf("%s is not in the canonical layout (err %v)", p, err)
		}
		for i, k := range []string{"id:", "revision:", "status: draft", "domain:", "task:", "type:", "difficulty:", "stem:", "options:", "explanation:", "references:", "tags:", "enemies:", "author: jdoe"} {
			if !strings.Contains(string(data), "\n"+k) {
				t.Errorf("%s: field %d %q missing", p, i, k)
			}
		}
	}
	res := load(t, dir)
	for _, f := range res.Findings {
		t.Errorf("finding on a fresh draft: %s", f)
	}
	b := res.Bank
	if len(b.Items) != 4 {
		t.Fatalf("%d items loaded; want 4", len(b.Items))
	}
	for _, it := range b.Items {
		wantOpts, wantKeys := 4, 1
		if it.Type == bank.TypeMultiple {
			wantOpts, wantKeys = 5, 2
			if !strings.Contains(it.Stem, "(Select TWO.)") {
				t.Errorf("%s: multiple stem without (Select TWO.)", it.ID)
			}
		}
		if len(it.Options) != wantOpts || len(it.Keys()) != wantKeys {
			t.Errorf("%s: %d options, %d keys; want %d and %d", it.ID, len(it.Options), len(it.Keys()), wantOpts, wantKeys)
		}
	}
	// Key positions are spread: the two single drafts do not share one.
	if a, b := b.Items[0].KeyLetters(), b.Items[1].KeyLetters(); a == b {
		t.Errorf("both single drafts put the key at %s; the template should pick the least-used position", a)
	}
}
