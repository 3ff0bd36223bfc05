// Package check proves that a bank and its committed forms match the exam
// blueprint: the operational and pretest supply of every domain against
// what a form needs (rule supply), task statements nothing covers
// (task-coverage), and every form in forms/ against its specification
// (form-header, form-count, form-domain-mix, form-status, form-revision,
// form-item, form-enemy). Rule form-version, which compares forms with an
// earlier version from git or a bundle, is declared here and implemented
// by package formversion. Findings about forms point at the line of the
// form file at fault; findings about supply and tasks at the domain or task
// in exam.yaml.
//
// Forms is the entry point for code that must refuse a bank whose forms
// are invalid (release bundles); Bank runs every check and also returns the
// figures behind the composition tables of `qbank check`.
package check

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/blueprint"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
)

// DefaultMinForms is how many forms with no shared scored item the supply
// should allow before the supply rule stops warning.
const DefaultMinForms = 2

// Options tune Bank.
type Options struct {
	// Spec is the form spec the supply is measured against; "" (or an id
	// exam.yaml lacks: callers validate user input) means DefaultSpec.
	Spec string
	// MinForms: the supply rule warns when the operational supply allows
	// fewer forms with no shared scored item. Values below 1 mean 1 (only
	// the error, when not even one form can be built).
	MinForms int
	// Config sets the severity of the check rules (nil: the defaults);
	// findings of rules turned off are dropped.
	Config *config.Config
	// Lint are lint's findings on the bank (already under the
	// configuration). Their errors are reported with the check findings:
	// an item that fails lint is not fit for a form.
	Lint []finding.Finding
	// FormVersion are rule form-version's findings, computed by the caller
	// against the forms' earlier versions (at a git revision or in a
	// bundle: package formversion); they go under Config like the rest.
	FormVersion []finding.Finding
}

// Result is the outcome of Bank.
type Result struct {
	// Findings are sorted by file and position.
	Findings []finding.Finding
	// Supply is the bank's composition against the spec.
	Supply Supply
	// Forms is the domain mix of every form of the bank, in form id order.
	Forms []FormMix
}

// Supply is the bank's composition against one form spec.
type Supply struct {
	// Spec is the spec measured against; Scored and Pretest its counts.
	Spec    string
	Scored  int
	Pretest int
	// Domains in blueprint order.
	Domains []DomainSupply
	// Operational and PretestItems are the bank's totals.
	Operational  int
	PretestItems int
	// DisjointForms is how many forms with no shared scored item the
	// operational supply allows by counts (the smallest domain quotient),
	// or -1 when the spec has no scored items.
	DisjointForms int
}

// DomainSupply is one domain's supply.
type DomainSupply struct {
	Domain string
	Weight int
	// Operational and Pretest count the items of those statuses.
	Operational int
	Pretest     int
	// NeedScored and NeedPretest are the domain's apportioned counts on
	// one form of the spec.
	NeedScored  int
	NeedPretest int
	// Forms is Operational / NeedScored (rounded down), or -1 when the
	// domain has no scored slots.
	Forms int
	// Tasks counts the domain's task statements; Covered those with at
	// least one operational item.
	Tasks   int
	Covered int
}

// FormMix is a form's composition beside its targets.
type FormMix struct {
	Form    string
	File    string
	Spec    string
	Version int
	// KnownSpec is false when the form names a spec exam.yaml lacks (then
	// Want counts are zero).
	KnownSpec bool
	// Scored and Pretest count the form's known items per domain, in
	// blueprint order, beside the apportioned targets.
	Scored  []DomainCount
	Pretest []DomainCount
	// ScoredTotal and PretestTotal count the entries by role (unknown
	// items included).
	ScoredTotal  int
	PretestTotal int
	// MeanPValue is the mean difficulty of the known scored items, per
	// mille (see package difficulty); 0 when there are none.
	MeanPValue int
	// HasScale is set when the bank's cut resolves and every scored item
	// is known; then CutRaw is the form's cut raw score (-1 when no raw
	// score passes), InfoAtCut its test information at theta_cut and
	// Provisional the number of scored items with a provisional b.
	HasScale    bool
	CutRaw      int
	InfoAtCut   float64
	Provisional int
}

// DomainCount is one domain's count on a form and its target.
type DomainCount struct {
	Domain string
	Got    int
	Want   int
}

// DefaultSpec returns the spec supply is measured against by default: the
// spec with id "full" when there is one, else the one with the most items
// (the first in file order on a tie), or nil when the exam has no specs.
func DefaultSpec(e *blueprint.Exam) *blueprint.FormSpec {
	if s := e.Spec("full"); s != nil {
		return s
	}
	var best *blueprint.FormSpec
	for i := range e.Forms {
		s := &e.Forms[i]
		if best == nil || s.Scored+s.Pretest > best.Scored+best.Pretest {
			best = s
		}
	}
	return best
}

// Bank runs every check on the bank: supply, task coverage and all forms.
func Bank(b *bank.Bank, opts Options) Result {
	var res Result
	spec := b.Exam.Spec(opts.Spec)
	if spec == nil {
		spec = DefaultSpec(b.Exam)
	}
	if spec != nil {
		var fs []finding.Finding
		res.Supply, fs = supply(b, spec, max(opts.MinForms, 1))
		res.Findings = append(res.Findings, fs...)
	}
	res.Findings = append(res.Findings, taskCoverage(b)...)
	res.Findings = append(res.Findings, Forms(b)...)
	res.Findings = append(res.Findings, opts.FormVersion...)
	for _, f := range b.Forms {
		res.Forms = append(res.Forms, Mix(b, f))
	}
	res.Findings = append(res.Findings, scaleChecks(b, res.Forms)...)
	res.Findings = append(opts.Config.Apply(res.Findings), Errors(opts.Lint)...)
	finding.Sort(res.Findings)
	return res
}

// Errors returns the findings of fs whose severity is error.
func Errors(fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Severity == finding.Error {
			out = append(out, f)
		}
	}
	return out
}

// ReleaseBlockers is the release policy: it returns what stops forms of b
// from being released (bundled). That is every error among lintFindings
// (lint's findings on the whole bank, already under the configuration: a
// release is cut from a bank that lints clean) and every check error of
// the forms, including the form-version findings of those forms, under
// cfg's severities. Warnings never block. An empty
// result means the forms may be released. The findings are sorted.
func ReleaseBlockers(b *bank.Bank, lintFindings []finding.Finding, forms []*bank.Form, cfg *config.Config, formVersion []finding.Finding) []finding.Finding {
	blocking := Errors(lintFindings)
	for _, f := range forms {
		fs := Form(b, f)
		for _, fv := range formVersion {
			if fv.File == f.File {
				fs = append(fs, fv)
			}
		}
		blocking = append(blocking, Errors(cfg.Apply(fs))...)
	}
	finding.Sort(blocking)
	return blocking
}

// Forms checks every form of the bank and returns the findings, sorted.
// An empty result means every committed form is valid.
func Forms(b *bank.Bank) []finding.Finding {
	var fs []finding.Finding
	seen := map[string]*bank.Form{}
	for _, f := range b.Forms {
		if other, dup := seen[f.Form]; dup {
			fs = append(fs, at(f.File, f.Pos.Form, rules.FormHeader, "", fmt.Sprintf("form id %s is also the id of %s; form ids are unique in a bank", f.Form, filepath.ToSlash(other.File))))
		} else {
			seen[f.Form] = f
		}
		fs = append(fs, Form(b, f)...)
	}
	finding.Sort(fs)
	return fs
}

// Form checks one form against the bank and returns the findings, sorted.
func Form(b *bank.Bank, f *bank.Form) []finding.Finding {
	c := &formChecker{b: b, f: f, spec: b.Exam.Spec(f.Spec), items: make([]*bank.Item, len(f.Items))}
	c.header()
	c.entries()
	c.enemies()
	if c.spec != nil { // without a spec, counts, mix and order cannot be checked
		for _, role := range []string{bank.RoleScored, bank.RolePretest} {
			c.count(role)
			c.domainMix(role)
		}
		if p, msg, ok := pretestOrder(f); ok {
			c.add(p, rules.FormPretestOrder, "", "%s", msg)
		}
	}
	finding.Sort(c.out)
	return c.out
}

// formChecker runs the form rules on one form, one method per rule (as
// lint's item checker does for items).
type formChecker struct {
	b    *bank.Bank
	f    *bank.Form
	spec *blueprint.FormSpec // nil when the form names no spec of exam.yaml
	// items holds the bank's item of each entry, nil for an unknown or a
	// repeated entry (filled by entries).
	items []*bank.Item
	out   []finding.Finding
}

func (c *formChecker) add(p finding.Pos, rule finding.Rule, item, format string, args ...any) {
	c.out = append(c.out, at(c.f.File, p, rule, item, fmt.Sprintf(format, args...)))
}

// header: form-header, the form's exam, file name and spec.
func (c *formChecker) header() {
	f, b := c.f, c.b
	if f.Exam != b.Exam.Exam {
		c.add(f.Pos.Exam, rules.FormHeader, "", "form is for exam %s but the bank's exam is %s", f.Exam, b.Exam.Exam)
	}
	if f.File != "" {
		if base := filepath.Base(f.File); base != f.Form+".yaml" {
			c.add(f.Pos.Form, rules.FormHeader, "", "form id %s does not match the file name %s; the file of form %s is %s.yaml", f.Form, base, f.Form, f.Form)
		}
	}
	if c.spec == nil {
		c.add(f.Pos.Spec, rules.FormHeader, "", "spec %q is not a form spec of exam.yaml (%s); counts and domain mix cannot be checked", f.Spec, strings.Join(b.Exam.SpecIDs(), ", "))
	}
}

// entries: form-item (unknown, broken or repeated items), form-status and
// form-revision, entry by entry; it fills c.items.
func (c *formChecker) entries() {
	broken := map[string]bool{}
	for _, it := range c.b.Broken {
		broken[it.ID] = true
	}
	firstAt := map[string]int{}
	for i, e := range c.f.Items {
		if j, dup := firstAt[e.ID]; dup {
			c.add(e.IDPos, rules.FormItem, e.ID, "%s is already on this form as item %d (line %d); an item appears at most once on a form", e.ID, j+1, c.f.Items[j].IDPos.Line)
			continue
		}
		firstAt[e.ID] = i
		it := c.b.Item(e.ID)
		switch {
		case it == nil && broken[e.ID]:
			c.add(e.IDPos, rules.FormItem, e.ID, "the file of item %s fails the schema (qbank lint shows why); fix it or replace the item", e.ID)
			continue
		case it == nil:
			c.add(e.IDPos, rules.FormItem, e.ID, "no item %s in the bank; fix the id or replace the item", e.ID)
			continue
		}
		c.items[i] = it
		c.status(e, it)
		c.revision(e, it)
	}
}

// status: form-status, scored slots take operational items and pretest
// slots pretest items.
func (c *formChecker) status(e bank.FormEntry, it *bank.Item) {
	want := bank.StatusOperational
	if e.Role == bank.RolePretest {
		want = bank.StatusPretest
	}
	if it.Status != want {
		c.add(e.RolePos, rules.FormStatus, e.ID, "%s is on the form as a %s item but its status is %s; %s slots take %s items only", e.ID, e.Role, it.Status, e.Role, want)
	}
}

// revision: form-revision, the pin is the item's current revision.
func (c *formChecker) revision(e bank.FormEntry, it *bank.Item) {
	switch {
	case e.Revision < it.Revision:
		c.add(e.RevisionPos, rules.FormRevision, e.ID, "%s is pinned at revision %d but the item is at revision %d; review the change and produce the next form version (qbank assemble --replace %s)", e.ID, e.Revision, it.Revision, c.f.Form)
	case e.Revision > it.Revision:
		c.add(e.RevisionPos, rules.FormRevision, e.ID, "%s is pinned at revision %d but the item file is at revision %d; a pin cannot be newer than the item", e.ID, e.Revision, it.Revision)
	}
}

// enemies: form-enemy. Either side's declaration counts; each pair is
// reported once, at the later entry.
func (c *formChecker) enemies() {
	for i, it := range c.items {
		if it == nil {
			continue
		}
		for j := 0; j < i; j++ {
			other := c.items[j]
			if other != nil && Enemies(it, other) {
				c.add(c.f.Items[i].IDPos, rules.FormEnemy, it.ID, "%s and %s are enemies and may not share a form (%s is item %d, line %d); replace one of them", it.ID, other.ID, other.ID, j+1, c.f.Items[j].IDPos.Line)
			}
		}
	}
}

// want returns the spec's count of role.
func (c *formChecker) want(role string) int {
	if role == bank.RolePretest {
		return c.spec.Pretest
	}
	return c.spec.Scored
}

// count: form-count, exactly the spec's number of items of role; a surplus
// is reported at the first entry beyond the count.
func (c *formChecker) count(role string) {
	f, want := c.f, c.want(role)
	n := 0
	for _, e := range f.Items {
		if e.Role != role {
			continue
		}
		n++
		if n == want+1 {
			c.add(e.Pos, rules.FormCount, e.ID, "form has %d %s items; spec %s has %d, so %s and the %s items after it are too many", countRole(f, role), role, c.spec.ID, want, e.ID, role)
		}
	}
	if n < want {
		c.add(f.Pos.Items, rules.FormCount, "", "form has %d %s items; spec %s needs %d", n, role, c.spec.ID, want)
	}
}

// domainMix: form-domain-mix, the items of role per domain are the
// blueprint's weights apportioned to the spec's count.
func (c *formChecker) domainMix(role string) {
	f, exam := c.f, c.b.Exam
	targets := exam.Apportion(c.want(role))
	got := make([]int, len(exam.Domains))
	for i, e := range f.Items {
		if e.Role != role || c.items[i] == nil {
			continue
		}
		d := exam.DomainIndex(c.items[i].Domain)
		if d < 0 {
			continue
		}
		got[d]++
		if got[d] == targets[d]+1 {
			c.add(e.IDPos, rules.FormDomainMix, e.ID, "%s items of domain %s: %d; spec %s needs %d, so %s is one too many", role, c.items[i].Domain, domainCount(f, c.items, role, c.items[i].Domain), c.spec.ID, targets[d], e.ID)
		}
	}
	for d, dom := range exam.Domains {
		if got[d] < targets[d] {
			c.add(f.Pos.Items, rules.FormDomainMix, "", "%s items of domain %s: %d; spec %s needs %d", role, dom.ID, got[d], c.spec.ID, targets[d])
		}
	}
}

// pretestOrder reports pretest items that give themselves away by their
// place in the delivery order: a run of three or more, or a mean position
// more than three standard deviations of a random placement from the
// middle of the form.
func pretestOrder(f *bank.Form) (finding.Pos, string, bool) {
	n := len(f.Items)
	var positions []int
	run, runStart := 0, -1
	for i, e := range f.Items {
		if e.Role != bank.RolePretest {
			run = 0
			continue
		}
		positions = append(positions, i)
		run++
		if run == 3 {
			runStart = i - 2
		}
	}
	if runStart >= 0 {
		end := runStart
		for end+1 < n && f.Items[end+1].Role == bank.RolePretest {
			end++
		}
		return f.Items[runStart].Pos, fmt.Sprintf("items %d to %d are all pretest items; spread the pretest items through the delivery order so candidates cannot tell them apart (qbank assemble interleaves them)", runStart+1, end+1), true
	}
	p := len(positions)
	if p < 3 || n == 0 {
		return finding.Pos{}, "", false
	}
	first, last := positions[0], positions[p-1]
	switch {
	case 3*(last+1) <= n:
		return f.Pos.Items, fmt.Sprintf("all %d pretest items sit in the first third of the form (items %d to %d); spread them through the delivery order so candidates cannot tell them apart (qbank assemble interleaves them)", p, first+1, last+1), true
	case 3*first >= 2*n:
		return f.Pos.Items, fmt.Sprintf("all %d pretest items sit in the last third of the form (items %d to %d); spread them through the delivery order so candidates cannot tell them apart (qbank assemble interleaves them)", p, first+1, last+1), true
	}
	mean := 0.0
	for _, i := range positions {
		mean += (float64(i) + 0.5) / float64(n)
	}
	mean /= float64(p)
	if limit := 3 * 0.2887 / math.Sqrt(float64(p)); math.Abs(mean-0.5) > limit {
		where := "start"
		if mean > 0.5 {
			where = "end"
		}
		return f.Pos.Items, fmt.Sprintf("the %d pretest items sit towards the %s of the form (mean position %.0f of %d); spread them through the delivery order so candidates cannot tell them apart (qbank assemble interleaves them)", p, where, mean*float64(n)+0.5, n), true
	}
	return finding.Pos{}, "", false
}

// Enemies reports whether a or b lists the other among its enemies.
func Enemies(a, b *bank.Item) bool {
	for _, e := range a.Enemies {
		if e == b.ID {
			return true
		}
	}
	for _, e := range b.Enemies {
		if e == a.ID {
			return true
		}
	}
	return false
}

func countRole(f *bank.Form, role string) int {
	n := 0
	for _, e := range f.Items {
		if e.Role == role {
			n++
		}
	}
	return n
}

func domainCount(f *bank.Form, items []*bank.Item, role, domain string) int {
	n := 0
	for i, e := range f.Items {
		if e.Role == role && items[i] != nil && items[i].Domain == domain {
			n++
		}
	}
	return n
}

// Mix returns the form's domain mix beside its targets.
func Mix(b *bank.Bank, f *bank.Form) FormMix {
	m := FormMix{Form: f.Form, File: f.File, Spec: f.Spec, Version: f.Version}
	spec := b.Exam.Spec(f.Spec)
	m.KnownSpec = spec != nil
	var wantScored, wantPretest []int
	if spec != nil {
		wantScored = b.Exam.Apportion(spec.Scored)
		wantPretest = b.Exam.Apportion(spec.Pretest)
	} else {
		wantScored = make([]int, len(b.Exam.Domains))
		wantPretest = make([]int, len(b.Exam.Domains))
	}
	for i, d := range b.Exam.Domains {
		m.Scored = append(m.Scored, DomainCount{Domain: d.ID, Want: wantScored[i]})
		m.Pretest = append(m.Pretest, DomainCount{Domain: d.ID, Want: wantPretest[i]})
	}
	sum, n := 0, 0
	seen := map[string]bool{}
	for _, e := range f.Items {
		if e.Role == bank.RoleScored {
			m.ScoredTotal++
		} else {
			m.PretestTotal++
		}
		it := b.Item(e.ID)
		if it == nil || seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		d := b.Exam.DomainIndex(it.Domain)
		if d < 0 {
			continue
		}
		if e.Role == bank.RoleScored {
			m.Scored[d].Got++
			p, _ := b.Stats.PerMille(it)
			sum += p
			n++
		} else {
			m.Pretest[d].Got++
		}
	}
	if n > 0 {
		m.MeanPValue = (sum + n/2) / n
	}
	return m
}

func supply(b *bank.Bank, spec *blueprint.FormSpec, minForms int) (Supply, []finding.Finding) {
	e := b.Exam
	s := Supply{Spec: spec.ID, Scored: spec.Scored, Pretest: spec.Pretest, DisjointForms: -1}
	needS := e.Apportion(spec.Scored)
	needP := e.Apportion(spec.Pretest)
	for i, d := range e.Domains {
		ds := DomainSupply{Domain: d.ID, Weight: d.Weight, NeedScored: needS[i], NeedPretest: needP[i], Forms: -1, Tasks: len(d.Tasks)}
		covered := map[string]bool{}
		for _, it := range b.Items {
			if it.Domain != d.ID {
				continue
			}
			switch it.Status {
			case bank.StatusOperational:
				ds.Operational++
				covered[it.Task] = true
			case bank.StatusPretest:
				ds.Pretest++
			}
		}
		for _, t := range d.Tasks {
			if covered[t.ID] {
				ds.Covered++
			}
		}
		if ds.NeedScored > 0 {
			ds.Forms = ds.Operational / ds.NeedScored
			if s.DisjointForms < 0 || ds.Forms < s.DisjointForms {
				s.DisjointForms = ds.Forms
			}
		}
		s.Operational += ds.Operational
		s.PretestItems += ds.Pretest
		s.Domains = append(s.Domains, ds)
	}
	var fs []finding.Finding
	for i, ds := range s.Domains {
		p := e.Domains[i].Pos
		switch {
		case ds.Operational < ds.NeedScored:
			fs = append(fs, at(e.File, p, rules.Supply, "", fmt.Sprintf("domain %s has %s; one %s form needs %d (short %d)", ds.Domain, items(ds.Operational, "operational"), spec.ID, ds.NeedScored, ds.NeedScored-ds.Operational)))
		case ds.Forms >= 0 && ds.Forms < minForms:
			f := at(e.File, p, rules.Supply, "", fmt.Sprintf("domain %s has %s: enough for %s with no shared scored item (%d each); %d forms need %d", ds.Domain, items(ds.Operational, "operational"), forms(ds.Forms, spec.ID), ds.NeedScored, minForms, minForms*ds.NeedScored))
			f.Severity = finding.Warning
			fs = append(fs, f)
		}
		if ds.Pretest < ds.NeedPretest {
			fs = append(fs, at(e.File, p, rules.Supply, "", fmt.Sprintf("domain %s has %s; one %s form needs %d (short %d)", ds.Domain, items(ds.Pretest, "pretest"), spec.ID, ds.NeedPretest, ds.NeedPretest-ds.Pretest)))
		}
	}
	return s, fs
}

func forms(n int, spec string) string {
	if n == 1 {
		return "1 " + spec + " form"
	}
	return fmt.Sprintf("%d %s forms", n, spec)
}

func items(n int, status string) string {
	if n == 1 {
		return "1 " + status + " item"
	}
	return fmt.Sprintf("%d %s items", n, status)
}

func taskCoverage(b *bank.Bank) []finding.Finding {
	covered := map[string]bool{}
	for _, it := range b.Items {
		if it.Status == bank.StatusOperational {
			covered[it.Domain+"\x00"+it.Task] = true
		}
	}
	var fs []finding.Finding
	for _, d := range b.Exam.Domains {
		for _, t := range d.Tasks {
			if !covered[d.ID+"\x00"+t.ID] {
				fs = append(fs, at(b.Exam.File, t.Pos, rules.TaskCoverage, "", fmt.Sprintf("task %s of domain %s has no operational item, so no form can test it", t.ID, d.ID)))
			}
		}
	}
	return fs
}

func at(file string, p finding.Pos, rule finding.Rule, item, msg string) finding.Finding {
	return finding.Finding{File: file, Line: max(p.Line, 1), Column: max(p.Column, 1), Rule: rule.ID, Severity: rule.Severity, Item: item, Message: msg}
}
