package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/itemview"
	"github.com/qbank/qbank/internal/lint"
	"github.com/urfave/cli/v2"
)

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "print an item as a candidate sees it; --key adds the keys, whys, explanation and references",
		ArgsUsage: "ID [BANK]",
		Description: "Exit status: 0 shown; 1 no such item in the bank (a failed lookup), or its file does not pass the\n" +
			"schema (run qbank lint); 2 the command could not run (an argument that is not an item id, or an\n" +
			"unreadable bank). Lint findings elsewhere in the bank do not stop show.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "key", Usage: "also print the keys, each option's why, the explanation and the references"},
		},
		Action: func(c *cli.Context) error {
			pos, err := positionalArgs(c)
			if err != nil {
				return err
			}
			if len(pos) == 0 {
				return cli.Exit("show needs an item id, such as CC-0001", 2)
			}
			id := pos[0]
			// The id is checked before it is used for anything, so an argument
			// such as "../x" can never name a path.
			if !bank.ValidID(id) {
				msg := fmt.Sprintf("%q is not an item id; ids look like SEC-0042", id)
				if up := strings.ToUpper(id); bank.ValidID(up) {
					msg += fmt.Sprintf(" (did you mean %s?)", up)
				}
				return cli.Exit(msg, 2)
			}
			dir, err := bankFromArgs(c, pos[1:])
			if err != nil {
				return err
			}
			res, err := lint.Run(c.Context, dir, lint.Options{})
			if err != nil {
				return cli.Exit(err.Error(), 2)
			}
			it := res.Bank.Item(id)
			if it == nil {
				for _, br := range res.Bank.Broken {
					if br.ID == id {
						return cli.Exit(fmt.Sprintf("item %s (%s) does not pass the schema; run qbank lint %s", id, filepath.ToSlash(br.File), dir), 1)
					}
				}
				return cli.Exit(fmt.Sprintf("no item %s in %s (%d items)", id, dir, len(res.Bank.Items)+len(res.Bank.Broken)), 1)
			}
			return itemview.Render(c.App.Writer, it, itemview.Options{Key: c.Bool("key")})
		},
	}
}
