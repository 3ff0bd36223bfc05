package bundle

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/signing"
	"github.com/qbank/qbank/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Schema names of the bundle files (qbank schema NAME prints them).
const (
	ManifestSchema  = "bundle-manifest"
	CandidateSchema = "bundle-form"
	KeySchema       = "bundle-key"
)

// compiled compiles each bundle schema once per process; compiled schemas
// are immutable and safe for concurrent use.
var compiled = map[string]func() *jsonschema.Schema{
	ManifestSchema:  sync.OnceValue(func() *jsonschema.Schema { return schema.MustCompile(ManifestSchema) }),
	CandidateSchema: sync.OnceValue(func() *jsonschema.Schema { return schema.MustCompile(CandidateSchema) }),
	KeySchema:       sync.OnceValue(func() *jsonschema.Schema { return schema.MustCompile(KeySchema) }),
}

// ValidateJSON checks a bundle JSON file against the named schema and
// returns one message per problem, each starting with the JSON pointer of
// the value at fault.
func ValidateJSON(schemaName string, data []byte) []string {
	v, err := decodeJSON(data)
	if err != nil {
		return []string{"not valid JSON: " + err.Error()}
	}
	err = compiled[schemaName]().Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	var msgs []string
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == "" || strings.HasPrefix(u.Error, "doesn't validate with") {
			continue
		}
		at := u.InstanceLocation
		if at == "" {
			at = "/"
		}
		msgs = append(msgs, fmt.Sprintf("schema %s: at %s: %s", schemaName, at, u.Error))
	}
	if len(msgs) == 0 {
		msgs = append(msgs, fmt.Sprintf("schema %s: %v", schemaName, err))
	}
	sort.Strings(msgs)
	return msgs
}

// decodeJSON decodes one JSON document with numbers kept as json.Number
// (as the schema validator expects) and rejects trailing data.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON document")
	}
	return v, nil
}

// Problem is one verification failure, naming the file at fault.
type Problem struct {
	File    string `json:"file"`
	Message string `json:"message"`
}

// String renders "file: message".
func (p Problem) String() string {
	if p.File == "" {
		return p.Message
	}
	return p.File + ": " + p.Message
}

// SignatureState says what verification learnt about the signature.
type SignatureState string

// Signature states.
const (
	// Unsigned: the bundle carries no signature.
	Unsigned SignatureState = "unsigned"
	// NotChecked: the bundle is signed but no public key was given.
	NotChecked SignatureState = "not-checked"
	// Valid: the signature verifies with the given public key.
	Valid SignatureState = "valid"
	// Invalid: the signature is missing, malformed or does not verify.
	Invalid SignatureState = "invalid"
	// Unreached: verification stopped before it got to the signature (the
	// bundle could not be read, or its manifest is missing or invalid),
	// so nothing is known about it.
	Unreached SignatureState = "unreached"
)

// Report is the outcome of Verify.
type Report struct {
	// Bundle is the bundle's directory name.
	Bundle  string `json:"bundle"`
	Exam    string `json:"exam,omitempty"`
	Version string `json:"version,omitempty"`
	Forms   int    `json:"forms"`
	Files   int    `json:"files"`
	// Signature is the signature state; KeyID the signer's key id when the
	// bundle is signed, PublicKeyID the id of the key verified with.
	Signature   SignatureState `json:"signature"`
	KeyID       string         `json:"key_id,omitempty"`
	PublicKeyID string         `json:"public_key_id,omitempty"`
	// Problems make verification fail; Notes do not.
	Problems []Problem `json:"problems"`
	Notes    []string  `json:"notes,omitempty"`
}

// HasBundleFiles reports whether b holds manifest.json or SHA256SUMS. A
// directory or archive with neither is not a damaged bundle but something
// else (a bank, say): verification has nothing to check it against.
func (b *Bundle) HasBundleFiles() bool {
	_, m := b.Files[ManifestFile]
	_, s := b.Files[SumsFile]
	return m || s
}

// OK reports whether the bundle passed.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Verify checks a bundle: SHA256SUMS and the manifest's checksums against
// every file, no file missing or extra, every JSON file valid against its
// schema and in canonical form, the candidate and key files consistent with
// the manifest, and, when pub is set, the signature of manifest.json. With
// pub nil the signature is not checked (Report.Signature says so).
func Verify(b *Bundle, pub ed25519.PublicKey) *Report {
	r := &Report{Bundle: b.Name, Files: len(b.Files), Problems: []Problem{}}
	add := func(file, format string, args ...any) {
		r.Problems = append(r.Problems, Problem{File: file, Message: fmt.Sprintf(format, args...)})
	}
	sumsListed := readSums(b, add)
	// The manifest's own problems are reported after the checksums, so a
	// changed manifest says "changed" first.
	m, manifestProblems := readManifest(b, add)
	var ml manifestListing
	if m != nil {
		ml = listManifest(b, m, r, add)
	}
	bad := checkFiles(b, m, sumsListed, ml, add)
	for _, msg := range manifestProblems {
		add(ManifestFile, "%s", msg)
	}
	if m != nil {
		verifyForms(b, m, bad, add)
		verifySignature(b, m, pub, r, add)
	} else {
		r.Signature = Unreached
	}
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].File < r.Problems[j].File })
	return r
}

// readSums parses SHA256SUMS, which lists every file but itself, and
// returns the checksum it gives each path.
func readSums(b *Bundle, add func(file, format string, args ...any)) map[string]string {
	sumsListed := map[string]string{}
	data, ok := b.Files[SumsFile]
	if !ok {
		add(SumsFile, "missing")
		return sumsListed
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		sum, name, ok := parseSumLine(line)
		switch {
		case !ok:
			add(SumsFile, "line %d is not \"<sha256>  <path>\": %q", i+1, line)
		case name == SumsFile:
			add(SumsFile, "line %d lists SHA256SUMS itself", i+1)
		case sumsListed[name] != "":
			add(SumsFile, "line %d lists %s a second time", i+1, name)
		default:
			sumsListed[name] = sum
		}
	}
	return sumsListed
}

// readManifest parses and validates manifest.json. It returns nil and
// the problems found when the manifest cannot be used; the problems of a
// usable but non-canonical manifest come back with it.
func readManifest(b *Bundle, add func(file, format string, args ...any)) (*Manifest, []string) {
	data, ok := b.Files[ManifestFile]
	if !ok {
		add(ManifestFile, "missing")
		return nil, nil
	}
	if msgs := ValidateJSON(ManifestSchema, data); len(msgs) > 0 {
		return nil, msgs
	}
	m := &Manifest{}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, []string{fmt.Sprintf("cannot decode: %v", err)}
	}
	if !isCanonical(data) {
		return m, []string{"not in canonical form (sorted keys, two-space indentation, final newline); it was not written by qbank bundle or was edited"}
	}
	return m, nil
}

// manifestListing is the manifest's files list: checksum and size by path.
type manifestListing struct {
	sums map[string]string
	size map[string]int64
}

// listManifest fills the report's header from m, notes a misnamed
// directory and missing or provisional scale, and returns m's files list.
func listManifest(b *Bundle, m *Manifest, r *Report, add func(file, format string, args ...any)) manifestListing {
	ml := manifestListing{sums: map[string]string{}, size: map[string]int64{}}
	r.Exam, r.Version, r.Forms = m.Exam, m.Version, len(m.Forms)
	for _, f := range m.Files {
		if ml.sums[f.Path] != "" {
			add(ManifestFile, "lists %s twice", f.Path)
		}
		ml.sums[f.Path] = f.SHA256
		ml.size[f.Path] = f.Size
	}
	if want := Name(m.Exam, m.Version); b.Name != want {
		r.Notes = append(r.Notes, fmt.Sprintf("the bundle directory is named %s, but the manifest says %s", b.Name, want))
	}
	switch {
	case m.Scale == nil:
		r.Notes = append(r.Notes, "the bundle has no conversion tables (exam.yaml had no scale.cut); its results cannot be scaled")
	case m.Scale.Provisional:
		r.Notes = append(r.Notes, provisionalNote(m.Scale))
	}
	return ml
}

// checkFiles checks that every file is present where listed, listed
// where present, and unchanged. It returns the files whose content cannot
// be trusted.
func checkFiles(b *Bundle, m *Manifest, sumsListed map[string]string, ml manifestListing, add func(file, format string, args ...any)) map[string]bool {
	actual := map[string]string{}
	for p, data := range b.Files {
		actual[p] = sha256Hex(data)
	}
	_, haveSums := b.Files[SumsFile]
	names := map[string]bool{}
	for p := range actual {
		names[p] = true
	}
	for p := range sumsListed {
		names[p] = true
	}
	for p := range ml.sums {
		names[p] = true
	}
	bad := map[string]bool{}
	for _, p := range sortedSet(names) {
		got, present := actual[p]
		inSums, inMan := sumsListed[p], ml.sums[p]
		content := p != ManifestFile && p != SignatureFile
		switch {
		case p == SumsFile:
			continue
		case !present:
			add(p, "missing: %s", listedIn(inSums != "", inMan != ""))
			continue
		case inSums == "" && inMan == "" && (content || !haveSums):
			if content {
				add(p, "extra file: listed neither in the manifest nor in SHA256SUMS")
				bad[p] = true
			}
			continue // manifest.json and manifest.sig need no listing without SHA256SUMS
		}
		var changed []string
		if inMan != "" && inMan != got {
			changed = append(changed, "the manifest")
		}
		if inSums != "" && inSums != got {
			changed = append(changed, "SHA256SUMS")
		}
		if len(changed) > 0 {
			add(p, "changed: its SHA-256 is %s, which does not match %s", got, strings.Join(changed, " or "))
			bad[p] = true
			continue
		}
		if inMan != "" && ml.size[p] != int64(len(b.Files[p])) {
			add(p, "changed: %d bytes, the manifest says %d", len(b.Files[p]), ml.size[p])
			bad[p] = true
		}
		if haveSums && inSums == "" {
			add(p, "not listed in SHA256SUMS")
		}
		if m != nil && content && inMan == "" {
			add(p, "not listed in the manifest's files")
		}
		if m != nil && !content && inMan != "" {
			add(ManifestFile, "files lists %s, which the manifest cannot cover", p)
		}
	}
	return bad
}

func listedIn(sums, man bool) string {
	switch {
	case sums && man:
		return "listed in the manifest and SHA256SUMS but not in the bundle"
	case man:
		return "listed in the manifest but not in the bundle"
	}
	return "listed in SHA256SUMS but not in the bundle"
}

// parseSumLine parses "<64 hex>  <path>" (text mode) or "<64 hex> *<path>"
// (binary mode), as sha256sum writes them.
func parseSumLine(line string) (sum, name string, ok bool) {
	if len(line) < 67 || (line[64:66] != "  " && line[64:66] != " *") {
		return "", "", false
	}
	sum, name = line[:64], line[66:]
	if _, err := hex.DecodeString(sum); err != nil || strings.ToLower(sum) != sum || !validPath(name) {
		return "", "", false
	}
	return sum, name, true
}

func isCanonical(data []byte) bool {
	c, err := canonicalize(data)
	return err == nil && bytes.Equal(c, data)
}

func sortedSet(s map[string]bool) []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// verifyForms checks every form's candidate and key file against its
// schema and against the manifest.
// Files in bad (changed or extra) are not checked again: one clear
// problem per file is enough.
func verifyForms(b *Bundle, m *Manifest, bad map[string]bool, add func(file, format string, args ...any)) {
	problems := 0
	inner := add
	add = func(file, format string, args ...any) { problems++; inner(file, format, args...) }
	countProblems := func() int { return problems }
	covered := map[string]bool{}
	for _, f := range m.Forms {
		if f.CandidateFile != CandidatePath(f.Form) {
			add(ManifestFile, "form %s: candidate_file is %s; want %s", f.Form, f.CandidateFile, CandidatePath(f.Form))
		}
		if f.KeyFile != KeyPath(f.Form) {
			add(ManifestFile, "form %s: key_file is %s; want %s", f.Form, f.KeyFile, KeyPath(f.Form))
		}
		covered[f.CandidateFile], covered[f.KeyFile] = true, true
		scored, pretest := 0, 0
		for i, it := range f.Items {
			if it.Position != i+1 {
				add(ManifestFile, "form %s: item %d has position %d", f.Form, i+1, it.Position)
			}
			if it.Role == "scored" {
				scored++
			} else {
				pretest++
			}
		}
		if scored != f.Scored || pretest != f.Pretest {
			add(ManifestFile, "form %s: says %d scored and %d pretest items but lists %d and %d", f.Form, f.Scored, f.Pretest, scored, pretest)
		}
		if data, ok := b.Files[f.CandidateFile]; ok && !bad[f.CandidateFile] {
			var cf CandidateForm
			if decodeChecked(CandidateSchema, f.CandidateFile, data, &cf, add) {
				checkCandidate(f, &cf, m, add)
			}
		}
		if data, ok := b.Files[f.KeyFile]; ok && !bad[f.KeyFile] {
			var kf KeyForm
			if decodeChecked(KeySchema, f.KeyFile, data, &kf, add) {
				before := countProblems()
				checkKey(f, &kf, m, add)
				if countProblems() == before {
					// A key file at odds with the manifest has one clear
					// problem; its table is checked once the items agree.
					checkKeyScale(f, &kf, m, add)
				}
				if cdata, ok := b.Files[f.CandidateFile]; ok && !bad[f.CandidateFile] {
					var cf CandidateForm
					if json.Unmarshal(cdata, &cf) == nil {
						checkKeyMatchesCandidate(f.KeyFile, &cf, &kf, add)
					}
				}
			}
		}
	}
	for _, fe := range m.Files {
		if !covered[fe.Path] {
			add(fe.Path, "belongs to no form of the manifest")
		}
	}
}

func decodeChecked(schemaName, file string, data []byte, v any, add func(file, format string, args ...any)) bool {
	if msgs := ValidateJSON(schemaName, data); len(msgs) > 0 {
		for _, msg := range msgs {
			add(file, "%s", msg)
		}
		return false
	}
	if err := json.Unmarshal(data, v); err != nil {
		add(file, "cannot decode: %v", err)
		return false
	}
	if !isCanonical(data) {
		add(file, "not in canonical form (sorted keys, two-space indentation, final newline)")
	}
	return true
}

func checkHeader(file, form string, version int, bundle string, f ManifestForm, m *Manifest, add func(file, format string, args ...any)) {
	if form != f.Form || version != f.Version || bundle != m.Version {
		add(file, "is form %s version %d of bundle %s; the manifest says form %s version %d of bundle %s", form, version, bundle, f.Form, f.Version, m.Version)
	}
}

func checkCandidate(f ManifestForm, cf *CandidateForm, m *Manifest, add func(file, format string, args ...any)) {
	checkHeader(f.CandidateFile, cf.Form, cf.Version, cf.Bundle, f, m, add)
	if len(cf.Items) != len(f.Items) {
		add(f.CandidateFile, "has %d items; the manifest lists %d", len(cf.Items), len(f.Items))
		return
	}
	for i, it := range cf.Items {
		if it.Position != i+1 {
			add(f.CandidateFile, "item %d has position %d", i+1, it.Position)
		}
		for j, o := range it.Options {
			if o.Letter != bank.Letter(j) {
				add(f.CandidateFile, "item %d: option %d is lettered %s; want %s", i+1, j+1, o.Letter, bank.Letter(j))
			}
		}
	}
}

func checkKey(f ManifestForm, kf *KeyForm, m *Manifest, add func(file, format string, args ...any)) {
	checkHeader(f.KeyFile, kf.Form, kf.Version, kf.Bundle, f, m, add)
	if len(kf.Items) != len(f.Items) {
		add(f.KeyFile, "has %d items; the manifest lists %d", len(kf.Items), len(f.Items))
		return
	}
	for i, it := range kf.Items {
		mi := f.Items[i]
		if it.ID != mi.ID || it.Position != i+1 || it.Revision != mi.Revision || it.Role != mi.Role {
			add(f.KeyFile, "item %d is %s revision %d (%s) at position %d; the manifest has %s revision %d (%s)", i+1, it.ID, it.Revision, it.Role, it.Position, mi.ID, mi.Revision, mi.Role)
		}
		var key []string
		for j, o := range it.Options {
			if o.Letter != bank.Letter(j) {
				add(f.KeyFile, "item %s: option %d is lettered %s; want %s", it.ID, j+1, o.Letter, bank.Letter(j))
			}
			if o.Correct {
				key = append(key, o.Letter)
			}
		}
		if strings.Join(key, "") != strings.Join(it.Key, "") {
			add(f.KeyFile, "item %s: key is %s but the correct options are %s", it.ID, strings.Join(it.Key, ""), strings.Join(key, ""))
		}
	}
}

func checkKeyMatchesCandidate(file string, cf *CandidateForm, kf *KeyForm, add func(file, format string, args ...any)) {
	if len(cf.Items) != len(kf.Items) {
		return // reported against the manifest
	}
	for i := range cf.Items {
		c, k := cf.Items[i], kf.Items[i]
		if len(c.Options) != len(k.Options) {
			add(file, "item %s: %d options, but the candidate file has %d", k.ID, len(k.Options), len(c.Options))
		}
		if c.Domain != k.Domain {
			add(file, "item %s: domain %s, but the candidate file says %s", k.ID, k.Domain, c.Domain)
		}
		if c.Select != len(k.Key) {
			add(file, "item %s: %d keys, but the candidate file asks to select %d", k.ID, len(k.Key), c.Select)
		}
	}
}

func verifySignature(b *Bundle, m *Manifest, pub ed25519.PublicKey, r *Report, add func(file, format string, args ...any)) {
	if pub != nil {
		r.PublicKeyID = signing.KeyID(pub)
	}
	sigData, hasSig := b.Files[SignatureFile]
	if m.Signature == nil {
		r.Signature = Unsigned
		if hasSig {
			add(SignatureFile, "extra file: the manifest does not declare a signature")
		}
		if pub != nil {
			r.Signature = Invalid
			add(SignatureFile, "missing: the bundle is unsigned, and --pubkey asks for a signature by key %s", r.PublicKeyID)
		}
		return
	}
	r.KeyID = m.Signature.KeyID
	if !hasSig {
		r.Signature = Invalid
		add(SignatureFile, "missing: the manifest says the bundle is signed by key %s", m.Signature.KeyID)
		return
	}
	sig, err := signing.ParseSignature(SignatureFile, sigData)
	if err != nil {
		r.Signature = Invalid
		add(SignatureFile, "%s", strings.TrimPrefix(err.Error(), SignatureFile+": "))
		return
	}
	if sig.KeyID != m.Signature.KeyID || sig.SignedFile != ManifestFile {
		r.Signature = Invalid
		add(SignatureFile, "claims key %s over %s; the manifest declares key %s over %s", sig.KeyID, sig.SignedFile, m.Signature.KeyID, ManifestFile)
		return
	}
	if pub == nil {
		r.Signature = NotChecked
		return
	}
	if err := sig.Verify(pub, b.Files[ManifestFile]); err != nil {
		r.Signature = Invalid
		add(SignatureFile, "%v", err)
		return
	}
	r.Signature = Valid
}

// WriteText writes the report for people: what was checked, every
// problem naming its file, and what the signature state means.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	what := r.Bundle
	if r.Exam != "" {
		what = fmt.Sprintf("%s (exam %s, version %s, %s, %s)", r.Bundle, r.Exam, r.Version, finding.Plural(r.Forms, "form"), finding.Plural(r.Files, "file"))
	}
	fmt.Fprintf(&b, "bundle %s\n", what)
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "FAIL %s\n", p)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if r.OK() {
		b.WriteString("ok: every file is present and matches the manifest and SHA256SUMS; every file matches its schema\n")
	}
	switch r.Signature {
	case Valid:
		fmt.Fprintf(&b, "ok: signature by key %s verifies\n", r.KeyID)
	case NotChecked:
		fmt.Fprintf(&b, "signature: NOT CHECKED: the bundle is signed by key %s, but no --pubkey was given; this checked integrity only, not who made the bundle\n", r.KeyID)
	case Unsigned:
		b.WriteString("signature: none: the bundle is unsigned; this checked integrity only, not who made the bundle\n")
	case Invalid:
		b.WriteString("signature: INVALID\n")
	case Unreached:
		b.WriteString("signature: not checked: verification stopped before it got to the signature (fix the problems above first)\n")
	}
	if !r.OK() {
		fmt.Fprintf(&b, "verification failed: %s\n", finding.Plural(len(r.Problems), "problem"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
