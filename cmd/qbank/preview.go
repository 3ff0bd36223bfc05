package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/htmlreport"
	"github.com/urfave/cli/v2"
)

func previewCommand() *cli.Command {
	return &cli.Command{
		Name:      "preview",
		Usage:     "write forms or items as candidates see them to a self-contained HTML page (--key: with keys, for review)",
		ArgsUsage: "[FORM|ID...] [BANK]",
		Description: "Renders each form named (its items in delivery order) and each item id named, or every item of the bank\n" +
			"when none is named, as candidates see them: the Markdown rendered (raw HTML is never passed through).\n" +
			"--key adds the keys, each option's why, the explanation and the references. The page prints with a\n" +
			"page break between items. A last argument that is a directory is the bank (default ./bank).\n" +
			"Exit status: 0 written; 1 a form or item named is not in the bank; 2 the command could not run.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "key", Usage: "add the keys, each option's why, the explanation and the references"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "the HTML file to write (required)"},
		},
		Action: runPreview,
	}
}

func runPreview(c *cli.Context) error {
	pos, err := positionalArgs(c)
	if err != nil {
		return err
	}
	out := c.String("out")
	if out == "" {
		return errors.New("preview writes a page to open in a browser: name the file with --out FILE")
	}
	dir := defaultBank
	if n := len(pos); n > 0 && isDir(pos[n-1]) {
		dir, pos = pos[n-1], pos[:n-1]
	}
	if err := refuseInItems(dir, out); err != nil {
		return err
	}
	bc, err := openBank(c, dir, "", nil)
	if err != nil {
		return err
	}
	b, fs, err := bc.load(c)
	if err != nil {
		return err
	}
	in := htmlreport.PreviewInput{Exam: b.Exam.Title, Key: c.Bool("key")}
	if in.Sections, err = previewSections(b, fs, pos); err != nil {
		return err
	}
	return writeOut(c, out, func(w io.Writer) error { return htmlreport.WritePreview(w, in) })
}

// previewSections turns the arguments into sections: a form per form id,
// one section for the item ids (in the order given), every item when no
// argument names anything.
func previewSections(b *bank.Bank, fs []finding.Finding, args []string) ([]htmlreport.PreviewSection, error) {
	if len(args) == 0 {
		s := htmlreport.PreviewSection{Heading: fmt.Sprintf("All %d items", len(b.Items))}
		for _, it := range b.Items {
			s.Items = append(s.Items, htmlreport.PreviewItem{Item: it})
		}
		return []htmlreport.PreviewSection{s}, nil
	}
	var out []htmlreport.PreviewSection
	items := htmlreport.PreviewSection{Heading: "Items"}
	for _, a := range args {
		if f := b.Form(a); f != nil {
			s, err := formSection(b, f)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			continue
		}
		if !bank.ValidID(a) {
			return nil, failf("%q is neither a form of %s nor an item id (ids look like SEC-0042)", a, b.Dir)
		}
		it, err := findItem(b, fs, a)
		if err != nil {
			return nil, err
		}
		items.Items = append(items.Items, htmlreport.PreviewItem{Item: it})
	}
	if len(items.Items) > 0 {
		out = append(out, items)
	}
	return out, nil
}

// formSection lists a form's items in delivery order.
func formSection(b *bank.Bank, f *bank.Form) (htmlreport.PreviewSection, error) {
	s := htmlreport.PreviewSection{Heading: "Form " + f.Form}
	for _, spec := range b.Exam.Forms {
		if spec.ID == f.Spec && spec.Title != "" {
			s.Heading += ": " + spec.Title
		}
	}
	for i, e := range f.Items {
		it := b.Item(e.ID)
		if it == nil {
			return s, failf("form %s, position %d: item %s is not in the bank (or fails the schema; run qbank lint)", f.Form, i+1, e.ID)
		}
		s.Items = append(s.Items, htmlreport.PreviewItem{Item: it, Position: i + 1, Role: e.Role, Revision: e.Revision})
	}
	return s, nil
}
