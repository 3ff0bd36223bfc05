package main

import (
	"fmt"
	"path/filepath"

	"github.com/qbank/qbank/internal/author"
	"github.com/urfave/cli/v2"
)

func newCommand() *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "create a draft item with the next free id of a domain and print its path",
		ArgsUsage: "[BANK]",
		Description: "The id continues after the highest number of the domain's prefix (exam.yaml prefix) used anywhere\n" +
			"in the bank - retired items, broken files, file names, enemies, forms - and is never reused. The file\n" +
			"is created atomically and never replaces an existing one. It holds every field of FORMAT.md with TODO\n" +
			"placeholders, status draft, and the modeline\n" +
			"  " + author.Modeline + "\n" +
			"which assumes the bank sits beside the repository's schema/ folder.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "domain", Usage: "domain `ID` of exam.yaml (required)"},
			&cli.StringFlag{Name: "task", Usage: "task `ID` of the domain, such as 1.2 (required)"},
			&cli.StringFlag{Name: "type", Value: "single", Usage: "single (4 options, one key) or multiple (5 options, two keys, \"(Select TWO.)\")"},
			&cli.StringFlag{Name: "author", EnvVars: []string{"QBANK_AUTHOR"}, Usage: "author `HANDLE` for the author field"},
		},
		Action: func(c *cli.Context) error {
			dir, err := bankArg(c)
			if err != nil {
				return err
			}
			for _, f := range []string{"domain", "task"} {
				if c.String(f) == "" {
					return fmt.Errorf("new needs --%s", f)
				}
			}
			b, _, err := loadBank(c, dir)
			if err != nil {
				return err
			}
			req := author.Request{Domain: c.String("domain"), Task: c.String("task"), Type: c.String("type"), Author: c.String("author")}
			if _, err := req.Check(b.Exam); err != nil {
				return err
			}
			path, err := author.Create(c.Context, b, req)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.App.Writer, filepath.ToSlash(path))
			return nil
		},
	}
}
