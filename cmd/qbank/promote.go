package main

import (
	"fmt"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/promote"
	"github.com/urfave/cli/v2"
)

func promoteCommand() *cli.Command {
	return &cli.Command{
		Name:      "promote",
		Usage:     "list pretest items ready to become operational (and those to revise or retire); --apply promotes them",
		ArgsUsage: "[BANK]",
		Description: "Reads stats.yaml. A pretest item is ready when its statistics are for its current revision, from at\n" +
			"least analysis.min_responses responses (default 200), p and point-biserial in range, infit and outfit\n" +
			"in range and no possible-miskey; thresholds come from .qbank.yaml (analysis:). --apply changes\n" +
			"status: pretest to status: operational in the ready items' files (comments kept, canonical layout),\n" +
			"atomically, and prints each change. Exit status 0, or 2 when the bank cannot be read or a file\n" +
			"cannot be changed. See docs/psychometrics.md.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "apply", Usage: "promote the ready items in their files"},
			configFlag(),
		},
		Action: runPromote,
	}
}

func runPromote(c *cli.Context) error {
	dir, err := bankArg(c)
	if err != nil {
		return err
	}
	bc, err := openBank(c, dir, "", nil)
	if err != nil {
		return err
	}
	b, err := loadBankForStats(c, bc)
	if err != nil {
		return err
	}
	ds := promote.Decide(b, thresholds(bc.cfg.Analysis))
	w := c.App.Writer
	for _, verdict := range []string{promote.Ready, promote.Revise, promote.Retire, promote.Wait} {
		for _, d := range ds {
			if d.Verdict == verdict {
				fmt.Fprintf(w, "%-7s %s (revision %d, %s): %s\n", d.Verdict, d.Item.ID, d.Item.Revision, d.Item.File, joinReasons(d.Reasons))
			}
		}
	}
	fmt.Fprintf(w, "%d pretest items: %s\n", len(ds), promote.Summary(ds))
	if !c.Bool("apply") {
		return nil
	}
	return applyPromotions(c, b, ds)
}

func joinReasons(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += "; "
		}
		out += r
	}
	return out
}

// applyPromotions edits the ready items' files and prints each change.
func applyPromotions(c *cli.Context, b *bank.Bank, ds []promote.Decision) error {
	n := 0
	for _, d := range ds {
		if d.Verdict != promote.Ready {
			continue
		}
		if err := promote.Apply(d.Item); err != nil {
			return fmt.Errorf("%v (%d items promoted before it)", err, n)
		}
		n++
		fmt.Fprintf(c.App.Writer, "promoted %s: %s status pretest -> operational\n", d.Item.ID, d.Item.File)
	}
	fmt.Fprintf(c.App.Writer, "%d items promoted\n", n)
	if forms := promote.FormsHolding(b, ds); len(forms) > 0 {
		fmt.Fprintf(c.App.Writer, "these forms hold promoted items in pretest slots (qbank check reports form-status): %s;\n"+
			"produce their next version with qbank assemble --replace FORM before the next bundle\n", joinReasons(forms))
	}
	return nil
}
