package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"

	"github.com/qbank/qbank/internal/signing"
	"github.com/urfave/cli/v2"
)

func keygenCommand() *cli.Command {
	return &cli.Command{
		Name:      "keygen",
		Usage:     "create an Ed25519 key pair for signing release bundles",
		ArgsUsage: "[NAME]",
		Description: "keygen writes NAME.key (the private key, mode 0600: keep it secret, for example in a CI secret)\n" +
			"and NAME.pub (the public key, to publish to whoever verifies bundles); NAME defaults to\n" +
			"qbank-release. It never overwrites a key file (exit status 1 when one exists). Sign with qbank bundle --sign NAME.key and check\n" +
			"with qbank verify --pubkey NAME.pub.",
		Action: func(c *cli.Context) error {
			pos, err := positionalArgs(c)
			if err != nil {
				return err
			}
			name := "qbank-release"
			switch len(pos) {
			case 0:
			case 1:
				name = pos[0]
			default:
				return errors.New("keygen takes at most one NAME")
			}
			pub, priv, err := signing.GenerateKey(rand.Reader)
			if err != nil {
				return err
			}
			if err := signing.WriteKeyPair(name+".key", name+".pub", priv); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return failf("refusing to overwrite: %v", err)
				}
				return err
			}
			fmt.Fprintf(c.App.Writer, "wrote %s.key (private, mode 0600) and %s.pub (public)\nkey id %s\n", name, name, signing.KeyID(pub))
			return nil
		},
	}
}
