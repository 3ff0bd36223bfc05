package bank

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank"
)

func TestLoadReadsGoodFilesAndReportsBadOnes(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{
		"items/alpha/AL-0001.yaml": testbank.SmallItem("AL-0001", "storage"),
		"items/alpha/AL-0002.yaml": "id: AL-0002\nstem: [unclosed\n",
		"items/alpha/AL-0003.yaml": "id: AL-0003\nstem: caf\xe9\n",
		"items/alpha/AL-0004.yaml": "\x00\x01\x02binary",
		"items/alpha/AL-0005.yaml": strings.Replace(testbank.SmallItem("AL-0005", "queues"), "revision: 1\n", "revision: 1\nrevision: 2\n", 1),
		"items/alpha/AL-0006.yaml": strings.Replace(testbank.SmallItem("AL-0006", "dns"), "revision: 1", "revision: one", 1),
		"items/alpha/notes.txt":    "not an item",
		"items/beta/BE-0001.yaml":  strings.Replace(strings.Replace(testbank.SmallItem("BE-0001", "caching"), "domain: alpha", "domain: beta", 1), `task: "1.1"`, `task: "2.1"`, 1),
		"items/beta/BE-0002.yaml":  "",
		"items/beta/BE-0003.yaml":  strings.Repeat("# padding\n", 200000),
	})
	if err := os.Symlink("loop.yaml", filepath.Join(dir, "items/beta/loop.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..", filepath.Join(dir, "items/beta/up")); err != nil {
		t.Fatal(err)
	}
	b, fs, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 2 || b.Items[0].ID != "AL-0001" || b.Items[1].ID != "BE-0001" {
		t.Fatalf("items = %v", ids(b.Items))
	}
	if len(b.Broken) != 1 || b.Broken[0].ID != "AL-0006" {
		t.Errorf("broken = %v", ids(b.Broken))
	}
	if b.Files != 10 {
		t.Errorf("Files = %d; want 10 (*.yaml only, the directory link not followed)", b.Files)
	}
	want := []struct {
		file string
		line int
		col  int
		rule string
		msg  string
	}{
		{"AL-0002.yaml", 2, 1, rules.YAML.ID, "did not find expected"},
		{"AL-0003.yaml", 2, 10, rules.YAML.ID, "invalid UTF-8"},
		{"AL-0004.yaml", 1, 1, rules.YAML.ID, "binary content"},
		{"AL-0005.yaml", 3, 1, rules.YAML.ID, `duplicate key "revision"`},
		{"AL-0006.yaml", 2, 11, rules.Schema.ID, "revision must be an integer, not a string"},
		{"BE-0002.yaml", 1, 1, rules.YAML.ID, "the file is empty"},
		{"BE-0003.yaml", 1, 1, rules.YAML.ID, "bank files are limited to"},
		{"loop.yaml", 1, 1, rules.YAML.ID, "too many levels of symbolic links"},
	}
	if len(fs) != len(want) {
		t.Errorf("got %d findings, want %d:\n%s", len(fs), len(want), show(fs))
	}
	for _, w := range want {
		found := false
		for _, f := range fs {
			if filepath.Base(f.File) == w.file && f.Line == w.line && f.Column == w.col && f.Rule == w.rule && strings.Contains(f.Message, w.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing %s:%d:%d [%s] %q in\n%s", w.file, w.line, w.col, w.rule, w.msg, show(fs))
		}
	}
}

func TestLoadKeepsPositionsForCrossItemChecks(t *testing.T) {
	dir := t.TempDir()
	item := testbank.SmallItem("AL-0001", "x") + "enemies: [AL-0002, AL-0003]\n"
	testbank.WriteSmall(t, dir, map[string]string{"items/alpha/AL-0001.yaml": item})
	b, fs, err := Load(context.Background(), dir, Options{})
	if err != nil || len(fs) > 0 {
		t.Fatalf("err=%v findings=%v", err, fs)
	}
	it := b.Item("AL-0001")
	if it == nil {
		t.Fatal("item not found")
	}
	if it.Pos.ID != (finding.Pos{Line: 1, Column: 5}) || it.Pos.Stem != (finding.Pos{Line: 8, Column: 7}) {
		t.Errorf("positions = %+v", it.Pos)
	}
	if len(it.Pos.Enemies) != 2 || it.Pos.Enemies[1] != (finding.Pos{Line: 23, Column: 20}) {
		t.Errorf("enemy positions = %v", it.Pos.Enemies)
	}
	if it.KeyLetters() != "A" || len(it.Options) != 4 || it.Options[1].Why != "It is wrong." {
		t.Errorf("decoded item = %+v", it)
	}
}

func TestLoadRefusesBanksItCannotUse(t *testing.T) {
	t.Run("not a directory", func(t *testing.T) {
		_, _, err := Load(context.Background(), filepath.Join(t.TempDir(), "nope"), Options{})
		if err == nil || !strings.Contains(err.Error(), "cannot read bank") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("no exam.yaml", func(t *testing.T) {
		_, _, err := Load(context.Background(), t.TempDir(), Options{})
		if err == nil || !strings.Contains(err.Error(), "no exam blueprint") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("invalid exam.yaml", func(t *testing.T) {
		dir := t.TempDir()
		testbank.WriteSmall(t, dir, map[string]string{"exam.yaml": strings.Replace(testbank.SmallExam, "weight: 40", "weight: 41", 1)})
		_, fs, err := Load(context.Background(), dir, Options{})
		var be *BlueprintError
		if !errors.As(err, &be) || len(fs) != 1 || fs[0].Rule != rules.Blueprint.ID {
			t.Fatalf("err = %v, findings = %v", err, fs)
		}
	})
}

// The walk starts before the blueprint is read; a bank whose blueprint is
// unusable stops it, and Load returns only once it has stopped.
func TestAbandonedWalkHasStopped(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 300 {
		id := fmt.Sprintf("AL-%04d", i+1)
		files["items/alpha/"+id+".yaml"] = testbank.SmallItem(id, "x")
	}
	testbank.WriteSmall(t, dir, files)
	w := startWalk(context.Background(), filepath.Join(dir, "items"))
	w.abandon()
	select {
	case <-w.done:
	default:
		t.Fatal("abandon returned before the walk stopped")
	}
	queued := 0
	for batch := range w.batches { // closed, or this never ends
		queued += len(batch)
	}
	if queued > len(w.results) || len(w.results) > 300 {
		t.Errorf("queued %d files of %d listed", queued, len(w.results))
	}
}

func TestLoadHonoursCancellation(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{"items/alpha/AL-0001.yaml": testbank.SmallItem("AL-0001", "x")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Load(ctx, dir, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
}

func TestLoadFormsAndStats(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{
		"items/alpha/AL-0001.yaml": testbank.SmallItem("AL-0001", "x"),
		"forms/TST-01-FULL-A.yaml": "form: TST-01-FULL-A\nversion: 2\nexam: TST-01\nspec: full\nseed: 7\nitems:\n  - {id: AL-0001, revision: 1, role: scored}\n",
		"forms/BAD.yaml":           "form: BAD\nversion: 0\nexam: TST-01\nspec: full\nitems: []\n",
		"stats.yaml":               "items:\n  AL-0001: {revision: 1, responses: 120, p_value: 0.7}\n",
	})
	b, fs, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Forms) != 1 || b.Forms[0].Version != 2 || !b.Forms[0].HasSeed || b.Forms[0].Seed != 7 {
		t.Fatalf("forms = %+v", b.Forms)
	}
	e := b.Forms[0].Items[0]
	if e.ID != "AL-0001" || e.Role != RoleScored || e.IDPos != (finding.Pos{Line: 7, Column: 10}) {
		t.Errorf("entry = %+v", e)
	}
	if len(fs) != 1 || filepath.Base(fs[0].File) != "BAD.yaml" || fs[0].Line != 2 {
		t.Errorf("findings = %v", fs)
	}
	if s, ok := b.Stats.Items["AL-0001"]; !ok || s.PValue != 0.7 || s.Responses != 120 {
		t.Errorf("stats = %+v", b.Stats)
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"SEC-0042": true, "A-1": true, "AB-12-C": true,
		"": false, "sec-1": false, "SEC": false, "SEC-": false, "SEC--1": false,
		"../etc": false, "SEC-1/../../x": false, "SEC-1.yaml": false, "SEC 1": false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v; want %v", id, got, want)
		}
	}
}

func ids(items []*Item) []string {
	var s []string
	for _, it := range items {
		s = append(s, it.ID)
	}
	return s
}

func show(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}

// items/ may be a symbolic link to the directory that holds the items (a
// content repository shared between banks); an items/ that is not a
// directory is reported instead of silently giving an empty bank.
func TestLoadItemsDirectory(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{"shared/alpha/AL-0001.yaml": testbank.SmallItem("AL-0001", "storage")})
	if err := os.Symlink("shared", filepath.Join(dir, "items")); err != nil {
		t.Fatal(err)
	}
	b, fs, err := Load(context.Background(), dir, Options{})
	if err != nil || len(fs) != 0 {
		t.Fatal(err, show(fs))
	}
	if len(b.Items) != 1 || b.Items[0].File != filepath.Join(dir, "items", "alpha", "AL-0001.yaml") {
		t.Fatalf("items = %v", ids(b.Items))
	}

	for name, mk := range map[string]func(p string) error{
		"a file":                     func(p string) error { return os.WriteFile(p, []byte("x"), 0o644) },
		"a symbolic link to nothing": func(p string) error { return os.Symlink("nowhere", p) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			testbank.WriteSmall(t, dir, map[string]string{})
			if err := mk(filepath.Join(dir, "items")); err != nil {
				t.Fatal(err)
			}
			_, fs, err := Load(context.Background(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].File != filepath.Join(dir, "items") || fs[0].Rule != rules.YAML.ID || fs[0].Line != 1 {
				t.Fatalf("findings:\n%s", show(fs))
			}
		})
	}
}

func TestLoadRefusesItemLinksOutOfTheBank(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(outside, []byte("token: hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	testbank.WriteSmall(t, dir, map[string]string{"items/alpha/AL-0001.yaml": testbank.SmallItem("AL-0001", "x")})
	if err := os.Symlink(outside, filepath.Join(dir, "items/alpha/AL-0002.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "forms"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "forms/TST-01-FULL-A.yaml")); err != nil {
		t.Fatal(err)
	}
	// A link to another file inside items/ is fine.
	if err := os.Symlink("AL-0001.yaml", filepath.Join(dir, "items/alpha/AL-0003.yaml")); err != nil {
		t.Fatal(err)
	}
	_, fs, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if strings.Contains(f.Message, "hunter2") {
			t.Errorf("a finding shows the linked file's content: %s", f)
		}
		got = append(got, filepath.Base(f.File)+": "+f.Message)
	}
	if len(fs) != 2 || filepath.Base(fs[0].File) != "TST-01-FULL-A.yaml" && filepath.Base(fs[1].File) != "TST-01-FULL-A.yaml" ||
		!strings.Contains(fs[0].Message, "outside its folder") || !strings.Contains(fs[1].Message, "outside its folder") {
		t.Fatalf("findings = %q", got)
	}
}

func TestLoadRichStats(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{
		"items/alpha/AL-0001.yaml": testbank.SmallItem("AL-0001", "x"),
		"items/alpha/AL-0002.yaml": testbank.SmallItem("AL-0002", "y"),
		"stats.yaml": `calibration: {model: rasch, method: cml, anchored: 3, attempts: 2000, computed: "2026-11-30T00:00:00Z", simulated: true}
items:
  AL-0001:
    revision: 1
    responses: 1840
    p_value: 0.62
    point_biserial: 0.34
    omitted: 0.01
    options: {A: 0.12, B: 0.62, C: 0.2, D: 0.06}
    rasch: {b: 0.41, se: 0.05, infit: 0.98, outfit: 1.04}
    flags: [nonfunctional-distractor]
  AL-0002: {revision: 9, responses: 10, p_value: 0.5, rasch: {b: -1.5, se: 0.3}}
`,
	})
	b, fs, err := Load(context.Background(), dir, Options{})
	if err != nil || len(fs) > 0 {
		t.Fatalf("err=%v findings=%v", err, fs)
	}
	c := b.Stats.Calibration
	if c == nil || c.Model != "rasch" || c.Method != "cml" || c.Anchored != 3 || c.Attempts != 2000 || !c.Simulated {
		t.Errorf("calibration = %+v", c)
	}
	s := b.Stats.Items["AL-0001"]
	if s.Omitted != 0.01 || s.Options["B"] != 0.62 || len(s.Flags) != 1 || s.Flags[0] != "nonfunctional-distractor" {
		t.Errorf("stats = %+v", s)
	}
	if s.Rasch == nil || s.Rasch.B != 0.41 || s.Rasch.SE != 0.05 || !s.Rasch.HasFit || s.Rasch.Outfit != 1.04 {
		t.Errorf("rasch = %+v", s.Rasch)
	}
	if got, ok := b.Stats.RaschB(b.Item("AL-0001")); !ok || got != 0.41 {
		t.Errorf("RaschB(AL-0001) = %v, %v; want 0.41, true", got, ok)
	}
	// AL-0002's statistics are for revision 9, not the item's revision 1.
	if _, ok := b.Stats.RaschB(b.Item("AL-0002")); ok {
		t.Error("RaschB used statistics of another revision")
	}
	if r := b.Stats.Items["AL-0002"].Rasch; r == nil || r.HasFit {
		t.Errorf("AL-0002 rasch = %+v; want b and se without fit", r)
	}
}

func TestLoadStatsRejectsUnknownFields(t *testing.T) {
	dir := t.TempDir()
	testbank.WriteSmall(t, dir, map[string]string{
		"items/alpha/AL-0001.yaml": testbank.SmallItem("AL-0001", "x"),
		"stats.yaml":               "items:\n  AL-0001: {revision: 1, responses: 5, p_value: 0.5, rasch: {b: 0.1, se: 0.2, fit: 1}}\n",
	})
	_, fs, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Line != 2 || !strings.Contains(fs[0].Message, "fit") {
		t.Errorf("findings = %v; want one at line 2 naming the unknown key", fs)
	}
}

// One worker reads every file into the same buffer and builds every tree
// in the same arena: Visit must still see each file's own bytes, and the
// bank must equal the one loaded with fresh memory for every file
// (KeepTrees). Files alternate long and short, so a short file is read
// over the remains of a long one.
func TestLoadReusesMemoryWithoutMixingFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 40 {
		id := fmt.Sprintf("AL-%04d", i+1)
		item := testbank.SmallItem(id, fmt.Sprintf("topic %d", i))
		if i%2 == 0 {
			item = strings.Replace(item, "stem: ", "stem: "+strings.Repeat("Long words pad this stem. ", 40+i), 1)
		}
		if i%7 == 3 {
			item = strings.Replace(item, "revision: 1", "revision: one", 1) // fails the schema
		}
		files["items/alpha/"+id+".yaml"] = item
	}
	testbank.WriteSmall(t, dir, files)
	load := func(keep bool) (*Bank, []finding.Finding) {
		var mu sync.Mutex
		visit := func(f *File) []finding.Finding {
			want, err := os.ReadFile(f.Path)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || !bytes.Equal(f.Data, want) {
				t.Errorf("%s: Visit saw %d bytes that are not the file's", f.Path, len(f.Data))
			}
			return nil
		}
		b, fs, err := Load(context.Background(), dir, Options{Workers: 1, KeepTrees: keep, Visit: visit})
		if err != nil {
			t.Fatal(err)
		}
		return b, fs
	}
	reused, reusedFindings := load(false)
	fresh, freshFindings := load(true)
	if len(reused.Items) != 34 || !reflect.DeepEqual(reused, fresh) || !reflect.DeepEqual(reusedFindings, freshFindings) {
		t.Errorf("reusing memory changes the bank: %d items and %d findings, %d and %d with fresh memory", len(reused.Items), len(reusedFindings), len(fresh.Items), len(freshFindings))
	}
}
