package standard

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText writes the standard for people: where theta_cut came from,
// the panel's figures when there was a panel, and the equated cut of every
// committed form.
func WriteText(w io.Writer, r *Result) error {
	fmt.Fprintf(w, "Standard: %s\n", r.From)
	fmt.Fprintf(w, "theta_cut = %.6f logits on the bank's Rasch scale\n", r.ThetaCut)
	if len(r.Provisional) > 0 {
		fmt.Fprintf(w, "PROVISIONAL: %d scored items have no measured b and use their authored difficulty; the standard moves on the calibrated scale once qbank analyze --write measures them.\n", len(r.Provisional))
	}
	if a := r.Panel; a != nil {
		writePanel(w, r.PanelForm, a)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Equated cut on every committed form (the same theta_cut; scaled score 700 at the cut)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FORM\tSPEC\tVERSION\tSCORED\tCUT RAW\tPERCENT\tEXPECTED AT CUT\tINFO AT CUT\tPROVISIONAL")
	for _, f := range r.Forms {
		cut, pct := "none", "-"
		if f.CutRaw >= 0 {
			cut = fmt.Sprint(f.CutRaw)
			pct = fmt.Sprintf("%.1f%%", 100*float64(f.CutRaw)/float64(f.Scored))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%.2f\t%.2f\t%d\n", f.Form, f.Spec, f.Version, f.Scored, cut, pct, f.Expected, f.Info, f.Provisional)
	}
	return tw.Flush()
}

func writePanel(w io.Writer, form string, a *Analysis) {
	fmt.Fprintf(w, "\nAngoff panel on %s: %d raters, %d with every scored item rated\n", form, len(a.Raters), a.Complete)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RATER\tRATED\tCUT")
	for _, rc := range a.Raters {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\n", rc.Rater, rc.Rated, rc.Cut)
	}
	tw.Flush()
	fmt.Fprintf(w, "panel cut %.2f (sum of the item means)", a.Cut)
	if a.Complete > 1 {
		fmt.Fprintf(w, "; rater cuts %.2f to %.2f (spread %.2f), SD %.2f, SE of the panel cut %.2f", a.Min, a.Max, a.Max-a.Min, a.SD, a.SE)
	}
	fmt.Fprintln(w)
	if len(a.Ignored) > 0 {
		fmt.Fprintf(w, "%d ratings are of items that are not scored on %s and were left out\n", len(a.Ignored), form)
	}
	if len(a.Outliers) == 0 {
		fmt.Fprintf(w, "No rating lies %.2f or more from the mean of the other raters.\n", OutlierGap)
		return
	}
	fmt.Fprintf(w, "Ratings %.2f or more from the mean of the other raters (discuss them with the panel):\n", OutlierGap)
	for _, o := range a.Outliers {
		fmt.Fprintf(w, "  line %d: %s rated %s %.2f; the others %.2f\n", o.Line, o.Rater, o.Item, o.Rating.Rating, o.Others)
	}
}

// jsonResult is the JSON form of a Result.
type jsonResult struct {
	ThetaCut    float64    `json:"theta_cut"`
	From        string     `json:"from"`
	Provisional []string   `json:"provisional_items"`
	Forms       []jsonForm `json:"forms"`
	Panel       *jsonPanel `json:"panel,omitempty"`
}

type jsonForm struct {
	Form        string  `json:"form"`
	Spec        string  `json:"spec"`
	Version     int     `json:"version"`
	Scored      int     `json:"scored"`
	CutRaw      int     `json:"cut_raw"`
	Expected    float64 `json:"expected_at_cut"`
	Info        float64 `json:"information_at_cut"`
	Provisional int     `json:"provisional"`
}

type jsonPanel struct {
	Form     string        `json:"form"`
	Cut      float64       `json:"cut"`
	Raters   []jsonRater   `json:"raters"`
	Min      float64       `json:"min"`
	Max      float64       `json:"max"`
	SD       float64       `json:"sd"`
	SE       float64       `json:"se"`
	Outliers []jsonOutlier `json:"outliers"`
}

type jsonRater struct {
	Rater string  `json:"rater"`
	Rated int     `json:"rated"`
	Cut   float64 `json:"cut"`
}

type jsonOutlier struct {
	Line   int     `json:"line"`
	Rater  string  `json:"rater"`
	Item   string  `json:"item"`
	Rating float64 `json:"rating"`
	Others float64 `json:"others"`
}

// WriteJSON writes the result as one JSON document.
func WriteJSON(w io.Writer, r *Result) error {
	j := jsonResult{ThetaCut: r.ThetaCut, From: r.From, Provisional: append([]string{}, r.Provisional...), Forms: []jsonForm{}}
	for _, f := range r.Forms {
		j.Forms = append(j.Forms, jsonForm(f))
	}
	if a := r.Panel; a != nil {
		p := &jsonPanel{Form: r.PanelForm, Cut: a.Cut, Min: a.Min, Max: a.Max, SD: a.SD, SE: a.SE, Raters: []jsonRater{}, Outliers: []jsonOutlier{}}
		for _, rc := range a.Raters {
			p.Raters = append(p.Raters, jsonRater{rc.Rater, rc.Rated, rc.Cut})
		}
		for _, o := range a.Outliers {
			p.Outliers = append(p.Outliers, jsonOutlier{o.Line, o.Rater, o.Item, o.Rating.Rating, o.Others})
		}
		j.Panel = p
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}
