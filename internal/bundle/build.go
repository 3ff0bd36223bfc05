package bundle

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/scale"
	"github.com/qbank/qbank/internal/signing"
)

// Options say what to build.
type Options struct {
	// Version is the bundle's semantic version.
	Version string
	// Forms are the ids of the forms to include; empty means every form of
	// the bank. The bundle lists them sorted, whatever the order given.
	Forms []string
	// Tool names the building program.
	Tool Tool
	// Source records the git commit the bank came from (nil: unknown).
	Source *Source
	// SourceDate is SOURCE_DATE_EPOCH when set (zero otherwise); it is
	// recorded in the manifest.
	SourceDate time.Time
	// Key signs the manifest when set.
	Key ed25519.PrivateKey
}

// BuildError means the bank's forms cannot be bundled; its findings say
// where and why.
type BuildError struct {
	Findings []finding.Finding
}

// Error names the first problem (all of them when there is one).
func (e *BuildError) Error() string {
	if len(e.Findings) == 1 {
		return e.Findings[0].String()
	}
	return fmt.Sprintf("%d problems stop the bundle; the first: %s", len(e.Findings), e.Findings[0])
}

// safeName matches exam codes and form ids, which become file names.
var safeName = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]*$`)

// SelectForms returns the bank's forms with the given ids (every form when
// ids is empty), sorted by id. Unknown and repeated ids are errors.
func SelectForms(b *bank.Bank, ids []string) ([]*bank.Form, error) {
	if len(ids) == 0 {
		if len(b.Forms) == 0 {
			return nil, fmt.Errorf("the bank has no forms in %s/forms; assemble some first (qbank assemble)", b.Dir)
		}
		return append([]*bank.Form(nil), b.Forms...), nil
	}
	seen := map[string]bool{}
	var forms []*bank.Form
	for _, id := range ids {
		if seen[id] {
			return nil, fmt.Errorf("form %s is named twice", id)
		}
		seen[id] = true
		f := b.Form(id)
		if f == nil {
			var have []string
			for _, f := range b.Forms {
				have = append(have, f.Form)
			}
			if len(have) == 0 {
				return nil, fmt.Errorf("form %s is not in the bank, which has no forms", id)
			}
			return nil, fmt.Errorf("form %s is not in the bank (have: %s)", id, strings.Join(have, ", "))
		}
		forms = append(forms, f)
	}
	sort.Slice(forms, func(i, j int) bool { return forms[i].Form < forms[j].Form })
	return forms, nil
}

// Build builds the bundle of the selected forms of b in memory. It fails
// with a *BuildError when a form cannot be bundled: an item it names is
// not in the bank, or the bank's item is at another revision than the one
// pinned (the bank holds only the current revision of an item, so the
// pinned content is gone). Form validity beyond that (counts, domain mix,
// statuses, enemies) is the business of the check package, which callers
// run first.
func Build(b *bank.Bank, opts Options) (*Bundle, error) {
	if err := ValidVersion(opts.Version); err != nil {
		return nil, err
	}
	exam := b.Exam
	if !safeName.MatchString(exam.Exam) {
		return nil, fmt.Errorf("exam code %q cannot name a bundle directory", exam.Exam)
	}
	forms, err := SelectForms(b, opts.Forms)
	if err != nil {
		return nil, err
	}
	bl := &builder{b: b, opts: opts}
	m := newManifest(b, opts)
	sc, sp := bankScale(b)
	if sp != nil {
		bl.problems = append(bl.problems, *sp)
	}
	bl.sc = sc
	bl.tracker = &scaleTracker{sc: sc, provisional: map[string]bool{}}
	for _, d := range exam.Domains {
		bl.domains = append(bl.domains, DomainName{ID: d.ID, Name: d.Name})
	}
	files := map[string][]byte{}
	for _, f := range forms {
		mf, cdata, kdata, ok, err := bl.form(f)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		files[mf.CandidateFile] = cdata
		files[mf.KeyFile] = kdata
		m.Forms = append(m.Forms, mf)
	}
	if len(bl.problems) > 0 {
		finding.Sort(bl.problems)
		return nil, &BuildError{Findings: bl.problems}
	}
	if sc != nil {
		m.Scale = bl.tracker.manifestScale(b)
	}
	if err := seal(m, files, opts); err != nil {
		return nil, err
	}
	return &Bundle{Name: Name(exam.Exam, opts.Version), Files: files}, nil
}

// builder carries the state Build shares across forms: the findings so
// far, the bank's scale and the tracker of provisional difficulties.
type builder struct {
	b        *bank.Bank
	opts     Options
	problems []finding.Finding
	sc       *scale.Scale
	tracker  *scaleTracker
	domains  []DomainName
}

// problem records a bundle-content finding.
func (bl *builder) problem(file string, p finding.Pos, item, format string, args ...any) {
	bl.problems = append(bl.problems, finding.Finding{File: file, Line: p.Line, Column: p.Column, Rule: rules.BundleContent.ID, Severity: finding.Error, Item: item, Message: fmt.Sprintf(format, args...)})
}

// newManifest returns the manifest header: format, exam, version, tool,
// blueprint and source.
func newManifest(b *bank.Bank, opts Options) *Manifest {
	m := &Manifest{
		Format:    Format,
		Exam:      b.Exam.Exam,
		Title:     b.Exam.Title,
		Version:   opts.Version,
		Tool:      opts.Tool,
		Blueprint: blueprintOf(b),
	}
	if opts.Source != nil || !opts.SourceDate.IsZero() {
		src := Source{}
		if opts.Source != nil {
			src = *opts.Source
		}
		if !opts.SourceDate.IsZero() {
			src.Date = opts.SourceDate.UTC().Format(time.RFC3339)
		}
		m.Source = &src
	}
	return m
}

// form builds the manifest entry, candidate file and key file of one
// form. ok is false when the form was skipped with a finding; err is an
// encoding failure.
func (bl *builder) form(f *bank.Form) (mf ManifestForm, cdata, kdata []byte, ok bool, err error) {
	exam := bl.b.Exam
	if !safeName.MatchString(f.Form) {
		bl.problem(f.File, f.Pos.Form, "", "form id %q cannot name a bundle file", f.Form)
		return mf, nil, nil, false, nil
	}
	spec := exam.Spec(f.Spec)
	if spec == nil {
		bl.problem(f.File, f.Pos.Spec, "", "spec %q is not a form specification of exam.yaml", f.Spec)
		return mf, nil, nil, false, nil
	}
	mf = ManifestForm{
		Form: f.Form, Version: f.Version, Spec: f.Spec, Title: spec.Title, Minutes: spec.Minutes,
		CandidateFile: CandidatePath(f.Form), KeyFile: KeyPath(f.Form),
		Items: []ManifestItem{},
	}
	if f.HasSeed {
		seed := f.Seed
		mf.Seed = &seed
	}
	cf := CandidateForm{Exam: exam.Exam, Form: f.Form, Version: f.Version, Bundle: bl.opts.Version, Title: spec.Title, Minutes: spec.Minutes, Domains: bl.domains, Items: []CandidateItem{}}
	kf := KeyForm{Exam: exam.Exam, Form: f.Form, Version: f.Version, Bundle: bl.opts.Version, Items: []KeyItem{}}
	bl.items(f, &mf, &cf, &kf)
	if bl.sc != nil && mf.Scored > 0 {
		var serr error
		if kf.Scale, serr = bl.tracker.keyScale(&kf); serr != nil {
			bl.problem(f.File, f.Pos.Form, "", "the conversion table of %s cannot be computed: %v", f.Form, serr)
		}
	}
	if cdata, err = canonicalJSON(cf); err != nil {
		return mf, nil, nil, false, err
	}
	if kdata, err = canonicalJSON(kf); err != nil {
		return mf, nil, nil, false, err
	}
	return mf, cdata, kdata, true, nil
}

// items adds the pinned items of form f to its manifest entry, candidate
// form and key form, with a finding for each item that is missing or has
// moved on from its pinned revision.
func (bl *builder) items(f *bank.Form, mf *ManifestForm, cf *CandidateForm, kf *KeyForm) {
	for i, e := range f.Items {
		it := bl.b.Item(e.ID)
		switch {
		case it == nil:
			bl.problem(f.File, e.IDPos, e.ID, "item %s is not in the bank (or its file is broken); the form cannot be bundled", e.ID)
			continue
		case it.Revision != e.Revision:
			bl.problem(f.File, e.RevisionPos, e.ID, "%s is pinned at revision %d but %s is at revision %d; the pinned content no longer exists: re-review the item and pin revision %d in a new form version (qbank assemble --replace %s)",
				e.ID, e.Revision, it.File, it.Revision, it.Revision, f.Form)
			continue
		}
		switch e.Role {
		case bank.RoleScored:
			mf.Scored++
		case bank.RolePretest:
			mf.Pretest++
		}
		pos := i + 1
		mf.Items = append(mf.Items, ManifestItem{Position: pos, ID: it.ID, Revision: it.Revision, Role: e.Role})
		ci, ki := itemViews(it, pos, e.Role)
		if bl.sc != nil && e.Role == bank.RoleScored {
			bl.tracker.addB(bl.b, it, &ki)
		}
		cf.Items = append(cf.Items, ci)
		kf.Items = append(kf.Items, ki)
	}
}

// seal lists the form files in the manifest, signs it when a key is
// given, and adds the manifest, signature and checksum files.
func seal(m *Manifest, files map[string][]byte, opts Options) error {
	for _, p := range sortedKeys(files) {
		m.Files = append(m.Files, FileEntry{Path: p, Size: int64(len(files[p])), SHA256: sha256Hex(files[p])})
	}
	if opts.Key != nil {
		m.Signature = &SignatureInfo{Algorithm: "ed25519", KeyID: signing.KeyID(opts.Key.Public().(ed25519.PublicKey)), File: SignatureFile}
	}
	mdata, err := canonicalJSON(m)
	if err != nil {
		return err
	}
	files[ManifestFile] = mdata
	if opts.Key != nil {
		files[SignatureFile] = signing.Sign(opts.Key, ManifestFile, mdata).Encode()
	}
	files[SumsFile] = sums(files)
	return nil
}

// itemViews returns the candidate view and the key of an item at a
// position. Trailing line breaks of YAML block scalars are dropped.
func itemViews(it *bank.Item, pos int, role string) (CandidateItem, KeyItem) {
	ci := CandidateItem{Position: pos, Domain: it.Domain, Type: it.Type, Stem: trim(it.Stem), Options: []CandidateOption{}}
	ki := KeyItem{Position: pos, ID: it.ID, Revision: it.Revision, Role: role, Domain: it.Domain, Task: it.Task, Key: []string{}, Options: []KeyOption{},
		Explanation: trim(it.Explanation), References: append([]string{}, it.References...)}
	for j, o := range it.Options {
		letter := bank.Letter(j)
		ci.Options = append(ci.Options, CandidateOption{Letter: letter, Text: trim(o.Text)})
		ki.Options = append(ki.Options, KeyOption{Letter: letter, Correct: o.Correct, Why: trim(o.Why)})
		if o.Correct {
			ki.Key = append(ki.Key, letter)
		}
	}
	ci.Select = max(len(ki.Key), 1)
	return ci, ki
}

func trim(s string) string { return strings.TrimRight(s, " \t\r\n") }

func blueprintOf(b *bank.Bank) Blueprint {
	e := b.Exam
	bp := Blueprint{
		Exam: e.Exam, Title: e.Title,
		Options: BlueprintOpts{Single: e.Options.Single, MultipleMin: e.Options.MultipleMin},
		Scale:   BlueprintScale{Min: e.Scale.Min, Max: e.Scale.Max, Pass: e.Scale.Pass, Slope: e.Scale.Slope, DomainSD: e.Scale.DomainSD},
		Domains: []BlueprintDom{}, Forms: []BlueprintSpec{},
	}
	for _, d := range e.Domains {
		bd := BlueprintDom{ID: d.ID, Name: d.Name, Weight: d.Weight, Tasks: []BlueprintTask{}}
		for _, t := range d.Tasks {
			bd.Tasks = append(bd.Tasks, BlueprintTask{ID: t.ID, Title: t.Title})
		}
		bp.Domains = append(bp.Domains, bd)
	}
	for _, s := range e.Forms {
		bp.Forms = append(bp.Forms, BlueprintSpec{ID: s.ID, Title: s.Title, Scored: s.Scored, Pretest: s.Pretest, Minutes: s.Minutes})
	}
	return bp
}

// sums renders SHA256SUMS for every file but itself, sorted by path, in the
// format `sha256sum -c` reads: hash, two spaces, path.
func sums(files map[string][]byte) []byte {
	var b strings.Builder
	for _, p := range sortedKeys(files) {
		if p == SumsFile {
			continue
		}
		fmt.Fprintf(&b, "%s  %s\n", sha256Hex(files[p]), p)
	}
	return []byte(b.String())
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ErrExists means a bundle directory or archive already exists. Released
// bundles are immutable: qbank never replaces one.
var ErrExists = errors.New("already exists")
