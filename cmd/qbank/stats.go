package main

import (
	"fmt"

	"github.com/qbank/qbank/internal/bankstats"
	"github.com/urfave/cli/v2"
)

func statsCommand() *cli.Command {
	return &cli.Command{
		Name:      "stats",
		Usage:     "count a bank's items per domain, task, status, type and key position",
		ArgsUsage: "[BANK]",
		Description: "Counts the schema-valid items (files that fail the schema are counted as broken). Lint findings do\n" +
			"not stop stats; their number (under .qbank.yaml, as lint counts them) is printed at the end. Exit status 0, or 2 when the bank cannot be read.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text (tables) or json"},
			configFlag(),
		},
		Action: func(c *cli.Context) error {
			dir, err := bankArg(c)
			if err != nil {
				return err
			}
			format := c.String("format")
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown format %q; use text or json", format)
			}
			bc, err := openBank(c, dir, "", nil)
			if err != nil {
				return err
			}
			res, err := bc.lint(c, "")
			if err != nil {
				return err
			}
			s := bankstats.Compute(res.Bank, res.Summary.Errors, res.Summary.Warnings)
			if format == "json" {
				return bankstats.WriteJSON(c.App.Writer, s)
			}
			return bankstats.WriteText(c.App.Writer, s)
		},
	}
}
