package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/check"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/gitx"
	"github.com/qbank/qbank/internal/report"
	"github.com/qbank/qbank/internal/signing"
	"github.com/urfave/cli/v2"
)

func bundleCommand() *cli.Command {
	return &cli.Command{
		Name:      "bundle",
		Usage:     "build a versioned, reproducible release bundle of exam forms",
		ArgsUsage: "[BANK]",
		Description: "bundle writes DIR/<exam>-<version>/ with manifest.json, SHA256SUMS, forms/<FORM>.json (what a\n" +
			"candidate sees: no key, nothing marking pretest items) and keys/<FORM>.json (keys and rationales),\n" +
			"and with --archive also DIR/<exam>-<version>.tar.gz. The same commit and flags give byte-identical\n" +
			"output; file times are SOURCE_DATE_EPOCH when set, else 2000-01-01T00:00:00Z.\n" +
			"It refuses (exit 1, nothing written) when lint or check finds an error, when a form pins a\n" +
			"revision the bank no longer has, or when the version already exists: released bundles are immutable.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "version", Usage: "the bundle's semantic version `V`, such as 1.0.0 or 1.1.0-rc.1 (required)"},
			&cli.StringFlag{Name: "forms", Usage: "comma-separated `IDS` of the forms to bundle"},
			&cli.BoolFlag{Name: "all", Usage: "bundle every form in forms/"},
			&cli.StringFlag{Name: "out", Value: "dist", Usage: "directory `DIR` the bundle is written into"},
			&cli.BoolFlag{Name: "archive", Usage: "also write DIR/<exam>-<version>.tar.gz"},
			&cli.StringFlag{Name: "sign", Usage: "sign manifest.json with the Ed25519 private key in `KEY` (qbank keygen makes one)"},
			configFlag(),
		},
		Action: runBundle,
	}
}

func runBundle(c *cli.Context) error {
	dir, err := bankArg(c)
	if err != nil {
		return err
	}
	ver := c.String("version")
	if ver == "" {
		return errors.New("bundle needs --version V, a semantic version such as 1.0.0")
	}
	if err := bundle.ValidVersion(ver); err != nil {
		return fmt.Errorf("--version: %w", err)
	}
	var ids []string
	for _, id := range strings.Split(c.String("forms"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	switch {
	case c.Bool("all") && len(ids) > 0:
		return errors.New("give either --forms or --all, not both")
	case !c.Bool("all") && len(ids) == 0:
		return errors.New("name the forms to bundle with --forms F1,F2 or bundle every form with --all")
	}
	var key ed25519.PrivateKey
	if p := c.String("sign"); p != "" {
		if key, err = signing.ReadPrivateKey(p); err != nil {
			return fmt.Errorf("--sign: %w", err)
		}
		if w := signing.KeyFileWarning(p); w != "" {
			fmt.Fprintln(c.App.ErrWriter, "qbank: warning: "+w)
		}
	}
	epoch, err := bundle.ParseSourceDateEpoch(os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return err
	}

	bc, err := openBank(c, dir, "", nil)
	if err != nil {
		return err
	}
	cfg := bc.cfg
	res, err := bc.lint(c, "")
	if err != nil {
		return err
	}
	b := res.Bank
	out := c.String("out")
	incomplete, err := bundle.CheckTargets(out, bundle.Name(b.Exam.Exam, ver), c.Bool("archive"))
	if err != nil {
		if errors.Is(err, bundle.ErrExists) {
			return fail("refusing to bundle: " + err.Error())
		}
		return err
	}
	forms, err := bundle.SelectForms(b, ids)
	if err != nil {
		return err
	}

	// Lint errors anywhere in the bank and check errors in the selected
	// forms stop the release.
	var blocking []finding.Finding
	for _, f := range res.Findings {
		if f.Severity == finding.Error {
			blocking = append(blocking, f)
		}
	}
	for _, form := range forms {
		for _, f := range check.Form(b, form) {
			if f.Severity = cfg.SeverityOf(f.Rule, f.Severity); f.Severity == finding.Error {
				blocking = append(blocking, f)
			}
		}
	}
	if len(blocking) > 0 {
		printFindings(c, blocking)
		return failf("refusing to bundle: %s from lint and check (nothing was written); fix them and run qbank lint and qbank check", report.Plural(len(blocking), "error"))
	}

	opts := bundle.Options{
		Version:    ver,
		Forms:      ids,
		Tool:       bundle.Tool{Name: "qbank", Version: version},
		SourceDate: epoch,
		Key:        key,
	}
	if repo, err := gitx.Open(c.Context, dir); err == nil {
		// Dirty means the bank's own files differ from the commit: not
		// the bundles written into the work tree, nor anything else that
		// does not go into a bundle.
		if commit, dirty, err := repo.Head(c.Context, repo.Prefix+"exam.yaml", repo.Prefix+"items", repo.Prefix+"forms"); err == nil {
			opts.Source = &bundle.Source{Commit: commit, Dirty: dirty}
		}
	}
	bun, err := bundle.Build(b, opts)
	if err != nil {
		var be *bundle.BuildError
		if errors.As(err, &be) {
			printFindings(c, be.Findings)
			return failf("refusing to bundle: %s (nothing was written)", report.Plural(len(be.Findings), "problem"))
		}
		return err
	}
	dirPath, archive, err := bundle.Write(c.Context, out, bun, bundle.WriteOptions{Archive: c.Bool("archive"), ModTime: epoch})
	if err != nil {
		if errors.Is(err, bundle.ErrExists) {
			return fail("refusing to bundle: " + err.Error())
		}
		return err
	}
	items := 0
	for _, f := range forms {
		items += len(f.Items)
	}
	signed := "unsigned"
	if key != nil {
		signed = "signed by key " + signing.KeyID(key.Public().(ed25519.PublicKey))
	}
	w := c.App.Writer
	head := "wrote " + dirPath
	if incomplete {
		// An earlier run was stopped between the directory and the archive.
		head = "kept " + dirPath + ", which holds exactly this build (only its archive was missing)"
	}
	fmt.Fprintf(w, "%s: %s, %s, %s, %s\n", head, report.Plural(len(forms), "form"), report.Plural(items, "item slot"), report.Plural(len(bun.Files), "file"), signed)
	if archive != "" {
		fmt.Fprintf(w, "wrote %s\n", archive)
	}
	return nil
}

// printFindings writes findings, one per line, to standard error: they say
// why a command refused.
func printFindings(c *cli.Context, fs []finding.Finding) {
	finding.Sort(fs)
	for _, f := range fs {
		fmt.Fprintln(c.App.ErrWriter, f.String())
	}
}
