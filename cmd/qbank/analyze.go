package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/analysisout"
	"github.com/qbank/qbank/internal/analyzerun"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/htmlreport"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/statsfile"
	"github.com/urfave/cli/v2"
)

func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:      "analyze",
		Usage:     "item analysis (classical statistics and Rasch calibration) of delivery responses",
		ArgsUsage: "[RESPONSES...] [BANK]",
		Description: "Reads responses (JSONL or long CSV, plain or .gz) matched to the bundles they were delivered from\n" +
			"(--bundle, repeatable), or a 0/1 matrix (--matrix), and reports per item revision p-value, omit rate,\n" +
			"corrected point-biserial, the options, Rasch difficulty by CML with SE and fit, and flags; per form\n" +
			"mean, SD, KR-20 and SEM. Items of the bank with a rasch.b measured on their current revision are\n" +
			"anchors. A bad record is reported as file:line: message on standard error and skipped.\n" +
			"A last argument that is a directory is the bank (default ./bank, optional unless --write).\n" +
			"Exit status: 0, 1 when more records were rejected than --max-rejects allows (then nothing is\n" +
			"written), 2 when the analysis cannot run. See docs/psychometrics.md; --format html --out FILE writes a\n" +
			"self-contained page with charts (docs/reports.md).",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "bundle", Aliases: []string{"b"}, Usage: "bundle directory or .tar.gz `B` the responses were delivered from (repeatable)"},
			&cli.StringFlag{Name: "matrix", Usage: "a 0/1 matrix CSV `F` (header of item ids; cells 1, 0, empty or NA) instead of responses"},
			&cli.BoolFlag{Name: "write", Usage: "merge the statistics into BANK/stats.yaml"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: text, json, csv or html (a self-contained page with charts; needs --out)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output (required for html)"},
			&cli.StringFlag{Name: "attempts", Value: "first", Usage: "`WHICH` attempts: first (a candidate's first attempt at a form) or all"},
			&cli.IntFlag{Name: "max-rejects", Value: 0, Usage: "`N` rejected records allowed before the exit status is 1"},
			configFlag(),
		},
		Action: runAnalyze,
	}
}

// analyzeArgs are the resolved arguments of qbank analyze.
type analyzeArgs struct {
	in      analyzerun.Input
	bankDir string
	format  string
	out     string
}

func runAnalyze(c *cli.Context) error {
	a, err := parseAnalyzeArgs(c)
	if err != nil {
		return err
	}
	out, err := analyzerun.Run(c.Context, a.in)
	if err != nil {
		return err
	}
	printRejected(c, out.Findings)
	if err := writeAnalysis(c, a, out); err != nil {
		return err
	}
	if max := c.Int("max-rejects"); out.Read.Rejected > max {
		return failf("%d records rejected (--max-rejects %d)%s", out.Read.Rejected, max, notWritten(c))
	}
	if c.Bool("write") {
		return writeStats(c, a, out)
	}
	return nil
}

// writeAnalysis writes the report in its format to standard output or
// --out.
func writeAnalysis(c *cli.Context, a *analyzeArgs, out *analyzerun.Outcome) error {
	meta := analysisout.Meta{Simulated: out.Simulated, Attempts: out.Attempts, Retakes: out.Read.Retakes, Matrix: a.in.Matrix}
	render := func(w io.Writer) error { return analysisout.Write(w, a.format, out.Report, meta) }
	if a.format == "html" {
		render = func(w io.Writer) error {
			return htmlreport.WriteAnalysis(w, htmlreport.AnalysisInput{Report: out.Report, Dataset: out.Dataset,
				Forms: out.Forms, Meta: meta, Thresholds: a.in.Thresholds})
		}
	}
	return writeOut(c, a.out, render)
}

func notWritten(c *cli.Context) string {
	if c.Bool("write") {
		return "; stats.yaml not written"
	}
	return ""
}

// printRejected writes the rejected records to standard error as
// file:line: message [rule].
func printRejected(c *cli.Context, fs []finding.Finding) {
	for _, f := range fs {
		fmt.Fprintf(c.App.ErrWriter, "%s:%d: %s [%s]\n", f.File, f.Line, f.Message, f.Rule)
	}
}

// parseAnalyzeArgs resolves the flags, the bank and the thresholds.
func parseAnalyzeArgs(c *cli.Context) (*analyzeArgs, error) {
	pos, err := positionalArgs(c)
	if err != nil {
		return nil, err
	}
	a := &analyzeArgs{format: c.String("format"), bankDir: defaultBank, out: c.String("out")}
	if err := checkOutFormat(a.format, a.out, "text, json, csv or html", true); err != nil {
		return nil, err
	}
	if a.in.Attempts, err = responses.ParsePolicy(c.String("attempts")); err != nil {
		return nil, err
	}
	if n := len(pos); n > 0 && isDir(pos[n-1]) {
		a.bankDir, pos = pos[n-1], pos[:n-1]
	}
	a.in.Files, a.in.Bundles, a.in.Matrix = pos, c.StringSlice("bundle"), c.String("matrix")
	if err := refuseInItems(a.bankDir, a.out); a.out != "" && err != nil {
		return nil, err
	}
	if c.Bool("write") && a.in.Matrix != "" {
		return nil, errors.New("--write needs responses matched to bundles (item ids and revisions); a matrix has neither")
	}
	bc, err := openBank(c, a.bankDir, "", nil)
	if err != nil {
		return nil, err
	}
	a.in.Thresholds = thresholds(bc.cfg.Analysis)
	if a.in.Matrix == "" && (c.Bool("write") || isDir(a.bankDir)) {
		if a.in.Bank, err = loadBankForStats(c, bc); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// loadBankForStats loads the bank; it refuses a stats.yaml with problems,
// since merging into it would lose what could not be read.
func loadBankForStats(c *cli.Context, bc *bankCommand) (*bank.Bank, error) {
	b, fs, err := bc.load(c)
	if err != nil {
		return nil, err
	}
	statsPath := filepath.Join(bc.dir, "stats.yaml")
	for _, f := range fs {
		if f.File == statsPath && f.Severity == finding.Error {
			return nil, fmt.Errorf("%s; fix stats.yaml first (its anchors and entries are used)", f.String())
		}
	}
	return b, nil
}

// thresholds applies the configured thresholds to the defaults.
func thresholds(a config.Analysis) analysis.Thresholds {
	t := analysis.DefaultThresholds()
	for _, s := range []struct {
		v *float64
		t *float64
	}{{a.LowDiscrimination, &t.LowDiscrimination}, {a.TooEasy, &t.TooEasy}, {a.TooHardMargin, &t.TooHardMargin},
		{a.NonfunctionalDistractor, &t.NonfunctionalDistractor}, {a.DistractorPositiveShare, &t.DistractorPositiveShare},
		{a.HighOmit, &t.HighOmit}, {a.MisfitLow, &t.MisfitLow}, {a.MisfitHigh, &t.MisfitHigh}} {
		if s.v != nil {
			*s.t = *s.v
		}
	}
	if a.MinResponses != nil {
		t.MinResponses = *a.MinResponses
	}
	return t
}

// writeStats merges the analysis into BANK/stats.yaml.
func writeStats(c *cli.Context, a *analyzeArgs, out *analyzerun.Outcome) error {
	b := a.in.Bank
	path := filepath.Join(a.bankDir, "stats.yaml")
	old, err := statsfile.ReadCurrent(path)
	if err != nil {
		return err
	}
	now, err := bundle.ParseSourceDateEpoch(os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return err
	}
	if now.IsZero() {
		now = time.Now().UTC().Truncate(time.Second)
	}
	m := statsfile.MergeReport(b.Stats, out.Report, func(id string) bool { return b.Item(id) != nil },
		statsfile.Options{Computed: now, Attempts: out.Attempts, Simulated: out.Simulated})
	if err := statsfile.Write(path, statsfile.Encode(m.Stats), old); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "wrote %s: %d items updated, %d kept (newer revision than the data), %d not in the bank (skipped)\n",
		path, len(m.Updated), len(m.Kept), len(m.Unknown))
	return nil
}
