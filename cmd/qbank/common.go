package main

import (
	"errors"
	"fmt"
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
		return nil, cli.Exit(err.Error(), 2)
	}
	if err := cfg.CheckRules(rules.Known()); err != nil {
		return nil, cli.Exit(err.Error(), 2)
	}
	return cfg, nil
}

// resolveFormat validates --format.
func resolveFormat(c *cli.Context) (string, error) {
	f, err := report.Resolve(c.String("format"), os.Getenv)
	if err != nil {
		return "", cli.Exit(err.Error(), 2)
	}
	return f, nil
}

// writeFindings prints the findings in format and returns the exit error
// the findings call for: 1 with any error (or more than maxWarnings
// warnings when maxWarnings >= 0), else nil.
func writeFindings(c *cli.Context, format string, fs []finding.Finding, sum report.Summary, ruleset []finding.Rule, maxWarnings int) error {
	tool := report.Tool{Name: "qbank", Version: version, InformationURI: "https://github.com/qbank/qbank"}
	if err := report.Write(c.App.Writer, format, fs, sum, ruleset, tool); err != nil {
		return cli.Exit(err.Error(), 2)
	}
	if sum.Errors > 0 {
		return cli.Exit("", 1)
	}
	if maxWarnings >= 0 && sum.Warnings > maxWarnings {
		return cli.Exit(fmt.Sprintf("%d warnings exceed --max-warnings %d", sum.Warnings, maxWarnings), 1)
	}
	return nil
}

// findingsCommand is what lint and check share: the bank argument, the
// output format and the configuration, resolved and validated.
type findingsCommand struct {
	dir    string
	format string
	cfg    *config.Config
}

// setupFindingsCommand reads BANK, --format and the configuration.
func setupFindingsCommand(c *cli.Context) (*findingsCommand, error) {
	dir, err := bankArg(c)
	if err != nil {
		return nil, err
	}
	format, err := resolveFormat(c)
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return nil, err
	}
	return &findingsCommand{dir: dir, format: format, cfg: cfg}, nil
}

// lint loads and lints the bank. When the bank cannot be used it prints the
// blueprint's findings (in the command's format) and returns the exit-2
// error.
func (fc *findingsCommand) lint(c *cli.Context, ruleset []finding.Rule) (*lint.Result, error) {
	res, err := lint.Run(c.Context, fc.dir, lint.Options{Config: fc.cfg})
	if err != nil {
		var be *bank.BlueprintError
		if errors.As(err, &be) {
			_ = writeFindings(c, fc.format, res.Findings, res.Summary, ruleset, -1)
		}
		return nil, cli.Exit(err.Error(), 2)
	}
	return res, nil
}
