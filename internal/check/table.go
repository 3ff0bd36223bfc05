package check

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTables writes the composition tables of the text report: the
// supply per domain against one form of the spec and the weights, and each
// form's domain mix beside its targets (a count off target is marked "!"),
// with its cut raw score and its test information at theta_cut on the
// scored row ("-" when the bank has no cut; "~" marks a provisional scale).
func WriteTables(w io.Writer, r Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	s := r.Supply
	if s.Spec != "" {
		fmt.Fprintf(tw, "Supply against one %s form (%d scored + %d pretest items)\n", s.Spec, s.Scored, s.Pretest)
		fmt.Fprintln(tw, "DOMAIN\tWEIGHT\tOPERATIONAL\tSHARE\tNEED\tFORMS\tPRETEST\tNEED\tTASKS COVERED")
		tasks, covered := 0, 0
		for _, d := range s.Domains {
			fmt.Fprintf(tw, "%s\t%d%%\t%d\t%s\t%d\t%s\t%d\t%d\t%d/%d\n", d.Domain, d.Weight, d.Operational, share(d.Operational, s.Operational), d.NeedScored, formsCell(d.Forms), d.Pretest, d.NeedPretest, d.Covered, d.Tasks)
			tasks += d.Tasks
			covered += d.Covered
		}
		fmt.Fprintf(tw, "total\t100%%\t%d\t\t%d\t%s\t%d\t%d\t%d/%d\n", s.Operational, s.Scored, formsCell(s.DisjointForms), s.PretestItems, s.Pretest, covered, tasks)
		if err := tw.Flush(); err != nil {
			return err
		}
		switch {
		case s.DisjointForms < 0:
		case s.DisjointForms == 1:
			fmt.Fprintf(w, "The operational supply allows 1 %s form with no shared scored item (by counts; enemies can lower it).\n", s.Spec)
		default:
			fmt.Fprintf(w, "The operational supply allows %d %s forms with no shared scored item (by counts; enemies can lower it).\n", s.DisjointForms, s.Spec)
		}
		fmt.Fprintln(w)
	}
	if len(r.Forms) == 0 {
		fmt.Fprintln(w, "No forms.")
		fmt.Fprintln(w)
		return nil
	}
	fmt.Fprintln(w, "Forms: items per domain, got/target (! marks a count off target)")
	head := []string{"FORM", "SPEC", "VERSION", "ROLE"}
	for _, d := range r.Forms[0].Scored {
		head = append(head, d.Domain)
	}
	head = append(head, "TOTAL", "MEAN P", "CUT RAW", "INFO AT CUT")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, m := range r.Forms {
		for role, counts := range [][]DomainCount{m.Scored, m.Pretest} {
			row := []string{"", "", "", "pretest"}
			total, want := m.PretestTotal, 0
			if role == 0 {
				row = []string{m.Form, m.Spec, fmt.Sprint(m.Version), "scored"}
				total = m.ScoredTotal
			}
			for _, c := range counts {
				row = append(row, cell(c.Got, c.Want, m.KnownSpec))
				want += c.Want
			}
			row = append(row, cell(total, want, m.KnownSpec))
			if role == 0 {
				row = append(row, fmt.Sprintf("%.3f", float64(m.MeanPValue)/1000))
				row = append(row, scaleCells(m)...)
			} else {
				row = append(row, "-", "-", "-") // of scored items; the cells keep the columns aligned
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range r.Forms {
		if m.HasScale && m.Provisional > 0 {
			fmt.Fprintln(w, "~ the scale is provisional: some scored items have no measured b and use their authored difficulty (qbank standard counts them per form).")
			break
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

// scaleCells renders a form's cut raw score and information at the cut.
func scaleCells(m FormMix) []string {
	if !m.HasScale {
		return []string{"-", "-"}
	}
	mark := ""
	if m.Provisional > 0 {
		mark = "~"
	}
	cut := "none"
	if m.CutRaw >= 0 {
		cut = fmt.Sprint(m.CutRaw)
	}
	return []string{cut + mark, fmt.Sprintf("%.2f%s", m.InfoAtCut, mark)}
}

func cell(got, want int, known bool) string {
	if !known {
		return fmt.Sprintf("%d/?", got)
	}
	if got != want {
		return fmt.Sprintf("%d/%d!", got, want)
	}
	return fmt.Sprintf("%d/%d", got, want)
}

func share(n, total int) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", float64(n)*100/float64(total))
}

func formsCell(n int) string {
	if n < 0 {
		return "-"
	}
	return fmt.Sprint(n)
}
