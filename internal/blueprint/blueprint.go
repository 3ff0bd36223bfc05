// Package blueprint models the exam blueprint (exam.yaml): domains with
// their weights and task statements, option counts, the score scale and the
// form specifications. It loads and validates the file and apportions item
// counts to domains by the largest-remainder rule of FORMAT.md.
package blueprint

import (
	"fmt"
	"strings"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/internal/schemacheck"
	"github.com/qbank/qbank/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// MaxFormItems bounds the items of a form spec (scored + pretest): far
// above any real exam, and low enough that counts and apportionment stay
// small numbers.
const MaxFormItems = 10000

// Exam is a loaded exam blueprint.
type Exam struct {
	Exam    string       `yaml:"exam"`
	Title   string       `yaml:"title"`
	Options OptionCounts `yaml:"options"`
	Scale   Scale        `yaml:"scale"`
	Domains []Domain     `yaml:"domains"`
	Forms   []FormSpec   `yaml:"forms"`

	// File is the path the blueprint was read from, as given to Load or
	// Parse; findings about the blueprint (supply, task coverage) name it.
	File string `yaml:"-"`
}

// OptionCounts says how many options items of each type have.
type OptionCounts struct {
	Single      int `yaml:"single"`
	MultipleMin int `yaml:"multiple_min"`
}

// Scale is the reported score scale and the passing standard (FORMAT.md,
// "Raw score to scaled score"). Parse fills in the documented defaults of
// the optional fields.
type Scale struct {
	Min  int `yaml:"min"`
	Max  int `yaml:"max"`
	Pass int `yaml:"pass"`
	// Cut is the passing standard; nil when exam.yaml sets none.
	Cut *Cut `yaml:"cut"`
	// Slope is the scaled points per logit (default 100).
	Slope float64 `yaml:"slope"`
	// Provisional holds the Rasch b given to items not yet calibrated.
	Provisional ProvisionalB `yaml:"provisional"`
	// DomainSD is tau, the SD of domain abilities around the overall
	// ability in the score report's domain model (default 0.5).
	DomainSD float64 `yaml:"domain_sd"`

	// CutPos is the position of scale.cut in exam.yaml (of the document
	// when there is no cut); CutFormPos and CutRawPos of its form and raw
	// values. Findings about the standard point there.
	CutPos     finding.Pos `yaml:"-"`
	CutFormPos finding.Pos `yaml:"-"`
	CutRawPos  finding.Pos `yaml:"-"`
}

// Cut is the passing standard: a raw cut on a reference form (Form and
// Raw set) or theta_cut on the bank's Rasch scale (Theta set).
type Cut struct {
	Form  string   `yaml:"form"`
	Raw   *int     `yaml:"raw"`
	Theta *float64 `yaml:"theta"`
}

// ProvisionalB are the provisional Rasch difficulties, in logits, of items
// with no measured b for their current revision, by authored difficulty.
// Nil fields take the defaults easy -1, medium 0, hard 1.
type ProvisionalB struct {
	Easy   *float64 `yaml:"easy"`
	Medium *float64 `yaml:"medium"`
	Hard   *float64 `yaml:"hard"`
}

// Default values of the optional scale fields.
const (
	DefaultSlope    = 100.0
	DefaultDomainSD = 0.5
	DefaultEasyB    = -1.0
	DefaultMediumB  = 0.0
	DefaultHardB    = 1.0
)

// B returns the provisional b for an authored difficulty ("easy",
// "medium", "hard"; anything else, including "", counts as medium).
func (p ProvisionalB) B(difficulty string) float64 {
	pick := func(v *float64, def float64) float64 {
		if v != nil {
			return *v
		}
		return def
	}
	switch difficulty {
	case "easy":
		return pick(p.Easy, DefaultEasyB)
	case "hard":
		return pick(p.Hard, DefaultHardB)
	}
	return pick(p.Medium, DefaultMediumB)
}

// withDefaults returns the scale with the documented defaults filled in.
func (s Scale) withDefaults() Scale {
	if s.Slope == 0 {
		s.Slope = DefaultSlope
	}
	if s.DomainSD == 0 {
		s.DomainSD = DefaultDomainSD
	}
	return s
}

// Domain is a content domain.
type Domain struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Weight int    `yaml:"weight"`
	Prefix string `yaml:"prefix"`
	Tasks  []Task `yaml:"tasks"`

	// Pos is the position of the domain's id in exam.yaml.
	Pos finding.Pos `yaml:"-"`
}

// Task is a task statement of a domain.
type Task struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`

	// Pos is the position of the task's id in exam.yaml.
	Pos finding.Pos `yaml:"-"`
}

// FormSpec is a kind of form: how many scored and pretest items it has.
type FormSpec struct {
	ID      string `yaml:"id"`
	Title   string `yaml:"title"`
	Scored  int    `yaml:"scored"`
	Pretest int    `yaml:"pretest"`
	Minutes int    `yaml:"minutes"`

	// Pos is the position of the spec's id in exam.yaml.
	Pos finding.Pos `yaml:"-"`
}

// DomainIndex returns the index of the domain with the given id, or -1.
func (e *Exam) DomainIndex(id string) int {
	for i := range e.Domains {
		if e.Domains[i].ID == id {
			return i
		}
	}
	return -1
}

// Domain returns the domain with the given id, or nil.
func (e *Exam) Domain(id string) *Domain {
	if i := e.DomainIndex(id); i >= 0 {
		return &e.Domains[i]
	}
	return nil
}

// HasTask reports whether the domain has a task with the given id.
func (d *Domain) HasTask(id string) bool {
	for _, t := range d.Tasks {
		if t.ID == id {
			return true
		}
	}
	return false
}

// IDPrefix returns the prefix for new item ids of the domain: Prefix, or
// the upper-cased initials of the domain id when Prefix is empty.
func (d *Domain) IDPrefix() string {
	if d.Prefix != "" {
		return d.Prefix
	}
	var b strings.Builder
	for _, part := range strings.Split(d.ID, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]))
		}
	}
	return b.String()
}

// Spec returns the form specification with the given id, or nil.
func (e *Exam) Spec(id string) *FormSpec {
	for i := range e.Forms {
		if e.Forms[i].ID == id {
			return &e.Forms[i]
		}
	}
	return nil
}

// SpecIDs lists the form specification ids in file order.
func (e *Exam) SpecIDs() []string {
	ids := make([]string, len(e.Forms))
	for i, f := range e.Forms {
		ids[i] = f.ID
	}
	return ids
}

// Weights returns the domain weights in domain order.
func (e *Exam) Weights() []int {
	w := make([]int, len(e.Domains))
	for i, d := range e.Domains {
		w[i] = d.Weight
	}
	return w
}

// Apportion splits n items over the domains by their weights; see the
// package-level Apportion.
func (e *Exam) Apportion(n int) []int { return Apportion(n, e.Weights()) }

// Apportion splits n items over weights (percent; any positive total) by the
// largest-remainder method: each share gets floor(n*w/total), and the items
// left over go one each to the largest remainders; ties go to the larger
// weight, then to the earlier index.
func Apportion(n int, weights []int) []int {
	out := make([]int, len(weights))
	total := 0
	for _, w := range weights {
		total += w
	}
	if n <= 0 || total <= 0 {
		return out
	}
	rem := make([]int, len(weights))
	given := 0
	for i, w := range weights {
		// n*w/total without forming n*w, which could overflow.
		q, r := n/total, n%total
		out[i] = q*w + r*w/total
		rem[i] = r * w % total
		given += out[i]
	}
	for ; given < n; given++ {
		best := -1
		for i := range weights {
			if rem[i] < 0 {
				continue
			}
			if best < 0 || rem[i] > rem[best] || (rem[i] == rem[best] && weights[i] > weights[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// Parse validates the blueprint in data; display is the path to put in
// findings. It returns findings (schema and blueprint rules) for every
// problem; the exam is nil when it cannot be used.
func Parse(data []byte, display string) (*Exam, []finding.Finding, error) {
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, yamlFindings(display, err), nil
	}
	if fs := schemacheck.Validate(schemacheck.Exam, doc, display, ""); len(fs) > 0 {
		return nil, fs, nil
	}
	var e Exam
	if err := doc.Decode(&e); err != nil {
		return nil, []finding.Finding{{File: display, Line: 1, Column: 1, Rule: rules.Schema.ID, Severity: rules.Schema.Severity, Message: err.Error()}}, nil
	}
	if fs := e.validate(doc, display); len(fs) > 0 {
		return nil, fs, nil
	}
	e.File = display
	e.Scale = e.Scale.withDefaults()
	for i := range e.Domains {
		e.Domains[i].Pos = nodePos(yamlx.Lookup(doc, fmt.Sprintf("/domains/%d/id", i)))
		for j := range e.Domains[i].Tasks {
			e.Domains[i].Tasks[j].Pos = nodePos(yamlx.Lookup(doc, fmt.Sprintf("/domains/%d/tasks/%d/id", i, j)))
		}
	}
	for i := range e.Forms {
		e.Forms[i].Pos = nodePos(yamlx.Lookup(doc, fmt.Sprintf("/forms/%d/id", i)))
	}
	e.Scale.CutPos = nodePos(yamlx.Lookup(doc, "/scale/cut"))
	e.Scale.CutFormPos = nodePos(yamlx.Lookup(doc, "/scale/cut/form"))
	e.Scale.CutRawPos = nodePos(yamlx.Lookup(doc, "/scale/cut/raw"))
	return &e, nil, nil
}

func nodePos(n *yaml.Node) finding.Pos {
	if n == nil {
		return finding.Pos{Line: 1, Column: 1}
	}
	return finding.Pos{Line: n.Line, Column: n.Column}
}

func yamlFindings(display string, err error) []finding.Finding {
	var fs []finding.Finding
	for _, e := range yamlx.Errors(err) {
		fs = append(fs, finding.Finding{File: display, Line: e.Pos.Line, Column: e.Pos.Column, Rule: rules.YAML.ID, Severity: rules.YAML.Severity, Message: e.Msg})
	}
	return fs
}

// validate checks what the schema cannot: sums, uniqueness and ranges.
func (e *Exam) validate(doc *yaml.Node, display string) []finding.Finding {
	var fs []finding.Finding
	add := func(ptr, format string, args ...any) {
		n := yamlx.Lookup(doc, ptr)
		fs = append(fs, finding.Finding{File: display, Line: n.Line, Column: n.Column, Rule: rules.Blueprint.ID, Severity: rules.Blueprint.Severity, Message: fmt.Sprintf(format, args...)})
	}
	sum := 0
	for _, d := range e.Domains {
		sum += d.Weight
	}
	if sum != 100 {
		add("/domains", "domain weights sum to %d; they must sum to exactly 100", sum)
	}
	domainIDs := map[string]bool{}
	prefixes := map[string]string{}
	for i, d := range e.Domains {
		if domainIDs[d.ID] {
			add(fmt.Sprintf("/domains/%d/id", i), "domain id %q is used twice; domain ids must be unique", d.ID)
		}
		domainIDs[d.ID] = true
		if other, dup := prefixes[d.IDPrefix()]; dup {
			add(fmt.Sprintf("/domains/%d/prefix", i), "id prefix %q is also the prefix of domain %q; give each domain its own prefix", d.IDPrefix(), other)
		} else {
			prefixes[d.IDPrefix()] = d.ID
		}
		taskIDs := map[string]bool{}
		for j, t := range d.Tasks {
			if taskIDs[t.ID] {
				add(fmt.Sprintf("/domains/%d/tasks/%d/id", i, j), "task id %q is used twice in domain %q", t.ID, d.ID)
			}
			taskIDs[t.ID] = true
		}
	}
	if e.Scale.Min >= e.Scale.Max {
		add("/scale", "scale min (%d) must be below max (%d)", e.Scale.Min, e.Scale.Max)
	} else if e.Scale.Pass < e.Scale.Min || e.Scale.Pass > e.Scale.Max {
		add("/scale/pass", "pass score %d is outside the scale %d..%d", e.Scale.Pass, e.Scale.Min, e.Scale.Max)
	}
	if e.Options.MultipleMin < 3 {
		add("/options/multiple_min", "multiple_min must be at least 3 (two keys and a distractor)")
	}
	specIDs := map[string]bool{}
	for i, f := range e.Forms {
		if specIDs[f.ID] {
			add(fmt.Sprintf("/forms/%d/id", i), "form spec id %q is used twice", f.ID)
		}
		specIDs[f.ID] = true
		if f.Scored+f.Pretest == 0 {
			add(fmt.Sprintf("/forms/%d", i), "form spec %q has no items: scored + pretest must be at least 1", f.ID)
		}
		if f.Scored > MaxFormItems || f.Pretest > MaxFormItems || f.Scored+f.Pretest > MaxFormItems {
			add(fmt.Sprintf("/forms/%d", i), "form spec %q has %d scored + %d pretest items; a form has at most %d", f.ID, f.Scored, f.Pretest, MaxFormItems)
		}
	}
	return fs
}
