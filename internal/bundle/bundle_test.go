package bundle

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/lint"
	"github.com/qbank/qbank/internal/testbank"
)

func loadBank(t *testing.T, dir string) *bank.Bank {
	t.Helper()
	res, err := lint.Run(context.Background(), dir, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Bank
}

func testKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

func build(t *testing.T, dir string, opts Options) *Bundle {
	t.Helper()
	if opts.Version == "" {
		opts.Version = "1.0.0"
	}
	if opts.Tool.Name == "" {
		opts.Tool = Tool{Name: "qbank", Version: "test"}
	}
	b, err := Build(loadBank(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGolden pins the exact bytes of a bundle of the fixture bank, so any
// change of the format shows up in review. Run with -update to rewrite.
func TestGolden(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{Key: testKey(), SourceDate: time.Unix(1700000000, 0)})
	golden := filepath.Join("testdata", "golden", b.Name)
	if testbank.Update() {
		os.RemoveAll(golden)
		for _, p := range b.Paths() {
			full := filepath.Join(golden, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, b.Files[p], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want, err := Open(context.Background(), golden, DefaultLimits)
	if err != nil {
		t.Fatalf("%v (run go test -update to create the golden files)", err)
	}
	if strings.Join(b.Paths(), " ") != strings.Join(want.Paths(), " ") {
		t.Fatalf("files %v; golden %v", b.Paths(), want.Paths())
	}
	for _, p := range b.Paths() {
		if !bytes.Equal(b.Files[p], want.Files[p]) {
			t.Errorf("%s differs from %s (run go test -update and review the diff):\n%s", p, golden, b.Files[p])
		}
	}
}

func TestBuiltFilesMatchTheirSchemas(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{Key: testKey()})
	n := 0
	for _, p := range b.Paths() {
		var name string
		switch {
		case p == ManifestFile:
			name = ManifestSchema
		case strings.HasPrefix(p, "forms/"):
			name = CandidateSchema
		case strings.HasPrefix(p, "keys/"):
			name = KeySchema
		default:
			continue
		}
		n++
		for _, msg := range ValidateJSON(name, b.Files[p]) {
			t.Errorf("%s: %s", p, msg)
		}
	}
	if n != 5 {
		t.Errorf("validated %d files; want the manifest and two candidate and two key files", n)
	}
	if r := Verify(b, testKey().Public().(ed25519.PublicKey)); !r.OK() || r.Signature != Valid {
		t.Errorf("fresh bundle does not verify: %+v", r)
	}
}

// TestCandidateFileHidesKeysAndRoles asserts structurally that the file a
// candidate's browser receives carries no key and nothing that tells a
// pretest item from a scored one: every item has exactly the same fields,
// no field or value names a role or correctness, and the options carry
// letter and text only.
func TestCandidateFileHidesKeysAndRoles(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{})
	data := b.Files[CandidatePath("TST-01-MINI-A")]
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	items := doc["items"].([]any)
	if len(items) != 4 {
		t.Fatalf("%d items; want 4", len(items))
	}
	var shape string
	for i, it := range items {
		m := it.(map[string]any)
		if s := strings.Join(sortedMapKeys(m), ","); shape == "" {
			shape = s
		} else if s != shape {
			t.Errorf("item %d has fields %s; item 1 has %s: the shape gives the role away", i+1, s, shape)
		}
		for _, o := range m["options"].([]any) {
			if k := strings.Join(sortedMapKeys(o.(map[string]any)), ","); k != "letter,text" {
				t.Errorf("item %d: option fields %s; want letter,text", i+1, k)
			}
		}
	}
	if shape != "domain,options,position,select,stem,type" {
		t.Errorf("item fields = %s", shape)
	}
	// No key, role or rationale anywhere: not as a field name, not as a value.
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				switch k {
				case "key", "keys", "correct", "role", "scored", "pretest", "why", "explanation", "references", "revision":
					t.Errorf("%s has field %q", at, k)
				case "id":
					if strings.HasPrefix(at, "/items") {
						t.Errorf("%s has field %q", at, k)
					}
				}
				walk(at+"/"+k, e)
			}
		case []any:
			for i, e := range v {
				walk(at+"/"+string(rune('0'+i%10)), e)
			}
		case string:
			if v == "scored" || v == "pretest" {
				t.Errorf("%s has the value %q", at, v)
			}
		}
	}
	walk("", doc)
	// No item id either: ids are allocated in sequence, and pretest items
	// are the newest.
	for _, id := range []string{"AL-0003", "BE-0101", "BE-0001", "AL-0101"} {
		if bytes.Contains(data, []byte(id)) {
			t.Errorf("candidate file names item %s", id)
		}
	}
	// And the pretest items' text is there, so they are indistinguishable
	// rather than missing.
	if !bytes.Contains(data, []byte("data warehouses for analytics queries")) || !bytes.Contains(data, []byte("message queues between microservices")) {
		t.Error("pretest items missing from the candidate file")
	}
	for _, leak := range []string{"It is built for this.", "The managed service is the right fit.", "docs.aws.amazon.com"} {
		if bytes.Contains(data, []byte(leak)) {
			t.Errorf("candidate file contains key-side text %q", leak)
		}
	}
}

func sortedMapKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

func TestKeyFileContent(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{})
	var kf KeyForm
	if err := json.Unmarshal(b.Files[KeyPath("TST-01-MINI-A")], &kf); err != nil {
		t.Fatal(err)
	}
	var cf CandidateForm
	if err := json.Unmarshal(b.Files[CandidatePath("TST-01-MINI-A")], &cf); err != nil {
		t.Fatal(err)
	}
	first := kf.Items[0]
	if first.ID != "AL-0003" || strings.Join(first.Key, "") != "AC" || first.Role != "scored" || len(first.Options) != 5 || first.Options[2].Why != "Deleted objects cost nothing." {
		t.Errorf("key of the multiple item = %+v", first)
	}
	if c := cf.Items[0]; c.Select != 2 || c.Type != "multiple" || c.Options[1].Letter != "B" || c.Options[1].Text != "Copy every object to a second Region." {
		t.Errorf("candidate view of the multiple item = %+v", c)
	}
	if cf.Items[1].Select != 1 || kf.Items[1].Role != "pretest" {
		t.Errorf("second item: select %d, role %s", cf.Items[1].Select, kf.Items[1].Role)
	}
	if strings.HasSuffix(cf.Items[0].Stem, "\n") {
		t.Error("stem keeps the block scalar's trailing newline")
	}
}

func TestBuildIsReproducible(t *testing.T) {
	dir := testbank.ReleaseBank(t)
	a := build(t, dir, Options{Key: testKey()})
	// Another load, forms named in another order: the same bytes.
	b := build(t, dir, Options{Key: testKey(), Forms: []string{"TST-01-MINI-B", "TST-01-MINI-A"}})
	if strings.Join(a.Paths(), ",") != strings.Join(b.Paths(), ",") {
		t.Fatalf("paths differ: %v vs %v", a.Paths(), b.Paths())
	}
	for _, p := range a.Paths() {
		if !bytes.Equal(a.Files[p], b.Files[p]) {
			t.Errorf("%s differs between two builds", p)
		}
	}
	var archives [2][]byte
	for i, bun := range []*Bundle{a, b} {
		var buf bytes.Buffer
		if err := WriteArchive(&buf, bun, DefaultEpoch); err != nil {
			t.Fatal(err)
		}
		archives[i] = buf.Bytes()
	}
	if !bytes.Equal(archives[0], archives[1]) {
		t.Error("archives differ")
	}
	var other bytes.Buffer
	WriteArchive(&other, a, DefaultEpoch.Add(time.Hour))
	if bytes.Equal(archives[0], other.Bytes()) {
		t.Error("the archive ignores the modification time it was given")
	}
}

func TestBuildRefusesPinsTheBankNoLongerHas(t *testing.T) {
	files := testbank.ReleaseFiles()
	files["items/beta/BE-0001.yaml"] = testbank.Edit(t, files["items/beta/BE-0001.yaml"], "revision: 1", "revision: 2")
	files["forms/TST-01-MINI-B.yaml"] = testbank.Edit(t, files["forms/TST-01-MINI-B.yaml"], "AL-0002", "AL-0999")
	dir := testbank.WriteFiles(t, t.TempDir(), files)
	_, err := Build(loadBank(t, dir), Options{Version: "1.0.0"})
	var be *BuildError
	if !errors.As(err, &be) || len(be.Findings) != 2 {
		t.Fatalf("err = %v; want a BuildError with 2 findings", err)
	}
	got := []string{be.Findings[0].String(), be.Findings[1].String()}
	wants := []string{
		"TST-01-MINI-A.yaml:9:29: error: BE-0001 is pinned at revision 1 but " + filepath.Join(dir, "items/beta/BE-0001.yaml") + " is at revision 2",
		"TST-01-MINI-B.yaml:9:10: error: item AL-0999 is not in the bank",
	}
	for i, want := range wants {
		if !strings.Contains(got[i], want) {
			t.Errorf("finding %d = %s\nwant it to contain %s", i, got[i], want)
		}
	}
}

func TestSelectForms(t *testing.T) {
	b := loadBank(t, testbank.ReleaseBank(t))
	tests := []struct {
		ids  []string
		want string
	}{
		{nil, "TST-01-MINI-A TST-01-MINI-B"},
		{[]string{"TST-01-MINI-B"}, "TST-01-MINI-B"},
		{[]string{"TST-01-MINI-B", "TST-01-MINI-B"}, "error: form TST-01-MINI-B is named twice"},
		{[]string{"NOPE"}, "error: form NOPE is not in the bank (have: TST-01-MINI-A, TST-01-MINI-B)"},
	}
	for _, tt := range tests {
		forms, err := SelectForms(b, tt.ids)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			for _, f := range forms {
				got += " " + f.Form
			}
			got = strings.TrimSpace(got)
		}
		if got != tt.want {
			t.Errorf("SelectForms(%v) = %q; want %q", tt.ids, got, tt.want)
		}
	}
}

func TestValidVersion(t *testing.T) {
	for _, v := range []string{"1.0.0", "0.1.0", "1.1.0-rc.1", "2.0.0+build.5", "1.0.0-alpha-1.0"} {
		if err := ValidVersion(v); err != nil {
			t.Errorf("ValidVersion(%q) = %v", v, err)
		}
	}
	for _, v := range []string{"", "1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0/x", "1.0.0-rc..1", "../1.0.0", "1.0.0 "} {
		if ValidVersion(v) == nil {
			t.Errorf("ValidVersion(%q) accepted", v)
		}
	}
}

func TestWriteAndRefuseExisting(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{Key: testKey()})
	out := filepath.Join(t.TempDir(), "dist")
	ctx := context.Background()
	dir, archive, err := Write(ctx, out, b, WriteOptions{Archive: true})
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(out, "TST-01-1.0.0") || archive != dir+".tar.gz" {
		t.Errorf("wrote %s and %s", dir, archive)
	}
	for _, p := range []string{dir, filepath.Join(dir, "forms"), filepath.Join(dir, "manifest.json"), archive} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(FileMode)
		if st.IsDir() {
			want = DirMode
		}
		if st.Mode().Perm() != want || !st.ModTime().Equal(DefaultEpoch) {
			t.Errorf("%s: mode %v, time %v; want %v, %v", p, st.Mode().Perm(), st.ModTime(), want, DefaultEpoch)
		}
	}
	// What was written is what was built, from the directory and from the
	// archive.
	for _, p := range []string{dir, archive} {
		got, err := Open(ctx, p, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != b.Name || len(got.Files) != len(b.Files) {
			t.Fatalf("%s: read %s with %d files", p, got.Name, len(got.Files))
		}
		for name, data := range b.Files {
			if !bytes.Equal(got.Files[name], data) {
				t.Errorf("%s: %s differs", p, name)
			}
		}
	}
	// A second write refuses and leaves everything as it was.
	before, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	b2 := build(t, testbank.ReleaseBank(t), Options{})
	if _, _, err := Write(ctx, out, b2, WriteOptions{Archive: true}); !errors.Is(err, ErrExists) {
		t.Fatalf("second Write = %v; want ErrExists", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if !bytes.Equal(before, after) {
		t.Error("a refused Write changed the released bundle")
	}
	// Only the archive existing is enough to refuse.
	os.RemoveAll(dir)
	if _, _, err := Write(ctx, out, b2, WriteOptions{Archive: true}); !errors.Is(err, ErrExists) {
		t.Fatalf("Write with an existing archive = %v; want ErrExists", err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	// Also without --archive: version 1.0.0 was released (as an archive),
	// so no directory of another 1.0.0 may appear beside it.
	if _, _, err := Write(ctx, out, b2, WriteOptions{}); !errors.Is(err, ErrExists) {
		t.Fatalf("Write without archive, the archive existing = %v; want ErrExists", err)
	}
	if _, err := os.Lstat(dir); err == nil {
		t.Error("a directory was written beside the released archive")
	}
}

// TestWriteFailureLeavesNothing: when writing fails, neither temporary
// files nor an output directory that Write created are left behind.
func TestWriteFailureLeavesNothing(t *testing.T) {
	b := build(t, testbank.ReleaseBank(t), Options{})
	b.Files["../escape.json"] = []byte("{}") // makes writeTree fail
	parent := t.TempDir()
	out := filepath.Join(parent, "dist")
	if _, _, err := Write(context.Background(), out, b, WriteOptions{Archive: true}); err == nil {
		t.Fatal("Write of a bundle with an unclean path succeeded")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left behind in %s: %v", parent, entries)
	}
	// An output directory that existed stays, empty.
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Write(context.Background(), out, b, WriteOptions{Archive: true}); err == nil {
		t.Fatal("Write of a bundle with an unclean path succeeded")
	}
	if entries, err := os.ReadDir(out); err != nil || len(entries) != 0 {
		t.Errorf("left behind in %s: %v, %v", out, entries, err)
	}
}

// TestSHA256SUMSWorksWithCoreutils runs `sha256sum -c` on a written bundle.
func TestSHA256SUMSWorksWithCoreutils(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("sha256sum not installed")
	}
	b := build(t, testbank.ReleaseBank(t), Options{Key: testKey()})
	dir, _, err := Write(context.Background(), t.TempDir(), b, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sha256sum", "-c", "--strict", SumsFile)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	if got := strings.Count(string(out), ": OK"); got != len(b.Files)-1 {
		t.Errorf("sha256sum checked %d files; want %d:\n%s", got, len(b.Files)-1, out)
	}
}

// With stats.yaml measuring some scored items on their current revision,
// those items carry their measured b, the rest stay provisional, the
// manifest names the calibration and the provisional items, and every
// table still verifies.
func TestScaleFromCalibration(t *testing.T) {
	dir := testbank.ReleaseBank(t)
	stats := `calibration: {model: rasch, method: cml, anchored: 0, attempts: 900, computed: "2026-11-30T00:00:00Z"}
items:
  AL-0003: {revision: 1, responses: 900, p_value: 0.6, omitted: 0, rasch: {b: -0.4, se: 0.08}}
  BE-0001: {revision: 2, responses: 900, p_value: 0.5, omitted: 0, rasch: {b: 0.9, se: 0.08}}
`
	if err := os.WriteFile(filepath.Join(dir, "stats.yaml"), []byte(stats), 0o644); err != nil {
		t.Fatal(err)
	}
	b := build(t, dir, Options{})
	var m Manifest
	if err := json.Unmarshal(b.Files[ManifestFile], &m); err != nil {
		t.Fatal(err)
	}
	if m.Scale == nil || m.Scale.Calibration == nil || m.Scale.Calibration.Attempts != 900 || !m.Scale.Provisional {
		t.Fatalf("manifest scale %+v", m.Scale)
	}
	// BE-0001's statistics are for revision 2, but the item is at 1.
	if got := strings.Join(m.Scale.ProvisionalItems, ","); got != "AL-0002,BE-0001,BE-0002" {
		t.Errorf("provisional items %s", got)
	}
	var kf KeyForm
	if err := json.Unmarshal(b.Files["keys/TST-01-MINI-A.json"], &kf); err != nil {
		t.Fatal(err)
	}
	var bs []string
	for _, it := range kf.Items {
		if it.B != nil {
			bs = append(bs, fmt.Sprintf("%s=%v/%t", it.ID, *it.B, it.BProvisional))
		}
	}
	// The cut is raw 1 on MINI-A, so theta_cut = theta(1) on its b.
	if got := strings.Join(bs, " "); got != "AL-0003=-0.4/false BE-0001=0/true" || kf.Scale.CutRaw != 1 || kf.Scale.Table[1].Scaled != 700 || m.Scale.ThetaCut != -0.2 {
		t.Errorf("items %s, scale %+v, theta_cut %v", got, kf.Scale, m.Scale.ThetaCut)
	}
	if r := Verify(b, nil); !r.OK() {
		t.Errorf("problems: %s", problemsText(r))
	}
}
