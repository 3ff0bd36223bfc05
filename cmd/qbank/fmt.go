package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/itemfmt"
	"github.com/qbank/qbank/internal/report"
	"github.com/qbank/qbank/internal/textdiff"
	"github.com/qbank/qbank/internal/yamlx"
	"github.com/urfave/cli/v2"
)

func fmtCommand() *cli.Command {
	return &cli.Command{
		Name:      "fmt",
		Usage:     "rewrite item files in the canonical layout (key order of FORMAT.md, block scalars, comments kept)",
		ArgsUsage: "[PATH...]",
		Description: "PATH is an item file or a directory (walked for *.yaml); a bank directory (one with exam.yaml)\n" +
			"stands for its items/. The default is the items of ./bank. fmt works on files and does not need a\n" +
			"valid bank. It never changes what an item means and never touches a file it cannot parse: those are\n" +
			"reported as file:line:col: message and the other files are still done.\n\n" +
			"Exit status: 1 when fmt leaves a file unformatted - without -w, any file that differs (so CI can\n" +
			"gate on \"qbank fmt\"); with or without -w, any file that cannot be parsed or written; 2 when a PATH\n" +
			"does not exist; 0 otherwise.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "l", Aliases: []string{"list"}, Usage: "list the files whose layout differs (the default when no flag is given)"},
			&cli.BoolFlag{Name: "d", Aliases: []string{"diff"}, Usage: "print a unified diff of the changes"},
			&cli.BoolFlag{Name: "w", Aliases: []string{"write"}, Usage: "rewrite the files in place (atomically, keeping their permissions)"},
		},
		Action: func(c *cli.Context) error {
			paths, err := positionalArgs(c)
			if err != nil {
				return err
			}
			if len(paths) == 0 {
				paths = []string{defaultBank}
			}
			files, err := itemfmt.Files(paths)
			if err != nil {
				return err
			}
			list, diff, write := c.Bool("l"), c.Bool("d"), c.Bool("w")
			if !list && !diff && !write {
				list = true
			}
			var differ, failed int
			for _, path := range files {
				if err := c.Context.Err(); err != nil {
					return err
				}
				data, err := itemfmt.ReadFile(path, bank.DefaultMaxFileSize)
				if err != nil {
					fmt.Fprintf(c.App.ErrWriter, "%s:1:1: %v\n", path, err)
					failed++
					continue
				}
				out, err := itemfmt.Format(data)
				if err != nil {
					for _, e := range yamlx.Errors(err) {
						fmt.Fprintf(c.App.ErrWriter, "%s:%d:%d: %s\n", path, e.Pos.Line, e.Pos.Column, e.Msg)
					}
					failed++
					continue
				}
				if string(out) == string(data) {
					continue
				}
				differ++
				if list {
					fmt.Fprintln(c.App.Writer, filepath.ToSlash(path))
				}
				if diff {
					name := filepath.ToSlash(path)
					fmt.Fprint(c.App.Writer, textdiff.Unified(name+".orig", name, string(data), string(out), 3))
				}
				if write {
					if err := atomicfile.Replace(path, out, data); err != nil {
						fmt.Fprintf(c.App.ErrWriter, "%s:1:1: not written: %v\n", path, err)
						failed++
					}
				}
			}
			var msgs []string
			if differ > 0 && !write {
				msgs = append(msgs, fmt.Sprintf("%s not formatted; run qbank fmt -w", report.Plural(differ, "file")))
			}
			if failed > 0 {
				msgs = append(msgs, fmt.Sprintf("%s could not be formatted", report.Plural(failed, "file")))
			}
			if len(msgs) > 0 {
				return fail(strings.Join(msgs, "; "))
			}
			return nil
		},
	}
}
