package htmlreport

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/qbank/qbank/internal/scorereport"
	"github.com/qbank/qbank/internal/svgchart"
)

type scoreView struct {
	Reports []reportView
}

type reportView struct {
	R          scorereport.Report
	Title      string
	Gauge      Figure
	Domains    []domainView
	Weakest    string
	WeakestHow string
	Study      []studyView
}

type domainView struct {
	Name           string
	Correct, Items int
	Meets          bool
}

type studyView struct {
	Task, Title, Domain string
	Missed              int
	References          []reference
	Explanations        []explanationView
}

type reference struct {
	Text string
	URL  string // empty when the reference is not a web address
}

type explanationView struct {
	Position int
	Text     template.HTML
}

// WriteScores writes the score reports, one page per attempt (a page
// break between attempts in print).
func WriteScores(w io.Writer, reports []scorereport.Report) error {
	md := NewMarkdown()
	var v scoreView
	for i, r := range reports {
		v.Reports = append(v.Reports, reportViewOf(md, r, i))
	}
	title := "Score report"
	if len(reports) == 1 {
		title = fmt.Sprintf("Score report: %s, attempt %s", reports[0].Form, reports[0].Attempt)
	} else if len(reports) > 1 {
		title = fmt.Sprintf("Score reports (%d attempts)", len(reports))
	}
	return execute(w, "score", title, "from the released bundle's conversion tables", v, nil)
}

func reportViewOf(md *Markdown, r scorereport.Report, i int) reportView {
	v := reportView{R: r, Title: r.Title}
	if v.Title == "" {
		v.Title = "Exam"
	}
	verdict := "did not reach"
	if r.Pass {
		verdict = "reached"
	}
	g := svgchart.Gauge{ID: fmt.Sprintf("gauge-%d", i), Min: r.Scale.Min, Max: r.Scale.Max, Pass: r.Scale.Pass, Score: r.Scaled, Band: r.Band, Passed: r.Pass,
		Title: fmt.Sprintf("Scaled score %d on the %d-%d scale", r.Scaled, r.Scale.Min, r.Scale.Max),
		Desc:  fmt.Sprintf("The score %d %s the passing score %d; the likely range is %d to %d.", r.Scaled, verdict, r.Scale.Pass, r.Band[0], r.Band[1])}
	t := g.Table()
	v.Gauge = Figure{ID: g.ID, SVG: template.HTML(g.SVG()), Caption: "Your scaled score (triangle), its likely range (shaded) and the passing score (black line).", Table: t}
	for _, d := range r.Domains {
		v.Domains = append(v.Domains, domainView{Name: scorereport.DomainName(d), Correct: d.Correct, Items: d.Items, Meets: d.Level == scorereport.Meets})
	}
	if name := r.WeakestName(); name != "" {
		v.Weakest, v.WeakestHow = name, scorereport.ProbabilityWords(r.Weakest.Probability, len(r.Domains))
	}
	for _, st := range r.Study {
		sv := studyView{Task: st.Task, Title: st.Title, Domain: st.Domain, Missed: st.Missed}
		for _, ref := range st.References {
			sv.References = append(sv.References, referenceOf(ref))
		}
		for _, e := range st.Explanations {
			sv.Explanations = append(sv.Explanations, explanationView{Position: e.Position, Text: md.Render(e.Text)})
		}
		v.Study = append(v.Study, sv)
	}
	return v
}

// referenceOf links a reference that is a web address; html/template
// still checks the URL when it writes the href.
func referenceOf(s string) reference {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return reference{Text: s, URL: s}
	}
	return reference{Text: s}
}
