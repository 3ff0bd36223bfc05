// Package bankstats summarises a loaded bank for writers and release
// managers (qbank stats): item counts per domain and status, per task
// statement and status, per type, and the positions of the keys, so that a
// thin domain, an uncovered task or keys piling up on one letter show at a
// glance. It counts the schema-valid items; files that fail the schema are
// only counted as broken.
package bankstats

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/qbank/qbank/internal/bank"
)

// Statuses lists the item statuses in lifecycle order: the columns of the
// domain and task tables.
var Statuses = []string{bank.StatusDraft, bank.StatusReview, bank.StatusPretest, bank.StatusOperational, bank.StatusRetired}

// Stats is the summary of a bank. Shares are percentages rounded to one
// decimal.
type Stats struct {
	Exam string `json:"exam"`
	// Files is the number of item files read; Items the schema-valid items
	// counted below; Broken the files with an id that fail the schema.
	Files  int `json:"files"`
	Items  int `json:"items"`
	Broken int `json:"broken"`
	// Lint is the lint result of the bank the counts come from.
	Lint LintSummary `json:"lint"`
	// Status counts the items per status.
	Status map[string]int `json:"status"`
	// Domains are in exam.yaml order, then any domain an item names that
	// the blueprint does not have.
	Domains []Row `json:"domains"`
	// Tasks are in exam.yaml order, then unknown ones.
	Tasks []Row `json:"tasks"`
	// Types counts single and multiple items.
	Types []TypeCount `json:"types"`
	// SingleKeys counts the keys of single-answer items by position;
	// MultipleKeys the keys of multiple-response items.
	SingleKeys   []KeyCount `json:"single_keys"`
	MultipleKeys []KeyCount `json:"multiple_keys"`
}

// LintSummary counts the lint findings.
type LintSummary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// Row counts the items of a domain or task by status.
type Row struct {
	// Domain is the domain id; Task is empty in the domain table.
	Domain string `json:"domain"`
	Task   string `json:"task,omitempty"`
	// Title is the domain name or the task statement ("" when the
	// blueprint does not know the domain or task).
	Title string `json:"title"`
	// Weight is the domain weight in percent (domain rows only).
	Weight   int            `json:"weight,omitempty"`
	ByStatus map[string]int `json:"by_status"`
	Total    int            `json:"total"`
}

// TypeCount counts one item type overall and among operational items.
type TypeCount struct {
	Type             string  `json:"type"`
	Items            int     `json:"items"`
	Share            float64 `json:"share"`
	Operational      int     `json:"operational"`
	OperationalShare float64 `json:"operational_share"`
}

// KeyCount counts keys at one option position.
type KeyCount struct {
	Position string  `json:"position"`
	Keys     int     `json:"keys"`
	Share    float64 `json:"share"`
}

// Compute summarises b; errors and warnings are the lint counts to report.
func Compute(b *bank.Bank, errors, warnings int) *Stats {
	s := &Stats{
		Exam: b.Exam.Exam, Files: b.Files, Items: len(b.Items), Broken: len(b.Broken),
		Lint:   LintSummary{errors, warnings},
		Status: map[string]int{},
	}
	for _, st := range Statuses {
		s.Status[st] = 0
	}
	rows := newBlueprintRows(b)
	types := map[string]*TypeCount{bank.TypeSingle: {Type: bank.TypeSingle}, bank.TypeMultiple: {Type: bank.TypeMultiple}}
	var single, multiple []int
	operational := 0
	for _, it := range b.Items {
		s.Status[it.Status]++
		rows.count(it)
		tc := types[it.Type]
		if tc == nil {
			tc = &TypeCount{Type: it.Type}
			types[it.Type] = tc
		}
		tc.Items++
		if it.Status == bank.StatusOperational {
			tc.Operational++
			operational++
		}
		for _, k := range it.Keys() {
			switch it.Type {
			case bank.TypeSingle:
				single = addAt(single, k)
			case bank.TypeMultiple:
				multiple = addAt(multiple, k)
			}
		}
	}
	for _, r := range rows.domains {
		s.Domains = append(s.Domains, *r)
	}
	for _, r := range rows.tasks {
		s.Tasks = append(s.Tasks, *r)
	}
	for _, t := range []string{bank.TypeSingle, bank.TypeMultiple} {
		tc := types[t]
		tc.Share = percent(tc.Items, len(b.Items))
		tc.OperationalShare = percent(tc.Operational, operational)
		s.Types = append(s.Types, *tc)
	}
	s.SingleKeys = keyCounts(single, max(b.Exam.Options.Single, len(single)))
	s.MultipleKeys = keyCounts(multiple, max(b.Exam.Options.MultipleMin, len(multiple)))
	return s
}

// blueprintRows counts items by domain and by task: first the rows of
// the exam's blueprint in its order, then rows for domains and tasks that
// only items name, in the order they are met.
type blueprintRows struct {
	domainRow, taskRow map[string]*Row
	domains, tasks     []*Row
}

// newBlueprintRows returns the empty rows of b's blueprint.
func newBlueprintRows(b *bank.Bank) *blueprintRows {
	rs := &blueprintRows{domainRow: map[string]*Row{}, taskRow: map[string]*Row{}}
	for _, d := range b.Exam.Domains {
		r := newRow(d.ID, "", d.Name, d.Weight)
		rs.domainRow[d.ID] = r
		rs.domains = append(rs.domains, r)
		for _, t := range d.Tasks {
			tr := newRow(d.ID, t.ID, t.Title, 0)
			rs.taskRow[d.ID+"\x00"+t.ID] = tr
			rs.tasks = append(rs.tasks, tr)
		}
	}
	return rs
}

// count adds item it to its domain's and its task's row.
func (rs *blueprintRows) count(it *bank.Item) {
	r := rs.domainRow[it.Domain]
	if r == nil {
		r = newRow(it.Domain, "", "", 0)
		rs.domainRow[it.Domain] = r
		rs.domains = append(rs.domains, r)
	}
	r.ByStatus[it.Status]++
	r.Total++
	tr := rs.taskRow[it.Domain+"\x00"+it.Task]
	if tr == nil {
		tr = newRow(it.Domain, it.Task, "", 0)
		rs.taskRow[it.Domain+"\x00"+it.Task] = tr
		rs.tasks = append(rs.tasks, tr)
	}
	tr.ByStatus[it.Status]++
	tr.Total++
}

// newRow returns an empty row with a zero count for every status.
func newRow(domain, task, title string, weight int) *Row {
	r := &Row{Domain: domain, Task: task, Title: title, Weight: weight, ByStatus: map[string]int{}}
	for _, st := range Statuses {
		r.ByStatus[st] = 0
	}
	return r
}

func addAt(counts []int, i int) []int {
	for len(counts) <= i {
		counts = append(counts, 0)
	}
	counts[i]++
	return counts
}

func keyCounts(counts []int, positions int) []KeyCount {
	total := 0
	for _, c := range counts {
		total += c
	}
	out := make([]KeyCount, positions)
	for i := range out {
		n := 0
		if i < len(counts) {
			n = counts[i]
		}
		out[i] = KeyCount{Position: bank.Letter(i), Keys: n, Share: percent(n, total)}
	}
	return out
}

// percent returns 100*n/total rounded to one decimal (0 when total is 0).
func percent(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(1000*float64(n)/float64(total)) / 10
}

// WriteJSON writes s as indented JSON.
func WriteJSON(w io.Writer, s *Stats) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// WriteText writes s as aligned tables.
func WriteText(w io.Writer, s *Stats) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s: %d items in %d files", s.Exam, s.Items, s.Files)
	if s.Broken > 0 {
		if s.Broken == 1 {
			fmt.Fprint(tw, " (1 more file fails the schema and is not counted)")
		} else {
			fmt.Fprintf(tw, " (%d more files fail the schema and are not counted)", s.Broken)
		}
	}
	fmt.Fprint(tw, "\n\n")

	heads := make([]string, len(Statuses))
	for i, st := range Statuses {
		heads[i] = strings.ToUpper(st)
	}
	fmt.Fprintf(tw, "DOMAIN\tWEIGHT\t%s\tTOTAL\n", strings.Join(heads, "\t"))
	totals := Row{ByStatus: map[string]int{}}
	weights := 0
	for _, r := range s.Domains {
		weight := "-"
		if r.Title != "" {
			weight = fmt.Sprintf("%d%%", r.Weight)
			weights += r.Weight
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", r.Domain, weight, statusCells(r), r.Total)
		for st, n := range r.ByStatus {
			totals.ByStatus[st] += n
		}
		totals.Total += r.Total
	}
	fmt.Fprintf(tw, "total\t%d%%\t%s\t%d\n\n", weights, statusCells(totals), totals.Total)

	fmt.Fprintf(tw, "TASK\tDOMAIN\t%s\tTOTAL\tTITLE\n", strings.Join(heads, "\t"))
	for _, r := range s.Tasks {
		title := r.Title
		if title == "" {
			title = "(not a task of the domain in exam.yaml)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.Task, r.Domain, statusCells(r), r.Total, title)
	}
	fmt.Fprintln(tw)

	fmt.Fprintln(tw, "TYPE\tITEMS\tSHARE\tOPERATIONAL\tSHARE")
	for _, t := range s.Types {
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%d\t%.1f%%\n", t.Type, t.Items, t.Share, t.Operational, t.OperationalShare)
	}
	fmt.Fprintln(tw)

	fmt.Fprintln(tw, "KEY\tSINGLE\tSHARE\tMULTIPLE\tSHARE")
	for i := range max(len(s.SingleKeys), len(s.MultipleKeys)) {
		pos, cells := "", ""
		if i < len(s.SingleKeys) {
			k := s.SingleKeys[i]
			pos, cells = k.Position, fmt.Sprintf("%d\t%.1f%%", k.Keys, k.Share)
		} else {
			cells = "\t"
		}
		if i < len(s.MultipleKeys) {
			k := s.MultipleKeys[i]
			pos = k.Position
			cells += fmt.Sprintf("\t%d\t%.1f%%", k.Keys, k.Share)
		} else {
			cells += "\t\t"
		}
		fmt.Fprintf(tw, "%s\t%s\n", pos, cells)
	}
	if s.Lint.Errors > 0 || s.Lint.Warnings > 0 {
		fmt.Fprintf(tw, "\nlint: %s, %s (see qbank lint)\n", count(s.Lint.Errors, "error"), count(s.Lint.Warnings, "warning"))
	}
	return tw.Flush()
}

func statusCells(r Row) string {
	cells := make([]string, len(Statuses))
	for i, st := range Statuses {
		cells[i] = fmt.Sprint(r.ByStatus[st])
	}
	return strings.Join(cells, "\t")
}

// count renders "1 error" or "2 errors".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
