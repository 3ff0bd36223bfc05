package main

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"

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
			"Exit status: 0 verified, 1 verification failed, 2 could not run.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "pubkey", Usage: "check the signature with the Ed25519 public key in `PUB`"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json"},
		},
		Action: func(c *cli.Context) error {
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
			var report *bundle.Report
			b, err := bundle.Open(c.Context, pos[0], bundle.DefaultLimits)
			if err != nil {
				var ie *bundle.InvalidError
				if !errors.As(err, &ie) {
					return fmt.Errorf("cannot read bundle: %w", err)
				}
				report = &bundle.Report{Bundle: pos[0], Signature: bundle.Invalid, Problems: []bundle.Problem{{File: ie.File, Message: ie.Msg}}}
			} else {
				report = bundle.Verify(b, pub)
			}
			if format == "json" {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				if err := enc.Encode(report); err != nil {
					return err
				}
			} else if err := report.WriteText(c.App.Writer); err != nil {
				return err
			}
			if !report.OK() {
				return fail("")
			}
			return nil
		},
	}
}
