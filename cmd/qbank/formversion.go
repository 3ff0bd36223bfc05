package main

import (
	"errors"
	"fmt"
	"os/exec"

	"github.com/qbank/qbank/internal/bank"
	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/finding"
	"github.com/qbank/qbank/internal/formversion"
	"github.com/qbank/qbank/internal/gitx"
	"github.com/urfave/cli/v2"
)

// formVersionFlags are check's flags for rule form-version.
func formVersionFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "since", Usage: "compare every form with its version at git revision `REV` (default HEAD, when the bank is in a git work tree): changed entries need a new version (rule form-version)"},
		&cli.StringFlag{Name: "bundle", Usage: "also compare every form with the forms of the release bundle `PATH` (directory or .tar.gz), such as the last one released (rule form-version)"},
	}
}

// formVersionFindings compares the forms of b with their versions at
// --since (HEAD by default: skipped when nothing is committed, see
// nothingCommitted) and in --bundle.
func formVersionFindings(c *cli.Context, b *bank.Bank) ([]finding.Finding, error) {
	var fs []finding.Finding
	rev := c.String("since")
	explicit := rev != ""
	if !explicit {
		rev = "HEAD"
	}
	old, err := formversion.AtRev(c.Context, b, rev)
	switch {
	case err == nil:
		fs = append(fs, formversion.Compare(b, old, "at "+rev)...)
	case explicit:
		return nil, fmt.Errorf("--since %s: %w", rev, err)
	case !nothingCommitted(err):
		return nil, fmt.Errorf("comparing the forms with HEAD (rule form-version): %w", err)
	}
	if p := c.String("bundle"); p != "" {
		bu, err := bundle.Open(c.Context, p, bundle.DefaultLimits)
		if err != nil {
			return nil, fmt.Errorf("--bundle %s: %w", p, err)
		}
		old, err := formversion.FromBundle(p, bu)
		if err != nil {
			return nil, fmt.Errorf("--bundle %s: %w", p, err)
		}
		fs = append(fs, formversion.Compare(b, old, "in bundle "+p)...)
	}
	return fs, nil
}

// nothingCommitted reports whether err says there is no committed version
// to compare with: the bank is not in a git work tree, git is not
// installed, or the repository has no commit yet.
func nothingCommitted(err error) bool {
	var notFound *gitx.RevNotFoundError
	var noGit *exec.Error
	return errors.Is(err, gitx.ErrNotRepo) || errors.As(err, &notFound) || errors.As(err, &noGit)
}
