package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/qbank/qbank/internal/rules"
	"github.com/qbank/qbank/schema"
	"github.com/urfave/cli/v2"
)

func lintCommand() *cli.Command {
	return &cli.Command{
		Name:      "lint",
		Usage:     "check every item file of a bank (schema and content rules)",
		ArgsUsage: "[BANK]",
		Flags: []cli.Flag{
			formatFlag(),
			configFlag(),
			&cli.IntFlag{Name: "max-warnings", Value: -1, Usage: "fail (exit 1) when there are more than `N` warnings; -1 never fails on warnings"},
			&cli.StringFlag{Name: "since", Usage: "also flag operational items whose candidate-visible content changed since git revision `REV` without a revision bump (rule revision-bump)"},
		},
		Action: func(c *cli.Context) error {
			bc, err := openFindingsBank(c, rules.In(rules.Load, rules.Lint))
			if err != nil {
				return err
			}
			res, err := bc.lint(c, c.String("since"))
			if err != nil {
				return err
			}
			return writeFindings(c, bc.format, res.Findings, res.Summary, bc.rules, c.Int("max-warnings"))
		},
	}
}

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list every rule (load, lint, check, release, response, analysis) with its default severity and description",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "doc", Usage: "also print each rule's documentation paragraph"}},
		Action: func(c *cli.Context) error {
			w := tabwriter.NewWriter(c.App.Writer, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "RULE\tSEVERITY\tDESCRIPTION")
			for _, r := range rules.All() {
				fmt.Fprintf(w, "%s\t%s\t%s\n", r.ID, r.Severity, r.Summary)
				if c.Bool("doc") {
					fmt.Fprintf(w, "\t\t%s\n", r.Doc)
				}
			}
			return w.Flush()
		},
	}
}

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print a JSON Schema (" + strings.Join(schema.Names(), ", ") + ")",
		ArgsUsage: "NAME",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return errors.New("schema takes one name: " + strings.Join(schema.Names(), ", "))
			}
			src, err := schema.Source(c.Args().First())
			if err != nil {
				return err
			}
			_, err = c.App.Writer.Write(src)
			return err
		},
	}
}
