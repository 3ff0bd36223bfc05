package htmlreport

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/scorereport"
)

// Hostile is item and response text that would run code if it reached
// the page unescaped.
const hostile = "Which? <script>alert(1)</script> \"><img src=x onerror=alert(2)> [x](javascript:alert(3)) ![y](https://example.com/t.png)"

func hostileItem() *bank.Item {
	return &bank.Item{ID: "SEC-0001", Revision: 1, Domain: "security", Task: "2.1", Type: "single", Stem: hostile,
		Options:     []bank.Option{{Text: hostile, Correct: true, Why: hostile}, {Text: "<b>plain</b>", Why: "no"}},
		Explanation: hostile, References: []string{"javascript:alert(4)", "https://docs.aws.amazon.com/x\"><script>"}}
}

// checkInert fails when the page holds anything that could run or load:
// a script element, an element with an on* handler, an img, a javascript:
// URL, or any external resource other than plain links.
func checkInert(t *testing.T, page string) {
	t.Helper()
	for _, p := range activeParts(page) {
		t.Errorf("%s", p)
	}
}

func activeParts(page string) []string {
	var out []string
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script`),
		regexp.MustCompile(`(?i)<img`),
		regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)(href|src)\s*=\s*"\s*javascript:`),
		regexp.MustCompile(`(?i)<(link|iframe|object|embed|video|audio|source)\b`),
		regexp.MustCompile(`(?i)<[a-z][^>]*\ssrc\s*=`),
		regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=\s*["'][^"']*url\(`),
	} {
		if loc := bad.FindStringIndex(page); loc != nil {
			lo, hi := max(loc[0]-120, 0), min(loc[1]+120, len(page))
			out = append(out, fmt.Sprintf("page matches %s: ...%s...", bad, page[lo:hi]))
		}
	}
	return out
}

// TestActiveParts: the check finds what it looks for.
func TestActiveParts(t *testing.T) {
	for _, page := range []string{"<script>x</script>", `<p onclick="x">`, `<img alt="">`, `<a href="javascript:x">`,
		`<link rel="stylesheet" href="x.css">`, `<svg><image src="x"/></svg>`, `<p style="background:url(x)">`} {
		if len(activeParts(page)) == 0 {
			t.Errorf("%s not found active", page)
		}
	}
	if p := activeParts(`<p>&lt;script&gt; &lt;img src=x onerror=y&gt;</p>`); len(p) > 0 {
		t.Errorf("escaped text found active: %v", p)
	}
}

func TestPreviewEscapes(t *testing.T) {
	for _, key := range []bool{false, true} {
		var b bytes.Buffer
		err := WritePreview(&b, PreviewInput{Exam: "<script>x</script>", Key: key,
			Sections: []PreviewSection{{Heading: "<script>h</script>", Items: []PreviewItem{{Item: hostileItem()}, {Item: hostileItem(), Position: 2}}}}})
		if err != nil {
			t.Fatal(err)
		}
		page := b.String()
		checkInert(t, page)
		if !strings.Contains(page, "&lt;b&gt;plain&lt;/b&gt;") && !strings.Contains(page, "<!-- raw HTML omitted -->") {
			t.Errorf("raw HTML in an option neither escaped nor omitted")
		}
		if !strings.Contains(page, "[image: y &lt;https://example.com/t.png&gt;]") {
			t.Errorf("the image is not shown as text")
		}
		if key != strings.Contains(page, "Contains the answer keys") {
			t.Errorf("key %v: the keys banner is wrong", key)
		}
		if key && !strings.Contains(page, `<a href="https://docs.aws.amazon.com/x%22%3e%3cscript%3e">`) {
			t.Errorf("the reference link is not escaped as a URL")
		}
		if n := strings.Count(page, ` printbreak"`); n != 1 {
			t.Errorf("%d items break the printed page, want 1 (between the two items)", n)
		}
	}
}

func scoreReport(candidate string, pass, provisional, diagnostic bool) scorereport.Report {
	return scorereport.Report{Attempt: "a<1>", Candidate: candidate, Bundle: "1.0.0", Form: "F", Raw: 7, Max: 10, Scaled: 720, SE: 60,
		Band: [2]int{660, 780}, Pass: pass, Provisional: provisional, Diagnostic: diagnostic,
		Scale: scorereport.ScaleInfo{Min: 100, Max: 1000, Pass: 700}, Title: "Diag",
		Domains: []scorereport.DomainResult{{ID: "security", Name: "Security <b>", Correct: 1, Items: 3, Level: scorereport.NeedsImprovement},
			{ID: "tech", Name: "Tech", Correct: 6, Items: 7, Level: scorereport.Meets}},
		Weakest: scorereport.Weakest{Domain: "security", Probability: 0.45},
		Study: []scorereport.StudyTask{{Task: "2.1", Title: "Shared responsibility", Domain: "security", Missed: 2,
			References:   []string{"https://aws.amazon.com/compliance/shared-responsibility-model/", "javascript:alert(1)"},
			Explanations: []scorereport.Explanation{{Position: 3, Text: hostile}}}}}
}

func TestScores(t *testing.T) {
	var b bytes.Buffer
	if err := WriteScores(&b, []scorereport.Report{scoreReport(hostile, true, true, true), scoreReport("c2", false, false, false)}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	checkInert(t, page)
	for _, want := range []string{
		"PASS · 720", "FAIL · 720", "Provisional:", "This was a 10-question diagnostic.",
		"uncertain: 45 % probability that it is your weakest, against 50 % for a guess among 2 domains",
		`<a href="https://aws.amazon.com/compliance/shared-responsibility-model/">`, "<li>javascript:alert(1)</li>",
		"Security &lt;b&gt;", `<title id="gauge-0-t">Scaled score 720 on the 100-1000 scale</title>`, ">700 to pass<",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<section class="page">`); n != 2 {
		t.Errorf("%d pages, want one per attempt (2)", n)
	}
	if n := strings.Count(page, "Provisional:"); n != 1 {
		t.Errorf("%d provisional notes, want 1", n)
	}
}

func TestAnalysis(t *testing.T) {
	b := 0.3
	key := &bundle.KeyForm{Form: "F", Bundle: "1.0.0", Scale: &bundle.KeyScale{Min: 100, Max: 1000, Pass: 700, CutRaw: 1, ThetaCut: 0.2,
		Table: []bundle.TableRow{{Raw: 0, Scaled: 100}, {Raw: 1, Scaled: 700, Pass: true}}},
		Items: []bundle.KeyItem{{Position: 1, ID: "SEC-0001", Revision: 1, Role: "scored", Key: []string{"A"}, B: &b}}}
	cand := &bundle.CandidateForm{Form: "F", Items: []bundle.CandidateItem{{Position: 1, Stem: hostile,
		Options: []bundle.CandidateOption{{Letter: "A", Text: hostile}, {Letter: "B", Text: "no"}}}}}
	man := &bundle.Manifest{Version: "1.0.0", Forms: []bundle.ManifestForm{{Form: "F", Spec: "full", Title: "<i>Full</i>"}}}
	form := &responses.Form{Bundle: "1.0.0", Form: "F", Key: key, Candidate: cand, Manifest: man}
	d := &analysis.Dataset{Forms: []analysis.Form{{Form: "F", Bundle: "1.0.0", Slots: []analysis.Slot{{Item: 0, Role: "scored"}}}}}
	for i := 0; i < 4; i++ {
		d.Attempts = append(d.Attempts, analysis.Attempt{Form: 0, Responses: []analysis.Response{{Presented: true, Correct: i%2 == 0}}})
	}
	rep := &analysis.Report{
		Forms: []analysis.FormReport{{Form: "F", Bundle: "1.0.0", Attempts: 4, Mean: 0.5}},
		Items: []analysis.ItemReport{{ID: "SEC-0001", Revision: 1, Role: "scored", Forms: []string{"F"}, Responses: 4, PValue: 0.5, PointBiserial: 0.1,
			Options: []analysis.OptionReport{{Letter: "A", Key: true, Share: 0.5}, {Letter: "B", Share: 0.5}},
			Flags:   []string{"low-discrimination"},
			Trace:   &analysis.Trace{Groups: []analysis.TraceGroup{{N: 2, Shares: []float64{0, 1, 0}}, {N: 2, MinScore: 1, MaxScore: 1, Shares: []float64{1, 0, 0}}}},
			Curve:   []analysis.CurvePoint{{N: 2, MeanTheta: -1, Observed: 0, Model: 0.2}, {N: 2, MeanTheta: 1, Observed: 1, Model: 0.7}}}},
	}
	var buf bytes.Buffer
	if err := WriteAnalysis(&buf, AnalysisInput{Report: rep, Dataset: d, Forms: []*responses.Form{form}, Thresholds: analysis.DefaultThresholds()}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	checkInert(t, page)
	for _, want := range []string{
		"<td>1 of 1</td><td>50 %</td>", // cut and pass rate
		`id="dist-1_0_0-F"`, `id="conv-1_0_0-F"`, `id="scatter"`, `id="tcc-1_0_0-full"`, `id="info-1_0_0-full"`,
		`id="trace-item-0-SEC-0001-1"`, `id="curve-item-0-SEC-0001-1"`,
		"A (key)", `<span class="flag">low-discrimination</span>`, "&lt;i&gt;Full&lt;/i&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Every chart has its table of numbers.
	if svgs, tables := strings.Count(page, "<svg"), strings.Count(page, `<table class="data">`); svgs != 7 || tables != svgs {
		t.Errorf("%d charts and %d data tables, want 7 of each", svgs, tables)
	}
}
