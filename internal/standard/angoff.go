package standard

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// OutlierGap is how far, in probability, a rating may lie from the mean
// of the other raters' ratings of the same item before the panel report
// lists it as far from the panel.
const OutlierGap = 0.3

// Rating is one line of a modified-Angoff panel file: the probability
// rater gives that a minimally competent candidate answers item correctly.
type Rating struct {
	Rater  string
	Item   string
	Rating float64
	Line   int
}

// Panel is a modified-Angoff panel file.
type Panel struct {
	File    string
	Ratings []Rating
}

// ReadPanel reads a panel CSV with the header rater,item,rating (in any
// column order; other columns are ignored). Every bad line is an error of
// the form "file:line: message"; the good lines are kept, so one call
// reports every problem.
func ReadPanel(r io.Reader, file string) (*Panel, []error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	p := &Panel{File: file}
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
	}
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return p, []error{fmt.Errorf("%s:1: empty file; want the header rater,item,rating", file)}
		}
		return p, []error{fmt.Errorf("%s: %v", file, err)}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, name := range []string{"rater", "item", "rating"} {
		if _, ok := col[name]; !ok {
			return p, []error{fmt.Errorf("%s:1: the header lacks column %q; want rater,item,rating", file, name)}
		}
	}
	seen := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad(pe.Line, "%v", pe.Err)
				continue
			}
			return p, append(errs, fmt.Errorf("%s: %v", file, err))
		}
		if len(rec) == 0 {
			continue
		}
		line, _ := cr.FieldPos(0) // only valid for a record read without error
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		rt := Rating{Rater: get("rater"), Item: get("item"), Line: line}
		v, perr := strconv.ParseFloat(get("rating"), 64)
		switch {
		case rt.Rater == "" || rt.Item == "":
			bad(line, "rater and item must both be given")
			continue
		case perr != nil || math.IsNaN(v) || v < 0 || v > 1:
			bad(line, "rating %q is not a probability between 0 and 1 (the chance that a minimally competent candidate answers %s correctly)", get("rating"), rt.Item)
			continue
		}
		rt.Rating = v
		key := [2]string{rt.Rater, rt.Item}
		if first, dup := seen[key]; dup {
			bad(line, "rater %s already rated %s on line %d; each rater rates an item once", rt.Rater, rt.Item, first)
			continue
		}
		seen[key] = line
		p.Ratings = append(p.Ratings, rt)
	}
	return p, errs
}

// RaterCut is one rater's raw cut: the sum of their ratings of the form's
// scored items (only when they rated every one).
type RaterCut struct {
	Rater string
	Cut   float64
	// Rated counts the form's scored items the rater rated.
	Rated int
}

// Outlier is a rating far from the rest of the panel.
type Outlier struct {
	Rating
	// Others is the mean rating of the same item by the other raters.
	Others float64
}

// Analysis is a panel's result on a form.
type Analysis struct {
	// Cut is the panel's raw cut: the sum over the form's scored items of
	// the mean rating.
	Cut float64
	// Raters are the raters' own cuts, sorted by rater.
	Raters []RaterCut
	// Min, Max and SD describe the cuts of the raters who rated every
	// scored item; SE is SD / sqrt(their number).
	Min, Max, SD, SE float64
	Complete         int
	Outliers         []Outlier
	// Ignored are ratings of items that are not scored items of the form.
	Ignored []Rating
}

// Analyze computes the panel's cut on a form with the given scored items.
// Every scored item needs at least one rating.
func (p *Panel) Analyze(scored []string) (*Analysis, error) {
	onForm := map[string]bool{}
	for _, id := range scored {
		onForm[id] = true
	}
	byItem := map[string][]Rating{}
	byRater := map[string]*RaterCut{}
	a := &Analysis{}
	for _, r := range p.Ratings {
		if !onForm[r.Item] {
			a.Ignored = append(a.Ignored, r)
			continue
		}
		byItem[r.Item] = append(byItem[r.Item], r)
		rc := byRater[r.Rater]
		if rc == nil {
			rc = &RaterCut{Rater: r.Rater}
			byRater[r.Rater] = rc
		}
		rc.Cut += r.Rating
		rc.Rated++
	}
	var missing []string
	for _, id := range scored {
		rs := byItem[id]
		if len(rs) == 0 {
			missing = append(missing, id)
			continue
		}
		sum := 0.0
		for _, r := range rs {
			sum += r.Rating
		}
		a.Cut += sum / float64(len(rs))
		if len(rs) < 2 {
			continue
		}
		for _, r := range rs {
			others := (sum - r.Rating) / float64(len(rs)-1)
			if math.Abs(r.Rating-others) >= OutlierGap {
				a.Outliers = append(a.Outliers, Outlier{Rating: r, Others: others})
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: no rating for %d scored items of the form (%s); every scored item needs ratings", p.File, len(missing), strings.Join(missing, ", "))
	}
	var cuts []float64
	for _, rc := range byRater {
		a.Raters = append(a.Raters, *rc)
		if rc.Rated == len(scored) {
			cuts = append(cuts, rc.Cut)
		}
	}
	sort.Slice(a.Raters, func(i, j int) bool { return a.Raters[i].Rater < a.Raters[j].Rater })
	sort.Slice(a.Outliers, func(i, j int) bool { return a.Outliers[i].Line < a.Outliers[j].Line })
	a.Complete = len(cuts)
	if len(cuts) > 0 {
		a.Min, a.Max = cuts[0], cuts[0]
		mean := 0.0
		for _, c := range cuts {
			a.Min, a.Max = math.Min(a.Min, c), math.Max(a.Max, c)
			mean += c
		}
		mean /= float64(len(cuts))
		if len(cuts) > 1 {
			ss := 0.0
			for _, c := range cuts {
				ss += (c - mean) * (c - mean)
			}
			a.SD = math.Sqrt(ss / float64(len(cuts)-1))
			a.SE = a.SD / math.Sqrt(float64(len(cuts)))
		}
	}
	return a, nil
}
