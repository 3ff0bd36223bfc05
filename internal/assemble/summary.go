package assemble

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteSummary writes the summary table of an assembly: per form the
// domain mix (scored+pretest), the mean p-value of the scored items, the
// spread of single-answer keys over the option letters and the task
// statements covered; then the scored items every two forms share and the
// spread of the form means.
func WriteSummary(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := append([]string{"FORM"}, r.Domains...)
	head = append(head, "MEAN P")
	if r.TIF {
		head = append(head, "INFO@CUT", "CUT RAW")
	}
	head = append(head, "KEYS "+strings.Join(r.Letters, "/"), "TASKS")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	measured, scored := 0, 0
	for _, s := range r.Summary {
		row := []string{s.Form}
		for d := range s.Scored {
			row = append(row, fmt.Sprintf("%d+%d", s.Scored[d], s.Pretest[d]))
			scored += s.Scored[d]
		}
		keys := make([]string, len(s.Keys))
		for i, k := range s.Keys {
			keys[i] = fmt.Sprint(k)
		}
		row = append(row, fmt.Sprintf("%.3f", s.MeanP))
		if r.TIF {
			row = append(row, fmt.Sprintf("%.2f", s.Info), fmt.Sprintf("%d/%d", s.CutRaw, scoredCount(s)))
		}
		row = append(row, strings.Join(keys, "/"), fmt.Sprintf("%d/%d", s.Tasks, s.Possible))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
		measured += s.Measured
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "(items per domain: scored+pretest; MEAN P: mean p-value of the scored items, higher is easier;")
	if r.TIF {
		fmt.Fprintln(w, " INFO@CUT: test information of the scored items at theta_cut; CUT RAW: smallest passing raw score / scored items;")
	}
	fmt.Fprintln(w, " KEYS: single-answer items by key letter; TASKS: task statements among the scored items / with operational items)")
	if len(r.Forms) > 1 {
		fmt.Fprintf(w, "\nScored items shared by two forms (at most %d allowed)\n", r.MaxShared)
		head := []string{"FORM"}
		for _, s := range r.Summary {
			head = append(head, s.Form)
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for i, s := range r.Summary {
			row := []string{s.Form}
			for j := range r.Summary {
				if i == j {
					row = append(row, "-")
				} else {
					row = append(row, fmt.Sprint(r.Shared[i][j]))
				}
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nSpread of form mean p-values (largest - smallest): %.3f\n", r.Spread)
	if r.TIF {
		fmt.Fprintf(w, "Parallel on the Rasch scale around theta_cut %.3f (TCC and information at theta_cut-1, theta_cut, theta_cut+1):\n", r.ThetaCut)
		fmt.Fprintf(w, " largest TCC difference between forms over theta_cut+-1: %.3f raw points; information at the cut differs by %.3f\n", r.TCCDiff, r.InfoSpread)
	} else if r.NoTIF != "" {
		fmt.Fprintf(w, "Parallel on mean p only: %s.\n", r.NoTIF)
	}
	if _, err := fmt.Fprintf(w, "Difficulty: %d of %d scored items measured (stats.yaml, current revision), %d authored (easy 0.85, medium 0.65, hard 0.45, none 0.65).\n", measured, scored, scored-measured); err != nil {
		return err
	}
	if !r.TIF {
		return nil
	}
	mb := 0
	for _, s := range r.Summary {
		mb += s.MeasuredB
	}
	_, err := fmt.Fprintf(w, "Rasch b: %d of %d scored items measured (stats.yaml, current revision), %d provisional (exam.yaml scale.provisional).\n", mb, scored, scored-mb)
	return err
}

// scoredCount counts a form's scored items.
func scoredCount(s FormSummary) int {
	n := 0
	for _, c := range s.Scored {
		n += c
	}
	return n
}
