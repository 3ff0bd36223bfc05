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
	"github.com/qbank/qbank/internal/finding"
	"github.com/urfave/cli/v2"
)

func assembleCommand() *cli.Command {
	return &cli.Command{
		Name:      "assemble",
		Usage:     "assemble new parallel forms from the bank, or the next version of a form (--replace)",
		ArgsUsage: "[BANK]",
		Description: "assemble --spec S [--forms N] [--seed K] [--max-overlap F] [--out DIR] writes N new forms of spec S\n" +
			"(N defaults to 1, and the seed K to 1: the same seed always gives the same forms),\n" +
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
		Action: runAssemble,
	}
}

// runAssemble is qbank assemble: it lints the bank (errors stop it) and
// assembles new forms, or the next version of one with --replace.
func runAssemble(c *cli.Context) error {
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
		return failf("the bank has %s (qbank lint %s lists them); fix them before assembling", finding.Plural(res.Summary.Errors, "lint error"), dir)
	}
	if id := c.String("replace"); id != "" {
		for _, name := range []string{"spec", "forms", "seed", "out"} {
			if c.IsSet(name) {
				return fmt.Errorf("--%s does not apply to --replace (the form keeps its spec, seed and file)", name)
			}
		}
		return replaceForm(c, res.Bank, id, f)
	}
	return newForms(c, res.Bank, f)
}

// newForms assembles the forms that --spec, --forms and --seed ask for and
// writes them to --out.
func newForms(c *cli.Context, b *bank.Bank, overlap float64) error {
	spec := c.String("spec")
	if !c.IsSet("spec") {
		return fmt.Errorf("--spec is required: one of %s", strings.Join(b.Exam.SpecIDs(), ", "))
	}
	if b.Exam.Spec(spec) == nil {
		return fmt.Errorf("--spec %s: no such form spec in exam.yaml (%s)", spec, strings.Join(b.Exam.SpecIDs(), ", "))
	}
	if n := c.Int("forms"); n < 1 || n > assemble.MaxForms {
		return fmt.Errorf("--forms %d: want 1 to %d", n, assemble.MaxForms)
	}
	out := c.String("out")
	if out == "" {
		out = filepath.Join(b.Dir, "forms")
	}
	taken, err := formFiles(out)
	if err != nil {
		return err
	}
	r, err := assemble.Assemble(c.Context, b, assemble.Options{
		Spec: spec, Forms: c.Int("forms"), Seed: c.Int64("seed"), MaxOverlap: overlap, TakenIDs: taken,
	})
	if err != nil {
		return infeasible(err)
	}
	paths, err := assemble.WriteForms(out, r.Forms, false)
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "Assembled %s of spec %s from %s (seed %d, max overlap %g)\n\n", finding.Plural(len(r.Forms), "form"), spec, b.Dir, c.Int64("seed"), overlap)
	if err := assemble.WriteSummary(w, r); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, p := range paths {
		fmt.Fprintf(w, "wrote %s\n", filepath.ToSlash(p))
	}
	return nil
}

// infeasible turns an infeasible request into a failure (exit 1) that names
// the constraint; other errors stay as they are.
func infeasible(err error) error {
	var ie *assemble.InfeasibleError
	if errors.As(err, &ie) {
		return fail("infeasible: " + ie.Msg + "; nothing written")
	}
	return err
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
		return infeasible(err)
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
	fmt.Fprintf(w, "%s: version %d -> %d (%s)\n", id, r.Old.Version, r.Form.Version, finding.Plural(len(r.Changes), "change"))
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
