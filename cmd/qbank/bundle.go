package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/check"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/gitx"
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
			"output; file times are SOURCE_DATE_EPOCH when set (0 to 253402300799, 9999-12-31T23:59:59Z; anything\n" +
			"else is refused, exit 2), else 2000-01-01T00:00:00Z.\n" +
			"It refuses (exit 1, nothing written) when lint or check finds an error, when a form pins a\n" +
			"revision the bank no longer has, or when the version already exists: released bundles are immutable.\n" +
			"The one exception: a directory left without its archive by a killed run is completed by the next\n" +
			"run with --archive when it holds exactly that run's build. Temporary files of killed runs\n" +
			"(.<name>.tmp-<time>-<n>) are removed once an hour old. --sign warns, as ssh does, when others can\n" +
			"read the private key file, and signs.",
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

// runBundle is qbank bundle: the release policy is check.ReleaseBlockers,
// the bundle is built and written by package bundle.
func runBundle(c *cli.Context) error {
	req, err := parseBundleFlags(c)
	if err != nil {
		return err
	}
	bc, err := openBank(c, req.dir, "", nil)
	if err != nil {
		return err
	}
	res, err := bc.lint(c, "")
	if err != nil {
		return err
	}
	b := res.Bank
	incomplete, err := bundle.CheckTargets(req.out, bundle.Name(b.Exam.Exam, req.opts.Version), req.archive)
	if err != nil {
		return refuseExisting(err)
	}
	forms, err := bundle.SelectForms(b, req.opts.Forms)
	if err != nil {
		return err
	}
	// form-version against git HEAD, as check does.
	changed, err := formVersionFindings(c, b)
	if err != nil {
		return err
	}
	if blocking := check.ReleaseBlockers(b, res.Findings, forms, bc.cfg, changed); len(blocking) > 0 {
		printFindings(c, blocking)
		return failf("refusing to bundle: %s from lint and check (nothing was written); fix them and run qbank lint and qbank check", finding.Plural(len(blocking), "error"))
	}
	req.opts.Source = gitSource(c, req.dir)
	bun, err := bundle.Build(b, req.opts)
	if err != nil {
		return refuseBuild(c, err)
	}
	dirPath, archive, err := bundle.Write(c.Context, req.out, bun, bundle.WriteOptions{Archive: req.archive, ModTime: req.opts.SourceDate})
	if err != nil {
		return refuseExisting(err)
	}
	printBundle(c.App.Writer, dirPath, archive, incomplete, forms, bun, req.opts.Key)
	return nil
}

// bundleRequest is what the bundle flags ask for, validated.
type bundleRequest struct {
	dir, out string
	archive  bool
	opts     bundle.Options
}

// parseBundleFlags reads and validates BANK and the flags of bundle.
func parseBundleFlags(c *cli.Context) (*bundleRequest, error) {
	dir, err := bankArg(c)
	if err != nil {
		return nil, err
	}
	ver := c.String("version")
	if ver == "" {
		return nil, errors.New("bundle needs --version V, a semantic version such as 1.0.0")
	}
	if err := bundle.ValidVersion(ver); err != nil {
		return nil, fmt.Errorf("--version: %w", err)
	}
	var ids []string
	for _, id := range strings.Split(c.String("forms"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	switch {
	case c.Bool("all") && len(ids) > 0:
		return nil, errors.New("give either --forms or --all, not both")
	case !c.Bool("all") && len(ids) == 0:
		return nil, errors.New("name the forms to bundle with --forms F1,F2 or bundle every form with --all")
	}
	req := &bundleRequest{dir: dir, out: c.String("out"), archive: c.Bool("archive"),
		opts: bundle.Options{Version: ver, Forms: ids, Tool: bundle.Tool{Name: "qbank", Version: version}}}
	if p := c.String("sign"); p != "" {
		if req.opts.Key, err = signing.ReadPrivateKey(p); err != nil {
			return nil, fmt.Errorf("--sign: %w", err)
		}
		if w := signing.KeyFileWarning(p); w != "" {
			fmt.Fprintln(c.App.ErrWriter, "qbank: warning: "+w)
		}
	}
	if req.opts.SourceDate, err = bundle.ParseSourceDateEpoch(os.Getenv("SOURCE_DATE_EPOCH")); err != nil {
		return nil, err
	}
	return req, nil
}

// refuseBuild prints the findings of a form that cannot be bundled and
// refuses (exit 1); other errors stay as they are.
func refuseBuild(c *cli.Context, err error) error {
	var be *bundle.BuildError
	if errors.As(err, &be) {
		printFindings(c, be.Findings)
		return failf("refusing to bundle: %s (nothing was written)", finding.Plural(len(be.Findings), "problem"))
	}
	return err
}

// refuseExisting turns a bundle that exists already into a refusal (exit
// 1: released bundles are immutable); other errors stay as they are.
func refuseExisting(err error) error {
	if errors.Is(err, bundle.ErrExists) {
		return fail("refusing to bundle: " + err.Error())
	}
	return err
}

// gitSource returns the commit the bank in dir comes from, or nil outside
// git. Dirty means the bank's own files differ from the commit: not the
// bundles written into the work tree, nor anything else that does not go
// into a bundle.
func gitSource(c *cli.Context, dir string) *bundle.Source {
	repo, err := gitx.Open(c.Context, dir)
	if err != nil {
		return nil
	}
	commit, dirty, err := repo.Head(c.Context, repo.Prefix+"exam.yaml", repo.Prefix+"items", repo.Prefix+"forms")
	if err != nil {
		return nil
	}
	return &bundle.Source{Commit: commit, Dirty: dirty}
}

// printBundle says what bundle wrote; incomplete means an earlier run was
// stopped between the directory and the archive, and the directory, which
// holds exactly this build, was kept.
func printBundle(w io.Writer, dirPath, archive string, incomplete bool, forms []*bank.Form, bun *bundle.Bundle, key ed25519.PrivateKey) {
	items := 0
	for _, f := range forms {
		items += len(f.Items)
	}
	signed := "unsigned"
	if key != nil {
		signed = "signed by key " + signing.KeyID(key.Public().(ed25519.PublicKey))
	}
	head := "wrote " + dirPath
	if incomplete {
		head = "kept " + dirPath + ", which holds exactly this build (only its archive was missing)"
	}
	fmt.Fprintf(w, "%s: %s, %s, %s, %s\n", head, finding.Plural(len(forms), "form"), finding.Plural(items, "item slot"), finding.Plural(len(bun.Files), "file"), signed)
	if archive != "" {
		fmt.Fprintf(w, "wrote %s\n", archive)
	}
}

// printFindings writes findings, one per line, to standard error: they say
// why a command refused.
func printFindings(c *cli.Context, fs []finding.Finding) {
	finding.Sort(fs)
	for _, f := range fs {
		fmt.Fprintln(c.App.ErrWriter, f.String())
	}
}
