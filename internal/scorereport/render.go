package scorereport

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteText writes reports as a candidate reads them: the result first,
// then the domains, the weakest domain in words and the study plan. A
// provisional scale and a diagnostic say so plainly.
func WriteText(w io.Writer, reports []Report) error {
	var b strings.Builder
	for i, r := range reports {
		if i > 0 {
			b.WriteString("\n" + strings.Repeat("-", 72) + "\n\n")
		}
		writeOne(&b, r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeOne(b *strings.Builder, r Report) {
	title := r.Title
	if title == "" {
		title = "Exam"
	}
	fmt.Fprintf(b, "%s: %s (bundle %s), attempt %s", title, r.Form, r.Bundle, r.Attempt)
	if r.Candidate != "" {
		fmt.Fprintf(b, ", candidate %s", r.Candidate)
	}
	b.WriteString("\n\n")
	verdict := "FAIL"
	if r.Pass {
		verdict = "PASS"
	}
	fmt.Fprintf(b, "Result:       %s\n", verdict)
	fmt.Fprintf(b, "Scaled score: %d on a scale of %d-%d; %d passes\n", r.Scaled, r.Scale.Min, r.Scale.Max, r.Scale.Pass)
	fmt.Fprintf(b, "Likely range: %d-%d (plus or minus one standard error, %d points)\n", r.Band[0], r.Band[1], r.SE)
	fmt.Fprintf(b, "Raw score:    %d of %d scored questions", r.Raw, r.Max)
	if r.PretestIgnored > 0 {
		fmt.Fprintf(b, " (%d unscored pretest %s not counted)", r.PretestIgnored, plural(r.PretestIgnored, "question", "questions"))
	}
	b.WriteString("\n")
	if r.Provisional {
		b.WriteString("\nPROVISIONAL: this form's scale rests on the authors' difficulty estimates, not yet\n" +
			"on measured statistics, so the scaled score and the pass mark are estimates.\n")
	}
	if r.Diagnostic {
		fmt.Fprintf(b, "\nThis was a %d-question diagnostic. So few questions can only point the way: your\n"+
			"score could lie anywhere from %d to %d, and a domain with one or two questions\n"+
			"says little on its own. A full practice exam narrows the range a great deal\n"+
			"and tests every task of the exam guide.\n", r.Max, r.Band[0], r.Band[1])
	}
	b.WriteString("\nDomains\n")
	width := 0
	for _, d := range r.Domains {
		width = max(width, len(DomainName(d)))
	}
	for _, d := range r.Domains {
		level := "Meets competencies"
		if d.Level == NeedsImprovement {
			level = "Needs improvement"
		}
		fmt.Fprintf(b, "  %-*s  %2d/%-2d  %s\n", width, DomainName(d), d.Correct, d.Items, level)
	}
	if name := r.WeakestName(); name != "" {
		fmt.Fprintf(b, "\nWeakest domain: %s (%s)\n", name, ProbabilityWords(r.Weakest.Probability, len(r.Domains)))
	}
	if len(r.Study) == 0 {
		b.WriteString("\nStudy plan: nothing missed on this form.\n")
		return
	}
	b.WriteString("\nStudy plan, most important first\n")
	for i, st := range r.Study {
		fmt.Fprintf(b, "  %d. Task %s: %s (%d missed)\n", i+1, st.Task, st.Title, st.Missed)
		for _, ref := range st.References {
			fmt.Fprintf(b, "     %s\n", ref)
		}
		for _, e := range st.Explanations {
			fmt.Fprintf(b, "     Question %d: %s\n", e.Position, strings.TrimSpace(e.Text))
		}
	}
}

// DomainName is the domain's name, or its id when it has none.
func DomainName(d DomainResult) string {
	if d.Name != "" {
		return d.Name
	}
	return d.ID
}

// WeakestName is the name of the weakest domain.
func (r Report) WeakestName() string {
	for _, d := range r.Domains {
		if d.ID == r.Weakest.Domain {
			return DomainName(d)
		}
	}
	return r.Weakest.Domain
}

// ProbabilityWords says how sure the weakest-domain call is (p is the
// probability that it is the weakest of n domains). Below half
// again the chance of a blind guess among n domains (and below one half),
// it is called uncertain and the guess is given for comparison.
func ProbabilityWords(p float64, n int) string {
	pct := int(p*100 + 0.5)
	switch {
	case p >= 0.8:
		return fmt.Sprintf("very likely: %d %% probability that it is your weakest", pct)
	case p >= max(0.5, 1.5/float64(max(n, 1))):
		return fmt.Sprintf("likely: %d %% probability that it is your weakest", pct)
	default:
		return fmt.Sprintf("uncertain: %d %% probability that it is your weakest, against %d %% for a guess among %d domains", pct, int(100/float64(max(n, 1))+0.5), n)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WriteCSV writes one row per attempt, for the site's database: the
// result columns, then correct/items/level/theta for every domain of the
// first report (all reports of one exam share the domains).
func WriteCSV(w io.Writer, reports []Report) error {
	cw := csv.NewWriter(w)
	head := []string{"attempt", "candidate", "bundle", "form", "raw", "max", "scaled", "se", "band_low", "band_high", "pass", "provisional", "pretest_ignored", "weakest", "weakest_probability"}
	var domains []string
	if len(reports) > 0 {
		for _, d := range reports[0].Domains {
			domains = append(domains, d.ID)
			head = append(head, d.ID+"_correct", d.ID+"_items", d.ID+"_level", d.ID+"_theta")
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	itoa := strconv.Itoa
	for _, r := range reports {
		row := []string{r.Attempt, r.Candidate, r.Bundle, r.Form, itoa(r.Raw), itoa(r.Max), itoa(r.Scaled), itoa(r.SE),
			itoa(r.Band[0]), itoa(r.Band[1]), strconv.FormatBool(r.Pass), strconv.FormatBool(r.Provisional), itoa(r.PretestIgnored),
			r.Weakest.Domain, strconv.FormatFloat(r.Weakest.Probability, 'f', 2, 64)}
		byID := map[string]DomainResult{}
		for _, d := range r.Domains {
			byID[d.ID] = d
		}
		for _, id := range domains {
			d, ok := byID[id]
			if !ok {
				row = append(row, "", "", "", "")
				continue
			}
			row = append(row, itoa(d.Correct), itoa(d.Items), d.Level, strconv.FormatFloat(d.Theta, 'f', 2, 64))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
