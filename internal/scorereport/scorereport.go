// Package scorereport turns one attempt at a released form into the score
// report of FORMAT.md ("Score report"): the raw score on the scored items
// only, the scaled score from the form's own conversion table with its
// standard error and a one-SE band, pass or fail, per-domain results with
// a level and an EAP ability, the weakest domain with the probability that
// it really is the weakest, and a study plan.
//
// It works from what a bundle carries (the key file's items, their Rasch
// difficulties and the conversion table), never from the bank, so a
// released result does not change when the bank changes later. Pretest
// items are ignored by construction: nothing here reads their answers.
package scorereport

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/qbank/qbank/internal/domainability"
	"github.com/qbank/qbank/internal/irt"
	"github.com/qbank/qbank/internal/scale"
)

// Domain levels, as AWS's score report words them.
const (
	Meets            = "meets"
	NeedsImprovement = "needs-improvement"
)

// Form is everything scoring needs about one released form.
type Form struct {
	Exam    string
	Form    string
	Version int
	Bundle  string
	// Title is the form spec's title; Diagnostic is set for a short form
	// whose report must say how little it can tell.
	Title      string
	Diagnostic bool
	// Domains in blueprint order.
	Domains []Domain
	// Tasks are the task titles by task id.
	Tasks map[string]string
	// Slots are the form's positions in delivery order.
	Slots []Slot
	// Scale is the reported scale with theta_cut; Table is the form's
	// conversion table (one row per raw score 0..S of its scored items).
	Scale scale.Scale
	Table []scale.Row
	// Provisional is set when any scored item's b is provisional.
	Provisional bool
	// DomainSD is tau of the domain model.
	DomainSD float64
}

// Domain is a content domain of the blueprint.
type Domain struct {
	ID     string
	Name   string
	Weight int
}

// Slot is one position of the form.
type Slot struct {
	ID     string
	Scored bool
	// Domain is the index of the item's domain in Form.Domains.
	Domain int
	Task   string
	// Key is the bitmask of the correct letters (bit 0 = A).
	Key uint32
	// B is the item's Rasch difficulty (measured or provisional).
	B           float64
	References  []string
	Explanation string
}

// Attempt is one candidate's answers: Chosen[i] is the bitmask of the
// letters chosen at position i+1 (0 = omitted).
type Attempt struct {
	ID        string
	Candidate string
	Chosen    []uint32
}

// Report is one attempt's score report (FORMAT.md's shape).
type Report struct {
	Attempt        string `json:"attempt"`
	Candidate      string `json:"candidate"`
	Bundle         string `json:"bundle"`
	Form           string `json:"form"`
	Raw            int    `json:"raw"`
	Max            int    `json:"max"`
	Scaled         int    `json:"scaled"`
	SE             int    `json:"se"`
	Band           [2]int `json:"band"`
	Pass           bool   `json:"pass"`
	Provisional    bool   `json:"provisional"`
	PretestIgnored int    `json:"pretest_ignored"`
	// Scale is the reported range and the passing score, for readers of
	// the report alone.
	Scale ScaleInfo `json:"scale"`
	// Diagnostic marks a short form's report.
	Diagnostic bool `json:"diagnostic,omitempty"`
	// Title is the form spec's title.
	Title   string         `json:"title,omitempty"`
	Domains []DomainResult `json:"domains"`
	Weakest Weakest        `json:"weakest"`
	Study   []StudyTask    `json:"study"`
}

// ScaleInfo is the reported scale: scores run from Min to Max and Pass
// passes.
type ScaleInfo struct {
	Min  int `json:"min"`
	Max  int `json:"max"`
	Pass int `json:"pass"`
}

// DomainResult is one domain's part of a report.
type DomainResult struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Correct int     `json:"correct"`
	Items   int     `json:"items"`
	Level   string  `json:"level"`
	Theta   float64 `json:"theta"`
	// Expected is the raw score of a candidate at the cut on the domain's
	// scored items; Correct at or above it meets the standard.
	Expected float64 `json:"expected"`
}

// Weakest names the domain with the lowest posterior mean ability and the
// posterior probability that its ability is the lowest of all.
type Weakest struct {
	Domain      string  `json:"domain"`
	Probability float64 `json:"probability"`
}

// StudyTask is one entry of the study plan: a task with missed scored
// items, the references of those items and, with explanations on, what
// each missed item explains.
type StudyTask struct {
	Task         string        `json:"task"`
	Title        string        `json:"title"`
	Domain       string        `json:"domain"`
	Missed       int           `json:"missed"`
	References   []string      `json:"references"`
	Explanations []Explanation `json:"explanations,omitempty"`
}

// Explanation is a missed item's explanation (score --explain).
type Explanation struct {
	Position int    `json:"position"`
	Text     string `json:"text"`
}

// Scorer scores attempts at one form. It is safe for concurrent use.
type Scorer struct {
	form     Form
	scored   int
	perDom   []int
	expected []float64
	model    *domainability.Model
	// tasks are the distinct tasks of the scored slots; taskOf maps a
	// slot to its index there (-1 for pretest slots).
	tasks  []string
	taskOf []int
}

// New prepares a scorer for form f, checking that its table and slots
// agree.
func New(f Form) (*Scorer, error) {
	s := &Scorer{form: f, perDom: make([]int, len(f.Domains)), expected: make([]float64, len(f.Domains))}
	bs := make([][]float64, len(f.Domains))
	taskIndex := map[string]int{}
	s.taskOf = make([]int, len(f.Slots))
	for i, sl := range f.Slots {
		s.taskOf[i] = -1
		if !sl.Scored {
			continue
		}
		t, ok := taskIndex[sl.Task]
		if !ok {
			t = len(s.tasks)
			taskIndex[sl.Task] = t
			s.tasks = append(s.tasks, sl.Task)
		}
		s.taskOf[i] = t
		if sl.Domain < 0 || sl.Domain >= len(f.Domains) {
			return nil, fmt.Errorf("position %d: domain index %d is out of range", i+1, sl.Domain)
		}
		s.scored++
		s.perDom[sl.Domain]++
		bs[sl.Domain] = append(bs[sl.Domain], sl.B)
		s.expected[sl.Domain] += irt.P(f.Scale.ThetaCut, sl.B)
	}
	if s.scored == 0 {
		return nil, errors.New("the form has no scored items")
	}
	if len(f.Table) != s.scored+1 {
		return nil, fmt.Errorf("the conversion table has %d rows for %d scored items (want %d)", len(f.Table), s.scored, s.scored+1)
	}
	for r, row := range f.Table {
		if row.Raw != r {
			return nil, fmt.Errorf("conversion table row %d is for raw score %d", r+1, row.Raw)
		}
	}
	tau := f.DomainSD
	if tau == 0 {
		tau = 0.5
	}
	m, err := domainability.New(bs, tau)
	if err != nil {
		return nil, err
	}
	s.model = m
	return s, nil
}

// Score returns the report of attempt a. a.Chosen must have one entry per
// position (the response reader has rejected any other record).
func (s *Scorer) Score(a Attempt, explain bool) (Report, error) {
	f := s.form
	if len(a.Chosen) != len(f.Slots) {
		return Report{}, fmt.Errorf("attempt %s has %d answers for %d positions", a.ID, len(a.Chosen), len(f.Slots))
	}
	rep := Report{
		Attempt: a.ID, Candidate: a.Candidate, Bundle: f.Bundle, Form: f.Form,
		Max: s.scored, Provisional: f.Provisional,
		Scale:      ScaleInfo{Min: f.Scale.Min, Max: f.Scale.Max, Pass: f.Scale.Pass},
		Diagnostic: f.Diagnostic, Title: f.Title,
	}
	correct := make([]int, len(f.Domains))
	var missed []int // positions (0-based) of missed scored items
	for i, sl := range f.Slots {
		if !sl.Scored {
			rep.PretestIgnored++
			continue
		}
		if a.Chosen[i] == sl.Key {
			rep.Raw++
			correct[sl.Domain]++
		} else {
			missed = append(missed, i)
		}
	}
	row := f.Table[rep.Raw]
	rep.Scaled, rep.Pass = row.Scaled, row.Pass
	rep.SE = f.Scale.ScaledSE(row.SE)
	rep.Band = [2]int{max(rep.Scaled-rep.SE, f.Scale.Min), min(rep.Scaled+rep.SE, f.Scale.Max)}

	post, err := s.model.Posterior(correct)
	if err != nil {
		return Report{}, err
	}
	for d, dom := range f.Domains {
		level := NeedsImprovement
		// A small tolerance so that an expected score that is a whole
		// number up to rounding error is met by that number.
		if float64(correct[d]) >= s.expected[d]-1e-9 {
			level = Meets
		}
		rep.Domains = append(rep.Domains, DomainResult{
			ID: dom.ID, Name: dom.Name, Correct: correct[d], Items: s.perDom[d],
			Level: level, Theta: round(post.EAP[d], 2), Expected: round(s.expected[d], 2),
		})
	}
	rep.Weakest = Weakest{Domain: f.Domains[post.Weakest].ID, Probability: round(post.Lowest[post.Weakest], 2)}
	rep.Study = s.studyPlan(missed, explain)
	return rep, nil
}

// studyPlan lists the tasks with missed scored items, the most urgent
// first: by exam weight times items missed (the share of the real exam the
// gap stands for), then by items missed, then by task id. missed holds the
// missed positions in order.
func (s *Scorer) studyPlan(missed []int, explain bool) []StudyTask {
	f := s.form
	entry := make([]int, len(s.tasks)) // task index -> 1 + its place in plan
	plan := make([]StudyTask, 0, 8)
	weight := make([]int, 0, 8)
	for _, p := range missed {
		t := s.taskOf[p]
		if entry[t] == 0 {
			dom := f.Domains[f.Slots[p].Domain]
			plan = append(plan, StudyTask{Task: s.tasks[t], Title: f.Tasks[s.tasks[t]], Domain: dom.ID, References: []string{}})
			weight = append(weight, dom.Weight)
			entry[t] = len(plan)
		}
		st := &plan[entry[t]-1]
		st.Missed++
		for _, ref := range f.Slots[p].References {
			if !slices.Contains(st.References, ref) {
				st.References = append(st.References, ref)
			}
		}
		if explain && f.Slots[p].Explanation != "" {
			st.Explanations = append(st.Explanations, Explanation{Position: p + 1, Text: f.Slots[p].Explanation})
		}
	}
	order := make([]int, len(plan))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := plan[order[i]], plan[order[j]]
		pa, pb := weight[order[i]]*a.Missed, weight[order[j]]*b.Missed
		if pa != pb {
			return pa > pb
		}
		if a.Missed != b.Missed {
			return a.Missed > b.Missed
		}
		return a.Task < b.Task
	})
	sorted := make([]StudyTask, len(plan))
	for i, k := range order {
		sorted[i] = plan[k]
	}
	return sorted
}

// round rounds x to the given number of decimals, half away from zero.
func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}
