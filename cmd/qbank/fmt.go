package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/itemfmt"
	"github.com/qbank/qbank/internal/textdiff"
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
			"reported as file:line:col: message and the other files are still done. It refuses, untouched,\n" +
			"files that are not items (exam.yaml, forms, stats.yaml), symbolic links out of the bank (as lint\n" +
			"does) and, with -w, read-only files.\n\n" +
			"Exit status: 1 when fmt leaves a file unformatted - without -w, any file that differs (so CI can\n" +
			"gate on \"qbank fmt\"); with or without -w, any file that cannot be parsed or written; 2 when a PATH\n" +
			"does not exist; 0 otherwise.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "l", Aliases: []string{"list"}, Usage: "list the files whose layout differs (the default when no flag is given)"},
			&cli.BoolFlag{Name: "d", Aliases: []string{"diff"}, Usage: "print a unified diff of the changes"},
			&cli.BoolFlag{Name: "w", Aliases: []string{"write"}, Usage: "rewrite the files in place (atomically, keeping their permissions)"},
		},
		Action: runFmt,
	}
}

// runFmt is qbank fmt: itemfmt.Run formats the files given (or found under
// the directories given); runFmt reports each result and fails when a file
// is left unformatted.
func runFmt(c *cli.Context) error {
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
	err = itemfmt.Run(c.Context, files, itemfmt.RunOptions{Write: write}, func(r *itemfmt.Result) {
		name := filepath.ToSlash(r.File.Path)
		for _, e := range r.Problems {
			fmt.Fprintf(c.App.ErrWriter, "%s:%d:%d: %s\n", r.File.Path, e.Pos.Line, e.Pos.Column, e.Msg)
		}
		if len(r.Problems) > 0 {
			failed++
		}
		if !r.Changed() {
			return
		}
		differ++
		if list {
			fmt.Fprintln(c.App.Writer, name)
		}
		if diff {
			fmt.Fprint(c.App.Writer, textdiff.Unified(name+".orig", name, string(r.Data), string(r.Out), 3))
		}
	})
	if err != nil {
		return err
	}
	return fmtOutcome(differ, failed, write)
}

// fmtOutcome is fmt's exit: a failure when files were left unformatted
// (without -w) or could not be formatted.
func fmtOutcome(differ, failed int, write bool) error {
	var msgs []string
	if differ > 0 && !write {
		msgs = append(msgs, fmt.Sprintf("%s not formatted; run qbank fmt -w", finding.Plural(differ, "file")))
	}
	if failed > 0 {
		msgs = append(msgs, fmt.Sprintf("%s could not be formatted", finding.Plural(failed, "file")))
	}
	if len(msgs) > 0 {
		return fail(strings.Join(msgs, "; "))
	}
	return nil
}
