package main

import (
	"fmt"
	"strings"

	"github.com/qbank/qbank/internal/check"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/rules"
	"github.com/urfave/cli/v2"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check the bank's composition and every form in forms/ against the blueprint",
		ArgsUsage: "[BANK]",
		Description: "check reports each domain's operational and pretest supply against one form of the spec (rule supply),\n" +
			"task statements with no operational item (task-coverage) and every form against its spec (form-* rules).\n" +
			"Lint errors are reported too: an item that fails lint is not fit for a form. The text format starts\n" +
			"with a supply table and a table of each form's domain mix beside its targets. Every form is compared with\n" +
			"its version at git HEAD (or --since REV) and in --bundle PATH: changed entries need a new version (form-version).",
		Flags: append([]cli.Flag{
			formatFlag(),
			configFlag(),
			&cli.IntFlag{Name: "min-forms", Value: check.DefaultMinForms, Usage: "warn (rule supply) when the operational supply allows fewer than `N` forms with no shared scored item"},
			&cli.StringFlag{Name: "spec", Usage: "the form spec the supply is measured against (default: full, else the largest spec)"},
		}, formVersionFlags()...),
		Action: func(c *cli.Context) error {
			bc, err := openFindingsBank(c, rules.In(rules.Load, rules.Lint, rules.Check))
			if err != nil {
				return err
			}
			res, err := bc.lint(c, "")
			if err != nil {
				return err
			}
			format, cfg := bc.format, bc.cfg
			b := res.Bank
			if spec := c.String("spec"); spec != "" && b.Exam.Spec(spec) == nil {
				return fmt.Errorf("--spec %s: no such form spec in exam.yaml (%s)", spec, strings.Join(b.Exam.SpecIDs(), ", "))
			}
			fv, err := formVersionFindings(c, b)
			if err != nil {
				return err
			}
			cr := check.Bank(b, check.Options{Spec: c.String("spec"), MinForms: c.Int("min-forms"), Config: cfg, Lint: res.Findings, FormVersion: fv})
			fs := cr.Findings
			sum := res.Summary
			sum.Errors, sum.Warnings = finding.Count(fs)
			if format == "text" {
				if err := check.WriteTables(c.App.Writer, cr); err != nil {
					return err
				}
			}
			return writeFindings(c, format, fs, sum, bc.rules, -1)
		},
	}
}
