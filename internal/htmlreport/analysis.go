package htmlreport

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/analysisout"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/irt"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/svgchart"
)

// AnalysisInput is what the item analysis page shows.
type AnalysisInput struct {
	Report *analysis.Report
	// Dataset is what was analysed (raw score distributions come from it).
	Dataset *analysis.Dataset
	// Forms are the bundles' forms: cut scores, conversion tables, item
	// difficulties, stems and options (nil for a 0/1 matrix).
	Forms      []*responses.Form
	Meta       analysisout.Meta
	Thresholds analysis.Thresholds
}

type analysisView struct {
	Headline    string
	Simulated   bool
	Calibration string
	Forms       []formView
	Scatter     Figure
	Specs       []specView
	Flagged     []itemView
	Others      []itemView
}

type formView struct {
	Bundle, Form             string
	Attempts                 int
	Mean, SD, KR20, SEM      float64
	CutRaw, Max              int // CutRaw -1: unknown
	PassRate                 float64
	Provisional              bool
	Distribution, Conversion *Figure
}

type specView struct {
	Bundle, Spec, Title string
	TCC, Info           Figure
}

type itemView struct {
	Anchor   string
	R        analysis.ItemReport
	Stem     template.HTML
	Options  []optionView
	Trace    *Figure
	Curve    *Figure
	Anchored bool
}

type optionView struct {
	Letter string
	Text   template.HTML
	Key    bool
	Stat   *analysis.OptionReport
}

// WriteAnalysis writes the item analysis page.
func WriteAnalysis(w io.Writer, in AnalysisInput) error {
	md := NewMarkdown()
	v := analysisView{Simulated: in.Meta.Simulated, Calibration: calibrationText(in.Report)}
	src := "responses"
	if in.Meta.Matrix != "" {
		src = "the 0/1 matrix " + in.Meta.Matrix
	}
	v.Headline = fmt.Sprintf("%d attempts, %d forms, %d item revisions, %d rejected records", in.Meta.Attempts, len(in.Report.Forms), len(in.Report.Items), in.Report.Rejected)
	if in.Meta.Retakes > 0 {
		v.Headline += fmt.Sprintf(", %d retakes left out (first attempts only)", in.Meta.Retakes)
	}
	v.Forms = formViews(in)
	v.Scatter = scatter(in.Report, in.Thresholds)
	v.Specs = specViews(in.Forms)
	content := itemContent(in.Forms)
	for i, it := range in.Report.Items {
		iv := itemViewOf(md, it, content[it.ID+"@"+strconv.Itoa(it.Revision)], i)
		if len(it.Flags) > 0 {
			v.Flagged = append(v.Flagged, iv)
		} else {
			v.Others = append(v.Others, iv)
		}
	}
	return execute(w, "analysis", "Item analysis of "+src, "from "+src, v, nil)
}

func calibrationText(rep *analysis.Report) string {
	switch c := rep.Calibration; {
	case rep.CalibrationError != "":
		return "Rasch calibration not done: " + rep.CalibrationError
	case c == nil:
		return "Rasch calibration not done."
	default:
		scale := "the free items' b sum to zero"
		if c.Anchored > 0 {
			scale = fmt.Sprintf("%d anchors hold the bank scale", c.Anchored)
		}
		return fmt.Sprintf("Rasch calibration (%s, %s): %d items, %s; %d persons with a score that is neither zero nor perfect; %d iterations; log-likelihood %.1f.",
			c.Model, strings.ToUpper(c.Method), c.Items, scale, c.Persons, c.Iterations, c.LogLik)
	}
}

// formViews gives each form its summary, its score distribution with the
// cut and its conversion chart.
func formViews(in AnalysisInput) []formView {
	byName := map[[2]string]*responses.Form{}
	for _, f := range in.Forms {
		byName[[2]string{f.Bundle, f.Form}] = f
	}
	counts := rawCounts(in.Dataset)
	var out []formView
	for _, fr := range in.Report.Forms {
		fv := formView{Bundle: fr.Bundle, Form: fr.Form, Attempts: fr.Attempts, Mean: fr.Mean, SD: fr.SD, KR20: fr.KR20, SEM: fr.SEM, CutRaw: -1}
		rf := byName[[2]string{fr.Bundle, fr.Form}]
		var ks *bundle.KeyScale
		if rf != nil && rf.Key != nil && rf.Key.Scale != nil {
			ks = rf.Key.Scale
			fv.CutRaw, fv.Provisional = ks.CutRaw, ks.Provisional
		}
		hist := counts[[2]string{fr.Bundle, fr.Form}]
		fv.Max = len(hist) - 1
		passed := 0
		for raw, n := range hist {
			if fv.CutRaw >= 0 && raw >= fv.CutRaw {
				passed += n
			}
		}
		if fr.Attempts > 0 {
			fv.PassRate = float64(passed) / float64(fr.Attempts)
		}
		id := safeID(fr.Bundle + "-" + fr.Form)
		d := distribution("dist-"+id, fr.Form, hist, fv.CutRaw)
		fv.Distribution = &d
		if ks != nil {
			c := conversion("conv-"+id, fr.Form, ks)
			fv.Conversion = &c
		}
		out = append(out, fv)
	}
	return out
}

// rawCounts counts the attempts per raw score (scored items) of each
// form, keyed by bundle and form id; the slice runs 0..scored items.
func rawCounts(d *analysis.Dataset) map[[2]string][]int {
	out := map[[2]string][]int{}
	if d == nil {
		return out
	}
	scored := make([]int, len(d.Forms))
	for i, f := range d.Forms {
		for _, s := range f.Slots {
			if s.Role == analysis.RoleScored {
				scored[i]++
			}
		}
		out[[2]string{f.Bundle, f.Form}] = make([]int, scored[i]+1)
	}
	for _, a := range d.Attempts {
		f := d.Forms[a.Form]
		raw := 0
		for j, r := range a.Responses {
			if j < len(f.Slots) && f.Slots[j].Role == analysis.RoleScored && r.Correct {
				raw++
			}
		}
		out[[2]string{f.Bundle, f.Form}][raw]++
	}
	return out
}

func distribution(id, form string, hist []int, cut int) Figure {
	c := svgchart.Chart{ID: id, Kind: svgchart.Bar, Title: "Raw score distribution of " + form,
		Desc:   "Attempts per raw score on the scored items" + cutDesc(cut),
		XLabel: "raw score", YLabel: "attempts", XDecimals: -1, YDecimals: -1, XMin: 0, XMax: float64(len(hist))}
	all := svgchart.Series{Name: "attempts"}
	pass := svgchart.Series{Name: "passing scores"}
	for raw, n := range hist {
		all.Points = append(all.Points, svgchart.Point{X: float64(raw), Y: float64(n)})
		if cut >= 0 && raw >= cut {
			pass.Points = append(pass.Points, svgchart.Point{X: float64(raw)})
		}
	}
	c.Series = []svgchart.Series{all}
	if cut >= 0 {
		c.Series = append(c.Series, pass)
		c.RefX = []svgchart.Ref{{Value: float64(cut), Label: "cut " + strconv.Itoa(cut)}}
	}
	return figure(c, "Bars from the cut up are passing scores.", nil)
}

func cutDesc(cut int) string {
	if cut < 0 {
		return "; the cut score is not known."
	}
	return fmt.Sprintf("; the cut is a raw score of %d: bars from the cut up pass.", cut)
}

func conversion(id, form string, ks *bundle.KeyScale) Figure {
	c := svgchart.Chart{ID: id, Kind: svgchart.Line, Title: "Raw to scaled score conversion of " + form,
		Desc:   fmt.Sprintf("Scaled score (%d-%d) for each raw score; %d passes, which a raw score of %d reaches.", ks.Min, ks.Max, ks.Pass, ks.CutRaw),
		XLabel: "raw score", YLabel: "scaled score", YMin: float64(ks.Min), YMax: float64(ks.Max), XDecimals: -1, YDecimals: -1,
		RefY: []svgchart.Ref{{Value: float64(ks.Pass), Label: strconv.Itoa(ks.Pass) + " to pass"}}}
	s := svgchart.Series{Name: "scaled score"}
	t := svgchart.Table{Head: []string{"raw score", "theta", "SE (logits)", "scaled score", "pass"}}
	for _, r := range ks.Table {
		s.Points = append(s.Points, svgchart.Point{X: float64(r.Raw), Y: float64(r.Scaled)})
		pass := "no"
		if r.Pass {
			pass = "yes"
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(r.Raw), strconv.FormatFloat(r.Theta, 'f', 3, 64), strconv.FormatFloat(r.SE, 'f', 3, 64), strconv.Itoa(r.Scaled), pass})
	}
	c.Series = []svgchart.Series{s}
	if ks.CutRaw >= 0 {
		c.RefX = []svgchart.Ref{{Value: float64(ks.CutRaw), Label: "cut " + strconv.Itoa(ks.CutRaw)}}
	}
	return figure(c, "The conversion table: each raw score's scaled score.", &t)
}

// scatter plots every item's p-value against its corrected
// point-biserial; flagged items are filled and labelled.
func scatter(rep *analysis.Report, th analysis.Thresholds) Figure {
	c := svgchart.Chart{ID: "scatter", Kind: svgchart.Scatter, Title: "Difficulty and discrimination of every item",
		Desc:   "p-value (share correct) against corrected point-biserial, one point per item revision; flagged items are filled and labelled (where labels would overlap, the table names them).",
		XLabel: "p-value", YLabel: "corrected point-biserial", XMin: 0, XMax: 1, XDecimals: 3, YDecimals: 3}
	ok := svgchart.Series{Name: "items"}
	flagged := svgchart.Series{Name: "flagged items", Emphasis: true, Labels: true}
	lo, hi := -0.2, 0.8
	for _, it := range rep.Items {
		p := svgchart.Point{X: it.PValue, Y: it.PointBiserial, Label: it.ID}
		lo, hi = math.Min(lo, math.Floor(it.PointBiserial*5)/5), math.Max(hi, math.Ceil(it.PointBiserial*5)/5)
		if len(it.Flags) > 0 {
			flagged.Points = append(flagged.Points, p)
		} else {
			ok.Points = append(ok.Points, p)
		}
	}
	c.YMin, c.YMax = lo, hi
	c.Series = []svgchart.Series{ok, flagged}
	if th.LowDiscrimination != 0 {
		c.RefY = []svgchart.Ref{{Value: th.LowDiscrimination, Label: "low discrimination below " + strconv.FormatFloat(th.LowDiscrimination, 'f', -1, 64)}}
	}
	return figure(c, "Items low on the chart discriminate poorly; items far right are very easy.", nil)
}

// specViews draws, per bundle and form spec, the test characteristic
// curves and information curves of its forms on one chart each.
func specViews(forms []*responses.Form) []specView {
	type key struct{ bundle, spec string }
	groups := map[key][]*responses.Form{}
	var keys []key
	titles := map[key]string{}
	for _, f := range forms {
		if f.Key == nil || f.Manifest == nil || f.Key.Scale == nil {
			continue
		}
		k := key{f.Bundle, f.Form}
		for _, mf := range f.Manifest.Forms {
			if mf.Form == f.Form {
				k.spec, titles[key{f.Bundle, mf.Spec}] = mf.Spec, mf.Title
			}
		}
		if _, seen := groups[k]; !seen {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].bundle != keys[j].bundle {
			return keys[i].bundle < keys[j].bundle
		}
		return keys[i].spec < keys[j].spec
	})
	var out []specView
	for _, k := range keys {
		id := safeID(k.bundle + "-" + k.spec)
		tcc, info := curves(groups[k])
		out = append(out, specView{Bundle: k.bundle, Spec: k.spec, Title: titles[k],
			TCC: figure(svgchart.Chart{ID: "tcc-" + id, Kind: svgchart.Line, Title: "Test characteristic curves, spec " + k.spec,
				Desc:   "Expected raw score on the scored items at each ability (theta, logits), one curve per form; the dashed line is the cut.",
				XLabel: "theta (logits)", YLabel: "expected raw score", XMin: -4, XMax: 4, Series: tcc, RefX: cutRef(groups[k])},
				"Parallel forms have curves that lie on top of each other, above all near the cut.", nil),
			Info: figure(svgchart.Chart{ID: "info-" + id, Kind: svgchart.Line, Title: "Test information curves, spec " + k.spec,
				Desc:   "Test information (the inverse of the squared standard error) at each ability, one curve per form.",
				XLabel: "theta (logits)", YLabel: "information", XMin: -4, XMax: 4, Series: info, RefX: cutRef(groups[k])},
				"Where information is high the forms measure precisely; it should peak near the cut.", nil),
		})
	}
	return out
}

func cutRef(forms []*responses.Form) []svgchart.Ref {
	return []svgchart.Ref{{Value: forms[0].Key.Scale.ThetaCut, Label: "cut"}}
}

func curves(forms []*responses.Form) (tcc, info []svgchart.Series) {
	for _, f := range forms {
		var bs []float64
		for _, ki := range f.Key.Items {
			if ki.B != nil && ki.Role == analysis.RoleScored {
				bs = append(bs, *ki.B)
			}
		}
		t := svgchart.Series{Name: f.Form}
		in := svgchart.Series{Name: f.Form}
		for i := 0; i <= 32; i++ {
			th := -4 + float64(i)*0.25
			t.Points = append(t.Points, svgchart.Point{X: th, Y: irt.TCC(th, bs)})
			in.Points = append(in.Points, svgchart.Point{X: th, Y: irt.Information(th, bs)})
		}
		tcc, info = append(tcc, t), append(info, in)
	}
	return tcc, info
}

// content is an item's text from a bundle.
type content struct {
	cand bundle.CandidateItem
	key  bundle.KeyItem
}

// itemContent maps "ID@revision" to the item's text in the first form
// that has it.
func itemContent(forms []*responses.Form) map[string]content {
	out := map[string]content{}
	for _, f := range forms {
		if f.Key == nil || f.Candidate == nil || len(f.Candidate.Items) != len(f.Key.Items) {
			continue
		}
		for i, ki := range f.Key.Items {
			k := ki.ID + "@" + strconv.Itoa(ki.Revision)
			if _, ok := out[k]; !ok {
				out[k] = content{cand: f.Candidate.Items[i], key: ki}
			}
		}
	}
	return out
}

func itemViewOf(md *Markdown, it analysis.ItemReport, ct content, i int) itemView {
	id := safeID(fmt.Sprintf("item-%d-%s-%d", i, it.ID, it.Revision))
	v := itemView{Anchor: id, R: it, Anchored: it.Rasch != nil && it.Rasch.Anchored}
	if ct.cand.Stem != "" {
		v.Stem = md.Render(ct.cand.Stem)
	}
	stats := map[string]*analysis.OptionReport{}
	for j := range it.Options {
		stats[it.Options[j].Letter] = &it.Options[j]
	}
	for _, o := range ct.cand.Options {
		ov := optionView{Letter: o.Letter, Text: md.Render(o.Text), Stat: stats[o.Letter]}
		for _, k := range ct.key.Key {
			ov.Key = ov.Key || k == o.Letter
		}
		v.Options = append(v.Options, ov)
	}
	if it.Trace != nil && len(it.Trace.Groups) > 0 && len(it.Options) > 0 {
		f := trace(id, it)
		v.Trace = &f
	}
	if len(it.Curve) > 0 {
		f := itemCurve(id, it)
		v.Curve = &f
	}
	return v
}

func trace(id string, it analysis.ItemReport) Figure {
	c := svgchart.Chart{ID: "trace-" + id, Kind: svgchart.Line, Title: "Option trace of " + it.ID,
		Desc:   "Share of each score group (low to high total score) choosing each option; the key is the thick line, omits are dashed. A key that rises and distractors that fall is a working item.",
		XLabel: "score group (low to high)", YLabel: "share choosing", XMin: 1, XMax: float64(len(it.Trace.Groups)), YMin: 0, YMax: 1, XDecimals: -1}
	if c.XMax == c.XMin {
		c.XMax++
	}
	for j, o := range it.Options {
		s := svgchart.Series{Name: o.Letter, Emphasis: o.Key}
		if o.Key {
			s.Name += " (key)"
		}
		for g, tg := range it.Trace.Groups {
			if j < len(tg.Shares) {
				s.Points = append(s.Points, svgchart.Point{X: float64(g + 1), Y: tg.Shares[j]})
			}
		}
		c.Series = append(c.Series, s)
	}
	om := svgchart.Series{Name: "omitted", Dashed: true}
	for g, tg := range it.Trace.Groups {
		if len(tg.Shares) > len(it.Options) {
			om.Points = append(om.Points, svgchart.Point{X: float64(g + 1), Y: tg.Shares[len(it.Options)]})
		}
	}
	if len(om.Points) > 0 {
		c.Series = append(c.Series, om)
	}
	t := c.Table()
	t.Head = append(t.Head[:1:1], append([]string{"scores", "responses"}, t.Head[1:]...)...)
	for g := range t.Rows {
		tg := it.Trace.Groups[g]
		rng := fmt.Sprintf("%g-%g", tg.MinScore, tg.MaxScore)
		t.Rows[g] = append(t.Rows[g][:1:1], append([]string{rng, strconv.Itoa(tg.N)}, t.Rows[g][1:]...)...)
	}
	return figure(c, "Option trace: the key should rise from left to right.", &t)
}

func itemCurve(id string, it analysis.ItemReport) Figure {
	c := svgchart.Chart{ID: "curve-" + id, Kind: svgchart.Line, Title: "Empirical and Rasch item curve of " + it.ID,
		Desc:   "Observed proportion correct in each score group against the Rasch model's probability at the group's mean ability.",
		XLabel: "mean theta of the score group (logits)", YLabel: "proportion correct", YMin: 0, YMax: 1}
	obs := svgchart.Series{Name: "observed", Emphasis: true}
	mod := svgchart.Series{Name: "Rasch model", Dashed: true}
	t := svgchart.Table{Head: []string{"mean theta", "responses", "observed", "Rasch model"}}
	for _, p := range it.Curve {
		obs.Points = append(obs.Points, svgchart.Point{X: p.MeanTheta, Y: p.Observed})
		mod.Points = append(mod.Points, svgchart.Point{X: p.MeanTheta, Y: p.Model})
		t.Rows = append(t.Rows, []string{strconv.FormatFloat(p.MeanTheta, 'f', 2, 64), strconv.Itoa(p.N), strconv.FormatFloat(p.Observed, 'f', 3, 64), strconv.FormatFloat(p.Model, 'f', 3, 64)})
	}
	c.Series = []svgchart.Series{obs, mod}
	return figure(c, "Observed against model: the closer the two lines, the better the item fits.", &t)
}
