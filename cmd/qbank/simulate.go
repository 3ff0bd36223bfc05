package main

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/qbank/qbank/internal/atomicfile"
	"github.com/qbank/qbank/internal/responses"
	"github.com/qbank/qbank/internal/simulate"
	"github.com/urfave/cli/v2"
)

func simulateCommand() *cli.Command {
	return &cli.Command{
		Name:      "simulate",
		Usage:     "write simulated responses (JSONL) to the forms of a bundle, from the Rasch model",
		ArgsUsage: "[BANK]",
		Description: "Each attempt takes a form of the bundle at random and a candidate ability from N(MEAN, SD); an answer\n" +
			"is right with the Rasch probability for the item's b (its measured rasch.b, else the provisional b of\n" +
			"its authored difficulty), wrong answers spread unevenly over the distractors, omits are rare. The same\n" +
			"--seed gives the same bytes. Ids are a-000001, c-000001, ...; --id-prefix keeps the ids of several\n" +
			"runs apart when they are analysed together. Every line says \"simulated\": true: such data are for demonstrations,\n" +
			"\"what if\" studies and tests, never evidence about candidates. Exit status 0, or 2.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "bundle", Aliases: []string{"b"}, Required: true, Usage: "bundle directory or .tar.gz `B`"},
			&cli.IntFlag{Name: "attempts", Aliases: []string{"n"}, Required: true, Usage: "number `N` of attempts"},
			&cli.Uint64Flag{Name: "seed", Required: true, Usage: "random seed `K` (same seed, same output)"},
			&cli.StringFlag{Name: "ability", Value: "0,1", Usage: "`MEAN,SD` of the candidates' ability in logits"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to this new `FILE` (default standard output)"},
			&cli.StringFlag{Name: "id-prefix", Usage: "start every attempt and candidate id with `P` (such as run2-)"},
		},
		Action: runSimulate,
	}
}

func runSimulate(c *cli.Context) error {
	dir, err := bankArg(c)
	if err != nil {
		return err
	}
	opts := simulate.Options{Attempts: c.Int("attempts"), Seed: c.Uint64("seed"), IDPrefix: c.String("id-prefix")}
	if opts.Attempts < 1 || opts.Attempts > 10_000_000 {
		return fmt.Errorf("--attempts %d: want 1 to 10000000", opts.Attempts)
	}
	if opts.Mean, opts.SD, err = parseAbility(c.String("ability")); err != nil {
		return err
	}
	out := c.String("out")
	if out != "" {
		if err := refuseInItems(dir, out); err != nil {
			return err
		}
	}
	forms, err := simulateForms(c, dir)
	if err != nil {
		return err
	}
	if out == "" {
		w := bufio.NewWriterSize(c.App.Writer, 1<<16)
		if err := simulate.Write(w, forms, opts); err != nil {
			return err
		}
		return w.Flush()
	}
	var buf bytes.Buffer
	if err := simulate.Write(&buf, forms, opts); err != nil {
		return err
	}
	if err := atomicfile.Create(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("%v (simulate never replaces a file; remove it or pick another --out)", err)
	}
	fmt.Fprintf(c.App.ErrWriter, "wrote %s: %d simulated attempts (seed %d)\n", out, opts.Attempts, opts.Seed)
	return nil
}

// simulateForms loads the bank and the bundle and gives each slot its b.
func simulateForms(c *cli.Context, dir string) ([]simulate.Form, error) {
	bc, err := openBank(c, dir, "", nil)
	if err != nil {
		return nil, err
	}
	b, _, err := bc.load(c)
	if err != nil {
		return nil, err
	}
	cat := responses.NewCatalog()
	if err := cat.Open(c.Context, c.String("bundle")); err != nil {
		return nil, err
	}
	return simulate.Forms(cat, b)
}

// parseAbility parses "MEAN,SD".
func parseAbility(s string) (mean, sd float64, err error) {
	m, d, ok := strings.Cut(s, ",")
	if ok {
		mean, err = strconv.ParseFloat(strings.TrimSpace(m), 64)
		if err == nil {
			sd, err = strconv.ParseFloat(strings.TrimSpace(d), 64)
		}
	}
	if !ok || err != nil || sd < 0 || sd > 10 || mean < -10 || mean > 10 {
		return 0, 0, fmt.Errorf("--ability %q: want MEAN,SD in logits, such as 0,1 (SD 0 to 10, mean -10 to 10)", s)
	}
	return mean, sd, nil
}

// refuseInItems refuses an output path inside the bank's items directory
// (a responses file there would be read as an item file).
func refuseInItems(bankDir, out string) error {
	items, err1 := filepath.Abs(filepath.Join(bankDir, "items"))
	abs, err2 := filepath.Abs(out)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("--out %s: cannot resolve the path", out)
	}
	if rel, err := filepath.Rel(items, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("--out %s is inside %s; only item files belong there", out, filepath.Join(bankDir, "items"))
	}
	return nil
}
