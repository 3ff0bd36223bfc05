package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/testbank/pool"
)

// testExam has two equal domains, so a mini form (4 scored, 1 pretest)
// needs 2+2 scored and 1+0 pretest items (the tie goes to alpha, the first).
// Line numbers matter: alpha's id is on line 7, task 1.2 on line 11, beta's
// id on line 12.
const testExam = `exam: TST-02
title: Check test
options: {single: 4, multiple_min: 5}
scale: {min: 0, max: 100, pass: 50}
domains:
  - name: Alpha
    id: alpha
    weight: 50
    prefix: AL
    tasks:
      - {id: "1.1", title: One}
      - {id: "1.2", title: Two}
  - id: beta
    name: Beta
    weight: 50
    prefix: BE
    tasks:
      - {id: "2.1", title: Three}
forms:
  - {id: mini, title: Mini, scored: 4, pretest: 1, minutes: 5}
  - {id: other, title: Other, scored: 2, pretest: 0, minutes: 5}
`

// goodForm is valid against testPool. Entry lines: 7-11; in an entry the
// id value is at column 10, the revision at 29 and the role at 38.
const goodForm = `form: TST-02-MINI-A
version: 1
exam: TST-02
spec: mini
seed: 1
items:
  - {id: AL-0001, revision: 1, role: scored}
  - {id: BE-0001, revision: 1, role: scored}
  - {id: AL-0004, revision: 1, role: pretest}
  - {id: AL-0002, revision: 1, role: scored}
  - {id: BE-0002, revision: 1, role: scored}
`

func testPool(e *blueprint.Exam) []*bank.Item {
	items := []*bank.Item{
		pool.Item(e, "AL-0001", "alpha", "1.1", bank.StatusOperational, 0, "easy"),
		pool.Item(e, "AL-0002", "alpha", "1.1", bank.StatusOperational, 1, "hard"),
		pool.Item(e, "AL-0003", "alpha", "1.1", bank.StatusOperational, 2, ""),
		pool.Item(e, "AL-0004", "alpha", "1.2", bank.StatusPretest, 3, ""),
		pool.Item(e, "AL-0005", "alpha", "1.1", bank.StatusRetired, 0, ""),
		pool.Item(e, "BE-0001", "beta", "2.1", bank.StatusOperational, 0, ""),
		pool.Item(e, "BE-0002", "beta", "2.1", bank.StatusOperational, -1, ""),
		pool.Item(e, "BE-0003", "beta", "2.1", bank.StatusOperational, 1, ""),
		pool.Item(e, "BE-0004", "beta", "2.1", bank.StatusPretest, 2, ""),
	}
	items[2].Enemies = []string{"BE-0003"} // AL-0003 and BE-0003 are enemies
	items[7].Revision = 2                  // BE-0003 was revised
	return items
}

// loadBank writes the test pool and the forms (file name -> content) and
// loads them as qbank does.
func loadBank(t *testing.T, forms map[string]string) *bank.Bank {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bank")
	e := pool.Exam(t, testExam)
	pool.Write(t, dir, testExam, testPool(e))
	if len(forms) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, "forms"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, src := range forms {
		if err := os.WriteFile(filepath.Join(dir, "forms", name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, fs, err := bank.Load(context.Background(), dir, bank.Options{})
	if err != nil || len(fs) > 0 {
		t.Fatalf("load: %v %v", err, fs)
	}
	return b
}

// want is an expected finding: rule, line, column and a message fragment.
type want struct {
	rule      string
	line, col int
	message   string
}

func (w want) String() string { return fmt.Sprintf("%d:%d %s %q", w.line, w.col, w.rule, w.message) }

// match asserts that fs are exactly the wanted findings (in position order).
func match(t *testing.T, fs []finding.Finding, wants []want) {
	t.Helper()
	sort.SliceStable(wants, func(i, j int) bool {
		if wants[i].line != wants[j].line {
			return wants[i].line < wants[j].line
		}
		if wants[i].col != wants[j].col {
			return wants[i].col < wants[j].col
		}
		return wants[i].rule < wants[j].rule
	})
	ok := len(fs) == len(wants)
	for i := 0; ok && i < len(fs); i++ {
		w := wants[i]
		ok = fs[i].Rule == w.rule && fs[i].Line == w.line && fs[i].Column == w.col && strings.Contains(fs[i].Message, w.message)
	}
	if !ok {
		var got []string
		for _, f := range fs {
			got = append(got, f.String())
		}
		t.Errorf("findings:\n  %s\nwant:\n  %v", strings.Join(got, "\n  "), wants)
	}
}

func edit(t *testing.T, src string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(src, pairs[i]) {
			t.Fatalf("fixture lacks %q", pairs[i])
		}
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

func TestFormRules(t *testing.T) {
	const line7 = "  - {id: AL-0001, revision: 1, role: scored}\n"
	tests := []struct {
		name  string
		pairs []string // old, new, ... edits of goodForm
		file  string   // file name; default TST-02-MINI-A.yaml
		want  []want
	}{
		{name: "valid form"},
		{name: "form-header: other exam", pairs: []string{"exam: TST-02", "exam: TST-03"},
			want: []want{{rules.FormHeader.ID, 3, 7, "form is for exam TST-03 but the bank's exam is TST-02"}}},
		{name: "form-header: unknown spec stops the count checks", pairs: []string{"spec: mini", "spec: maxi"},
			want: []want{{rules.FormHeader.ID, 4, 7, `spec "maxi" is not a form spec of exam.yaml (mini, other)`}}},
		{name: "form-header: id and file name differ", file: "TST-02-MINI-B.yaml",
			want: []want{{rules.FormHeader.ID, 1, 7, "form id TST-02-MINI-A does not match the file name TST-02-MINI-B.yaml"}}},
		{name: "form-count: a scored item too many", pairs: []string{"role: pretest}\n", "role: pretest}\n  - {id: BE-0003, revision: 2, role: scored}\n"},
			want: []want{
				{rules.FormCount.ID, 12, 5, "form has 5 scored items; spec mini has 4, so BE-0002 and the scored items after it are too many"},
				{rules.FormDomainMix.ID, 12, 10, "scored items of domain beta: 3; spec mini needs 2, so BE-0002 is one too many"},
			}},
		{name: "form-count: a pretest item missing", pairs: []string{"  - {id: AL-0004, revision: 1, role: pretest}\n", ""},
			want: []want{
				{rules.FormCount.ID, 7, 3, "form has 0 pretest items; spec mini needs 1"},
				{rules.FormDomainMix.ID, 7, 3, "pretest items of domain alpha: 0; spec mini needs 1"},
			}},
		{name: "form-domain-mix: alpha for beta", pairs: []string{"id: BE-0002", "id: AL-0003"},
			want: []want{
				{rules.FormDomainMix.ID, 11, 10, "scored items of domain alpha: 3; spec mini needs 2, so AL-0003 is one too many"},
				{rules.FormDomainMix.ID, 7, 3, "scored items of domain beta: 1; spec mini needs 2"},
			}},
		{name: "form-status: retired item in a scored slot", pairs: []string{"id: AL-0002", "id: AL-0005"},
			want: []want{{rules.FormStatus.ID, 10, 38, "AL-0005 is on the form as a scored item but its status is retired"}}},
		{name: "form-status: operational item in a pretest slot", pairs: []string{"id: AL-0004", "id: AL-0003"},
			want: []want{{rules.FormStatus.ID, 9, 38, "AL-0003 is on the form as a pretest item but its status is operational; pretest slots take pretest items only"}}},
		{name: "form-revision: stale pin", pairs: []string{"id: BE-0002, revision: 1", "id: BE-0003, revision: 1"},
			want: []want{{rules.FormRevision.ID, 11, 29, "BE-0003 is pinned at revision 1 but the item is at revision 2; review the change"}}},
		{name: "form-revision: pin newer than the item", pairs: []string{"id: BE-0001, revision: 1", "id: BE-0001, revision: 3"},
			want: []want{{rules.FormRevision.ID, 8, 29, "pinned at revision 3 but the item file is at revision 1"}}},
		{name: "form-item: unknown item", pairs: []string{"id: AL-0001", "id: AL-0099"},
			want: []want{
				{rules.FormItem.ID, 7, 10, "no item AL-0099 in the bank"},
				{rules.FormDomainMix.ID, 7, 3, "scored items of domain alpha: 1; spec mini needs 2"},
			}},
		{name: "form-item: item twice", pairs: []string{"id: AL-0002", "id: AL-0001"},
			want: []want{
				{rules.FormItem.ID, 10, 10, "AL-0001 is already on this form as item 1 (line 7)"},
				{rules.FormDomainMix.ID, 7, 3, "scored items of domain alpha: 1; spec mini needs 2"},
			}},
		{name: "form-enemy: enemies on one form", pairs: []string{"id: AL-0002", "id: AL-0003", "id: BE-0002, revision: 1", "id: BE-0003, revision: 2"},
			want: []want{{rules.FormEnemy.ID, 11, 10, "BE-0003 and AL-0003 are enemies and may not share a form (AL-0003 is item 4, line 10)"}}},
		{name: "block-style entries report at the line of the key at fault", pairs: []string{line7, "  - id: AL-0001\n    revision: 2\n    role: pretest\n"},
			want: []want{
				{rules.FormRevision.ID, 8, 15, "pinned at revision 2 but the item file is at revision 1"},
				{rules.FormStatus.ID, 9, 11, "AL-0001 is on the form as a pretest item but its status is operational"},
				{rules.FormCount.ID, 11, 5, "form has 2 pretest items; spec mini has 1, so AL-0004 and the pretest items after it are too many"},
				{rules.FormCount.ID, 7, 3, "form has 3 scored items; spec mini needs 4"},
				{rules.FormDomainMix.ID, 11, 10, "pretest items of domain alpha: 2; spec mini needs 1, so AL-0004 is one too many"},
				{rules.FormDomainMix.ID, 7, 3, "scored items of domain alpha: 1; spec mini needs 2"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := tt.file
			if name == "" {
				name = "TST-02-MINI-A.yaml"
			}
			b := loadBank(t, map[string]string{name: edit(t, goodForm, tt.pairs...)})
			fs := Forms(b)
			match(t, fs, tt.want)
			for _, f := range fs {
				if f.File != b.Forms[0].File || f.Severity != finding.Error {
					t.Errorf("finding %v: want an error in %s", f, b.Forms[0].File)
				}
			}
		})
	}
}

func TestDuplicateFormIDs(t *testing.T) {
	b := loadBank(t, map[string]string{"TST-02-MINI-A.yaml": goodForm, "X.yaml": goodForm})
	fs := Forms(b)
	match(t, fs, []want{
		{rules.FormHeader.ID, 1, 7, "form id TST-02-MINI-A does not match the file name X.yaml"},
		{rules.FormHeader.ID, 1, 7, "form id TST-02-MINI-A is also the id of "},
	})
	for _, f := range fs {
		if !strings.HasSuffix(f.File, "X.yaml") {
			t.Errorf("finding %v: want it in X.yaml, the second file", f)
		}
	}
}

func TestSupplyAndTaskCoverage(t *testing.T) {
	e := pool.Exam(t, testExam)
	mk := func(alphaOp, alphaPre, betaOp int) []*bank.Item {
		var items []*bank.Item
		for i := 0; i < alphaOp; i++ {
			items = append(items, pool.Item(e, fmt.Sprintf("AL-%04d", i+1), "alpha", "1.1", bank.StatusOperational, 0, ""))
		}
		for i := 0; i < alphaPre; i++ {
			items = append(items, pool.Item(e, fmt.Sprintf("AL-%04d", i+100), "alpha", "1.2", bank.StatusPretest, 0, ""))
		}
		for i := 0; i < betaOp; i++ {
			items = append(items, pool.Item(e, fmt.Sprintf("BE-%04d", i+1), "beta", "2.1", bank.StatusOperational, 0, ""))
		}
		return items
	}
	taskWarning := want{rules.TaskCoverage.ID, 12, 14, "task 1.2 of domain alpha has no operational item"}
	tests := []struct {
		name                string
		alphaOp, alphaPre   int
		betaOp              int
		opts                Options
		want                []want
		disjoint            int
		warnings, errorsWnt int
	}{
		{"enough for two forms", 4, 1, 4, Options{MinForms: 2}, []want{taskWarning}, 2, 1, 0},
		{"enough for one form only: warning", 3, 1, 5, Options{MinForms: 2},
			[]want{taskWarning, {rules.Supply.ID, 7, 9, "domain alpha has 3 operational items: enough for 1 mini form with no shared scored item (2 each); 2 forms need 4"}}, 1, 2, 0},
		{"min forms 1 does not warn", 3, 1, 5, Options{MinForms: 1}, []want{taskWarning}, 1, 1, 0},
		{"not one form: error", 1, 1, 0, Options{MinForms: 2},
			[]want{taskWarning,
				{rules.Supply.ID, 7, 9, "domain alpha has 1 operational item; one mini form needs 2 (short 1)"},
				{rules.Supply.ID, 13, 9, "domain beta has 0 operational items; one mini form needs 2 (short 2)"},
				{rules.TaskCoverage.ID, 18, 14, "task 2.1 of domain beta has no operational item"},
			}, 0, 2, 2},
		{"no pretest items: error", 4, 0, 4, Options{MinForms: 2},
			[]want{taskWarning, {rules.Supply.ID, 7, 9, "domain alpha has 0 pretest items; one mini form needs 1 (short 1)"}}, 2, 1, 1},
		{"another spec", 1, 0, 1, Options{Spec: "other", MinForms: 1}, []want{taskWarning}, 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := pool.New(e, mk(tt.alphaOp, tt.alphaPre, tt.betaOp))
			res := Bank(b, tt.opts)
			match(t, res.Findings, tt.want)
			if res.Supply.DisjointForms != tt.disjoint {
				t.Errorf("DisjointForms = %d; want %d", res.Supply.DisjointForms, tt.disjoint)
			}
			errs, warns := finding.Count(res.Findings)
			if errs != tt.errorsWnt || warns != tt.warnings {
				t.Errorf("%d errors, %d warnings; want %d, %d", errs, warns, tt.errorsWnt, tt.warnings)
			}
			for _, f := range res.Findings {
				if f.File != "exam.yaml" {
					t.Errorf("finding %v not in exam.yaml", f)
				}
			}
		})
	}
}

func TestSupplyFigures(t *testing.T) {
	e := pool.Exam(t, pool.CLF)
	b := pool.New(e, pool.Pool(e, pool.PoolSpec{Operational: []int{30, 45, 40, 20}, Pretest: []int{8, 8, 10, 1}, Retired: []int{5, 5, 5, 5}, Seed: 1}))
	s := Bank(b, Options{MinForms: 2}).Supply
	if s.Spec != "full" || s.Scored != 50 || s.Pretest != 15 || s.Operational != 135 || s.PretestItems != 27 {
		t.Errorf("supply %+v", s)
	}
	var need, forms []int
	for _, d := range s.Domains {
		need = append(need, d.NeedScored, d.NeedPretest)
		forms = append(forms, d.Forms)
	}
	if !reflect.DeepEqual(need, []int{12, 4, 15, 4, 17, 5, 6, 2}) || !reflect.DeepEqual(forms, []int{2, 3, 2, 3}) || s.DisjointForms != 2 {
		t.Errorf("need %v forms %v disjoint %d", need, forms, s.DisjointForms)
	}
	if s.Domains[2].Tasks != 8 || s.Domains[2].Covered != 8 {
		t.Errorf("tasks %+v", s.Domains[2])
	}
}

func TestMix(t *testing.T) {
	b := loadBank(t, map[string]string{"TST-02-MINI-A.yaml": edit(t, goodForm, "id: BE-0002", "id: AL-0003")})
	m := Mix(b, b.Forms[0])
	wantScored := []DomainCount{{"alpha", 3, 2}, {"beta", 1, 2}}
	wantPretest := []DomainCount{{"alpha", 1, 1}, {"beta", 0, 0}}
	if !reflect.DeepEqual(m.Scored, wantScored) || !reflect.DeepEqual(m.Pretest, wantPretest) || m.ScoredTotal != 4 || m.PretestTotal != 1 || !m.KnownSpec {
		t.Errorf("mix %+v", m)
	}
	// AL-0001 easy 850, BE-0001 none 650, AL-0002 hard 450, AL-0003 none 650.
	if m.MeanPValue != 650 {
		t.Errorf("mean p = %d; want 650", m.MeanPValue)
	}
	res := Bank(b, Options{})
	if len(res.Forms) != 1 || res.Forms[0].Form != "TST-02-MINI-A" {
		t.Errorf("forms %+v", res.Forms)
	}
}

func TestRulesAreDocumented(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range rules.In(rules.Check) {
		if r.Summary == "" || r.Doc == "" || (r.Severity != finding.Error && r.Severity != finding.Warning) {
			t.Errorf("rule %+v is not documented", r)
		}
		ids[r.ID] = true
	}
	for _, id := range []string{rules.Supply.ID, rules.TaskCoverage.ID, rules.FormHeader.ID, rules.FormCount.ID, rules.FormDomainMix.ID, rules.FormStatus.ID, rules.FormRevision.ID, rules.FormItem.ID, rules.FormEnemy.ID} {
		if !ids[id] {
			t.Errorf("rule %s is missing from the check group", id)
		}
	}
}

func TestPretestOrder(t *testing.T) {
	// form builds a form from a role string: s scored, p pretest.
	form := func(roles string) *bank.Form {
		f := &bank.Form{Pos: bank.FormPos{Items: finding.Pos{Line: 6, Column: 1}}}
		for i, r := range roles {
			role := bank.RoleScored
			if r == 'p' {
				role = bank.RolePretest
			}
			f.Items = append(f.Items, bank.FormEntry{Role: role, Pos: finding.Pos{Line: 7 + i, Column: 3}})
		}
		return f
	}
	tests := []struct {
		name, roles string
		wantPos     finding.Pos
		message     string
	}{
		{"interleaved", "sspsssspssssp", finding.Pos{}, ""},
		{"no pretest", "ssssss", finding.Pos{}, ""},
		{"two in a row are allowed", "sssppsssssps", finding.Pos{}, ""},
		{"three in a row", "ssspppssssss", finding.Pos{Line: 10, Column: 3}, "items 4 to 6 are all pretest items"},
		{"all in the last third", "sssssssssssssssspsppspsp", finding.Pos{Line: 6, Column: 1}, "all 5 pretest items sit in the last third of the form (items 17 to 24)"},
		{"all in the first third", "psppspsssssssssssssssss", finding.Pos{Line: 6, Column: 1}, "all 4 pretest items sit in the first third of the form (items 1 to 6)"},
		{"towards the end", "sssssssssssssssssssssssssssssssssssssssspssssppsppsppsppsppsppspp", finding.Pos{Line: 6, Column: 1}, "the 15 pretest items sit towards the end of the form (mean position 55 of 65)"},
		{"spread like an assembled form", "ssssspsssspsssspssspsssspssspssssspsssspsssspsssspssspssssspsssps", finding.Pos{}, ""},
		{"one or two pretest items anywhere", "sssssssssp", finding.Pos{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, msg, ok := pretestOrder(form(tt.roles))
			if ok != (tt.message != "") || p != tt.wantPos || !strings.Contains(msg, tt.message) {
				t.Errorf("pretestOrder(%s) = %v %q %v; want %v %q", tt.roles, p, msg, ok, tt.wantPos, tt.message)
			}
		})
	}
}

// TestReleaseBlockers pins the release policy: lint errors anywhere and
// check errors of the released forms block, under the configuration;
// warnings never do.
func TestReleaseBlockers(t *testing.T) {
	bad := edit(t, goodForm, "  - {id: AL-0004, revision: 1, role: pretest}\n", "")
	b := loadBank(t, map[string]string{"TST-02-MINI-A.yaml": bad})
	lintErr := finding.Finding{File: "x.yaml", Line: 1, Column: 1, Rule: rules.MissingWhy.ID, Severity: finding.Error}
	lintWarn := finding.Finding{File: "x.yaml", Line: 2, Column: 1, Rule: rules.KeyLength.ID, Severity: finding.Warning}
	rulesOf := func(fs []finding.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Rule)
		}
		return out
	}
	off := config.Default()
	off.Severity = map[string]finding.Severity{rules.FormCount.ID: finding.Warning, rules.FormDomainMix.ID: finding.Off}
	for _, tt := range []struct {
		name  string
		lint  []finding.Finding
		forms []*bank.Form
		cfg   *config.Config
		want  []string
	}{
		{"clean", nil, nil, nil, nil},
		{"lint warning", []finding.Finding{lintWarn}, nil, nil, nil},
		{"lint error", []finding.Finding{lintWarn, lintErr}, nil, nil, []string{rules.MissingWhy.ID}},
		{"form errors", nil, b.Forms, nil, []string{rules.FormCount.ID, rules.FormDomainMix.ID}},
		{"form errors configured away", []finding.Finding{lintErr}, b.Forms, off, []string{rules.MissingWhy.ID}},
	} {
		got := rulesOf(ReleaseBlockers(b, tt.lint, tt.forms, tt.cfg, nil))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: blockers %v; want %v", tt.name, got, tt.want)
		}
	}
	// check.Bank reports lint's errors (not its warnings) and applies the
	// configuration to its own rules the same way.
	res := Bank(b, Options{Config: off, Lint: []finding.Finding{lintWarn, lintErr}})
	got := map[string]finding.Severity{}
	for _, f := range res.Findings {
		got[f.Rule] = f.Severity
	}
	if got[rules.MissingWhy.ID] != finding.Error || got[rules.KeyLength.ID] != "" || got[rules.FormCount.ID] != finding.Warning || got[rules.FormDomainMix.ID] != "" {
		t.Errorf("Bank findings %v", res.Findings)
	}
}
