// Package analysisout writes the item analysis of qbank analyze as text (a
// report for people: forms, then flagged items with their distractor
// tables, then the rest), JSON (FORMAT.md's "Item analysis" shape) or CSV
// (one row per item revision).
package analysisout

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/finding"
)

// Meta is what the report says about the run besides the statistics.
type Meta struct {
	// Simulated: every attempt analysed was simulated.
	Simulated bool
	// Attempts analysed, Retakes left out by --attempts first.
	Attempts, Retakes int
	// Matrix names the matrix file when the data came from one.
	Matrix string
}

// Write writes rep in format text, json or csv.
func Write(w io.Writer, format string, rep *analysis.Report, m Meta) error {
	switch format {
	case "json":
		return WriteJSON(w, rep)
	case "csv":
		return WriteCSV(w, rep)
	case "text":
		return WriteText(w, rep, m)
	}
	return fmt.Errorf("unknown format %q; use text, json or csv", format)
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep *analysis.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// CSVHeader is the header row of WriteCSV.
var CSVHeader = []string{"id", "revision", "role", "forms", "responses", "p_value", "point_biserial", "omitted",
	"b", "se", "infit", "outfit", "anchored", "flags"}

// WriteCSV writes one row per item revision; forms and flags are joined
// with spaces, Rasch columns are empty for an item not calibrated.
func WriteCSV(w io.Writer, rep *analysis.Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, it := range rep.Items {
		row := []string{it.ID, strconv.Itoa(it.Revision), it.Role, strings.Join(it.Forms, " "), strconv.Itoa(it.Responses),
			num(it.PValue), num(it.PointBiserial), num(it.Omitted), "", "", "", "", "", strings.Join(it.Flags, " ")}
		if r := it.Rasch; r != nil {
			row[8], row[9], row[10], row[11], row[12] = num(r.B), num(r.SE), num(r.Infit), num(r.Outfit), strconv.FormatBool(r.Anchored)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// WriteText writes the report for people.
func WriteText(w io.Writer, rep *analysis.Report, m Meta) error {
	ew := &errWriter{w: w}
	writeHeadline(ew, rep, m)
	writeForms(ew, rep)
	writeCalibration(ew, rep)
	var flagged, clean []analysis.ItemReport
	for _, it := range rep.Items {
		if len(it.Flags) > 0 {
			flagged = append(flagged, it)
		} else {
			clean = append(clean, it)
		}
	}
	fmt.Fprintf(ew, "\nFlagged items (%d)\n", len(flagged))
	for _, it := range flagged {
		writeFlagged(ew, it)
	}
	fmt.Fprintf(ew, "\nOther items (%d)\n", len(clean))
	if len(clean) > 0 {
		writeItemTable(ew, clean)
	}
	return ew.err
}

func writeHeadline(w io.Writer, rep *analysis.Report, m Meta) {
	src := "responses"
	if m.Matrix != "" {
		src = "0/1 matrix " + m.Matrix
	}
	fmt.Fprintf(w, "Item analysis of %s: %s, %s, %s, %s", src, finding.Plural(m.Attempts, "attempt"), finding.Plural(len(rep.Forms), "form"),
		finding.Plural(len(rep.Items), "item revision"), finding.Plural(rep.Rejected, "rejected record"))
	if m.Retakes > 0 {
		fmt.Fprintf(w, ", %s left out (--attempts first)", finding.Plural(m.Retakes, "retake"))
	}
	fmt.Fprintln(w)
	if m.Simulated {
		fmt.Fprintln(w, "SIMULATED DATA (qbank simulate): for demonstrations and tests only, not evidence about real candidates.")
	}
}

func writeForms(w io.Writer, rep *analysis.Report) {
	fmt.Fprintln(w, "\nForms")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "bundle\tform\tattempts\tmean\tsd\tKR-20\tSEM\t")
	for _, f := range rep.Forms {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t%.2f\t%.3f\t%.2f\t\n", dash(f.Bundle), f.Form, f.Attempts, f.Mean, f.SD, f.KR20, f.SEM)
	}
	tw.Flush()
	for _, f := range rep.Forms {
		writeAlphaIfDeleted(w, f)
	}
}

// writeAlphaIfDeleted names the scored items of a form whose removal
// would raise its KR-20 (alpha if item deleted above KR-20).
func writeAlphaIfDeleted(w io.Writer, f analysis.FormReport) {
	var raise []string
	for _, a := range f.AlphaIfDeleted {
		if a.Alpha > f.KR20 {
			raise = append(raise, fmt.Sprintf("%s %.3f", a.ID, a.Alpha))
		}
	}
	if len(raise) > 0 {
		fmt.Fprintf(w, "  %s: KR-20 would rise without %s\n", formName(f), strings.Join(raise, ", "))
	}
}

func formName(f analysis.FormReport) string {
	if f.Bundle == "" {
		return f.Form
	}
	return f.Form + " (" + f.Bundle + ")"
}

func writeCalibration(w io.Writer, rep *analysis.Report) {
	switch c := rep.Calibration; {
	case rep.CalibrationError != "":
		fmt.Fprintf(w, "\nRasch calibration not done: %s\n", rep.CalibrationError)
	case c == nil:
		fmt.Fprintln(w, "\nRasch calibration not done.")
	default:
		scale := "no anchors, so the scored items' b sum to zero"
		if c.Anchored > 0 {
			scale = fmt.Sprintf("%d anchored at their stats.yaml b (the bank scale)", c.Anchored)
		}
		fmt.Fprintf(w, "\nRasch calibration (%s model, %s): %d items, %s; %d persons with a score neither zero nor perfect; %d iterations; log-likelihood %.1f\n",
			c.Model, strings.ToUpper(c.Method), c.Items, scale, c.Persons, c.Iterations, c.LogLik)
	}
}

// writeFlagged writes an item's statistics, flags and distractor table.
func writeFlagged(w io.Writer, it analysis.ItemReport) {
	fmt.Fprintf(w, "\n%s revision %d (%s; %s): %d responses, p %.3f, point-biserial %.3f, omitted %.3f%s\n",
		it.ID, it.Revision, it.Role, strings.Join(it.Forms, ", "), it.Responses, it.PValue, it.PointBiserial, it.Omitted, rasch(it.Rasch))
	fmt.Fprintf(w, "  flags: %s\n", strings.Join(it.Flags, ", "))
	if len(it.Options) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  option\tkey\tshare\tmean score\tpoint-biserial\t")
	for _, o := range it.Options {
		key := ""
		if o.Key {
			key = "*"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%.3f\t%.2f\t%.3f\t\n", o.Letter, key, o.Share, o.MeanScore, o.PointBiserial)
	}
	tw.Flush()
}

func rasch(r *analysis.RaschItem) string {
	if r == nil {
		return ", not calibrated"
	}
	if r.Anchored {
		return fmt.Sprintf(", b %.3f (anchored)", r.B)
	}
	return fmt.Sprintf(", b %.3f (SE %.3f), infit %.2f, outfit %.2f", r.B, r.SE, r.Infit, r.Outfit)
}

func writeItemTable(w io.Writer, items []analysis.ItemReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "item\trev\trole\tresponses\tp\tpt-bis\tomitted\tb\tSE\tinfit\toutfit\t")
	for _, it := range items {
		b, se, in, out := "-", "-", "-", "-"
		if r := it.Rasch; r != nil {
			b, se, in, out = fmt.Sprintf("%.3f", r.B), fmt.Sprintf("%.3f", r.SE), fmt.Sprintf("%.2f", r.Infit), fmt.Sprintf("%.2f", r.Outfit)
			if r.Anchored {
				se = "anchor"
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t%s\t\n", it.ID, it.Revision, it.Role, it.Responses,
			it.PValue, it.PointBiserial, it.Omitted, b, se, in, out)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}
