package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/itemview"
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
				return errors.New("show needs an item id, such as CC-0001")
			}
			id := pos[0]
			// The id is checked before it is used for anything, so an argument
			// such as "../x" can never name a path.
			if !bank.ValidID(id) {
				msg := fmt.Sprintf("%q is not an item id; ids look like SEC-0042", id)
				if up := strings.ToUpper(id); bank.ValidID(up) {
					msg += fmt.Sprintf(" (did you mean %s?)", up)
				}
				return errors.New(msg)
			}
			dir, err := bankFromArgs(c, pos[1:])
			if err != nil {
				return err
			}
			b, fs, err := loadBank(c, dir)
			if err != nil {
				return err
			}
			it, err := findItem(b, fs, id)
			if err != nil {
				return err
			}
			return itemview.Render(c.App.Writer, it, itemview.Options{Key: c.Bool("key")})
		},
	}
}

// findItem returns item id of b, or the exit-1 error that says why it
// cannot be shown: no such item, a file that fails the schema, or a file
// named like the item that cannot be read or parsed (fs are the loader's
// findings; the first one of that file is quoted).
func findItem(b *bank.Bank, fs []finding.Finding, id string) (*bank.Item, error) {
	if it := b.Item(id); it != nil {
		return it, nil
	}
	for _, br := range b.Broken {
		if br.ID == id {
			return nil, failf("item %s (%s) does not pass the schema; run qbank lint %s", id, filepath.ToSlash(br.File), b.Dir)
		}
	}
	finding.Sort(fs)
	for _, f := range fs {
		if filepath.Base(f.File) == id+".yaml" {
			return nil, failf("item %s: %s:%d:%d: %s; fix the file (qbank lint %s lists every problem)", id, filepath.ToSlash(f.File), f.Line, f.Column, f.Message, b.Dir)
		}
	}
	return nil, failf("no item %s in %s (%d items)", id, b.Dir, len(b.Items)+len(b.Broken))
}
