package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/scale"
	"github.com/qbank/qbank/internal/standard"
	"github.com/urfave/cli/v2"
)

func standardCommand() *cli.Command {
	return &cli.Command{
		Name:      "standard",
		Usage:     "set the passing standard: theta_cut from a raw cut or an Angoff panel, equated to every form",
		ArgsUsage: "[BANK]",
		Description: "With --form F --raw R the standard is raw score R on form F's scored items; with --angoff FILE it is\n" +
			"a modified-Angoff panel's (CSV rater,item,rating: the probability that a minimally competent candidate\n" +
			"answers the item correctly); with neither, exam.yaml's current cut. It prints theta_cut on the bank's\n" +
			"Rasch scale and the equated raw cut of every committed form. --write stores cut: {theta: ...} in\n" +
			"exam.yaml (comments kept), so the standard stays fixed when forms and calibrations change.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "form", Usage: "the reference `FORM` of --raw, or the form the --angoff panel rated (default: the one form it rated completely)"},
			&cli.IntFlag{Name: "raw", Value: -1, Usage: "the raw cut `R` on --form's scored items"},
			&cli.StringFlag{Name: "angoff", Usage: "a modified-Angoff panel `FILE` (CSV rater,item,rating)"},
			&cli.BoolFlag{Name: "write", Usage: "store the standard in exam.yaml as cut: {theta: ...}"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text or json"},
		},
		Action: runStandard,
	}
}

func runStandard(c *cli.Context) error {
	dir, err := bankArg(c)
	if err != nil {
		return err
	}
	format := c.String("format")
	if format != "text" && format != "json" {
		return fmt.Errorf("unknown format %q; use text or json", format)
	}
	if c.String("angoff") != "" && c.IsSet("raw") {
		return errors.New("give either --raw (with --form) or --angoff, not both")
	}
	if c.IsSet("raw") != (c.String("form") != "" && c.String("angoff") == "") {
		return errors.New("--form and --raw go together (or --form with --angoff)")
	}
	b, _, err := loadBank(c, dir)
	if err != nil {
		return err
	}
	res, clean, err := standardResult(c, b)
	if err != nil {
		return err
	}
	if format == "json" {
		err = standard.WriteJSON(c.App.Writer, res)
	} else {
		err = standard.WriteText(c.App.Writer, res)
	}
	if err != nil {
		return err
	}
	if !c.Bool("write") {
		return nil
	}
	if !clean {
		return fail("the panel file has bad lines (above); fix them before --write")
	}
	return writeStandard(c, b, res)
}

// standardResult computes the standard the flags ask for; clean is false
// when the panel file had bad lines (reported on stderr, then skipped).
func standardResult(c *cli.Context, b *bank.Bank) (*standard.Result, bool, error) {
	if path := c.String("angoff"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, false, err
		}
		defer f.Close()
		panel, errs := standard.ReadPanel(f, path)
		for _, e := range errs {
			fmt.Fprintln(c.App.ErrWriter, e)
		}
		form := c.String("form")
		if form == "" {
			if form, err = standard.PanelForm(b, panel); err != nil {
				return nil, false, err
			}
		}
		res, err := standard.FromPanel(b, panel, form)
		if err != nil {
			return nil, false, err
		}
		return res, len(errs) == 0, nil
	}
	var theta float64
	var from string
	var err error
	if c.IsSet("raw") {
		form, raw := c.String("form"), c.Int("raw")
		theta, err = standard.ThetaForRaw(b, form, float64(raw))
		from = fmt.Sprintf("raw %d on %s", raw, form)
	} else {
		theta, err = scale.ThetaCut(b)
		from = "exam.yaml's cut"
		if cut := b.Exam.Scale.Cut; cut != nil && cut.Theta == nil && cut.Raw != nil {
			from = fmt.Sprintf("exam.yaml's cut, raw %d on %s", *cut.Raw, cut.Form)
		}
	}
	if err != nil {
		return nil, false, err
	}
	res, err := standard.Equate(b, theta, from)
	if err != nil {
		return nil, false, err
	}
	return res, true, nil
}

// writeStandard stores theta_cut in exam.yaml, atomically and only if the
// file did not change meanwhile.
func writeStandard(c *cli.Context, b *bank.Bank, res *standard.Result) error {
	path := filepath.Join(b.Dir, "exam.yaml")
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	note := "qbank standard: " + res.From
	if len(res.Provisional) > 0 {
		note += "; provisional scale"
	}
	data, err := standard.SetCut(old, res.ThetaCut, note)
	if err != nil {
		return err
	}
	if err := atomicfile.Replace(path, data, old); err != nil {
		if errors.Is(err, atomicfile.ErrChanged) {
			return fail(err.Error())
		}
		return err
	}
	fmt.Fprintf(c.App.Writer, "\nwrote cut: {theta: %v} to %s\n", scale.Round(res.ThetaCut), path)
	return nil
}
