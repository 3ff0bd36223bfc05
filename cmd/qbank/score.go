package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/htmlreport"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/scorereport"
	"github.com/qbank/qbank/internal/scorerun"
	"github.com/urfave/cli/v2"
)

func scoreCommand() *cli.Command {
	return &cli.Command{
		Name:      "score",
		Usage:     "scaled scores, domain levels, the weakest domain and a study plan for each attempt",
		ArgsUsage: "RESPONSES...",
		Description: "Scores every attempt in the responses (JSONL or long CSV, plain or .gz) with the conversion table\n" +
			"and key of the bundle it was delivered from (--bundle, repeatable), never with the bank: a released\n" +
			"result does not change when the bank changes. Only scored items count; pretest answers never change\n" +
			"a result. A bad record is reported as file:line: message on standard error and skipped.\n" +
			"Exit status: 0, 1 when more records were rejected than --max-rejects allows, 2 when scoring cannot\n" +
			"run. See docs/scoring.md; --format html gives a page per attempt for a phone or print (docs/reports.md).",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "bundle", Aliases: []string{"b"}, Usage: "bundle directory or .tar.gz the responses were delivered from (repeatable)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text (for candidates), json (FORMAT.md's score report), csv (one row per attempt) or html (a page per attempt, for a phone or print)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the reports to this file instead of standard output"},
			&cli.BoolFlag{Name: "explain", Usage: "add the explanation of each missed scored item to the study plan"},
			&cli.StringFlag{Name: "attempts", Value: "all", Usage: "all (every attempt gets its report) or first (a candidate's first attempt at a form)"},
			&cli.IntFlag{Name: "max-rejects", Value: 0, Usage: "rejected records allowed before the exit status is 1"},
		},
		Action: runScore,
	}
}

func runScore(c *cli.Context) error {
	files, err := positionalArgs(c) // first: it applies the flags written after the files
	if err != nil {
		return err
	}
	format := c.String("format")
	if err := checkOutFormat(format, c.String("out"), "text, json, csv or html", false); err != nil {
		return err
	}
	if err := refuseInItems(defaultBank, c.String("out")); c.String("out") != "" && err != nil {
		return err
	}
	policy, err := responses.ParsePolicy(c.String("attempts"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		//lint:ignore ST1005 the message ends with the usage line's ellipsis
		return errors.New("no responses file given: qbank score --bundle B RESPONSES...")
	}
	out, err := scorerun.Run(c.Context, scorerun.Input{Bundles: c.StringSlice("bundle"), Files: files, Attempts: policy, Explain: c.Bool("explain")})
	if err != nil {
		return err
	}
	printRejected(c, out.Read.Findings)
	if err := writeOut(c, c.String("out"), func(w io.Writer) error { return writeScores(w, format, out) }); err != nil {
		return err
	}
	if max := c.Int("max-rejects"); out.Read.Rejected > max {
		return failf("%s rejected (--max-rejects %d)", finding.Plural(out.Read.Rejected, "record"), max)
	}
	return nil
}

func writeScores(w io.Writer, format string, out *scorerun.Outcome) error {
	switch format {
	case "html":
		return htmlreport.WriteScores(w, out.Reports)
	case "json":
		doc := struct {
			Attempts []scorereport.Report `json:"attempts"`
			Summary  scorerun.Summary     `json:"summary"`
		}{out.Reports, out.Summary}
		if doc.Attempts == nil {
			doc.Attempts = []scorereport.Report{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case "csv":
		return scorereport.WriteCSV(w, out.Reports)
	}
	if err := scorereport.WriteText(w, out.Reports); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s scored, %d passed, %d rejected.\n", finding.Plural(out.Summary.Attempts, "attempt"), out.Summary.Passed, out.Summary.Rejected)
	return err
}
