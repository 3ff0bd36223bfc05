package main

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qbank/qbank/internal/bundle"
	"github.com/qbank/qbank/internal/signing"
	"github.com/urfave/cli/v2"
)

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "verify a release bundle (directory or .tar.gz): checksums, files, schemas and signature",
		ArgsUsage: "BUNDLE",
		Description: "verify checks every file against manifest.json and SHA256SUMS (any changed, missing or extra\n" +
			"file fails, named), every JSON file against its schema, and with --pubkey the Ed25519 signature\n" +
			"of manifest.json. Without --pubkey it checks integrity only and says that the signature was not\n" +
			"checked. Archives are read safely: no absolute paths, no \"..\", no links or devices, size limits.\n" +
			"Exit status: 0 verified, 1 verification failed, 2 could not run (also for a path that is not a bundle at all).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "pubkey", Usage: "check the signature with the Ed25519 public key in `PUB`"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json"},
		},
		Action: runVerify,
	}
}

// runVerify is qbank verify: package bundle opens and verifies; the report
// is printed as text or JSON, and a failed verification exits 1.
func runVerify(c *cli.Context) error {
	pos, err := positionalArgs(c)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("verify takes one BUNDLE: a bundle directory or a .tar.gz archive")
	}
	format := c.String("format")
	if format != "text" && format != "json" {
		return fmt.Errorf("unknown format %q; use text or json", format)
	}
	var pub ed25519.PublicKey
	if p := c.String("pubkey"); p != "" {
		if pub, err = signing.ReadPublicKey(p); err != nil {
			return fmt.Errorf("--pubkey: %w", err)
		}
	}
	report, err := verifyBundle(c, pos[0], pub)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		err = enc.Encode(report)
	} else {
		err = report.WriteText(c.App.Writer)
	}
	if err != nil {
		return err
	}
	if !report.OK() {
		return fail("")
	}
	return nil
}

// verifyBundle opens and verifies the bundle at p. A bundle whose
// structure is refused (an unsafe archive) is a report with that problem;
// a path that is not a bundle at all is an error.
func verifyBundle(c *cli.Context, p string, pub ed25519.PublicKey) (*bundle.Report, error) {
	if err := notABundleDir(p); err != nil {
		return nil, err
	}
	b, err := bundle.Open(c.Context, p, bundle.DefaultLimits)
	if err != nil {
		var ie *bundle.InvalidError
		if !errors.As(err, &ie) {
			return nil, fmt.Errorf("cannot read bundle: %w", err)
		}
		return &bundle.Report{Bundle: p, Signature: bundle.Unreached, Problems: []bundle.Problem{{File: ie.File, Message: ie.Msg}}}, nil
	}
	if !b.HasBundleFiles() {
		return nil, fmt.Errorf("%s is not a bundle: it holds neither %s nor %s; verify checks what qbank bundle writes", p, bundle.ManifestFile, bundle.SumsFile)
	}
	return bundle.Verify(b, pub), nil
}

// notABundleDir refuses a directory that is plainly not a bundle (neither
// manifest.json nor SHA256SUMS at its top), once, instead of a failure for
// every file in it.
func notABundleDir(p string) error {
	if st, err := os.Stat(p); err != nil || !st.IsDir() {
		return nil
	}
	for _, name := range []string{bundle.ManifestFile, bundle.SumsFile} {
		if _, err := os.Lstat(filepath.Join(p, name)); err == nil {
			return nil
		}
	}
	msg := fmt.Sprintf("%s is not a bundle: it holds neither %s nor %s; verify checks what qbank bundle writes", p, bundle.ManifestFile, bundle.SumsFile)
	if _, err := os.Stat(filepath.Join(p, "exam.yaml")); err == nil {
		msg += fmt.Sprintf(" (%s is a bank: qbank bundle --version V --all %s makes a bundle of it)", p, p)
	}
	return errors.New(msg)
}
