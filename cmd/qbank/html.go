package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/qbank/qbank/internal/htmlreport"
	"github.com/urfave/cli/v2"
)

// writeOut renders to standard output, or, when out is set, to that file
// in one step (nothing is written when rendering fails).
func writeOut(c *cli.Context, out string, render func(io.Writer) error) error {
	if out == "" {
		return render(c.App.Writer)
	}
	if err := htmlreport.WriteFile(out, render); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "wrote %s\n", out)
	return nil
}

// checkOutFormat checks --format against the formats a command knows
// (given as "a, b or c") and that html, which is a page to open rather
// than text for a terminal, goes to a file when htmlNeedsOut.
func checkOutFormat(format, out, known string, htmlNeedsOut bool) error {
	names := strings.FieldsFunc(strings.ReplaceAll(known, " or ", ","), func(r rune) bool { return r == ',' || r == ' ' })
	if !slices.Contains(names, format) {
		return fmt.Errorf("unknown format %q; use %s", format, known)
	}
	if format == "html" && out == "" && htmlNeedsOut {
		return fmt.Errorf("--format html writes a page to open in a browser: name the file with --out FILE")
	}
	return nil
}
