package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowser opens every kind of HTML page qbank writes, made from the
// bundled bank and simulated responses, in headless Chromium: no console
// error or exception, no request besides the page itself (the pages are
// self-contained), no script runs (a hostile item's alert would open a
// dialog), every chart has a title, a description and its data table, the
// page fits a 375 px wide screen without scrolling sideways, and it prints
// to PDF. With QBANK_SCREENSHOTS=DIR (relative to the repository's root)
// it saves a screenshot of each page there; QBANK_SCREENSHOTS=docs
// refreshes the committed ones.
//
// Without a browser the test is skipped, except when CI=true: CI must not
// pass without having looked.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	browser := findBrowser()
	if browser == "" {
		msg := "no Chromium found (looked for $QBANK_BROWSER, chromium, chromium-browser, google-chrome); install it (Debian: apt-get install chromium) to run the browser tests"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	pages := makePages(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("hide-scrollbars", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	shots := os.Getenv("QBANK_SCREENSHOTS")
	if shots != "" && !filepath.IsAbs(shots) {
		shots = filepath.Join("..", "..", shots) // relative to the repository's root
	}
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
			defer cancelT()
			for _, pr := range checkPage(ctx, t, p, shots) {
				t.Error(pr)
			}
		})
	}
	// The checks find what they look for: a page that loads an image,
	// runs a script, logs an error and is too wide fails each of them.
	t.Run("bad page", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.html")
		html := `<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head><body>` +
			`<div style="width:900px">wide</div><img src="https://example.invalid/x.png"><svg class="chart"></svg>` +
			`<script>console.error("boom"); alert("ran")</script></body></html>`
		if err := os.WriteFile(bad, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := chromedp.NewContext(actx)
		defer cancel()
		ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
		defer cancelT()
		got := strings.Join(checkPage(ctx, t, browserPage{name: "bad", file: bad, charts: 2, pdfPages: 1}, ""), "\n")
		for _, want := range []string{"wider than a 375 px screen", "charts, want at least 2", "charts without title", "request for https://example.invalid/x.png", "console error", "opened a dialog"} {
			if !strings.Contains(got, want) {
				t.Errorf("the checks missed %q; found:\n%s", want, got)
			}
		}
	})
}

// browserPage is one page to open.
type browserPage struct {
	name, file string
	charts     int // at least this many charts
	shotWidth  int // size of the screenshot (the top of the page)
	shotHeight int
	pdfPages   int // at least this many printed pages
	// shotOf, when set, selects an element for a second screenshot
	// (report-<name>-item.png).
	shotOf string
}

func findBrowser() string {
	if b := os.Getenv("QBANK_BROWSER"); b != "" {
		return b
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// makePages builds the pages with qbank itself: a bundle of two full forms
// and a diagnostic, simulated responses, an analysis anchored on measured
// difficulties (so every item has its Rasch curve), score reports and
// previews (one with a hostile item).
func makePages(t *testing.T) []browserPage {
	dir := t.TempDir()
	bankDir := filepath.Join(dir, "bank")
	if err := os.CopyFS(bankDir, os.DirFS(repoBank())); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1764547200")
	p := func(name string) string { return filepath.Join(dir, name) }
	bundleDir := p("dist/CLF-C02-1.0.0")
	qbank(t, "bundle", "--version", "1.0.0", "--forms", "CLF-C02-FULL-A,CLF-C02-FULL-B,CLF-C02-DIAGNOSTIC-A", "--out", p("dist"), bankDir)
	qbank(t, "simulate", "--bundle", bundleDir, "--attempts", "900", "--seed", "11", "--out", p("sim.jsonl"), bankDir)
	// The forms share no item: calibrate each alone into stats.yaml, then
	// analyse all of them anchored on those difficulties.
	for _, form := range []string{"CLF-C02-FULL-A", "CLF-C02-FULL-B", "CLF-C02-DIAGNOSTIC-A"} {
		lines := grepLines(t, p("sim.jsonl"), `"form":"`+form+`"`, 0)
		writeLines(t, p(form+".jsonl"), lines)
		qbank(t, "analyze", "--bundle", bundleDir, "--write", "--format", "json", p(form+".jsonl"), bankDir)
	}
	qbank(t, "analyze", "--bundle", bundleDir, "--format", "html", "--out", p("analysis.html"), p("sim.jsonl"), bankDir)
	// Score reports: a diagnostic and two full attempts.
	attempts := append(grepLines(t, p("sim.jsonl"), `"form":"CLF-C02-DIAGNOSTIC-A"`, 1), grepLines(t, p("sim.jsonl"), `"form":"CLF-C02-FULL-A"`, 2)...)
	writeLines(t, p("three.jsonl"), attempts)
	qbank(t, "score", "--bundle", bundleDir, "--format", "html", "--out", p("score.html"), p("three.jsonl"))
	if err := os.WriteFile(filepath.Join(bankDir, "items", "security-compliance", "SEC-0999.yaml"), []byte(hostileItem), 0o644); err != nil {
		t.Fatal(err)
	}
	qbank(t, "preview", "--out", p("preview.html"), "CLF-C02-DIAGNOSTIC-A", bankDir)
	qbank(t, "preview", "--key", "--out", p("preview-key.html"), "SEC-0999", "CLF-C02-DIAGNOSTIC-A", bankDir)
	return []browserPage{
		{name: "analysis", file: p("analysis.html"), charts: 100, shotWidth: 1100, shotHeight: 2400, pdfPages: 20, shotOf: "#flagged + section.item"},
		{name: "score", file: p("score.html"), charts: 3, shotWidth: 375, shotHeight: 1900, pdfPages: 3},
		{name: "preview", file: p("preview.html"), shotWidth: 800, shotHeight: 1400, pdfPages: 10},
		{name: "preview-key", file: p("preview-key.html"), shotWidth: 800, shotHeight: 1600, pdfPages: 11},
	}
}

func qbank(t *testing.T, args ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"qbank"}, args...), nil, &out, &errb); code != 0 {
		t.Fatalf("qbank %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
}

// grepLines returns the lines of path that contain s (compared with the
// spaces removed), at most n of them (0: all).
func grepLines(t *testing.T, path, s string, n int) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.Contains(strings.ReplaceAll(sc.Text(), " ", ""), s) {
			out = append(out, sc.Text())
			if len(out) == n {
				break
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no line of %s has %s", path, s)
	}
	return out
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkPage opens one page and returns what is wrong with it; it stops
// the test when the browser fails.
func checkPage(ctx context.Context, t *testing.T, p browserPage, shots string) []string {
	url := "file://" + p.file
	var mu sync.Mutex
	var problems []string
	problem := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				problem("console %s: %d arguments", e.Type, len(e.Args))
			}
		case *runtime.EventExceptionThrown:
			problem("exception: %s", e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
				problem("browser log %s: %s", e.Entry.Level, e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			if e.Request.URL != url {
				problem("request for %.200s (a page must load nothing)", e.Request.URL)
			}
		case *network.EventLoadingFailed:
			problem("loading failed: %s", e.ErrorText)
		case *page.EventJavascriptDialogOpening:
			problem("a script ran and opened a dialog: %q", e.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	overflow := evaluate[int](ctx, t, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
	if overflow > 0 {
		problem("the page is %d px wider than a 375 px screen", overflow)
	}
	if charts := evaluate[int](ctx, t, `document.querySelectorAll('svg.chart').length`); charts < p.charts {
		problem("%d charts, want at least %d", charts, p.charts)
	}
	bad := evaluate[[]string](ctx, t, `[...document.querySelectorAll('svg.chart')].filter(s => {
		const f = s.closest('figure');
		return !s.querySelector(':scope > title') || !s.querySelector(':scope > desc') ||
			!s.getAttribute('aria-labelledby') || !f || !f.querySelector('table.data tbody tr');
	}).map(s => s.getAttribute('aria-labelledby'))`)
	if len(bad) > 0 {
		problem("charts without title, desc or data table: %v", bad)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		problem("printing did not give a PDF")
	} else if n := len(pdfPage.FindAll(pdf, -1)); n < p.pdfPages {
		problem("the PDF has %d pages, want at least %d", n, p.pdfPages)
	}
	if shots != "" {
		screenshot(ctx, t, p, filepath.Join(shots, "report-"+p.name+".png"))
	}
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), problems...)
}

// pdfPage matches a page object of a PDF.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

func evaluate[T any](ctx context.Context, t *testing.T, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func screenshot(ctx context.Context, t *testing.T, p browserPage, path string) {
	var png []byte
	err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(p.shotWidth), int64(p.shotHeight)))
	if err == nil {
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err == nil && p.shotOf != "" {
		var item []byte
		if item, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(p.shotOf))); err == nil {
			err = os.WriteFile(strings.TrimSuffix(path, ".png")+"-item.png", item, 0o644)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// hostileItem is an item whose text would run code if it reached a page
// unescaped.
const hostileItem = `id: SEC-0999
revision: 1
status: draft
domain: security-compliance
task: "2.1"
type: single
difficulty: medium
stem: |
  Which one is safe? <script>alert(1)</script> and "><img src=x onerror=alert(2)>
  and [a link](javascript:alert(3)) and ![an image](https://example.com/x.png)
options:
  - text: <script>alert(3)</script>
    why: Raw HTML is not passed through.
  - text: '"><img src=x onerror=alert(4)>'
    correct: true
    why: It stays text.
  - text: A plain option.
    why: Plain.
explanation: |
  Nothing here runs: <script>alert(5)</script>
references:
  - https://aws.amazon.com/compliance/shared-responsibility-model/
author: sec-writer
`
