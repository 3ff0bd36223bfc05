package main

import (
	"errors"
	"fmt"

	"github.com/qbank/qbank/internal/bundlediff"
	"github.com/urfave/cli/v2"
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "compare the forms of two releases and write a release note",
		ArgsUsage: "OLD NEW",
		Description: "OLD and NEW are each a release bundle (directory or .tar.gz), a bank directory, or REV:PATH,\n" +
			"the bank at PATH in git revision REV (PATH relative to the repository root, or to the current\n" +
			"directory when it starts with ./). diff lists forms added and removed and, per form, items added,\n" +
			"removed, moved, with a new role and revised, with a word-level diff of the stem, options, key and\n" +
			"explanation of each revised item. The text format is Markdown for a changelog.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text (Markdown) or json"},
		},
		Action: func(c *cli.Context) error {
			pos, err := positionalArgs(c)
			if err != nil {
				return err
			}
			if len(pos) != 2 {
				return errors.New("diff takes two arguments: OLD NEW (bundles, bank directories or REV:PATH)")
			}
			format := c.String("format")
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown format %q; use text or json", format)
			}
			var sides [2]*bundlediff.Snapshot
			for i, arg := range pos {
				s, warnings, err := bundlediff.Load(c.Context, arg, bundlediff.LoadOptions{})
				if err != nil {
					return loadError(c, err)
				}
				for _, w := range warnings {
					fmt.Fprintln(c.App.ErrWriter, "qbank: warning: "+w)
				}
				sides[i] = s
			}
			r := bundlediff.Diff(sides[0], sides[1])
			if format == "json" {
				err = r.WriteJSON(c.App.Writer)
			} else {
				err = r.WriteText(c.App.Writer)
			}
			if err != nil {
				return err
			}
			return nil
		},
	}
}
