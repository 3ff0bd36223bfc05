package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/qbank/qbank/internal/assemble"
	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/report"
	"github.com/urfave/cli/v2"
)

func assembleCommand() *cli.Command {
	return &cli.Command{
		Name:      "assemble",
		Usage:     "assemble new parallel forms from the bank, or the next version of a form (--replace)",
		ArgsUsage: "[BANK]",
		Description: "assemble --spec S --forms N --seed K [--max-overlap F] [--out DIR] writes N new forms of spec S,\n" +
			"ids <EXAM>-<SPEC>-A, -B, ... after those already used, version 1, to DIR (default BANK/forms).\n" +
			"assemble --replace FORM writes the next version of a committed form: items that are retired or no\n" +
			"longer eligible are replaced by items of the same domain (same task where possible), revised items\n" +
			"that are still eligible are re-pinned, everything else stays in place; the changes are printed.\n" +
			"An infeasible request exits 1, names the constraint and writes nothing.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "spec", Usage: "form spec `S` (a forms[].id of exam.yaml)"},
			&cli.IntFlag{Name: "forms", Value: 1, Usage: "number of forms `N` to assemble"},
			&cli.Int64Flag{Name: "seed", Value: 1, Usage: "seed `K` for every random choice; the same bank, flags and seed give the same files"},
			&cli.Float64Flag{Name: "max-overlap", Value: assemble.DefaultMaxOverlap, Usage: "share `F` (0..1) of scored items two forms may have in common; 0 means disjoint"},
			&cli.StringFlag{Name: "out", Usage: "directory `DIR` for the new forms (default BANK/forms)"},
			&cli.StringFlag{Name: "replace", Usage: "write the next version of form `FORM` instead of new forms"},
			configFlag(),
		},
		Action: func(c *cli.Context) error {
			dir, err := bankArg(c)
			if err != nil {
				return err
			}
			f := c.Float64("max-overlap")
			if f < 0 || f > 1 || f != f {
				return fmt.Errorf("--max-overlap %v: want a share from 0 to 1", f)
			}
			bc, err := openBank(c, dir, "", nil)
			if err != nil {
				return err
			}
			res, err := bc.lint(c, "")
			if err != nil {
				return err
			}
			if res.Summary.Errors > 0 {
				return failf("the bank has %s (qbank lint %s lists them); fix them before assembling", report.Plural(res.Summary.Errors, "lint error"), dir)
			}
			b := res.Bank
			out := c.String("out")
			if out == "" {
				out = filepath.Join(dir, "forms")
			}
			if id := c.String("replace"); id != "" {
				for _, name := range []string{"spec", "forms", "seed", "out"} {
					if c.IsSet(name) {
						return fmt.Errorf("--%s does not apply to --replace (the form keeps its spec, seed and file)", name)
					}
				}
				return replaceForm(c, b, id, f)
			}
			if !c.IsSet("spec") {
				return fmt.Errorf("--spec is required: one of %s", strings.Join(b.Exam.SpecIDs(), ", "))
			}
			if b.Exam.Spec(c.String("spec")) == nil {
				return fmt.Errorf("--spec %s: no such form spec in exam.yaml (%s)", c.String("spec"), strings.Join(b.Exam.SpecIDs(), ", "))
			}
			if n := c.Int("forms"); n < 1 || n > assemble.MaxForms {
				return fmt.Errorf("--forms %d: want 1 to %d", n, assemble.MaxForms)
			}
			taken, err := formFiles(out)
			if err != nil {
				return err
			}
			r, err := assemble.Assemble(c.Context, b, assemble.Options{
				Spec: c.String("spec"), Forms: c.Int("forms"), Seed: c.Int64("seed"), MaxOverlap: f, TakenIDs: taken,
			})
			if err != nil {
				var ie *assemble.InfeasibleError
				if errors.As(err, &ie) {
					return fail("infeasible: " + ie.Msg + "; nothing written")
				}
				return err
			}
			paths, err := assemble.WriteForms(out, r.Forms, false)
			if err != nil {
				return err
			}
			w := c.App.Writer
			fmt.Fprintf(w, "Assembled %s of spec %s from %s (seed %d, max overlap %g)\n\n", report.Plural(len(r.Forms), "form"), c.String("spec"), dir, c.Int64("seed"), f)
			if err := assemble.WriteSummary(w, r); err != nil {
				return err
			}
			fmt.Fprintln(w)
			for _, p := range paths {
				fmt.Fprintf(w, "wrote %s\n", filepath.ToSlash(p))
			}
			return nil
		},
	}
}

// formFiles lists the form ids of the *.yaml files in dir (none when dir
// does not exist).
func formFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", dir, err)
	}
	var ids []string
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".yaml") {
			ids = append(ids, strings.TrimSuffix(name, ".yaml"))
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// replaceForm writes the next version of form id and prints the changes.
func replaceForm(c *cli.Context, b *bank.Bank, id string, overlap float64) error {
	r, err := assemble.Replace(b, id, overlap)
	if err != nil {
		var ie *assemble.InfeasibleError
		if errors.As(err, &ie) {
			return fail("infeasible: " + ie.Msg + "; nothing written")
		}
		return err
	}
	w := c.App.Writer
	if r.Form == nil {
		fmt.Fprintf(w, "%s version %d is up to date: every item is eligible and pinned at its current revision; nothing written\n", id, r.Old.Version)
		return nil
	}
	dir := filepath.Dir(r.Old.File)
	if filepath.Base(r.Old.File) != id+".yaml" {
		return fmt.Errorf("%s: the file name does not match form id %s; rename it first", r.Old.File, id)
	}
	fmt.Fprintf(w, "%s: version %d -> %d (%s)\n", id, r.Old.Version, r.Form.Version, report.Plural(len(r.Changes), "change"))
	for _, ch := range r.Changes {
		if ch.Repinned {
			fmt.Fprintf(w, "  #%d %s %s: re-pinned revision %d -> %d (the item was revised; review it)\n", ch.Position, ch.Role, ch.Old, ch.OldRevision, ch.NewRevision)
			continue
		}
		task := ""
		if ch.SameTask {
			task = ", same task"
		}
		fmt.Fprintf(w, "  #%d %s %s r%d -> %s r%d (%s%s)\n", ch.Position, ch.Role, ch.Old, ch.OldRevision, ch.New, ch.NewRevision, ch.Reason, task)
	}
	fmt.Fprintf(w, "mean p of the scored items: %.3f -> %.3f\n", r.OldMeanP, r.NewMeanP)
	paths, err := assemble.WriteForms(dir, []*bank.Form{r.Form}, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", filepath.ToSlash(paths[0]))
	return nil
}
