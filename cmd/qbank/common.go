package main

import (
	"errors"
	"os"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/config"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/lint"
	"github.com/qbank/qbank/internal/report"
	"github.com/qbank/qbank/internal/rules"
	"github.com/urfave/cli/v2"
)

// defaultBank is the bank directory used when none is given.
const defaultBank = "bank"

// bankArg returns the bank directory argument (the first positional
// argument) or the default.
func bankArg(c *cli.Context) (string, error) {
	pos, err := positionalArgs(c)
	if err != nil {
		return "", err
	}
	return bankFromArgs(c, pos)
}

func formatFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "auto", Usage: "output format: auto, text, json, sarif, github (auto picks github under GitHub Actions)"}
}

func configFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "config", Usage: "lint configuration file (default: .qbank.yaml found from the current directory upward)"}
}

// loadConfig reads --config, or .qbank.yaml found upward from the current
// directory. One file configures every command, so it may name any rule of
// the rule registry; another id is an error at its position.
func loadConfig(c *cli.Context) (*config.Config, error) {
	path := c.String("config")
	if path == "" {
		path = config.Find(".")
	}
	if path == "" {
		return config.Default(), nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckRules(rules.Known()); err != nil {
		return nil, err
	}
	return cfg, nil
}

// resolveFormat validates --format.
func resolveFormat(c *cli.Context) (string, error) {
	f, err := report.Resolve(c.String("format"), os.Getenv)
	if err != nil {
		return "", err
	}
	return f, nil
}

// writeFindings prints the findings in format and returns the exit error
// the findings call for: 1 with any error (or more than maxWarnings
// warnings when maxWarnings >= 0), else nil.
func writeFindings(c *cli.Context, format string, fs []finding.Finding, sum finding.Summary, ruleset []finding.Rule, maxWarnings int) error {
	tool := report.Tool{Name: "qbank", Version: version, InformationURI: "https://github.com/qbank/qbank"}
	if err := report.Write(c.App.Writer, format, fs, sum, ruleset, tool); err != nil {
		return err
	}
	if sum.Errors > 0 {
		return fail("")
	}
	if maxWarnings >= 0 && sum.Warnings > maxWarnings {
		return failf("%d warnings exceed --max-warnings %d", sum.Warnings, maxWarnings)
	}
	return nil
}

// bankCommand is how every command that works on a bank starts: the bank
// directory, the configuration (one file configures every command), and
// where findings of a bank that cannot be loaded go.
type bankCommand struct {
	dir string
	cfg *config.Config
	// format is the report format of a command that prints findings on
	// standard output (lint, check); "" prints them as text on standard
	// error (commands whose output is something else).
	format string
	// rules are the rules the command reports (SARIF rule metadata).
	rules []finding.Rule
}

// openBank reads the configuration for the bank in dir; format and ruleset
// are as in bankCommand.
func openBank(c *cli.Context, dir, format string, ruleset []finding.Rule) (*bankCommand, error) {
	cfg, err := loadConfig(c)
	if err != nil {
		return nil, err
	}
	return &bankCommand{dir: dir, cfg: cfg, format: format, rules: ruleset}, nil
}

// openFindingsBank reads BANK, --format and the configuration of a command
// that prints findings (lint, check).
func openFindingsBank(c *cli.Context, ruleset []finding.Rule) (*bankCommand, error) {
	dir, err := bankArg(c)
	if err != nil {
		return nil, err
	}
	format, err := resolveFormat(c)
	if err != nil {
		return nil, err
	}
	return openBank(c, dir, format, ruleset)
}

// load loads the bank, without linting it (show, new). The findings are
// the loader's (files that cannot be read or parsed, schema errors).
func (bc *bankCommand) load(c *cli.Context) (*bank.Bank, []finding.Finding, error) {
	b, fs, err := bank.Load(c.Context, bc.dir, bank.Options{})
	if err != nil {
		return nil, nil, bc.cannotLoad(c, err)
	}
	return b, fs, nil
}

// loadBank is openBank and load for the commands that need the bank but
// no lint run (show, new, preview, simulate, standard).
func loadBank(c *cli.Context, dir string) (*bank.Bank, []finding.Finding, error) {
	bc, err := openBank(c, dir, "", nil)
	if err != nil {
		return nil, nil, err
	}
	return bc.load(c)
}

// lint loads and lints the bank under the configuration; since is
// lint --since (empty: no revision-bump check).
func (bc *bankCommand) lint(c *cli.Context, since string) (*lint.Result, error) {
	res, err := lint.Run(c.Context, bc.dir, lint.Options{Config: bc.cfg, Since: since})
	if err != nil {
		return nil, bc.cannotLoad(c, err)
	}
	return res, nil
}

// cannotLoad prints the blueprint's findings at their positions when err is
// an invalid exam.yaml, and returns the exit-2 error.
func (bc *bankCommand) cannotLoad(c *cli.Context, err error) error {
	var be *bank.BlueprintError
	if bc.format == "" || !errors.As(err, &be) {
		return loadError(c, err)
	}
	fs := append([]finding.Finding(nil), be.Findings...)
	finding.Sort(fs)
	sum := finding.Summary{}
	sum.Errors, sum.Warnings = finding.Count(fs)
	_ = writeFindings(c, bc.format, fs, sum, bc.rules, -1)
	return err
}

// loadError prints the blueprint's findings, one per line on standard
// error, when err is an invalid exam.yaml, and returns the exit-2 error.
func loadError(c *cli.Context, err error) error {
	var be *bank.BlueprintError
	if errors.As(err, &be) {
		printFindings(c, be.Findings)
	}
	return err
}
